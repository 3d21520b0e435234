//! The words for a reminder's state and for every reason a reminder can carry: the codes
//! the outbox sets, the cancellation reasons kept in the sealed history, and the failure
//! codes of the platforms' SMS senders.

use super::labels::{label, Label};
use super::{pick, Language};
use crate::reminders::ReminderState;

/// A reminder's state as a list shows it.
pub fn reminder_state(s: ReminderState, lang: Language) -> String {
    label(Label::ReminderState(s), lang).to_string()
}

/// Reasons the core itself sets: (code, Danish, English), whole sentences.
const REASONS: &[(&str, &str, &str)] = &[
    // Set by the outbox.
    ("too_late", "Blev ikke sendt, før aftalen begyndte.", "Not sent before the appointment began."),
    (
        "payload_unreadable",
        "Kunne ikke sendes: den gemte sms var beskadiget. Skriv til borgeren selv.",
        "Could not be sent: the stored text was damaged. Contact the citizen yourself.",
    ),
    (
        "held_until_too_late",
        "Ventede på din godkendelse, til aftalen var begyndt.",
        "Waited for your approval until the appointment had begun.",
    ),
    (
        "no_outcome_before_restart",
        "Appen blev lukket under afsendelsen; det er uvist, om sms'en gik af sted.",
        "The app closed while sending; it is not known whether the text went out.",
    ),
    (
        "no_outcome_within_lease",
        "Telefonen svarede ikke i tide; det er uvist, om sms'en gik af sted.",
        "The phone gave no answer in time; it is not known whether the text went out.",
    ),
    (
        "not_delivered",
        "Sendt, men ikke leveret til borgerens telefon.",
        "Sent, but not delivered to the citizen's phone.",
    ),
    ("not_sent_by_user", "Du sendte ikke sms'en.", "You did not send the text."),
    ("not_sent", "Telefonen sendte ikke sms'en.", "The phone did not send the text."),
    ("dropped_by_worker", "Du valgte ikke at sende den.", "You chose not to send it."),
    ("cancelled", "Annulleret.", "Cancelled."),
    ("sender_failed", "Telefonen kunne ikke sende sms'en.", "The phone could not send the text."),
    // Why pending reminders were cancelled (kept in the sealed history).
    ("rescheduled", "Aftalen blev flyttet.", "The appointment was moved."),
    ("appointment_cancelled", "Aftalen blev aflyst.", "The appointment was cancelled."),
    ("outcome_recorded", "Aftalens udfald blev registreret.", "The appointment's outcome was recorded."),
    (
        "consent_withdrawn",
        "Borgeren trak sit samtykke til sms tilbage.",
        "The citizen withdrew their consent to texts.",
    ),
    (
        "consent_given",
        "Borgeren gav samtykke til sms; påmindelserne er planlagt på ny.",
        "The citizen consented to texts; the reminders were planned anew.",
    ),
    (
        "citizen_changed",
        "Borgerens oplysninger blev ændret; påmindelserne er planlagt på ny.",
        "The citizen's details changed; the reminders were planned anew.",
    ),
    (
        "rules_changed",
        "Reglerne for påmindelser blev ændret; påmindelserne er planlagt på ny.",
        "The reminder rules changed; the reminders were planned anew.",
    ),
    ("citizen_deleted", "Borgeren blev slettet.", "The citizen was deleted."),
];

/// Failure codes of the platforms' senders, without Android's `result_error_` / `result_`
/// prefix (the outbox stores them lower-cased): (code, Danish, English), as a clause.
const SENDER_CODES: &[(&str, &str, &str)] = &[
    ("generic_failure", "generel fejl i telefonen", "a general failure in the phone"),
    ("no_service", "ingen mobildækning", "no mobile service"),
    ("radio_off", "mobilnettet er slået fra", "the mobile radio is off"),
    ("airplane_mode", "flytilstand er slået til", "airplane mode is on"),
    ("radio_not_available", "mobilnettet er ikke tilgængeligt", "the mobile network is not available"),
    ("null_pdu", "teknisk fejl i beskeden", "a technical fault in the message"),
    ("limit_exceeded", "grænsen for antal sms'er er nået", "the limit on texts was reached"),
    (
        "short_code_not_allowed",
        "nummeret må ikke få sms fra denne telefon",
        "that number may not be texted from this phone",
    ),
    (
        "short_code_never_allowed",
        "nummeret må ikke få sms fra denne telefon",
        "that number may not be texted from this phone",
    ),
    ("network_error", "fejl i mobilnettet", "a mobile network error"),
    ("network_reject", "mobilnettet afviste sms'en", "the mobile network refused the text"),
    ("no_memory", "telefonen mangler hukommelse", "the phone is out of memory"),
    ("invalid_sms_format", "sms'ens format blev afvist", "the text's format was refused"),
    ("encoding_error", "sms'ens tegn kunne ikke kodes", "the text's characters could not be encoded"),
    ("invalid_smsc_address", "sms-centralens nummer er forkert", "the SMS centre's number is wrong"),
    ("invalid_arguments", "teknisk fejl i afsendelsen", "a technical fault in sending"),
    ("invalid_state", "telefonen var ikke klar til at sende", "the phone was not ready to send"),
    ("system_error", "fejl i telefonens system", "a fault in the phone's system"),
    ("modem_error", "fejl i telefonens modem", "a fault in the phone's modem"),
    ("internal_error", "intern fejl i telefonen", "an internal fault in the phone"),
    ("operation_not_allowed", "telefonen tillod ikke afsendelsen", "the phone did not allow sending"),
    ("request_not_supported", "telefonen kan ikke sende denne sms", "the phone cannot send this text"),
    ("no_sim", "intet SIM-kort", "no SIM card"),
    ("permission_denied", "appen har ikke tilladelse til at sende sms", "the app is not allowed to send texts"),
    ("cannot_send_text", "telefonen kan ikke sende sms", "the phone cannot send texts"),
    ("user_cancelled", "sms-vinduet blev lukket uden at sende", "the message window was closed without sending"),
    ("timeout", "telefonen svarede ikke i tide", "the phone did not answer in time"),
    ("partially_sent", "kun en del af sms'en blev sendt", "only part of the text was sent"),
    ("sender_failed", "ukendt fejl", "an unknown failure"),
];

/// Prefix of an `unknown` whose sender threw instead of answering.
const SENDER_ERROR: &str = "sender_error: ";

/// A sender's code split into its base and the detail after a colon
/// (`result_error_generic_failure:4` → `generic_failure`, `4`).
fn sender_code(code: &str) -> (&str, Option<&str>) {
    let (base, detail) = match code.split_once(':') {
        Some((b, d)) => (b, Some(d.trim()).filter(|d| !d.is_empty())),
        None => (code, None),
    };
    let base = base.trim();
    let base = base.strip_prefix("result_error_").or_else(|| base.strip_prefix("result_")).unwrap_or(base);
    (base, detail)
}

/// A sender's failure code as a clause: "ingen mobildækning"; an unknown code is named as
/// a code ("fejlkode »abc«"). Codes are non-personal by construction (the outbox keeps only
/// code-like reasons).
fn sender_words(code: &str, lang: Language) -> String {
    let (base, detail) = sender_code(code);
    let known = SENDER_CODES.iter().find(|(c, ..)| *c == base).map(|(_, da, en)| pick(lang, *da, *en));
    match (known, detail, lang) {
        (Some(w), None, _) => w.to_string(),
        (Some(w), Some(d), Language::Da) => format!("{w} (kode {d})"),
        (Some(w), Some(d), Language::En) => format!("{w} (code {d})"),
        (None, _, Language::Da) => format!("fejlkode »{}«", code.trim()),
        (None, _, Language::En) => format!("error code “{}”", code.trim()),
    }
}

/// Whether the catalogue has its own words for a reminder reason code (a core reason, a
/// `sender_error: ` with a known sender code, or a known sender code). An unknown sender
/// code still gets a sentence from [`reminder_reason`], naming the code.
pub fn knows_reminder_reason(code: &str) -> bool {
    let known_sender = |c: &str| SENDER_CODES.iter().any(|(s, ..)| *s == sender_code(c).0);
    REASONS.iter().any(|(c, ..)| *c == code)
        || code.strip_prefix(SENDER_ERROR).is_some_and(known_sender)
        || known_sender(code)
}

/// Why a reminder failed, was cancelled or is unknown, as a sentence: the outbox's codes,
/// the cancellation reasons, `sender_error: <code>` and a sender's own failure codes.
pub fn reminder_reason(code: &str, lang: Language) -> String {
    if let Some((_, da, en)) = REASONS.iter().find(|(c, ..)| *c == code) {
        return pick(lang, *da, *en).to_string();
    }
    if let Some(sender) = code.strip_prefix(SENDER_ERROR) {
        let why = sender_words(sender, lang);
        return pick(
            lang,
            format!("Telefonens sms-afsender fejlede ({why}); det er uvist, om sms'en gik af sted."),
            format!("The phone's SMS sender failed ({why}); it is not known whether the text went out."),
        );
    }
    let why = sender_words(code, lang);
    pick(
        lang,
        format!("Telefonen kunne ikke sende sms'en: {why}."),
        format!("The phone could not send the text: {why}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{Da, En};

    #[test]
    fn reasons_in_both_languages() {
        for (code, da, en) in [
            ("too_late", "Blev ikke sendt, før aftalen begyndte.", "Not sent before the appointment began."),
            (
                "consent_withdrawn",
                "Borgeren trak sit samtykke til sms tilbage.",
                "The citizen withdrew their consent to texts.",
            ),
            (
                "result_error_no_service",
                "Telefonen kunne ikke sende sms'en: ingen mobildækning.",
                "The phone could not send the text: no mobile service.",
            ),
            (
                "generic_failure:4",
                "Telefonen kunne ikke sende sms'en: generel fejl i telefonen (kode 4).",
                "The phone could not send the text: a general failure in the phone (code 4).",
            ),
            (
                "sender_error: sender_failed",
                "Telefonens sms-afsender fejlede (ukendt fejl); det er uvist, om sms'en gik af sted.",
                "The phone's SMS sender failed (an unknown failure); it is not known whether the text went out.",
            ),
            (
                "sender_error: result_error_radio_off",
                "Telefonens sms-afsender fejlede (mobilnettet er slået fra); det er uvist, om sms'en gik af sted.",
                "The phone's SMS sender failed (the mobile radio is off); it is not known whether the text went out.",
            ),
            (
                "carrier_said_no",
                "Telefonen kunne ikke sende sms'en: fejlkode »carrier_said_no«.",
                "The phone could not send the text: error code “carrier_said_no”.",
            ),
        ] {
            assert_eq!(reminder_reason(code, Da), da, "{code}");
            assert_eq!(reminder_reason(code, En), en, "{code}");
        }
    }

    #[test]
    fn known_and_unknown_codes() {
        for code in
            ["too_late", "citizen_deleted", "no_service", "RESULT_ERROR_NO_SERVICE".to_ascii_lowercase().as_str()]
        {
            assert!(knows_reminder_reason(code), "{code}");
        }
        assert!(knows_reminder_reason("sender_error: generic_failure:7"));
        assert!(!knows_reminder_reason("sender_error: carrier_said_no"));
        assert!(!knows_reminder_reason("carrier_said_no"));
        assert!(!knows_reminder_reason(""));
    }

    #[test]
    fn every_state_has_words() {
        use ReminderState::*;
        for s in [Planned, Due, Claimed, Sent, Delivered, Failed, Cancelled, Unknown] {
            match s {
                Planned | Due | Claimed | Sent | Delivered | Failed | Cancelled | Unknown => {}
            }
            let (da, en) = (reminder_state(s, Da), reminder_state(s, En));
            assert!(!da.is_empty() && !en.is_empty(), "{s:?}");
        }
        assert_eq!(reminder_state(Unknown, Da), "Uvist om den blev sendt");
    }

    #[test]
    fn tables_have_no_duplicates() {
        for table in [REASONS, SENDER_CODES] {
            let mut codes: Vec<&str> = table.iter().map(|r| r.0).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), table.len());
        }
    }
}
