//! Citizens: as little as the work needs. A nickname, optionally a phone number, SMS
//! consent and language, and a case reference. Never a CPR number.
//!
//! Each citizen has a data key of their own; every personal column is sealed under it.
//! Deleting a citizen deletes that key, their rows and notes, and checkpoints the WAL,
//! so nothing about them can be recovered from the vault files afterwards.
//!
//! This module owns the `citizens` table. Changes that also touch appointments and
//! reminders (editing a number, consent, deleting) are in `flows/citizens.rs`.

use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::sms::phone::{parse_phone, Phone, PhoneKind};
pub use crate::sms::SmsLanguage;
use crate::store;
use crate::text;
use crate::time::{from_millis, millis};
use crate::vault::keyring::{Bound, Keyring};
use crate::vault::{Ctx, Vault};
use crate::worker::ReminderRules;
use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How the citizen agreed to receive SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Verbal,
    Written,
    Sms,
    Other,
}

impl ConsentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Verbal => "verbal",
            ConsentMethod::Written => "written",
            ConsentMethod::Sms => "sms",
            ConsentMethod::Other => "other",
        }
    }
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

/// Whether a citizen can get SMS reminders, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsEligibility {
    Eligible,
    NoSmsConsent,
    NoPhone,
    NotMobile,
}

impl SmsEligibility {
    pub fn code(self) -> &'static str {
        match self {
            SmsEligibility::Eligible => "eligible",
            SmsEligibility::NoSmsConsent => "no_sms_consent",
            SmsEligibility::NoPhone => "no_phone",
            SmsEligibility::NotMobile => "not_mobile",
        }
    }
}

impl Citizen {
    /// Reminders go only to citizens who consented and have a mobile number.
    pub fn sms_eligibility(&self) -> SmsEligibility {
        match (&self.sms_consent, &self.phone) {
            (None, _) => SmsEligibility::NoSmsConsent,
            (_, None) => SmsEligibility::NoPhone,
            (_, Some(Phone { kind: PhoneKind::Mobile, .. })) => SmsEligibility::Eligible,
            (_, Some(_)) => SmsEligibility::NotMobile,
        }
    }

    pub fn can_receive_sms(&self) -> bool {
        self.sms_eligibility() == SmsEligibility::Eligible
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

pub(crate) struct Checked {
    nickname: String,
    phone: Option<Phone>,
    case_reference: Option<String>,
}

pub(crate) fn check(nickname: &str, phone: Option<&str>, case_reference: Option<&str>) -> CoreResult<Checked> {
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

impl Checked {
    pub(crate) fn apply(self, c: &mut Citizen, language: SmsLanguage) {
        c.nickname = self.nickname;
        c.phone = self.phone;
        c.language = language;
        c.case_reference = self.case_reference;
    }
}

const SELECT: &str =
    "SELECT id, key_id, created_at, updated_at, nickname, phone, case_ref, sms, phone_index FROM citizens";

fn decode(conn: &Connection, keys: &mut Keyring, row: &Row<'_>) -> CoreResult<Citizen> {
    let id: String = row.get(0)?;
    let key_id = row.get::<_, i64>(1)? as u64;
    let kb = [ValueRef::Integer(key_id as i64)];
    let by_key = Bound(&kb);
    let nickname =
        keys.open_string(conn, key_id, Aad::new(TABLE, &id, "nickname"), by_key, &row.get::<_, Vec<u8>>(4)?)?;
    let phone = match row.get::<_, Option<Vec<u8>>>(5)? {
        Some(sealed) => {
            let pb = [ValueRef::Integer(key_id as i64), row.get_ref(8)?];
            let raw = keys.open(conn, key_id, Aad::new(TABLE, &id, "phone"), Bound(&pb), &sealed)?;
            Some(serde_json::from_slice::<Phone>(&raw).map_err(|_| CoreError::Tampered)?)
        }
        None => None,
    };
    let case_reference = match row.get::<_, Option<Vec<u8>>>(6)? {
        Some(sealed) => Some(keys.open_string(conn, key_id, Aad::new(TABLE, &id, "case_ref"), by_key, &sealed)?),
        None => None,
    };
    let raw = keys.open(conn, key_id, Aad::new(TABLE, &id, "sms"), by_key, &row.get::<_, Vec<u8>>(7)?)?;
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
    conn.prepare_cached("SELECT key_id FROM citizens WHERE id = ?1")?
        .query_row([citizen_id], |r| r.get::<_, i64>(0))
        .optional()?
        .map(|k| k as u64)
        .ok_or(CoreError::NotFound { what: "citizen" })
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

/// Only the nickname (lists and summaries show it for many rows).
pub(crate) fn nickname_of(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<String> {
    let (key_id, sealed): (i64, Vec<u8>) = conn
        .prepare_cached("SELECT key_id, nickname FROM citizens WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(CoreError::NotFound { what: "citizen" })?;
    let kb = [ValueRef::Integer(key_id)];
    keys.open_string(conn, key_id as u64, Aad::new(TABLE, id, "nickname"), Bound(&kb), &sealed)
}

/// Nicknames by citizen id, decrypted once each for a screen's worth of rows.
#[derive(Default)]
pub(crate) struct Nicknames(HashMap<String, Option<String>>);

impl Nicknames {
    /// The nickname, or `None` when the citizen is gone or their row does not open (the
    /// screen shows the row without a name rather than failing).
    pub fn get(&mut self, conn: &Connection, keys: &mut Keyring, id: &str) -> Option<String> {
        if !self.0.contains_key(id) {
            let name = nickname_of(conn, keys, id).ok();
            self.0.insert(id.to_string(), name);
        }
        self.0.get(id).cloned().flatten()
    }

    /// The nickname, opened by `open` the first time (a caller that already read the sealed
    /// value with its ledger entry, as a list's joined scan does).
    pub fn get_or_open(&mut self, id: &str, open: impl FnOnce() -> Option<String>) -> Option<String> {
        if !self.0.contains_key(id) {
            let name = open();
            self.0.insert(id.to_string(), name);
        }
        self.0.get(id).cloned().flatten()
    }
}

/// Seals and writes every personal column of `c` (insert or update).
pub(crate) fn write(conn: &Connection, keys: &mut Keyring, key_id: u64, c: &Citizen) -> CoreResult<()> {
    let id = c.id.as_str();
    let kb = [ValueRef::Integer(key_id as i64)];
    let by_key = Bound(&kb);
    let nickname = keys.seal(conn, key_id, Aad::new(TABLE, id, "nickname"), by_key, c.nickname.as_bytes())?;
    let phone_index = c.phone.as_ref().map(|p| keys.phone_index(&p.e164));
    let phone = match &c.phone {
        Some(p) => {
            let json = serde_json::to_vec(p).map_err(|_| CoreError::Internal { reason: "encode phone" })?;
            let index = phone_index.as_deref().map_or(ValueRef::Null, ValueRef::Blob);
            let pb = [ValueRef::Integer(key_id as i64), index];
            Some(keys.seal(conn, key_id, Aad::new(TABLE, id, "phone"), Bound(&pb), &json)?)
        }
        None => None,
    };
    let case_ref = match &c.case_reference {
        Some(r) => Some(keys.seal(conn, key_id, Aad::new(TABLE, id, "case_ref"), by_key, r.as_bytes())?),
        None => None,
    };
    let sms = SmsSettings {
        language: c.language,
        consent: c.sms_consent.as_ref().map(|s| (millis(s.given_at), s.method)),
        withdrawn_at: c.sms_consent_withdrawn_at.map(millis),
        reminder_rules: c.reminder_rules.clone(),
    };
    let sms = zeroize::Zeroizing::new(
        serde_json::to_vec(&sms).map_err(|_| CoreError::Internal { reason: "encode sms settings" })?,
    );
    let sms = keys.seal(conn, key_id, Aad::new(TABLE, id, "sms"), by_key, &sms)?;
    conn.execute(
        "INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, phone, phone_index, case_ref, sms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, nickname = excluded.nickname,
            phone = excluded.phone, phone_index = excluded.phone_index, case_ref = excluded.case_ref, sms = excluded.sms",
        params![id, key_id as i64, millis(c.created_at), millis(c.updated_at), nickname, phone, phone_index, case_ref, sms],
    )?;
    Ok(())
}

/// Deletes a citizen's row and data key (crypto-shredding), in the caller's transaction.
/// Their notes go with them (cascade); their appointments must have been released first.
pub(crate) fn delete_rows(conn: &Connection, id: &str) -> CoreResult<u64> {
    let key_id = key_of(conn, id)?;
    conn.execute("DELETE FROM citizens WHERE id = ?1", [id])?;
    conn.execute("DELETE FROM data_keys WHERE id = ?1", [key_id as i64])?;
    Ok(key_id)
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

    pub fn get_citizen(&self, id: &str) -> CoreResult<Citizen> {
        self.with_session(|ctx| load(ctx, id))
    }

    /// All citizens, by nickname in Danish alphabetical order (`text::danish_sort_key`).
    /// A row that does not open is left out of the list and counted in `unreadable`.
    pub fn list_citizens(&self) -> CoreResult<CitizenList> {
        self.with_session(|ctx| {
            let conn: &Connection = ctx.conn;
            let mut stmt = conn.prepare_cached(SELECT)?;
            let mut rows = stmt.query([])?;
            let mut list = CitizenList::default();
            while let Some(row) = rows.next()? {
                match decode(conn, ctx.keys, row) {
                    Ok(c) => list.citizens.push(c),
                    Err(CoreError::Tampered) => list.unreadable += 1,
                    Err(e) => return Err(e),
                }
            }
            list.citizens.sort_by_cached_key(|c| (text::danish_sort_key(&c.nickname), c.id.clone()));
            Ok(list)
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
}

/// Every citizen that opened, and how many did not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitizenList {
    pub citizens: Vec<Citizen>,
    pub unreadable: u32,
}

pub(crate) fn load(ctx: &mut Ctx<'_>, id: &str) -> CoreResult<Citizen> {
    load_in(ctx.conn, ctx.keys, id)
}
