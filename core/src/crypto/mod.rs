//! Cryptography: the envelope every personal value is sealed in, the PIN KDF and
//! the key types. Built on ring only; randomness only from `SystemRandom`.

pub mod envelope;
pub mod kdf;
pub mod keys;
pub mod random;
pub mod wiped;

pub use envelope::{open, seal, Aad, EnvelopeError, KeyId};
pub use keys::SecretKey;
