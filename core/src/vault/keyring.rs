//! The keys of an unlocked vault: the vault key and the data keys unwrapped so far.
//! Dropped, and so zeroed, on lock.

use crate::crypto::envelope::{self, Aad, EnvelopeError, KeyId};
use crate::crypto::SecretKey;
use crate::error::{CoreError, CoreResult};
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
}

/// The seal ledger's entries for one table, read in one query for a scan over many rows.
pub struct Ledger(HashMap<(String, String), Vec<u8>>);

impl Ledger {
    fn get(&self, row: &str, column: &str) -> Option<&[u8]> {
        self.0.get(&(row.to_string(), column.to_string())).map(Vec::as_slice)
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
        // A separate key for the blind index, derived so it never doubles as an AES key.
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, vault_key.as_bytes()), b"brobygger phone index v1");
        let phone_index_key = hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref());
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, vault_key.as_bytes()), b"brobygger seal ledger v1");
        let ledger_key = hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref());
        Keyring { vault_key, general_key_id, data_keys: HashMap::new(), phone_index_key, ledger_key }
    }

    /// What the ledger records for an envelope: table, row, column and its GCM tag, which
    /// no one without the key can make and which differs for every sealing (random nonce).
    fn ledger_message(aad: &Aad<'_>, sealed: &[u8]) -> CoreResult<Vec<u8>> {
        let at = sealed.len().checked_sub(envelope::TAG_LEN).ok_or(CoreError::Tampered)?;
        let mut out = Vec::with_capacity(64 + aad.row.len());
        for part in [aad.table.as_bytes(), aad.row.as_bytes(), aad.column.as_bytes(), &sealed[at..]] {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part);
        }
        Ok(out)
    }

    fn record(&self, conn: &Connection, aad: &Aad<'_>, sealed: &[u8], replace: bool) -> CoreResult<()> {
        let mac = hmac::sign(&self.ledger_key, &Self::ledger_message(aad, sealed)?);
        let sql = if replace {
            "INSERT OR REPLACE INTO seal_ledger (tbl, row_id, col, mac) VALUES (?1, ?2, ?3, ?4)"
        } else {
            "INSERT OR IGNORE INTO seal_ledger (tbl, row_id, col, mac) VALUES (?1, ?2, ?3, ?4)"
        };
        conn.prepare_cached(sql)?.execute(params![aad.table, aad.row, aad.column, mac.as_ref()])?;
        Ok(())
    }

    /// Refuses an envelope that is not the one the ledger says its column holds.
    fn check(&self, aad: &Aad<'_>, sealed: &[u8], recorded: Option<&[u8]>) -> CoreResult<()> {
        let recorded = recorded.ok_or(CoreError::Tampered)?;
        hmac::verify(&self.ledger_key, &Self::ledger_message(aad, sealed)?, recorded).map_err(|_| CoreError::Tampered)
    }

    /// The ledger's entries for `table`, for reading many of its rows.
    pub fn ledger(&self, conn: &Connection, table: &str) -> CoreResult<Ledger> {
        let mut stmt = conn.prepare_cached("SELECT row_id, col, mac FROM seal_ledger WHERE tbl = ?1")?;
        let mut rows = stmt.query([table])?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next()? {
            out.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
        Ok(Ledger(out))
    }

    /// Records the envelopes sealed before the ledger existed (vaults made before migration
    /// 8), once, on the first unlock after it. Entries already there are kept and still
    /// checked, so resetting the flag cannot launder an older row.
    pub fn complete_ledger(&self, conn: &Connection) -> CoreResult<()> {
        let complete: i64 = conn.query_row("SELECT complete FROM seal_ledger_state WHERE id = 1", [], |r| r.get(0))?;
        if complete == 1 {
            return Ok(());
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let filled = (|| {
            for (table, id, column) in SEALED_COLUMNS {
                let mut stmt =
                    conn.prepare(&format!("SELECT {id}, {column} FROM {table} WHERE {column} IS NOT NULL"))?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let row: String = r.get(0)?;
                    let sealed = r.get_ref(1)?.as_blob().map_err(|_| CoreError::Corrupt)?;
                    self.record(conn, &Aad::new(table, &row, column), sealed, false)?;
                }
            }
            conn.execute("UPDATE seal_ledger_state SET complete = 1 WHERE id = 1", [])?;
            Ok::<_, CoreError>(())
        })();
        match filled {
            Ok(()) => Ok(conn.execute_batch("COMMIT")?),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
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
        let recorded: Option<Vec<u8>> = conn
            .prepare_cached("SELECT mac FROM seal_ledger WHERE tbl = ?1 AND row_id = ?2 AND col = ?3")?
            .query_row(params![aad.table, aad.row, aad.column], |r| r.get(0))
            .optional()?;
        self.check(&aad, sealed, recorded.as_deref())?;
        self.open_unchecked(conn, expected_key, aad, sealed)
    }

    /// [`Keyring::open`] with the ledger read beforehand, for scans over many rows.
    pub fn open_with(
        &mut self,
        conn: &Connection,
        ledger: &Ledger,
        expected_key: KeyId,
        aad: Aad<'_>,
        sealed: &[u8],
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
        self.check(&aad, sealed, ledger.get(aad.row, aad.column))?;
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

fn data_key_aad(row: &str) -> Aad<'_> {
    Aad::new("data_keys", row, "wrapped")
}

pub(crate) fn seal_data_key(vault_key: &SecretKey, id: KeyId, key: &SecretKey) -> CoreResult<Vec<u8>> {
    envelope::seal(vault_key, VAULT_KEY_ID, data_key_aad(&id.to_string()), key.as_bytes()).map_err(envelope_error)
}
