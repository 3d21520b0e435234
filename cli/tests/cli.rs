//! The CLI contract, as scripts and support staff use it: real processes, real files.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const PIN: &str = "112358";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brobygger"))
        .arg("--vault")
        .arg(dir)
        .args(args)
        .env("BROBYGGER_PIN", PIN)
        .env_remove("BROBYGGER_VAULT")
        .env_remove("BROBYGGER_NEW_PIN")
        .output()
        .unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn fails(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = run(dir, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
    (out.status.code().unwrap_or(-1), err)
}

#[test]
fn the_contract_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let init = json(&dir, &["init"]);
    assert_eq!(init["recovery_key"].as_str().unwrap().len(), 64);
    assert!(dir.join("cli-device.key").exists());

    let ole = json(&dir, &["citizen", "add", "--name", "Ole", "--phone", "+45 2030 4050", "--sms-consent", "verbal"]);
    let id = ole["id"].as_str().unwrap().to_string();
    assert_eq!(ole["phone"], "+4520304050");
    assert_eq!(ole["phone_kind"], "mobile");
    assert_eq!(ole["sms_consent"]["method"], "verbal");
    assert_eq!(ole["can_receive_sms"], true);
    let tom = json(&dir, &["citizen", "add", "--name", "Tom", "--language", "en"]);
    assert_eq!(tom["language"], "en");

    let list = json(&dir, &["citizen", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(json(&dir, &["citizen", "show", &id])["nickname"], "Ole");

    let n = json(
        &dir,
        &[
            "note",
            "add",
            "--citizen",
            &id,
            "--text",
            "Snak om flytning til Ærø",
            "--topic",
            "finances-housing",
            "--help-given",
            "forms",
        ],
    );
    let note_id = n["id"].as_str().unwrap().to_string();
    assert_eq!(n["state"], "draft");
    assert_eq!(n["topics"][0], "finances_housing");
    let anon = json(&dir, &["note", "add", "--text", "anonym samtale"]);
    assert_eq!(anon["citizen_id"], Value::Null);
    assert_eq!(json(&dir, &["note", "search", "ÆRØ"]).as_array().unwrap().len(), 1);
    assert_eq!(json(&dir, &["note", "list"]).as_array().unwrap().len(), 2);
    assert_eq!(json(&dir, &["note", "list", "--citizen", &id]).as_array().unwrap().len(), 1);
    assert_eq!(json(&dir, &["note", "finalize", &note_id])["state"], "final");
    assert_eq!(json(&dir, &["note", "show", &note_id])["text"], "Snak om flytning til Ærø");

    let (code, err) = fails(&dir, &["note", "edit", &note_id, "--text", "silent change"]);
    assert_eq!(code, 1);
    assert!(err.contains("amendment"), "{err}");

    let del = json(&dir, &["citizen", "delete", &id]);
    assert_eq!(del["deleted"], true);
    let (_, err) = fails(&dir, &["citizen", "show", &id]);
    assert!(err.contains("not found"), "{err}");
    let st = json(&dir, &["status"]);
    assert_eq!(st["kdf_iterations"], 600000);
}

#[test]
fn errors_are_one_line_and_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let (_, err) = fails(&dir, &["citizen", "list"]);
    assert!(err.contains("no vault"), "{err}");
    json(&dir, &["init"]);
    let (_, err) = fails(&dir, &["citizen", "add", "--name", "Bo", "--phone", "1234"]);
    assert!(err.contains("invalid phone"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_brobygger"))
        .args(["--json", "--vault"])
        .arg(&dir)
        .args(["citizen", "list"])
        .env("BROBYGGER_PIN", "000000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"], "wrong_pin");
    // No PIN and no terminal: a clear message, not a hang.
    let out = Command::new(env!("CARGO_BIN_EXE_brobygger"))
        .arg("--vault")
        .arg(&dir)
        .args(["citizen", "list"])
        .env_remove("BROBYGGER_PIN")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BROBYGGER_PIN"));
    let (_, err) = fails(&dir, &["init"]);
    assert!(err.contains("already exists"), "{err}");
    std::fs::write(dir.join("vault.db"), b"not a database at all, just some bytes that are long enough to look like a header........................................").unwrap();
    let (_, err) = fails(&dir, &["citizen", "list"]);
    assert!(err.contains("damaged"), "{err}");
    assert!(dir.join("vault.db").exists(), "never deleted");
}

#[test]
fn vault_dir_comes_from_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("from-env");
    let out = Command::new(env!("CARGO_BIN_EXE_brobygger"))
        .args(["--json", "init"])
        .env("BROBYGGER_VAULT", &dir)
        .env("BROBYGGER_PIN", PIN)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.join("vault.db").exists());
}

#[test]
fn demo_runs_and_cleans_up() {
    let out = Command::new(env!("CARGO_BIN_EXE_brobygger")).args(["--json", "demo"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = v["steps"].as_array().unwrap();
    assert!(steps.len() >= 8);
    let search = steps.iter().find(|s| s["step"].as_str().unwrap().contains("Search")).unwrap();
    assert_eq!(search["shows"].as_array().unwrap().len(), 1);
    let locked = steps.iter().find(|s| s["step"].as_str().unwrap().contains("locked")).unwrap();
    assert_eq!(locked["shows"]["wrong_pin"], "wrong PIN; 9 attempts left");
}

#[test]
fn help_lists_the_commands() {
    let out = Command::new(env!("CARGO_BIN_EXE_brobygger")).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["init", "citizen", "note", "demo", "BROBYGGER_PIN"] {
        assert!(help.contains(cmd), "{cmd}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_brobygger")).args(["note", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["add", "list", "show", "search", "finalize"] {
        assert!(help.contains(cmd), "{cmd}");
    }
}
