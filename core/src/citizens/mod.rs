//! Citizens: as little as the work needs. A nickname, optionally a phone number, SMS
//! consent and language, and a case reference. Never a CPR number.
//!
//! Each citizen has a data key of their own; every personal column is sealed under it.
//! Deleting a citizen deletes that key, their rows and notes, and checkpoints the WAL,
//! so nothing about them can be recovered from the vault files afterwards.

use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::worker::ReminderRules;
use crate::sms::phone::{parse_phone, Phone, PhoneKind};
pub use crate::sms::SmsLanguage;
use crate::store;
use crate::text;
use crate::vault::{keyring::Keyring, Ctx, Vault};
use crate::time::{from_millis, millis};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// How the citizen agreed to receive SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Verbal,
    Written,
    Sms,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsConsent {
    pub given_at: DateTime<Utc>,
    pub method: ConsentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: String,
    pub nickname: String,
    pub phone: Option<Phone>,
    pub language: SmsLanguage,
    pub sms_consent: Option<SmsConsent>,
    pub sms_consent_withdrawn_at: Option<DateTime<Utc>>,
    pub case_reference: Option<String>,
    /// Overrides the worker's reminder rules for this citizen.
    pub reminder_rules: Option<ReminderRules>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Citizen {
    /// Reminders go only to citizens who consented and have a mobile number.
    pub fn can_receive_sms(&self) -> bool {
        self.sms_consent.is_some() && matches!(self.phone, Some(Phone { kind: PhoneKind::Mobile, .. }))
    }
}

/// A citizen as registered.
#[derive(Debug, Clone, Default)]
pub struct NewCitizen {
    pub nickname: String,
    pub phone: Option<String>,
    pub sms_consent: Option<ConsentMethod>,
    pub language: SmsLanguage,
    pub case_reference: Option<String>,
}

/// The editable fields, replaced as a whole (as an edit screen shows them).
/// Consent has its own calls because it carries when and how.
#[derive(Debug, Clone, Default)]
pub struct CitizenEdit {
    pub nickname: String,
    pub phone: Option<String>,
    pub language: SmsLanguage,
    pub case_reference: Option<String>,
}

/// The SMS settings, stored sealed as one JSON value.
#[derive(Serialize, Deserialize)]
struct SmsSettings {
    language: SmsLanguage,
    consent: Option<(i64, ConsentMethod)>,
    withdrawn_at: Option<i64>,
    #[serde(default)]
    reminder_rules: Option<ReminderRules>,
}

const TABLE: &str = "citizens";

struct Checked {
    nickname: String,
    phone: Option<Phone>,
    case_reference: Option<String>,
}

fn check(nickname: &str, phone: Option<&str>, case_reference: Option<&str>) -> CoreResult<Checked> {
    let nickname = text::clean(text::NICKNAME, nickname)?;
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(parse_phone(p)?),
        None => None,
    };
    let case_reference = match case_reference.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(text::clean(text::CASE_REFERENCE, c)?),
        None => None,
    };
    Ok(Checked { nickname, phone, case_reference })
}

const SELECT: &str = "SELECT id, key_id, created_at, updated_at, nickname, phone, case_ref, sms FROM citizens";

fn decode(conn: &Connection, keys: &mut Keyring, row: &Row<'_>) -> CoreResult<Citizen> {
    let id: String = row.get(0)?;
    let key_id = row.get::<_, i64>(1)? as u64;
    let nickname = keys.open_string(conn, key_id, Aad::new(TABLE, &id, "nickname"), &row.get::<_, Vec<u8>>(4)?)?;
    let phone = match row.get::<_, Option<Vec<u8>>>(5)? {
        Some(sealed) => {
            let raw = keys.open(conn, key_id, Aad::new(TABLE, &id, "phone"), &sealed)?;
            Some(serde_json::from_slice::<Phone>(&raw).map_err(|_| CoreError::Tampered)?)
        }
        None => None,
    };
    let case_reference = match row.get::<_, Option<Vec<u8>>>(6)? {
        Some(sealed) => Some(keys.open_string(conn, key_id, Aad::new(TABLE, &id, "case_ref"), &sealed)?),
        None => None,
    };
    let raw = keys.open(conn, key_id, Aad::new(TABLE, &id, "sms"), &row.get::<_, Vec<u8>>(7)?)?;
    let sms: SmsSettings = serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)?;
    Ok(Citizen {
        sms_consent: match sms.consent {
            Some((at, method)) => Some(SmsConsent { given_at: from_millis(at)?, method }),
            None => None,
        },
        sms_consent_withdrawn_at: sms.withdrawn_at.map(from_millis).transpose()?,
        language: sms.language,
        reminder_rules: sms.reminder_rules,
        id,
        nickname,
        phone,
        case_reference,
        created_at: from_millis(row.get(2)?)?,
        updated_at: from_millis(row.get(3)?)?,
    })
}

/// Looks up the data key of a citizen; `NotFound` when there is no such citizen.
pub(crate) fn key_of(conn: &Connection, citizen_id: &str) -> CoreResult<u64> {
    ids::check_id("citizen_id", citizen_id)?;
    conn.query_row("SELECT key_id FROM citizens WHERE id = ?1", [citizen_id], |r| r.get::<_, i64>(0))
        .optional()?
        .map(|k| k as u64)
        .ok_or(CoreError::NotFound { what: "citizen" })
}

fn load(ctx: &mut Ctx<'_>, id: &str) -> CoreResult<Citizen> {
    load_in(ctx.conn, ctx.keys, id)
}

pub(crate) fn load_in(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Citizen> {
    ids::check_id("citizen_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => decode(conn, keys, row),
        None => Err(CoreError::NotFound { what: "citizen" }),
    }
}

/// Seals and writes every personal column of `c` (insert or update).
fn write(conn: &Connection, keys: &mut Keyring, key_id: u64, c: &Citizen) -> CoreResult<()> {
    let id = c.id.as_str();
    let nickname = keys.seal(conn, key_id, Aad::new(TABLE, id, "nickname"), c.nickname.as_bytes())?;
    let phone = match &c.phone {
        Some(p) => {
            let json = serde_json::to_vec(p).map_err(|_| CoreError::Internal { reason: "encode phone" })?;
            Some(keys.seal(conn, key_id, Aad::new(TABLE, id, "phone"), &json)?)
        }
        None => None,
    };
    let phone_index = c.phone.as_ref().map(|p| keys.phone_index(&p.e164));
    let case_ref = match &c.case_reference {
        Some(r) => Some(keys.seal(conn, key_id, Aad::new(TABLE, id, "case_ref"), r.as_bytes())?),
        None => None,
    };
    let sms = SmsSettings {
        language: c.language,
        consent: c.sms_consent.as_ref().map(|s| (millis(s.given_at), s.method)),
        withdrawn_at: c.sms_consent_withdrawn_at.map(millis),
        reminder_rules: c.reminder_rules.clone(),
    };
    let sms = serde_json::to_vec(&sms).map_err(|_| CoreError::Internal { reason: "encode sms settings" })?;
    let sms = keys.seal(conn, key_id, Aad::new(TABLE, id, "sms"), &sms)?;
    conn.execute(
        "INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, phone, phone_index, case_ref, sms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, nickname = excluded.nickname,
            phone = excluded.phone, phone_index = excluded.phone_index, case_ref = excluded.case_ref, sms = excluded.sms",
        params![id, key_id as i64, millis(c.created_at), millis(c.updated_at), nickname, phone, phone_index, case_ref, sms],
    )?;
    Ok(())
}

impl Vault {
    pub fn add_citizen(&self, new: NewCitizen) -> CoreResult<Citizen> {
        let checked = check(&new.nickname, new.phone.as_deref(), new.case_reference.as_deref())?;
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let citizen = Citizen {
                id,
                nickname: checked.nickname,
                phone: checked.phone,
                language: new.language,
                sms_consent: new.sms_consent.map(|method| SmsConsent { given_at: ctx.now, method }),
                sms_consent_withdrawn_at: None,
                case_reference: checked.case_reference,
                reminder_rules: None,
                created_at: ctx.now,
                updated_at: ctx.now,
            };
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let key_id = keys.create_data_key(tx, "citizen")?;
                write(tx, keys, key_id, &citizen)
            })?;
            Ok(citizen)
        })
    }

    pub fn edit_citizen(&self, id: &str, edit: CitizenEdit) -> CoreResult<Citizen> {
        let checked = check(&edit.nickname, edit.phone.as_deref(), edit.case_reference.as_deref())?;
        self.update_citizen(id, "citizen_changed", |c, _| {
            c.nickname = checked.nickname;
            c.phone = checked.phone;
            c.language = edit.language;
            c.case_reference = checked.case_reference;
        })
    }

    /// Reminder rules for this citizen only (`None`: the worker's rules apply again).
    pub fn set_citizen_reminder_rules(&self, id: &str, rules: Option<ReminderRules>) -> CoreResult<Citizen> {
        if let Some(r) = &rules {
            crate::worker::check_rules(r)?;
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

    pub fn withdraw_sms_consent(&self, id: &str) -> CoreResult<Citizen> {
        self.update_citizen(id, "consent_withdrawn", |c, now| {
            if c.sms_consent.take().is_some() {
                c.sms_consent_withdrawn_at = Some(now);
            }
        })
    }

    /// Changes a citizen and, in the same transaction, re-plans the reminders of their future
    /// appointments (pending ones cancelled with `reason`, new ones planned as now allowed).
    fn update_citizen(
        &self,
        id: &str,
        reason: &str,
        change: impl FnOnce(&mut Citizen, DateTime<Utc>),
    ) -> CoreResult<Citizen> {
        self.with_session(|ctx| {
            let mut citizen = load(ctx, id)?;
            change(&mut citizen, ctx.now);
            citizen.updated_at = ctx.now;
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let key_id = key_of(tx, id)?;
                write(tx, keys, key_id, &citizen)?;
                crate::appointments::replan_citizen(self, tx, keys, &citizen, now, reason)
            })?;
            Ok(citizen)
        })
    }

    pub fn get_citizen(&self, id: &str) -> CoreResult<Citizen> {
        self.with_session(|ctx| load(ctx, id))
    }

    /// All citizens, by nickname in Danish alphabetical order (… z, æ, ø, å), case-insensitive.
    pub fn list_citizens(&self) -> CoreResult<Vec<Citizen>> {
        self.with_session(|ctx| {
            let conn: &Connection = ctx.conn;
            let mut stmt = conn.prepare_cached(SELECT)?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(decode(conn, ctx.keys, row)?);
            }
            out.sort_by_cached_key(|c| (text::danish_sort_key(&c.nickname), c.id.clone()));
            Ok(out)
        })
    }

    /// Citizens registered with this number (through the blind index; nothing is decrypted to search).
    pub fn find_citizens_by_phone(&self, phone: &str) -> CoreResult<Vec<Citizen>> {
        let phone = parse_phone(phone)?;
        self.with_session(|ctx| {
            let index = ctx.keys.phone_index(&phone.e164);
            let conn: &Connection = ctx.conn;
            let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE phone_index = ?1"))?;
            let mut rows = stmt.query([index])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(decode(conn, ctx.keys, row)?);
            }
            Ok(out)
        })
    }

    /// Deletes a citizen by crypto-shredding: their key, their rows and their notes go
    /// in one transaction, then the WAL is checkpointed and truncated.
    pub fn delete_citizen(&self, id: &str) -> CoreResult<()> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let key_id = store::write_tx(ctx.conn, |tx| {
                let key_id = key_of(tx, id)?;
                crate::appointments::forget_citizen(tx, id, now)?;
                tx.execute("DELETE FROM citizens WHERE id = ?1", [id])?;
                tx.execute("DELETE FROM data_keys WHERE id = ?1", [key_id as i64])?;
                Ok(key_id)
            })?;
            ctx.keys.forget(key_id);
            store::checkpoint_truncate(ctx.conn)?;
            log::info!("citizen deleted (crypto-shredded)");
            Ok(())
        })
    }
}
