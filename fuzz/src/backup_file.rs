//! Backup files (`verify_backup_with_recovery_key`, `restore_files`): a real backup, or a
//! payload of the input's choosing under the real backup key, is checked and restored into a
//! fresh folder with a fresh key store; every call answers with a value or a `CoreError`,
//! never a panic, and a restore is whole or leaves nothing that opens.
//!
//! Once per process (checked at start, see [`template`]): the template vault of
//! `database_file.rs` (a worker profile, a citizen, a note, an appointment; the cheap test
//! KDF), one backup of it, its recovery key and backup key, and the backup's plaintext cut
//! into its three parts (manifest length, manifest JSON, database snapshot). A few variants
//! of the snapshot are made with SQL once, so the fuzzer starts from structure that byte
//! changes alone rarely reach: a planted trigger, a view, a table, a dropped index, schema
//! versions 0 / older / newer, a vault row emptied or deleted.
//!
//! The input's first byte picks the mode (its lowest bit):
//!
//! **0, the file as it lies on disk.** The rest of the input is a change list for
//! `database_file::mutate` (overwrite, truncate, flip, copy; 3-byte positions) applied to the
//! backup file. The file is encrypted and authenticated, so what this reaches is the header
//! and chunk reader. Expected: a check or a restore succeeds exactly when the changed bytes
//! still decrypt whole to the template's plaintext (checked on the side with
//! `stream::Reader`), and the restored vault then unlocks with the new PIN and holds the
//! template's citizen and note.
//!
//! **1, the payload behind the encryption.** The input builds the plaintext, which is then
//! sealed with `stream::Writer` under the real backup key (fixed salt and file key, so one
//! input is one file), and so reaches the manifest parser and the restore's checks of the
//! database. After the mode byte:
//! - variant byte: which snapshot (see [`VARIANTS`]);
//! - flags byte: bit 0 the manifest length prefix is the next 4 bytes (big-endian) instead of
//!   the true length; bit 1 `db_len` stays as the edits left it instead of the database's
//!   true length;
//! - edit count byte (modulo 9), then per edit: a field byte (which leaf of the real
//!   manifest, or a new top-level key), an operation byte (set to a number, a boundary
//!   value, a string, null, a bool, a float, or remove) and 8 value bytes;
//! - a length byte `n`, then `n` bytes: a change list for the manifest JSON's bytes;
//! - the rest: a change list for the snapshot's bytes.
//!
//! Expected: a typed refusal, or a restore that unlocks with the new PIN (and, when the
//! plaintext is the template's own, holds the template's citizen and note); a restore that
//! succeeds was a backup the check also calls whole.
//!
//! After any refused restore: the target folder holds no file, the fresh key store no key,
//! and no vault there opens.

use crate::database_file::{self, fill, ok, scratch};
use crate::Bytes;
use brobygger_core::backup::{restore_files, stream, verify_backup_with_recovery_key};
use brobygger_core::crypto::SecretKey;
use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::vault::lifecycle::backup_key_from_recovery;
use brobygger_core::vault::recovery;
use brobygger_core::{CoreError, ManualClock, RestoreReport, Vault};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, OnceLock};

const PIN: &str = database_file::PIN;
/// The PIN the restored vault is given.
pub const NEW_PIN: &str = "975310";
const FIXED_SALT: [u8; stream::SALT_LEN] = [9; stream::SALT_LEN];
const FIXED_FILE_KEY: [u8; 32] = [0x40; 32];

/// The snapshot variants mode 1 starts from, by index (the variant byte, modulo the count).
/// Each is SQL run on a copy of the real snapshot; `{latest}` is the newest schema version.
pub const VARIANTS: &[(&str, &str)] = &[
    ("unchanged", ""),
    ("planted trigger", "CREATE TRIGGER planted AFTER INSERT ON audit_log BEGIN SELECT 1; END;"),
    ("extra view", "CREATE VIEW planted AS SELECT 1;"),
    ("extra table", "CREATE TABLE planted (x);"),
    ("dropped index", "DROP INDEX {first_index};"),
    ("schema 0", "PRAGMA user_version = 0;"),
    ("older schema", "PRAGMA user_version = {older};"),
    ("newer schema", "PRAGMA user_version = {newer};"),
    ("no vault row", "DELETE FROM vault_meta;"),
    ("another recovery wrap", "UPDATE vault_meta SET recovery_wrap = x'00';"),
    ("no notes", "DELETE FROM notes;"),
];

/// The backup of this process and what is known about it.
pub struct Template {
    /// The backup file's bytes.
    pub file: Vec<u8>,
    pub recovery_key: String,
    backup_key: SecretKey,
    /// The backup's plaintext: length prefix ‖ manifest ‖ snapshot.
    pub plaintext: Vec<u8>,
    pub manifest: Vec<u8>,
    /// The snapshot variants, by [`VARIANTS`] index (0 is the real snapshot).
    pub snapshots: Vec<Vec<u8>>,
    clock: Arc<ManualClock>,
    citizen_id: String,
    nickname: String,
    note_id: String,
    note_text: String,
}

/// What one restore gave.
#[derive(Debug)]
pub struct Outcome {
    pub verified_whole: Result<bool, CoreError>,
    pub restored: Result<RestoreReport, CoreError>,
}

/// The template of this process, made at first use and checked: the backup checks whole and
/// restores into the template's rows, as it lies and sealed again by mode 1's writer.
pub fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let t = make_template();
        for (what, file) in [("the backup", t.file.clone()), ("the resealed plaintext", seal(&t, &t.plaintext))] {
            let out = exec(&t, &file, true);
            assert!(
                matches!(out.verified_whole, Ok(true)) && out.restored.is_ok(),
                "template: {what} does not restore: {out:?}"
            );
        }
        t
    })
}

fn make_template() -> Template {
    let tmp = scratch();
    let dir = tmp.path().join("vault");
    let keys = Arc::new(MemoryKeyStore::new());
    let Some(start) = Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).single() else { panic!("fixed instant") };
    let clock = Arc::new(ManualClock::new(start));
    let Some(local_start) = NaiveDate::from_ymd_opt(2026, 4, 2).and_then(|d| d.and_hms_opt(10, 0, 0)) else {
        panic!("fixed time")
    };
    let created = ok("create", Vault::create_with_test_kdf(&dir, PIN, keys.clone(), clock.clone(), 1));
    let vault = created.vault;
    let recovery_key = created.recovery_key.to_string();
    let (citizen_id, note_id) = fill(&vault, local_start);
    let nickname = ok("citizen", vault.get_citizen(&citizen_id)).nickname;
    let note_text = ok("note", vault.get_note(&note_id)).text;
    let out = tmp.path().join("backup.bbk");
    ok("backup", vault.create_backup(&out));
    vault.lock();
    let file = std::fs::read(&out).unwrap_or_else(|e| panic!("template: cannot read the backup: {e}"));
    let backup_key = ok("backup key", recovery::parse(&recovery_key).and_then(|r| backup_key_from_recovery(&r)));
    let Some(plaintext) = decrypt(&file, &backup_key) else { panic!("template: the backup does not decrypt") };
    let Some(len) = plaintext.get(..4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize) else {
        panic!("template: no manifest length")
    };
    let manifest = plaintext[4..4 + len].to_vec();
    let snapshot = plaintext[4 + len..].to_vec();
    let snapshots = VARIANTS.iter().map(|(name, sql)| variant(tmp.path(), &snapshot, name, sql)).collect();
    Template {
        file,
        recovery_key,
        backup_key,
        plaintext,
        manifest,
        snapshots,
        clock,
        citizen_id,
        nickname,
        note_id,
        note_text,
    }
}

/// The snapshot changed by `sql` (on a copy, through SQLite).
fn variant(dir: &Path, snapshot: &[u8], name: &str, sql: &str) -> Vec<u8> {
    if sql.is_empty() {
        return snapshot.to_vec();
    }
    let path = dir.join("variant.db");
    let _ = std::fs::remove_file(&path);
    std::fs::write(&path, snapshot).unwrap_or_else(|e| panic!("variant {name}: {e}"));
    let run = || -> rusqlite::Result<()> {
        let conn = rusqlite::Connection::open(&path)?;
        conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
        let latest = brobygger_core::store::migrations::LATEST;
        let first_index: String = conn.query_row(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        let sql = sql
            .replace("{first_index}", &first_index)
            .replace("{older}", &latest.saturating_sub(1).to_string())
            .replace("{newer}", &(latest + 1).to_string());
        conn.execute_batch(&sql)?;
        conn.close().map_err(|(_, e)| e)
    };
    if let Err(e) = run() {
        panic!("variant {name}: {e}");
    }
    std::fs::read(&path).unwrap_or_else(|e| panic!("variant {name}: {e}"))
}

/// The whole plaintext of `file` under `key`, if every chunk opens (read on the side,
/// with the format's reader, not the restore's).
fn decrypt(file: &[u8], key: &SecretKey) -> Option<Vec<u8>> {
    let mut reader = stream::Reader::new(file, key).ok()?;
    let mut out = Vec::new();
    loop {
        match reader.next_chunk() {
            Ok(Some(chunk)) => out.extend_from_slice(&chunk),
            Ok(None) => return Some(out),
            Err(_) => return None,
        }
    }
}

/// `plaintext` sealed as a backup under the template's backup key (fixed salt and file key).
fn seal(t: &Template, plaintext: &[u8]) -> Vec<u8> {
    let sealed = (|| {
        let file_key = SecretKey::from_slice(&FIXED_FILE_KEY).map_err(std::io::Error::other)?;
        let mut w = stream::Writer::new(Vec::new(), &t.backup_key, &FIXED_SALT, &file_key)?;
        w.write_all(plaintext)?;
        Ok::<_, std::io::Error>(w.finish()?.0)
    })();
    sealed.unwrap_or_else(|e| panic!("sealing a payload: {e}"))
}

/// Checks and restores `file` into a fresh folder with a fresh key store, and checks what
/// the restore left: the template's rows when `is_template`, nothing that opens on refusal.
pub fn exec(t: &Template, file: &[u8], is_template: bool) -> Outcome {
    let tmp = scratch();
    let path = tmp.path().join("in.bbk");
    std::fs::write(&path, file).unwrap_or_else(|e| panic!("cannot write the backup: {e}"));
    let verified_whole = verify_backup_with_recovery_key(&path, &t.recovery_key).map(|c| c.ok());
    let target = tmp.path().join("restored");
    let keys = Arc::new(MemoryKeyStore::new());
    let restored = restore_files(&path, &t.recovery_key, &target, NEW_PIN, keys.clone(), t.clock.clone());
    match &restored {
        Ok(report) => {
            assert!(matches!(verified_whole, Ok(true)), "restored a backup the check refuses: {verified_whole:?}");
            check_restored(t, &target, keys, report, is_template);
        }
        Err(e) => check_refused(t, &target, keys, e),
    }
    Outcome { verified_whole, restored }
}

/// The restored vault unlocks with the new PIN; when the backup was the template's own, it
/// holds exactly the template's rows.
fn check_restored(t: &Template, target: &Path, keys: Arc<MemoryKeyStore>, report: &RestoreReport, is_template: bool) {
    let vault = match Vault::open(target, keys, t.clock.clone()) {
        Ok(v) => v,
        Err(e) => panic!("a restored vault does not open: {e:?}"),
    };
    if let Err(e) = vault.unlock(NEW_PIN) {
        panic!("a restored vault does not unlock with the new PIN: {e:?}");
    }
    let citizens = vault.list_citizens();
    let notes = vault.list_notes(None, None, None);
    let note = vault.get_note(&t.note_id);
    let _ = vault.check_integrity();
    if is_template {
        assert_eq!((report.citizens, report.notes, report.appointments), (1, 1, 1), "restore report");
        let citizens = citizens.unwrap_or_else(|e| panic!("restored citizens: {e:?}"));
        let listed: Vec<(&str, &str)> =
            citizens.citizens.iter().map(|c| (c.id.as_str(), c.nickname.as_str())).collect();
        assert_eq!(listed, [(t.citizen_id.as_str(), t.nickname.as_str())], "restored citizens");
        assert_eq!(citizens.unreadable, 0, "restored citizens");
        let notes = notes.unwrap_or_else(|e| panic!("restored notes: {e:?}"));
        assert_eq!((notes.items.len(), notes.unreadable), (1, 0), "restored notes");
        let note = note.unwrap_or_else(|e| panic!("restored note: {e:?}"));
        assert_eq!(
            (note.citizen_id.as_deref(), note.text.as_str()),
            (Some(t.citizen_id.as_str()), t.note_text.as_str())
        );
    }
    vault.lock();
}

/// A refused restore leaves the target folder empty (or absent), no new platform key, and
/// no vault that opens.
fn check_refused(t: &Template, target: &Path, keys: Arc<MemoryKeyStore>, e: &CoreError) {
    let left: Vec<String> = match std::fs::read_dir(target) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    assert!(left.is_empty(), "a refused restore ({e:?}) left files: {left:?}");
    assert_eq!(keys.key_count(), 0, "a refused restore ({e:?}) left platform keys");
    if let Ok(vault) = Vault::open(target, keys, t.clock.clone()) {
        assert!(vault.unlock(NEW_PIN).is_err(), "a refused restore ({e:?}) left a vault that opens");
    }
}

/// Mode 0: the backup file changed as `changes` says.
fn on_disk(t: &Template, changes: &[u8]) {
    let file = database_file::mutate(&t.file, changes);
    let whole = decrypt(&file, &t.backup_key);
    let intact = whole.as_deref() == Some(t.plaintext.as_slice());
    let out = exec(t, &file, intact);
    if let Ok(true) = out.verified_whole {
        assert!(intact, "a changed backup checks whole, yet does not decrypt to the backed-up bytes");
    }
    if out.restored.is_ok() {
        assert!(intact, "a changed backup restores, yet does not decrypt to the backed-up bytes");
    }
    if intact {
        assert!(
            matches!(out.verified_whole, Ok(true)) && out.restored.is_ok(),
            "a backup that decrypts whole is refused: {out:?}"
        );
    }
}

/// A value for a manifest field, by `op` and 8 input bytes; `None` removes the field.
fn value(op: u8, raw: [u8; 8]) -> Option<Value> {
    let n = u64::from_le_bytes(raw);
    const BOUNDARIES: [i128; 12] = [
        0,
        1,
        -1,
        i64::MAX as i128,
        i64::MIN as i128,
        u64::MAX as i128,
        u32::MAX as i128,
        u32::MAX as i128 + 1,
        65_536,
        8_640_000_000_000_000,
        -8_640_000_000_000_000,
        253_402_300_800_000,
    ];
    Some(match op % 9 {
        0 => Value::from(n),
        1 => Value::from((n as i64).wrapping_abs().wrapping_neg()),
        2 => Value::from(n & 0xff),
        3 => {
            let b = BOUNDARIES[(n % BOUNDARIES.len() as u64) as usize];
            if let Ok(i) = i64::try_from(b) {
                Value::from(i)
            } else {
                Value::from(b as u64)
            }
        }
        4 => Value::from(crate::text(&raw[..usize::from(raw[0] % 8)]).into_owned()),
        5 => Value::Null,
        6 => Value::Bool(n & 1 == 1),
        7 => Value::from(f64::from_bits(n)),
        _ => return None,
    })
}

/// Every leaf of `v` as a path of keys.
fn leaves(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, child) in m {
                path.push(k.clone());
                leaves(child, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn edit(root: &mut Value, path: &[String], new: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = root;
    for k in parents {
        match at.get_mut(k) {
            Some(next) => at = next,
            None => return,
        }
    }
    if let Value::Object(m) = at {
        match new {
            Some(v) => drop(m.insert(last.clone(), v)),
            None => drop(m.remove(last)),
        }
    }
}

/// Mode 1: a plaintext of the input's making, sealed under the real backup key.
fn payload(t: &Template, input: &mut Bytes<'_>) {
    let which = usize::from(input.u8()) % t.snapshots.len();
    let flags = input.u8();
    let prefix = (flags & 1 == 1).then(|| input.uint(4) as u32);
    let mut manifest: Value =
        serde_json::from_slice(&t.manifest).unwrap_or_else(|e| panic!("template manifest is not JSON: {e}"));
    let original = manifest.clone();
    let mut paths = Vec::new();
    leaves(&manifest, &mut Vec::new(), &mut paths);
    paths.push(vec!["unknown".to_string()]);
    for _ in 0..input.u8() % 9 {
        let field = &paths[usize::from(input.u8()) % paths.len()];
        let op = input.u8();
        let raw = input.uint(8).to_le_bytes();
        edit(&mut manifest, field, value(op, raw));
    }
    let json_changes_len = usize::from(input.u8());
    let json_changes = input.take(json_changes_len);
    let db = database_file::mutate(&t.snapshots[which], input.rest());
    if flags & 2 == 0 {
        edit(&mut manifest, &["db_len".to_string()], Some(Value::from(db.len() as u64)));
    }
    // Unedited, the manifest keeps the real one's bytes (a re-encoding orders the keys anew).
    let json = if manifest == original {
        t.manifest.clone()
    } else {
        serde_json::to_vec(&manifest).unwrap_or_else(|e| panic!("manifest: {e}"))
    };
    let json = database_file::mutate(&json, json_changes);
    let mut plaintext = prefix.unwrap_or(json.len() as u32).to_be_bytes().to_vec();
    plaintext.extend_from_slice(&json);
    plaintext.extend_from_slice(&db);
    let is_template = plaintext == t.plaintext;
    let out = exec(t, &seal(t, &plaintext), is_template);
    if is_template {
        assert!(out.restored.is_ok(), "the template's own plaintext is refused: {out:?}");
    }
}

pub fn run(data: &[u8]) {
    let t = template();
    let mut input = Bytes::new(data);
    if input.u8() & 1 == 0 {
        on_disk(t, input.rest());
    } else {
        payload(t, &mut input);
    }
}
