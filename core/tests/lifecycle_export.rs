//! The access-request export (GDPR art. 15): one self-contained document with everything
//! recorded about one citizen and nothing about anyone else, in Danish or English, audited.

mod common;
mod lifecycle_support;

use brobygger_core::messages::Language;
use brobygger_core::*;
use common::*;
use lifecycle_support::*;

#[test]
fn everything_about_one_citizen_and_nothing_else() {
    let f = fixture();
    let (ole, kim) = populate(&f.vault, &f.clock);
    let v = &f.vault;
    // A note whose text would break a page that did not escape it.
    let n = v
        .create_note(NoteInput {
            citizen_id: Some(ole.id.clone()),
            text: "<script>alert(1)</script> & \"Borgerservice\"\nlinje to".into(),
            ..Default::default()
        })
        .unwrap();
    v.withdraw_sms_consent(&ole.id).unwrap();
    let before = v.audit_summary().unwrap().entries;
    let da = v.export_citizen(&ole.id, Language::Da).unwrap();
    let html = &da.html;
    for m in [
        MARKERS[0],
        "20 30 40 50",
        MARKERS[3],
        MARKERS[4],
        MARKERS[5],
        "Samtale om jobcentret",
        "Kladde om bolig",
        "Retten i Kolding",
        "Borgercaféen",
        "SAG-1",
    ] {
        assert!(html.contains(m), "{m} missing from the export");
    }
    assert!(!html.contains(MARKERS[1]) && !html.contains("Kim kom forbi"), "another citizen's data");
    assert!(!html.contains("Anonym snak"), "an anonymous note is about no one");
    // The reminder texts and their states.
    for r in v.list_reminders(None).unwrap().iter().filter(|r| r.text.is_some()) {
        assert!(html.contains(&r.text.clone().unwrap().replace('\'', "&#39;")), "reminder text");
    }
    assert!(html.contains("Sendt") && html.contains("Planlagt"));
    // Consent and its withdrawal, the amendment, the note's state, in Danish.
    for word in ["Samtykke givet", "Samtykke trukket tilbage", "Tillæg", "Journaliseret", "Opfølgninger", "Indsigt"] {
        assert!(html.contains(word), "{word}");
    }
    // Self-contained and inert: escaped text, no script, nothing loaded from elsewhere.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Borgerservice&quot;<br>linje to"));
    assert!(!html.to_lowercase().contains("<script"));
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"da\">"));
    assert!(html.contains("Content-Security-Policy"));
    // Records: the citizen, 3 notes (draft, journalised, the one above), 1 amendment,
    // 1 follow-up, 2 appointments and their reminders.
    let reminders = v
        .appointments_for_citizen(&ole.id)
        .unwrap()
        .iter()
        .map(|a| v.list_reminders(Some(&a.id)).unwrap().len())
        .sum::<usize>();
    assert_eq!(da.records as usize, 1 + 3 + 1 + 1 + 2 + reminders);
    let _ = n;

    let en = v.export_citizen(&ole.id, Language::En).unwrap();
    assert!(en.html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    for word in ["Consent given", "Consent withdrawn", "Amendments", "Journalised", "Access request"] {
        assert!(en.html.contains(word), "{word}");
    }
    // Both exports are audited, with the number of records and nothing that names anyone.
    let log = v.audit_list(None, 5).unwrap().entries;
    assert_eq!(v.audit_summary().unwrap().entries, before + 2);
    assert!(log.iter().take(2).all(|e| e.kind == AuditKind::CitizenExported && e.count == da.records as u64));
    assert_eq!(v.export_citizen(&kim.id, Language::Da).unwrap().records, 2, "Kim: the citizen and one draft");
    v.lock();
    assert_eq!(v.export_citizen(&ole.id, Language::Da).unwrap_err(), CoreError::Locked);
}
