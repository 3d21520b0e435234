//! The one error type every FFI call can throw. In Kotlin it arrives as the sealed class
//! `BrobyggerException`, in Swift as `enum BrobyggerError: Error`. No variant carries
//! personal data: fields hold counts, field names and fixed reasons only.

use brobygger_core::CoreError;

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum BrobyggerError {
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
    NotFound { what: String },
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },
    #[error("not allowed: {reason}")]
    InvalidState { reason: String },
    #[error("key store failure: {reason}")]
    KeyStore { reason: String },
    #[error("storage failure: {reason}")]
    Storage { reason: String },
    #[error("stored data failed its integrity check (tampered or damaged)")]
    Tampered,
    #[error("the vault file is damaged or is not a Brobygger vault")]
    Corrupt,
    #[error("the vault was written by a newer version (schema {found}, this version knows {supported})")]
    NewerSchema { found: u32, supported: u32 },
    #[error("a vault already exists in this folder")]
    VaultExists,
    #[error("no vault in this folder (or it was wiped)")]
    NoVault,
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<CoreError> for BrobyggerError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Locked => BrobyggerError::Locked,
            CoreError::WrongPin { attempts_left } => BrobyggerError::WrongPin { attempts_left },
            CoreError::PinDelay { seconds } => BrobyggerError::PinDelay { seconds },
            CoreError::BiometricUnavailable => BrobyggerError::BiometricUnavailable,
            CoreError::PlatformKeysMissing => BrobyggerError::PlatformKeysMissing,
            CoreError::PinDisabled => BrobyggerError::PinDisabled,
            CoreError::WrongRecoveryKey => BrobyggerError::WrongRecoveryKey,
            CoreError::NotFound { what } => BrobyggerError::NotFound { what: what.into() },
            CoreError::InvalidInput { field, reason } => {
                BrobyggerError::InvalidInput { field: field.into(), reason: reason.into() }
            }
            CoreError::InvalidState { reason } => BrobyggerError::InvalidState { reason: reason.into() },
            CoreError::KeyStore { reason } => BrobyggerError::KeyStore { reason },
            CoreError::Storage { reason } => BrobyggerError::Storage { reason },
            CoreError::Tampered => BrobyggerError::Tampered,
            CoreError::Corrupt => BrobyggerError::Corrupt,
            CoreError::NewerSchema { found, supported } => BrobyggerError::NewerSchema { found, supported },
            CoreError::VaultExists => BrobyggerError::VaultExists,
            CoreError::NoVault => BrobyggerError::NoVault,
            CoreError::Internal { reason } => BrobyggerError::Internal { reason: reason.into() },
        }
    }
}

impl BrobyggerError {
    /// The stable code, the same as the core's (`wrong_pin`, `invalid_input`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            BrobyggerError::Locked => "locked",
            BrobyggerError::WrongPin { .. } => "wrong_pin",
            BrobyggerError::PinDelay { .. } => "pin_delay",
            BrobyggerError::PinDisabled => "pin_disabled",
            BrobyggerError::WrongRecoveryKey => "wrong_recovery_key",
            BrobyggerError::BiometricUnavailable => "biometric_unavailable",
            BrobyggerError::PlatformKeysMissing => "platform_keys_missing",
            BrobyggerError::NotFound { .. } => "not_found",
            BrobyggerError::InvalidInput { .. } => "invalid_input",
            BrobyggerError::InvalidState { .. } => "invalid_state",
            BrobyggerError::KeyStore { .. } => "key_store",
            BrobyggerError::Storage { .. } => "storage",
            BrobyggerError::Tampered => "tampered",
            BrobyggerError::Corrupt => "corrupt",
            BrobyggerError::NewerSchema { .. } => "newer_schema",
            BrobyggerError::VaultExists => "vault_exists",
            BrobyggerError::NoVault => "no_vault",
            BrobyggerError::Internal { .. } => "internal",
        }
    }
}

/// Runs an FFI call so that a panic, which should never happen, still arrives as a typed
/// error instead of tearing through the foreign runtime. In the phones' build
/// (`release-size`, `panic = "abort"`) a panic ends the process instead (see Cargo.toml).
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, BrobyggerError>) -> Result<T, BrobyggerError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or(Err(BrobyggerError::Internal { reason: "unexpected failure inside the core".into() }))
}
