//! Leak scan through the FFI, as the phones call it: distinctive markers written through
//! every personal field must appear in no file of the vault folder, before or after the
//! citizen is deleted. Uses the production KDF cost.

use brobygger_ffi::*;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

struct MemKeyStore(Mutex<std::collections::HashMap<String, Vec<u8>>>);

impl KeyStore for MemKeyStore {
    fn wrap(&self, key_name: String, secret: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        // A toy "hardware" key: XOR with a per-name pad kept in memory only.
        let mut keys = self.0.lock().unwrap();
        let pad = keys
            .entry(key_name)
            .or_insert_with(|| (0..secret.len() as u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect());
        Ok(secret.iter().zip(pad.iter()).map(|(a, b)| a ^ b).collect())
    }
    fn unwrap(&self, key_name: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        let keys = self.0.lock().unwrap();
        let pad = keys.get(&key_name).ok_or(KeyStoreError::KeyMissing)?;
        Ok(wrapped.iter().zip(pad.iter()).map(|(a, b)| a ^ b).collect())
    }
    fn delete_key(&self, key_name: String) -> Result<(), KeyStoreError> {
        self.0.lock().unwrap().remove(&key_name);
        Ok(())
    }
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
    let ks = Arc::new(MemKeyStore(Mutex::new(Default::default())));
    let clock = Arc::new(FixedClock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_775_000_000)));
    let created = create_vault(dir.display().to_string(), "314159".into(), ks.clone(), clock.clone()).unwrap();
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
            due_date: Some("2026-05-01".into()),
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
        .create_note(NoteInput { citizen_id: None, text: "LeakAnonText".into(), topics: vec![], help_given: vec![] })
        .unwrap();
    assert_eq!(v.search_notes("leaknotetext".into()).unwrap().len(), 1);

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
    let ks = Arc::new(MemKeyStore(Mutex::new(Default::default())));
    let clock = Arc::new(FixedClock(SystemTime::UNIX_EPOCH + Duration::from_secs(1_775_000_000)));
    let v = create_vault(dir.display().to_string(), "314159".into(), ks, clock).unwrap().vault;
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
        v.search_notes(secret.repeat(20)).unwrap_err(),
        v.unlock(secret.into()).unwrap_err(),
        v.add_follow_up(
            "0".repeat(32),
            FollowUpInput { text: "x".into(), due_date: Some(secret.into()), owner: WorkerRole::Caseworker },
        )
        .unwrap_err(),
    ];
    for e in errors {
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("Secret") && !shown.contains("99x"), "{shown}");
    }
}
