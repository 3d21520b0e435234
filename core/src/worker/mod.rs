//! The worker's own settings: who signs the reminders (name, phone, role; sealed, since it
//! names a person), the reminder rules, and the SMS templates.

use crate::sms::SmsLanguage;
use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::sms::phone::parse_phone;
use crate::sms::template::{self, TemplateKind};
use crate::store;
use crate::text;
use crate::vault::{keyring::Keyring, Vault};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod role;
pub mod rules;

pub use role::WorkerRole;
pub use rules::ReminderRules;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerProfile {
    pub name: String,
    /// E.164.
    pub phone: String,
    pub role: WorkerRole,
}

impl WorkerProfile {
    /// The phone as a citizen reads it in an SMS: Danish numbers as "20 30 40 50".
    pub fn phone_for_sms(&self) -> String {
        match self.phone.strip_prefix("+45") {
            Some(n) if n.len() == 8 => format!("{} {} {} {}", &n[0..2], &n[2..4], &n[4..6], &n[6..8]),
            _ => self.phone.clone(),
        }
    }
}

const WORKER_NAME: text::Rule = text::Rule {
    field: "name",
    max: 60,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 60 characters)",
};

/// Custom templates by (language, kind); missing ones use the defaults.
type Templates = BTreeMap<String, String>;

fn template_key(language: SmsLanguage, kind: TemplateKind) -> String {
    format!("{}.{}", language.as_str(), kind.as_str())
}

fn ensure_row(conn: &Connection) -> CoreResult<()> {
    conn.execute("INSERT OR IGNORE INTO worker_settings (id) VALUES (1)", [])?;
    Ok(())
}

pub(crate) fn load_profile(conn: &Connection, keys: &mut Keyring) -> CoreResult<Option<WorkerProfile>> {
    let sealed: Option<Vec<u8>> =
        conn.query_row("SELECT profile FROM worker_settings WHERE id = 1", [], |r| r.get(0)).optional()?.flatten();
    match sealed {
        Some(s) => {
            let raw = keys.open(conn, keys.general_key_id(), Aad::new("worker_settings", "1", "profile"), &s)?;
            Ok(Some(serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)?))
        }
        None => Ok(None),
    }
}

pub(crate) fn load_rules(conn: &Connection) -> CoreResult<ReminderRules> {
    let json: Option<String> =
        conn.query_row("SELECT rules FROM worker_settings WHERE id = 1", [], |r| r.get(0)).optional()?.flatten();
    match json {
        Some(j) => serde_json::from_str(&j).map_err(|_| CoreError::Corrupt),
        None => Ok(ReminderRules::default()),
    }
}

fn load_templates(conn: &Connection) -> CoreResult<Templates> {
    let json: Option<String> =
        conn.query_row("SELECT templates FROM worker_settings WHERE id = 1", [], |r| r.get(0)).optional()?.flatten();
    match json {
        Some(j) => serde_json::from_str(&j).map_err(|_| CoreError::Corrupt),
        None => Ok(Templates::new()),
    }
}

/// The template in force for `language` and `kind`.
pub(crate) fn template(conn: &Connection, language: SmsLanguage, kind: TemplateKind) -> CoreResult<String> {
    Ok(load_templates(conn)?
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

impl Vault {
    /// Who signs the reminders. Required before reminders can be planned.
    pub fn set_worker_profile(&self, name: &str, phone: &str, role: WorkerRole) -> CoreResult<WorkerProfile> {
        let name = text::clean(WORKER_NAME, name)?;
        let phone = parse_phone(phone)?.e164;
        let profile = WorkerProfile { name, phone, role };
        let json = serde_json::to_vec(&profile).map_err(|_| CoreError::Internal { reason: "encode profile" })?;
        self.with_session(|ctx| {
            let keys = &mut *ctx.keys;
            // One transaction: the profile and its seal-ledger entry land together.
            store::write_tx(ctx.conn, |tx| {
                ensure_row(tx)?;
                let general = keys.general_key_id();
                let sealed = keys.seal(tx, general, Aad::new("worker_settings", "1", "profile"), &json)?;
                tx.execute("UPDATE worker_settings SET profile = ?1 WHERE id = 1", [sealed])?;
                Ok(())
            })
        })?;
        Ok(profile)
    }

    pub fn worker_profile(&self) -> CoreResult<Option<WorkerProfile>> {
        self.with_session(|ctx| load_profile(ctx.conn, ctx.keys))
    }

    pub fn reminder_rules(&self) -> CoreResult<ReminderRules> {
        self.with_session(|ctx| load_rules(ctx.conn))
    }

    /// Changes the worker's reminder rules for appointments booked from now on.
    pub fn set_reminder_rules(&self, rules: ReminderRules) -> CoreResult<()> {
        check_rules(&rules)?;
        let json = serde_json::to_string(&rules).map_err(|_| CoreError::Internal { reason: "encode rules" })?;
        self.with_session(|ctx| {
            ensure_row(ctx.conn)?;
            ctx.conn.execute("UPDATE worker_settings SET rules = ?1 WHERE id = 1", [json])?;
            Ok(())
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
            ensure_row(ctx.conn)?;
            let mut all = load_templates(ctx.conn)?;
            match &checked {
                Some(t) => all.insert(template_key(language, kind), t.clone()),
                None => all.remove(&template_key(language, kind)),
            };
            let json = serde_json::to_string(&all).map_err(|_| CoreError::Internal { reason: "encode templates" })?;
            ctx.conn.execute("UPDATE worker_settings SET templates = ?1 WHERE id = 1", params![json])?;
            template(ctx.conn, language, kind)
        })
    }

    pub fn sms_template(&self, language: SmsLanguage, kind: TemplateKind) -> CoreResult<String> {
        self.with_session(|ctx| template(ctx.conn, language, kind))
    }
}
