//! Kills in the middle of a purge, a backup and a restore (SIGKILL, at random moments): the
//! vault is always whole afterwards — all of a purge or none of it, with its audit entry; a
//! backup file complete or absent; a restored vault that opens with the new PIN, or none.
//!
//! The test runs itself as a child process (`child`, ignored when run directly), kills it,
//! and checks the files. Platform keys live in files here, so they outlive the child.
//! `BROBYGGER_LIFECYCLE_KILLS=200 cargo test --release -p brobygger-core --test lifecycle_crash`
//! runs more kills.

mod common;

use brobygger_core::backup;
use brobygger_core::crypto::envelope::{self, Aad};
use brobygger_core::crypto::SecretKey;
use brobygger_core::*;
use chrono::{Duration, TimeZone, Utc};
use common::{PIN, TEST_ITERATIONS};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

const NEW_PIN: &str = "975310";
const NOTES: usize = 120;

/// Platform keys kept in files (one per key), written by rename so a kill never leaves half a key.
struct FileKeyStore(PathBuf);

impl FileKeyStore {
    fn key(&self, name: &str, create: bool) -> Result<SecretKey, KeyStoreFailure> {
        let path = self.0.join(name);
        match std::fs::read(&path) {
            Ok(b) => {
                SecretKey::from_slice(&b).map_err(|_| KeyStoreFailure::new(KeyStoreFailureKind::Failed, "bad key"))
            }
            Err(_) if create => {
                let k = SecretKey::generate().unwrap();
                let tmp = self.0.join(format!("{name}.tmp"));
                std::fs::write(&tmp, k.as_bytes()).unwrap();
                std::fs::rename(&tmp, &path).unwrap();
                Ok(k)
            }
            Err(_) => Err(KeyStoreFailure::missing()),
        }
    }
}

impl KeyStore for FileKeyStore {
    fn pin_factor(&self, name: &str, input: &[u8], create: bool) -> Result<Vec<u8>, KeyStoreFailure> {
        let k = self.key(name, create)?;
        Ok(ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, k.as_bytes()), input).as_ref().to_vec())
    }
    fn wrap(&self, name: &str, purpose: KeyPurpose, secret: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        let k = self.key(name, true)?;
        envelope::seal(&k, 0, Aad::new("keystore", name, purpose.as_str()), secret)
            .map_err(|_| KeyStoreFailure::new(KeyStoreFailureKind::Failed, "seal"))
    }
    fn unwrap(&self, name: &str, purpose: KeyPurpose, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        let k = self.key(name, false)?;
        envelope::open(&k, Aad::new("keystore", name, purpose.as_str()), wrapped)
            .map(|z| z.to_vec())
            .map_err(|_| KeyStoreFailure::new(KeyStoreFailureKind::Failed, "open"))
    }
    fn delete_key(&self, name: &str) -> Result<(), KeyStoreFailure> {
        let _ = std::fs::remove_file(self.0.join(name));
        Ok(())
    }
}

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).unwrap()
}

/// The moment the child works at: 40 days on, past the purge period.
fn later() -> chrono::DateTime<Utc> {
    start() + Duration::days(40)
}

struct Place {
    root: PathBuf,
}

impl Place {
    fn vault(&self) -> PathBuf {
        self.root.join("vault")
    }
    fn keys(&self) -> PathBuf {
        self.root.join("keys")
    }
    fn backup(&self) -> PathBuf {
        self.root.join("b.bbk")
    }
    fn target(&self) -> PathBuf {
        self.root.join("restored")
    }
    fn target_keys(&self) -> PathBuf {
        self.root.join("restored-keys")
    }
    fn key_store(&self) -> Arc<FileKeyStore> {
        Arc::new(FileKeyStore(self.keys()))
    }
}

/// A vault with `NOTES` journalised notes, a backup of it, and its recovery key.
fn base(root: &Path) -> String {
    let p = Place { root: root.to_path_buf() };
    std::fs::create_dir_all(p.keys()).unwrap();
    let clock = Arc::new(ManualClock::new(start()));
    let created = Vault::create_with_test_kdf(&p.vault(), PIN, p.key_store(), clock, TEST_ITERATIONS).unwrap();
    let v = created.vault;
    let c = v.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    for i in 0..NOTES {
        let n = v
            .create_note(NoteInput {
                citizen_id: Some(c.id.clone()),
                text: format!("Samtale {i}: {}", "kaffe og snak ".repeat(20)),
                topics: vec![Topic::Other],
                ..Default::default()
            })
            .unwrap();
        v.finalize_note(&n.id).unwrap();
        v.mark_journalised(&n.id, "J-1").unwrap();
    }
    v.create_backup(&p.backup()).unwrap();
    v.lock();
    created.recovery_key.to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The child: one operation at `later()`, in the place the environment names.
#[test]
#[ignore]
fn child() {
    let Ok(root) = std::env::var("BROBYGGER_CRASH_PLACE") else { return };
    let op = std::env::var("BROBYGGER_CRASH_OP").unwrap();
    let p = Place { root: root.into() };
    let clock = Arc::new(ManualClock::new(later()));
    match op.as_str() {
        // Unlocking runs the retention: the purge of every note.
        "purge" => {
            let v = Vault::open(&p.vault(), p.key_store(), clock).unwrap();
            v.unlock(PIN).unwrap();
        }
        "backup" => {
            let v = Vault::open(&p.vault(), p.key_store(), clock).unwrap();
            v.unlock(PIN).unwrap();
            v.create_backup(&p.root.join("second.bbk")).unwrap();
        }
        "restore" => {
            let key = std::fs::read_to_string(p.root.join("recovery")).unwrap();
            std::fs::create_dir_all(p.target_keys()).unwrap();
            let keys = Arc::new(FileKeyStore(p.target_keys()));
            backup::restore_files(&p.backup(), &key, &p.target(), NEW_PIN, keys, clock).unwrap();
        }
        _ => unreachable!(),
    }
    println!("CHILD-DONE");
}

fn run_child(place: &Path, op: &str, kill_after: Option<std::time::Duration>) -> bool {
    let mut c = Command::new(std::env::current_exe().unwrap())
        .args(["child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("BROBYGGER_CRASH_PLACE", place)
        .env("BROBYGGER_CRASH_OP", op)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    if let Some(after) = kill_after {
        std::thread::sleep(after);
        let _ = c.kill();
    }
    let out = c.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).contains("CHILD-DONE")
}

/// A cheap deterministic sequence of kill moments.
fn moments(n: usize, span: std::time::Duration) -> Vec<std::time::Duration> {
    let mut x: u64 = 0x9e3779b97f4a7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            span.mul_f64((x % 10_000) as f64 / 10_000.0)
        })
        .collect()
}

/// Checks a purge was all or nothing; returns whether it had happened.
fn check_purge(p: &Place) -> bool {
    let conn = Connection::open(p.vault().join("vault.db")).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let notes: i64 = conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0)).unwrap();
    let days: i64 = conn.query_row("SELECT count(*) FROM note_tallies", [], |r| r.get(0)).unwrap();
    let purged: i64 =
        conn.query_row("SELECT count(*) FROM audit_log WHERE kind = 'notes_purged'", [], |r| r.get(0)).unwrap();
    drop(conn);
    assert!(
        (notes == NOTES as i64 && days == 0 && purged == 0) || (notes == 0 && days == 1 && purged == 1),
        "half a purge: {notes} notes, {days} tallies, {purged} audit entries"
    );
    let clock = Arc::new(ManualClock::new(later()));
    let v = Vault::open(&p.vault(), p.key_store(), clock).unwrap();
    assert!(v.audit_verify().unwrap().intact(), "{:?}", v.audit_verify());
    v.unlock(PIN).unwrap();
    assert_eq!(v.purged_note_counts(start().date_naive(), start().date_naive()).unwrap().notes as usize, NOTES);
    assert!(v.audit_verify().unwrap().intact());
    notes == 0
}

fn check_backup(p: &Place, recovery: &str) {
    let second = p.root.join("second.bbk");
    if second.exists() {
        assert!(backup::verify_backup_with_recovery_key(&second, recovery).unwrap().ok(), "a backup file is whole");
    }
    let v = Vault::open(&p.vault(), p.key_store(), Arc::new(ManualClock::new(later()))).unwrap();
    v.unlock(PIN).unwrap();
    assert!(v.audit_verify().unwrap().intact());
    // A backup made after the kill goes through, whatever the kill left.
    let _ = std::fs::remove_file(&second);
    v.create_backup(&second).unwrap();
}

fn check_restore(p: &Place, recovery: &str) {
    let keys = Arc::new(FileKeyStore(p.target_keys()));
    let clock = Arc::new(ManualClock::new(later()));
    if p.target().join("vault.db").exists() {
        let v = Vault::open(&p.target(), keys.clone(), clock.clone()).unwrap();
        v.unlock(NEW_PIN).unwrap();
        assert!(v.audit_verify().unwrap().intact());
        assert_eq!(
            backup::restore_files(&p.backup(), recovery, &p.target(), NEW_PIN, keys, clock).unwrap_err(),
            CoreError::VaultExists
        );
    } else {
        assert!(Vault::open(&p.target(), keys.clone(), clock.clone()).is_err(), "no vault that opens");
        std::fs::create_dir_all(p.target_keys()).unwrap();
        backup::restore_files(&p.backup(), recovery, &p.target(), NEW_PIN, keys.clone(), clock.clone()).unwrap();
        let v = Vault::open(&p.target(), keys, clock).unwrap();
        v.unlock(NEW_PIN).unwrap();
    }
}

#[test]
fn kills_mid_purge_backup_and_restore_leave_everything_whole() {
    if std::env::var("BROBYGGER_CRASH_PLACE").is_ok() {
        return;
    }
    let kills: usize = std::env::var("BROBYGGER_LIFECYCLE_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(6);
    let tmp = tempfile::tempdir().unwrap();
    let base_dir = tmp.path().join("base");
    let recovery = base(&base_dir);
    std::fs::write(base_dir.join("recovery"), &recovery).unwrap();
    let mut seen_done = 0;
    let mut purged = [0usize; 2];
    for op in ["purge", "backup", "restore"] {
        // How long the whole operation takes, child start included, to spread the kills over.
        let timing = tmp.path().join(format!("{op}-timing"));
        copy_dir(&base_dir, &timing);
        let t = Instant::now();
        assert!(run_child(&timing, op, None), "{op} runs to its end");
        let span = t.elapsed().mul_f64(1.1);
        for (i, at) in moments(kills, span).into_iter().enumerate() {
            let dir = tmp.path().join(format!("{op}-{i}"));
            copy_dir(&base_dir, &dir);
            let done = run_child(&dir, op, Some(at));
            seen_done += usize::from(done);
            let p = Place { root: dir.clone() };
            match op {
                "purge" => purged[usize::from(check_purge(&p))] += 1,
                "backup" => check_backup(&p, &recovery),
                _ => check_restore(&p, &recovery),
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    eprintln!(
        "{} kills, {seen_done} after the operation had finished; purge killed before its commit {} times, after {}",
        3 * kills,
        purged[0],
        purged[1]
    );
}
