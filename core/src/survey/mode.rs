//! Survey mode: the worker hands the phone to a citizen after a talk, and the phone shows
//! the survey and nothing else until the worker's PIN (or biometrics) takes it back.
//!
//! How it is enforced: starting survey mode needs the vault unlocked; it derives the survey
//! key (which seals answers and opens nothing) and then **locks the vault**. Every key that
//! opens personal data leaves memory, and every call that needs one is refused with
//! `Locked`, exactly as on a locked phone — a bug in a shell cannot show a note in survey
//! mode, because the keys to read it are gone. Only [`SurveyMode::add_answer`] writes, and
//! reminders keep going out (the outbox needs no PIN).
//!
//! Leaving is the vault's own unlock, with the PIN or the biometric secret: wrong PINs are
//! counted, delayed and in the end disable the PIN exactly as on the lock screen.
//!
//! Auto-lock: the vault is locked throughout survey mode, so its idle timer has nothing left
//! to lock. Survey mode itself ends after [`SURVEY_IDLE_MINUTES`] without a form (measured on
//! the vault's injected clock), so a phone forgotten in survey mode does not collect answers
//! for days; the shell then shows the PIN screen. If the app dies, survey mode dies with it
//! and the vault is locked.

use super::{check_answers, insert, today_at, venue_zone, SurveyKey};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::vault::Vault;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::sync::{Mutex, MutexGuard};

/// Survey mode ends after this long without a form.
pub const SURVEY_IDLE_MINUTES: i64 = 15;

struct Active {
    key: SurveyKey,
    last_activity: DateTime<Utc>,
}

/// A phone in survey mode. Holds the survey key until it ends (left with the PIN, idle too
/// long, or dropped); the key is wiped then.
pub struct SurveyMode {
    /// The vault it was started on (its random per-open id).
    instance: String,
    venue_id: String,
    zone: Tz,
    active: Mutex<Option<Active>>,
}

fn idle_too_long(last: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    // A clock set backwards counts as no idle time, never as negative idle time.
    now - last >= Duration::minutes(SURVEY_IDLE_MINUTES)
}

impl Vault {
    /// Hands the phone over for the survey at `venue_id`: locks the vault (see the module
    /// comment) and returns the survey mode that takes the answers. Needs the vault unlocked.
    pub fn start_survey_mode(&self, venue_id: &str) -> CoreResult<SurveyMode> {
        ids::check_id("venue_id", venue_id)?;
        let (zone, key, now) =
            self.with_session(|ctx| Ok((venue_zone(ctx.conn, venue_id)?, SurveyKey::of(ctx.keys)?, ctx.now)))?;
        self.lock();
        log::info!("survey mode started");
        Ok(SurveyMode {
            instance: self.instance().to_string(),
            venue_id: venue_id.to_string(),
            zone,
            active: Mutex::new(Some(Active { key, last_activity: now })),
        })
    }
}

impl std::fmt::Debug for SurveyMode {
    /// The venue and whether it still takes answers; never the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SurveyMode")
            .field("venue_id", &self.venue_id)
            .field("holds_key", &self.active().is_some())
            .finish()
    }
}

impl SurveyMode {
    pub fn venue_id(&self) -> &str {
        &self.venue_id
    }

    fn active(&self) -> MutexGuard<'_, Option<Active>> {
        self.active.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check_vault(&self, vault: &Vault) -> CoreResult<()> {
        if vault.instance() == self.instance {
            Ok(())
        } else {
            Err(CoreError::InvalidState { reason: "this survey mode belongs to another vault" })
        }
    }

    /// Stores one form, dated today at the venue. `Locked` once survey mode has ended.
    pub fn add_answer(&self, vault: &Vault, answers: &[Option<u8>]) -> CoreResult<()> {
        let answers = check_answers(answers)?;
        self.check_vault(vault)?;
        let mut active = self.active();
        vault.with_store(|conn, now| {
            if active.as_ref().is_some_and(|a| idle_too_long(a.last_activity, now)) {
                *active = None;
                log::info!("survey mode ended after idle time");
            }
            let a = active.as_mut().ok_or(CoreError::Locked)?;
            insert(conn, &a.key, &self.venue_id, today_at(self.zone, now), &answers)?;
            a.last_activity = now;
            Ok(())
        })
    }

    /// Whether survey mode still takes answers (it ends after [`SURVEY_IDLE_MINUTES`] idle);
    /// when it does not, the shell shows the PIN screen.
    pub fn is_active(&self, vault: &Vault) -> bool {
        let mut active = self.active();
        let now = vault.with_store(|_, now| Ok(now));
        match (active.as_ref(), now) {
            (Some(a), Ok(now)) if !idle_too_long(a.last_activity, now) => true,
            _ => {
                *active = None;
                false
            }
        }
    }

    /// Leaves survey mode with the worker's PIN: unlocks the vault (wrong PINs are counted as
    /// on the lock screen) and ends survey mode. On a wrong PIN survey mode goes on.
    pub fn leave_with_pin(&self, vault: &Vault, pin: &str) -> CoreResult<()> {
        self.check_vault(vault)?;
        vault.unlock(pin)?;
        self.end();
        Ok(())
    }

    /// Leaves survey mode with the secret kept behind the platform's biometric prompt.
    pub fn leave_with_biometric(&self, vault: &Vault, secret: &[u8]) -> CoreResult<()> {
        self.check_vault(vault)?;
        vault.unlock_with_biometric(secret)?;
        self.end();
        Ok(())
    }

    fn end(&self) {
        *self.active() = None;
        log::info!("survey mode left");
    }
}
