//! Notes from conversations: drafts saved as typed (each save one durable transaction),
//! finalised, amended by appending, journalised with the case system's reference.
//! Text, topics, help, follow-up texts and references are sealed under the citizen's
//! key, or the general key for anonymous talks.

pub mod model;

pub use model::*;

use crate::citizens::key_of;
use crate::time::{from_millis, millis};
use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::store;
use crate::text;
use crate::vault::keyring::{Keyring, LedgerScan};
use crate::vault::{Ctx, Vault};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

const NOTES: &str = "notes";
const AMENDMENTS: &str = "note_amendments";
const FOLLOW_UPS: &str = "follow_ups";

/// Most recent notes returned when no limit is given.
pub const DEFAULT_LIST_LIMIT: u32 = 50;
pub const MAX_LIST_LIMIT: u32 = 1_000;

struct CheckedInput {
    citizen_id: Option<String>,
    text: String,
    details: Details,
}

fn check_input(input: NoteInput) -> CoreResult<CheckedInput> {
    if let Some(c) = &input.citizen_id {
        ids::check_id("citizen_id", c)?;
    }
    let text = text::clean(text::NOTE_TEXT, &input.text)?;
    let mut topics = input.topics;
    topics.sort();
    topics.dedup();
    let mut help_given = input.help_given;
    help_given.sort();
    help_given.dedup();
    Ok(CheckedInput { citizen_id: input.citizen_id, text, details: Details { topics, help_given } })
}

/// The data key a note's contents go under.
fn key_for(conn: &Connection, keys: &Keyring, citizen_id: Option<&str>) -> CoreResult<u64> {
    match citizen_id {
        Some(c) => key_of(conn, c),
        None => Ok(keys.general_key_id()),
    }
}

struct NoteRow {
    id: String,
    key_id: u64,
    state: NoteState,
}

const SELECT: &str = "SELECT id, citizen_id, key_id, state, created_at, updated_at, finalized_at, journalised_at, body, details, journal_ref FROM notes";

fn state_of(s: &str) -> CoreResult<NoteState> {
    NoteState::parse(s).ok_or(CoreError::Corrupt)
}

fn decode(conn: &Connection, keys: &mut Keyring, row: &Row<'_>) -> CoreResult<Note> {
    let id: String = row.get(0)?;
    let key_id = row.get::<_, i64>(2)? as u64;
    let text = keys.open_string(conn, key_id, Aad::new(NOTES, &id, "body"), &row.get::<_, Vec<u8>>(8)?)?;
    let raw = keys.open(conn, key_id, Aad::new(NOTES, &id, "details"), &row.get::<_, Vec<u8>>(9)?)?;
    let details: Details = serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)?;
    let journal_reference = match row.get::<_, Option<Vec<u8>>>(10)? {
        Some(s) => Some(keys.open_string(conn, key_id, Aad::new(NOTES, &id, "journal_ref"), &s)?),
        None => None,
    };
    let amendments = load_amendments(conn, keys, &id, key_id)?;
    let follow_ups = load_follow_ups(conn, keys, &id, key_id)?;
    Ok(Note {
        citizen_id: row.get(1)?,
        state: state_of(&row.get::<_, String>(3)?)?,
        created_at: from_millis(row.get(4)?)?,
        updated_at: from_millis(row.get(5)?)?,
        finalized_at: row.get::<_, Option<i64>>(6)?.map(from_millis).transpose()?,
        journalised_at: row.get::<_, Option<i64>>(7)?.map(from_millis).transpose()?,
        text,
        topics: details.topics,
        help_given: details.help_given,
        journal_reference,
        amendments,
        follow_ups,
        id,
    })
}

fn load_amendments(conn: &Connection, keys: &mut Keyring, note_id: &str, key_id: u64) -> CoreResult<Vec<Amendment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at, body FROM note_amendments WHERE note_id = ?1 ORDER BY created_at, rowid",
    )?;
    let mut rows = stmt.query([note_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let text = keys.open_string(conn, key_id, Aad::new(AMENDMENTS, &id, "body"), &r.get::<_, Vec<u8>>(2)?)?;
        out.push(Amendment { created_at: from_millis(r.get(1)?)?, id, text });
    }
    Ok(out)
}

fn decode_follow_up(conn: &Connection, keys: &mut Keyring, key_id: u64, r: &Row<'_>) -> CoreResult<FollowUp> {
    let id: String = r.get(0)?;
    let text = keys.open_string(conn, key_id, Aad::new(FOLLOW_UPS, &id, "body"), &r.get::<_, Vec<u8>>(6)?)?;
    let due_date = match r.get::<_, Option<String>>(3)? {
        Some(d) => Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| CoreError::Corrupt)?),
        None => None,
    };
    Ok(FollowUp {
        note_id: r.get(1)?,
        created_at: from_millis(r.get(2)?)?,
        due_date,
        owner: WorkerRole::parse(&r.get::<_, String>(4)?).ok_or(CoreError::Corrupt)?,
        done_at: r.get::<_, Option<i64>>(5)?.map(from_millis).transpose()?,
        text,
        id,
    })
}

const SELECT_FOLLOW_UP: &str = "SELECT id, note_id, created_at, due_date, owner_role, done_at, body FROM follow_ups";

fn load_follow_ups(conn: &Connection, keys: &mut Keyring, note_id: &str, key_id: u64) -> CoreResult<Vec<FollowUp>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT_FOLLOW_UP} WHERE note_id = ?1 ORDER BY created_at, rowid"))?;
    let mut rows = stmt.query([note_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode_follow_up(conn, keys, key_id, r)?);
    }
    Ok(out)
}

fn note_row(conn: &Connection, id: &str) -> CoreResult<NoteRow> {
    ids::check_id("note_id", id)?;
    conn.query_row("SELECT key_id, state FROM notes WHERE id = ?1", [id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })
    .optional()?
    .map(|(k, s)| Ok(NoteRow { id: id.to_string(), key_id: k as u64, state: state_of(&s)? }))
    .unwrap_or(Err(CoreError::NotFound { what: "note" }))
}

fn load(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Note> {
    ids::check_id("note_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => decode(conn, keys, row),
        None => Err(CoreError::NotFound { what: "note" }),
    }
}

fn seal_body(
    conn: &Connection,
    keys: &mut Keyring,
    key_id: u64,
    id: &str,
    input: &CheckedInput,
) -> CoreResult<(Vec<u8>, Vec<u8>)> {
    let body = keys.seal(conn, key_id, Aad::new(NOTES, id, "body"), input.text.as_bytes())?;
    let details =
        serde_json::to_vec(&input.details).map_err(|_| CoreError::Internal { reason: "encode note details" })?;
    let details = keys.seal(conn, key_id, Aad::new(NOTES, id, "details"), &details)?;
    Ok((body, details))
}

impl Vault {
    /// Starts a draft. Returns it as stored.
    pub fn create_note(&self, input: NoteInput) -> CoreResult<Note> {
        let input = check_input(input)?;
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let key_id = key_for(tx, keys, input.citizen_id.as_deref())?;
                let (body, details) = seal_body(tx, keys, key_id, &id, &input)?;
                tx.execute(
                    "INSERT INTO notes (id, citizen_id, key_id, state, created_at, updated_at, body, details)
                     VALUES (?1, ?2, ?3, 'draft', ?4, ?4, ?5, ?6)",
                    params![id, input.citizen_id, key_id as i64, now, body, details],
                )?;
                Ok(())
            })?;
            load(ctx.conn, ctx.keys, &id)
        })
    }

    /// Saves the draft as it stands now. Durable when this returns: a crash afterwards
    /// loses nothing of it. Moving a draft to another citizen (or to anonymous) re-seals
    /// it, and its follow-ups, under the new key.
    pub fn save_draft(&self, id: &str, input: NoteInput) -> CoreResult<Note> {
        let input = check_input(input)?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let row = note_row(tx, id)?;
                if row.state != NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "only drafts can be edited; add an amendment instead" });
                }
                let key_id = key_for(tx, keys, input.citizen_id.as_deref())?;
                let (body, details) = seal_body(tx, keys, key_id, id, &input)?;
                tx.execute(
                    "UPDATE notes SET citizen_id = ?2, key_id = ?3, updated_at = ?4, body = ?5, details = ?6 WHERE id = ?1",
                    params![id, input.citizen_id, key_id as i64, now, body, details],
                )?;
                if key_id != row.key_id {
                    reseal_follow_ups(tx, keys, id, row.key_id, key_id)?;
                }
                Ok(())
            })?;
            load(ctx.conn, ctx.keys, id)
        })
    }

    /// Throws a draft away. Final notes cannot be deleted this way.
    pub fn discard_draft(&self, id: &str) -> CoreResult<()> {
        self.with_session(|ctx| {
            store::write_tx(ctx.conn, |tx| {
                if note_row(tx, id)?.state != NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "only drafts can be discarded" });
                }
                tx.execute("DELETE FROM notes WHERE id = ?1", [id])?;
                Ok(())
            })
        })
    }

    /// Makes a draft final: no further edits, only appended amendments.
    pub fn finalize_note(&self, id: &str) -> CoreResult<Note> {
        self.with_session(|ctx| {
            let note = load(ctx.conn, ctx.keys, id)?;
            if note.state != NoteState::Draft {
                return Err(CoreError::InvalidState { reason: "the note is already final" });
            }
            if note.text.is_empty() {
                return Err(CoreError::invalid("text", "a note cannot be finalised empty"));
            }
            let now = millis(ctx.now);
            ctx.conn.execute(
                "UPDATE notes SET state = 'final', finalized_at = ?2, updated_at = ?2 WHERE id = ?1 AND state = 'draft'",
                params![id, now],
            )?;
            load(ctx.conn, ctx.keys, id)
        })
    }

    /// Appends an amendment to a final (or journalised) note.
    pub fn amend_note(&self, id: &str, amendment: &str) -> CoreResult<Note> {
        let amendment = text::clean(text::AMENDMENT, amendment)?;
        let amendment_id = ids::new_id()?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let row = note_row(tx, id)?;
                if row.state == NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "drafts are edited, not amended" });
                }
                let body =
                    keys.seal(tx, row.key_id, Aad::new(AMENDMENTS, &amendment_id, "body"), amendment.as_bytes())?;
                tx.execute(
                    "INSERT INTO note_amendments (id, note_id, created_at, body) VALUES (?1, ?2, ?3, ?4)",
                    params![amendment_id, row.id, now, body],
                )?;
                tx.execute("UPDATE notes SET updated_at = ?2 WHERE id = ?1", params![row.id, now])?;
                Ok(())
            })?;
            load(ctx.conn, ctx.keys, id)
        })
    }

    /// Records that a final note was copied into the municipal case system under `reference`.
    pub fn mark_journalised(&self, id: &str, reference: &str) -> CoreResult<Note> {
        let reference = text::clean(text::JOURNAL_REFERENCE, reference)?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let row = note_row(tx, id)?;
                if row.state != NoteState::Final {
                    return Err(CoreError::InvalidState { reason: "only final notes can be journalised" });
                }
                let sealed = keys.seal(tx, row.key_id, Aad::new(NOTES, id, "journal_ref"), reference.as_bytes())?;
                tx.execute(
                    "UPDATE notes SET state = 'journalised', journalised_at = ?2, updated_at = ?2, journal_ref = ?3 WHERE id = ?1",
                    params![id, now, sealed],
                )?;
                Ok(())
            })?;
            load(ctx.conn, ctx.keys, id)
        })
    }

    pub fn get_note(&self, id: &str) -> CoreResult<Note> {
        self.with_session(|ctx| load(ctx.conn, ctx.keys, id))
    }

    /// The most recently changed notes, newest first; one citizen's when `citizen_id` is given.
    pub fn list_notes(&self, citizen_id: Option<&str>, limit: Option<u32>) -> CoreResult<Vec<Note>> {
        let limit = limit.unwrap_or(DEFAULT_LIST_LIMIT);
        if limit == 0 || limit > MAX_LIST_LIMIT {
            return Err(CoreError::invalid("limit", "must be between 1 and 1000"));
        }
        self.with_session(|ctx| {
            let conn: &Connection = ctx.conn;
            let (sql, args): (String, Vec<&dyn rusqlite::ToSql>) = match &citizen_id {
                Some(c) => {
                    key_of(conn, c)?;
                    (format!("{SELECT} WHERE citizen_id = ?1 ORDER BY updated_at DESC, id LIMIT ?2"), vec![c, &limit])
                }
                None => (format!("{SELECT} ORDER BY updated_at DESC, id LIMIT ?1"), vec![&limit]),
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(args.as_slice())?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(decode(conn, ctx.keys, row)?);
            }
            Ok(out)
        })
    }

    /// Finds notes whose text or amendments contain `query`, ignoring case and Unicode
    /// form ("ÆRØ" finds "ærø"). The text is sealed, so this opens every note in memory;
    /// nothing decrypted is written anywhere. Newest first.
    pub fn search_notes(&self, query: &str) -> CoreResult<Vec<Note>> {
        let needle = text::fold(&text::clean(text::SEARCH_QUERY, query)?);
        self.with_session(|ctx| search(ctx, &needle))
    }

    /// Adds a follow-up task to a note (draft or final: tasks are work, not the record).
    pub fn add_follow_up(&self, note_id: &str, input: FollowUpInput) -> CoreResult<FollowUp> {
        let body = text::clean(text::FOLLOW_UP, &input.text)?;
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            let key_id = store::write_tx(ctx.conn, |tx| {
                let row = note_row(tx, note_id)?;
                let sealed = keys.seal(tx, row.key_id, Aad::new(FOLLOW_UPS, &id, "body"), body.as_bytes())?;
                tx.execute(
                    "INSERT INTO follow_ups (id, note_id, created_at, due_date, owner_role, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        id,
                        note_id,
                        now,
                        input.due_date.map(|d| d.format("%Y-%m-%d").to_string()),
                        input.owner.as_str(),
                        sealed
                    ],
                )?;
                Ok(row.key_id)
            })?;
            load_follow_up(ctx, key_id, &id)
        })
    }

    /// Marks a follow-up done (or not done again).
    pub fn set_follow_up_done(&self, follow_up_id: &str, done: bool) -> CoreResult<FollowUp> {
        ids::check_id("follow_up_id", follow_up_id)?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let changed = ctx.conn.execute(
                "UPDATE follow_ups SET done_at = CASE WHEN ?2 THEN coalesce(done_at, ?3) ELSE NULL END WHERE id = ?1",
                params![follow_up_id, done, now],
            )?;
            if changed == 0 {
                return Err(CoreError::NotFound { what: "follow-up" });
            }
            let key_id: i64 = ctx.conn.query_row(
                "SELECT n.key_id FROM follow_ups f JOIN notes n ON n.id = f.note_id WHERE f.id = ?1",
                [follow_up_id],
                |r| r.get(0),
            )?;
            load_follow_up(ctx, key_id as u64, follow_up_id)
        })
    }
}

fn load_follow_up(ctx: &mut Ctx<'_>, key_id: u64, id: &str) -> CoreResult<FollowUp> {
    let conn: &Connection = ctx.conn;
    let mut stmt = conn.prepare_cached(&format!("{SELECT_FOLLOW_UP} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode_follow_up(conn, ctx.keys, key_id, r),
        None => Err(CoreError::NotFound { what: "follow-up" }),
    }
}

fn reseal_follow_ups(conn: &Connection, keys: &mut Keyring, note_id: &str, from: u64, to: u64) -> CoreResult<()> {
    let mut sealed = Vec::new();
    {
        let mut stmt = conn.prepare_cached("SELECT id, body FROM follow_ups WHERE note_id = ?1")?;
        let mut rows = stmt.query([note_id])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let text = keys.open(conn, from, Aad::new(FOLLOW_UPS, &id, "body"), &r.get::<_, Vec<u8>>(1)?)?;
            let body = keys.seal(conn, to, Aad::new(FOLLOW_UPS, &id, "body"), &text)?;
            sealed.push((id, body));
        }
    }
    for (id, body) in sealed {
        conn.execute("UPDATE follow_ups SET body = ?2 WHERE id = ?1", params![id, body])?;
    }
    Ok(())
}

fn search(ctx: &mut Ctx<'_>, needle: &str) -> CoreResult<Vec<Note>> {
    let conn: &Connection = ctx.conn;
    let mut hits: Vec<String> = Vec::new();
    let mut folded = Vec::new();
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    {
        // The seal ledger in one query, rather than one look-up per note.
        let mut ledger = LedgerScan::new(NOTES, "body");
        let mut stmt = conn.prepare_cached("SELECT id, key_id, body FROM notes")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let text = ctx.keys.open_in_scan(
                conn,
                &mut ledger,
                r.get::<_, i64>(1)? as u64,
                Aad::new(NOTES, &id, "body"),
                r.get_ref(2)?.as_blob().map_err(|_| CoreError::Corrupt)?,
            )?;
            if matches(&text, &finder, &mut folded) {
                hits.push(id);
            }
        }
    }
    {
        let mut ledger = LedgerScan::new(AMENDMENTS, "body");
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.note_id, n.key_id, a.body FROM note_amendments a JOIN notes n ON n.id = a.note_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let note_id: String = r.get(1)?;
            if hits.contains(&note_id) {
                continue;
            }
            let text = ctx.keys.open_in_scan(
                conn,
                &mut ledger,
                r.get::<_, i64>(2)? as u64,
                Aad::new(AMENDMENTS, &id, "body"),
                r.get_ref(3)?.as_blob().map_err(|_| CoreError::Corrupt)?,
            )?;
            if matches(&text, &finder, &mut folded) {
                hits.push(note_id);
            }
        }
    }
    let mut notes = hits.iter().map(|id| load(conn, ctx.keys, id)).collect::<CoreResult<Vec<_>>>()?;
    notes.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| a.id.cmp(&b.id)));
    Ok(notes)
}

fn matches(plaintext: &[u8], needle: &memchr::memmem::Finder<'_>, folded: &mut Vec<u8>) -> bool {
    text::fold_into(plaintext, folded) && needle.find(folded).is_some()
}
