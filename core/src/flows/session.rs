//! Unlocking: the key work is in `vault`; here it is followed by what must happen once the
//! keys are there — bringing data from before migration 9 up to date (sealing what was kept
//! in clear), and after a recovery, sealing what waits in the outbox under a new outbox key.

use crate::error::CoreResult;
use crate::store;
use crate::vault::Vault;
use rusqlite::OptionalExtension;

impl Vault {
    /// Unlocks with the PIN. Each wrong PIN is counted durably (under a new platform key)
    /// before it is tried; after the 3rd wrong PIN in a row each try must wait longer
    /// (`PinDelay`); the 10th destroys the PIN wrap (`PinDisabled`: the recovery key opens it).
    pub fn unlock(&self, pin: &str) -> CoreResult<()> {
        self.unlock_keys(pin)?;
        self.locked_unless_done(self.after_unlock().and_then(|()| self.reseal_outbox_if_lost()))
    }

    /// Unlocks with the secret the shell keeps behind the platform's biometric prompt.
    pub fn unlock_with_biometric(&self, secret: &[u8]) -> CoreResult<()> {
        self.unlock_with_biometric_keys(secret)?;
        self.locked_unless_done(self.after_unlock().and_then(|()| self.reseal_outbox_if_lost()))
    }

    /// Opens the vault with the recovery key and sets a new PIN. Works on a new phone (the
    /// key store lost this vault's keys): new platform keys are made and what waits in the
    /// outbox is sealed again. Afterwards the shells offer [`Vault::rotate_recovery_key`].
    pub fn unlock_with_recovery_key(&self, recovery_key: &str, new_pin: &str) -> CoreResult<()> {
        self.unlock_with_recovery_keys(recovery_key, new_pin)?;
        self.locked_unless_done(self.after_unlock().and_then(|()| self.reseal_outbox_if_lost()))
    }

    /// An unlock whose follow-up work failed (a damaged file, a full disk) locks again, so an
    /// error never leaves the vault open. The next unlock tries the work again.
    fn locked_unless_done(&self, done: CoreResult<()>) -> CoreResult<()> {
        if done.is_err() {
            self.lock();
        }
        done
    }

    /// When the outbox key was lost (a new phone, a salvaged vault), what waits to be sent is
    /// sealed again under a new one, from the sealed history and the citizen's number.
    pub(crate) fn reseal_outbox_if_lost(&self) -> CoreResult<()> {
        self.with_session(|ctx| {
            let missing: Option<Option<Vec<u8>>> = ctx
                .conn
                .query_row("SELECT outbox_key_wrapped FROM vault_meta WHERE id = 1", [], |r| r.get(0))
                .optional()?;
            if matches!(missing, Some(None)) {
                let now = ctx.now;
                let keys = &mut *ctx.keys;
                let n = store::write_tx(ctx.conn, |tx| crate::reminders::plan::reseal_pending(self, tx, keys, now))?;
                if n > 0 {
                    log::info!("{n} waiting reminders sealed under a new outbox key");
                }
            }
            Ok(())
        })
    }

    /// What every unlock brings up to date: the upgrades that need the vault key; a new
    /// outbox key where a restore left none; and the retention rules (a failure of those is
    /// logged and does not undo the unlock; `run_retention` reports it when called).
    fn after_unlock(&self) -> CoreResult<()> {
        self.run_upgrades()?;
        self.reseal_outbox_if_lost()?;
        if let Err(e) = self.run_retention() {
            log::warn!("retention did not run at unlock: {}", e.code());
        }
        Ok(())
    }

    /// The upgrades that need the vault key, once each (`vault_upgrades`).
    fn run_upgrades(&self) -> CoreResult<()> {
        self.with_session(|ctx| {
            let done: u32 = ctx.conn.query_row("SELECT version FROM vault_upgrades WHERE id = 1", [], |r| r.get(0))?;
            if done >= store::UPGRADES {
                return Ok(());
            }
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                if done < 1 {
                    crate::appointments::seal_legacy(tx, keys)?;
                    crate::venues::seal_legacy(tx, keys)?;
                    crate::worker::seal_legacy_settings(tx, keys)?;
                }
                tx.execute("UPDATE vault_upgrades SET version = ?1 WHERE id = 1", [store::UPGRADES])?;
                Ok(())
            })?;
            // What was in clear must not linger in the write-ahead log.
            store::checkpoint_truncate(ctx.conn)
        })
    }
}
