//! The words for what booking answers: its warnings, with what the worker needs to judge
//! them, and why an appointment got no reminders.

use super::{and_list, clock, day, pick, quote, span, Language};
use crate::appointments::{BookingWarning, NoReminderReason};
use crate::sms::MAX_SEGMENTS;
use chrono::NaiveDate;

/// "+2" / "+5.30" (Danish) / "+5:30" (English): a UTC offset in hours.
fn offset(minutes: i32, lang: Language) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    match (m % 60, lang) {
        (0, _) => format!("{sign}{}", m / 60),
        (rest, Language::Da) => format!("{sign}{}.{rest:02}", m / 60),
        (rest, Language::En) => format!("{sign}{}:{rest:02}", m / 60),
    }
}

/// "fra tirsdag den 3. marts til fredag den 6. marts" / "tirsdag den 3. marts".
pub(super) fn dates(from: NaiveDate, to: NaiveDate, lang: Language) -> String {
    if from == to {
        day(from, lang)
    } else {
        match lang {
            Language::Da => format!("fra {} til {}", day(from, lang), day(to, lang)),
            Language::En => format!("from {} to {}", day(from, lang), day(to, lang)),
        }
    }
}

/// What held a text: "teksten nævner »misbrug«" / "teksten fylder mere end 3 sms'er".
pub(super) fn held_for(words: &[String], too_long: bool, lang: Language) -> Option<String> {
    let mut parts = Vec::new();
    if !words.is_empty() {
        let quoted: Vec<String> = words.iter().map(|w| quote(w, lang)).collect();
        let list = and_list(&quoted, lang);
        parts.push(pick(lang, format!("teksten nævner {list}"), format!("the text names {list}")));
    }
    if too_long {
        parts.push(pick(
            lang,
            format!("teksten fylder mere end {MAX_SEGMENTS} sms'er"),
            format!("the text is longer than {MAX_SEGMENTS} messages"),
        ));
    }
    (!parts.is_empty()).then(|| and_list(&parts, lang))
}

/// One booking warning in words: "Overlapper med Ole 10.00–11.00".
pub fn warning(w: &BookingWarning, lang: Language) -> String {
    match w {
        BookingWarning::Overlap { citizen, local_start, local_end, .. } => {
            let when = span(*local_start, *local_end, lang);
            match (citizen, lang) {
                (Some(name), Language::Da) => format!("Overlapper med {name} {when}"),
                (Some(name), Language::En) => format!("Overlaps with {name} {when}"),
                (None, Language::Da) => format!("Overlapper med en anden aftale {when}"),
                (None, Language::En) => format!("Overlaps with another appointment {when}"),
            }
        }
        BookingWarning::OutsideOfficeHours { hours } => {
            if hours.is_empty() {
                return pick(
                    lang,
                    "Uden for dine træffetider: du har ingen træffetid her den dag",
                    "Outside your office hours: you have none here that day",
                )
                .to_string();
            }
            let spans: Vec<String> =
                hours.iter().map(|(from, to)| format!("{}–{}", clock(*from, lang), clock(*to, lang))).collect();
            let spans = and_list(&spans, lang);
            pick(
                lang,
                format!("Uden for dine træffetider her den dag ({spans})"),
                format!("Outside your office hours here that day ({spans})"),
            )
        }
        BookingWarning::Absence { from, to } => {
            let when = dates(*from, *to, lang);
            match lang {
                Language::Da => format!("Du har fravær {when}"),
                Language::En if from == to => format!("You are away on {when}"),
                Language::En => format!("You are away {when}"),
            }
        }
        BookingWarning::Holiday { name_da, name_en } => pick(
            lang,
            format!("{name_da}: mange væresteder og kommunale kontorer holder lukket"),
            format!("{name_en}: many drop-in centres and municipal offices are closed"),
        ),
        BookingWarning::InPast => pick(lang, "Tidspunktet er allerede passeret", "That time has already passed").into(),
        BookingWarning::DstGap { asked, booked } => {
            let (asked, booked) = (clock(*asked, lang), clock(*booked, lang));
            pick(
                lang,
                format!("{asked} findes ikke den dag (sommertiden begynder); aftalen er sat til {booked}"),
                format!("{asked} does not exist that day (summer time begins); the appointment is set to {booked}"),
            )
        }
        BookingWarning::DstAmbiguous { asked, utc_offset_minutes } => {
            let asked = clock(*asked, lang);
            let utc = offset(*utc_offset_minutes, lang);
            pick(
                lang,
                format!(
                    "{asked} findes to gange den dag (sommertiden slutter); aftalen er sat til den første (UTC{utc})"
                ),
                format!(
                    "{asked} happens twice that day (summer time ends); the appointment is set to the first (UTC{utc})"
                ),
            )
        }
        BookingWarning::SmsHeld { words, too_long, .. } => match held_for(words, *too_long, lang) {
            Some(why) => pick(
                lang,
                format!("En påmindelse venter på din godkendelse: {why}"),
                format!("A reminder waits for your approval: {why}"),
            ),
            None => pick(lang, "En påmindelse venter på din godkendelse", "A reminder waits for your approval").into(),
        },
    }
}

/// Why a booking got no reminders, as a sentence.
pub fn no_reminders(r: NoReminderReason, lang: Language) -> String {
    let (da, en) = match r {
        NoReminderReason::NoSmsConsent => (
            "Ingen påmindelser: borgeren har ikke givet samtykke til sms.",
            "No reminders: the citizen has not consented to texts.",
        ),
        NoReminderReason::NoPhone => {
            ("Ingen påmindelser: borgeren har intet telefonnummer.", "No reminders: the citizen has no phone number.")
        }
        NoReminderReason::NotMobile => (
            "Ingen påmindelser: borgerens nummer er ikke et mobilnummer.",
            "No reminders: the citizen's number is not a mobile number.",
        ),
        NoReminderReason::NoWorkerProfile => (
            "Ingen påmindelser: udfyld din profil (navn og telefonnummer), så påmindelserne kan sige, hvem de er fra.",
            "No reminders: fill in your profile (name and phone number) so reminders can say who they are from.",
        ),
        NoReminderReason::NoneFitTheRules => (
            "Ingen påmindelser: aftalen er så tæt på, at ingen påmindelse passer med reglerne.",
            "No reminders: the appointment is so soon that no reminder fits the rules.",
        ),
        NoReminderReason::NotActive => (
            "Ingen påmindelser: aftalen er ikke længere planlagt.",
            "No reminders: the appointment is no longer planned.",
        ),
    };
    pick(lang, da, en).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;
    use Language::{Da, En};

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn warnings_with_their_details() {
        let cases = [
            (
                BookingWarning::Overlap {
                    appointment_id: "a".into(),
                    citizen: Some("Ole".into()),
                    local_start: d(2026, 3, 3).and_time(t(10, 0)),
                    local_end: d(2026, 3, 3).and_time(t(11, 0)),
                },
                "Overlapper med Ole 10.00–11.00",
                "Overlaps with Ole 10:00–11:00",
            ),
            (
                BookingWarning::Overlap {
                    appointment_id: "a".into(),
                    citizen: None,
                    local_start: d(2026, 3, 3).and_time(t(9, 30)),
                    local_end: d(2026, 3, 3).and_time(t(10, 15)),
                },
                "Overlapper med en anden aftale 09.30–10.15",
                "Overlaps with another appointment 09:30–10:15",
            ),
            (
                BookingWarning::OutsideOfficeHours { hours: vec![(t(10, 0), t(12, 0)), (t(13, 0), t(14, 30))] },
                "Uden for dine træffetider her den dag (10.00–12.00 og 13.00–14.30)",
                "Outside your office hours here that day (10:00–12:00 and 13:00–14:30)",
            ),
            (
                BookingWarning::OutsideOfficeHours { hours: vec![] },
                "Uden for dine træffetider: du har ingen træffetid her den dag",
                "Outside your office hours: you have none here that day",
            ),
            (
                BookingWarning::Absence { from: d(2026, 3, 3), to: d(2026, 3, 6) },
                "Du har fravær fra tirsdag den 3. marts til fredag den 6. marts",
                "You are away from Tuesday 3 March to Friday 6 March",
            ),
            (
                BookingWarning::Absence { from: d(2026, 3, 3), to: d(2026, 3, 3) },
                "Du har fravær tirsdag den 3. marts",
                "You are away on Tuesday 3 March",
            ),
            (
                BookingWarning::Holiday { name_da: "Påskedag", name_en: "Easter Sunday" },
                "Påskedag: mange væresteder og kommunale kontorer holder lukket",
                "Easter Sunday: many drop-in centres and municipal offices are closed",
            ),
            (BookingWarning::InPast, "Tidspunktet er allerede passeret", "That time has already passed"),
            (
                BookingWarning::DstGap { asked: t(2, 30), booked: t(3, 30) },
                "02.30 findes ikke den dag (sommertiden begynder); aftalen er sat til 03.30",
                "02:30 does not exist that day (summer time begins); the appointment is set to 03:30",
            ),
            (
                BookingWarning::DstAmbiguous { asked: t(2, 30), utc_offset_minutes: 120 },
                "02.30 findes to gange den dag (sommertiden slutter); aftalen er sat til den første (UTC+2)",
                "02:30 happens twice that day (summer time ends); the appointment is set to the first (UTC+2)",
            ),
            (
                BookingWarning::SmsHeld {
                    reminder_id: "r".into(),
                    words: vec!["misbrug".into(), "gæld".into()],
                    too_long: false,
                },
                "En påmindelse venter på din godkendelse: teksten nævner »misbrug« og »gæld«",
                "A reminder waits for your approval: the text names “misbrug” and “gæld”",
            ),
            (
                BookingWarning::SmsHeld { reminder_id: "r".into(), words: vec!["Lænken".into()], too_long: true },
                "En påmindelse venter på din godkendelse: teksten nævner »Lænken« og teksten fylder mere end 3 sms'er",
                "A reminder waits for your approval: the text names “Lænken” and the text is longer than 3 messages",
            ),
        ];
        for (w, da, en) in cases {
            assert_eq!(warning(&w, Da), da, "{w:?}");
            assert_eq!(warning(&w, En), en, "{w:?}");
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(60, Da), "+1");
        assert_eq!(offset(330, Da), "+5.30");
        assert_eq!(offset(330, En), "+5:30");
        assert_eq!(offset(-150, En), "-2:30");
    }

    #[test]
    fn every_no_reminder_reason_has_words() {
        use NoReminderReason::*;
        for r in [NoSmsConsent, NoPhone, NotMobile, NoWorkerProfile, NoneFitTheRules, NotActive] {
            // Exhaustive: a new reason must be added here and above.
            match r {
                NoSmsConsent | NoPhone | NotMobile | NoWorkerProfile | NoneFitTheRules | NotActive => {}
            }
            let (da, en) = (no_reminders(r, Da), no_reminders(r, En));
            assert!(da.starts_with("Ingen påmindelser: ") && en.starts_with("No reminders: "), "{r:?}");
            assert_ne!(da, en);
        }
        assert_eq!(no_reminders(NoSmsConsent, Da), "Ingen påmindelser: borgeren har ikke givet samtykke til sms.");
    }
}
