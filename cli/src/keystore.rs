//! The CLI's stand-in for a phone's hardware key store: a random 256-bit key in a file
//! (`cli-device.key`, mode 0600) beside the vault. Weaker than Android Keystore or the
//! Secure Enclave, because anyone who copies the folder copies the key too; README.md
//! says so. It exists for demos, support and scripts on a desktop.

use brobygger_ffi::{KeyStore, KeyStoreError};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use std::io::Write;
use std::path::PathBuf;

pub const KEY_FILE: &str = "cli-device.key";

pub struct FileKeyStore {
    path: PathBuf,
}

fn failed(reason: &str) -> KeyStoreError {
    KeyStoreError::Failed { reason: reason.into() }
}

impl FileKeyStore {
    pub fn new(vault_dir: &std::path::Path) -> Self {
        FileKeyStore { path: vault_dir.join(KEY_FILE) }
    }

    fn load(&self, create: bool) -> Result<LessSafeKey, KeyStoreError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let mut key = [0u8; 32];
                SystemRandom::new().fill(&mut key).map_err(|_| failed("random generator failed"))?;
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                let mut f = opts.open(&self.path).map_err(|_| failed("cannot create the key file"))?;
                f.write_all(&key).and_then(|_| f.sync_all()).map_err(|_| failed("cannot write the key file"))?;
                key.to_vec()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(KeyStoreError::KeyMissing),
            Err(_) => return Err(KeyStoreError::Unavailable { reason: "cannot read the key file".into() }),
        };
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| failed("key file has the wrong size"))?;
        Ok(LessSafeKey::new(key))
    }
}

impl KeyStore for FileKeyStore {
    fn wrap(&self, key_name: String, secret: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        let key = self.load(true)?;
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).map_err(|_| failed("random generator failed"))?;
        let mut body = secret;
        key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(key_name.as_bytes()), &mut body)
            .map_err(|_| failed("wrap failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&body);
        Ok(out)
    }

    fn unwrap(&self, key_name: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        let key = self.load(false)?;
        if wrapped.len() < NONCE_LEN {
            return Err(failed("wrapped secret too short"));
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| failed("bad nonce"))?;
        let mut body = sealed.to_vec();
        let plain = key
            .open_in_place(nonce, Aad::from(key_name.as_bytes()), &mut body)
            .map_err(|_| failed("unwrap failed: wrong device key"))?;
        Ok(plain.to_vec())
    }

    fn delete_key(&self, _key_name: String) -> Result<(), KeyStoreError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(_) => Err(failed("cannot remove the key file")),
        }
    }
}
