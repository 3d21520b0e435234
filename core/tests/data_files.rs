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

fn note(f: &Fixture, citizen_id: Option<&str>, text: &str) -> Note {
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
    assert_eq!(f.vault.search_notes("note").unwrap_err(), CoreError::Tampered);
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
        f.vault.search_notes("").unwrap_err(),
        f.vault.list_notes(None, Some(0)).unwrap_err(),
        f.vault.set_follow_up_done("00000000000000000000000000000000", true).unwrap_err(),
        f.vault.get_note("../../etc/passwd").unwrap_err(),
    ];
    assert_eq!(bad.len(), 15);
    for e in &bad {
        assert!(
            matches!(e, CoreError::InvalidInput { .. } | CoreError::NotFound { .. } | CoreError::InvalidState { .. }),
            "{e:?}"
        );
        let message = e.to_string();
        assert!(!message.contains("Ole") && !message.contains("abc"), "no personal data in {message}");
    }
    let after = files(&f.dir);
    assert!(before == after, "a refused call changed a file");
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
    assert_eq!(moved.citizen_id.as_deref(), Some(a.id.as_str()));
    assert_eq!(moved.follow_ups[0].text, "call back");
    f.vault.delete_citizen(&a.id).unwrap();
    assert_eq!(f.vault.get_note(&n.id).unwrap_err(), CoreError::NotFound { what: "note" });
}

#[test]
fn lists_and_search() {
    let f = fixture();
    let a = citizen(&f, "Åse");
    let b = citizen(&f, "anders");
    let c = citizen(&f, "Ærlig");
    let names: Vec<String> = f.vault.list_citizens().unwrap().into_iter().map(|c| c.nickname).collect();
    assert_eq!(names, vec!["anders", "Ærlig", "Åse"]);
    for i in 0..60 {
        f.clock.advance(chrono::Duration::seconds(1));
        note(&f, Some(if i % 2 == 0 { &a.id } else { &b.id }), &format!("note {i} om ÆBLER"));
    }
    f.clock.advance(chrono::Duration::seconds(1));
    let latest = note(&f, None, "Mødte en fra Ærøskøbing");
    let recent = f.vault.list_notes(None, None).unwrap();
    assert_eq!(recent.len(), 50);
    assert_eq!(recent[0].id, latest.id);
    assert!(recent.windows(2).all(|w| w[0].updated_at >= w[1].updated_at));
    assert_eq!(f.vault.list_notes(Some(&a.id), Some(100)).unwrap().len(), 30);
    assert!(f.vault.list_notes(Some(&c.id), None).unwrap().is_empty());
    assert_eq!(f.vault.search_notes("ærøskøbing").unwrap()[0].id, latest.id);
    assert_eq!(f.vault.search_notes("ÆRØ").unwrap().len(), 1);
    assert_eq!(f.vault.search_notes("æbler").unwrap().len(), 60);
    assert_eq!(f.vault.search_notes("note 59").unwrap().len(), 1);
    assert!(f.vault.search_notes("banan").unwrap().is_empty());
}
