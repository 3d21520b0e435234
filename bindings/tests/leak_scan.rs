//! Leak scan through the FFI, as the phones call it: distinctive markers written through
//! every personal field must appear in no file of the vault folder, before or after the
//! citizen is deleted. Uses the production KDF cost.

use brobygger_ffi::*;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The core's in-memory key store, as a platform key store (keys never leave it).
fn key_store() -> Arc<dyn KeyStore> {
    Arc::new(CoreKeyStore(Arc::new(brobygger_core::testing::MemoryKeyStore::new())))
}

struct FixedClock(SystemTime);
impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

fn hits(dir: &Path, markers: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for m in markers {
            for needle in [m.as_bytes().to_vec(), m.to_lowercase().into_bytes(), m.to_uppercase().into_bytes()] {
                if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    out.push(format!("{m} in {}", path.display()));
                }
            }
        }
    }
    out
}

#[test]
fn no_personal_marker_reaches_any_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let ks = key_store();
    let clock = Arc::new(FixedClock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_775_000_000)));
    let created = create_vault(dir.display().to_string(), "314159".into(), ks.clone(), clock.clone()).unwrap();
    // The recovery key never reaches a debug print.
    let shown = format!("{:?}", created.recovery_key);
    assert!(!shown.contains(&created.recovery_key.reveal()[..9]), "{shown}");
    let v = created.vault;
    assert_eq!(v.status().unwrap().kdf_iterations, 600_000);

    let markers = [
        "LeakNickÆøå",
        "LeakCaseRef77",
        "LeakNoteText",
        "LeakAmendment",
        "LeakFollowUp",
        "LeakJournal",
        "LeakEditedNick",
        "LeakAnonText",
        "+4529384756",
        "29384756",
        "29 38 47 56",
        "LeakPlace",
        "LeakReminderEdit",
    ];
    let c = v
        .add_citizen(NewCitizen {
            nickname: "LeakNickÆøå".into(),
            phone: Some("29 38 47 56".into()),
            sms_consent: Some(ConsentMethod::Sms),
            language: SmsLanguage::En,
            case_reference: Some("LeakCaseRef77".into()),
        })
        .unwrap();
    let n = v
        .create_note(NoteInput {
            citizen_id: Some(c.id.clone()),
            text: "LeakNoteText draft".into(),
            topics: vec![Topic::MentalHealth],
            help_given: vec![HelpGiven::HelpIntoTreatment],
            occurred_at: None,
        })
        .unwrap();
    for i in 0..5 {
        v.save_draft(
            n.id.clone(),
            NoteInput {
                citizen_id: Some(c.id.clone()),
                text: format!("LeakNoteText draft {i}"),
                topics: vec![Topic::MentalHealth],
                help_given: vec![],
                occurred_at: None,
            },
        )
        .unwrap();
    }
    v.finalize_note(n.id.clone()).unwrap();
    v.amend_note(n.id.clone(), "LeakAmendment".into()).unwrap();
    v.add_follow_up(
        n.id.clone(),
        FollowUpInput {
            text: "LeakFollowUp".into(),
            due_date: Some(LocalDate(chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())),
            owner: WorkerRole::Caseworker,
        },
    )
    .unwrap();
    v.mark_journalised(n.id.clone(), "LeakJournal".into()).unwrap();
    v.edit_citizen(
        c.id.clone(),
        CitizenEdit {
            nickname: "LeakEditedNick".into(),
            phone: Some("29384756".into()),
            language: SmsLanguage::Da,
            case_reference: Some("LeakCaseRef77".into()),
        },
    )
    .unwrap();
    let anon = v
        .create_note(NoteInput {
            citizen_id: None,
            text: "LeakAnonText".into(),
            topics: vec![],
            help_given: vec![],
            occurred_at: None,
        })
        .unwrap();
    assert_eq!(v.search_notes("leaknotetext".into(), None, None).unwrap().items.len(), 1);
    // An appointment at an outside place, with reminders (one rewritten by hand).
    v.set_worker_profile("Mette".into(), "61223344".into(), WorkerRole::Caseworker).unwrap();
    let b = v
        .book_appointment(NewAppointment {
            citizen_id: c.id.clone(),
            venue_id: None,
            local_start: LocalDateTime(
                chrono::NaiveDate::from_ymd_opt(2026, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            ),
            duration_minutes: 60,
            kind: AppointmentKind::Accompaniment,
            outside_place: Some("LeakPlace".into()),
        })
        .unwrap();
    assert!(!b.reminders.is_empty());
    v.edit_reminder_text(b.reminders[0].reminder.id.clone(), "LeakReminderEdit kl. 10".into()).unwrap();

    // While open (WAL and shared memory files present) and after closing.
    assert_eq!(hits(&dir, &markers), Vec::<String>::new());
    v.lock();
    assert_eq!(hits(&dir, &markers), Vec::<String>::new());
    v.unlock("314159".into()).unwrap();

    v.delete_citizen(c.id.clone()).unwrap();
    assert_eq!(hits(&dir, &markers), Vec::<String>::new());
    assert!(matches!(v.get_note(n.id.clone()), Err(BrobyggerError::NotFound { .. })));
    assert_eq!(v.get_note(anon.id.clone()).unwrap().text, "LeakAnonText");
    drop(v);
    assert_eq!(hits(&dir, &markers), Vec::<String>::new());
}

#[test]
fn errors_carry_no_personal_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let clock = Arc::new(FixedClock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_775_000_000)));
    let v = create_vault(dir.display().to_string(), "314159".into(), key_store(), clock).unwrap().vault;
    let secret = "SecretPhone 99x";
    let errors = vec![
        v.add_citizen(NewCitizen {
            nickname: "Ole".into(),
            phone: Some(secret.into()),
            sms_consent: None,
            language: SmsLanguage::Da,
            case_reference: None,
        })
        .unwrap_err(),
        v.add_citizen(NewCitizen {
            nickname: format!("{secret}\u{7}"),
            phone: None,
            sms_consent: None,
            language: SmsLanguage::Da,
            case_reference: None,
        })
        .unwrap_err(),
        v.get_citizen(secret.into()).unwrap_err(),
        v.search_notes(secret.repeat(20), None, None).unwrap_err(),
        v.search_notes("x".into(), None, Some(secret.into())).unwrap_err(),
        v.unlock(secret.into()).unwrap_err(),
        v.edit_reminder_text("0".repeat(32), secret.into()).unwrap_err(),
        v.add_follow_up(
            "0".repeat(32),
            FollowUpInput { text: secret.into(), due_date: None, owner: WorkerRole::Caseworker },
        )
        .unwrap_err(),
    ];
    for e in errors {
        let shown = format!("{e} {e:?} {} {}", error_message(&e, Language::Da), error_message(&e, Language::En));
        assert!(!shown.contains("Secret") && !shown.contains("99x"), "{shown}");
    }
}
