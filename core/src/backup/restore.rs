//! Restoring a backup into an empty folder (a new phone, a fresh platform key store), with
//! the recovery key and a new PIN.
//!
//! 1. The whole file is read and every chunk authenticated before anything is written
//!    (a wrong key, a newer format, damage, truncation: a typed error, nothing written).
//! 2. It is decrypted again, chunk by chunk (each authenticated again), into a temporary file
//!    in the target folder, which must not hold a vault.
//! 3. That file must be a sound vault: `integrity_check`, the schema the migrations make (a
//!    planted trigger is refused before any SQL runs on it), a schema this version knows,
//!    and a recovery wrap the recovery key opens.
//! 4. It gets a new vault id and new platform keys (PIN factor, state; the outbox key is made
//!    at the first unlock, which seals what waits to be sent again from the sealed history),
//!    the new PIN, the settings and audit head the backup carried, and an audit entry.
//!    Claims whose outcome the backup could not know become `unknown` (never resent by
//!    themselves); what was sent stays sent.
//! 5. Only then is it synced and renamed to `vault.db`. Until that rename the folder holds no
//!    vault that opens; a failure at any step removes the temporary file and the new keys.

use super::{check_file, defect_error, io_error, read_payload, remove_if_there, sync_dir, Cleanup, Out};
use crate::clock::Clock;
use crate::error::{CoreError, CoreResult};
use crate::store;
use crate::time::from_millis;
use crate::vault::lifecycle::{self, RESTORE_FILE};
use crate::vault::{pin, recovery, KeyStore, Vault};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// When the backup was made: everything after it is not in the restored vault.
    pub backup_created_at: DateTime<Utc>,
    pub citizens: u32,
    pub notes: u32,
    pub appointments: u32,
    /// Reminders handed to a sender before the backup whose outcome it could not know: they
    /// are `unknown` now, for the worker to resolve.
    pub reminders_made_unknown: u32,
    /// Whether the audit log in the backup matched the head sealed when it was made. When
    /// not, the restored log is anchored as it stands, and this says so once.
    pub audit_intact: bool,
}

fn count(conn: &Connection, table: &str) -> CoreResult<u32> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// Restores the backup at `backup` into `target` (which must not hold a vault) and leaves it
/// there locked, opening with `new_pin`. See the module's steps. `Vault::restore` also opens
/// and unlocks it.
pub fn restore_files(
    backup: &Path,
    recovery_key: &str,
    target: &Path,
    new_pin: &str,
    key_store: Arc<dyn KeyStore>,
    clock: Arc<dyn Clock>,
) -> CoreResult<RestoreReport> {
    pin::check_new("new_pin", new_pin)?;
    let recovery = recovery::parse(recovery_key)?;
    let holds_vault =
        |dir: &Path| store::db_path(dir).exists() || store::SIDE_FILES.iter().any(|f| dir.join(f).exists());
    if holds_vault(target) {
        return Err(CoreError::VaultExists);
    }
    let backup_key = lifecycle::backup_key_from_recovery(&recovery)?;
    // 1. Everything verified, nothing written.
    let check = check_file(backup, &backup_key)?;
    if let Some(d) = check.defect {
        return Err(defect_error(d));
    }
    if let Some(schema) = check.schema.filter(|s| *s > store::migrations::LATEST) {
        return Err(CoreError::NewerSchema { found: schema, supported: store::migrations::LATEST });
    }

    // 2. Decrypted into a temporary file in the target folder.
    store::ensure_dir(target)?;
    let tmp = target.join(RESTORE_FILE);
    let temp_files: Vec<_> =
        lifecycle::TEMP_FILES.iter().filter(|n| n.starts_with(RESTORE_FILE)).map(|n| target.join(n)).collect();
    for f in &temp_files {
        remove_if_there(f)?;
    }
    let cleanup = Cleanup(temp_files);
    let manifest = {
        let mut out = super::create_new(&tmp).map_err(|e| io_error(&e, "writing the restored vault"))?;
        let file = File::open(backup).map_err(|e| io_error(&e, "reading the backup"))?;
        let manifest = read_payload(io::BufReader::with_capacity(super::stream::CHUNK_LEN, file), &backup_key, |b| {
            out.write_all(b)
        })
        .map_err(|e| match e {
            super::stream::StreamError::Defect(d) => defect_error(d),
            super::stream::StreamError::Io(e) => io_error(&e, "writing the restored vault"),
        })?;
        let Out { file, .. } = out;
        file.sync_all().map_err(|e| io_error(&e, "writing the restored vault"))?;
        manifest
    };

    // 3 and 4. A sound vault, made this phone's.
    let now = clock.now();
    let (report, new_keys) = {
        let mut conn = open_checked(&tmp)?;
        let adopted = lifecycle::adopt_restored(
            &mut conn,
            &recovery,
            new_pin,
            &*key_store,
            now,
            &manifest.audit,
            manifest.retention,
            manifest.created_at,
            lifecycle::previous_wipe_event(target),
        )?;
        let report = (|| {
            Ok::<_, CoreError>(RestoreReport {
                backup_created_at: from_millis(manifest.created_at)?,
                citizens: count(&conn, "citizens")?,
                notes: count(&conn, "notes")?,
                appointments: count(&conn, "appointments")?,
                reminders_made_unknown: adopted.reminders_made_unknown,
                audit_intact: adopted.audit_intact,
            })
        })();
        let closed = conn.close().map_err(|(_, e)| CoreError::from(e));
        match report.and_then(|r| closed.map(|_| r)) {
            Ok(r) => (r, adopted.platform_keys),
            Err(e) => {
                adopted.platform_keys.iter().for_each(|k| drop(key_store.delete_key(k)));
                return Err(e);
            }
        }
    };

    // 5. In place, in one rename.
    let placed = (|| {
        File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| io_error(&e, "writing the restored vault"))?;
        if holds_vault(target) {
            return Err(CoreError::VaultExists);
        }
        std::fs::rename(&tmp, store::db_path(target)).map_err(|e| io_error(&e, "moving the restored vault into place"))
    })();
    if let Err(e) = placed {
        new_keys.iter().for_each(|k| drop(key_store.delete_key(k)));
        return Err(e);
    }
    drop(cleanup);
    // The notice of a wipe for inactivity has been recorded in the restored log.
    let _ = lifecycle::dismiss_wipe_notice(target);
    sync_dir(target);
    log::info!("vault restored from a backup");
    Ok(report)
}

/// Opens the decrypted file and checks it is a sound vault this version can open, before any
/// statement of ours runs on it.
fn open_checked(path: &Path) -> CoreResult<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|_| CoreError::Corrupt)?;
    conn.execute_batch(
        "PRAGMA trusted_schema=OFF; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;
         PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;",
    )
    .map_err(|_| CoreError::Corrupt)?;
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|_| CoreError::Corrupt)?;
    if check != "ok" {
        return Err(CoreError::Corrupt);
    }
    let version = store::migrations::current_version(&conn).map_err(|_| CoreError::Corrupt)?;
    if version == 0 {
        return Err(CoreError::Corrupt);
    }
    if version > store::migrations::LATEST {
        return Err(CoreError::NewerSchema { found: version, supported: store::migrations::LATEST });
    }
    store::migrations::check_schema(&conn, version)?;
    store::migrations::migrate(&conn)?;
    Ok(conn)
}

impl Vault {
    /// Restores a backup into `target` (see [`restore_files`]) and opens it, unlocked under
    /// `new_pin`: the outbox key is made and what waits to be sent is sealed again, and the
    /// retention rules run.
    pub fn restore(
        backup: &Path,
        recovery_key: &str,
        target: &Path,
        new_pin: &str,
        key_store: Arc<dyn KeyStore>,
        clock: Arc<dyn Clock>,
    ) -> CoreResult<(Vault, RestoreReport)> {
        let report = restore_files(backup, recovery_key, target, new_pin, key_store.clone(), clock.clone())?;
        let vault = Vault::open(target, key_store, clock)?;
        vault.unlock(new_pin)?;
        Ok((vault, report))
    }
}
