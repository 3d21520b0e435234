//! The words for every [`CoreError`]: its parameters (attempts left, the wait, schema
//! numbers), and for `InvalidInput`, `InvalidState` and `NotFound` the Danish and tidy
//! English for every field name, reason and thing the core names.

use super::{capitalise, duration, pick, Language};
use crate::error::CoreError;

/// Grammatical gender of a Danish noun, for the adjective in "for lang" / "for langt".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gender {
    /// Fælleskøn (en tekst).
    Common,
    /// Intetkøn (et kaldenavn).
    Neuter,
}
use Gender::{Common, Neuter};

/// Field names as the core spells them: (code, Danish, its gender, English).
const FIELDS: &[(&str, &str, Gender, &str)] = &[
    ("nickname", "kaldenavn", Neuter, "nickname"),
    ("phone", "telefonnummer", Neuter, "phone number"),
    ("case_reference", "sagsnummer", Neuter, "case reference"),
    ("text", "tekst", Common, "text"),
    ("journal_reference", "journalnummer", Neuter, "journal reference"),
    ("query", "søgning", Common, "search"),
    ("name", "navn", Neuter, "name"),
    ("address", "adresse", Common, "address"),
    ("outside_place", "sted", Neuter, "place"),
    ("template", "skabelon", Common, "template"),
    ("pin", "PIN-kode", Common, "PIN"),
    ("new_pin", "ny PIN-kode", Common, "new PIN"),
    ("old_pin", "nuværende PIN-kode", Common, "current PIN"),
    ("recovery_key", "gendannelsesnøgle", Common, "recovery key"),
    ("biometric_secret", "biometrisk nøgle", Common, "biometric key"),
    ("auto_lock_minutes", "automatisk lås (minutter)", Common, "auto-lock (minutes)"),
    ("time_zone", "tidszone", Common, "time zone"),
    ("duration_minutes", "varighed", Common, "duration"),
    ("hours_before_minutes", "påmindelse før aftalen", Common, "reminder before the appointment"),
    ("confirmation_within_minutes", "bekræftelse ved kort varsel", Common, "confirmation at short notice"),
    ("quiet_hours", "stilletid", Common, "quiet hours"),
    ("limit", "antal pr. side", Neuter, "page size"),
    ("cursor", "sidemarkør", Common, "page cursor"),
    ("occurred_at", "tidspunkt for samtalen", Neuter, "time of the conversation"),
    ("date", "dato", Common, "date"),
    ("local_start", "starttidspunkt", Neuter, "start time"),
    ("due_date", "frist", Common, "due date"),
    ("from", "fra-dato", Common, "from date"),
    ("to", "til-dato", Common, "to date"),
    ("valid_from", "gyldig fra", Common, "valid from"),
    ("valid_until", "gyldig til", Common, "valid until"),
    ("appointment_id", "aftale-id", Neuter, "appointment id"),
    ("citizen_id", "borger-id", Neuter, "citizen id"),
    ("note_id", "notat-id", Neuter, "note id"),
    ("venue_id", "værested-id", Neuter, "venue id"),
    ("reminder_id", "påmindelses-id", Neuter, "reminder id"),
    ("follow_up_id", "opfølgnings-id", Neuter, "follow-up id"),
    ("office_hours_id", "træffetids-id", Neuter, "office hours id"),
    ("absence_id", "fraværs-id", Neuter, "absence id"),
    ("answers", "svar", Neuter, "answers"),
    ("purge_after_days", "sletning af journaliserede notater (dage)", Common, "purge journalised notes after (days)"),
    ("flag_final_after_days", "frist for journalisering (dage)", Common, "time to journalise (days)"),
    ("reduce_appointments_after_days", "opbevaringstid for aftaler (dage)", Common, "keep appointments for (days)"),
    ("backup_reminder_days", "påmindelse om sikkerhedskopi (dage)", Common, "backup reminder (days)"),
    ("inactivity_wipe_days", "sletning efter dage uden oplåsning", Common, "wipe after days without an unlock"),
    ("duress_pin", "nød-PIN-kode", Common, "duress PIN"),
    ("out", "fil til sikkerhedskopien", Common, "backup file"),
];

/// Why an input was refused: (the core's reason, Danish, English). Danish adjectives that
/// agree with the field are handled in [`reason_words`].
const INPUT_REASONS: &[(&str, &str, &str)] = &[
    ("empty", "skal udfyldes", "must be filled in"),
    ("contains control characters", "indeholder kontroltegn", "contains control characters"),
    ("must not be before from", "må ikke ligge før fra-datoen", "must not be before the from date"),
    ("must be after from", "skal ligge efter fra-datoen", "must be after the from date"),
    ("must not be before valid_from", "må ikke ligge før »gyldig fra«", "must not be before “valid from”"),
    ("must be between 1 and 1000", "skal være mellem 1 og 1000", "must be between 1 and 1000"),
    ("must be between 1 and 240", "skal være mellem 1 og 240", "must be between 1 and 240"),
    (
        "does not belong to this list or search",
        "hører ikke til denne liste eller søgning",
        "does not belong to this list or search",
    ),
    ("lies in the future", "ligger i fremtiden", "is in the future"),
    ("a note cannot be finalised empty", "et tomt notat kan ikke gøres færdigt", "an empty note cannot be finalised"),
    (
        "may hold only digits, spaces, + - ( ) . /",
        "må kun indeholde cifre, mellemrum og + - ( ) . /",
        "may hold only digits, spaces and + - ( ) . /",
    ),
    ("not a phone number", "er ikke et telefonnummer", "is not a phone number"),
    (
        "not a valid number in its country's numbering plan",
        "er ikke et gyldigt nummer i landets nummerplan",
        "is not a valid number in its country's numbering plan",
    ),
    ("has a '}' without '{'", "har en } uden {", "has a } without a {"),
    ("has a '{' without '}'", "har en { uden }", "has a { without a }"),
    ("names an unknown placeholder", "nævner en ukendt pladsholder", "names an unknown placeholder"),
    (
        "must be between 30 minutes and 7 days",
        "skal være mellem 30 minutter og 7 dage",
        "must be between 30 minutes and 7 days",
    ),
    ("must be at most 14 days", "må højst være 14 dage", "must be at most 14 days"),
    ("start and end must differ", "start og slut skal være forskellige", "start and end must differ"),
    ("must be 32 bytes", "skal være 32 byte", "must be 32 bytes"),
    (
        "not a recovery key (52 letters and digits 2-7)",
        "er ikke en gendannelsesnøgle (52 bogstaver og cifrene 2-7)",
        "is not a recovery key (52 letters and the digits 2-7)",
    ),
    ("outside the years 1900 to 2200", "ligger uden for årene 1900 til 2200", "is outside the years 1900 to 2200"),
    (
        "not a time zone of Denmark, the Faroe Islands or Greenland",
        "er ikke en tidszone i Danmark, på Færøerne eller i Grønland",
        "is not a time zone of Denmark, the Faroe Islands or Greenland",
    ),
    (
        "must be between 5 minutes and 12 hours",
        "skal være mellem 5 minutter og 12 timer",
        "must be between 5 minutes and 12 hours",
    ),
    (
        "an accompaniment needs the place it goes to",
        "en ledsagelse skal have det sted, den går til",
        "an accompaniment needs the place it goes to",
    ),
    (
        "not a Brobygger id (32 hex digits)",
        "er ikke et Brobygger-id (32 hexcifre)",
        "is not a Brobygger id (32 hex digits)",
    ),
    ("the period may be at most five years", "perioden må højst være fem år", "the period may be at most five years"),
    (
        "five answers are needed, one per statement",
        "der skal være fem svar, ét pr. udsagn",
        "five answers are needed, one per statement",
    ),
    (
        "each answer must be between 1 and 5",
        "hvert svar skal være mellem 1 og 5",
        "each answer must be between 1 and 5",
    ),
    (
        "at least one statement must be answered",
        "mindst ét udsagn skal besvares",
        "at least one statement must be answered",
    ),
    ("must be between 1 and 3650", "skal være mellem 1 og 3650", "must be between 1 and 3650"),
    ("must be between 1 and 365", "skal være mellem 1 og 365", "must be between 1 and 365"),
    ("must be between 30 and 3650", "skal være mellem 30 og 3650", "must be between 30 and 3650"),
    ("must differ from the PIN", "skal være en anden end PIN-koden", "must differ from your PIN"),
    ("names no file", "angiver ingen fil", "names no file"),
    ("a file with that name exists", "der findes allerede en fil med det navn", "a file with that name already exists"),
];

/// Why an action is not allowed now: (the core's reason, Danish, English), whole sentences.
const STATE_REASONS: &[(&str, &str, &str)] = &[
    (
        "a cancelled or moved appointment has no outcome",
        "En aflyst eller flyttet aftale kan ikke få et udfald.",
        "A cancelled or moved appointment has no outcome.",
    ),
    (
        "an outcome can be recorded only once the appointment has started",
        "Udfaldet kan først registreres, når aftalen er begyndt.",
        "An outcome can be recorded only once the appointment has started.",
    ),
    (
        "the outcome is already recorded as attended",
        "Det er allerede registreret, at borgeren mødte op.",
        "The outcome is already recorded as attended.",
    ),
    (
        "the outcome is already recorded as no-show",
        "Det er allerede registreret, at borgeren udeblev.",
        "The outcome is already recorded as a no-show.",
    ),
    ("the appointment has already started", "Aftalen er allerede begyndt.", "The appointment has already started."),
    (
        "the appointment is no longer planned",
        "Aftalen er ikke længere planlagt.",
        "The appointment is no longer planned.",
    ),
    ("the citizen has been deleted", "Borgeren er slettet.", "The citizen has been deleted."),
    ("the citizen has no phone number", "Borgeren har intet telefonnummer.", "The citizen has no phone number."),
    (
        "the citizen cannot receive SMS now",
        "Borgeren kan ikke modtage sms nu (samtykke eller mobilnummer mangler).",
        "The citizen cannot receive texts now (consent or a mobile number is missing).",
    ),
    (
        "only a reminder not yet handed to the sender can be changed",
        "Kun en påmindelse, der endnu ikke er givet videre til afsendelse, kan ændres.",
        "Only a reminder not yet handed over for sending can be changed.",
    ),
    (
        "only a sent reminder can get a delivery report",
        "Kun en sendt påmindelse kan få en leveringsrapport.",
        "Only a sent reminder can get a delivery report.",
    ),
    (
        "only unknown or failed reminders are resolved by the worker",
        "Kun påmindelser, der mislykkedes, eller hvor det er uvist, om de blev sendt, skal afgøres af dig.",
        "Only reminders that failed, or that may or may not have been sent, are yours to resolve.",
    ),
    (
        "the reminder is not held",
        "Påmindelsen venter ikke på godkendelse.",
        "The reminder is not waiting for approval.",
    ),
    (
        "the reminder is not waiting for a send result",
        "Påmindelsen venter ikke på svar om afsendelse.",
        "The reminder is not waiting for a send result.",
    ),
    ("the note is already final", "Notatet er allerede færdigt.", "The note is already final."),
    ("only drafts can be discarded", "Kun kladder kan kasseres.", "Only drafts can be discarded."),
    (
        "only drafts can be edited; add an amendment instead",
        "Kun kladder kan rettes. Tilføj et tillæg i stedet.",
        "Only drafts can be edited. Add an amendment instead.",
    ),
    (
        "drafts are edited, not amended",
        "En kladde rettes direkte; den får ikke tillæg.",
        "A draft is edited, not amended.",
    ),
    (
        "only final notes can be journalised",
        "Kun færdige notater kan journaliseres.",
        "Only final notes can be journalised.",
    ),
    (
        "this survey mode belongs to another vault",
        "Spørgeskemaet hører til en anden boks.",
        "This survey mode belongs to another vault.",
    ),
    (
        "the PIN changed meanwhile; try again",
        "PIN-koden blev ændret imens. Prøv igen.",
        "The PIN was changed meanwhile. Try again.",
    ),
    (
        "backups need a new recovery key first",
        "Før den første sikkerhedskopi skal du have en ny gendannelsesnøgle. Lav en under Sikkerhed, og skriv den ned.",
        "Before the first backup you need a new recovery key. Make one under Security and write it down.",
    ),
];

/// What was not found: (the core's word, Danish, English), whole sentences.
const THINGS: &[(&str, &str, &str)] = &[
    ("appointment", "Aftalen blev ikke fundet.", "The appointment was not found."),
    ("citizen", "Borgeren blev ikke fundet.", "The citizen was not found."),
    ("note", "Notatet blev ikke fundet.", "The note was not found."),
    ("venue", "Værestedet blev ikke fundet.", "The drop-in centre was not found."),
    ("reminder", "Påmindelsen blev ikke fundet.", "The reminder was not found."),
    ("office hours", "Træffetiden blev ikke fundet.", "The office hours were not found."),
    ("absence", "Fraværet blev ikke fundet.", "The absence was not found."),
    ("follow-up", "Opfølgningen blev ikke fundet.", "The follow-up was not found."),
];

fn field_entry(name: &str) -> Option<&'static (&'static str, &'static str, Gender, &'static str)> {
    FIELDS.iter().find(|(code, ..)| *code == name)
}

/// The name of a field as a form shows it ("Kaldenavn" / "Nickname"), for a field name
/// the core uses in `InvalidInput`; `None` for a name the catalogue does not know.
pub fn field(name: &str, lang: Language) -> Option<&'static str> {
    field_entry(name).map(|(_, da, _, en)| pick(lang, *da, *en))
}

/// "too long (at most 60 characters)" → 60.
fn limit(reason: &str, before: &str) -> Option<u32> {
    let n = reason.strip_prefix(before)?.strip_suffix(" characters)")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// The words for an input reason, the Danish agreeing with the field's gender.
fn reason_words(reason: &str, gender: Gender, lang: Language) -> Option<String> {
    if let Some(n) = limit(reason, "too long (at most ") {
        let long = if gender == Neuter { "langt" } else { "lang" };
        return Some(pick(lang, format!("for {long} (højst {n} tegn)"), format!("too long (at most {n} characters)")));
    }
    if let Some(n) = limit(reason, "too short (at least ") {
        return Some(pick(lang, format!("for kort (mindst {n} tegn)"), format!("too short (at least {n} characters)")));
    }
    if reason == "too easy to guess; choose another" {
        let another = if gender == Neuter { "et andet" } else { "en anden" };
        return Some(pick(
            lang,
            format!("for let at gætte; vælg {another}"),
            "too easy to guess; choose another".into(),
        ));
    }
    INPUT_REASONS.iter().find(|(code, ..)| *code == reason).map(|(_, da, en)| pick(lang, *da, *en).to_string())
}

/// Why an input was refused, in words ("for langt (højst 60 tegn)"), for a reason the
/// core gives with `InvalidInput`; the Danish agrees with `field` where it can. `None` for
/// a reason the catalogue does not know.
pub fn input_reason(field: &str, reason: &str, lang: Language) -> Option<String> {
    let gender = field_entry(field).map_or(Common, |(_, _, g, _)| *g);
    reason_words(reason, gender, lang)
}

/// Why an action is not allowed now, as a sentence, for a reason the core gives with
/// `InvalidState`; `None` for a reason the catalogue does not know.
pub fn state_reason(reason: &str, lang: Language) -> Option<&'static str> {
    STATE_REASONS.iter().find(|(code, ..)| *code == reason).map(|(_, da, en)| pick(lang, *da, *en))
}

/// "Aftalen blev ikke fundet." / "The appointment was not found." for a thing the core
/// names in `NotFound`; `None` for one the catalogue does not know.
pub fn not_found(what: &str, lang: Language) -> Option<&'static str> {
    THINGS.iter().find(|(code, ..)| *code == what).map(|(_, da, en)| pick(lang, *da, *en))
}

/// An English code as words: "auto_lock_minutes" → "auto lock minutes".
fn words_of(code: &str) -> String {
    code.replace('_', " ")
}

/// "Kaldenavn: for langt (højst 60 tegn)." — a whole sentence for a refused field, naming the
/// field; for codes the catalogue does not know, a general sentence.
pub fn invalid_input(field_name: &str, reason: &str, lang: Language) -> String {
    let entry = field_entry(field_name);
    let gender = entry.map_or(Common, |(_, _, g, _)| *g);
    let words = reason_words(reason, gender, lang);
    match lang {
        Language::Da => match (entry, words) {
            (Some((_, da, ..)), Some(w)) => format!("{}: {w}.", capitalise(da)),
            (Some((_, da, ..)), None) => {
                format!("{}: ugyldig værdi (teknisk begrundelse på engelsk: »{reason}«).", capitalise(da))
            }
            (None, Some(w)) => format!("Ugyldig værdi: {w} (feltets tekniske navn: »{field_name}«)."),
            (None, None) => {
                format!("Ugyldig værdi (feltets tekniske navn: »{field_name}«; begrundelse på engelsk: »{reason}«).")
            }
        },
        Language::En => {
            let name = entry.map_or_else(|| words_of(field_name), |(_, _, _, en)| en.to_string());
            format!("{}: {}.", capitalise(&name), words.unwrap_or_else(|| reason.to_string()))
        }
    }
}

/// What the worker reads when `e` happens.
pub fn error(e: &CoreError, lang: Language) -> String {
    let fixed = |da: &str, en: &str| pick(lang, da, en).to_string();
    match e {
        CoreError::Locked => fixed("Appen er låst. Indtast din PIN-kode.", "The app is locked. Enter your PIN."),
        CoreError::WrongPin { attempts_left } => match (lang, attempts_left) {
            (Language::Da, 0) => "Forkert PIN-kode. Der er ikke flere forsøg.".into(),
            (Language::Da, 1) => "Forkert PIN-kode. Du har ét forsøg tilbage.".into(),
            (Language::Da, n) => format!("Forkert PIN-kode. Du har {n} forsøg tilbage."),
            (Language::En, 0) => "Wrong PIN. No attempts left.".into(),
            (Language::En, 1) => "Wrong PIN. 1 attempt left.".into(),
            (Language::En, n) => format!("Wrong PIN. {n} attempts left."),
        },
        CoreError::PinDelay { seconds } => match lang {
            Language::Da => format!(
                "For mange forkerte PIN-koder i træk. Vent {}, før du prøver igen.",
                duration(*seconds, lang)
            ),
            Language::En => {
                format!("Too many wrong PINs in a row. Wait {} before trying again.", duration(*seconds, lang))
            }
        },
        CoreError::PinDisabled => fixed(
            "For mange forkerte PIN-koder. Brug din gendannelsesnøgle.",
            "Too many wrong PINs. Use your recovery key.",
        ),
        CoreError::WrongRecoveryKey => fixed("Gendannelsesnøglen passer ikke.", "That recovery key does not fit."),
        CoreError::BiometricUnavailable => fixed(
            "Oplåsning med fingeraftryk eller ansigt er ikke sat op eller virker ikke længere. Brug din PIN-kode.",
            "Unlocking with fingerprint or face is not set up or no longer works. Use your PIN.",
        ),
        CoreError::PlatformKeysMissing => fixed(
            "Telefonens nøglelager har ikke længere nøglerne til dine data. Åbn med gendannelsesnøglen.",
            "The phone's key store no longer holds the keys to your data. Open it with the recovery key.",
        ),
        CoreError::NotFound { what } => not_found(what, lang).map(str::to_string).unwrap_or_else(|| match lang {
            Language::Da => format!("Det blev ikke fundet (teknisk navn: »{what}«)."),
            Language::En => format!("The {} was not found.", words_of(what)),
        }),
        CoreError::InvalidInput { field, reason } => invalid_input(field, reason, lang),
        CoreError::InvalidState { reason } => state_reason(reason, lang).map(str::to_string).unwrap_or_else(|| {
            match lang {
                Language::Da => format!("Det kan ikke lade sig gøre nu (teknisk begrundelse på engelsk: »{reason}«)."),
                Language::En => format!("Not allowed: {reason}."),
            }
        }),
        CoreError::KeyStore { .. } => {
            fixed("Telefonens nøglelager svarer ikke. Prøv igen.", "The phone's key store did not answer. Try again.")
        }
        CoreError::Storage { .. } => {
            fixed("Data kunne ikke læses eller gemmes. Prøv igen.", "The data could not be read or saved. Try again.")
        }
        CoreError::Tampered => fixed(
            "Gemte data bestod ikke kontrollen (ændret eller beskadiget). Kontakt support; intet er slettet.",
            "Stored data failed its integrity check (changed or damaged). Contact support; nothing has been deleted.",
        ),
        CoreError::Corrupt => fixed(
            "Datafilen er beskadiget eller er ikke en Brobygger-fil. Kontakt support; intet er slettet.",
            "The data file is damaged or is not a Brobygger file. Contact support; nothing has been deleted.",
        ),
        CoreError::NewerSchema { found, supported } => match lang {
            Language::Da => format!(
                "Data er fra en nyere version af Brobygger (skema {found}; denne version kender op til {supported}). Opdater appen."
            ),
            Language::En => format!(
                "The data was written by a newer version of Brobygger (schema {found}; this version knows up to {supported}). Update the app."
            ),
        },
        CoreError::VaultExists => fixed("Der findes allerede data her.", "A vault already exists here."),
        CoreError::NoVault => fixed(
            "Der er ingen data her (eller de er slettet). Opret en ny boks.",
            "There is no vault here (or it was wiped). Create a new one.",
        ),
        CoreError::Internal { .. } => {
            fixed("Der skete en uventet fejl. Prøv igen.", "Something unexpected went wrong. Try again.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{Da, En};

    #[test]
    fn errors_with_their_parameters() {
        for (e, da, en) in [
            (CoreError::WrongPin { attempts_left: 3 }, "Forkert PIN-kode. Du har 3 forsøg tilbage.", "Wrong PIN. 3 attempts left."),
            (CoreError::WrongPin { attempts_left: 1 }, "Forkert PIN-kode. Du har ét forsøg tilbage.", "Wrong PIN. 1 attempt left."),
            (CoreError::WrongPin { attempts_left: 0 }, "Forkert PIN-kode. Der er ikke flere forsøg.", "Wrong PIN. No attempts left."),
            (
                CoreError::PinDelay { seconds: 90 },
                "For mange forkerte PIN-koder i træk. Vent 1 minut og 30 sekunder, før du prøver igen.",
                "Too many wrong PINs in a row. Wait 1 minute and 30 seconds before trying again.",
            ),
            (
                CoreError::PinDelay { seconds: 3600 },
                "For mange forkerte PIN-koder i træk. Vent 1 time, før du prøver igen.",
                "Too many wrong PINs in a row. Wait 1 hour before trying again.",
            ),
            (
                CoreError::NewerSchema { found: 7, supported: 5 },
                "Data er fra en nyere version af Brobygger (skema 7; denne version kender op til 5). Opdater appen.",
                "The data was written by a newer version of Brobygger (schema 7; this version knows up to 5). Update the app.",
            ),
            (CoreError::NotFound { what: "office hours" }, "Træffetiden blev ikke fundet.", "The office hours were not found."),
            (CoreError::NotFound { what: "appointment" }, "Aftalen blev ikke fundet.", "The appointment was not found."),
            (
                CoreError::InvalidInput { field: "nickname", reason: "too long (at most 60 characters)" },
                "Kaldenavn: for langt (højst 60 tegn).",
                "Nickname: too long (at most 60 characters).",
            ),
            (
                CoreError::InvalidInput { field: "text", reason: "too long (at most 500 characters)" },
                "Tekst: for lang (højst 500 tegn).",
                "Text: too long (at most 500 characters).",
            ),
            (
                CoreError::InvalidInput { field: "new_pin", reason: "too easy to guess; choose another" },
                "Ny PIN-kode: for let at gætte; vælg en anden.",
                "New PIN: too easy to guess; choose another.",
            ),
            (
                CoreError::InvalidInput { field: "pin", reason: "too short (at least 6 characters)" },
                "PIN-kode: for kort (mindst 6 tegn).",
                "PIN: too short (at least 6 characters).",
            ),
            (
                CoreError::InvalidInput { field: "to", reason: "must not be before from" },
                "Til-dato: må ikke ligge før fra-datoen.",
                "To date: must not be before the from date.",
            ),
            (
                CoreError::InvalidState { reason: "the citizen has no phone number" },
                "Borgeren har intet telefonnummer.",
                "The citizen has no phone number.",
            ),
        ] {
            assert_eq!(error(&e, Da), da, "{e:?}");
            assert_eq!(error(&e, En), en, "{e:?}");
        }
    }

    #[test]
    fn every_variant_has_words_in_both_languages() {
        let all = [
            CoreError::Locked,
            CoreError::WrongPin { attempts_left: 2 },
            CoreError::PinDelay { seconds: 30 },
            CoreError::PinDisabled,
            CoreError::WrongRecoveryKey,
            CoreError::BiometricUnavailable,
            CoreError::PlatformKeysMissing,
            CoreError::NotFound { what: "note" },
            CoreError::InvalidInput { field: "phone", reason: "not a phone number" },
            CoreError::InvalidState { reason: "the note is already final" },
            CoreError::KeyStore { reason: "keystore said no".into() },
            CoreError::Storage { reason: "sqlite Busy (5)".into() },
            CoreError::Tampered,
            CoreError::Corrupt,
            CoreError::NewerSchema { found: 2, supported: 1 },
            CoreError::VaultExists,
            CoreError::NoVault,
            CoreError::Internal { reason: "claim raced" },
        ];
        for e in &all {
            let (da, en) = (error(e, Da), error(e, En));
            assert!(!da.is_empty() && !en.is_empty(), "{e:?}");
            assert_ne!(da, en, "{e:?}");
            assert!(!da.contains("engelsk"), "a known code needs no English: {da}");
            // Technical reasons of the storage and key-store layers are for logs, not people.
            assert!(!da.contains("sqlite") && !en.contains("keystore said no"), "{e:?}");
        }
    }

    #[test]
    fn unknown_codes_get_a_general_sentence_that_says_it_is_english() {
        let e = CoreError::InvalidInput { field: "nickname", reason: "is purple" };
        assert_eq!(error(&e, Da), "Kaldenavn: ugyldig værdi (teknisk begrundelse på engelsk: »is purple«).");
        assert_eq!(error(&e, En), "Nickname: is purple.");
        let e = CoreError::InvalidInput { field: "colour", reason: "empty" };
        assert_eq!(error(&e, Da), "Ugyldig værdi: skal udfyldes (feltets tekniske navn: »colour«).");
        assert_eq!(error(&e, En), "Colour: must be filled in.");
        let e = CoreError::InvalidInput { field: "shoe_size", reason: "is purple" };
        assert!(error(&e, Da).starts_with("Ugyldig værdi (feltets tekniske navn: »shoe_size«"));
        assert_eq!(error(&e, En), "Shoe size: is purple.");
        let e = CoreError::InvalidState { reason: "the moon is full" };
        assert_eq!(
            error(&e, Da),
            "Det kan ikke lade sig gøre nu (teknisk begrundelse på engelsk: »the moon is full«)."
        );
        assert_eq!(error(&e, En), "Not allowed: the moon is full.");
        let e = CoreError::NotFound { what: "unicorn" };
        assert_eq!(error(&e, Da), "Det blev ikke fundet (teknisk navn: »unicorn«).");
        assert_eq!(error(&e, En), "The unicorn was not found.");
    }

    #[test]
    fn limits_are_read_only_from_the_exact_pattern() {
        assert_eq!(limit("too long (at most 60 characters)", "too long (at most "), Some(60));
        assert_eq!(limit("too long (at most characters)", "too long (at most "), None);
        assert_eq!(limit("too long (at most 6x characters)", "too long (at most "), None);
        assert_eq!(limit("too long", "too long (at most "), None);
        assert_eq!(
            input_reason("case_reference", "too long (at most 40 characters)", Da).as_deref(),
            Some("for langt (højst 40 tegn)")
        );
        assert_eq!(
            input_reason("address", "too long (at most 120 characters)", Da).as_deref(),
            Some("for lang (højst 120 tegn)")
        );
    }

    #[test]
    fn tables_have_no_duplicates_or_blanks() {
        let mut codes: Vec<&str> = FIELDS.iter().map(|f| f.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), FIELDS.len());
        for table in [INPUT_REASONS, STATE_REASONS, THINGS] {
            let mut codes: Vec<&str> = table.iter().map(|r| r.0).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), table.len());
            assert!(table.iter().all(|(c, da, en)| !c.is_empty() && !da.is_empty() && !en.is_empty()));
        }
        for (_, da, en) in STATE_REASONS.iter().chain(THINGS) {
            assert!(da.ends_with('.') && en.ends_with('.'), "{da} / {en}");
        }
    }
}
