//! The catalogue's words for what a real vault answers: errors from refused input and a
//! wrong PIN, booking warnings with their details, and the Today screen's attention list.

use brobygger_core::messages::{self, Language};
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::{
    AppointmentKind, BookingWarning, CoreError, ManualClock, NewAppointment, NewCitizen, NoReminderReason, SmsLanguage,
    Vault,
};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::sync::Arc;

const PIN: &str = "135790";

fn vault() -> (tempfile::TempDir, Vault) {
    let tmp = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).unwrap()));
    let created =
        Vault::create_with_test_kdf(&tmp.path().join("vault"), PIN, Arc::new(MemoryKeyStore::new()), clock, 1_000)
            .unwrap();
    (tmp, created.vault)
}

fn citizen(v: &Vault, nickname: &str) -> String {
    let new = NewCitizen {
        nickname: nickname.into(),
        phone: None,
        sms_consent: None,
        language: SmsLanguage::Da,
        case_reference: None,
    };
    v.add_citizen(new).unwrap().id
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

fn book(v: &Vault, citizen_id: &str, local_start: NaiveDateTime) -> brobygger_core::Booking {
    v.book_appointment(NewAppointment {
        citizen_id: citizen_id.into(),
        venue_id: None,
        local_start,
        duration_minutes: 60,
        kind: AppointmentKind::Conversation,
        outside_place: None,
    })
    .unwrap()
}

#[test]
fn refused_input_and_a_wrong_pin_in_words() {
    let (_tmp, v) = vault();
    let long = NewCitizen {
        nickname: "x".repeat(61),
        phone: None,
        sms_consent: None,
        language: SmsLanguage::Da,
        case_reference: None,
    };
    let e = v.add_citizen(long).unwrap_err();
    assert_eq!(messages::error(&e, Language::Da), "Kaldenavn: for langt (højst 60 tegn).");
    assert_eq!(messages::error(&e, Language::En), "Nickname: too long (at most 60 characters).");

    let e = v.get_citizen("not-an-id").unwrap_err();
    assert_eq!(messages::error(&e, Language::Da), "Borger-id: er ikke et Brobygger-id (32 hexcifre).");

    v.lock();
    let e = v.unlock("864213").unwrap_err();
    let CoreError::WrongPin { attempts_left } = e else { panic!("{e:?}") };
    assert!(attempts_left > 1);
    assert_eq!(messages::error(&e, Language::Da), format!("Forkert PIN-kode. Du har {attempts_left} forsøg tilbage."));
    assert_eq!(messages::error(&e, Language::En), format!("Wrong PIN. {attempts_left} attempts left."));
}

#[test]
fn booking_warnings_and_attention_in_words() {
    let (_tmp, v) = vault();
    let ole = citizen(&v, "Ole");
    let other = citizen(&v, "Kim");

    // Easter Monday, and no consent to texts.
    let first = book(&v, &ole, at(2026, 4, 6, 10, 0));
    assert_eq!(first.no_reminders, Some(NoReminderReason::NoSmsConsent));
    assert_eq!(
        messages::no_reminders(NoReminderReason::NoSmsConsent, Language::Da),
        "Ingen påmindelser: borgeren har ikke givet samtykke til sms."
    );
    let holiday = first.warnings.iter().find(|w| matches!(w, BookingWarning::Holiday { .. })).unwrap();
    assert_eq!(
        messages::warning(holiday, Language::Da),
        "2. påskedag: mange væresteder og kommunale kontorer holder lukket"
    );
    assert_eq!(
        messages::warning(holiday, Language::En),
        "Easter Monday: many drop-in centres and municipal offices are closed"
    );

    // Overlapping Ole's appointment: his nickname and time, on the venue's clock.
    let second = book(&v, &other, at(2026, 4, 6, 10, 30));
    let overlap = second.warnings.iter().find(|w| matches!(w, BookingWarning::Overlap { .. })).unwrap();
    assert_eq!(messages::warning(overlap, Language::Da), "Overlapper med Ole 10.00–11.00");
    assert_eq!(messages::warning(overlap, Language::En), "Overlaps with Ole 10:00–11:00");

    // 02:30 on the last Sunday of March does not exist in Copenhagen.
    let gap = book(&v, &ole, at(2026, 3, 29, 2, 30));
    let dst = gap.warnings.iter().find(|w| matches!(w, BookingWarning::DstGap { .. })).unwrap();
    assert_eq!(
        messages::warning(dst, Language::Da),
        "02.30 findes ikke den dag (sommertiden begynder); aftalen er sat til 03.30"
    );
    let past = gap.warnings.iter().find(|w| matches!(w, BookingWarning::InPast)).unwrap();
    assert_eq!(messages::warning(past, Language::Da), "Tidspunktet er allerede passeret");

    // That appointment has ended without an outcome: the Today screen asks for one.
    let today = v.today(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
    let texts: Vec<String> = today.attention.iter().map(|a| messages::attention(a, Language::Da)).collect();
    assert!(
        texts.iter().any(|t| t == "Aftalen med Ole søndag den 29. marts kl. 03.30 mangler et udfald: mødte Ole op?"),
        "{texts:#?}"
    );
    for item in &today.attention {
        assert!(!messages::attention(item, Language::En).is_empty());
    }
}
