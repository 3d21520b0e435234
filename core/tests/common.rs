//! Shared set-up for the core's integration tests: real vault files in temp folders.
#![allow(dead_code)]

use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::{ManualClock, Vault};
use chrono::{TimeZone, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const PIN: &str = "135790";
/// Cheap KDF for speed; the production cost is tested through the FFI and Kotlin suites.
pub const TEST_ITERATIONS: u32 = 1_000;

pub struct Fixture {
    pub _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub keys: Arc<MemoryKeyStore>,
    pub clock: Arc<ManualClock>,
    pub vault: Vault,
    pub recovery_key: String,
}

pub fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let keys = Arc::new(MemoryKeyStore::new());
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).unwrap()));
    let created = Vault::create_with_test_kdf(&dir, PIN, keys.clone(), clock.clone(), TEST_ITERATIONS).unwrap();
    Fixture { _tmp: tmp, dir, keys, clock, vault: created.vault, recovery_key: created.recovery_key.to_string() }
}

impl Fixture {
    /// Closes the vault and opens it again from disk (locked).
    pub fn reopen(&mut self) -> Result<(), brobygger_core::CoreError> {
        let placeholder = Vault::open(&self.dir, self.keys.clone(), self.clock.clone())?;
        self.vault = placeholder;
        Ok(())
    }
}

/// Every regular file under `dir`, with its bytes.
pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Files under `dir` that contain `needle` anywhere.
pub fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files(dir).into_iter().filter(|(_, b)| contains(b, needle)).map(|(p, _)| p).collect()
}
