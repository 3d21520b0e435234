//! The evaluation report and the satisfaction survey for the shells: the figures screen
//! (tables and chart series, already suppressed and in words), the exports (CSV files and one
//! HTML page, which the shell saves or shares), and survey mode.
//!
//! Survey mode: `start_survey_mode` locks the vault and returns a `SurveyMode` that takes
//! forms and nothing else; every `Vault` call behind the PIN answers `Locked` until the
//! worker leaves with the PIN or biometrics. Show only the survey screens while it is active;
//! when `is_active()` turns false (15 idle minutes), show the PIN screen.

use crate::error::guard;
use crate::messages::Language;
use crate::time::LocalDate;
use crate::vault::Vault;
use crate::BrobyggerError;
use brobygger_core as core;
use core::messages as m;
use core::report as r;
use std::sync::Arc;

type R<T> = Result<T, BrobyggerError>;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReportCellKind {
    /// The row's name.
    Label,
    Count,
    /// A share or rate; `value` is 0..1, the text is in per cent.
    Percent,
    /// A difference of two rates; `value` is -1..1, the text in percentage points.
    Points,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReportCell {
    pub kind: ReportCellKind,
    /// As the report shows it: "12", "<5", "..", "12,5", "–", or the row's name.
    pub text: String,
    /// The number behind it, when it is shown.
    pub value: Option<f64>,
    /// "<5" or "..": hidden so that no count 1–4 can be worked out.
    pub suppressed: bool,
}

fn cell(c: &r::Cell, lang: m::Language) -> ReportCell {
    let (kind, suppressed) = match c {
        r::Cell::Label(_) => (ReportCellKind::Label, false),
        r::Cell::Count(s) => (ReportCellKind::Count, !s.is_shown()),
        r::Cell::Percent(p) => (ReportCellKind::Percent, *p == r::Pct::Hidden),
        r::Cell::Points(p) => (ReportCellKind::Points, *p == r::Pct::Hidden),
    };
    ReportCell { kind, text: c.text(lang), value: c.number(), suppressed }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportColumn {
    /// Stable in every language (`attended`, `rate`).
    pub code: String,
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReportRow {
    /// Stable in every language (`mental_health`, `2026-03`, `total`).
    pub code: String,
    pub cells: Vec<ReportCell>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReportTable {
    /// `activity`, `topics`, `help_given`, `appointments`, `no_shows`, `no_show_difference`,
    /// `no_show_trend`, `follow_ups`, `survey`.
    pub code: String,
    pub title: String,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<ReportRow>,
    pub note: Option<String>,
}

/// A bar of a chart (topics, survey): a share, or the marker shown instead.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReportBar {
    pub code: String,
    pub label: String,
    /// 0..1; null when suppressed or not defined.
    pub share: Option<f64>,
    /// "88,0 %", or "<5", "..", "–".
    pub text: String,
}

fn pct_text(p: r::Pct, count: r::Shown, lang: m::Language) -> String {
    match (p, count) {
        (r::Pct::Value(v), _) => m::report_percent(v, lang),
        (r::Pct::Hidden, r::Shown::Small) => r::publish::SMALL.into(),
        (r::Pct::Hidden, _) => r::publish::HIDDEN.into(),
        (r::Pct::Undefined, _) => r::publish::UNDEFINED.into(),
    }
}

fn bar(b: &r::Bar, lang: m::Language) -> ReportBar {
    ReportBar {
        code: b.code.clone(),
        label: b.label.clone(),
        share: b.share.value(),
        text: pct_text(b.share, b.count, lang),
    }
}

/// A month of the no-show trend: a point with its 95 % interval, or a marker.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReportTrendPoint {
    pub year: i32,
    pub month: u32,
    /// `2026-03`.
    pub label: String,
    pub rate: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// "5,5 %", or "<5", "..", "–".
    pub text: String,
}

/// The evaluation report: show it on the figures screen as it is.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EvaluationReport {
    pub language: Language,
    pub title: String,
    pub from: LocalDate,
    pub to: LocalDate,
    /// "1. januar 2026 – 31. december 2026".
    pub period: String,
    pub venue_id: Option<String>,
    /// The venue's name, or "Alle væresteder".
    pub venue: String,
    pub as_of: LocalDate,
    /// "Opgjort 15. januar 2027".
    pub as_of_text: String,
    /// Nothing recorded in the period: say so (the tables hold zeros).
    pub empty: bool,
    pub tables: Vec<ReportTable>,
    /// Topics as bars (empty for one venue: notes carry no venue).
    pub topics: Vec<ReportBar>,
    pub trend: Vec<ReportTrendPoint>,
    /// Share agreeing, per statement.
    pub survey: Vec<ReportBar>,
    /// The charts' headings (the tables have their own titles).
    pub topics_chart: String,
    pub trend_chart: String,
    pub survey_chart: String,
    /// What "<5", ".." and "–" mean: show it under the tables.
    pub legend: Vec<String>,
    pub notes: Vec<String>,
}

impl From<&r::EvaluationReport> for EvaluationReport {
    fn from(x: &r::EvaluationReport) -> Self {
        let lang = x.language;
        EvaluationReport {
            language: lang.into(),
            title: x.title.clone(),
            from: LocalDate(x.from),
            to: LocalDate(x.to),
            period: x.period.clone(),
            venue_id: x.venue_id.clone(),
            venue: x.venue.clone(),
            as_of: LocalDate(x.as_of),
            as_of_text: x.as_of_text.clone(),
            empty: x.empty,
            tables: x
                .tables
                .iter()
                .map(|t| ReportTable {
                    code: t.code.into(),
                    title: t.title.clone(),
                    columns: t
                        .columns
                        .iter()
                        .map(|c| ReportColumn { code: c.code.into(), heading: c.heading.clone() })
                        .collect(),
                    rows: t
                        .rows
                        .iter()
                        .map(|row| ReportRow {
                            code: row.code.clone(),
                            cells: row.cells.iter().map(|c| cell(c, lang)).collect(),
                        })
                        .collect(),
                    note: t.note.clone(),
                })
                .collect(),
            topics: x.topics.iter().map(|b| bar(b, lang)).collect(),
            trend: x
                .trend
                .iter()
                .map(|p| ReportTrendPoint {
                    year: p.year,
                    month: p.month,
                    label: p.label.clone(),
                    rate: p.rate.value(),
                    low: p.low,
                    high: p.high,
                    text: pct_text(p.rate, p.no_shows, lang),
                })
                .collect(),
            survey: x.survey.iter().map(|b| bar(b, lang)).collect(),
            topics_chart: m::report_word(m::ReportWord::ChartTopics, lang).into(),
            trend_chart: m::report_word(m::ReportWord::ChartTrend, lang).into(),
            survey_chart: m::report_word(m::ReportWord::ChartSurvey, lang).into(),
            legend: x.legend.clone(),
            notes: x.notes.clone(),
        }
    }
}

/// One file of the CSV export: save it under `name` (UTF-8 with a byte order mark).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CsvFile {
    pub name: String,
    pub content: String,
}

#[uniffi::export]
impl Vault {
    /// The evaluation report for `from..=to` (at most five years), at `venue_id` or all
    /// venues, in `language`: counts 1–4 and whatever would give them away are suppressed.
    pub fn evaluation_report(
        &self,
        from: LocalDate,
        to: LocalDate,
        venue_id: Option<String>,
        language: Language,
    ) -> R<EvaluationReport> {
        guard(|| Ok((&self.inner.evaluation_report(from.0, to.0, venue_id.as_deref(), language.into())?).into()))
    }

    /// The same report as CSV files, one table each (`;` and decimal comma in Danish).
    pub fn evaluation_csv(
        &self,
        from: LocalDate,
        to: LocalDate,
        venue_id: Option<String>,
        language: Language,
    ) -> R<Vec<CsvFile>> {
        guard(|| {
            let report = self.inner.evaluation_report(from.0, to.0, venue_id.as_deref(), language.into())?;
            Ok(report.to_csv().into_iter().map(|f| CsvFile { name: f.name, content: f.content }).collect())
        })
    }

    /// The same report as one self-contained HTML page with its charts, to open and print.
    pub fn evaluation_html(
        &self,
        from: LocalDate,
        to: LocalDate,
        venue_id: Option<String>,
        language: Language,
    ) -> R<String> {
        guard(|| Ok(self.inner.evaluation_report(from.0, to.0, venue_id.as_deref(), language.into())?.to_html()))
    }

    /// Records a form typed in by the worker (a paper form): five answers 1–5, `null` for a
    /// statement not answered; dated `date` (today at the venue when `null`).
    pub fn add_survey_answer(&self, venue_id: String, date: Option<LocalDate>, answers: Vec<Option<u32>>) -> R<()> {
        guard(|| Ok(self.inner.add_survey_answer(&venue_id, date.map(|d| d.0), &answer_bytes(&answers))?))
    }

    /// Hands the phone over for the survey at `venue_id`: locks the vault and returns the
    /// survey mode (see the module comment). Needs the vault unlocked.
    pub fn start_survey_mode(self: Arc<Self>, venue_id: String) -> R<Arc<SurveyMode>> {
        guard(|| {
            let inner = self.inner.start_survey_mode(&venue_id)?;
            Ok(Arc::new(SurveyMode { vault: self.clone(), inner }))
        })
    }
}

/// Answers as the core takes them; anything beyond a byte stays out of range (refused there).
fn answer_bytes(answers: &[Option<u32>]) -> Vec<Option<u8>> {
    answers.iter().map(|a| a.map(|v| u8::try_from(v).unwrap_or(u8::MAX))).collect()
}

/// The phone in a citizen's hands after a talk: takes forms, and shows nothing else.
#[derive(uniffi::Object)]
pub struct SurveyMode {
    vault: Arc<Vault>,
    inner: core::survey::SurveyMode,
}

#[uniffi::export]
impl SurveyMode {
    pub fn venue_id(&self) -> String {
        self.inner.venue_id().to_string()
    }

    /// Stores one form (five answers 1–5, `null` where the citizen chose not to answer),
    /// dated today at the venue. `Locked` once survey mode has ended.
    pub fn add_answer(&self, answers: Vec<Option<u32>>) -> R<()> {
        guard(|| Ok(self.inner.add_answer(&self.vault.inner, &answer_bytes(&answers))?))
    }

    /// False once survey mode has ended (left, or 15 minutes without a form): then show the
    /// PIN screen.
    pub fn is_active(&self) -> bool {
        self.inner.is_active(&self.vault.inner)
    }

    /// The worker takes the phone back: unlocks with the PIN (wrong PINs are counted as on the
    /// lock screen; survey mode goes on after one).
    pub fn leave_with_pin(&self, pin: String) -> R<()> {
        guard(|| Ok(self.inner.leave_with_pin(&self.vault.inner, &pin)?))
    }

    /// The worker takes the phone back with biometrics.
    pub fn leave_with_biometric(&self, secret: Vec<u8>) -> R<()> {
        guard(|| Ok(self.inner.leave_with_biometric(&self.vault.inner, &secret)?))
    }
}

/// The words a figures screen needs around the report: its pickers' headings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportLabels {
    pub all_venues: String,
    pub period: String,
    pub venue: String,
}

#[uniffi::export]
pub fn report_labels(language: Language) -> ReportLabels {
    let lang: m::Language = language.into();
    ReportLabels {
        all_venues: m::report_word(m::ReportWord::AllVenues, lang).into(),
        period: m::report_word(m::ReportWord::RowPeriod, lang).into(),
        venue: m::report_word(m::ReportWord::RowVenue, lang).into(),
    }
}

/// Minutes without a new form after which survey mode ends by itself (then the PIN screen).
#[uniffi::export]
pub fn survey_idle_minutes() -> u32 {
    core::survey::SURVEY_IDLE_MINUTES as u32
}

/// A statement of the survey: the sentence the citizen reads, and its short name in reports.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SurveyStatement {
    pub code: String,
    pub text: String,
    pub short: String,
}

/// The five statements, in the order a form asks them.
#[uniffi::export]
pub fn survey_statements(language: Language) -> Vec<SurveyStatement> {
    let lang: m::Language = language.into();
    core::survey::Statement::ALL
        .iter()
        .map(|s| SurveyStatement {
            code: s.as_str().into(),
            text: m::survey_statement(*s, lang).into(),
            short: m::survey_statement_short(*s, lang).into(),
        })
        .collect()
}

/// One step of the answer scale.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SurveyScaleStep {
    /// 1 (strongly disagree) to 5 (strongly agree).
    pub value: u32,
    pub label: String,
}

/// The answer scale, 1 to 5 (offer "rather not say" too: `survey_text(SKIP)`).
#[uniffi::export]
pub fn survey_scale(language: Language) -> Vec<SurveyScaleStep> {
    let lang: m::Language = language.into();
    (1..=5u8)
        .filter_map(|v| m::survey_answer(v, lang).map(|l| SurveyScaleStep { value: v.into(), label: l.into() }))
        .collect()
}

crate::types::mirror_enum!(
    /// The words of the survey screens.
    SurveyText => m::SurveyText { Title, Intro, Skip, Next, Back, Send, Thanks, HandBack, WorkerLeave, OtherLanguage });

#[uniffi::export]
pub fn survey_text(text: SurveyText, language: Language) -> String {
    m::survey_text(text.into(), language.into()).into()
}

/// "Spørgsmål 2 af 5" / "Question 2 of 5".
#[uniffi::export]
pub fn survey_progress(number: u32, language: Language) -> String {
    m::survey_progress(number as usize, language.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_and_scale_in_both_languages() {
        for lang in [Language::Da, Language::En] {
            let s = survey_statements(lang);
            assert_eq!(s.len(), 5);
            assert!(s.iter().all(|x| x.text.ends_with('.') && !x.short.is_empty()));
            let scale = survey_scale(lang);
            assert_eq!(scale.iter().map(|x| x.value).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        }
        assert_eq!(survey_text(SurveyText::OtherLanguage, Language::En), "Dansk");
        assert_eq!(survey_progress(3, Language::En), "Question 3 of 5");
    }

    struct Fixed(std::time::SystemTime);
    impl crate::Clock for Fixed {
        fn now(&self) -> std::time::SystemTime {
            self.0
        }
    }

    /// Through the FFI as a shell calls it (production KDF): survey mode, the report, the exports.
    #[test]
    fn survey_mode_and_the_report_through_the_ffi() {
        let tmp = tempfile::tempdir().unwrap();
        let keys: Arc<dyn core::KeyStore> = Arc::new(core::testing::MemoryKeyStore::new());
        // 2026-03-31 10:00 in Copenhagen.
        let clock = Arc::new(Fixed(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_774_944_000)));
        let created = crate::create_vault(
            tmp.path().join("v").display().to_string(),
            "135790".into(),
            Arc::new(crate::CoreKeyStore(keys)),
            clock,
        )
        .unwrap();
        let vault = created.vault;
        let venue = vault
            .add_venue(crate::NewVenue {
                name: "Borgercaféen".into(),
                address: None,
                kind: crate::VenueKind::Municipal,
                has_private_room: false,
                time_zone: None,
            })
            .unwrap();
        let mode = vault.clone().start_survey_mode(venue.id.clone()).unwrap();
        assert!(matches!(vault.list_notes(None, None, None), Err(BrobyggerError::Locked)));
        for _ in 0..6 {
            mode.add_answer(vec![Some(5), Some(4), None, Some(2), Some(4)]).unwrap();
        }
        assert!(matches!(mode.add_answer(vec![Some(9); 5]), Err(BrobyggerError::InvalidInput { .. })));
        assert!(matches!(mode.add_answer(vec![Some(261); 5]), Err(BrobyggerError::InvalidInput { .. })), "not 5 again");
        assert!(matches!(mode.leave_with_pin("000000".into()), Err(BrobyggerError::WrongPin { .. })));
        assert!(mode.is_active());
        mode.leave_with_pin("135790".into()).unwrap();
        assert!(!mode.is_active() && vault.is_unlocked());
        let day = LocalDate(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        let r = vault.evaluation_report(day, day, Some(venue.id.clone()), Language::Da).unwrap();
        assert_eq!(r.venue, "Borgercaféen");
        let survey = r.tables.iter().find(|t| t.code == "survey").unwrap();
        let first = &survey.rows[0];
        assert_eq!(first.cells[1].text, "6");
        assert_eq!(first.cells[3].text, "100,0");
        assert_eq!(first.cells[3].value, Some(1.0));
        let fourth = &survey.rows[3];
        assert_eq!((fourth.cells[2].text.as_str(), fourth.cells[2].suppressed), ("0", false));
        assert_eq!(r.survey[0].text, "100,0 %");
        assert_eq!(vault.evaluation_csv(day, day, None, Language::En).unwrap().len(), 10);
        assert!(vault.evaluation_html(day, day, None, Language::En).unwrap().starts_with("<!DOCTYPE html>"));
        let too_long = LocalDate(chrono::NaiveDate::from_ymd_opt(2032, 1, 1).unwrap());
        assert!(matches!(
            vault.evaluation_report(day, too_long, None, Language::Da),
            Err(BrobyggerError::InvalidInput { field, .. }) if field == "to"
        ));
        vault.add_survey_answer(venue.id.clone(), None, vec![Some(1), None, None, None, None]).unwrap();
    }
}
