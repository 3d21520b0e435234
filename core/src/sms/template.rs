//! SMS templates: fixed text with placeholders, in Danish and English, and the Danish
//! date style ("tirsdag den 30. marts kl. 10.00").
//!
//! Placeholders: `{first_name}`, `{weekday}`, `{date}`, `{time}`, `{place}`,
//! `{worker_name}`, `{worker_phone}`. A template naming any other placeholder, or with an
//! unbalanced brace, is refused when it is set, never at sending time.

use crate::error::{CoreError, CoreResult};
use crate::sms::SmsLanguage;
use chrono::{Datelike, NaiveDateTime, Timelike, Weekday};

pub const PLACEHOLDERS: [&str; 7] = ["first_name", "weekday", "date", "time", "place", "worker_name", "worker_phone"];
pub const TEMPLATE_MAX: usize = 400;

/// Which message a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateKind {
    /// Sent before the appointment.
    Reminder,
    /// Sent at once when booked at short notice.
    Confirmation,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Reminder => "reminder",
            TemplateKind::Confirmation => "confirmation",
        }
    }
}

pub fn default_template(language: SmsLanguage, kind: TemplateKind) -> &'static str {
    match (language, kind) {
        (SmsLanguage::Da, TemplateKind::Reminder) => {
            "Hej {first_name}. Husk vores aftale {weekday} den {date} kl. {time}, {place}. Venlig hilsen {worker_name}, tlf. {worker_phone}"
        }
        (SmsLanguage::Da, TemplateKind::Confirmation) => {
            "Hej {first_name}. Vi ses {weekday} den {date} kl. {time}, {place}. Venlig hilsen {worker_name}, tlf. {worker_phone}"
        }
        (SmsLanguage::En, TemplateKind::Reminder) => {
            "Hi {first_name}. A reminder of our appointment on {weekday} {date} at {time}, {place}. Best wishes, {worker_name}, tel. {worker_phone}"
        }
        (SmsLanguage::En, TemplateKind::Confirmation) => {
            "Hi {first_name}. See you on {weekday} {date} at {time}, {place}. Best wishes, {worker_name}, tel. {worker_phone}"
        }
    }
}

enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
}

fn parse(template: &str) -> CoreResult<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(CoreError::invalid("template", "has a '}' without '{'"));
        }
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(CoreError::invalid("template", "has a '{' without '}'"))?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(CoreError::invalid("template", "names an unknown placeholder"));
        }
        out.push(Piece::Slot(name));
        rest = &after[close + 1..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// Checks a template a worker wants to use.
pub fn validate(template: &str) -> CoreResult<String> {
    let t = template.trim();
    if t.is_empty() {
        return Err(CoreError::invalid("template", "empty"));
    }
    if t.chars().count() > TEMPLATE_MAX {
        return Err(CoreError::invalid("template", "too long (at most 400 characters)"));
    }
    if t.chars().any(char::is_control) {
        return Err(CoreError::invalid("template", "contains control characters"));
    }
    parse(t)?;
    Ok(t.to_string())
}

/// The values a reminder is written with.
pub struct Values<'a> {
    pub first_name: &'a str,
    pub local_start: NaiveDateTime,
    pub place: &'a str,
    pub worker_name: &'a str,
    pub worker_phone: &'a str,
}

pub fn render(template: &str, language: SmsLanguage, v: &Values<'_>) -> CoreResult<String> {
    let mut out = String::new();
    for piece in parse(template)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Slot(name) => out.push_str(&match name {
                "first_name" => v.first_name.to_string(),
                "weekday" => weekday(v.local_start.weekday(), language).to_string(),
                "date" => date(v.local_start, language),
                "time" => time(v.local_start, language),
                "place" => v.place.to_string(),
                "worker_name" => v.worker_name.to_string(),
                _ => v.worker_phone.to_string(),
            }),
        }
    }
    Ok(out)
}

pub fn weekday(d: Weekday, language: SmsLanguage) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    match language {
        SmsLanguage::Da => ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"][i],
        SmsLanguage::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][i],
    }
}

const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "30. marts" / "30 March".
pub fn date(t: NaiveDateTime, language: SmsLanguage) -> String {
    let m = t.month0() as usize;
    match language {
        SmsLanguage::Da => format!("{}. {}", t.day(), MONTHS_DA[m]),
        SmsLanguage::En => format!("{} {}", t.day(), MONTHS_EN[m]),
    }
}

/// "10.00" / "10:00".
pub fn time(t: NaiveDateTime, language: SmsLanguage) -> String {
    match language {
        SmsLanguage::Da => format!("{:02}.{:02}", t.hour(), t.minute()),
        SmsLanguage::En => format!("{:02}:{:02}", t.hour(), t.minute()),
    }
}

/// The first name in a nickname ("Ole B." → "Ole").
pub fn first_name(nickname: &str) -> &str {
    nickname.split_whitespace().next().unwrap_or(nickname)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn values(t: NaiveDateTime) -> Values<'static> {
        Values {
            first_name: "Ole",
            local_start: t,
            place: "Borgercaféen",
            worker_name: "Mette",
            worker_phone: "20304050",
        }
    }

    #[test]
    fn danish_date_style() {
        let t = at(2027, 3, 30, 10, 0);
        let s = render("{weekday} den {date} kl. {time}", SmsLanguage::Da, &values(t)).unwrap();
        assert_eq!(s, "tirsdag den 30. marts kl. 10.00");
        let s = render("{weekday} den {date} kl. {time}", SmsLanguage::Da, &values(at(2026, 3, 3, 9, 5))).unwrap();
        assert_eq!(s, "tirsdag den 3. marts kl. 09.05");
    }

    #[test]
    fn default_templates_render_in_both_languages() {
        let t = at(2027, 3, 30, 10, 0);
        let da =
            render(default_template(SmsLanguage::Da, TemplateKind::Reminder), SmsLanguage::Da, &values(t)).unwrap();
        assert_eq!(da, "Hej Ole. Husk vores aftale tirsdag den 30. marts kl. 10.00, Borgercaféen. Venlig hilsen Mette, tlf. 20304050");
        let en =
            render(default_template(SmsLanguage::En, TemplateKind::Reminder), SmsLanguage::En, &values(t)).unwrap();
        assert_eq!(en, "Hi Ole. A reminder of our appointment on Tuesday 30 March at 10:00, Borgercaféen. Best wishes, Mette, tel. 20304050");
        for lang in [SmsLanguage::Da, SmsLanguage::En] {
            for kind in [TemplateKind::Reminder, TemplateKind::Confirmation] {
                let text = render(default_template(lang, kind), lang, &values(t)).unwrap();
                let m = super::super::gsm::measure(&text);
                assert_eq!((m.encoding, m.segments), (super::super::gsm::Encoding::Gsm7, 1), "{text}");
                assert!(super::super::lint::lint(&text).is_empty());
            }
        }
    }

    #[test]
    fn bad_templates_are_refused() {
        for (t, reason) in [
            ("Hej {name}", "names an unknown placeholder"),
            ("Hej {first_name", "has a '{' without '}'"),
            ("Hej first_name}", "has a '}' without '{'"),
            ("", "empty"),
        ] {
            assert_eq!(validate(t).unwrap_err(), CoreError::InvalidInput { field: "template", reason }, "{t}");
        }
        assert!(validate("Hej {first_name}, vi ses {weekday}").is_ok());
    }
}
