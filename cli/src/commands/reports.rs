//! Checks and figures: an SMS text's encoding and lint, the no-show report (the evaluation
//! report is `evaluation.rs`), holidays.

use crate::app::{answer, Ctx, Reply};
use crate::codes::Code;
use crate::commands::planning::list;
use crate::directory::Directory;
use crate::times::{iso_date, parse_date};
use brobygger_ffi::*;
use chrono::Datelike;
use clap::Subcommand;
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum SmsCmd {
    /// Encoding, segments, normalised text and lint flags of a text
    Check { text: String },
}

#[derive(Subcommand)]
pub enum ReportCmd {
    /// No-show figures [default: this month]
    NoShows {
        /// YYYY-MM-DD
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        venue: Option<String>,
    },
    /// The evaluation report: on screen, --json, or exported with --csv DIR or --html FILE
    Evaluation(crate::commands::evaluation::EvaluationArgs),
}

pub fn sms(cmd: SmsCmd) -> Reply {
    let SmsCmd::Check { text } = cmd;
    let c = check_sms_text(text);
    let lint: Vec<Value> = c.lint.iter().map(|f| json!({"word": f.word, "category": f.category})).collect();
    let mut text = format!("{}, {} segment(s), {} units\n{}", c.encoding.code(), c.segments, c.units, c.normalized);
    for f in &c.lint {
        text.push_str(&format!("\n  flagged: {} ({})", f.word, f.category.replace('_', " ")));
    }
    if !c.acceptable {
        text.push_str("\n  held unless the worker approves this message");
    }
    Ok(answer(
        json!({"encoding": c.encoding.code(), "segments": c.segments, "units": c.units, "normalized": c.normalized, "lint": lint, "acceptable": c.acceptable}),
        text,
    ))
}

fn rate_json(f: &RateFigures) -> Value {
    json!({"attended": f.attended, "no_show": f.no_show, "rate": f.rate})
}

fn pct(f: &RateFigures) -> String {
    match f.rate {
        Some(r) => format!("{:.1} % ({} of {})", r * 100.0, f.no_show, f.attended + f.no_show),
        None => "-".into(),
    }
}

pub fn report(ctx: &Ctx, cmd: ReportCmd) -> Reply {
    match cmd {
        ReportCmd::NoShows { from, to, venue } => no_shows(ctx, from, to, venue),
        ReportCmd::Evaluation(args) => crate::commands::evaluation::run(ctx, args),
    }
}

fn no_shows(ctx: &Ctx, from: Option<String>, to: Option<String>, venue: Option<String>) -> Reply {
    let today = ctx.today();
    let first = today.with_day(1).unwrap_or(today);
    let last = (first + chrono::Months::new(1)).pred_opt().unwrap_or(today);
    let from = match from {
        Some(s) => parse_date(&s, "--from")?,
        None => LocalDate(first),
    };
    let to = match to {
        Some(s) => parse_date(&s, "--to")?,
        None => LocalDate(last),
    };
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let venue = venue.map(|v| d.venue(&v, "--venue")).transpose()?;
    let venue_name = d.venue_name(venue.as_deref());
    let r = vault.no_show_report(from, to, venue.clone())?;
    Ok(answer(
        json!({
            "from": iso_date(&from), "to": iso_date(&to), "venue_id": venue, "venue": venue_name,
            "booked": r.booked, "attended": r.attended, "no_show": r.no_show,
            "cancelled": r.cancelled, "rescheduled": r.rescheduled, "open": r.open,
            "no_show_rate": r.overall.rate, "overall": rate_json(&r.overall), "statutory": rate_json(&r.statutory),
            "with_reminder": rate_json(&r.with_reminder), "without_reminder": rate_json(&r.without_reminder),
        }),
        format!(
            "No-shows {} to {}{}: booked {}, attended {}, no-show {}, cancelled {}, moved {}, open {}\n\
             no-show rate: {} overall, {} at statutory meetings, {} with a reminder sent, {} without",
            iso_date(&from),
            iso_date(&to),
            venue_name.map(|v| format!(" at {v}")).unwrap_or_default(),
            r.booked,
            r.attended,
            r.no_show,
            r.cancelled,
            r.rescheduled,
            r.open,
            pct(&r.overall),
            pct(&r.statutory),
            pct(&r.with_reminder),
            pct(&r.without_reminder)
        ),
    ))
}

pub fn holidays(ctx: &Ctx, year: Option<i32>) -> Reply {
    let year = year.unwrap_or_else(|| ctx.today().year());
    let h = danish_holidays(year);
    Ok(list(
        &h,
        |h| json!({"date": iso_date(&h.date), "name_da": h.name_da, "name_en": h.name_en, "official": h.official}),
        |h| {
            format!(
                "{}  {} ({}){}",
                iso_date(&h.date),
                h.name_da,
                h.name_en,
                if h.official { "" } else { ", customary" }
            )
        },
        "No holidays.",
    ))
}
