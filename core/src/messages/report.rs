//! The evaluation report's words: titles, column headings, row names, notes under the
//! tables, the legend for suppressed counts, and how numbers and dates are written in it
//! (Danish "12,5" and "31. marts 2026"; English "12.5" and "31 March 2026").

use super::{count, pick, Language};
use crate::sms::template;
use crate::sms::SmsLanguage;
use chrono::{Datelike, NaiveDate, NaiveTime};

/// Every fixed piece of text in the report, by a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportWord {
    Title,
    AllVenues,
    AsOf,
    // Tables.
    ActivityTitle,
    TopicsTitle,
    HelpTitle,
    AppointmentsTitle,
    NoShowsTitle,
    DifferenceTitle,
    TrendTitle,
    FollowUpsTitle,
    SurveyTitle,
    // Columns.
    ColCode,
    ColFigure,
    ColCount,
    ColTopic,
    ColConversations,
    ColShareOfTopics,
    ColHelp,
    ColShareOfHelp,
    ColKind,
    ColAttended,
    ColNoShow,
    ColOutcomeBeforeStart,
    ColCancelledByCitizen,
    ColCancelledByWorker,
    ColOpen,
    ColTotal,
    ColGroup,
    ColWithOutcome,
    ColNoShows,
    ColRate,
    ColLow,
    ColHigh,
    ColComparison,
    ColDifference,
    ColLowPoints,
    ColHighPoints,
    ColMonth,
    ColStatus,
    ColStatement,
    ColAnswered,
    ColAgree,
    ColShareAgree,
    // Rows.
    RowCitizensMet,
    RowNewCitizens,
    RowConversations,
    RowAnonymous,
    RowAccompaniments,
    RowJournalised,
    RowWithTopics,
    RowWithHelp,
    RowTotal,
    RowAllAppointments,
    RowStatutory,
    RowWithReminder,
    RowWithoutReminder,
    RowWithMinusWithout,
    RowDoneOnTime,
    RowDoneLate,
    RowOverdue,
    RowNotYetDue,
    RowResponses,
    // Notes under the tables.
    NoteActivity,
    NoteActivityVenue,
    NoteTopics,
    NoteHelp,
    NoteAppointments,
    NoteNoShows,
    NoteDifference,
    NoteTrend,
    NoteFollowUps,
    NoteSurvey,
    // Legend, caveats, charts.
    LegendSmall,
    LegendHidden,
    LegendUndefined,
    NotesHaveNoVenue,
    NothingRecorded,
    NothingPersonal,
    ChartTopics,
    ChartTrend,
    ChartSurvey,
    // The export's description of itself.
    ColField,
    ColValue,
    RowPeriod,
    RowVenue,
    RowFrom,
    RowTo,
    RowLegend,
    RowNote,
}

impl ReportWord {
    /// Every word, for the completeness test.
    pub const ALL: &'static [ReportWord] = {
        use ReportWord::*;
        &[
            Title,
            AllVenues,
            AsOf,
            ActivityTitle,
            TopicsTitle,
            HelpTitle,
            AppointmentsTitle,
            NoShowsTitle,
            DifferenceTitle,
            TrendTitle,
            FollowUpsTitle,
            SurveyTitle,
            ColCode,
            ColFigure,
            ColCount,
            ColTopic,
            ColConversations,
            ColShareOfTopics,
            ColHelp,
            ColShareOfHelp,
            ColKind,
            ColAttended,
            ColNoShow,
            ColOutcomeBeforeStart,
            ColCancelledByCitizen,
            ColCancelledByWorker,
            ColOpen,
            ColTotal,
            ColGroup,
            ColWithOutcome,
            ColNoShows,
            ColRate,
            ColLow,
            ColHigh,
            ColComparison,
            ColDifference,
            ColLowPoints,
            ColHighPoints,
            ColMonth,
            ColStatus,
            ColStatement,
            ColAnswered,
            ColAgree,
            ColShareAgree,
            RowCitizensMet,
            RowNewCitizens,
            RowConversations,
            RowAnonymous,
            RowAccompaniments,
            RowJournalised,
            RowWithTopics,
            RowWithHelp,
            RowTotal,
            RowAllAppointments,
            RowStatutory,
            RowWithReminder,
            RowWithoutReminder,
            RowWithMinusWithout,
            RowDoneOnTime,
            RowDoneLate,
            RowOverdue,
            RowNotYetDue,
            RowResponses,
            NoteActivity,
            NoteActivityVenue,
            NoteTopics,
            NoteHelp,
            NoteAppointments,
            NoteNoShows,
            NoteDifference,
            NoteTrend,
            NoteFollowUps,
            NoteSurvey,
            LegendSmall,
            LegendHidden,
            LegendUndefined,
            NotesHaveNoVenue,
            NothingRecorded,
            NothingPersonal,
            ChartTopics,
            ChartTrend,
            ChartSurvey,
            ColField,
            ColValue,
            RowPeriod,
            RowVenue,
            RowFrom,
            RowTo,
            RowLegend,
            RowNote,
        ]
    };
}

/// The words for `w`.
pub fn report_word(w: ReportWord, lang: Language) -> &'static str {
    use ReportWord::*;
    let (da, en) = match w {
        Title => ("Evaluering af den fremskudte indsats", "Evaluation of the outreach work"),
        AllVenues => ("Alle væresteder", "All drop-in centres"),
        AsOf => ("Opgjort", "As of"),
        ActivityTitle => ("Aktivitet", "Activity"),
        TopicsTitle => ("Samtalernes emner", "Conversation topics"),
        HelpTitle => ("Hjælp givet", "Help given"),
        AppointmentsTitle => ("Aftaler efter type og udfald", "Appointments by kind and outcome"),
        NoShowsTitle => ("Udeblivelser", "No-shows"),
        DifferenceTitle => ("Forskel med og uden påmindelse", "Difference with and without a reminder"),
        TrendTitle => ("Udeblivelser måned for måned", "No-shows month by month"),
        FollowUpsTitle => ("Opfølgninger med frist i perioden", "Follow-ups due in the period"),
        SurveyTitle => ("Borgernes tilfredshed", "Citizens' satisfaction"),
        ColCode => ("Kode", "Code"),
        ColFigure => ("Opgørelse", "Figure"),
        ColCount => ("Antal", "Count"),
        ColTopic => ("Emne", "Topic"),
        ColConversations => ("Samtaler", "Conversations"),
        ColShareOfTopics => ("Andel af samtaler med emner (%)", "Share of conversations with topics (%)"),
        ColHelp => ("Hjælp", "Help"),
        ColShareOfHelp => ("Andel af samtaler med hjælp (%)", "Share of conversations with help (%)"),
        ColKind => ("Type", "Kind"),
        ColAttended => ("Mødt op", "Attended"),
        ColNoShow => ("Udeblevet", "No-show"),
        ColOutcomeBeforeStart => ("Udfald registreret før start", "Outcome recorded before the start"),
        ColCancelledByCitizen => ("Aflyst af borgeren", "Cancelled by the citizen"),
        ColCancelledByWorker => ("Aflyst af medarbejderen", "Cancelled by the worker"),
        ColOpen => ("Uden udfald", "No outcome"),
        ColTotal => ("I alt", "Total"),
        ColGroup => ("Gruppe", "Group"),
        ColWithOutcome => ("Aftaler med udfald", "Appointments with an outcome"),
        ColNoShows => ("Udeblivelser", "No-shows"),
        ColRate => ("Udeblivelser (%)", "No-show rate (%)"),
        ColLow => ("95 %-interval fra (%)", "95% interval from (%)"),
        ColHigh => ("95 %-interval til (%)", "95% interval to (%)"),
        ColComparison => ("Sammenligning", "Comparison"),
        ColDifference => ("Forskel (procentpoint)", "Difference (percentage points)"),
        ColLowPoints => ("95 %-interval fra (procentpoint)", "95% interval from (percentage points)"),
        ColHighPoints => ("95 %-interval til (procentpoint)", "95% interval to (percentage points)"),
        ColMonth => ("Måned", "Month"),
        ColStatus => ("Status", "Status"),
        ColStatement => ("Udsagn", "Statement"),
        ColAnswered => ("Svar", "Answers"),
        ColAgree => ("Enige", "Agreeing"),
        ColShareAgree => ("Andel enige (%)", "Share agreeing (%)"),
        RowCitizensMet => ("Forskellige borgere mødt", "Distinct citizens met"),
        RowNewCitizens => ("Nye borgere", "New citizens"),
        RowConversations => ("Samtaler", "Conversations"),
        RowAnonymous => ("Heraf anonyme", "Of which anonymous"),
        RowAccompaniments => ("Ledsagelser", "Accompaniments"),
        RowJournalised => ("Notater journaliseret", "Notes journalised"),
        RowWithTopics => ("Samtaler med emner registreret", "Conversations with topics recorded"),
        RowWithHelp => ("Samtaler med hjælp registreret", "Conversations with help recorded"),
        RowTotal => ("I alt", "Total"),
        RowAllAppointments => ("Alle aftaler", "All appointments"),
        RowStatutory => ("Lovpligtige samtaler", "Statutory meetings"),
        RowWithReminder => ("Med påmindelse sendt", "With a reminder sent"),
        RowWithoutReminder => ("Uden påmindelse", "Without a reminder"),
        RowWithMinusWithout => ("Med påmindelse minus uden", "With a reminder minus without"),
        RowDoneOnTime => ("Udført til tiden", "Done on time"),
        RowDoneLate => ("Udført efter fristen", "Done after the due date"),
        RowOverdue => ("Fristen overskredet, ikke udført", "Overdue, not done"),
        RowNotYetDue => ("Frist ikke nået", "Not yet due"),
        RowResponses => ("Besvarelser i alt", "Responses"),
        NoteActivity => (
            "Forskellige borgere mødt: borgere med en aftale, de mødte op til, eller et notat fra en samtale i perioden. Slettede borgere tælles ikke her. Nye borgere: oprettet i perioden.",
            "Distinct citizens met: citizens with an appointment they attended, or a note of a conversation, in the period. Deleted citizens are not counted here. New citizens: registered in the period.",
        ),
        NoteActivityVenue => (
            "Forskellige borgere mødt: borgere med en aftale på værestedet, som de mødte op til. Nye borgere: oprettet i perioden og mødt på værestedet.",
            "Distinct citizens met: citizens with an appointment at the drop-in centre that they attended. New citizens: registered in the period and met there.",
        ),
        NoteTopics => (
            "En samtale kan handle om flere emner, så andelene summerer til mere end 100 %. Andelene er regnet af de samtaler, hvor emnerne er registreret.",
            "One conversation can be about several topics, so the shares add up to more than 100%. The shares are of the conversations whose topics were recorded.",
        ),
        NoteHelp => (
            "I en samtale kan der gives flere slags hjælp. Andelene er regnet af de samtaler, hvor hjælpen er registreret.",
            "Several kinds of help can be given in one conversation. The shares are of the conversations whose help was recorded.",
        ),
        NoteAppointments => (
            "En flyttet aftale tælles én gang, som den nye aftale. Udfald registreret før aftalens start tæller ikke som mødt eller udeblevet, men står for sig.",
            "A rescheduled appointment counts once, as its new appointment. Outcomes recorded before the appointment started do not count as attended or no-show but stand apart.",
        ),
        NoteNoShows => (
            "Udeblivelser i procent af aftaler med et udfald registreret efter aftalens start, med Wilsons 95 %-interval. »Med påmindelse sendt«: mindst én sms sendt eller leveret; er det uvist, om en sms blev sendt, tæller aftalen som uden. En aftale kan have flere slags påmindelser.",
            "No-shows as a share of appointments with an outcome recorded after the start, with Wilson's 95% interval. “With a reminder sent”: at least one text sent or delivered; where it is not known whether a text went out, the appointment counts as without. An appointment can have reminders of several kinds.",
        ),
        NoteDifference => (
            "Udeblivelsesprocenten med påmindelse minus uden, med Newcombes 95 %-interval. Rummer intervallet ikke 0, er forskellen næppe tilfældig; det viser ikke i sig selv, at påmindelsen er årsagen.",
            "The no-show rate with a reminder minus without, with Newcombe's 95% interval. If the interval does not include 0, the difference is unlikely to be chance; on its own it does not show that the reminder is the cause.",
        ),
        NoteTrend => ("Aftalerne efter den måned, de lå i.", "Appointments by the month they were in."),
        NoteFollowUps => ("Til tiden: udført senest på fristens dato.", "On time: done on or before the due date."),
        NoteSurvey => (
            "Enig: svar 4 eller 5 på en skala fra 1 (helt uenig) til 5 (helt enig). Besvarelserne er anonyme og gemmes kun med dato og værested.",
            "Agreeing: an answer of 4 or 5 on a scale from 1 (strongly disagree) to 5 (strongly agree). The answers are anonymous and kept with only a date and a drop-in centre.",
        ),
        LegendSmall => ("<5: mellem 1 og 4", "<5: between 1 and 4"),
        LegendHidden => (
            "..: skjult, så et lille tal ikke kan regnes ud af de andre",
            "..: hidden so that a small number cannot be worked out from the others",
        ),
        LegendUndefined => ("–: kan ikke beregnes (intet at regne på)", "–: cannot be computed (nothing to count)"),
        NotesHaveNoVenue => (
            "Notater har intet værested. Samtaler, emner, hjælp, opfølgninger og journalisering vises derfor kun i rapporten for alle væresteder.",
            "Notes carry no drop-in centre, so conversations, topics, help, follow-ups and journalising are shown only in the report for all drop-in centres.",
        ),
        NothingRecorded => ("Der er intet registreret i perioden.", "Nothing was recorded in the period."),
        NothingPersonal => (
            "Rapporten indeholder ingen personoplysninger: kun optællinger, hvor tal fra 1 til 4 er skjult.",
            "The report holds no personal data: only counts, with numbers from 1 to 4 hidden.",
        ),
        ChartTopics => ("Andel af samtaler med emner, pr. emne", "Share of conversations with topics, by topic"),
        ChartTrend => ("Udeblivelser pr. måned med 95 %-interval", "No-show rate by month, with 95% interval"),
        ChartSurvey => ("Andel enige pr. udsagn", "Share agreeing, by statement"),
        ColField => ("Felt", "Field"),
        ColValue => ("Værdi", "Value"),
        RowPeriod => ("Periode", "Period"),
        RowVenue => ("Værested", "Drop-in centre"),
        RowFrom => ("Fra", "From"),
        RowTo => ("Til", "To"),
        RowLegend => ("Tegnforklaring", "Legend"),
        RowNote => ("Bemærkning", "Note"),
    };
    pick(lang, da, en)
}

fn sms(lang: Language) -> SmsLanguage {
    match lang {
        Language::Da => SmsLanguage::Da,
        Language::En => SmsLanguage::En,
    }
}

/// "31. marts 2026" / "31 March 2026".
pub fn report_date(d: NaiveDate, lang: Language) -> String {
    format!("{} {}", template::date(d.and_time(NaiveTime::MIN), sms(lang)), d.year())
}

/// "1. januar 2026 – 31. december 2026".
pub fn report_period(from: NaiveDate, to: NaiveDate, lang: Language) -> String {
    if from == to {
        report_date(from, lang)
    } else {
        format!("{} – {}", report_date(from, lang), report_date(to, lang))
    }
}

/// `v` with one decimal and a point, rounded half away from zero ("12.5", "-3.0"), by integer
/// arithmetic: the library needs no floating-point formatting code for it. Non-finite values
/// (never produced here) are written as "0.0".
pub fn tenths(v: f64) -> String {
    let t = (v * 10.0).round();
    let t = if t.is_finite() { t as i64 } else { 0 };
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    format!("{sign}{}.{}", a / 10, a % 10)
}

/// A share as a number of per cent with one decimal: "12,5" / "12.5". Negative differences
/// keep their sign.
pub fn report_number(share: f64, lang: Language) -> String {
    let s = tenths(share * 100.0);
    match lang {
        Language::Da => s.replace('.', ","),
        Language::En => s,
    }
}

/// "12,5 %" / "12.5%": for chart labels.
pub fn report_percent(share: f64, lang: Language) -> String {
    pick(lang, format!("{} %", report_number(share, lang)), format!("{}%", report_number(share, lang)))
}

/// "Med påmindelse sendt: dagen før" / "With a reminder sent: the day before".
pub fn report_with_reminder_kind(kind: crate::reminders::ReminderKind, lang: Language) -> String {
    let name = super::label(kind.into(), lang);
    let mut chars = name.chars();
    let lower: String = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{}: {lower}", report_word(ReportWord::RowWithReminder, lang))
}

/// Notes whose topics could not be read: "2 notater kunne ikke læses …".
pub fn report_unreadable_notes(n: u32, lang: Language) -> String {
    match lang {
        Language::Da => format!(
            "{} kunne ikke læses (beskadiget) og er talt med uden emner og hjælp.",
            count(n.into(), "notat", "notater")
        ),
        Language::En => format!(
            "{} could not be read (damaged) and {} counted without topics or help.",
            count(n.into(), "note", "notes"),
            if n == 1 { "is" } else { "are" }
        ),
    }
}

/// Survey answers that could not be read.
pub fn report_unreadable_answers(n: u32, lang: Language) -> String {
    match lang {
        Language::Da => {
            format!(
                "{} kunne ikke læses (beskadiget) og er ikke talt med.",
                count(n.into(), "besvarelse", "besvarelser")
            )
        }
        Language::En => format!(
            "{} could not be read (damaged) and {} not counted.",
            count(n.into(), "survey answer", "survey answers"),
            if n == 1 { "is" } else { "are" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminders::ReminderKind;

    #[test]
    fn every_word_once_with_words_in_both_languages() {
        let mut distinct: Vec<ReportWord> = Vec::new();
        for w in ReportWord::ALL {
            assert!(!distinct.contains(w), "{w:?} twice");
            distinct.push(*w);
        }
        // Exhaustive: a new word fails to compile here until it is counted.
        let listed = |w: ReportWord| -> bool {
            use ReportWord::*;
            match w {
                Title
                | AllVenues
                | AsOf
                | ActivityTitle
                | TopicsTitle
                | HelpTitle
                | AppointmentsTitle
                | NoShowsTitle
                | DifferenceTitle
                | TrendTitle
                | FollowUpsTitle
                | SurveyTitle
                | ColCode
                | ColFigure
                | ColCount
                | ColTopic
                | ColConversations
                | ColShareOfTopics
                | ColHelp
                | ColShareOfHelp
                | ColKind
                | ColAttended
                | ColNoShow
                | ColOutcomeBeforeStart
                | ColCancelledByCitizen
                | ColCancelledByWorker
                | ColOpen
                | ColTotal
                | ColGroup
                | ColWithOutcome
                | ColNoShows
                | ColRate
                | ColLow
                | ColHigh
                | ColComparison
                | ColDifference
                | ColLowPoints
                | ColHighPoints
                | ColMonth
                | ColStatus
                | ColStatement
                | ColAnswered
                | ColAgree
                | ColShareAgree
                | RowCitizensMet
                | RowNewCitizens
                | RowConversations
                | RowAnonymous
                | RowAccompaniments
                | RowJournalised
                | RowWithTopics
                | RowWithHelp
                | RowTotal
                | RowAllAppointments
                | RowStatutory
                | RowWithReminder
                | RowWithoutReminder
                | RowWithMinusWithout
                | RowDoneOnTime
                | RowDoneLate
                | RowOverdue
                | RowNotYetDue
                | RowResponses
                | NoteActivity
                | NoteActivityVenue
                | NoteTopics
                | NoteHelp
                | NoteAppointments
                | NoteNoShows
                | NoteDifference
                | NoteTrend
                | NoteFollowUps
                | NoteSurvey
                | LegendSmall
                | LegendHidden
                | LegendUndefined
                | NotesHaveNoVenue
                | NothingRecorded
                | NothingPersonal
                | ChartTopics
                | ChartTrend
                | ChartSurvey
                | ColField
                | ColValue
                | RowPeriod
                | RowVenue
                | RowFrom
                | RowTo
                | RowLegend
                | RowNote => true,
            }
        };
        assert!(distinct.iter().all(|w| listed(*w)));
        assert_eq!(distinct.len(), 90, "every word is in ReportWord::ALL (the match above lists them)");
        for lang in Language::ALL {
            for w in &distinct {
                let s = report_word(*w, lang);
                assert!(!s.trim().is_empty() && s == s.trim(), "{w:?}");
            }
        }
    }

    #[test]
    fn numbers_and_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(report_date(d, Language::Da), "31. marts 2026");
        assert_eq!(report_date(d, Language::En), "31 March 2026");
        let j = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(report_period(j, d, Language::Da), "1. januar 2026 – 31. marts 2026");
        assert_eq!(report_period(d, d, Language::En), "31 March 2026");
        assert_eq!(report_number(0.125, Language::Da), "12,5");
        assert_eq!(report_number(0.125, Language::En), "12.5");
        assert_eq!(report_number(-0.1155, Language::En), "-11.6");
        assert_eq!(report_number(-0.00001, Language::En), "0.0");
        assert_eq!(report_number(1.0, Language::Da), "100,0");
        assert_eq!(report_number(0.0155, Language::En), "1.6");
        assert_eq!(tenths(12.04), "12.0");
        assert_eq!(tenths(-0.06), "-0.1");
        assert_eq!(tenths(f64::NAN), "0.0");
        assert_eq!(report_percent(0.88, Language::Da), "88,0 %");
        assert_eq!(report_percent(0.88, Language::En), "88.0%");
        assert_eq!(report_with_reminder_kind(ReminderKind::DayBefore, Language::Da), "Med påmindelse sendt: dagen før");
        assert_eq!(
            report_with_reminder_kind(ReminderKind::HoursBefore, Language::En),
            "With a reminder sent: hours before"
        );
        assert_eq!(
            report_unreadable_notes(1, Language::Da),
            "1 notat kunne ikke læses (beskadiget) og er talt med uden emner og hjælp."
        );
        assert_eq!(
            report_unreadable_answers(2, Language::En),
            "2 survey answers could not be read (damaged) and are not counted."
        );
    }
}
