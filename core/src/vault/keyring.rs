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
}

impl Keyring {
    pub fn new(vault_key: SecretKey, general_key_id: KeyId) -> Self {
        // A separate key for the blind index, derived so it never doubles as an AES key.
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, vault_key.as_bytes()), b"brobygger phone index v1");
        let phone_index_key = hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref());
        Keyring { vault_key, general_key_id, data_keys: HashMap::new(), phone_index_key }
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
        envelope::seal_with(key, key_id, aad, plaintext).map_err(envelope_error)
    }

    /// Opens an envelope with the key its header names, which must be `expected_key`:
    /// a row cannot point its ciphertext at some other citizen's key.
    pub fn open(
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
