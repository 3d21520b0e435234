//! Appointments, reminders and the outbox on real files.

mod common;

use brobygger_core::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use common::*;
use std::cell::RefCell;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

/// A local Copenhagen time as an instant.
fn cph(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.from_local_datetime(&local(y, m, d, h, min)).earliest().unwrap().with_timezone(&Utc)
}

struct World {
    f: Fixture,
    venue: Venue,
    ole: Citizen,
}

fn world() -> World {
    let f = fixture();
    f.clock.set(cph(2026, 3, 20, 12, 0));
    f.vault.set_worker_profile("Mette", "+45 61 22 33 44", WorkerRole::Caseworker).unwrap();
    let venue = f
        .vault
        .add_venue(NewVenue {
            name: "Borgercaféen".into(),
            address: Some("Nørregade 1, Haderslev".into()),
            kind: VenueKind::Municipal,
            has_private_room: true,
            time_zone: None,
        })
        .unwrap();
    f.vault
        .add_office_hours(
            &venue.id,
            Weekday::Tue,
            NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            None,
            None,
        )
        .unwrap();
    let ole = f
        .vault
        .add_citizen(NewCitizen {
            nickname: "Ole Hansen".into(),
            phone: Some("20 30 40 50".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            ..Default::default()
        })
        .unwrap();
    World { f, venue, ole }
}

impl World {
    /// Moves the clock (as a day passes) and unlocks again, as the worker would.
    fn at(&self, t: DateTime<Utc>) {
        self.f.clock.set(t);
        if !self.f.vault.is_unlocked() {
            self.f.vault.unlock(PIN).unwrap();
        }
    }

    fn book(&self, at: NaiveDateTime) -> Booking {
        self.f
            .vault
            .book_appointment(NewAppointment {
                citizen_id: self.ole.id.clone(),
                venue_id: Some(self.venue.id.clone()),
                local_start: at,
                duration_minutes: 45,
                kind: AppointmentKind::StatutoryMeeting,
                outside_place: None,
            })
            .unwrap()
    }
}

/// A sender that records what it was handed and answers from a script.
#[derive(Default)]
struct Recorder {
    handed: RefCell<Vec<(String, String, String)>>,
    answers: RefCell<Vec<Result<SendOutcome, SenderFailure>>>,
}

impl SmsSender for Recorder {
    fn send(&self, id: &str, number: &str, text: &str) -> Result<SendOutcome, SenderFailure> {
        self.handed.borrow_mut().push((id.into(), number.into(), text.into()));
        let mut a = self.answers.borrow_mut();
        if a.is_empty() {
            Ok(SendOutcome::Accepted)
        } else {
            a.remove(0)
        }
    }
}

fn codes(w: &[BookingWarning]) -> Vec<&'static str> {
    w.iter().map(|w| w.code()).collect()
}

#[test]
fn booking_plans_the_default_reminders_in_danish() {
    let w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(b.no_reminders, None);
    let r: Vec<(ReminderKind, DateTime<Utc>)> =
        b.reminders.iter().map(|r| (r.reminder.kind, r.reminder.send_at)).collect();
    assert_eq!(
        r,
        vec![(ReminderKind::DayBefore, cph(2026, 3, 30, 17, 0)), (ReminderKind::HoursBefore, cph(2026, 3, 31, 8, 0))]
    );
    assert_eq!(
        b.reminders[0].reminder.text.as_deref(),
        Some("Hej Ole. Husk vores aftale tirsdag den 31. marts kl. 10.00, Borgercaféen. Venlig hilsen Mette, tlf. 61 22 33 44")
    );
    assert!(b.reminders.iter().all(|r| r.reminder.state == ReminderState::Planned && r.reminder.hold.is_none()));
    assert_eq!(b.reminders[0].local_send_at, local(2026, 3, 30, 17, 0));
    assert_eq!(b.appointment.local_start, local(2026, 3, 31, 10, 0));
    assert_eq!(b.appointment.starts_at, Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).unwrap(), "CEST, +02:00");
}

#[test]
fn booking_warns_but_books() {
    let w = world();
    w.f.vault
        .add_absence(
            NaiveDate::from_ymd_opt(2026, 7, 6).unwrap(),
            NaiveDate::from_ymd_opt(2026, 7, 24).unwrap(),
            AbsenceReason::Vacation,
        )
        .unwrap();
    assert!(codes(&w.book(local(2026, 3, 31, 10, 0)).warnings).is_empty());
    assert_eq!(codes(&w.book(local(2026, 3, 31, 10, 30)).warnings), vec!["overlap"]);
    assert_eq!(codes(&w.book(local(2026, 3, 31, 15, 0)).warnings), vec!["outside_office_hours"]);
    assert_eq!(codes(&w.book(local(2026, 4, 1, 10, 0)).warnings), vec!["outside_office_hours"], "a Wednesday");
    assert_eq!(
        codes(&w.book(local(2026, 4, 6, 10, 0)).warnings),
        vec!["outside_office_hours", "holiday"],
        "Easter Monday"
    );
    assert_eq!(codes(&w.book(local(2026, 7, 7, 10, 0)).warnings), vec!["absence"]);
    let past = w.book(local(2026, 3, 17, 10, 0));
    assert_eq!(codes(&past.warnings), vec!["in_past"]);
    assert_eq!(past.no_reminders, Some(NoReminderReason::NoneFitTheRules));
    let gap = w.book(local(2026, 3, 29, 2, 30));
    assert!(codes(&gap.warnings).contains(&"dst_gap"));
    assert_eq!(gap.appointment.local_start, local(2026, 3, 29, 3, 30));
    let twice = w.book(local(2026, 10, 25, 2, 30));
    assert!(codes(&twice.warnings).contains(&"dst_ambiguous"));
    assert_eq!(twice.appointment.starts_at, Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap());
}

#[test]
fn no_reminders_and_the_reason_why() {
    let w = world();
    let v = &w.f.vault;
    let book = |c: &Citizen| {
        v.book_appointment(NewAppointment {
            citizen_id: c.id.clone(),
            venue_id: None,
            local_start: local(2026, 4, 14, 13, 0),
            duration_minutes: 30,
            kind: AppointmentKind::Conversation,
            outside_place: None,
        })
        .unwrap()
    };
    let no_consent = v
        .add_citizen(NewCitizen { nickname: "Bo".into(), phone: Some("20304051".into()), ..Default::default() })
        .unwrap();
    let b = book(&no_consent);
    assert!(b.reminders.is_empty());
    assert_eq!(b.no_reminders, Some(NoReminderReason::NoSmsConsent));
    let landline = v
        .add_citizen(NewCitizen {
            nickname: "Lis".into(),
            phone: Some("33 66 33 66".into()),
            sms_consent: Some(ConsentMethod::Written),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(book(&landline).no_reminders, Some(NoReminderReason::NotMobile));
    let no_phone = v
        .add_citizen(NewCitizen { nickname: "Kim".into(), sms_consent: Some(ConsentMethod::Sms), ..Default::default() })
        .unwrap();
    assert_eq!(book(&no_phone).no_reminders, Some(NoReminderReason::NoPhone));
}

#[test]
fn bad_input_is_refused_and_nothing_half_written() {
    let w = world();
    let v = &w.f.vault;
    let base = NewAppointment {
        citizen_id: w.ole.id.clone(),
        venue_id: Some(w.venue.id.clone()),
        local_start: local(2026, 3, 31, 10, 0),
        duration_minutes: 30,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    };
    let errs = [
        v.book_appointment(NewAppointment { duration_minutes: 0, ..base.clone() }).unwrap_err(),
        v.book_appointment(NewAppointment { duration_minutes: 24 * 60, ..base.clone() }).unwrap_err(),
        v.book_appointment(NewAppointment { citizen_id: "0".repeat(32), ..base.clone() }).unwrap_err(),
        v.book_appointment(NewAppointment { venue_id: Some("1".repeat(32)), ..base.clone() }).unwrap_err(),
        v.book_appointment(NewAppointment { kind: AppointmentKind::Accompaniment, ..base.clone() }).unwrap_err(),
    ];
    assert!(matches!(errs[0], CoreError::InvalidInput { field: "duration_minutes", .. }));
    assert!(matches!(errs[2], CoreError::NotFound { what: "citizen" }));
    assert!(matches!(errs[3], CoreError::NotFound { what: "venue" }));
    assert!(matches!(errs[4], CoreError::InvalidInput { field: "outside_place", .. }));
    assert!(v.agenda_week(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap().is_empty());
    assert!(v.list_reminders(None).unwrap().is_empty());
    assert!(matches!(
        v.set_sms_template(SmsLanguage::Da, brobygger_core::sms::template::TemplateKind::Reminder, Some("Hej {navn}"))
            .unwrap_err(),
        CoreError::InvalidInput { field: "template", .. }
    ));
    assert!(v
        .add_office_hours(
            &w.venue.id,
            Weekday::Mon,
            NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            None,
            None
        )
        .is_err());
}

#[test]
fn the_outbox_sends_once_and_records_outcomes() {
    let w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    let sender = Recorder::default();
    // Nothing is due yet.
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().handed_over, 0);
    w.at(cph(2026, 3, 30, 17, 1));
    let run = w.f.vault.run_outbox(&sender, None).unwrap();
    assert_eq!((run.handed_over, run.sent), (1, 1));
    assert_eq!(sender.handed.borrow()[0].1, "+4520304050");
    // Running again, or with the clock set back, sends nothing twice.
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().handed_over, 0);
    w.at(cph(2026, 3, 30, 9, 0));
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().handed_over, 0);
    w.at(cph(2026, 3, 30, 17, 2));
    let day_before = &b.reminders[0].reminder.id;
    assert_eq!(w.f.vault.record_delivery(day_before, true).unwrap().state, ReminderState::Delivered);
    // The hours-before reminder: a retryable failure, then success after the back-off.
    w.at(cph(2026, 3, 31, 8, 0));
    sender
        .answers
        .borrow_mut()
        .push(Ok(SendOutcome::Failed { retryable: true, reason: "RESULT_ERROR_NO_SERVICE".into() }));
    let run = w.f.vault.run_outbox(&sender, None).unwrap();
    assert_eq!(run.retry_scheduled, 1);
    let r = w.f.vault.list_reminders(Some(&b.appointment.id)).unwrap();
    assert_eq!(r[1].state, ReminderState::Failed);
    assert_eq!(r[1].reason.as_deref(), Some("result_error_no_service"));
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().handed_over, 0, "back-off not over");
    w.at(cph(2026, 3, 31, 8, 2));
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().sent, 1);
    assert_eq!(sender.handed.borrow().len(), 3);
    let r = w.f.vault.list_reminders(Some(&b.appointment.id)).unwrap();
    assert_eq!(r[1].state, ReminderState::Sent);
    assert_eq!(r[1].attempts, 2);
}

#[test]
fn a_claim_without_an_outcome_becomes_unknown_and_is_never_resent_automatically() {
    let mut w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    w.at(cph(2026, 3, 30, 17, 1));
    struct Dies;
    impl SmsSender for Dies {
        fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
            panic!("the app is killed while the platform sends")
        }
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| w.f.vault.run_outbox(&Dies, None)));
    std::panic::set_hook(hook);
    assert!(died.is_err());
    w.f.reopen().unwrap();
    w.f.vault.unlock(PIN).unwrap();
    let r = &w.f.vault.list_reminders(Some(&b.appointment.id)).unwrap()[0];
    assert_eq!(r.state, ReminderState::Unknown);
    assert_eq!(r.reason.as_deref(), Some("no_outcome_before_restart"));
    let sender = Recorder::default();
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().handed_over, 0);
    // The worker asks for it again: then, and only then, it goes once more.
    w.f.vault.resolve_reminder(&r.id, Resolution::Resend).unwrap();
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().sent, 1);
    assert_eq!(w.f.vault.run_outbox(&sender, None).unwrap().handed_over, 0);
}

#[test]
fn sender_errors_needs_user_and_drops() {
    let w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    let v = &w.f.vault;
    w.at(cph(2026, 3, 30, 17, 1));
    let sender = Recorder::default();
    sender.answers.borrow_mut().push(Err(SenderFailure { reason: "threw".into() }));
    assert_eq!(v.run_outbox(&sender, None).unwrap().unknown, 1);
    let id = b.reminders[0].reminder.id.clone();
    assert_eq!(v.resolve_reminder(&id, Resolution::Drop).unwrap().state, ReminderState::Cancelled);
    assert!(v.resolve_reminder(&id, Resolution::Resend).is_err(), "cancelled is final");
    // iOS: handed to the user, the result comes later.
    w.at(cph(2026, 3, 31, 8, 0));
    sender.answers.borrow_mut().push(Ok(SendOutcome::NeedsUser));
    assert_eq!(v.run_outbox(&sender, None).unwrap().needs_user, 1);
    let id2 = b.reminders[1].reminder.id.clone();
    assert!(v.list_reminders(Some(&b.appointment.id)).unwrap()[1].awaiting_user);
    assert_eq!(v.run_outbox(&sender, None).unwrap().handed_over, 0);
    assert_eq!(v.record_send_result(&id2, true, None).unwrap().state, ReminderState::Sent);
    assert!(v.record_send_result(&id2, true, None).is_err());
}

#[test]
fn too_late_is_failed_and_shown_not_lost() {
    let w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    // The phone was off from before the day-before reminder until after the start.
    w.at(cph(2026, 3, 31, 10, 5));
    let run = w.f.vault.run_outbox(&Recorder::default(), None).unwrap();
    assert_eq!((run.handed_over, run.too_late), (0, 2));
    let r = w.f.vault.list_reminders(Some(&b.appointment.id)).unwrap();
    assert!(r.iter().all(|r| r.state == ReminderState::Failed && r.reason.as_deref() == Some("too_late")));
    assert!(w.f.vault.past_without_outcome().unwrap().is_empty(), "still going on");
    w.at(cph(2026, 3, 31, 10, 50));
    assert_eq!(w.f.vault.past_without_outcome().unwrap().len(), 1);
}

#[test]
fn reschedule_cancel_outcome_and_consent_replan() {
    let w = world();
    let v = &w.f.vault;
    let b = w.book(local(2026, 3, 31, 10, 0));
    let moved = v.reschedule_appointment(&b.appointment.id, local(2026, 4, 7, 11, 0), None).unwrap();
    let old = v.get_appointment(&b.appointment.id).unwrap();
    assert_eq!(old.status, AppointmentStatus::Rescheduled);
    assert_eq!(old.rescheduled_to.as_deref(), Some(moved.appointment.id.as_str()));
    assert_eq!(moved.appointment.rescheduled_from.as_deref(), Some(b.appointment.id.as_str()));
    assert_eq!(moved.appointment.local_end, local(2026, 4, 7, 11, 45));
    assert!(v
        .list_reminders(Some(&old.id))
        .unwrap()
        .iter()
        .all(|r| r.state == ReminderState::Cancelled && r.reason.as_deref() == Some("rescheduled")));
    assert_eq!(moved.reminders.len(), 2);
    assert!(v.reschedule_appointment(&old.id, local(2026, 4, 8, 11, 0), None).is_err());

    // Withdrawing consent cancels; giving it again plans anew (no confirmation).
    v.withdraw_sms_consent(&w.ole.id).unwrap();
    let r = v.list_reminders(Some(&moved.appointment.id)).unwrap();
    assert!(r.iter().all(|r| r.state == ReminderState::Cancelled && r.reason.as_deref() == Some("consent_withdrawn")));
    v.give_sms_consent(&w.ole.id, ConsentMethod::Sms).unwrap();
    let r = v.list_reminders(Some(&moved.appointment.id)).unwrap();
    assert_eq!(r.iter().filter(|r| r.state == ReminderState::Planned).count(), 2);

    // No outcome before the appointment has started.
    assert_eq!(
        v.set_outcome(&moved.appointment.id, Outcome::NoShow).unwrap_err(),
        CoreError::InvalidState { reason: "an outcome can be recorded only once the appointment has started" }
    );

    let c = w.book(local(2026, 4, 14, 10, 0));
    let cancelled = v.cancel_appointment(&c.appointment.id, CancelledBy::Citizen).unwrap();
    assert_eq!(cancelled.status, AppointmentStatus::CancelledByCitizen);
    assert!(v.list_reminders(Some(&c.appointment.id)).unwrap().iter().all(|r| r.state == ReminderState::Cancelled));
}

#[test]
fn an_outside_place_never_reaches_a_text_unless_the_worker_writes_it() {
    let w = world();
    let v = &w.f.vault;
    let b = v
        .book_appointment(NewAppointment {
            citizen_id: w.ole.id.clone(),
            venue_id: None,
            local_start: local(2026, 3, 31, 10, 0),
            duration_minutes: 60,
            kind: AppointmentKind::Accompaniment,
            outside_place: Some("Misbrugscenteret, Slotsvej 2".into()),
        })
        .unwrap();
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    for r in &b.reminders {
        let text = r.reminder.text.as_deref().unwrap();
        assert!(text.contains("som aftalt") && !text.contains("Slotsvej"), "{text}");
    }
}

#[test]
fn sensitive_texts_are_held_with_their_words_edited_and_approved_one_by_one() {
    let w = world();
    let v = &w.f.vault;
    let clinic = v
        .add_venue(NewVenue {
            name: "Misbrugscenter Syd".into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: false,
            time_zone: None,
        })
        .unwrap();
    let b = v
        .book_appointment(NewAppointment {
            citizen_id: w.ole.id.clone(),
            venue_id: Some(clinic.id.clone()),
            local_start: local(2026, 3, 31, 10, 0),
            duration_minutes: 60,
            kind: AppointmentKind::Conversation,
            outside_place: None,
        })
        .unwrap();
    let held: Vec<&BookingWarning> = b.warnings.iter().filter(|w| w.kind() == Warning::SmsHeld).collect();
    assert_eq!(held.len(), 2);
    assert!(
        matches!(held[0], BookingWarning::SmsHeld { words, too_long: false, .. } if words == &vec!["misbrugscenter".to_string()])
    );
    assert!(b.reminders.iter().all(|r| r.reminder.hold == Some(Hold::Lint)));
    assert_eq!(b.reminders[0].reminder.held_for[0].category, "substance_abuse");
    w.at(cph(2026, 3, 30, 17, 1));
    let sender = Recorder::default();
    let run = v.run_outbox(&sender, None).unwrap();
    assert_eq!((run.handed_over, run.held), (0, 2), "the run says how many wait for approval");
    // The worker rewrites one: clean now, it goes without approval; the other is approved as is.
    let edited = v
        .edit_reminder_text(&b.reminders[0].reminder.id, "Hej Ole. Husk vores aftale i morgen kl. 10.00. Mette")
        .unwrap();
    assert_eq!((edited.hold, edited.edited), (None, true));
    assert_eq!(v.run_outbox(&sender, None).unwrap().sent, 1);
    assert_eq!(sender.handed.borrow()[0].2, "Hej Ole. Husk vores aftale i morgen kl. 10.00. Mette");
    assert!(
        matches!(v.edit_reminder_text(&b.reminders[0].reminder.id, "igen"), Err(CoreError::InvalidState { .. })),
        "a text already handed over cannot be edited"
    );
    let still = v.edit_reminder_text(&b.reminders[1].reminder.id, "Husk alkoholbehandlingen").unwrap();
    assert_eq!(still.hold, Some(Hold::Lint));
    assert_eq!(still.held_for.iter().map(|w| w.word.as_str()).collect::<Vec<_>>(), vec!["alkoholbehandlingen"]);
    // The other stays held and ends as failed, shown, when the meeting starts.
    w.at(cph(2026, 3, 31, 10, 1));
    v.run_outbox(&sender, None).unwrap();
    let r = v.list_reminders(Some(&b.appointment.id)).unwrap();
    assert_eq!(r[1].reason.as_deref(), Some("held_until_too_late"));
}

#[test]
fn outcomes_only_after_the_start_and_corrections_keep_their_time() {
    let w = world();
    let v = &w.f.vault;
    let b = w.book(local(2026, 3, 31, 10, 0));
    let id = &b.appointment.id;
    assert!(matches!(v.set_outcome(id, Outcome::Attended), Err(CoreError::InvalidState { .. })));
    assert!(matches!(v.set_outcome(id, Outcome::NoShow), Err(CoreError::InvalidState { .. })));
    w.at(cph(2026, 3, 31, 10, 20));
    let a = v.set_outcome(id, Outcome::NoShow).unwrap();
    assert_eq!(
        (a.status, a.outcome_at, a.outcome_corrected_at),
        (AppointmentStatus::NoShow, Some(cph(2026, 3, 31, 10, 20)), None)
    );
    let cancelled: Vec<ReminderState> = v.list_reminders(Some(id)).unwrap().iter().map(|r| r.state).collect();
    // The citizen came after all: corrected, with the time of the correction kept.
    w.at(cph(2026, 3, 31, 11, 0));
    let a = v.set_outcome(id, Outcome::Attended).unwrap();
    assert_eq!(a.status, AppointmentStatus::Attended);
    assert_eq!((a.outcome_at, a.outcome_corrected_at), (Some(cph(2026, 3, 31, 10, 20)), Some(cph(2026, 3, 31, 11, 0))));
    assert_eq!(
        v.list_reminders(Some(id)).unwrap().iter().map(|r| r.state).collect::<Vec<_>>(),
        cancelled,
        "a correction revives no reminder"
    );
    assert_eq!(
        v.set_outcome(id, Outcome::Attended).unwrap_err(),
        CoreError::InvalidState { reason: "the outcome is already recorded as attended" }
    );
    let c = w.book(local(2026, 3, 31, 12, 0));
    v.cancel_appointment(&c.appointment.id, CancelledBy::Worker).unwrap();
    w.at(cph(2026, 3, 31, 13, 0));
    assert_eq!(
        v.set_outcome(&c.appointment.id, Outcome::NoShow).unwrap_err(),
        CoreError::InvalidState { reason: "a cancelled or moved appointment has no outcome" }
    );
}

#[test]
fn bookings_before_the_worker_profile_get_reminders_when_it_is_set_and_texts_follow_the_profile() {
    let f = fixture();
    f.clock.set(cph(2026, 3, 20, 12, 0));
    let v = &f.vault;
    let ole = v
        .add_citizen(NewCitizen {
            nickname: "Ole".into(),
            phone: Some("20 30 40 50".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            ..Default::default()
        })
        .unwrap();
    let book = |at| {
        v.book_appointment(NewAppointment {
            citizen_id: ole.id.clone(),
            venue_id: None,
            local_start: at,
            duration_minutes: 30,
            kind: AppointmentKind::Conversation,
            outside_place: None,
        })
        .unwrap()
    };
    let b = book(local(2026, 3, 31, 10, 0));
    assert_eq!(b.no_reminders, Some(NoReminderReason::NoWorkerProfile));
    let saved = v.set_worker_profile("Mette", "61 22 33 44", WorkerRole::Caseworker).unwrap();
    assert_eq!((saved.reminders_planned, saved.reminders_rewritten), (2, 0));
    let r = v.list_reminders(Some(&b.appointment.id)).unwrap();
    assert_eq!(r.len(), 2);
    assert!(r[0].text.as_deref().unwrap().ends_with("Venlig hilsen Mette, tlf. 61 22 33 44"));
    // A new name and number: every text not yet handed over is written anew, and linted again.
    let saved = v.set_worker_profile("Mette fra Misbrugscentret", "+46 70 123 45 67", WorkerRole::Caseworker).unwrap();
    assert_eq!((saved.reminders_planned, saved.reminders_rewritten), (0, 2));
    let r = v.list_reminders(Some(&b.appointment.id)).unwrap();
    assert!(r[0].text.as_deref().unwrap().ends_with("tlf. +46 70 123 45 67"), "{:?}", r[0].text);
    assert!(r.iter().all(|r| r.hold == Some(Hold::Lint)));
    let saved = v.set_worker_profile("Mette", "61 22 33 44", WorkerRole::Caseworker).unwrap();
    assert_eq!(saved.reminders_rewritten, 2);
    assert!(v.list_reminders(Some(&b.appointment.id)).unwrap().iter().all(|r| r.hold.is_none()));
}

#[test]
fn late_results_batches_and_upcoming_sends() {
    let mut w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    let c = w.book(local(2026, 3, 31, 12, 0));
    // The coming send times, without the PIN and without anything personal.
    w.f.vault.lock();
    let upcoming = w.f.vault.upcoming_sends(10).unwrap();
    assert_eq!(
        upcoming.iter().map(|u| (u.at, u.count)).collect::<Vec<_>>(),
        vec![(cph(2026, 3, 30, 17, 0), 2), (cph(2026, 3, 31, 8, 0), 1), (cph(2026, 3, 31, 10, 0), 1),]
    );
    // A batch of one at a time.
    w.f.clock.set(cph(2026, 3, 30, 17, 1));
    let sender = Recorder::default();
    let run = w.f.vault.run_outbox(&sender, Some(1)).unwrap();
    assert_eq!((run.handed_over, run.left_for_next_run), (1, 1));
    // The app dies while the platform sends the next one; its sent report arrives later.
    struct Dies;
    impl SmsSender for Dies {
        fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
            panic!("killed")
        }
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| w.f.vault.run_outbox(&Dies, None)));
    std::panic::set_hook(hook);
    w.f.reopen().unwrap();
    w.f.vault.run_outbox(&sender, None).unwrap();
    w.at(cph(2026, 3, 30, 17, 5));
    let unknown: Vec<Reminder> = [&b, &c]
        .iter()
        .flat_map(|x| w.f.vault.list_reminders(Some(&x.appointment.id)).unwrap())
        .filter(|r| r.state == ReminderState::Unknown)
        .collect();
    assert_eq!(unknown.len(), 1);
    let late = w.f.vault.record_send_result(&unknown[0].id, true, None).unwrap();
    assert_eq!((late.state, late.reason), (ReminderState::Sent, None));
    assert!(w.f.vault.record_send_result(&unknown[0].id, false, None).is_err(), "only once");
    assert_eq!(sender.handed.borrow().len(), 1, "never handed over twice");
}

#[test]
fn deleting_the_citizen_destroys_reminder_texts_and_keeps_counts() {
    let w = world();
    let v = &w.f.vault;
    let b = w.book(local(2026, 3, 31, 10, 0));
    w.at(cph(2026, 3, 30, 17, 1));
    v.run_outbox(&Recorder::default(), None).unwrap();
    assert!(files_containing(&w.f.dir, b"Ole").is_empty());
    v.delete_citizen(&w.ole.id).unwrap();
    let a = v.get_appointment(&b.appointment.id).unwrap();
    assert_eq!(a.citizen_id, None);
    assert_eq!((a.status, a.cancel_reason.as_deref()), (AppointmentStatus::CancelledByWorker, Some("citizen_deleted")));
    let r = v.list_reminders(Some(&a.id)).unwrap();
    assert_eq!(r.iter().map(|r| r.state).collect::<Vec<_>>(), vec![ReminderState::Sent, ReminderState::Cancelled]);
    assert!(r.iter().all(|r| r.text.is_none()));
    let report = v
        .no_show_report(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            None,
        )
        .unwrap();
    assert_eq!(report.booked, 1);
}

#[test]
fn no_show_figures() {
    let w = world();
    let v = &w.f.vault;
    let other = v.add_citizen(NewCitizen { nickname: "Bo".into(), ..Default::default() }).unwrap();
    let mut ids = Vec::new();
    for day in [3u32, 10, 17, 24] {
        ids.push(w.book(local(2026, 11, day, 10, 0)).appointment.id);
    }
    let conv = v
        .book_appointment(NewAppointment {
            citizen_id: other.id.clone(),
            venue_id: None,
            local_start: local(2026, 11, 5, 12, 0),
            duration_minutes: 30,
            kind: AppointmentKind::Conversation,
            outside_place: None,
        })
        .unwrap();
    // The first statutory meeting gets its reminders sent.
    w.at(cph(2026, 11, 2, 17, 1));
    v.run_outbox(&Recorder::default(), None).unwrap();
    w.at(cph(2026, 11, 30, 12, 0));
    v.set_outcome(&ids[0], Outcome::Attended).unwrap();
    v.set_outcome(&ids[1], Outcome::NoShow).unwrap();
    v.set_outcome(&ids[2], Outcome::Attended).unwrap();
    v.cancel_appointment(&ids[3], CancelledBy::Worker).unwrap();
    v.set_outcome(&conv.appointment.id, Outcome::NoShow).unwrap();
    let r = v
        .no_show_report(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            None,
        )
        .unwrap();
    assert_eq!((r.booked, r.attended, r.no_show, r.cancelled), (5, 2, 2, 1));
    assert_eq!(r.overall.rate(), Some(0.5));
    assert_eq!((r.statutory.attended, r.statutory.no_show), (2, 1));
    assert_eq!((r.with_reminder.attended, r.with_reminder.no_show), (1, 0));
    assert_eq!((r.without_reminder.attended, r.without_reminder.no_show), (1, 2));
    let at_venue = v
        .no_show_report(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            Some(&w.venue.id),
        )
        .unwrap();
    assert_eq!(at_venue.booked, 4);
}

#[test]
fn agendas() {
    let w = world();
    let v = &w.f.vault;
    w.book(local(2026, 3, 31, 10, 0));
    w.book(local(2026, 3, 31, 12, 0));
    w.book(local(2026, 4, 2, 23, 30));
    w.book(local(2026, 4, 6, 0, 15));
    let day = v.agenda_day(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    assert_eq!(
        day.iter().map(|a| a.local_start.time()).collect::<Vec<_>>(),
        vec![NaiveTime::from_hms_opt(10, 0, 0).unwrap(), NaiveTime::from_hms_opt(12, 0, 0).unwrap()]
    );
    let week = v.agenda_week(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()).unwrap();
    assert_eq!(week.len(), 3, "Monday 30 March to Sunday 5 April");
    assert_eq!(v.appointments_for_citizen(&w.ole.id).unwrap().len(), 4);
}

#[test]
fn a_sender_that_stopped_waiting_can_still_say_what_happened() {
    let w = world();
    let b = w.book(local(2026, 3, 31, 10, 0));
    let v = &w.f.vault;
    w.at(cph(2026, 3, 30, 17, 1));
    let sender = Recorder::default();
    sender.answers.borrow_mut().push(Err(SenderFailure { reason: "timeout".into() }));
    assert_eq!(v.run_outbox(&sender, None).unwrap().unknown, 1);
    let id = &b.reminders[0].reminder.id;
    let r = v.record_send_result(id, false, Some("partially_sent:radio_off")).unwrap();
    assert_eq!((r.state, r.reason.as_deref()), (ReminderState::Failed, Some("partially_sent:radio_off")));
    assert!(v.record_send_result(id, true, None).is_err(), "settled once");
    // A free-text reason is not kept (it could carry a number or a name).
    w.at(cph(2026, 3, 31, 8, 0));
    sender.answers.borrow_mut().push(Err(SenderFailure { reason: "timeout".into() }));
    v.run_outbox(&sender, None).unwrap();
    let r = v.record_send_result(&b.reminders[1].reminder.id, false, Some("sent to +45 20 30 40 50 failed")).unwrap();
    assert_eq!(r.reason.as_deref(), Some("sender_failed"));
}
