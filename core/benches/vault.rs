//! The note workload at several vault sizes (issue 15, SPEC §6), each line measured in one
//! interleaved run beside the same work on plain SQLite (the same schema and indexes, the
//! text in clear): durable saves (create_note, save_draft), the first search page of 20 for
//! a rare and a common word and the next page by cursor, the 50 most recent notes, a full
//! count of matches, opening the file (no unlock), unlocking without the KDF, the first search
//! of a new session; the peak heap of a common-word search with and without paging; and the
//! PIN KDF beside Argon2id (issue 13).
//!
//! ```text
//! cargo bench -p brobygger-core --bench vault                      2 000, 10 000, 30 000 notes
//! cargo bench -p brobygger-core --bench vault -- --sizes 10000     one size
//! cargo bench -p brobygger-core --bench vault -- --no-kdf          skip the KDF comparison
//! cargo bench -p brobygger-core --bench vault -- --profile search_common --notes 10000 --iterations 2000
//! ```
//! `--profile OP` builds one vault and runs OP (save, save_draft, search_rare, search_common,
//! next_page, recent, count, open, unlock, first_search) in a loop, in the function
//! `profile_loop` (for `perf record` or `valgrind --tool=callgrind --toggle-collect=*profile_loop*`),
//! and counts the WAL frames a save writes.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) a small smoke run checks that
//! every line still works and that both sides return the same notes; it times nothing.

use brobygger_core::crypto::kdf;
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::{ManualClock, NewCitizen, NoteInput, NotePage, Topic, Vault};
use chrono::{TimeZone, Utc};
use rusqlite::{params, Connection, OpenFlags};
use std::alloc::{GlobalAlloc, Layout, System};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CITIZENS: usize = 200;
const PIN: &str = "135790";
const PAGE: u32 = 20;
const RECENT: u32 = 50;
const RARE: &str = "Ærøskøbing";
const COMMON: &str = "bolig";

fn note_text(i: usize) -> String {
    const WORDS: &[&str] = &[
        "kaffe",
        "snak",
        "om",
        "bolig",
        "ydelseskontoret",
        "brev",
        "hjælp",
        "til",
        "ansøgning",
        "læge",
        "aftale",
        "misbrugscenter",
        "økonomi",
        "gæld",
        "handleplan",
        "jobcenter",
        "samtale",
        "værested",
        "familie",
        "søvn",
        "mødte",
        "op",
        "i",
        "dag",
        "og",
        "fortalte",
        "at",
        "han",
        "vil",
        "gerne",
        "have",
        "støtte",
    ];
    let mut s = format!("Note {i}: ");
    if i % 100 == 0 {
        // One note in a hundred mentions the place searched for.
        s.push_str("Vil flytte til Ærøskøbing. ");
    }
    let mut x = i as u64 * 2654435761 + 1;
    for _ in 0..90 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(WORDS[(x % WORDS.len() as u64) as usize]);
        s.push(' ');
    }
    s
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut v = samples.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 1.0 {
        format!("{v:.3} ms")
    } else if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// How many times each line runs on each side.
#[derive(Clone, Copy)]
struct Runs {
    saves: usize,
    queries: usize,
    scans: usize,
    sessions: usize,
}

const FULL: Runs = Runs { saves: 400, queries: 41, scans: 9, sessions: 15 };
const SMOKE: Runs = Runs { saves: 5, queries: 3, scans: 1, sessions: 2 };

/// The encrypted vault, grown across sizes.
struct Encrypted {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    keys: Arc<MemoryKeyStore>,
    vault: Vault,
    clock: Arc<ManualClock>,
    citizens: Vec<String>,
}

/// A note as both sides hold it.
struct Added {
    id: String,
    citizen: Option<usize>,
    occurred_at: i64,
}

impl Encrypted {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        let keys = Arc::new(MemoryKeyStore::new());
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap()));
        // One KDF round: the unlock line is "without the KDF", which is measured on its own.
        let vault = Vault::create_with_test_kdf(&dir, PIN, keys.clone(), clock.clone(), 1).unwrap().vault;
        let citizens = (0..CITIZENS)
            .map(|i| {
                vault.add_citizen(NewCitizen { nickname: format!("Borger {i}"), ..Default::default() }).unwrap().id
            })
            .collect();
        Encrypted { _tmp: tmp, dir, keys, vault, clock, citizens }
    }

    fn input(&self, i: usize, citizen: Option<usize>) -> NoteInput {
        NoteInput {
            citizen_id: citizen.map(|c| self.citizens[c].clone()),
            text: note_text(i),
            topics: vec![Topic::FinancesHousing],
            ..Default::default()
        }
    }

    /// A new note, durable when this returns (the note screen's first save).
    fn create(&self, i: usize) -> Added {
        self.clock.advance(chrono::Duration::seconds(30));
        let citizen = if i % 10 == 0 { None } else { Some(i % CITIZENS) };
        let saved = self.vault.create_note(self.input(i, citizen)).unwrap();
        Added { id: saved.id, citizen, occurred_at: saved.occurred_at.timestamp_millis() }
    }

    /// The draft saved again as the worker types (same citizen, new text).
    fn save_draft(&self, n: &Added, text: &str) {
        self.clock.advance(chrono::Duration::seconds(1));
        let mut input = self.input(0, n.citizen);
        input.text = text.to_string();
        self.vault.save_draft(&n.id, input).unwrap();
    }

    fn search(&self, word: &str, cursor: Option<&str>) -> NotePage {
        self.vault.search_notes(word, Some(PAGE), cursor).unwrap()
    }

    fn recent(&self) -> NotePage {
        self.vault.list_notes(None, Some(RECENT), None).unwrap()
    }

    fn count(&self, word: &str) -> u32 {
        self.vault.count_note_matches(word).unwrap().matches
    }

    /// Every hit, gathered page by page (what a caller without paging would hold).
    fn search_all(&self, word: &str) -> Vec<String> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.vault.search_notes(word, Some(1_000), cursor.as_deref()).unwrap();
            all.extend(page.items.into_iter().map(|s| s.snippet));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => return all,
            }
        }
    }

    fn open(&self) -> Vault {
        Vault::open(&self.dir, self.keys.clone(), self.clock.clone()).unwrap()
    }

    fn unlock(&self) -> Duration {
        self.vault.lock();
        time(|| self.vault.unlock(PIN).unwrap()).1
    }

    fn wal(&self) -> PathBuf {
        self.dir.join("vault.db-wal")
    }

    fn db(&self) -> PathBuf {
        self.dir.join("vault.db")
    }
}

/// The same schema (the core's migrations) and the same notes with the text in clear: the
/// price of encryption. Queries are the issue's: `LIKE '%w%' ORDER BY occurred_at DESC LIMIT 20`
/// on the `notes_by_occurred` index, every column read and decoded.
struct Plain {
    _tmp: tempfile::TempDir,
    path: PathBuf,
    conn: Connection,
    citizens: Vec<String>,
}

const PLAIN_COLUMNS: &str = "id, citizen_id, state, occurred_at, updated_at, body, details, amendment_count";

fn plain_open(path: &Path) -> Connection {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    conn.execute_batch(
        "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;",
    )
    .unwrap();
    conn
}

/// A summary row as a plain app would hold it: every column, the text and topics decoded.
type PlainRow = (String, Option<String>, String, i64, i64, String, serde_json::Value, i64);

fn plain_rows(stmt: &mut rusqlite::CachedStatement<'_>, p: impl rusqlite::Params) -> Vec<PlainRow> {
    stmt.query_map(p, |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            serde_json::from_str(&r.get::<_, String>(6)?).unwrap(),
            r.get(7)?,
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

impl Plain {
    fn new(citizen_ids: &[String]) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("plain.db");
        let conn = plain_open(&path);
        brobygger_core::store::migrations::migrate(&conn).unwrap();
        conn.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'general', x'00')", []).unwrap();
        for (i, id) in citizen_ids.iter().enumerate() {
            conn.execute(
                "INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES (?1, 1, 0, 0, ?2, x'00')",
                params![id, format!("Borger {i}")],
            )
            .unwrap();
        }
        Plain { _tmp: tmp, path, conn, citizens: citizen_ids.to_vec() }
    }

    fn insert(&self, i: usize, n: &Added) {
        self.conn
            .prepare_cached(
                "INSERT INTO notes (id, citizen_id, key_id, state, created_at, updated_at, occurred_at, amendment_count, body, details)
                 VALUES (?1, ?2, 1, 'draft', ?3, ?3, ?3, 0, ?4, ?5)",
            )
            .unwrap()
            .execute(params![
                n.id,
                n.citizen.map(|c| &self.citizens[c]),
                n.occurred_at,
                note_text(i),
                r#"{"topics":["finances_housing"],"help_given":[]}"#
            ])
            .unwrap();
    }

    /// A durable insert in its own transaction.
    fn create(&self, i: usize, n: &Added) {
        self.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        self.insert(i, n);
        self.conn.execute_batch("COMMIT").unwrap();
    }

    fn save_draft(&self, n: &Added, text: &str, at: i64) {
        self.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        self.conn
            .prepare_cached("UPDATE notes SET citizen_id = ?2, updated_at = ?3, body = ?4, details = ?5 WHERE id = ?1")
            .unwrap()
            .execute(params![
                n.id,
                n.citizen.map(|c| &self.citizens[c]),
                at,
                text,
                r#"{"topics":["finances_housing"],"help_given":[]}"#
            ])
            .unwrap();
        self.conn.execute_batch("COMMIT").unwrap();
    }

    fn search(&self, word: &str, after: Option<(i64, &str)>) -> Vec<PlainRow> {
        let like = format!("%{word}%");
        match after {
            None => plain_rows(
                &mut self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT {PLAIN_COLUMNS} FROM notes WHERE body LIKE ?1 ORDER BY occurred_at DESC, id DESC LIMIT ?2"
                    ))
                    .unwrap(),
                params![like, PAGE],
            ),
            Some((at, id)) => plain_rows(
                &mut self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT {PLAIN_COLUMNS} FROM notes WHERE body LIKE ?1 AND (occurred_at, id) < (?3, ?4)
                         ORDER BY occurred_at DESC, id DESC LIMIT ?2"
                    ))
                    .unwrap(),
                params![like, PAGE, at, id],
            ),
        }
    }

    fn search_all(&self, word: &str) -> Vec<PlainRow> {
        plain_rows(
            &mut self
                .conn
                .prepare_cached(&format!(
                    "SELECT {PLAIN_COLUMNS} FROM notes WHERE body LIKE ?1 ORDER BY occurred_at DESC, id DESC"
                ))
                .unwrap(),
            params![format!("%{word}%")],
        )
    }

    fn recent(&self) -> Vec<PlainRow> {
        plain_rows(
            &mut self
                .conn
                .prepare_cached(&format!(
                    "SELECT {PLAIN_COLUMNS} FROM notes ORDER BY occurred_at DESC, id DESC LIMIT ?1"
                ))
                .unwrap(),
            [RECENT],
        )
    }

    fn count(&self, word: &str) -> u32 {
        self.conn
            .prepare_cached("SELECT count(*) FROM notes WHERE body LIKE ?1")
            .unwrap()
            .query_row([format!("%{word}%")], |r| r.get(0))
            .unwrap()
    }

    /// Opening as at app start: the file, the product's pragmas, one read.
    fn open(&self) -> Connection {
        let c = plain_open(&self.path);
        let _: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        c
    }

    fn wal(&self) -> PathBuf {
        self.path.with_extension("db-wal")
    }
}

/// One line's samples on both sides.
struct Line {
    name: &'static str,
    budget: &'static str,
    core: Vec<Duration>,
    plain: Vec<Duration>,
}

impl Line {
    fn new(name: &'static str, budget: &'static str) -> Self {
        Line { name, budget, core: Vec::new(), plain: Vec::new() }
    }
}

/// Runs `a` and `b` in alternation, `runs` times each, the order swapped every run, so a
/// noisy moment on the machine (a shared VM) falls on both sides rather than on one ratio.
fn interleave(
    line: &mut Line,
    runs: usize,
    mut a: impl FnMut(usize) -> Duration,
    mut b: impl FnMut(usize) -> Duration,
) {
    for i in 0..runs {
        if i % 2 == 0 {
            line.core.push(a(i));
            line.plain.push(b(i));
        } else {
            line.plain.push(b(i));
            line.core.push(a(i));
        }
    }
}

fn ids(page: &NotePage) -> Vec<&str> {
    page.items.iter().map(|s| s.id.as_str()).collect()
}

fn plain_ids(rows: &[PlainRow]) -> Vec<&str> {
    rows.iter().map(|r| r.0.as_str()).collect()
}

/// The plain side's keyset after a page (the last row's time and id).
fn after(rows: &[PlainRow]) -> Option<(i64, &str)> {
    rows.last().map(|r| (r.3, r.0.as_str()))
}

/// Both sides must return the same notes in the same order, or the figures compare
/// different work. Returns the cursors of the first pages (rare, common).
fn check_agree(enc: &Encrypted, plain: &Plain) -> (Option<String>, Option<String>) {
    let mut cursors = Vec::new();
    for word in [RARE, COMMON] {
        let first = enc.search(word, None);
        let p = plain.search(word, None);
        assert_eq!(ids(&first), plain_ids(&p), "first page of {word}");
        assert!(!first.items.is_empty(), "{word} finds nothing");
        if let Some(c) = &first.next_cursor {
            let next = enc.search(word, Some(c));
            let pn = plain.search(word, after(&p));
            assert_eq!(ids(&next), plain_ids(&pn), "next page of {word}");
        }
        cursors.push(first.next_cursor);
    }
    assert_eq!(ids(&enc.recent()), plain_ids(&plain.recent()), "recent page");
    assert_eq!(enc.count(COMMON), plain.count(COMMON), "count of {COMMON}");
    let common = cursors.pop().unwrap();
    (cursors.pop().unwrap(), common)
}

struct SizeFigures {
    notes: usize,
    rare_hits: u32,
    common_hits: u32,
    lines: Vec<Line>,
}

/// Every line at the vault's current size.
fn measure(enc: &Encrypted, plain: &Plain, notes: &mut Vec<Added>, runs: Runs) -> SizeFigures {
    let size = notes.len();
    check_agree(enc, plain);
    let mut lines = Vec::new();

    // Saves first: they add notes, newest, which the searches below then see on both sides.
    let mut create = Line::new("durable save: create_note", "≤ 1.3× at p50 and p99; < 5 ms p99");
    // The plain row takes the id and time the vault gave, so this line alternates in one order.
    for k in 0..runs.saves {
        let i = size + k;
        let (n, d) = time(|| enc.create(i));
        create.core.push(d);
        create.plain.push(time(|| plain.create(i, &n)).1);
        notes.push(n);
    }
    lines.push(create);

    let mut draft = Line::new("durable save: save_draft (same draft again)", "≤ 1.3× at p50 and p99");
    let targets: Vec<usize> = (0..runs.saves).map(|k| (k * 7919) % size).collect();
    interleave(
        &mut draft,
        runs.saves,
        |k| {
            let n = &notes[targets[k]];
            time(|| enc.save_draft(n, &format!("{} rettet {k}", note_text(targets[k])))).1
        },
        |k| {
            let n = &notes[targets[k]];
            let at = enc.clock.now_millis();
            time(|| plain.save_draft(n, &format!("{} rettet {k}", note_text(targets[k])), at)).1
        },
    );
    lines.push(draft);
    // The searches see the notes as the saves left them (on both sides alike).
    let (rare_cursor, common_cursor) = check_agree(enc, plain);
    let rare_hits = plain.count(RARE);
    let common_hits = plain.count(COMMON);

    for (name, word, cursor) in [
        ("search rare word, first page of 20", RARE, None),
        ("search rare word, next page by cursor", RARE, rare_cursor.as_deref()),
        ("search common word, first page of 20", COMMON, None),
        ("search common word, next page by cursor", COMMON, common_cursor.as_deref()),
    ] {
        let next = name.contains("next");
        if next && cursor.is_none() {
            continue; // one page holds every hit at this size
        }
        let plain_after: Option<(i64, String)> = if next {
            let first = plain.search(word, None);
            after(&first).map(|(a, id)| (a, id.to_string()))
        } else {
            None
        };
        let mut line = Line::new(name, "≤ 2×, < 10 ms at 10 000; next page = first page");
        interleave(
            &mut line,
            runs.queries,
            |_| time(|| assert!(!enc.search(word, cursor).items.is_empty())).1,
            |_| {
                time(|| assert!(!plain.search(word, plain_after.as_ref().map(|(a, id)| (*a, id.as_str()))).is_empty()))
                    .1
            },
        );
        lines.push(line);
    }

    let mut recent = Line::new("recent page of 50 summaries", "≤ 2×");
    interleave(
        &mut recent,
        runs.queries,
        |_| time(|| assert_eq!(enc.recent().items.len(), RECENT as usize)).1,
        |_| time(|| assert_eq!(plain.recent().len(), RECENT as usize)).1,
    );
    lines.push(recent);

    let mut count = Line::new("count every match of the common word (a scan)", "may scan");
    interleave(&mut count, runs.scans, |_| time(|| enc.count(COMMON)).1, |_| time(|| plain.count(COMMON)).1);
    lines.push(count);

    let mut open = Line::new("open without unlock", "≤ 3×, flat");
    interleave(
        &mut open,
        runs.queries,
        |_| {
            let (v, d) = time(|| enc.open());
            drop(v);
            d
        },
        |_| {
            let (c, d) = time(|| plain.open());
            drop(c);
            d
        },
    );
    lines.push(open);

    // The first search of a new session: opened and unlocked untimed, then the first page.
    let mut first = Line::new("first rare-word search of a new session", "≤ 1.3× a warm search");
    interleave(
        &mut first,
        runs.sessions,
        |_| {
            let v = enc.open();
            v.unlock(PIN).unwrap();
            let d = time(|| assert!(!v.search_notes(RARE, Some(PAGE), None).unwrap().items.is_empty())).1;
            v.lock();
            d
        },
        |_| {
            let c = plain.open();
            let like = format!("%{RARE}%");
            time(|| {
                let mut stmt = c
                    .prepare_cached(&format!(
                        "SELECT {PLAIN_COLUMNS} FROM notes WHERE body LIKE ?1 ORDER BY occurred_at DESC, id DESC LIMIT ?2"
                    ))
                    .unwrap();
                assert!(!plain_rows(&mut stmt, params![like, PAGE]).is_empty());
            })
            .1
        },
    );
    lines.push(first);

    let mut unlock = Line::new("unlock without the KDF (1 PBKDF2 round)", "< 50 ms");
    for _ in 0..runs.sessions {
        unlock.core.push(enc.unlock());
    }
    lines.push(unlock);

    SizeFigures { notes: size, rare_hits, common_hits, lines }
}

trait NowMillis {
    fn now_millis(&self) -> i64;
}

impl NowMillis for ManualClock {
    fn now_millis(&self) -> i64 {
        brobygger_core::Clock::now(self).timestamp_millis()
    }
}

/// Grows both sides to `target` notes (untimed; the vault one durable create_note at a time).
fn grow(enc: &Encrypted, plain: &Plain, notes: &mut Vec<Added>, target: usize) {
    let from = notes.len();
    let t = Instant::now();
    let mut added = Vec::with_capacity(target.saturating_sub(from));
    for i in from..target {
        added.push(enc.create(i));
    }
    let core_s = t.elapsed();
    let t = Instant::now();
    plain.conn.execute_batch("BEGIN").unwrap();
    for (k, n) in added.iter().enumerate() {
        plain.insert(from + k, n);
    }
    plain.conn.execute_batch("COMMIT").unwrap();
    notes.extend(added);
    eprintln!(
        "grew to {target} notes: {:.1} s through create_note, {:.2} s plain (one transaction)",
        core_s.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
}

fn print_size(f: &SizeFigures) {
    println!(
        "\n### {} notes (rare word \"{RARE}\": {} hits; common word \"{COMMON}\": {} hits)\n",
        f.notes, f.rare_hits, f.common_hits
    );
    println!("| line | Brobygger p50 | p99 | plain p50 | p99 | ratio p50 / p99 | runs a side | budget |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for l in &f.lines {
        let (c50, c99) = (percentile(&l.core, 0.5), percentile(&l.core, 0.99));
        if l.plain.is_empty() {
            println!("| {} | {} | {} | | | | {} | {} |", l.name, ms(c50), ms(c99), l.core.len(), l.budget);
            continue;
        }
        let (p50, p99) = (percentile(&l.plain, 0.5), percentile(&l.plain, 0.99));
        println!(
            "| {} | {} | {} | {} | {} | {:.2} / {:.2} | {} | {} |",
            l.name,
            ms(c50),
            ms(c99),
            ms(p50),
            ms(p99),
            c50.as_secs_f64() / p50.as_secs_f64(),
            c99.as_secs_f64() / p99.as_secs_f64(),
            l.core.len(),
            l.budget
        );
    }
}

fn print_growth(all: &[SizeFigures]) {
    if all.len() < 2 {
        return;
    }
    let (first, last) = (&all[0], &all[all.len() - 1]);
    println!(
        "\n### How each cost grows: p50 at each size; × = p50 at {} over p50 at {} notes ({:.0}× the notes)\n",
        last.notes,
        first.notes,
        last.notes as f64 / first.notes as f64
    );
    let head: Vec<String> = all.iter().map(|f| f.notes.to_string()).collect();
    println!("| line | side | {} | × |", head.join(" | "));
    println!("| --- | --- |{} ---: |", " ---: |".repeat(all.len()));
    for l in &first.lines {
        for (side, pick) in [("Brobygger", 0), ("plain", 1)] {
            let p50 = |f: &SizeFigures| -> Option<Duration> {
                let line = f.lines.iter().find(|x| x.name == l.name)?;
                let v = if pick == 0 { &line.core } else { &line.plain };
                (!v.is_empty()).then(|| percentile(v, 0.5))
            };
            let cells: Vec<String> = all.iter().map(|f| p50(f).map_or("–".into(), ms)).collect();
            let growth = match (p50(first), p50(last)) {
                (Some(a), Some(b)) => format!("{:.2}", b.as_secs_f64() / a.as_secs_f64()),
                _ => "–".into(),
            };
            if cells.iter().all(|c| c == "–") {
                continue;
            }
            println!("| {} | {side} | {} | {growth} |", l.name, cells.join(" | "));
        }
    }
}

/// Counts the bench's heap (Rust allocations; SQLite's page cache is its own and bounded), so
/// the peak of one call can be read: what a search holds at once.
struct Counting;

static HEAP_NOW: AtomicUsize = AtomicUsize::new(0);
static HEAP_PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = HEAP_NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            HEAP_PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        HEAP_NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The peak heap of `f` above the heap before it (bytes), and what `f` returned.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = HEAP_NOW.load(Ordering::Relaxed);
    HEAP_PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (HEAP_PEAK.load(Ordering::Relaxed) - base, out)
}

fn memory(enc: &Encrypted, plain: &Plain, notes: usize) {
    let mib = |b: usize| format!("{:.2} MiB", b as f64 / (1024.0 * 1024.0));
    // (call, (Brobygger peak, hits), (plain peak, hits))
    type Case = (&'static str, (usize, usize), (usize, usize));
    let cases: Vec<Case> = vec![
        (
            "first page of 20 (paging)",
            peak_heap(|| enc.search(COMMON, None).items.len()),
            peak_heap(|| plain.search(COMMON, None).len()),
        ),
        (
            "every hit, pages of 1 000 gathered (no paging)",
            peak_heap(|| enc.search_all(COMMON).len()),
            peak_heap(|| plain.search_all(COMMON).len()),
        ),
        (
            "count_note_matches (a scan, nothing kept)",
            peak_heap(|| enc.count(COMMON) as usize),
            peak_heap(|| plain.count(COMMON) as usize),
        ),
    ];
    println!("\n### Peak heap of a common-word search over {notes} notes\n");
    println!(
        "Rust heap above what was allocated before the call, at its highest during the call (a counting allocator).\n"
    );
    println!("| call | Brobygger | hits | plain | hits |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, c, p) in cases {
        println!("| {name} | {} | {} | {} | {} |", mib(c.0), c.1, mib(p.0), p.1);
    }
}

/// PBKDF2-HMAC-SHA256 × 600 000 (the PIN KDF's slow half) beside Argon2id at OWASP's two
/// settings, interleaved (issue 13).
fn kdf_table(smoke: bool) {
    use argon2::{Algorithm, Argon2, Params, Version};
    let runs = if smoke { 1 } else { 7 };
    let (iterations, settings): (u32, [(u32, u32); 2]) =
        if smoke { (1_000, [(64, 1), (128, 1)]) } else { (kdf::PIN_KDF_ITERATIONS, [(19 * 1024, 2), (64 * 1024, 3)]) };
    let salt = *b"0123456789abcdef";
    let argon =
        |m: u32, t: u32| Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(m, t, 1, Some(32)).unwrap());
    let mut samples: [Vec<Duration>; 3] = Default::default();
    for r in 0..runs {
        for k in 0..3 {
            let which = (r + k) % 3;
            let d = match which {
                0 => time(|| kdf::stretch_pin(PIN, &salt, NonZeroU32::new(iterations).unwrap())).1,
                _ => {
                    let (m, t) = settings[which - 1];
                    let a = argon(m, t);
                    let mut out = [0u8; 32];
                    time(|| a.hash_password_into(PIN.as_bytes(), &salt, &mut out).unwrap()).1
                }
            };
            samples[which].push(d);
        }
    }
    println!("\n### PIN KDF: PBKDF2 beside Argon2id (interleaved, {runs} runs each, one thread)\n");
    println!("| KDF | median | min | max |");
    println!("| --- | ---: | ---: | ---: |");
    let names = [
        format!("PBKDF2-HMAC-SHA256 × {iterations} (ring; the current PIN KDF's slow half)"),
        format!("Argon2id m = {} KiB, t = {}, p = 1 (argon2 crate)", settings[0].0, settings[0].1),
        format!("Argon2id m = {} KiB, t = {}, p = 1 (argon2 crate)", settings[1].0, settings[1].1),
    ];
    for (name, s) in names.iter().zip(&samples) {
        println!(
            "| {name} | {} | {} | {} |",
            ms(percentile(s, 0.5)),
            ms(*s.iter().min().unwrap()),
            ms(*s.iter().max().unwrap())
        );
    }
}

/// WAL frames one durable save writes, on each side: the WAL is truncated (untimed), one
/// save runs, and the WAL's size says how many page frames it took.
fn wal_frames(enc: &Encrypted, plain: &Plain, notes: &mut Vec<Added>, saves: usize) -> [(f64, f64); 2] {
    let frames = |wal: &Path, db: &Path| -> u64 {
        let page =
            Connection::open(db).unwrap().query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0)).unwrap() as u64;
        let len = std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0);
        len.saturating_sub(32) / (page + 24)
    };
    let truncate = |db: &Path| {
        let c = Connection::open(db).unwrap();
        let busy: i64 = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0)).unwrap();
        assert_eq!(busy, 0);
    };
    let (mut cc, mut pc, mut cd, mut pd) = (0u64, 0u64, 0u64, 0u64);
    for k in 0..saves {
        let i = notes.len();
        truncate(&enc.db());
        let n = enc.create(i);
        cc += frames(&enc.wal(), &enc.db());
        truncate(&plain.path);
        plain.create(i, &n);
        pc += frames(&plain.wal(), &plain.path);
        notes.push(n);
        let target = &notes[(k * 7919) % notes.len()];
        truncate(&enc.db());
        enc.save_draft(target, "rettet");
        cd += frames(&enc.wal(), &enc.db());
        truncate(&plain.path);
        plain.save_draft(target, "rettet", enc.clock.now_millis());
        pd += frames(&plain.wal(), &plain.path);
    }
    let n = saves as f64;
    [(cc as f64 / n, pc as f64 / n), (cd as f64 / n, pd as f64 / n)]
}

/// Runs one operation `n` times, for a profiler: `--toggle-collect=*profile_loop*`.
#[inline(never)]
fn profile_loop(n: usize, mut op: impl FnMut(usize)) {
    for k in 0..n {
        op(k);
    }
}

fn profile(enc: &Encrypted, plain: &Plain, notes: &mut Vec<Added>, op: &str, n: usize) {
    let (rare_cursor, common_cursor) = check_agree(enc, plain);
    let [(cc, pc), (cd, pd)] = wal_frames(enc, plain, notes, 20);
    eprintln!(
        "WAL frames a save: create_note {cc:.1} (plain insert {pc:.1}); save_draft {cd:.1} (plain update {pd:.1})"
    );
    let base = notes.len();
    // A profiler can attach now (perf record -p PID): the setup is done.
    eprintln!("profile loop starts (pid {})", std::process::id());
    let t = Instant::now();
    match op {
        "save" => profile_loop(n, |k| {
            enc.create(base + k);
        }),
        "save_draft" => profile_loop(n, |k| enc.save_draft(&notes[(k * 7919) % base], &note_text(k))),
        "search_rare" => profile_loop(n, |_| assert!(!enc.search(RARE, None).items.is_empty())),
        "search_common" => profile_loop(n, |_| assert!(!enc.search(COMMON, None).items.is_empty())),
        "next_page" => profile_loop(n, |_| assert!(!enc.search(COMMON, common_cursor.as_deref()).items.is_empty())),
        "next_page_rare" => profile_loop(n, |_| assert!(!enc.search(RARE, rare_cursor.as_deref()).items.is_empty())),
        "recent" => profile_loop(n, |_| assert!(!enc.recent().items.is_empty())),
        "count" => profile_loop(n, |_| assert!(enc.count(COMMON) > 0)),
        "open" => profile_loop(n, |_| drop(enc.open())),
        "unlock" => profile_loop(n, |_| {
            enc.unlock();
        }),
        "first_search" => profile_loop(n, |_| {
            let v = enc.open();
            v.unlock(PIN).unwrap();
            assert!(!v.search_notes(RARE, Some(PAGE), None).unwrap().items.is_empty());
            v.lock();
        }),
        "plain_search_rare" => profile_loop(n, |_| assert!(!plain.search(RARE, None).is_empty())),
        other => panic!("unknown --profile operation {other}"),
    }
    let d = t.elapsed();
    eprintln!("{op}: {n} runs in {:.2} s, {} each", d.as_secs_f64(), ms(d / n as u32));
}

fn arg<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let enc = Encrypted::new();
    let plain = Plain::new(&enc.citizens);
    let mut notes: Vec<Added> = Vec::new();

    if let Some(op) = arg(&args, "--profile") {
        let size = arg(&args, "--notes").and_then(|n| n.parse().ok()).unwrap_or(10_000);
        let n = arg(&args, "--iterations").and_then(|n| n.parse().ok()).unwrap_or(100);
        grow(&enc, &plain, &mut notes, size);
        profile(&enc, &plain, &mut notes, op, n);
        return;
    }

    let sizes: Vec<usize> = match arg(&args, "--sizes").or(arg(&args, "--notes")) {
        Some(list) => list.split(',').map(|s| s.trim().parse().expect("--sizes 2000,10000")).collect(),
        None if full => vec![2_000, 10_000, 30_000],
        None => vec![300],
    };
    let runs = if full { FULL } else { SMOKE };
    let started = Instant::now();
    println!(
        "## Brobygger note workload vs plain SQLite (same schema and indexes, text in clear)\n\n\
         {CITIZENS} citizens; notes of about 600 characters, one in ten anonymous; WAL, synchronous=FULL on both sides. \
         Each line runs on both sides in alternation (order swapped every run); ratio = Brobygger / plain.{}",
        if full { "" } else { "\n\nSMOKE RUN (not `cargo bench`): a small workload that proves every line runs; the figures mean nothing." }
    );
    let mut all = Vec::new();
    for &size in &sizes {
        // The saves of the previous size already added some notes.
        let target = size.max(notes.len());
        grow(&enc, &plain, &mut notes, target);
        let f = measure(&enc, &plain, &mut notes, runs);
        print_size(&f);
        all.push(f);
    }
    print_growth(&all);
    let [(cc, pc), (cd, pd)] = wal_frames(&enc, &plain, &mut notes, if full { 20 } else { 2 });
    println!(
        "\nWAL frames (4 KiB pages) written by one durable save at {} notes: create_note {cc:.1} vs plain insert {pc:.1}; \
         save_draft {cd:.1} vs plain update {pd:.1}.",
        notes.len()
    );
    memory(&enc, &plain, notes.len());
    if !args.iter().any(|a| a == "--no-kdf") {
        kdf_table(!full);
    }
    println!("\nRun: {:.0} s.", started.elapsed().as_secs_f64());
}
