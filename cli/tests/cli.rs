//! The CLI contract, as scripts and support staff use it: the real binary, real files.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const PIN: &str = "112358";
/// Tuesday 31 March 2026, 12:00 in Copenhagen.
const NOW: &str = "2026-03-31T10:00:00Z";

/// A vault folder and the instant the CLI is told it is.
struct Cli {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    now: String,
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
        Cli { _tmp: tmp, dir, now: NOW.into() }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = bin();
        c.arg("--vault").arg(&self.dir).args(["--now", &self.now]).args(args).env("BROBYGGER_PIN", PIN);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).stdin(Stdio::null()).output().unwrap()
    }

    /// The command's JSON answer; it must succeed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// The command's plain text; it must succeed.
    fn text(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A failure: exit status and the one line on stderr (no panic).
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        one_line_failure(args, &out)
    }

    /// A failure under `--json`: exit status and the error object on stderr.
    fn fails_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let (code, err) = one_line_failure(args, &out);
        (code, serde_json::from_str(&err).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}")))
    }

    fn init(&self) -> Value {
        self.json(&["init"])
    }

    fn id_of(v: &Value) -> String {
        v["id"].as_str().unwrap().to_string()
    }

    fn citizen(&self, name: &str) -> String {
        Self::id_of(&self.json(&["citizen", "add", "--name", name, "--phone", "20304050", "--sms-consent", "verbal"]))
    }
}

fn one_line_failure(args: &[&str], out: &Output) -> (i32, String) {
    assert!(!out.status.success(), "{args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
    (out.status.code().unwrap_or(-1), err.trim_end().to_string())
}

/// A prefix of an id, in upper case: what a person types from a list.
fn prefix(id: &str) -> String {
    id[..7].to_uppercase()
}

#[test]
fn the_contract_end_to_end() {
    let cli = Cli::new();
    let init = cli.init();
    assert_eq!(init["recovery_key"].as_str().unwrap().len(), 64);
    let keys = cli.dir.join("cli-keys");
    assert!(keys.is_dir(), "named keys live in cli-keys/");
    assert!(std::fs::read_dir(&keys).unwrap().count() >= 2);

    let ole = cli.json(&["citizen", "add", "--name", "Ole", "--phone", "+45 2030 4050", "--sms-consent", "verbal"]);
    let id = Cli::id_of(&ole);
    assert_eq!(ole["phone"], "+4520304050");
    assert_eq!(ole["phone_display"], "20 30 40 50");
    assert_eq!(ole["phone_kind"], "mobile");
    assert_eq!(ole["sms_consent"]["method"], "verbal");
    assert_eq!(ole["can_receive_sms"], true);
    let tom = cli.json(&["citizen", "add", "--name", "Tom", "--language", "EN"]);
    assert_eq!(tom["language"], "en");

    let list = cli.json(&["citizen", "list"]);
    assert_eq!(list["citizens"].as_array().unwrap().len(), 2);
    assert_eq!(list["unreadable"], 0);
    assert_eq!(cli.json(&["citizen", "show", &prefix(&id)])["nickname"], "Ole");

    let n = cli.json(&[
        "note",
        "add",
        "--citizen",
        &prefix(&id),
        "--text",
        "Snak om flytning til Ærø",
        "--topic",
        "finances_housing",
        "--help-given",
        "forms",
        "--occurred-at",
        "2026-03-31T09:15",
    ]);
    let note_id = Cli::id_of(&n);
    assert_eq!(n["state"], "draft");
    assert_eq!(n["occurred_at"], "2026-03-31T07:15:00Z", "typed as Copenhagen time");
    let anon = cli.json(&["note", "add", "--text", "anonym samtale"]);
    assert_eq!(anon["state"], "draft");
    let shown = cli.json(&["note", "show", &prefix(&note_id)]);
    assert_eq!(shown["topics"][0], "finances_housing");
    assert_eq!(shown["citizen"], "Ole");
    let hits = cli.json(&["note", "search", "ÆRØ"]);
    assert_eq!(hits["items"].as_array().unwrap().len(), 1);
    assert_eq!(hits["items"][0]["citizen"], "Ole");
    assert_eq!(cli.json(&["note", "count", "ærø"])["matches"], 1);
    assert_eq!(cli.json(&["note", "list"])["items"].as_array().unwrap().len(), 2);
    assert_eq!(cli.json(&["note", "list", "--citizen", &id])["items"].as_array().unwrap().len(), 1);
    assert_eq!(cli.json(&["note", "finalize", &note_id])["state"], "final");
    assert_eq!(cli.json(&["note", "show", &note_id])["text"], "Snak om flytning til Ærø");

    let (code, err) = cli.fails(&["note", "edit", &note_id, "--text", "silent change"]);
    assert_eq!(code, 1);
    assert!(err.contains("amendment"), "{err}");

    let (code, err) = cli.fails_json(&["citizen", "delete", &id]);
    assert_eq!(code, 2, "delete asks for --yes");
    assert_eq!(err["error"], "usage");
    assert!(err["message"].as_str().unwrap().contains("--yes"));
    assert_eq!(cli.json(&["citizen", "show", &id])["nickname"], "Ole", "nothing deleted without --yes");
    let del = cli.json(&["citizen", "delete", &prefix(&id), "--yes"]);
    assert_eq!(del["deleted"], true);
    let (_, err) = cli.fails_json(&["citizen", "show", &id]);
    assert_eq!(err["error"], "not_found");
    assert_eq!(err["flag"], "ID");
    let st = cli.json(&["status"]);
    assert_eq!(st["kdf_iterations"], 600000);
    assert_eq!(st["unlocked"], false, "every command locks the vault when it is done");
    assert_eq!(st["pin_attempts_left"], 10);
}

#[test]
fn errors_are_one_line_typed_and_name_the_flag() {
    let cli = Cli::new();
    let (_, err) = cli.fails(&["citizen", "list"]);
    assert!(err.contains("no vault"), "{err}");
    cli.init();
    let (_, err) = cli.fails(&["citizen", "add", "--name", "Bo", "--phone", "1234"]);
    assert!(err.starts_with("brobygger: --phone: "), "{err}");
    let (code, e) = cli.fails_json(&["citizen", "add", "--name", "", "--phone", "20304050"]);
    assert_eq!((code, e["error"].as_str(), e["flag"].as_str()), (1, Some("invalid_input"), Some("--name")));
    let c = cli.citizen("Bo");
    let (_, e) = cli.fails_json(&["appointment", "add", "--citizen", &c, "--at", "1800-01-01T10:00"]);
    assert_eq!(e["flag"], "--at", "{e}");
    assert!(e["message"].as_str().unwrap().starts_with("--at: "), "{e}");
    let (_, e) = cli.fails_json(&["appointment", "add", "--citizen", &c, "--at", "next tuesday"]);
    assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some("invalid_input"), Some("--at")));

    let out = bin()
        .args(["--json", "--vault"])
        .arg(&cli.dir)
        .args(["citizen", "list"])
        .env("BROBYGGER_PIN", "000000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"], "wrong_pin");
    // No PIN and no terminal: a clear message, not a hang.
    let out = bin()
        .args(["--json", "--vault"])
        .arg(&cli.dir)
        .args(["citizen", "list"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"], "no_pin");
    assert!(e["message"].as_str().unwrap().contains("BROBYGGER_PIN"));
    let (_, err) = cli.fails(&["init"]);
    assert!(err.contains("already exists"), "{err}");
    std::fs::write(cli.dir.join("vault.db"), b"not a database at all, just some bytes that are long enough to look like a header........................................").unwrap();
    let (_, e) = cli.fails_json(&["citizen", "list"]);
    assert_eq!(e["error"], "corrupt");
    assert!(cli.dir.join("vault.db").exists(), "never deleted");
}

#[test]
fn wrong_pins_bring_a_delay_that_status_shows() {
    let cli = Cli::new();
    cli.init();
    let wrong = |cli: &Cli| {
        let out = cli.cmd(&["--json", "citizen", "list"]).env("BROBYGGER_PIN", "000000").output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice::<Value>(&out.stderr).unwrap()
    };
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(wrong(&cli)["error"].as_str().unwrap().to_string());
    }
    assert_eq!(codes.first().map(String::as_str), Some("wrong_pin"));
    assert_eq!(codes.last().map(String::as_str), Some("pin_delay"), "{codes:?}");
    let st = cli.json(&["status"]);
    let wait = st["pin_retry_after_seconds"].as_u64().unwrap();
    assert!(wait > 0, "{st}");
    assert!(cli.text(&["status"]).contains(&format!("next PIN attempt allowed in {wait} seconds")));
    let (_, e) = cli.fails_json(&["citizen", "list"]);
    assert_eq!(e["error"], "pin_delay", "even the right PIN waits");
    assert!(e["message"].as_str().unwrap().contains(&format!("wait {wait} seconds")), "{e}");
    let later = chrono::DateTime::parse_from_rfc3339(NOW).unwrap() + chrono::Duration::seconds(wait as i64 + 1);
    let later = Cli { now: later.to_rfc3339(), ..Cli::new_at(&cli) };
    assert_eq!(later.json(&["citizen", "list"])["unreadable"], 0);
    assert_eq!(later.json(&["status"])["pin_attempts_left"], 10);
}

#[test]
fn usage_errors_are_json_under_json_and_exit_2() {
    let cli = Cli::new();
    for (args, says) in [
        (&["citizen", "show"][..], "<ID>"),
        (&["citizen", "bogus"][..], "bogus"),
        (&["appointment", "outcome", "abcdef", "maybe"][..], "maybe"),
        (&["note", "add", "--text", "x", "--topic", "weather"][..], "finances_housing"),
        (&["wipe"][..], "--yes"),
    ] {
        let (code, e) = cli.fails_json(args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(e["error"], "usage", "{args:?}");
        assert!(e["message"].as_str().unwrap().contains(says), "{args:?}: {e}");
        // Without --json: clap's own help text, still exit 2 and no panic.
        let out = cli.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    let out = cli.run(&["--help"]);
    assert!(out.status.success());
}

#[test]
fn ids_are_taken_as_unique_prefixes_in_any_case() {
    let cli = Cli::new();
    cli.init();
    cli.json(&["worker", "set", "--name", "Lene", "--phone", "61223344"]);
    let venue = Cli::id_of(&cli.json(&["venue", "add", "--name", "Borgercaféen"]));
    let c = cli.citizen("Ole");
    let note = Cli::id_of(&cli.json(&["note", "add", "--citizen", &prefix(&c), "--text", "kaffe"]));
    cli.json(&["note", "finalize", &prefix(&note)]);
    let f = cli.json(&["note", "follow-up", &prefix(&note), "--text", "ring", "--due", "2026-04-02"]);
    assert_eq!(cli.json(&["note", "done", &prefix(&Cli::id_of(&f))])["done"], true);
    let b = cli.json(&[
        "appointment",
        "add",
        "--citizen",
        &prefix(&c),
        "--venue",
        &prefix(&venue),
        "--at",
        "2026-04-07T10:00",
    ]);
    let appointment = Cli::id_of(&b);
    assert_eq!(b["citizen"], "Ole");
    assert_eq!(b["venue"], "Borgercaféen");
    let reminder = b["reminders"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(cli.json(&["appointment", "show", &prefix(&appointment)])["id"], appointment.as_str());
    assert_eq!(cli.json(&["reminder", "list", "--appointment", &prefix(&appointment)]).as_array().unwrap().len(), 2);
    let edited =
        cli.json(&["reminder", "edit", &prefix(&reminder), "--text", "Hej Ole, vi ses tirsdag kl. 10.00. Lene"]);
    assert_eq!(edited["id"], reminder.as_str());

    // What no record starts with, and what is not an id at all, name the flag typed.
    let unused = if c.starts_with('0') { "ffffff" } else { "000000" };
    let (code, e) = cli.fails_json(&["appointment", "add", "--citizen", unused, "--at", "2026-04-07T12:00"]);
    assert_eq!((code, e["error"].as_str(), e["flag"].as_str()), (1, Some("not_found"), Some("--citizen")));
    assert!(e["message"].as_str().unwrap().starts_with("--citizen: no citizen id starts with"), "{e}");
    let (_, e) = cli.fails_json(&["note", "show", "abc"]);
    assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some("invalid_input"), Some("ID")));
    let (_, e) = cli.fails_json(&["reminder", "list", "--appointment", "xyz123"]);
    assert_eq!(e["flag"], "--appointment");
    // A whole id that names nothing is the core's not_found, also with the flag.
    let (_, e) = cli.fails_json(&["appointment", "add", "--citizen", &"0".repeat(32), "--at", "2026-04-07T12:00"]);
    assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some("not_found"), Some("--citizen")));
}

#[test]
fn enum_values_have_one_spelling_in_and_out() {
    let cli = Cli::new();
    cli.init();
    // Every value help offers is accepted and comes back spelled the same.
    let help = String::from_utf8(cli.run(&["note", "add", "--help"]).stdout).unwrap();
    let values = |flag: &str| -> Vec<String> {
        let line = help.lines().skip_while(|l| !l.contains(flag)).find(|l| l.contains("possible values")).unwrap();
        let list = line.split("possible values: ").nth(1).unwrap().trim_end_matches(']');
        list.split(", ").map(str::to_string).collect()
    };
    let topics = values("--topic");
    let help_given = values("--help-given");
    assert_eq!(topics.len(), 6);
    assert_eq!(help_given.len(), 8);
    let mut args = vec!["note".to_string(), "add".into(), "--text".into(), "x".into()];
    for t in &topics {
        args.extend(["--topic".into(), t.clone()]);
    }
    for h in &help_given {
        args.extend(["--help-given".into(), h.clone()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let id = Cli::id_of(&cli.json(&args));
    let note = cli.json(&["note", "show", &id]);
    let back = |k: &str| -> Vec<String> {
        let mut v: Vec<String> = note[k].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(back("topics"), sorted(topics.clone()));
    assert_eq!(back("help_given"), sorted(help_given));
    // Plain output writes the same codes.
    let text = cli.text(&["note", "show", &id]);
    assert!(text.contains("job_education_rehabilitation"), "{text}");
    // The dashed form is read as the same value.
    let c = cli.citizen("Ole");
    let b =
        cli.json(&["appointment", "add", "--citizen", &c, "--at", "2026-03-31T11:00", "--kind", "Statutory-Meeting"]);
    assert_eq!(b["kind"], "statutory_meeting");
}

#[test]
fn today_and_the_citizen_overview() {
    let cli = Cli::new();
    cli.init();
    cli.json(&["worker", "set", "--name", "Lene", "--phone", "61223344"]);
    let venue = Cli::id_of(&cli.json(&["venue", "add", "--name", "Borgercaféen", "--address", "Nørregade 1"]));
    let ole = cli.citizen("Ole");
    let note = Cli::id_of(&cli.json(&["note", "add", "--citizen", &ole, "--text", "om bolig"]));
    cli.json(&["note", "finalize", &note]);
    cli.json(&["note", "follow-up", &note, "--text", "Ring til boligkontoret", "--due", "2026-04-07"]);
    let a = Cli::id_of(&cli.json(&[
        "appointment",
        "add",
        "--citizen",
        &ole,
        "--venue",
        &venue,
        "--at",
        "2026-04-07T10:00",
        "--minutes",
        "45",
        "--kind",
        "statutory_meeting",
    ]));

    let t = cli.json(&["today", "--date", "2026-04-07"]);
    assert_eq!(t["date"], "2026-04-07");
    let item = &t["appointments"][0];
    for key in ["id", "citizen", "venue", "local_start", "local_end", "kind", "status", "reminders"] {
        assert!(item.get(key).is_some(), "today's appointment has {key}: {item}");
    }
    assert_eq!(item["id"], a.as_str());
    assert_eq!(item["citizen"], "Ole");
    assert_eq!(item["venue"], "Borgercaféen");
    assert_eq!(item["local_start"], "2026-04-07T10:00");
    assert_eq!(item["local_end"], "2026-04-07T10:45");
    assert_eq!(item["kind"], "statutory_meeting");
    assert_eq!(item["status"], "planned");
    assert_eq!(item["reminders"]["planned"], 2);
    let kinds: Vec<&str> = t["attention"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"follow_up_due"), "{kinds:?}");
    let due = t["attention"].as_array().unwrap().iter().find(|i| i["kind"] == "follow_up_due").unwrap();
    assert!(due["id"].as_str().unwrap().len() == 32 && due["text"] == "Ring til boligkontoret", "{due}");

    // Plain: names and local times with the offset, never a UTC instant.
    let text = cli.text(&["today", "--date", "2026-04-07"]);
    assert!(text.contains("Ole") && text.contains("Borgercaféen"), "{text}");
    assert!(text.contains("2026-04-07 10:00–10:45 +02:00"), "{text}");
    assert!(!text.contains(&a) && !text.contains(&ole), "no whole ids in plain lists: {text}");
    assert!(!text.contains("08:00:00Z") && !text.contains("T08:00"), "{text}");
    let winter = cli.text(&["appointment", "add", "--citizen", &ole, "--at", "2026-11-03T10:00"]);
    assert!(winter.contains("2026-11-03 10:00–11:00 +01:00"), "{winter}");
    let plain = cli.text(&["reminder", "list"]);
    assert!(plain.contains("2026-04-06 17:00 +02:00") && !plain.contains('Z'), "{plain}");

    let o = cli.json(&["citizen", "overview", &prefix(&ole)]);
    assert_eq!(o["citizen"]["nickname"], "Ole");
    assert_eq!(o["reminders_blocked"], Value::Null);
    assert_eq!(o["next_appointments"][0]["id"], a.as_str());
    assert_eq!(o["latest_notes"]["items"][0]["id"], note.as_str());
    assert_eq!(o["open_follow_ups_total"], 1);
    let bo = Cli::id_of(&cli.json(&["citizen", "add", "--name", "Bo"]));
    assert_eq!(cli.json(&["citizen", "overview", &bo])["reminders_blocked"], "no_sms_consent");
    assert!(cli.text(&["citizen", "overview", &bo]).contains("no SMS consent"));
}

#[test]
fn a_preview_writes_nothing_and_shows_its_warnings() {
    let cli = Cli::new();
    cli.init();
    cli.json(&["worker", "set", "--name", "Lene", "--phone", "61223344"]);
    let venue = Cli::id_of(&cli.json(&["venue", "add", "--name", "Borgercaféen"]));
    cli.json(&["hours", "add", "--venue", &venue, "--weekday", "tue", "--from", "10:00", "--to", "14:00"]);
    let ole = cli.citizen("Ole");
    let add = ["appointment", "add", "--citizen", &ole, "--venue", &venue, "--at", "2026-04-07T15:00"];
    let mut preview_args = add.to_vec();
    preview_args.push("--dry-run");
    let p = cli.json(&preview_args);
    assert_eq!(p["dry_run"], true);
    assert_eq!(p["id"], Value::Null);
    assert_eq!(p["warnings"][0]["kind"], "outside_office_hours");
    assert_eq!(p["warnings"][0]["hours"][0]["from"], "10:00");
    assert_eq!(p["reminders"].as_array().unwrap().len(), 2, "{p}");
    assert!(p["reminders"][0]["text"].as_str().unwrap().contains("15.00"));
    let text = cli.text(&preview_args);
    assert!(text.contains("Preview") && text.contains("outside your office hours: 10:00–14:00"), "{text}");
    assert_eq!(cli.json(&["appointment", "list", "--day", "2026-04-07"]).as_array().unwrap().len(), 0);
    assert_eq!(cli.json(&["reminder", "list"]).as_array().unwrap().len(), 0);
    let booked = cli.json(&add);
    assert_eq!(booked["dry_run"], false);
    assert_eq!(booked["id"].as_str().unwrap().len(), 32);
    assert_eq!(cli.json(&["appointment", "list", "--day", "2026-04-07"]).as_array().unwrap().len(), 1);
}

#[test]
fn outcomes_wait_for_the_start_and_can_be_corrected() {
    let cli = Cli::new();
    cli.init();
    let ole = cli.citizen("Ole");
    let a = Cli::id_of(&cli.json(&["appointment", "add", "--citizen", &ole, "--at", "2026-03-31T13:00"]));
    let (code, e) = cli.fails_json(&["appointment", "outcome", &a, "attended"]);
    assert_eq!((code, e["error"].as_str()), (1, Some("invalid_state")));
    assert!(e["message"].as_str().unwrap().contains("started"), "{e}");
    let later = Cli { now: "2026-03-31T11:30:00Z".into(), ..Cli::new_at(&cli) };
    assert_eq!(later.json(&["appointment", "outcome", &prefix(&a), "attended"])["status"], "attended");
    let corrected = later.json(&["appointment", "outcome", &a, "no-show"]);
    assert_eq!(corrected["status"], "no_show");
    assert_eq!(corrected["corrected_from"], "attended");
    assert!(corrected["outcome_corrected_at"].is_string());
    let (_, e) = later.fails_json(&["appointment", "outcome", &a, "no_show"]);
    assert_eq!(e["error"], "invalid_state");
    let report = later.json(&["report", "no-shows", "--from", "2026-03-01", "--to", "2026-03-31"]);
    assert_eq!((report["no_show"].as_u64(), report["attended"].as_u64()), (Some(1), Some(0)));
}

impl Cli {
    /// Another view of the same vault (a later `--now`); the folder stays with `of`.
    fn new_at(of: &Cli) -> Cli {
        Cli { _tmp: tempfile::tempdir().unwrap(), dir: of.dir.clone(), now: of.now.clone() }
    }
}

#[test]
fn held_texts_are_edited_approved_and_a_failing_sender_is_reported() {
    let cli = Cli::new();
    cli.init();
    cli.json(&["worker", "set", "--name", "Lene", "--phone", "61223344"]);
    let venue = Cli::id_of(&cli.json(&["venue", "add", "--name", "Jobcenter Nord"]));
    let ole = cli.citizen("Ole");
    let b = cli.json(&["appointment", "add", "--citizen", &ole, "--venue", &venue, "--at", "2026-04-07T10:00"]);
    let held: Vec<&Value> = b["warnings"].as_array().unwrap().iter().filter(|w| w["kind"] == "sms_held").collect();
    assert_eq!(held.len(), 2, "{b}");
    assert_eq!(held[0]["words"][0], "jobcenter");
    let day_before = b["reminders"][0]["id"].as_str().unwrap().to_string();
    let hours_before = b["reminders"][1]["id"].as_str().unwrap().to_string();
    assert_eq!(b["reminders"][0]["hold"], "lint");

    // Still naming the job centre: still held, until approved.
    let r = cli.json(&[
        "reminder",
        "edit",
        &prefix(&day_before),
        "--text",
        "Hej Ole. I morgen kl. 10 i Jobcenter Nord. Lene",
    ]);
    assert_eq!((r["hold"].as_str(), r["edited"].as_bool()), (Some("lint"), Some(true)));
    let t = cli.json(&["today", "--date", "2026-03-31"]);
    assert!(t["attention"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "reminder_held" && i["id"] == day_before.as_str()));
    assert_eq!(cli.json(&["reminder", "approve", &day_before])["hold"], Value::Null);
    // Without the word: goes without approval.
    let r = cli.json(&["reminder", "edit", &hours_before, "--text", "Hej Ole. Vi ses kl. 10 på Vesterbrogade 2. Lene"]);
    assert_eq!(r["hold"], Value::Null);
    let (_, e) = cli.fails_json(&["reminder", "approve", &hours_before]);
    assert_eq!(e["error"], "invalid_state");

    // Monday 17:01: the sender cannot write its file → exit 1 with the reason; the text is unclear.
    let monday = Cli { now: "2026-04-06T15:01:00Z".into(), ..Cli::new_at(&cli) };
    let upcoming = monday.cmd(&["--json", "reminder", "upcoming"]).env_remove("BROBYGGER_PIN").output().unwrap();
    assert!(upcoming.status.success(), "upcoming needs no PIN");
    let upcoming: Value = serde_json::from_slice(&upcoming.stdout).unwrap();
    assert_eq!(upcoming[0]["count"], 1);
    let bad = monday._tmp.path().join("no-such-folder").join("sent.jsonl");
    let out = monday
        .cmd(&["--json", "reminder", "send", "--sender", &format!("file:{}", bad.display())])
        .env_remove("BROBYGGER_PIN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"], "sender_failed");
    assert!(e["message"].as_str().unwrap().contains("cannot write the sender file"), "{e}");
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["unknown"], 1, "the run is still reported: {run}");
    let r = &monday.json(&["reminder", "list", "--appointment", &Cli::id_of(&b)])[0];
    assert_eq!(r["state"], "unknown");
    assert!(monday.text(&["reminder", "list"]).contains("the sender file could not be written"));
    let t = monday.json(&["today", "--date", "2026-04-06"]);
    assert!(t["attention"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "reminder_unknown" && i["id"] == day_before.as_str()));
    // The worker has it sent again; now the sender works.
    assert_eq!(monday.json(&["reminder", "resolve", &prefix(&day_before), "resend"])["state"], "due");
    let log = monday._tmp.path().join("monday.jsonl");
    let run = monday.json(&["reminder", "send", "--sender", &format!("file:{}", log.display())]);
    assert_eq!(run["sent"], 1, "{run}");
    assert_eq!(monday.json(&["reminder", "list", "--appointment", &Cli::id_of(&b)])[0]["state"], "sent");

    // Tuesday 08:01: a sender that works.
    let tuesday = Cli { now: "2026-04-07T06:01:00Z".into(), ..Cli::new_at(&cli) };
    let log = tuesday._tmp.path().join("sent.jsonl");
    let run = tuesday.json(&["reminder", "send", "--sender", &format!("file:{}", log.display())]);
    assert_eq!(run["sent"], 1);
    let line: Value = serde_json::from_str(std::fs::read_to_string(&log).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(line["reminder_id"], hours_before.as_str());
    assert_eq!(line["text"], "Hej Ole. Vi ses kl. 10 på Vesterbrogade 2. Lene");
    assert_eq!(tuesday.json(&["reminder", "delivered", &hours_before])["state"], "delivered");
}

/// The sending process dies while the sender has the text: the claim becomes `unknown` at
/// the next outbox operation, and a late result from the platform is still taken.
#[cfg(unix)]
#[test]
fn a_send_cut_short_is_unclear_and_takes_a_late_result() {
    let cli = Cli::new();
    cli.init();
    cli.json(&["worker", "set", "--name", "Lene", "--phone", "61223344"]);
    let ole = cli.citizen("Ole");
    let b = cli.json(&["appointment", "add", "--citizen", &ole, "--at", "2026-04-07T10:00"]);
    let appointment = Cli::id_of(&b);
    let day_before = b["reminders"][0]["id"].as_str().unwrap().to_string();
    let monday = Cli { now: "2026-04-06T15:01:00Z".into(), ..Cli::new_at(&cli) };
    // A sender file nobody reads: the sender blocks in it with the reminder claimed.
    let fifo = monday._tmp.path().join("stuck");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut child = monday
        .cmd(&["reminder", "send", "--sender", &format!("file:{}", fifo.display())])
        .env_remove("BROBYGGER_PIN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let db =
        rusqlite::Connection::open_with_flags(cli.dir.join("vault.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let claimed = |db: &rusqlite::Connection| -> i64 {
        db.query_row("SELECT count(*) FROM reminders WHERE state = 'claimed'", [], |r| r.get(0)).unwrap_or(0)
    };
    let mut waited = 0;
    while claimed(&db) == 0 {
        assert!(child.try_wait().unwrap().is_none(), "the sender ended instead of blocking");
        assert!(waited < 600, "no claim within a minute");
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(claimed(&db), 1, "killed with the claim open");
    drop(db);

    // The next process's first outbox operation gives the claim up as unknown.
    let r = &monday.json(&["reminder", "list", "--appointment", &appointment])[0];
    assert_eq!((r["state"].as_str(), r["reason"].as_str()), (Some("unknown"), Some("no_outcome_before_restart")));
    assert!(monday.text(&["reminder", "list"]).contains("the sending app stopped before the result came back"));
    // The platform's report arrives late: taken without the PIN.
    let out = monday
        .cmd(&["--json", "reminder", "result", &day_before, "sent"])
        .env_remove("BROBYGGER_PIN")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["state"], "sent");
    let (_, e) = monday.fails_json(&["reminder", "result", &prefix(&day_before), "failed"]);
    assert_eq!(e["error"], "invalid_state", "a result is taken once");
}

#[test]
fn the_recovery_key_never_comes_from_argv() {
    let cli = Cli::new();
    let key = cli.init()["recovery_key"].as_str().unwrap().to_string();
    let (code, err) = cli.fails(&["recover", "--recovery-key", &key]);
    assert_eq!(code, 2);
    assert!(err.contains("BROBYGGER_RECOVERY_KEY") && err.contains("refused"), "{err}");

    // From the environment.
    let out = cli
        .cmd(&["--json", "recover"])
        .env("BROBYGGER_RECOVERY_KEY", &key)
        .env("BROBYGGER_NEW_PIN", "271828")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["recovery_key_rotation_advised"], true);
    let with_new_pin =
        |args: &[&str]| cli.cmd(args).env("BROBYGGER_PIN", "271828").stdin(Stdio::null()).output().unwrap();
    let t: Value = serde_json::from_slice(&with_new_pin(&["--json", "today"]).stdout).unwrap();
    assert!(t["attention"].as_array().unwrap().iter().any(|i| i["kind"] == "recovery_key_rotation_advised"), "{t}");

    let out = with_new_pin(&["--json", "recovery-key", "rotate"]);
    assert!(out.status.success());
    let new_key = serde_json::from_slice::<Value>(&out.stdout).unwrap()["recovery_key"].as_str().unwrap().to_string();
    assert_ne!(new_key, key);
    assert_eq!(
        serde_json::from_slice::<Value>(&with_new_pin(&["--json", "status"]).stdout).unwrap()
            ["recovery_key_rotation_advised"],
        false
    );

    // The old key no longer opens it; the new one does, piped on stdin.
    let out = cli
        .cmd(&["--json", "recover"])
        .env("BROBYGGER_RECOVERY_KEY", &key)
        .env("BROBYGGER_NEW_PIN", "161803")
        .output()
        .unwrap();
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"], "wrong_recovery_key");
    let mut child = cli
        .cmd(&["--json", "recover"])
        .env("BROBYGGER_NEW_PIN", "161803")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{}\n", new_key.to_lowercase()).as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A copy of the vault file without its key folder (a new laptop) opens only with the
/// recovery key: the key store answers "missing" for every key it does not hold.
#[test]
fn without_its_key_folder_the_vault_needs_the_recovery_key() {
    let cli = Cli::new();
    let key = cli.init()["recovery_key"].as_str().unwrap().to_string();
    let c = cli.citizen("Ole");
    std::fs::remove_dir_all(cli.dir.join("cli-keys")).unwrap();
    let st = cli.json(&["status"]);
    assert_eq!((st["platform_keys_missing"].as_bool(), st["pin_disabled"].as_bool()), (Some(true), Some(true)));
    let (_, e) = cli.fails_json(&["citizen", "list"]);
    assert_eq!(e["error"], "platform_keys_missing");
    assert!(cli.fails(&["citizen", "list"]).1.contains("brobygger recover"));
    let out = cli
        .cmd(&["--json", "recover"])
        .env("BROBYGGER_RECOVERY_KEY", &key)
        .env("BROBYGGER_NEW_PIN", PIN)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(cli.json(&["citizen", "show", &c])["nickname"], "Ole");
    assert_eq!(cli.json(&["status"])["platform_keys_missing"], false);
}

#[test]
fn the_biometric_slot_works_with_a_secret_file() {
    let cli = Cli::new();
    cli.init();
    let secret = cli._tmp.path().join("bio.secret");
    let s = secret.to_str().unwrap();
    assert_eq!(cli.json(&["biometric", "enroll", "--secret-file", s])["enrolled"], true);
    assert_eq!(std::fs::read(&secret).unwrap().len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (_, e) = cli.fails_json(&["biometric", "enroll", "--secret-file", s]);
    assert_eq!(e["flag"], "--secret-file", "an existing file is never overwritten");
    assert_eq!(cli.json(&["status"])["biometric_enrolled"], true);
    let unlock = |args: &[&str]| cli.cmd(args).env_remove("BROBYGGER_PIN").stdin(Stdio::null()).output().unwrap();
    let out = unlock(&["--json", "biometric", "unlock", "--secret-file", s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let wrong = cli._tmp.path().join("wrong.secret");
    std::fs::write(&wrong, [7u8; 32]).unwrap();
    let out = unlock(&["--json", "biometric", "unlock", "--secret-file", wrong.to_str().unwrap()]);
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"], "biometric_unavailable");
    cli.json(&["biometric", "remove"]);
    let out = unlock(&["--json", "biometric", "unlock", "--secret-file", s]);
    assert_eq!(serde_json::from_slice::<Value>(&out.stderr).unwrap()["error"], "biometric_unavailable");
}

#[test]
fn integrity_check_reports_the_state() {
    let cli = Cli::new();
    cli.init();
    assert_eq!(cli.json(&["integrity", "check"])["integrity"], "ok");
    assert!(cli.text(&["status"]).contains("integrity:"));
}

/// `brobygger ... | head`: the reader goes away before the output is written.
#[test]
fn a_closed_stdout_ends_quietly() {
    let cli = Cli::new();
    cli.init();
    cli.citizen("Ole");
    for args in [&["holidays", "--year", "2026"][..], &["--json", "citizen", "list"], &["citizen", "list"], &["--help"]]
    {
        let mut child = cli.cmd(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(err.is_empty(), "{args:?}: quiet, no panic: {err}");
    }
}

#[test]
fn vault_dir_comes_from_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("from-env");
    let out = bin().args(["--json", "init"]).env("BROBYGGER_VAULT", &dir).env("BROBYGGER_PIN", PIN).output().unwrap();
    assert!(out.status.success());
    assert!(dir.join("vault.db").exists());
    let out = bin().args(["--json", "wipe", "--yes"]).env("BROBYGGER_VAULT", &dir).output().unwrap();
    assert!(out.status.success());
    assert!(!dir.join("vault.db").exists() && !dir.join("cli-keys").exists(), "wipe leaves no key behind");
}

#[test]
fn demo_runs_and_cleans_up() {
    let out = bin().args(["--json", "demo"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = v["steps"].as_array().unwrap();
    let step = |word: &str| &steps.iter().find(|s| s["step"].as_str().unwrap().contains(word)).unwrap()["shows"];
    assert_eq!(step("Search")["items"].as_array().unwrap().len(), 1);
    let locked = step("locked");
    assert_eq!((locked["while_locked"].as_str(), locked["wrong_pin"].as_str()), (Some("locked"), Some("wrong_pin")));
    assert_eq!(locked["attempts_left"], 9);
    let preview = step("Preview");
    assert_eq!(preview["preview"]["warnings"][0]["kind"], "outside_office_hours");
    assert_eq!(preview["appointments_that_day"], 0);
    let held = step("Edit the held").as_array().unwrap();
    assert!(held.iter().any(|h| h["held_after_edit"] == true && h["approved"] == true), "{held:?}");
    assert!(held.iter().all(|h| h["now"]["hold"].is_null() && h["edited"]["edited"] == true));
    let today = step("Today's screen");
    assert_eq!(today["appointments"].as_array().unwrap().len(), 2);
    assert!(today["attention"].as_array().unwrap().iter().any(|i| i["kind"] == "outcome_missing"));
    let figures = step("no-show figures");
    assert_eq!(
        (figures["attended"].as_u64(), figures["no_show"].as_u64(), figures["cancelled"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    let tmp = std::env::temp_dir();
    let leftover = std::fs::read_dir(tmp).unwrap().filter_map(Result::ok).any(|e| {
        let name = e.file_name();
        name.to_string_lossy().starts_with("brobygger-demo-") && e.path().join("vault.db").exists()
    });
    assert!(!leftover, "the demo vault is wiped");
}

#[test]
fn help_lists_the_commands() {
    let out = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "init",
        "today",
        "citizen",
        "note",
        "appointment",
        "reminder",
        "recovery-key",
        "integrity",
        "biometric",
        "demo",
        "BROBYGGER_PIN",
        "BROBYGGER_RECOVERY_KEY",
    ] {
        assert!(help.contains(cmd), "{cmd}");
    }
    let out = bin().args(["note", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["add", "list", "show", "search", "count", "finalize"] {
        assert!(help.contains(cmd), "{cmd}");
    }
    let out = bin().args(["reminder", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["upcoming", "edit", "result", "approve", "resolve"] {
        assert!(help.contains(cmd), "{cmd}");
    }
    let out = bin().args(["recover", "--help"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("--recovery-key"), "the refused flag is not offered");
}
