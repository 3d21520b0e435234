//! Changes to a citizen that reach into their appointments and reminders: a new number,
//! consent given or withdrawn, reminder rules, and deletion.

use crate::appointments;
use crate::audit::{AuditKind, AuditObject, Event};
use crate::citizens::{self, Citizen, CitizenEdit, ConsentMethod, SmsConsent};
use crate::error::CoreResult;
use crate::reminders::{outbox, plan};
use crate::store;
use crate::time::millis;
use crate::vault::keyring::Keyring;
use crate::vault::Vault;
use crate::worker::{self, ReminderRules};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

/// Re-plans the reminders of a citizen's future appointments after their consent, number or
/// rules changed: what is pending is cancelled (saying why), and what the new settings allow
/// is planned.
fn replan(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    citizen: &Citizen,
    now: DateTime<Utc>,
    reason: &str,
) -> CoreResult<()> {
    let future = appointments::query(
        conn,
        keys,
        "WHERE citizen_id = ?1 AND status IN ('planned', 'confirmed') AND starts_at > ?2 ORDER BY starts_at",
        params![citizen.id, millis(now)],
    )?;
    for a in future {
        outbox::cancel_pending(conn, keys, &a.id, reason, now)?;
        plan::plan_for(vault, conn, keys, &a, citizen, now, false)?.ok();
    }
    Ok(())
}

impl Vault {
    pub fn edit_citizen(&self, id: &str, edit: CitizenEdit) -> CoreResult<Citizen> {
        let checked = citizens::check(&edit.nickname, edit.phone.as_deref(), edit.case_reference.as_deref())?;
        self.update_citizen(id, "citizen_changed", |c, _| checked.apply(c, edit.language))
    }

    /// Reminder rules for this citizen only (`None`: the worker's rules apply again).
    pub fn set_citizen_reminder_rules(&self, id: &str, rules: Option<ReminderRules>) -> CoreResult<Citizen> {
        if let Some(r) = &rules {
            worker::check_rules(r)?;
        }
        self.update_citizen(id, "rules_changed", |c, _| c.reminder_rules = rules)
    }

    /// Records consent given now, in the way `method` says.
    pub fn give_sms_consent(&self, id: &str, method: ConsentMethod) -> CoreResult<Citizen> {
        self.update_citizen(id, "consent_given", |c, now| {
            c.sms_consent = Some(SmsConsent { given_at: now, method });
            c.sms_consent_withdrawn_at = None;
        })
    }

    /// Withdraws consent: every reminder not yet handed over is cancelled.
    pub fn withdraw_sms_consent(&self, id: &str) -> CoreResult<Citizen> {
        self.update_citizen(id, "consent_withdrawn", |c, now| {
            if c.sms_consent.take().is_some() {
                c.sms_consent_withdrawn_at = Some(now);
            }
        })
    }

    /// Changes a citizen and, in the same transaction, re-plans the reminders of their future
    /// appointments.
    fn update_citizen(
        &self,
        id: &str,
        reason: &str,
        change: impl FnOnce(&mut Citizen, DateTime<Utc>),
    ) -> CoreResult<Citizen> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let mut citizen = citizens::load_in(tx, keys, id)?;
                change(&mut citizen, now);
                citizen.updated_at = now;
                let key_id = citizens::key_of(tx, id)?;
                citizens::write(tx, keys, key_id, &citizen)?;
                replan(self, tx, keys, &citizen, now, reason)?;
                Ok(citizen)
            })
        })
    }

    /// Deletes a citizen by crypto-shredding: their key, their rows and their notes go in one
    /// transaction; their future appointments are cancelled (reason `citizen_deleted`) and
    /// every appointment stays only as an anonymous count; every reminder text and number is
    /// destroyed. Then the WAL is checkpointed and truncated.
    pub fn delete_citizen(&self, id: &str) -> CoreResult<()> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            let (key_id, rotation) = store::write_tx(ctx.conn, |tx| {
                citizens::key_of(tx, id)?;
                for appointment in appointments::release_citizen(tx, keys, id, now)? {
                    outbox::forget(tx, &appointment, now)?;
                }
                let key_id = citizens::delete_rows(tx, id)?;
                let deleted = Event::counted(AuditKind::Deleted, AuditObject::Citizen, 1);
                Ok((key_id, self.audit_tx(tx, now, &[deleted])?))
            })?;
            self.finish_rotation(rotation);
            ctx.keys.forget(key_id);
            store::checkpoint_truncate(ctx.conn)?;
            log::info!("citizen deleted (crypto-shredded)");
            Ok(())
        })
    }
}
