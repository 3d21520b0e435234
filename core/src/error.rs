//! The core's one error type. Every message is fixed text or names a field:
//! no value a caseworker typed ever ends up in an error, a log or a crash report.
//! The Danish and English words shown to people come from `messages`, by [`CoreError::code`].

use thiserror::Error;

/// Everything that can go wrong in the core, typed so the shells can react.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CoreError {
    #[error("the vault is locked")]
    Locked,
    #[error("wrong PIN; {attempts_left} attempts left")]
    WrongPin { attempts_left: u32 },
    #[error("too many wrong PINs in a row; wait {seconds} seconds before the next try")]
    PinDelay { seconds: u32 },
    #[error("PIN unlock is disabled after too many wrong PINs; use the recovery key")]
    PinDisabled,
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    #[error("biometric unlock is not set up or no longer valid; use the PIN")]
    BiometricUnavailable,
    #[error("the phone's key store no longer holds this vault's keys; open it with the recovery key")]
    PlatformKeysMissing,
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: &'static str, reason: &'static str },
    #[error("not allowed: {reason}")]
    InvalidState { reason: &'static str },
    #[error("key store failure: {reason}")]
    KeyStore { reason: String },
    #[error("storage failure: {reason}")]
    Storage { reason: String },
    #[error("stored data failed its integrity check (tampered or damaged)")]
    Tampered,
    #[error("the vault file is damaged or is not a Brobygger vault")]
    Corrupt,
    #[error("the vault was written by a newer version of Brobygger (schema {found}, this version knows {supported})")]
    NewerSchema { found: u32, supported: u32 },
    #[error("a vault already exists in this folder")]
    VaultExists,
    #[error("no vault in this folder (or it was wiped)")]
    NoVault,
    #[error("internal error: {reason}")]
    Internal { reason: &'static str },
}

pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    pub(crate) fn invalid(field: &'static str, reason: &'static str) -> Self {
        CoreError::InvalidInput { field, reason }
    }

    /// The stable code of the error (`wrong_pin`, `invalid_input`, ...): what scripts and the
    /// CLI's JSON see, and what the message catalogue is keyed by. Never changes with a rename.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Locked => "locked",
            CoreError::WrongPin { .. } => "wrong_pin",
            CoreError::PinDelay { .. } => "pin_delay",
            CoreError::PinDisabled => "pin_disabled",
            CoreError::WrongRecoveryKey => "wrong_recovery_key",
            CoreError::BiometricUnavailable => "biometric_unavailable",
            CoreError::PlatformKeysMissing => "platform_keys_missing",
            CoreError::NotFound { .. } => "not_found",
            CoreError::InvalidInput { .. } => "invalid_input",
            CoreError::InvalidState { .. } => "invalid_state",
            CoreError::KeyStore { .. } => "key_store",
            CoreError::Storage { .. } => "storage",
            CoreError::Tampered => "tampered",
            CoreError::Corrupt => "corrupt",
            CoreError::NewerSchema { .. } => "newer_schema",
            CoreError::VaultExists => "vault_exists",
            CoreError::NoVault => "no_vault",
            CoreError::Internal { .. } => "internal",
        }
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match &err {
            rusqlite::Error::SqliteFailure(e, _) => match e.code {
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => CoreError::Corrupt,
                // SQLite's own text for the code only: the extended message can quote SQL.
                code => CoreError::Storage { reason: format!("sqlite {code:?} ({})", e.extended_code) },
            },
            rusqlite::Error::QueryReturnedNoRows => CoreError::Storage { reason: "expected row missing".into() },
            rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::FromSqlConversionFailure(..) => {
                CoreError::Corrupt
            }
            _ => CoreError::Storage { reason: "database call failed".into() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_pinned() {
        let all = [
            (CoreError::Locked, "locked"),
            (CoreError::WrongPin { attempts_left: 1 }, "wrong_pin"),
            (CoreError::PinDelay { seconds: 1 }, "pin_delay"),
            (CoreError::PinDisabled, "pin_disabled"),
            (CoreError::WrongRecoveryKey, "wrong_recovery_key"),
            (CoreError::BiometricUnavailable, "biometric_unavailable"),
            (CoreError::PlatformKeysMissing, "platform_keys_missing"),
            (CoreError::NotFound { what: "note" }, "not_found"),
            (CoreError::InvalidInput { field: "f", reason: "r" }, "invalid_input"),
            (CoreError::InvalidState { reason: "r" }, "invalid_state"),
            (CoreError::KeyStore { reason: "r".into() }, "key_store"),
            (CoreError::Storage { reason: "r".into() }, "storage"),
            (CoreError::Tampered, "tampered"),
            (CoreError::Corrupt, "corrupt"),
            (CoreError::NewerSchema { found: 2, supported: 1 }, "newer_schema"),
            (CoreError::VaultExists, "vault_exists"),
            (CoreError::NoVault, "no_vault"),
            (CoreError::Internal { reason: "r" }, "internal"),
        ];
        for (e, code) in all {
            assert_eq!(e.code(), code);
        }
    }
}
