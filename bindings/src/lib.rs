//! brobygger-ffi: the uniffi surface of Brobygger's core, for the Android and iOS shells
//! (generated Kotlin and Swift) and, as a plain Rust API, for the desktop CLI.

uniffi::setup_scaffolding!();

mod error;
mod platform;
mod scheduling;
mod types;
mod vault;

pub use error::BrobyggerError;
pub use platform::{Clock, KeyStore, KeyStoreAdapter, KeyStoreError};
pub use scheduling::*;
pub use types::*;
pub use vault::{create_vault, vault_exists, CreatedVault, Vault};

/// The core's version, for the shells' about screens and support.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
