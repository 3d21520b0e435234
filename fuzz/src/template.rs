//! SMS templates (`sms::template`): `validate` and `render` of any text give a value or a
//! typed error; a template that validates renders in both languages, with every
//! placeholder filled (no brace left over).

use brobygger_core::sms::template::{render, validate, Values, TEMPLATE_MAX};
use brobygger_core::sms::SmsLanguage;
use brobygger_core::CoreError;
use chrono::NaiveDate;

pub fn run(data: &[u8]) {
    let text = crate::text(data);
    let Some(start) = NaiveDate::from_ymd_opt(2026, 3, 31).and_then(|d| d.and_hms_opt(10, 0, 0)) else {
        panic!("fixed date")
    };
    let values = Values {
        first_name: "Ole",
        local_start: start,
        place: "Borgercaféen",
        worker_name: "Mette",
        worker_phone: "61 22 33 44",
    };
    // Rendering unchecked text (as a stored template would be) is a value or the typed error.
    for language in [SmsLanguage::Da, SmsLanguage::En] {
        if let Err(e) = render(&text, language, &values) {
            expect_template_error(e);
        }
    }
    let valid = match validate(&text) {
        Ok(v) => v,
        Err(e) => return expect_template_error(e),
    };
    assert_eq!(valid, text.trim());
    assert!(!valid.is_empty() && valid.chars().count() <= TEMPLATE_MAX);
    assert!(!valid.chars().any(char::is_control));
    for language in [SmsLanguage::Da, SmsLanguage::En] {
        match render(&valid, language, &values) {
            Ok(out) => assert!(!out.contains(['{', '}']), "{out:?}"),
            Err(e) => panic!("a valid template did not render in {language:?}: {e:?}"),
        }
    }
}

fn expect_template_error(e: CoreError) {
    assert!(matches!(e, CoreError::InvalidInput { field: "template", .. }), "{e:?}");
}
