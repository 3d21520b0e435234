//! Backup files: the place for their target, once the core reads them (there is no backup
//! format yet). Nothing here runs today.
//!
//! When the core gains its backup reader, the target follows `database_file.rs`:
//! 1. make one small backup per process (the template vault's citizen, note and
//!    appointment, exported with a fixed passphrase or key), keep its bytes and check once
//!    that the unchanged bytes restore;
//! 2. per input, change a copy with `database_file::mutate` (overwrite, truncate, flip,
//!    copy) and give it to the restore call, into a fresh folder with a fresh key store;
//! 3. expect a restored vault or a `CoreError`, never a panic, and never a restore that
//!    silently yields different rows than were backed up.
//!
//! To switch it on: a `pub fn run(data: &[u8])` here, its line in `TARGETS` (`lib.rs`), a
//! `[[bin]]` named `backup_file` in `Cargo.toml`, `fuzz_targets/backup_file.rs` (four lines,
//! like the others), and a seed corpus in `corpus/backup_file/`. `scripts/fuzz.sh` and the
//! replay test pick up every target in `TARGETS` by themselves.
