//! Tampering with the stored envelopes: every single-bit flip over a sample of envelopes
//! (a nickname, a note body, a follow-up, a reminder payload, a wrapped data key), and
//! ciphertexts swapped between rows, columns and citizens. Each read answers with a typed
//! error, never with other plaintext and never with a panic, and the other rows stay readable.
//! An older copy of a row written back is refused through the seal ledger (migration 8); a
//! note moved to another citizen, turned back into a draft or robbed of an amendment is
//! refused through the values its ledger entry binds (migration 9); rows written back with
//! their ledger entries while the vault was locked are caught at the next unlock.

mod common;

use brobygger_core::*;
use chrono::NaiveDate;
use common::*;
use rusqlite::{params, Connection};

struct Scene {
    f: Fixture,
    a: Citizen,
    b: Citizen,
    note_a: NoteSaved,
    note_b: NoteSaved,
    appointment: Appointment,
}

fn scene() -> Scene {
    let f = fixture();
    f.vault.set_worker_profile("Mette", "61223344", WorkerRole::Caseworker).unwrap();
    let mk = |name: &str| {
        f.vault
            .add_citizen(NewCitizen {
                nickname: name.into(),
                phone: Some("20304050".into()),
                sms_consent: Some(ConsentMethod::Verbal),
                case_reference: Some(format!("{name}-sag")),
                ..Default::default()
            })
            .unwrap()
    };
    let (a, b) = (mk("Anna"), mk("Bent"));
    let note_a = f
        .vault
        .create_note(NoteInput { citizen_id: Some(a.id.clone()), text: "Annas notat".into(), ..Default::default() })
        .unwrap();
    let note_b = f
        .vault
        .create_note(NoteInput { citizen_id: Some(b.id.clone()), text: "Bents notat".into(), ..Default::default() })
        .unwrap();
    f.vault
        .add_follow_up(
            &note_a.id,
            FollowUpInput { text: "Ring til Anna".into(), due_date: None, owner: WorkerRole::Caseworker },
        )
        .unwrap();
    let appointment = f
        .vault
        .book_appointment(NewAppointment {
            citizen_id: a.id.clone(),
            venue_id: None,
            local_start: NaiveDate::from_ymd_opt(2026, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 30,
            kind: AppointmentKind::Conversation,
            outside_place: None,
        })
        .unwrap()
        .appointment;
    Scene { f, a, b, note_a, note_b, appointment }
}

fn raw(f: &Fixture) -> Connection {
    Connection::open(f.dir.join("vault.db")).unwrap()
}

impl Scene {
    /// Reads everything; each read is either the true value or a typed error.
    fn reads_are_true_or_typed(&self) -> Vec<CoreError> {
        let v = &self.f.vault;
        let mut errors = Vec::new();
        match v.get_citizen(&self.a.id) {
            Ok(c) => assert_eq!((c.nickname.as_str(), c.case_reference.as_deref()), ("Anna", Some("Anna-sag"))),
            Err(e) => errors.push(e),
        }
        match v.get_citizen(&self.b.id) {
            Ok(c) => assert_eq!(c.nickname, "Bent"),
            Err(e) => errors.push(e),
        }
        match v.get_note(&self.note_a.id) {
            Ok(n) => {
                assert_eq!(n.text, "Annas notat");
                assert_eq!(n.follow_ups[0].text, "Ring til Anna");
            }
            Err(e) => errors.push(e),
        }
        match v.get_note(&self.note_b.id) {
            Ok(n) => assert_eq!(n.text, "Bents notat"),
            Err(e) => errors.push(e),
        }
        match v.list_reminders(Some(&self.appointment.id)) {
            Ok(r) => assert!(r.iter().all(|r| r.text.as_deref().is_none_or(|t| t.starts_with("Hej Anna.")))),
            Err(e) => errors.push(e),
        }
        errors
    }
}

#[test]
fn every_bit_flip_in_sampled_envelopes_is_caught() {
    let s = scene();
    let conn = raw(&s.f);
    let key_id: i64 = conn.query_row("SELECT key_id FROM citizens WHERE id = ?1", [&s.a.id], |r| r.get(0)).unwrap();
    let samples: Vec<(&str, &str, String)> = vec![
        ("citizens", "nickname", s.a.id.clone()),
        ("notes", "body", s.note_a.id.clone()),
        ("follow_ups", "body", conn.query_row("SELECT id FROM follow_ups LIMIT 1", [], |r| r.get(0)).unwrap()),
        ("reminders", "history", conn.query_row("SELECT id FROM reminders LIMIT 1", [], |r| r.get(0)).unwrap()),
        ("data_keys", "wrapped", key_id.to_string()),
    ];
    let mut flips = 0;
    for (table, column, id) in samples {
        let original: Vec<u8> =
            conn.query_row(&format!("SELECT {column} FROM {table} WHERE id = ?1"), [&id], |r| r.get(0)).unwrap();
        for bit in 0..original.len() * 8 {
            let mut bad = original.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            conn.execute(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"), params![id, bad]).unwrap();
            // Every read checks the stored envelope; only an unwrapped data key is kept in
            // memory for the session, so a flipped data key needs a fresh session.
            if table == "data_keys" {
                s.f.vault.lock();
                s.f.vault.unlock(PIN).unwrap();
            }
            let errors = s.reads_are_true_or_typed();
            assert!(!errors.is_empty(), "{table}.{column} bit {bit}: the flip went unnoticed");
            assert!(errors.iter().all(|e| *e == CoreError::Tampered), "{table}.{column} bit {bit}: {errors:?}");
            flips += 1;
        }
        conn.execute(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"), params![id, original]).unwrap();
        s.f.vault.lock();
        s.f.vault.unlock(PIN).unwrap();
        assert!(s.reads_are_true_or_typed().is_empty(), "restored {table}.{column} reads again");
    }
    assert!(flips > 2_000, "{flips} flips");
}

#[test]
fn swapped_ciphertexts_are_caught() {
    let s = scene();
    let conn = raw(&s.f);
    let get = |sql: &str, id: &str| -> Vec<u8> { conn.query_row(sql, [id], |r| r.get(0)).unwrap() };
    let nick_a = get("SELECT nickname FROM citizens WHERE id = ?1", &s.a.id);
    let nick_b = get("SELECT nickname FROM citizens WHERE id = ?1", &s.b.id);
    let case_a = get("SELECT case_ref FROM citizens WHERE id = ?1", &s.a.id);
    let body_a = get("SELECT body FROM notes WHERE id = ?1", &s.note_a.id);
    let body_b = get("SELECT body FROM notes WHERE id = ?1", &s.note_b.id);
    let swaps: Vec<(&str, Vec<u8>, &str)> = vec![
        // between citizens (rows and keys)
        ("UPDATE citizens SET nickname = ?2 WHERE id = ?1", nick_b.clone(), s.a.id.as_str()),
        // between columns of one row
        ("UPDATE citizens SET nickname = ?2 WHERE id = ?1", case_a.clone(), s.a.id.as_str()),
        // between tables
        ("UPDATE notes SET body = ?2 WHERE id = ?1", nick_a.clone(), s.note_a.id.as_str()),
        // between two citizens' notes
        ("UPDATE notes SET body = ?2 WHERE id = ?1", body_b.clone(), s.note_a.id.as_str()),
    ];
    for (sql, value, id) in swaps {
        conn.execute(sql, params![id, value]).unwrap();
        s.f.vault.lock();
        s.f.vault.unlock(PIN).unwrap();
        let errors = s.reads_are_true_or_typed();
        assert_eq!(errors, vec![CoreError::Tampered], "{sql}");
        conn.execute("UPDATE citizens SET nickname = ?2, case_ref = ?3 WHERE id = ?1", params![s.a.id, nick_a, case_a])
            .unwrap();
        conn.execute("UPDATE notes SET body = ?2 WHERE id = ?1", params![s.note_a.id, body_a]).unwrap();
    }
    // A note pointed at another citizen's key, with that citizen's ciphertext.
    conn.execute(
        "UPDATE notes SET body = ?2, key_id = (SELECT key_id FROM citizens WHERE id = ?3) WHERE id = ?1",
        params![s.note_a.id, body_b, s.b.id],
    )
    .unwrap();
    assert_eq!(s.f.vault.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
}

/// Whole rows as stored, column by column, to write back later.
fn copy_row(conn: &Connection, table: &str, id: &str) -> Vec<(String, rusqlite::types::Value)> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE id = ?1")).unwrap();
    let names: Vec<String> = stmt.column_names().map(|n| n.to_string()).collect();
    stmt.query_row([id], |r| Ok(names.iter().enumerate().map(|(i, n)| (n.clone(), r.get(i).unwrap())).collect()))
        .unwrap()
}

fn write_back(conn: &Connection, table: &str, id: &str, row: &[(String, rusqlite::types::Value)]) {
    for (column, value) in row {
        conn.execute(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"), params![id, value]).unwrap();
    }
}

fn ledger_mac(conn: &Connection, table: &str, id: &str, column: &str) -> Option<Vec<u8>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT mac FROM seal_ledger WHERE tbl = ?1 AND row_id = ?2 AND col = ?3",
        params![table, id, column],
        |r| r.get(0),
    )
    .optional()
    .unwrap()
}

#[test]
fn older_copies_of_rows_written_back_are_caught() {
    let s = scene();
    let v = &s.f.vault;
    let conn = raw(&s.f);
    let fresh_session = || {
        v.lock();
        v.unlock(PIN).unwrap();
    };
    // Copies of rows as they are now, then newer versions through the product.
    let old_note = copy_row(&conn, "notes", &s.note_a.id);
    let old_citizen = copy_row(&conn, "citizens", &s.a.id);
    let old_profile = copy_row(&conn, "worker_settings", "1");
    let old_note_mac = ledger_mac(&conn, "notes", &s.note_a.id, "body").expect("the note body is in the ledger");
    let input = |text: &str| NoteInput { citizen_id: Some(s.a.id.clone()), text: text.into(), ..Default::default() };
    v.save_draft(&s.note_a.id, input("Annas notat, ny udgave")).unwrap();
    v.edit_citizen(&s.a.id, CitizenEdit { nickname: "Anne".into(), ..Default::default() }).unwrap();
    v.set_worker_profile("Mette M", "61223344", WorkerRole::Caseworker).unwrap();
    let new_note = copy_row(&conn, "notes", &s.note_a.id);
    let new_citizen = copy_row(&conn, "citizens", &s.a.id);
    let new_profile = copy_row(&conn, "worker_settings", "1");

    // The note as it was: refused, never the old text; the other note and the citizens stay readable.
    write_back(&conn, "notes", &s.note_a.id, &old_note);
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    assert_eq!(v.get_note(&s.note_b.id).unwrap().text, "Bents notat");
    assert_eq!(v.get_citizen(&s.b.id).unwrap().nickname, "Bent");
    write_back(&conn, "notes", &s.note_a.id, &new_note);
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap().text, "Annas notat, ny udgave");

    // The citizen before the edit.
    write_back(&conn, "citizens", &s.a.id, &old_citizen);
    fresh_session();
    assert_eq!(v.get_citizen(&s.a.id).unwrap_err(), CoreError::Tampered);
    assert_eq!(v.get_citizen(&s.b.id).unwrap().nickname, "Bent");
    write_back(&conn, "citizens", &s.a.id, &new_citizen);

    // The worker profile before the change.
    write_back(&conn, "worker_settings", "1", &old_profile);
    fresh_session();
    assert_eq!(v.worker_profile().unwrap_err(), CoreError::Tampered);
    assert_eq!(v.get_note(&s.note_b.id).unwrap().text, "Bents notat");
    write_back(&conn, "worker_settings", "1", &new_profile);

    // An older ledger entry with the current row, or no entry at all.
    conn.execute(
        "UPDATE seal_ledger SET mac = ?2 WHERE tbl = 'notes' AND row_id = ?1 AND col = 'body'",
        params![s.note_a.id, old_note_mac],
    )
    .unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    conn.execute("DELETE FROM seal_ledger WHERE tbl = 'notes' AND row_id = ?1 AND col = 'body'", [&s.note_a.id])
        .unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    // Damage stays local: the search and the list pass the refused note and count it.
    let page = v.search_notes("notat", None, None).unwrap();
    assert_eq!((page.items.len(), page.unreadable), (1, 1), "{page:?}");
    assert_eq!(page.items[0].id, s.note_b.id);
    assert_eq!(v.list_notes(None, None, None).unwrap().unreadable, 1);

    // Marking the ledger incomplete, as a vault from before it would be, to have a missing
    // entry recorded anew: the key store's anchor knows better, and the unlock is refused.
    conn.execute("UPDATE seal_ledger_state SET complete = 0", []).unwrap();
    v.lock();
    assert_eq!(v.unlock(PIN).unwrap_err(), CoreError::Tampered);
    conn.execute("UPDATE seal_ledger_state SET complete = 1", []).unwrap();
    v.unlock(PIN).unwrap();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered, "still refused");
    assert_eq!(v.get_citizen(&s.a.id).unwrap().nickname, "Anne");
    assert_eq!(v.worker_profile().unwrap().map(|p| p.name).as_deref(), Some("Mette M"));
}

#[test]
fn notes_cannot_change_owner_or_state_or_lose_amendments_behind_the_app() {
    let s = scene();
    let v = &s.f.vault;
    let conn = raw(&s.f);
    let fresh_session = || {
        v.lock();
        v.unlock(PIN).unwrap();
    };
    // Moved to another citizen (the key stays, so the text would still open).
    conn.execute("UPDATE notes SET citizen_id = ?2 WHERE id = ?1", params![s.note_a.id, s.b.id]).unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    conn.execute("UPDATE notes SET citizen_id = ?2 WHERE id = ?1", params![s.note_a.id, s.a.id]).unwrap();
    assert_eq!(v.get_note(&s.note_a.id).unwrap().text, "Annas notat");

    // A final note turned back into a draft (to edit it silently).
    v.finalize_note(&s.note_a.id).unwrap();
    v.amend_note(&s.note_a.id, "Rettelse").unwrap();
    conn.execute("UPDATE notes SET state = 'draft' WHERE id = ?1", [&s.note_a.id]).unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    assert!(v.save_draft(&s.note_a.id, NoteInput { text: "omskrevet".into(), ..Default::default() }).is_err());
    conn.execute("UPDATE notes SET state = 'final' WHERE id = ?1", [&s.note_a.id]).unwrap();
    assert_eq!(v.get_note(&s.note_a.id).unwrap().amendments.len(), 1);

    // An amendment deleted, with or without its ledger entry, and the count lowered too.
    let amendment_id = v.get_note(&s.note_a.id).unwrap().amendments[0].id.clone();
    let amendment = copy_row(&conn, "note_amendments", &amendment_id);
    let amendment_mac = ledger_mac(&conn, "note_amendments", &amendment_id, "body").unwrap();
    conn.execute("DELETE FROM note_amendments WHERE note_id = ?1", [&s.note_a.id]).unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    conn.execute("UPDATE notes SET amendment_count = 0 WHERE id = ?1", [&s.note_a.id]).unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    conn.execute("UPDATE notes SET amendment_count = 1 WHERE id = ?1", [&s.note_a.id]).unwrap();
    let columns: Vec<&str> = amendment.iter().map(|(c, _)| c.as_str()).collect();
    let values: Vec<&rusqlite::types::Value> = amendment.iter().map(|(_, v)| v).collect();
    conn.execute(
        &format!(
            "INSERT INTO note_amendments ({}) VALUES ({})",
            columns.join(", "),
            vec!["?"; columns.len()].join(", ")
        ),
        rusqlite::params_from_iter(values),
    )
    .unwrap();
    // Its ledger entry went with it (a trigger); put back, the note is whole again.
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap_err(), CoreError::Tampered);
    conn.execute(
        "INSERT INTO seal_ledger (tbl, row_id, col, mac) VALUES ('note_amendments', ?1, 'body', ?2)",
        params![amendment_id, amendment_mac],
    )
    .unwrap();
    fresh_session();
    assert_eq!(v.get_note(&s.note_a.id).unwrap().amendments[0].text, "Rettelse");
}

#[test]
fn the_worker_settings_are_authenticated() {
    let s = scene();
    let v = &s.f.vault;
    v.set_reminder_rules(ReminderRules::default()).unwrap();
    v.set_sms_template(
        SmsLanguage::Da,
        brobygger_core::sms::template::TemplateKind::Reminder,
        Some("Hej {first_name}, vi ses {weekday} kl. {time}."),
    )
    .unwrap();
    let conn = raw(&s.f);
    for column in ["rules", "templates"] {
        let original: Vec<u8> =
            conn.query_row(&format!("SELECT {column} FROM worker_settings"), [], |r| r.get(0)).unwrap();
        assert!(!contains(&original, b"first_name"), "{column} is sealed");
        let mut bad = original.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        conn.execute(&format!("UPDATE worker_settings SET {column} = ?1"), [bad]).unwrap();
        v.lock();
        v.unlock(PIN).unwrap();
        let err = match column {
            "rules" => v.reminder_rules().unwrap_err(),
            _ => v.sms_template(SmsLanguage::Da, brobygger_core::sms::template::TemplateKind::Reminder).unwrap_err(),
        };
        assert_eq!(err, CoreError::Tampered, "{column}");
        conn.execute(&format!("UPDATE worker_settings SET {column} = ?1"), [original]).unwrap();
    }
    assert_eq!(v.reminder_rules().unwrap(), ReminderRules::default());
}

#[test]
fn rows_written_back_with_their_ledger_entries_while_locked_are_caught_at_unlock() {
    let s = scene();
    let v = &s.f.vault;
    let conn = raw(&s.f);
    let old_note = copy_row(&conn, "notes", &s.note_a.id);
    let old_mac = ledger_mac(&conn, "notes", &s.note_a.id, "body").unwrap();
    v.save_draft(&s.note_a.id, NoteInput { citizen_id: Some(s.a.id.clone()), text: "ny".into(), ..Default::default() })
        .unwrap();
    v.lock();
    assert_ne!(v.status().unwrap().integrity, IntegrityState::RolledBack);
    // A consistent rollback of the row and its entry: every single-row check passes.
    write_back(&conn, "notes", &s.note_a.id, &old_note);
    conn.execute(
        "UPDATE seal_ledger SET mac = ?2 WHERE tbl = 'notes' AND row_id = ?1 AND col = 'body'",
        params![s.note_a.id, old_mac],
    )
    .unwrap();
    v.unlock(PIN).unwrap();
    assert_eq!(v.status().unwrap().integrity, IntegrityState::RolledBack);
    let today = v.today(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    assert!(today.attention.iter().any(|a| a.code() == "integrity_problem"), "{:?}", today.attention);
}

#[test]
fn a_tampered_outbox_payload_fails_that_reminder_only() {
    let s = scene();
    let conn = raw(&s.f);
    let ids: Vec<String> = {
        let mut stmt = conn.prepare("SELECT id FROM reminders ORDER BY send_at").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    assert!(ids.len() >= 2, "{ids:?}");
    let payload: Vec<u8> =
        conn.query_row("SELECT payload FROM reminders WHERE id = ?1", [&ids[0]], |r| r.get(0)).unwrap();
    let mut bad = payload.clone();
    bad[30] ^= 0x40;
    conn.execute("UPDATE reminders SET payload = ?2 WHERE id = ?1", params![ids[0], bad]).unwrap();
    struct Ok_;
    impl SmsSender for Ok_ {
        fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
            Ok(SendOutcome::Accepted)
        }
    }
    s.f.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 4, 14, 7, 30, 0).unwrap());
    let run = s.f.vault.run_outbox(&Ok_, None).unwrap();
    assert_eq!((run.sent, run.failed), (1, 1), "{run:?}");
    s.f.vault.unlock(PIN).unwrap();
    let r = s.f.vault.list_reminders(Some(&s.appointment.id)).unwrap();
    let first = r.iter().find(|r| r.id == ids[0]).unwrap();
    assert_eq!((first.state, first.reason.as_deref()), (ReminderState::Failed, Some("payload_unreadable")));
}

#[test]
fn a_vault_from_before_migration_9_moves_to_the_new_keys_at_its_next_unlock() {
    let s = scene();
    let v = &s.f.vault;
    // Every kind of sealed column holds a value.
    let done = v
        .create_note(NoteInput { citizen_id: Some(s.b.id.clone()), text: "Afsluttet".into(), ..Default::default() })
        .unwrap();
    v.finalize_note(&done.id).unwrap();
    v.amend_note(&done.id, "Tilføjelse").unwrap();
    v.mark_journalised(&done.id, "J-2026-17").unwrap();
    let venue = v
        .add_venue(NewVenue {
            name: "Hjemmet".into(),
            address: Some("Privatvej 1".into()),
            kind: VenueKind::Private,
            has_private_room: true,
            time_zone: None,
        })
        .unwrap();
    v.add_absence(
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 7, 3).unwrap(),
        AbsenceReason::Sick,
    )
    .unwrap();
    v.book_appointment(NewAppointment {
        citizen_id: s.b.id.clone(),
        venue_id: None,
        local_start: NaiveDate::from_ymd_opt(2026, 4, 15).unwrap().and_hms_opt(9, 0, 0).unwrap(),
        duration_minutes: 60,
        kind: AppointmentKind::Accompaniment,
        outside_place: Some("Borgerservice".into()),
    })
    .unwrap();
    testing::downgrade_to_format_1(v, PIN, TEST_ITERATIONS).unwrap();
    let conn = raw(&s.f);
    let format: i64 = conn.query_row("SELECT format FROM vault_meta", [], |r| r.get(0)).unwrap();
    assert_eq!(format, 1);
    let device_key: String = conn.query_row("SELECT legacy_device_key_name FROM vault_meta", [], |r| r.get(0)).unwrap();
    assert!(s.f.keys.key_names().contains(&device_key));
    assert_eq!(v.status().unwrap().kdf_algorithm, brobygger_core::crypto::kdf::PIN_KDF_ALGORITHM_V1);
    // A wrong PIN is counted the old way, then the right one moves the vault to format 2.
    assert!(matches!(v.unlock("000001").unwrap_err(), CoreError::WrongPin { attempts_left: 9 }));
    let calls = s.f.keys.pin_factor_calls();
    v.unlock(PIN).unwrap();
    assert!(s.f.keys.pin_factor_calls() > calls, "the new PIN path is set up");
    let (format, legacy): (i64, Option<Vec<u8>>) =
        conn.query_row("SELECT format, legacy_pin_wrap FROM vault_meta", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((format, legacy), (2, None));
    assert!(!s.f.keys.key_names().contains(&device_key), "the device key is deleted");
    let version: i64 = conn.query_row("SELECT version FROM seal_ledger_state", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 2);
    // What was in clear is sealed again, and everything reads.
    let plain: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM appointments WHERE kind IS NOT NULL) + (SELECT count(*) FROM absences WHERE reason IS NOT NULL)
               + (SELECT count(*) FROM venues WHERE address IS NOT NULL AND kind = 'private')
               + (SELECT count(*) FROM worker_settings WHERE typeof(rules) = 'text')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(plain, 0);
    assert!(s.reads_are_true_or_typed().is_empty());
    assert_eq!(v.get_venue(&venue.id).unwrap().address.as_deref(), Some("Privatvej 1"));
    assert_eq!(v.list_absences().unwrap()[0].reason, AbsenceReason::Sick);
    assert_eq!(v.get_note(&done.id).unwrap().amendments[0].text, "Tilføjelse");
    // From then on the bound values hold: the note cannot move to another citizen.
    conn.execute("UPDATE notes SET citizen_id = ?2 WHERE id = ?1", params![done.id, s.a.id]).unwrap();
    v.lock();
    v.unlock(PIN).unwrap();
    assert_eq!(v.get_note(&done.id).unwrap_err(), CoreError::Tampered);
    // And the vault reopens with the same PIN.
    v.lock();
    v.unlock(PIN).unwrap();
}

#[test]
fn an_unlock_that_fails_after_the_keys_leaves_the_vault_locked() {
    // Found by fuzzing damaged files: the PIN was right, but the work after it failed.
    let s = scene();
    let v = &s.f.vault;
    v.lock();
    let conn = raw(&s.f);
    conn.execute("DELETE FROM vault_upgrades", []).unwrap();
    assert!(v.unlock(PIN).is_err());
    assert!(!v.is_unlocked(), "an unlock that answered with an error must not leave the vault open");
    assert!(matches!(v.list_citizens(), Err(CoreError::Locked)));
    // Put back, the next unlock does the work and opens.
    conn.execute("INSERT INTO vault_upgrades (id, version) VALUES (1, 0)", []).unwrap();
    v.unlock(PIN).unwrap();
    assert!(v.is_unlocked());
}
