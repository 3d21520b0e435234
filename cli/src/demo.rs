//! `brobygger demo`: a scripted week at a drop-in centre, on a temporary vault that is
//! wiped at the end. It shows what the caseworker sees, through the same API as the phones:
//! set-up, citizens, notes, the lock, a booking previewed with a warning, a held SMS text
//! edited and approved, the outbox sending while locked, today's screen, outcomes and the
//! no-show figures.

use crate::app::{answer, CliError, Reply};
use crate::codes::{error_code, Code};
use crate::directory::Directory;
use crate::show::*;
use crate::words::error_words;
use brobygger_cli::keystore::FileKeyStore;
use brobygger_cli::senders::ConsoleSender;
use brobygger_ffi::*;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The demo's own clock, moved forward as the scripted days pass.
struct DemoClock(Mutex<SystemTime>);

impl DemoClock {
    fn set(&self, rfc3339: &str) {
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) {
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) = t.into();
        }
    }
}

impl Clock for DemoClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct Script {
    steps: Vec<Value>,
    text: Vec<String>,
}

impl Script {
    fn step(&mut self, what: &str, shows: Value, text: String) {
        self.text.push(format!("\n== {what}\n{text}"));
        self.steps.push(json!({"step": what, "shows": shows}));
    }
}

fn date(y: i32, m: u32, d: u32) -> LocalDate {
    LocalDate(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn at(d: LocalDate, h: u32, min: u32) -> LocalDateTime {
    LocalDateTime(NaiveDateTime::new(d.0, NaiveTime::from_hms_opt(h, min, 0).unwrap_or_default()))
}

fn time(h: u32, m: u32) -> LocalTime {
    LocalTime(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
}

/// The error a call gave, as its code and words (for steps that show a refusal).
fn refusal<T>(r: Result<T, BrobyggerError>) -> (Value, String) {
    match r {
        Err(e) => (json!(error_code(&e)), error_words(&e, &|_| None)),
        Ok(_) => (json!(null), "unexpectedly allowed".into()),
    }
}

pub fn run() -> Reply {
    let mut suffix = [0u8; 6];
    SystemRandom::new().fill(&mut suffix).map_err(|_| CliError::failed("internal", "random generator failed"))?;
    let dir = std::env::temp_dir()
        .join(format!("brobygger-demo-{}", suffix.iter().map(|b| format!("{b:02x}")).collect::<String>()));
    let result = script(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn script(dir: &std::path::Path) -> Reply {
    let mut s = Script { steps: Vec::new(), text: Vec::new() };
    let pin = "739164".to_string();
    let clock = Arc::new(DemoClock(Mutex::new(SystemTime::UNIX_EPOCH)));
    let unlock = |v: &Vault| -> Result<(), BrobyggerError> {
        if v.is_unlocked() {
            Ok(())
        } else {
            v.unlock(pin.clone())
        }
    };

    // Tuesday 31 March 2026.
    clock.set("2026-03-31T08:55:00+02:00");
    let ks: Arc<dyn KeyStore> = Arc::new(FileKeyStore::new(dir));
    let created = create_vault(dir.display().to_string(), pin.clone(), ks, clock.clone())?;
    let vault = created.vault;
    let recovery_key = created.recovery_key.reveal();
    let status = vault.status()?;
    s.step(
        "08:55 Set up the work phone",
        json!({"recovery_key_shown_once": true, "status": status_json(&status)}),
        format!(
            "Vault created; the recovery key is shown this once: {recovery_key}\n\
             PIN KDF: {} x {}, each guess also through the key store; auto-lock after {} min.",
            status.kdf_algorithm, status.kdf_iterations, status.auto_lock_minutes
        ),
    );
    drop(recovery_key);

    clock.set("2026-03-31T09:10:00+02:00");
    unlock(&vault)?;
    let ole = vault.add_citizen(NewCitizen {
        nickname: "Ole".into(),
        phone: Some("20 30 40 50".into()),
        sms_consent: Some(ConsentMethod::Verbal),
        language: SmsLanguage::Da,
        case_reference: Some("27.12.04-G01-1234-26".into()),
    })?;
    let mette = vault.add_citizen(NewCitizen {
        nickname: "Mette".into(),
        phone: Some("0045 3366 3366".into()),
        sms_consent: None,
        language: SmsLanguage::Da,
        case_reference: None,
    })?;
    let tom = vault.add_citizen(NewCitizen {
        nickname: "Tom".into(),
        phone: Some("+46 70 123 45 67".into()),
        sms_consent: Some(ConsentMethod::Written),
        language: SmsLanguage::En,
        case_reference: None,
    })?;
    let list = vault.list_citizens()?;
    s.step("09:10 Register three citizens at Borgercaféen", citizen_list_json(&list), citizen_list_text(&list));

    clock.set("2026-03-31T09:25:00+02:00");
    unlock(&vault)?;
    let draft = vault.create_note(NoteInput {
        citizen_id: Some(ole.id.clone()),
        text: "Kaffe med Ole. Har fået brev fra".into(),
        topics: vec![],
        help_given: vec![],
        occurred_at: None,
    })?;
    let saved = vault.save_draft(
        draft.id.clone(),
        NoteInput {
            citizen_id: Some(ole.id.clone()),
            text: "Kaffe med Ole. Har fået brev fra ydelseskontoret om tilbagebetaling; vil gerne have hjælp til at \
                   forstå det. Taler om at flytte til Ærø til sommer."
                .into(),
            topics: vec![Topic::FinancesHousing, Topic::JobEducationRehabilitation],
            help_given: vec![HelpGiven::FinancesOverview, HelpGiven::Forms],
            occurred_at: None,
        },
    )?;
    s.step(
        "09:25 A café conversation: the draft is saved as it is typed",
        saved_json(&saved),
        format!(
            "{}\n(each save is on disk when it returns; nothing but the id and times comes back)",
            saved_text(&saved)
        ),
    );

    clock.set("2026-03-31T09:40:00+02:00");
    unlock(&vault)?;
    let note = vault.finalize_note(draft.id.clone())?;
    let task = vault.add_follow_up(
        note.id.clone(),
        FollowUpInput {
            text: "Ring til ydelseskontoret om afdragsordning".into(),
            due_date: Some(date(2026, 4, 7)),
            owner: WorkerRole::Caseworker,
        },
    )?;
    let note = vault.amend_note(note.id, "Ole ringede bagefter: brevet er fra oktober.".into())?;
    s.step(
        "09:40 Finalise the note, add a follow-up for next Tuesday, append an amendment",
        json!({"note": note_json(&note, Some("Ole")), "follow_up": follow_up_json(&task)}),
        note_text(&note, Some("Ole")),
    );

    clock.set("2026-03-31T10:05:00+02:00");
    unlock(&vault)?;
    let anon = vault.create_note(NoteInput {
        citizen_id: None,
        text: "Anonym samtale: spørgsmål om gældsrådgivning og hvor man kan få hjælp.".into(),
        topics: vec![Topic::FinancesHousing],
        help_given: vec![HelpGiven::AdviceOnSupport],
        occurred_at: None,
    })?;
    let anon = vault.finalize_note(anon.id)?;
    s.step("10:05 An anonymous talk: nobody registered", note_json(&anon, None), note_text(&anon, None));

    let hits = vault.search_notes("ÆRØ".into(), None, None)?;
    s.step(
        "10:30 Search \"ÆRØ\" finds Ole's note (case and accents ignored)",
        page_json(&hits),
        page_text(&hits, "brobygger note search ÆRØ"),
    );

    clock.set("2026-03-31T11:00:00+02:00");
    vault.lock();
    let (locked_code, locked_words) = refusal(vault.list_notes(None, None, None));
    let (wrong_code, wrong_words) = refusal(vault.unlock("000000".into()));
    let attempts_left = vault.status()?.pin_attempts_left;
    vault.unlock(pin.clone())?;
    s.step(
        "11:00 The phone is left on the table: locked",
        json!({"while_locked": locked_code, "wrong_pin": wrong_code, "attempts_left": attempts_left, "unlocked_again": vault.is_unlocked()}),
        format!("While locked: {locked_words}\nWrong PIN: {wrong_words}\nRight PIN: unlocked again"),
    );

    clock.set("2026-03-31T11:30:00+02:00");
    unlock(&vault)?;
    vault.delete_citizen(mette.id.clone())?;
    let (gone_code, gone_words) = refusal(vault.get_citizen(mette.id.clone()));
    s.step(
        "11:30 Mette asks to be forgotten: her key is destroyed",
        json!({"deleted": mette.id, "lookup_after": gone_code}),
        format!("Mette is deleted with her notes; looking her up now: {gone_words}"),
    );

    let recent = vault.list_notes(None, Some(50), None)?;
    s.step(
        "12:00 The morning's notes, newest conversation first",
        page_json(&recent),
        page_text(&recent, "brobygger note list"),
    );

    // Planning.
    clock.set("2026-03-31T12:15:00+02:00");
    unlock(&vault)?;
    let profile = vault.set_worker_profile("Lene".into(), "61 22 33 44".into(), WorkerRole::Caseworker)?;
    let cafe = vault.add_venue(NewVenue {
        name: "Borgercaféen".into(),
        address: Some("Nørregade 1".into()),
        kind: VenueKind::Municipal,
        has_private_room: true,
        time_zone: None,
    })?;
    let jobcentre = vault.add_venue(NewVenue {
        name: "Jobcenter Nord".into(),
        address: Some("Vesterbrogade 2".into()),
        kind: VenueKind::Municipal,
        has_private_room: true,
        time_zone: None,
    })?;
    let hours = vault.add_office_hours(cafe.id.clone(), Weekday::Tue, time(10, 0), time(14, 0), None, None)?;
    s.step(
        "12:15 Lene's profile signs the texts; Borgercaféen is open Tuesdays 10–14",
        json!({"profile": profile.profile.name, "venues": [venue_json(&cafe), venue_json(&jobcentre)], "hours": hours_json(&hours)}),
        format!("{}\n{}\n{}", venue_line(&cafe), venue_line(&jobcentre), hours_line(&hours, Some(&cafe.name))),
    );

    let tuesday = date(2026, 4, 7);
    let tom_at = |h| NewAppointment {
        citizen_id: tom.id.clone(),
        venue_id: Some(cafe.id.clone()),
        local_start: at(tuesday, h, 0),
        duration_minutes: 30,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    };
    let preview = vault.preview_booking(tom_at(15))?;
    let written = vault.agenda_day(tuesday)?.len();
    let d = Directory::new(&vault);
    s.step(
        "12:20 Preview a talk with Tom next Tuesday at 15:00: a warning, and nothing written",
        json!({"preview": booking_json(&preview, &d, true), "appointments_that_day": written}),
        format!("{}\nAppointments on 7 April after the preview: {written}", booking_text(&preview, &d, true)),
    );

    let tom_talk = vault.book_appointment(tom_at(13))?;
    let meeting = vault.book_appointment(NewAppointment {
        citizen_id: ole.id.clone(),
        venue_id: Some(jobcentre.id.clone()),
        local_start: at(tuesday, 10, 0),
        duration_minutes: 45,
        kind: AppointmentKind::StatutoryMeeting,
        outside_place: None,
    })?;
    s.step(
        "12:25 Book Tom at 13:00 instead, and Ole's statutory meeting at the job centre: its texts name it, so they are held",
        json!([booking_json(&tom_talk, &d, false), booking_json(&meeting, &d, false)]),
        format!("{}\n{}", booking_text(&tom_talk, &d, false), booking_text(&meeting, &d, false)),
    );

    clock.set("2026-03-31T12:40:00+02:00");
    unlock(&vault)?;
    let escort = vault.book_appointment(NewAppointment {
        citizen_id: ole.id.clone(),
        venue_id: None,
        local_start: at(date(2026, 4, 1), 13, 0),
        duration_minutes: 60,
        kind: AppointmentKind::Accompaniment,
        outside_place: Some("Gældsrådgivningen, Vesterbrogade 2".into()),
    })?;
    s.step(
        "12:40 Book Ole's accompaniment to the debt counselling tomorrow: texts never name an outside place",
        booking_json(&escort, &d, false),
        booking_text(&escort, &d, false),
    );

    // The worker deals with the held texts: the later one is rewritten without the name of
    // the place; the evening one keeps it (Ole must find the door) and is approved.
    let held: Vec<&BookingReminder> = meeting.reminders.iter().filter(|r| r.reminder.hold.is_some()).collect();
    let mut dealt = Vec::new();
    for (i, r) in held.iter().enumerate() {
        let id = r.reminder.id.clone();
        let edited = if i + 1 == held.len() && held.len() > 1 {
            vault.edit_reminder_text(
                id,
                "Hej Ole. Vi ses i dag kl. 10.00 på Vesterbrogade 2. Hilsen Lene, tlf. 61 22 33 44".into(),
            )?
        } else {
            vault.edit_reminder_text(
                id,
                "Hej Ole. Husk i morgen kl. 10.00 i Jobcenter Nord, Vesterbrogade 2. Jeg venter ved indgangen. Hilsen \
                 Lene, tlf. 61 22 33 44"
                    .into(),
            )?
        };
        let done = if edited.hold.is_some() { vault.approve_reminder_text(edited.id.clone())? } else { edited.clone() };
        dealt.push((edited, done));
    }
    s.step(
        "12:45 Edit the held texts: the evening one keeps the name (Ole must find the door) and is approved",
        Value::Array(
            dealt
                .iter()
                .map(|(edited, done)| {
                    json!({"edited": reminder_json(edited, &meeting.appointment.time_zone),
                           "held_after_edit": edited.hold.is_some(),
                           "approved": edited.hold.is_some() && done.hold.is_none(),
                           "now": reminder_json(done, &meeting.appointment.time_zone)})
                })
                .collect(),
        ),
        dealt
            .iter()
            .map(|(edited, done)| {
                format!(
                    "{}\n    → {}",
                    reminder_text(edited, &meeting.appointment.time_zone),
                    if edited.hold.is_some() && done.hold.is_none() {
                        "still names the place: approved for this one message"
                    } else {
                        "no longer held: goes without approval"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );

    // The phone in a pocket: the outbox sends what is due without the PIN.
    clock.set("2026-03-31T17:01:00+02:00");
    vault.lock();
    let console = Arc::new(ConsoleSender::default());
    let run = vault.run_outbox(console.clone(), None)?;
    let upcoming = vault.upcoming_sends(5)?;
    let texts = console.sent();
    s.step(
        "17:01 The day-before reminder for tomorrow goes out while the vault is locked",
        json!({"sent": run.sent, "texts": texts.iter().map(|(id, n, t)| json!({"reminder_id": id, "number": n, "text": t})).collect::<Vec<_>>(),
               "upcoming": upcoming.iter().map(|u| json!({"at": crate::times::rfc3339(u.at), "count": u.count})).collect::<Vec<_>>()}),
        format!(
            "{}\nComing sends (times and counts only, for the phone's alarm): {}",
            texts.iter().map(|(_, n, t)| format!("SMS to {}: {t}", display_phone_number(n.clone()))).collect::<Vec<_>>().join("\n"),
            upcoming.iter().map(|u| format!("{} ({})", crate::times::home(u.at), u.count)).collect::<Vec<_>>().join(", ")
        ),
    );

    // Wednesday: the hours-before text goes; Ole does not turn up (recorded next week).
    clock.set("2026-04-01T11:05:00+02:00");
    vault.run_outbox(console.clone(), None)?;
    // Monday 6 April, 17:01: the day-before reminders for Tuesday.
    clock.set("2026-04-06T17:01:00+02:00");
    let before = console.sent().len();
    let run = vault.run_outbox(console.clone(), None)?;
    let monday: Vec<_> = console.sent().into_iter().skip(before).collect();
    s.step(
        "Monday 17:01 The day-before reminders for Tuesday go out (Easter Monday; the phone is locked)",
        json!({"sent": run.sent, "texts": monday.iter().map(|(id, n, t)| json!({"reminder_id": id, "number": n, "text": t})).collect::<Vec<_>>()}),
        monday.iter().map(|(_, n, t)| format!("SMS to {}: {t}", display_phone_number(n.clone()))).collect::<Vec<_>>().join("\n"),
    );

    // Tuesday 7 April: the 08:00 texts go before the worker picks up the phone.
    clock.set("2026-04-07T08:01:00+02:00");
    vault.run_outbox(console.clone(), None)?;
    clock.set("2026-04-07T08:30:00+02:00");
    unlock(&vault)?;
    let today = vault.today(tuesday)?;
    let d = Directory::new(&vault);
    s.step("Tuesday 08:30 Today's screen", today_json(&today), today_text(&today, &d));

    clock.set("2026-04-07T08:35:00+02:00");
    unlock(&vault)?;
    let missed = vault.set_outcome(escort.appointment.id.clone(), Outcome::NoShow)?;
    s.step(
        "Tuesday 08:35 Ole did not come last Wednesday: no-show recorded",
        appointment_json(&missed, &d),
        appointment_line(&missed, &d),
    );

    clock.set("2026-04-07T10:50:00+02:00");
    unlock(&vault)?;
    let attended = vault.set_outcome(meeting.appointment.id.clone(), Outcome::Attended)?;
    vault.cancel_appointment(tom_talk.appointment.id.clone(), CancelledBy::Citizen)?;
    let tom_reminders = vault.list_reminders(Some(tom_talk.appointment.id.clone()))?;
    s.step(
        "Tuesday 10:50 Ole attended; Tom cancels, so his pending reminder is cancelled",
        json!({"appointment": appointment_json(&attended, &d),
               "tom_reminders": tom_reminders.iter().map(|r| reminder_json(r, &tom_talk.appointment.time_zone)).collect::<Vec<_>>()}),
        format!(
            "{}\nTom's reminders: {}",
            appointment_line(&attended, &d),
            tom_reminders.iter().map(|r| format!("{} {}", r.kind.code(), r.state.code())).collect::<Vec<_>>().join(", ")
        ),
    );

    clock.set("2026-04-07T11:00:00+02:00");
    unlock(&vault)?;
    let report = vault.no_show_report(date(2026, 3, 1), date(2026, 4, 30), None)?;
    let pct = |r: Option<f64>| r.map(|r| format!("{:.0} %", r * 100.0)).unwrap_or_else(|| "-".into());
    s.step(
        "Tuesday 11:00 The no-show figures for March and April",
        json!({"booked": report.booked, "attended": report.attended, "no_show": report.no_show, "cancelled": report.cancelled,
               "no_show_rate": report.overall.rate, "with_reminder": {"attended": report.with_reminder.attended, "no_show": report.with_reminder.no_show}}),
        format!(
            "booked {}, attended {}, no-show {}, cancelled {}; no-show rate {} overall, {} with a reminder sent",
            report.booked,
            report.attended,
            report.no_show,
            report.cancelled,
            pct(report.overall.rate),
            pct(report.with_reminder.rate)
        ),
    );
    drop(d);
    vault.wipe()?;
    s.step("Tuesday 11:05 The demo vault is wiped", json!({"wiped": true}), "Keys and files removed.".into());
    Ok(answer(json!({"demo": "a week at a drop-in centre", "steps": s.steps}), s.text.join("\n")))
}
