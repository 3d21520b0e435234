//! Runs every target over its committed corpus (`corpus/<target>/`) on stable Rust, without
//! libFuzzer: `cargo test --no-default-features --test replay`. What `scripts/fuzz.sh` falls
//! back to where `cargo +nightly` is missing, so CI still proves every target runs and that
//! no input found so far makes the core panic.

use brobygger_fuzz::TARGETS;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.map(|e| e.path()).unwrap_or_else(|e| panic!("{}: {e}", dir.display())))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let files = corpus(target);
    assert!(!files.is_empty(), "corpus/{target} is empty");
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(&data))) {
            eprintln!("{target}: {} panicked", file.display());
            resume_unwind(panic);
        }
    }
    files.len()
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let (_, run) = TARGETS.iter().find(|(n, _)| *n == stringify!($name)).expect("listed in TARGETS");
            let n = replay(stringify!($name), *run);
            eprintln!("{}: {n} inputs replayed", stringify!($name));
        }
    )*};
}

replay_tests!(envelope, phone, template, recovery_key, sms_text, database_file, backup_file);

/// Every target in `TARGETS` has a replay test above, a libFuzzer entry point and a corpus,
/// and every corpus folder belongs to a target.
#[test]
fn targets_entry_points_and_corpora_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tested = ["envelope", "phone", "template", "recovery_key", "sms_text", "database_file", "backup_file"];
    let listed: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, tested);
    for name in &listed {
        assert!(root.join("fuzz_targets").join(format!("{name}.rs")).is_file(), "fuzz_targets/{name}.rs");
    }
    for entry in std::fs::read_dir(root.join("corpus")).expect("corpus/") {
        let name = entry.expect("corpus entry").file_name().to_string_lossy().into_owned();
        assert!(listed.contains(&name.as_str()), "corpus/{name} belongs to no target");
    }
}
