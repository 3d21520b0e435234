//! Setting the worker's profile: the texts waiting in the outbox carry the worker's name and
//! number, so they are written anew, and bookings made before there was a profile get their
//! reminders now.

use crate::error::CoreResult;
use crate::store;
use crate::vault::Vault;
use crate::worker::{self, WorkerProfile, WorkerRole};

/// What setting the profile did to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSaved {
    pub profile: WorkerProfile,
    /// Reminders not yet handed to a sender, written anew with the new name and number.
    pub reminders_rewritten: u32,
    /// Reminders planned for bookings that had none for want of a profile.
    pub reminders_planned: u32,
}

impl Vault {
    /// Who signs the reminders. Required before reminders can be planned.
    pub fn set_worker_profile(&self, name: &str, phone: &str, role: WorkerRole) -> CoreResult<ProfileSaved> {
        let profile = worker::check_profile(name, phone, role)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            let (rewritten, planned) = store::write_tx(ctx.conn, |tx| {
                worker::save_profile(tx, keys, &profile)?;
                crate::reminders::plan::after_profile_change(self, tx, keys, now)
            })?;
            Ok(ProfileSaved { profile, reminders_rewritten: rewritten, reminders_planned: planned })
        })
    }
}
