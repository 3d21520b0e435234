//! The SQLite file: opening it safely, its pragmas and its migrations.
//!
//! A vault file that fails to open is reported, never deleted or recreated: the
//! caseworker's notes may still be recoverable by support.

pub mod migrations;

use crate::error::{CoreError, CoreResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "vault.db";
/// Files SQLite may keep beside the database.
pub const SIDE_FILES: [&str; 3] = ["vault.db-wal", "vault.db-shm", "vault.db-journal"];

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

/// Creates a new, empty vault database. Refuses when one exists.
pub fn create(dir: &Path) -> CoreResult<Connection> {
    ensure_dir(dir)?;
    let path = db_path(dir);
    if path.exists() || SIDE_FILES.iter().any(|f| dir.join(f).exists()) {
        return Err(CoreError::VaultExists);
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    migrations::migrate(&conn)?;
    Ok(conn)
}

/// Creates the vault folder (owner-only) if it is missing.
pub fn ensure_dir(dir: &Path) -> CoreResult<()> {
    std::fs::create_dir_all(dir).map_err(|_| CoreError::Storage { reason: "cannot create the vault folder".into() })?;
    restrict_dir(dir);
    Ok(())
}

/// Upgrades that need the vault key, run once at the first unlock after the migration that
/// needs them (see `flows/session.rs`); a new vault starts with all of them done.
pub const UPGRADES: u32 = 1;

/// An opened vault database.
pub struct Opened {
    pub conn: Connection,
    /// A write-ahead log was left behind: the last session did not close cleanly.
    pub unclean_shutdown: bool,
}

/// Opens an existing vault database and brings its schema up to date. Refuses a file that
/// is not a vault, is from a newer version, or whose schema holds anything the migrations did
/// not create (a planted trigger could, say, reset the wrong-PIN count on every write).
///
/// It does not scan the file (`PRAGMA quick_check` costs tens of milliseconds on a large
/// vault, before anything shows): see [`quick_check`], which the shells run after unlocking.
/// Damage met while reading is a typed error either way.
pub fn open(dir: &Path) -> CoreResult<Opened> {
    let path = db_path(dir);
    if !path.is_file() {
        return Err(CoreError::NoVault);
    }
    check_header(&path)?;
    let unclean_shutdown = std::fs::metadata(dir.join(SIDE_FILES[0])).map(|m| m.len() > 0).unwrap_or(false);
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    configure(&conn)?;
    let version = migrations::current_version(&conn)?;
    if version == 0 {
        // An empty or foreign SQLite file: never "repair" it into a new vault.
        return Err(CoreError::Corrupt);
    }
    if version > migrations::LATEST {
        return Err(CoreError::NewerSchema { found: version, supported: migrations::LATEST });
    }
    migrations::check_schema(&conn, version)?;
    migrations::migrate(&conn)?;
    Ok(Opened { conn, unclean_shutdown })
}

/// `PRAGMA quick_check`: true when SQLite finds the file sound.
pub fn quick_check(conn: &Connection) -> CoreResult<bool> {
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    Ok(check == "ok")
}

/// Refuses, before SQLite can write anything, a file that is not an SQLite database:
/// opening an empty or foreign file read-write would turn it into a fresh database.
fn check_header(path: &Path) -> CoreResult<()> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let mut file =
        std::fs::File::open(path).map_err(|_| CoreError::Storage { reason: "cannot read the vault file".into() })?;
    match file.read_exact(&mut header) {
        Ok(()) if header.starts_with(b"SQLite format 3\0") => Ok(()),
        Ok(()) => Err(CoreError::Corrupt),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(CoreError::Corrupt),
        Err(_) => Err(CoreError::Storage { reason: "cannot read the vault file".into() }),
    }
}

/// Pragmas every connection runs with.
fn configure(conn: &Connection) -> CoreResult<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL for crash safety, FULL sync so every acknowledged save survives power loss,
    // secure_delete so freed pages are zeroed, temp data kept in memory, never in files.
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(CoreError::Storage { reason: "cannot enable WAL".into() });
    }
    conn.execute_batch(
        "PRAGMA synchronous=FULL;
         PRAGMA foreign_keys=ON;
         PRAGMA secure_delete=ON;
         PRAGMA temp_store=MEMORY;
         PRAGMA cell_size_check=ON;
         PRAGMA trusted_schema=OFF;",
    )?;
    Ok(())
}

/// Folds the WAL back into the database and truncates it, so no superseded page
/// (an old wrapped key, a deleted note) lingers in the -wal file.
pub fn checkpoint_truncate(conn: &Connection) -> CoreResult<()> {
    let (busy, _, _): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if busy != 0 {
        return Err(CoreError::Storage { reason: "checkpoint blocked by another reader".into() });
    }
    Ok(())
}

#[cfg(unix)]
fn restrict_dir(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: the folder holds only ciphertext, but others have no business in it.
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
}

#[cfg(not(unix))]
fn restrict_dir(_dir: &Path) {}

/// Runs `f` in an IMMEDIATE transaction: all of it lands, or none of it.
pub fn write_tx<T>(
    conn: &mut Connection,
    f: impl FnOnce(&rusqlite::Transaction<'_>) -> CoreResult<T>,
) -> CoreResult<T> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}
