//! The CLI's stand-in for a phone's hardware key store: one file per named key in a folder
//! beside the vault (`cli-keys/`, 0700; each key 0600, named by the hex SHA-256 of the key's
//! name, holding 32 random bytes). Weaker than Android Keystore or the Secure Enclave: anyone
//! who copies the folder copies the keys, where a phone's never leave its hardware (README.md
//! says so). For demos, support and scripts on a desktop.
//!
//! Keys are held one by one because the core replaces its "vault state" key at every PIN
//! attempt, unlock and lock and deletes the old name, and must then get `KeyMissing` for it.
//! A key file is written whole and synced under a temporary name, then linked to its final
//! name (a link never replaces an existing key, so two processes creating the same key agree
//! on one), and the folder is synced; a kill at any moment leaves a key whole or absent.
//!
//! - `pin_factor`: HMAC-SHA256 with a sub-key of the named key.
//! - `wrap`/`unwrap`: AES-256-GCM with another sub-key; the key's name and purpose are the
//!   associated data, so a wrapped secret opens only under the name and purpose it was made for.
//! - `delete_key`: removes the file.
//!
//! Vaults made by earlier versions of the CLI had one device key (`cli-device.key`); their
//! wrapped secrets still open through it until the core has moved them to named keys.

use brobygger_ffi::{KeyPurpose, KeyStore, KeyStoreError};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::digest::{digest, SHA256};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The folder of key files, inside the vault folder.
pub const KEY_DIR: &str = "cli-keys";
/// The single device key of vaults made by earlier versions of the CLI.
pub const LEGACY_KEY_FILE: &str = "cli-device.key";

const KEY_LEN: usize = 32;
/// First byte of a wrapped secret: the format of this file.
const WRAP_VERSION: u8 = 1;

pub struct FileKeyStore {
    dir: PathBuf,
    legacy: PathBuf,
}

fn failed(reason: &str) -> KeyStoreError {
    KeyStoreError::Failed { reason: reason.into() }
}

fn unavailable(reason: &str) -> KeyStoreError {
    KeyStoreError::Unavailable { reason: reason.into() }
}

fn purpose_code(p: KeyPurpose) -> &'static str {
    match p {
        KeyPurpose::VaultState => "vault_state",
        KeyPurpose::Outbox => "outbox",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random(buf: &mut [u8]) -> Result<(), KeyStoreError> {
    SystemRandom::new().fill(buf).map_err(|_| failed("random generator failed"))
}

/// The named key's two sub-keys, so HMAC and AES never share key material.
struct NamedKey {
    bytes: Zeroizing<Vec<u8>>,
}

impl NamedKey {
    fn sub_key(&self, label: &str) -> Zeroizing<Vec<u8>> {
        let k = hmac::Key::new(hmac::HMAC_SHA256, &self.bytes);
        Zeroizing::new(hmac::sign(&k, label.as_bytes()).as_ref().to_vec())
    }

    fn aead(&self) -> Result<LessSafeKey, KeyStoreError> {
        let sub = self.sub_key("brobygger-cli wrap");
        Ok(LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &sub).map_err(|_| failed("bad key"))?))
    }
}

fn aad(key_name: &str, purpose: KeyPurpose) -> Vec<u8> {
    let mut a = b"brobygger-cli keystore\0".to_vec();
    a.extend_from_slice(key_name.as_bytes());
    a.push(0);
    a.extend_from_slice(purpose_code(purpose).as_bytes());
    a
}

#[cfg(unix)]
fn private(opts: &mut std::fs::OpenOptions) {
    std::os::unix::fs::OpenOptionsExt::mode(opts, 0o600);
}
#[cfg(not(unix))]
fn private(_: &mut std::fs::OpenOptions) {}

fn sync_dir(dir: &Path) -> Result<(), KeyStoreError> {
    #[cfg(unix)]
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|_| failed("cannot sync the key folder"))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

impl FileKeyStore {
    /// The key store of the vault in `vault_dir`.
    pub fn new(vault_dir: &Path) -> Self {
        FileKeyStore { dir: vault_dir.join(KEY_DIR), legacy: vault_dir.join(LEGACY_KEY_FILE) }
    }

    /// The folder holding the keys.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key_name: &str) -> PathBuf {
        self.dir.join(hex(digest(&SHA256, key_name.as_bytes()).as_ref()))
    }

    /// The names' files present now (for tests and support: how many keys the store holds).
    pub fn key_count(&self) -> usize {
        std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| {
                        let n = e.file_name();
                        let n = n.to_string_lossy();
                        n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit())
                    })
                    .count()
            })
            .unwrap_or(0)
    }

    fn read(&self, key_name: &str) -> Result<Option<NamedKey>, KeyStoreError> {
        match std::fs::read(self.path(key_name)) {
            Ok(bytes) if bytes.len() == KEY_LEN => Ok(Some(NamedKey { bytes: Zeroizing::new(bytes) })),
            Ok(_) => Err(failed("a key file has the wrong size")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(_) => Err(unavailable("cannot read a key file")),
        }
    }

    /// The named key, created when it does not exist yet.
    fn read_or_create(&self, key_name: &str) -> Result<NamedKey, KeyStoreError> {
        if let Some(k) = self.read(key_name)? {
            return Ok(k);
        }
        let mut dir = std::fs::DirBuilder::new();
        dir.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
        dir.create(&self.dir).map_err(|_| failed("cannot create the key folder"))?;
        let mut key = Zeroizing::new(vec![0u8; KEY_LEN]);
        random(&mut key)?;
        let mut suffix = [0u8; 8];
        random(&mut suffix)?;
        let tmp = self.dir.join(format!("new-{}.tmp", hex(&suffix)));
        let written = (|| {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            private(&mut opts);
            let mut f = opts.open(&tmp)?;
            f.write_all(&key)?;
            f.sync_all()
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
            return Err(failed("cannot write a key file"));
        }
        let linked = std::fs::hard_link(&tmp, self.path(key_name));
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => {
                sync_dir(&self.dir)?;
                Ok(NamedKey { bytes: key })
            }
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                self.read(key_name)?.ok_or_else(|| failed("a key file vanished while being created"))
            }
            Err(_) => Err(failed("cannot store a key file")),
        }
    }

    /// Opens a secret wrapped by an earlier version of the CLI under its single device key
    /// (`nonce | AES-256-GCM`, the key's name as associated data).
    fn unwrap_legacy(&self, key_name: &str, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
        let bytes = match std::fs::read(&self.legacy) {
            Ok(b) => Zeroizing::new(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(KeyStoreError::KeyMissing),
            Err(_) => return Err(unavailable("cannot read the device key file")),
        };
        if self.tombstone(key_name).exists() {
            return Err(KeyStoreError::KeyMissing);
        }
        let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| failed("bad device key"))?);
        if wrapped.len() < NONCE_LEN {
            return Err(failed("wrapped secret too short"));
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| failed("bad nonce"))?;
        let mut body = sealed.to_vec();
        let plain = key
            .open_in_place(nonce, Aad::from(key_name.as_bytes()), &mut body)
            .map_err(|_| failed("unwrap failed: not this device key"))?;
        Ok(plain.to_vec())
    }

    /// Marks a name deleted for the device key of earlier versions, which cannot forget one
    /// name alone.
    fn tombstone(&self, key_name: &str) -> PathBuf {
        self.dir.join(format!("{}.deleted", hex(digest(&SHA256, key_name.as_bytes()).as_ref())))
    }
}

impl KeyStore for FileKeyStore {
    fn pin_factor(&self, key_name: String, input: Vec<u8>, create: bool) -> Result<Vec<u8>, KeyStoreError> {
        let key = if create {
            self.read_or_create(&key_name)?
        } else {
            self.read(&key_name)?.ok_or(KeyStoreError::KeyMissing)?
        };
        let sub = key.sub_key("brobygger-cli pin_factor");
        Ok(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &sub), &input).as_ref().to_vec())
    }

    fn wrap(&self, key_name: String, purpose: KeyPurpose, secret: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        let secret = Zeroizing::new(secret);
        let key = self.read_or_create(&key_name)?.aead()?;
        let mut nonce = [0u8; NONCE_LEN];
        random(&mut nonce)?;
        let mut body = secret.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(&key_name, purpose)),
            &mut body,
        )
        .map_err(|_| failed("wrap failed"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + body.len());
        out.push(WRAP_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        Ok(out)
    }

    fn unwrap(&self, key_name: String, purpose: KeyPurpose, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        let Some(key) = self.read(&key_name)? else {
            return self.unwrap_legacy(&key_name, &wrapped);
        };
        let rest = match wrapped.split_first() {
            Some((&WRAP_VERSION, rest)) if rest.len() >= NONCE_LEN => rest,
            _ => return Err(failed("not a secret wrapped by this key store")),
        };
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| failed("bad nonce"))?;
        let mut body = Zeroizing::new(sealed.to_vec());
        let plain = key
            .aead()?
            .open_in_place(nonce, Aad::from(aad(&key_name, purpose)), &mut body)
            .map_err(|_| failed("unwrap failed: wrong key or purpose"))?;
        Ok(plain.to_vec())
    }

    fn delete_key(&self, key_name: String) -> Result<(), KeyStoreError> {
        let removed = match std::fs::remove_file(self.path(&key_name)) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(_) => return Err(failed("cannot remove a key file")),
        };
        if !removed && self.legacy.exists() {
            // The name may be one the old device key answers for: remember it is gone.
            std::fs::create_dir_all(&self.dir).map_err(|_| failed("cannot create the key folder"))?;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true);
            private(&mut opts);
            opts.open(self.tombstone(&key_name))
                .and_then(|f| f.sync_all())
                .map_err(|_| failed("cannot record a deletion"))?;
        }
        if self.dir.exists() {
            sync_dir(&self.dir)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, FileKeyStore) {
        let tmp = tempfile::tempdir().unwrap();
        let ks = FileKeyStore::new(tmp.path());
        (tmp, ks)
    }

    #[test]
    fn named_keys_live_and_die_one_by_one() {
        let (_tmp, ks) = store();
        let a = ks.wrap("state.a".into(), KeyPurpose::VaultState, b"secret a".to_vec()).unwrap();
        let b = ks.wrap("state.b".into(), KeyPurpose::VaultState, b"secret b".to_vec()).unwrap();
        assert_eq!(ks.key_count(), 2);
        ks.delete_key("state.a".into()).unwrap();
        assert_eq!(ks.key_count(), 1);
        assert!(matches!(ks.unwrap("state.a".into(), KeyPurpose::VaultState, a), Err(KeyStoreError::KeyMissing)));
        assert_eq!(ks.unwrap("state.b".into(), KeyPurpose::VaultState, b).unwrap(), b"secret b");
        // Deleting what does not exist is not an error; an unknown name is missing.
        ks.delete_key("state.a".into()).unwrap();
        assert!(matches!(ks.unwrap("never".into(), KeyPurpose::Outbox, vec![1; 40]), Err(KeyStoreError::KeyMissing)));
    }

    #[test]
    fn a_wrapped_secret_opens_only_under_its_name_and_purpose() {
        let (_tmp, ks) = store();
        let w = ks.wrap("k".into(), KeyPurpose::Outbox, b"outbox key".to_vec()).unwrap();
        assert!(ks.unwrap("k".into(), KeyPurpose::VaultState, w.clone()).is_err());
        ks.wrap("other".into(), KeyPurpose::Outbox, b"x".to_vec()).unwrap();
        assert!(ks.unwrap("other".into(), KeyPurpose::Outbox, w.clone()).is_err());
        let mut flipped = w.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(ks.unwrap("k".into(), KeyPurpose::Outbox, flipped).is_err());
        assert_eq!(ks.unwrap("k".into(), KeyPurpose::Outbox, w).unwrap(), b"outbox key");
    }

    #[test]
    fn pin_factor_is_keyed_stable_and_never_creates_unasked() {
        let (tmp, ks) = store();
        let input = vec![7u8; 32];
        assert!(matches!(ks.pin_factor("pin".into(), input.clone(), false), Err(KeyStoreError::KeyMissing)));
        assert_eq!(ks.key_count(), 0);
        let f1 = ks.pin_factor("pin".into(), input.clone(), true).unwrap();
        let f2 = ks.pin_factor("pin".into(), input.clone(), false).unwrap();
        assert_eq!(f1, f2);
        assert!(f1.len() >= 16);
        assert_ne!(f1, ks.pin_factor("pin".into(), vec![8u8; 32], false).unwrap());
        assert_ne!(f1, ks.pin_factor("pin2".into(), input.clone(), true).unwrap());
        // Another process's store over the same folder answers the same.
        assert_eq!(FileKeyStore::new(tmp.path()).pin_factor("pin".into(), input, false).unwrap(), f1);
    }

    #[cfg(unix)]
    #[test]
    fn key_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let (_tmp, ks) = store();
        ks.wrap("k".into(), KeyPurpose::Outbox, b"x".to_vec()).unwrap();
        assert_eq!(std::fs::metadata(ks.dir()).unwrap().permissions().mode() & 0o777, 0o700);
        for e in std::fs::read_dir(ks.dir()).unwrap() {
            let mode = e.unwrap().metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn secrets_of_the_old_single_device_key_still_open_until_deleted() {
        let (tmp, ks) = store();
        let device = [9u8; 32];
        std::fs::write(tmp.path().join(LEGACY_KEY_FILE), device).unwrap();
        // As the earlier CLI wrapped: nonce | AES-256-GCM(device key, aad = key name).
        let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &device).unwrap());
        let nonce = [3u8; NONCE_LEN];
        let mut body = b"device secret".to_vec();
        key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(b"old.device"), &mut body).unwrap();
        let wrapped = [nonce.as_slice(), &body].concat();
        assert_eq!(ks.unwrap("old.device".into(), KeyPurpose::VaultState, wrapped.clone()).unwrap(), b"device secret");
        ks.delete_key("old.device".into()).unwrap();
        assert!(matches!(
            ks.unwrap("old.device".into(), KeyPurpose::VaultState, wrapped),
            Err(KeyStoreError::KeyMissing)
        ));
    }
}
