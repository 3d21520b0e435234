//! The evaluation report and the survey from the CLI, as a team leader and a script use them:
//! the real binary on a real vault in a temporary folder, filled with recognisable personal
//! data that must never reach the figures, the JSON or the files written.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PIN: &str = "112358";
/// Tuesday 31 March 2026, 12:00 in Copenhagen.
const NOW: &str = "2026-03-31T10:00:00Z";
const MARCH: [&str; 4] = ["--from", "2026-03-01", "--to", "2026-03-31"];

/// What the vault holds that is personal: none of it may appear in any output of the report.
const PERSONAL: &[&str] = &[
    "Ingeborg",
    "Quistgaard",
    "Uhrskov",
    "29876543",
    "29 87 65 43",
    "2987 6543",
    "+4529876543",
    "28112233",
    "28 11 22 33",
    "SAG-4711",
    "kolonihave",
    "Fjordhuset",
    "Lene Sørensen",
    "61223344",
    "61 22 33 44",
];

struct Cli {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brobygger"));
    for var in ["BROBYGGER_VAULT", "BROBYGGER_PIN", "BROBYGGER_NEW_PIN", "BROBYGGER_RECOVERY_KEY"] {
        c.env_remove(var);
    }
    c
}

impl Cli {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("v");
        Cli { tmp, dir }
    }

    /// A path in the temporary folder, beside the vault.
    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    fn run_with_pin(&self, args: &[&str], pin: Option<&str>) -> Output {
        let mut c = bin();
        c.arg("--vault").arg(&self.dir).args(["--now", NOW]).args(args).stdin(Stdio::null());
        if let Some(pin) = pin {
            c.env("BROBYGGER_PIN", pin);
        }
        c.output().unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_pin(args, Some(PIN))
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    fn text(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A failure under `--json`: exit status and the error object, the one line on stderr.
    fn fails_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        failure(args, &out)
    }

    /// A failure in plain text: exit status and the one line on stderr.
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
        (out.status.code().unwrap_or(-1), err.trim_end().to_string())
    }

    fn id(v: &Value) -> String {
        v["id"].as_str().unwrap().to_string()
    }

    /// A vault with a venue, two citizens, notes, follow-ups, appointments with outcomes and
    /// six survey forms: the venue's id, and the ids of the personal records.
    fn filled(&self) -> (String, Vec<String>) {
        self.json(&["init"]);
        self.json(&["worker", "set", "--name", "Lene Sørensen", "--phone", "61223344"]);
        let venue = Cli::id(&self.json(&["venue", "add", "--name", "Borgercaféen", "--address", "Valby Langgade 9"]));
        let ingeborg = Cli::id(&self.json(&[
            "citizen",
            "add",
            "--name",
            "Ingeborg Quistgaard",
            "--phone",
            "+45 2987 6543",
            "--sms-consent",
            "verbal",
            "--case-ref",
            "SAG-4711",
        ]));
        let mads = Cli::id(&self.json(&["citizen", "add", "--name", "Mads Uhrskov", "--phone", "28 11 22 33"]));
        let mut ids = vec![ingeborg.clone(), mads.clone()];
        for (citizen, text, topic) in [
            (&ingeborg, "Drømmer om en kolonihave; søger bolig", "finances_housing"),
            (&mads, "Mads vil på Fjordhuset til afrusning", "alcohol_drugs"),
            (&ingeborg, "Ingeborg taler om sin angst", "mental_health"),
        ] {
            let n = Cli::id(&self.json(&[
                "note",
                "add",
                "--citizen",
                citizen,
                "--text",
                text,
                "--topic",
                topic,
                "--help-given",
                "forms",
                "--occurred-at",
                "2026-03-10T10:00",
            ]));
            self.json(&["note", "finalize", &n]);
            ids.push(n.clone());
            self.json(&["note", "follow-up", &n, "--text", "Ring til Fjordhuset for Ingeborg", "--due", "2026-03-20"]);
        }
        for (day, citizen, outcome) in [
            ("02", &ingeborg, "attended"),
            ("03", &ingeborg, "attended"),
            ("04", &ingeborg, "attended"),
            ("05", &ingeborg, "no_show"),
            ("09", &mads, "attended"),
            ("10", &mads, "attended"),
            ("11", &mads, "attended"),
        ] {
            let at = format!("2026-03-{day}T10:00");
            let a = Cli::id(&self.json(&["appointment", "add", "--citizen", citizen, "--venue", &venue, "--at", &at]));
            self.json(&["appointment", "outcome", &a, outcome]);
            ids.push(a);
        }
        for answers in ["5,4,5,5,4", "5,,4,5,3", "4,4,4,4,4", "5,5,5,5,5", "3,4,5,2,1", "5,4,4,4,2"] {
            self.json(&["survey", "add", "--venue", &venue, "--answers", answers, "--date", "2026-03-12"]);
        }
        (venue, ids)
    }
}

fn failure(args: &[&str], out: &Output) -> (i32, Value) {
    assert!(!out.status.success(), "{args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let e = serde_json::from_str(&err).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}"));
    (out.status.code().unwrap_or(-1), e)
}

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

fn evaluation<'a>(args: &[&'a str]) -> Vec<&'a str> {
    with(&["report", "evaluation"], args)
}

/// The report of March 2026, with `args`.
fn march<'a>(args: &[&'a str]) -> Vec<&'a str> {
    with(&evaluation(&MARCH), args)
}

fn survey_add<'a>(venue: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    with(&["survey", "add", "--venue", venue], args)
}

/// Fails naming the first piece of personal data (or a personal record's id) in `text`.
fn no_personal_data(what: &str, text: &str, ids: &[String]) {
    for p in PERSONAL.iter().copied().chain(ids.iter().map(String::as_str)) {
        assert!(!text.contains(p), "{what} holds personal data: {p}");
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> =
        v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

fn sorted<'a>(k: &[&'a str]) -> Vec<&'a str> {
    let mut k = k.to_vec();
    k.sort_unstable();
    k
}

fn cell_texts(row: &Value) -> Vec<&str> {
    row["cells"].as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap()).collect()
}

/// The rows of `table` (JSON) each have a line in `text` showing their cells in order.
fn every_row_is_shown(table: &Value, text: &str) {
    for row in table["rows"].as_array().unwrap() {
        let cells = cell_texts(row);
        let shown = text.lines().any(|line| {
            let mut rest = line;
            line.trim_start().starts_with(cells[0])
                && cells.iter().all(|c| match rest.find(c) {
                    Some(i) => {
                        rest = &rest[i + c.len()..];
                        true
                    }
                    None => false,
                })
        });
        assert!(shown, "{} row {} not shown as {cells:?}:\n{text}", table["code"], row["code"]);
    }
}

#[test]
fn the_report_on_screen_as_json_and_in_files_holds_no_personal_data() {
    let cli = Cli::new();
    let (venue, ids) = cli.filled();
    // The scan below is not vacuous: the vault holds the data it looks for.
    let citizens = cli.json(&["citizen", "list"]).to_string();
    assert!(citizens.contains("Quistgaard") && citizens.contains("+4529876543") && citizens.contains("SAG-4711"));
    let venue_args = with(&MARCH, &["--venue", &venue[..8]]);
    for (lang, args) in [("en", MARCH.to_vec()), ("da", MARCH.to_vec()), ("en", venue_args.clone())] {
        let mut report_args = vec!["report", "evaluation", "--lang", lang];
        report_args.extend(&args);
        let r = cli.json(&report_args);
        let text = cli.text(&report_args);
        no_personal_data("plain text", &text, &ids);
        no_personal_data("JSON", &r.to_string(), &ids);
        assert_eq!(r["language"], lang);
        assert_eq!((r["from"].as_str(), r["to"].as_str()), (Some("2026-03-01"), Some("2026-03-31")));
        assert_eq!(r["empty"], false);
        // The plain text is the report as the core words it: title, period, every table and
        // every row with its cells as shown (suppressed ones as "<5" and ".."), the legend.
        for key in ["title", "period", "venue", "as_of_text"] {
            assert!(text.contains(r[key].as_str().unwrap()), "{key} missing:\n{text}");
        }
        for t in r["tables"].as_array().unwrap() {
            assert!(text.contains(t["title"].as_str().unwrap()), "{}", t["code"]);
            every_row_is_shown(t, &text);
        }
        for l in r["legend"].as_array().unwrap() {
            assert!(text.contains(l.as_str().unwrap()), "legend {l}");
        }
        let survey = r["tables"].as_array().unwrap().iter().find(|t| t["code"] == "survey").unwrap();
        let responses = survey["rows"].as_array().unwrap().iter().find(|row| row["code"] == "responses").unwrap();
        assert_eq!(responses["cells"][1]["text"], "6", "six forms typed in");
        assert_eq!(responses["cells"][1]["value"], 6, "a count is an integer");
        // Two of the six agree with the last statement: fewer than five, so suppressed.
        let right_time = survey["rows"].as_array().unwrap().iter().find(|row| row["code"] == "right_time").unwrap();
        assert_eq!(right_time["cells"][2]["text"], "<5");
        assert_eq!(
            (right_time["cells"][2]["suppressed"].as_bool(), &right_time["cells"][2]["value"]),
            (Some(true), &Value::Null)
        );
        assert!(text.lines().any(|l| l.contains(right_time["cells"][0]["text"].as_str().unwrap()) && l.contains("<5")));
    }
    let one = cli.json(&with(&["report", "evaluation"], &venue_args));
    assert_eq!((one["venue_id"].as_str(), one["venue"].as_str()), (Some(venue.as_str()), Some("Borgercaféen")));
    let all = cli.json(&with(&["report", "evaluation"], &MARCH));
    assert_eq!(all["venue_id"], Value::Null);

    // CSV: one file per table, under the core's names, Danish headings with --lang da.
    let da = cli.json(&with(&["report", "evaluation", "--lang", "da"], &MARCH));
    let folder = cli.path("csv");
    let folder_arg = folder.to_str().unwrap();
    let written = cli.json(&with(&["report", "evaluation", "--lang", "da", "--csv", folder_arg], &MARCH));
    let names: Vec<&str> = written["files"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    let tables = da["tables"].as_array().unwrap();
    assert_eq!(names.len(), tables.len() + 1, "00-about.csv and one per table");
    assert_eq!(names[0], "00-about.csv");
    let mut on_disk: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    on_disk.sort();
    assert_eq!(on_disk, names, "the files listed are the files written");
    for (i, t) in tables.iter().enumerate() {
        let name = format!("{:02}-{}.csv", i + 1, t["code"].as_str().unwrap());
        let content = std::fs::read_to_string(folder.join(&name)).unwrap();
        no_personal_data(&name, &content, &ids);
        let header = content.trim_start_matches('\u{feff}').lines().next().unwrap();
        let headings: Vec<&str> =
            t["columns"].as_array().unwrap().iter().map(|c| c["heading"].as_str().unwrap()).collect();
        assert_eq!(header, format!("Kode;{}", headings.join(";")), "{name}: Danish headings, Danish separator");
        for row in t["rows"].as_array().unwrap() {
            let code = row["code"].as_str().unwrap();
            assert!(content.lines().any(|l| l.starts_with(&format!("{code};"))), "{name}: row {code}");
        }
    }
    no_personal_data("00-about.csv", &std::fs::read_to_string(folder.join("00-about.csv")).unwrap(), &ids);
    let plain = cli.text(&with(&["report", "evaluation", "--csv", cli.path("csv-en").to_str().unwrap()], &MARCH));
    for n in &names {
        assert!(plain.contains(n), "plain output lists {n}: {plain}");
    }
    let en_header = std::fs::read_to_string(cli.path("csv-en").join(names[1])).unwrap();
    assert!(en_header.trim_start_matches('\u{feff}').starts_with("Code,"), "{en_header}");

    // HTML: one self-contained page.
    let page = cli.path("report.html");
    let w = cli.json(&with(&["report", "evaluation", "--html", page.to_str().unwrap()], &venue_args));
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(w["bytes"].as_u64(), Some(html.len() as u64));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(one["title"].as_str().unwrap()) && html.contains("Borgercaféen"));
    for outside in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(outside), "the page loads nothing from outside: {outside}");
    }
    no_personal_data("HTML", &html, &ids);
}

/// The JSON names scripts rely on: a renamed field in the FFI record cannot change them.
#[test]
fn report_json_field_names_are_pinned() {
    let cli = Cli::new();
    let (venue, _) = cli.filled();
    let r = cli.json(&with(&["report", "evaluation", "--venue", &venue], &MARCH));
    assert_eq!(
        keys(&r),
        sorted(&[
            "language",
            "title",
            "from",
            "to",
            "period",
            "venue_id",
            "venue",
            "as_of",
            "as_of_text",
            "empty",
            "tables",
            "topics",
            "trend",
            "survey",
            "legend",
            "notes",
        ])
    );
    let tables = r["tables"].as_array().unwrap();
    let codes: Vec<&str> = tables.iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"survey") && codes.contains(&"no_shows"), "{codes:?}");
    for t in tables {
        assert_eq!(keys(t), sorted(&["code", "title", "columns", "rows", "note"]));
        for c in t["columns"].as_array().unwrap() {
            assert_eq!(keys(c), sorted(&["code", "heading"]));
        }
        for row in t["rows"].as_array().unwrap() {
            assert_eq!(keys(row), sorted(&["code", "cells"]));
            for c in row["cells"].as_array().unwrap() {
                assert_eq!(keys(c), sorted(&["kind", "text", "value", "suppressed"]));
                let kind = c["kind"].as_str().unwrap();
                assert!(["label", "count", "percent", "points"].contains(&kind), "{kind}");
            }
        }
    }
    for bar in r["survey"]
        .as_array()
        .unwrap()
        .iter()
        .chain(cli.json(&with(&["report", "evaluation"], &MARCH))["topics"].as_array().unwrap())
    {
        assert_eq!(keys(bar), sorted(&["code", "label", "share", "text"]));
    }
    let trend = r["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 1, "one month");
    assert_eq!(keys(&trend[0]), sorted(&["year", "month", "label", "rate", "low", "high", "text"]));
    assert_eq!((trend[0]["year"].as_i64(), trend[0]["month"].as_u64()), (Some(2026), Some(3)));

    let s = cli.json(&["survey", "add", "--venue", &venue, "--answers", "5,,4,5,3"]);
    assert_eq!(keys(&s), sorted(&["venue_id", "venue", "date", "answers"]));
    let st = cli.json(&["survey", "statements"]);
    assert_eq!(keys(&st), sorted(&["language", "title", "intro", "statements", "scale", "skip"]));
    assert_eq!(keys(&st["statements"][0]), sorted(&["number", "code", "text", "short"]));
    assert_eq!(keys(&st["scale"][0]), sorted(&["value", "label"]));
    let csv = cli.json(&with(&["report", "evaluation", "--csv", cli.path("c").to_str().unwrap()], &MARCH));
    assert_eq!(keys(&csv), sorted(&["dir", "files"]));
    let html = cli.json(&with(&["report", "evaluation", "--html", cli.path("r.html").to_str().unwrap()], &MARCH));
    assert_eq!(keys(&html), sorted(&["file", "bytes"]));
}

#[test]
fn bad_input_is_refused_in_the_catalogues_words_with_a_code_and_exit_1() {
    let cli = Cli::new();
    let (venue, _) = cli.filled();
    let nowhere = if venue.starts_with('f') { "0".repeat(32) } else { "f".repeat(32) };
    // (command, code, flag, English message, Danish message with --lang da)
    let cases: Vec<(Vec<&str>, &str, &str, &str, &str)> = vec![
        (
            evaluation(&["--from", "2026-03-31", "--to", "2026-03-01"]),
            "invalid_input",
            "--to",
            "--to: must not be before the from date.",
            "--to: må ikke ligge før fra-datoen.",
        ),
        (
            evaluation(&["--from", "2021-01-01", "--to", "2026-01-01"]),
            "invalid_input",
            "--to",
            "--to: the period may be at most five years.",
            "--to: perioden må højst være fem år.",
        ),
        (
            evaluation(&["--from", "2026-03-01", "--to", "2026-03-31", "--venue", &nowhere]),
            "not_found",
            "--venue",
            "--venue: The drop-in centre was not found.",
            "--venue: Værestedet blev ikke fundet.",
        ),
        (
            survey_add(&venue, &["--answers", "5,4,9,5,4"]),
            "invalid_input",
            "--answers",
            "--answers: each answer must be between 1 and 5.",
            "--answers: hvert svar skal være mellem 1 og 5.",
        ),
        (
            survey_add(&venue, &["--answers", "0,4,4,5,4"]),
            "invalid_input",
            "--answers",
            "--answers: each answer must be between 1 and 5.",
            "--answers: hvert svar skal være mellem 1 og 5.",
        ),
        (
            survey_add(&venue, &["--answers", "5,4,x,5,4"]),
            "invalid_input",
            "--answers",
            "--answers: each answer must be between 1 and 5.",
            "--answers: hvert svar skal være mellem 1 og 5.",
        ),
        (
            survey_add(&venue, &["--answers", "5,4,5,5"]),
            "invalid_input",
            "--answers",
            "--answers: five answers are needed, one per statement.",
            "--answers: der skal være fem svar, ét pr. udsagn.",
        ),
        (
            survey_add(&venue, &["--answers", "5,4,5,5,4,3"]),
            "invalid_input",
            "--answers",
            "--answers: five answers are needed, one per statement.",
            "--answers: der skal være fem svar, ét pr. udsagn.",
        ),
        (
            survey_add(&venue, &["--answers", ",,,,"]),
            "invalid_input",
            "--answers",
            "--answers: at least one statement must be answered.",
            "--answers: mindst ét udsagn skal besvares.",
        ),
        (
            survey_add(&venue, &["--answers", "5,4,5,5,4", "--date", "2026-04-01"]),
            "invalid_input",
            "--date",
            "--date: is in the future.",
            "--date: ligger i fremtiden.",
        ),
        (
            vec!["survey", "add", "--venue", &nowhere, "--answers", "5,4,5,5,4"],
            "not_found",
            "--venue",
            "--venue: The drop-in centre was not found.",
            "--venue: Værestedet blev ikke fundet.",
        ),
    ];
    for (args, code, flag, en, da) in cases {
        let (status, e) = cli.fails_json(&args);
        assert_eq!(status, 1, "{args:?}");
        assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some(code), Some(flag)), "{args:?}: {e}");
        assert_eq!(e["message"], en, "{args:?}");
        let (status, line) = cli.fails(&args);
        assert_eq!((status, line), (1, format!("brobygger: {en}")), "{args:?}");
        let (status, line) = cli.fails(&with(&args, &["--lang", "da"]));
        assert_eq!((status, line), (1, format!("brobygger: {da}")), "{args:?}");
    }
    // Refused forms are not counted.
    let r = cli.json(&evaluation(&MARCH));
    let survey_table = r["tables"].as_array().unwrap().iter().find(|t| t["code"] == "survey").unwrap();
    let responses = survey_table["rows"].as_array().unwrap().iter().find(|row| row["code"] == "responses").unwrap();
    assert_eq!(responses["cells"][1]["text"], "6");

    // What the CLI reads itself: a date that is not one, an id that is not one, a prefix
    // no venue has; the flag is named.
    for (args, code, flag) in [
        (evaluation(&["--from", "1 March", "--to", "2026-03-31"]), "invalid_input", "--from"),
        (evaluation(&["--from", "2026-03-01", "--to", "2026-02-30"]), "invalid_input", "--to"),
        (evaluation(&["--from", "2026-03-01", "--to", "2026-03-31", "--venue", "nowhere"]), "invalid_input", "--venue"),
        (evaluation(&["--from", "2026-03-01", "--to", "2026-03-31", "--venue", &nowhere[..8]]), "not_found", "--venue"),
        (survey_add(&venue, &["--answers", "5,4,5,5,4", "--date", "31/03/2026"]), "invalid_input", "--date"),
    ] {
        let (status, e) = cli.fails_json(&args);
        assert_eq!((status, e["error"].as_str(), e["flag"].as_str()), (1, Some(code), Some(flag)), "{args:?}: {e}");
        assert!(e["message"].as_str().unwrap().starts_with(&format!("{flag}: ")), "{e}");
    }
    // Bad usage: exit 2.
    for args in [
        evaluation(&["--from", "2026-03-01"]),
        evaluation(&["--from", "2026-03-01", "--to", "2026-03-31", "--lang", "sv"]),
        vec!["survey", "add", "--venue", &venue],
        vec!["survey", "statements", "--lang", "de"],
    ] {
        let (status, e) = cli.fails_json(&args);
        assert_eq!((status, e["error"].as_str()), (2, Some("usage")), "{args:?}");
    }
}

#[test]
fn exports_never_write_over_files_without_force() {
    let cli = Cli::new();
    let _ = cli.filled();

    // A folder with something in it: refused, and before the PIN is asked for.
    let folder = cli.path("exports");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("01-activity.csv"), "mine").unwrap();
    let dir = folder.to_str().unwrap();
    let out = cli.run_with_pin(&with(&["--json"], &march(&["--csv", dir])), None);
    let (status, e) = failure(&["--csv"], &out);
    assert_eq!((status, e["error"].as_str(), e["flag"].as_str()), (1, Some("output_exists"), Some("--csv")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("--force"), "{e}");
    assert_eq!(std::fs::read_to_string(folder.join("01-activity.csv")).unwrap(), "mine", "untouched");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "nothing written");
    let w = cli.json(&march(&["--csv", dir, "--force"]));
    assert_ne!(std::fs::read_to_string(folder.join("01-activity.csv")).unwrap(), "mine", "replaced with --force");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), w["files"].as_array().unwrap().len());
    // A new folder, even a nested one, is made.
    let nested = cli.path("a/b/c");
    cli.json(&march(&["--csv", nested.to_str().unwrap()]));
    assert!(nested.join("00-about.csv").is_file());
    // A file where the folder should be: refused even with --force.
    let file = cli.path("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let (_, e) = cli.fails_json(&march(&["--csv", file.to_str().unwrap(), "--force"]));
    assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some("output_exists"), Some("--csv")));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");

    // HTML: a file that exists is refused, then replaced with --force; a folder never.
    let page = cli.path("report.html");
    std::fs::write(&page, "old").unwrap();
    let (status, e) = cli.fails_json(&march(&["--html", page.to_str().unwrap()]));
    assert_eq!((status, e["error"].as_str(), e["flag"].as_str()), (1, Some("output_exists"), Some("--html")));
    let (status, line) = cli.fails(&march(&["--html", page.to_str().unwrap()]));
    assert_eq!(status, 1);
    assert!(
        line.starts_with("brobygger: --html: ") && line.contains("already exists") && line.contains("--force"),
        "{line}"
    );
    assert_eq!(std::fs::read_to_string(&page).unwrap(), "old");
    cli.json(&march(&["--html", page.to_str().unwrap(), "--force"]));
    assert!(std::fs::read_to_string(&page).unwrap().starts_with("<!DOCTYPE html>"));
    let (_, e) = cli.fails_json(&march(&["--html", dir, "--force"]));
    assert_eq!(e["error"], "output_exists");
    // A folder that is not there: the write fails, saying so.
    let (status, e) = cli.fails_json(&march(&["--html", cli.path("missing/r.html").to_str().unwrap()]));
    assert_eq!((status, e["error"].as_str(), e["flag"].as_str()), (1, Some("output"), Some("--html")));

    // --force alone, or both exports at once: bad usage.
    for args in [march(&["--force"]), march(&["--csv", "x", "--html", "y"])] {
        let (status, e) = cli.fails_json(&args);
        assert_eq!((status, e["error"].as_str()), (2, Some("usage")), "{args:?}");
    }
    assert!(!Path::new("x").exists() && !Path::new("y").exists());
}

#[test]
fn forms_typed_in_count_in_the_report_of_their_day() {
    let cli = Cli::new();
    cli.json(&["init"]);
    let venue = Cli::id(&cli.json(&["venue", "add", "--name", "Værestedet Solsikken"]));
    let added = cli.json(&["survey", "add", "--venue", &venue[..6], "--answers", " 5, ,4,5,3"]);
    assert_eq!(added["date"], "2026-03-31", "today at the venue");
    assert_eq!(added["venue"], "Værestedet Solsikken");
    assert_eq!(added["answers"], serde_json::json!([5, null, 4, 5, 3]));
    let text = cli.text(&["survey", "add", "--venue", &venue, "--answers", "1,2,3,4,5", "--date", "2026-02-27"]);
    assert_eq!(text.trim_end(), "Form recorded at Værestedet Solsikken, 2026-02-27: 1, 2, 3, 4, 5");

    let answered = |from: &str, to: &str| -> Vec<String> {
        let r = cli.json(&["report", "evaluation", "--from", from, "--to", to, "--venue", &venue]);
        let t = r["tables"].as_array().unwrap().iter().find(|t| t["code"] == "survey").unwrap().clone();
        t["rows"].as_array().unwrap().iter().map(|row| row["cells"][1]["text"].as_str().unwrap().to_string()).collect()
    };
    // One form in March, one in February: each under five, so shown as "<5"; the blank
    // statement has none in March.
    assert_eq!(answered("2026-03-01", "2026-03-31"), ["<5", "0", "<5", "<5", "<5", "<5"]);
    assert_eq!(answered("2026-02-01", "2026-02-28"), ["<5", "<5", "<5", "<5", "<5", "<5"]);
}

#[test]
fn the_statements_and_scale_come_from_the_catalogue_without_a_vault() {
    // No vault, no PIN: the words of a paper form.
    let bare = |args: &[&str]| {
        let out = bin().args(args).stdin(Stdio::null()).current_dir(std::env::temp_dir()).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    for lang in ["en", "da"] {
        let j: Value = serde_json::from_str(&bare(&["--json", "survey", "statements", "--lang", lang])).unwrap();
        let text = bare(&["survey", "statements", "--lang", lang]);
        assert_eq!(j["language"], lang);
        let statements = j["statements"].as_array().unwrap();
        assert_eq!(statements.len(), 5);
        let codes: Vec<&str> = statements.iter().map(|s| s["code"].as_str().unwrap()).collect();
        assert_eq!(
            codes,
            ["held_at_venue_positive", "safe_and_at_ease", "listened_to", "about_what_mattered", "right_time"]
        );
        let scale: Vec<u64> = j["scale"].as_array().unwrap().iter().map(|s| s["value"].as_u64().unwrap()).collect();
        assert_eq!(scale, [1, 2, 3, 4, 5]);
        // The plain form shows every statement and step in order, and the choice not to answer.
        let mut rest = text.as_str();
        let words = statements
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .chain(j["scale"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()))
            .chain([j["skip"].as_str().unwrap()]);
        for w in words {
            let at = rest.find(w).unwrap_or_else(|| panic!("{w} not in order in:\n{text}"));
            rest = &rest[at + w.len()..];
        }
    }
    let en: Value = serde_json::from_str(&bare(&["--json", "survey", "statements"])).unwrap();
    let da: Value = serde_json::from_str(&bare(&["--json", "survey", "statements", "--lang", "DA"])).unwrap();
    assert_eq!(en["language"], "en", "English unless asked");
    assert_ne!(en["statements"][0]["text"], da["statements"][0]["text"]);
}
