//! The desktop shell's platform adapters, shared by the `brobygger` binary and the crash
//! harness: a file-backed key store, the clock, and the console and file SMS senders.

pub mod clock;
pub mod keystore;
pub mod senders;
