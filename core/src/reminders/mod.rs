//! SMS reminders: when they go (`planner`), and the outbox that hands them to the
//! platform's sender exactly once (`outbox`).

pub mod outbox;
pub mod planner;

pub use outbox::{Hold, OutboxRun, Reminder, ReminderState, Resolution, SendOutcome, SenderFailure, SmsSender};
pub use planner::ReminderKind;
