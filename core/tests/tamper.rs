//! Tampering with the stored envelopes: every single-bit flip over a sample of envelopes
//! (a nickname, a note body, a follow-up, a reminder payload, a wrapped data key), and
//! ciphertexts swapped between rows, columns and citizens. Each read answers with a typed
//! error, never with other plaintext and never with a panic, and the other rows stay readable.
//! An older copy of a row written back is refused through the seal ledger (migration 8).

mod common;

use brobygger_core::*;
use chrono::NaiveDate;
use common::*;
use rusqlite::{params, Connection};

struct Scene {
    f: Fixture,
    a: Citizen,
    b: Citizen,
    note_a: Note,
    note_b: Note,
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
        ("reminders", "payload", conn.query_row("SELECT id FROM reminders LIMIT 1", [], |r| r.get(0)).unwrap()),
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
            // A fresh session, so no key is served from memory.
            s.f.vault.lock();
            s.f.vault.unlock(PIN).unwrap();
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
    assert_eq!(v.search_notes("Annas").unwrap_err(), CoreError::Tampered, "search meets the refused note too");

    // Marking the ledger incomplete (as in a vault from before it) only fills missing entries:
    // an older row whose entry is there is still refused.
    write_back(&conn, "citizens", &s.a.id, &old_citizen);
    conn.execute("UPDATE seal_ledger_state SET complete = 0", []).unwrap();
    fresh_session();
    assert_eq!(v.get_citizen(&s.a.id).unwrap_err(), CoreError::Tampered);
    write_back(&conn, "citizens", &s.a.id, &new_citizen);
    assert_eq!(v.get_citizen(&s.a.id).unwrap().nickname, "Anne");
    assert_eq!(v.worker_profile().unwrap().map(|p| p.name).as_deref(), Some("Mette M"));
}

fn ledger_rows(conn: &Connection) -> Vec<(String, String, String, Vec<u8>)> {
    let mut stmt = conn.prepare("SELECT tbl, row_id, col, mac FROM seal_ledger ORDER BY tbl, row_id, col").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(|r| r.unwrap()).collect()
}

#[test]
fn a_vault_from_before_the_ledger_is_recorded_at_the_first_unlock() {
    let s = scene();
    let v = &s.f.vault;
    // Every kind of sealed column holds a value: also an amendment, a journal reference and
    // an outside place.
    let done = v
        .create_note(NoteInput { citizen_id: Some(s.b.id.clone()), text: "Afsluttet".into(), ..Default::default() })
        .unwrap();
    v.finalize_note(&done.id).unwrap();
    v.amend_note(&done.id, "Tilføjelse").unwrap();
    v.mark_journalised(&done.id, "J-2026-17").unwrap();
    v.book_appointment(NewAppointment {
        citizen_id: s.b.id.clone(),
        venue_id: None,
        local_start: NaiveDate::from_ymd_opt(2026, 4, 15).unwrap().and_hms_opt(9, 0, 0).unwrap(),
        duration_minutes: 60,
        kind: AppointmentKind::Accompaniment,
        outside_place: Some("Borgerservice".into()),
    })
    .unwrap();
    let conn = raw(&s.f);
    let recorded = ledger_rows(&conn);
    let columns: std::collections::BTreeSet<(String, String)> =
        recorded.iter().map(|(t, _, c, _)| (t.clone(), c.clone())).collect();
    assert_eq!(columns.len(), 11, "every sealed column is in the ledger: {columns:?}");
    // As a vault made before migration 8 looks after it: no entries, not complete.
    conn.execute_batch("DELETE FROM seal_ledger; UPDATE seal_ledger_state SET complete = 0;").unwrap();
    v.lock();
    v.unlock(PIN).unwrap();
    assert_eq!(ledger_rows(&conn), recorded, "the first unlock records exactly what the writes had recorded");
    assert!(s.reads_are_true_or_typed().is_empty(), "every row reads after the ledger is filled");
    let complete: i64 = conn.query_row("SELECT complete FROM seal_ledger_state", [], |r| r.get(0)).unwrap();
    assert_eq!(complete, 1);
    // From then on an older row is refused.
    let old = copy_row(&conn, "notes", &s.note_b.id);
    let input = NoteInput { citizen_id: Some(s.b.id.clone()), text: "Bents notat 2".into(), ..Default::default() };
    s.f.vault.save_draft(&s.note_b.id, input).unwrap();
    write_back(&conn, "notes", &s.note_b.id, &old);
    assert_eq!(s.f.vault.get_note(&s.note_b.id).unwrap_err(), CoreError::Tampered);
}
