//! CLI commands for the worker's settings, venues, hours, absences, appointments,
//! reminders, SMS checks and reports.

use crate::output::{kebab, rfc3339, snake};
use crate::{answer, arg_enum, Answer, CliError, Ctx};
use brobygger_ffi::*;
use chrono::{Datelike, NaiveDate};
use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};

arg_enum!(RoleArg => WorkerRole { Caseworker, SubstanceAbuseWorker, SupportContactPerson });
arg_enum!(WeekdayArg => Weekday { Mon, Tue, Wed, Thu, Fri, Sat, Sun });
arg_enum!(ReasonArg => AbsenceReason { Vacation, Sick, Course, Other });
arg_enum!(KindArg => AppointmentKind { Conversation, StatutoryMeeting, Accompaniment, HomeVisit, GroupActivity });
arg_enum!(OutcomeArg => Outcome { Attended, NoShow });
arg_enum!(ByArg => CancelledBy { Citizen, Worker });
arg_enum!(ResolutionArg => Resolution { Resend, Drop });

#[derive(Subcommand)]
pub enum WorkerCmd {
    /// Set the name and phone that sign the reminders
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: String,
        #[arg(long, default_value = "caseworker")]
        role: RoleArg,
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
        #[arg(long)]
        weekday: WeekdayArg,
        /// HH:MM
        #[arg(long)]
        from: String,
        /// HH:MM
        #[arg(long)]
        to: String,
        #[arg(long)]
        valid_from: Option<String>,
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
        #[arg(long, default_value = "vacation")]
        reason: ReasonArg,
    },
    List,
    Remove {
        id: String,
    },
}

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
        #[arg(long, default_value = "conversation")]
        kind: KindArg,
        /// Court, doctor, Borgerservice... (needed for accompaniment)
        #[arg(long)]
        place: Option<String>,
    },
    /// A day's agenda [default: today], a week's, a citizen's, or those without an outcome
    List {
        #[arg(long)]
        day: Option<String>,
        #[arg(long)]
        week: Option<String>,
        #[arg(long)]
        citizen: Option<String>,
        /// Ended appointments still without an outcome
        #[arg(long)]
        open: bool,
    },
    Show {
        id: String,
    },
    /// Move to a new time; the old appointment links to the new one
    Reschedule {
        id: String,
        #[arg(long)]
        at: String,
        #[arg(long)]
        minutes: Option<u32>,
    },
    Cancel {
        id: String,
        #[arg(long, default_value = "worker")]
        by: ByArg,
    },
    Confirm {
        id: String,
    },
    /// Record attended or no-show
    Outcome {
        id: String,
        outcome: OutcomeArg,
    },
}

#[derive(Subcommand)]
pub enum ReminderCmd {
    /// Reminders of one appointment, or everything open and the last 7 days
    List {
        #[arg(long)]
        appointment: Option<String>,
    },
    /// Hand everything due now to a sender (no PIN needed, as on the phone)
    Send {
        /// console, or file:PATH (one JSON line per text)
        #[arg(long, default_value = "console")]
        sender: String,
    },
    /// The worker's decision on an unknown or failed reminder
    Resolve { id: String, resolution: ResolutionArg },
    /// Let one held text (flagged or too long) go out
    Approve { id: String },
    /// Record a delivery report
    Delivered {
        id: String,
        /// The network reported it undelivered
        #[arg(long)]
        failed: bool,
    },
}

#[derive(Subcommand)]
pub enum SmsCmd {
    /// Encoding, segments, normalised text and lint flags of a text
    Check { text: String },
}

#[derive(Subcommand)]
pub enum ReportCmd {
    /// No-show figures [default: this month]
    NoShows {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        venue: Option<String>,
    },
}

fn venue_json(v: &Venue) -> Value {
    json!({"id": v.id, "name": v.name, "address": v.address, "kind": snake(v.kind), "has_private_room": v.has_private_room, "time_zone": v.time_zone})
}

fn hours_json(h: &OfficeHours) -> Value {
    json!({"id": h.id, "venue_id": h.venue_id, "weekday": snake(h.weekday), "from": h.from, "to": h.to, "valid_from": h.valid_from, "valid_until": h.valid_until})
}

fn hours_text(h: &OfficeHours) -> String {
    format!("{}  {} {}-{} at {}", h.id, kebab(h.weekday), h.from, h.to, h.venue_id)
}

fn absence_json(a: &Absence) -> Value {
    json!({"id": a.id, "from": a.from, "to": a.to, "reason": snake(a.reason)})
}

pub fn appointment_json(a: &Appointment) -> Value {
    json!({
        "id": a.id, "citizen_id": a.citizen_id, "venue_id": a.venue_id, "kind": snake(a.kind),
        "starts_at": rfc3339(a.starts_at), "ends_at": rfc3339(a.ends_at), "time_zone": a.time_zone,
        "local_start": a.local_start, "local_end": a.local_end, "status": snake(a.status),
        "outside_place": a.outside_place, "rescheduled_from": a.rescheduled_from, "rescheduled_to": a.rescheduled_to,
    })
}

pub fn reminder_json(r: &Reminder) -> Value {
    json!({
        "id": r.id, "appointment_id": r.appointment_id, "kind": snake(r.kind), "send_at": rfc3339(r.send_at),
        "state": snake(r.state), "hold": r.hold.map(snake), "text": r.text, "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.map(rfc3339), "reason": r.reason,
        "sent_at": r.sent_at.map(rfc3339), "delivered_at": r.delivered_at.map(rfc3339),
    })
}

fn appointment_text(a: &Appointment) -> String {
    format!(
        "{}  {}  {} → {}  {}  {}{}",
        a.id,
        snake(a.status),
        a.local_start.replace('T', " "),
        &a.local_end[11..],
        snake(a.kind),
        a.citizen_id.as_deref().unwrap_or("(deleted citizen)"),
        a.outside_place.as_deref().map(|p| format!("  at {p}")).unwrap_or_default()
    )
}

fn reminder_text(r: &Reminder) -> String {
    format!(
        "{}  {}  {}  {}{}{}",
        r.id,
        snake(r.state),
        rfc3339(r.send_at),
        snake(r.kind),
        r.hold.map(|h| format!("  HELD ({})", snake(h))).unwrap_or_default(),
        r.text.as_deref().map(|t| format!("\n    {t}")).unwrap_or_default()
    )
}

pub fn booking_json(b: &Booking) -> Value {
    let mut v = appointment_json(&b.appointment);
    v["warnings"] = json!(b.warnings.iter().map(|w| booking_warning_code(*w)).collect::<Vec<_>>());
    v["reminders"] = Value::Array(b.reminders.iter().map(reminder_json).collect());
    v["no_reminders"] = json!(b.no_reminders.map(no_reminder_reason_code));
    v
}

fn booking_text(b: &Booking) -> String {
    let mut out = appointment_text(&b.appointment);
    for w in &b.warnings {
        out.push_str(&format!("\n  warning: {}", booking_warning_code(*w)));
    }
    for r in &b.reminders {
        out.push_str(&format!("\n  reminder {}", reminder_text(r)));
    }
    if let Some(reason) = b.no_reminders {
        out.push_str(&format!("\n  no reminders: {}", no_reminder_reason_code(reason)));
    }
    out
}

fn list<T>(items: &[T], j: fn(&T) -> Value, t: fn(&T) -> String) -> Answer {
    answer(Value::Array(items.iter().map(j).collect()), items.iter().map(t).collect::<Vec<_>>().join("\n"))
}

/// Today's date in Copenhagen, by the CLI's clock.
fn today(ctx: &Ctx) -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from(ctx.now()).with_timezone(&chrono_tz::Europe::Copenhagen).date_naive()
}

pub fn worker(ctx: &Ctx, cmd: WorkerCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    let show = |p: &WorkerProfile| {
        answer(
            json!({"name": p.name, "phone": p.phone, "role": snake(p.role)}),
            format!("{} ({}), {}", p.name, kebab(p.role), p.phone),
        )
    };
    Ok(match cmd {
        WorkerCmd::Set { name, phone, role } => show(&vault.set_worker_profile(name, phone, role.into())?),
        WorkerCmd::Show => match vault.worker_profile()? {
            Some(p) => show(&p),
            None => answer(Value::Null, "No worker profile set: `brobygger worker set --name N --phone P`."),
        },
    })
}

pub fn venue(ctx: &Ctx, cmd: VenueCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    let text = |v: &Venue| {
        format!("{}  {}{}", v.id, v.name, v.address.as_deref().map(|a| format!(", {a}")).unwrap_or_default())
    };
    Ok(match cmd {
        VenueCmd::Add { name, address, private_room, private, time_zone } => {
            let v = vault.add_venue(NewVenue {
                name,
                address,
                kind: if private { VenueKind::Private } else { VenueKind::Municipal },
                has_private_room: private_room,
                time_zone,
            })?;
            answer(venue_json(&v), text(&v))
        }
        VenueCmd::List => list(&vault.list_venues()?, venue_json, |v| format!("{}  {}", v.id, v.name)),
    })
}

pub fn hours(ctx: &Ctx, cmd: HoursCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    Ok(match cmd {
        HoursCmd::Add { venue, weekday, from, to, valid_from, valid_until } => {
            let h = vault.add_office_hours(venue, weekday.into(), from, to, valid_from, valid_until)?;
            answer(hours_json(&h), hours_text(&h))
        }
        HoursCmd::List { venue } => list(&vault.list_office_hours(venue)?, hours_json, hours_text),
        HoursCmd::Remove { id } => {
            vault.remove_office_hours(id.clone())?;
            answer(json!({"id": id, "removed": true}), "Removed.")
        }
    })
}

pub fn absence(ctx: &Ctx, cmd: AbsenceCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    Ok(match cmd {
        AbsenceCmd::Add { from, to, reason } => {
            let a = vault.add_absence(from, to, reason.into())?;
            answer(absence_json(&a), format!("{}  {} to {} ({})", a.id, a.from, a.to, kebab(a.reason)))
        }
        AbsenceCmd::List => list(&vault.list_absences()?, absence_json, |a| {
            format!("{}  {} to {} ({})", a.id, a.from, a.to, kebab(a.reason))
        }),
        AbsenceCmd::Remove { id } => {
            vault.remove_absence(id.clone())?;
            answer(json!({"id": id, "removed": true}), "Removed.")
        }
    })
}

pub fn appointment(ctx: &Ctx, cmd: AppointmentCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    let one = |a: Appointment| answer(appointment_json(&a), appointment_text(&a));
    Ok(match cmd {
        AppointmentCmd::Add { citizen, venue, at, minutes, kind, place } => {
            let b = vault.book_appointment(NewAppointment {
                citizen_id: citizen,
                venue_id: venue,
                local_start: at,
                duration_minutes: minutes,
                kind: kind.into(),
                outside_place: place,
            })?;
            answer(booking_json(&b), booking_text(&b))
        }
        AppointmentCmd::List { day, week, citizen, open } => {
            let items = match (day, week, citizen, open) {
                (_, _, _, true) => vault.past_without_outcome()?,
                (_, _, Some(c), _) => vault.appointments_for_citizen(c)?,
                (_, Some(w), _, _) => vault.agenda_week(w)?,
                (Some(d), _, _, _) => vault.agenda_day(d)?,
                _ => vault.agenda_day(today(ctx).format("%Y-%m-%d").to_string())?,
            };
            list(&items, appointment_json, appointment_text)
        }
        AppointmentCmd::Show { id } => {
            let a = vault.get_appointment(id.clone())?;
            let reminders = vault.list_reminders(Some(id))?;
            let mut j = appointment_json(&a);
            j["reminders"] = Value::Array(reminders.iter().map(reminder_json).collect());
            let mut t = appointment_text(&a);
            for r in &reminders {
                t.push_str(&format!("\n  reminder {}", reminder_text(r)));
            }
            answer(j, t)
        }
        AppointmentCmd::Reschedule { id, at, minutes } => {
            let b = vault.reschedule_appointment(id, at, minutes)?;
            answer(booking_json(&b), booking_text(&b))
        }
        AppointmentCmd::Cancel { id, by } => one(vault.cancel_appointment(id, by.into())?),
        AppointmentCmd::Confirm { id } => one(vault.confirm_appointment(id)?),
        AppointmentCmd::Outcome { id, outcome } => one(vault.set_outcome(id, outcome.into())?),
    })
}

pub fn reminder(ctx: &Ctx, cmd: ReminderCmd, _json: bool) -> Result<Answer, CliError> {
    Ok(match cmd {
        ReminderCmd::List { appointment } => {
            let vault = ctx.open_unlocked()?;
            list(&vault.list_reminders(appointment)?, reminder_json, reminder_text)
        }
        ReminderCmd::Send { sender } => {
            // Like the phone's background job: no PIN, only the platform key store.
            let vault = ctx.open()?;
            let (run, texts) = if sender == "console" {
                let console = std::sync::Arc::new(senders::ConsoleSender::default());
                let run = vault.run_outbox(console.clone())?;
                let texts = console.sent.lock().unwrap_or_else(|e| e.into_inner()).clone();
                (run, texts)
            } else if let Some(path) = sender.strip_prefix("file:") {
                let run = vault.run_outbox(std::sync::Arc::new(senders::FileSender { path: path.into() }))?;
                (run, Vec::new())
            } else {
                return Err(CliError::Usage("--sender is console or file:PATH".into()));
            };
            let mut text = format!(
                "Handed over {}: {} sent, {} failed, {} to retry, {} unknown, {} too late.",
                run.handed_over, run.sent, run.failed, run.retry_scheduled, run.unknown, run.too_late
            );
            for (id, number, t) in &texts {
                text.push_str(&format!("\nSMS to {number} (reminder {id}):\n  {t}"));
            }
            answer(
                json!({
                    "handed_over": run.handed_over, "sent": run.sent, "failed": run.failed,
                    "retry_scheduled": run.retry_scheduled, "needs_user": run.needs_user, "unknown": run.unknown,
                    "too_late": run.too_late,
                    "texts": texts.iter().map(|(id, n, t)| json!({"reminder_id": id, "number": n, "text": t})).collect::<Vec<_>>(),
                }),
                text,
            )
        }
        ReminderCmd::Resolve { id, resolution } => {
            let r = ctx.open_unlocked()?.resolve_reminder(id, resolution.into())?;
            answer(reminder_json(&r), reminder_text(&r))
        }
        ReminderCmd::Approve { id } => {
            let r = ctx.open_unlocked()?.approve_reminder_text(id)?;
            answer(reminder_json(&r), reminder_text(&r))
        }
        ReminderCmd::Delivered { id, failed } => {
            let r = ctx.open()?.record_delivery(id, !failed)?;
            answer(reminder_json(&r), reminder_text(&r))
        }
    })
}

use brobygger_cli::senders;

pub fn sms(cmd: SmsCmd) -> Result<Answer, CliError> {
    let SmsCmd::Check { text } = cmd;
    let c = check_sms_text(text);
    let encoding = match c.encoding {
        SmsEncoding::Gsm7 => "gsm7",
        SmsEncoding::Ucs2 => "ucs2",
    };
    let lint: Vec<Value> = c.lint.iter().map(|f| json!({"word": f.word, "category": f.category})).collect();
    let mut text = format!("{encoding}, {} segment(s), {} units\n{}", c.segments, c.units, c.normalized);
    for f in &c.lint {
        text.push_str(&format!("\n  flagged: {} ({})", f.word, f.category));
    }
    if !c.acceptable {
        text.push_str("\n  refused unless the worker approves this message");
    }
    Ok(answer(
        json!({"encoding": encoding, "segments": c.segments, "units": c.units, "normalized": c.normalized, "lint": lint, "acceptable": c.acceptable}),
        text,
    ))
}

pub fn report(ctx: &Ctx, cmd: ReportCmd) -> Result<Answer, CliError> {
    let ReportCmd::NoShows { from, to, venue } = cmd;
    let vault = ctx.open_unlocked()?;
    let today = today(ctx);
    let first = today.with_day(1).unwrap_or(today);
    let last = (first + chrono::Months::new(1)).pred_opt().unwrap_or(today);
    let from = from.unwrap_or_else(|| first.format("%Y-%m-%d").to_string());
    let to = to.unwrap_or_else(|| last.format("%Y-%m-%d").to_string());
    let r = vault.no_show_report(from.clone(), to.clone(), venue.clone())?;
    let rate = |f: &RateFigures| json!({"attended": f.attended, "no_show": f.no_show, "rate": f.rate});
    let pct = |f: &RateFigures| f.rate.map(|r| format!("{:.1} %", r * 100.0)).unwrap_or_else(|| "-".into());
    Ok(answer(
        json!({
            "from": from, "to": to, "venue_id": venue, "booked": r.booked, "attended": r.attended, "no_show": r.no_show,
            "cancelled": r.cancelled, "rescheduled": r.rescheduled, "open": r.open,
            "no_show_rate": r.overall.rate, "overall": rate(&r.overall), "statutory": rate(&r.statutory),
            "with_reminder": rate(&r.with_reminder), "without_reminder": rate(&r.without_reminder),
        }),
        format!(
            "No-shows {from} to {to}: booked {}, attended {}, no-show {}, cancelled {}, open {}\n\
             no-show rate {} overall, {} at statutory meetings, {} with a reminder sent, {} without",
            r.booked,
            r.attended,
            r.no_show,
            r.cancelled,
            r.open,
            pct(&r.overall),
            pct(&r.statutory),
            pct(&r.with_reminder),
            pct(&r.without_reminder)
        ),
    ))
}

pub fn holidays(ctx: &Ctx, year: Option<i32>) -> Result<Answer, CliError> {
    let year = year.unwrap_or_else(|| today(ctx).year());
    let h = danish_holidays(year);
    Ok(list(
        &h,
        |h| json!({"date": h.date, "name_da": h.name_da, "name_en": h.name_en, "official": h.official}),
        |h| format!("{}  {}{}", h.date, h.name_da, if h.official { "" } else { " (customary)" }),
    ))
}
