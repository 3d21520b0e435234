//! The one message catalogue: the Danish and English words for every error, booking
//! warning, reminder state and reason, attention item and list label the core gives the
//! shells, and for the evaluation report and the survey, so Android, iOS and the CLI say the
//! same thing in the same words.
//!
//! Everything here is a pure function of a code and the parameters it carries (attempts
//! left, the overlapping appointment's time, the holiday's name). The catalogue holds no
//! personal data of its own: a nickname or a follow-up's text appears in a message only
//! because the caller passed it in the item being described.
//!
//! Danish is the default. Dates and times use the same words as the SMS templates
//! ([`crate::sms::template`]): "tirsdag den 3. marts", "10.00"; in English "Tuesday 3 March",
//! "10:00".
//!
//! Where a code is new to the catalogue (a reason string added to the core without words
//! here), the message is a general sentence in the language asked for, and in Danish it says
//! that the technical words that follow are English. `tests/messages_catalogue.rs` scans
//! `core/src` and fails for any such code, so this is a fallback, not a habit.

mod attention;
mod booking;
mod errors;
mod labels;
pub mod lifecycle;
mod reminders;
mod report;
mod survey;

pub use attention::{attention, day_note};
pub use booking::{no_reminders, warning};
pub use errors::{error, field, input_reason, invalid_input, not_found, state_reason};
pub use labels::{label, Label};
pub use lifecycle::{
    audit_entry, audit_kind, audit_problem, backup_age, backup_defect, restore_report, retention_report, wipe_notice,
};
pub use reminders::{knows_reminder_reason, reminder_reason, reminder_state};
pub use report::{
    report_date, report_number, report_percent, report_period, report_unreadable_answers, report_unreadable_notes,
    report_with_reminder_kind, report_word, tenths, ReportWord,
};
pub use survey::{survey_answer, survey_progress, survey_statement, survey_statement_short, survey_text, SurveyText};

use crate::sms::template;
use crate::sms::SmsLanguage;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// The language of the words shown to the worker. Danish unless the worker chose English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Da, Language::En];

    /// The stable code: `da`, `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }

    /// `da` or `en`; a locale tag is read by its language part (`da-DK`, `en_GB`), so the
    /// shells can pass the phone's locale as it is. Anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let lang = s.trim().split(['-', '_']).next().unwrap_or_default();
        if lang.eq_ignore_ascii_case("da") {
            Some(Language::Da)
        } else if lang.eq_ignore_ascii_case("en") {
            Some(Language::En)
        } else {
            None
        }
    }

    fn sms(self) -> SmsLanguage {
        match self {
            Language::Da => SmsLanguage::Da,
            Language::En => SmsLanguage::En,
        }
    }
}

impl From<SmsLanguage> for Language {
    fn from(l: SmsLanguage) -> Self {
        match l {
            SmsLanguage::Da => Language::Da,
            SmsLanguage::En => Language::En,
        }
    }
}

/// Picks the Danish or the English of a pair.
fn pick<T>(lang: Language, da: T, en: T) -> T {
    match lang {
        Language::Da => da,
        Language::En => en,
    }
}

/// "tirsdag den 3. marts" / "Tuesday 3 March".
fn day(d: NaiveDate, lang: Language) -> String {
    let at = NaiveDateTime::new(d, NaiveTime::MIN);
    let weekday = template::weekday(d.weekday(), lang.sms());
    match lang {
        Language::Da => format!("{weekday} den {}", template::date(at, lang.sms())),
        Language::En => format!("{weekday} {}", template::date(at, lang.sms())),
    }
}

/// "10.00" / "10:00".
fn clock(t: NaiveTime, lang: Language) -> String {
    template::time(NaiveDateTime::new(NaiveDate::default(), t), lang.sms())
}

/// "tirsdag den 3. marts kl. 10.00" / "Tuesday 3 March at 10:00".
fn moment(t: NaiveDateTime, lang: Language) -> String {
    let at = pick(lang, "kl.", "at");
    format!("{} {at} {}", day(t.date(), lang), clock(t.time(), lang))
}

/// "10.00–11.00"; with the dates when the span crosses midnight.
fn span(from: NaiveDateTime, to: NaiveDateTime, lang: Language) -> String {
    if from.date() == to.date() {
        format!("{}–{}", clock(from.time(), lang), clock(to.time(), lang))
    } else {
        format!("{} – {}", moment(from, lang), moment(to, lang))
    }
}

/// "a", "a og b", "a, b og c" / "a", "a and b", "a, b and c".
fn and_list(items: &[String], lang: Language) -> String {
    let and = pick(lang, " og ", " and ");
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

/// A word from a text, quoted: »misbrug« / “misbrug”.
fn quote(word: &str, lang: Language) -> String {
    match lang {
        Language::Da => format!("»{word}«"),
        Language::En => format!("“{word}”"),
    }
}

/// "1 minut" / "3 minutter": a count with its noun.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A wait in words: "30 sekunder", "1 minut og 30 sekunder", "1 time og 5 minutter" /
/// "30 seconds", "1 minute and 30 seconds", "1 hour and 5 minutes". Over an hour the
/// seconds are rounded up into minutes (no one waits to the second for an hour).
fn duration(seconds: u32, lang: Language) -> String {
    let s = u64::from(seconds);
    let (h, m, sec) = if s >= 3600 {
        let minutes = s.div_ceil(60);
        (minutes / 60, minutes % 60, 0)
    } else {
        (0, s / 60, s % 60)
    };
    let words = match lang {
        Language::Da => [("time", "timer"), ("minut", "minutter"), ("sekund", "sekunder")],
        Language::En => [("hour", "hours"), ("minute", "minutes"), ("second", "seconds")],
    };
    let parts: Vec<String> = [h, m, sec]
        .into_iter()
        .zip(words)
        .filter(|(n, _)| *n > 0)
        .map(|(n, (one, many))| count(n, one, many))
        .collect();
    if parts.is_empty() {
        return count(0, words[2].0, words[2].1);
    }
    and_list(&parts, lang)
}

/// The first letter in upper case ("kaldenavn" → "Kaldenavn").
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn language_codes() {
        for lang in Language::ALL {
            assert_eq!(Language::parse(lang.as_str()), Some(lang));
        }
        assert_eq!(Language::parse("da-DK"), Some(Language::Da));
        assert_eq!(Language::parse("en_GB"), Some(Language::En));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("sv"), None);
        assert_eq!(Language::parse(""), None);
        assert_eq!(Language::default(), Language::Da);
        assert_eq!(Language::from(SmsLanguage::En), Language::En);
    }

    #[test]
    fn dates_and_times_in_both_languages() {
        let t = d(2026, 3, 3).and_hms_opt(10, 0, 0).unwrap();
        assert_eq!(day(t.date(), Language::Da), "tirsdag den 3. marts");
        assert_eq!(day(t.date(), Language::En), "Tuesday 3 March");
        assert_eq!(moment(t, Language::Da), "tirsdag den 3. marts kl. 10.00");
        assert_eq!(moment(t, Language::En), "Tuesday 3 March at 10:00");
        let end = d(2026, 3, 3).and_hms_opt(11, 30, 0).unwrap();
        assert_eq!(span(t, end, Language::Da), "10.00–11.30");
        assert_eq!(span(t, end, Language::En), "10:00–11:30");
        let next_day = d(2026, 3, 4).and_hms_opt(1, 0, 0).unwrap();
        assert_eq!(span(t, next_day, Language::Da), "tirsdag den 3. marts kl. 10.00 – onsdag den 4. marts kl. 01.00");
    }

    #[test]
    fn durations_in_words() {
        for (seconds, da, en) in [
            (0, "0 sekunder", "0 seconds"),
            (1, "1 sekund", "1 second"),
            (30, "30 sekunder", "30 seconds"),
            (60, "1 minut", "1 minute"),
            (90, "1 minut og 30 sekunder", "1 minute and 30 seconds"),
            (300, "5 minutter", "5 minutes"),
            (3600, "1 time", "1 hour"),
            (3661, "1 time og 2 minutter", "1 hour and 2 minutes"),
            (7200, "2 timer", "2 hours"),
        ] {
            assert_eq!(duration(seconds, Language::Da), da, "{seconds}");
            assert_eq!(duration(seconds, Language::En), en, "{seconds}");
        }
    }

    #[test]
    fn lists_and_quotes() {
        let words: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(and_list(&words, Language::Da), "a, b og c");
        assert_eq!(and_list(&words[..2], Language::En), "a and b");
        assert_eq!(and_list(&words[..1], Language::En), "a");
        assert_eq!(and_list(&[], Language::En), "");
        assert_eq!(quote("gæld", Language::Da), "»gæld«");
        assert_eq!(quote("debt", Language::En), "“debt”");
        assert_eq!(capitalise("ærlig"), "Ærlig");
    }
}
