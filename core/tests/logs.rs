//! Logs at the most verbose level carry no personal data: every personal field gets a
//! marker, every capability runs, and the captured log is searched for the markers.

mod common;

use brobygger_core::*;
use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use std::sync::Mutex;

static CAPTURED: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;
impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        CAPTURED.lock().unwrap().push(format!("{} {} {}", record.level(), record.target(), record.args()));
    }
    fn flush(&self) {}
}

struct Accepting;
impl SmsSender for Accepting {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

#[test]
fn trace_logs_hold_no_marker() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let mut f = fixture();
    let v = &f.vault;
    v.set_worker_profile("LogMarkerWorker", "61223344", WorkerRole::Caseworker).unwrap();
    let c = v
        .add_citizen(NewCitizen {
            nickname: "LogMarkerNick".into(),
            phone: Some("28 91 73 64".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            case_reference: Some("LogMarkerCase".into()),
            ..Default::default()
        })
        .unwrap();
    let n = v
        .create_note(NoteInput { citizen_id: Some(c.id.clone()), text: "LogMarkerText".into(), ..Default::default() })
        .unwrap();
    v.finalize_note(&n.id).unwrap();
    v.amend_note(&n.id, "LogMarkerAmend").unwrap();
    v.search_notes("LogMarker", None, None).unwrap();
    v.today(NaiveDate::from_ymd_opt(2026, 4, 14).unwrap()).unwrap();
    let b = v
        .book_appointment(NewAppointment {
            citizen_id: c.id.clone(),
            venue_id: None,
            local_start: NaiveDate::from_ymd_opt(2026, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 30,
            kind: AppointmentKind::Accompaniment,
            outside_place: Some("LogMarkerPlace".into()),
        })
        .unwrap();
    f.clock.set(Utc.with_ymd_and_hms(2026, 4, 13, 15, 5, 0).unwrap());
    v.run_outbox(&Accepting, None).unwrap();
    v.unlock("000000").unwrap_err();
    v.unlock(PIN).unwrap();
    v.cancel_appointment(&b.appointment.id, CancelledBy::Worker).unwrap();
    v.delete_citizen(&c.id).unwrap();
    f.reopen().unwrap();
    f.vault.unlock(PIN).unwrap();
    f.vault.lock();
    let logs = CAPTURED.lock().unwrap().join("\n");
    assert!(logs.contains("vault unlocked"), "the log is captured: {logs}");
    for marker in ["LogMarker", "28917364", "2891", "hemmelig"] {
        assert!(!logs.contains(marker), "{marker} in the log:\n{logs}");
    }
}
