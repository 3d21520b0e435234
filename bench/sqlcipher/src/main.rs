//! The Brobygger workload on SQLite built as SQLCipher 4: once without a key (plain SQLite)
//! and once with `PRAGMA key` (page encryption with SQLCipher's default KDF), same schema,
//! same statements: 200 citizens, 10 000 notes, 1 000 durable saves, the 50 most recent,
//! a search over all notes; 5 000 appointments with 10 000 reminders, today's agenda and the
//! due-reminder query. Prints a Markdown table with SQLCipher / plain ratios.

use rusqlite::{params, Connection};
use std::time::{Duration, Instant};

const MIGRATIONS: [&str; 7] = [
    include_str!("../../../core/src/store/migrations/0001_vault.sql"),
    include_str!("../../../core/src/store/migrations/0002_citizens.sql"),
    include_str!("../../../core/src/store/migrations/0003_notes.sql"),
    include_str!("../../../core/src/store/migrations/0004_venues.sql"),
    include_str!("../../../core/src/store/migrations/0005_appointments.sql"),
    include_str!("../../../core/src/store/migrations/0006_reminders.sql"),
    include_str!("../../../core/src/store/migrations/0007_outbox_indexes.sql"),
];

fn note_text(i: usize) -> String {
    const WORDS: &[&str] = &[
        "kaffe", "snak", "om", "bolig", "ydelseskontoret", "brev", "hjælp", "til", "ansøgning", "læge", "aftale",
        "misbrugscenter", "økonomi", "gæld", "handleplan", "jobcenter", "samtale", "værested", "familie", "søvn",
        "mødte", "op", "i", "dag", "og", "fortalte", "at", "han", "vil", "gerne", "have", "støtte",
    ];
    let mut s = format!("Note {i}: ");
    if i % 100 == 0 {
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

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn time(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

struct Figures {
    save_p50: Duration,
    save_p99: Duration,
    recent: Duration,
    search: Duration,
    agenda: Duration,
    due: Duration,
    open: Duration,
}

fn run(key: Option<&str>) -> Figures {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bench.db");
    let open = |path: &std::path::Path| {
        let c = Connection::open(path).unwrap();
        if let Some(k) = key {
            c.pragma_update(None, "key", k).unwrap();
        }
        c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())).unwrap();
        c.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;")
            .unwrap();
        c
    };
    let conn = open(&path);
    for m in MIGRATIONS {
        conn.execute_batch(m).unwrap();
    }
    conn.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'general', x'00')", []).unwrap();
    for i in 0..200 {
        conn.execute(
            "INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES (?1, 1, 0, 0, ?2, x'00')",
            params![format!("c{i}"), format!("Borger {i}").into_bytes()],
        )
        .unwrap();
    }
    let mut ts = 0i64;
    for i in 0..10_000 {
        ts += 30_000;
        conn.execute(
            "INSERT INTO notes (id, citizen_id, key_id, state, created_at, updated_at, body, details) VALUES (?1, ?2, 1, 'draft', ?3, ?3, ?4, x'7b7d')",
            params![format!("n{i}"), if i % 10 == 0 { None } else { Some(format!("c{}", i % 200)) }, ts, note_text(i).into_bytes()],
        )
        .unwrap();
    }
    let day = 86_400_000i64;
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..5_000i64 {
        let start = 1_767_600_000_000 + (i / 20) * day + (i % 20) * 1_200_000;
        conn.execute(
            "INSERT INTO appointments (id, citizen_id, key_id, kind, starts_at, ends_at, time_zone, status, created_at, updated_at)
             VALUES (?1, ?2, 1, 'conversation', ?3, ?4, 'Europe/Copenhagen', 'planned', 0, 0)",
            params![format!("a{i}"), format!("c{}", i % 200), start, start + 1_200_000],
        )
        .unwrap();
        for (k, kind) in ["day_before", "hours_before"].iter().enumerate() {
            let send = start - if k == 0 { 17 * 3_600_000 } else { 7_200_000 };
            let state = if start < 1_767_600_000_000 + 120 * day { "sent" } else { "planned" };
            conn.execute(
                "INSERT INTO reminders (id, appointment_id, kind, send_at, state, payload, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, x'00', 0, 0)",
                params![format!("r{i}{k}"), format!("a{i}"), kind, send, state],
            )
            .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    // Opening (with SQLCipher: its key derivation) and the first read.
    let mut opens: Vec<Duration> = (0..9)
        .map(|_| {
            time(|| {
                let c = open(&path);
                let _: i64 = c.query_row("SELECT count(*) FROM citizens", [], |r| r.get(0)).unwrap();
            })
        })
        .collect();
    let conn = open(&path);
    let mut saves: Vec<Duration> = (0..1_000)
        .map(|i| {
            ts += 1000;
            let id = format!("n{}", (i * 7919) % 10_000);
            let body = format!("{} rettet {i}", note_text(i)).into_bytes();
            time(|| {
                let tx = conn.unchecked_transaction().unwrap();
                tx.execute("UPDATE notes SET updated_at = ?2, body = ?3 WHERE id = ?1", params![id, ts, body]).unwrap();
                tx.commit().unwrap();
            })
        })
        .collect();
    let mut recent: Vec<Duration> = (0..51)
        .map(|_| {
            time(|| {
                let mut s = conn
                    .prepare_cached("SELECT id, citizen_id, state, body, details FROM notes ORDER BY updated_at DESC, id LIMIT 50")
                    .unwrap();
                assert_eq!(s.query_map([], |r| r.get::<_, Vec<u8>>(3)).unwrap().count(), 50);
            })
        })
        .collect();
    let mut search: Vec<Duration> = (0..9)
        .map(|_| {
            time(|| {
                let mut s = conn.prepare_cached("SELECT id, body FROM notes").unwrap();
                let hits = s
                    .query_map([], |r| r.get::<_, Vec<u8>>(1))
                    .unwrap()
                    .filter(|b| String::from_utf8_lossy(b.as_ref().unwrap()).to_lowercase().contains("ærøskøbing"))
                    .count();
                assert!(hits > 0);
            })
        })
        .collect();
    let today = 1_767_600_000_000 + 160 * day;
    let mut agenda: Vec<Duration> = (0..101)
        .map(|_| {
            time(|| {
                let mut s = conn
                    .prepare_cached("SELECT id, citizen_id, kind, starts_at, ends_at, status, outside_place FROM appointments WHERE starts_at >= ?1 AND starts_at < ?2 AND status != 'rescheduled' ORDER BY starts_at, id")
                    .unwrap();
                s.query_map(params![today, today + day], |r| r.get::<_, String>(0)).unwrap().count();
            })
        })
        .collect();
    let mut due: Vec<Duration> = (0..101)
        .map(|_| {
            time(|| {
                let mut s = conn
                    .prepare_cached("SELECT r.id, r.payload FROM reminders r JOIN appointments a ON a.id = r.appointment_id WHERE r.state = 'planned' AND r.send_at <= ?1 AND r.hold IS NULL AND a.starts_at > ?1 ORDER BY r.send_at, r.id LIMIT 1")
                    .unwrap();
                let _ = s.query_map([today], |r| r.get::<_, String>(0)).unwrap().count();
            })
        })
        .collect();
    Figures {
        save_p50: pct(&mut saves, 0.5),
        save_p99: pct(&mut saves, 0.99),
        recent: pct(&mut recent, 0.5),
        search: pct(&mut search, 0.5),
        agenda: pct(&mut agenda, 0.5),
        due: pct(&mut due, 0.5),
        open: pct(&mut opens, 0.5),
    }
}

fn main() {
    let plain = run(None);
    let cipher = run(Some("correct horse battery staple"));
    let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1e3);
    let r = |a: Duration, b: Duration| format!("{:.2}", a.as_secs_f64() / b.as_secs_f64());
    println!("| measure | plain SQLite | SQLCipher 4 | SQLCipher / plain |");
    println!("| --- | --- | --- | --- |");
    for (name, p, c) in [
        ("open + first read (SQLCipher: its KDF)", plain.open, cipher.open),
        ("save a note durably, p50", plain.save_p50, cipher.save_p50),
        ("save a note durably, p99", plain.save_p99, cipher.save_p99),
        ("list 50 most recent", plain.recent, cipher.recent),
        ("search all notes", plain.search, cipher.search),
        ("today's agenda", plain.agenda, cipher.agenda),
        ("due-reminder query", plain.due, cipher.due),
    ] {
        println!("| {name} | {} | {} | {} |", ms(p), ms(c), r(c, p));
    }
}
