//! Bounded fuzzing of everything that parses outside input, with proptest's random and
//! shrinking inputs: the envelope decoder, phone numbers, recovery keys, SMS templates and
//! texts, and damaged database files. Each must answer with a value or a typed error and
//! never panic. `PROPTEST_CASES=100000 cargo test --release -p brobygger-core --test fuzz_inputs`
//! is the longer run.

mod common;

use brobygger_core::crypto::{envelope, Aad, SecretKey};
use brobygger_core::sms::{check, phone::parse_phone, template};
use brobygger_core::vault::recovery;
use brobygger_core::*;
use common::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn envelope_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let key = SecretKey::from_slice(&[7u8; 32]).unwrap();
        let _ = envelope::key_id_of(&bytes);
        prop_assert!(envelope::open(&key, Aad::new("notes", "x", "body"), &bytes).is_err());
    }

    #[test]
    fn phone_numbers(s in "\\PC{0,50}", digits in "[0-9 +()-]{0,30}") {
        for input in [s.as_str(), digits.as_str()] {
            match parse_phone(input) {
                Ok(p) => prop_assert!(p.e164.starts_with('+') && p.e164[1..].bytes().all(|b| b.is_ascii_digit())),
                Err(CoreError::InvalidInput { field: "phone", .. }) => {}
                Err(e) => prop_assert!(false, "unexpected {e:?}"),
            }
        }
    }

    #[test]
    fn recovery_keys(s in "\\PC{0,80}", b32 in "[A-Z2-7 -]{0,80}") {
        for input in [s.as_str(), b32.as_str()] {
            match recovery::parse(input) {
                Ok(_) | Err(CoreError::InvalidInput { field: "recovery_key", .. }) => {}
                Err(e) => prop_assert!(false, "unexpected {e:?}"),
            }
        }
    }

    #[test]
    fn templates(t in "[^\\x00-\\x1f]{0,120}", braces in "[a-z_{} .]{0,60}") {
        for input in [t.as_str(), braces.as_str()] {
            if let Ok(valid) = template::validate(input) {
                let values = template::Values {
                    first_name: "Ole",
                    local_start: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap().and_hms_opt(10, 0, 0).unwrap(),
                    place: "Borgercaféen",
                    worker_name: "Mette",
                    worker_phone: "61 22 33 44",
                };
                prop_assert!(template::render(&valid, SmsLanguage::Da, &values).is_ok());
            }
        }
    }

    #[test]
    fn sms_texts(t in "\\PC{0,400}") {
        let c = check(&t);
        prop_assert!(c.segments <= c.units.max(1));
        prop_assert_eq!(c.normalized.clone(), brobygger_core::sms::gsm::normalize(&c.normalized));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random damage to a real vault file: opening and reading answer with data or a typed
    /// error, never a panic, and never with someone else's plaintext.
    #[test]
    fn damaged_database_files(offsets in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 1..16)) {
        let f = fixture();
        let c = f.vault.add_citizen(NewCitizen { nickname: "Ole".into(), phone: Some("20304050".into()), ..Default::default() }).unwrap();
        let n = f.vault.create_note(NoteInput { citizen_id: Some(c.id.clone()), text: "hemmelig".into(), ..Default::default() }).unwrap();
        let Fixture { _tmp, dir, keys, clock, vault, .. } = f;
        drop(vault);
        let db = dir.join("vault.db");
        let mut bytes = std::fs::read(&db).unwrap();
        for (offset, value) in offsets {
            let i = offset % bytes.len();
            bytes[i] ^= value | 1;
        }
        std::fs::write(&db, &bytes).unwrap();
        if let Ok(v) = Vault::open(&dir, keys, clock) {
            if v.unlock(PIN).is_ok() {
                if let Ok(back) = v.get_citizen(&c.id) {
                    prop_assert_eq!(back.nickname, "Ole");
                }
                if let Ok(back) = v.get_note(&n.id) {
                    prop_assert_eq!(back.text, "hemmelig");
                }
                let _ = v.list_citizens();
                let _ = v.search_notes("hemmelig", None, None);
                let _ = v.list_notes(None, None, None);
            }
        }
    }
}
