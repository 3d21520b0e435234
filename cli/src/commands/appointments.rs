//! Appointments and today's screen.

use crate::app::{answer, Ctx, Reply};
use crate::codes::{parser, Code};
use crate::directory::Directory;
use crate::show::*;
use crate::times::{parse_date, parse_local};
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::Value;

#[derive(Subcommand)]
pub enum AppointmentCmd {
    /// Book (local time at the venue); prints warnings and the planned reminders
    Add {
        #[arg(long)]
        citizen: String,
        #[arg(long)]
        venue: Option<String>,
        /// YYYY-MM-DDTHH:MM, local time at the venue
        #[arg(long)]
        at: String,
        #[arg(long, default_value_t = 60)]
        minutes: u32,
        #[arg(long, default_value = "conversation", value_parser = parser::<AppointmentKind>())]
        kind: AppointmentKind,
        /// Court, doctor, Borgerservice... (needed for accompaniment)
        #[arg(long)]
        place: Option<String>,
        /// Only show what booking would do (warnings, reminders and their texts); nothing is written
        #[arg(long)]
        dry_run: bool,
    },
    /// A day's agenda [default: today], a week's, a citizen's, or those without an outcome
    List {
        /// YYYY-MM-DD
        #[arg(long)]
        day: Option<String>,
        /// Any date of the week (Monday to Sunday)
        #[arg(long)]
        week: Option<String>,
        #[arg(long)]
        citizen: Option<String>,
        /// Ended appointments still without an outcome
        #[arg(long)]
        open: bool,
    },
    /// One appointment with its reminders
    Show { id: String },
    /// Move to a new time; the old appointment links to the new one
    Reschedule {
        id: String,
        /// YYYY-MM-DDTHH:MM, local time at the venue
        #[arg(long)]
        at: String,
        #[arg(long)]
        minutes: Option<u32>,
    },
    Cancel {
        id: String,
        #[arg(long, default_value = "worker", value_parser = parser::<CancelledBy>())]
        by: CancelledBy,
    },
    /// The citizen confirmed they will come
    Confirm { id: String },
    /// Record attended or no_show once it has started, or correct the one recorded
    Outcome {
        id: String,
        #[arg(value_parser = parser::<Outcome>())]
        outcome: Outcome,
    },
}

pub fn today(ctx: &Ctx, date: Option<String>) -> Reply {
    let date = match date {
        Some(d) => parse_date(&d, "--date")?,
        None => LocalDate(ctx.today()),
    };
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let t = vault.today(date)?;
    Ok(answer(today_json(&t), today_text(&t, &d)))
}

pub fn run(ctx: &Ctx, cmd: AppointmentCmd) -> Reply {
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let one = |a: Appointment| answer(appointment_json(&a, &d), appointment_line(&a, &d));
    let many = |items: Vec<Appointment>| {
        let text = if items.is_empty() {
            "No appointments.".to_string()
        } else {
            items.iter().map(|a| appointment_line(a, &d)).collect::<Vec<_>>().join("\n")
        };
        answer(Value::Array(items.iter().map(|a| appointment_json(a, &d)).collect()), text)
    };
    Ok(match cmd {
        AppointmentCmd::Add { citizen, venue, at, minutes, kind, place, dry_run } => {
            let new = NewAppointment {
                citizen_id: d.citizen(&citizen, "--citizen")?,
                venue_id: venue.map(|v| d.venue(&v, "--venue")).transpose()?,
                local_start: parse_local(&at, "--at")?,
                duration_minutes: minutes,
                kind,
                outside_place: place,
            };
            let b = if dry_run { vault.preview_booking(new)? } else { vault.book_appointment(new)? };
            answer(booking_json(&b, &d, dry_run), booking_text(&b, &d, dry_run))
        }
        AppointmentCmd::List { day, week, citizen, open } => many(match (day, week, citizen, open) {
            (_, _, _, true) => vault.past_without_outcome()?,
            (_, _, Some(c), _) => vault.appointments_for_citizen(d.citizen(&c, "--citizen")?)?,
            (_, Some(w), _, _) => vault.agenda_week(parse_date(&w, "--week")?)?,
            (Some(day), _, _, _) => vault.agenda_day(parse_date(&day, "--day")?)?,
            _ => vault.agenda_day(LocalDate(ctx.today()))?,
        }),
        AppointmentCmd::Show { id } => {
            let a = vault.get_appointment(d.appointment(&id, "ID")?)?;
            let reminders = vault.list_reminders(Some(a.id.clone()))?;
            let mut j = appointment_json(&a, &d);
            j["reminders"] = Value::Array(reminders.iter().map(|r| reminder_json(r, &a.time_zone)).collect());
            let mut t = format!("{}\n  id {}", appointment_line(&a, &d), a.id);
            for r in &reminders {
                t.push_str(&format!("\n  reminder {}", reminder_text(r, &a.time_zone)));
            }
            answer(j, t)
        }
        AppointmentCmd::Reschedule { id, at, minutes } => {
            let b = vault.reschedule_appointment(d.appointment(&id, "ID")?, parse_local(&at, "--at")?, minutes)?;
            answer(booking_json(&b, &d, false), booking_text(&b, &d, false))
        }
        AppointmentCmd::Cancel { id, by } => one(vault.cancel_appointment(d.appointment(&id, "ID")?, by)?),
        AppointmentCmd::Confirm { id } => one(vault.confirm_appointment(d.appointment(&id, "ID")?)?),
        AppointmentCmd::Outcome { id, outcome } => {
            let id = d.appointment(&id, "ID")?;
            let before = vault.get_appointment(id.clone())?.status;
            let a = vault.set_outcome(id, outcome)?;
            let mut out = one(a);
            if matches!(before, AppointmentStatus::Attended | AppointmentStatus::NoShow) {
                out.json["corrected_from"] = serde_json::json!(before.code());
                out.text = format!("{}\n  (corrected from {})", out.text, before.code());
            }
            out
        }
    })
}
