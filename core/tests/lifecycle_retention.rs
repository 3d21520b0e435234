//! Retention (SPEC §2 F; GDPR's storage limitation): journalised notes are purged after the
//! period and leave no byte of their texts in any file, only the day's counts; final notes
//! not journalised are flagged; old appointments are reduced to anonymous counts.

mod common;
mod lifecycle_support;

use brobygger_core::*;
use chrono::{Duration, NaiveDate};
use common::*;
use lifecycle_support::*;
use rusqlite::Connection;

/// Sealed values of a note and what hangs on it, as the file holds them.
fn sealed_of(f: &Fixture, note_id: &str) -> Vec<Vec<u8>> {
    let conn = Connection::open(f.dir.join("vault.db")).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT body FROM notes WHERE id = ?1",
        "SELECT details FROM notes WHERE id = ?1",
        "SELECT journal_ref FROM notes WHERE id = ?1",
        "SELECT body FROM note_amendments WHERE note_id = ?1",
        "SELECT body FROM follow_ups WHERE note_id = ?1",
    ] {
        let mut s = conn.prepare(sql).unwrap();
        out.extend(s.query_map([note_id], |r| r.get::<_, Vec<u8>>(0)).unwrap().map(Result::unwrap));
    }
    out
}

fn journalised(v: &Vault, citizen: &str, text: &str, topics: Vec<Topic>, help: Vec<HelpGiven>) -> String {
    let n = v
        .create_note(NoteInput {
            citizen_id: Some(citizen.into()),
            text: text.into(),
            topics,
            help_given: help,
            ..Default::default()
        })
        .unwrap();
    v.add_follow_up(
        &n.id,
        FollowUpInput { text: format!("Følg op på {text}"), due_date: None, owner: WorkerRole::Caseworker },
    )
    .unwrap();
    v.finalize_note(&n.id).unwrap();
    v.amend_note(&n.id, &format!("Tillæg til {text}")).unwrap();
    v.mark_journalised(&n.id, "J-1").unwrap();
    n.id
}

#[test]
fn journalised_notes_are_purged_after_the_period_and_leave_only_the_days_counts() {
    let f = fixture();
    let v = &f.vault;
    let c = v.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    let old = journalised(
        v,
        &c.id,
        "Gammel samtale",
        vec![Topic::AlcoholDrugs, Topic::MentalHealth],
        vec![HelpGiven::HelpIntoTreatment],
    );
    let old2 = journalised(v, &c.id, "Anden gammel", vec![Topic::AlcoholDrugs], vec![]);
    let secrets: Vec<Vec<u8>> = [&old, &old2].iter().flat_map(|id| sealed_of(&f, id)).collect();
    assert_eq!(secrets.len(), 2 * 5);
    v.lock();
    let everything: Vec<u8> = files(&f.dir).into_iter().flat_map(|(_, b)| b).collect();
    assert!(secrets.iter().all(|s| contains(&everything, &s[9..])), "the scan finds them while they are there");
    v.unlock(PIN).unwrap();
    let fin = v
        .create_note(NoteInput { citizen_id: Some(c.id.clone()), text: "Færdig".into(), ..Default::default() })
        .unwrap();
    v.finalize_note(&fin.id).unwrap();
    let draft = v.create_note(NoteInput { text: "Kladde".into(), ..Default::default() }).unwrap();

    // Not yet: 29 days after journalisation.
    f.clock.advance(Duration::days(29));
    v.unlock(PIN).unwrap();
    let r = v.run_retention().unwrap();
    assert_eq!((r.notes_purged, r.final_notes_flagged), (0, 1), "the final note waits longer than 14 days");
    let recent = journalised(v, &c.id, "Ny samtale", vec![Topic::Other], vec![]);

    // The unlock a day later purges (retention runs at every unlock).
    f.clock.advance(Duration::days(1));
    v.unlock(PIN).unwrap();
    for id in [&old, &old2] {
        assert_eq!(v.get_note(id).unwrap_err(), CoreError::NotFound { what: "note" });
    }
    for id in [&recent, &fin.id, &draft.id] {
        v.get_note(id).unwrap();
    }
    // What the reports need stays: two conversations that day, their topics and help.
    let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let t = v.purged_note_counts(day, day).unwrap();
    assert_eq!(t.notes, 2);
    let count = |list: &[(Topic, u32)], t: Topic| list.iter().find(|(x, _)| *x == t).map(|(_, n)| *n);
    assert_eq!(count(&t.topics, Topic::AlcoholDrugs), Some(2));
    assert_eq!(count(&t.topics, Topic::MentalHealth), Some(1));
    assert_eq!(count(&t.topics, Topic::Other), Some(0));
    assert!(t.help_given.contains(&(HelpGiven::HelpIntoTreatment, 1)));
    assert_eq!(v.purged_note_counts(day + Duration::days(1), day + Duration::days(40)).unwrap().notes, 0);
    // No byte of the texts, amendments, follow-ups, topics or reference is in any file.
    v.lock();
    for (path, bytes) in files(&f.dir) {
        for s in &secrets {
            assert!(!contains(&bytes, &s[9..]), "purged ciphertext in {path:?}");
        }
    }
    v.unlock(PIN).unwrap();
    let entries = v.audit_list(None, 50).unwrap().entries;
    assert!(entries.iter().any(|e| e.kind == AuditKind::NotesPurged && e.count == 2), "{entries:?}");
    assert!(v.audit_verify().unwrap().intact());
}

#[test]
fn final_notes_waiting_too_long_are_flagged_and_the_settings_are_checked() {
    let f = fixture();
    let v = &f.vault;
    let n = v.create_note(NoteInput { text: "Skal journaliseres".into(), ..Default::default() }).unwrap();
    v.finalize_note(&n.id).unwrap();
    f.clock.advance(Duration::days(15));
    v.unlock(PIN).unwrap();
    let (flagged, total) = v.overdue_final_notes(10).unwrap();
    assert_eq!((flagged.len(), total), (1, 1));
    assert_eq!(flagged[0].note_id, n.id);
    let mut s = v.retention_settings().unwrap();
    assert_eq!((s.purge_after_days, s.flag_final_after_days), (30, 14));
    s.flag_final_after_days = 20;
    v.set_retention_settings(s).unwrap();
    assert_eq!(v.overdue_final_notes(10).unwrap().1, 0);
    for bad in [
        RetentionSettings { purge_after_days: 0, ..s },
        RetentionSettings { flag_final_after_days: 400, ..s },
        RetentionSettings { reduce_appointments_after_days: 10, ..s },
        RetentionSettings { backup_reminder_days: 0, ..s },
    ] {
        assert!(matches!(v.set_retention_settings(bad).unwrap_err(), CoreError::InvalidInput { .. }));
    }
    v.lock();
    assert_eq!(v.retention_settings().unwrap().flag_final_after_days, 20, "readable while locked");
}

#[test]
fn old_appointments_become_anonymous_counts_and_their_texts_go() {
    let f = fixture();
    let (ole, _) = populate(&f.vault, &f.clock);
    let v = &f.vault;
    let texts: Vec<Vec<u8>> = {
        let conn = Connection::open(f.dir.join("vault.db")).unwrap();
        let mut s = conn.prepare("SELECT history FROM reminders").unwrap();
        s.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap().map(Result::unwrap).collect()
    };
    v.lock();
    let everything: Vec<u8> = files(&f.dir).into_iter().flat_map(|(_, b)| b).collect();
    assert!(texts.iter().all(|t| contains(&everything, &t[9..])), "the scan finds them while they are there");
    v.unlock(PIN).unwrap();
    let report_before = v
        .no_show_report(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
            None,
        )
        .unwrap();
    f.clock.set(cph(2026, 10, 15, 9, 0));
    v.unlock(PIN).unwrap();
    assert!(v.appointments_for_citizen(&ole.id).unwrap().is_empty(), "no longer linked to the citizen");
    let report_after = v
        .no_show_report(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
            None,
        )
        .unwrap();
    assert_eq!(report_before, report_after, "the figures stay");
    assert!(v.list_reminders(None).unwrap().iter().all(|r| r.text.is_none()));
    v.lock();
    for (path, bytes) in files(&f.dir) {
        for t in &texts {
            assert!(!contains(&bytes, &t[9..]), "a reminder text in {path:?}");
        }
    }
    v.unlock(PIN).unwrap();
    let entries = v.audit_list(None, 100).unwrap().entries;
    assert!(entries.iter().any(|e| e.kind == AuditKind::AppointmentsReduced && e.count == 2));
}

#[test]
fn a_tally_edited_behind_the_apps_back_never_stops_later_purges() {
    let f = fixture();
    let v = &f.vault;
    let c = v.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
    journalised(v, &c.id, "Første", vec![Topic::Other], vec![]);
    f.clock.advance(Duration::days(31));
    v.unlock(PIN).unwrap();
    v.lock();
    let conn = Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute("UPDATE note_tallies SET counts = x'00'", []).unwrap();
    drop(conn);
    v.unlock(PIN).unwrap();
    // Another note from the same day, purged a little later: the day's tally starts anew.
    f.clock.set(cph(2026, 3, 31, 12, 0));
    v.unlock(PIN).unwrap();
    let second = journalised(v, &c.id, "Anden", vec![Topic::Other], vec![]);
    f.clock.advance(Duration::days(31));
    v.unlock(PIN).unwrap();
    assert_eq!(v.get_note(&second).unwrap_err(), CoreError::NotFound { what: "note" });
    let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    assert_eq!(v.purged_note_counts(day, day).unwrap().notes, 1);
}

/// One note of the generated days: anonymous or not, its topics and help (as indexes), its
/// state (0 draft, 1 final, 2 journalised) and follow-ups (due in days from the note's day,
/// done that day or not).
#[derive(Debug, Clone)]
struct GenNote {
    anonymous: bool,
    topics: Vec<usize>,
    help: Vec<usize>,
    state: u8,
    follow_ups: Vec<(i64, bool)>,
}

fn gen_note() -> impl proptest::strategy::Strategy<Value = GenNote> {
    use proptest::prelude::*;
    (
        any::<bool>(),
        proptest::collection::vec(0..Topic::ALL.len(), 0..3),
        proptest::collection::vec(0..HelpGiven::ALL.len(), 0..3),
        0u8..3,
        proptest::collection::vec((-5i64..80, any::<bool>()), 0..3),
    )
        .prop_map(|(anonymous, topics, help, state, follow_ups)| GenNote {
            anonymous,
            topics,
            help,
            state,
            follow_ups,
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]

    /// The evaluation's note figures for a period are the same before and after its
    /// journalised notes are purged: conversations, anonymous ones, topics, help, unreadable,
    /// journalising and follow-ups (on time, late, overdue, not yet due) all come back from
    /// what the purge leaves.
    #[test]
    fn the_reports_note_figures_survive_a_purge(days in proptest::collection::vec(proptest::collection::vec(gen_note(), 0..4), 1..20)) {
        let f = fixture();
        let v = &f.vault;
        v.set_retention_settings(RetentionSettings { purge_after_days: 3650, ..Default::default() }).unwrap();
        let c = v.add_citizen(NewCitizen { nickname: "Ole".into(), ..Default::default() }).unwrap();
        let start = f.clock.now();
        let mut journalised = 0;
        for (day, notes) in days.iter().enumerate() {
            f.clock.set(start + Duration::days(day as i64));
            if !v.is_unlocked() {
                v.unlock(PIN).unwrap();
            }
            let today = f.clock.now().date_naive();
            for (k, g) in notes.iter().enumerate() {
                let n = v
                    .create_note(NoteInput {
                        citizen_id: (!g.anonymous).then(|| c.id.clone()),
                        text: format!("Samtale {day} {k}"),
                        topics: g.topics.iter().map(|i| Topic::ALL[*i]).collect(),
                        help_given: g.help.iter().map(|i| HelpGiven::ALL[*i]).collect(),
                        ..Default::default()
                    })
                    .unwrap();
                for (due, done) in &g.follow_ups {
                    let fu = v
                        .add_follow_up(
                            &n.id,
                            FollowUpInput { text: "Ring".into(), due_date: Some(today + Duration::days(*due)), owner: WorkerRole::Caseworker },
                        )
                        .unwrap();
                    if *done {
                        v.set_follow_up_done(&fu.id, true).unwrap();
                    }
                }
                if g.state >= 1 {
                    v.finalize_note(&n.id).unwrap();
                }
                if g.state == 2 {
                    v.mark_journalised(&n.id, "J-7").unwrap();
                    journalised += 1;
                }
            }
        }
        // Sixty days on, a period that runs past today (so some follow-ups are not yet due).
        f.clock.set(start + Duration::days(60));
        v.unlock(PIN).unwrap();
        let (from, to) = (start.date_naive() - Duration::days(10), start.date_naive() + Duration::days(100));
        let before = v.evaluation_figures(from, to, None).unwrap().notes.unwrap();
        v.set_retention_settings(RetentionSettings { purge_after_days: 1, ..Default::default() }).unwrap();
        let r = v.run_retention().unwrap();
        proptest::prop_assert_eq!(r.notes_purged, journalised);
        let after = v.evaluation_figures(from, to, None).unwrap().notes.unwrap();
        proptest::prop_assert_eq!(before, after);
    }
}
