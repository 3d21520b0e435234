//! Salvage: a vault whose file lost a page is read, with the recovery key, into a new vault;
//! the damaged folder is never written, lost rows are counted, the rest reads as before.

mod common;

use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::*;
use common::*;
use std::sync::Arc;

fn page_of(bytes: &[u8], needle: &[u8], page_size: usize) -> usize {
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("the ciphertext is in the file");
    at / page_size
}

#[test]
fn a_vault_with_a_damaged_page_is_salvaged_into_a_new_one() {
    let f = fixture();
    let v = &f.vault;
    let mut notes = Vec::new();
    let mut citizens = Vec::new();
    for i in 0..30 {
        let c = v.add_citizen(NewCitizen { nickname: format!("Borger {i}"), ..Default::default() }).unwrap();
        for j in 0..4 {
            let n = v
                .create_note(NoteInput {
                    citizen_id: Some(c.id.clone()),
                    text: format!("Samtale {j} med borger {i}: {}", "kaffe og snak ".repeat(30)),
                    ..Default::default()
                })
                .unwrap();
            notes.push(n.id);
        }
        citizens.push(c);
    }
    v.lock();
    let db = f.dir.join("vault.db");
    // Damage the page that holds one note's text.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let page_size: usize = conn.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0)).unwrap() as usize;
    let victim: Vec<u8> = conn.query_row("SELECT body FROM notes WHERE id = ?1", [&notes[60]], |r| r.get(0)).unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db).unwrap();
    let page = page_of(&bytes, &victim[..40], page_size);
    assert!(page > 0);
    for b in &mut bytes[page * page_size..(page + 1) * page_size] {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    // The damaged vault still opens, and its lists show what they can.
    let damaged = Vault::open(&f.dir, f.keys.clone(), f.clock.clone()).unwrap();
    damaged.unlock(PIN).unwrap();
    assert_eq!(damaged.check_integrity().unwrap(), IntegrityState::Damaged);
    let listed = damaged.list_notes(None, Some(1000), None).unwrap();
    assert!(listed.unreadable > 0 || listed.items.len() < 120, "the damage shows");
    drop(damaged);

    // Salvage, with the recovery key, into a new folder on a new phone.
    let before = std::fs::read(&db).unwrap();
    let target = f._tmp.path().join("salvaged");
    let keys = Arc::new(MemoryKeyStore::new());
    assert_eq!(
        Vault::salvage(&f.dir, &recovery_key_of_another_vault(), &target, "975310", keys.clone(), f.clock.clone())
            .err(),
        Some(CoreError::WrongRecoveryKey)
    );
    assert!(!target.join("vault.db").exists());
    let (salvaged, report) =
        Vault::salvage(&f.dir, &f.recovery_key, &target, "975310", keys.clone(), f.clock.clone()).unwrap();
    assert!(std::fs::read(&db).unwrap() == before, "the damaged file is never written");
    let notes_report = report.tables.iter().find(|t| t.table == "notes").unwrap();
    assert!(notes_report.skipped >= 1, "{report:?}");
    assert_eq!(notes_report.copied + notes_report.skipped, 120, "{report:?}");
    let list = salvaged.list_notes(None, Some(1000), None).unwrap();
    assert_eq!((list.items.len() as u32, list.unreadable), (notes_report.copied, 0));
    assert!(!list.items.iter().any(|n| n.id == notes[60]), "the note on the damaged page is gone");
    assert_eq!(salvaged.get_note(&notes[0]).unwrap().state, NoteState::Draft);
    assert_eq!(salvaged.check_integrity().unwrap(), IntegrityState::Ok);
    // It is an ordinary vault now: the new PIN opens it again, on its new platform keys.
    salvaged.lock();
    salvaged.unlock("975310").unwrap();
    assert!(salvaged.list_citizens().unwrap().citizens.len() >= 29);
}

fn recovery_key_of_another_vault() -> String {
    let other = fixture();
    other.recovery_key.clone()
}
