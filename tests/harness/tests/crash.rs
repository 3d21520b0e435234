//! The crash supervisor: starts the driver, kills it with SIGKILL at a random moment,
//! reopens the vault and checks the promises; again and again on the same vault.
//! `BROBYGGER_CRASH_KILLS` sets the number of kills (300 in CI; see README for 10 000).

use brobygger_cli::keystore::FileKeyStore;
use brobygger_ffi::*;
use brobygger_harness::*;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn open(dir: &Path, clock_ms: i64) -> Arc<Vault> {
    Vault::open(dir.display().to_string(), Arc::new(FileKeyStore::new(dir)), Arc::new(StepClock(Mutex::new(clock_ms))))
        .expect("the vault opens after a kill")
}

/// Checks one kill's aftermath and records what the in-flight operation did.
fn check(dir: &Path, log: &Path, sender_log: &Path, kill: usize) {
    // 1. SQLite's own check, on the files exactly as the kill left them (after WAL recovery).
    {
        let conn = rusqlite::Connection::open(dir.join("vault.db")).unwrap();
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok", "kill {kill}: integrity");
    }
    let model = Model::from_log(log);
    let vault = open(dir, model.clock_ms);
    // 2. The last acknowledged PIN opens it (or, if a PIN change was in flight, maybe the new one).
    let in_flight = model.in_flight.clone();
    let pending_pin = in_flight
        .as_ref()
        .filter(|o| o["op"]["kind"] == "change_pin")
        .map(|o| o["op"]["new"].as_str().unwrap().to_string());
    let mut took_effect = false;
    match vault.unlock(model.pin.clone()) {
        Ok(()) => {}
        Err(BrobyggerError::WrongPin { .. }) if pending_pin.is_some() => {
            vault.unlock(pending_pin.clone().unwrap()).expect("the in-flight PIN opens it");
            took_effect = true;
        }
        Err(e) => panic!("kill {kill}: the acknowledged PIN does not open the vault: {e}"),
    }
    // 3. Every acknowledged operation is there (the in-flight one may or may not be).
    let flying = |kind: &str, id: &str| {
        in_flight.as_ref().is_some_and(|o| o["op"]["kind"] == kind && o["op"]["id"].as_str() == Some(id))
    };
    for (id, nickname) in &model.citizens {
        match vault.get_citizen(id.clone()) {
            Ok(c) => assert_eq!(&c.nickname, nickname, "kill {kill}"),
            Err(BrobyggerError::NotFound { .. }) if flying("delete_citizen", id) => took_effect = true,
            Err(e) => panic!("kill {kill}: acknowledged citizen lost: {e}"),
        }
    }
    for id in &model.deleted_citizens {
        assert!(
            matches!(vault.get_citizen(id.clone()), Err(BrobyggerError::NotFound { .. })),
            "kill {kill}: deleted citizen back"
        );
    }
    for (id, (_, text, finalized)) in &model.notes {
        let note = match vault.get_note(id.clone()) {
            Ok(n) => n,
            Err(e) => {
                let owner_deleting = in_flight.as_ref().is_some_and(|o| o["op"]["kind"] == "delete_citizen");
                assert!(owner_deleting, "kill {kill}: acknowledged note lost: {e}");
                continue;
            }
        };
        if &note.text != text {
            assert!(flying("save_draft", id), "kill {kill}: a saved draft was lost");
            took_effect = true;
        }
        let is_final = note.state != NoteState::Draft;
        if is_final != *finalized {
            assert!(flying("finalize", id), "kill {kill}: finalize lost");
            took_effect = true;
        }
    }
    for (id, (_, status)) in &model.appointments {
        let a = match vault.get_appointment(id.clone()) {
            Ok(a) => a,
            Err(e) => panic!("kill {kill}: acknowledged appointment lost: {e}"),
        };
        let expected = match status.as_str() {
            "planned" => AppointmentStatus::Planned,
            "rescheduled" => AppointmentStatus::Rescheduled,
            _ => AppointmentStatus::CancelledByWorker,
        };
        if a.status != expected && a.citizen_id.is_some() {
            assert!(
                flying("reschedule", id) || flying("cancel", id),
                "kill {kill}: appointment {:?}, expected {expected:?}",
                a.status
            );
            took_effect = true;
        }
    }
    // A creation in flight that landed is simply unknown to the next driver: no check needed.
    // 4. No reminder reached the sender twice; 5. none is left claimed once the new process
    // has made its first outbox operation (here `list_reminders`): claims of a dead process
    // become `unknown` then, not at open.
    let mut seen: HashMap<String, u32> = HashMap::new();
    for l in lines(sender_log) {
        *seen.entry(l["reminder_id"].as_str().unwrap().to_string()).or_default() += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "kill {kill}: a reminder reached the sender twice");
    for r in vault.list_reminders(None).unwrap() {
        assert!(r.state != ReminderState::Claimed, "kill {kill}: a claim survived the restart");
    }
    drop(vault);
    append(log, &json!({"phase": "resolved", "took_effect": took_effect, "result": null, "clock": model.clock_ms}));
}

#[test]
fn kill_the_driver_again_and_again() {
    let kills: usize = std::env::var("BROBYGGER_CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let (log, sender_log) = (tmp.path().join("ops.jsonl"), tmp.path().join("sent.jsonl"));
    let created = create_vault(
        dir.display().to_string(),
        FIRST_PIN.into(),
        Arc::new(FileKeyStore::new(&dir)),
        Arc::new(StepClock(Mutex::new(START_MS))),
    )
    .unwrap();
    created.vault.set_auto_lock_minutes(240).unwrap();
    created.vault.set_worker_profile("Mette".into(), "61223344".into(), WorkerRole::Caseworker).unwrap();
    drop(created);

    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for kill in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-driver"))
            .arg(&dir)
            .arg(&log)
            .arg(&sender_log)
            .arg(seed.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        // The driver opens and unlocks (one 600 000-round KDF), then works; kill it somewhere
        // in its first second and a half.
        std::thread::sleep(Duration::from_millis(300 + seed % 1200));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().ok();
        child.wait().unwrap();
        assert!(still_running, "kill {kill}: the driver stopped on its own (see its stderr)");
        check(&dir, &log, &sender_log, kill);
    }
    let model = Model::from_log(&log);
    eprintln!(
        "{kills} kills: {} acknowledged operations, {} citizens, {} notes, {} appointments, {} texts sent",
        model.acked_ops,
        model.citizens.len(),
        model.notes.len(),
        model.appointments.len(),
        lines(&sender_log).len()
    );
    eprintln!("kills inside an operation, by kind: {:?}", model.killed_in);
    assert!(model.acked_ops > kills, "the driver got work done between kills");
    // Leak scan: every name, case reference, note text and SMS text the driver wrote carries
    // "Marker"; no file of the vault folder (key folder included) may hold it in clear, after
    // all those kills.
    for path in files(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"Marker"), "plaintext marker in {}", path.display());
    }
    // Keys left in the key folder: those in use, plus any a kill orphaned between creating a
    // new state key and committing the file that names it (reported, not a failure).
    eprintln!("{} keys in the key folder after {kills} kills", FileKeyStore::new(&dir).key_count());
}
