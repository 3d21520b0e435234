//! SMS reminders: the outbox run (no PIN, as the phone's background job), the worker's
//! decisions on held, unknown and failed texts, and late results from the platform.

use crate::app::{answer, unlock, CliError, Ctx, Reply, Session};
use crate::codes::{parser, SendResult};
use crate::directory::{is_whole, Directory};
use crate::show::*;
use crate::times::{self, rfc3339};
use brobygger_cli::senders::{ConsoleSender, FileSender, Sent};
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Subcommand)]
pub enum ReminderCmd {
    /// Reminders of one appointment, or everything open and the last 7 days
    List {
        #[arg(long)]
        appointment: Option<String>,
    },
    /// Hand everything due now to a sender (no PIN needed, as on the phone); exit status 1
    /// when the sender failed
    Send {
        /// console, or file:PATH (one JSON line per text)
        #[arg(long, default_value = "console")]
        sender: String,
        /// At most this many texts in this run
        #[arg(long)]
        limit: Option<u32>,
    },
    /// When the coming texts go out (no PIN needed; no personal data)
    Upcoming {
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
    /// Rewrite a text not yet handed to the sender; it is checked again
    Edit {
        id: String,
        #[arg(long)]
        text: String,
    },
    /// Let one held text (flagged or too long) go out
    Approve { id: String },
    /// The worker's decision on an unknown or failed reminder
    Resolve {
        id: String,
        #[arg(value_parser = parser::<Resolution>())]
        resolution: Resolution,
    },
    /// A send result that came late (the app died meanwhile, or the user answered the
    /// compose screen): sent or failed
    Result {
        id: String,
        #[arg(value_parser = parser::<SendResult>())]
        result: SendResult,
    },
    /// Record a delivery report
    Delivered {
        id: String,
        /// The network reported it undelivered
        #[arg(long)]
        failed: bool,
    },
}

fn one(r: &Reminder, d: &Directory) -> crate::app::Answer {
    let zone = d.zone_of(&r.appointment_id);
    answer(reminder_json(r, &zone), reminder_text(r, &zone))
}

pub fn run(ctx: &Ctx, cmd: ReminderCmd) -> Reply {
    match cmd {
        ReminderCmd::Send { sender, limit } => send(ctx, &sender, limit),
        ReminderCmd::Upcoming { limit } => {
            let sends = ctx.open()?.upcoming_sends(limit)?;
            let text = if sends.is_empty() {
                "Nothing waits to be sent.".to_string()
            } else {
                sends
                    .iter()
                    .map(|u| format!("{}  {} text(s)", times::home(u.at), u.count))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            Ok(answer(
                Value::Array(
                    sends
                        .iter()
                        .map(|u| json!({"at": rfc3339(u.at), "local_at": times::home(u.at), "count": u.count}))
                        .collect(),
                ),
                text,
            ))
        }
        // Platform reports need no PIN, unless a prefix must be looked up.
        ReminderCmd::Result { id, result } => {
            let vault = Session(ctx.open()?);
            if !is_whole(&id) {
                unlock(&vault)?;
            }
            let d = Directory::new(&vault);
            let r = vault.record_send_result(d.reminder(&id, "ID")?, result == SendResult::Sent, None)?;
            Ok(one(&r, &d))
        }
        ReminderCmd::Delivered { id, failed } => {
            let vault = Session(ctx.open()?);
            if !is_whole(&id) {
                unlock(&vault)?;
            }
            let d = Directory::new(&vault);
            let r = vault.record_delivery(d.reminder(&id, "ID")?, !failed)?;
            Ok(one(&r, &d))
        }
        ReminderCmd::List { appointment } => {
            let vault = ctx.unlocked()?;
            let d = Directory::new(&vault);
            let appointment = appointment.map(|a| d.appointment(&a, "--appointment")).transpose()?;
            let items = vault.list_reminders(appointment)?;
            let zone = |r: &Reminder| d.zone_of(&r.appointment_id);
            Ok(answer(
                Value::Array(items.iter().map(|r| reminder_json(r, &zone(r))).collect()),
                if items.is_empty() {
                    "No reminders.".into()
                } else {
                    items.iter().map(|r| reminder_text(r, &zone(r))).collect::<Vec<_>>().join("\n")
                },
            ))
        }
        ReminderCmd::Edit { id, text } => {
            let vault = ctx.unlocked()?;
            let d = Directory::new(&vault);
            Ok(one(&vault.edit_reminder_text(d.reminder(&id, "ID")?, text)?, &d))
        }
        ReminderCmd::Approve { id } => {
            let vault = ctx.unlocked()?;
            let d = Directory::new(&vault);
            Ok(one(&vault.approve_reminder_text(d.reminder(&id, "ID")?)?, &d))
        }
        ReminderCmd::Resolve { id, resolution } => {
            let vault = ctx.unlocked()?;
            let d = Directory::new(&vault);
            Ok(one(&vault.resolve_reminder(d.reminder(&id, "ID")?, resolution)?, &d))
        }
    }
}

fn send(ctx: &Ctx, sender: &str, limit: Option<u32>) -> Reply {
    // Like the phone's background job: no PIN, only the platform key store.
    let vault = ctx.open()?;
    let (run, texts, failures): (OutboxRun, Vec<Sent>, Vec<(String, String)>) = if sender == "console" {
        let console = Arc::new(ConsoleSender::default());
        let run = vault.run_outbox(console.clone(), limit)?;
        (run, console.sent(), Vec::new())
    } else if let Some(path) = sender.strip_prefix("file:").filter(|p| !p.is_empty()) {
        let file = Arc::new(FileSender::new(path.into()));
        let run = vault.run_outbox(file.clone(), limit)?;
        (run, Vec::new(), file.failures())
    } else {
        return Err(CliError::input("--sender", format!("'{sender}' is neither console nor file:PATH")));
    };
    let mut text = format!(
        "Handed over {}: {} sent, {} failed, {} to retry, {} unclear, {} too late; {} held for approval.",
        run.handed_over, run.sent, run.failed, run.retry_scheduled, run.unknown, run.too_late, run.held
    );
    if run.left_for_next_run > 0 {
        text.push_str(&format!(" {} left for the next run.", run.left_for_next_run));
    }
    for (_, number, t) in &texts {
        text.push_str(&format!("\nSMS to {}:\n  {t}", display_phone_number(number.clone())));
    }
    let mut a = answer(
        json!({
            "handed_over": run.handed_over, "sent": run.sent, "failed": run.failed,
            "retry_scheduled": run.retry_scheduled, "needs_user": run.needs_user, "unknown": run.unknown,
            "too_late": run.too_late, "held": run.held, "left_for_next_run": run.left_for_next_run,
            "texts": texts.iter().map(|(id, n, t)| json!({"reminder_id": id, "number": n, "text": t})).collect::<Vec<_>>(),
            "sender_failures": failures.iter().map(|(id, why)| json!({"reminder_id": id, "reason": why})).collect::<Vec<_>>(),
        }),
        text,
    );
    if let Some((_, why)) = failures.first() {
        a.failure = Some(CliError::failed(
            "sender_failed",
            format!(
                "the sender failed for {} of {} text(s): {why}; they are marked unclear (`brobygger today` lists them)",
                failures.len(),
                run.handed_over
            ),
        ));
    }
    Ok(a)
}
