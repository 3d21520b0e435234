//! The CLI's SMS senders: `console` shows each text; `file:PATH` appends one JSON line per
//! text and syncs it to disk before answering, so a text that was "sent" is on record even
//! if the process is killed the next instant. Each remembers what failed and why, so
//! `reminder send` can say it and exit non-zero.

use brobygger_ffi::{SendOutcome, SmsSender, SmsSenderError};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// One text handed to a sender: reminder id, number, text.
pub type Sent = (String, String, String);

fn take<T: Clone>(m: &Mutex<Vec<T>>) -> Vec<T> {
    m.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Collects the texts to show them once the run is done.
#[derive(Default)]
pub struct ConsoleSender {
    sent: Mutex<Vec<Sent>>,
}

impl ConsoleSender {
    pub fn sent(&self) -> Vec<Sent> {
        take(&self.sent)
    }
}

impl SmsSender for ConsoleSender {
    fn send(&self, reminder_id: String, number: String, text: String) -> Result<SendOutcome, SmsSenderError> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).push((reminder_id, number, text));
        Ok(SendOutcome::Accepted)
    }
}

pub struct FileSender {
    path: PathBuf,
    /// (reminder id, reason) of every text this sender could not record.
    failures: Mutex<Vec<(String, String)>>,
}

impl FileSender {
    pub fn new(path: PathBuf) -> Self {
        FileSender { path, failures: Mutex::new(Vec::new()) }
    }

    pub fn failures(&self) -> Vec<(String, String)> {
        take(&self.failures)
    }
}

impl SmsSender for FileSender {
    fn send(&self, reminder_id: String, number: String, text: String) -> Result<SendOutcome, SmsSenderError> {
        let line = json!({"reminder_id": reminder_id, "number": number, "text": text}).to_string();
        let written = std::fs::OpenOptions::new().create(true).append(true).open(&self.path).and_then(|mut f| {
            f.write_all(format!("{line}\n").as_bytes())?;
            f.sync_all()
        });
        match written {
            Ok(()) => Ok(SendOutcome::Accepted),
            Err(e) => {
                let reason = format!("cannot write the sender file: {}", e.kind());
                self.failures.lock().unwrap_or_else(|e| e.into_inner()).push((reminder_id, reason));
                // The file may hold part of the line: whether it "went out" is unclear.
                // A code, as the core records it (never free text).
                Err(SmsSenderError::Unclear { reason: "file_sender_write_failed".into() })
            }
        }
    }
}
