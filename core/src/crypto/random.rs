//! The one source of randomness in the core.

use crate::error::{CoreError, CoreResult};
use ring::rand::{SecureRandom, SystemRandom};

pub fn fill(buf: &mut [u8]) -> CoreResult<()> {
    SystemRandom::new().fill(buf).map_err(|_| CoreError::Internal { reason: "system random generator failed" })
}
