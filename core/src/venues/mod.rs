//! Drop-in centres, the worker's office hours there, absences and public holidays.
//! Venues are public places, so their data stays in clear; the rest is not personal either.

pub mod holidays;

use crate::time::{date_from_sql, date_to_sql, from_millis, millis};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::text;
use crate::vault::Vault;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use rusqlite::{params, Connection, Row};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    fn parse(s: &str) -> CoreResult<Self> {
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

/// Parses an IANA zone name, e.g. "Europe/Copenhagen".
pub fn parse_zone(name: &str) -> CoreResult<Tz> {
    name.parse::<Tz>().map_err(|_| CoreError::invalid("time_zone", "not an IANA time zone"))
}

fn decode_venue(r: &Row<'_>) -> CoreResult<Venue> {
    Ok(Venue {
        id: r.get(0)?,
        name: r.get(1)?,
        address: r.get(2)?,
        kind: match r.get::<_, String>(3)?.as_str() {
            "municipal" => VenueKind::Municipal,
            "private" => VenueKind::Private,
            _ => return Err(CoreError::Corrupt),
        },
        has_private_room: r.get(4)?,
        time_zone: r.get(5)?,
        created_at: from_millis(r.get(6)?)?,
    })
}

const SELECT_VENUE: &str = "SELECT id, name, address, kind, has_private_room, time_zone, created_at FROM venues";

pub(crate) fn load_venue(conn: &Connection, id: &str) -> CoreResult<Venue> {
    ids::check_id("venue_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT_VENUE} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode_venue(r),
        None => Err(CoreError::NotFound { what: "venue" }),
    }
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

pub(crate) fn absences_of(conn: &Connection) -> CoreResult<Vec<Absence>> {
    let mut stmt = conn.prepare_cached("SELECT id, from_date, to_date, reason FROM absences ORDER BY from_date")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(Absence {
            id: r.get(0)?,
            from: date_from_sql(&r.get::<_, String>(1)?)?,
            to: date_from_sql(&r.get::<_, String>(2)?)?,
            reason: AbsenceReason::parse(&r.get::<_, String>(3)?)?,
        });
    }
    Ok(out)
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
            let kind = match new.kind {
                VenueKind::Municipal => "municipal",
                VenueKind::Private => "private",
            };
            ctx.conn.execute(
                "INSERT INTO venues (id, name, address, kind, has_private_room, time_zone, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, name, address, kind, new.has_private_room, zone, millis(ctx.now)],
            )?;
            load_venue(ctx.conn, &id)
        })
    }

    pub fn list_venues(&self) -> CoreResult<Vec<Venue>> {
        self.with_session(|ctx| {
            let mut stmt = ctx.conn.prepare_cached(&format!("{SELECT_VENUE} ORDER BY name, id"))?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(decode_venue(r)?);
            }
            Ok(out)
        })
    }

    pub fn get_venue(&self, id: &str) -> CoreResult<Venue> {
        self.with_session(|ctx| load_venue(ctx.conn, id))
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
        if let (Some(a), Some(b)) = (valid_from, valid_until) {
            if a > b {
                return Err(CoreError::invalid("valid_until", "must not be before valid_from"));
            }
        }
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            load_venue(ctx.conn, venue_id)?;
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
        if from > to {
            return Err(CoreError::invalid("to", "must not be before from"));
        }
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            ctx.conn.execute(
                "INSERT INTO absences (id, from_date, to_date, reason) VALUES (?1, ?2, ?3, ?4)",
                params![id, date_to_sql(from), date_to_sql(to), reason.as_str()],
            )?;
            Ok(Absence { id, from, to, reason })
        })
    }

    pub fn list_absences(&self) -> CoreResult<Vec<Absence>> {
        self.with_session(|ctx| absences_of(ctx.conn))
    }

    pub fn remove_absence(&self, id: &str) -> CoreResult<()> {
        ids::check_id("absence_id", id)?;
        self.with_session(|ctx| match ctx.conn.execute("DELETE FROM absences WHERE id = ?1", [id])? {
            0 => Err(CoreError::NotFound { what: "absence" }),
            _ => Ok(()),
        })
    }
}
