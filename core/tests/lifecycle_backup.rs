//! Backup and restore (SPEC §2 H): a backup holds the whole vault and nothing in clear, is
//! refused when damaged in any way, and restores on a new phone into a vault identical in
//! content, with new platform keys, whose outbox sends nothing twice.

mod common;
mod lifecycle_support;

use brobygger_core::backup::{self, BackupDefect};
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::*;
use chrono::Duration;
use common::*;
use lifecycle_support::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const NEW_PIN: &str = "975310";

/// Columns a restore changes by design: the vault's own keys and state, and the outbox's
/// transient columns (the payload under the old phone's outbox key; claims made unknown).
const CHANGED_BY_RESTORE: &[&str] = &[
    "vault_meta.vault_id",
    "vault_meta.recovery_wrap",
    "vault_meta.pin_factor_key",
    "vault_meta.state_key",
    "vault_meta.state_secret",
    "vault_meta.state",
    "vault_meta.previous_state_key",
    "vault_meta.outbox_key_wrapped",
    "reminders.payload",
    "reminders.updated_at",
];

type Dump = std::collections::BTreeMap<String, Vec<Vec<(String, rusqlite::types::Value)>>>;

/// Every record of every table is the same, but for what a restore changes by design; the
/// restored log is the backup's, then the restore itself (the source went on to record the
/// backup after its snapshot).
fn assert_restored_equals(mut before: Dump, mut after: Dump) {
    let is_kind = |e: &Vec<(String, rusqlite::types::Value)>, k: &str| {
        e.iter().any(|(c, v)| c == "kind" && *v == rusqlite::types::Value::Text(k.into()))
    };
    let restored_log = after.remove("audit_log").unwrap();
    let source_log = before.remove("audit_log").unwrap();
    let (last, kept) = restored_log.split_last().unwrap();
    assert!(is_kind(last, "restored"));
    assert_eq!(kept, &source_log[..kept.len()]);
    assert!(source_log[kept.len()..].iter().all(|e| is_kind(e, "backup_created")));
    for (table, rows) in &before {
        assert_eq!(Some(rows), after.get(table), "table {table} differs");
    }
    assert_eq!(before.len(), after.len());
}

fn backup_path(f: &Fixture, name: &str) -> PathBuf {
    f._tmp.path().join(name)
}

fn new_phone() -> Arc<MemoryKeyStore> {
    Arc::new(MemoryKeyStore::new())
}

#[test]
fn a_backup_restores_on_a_new_phone_identical_in_every_record() {
    let f = fixture();
    let (ole, _) = populate(&f.vault, &f.clock);
    let out = backup_path(&f, "backup.bbk");
    let info = f.vault.create_backup(&out).unwrap();
    assert_eq!(info.bytes, std::fs::metadata(&out).unwrap().len());
    f.vault.lock();
    let before = dump(&f.dir.join("vault.db"), CHANGED_BY_RESTORE);

    let target = f._tmp.path().join("new-phone");
    let keys = new_phone();
    let report = backup::restore_files(&out, &f.recovery_key, &target, NEW_PIN, keys.clone(), f.clock.clone()).unwrap();
    assert_eq!((report.citizens, report.notes), (2, 4));
    assert!(report.audit_intact);
    assert_restored_equals(before, dump(&target.join("vault.db"), CHANGED_BY_RESTORE));

    // It opens with the new PIN on the new phone's keys, and reads as the old one did.
    let v = Vault::open(&target, keys.clone(), f.clock.clone()).unwrap();
    v.unlock(NEW_PIN).unwrap();
    assert_eq!(v.get_citizen(&ole.id).unwrap(), {
        f.vault.unlock(PIN).unwrap();
        f.vault.get_citizen(&ole.id).unwrap()
    });
    let old_notes = f.vault.list_notes(None, Some(100), None).unwrap();
    let new_notes = v.list_notes(None, Some(100), None).unwrap();
    assert_eq!(old_notes.items.len(), new_notes.items.len());
    for n in &old_notes.items {
        assert_eq!(f.vault.get_note(&n.id).unwrap(), v.get_note(&n.id).unwrap());
    }
    assert!(v.status().unwrap().recovery_key_rotation_advised, "the recovery key was used: offer a new one");
    assert!(keys.key_count() >= 2, "new platform keys: {:?}", keys.key_names());
    assert!(
        keys.key_names().iter().all(|k| !f.keys.key_names().contains(k)),
        "no platform key is shared with the old phone"
    );
}

#[test]
fn restoring_on_the_same_phone_beside_the_original_keeps_both_apart() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    let out = backup_path(&f, "b.bbk");
    f.vault.create_backup(&out).unwrap();
    let target = f._tmp.path().join("copy");
    let (copy, _) = Vault::restore(&out, &f.recovery_key, &target, NEW_PIN, f.keys.clone(), f.clock.clone()).unwrap();
    copy.wipe().unwrap();
    // Wiping the copy took only its own platform keys.
    f.vault.lock();
    f.vault.unlock(PIN).unwrap();
    assert!(f.vault.list_citizens().unwrap().citizens.len() == 2);
}

/// What checking a damaged copy says, under the right key.
fn defect_of(f: &Fixture, bytes: &[u8]) -> Option<BackupDefect> {
    let p = f._tmp.path().join("damaged.bbk");
    std::fs::write(&p, bytes).unwrap();
    backup::verify_backup_with_recovery_key(&p, &f.recovery_key).unwrap().defect
}

const HEADER: usize = backup::stream::HEADER_LEN;
const CHUNK: usize = backup::stream::CHUNK_LEN + backup::stream::TAG_LEN;

fn made_backup() -> (Fixture, PathBuf, Vec<u8>) {
    let f = fixture();
    populate(&f.vault, &f.clock);
    let out = backup_path(&f, "b.bbk");
    f.vault.create_backup(&out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    (f, out, bytes)
}

#[test]
fn a_backup_checks_whole_and_every_kind_of_damage_is_refused_with_its_type() {
    let (f, out, bytes) = made_backup();
    let check = backup::verify_backup_with_recovery_key(&out, &f.recovery_key).unwrap();
    assert!(check.ok() && check.schema == Some(brobygger_core::store::migrations::LATEST), "{check:?}");
    assert_eq!(f.vault.verify_backup(&out).unwrap(), check);
    let chunks = (bytes.len() - HEADER).div_ceil(CHUNK);
    assert!(chunks >= 2, "a backup of a small vault spans chunks ({} bytes)", bytes.len());

    // Every bit of the header.
    for byte in 0..HEADER {
        for bit in 0..8 {
            let mut b = bytes.clone();
            b[byte] ^= 1 << bit;
            let d = defect_of(&f, &b);
            assert!(
                matches!(
                    d,
                    Some(BackupDefect::NotABackup | BackupDefect::NewerFormat { .. } | BackupDefect::HeaderDamaged)
                ),
                "header byte {byte} bit {bit}: {d:?}"
            );
        }
    }
    // Every bit of the first and last 48 bytes of every chunk (its start and its tag), and
    // spread positions inside: the chunk is named.
    let mut positions = Vec::new();
    for c in 0..chunks {
        let start = HEADER + c * CHUNK;
        let end = (start + CHUNK).min(bytes.len());
        positions.extend(start..(start + 48).min(end));
        positions.extend(end.saturating_sub(48).max(start)..end);
        positions.extend((start..end).step_by(997));
    }
    for at in positions {
        let chunk = ((at - HEADER) / CHUNK) as u64;
        for bit in [0, 3, 7] {
            let mut b = bytes.clone();
            b[at] ^= 1 << bit;
            assert_eq!(defect_of(&f, &b), Some(BackupDefect::Damaged { chunk }), "byte {at} bit {bit}");
        }
    }
    // Cut at every chunk boundary (and just before and after one).
    for c in 0..chunks {
        let at = HEADER + c * CHUNK;
        assert_eq!(defect_of(&f, &bytes[..at]), Some(BackupDefect::Truncated { chunks: c as u64 }), "cut at chunk {c}");
        assert!(defect_of(&f, &bytes[..at + 1]).is_some());
        assert!(defect_of(&f, &bytes[..at - 1]).is_some());
    }
    assert!(defect_of(&f, &bytes[..bytes.len() - 1]).is_some());
    // Every swap of two chunks.
    let pieces: Vec<&[u8]> = bytes[HEADER..].chunks(CHUNK).collect();
    for i in 0..chunks {
        for j in i + 1..chunks {
            let mut order = pieces.clone();
            order.swap(i, j);
            let mut b = bytes[..HEADER].to_vec();
            b.extend(order.concat());
            assert_eq!(defect_of(&f, &b), Some(BackupDefect::Damaged { chunk: i as u64 }), "swap {i} {j}");
        }
    }
    // Bytes appended.
    let mut b = bytes.clone();
    b.extend_from_slice(b"more");
    assert!(defect_of(&f, &b).is_some());
}

#[test]
fn a_refused_backup_writes_nothing_and_says_why() {
    let (f, out, bytes) = made_backup();
    let target = f._tmp.path().join("new-phone");
    let keys = new_phone();
    let restore = |p: &Path, key: &str| backup::restore_files(p, key, &target, NEW_PIN, keys.clone(), f.clock.clone());
    let write = |name: &str, b: &[u8]| {
        let p = f._tmp.path().join(name);
        std::fs::write(&p, b).unwrap();
        p
    };
    let nothing_written = || {
        assert!(!target.join("vault.db").exists());
        assert!(
            files_in(&target).is_empty(),
            "{:?}",
            files_in(&target).iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
        );
        assert_eq!(keys.key_count(), 0, "{:?}", keys.key_names());
    };
    // A wrong recovery key, and the key of another vault.
    let other = fixture();
    assert_eq!(restore(&out, &other.recovery_key).unwrap_err(), CoreError::WrongRecoveryKey);
    nothing_written();
    // Damaged, cut short, two chunks swapped, not a backup at all.
    let mut flipped = bytes.clone();
    flipped[HEADER + 100] ^= 4;
    assert_eq!(restore(&write("flipped", &flipped), &f.recovery_key).unwrap_err(), CoreError::Tampered);
    let cut = &bytes[..HEADER + CHUNK];
    assert_eq!(restore(&write("cut", cut), &f.recovery_key).unwrap_err(), CoreError::Tampered);
    let mut swapped = bytes[..HEADER].to_vec();
    swapped.extend_from_slice(&bytes[HEADER + CHUNK..HEADER + 2 * CHUNK]);
    swapped.extend_from_slice(&bytes[HEADER..HEADER + CHUNK]);
    swapped.extend_from_slice(&bytes[HEADER + 2 * CHUNK..]);
    assert_eq!(restore(&write("swapped", &swapped), &f.recovery_key).unwrap_err(), CoreError::Tampered);
    let db = std::fs::read(f.dir.join("vault.db")).unwrap();
    assert_eq!(restore(&write("plain", &db), &f.recovery_key).unwrap_err(), CoreError::Corrupt);
    // A newer format.
    let mut newer = bytes.clone();
    newer[16] = 2;
    assert_eq!(
        restore(&write("newer", &newer), &f.recovery_key).unwrap_err(),
        CoreError::NewerSchema { found: 2, supported: 1 }
    );
    nothing_written();
    // A folder that holds a vault is never written.
    let before = std::fs::read(f.dir.join("vault.db")).unwrap();
    assert_eq!(
        backup::restore_files(&out, &f.recovery_key, &f.dir, NEW_PIN, keys.clone(), f.clock.clone()).unwrap_err(),
        CoreError::VaultExists
    );
    assert_eq!(std::fs::read(f.dir.join("vault.db")).unwrap(), before);
    // After all that, the good backup restores.
    restore(&out, &f.recovery_key).unwrap();
    assert!(target.join("vault.db").exists());
    assert_eq!(std::fs::read(&out).unwrap(), bytes, "the backup file is only read");
}

/// The backup key as the format's spec derives it from the recovery key.
fn backup_key_per_spec(recovery_key: &str) -> brobygger_core::crypto::SecretKey {
    let r = brobygger_core::vault::recovery::parse(recovery_key).unwrap();
    brobygger_core::crypto::kdf::hkdf(b"brobygger backup", r.as_bytes(), b"backup key v1").unwrap()
}

/// A backup made by hand, per the spec, around `db` with `schema` in its manifest.
fn crafted(f: &Fixture, db: &[u8], schema: u32) -> PathBuf {
    crafted_with(f, db, schema, serde_json::json!({}))
}

/// The same with `retention` as the manifest's retention settings.
fn crafted_with(f: &Fixture, db: &[u8], schema: u32, retention: serde_json::Value) -> PathBuf {
    use std::io::Write;
    let manifest = serde_json::json!({
        "format": 1, "created_at": 1774944000000i64, "schema": schema, "db_len": db.len(),
        "audit": {"seq": 0, "hash": ""}, "retention": retention
    });
    let json = serde_json::to_vec(&manifest).unwrap();
    let file_key = brobygger_core::crypto::SecretKey::generate().unwrap();
    let mut w =
        backup::stream::Writer::new(Vec::new(), &backup_key_per_spec(&f.recovery_key), &[9u8; 32], &file_key).unwrap();
    w.write_all(&(json.len() as u32).to_be_bytes()).unwrap();
    w.write_all(&json).unwrap();
    w.write_all(db).unwrap();
    let p = f._tmp.path().join(format!("crafted-{schema}-{}.bbk", files_in(f._tmp.path()).len()));
    std::fs::write(&p, w.finish().unwrap().0).unwrap();
    p
}

#[test]
fn a_vault_from_a_newer_version_or_with_a_planted_trigger_is_refused_before_it_is_used() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    f.vault.lock();
    let copy = f._tmp.path().join("copy.db");
    std::fs::copy(f.dir.join("vault.db"), &copy).unwrap();
    let target = f._tmp.path().join("t");
    let keys = new_phone();
    // The spec's construction, by hand, opens: the format is what the document says.
    let same = crafted(&f, &std::fs::read(&copy).unwrap(), brobygger_core::store::migrations::LATEST);
    assert!(backup::verify_backup_with_recovery_key(&same, &f.recovery_key).unwrap().ok());

    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let newer = crafted(&f, &std::fs::read(&copy).unwrap(), 99);
    assert_eq!(
        backup::restore_files(&newer, &f.recovery_key, &target, NEW_PIN, keys.clone(), f.clock.clone()).unwrap_err(),
        CoreError::NewerSchema { found: 99, supported: brobygger_core::store::migrations::LATEST }
    );
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA user_version = {}; CREATE TRIGGER planted AFTER INSERT ON audit_log BEGIN SELECT 1; END;",
        brobygger_core::store::migrations::LATEST
    ))
    .unwrap();
    drop(conn);
    let planted = crafted(&f, &std::fs::read(&copy).unwrap(), brobygger_core::store::migrations::LATEST);
    assert_eq!(
        backup::restore_files(&planted, &f.recovery_key, &target, NEW_PIN, keys.clone(), f.clock.clone()).unwrap_err(),
        CoreError::Tampered
    );
    assert!(!target.join("vault.db").exists() && files_in(&target).is_empty());
    assert_eq!(keys.key_count(), 0);
}

/// Found by fuzzing: settings no version of the app writes (days past chrono's range) made
/// the first unlock after the restore panic; now the file is refused as malformed.
#[test]
fn a_backup_whose_settings_are_out_of_range_is_refused() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    f.vault.lock();
    let db = std::fs::read(f.dir.join("vault.db")).unwrap();
    let latest = brobygger_core::store::migrations::LATEST;
    for retention in [
        serde_json::json!({"reduce_appointments_after_days": 1_093_288_192u32}),
        serde_json::json!({"purge_after_days": 4_000_000_000u32}),
        serde_json::json!({"purge_after_days": 0}),
    ] {
        let file = crafted_with(&f, &db, latest, retention.clone());
        let check = backup::verify_backup_with_recovery_key(&file, &f.recovery_key).unwrap();
        assert_eq!(check.defect, Some(BackupDefect::Malformed), "{retention}");
        let target = f._tmp.path().join("t");
        assert!(backup::restore_files(&file, &f.recovery_key, &target, NEW_PIN, new_phone(), f.clock.clone()).is_err());
        assert!(!target.join("vault.db").exists());
    }
}

/// Found by fuzzing: a backup whose database holds one damaged citizen restored, and then no
/// unlock succeeded (sealing the waiting reminders again met the damaged row). Damage stays
/// local: that citizen's reminders fail with their reason, the vault opens.
#[test]
fn a_damaged_row_in_a_restored_vault_fails_its_reminders_and_the_vault_opens() {
    let f = fixture();
    let (ole, _) = populate(&f.vault, &f.clock);
    // Only Ole has consent and a mobile number: every waiting reminder is his.
    let waiting: Vec<String> = f
        .vault
        .list_reminders(None)
        .unwrap()
        .into_iter()
        .filter(|r| r.state == ReminderState::Planned)
        .map(|r| r.id)
        .collect();
    assert!(!waiting.is_empty(), "the populated vault has reminders waiting");
    f.vault.lock();
    let copy = f._tmp.path().join("copy.db");
    std::fs::copy(f.dir.join("vault.db"), &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let mut name: Vec<u8> =
        conn.query_row("SELECT nickname FROM citizens WHERE id = ?1", [&ole.id], |r| r.get(0)).unwrap();
    let last = name.len() - 1;
    name[last] ^= 0x40;
    conn.execute("UPDATE citizens SET nickname = ?2 WHERE id = ?1", rusqlite::params![ole.id, name]).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(conn);
    let file = crafted(&f, &std::fs::read(&copy).unwrap(), brobygger_core::store::migrations::LATEST);
    let target = f._tmp.path().join("t");
    let (v, _) = Vault::restore(&file, &f.recovery_key, &target, NEW_PIN, new_phone(), f.clock.clone()).unwrap();
    for r in v.list_reminders(None).unwrap().into_iter().filter(|r| waiting.contains(&r.id)) {
        assert_eq!((r.state, r.reason.as_deref()), (ReminderState::Failed, Some("payload_unreadable")), "{r:?}");
    }
    assert_eq!(v.list_citizens().unwrap().unreadable, 1, "the damaged citizen is counted, not hidden");
}

#[test]
fn a_disk_that_fills_up_mid_backup_or_mid_restore_leaves_nothing_half_done() {
    let (f, out, bytes) = made_backup();
    let status = f.vault.lifecycle_status().unwrap();
    let entries = f.vault.audit_summary().unwrap().entries;
    let second = backup_path(&f, "second.bbk");
    for limit in [0u64, 50, 113, 70_000, bytes.len() as u64 - 10] {
        backup::fault::fail_writes_after(Some(limit));
        let e = f.vault.create_backup(&second).unwrap_err();
        backup::fault::fail_writes_after(None);
        assert!(matches!(&e, CoreError::Storage { reason } if reason.contains("full")), "{e:?}");
        assert!(!second.exists());
        let leftovers: Vec<_> = files_in(f._tmp.path())
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.to_string_lossy().contains("partial") || p.to_string_lossy().contains("snapshot"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    assert_eq!(f.vault.lifecycle_status().unwrap(), status, "a failed backup is not the last backup");
    assert_eq!(f.vault.audit_summary().unwrap().entries, entries, "nor audited");

    let target = f._tmp.path().join("new-phone");
    let keys = new_phone();
    for limit in [0u64, 4096, 100_000] {
        backup::fault::fail_writes_after(Some(limit));
        let e =
            backup::restore_files(&out, &f.recovery_key, &target, NEW_PIN, keys.clone(), f.clock.clone()).unwrap_err();
        backup::fault::fail_writes_after(None);
        assert!(matches!(&e, CoreError::Storage { .. }), "{e:?}");
        assert!(files_in(&target).is_empty(), "no half-restored vault");
        assert_eq!(keys.key_count(), 0);
        assert!(Vault::open(&target, keys.clone(), f.clock.clone()).is_err());
    }
    backup::restore_files(&out, &f.recovery_key, &target, NEW_PIN, keys.clone(), f.clock.clone()).unwrap();
    f.vault.create_backup(&second).unwrap();
}

#[test]
fn a_backup_holds_nothing_in_clear() {
    let (f, _, bytes) = made_backup();
    for m in MARKERS {
        assert!(!contains(&bytes, m.as_bytes()), "{m} in the backup");
    }
    for plain in ["SQLite format 3", "CREATE TABLE", "citizens", "Borgercaféen", "journalised", "Europe/Copenhagen"] {
        assert!(!contains(&bytes, plain.as_bytes()), "{plain} in the backup");
    }
    // Neither the random ids nor any sealed value of the vault appears.
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    let mut probes: Vec<Vec<u8>> = Vec::new();
    for sql in [
        "SELECT vault_id FROM vault_meta",
        "SELECT id FROM citizens",
        "SELECT id FROM notes",
        "SELECT substr(body, 10, 24) FROM notes",
        "SELECT substr(nickname, 10, 24) FROM citizens",
        "SELECT substr(wrapped, 10, 24) FROM data_keys",
        "SELECT mac FROM seal_ledger",
    ] {
        let mut s = conn.prepare(sql).unwrap();
        let rows = s.query_map([], |r| match r.get_ref(0)? {
            rusqlite::types::ValueRef::Text(t) => Ok(t.to_vec()),
            rusqlite::types::ValueRef::Blob(b) => Ok(b.to_vec()),
            _ => Ok(Vec::new()),
        });
        probes.extend(rows.unwrap().map(Result::unwrap));
    }
    assert!(probes.len() > 30);
    for p in &probes {
        assert!(!contains(&bytes, p), "a value of the vault is in the backup");
    }
    // The vault's folder keeps no snapshot behind.
    assert!(files_in(&f.dir).iter().all(|(p, _)| !p.to_string_lossy().contains("snapshot")));
}

struct BackupWhileSending<'a> {
    vault: &'a Vault,
    out: PathBuf,
}
impl SmsSender for BackupWhileSending<'_> {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        if !self.out.exists() {
            self.vault.create_backup(&self.out).unwrap();
        }
        Ok(SendOutcome::Accepted)
    }
}

#[test]
fn the_restored_outbox_sends_nothing_twice_and_leaves_unknown_claims_to_the_worker() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    let sent_before: Vec<String> = f
        .vault
        .list_reminders(None)
        .unwrap()
        .into_iter()
        .filter(|r| r.state == ReminderState::Sent)
        .map(|r| r.id)
        .collect();
    assert_eq!(sent_before.len(), 1);
    // The day before the appointment at 17:00 a reminder goes out; the backup is taken while
    // the sender holds it, so the backup knows only the claim.
    f.clock.set(cph(2026, 3, 20, 17, 0));
    f.vault.unlock(PIN).unwrap();
    let out = backup_path(&f, "during.bbk");
    let run = f.vault.run_outbox(&BackupWhileSending { vault: &f.vault, out: out.clone() }, None).unwrap();
    assert_eq!(run.sent, 1);
    let claimed = f
        .vault
        .list_reminders(None)
        .unwrap()
        .into_iter()
        .find(|r| r.state == ReminderState::Sent && !sent_before.contains(&r.id))
        .unwrap();

    let target = f._tmp.path().join("new-phone");
    let keys = new_phone();
    let (v, report) = Vault::restore(&out, &f.recovery_key, &target, NEW_PIN, keys, f.clock.clone()).unwrap();
    assert_eq!(report.reminders_made_unknown, 1);
    let after = v.list_reminders(None).unwrap();
    let state_of = |id: &str| after.iter().find(|r| r.id == id).unwrap().state;
    assert_eq!(state_of(&claimed.id), ReminderState::Unknown);
    assert_eq!(state_of(&sent_before[0]), ReminderState::Sent);
    // Everything still waiting goes out once, from the new phone; nothing sent or claimed
    // before the backup goes again.
    let recorder = Recorder::default();
    for h in 0..=(24 * 14) {
        f.clock.set(cph(2026, 3, 20, 17, 0) + Duration::hours(h));
        v.run_outbox(&recorder, None).unwrap();
    }
    let handed: Vec<String> = recorder.0.lock().unwrap().iter().map(|(id, _)| id.clone()).collect();
    assert!(!handed.contains(&claimed.id) && !handed.contains(&sent_before[0]), "{handed:?}");
    let waiting: Vec<String> =
        after.iter().filter(|r| r.state == ReminderState::Planned).map(|r| r.id.clone()).collect();
    assert!(!waiting.is_empty());
    let mut sorted = handed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), handed.len(), "nothing twice");
    for id in &waiting {
        assert!(handed.contains(id), "{id} waited and was sent");
    }
}

#[test]
fn the_status_shows_the_backup_age_and_reminds_when_it_is_old() {
    let f = fixture();
    let s = f.vault.lifecycle_status().unwrap();
    assert_eq!((s.last_backup_at, s.backup_overdue, s.backup_ready), (None, true, true));
    f.vault.create_backup(&backup_path(&f, "1.bbk")).unwrap();
    f.vault.lock();
    f.clock.advance(Duration::days(3));
    let s = f.vault.lifecycle_status().unwrap();
    assert_eq!((s.backup_age_days, s.backup_overdue), (Some(3), false), "readable while locked");
    f.clock.advance(Duration::days(4));
    assert!(f.vault.lifecycle_status().unwrap().backup_overdue);
    f.vault.unlock(PIN).unwrap();
    let mut settings = f.vault.retention_settings().unwrap();
    settings.backup_reminder_days = 30;
    f.vault.set_retention_settings(settings).unwrap();
    assert!(!f.vault.lifecycle_status().unwrap().backup_overdue);
}

#[test]
fn a_backup_the_worker_did_not_keep_does_not_count() {
    let f = fixture();
    let first = f.vault.create_backup(&backup_path(&f, "1.bbk")).unwrap();
    f.clock.advance(Duration::days(2));
    f.vault.unlock(PIN).ok();
    let second = f.vault.create_backup(&backup_path(&f, "2.bbk")).unwrap();
    assert_eq!(f.vault.lifecycle_status().unwrap().backup_age_days, Some(0));
    // Another backup's time changes nothing; the last one's brings the one before back.
    f.vault.backup_not_kept(first.created_at).unwrap();
    assert_eq!(f.vault.lifecycle_status().unwrap().last_backup_at, Some(second.created_at));
    f.vault.backup_not_kept(second.created_at).unwrap();
    let s = f.vault.lifecycle_status().unwrap();
    assert_eq!((s.last_backup_at, s.backup_age_days), (Some(first.created_at), Some(2)));
    // The first, when it was not kept either: no backup counts.
    f.vault.backup_not_kept(first.created_at).unwrap();
    assert_eq!(f.vault.lifecycle_status().unwrap().last_backup_at, None);
}

#[test]
fn a_new_recovery_key_opens_new_backups_and_only_the_old_one_opens_old_ones() {
    let f = fixture();
    let old = backup_path(&f, "old.bbk");
    f.vault.create_backup(&old).unwrap();
    let new_key = f.vault.rotate_recovery_key().unwrap().to_string();
    let new = backup_path(&f, "new.bbk");
    f.vault.create_backup(&new).unwrap();
    assert!(backup::verify_backup_with_recovery_key(&old, &f.recovery_key).unwrap().ok());
    assert_eq!(backup::verify_backup_with_recovery_key(&old, &new_key).unwrap().defect, Some(BackupDefect::WrongKey));
    assert!(backup::verify_backup_with_recovery_key(&new, &new_key).unwrap().ok());
    assert_eq!(
        backup::verify_backup_with_recovery_key(&new, &f.recovery_key).unwrap().defect,
        Some(BackupDefect::WrongKey)
    );
    let target = f._tmp.path().join("t");
    Vault::restore(&new, &new_key, &target, NEW_PIN, new_phone(), f.clock.clone()).unwrap();
    // An existing backup file is never replaced.
    assert!(matches!(f.vault.create_backup(&new).unwrap_err(), CoreError::InvalidInput { field: "out", .. }));
}

mod random_vaults {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Citizen {
            name: String,
            phone: bool,
            consent: bool,
        },
        Note {
            citizen: Option<usize>,
            text: String,
            topics: u8,
            stage: u8,
            amend: Option<String>,
            follow: Option<String>,
        },
        Book {
            citizen: usize,
            days: u32,
            hour: u32,
        },
        Cancel {
            appointment: usize,
        },
        Delete {
            citizen: usize,
        },
        Later {
            hours: u32,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        let text = "[a-zA-Zæøå0-9 ,.]{1,60}";
        prop_oneof![
            ("[A-Za-zÆØÅæøå]{1,12}", any::<bool>(), any::<bool>()).prop_map(|(name, phone, consent)| Op::Citizen {
                name,
                phone,
                consent
            }),
            (
                proptest::option::of(0usize..6),
                text,
                any::<u8>(),
                0u8..4,
                proptest::option::of(text),
                proptest::option::of("[a-z ]{1,30}")
            )
                .prop_map(|(citizen, text, topics, stage, amend, follow)| Op::Note {
                    citizen,
                    text,
                    topics,
                    stage,
                    amend,
                    follow
                }),
            (0usize..6, 0u32..20, 8u32..18).prop_map(|(citizen, days, hour)| Op::Book { citizen, days, hour }),
            (0usize..10).prop_map(|appointment| Op::Cancel { appointment }),
            (0usize..6).prop_map(|citizen| Op::Delete { citizen }),
            (1u32..72).prop_map(|hours| Op::Later { hours }),
        ]
    }

    fn apply(f: &Fixture, ops: &[Op]) {
        let v = &f.vault;
        v.set_worker_profile("Mette", "61 22 33 44", WorkerRole::Caseworker).unwrap();
        let mut citizens: Vec<String> = Vec::new();
        let mut appointments: Vec<String> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            if !v.is_unlocked() {
                v.unlock(PIN).unwrap();
            }
            match op {
                Op::Citizen { name, phone, consent } => {
                    let c = v
                        .add_citizen(NewCitizen {
                            nickname: name.clone(),
                            phone: phone.then(|| format!("20 30 {:02} {:02}", i % 100, (i * 7) % 100)),
                            sms_consent: consent.then_some(ConsentMethod::Written),
                            ..Default::default()
                        })
                        .unwrap();
                    citizens.push(c.id);
                }
                // Texts start with a letter: spaces alone are no text.
                Op::Note { citizen, text, topics, stage, amend, follow } => {
                    let citizen_id = citizen.and_then(|c| citizens.get(c).cloned());
                    let topics = Topic::ALL
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| topics & (1 << k) != 0)
                        .map(|(_, t)| *t)
                        .collect();
                    let n = v
                        .create_note(NoteInput { citizen_id, text: format!("N{text}"), topics, ..Default::default() })
                        .unwrap();
                    if let Some(fu) = follow {
                        v.add_follow_up(
                            &n.id,
                            FollowUpInput {
                                text: fu.trim().to_string() + "x",
                                due_date: None,
                                owner: WorkerRole::Caseworker,
                            },
                        )
                        .unwrap();
                    }
                    if *stage >= 1 {
                        v.finalize_note(&n.id).unwrap();
                        if let Some(a) = amend {
                            v.amend_note(&n.id, &format!("T{a}")).unwrap();
                        }
                    }
                    if *stage >= 2 {
                        v.mark_journalised(&n.id, &format!("J-{i}")).unwrap();
                    }
                }
                Op::Book { citizen, days, hour } => {
                    if let Some(c) = citizens.get(*citizen) {
                        let start = f.clock.now().with_timezone(&chrono_tz::Europe::Copenhagen).date_naive()
                            + Duration::days(*days as i64 + 1);
                        let b = v.book_appointment(NewAppointment {
                            citizen_id: c.clone(),
                            venue_id: None,
                            local_start: start.and_hms_opt(*hour, 0, 0).unwrap(),
                            duration_minutes: 45,
                            kind: AppointmentKind::HomeVisit,
                            outside_place: None,
                        });
                        if let Ok(b) = b {
                            appointments.push(b.appointment.id);
                        }
                    }
                }
                Op::Cancel { appointment } => {
                    if let Some(a) = appointments.get(*appointment) {
                        let _ = v.cancel_appointment(a, CancelledBy::Citizen);
                    }
                }
                Op::Delete { citizen } => {
                    if *citizen < citizens.len() {
                        let id = citizens.remove(*citizen);
                        v.delete_citizen(&id).unwrap();
                    }
                }
                Op::Later { hours } => {
                    f.clock.advance(Duration::hours(*hours as i64));
                    v.run_outbox(&Accept, None).unwrap();
                }
            }
        }
        if !v.is_unlocked() {
            v.unlock(PIN).unwrap();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
            ..ProptestConfig::default()
        })]

        #[test]
        fn every_random_vault_comes_back_the_same(ops in proptest::collection::vec(op(), 1..40)) {
            let f = fixture();
            apply(&f, &ops);
            // Retention brought up to date first, as the restored vault's first unlock will.
            f.vault.run_retention().unwrap();
            let out = backup_path(&f, "r.bbk");
            f.vault.create_backup(&out).unwrap();
            let target = f._tmp.path().join("new-phone");
            let keys = new_phone();
            backup::restore_files(&out, &f.recovery_key, &target, NEW_PIN, keys.clone(), f.clock.clone()).unwrap();
            assert_restored_equals(
                dump(&f.dir.join("vault.db"), CHANGED_BY_RESTORE),
                dump(&target.join("vault.db"), CHANGED_BY_RESTORE),
            );
            // And through the API: everything reads the same.
            let v = Vault::open(&target, keys, f.clock.clone()).unwrap();
            v.unlock(NEW_PIN).unwrap();
            let src = &f.vault;
            let citizens = src.list_citizens().unwrap();
            prop_assert_eq!(&citizens, &v.list_citizens().unwrap());
            for c in &citizens.citizens {
                prop_assert_eq!(src.appointments_for_citizen(&c.id).unwrap(), v.appointments_for_citizen(&c.id).unwrap());
            }
            let notes = src.list_notes(None, Some(1000), None).unwrap();
            prop_assert_eq!(notes.items.len(), v.list_notes(None, Some(1000), None).unwrap().items.len());
            for n in &notes.items {
                prop_assert_eq!(src.get_note(&n.id).unwrap(), v.get_note(&n.id).unwrap());
            }
            prop_assert_eq!(src.list_reminders(None).unwrap(), v.list_reminders(None).unwrap());
        }
    }
}
