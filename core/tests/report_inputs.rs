//! The evaluation report's bad input: an empty period gives an empty, correctly labelled
//! report; a period back to front, longer than five years or outside the years the core
//! knows, a venue that does not exist and a locked vault give typed errors with words in the
//! catalogue.

mod common;

use brobygger_core::messages::{self, Language};
use brobygger_core::report::{Cell, Pct, Shown};
use brobygger_core::*;
use chrono::NaiveDate;
use common::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn an_empty_period_gives_an_empty_report_that_says_so() {
    let f = fixture();
    for lang in Language::ALL {
        let r = f.vault.evaluation_report(d(2026, 3, 1), d(2026, 3, 31), None, lang).unwrap();
        assert!(r.empty);
        assert_eq!(r.notes[0], messages::report_word(messages::ReportWord::NothingRecorded, lang));
        // Every table is there, labelled, with zeros and "–" where nothing can be computed.
        let codes: Vec<&str> = r.tables.iter().map(|t| t.code).collect();
        assert_eq!(
            codes,
            vec![
                "activity",
                "topics",
                "help_given",
                "appointments",
                "no_shows",
                "no_show_difference",
                "no_show_trend",
                "follow_ups",
                "survey"
            ]
        );
        for t in &r.tables {
            assert!(!t.title.is_empty() && t.note.is_some());
            assert_eq!(t.columns.len(), t.rows[0].cells.len(), "{}", t.code);
            for row in &t.rows {
                for c in &row.cells {
                    match c {
                        Cell::Label(l) => assert!(!l.is_empty()),
                        Cell::Count(s) => assert_eq!(*s, Shown::Count(0), "{} {}", t.code, row.code),
                        Cell::Percent(p) | Cell::Points(p) => assert_eq!(*p, Pct::Undefined, "{} {}", t.code, row.code),
                    }
                }
            }
        }
        assert_eq!(r.trend.len(), 1);
        assert!(r.topics.iter().all(|b| b.share == Pct::Undefined));
        let html = r.to_html();
        assert!(html.contains(r#"<p class="empty">"#));
        assert!(html.contains(UNDEFINED));
        assert_eq!(r.to_csv().len(), 10);
    }
    // One day is a period too.
    let one = f.vault.evaluation_report(d(2026, 3, 31), d(2026, 3, 31), None, Language::En).unwrap();
    assert_eq!(one.period, "31 March 2026");
}

const UNDEFINED: &str = "–";

#[test]
fn periods_back_to_front_too_long_or_out_of_range_are_refused() {
    let f = fixture();
    let v = &f.vault;
    let cases = [
        (d(2026, 3, 2), d(2026, 3, 1), CoreError::InvalidInput { field: "to", reason: "must not be before from" }),
        (
            d(2020, 1, 1),
            d(2025, 1, 1),
            CoreError::InvalidInput { field: "to", reason: "the period may be at most five years" },
        ),
        (
            d(1800, 1, 1),
            d(1800, 2, 1),
            CoreError::InvalidInput { field: "from", reason: "outside the years 1900 to 2200" },
        ),
        (
            d(2199, 1, 1),
            d(2201, 1, 1),
            CoreError::InvalidInput { field: "to", reason: "outside the years 1900 to 2200" },
        ),
    ];
    for (from, to, want) in cases.clone() {
        assert_eq!(v.evaluation_report(from, to, None, Language::Da).unwrap_err(), want, "{from}..{to}");
        assert_eq!(v.evaluation_figures(from, to, None).unwrap_err(), want);
        for lang in Language::ALL {
            let words = messages::error(&want, lang);
            assert!(!words.contains("engelsk") && !words.contains("technical"), "{words}");
        }
    }
    assert_eq!(messages::error(&cases[1].2, Language::Da), "Til-dato: perioden må højst være fem år.");
    // Five years less a day is fine.
    assert!(v.evaluation_report(d(2021, 1, 1), d(2025, 12, 31), None, Language::Da).is_ok());
}

#[test]
fn a_venue_that_does_not_exist_and_a_locked_vault_are_refused() {
    let f = fixture();
    let v = &f.vault;
    assert_eq!(
        v.evaluation_report(d(2026, 1, 1), d(2026, 1, 31), Some(&"c".repeat(32)), Language::Da).unwrap_err(),
        CoreError::NotFound { what: "venue" }
    );
    assert_eq!(
        v.evaluation_report(d(2026, 1, 1), d(2026, 1, 31), Some("Borgercaféen"), Language::Da).unwrap_err(),
        CoreError::InvalidInput { field: "venue_id", reason: "not a Brobygger id (32 hex digits)" }
    );
    v.lock();
    assert_eq!(v.evaluation_report(d(2026, 1, 1), d(2026, 1, 31), None, Language::Da).unwrap_err(), CoreError::Locked);
}
