//! The satisfaction survey on real files: survey mode shows nothing and writes only answers,
//! leaving it takes the PIN or biometrics, it ends by itself when idle, and what is stored
//! of a form is only its venue, its date and the sealed answers.

mod common;

use brobygger_core::messages::{self, Language};
use brobygger_core::survey::{SurveyMode, SURVEY_IDLE_MINUTES};
use brobygger_core::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::*;

struct Accept;
impl SmsSender for Accept {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

fn venue(f: &Fixture, name: &str) -> Venue {
    f.vault
        .add_venue(NewVenue {
            name: name.into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: false,
            time_zone: None,
        })
        .unwrap()
}

fn today() -> NaiveDate {
    // The fixture's clock: 2026-03-31 08:00 UTC, 10:00 in Copenhagen.
    NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
}

const FORM: [Option<u8>; 5] = [Some(5), Some(4), Some(5), None, Some(2)];

#[test]
fn survey_mode_shows_nothing_and_takes_only_answers() {
    let f = fixture();
    let v = &f.vault;
    let place = venue(&f, "Borgercaféen");
    let ole = v.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    let note = v.create_note(NoteInput { text: "Talte om huslejen".into(), ..Default::default() }).unwrap();
    let mode = v.start_survey_mode(&place.id).unwrap();
    assert_eq!(mode.venue_id(), place.id);
    assert!(!v.is_unlocked(), "the keys to personal data left memory");
    assert!(mode.is_active(v));
    // Everything that reads or writes what is behind the PIN is refused, typed.
    assert_eq!(v.get_citizen(&ole.id).unwrap_err(), CoreError::Locked);
    assert_eq!(v.get_note(&note.id).unwrap_err(), CoreError::Locked);
    assert_eq!(v.list_notes(None, None, None).unwrap_err(), CoreError::Locked);
    assert_eq!(v.search_notes("huslejen", None, None).unwrap_err(), CoreError::Locked);
    assert_eq!(
        v.add_citizen(NewCitizen { nickname: "X".into(), ..Default::default() }).unwrap_err(),
        CoreError::Locked
    );
    assert_eq!(v.evaluation_report(today(), today(), None, Language::Da).unwrap_err(), CoreError::Locked);
    assert_eq!(v.add_survey_answer(&place.id, None, &FORM).unwrap_err(), CoreError::Locked);
    assert_eq!(v.start_survey_mode(&place.id).unwrap_err(), CoreError::Locked);
    // Reminders still go out: the outbox needs no PIN.
    v.run_outbox(&Accept, None).unwrap();
    // The citizen answers, three times over.
    for _ in 0..3 {
        mode.add_answer(v, &FORM).unwrap();
    }
    // Answers out of range are refused, and survey mode goes on.
    assert_eq!(
        mode.add_answer(v, &[Some(6), None, None, None, None]).unwrap_err(),
        CoreError::InvalidInput { field: "answers", reason: "each answer must be between 1 and 5" }
    );
    assert_eq!(
        mode.add_answer(v, &[None; 5]).unwrap_err(),
        CoreError::InvalidInput { field: "answers", reason: "at least one statement must be answered" }
    );
    assert!(mode.is_active(v));
    // Leaving without the PIN: a wrong one is counted, and survey mode goes on.
    assert!(matches!(mode.leave_with_pin(v, "000000").unwrap_err(), CoreError::WrongPin { .. }));
    assert!(matches!(mode.leave_with_pin(v, "").unwrap_err(), CoreError::InvalidInput { field: "pin", .. }));
    assert!(mode.is_active(v));
    assert!(!v.is_unlocked());
    assert_eq!(v.status().unwrap().pin_attempts_left, 9, "counted as on the lock screen");
    mode.add_answer(v, &FORM).unwrap();
    // The worker takes the phone back.
    mode.leave_with_pin(v, PIN).unwrap();
    assert!(v.is_unlocked());
    assert!(!mode.is_active(v));
    assert_eq!(mode.add_answer(v, &FORM).unwrap_err(), CoreError::Locked, "ended: no more answers");
    assert_eq!(v.get_citizen(&ole.id).unwrap().nickname, "Ole");
    let figures = v.evaluation_figures(today(), today(), Some(&place.id)).unwrap();
    assert_eq!(figures.survey.responses, 4);
    let first = figures.survey.statements[0];
    assert_eq!((first.answered, first.agree(), first.by_answer), (4, 4, [0, 0, 0, 0, 4]));
    let fourth = figures.survey.statements[3];
    assert_eq!(fourth.answered, 0, "skipped");
    assert_eq!(figures.survey.statements[4].by_answer, [0, 4, 0, 0, 0]);
}

#[test]
fn leaving_with_biometrics_and_refusing_a_wrong_secret() {
    let f = fixture();
    let v = &f.vault;
    let place = venue(&f, "Natcaféen");
    let secret = v.enroll_biometric().unwrap();
    let mode = v.start_survey_mode(&place.id).unwrap();
    assert!(mode.leave_with_biometric(v, &[7u8; 32]).is_err());
    assert!(mode.is_active(v) && !v.is_unlocked());
    mode.leave_with_biometric(v, &secret).unwrap();
    assert!(v.is_unlocked() && !mode.is_active(v));
}

#[test]
fn survey_mode_ends_by_itself_when_idle_and_outlives_the_auto_lock() {
    let f = fixture();
    let v = &f.vault;
    let place = venue(&f, "Borgercaféen");
    let mode = v.start_survey_mode(&place.id).unwrap();
    // Longer than the vault's auto-lock (5 minutes), shorter than survey mode's limit.
    f.clock.advance(Duration::minutes(SURVEY_IDLE_MINUTES - 1));
    mode.add_answer(v, &FORM).unwrap();
    f.clock.advance(Duration::minutes(SURVEY_IDLE_MINUTES - 1));
    assert!(mode.is_active(v), "each form starts the idle time again");
    mode.add_answer(v, &FORM).unwrap();
    // A clock set backwards gives no extra time...
    f.clock.advance(Duration::minutes(-60));
    assert!(mode.is_active(v));
    f.clock.advance(Duration::minutes(60 + SURVEY_IDLE_MINUTES));
    // ...and idle too long ends it.
    assert_eq!(mode.add_answer(v, &FORM).unwrap_err(), CoreError::Locked);
    assert!(!mode.is_active(v));
    // The PIN still opens the vault (and leaving an ended survey mode is harmless).
    mode.leave_with_pin(v, PIN).unwrap();
    assert!(v.is_unlocked());
    let figures = v.evaluation_figures(today(), today(), None).unwrap();
    assert_eq!(figures.survey.responses, 2);
}

#[test]
fn starting_survey_mode_needs_the_vault_unlocked_and_a_real_venue() {
    let f = fixture();
    let v = &f.vault;
    let place = venue(&f, "Borgercaféen");
    assert_eq!(
        v.start_survey_mode("not-an-id").unwrap_err(),
        CoreError::InvalidInput { field: "venue_id", reason: "not a Brobygger id (32 hex digits)" }
    );
    assert_eq!(v.start_survey_mode(&"a".repeat(32)).unwrap_err(), CoreError::NotFound { what: "venue" });
    assert!(v.is_unlocked(), "a refused start leaves the vault as it was");
    v.lock();
    assert_eq!(v.start_survey_mode(&place.id).unwrap_err(), CoreError::Locked);
}

#[test]
fn a_survey_mode_works_only_with_its_own_vault() {
    let f = fixture();
    let g = fixture();
    let a = venue(&f, "Borgercaféen");
    let mode: SurveyMode = f.vault.start_survey_mode(&a.id).unwrap();
    let other = CoreError::InvalidState { reason: "this survey mode belongs to another vault" };
    assert_eq!(mode.add_answer(&g.vault, &FORM).unwrap_err(), other);
    assert_eq!(mode.leave_with_pin(&g.vault, PIN).unwrap_err(), other);
    assert!(!messages::error(&other, Language::Da).contains("engelsk"), "the catalogue has words for it");
}

#[test]
fn a_form_keeps_only_venue_and_date_and_sealed_answers() {
    let mut f = fixture();
    let place = venue(&f, "Borgercaféen");
    // Late in the evening in Copenhagen, already the next day in UTC terms would not matter:
    // the date is the venue's.
    f.clock.set(Utc.with_ymd_and_hms(2026, 3, 31, 21, 30, 0).unwrap()); // 23:30 in Copenhagen
    f.vault.unlock(PIN).unwrap();
    let mode = f.vault.start_survey_mode(&place.id).unwrap();
    let forms: Vec<[Option<u8>; 5]> = (1..=5u8).map(|a| [Some(a), Some(a), None, Some(a), Some(6 - a)]).collect();
    for form in &forms {
        mode.add_answer(&f.vault, form).unwrap();
    }
    drop(mode);
    f.reopen().unwrap();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('survey_answers') ORDER BY cid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(columns, vec!["id", "venue_id", "on_date", "answers"], "nothing else: no citizen, note or time");
    let rows: Vec<(String, String, String, Vec<u8>)> = conn
        .prepare("SELECT id, venue_id, on_date, answers FROM survey_answers")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 5);
    let mut ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let stored_order = ids.clone();
    ids.sort();
    assert_eq!(stored_order, ids, "the table is in the order of its random ids, not of the forms");
    for (_, venue_id, date, sealed) in &rows {
        assert_eq!(venue_id, &place.id);
        assert_eq!(date, "2026-03-31", "the venue's date, not UTC's");
        assert_eq!(sealed.len(), rows[0].3.len(), "one length whatever was answered");
        assert!(!contains(sealed, &[1, 1, 0, 1, 5]) && !contains(sealed, &[5, 5, 0, 5, 1]), "sealed");
    }
    // A form moved to another venue or day is not counted there.
    let other = {
        f.vault.unlock(PIN).unwrap();
        venue(&f, "Natcaféen")
    };
    conn.execute("UPDATE survey_answers SET venue_id = ?1 WHERE id = ?2", [&other.id, &rows[0].0]).unwrap();
    conn.execute("UPDATE survey_answers SET on_date = '2026-03-30' WHERE id = ?1", [&rows[1].0]).unwrap();
    let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    let moved = f.vault.evaluation_figures(d(30), d(31), Some(&other.id)).unwrap();
    assert_eq!((moved.survey.responses, moved.survey.unreadable), (0, 1));
    let all = f.vault.evaluation_figures(d(30), d(31), None).unwrap();
    assert_eq!((all.survey.responses, all.survey.unreadable), (3, 2));
    let r = f.vault.evaluation_report(d(30), d(31), None, Language::En).unwrap();
    assert!(
        r.notes.iter().any(|n| n == "2 survey answers could not be read (damaged) and are not counted."),
        "{:?}",
        r.notes
    );
}

#[test]
fn forms_typed_in_from_paper() {
    let f = fixture();
    let v = &f.vault;
    let place = venue(&f, "Borgercaféen");
    let yesterday = today() - Duration::days(1);
    v.add_survey_answer(&place.id, Some(yesterday), &[Some(4), Some(4), Some(4), Some(4), Some(4)]).unwrap();
    v.add_survey_answer(&place.id, None, &[Some(1), None, None, None, None]).unwrap();
    assert_eq!(
        v.add_survey_answer(&place.id, Some(today() + Duration::days(1)), &FORM).unwrap_err(),
        CoreError::InvalidInput { field: "date", reason: "lies in the future" }
    );
    assert_eq!(
        v.add_survey_answer(&place.id, None, &[Some(4), Some(4)]).unwrap_err(),
        CoreError::InvalidInput { field: "answers", reason: "five answers are needed, one per statement" }
    );
    assert_eq!(v.add_survey_answer(&"b".repeat(32), None, &FORM).unwrap_err(), CoreError::NotFound { what: "venue" });
    assert!(matches!(
        v.add_survey_answer(&place.id, NaiveDate::from_ymd_opt(1850, 1, 1), &FORM).unwrap_err(),
        CoreError::InvalidInput { field: "date", .. }
    ));
    let figures = v.evaluation_figures(yesterday, today(), None).unwrap();
    assert_eq!(figures.survey.responses, 2);
    assert_eq!(v.evaluation_figures(today(), today(), None).unwrap().survey.responses, 1);
    // Every refusal has words in the catalogue, in both languages.
    for e in [
        CoreError::InvalidInput { field: "answers", reason: "five answers are needed, one per statement" },
        CoreError::InvalidInput { field: "answers", reason: "each answer must be between 1 and 5" },
        CoreError::InvalidInput { field: "answers", reason: "at least one statement must be answered" },
    ] {
        assert!(!messages::error(&e, Language::Da).contains("engelsk"), "{e:?}");
        assert_eq!(
            messages::error(&e, Language::Da).split(':').next(),
            Some("Svar"),
            "{}",
            messages::error(&e, Language::Da)
        );
    }
}
