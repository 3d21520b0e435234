//! The CLI is a shell, so it may read the system clock and hand it to the core; `--now`
//! replaces it with a fixed instant for scripts and tests.

use brobygger_ffi::Clock;
use std::time::SystemTime;

pub struct CliClock {
    fixed: Option<SystemTime>,
}

impl CliClock {
    pub fn new(fixed: Option<SystemTime>) -> Self {
        CliClock { fixed }
    }
}

impl Clock for CliClock {
    fn now(&self) -> SystemTime {
        self.fixed.unwrap_or_else(SystemTime::now)
    }
}
