//! The keys of an unlocked vault: the vault key and the data keys unwrapped so far.
//! Dropped, and so zeroed, on lock.

use crate::crypto::envelope::{self, Aad, EnvelopeError, KeyId};
use crate::crypto::SecretKey;
use crate::error::{CoreError, CoreResult};
use crate::store;
use ring::aead::LessSafeKey;
use ring::hmac;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use zeroize::Zeroizing;

/// Key id 0 in an envelope means "sealed by the vault key itself".
pub const VAULT_KEY_ID: KeyId = 0;

pub(crate) fn envelope_error(e: EnvelopeError) -> CoreError {
    match e {
        EnvelopeError::Random => CoreError::Internal { reason: "system random generator failed" },
        EnvelopeError::KeyRejected => CoreError::Internal { reason: "AEAD key rejected" },
        _ => CoreError::Tampered,
    }
}

pub struct Keyring {
    vault_key: SecretKey,
    general_key_id: KeyId,
    /// Unwrapped data keys, expanded for AES-GCM. Dropped with the keyring on lock.
    data_keys: HashMap<KeyId, LessSafeKey>,
    phone_index_key: hmac::Key,
    /// Keys the seal ledger (migration 8), which records the envelope each sealed column holds.
    ledger_key: hmac::Key,
    /// The envelope (its GCM tag) each column was last checked against the ledger to hold, or
    /// sealed with, in this session: a read of that same envelope needs no ledger look-up. Any
    /// other envelope (an older copy written back meanwhile) misses and is checked.
    verified: HashMap<String, [u8; envelope::TAG_LEN]>,
}

/// A scan's view of the seal ledger for one column of one table, read in one query the first
/// time a row is not already verified in this session.
pub struct LedgerScan {
    table: &'static str,
    column: &'static str,
    entries: Option<HashMap<String, Vec<u8>>>,
}

impl LedgerScan {
    pub fn new(table: &'static str, column: &'static str) -> Self {
        LedgerScan { table, column, entries: None }
    }

    fn get(&mut self, conn: &Connection, row: &str) -> CoreResult<Option<&[u8]>> {
        if self.entries.is_none() {
            let mut stmt = conn.prepare_cached("SELECT row_id, mac FROM seal_ledger WHERE tbl = ?1 AND col = ?2")?;
            let mut rows = stmt.query([self.table, self.column])?;
            let mut entries = HashMap::new();
            while let Some(r) = rows.next()? {
                entries.insert(r.get(0)?, r.get(1)?);
            }
            self.entries = Some(entries);
        }
        Ok(self.entries.as_ref().and_then(|e| e.get(row)).map(Vec::as_slice))
    }
}

/// Every sealed column written through the keyring: (table, id as text, column). The
/// reminder payloads are sealed by the outbox key, outside the keyring, and not listed.
pub const SEALED_COLUMNS: &[(&str, &str, &str)] = &[
    ("citizens", "id", "nickname"),
    ("citizens", "id", "phone"),
    ("citizens", "id", "case_ref"),
    ("citizens", "id", "sms"),
    ("notes", "id", "body"),
    ("notes", "id", "details"),
    ("notes", "id", "journal_ref"),
    ("note_amendments", "id", "body"),
    ("follow_ups", "id", "body"),
    ("appointments", "id", "outside_place"),
    ("worker_settings", "CAST(id AS TEXT)", "profile"),
];

impl Keyring {
    pub fn new(vault_key: SecretKey, general_key_id: KeyId) -> Self {
        // Separate keys for the blind index and the ledger, derived so neither doubles as an AES key.
        let phone_index_key = derived_key(&vault_key, b"brobygger phone index v1");
        let ledger_key = derived_key(&vault_key, b"brobygger seal ledger v1");
        Keyring {
            vault_key,
            general_key_id,
            data_keys: HashMap::new(),
            phone_index_key,
            ledger_key,
            verified: HashMap::new(),
        }
    }

    /// What the ledger records for an envelope: table, row, column and its GCM tag, which
    /// no one without the key can make and which differs for every sealing (random nonce).
    fn ledger_message(aad: &Aad<'_>, tag: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + aad.row.len());
        aad.encode_location(&mut out);
        out.extend_from_slice(&(tag.len() as u32).to_be_bytes());
        out.extend_from_slice(tag);
        out
    }

    fn tag_of(sealed: &[u8]) -> CoreResult<[u8; envelope::TAG_LEN]> {
        let at = sealed.len().checked_sub(envelope::TAG_LEN).ok_or(CoreError::Tampered)?;
        sealed[at..].try_into().map_err(|_| CoreError::Tampered)
    }

    fn cache_key(aad: &Aad<'_>) -> String {
        let mut key = String::with_capacity(aad.table.len() + aad.row.len() + aad.column.len() + 2);
        for (i, part) in [aad.table, aad.row, aad.column].into_iter().enumerate() {
            if i > 0 {
                key.push('\0');
            }
            key.push_str(part);
        }
        key
    }

    fn record(&mut self, conn: &Connection, aad: &Aad<'_>, sealed: &[u8], replace: bool) -> CoreResult<()> {
        let tag = Self::tag_of(sealed)?;
        let mac = hmac::sign(&self.ledger_key, &Self::ledger_message(aad, &tag));
        let sql = if replace {
            // An upsert changes the entry in place (REPLACE would delete and re-insert it).
            "INSERT INTO seal_ledger (tbl, row_id, col, mac) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tbl, row_id, col) DO UPDATE SET mac = excluded.mac"
        } else {
            "INSERT OR IGNORE INTO seal_ledger (tbl, row_id, col, mac) VALUES (?1, ?2, ?3, ?4)"
        };
        conn.prepare_cached(sql)?.execute(params![aad.table, aad.row, aad.column, mac.as_ref()])?;
        if replace {
            self.verified.insert(Self::cache_key(aad), tag);
        }
        Ok(())
    }

    /// Whether this very envelope was already checked (or sealed) in this session.
    fn already_verified(&self, aad: &Aad<'_>, sealed: &[u8]) -> CoreResult<(String, [u8; envelope::TAG_LEN], bool)> {
        let tag = Self::tag_of(sealed)?;
        let key = Self::cache_key(aad);
        let hit = self.verified.get(&key) == Some(&tag);
        Ok((key, tag, hit))
    }

    /// Refuses an envelope that is not the one the ledger says its column holds.
    fn check(
        &mut self,
        aad: &Aad<'_>,
        key: String,
        tag: [u8; envelope::TAG_LEN],
        recorded: Option<&[u8]>,
    ) -> CoreResult<()> {
        let recorded = recorded.ok_or(CoreError::Tampered)?;
        hmac::verify(&self.ledger_key, &Self::ledger_message(aad, &tag), recorded).map_err(|_| CoreError::Tampered)?;
        self.verified.insert(key, tag);
        Ok(())
    }

    /// Records the envelopes sealed before the ledger existed (vaults made before migration
    /// 8), once, on the first unlock after it. Entries already there are kept and still
    /// checked, so resetting the flag cannot launder an older row.
    pub fn complete_ledger(&mut self, conn: &mut Connection) -> CoreResult<()> {
        let complete: i64 = conn.query_row("SELECT complete FROM seal_ledger_state WHERE id = 1", [], |r| r.get(0))?;
        if complete == 1 {
            return Ok(());
        }
        store::write_tx(conn, |tx| {
            for (table, id, column) in SEALED_COLUMNS {
                let mut stmt = tx.prepare(&format!("SELECT {id}, {column} FROM {table} WHERE {column} IS NOT NULL"))?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let row: String = r.get(0)?;
                    let sealed = r.get_ref(1)?.as_blob().map_err(|_| CoreError::Corrupt)?;
                    self.record(tx, &Aad::new(table, &row, column), sealed, false)?;
                }
            }
            tx.execute("UPDATE seal_ledger_state SET complete = 1 WHERE id = 1", [])?;
            Ok(())
        })
    }

    pub fn vault_key(&self) -> &SecretKey {
        &self.vault_key
    }

    pub fn general_key_id(&self) -> KeyId {
        self.general_key_id
    }

    /// Keyed blind index of a phone number, for look-ups without storing the number in clear.
    pub fn phone_index(&self, e164: &str) -> Vec<u8> {
        hmac::sign(&self.phone_index_key, e164.as_bytes()).as_ref().to_vec()
    }

    /// Makes a new data key, stores it sealed by the vault key, and returns its id.
    pub fn create_data_key(&mut self, conn: &Connection, purpose: &str) -> CoreResult<KeyId> {
        let key = SecretKey::generate()?;
        conn.execute("INSERT INTO data_keys (purpose, wrapped) VALUES (?1, x'')", params![purpose])?;
        let id = conn.last_insert_rowid() as KeyId;
        let wrapped = seal_data_key(&self.vault_key, id, &key)?;
        conn.execute("UPDATE data_keys SET wrapped = ?1 WHERE id = ?2", params![wrapped, id as i64])?;
        self.data_keys.insert(id, envelope::aead_key(&key).map_err(envelope_error)?);
        Ok(id)
    }

    /// Forgets a data key (after its row was deleted).
    pub fn forget(&mut self, id: KeyId) {
        self.data_keys.remove(&id);
    }

    /// The data key with this id, unwrapped from the database on first use.
    pub fn data_key(&mut self, conn: &Connection, id: KeyId) -> CoreResult<&LessSafeKey> {
        if !self.data_keys.contains_key(&id) {
            let wrapped: Option<Vec<u8>> =
                conn.query_row("SELECT wrapped FROM data_keys WHERE id = ?1", [id as i64], |r| r.get(0)).optional()?;
            // A missing key means the owner was deleted (crypto-shredded) or the row was tampered with.
            let wrapped = wrapped.ok_or(CoreError::Tampered)?;
            let raw =
                envelope::open(&self.vault_key, data_key_aad(&id.to_string()), &wrapped).map_err(envelope_error)?;
            self.data_keys.insert(id, envelope::aead_key(&SecretKey::from_slice(&raw)?).map_err(envelope_error)?);
        }
        self.data_keys.get(&id).ok_or(CoreError::Internal { reason: "data key cache" })
    }

    pub fn seal(&mut self, conn: &Connection, key_id: KeyId, aad: Aad<'_>, plaintext: &[u8]) -> CoreResult<Vec<u8>> {
        let key = self.data_key(conn, key_id)?;
        let sealed = envelope::seal_with(key, key_id, aad, plaintext).map_err(envelope_error)?;
        // In the caller's transaction: the row and its ledger entry land together.
        self.record(conn, &aad, &sealed, true)?;
        Ok(sealed)
    }

    /// Opens an envelope with the key its header names, which must be `expected_key`:
    /// a row cannot point its ciphertext at some other citizen's key. The envelope must be
    /// the one the seal ledger records for its column: an older copy is refused.
    pub fn open(
        &mut self,
        conn: &Connection,
        expected_key: KeyId,
        aad: Aad<'_>,
        sealed: &[u8],
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
        let (key, tag, hit) = self.already_verified(&aad, sealed)?;
        if !hit {
            let recorded: Option<Vec<u8>> = conn
                .prepare_cached("SELECT mac FROM seal_ledger WHERE tbl = ?1 AND row_id = ?2 AND col = ?3")?
                .query_row(params![aad.table, aad.row, aad.column], |r| r.get(0))
                .optional()?;
            self.check(&aad, key, tag, recorded.as_deref())?;
        }
        self.open_unchecked(conn, expected_key, aad, sealed)
    }

    /// [`Keyring::open`] for scans over many rows of one column: the ledger is read in one
    /// query, and only if some row was not verified yet in this session.
    pub fn open_in_scan(
        &mut self,
        conn: &Connection,
        scan: &mut LedgerScan,
        expected_key: KeyId,
        aad: Aad<'_>,
        sealed: &[u8],
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
        debug_assert!(aad.table == scan.table && aad.column == scan.column);
        let (key, tag, hit) = self.already_verified(&aad, sealed)?;
        if !hit {
            let recorded = scan.get(conn, aad.row)?;
            self.check(&aad, key, tag, recorded)?;
        }
        self.open_unchecked(conn, expected_key, aad, sealed)
    }

    fn open_unchecked(
        &mut self,
        conn: &Connection,
        expected_key: KeyId,
        aad: Aad<'_>,
        sealed: &[u8],
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
        let key_id = envelope::key_id_of(sealed).map_err(envelope_error)?;
        if key_id != expected_key {
            return Err(CoreError::Tampered);
        }
        let key = self.data_key(conn, key_id)?;
        envelope::open_with(key, aad, sealed).map_err(envelope_error)
    }

    pub fn open_string(
        &mut self,
        conn: &Connection,
        expected_key: KeyId,
        aad: Aad<'_>,
        sealed: &[u8],
    ) -> CoreResult<String> {
        let raw = self.open(conn, expected_key, aad, sealed)?;
        String::from_utf8(raw.to_vec()).map_err(|_| CoreError::Tampered)
    }
}

fn derived_key(vault_key: &SecretKey, label: &[u8]) -> hmac::Key {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, vault_key.as_bytes()), label);
    hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref())
}

fn data_key_aad(row: &str) -> Aad<'_> {
    Aad::new("data_keys", row, "wrapped")
}

pub(crate) fn seal_data_key(vault_key: &SecretKey, id: KeyId, key: &SecretKey) -> CoreResult<Vec<u8>> {
    envelope::seal(vault_key, VAULT_KEY_ID, data_key_aad(&id.to_string()), key.as_bytes()).map_err(envelope_error)
}
