//! The vault itself: set-up, status, PIN, recovery key, integrity, biometric slot, wipe.

use crate::app::{answer, read_new_pin, read_pin, read_recovery_key, CliError, Ctx, Reply, Session};
use crate::codes::Code;
use crate::show::{status_json, status_text};
use crate::words::word;
use brobygger_cli::keystore::KEY_DIR;
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

#[derive(Subcommand)]
pub enum RecoveryKeyCmd {
    /// Make a new recovery key and print it once; the old one stops working
    Rotate,
}

#[derive(Subcommand)]
pub enum IntegrityCmd {
    /// Scan the vault file for damage (exit status 1 if it is damaged or rolled back)
    Check,
}

#[derive(Subcommand)]
pub enum BiometricCmd {
    /// Add biometric unlock; its 32-byte secret goes to a new 0600 file
    Enroll {
        #[arg(long, value_name = "FILE")]
        secret_file: PathBuf,
    },
    /// Remove biometric unlock
    Remove,
    /// Unlock with the secret in the file (what a phone does after the fingerprint)
    Unlock {
        #[arg(long, value_name = "FILE")]
        secret_file: PathBuf,
    },
}

const KEY_STORE_NOTE: &str = "Note: on a desktop the keys are files beside the vault (cli-keys/), \
                              weaker than a phone's hardware key store: a copy of the folder carries them.";

pub fn init(ctx: &Ctx) -> Reply {
    let pin = match std::env::var("BROBYGGER_PIN") {
        Ok(p) => p,
        Err(_) => read_new_pin()?,
    };
    let created = create_vault(ctx.dir_string(), pin, ctx.key_store(), ctx.clock())?;
    let key = Zeroizing::new(created.recovery_key.reveal());
    let _session = Session(created.vault);
    Ok(answer(
        json!({"vault": ctx.dir_string(), "recovery_key": *key, "key_store": ctx.dir.join(KEY_DIR).display().to_string()}),
        format!(
            "Vault created in {}.\nRecovery key (write it down now; it is not shown again):\n  {}\n\n{KEY_STORE_NOTE}",
            ctx.dir.display(),
            *key
        ),
    ))
}

pub fn status(ctx: &Ctx, lang: Language) -> Reply {
    let vault = ctx.open()?;
    let s = vault.status()?;
    let mut json = status_json(&s);
    let mut text = status_text(&s, &ctx.dir_string());
    // Readable while locked; not when the key store lost the keys (the lines above say so).
    match vault.lifecycle_status(lang) {
        Ok(l) => {
            json["lifecycle"] = super::lifecycle::status_json(&l);
            text.push('\n');
            text.push_str(&super::lifecycle::status_lines(&l).join("\n"));
        }
        Err(_) => json["lifecycle"] = serde_json::Value::Null,
    }
    Ok(answer(json, text))
}

pub fn change_pin(ctx: &Ctx) -> Reply {
    let vault = ctx.unlocked()?;
    let old = read_pin("BROBYGGER_PIN", "PIN: ")?;
    vault.change_pin(old, read_new_pin()?)?;
    Ok(answer(json!({"changed": true}), "PIN changed."))
}

pub fn recover(ctx: &Ctx, typed_key: Option<String>) -> Reply {
    if typed_key.is_some() {
        return Err(CliError::Usage(
            "--recovery-key is refused: a key on the command line stays in the shell history and the process list; \
             set $BROBYGGER_RECOVERY_KEY, type it at the prompt, or pipe it on stdin"
                .into(),
        ));
    }
    let vault = ctx.open()?;
    let key = Zeroizing::new(read_recovery_key()?);
    let new_pin = read_new_pin()?;
    vault.unlock_with_recovery_key(key.to_string(), new_pin)?;
    let vault = Session(vault);
    let advised = vault.status()?.recovery_key_rotation_advised;
    Ok(answer(
        json!({"recovered": true, "recovery_key_rotation_advised": advised}),
        format!(
            "Vault opened with the recovery key; the new PIN is set.{}",
            if advised { format!("\n{}", word("recovery_key_rotation_advised")) } else { String::new() }
        ),
    ))
}

pub fn wipe(ctx: &Ctx, yes: bool) -> Reply {
    if !yes {
        return Err(CliError::Usage("wipe destroys the vault for good; add --yes to confirm".into()));
    }
    ctx.open()?.wipe()?;
    // The core deleted its keys; the key folder goes too when nothing else is in it.
    let _ = std::fs::remove_dir(ctx.dir.join(KEY_DIR));
    Ok(answer(json!({"wiped": true}), format!("Vault in {} wiped.", ctx.dir.display())))
}

pub fn recovery_key(ctx: &Ctx, cmd: RecoveryKeyCmd) -> Reply {
    let RecoveryKeyCmd::Rotate = cmd;
    let vault = ctx.unlocked()?;
    let key = vault.rotate_recovery_key()?;
    let shown = Zeroizing::new(key.reveal());
    Ok(answer(
        json!({"recovery_key": *shown}),
        format!(
            "New recovery key (write it down now; it is not shown again; the old one no longer works):\n  {}",
            *shown
        ),
    ))
}

pub fn integrity(ctx: &Ctx, cmd: IntegrityCmd) -> Reply {
    let IntegrityCmd::Check = cmd;
    let vault = ctx.unlocked()?;
    let state = vault.check_integrity()?;
    let mut a = answer(json!({"integrity": state.code()}), format!("Integrity: {}", word(state.code())));
    if matches!(state, IntegrityState::Damaged | IntegrityState::RolledBack) {
        a.failure = Some(CliError::failed("integrity_problem", format!("the vault file is {}", word(state.code()))));
    }
    Ok(a)
}

fn write_secret(path: &Path, secret: &[u8]) -> Result<(), CliError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let written = opts.open(path).and_then(|mut f| {
        f.write_all(secret)?;
        f.sync_all()
    });
    written.map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::AlreadyExists { "exists already" } else { "cannot be written" };
        CliError::input("--secret-file", format!("{} {why}", path.display()))
    })
}

fn read_secret(path: &Path) -> Result<Zeroizing<Vec<u8>>, CliError> {
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|_| CliError::input("--secret-file", format!("{} cannot be read", path.display())))
}

pub fn biometric(ctx: &Ctx, cmd: BiometricCmd) -> Reply {
    match cmd {
        BiometricCmd::Enroll { secret_file } => {
            if secret_file.exists() {
                return Err(CliError::input("--secret-file", format!("{} exists already", secret_file.display())));
            }
            let vault = ctx.unlocked()?;
            let secret = Zeroizing::new(vault.enroll_biometric()?);
            if let Err(e) = write_secret(&secret_file, &secret) {
                // A slot nobody holds the secret of would only confuse: take it back out.
                let _ = vault.remove_biometric();
                return Err(e);
            }
            Ok(answer(
                json!({"enrolled": true, "secret_file": secret_file.display().to_string()}),
                format!(
                    "Biometric unlock enrolled; its secret is in {} (0600). On a phone it stays behind the fingerprint.",
                    secret_file.display()
                ),
            ))
        }
        BiometricCmd::Remove => {
            ctx.unlocked()?.remove_biometric()?;
            Ok(answer(json!({"enrolled": false}), "Biometric unlock removed."))
        }
        BiometricCmd::Unlock { secret_file } => {
            let secret = read_secret(&secret_file)?;
            let vault = ctx.open()?;
            vault.unlock_with_biometric(secret.to_vec())?;
            let vault = Session(vault);
            let s = vault.status()?;
            Ok(answer(json!({"unlocked": true, "status": status_json(&s)}), "Unlocked with the biometric secret."))
        }
    }
}
