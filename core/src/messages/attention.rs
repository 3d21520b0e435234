//! The words for the Today screen's attention list and day notes, with their parameters
//! (the citizen's nickname, the time, the due date, the words that held a text).

use super::booking::{dates, held_for};
use super::labels::{label, Label};
use super::reminders::reminder_reason;
use super::{day, moment, pick, Language};
use crate::screens::{AttentionItem, DayNote};
use crate::time::local;
use crate::vault::IntegrityState;
use chrono::{DateTime, NaiveDate, Utc};

/// The date of an instant as the worker lives it. Notes carry an instant, not a venue's
/// zone; Brobygger's workers are in Denmark, so the date is Copenhagen's.
fn local_date(t: DateTime<Utc>) -> NaiveDate {
    local::local(chrono_tz::Europe::Copenhagen, t).date()
}

/// "til Ole" / "til en borger" and the English: who a reminder goes to.
fn to_whom(citizen: &Option<String>, lang: Language) -> String {
    match (citizen, lang) {
        (Some(name), Language::Da) => format!("til {name}"),
        (Some(name), Language::En) => format!("to {name}"),
        (None, Language::Da) => "til en borger".into(),
        (None, Language::En) => "to a citizen".into(),
    }
}

/// "samtalen med Ole" / "en samtale" and the English: which conversation a note is about.
fn conversation(citizen: &Option<String>, lang: Language) -> String {
    match (citizen, lang) {
        (Some(name), Language::Da) => format!("samtalen med {name}"),
        (Some(name), Language::En) => format!("the conversation with {name}"),
        (None, Language::Da) => "en samtale".into(),
        (None, Language::En) => "a conversation".into(),
    }
}

/// One item of the attention list, as a sentence or two.
pub fn attention(item: &AttentionItem, lang: Language) -> String {
    match item {
        AttentionItem::ReminderUnknown { citizen, local_send_at, .. } => {
            let (who, when) = (to_whom(citizen, lang), moment(*local_send_at, lang));
            pick(
                lang,
                format!("Det er uvist, om påmindelsen {who} ({when}) blev sendt. Send den igen, eller lad den være."),
                format!("It is not known whether the reminder {who} ({when}) was sent. Send it again, or leave it."),
            )
        }
        AttentionItem::ReminderFailed { citizen, reason, .. } => {
            let who = to_whom(citizen, lang);
            let failed = pick(lang, format!("Påmindelsen {who} mislykkedes."), format!("The reminder {who} failed."));
            match reason {
                Some(r) => format!("{failed} {}", reminder_reason(r, lang)),
                None => failed,
            }
        }
        AttentionItem::ReminderHeld { citizen, local_send_at, words, too_long, .. } => {
            let (who, when) = (to_whom(citizen, lang), moment(*local_send_at, lang));
            let waits = pick(
                lang,
                format!("Påmindelsen {who} ({when}) venter på din godkendelse"),
                format!("The reminder {who} ({when}) waits for your approval"),
            );
            match held_for(words, *too_long, lang) {
                Some(why) => format!("{waits}: {why}."),
                None => format!("{waits}."),
            }
        }
        AttentionItem::OutcomeMissing { citizen, local_start, .. } => {
            let when = moment(*local_start, lang);
            match (citizen, lang) {
                (Some(name), Language::Da) => format!("Aftalen med {name} {when} mangler et udfald: mødte {name} op?"),
                (Some(name), Language::En) => {
                    format!("The appointment with {name} on {when} has no outcome: did {name} come?")
                }
                (None, Language::Da) => format!("Aftalen {when} mangler et udfald: mødte borgeren op?"),
                (None, Language::En) => format!("The appointment on {when} has no outcome: did the citizen come?"),
            }
        }
        AttentionItem::FollowUpDue { citizen, text, due_date, overdue, .. } => {
            let head = match (citizen, lang) {
                (Some(name), Language::Da) => format!("Opfølgning for {name}"),
                (Some(name), Language::En) => format!("Follow-up for {name}"),
                (None, _) => pick(lang, "Opfølgning", "Follow-up").to_string(),
            };
            let due = match (overdue, lang) {
                (true, Language::Da) => format!("frist {} (overskredet)", day(*due_date, lang)),
                (true, Language::En) => format!("due {} (overdue)", day(*due_date, lang)),
                (false, Language::Da) => "frist i dag".to_string(),
                (false, Language::En) => "due today".to_string(),
            };
            format!("{head}, {due}: {text}")
        }
        AttentionItem::DraftWaiting { citizen, occurred_at, .. } => {
            let (about, on) = (conversation(citizen, lang), day(local_date(*occurred_at), lang));
            pick(
                lang,
                format!("Kladden om {about} {on} er ikke gjort færdig."),
                format!("The draft on {about} on {on} is not finished."),
            )
        }
        AttentionItem::NotJournalised { citizen, occurred_at, .. } => {
            let (about, on) = (conversation(citizen, lang), day(local_date(*occurred_at), lang));
            pick(
                lang,
                format!("Notatet om {about} {on} er ikke journaliseret endnu."),
                format!("The note on {about} on {on} is not journalised yet."),
            )
        }
        AttentionItem::OutboxKeyMissing { waiting } => {
            let waits = match (lang, waiting) {
                (Language::Da, 0) => "de kan ikke sendes, før".to_string(),
                (Language::Da, 1) => "1 påmindelse venter, til".to_string(),
                (Language::Da, n) => format!("{n} påmindelser venter, til"),
                (Language::En, 0) => "none can be sent until".to_string(),
                (Language::En, 1) => "1 reminder waits until".to_string(),
                (Language::En, n) => format!("{n} reminders wait until"),
            };
            pick(
                lang,
                format!("Telefonens nøglelager har mistet nøglen til påmindelserne: {waits} du åbner med gendannelsesnøglen."),
                format!("The phone's key store lost the key for reminders: {waits} you open the app with the recovery key."),
            )
        }
        AttentionItem::RecoveryKeyRotationAdvised => pick(
            lang,
            "Gendannelsesnøglen er blevet brugt. Lav en ny, og gem den et sikkert sted.",
            "The recovery key has been used. Make a new one and keep it somewhere safe.",
        )
        .into(),
        AttentionItem::IntegrityProblem { state } => integrity(*state, lang),
    }
}

fn integrity(state: IntegrityState, lang: Language) -> String {
    match state {
        IntegrityState::Damaged => pick(
            lang,
            "Datafilen er beskadiget. Det, der kan læses, vises stadig. Kontakt support; intet er slettet.",
            "The data file is damaged. What can be read is still shown. Contact support; nothing has been deleted.",
        )
        .into(),
        IntegrityState::RolledBack => pick(
            lang,
            "Datafilen er sat tilbage til en ældre kopi; nyere ændringer kan mangle. Kontakt support.",
            "The data file was put back to an older copy; recent changes may be missing. Contact support.",
        )
        .into(),
        IntegrityState::CheckAdvised => pick(
            lang,
            "Appen blev ikke lukket rigtigt sidst. Kontrollér datafilen.",
            "The app did not close properly last time. Check the data file.",
        )
        .into(),
        IntegrityState::Unchecked | IntegrityState::Ok => {
            let state = label(Label::IntegrityState(state), lang);
            pick(lang, format!("Datafilen: {state}."), format!("The data file: {state}."))
        }
    }
}

/// Why nobody may be at the drop-in centre on the day.
pub fn day_note(note: &DayNote, lang: Language) -> String {
    match note {
        DayNote::Holiday { name_da, official: true, .. } if lang == Language::Da => format!("Helligdag: {name_da}"),
        DayNote::Holiday { name_en, official: true, .. } => format!("Public holiday: {name_en}"),
        DayNote::Holiday { name_da, name_en, official: false } => pick(
            lang,
            format!("{name_da}: mange væresteder og kommunale kontorer holder lukket"),
            format!("{name_en}: many drop-in centres and municipal offices are closed"),
        ),
        DayNote::Absence { from, to } => {
            let when = dates(*from, *to, lang);
            match lang {
                Language::Da => format!("Du har fravær {when}"),
                Language::En if from == to => format!("You are away on {when}"),
                Language::En => format!("You are away {when}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone};
    use Language::{Da, En};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn attention_items_with_their_parameters() {
        let ole = Some("Ole".to_string());
        // 23:30 UTC on 2 March is 00:30 on 3 March in Copenhagen.
        let late_evening = Utc.with_ymd_and_hms(2026, 3, 2, 23, 30, 0).unwrap();
        let cases = [
            (
                AttentionItem::ReminderUnknown {
                    reminder_id: "r".into(),
                    appointment_id: "a".into(),
                    citizen: ole.clone(),
                    local_send_at: at(2026, 3, 2, 17, 0),
                },
                "Det er uvist, om påmindelsen til Ole (mandag den 2. marts kl. 17.00) blev sendt. Send den igen, eller lad den være.",
                "It is not known whether the reminder to Ole (Monday 2 March at 17:00) was sent. Send it again, or leave it.",
            ),
            (
                AttentionItem::ReminderFailed {
                    reminder_id: "r".into(),
                    appointment_id: "a".into(),
                    citizen: None,
                    reason: Some("too_late".into()),
                },
                "Påmindelsen til en borger mislykkedes. Blev ikke sendt, før aftalen begyndte.",
                "The reminder to a citizen failed. Not sent before the appointment began.",
            ),
            (
                AttentionItem::ReminderHeld {
                    reminder_id: "r".into(),
                    appointment_id: "a".into(),
                    citizen: ole.clone(),
                    local_send_at: at(2026, 3, 2, 17, 0),
                    words: vec!["misbrug".into()],
                    too_long: false,
                },
                "Påmindelsen til Ole (mandag den 2. marts kl. 17.00) venter på din godkendelse: teksten nævner »misbrug«.",
                "The reminder to Ole (Monday 2 March at 17:00) waits for your approval: the text names “misbrug”.",
            ),
            (
                AttentionItem::OutcomeMissing {
                    appointment_id: "a".into(),
                    citizen: ole.clone(),
                    local_start: at(2026, 3, 3, 10, 0),
                },
                "Aftalen med Ole tirsdag den 3. marts kl. 10.00 mangler et udfald: mødte Ole op?",
                "The appointment with Ole on Tuesday 3 March at 10:00 has no outcome: did Ole come?",
            ),
            (
                AttentionItem::FollowUpDue {
                    follow_up_id: "f".into(),
                    note_id: "n".into(),
                    citizen: ole.clone(),
                    text: "Ring til boligselskabet".into(),
                    due_date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
                    overdue: true,
                },
                "Opfølgning for Ole, frist tirsdag den 3. marts (overskredet): Ring til boligselskabet",
                "Follow-up for Ole, due Tuesday 3 March (overdue): Ring til boligselskabet",
            ),
            (
                AttentionItem::FollowUpDue {
                    follow_up_id: "f".into(),
                    note_id: "n".into(),
                    citizen: None,
                    text: "Skema".into(),
                    due_date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
                    overdue: false,
                },
                "Opfølgning, frist i dag: Skema",
                "Follow-up, due today: Skema",
            ),
            (
                AttentionItem::DraftWaiting { note_id: "n".into(), citizen: ole.clone(), occurred_at: late_evening },
                "Kladden om samtalen med Ole tirsdag den 3. marts er ikke gjort færdig.",
                "The draft on the conversation with Ole on Tuesday 3 March is not finished.",
            ),
            (
                AttentionItem::NotJournalised { note_id: "n".into(), citizen: None, occurred_at: late_evening },
                "Notatet om en samtale tirsdag den 3. marts er ikke journaliseret endnu.",
                "The note on a conversation on Tuesday 3 March is not journalised yet.",
            ),
            (
                AttentionItem::OutboxKeyMissing { waiting: 3 },
                "Telefonens nøglelager har mistet nøglen til påmindelserne: 3 påmindelser venter, til du åbner med gendannelsesnøglen.",
                "The phone's key store lost the key for reminders: 3 reminders wait until you open the app with the recovery key.",
            ),
        ];
        for (item, da, en) in cases {
            assert_eq!(attention(&item, Da), da, "{item:?}");
            assert_eq!(attention(&item, En), en, "{item:?}");
        }
    }

    #[test]
    fn every_attention_kind_has_words() {
        let t = at(2026, 3, 3, 10, 0);
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let date = t.date();
        let mut items = vec![
            AttentionItem::ReminderUnknown {
                reminder_id: "r".into(),
                appointment_id: "a".into(),
                citizen: None,
                local_send_at: t,
            },
            AttentionItem::ReminderFailed {
                reminder_id: "r".into(),
                appointment_id: "a".into(),
                citizen: None,
                reason: None,
            },
            AttentionItem::ReminderHeld {
                reminder_id: "r".into(),
                appointment_id: "a".into(),
                citizen: None,
                local_send_at: t,
                words: vec![],
                too_long: true,
            },
            AttentionItem::OutcomeMissing { appointment_id: "a".into(), citizen: None, local_start: t },
            AttentionItem::FollowUpDue {
                follow_up_id: "f".into(),
                note_id: "n".into(),
                citizen: None,
                text: "x".into(),
                due_date: date,
                overdue: false,
            },
            AttentionItem::DraftWaiting { note_id: "n".into(), citizen: None, occurred_at: now },
            AttentionItem::NotJournalised { note_id: "n".into(), citizen: None, occurred_at: now },
            AttentionItem::OutboxKeyMissing { waiting: 0 },
            AttentionItem::OutboxKeyMissing { waiting: 1 },
            AttentionItem::RecoveryKeyRotationAdvised,
        ];
        for state in [
            IntegrityState::Unchecked,
            IntegrityState::CheckAdvised,
            IntegrityState::Ok,
            IntegrityState::Damaged,
            IntegrityState::RolledBack,
        ] {
            items.push(AttentionItem::IntegrityProblem { state });
        }
        for item in &items {
            // Exhaustive: a new kind of item fails to compile here until it has words.
            match item {
                AttentionItem::ReminderUnknown { .. }
                | AttentionItem::ReminderFailed { .. }
                | AttentionItem::ReminderHeld { .. }
                | AttentionItem::OutcomeMissing { .. }
                | AttentionItem::FollowUpDue { .. }
                | AttentionItem::DraftWaiting { .. }
                | AttentionItem::NotJournalised { .. }
                | AttentionItem::OutboxKeyMissing { .. }
                | AttentionItem::RecoveryKeyRotationAdvised
                | AttentionItem::IntegrityProblem { .. } => {}
            }
            let (da, en) = (attention(item, Da), attention(item, En));
            assert!(!da.is_empty() && !en.is_empty() && da != en, "{item:?}");
        }
    }

    #[test]
    fn day_notes() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let easter = DayNote::Holiday { name_da: "Påskedag", name_en: "Easter Sunday", official: true };
        assert_eq!(day_note(&easter, Da), "Helligdag: Påskedag");
        assert_eq!(day_note(&easter, En), "Public holiday: Easter Sunday");
        let eve = DayNote::Holiday { name_da: "Juleaftensdag", name_en: "Christmas Eve", official: false };
        assert_eq!(day_note(&eve, Da), "Juleaftensdag: mange væresteder og kommunale kontorer holder lukket");
        let away = DayNote::Absence { from: d(7, 6), to: d(7, 24) };
        assert_eq!(day_note(&away, Da), "Du har fravær fra mandag den 6. juli til fredag den 24. juli");
        assert_eq!(day_note(&away, En), "You are away from Monday 6 July to Friday 24 July");
    }
}
