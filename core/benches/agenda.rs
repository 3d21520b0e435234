//! Today's agenda and the due-reminder query on a vault of 200 citizens and 5 000
//! appointments with their reminders (SPEC §6: both under 1 ms).
//!
//! `cargo bench -p brobygger-core --bench agenda`

use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use std::time::Instant;

struct Nobody;
impl SmsSender for Nobody {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

fn median(mut v: Vec<std::time::Duration>) -> std::time::Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (citizens, appointments) = if full { (200, 5_000) } else { (20, 300) };
    let tmp = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::new());
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 7, 0, 0).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let vault = Vault::create_with_test_kdf(&tmp.path().join("v"), "135790", keys, clock.clone(), 1).unwrap().vault;
    vault.set_worker_profile("Mette", "61223344", WorkerRole::Caseworker).unwrap();
    let ids: Vec<String> = (0..citizens)
        .map(|i| {
            vault
                .add_citizen(NewCitizen {
                    nickname: format!("Borger {i}"),
                    phone: Some(format!("20{:06}", 304_050 + i)),
                    sms_consent: Some(ConsentMethod::Verbal),
                    ..Default::default()
                })
                .unwrap()
                .id
        })
        .collect();
    // 5 000 appointments over the year, about 20 on each weekday, booked from 5 January.
    let first = NaiveDate::from_ymd_opt(2026, 1, 6).unwrap();
    let mut booked = 0;
    let mut day = 0;
    while booked < appointments {
        let date = first + Duration::days(day);
        day += 1;
        if chrono::Datelike::weekday(&date).number_from_monday() > 5 {
            continue;
        }
        for slot in 0..20 {
            if booked == appointments {
                break;
            }
            let at = date.and_hms_opt(9 + slot / 3, (slot % 3) * 20, 0).unwrap();
            vault
                .book_appointment(NewAppointment {
                    citizen_id: ids[booked % ids.len()].clone(),
                    venue_id: None,
                    local_start: at,
                    duration_minutes: 20,
                    kind: AppointmentKind::Conversation,
                    outside_place: None,
                })
                .unwrap();
            booked += 1;
        }
    }
    // Half a year on: the first half are in the past, their reminders sent.
    let mid = Utc.with_ymd_and_hms(2026, 6, 16, 6, 0, 0).unwrap();
    clock.set(mid);
    vault.run_outbox(&Nobody).unwrap();
    vault.unlock("135790").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 6, 16).unwrap();
    let runs = 101;
    let agenda = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                let a = vault.agenda_day(today).unwrap();
                let d = t.elapsed();
                assert!(!a.is_empty() || !full);
                d
            })
            .collect(),
    );
    let due = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                let run = vault.run_outbox(&Nobody).unwrap();
                let d = t.elapsed();
                assert_eq!(run.handed_over, 0);
                d
            })
            .collect(),
    );
    let next = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                vault.next_outbox_run_at().unwrap();
                t.elapsed()
            })
            .collect(),
    );
    let ms = |d: std::time::Duration| format!("{:.3} ms", d.as_secs_f64() * 1e3);
    println!("Appointments: {citizens} citizens, {booked} appointments (about 2 reminders each)\n");
    println!("| measure | median | budget |");
    println!("| --- | --- | --- |");
    println!("| today's agenda | {} | < 1 ms |", ms(agenda));
    println!("| due-reminder query (an outbox run with nothing due) | {} | < 1 ms |", ms(due));
    println!("| next outbox run time | {} | |", ms(next));
}
