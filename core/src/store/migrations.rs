//! Versioned schema migrations: numbered SQL files, applied in order, each in its own
//! transaction together with the `user_version` bump, so a crash leaves either the old
//! or the new schema, never half of one.

use crate::error::{CoreError, CoreResult};
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// (version, SQL). Append only; never edit a migration that has shipped.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/0001_vault.sql")),
    (2, include_str!("migrations/0002_citizens.sql")),
    (3, include_str!("migrations/0003_notes.sql")),
    (4, include_str!("migrations/0004_venues.sql")),
    (5, include_str!("migrations/0005_appointments.sql")),
    (6, include_str!("migrations/0006_reminders.sql")),
    (7, include_str!("migrations/0007_outbox_indexes.sql")),
    (8, include_str!("migrations/0008_seal_ledger.sql")),
    (9, include_str!("migrations/0009_sealed_state.sql")),
    (10, include_str!("migrations/0010_notes_pages.sql")),
    (11, include_str!("migrations/0011_survey.sql")),
    (12, include_str!("migrations/0012_lifecycle.sql")),
    (13, include_str!("migrations/0013_attention_indexes.sql")),
];

pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub fn current_version(conn: &Connection) -> CoreResult<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

pub fn migrate(conn: &Connection) -> CoreResult<()> {
    migrate_to(conn, LATEST)
}

/// Applies every migration above the current version up to `target`.
pub fn migrate_to(conn: &Connection, target: u32) -> CoreResult<()> {
    let current = current_version(conn)?;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current && *v <= target) {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let applied =
            conn.execute_batch(sql).and_then(|_| conn.execute_batch(&format!("PRAGMA user_version = {version}")));
        match applied {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        }
    }
    Ok(())
}

/// Every schema object of a database: (type, name, table, SQL). `sqlite_master` keeps the
/// SQL text exactly as the migration created it.
type Schema = BTreeSet<(String, String, String, Option<String>)>;

fn schema_of(conn: &Connection) -> CoreResult<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The schema the migrations create at each version, built once per process in memory.
fn expected_schema(version: u32) -> CoreResult<&'static Schema> {
    static EXPECTED: OnceLock<Vec<Schema>> = OnceLock::new();
    if EXPECTED.get().is_none() {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys=ON")?;
        let mut all = vec![schema_of(&conn)?];
        for (v, _) in MIGRATIONS {
            migrate_to(&conn, *v)?;
            all.push(schema_of(&conn)?);
        }
        let _ = EXPECTED.set(all);
    }
    EXPECTED.get().and_then(|all| all.get(version as usize)).ok_or(CoreError::Internal { reason: "expected schema" })
}

/// Refuses a file whose schema differs from what the migrations create at its version: a
/// trigger, view, table or index added (or changed) outside the app is tampering.
pub fn check_schema(conn: &Connection, version: u32) -> CoreResult<()> {
    if &schema_of(conn)? != expected_schema(version)? {
        log::warn!("the vault file's schema holds objects the migrations did not create");
        return Err(CoreError::Tampered);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    }

    fn fresh() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("PRAGMA foreign_keys=ON").unwrap();
        c
    }

    #[test]
    fn versions_are_dense_and_ordered() {
        for (i, (v, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v as usize, i + 1);
        }
    }

    #[test]
    fn migration_1_creates_vault_tables() {
        let c = fresh();
        migrate_to(&c, 1).unwrap();
        assert_eq!(current_version(&c).unwrap(), 1);
        assert_eq!(tables(&c), vec!["data_keys", "vault_meta"]);
        // Only one meta row may exist.
        c.execute("INSERT INTO vault_meta (id, vault_id, created_at, kdf_algorithm, kdf_iterations, device_key_name, device_secret_wrapped, recovery_wrap) VALUES (1,'v',0,'a',1,'k',x'00',x'00')", []).unwrap();
        assert!(c.execute("INSERT INTO vault_meta (id, vault_id, created_at, kdf_algorithm, kdf_iterations, device_key_name, device_secret_wrapped, recovery_wrap) VALUES (2,'v',0,'a',1,'k',x'00',x'00')", []).is_err());
    }

    #[test]
    fn migration_2_adds_citizens_and_keeps_keys() {
        let c = fresh();
        migrate_to(&c, 1).unwrap();
        c.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'general', x'01')", []).unwrap();
        migrate_to(&c, 2).unwrap();
        assert_eq!(current_version(&c).unwrap(), 2);
        assert!(tables(&c).contains(&"citizens".to_string()));
        let n: i64 = c.query_row("SELECT count(*) FROM data_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        // A citizen must point at an existing key.
        assert!(c.execute("INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES ('c', 99, 0, 0, x'00', x'00')", []).is_err());
        c.execute("INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES ('c', 1, 0, 0, x'00', x'00')", []).unwrap();
    }

    #[test]
    fn migration_3_adds_notes_with_cascade() {
        let c = fresh();
        migrate_to(&c, 2).unwrap();
        c.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'citizen', x'01')", []).unwrap();
        c.execute("INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES ('c', 1, 0, 0, x'00', x'00')", []).unwrap();
        migrate_to(&c, 3).unwrap();
        assert_eq!(current_version(&c).unwrap(), 3);
        c.execute("INSERT INTO notes (id, citizen_id, key_id, state, created_at, updated_at, body, details) VALUES ('n', 'c', 1, 'draft', 0, 0, x'00', x'00')", []).unwrap();
        c.execute("INSERT INTO note_amendments (id, note_id, created_at, body) VALUES ('a', 'n', 0, x'00')", [])
            .unwrap();
        c.execute("INSERT INTO follow_ups (id, note_id, created_at, owner_role, body) VALUES ('f', 'n', 0, 'caseworker', x'00')", []).unwrap();
        assert!(c.execute("INSERT INTO notes (id, key_id, state, created_at, updated_at, body, details) VALUES ('m', 1, 'bogus', 0, 0, x'00', x'00')", []).is_err());
        c.execute("DELETE FROM citizens WHERE id='c'", []).unwrap();
        for t in ["notes", "note_amendments", "follow_ups"] {
            let n: i64 = c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
            assert_eq!(n, 0, "{t} should cascade");
        }
    }

    fn seed_citizen(c: &Connection) {
        c.execute("INSERT INTO data_keys (id, purpose, wrapped) VALUES (1, 'citizen', x'01')", []).unwrap();
        c.execute("INSERT INTO citizens (id, key_id, created_at, updated_at, nickname, sms) VALUES ('c', 1, 0, 0, x'00', x'00')", []).unwrap();
    }

    #[test]
    fn migration_4_adds_venues_hours_absences() {
        let c = fresh();
        migrate_to(&c, 3).unwrap();
        migrate_to(&c, 4).unwrap();
        c.execute("INSERT INTO venues (id, name, kind, created_at) VALUES ('v', 'Borgercaféen', 'municipal', 0)", [])
            .unwrap();
        let tz: String = c.query_row("SELECT time_zone FROM venues", [], |r| r.get(0)).unwrap();
        assert_eq!(tz, "Europe/Copenhagen");
        c.execute(
            "INSERT INTO office_hours (id, venue_id, weekday, start_minute, end_minute) VALUES ('h', 'v', 2, 600, 840)",
            [],
        )
        .unwrap();
        assert!(c.execute("INSERT INTO office_hours (id, venue_id, weekday, start_minute, end_minute) VALUES ('x', 'v', 8, 600, 840)", []).is_err());
        assert!(c.execute("INSERT INTO office_hours (id, venue_id, weekday, start_minute, end_minute) VALUES ('y', 'v', 2, 900, 840)", []).is_err());
        assert!(c.execute("INSERT INTO absences (id, from_date, to_date, reason) VALUES ('a', '2026-07-10', '2026-07-01', 'vacation')", []).is_err());
        c.execute("INSERT INTO absences (id, from_date, to_date, reason) VALUES ('a', '2026-07-01', '2026-07-10', 'vacation')", []).unwrap();
    }

    #[test]
    fn migration_5_adds_appointments_keeping_citizens() {
        let c = fresh();
        migrate_to(&c, 4).unwrap();
        seed_citizen(&c);
        migrate_to(&c, 5).unwrap();
        c.execute("INSERT INTO appointments (id, citizen_id, key_id, kind, starts_at, ends_at, time_zone, status, created_at, updated_at) VALUES ('a', 'c', 1, 'conversation', 10, 20, 'Europe/Copenhagen', 'planned', 0, 0)", []).unwrap();
        assert!(c.execute("INSERT INTO appointments (id, citizen_id, key_id, kind, starts_at, ends_at, time_zone, status, created_at, updated_at) VALUES ('b', 'c', 1, 'conversation', 20, 10, 'Europe/Copenhagen', 'planned', 0, 0)", []).is_err());
        assert!(c.execute("INSERT INTO appointments (id, citizen_id, key_id, kind, starts_at, ends_at, time_zone, status, created_at, updated_at) VALUES ('d', 'c', 1, 'party', 10, 20, 'Europe/Copenhagen', 'planned', 0, 0)", []).is_err());
        c.execute("INSERT INTO worker_settings (id) VALUES (1)", []).unwrap();
    }

    #[test]
    fn migration_6_adds_the_outbox() {
        let c = fresh();
        migrate_to(&c, 5).unwrap();
        c.execute("INSERT INTO vault_meta (id, vault_id, created_at, kdf_algorithm, kdf_iterations, device_key_name, device_secret_wrapped, recovery_wrap) VALUES (1,'v',0,'a',1,'k',x'00',x'00')", []).unwrap();
        seed_citizen(&c);
        c.execute("INSERT INTO appointments (id, citizen_id, key_id, kind, starts_at, ends_at, time_zone, status, created_at, updated_at) VALUES ('a', 'c', 1, 'conversation', 10, 20, 'Europe/Copenhagen', 'planned', 0, 0)", []).unwrap();
        migrate_to(&c, 6).unwrap();
        let outbox: Option<Vec<u8>> =
            c.query_row("SELECT outbox_key_wrapped FROM vault_meta", [], |r| r.get(0)).unwrap();
        assert!(outbox.is_none(), "existing vaults get their outbox key on first use");
        c.execute("INSERT INTO reminders (id, appointment_id, kind, send_at, state, created_at, updated_at) VALUES ('r', 'a', 'day_before', 5, 'planned', 0, 0)", []).unwrap();
        assert!(c.execute("INSERT INTO reminders (id, appointment_id, kind, send_at, state, created_at, updated_at) VALUES ('s', 'a', 'day_before', 5, 'due', 0, 0)", []).is_err());
    }

    #[test]
    fn migration_7_indexes_the_outbox_queries() {
        let c = fresh();
        migrate_to(&c, 7).unwrap();
        let plan = |sql: &str| -> String {
            let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().map(|r| r.unwrap()).collect::<Vec<_>>().join("; ")
        };
        assert!(plan("SELECT min(send_at) FROM reminders WHERE state = 'planned'").contains("reminders_planned"));
        assert!(plan("SELECT id FROM reminders WHERE state = 'planned' AND send_at <= 5 ORDER BY send_at LIMIT 1")
            .contains("reminders_planned"));
        assert!(plan(
            "SELECT min(next_attempt_at) FROM reminders WHERE state = 'failed' AND next_attempt_at IS NOT NULL"
        )
        .contains("reminders_retry"));
        assert!(
            plan("SELECT id FROM reminders WHERE state = 'claimed' AND lease_until < 5").contains("reminders_leased")
        );
    }

    #[test]
    fn migration_8_adds_the_seal_ledger_and_its_clean_up_triggers() {
        let c = fresh();
        migrate_to(&c, 7).unwrap();
        seed_citizen(&c);
        migrate_to(&c, 8).unwrap();
        assert_eq!(current_version(&c).unwrap(), 8);
        let complete: i64 = c.query_row("SELECT complete FROM seal_ledger_state", [], |r| r.get(0)).unwrap();
        assert_eq!(complete, 0, "envelopes sealed before the ledger are recorded at the next unlock");
        let count =
            |c: &Connection| -> i64 { c.query_row("SELECT count(*) FROM seal_ledger", [], |r| r.get(0)).unwrap() };
        for col in ["nickname", "case_ref"] {
            c.execute("INSERT INTO seal_ledger (tbl, row_id, col, mac) VALUES ('citizens', 'c', ?1, x'00')", [col])
                .unwrap();
        }
        c.execute("UPDATE citizens SET case_ref = NULL WHERE id = 'c'", []).unwrap();
        assert_eq!(count(&c), 1, "a cleared column loses its entry");
        c.execute("DELETE FROM citizens WHERE id = 'c'", []).unwrap();
        assert_eq!(count(&c), 0, "a deleted row loses its entries");
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let c = fresh();
        migrate(&c).unwrap();
        migrate(&c).unwrap();
        assert_eq!(current_version(&c).unwrap(), LATEST);
    }
}
