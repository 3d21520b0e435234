//! Booking, previewing, moving, cancelling and closing appointments, with their reminders.
//!
//! A preview runs the very same booking in a transaction that is rolled back, so what the
//! screen shows before saving (warnings with details, the reminders with their local send
//! times and texts) is exactly what saving will do.

use crate::appointments::{
    self, Appointment, AppointmentStatus, BookingWarning, CancelledBy, NewAppointment, NoReminderReason, Outcome,
};
use crate::citizens;
use crate::error::{CoreError, CoreResult};
use crate::reminders::{outbox, plan, Hold, Reminder};
use crate::time::local;
use crate::vault::keyring::Keyring;
use crate::vault::Vault;
use crate::venues::parse_zone;
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{params, Connection};

/// A reminder as a booking shows it: with its send time on the venue's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingReminder {
    pub reminder: Reminder,
    pub local_send_at: NaiveDateTime,
}

/// The answer to booking, previewing or rescheduling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub appointment: Appointment,
    pub warnings: Vec<BookingWarning>,
    pub reminders: Vec<BookingReminder>,
    /// Set when no reminders were planned, saying why.
    pub no_reminders: Option<NoReminderReason>,
}

impl Booking {
    /// The warnings' codes, in order.
    pub fn warning_kinds(&self) -> Vec<appointments::Warning> {
        self.warnings.iter().map(BookingWarning::kind).collect()
    }
}

/// Books `new` in the caller's transaction: the appointment, its warnings, its reminders.
fn book(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    new: &NewAppointment,
    place: Option<&str>,
    rescheduled_from: Option<&str>,
    now: DateTime<Utc>,
) -> CoreResult<Booking> {
    let citizen = citizens::load_in(conn, keys, &new.citizen_id)?;
    let (appointment, resolution) = appointments::insert(conn, keys, new, place, rescheduled_from, now)?;
    let mut warnings = appointments::warnings(conn, keys, &appointment, new.local_start, resolution, now)?;
    let planned = plan::plan_for(vault, conn, keys, &appointment, &citizen, now, true)?;
    let tz = parse_zone(&appointment.time_zone).map_err(|_| CoreError::Corrupt)?;
    let (reminders, no_reminders) = match planned {
        Ok(_) => {
            let all = outbox::for_appointment(conn, keys, &appointment.id, now)?;
            let shown = all
                .into_iter()
                .map(|r| BookingReminder { local_send_at: local::local(tz, r.send_at), reminder: r })
                .collect::<Vec<_>>();
            (shown, None)
        }
        Err(reason) => (Vec::new(), Some(reason)),
    };
    for r in reminders.iter().map(|b| &b.reminder).filter(|r| r.hold.is_some()) {
        warnings.push(BookingWarning::SmsHeld {
            reminder_id: r.id.clone(),
            words: r.held_for.iter().map(|w| w.word.clone()).collect(),
            too_long: r.hold == Some(Hold::TooLong),
        });
    }
    // One order for every shell: by kind (overlap, office hours, absence, holiday, past, DST, held).
    warnings.sort_by_key(BookingWarning::kind);
    Ok(Booking { appointment, warnings, reminders, no_reminders })
}

impl Vault {
    /// Books an appointment. Problems with the time are warnings, not errors; reminders are
    /// planned when the citizen can receive them, and the answer says why when not.
    pub fn book_appointment(&self, new: NewAppointment) -> CoreResult<Booking> {
        let place = appointments::check_new(&new)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| book(self, tx, keys, &new, place.as_deref(), None, now))
        })
    }

    /// What [`Vault::book_appointment`] would do, without keeping anything: the same booking
    /// in a transaction that is rolled back.
    pub fn preview_booking(&self, new: NewAppointment) -> CoreResult<Booking> {
        let place = appointments::check_new(&new)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            let tx = ctx.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            let preview = book(self, &tx, keys, &new, place.as_deref(), None, now);
            tx.rollback()?;
            preview
        })
    }

    /// Moves an appointment: the old one becomes `rescheduled` and links to a new one at
    /// `local_start` (same citizen, venue, kind, place); its pending reminders are cancelled
    /// and the new one's planned.
    pub fn reschedule_appointment(
        &self,
        id: &str,
        local_start: NaiveDateTime,
        duration_minutes: Option<u32>,
    ) -> CoreResult<Booking> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                let old = appointments::active(tx, keys, id)?;
                let citizen_id =
                    old.citizen_id.clone().ok_or(CoreError::InvalidState { reason: "the citizen has been deleted" })?;
                let new = NewAppointment {
                    citizen_id,
                    venue_id: old.venue_id.clone(),
                    local_start,
                    duration_minutes: duration_minutes
                        .unwrap_or(((old.ends_at - old.starts_at).num_minutes()).clamp(5, 720) as u32),
                    kind: old.kind,
                    outside_place: old.outside_place.clone(),
                };
                let place = appointments::check_new(&new)?;
                outbox::cancel_pending(tx, keys, id, "rescheduled", now)?;
                let booking = book(self, tx, keys, &new, place.as_deref(), Some(id), now)?;
                appointments::set_status(tx, id, AppointmentStatus::Rescheduled, now, false, false)?;
                tx.execute(
                    "UPDATE appointments SET rescheduled_to = ?2 WHERE id = ?1",
                    params![id, booking.appointment.id],
                )?;
                Ok(booking)
            })
        })
    }

    /// Cancels an appointment and whatever reminders have not gone out.
    pub fn cancel_appointment(&self, id: &str, by: CancelledBy) -> CoreResult<Appointment> {
        let status = match by {
            CancelledBy::Citizen => AppointmentStatus::CancelledByCitizen,
            CancelledBy::Worker => AppointmentStatus::CancelledByWorker,
        };
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                appointments::active(tx, keys, id)?;
                outbox::cancel_pending(tx, keys, id, "appointment_cancelled", now)?;
                appointments::set_status(tx, id, status, now, false, false)?;
                appointments::load(tx, keys, id)
            })
        })
    }

    /// Records whether the citizen came, once the appointment has started (a no-show cannot be
    /// known before). A recorded outcome can be corrected (attended ↔ no-show): the time of
    /// the correction is kept, and reminders cancelled when the outcome was first recorded
    /// stay cancelled.
    pub fn set_outcome(&self, id: &str, outcome: Outcome) -> CoreResult<Appointment> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                let a = appointments::load(tx, keys, id)?;
                match a.status {
                    AppointmentStatus::Planned | AppointmentStatus::Confirmed => {
                        if now < a.starts_at {
                            return Err(CoreError::InvalidState {
                                reason: "an outcome can be recorded only once the appointment has started",
                            });
                        }
                        outbox::cancel_pending(tx, keys, id, "outcome_recorded", now)?;
                        appointments::set_status(tx, id, outcome.status(), now, true, false)?;
                    }
                    AppointmentStatus::Attended | AppointmentStatus::NoShow => {
                        if a.status == outcome.status() {
                            return Err(CoreError::InvalidState {
                                reason: match a.status {
                                    AppointmentStatus::Attended => "the outcome is already recorded as attended",
                                    _ => "the outcome is already recorded as no-show",
                                },
                            });
                        }
                        appointments::set_status(tx, id, outcome.status(), now, false, true)?;
                    }
                    _ => {
                        return Err(CoreError::InvalidState {
                            reason: "a cancelled or moved appointment has no outcome",
                        })
                    }
                }
                appointments::load(tx, keys, id)
            })
        })
    }

    /// The citizen confirmed they will come.
    pub fn confirm_appointment(&self, id: &str) -> CoreResult<Appointment> {
        self.with_session(|ctx| {
            let a = appointments::active(ctx.conn, ctx.keys, id)?;
            appointments::set_status(ctx.conn, &a.id, AppointmentStatus::Confirmed, ctx.now, false, false)?;
            appointments::load(ctx.conn, ctx.keys, id)
        })
    }
}
