//! The vault on real files: open, lock, PIN limits, damaged and foreign files.

mod common;

use brobygger_core::store::migrations::LATEST;
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::{CoreError, NewCitizen, NoteInput, Vault};
use common::*;
use std::sync::Arc;

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
    let results: Vec<CoreError> = vec![
        v.add_citizen(NewCitizen { nickname: "B".into(), ..Default::default() }).unwrap_err(),
        v.get_citizen(&c.id).unwrap_err(),
        v.list_citizens().unwrap_err(),
        v.delete_citizen(&c.id).unwrap_err(),
        v.withdraw_sms_consent(&c.id).unwrap_err(),
        v.create_note(NoteInput { text: "y".into(), ..Default::default() }).unwrap_err(),
        v.save_draft(&n.id, NoteInput { text: "z".into(), ..Default::default() }).unwrap_err(),
        v.get_note(&n.id).unwrap_err(),
        v.list_notes(None, None).unwrap_err(),
        v.search_notes("x").unwrap_err(),
        v.finalize_note(&n.id).unwrap_err(),
        v.set_auto_lock_minutes(3).unwrap_err(),
        v.change_pin(PIN, "246802").unwrap_err(),
    ];
    assert!(results.iter().all(|e| *e == CoreError::Locked), "{results:?}");
}

#[test]
fn wrong_pins_count_down_and_the_tenth_destroys_the_pin_wrap() {
    let mut f = fixture();
    f.vault.lock();
    for left in (1..=9).rev() {
        assert_eq!(f.vault.unlock("000000").unwrap_err(), CoreError::WrongPin { attempts_left: left });
    }
    // The count survives a restart: killing the app does not reset it.
    f.reopen().unwrap();
    assert_eq!(f.vault.status().unwrap().pin_attempts_left, 1);
    assert_eq!(f.vault.unlock("000000").unwrap_err(), CoreError::PinDisabled);
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::PinDisabled);
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    let (salt, wrap): (Option<Vec<u8>>, Option<Vec<u8>>) =
        conn.query_row("SELECT pin_salt, pin_wrap FROM vault_meta", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert!(salt.is_none() && wrap.is_none());
    drop(conn);
    f.vault.unlock_with_recovery_key(&f.recovery_key, "975310").unwrap();
    f.vault.lock();
    f.vault.unlock("975310").unwrap();
}

#[test]
fn a_right_pin_resets_the_count() {
    let f = fixture();
    f.vault.lock();
    for _ in 0..5 {
        f.vault.unlock("000000").unwrap_err();
    }
    f.vault.unlock(PIN).unwrap();
    assert_eq!(f.vault.status().unwrap().pin_attempts_left, 10);
}

#[test]
fn pin_without_the_device_secret_opens_nothing() {
    let mut f = fixture();
    f.vault.lock();
    // Same files, same PIN, a device whose key store lacks the platform key.
    f.keys.forget_all();
    let err = f.vault.unlock(PIN).unwrap_err();
    assert!(matches!(err, CoreError::KeyStore { .. }), "{err:?}");
    // And on a different device entirely.
    let other = Vault::open(&f.dir, Arc::new(MemoryKeyStore::new()), f.clock.clone()).unwrap();
    assert!(matches!(other.unlock(PIN).unwrap_err(), CoreError::KeyStore { .. }));
    // No attempt was counted for it.
    f.reopen().unwrap();
    assert_eq!(f.vault.status().unwrap().pin_attempts_left, 10);
}

#[test]
fn auto_lock_uses_the_injected_clock_and_backward_jumps_do_not_extend_it() {
    let f = fixture();
    f.vault.set_auto_lock_minutes(2).unwrap();
    f.clock.advance(chrono::Duration::seconds(119));
    assert!(f.vault.is_unlocked());
    f.vault.list_citizens().unwrap(); // activity
    f.clock.advance(chrono::Duration::seconds(-3600)); // clock set back an hour
    f.vault.list_citizens().unwrap();
    f.clock.advance(chrono::Duration::seconds(120));
    assert_eq!(f.vault.list_citizens().unwrap_err(), CoreError::Locked);
}

#[test]
fn create_refuses_an_existing_vault_and_leaves_it_alone() {
    let f = fixture();
    let before = std::fs::read(f.dir.join("vault.db")).unwrap();
    let again = Vault::create_with_test_kdf(&f.dir, PIN, f.keys.clone(), f.clock.clone(), TEST_ITERATIONS);
    assert_eq!(again.err().map(|e| e.to_string()), Some(CoreError::VaultExists.to_string()));
    assert!(std::fs::read(f.dir.join("vault.db")).unwrap() == before);
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
        assert_eq!(err, CoreError::Corrupt, "{damage}");
        assert!(std::fs::read(&db).unwrap() == bytes, "{damage}: file left exactly as it was");
        assert!(
            Vault::create_with_test_kdf(&dir, PIN, keys, clock, TEST_ITERATIONS).is_err(),
            "{damage}: no silent re-create"
        );
    }
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
fn wipe_removes_files_and_platform_key() {
    let f = fixture();
    f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    assert_eq!(f.keys.key_count(), 1);
    f.vault.lock();
    f.vault.wipe().unwrap();
    assert!(files(&f.dir).is_empty(), "{:?}", files(&f.dir).iter().map(|x| &x.0).collect::<Vec<_>>());
    assert_eq!(f.keys.key_count(), 0);
    assert_eq!(f.vault.list_citizens().unwrap_err(), CoreError::NoVault);
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::NoVault);
}

#[test]
fn change_pin_rewraps_only() {
    let mut f = fixture();
    let c = f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    let keys_before: Vec<u8> = conn
        .query_row("SELECT group_concat(hex(wrapped)) FROM data_keys", [], |r| r.get::<_, String>(0))
        .unwrap()
        .into_bytes();
    f.vault.change_pin(PIN, "864200").unwrap();
    let keys_after: Vec<u8> = conn
        .query_row("SELECT group_concat(hex(wrapped)) FROM data_keys", [], |r| r.get::<_, String>(0))
        .unwrap()
        .into_bytes();
    assert_eq!(keys_before, keys_after, "data keys are not re-encrypted");
    drop(conn);
    f.reopen().unwrap();
    assert!(matches!(f.vault.unlock(PIN), Err(CoreError::WrongPin { .. })));
    f.vault.unlock("864200").unwrap();
    assert_eq!(f.vault.get_citizen(&c.id).unwrap().nickname, "Ole");
}
