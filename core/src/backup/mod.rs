//! Backup and restore (SPEC §2 H): the whole vault in one file that only the recovery key
//! opens, restored on a new phone with the recovery key and a new PIN.
//!
//! A backup is a consistent snapshot of the database (`VACUUM INTO`, into the vault's own
//! private folder, removed as soon as it is encrypted), preceded by a small manifest (format,
//! time, schema version, the audit log's sealed head, the retention settings) and streamed
//! through the chunked encryption of [`stream`] into the output file: under a temporary name
//! beside it, synced, then renamed. Nothing in the file is in clear but the header's magic
//! and version; its size is all it says about the vault. The format is written down, with
//! test vectors, in `docs/BACKUP_FORMAT.md`.
//!
//! The key: a *backup key* derived from the recovery key alone (`vault::lifecycle`), kept in
//! the sealed vault state sealed again under the vault key, so the vault can make backups
//! without the recovery key while only the recovery key opens them. Replacing the recovery
//! key replaces it: older backups then need the older recovery key.
//!
//! Restoring is in [`restore`].

pub mod restore;
pub mod stream;

pub use restore::{restore_files, RestoreReport};
pub use stream::BackupDefect;

use crate::audit::{AuditHead, AuditKind, AuditObject, Event};
use crate::crypto::{random, SecretKey};
use crate::error::{CoreError, CoreResult};
use crate::store;
use crate::time::{from_millis, millis};
use crate::vault::lifecycle::{self, RetentionSettings};
use crate::vault::{recovery, Vault};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use stream::{Reader, StreamError, Writer};

/// The longest manifest a reader accepts.
const MAX_MANIFEST: usize = 64 * 1024;

/// What a backup says about itself, inside the encryption.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub format: u32,
    /// When the snapshot was taken (ms since the epoch, on the vault's clock).
    pub created_at: i64,
    /// The database's schema version (`PRAGMA user_version`).
    pub schema: u32,
    /// Length of the database that follows.
    pub db_len: u64,
    /// The audit log's head sealed in the vault state when the snapshot was taken.
    pub audit: AuditHead,
    pub retention: RetentionSettings,
}

/// A backup written and read back whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub bytes: u64,
    pub created_at: DateTime<Utc>,
}

/// What checking a backup found: `defect` is `None` for a backup that opens whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupCheck {
    pub defect: Option<BackupDefect>,
    pub created_at: Option<DateTime<Utc>>,
    /// The schema version of the vault inside; newer than this version can open when above
    /// `store::migrations::LATEST`.
    pub schema: Option<u32>,
    pub bytes: u64,
}

impl BackupCheck {
    pub fn ok(&self) -> bool {
        self.defect.is_none()
    }
}

/// The error a restore gives for a defect of the file.
pub(crate) fn defect_error(d: BackupDefect) -> CoreError {
    match d {
        BackupDefect::NotABackup => CoreError::Corrupt,
        BackupDefect::NewerFormat { found } => {
            CoreError::NewerSchema { found: found as u32, supported: stream::FORMAT_VERSION as u32 }
        }
        BackupDefect::WrongKey => CoreError::WrongRecoveryKey,
        BackupDefect::HeaderDamaged
        | BackupDefect::Damaged { .. }
        | BackupDefect::Truncated { .. }
        | BackupDefect::TrailingData { .. }
        | BackupDefect::Malformed => CoreError::Tampered,
    }
}

pub(crate) fn io_error(e: &io::Error, doing: &'static str) -> CoreError {
    let full = e.kind() == io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) || e.raw_os_error() == Some(27);
    CoreError::Storage {
        reason: if full { format!("{doing}: the storage is full") } else { format!("{doing} failed") },
    }
}

/// Test seam: makes this thread's backup and restore file writes fail with "storage full"
/// once `bytes` have been written (`None` lifts it). Tests of a disk filling up only.
#[cfg(any(test, feature = "insecure-test-kdf"))]
pub mod fault {
    use std::cell::Cell;
    thread_local! {
        pub(crate) static LIMIT: Cell<Option<u64>> = const { Cell::new(None) };
    }

    pub fn fail_writes_after(bytes: Option<u64>) {
        LIMIT.with(|l| l.set(bytes));
    }
}

/// A file being written, counting bytes (and failing where the test seam says).
struct Out {
    file: File,
    written: u64,
}

impl Write for Out {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        #[cfg(any(test, feature = "insecure-test-kdf"))]
        if let Some(limit) = fault::LIMIT.with(|l| l.get()) {
            if self.written + data.len() as u64 > limit {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
        }
        let n = self.file.write(data)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Creates `path` for writing, owner-only, refusing one that exists.
fn create_new(path: &Path) -> io::Result<Out> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    Ok(Out { file: o.open(path)?, written: 0 })
}

/// Syncs a folder, so a rename in it is durable (where the platform can).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes its files when dropped, unless disarmed.
pub(crate) struct Cleanup(pub Vec<PathBuf>);

impl Cleanup {
    /// The files are in place: nothing to remove any more.
    pub(crate) fn disarm(mut self) {
        self.0.clear();
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn remove_if_there(path: &Path) -> CoreResult<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error(&e, "removing a temporary file")),
        _ => Ok(()),
    }
}

/// The temporary name a backup is written under, beside `out`.
fn partial_path(out: &Path) -> CoreResult<PathBuf> {
    let name = out.file_name().and_then(|n| n.to_str()).ok_or(CoreError::invalid("out", "names no file"))?;
    Ok(out.with_file_name(format!(".{name}.partial")))
}

/// Streams `manifest` and the database from `db` into a new file at `out` (temporary name,
/// sync, rename). Returns the file's length.
fn write_file(out: &Path, backup_key: &SecretKey, manifest: &Manifest, db: &mut impl Read) -> CoreResult<u64> {
    let partial = partial_path(out)?;
    remove_if_there(&partial)?;
    let cleanup = Cleanup(vec![partial.clone()]);
    let mut salt = [0u8; stream::SALT_LEN];
    random::fill(&mut salt)?;
    let file_key = SecretKey::generate()?;
    let json = serde_json::to_vec(manifest).map_err(|_| CoreError::Internal { reason: "encode manifest" })?;
    let written = (|| -> io::Result<u64> {
        let mut w = Writer::new(create_new(&partial)?, backup_key, &salt, &file_key)?;
        w.write_all(&(json.len() as u32).to_be_bytes())?;
        w.write_all(&json)?;
        let copied = io::copy(db, &mut w)?;
        if copied != manifest.db_len {
            return Err(io::Error::other("the snapshot changed while it was read"));
        }
        let (out_file, _) = w.finish()?;
        out_file.file.sync_all()?;
        Ok(out_file.written)
    })()
    .map_err(|e| io_error(&e, "writing the backup"))?;
    if out.exists() {
        return Err(CoreError::invalid("out", "a file with that name exists"));
    }
    std::fs::rename(&partial, out).map_err(|e| io_error(&e, "moving the backup into place"))?;
    cleanup.disarm();
    if let Some(dir) = out.parent() {
        sync_dir(dir);
    }
    Ok(written)
}

/// Reads a backup through: the manifest first, then every byte of the database handed to
/// `db` as it is opened. Every chunk is authenticated before its bytes are handed on.
pub(crate) fn read_payload<R: Read>(
    input: R,
    backup_key: &SecretKey,
    mut db: impl FnMut(&[u8]) -> io::Result<()>,
) -> Result<Manifest, StreamError> {
    let mut reader = Reader::new(input, backup_key)?;
    let mut head: Vec<u8> = Vec::new();
    let mut manifest: Option<Manifest> = None;
    let mut db_bytes = 0u64;
    while let Some(chunk) = reader.next_chunk()? {
        let mut rest: &[u8] = &chunk;
        if manifest.is_none() {
            let need = |head: &Vec<u8>| -> Option<usize> {
                let len = u32::from_be_bytes(head.get(..4)?.try_into().ok()?) as usize;
                Some(4 + len)
            };
            while manifest.is_none() && !rest.is_empty() {
                let want = need(&head).unwrap_or(4);
                if want > 4 + MAX_MANIFEST {
                    return Err(BackupDefect::Malformed.into());
                }
                let take = (want - head.len()).min(rest.len());
                head.extend_from_slice(&rest[..take]);
                rest = &rest[take..];
                if let Some(total) = need(&head) {
                    if head.len() == total {
                        let m: Manifest = serde_json::from_slice(&head[4..])
                            .map_err(|_| StreamError::Defect(BackupDefect::Malformed))?;
                        manifest = Some(m);
                    }
                }
            }
        }
        if !rest.is_empty() {
            db_bytes += rest.len() as u64;
            db(rest)?;
        }
    }
    match manifest {
        // Settings out of their ranges never come from this app: the file was made to look so.
        Some(m) if m.db_len == db_bytes && m.format == 1 && m.retention.check().is_ok() => Ok(m),
        _ => Err(BackupDefect::Malformed.into()),
    }
}

/// Checks a whole backup under `backup_key`, writing nothing.
pub(crate) fn check_file(path: &Path, backup_key: &SecretKey) -> CoreResult<BackupCheck> {
    let file = File::open(path).map_err(|e| io_error(&e, "reading the backup"))?;
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut sqlite_header = Vec::with_capacity(16);
    let read = read_payload(io::BufReader::with_capacity(stream::CHUNK_LEN, file), backup_key, |b| {
        if sqlite_header.len() < 16 {
            let take = (16 - sqlite_header.len()).min(b.len());
            sqlite_header.extend_from_slice(&b[..take]);
        }
        Ok(())
    });
    match read {
        Ok(m) if sqlite_header.as_slice() == b"SQLite format 3\0" => Ok(BackupCheck {
            defect: None,
            created_at: Some(from_millis(m.created_at)?),
            schema: Some(m.schema),
            bytes,
        }),
        Ok(_) => Ok(BackupCheck { defect: Some(BackupDefect::Malformed), created_at: None, schema: None, bytes }),
        Err(StreamError::Defect(d)) => Ok(BackupCheck { defect: Some(d), created_at: None, schema: None, bytes }),
        Err(StreamError::Io(e)) => Err(io_error(&e, "reading the backup")),
    }
}

/// Checks a backup with the recovery key it was made under (no vault needed): every chunk is
/// opened and authenticated, nothing is written.
pub fn verify_backup_with_recovery_key(path: &Path, recovery_key: &str) -> CoreResult<BackupCheck> {
    let recovery = recovery::parse(recovery_key)?;
    check_file(path, &lifecycle::backup_key_from_recovery(&recovery)?)
}

impl Vault {
    /// Writes a backup of the whole vault to `out` (a new file; an existing one is never
    /// replaced). Unlocked only. Audited, and remembered as the last backup, once the file is
    /// complete and in place; a failure (the disk filling up) leaves no file behind.
    ///
    /// On the phones, `out` is a file in the app's own cache; the shell then copies it where
    /// the user chose (the system file picker / the document picker) and deletes it.
    pub fn create_backup(&self, out: &Path) -> CoreResult<BackupInfo> {
        if out.exists() {
            return Err(CoreError::invalid("out", "a file with that name exists"));
        }
        let snapshot = self.dir().join(lifecycle::SNAPSHOT_FILE);
        let info = self.with_session(|ctx| {
            let (backup_key, st) = self
                .backup_key_in(ctx.conn, ctx.keys)?
                .ok_or(CoreError::InvalidState { reason: "backups need a new recovery key first" })?;
            remove_if_there(&snapshot)?;
            let _cleanup = Cleanup(vec![snapshot.clone()]);
            let path = snapshot
                .to_str()
                .ok_or(CoreError::Storage { reason: "the vault folder's path cannot be used".into() })?;
            ctx.conn.execute("VACUUM INTO ?1", [path])?;
            let manifest = Manifest {
                format: 1,
                created_at: millis(ctx.now),
                schema: store::migrations::current_version(ctx.conn)?,
                db_len: std::fs::metadata(&snapshot).map_err(|e| io_error(&e, "reading the snapshot"))?.len(),
                audit: st.audit.clone(),
                retention: st.lifecycle.retention,
            };
            let mut db = File::open(&snapshot).map_err(|e| io_error(&e, "reading the snapshot"))?;
            let bytes =
                write_file(out, &backup_key, &manifest, &mut io::BufReader::with_capacity(stream::CHUNK_LEN, &mut db))?;
            // Read back whole before it counts: storage that returns other bytes than it was
            // given is found now, not on the day of the restore.
            if let Some(d) = check_file(out, &backup_key)?.defect {
                let _ = std::fs::remove_file(out);
                return Err(defect_error(d));
            }
            Ok(BackupInfo { path: out.to_path_buf(), bytes, created_at: ctx.now })
        })?;
        let at = millis(info.created_at);
        let recorded =
            self.change_lifecycle(&[Event::about(AuditKind::BackupCreated, AuditObject::Backup)], |l, _, _| {
                l.previous_backup_at = l.last_backup_at;
                l.last_backup_at = Some(at);
                Ok(())
            });
        if let Err(e) = recorded {
            // A backup that is not audited is not kept.
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
        log::info!("backup written");
        Ok(info)
    }

    /// The backup made at `created_at` was not kept (the worker cancelled the file picker, or
    /// saving the copy failed): the one before counts as the last backup again, so the status
    /// and its reminder do not claim a backup that exists nowhere. Unlocked only. A call for
    /// any other backup than the last one changes nothing.
    pub fn backup_not_kept(&self, created_at: DateTime<Utc>) -> CoreResult<()> {
        let at = millis(created_at);
        self.change_lifecycle(&[], |l, _, _| {
            if l.last_backup_at == Some(at) {
                l.last_backup_at = l.previous_backup_at.take();
            }
            Ok(())
        })
    }

    /// Checks a backup of this vault with the key this vault seals backups under (unlocked):
    /// whether it opens whole, and when it was made.
    pub fn verify_backup(&self, path: &Path) -> CoreResult<BackupCheck> {
        let key = self.with_session(|ctx| {
            self.backup_key_in(ctx.conn, ctx.keys)?
                .map(|(k, _)| k)
                .ok_or(CoreError::InvalidState { reason: "backups need a new recovery key first" })
        })?;
        check_file(path, &key)
    }
}
