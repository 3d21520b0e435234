//! The keys of an unlocked vault: the vault key, the subkeys derived from it, and the data
//! keys unwrapped so far. Dropped, and so wiped, on lock.
//!
//! The vault key is never used directly as a cipher key: every use has its own subkey
//! (HKDF-SHA256 with a distinct label), so the AES key that wraps data keys, the HMAC key
//! of the phone index and the HMAC key of the seal ledger are independent.
//!
//! ## The seal ledger
//! For every sealed column the ledger (table `seal_ledger`) records which envelope the
//! column holds, as an HMAC of table, row, column, the envelope's GCM tag and the row's
//! *bound* plaintext values (its owner, its state: see [`SEALED_COLUMNS`]). Reading a sealed
//! column checks the entry, so an older copy of a row written back, a note moved to another
//! citizen, or a final note turned back into a draft is refused as tampering.

use crate::crypto::envelope::{self, Aad, EnvelopeError, KeyId};
use crate::crypto::wiped::Wiped;
use crate::crypto::SecretKey;
use crate::error::{CoreError, CoreResult};
use ring::aead::LessSafeKey;
use ring::hmac;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use zeroize::Zeroizing;

/// Key id 0 in an envelope means "sealed by a key of the vault itself" (not a data key).
pub const VAULT_KEY_ID: KeyId = 0;

/// The version of the ledger's MAC input: 2 binds the row's plaintext values (migration 9).
pub const LEDGER_VERSION: u32 = 2;

pub(crate) fn envelope_error(e: EnvelopeError) -> CoreError {
    match e {
        EnvelopeError::Random => CoreError::Internal { reason: "system random generator failed" },
        EnvelopeError::KeyRejected => CoreError::Internal { reason: "AEAD key rejected" },
        _ => CoreError::Tampered,
    }
}

/// Plaintext values of the same row that a sealed column's ledger entry also covers, in the
/// order [`SEALED_COLUMNS`] lists them. Read them from the row (or give the values being
/// written) and pass them to `seal`/`open`.
#[derive(Clone, Copy, Default)]
pub struct Bound<'a>(pub &'a [ValueRef<'a>]);

impl<'a> Bound<'a> {
    pub const NONE: Bound<'static> = Bound(&[]);

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.0.len() as u32).to_be_bytes());
        for v in self.0 {
            let (tag, bytes): (u8, std::borrow::Cow<'_, [u8]>) = match v {
                ValueRef::Null => (0, (&[][..]).into()),
                ValueRef::Integer(i) => (1, i.to_be_bytes().to_vec().into()),
                ValueRef::Real(f) => (2, f.to_be_bytes().to_vec().into()),
                ValueRef::Text(t) => (3, (*t).into()),
                ValueRef::Blob(b) => (4, (*b).into()),
            };
            out.push(tag);
            out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            out.extend_from_slice(&bytes);
        }
    }
}

/// A sealed column: table, the SQL naming its row id as text, the column, and the plaintext
/// columns of the same row its ledger entry binds (owner, state), in this order.
pub struct SealedColumn {
    pub table: &'static str,
    pub id: &'static str,
    pub column: &'static str,
    pub bound: &'static [&'static str],
}

const fn col(
    table: &'static str,
    id: &'static str,
    column: &'static str,
    bound: &'static [&'static str],
) -> SealedColumn {
    SealedColumn { table, id, column, bound }
}

/// The columns a note's body binds: moving it to another citizen, changing its state, its
/// conversation time or its number of amendments without the keys is refused.
pub const NOTE_BODY_BOUND: &[&str] = &["citizen_id", "key_id", "state", "occurred_at", "amendment_count"];

/// Every sealed column written through the keyring. The reminder payloads are sealed by the
/// outbox key, outside the keyring, and not listed.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    col("citizens", "id", "nickname", &["key_id"]),
    col("citizens", "id", "phone", &["key_id", "phone_index"]),
    col("citizens", "id", "case_ref", &["key_id"]),
    col("citizens", "id", "sms", &["key_id"]),
    col("notes", "id", "body", NOTE_BODY_BOUND),
    col("notes", "id", "details", &["key_id"]),
    col("notes", "id", "journal_ref", &["key_id", "state"]),
    col("note_amendments", "id", "body", &["note_id"]),
    col("follow_ups", "id", "body", &["note_id"]),
    col("appointments", "id", "outside_place", &["citizen_id", "key_id"]),
    col("appointments", "id", "sealed", &["citizen_id", "key_id"]),
    col("reminders", "id", "history", &["appointment_id"]),
    col("worker_settings", "CAST(id AS TEXT)", "profile", &[]),
    col("worker_settings", "CAST(id AS TEXT)", "rules", &[]),
    col("worker_settings", "CAST(id AS TEXT)", "templates", &[]),
    col("venues", "id", "sealed", &[]),
    col("absences", "id", "sealed", &[]),
];

/// The sealed column named by table and column.
pub fn sealed_column(table: &str, column: &str) -> Option<&'static SealedColumn> {
    SEALED_COLUMNS.iter().find(|c| c.table == table && c.column == column)
}

pub struct Keyring {
    vault_key: SecretKey,
    /// AES-256-GCM key that wraps the data keys (HKDF subkey of the vault key).
    data_key_wrap: Wiped<LessSafeKey>,
    general_key_id: KeyId,
    /// Unwrapped data keys, expanded for AES-GCM. Wiped with the keyring on lock.
    data_keys: HashMap<KeyId, Wiped<LessSafeKey>>,
    phone_index_key: Wiped<hmac::Key>,
    ledger_key: Wiped<hmac::Key>,
    /// Authenticates the paging cursors handed to the shells.
    cursor_key: Wiped<hmac::Key>,
}

impl Keyring {
    pub fn new(vault_key: SecretKey, general_key_id: KeyId) -> CoreResult<Self> {
        let data_key_wrap =
            Wiped::new(envelope::aead_key(&subkey(&vault_key, b"data key wrap v2")?).map_err(envelope_error)?);
        Ok(Keyring {
            data_key_wrap,
            general_key_id,
            data_keys: HashMap::new(),
            phone_index_key: Wiped::new(legacy_hmac_key(&vault_key, b"brobygger phone index v1")),
            ledger_key: Wiped::new(legacy_hmac_key(&vault_key, b"brobygger seal ledger v1")),
            cursor_key: Wiped::new(hmac::Key::new(
                hmac::HMAC_SHA256,
                subkey(&vault_key, b"paging cursor v1")?.as_bytes(),
            )),
            vault_key,
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

    /// A MAC for a paging cursor (so a cursor cannot be forged or reused for another query).
    pub fn cursor_mac(&self, message: &[u8]) -> Vec<u8> {
        hmac::sign(&self.cursor_key, message).as_ref().to_vec()
    }

    pub fn check_cursor_mac(&self, message: &[u8], mac: &[u8]) -> bool {
        hmac::verify(&self.cursor_key, message, mac).is_ok()
    }

    /// What the ledger records for an envelope: where it lives, the bound values of its row
    /// and its GCM tag, which no one without the key can make and which differs for every
    /// sealing (random nonce).
    fn ledger_message(aad: &Aad<'_>, bound: Bound<'_>, tag: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(96 + aad.row.len());
        aad.encode_location(&mut out);
        bound.encode(&mut out);
        out.extend_from_slice(&(tag.len() as u32).to_be_bytes());
        out.extend_from_slice(tag);
        out
    }

    /// The MAC of migration 8's ledger, which bound no row values.
    fn ledger_message_v1(aad: &Aad<'_>, tag: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + aad.row.len());
        aad.encode_location(&mut out);
        out.extend_from_slice(&(tag.len() as u32).to_be_bytes());
        out.extend_from_slice(tag);
        out
    }

    fn tag_of(sealed: &[u8]) -> CoreResult<&[u8]> {
        let at = sealed.len().checked_sub(envelope::TAG_LEN).ok_or(CoreError::Tampered)?;
        Ok(&sealed[at..])
    }

    /// The ledger MAC for this envelope at this place with these bound values.
    pub fn ledger_mac(&self, aad: &Aad<'_>, bound: Bound<'_>, sealed: &[u8]) -> CoreResult<Vec<u8>> {
        let tag = Self::tag_of(sealed)?;
        Ok(hmac::sign(&self.ledger_key, &Self::ledger_message(aad, bound, tag)).as_ref().to_vec())
    }

    /// Writes (or replaces) the ledger entry for an envelope, in the caller's transaction.
    pub fn record(&self, conn: &Connection, aad: &Aad<'_>, bound: Bound<'_>, sealed: &[u8]) -> CoreResult<()> {
        let mac = self.ledger_mac(aad, bound, sealed)?;
        // An upsert changes the entry in place (REPLACE would delete and re-insert it).
        conn.prepare_cached(
            "INSERT INTO seal_ledger (tbl, row_id, col, mac) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tbl, row_id, col) DO UPDATE SET mac = excluded.mac",
        )?
        .execute(params![aad.table, aad.row, aad.column, mac])?;
        Ok(())
    }

    /// Re-records the entry of an envelope that stays as it is while its row's bound values
    /// change (a note finalised, a draft's amendment count). The current entry must verify
    /// first: a tampered row is never re-blessed.
    pub fn rebind(
        &self,
        conn: &Connection,
        aad: &Aad<'_>,
        old: Bound<'_>,
        new: Bound<'_>,
        sealed: &[u8],
    ) -> CoreResult<()> {
        self.verify(conn, aad, old, sealed)?;
        self.record(conn, aad, new, sealed)
    }

    /// Refuses an envelope that is not the one the ledger says its column holds.
    pub fn verify(&self, conn: &Connection, aad: &Aad<'_>, bound: Bound<'_>, sealed: &[u8]) -> CoreResult<()> {
        let recorded: Option<Vec<u8>> = conn
            .prepare_cached("SELECT mac FROM seal_ledger WHERE tbl = ?1 AND row_id = ?2 AND col = ?3")?
            .query_row(params![aad.table, aad.row, aad.column], |r| r.get(0))
            .optional()?;
        self.verify_mac(aad, bound, sealed, recorded.as_deref())
    }

    /// [`Keyring::verify`] with the entry already read (scans join `seal_ledger`).
    pub fn verify_mac(
        &self,
        aad: &Aad<'_>,
        bound: Bound<'_>,
        sealed: &[u8],
        recorded: Option<&[u8]>,
    ) -> CoreResult<()> {
        let recorded = recorded.ok_or(CoreError::Tampered)?;
        let tag = Self::tag_of(sealed)?;
        hmac::verify(&self.ledger_key, &Self::ledger_message(aad, bound, tag), recorded)
            .map_err(|_| CoreError::Tampered)
    }

    /// Makes a new data key, stores it sealed by the vault's wrap key, and returns its id.
    pub fn create_data_key(&mut self, conn: &Connection, purpose: &str) -> CoreResult<KeyId> {
        let key = SecretKey::generate()?;
        conn.execute("INSERT INTO data_keys (purpose, wrapped) VALUES (?1, x'')", params![purpose])?;
        let id = conn.last_insert_rowid() as KeyId;
        let wrapped = self.wrap_data_key(id, &key)?;
        conn.execute("UPDATE data_keys SET wrapped = ?1 WHERE id = ?2", params![wrapped, id as i64])?;
        self.data_keys.insert(id, Wiped::new(envelope::aead_key(&key).map_err(envelope_error)?));
        Ok(id)
    }

    fn wrap_data_key(&self, id: KeyId, key: &SecretKey) -> CoreResult<Vec<u8>> {
        envelope::seal_with(&self.data_key_wrap, VAULT_KEY_ID, data_key_aad(&id.to_string()), key.as_bytes())
            .map_err(envelope_error)
    }

    /// Forgets a data key (after its row was deleted).
    pub fn forget(&mut self, id: KeyId) {
        self.data_keys.remove(&id);
    }

    /// The data key with this id, unwrapped from the database on first use.
    pub fn data_key(&mut self, conn: &Connection, id: KeyId) -> CoreResult<&LessSafeKey> {
        if !self.data_keys.contains_key(&id) {
            let wrapped: Option<Vec<u8>> = conn
                .prepare_cached("SELECT wrapped FROM data_keys WHERE id = ?1")?
                .query_row([id as i64], |r| r.get(0))
                .optional()?;
            // A missing key means the owner was deleted (crypto-shredded) or the row was tampered with.
            let wrapped = wrapped.ok_or(CoreError::Tampered)?;
            let raw = envelope::open_with(&self.data_key_wrap, data_key_aad(&id.to_string()), &wrapped)
                .map_err(envelope_error)?;
            let key = SecretKey::from_slice(&raw)?;
            self.data_keys.insert(id, Wiped::new(envelope::aead_key(&key).map_err(envelope_error)?));
        }
        self.data_keys.get(&id).map(|k| &**k).ok_or(CoreError::Internal { reason: "data key cache" })
    }

    /// Seals `plaintext` for the place `aad` names, binding the row's `bound` values, and
    /// records it in the ledger, in the caller's transaction (row and entry land together).
    pub fn seal(
        &mut self,
        conn: &Connection,
        key_id: KeyId,
        aad: Aad<'_>,
        bound: Bound<'_>,
        plaintext: &[u8],
    ) -> CoreResult<Vec<u8>> {
        let key = self.data_key(conn, key_id)?;
        let sealed = envelope::seal_with(key, key_id, aad, plaintext).map_err(envelope_error)?;
        self.record(conn, &aad, bound, &sealed)?;
        Ok(sealed)
    }

    /// Opens an envelope with the key its header names, which must be `expected_key` (a row
    /// cannot point its ciphertext at some other citizen's key), after checking it is the one
    /// the seal ledger records for its column with these bound values.
    pub fn open(
        &mut self,
        conn: &Connection,
        expected_key: KeyId,
        aad: Aad<'_>,
        bound: Bound<'_>,
        sealed: &[u8],
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
        self.verify(conn, &aad, bound, sealed)?;
        self.open_unchecked(conn, expected_key, aad, sealed)
    }

    /// [`Keyring::open`] with the ledger entry already read by the caller's query.
    pub fn open_with_mac(
        &mut self,
        conn: &Connection,
        expected_key: KeyId,
        aad: Aad<'_>,
        bound: Bound<'_>,
        sealed: &[u8],
        recorded: Option<&[u8]>,
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
        self.verify_mac(&aad, bound, sealed, recorded)?;
        self.open_unchecked(conn, expected_key, aad, sealed)
    }

    /// Opens an envelope without its ledger check: for scans that look at many rows and show
    /// few. The caller must [`Keyring::verify`] any row before anything of it is shown.
    pub fn open_unverified(
        &mut self,
        conn: &Connection,
        expected_key: KeyId,
        aad: Aad<'_>,
        sealed: &[u8],
    ) -> CoreResult<Zeroizing<Vec<u8>>> {
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
        bound: Bound<'_>,
        sealed: &[u8],
    ) -> CoreResult<String> {
        let raw = self.open(conn, expected_key, aad, bound, sealed)?;
        String::from_utf8(raw.to_vec()).map_err(|_| CoreError::Tampered)
    }

    /// Brings a vault's keys and ledger up to this version's rules, once, at the first unlock
    /// after migration 9 (inside the caller's transaction):
    /// - data keys sealed directly by the vault key (version 1) are re-wrapped by the wrap subkey;
    /// - every ledger entry of migration 8 that still verifies is re-recorded with its row's
    ///   bound values; one that does not verify (or is missing) is left so, and its column
    ///   reads as tampered. Nothing unverified is ever blessed.
    ///
    /// Returns how many entries did not verify.
    pub fn upgrade_from_v1(&mut self, conn: &Connection) -> CoreResult<u64> {
        let legacy = envelope::aead_key(&self.vault_key).map_err(envelope_error)?;
        let mut rewrapped = Vec::new();
        {
            let mut stmt = conn.prepare("SELECT id, wrapped FROM data_keys")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let wrapped: Vec<u8> = r.get(1)?;
                // Already wrapped by the subkey (an upgrade interrupted and retried): keep it.
                if envelope::open_with(&self.data_key_wrap, data_key_aad(&id.to_string()), &wrapped).is_ok() {
                    continue;
                }
                let raw =
                    envelope::open_with(&legacy, data_key_aad(&id.to_string()), &wrapped).map_err(envelope_error)?;
                let key = SecretKey::from_slice(&raw)?;
                rewrapped.push((id, self.wrap_data_key(id as KeyId, &key)?));
            }
        }
        for (id, wrapped) in rewrapped {
            conn.execute("UPDATE data_keys SET wrapped = ?1 WHERE id = ?2", params![wrapped, id])?;
        }
        let mut unverified = 0;
        for c in SEALED_COLUMNS {
            let id_sql = if c.id == "id" { "t.id" } else { "CAST(t.id AS TEXT)" };
            let bound_sql: String = c.bound.iter().map(|b| format!(", t.{b}")).collect();
            let sql = format!(
                "SELECT {id_sql}, t.{col}, l.mac{bound_sql} FROM {table} t
                 LEFT JOIN seal_ledger l ON l.tbl = '{table}' AND l.row_id = {id_sql} AND l.col = '{col}'
                 WHERE typeof(t.{col}) = 'blob'",
                col = c.column,
                table = c.table,
            );
            let mut entries = Vec::new();
            {
                let mut stmt = conn.prepare(&sql)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let row: String = r.get(0)?;
                    let sealed = r.get_ref(1)?.as_blob().map_err(|_| CoreError::Corrupt)?.to_vec();
                    let mac: Option<Vec<u8>> = r.get(2)?;
                    let aad = Aad::new(c.table, &row, c.column);
                    let tag = Self::tag_of(&sealed)?;
                    let ok = mac.as_deref().is_some_and(|m| {
                        hmac::verify(&self.ledger_key, &Self::ledger_message_v1(&aad, tag), m).is_ok()
                    });
                    if !ok {
                        unverified += 1;
                        continue;
                    }
                    let values: Vec<ValueRef<'_>> =
                        (0..c.bound.len()).map(|i| r.get_ref(3 + i)).collect::<Result<_, _>>()?;
                    entries.push((row.clone(), self.ledger_mac(&aad, Bound(&values), &sealed)?));
                }
            }
            for (row, mac) in entries {
                conn.execute(
                    "UPDATE seal_ledger SET mac = ?4 WHERE tbl = ?1 AND row_id = ?2 AND col = ?3",
                    params![c.table, row, c.column, mac],
                )?;
            }
        }
        Ok(unverified)
    }

    /// The XOR of every ledger MAC: one value that changes when any entry is added, removed
    /// or written back. Anchored by the platform key store at lock (see `vault::state`), so a
    /// consistent rollback of several rows with their entries is caught at the next unlock.
    pub fn ledger_digest(conn: &Connection) -> CoreResult<[u8; 32]> {
        let mut digest = [0u8; 32];
        let mut stmt = conn.prepare_cached("SELECT tbl, row_id, col, mac FROM seal_ledger")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            // Each entry's place is folded in too, so an entry moved to another row counts.
            let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
            for i in 0..4 {
                let bytes = match r.get_ref(i)? {
                    ValueRef::Text(t) => t,
                    ValueRef::Blob(b) => b,
                    _ => return Err(CoreError::Corrupt),
                };
                ctx.update(&(bytes.len() as u32).to_be_bytes());
                ctx.update(bytes);
            }
            for (d, b) in digest.iter_mut().zip(ctx.finish().as_ref()) {
                *d ^= b;
            }
        }
        Ok(digest)
    }
}

#[cfg(any(test, feature = "insecure-test-kdf"))]
impl Keyring {
    /// A data key's bytes (tests that rebuild an old vault only).
    pub fn data_key_bytes_for_tests(&mut self, conn: &Connection, id: KeyId) -> CoreResult<SecretKey> {
        let wrapped: Vec<u8> =
            conn.query_row("SELECT wrapped FROM data_keys WHERE id = ?1", [id as i64], |r| r.get(0))?;
        let raw = envelope::open_with(&self.data_key_wrap, data_key_aad(&id.to_string()), &wrapped)
            .map_err(envelope_error)?;
        SecretKey::from_slice(&raw)
    }

    /// Migration 8's ledger MAC (tests that rebuild an old vault only).
    pub fn ledger_mac_v1_for_tests(&self, aad: &Aad<'_>, sealed: &[u8]) -> CoreResult<Vec<u8>> {
        let tag = Self::tag_of(sealed)?;
        Ok(hmac::sign(&self.ledger_key, &Self::ledger_message_v1(aad, tag)).as_ref().to_vec())
    }
}

/// An HKDF-SHA256 subkey of the vault key for one purpose.
pub(crate) fn subkey(vault_key: &SecretKey, label: &[u8]) -> CoreResult<SecretKey> {
    crate::crypto::kdf::hkdf(b"brobygger vault key", vault_key.as_bytes(), label)
}

/// The HMAC keys of migration 8's phone index and ledger: HMAC(vault key, label), a PRF
/// derivation kept so existing indexes stay valid. The vault key is used only as an HMAC key.
fn legacy_hmac_key(vault_key: &SecretKey, label: &[u8]) -> hmac::Key {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, vault_key.as_bytes()), label);
    hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref())
}

fn data_key_aad(row: &str) -> Aad<'_> {
    Aad::new("data_keys", row, "wrapped")
}
