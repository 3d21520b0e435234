//! The vault on real files: open, lock, the PIN (every guess through the key store, growing
//! delays, an attempt limit an older file cannot undo), biometrics, recovery on a new phone,
//! damaged, foreign and planted files.

mod common;

use brobygger_core::store::migrations::LATEST;
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::{CoreError, IntegrityState, KeyPurpose, KeyStore, KeyStoreFailure, NewCitizen, NoteInput, Vault};
use chrono::Duration;
use common::*;
use std::sync::Arc;

const WRONG: &str = "000001";

/// Tries a wrong PIN, waiting out any delay first (on the injected clock).
fn wrong_pin(f: &Fixture) -> CoreError {
    let wait = f.vault.status().unwrap().pin_retry_after_seconds;
    f.clock.advance(Duration::seconds(wait as i64));
    f.vault.unlock(WRONG).unwrap_err()
}

#[test]
fn reopen_and_unlock_keeps_data() {
    let mut f = fixture();
    let c = f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    f.reopen().unwrap();
    assert_eq!(f.vault.get_citizen(&c.id).unwrap_err(), CoreError::Locked);
    f.vault.unlock(PIN).unwrap();
    assert_eq!(f.vault.get_citizen(&c.id).unwrap().nickname, "Ole");
}

#[test]
fn every_call_checks_the_lock() {
    let f = fixture();
    let c = f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    let n = f.vault.create_note(NoteInput { text: "x".into(), ..Default::default() }).unwrap();
    f.vault.lock();
    let v = &f.vault;
    let date = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let results: Vec<CoreError> = vec![
        v.add_citizen(NewCitizen { nickname: "B".into(), ..Default::default() }).unwrap_err(),
        v.get_citizen(&c.id).unwrap_err(),
        v.list_citizens().unwrap_err(),
        v.delete_citizen(&c.id).unwrap_err(),
        v.withdraw_sms_consent(&c.id).unwrap_err(),
        v.create_note(NoteInput { text: "y".into(), ..Default::default() }).unwrap_err(),
        v.save_draft(&n.id, NoteInput { text: "z".into(), ..Default::default() }).unwrap_err(),
        v.get_note(&n.id).unwrap_err(),
        v.list_notes(None, None, None).unwrap_err(),
        v.search_notes("x", None, None).unwrap_err(),
        v.finalize_note(&n.id).unwrap_err(),
        v.today(date).unwrap_err(),
        v.citizen_overview(&c.id).unwrap_err(),
        v.set_auto_lock_minutes(3).unwrap_err(),
        v.change_pin(PIN, "246802").unwrap_err(),
        v.enroll_biometric().map(|_| ()).unwrap_err(),
        v.rotate_recovery_key().map(|_| ()).unwrap_err(),
    ];
    assert!(results.iter().all(|e| *e == CoreError::Locked), "{results:?}");
}

#[test]
fn wrong_pins_count_down_wait_longer_and_the_tenth_destroys_the_pin_wrap() {
    let mut f = fixture();
    f.vault.lock();
    for n in 1..=3 {
        assert_eq!(f.vault.unlock(WRONG).unwrap_err(), CoreError::WrongPin { attempts_left: 10 - n });
    }
    assert_eq!(f.vault.status().unwrap().pin_retry_after_seconds, 0, "three typos cost nothing");
    assert_eq!(f.vault.unlock(WRONG).unwrap_err(), CoreError::WrongPin { attempts_left: 6 });
    // Now a delay, on the injected clock, refused before the key store or the KDF is asked.
    let calls = f.keys.pin_factor_calls();
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::PinDelay { seconds: 30 });
    assert_eq!(f.keys.pin_factor_calls(), calls);
    // The delay survives a restart.
    f.reopen().unwrap();
    assert_eq!(f.vault.status().unwrap().pin_retry_after_seconds, 30);
    f.clock.advance(Duration::seconds(29));
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::PinDelay { seconds: 1 });
    // A clock set back a day never makes the wait longer than the delay itself.
    f.clock.advance(Duration::days(-1));
    assert_eq!(f.vault.status().unwrap().pin_retry_after_seconds, 30);
    f.clock.advance(Duration::days(1) + Duration::seconds(1));
    for left in (1..=5).rev() {
        assert_eq!(wrong_pin(&f), CoreError::WrongPin { attempts_left: left });
    }
    assert_eq!(f.vault.status().unwrap().pin_attempts_left, 1);
    assert_eq!(wrong_pin(&f), CoreError::PinDisabled);
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::PinDisabled);
    assert!(f.vault.status().unwrap().pin_disabled);
    f.vault.unlock_with_recovery_key(&f.recovery_key, "975310").unwrap();
    f.vault.lock();
    f.vault.unlock("975310").unwrap();
}

#[test]
fn a_right_pin_resets_the_count() {
    let f = fixture();
    f.vault.lock();
    for _ in 0..5 {
        wrong_pin(&f);
    }
    f.clock.advance(Duration::seconds(f.vault.status().unwrap().pin_retry_after_seconds as i64));
    f.vault.unlock(PIN).unwrap();
    let s = f.vault.status().unwrap();
    assert_eq!((s.pin_attempts_left, s.pin_retry_after_seconds), (10, 0));
}

#[test]
fn writing_back_an_older_file_does_not_undo_the_attempt_limit() {
    let f = fixture();
    f.vault.lock();
    let older = std::fs::read(f.dir.join("vault.db")).unwrap();
    for _ in 0..10 {
        wrong_pin(&f);
    }
    assert!(f.vault.status().unwrap().pin_disabled);
    // A forensic tool puts back the copy from before the ten tries.
    let fresh = tempfile::tempdir().unwrap();
    std::fs::write(fresh.path().join("vault.db"), &older).unwrap();
    let old = Vault::open(fresh.path(), f.keys.clone(), f.clock.clone()).unwrap();
    // The file names a state key that was replaced (and deleted) at the first wrong PIN.
    assert_eq!(old.unlock(PIN).unwrap_err(), CoreError::PlatformKeysMissing);
    assert!(old.status().unwrap().platform_keys_missing);
    // Only the recovery key opens it (as it would on a new phone).
    old.unlock_with_recovery_key(&f.recovery_key, "975310").unwrap();
}

#[test]
fn every_pin_guess_needs_the_key_store_and_its_secret() {
    let f = fixture();
    f.vault.lock();
    let before = f.keys.pin_factor_calls();
    for _ in 0..3 {
        wrong_pin(&f);
    }
    f.vault.unlock(PIN).unwrap();
    assert_eq!(f.keys.pin_factor_calls() - before, 4, "one key store computation per guess");

    // The same files and the same PIN on a key store whose PIN-factor key has another secret
    // (what an attacker has without the hardware): the right PIN does not open the vault.
    f.vault.lock();
    struct OtherFactor(Arc<MemoryKeyStore>, MemoryKeyStore);
    impl KeyStore for OtherFactor {
        fn pin_factor(&self, n: &str, i: &[u8], _c: bool) -> Result<Vec<u8>, KeyStoreFailure> {
            self.1.pin_factor(n, i, true)
        }
        fn wrap(&self, n: &str, p: KeyPurpose, s: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
            self.0.wrap(n, p, s)
        }
        fn unwrap(&self, n: &str, p: KeyPurpose, w: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
            self.0.unwrap(n, p, w)
        }
        fn delete_key(&self, n: &str) -> Result<(), KeyStoreFailure> {
            self.0.delete_key(n)
        }
    }
    let other =
        Vault::open(&f.dir, Arc::new(OtherFactor(f.keys.clone(), MemoryKeyStore::new())), f.clock.clone()).unwrap();
    assert_eq!(other.unlock(PIN).unwrap_err(), CoreError::WrongPin { attempts_left: 9 });
}

#[test]
fn a_key_store_that_refuses_leaves_the_vault_as_it_was() {
    let f = fixture();
    f.vault.lock();
    f.keys.refuse("pin_factor", 1);
    assert!(matches!(f.vault.unlock(PIN).unwrap_err(), CoreError::KeyStore { .. }));
    f.keys.refuse("wrap", 1);
    assert!(matches!(f.vault.unlock(PIN).unwrap_err(), CoreError::KeyStore { .. }));
    f.keys.refuse("unwrap", 1);
    assert!(matches!(f.vault.status().unwrap_err(), CoreError::KeyStore { .. }));
    f.clock.advance(Duration::hours(1));
    f.vault.unlock(PIN).unwrap();
}

#[test]
fn without_the_platform_keys_only_the_recovery_key_opens_and_it_makes_new_ones() {
    let mut f = fixture();
    let c = f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    f.vault.lock();
    // A new phone: the files came along, the key store did not.
    f.keys.forget_all();
    f.reopen().unwrap();
    let s = f.vault.status().unwrap();
    assert!(s.platform_keys_missing && s.pin_disabled, "{s:?}");
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::PlatformKeysMissing);
    // A wrong recovery key writes nothing.
    let before = files(&f.dir);
    let wrong = brobygger_core::vault::recovery::format(&brobygger_core::crypto::SecretKey::generate().unwrap());
    assert_eq!(f.vault.unlock_with_recovery_key(&wrong, "975310").unwrap_err(), CoreError::WrongRecoveryKey);
    assert!(files(&f.dir) == before, "nothing written");
    f.vault.unlock_with_recovery_key(&f.recovery_key, "975310").unwrap();
    assert_eq!(f.vault.get_citizen(&c.id).unwrap().nickname, "Ole");
    let s = f.vault.status().unwrap();
    assert!(!s.platform_keys_missing && s.recovery_key_rotation_advised, "{s:?}");
    f.vault.lock();
    f.reopen().unwrap();
    f.vault.unlock("975310").unwrap();
    // The key is replaced: the old one no longer opens, the new one does.
    let new = f.vault.rotate_recovery_key().unwrap();
    assert!(!f.vault.status().unwrap().recovery_key_rotation_advised);
    f.vault.lock();
    assert_eq!(f.vault.unlock_with_recovery_key(&f.recovery_key, "864200").unwrap_err(), CoreError::WrongRecoveryKey);
    f.vault.unlock_with_recovery_key(&new, "864200").unwrap();
}

#[test]
fn biometric_unlock_is_a_second_wrap_that_survives_pin_changes_and_lockout() {
    let f = fixture();
    let secret = f.vault.enroll_biometric().unwrap();
    assert!(f.vault.status().unwrap().biometric_enrolled);
    f.vault.lock();
    assert_eq!(f.vault.unlock_with_biometric(&[7u8; 32]).unwrap_err(), CoreError::BiometricUnavailable);
    assert!(matches!(f.vault.unlock_with_biometric(&[7u8; 3]), Err(CoreError::InvalidInput { .. })));
    f.vault.unlock_with_biometric(&secret).unwrap();
    f.vault.change_pin(PIN, "864200").unwrap();
    f.vault.lock();
    f.vault.unlock_with_biometric(&secret).unwrap();
    f.vault.lock();
    for _ in 0..10 {
        wrong_pin(&f);
    }
    assert!(f.vault.status().unwrap().pin_disabled);
    f.vault.unlock_with_biometric(&secret).unwrap();
    // Configured otherwise, the lockout takes biometrics too.
    f.vault.set_biometric_survives_pin_lockout(false).unwrap();
    f.vault.lock();
    f.vault.unlock_with_recovery_key(&f.recovery_key, "864200").unwrap();
    f.vault.set_biometric_survives_pin_lockout(false).unwrap();
    f.vault.lock();
    for _ in 0..10 {
        wrong_pin(&f);
    }
    assert_eq!(f.vault.unlock_with_biometric(&secret).unwrap_err(), CoreError::BiometricUnavailable);
    f.vault.unlock_with_recovery_key(&f.recovery_key, "864200").unwrap();
    f.vault.remove_biometric().unwrap();
    assert!(!f.vault.status().unwrap().biometric_enrolled);
}

#[test]
fn a_planted_trigger_or_table_is_refused_at_open() {
    for plant in [
        "CREATE TRIGGER keep_trying AFTER UPDATE ON vault_meta BEGIN SELECT 1; END",
        "CREATE TABLE exfil (x)",
        "CREATE VIEW v AS SELECT * FROM citizens",
        "CREATE INDEX extra ON notes(state)",
    ] {
        let Fixture { _tmp, dir, keys, clock, vault, .. } = fixture();
        drop(vault);
        let conn = rusqlite::Connection::open(dir.join("vault.db")).unwrap();
        conn.execute_batch(plant).unwrap();
        drop(conn);
        assert_eq!(Vault::open(&dir, keys, clock).err(), Some(CoreError::Tampered), "{plant}");
    }
}

#[test]
fn lock_folds_the_write_ahead_log_away() {
    let f = fixture();
    f.vault.create_note(NoteInput { text: "Udkast".into(), ..Default::default() }).unwrap();
    f.vault.lock();
    let wal = std::fs::metadata(f.dir.join("vault.db-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal, 0);
}

#[test]
fn auto_lock_uses_the_injected_clock_and_backward_jumps_do_not_extend_it() {
    let f = fixture();
    f.vault.set_auto_lock_minutes(2).unwrap();
    f.clock.advance(Duration::seconds(119));
    assert!(f.vault.is_unlocked());
    f.vault.list_citizens().unwrap(); // activity
    f.clock.advance(Duration::seconds(-3600)); // clock set back an hour
    f.vault.list_citizens().unwrap();
    f.clock.advance(Duration::seconds(120));
    assert_eq!(f.vault.list_citizens().unwrap_err(), CoreError::Locked);
}

#[test]
fn create_refuses_an_existing_vault_and_common_pins() {
    let f = fixture();
    let before = std::fs::read(f.dir.join("vault.db")).unwrap();
    let again = Vault::create_with_test_kdf(&f.dir, PIN, f.keys.clone(), f.clock.clone(), TEST_ITERATIONS);
    assert_eq!(again.err().map(|e| e.to_string()), Some(CoreError::VaultExists.to_string()));
    assert!(std::fs::read(f.dir.join("vault.db")).unwrap() == before);
    let tmp = tempfile::tempdir().unwrap();
    for weak in ["123456", "111111", "654321"] {
        let err =
            Vault::create_with_test_kdf(&tmp.path().join("v"), weak, f.keys.clone(), f.clock.clone(), 1).err().unwrap();
        assert!(matches!(err, CoreError::InvalidInput { field: "pin", .. }), "{weak}");
    }
    assert!(!tmp.path().join("v").join("vault.db").exists());
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let Fixture { _tmp, dir, keys, clock, vault, .. } = fixture();
    drop(vault);
    let conn = rusqlite::Connection::open(dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA user_version = {}", LATEST + 1)).unwrap();
    drop(conn);
    let before = std::fs::read(dir.join("vault.db")).unwrap();
    let err = Vault::open(&dir, keys, clock).err().expect("must not open");
    assert_eq!(err, CoreError::NewerSchema { found: LATEST + 1, supported: LATEST });
    assert!(std::fs::read(dir.join("vault.db")).unwrap() == before, "not migrated, not rewritten");
}

#[test]
fn damaged_files_give_typed_errors_and_are_never_replaced() {
    for damage in ["garbage", "truncated", "empty", "zeroed-header"] {
        let f = fixture();
        f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
        let Fixture { _tmp, dir, keys, clock, vault, .. } = f;
        drop(vault);
        let db = dir.join("vault.db");
        let mut bytes = std::fs::read(&db).unwrap();
        match damage {
            "garbage" => bytes.iter_mut().for_each(|b| *b = 0x5a),
            "truncated" => bytes.truncate(bytes.len() / 3),
            "empty" => bytes.clear(),
            _ => bytes[..100].iter_mut().for_each(|b| *b = 0),
        }
        std::fs::write(&db, &bytes).unwrap();
        let err = Vault::open(&dir, keys.clone(), clock.clone()).err().expect("must not open");
        assert!(matches!(err, CoreError::Corrupt | CoreError::Tampered), "{damage}: {err:?}");
        assert!(std::fs::read(&db).unwrap() == bytes, "{damage}: file left exactly as it was");
        assert!(
            Vault::create_with_test_kdf(&dir, PIN, keys, clock, TEST_ITERATIONS).is_err(),
            "{damage}: no silent re-create"
        );
    }
}

#[test]
fn opening_does_not_scan_the_file_but_the_check_does_and_says_so() {
    let mut f = fixture();
    f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    f.vault.lock();
    f.reopen().unwrap();
    assert_eq!(f.vault.status().unwrap().integrity, IntegrityState::Unchecked);
    f.vault.unlock(PIN).unwrap();
    assert_eq!(f.vault.check_integrity().unwrap(), IntegrityState::Ok);
    assert_eq!(f.vault.status().unwrap().integrity, IntegrityState::Ok);
}

#[test]
fn a_missing_vault_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Vault::open(
        &tmp.path().join("nothing"),
        Arc::new(MemoryKeyStore::new()),
        Arc::new(brobygger_core::ManualClock::new(chrono::Utc::now())),
    )
    .err()
    .unwrap();
    assert_eq!(err, CoreError::NoVault);
}

#[test]
fn wipe_removes_files_and_every_platform_key() {
    let f = fixture();
    f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    assert!(f.keys.key_count() >= 2, "{:?}", f.keys.key_names());
    f.vault.lock();
    f.vault.wipe().unwrap();
    assert!(files(&f.dir).is_empty(), "{:?}", files(&f.dir).iter().map(|x| &x.0).collect::<Vec<_>>());
    assert_eq!(f.keys.key_count(), 0, "{:?}", f.keys.key_names());
    assert_eq!(f.vault.list_citizens().unwrap_err(), CoreError::NoVault);
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::NoVault);
}

#[test]
fn change_pin_rewraps_only() {
    let mut f = fixture();
    let c = f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    let keys_before: String =
        conn.query_row("SELECT group_concat(hex(wrapped)) FROM data_keys", [], |r| r.get(0)).unwrap();
    assert!(matches!(f.vault.change_pin(PIN, "123456"), Err(CoreError::InvalidInput { field: "new_pin", .. })));
    f.vault.change_pin(PIN, "864200").unwrap();
    let keys_after: String =
        conn.query_row("SELECT group_concat(hex(wrapped)) FROM data_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(keys_before, keys_after, "data keys are not re-encrypted");
    drop(conn);
    f.reopen().unwrap();
    assert!(matches!(f.vault.unlock(PIN), Err(CoreError::WrongPin { .. })));
    f.vault.unlock("864200").unwrap();
    assert_eq!(f.vault.get_citizen(&c.id).unwrap().nickname, "Ole");
}

#[test]
fn a_clock_set_back_after_a_typo_does_not_block_the_right_pin() {
    let f = fixture();
    f.vault.lock();
    assert!(matches!(f.vault.unlock(WRONG), Err(CoreError::WrongPin { attempts_left: 9 })));
    f.clock.advance(Duration::minutes(-1));
    assert_eq!(f.vault.status().unwrap().pin_retry_after_seconds, 0);
    f.vault.unlock(PIN).unwrap();
}

#[test]
fn rotating_the_state_key_leaves_no_keys_behind() {
    let f = fixture();
    let at_start = f.keys.key_count();
    for _ in 0..5 {
        f.vault.lock();
        wrong_pin(&f);
        f.clock.advance(Duration::hours(1));
        f.vault.unlock(PIN).unwrap();
    }
    assert_eq!(f.keys.key_count(), at_start, "{:?}", f.keys.key_names());
    // A key store that fails to delete leaves the old key for the next change to delete
    // (the change first deletes the previous one again, then the one it replaced: both refused).
    f.keys.refuse("delete_key", 2);
    f.vault.lock();
    assert_eq!(f.keys.key_count(), at_start + 1);
    f.vault.unlock(PIN).unwrap();
    assert_eq!(f.keys.key_count(), at_start, "{:?}", f.keys.key_names());
}
