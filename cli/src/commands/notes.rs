//! Notes: drafts saved as typed, final notes with amendments, journal references,
//! follow-ups, paged lists and search.

use crate::app::{answer, Ctx, Reply};
use crate::codes::parser;
use crate::directory::Directory;
use crate::show::*;
use crate::times::{parse_date, parse_instant};
use brobygger_ffi::*;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum NoteCmd {
    /// Start a note (a draft until finalized)
    Add {
        /// Leave out for an anonymous conversation
        #[arg(long)]
        citizen: Option<String>,
        #[arg(long)]
        text: String,
        #[arg(long = "topic", value_name = "T", value_parser = parser::<Topic>())]
        topics: Vec<Topic>,
        #[arg(long = "help-given", value_name = "H", value_parser = parser::<HelpGiven>())]
        help_given: Vec<HelpGiven>,
        /// When the conversation took place [default: now]: YYYY-MM-DDTHH:MM in Copenhagen, or RFC 3339
        #[arg(long, value_name = "TIME")]
        occurred_at: Option<String>,
    },
    /// Save a draft again with new text (omitted topics, help given, citizen and time are kept)
    Edit {
        id: String,
        #[arg(long)]
        text: String,
        #[arg(long)]
        citizen: Option<String>,
        #[arg(long = "topic", value_name = "T", value_parser = parser::<Topic>())]
        topics: Vec<Topic>,
        #[arg(long = "help-given", value_name = "H", value_parser = parser::<HelpGiven>())]
        help_given: Vec<HelpGiven>,
        #[arg(long, value_name = "TIME")]
        occurred_at: Option<String>,
    },
    /// A page of notes, newest conversation first
    List {
        #[arg(long)]
        citizen: Option<String>,
        /// Notes per page (1–1000)
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Where the previous page ended (its "next_cursor")
        #[arg(long)]
        cursor: Option<String>,
    },
    /// The whole note, with amendments and follow-ups
    Show { id: String },
    /// A page of notes matching QUERY in text, amendments, follow-ups or journal reference
    /// (case and accents ignored), newest first
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        cursor: Option<String>,
    },
    /// How many notes match QUERY
    Count { query: String },
    /// Make a draft final (no more edits; amendments only)
    Finalize { id: String },
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
    Discard { id: String },
    /// Add a follow-up task to a note
    FollowUp {
        note_id: String,
        #[arg(long)]
        text: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
        #[arg(long, default_value = "caseworker", value_parser = parser::<WorkerRole>())]
        owner: WorkerRole,
    },
    /// Mark a follow-up done (--undo to reopen)
    Done {
        id: String,
        #[arg(long)]
        undo: bool,
    },
}

fn citizen_opt(d: &Directory, raw: Option<String>) -> Result<Option<String>, crate::app::CliError> {
    raw.map(|c| d.citizen(&c, "--citizen")).transpose()
}

pub fn run(ctx: &Ctx, cmd: NoteCmd) -> Reply {
    let vault = ctx.unlocked()?;
    let d = Directory::new(&vault);
    let one = |n: Note| {
        let name = d.citizen_name(n.citizen_id.as_deref());
        answer(note_json(&n, name.as_deref()), note_text(&n, name.as_deref()))
    };
    let saved = |s: NoteSaved| answer(saved_json(&s), saved_text(&s));
    let occurred = |t: Option<String>| t.map(|t| parse_instant(&t, "--occurred-at")).transpose();
    Ok(match cmd {
        NoteCmd::Add { citizen, text, topics, help_given, occurred_at } => saved(vault.create_note(NoteInput {
            citizen_id: citizen_opt(&d, citizen)?,
            text,
            topics,
            help_given,
            occurred_at: occurred(occurred_at)?,
        })?),
        NoteCmd::Edit { id, text, citizen, topics, help_given, occurred_at } => {
            let id = d.note(&id, "ID")?;
            let current = vault.get_note(id.clone())?;
            let citizen = match citizen {
                Some(c) => Some(d.citizen(&c, "--citizen")?),
                None => current.citizen_id,
            };
            saved(vault.save_draft(
                id,
                NoteInput {
                    citizen_id: citizen,
                    text,
                    topics: if topics.is_empty() { current.topics } else { topics },
                    help_given: if help_given.is_empty() { current.help_given } else { help_given },
                    occurred_at: occurred(occurred_at)?,
                },
            )?)
        }
        NoteCmd::List { citizen, limit, cursor } => {
            let citizen = citizen_opt(&d, citizen)?;
            let next = match &citizen {
                Some(c) => format!("brobygger note list --citizen {} --limit {limit}", short(c)),
                None => format!("brobygger note list --limit {limit}"),
            };
            let page = vault.list_notes(citizen, Some(limit), cursor)?;
            answer(page_json(&page), page_text(&page, &next))
        }
        NoteCmd::Show { id } => one(vault.get_note(d.note(&id, "ID")?)?),
        NoteCmd::Search { query, limit, cursor } => {
            let next = format!("brobygger note search {} --limit {limit}", shell_word(&query));
            let page = vault.search_notes(query, Some(limit), cursor)?;
            answer(page_json(&page), page_text(&page, &next))
        }
        NoteCmd::Count { query } => {
            let c = vault.count_note_matches(query)?;
            let mut text = format!("{} note(s) match.", c.matches);
            if c.unreadable > 0 {
                text.push_str(&format!(" {} could not be opened (damaged or tampered).", c.unreadable));
            }
            answer(json!({"matches": c.matches, "unreadable": c.unreadable}), text)
        }
        NoteCmd::Finalize { id } => one(vault.finalize_note(d.note(&id, "ID")?)?),
        NoteCmd::Amend { id, text } => one(vault.amend_note(d.note(&id, "ID")?, text)?),
        NoteCmd::Journalise { id, reference } => one(vault.mark_journalised(d.note(&id, "ID")?, reference)?),
        NoteCmd::Discard { id } => {
            let id = d.note(&id, "ID")?;
            vault.discard_draft(id.clone())?;
            answer(json!({"id": id, "discarded": true}), format!("Draft {} discarded.", short(&id)))
        }
        NoteCmd::FollowUp { note_id, text, due, owner } => {
            let note_id = d.note(&note_id, "NOTE_ID")?;
            let due_date = due.map(|s| parse_date(&s, "--due")).transpose()?;
            let f = vault.add_follow_up(note_id, FollowUpInput { text, due_date, owner })?;
            answer(follow_up_json(&f), follow_up_text(&f))
        }
        NoteCmd::Done { id, undo } => {
            let f = vault.set_follow_up_done(d.follow_up(&id, "ID")?, !undo)?;
            answer(follow_up_json(&f), follow_up_text(&f))
        }
    })
}

/// A query as it can be typed back into a shell.
fn shell_word(s: &str) -> String {
    if s.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
