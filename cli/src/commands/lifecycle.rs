//! The lifecycle of the data from the desktop: backups and restoring them, how long data is
//! kept, the audit log, a citizen's access-request export, and the two emergency wipes (a
//! duress PIN; days without an unlock). The core does the work and gives the words; the CLI
//! reads the secrets (never from argv), writes files that are new, and lays the answers out.

use crate::app::{
    answer, read_new_pin, read_other_pin, read_recovery_key, refuse_on_argv, Answer, CliError, Ctx, Reply, Session,
};
use crate::codes::{backup_defect_code, parser, Code};
use crate::times::{home, rfc3339};
use crate::words::word;
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::{json, Value};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

#[derive(Subcommand)]
pub enum BackupCmd {
    /// Write a backup of the whole vault to a new file (only the recovery key opens it)
    Create {
        /// The backup file; refused if it exists
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Open every part of a backup with the recovery key, writing nothing (exit status 1 if
    /// it does not open whole); no vault needed
    Verify {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The language of the verdict
        #[arg(long, default_value = "en", value_parser = parser::<Language>())]
        lang: Language,
        /// Refused: a key on the command line stays in the shell history and the process list
        #[arg(long, hide = true, value_name = "KEY")]
        recovery_key: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum RetentionCmd {
    /// How long data is kept, and when backups are due (no PIN needed)
    Show,
    /// Change how long data is kept (flags left out keep their value) and apply it now
    Set {
        /// Purge a journalised note's text this many days after it was journalised (1–3650)
        #[arg(long, value_name = "N")]
        purge_after_days: Option<u32>,
        /// Flag a final note not journalised after this many days (1–365)
        #[arg(long, value_name = "N")]
        flag_final_after_days: Option<u32>,
        /// Reduce appointments to anonymous counts this many days after they ended (30–3650)
        #[arg(long, value_name = "N")]
        reduce_appointments_after_days: Option<u32>,
        /// Remind about a backup when the last is this many days old (1–365)
        #[arg(long, value_name = "N")]
        backup_reminder_days: Option<u32>,
    },
}

#[derive(Subcommand)]
pub enum AuditCmd {
    /// What happened to the vault, newest first
    List {
        /// Entries before this number (the previous page's next)
        #[arg(long, value_name = "SEQ")]
        before: Option<u64>,
        /// At most this many (1–1000)
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value = "en", value_parser = parser::<Language>())]
        lang: Language,
    },
    /// Check the log's chain: nothing changed, removed or added behind the app's back (exit
    /// status 1 if it breaks); no PIN needed
    Verify {
        #[arg(long, default_value = "en", value_parser = parser::<Language>())]
        lang: Language,
    },
}

#[derive(Subcommand)]
pub enum DuressPinCmd {
    /// Set a PIN that silently wipes the vault when it is entered; it comes from
    /// $BROBYGGER_DURESS_PIN, else a prompt (twice), else a line on stdin
    Set {
        /// Refused: a PIN on the command line stays in the shell history and the process list
        #[arg(long, hide = true, value_name = "PIN")]
        duress_pin: Option<String>,
    },
    /// Remove the duress PIN
    Remove,
}

#[derive(Subcommand)]
pub enum WipeAfterCmd {
    /// Wipe the vault after this many days without an unlock (counted from now)
    Set {
        /// 1–365
        #[arg(long, value_name = "N")]
        days: u32,
    },
    /// Never wipe for days without an unlock
    Off,
}

// Files

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A file to be written must be new: refused before the PIN is asked for.
pub fn check_new_file(path: &Path, flag: &str) -> Result<(), CliError> {
    if path.is_dir() {
        return Err(CliError::path("output_exists", flag, format!("{} is a folder, not a file", path.display())));
    }
    if path.exists() {
        return Err(CliError::path(
            "output_exists",
            flag,
            format!("{} already exists; name a new file", path.display()),
        ));
    }
    Ok(())
}

/// Writes a new file only its owner can read (0600): it holds personal data in clear.
pub fn write_private(path: &Path, bytes: &[u8], flag: &str) -> Result<(), CliError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => {
            CliError::path("output_exists", flag, format!("{} already exists; name a new file", path.display()))
        }
        k => CliError::path("output", flag, format!("cannot write {}: {k}", path.display())),
    })?;
    let written = f.write_all(bytes).and_then(|_| f.sync_all());
    written.map_err(|e| {
        // Half a document is no answer to anyone: take it back out.
        let _ = std::fs::remove_file(path);
        CliError::path("output", flag, format!("cannot write {}: {}", path.display(), e.kind()))
    })
}

fn existing_file(path: &Path, flag: &str) -> Result<(), CliError> {
    if path.is_file() {
        Ok(())
    } else {
        Err(CliError::path("no_such_file", flag, format!("{} is not a file", path.display())))
    }
}

// Backup and restore

pub fn backup(ctx: &Ctx, cmd: BackupCmd) -> Reply {
    match cmd {
        BackupCmd::Create { out } => create(ctx, &out),
        BackupCmd::Verify { file, lang, recovery_key } => {
            refuse_on_argv(recovery_key.as_deref(), "--recovery-key", "BROBYGGER_RECOVERY_KEY")?;
            verify(&file, lang)
        }
    }
}

fn create(ctx: &Ctx, out: &Path) -> Reply {
    check_new_file(out, "--out")?;
    let out = absolute(out);
    let vault = ctx.unlocked()?;
    if !vault.lifecycle_status(Language::En)?.backup_ready {
        return Err(CliError::failed(
            "backup_not_ready",
            "backups need a new recovery key first: make one with `brobygger recovery-key rotate`",
        ));
    }
    let info = vault.create_backup(out.display().to_string())?;
    Ok(answer(
        json!({"path": info.path, "bytes": info.bytes, "created_at": rfc3339(info.created_at)}),
        format!(
            "Backup written to {} ({} bytes, {}).\nOnly the recovery key opens it; keep it away from this computer.",
            info.path,
            info.bytes,
            home(info.created_at)
        ),
    ))
}

fn defect_json(d: BackupDefect) -> Value {
    let mut j = json!({"code": backup_defect_code(d)});
    match d {
        BackupDefect::NewerFormat { found } => j["found"] = json!(found),
        BackupDefect::Damaged { chunk } => j["chunk"] = json!(chunk),
        BackupDefect::Truncated { chunks } | BackupDefect::TrailingData { chunks } => j["chunks"] = json!(chunks),
        _ => {}
    }
    j
}

fn check_json(c: &BackupCheck) -> Value {
    json!({
        "ok": c.defect.is_none(),
        "defect": c.defect.map(defect_json),
        "message": c.message,
        "created_at": c.created_at.map(rfc3339),
        "schema": c.schema,
        "bytes": c.bytes,
    })
}

/// The failure a defect ends a command with: its code, the catalogue's words.
fn defect_failure(c: &BackupCheck) -> Option<CliError> {
    let d = c.defect?;
    Some(CliError::failed(
        backup_defect_code(d),
        c.message.clone().unwrap_or_else(|| word(backup_defect_code(d)).into()),
    ))
}

fn verify(file: &Path, lang: Language) -> Reply {
    existing_file(file, "FILE")?;
    let key = Zeroizing::new(read_recovery_key()?);
    let c = verify_backup_with_recovery_key(file.display().to_string(), key.to_string(), lang)
        .map_err(|e| CliError::catalogued(e, lang))?;
    let text = match (&c.defect, &c.message) {
        (Some(_), Some(m)) => format!("{}: {m}", file.display()),
        _ => format!(
            "{}: the backup opens whole ({} bytes{}).",
            file.display(),
            c.bytes,
            c.created_at.map(|t| format!(", made {}", home(t))).unwrap_or_default()
        ),
    };
    let mut a = answer(check_json(&c), text);
    a.failure = defect_failure(&c);
    Ok(a)
}

pub fn restore(ctx: &Ctx, from: &Path, lang: Language, typed_key: Option<String>) -> Reply {
    refuse_on_argv(typed_key.as_deref(), "--recovery-key", "BROBYGGER_RECOVERY_KEY")?;
    existing_file(from, "--from")?;
    // Refused before any secret is asked for; the core refuses again, as it must.
    if vault_exists(ctx.dir_string()) {
        return Err(CliError::path(
            "vault_exists",
            "--vault",
            format!("{} holds a vault already; restore into a new or empty folder", ctx.dir.display()),
        ));
    }
    let key = Zeroizing::new(read_recovery_key()?);
    let new_pin = Zeroizing::new(read_new_pin()?);
    let from_s = from.display().to_string();
    let restored = match restore_backup(
        from_s.clone(),
        key.to_string(),
        ctx.dir_string(),
        new_pin.to_string(),
        ctx.key_store(),
        ctx.clock(),
    ) {
        Ok(r) => r,
        Err(e) => {
            ctx.wiped();
            // A file that does not open: say which defect, in the same words as `backup verify`.
            if matches!(
                e,
                BrobyggerError::WrongRecoveryKey
                    | BrobyggerError::Tampered
                    | BrobyggerError::Corrupt
                    | BrobyggerError::NewerSchema { .. }
            ) {
                if let Some(f) =
                    verify_backup_with_recovery_key(from_s, key.to_string(), lang).ok().and_then(|c| defect_failure(&c))
                {
                    return Err(f);
                }
            }
            return Err(CliError::catalogued(e, lang));
        }
    };
    let _session = Session(restored.vault);
    // The restored vault takes the place of one wiped for inactivity: its notice was shown.
    let _ = dismiss_wipe_notice(ctx.dir_string());
    let r = restored.report;
    let mut lines = vec![
        format!("Restored into {}; the new PIN is set.", ctx.dir.display()),
        format!(
            "{} citizens, {} notes, {} appointments, as they were at {} (nothing after that is in it).",
            r.citizens,
            r.notes,
            r.appointments,
            home(r.backup_created_at)
        ),
    ];
    if r.reminders_made_unknown > 0 {
        lines.push(format!(
            "{} reminders were being sent when the backup was made: check them (`brobygger today`).",
            r.reminders_made_unknown
        ));
    }
    if !r.audit_intact {
        lines.push("The backup's audit log did not match its sealed end; it was kept as it was.".into());
    }
    lines.push(word("recovery_key_rotation_advised").into_owned());
    Ok(answer(
        json!({
            "vault": ctx.dir_string(),
            "backup_created_at": rfc3339(r.backup_created_at),
            "citizens": r.citizens,
            "notes": r.notes,
            "appointments": r.appointments,
            "reminders_made_unknown": r.reminders_made_unknown,
            "audit_intact": r.audit_intact,
        }),
        lines.join("\n"),
    ))
}

// Retention

fn retention_json(s: &RetentionSettings) -> Value {
    json!({
        "purge_after_days": s.purge_after_days,
        "flag_final_after_days": s.flag_final_after_days,
        "reduce_appointments_after_days": s.reduce_appointments_after_days,
        "backup_reminder_days": s.backup_reminder_days,
    })
}

pub fn retention_lines(s: &RetentionSettings) -> Vec<String> {
    vec![
        format!("journalised notes purged after {} days", s.purge_after_days),
        format!("final notes flagged when not journalised after {} days", s.flag_final_after_days),
        format!("appointments reduced to counts {} days after they ended", s.reduce_appointments_after_days),
        format!("backup reminder after {} days", s.backup_reminder_days),
    ]
}

pub fn retention(ctx: &Ctx, cmd: RetentionCmd) -> Reply {
    match cmd {
        RetentionCmd::Show => {
            let s = ctx.open()?.lifecycle_status(Language::En)?.retention;
            Ok(answer(retention_json(&s), format!("Retention:\n  {}", retention_lines(&s).join("\n  "))))
        }
        RetentionCmd::Set {
            purge_after_days,
            flag_final_after_days,
            reduce_appointments_after_days,
            backup_reminder_days,
        } => {
            let vault = ctx.unlocked()?;
            let current = vault.lifecycle_status(Language::En)?.retention;
            let s = RetentionSettings {
                purge_after_days: purge_after_days.unwrap_or(current.purge_after_days),
                flag_final_after_days: flag_final_after_days.unwrap_or(current.flag_final_after_days),
                reduce_appointments_after_days: reduce_appointments_after_days
                    .unwrap_or(current.reduce_appointments_after_days),
                backup_reminder_days: backup_reminder_days.unwrap_or(current.backup_reminder_days),
            };
            let r = vault.set_retention_settings(s)?;
            let mut lines = vec![format!("Retention set:\n  {}", retention_lines(&s).join("\n  "))];
            lines.push(format!(
                "Applied now: {} notes purged{}, {} appointments reduced; {} final notes wait to be journalised.",
                r.notes_purged,
                if r.unreadable_purged > 0 { format!(" ({} unreadable)", r.unreadable_purged) } else { String::new() },
                r.appointments_reduced,
                r.final_notes_flagged
            ));
            Ok(answer(
                json!({
                    "retention": retention_json(&s),
                    "notes_purged": r.notes_purged,
                    "unreadable_purged": r.unreadable_purged,
                    "appointments_reduced": r.appointments_reduced,
                    "final_notes_flagged": r.final_notes_flagged,
                }),
                lines.join("\n"),
            ))
        }
    }
}

// The audit log

pub fn audit(ctx: &Ctx, cmd: AuditCmd) -> Reply {
    match cmd {
        AuditCmd::List { before, limit, lang } => {
            let vault = ctx.unlocked()?;
            let p = vault.audit_list(before, limit, lang).map_err(|e| CliError::catalogued(e, lang))?;
            let mut lines: Vec<String> =
                p.entries.iter().map(|e| format!("{:>5}  {}  {}", e.seq, home(e.at), e.text)).collect();
            if p.entries.is_empty() {
                lines.push("No entries.".into());
            }
            if p.unreadable > 0 {
                lines.push(format!("{} entries could not be read.", p.unreadable));
            }
            if let Some(n) = p.next_before {
                lines.push(format!("More: brobygger audit list --before {n}"));
            }
            Ok(answer(
                json!({
                    "entries": p.entries.iter().map(|e| json!({
                        "seq": e.seq, "at": rfc3339(e.at), "kind": e.kind.code(), "text": e.text,
                    })).collect::<Vec<_>>(),
                    "unreadable": p.unreadable,
                    "next_before": p.next_before,
                }),
                lines.join("\n"),
            ))
        }
        AuditCmd::Verify { lang } => {
            let c = ctx.open()?.audit_verify(lang)?;
            let mut a = answer(
                json!({
                    "intact": c.problem.is_none(),
                    "entries": c.entries,
                    "sealed_entries": c.sealed_entries,
                    "problem": c.problem.map(|p| p.code()),
                    "broken_at": c.broken_at,
                    "message": c.message,
                }),
                format!("{} ({} entries)", c.message, c.entries),
            );
            if let Some(p) = c.problem {
                a.failure = Some(CliError::failed(p.code(), c.message.clone()));
            }
            Ok(a)
        }
    }
}

// The access-request export

/// Writes the export of citizen `id` (looked up already) to the new file `out`.
pub fn export(vault: &Vault, id: &str, out: &Path, lang: Option<Language>) -> Result<Answer, CliError> {
    let id = id.to_string();
    // The document is for the citizen: in their language unless asked otherwise.
    let lang = match lang {
        Some(l) => l,
        None => match vault.get_citizen(id.clone())?.language {
            SmsLanguage::Da => Language::Da,
            SmsLanguage::En => Language::En,
        },
    };
    let html = vault.export_citizen(id.clone(), lang).map_err(|e| CliError::catalogued(e, lang))?;
    write_private(out, html.as_bytes(), "--out")?;
    let path = absolute(out).display().to_string();
    Ok(answer(
        json!({"citizen_id": id, "file": path, "bytes": html.len(), "language": lang.code()}),
        format!(
            "Wrote everything recorded about the citizen to {path} ({} bytes, 0600). \
             Hand it over, then delete it: the vault keeps no copy.",
            html.len()
        ),
    ))
}

// The emergency wipes

pub fn duress_pin(ctx: &Ctx, cmd: DuressPinCmd) -> Reply {
    match cmd {
        DuressPinCmd::Set { duress_pin } => {
            refuse_on_argv(duress_pin.as_deref(), "--duress-pin", "BROBYGGER_DURESS_PIN")?;
            let vault = ctx.unlocked()?;
            let pin = read_other_pin("BROBYGGER_DURESS_PIN", "duress PIN")?;
            vault.set_duress_pin(Some(pin.to_string()))?;
            Ok(answer(
                json!({"duress_pin_set": true}),
                "Duress PIN set: entered instead of the PIN, it wipes the vault without a word. \
                 A PIN change or a recovery removes it.",
            ))
        }
        DuressPinCmd::Remove => {
            ctx.unlocked()?.set_duress_pin(None)?;
            Ok(answer(json!({"duress_pin_set": false}), "Duress PIN removed."))
        }
    }
}

pub fn wipe_after(ctx: &Ctx, cmd: WipeAfterCmd) -> Reply {
    let days = match cmd {
        WipeAfterCmd::Set { days } => Some(days),
        WipeAfterCmd::Off => None,
    };
    ctx.unlocked()?.set_inactivity_wipe_days(days)?;
    Ok(match days {
        Some(d) => answer(
            json!({"wipe_after_days": d}),
            format!("The vault is wiped after {d} days without an unlock (counted from now)."),
        ),
        None => answer(json!({"wipe_after_days": null}), "The vault is never wiped for days without an unlock."),
    })
}

// Status

pub fn status_json(s: &LifecycleStatus) -> Value {
    json!({
        "last_backup_at": s.last_backup_at.map(rfc3339),
        "backup_age_days": s.backup_age_days,
        "backup_overdue": s.backup_overdue,
        "backup_message": s.backup_message,
        "backup_ready": s.backup_ready,
        "retention": retention_json(&s.retention),
        "final_notes_flagged": s.final_notes_flagged,
        "wipe_after_days": s.inactivity_wipe_days,
        "days_until_wipe": s.days_until_inactivity_wipe,
        "duress_pin_set": s.duress_pin_set,
        "audit_entries": s.audit_entries,
    })
}

pub fn status_lines(s: &LifecycleStatus) -> Vec<String> {
    let mut lines = vec![s.backup_message.clone()];
    if !s.backup_ready {
        lines.push("backups need a new recovery key first (`brobygger recovery-key rotate`)".into());
    }
    lines.push(format!("retention: {}", retention_lines(&s.retention).join("; ")));
    if s.final_notes_flagged > 0 {
        lines.push(format!(
            "{} final notes not journalised after {} days",
            s.final_notes_flagged, s.retention.flag_final_after_days
        ));
    }
    lines.push(if s.duress_pin_set { "duress PIN set".into() } else { "no duress PIN".into() });
    lines.push(match (s.inactivity_wipe_days, s.days_until_inactivity_wipe) {
        (Some(d), Some(left)) => format!("wiped after {d} days without an unlock ({left} days left)"),
        (Some(d), None) => format!("wiped after {d} days without an unlock"),
        (None, _) => "never wiped for days without an unlock".into(),
    });
    lines.push(format!("audit log: {} entries", s.audit_entries));
    lines
}
