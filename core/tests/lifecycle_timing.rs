//! How long a backup and a restore take on a vault of 200 citizens, 10 000 notes and 5 000
//! appointments (with their reminders): a measurement, not a timed test (it asserts nothing
//! about time). Each step runs beside a plain copy of the database file, in turn, so a busy
//! moment of the shared machine falls on both sides of the ratio.
//!
//! `cargo test --release -p brobygger-core --test lifecycle_timing -- --ignored --nocapture`

mod common;
mod lifecycle_support;

use brobygger_core::backup;
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::*;
use chrono::{Duration, NaiveDate};
use common::*;
use std::sync::Arc;
use std::time::Instant;

const CITIZENS: usize = 200;
const NOTES: usize = 10_000;
const APPOINTMENTS: usize = 5_000;
const ROUNDS: usize = 3;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[test]
#[ignore]
fn backup_and_restore_of_a_full_vault() {
    let f = fixture();
    let v = &f.vault;
    let t = Instant::now();
    v.set_worker_profile("Mette", "61 22 33 44", WorkerRole::Caseworker).unwrap();
    let citizens: Vec<String> = (0..CITIZENS)
        .map(|i| {
            v.add_citizen(NewCitizen {
                nickname: format!("Borger {i}"),
                phone: Some(format!("20 {:02} {:02} {:02}", i / 100 + 10, i % 100, (i * 7) % 100)),
                sms_consent: Some(ConsentMethod::Verbal),
                ..Default::default()
            })
            .unwrap()
            .id
        })
        .collect();
    for i in 0..NOTES {
        v.create_note(NoteInput {
            citizen_id: Some(citizens[i % CITIZENS].clone()),
            text: format!("Samtale {i}: {}", "kaffe og snak om bolig, økonomi og jobcentret ".repeat(6)),
            topics: vec![Topic::FinancesHousing],
            ..Default::default()
        })
        .unwrap();
        if !v.is_unlocked() {
            v.unlock(PIN).unwrap();
        }
    }
    let first = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    for i in 0..APPOINTMENTS {
        let day = first + Duration::days((i / 20) as i64);
        v.book_appointment(NewAppointment {
            citizen_id: citizens[i % CITIZENS].clone(),
            venue_id: None,
            local_start: day.and_hms_opt(8 + (i % 10) as u32, 0, 0).unwrap(),
            duration_minutes: 45,
            kind: AppointmentKind::HomeVisit,
            outside_place: None,
        })
        .unwrap();
        if !v.is_unlocked() {
            v.unlock(PIN).unwrap();
        }
    }
    v.lock();
    v.unlock(PIN).unwrap();
    let db = f.dir.join("vault.db");
    let db_len = std::fs::metadata(&db).unwrap().len();
    eprintln!("vault filled in {:.1} s: {} MB", t.elapsed().as_secs_f64(), db_len / 1_000_000);

    let (mut backups, mut copies, mut restores, mut opens, mut verifies) = (vec![], vec![], vec![], vec![], vec![]);
    let mut bytes = 0;
    for round in 0..ROUNDS {
        let out = f._tmp.path().join(format!("b{round}.bbk"));
        let t = Instant::now();
        bytes = v.create_backup(&out).unwrap().bytes;
        backups.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        std::fs::copy(&db, f._tmp.path().join(format!("copy{round}.db"))).unwrap();
        copies.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        assert!(v.verify_backup(&out).unwrap().ok());
        verifies.push(t.elapsed().as_secs_f64());
        let target = f._tmp.path().join(format!("restored{round}"));
        let keys = Arc::new(MemoryKeyStore::new());
        let t = Instant::now();
        backup::restore_files(&out, &f.recovery_key, &target, "975310", keys.clone(), f.clock.clone()).unwrap();
        restores.push(t.elapsed().as_secs_f64());
        // The first unlock: the outbox sealed again under a new key, the retention run.
        let t = Instant::now();
        let r = Vault::open(&target, keys, f.clock.clone()).unwrap();
        r.unlock("975310").unwrap();
        opens.push(t.elapsed().as_secs_f64());
        if !v.is_unlocked() {
            v.unlock(PIN).unwrap();
        }
    }
    let (b, c) = (median(backups), median(copies));
    eprintln!("database {db_len} bytes, backup file {bytes} bytes");
    eprintln!(
        "backup (snapshot, encrypt, sync, rename): {:.0} ms; plain copy of the file {:.0} ms ({:.1}×)",
        b * 1e3,
        c * 1e3,
        b / c
    );
    eprintln!("verify a backup (every chunk): {:.0} ms", median(verifies) * 1e3);
    eprintln!("restore (verify, decrypt, check, new keys, rename): {:.0} ms", median(restores) * 1e3);
    eprintln!("first unlock of the restored vault (outbox sealed again, retention): {:.0} ms", median(opens) * 1e3);
}
