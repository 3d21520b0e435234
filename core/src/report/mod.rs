//! The figures the municipalities report (SPEC §2 G), produced on the phone from the vault,
//! with nothing personal in them.
//!
//! - `figures.rs`: the raw counts of a period (and a venue): citizens met, conversations by
//!   topic, help given, appointments by kind and outcome, follow-ups, journalising, no-shows
//!   (overall, statutory, with and without a reminder, by reminder kind, month by month) and
//!   the satisfaction survey. Read in memory; nothing decrypted is written.
//! - `stats.rs`: Wilson intervals and Newcombe's interval for a difference.
//! - `suppress.rs`: small-count suppression (1–4 shown as "<5", and what would give them away).
//! - `publish.rs`: the published report: tables, chart series and words, suppressed.
//! - `csv.rs`, `html.rs`: the exports.
//! - `no_show.rs`: the first, simpler no-show figures.
//!
//! Layers: figures sit with the capabilities they read; `publish`, `csv` and `html` put words
//! on them, so they use the message catalogue (`crate::messages`) and sit above it.

pub mod csv;
pub mod figures;
pub mod html;
mod no_show;
pub mod publish;
pub mod stats;
pub mod suppress;

pub use csv::CsvFile;
pub use figures::{
    EvaluationFigures, FollowUpFigures, KindCounts, MonthFigures, NoShowFigures, NoteFigures, ReportVenue,
};
pub use no_show::{NoShowReport, Rate};
pub use publish::{Bar, Cell, Column, EvaluationReport, Pct, Row, Table, TrendPoint};
pub use stats::{Interval, Proportion};
pub use suppress::Shown;

use crate::error::CoreResult;
use crate::messages::Language;
use crate::vault::Vault;
use chrono::NaiveDate;

impl Vault {
    /// The evaluation report for `from..=to` (local dates, at most five years), at
    /// `venue_id` or all venues, in `language`, suppressed and ready to show or export.
    /// An empty period gives a report with zeros that says so.
    pub fn evaluation_report(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        venue_id: Option<&str>,
        language: Language,
    ) -> CoreResult<EvaluationReport> {
        Ok(publish::publish(&self.evaluation_figures(from, to, venue_id)?, language))
    }
}

impl EvaluationReport {
    /// The report as CSV files, one table per file (see `csv.rs`).
    pub fn to_csv(&self) -> Vec<CsvFile> {
        csv::csv_files(self)
    }

    /// The report as one self-contained, printable HTML page (see `html.rs`).
    pub fn to_html(&self) -> String {
        html::html(self)
    }
}
