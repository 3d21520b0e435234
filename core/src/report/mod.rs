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

mod no_show;
pub mod stats;
pub mod suppress;

pub use no_show::{NoShowReport, Rate};
pub use stats::{Interval, Proportion};
pub use suppress::Shown;
