//! What one action of the worker does across capabilities: booking plans reminders,
//! cancelling cancels them, deleting a citizen releases their appointments, a new profile
//! re-renders the texts waiting in the outbox, an unlock brings old data up to date.
//!
//! The capabilities below (`citizens`, `appointments`, `reminders`, `worker`, ...) each own
//! their tables and know nothing of the ones above them; this layer is the only place that
//! combines them, each action in one transaction.

pub mod booking;
pub mod citizens;
pub mod session;
pub mod worker;

pub use booking::{Booking, BookingReminder};
