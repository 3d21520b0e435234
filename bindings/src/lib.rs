//! brobygger-ffi: the uniffi surface of Brobygger's core, for the Android and iOS shells
//! (generated Kotlin and Swift) and, as a plain Rust API, for the desktop CLI.
//! See `vault.rs` for which thread may call what (in short: never the main thread).

uniffi::setup_scaffolding!();

mod error;
mod lifecycle;
mod messages;
mod platform;
mod report;
mod scheduling;
mod screens;
mod time;
mod types;
mod vault;

pub use error::BrobyggerError;
pub use lifecycle::*;
pub use messages::*;
pub use platform::{Clock, CoreKeyStore, KeyPurpose, KeyStore, KeyStoreAdapter, KeyStoreError};
pub use report::*;
pub use scheduling::*;
pub use screens::*;
pub use time::{LocalDate, LocalDateTime, LocalTime};
pub use types::*;
pub use vault::{
    check_new_pin, create_vault, salvage_vault, vault_exists, CreatedVault, SalvagedVault, TableSalvage, Vault,
};

/// The core's version, for the shells' about screens and support.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
