//! The command tree, and which flag each of the core's field names was typed as, so errors
//! name what the user wrote (`--at: ...`, not `local_start: ...`).

pub mod appointments;
pub mod citizens;
pub mod evaluation;
pub mod lifecycle;
pub mod notes;
pub mod planning;
pub mod reminders;
pub mod reports;
pub mod survey;
pub mod vault;

use crate::app::{Ctx, Reply};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum Command {
    /// Create a new vault and print its recovery key (shown this once)
    Init,
    /// Lock state, PIN attempts and delay, biometric slot, integrity, backup age, retention,
    /// the emergency wipes, the audit log's size (no PIN needed)
    Status {
        /// The language of the backup reminder
        #[arg(long, default_value = "en", value_parser = crate::codes::parser::<brobygger_ffi::Language>())]
        lang: brobygger_ffi::Language,
    },
    /// Change the PIN (the vault key is re-wrapped; data is untouched)
    ChangePin,
    /// Open the vault with the recovery key and set a new PIN; the key comes from
    /// $BROBYGGER_RECOVERY_KEY, else a prompt without echo, else a line on stdin
    Recover {
        /// Refused: a key on the command line stays in the shell history and the process list
        #[arg(long, hide = true, value_name = "KEY")]
        recovery_key: Option<String>,
    },
    /// Destroy the vault: keys and files
    Wipe {
        /// Confirm; nothing can be recovered afterwards
        #[arg(long)]
        yes: bool,
    },
    /// The recovery key: rotate (prints the new key once; the old one stops working)
    #[command(subcommand)]
    RecoveryKey(vault::RecoveryKeyCmd),
    /// Check the vault file for damage
    #[command(subcommand)]
    Integrity(vault::IntegrityCmd),
    /// Backups: create (to a new file), verify (with the recovery key)
    #[command(subcommand)]
    Backup(lifecycle::BackupCmd),
    /// Restore a backup into --vault DIR (a folder without a vault) with the recovery key
    /// and a new PIN
    Restore {
        /// The backup file
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The language of a defect's verdict and of input errors
        #[arg(long, default_value = "en", value_parser = crate::codes::parser::<brobygger_ffi::Language>())]
        lang: brobygger_ffi::Language,
        /// Refused: a key on the command line stays in the shell history and the process list
        #[arg(long, hide = true, value_name = "KEY")]
        recovery_key: Option<String>,
    },
    /// How long data is kept: show, set (and apply now)
    #[command(subcommand)]
    Retention(lifecycle::RetentionCmd),
    /// The audit log: list, verify
    #[command(subcommand)]
    Audit(lifecycle::AuditCmd),
    /// A PIN that wipes the vault when entered: set, remove
    #[command(subcommand)]
    DuressPin(lifecycle::DuressPinCmd),
    /// Wipe the vault after days without an unlock: set --days N, off
    #[command(subcommand)]
    WipeAfter(lifecycle::WipeAfterCmd),
    /// The biometric slot, exercised with a secret file (tests and support only)
    #[command(subcommand)]
    Biometric(vault::BiometricCmd),
    /// Today's screen: the day's appointments and everything waiting for you
    Today {
        /// YYYY-MM-DD [default: today in Copenhagen]
        #[arg(long)]
        date: Option<String>,
    },
    /// Citizens: add, list, show, overview, edit, consent, export, delete
    #[command(subcommand)]
    Citizen(citizens::CitizenCmd),
    /// Notes: add, edit, list, show, search, count, finalize, amend, journalise, follow-ups
    #[command(subcommand)]
    Note(notes::NoteCmd),
    /// The worker's profile (signs the reminders): set, show
    #[command(subcommand)]
    Worker(planning::WorkerCmd),
    /// Drop-in centres: add, list
    #[command(subcommand)]
    Venue(planning::VenueCmd),
    /// Weekly office hours at a venue: add, list, remove
    #[command(subcommand)]
    Hours(planning::HoursCmd),
    /// Absences: add, list, remove
    #[command(subcommand)]
    Absence(planning::AbsenceCmd),
    /// Appointments: add (or preview with --dry-run), list, show, reschedule, cancel, confirm, outcome
    #[command(subcommand)]
    Appointment(appointments::AppointmentCmd),
    /// SMS reminders: list, send, upcoming, edit, approve, resolve, result, delivered
    #[command(subcommand)]
    Reminder(reminders::ReminderCmd),
    /// SMS texts: check encoding, segments and the discretion lint
    #[command(subcommand)]
    Sms(reports::SmsCmd),
    /// Reports: no-shows, the evaluation report (and its CSV and HTML exports)
    #[command(subcommand)]
    Report(reports::ReportCmd),
    /// The satisfaction survey: add a form typed in from paper, print the statements
    #[command(subcommand)]
    Survey(survey::SurveyCmd),
    /// Danish public holidays of a year
    Holidays {
        #[arg(long)]
        year: Option<i32>,
    },
    /// A scripted morning at a drop-in centre, on a temporary vault
    Demo,
}

pub fn run(ctx: &Ctx, command: Command) -> Reply {
    match command {
        Command::Init => vault::init(ctx),
        Command::Status { lang } => vault::status(ctx, lang),
        Command::ChangePin => vault::change_pin(ctx),
        Command::Recover { recovery_key } => vault::recover(ctx, recovery_key),
        Command::Wipe { yes } => vault::wipe(ctx, yes),
        Command::RecoveryKey(cmd) => vault::recovery_key(ctx, cmd),
        Command::Integrity(cmd) => vault::integrity(ctx, cmd),
        Command::Backup(cmd) => lifecycle::backup(ctx, cmd),
        Command::Restore { from, lang, recovery_key } => lifecycle::restore(ctx, &from, lang, recovery_key),
        Command::Retention(cmd) => lifecycle::retention(ctx, cmd),
        Command::Audit(cmd) => lifecycle::audit(ctx, cmd),
        Command::DuressPin(cmd) => lifecycle::duress_pin(ctx, cmd),
        Command::WipeAfter(cmd) => lifecycle::wipe_after(ctx, cmd),
        Command::Biometric(cmd) => vault::biometric(ctx, cmd),
        Command::Today { date } => appointments::today(ctx, date),
        Command::Citizen(cmd) => citizens::run(ctx, cmd),
        Command::Note(cmd) => notes::run(ctx, cmd),
        Command::Worker(cmd) => planning::worker(ctx, cmd),
        Command::Venue(cmd) => planning::venue(ctx, cmd),
        Command::Hours(cmd) => planning::hours(ctx, cmd),
        Command::Absence(cmd) => planning::absence(ctx, cmd),
        Command::Appointment(cmd) => appointments::run(ctx, cmd),
        Command::Reminder(cmd) => reminders::run(ctx, cmd),
        Command::Sms(cmd) => reports::sms(cmd),
        Command::Report(cmd) => reports::report(ctx, cmd),
        Command::Survey(cmd) => survey::run(ctx, cmd),
        Command::Holidays { year } => reports::holidays(ctx, year),
        Command::Demo => crate::demo::run(),
    }
}

/// (the core's field or record name, the flag the user typed) pairs.
pub type Flags = Vec<(&'static str, &'static str)>;

/// The core's field names as the CLI's flags, wherever they mean the same everywhere.
const COMMON: &[(&str, &str)] = &[
    ("nickname", "--name"),
    ("name", "--name"),
    ("phone", "--phone"),
    ("case_reference", "--case-ref"),
    ("text", "--text"),
    ("query", "QUERY"),
    ("limit", "--limit"),
    ("cursor", "--cursor"),
    ("journal_reference", "--reference"),
    ("due_date", "--due"),
    ("occurred_at", "--occurred-at"),
    ("local_start", "--at"),
    ("duration_minutes", "--minutes"),
    ("outside_place", "--place"),
    ("time_zone", "--time-zone"),
    ("address", "--address"),
    ("pin", "the new PIN"),
    ("recovery_key", "the recovery key"),
    ("biometric_secret", "--secret-file"),
    ("from", "--from"),
    ("to", "--to"),
    ("valid_until", "--valid-until"),
    ("auto_lock_minutes", "--minutes"),
    ("out", "--out"),
    ("new_pin", "the new PIN"),
    ("duress_pin", "the duress PIN"),
    ("inactivity_wipe_days", "--days"),
    ("purge_after_days", "--purge-after-days"),
    ("flag_final_after_days", "--flag-final-after-days"),
    ("reduce_appointments_after_days", "--reduce-appointments-after-days"),
    ("backup_reminder_days", "--backup-reminder-days"),
    ("before", "--before"),
];

fn id(record: &'static str, flag: &'static str) -> [(&'static str, &'static str); 2] {
    // The core names an id field `<record>_id` and a missing record by its name.
    let field = match record {
        "citizen" => "citizen_id",
        "note" => "note_id",
        "appointment" => "appointment_id",
        "reminder" => "reminder_id",
        "venue" => "venue_id",
        "follow-up" => "follow_up_id",
        "office hours" => "office_hours_id",
        "absence" => "absence_id",
        _ => record,
    };
    [(field, flag), (record, flag)]
}

/// The flags of one command, for its error messages.
pub fn flags(command: &Command) -> Flags {
    use appointments::AppointmentCmd as A;
    use citizens::CitizenCmd as C;
    use notes::NoteCmd as N;
    use reminders::ReminderCmd as R;
    let mut f: Flags = Vec::new();
    match command {
        Command::Citizen(C::Add { .. } | C::List | C::Find { .. }) => {}
        Command::Citizen(_) => f.extend(id("citizen", "ID")),
        Command::Note(N::Add { .. } | N::Edit { .. } | N::List { .. }) => {
            f.extend(id("citizen", "--citizen"));
            f.extend(id("note", "ID"));
        }
        Command::Note(N::FollowUp { .. }) => f.extend(id("note", "NOTE_ID")),
        Command::Note(N::Done { .. }) => f.extend(id("follow-up", "ID")),
        Command::Note(_) => f.extend(id("note", "ID")),
        Command::Appointment(A::Add { .. }) => {
            f.extend(id("citizen", "--citizen"));
            f.extend(id("venue", "--venue"));
        }
        Command::Appointment(A::List { .. }) => {
            f.extend(id("citizen", "--citizen"));
            f.push(("date", "--day/--week"));
        }
        Command::Appointment(_) => f.extend(id("appointment", "ID")),
        Command::Reminder(R::List { .. }) => f.extend(id("appointment", "--appointment")),
        Command::Reminder(_) => f.extend(id("reminder", "ID")),
        Command::Hours(planning::HoursCmd::Add { .. } | planning::HoursCmd::List { .. }) => {
            f.extend(id("venue", "--venue"))
        }
        Command::Hours(_) => f.extend(id("office hours", "ID")),
        Command::Absence(_) => f.extend(id("absence", "ID")),
        Command::Report(_) => {
            f.extend(id("venue", "--venue"));
            f.push(("date", "--from/--to"));
        }
        Command::Survey(_) => {
            f.extend(id("venue", "--venue"));
            f.push(("answers", "--answers"));
            f.push(("date", "--date"));
        }
        Command::Today { .. } => f.push(("date", "--date")),
        _ => {}
    }
    f.extend_from_slice(COMMON);
    f
}
