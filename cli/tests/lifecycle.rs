//! The lifecycle of the data from the CLI: backups made, checked and restored, retention,
//! the audit log, the access-request export and the emergency wipes. The real binary on real
//! vaults in temporary folders; `--now` moves the clock.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PIN: &str = "112358";
const NEW_PIN: &str = "271828";
const DURESS_PIN: &str = "424242";
/// Tuesday 31 March 2026, 12:00 in Copenhagen.
const NOW: &str = "2026-03-31T10:00:00Z";
/// A backup's header, and one encrypted 64 KiB chunk with its tag (docs/BACKUP_FORMAT.md).
const HEADER: usize = 113;
const CHUNK: usize = 65_536 + 16;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brobygger"));
    for var in
        ["BROBYGGER_VAULT", "BROBYGGER_PIN", "BROBYGGER_NEW_PIN", "BROBYGGER_RECOVERY_KEY", "BROBYGGER_DURESS_PIN"]
    {
        c.env_remove(var);
    }
    c
}

/// A temporary folder, the vault folder in it, the instant the CLI is told it is, the PIN.
struct Cli {
    tmp: PathBuf,
    dir: PathBuf,
    now: String,
    pin: String,
}

impl Cli {
    fn new(tmp: &tempfile::TempDir) -> Self {
        Cli { tmp: tmp.path().to_path_buf(), dir: tmp.path().join("v"), now: NOW.into(), pin: PIN.into() }
    }

    /// The same folder at another instant.
    fn at(&self, now: &str) -> Self {
        Cli { tmp: self.tmp.clone(), dir: self.dir.clone(), now: now.into(), pin: self.pin.clone() }
    }

    /// Another vault folder beside this one, opening with `pin`.
    fn other(&self, name: &str, pin: &str) -> Self {
        Cli { tmp: self.tmp.clone(), dir: self.tmp.join(name), now: self.now.clone(), pin: pin.into() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = bin();
        c.arg("--vault").arg(&self.dir).args(["--now", &self.now]).args(args).env("BROBYGGER_PIN", &self.pin);
        c.stdin(Stdio::null());
        c
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.cmd(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    fn json_env(&self, args: &[&str], env: &[(&str, &str)]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run_env(&all, env);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    fn json(&self, args: &[&str]) -> Value {
        self.json_env(args, &[])
    }

    fn text(&self, args: &[&str]) -> String {
        let out = self.run_env(args, &[]);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A failure under `--json`: exit status and the error object, the one line on stderr.
    fn fails_env(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run_env(&all, env);
        assert!(!out.status.success(), "{args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
        let e = serde_json::from_str(err.trim_end()).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}"));
        (out.status.code().unwrap_or(-1), e)
    }

    fn fails(&self, args: &[&str]) -> (i32, Value) {
        self.fails_env(args, &[])
    }

    /// A new vault; its recovery key.
    fn init(&self) -> String {
        self.json(&["init"])["recovery_key"].as_str().unwrap().to_string()
    }

    fn citizen(&self, name: &str) -> String {
        id(&self.json(&["citizen", "add", "--name", name, "--phone", "20304050", "--sms-consent", "verbal"]))
    }

    /// A final note about `citizen`.
    fn final_note(&self, citizen: &str, text: &str) -> String {
        let n = id(&self.json(&["note", "add", "--citizen", citizen, "--text", text, "--topic", "mental_health"]));
        self.json(&["note", "finalize", &n]);
        n
    }

    fn note_ids(&self) -> Vec<String> {
        let page = self.json(&["note", "list"]);
        page["items"].as_array().unwrap().iter().map(id).collect()
    }

    fn lifecycle(&self) -> Value {
        self.json(&["status"])["lifecycle"].clone()
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn key_env(key: &str) -> [(&str, &str); 2] {
    [("BROBYGGER_RECOVERY_KEY", key), ("BROBYGGER_NEW_PIN", NEW_PIN)]
}

fn verify(cli: &Cli, file: &Path, key: &str) -> Output {
    cli.run_env(&["--json", "backup", "verify", file.to_str().unwrap()], &key_env(key))
}

fn citizens(cli: &Cli) -> Vec<(String, String)> {
    let l = cli.json(&["citizen", "list"]);
    l["citizens"].as_array().unwrap().iter().map(|c| (id(c), c["nickname"].as_str().unwrap().to_string())).collect()
}

#[test]
fn a_backup_is_verified_and_restores_into_a_new_folder_with_the_same_records() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    let key = cli.init();
    let ingeborg = cli.citizen("Ingeborg Quistgaard");
    cli.citizen("Mads Uhrskov");
    let note = cli.final_note(&ingeborg, "Taler om sin angst");
    let l = cli.lifecycle();
    assert_eq!((l["backup_age_days"].clone(), l["backup_overdue"].clone()), (Value::Null, Value::Bool(true)));
    assert!(cli.text(&["status"]).contains("No backup has been made yet."));

    let file = cli.path("monday.bbk");
    let made = cli.json(&["backup", "create", "--out", file.to_str().unwrap()]);
    assert_eq!(made["bytes"].as_u64(), Some(std::fs::metadata(&file).unwrap().len()));
    assert_eq!(made["created_at"], NOW);
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(9).any(|w| w == b"Quistgaar"), "nothing in clear");

    // A file that is there is never written over.
    let (code, e) = cli.fails(&["backup", "create", "--out", file.to_str().unwrap()]);
    assert_eq!((code, e["error"].as_str(), e["flag"].as_str()), (1, Some("output_exists"), Some("--out")));
    assert_eq!(std::fs::read(&file).unwrap(), bytes);

    // The key from the environment, then piped on stdin.
    let out = verify(&cli, &file, &key);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((check["ok"].as_bool(), check["defect"].clone()), (Some(true), Value::Null));
    assert_eq!(check["created_at"], made["created_at"]);
    let mut child = bin()
        .args(["backup", "verify", file.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{key}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("opens whole"));

    // Later: the age, and the reminder once it is older than the reminder days.
    let later = cli.at("2026-04-10T10:00:00Z");
    let l = later.lifecycle();
    assert_eq!((l["backup_age_days"].as_u64(), l["backup_overdue"].as_bool()), (Some(10), Some(true)));
    assert!(later.text(&["status"]).contains("Last backup: 10 days ago. Make a new one."));
    assert!(later.text(&["status", "--lang", "da"]).contains("Seneste sikkerhedskopi: for 10 dage siden. Lav en ny."));
    let soon = cli.at("2026-04-02T10:00:00Z");
    assert_eq!(soon.lifecycle()["backup_overdue"], false);
    assert!(soon.text(&["status"]).contains("Last backup: 2 days ago."));

    // Restored into a new folder with a new PIN: the same citizens and notes.
    let restored = later.other("restored", NEW_PIN);
    let report = restored.json_env(&["restore", "--from", file.to_str().unwrap()], &key_env(&key));
    assert_eq!((report["citizens"].as_u64(), report["notes"].as_u64()), (Some(2), Some(1)));
    assert_eq!(report["audit_intact"], true);
    assert_eq!(citizens(&restored), citizens(&cli));
    assert_eq!(restored.note_ids(), vec![note.clone()]);
    assert!(restored.json(&["note", "show", &note])["text"].as_str().unwrap().contains("angst"));
    // Its backup age is the backup's; the old PIN does not open it.
    assert_eq!(restored.lifecycle()["backup_age_days"].as_u64(), Some(10));
    let (_, e) = later.other("restored", PIN).fails(&["citizen", "list"]);
    assert_eq!(e["error"], "wrong_pin");
}

#[test]
fn restore_refuses_a_folder_with_a_vault_and_a_key_that_does_not_fit() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    let key = cli.init();
    cli.citizen("Ingeborg Quistgaard");
    let file = cli.path("b.bbk");
    cli.json(&["backup", "create", "--out", file.to_str().unwrap()]);
    let from = ["restore", "--from", file.to_str().unwrap()];

    let (code, e) = cli.fails_env(&from, &key_env(&key));
    assert_eq!((code, e["error"].as_str(), e["flag"].as_str()), (1, Some("vault_exists"), Some("--vault")));
    assert_eq!(citizens(&cli).len(), 1, "the vault there is untouched");

    // The key of another vault.
    let other = cli.other("other", PIN);
    let other_key = other.init();
    let target = cli.other("target", NEW_PIN);
    let (code, e) = target.fails_env(&from, &key_env(&other_key));
    assert_eq!((code, e["error"].as_str()), (1, Some("wrong_key")));
    assert!(e["message"].as_str().unwrap().contains("recovery key does not fit"), "{e}");
    assert!(!target.dir.join("vault.db").exists() && !target.dir.join("cli-keys").exists(), "nothing left behind");
    let (_, e) = target.fails(&["status"]);
    assert_eq!(e["error"], "no_vault");

    // Never from argv.
    let out = target.run_env(&["restore", "--from", file.to_str().unwrap(), "--recovery-key", &key], &key_env(&key));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused"));
    assert!(!target.dir.join("vault.db").exists());

    // The right key restores there.
    target.json_env(&from, &key_env(&key));
    assert_eq!(citizens(&target), citizens(&cli));
}

#[test]
fn a_damaged_or_cut_backup_is_refused_with_its_defect() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    let key = cli.init();
    let c = cli.citizen("Ingeborg Quistgaard");
    cli.final_note(&c, "Drømmer om en kolonihave");
    let good = cli.path("good.bbk");
    cli.json(&["backup", "create", "--out", good.to_str().unwrap()]);
    let bytes = std::fs::read(&good).unwrap();
    assert!(bytes.len() > HEADER + 2 * CHUNK, "several chunks: {}", bytes.len());
    assert!(verify(&cli, &good, &key).status.success());

    let defect = |name: &str, content: &[u8]| {
        let f = cli.path(name);
        std::fs::write(&f, content).unwrap();
        let out = verify(&cli, &f, &key);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        let e: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(answer["ok"], false);
        assert_eq!(answer["defect"]["code"], e["error"], "{name}");
        assert_eq!(answer["message"], e["message"]);
        (answer, e)
    };

    // One flipped bit in the second chunk.
    let mut flipped = bytes.clone();
    flipped[HEADER + CHUNK + 100] ^= 0x01;
    let (answer, e) = defect("flipped.bbk", &flipped);
    assert_eq!((e["error"].as_str(), answer["defect"]["chunk"].as_u64()), (Some("damaged"), Some(1)));
    assert_eq!(e["message"], "The backup is damaged or was changed and cannot be used. Use another copy.");

    // Cut after two whole chunks.
    let (answer, e) = defect("cut.bbk", &bytes[..HEADER + 2 * CHUNK]);
    assert_eq!((e["error"].as_str(), answer["defect"]["chunks"].as_u64()), (Some("truncated"), Some(2)));
    assert!(e["message"].as_str().unwrap().contains("ends too early"), "{e}");

    // Not a backup at all; in Danish.
    let f = cli.path("notes.txt");
    std::fs::write(&f, "en helt almindelig tekstfil, ikke en sikkerhedskopi").unwrap();
    let out = cli.run_env(&["--json", "backup", "verify", f.to_str().unwrap(), "--lang", "da"], &key_env(&key));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!((out.status.code(), e["error"].as_str()), (Some(1), Some("not_a_backup")));
    assert_eq!(e["message"], "Filen er ikke en sikkerhedskopi fra Brobygger.");

    // A restore from the damaged file says the same and leaves nothing.
    let target = cli.other("target", NEW_PIN);
    let (code, e) = target.fails_env(&["restore", "--from", cli.path("flipped.bbk").to_str().unwrap()], &key_env(&key));
    assert_eq!((code, e["error"].as_str()), (1, Some("damaged")));
    assert!(!target.dir.join("vault.db").exists());
}

#[test]
fn retention_set_purges_a_journalised_note_after_the_period() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    cli.init();
    let c = cli.citizen("Ingeborg Quistgaard");
    let old = cli.final_note(&c, "Søger bolig");
    cli.json(&["note", "journalise", &old, "--reference", "J-2026-17"]);
    let waiting = cli.final_note(&c, "Venter på svar fra kommunen");

    let later = cli.at("2026-04-03T10:00:00Z");
    let recent = later.final_note(&c, "Har fået en lejlighed");
    later.json(&["note", "journalise", &recent, "--reference", "J-2026-18"]);
    assert_eq!(later.note_ids().len(), 3, "the default 30 days keep them all");

    let (code, e) = later.fails(&["retention", "set", "--purge-after-days", "0"]);
    assert_eq!((code, e["error"].as_str(), e["flag"].as_str()), (1, Some("invalid_input"), Some("--purge-after-days")));

    let r = later.json(&["retention", "set", "--purge-after-days", "2"]);
    assert_eq!(r["notes_purged"], 1, "{r}");
    assert_eq!(r["retention"]["purge_after_days"], 2);
    assert_eq!(r["retention"]["flag_final_after_days"], 14, "unset flags keep their value");
    assert_eq!(r["retention"]["reduce_appointments_after_days"], 180);
    let mut left = later.note_ids();
    left.sort();
    let mut expected = vec![waiting.clone(), recent.clone()];
    expected.sort();
    assert_eq!(left, expected);
    let (_, e) = later.fails(&["note", "show", &old]);
    assert_eq!(e["error"], "not_found");
    let shown = later.json(&["retention", "show"]);
    assert_eq!((shown["purge_after_days"].as_u64(), shown["backup_reminder_days"].as_u64()), (Some(2), Some(7)));

    // Every unlock applies it: two days on, the recent one goes too.
    let after = cli.at("2026-04-06T10:00:00Z");
    assert_eq!(after.note_ids(), vec![waiting.clone()]);
    let kinds: Vec<String> = after.json(&["audit", "list"])["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "notes_purged").count(), 2, "{kinds:?}");

    // The final note not journalised is flagged once it waited longer than the flag days.
    let flagged_later = cli.at("2026-04-20T10:00:00Z");
    assert_eq!(after.lifecycle()["final_notes_flagged"], 0);
    assert_eq!(flagged_later.lifecycle()["final_notes_flagged"], 1);
    assert!(flagged_later.text(&["status"]).contains("1 final notes not journalised after 14 days"));
}

#[test]
fn the_audit_log_lists_backups_and_exports_and_its_chain_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    cli.init();
    let c = cli.citizen("Ingeborg Quistgaard");
    cli.json(&["backup", "create", "--out", cli.path("b.bbk").to_str().unwrap()]);
    cli.json(&["citizen", "export", &c[..8], "--out", cli.path("i.html").to_str().unwrap()]);

    let page = cli.json(&["audit", "list"]);
    let entries = page["entries"].as_array().unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"backup_created") && kinds.contains(&"citizen_exported"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"vault_created"));
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first: {seqs:?}");
    let text = cli.text(&["audit", "list"]);
    assert!(text.contains("Backup made."), "{text}");
    assert!(!text.contains("Ingeborg"), "no names in the log");
    // Paged.
    let first = cli.json(&["audit", "list", "--limit", "2"]);
    assert_eq!(first["entries"].as_array().unwrap().len(), 2);
    let before = first["next_before"].as_u64().unwrap().to_string();
    let next = cli.json(&["audit", "list", "--limit", "2", "--before", &before]);
    assert!(next["entries"][0]["seq"].as_u64().unwrap() < first["entries"][1]["seq"].as_u64().unwrap());

    let v = cli.json(&["audit", "verify"]);
    assert_eq!((v["intact"].as_bool(), v["problem"].clone()), (Some(true), Value::Null));
    let sealed = v["sealed_entries"].as_u64().unwrap();

    // An entry added behind the app's back.
    let db = rusqlite::Connection::open(cli.dir.join("vault.db")).unwrap();
    db.execute(
        "INSERT INTO audit_log (seq, at, kind, object, count, hash) VALUES (?1, 0, 'unlocked', 'pin', 0, zeroblob(32))",
        [sealed as i64 + 1],
    )
    .unwrap();
    drop(db);
    let out = cli.run_env(&["--json", "audit", "verify"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!((answer["intact"].as_bool(), answer["broken_at"].as_u64()), (Some(false), Some(sealed + 1)));
    // The problem's code is the error's (a forged entry does not chain: "entry_changed").
    assert_eq!(e["error"], answer["problem"]);
    assert_eq!(e["error"], "entry_changed");
    assert!(e["message"].as_str().unwrap().contains(&(sealed + 1).to_string()), "says where: {e}");
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_citizens_export_is_a_new_private_html_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    cli.init();
    let c = cli.citizen("Ingeborg Quistgaard");
    cli.final_note(&c, "Drømmer om en kolonihave");
    let out = cli.path("indsigt.html");
    let done = cli.json(&["citizen", "export", &c[..7].to_uppercase(), "--out", out.to_str().unwrap()]);
    assert_eq!((done["citizen_id"].as_str(), done["language"].as_str()), (Some(c.as_str()), Some("da")));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Ingeborg Quistgaard") && html.contains("kolonihave"));
    assert_eq!(done["bytes"].as_u64(), Some(html.len() as u64));
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);

    let (code, e) = cli.fails(&["citizen", "export", &c, "--out", out.to_str().unwrap()]);
    assert_eq!((code, e["error"].as_str(), e["flag"].as_str()), (1, Some("output_exists"), Some("--out")));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), html, "not written over");

    let en = cli.path("access.html");
    let done = cli.json(&["citizen", "export", &c, "--out", en.to_str().unwrap(), "--language", "en"]);
    assert_eq!(done["language"], "en");
    assert_ne!(std::fs::read_to_string(&en).unwrap(), html);

    let (_, e) = cli.fails(&["citizen", "export", "abcdef12", "--out", cli.path("x.html").to_str().unwrap()]);
    assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some("not_found"), Some("ID")));
    assert!(!cli.path("x.html").exists());
}

#[test]
fn a_duress_pin_wipes_the_vault_when_it_is_entered() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    cli.init();
    cli.citizen("Ingeborg Quistgaard");
    assert_eq!(cli.lifecycle()["duress_pin_set"], false);

    let out = cli.run_env(&["duress-pin", "set", "--duress-pin", DURESS_PIN], &[]);
    assert_eq!(out.status.code(), Some(2), "never from argv");
    let (code, e) = cli.fails_env(&["duress-pin", "set"], &[("BROBYGGER_DURESS_PIN", PIN)]);
    assert_eq!((code, e["error"].as_str()), (1, Some("invalid_input")));
    assert_eq!(cli.lifecycle()["duress_pin_set"], false);

    // Piped on stdin, removed, then from the environment.
    let mut child = cli
        .cmd(&["--json", "duress-pin", "set"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{DURESS_PIN}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(cli.lifecycle()["duress_pin_set"], true);
    assert!(cli.text(&["status"]).contains("duress PIN set"));
    cli.json(&["duress-pin", "remove"]);
    assert_eq!(cli.lifecycle()["duress_pin_set"], false);
    cli.json_env(&["duress-pin", "set"], &[("BROBYGGER_DURESS_PIN", DURESS_PIN)]);
    assert_eq!(citizens(&cli).len(), 1, "the PIN still opens it");

    let duress = cli.other("v", DURESS_PIN);
    let (_, e) = duress.fails(&["citizen", "list"]);
    assert_eq!(e["error"], "no_vault");
    assert!(!cli.dir.join("vault.db").exists());
    assert!(!cli.dir.join("cli-keys").exists(), "looks freshly installed");
    let (_, e) = cli.fails(&["status"]);
    assert_eq!(e["error"], "no_vault");
    assert!(e.get("wiped_on").is_none(), "a duress wipe leaves no notice");
}

#[test]
fn days_without_an_unlock_wipe_the_vault_and_leave_a_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::new(&tmp);
    cli.init();
    cli.citizen("Ingeborg Quistgaard");
    let (_, e) = cli.fails(&["wipe-after", "set", "--days", "0"]);
    assert_eq!((e["error"].as_str(), e["flag"].as_str()), (Some("invalid_input"), Some("--days")));
    cli.json(&["wipe-after", "set", "--days", "3"]);
    let l = cli.lifecycle();
    assert_eq!((l["wipe_after_days"].as_u64(), l["days_until_wipe"].as_u64()), (Some(3), Some(3)));
    assert!(cli.text(&["status"]).contains("wiped after 3 days without an unlock (3 days left)"));

    // Switched off, nothing happens after the days; on again, an unlock restarts the count.
    cli.json(&["wipe-after", "off"]);
    assert_eq!(cli.at("2026-04-10T10:00:00Z").lifecycle()["wipe_after_days"], Value::Null);
    cli.json(&["wipe-after", "set", "--days", "3"]);
    let two_days = cli.at("2026-04-02T10:00:00Z");
    assert_eq!(two_days.lifecycle()["days_until_wipe"], 1, "a locked status is no unlock");
    assert_eq!(citizens(&two_days).len(), 1);
    assert_eq!(cli.at("2026-04-04T10:00:00Z").lifecycle()["days_until_wipe"], 1);

    // Three days after the last unlock: the first command at start wipes, even `status`.
    let gone = cli.at("2026-04-05T10:00:00Z");
    let (code, e) = gone.fails(&["status"]);
    assert_eq!((code, e["error"].as_str(), e["wiped_after_days"].as_u64()), (1, Some("no_vault"), Some(3)));
    assert_eq!(e["wiped_on"], "2026-04-05");
    assert!(e["message"].as_str().unwrap().contains("after 3 days without an unlock"), "{e}");
    assert!(!cli.dir.join("vault.db").exists() && !cli.dir.join("cli-keys").exists());
    // Every command says so until a new vault takes its place.
    let out = gone.run_env(&["citizen", "list"], &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Restore a backup, or create a new vault."));
    gone.init();
    gone.json(&["status"]);
    let kinds: Vec<String> = gone.json(&["audit", "list"])["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"previous_vault_wiped".to_string()), "{kinds:?}");
}

#[test]
fn help_lists_the_lifecycle_commands() {
    let out = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["backup", "restore", "retention", "audit", "duress-pin", "wipe-after", "BROBYGGER_DURESS_PIN"] {
        assert!(help.contains(cmd), "{cmd}");
    }
    let out = bin().args(["citizen", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("export"));
    for hidden in [vec!["restore", "--help"], vec!["backup", "verify", "--help"], vec!["duress-pin", "set", "--help"]] {
        let out = bin().args(&hidden).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && !help.contains("--recovery-key") && !help.contains("--duress-pin"),
            "{hidden:?}"
        );
    }
}
