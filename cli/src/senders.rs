//! The CLI's SMS senders: `console` shows each text; `file:PATH` appends one JSON line per
//! text and syncs it to disk before answering, so a text that was "sent" is on record even
//! if the process is killed the next instant.

use brobygger_ffi::{SendOutcome, SmsSender, SmsSenderError};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// Collects the texts to show them once the run is done.
#[derive(Default)]
pub struct ConsoleSender {
    pub sent: Mutex<Vec<(String, String, String)>>,
}

impl SmsSender for ConsoleSender {
    fn send(&self, reminder_id: String, number: String, text: String) -> Result<SendOutcome, SmsSenderError> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).push((reminder_id, number, text));
        Ok(SendOutcome::Accepted)
    }
}

pub struct FileSender {
    pub path: PathBuf,
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
            // The file may hold part of the line: whether it "went out" is unclear.
            Err(_) => Err(SmsSenderError::Unclear { reason: "cannot write the sender file".into() }),
        }
    }
}
