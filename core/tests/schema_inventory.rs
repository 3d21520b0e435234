//! Every column of every table is either sealed, a key in wrapped form, or one of the plain
//! columns README.md lists (section "What stays plain on disk"). A column added without a
//! decision here fails this test; a plain column missing from README fails it too.

use brobygger_core::store::migrations;
use brobygger_core::vault::keyring::SEALED_COLUMNS;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// Columns that hold keys, only ever wrapped, or MACs (no plaintext of anything).
const KEY_MATERIAL: &[(&str, &str)] = &[
    ("data_keys", "wrapped"),
    ("vault_meta", "recovery_wrap"),
    ("vault_meta", "outbox_key_wrapped"),
    ("vault_meta", "state_secret"),
    ("vault_meta", "state"),
    ("vault_meta", "legacy_device_secret_wrapped"),
    ("vault_meta", "legacy_pin_salt"),
    ("vault_meta", "legacy_pin_wrap"),
    ("seal_ledger", "mac"),
    ("citizens", "phone_index"),
    // Sealed under the outbox key, not the keyring: see README on what it can read.
    ("reminders", "payload"),
    // Sealed under the survey key, outside the ledger: see survey/mod.rs.
    ("survey_answers", "answers"),
    // The audit log's hash chain (SHA-256 of the entry and the one before).
    ("audit_log", "hash"),
    // Purged notes' counts, sealed under the general key with a seal-ledger entry
    // (retention/); listed here until SEALED_COLUMNS in vault/keyring.rs names it.
    ("note_tallies", "counts"),
];

/// Plain columns, by table, exactly as README.md lists them.
const PLAIN: &[(&str, &[&str])] = &[
    ("absences", &["id", "from_date", "to_date", "reason"]),
    (
        "appointments",
        &[
            "id",
            "citizen_id",
            "key_id",
            "venue_id",
            "kind",
            "starts_at",
            "ends_at",
            "time_zone",
            "status",
            "rescheduled_from",
            "rescheduled_to",
            "created_at",
            "updated_at",
            "outcome_at",
            "outcome_corrected_at",
            "cancel_reason",
        ],
    ),
    ("audit_log", &["seq", "at", "kind", "object", "count"]),
    ("citizens", &["id", "key_id", "created_at", "updated_at"]),
    ("data_keys", &["id", "purpose"]),
    ("survey_answers", &["id", "venue_id", "on_date"]),
    ("follow_ups", &["id", "note_id", "created_at", "due_date", "owner_role", "done_at"]),
    ("note_amendments", &["id", "note_id", "created_at"]),
    ("note_tallies", &["on_date"]),
    (
        "notes",
        &[
            "id",
            "citizen_id",
            "key_id",
            "state",
            "created_at",
            "updated_at",
            "finalized_at",
            "journalised_at",
            "occurred_at",
            "amendment_count",
        ],
    ),
    ("office_hours", &["id", "venue_id", "weekday", "start_minute", "end_minute", "valid_from", "valid_until"]),
    (
        "reminders",
        &[
            "id",
            "appointment_id",
            "kind",
            "send_at",
            "state",
            "hold",
            "attempts",
            "claim_id",
            "claimed_at",
            "lease_until",
            "awaiting_user",
            "next_attempt_at",
            "reason",
            "sent_at",
            "delivered_at",
            "created_at",
            "updated_at",
        ],
    ),
    ("seal_ledger", &["tbl", "row_id", "col"]),
    ("seal_ledger_state", &["id", "complete", "version"]),
    (
        "vault_meta",
        &[
            "id",
            "vault_id",
            "created_at",
            "format",
            "auto_lock_minutes",
            "pin_factor_key",
            "state_key",
            "previous_state_key",
            "legacy_kdf_iterations",
            "legacy_failed_pin_attempts",
            "legacy_device_key_name",
        ],
    ),
    ("vault_upgrades", &["id", "version"]),
    ("venues", &["id", "name", "address", "kind", "has_private_room", "time_zone", "created_at"]),
    ("worker_settings", &["id"]),
];

#[test]
fn every_column_is_sealed_key_material_or_listed_plain_in_the_readme() {
    let conn = Connection::open_in_memory().unwrap();
    migrations::migrate(&conn).unwrap();
    let mut tables: Vec<String> = {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    tables.sort();
    let sealed: BTreeSet<(&str, &str)> = SEALED_COLUMNS.iter().map(|c| (c.table, c.column)).collect();
    let keys: BTreeSet<(&str, &str)> = KEY_MATERIAL.iter().copied().collect();
    let plain: BTreeSet<(&str, &str)> = PLAIN.iter().flat_map(|(t, cols)| cols.iter().map(move |c| (*t, *c))).collect();
    let mut unclassified = Vec::new();
    let mut seen = BTreeSet::new();
    for t in &tables {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({t})")).unwrap();
        let cols: Vec<String> = stmt.query_map([], |r| r.get(1)).unwrap().map(|r| r.unwrap()).collect();
        for c in cols {
            let key = (t.as_str(), c.as_str());
            let classes = [sealed.contains(&key), keys.contains(&key), plain.contains(&key)];
            match classes.iter().filter(|x| **x).count() {
                1 => {}
                0 => unclassified.push(format!("{t}.{c}")),
                _ => panic!("{t}.{c} is listed twice"),
            }
            seen.insert((t.clone(), c));
        }
    }
    assert!(unclassified.is_empty(), "columns with no decision: {unclassified:?}");
    for (t, c) in plain.iter().chain(&sealed).chain(&keys) {
        assert!(seen.contains(&(t.to_string(), c.to_string())), "{t}.{c} is listed but does not exist");
    }
    // README lists every plain column, table by table, as `table`: `col`, `col`, ...
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for (t, cols) in PLAIN {
        let line = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{t}` |")))
            .unwrap_or_else(|| panic!("README lists no plain columns for {t}"));
        for c in *cols {
            assert!(line.contains(&format!("`{c}`")), "README's line for {t} misses {c}");
        }
    }
}
