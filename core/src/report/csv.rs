//! The report as CSV files: one table per file, UTF-8, plus `00-about.csv` saying what the
//! files are (period, venue, the day they were made, the legend and the notes).
//!
//! Danish files are written the way Danish spreadsheets read them: `;` between fields and a
//! decimal comma; English files use `,` and a decimal point. Every file starts with a byte
//! order mark (so Excel reads the æ, ø and å as UTF-8) and ends its lines with CRLF (RFC
//! 4180). The first column is a stable code for each row, the same in both languages.

use super::publish::{Cell, EvaluationReport, Table};
use crate::messages::{report_date, report_word as word, Language, ReportWord as W};

/// One file of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    /// `03-topics.csv`.
    pub name: String,
    pub content: String,
}

/// The field separator for `lang`.
pub fn separator(lang: Language) -> char {
    match lang {
        Language::Da => ';',
        Language::En => ',',
    }
}

fn field(s: &str, sep: char) -> String {
    if s.contains([sep, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Text a person typed (a venue's name) or a row's name, kept from being read as a formula
/// by a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` before it
/// (OWASP's advice on CSV injection). Numbers are written as numbers and never pass here.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn line(fields: &[String], sep: char) -> String {
    let mut out: String = fields.iter().map(|f| field(f, sep)).collect::<Vec<_>>().join(&sep.to_string());
    out.push_str("\r\n");
    out
}

fn table_csv(t: &Table, lang: Language) -> String {
    let sep = separator(lang);
    let mut out = String::from("\u{feff}");
    let mut header = vec![word(W::ColCode, lang).to_string()];
    header.extend(t.columns.iter().map(|c| c.heading.clone()));
    out.push_str(&line(&header, sep));
    for r in &t.rows {
        let mut fields = vec![r.code.clone()];
        fields.extend(r.cells.iter().map(|c| match c {
            Cell::Label(l) => text(l),
            other => other.text(lang),
        }));
        out.push_str(&line(&fields, sep));
    }
    out
}

fn about_csv(r: &EvaluationReport) -> String {
    let lang = r.language;
    let sep = separator(lang);
    let mut out = String::from("\u{feff}");
    let row = |code: &str, name: &str, value: &str| line(&[code.into(), text(name), text(value)], sep);
    out.push_str(&row(word(W::ColCode, lang), word(W::ColField, lang), word(W::ColValue, lang)));
    out.push_str(&row("title", word(W::Title, lang), &r.title));
    out.push_str(&row("period", word(W::RowPeriod, lang), &r.period));
    out.push_str(&row("from", word(W::RowFrom, lang), &r.from.format("%Y-%m-%d").to_string()));
    out.push_str(&row("to", word(W::RowTo, lang), &r.to.format("%Y-%m-%d").to_string()));
    out.push_str(&row("venue", word(W::RowVenue, lang), &r.venue));
    out.push_str(&row("as_of", word(W::AsOf, lang), &report_date(r.as_of, lang)));
    for l in &r.legend {
        out.push_str(&row("legend", word(W::RowLegend, lang), l));
    }
    for n in &r.notes {
        out.push_str(&row("note", word(W::RowNote, lang), n));
    }
    for t in &r.tables {
        if let Some(n) = &t.note {
            out.push_str(&row(&format!("note_{}", t.code), &t.title, n));
        }
    }
    out
}

/// The export: `00-about.csv`, then one file per table in the report's order.
pub fn csv_files(r: &EvaluationReport) -> Vec<CsvFile> {
    let mut files = vec![CsvFile { name: "00-about.csv".into(), content: about_csv(r) }];
    for (i, t) in r.tables.iter().enumerate() {
        files.push(CsvFile { name: format!("{:02}-{}.csv", i + 1, t.code), content: table_csv(t, r.language) });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("Psykisk helbred", ';'), "Psykisk helbred");
        assert_eq!(field("12,5", ';'), "12,5");
        assert_eq!(field("12,5", ','), "\"12,5\"");
        assert_eq!(field("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
        assert_eq!(field("a\nb", ';'), "\"a\nb\"");
        assert_eq!(line(&["a".into(), "b;c".into()], ';'), "a;\"b;c\"\r\n");
    }

    #[test]
    fn typed_text_is_never_a_formula() {
        for bad in ["=HYPERLINK(\"x\")", "+45", "-1", "@SUM(A1)", "\tx"] {
            assert!(text(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(text("Borgercaféen"), "Borgercaféen");
        assert_eq!(text("<5"), "<5");
    }
}
