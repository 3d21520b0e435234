//! The crash driver: random operations through brobygger-ffi's Rust API on a vault on
//! disk, each logged as intent before and acknowledged after the call returned, among them
//! locks, unlocks and wrong PINs, each of which replaces the vault state's key in the CLI's
//! file key store. It runs until killed. `crash-driver VAULT_DIR SIDE_LOG SENDER_LOG SEED`

use brobygger_cli::keystore::FileKeyStore;
use brobygger_cli::senders::FileSender;
use brobygger_ffi::*;
use brobygger_harness::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, log, sender_log) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]), PathBuf::from(&args[3]));
    let mut rng = Rng(args[4].parse::<u64>().unwrap_or(1) | 1);
    let mut model = Model::from_log(&log);
    let clock = Arc::new(StepClock(Mutex::new(model.clock_ms + TICK_MS)));
    let vault = Vault::open(dir.display().to_string(), Arc::new(FileKeyStore::new(&dir)), clock.clone()).expect("open");
    unlock(&vault, &log, &model.pin, model.clock_ms + TICK_MS);
    let sender = Arc::new(FileSender::new(sender_log));
    let mut n: u64 = 0;
    loop {
        n += 1;
        let now = {
            let mut c = clock.0.lock().unwrap_or_else(|e| e.into_inner());
            *c += TICK_MS;
            *c
        };
        if !vault.is_unlocked() {
            unlock(&vault, &log, &model.pin, now);
        }
        let citizens: Vec<String> = model.citizens.keys().cloned().collect();
        let drafts: Vec<String> = model.notes.iter().filter(|(_, n)| !n.2).map(|(id, _)| id.clone()).collect();
        let planned: Vec<String> =
            model.appointments.iter().filter(|(_, a)| a.1 == "planned").map(|(id, _)| id.clone()).collect();
        let day = chrono_day(now, 1 + rng.below(3) as i64);
        let op: Value = match rng.below(22) {
            0..=2 => json!({"kind": "add_citizen", "nickname": format!("Marker{n}Borger")}),
            3 if citizens.len() > 3 => json!({"kind": "delete_citizen", "id": rng.pick(&citizens)}),
            4..=6 => {
                json!({"kind": "create_note", "citizen": rng.pick(&citizens), "text": format!("NoteMarker{n} første udkast")})
            }
            7..=9 if !drafts.is_empty() => {
                json!({"kind": "save_draft", "id": rng.pick(&drafts), "text": format!("NoteMarker{n} gemt igen")})
            }
            10 if !drafts.is_empty() => json!({"kind": "finalize", "id": rng.pick(&drafts)}),
            11..=12 if !citizens.is_empty() => {
                json!({"kind": "book", "citizen": rng.pick(&citizens), "at": format!("{day}T{:02}:{:02}", 9 + rng.below(8), 15 * rng.below(4))})
            }
            13 if !planned.is_empty() => {
                json!({"kind": "reschedule", "id": rng.pick(&planned), "at": format!("{day}T15:30")})
            }
            14 if !planned.is_empty() => json!({"kind": "cancel", "id": rng.pick(&planned)}),
            15..=17 => json!({"kind": "run_outbox"}),
            18 if n % 7 == 0 => {
                json!({"kind": "change_pin", "old": model.pin, "new": format!("{:06}", 100_000 + rng.below(899_999))})
            }
            // Every lock, unlock and PIN attempt replaces the vault state's key in the key store.
            19 if n % 4 == 0 => json!({"kind": "lock_unlock"}),
            20 if n % 4 == 2 => json!({"kind": "wrong_pin"}),
            _ => continue,
        };
        append(&log, &intent(&op, now));
        let s = |k: &str| op[k].as_str().unwrap_or_default().to_string();
        let result: Value = match op["kind"].as_str().unwrap_or_default() {
            "add_citizen" => {
                let c = vault
                    .add_citizen(NewCitizen {
                        nickname: s("nickname"),
                        phone: Some(format!("20{:06}", 304_050 + n % 600_000)),
                        sms_consent: Some(ConsentMethod::Verbal),
                        language: SmsLanguage::Da,
                        case_reference: Some(format!("CaseMarker{n}")),
                    })
                    .expect("add citizen");
                json!({"id": c.id})
            }
            "delete_citizen" => {
                vault.delete_citizen(s("id")).expect("delete citizen");
                Value::Null
            }
            "create_note" => {
                let note = vault
                    .create_note(NoteInput {
                        citizen_id: op["citizen"].as_str().map(Into::into),
                        text: s("text"),
                        topics: vec![],
                        help_given: vec![],
                        occurred_at: None,
                    })
                    .expect("create note");
                json!({"id": note.id})
            }
            "save_draft" => {
                let citizen = model.notes.get(&s("id")).and_then(|n| n.0.clone());
                vault
                    .save_draft(
                        s("id"),
                        NoteInput {
                            citizen_id: citizen,
                            text: s("text"),
                            topics: vec![],
                            help_given: vec![],
                            occurred_at: None,
                        },
                    )
                    .expect("save");
                Value::Null
            }
            "finalize" => {
                vault.finalize_note(s("id")).expect("finalize");
                Value::Null
            }
            "book" => {
                let b = vault
                    .book_appointment(NewAppointment {
                        citizen_id: s("citizen"),
                        venue_id: None,
                        local_start: local(&s("at")),
                        duration_minutes: 30,
                        kind: AppointmentKind::Conversation,
                        outside_place: None,
                    })
                    .expect("book");
                json!({"id": b.appointment.id})
            }
            "reschedule" => {
                let b = vault.reschedule_appointment(s("id"), local(&s("at")), None).expect("reschedule");
                json!({"id": b.appointment.id})
            }
            "cancel" => {
                vault.cancel_appointment(s("id"), CancelledBy::Worker).expect("cancel");
                Value::Null
            }
            "run_outbox" => {
                let run = vault.run_outbox(sender.clone(), None).expect("outbox");
                json!({"sent": run.sent})
            }
            "change_pin" => {
                vault.change_pin(s("old"), s("new")).expect("change pin");
                Value::Null
            }
            "lock_unlock" => {
                vault.lock();
                vault.unlock(model.pin.clone()).expect("unlock after lock");
                Value::Null
            }
            "wrong_pin" => {
                vault.lock();
                match vault.unlock("000000".into()) {
                    Err(BrobyggerError::WrongPin { .. }) => {}
                    other => panic!("a wrong PIN gave {other:?}"),
                }
                vault.unlock(model.pin.clone()).expect("the right PIN after a wrong one");
                Value::Null
            }
            _ => continue,
        };
        append(&log, &ack(&op, result.clone(), now));
        model.apply(&op, &result);
    }
}

/// Unlocks outside a logged operation. The clock goes to the side log first: every PIN
/// attempt is counted in the vault with the time it was made, and the supervisor's clock
/// (the latest in the log) must not be earlier than that.
fn unlock(vault: &Vault, log: &std::path::Path, pin: &str, now: i64) {
    append(log, &json!({"phase": "clock", "clock": now}));
    vault.unlock(pin.to_string()).expect("unlock");
}

/// A wall-clock time as the side log writes it (`YYYY-MM-DDTHH:MM`).
fn local(s: &str) -> LocalDateTime {
    LocalDateTime(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").expect("the driver writes valid times"))
}

/// The calendar date `days` after the instant `ms` (UTC; close enough for booking).
fn chrono_day(ms: i64, days: i64) -> String {
    let date = chrono::DateTime::from_timestamp_millis(ms).map(|t| t.date_naive()).unwrap_or_default();
    (date + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
}
