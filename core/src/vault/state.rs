//! The sealed vault state: the PIN wrap, the wrong-PIN count and the delay in force, the
//! biometric wrap, and the anchor of the seal ledger.
//!
//! It lives in `vault_meta.state`, sealed (AES-256-GCM) under a random secret that a
//! platform key wraps (`state_secret`, [`KeyPurpose::VaultState`]). Every change — each PIN
//! attempt, each unlock, each lock — writes the state under a **new** platform key and then
//! deletes the old one. So a copy of the file taken before the change names a key that no
//! longer exists: writing back an older `vault.db` cannot undo a wrong-PIN count or revive a
//! destroyed PIN wrap, and editing the file's counter breaks the seal. Reading the state
//! needs no PIN (the unlock screen shows the attempts left). It also holds the audit log's
//! head and the lifecycle settings (`lifecycle.rs`), so each audit entry lands with a new key.
//!
//! Order of a change, so a crash at any point leaves a state that opens: (1) the new key is
//! created and wraps a new secret, (2) the file is committed naming it, (3) the old key is
//! deleted. A crash between 2 and 3 leaves the old key; its name is kept in
//! `previous_state_key` and deleted at the next change.

use super::keystore::{KeyPurpose, KeyStore, KeyStoreFailure, KeyStoreFailureKind};
use super::lifecycle::Lifecycle;
use crate::audit::AuditHead;
use crate::crypto::envelope::{self, Aad};
use crate::crypto::{random, SecretKey};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The PIN wrap: the vault key sealed under the key derived from the PIN (see `crypto::kdf`).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PinWrap {
    pub salt: Vec<u8>,
    pub iterations: u32,
    pub wrap: Vec<u8>,
}

/// Where the seal ledger stood when the state was last written.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct LedgerAnchor {
    /// The ledger's MAC version (`keyring::LEDGER_VERSION` once upgraded).
    pub version: u32,
    /// The XOR digest of every entry at the last lock, hex; `None` while a session is open
    /// (or after one ended without a lock), when it cannot be checked.
    pub digest: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct VaultState {
    /// Wrong PINs in a row.
    pub failed_attempts: u32,
    /// No PIN attempt before this instant (ms since the epoch, on the injected clock).
    pub not_before: Option<i64>,
    /// `None` once too many wrong PINs destroyed it.
    pub pin: Option<PinWrap>,
    /// The vault key sealed under the key from the shell's biometric secret.
    pub biometric: Option<Vec<u8>>,
    /// Whether biometric unlock stays after the PIN is disabled by wrong PINs.
    pub biometric_survives_pin_lockout: bool,
    pub ledger: LedgerAnchor,
    /// The recovery key was used since it was last replaced: the shells offer a new one.
    pub recovery_key_rotation_advised: bool,
    /// The audit log's last entry, written with it (see `audit`).
    #[serde(default)]
    pub audit: AuditHead,
    /// Retention and backup settings, the last backup and unlock, the emergency wipes.
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

impl VaultState {
    pub fn new(pin: PinWrap, ledger_version: u32) -> Self {
        VaultState {
            failed_attempts: 0,
            not_before: None,
            pin: Some(pin),
            biometric: None,
            biometric_survives_pin_lockout: true,
            ledger: LedgerAnchor { version: ledger_version, digest: None },
            recovery_key_rotation_advised: false,
            audit: AuditHead::default(),
            lifecycle: Lifecycle::default(),
        }
    }
}

pub(crate) fn key_store_error(f: KeyStoreFailure) -> CoreError {
    match f.kind {
        KeyStoreFailureKind::KeyMissing => CoreError::PlatformKeysMissing,
        _ => CoreError::KeyStore { reason: f.reason },
    }
}

fn state_aad(place: &str) -> Aad<'_> {
    Aad::new("vault_meta", place, "state")
}

/// The platform key names of a vault.
pub(crate) fn key_name(vault_id: &str, purpose: &str) -> String {
    format!("brobygger.vault.{vault_id}.{purpose}")
}

/// A fresh, never-reused key name for `purpose` (state keys and PIN-factor keys rotate).
pub(crate) fn fresh_key_name(vault_id: &str, purpose: &str) -> CoreResult<String> {
    Ok(format!("{}.{}", key_name(vault_id, purpose), &ids::new_id()?[..16]))
}

/// The state key after `current`: `brobygger.vault.<id>.vault_state.<n+1>`. Counted rather
/// than random so that a crash after the key store made the new key, but before the file named
/// it, leaves no key behind: the next change makes (and so reuses) the same name. A name is
/// never used again once the file moved past it, so an older copy of the file still names a
/// key that is gone.
fn next_state_key_name(vault_id: &str, current: Option<&str>) -> String {
    let prefix = key_name(vault_id, KeyPurpose::VaultState.as_str());
    let n: u64 = current
        .and_then(|c| c.strip_prefix(&prefix))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    format!("{prefix}.{}", n + 1)
}

/// Reads and opens the state. A missing platform key is [`CoreError::PlatformKeysMissing`]
/// (a new phone, a key store reset, or an older copy of the file); a state that does not
/// open under its key is tampering.
pub(crate) fn read(conn: &Connection, key_store: &dyn KeyStore) -> CoreResult<(VaultState, String)> {
    type Row = (String, Option<String>, Option<Vec<u8>>, Option<Vec<u8>>);
    let (vault_id, key, secret, sealed): Row =
        conn.query_row("SELECT vault_id, state_key, state_secret, state FROM vault_meta WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let (Some(key), Some(secret), Some(sealed)) = (key, secret, sealed) else {
        return Err(CoreError::Corrupt);
    };
    let raw = Zeroizing::new(key_store.unwrap(&key, KeyPurpose::VaultState, &secret).map_err(key_store_error)?);
    let secret = SecretKey::from_slice(&raw)
        .map_err(|_| CoreError::KeyStore { reason: "the vault state secret has the wrong size".into() })?;
    let place = format!("{vault_id}/{key}");
    let json = envelope::open(&secret, state_aad(&place), &sealed).map_err(|_| CoreError::Tampered)?;
    let state: VaultState = serde_json::from_slice(&json).map_err(|_| CoreError::Tampered)?;
    Ok((state, key))
}

/// Writes `state` under a new platform key (steps 1 and 2 above), in the caller's
/// transaction. Returns the key to delete once the transaction has committed.
pub(crate) fn write_rotated(
    conn: &Connection,
    key_store: &dyn KeyStore,
    vault_id: &str,
    state: &VaultState,
) -> CoreResult<Option<String>> {
    let (current, previous): (Option<String>, Option<String>) =
        conn.query_row("SELECT state_key, previous_state_key FROM vault_meta WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    // A key left behind by a crash after an earlier commit goes now (deleting twice is fine).
    if let Some(p) = previous.filter(|p| !p.is_empty()) {
        let _ = key_store.delete_key(&p);
    }
    let current = current.filter(|c| !c.is_empty());
    let name = next_state_key_name(vault_id, current.as_deref());
    let secret = SecretKey::generate()?;
    let wrapped = key_store.wrap(&name, KeyPurpose::VaultState, secret.as_bytes()).map_err(key_store_error)?;
    let json = Zeroizing::new(serde_json::to_vec(state).map_err(|_| CoreError::Internal { reason: "encode state" })?);
    let place = format!("{vault_id}/{name}");
    let sealed = envelope::seal(&secret, 0, state_aad(&place), &json)
        .map_err(|_| CoreError::Internal { reason: "seal state" })?;
    conn.execute(
        "UPDATE vault_meta SET state_key = ?1, state_secret = ?2, state = ?3, previous_state_key = ?4 WHERE id = 1",
        params![name, wrapped, sealed, current],
    )?;
    Ok(current)
}

/// Step 3: the old key goes once the new state is committed. A failure here is harmless
/// (the key is deleted at the next change), so it is only logged.
pub(crate) fn delete_old(key_store: &dyn KeyStore, old: Option<String>) {
    if let Some(old) = old {
        if key_store.delete_key(&old).is_err() {
            log::warn!("an old vault state key could not be deleted yet");
        }
    }
}

/// Random bytes for a salt.
pub(crate) fn salt() -> CoreResult<Vec<u8>> {
    let mut s = vec![0u8; crate::crypto::kdf::SALT_LEN];
    random::fill(&mut s)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_keys_are_counted_and_never_reused_after_the_file_moved_past_them() {
        let first = next_state_key_name("v", None);
        assert_eq!(first, "brobygger.vault.v.vault_state.1");
        let second = next_state_key_name("v", Some(&first));
        assert_eq!(second, "brobygger.vault.v.vault_state.2");
        assert_eq!(next_state_key_name("v", Some("something else")), first);
    }
}
