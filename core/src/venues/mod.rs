//! Drop-in centres, the worker's office hours there, absences and public holidays.
//! A municipal venue is a public place, so its name and address stay in clear (reminder
//! texts and the outbox need them without the PIN). A private venue's address is sealed, and
//! so is the reason for an absence: neither is needed before the worker has unlocked.

pub mod holidays;

use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::text;
use crate::time::{date_from_sql, date_to_sql, from_millis, millis};
use crate::vault::keyring::{Bound, Keyring};
use crate::vault::Vault;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub const DEFAULT_TIME_ZONE: &str = "Europe/Copenhagen";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueKind {
    Municipal,
    Private,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub address: Option<String>,
    pub kind: VenueKind,
    pub has_private_room: bool,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewVenue {
    pub name: String,
    pub address: Option<String>,
    pub kind: VenueKind,
    pub has_private_room: bool,
    /// IANA zone; `None` means Europe/Copenhagen.
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    pub id: String,
    pub venue_id: String,
    pub weekday: Weekday,
    pub from: NaiveTime,
    pub to: NaiveTime,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceReason {
    Vacation,
    Sick,
    Course,
    Other,
}

impl AbsenceReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceReason::Vacation => "vacation",
            AbsenceReason::Sick => "sick",
            AbsenceReason::Course => "course",
            AbsenceReason::Other => "other",
        }
    }
    pub fn parse(s: &str) -> CoreResult<Self> {
        Ok(match s {
            "vacation" => AbsenceReason::Vacation,
            "sick" => AbsenceReason::Sick,
            "course" => AbsenceReason::Course,
            "other" => AbsenceReason::Other,
            _ => return Err(CoreError::Corrupt),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub id: String,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub reason: AbsenceReason,
}

const VENUE_NAME: text::Rule = text::Rule {
    field: "name",
    max: 80,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 80 characters)",
};
const ADDRESS: text::Rule = text::Rule {
    field: "address",
    max: 120,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 120 characters)",
};

/// Parses an IANA zone name, e.g. "Europe/Copenhagen". Only the zones of the Danish realm
/// (and UTC) are built in (`CHRONO_TZ_TIMEZONE_FILTER` in `.cargo/config.toml`): the rest of
/// the world's zones would cost the phone library about 0.27 MB.
pub fn parse_zone(name: &str) -> CoreResult<Tz> {
    name.parse::<Tz>()
        .map_err(|_| CoreError::invalid("time_zone", "not a time zone of Denmark, the Faroe Islands or Greenland"))
}

/// What a venue keeps sealed: a private venue's address.
#[derive(Serialize, Deserialize)]
struct SealedVenue {
    address: Option<String>,
}

fn decode_venue(conn: &Connection, keys: &mut Keyring, r: &Row<'_>) -> CoreResult<Venue> {
    let id: String = r.get(0)?;
    let mut address: Option<String> = r.get(2)?;
    if let Some(sealed) = r.get::<_, Option<Vec<u8>>>(7)? {
        let general = keys.general_key_id();
        let raw = keys.open(conn, general, Aad::new("venues", &id, "sealed"), Bound::NONE, &sealed)?;
        let v: SealedVenue = serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)?;
        address = v.address;
    }
    Ok(Venue {
        name: r.get(1)?,
        address,
        kind: match r.get::<_, String>(3)?.as_str() {
            "municipal" => VenueKind::Municipal,
            "private" => VenueKind::Private,
            _ => return Err(CoreError::Corrupt),
        },
        has_private_room: r.get(4)?,
        time_zone: r.get(5)?,
        created_at: from_millis(r.get(6)?)?,
        id,
    })
}

const SELECT_VENUE: &str =
    "SELECT id, name, address, kind, has_private_room, time_zone, created_at, sealed FROM venues";

pub(crate) fn load_venue(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Venue> {
    ids::check_id("venue_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT_VENUE} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode_venue(conn, keys, r),
        None => Err(CoreError::NotFound { what: "venue" }),
    }
}

/// A venue's name and time zone: public, readable without the PIN (the outbox needs them).
pub(crate) fn venue_name_and_zone(conn: &Connection, id: &str) -> CoreResult<(String, String)> {
    conn.prepare_cached("SELECT name, time_zone FROM venues WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(CoreError::NotFound { what: "venue" })
}

fn weekday_number(d: Weekday) -> u32 {
    d.number_from_monday()
}

fn weekday_from(n: u32) -> CoreResult<Weekday> {
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
        .get((n as usize).wrapping_sub(1))
        .copied()
        .ok_or(CoreError::Corrupt)
}

fn minutes(t: NaiveTime) -> u32 {
    use chrono::Timelike;
    t.hour() * 60 + t.minute()
}

fn time_from_minutes(m: u32) -> CoreResult<NaiveTime> {
    // 1440 (end of day) is shown as 23:59:59.
    if m >= 1440 {
        return NaiveTime::from_hms_opt(23, 59, 59).ok_or(CoreError::Corrupt);
    }
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).ok_or(CoreError::Corrupt)
}

pub(crate) fn office_hours_of(conn: &Connection, venue_id: Option<&str>) -> CoreResult<Vec<OfficeHours>> {
    let sql = "SELECT id, venue_id, weekday, start_minute, end_minute, valid_from, valid_until FROM office_hours
               WHERE (?1 IS NULL OR venue_id = ?1) ORDER BY venue_id, weekday, start_minute";
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([venue_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(OfficeHours {
            id: r.get(0)?,
            venue_id: r.get(1)?,
            weekday: weekday_from(r.get(2)?)?,
            from: time_from_minutes(r.get(3)?)?,
            to: time_from_minutes(r.get(4)?)?,
            valid_from: r.get::<_, Option<String>>(5)?.as_deref().map(date_from_sql).transpose()?,
            valid_until: r.get::<_, Option<String>>(6)?.as_deref().map(date_from_sql).transpose()?,
        });
    }
    Ok(out)
}

#[derive(Serialize, Deserialize)]
struct SealedAbsence {
    reason: AbsenceReason,
}

pub(crate) fn absences_of(conn: &Connection, keys: &mut Keyring) -> CoreResult<Vec<Absence>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, from_date, to_date, reason, sealed FROM absences ORDER BY from_date, id")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let reason = match (r.get::<_, Option<String>>(3)?, r.get::<_, Option<Vec<u8>>>(4)?) {
            (_, Some(sealed)) => {
                let general = keys.general_key_id();
                let raw = keys.open(conn, general, Aad::new("absences", &id, "sealed"), Bound::NONE, &sealed)?;
                serde_json::from_slice::<SealedAbsence>(&raw).map_err(|_| CoreError::Tampered)?.reason
            }
            (Some(plain), None) => AbsenceReason::parse(&plain)?,
            (None, None) => return Err(CoreError::Corrupt),
        };
        out.push(Absence {
            from: date_from_sql(&r.get::<_, String>(1)?)?,
            to: date_from_sql(&r.get::<_, String>(2)?)?,
            reason,
            id,
        });
    }
    Ok(out)
}

/// The dates of every absence (not personal; what booking warnings need).
pub(crate) fn absence_dates(conn: &Connection) -> CoreResult<Vec<(NaiveDate, NaiveDate)>> {
    let mut stmt = conn.prepare_cached("SELECT from_date, to_date FROM absences ORDER BY from_date")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (a, b) = row?;
        out.push((date_from_sql(&a)?, date_from_sql(&b)?));
    }
    Ok(out)
}

/// Seals what a vault from before migration 9 kept in clear: private venues' addresses and
/// absence reasons (once, at the first unlock after it; see `flows/session.rs`).
pub(crate) fn seal_legacy(conn: &Connection, keys: &mut Keyring) -> CoreResult<()> {
    let general = keys.general_key_id();
    let venues: Vec<(String, Option<String>)> = {
        let mut stmt = conn.prepare(
            "SELECT id, address FROM venues WHERE kind = 'private' AND sealed IS NULL AND address IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, address) in venues {
        let json =
            serde_json::to_vec(&SealedVenue { address }).map_err(|_| CoreError::Internal { reason: "encode" })?;
        let sealed = keys.seal(conn, general, Aad::new("venues", &id, "sealed"), Bound::NONE, &json)?;
        conn.execute("UPDATE venues SET sealed = ?2, address = NULL WHERE id = ?1", params![id, sealed])?;
    }
    let absences: Vec<(String, String)> = {
        let mut stmt = conn.prepare("SELECT id, reason FROM absences WHERE sealed IS NULL AND reason IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, reason) in absences {
        let json = serde_json::to_vec(&SealedAbsence { reason: AbsenceReason::parse(&reason)? })
            .map_err(|_| CoreError::Internal { reason: "encode" })?;
        let sealed = keys.seal(conn, general, Aad::new("absences", &id, "sealed"), Bound::NONE, &json)?;
        conn.execute("UPDATE absences SET sealed = ?2, reason = NULL WHERE id = ?1", params![id, sealed])?;
    }
    Ok(())
}

/// Whether the local interval [from, to) on `date` lies inside one of the venue's hours
/// (`to` is clipped to the end of the day by the caller when the interval passes midnight).
pub(crate) fn within_office_hours(hours: &[OfficeHours], date: NaiveDate, from: NaiveTime, to: NaiveTime) -> bool {
    use chrono::Datelike;
    hours.iter().any(|h| {
        h.weekday == date.weekday()
            && h.valid_from.is_none_or(|f| f <= date)
            && h.valid_until.is_none_or(|u| date <= u)
            && h.from <= from
            && to <= h.to
    })
}

impl Vault {
    pub fn add_venue(&self, new: NewVenue) -> CoreResult<Venue> {
        let name = text::clean(VENUE_NAME, &new.name)?;
        let address = new
            .address
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| text::clean(ADDRESS, a))
            .transpose()?;
        let zone = new.time_zone.unwrap_or_else(|| DEFAULT_TIME_ZONE.to_string());
        parse_zone(&zone)?;
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                let (kind, plain_address, sealed) = match new.kind {
                    VenueKind::Municipal => ("municipal", address, None),
                    VenueKind::Private => {
                        let json = serde_json::to_vec(&SealedVenue { address })
                            .map_err(|_| CoreError::Internal { reason: "encode venue" })?;
                        let general = keys.general_key_id();
                        let sealed = keys.seal(tx, general, Aad::new("venues", &id, "sealed"), Bound::NONE, &json)?;
                        ("private", None, Some(sealed))
                    }
                };
                tx.execute(
                    "INSERT INTO venues (id, name, address, kind, has_private_room, time_zone, created_at, sealed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![id, name, plain_address, kind, new.has_private_room, zone, now, sealed],
                )?;
                load_venue(tx, keys, &id)
            })
        })
    }

    pub fn list_venues(&self) -> CoreResult<Vec<Venue>> {
        self.with_session(|ctx| {
            let conn: &Connection = ctx.conn;
            let mut stmt = conn.prepare_cached(&format!("{SELECT_VENUE} ORDER BY name, id"))?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(decode_venue(conn, ctx.keys, r)?);
            }
            out.sort_by_cached_key(|v| (text::danish_sort_key(&v.name), v.id.clone()));
            Ok(out)
        })
    }

    pub fn get_venue(&self, id: &str) -> CoreResult<Venue> {
        self.with_session(|ctx| load_venue(ctx.conn, ctx.keys, id))
    }

    /// Adds weekly office hours at a venue (local time at the venue).
    pub fn add_office_hours(
        &self,
        venue_id: &str,
        weekday: Weekday,
        from: NaiveTime,
        to: NaiveTime,
        valid_from: Option<NaiveDate>,
        valid_until: Option<NaiveDate>,
    ) -> CoreResult<OfficeHours> {
        if from >= to {
            return Err(CoreError::invalid("to", "must be after from"));
        }
        let valid_from = valid_from.map(|d| crate::time::check_date("valid_from", d)).transpose()?;
        let valid_until = valid_until.map(|d| crate::time::check_date("valid_until", d)).transpose()?;
        if let (Some(a), Some(b)) = (valid_from, valid_until) {
            if a > b {
                return Err(CoreError::invalid("valid_until", "must not be before valid_from"));
            }
        }
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            venue_name_and_zone(ctx.conn, venue_id)?;
            ctx.conn.execute(
                "INSERT INTO office_hours (id, venue_id, weekday, start_minute, end_minute, valid_from, valid_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, venue_id, weekday_number(weekday), minutes(from), minutes(to), valid_from.map(date_to_sql), valid_until.map(date_to_sql)],
            )?;
            office_hours_of(ctx.conn, Some(venue_id))?
                .into_iter()
                .find(|h| h.id == id)
                .ok_or(CoreError::Internal { reason: "office hours vanished" })
        })
    }

    pub fn list_office_hours(&self, venue_id: Option<&str>) -> CoreResult<Vec<OfficeHours>> {
        if let Some(v) = venue_id {
            ids::check_id("venue_id", v)?;
        }
        self.with_session(|ctx| office_hours_of(ctx.conn, venue_id))
    }

    pub fn remove_office_hours(&self, id: &str) -> CoreResult<()> {
        ids::check_id("office_hours_id", id)?;
        self.with_session(|ctx| match ctx.conn.execute("DELETE FROM office_hours WHERE id = ?1", [id])? {
            0 => Err(CoreError::NotFound { what: "office hours" }),
            _ => Ok(()),
        })
    }

    /// Records an absence (whole days, inclusive) so bookings on those days are warned about.
    pub fn add_absence(&self, from: NaiveDate, to: NaiveDate, reason: AbsenceReason) -> CoreResult<Absence> {
        let from = crate::time::check_date("from", from)?;
        let to = crate::time::check_date("to", to)?;
        if from > to {
            return Err(CoreError::invalid("to", "must not be before from"));
        }
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                let json = serde_json::to_vec(&SealedAbsence { reason })
                    .map_err(|_| CoreError::Internal { reason: "encode absence" })?;
                let general = keys.general_key_id();
                let sealed = keys.seal(tx, general, Aad::new("absences", &id, "sealed"), Bound::NONE, &json)?;
                tx.execute(
                    "INSERT INTO absences (id, from_date, to_date, sealed) VALUES (?1, ?2, ?3, ?4)",
                    params![id, date_to_sql(from), date_to_sql(to), sealed],
                )?;
                Ok(())
            })?;
            Ok(Absence { id, from, to, reason })
        })
    }

    pub fn list_absences(&self) -> CoreResult<Vec<Absence>> {
        self.with_session(|ctx| absences_of(ctx.conn, ctx.keys))
    }

    pub fn remove_absence(&self, id: &str) -> CoreResult<()> {
        ids::check_id("absence_id", id)?;
        self.with_session(|ctx| match ctx.conn.execute("DELETE FROM absences WHERE id = ?1", [id])? {
            0 => Err(CoreError::NotFound { what: "absence" }),
            _ => Ok(()),
        })
    }
}

#[cfg(test)]
mod zone_tests {
    use super::*;

    #[test]
    fn the_realms_zones_parse_and_others_are_refused_by_name() {
        for zone in ["Europe/Copenhagen", "Atlantic/Faroe", "America/Nuuk", "America/Danmarkshavn", "UTC"] {
            assert_eq!(parse_zone(zone).map(|tz| tz.name()).ok(), Some(zone), "{zone}");
        }
        // (Europe/Berlin stays: tzdata makes Europe/Copenhagen a link to it.)
        for zone in ["Europe/Paris", "Europe/London", "America/New_York", "Copenhagen", ""] {
            match parse_zone(zone) {
                Err(CoreError::InvalidInput { field, .. }) => assert_eq!(field, "time_zone", "{zone}"),
                other => panic!("{zone}: {other:?}"),
            }
        }
    }
}
