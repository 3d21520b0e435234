//! `brobygger demo`: a scripted morning at a drop-in centre, on a temporary vault that is
//! wiped at the end. It shows what the caseworker sees, through the same API as the phones.

use crate::output::*;
use crate::schedule::{appointment_json, booking_json, reminder_json};
use crate::{answer, Answer, CliError};
use brobygger_cli::keystore::FileKeyStore;
use brobygger_ffi::*;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The demo's own clock, moved forward as the scripted days pass.
struct DemoClock(Mutex<SystemTime>);

impl DemoClock {
    fn set_local(&self, rfc3339: &str) {
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

pub fn run(json_mode: bool) -> Result<Answer, CliError> {
    let mut suffix = [0u8; 6];
    SystemRandom::new().fill(&mut suffix).map_err(|_| CliError::Usage("random generator failed".into()))?;
    let dir = std::env::temp_dir()
        .join(format!("brobygger-demo-{}", suffix.iter().map(|b| format!("{b:02x}")).collect::<String>()));
    let result = script(&dir, json_mode);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn script(dir: &std::path::Path, _json_mode: bool) -> Result<Answer, CliError> {
    let mut s = Script { steps: Vec::new(), text: Vec::new() };
    let pin = "246810".to_string();
    let clock = Arc::new(DemoClock(Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(0))));
    clock.set_local("2026-03-31T08:55:00+02:00");
    let ks: Arc<dyn KeyStore> = Arc::new(FileKeyStore::new(dir));
    let created = create_vault(dir.display().to_string(), pin.clone(), ks, clock.clone())?;
    let vault = created.vault;
    let status = vault.status()?;
    s.step(
        "08:55 Set up the work phone",
        json!({"recovery_key_shown_once": true, "status": status_json(&status)}),
        format!(
            "Vault created; recovery key shown once: {}\nPIN KDF: PBKDF2-HMAC-SHA256 x {} bound to the device key; auto-lock after {} min.",
            created.recovery_key, status.kdf_iterations, status.auto_lock_minutes
        ),
    );

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
    s.step(
        "09:10 Register three citizens at Borgercaféen",
        Value::Array(list.iter().map(citizen_json).collect()),
        list.iter().map(citizen_text).collect::<Vec<_>>().join("\n"),
    );

    let draft = vault.create_note(NoteInput {
        citizen_id: Some(ole.id.clone()),
        text: "Kaffe med Ole. Har fået brev fra".into(),
        topics: vec![],
        help_given: vec![],
    })?;
    let draft = vault.save_draft(
        draft.id,
        NoteInput {
            citizen_id: Some(ole.id.clone()),
            text: "Kaffe med Ole. Har fået brev fra ydelseskontoret om tilbagebetaling; vil gerne have hjælp til at forstå det. \
                   Taler om at flytte til Ærø til sommer."
                .into(),
            topics: vec![Topic::FinancesHousing, Topic::JobEducationRehabilitation],
            help_given: vec![HelpGiven::FinancesOverview, HelpGiven::Forms],
        },
    )?;
    s.step("09:25 A café conversation: the draft is saved as it is typed", note_json(&draft), note_text(&draft, true));
    let note = vault.finalize_note(draft.id.clone())?;
    let task = vault.add_follow_up(
        note.id.clone(),
        FollowUpInput {
            text: "Ring til ydelseskontoret om afdragsordning".into(),
            due_date: Some("2026-12-01".into()),
            owner: WorkerRole::Caseworker,
        },
    )?;
    let note = vault.amend_note(note.id, "Ole ringede bagefter: brevet er fra oktober.".into())?;
    s.step(
        "09:40 Finalise the note, add a follow-up, append an amendment",
        note_json(&note),
        format!("{}\n(follow-up {} is owned by the caseworker)", note_text(&note, true), task.id),
    );

    let anon = vault.create_note(NoteInput {
        citizen_id: None,
        text: "Anonym samtale: spørgsmål om gældsrådgivning og hvor man kan få hjælp.".into(),
        topics: vec![Topic::FinancesHousing],
        help_given: vec![HelpGiven::AdviceOnSupport],
    })?;
    let anon = vault.finalize_note(anon.id)?;
    s.step("10:05 An anonymous talk: nobody registered", note_json(&anon), note_text(&anon, true));

    let hits = vault.search_notes("ÆRØ".into())?;
    s.step(
        "10:30 Search \"ÆRØ\" finds Ole's note (case- and letter-aware)",
        Value::Array(hits.iter().map(note_json).collect()),
        hits.iter().map(|n| note_text(n, false)).collect::<Vec<_>>().join("\n"),
    );

    vault.lock();
    let locked = match vault.list_notes(None, None) {
        Err(e) => e.to_string(),
        Ok(_) => "unexpectedly readable".into(),
    };
    let wrong = match vault.unlock("000000".into()) {
        Err(e) => e.to_string(),
        Ok(()) => "unexpectedly unlocked".into(),
    };
    vault.unlock(pin.clone())?;
    s.step(
        "11:00 The phone is left on the table: locked",
        json!({"while_locked": locked, "wrong_pin": wrong, "unlocked_again": vault.is_unlocked()}),
        format!("While locked: {locked}\nWrong PIN: {wrong}\nRight PIN: unlocked again"),
    );

    vault.delete_citizen(mette.id.clone())?;
    let gone = match vault.get_citizen(mette.id.clone()) {
        Err(e) => e.to_string(),
        Ok(_) => "still there".into(),
    };
    s.step(
        "11:30 Mette asks to be forgotten: her key is destroyed",
        json!({"deleted": mette.id, "lookup_after": gone}),
        format!("Deleted citizen {}; looking her up now gives: {gone}", mette.id),
    );

    let recent = vault.list_notes(None, Some(50))?;
    s.step(
        "12:00 The morning's notes, newest first",
        Value::Array(recent.iter().map(note_json).collect()),
        recent.iter().map(|n| note_text(n, false)).collect::<Vec<_>>().join("\n"),
    );

    // Appointments and reminders.
    vault.set_worker_profile("Lene".into(), "61 22 33 44".into(), WorkerRole::Caseworker)?;
    let cafe = vault.add_venue(NewVenue {
        name: "Borgercaféen".into(),
        address: Some("Nørregade 1".into()),
        kind: VenueKind::Municipal,
        has_private_room: true,
        time_zone: None,
    })?;
    vault.add_office_hours(cafe.id.clone(), Weekday::Tue, "10:00".into(), "14:00".into(), None, None)?;
    let meeting = vault.book_appointment(NewAppointment {
        citizen_id: ole.id.clone(),
        venue_id: Some(cafe.id.clone()),
        local_start: "2026-04-07T10:00".into(),
        duration_minutes: 45,
        kind: AppointmentKind::StatutoryMeeting,
        outside_place: None,
    })?;
    let tom_talk = vault.book_appointment(NewAppointment {
        citizen_id: tom.id.clone(),
        venue_id: Some(cafe.id.clone()),
        local_start: "2026-04-07T15:00".into(),
        duration_minutes: 30,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    })?;
    let show = |b: &Booking| {
        let mut t =
            format!("{} {} at {}", b.appointment.local_start.replace('T', " "), snake(b.appointment.kind), cafe.name);
        for w in &b.warnings {
            t.push_str(&format!("\n  warning: {}", booking_warning_code(*w)));
        }
        for r in &b.reminders {
            t.push_str(&format!(
                "\n  SMS {} at {}: {}",
                snake(r.kind),
                rfc3339(r.send_at),
                r.text.as_deref().unwrap_or("")
            ));
        }
        t
    };
    s.step(
        "12:15 Book Ole's statutory meeting next Tuesday, and a talk with Tom",
        json!([booking_json(&meeting), booking_json(&tom_talk)]),
        format!("{}\n{}", show(&meeting), show(&tom_talk)),
    );

    // Monday 6 April, 17:01: the phone, locked in a pocket, sends what is due.
    clock.set_local("2026-04-06T17:01:00+02:00");
    let sender = Arc::new(brobygger_cli::senders::ConsoleSender::default());
    let run = vault.run_outbox(sender.clone())?;
    let texts = sender.sent.lock().unwrap_or_else(|e| e.into_inner()).clone();
    s.step(
        "Monday 17:01 The day-before reminders go out (the vault is locked; no PIN needed)",
        json!({"sent": run.sent, "texts": texts.iter().map(|(id, n, t)| json!({"reminder_id": id, "number": n, "text": t})).collect::<Vec<_>>()}),
        texts.iter().map(|(_, n, t)| format!("SMS to {n}: {t}")).collect::<Vec<_>>().join("\n"),
    );

    // Tuesday 10:50: Ole came. Tom cancels his talk.
    clock.set_local("2026-04-07T10:50:00+02:00");
    vault.unlock(pin.clone())?;
    let attended = vault.set_outcome(meeting.appointment.id.clone(), Outcome::Attended)?;
    vault.cancel_appointment(tom_talk.appointment.id.clone(), CancelledBy::Citizen)?;
    let reminders = vault.list_reminders(Some(tom_talk.appointment.id.clone()))?;
    s.step(
        "Tuesday 10:50 Ole attended; Tom cancels, so his pending reminder is cancelled",
        json!({"appointment": appointment_json(&attended), "tom_reminders": reminders.iter().map(reminder_json).collect::<Vec<_>>()}),
        format!(
            "Ole: {}\nTom's reminders: {}",
            snake(attended.status),
            reminders.iter().map(|r| format!("{} {}", snake(r.kind), snake(r.state))).collect::<Vec<_>>().join(", ")
        ),
    );
    let report = vault.no_show_report("2026-04-01".into(), "2026-04-30".into(), None)?;
    s.step(
        "Tuesday 11:00 The no-show figures for April",
        json!({"booked": report.booked, "attended": report.attended, "no_show": report.no_show, "cancelled": report.cancelled, "no_show_rate": report.overall.rate}),
        format!(
            "booked {}, attended {}, no-show {}, cancelled {}, no-show rate {}",
            report.booked,
            report.attended,
            report.no_show,
            report.cancelled,
            report.overall.rate.map(|r| format!("{:.0} %", r * 100.0)).unwrap_or_else(|| "-".into())
        ),
    );
    vault.wipe()?;
    s.step("Tuesday 11:05 The demo vault is wiped", json!({"wiped": true}), "Keys and files removed.".into());
    Ok(answer(json!({"demo": "drop-in centre morning", "steps": s.steps}), s.text.join("\n")))
}
