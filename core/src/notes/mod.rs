//! Notes from conversations: drafts saved as typed (each save one durable transaction),
//! finalised, amended by appending, journalised with the case system's reference. Text,
//! topics, help, follow-up texts and references are sealed under the citizen's key, or the
//! general key for anonymous talks.
//!
//! Lists and searches return pages of summaries, newest conversation first, walking the
//! `notes_by_occurred` index and stopping as soon as the page is full: one page of decrypted
//! text is held at a time, and the cost of a page does not grow with the vault. A row that
//! does not open (tampered or damaged) is counted in the page's `unreadable`, not fatal.
//!
//! Integrity: a body's ledger entry binds the note's citizen, key, state, conversation time
//! and number of amendments (`vault::keyring::NOTE_BODY_BOUND`), so moving a note to another
//! citizen, turning a final note back into a draft or deleting an amendment is caught.

pub mod model;
pub mod page;

pub use model::*;
pub use page::{NoteCount, NotePage, NoteSaved, NoteSummary};

use crate::citizens::key_of;
use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::store;
use crate::text;
use crate::time::{date_from_sql, date_to_sql, from_millis, millis};
use crate::vault::keyring::{Bound, Keyring};
use crate::vault::{Ctx, Vault};
use chrono::{DateTime, Duration, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, Row};

pub(crate) const NOTES: &str = "notes";
pub(crate) const AMENDMENTS: &str = "note_amendments";
pub(crate) const FOLLOW_UPS: &str = "follow_ups";

/// Most recent notes returned when no limit is given.
pub const DEFAULT_LIST_LIMIT: u32 = 50;
pub const MAX_LIST_LIMIT: u32 = 1_000;
/// How far ahead of the clock a conversation time may lie (a phone clock a little behind).
const OCCURRED_SLACK: Duration = Duration::minutes(10);

struct CheckedInput {
    citizen_id: Option<String>,
    text: String,
    details: Details,
    occurred_at: Option<DateTime<Utc>>,
}

fn check_input(input: NoteInput) -> CoreResult<CheckedInput> {
    if let Some(c) = &input.citizen_id {
        ids::check_id("citizen_id", c)?;
    }
    let text = text::clean(text::NOTE_TEXT, &input.text)?;
    if let Some(t) = input.occurred_at {
        crate::time::check_date("occurred_at", t.date_naive())?;
    }
    let mut topics = input.topics;
    topics.sort();
    topics.dedup();
    let mut help_given = input.help_given;
    help_given.sort();
    help_given.dedup();
    Ok(CheckedInput {
        citizen_id: input.citizen_id,
        text,
        details: Details { topics, help_given },
        occurred_at: input.occurred_at,
    })
}

fn check_occurred(t: DateTime<Utc>, now: DateTime<Utc>) -> CoreResult<DateTime<Utc>> {
    if t > now + OCCURRED_SLACK {
        return Err(CoreError::invalid("occurred_at", "lies in the future"));
    }
    Ok(t)
}

/// The data key a note's contents go under.
fn key_for(conn: &Connection, keys: &Keyring, citizen_id: Option<&str>) -> CoreResult<u64> {
    match citizen_id {
        Some(c) => key_of(conn, c),
        None => Ok(keys.general_key_id()),
    }
}

/// The plain columns of a note row that its sealed columns bind.
#[derive(Clone)]
pub(crate) struct Header {
    pub id: String,
    pub citizen_id: Option<String>,
    pub key_id: u64,
    pub state: NoteState,
    pub occurred_at: i64,
    pub amendment_count: i64,
}

impl Header {
    const SQL: &'static str = "id, citizen_id, key_id, state, occurred_at, amendment_count";

    /// Reads the header from columns `at..at+6` of a row selected with [`Header::SQL`].
    fn read(r: &Row<'_>, at: usize) -> CoreResult<Self> {
        Ok(Header {
            id: r.get(at)?,
            citizen_id: r.get(at + 1)?,
            key_id: r.get::<_, i64>(at + 2)? as u64,
            state: state_of(&r.get::<_, String>(at + 3)?)?,
            occurred_at: r.get(at + 4)?,
            amendment_count: r.get(at + 5)?,
        })
    }

    fn with_body<T>(&self, f: impl FnOnce(Bound<'_>) -> T) -> T {
        let v = [
            self.citizen_id.as_deref().map_or(ValueRef::Null, |c| ValueRef::Text(c.as_bytes())),
            ValueRef::Integer(self.key_id as i64),
            ValueRef::Text(self.state.as_str().as_bytes()),
            ValueRef::Integer(self.occurred_at),
            ValueRef::Integer(self.amendment_count),
        ];
        f(Bound(&v))
    }

    fn with_key<T>(&self, f: impl FnOnce(Bound<'_>) -> T) -> T {
        let v = [ValueRef::Integer(self.key_id as i64)];
        f(Bound(&v))
    }

    fn with_journal<T>(&self, f: impl FnOnce(Bound<'_>) -> T) -> T {
        let v = [ValueRef::Integer(self.key_id as i64), ValueRef::Text(self.state.as_str().as_bytes())];
        f(Bound(&v))
    }

    fn body_aad(&self) -> Aad<'_> {
        Aad::new(NOTES, &self.id, "body")
    }
}

fn state_of(s: &str) -> CoreResult<NoteState> {
    NoteState::parse(s).ok_or(CoreError::Corrupt)
}

fn header(conn: &Connection, id: &str) -> CoreResult<Header> {
    ids::check_id("note_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("SELECT {} FROM notes WHERE id = ?1", Header::SQL))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => Header::read(r, 0),
        None => Err(CoreError::NotFound { what: "note" }),
    }
}

/// Opens a note's body with its header's binding.
pub(crate) fn open_body(
    conn: &Connection,
    keys: &mut Keyring,
    h: &Header,
    sealed: &[u8],
    recorded: Option<&[u8]>,
) -> CoreResult<zeroize::Zeroizing<Vec<u8>>> {
    h.with_body(|b| match recorded {
        Some(mac) => keys.open_with_mac(conn, h.key_id, h.body_aad(), b, sealed, Some(mac)),
        None => keys.open(conn, h.key_id, h.body_aad(), b, sealed),
    })
}

pub(crate) fn open_details(conn: &Connection, keys: &mut Keyring, h: &Header, sealed: &[u8]) -> CoreResult<Details> {
    let raw = h.with_key(|b| keys.open(conn, h.key_id, Aad::new(NOTES, &h.id, "details"), b, sealed))?;
    serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)
}

fn open_journal_ref(conn: &Connection, keys: &mut Keyring, h: &Header, sealed: &[u8]) -> CoreResult<String> {
    h.with_journal(|b| keys.open_string(conn, h.key_id, Aad::new(NOTES, &h.id, "journal_ref"), b, sealed))
}

pub(crate) fn open_amendment(
    conn: &Connection,
    keys: &mut Keyring,
    key_id: u64,
    note_id: &str,
    id: &str,
    sealed: &[u8],
) -> CoreResult<String> {
    let b = [ValueRef::Text(note_id.as_bytes())];
    keys.open_string(conn, key_id, Aad::new(AMENDMENTS, id, "body"), Bound(&b), sealed)
}

pub(crate) fn open_follow_up(
    conn: &Connection,
    keys: &mut Keyring,
    key_id: u64,
    note_id: &str,
    id: &str,
    sealed: &[u8],
) -> CoreResult<String> {
    let b = [ValueRef::Text(note_id.as_bytes())];
    keys.open_string(conn, key_id, Aad::new(FOLLOW_UPS, id, "body"), Bound(&b), sealed)
}

const SELECT: &str = "SELECT id, citizen_id, key_id, state, occurred_at, amendment_count,
    created_at, updated_at, finalized_at, journalised_at, body, details, journal_ref FROM notes";

fn decode(conn: &Connection, keys: &mut Keyring, row: &Row<'_>) -> CoreResult<Note> {
    let h = Header::read(row, 0)?;
    let body = open_body(conn, keys, &h, row.get_ref(10)?.as_blob().map_err(|_| CoreError::Corrupt)?, None)?;
    let text = String::from_utf8(body.to_vec()).map_err(|_| CoreError::Tampered)?;
    let details = open_details(conn, keys, &h, row.get_ref(11)?.as_blob().map_err(|_| CoreError::Corrupt)?)?;
    let journal_reference = match row.get::<_, Option<Vec<u8>>>(12)? {
        Some(s) => Some(open_journal_ref(conn, keys, &h, &s)?),
        None => None,
    };
    let amendments = load_amendments(conn, keys, &h)?;
    // The count is bound into the body's ledger entry: a deleted amendment shows here.
    if amendments.len() as i64 != h.amendment_count {
        return Err(CoreError::Tampered);
    }
    let follow_ups = load_follow_ups(conn, keys, &h.id, h.key_id)?;
    Ok(Note {
        occurred_at: from_millis(h.occurred_at)?,
        created_at: from_millis(row.get(6)?)?,
        updated_at: from_millis(row.get(7)?)?,
        finalized_at: row.get::<_, Option<i64>>(8)?.map(from_millis).transpose()?,
        journalised_at: row.get::<_, Option<i64>>(9)?.map(from_millis).transpose()?,
        text,
        topics: details.topics,
        help_given: details.help_given,
        journal_reference,
        amendments,
        follow_ups,
        citizen_id: h.citizen_id,
        state: h.state,
        id: h.id,
    })
}

fn load_amendments(conn: &Connection, keys: &mut Keyring, h: &Header) -> CoreResult<Vec<Amendment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at, body FROM note_amendments WHERE note_id = ?1 ORDER BY created_at, rowid",
    )?;
    let mut rows = stmt.query([&h.id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let text = open_amendment(conn, keys, h.key_id, &h.id, &id, &r.get::<_, Vec<u8>>(2)?)?;
        out.push(Amendment { created_at: from_millis(r.get(1)?)?, id, text });
    }
    Ok(out)
}

pub(crate) const SELECT_FOLLOW_UP: &str =
    "SELECT f.id, f.note_id, f.created_at, f.due_date, f.owner_role, f.done_at, f.body, n.key_id FROM follow_ups f
     JOIN notes n ON n.id = f.note_id";

pub(crate) fn decode_follow_up(conn: &Connection, keys: &mut Keyring, r: &Row<'_>) -> CoreResult<FollowUp> {
    let id: String = r.get(0)?;
    let note_id: String = r.get(1)?;
    let key_id = r.get::<_, i64>(7)? as u64;
    let text = open_follow_up(conn, keys, key_id, &note_id, &id, &r.get::<_, Vec<u8>>(6)?)?;
    Ok(FollowUp {
        created_at: from_millis(r.get(2)?)?,
        due_date: r.get::<_, Option<String>>(3)?.as_deref().map(date_from_sql).transpose()?,
        owner: crate::worker::WorkerRole::parse(&r.get::<_, String>(4)?).ok_or(CoreError::Corrupt)?,
        done_at: r.get::<_, Option<i64>>(5)?.map(from_millis).transpose()?,
        text,
        note_id,
        id,
    })
}

fn load_follow_ups(conn: &Connection, keys: &mut Keyring, note_id: &str, _key_id: u64) -> CoreResult<Vec<FollowUp>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT_FOLLOW_UP} WHERE f.note_id = ?1 ORDER BY f.created_at, f.rowid"))?;
    let mut rows = stmt.query([note_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode_follow_up(conn, keys, r)?);
    }
    Ok(out)
}

pub(crate) fn load(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Note> {
    ids::check_id("note_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => decode(conn, keys, row),
        None => Err(CoreError::NotFound { what: "note" }),
    }
}

/// Seals body and details for `h` (the header the row will have once written).
fn seal_contents(
    conn: &Connection,
    keys: &mut Keyring,
    h: &Header,
    input: &CheckedInput,
) -> CoreResult<(Vec<u8>, Vec<u8>)> {
    let body = h.with_body(|b| keys.seal(conn, h.key_id, h.body_aad(), b, input.text.as_bytes()))?;
    let details = zeroize::Zeroizing::new(
        serde_json::to_vec(&input.details).map_err(|_| CoreError::Internal { reason: "encode note details" })?,
    );
    let details = h.with_key(|b| keys.seal(conn, h.key_id, Aad::new(NOTES, &h.id, "details"), b, &details))?;
    Ok((body, details))
}

/// Re-records the body's ledger entry after a change of its header (state, amendments).
fn rebind_body(conn: &Connection, keys: &mut Keyring, old: &Header, new: &Header) -> CoreResult<()> {
    let sealed: Vec<u8> = conn.query_row("SELECT body FROM notes WHERE id = ?1", [&old.id], |r| r.get(0))?;
    old.with_body(|ob| new.with_body(|nb| keys.rebind(conn, &old.body_aad(), ob, nb, &sealed)))?;
    Ok(())
}

impl Vault {
    /// Starts a draft and returns what the note screen needs (not the whole note back).
    /// The conversation time defaults to now and may be earlier ("yesterday's talk").
    pub fn create_note(&self, input: NoteInput) -> CoreResult<NoteSaved> {
        let input = check_input(input)?;
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let occurred = check_occurred(input.occurred_at.unwrap_or(now), now)?;
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let key_id = key_for(tx, keys, input.citizen_id.as_deref())?;
                let h = Header {
                    id: id.clone(),
                    citizen_id: input.citizen_id.clone(),
                    key_id,
                    state: NoteState::Draft,
                    occurred_at: millis(occurred),
                    amendment_count: 0,
                };
                let (body, details) = seal_contents(tx, keys, &h, &input)?;
                tx.prepare_cached(
                    "INSERT INTO notes (id, citizen_id, key_id, state, created_at, updated_at, occurred_at, amendment_count, body, details)
                     VALUES (?1, ?2, ?3, 'draft', ?4, ?4, ?5, 0, ?6, ?7)",
                )?
                .execute(params![id, input.citizen_id, key_id as i64, millis(now), h.occurred_at, body, details])?;
                Ok(())
            })?;
            Ok(NoteSaved { id, state: NoteState::Draft, occurred_at: occurred, updated_at: now })
        })
    }

    /// Saves the draft as it stands now. Durable when this returns: a crash afterwards loses
    /// nothing of it. The input replaces the draft as a whole: no citizen detaches it (it is
    /// then anonymous, under the general key), empty topics clear them. Moving a draft to
    /// another citizen re-seals it, and its follow-ups, under the new key.
    pub fn save_draft(&self, id: &str, input: NoteInput) -> CoreResult<NoteSaved> {
        let input = check_input(input)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            let occurred = store::write_tx(ctx.conn, |tx| {
                let old = header(tx, id)?;
                if old.state != NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "only drafts can be edited; add an amendment instead" });
                }
                // The draft as stored must be the one the ledger records, with its header: a
                // final note turned back into a draft behind the app is not overwritten.
                let current: Vec<u8> = tx.prepare_cached("SELECT body FROM notes WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
                old.with_body(|b| keys.verify(tx, &old.body_aad(), b, &current))?;
                let occurred = match input.occurred_at {
                    Some(t) => millis(check_occurred(t, now)?),
                    None => old.occurred_at,
                };
                let key_id = key_for(tx, keys, input.citizen_id.as_deref())?;
                let h = Header { citizen_id: input.citizen_id.clone(), key_id, occurred_at: occurred, ..old.clone() };
                let (body, details) = seal_contents(tx, keys, &h, &input)?;
                tx.prepare_cached(
                    "UPDATE notes SET citizen_id = ?2, key_id = ?3, updated_at = ?4, occurred_at = ?5, body = ?6, details = ?7 WHERE id = ?1",
                )?
                .execute(params![id, input.citizen_id, key_id as i64, millis(now), occurred, body, details])?;
                if key_id != old.key_id {
                    reseal_follow_ups(tx, keys, id, old.key_id, key_id)?;
                }
                Ok(occurred)
            })?;
            Ok(NoteSaved { id: id.to_string(), state: NoteState::Draft, occurred_at: from_millis(occurred)?, updated_at: now })
        })
    }

    /// Throws a draft away. Final notes cannot be deleted this way.
    pub fn discard_draft(&self, id: &str) -> CoreResult<()> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let rotation = store::write_tx(ctx.conn, |tx| {
                if header(tx, id)?.state != NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "only drafts can be discarded" });
                }
                tx.execute("DELETE FROM notes WHERE id = ?1", [id])?;
                let deleted =
                    crate::audit::Event::counted(crate::audit::AuditKind::Deleted, crate::audit::AuditObject::Draft, 1);
                self.audit_tx(tx, now, &[deleted])
            })?;
            self.finish_rotation(rotation);
            // The discarded text must not linger in a WAL frame.
            store::checkpoint_truncate(ctx.conn)
        })
    }

    /// Makes a draft final: no further edits, only appended amendments. The superseded draft
    /// versions are folded out of the write-ahead log.
    pub fn finalize_note(&self, id: &str) -> CoreResult<Note> {
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let note = load(tx, keys, id)?;
                if note.state != NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "the note is already final" });
                }
                if note.text.is_empty() {
                    return Err(CoreError::invalid("text", "a note cannot be finalised empty"));
                }
                let old = header(tx, id)?;
                let new = Header { state: NoteState::Final, ..old.clone() };
                rebind_body(tx, keys, &old, &new)?;
                tx.execute(
                    "UPDATE notes SET state = 'final', finalized_at = ?2, updated_at = ?2 WHERE id = ?1 AND state = 'draft'",
                    params![id, now],
                )?;
                Ok(())
            })?;
            store::checkpoint_truncate(ctx.conn)?;
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
                let old = header(tx, id)?;
                if old.state == NoteState::Draft {
                    return Err(CoreError::InvalidState { reason: "drafts are edited, not amended" });
                }
                let b = [ValueRef::Text(id.as_bytes())];
                let body = keys.seal(
                    tx,
                    old.key_id,
                    Aad::new(AMENDMENTS, &amendment_id, "body"),
                    Bound(&b),
                    amendment.as_bytes(),
                )?;
                tx.execute(
                    "INSERT INTO note_amendments (id, note_id, created_at, body) VALUES (?1, ?2, ?3, ?4)",
                    params![amendment_id, id, now, body],
                )?;
                let new = Header { amendment_count: old.amendment_count + 1, ..old.clone() };
                rebind_body(tx, keys, &old, &new)?;
                tx.execute(
                    "UPDATE notes SET updated_at = ?2, amendment_count = ?3 WHERE id = ?1",
                    params![id, now, new.amendment_count],
                )?;
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
                let old = header(tx, id)?;
                if old.state != NoteState::Final {
                    return Err(CoreError::InvalidState { reason: "only final notes can be journalised" });
                }
                let new = Header { state: NoteState::Journalised, ..old.clone() };
                rebind_body(tx, keys, &old, &new)?;
                let sealed = new.with_journal(|b| {
                    keys.seal(tx, new.key_id, Aad::new(NOTES, id, "journal_ref"), b, reference.as_bytes())
                })?;
                tx.execute(
                    "UPDATE notes SET state = 'journalised', journalised_at = ?2, updated_at = ?2, journal_ref = ?3 WHERE id = ?1",
                    params![id, now, sealed],
                )?;
                Ok(())
            })?;
            load(ctx.conn, ctx.keys, id)
        })
    }

    /// The whole note: text, amendments, follow-ups.
    pub fn get_note(&self, id: &str) -> CoreResult<Note> {
        self.with_session(|ctx| load(ctx.conn, ctx.keys, id))
    }

    /// A page of note summaries, newest conversation first; one citizen's when `citizen_id`
    /// is given. `cursor` is the previous page's `next_cursor`.
    pub fn list_notes(
        &self,
        citizen_id: Option<&str>,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> CoreResult<NotePage> {
        let limit = page::check_limit(limit)?;
        self.with_session(|ctx| {
            if let Some(c) = citizen_id {
                key_of(ctx.conn, c)?;
            }
            page::list(ctx, citizen_id, limit, cursor)
        })
    }

    /// A page of notes whose text, amendments, follow-ups or journal reference contain
    /// `query`, ignoring case and accents ("natcafe" finds "natcafé", "ÆRØ" finds "ærø"), newest
    /// conversation first. The text is sealed, so this opens notes in memory until the page is
    /// full; nothing decrypted is written anywhere.
    pub fn search_notes(&self, query: &str, limit: Option<u32>, cursor: Option<&str>) -> CoreResult<NotePage> {
        let needle = text::fold(&text::clean(text::SEARCH_QUERY, query)?);
        let limit = page::check_limit(limit)?;
        self.with_session(|ctx| page::search(ctx, &needle, limit, cursor))
    }

    /// How many notes match `query` (for a screen that shows a count): a full scan.
    pub fn count_note_matches(&self, query: &str) -> CoreResult<NoteCount> {
        let needle = text::fold(&text::clean(text::SEARCH_QUERY, query)?);
        self.with_session(|ctx| page::count(ctx, &needle))
    }

    /// Adds a follow-up task to a note (draft or final: tasks are work, not the record).
    pub fn add_follow_up(&self, note_id: &str, input: FollowUpInput) -> CoreResult<FollowUp> {
        let body = text::clean(text::FOLLOW_UP, &input.text)?;
        if let Some(d) = input.due_date {
            crate::time::check_date("due_date", d)?;
        }
        let id = ids::new_id()?;
        self.with_session(|ctx| {
            let now = millis(ctx.now);
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let h = header(tx, note_id)?;
                let b = [ValueRef::Text(note_id.as_bytes())];
                let sealed = keys.seal(tx, h.key_id, Aad::new(FOLLOW_UPS, &id, "body"), Bound(&b), body.as_bytes())?;
                tx.execute(
                    "INSERT INTO follow_ups (id, note_id, created_at, due_date, owner_role, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, note_id, now, input.due_date.map(date_to_sql), input.owner.as_str(), sealed],
                )?;
                Ok(())
            })?;
            load_follow_up(ctx, &id)
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
            load_follow_up(ctx, follow_up_id)
        })
    }
}

fn load_follow_up(ctx: &mut Ctx<'_>, id: &str) -> CoreResult<FollowUp> {
    let conn: &Connection = ctx.conn;
    let mut stmt = conn.prepare_cached(&format!("{SELECT_FOLLOW_UP} WHERE f.id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode_follow_up(conn, ctx.keys, r),
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
            let text = open_follow_up(conn, keys, from, note_id, &id, &r.get::<_, Vec<u8>>(1)?)?;
            let b = [ValueRef::Text(note_id.as_bytes())];
            let body = keys.seal(conn, to, Aad::new(FOLLOW_UPS, &id, "body"), Bound(&b), text.as_bytes())?;
            sealed.push((id, body));
        }
    }
    for (id, body) in sealed {
        conn.execute("UPDATE follow_ups SET body = ?2 WHERE id = ?1", params![id, body])?;
    }
    Ok(())
}

/// Follow-ups not done whose due date is on or before `by` (overdue included), earliest
/// first, at most `limit`; with the total count. For Today's attention list.
pub(crate) fn follow_ups_due(
    conn: &Connection,
    keys: &mut Keyring,
    citizen_id: Option<&str>,
    by: Option<chrono::NaiveDate>,
    limit: u32,
) -> CoreResult<(Vec<FollowUp>, u32)> {
    let by = by.map(date_to_sql);
    let filter = "WHERE f.done_at IS NULL AND (?1 IS NULL OR (f.due_date IS NOT NULL AND f.due_date <= ?1))
                  AND (?2 IS NULL OR n.citizen_id = ?2)";
    let total: u32 = conn
        .prepare_cached(&format!("SELECT count(*) FROM follow_ups f JOIN notes n ON n.id = f.note_id {filter}"))?
        .query_row(params![by, citizen_id], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_FOLLOW_UP} {filter} ORDER BY f.due_date IS NULL, f.due_date, f.created_at LIMIT ?3"
    ))?;
    let mut rows = stmt.query(params![by, citizen_id, limit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Ok(f) = decode_follow_up(conn, keys, r) {
            out.push(f);
        }
    }
    Ok((out, total))
}

/// A note waiting for the worker: its id, its citizen and when the conversation was.
pub(crate) type Waiting = (String, Option<String>, DateTime<Utc>);

/// Ids, citizens and conversation times of notes in `state` last changed before `before`,
/// oldest first, at most `limit`; with the total count. For Today's attention list.
pub(crate) fn waiting(
    conn: &Connection,
    state: NoteState,
    before: DateTime<Utc>,
    limit: u32,
) -> CoreResult<(Vec<Waiting>, u32)> {
    // `state IN (...)` lets SQLite use the partial index `notes_open` (a bound `?1` alone
    // cannot prove the index's condition): an index range instead of a scan of every note.
    let total: u32 = conn
        .prepare_cached(
            "SELECT count(*) FROM notes WHERE state IN ('draft', 'final') AND state = ?1 AND updated_at < ?2",
        )?
        .query_row(params![state.as_str(), millis(before)], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, citizen_id, occurred_at FROM notes WHERE state IN ('draft', 'final') AND state = ?1 AND updated_at < ?2 ORDER BY updated_at LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![state.as_str(), millis(before), limit], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, citizen, at) = row?;
        out.push((id, citizen, from_millis(at)?));
    }
    Ok((out, total))
}
