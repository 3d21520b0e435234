//! Pages of note summaries for lists and searches, and the cursors that continue them.
//!
//! A page walks the notes newest conversation first (`occurred_at DESC, id DESC`, the order
//! of the `notes_by_occurred` and `notes_by_citizen` indexes), opens one note at a time, and
//! stops once it has one more hit than the page holds. The next page starts right after the
//! last row shown (a keyset cursor), so every page costs the same however far the worker
//! scrolls, and only one page of decrypted text is ever held.
//!
//! A cursor carries where the page ended and a MAC (under a key of the vault) over that and
//! the list it belongs to (which citizen, which search), so a cursor from another query, or
//! one edited by hand, is refused with a typed error.

use super::*;
use crate::citizens::Nicknames;
use memchr::memmem::Finder;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSaved {
    pub id: String,
    pub state: NoteState,
    pub occurred_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a list row shows of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSummary {
    pub id: String,
    pub citizen_id: Option<String>,
    /// `None` for an anonymous note (or when the citizen's row does not open).
    pub citizen_nickname: Option<String>,
    pub state: NoteState,
    pub occurred_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub topics: Vec<Topic>,
    pub help_given: Vec<HelpGiven>,
    /// A line of the text: around the match in a search, the beginning in a list.
    pub snippet: String,
    pub amendments: u32,
    pub open_follow_ups: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotePage {
    pub items: Vec<NoteSummary>,
    /// Pass it back for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Notes passed over on this page because they did not open (tampered or damaged).
    pub unreadable: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteCount {
    pub matches: u32,
    pub unreadable: u32,
}

const SNIPPET_BEFORE: usize = 30;
const SNIPPET_CHARS: usize = 100;

pub(super) fn check_limit(limit: Option<u32>) -> CoreResult<u32> {
    let limit = limit.unwrap_or(DEFAULT_LIST_LIMIT);
    if limit == 0 || limit > MAX_LIST_LIMIT {
        return Err(CoreError::invalid("limit", "must be between 1 and 1000"));
    }
    Ok(limit)
}

/// Which list a cursor belongs to.
enum Scope<'a> {
    List(Option<&'a str>),
    Search(&'a str),
}

impl Scope<'_> {
    fn message(&self, occurred_at: i64, id: &str) -> Vec<u8> {
        let (kind, what) = match self {
            Scope::List(c) => ("list", c.unwrap_or("")),
            Scope::Search(q) => ("search", *q),
        };
        let mut m = Vec::with_capacity(64 + what.len());
        for part in [kind.as_bytes(), what.as_bytes(), occurred_at.to_string().as_bytes(), id.as_bytes()] {
            m.extend_from_slice(&(part.len() as u32).to_be_bytes());
            m.extend_from_slice(part);
        }
        m
    }
}

fn make_cursor(keys: &Keyring, scope: &Scope<'_>, occurred_at: i64, id: &str) -> String {
    let mac = keys.cursor_mac(&scope.message(occurred_at, id));
    format!("n1.{occurred_at}.{id}.{}", ids::hex(&mac[..16]))
}

fn read_cursor(keys: &Keyring, scope: &Scope<'_>, cursor: &str) -> CoreResult<(i64, String)> {
    let bad = || CoreError::invalid("cursor", "does not belong to this list or search");
    let mut parts = cursor.split('.');
    let (Some("n1"), Some(at), Some(id), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let at: i64 = at.parse().map_err(|_| bad())?;
    ids::check_id("cursor", id).map_err(|_| bad())?;
    let expected = keys.cursor_mac(&scope.message(at, id));
    if mac.len() != 32 || ids::hex(&expected[..16]) != mac {
        return Err(bad());
    }
    Ok((at, id.to_string()))
}

/// What a scan reads with each note. A list shows every row it reads, so its scan joins
/// what a summary needs (the ledger entries of body and details, the citizen's sealed
/// nickname and its entry, the count of open follow-ups) into the one statement. A search
/// shows few of the rows it reads, so its scan reads the note alone, and what a hit needs is
/// read for the hits only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    List,
    Search,
}

fn scan_sql(scan: Scan, by_citizen: bool, after: bool, limited: bool) -> String {
    let cols = Header::SQL.replace(", ", ", n.");
    let mut sql = match scan {
        Scan::List => format!(
            "SELECT n.{cols}, n.updated_at, n.body, n.details, n.journal_ref, lb.mac, ld.mac, c.nickname, c.key_id, lc.mac,
                (SELECT count(*) FROM follow_ups f WHERE f.note_id = n.id AND f.done_at IS NULL)
             FROM notes n
             LEFT JOIN seal_ledger lb ON lb.tbl = 'notes' AND lb.row_id = n.id AND lb.col = 'body'
             LEFT JOIN seal_ledger ld ON ld.tbl = 'notes' AND ld.row_id = n.id AND ld.col = 'details'
             LEFT JOIN citizens c ON c.id = n.citizen_id
             LEFT JOIN seal_ledger lc ON lc.tbl = 'citizens' AND lc.row_id = n.citizen_id AND lc.col = 'nickname'"
        ),
        Scan::Search => format!("SELECT n.{cols}, n.updated_at, n.body, n.details, n.journal_ref FROM notes n"),
    };
    let mut conds = Vec::new();
    if by_citizen {
        conds.push("n.citizen_id = :citizen");
    }
    if after {
        conds.push("(n.occurred_at, n.id) < (:at, :id)");
    }
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    sql.push_str(" ORDER BY n.occurred_at DESC, n.id DESC");
    if limited {
        sql.push_str(" LIMIT :limit");
    }
    sql
}

/// What a list's scan joined to a note.
struct Joined {
    body_mac: Option<Vec<u8>>,
    details_mac: Option<Vec<u8>>,
    nickname: Option<Vec<u8>>,
    citizen_key: Option<i64>,
    nickname_mac: Option<Vec<u8>>,
    open_follow_ups: u32,
}

/// One scanned row, before anything is decrypted.
struct Scanned {
    h: Header,
    updated_at: i64,
    body: Vec<u8>,
    details: Vec<u8>,
    journal_ref: Option<Vec<u8>>,
    joined: Option<Joined>,
}

fn scanned(r: &Row<'_>, scan: Scan) -> CoreResult<Scanned> {
    Ok(Scanned {
        h: Header::read(r, 0)?,
        updated_at: r.get(6)?,
        body: r.get(7)?,
        details: r.get(8)?,
        journal_ref: r.get(9)?,
        joined: match scan {
            Scan::Search => None,
            Scan::List => Some(Joined {
                body_mac: r.get(10)?,
                details_mac: r.get(11)?,
                nickname: r.get(12)?,
                citizen_key: r.get(13)?,
                nickname_mac: r.get(14)?,
                open_follow_ups: r.get(15)?,
            }),
        },
    })
}

/// Runs `visit` over the notes in page order, after the cursor, until it returns false.
/// A damaged page of the file ends the walk early (SQLite cannot step past it): the rows
/// before it are kept, and the answer is `true` so the caller can say the list is cut short.
fn walk(
    conn: &Connection,
    scan: Scan,
    citizen: Option<&str>,
    after: Option<&(i64, String)>,
    limit: Option<u32>,
    mut visit: impl FnMut(Scanned) -> CoreResult<bool>,
) -> CoreResult<bool> {
    let sql = scan_sql(scan, citizen.is_some(), after.is_some(), limit.is_some());
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(c) = &citizen {
        named.push((":citizen", c));
    }
    if let Some((at, id)) = after {
        named.push((":at", at));
        named.push((":id", id));
    }
    if let Some(l) = &limit {
        named.push((":limit", l));
    }
    let mut rows = stmt.query(named.as_slice())?;
    loop {
        let row = match rows.next() {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(false),
            Err(e) => match CoreError::from(e) {
                CoreError::Corrupt => {
                    log::warn!("a damaged page cut a note list short");
                    return Ok(true);
                }
                other => return Err(other),
            },
        };
        let s = match scanned(row, scan) {
            Ok(s) => s,
            Err(CoreError::Corrupt) => return Ok(true),
            Err(e) => return Err(e),
        };
        if !visit(s)? {
            return Ok(false);
        }
    }
}

/// A line of `text` around char `at` (or from the start), newlines as spaces.
fn snippet(text: &str, at: Option<usize>) -> String {
    let start = at.map_or(0, |a| a.saturating_sub(SNIPPET_BEFORE));
    let chars: Vec<char> = text.chars().skip(start).take(SNIPPET_CHARS + 1).collect();
    let mut out: String = chars.iter().take(SNIPPET_CHARS).map(|c| if c.is_control() { ' ' } else { *c }).collect();
    out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if start > 0 {
        out.insert(0, '…');
    }
    if chars.len() > SNIPPET_CHARS {
        out.push('…');
    }
    out
}

/// Where `needle` (folded) occurs in `text` (original), as a char index; `None` if nowhere.
fn find(text: &[u8], finder: &Finder<'_>, folded: &mut Vec<u8>) -> Option<usize> {
    if !text::fold_into(text, folded) {
        return None;
    }
    let pos = finder.find(folded)?;
    // Folding maps characters one to one on the common path, so the char index carries over
    // (elsewhere it is close, which is all a snippet needs).
    Some(String::from_utf8_lossy(&folded[..pos]).chars().count())
}

/// Builds the summary of a scanned note, checking each sealed value it shows against the
/// seal ledger (from the list's joins, or looked up for a search hit).
fn summary(
    conn: &Connection,
    keys: &mut Keyring,
    names: &mut Nicknames,
    s: &Scanned,
    snippet: String,
) -> CoreResult<NoteSummary> {
    let details_aad = Aad::new(NOTES, &s.h.id, "details");
    let (details, nickname, open_follow_ups) = match &s.joined {
        Some(j) => {
            let raw = s.h.with_key(|b| {
                keys.open_with_mac(conn, s.h.key_id, details_aad, b, &s.details, j.details_mac.as_deref())
            })?;
            let details: Details = serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)?;
            let nickname = match (&s.h.citizen_id, &j.nickname, j.citizen_key) {
                (Some(c), Some(sealed), Some(k)) => names.get_or_open(c, || {
                    let kb = [ValueRef::Integer(k)];
                    keys.open_with_mac(
                        conn,
                        k as u64,
                        Aad::new("citizens", c, "nickname"),
                        Bound(&kb),
                        sealed,
                        j.nickname_mac.as_deref(),
                    )
                    .ok()
                    .and_then(|raw| String::from_utf8(raw.to_vec()).ok())
                }),
                _ => None,
            };
            (details, nickname, j.open_follow_ups)
        }
        None => {
            let details = open_details(conn, keys, &s.h, &s.details)?;
            let nickname = s.h.citizen_id.as_deref().and_then(|c| names.get(conn, keys, c));
            let open: u32 = conn
                .prepare_cached("SELECT count(*) FROM follow_ups WHERE note_id = ?1 AND done_at IS NULL")?
                .query_row([&s.h.id], |r| r.get(0))?;
            (details, nickname, open)
        }
    };
    Ok(NoteSummary {
        citizen_nickname: nickname,
        id: s.h.id.clone(),
        citizen_id: s.h.citizen_id.clone(),
        state: s.h.state,
        occurred_at: from_millis(s.h.occurred_at)?,
        updated_at: from_millis(s.updated_at)?,
        topics: details.topics,
        help_given: details.help_given,
        snippet,
        amendments: s.h.amendment_count as u32,
        open_follow_ups,
    })
}

/// Tampering and damage in one note make it unreadable, not the page.
fn readable<T>(r: CoreResult<T>, unreadable: &mut u32) -> CoreResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(CoreError::Tampered) | Err(CoreError::Corrupt) => {
            *unreadable += 1;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub(super) fn list(ctx: &mut Ctx<'_>, citizen: Option<&str>, limit: u32, cursor: Option<&str>) -> CoreResult<NotePage> {
    let scope = Scope::List(citizen);
    let after = cursor.map(|c| read_cursor(ctx.keys, &scope, c)).transpose()?;
    let conn: &Connection = ctx.conn;
    let keys = &mut *ctx.keys;
    let mut names = Nicknames::default();
    let mut page = NotePage::default();
    let mut more = false;
    let cut = walk(conn, Scan::List, citizen, after.as_ref(), Some(limit + 1), |s| {
        if page.items.len() as u32 == limit {
            more = true;
            return Ok(false);
        }
        let mac = s.joined.as_ref().and_then(|j| j.body_mac.as_deref());
        let opened = s.h.with_body(|b| keys.open_with_mac(conn, s.h.key_id, s.h.body_aad(), b, &s.body, mac));
        let body = readable(opened, &mut page.unreadable)?;
        let Some(body) = body else { return Ok(true) };
        let line = snippet(&String::from_utf8_lossy(&body), None);
        if let Some(item) = readable(summary(conn, keys, &mut names, &s, line), &mut page.unreadable)? {
            page.items.push(item);
        }
        Ok(true)
    })?;
    page.unreadable += u32::from(cut);
    if more {
        page.next_cursor = page.items.last().map(|n| make_cursor(keys, &scope, millis(n.occurred_at), &n.id));
    }
    Ok(page)
}

/// Whether the note matches in its body, amendments, follow-ups or journal reference; the
/// snippet if so (an empty one when `snippets` is false: a count shows none).
///
/// The body is opened (AES-GCM: it is authentic for this note's place) and searched; only
/// when it matches is it checked against the seal ledger, before anything of it is shown —
/// so a row written back from an older copy is refused exactly when it would be shown, and
/// the rows that do not match cost no ledger look-up.
fn matching(
    conn: &Connection,
    keys: &mut Keyring,
    s: &Scanned,
    with_follow_ups: &HashSet<String>,
    finder: &Finder<'_>,
    folded: &mut Vec<u8>,
    snippets: bool,
) -> CoreResult<Option<String>> {
    let line = |text: &str, at: usize| if snippets { snippet(text, Some(at)) } else { String::new() };
    let body = keys.open_unverified(conn, s.h.key_id, s.h.body_aad(), &s.body)?;
    if let Some(at) = find(&body, finder, folded) {
        s.h.with_body(|b| keys.verify(conn, &s.h.body_aad(), b, &s.body))?;
        return Ok(Some(if snippets { snippet(&String::from_utf8_lossy(&body), Some(at)) } else { String::new() }));
    }
    if s.h.amendment_count > 0 {
        let mut stmt =
            conn.prepare_cached("SELECT id, body FROM note_amendments WHERE note_id = ?1 ORDER BY created_at, rowid")?;
        let rows: Vec<(String, Vec<u8>)> =
            stmt.query_map([&s.h.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (id, sealed) in rows {
            let text = open_amendment(conn, keys, s.h.key_id, &s.h.id, &id, &sealed)?;
            if let Some(at) = find(text.as_bytes(), finder, folded) {
                return Ok(Some(line(&text, at)));
            }
        }
    }
    if with_follow_ups.contains(&s.h.id) {
        let mut stmt =
            conn.prepare_cached("SELECT id, body FROM follow_ups WHERE note_id = ?1 ORDER BY created_at, rowid")?;
        let rows: Vec<(String, Vec<u8>)> =
            stmt.query_map([&s.h.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (id, sealed) in rows {
            let text = open_follow_up(conn, keys, s.h.key_id, &s.h.id, &id, &sealed)?;
            if let Some(at) = find(text.as_bytes(), finder, folded) {
                return Ok(Some(line(&text, at)));
            }
        }
    }
    if let Some(sealed) = &s.journal_ref {
        let text = open_journal_ref(conn, keys, &s.h, sealed)?;
        if let Some(at) = find(text.as_bytes(), finder, folded) {
            return Ok(Some(line(&text, at)));
        }
    }
    Ok(None)
}

/// The notes that have follow-ups (read once per search; the scan then needs no look-up).
fn notes_with_follow_ups(conn: &Connection) -> CoreResult<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT note_id FROM follow_ups")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn search(ctx: &mut Ctx<'_>, needle: &str, limit: u32, cursor: Option<&str>) -> CoreResult<NotePage> {
    let scope = Scope::Search(needle);
    let after = cursor.map(|c| read_cursor(ctx.keys, &scope, c)).transpose()?;
    let conn: &Connection = ctx.conn;
    let keys = &mut *ctx.keys;
    let finder = Finder::new(needle.as_bytes());
    let mut folded = Vec::new();
    let mut names = Nicknames::default();
    let mut page = NotePage::default();
    let mut more = false;
    let with_follow_ups = notes_with_follow_ups(conn)?;
    let cut = walk(conn, Scan::Search, None, after.as_ref(), None, |s| {
        let hit =
            readable(matching(conn, keys, &s, &with_follow_ups, &finder, &mut folded, true), &mut page.unreadable)?;
        let Some(Some(line)) = hit else { return Ok(true) };
        if page.items.len() as u32 == limit {
            more = true;
            return Ok(false);
        }
        if let Some(item) = readable(summary(conn, keys, &mut names, &s, line), &mut page.unreadable)? {
            page.items.push(item);
        }
        Ok(true)
    })?;
    page.unreadable += u32::from(cut);
    folded.iter_mut().for_each(|b| *b = 0);
    if more {
        page.next_cursor = page.items.last().map(|n| make_cursor(keys, &scope, millis(n.occurred_at), &n.id));
    }
    Ok(page)
}

pub(super) fn count(ctx: &mut Ctx<'_>, needle: &str) -> CoreResult<NoteCount> {
    let conn: &Connection = ctx.conn;
    let keys = &mut *ctx.keys;
    let finder = Finder::new(needle.as_bytes());
    let mut folded = Vec::new();
    let mut out = NoteCount::default();
    let with_follow_ups = notes_with_follow_ups(conn)?;
    let cut = walk(conn, Scan::Search, None, None, None, |s| {
        if let Some(Some(_)) =
            readable(matching(conn, keys, &s, &with_follow_ups, &finder, &mut folded, false), &mut out.unreadable)?
        {
            out.matches += 1;
        }
        Ok(true)
    })?;
    out.unreadable += u32::from(cut);
    folded.iter_mut().for_each(|b| *b = 0);
    Ok(out)
}

/// The summaries of the newest notes of a citizen (for the citizen overview).
pub(crate) fn latest_of(ctx: &mut Ctx<'_>, citizen: &str, limit: u32) -> CoreResult<NotePage> {
    list(ctx, Some(citizen), limit, None)
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn snippets_are_one_line_around_the_match() {
        let text = format!("{}Natcafé i aften\nmed kaffe{}", "x ".repeat(40), " y".repeat(80));
        let s = snippet(&text, Some(80));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("Natcafé i aften med kaffe"), "{s}");
        assert_eq!(snippet("kort", None), "kort");
    }
}
