//! How records are shown: JSON for scripts (`--json`), short text for people.

use brobygger_ffi::*;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::time::SystemTime;

pub fn rfc3339(t: SystemTime) -> String {
    DateTime::<Utc>::from(t).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Times are shown as the caseworker reads them: Danish local time.
fn local(t: SystemTime) -> String {
    DateTime::<Utc>::from(t).with_timezone(&chrono_tz::Europe::Copenhagen).format("%Y-%m-%d %H:%M").to_string()
}

pub fn kebab<T: std::fmt::Debug>(v: T) -> String {
    let name = format!("{v:?}");
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Enum values in JSON are snake_case (`finances_housing`), as the core's stable codes.
pub fn snake<T: std::fmt::Debug>(v: T) -> String {
    kebab(v).replace('-', "_")
}

pub fn citizen_json(c: &Citizen) -> Value {
    json!({
        "id": c.id,
        "nickname": c.nickname,
        "phone": c.phone.as_ref().map(|p| p.e164.clone()),
        "phone_kind": c.phone.as_ref().map(|p| snake(p.kind)),
        "language": snake(c.language),
        "sms_consent": c.sms_consent.as_ref().map(|s| json!({"given_at": rfc3339(s.given_at), "method": snake(s.method)})),
        "sms_consent_withdrawn_at": c.sms_consent_withdrawn_at.map(rfc3339),
        "can_receive_sms": c.can_receive_sms,
        "case_reference": c.case_reference,
        "created_at": rfc3339(c.created_at),
        "updated_at": rfc3339(c.updated_at),
    })
}

pub fn citizen_text(c: &Citizen) -> String {
    let phone = match &c.phone {
        Some(p) => format!("{} ({})", p.e164, kebab(p.kind)),
        None => "no phone".into(),
    };
    let sms = match &c.sms_consent {
        Some(s) => format!("SMS consent {} on {}", kebab(s.method), local(s.given_at)),
        None if c.sms_consent_withdrawn_at.is_some() => "SMS consent withdrawn".into(),
        None => "no SMS consent".into(),
    };
    let case = c.case_reference.as_deref().map(|r| format!(", case {r}")).unwrap_or_default();
    format!("{}  {}  {}, {}, SMS in {}{}", c.id, c.nickname, phone, sms, kebab(c.language), case)
}

pub fn note_json(n: &Note) -> Value {
    json!({
        "id": n.id,
        "citizen_id": n.citizen_id,
        "state": snake(n.state),
        "text": n.text,
        "topics": n.topics.iter().map(|t| snake(*t)).collect::<Vec<_>>(),
        "help_given": n.help_given.iter().map(|h| snake(*h)).collect::<Vec<_>>(),
        "amendments": n.amendments.iter().map(|a| json!({"id": a.id, "text": a.text, "created_at": rfc3339(a.created_at)})).collect::<Vec<_>>(),
        "follow_ups": n.follow_ups.iter().map(follow_up_json).collect::<Vec<_>>(),
        "journal_reference": n.journal_reference,
        "created_at": rfc3339(n.created_at),
        "updated_at": rfc3339(n.updated_at),
        "finalized_at": n.finalized_at.map(rfc3339),
        "journalised_at": n.journalised_at.map(rfc3339),
    })
}

pub fn follow_up_json(f: &FollowUp) -> Value {
    json!({
        "id": f.id,
        "note_id": f.note_id,
        "text": f.text,
        "due_date": f.due_date,
        "owner": snake(f.owner),
        "done": f.done,
        "done_at": f.done_at.map(rfc3339),
    })
}

pub fn note_text(n: &Note, full: bool) -> String {
    let who = n.citizen_id.as_deref().unwrap_or("anonymous");
    let mut out = format!("{}  [{}]  {}  {}", n.id, kebab(n.state), local(n.updated_at), who);
    if !n.topics.is_empty() {
        out.push_str(&format!("  topics: {}", n.topics.iter().map(|t| kebab(*t)).collect::<Vec<_>>().join(", ")));
    }
    if full {
        out.push_str(&format!("\n  {}", n.text.replace('\n', "\n  ")));
        if !n.help_given.is_empty() {
            out.push_str(&format!(
                "\n  help given: {}",
                n.help_given.iter().map(|h| kebab(*h)).collect::<Vec<_>>().join(", ")
            ));
        }
        for a in &n.amendments {
            out.push_str(&format!("\n  amendment {}: {}", local(a.created_at), a.text));
        }
        for f in &n.follow_ups {
            out.push_str(&format!("\n  {}", follow_up_text(f)));
        }
        if let Some(r) = &n.journal_reference {
            out.push_str(&format!("\n  journalised as {r}"));
        }
    } else {
        let first: String = n.text.lines().next().unwrap_or("").chars().take(60).collect();
        out.push_str(&format!("  {first}"));
    }
    out
}

pub fn follow_up_text(f: &FollowUp) -> String {
    format!(
        "[{}] follow-up {} ({}{}): {}",
        if f.done { "x" } else { " " },
        f.id,
        kebab(f.owner),
        f.due_date.as_deref().map(|d| format!(", due {d}")).unwrap_or_default(),
        f.text
    )
}

pub fn status_json(s: &VaultStatus) -> Value {
    json!({
        "unlocked": s.unlocked,
        "pin_attempts_left": s.pin_attempts_left,
        "pin_disabled": s.pin_disabled,
        "auto_lock_minutes": s.auto_lock_minutes,
        "kdf_iterations": s.kdf_iterations,
    })
}

/// A stable short code for each error, for scripts.
pub fn error_code(e: &BrobyggerError) -> &'static str {
    match e {
        BrobyggerError::Locked => "locked",
        BrobyggerError::WrongPin { .. } => "wrong_pin",
        BrobyggerError::PinDisabled => "pin_disabled",
        BrobyggerError::WrongRecoveryKey => "wrong_recovery_key",
        BrobyggerError::NotFound { .. } => "not_found",
        BrobyggerError::InvalidInput { .. } => "invalid_input",
        BrobyggerError::InvalidState { .. } => "invalid_state",
        BrobyggerError::KeyStore { .. } => "key_store",
        BrobyggerError::Storage { .. } => "storage",
        BrobyggerError::Tampered => "tampered",
        BrobyggerError::Corrupt => "corrupt",
        BrobyggerError::NewerSchema { .. } => "newer_schema",
        BrobyggerError::VaultExists => "vault_exists",
        BrobyggerError::NoVault => "no_vault",
        BrobyggerError::Internal { .. } => "internal",
    }
}
