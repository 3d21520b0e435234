//! A real `kill -9` loop against the CLI's sending path: the sending process is killed at
//! random moments, then run again to completion. The file sender's log (synced before it
//! answers) must never show a reminder twice, and every reminder must end sent or unknown,
//! with every sent one in the log exactly once.

use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const PIN: &str = "271828";
const BOOKED_AT: &str = "2026-03-20T10:00:00Z";
const SEND_AT: &str = "2026-03-30T15:30:00Z"; // 17:30 in Copenhagen: every day-before reminder is due
const APPOINTMENTS: usize = 24;

fn cli(dir: &Path, now: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brobygger"))
        .arg("--vault")
        .arg(dir)
        .args(["--json", "--now", now])
        .args(args)
        .env("BROBYGGER_PIN", PIN)
        .output()
        .unwrap()
}

fn ok(dir: &Path, now: &str, args: &[&str]) -> Value {
    let out = cli(dir, now, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Copies a vault folder with its key folder (`cli-keys/`).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn killing_the_sender_never_sends_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("template");
    ok(&template, BOOKED_AT, &["init"]);
    ok(&template, BOOKED_AT, &["worker", "set", "--name", "Mette", "--phone", "61223344"]);
    let citizen = ok(
        &template,
        BOOKED_AT,
        &["citizen", "add", "--name", "Ole", "--phone", "20304050", "--sms-consent", "verbal"],
    );
    let citizen = citizen["id"].as_str().unwrap().to_string();
    for i in 0..APPOINTMENTS {
        let at = format!("2026-03-31T{:02}:{:02}", 9 + i / 4, (i % 4) * 15);
        ok(&template, BOOKED_AT, &["appointment", "add", "--citizen", &citizen, "--at", &at, "--minutes", "15"]);
    }

    // How long one whole sending run takes here: kills are spread over that span, so they land
    // while the sender runs on a fast machine as on a slow one.
    let probe = tmp.path().join("probe");
    copy_dir(&template, &probe);
    let probe_log = tmp.path().join("probe.jsonl");
    let started = std::time::Instant::now();
    ok(&probe, SEND_AT, &["reminder", "send", "--sender", &format!("file:{}", probe_log.display())]);
    let span_us = (started.elapsed().as_micros() as u64).max(1_000);
    std::fs::remove_dir_all(&probe).ok();

    let iterations: u64 = std::env::var("BROBYGGER_KILL_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut killed_mid_run = 0;
    let mut unknown_total = 0;
    let mut sent_before_kill_total = 0;
    for i in 0..iterations {
        let dir = tmp.path().join(format!("run{i}"));
        copy_dir(&template, &dir);
        let log = tmp.path().join(format!("sent{i}.jsonl"));
        let sender = format!("file:{}", log.display());
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % span_us);
        let mut child = Command::new(env!("CARGO_BIN_EXE_brobygger"))
            .arg("--vault")
            .arg(&dir)
            .args(["--json", "--now", SEND_AT, "reminder", "send", "--sender", &sender])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        sent_before_kill_total += std::fs::read_to_string(&log).map(|t| t.lines().count()).unwrap_or(0);
        // The next start: its first outbox operation gives up what was claimed without an
        // outcome (`unknown`); the rest goes.
        ok(&dir, SEND_AT, &["reminder", "send", "--sender", &sender]);
        ok(&dir, SEND_AT, &["reminder", "send", "--sender", &sender]);

        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let mut in_log: HashMap<String, u32> = HashMap::new();
        for line in text.lines() {
            // A line cut by the kill belongs to a reminder that can only be `unknown`.
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                *in_log.entry(v["reminder_id"].as_str().unwrap().to_string()).or_default() += 1;
            }
        }
        assert!(in_log.values().all(|n| *n == 1), "iteration {i}: a reminder was sent twice: {in_log:?}");
        let reminders = ok(&dir, SEND_AT, &["reminder", "list"]);
        let day_before: Vec<&Value> =
            reminders.as_array().unwrap().iter().filter(|r| r["kind"] == "day_before").collect();
        assert_eq!(day_before.len(), APPOINTMENTS);
        for r in day_before {
            let id = r["id"].as_str().unwrap();
            match r["state"].as_str().unwrap() {
                "sent" => assert_eq!(in_log.get(id), Some(&1), "iteration {i}: sent but not in the log"),
                "unknown" => {
                    unknown_total += 1;
                    assert!(in_log.get(id).copied().unwrap_or(0) <= 1)
                }
                other => panic!("iteration {i}: reminder left {other}"),
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
    eprintln!(
        "{iterations} kills over a {span_us} µs run: {killed_mid_run} while running, {sent_before_kill_total} texts out before a kill, {unknown_total} left unknown"
    );
    assert!(killed_mid_run > 0, "no kill landed while the sender was running");
}
