//! Tampering with the stored envelopes: every single-bit flip over a sample of envelopes
//! (a nickname, a note body, a follow-up, a reminder payload, a wrapped data key), and
//! ciphertexts swapped between rows, columns and citizens. Each read answers with a typed
//! error, never with other plaintext and never with a panic, and the other rows stay readable.

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
