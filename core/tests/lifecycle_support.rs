//! Shared set-up for the lifecycle tests (backup, restore, retention, audit, wipes, export):
//! a vault with something of everything in it, a raw dump of every table to compare two
//! vaults record by record, and what a file holds.
#![allow(dead_code)]

use brobygger_core::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;

pub fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

pub fn cph(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.from_local_datetime(&local(y, m, d, h, min)).earliest().unwrap().with_timezone(&Utc)
}

pub struct Accept;
impl SmsSender for Accept {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

/// Records what it was handed.
#[derive(Default)]
pub struct Recorder(pub std::sync::Mutex<Vec<(String, String)>>);
impl SmsSender for Recorder {
    fn send(&self, id: &str, _: &str, text: &str) -> Result<SendOutcome, SenderFailure> {
        self.0.lock().unwrap().push((id.to_string(), text.to_string()));
        Ok(SendOutcome::Accepted)
    }
}

/// Markers written into the vault, so a scan of a file can look for them.
pub const MARKERS: [&str; 6] = [
    "Kirsebærtræet-7731",
    "Syrenbusken-2290",
    "+4520304050",
    "Journal-JX-88213",
    "Opfølgning-Lærkevej",
    "Tillæg-Hyldebær-551",
];

/// A worker's profile, a venue, two citizens with numbers and consent, notes in every state
/// with amendments, follow-ups and a journal reference, appointments with reminders (one
/// sent), an absence and office hours.
pub fn populate(v: &Vault, clock: &ManualClock) -> (Citizen, Citizen) {
    clock.set(cph(2026, 3, 20, 12, 0));
    v.set_worker_profile("Mette", "61 22 33 44", WorkerRole::Caseworker).unwrap();
    let venue = v
        .add_venue(NewVenue {
            name: "Borgercaféen".into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: true,
            time_zone: None,
        })
        .unwrap();
    v.add_office_hours(
        &venue.id,
        chrono::Weekday::Tue,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        None,
        None,
    )
    .unwrap();
    v.add_absence(
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 7, 10).unwrap(),
        AbsenceReason::Vacation,
    )
    .unwrap();
    let ole = v
        .add_citizen(NewCitizen {
            nickname: MARKERS[0].into(),
            phone: Some("20 30 40 50".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            case_reference: Some("SAG-1".into()),
            ..Default::default()
        })
        .unwrap();
    let kim = v
        .add_citizen(NewCitizen {
            nickname: MARKERS[1].into(),
            phone: Some("+45 22 33 44 55".into()),
            ..Default::default()
        })
        .unwrap();
    let draft = v
        .create_note(NoteInput {
            citizen_id: Some(ole.id.clone()),
            text: "Kladde om bolig".into(),
            topics: vec![Topic::FinancesHousing],
            ..Default::default()
        })
        .unwrap();
    v.add_follow_up(
        &draft.id,
        FollowUpInput { text: MARKERS[4].into(), due_date: None, owner: WorkerRole::Caseworker },
    )
    .unwrap();
    let fin = v
        .create_note(NoteInput {
            citizen_id: Some(ole.id.clone()),
            text: "Samtale om jobcentret".into(),
            topics: vec![Topic::JobEducationRehabilitation, Topic::MentalHealth],
            help_given: vec![HelpGiven::Forms],
            ..Default::default()
        })
        .unwrap();
    v.finalize_note(&fin.id).unwrap();
    v.amend_note(&fin.id, MARKERS[5]).unwrap();
    v.mark_journalised(&fin.id, MARKERS[3]).unwrap();
    let anon = v.create_note(NoteInput { text: "Anonym snak".into(), ..Default::default() }).unwrap();
    v.finalize_note(&anon.id).unwrap();
    v.create_note(NoteInput { citizen_id: Some(kim.id.clone()), text: "Kim kom forbi".into(), ..Default::default() })
        .unwrap();
    // One reminder goes out now (confirmation at short notice), the others wait.
    v.book_appointment(NewAppointment {
        citizen_id: ole.id.clone(),
        venue_id: Some(venue.id.clone()),
        local_start: local(2026, 3, 21, 10, 0),
        duration_minutes: 60,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    })
    .unwrap();
    v.book_appointment(NewAppointment {
        citizen_id: ole.id.clone(),
        venue_id: None,
        local_start: local(2026, 4, 2, 9, 0),
        duration_minutes: 90,
        kind: AppointmentKind::Accompaniment,
        outside_place: Some("Retten i Kolding".into()),
    })
    .unwrap();
    v.run_outbox(&Accept, None).unwrap();
    (ole, kim)
}

/// Every row of every table, by table, in primary-key order, all columns; with the columns
/// `skip` names left out (`table.column`).
pub fn dump(db: &Path, skip: &[&str]) -> BTreeMap<String, Vec<Vec<(String, Value)>>> {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = {
        let mut s = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
        s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let mut out = BTreeMap::new();
    for t in tables {
        let cols: Vec<String> = {
            let mut s = conn.prepare(&format!("PRAGMA table_info({t})")).unwrap();
            s.query_map([], |r| r.get(1)).unwrap().map(Result::unwrap).collect()
        };
        let keep: Vec<String> = cols.into_iter().filter(|c| !skip.contains(&format!("{t}.{c}").as_str())).collect();
        if keep.is_empty() {
            continue;
        }
        let order: Vec<String> = (1..=keep.len()).map(|i| i.to_string()).collect();
        let mut s =
            conn.prepare(&format!("SELECT {} FROM {t} ORDER BY {}", keep.join(", "), order.join(", "))).unwrap();
        let rows = s
            .query_map([], |r| (0..keep.len()).map(|i| Ok((keep[i].clone(), r.get::<_, Value>(i)?))).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.insert(t, rows);
    }
    out
}

/// Every file under `dir` with its bytes (none when `dir` does not exist).
pub fn files_in(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}
