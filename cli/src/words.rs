//! English words for the core's codes, for plain output. The one place the CLI turns a code
//! into words: when the core's message catalogue (Danish and English) is available, `word`
//! and the sentences below are where it plugs in. The commands that speak `--lang` (the
//! evaluation report, the survey) already take their input errors from the catalogue
//! (`catalogue_words`). JSON never uses these: it carries the codes.

use crate::codes::Code;
use brobygger_ffi::*;
use std::borrow::Cow;

/// Words for a code; an unknown code is shown as itself with spaces. A reason the core
/// composed as `code: detail` gets words for both parts.
pub fn word(code: &str) -> Cow<'static, str> {
    if let Some((head, detail)) = code.split_once(": ") {
        return Cow::Owned(format!("{}: {}", word(head), word(detail)));
    }
    let w = match code {
        // Booking warnings.
        "overlap" => "overlaps another appointment",
        "outside_office_hours" => "outside your office hours",
        "absence" => "during your absence",
        "holiday" => "on a public holiday",
        "in_past" => "in the past",
        "dst_gap" => "the clock skips this time (summer time begins)",
        "dst_ambiguous" => "the clock shows this time twice (summer time ends)",
        "sms_held" => "an SMS text is held for your approval",
        // Why no reminders.
        "no_sms_consent" => "no SMS consent",
        "no_phone" => "no phone number",
        "not_mobile" => "the number is not a mobile number",
        "no_worker_profile" => "no worker profile to sign the texts (`brobygger worker set`)",
        "none_fit_the_rules" => "no reminder time fits the rules before the start",
        "not_active" => "the appointment is no longer active",
        // Why a reminder ended as it did.
        "no_outcome_before_restart" => "the sending app stopped before the result came back",
        "no_outcome_within_lease" => "no result came back in time",
        "sender_failed" => "the sender failed",
        "sender_error" => "the sender reported an error",
        "file_sender_write_failed" => "the sender file could not be written",
        "too_late" => "not sent before the appointment started",
        "cancelled" => "the appointment was cancelled",
        "appointment_cancelled" => "the appointment was cancelled",
        "rescheduled" => "the appointment was moved",
        "outcome_recorded" => "the outcome was recorded",
        "citizen_changed" => "the citizen's details changed",
        "citizen_deleted" => "the citizen was deleted",
        "consent_given" => "consent was given",
        "consent_withdrawn" => "SMS consent was withdrawn",
        "rules_changed" => "the reminder rules changed",
        "dropped_by_worker" => "dropped by you",
        "not_delivered" => "the network reported it undelivered",
        "not_sent" => "not sent",
        "not_sent_by_user" => "not sent from the compose screen",
        // Attention.
        "reminder_unknown" => "unclear whether a reminder went out",
        "reminder_failed" => "a reminder failed",
        "reminder_held" => "a reminder text waits for your approval",
        "outcome_missing" => "attended or no-show not yet recorded",
        "follow_up_due" => "follow-up due",
        "draft_waiting" => "a draft note is not finalised",
        "not_journalised" => "a note is not yet journalised",
        "outbox_key_missing" => "reminders cannot be sent: the key store lost the outbox key",
        "recovery_key_rotation_advised" => {
            "the recovery key was used; make a new one (`brobygger recovery-key rotate`)"
        }
        "integrity_problem" => "the vault file failed its check",
        // Integrity.
        "unchecked" => "not checked since opening",
        "check_advised" => "a check is advised (`brobygger integrity check`)",
        "ok" => "ok",
        "damaged" => "damaged: make a copy of the folder and contact support",
        "rolled_back" => "an older copy of the file was put back",
        other => return Cow::Owned(other.replace('_', " ")),
    };
    Cow::Borrowed(w)
}

/// The message of a core error, naming the flag the user typed where the error is about an
/// input. `flag` maps the core's field (or record) name to that flag.
pub fn error_words(e: &BrobyggerError, flag: &dyn Fn(&str) -> Option<String>) -> String {
    match e {
        BrobyggerError::InvalidInput { field, reason } => match flag(field) {
            Some(f) => format!("{f}: {reason}"),
            None => format!("{}: {reason}", field.replace('_', " ")),
        },
        BrobyggerError::NotFound { what } => match flag(what) {
            Some(f) => format!("{f}: no {what} with this id (deleted, or never in this vault)"),
            None => format!("no {what} with this id (deleted, or never in this vault)"),
        },
        BrobyggerError::WrongPin { attempts_left } => {
            format!("wrong PIN; {attempts_left} attempts left before the PIN is disabled")
        }
        BrobyggerError::PinDelay { seconds } => {
            format!("too many wrong PINs in a row; wait {seconds} seconds before the next try")
        }
        BrobyggerError::PinDisabled => {
            "the PIN is disabled after 10 wrong PINs; open the vault with `brobygger recover`".into()
        }
        BrobyggerError::PlatformKeysMissing => "the key store no longer holds this vault's keys (the cli-keys folder \
                                                 is missing or older than the vault); open it with `brobygger recover`"
            .into(),
        BrobyggerError::Locked => "the vault is locked".into(),
        other => other.to_string(),
    }
}

/// The core's catalogue sentence for `e` in `lang`, after the flag it is about:
/// `--to: must not be before the from date.` The catalogue names the field at the start of
/// its sentence ("To date: …"); where the flag names it already, that name is left out.
pub fn catalogue_words(e: &BrobyggerError, lang: Language, flag: Option<&str>) -> String {
    let sentence = error_message(e, lang);
    let Some(flag) = flag else { return sentence };
    let label = match e {
        BrobyggerError::InvalidInput { field, .. } => field_label(field.clone(), lang),
        _ => None,
    };
    let reason = label
        .map(|l| format!("{}: ", capitalised(&l)))
        .and_then(|prefix| sentence.strip_prefix(&prefix).map(str::to_string))
        .unwrap_or(sentence);
    format!("{flag}: {reason}")
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn time(t: &LocalTime) -> String {
    t.0.format("%H:%M").to_string()
}

/// A booking warning as a sentence with its details.
pub fn warning_words(w: &BookingWarning) -> String {
    let base = word(crate::codes::warning_code(w));
    match w {
        BookingWarning::Overlap { citizen, local_start, local_end, .. } => format!(
            "{base}: {} {}–{}",
            citizen.as_deref().unwrap_or("an appointment"),
            local_start.0.format("%Y-%m-%d %H:%M"),
            local_end.0.format("%H:%M")
        ),
        BookingWarning::OutsideOfficeHours { hours } if hours.is_empty() => {
            format!("{base}: no office hours at this venue that day")
        }
        BookingWarning::OutsideOfficeHours { hours } => format!(
            "{base}: {}",
            hours.iter().map(|h| format!("{}–{}", time(&h.from), time(&h.to))).collect::<Vec<_>>().join(", ")
        ),
        BookingWarning::Absence { from, to } => format!("{base}: {} to {}", from.0, to.0),
        BookingWarning::Holiday { name_en, name_da } => format!("{base}: {name_en} ({name_da})"),
        BookingWarning::InPast => base.into_owned(),
        BookingWarning::DstGap { asked, booked } => {
            format!("{base}: {} does not exist that day; booked at {}", time(asked), time(booked))
        }
        BookingWarning::DstAmbiguous { asked, utc_offset_minutes } => {
            format!("{base}: {} taken as the first one (UTC{})", time(asked), offset_words(*utc_offset_minutes))
        }
        BookingWarning::SmsHeld { words, too_long, .. } => {
            let mut why = Vec::new();
            if !words.is_empty() {
                why.push(format!("it names {}", words.join(", ")));
            }
            if *too_long {
                why.push("it is longer than 3 SMS".into());
            }
            format!("{base}: {} (`brobygger reminder edit` or `reminder approve`)", why.join(" and "))
        }
    }
}

pub fn offset_words(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

pub fn no_reminder_words(reason: NoReminderReason) -> String {
    format!("no reminders: {}", word(reason.code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_the_cli_shows_has_words() {
        let codes = WarningKind::all_codes()
            .into_iter()
            .chain(NoReminderReason::all_codes())
            .chain(IntegrityState::all_codes())
            .chain([
                "reminder_unknown",
                "reminder_failed",
                "reminder_held",
                "outcome_missing",
                "follow_up_due",
                "draft_waiting",
                "not_journalised",
                "outbox_key_missing",
                "recovery_key_rotation_advised",
                "integrity_problem",
            ]);
        for code in codes {
            assert!(matches!(word(code), Cow::Borrowed(_)), "{code} has no words");
        }
        assert_eq!(word("some_new_code"), "some new code");
        assert_eq!(word("sender_error: sender_failed"), "the sender reported an error: the sender failed");
    }

    #[test]
    fn catalogued_errors_name_the_flag_then_say_the_catalogues_words() {
        let e = BrobyggerError::InvalidInput { field: "to".into(), reason: "must not be before from".into() };
        assert_eq!(catalogue_words(&e, Language::En, Some("--to")), "--to: must not be before the from date.");
        assert_eq!(catalogue_words(&e, Language::Da, Some("--to")), "--to: må ikke ligge før fra-datoen.");
        assert_eq!(catalogue_words(&e, Language::En, None), "To date: must not be before the from date.");
        let e = BrobyggerError::NotFound { what: "venue".into() };
        assert_eq!(catalogue_words(&e, Language::En, Some("--venue")), "--venue: The drop-in centre was not found.");
        // A reason the catalogue does not know is still shown whole.
        let e = BrobyggerError::InvalidInput { field: "answers".into(), reason: "is purple".into() };
        assert_eq!(catalogue_words(&e, Language::En, Some("--answers")), "--answers: is purple.");
    }

    #[test]
    fn input_errors_name_the_flag() {
        let e = BrobyggerError::InvalidInput {
            field: "local_start".into(),
            reason: "outside the years 1900 to 2200".into(),
        };
        let flag = |f: &str| (f == "local_start").then(|| "--at".to_string());
        assert_eq!(error_words(&e, &flag), "--at: outside the years 1900 to 2200");
        let e = BrobyggerError::NotFound { what: "citizen".into() };
        assert!(error_words(&e, &|_| Some("--citizen".into())).starts_with("--citizen: no citizen"));
    }
}
