//! The exports' structure: the HTML page is well formed, self-contained (no script, no link,
//! nothing fetched), has a section per table, the charts' bars, points and whiskers for what
//! is shown and markers for what is suppressed; the CSV files parse, one table each, with the
//! report's numbers in the language's format.

mod common;

use brobygger_core::messages::Language;
use brobygger_core::report::{Cell, EvaluationReport, Pct};
use brobygger_core::*;
use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use common::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, 0, 0).unwrap()
}

/// A small vault: 40 conversations (one topic in 2 of them), 30 appointments over three months
/// with a few no-shows, and some survey forms.
fn report(lang: Language) -> (Fixture, EvaluationReport) {
    let f = fixture();
    let v = &f.vault;
    f.clock.set(Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap());
    v.unlock(PIN).ok();
    v.set_auto_lock_minutes(240).unwrap();
    let place = v
        .add_venue(NewVenue {
            name: "Café <Kvarteret> & Co".into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: false,
            time_zone: None,
        })
        .unwrap();
    let c = v.add_citizen(NewCitizen { nickname: "Qwertzbo".into(), ..Default::default() }).unwrap();
    let mut ids = Vec::new();
    for i in 0..30u32 {
        let start = at(2026, 1 + i / 10, 2 + i % 10, 10);
        let b = v
            .book_appointment(NewAppointment {
                citizen_id: c.id.clone(),
                venue_id: Some(place.id.clone()),
                local_start: start,
                duration_minutes: 30,
                kind: if i % 2 == 0 { AppointmentKind::StatutoryMeeting } else { AppointmentKind::Conversation },
                outside_place: None,
            })
            .unwrap();
        ids.push(b.appointment.id);
    }
    f.clock.set(Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap());
    v.unlock(PIN).unwrap();
    for (i, id) in ids.iter().enumerate() {
        // January: 6 no-shows of 10; February: 2 of 10; March: none.
        let no_show = (i < 10 && i % 10 < 6) || (10..12).contains(&i);
        v.set_outcome(id, if no_show { Outcome::NoShow } else { Outcome::Attended }).unwrap();
    }
    for i in 0..40u32 {
        let topics = match i % 8 {
            0 => vec![Topic::MentalHealth, Topic::FinancesHousing],
            1 => vec![Topic::AlcoholDrugs],
            3 if i < 16 => vec![Topic::FinancesHousing, Topic::Other],
            _ => vec![Topic::FinancesHousing],
        };
        v.create_note(NoteInput {
            citizen_id: (i % 4 != 0).then(|| c.id.clone()),
            text: format!("Qnotetext {i}"),
            topics,
            help_given: vec![HelpGiven::Forms],
            occurred_at: Some(Utc.with_ymd_and_hms(2026, 2, 1, 10, 0, 0).unwrap() + Duration::hours(i as i64)),
        })
        .unwrap();
    }
    for i in 0..12u32 {
        v.add_survey_answer(
            &place.id,
            Some(d(2026, 2, 1 + i)),
            &[Some(5), Some(4), Some(if i < 2 { 1 } else { 4 }), None, Some(3)],
        )
        .unwrap();
    }
    let r = v.evaluation_report(d(2026, 1, 1), d(2026, 3, 31), None, lang).unwrap();
    (f, r)
}

/// Tags in order, checked for balance: a tiny well-formedness check of the page.
fn check_balanced(html: &str) -> Vec<String> {
    const VOID: [&str; 2] = ["meta", "br"];
    let mut stack: Vec<String> = Vec::new();
    let mut all = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let close = rest.find('>').expect("an unclosed tag");
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if tag.starts_with('!') {
            continue;
        }
        assert!(!tag.contains('<'), "a stray < in {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(top, name, "</{name}> closes <{top}>");
            continue;
        }
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        all.push(name.clone());
        if !(tag.ends_with('/') || VOID.contains(&name.as_str())) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
    all
}

#[test]
fn the_html_page_is_well_formed_self_contained_and_complete() {
    for lang in Language::ALL {
        let (_f, r) = report(lang);
        let html = r.to_html();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!(r#"<html lang="{}">"#, lang.as_str())));
        let tags = check_balanced(&html);
        for banned in ["script", "link", "img", "iframe", "object", "embed", "a", "form", "input"] {
            assert!(!tags.iter().any(|t| t == banned), "<{banned}>");
        }
        let lower = html.to_lowercase();
        for banned in ["http:", "https:", "src=", "href=", "url(", "@import", "javascript", "onload", "onclick"] {
            assert!(!lower.contains(banned), "{banned}");
        }
        assert!(lower.contains("@media print") && lower.contains("@page"), "printable");
        // The venue's name is escaped, never markup.
        assert!(!html.contains("<Kvarteret>"));
        // A section and a table per table.
        for t in &r.tables {
            assert!(html.contains(&format!(r#"<section id="{}">"#, t.code)), "{}", t.code);
            let table = format!(r#"<table id="t-{c}" aria-labelledby="h-{c}">"#, c = t.code);
            assert_eq!(html.matches(&table).count(), 1, "{}", t.code);
            let title = t.title.replace('&', "&amp;").replace('\'', "&#39;");
            assert!(html.contains(&format!(r#"<h2 id="h-{}">{title}</h2>"#, t.code)), "{}", t.code);
        }
        assert_eq!(tags.iter().filter(|t| *t == "table").count(), r.tables.len());
        // Topics: a bar for each shown share, a marker for each suppressed one.
        let shown = r.topics.iter().filter(|b| b.share.value().is_some()).count();
        let topics = &html[html.find(r#"<section id="topics">"#).unwrap()..];
        let topics = &topics[..topics.find("</section>").unwrap()];
        assert_eq!(topics.matches(r#"<rect class="bar""#).count(), shown);
        assert_eq!(topics.matches(r#"class="suppressed""#).count(), r.topics.len() - shown);
        assert!(r.topics.iter().any(|b| b.share == Pct::Hidden), "the data has a small topic: {:?}", r.topics);
        // The trend: a point and three whisker lines per month with a rate; a marker otherwise.
        let with_rate = r.trend.iter().filter(|p| p.rate.value().is_some()).count();
        assert_eq!(r.trend.len(), 3);
        assert!((1..3).contains(&with_rate), "February's 2 no-shows are hidden: {:?}", r.trend);
        let trend = &html[html.find(r#"<section id="no_show_trend">"#).unwrap()..];
        let trend = &trend[..trend.find("</section>").unwrap()];
        assert_eq!(trend.matches(r#"<circle class="point""#).count(), with_rate);
        assert_eq!(trend.matches(r#"<line class="whisker""#).count(), 3 * with_rate);
        assert_eq!(trend.matches(r#"class="suppressed""#).count(), r.trend.len() - with_rate);
        let joined = r.trend.windows(2).filter(|w| w.iter().all(|p| p.rate.value().is_some())).count();
        let runs = (0..r.trend.len())
            .filter(|&i| r.trend[i].rate.value().is_some() && (i == 0 || r.trend[i - 1].rate.value().is_none()))
            .filter(|&i| r.trend.get(i + 1).is_some_and(|p| p.rate.value().is_some()))
            .count();
        assert_eq!(trend.matches("<polyline").count(), runs, "a line joins neighbouring months with a rate");
        if joined == 0 {
            assert_eq!(runs, 0);
        }
        // The survey's bars, the legend, the notes.
        let survey = &html[html.find(r#"<section id="survey">"#).unwrap()..];
        assert_eq!(
            survey.matches(r#"<rect class="bar""#).count(),
            r.survey.iter().filter(|b| b.share.value().is_some()).count()
        );
        for l in r.legend.iter().chain(&r.notes) {
            assert!(
                html.contains(
                    &l.replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
                ),
                "{l}"
            );
        }
    }
}

/// RFC 4180 fields of one line (quoted fields may hold the separator and doubled quotes).
fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if cur.is_empty() => quoted = true,
            (false, c) if c == sep => out.push(std::mem::take(&mut cur)),
            (_, c) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[test]
fn the_csv_files_parse_one_table_each() {
    for (lang, sep) in [(Language::Da, ';'), (Language::En, ',')] {
        let (_f, r) = report(lang);
        let files = r.to_csv();
        assert_eq!(files.len(), r.tables.len() + 1);
        assert_eq!(files[0].name, "00-about.csv");
        for (file, t) in files[1..].iter().zip(&r.tables) {
            assert!(file.name.ends_with(&format!("-{}.csv", t.code)), "{}", file.name);
            let body = file.content.strip_prefix('\u{feff}').expect("a byte order mark for spreadsheets");
            assert!(body.ends_with("\r\n"));
            let lines: Vec<&str> = body.trim_end_matches("\r\n").split("\r\n").collect();
            assert_eq!(lines.len(), t.rows.len() + 1, "{}", file.name);
            let header = fields(lines[0], sep);
            assert_eq!(header.len(), t.columns.len() + 1);
            assert_eq!(&header[1..], t.columns.iter().map(|c| c.heading.clone()).collect::<Vec<_>>().as_slice());
            for (line, row) in lines[1..].iter().zip(&t.rows) {
                let f = fields(line, sep);
                assert_eq!(f.len(), header.len(), "{}: {line}", file.name);
                assert_eq!(f[0], row.code);
                for (text, cell) in f[1..].iter().zip(&row.cells) {
                    assert_eq!(*text, cell.text(lang));
                    if let (Some(n), Cell::Percent(_)) = (cell.number(), cell) {
                        // The language's decimal mark, one decimal.
                        let back: f64 = text.replace(',', ".").parse().unwrap();
                        assert!((back - n * 100.0).abs() <= 0.05 + 1e-9, "{text} vs {n}");
                        assert!(text.contains(if lang == Language::Da { ',' } else { '.' }), "{text}");
                    }
                }
            }
        }
        // The about file names the period, the venue and the legend.
        let about = &files[0].content;
        assert!(about.contains(&r.period) && about.contains(&r.venue));
        for l in &r.legend {
            assert!(about.contains(l.as_str()));
        }
    }
}

#[test]
fn the_exports_show_only_what_the_report_shows() {
    let (_f, r) = report(Language::En);
    // 10 conversations anonymous of 40; topics: mental health 5, alcohol 5, finances 35.
    let topics: Vec<(String, String)> =
        r.table("topics").unwrap().rows.iter().map(|row| (row.code.clone(), row.cells[1].text(Language::En))).collect();
    assert!(topics.contains(&("mental_health".into(), "5".into())));
    assert!(topics.contains(&("job_education_rehabilitation".into(), "0".into())));
    // February's 2 no-shows are "<5"; the survey's one disagreeing answer does not show.
    let feb = r.trend.iter().find(|p| p.label == "2026-02").unwrap();
    assert_eq!(feb.rate, Pct::Hidden);
    let html = r.to_html();
    let csv: String = r.to_csv().into_iter().map(|f| f.content).collect();
    for text in [&html, &csv] {
        assert!(!text.contains("Qnotetext"), "no note text");
        assert!(!text.contains("Qwertzbo"), "no nickname");
    }
}
