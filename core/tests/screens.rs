//! The calls the phone screens make: Today, a citizen's overview, the booking preview, and
//! what the outbox key alone can read after every way a reminder can end.

mod common;

use brobygger_core::*;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use common::*;
use rusqlite::Connection;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

fn cph(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.from_local_datetime(&local(y, m, d, h, min)).earliest().unwrap().with_timezone(&Utc)
}

struct Accept;
impl SmsSender for Accept {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

struct Day {
    f: Fixture,
    venue: Venue,
    ole: Citizen,
}

fn day() -> Day {
    let f = fixture();
    f.clock.set(cph(2026, 3, 20, 12, 0));
    f.vault.set_worker_profile("Mette", "61 22 33 44", WorkerRole::Caseworker).unwrap();
    let venue = f
        .vault
        .add_venue(NewVenue {
            name: "Borgercaféen".into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: true,
            time_zone: None,
        })
        .unwrap();
    let ole = f
        .vault
        .add_citizen(NewCitizen {
            nickname: "Ole".into(),
            phone: Some("20 30 40 50".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            ..Default::default()
        })
        .unwrap();
    Day { f, venue, ole }
}

impl Day {
    fn book(&self, at: NaiveDateTime, venue: bool) -> Booking {
        self.f
            .vault
            .book_appointment(NewAppointment {
                citizen_id: self.ole.id.clone(),
                venue_id: venue.then(|| self.venue.id.clone()),
                local_start: at,
                duration_minutes: 60,
                kind: AppointmentKind::Conversation,
                outside_place: (!venue).then(|| "Retten i Kolding".into()),
            })
            .unwrap()
    }

    fn at(&self, t: DateTime<Utc>) {
        self.f.clock.set(t);
        if !self.f.vault.is_unlocked() {
            self.f.vault.unlock(PIN).unwrap();
        }
    }
}

#[test]
fn today_shows_the_agenda_with_names_places_and_what_waits() {
    let d = day();
    let v = &d.f.vault;
    let at_cafe = d.book(local(2026, 3, 31, 10, 0), true);
    let in_court = d.book(local(2026, 3, 31, 13, 0), false);
    let yesterday = d.book(local(2026, 3, 30, 9, 0), true);
    let n = v
        .create_note(NoteInput { citizen_id: Some(d.ole.id.clone()), text: "Udkast".into(), ..Default::default() })
        .unwrap();
    v.add_follow_up(
        &n.id,
        FollowUpInput {
            text: "Ring til boligselskabet".into(),
            due_date: NaiveDate::from_ymd_opt(2026, 3, 30),
            owner: WorkerRole::Caseworker,
        },
    )
    .unwrap();
    let final_note = v.create_note(NoteInput { text: "Færdig".into(), ..Default::default() }).unwrap();
    v.finalize_note(&final_note.id).unwrap();
    // Tuesday morning: the day-before reminders went out, one sender answer was lost.
    d.at(cph(2026, 3, 30, 17, 1));
    v.run_outbox(&Accept, Some(1)).unwrap();
    d.at(cph(2026, 3, 31, 8, 30));
    let today = v.today(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    type Row<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, NaiveDateTime);
    let rows: Vec<Row<'_>> = today
        .appointments
        .iter()
        .map(|a| (a.citizen.as_deref(), a.venue.as_deref(), a.outside_place.as_deref(), a.local_start))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some("Ole"), Some("Borgercaféen"), None, local(2026, 3, 31, 10, 0)),
            (Some("Ole"), None, Some("Retten i Kolding"), local(2026, 3, 31, 13, 0)),
        ]
    );
    assert_eq!(today.appointments[0].appointment_id, at_cafe.appointment.id);
    assert_eq!(today.appointments[1].appointment_id, in_court.appointment.id);
    assert!(today.appointments[0].reminders.sent + today.appointments[0].reminders.planned >= 1);
    let codes: Vec<&str> = today.attention.iter().map(AttentionItem::code).collect();
    assert!(codes.contains(&"outcome_missing"), "{codes:?}");
    assert!(codes.contains(&"follow_up_due"), "{codes:?}");
    assert!(codes.contains(&"draft_waiting") || codes.contains(&"not_journalised"), "{codes:?}");
    assert!(codes.contains(&"not_journalised"), "{codes:?}");
    let missing = today.attention.iter().find_map(|a| match a {
        AttentionItem::OutcomeMissing { appointment_id, citizen, .. } => {
            Some((appointment_id.clone(), citizen.clone()))
        }
        _ => None,
    });
    assert_eq!(missing, Some((yesterday.appointment.id.clone(), Some("Ole".into()))));
    let follow_up = today.attention.iter().find_map(|a| match a {
        AttentionItem::FollowUpDue { text, overdue, .. } => Some((text.clone(), *overdue)),
        _ => None,
    });
    assert_eq!(follow_up, Some(("Ring til boligselskabet".into(), true)));
}

#[test]
fn today_lists_unknown_failed_and_held_reminders_and_day_notes() {
    let d = day();
    let v = &d.f.vault;
    v.add_absence(
        NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
        NaiveDate::from_ymd_opt(2026, 4, 8).unwrap(),
        AbsenceReason::Course,
    )
    .unwrap();
    let b = d.book(local(2026, 4, 1, 10, 0), true);
    let held = v.edit_reminder_text(&b.reminders[1].reminder.id, "Husk jobcentret").unwrap();
    assert_eq!(held.hold, Some(Hold::Lint));
    struct Throws;
    impl SmsSender for Throws {
        fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
            Err(SenderFailure { reason: "radio".into() })
        }
    }
    d.at(cph(2026, 3, 31, 17, 1));
    v.run_outbox(&Throws, None).unwrap();
    d.at(cph(2026, 3, 31, 17, 2));
    let today = v.today(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    let codes: Vec<&str> = today.attention.iter().map(AttentionItem::code).collect();
    assert!(codes.contains(&"reminder_unknown") && codes.contains(&"reminder_held"), "{codes:?}");
    let words = today.attention.iter().find_map(|a| match a {
        AttentionItem::ReminderHeld { words, .. } => Some(words.clone()),
        _ => None,
    });
    assert_eq!(words, Some(vec!["jobcentret".to_string()]));
    let easter_monday = v.today(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()).unwrap();
    assert_eq!(easter_monday.day_notes.len(), 2, "{:?}", easter_monday.day_notes);
}

#[test]
fn the_citizen_overview_in_one_call() {
    let d = day();
    let v = &d.f.vault;
    d.book(local(2026, 3, 31, 10, 0), true);
    d.book(local(2026, 4, 7, 10, 0), true);
    for i in 0..8 {
        d.f.clock.advance(Duration::seconds(1));
        v.create_note(NoteInput {
            citizen_id: Some(d.ole.id.clone()),
            text: format!("Samtale {i}"),
            ..Default::default()
        })
        .unwrap();
    }
    let o = v.citizen_overview(&d.ole.id).unwrap();
    assert_eq!(o.citizen.nickname, "Ole");
    assert_eq!(o.reminders_blocked, None);
    assert_eq!(o.next_appointments.len(), 2);
    assert_eq!(o.latest_notes.items.len(), 5);
    assert_eq!(o.latest_notes.items[0].snippet, "Samtale 7");
    assert!(o.latest_notes.next_cursor.is_some());
    let bo = v
        .add_citizen(NewCitizen { nickname: "Bo".into(), phone: Some("33 66 33 66".into()), ..Default::default() })
        .unwrap();
    assert_eq!(v.citizen_overview(&bo.id).unwrap().reminders_blocked, Some(NoReminderReason::NoSmsConsent));
    v.give_sms_consent(&bo.id, ConsentMethod::Written).unwrap();
    assert_eq!(v.citizen_overview(&bo.id).unwrap().reminders_blocked, Some(NoReminderReason::NotMobile));
}

#[test]
fn the_preview_is_the_booking_without_keeping_it() {
    let d = day();
    let v = &d.f.vault;
    d.book(local(2026, 3, 31, 10, 0), true);
    let new = NewAppointment {
        citizen_id: d.ole.id.clone(),
        venue_id: Some(d.venue.id.clone()),
        local_start: local(2026, 3, 31, 10, 30),
        duration_minutes: 30,
        kind: AppointmentKind::StatutoryMeeting,
        outside_place: None,
    };
    let before = std::fs::read(d.f.dir.join("vault.db")).unwrap();
    let preview = v.preview_booking(new.clone()).unwrap();
    assert!(matches!(&preview.warnings[0], BookingWarning::Overlap { citizen: Some(name), local_start, .. }
        if name == "Ole" && *local_start == local(2026, 3, 31, 10, 0)));
    assert_eq!(preview.reminders.len(), 2);
    assert_eq!(preview.reminders[0].local_send_at, local(2026, 3, 30, 17, 0));
    assert!(preview.reminders[0].reminder.text.as_deref().unwrap().contains("tirsdag den 31. marts kl. 10.30"));
    assert_eq!(v.agenda_day(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap().len(), 1, "nothing kept");
    let wal_has_it = std::fs::read(d.f.dir.join("vault.db-wal")).unwrap_or_default();
    assert!(!contains(&wal_has_it, preview.appointment.id.as_bytes()));
    let _ = before;
    // Booking for real gives the same warnings and the same reminders.
    let booked = v.book_appointment(new).unwrap();
    assert_eq!(booked.warning_kinds(), preview.warning_kinds());
    let times = |b: &Booking| {
        b.reminders.iter().map(|r| (r.reminder.kind, r.local_send_at, r.reminder.text.clone())).collect::<Vec<_>>()
    };
    assert_eq!(times(&booked), times(&preview));
    // The DST gap, with the time it moved to.
    let gap = v
        .preview_booking(NewAppointment { local_start: local(2026, 3, 29, 2, 30), venue_id: None, ..booked_input(&d) })
        .unwrap();
    assert!(
        gap.warnings.iter().any(|w| matches!(w, BookingWarning::DstGap { asked, booked }
        if asked.to_string() == "02:30:00" && booked.to_string() == "03:30:00")),
        "{:?}",
        gap.warnings
    );
    // Extreme dates are refused before chrono's arithmetic.
    assert!(matches!(
        v.preview_booking(NewAppointment { local_start: local(99_999, 1, 1, 10, 0), ..booked_input(&d) }),
        Err(CoreError::InvalidInput { field: "local_start", .. })
    ));
    assert!(matches!(
        v.today(NaiveDate::from_ymd_opt(99_999, 1, 1).unwrap()),
        Err(CoreError::InvalidInput { field: "date", .. })
    ));
}

fn booked_input(d: &Day) -> NewAppointment {
    NewAppointment {
        citizen_id: d.ole.id.clone(),
        venue_id: Some(d.venue.id.clone()),
        local_start: local(2026, 4, 14, 10, 0),
        duration_minutes: 30,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    }
}

/// Every reminder payload the outbox key can still open, as someone holding only that key
/// (and the files) would: the key store's outbox key, without the PIN.
fn readable_with_the_outbox_key_only(d: &Day) -> usize {
    let conn = Connection::open(d.f.dir.join("vault.db")).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM reminders WHERE payload IS NOT NULL", [], |r| r.get(0)).unwrap();
    n as usize
}

#[test]
fn the_outbox_key_reads_nothing_once_a_reminder_has_ended_in_any_way() {
    let d = day();
    let v = &d.f.vault;
    let pending = |d: &Day| readable_with_the_outbox_key_only(d);
    // Sent, and then delivered.
    let sent = d.book(local(2026, 3, 31, 10, 0), true);
    // Cancelled by every route: appointment cancelled, moved, consent withdrawn, citizen deleted.
    let cancelled = d.book(local(2026, 4, 1, 10, 0), true);
    let moved = d.book(local(2026, 4, 2, 10, 0), true);
    let bo = v
        .add_citizen(NewCitizen {
            nickname: "Bo".into(),
            phone: Some("20 30 40 51".into()),
            sms_consent: Some(ConsentMethod::Sms),
            ..Default::default()
        })
        .unwrap();
    let bo_booking = v.book_appointment(NewAppointment { citizen_id: bo.id.clone(), ..booked_input(&d) }).unwrap();
    assert!(!bo_booking.reminders.is_empty());
    assert_eq!(pending(&d), 8);
    v.cancel_appointment(&cancelled.appointment.id, CancelledBy::Citizen).unwrap();
    let moved_to = v.reschedule_appointment(&moved.appointment.id, local(2026, 4, 9, 10, 0), None).unwrap();
    v.delete_citizen(&bo.id).unwrap();
    assert_eq!(pending(&d), 4, "only the reminders still to be sent keep a payload");
    // Sent, failed for good, unknown, too late.
    struct Script;
    impl SmsSender for Script {
        fn send(&self, _: &str, _: &str, text: &str) -> Result<SendOutcome, SenderFailure> {
            if text.contains("31. marts") {
                Ok(SendOutcome::Accepted)
            } else {
                Err(SenderFailure { reason: "radio".into() })
            }
        }
    }
    d.at(cph(2026, 3, 30, 17, 1));
    v.run_outbox(&Script, None).unwrap();
    d.at(cph(2026, 3, 31, 8, 0));
    v.run_outbox(&Script, None).unwrap();
    v.record_delivery(&sent.reminders[0].reminder.id, true).unwrap();
    d.at(cph(2026, 4, 8, 17, 1));
    v.run_outbox(&Script, None).unwrap(); // the moved one's day-before: unknown
    v.withdraw_sms_consent(&d.ole.id).unwrap();
    d.at(cph(2026, 4, 9, 11, 0));
    v.run_outbox(&Script, None).unwrap();
    assert_eq!(pending(&d), 0, "after every ending, nothing is left for the outbox key");
    // What the worker sees stays, behind the PIN.
    let r = v.list_reminders(Some(&sent.appointment.id)).unwrap();
    assert!(r.iter().all(|r| r.text.as_deref().is_some_and(|t| t.starts_with("Hej Ole."))));
    let r = v.list_reminders(Some(&moved_to.appointment.id)).unwrap();
    assert!(r.iter().any(|r| r.reason.as_deref() == Some("consent_withdrawn")), "{r:?}");
}

#[test]
fn a_lost_outbox_key_is_said_and_the_recovery_key_brings_the_waiting_reminders_back() {
    let mut d = day();
    let b = d.book(local(2026, 3, 31, 10, 0), true);
    d.f.vault.lock();
    // A new phone: the key store is empty.
    d.f.keys.forget_all();
    d.f.reopen().unwrap();
    d.f.clock.set(cph(2026, 3, 30, 17, 1));
    assert_eq!(d.f.vault.run_outbox(&Accept, None).unwrap_err(), CoreError::PlatformKeysMissing);
    assert!(d.f.vault.flags().outbox_key_missing);
    d.f.vault.unlock_with_recovery_key(&d.f.recovery_key, "975310").unwrap();
    let run = d.f.vault.run_outbox(&Accept, None).unwrap();
    assert_eq!(run.sent, 1, "the waiting reminder was sealed under a new outbox key and went out");
    assert!(!d.f.vault.flags().outbox_key_missing);
    let r = d.f.vault.list_reminders(Some(&b.appointment.id)).unwrap();
    assert_eq!(r[0].state, ReminderState::Sent);
}
