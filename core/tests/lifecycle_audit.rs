//! The audit log (SPEC §2 I): every kind of event is recorded without personal data, the
//! chain is checked against the head sealed in the vault state, and an entry edited,
//! deleted, cut off or added behind the app's back is found, and where.

mod common;
mod lifecycle_support;

use brobygger_core::messages::Language;
use brobygger_core::*;
use chrono::Duration;
use common::*;
use lifecycle_support::*;
use rusqlite::Connection;

struct Refuse;
impl SmsSender for Refuse {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Failed { retryable: false, reason: "radio_off".into() })
    }
}

fn kinds(v: &Vault) -> Vec<(AuditKind, Option<AuditObject>)> {
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = v.audit_list(before, 7).unwrap();
        all.extend(page.entries.iter().map(|e| (e.kind, e.object)));
        match page.next_before {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    all.reverse();
    all
}

#[test]
fn every_event_is_recorded_in_order_and_without_personal_data() {
    let f = fixture();
    let v = &f.vault;
    v.lock();
    assert!(matches!(v.unlock("864213").unwrap_err(), CoreError::WrongPin { .. }));
    v.unlock(PIN).unwrap();
    v.change_pin(PIN, "246813").unwrap();
    let secret = v.enroll_biometric().unwrap();
    v.lock();
    v.unlock_with_biometric(&secret).unwrap();
    v.set_biometric_survives_pin_lockout(false).unwrap();
    v.remove_biometric().unwrap();
    let recovery = v.rotate_recovery_key().unwrap().to_string();
    v.set_duress_pin("918273").unwrap();
    v.remove_duress_pin().unwrap();
    v.set_inactivity_wipe_days(Some(30)).unwrap();
    v.set_retention_settings(RetentionSettings { purge_after_days: 60, ..Default::default() }).unwrap();
    let (ole, kim) = populate(v, &f.clock);
    let export = v.export_citizen(&ole.id, Language::Da).unwrap();
    v.create_backup(&f._tmp.path().join("b.bbk")).unwrap();
    let draft = v.create_note(NoteInput { text: "kladde".into(), ..Default::default() }).unwrap();
    v.discard_draft(&draft.id).unwrap();
    v.delete_citizen(&kim.id).unwrap();
    // A reminder that fails for good, then dropped by the worker.
    f.clock.set(cph(2026, 3, 20, 17, 0));
    v.unlock("246813").unwrap();
    v.run_outbox(&Refuse, None).unwrap();
    let failed = v.list_reminders(None).unwrap().into_iter().find(|r| r.state == ReminderState::Failed).unwrap();
    v.resolve_reminder(&failed.id, Resolution::Drop).unwrap();
    v.lock();
    v.unlock_with_recovery_key(&recovery, "135792").unwrap();
    // Ten wrong PINs in a row, waiting out each delay.
    v.lock();
    for _ in 0..10 {
        f.clock.advance(Duration::hours(2));
        let _ = v.unlock("111222");
    }
    assert!(v.status().unwrap().pin_disabled);

    use AuditKind as K;
    use AuditObject as O;
    f.clock.advance(Duration::hours(2));
    let v2 = {
        v.unlock_with_recovery_key(&recovery, "135793").unwrap();
        v
    };
    let got = kinds(v2);
    let expected = [
        (K::VaultCreated, None),
        (K::WrongPin, None),
        (K::Unlocked, Some(O::Pin)),
        // A PIN change checks the old PIN through the counted unlock path.
        (K::Unlocked, Some(O::Pin)),
        (K::PinChanged, Some(O::Pin)),
        (K::BiometricEnrolled, Some(O::Biometric)),
        (K::Unlocked, Some(O::Biometric)),
        (K::BiometricSettingChanged, Some(O::Biometric)),
        (K::BiometricRemoved, Some(O::Biometric)),
        (K::RecoveryKeyReplaced, Some(O::RecoveryKey)),
        (K::DuressPinSet, Some(O::Pin)),
        (K::DuressPinRemoved, Some(O::Pin)),
        (K::SettingsChanged, Some(O::InactivityWipe)),
        (K::SettingsChanged, Some(O::Retention)),
        (K::CitizenExported, Some(O::Citizen)),
        (K::BackupCreated, Some(O::Backup)),
        (K::Deleted, Some(O::Draft)),
        (K::Deleted, Some(O::Citizen)),
        (K::Unlocked, Some(O::Pin)),
        (K::ReminderDropped, Some(O::Reminder)),
        (K::RecoveryKeyUsed, Some(O::RecoveryKey)),
    ];
    assert_eq!(&got[..expected.len()], &expected[..], "{got:#?}");
    let tail = &got[expected.len()..];
    assert_eq!(tail.iter().filter(|k| k.0 == K::WrongPin).count(), 10, "{tail:?}");
    assert_eq!(tail.iter().filter(|k| k.0 == K::PinDisabled).count(), 1);
    assert_eq!(tail.last(), Some(&(K::RecoveryKeyUsed, Some(O::RecoveryKey))));
    let exported =
        v2.audit_list(None, 1000).unwrap().entries.into_iter().find(|e| e.kind == K::CitizenExported).unwrap();
    assert_eq!(exported.count as u32, export.records);
    assert!(v2.audit_verify().unwrap().intact(), "{:?}", v2.audit_verify());

    // What the table holds: codes, times and counts; never a name, number, text or id.
    let conn = Connection::open(f.dir.join("vault.db")).unwrap();
    let mut s = conn.prepare("SELECT kind, object FROM audit_log").unwrap();
    for row in s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))).unwrap() {
        let (kind, object) = row.unwrap();
        assert!(AuditKind::parse(&kind).is_some(), "{kind}");
        assert!(object.is_none_or(|o| AuditObject::parse(&o).is_some()));
    }
    let dumped = format!("{:?}", dump(&f.dir.join("vault.db"), &[]).get("audit_log").unwrap());
    for secret in
        MARKERS.iter().copied().chain([ole.id.as_str(), kim.id.as_str(), draft.id.as_str(), failed.id.as_str()])
    {
        assert!(!dumped.contains(secret), "{secret} in the audit log");
    }
}

#[test]
fn locked_the_log_shows_counts_only() {
    let f = fixture();
    f.vault.lock();
    let _ = f.vault.unlock("864213");
    let _ = f.vault.unlock("864214");
    let s = f.vault.audit_summary().unwrap();
    assert_eq!(s.entries, 3);
    assert!(s.by_kind.contains(&(AuditKind::WrongPin, 2)));
    assert_eq!(f.vault.audit_list(None, 10).unwrap_err(), CoreError::Locked);
    assert!(f.vault.audit_verify().unwrap().intact());
}

/// The raw connection, with the append-only triggers taken off and put back exactly as they
/// were (so the schema check at open sees nothing), around `sql`.
fn behind_the_apps_back(f: &Fixture, sql: &str) {
    let conn = Connection::open(f.dir.join("vault.db")).unwrap();
    let triggers: Vec<(String, String)> = {
        let mut s = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(triggers.len(), 2);
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    conn.execute_batch(sql).unwrap();
    for (_, sql) in &triggers {
        conn.execute_batch(sql).unwrap();
    }
}

fn with_entries() -> Fixture {
    let f = fixture();
    for _ in 0..4 {
        f.vault.lock();
        f.vault.unlock(PIN).unwrap();
    }
    f.vault.lock();
    f
}

#[test]
fn an_entry_edited_deleted_cut_off_or_added_is_found_and_placed() {
    let cases: [(&str, AuditProblem, u64); 4] = [
        ("UPDATE audit_log SET kind = 'pin_changed' WHERE seq = 3", AuditProblem::EntryChanged, 3),
        ("DELETE FROM audit_log WHERE seq = 2", AuditProblem::EntryMissing, 2),
        ("DELETE FROM audit_log WHERE seq >= 4", AuditProblem::Truncated, 4),
        // An entry added with a copied hash breaks the chain where it stands.
        (
            "INSERT INTO audit_log (seq, at, kind, object, count, hash) SELECT seq + 1, at, kind, object, count, hash FROM audit_log WHERE seq = 5",
            AuditProblem::EntryChanged,
            6,
        ),
    ];
    for (sql, problem, at) in cases {
        let mut f = with_entries();
        assert!(f.vault.audit_verify().unwrap().intact());
        behind_the_apps_back(&f, sql);
        f.reopen().unwrap();
        let check = f.vault.audit_verify().unwrap();
        assert_eq!(check.problem, Some((problem, at)), "{sql}");
        // The vault still opens and works; the log says where it breaks.
        f.vault.unlock(PIN).unwrap();
        assert!(!f.vault.audit_verify().unwrap().intact());
    }
    // An entry added with a hash computed as the chain's rule says (it is no secret): the
    // chain holds, but it runs past the head the vault sealed.
    let mut f = with_entries();
    let conn = Connection::open(f.dir.join("vault.db")).unwrap();
    let (seq, prev): (i64, Vec<u8>) = conn
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    drop(conn);
    let (at, kind, object, count) = (1_800_000_000_000i64, "unlocked", "pin", 0u64);
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(b"brobygger-audit-v1");
    ctx.update(&prev);
    ctx.update(&((seq + 1) as u64).to_be_bytes());
    ctx.update(&at.to_be_bytes());
    for part in [kind, object] {
        ctx.update(&(part.len() as u32).to_be_bytes());
        ctx.update(part.as_bytes());
    }
    ctx.update(&count.to_be_bytes());
    let hash = ctx.finish().as_ref().to_vec();
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    behind_the_apps_back(
        &f,
        &format!("INSERT INTO audit_log (seq, at, kind, object, count, hash) VALUES ({}, {at}, '{kind}', '{object}', {count}, x'{hex}')", seq + 1),
    );
    f.reopen().unwrap();
    assert_eq!(f.vault.audit_verify().unwrap().problem, Some((AuditProblem::UnknownEntries, seq as u64 + 1)));

    // A whole older copy of the file names a state key that is gone.
    let mut f = with_entries();
    let old = std::fs::read(f.dir.join("vault.db")).unwrap();
    f.vault.unlock(PIN).unwrap();
    f.vault.lock();
    drop(std::mem::replace(&mut f.vault, Vault::open(&f.dir, f.keys.clone(), f.clock.clone()).unwrap()));
    std::fs::write(f.dir.join("vault.db"), old).unwrap();
    f.reopen().unwrap();
    assert_eq!(f.vault.audit_verify().unwrap_err(), CoreError::PlatformKeysMissing);
}
