//! The crash harness's shared parts: the side log of operations, the model rebuilt from
//! it, and the platform (file key store, a clock the driver moves).
//!
//! The driver appends `{"phase":"intent",...}` before each call and `{"phase":"ack",...}`
//! after it returned, each line synced. An operation is *acknowledged* when its ack line is
//! on disk. After a kill, at most one operation is in flight (intent without ack): its
//! effect may or may not be in the vault, and the supervisor records what it found with a
//! `resolved` line before the next driver starts.

pub mod faulty_vfs;

use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub const FIRST_PIN: &str = "314159";
/// The driver's clock starts here and moves 2 minutes per operation.
pub const START_MS: i64 = 1_772_438_400_000; // 2026-03-02T08:00:00Z
pub const TICK_MS: i64 = 120_000;

pub fn append(path: &Path, line: &Value) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("side log");
    f.write_all(format!("{line}\n").as_bytes()).expect("side log write");
    f.sync_all().expect("side log sync");
}

/// Every file under `dir`, the key folder (`cli-keys/`) included.
pub fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Copies a vault folder, its key folder included.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Lines of a log; a last line cut by the kill is ignored.
pub fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap_or_default().lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// What the vault must hold, from acknowledged operations.
#[derive(Debug, Default, Clone)]
pub struct Model {
    pub pin: String,
    pub clock_ms: i64,
    pub citizens: HashMap<String, String>,
    pub deleted_citizens: HashSet<String>,
    /// note id → (citizen, text, final)
    pub notes: HashMap<String, (Option<String>, String, bool)>,
    /// appointment id → (citizen, status)
    pub appointments: HashMap<String, (String, String)>,
    /// The operation in flight when the driver was killed, if any.
    pub in_flight: Option<Value>,
    pub acked_ops: usize,
    /// How many kills landed inside each kind of operation.
    pub killed_in: std::collections::BTreeMap<String, usize>,
}

impl Model {
    pub fn from_log(path: &Path) -> Model {
        let mut m = Model { pin: FIRST_PIN.into(), clock_ms: START_MS, ..Default::default() };
        for line in lines(path) {
            m.clock_ms = m.clock_ms.max(line["clock"].as_i64().unwrap_or(0));
            match line["phase"].as_str() {
                Some("intent") => m.in_flight = Some(line),
                Some("ack") => {
                    m.apply(&line["op"], &line["result"]);
                    m.in_flight = None;
                    m.acked_ops += 1;
                }
                Some("resolved") => {
                    if let Some(op) = m.in_flight.take() {
                        let kind = op["op"]["kind"].as_str().unwrap_or_default().to_string();
                        *m.killed_in.entry(kind).or_default() += 1;
                        if line["took_effect"].as_bool() == Some(true) {
                            m.apply(&op["op"], &line["result"]);
                        }
                    }
                }
                _ => {}
            }
        }
        m
    }

    /// Applies an operation. A creation whose id is unknown (it was in flight when the
    /// driver was killed) is not tracked.
    pub fn apply(&mut self, op: &Value, result: &Value) {
        let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let created = result["id"].as_str().is_some();
        if !created && ["add_citizen", "create_note", "book"].contains(&op["kind"].as_str().unwrap_or_default()) {
            return;
        }
        match op["kind"].as_str().unwrap_or_default() {
            "add_citizen" => {
                self.citizens.insert(s(&result["id"]), s(&op["nickname"]));
            }
            "delete_citizen" => {
                let id = s(&op["id"]);
                self.citizens.remove(&id);
                self.deleted_citizens.insert(id.clone());
                self.notes.retain(|_, n| n.0.as_deref() != Some(id.as_str()));
                self.appointments.retain(|_, a| a.0 != id);
            }
            "create_note" => {
                self.notes.insert(s(&result["id"]), (op["citizen"].as_str().map(Into::into), s(&op["text"]), false));
            }
            "save_draft" => {
                if let Some(n) = self.notes.get_mut(&s(&op["id"])) {
                    n.1 = s(&op["text"]);
                }
            }
            "finalize" => {
                if let Some(n) = self.notes.get_mut(&s(&op["id"])) {
                    n.2 = true;
                }
            }
            "book" => {
                self.appointments.insert(s(&result["id"]), (s(&op["citizen"]), "planned".into()));
            }
            "reschedule" => {
                if let Some(a) = self.appointments.get_mut(&s(&op["id"])) {
                    a.1 = "rescheduled".into();
                    let citizen = a.0.clone();
                    if created {
                        self.appointments.insert(s(&result["id"]), (citizen, "planned".into()));
                    }
                }
            }
            "cancel" => {
                if let Some(a) = self.appointments.get_mut(&s(&op["id"])) {
                    a.1 = "cancelled_by_worker".into();
                }
            }
            "change_pin" => self.pin = s(&op["new"]),
            _ => {}
        }
    }
}

/// The driver's clock: the instant the driver last logged, moved on by each operation.
pub struct StepClock(pub Mutex<i64>);

impl brobygger_ffi::Clock for StepClock {
    fn now(&self) -> SystemTime {
        let ms = *self.0.lock().unwrap_or_else(|e| e.into_inner());
        SystemTime::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
    }
}

pub fn intent(op: &Value, clock: i64) -> Value {
    json!({"phase": "intent", "op": op, "clock": clock})
}

pub fn ack(op: &Value, result: Value, clock: i64) -> Value {
    json!({"phase": "ack", "op": op, "result": result, "clock": clock})
}
