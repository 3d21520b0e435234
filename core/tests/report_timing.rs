//! What a year's evaluation report costs on a full vault: 200 citizens, 10 000 notes and
//! 5 000 appointments (SPEC §6's vault), with `BROBYGGER_REPORT_FULL=1`; a small vault
//! otherwise, so the plain test run stays quick. Timings are printed, never asserted: the
//! report is measured in turn with a full count over every note's text (what a search of the
//! whole vault costs), so the ratio of the two comes from one interleaved run.
//!
//! `BROBYGGER_REPORT_FULL=1 cargo test --release -p brobygger-core --test report_timing -- --nocapture`

mod common;

use brobygger_core::messages::Language;
use brobygger_core::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::*;
use std::time::{Duration as Elapsed, Instant};

struct Accept;
impl SmsSender for Accept {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

fn median(mut v: Vec<Elapsed>) -> Elapsed {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn a_years_report_on_a_full_vault() {
    let full = std::env::var("BROBYGGER_REPORT_FULL").is_ok_and(|v| v == "1");
    let (citizens, notes, appointments) = if full { (200, 10_000, 5_000) } else { (20, 300, 200) };
    let f = fixture();
    let v = &f.vault;
    f.clock.set(Utc.with_ymd_and_hms(2026, 1, 1, 7, 0, 0).unwrap());
    v.unlock(PIN).ok();
    v.set_auto_lock_minutes(240).unwrap();
    v.set_worker_profile("Mette", "61223344", WorkerRole::Caseworker).unwrap();
    let place = v
        .add_venue(NewVenue {
            name: "Borgercaféen".into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: true,
            time_zone: None,
        })
        .unwrap();
    let ids: Vec<String> = (0..citizens)
        .map(|i| {
            v.add_citizen(NewCitizen {
                nickname: format!("Borger {i}"),
                phone: Some(format!("20{:06}", 304_050 + i)),
                sms_consent: (i % 2 == 0).then_some(ConsentMethod::Verbal),
                ..Default::default()
            })
            .unwrap()
            .id
        })
        .collect();
    let kinds = [AppointmentKind::Conversation, AppointmentKind::StatutoryMeeting, AppointmentKind::HomeVisit];
    let first = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let mut booked = Vec::new();
    for i in 0..appointments {
        let date = first + Duration::days((i as i64 * 355) / appointments as i64);
        let at = date.and_hms_opt(9 + (i % 7) as u32, 0, 0).unwrap();
        let b = v
            .book_appointment(NewAppointment {
                citizen_id: ids[i % ids.len()].clone(),
                venue_id: (i % 3 != 2).then(|| place.id.clone()),
                local_start: at,
                duration_minutes: 30,
                kind: kinds[i % 3],
                outside_place: None,
            })
            .unwrap();
        booked.push(b.appointment.id);
    }
    // The first reminders go out; the rest end too late.
    f.clock.set(Utc.with_ymd_and_hms(2026, 1, 4, 16, 5, 0).unwrap());
    v.run_outbox(&Accept, None).unwrap();
    f.clock.set(Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap());
    v.unlock(PIN).unwrap();
    v.run_outbox(&Accept, None).unwrap();
    for (i, id) in booked.iter().enumerate() {
        v.set_outcome(id, if i % 9 == 0 { Outcome::NoShow } else { Outcome::Attended }).unwrap();
    }
    let year = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    for i in 0..notes {
        let topics: Vec<Topic> = Topic::ALL.iter().copied().filter(|t| (i + *t as usize) % 3 == 0).collect();
        v.create_note(NoteInput {
            citizen_id: (i % 5 != 0).then(|| ids[i % ids.len()].clone()),
            text: format!("Samtale nummer {i} om økonomi, bolig og hvad der ellers fylder."),
            topics,
            help_given: vec![HelpGiven::ALL[i % 8]],
            // Spread over 2026 (360 days from 1 January, noon).
            occurred_at: Some(year + Duration::minutes((i as i64 * 518_400) / notes as i64)),
        })
        .unwrap();
    }

    let (from, to) = (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    let figures = v.evaluation_figures(from, to, None).unwrap();
    assert_eq!(figures.notes.as_ref().unwrap().conversations, notes as u32);
    assert_eq!(figures.appointments.iter().map(|k| k.total()).sum::<u32>(), appointments as u32);
    assert_eq!(figures.no_shows.overall.n, appointments as u32);
    assert_eq!(figures.no_shows.overall.events, appointments.div_ceil(9) as u32);

    let (mut raw, mut report, mut exports, mut scan) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        let t = Instant::now();
        let counted = v.evaluation_figures(from, to, None).unwrap();
        raw.push(t.elapsed());
        assert_eq!(counted.no_shows.overall.n, appointments as u32);
        let t = Instant::now();
        let r = v.evaluation_report(from, to, None, Language::Da).unwrap();
        report.push(t.elapsed());
        let t = Instant::now();
        let html = r.to_html();
        let csv = r.to_csv();
        exports.push(t.elapsed());
        assert!(html.len() > 10_000 && csv.len() == 10);
        let t = Instant::now();
        let n = v.count_note_matches("ingen-træffer-her").unwrap();
        scan.push(t.elapsed());
        assert_eq!(n.matches, 0);
    }
    let (raw, report, exports, scan) = (median(raw), median(report), median(exports), median(scan));
    eprintln!(
        "evaluation report for a year, {notes} notes and {appointments} appointments: {:.1} ms (median of 7), \
         of which reading the figures {:.1} ms; HTML + CSV: {:.2} ms; a full count over every note's text: {:.1} ms; \
         report / full count = {:.2}",
        report.as_secs_f64() * 1e3,
        raw.as_secs_f64() * 1e3,
        exports.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        report.as_secs_f64() / scan.as_secs_f64()
    );
}
