//! Citizens and notes on real files: crypto-shredding, tampering, durability, bad input.

mod common;

use brobygger_core::*;
use common::*;
use rusqlite::Connection;

fn citizen(f: &Fixture, name: &str) -> Citizen {
    f.vault
        .add_citizen(NewCitizen {
            nickname: name.into(),
            phone: Some("20 30 40 50".into()),
            sms_consent: Some(ConsentMethod::Written),
            case_reference: Some(format!("{name}-CASE")),
            ..Default::default()
        })
        .unwrap()
}

fn note(f: &Fixture, citizen_id: Option<&str>, text: &str) -> NoteSaved {
    f.vault
        .create_note(NoteInput { citizen_id: citizen_id.map(Into::into), text: text.into(), ..Default::default() })
        .unwrap()
}

fn raw(f: &Fixture) -> Connection {
    Connection::open(f.dir.join("vault.db")).unwrap()
}

fn blob(conn: &Connection, sql: &str, id: &str) -> Vec<u8> {
    conn.query_row(sql, [id], |r| r.get(0)).unwrap()
}

#[test]
fn deleting_a_citizen_leaves_no_byte_of_them_in_any_file() {
    let f = fixture();
    let ole = citizen(&f, "OleMarker");
    let other = citizen(&f, "Bo");
    let n = note(&f, Some(&ole.id), "NoteMarker about Ole");
    f.vault.finalize_note(&n.id).unwrap();
    f.vault.amend_note(&n.id, "AmendMarker").unwrap();
    f.vault
        .add_follow_up(
            &n.id,
            FollowUpInput { text: "TaskMarker".into(), due_date: None, owner: WorkerRole::Caseworker },
        )
        .unwrap();
    // Collect every stored byte string that belongs to Ole: his wrapped key and ciphertexts.
    let conn = raw(&f);
    let key_id: i64 = conn.query_row("SELECT key_id FROM citizens WHERE id = ?1", [&ole.id], |r| r.get(0)).unwrap();
    let mut secrets: Vec<Vec<u8>> =
        vec![conn.query_row("SELECT wrapped FROM data_keys WHERE id = ?1", [key_id], |r| r.get(0)).unwrap()];
    for col in ["nickname", "phone", "case_ref", "sms"] {
        secrets.push(blob(&conn, &format!("SELECT {col} FROM citizens WHERE id = ?1"), &ole.id));
    }
    secrets.push(blob(&conn, "SELECT body FROM notes WHERE id = ?1", &n.id));
    secrets.push(blob(&conn, "SELECT details FROM notes WHERE id = ?1", &n.id));
    secrets.push(blob(&conn, "SELECT body FROM note_amendments WHERE note_id = ?1", &n.id));
    secrets.push(blob(&conn, "SELECT body FROM follow_ups WHERE note_id = ?1", &n.id));
    drop(conn);
    // Only the distinctive middle of each (past the version byte and key id).
    let probes: Vec<Vec<u8>> = secrets.iter().map(|s| s[9..25].to_vec()).collect();
    for p in &probes {
        assert!(!files_containing(&f.dir, p).is_empty(), "probe should be present before deletion");
    }

    f.vault.delete_citizen(&ole.id).unwrap();

    for (i, p) in probes.iter().enumerate() {
        assert!(files_containing(&f.dir, p).is_empty(), "secret {i} survives in {:?}", files_containing(&f.dir, p));
    }
    assert_eq!(f.vault.get_citizen(&ole.id).unwrap_err(), CoreError::NotFound { what: "citizen" });
    assert_eq!(f.vault.get_note(&n.id).unwrap_err(), CoreError::NotFound { what: "note" });
    assert_eq!(f.vault.get_citizen(&other.id).unwrap().nickname, "Bo");
    let wal = f.dir.join("vault.db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0, "WAL truncated");
}

#[test]
fn nothing_personal_is_stored_in_plaintext() {
    let f = fixture();
    let c = f
        .vault
        .add_citizen(NewCitizen {
            nickname: "QxNickMarker".into(),
            phone: Some("+45 28 91 73 64".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            language: SmsLanguage::En,
            case_reference: Some("QxCaseMarker".into()),
        })
        .unwrap();
    let n = f
        .vault
        .create_note(NoteInput {
            citizen_id: Some(c.id.clone()),
            text: "QxTextMarker".into(),
            topics: vec![Topic::AlcoholDrugs],
            help_given: vec![HelpGiven::HelpIntoTreatment],
            occurred_at: None,
        })
        .unwrap();
    f.vault.finalize_note(&n.id).unwrap();
    f.vault.amend_note(&n.id, "QxAmendMarker").unwrap();
    f.vault.mark_journalised(&n.id, "QxJournalMarker").unwrap();
    f.vault
        .add_follow_up(
            &n.id,
            FollowUpInput { text: "QxTaskMarker".into(), due_date: None, owner: WorkerRole::Caseworker },
        )
        .unwrap();
    let anon = note(&f, None, "QxAnonMarker");
    f.vault.save_draft(&anon.id, NoteInput { text: "QxAnonMarker2".into(), ..Default::default() }).unwrap();
    for marker in [
        "QxNickMarker",
        "4528917364",
        "28917364",
        "28 91 73 64",
        "QxCaseMarker",
        "QxTextMarker",
        "QxAmendMarker",
        "QxJournalMarker",
        "QxTaskMarker",
        "QxAnonMarker",
        "alcohol_drugs",
        "help_into_treatment",
        "verbal",
    ] {
        assert!(files_containing(&f.dir, marker.as_bytes()).is_empty(), "{marker} in plaintext");
    }
}

#[test]
fn tampered_or_moved_ciphertexts_give_typed_errors_and_other_rows_stay_readable() {
    let f = fixture();
    let a = citizen(&f, "Anna");
    let b = citizen(&f, "Bent");
    let na = note(&f, Some(&a.id), "Anna's note");
    let nb = note(&f, Some(&b.id), "Bent's note");
    let conn = raw(&f);
    let nick_a = blob(&conn, "SELECT nickname FROM citizens WHERE id = ?1", &a.id);
    let case_a = blob(&conn, "SELECT case_ref FROM citizens WHERE id = ?1", &a.id);
    let body_a = blob(&conn, "SELECT body FROM notes WHERE id = ?1", &na.id);
    let body_b = blob(&conn, "SELECT body FROM notes WHERE id = ?1", &nb.id);

    let restore = |conn: &Connection| {
        conn.execute(
            "UPDATE citizens SET nickname = ?2, case_ref = ?3 WHERE id = ?1",
            rusqlite::params![a.id, nick_a, case_a],
        )
        .unwrap();
        conn.execute("UPDATE notes SET body = ?2 WHERE id = ?1", rusqlite::params![na.id, body_a]).unwrap();
        conn.execute("UPDATE notes SET body = ?2 WHERE id = ?1", rusqlite::params![nb.id, body_b]).unwrap();
    };

    // A flipped bit anywhere in the envelope.
    for i in [0usize, 5, 12, 30, nick_a.len() - 1] {
        let mut bad = nick_a.clone();
        bad[i] ^= 0x01;
        conn.execute("UPDATE citizens SET nickname = ?2 WHERE id = ?1", rusqlite::params![a.id, bad]).unwrap();
        let err = f.vault.get_citizen(&a.id).unwrap_err();
        assert_eq!(err, CoreError::Tampered, "bit flip at {i}");
        assert_eq!(f.vault.get_citizen(&b.id).unwrap().nickname, "Bent");
        restore(&conn);
    }
    // Moved to another column of the same row.
    conn.execute("UPDATE citizens SET nickname = ?2 WHERE id = ?1", rusqlite::params![a.id, case_a]).unwrap();
    assert_eq!(f.vault.get_citizen(&a.id).unwrap_err(), CoreError::Tampered);
    restore(&conn);
    // Moved to another citizen's row (another key, and another row id).
    conn.execute("UPDATE citizens SET nickname = ?2 WHERE id = ?1", rusqlite::params![b.id, nick_a]).unwrap();
    assert_eq!(f.vault.get_citizen(&b.id).unwrap_err(), CoreError::Tampered);
    conn.execute("UPDATE citizens SET nickname = (SELECT nickname FROM citizens WHERE id = ?1) WHERE id = ?1", [&a.id])
        .unwrap();
    // Note ciphertext swapped between citizens, with the key id column pointed along.
    conn.execute(
        "UPDATE notes SET body = ?2, key_id = (SELECT key_id FROM citizens WHERE id = ?3) WHERE id = ?1",
        rusqlite::params![nb.id, body_a, a.id],
    )
    .unwrap();
    assert_eq!(f.vault.get_note(&nb.id).unwrap_err(), CoreError::Tampered);
    // Damage stays local: the search shows the readable note and counts the other.
    let page = f.vault.search_notes("note", None, None).unwrap();
    assert_eq!((page.items.len(), page.unreadable), (1, 1), "{page:?}");
    assert_eq!(f.vault.get_note(&na.id).unwrap().text, "Anna's note");
    // A truncated envelope.
    conn.execute("UPDATE notes SET body = x'0102' WHERE id = ?1", [&na.id]).unwrap();
    assert_eq!(f.vault.get_note(&na.id).unwrap_err(), CoreError::Tampered);
}

#[test]
fn a_draft_survives_the_process_dying() {
    let f = fixture();
    let n = note(&f, None, "first words");
    f.vault.save_draft(&n.id, NoteInput { text: "first words and more".into(), ..Default::default() }).unwrap();
    // No clean close: the connection is leaked as if the process died, the WAL stays.
    let Fixture { _tmp, dir, keys, clock, vault, .. } = f;
    std::mem::forget(vault);
    let copy = _tmp.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    for name in ["vault.db", "vault.db-wal"] {
        if dir.join(name).exists() {
            std::fs::copy(dir.join(name), copy.join(name)).unwrap();
        }
    }
    let reopened = Vault::open(&copy, keys, clock).unwrap();
    reopened.unlock(PIN).unwrap();
    assert_eq!(reopened.get_note(&n.id).unwrap().text, "first words and more");
}

#[test]
fn refused_input_writes_nothing() {
    let f = fixture();
    let c = citizen(&f, "Ole");
    let n = note(&f, Some(&c.id), "text");
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = files(&f.dir);
    let bad: Vec<CoreError> = vec![
        f.vault.add_citizen(NewCitizen { nickname: "".into(), ..Default::default() }).unwrap_err(),
        f.vault.add_citizen(NewCitizen { nickname: "x".repeat(61), ..Default::default() }).unwrap_err(),
        f.vault
            .add_citizen(NewCitizen { nickname: "Bo".into(), phone: Some("12".into()), ..Default::default() })
            .unwrap_err(),
        f.vault
            .add_citizen(NewCitizen {
                nickname: "Bo".into(),
                case_reference: Some("y".repeat(41)),
                ..Default::default()
            })
            .unwrap_err(),
        f.vault
            .edit_citizen(
                &c.id,
                CitizenEdit { nickname: "Ole".into(), phone: Some("abc".into()), ..Default::default() },
            )
            .unwrap_err(),
        f.vault.get_citizen("00000000000000000000000000000000").unwrap_err(),
        f.vault.delete_citizen("00000000000000000000000000000000").unwrap_err(),
        f.vault
            .create_note(NoteInput {
                citizen_id: Some("00000000000000000000000000000000".into()),
                text: "x".into(),
                ..Default::default()
            })
            .unwrap_err(),
        f.vault.create_note(NoteInput { text: "x".repeat(20_001), ..Default::default() }).unwrap_err(),
        f.vault.amend_note(&n.id, "draft cannot be amended").unwrap_err(),
        f.vault.mark_journalised(&n.id, "REF").unwrap_err(),
        f.vault.search_notes("", None, None).unwrap_err(),
        f.vault.list_notes(None, Some(0), None).unwrap_err(),
        f.vault.search_notes("x", None, Some("n1.0.00000000000000000000000000000000.00")).unwrap_err(),
        f.vault
            .create_note(NoteInput {
                text: "tomorrow's talk".into(),
                occurred_at: Some(f.clock.now() + chrono::Duration::days(1)),
                ..Default::default()
            })
            .unwrap_err(),
        f.vault.set_follow_up_done("00000000000000000000000000000000", true).unwrap_err(),
        f.vault.get_note("../../etc/passwd").unwrap_err(),
    ];
    assert_eq!(bad.len(), 17);
    for e in &bad {
        assert!(
            matches!(e, CoreError::InvalidInput { .. } | CoreError::NotFound { .. } | CoreError::InvalidState { .. }),
            "{e:?}"
        );
        let message = e.to_string();
        assert!(!message.contains("Ole") && !message.contains("abc"), "no personal data in {message}");
    }
    let after = files(&f.dir);
    for ((p, a), (_, b)) in before.iter().zip(&after) {
        // The -shm file is SQLite's shared-memory index of the WAL (lock and read marks, no
        // data): taking the write lock for a transaction that is then refused may touch it.
        if p.to_string_lossy().ends_with("-shm") {
            continue;
        }
        assert!(a == b, "a refused call changed {p:?} ({} -> {} bytes)", a.len(), b.len());
    }
    assert_eq!(before.len(), after.len());
}

#[test]
fn moving_a_draft_between_citizens_reseals_it() {
    let f = fixture();
    let a = citizen(&f, "Anna");
    let n = note(&f, None, "started anonymous");
    f.vault
        .add_follow_up(
            &n.id,
            FollowUpInput { text: "call back".into(), due_date: None, owner: WorkerRole::SupportContactPerson },
        )
        .unwrap();
    let moved = f
        .vault
        .save_draft(
            &n.id,
            NoteInput { citizen_id: Some(a.id.clone()), text: "about Anna".into(), ..Default::default() },
        )
        .unwrap();
    let moved = f.vault.get_note(&moved.id).unwrap();
    assert_eq!(moved.citizen_id.as_deref(), Some(a.id.as_str()));
    assert_eq!(moved.follow_ups[0].text, "call back");
    f.vault.delete_citizen(&a.id).unwrap();
    assert_eq!(f.vault.get_note(&n.id).unwrap_err(), CoreError::NotFound { what: "note" });
}

#[test]
fn lists_and_search_come_in_pages_newest_conversation_first() {
    let f = fixture();
    let a = citizen(&f, "Åse");
    let b = citizen(&f, "anders");
    let c = citizen(&f, "Ærlig");
    let names: Vec<String> = f.vault.list_citizens().unwrap().citizens.into_iter().map(|c| c.nickname).collect();
    assert_eq!(names, vec!["anders", "Ærlig", "Åse"]);
    for i in 0..60 {
        f.clock.advance(chrono::Duration::seconds(1));
        note(&f, Some(if i % 2 == 0 { &a.id } else { &b.id }), &format!("note {i} om ÆBLER"));
    }
    f.clock.advance(chrono::Duration::seconds(1));
    let latest = note(&f, None, "Mødte en fra Ærøskøbing på natcafé");
    let recent = f.vault.list_notes(None, None, None).unwrap();
    assert_eq!(recent.items.len(), 50);
    assert_eq!(recent.items[0].id, latest.id);
    assert!(recent.items.windows(2).all(|w| w[0].occurred_at >= w[1].occurred_at));
    assert_eq!(recent.items[1].citizen_nickname.as_deref(), Some("anders"));
    assert!(recent.items[0].snippet.starts_with("Mødte en fra"));
    // The next page carries on exactly where the first ended.
    let rest = f.vault.list_notes(None, None, recent.next_cursor.as_deref()).unwrap();
    assert_eq!(rest.items.len(), 11);
    assert!(rest.next_cursor.is_none());
    let mut all: Vec<String> = recent.items.iter().chain(&rest.items).map(|n| n.id.clone()).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 61, "no note twice, none left out");
    assert_eq!(f.vault.list_notes(Some(&a.id), Some(100), None).unwrap().items.len(), 30);
    assert!(f.vault.list_notes(Some(&c.id), None, None).unwrap().items.is_empty());
    let hit = f.vault.search_notes("ærøskøbing", None, None).unwrap();
    assert_eq!(hit.items[0].id, latest.id);
    assert!(hit.items[0].snippet.contains("Ærøskøbing"), "{}", hit.items[0].snippet);
    assert_eq!(f.vault.search_notes("ÆRØ", None, None).unwrap().items.len(), 1);
    assert_eq!(f.vault.search_notes("natcafe", None, None).unwrap().items.len(), 1, "accents fold away");
    assert_eq!(f.vault.search_notes("æbler", Some(100), None).unwrap().items.len(), 60);
    assert_eq!(f.vault.count_note_matches("æbler").unwrap().matches, 60);
    let first = f.vault.search_notes("æbler", Some(20), None).unwrap();
    assert_eq!(first.items.len(), 20);
    let second = f.vault.search_notes("æbler", Some(20), first.next_cursor.as_deref()).unwrap();
    assert_eq!(second.items.len(), 20);
    assert!(second.items[0].occurred_at < first.items[19].occurred_at);
    // A cursor belongs to its query.
    assert!(matches!(
        f.vault.search_notes("note", Some(20), first.next_cursor.as_deref()),
        Err(CoreError::InvalidInput { field: "cursor", .. })
    ));
    assert!(matches!(
        f.vault.list_notes(Some(&a.id), None, first.next_cursor.as_deref()),
        Err(CoreError::InvalidInput { field: "cursor", .. })
    ));
    assert_eq!(f.vault.search_notes("note 59", None, None).unwrap().items.len(), 1);
    assert!(f.vault.search_notes("banan", None, None).unwrap().items.is_empty());
}

#[test]
fn search_reaches_follow_ups_amendments_and_journal_references() {
    let f = fixture();
    let a = citizen(&f, "Anna");
    let n = note(&f, Some(&a.id), "Kaffe og snak");
    f.vault
        .add_follow_up(
            &n.id,
            FollowUpInput { text: "Ring til boligkontoret".into(), due_date: None, owner: WorkerRole::Caseworker },
        )
        .unwrap();
    let m = note(&f, None, "Anonym samtale");
    f.vault.finalize_note(&m.id).unwrap();
    f.vault.amend_note(&m.id, "Tilføjet: huslejen").unwrap();
    let j = note(&f, None, "Journal");
    f.vault.finalize_note(&j.id).unwrap();
    f.vault.mark_journalised(&j.id, "SAG-4711").unwrap();
    let found = |q: &str| -> Vec<String> {
        f.vault.search_notes(q, None, None).unwrap().items.into_iter().map(|n| n.id).collect()
    };
    assert_eq!(found("boligkontoret"), vec![n.id.clone()]);
    assert_eq!(found("HUSLEJEN"), vec![m.id.clone()]);
    assert_eq!(found("sag-4711"), vec![j.id.clone()]);
    let page = f.vault.search_notes("boligkontoret", None, None).unwrap();
    assert!(page.items[0].snippet.contains("boligkontoret"));
    assert_eq!(page.items[0].open_follow_ups, 1);
}

#[test]
fn a_note_keeps_the_time_of_the_talk_and_can_be_detached_and_cleared() {
    let f = fixture();
    let a = citizen(&f, "Anna");
    let yesterday = f.clock.now() - chrono::Duration::days(1);
    let saved = f
        .vault
        .create_note(NoteInput {
            citizen_id: Some(a.id.clone()),
            text: "Gårsdagens snak".into(),
            topics: vec![Topic::FinancesHousing, Topic::MentalHealth],
            help_given: vec![HelpGiven::Forms],
            occurred_at: Some(yesterday),
        })
        .unwrap();
    assert_eq!(saved.occurred_at, yesterday);
    f.clock.advance(chrono::Duration::minutes(2));
    let today = note(&f, None, "Dagens snak");
    // The list is by the time of the talk, not of the last edit.
    f.clock.advance(chrono::Duration::minutes(2));
    f.vault
        .save_draft(
            &saved.id,
            NoteInput { citizen_id: None, text: "Gårsdagens snak, rettet".into(), ..Default::default() },
        )
        .unwrap();
    let list = f.vault.list_notes(None, None, None).unwrap();
    assert_eq!(
        list.items.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        vec![today.id.as_str(), saved.id.as_str()]
    );
    let n = f.vault.get_note(&saved.id).unwrap();
    assert_eq!(n.occurred_at, yesterday, "kept when not given");
    assert!(n.citizen_id.is_none(), "detached from the citizen");
    assert!(n.topics.is_empty() && n.help_given.is_empty(), "cleared");
    assert!(n.updated_at > n.occurred_at);
    assert!(f.vault.list_notes(Some(&a.id), None, None).unwrap().items.is_empty());
}
