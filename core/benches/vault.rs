//! Benchmarks on a vault of 200 citizens and 10 000 notes (SPEC §6):
//! unlock without the KDF, the KDF alone, durable note saves (p50/p99), search over all
//! notes, the 50 most recent; and the same note workload on plain SQLite with the same
//! schema (no encryption), reported as ratios.
//!
//! `cargo bench -p brobygger-core --bench vault [-- --notes N]`

use brobygger_core::crypto::kdf;
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::{ManualClock, NewCitizen, NoteInput, Topic, Vault};
use chrono::{TimeZone, Utc};
use rusqlite::{params, Connection};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CITIZENS: usize = 200;
const SAVES: usize = 1_000;
/// `cargo test --all-targets` runs this binary without `--bench`: a small smoke run then
/// checks that the benchmark still works, without the cost of the full workload.
const SMOKE_NOTES: usize = 300;

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

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn median_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| f()).collect();
    percentile(&mut v, 0.5)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

struct Figures {
    save_p50: Duration,
    save_p99: Duration,
    search: Duration,
    recent: Duration,
}

/// The encrypted vault with the workload's notes.
struct Encrypted {
    _tmp: tempfile::TempDir,
    vault: Vault,
    clock: Arc<ManualClock>,
    /// Each note's id and citizen.
    ids: Vec<(String, Option<String>)>,
}

impl Encrypted {
    fn new(notes: usize) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        let keys = Arc::new(MemoryKeyStore::new());
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap()));
        // One KDF round: the unlock figure is "without the KDF", which is measured on its own.
        let vault = Vault::create_with_test_kdf(&dir, "135790", keys.clone(), clock.clone(), 1).unwrap().vault;
        let citizens: Vec<String> = (0..CITIZENS)
            .map(|i| {
                vault.add_citizen(NewCitizen { nickname: format!("Borger {i}"), ..Default::default() }).unwrap().id
            })
            .collect();
        let mut ids = Vec::with_capacity(notes);
        for i in 0..notes {
            clock.advance(chrono::Duration::seconds(30));
            let citizen_id = if i % 10 == 0 { None } else { Some(citizens[i % CITIZENS].clone()) };
            let input = NoteInput {
                citizen_id: citizen_id.clone(),
                text: note_text(i),
                topics: vec![Topic::FinancesHousing],
                help_given: vec![],
            };
            ids.push((vault.create_note(input).unwrap().id, citizen_id));
        }
        Encrypted { _tmp: tmp, vault, clock, ids }
    }

    fn unlock(&self) -> Duration {
        self.vault.lock();
        time(|| self.vault.unlock("135790").unwrap()).1
    }

    fn save(&self, i: usize) {
        self.clock.advance(chrono::Duration::seconds(1));
        // A save as the worker types: same note, same citizen, new text (as in the plain workload).
        let (id, citizen_id) = &self.ids[(i * 7919) % self.ids.len()];
        let input = NoteInput {
            citizen_id: citizen_id.clone(),
            text: format!("{} rettet {i}", note_text(i)),
            topics: vec![Topic::FinancesHousing],
            help_given: vec![],
        };
        self.vault.save_draft(id, input).unwrap();
    }

    fn search(&self) {
        assert!(!self.vault.search_notes("ÆRØSKØBING").unwrap().is_empty());
    }

    fn recent(&self) {
        assert_eq!(self.vault.list_notes(None, Some(50)).unwrap().len(), 50);
    }
}

/// The same schema and the same workload with plaintext columns: the price of encryption.
struct Plain {
    _tmp: tempfile::TempDir,
    conn: Connection,
    notes: usize,
    ts: std::cell::Cell<i64>,
}

impl Plain {
    fn new(notes: usize) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let conn = Connection::open(tmp.path().join("plain.db")).unwrap();
        conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())).unwrap();
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;",
        )
        .unwrap();
        brobygger_core::store::migrations::migrate(&conn).unwrap();
        conn.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'general', x'00')", []).unwrap();
        for i in 0..CITIZENS {
            conn.execute(
                "INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES (?1, 1, 0, 0, ?2, x'00')",
                params![format!("c{i}"), format!("Borger {i}").into_bytes()],
            )
            .unwrap();
        }
        let mut ts = 0i64;
        for i in 0..notes {
            ts += 30_000;
            let citizen = if i % 10 == 0 { None } else { Some(format!("c{}", i % CITIZENS)) };
            conn.execute(
                "INSERT INTO notes (id, citizen_id, key_id, state, created_at, updated_at, body, details) VALUES (?1, ?2, 1, 'draft', ?3, ?3, ?4, ?5)",
                params![format!("n{i}"), citizen, ts, note_text(i).into_bytes(), br#"{"topics":["finances_housing"],"help_given":[]}"#.to_vec()],
            )
            .unwrap();
        }
        Plain { _tmp: tmp, conn, notes, ts: std::cell::Cell::new(ts) }
    }

    fn save(&self, i: usize) {
        let ts = self.ts.get() + 1000;
        self.ts.set(ts);
        let id = format!("n{}", (i * 7919) % self.notes);
        let body = format!("{} rettet {i}", note_text(i)).into_bytes();
        let tx = self.conn.unchecked_transaction().unwrap();
        let _: (i64, String) = tx
            .query_row("SELECT key_id, state FROM notes WHERE id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        tx.execute("UPDATE notes SET updated_at = ?2, body = ?3 WHERE id = ?1", params![id, ts, body]).unwrap();
        tx.commit().unwrap();
        load_plain(&self.conn, &id);
    }

    fn search(&self) {
        let mut stmt = self.conn.prepare_cached("SELECT id, body FROM notes").unwrap();
        let hits: Vec<String> = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))
            .unwrap()
            .filter_map(|r| r.ok())
            .filter(|(_, b)| {
                let mut folded = Vec::new();
                brobygger_core::text::fold_into(b, &mut folded)
                    && memchr::memmem::find(&folded, "ærøskøbing".as_bytes()).is_some()
            })
            .map(|(id, _)| id)
            .collect();
        assert!(!hits.is_empty());
        for id in &hits {
            load_plain(&self.conn, id);
        }
    }

    fn recent(&self) {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, citizen_id, state, body, details FROM notes ORDER BY updated_at DESC, id LIMIT 50",
            )
            .unwrap();
        let n = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(3)?, r.get::<_, Vec<u8>>(4)?)))
            .unwrap()
            .map(|r| {
                let (id, body, details) = r.unwrap();
                let parsed =
                    (String::from_utf8(body).unwrap(), serde_json::from_slice::<serde_json::Value>(&details).unwrap());
                load_children(&self.conn, &id);
                parsed
            })
            .count();
        assert_eq!(n, 50);
    }
}

/// Both workloads measured in alternation, one operation each in turn, so that a noisy
/// moment on the machine (a shared VM) falls on both sides rather than skewing a ratio.
fn side_by_side(notes: usize) -> (Figures, Figures, Duration) {
    let enc = Encrypted::new(notes);
    let plain = Plain::new(notes);
    let unlock = median_of(15, || enc.unlock());
    let (mut enc_saves, mut plain_saves) = (Vec::with_capacity(SAVES), Vec::with_capacity(SAVES));
    for i in 0..SAVES {
        enc_saves.push(time(|| enc.save(i)).1);
        plain_saves.push(time(|| plain.save(i)).1);
    }
    let alternate = |runs: usize, a: &dyn Fn(), b: &dyn Fn()| {
        let (mut x, mut y) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
        for _ in 0..runs {
            x.push(time(a).1);
            y.push(time(b).1);
        }
        (percentile(&mut x, 0.5), percentile(&mut y, 0.5))
    };
    let (enc_search, plain_search) = alternate(9, &|| enc.search(), &|| plain.search());
    if std::env::var_os("BENCH_SEARCH_LOOP").is_some() {
        // For profilers: spend a while in search alone.
        for _ in 0..100 {
            enc.search();
        }
    }
    let (enc_recent, plain_recent) = alternate(51, &|| enc.recent(), &|| plain.recent());
    let figures = |saves: &mut Vec<Duration>, search, recent| Figures {
        save_p50: percentile(saves, 0.5),
        save_p99: percentile(saves, 0.99),
        search,
        recent,
    };
    (figures(&mut enc_saves, enc_search, enc_recent), figures(&mut plain_saves, plain_search, plain_recent), unlock)
}

/// What the core reads back for one note: the row, its amendments and follow-ups.
fn load_plain(conn: &Connection, id: &str) {
    let (body, details): (Vec<u8>, Vec<u8>) = conn
        .prepare_cached("SELECT id, citizen_id, key_id, state, created_at, updated_at, finalized_at, journalised_at, body, details, journal_ref FROM notes WHERE id = ?1")
        .unwrap()
        .query_row([id], |r| Ok((r.get(8)?, r.get(9)?)))
        .unwrap();
    let _ = (String::from_utf8(body).unwrap(), serde_json::from_slice::<serde_json::Value>(&details).unwrap());
    load_children(conn, id);
}

fn load_children(conn: &Connection, id: &str) {
    let mut a = conn
        .prepare_cached(
            "SELECT id, created_at, body FROM note_amendments WHERE note_id = ?1 ORDER BY created_at, rowid",
        )
        .unwrap();
    let _ = a.query_map([id], |r| r.get::<_, Vec<u8>>(2)).unwrap().count();
    let mut f = conn
        .prepare_cached("SELECT id, note_id, created_at, due_date, owner_role, done_at, body FROM follow_ups WHERE note_id = ?1 ORDER BY created_at, rowid")
        .unwrap();
    let _ = f.query_map([id], |r| r.get::<_, Vec<u8>>(6)).unwrap().count();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let notes = args
        .iter()
        .position(|a| a == "--notes")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if args.iter().any(|a| a == "--bench") { 10_000usize } else { SMOKE_NOTES });
    if args.iter().any(|a| a == "--list") {
        return;
    }
    println!("Brobygger note workload: {CITIZENS} citizens, {notes} notes, {SAVES} durable saves\n");
    let dev = brobygger_core::crypto::SecretKey::generate().unwrap();
    let kdf_time = median_of(5, || {
        time(|| {
            kdf::pin_wrapping_key(
                "135790",
                b"0123456789abcdef",
                NonZeroU32::new(kdf::PIN_KDF_ITERATIONS).unwrap(),
                &dev,
            )
        })
        .1
    });
    let (b, p, unlock) = side_by_side(notes);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("| measure | Brobygger | plain SQLite | ratio | budget |");
    println!("| --- | --- | --- | --- | --- |");
    println!("| PIN KDF alone (PBKDF2-SHA256 x {}) | {} | | | stated |", kdf::PIN_KDF_ITERATIONS, ms(kdf_time));
    println!("| unlock without the KDF | {} | | | < 50 ms |", ms(unlock));
    println!(
        "| save a note durably, p50 | {} | {} | {:.2} | |",
        ms(b.save_p50),
        ms(p.save_p50),
        ratio(b.save_p50, p.save_p50)
    );
    println!(
        "| save a note durably, p99 | {} | {} | {:.2} | < 5 ms |",
        ms(b.save_p99),
        ms(p.save_p99),
        ratio(b.save_p99, p.save_p99)
    );
    println!("| search all notes | {} | {} | {:.2} | < 50 ms |", ms(b.search), ms(p.search), ratio(b.search, p.search));
    println!("| list 50 most recent | {} | {} | {:.2} | |", ms(b.recent), ms(p.recent), ratio(b.recent, p.recent));
    if let Some(peak) = peak_memory_kib() {
        println!("\nPeak resident memory of this process (both workloads): {:.1} MiB", peak as f64 / 1024.0);
    }
}

/// VmHWM from /proc (Linux): the process's peak resident set.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
