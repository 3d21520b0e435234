//! The worker's own settings: who signs the reminders (name, phone, role), the reminder
//! rules, and the SMS templates. All three are sealed under the general key: the profile
//! names a person, and the rules and templates decide what citizens receive, so they are
//! authenticated like everything else (an edited template would be refused, not sent).
//!
//! Changing the profile re-renders the reminders waiting in the outbox: that is in
//! `flows/worker.rs`, since it reaches into appointments and reminders.

pub mod role;
pub mod rules;

pub use role::WorkerRole;
pub use rules::ReminderRules;

use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::sms::phone::parse_phone;
use crate::sms::template::{self, TemplateKind};
use crate::sms::SmsLanguage;
use crate::text;
use crate::vault::keyring::{Bound, Keyring};
use crate::vault::Vault;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerProfile {
    pub name: String,
    /// E.164.
    pub phone: String,
    pub role: WorkerRole,
}

impl WorkerProfile {
    /// The phone as a citizen reads it in an SMS: Danish numbers as "20 30 40 50", others
    /// in international format (libphonenumber's formatting, `sms::phone::display`).
    pub fn phone_for_sms(&self) -> String {
        crate::sms::phone::display(&self.phone)
    }
}

const WORKER_NAME: text::Rule = text::Rule {
    field: "name",
    max: 60,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 60 characters)",
};

/// Checks a profile as typed.
pub(crate) fn check_profile(name: &str, phone: &str, role: WorkerRole) -> CoreResult<WorkerProfile> {
    let name = text::clean(WORKER_NAME, name)?;
    let phone = parse_phone(phone)?.e164;
    Ok(WorkerProfile { name, phone, role })
}

/// Custom templates by (language, kind); missing ones use the defaults.
type Templates = BTreeMap<String, String>;

fn template_key(language: SmsLanguage, kind: TemplateKind) -> String {
    format!("{}.{}", language.as_str(), kind.as_str())
}

fn ensure_row(conn: &Connection) -> CoreResult<()> {
    conn.execute("INSERT OR IGNORE INTO worker_settings (id) VALUES (1)", [])?;
    Ok(())
}

/// Reads one sealed settings column (`profile`, `rules` or `templates`) as JSON.
fn load_sealed<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    keys: &mut Keyring,
    column: &'static str,
) -> CoreResult<Option<T>> {
    let sealed: Option<Vec<u8>> = conn
        .prepare_cached(&format!("SELECT {column} FROM worker_settings WHERE id = 1"))?
        .query_row([], |r| r.get(0))
        .optional()?
        .flatten();
    match sealed {
        Some(s) => {
            let general = keys.general_key_id();
            let raw = keys.open(conn, general, Aad::new("worker_settings", "1", column), Bound::NONE, &s)?;
            Ok(Some(serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)?))
        }
        None => Ok(None),
    }
}

/// Seals and writes one settings column, in the caller's transaction.
fn save_sealed<T: Serialize>(conn: &Connection, keys: &mut Keyring, column: &'static str, value: &T) -> CoreResult<()> {
    ensure_row(conn)?;
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(value).map_err(|_| CoreError::Internal { reason: "encode worker settings" })?,
    );
    let general = keys.general_key_id();
    let sealed = keys.seal(conn, general, Aad::new("worker_settings", "1", column), Bound::NONE, &json)?;
    conn.execute(&format!("UPDATE worker_settings SET {column} = ?1 WHERE id = 1"), [sealed])?;
    Ok(())
}

pub(crate) fn load_profile(conn: &Connection, keys: &mut Keyring) -> CoreResult<Option<WorkerProfile>> {
    load_sealed(conn, keys, "profile")
}

pub(crate) fn save_profile(conn: &Connection, keys: &mut Keyring, profile: &WorkerProfile) -> CoreResult<()> {
    save_sealed(conn, keys, "profile", profile)
}

pub(crate) fn load_rules(conn: &Connection, keys: &mut Keyring) -> CoreResult<ReminderRules> {
    Ok(load_sealed(conn, keys, "rules")?.unwrap_or_default())
}

fn load_templates(conn: &Connection, keys: &mut Keyring) -> CoreResult<Templates> {
    Ok(load_sealed(conn, keys, "templates")?.unwrap_or_default())
}

/// The template in force for `language` and `kind`.
pub(crate) fn template(
    conn: &Connection,
    keys: &mut Keyring,
    language: SmsLanguage,
    kind: TemplateKind,
) -> CoreResult<String> {
    Ok(load_templates(conn, keys)?
        .remove(&template_key(language, kind))
        .unwrap_or_else(|| template::default_template(language, kind).to_string()))
}

pub(crate) fn check_rules(rules: &ReminderRules) -> CoreResult<()> {
    if let Some(m) = rules.hours_before_minutes {
        if !(30..=7 * 24 * 60).contains(&m) {
            return Err(CoreError::invalid("hours_before_minutes", "must be between 30 minutes and 7 days"));
        }
    }
    if let Some(m) = rules.confirmation_within_minutes {
        if m > 14 * 24 * 60 {
            return Err(CoreError::invalid("confirmation_within_minutes", "must be at most 14 days"));
        }
    }
    if rules.quiet_start == rules.quiet_end {
        return Err(CoreError::invalid("quiet_hours", "start and end must differ"));
    }
    Ok(())
}

/// Seals the rules and templates a vault from before migration 9 kept in clear (once, at
/// the first unlock after it; see `flows/session.rs`).
pub(crate) fn seal_legacy_settings(conn: &Connection, keys: &mut Keyring) -> CoreResult<()> {
    let (rules, templates): (Option<rusqlite::types::Value>, Option<rusqlite::types::Value>) = conn
        .query_row("SELECT rules, templates FROM worker_settings WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((None, None));
    if let Some(rusqlite::types::Value::Text(json)) = rules {
        let rules: ReminderRules = serde_json::from_str(&json).map_err(|_| CoreError::Corrupt)?;
        save_sealed(conn, keys, "rules", &rules)?;
    }
    if let Some(rusqlite::types::Value::Text(json)) = templates {
        let templates: Templates = serde_json::from_str(&json).map_err(|_| CoreError::Corrupt)?;
        save_sealed(conn, keys, "templates", &templates)?;
    }
    Ok(())
}

impl Vault {
    pub fn worker_profile(&self) -> CoreResult<Option<WorkerProfile>> {
        self.with_session(|ctx| load_profile(ctx.conn, ctx.keys))
    }

    pub fn reminder_rules(&self) -> CoreResult<ReminderRules> {
        self.with_session(|ctx| load_rules(ctx.conn, ctx.keys))
    }

    /// Changes the worker's reminder rules for appointments booked from now on.
    pub fn set_reminder_rules(&self, rules: ReminderRules) -> CoreResult<()> {
        check_rules(&rules)?;
        self.with_session(|ctx| {
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| save_sealed(tx, keys, "rules", &rules))
        })
    }

    /// Sets (or with `None` resets to the default) the template for a language and kind.
    /// A template naming an unknown placeholder is refused.
    pub fn set_sms_template(
        &self,
        language: SmsLanguage,
        kind: TemplateKind,
        text: Option<&str>,
    ) -> CoreResult<String> {
        let checked = text.map(template::validate).transpose()?;
        self.with_session(|ctx| {
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                let mut all = load_templates(tx, keys)?;
                match &checked {
                    Some(t) => all.insert(template_key(language, kind), t.clone()),
                    None => all.remove(&template_key(language, kind)),
                };
                save_sealed(tx, keys, "templates", &all)?;
                template(tx, keys, language, kind)
            })
        })
    }

    pub fn sms_template(&self, language: SmsLanguage, kind: TemplateKind) -> CoreResult<String> {
        self.with_session(|ctx| template(ctx.conn, ctx.keys, language, kind))
    }
}
