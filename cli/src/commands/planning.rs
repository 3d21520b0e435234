//! What booking depends on: the worker's profile, venues, office hours and absences.

use crate::app::{answer, Answer, Ctx, Reply};
use crate::codes::{parser, Code};
use crate::directory::Directory;
use crate::show::*;
use crate::times::{parse_date, parse_time};
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum WorkerCmd {
    /// Set the name and phone that sign the reminders (texts waiting are written anew)
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: String,
        #[arg(long, default_value = "caseworker", value_parser = parser::<WorkerRole>())]
        role: WorkerRole,
    },
    Show,
}

#[derive(Subcommand)]
pub enum VenueCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: Option<String>,
        /// The venue has a room for confidential talks
        #[arg(long)]
        private_room: bool,
        /// Privately run (default: municipal)
        #[arg(long)]
        private: bool,
        /// IANA time zone [default: Europe/Copenhagen]
        #[arg(long)]
        time_zone: Option<String>,
    },
    List,
}

#[derive(Subcommand)]
pub enum HoursCmd {
    Add {
        #[arg(long)]
        venue: String,
        #[arg(long, value_parser = parser::<Weekday>())]
        weekday: Weekday,
        /// HH:MM, local time at the venue
        #[arg(long)]
        from: String,
        /// HH:MM
        #[arg(long)]
        to: String,
        /// YYYY-MM-DD
        #[arg(long)]
        valid_from: Option<String>,
        /// YYYY-MM-DD
        #[arg(long)]
        valid_until: Option<String>,
    },
    List {
        #[arg(long)]
        venue: Option<String>,
    },
    Remove {
        id: String,
    },
}

#[derive(Subcommand)]
pub enum AbsenceCmd {
    Add {
        /// YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "vacation", value_parser = parser::<AbsenceReason>())]
        reason: AbsenceReason,
    },
    List,
    Remove {
        id: String,
    },
}

pub fn list<T>(items: &[T], j: impl Fn(&T) -> Value, t: impl Fn(&T) -> String, none: &str) -> Answer {
    let text = if items.is_empty() { none.to_string() } else { items.iter().map(t).collect::<Vec<_>>().join("\n") };
    answer(Value::Array(items.iter().map(j).collect()), text)
}

fn profile_json(p: &WorkerProfile) -> Value {
    json!({"name": p.name, "phone": p.phone, "phone_display": p.phone_display, "role": p.role.code()})
}

fn profile_text(p: &WorkerProfile) -> String {
    format!("{} ({}), {}", p.name, p.role.code(), p.phone_display)
}

pub fn worker(ctx: &Ctx, cmd: WorkerCmd) -> Reply {
    let vault = ctx.unlocked()?;
    Ok(match cmd {
        WorkerCmd::Set { name, phone, role } => {
            let s = vault.set_worker_profile(name, phone, role)?;
            let mut j = profile_json(&s.profile);
            j["reminders_rewritten"] = json!(s.reminders_rewritten);
            j["reminders_planned"] = json!(s.reminders_planned);
            let mut text = profile_text(&s.profile);
            if s.reminders_rewritten > 0 || s.reminders_planned > 0 {
                text.push_str(&format!(
                    "\n{} waiting text(s) rewritten, {} reminder(s) planned for bookings made without a profile.",
                    s.reminders_rewritten, s.reminders_planned
                ));
            }
            answer(j, text)
        }
        WorkerCmd::Show => match vault.worker_profile()? {
            Some(p) => answer(profile_json(&p), profile_text(&p)),
            None => answer(Value::Null, "No worker profile set: `brobygger worker set --name N --phone P`."),
        },
    })
}

pub fn venue(ctx: &Ctx, cmd: VenueCmd) -> Reply {
    let vault = ctx.unlocked()?;
    Ok(match cmd {
        VenueCmd::Add { name, address, private_room, private, time_zone } => {
            let v = vault.add_venue(NewVenue {
                name,
                address,
                kind: if private { VenueKind::Private } else { VenueKind::Municipal },
                has_private_room: private_room,
                time_zone,
            })?;
            answer(venue_json(&v), format!("{}\n  id {}", venue_line(&v), v.id))
        }
        VenueCmd::List => list(&vault.list_venues()?, venue_json, venue_line, "No venues."),
    })
}

pub fn hours(ctx: &Ctx, cmd: HoursCmd) -> Reply {
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let line = |h: &OfficeHours| hours_line(h, d.venue_name(Some(&h.venue_id)).as_deref());
    Ok(match cmd {
        HoursCmd::Add { venue, weekday, from, to, valid_from, valid_until } => {
            let h = vault.add_office_hours(
                d.venue(&venue, "--venue")?,
                weekday,
                parse_time(&from, "--from")?,
                parse_time(&to, "--to")?,
                valid_from.map(|s| parse_date(&s, "--valid-from")).transpose()?,
                valid_until.map(|s| parse_date(&s, "--valid-until")).transpose()?,
            )?;
            answer(hours_json(&h), line(&h))
        }
        HoursCmd::List { venue } => {
            let venue = venue.map(|v| d.venue(&v, "--venue")).transpose()?;
            list(&vault.list_office_hours(venue)?, hours_json, line, "No office hours.")
        }
        HoursCmd::Remove { id } => {
            let id = d.office_hours(&id, "ID")?;
            vault.remove_office_hours(id.clone())?;
            answer(json!({"id": id, "removed": true}), "Removed.")
        }
    })
}

pub fn absence(ctx: &Ctx, cmd: AbsenceCmd) -> Reply {
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    Ok(match cmd {
        AbsenceCmd::Add { from, to, reason } => {
            let a = vault.add_absence(parse_date(&from, "--from")?, parse_date(&to, "--to")?, reason)?;
            answer(absence_json(&a), absence_line(&a))
        }
        AbsenceCmd::List => list(&vault.list_absences()?, absence_json, absence_line, "No absences."),
        AbsenceCmd::Remove { id } => {
            let id = d.absence(&id, "ID")?;
            vault.remove_absence(id.clone())?;
            answer(json!({"id": id, "removed": true}), "Removed.")
        }
    })
}
