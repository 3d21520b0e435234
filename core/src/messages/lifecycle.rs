//! Words for the lifecycle of the data: the audit log's entries and what its check found,
//! what is wrong with a backup, the backup's age, a wipe notice, and the labels of the
//! access-request document (`export`).

use super::{capitalise, day, moment, pick, Language};
use crate::audit::{AuditKind, AuditObject, AuditProblem};
use crate::backup::{BackupDefect, RestoreReport};
use crate::retention::RetentionReport;
use chrono::{NaiveDate, NaiveDateTime};

/// A short heading for an entry's kind ("Låst op" / "Unlocked").
pub fn audit_kind(kind: AuditKind, lang: Language) -> &'static str {
    let (da, en) = match kind {
        AuditKind::VaultCreated => ("Oprettet", "Created"),
        AuditKind::Unlocked => ("Låst op", "Unlocked"),
        AuditKind::WrongPin => ("Forkert PIN-kode", "Wrong PIN"),
        AuditKind::PinDisabled => ("PIN-kode spærret", "PIN disabled"),
        AuditKind::RecoveryKeyUsed => ("Gendannelsesnøgle brugt", "Recovery key used"),
        AuditKind::PinChanged => ("PIN-kode ændret", "PIN changed"),
        AuditKind::BiometricEnrolled => ("Fingeraftryk/ansigt slået til", "Fingerprint/face turned on"),
        AuditKind::BiometricRemoved => ("Fingeraftryk/ansigt slået fra", "Fingerprint/face turned off"),
        AuditKind::BiometricSettingChanged => ("Fingeraftryk/ansigt ændret", "Fingerprint/face setting changed"),
        AuditKind::RecoveryKeyReplaced => ("Ny gendannelsesnøgle", "New recovery key"),
        AuditKind::CitizenExported => ("Indsigt udleveret", "Access request exported"),
        AuditKind::BackupCreated => ("Sikkerhedskopi", "Backup"),
        AuditKind::Restored => ("Gendannet", "Restored"),
        AuditKind::Deleted => ("Slettet", "Deleted"),
        AuditKind::NotesPurged => ("Notater slettet", "Notes purged"),
        AuditKind::AppointmentsReduced => ("Aftaler anonymiseret", "Appointments anonymised"),
        AuditKind::ReminderResent => ("Påmindelse sendt igen", "Reminder sent again"),
        AuditKind::ReminderDropped => ("Påmindelse opgivet", "Reminder dropped"),
        AuditKind::DuressPinSet => ("Nød-PIN-kode sat", "Duress PIN set"),
        AuditKind::DuressPinRemoved => ("Nød-PIN-kode fjernet", "Duress PIN removed"),
        AuditKind::SettingsChanged => ("Indstilling ændret", "Setting changed"),
        AuditKind::PreviousVaultWiped => ("Tidligere data slettet", "Earlier data wiped"),
    };
    pick(lang, da, en)
}

fn n_of(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        format!("{n} {many}")
    }
}

/// An entry as one sentence, with its object and count ("3 notater slettet efter
/// opbevaringstiden." / "3 notes purged after the retention period.").
pub fn audit_entry(kind: AuditKind, object: Option<AuditObject>, count: u64, lang: Language) -> String {
    use AuditKind as K;
    use AuditObject as O;
    let s = match (kind, object, lang) {
        (K::Unlocked, Some(O::Pin), Language::Da) => "Låst op med PIN-kode.".into(),
        (K::Unlocked, Some(O::Pin), Language::En) => "Unlocked with the PIN.".into(),
        (K::Unlocked, Some(O::Biometric), Language::Da) => "Låst op med fingeraftryk eller ansigt.".into(),
        (K::Unlocked, Some(O::Biometric), Language::En) => "Unlocked with fingerprint or face.".into(),
        (K::RecoveryKeyUsed, _, Language::Da) => "Åbnet med gendannelsesnøglen og ny PIN-kode sat.".into(),
        (K::RecoveryKeyUsed, _, Language::En) => "Opened with the recovery key; a new PIN was set.".into(),
        (K::PinDisabled, _, Language::Da) => {
            "PIN-koden blev spærret efter for mange forkerte forsøg; kun gendannelsesnøglen åbner.".into()
        }
        (K::PinDisabled, _, Language::En) => {
            "The PIN was disabled after too many wrong attempts; only the recovery key opens.".into()
        }
        (K::CitizenExported, _, Language::Da) => {
            format!("Alle oplysninger om en borger udleveret (indsigt), {}.", n_of(count, "1 post", "poster"))
        }
        (K::CitizenExported, _, Language::En) => {
            format!("Everything about one citizen exported (access request), {}.", n_of(count, "1 record", "records"))
        }
        (K::Deleted, Some(O::Citizen), Language::Da) => "En borger og alt om borgeren slettet.".into(),
        (K::Deleted, Some(O::Citizen), Language::En) => "A citizen and everything about them deleted.".into(),
        (K::Deleted, Some(O::Draft), Language::Da) => "En kladde kasseret.".into(),
        (K::Deleted, Some(O::Draft), Language::En) => "A draft discarded.".into(),
        (K::NotesPurged, _, Language::Da) => format!(
            "{} slettet efter opbevaringstiden; kun antal, emner og hjælp er tilbage.",
            capitalise(&n_of(count, "1 journaliseret notat", "journaliserede notater"))
        ),
        (K::NotesPurged, _, Language::En) => format!(
            "{} purged after the retention period; only counts, topics and help remain.",
            capitalise(&n_of(count, "1 journalised note", "journalised notes"))
        ),
        (K::AppointmentsReduced, _, Language::Da) => format!(
            "{} gjort anonyme efter opbevaringstiden.",
            capitalise(&n_of(count, "1 gammel aftale", "gamle aftaler"))
        ),
        (K::AppointmentsReduced, _, Language::En) => format!(
            "{} made anonymous after the retention period.",
            capitalise(&n_of(count, "1 old appointment", "old appointments"))
        ),
        (K::SettingsChanged, Some(O::Retention), Language::Da) => "Opbevaringstider ændret.".into(),
        (K::SettingsChanged, Some(O::Retention), Language::En) => "Retention periods changed.".into(),
        (K::SettingsChanged, Some(O::InactivityWipe), Language::Da) => match count {
            0 => "Sletning ved manglende oplåsning slået fra.".into(),
            n => format!("Sletning efter {n} dage uden oplåsning slået til."),
        },
        (K::SettingsChanged, Some(O::InactivityWipe), Language::En) => match count {
            0 => "Wiping after days without an unlock turned off.".into(),
            n => format!("Wiping after {n} days without an unlock turned on."),
        },
        (K::PreviousVaultWiped, _, Language::Da) => {
            format!("De tidligere data på telefonen blev slettet efter {count} dage uden oplåsning.")
        }
        (K::PreviousVaultWiped, _, Language::En) => {
            format!("The earlier data on this phone was wiped after {count} days without an unlock.")
        }
        (K::VaultCreated, _, Language::Da) => "Boksen blev oprettet.".into(),
        (K::VaultCreated, _, Language::En) => "The vault was created.".into(),
        (K::BackupCreated, _, Language::Da) => "Sikkerhedskopi lavet.".into(),
        (K::BackupCreated, _, Language::En) => "Backup made.".into(),
        (K::Restored, _, Language::Da) => "Gendannet fra en sikkerhedskopi på denne telefon.".into(),
        (K::Restored, _, Language::En) => "Restored from a backup on this phone.".into(),
        (kind, _, lang) => format!("{}.", audit_kind(kind, lang)),
    };
    s
}

/// Where the audit log's chain breaks, as a sentence.
pub fn audit_problem(problem: Option<(AuditProblem, u64)>, lang: Language) -> String {
    match (problem, lang) {
        (None, Language::Da) => "Loggen er hel: ingen poster er ændret, fjernet eller tilføjet udenom appen.".into(),
        (None, Language::En) => "The log is intact: no entry was changed, removed or added outside the app.".into(),
        (Some((p, seq)), Language::Da) => match p {
            AuditProblem::EntryChanged => format!("Post nr. {seq} er ændret."),
            AuditProblem::EntryMissing => format!("Post nr. {seq} mangler."),
            AuditProblem::Truncated => format!("Posterne fra nr. {seq} og frem er fjernet."),
            AuditProblem::UnknownEntries => format!("Posterne fra nr. {seq} og frem er tilføjet udenom appen."),
        },
        (Some((p, seq)), Language::En) => match p {
            AuditProblem::EntryChanged => format!("Entry {seq} was changed."),
            AuditProblem::EntryMissing => format!("Entry {seq} is missing."),
            AuditProblem::Truncated => format!("The entries from {seq} on were removed."),
            AuditProblem::UnknownEntries => format!("The entries from {seq} on were added outside the app."),
        },
    }
}

/// What is wrong with a backup file.
pub fn backup_defect(d: BackupDefect, lang: Language) -> String {
    match (d, lang) {
        (BackupDefect::NotABackup, Language::Da) => "Filen er ikke en sikkerhedskopi fra Brobygger.".into(),
        (BackupDefect::NotABackup, Language::En) => "The file is not a Brobygger backup.".into(),
        (BackupDefect::NewerFormat { .. }, Language::Da) => {
            "Sikkerhedskopien er lavet af en nyere version af Brobygger. Opdater appen.".into()
        }
        (BackupDefect::NewerFormat { .. }, Language::En) => {
            "The backup was made by a newer version of Brobygger. Update the app.".into()
        }
        (BackupDefect::WrongKey, Language::Da) => {
            "Gendannelsesnøglen passer ikke til sikkerhedskopien. Er det en ældre nøgle, du har udskiftet?".into()
        }
        (BackupDefect::WrongKey, Language::En) => {
            "The recovery key does not fit this backup. Is it an older key you have replaced?".into()
        }
        (BackupDefect::Truncated { .. }, Language::Da) => {
            "Sikkerhedskopien er ufuldstændig (filen slutter for tidligt). Brug en anden kopi.".into()
        }
        (BackupDefect::Truncated { .. }, Language::En) => {
            "The backup is incomplete (the file ends too early). Use another copy.".into()
        }
        (
            BackupDefect::HeaderDamaged | BackupDefect::Damaged { .. } | BackupDefect::TrailingData { .. },
            Language::Da,
        ) => "Sikkerhedskopien er beskadiget eller ændret og kan ikke bruges. Brug en anden kopi.".into(),
        (
            BackupDefect::HeaderDamaged | BackupDefect::Damaged { .. } | BackupDefect::TrailingData { .. },
            Language::En,
        ) => "The backup is damaged or was changed and cannot be used. Use another copy.".into(),
        (BackupDefect::Malformed, Language::Da) => "Sikkerhedskopien indeholder ikke det, den skal.".into(),
        (BackupDefect::Malformed, Language::En) => "The backup does not hold what a backup holds.".into(),
    }
}

/// The age of the last backup ("Seneste sikkerhedskopi: for 3 dage siden.").
pub fn backup_age(days: Option<u32>, overdue: bool, lang: Language) -> String {
    let age = match (days, lang) {
        (None, Language::Da) => return "Der er ikke lavet en sikkerhedskopi endnu. Lav en nu.".into(),
        (None, Language::En) => return "No backup has been made yet. Make one now.".into(),
        (Some(0), Language::Da) => "i dag".to_string(),
        (Some(0), Language::En) => "today".to_string(),
        (Some(1), Language::Da) => "i går".to_string(),
        (Some(1), Language::En) => "yesterday".to_string(),
        (Some(n), Language::Da) => format!("for {n} dage siden"),
        (Some(n), Language::En) => format!("{n} days ago"),
    };
    match (overdue, lang) {
        (false, Language::Da) => format!("Seneste sikkerhedskopi: {age}."),
        (false, Language::En) => format!("Last backup: {age}."),
        (true, Language::Da) => format!("Seneste sikkerhedskopi: {age}. Lav en ny."),
        (true, Language::En) => format!("Last backup: {age}. Make a new one."),
    }
}

/// What a restore brought back, in one or more sentences; `made_at` is the backup's local
/// time ("Gendannet fra sikkerhedskopien fra …: 12 borgere, 340 notater og 55 aftaler.").
pub fn restore_report(r: &RestoreReport, made_at: NaiveDateTime, lang: Language) -> String {
    let when = moment(made_at, lang);
    let mut out = match lang {
        Language::Da => format!(
            "Gendannet fra sikkerhedskopien fra {when}: {}, {} og {}. Det, der kom til efter, er ikke med.",
            n_of(r.citizens as u64, "én borger", "borgere"),
            n_of(r.notes as u64, "ét notat", "notater"),
            n_of(r.appointments as u64, "én aftale", "aftaler"),
        ),
        Language::En => format!(
            "Restored from the backup of {when}: {}, {} and {}. Anything added after it is not included.",
            n_of(r.citizens as u64, "one citizen", "citizens"),
            n_of(r.notes as u64, "one note", "notes"),
            n_of(r.appointments as u64, "one appointment", "appointments"),
        ),
    };
    if r.reminders_made_unknown > 0 {
        out.push(' ');
        out.push_str(&match lang {
            Language::Da => format!(
                "{} var givet videre til afsendelse, uden at vi ved, om de gik ud. Se dem under I dag.",
                capitalise(&n_of(r.reminders_made_unknown as u64, "én påmindelse", "påmindelser"))
            ),
            Language::En => format!(
                "{} had been handed over for sending without a known outcome. See them under Today.",
                capitalise(&n_of(r.reminders_made_unknown as u64, "one reminder", "reminders"))
            ),
        });
    }
    if !r.audit_intact {
        out.push(' ');
        out.push_str(pick(
            lang,
            "Loggen i sikkerhedskopien passede ikke med sit segl; den fortsætter herfra.",
            "The log in the backup did not match its seal; it continues from here.",
        ));
    }
    out
}

/// What applying the retention did ("2 notater slettet efter opbevaringstiden.").
pub fn retention_report(r: &RetentionReport, lang: Language) -> String {
    // (count, [one, many, rest] in Danish, the same in English), one sentence each.
    let lines = [
        (
            r.notes_purged,
            ["Ét journaliseret notat", "journaliserede notater", "slettet efter opbevaringstiden."],
            ["One journalised note", "journalised notes", "purged after the retention period."],
        ),
        (
            r.appointments_reduced,
            ["Én gammel aftale", "gamle aftaler", "gjort anonyme."],
            ["One old appointment", "old appointments", "made anonymous."],
        ),
        (
            r.final_notes_flagged,
            ["Ét færdigt notat", "færdige notater", "venter for længe på at blive journaliseret."],
            ["One final note is", "final notes are", "waiting too long to be journalised."],
        ),
    ];
    let parts: Vec<String> = lines
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, da, en)| {
            let [one, many, rest] = if lang == Language::Da { da } else { en };
            format!("{} {rest}", n_of(u64::from(*n), one, many))
        })
        .collect();
    if parts.is_empty() {
        return pick(lang, "Intet er ældre end opbevaringstiden.", "Nothing is older than the retention period.")
            .to_string();
    }
    parts.join(" ")
}

/// What the folder says after a wipe for inactivity.
pub fn wipe_notice(wiped_on: NaiveDate, after_days: u32, lang: Language) -> String {
    match lang {
        Language::Da => format!(
            "Dataene på telefonen blev slettet {} efter {after_days} dage uden oplåsning. Gendan fra en sikkerhedskopi, eller opret en ny boks.",
            day(wiped_on, lang)
        ),
        Language::En => format!(
            "The data on this phone was wiped on {} after {after_days} days without an unlock. Restore a backup, or create a new vault.",
            day(wiped_on, lang)
        ),
    }
}

/// A date and time in words, as the catalogue writes them elsewhere.
pub fn at_time(t: NaiveDateTime, lang: Language) -> String {
    moment(t, lang)
}

/// A date in words.
pub fn on_day(d: NaiveDate, lang: Language) -> String {
    day(d, lang)
}

/// The labels of the access-request document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWord {
    Title,
    Intro,
    Retention,
    Details,
    Nickname,
    Phone,
    SmsLanguage,
    CaseReference,
    Registered,
    LastChanged,
    Consent,
    ConsentGiven,
    ConsentMethod,
    ConsentWithdrawn,
    NoConsent,
    Notes,
    NoNotes,
    State,
    Conversation,
    Finalised,
    Journalised,
    JournalReference,
    Topics,
    HelpGiven,
    Amendments,
    FollowUps,
    Due,
    Owner,
    Done,
    Appointments,
    NoAppointments,
    Time,
    Place,
    Kind,
    Status,
    Reminders,
    NoReminders,
    SendAt,
    Sent,
    Delivered,
    Text,
    Reason,
    None,
    RecordedBy,
    Printed,
    Anonymous,
    Unreadable,
}

/// A label of the access-request document.
pub fn export_word(w: ExportWord, lang: Language) -> &'static str {
    use ExportWord as W;
    let (da, en) = match w {
        W::Title => ("Indsigt: registrerede oplysninger om en borger", "Access request: data recorded about a citizen"),
        W::Intro => (
            "Dette er alt, hvad der er registreret om borgeren i Brobygger på denne telefon (databeskyttelsesforordningens artikel 15).",
            "This is everything recorded about the citizen in Brobygger on this phone (Article 15 of the General Data Protection Regulation).",
        ),
        W::Retention => (
            "Notater slettes, når opbevaringstiden efter journalisering er gået, og gamle aftaler gøres anonyme; det slettede er ikke med her.",
            "Notes are deleted when the retention period after journalisation has passed, and old appointments are made anonymous; what was deleted is not included.",
        ),
        W::Details => ("Oplysninger", "Details"),
        W::Nickname => ("Kaldenavn", "Nickname"),
        W::Phone => ("Telefonnummer", "Phone number"),
        W::SmsLanguage => ("Sprog i sms", "Language of texts"),
        W::CaseReference => ("Sagsnummer", "Case reference"),
        W::Registered => ("Registreret", "Registered"),
        W::LastChanged => ("Senest ændret", "Last changed"),
        W::Consent => ("Samtykke til sms", "Consent to texts"),
        W::ConsentGiven => ("Samtykke givet", "Consent given"),
        W::ConsentMethod => ("Måde", "How"),
        W::ConsentWithdrawn => ("Samtykke trukket tilbage", "Consent withdrawn"),
        W::NoConsent => ("Intet samtykke registreret", "No consent recorded"),
        W::Notes => ("Notater", "Notes"),
        W::NoNotes => ("Ingen notater", "No notes"),
        W::State => ("Status", "State"),
        W::Conversation => ("Samtale", "Conversation"),
        W::Finalised => ("Færdiggjort", "Finalised"),
        W::Journalised => ("Journaliseret", "Journalised"),
        W::JournalReference => ("Journalnummer", "Journal reference"),
        W::Topics => ("Emner", "Topics"),
        W::HelpGiven => ("Hjælp givet", "Help given"),
        W::Amendments => ("Tillæg", "Amendments"),
        W::FollowUps => ("Opfølgninger", "Follow-ups"),
        W::Due => ("Frist", "Due"),
        W::Owner => ("Ansvarlig", "Owner"),
        W::Done => ("Udført", "Done"),
        W::Appointments => ("Aftaler", "Appointments"),
        W::NoAppointments => ("Ingen aftaler", "No appointments"),
        W::Time => ("Tidspunkt", "Time"),
        W::Place => ("Sted", "Place"),
        W::Kind => ("Type", "Kind"),
        W::Status => ("Status", "Status"),
        W::Reminders => ("Påmindelser (sms)", "Reminders (texts)"),
        W::NoReminders => ("Ingen påmindelser", "No reminders"),
        W::SendAt => ("Planlagt afsendelse", "To be sent"),
        W::Sent => ("Sendt", "Sent"),
        W::Delivered => ("Leveret", "Delivered"),
        W::Text => ("Tekst", "Text"),
        W::Reason => ("Begrundelse", "Reason"),
        W::None => ("Ingen", "None"),
        W::RecordedBy => ("Registreret af", "Recorded by"),
        W::Printed => ("Udskrevet", "Printed"),
        W::Anonymous => ("uden tekst (slettet)", "without text (deleted)"),
        W::Unreadable => ("kan ikke læses (beskadiget)", "cannot be read (damaged)"),
    };
    pick(lang, da, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_and_retention_reports_in_words() {
        let made = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap().and_hms_opt(14, 5, 0).unwrap();
        let mut r = RestoreReport {
            backup_created_at: chrono::DateTime::UNIX_EPOCH,
            citizens: 12,
            notes: 1,
            appointments: 0,
            reminders_made_unknown: 0,
            audit_intact: true,
        };
        let da = restore_report(&r, made, Language::Da);
        assert!(da.contains("12 borgere, ét notat og 0 aftaler"), "{da}");
        assert!(!da.contains("påmindelse") && !da.contains("Loggen"), "{da}");
        r.reminders_made_unknown = 2;
        r.audit_intact = false;
        let en = restore_report(&r, made, Language::En);
        assert!(en.contains("2 reminders had been handed over") && en.contains("did not match its seal"), "{en}");

        let mut t = RetentionReport::default();
        assert_eq!(retention_report(&t, Language::En), "Nothing is older than the retention period.");
        t.notes_purged = 1;
        t.final_notes_flagged = 3;
        assert_eq!(
            retention_report(&t, Language::Da),
            "Ét journaliseret notat slettet efter opbevaringstiden. 3 færdige notater venter for længe på at blive journaliseret."
        );
        assert_eq!(
            retention_report(&t, Language::En),
            "One journalised note purged after the retention period. 3 final notes are waiting too long to be journalised."
        );
    }

    #[test]
    fn every_kind_object_and_defect_has_words_in_both_languages() {
        for k in AuditKind::ALL {
            assert_ne!(audit_kind(k, Language::Da), audit_kind(k, Language::En), "{k:?}");
            for o in AuditObject::ALL.iter().copied().map(Some).chain([None]) {
                for n in [0, 1, 3] {
                    let (da, en) = (audit_entry(k, o, n, Language::Da), audit_entry(k, o, n, Language::En));
                    assert!(da.ends_with('.') && en.ends_with('.'), "{da} / {en}");
                    assert_ne!(da, en);
                }
            }
        }
        for d in [
            BackupDefect::NotABackup,
            BackupDefect::NewerFormat { found: 2 },
            BackupDefect::WrongKey,
            BackupDefect::HeaderDamaged,
            BackupDefect::Damaged { chunk: 1 },
            BackupDefect::Truncated { chunks: 1 },
            BackupDefect::TrailingData { chunks: 1 },
            BackupDefect::Malformed,
        ] {
            assert_ne!(backup_defect(d, Language::Da), backup_defect(d, Language::En));
        }
    }

    #[test]
    fn counts_and_ages_read_naturally() {
        assert_eq!(
            audit_entry(AuditKind::NotesPurged, Some(AuditObject::Note), 3, Language::Da),
            "3 journaliserede notater slettet efter opbevaringstiden; kun antal, emner og hjælp er tilbage."
        );
        assert_eq!(
            audit_entry(AuditKind::NotesPurged, Some(AuditObject::Note), 1, Language::En),
            "1 journalised note purged after the retention period; only counts, topics and help remain."
        );
        assert_eq!(backup_age(Some(3), false, Language::Da), "Seneste sikkerhedskopi: for 3 dage siden.");
        assert_eq!(backup_age(Some(1), true, Language::En), "Last backup: yesterday. Make a new one.");
        assert_eq!(audit_problem(Some((AuditProblem::EntryChanged, 7)), Language::Da), "Post nr. 7 er ændret.");
    }
}
