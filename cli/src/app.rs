//! What every command shares: the vault folder and clock, opening and unlocking, reading
//! secrets without putting them in argv, the answer a command gives and the errors it ends with.

use brobygger_cli::{clock, keystore};
use brobygger_ffi::*;
use serde_json::Value;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;
use zeroize::Zeroizing;

/// Why a command ended without doing its job. Exit status 2 for `Usage`, 1 for the rest.
#[derive(Debug)]
pub enum CliError {
    /// The core refused; its field names are turned into the flags typed (see `commands::flags`).
    Core(BrobyggerError),
    /// The command line itself is wrong (a missing `--yes`, a flag that is refused).
    Usage(String),
    /// A value typed for `flag` is not acceptable before the core is even asked.
    Input { flag: String, message: String },
    /// An id prefix matched no record, or several.
    Lookup { code: &'static str, flag: String, message: String },
    /// Anything else, with a stable code (`no_pin`, `sender_failed`, ...).
    Failed { code: &'static str, message: String },
    /// The core refused an input of a command that speaks `--lang`: worded from the core's
    /// message catalogue in that language, still naming the flag typed.
    Catalogued { error: BrobyggerError, language: Language },
    /// A file or folder named for `flag` cannot be used as asked (it exists, it cannot be
    /// written).
    Path { code: &'static str, flag: String, message: String },
    /// No vault, because it was wiped after days without an unlock: the notice it left, in
    /// the core's words (code `no_vault`, as for any folder without a vault).
    Wiped(WipeNotice),
}

impl CliError {
    pub fn input(flag: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        CliError::Input { flag: flag.to_string(), message: format!("{flag}: {message}") }
    }

    pub fn failed(code: &'static str, message: impl Into<String>) -> Self {
        CliError::Failed { code, message: message.into() }
    }

    /// A core error in the catalogue's words when it is about what was typed (a refused
    /// input, a record not found); any other error keeps the CLI's own words and hints.
    pub fn catalogued(error: BrobyggerError, language: Language) -> Self {
        match error {
            BrobyggerError::InvalidInput { .. } | BrobyggerError::NotFound { .. } => {
                CliError::Catalogued { error, language }
            }
            other => CliError::Core(other),
        }
    }

    pub fn path(code: &'static str, flag: &str, message: impl Into<String>) -> Self {
        CliError::Path { code, flag: flag.to_string(), message: format!("{flag}: {}", message.into()) }
    }
}

impl From<BrobyggerError> for CliError {
    fn from(e: BrobyggerError) -> Self {
        CliError::Core(e)
    }
}

/// A command's answer: JSON for `--json`, text otherwise; `failure` when the command did
/// its part but must still end non-zero (a sender that failed, a damaged file).
pub struct Answer {
    pub json: Value,
    pub text: String,
    pub failure: Option<CliError>,
}

pub fn answer(json: Value, text: impl Into<String>) -> Answer {
    Answer { json, text: text.into(), failure: None }
}

pub type Reply = Result<Answer, CliError>;

/// The folder, the clock and how to reach the vault.
pub struct Ctx {
    pub dir: PathBuf,
    pub now: Option<SystemTime>,
}

/// An unlocked vault that locks itself when the command is done, as the phone does when the
/// app leaves the foreground: the ledger is anchored and the keys leave memory.
pub struct Session(pub Arc<Vault>);

impl std::ops::Deref for Session {
    type Target = Vault;
    fn deref(&self) -> &Vault {
        &self.0
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.0.lock();
    }
}

impl Ctx {
    pub fn key_store(&self) -> Arc<dyn KeyStore> {
        Arc::new(keystore::FileKeyStore::new(&self.dir))
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(clock::CliClock::new(self.now))
    }

    pub fn dir_string(&self) -> String {
        self.dir.display().to_string()
    }

    /// The vault, locked.
    ///
    /// Every run of the CLI is an app start, so this is where the wipe after days without an
    /// unlock is enforced, as the phones do at start: before anything is shown, even what
    /// needs no PIN (`status` shows the backup age while locked). An error here does not stop
    /// the command: the core judges the days again before any unlock.
    pub fn open(&self) -> Result<Arc<Vault>, CliError> {
        let vault = Vault::open(self.dir_string(), self.key_store(), self.clock())?;
        if let Ok(true) = vault.enforce_inactivity_wipe() {
            return Err(CliError::Core(BrobyggerError::NoVault));
        }
        Ok(vault)
    }

    /// The vault, unlocked with the PIN.
    pub fn unlocked(&self) -> Result<Session, CliError> {
        let vault = self.open()?;
        unlock(&vault)?;
        Ok(Session(vault))
    }

    /// After a wipe the core has deleted its keys; the key folder goes too when it is empty.
    pub fn wiped(&self) {
        let _ = std::fs::remove_dir(self.dir.join(keystore::KEY_DIR));
    }

    /// A command that found no vault: say so with the notice a wipe for inactivity left. A
    /// vault can vanish under any unlock (a duress PIN, the days ran out), so the folder is
    /// tidied here for every command: it must look freshly installed.
    pub fn explain(&self, e: CliError) -> CliError {
        match e {
            CliError::Core(BrobyggerError::NoVault) => {
                self.wiped();
                match wipe_notice(self.dir_string(), Language::En) {
                    Some(notice) => CliError::Wiped(notice),
                    None => e,
                }
            }
            other => other,
        }
    }

    /// "Now", as the CLI's clock says.
    pub fn now(&self) -> SystemTime {
        self.now.unwrap_or_else(SystemTime::now)
    }

    /// Today's date at home (Copenhagen), by the CLI's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::DateTime::<chrono::Utc>::from(self.now()).with_timezone(&chrono_tz::Europe::Copenhagen).date_naive()
    }
}

/// Unlocks an open vault with the PIN, keeping the same handle (and its locking at the end).
pub fn unlock(vault: &Vault) -> Result<(), CliError> {
    if !vault.is_unlocked() {
        vault.unlock(read_pin("BROBYGGER_PIN", "PIN: ")?)?;
    }
    Ok(())
}

pub fn read_pin(env: &str, prompt: &str) -> Result<String, CliError> {
    if let Ok(pin) = std::env::var(env) {
        return Ok(pin);
    }
    rpassword::prompt_password(prompt)
        .map_err(|_| CliError::failed("no_pin", format!("no PIN: set ${env} or run in a terminal")))
}

pub fn read_new_pin() -> Result<String, CliError> {
    if let Ok(pin) = std::env::var("BROBYGGER_NEW_PIN") {
        return Ok(pin);
    }
    let first = read_pin("BROBYGGER_NEW_PIN", "New PIN: ")?;
    let again = rpassword::prompt_password("New PIN again: ")
        .map_err(|_| CliError::failed("no_pin", "no PIN: set $BROBYGGER_NEW_PIN or run in a terminal"))?;
    if first != again {
        return Err(CliError::Usage("the two PINs differ".into()));
    }
    Ok(first)
}

/// A PIN that is a secret beside the PIN (the duress PIN), never from argv: `$env`, else
/// asked for twice without echo, else a line on stdin.
pub fn read_other_pin(env: &str, what: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(pin) = std::env::var(env) {
        return Ok(Zeroizing::new(pin));
    }
    let none =
        || CliError::failed("no_pin", format!("no {what}: set ${env}, type it at the prompt, or pipe it on stdin"));
    if std::io::stdin().is_terminal() {
        let first = Zeroizing::new(rpassword::prompt_password(format!("{}: ", capital(what))).map_err(|_| none())?);
        let again =
            Zeroizing::new(rpassword::prompt_password(format!("{} again: ", capital(what))).map_err(|_| none())?);
        if *first != *again {
            return Err(CliError::Usage(format!("the two {what}s differ")));
        }
        return Ok(first);
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().read_line(&mut line).map_err(|_| none())?;
    let pin = Zeroizing::new(line.trim().to_string());
    if pin.is_empty() {
        return Err(none());
    }
    Ok(pin)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A secret typed on the command line is refused: it would stay in the shell's history and
/// the process list.
pub fn refuse_on_argv(typed: Option<&str>, flag: &str, env: &str) -> Result<(), CliError> {
    match typed {
        Some(_) => Err(CliError::Usage(format!(
            "{flag} is refused: a secret on the command line stays in the shell history and the process list; \
             set ${env}, type it at the prompt, or pipe it on stdin"
        ))),
        None => Ok(()),
    }
}

/// The recovery key, never from argv (it would stay in the shell's history and the process
/// list): `$BROBYGGER_RECOVERY_KEY`, else a prompt without echo, else a line on stdin.
pub fn read_recovery_key() -> Result<String, CliError> {
    if let Ok(key) = std::env::var("BROBYGGER_RECOVERY_KEY") {
        return Ok(key);
    }
    let none = || {
        CliError::failed(
            "no_recovery_key",
            "no recovery key: set $BROBYGGER_RECOVERY_KEY, type it at the prompt, or pipe it on stdin",
        )
    };
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Recovery key: ").map_err(|_| none());
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|_| none())?;
    let key = line.trim().to_string();
    if key.is_empty() {
        return Err(none());
    }
    Ok(key)
}

/// Parses `--now`.
pub fn parse_now(now: Option<&str>) -> Result<Option<SystemTime>, CliError> {
    now.map(|s| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(SystemTime::from)
            .map_err(|_| CliError::input("--now", "must be an RFC 3339 instant, e.g. 2026-03-30T15:00:00Z"))
    })
    .transpose()
}
