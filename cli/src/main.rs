//! `brobygger`: the desktop shell over brobygger-ffi's Rust API — the same surface the
//! phones get. For demos, support staff and scripts. `brobygger --help` lists everything.

mod demo;
mod output;
mod schedule;

use brobygger_cli::{clock, keystore};

use brobygger_ffi::*;
use clap::{Parser, Subcommand, ValueEnum};
use output::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "brobygger",
    version,
    about = "Brobygger: encrypted offline notes and citizens for outreach workers",
    after_help = "The PIN is read from $BROBYGGER_PIN, else asked for without echo.\n\
                  New PINs (init, change-pin, recover) come from $BROBYGGER_NEW_PIN, else are asked for twice.\n\
                  Exit status: 0 ok, 1 the command failed (one line on stderr), 2 bad usage."
)]
struct Cli {
    /// Vault folder [default: $BROBYGGER_VAULT, else ./brobygger-vault]
    #[arg(long, global = true, value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Print JSON: one object, or an array for lists
    #[arg(long, global = true)]
    json: bool,
    /// Use this instant as "now" instead of the system clock (RFC 3339; for scripts and tests)
    #[arg(long, global = true, value_name = "RFC3339")]
    now: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault and print its recovery key (shown this once)
    Init,
    /// Show lock state, PIN attempts left and KDF cost (no PIN needed)
    Status,
    /// Change the PIN (the vault key is re-wrapped; data is untouched)
    ChangePin,
    /// Open the vault with the recovery key and set a new PIN
    Recover {
        #[arg(long, value_name = "KEY")]
        recovery_key: String,
    },
    /// Destroy the vault: keys and files
    Wipe {
        /// Confirm; nothing can be recovered afterwards
        #[arg(long)]
        yes: bool,
    },
    /// Citizens: add, list, show, edit, consent, delete
    #[command(subcommand)]
    Citizen(CitizenCmd),
    /// Notes: add, edit, list, show, search, finalize, amend, journalise, follow-ups
    #[command(subcommand)]
    Note(NoteCmd),
    /// The worker's profile (signs the reminders): set, show
    #[command(subcommand)]
    Worker(schedule::WorkerCmd),
    /// Drop-in centres: add, list
    #[command(subcommand)]
    Venue(schedule::VenueCmd),
    /// Weekly office hours at a venue: add, list, remove
    #[command(subcommand)]
    Hours(schedule::HoursCmd),
    /// Absences: add, list, remove
    #[command(subcommand)]
    Absence(schedule::AbsenceCmd),
    /// Appointments: add, list, show, reschedule, cancel, confirm, outcome
    #[command(subcommand)]
    Appointment(schedule::AppointmentCmd),
    /// SMS reminders: list, send, resolve, approve, delivered
    #[command(subcommand)]
    Reminder(schedule::ReminderCmd),
    /// SMS texts: check encoding, segments and the discretion lint
    #[command(subcommand)]
    Sms(schedule::SmsCmd),
    /// Reports: no-shows
    #[command(subcommand)]
    Report(schedule::ReportCmd),
    /// Danish public holidays of a year
    Holidays {
        #[arg(long)]
        year: Option<i32>,
    },
    /// A scripted morning at a drop-in centre, on a temporary vault
    Demo,
}

#[derive(Subcommand)]
enum CitizenCmd {
    /// Register a citizen (only a nickname is required)
    Add {
        #[arg(long)]
        name: String,
        /// Any common way of writing it; Danish without a country code
        #[arg(long)]
        phone: Option<String>,
        /// Consent to SMS given now, in this way
        #[arg(long, value_name = "HOW")]
        sms_consent: Option<ConsentArg>,
        #[arg(long, default_value = "da")]
        language: LanguageArg,
        #[arg(long)]
        case_ref: Option<String>,
    },
    /// All citizens, by nickname
    List,
    Show {
        id: String,
    },
    /// Replace a citizen's editable fields (omitted ones are kept)
    Edit {
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// New number; "" removes it
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        language: Option<LanguageArg>,
        /// New case reference; "" removes it
        #[arg(long)]
        case_ref: Option<String>,
    },
    /// Record SMS consent given now
    Consent {
        id: String,
        #[arg(long, value_name = "HOW")]
        method: ConsentArg,
    },
    /// Withdraw SMS consent
    WithdrawConsent {
        id: String,
    },
    /// Find citizens by phone number
    Find {
        #[arg(long)]
        phone: String,
    },
    /// Delete a citizen and all their notes beyond recovery
    Delete {
        id: String,
    },
}

#[derive(Subcommand)]
enum NoteCmd {
    /// Start a note (a draft until finalized)
    Add {
        /// Leave out for an anonymous conversation
        #[arg(long)]
        citizen: Option<String>,
        #[arg(long)]
        text: String,
        #[arg(long = "topic", value_name = "T")]
        topics: Vec<TopicArg>,
        #[arg(long = "help-given", value_name = "H")]
        help_given: Vec<HelpArg>,
    },
    /// Save a draft again with new text (and topics, help given, citizen)
    Edit {
        id: String,
        #[arg(long)]
        text: String,
        #[arg(long)]
        citizen: Option<String>,
        #[arg(long = "topic", value_name = "T")]
        topics: Vec<TopicArg>,
        #[arg(long = "help-given", value_name = "H")]
        help_given: Vec<HelpArg>,
    },
    /// Most recent notes first
    List {
        #[arg(long)]
        citizen: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    Show {
        id: String,
    },
    /// Case-insensitive search in note text and amendments
    Search {
        query: String,
    },
    /// Make a draft final (no more edits; amendments only)
    Finalize {
        id: String,
    },
    /// Append an amendment to a final note
    Amend {
        id: String,
        #[arg(long)]
        text: String,
    },
    /// Record the reference the note got in the municipal case system
    Journalise {
        id: String,
        #[arg(long)]
        reference: String,
    },
    /// Throw a draft away
    Discard {
        id: String,
    },
    /// Add a follow-up task to a note
    FollowUp {
        note_id: String,
        #[arg(long)]
        text: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
        #[arg(long, default_value = "caseworker")]
        owner: RoleArg,
    },
    /// Mark a follow-up done (--undo to reopen)
    Done {
        follow_up_id: String,
        #[arg(long)]
        undo: bool,
    },
}

/// Declares a CLI value enum whose kebab-case names match the JSON output, mapped onto an FFI enum.
macro_rules! arg_enum_impl {
    ($name:ident => $ffi:ident { $($variant:ident),+ $(,)? }) => {
        #[derive(Clone, Copy, ValueEnum)]
        pub(crate) enum $name { $($variant),+ }
        impl From<$name> for $ffi {
            fn from(v: $name) -> Self { match v { $($name::$variant => $ffi::$variant),+ } }
        }
    };
}

pub(crate) use arg_enum_impl as arg_enum;

arg_enum!(ConsentArg => ConsentMethod { Verbal, Written, Sms, Other });
arg_enum!(LanguageArg => SmsLanguage { Da, En });
arg_enum!(TopicArg => Topic { JobEducationRehabilitation, MentalHealth, PhysicalHealth, AlcoholDrugs, FinancesHousing, Other });
arg_enum!(HelpArg => HelpGiven {
    AdviceOnSupport, ActionPlan, Forms, FinancesOverview, Accompaniment,
    HealthSubstanceAdvice, HelpIntoTreatment, DailyLifeSupport
});
arg_enum!(RoleArg => WorkerRole { Caseworker, SubstanceAbuseWorker, SupportContactPerson });

/// What went wrong, for the one line on stderr.
pub(crate) enum CliError {
    Core(BrobyggerError),
    Usage(String),
}

impl From<BrobyggerError> for CliError {
    fn from(e: BrobyggerError) -> Self {
        CliError::Core(e)
    }
}

/// A command's answer: JSON for `--json`, text otherwise.
pub(crate) struct Answer {
    json: Value,
    text: String,
}

pub(crate) fn answer(json: Value, text: impl Into<String>) -> Answer {
    Answer { json, text: text.into() }
}

fn main() {
    let cli = Cli::parse();
    let json_mode = cli.json;
    match run(cli) {
        Ok(a) => {
            if json_mode {
                println!("{}", a.json);
            } else if !a.text.is_empty() {
                println!("{}", a.text);
            }
        }
        Err(e) => {
            let (code, message) = match &e {
                CliError::Core(err) => (error_code(err), err.to_string()),
                CliError::Usage(m) => ("usage", m.clone()),
            };
            if json_mode {
                eprintln!("{}", json!({"error": code, "message": message}));
            } else {
                eprintln!("brobygger: {message}");
            }
            std::process::exit(1);
        }
    }
}

fn vault_dir(cli: &Cli) -> PathBuf {
    cli.vault
        .clone()
        .or_else(|| std::env::var_os("BROBYGGER_VAULT").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("./brobygger-vault"))
}

/// The platform the core runs on: the file key store beside the vault, and the clock.
pub(crate) struct Ctx {
    pub dir: PathBuf,
    pub now: Option<std::time::SystemTime>,
}

impl Ctx {
    pub fn platform(&self) -> (Arc<dyn KeyStore>, Arc<dyn Clock>) {
        platform(&self.dir, self.now)
    }

    pub fn open(&self) -> Result<Arc<Vault>, CliError> {
        let (ks, clock) = self.platform();
        Ok(Vault::open(self.dir.display().to_string(), ks, clock)?)
    }

    pub fn open_unlocked(&self) -> Result<Arc<Vault>, CliError> {
        let vault = self.open()?;
        vault.unlock(read_pin("BROBYGGER_PIN", "PIN: ")?)?;
        Ok(vault)
    }

    /// "Now", as the CLI's clock says.
    pub fn now(&self) -> std::time::SystemTime {
        self.now.unwrap_or_else(std::time::SystemTime::now)
    }
}

pub(crate) fn platform(dir: &Path, now: Option<std::time::SystemTime>) -> (Arc<dyn KeyStore>, Arc<dyn Clock>) {
    (Arc::new(keystore::FileKeyStore::new(dir)), Arc::new(clock::CliClock::new(now)))
}

fn parse_now(now: Option<&str>) -> Result<Option<std::time::SystemTime>, CliError> {
    now.map(|s| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(std::time::SystemTime::from)
            .map_err(|_| CliError::Usage("--now must be an RFC 3339 instant, e.g. 2026-03-30T15:00:00Z".into()))
    })
    .transpose()
}

fn read_pin(env: &str, prompt: &str) -> Result<String, CliError> {
    if let Ok(pin) = std::env::var(env) {
        return Ok(pin);
    }
    rpassword::prompt_password(prompt).map_err(|_| CliError::Usage(format!("no PIN: set ${env} or run in a terminal")))
}

fn read_new_pin() -> Result<String, CliError> {
    if let Ok(pin) = std::env::var("BROBYGGER_NEW_PIN") {
        return Ok(pin);
    }
    let first = read_pin("BROBYGGER_NEW_PIN", "New PIN: ")?;
    let again = rpassword::prompt_password("New PIN again: ")
        .map_err(|_| CliError::Usage("no PIN: set $BROBYGGER_NEW_PIN or run in a terminal".into()))?;
    if first != again {
        return Err(CliError::Usage("the two PINs differ".into()));
    }
    Ok(first)
}

fn run(cli: Cli) -> Result<Answer, CliError> {
    let ctx = Ctx { dir: vault_dir(&cli), now: parse_now(cli.now.as_deref())? };
    let dir = ctx.dir.as_path();
    match cli.command {
        Command::Init => {
            let pin = match std::env::var("BROBYGGER_PIN") {
                Ok(p) => p,
                Err(_) => read_new_pin()?,
            };
            let (ks, clock) = ctx.platform();
            let created = create_vault(dir.display().to_string(), pin, ks, clock)?;
            Ok(answer(
                json!({"vault": dir.display().to_string(), "recovery_key": created.recovery_key}),
                format!(
                    "Vault created in {}.\nRecovery key (write it down now; it is not shown again):\n  {}\n\n\
                     Note: on a desktop the device key is a file beside the vault ({}), weaker than a phone's hardware key store.",
                    dir.display(),
                    created.recovery_key,
                    keystore::KEY_FILE
                ),
            ))
        }
        Command::Status => {
            let s = ctx.open()?.status()?;
            let text = if s.pin_disabled {
                "PIN unlock disabled after too many wrong PINs; use `brobygger recover`.".to_string()
            } else {
                format!(
                    "Vault {}: {} PIN attempts left, auto-lock after {} min, PIN KDF PBKDF2-SHA256 x {}",
                    dir.display(),
                    s.pin_attempts_left,
                    s.auto_lock_minutes,
                    s.kdf_iterations
                )
            };
            Ok(answer(status_json(&s), text))
        }
        Command::ChangePin => {
            let vault = ctx.open_unlocked()?;
            let old = read_pin("BROBYGGER_PIN", "PIN: ")?;
            vault.change_pin(old, read_new_pin()?)?;
            Ok(answer(json!({"changed": true}), "PIN changed."))
        }
        Command::Recover { recovery_key } => {
            let vault = ctx.open()?;
            vault.unlock_with_recovery_key(recovery_key, read_new_pin()?)?;
            Ok(answer(json!({"recovered": true}), "Vault opened with the recovery key; the new PIN is set."))
        }
        Command::Wipe { yes } => {
            if !yes {
                return Err(CliError::Usage("wipe destroys the vault for good; add --yes to confirm".into()));
            }
            ctx.open()?.wipe()?;
            Ok(answer(json!({"wiped": true}), format!("Vault in {} wiped.", dir.display())))
        }
        Command::Citizen(cmd) => citizen(&ctx, cmd),
        Command::Note(cmd) => note(&ctx, cmd),
        Command::Worker(cmd) => schedule::worker(&ctx, cmd),
        Command::Venue(cmd) => schedule::venue(&ctx, cmd),
        Command::Hours(cmd) => schedule::hours(&ctx, cmd),
        Command::Absence(cmd) => schedule::absence(&ctx, cmd),
        Command::Appointment(cmd) => schedule::appointment(&ctx, cmd),
        Command::Reminder(cmd) => schedule::reminder(&ctx, cmd, cli.json),
        Command::Sms(cmd) => schedule::sms(cmd),
        Command::Report(cmd) => schedule::report(&ctx, cmd),
        Command::Holidays { year } => schedule::holidays(&ctx, year),
        Command::Demo => demo::run(cli.json),
    }
}

fn blank_is_none(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| if s.trim().is_empty() { None } else { Some(s) })
}

fn citizen(ctx: &Ctx, cmd: CitizenCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    let one = |c: Citizen| answer(citizen_json(&c), citizen_text(&c));
    let many = |cs: Vec<Citizen>| {
        answer(
            Value::Array(cs.iter().map(citizen_json).collect()),
            cs.iter().map(citizen_text).collect::<Vec<_>>().join("\n"),
        )
    };
    Ok(match cmd {
        CitizenCmd::Add { name, phone, sms_consent, language, case_ref } => one(vault.add_citizen(NewCitizen {
            nickname: name,
            phone,
            sms_consent: sms_consent.map(Into::into),
            language: language.into(),
            case_reference: case_ref,
        })?),
        CitizenCmd::List => many(vault.list_citizens()?),
        CitizenCmd::Show { id } => one(vault.get_citizen(id)?),
        CitizenCmd::Edit { id, name, phone, language, case_ref } => {
            let current = vault.get_citizen(id.clone())?;
            one(vault.edit_citizen(
                id,
                CitizenEdit {
                    nickname: name.unwrap_or(current.nickname),
                    phone: blank_is_none(phone).unwrap_or(current.phone.map(|p| p.e164)),
                    language: language.map(Into::into).unwrap_or(current.language),
                    case_reference: blank_is_none(case_ref).unwrap_or(current.case_reference),
                },
            )?)
        }
        CitizenCmd::Consent { id, method } => one(vault.give_sms_consent(id, method.into())?),
        CitizenCmd::WithdrawConsent { id } => one(vault.withdraw_sms_consent(id)?),
        CitizenCmd::Find { phone } => many(vault.find_citizens_by_phone(phone)?),
        CitizenCmd::Delete { id } => {
            vault.delete_citizen(id.clone())?;
            answer(json!({"id": id, "deleted": true}), format!("Citizen {id} and their notes deleted for good."))
        }
    })
}

fn note(ctx: &Ctx, cmd: NoteCmd) -> Result<Answer, CliError> {
    let vault = ctx.open_unlocked()?;
    let one = |n: Note| answer(note_json(&n), note_text(&n, true));
    let many = |ns: Vec<Note>| {
        answer(
            Value::Array(ns.iter().map(note_json).collect()),
            ns.iter().map(|n| note_text(n, false)).collect::<Vec<_>>().join("\n"),
        )
    };
    let input = |citizen: Option<String>, text: String, topics: Vec<TopicArg>, help: Vec<HelpArg>| NoteInput {
        citizen_id: citizen,
        text,
        topics: topics.into_iter().map(Into::into).collect(),
        help_given: help.into_iter().map(Into::into).collect(),
    };
    Ok(match cmd {
        NoteCmd::Add { citizen, text, topics, help_given } => {
            one(vault.create_note(input(citizen, text, topics, help_given))?)
        }
        NoteCmd::Edit { id, text, citizen, topics, help_given } => {
            let current = vault.get_note(id.clone())?;
            let citizen = citizen.or(current.citizen_id);
            let topics = if topics.is_empty() { None } else { Some(topics) };
            let help = if help_given.is_empty() { None } else { Some(help_given) };
            let mut note = input(citizen, text, topics.unwrap_or_default(), help.clone().unwrap_or_default());
            if note.topics.is_empty() {
                note.topics = current.topics;
            }
            if help.is_none() {
                note.help_given = current.help_given;
            }
            one(vault.save_draft(id, note)?)
        }
        NoteCmd::List { citizen, limit } => many(vault.list_notes(citizen, Some(limit))?),
        NoteCmd::Show { id } => one(vault.get_note(id)?),
        NoteCmd::Search { query } => many(vault.search_notes(query)?),
        NoteCmd::Finalize { id } => one(vault.finalize_note(id)?),
        NoteCmd::Amend { id, text } => one(vault.amend_note(id, text)?),
        NoteCmd::Journalise { id, reference } => one(vault.mark_journalised(id, reference)?),
        NoteCmd::Discard { id } => {
            vault.discard_draft(id.clone())?;
            answer(json!({"id": id, "discarded": true}), format!("Draft {id} discarded."))
        }
        NoteCmd::FollowUp { note_id, text, due, owner } => {
            let f = vault.add_follow_up(note_id, FollowUpInput { text, due_date: due, owner: owner.into() })?;
            answer(follow_up_json(&f), follow_up_text(&f))
        }
        NoteCmd::Done { follow_up_id, undo } => {
            let f = vault.set_follow_up_done(follow_up_id, !undo)?;
            answer(follow_up_json(&f), follow_up_text(&f))
        }
    })
}
