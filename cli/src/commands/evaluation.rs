//! The evaluation report (the figures the municipalities get): on the terminal, as JSON, or
//! exported as the core's CSV files or HTML page. Everything shown is the core's report,
//! already suppressed ("<5", "..") and in words; the CLI only lays it out and writes files.
//! An export never writes over files that are there unless `--force` says so.

use crate::app::{answer, CliError, Ctx, Reply};
use crate::codes::{parser, Code};
use crate::directory::Directory;
use crate::times::{iso_date, parse_date};
use brobygger_ffi::*;
use clap::Args;
use serde_json::{json, Value};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
#[command(group(clap::ArgGroup::new("export").args(["csv", "html"])))]
pub struct EvaluationArgs {
    /// YYYY-MM-DD
    #[arg(long)]
    from: String,
    /// YYYY-MM-DD, inclusive (the period may be at most five years)
    #[arg(long)]
    to: String,
    /// One drop-in centre [default: all]
    #[arg(long)]
    venue: Option<String>,
    /// Write the CSV files (one per table, and 00-about.csv) into this folder, made if missing
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Write the report as one self-contained HTML page to this file
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// With --csv or --html: write into a folder that is not empty, or over a file that is
    /// there (only the report's own files are replaced)
    #[arg(long, requires = "export")]
    force: bool,
    /// The language of the report, its files and its input errors
    #[arg(long, default_value = "en", value_parser = parser::<Language>())]
    lang: Language,
}

/// Where the report goes.
enum Target {
    Screen,
    Csv(PathBuf),
    Html(PathBuf),
}

pub fn run(ctx: &Ctx, a: EvaluationArgs) -> Reply {
    let from = parse_date(&a.from, "--from")?;
    let to = parse_date(&a.to, "--to")?;
    let target = match (a.csv, a.html) {
        (Some(dir), _) => Target::Csv(dir),
        (None, Some(file)) => Target::Html(file),
        (None, None) => Target::Screen,
    };
    // Refused before the PIN is asked for: nothing is computed for a file that cannot be written.
    match &target {
        Target::Csv(dir) => check_folder(dir, a.force)?,
        Target::Html(file) => check_file(file, a.force)?,
        Target::Screen => {}
    }
    let vault = ctx.unlocked()?;
    let venue = a.venue.map(|v| Directory::new(&vault).venue(&v, "--venue")).transpose()?;
    let lang = a.lang;
    let refused = |e| CliError::catalogued(e, lang);
    match target {
        Target::Screen => {
            let r = vault.evaluation_report(from, to, venue, lang).map_err(refused)?;
            Ok(answer(report_json(&r), report_text(&r)))
        }
        Target::Csv(dir) => {
            let files = vault.evaluation_csv(from, to, venue, lang).map_err(refused)?;
            let names = write_csv(&dir, &files, a.force)?;
            let mut text = format!("Wrote {} files to {}:", names.len(), dir.display());
            for n in &names {
                text.push_str(&format!("\n  {n}"));
            }
            Ok(answer(json!({"dir": dir.display().to_string(), "files": names}), text))
        }
        Target::Html(file) => {
            let html = vault.evaluation_html(from, to, venue, lang).map_err(refused)?;
            write_new(&file, html.as_bytes(), a.force, "--html")?;
            Ok(answer(
                json!({"file": file.display().to_string(), "bytes": html.len()}),
                format!("Wrote {} ({} bytes).", file.display(), html.len()),
            ))
        }
    }
}

// Files

fn exists(flag: &str, what: String) -> CliError {
    CliError::path("output_exists", flag, what)
}

fn unwritable(flag: &str, path: &Path, e: std::io::Error) -> CliError {
    CliError::path("output", flag, format!("cannot write {}: {}", path.display(), e.kind()))
}

/// The CSV folder: missing, empty, or (with `--force`) a folder whose files may be replaced.
fn check_folder(dir: &Path, force: bool) -> Result<(), CliError> {
    if dir.exists() && !dir.is_dir() {
        return Err(exists("--csv", format!("{} is a file, not a folder", dir.display())));
    }
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) if !force => Err(exists(
            "--csv",
            format!(
                "{} is not empty; name a new or empty folder, or add --force to replace the report's files in it",
                dir.display()
            ),
        )),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(unwritable("--csv", dir, e)),
    }
}

/// The HTML file: new, or (with `--force`) a file to replace; never a folder.
fn check_file(file: &Path, force: bool) -> Result<(), CliError> {
    if file.is_dir() {
        return Err(exists("--html", format!("{} is a folder, not a file", file.display())));
    }
    if file.exists() && !force {
        return Err(exists("--html", format!("{} already exists; add --force to replace it", file.display())));
    }
    Ok(())
}

/// Writes `bytes` to a new file (`create_new`, so a file that appeared since the check is not
/// written over either), or replaces it with `force`.
fn write_new(path: &Path, bytes: &[u8], force: bool, flag: &str) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut f = options.open(path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => {
            exists(flag, format!("{} already exists; add --force to replace it", path.display()))
        }
        _ => unwritable(flag, path, e),
    })?;
    f.write_all(bytes).and_then(|_| f.flush()).map_err(|e| unwritable(flag, path, e))
}

/// The CSV files under the names the core gives them; returns those names.
fn write_csv(dir: &Path, files: &[CsvFile], force: bool) -> Result<Vec<String>, CliError> {
    std::fs::create_dir_all(dir).map_err(|e| unwritable("--csv", dir, e))?;
    let mut names = Vec::new();
    for f in files {
        // The core names its files (`03-topics.csv`); a name that would leave the folder is a bug.
        if Path::new(&f.name).file_name().and_then(|n| n.to_str()) != Some(f.name.as_str()) {
            return Err(CliError::Core(BrobyggerError::Internal { reason: "csv file name".into() }));
        }
        write_new(&dir.join(&f.name), f.content.as_bytes(), force, "--csv")?;
        names.push(f.name.clone());
    }
    Ok(names)
}

// JSON: the FFI record's field names, written out here (never taken from Debug).

/// `value`: a count as an integer, a share (0..1) or a difference (-1..1) as a number, null
/// when not shown.
fn cell_json(c: &ReportCell) -> Value {
    let value = match (c.kind, c.value) {
        // Counts come from whole numbers (u32): `as` cannot lose anything here.
        (ReportCellKind::Count, Some(v)) if v.fract() == 0.0 && v >= 0.0 => json!(v as u64),
        (_, v) => json!(v),
    };
    json!({"kind": c.kind.code(), "text": c.text, "value": value, "suppressed": c.suppressed})
}

fn table_json(t: &ReportTable) -> Value {
    json!({
        "code": t.code,
        "title": t.title,
        "columns": t.columns.iter().map(|c| json!({"code": c.code, "heading": c.heading})).collect::<Vec<_>>(),
        "rows": t.rows.iter().map(|r| json!({
            "code": r.code,
            "cells": r.cells.iter().map(cell_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "note": t.note,
    })
}

fn bar_json(b: &ReportBar) -> Value {
    json!({"code": b.code, "label": b.label, "share": b.share, "text": b.text})
}

fn trend_json(p: &ReportTrendPoint) -> Value {
    json!({
        "year": p.year, "month": p.month, "label": p.label,
        "rate": p.rate, "low": p.low, "high": p.high, "text": p.text,
    })
}

pub fn report_json(r: &EvaluationReport) -> Value {
    json!({
        "language": r.language.code(),
        "title": r.title,
        "from": iso_date(&r.from),
        "to": iso_date(&r.to),
        "period": r.period,
        "venue_id": r.venue_id,
        "venue": r.venue,
        "as_of": iso_date(&r.as_of),
        "as_of_text": r.as_of_text,
        "empty": r.empty,
        "tables": r.tables.iter().map(table_json).collect::<Vec<_>>(),
        "topics": r.topics.iter().map(bar_json).collect::<Vec<_>>(),
        "trend": r.trend.iter().map(trend_json).collect::<Vec<_>>(),
        "survey": r.survey.iter().map(bar_json).collect::<Vec<_>>(),
        "legend": r.legend,
        "notes": r.notes,
    })
}

// Plain text: the report's tables laid out for a terminal.

/// Where notes are wrapped.
const WIDTH: usize = 96;
/// A figure column is at least this wide, so its heading wraps onto few lines.
const MIN_FIGURE_WIDTH: usize = 12;

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Words of `text` in lines of at most `max` characters (a longer word has a line of its own).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && width(&line) + 1 + width(word) > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// A table: the row names left, the figures right-aligned under headings wrapped to fit.
fn table_lines(t: &ReportTable) -> Vec<String> {
    let columns = t.columns.len();
    let cells = |i: usize| t.rows.iter().filter_map(move |r| r.cells.get(i)).map(|c| c.text.as_str());
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            let heading = t.columns[i].heading.as_str();
            let data = cells(i).map(width).max().unwrap_or(0);
            if i == 0 {
                data.max(width(heading))
            } else {
                let longest_word = heading.split_whitespace().map(width).max().unwrap_or(0);
                data.max(longest_word).max(width(heading).min(MIN_FIGURE_WIDTH))
            }
        })
        .collect();
    let headings: Vec<Vec<String>> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| if i == 0 { vec![c.heading.clone()] } else { wrap(&c.heading, widths[i]) })
        .collect();
    let depth = headings.iter().map(Vec::len).max().unwrap_or(0);
    let line = |parts: Vec<String>| format!("  {}", parts.join("  ").trim_end());
    let mut out = Vec::new();
    // Headings sit on the last lines, just above the figures.
    for l in 0..depth {
        out.push(line(
            headings
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let text = (l + h.len()).checked_sub(depth).and_then(|k| h.get(k)).map_or("", String::as_str);
                    if i == 0 {
                        pad_right(text, widths[i])
                    } else {
                        pad_left(text, widths[i])
                    }
                })
                .collect(),
        ));
    }
    out.push(line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for r in &t.rows {
        out.push(line(
            (0..columns)
                .map(|i| {
                    let text = r.cells.get(i).map_or("", |c| c.text.as_str());
                    if i == 0 {
                        pad_right(text, widths[i])
                    } else {
                        pad_left(text, widths[i])
                    }
                })
                .collect(),
        ));
    }
    out
}

pub fn report_text(r: &EvaluationReport) -> String {
    let mut out = vec![r.title.clone(), format!("{}, {}", r.period, r.venue), r.as_of_text.clone()];
    for t in &r.tables {
        out.push(String::new());
        out.push(t.title.clone());
        out.extend(table_lines(t));
        if let Some(n) = &t.note {
            out.extend(wrap(n, WIDTH - 2).into_iter().map(|l| format!("  {l}")));
        }
    }
    out.push(String::new());
    out.extend(r.legend.iter().cloned());
    for n in &r.notes {
        out.extend(wrap(n, WIDTH));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(kind: ReportCellKind, text: &str) -> ReportCell {
        ReportCell { kind, text: text.into(), value: None, suppressed: text == "<5" }
    }

    #[test]
    fn notes_wrap_at_word_boundaries() {
        assert_eq!(wrap("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("averyveryverylongword x", 5), vec!["averyveryverylongword", "x"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn tables_align_figures_under_wrapped_headings() {
        let t = ReportTable {
            code: "activity".into(),
            title: "Aktivitet".into(),
            columns: vec![
                ReportColumn { code: "figure".into(), heading: "Opgørelse".into() },
                ReportColumn { code: "count".into(), heading: "Andel af samtaler med emner (%)".into() },
            ],
            rows: vec![
                ReportRow {
                    code: "citizens_met".into(),
                    cells: vec![
                        cell(ReportCellKind::Label, "Forskellige borgere mødt"),
                        cell(ReportCellKind::Count, "<5"),
                    ],
                },
                ReportRow {
                    code: "conversations".into(),
                    cells: vec![cell(ReportCellKind::Label, "Samtaler"), cell(ReportCellKind::Percent, "12,5")],
                },
            ],
            note: None,
        };
        let lines = table_lines(&t);
        assert_eq!(
            lines,
            vec![
                "                                Andel af",
                "                            samtaler med",
                "  Opgørelse                    emner (%)",
                "  ------------------------  ------------",
                "  Forskellige borgere mødt            <5",
                "  Samtaler                          12,5",
            ]
        );
    }
}
