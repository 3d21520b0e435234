//! The emergency wipes (opt-in, per worker): a duress PIN wipes the vault silently and the
//! app then looks freshly installed; days without an unlock wipe it and leave only a notice
//! with the date and the number of days.

mod common;
mod lifecycle_support;

use brobygger_core::vault::lifecycle::{wipe_notice, WIPE_NOTICE_FILE};
use brobygger_core::*;
use chrono::{Duration, NaiveDate};
use common::*;
use lifecycle_support::*;

const DURESS: &str = "918273";

fn names(dir: &std::path::Path) -> Vec<String> {
    files_in(dir).into_iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
}

#[test]
fn the_duress_pin_wipes_silently_and_leaves_a_fresh_install() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    f.vault.create_backup(&f._tmp.path().join("kept-elsewhere.bbk")).unwrap();
    assert_eq!(
        f.vault.set_duress_pin(PIN).unwrap_err(),
        CoreError::InvalidInput { field: "duress_pin", reason: "must differ from the PIN" }
    );
    assert!(matches!(
        f.vault.set_duress_pin("123456").unwrap_err(),
        CoreError::InvalidInput { field: "duress_pin", .. }
    ));
    f.vault.set_duress_pin(DURESS).unwrap();
    assert!(f.vault.lifecycle_status().unwrap().duress_pin_set);
    f.vault.lock();
    // A wrong PIN is still just a wrong PIN, at one key store computation per guess.
    let calls = f.keys.pin_factor_calls();
    assert!(matches!(f.vault.unlock("864213").unwrap_err(), CoreError::WrongPin { .. }));
    assert_eq!(f.keys.pin_factor_calls() - calls, 1);
    // The duress PIN: one computation too, and the vault is gone.
    let calls = f.keys.pin_factor_calls();
    assert_eq!(f.vault.unlock(DURESS).unwrap_err(), CoreError::NoVault);
    assert_eq!(f.keys.pin_factor_calls() - calls, 1);
    assert!(names(&f.dir).is_empty(), "{:?}", names(&f.dir));
    assert_eq!(f.keys.key_count(), 0, "{:?}", f.keys.key_names());
    assert_eq!(wipe_notice(&f.dir), None);
    assert_eq!(Vault::open(&f.dir, f.keys.clone(), f.clock.clone()).err(), Some(CoreError::NoVault));
    // Like a fresh install: a new vault starts with an empty log.
    let created =
        Vault::create_with_test_kdf(&f.dir, "246813", f.keys.clone(), f.clock.clone(), TEST_ITERATIONS).unwrap();
    let log = created.vault.audit_list(None, 10).unwrap().entries;
    assert_eq!(log.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![AuditKind::VaultCreated]);
}

#[test]
fn a_pin_change_or_a_recovery_removes_the_duress_pin() {
    let f = fixture();
    f.vault.set_duress_pin(DURESS).unwrap();
    f.vault.change_pin(PIN, "246813").unwrap();
    assert!(!f.vault.lifecycle_status().unwrap().duress_pin_set);
    f.vault.lock();
    assert!(matches!(f.vault.unlock(DURESS).unwrap_err(), CoreError::WrongPin { .. }));
    f.vault.unlock("246813").unwrap();
    f.vault.set_duress_pin(DURESS).unwrap();
    f.vault.lock();
    f.vault.unlock_with_recovery_key(&f.recovery_key, "135792").unwrap();
    assert!(!f.vault.lifecycle_status().unwrap().duress_pin_set);
    f.vault.lock();
    f.vault.unlock("135792").unwrap();
    f.vault.lock();
    assert!(f.vault.set_duress_pin(DURESS).is_err(), "locked");
}

#[test]
fn days_without_an_unlock_wipe_the_vault_and_leave_only_a_dated_notice() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    assert!(matches!(f.vault.set_inactivity_wipe_days(Some(0)).unwrap_err(), CoreError::InvalidInput { .. }));
    f.vault.set_inactivity_wipe_days(Some(30)).unwrap();
    f.vault.lock();
    // 29 days: it opens, and the count starts again.
    f.clock.advance(Duration::days(29));
    assert!(!f.vault.enforce_inactivity_wipe().unwrap());
    assert_eq!(f.vault.lifecycle_status().unwrap().days_until_inactivity_wipe, Some(1));
    f.vault.unlock(PIN).unwrap();
    f.vault.lock();
    f.clock.advance(Duration::days(29));
    assert!(!f.vault.enforce_inactivity_wipe().unwrap());
    // 30 days since the last unlock: gone at the next look.
    f.clock.advance(Duration::days(1));
    assert!(f.vault.enforce_inactivity_wipe().unwrap());
    assert_eq!(names(&f.dir), vec![WIPE_NOTICE_FILE.to_string()]);
    assert_eq!(f.keys.key_count(), 0);
    let notice = wipe_notice(&f.dir).unwrap();
    assert_eq!(notice.after_days, 30);
    assert_eq!(notice.wiped_on, f.clock.now().date_naive());
    let raw = String::from_utf8(std::fs::read(f.dir.join(WIPE_NOTICE_FILE)).unwrap()).unwrap();
    assert!(MARKERS.iter().all(|m| !raw.contains(m)), "{raw}");
    // A new vault in the folder records what happened to the one before, and the notice goes.
    let created =
        Vault::create_with_test_kdf(&f.dir, "246813", f.keys.clone(), f.clock.clone(), TEST_ITERATIONS).unwrap();
    let log = created.vault.audit_list(None, 10).unwrap().entries;
    assert_eq!(log.last().map(|e| (e.kind, e.count)), Some((AuditKind::PreviousVaultWiped, 30)));
    assert_eq!(wipe_notice(&f.dir), None);
}

#[test]
fn an_unlock_attempt_after_the_days_wipes_before_any_pin_is_tried() {
    let f = fixture();
    f.vault.set_inactivity_wipe_days(Some(7)).unwrap();
    f.vault.lock();
    f.clock.advance(Duration::days(8));
    let calls = f.keys.pin_factor_calls();
    assert_eq!(f.vault.unlock(PIN).unwrap_err(), CoreError::NoVault);
    assert_eq!(f.keys.pin_factor_calls(), calls, "no PIN was tried");
    assert_eq!(wipe_notice(&f.dir).map(|n| n.after_days), Some(7));
    assert_eq!(wipe_notice(&f.dir).map(|n| n.wiped_on), Some(NaiveDate::from_ymd_opt(2026, 4, 8).unwrap()));
}

#[test]
fn a_manual_wipe_leaves_nothing_either() {
    let f = fixture();
    std::fs::write(f.dir.join(WIPE_NOTICE_FILE), br#"{"wiped_on":"2026-01-01","after_days":3}"#).unwrap();
    std::fs::write(f.dir.join("backup-snapshot.tmp"), b"left by a crash").unwrap();
    f.vault.wipe().unwrap();
    assert!(names(&f.dir).is_empty(), "{:?}", names(&f.dir));
}

#[test]
fn a_restore_into_a_wiped_folder_records_the_wipe_and_clears_the_notice() {
    let f = fixture();
    populate(&f.vault, &f.clock);
    let backup = f._tmp.path().join("before.bbk");
    f.vault.create_backup(&backup).unwrap();
    f.vault.set_inactivity_wipe_days(Some(7)).unwrap();
    f.vault.lock();
    f.clock.advance(Duration::days(8));
    assert!(f.vault.enforce_inactivity_wipe().unwrap());
    assert!(wipe_notice(&f.dir).is_some());
    let (restored, _) =
        Vault::restore(&backup, &f.recovery_key, &f.dir, "246813", f.keys.clone(), f.clock.clone()).unwrap();
    let kinds: Vec<(AuditKind, u64)> =
        restored.audit_list(None, 3).unwrap().entries.iter().map(|e| (e.kind, e.count)).collect();
    assert_eq!(kinds, [(AuditKind::Unlocked, 0), (AuditKind::Restored, 0), (AuditKind::PreviousVaultWiped, 7)]);
    assert_eq!(wipe_notice(&f.dir), None);
}
