//! How records are shown: JSON for scripts (`--json`; codes, ids, UTC instants beside local
//! times) and short text for people (names instead of ids, local times with the zone's
//! offset, words instead of codes for what needs explaining). Lists show ids shortened to 8
//! digits; any unique prefix of 6 or more is accepted back.

use crate::codes::{attention_kind, warning_code, Code};
use crate::directory::Directory;
use crate::times::{self, iso_date, iso_local, iso_time, rfc3339};
use crate::words::{no_reminder_words, warning_words, word};
use brobygger_ffi::*;
use serde_json::{json, Value};

/// The first 8 digits of an id, for lists.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn codes<T: Code>(items: &[T]) -> Vec<&'static str> {
    items.iter().map(|v| v.code()).collect()
}

fn joined<T: Code>(items: &[T]) -> String {
    codes(items).join(", ")
}

// Citizens

pub fn citizen_json(c: &Citizen) -> Value {
    json!({
        "id": c.id,
        "nickname": c.nickname,
        "phone": c.phone.as_ref().map(|p| p.e164.clone()),
        "phone_display": c.phone_display,
        "phone_kind": c.phone.as_ref().map(|p| p.kind.code()),
        "language": c.language.code(),
        "sms_consent": c.sms_consent.as_ref().map(|s| json!({"given_at": rfc3339(s.given_at), "method": s.method.code()})),
        "sms_consent_withdrawn_at": c.sms_consent_withdrawn_at.map(rfc3339),
        "can_receive_sms": c.can_receive_sms,
        "case_reference": c.case_reference,
        "created_at": rfc3339(c.created_at),
        "updated_at": rfc3339(c.updated_at),
    })
}

fn citizen_details(c: &Citizen) -> String {
    let phone = match (&c.phone, &c.phone_display) {
        (Some(p), Some(d)) => format!("{d} ({})", p.kind.code()),
        (Some(p), None) => format!("{} ({})", p.e164, p.kind.code()),
        _ => "no phone".into(),
    };
    let sms = match &c.sms_consent {
        Some(s) => format!("SMS consent {} since {}", s.method.code(), times::home(s.given_at)),
        None if c.sms_consent_withdrawn_at.is_some() => "SMS consent withdrawn".into(),
        None => "no SMS consent".into(),
    };
    let case = c.case_reference.as_deref().map(|r| format!(", case {r}")).unwrap_or_default();
    format!("{phone}, {sms}, texts in {}{case}", c.language.code())
}

/// One line, for lists.
pub fn citizen_line(c: &Citizen) -> String {
    format!("{}  {}  {}", short(&c.id), c.nickname, citizen_details(c))
}

/// The whole record.
pub fn citizen_text(c: &Citizen) -> String {
    format!("{}\n  id {}\n  {}", c.nickname, c.id, citizen_details(c))
}

pub fn citizen_list_json(l: &CitizenList) -> Value {
    json!({"citizens": l.citizens.iter().map(citizen_json).collect::<Vec<_>>(), "unreadable": l.unreadable})
}

pub fn citizen_list_text(l: &CitizenList) -> String {
    let mut lines: Vec<String> = l.citizens.iter().map(citizen_line).collect();
    if l.citizens.is_empty() {
        lines.push("No citizens.".into());
    }
    if l.unreadable > 0 {
        lines.push(format!("{} citizen(s) could not be opened (damaged or tampered).", l.unreadable));
    }
    lines.join("\n")
}

// Notes

pub fn follow_up_json(f: &FollowUp) -> Value {
    json!({
        "id": f.id,
        "note_id": f.note_id,
        "text": f.text,
        "due_date": f.due_date.as_ref().map(iso_date),
        "owner": f.owner.code(),
        "done": f.done,
        "done_at": f.done_at.map(rfc3339),
        "created_at": rfc3339(f.created_at),
    })
}

pub fn follow_up_text(f: &FollowUp) -> String {
    format!(
        "[{}] follow-up {} ({}{}): {}",
        if f.done { "x" } else { " " },
        short(&f.id),
        f.owner.code(),
        f.due_date.as_ref().map(|d| format!(", due {}", iso_date(d))).unwrap_or_default(),
        f.text
    )
}

pub fn note_json(n: &Note, citizen: Option<&str>) -> Value {
    json!({
        "id": n.id,
        "citizen_id": n.citizen_id,
        "citizen": citizen,
        "state": n.state.code(),
        "text": n.text,
        "topics": codes(&n.topics),
        "help_given": codes(&n.help_given),
        "amendments": n.amendments.iter().map(|a| json!({"id": a.id, "text": a.text, "created_at": rfc3339(a.created_at)})).collect::<Vec<_>>(),
        "follow_ups": n.follow_ups.iter().map(follow_up_json).collect::<Vec<_>>(),
        "journal_reference": n.journal_reference,
        "occurred_at": rfc3339(n.occurred_at),
        "created_at": rfc3339(n.created_at),
        "updated_at": rfc3339(n.updated_at),
        "finalized_at": n.finalized_at.map(rfc3339),
        "journalised_at": n.journalised_at.map(rfc3339),
    })
}

fn who(citizen_id: Option<&str>, citizen: Option<&str>) -> String {
    match (citizen_id, citizen) {
        (None, _) => "anonymous".into(),
        (Some(_), Some(name)) => name.to_string(),
        (Some(id), None) => format!("citizen {}", short(id)),
    }
}

pub fn note_text(n: &Note, citizen: Option<&str>) -> String {
    let mut out = format!(
        "Note {} [{}] with {}, {}\n  id {}",
        short(&n.id),
        n.state.code(),
        who(n.citizen_id.as_deref(), citizen),
        times::home(n.occurred_at),
        n.id
    );
    if !n.topics.is_empty() {
        out.push_str(&format!("\n  topics: {}", joined(&n.topics)));
    }
    if !n.help_given.is_empty() {
        out.push_str(&format!("\n  help given: {}", joined(&n.help_given)));
    }
    out.push_str(&format!("\n  {}", n.text.replace('\n', "\n  ")));
    for a in &n.amendments {
        out.push_str(&format!("\n  amendment {}: {}", times::home(a.created_at), a.text));
    }
    for f in &n.follow_ups {
        out.push_str(&format!("\n  {}", follow_up_text(f)));
    }
    if let Some(r) = &n.journal_reference {
        out.push_str(&format!("\n  journalised as {r}"));
    }
    out
}

pub fn saved_json(s: &NoteSaved) -> Value {
    json!({"id": s.id, "state": s.state.code(), "occurred_at": rfc3339(s.occurred_at), "updated_at": rfc3339(s.updated_at)})
}

pub fn saved_text(s: &NoteSaved) -> String {
    format!(
        "Draft {} saved at {} (conversation {}).\n  id {}",
        short(&s.id),
        times::home(s.updated_at),
        times::home(s.occurred_at),
        s.id
    )
}

pub fn summary_json(n: &NoteSummary) -> Value {
    json!({
        "id": n.id,
        "citizen_id": n.citizen_id,
        "citizen": n.citizen_nickname,
        "state": n.state.code(),
        "occurred_at": rfc3339(n.occurred_at),
        "updated_at": rfc3339(n.updated_at),
        "topics": codes(&n.topics),
        "help_given": codes(&n.help_given),
        "snippet": n.snippet,
        "amendments": n.amendments,
        "open_follow_ups": n.open_follow_ups,
    })
}

pub fn summary_line(n: &NoteSummary) -> String {
    let mut extra = Vec::new();
    if n.amendments > 0 {
        extra.push(format!("{} amendment(s)", n.amendments));
    }
    if n.open_follow_ups > 0 {
        extra.push(format!("{} open follow-up(s)", n.open_follow_ups));
    }
    let extra = if extra.is_empty() { String::new() } else { format!("  ({})", extra.join(", ")) };
    format!(
        "{}  {}  [{}]  {}  {}{extra}",
        short(&n.id),
        times::home(n.occurred_at),
        n.state.code(),
        who(n.citizen_id.as_deref(), n.citizen_nickname.as_deref()),
        n.snippet
    )
}

pub fn page_json(p: &NotePage) -> Value {
    json!({"items": p.items.iter().map(summary_json).collect::<Vec<_>>(), "next_cursor": p.next_cursor, "unreadable": p.unreadable})
}

/// A page, with how to get the next one.
pub fn page_text(p: &NotePage, next: &str) -> String {
    let mut lines: Vec<String> = p.items.iter().map(summary_line).collect();
    if p.items.is_empty() {
        lines.push("No notes.".into());
    }
    if p.unreadable > 0 {
        lines.push(format!("{} note(s) on this page could not be opened (damaged or tampered).", p.unreadable));
    }
    if let Some(c) = &p.next_cursor {
        lines.push(format!("More: {next} --cursor {c}"));
    }
    lines.join("\n")
}

// The vault

pub fn status_json(s: &VaultStatus) -> Value {
    json!({
        "unlocked": s.unlocked,
        "pin_attempts_left": s.pin_attempts_left,
        "pin_disabled": s.pin_disabled,
        "pin_retry_after_seconds": s.pin_retry_after_seconds,
        "auto_lock_minutes": s.auto_lock_minutes,
        "kdf_algorithm": s.kdf_algorithm,
        "kdf_iterations": s.kdf_iterations,
        "platform_keys_missing": s.platform_keys_missing,
        "biometric_enrolled": s.biometric_enrolled,
        "recovery_key_rotation_advised": s.recovery_key_rotation_advised,
        "integrity": s.integrity.code(),
    })
}

pub fn status_text(s: &VaultStatus, dir: &str) -> String {
    let mut lines = vec![format!("Vault {dir}")];
    if s.platform_keys_missing {
        lines.push("The key store no longer holds this vault's keys: open it with `brobygger recover`.".into());
    } else if s.pin_disabled {
        lines.push("PIN unlock is disabled after too many wrong PINs: use `brobygger recover`.".into());
    } else {
        lines.push(format!("{} PIN attempts left", s.pin_attempts_left));
        if s.pin_retry_after_seconds > 0 {
            lines.push(format!("next PIN attempt allowed in {} seconds", s.pin_retry_after_seconds));
        }
    }
    lines.push(format!(
        "auto-lock after {} min; PIN KDF {} x {}",
        s.auto_lock_minutes, s.kdf_algorithm, s.kdf_iterations
    ));
    lines.push(format!("biometric unlock {}", if s.biometric_enrolled { "enrolled" } else { "not enrolled" }));
    if s.recovery_key_rotation_advised {
        lines.push(word("recovery_key_rotation_advised").into_owned());
    }
    lines.push(format!("integrity: {}", word(s.integrity.code())));
    lines.join("\n")
}

// Venues, hours, absences

pub fn venue_json(v: &Venue) -> Value {
    json!({"id": v.id, "name": v.name, "address": v.address, "kind": v.kind.code(), "has_private_room": v.has_private_room, "time_zone": v.time_zone})
}

pub fn venue_line(v: &Venue) -> String {
    let address = v.address.as_deref().map(|a| format!(", {a}")).unwrap_or_default();
    let room = if v.has_private_room { ", private room" } else { "" };
    format!("{}  {}{address} ({}{room}, {})", short(&v.id), v.name, v.kind.code(), v.time_zone)
}

pub fn hours_json(h: &OfficeHours) -> Value {
    json!({
        "id": h.id, "venue_id": h.venue_id, "weekday": h.weekday.code(), "from": iso_time(&h.from), "to": iso_time(&h.to),
        "valid_from": h.valid_from.as_ref().map(iso_date), "valid_until": h.valid_until.as_ref().map(iso_date),
    })
}

pub fn hours_line(h: &OfficeHours, venue: Option<&str>) -> String {
    let valid = match (&h.valid_from, &h.valid_until) {
        (None, None) => String::new(),
        (f, u) => format!(
            " (from {} until {})",
            f.as_ref().map(iso_date).unwrap_or_else(|| "always".into()),
            u.as_ref().map(iso_date).unwrap_or_else(|| "further notice".into())
        ),
    };
    format!(
        "{}  {} {}–{} at {}{valid}",
        short(&h.id),
        h.weekday.code(),
        iso_time(&h.from),
        iso_time(&h.to),
        venue.map(str::to_string).unwrap_or_else(|| format!("venue {}", short(&h.venue_id)))
    )
}

pub fn absence_json(a: &Absence) -> Value {
    json!({"id": a.id, "from": iso_date(&a.from), "to": iso_date(&a.to), "reason": a.reason.code()})
}

pub fn absence_line(a: &Absence) -> String {
    format!("{}  {} to {} ({})", short(&a.id), iso_date(&a.from), iso_date(&a.to), a.reason.code())
}

// Appointments

pub fn appointment_json(a: &Appointment, d: &Directory) -> Value {
    json!({
        "id": a.id,
        "citizen_id": a.citizen_id,
        "citizen": d.citizen_name(a.citizen_id.as_deref()),
        "venue_id": a.venue_id,
        "venue": d.venue_name(a.venue_id.as_deref()),
        "outside_place": a.outside_place,
        "kind": a.kind.code(),
        "status": a.status.code(),
        "starts_at": rfc3339(a.starts_at),
        "ends_at": rfc3339(a.ends_at),
        "time_zone": a.time_zone,
        "local_start": iso_local(&a.local_start),
        "local_end": iso_local(&a.local_end),
        "utc_offset": times::offset_at(&a.local_start, &a.time_zone),
        "outcome_at": a.outcome_at.map(rfc3339),
        "outcome_corrected_at": a.outcome_corrected_at.map(rfc3339),
        "cancel_reason": a.cancel_reason,
        "rescheduled_from": a.rescheduled_from,
        "rescheduled_to": a.rescheduled_to,
    })
}

fn place(venue: Option<String>, outside: Option<&str>) -> String {
    match (venue, outside) {
        (Some(v), Some(o)) => format!("{v} / {o}"),
        (Some(v), None) => v,
        (None, Some(o)) => o.to_string(),
        (None, None) => "no venue".into(),
    }
}

pub fn appointment_line(a: &Appointment, d: &Directory) -> String {
    d.remember_zone(a);
    let citizen = match &a.citizen_id {
        Some(id) => d.citizen_name(Some(id)).unwrap_or_else(|| format!("citizen {}", short(id))),
        None => "(deleted citizen)".into(),
    };
    let mut out = format!(
        "{}  {}  {}  {}  {}  {}",
        short(&a.id),
        times::span(&a.local_start, &a.local_end, &a.time_zone),
        citizen,
        place(d.venue_name(a.venue_id.as_deref()), a.outside_place.as_deref()),
        a.kind.code(),
        a.status.code()
    );
    if let Some(to) = &a.rescheduled_to {
        out.push_str(&format!(" (moved to {})", short(to)));
    }
    if let Some(r) = &a.cancel_reason {
        out.push_str(&format!(" ({})", word(r)));
    }
    out
}

pub fn reminder_json(r: &Reminder, zone: &str) -> Value {
    let (local_send_at, utc_offset) = times::iso_at(r.send_at, zone);
    json!({
        "id": r.id,
        "appointment_id": r.appointment_id,
        "kind": r.kind.code(),
        "state": r.state.code(),
        "send_at": rfc3339(r.send_at),
        "local_send_at": local_send_at,
        "utc_offset": utc_offset,
        "hold": r.hold.map(|h| h.code()),
        "held_for": r.held_for.iter().map(|w| json!({"word": w.word, "category": w.category})).collect::<Vec<_>>(),
        "text": r.text,
        "edited": r.edited,
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at.map(rfc3339),
        "reason": r.reason,
        "sent_at": r.sent_at.map(rfc3339),
        "delivered_at": r.delivered_at.map(rfc3339),
        "awaiting_user": r.awaiting_user,
    })
}

pub fn reminder_text(r: &Reminder, zone: &str) -> String {
    let mut out = format!("{}  {}  {}  {}", short(&r.id), times::at(r.send_at, zone), r.kind.code(), r.state.code());
    if let Some(h) = r.hold {
        let why = match h {
            ReminderHold::Lint => {
                format!("names {}", r.held_for.iter().map(|w| w.word.as_str()).collect::<Vec<_>>().join(", "))
            }
            ReminderHold::TooLong => "longer than 3 SMS".into(),
        };
        out.push_str(&format!("  HELD: {why}"));
    }
    if r.edited {
        out.push_str("  (edited)");
    }
    if let Some(reason) = &r.reason {
        out.push_str(&format!("  ({})", word(reason)));
    }
    if let Some(t) = &r.text {
        out.push_str(&format!("\n    {t}"));
    }
    out
}

pub fn warning_json(w: &BookingWarning) -> Value {
    let mut v = match w {
        BookingWarning::Overlap { appointment_id, citizen, local_start, local_end } => json!({
            "appointment_id": appointment_id, "citizen": citizen,
            "local_start": iso_local(local_start), "local_end": iso_local(local_end),
        }),
        BookingWarning::OutsideOfficeHours { hours } => {
            json!({"hours": hours.iter().map(|h| json!({"from": iso_time(&h.from), "to": iso_time(&h.to)})).collect::<Vec<_>>()})
        }
        BookingWarning::Absence { from, to } => json!({"from": iso_date(from), "to": iso_date(to)}),
        BookingWarning::Holiday { name_da, name_en } => json!({"name_da": name_da, "name_en": name_en}),
        BookingWarning::InPast => json!({}),
        BookingWarning::DstGap { asked, booked } => json!({"asked": iso_time(asked), "booked": iso_time(booked)}),
        BookingWarning::DstAmbiguous { asked, utc_offset_minutes } => {
            json!({"asked": iso_time(asked), "utc_offset_minutes": utc_offset_minutes})
        }
        BookingWarning::SmsHeld { reminder_id, words, too_long } => {
            json!({"reminder_id": reminder_id, "words": words, "too_long": too_long})
        }
    };
    v["kind"] = json!(warning_code(w));
    v
}

/// A preview's appointment and reminders have no ids: nothing was written.
pub fn booking_json(b: &Booking, d: &Directory, dry_run: bool) -> Value {
    let mut v = appointment_json(&b.appointment, d);
    if dry_run {
        v["id"] = Value::Null;
    }
    let zone = b.appointment.time_zone.clone();
    v["dry_run"] = json!(dry_run);
    v["warnings"] = Value::Array(b.warnings.iter().map(warning_json).collect());
    v["reminders"] = Value::Array(
        b.reminders
            .iter()
            .map(|r| {
                let mut j = reminder_json(&r.reminder, &zone);
                j["local_send_at"] = json!(iso_local(&r.local_send_at));
                if dry_run {
                    j["id"] = Value::Null;
                    j["appointment_id"] = Value::Null;
                }
                j
            })
            .collect(),
    );
    v["no_reminders"] = json!(b.no_reminders.map(|r| r.code()));
    v
}

pub fn booking_text(b: &Booking, d: &Directory, dry_run: bool) -> String {
    let mut out = String::new();
    if dry_run {
        out.push_str("Preview (nothing was booked):\n");
    }
    let line = appointment_line(&b.appointment, d);
    out.push_str(&if dry_run { line.replacen(short(&b.appointment.id), "(preview)", 1) } else { line });
    for w in &b.warnings {
        out.push_str(&format!("\n  warning: {}", warning_words(w)));
    }
    for r in &b.reminders {
        let text = reminder_text(&r.reminder, &b.appointment.time_zone);
        out.push_str(&format!(
            "\n  reminder {}",
            if dry_run { text.replacen(short(&r.reminder.id), "(preview)", 1) } else { text }
        ));
    }
    if let Some(reason) = b.no_reminders {
        out.push_str(&format!("\n  {}", no_reminder_words(reason)));
    }
    out
}

// Screens

pub fn reminder_summary_json(s: &ReminderSummary) -> Value {
    json!({
        "planned": s.planned, "held": s.held, "sent": s.sent, "delivered": s.delivered, "failed": s.failed,
        "unknown": s.unknown, "cancelled": s.cancelled,
        "next_local_send_at": s.next_local_send_at.as_ref().map(iso_local),
    })
}

fn reminder_summary_text(s: &ReminderSummary, zone: &str) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (s.planned, "planned"),
        (s.held, "held"),
        (s.sent, "sent"),
        (s.delivered, "delivered"),
        (s.failed, "failed"),
        (s.unknown, "unknown"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if let Some(next) = &s.next_local_send_at {
        parts.push(format!("next {}", times::local(next, zone)));
    }
    if parts.is_empty() {
        "no SMS".into()
    } else {
        format!("SMS: {}", parts.join(", "))
    }
}

pub fn agenda_json(a: &AgendaItem) -> Value {
    json!({
        "id": a.appointment_id,
        "citizen_id": a.citizen_id,
        "citizen": a.citizen,
        "venue": a.venue,
        "outside_place": a.outside_place,
        "local_start": iso_local(&a.local_start),
        "local_end": iso_local(&a.local_end),
        "time_zone": a.time_zone,
        "utc_offset": times::offset_at(&a.local_start, &a.time_zone),
        "kind": a.kind.code(),
        "status": a.status.code(),
        "reminders": reminder_summary_json(&a.reminders),
    })
}

pub fn agenda_line(a: &AgendaItem) -> String {
    format!(
        "{}  {}  {}  {}  {}  {}  {}",
        short(&a.appointment_id),
        times::span(&a.local_start, &a.local_end, &a.time_zone),
        a.citizen.as_deref().unwrap_or("(deleted citizen)"),
        place(a.venue.clone(), a.outside_place.as_deref()),
        a.kind.code(),
        a.status.code(),
        reminder_summary_text(&a.reminders, &a.time_zone)
    )
}

/// The id a one-step action on the item needs (`reminder approve ID`, `note done ID`, ...).
fn attention_id(item: &AttentionItem) -> Option<&str> {
    match item {
        AttentionItem::ReminderUnknown { reminder_id, .. }
        | AttentionItem::ReminderFailed { reminder_id, .. }
        | AttentionItem::ReminderHeld { reminder_id, .. } => Some(reminder_id),
        AttentionItem::OutcomeMissing { appointment_id, .. } => Some(appointment_id),
        AttentionItem::FollowUpDue { follow_up_id, .. } => Some(follow_up_id),
        AttentionItem::DraftWaiting { note_id, .. } | AttentionItem::NotJournalised { note_id, .. } => Some(note_id),
        AttentionItem::OutboxKeyMissing { .. }
        | AttentionItem::RecoveryKeyRotationAdvised
        | AttentionItem::IntegrityProblem { .. } => None,
    }
}

pub fn attention_json(item: &AttentionItem) -> Value {
    let mut v = match item {
        AttentionItem::ReminderUnknown { appointment_id, citizen, local_send_at, .. } => {
            json!({"appointment_id": appointment_id, "citizen": citizen, "local_send_at": iso_local(local_send_at)})
        }
        AttentionItem::ReminderFailed { appointment_id, citizen, reason, .. } => {
            json!({"appointment_id": appointment_id, "citizen": citizen, "reason": reason})
        }
        AttentionItem::ReminderHeld { appointment_id, citizen, local_send_at, words, too_long, .. } => json!({
            "appointment_id": appointment_id, "citizen": citizen, "local_send_at": iso_local(local_send_at),
            "words": words, "too_long": too_long,
        }),
        AttentionItem::OutcomeMissing { citizen, local_start, .. } => {
            json!({"citizen": citizen, "local_start": iso_local(local_start)})
        }
        AttentionItem::FollowUpDue { note_id, citizen, text, due_date, overdue, .. } => json!({
            "note_id": note_id, "citizen": citizen, "text": text, "due_date": iso_date(due_date), "overdue": overdue,
        }),
        AttentionItem::DraftWaiting { citizen, occurred_at, .. }
        | AttentionItem::NotJournalised { citizen, occurred_at, .. } => {
            json!({"citizen": citizen, "occurred_at": rfc3339(*occurred_at)})
        }
        AttentionItem::OutboxKeyMissing { waiting } => json!({"waiting": waiting}),
        AttentionItem::RecoveryKeyRotationAdvised => json!({}),
        AttentionItem::IntegrityProblem { state } => json!({"state": state.code()}),
    };
    v["kind"] = json!(attention_kind(item));
    v["id"] = json!(attention_id(item));
    v
}

/// One line of what waits, with the command that deals with it.
pub fn attention_text(item: &AttentionItem, d: &Directory) -> String {
    let name = |c: &Option<String>| c.clone().unwrap_or_else(|| "anonymous".into());
    let what = word(attention_kind(item));
    let id = attention_id(item).map(short).unwrap_or_default();
    match item {
        AttentionItem::ReminderUnknown { appointment_id, citizen, local_send_at, .. } => format!(
            "{what}: {} at {}  → brobygger reminder resolve {id} resend|drop",
            name(citizen),
            times::local(local_send_at, &d.zone_of(appointment_id))
        ),
        AttentionItem::ReminderFailed { citizen, reason, .. } => format!(
            "{what}: {}{}  → brobygger reminder resolve {id} resend|drop",
            name(citizen),
            reason.as_deref().map(|r| format!(" ({})", word(r))).unwrap_or_default()
        ),
        AttentionItem::ReminderHeld { appointment_id, citizen, local_send_at, words, too_long, .. } => {
            let mut why = Vec::new();
            if !words.is_empty() {
                why.push(format!("names {}", words.join(", ")));
            }
            if *too_long {
                why.push("longer than 3 SMS".into());
            }
            format!(
                "{what}: {} at {} ({})  → brobygger reminder edit {id} --text … | reminder approve {id}",
                name(citizen),
                times::local(local_send_at, &d.zone_of(appointment_id)),
                why.join(", ")
            )
        }
        AttentionItem::OutcomeMissing { appointment_id, citizen, local_start } => format!(
            "{what}: {} at {}  → brobygger appointment outcome {id} attended|no_show",
            name(citizen),
            times::local(local_start, &d.zone_of(appointment_id))
        ),
        AttentionItem::FollowUpDue { citizen, text, due_date, overdue, .. } => format!(
            "{what}{}: {} – {text} (due {})  → brobygger note done {id}",
            if *overdue { " (overdue)" } else { "" },
            name(citizen),
            iso_date(due_date)
        ),
        AttentionItem::DraftWaiting { citizen, occurred_at, .. } => {
            format!("{what}: {}, {}  → brobygger note finalize {id}", name(citizen), times::home(*occurred_at))
        }
        AttentionItem::NotJournalised { citizen, occurred_at, .. } => format!(
            "{what}: {}, {}  → brobygger note journalise {id} --reference R",
            name(citizen),
            times::home(*occurred_at)
        ),
        AttentionItem::OutboxKeyMissing { waiting } => format!("{what} ({waiting} waiting)"),
        AttentionItem::RecoveryKeyRotationAdvised => what.into_owned(),
        AttentionItem::IntegrityProblem { state } => format!("{what}: {}", word(state.code())),
    }
}

fn day_note_json(n: &DayNote) -> Value {
    match n {
        DayNote::Holiday { name_da, name_en, official } => {
            json!({"kind": "holiday", "name_da": name_da, "name_en": name_en, "official": official})
        }
        DayNote::Absence { from, to } => json!({"kind": "absence", "from": iso_date(from), "to": iso_date(to)}),
    }
}

fn day_note_text(n: &DayNote) -> String {
    match n {
        DayNote::Holiday { name_da, name_en, official } => {
            format!(
                "{name_en} ({name_da}){}",
                if *official { ", a public holiday" } else { ", a customary closing day" }
            )
        }
        DayNote::Absence { from, to } => format!("You are away {} to {}", iso_date(from), iso_date(to)),
    }
}

pub fn today_json(t: &Today) -> Value {
    json!({
        "date": iso_date(&t.date),
        "day_notes": t.day_notes.iter().map(day_note_json).collect::<Vec<_>>(),
        "appointments": t.appointments.iter().map(agenda_json).collect::<Vec<_>>(),
        "attention": t.attention.iter().map(attention_json).collect::<Vec<_>>(),
        "more": t.more,
    })
}

pub fn today_text(t: &Today, d: &Directory) -> String {
    let mut lines = vec![format!("{}", t.date.0.format("%A %Y-%m-%d"))];
    lines.extend(t.day_notes.iter().map(day_note_text));
    if t.appointments.is_empty() {
        lines.push("No appointments.".into());
    } else {
        lines.push("Appointments:".into());
        lines.extend(t.appointments.iter().map(|a| format!("  {}", agenda_line(a))));
    }
    if t.attention.is_empty() {
        lines.push("Nothing waits for you.".into());
    } else {
        lines.push("Waiting for you:".into());
        lines.extend(t.attention.iter().map(|i| format!("  {}", attention_text(i, d))));
    }
    if t.more > 0 {
        lines.push(format!("  … and {} more", t.more));
    }
    lines.join("\n")
}

pub fn overview_json(o: &CitizenOverview) -> Value {
    json!({
        "citizen": citizen_json(&o.citizen),
        "reminders_blocked": o.reminders_blocked.map(|r| r.code()),
        "next_appointments": o.next_appointments.iter().map(agenda_json).collect::<Vec<_>>(),
        "awaiting_outcome": o.awaiting_outcome,
        "latest_notes": page_json(&o.latest_notes),
        "open_follow_ups": o.open_follow_ups.iter().map(follow_up_json).collect::<Vec<_>>(),
        "open_follow_ups_total": o.open_follow_ups_total,
    })
}

pub fn overview_text(o: &CitizenOverview) -> String {
    let mut lines = vec![citizen_text(&o.citizen)];
    lines.push(match o.reminders_blocked {
        Some(r) => format!("  SMS reminders: none ({})", word(r.code())),
        None => "  SMS reminders: yes".into(),
    });
    if o.next_appointments.is_empty() {
        lines.push("Next appointments: none".into());
    } else {
        lines.push("Next appointments:".into());
        lines.extend(o.next_appointments.iter().map(|a| format!("  {}", agenda_line(a))));
    }
    if o.awaiting_outcome > 0 {
        lines.push(format!("{} past appointment(s) without attended/no-show", o.awaiting_outcome));
    }
    lines.push("Latest notes:".into());
    let cid = o.citizen.id.clone();
    lines.extend(
        page_text(&o.latest_notes, &format!("brobygger note list --citizen {}", short(&cid)))
            .lines()
            .map(|l| format!("  {l}")),
    );
    if o.open_follow_ups_total > 0 {
        lines.push(format!("Open follow-ups ({}):", o.open_follow_ups_total));
        lines.extend(o.open_follow_ups.iter().map(|f| format!("  {}", follow_up_text(f))));
    }
    lines.join("\n")
}
