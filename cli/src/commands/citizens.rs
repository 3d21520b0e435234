//! Citizens: register, look up, edit, SMS consent, overview, delete.

use crate::app::{answer, CliError, Ctx, Reply};
use crate::codes::parser;
use crate::directory::Directory;
use crate::show::*;
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum CitizenCmd {
    /// Register a citizen (only a nickname is required)
    Add {
        #[arg(long)]
        name: String,
        /// Any common way of writing it; Danish without a country code
        #[arg(long)]
        phone: Option<String>,
        /// Consent to SMS given now, in this way
        #[arg(long, value_name = "HOW", value_parser = parser::<ConsentMethod>())]
        sms_consent: Option<ConsentMethod>,
        #[arg(long, default_value = "da", value_parser = parser::<SmsLanguage>())]
        language: SmsLanguage,
        #[arg(long)]
        case_ref: Option<String>,
    },
    /// All citizens, by nickname (Danish order)
    List,
    /// One citizen's details
    Show { id: String },
    /// A citizen's overview: details, reminders, next appointments, latest notes, follow-ups
    Overview { id: String },
    /// Replace a citizen's editable fields (omitted ones are kept)
    Edit {
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// New number; "" removes it
        #[arg(long)]
        phone: Option<String>,
        #[arg(long, value_parser = parser::<SmsLanguage>())]
        language: Option<SmsLanguage>,
        /// New case reference; "" removes it
        #[arg(long)]
        case_ref: Option<String>,
    },
    /// Record SMS consent given now
    Consent {
        id: String,
        #[arg(long, value_name = "HOW", value_parser = parser::<ConsentMethod>())]
        method: ConsentMethod,
    },
    /// Withdraw SMS consent
    WithdrawConsent { id: String },
    /// Everything recorded about a citizen as one HTML document, for an access request
    /// (written to a new file, 0600; audited)
    Export {
        id: String,
        /// The document; refused if it exists
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// The document's language [default: the citizen's]
        #[arg(long, alias = "language", value_parser = parser::<Language>())]
        lang: Option<Language>,
    },
    /// Find citizens by phone number
    Find {
        #[arg(long)]
        phone: String,
    },
    /// Delete a citizen and all their notes beyond recovery
    Delete {
        id: String,
        /// Confirm; nothing of the citizen can be recovered afterwards
        #[arg(long)]
        yes: bool,
    },
}

fn blank_is_none(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| if s.trim().is_empty() { None } else { Some(s) })
}

pub fn run(ctx: &Ctx, cmd: CitizenCmd) -> Reply {
    if let CitizenCmd::Delete { yes: false, .. } = cmd {
        return Err(CliError::Usage(
            "citizen delete removes the citizen and all their notes for good; add --yes to confirm".into(),
        ));
    }
    if let CitizenCmd::Export { out, .. } = &cmd {
        // Refused before the PIN is asked for: nothing is exported for a file that cannot be written.
        super::lifecycle::check_new_file(out, "--out")?;
    }
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let one = |c: Citizen| answer(citizen_json(&c), citizen_text(&c));
    Ok(match cmd {
        CitizenCmd::Add { name, phone, sms_consent, language, case_ref } => one(vault.add_citizen(NewCitizen {
            nickname: name,
            phone,
            sms_consent,
            language,
            case_reference: case_ref,
        })?),
        CitizenCmd::List => {
            let l = vault.list_citizens()?;
            answer(citizen_list_json(&l), citizen_list_text(&l))
        }
        CitizenCmd::Show { id } => one(vault.get_citizen(d.citizen(&id, "ID")?)?),
        CitizenCmd::Overview { id } => {
            let o = vault.citizen_overview(d.citizen(&id, "ID")?)?;
            answer(overview_json(&o), overview_text(&o))
        }
        CitizenCmd::Edit { id, name, phone, language, case_ref } => {
            let id = d.citizen(&id, "ID")?;
            let current = vault.get_citizen(id.clone())?;
            one(vault.edit_citizen(
                id,
                CitizenEdit {
                    nickname: name.unwrap_or(current.nickname),
                    phone: blank_is_none(phone).unwrap_or(current.phone.map(|p| p.e164)),
                    language: language.unwrap_or(current.language),
                    case_reference: blank_is_none(case_ref).unwrap_or(current.case_reference),
                },
            )?)
        }
        CitizenCmd::Consent { id, method } => one(vault.give_sms_consent(d.citizen(&id, "ID")?, method)?),
        CitizenCmd::WithdrawConsent { id } => one(vault.withdraw_sms_consent(d.citizen(&id, "ID")?)?),
        CitizenCmd::Find { phone } => {
            let found = vault.find_citizens_by_phone(phone)?;
            answer(
                Value::Array(found.iter().map(citizen_json).collect()),
                if found.is_empty() {
                    "No citizen has this number.".into()
                } else {
                    found.iter().map(citizen_line).collect::<Vec<_>>().join("\n")
                },
            )
        }
        CitizenCmd::Export { id, out, lang } => super::lifecycle::export(&vault, &d.citizen(&id, "ID")?, &out, lang)?,
        CitizenCmd::Delete { id, .. } => {
            let id = d.citizen(&id, "ID")?;
            let name = d.citizen_name(Some(&id));
            vault.delete_citizen(id.clone())?;
            answer(
                json!({"id": id, "deleted": true}),
                format!(
                    "{} and their notes are deleted for good.",
                    name.unwrap_or_else(|| format!("Citizen {}", short(&id)))
                ),
            )
        }
    })
}
