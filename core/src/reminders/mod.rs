//! SMS reminders: when they go (`planner`, a pure function), what they say and whether the
//! worker must approve them (`plan`), and the outbox that hands them to the platform's sender
//! exactly once (`outbox`).

pub mod outbox;
pub mod plan;
pub mod planner;

pub use outbox::{
    HeldWord, Hold, OutboxRun, Reminder, ReminderState, Resolution, SendOutcome, SenderFailure, SmsSender, UpcomingSend,
};
pub use planner::ReminderKind;
