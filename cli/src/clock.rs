//! The CLI is a shell, so it may read the system clock and hand it to the core.

use brobygger_ffi::Clock;
use std::time::SystemTime;

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
