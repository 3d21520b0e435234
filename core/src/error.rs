//! The core's one error type. Every message is fixed text or names a field:
//! no value a caseworker typed ever ends up in an error, a log or a crash report.

use thiserror::Error;

/// Everything that can go wrong in the core, typed so the shells can react.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CoreError {
    #[error("the vault is locked")]
    Locked,
    #[error("wrong PIN; {attempts_left} attempts left")]
    WrongPin { attempts_left: u32 },
    #[error("PIN unlock is disabled after too many wrong PINs; use the recovery key")]
    PinDisabled,
    #[error("wrong recovery key")]
    WrongRecoveryKey,
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
