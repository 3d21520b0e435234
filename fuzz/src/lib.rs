//! The fuzz targets as plain functions, so that the libFuzzer entry points
//! (`fuzz_targets/*.rs`, `cargo +nightly fuzz run <target>`) and the corpus replay on stable
//! (`tests/replay.rs`) run the same code.
//!
//! Each target feeds one reader of outside input in `brobygger-core` and checks that it
//! answers with a value or a typed error (`CoreError`, `EnvelopeError`) and keeps its
//! promises (round trips, bounds). A panic, here or in the core, is a finding.

pub mod backup_file;
pub mod database_file;
pub mod envelope;
pub mod phone;
pub mod recovery_key;
pub mod sms_text;
pub mod template;

/// A target: one fuzzer input in, a panic if anything went wrong.
pub type Target = fn(&[u8]);

/// Every target by the name of its `fuzz_targets/<name>.rs` and its `corpus/<name>/` folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("envelope", envelope::run),
    ("phone", phone::run),
    ("template", template::run),
    ("recovery_key", recovery_key::run),
    ("sms_text", sms_text::run),
    ("database_file", database_file::run),
    ("backup_file", backup_file::run),
];

/// The fuzzer's bytes as text: invalid UTF-8 is replaced, so every input reaches the
/// parsers (which take `&str`) instead of being thrown away.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Reads structured choices off the front of an input; past its end every read gives zero.
pub struct Bytes<'a> {
    rest: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { rest: data }
    }

    pub fn u8(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((b, rest)) => {
                self.rest = rest;
                *b
            }
            None => 0,
        }
    }

    /// Little-endian, from up to `n` ≤ 8 bytes.
    pub fn uint(&mut self, n: usize) -> u64 {
        (0..n.min(8)).fold(0u64, |acc, i| acc | (u64::from(self.u8()) << (8 * i)))
    }

    /// Up to `n` bytes.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.rest.split_at(n.min(self.rest.len()));
        self.rest = rest;
        head
    }

    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.rest)
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}
