//! The Today screen (`today(date)`, one call), the day's agenda alone and the due-reminder
//! query on a vault of 200 citizens and 5 000 appointments with their reminders (SPEC §6:
//! agenda and due-reminder query under 1 ms; issue 8: today() under 2 ms), beside plain
//! SQLite holding the same appointments in clear (the day's rows with the citizens'
//! nicknames), measured in alternation.
//!
//! ```text
//! cargo bench -p brobygger-core --bench agenda
//! cargo bench -p brobygger-core --bench agenda -- --notes 10000   with 10 000 draft notes too
//! cargo bench -p brobygger-core --bench agenda -- --profile today --iterations 5000
//! ```
//! `--notes N` adds N draft notes (one durable create_note each, before the clock moves on):
//! Today's attention list counts and lists the drafts left for more than a day.
//! `--profile OP` (today, agenda, due) runs OP in a loop in `profile_loop`, for a profiler;
//! with `--no-sweep` the past reminders are left planned (not failed as too late), so Today's
//! attention list has no failed reminders to go through.
//! Without `--bench` (as `cargo test --all-targets` runs it): a small smoke run.

use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rusqlite::{params, Connection};
use std::sync::Arc;
use std::time::Instant;

struct Nobody;
impl SmsSender for Nobody {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

fn percentile(v: &[std::time::Duration], p: f64) -> std::time::Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

#[inline(never)]
fn profile_loop(n: usize, mut op: impl FnMut()) {
    for _ in 0..n {
        op();
    }
}

/// The day's appointments as a plain app would read them: the rows of the day by start, the
/// citizen's nickname joined.
fn plain_today(conn: &Connection, from: i64, to: i64) -> Vec<(String, String, i64, i64, String, String)> {
    conn.prepare_cached(
        "SELECT a.id, c.nickname, a.starts_at, a.ends_at, a.time_zone, a.status FROM appointments a
         LEFT JOIN citizens c ON c.id = a.citizen_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.status != 'rescheduled' ORDER BY a.starts_at, a.id",
    )
    .unwrap()
    .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
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
    let plain = Connection::open(tmp.path().join("plain.db")).unwrap();
    plain.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())).unwrap();
    plain.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;").unwrap();
    brobygger_core::store::migrations::migrate(&plain).unwrap();
    plain.execute_batch("BEGIN").unwrap();
    plain.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'general', x'00')", []).unwrap();
    for (i, id) in ids.iter().enumerate() {
        plain
            .execute(
                "INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES (?1, 1, 0, 0, ?2, x'00')",
                params![id, format!("Borger {i}")],
            )
            .unwrap();
    }
    // 5 000 appointments over the year, 20 on each weekday, booked from 5 January (the smoke
    // run's 300 from 8 June, so the day measured has some).
    let first = if full { NaiveDate::from_ymd_opt(2026, 1, 6) } else { NaiveDate::from_ymd_opt(2026, 6, 8) }.unwrap();
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
            let b = vault
                .book_appointment(NewAppointment {
                    citizen_id: ids[booked % ids.len()].clone(),
                    venue_id: None,
                    local_start: at,
                    duration_minutes: 20,
                    kind: AppointmentKind::Conversation,
                    outside_place: None,
                })
                .unwrap();
            let a = b.appointment;
            plain
                .execute(
                    "INSERT INTO appointments (id, citizen_id, key_id, kind, starts_at, ends_at, time_zone, status, created_at, updated_at)
                     VALUES (?1, ?2, 1, 'conversation', ?3, ?4, ?5, 'planned', 0, 0)",
                    params![a.id, a.citizen_id, a.starts_at.timestamp_millis(), a.ends_at.timestamp_millis(), a.time_zone],
                )
                .unwrap();
            booked += 1;
        }
    }
    plain.execute_batch("COMMIT").unwrap();
    let notes: usize = args
        .iter()
        .position(|a| a == "--notes")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for i in 0..notes {
        clock.advance(Duration::seconds(30));
        vault
            .create_note(NoteInput {
                citizen_id: if i % 10 == 0 { None } else { Some(ids[i % ids.len()].clone()) },
                text: format!("Note {i}: kaffe og snak om bolig"),
                topics: vec![Topic::FinancesHousing],
                ..Default::default()
            })
            .unwrap();
    }
    // Half a year on: the first half are in the past, their reminders sent.
    let mid = Utc.with_ymd_and_hms(2026, 6, 16, 6, 0, 0).unwrap();
    clock.set(mid);
    // `--no-sweep` (profiling only): leave the past reminders planned, not yet failed as too late.
    if !args.iter().any(|a| a == "--no-sweep") {
        vault.run_outbox(&Nobody, None).unwrap();
    }
    vault.unlock("135790").unwrap();
    // What the attention list has to look through (states are not personal).
    let states: Vec<String> = Connection::open(tmp.path().join("v").join("vault.db"))
        .unwrap()
        .prepare("SELECT state, count(*) FROM reminders GROUP BY state ORDER BY state")
        .unwrap()
        .query_map([], |r| Ok(format!("{} {}", r.get::<_, i64>(1)?, r.get::<_, String>(0)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let today = NaiveDate::from_ymd_opt(2026, 6, 16).unwrap();
    let zone = chrono_tz::Europe::Copenhagen;
    let from = zone.from_local_datetime(&today.and_hms_opt(0, 0, 0).unwrap()).unwrap().timestamp_millis();
    let to = zone
        .from_local_datetime(&(today + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap())
        .unwrap()
        .timestamp_millis();

    // Both sides list the same appointments in the same order.
    let core_ids: Vec<String> =
        vault.today(today).unwrap().appointments.into_iter().map(|a| a.appointment_id).collect();
    let plain_ids: Vec<String> = plain_today(&plain, from, to).into_iter().map(|r| r.0).collect();
    assert_eq!(core_ids, plain_ids, "today's appointments differ between the sides");
    assert!(!core_ids.is_empty());

    if let Some(i) = args.iter().position(|a| a == "--profile") {
        let op = args.get(i + 1).map(String::as_str).unwrap_or("today");
        let n: usize = args
            .iter()
            .position(|a| a == "--iterations")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        // A profiler can attach now (perf record -p PID): the setup is done.
        eprintln!("profile loop starts (pid {})", std::process::id());
        let t = Instant::now();
        match op {
            "today" => profile_loop(n, || assert!(!vault.today(today).unwrap().appointments.is_empty())),
            "agenda" => profile_loop(n, || assert!(!vault.agenda_day(today).unwrap().is_empty())),
            "due" => profile_loop(n, || assert_eq!(vault.run_outbox(&Nobody, None).unwrap().handed_over, 0)),
            other => panic!("unknown --profile operation {other}"),
        }
        eprintln!("{op}: {n} runs, {:.3} ms each", t.elapsed().as_secs_f64() * 1e3 / n as f64);
        return;
    }

    let runs = if full { 501 } else { 5 };
    let (mut today_core, mut today_plain, mut agenda, mut due, mut next) = (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..runs {
        let core = || timed(|| assert_eq!(vault.today(today).unwrap().appointments.len(), core_ids.len())).1;
        let plain_side = || timed(|| assert_eq!(plain_today(&plain, from, to).len(), core_ids.len())).1;
        if i % 2 == 0 {
            today_core.push(core());
            today_plain.push(plain_side());
        } else {
            today_plain.push(plain_side());
            today_core.push(core());
        }
        agenda.push(timed(|| vault.agenda_day(today).unwrap()).1);
        due.push(timed(|| assert_eq!(vault.run_outbox(&Nobody, None).unwrap().handed_over, 0)).1);
        next.push(timed(|| vault.next_outbox_run_at().unwrap()).1);
    }
    let ms = |d: std::time::Duration| format!("{:.3} ms", d.as_secs_f64() * 1e3);
    println!(
        "## Today and the outbox: {citizens} citizens, {booked} appointments (about 2 reminders each), {notes} draft notes\n"
    );
    if !full {
        println!(
            "SMOKE RUN (not `cargo bench`): a small workload that proves every line runs; the figures mean nothing.\n"
        );
    }
    println!(
        "Today's screen lists {} appointments; the reminders stand at {}. The plain side reads the same day's rows in \
         clear with the nicknames joined.\n",
        core_ids.len(),
        states.join(", ")
    );
    println!("| measure | Brobygger p50 | p99 | plain p50 | p99 | ratio p50 / p99 | runs | budget |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    let (c50, c99, p50, p99) = (
        percentile(&today_core, 0.5),
        percentile(&today_core, 0.99),
        percentile(&today_plain, 0.5),
        percentile(&today_plain, 0.99),
    );
    println!(
        "| today(date): agenda and attention list, one call | {} | {} | {} | {} | {:.2} / {:.2} | {runs} | < 2 ms |",
        ms(c50),
        ms(c99),
        ms(p50),
        ms(p99),
        c50.as_secs_f64() / p50.as_secs_f64(),
        c99.as_secs_f64() / p99.as_secs_f64()
    );
    for (name, v, budget) in [
        ("agenda_day (appointments alone)", &agenda, "< 1 ms"),
        ("due-reminder query (an outbox run with nothing due)", &due, "< 1 ms"),
        ("next outbox run time", &next, ""),
    ] {
        println!("| {name} | {} | {} | | | | {runs} | {budget} |", ms(percentile(v, 0.5)), ms(percentile(v, 0.99)));
    }
}
