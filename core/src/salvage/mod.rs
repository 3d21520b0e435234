//! Salvage: what can still be read of a damaged vault, copied into a new vault, with the
//! recovery key. For support, when a file is so damaged that the app cannot work with it.
//!
//! The damaged folder is never written: its files are copied first, and the copy is read.
//! Rows are read one at a time by rowid, so a damaged page costs the rows on it, not the
//! table; every sealed value of a row must open (AES-GCM, bound to its table, row and column)
//! before the row is copied; a row that does not open, or whose parent row was lost, is
//! skipped and counted. The new vault has the same vault key (so its ciphertexts stay as they
//! are), a new PIN, new platform keys and a seal ledger recorded anew for what was copied.
//!
//! Limit: the damaged file's ledger cannot be trusted, so a row that an attacker had written
//! back from an older copy before the damage is copied as it is (it still had to open).

use crate::clock::Clock;
use crate::crypto::envelope::{self, Aad, KeyId};
use crate::crypto::{kdf, SecretKey};
use crate::error::{CoreError, CoreResult};
use crate::store;
use crate::time::millis;
use crate::vault::keyring::{envelope_error, subkey, Bound, Keyring, LEDGER_VERSION, SEALED_COLUMNS};
use crate::vault::state::{self, PinWrap, VaultState};
use crate::vault::{pin, recovery, KeyStore, Vault};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params_from_iter, Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// How much of one table came across.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSalvage {
    pub table: &'static str,
    pub copied: u32,
    pub skipped: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SalvageReport {
    pub tables: Vec<TableSalvage>,
}

impl SalvageReport {
    pub fn skipped(&self) -> u32 {
        self.tables.iter().map(|t| t.skipped).sum()
    }
}

/// The tables copied, parents before children.
const TABLES: &[&str] = &[
    "citizens",
    "venues",
    "office_hours",
    "absences",
    "notes",
    "note_amendments",
    "follow_ups",
    "appointments",
    "reminders",
    "worker_settings",
];

/// The data keys of the damaged vault, unwrapped (by the wrap subkey or, for a vault from
/// before migration 9, by the vault key itself).
struct SourceKeys {
    keys: HashMap<KeyId, SecretKey>,
}

impl SourceKeys {
    fn open(&self, sealed: &[u8], aad: Aad<'_>) -> bool {
        let Ok(id) = envelope::key_id_of(sealed) else { return false };
        self.keys.get(&id).is_some_and(|k| envelope::open(k, aad, sealed).is_ok())
    }
}

/// Every rowid of `table` that can be reached: the table's own walk where it works, and one
/// look-up per rowid up to the largest where it does not (a damaged page costs its rows only).
/// Also how many rowids were there but could not be read.
fn rowids(conn: &Connection, table: &str) -> (Vec<i64>, u32) {
    let max: i64 = conn
        .query_row(&format!("SELECT max(rowid) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(None::<i64>)
        .unwrap_or(0);
    let mut found = Vec::new();
    let mut lost = 0;
    let walked = (|| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(&format!("SELECT rowid FROM {table} ORDER BY rowid"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            found.push(r.get(0)?);
        }
        Ok(())
    })();
    if walked.is_err() {
        let mut stmt = match conn.prepare(&format!("SELECT 1 FROM {table} WHERE rowid = ?1")) {
            Ok(s) => s,
            Err(_) => return (found, 1),
        };
        let last = found.last().copied().unwrap_or(0);
        for rowid in last + 1..=max {
            match stmt.query_row([rowid], |_| Ok(())) {
                Ok(()) => found.push(rowid),
                Err(rusqlite::Error::QueryReturnedNoRows) => {}
                Err(_) => lost += 1,
            }
        }
    }
    (found, lost)
}

fn columns(conn: &Connection, table: &str) -> CoreResult<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let cols = stmt.query_map([], |r| r.get(1))?.collect::<Result<Vec<String>, _>>()?;
    Ok(cols)
}

fn id_text(table: &str, row: &[(String, Value)]) -> Option<String> {
    let id = row.iter().find(|(c, _)| c == "id").map(|(_, v)| v)?;
    match (table, id) {
        (_, Value::Text(t)) => Some(t.clone()),
        ("worker_settings", Value::Integer(i)) => Some(i.to_string()),
        _ => None,
    }
}

impl Vault {
    /// Reads what can be read of the damaged vault in `source` into a new vault in `target`
    /// (which must not hold one), with the recovery key, and opens it unlocked under
    /// `new_pin`. `source` is never written. Returns the new vault and what was copied and
    /// skipped, table by table.
    pub fn salvage(
        source: &Path,
        recovery_key: &str,
        target: &Path,
        new_pin: &str,
        key_store: Arc<dyn KeyStore>,
        clock: Arc<dyn Clock>,
    ) -> CoreResult<(Vault, SalvageReport)> {
        pin::check_new("new_pin", new_pin)?;
        let recovery = recovery::parse(recovery_key)?;
        if store::db_path(target).exists() {
            return Err(CoreError::VaultExists);
        }
        if !store::db_path(source).is_file() {
            return Err(CoreError::NoVault);
        }
        store::ensure_dir(target)?;
        // Read a copy: opening the damaged file itself could make SQLite write to it.
        let copy_dir = target.join("salvage-source");
        store::ensure_dir(&copy_dir)?;
        for name in std::iter::once(store::DB_FILE).chain(store::SIDE_FILES) {
            if source.join(name).is_file() && name != store::SIDE_FILES[1] {
                std::fs::copy(source.join(name), copy_dir.join(name))
                    .map_err(|_| CoreError::Storage { reason: "cannot copy the damaged vault".into() })?;
            }
        }
        let result = Self::salvage_copy(&copy_dir, &recovery, target, new_pin, &*key_store, &*clock);
        let _ = std::fs::remove_dir_all(&copy_dir);
        let report = result?;
        let vault = Vault::open(target, key_store, clock)?;
        vault.unlock(new_pin)?;
        vault.reseal_outbox_if_lost()?;
        Ok((vault, report))
    }

    fn salvage_copy(
        copy: &Path,
        recovery: &SecretKey,
        target: &Path,
        new_pin: &str,
        key_store: &dyn KeyStore,
        clock: &dyn Clock,
    ) -> CoreResult<SalvageReport> {
        let src = Connection::open_with_flags(store::db_path(copy), OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|_| CoreError::Corrupt)?;
        let version = store::migrations::current_version(&src).map_err(|_| CoreError::Corrupt)?;
        if version == 0 || version > store::migrations::LATEST {
            return Err(CoreError::Corrupt);
        }
        store::migrations::migrate(&src).map_err(|_| CoreError::Corrupt)?;
        let (vault_id, created_at, auto_lock, recovery_wrap): (String, i64, u32, Vec<u8>) = src
            .query_row(
                "SELECT vault_id, created_at, auto_lock_minutes, recovery_wrap FROM vault_meta WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|_| CoreError::Corrupt)?;
        let raw = envelope::open(recovery, Aad::new("vault_meta", &vault_id, "recovery_wrap"), &recovery_wrap)
            .map_err(|_| CoreError::WrongRecoveryKey)?;
        let vault_key = SecretKey::from_slice(&raw)?;

        // The data keys that still unwrap.
        let wrap_key = envelope::aead_key(&subkey(&vault_key, b"data key wrap v2")?).map_err(envelope_error)?;
        let legacy = envelope::aead_key(&vault_key).map_err(envelope_error)?;
        let mut source_keys = SourceKeys { keys: HashMap::new() };
        let mut key_rows = Vec::new();
        let mut report = SalvageReport::default();
        let mut key_report = TableSalvage { table: "data_keys", copied: 0, skipped: 0 };
        let (key_rowids, lost_keys) = rowids(&src, "data_keys");
        key_report.skipped += lost_keys;
        for rowid in key_rowids {
            let row: rusqlite::Result<(i64, String, Vec<u8>)> =
                src.query_row("SELECT id, purpose, wrapped FROM data_keys WHERE rowid = ?1", [rowid], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                });
            let Ok((id, purpose, wrapped)) = row else {
                key_report.skipped += 1;
                continue;
            };
            let row_id = id.to_string();
            let aad = Aad::new("data_keys", &row_id, "wrapped");
            let opened =
                envelope::open_with(&wrap_key, aad, &wrapped).or_else(|_| envelope::open_with(&legacy, aad, &wrapped));
            match opened.ok().and_then(|k| SecretKey::from_slice(&k).ok()) {
                Some(k) => {
                    source_keys.keys.insert(id as KeyId, k.clone());
                    key_rows.push((id, purpose, k));
                    key_report.copied += 1;
                }
                None => key_report.skipped += 1,
            }
        }
        report.tables.push(key_report);
        let general =
            key_rows.iter().filter(|(_, p, _)| p == "general").map(|(id, _, _)| *id).min().ok_or(CoreError::Corrupt)?;

        let mut dst = store::create(target)?;
        let mut keys = Keyring::new(vault_key.clone(), general as KeyId)?;
        let factor_key = state::fresh_key_name(&vault_id, "pin")?;
        let salt = state::salt()?;
        let iterations = if cfg!(any(test, feature = "insecure-test-kdf")) { 1_000 } else { kdf::PIN_KDF_ITERATIONS };
        let stretched = kdf::stretch_pin(new_pin, &salt, kdf::checked_iterations(iterations)?);
        let factor = zeroize::Zeroizing::new(
            key_store.pin_factor(&factor_key, stretched.as_ref(), true).map_err(state::key_store_error)?,
        );
        let pin_key = kdf::pin_key(&stretched, &factor, iterations)?;
        let params = format!("pin_wrap/{}/{iterations}", kdf::PIN_KDF_ALGORITHM);
        let wrap = envelope::seal(&pin_key, 0, Aad::new("vault_meta", &vault_id, &params), vault_key.as_bytes())
            .map_err(envelope_error)?;
        let upgrades: u32 =
            src.query_row("SELECT version FROM vault_upgrades WHERE id = 1", [], |r| r.get(0)).unwrap_or(0);

        let now = clock.now();
        store::write_tx(&mut dst, |tx| {
            tx.execute(
                "INSERT INTO vault_meta (id, vault_id, created_at, format, auto_lock_minutes, recovery_wrap, pin_factor_key,
                    state_key, state_secret, state) VALUES (1, ?1, ?2, 2, ?3, ?4, ?5, '', x'', x'')",
                rusqlite::params![vault_id, created_at, auto_lock, recovery_wrap, factor_key],
            )?;
            for (id, purpose, key) in &key_rows {
                tx.execute(
                    "INSERT INTO data_keys (id, purpose, wrapped) VALUES (?1, ?2, x'')",
                    rusqlite::params![id, purpose],
                )?;
                let wrapped = envelope::seal_with(
                    &wrap_key,
                    0,
                    Aad::new("data_keys", &id.to_string(), "wrapped"),
                    key.as_bytes(),
                )
                .map_err(envelope_error)?;
                tx.execute("UPDATE data_keys SET wrapped = ?2 WHERE id = ?1", rusqlite::params![id, wrapped])?;
            }
            for table in TABLES {
                report.tables.push(copy_table(&src, tx, &mut keys, &source_keys, table)?);
            }
            // What the old outbox key sealed cannot be read here: the payloads go, what waits
            // is sealed again from the history at the first unlock, and open claims are unknown.
            tx.execute(
                "UPDATE reminders SET payload = NULL, state = CASE WHEN state = 'claimed' THEN 'unknown' ELSE state END,
                    reason = CASE WHEN state = 'claimed' THEN 'no_outcome_before_restart' ELSE reason END,
                    claim_id = NULL, lease_until = NULL, awaiting_user = 0, updated_at = ?1",
                [millis(now)],
            )?;
            tx.execute("UPDATE seal_ledger_state SET complete = 1, version = ?1 WHERE id = 1", [LEDGER_VERSION])?;
            tx.execute("UPDATE vault_upgrades SET version = ?1 WHERE id = 1", [upgrades])?;
            let st = VaultState::new(PinWrap { salt: salt.clone(), iterations, wrap: wrap.clone() }, LEDGER_VERSION);
            state::write_rotated(tx, key_store, &vault_id, &st)?;
            Ok(())
        })?;
        store::checkpoint_truncate(&dst)?;
        log::info!("vault salvaged: {} rows skipped", report.skipped());
        Ok(report)
    }
}

/// Copies every readable row of `table` whose sealed values open, recording each in the new
/// ledger with the values its entry binds.
fn copy_table(
    src: &Connection,
    dst: &Connection,
    keys: &mut Keyring,
    source_keys: &SourceKeys,
    table: &'static str,
) -> CoreResult<TableSalvage> {
    let cols = columns(dst, table)?;
    let sealed: Vec<_> = SEALED_COLUMNS.iter().filter(|c| c.table == table).collect();
    let select = format!("SELECT {} FROM {table} WHERE rowid = ?1", cols.join(", "));
    let insert = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        (1..=cols.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
    );
    let mut out = TableSalvage { table, copied: 0, skipped: 0 };
    // An appointment's links to the one it was moved from or to are set once both are across.
    let mut links: Vec<(String, Value, Value)> = Vec::new();
    let (found, lost) = rowids(src, table);
    out.skipped += lost;
    for rowid in found {
        let row: rusqlite::Result<Vec<(String, Value)>> = src.query_row(&select, [rowid], |r| {
            (0..cols.len()).map(|i| Ok((cols[i].clone(), r.get::<_, Value>(i)?))).collect()
        });
        let Ok(row) = row else {
            out.skipped += 1;
            continue;
        };
        let Some(id) = id_text(table, &row) else {
            out.skipped += 1;
            continue;
        };
        let value = |name: &str| row.iter().find(|(c, _)| c == name).map(|(_, v)| v);
        let all_open = sealed.iter().all(|c| match value(c.column) {
            Some(Value::Blob(b)) => source_keys.open(b, Aad::new(table, &id, c.column)),
            Some(Value::Null) | None => true,
            // A legacy plaintext value (rules as text) is copied and sealed at the next unlock.
            Some(_) => true,
        });
        if !all_open {
            out.skipped += 1;
            continue;
        }
        let mut values: Vec<Value> = row.iter().map(|(_, v)| v.clone()).collect();
        if table == "appointments" {
            let at = |name: &str| cols.iter().position(|c| c == name);
            if let (Some(from), Some(to)) = (at("rescheduled_from"), at("rescheduled_to")) {
                links.push((
                    id.clone(),
                    std::mem::replace(&mut values[from], Value::Null),
                    std::mem::replace(&mut values[to], Value::Null),
                ));
            }
        }
        if dst.execute(&insert, params_from_iter(values.iter())).is_err() {
            // Its parent (a citizen, a note, an appointment) was lost with the damage.
            out.skipped += 1;
            continue;
        }
        for c in &sealed {
            if let Some(Value::Blob(b)) = value(c.column) {
                let bound: Vec<ValueRef<'_>> =
                    c.bound.iter().map(|name| value(name).map_or(ValueRef::Null, ValueRef::from)).collect();
                keys.record(dst, &Aad::new(table, &id, c.column), Bound(&bound), b)?;
            }
        }
        out.copied += 1;
    }
    for (id, from, to) in links {
        // Only links to appointments that came across.
        dst.execute(
            "UPDATE appointments SET
                rescheduled_from = (SELECT id FROM appointments WHERE id = ?2),
                rescheduled_to = (SELECT id FROM appointments WHERE id = ?3)
             WHERE id = ?1",
            rusqlite::params![id, from, to],
        )?;
    }
    Ok(out)
}
