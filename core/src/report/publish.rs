//! The published report: the raw figures of a period turned into tables, chart series and
//! words in Danish or English, with every count 1–4 suppressed and nothing left from which
//! one could be worked out (see `suppress.rs`). The figures screen, the CSV files and the
//! HTML report all show this, and only this.
//!
//! All counts of all tables go into one sheet, with the sums that tie them, so a figure that
//! appears in two tables (the no-shows of statutory meetings, the accompaniments) is one
//! cell and is suppressed the same way in both.

use super::figures::{EvaluationFigures, KindCounts, REMINDER_KINDS};
use super::stats::{self, Proportion};
use super::suppress::{CellId, Sheet, Shown, Suppressed};
use crate::appointments::AppointmentKind;
use crate::messages::{self, report_word as word, Language, ReportWord as W};
use crate::survey::Statement;
use chrono::NaiveDate;

/// A share or rate as published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pct {
    /// 0..=1 for a share, -1..=1 for a difference.
    Value(f64),
    /// Hidden: its count is suppressed (shown as "..").
    Hidden,
    /// Nothing to compute it from (shown as "–").
    Undefined,
}

impl Pct {
    pub fn value(self) -> Option<f64> {
        match self {
            Pct::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// One cell of a published table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// The row's name.
    Label(String),
    Count(Shown),
    /// A share or rate, shown in per cent.
    Percent(Pct),
    /// A difference of two rates, shown in percentage points.
    Points(Pct),
}

/// How a suppressed count is shown.
pub const SMALL: &str = "<5";
pub const HIDDEN: &str = "..";
pub const UNDEFINED: &str = "–";

impl Cell {
    /// The cell as text: counts as digits, shares as per cent with one decimal ("12,5" in
    /// Danish), suppressed counts as "<5" or "..", what cannot be computed as "–".
    pub fn text(&self, lang: Language) -> String {
        match self {
            Cell::Label(s) => s.clone(),
            Cell::Count(Shown::Count(n)) => n.to_string(),
            Cell::Count(Shown::Small) => SMALL.into(),
            Cell::Count(Shown::Hidden) => HIDDEN.into(),
            Cell::Percent(p) | Cell::Points(p) => match p {
                Pct::Value(v) => messages::report_number(*v, lang),
                Pct::Hidden => HIDDEN.into(),
                Pct::Undefined => UNDEFINED.into(),
            },
        }
    }

    /// The number behind the cell, when shown: a count, or a share (0..=1).
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Label(_) => None,
            Cell::Count(s) => s.value().map(f64::from),
            Cell::Percent(p) | Cell::Points(p) => p.value(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// A stable code (`attended`, `rate`), the same in every language.
    pub code: &'static str,
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// A stable code (`mental_health`, `2026-03`, `total`), the same in every language.
    pub code: String,
    /// One per column; the first is the row's name.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// A stable code (`topics`): the CSV file's name and the HTML section's id.
    pub code: &'static str,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// What the figures mean, in a sentence or two.
    pub note: Option<String>,
}

/// A bar of a chart: a share with its count (and an interval, where there is one).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub code: String,
    pub label: String,
    pub share: Pct,
    pub count: Shown,
    /// The base of the share.
    pub n: Shown,
}

/// A month of the no-show trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub year: i32,
    pub month: u32,
    /// `2026-03`.
    pub label: String,
    pub n: Shown,
    pub no_shows: Shown,
    pub rate: Pct,
    /// Wilson's 95 % interval, when the rate is shown.
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// The evaluation report as a team leader reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationReport {
    pub language: Language,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// "1. januar 2026 – 31. december 2026".
    pub period: String,
    pub venue_id: Option<String>,
    /// The venue's name, or "Alle væresteder".
    pub venue: String,
    pub as_of: NaiveDate,
    /// "Opgjort 3. februar 2027".
    pub as_of_text: String,
    /// Nothing was recorded in the period (the tables are there, with zeros).
    pub empty: bool,
    pub tables: Vec<Table>,
    /// Topics as shares of conversations with topics (empty for a venue: notes have none).
    pub topics: Vec<Bar>,
    pub trend: Vec<TrendPoint>,
    /// Share agreeing, by statement.
    pub survey: Vec<Bar>,
    /// What "<5", ".." and "–" mean.
    pub legend: Vec<String>,
    /// Caveats: notes without a venue, damaged rows, nothing recorded, nothing personal.
    pub notes: Vec<String>,
}

impl EvaluationReport {
    pub fn table(&self, code: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.code == code)
    }
}

/// A proportion's cells in the sheet: n, events and the unpublished rest (n − events).
#[derive(Clone, Copy)]
struct PropCells {
    n: CellId,
    events: CellId,
}

impl PropCells {
    /// A proportion whose events (and, when given, non-events) are already cells.
    fn with(sheet: &mut Sheet, p: Proportion, events: Option<CellId>, rest: Option<CellId>) -> Self {
        let n = sheet.count(p.n);
        let events = events.unwrap_or_else(|| sheet.count(p.events));
        let rest = rest.unwrap_or_else(|| sheet.unpublished(p.n - p.events));
        sheet.sum(n, &[rest, events]);
        PropCells { n, events }
    }

    fn new(sheet: &mut Sheet, p: Proportion) -> Self {
        Self::with(sheet, p, None, None)
    }
}

/// A share of two published counts: hidden when either is, undefined over 0.
fn share(s: &Suppressed, count: CellId, base: CellId) -> Pct {
    match (s.get(count), s.get(base)) {
        (_, Shown::Count(0)) => Pct::Undefined,
        (Shown::Count(c), Shown::Count(b)) => Pct::Value(f64::from(c) / f64::from(b)),
        _ => Pct::Hidden,
    }
}

/// Rate and interval cells of a proportion, when its counts are shown.
fn rate_cells(s: &Suppressed, c: PropCells, p: Proportion) -> [Cell; 3] {
    let rate = share(s, c.events, c.n);
    let (low, high) = match (rate, p.wilson()) {
        (Pct::Value(_), Some(i)) => (Pct::Value(i.low), Pct::Value(i.high)),
        (r, _) => (r, r),
    };
    [Cell::Percent(rate), Cell::Percent(low), Cell::Percent(high)]
}

fn column(code: &'static str, w: W, lang: Language) -> Column {
    Column { code, heading: word(w, lang).to_string() }
}

fn label(s: impl Into<String>) -> Cell {
    Cell::Label(s.into())
}

/// The order in which a kind's counts are entered and shown.
const KIND_COLUMNS: [(&str, W); 6] = [
    ("attended", W::ColAttended),
    ("no_show", W::ColNoShow),
    ("outcome_before_start", W::ColOutcomeBeforeStart),
    ("cancelled_by_citizen", W::ColCancelledByCitizen),
    ("cancelled_by_worker", W::ColCancelledByWorker),
    ("open", W::ColOpen),
];

fn kind_values(k: &KindCounts) -> [u32; 6] {
    [k.attended, k.no_show, k.outcome_before_start, k.cancelled_by_citizen, k.cancelled_by_worker, k.open]
}

/// Turns the raw figures into the published report in `lang`.
pub fn publish(f: &EvaluationFigures, lang: Language) -> EvaluationReport {
    let mut sheet = Sheet::new();

    // Appointments by kind and outcome: rows, row totals, column totals, grand total.
    let grid: Vec<[CellId; 6]> = f.appointments.iter().map(|k| kind_values(k).map(|v| sheet.count(v))).collect();
    let row_totals: Vec<CellId> = f.appointments.iter().map(|k| sheet.count(k.total())).collect();
    for (cells, total) in grid.iter().zip(&row_totals) {
        sheet.sum(*total, cells);
    }
    let col_totals: [CellId; 6] = std::array::from_fn(|j| {
        let v: u32 = f.appointments.iter().map(|k| kind_values(k)[j]).sum();
        sheet.count(v)
    });
    for (j, total) in col_totals.iter().enumerate() {
        let col: Vec<CellId> = grid.iter().map(|r| r[j]).collect();
        sheet.sum(*total, &col);
    }
    let grand = sheet.count(f.appointments.iter().map(KindCounts::total).sum());
    sheet.sum(grand, &row_totals);
    sheet.sum(grand, &col_totals);
    let kind_row = |kind: AppointmentKind| f.appointments.iter().position(|k| k.kind == kind);

    // Activity.
    let met = sheet.count(f.citizens_met);
    let new = sheet.count(f.new_citizens);
    let accompaniments = kind_row(AppointmentKind::Accompaniment).map(|i| grid[i][0]);

    // No-shows: the overall and statutory figures are the grid's cells.
    let ns = &f.no_shows;
    let overall = PropCells::with(&mut sheet, ns.overall, Some(col_totals[1]), Some(col_totals[0]));
    let statutory = match kind_row(AppointmentKind::StatutoryMeeting) {
        Some(i) => PropCells::with(&mut sheet, ns.statutory, Some(grid[i][1]), Some(grid[i][0])),
        None => PropCells::new(&mut sheet, ns.statutory),
    };
    let with = PropCells::new(&mut sheet, ns.with_reminder);
    let without = PropCells::new(&mut sheet, ns.without_reminder);
    sheet.sum(overall.n, &[with.n, without.n]);
    sheet.sum(overall.events, &[with.events, without.events]);
    let by_kind: Vec<PropCells> = ns.by_reminder_kind.iter().map(|(_, p)| PropCells::new(&mut sheet, *p)).collect();
    let months: Vec<PropCells> = ns.months.iter().map(|m| PropCells::new(&mut sheet, m.overall)).collect();
    if !months.is_empty() {
        let n: Vec<CellId> = months.iter().map(|m| m.n).collect();
        let e: Vec<CellId> = months.iter().map(|m| m.events).collect();
        sheet.sum(overall.n, &n);
        sheet.sum(overall.events, &e);
    }

    // Notes (all venues only).
    struct NoteCells {
        conversations: CellId,
        anonymous: CellId,
        journalised: CellId,
        with_topics: CellId,
        topics: Vec<CellId>,
        with_help: CellId,
        help: Vec<CellId>,
        follow_ups: [CellId; 4],
        due: CellId,
    }
    let note_cells = f.notes.as_ref().map(|n| {
        let conversations = sheet.count(n.conversations);
        let anonymous = sheet.count(n.anonymous_conversations);
        let named = sheet.unpublished(n.conversations - n.anonymous_conversations);
        sheet.sum(conversations, &[anonymous, named]);
        let fu = &n.follow_ups;
        let follow_ups = [fu.done_on_time, fu.done_late, fu.overdue, fu.not_yet_due].map(|v| sheet.count(v));
        let due = sheet.count(fu.due());
        sheet.sum(due, &follow_ups);
        NoteCells {
            conversations,
            anonymous,
            journalised: sheet.count(n.journalised),
            with_topics: sheet.count(n.with_topics),
            topics: n.topics.iter().map(|(_, c)| sheet.count(*c)).collect(),
            with_help: sheet.count(n.with_help),
            help: n.help_given.iter().map(|(_, c)| sheet.count(*c)).collect(),
            follow_ups,
            due,
        }
    });

    // Survey: responses; per statement answered and agreeing.
    let responses = sheet.count(f.survey.responses);
    let statements: Vec<(CellId, CellId)> =
        f.survey.statements.iter().map(|t| (sheet.count(t.answered), sheet.count(t.agree()))).collect();

    let s = sheet.suppress();
    let count = |c: CellId| Cell::Count(s.get(c));
    let mut tables = Vec::new();

    // Activity.
    let mut rows = vec![
        Row { code: "citizens_met".into(), cells: vec![label(word(W::RowCitizensMet, lang)), count(met)] },
        Row { code: "new_citizens".into(), cells: vec![label(word(W::RowNewCitizens, lang)), count(new)] },
    ];
    if let Some(n) = &note_cells {
        rows.push(Row {
            code: "conversations".into(),
            cells: vec![label(word(W::RowConversations, lang)), count(n.conversations)],
        });
        rows.push(Row {
            code: "anonymous_conversations".into(),
            cells: vec![label(word(W::RowAnonymous, lang)), count(n.anonymous)],
        });
    }
    if let Some(a) = accompaniments {
        rows.push(Row {
            code: "accompaniments".into(),
            cells: vec![label(word(W::RowAccompaniments, lang)), count(a)],
        });
    }
    if let Some(n) = &note_cells {
        rows.push(Row {
            code: "notes_journalised".into(),
            cells: vec![label(word(W::RowJournalised, lang)), count(n.journalised)],
        });
    }
    tables.push(Table {
        code: "activity",
        title: word(W::ActivityTitle, lang).into(),
        columns: vec![column("figure", W::ColFigure, lang), column("count", W::ColCount, lang)],
        rows,
        note: Some(word(if f.venue.is_some() { W::NoteActivityVenue } else { W::NoteActivity }, lang).into()),
    });

    // Topics and help.
    let mut topic_bars = Vec::new();
    if let (Some(n), Some(cells)) = (&f.notes, &note_cells) {
        let mut rows = Vec::new();
        for ((topic, _), c) in n.topics.iter().zip(&cells.topics) {
            let name = messages::label((*topic).into(), lang);
            let pct = share(&s, *c, cells.with_topics);
            rows.push(Row { code: topic.as_str().into(), cells: vec![label(name), count(*c), Cell::Percent(pct)] });
            topic_bars.push(Bar {
                code: topic.as_str().into(),
                label: name.into(),
                share: pct,
                count: s.get(*c),
                n: s.get(cells.with_topics),
            });
        }
        rows.push(Row {
            code: "with_topics".into(),
            cells: vec![
                label(word(W::RowWithTopics, lang)),
                count(cells.with_topics),
                Cell::Percent(share(&s, cells.with_topics, cells.with_topics)),
            ],
        });
        tables.push(Table {
            code: "topics",
            title: word(W::TopicsTitle, lang).into(),
            columns: vec![
                column("topic", W::ColTopic, lang),
                column("conversations", W::ColConversations, lang),
                column("share", W::ColShareOfTopics, lang),
            ],
            rows,
            note: Some(word(W::NoteTopics, lang).into()),
        });
        let mut rows = Vec::new();
        for ((help, _), c) in n.help_given.iter().zip(&cells.help) {
            rows.push(Row {
                code: help.as_str().into(),
                cells: vec![
                    label(messages::label((*help).into(), lang)),
                    count(*c),
                    Cell::Percent(share(&s, *c, cells.with_help)),
                ],
            });
        }
        rows.push(Row {
            code: "with_help".into(),
            cells: vec![
                label(word(W::RowWithHelp, lang)),
                count(cells.with_help),
                Cell::Percent(share(&s, cells.with_help, cells.with_help)),
            ],
        });
        tables.push(Table {
            code: "help_given",
            title: word(W::HelpTitle, lang).into(),
            columns: vec![
                column("help", W::ColHelp, lang),
                column("conversations", W::ColConversations, lang),
                column("share", W::ColShareOfHelp, lang),
            ],
            rows,
            note: Some(word(W::NoteHelp, lang).into()),
        });
    }

    // Appointments by kind and outcome.
    let mut columns = vec![column("kind", W::ColKind, lang)];
    columns.extend(KIND_COLUMNS.iter().map(|(code, w)| column(code, *w, lang)));
    columns.push(column("total", W::ColTotal, lang));
    let mut rows: Vec<Row> = f
        .appointments
        .iter()
        .zip(grid.iter().zip(&row_totals))
        .map(|(k, (cells, total))| {
            let mut out = vec![label(messages::label(k.kind.into(), lang))];
            out.extend(cells.iter().map(|c| count(*c)));
            out.push(count(*total));
            Row { code: k.kind.as_str().into(), cells: out }
        })
        .collect();
    let mut total_row = vec![label(word(W::RowTotal, lang))];
    total_row.extend(col_totals.iter().map(|c| count(*c)));
    total_row.push(count(grand));
    rows.push(Row { code: "total".into(), cells: total_row });
    tables.push(Table {
        code: "appointments",
        title: word(W::AppointmentsTitle, lang).into(),
        columns,
        rows,
        note: Some(word(W::NoteAppointments, lang).into()),
    });

    // No-shows.
    let prop_row = |code: &str, name: String, c: PropCells, p: Proportion| {
        let mut cells = vec![label(name), count(c.n), count(c.events)];
        cells.extend(rate_cells(&s, c, p));
        Row { code: code.into(), cells }
    };
    let mut rows = vec![
        prop_row("all", word(W::RowAllAppointments, lang).into(), overall, ns.overall),
        prop_row("statutory_meeting", word(W::RowStatutory, lang).into(), statutory, ns.statutory),
        prop_row("with_reminder", word(W::RowWithReminder, lang).into(), with, ns.with_reminder),
        prop_row("without_reminder", word(W::RowWithoutReminder, lang).into(), without, ns.without_reminder),
    ];
    for ((kind, p), c) in ns.by_reminder_kind.iter().zip(&by_kind) {
        let code = format!("with_reminder_{}", kind.as_str());
        rows.push(prop_row(&code, messages::report_with_reminder_kind(*kind, lang), *c, *p));
    }
    debug_assert_eq!(ns.by_reminder_kind.len(), REMINDER_KINDS.len());
    let rate_columns = |first: (&'static str, W)| {
        vec![
            column(first.0, first.1, lang),
            column("appointments_with_outcome", W::ColWithOutcome, lang),
            column("no_shows", W::ColNoShows, lang),
            column("rate", W::ColRate, lang),
            column("low", W::ColLow, lang),
            column("high", W::ColHigh, lang),
        ]
    };
    tables.push(Table {
        code: "no_shows",
        title: word(W::NoShowsTitle, lang).into(),
        columns: rate_columns(("group", W::ColGroup)),
        rows,
        note: Some(word(W::NoteNoShows, lang).into()),
    });

    // The difference with and without a reminder.
    let both_shown = [with, without].iter().all(|c| s.get(c.n).is_shown() && s.get(c.events).is_shown());
    let difference = match stats::difference(ns.with_reminder, ns.without_reminder) {
        None => [Pct::Undefined; 3],
        Some(_) if !both_shown => [Pct::Hidden; 3],
        Some((d, i)) => [Pct::Value(d), Pct::Value(i.low), Pct::Value(i.high)],
    };
    tables.push(Table {
        code: "no_show_difference",
        title: word(W::DifferenceTitle, lang).into(),
        columns: vec![
            column("comparison", W::ColComparison, lang),
            column("difference", W::ColDifference, lang),
            column("low", W::ColLowPoints, lang),
            column("high", W::ColHighPoints, lang),
        ],
        rows: vec![Row {
            code: "with_minus_without".into(),
            cells: vec![
                label(word(W::RowWithMinusWithout, lang)),
                Cell::Points(difference[0]),
                Cell::Points(difference[1]),
                Cell::Points(difference[2]),
            ],
        }],
        note: Some(word(W::NoteDifference, lang).into()),
    });

    // Month by month.
    let mut trend = Vec::new();
    let mut rows = Vec::new();
    for (m, c) in ns.months.iter().zip(&months) {
        let code = format!("{:04}-{:02}", m.year, m.month);
        let [rate, low, high] = rate_cells(&s, *c, m.overall);
        let bound = |cell: &Cell| match cell {
            Cell::Percent(Pct::Value(v)) => Some(*v),
            _ => None,
        };
        trend.push(TrendPoint {
            year: m.year,
            month: m.month,
            label: code.clone(),
            n: s.get(c.n),
            no_shows: s.get(c.events),
            rate: match rate {
                Cell::Percent(p) => p,
                _ => Pct::Undefined,
            },
            low: bound(&low),
            high: bound(&high),
        });
        rows.push(Row { code: code.clone(), cells: vec![label(code), count(c.n), count(c.events), rate, low, high] });
    }
    tables.push(Table {
        code: "no_show_trend",
        title: word(W::TrendTitle, lang).into(),
        columns: rate_columns(("month", W::ColMonth)),
        rows,
        note: Some(word(W::NoteTrend, lang).into()),
    });

    // Follow-ups.
    if let Some(n) = &note_cells {
        let names = [W::RowDoneOnTime, W::RowDoneLate, W::RowOverdue, W::RowNotYetDue];
        let codes = ["done_on_time", "done_late", "overdue", "not_yet_due"];
        let mut rows: Vec<Row> = codes
            .iter()
            .zip(names)
            .zip(&n.follow_ups)
            .map(|((code, w), c)| Row { code: (*code).into(), cells: vec![label(word(w, lang)), count(*c)] })
            .collect();
        rows.push(Row { code: "total".into(), cells: vec![label(word(W::RowTotal, lang)), count(n.due)] });
        tables.push(Table {
            code: "follow_ups",
            title: word(W::FollowUpsTitle, lang).into(),
            columns: vec![column("status", W::ColStatus, lang), column("count", W::ColCount, lang)],
            rows,
            note: Some(word(W::NoteFollowUps, lang).into()),
        });
    }

    // Survey.
    let mut survey_bars = Vec::new();
    let mut rows = Vec::new();
    for (statement, (answered, agree)) in Statement::ALL.iter().zip(&statements) {
        let name = messages::survey_statement_short(*statement, lang);
        let pct = share(&s, *agree, *answered);
        rows.push(Row {
            code: statement.as_str().into(),
            cells: vec![label(name), count(*answered), count(*agree), Cell::Percent(pct)],
        });
        survey_bars.push(Bar {
            code: statement.as_str().into(),
            label: name.into(),
            share: pct,
            count: s.get(*agree),
            n: s.get(*answered),
        });
    }
    // Forms in all; a form has no agreeing count of its own.
    rows.push(Row {
        code: "responses".into(),
        cells: vec![
            label(word(W::RowResponses, lang)),
            count(responses),
            Cell::Percent(Pct::Undefined),
            Cell::Percent(Pct::Undefined),
        ],
    });
    tables.push(Table {
        code: "survey",
        title: word(W::SurveyTitle, lang).into(),
        columns: vec![
            column("statement", W::ColStatement, lang),
            column("answers", W::ColAnswered, lang),
            column("agreeing", W::ColAgree, lang),
            column("share_agreeing", W::ColShareAgree, lang),
        ],
        rows,
        note: Some(word(W::NoteSurvey, lang).into()),
    });

    // Caveats.
    let empty = f.is_empty();
    let mut notes = Vec::new();
    if empty {
        notes.push(word(W::NothingRecorded, lang).to_string());
    }
    if f.venue.is_some() {
        notes.push(word(W::NotesHaveNoVenue, lang).to_string());
    }
    if let Some(n) = f.notes.as_ref().filter(|n| n.unreadable > 0) {
        notes.push(messages::report_unreadable_notes(n.unreadable, lang));
    }
    if f.survey.unreadable > 0 {
        notes.push(messages::report_unreadable_answers(f.survey.unreadable, lang));
    }
    notes.push(word(W::NothingPersonal, lang).to_string());

    EvaluationReport {
        language: lang,
        title: word(W::Title, lang).into(),
        from: f.from,
        to: f.to,
        period: messages::report_period(f.from, f.to, lang),
        venue_id: f.venue.as_ref().map(|v| v.id.clone()),
        venue: f.venue.as_ref().map_or_else(|| word(W::AllVenues, lang).to_string(), |v| v.name.clone()),
        as_of: f.as_of,
        as_of_text: format!("{} {}", word(W::AsOf, lang), messages::report_date(f.as_of, lang)),
        empty,
        tables,
        topics: topic_bars,
        trend,
        survey: survey_bars,
        legend: [W::LegendSmall, W::LegendHidden, W::LegendUndefined]
            .iter()
            .map(|w| word(*w, lang).to_string())
            .collect(),
        notes,
    }
}
