//! The backup file format, version 1 (`docs/BACKUP_FORMAT.md`): a header, then the payload in
//! authenticated chunks following age's STREAM construction, on ring's AES-256-GCM.
//!
//! ```text
//! header   magic "brobygger-backup" (16) | version (1) | salt (32)
//!          | file key sealed under the header key (32 + 16-byte tag) | check (16)
//! payload  chunk 0 | chunk 1 | ... | chunk n-1      each: ciphertext | 16-byte tag
//! ```
//!
//! - header key  = HKDF-SHA256(salt = salt, ikm = backup key, info = "brobygger backup v1 header");
//!   the file key (32 random bytes) is sealed with nonce 0 (the key is unique to the salt) and
//!   the magic, version and salt as associated data;
//! - check = the first 16 bytes of SHA-256 of the header before it: tells a damaged header
//!   from a wrong key (it is no protection; the seal is);
//! - payload key = HKDF-SHA256(salt = salt, ikm = file key, info = "brobygger backup v1 payload");
//! - chunk `i` holds 64 KiB of the payload (the last one 1 to 64 KiB), sealed with nonce =
//!   `i` as 11 bytes big-endian ‖ 0x01 for the last chunk, 0x00 otherwise; no associated data.
//!
//! So a chunk cannot move (its number is in the nonce), the end cannot be cut off or moved
//! (only the last chunk opens as last), and chunks of another backup do not open (another
//! file key). Readers tell the defects apart as far as the bytes allow ([`BackupDefect`]).

use crate::crypto::kdf;
use crate::crypto::SecretKey;
use ring::aead::{Aad, LessSafeKey, Nonce};
use ring::digest;
use std::io::{self, Read, Write};
use zeroize::Zeroizing;

pub const MAGIC: &[u8; 16] = b"brobygger-backup";
pub const FORMAT_VERSION: u8 = 1;
pub const CHUNK_LEN: usize = 64 * 1024;
pub const SALT_LEN: usize = 32;
pub const TAG_LEN: usize = 16;
const CHECK_LEN: usize = 16;
const SEALED_KEY_LEN: usize = 32 + TAG_LEN;
/// 16 + 1 + 32 + 48 + 16 = 113 bytes.
pub const HEADER_LEN: usize = MAGIC.len() + 1 + SALT_LEN + SEALED_KEY_LEN + CHECK_LEN;

/// Why a file is not a backup that opens. Typed, so the shells can say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupDefect {
    /// Not a Brobygger backup at all (no magic), or an unknown version 0.
    NotABackup,
    /// Written by a newer version of Brobygger.
    NewerFormat { found: u8 },
    /// The header does not open under this key: another recovery key (or an older one).
    WrongKey,
    /// The header's own bytes are damaged.
    HeaderDamaged,
    /// Chunk `chunk` does not open: damaged, or moved from elsewhere in this or another file.
    Damaged { chunk: u64 },
    /// The file ends after `chunks` good chunks, before the last one.
    Truncated { chunks: u64 },
    /// Bytes follow the last chunk.
    TrailingData { chunks: u64 },
    /// Every chunk opens but what they hold is not what a backup holds.
    Malformed,
}

impl BackupDefect {
    pub fn code(self) -> &'static str {
        match self {
            BackupDefect::NotABackup => "not_a_backup",
            BackupDefect::NewerFormat { .. } => "newer_format",
            BackupDefect::WrongKey => "wrong_key",
            BackupDefect::HeaderDamaged => "header_damaged",
            BackupDefect::Damaged { .. } => "damaged",
            BackupDefect::Truncated { .. } => "truncated",
            BackupDefect::TrailingData { .. } => "trailing_data",
            BackupDefect::Malformed => "malformed",
        }
    }
}

/// A defect of the file, or a failure of the disk under it.
#[derive(Debug)]
pub enum StreamError {
    Defect(BackupDefect),
    Io(io::Error),
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        StreamError::Io(e)
    }
}

impl From<BackupDefect> for StreamError {
    fn from(d: BackupDefect) -> Self {
        StreamError::Defect(d)
    }
}

fn aead(key: &SecretKey) -> io::Result<LessSafeKey> {
    crate::crypto::envelope::aead_key(key).map_err(|_| io::Error::other("AEAD key rejected"))
}

fn header_key(backup_key: &SecretKey, salt: &[u8]) -> io::Result<SecretKey> {
    kdf::hkdf(salt, backup_key.as_bytes(), b"brobygger backup v1 header").map_err(|_| io::Error::other("hkdf"))
}

fn payload_key(file_key: &SecretKey, salt: &[u8]) -> io::Result<SecretKey> {
    kdf::hkdf(salt, file_key.as_bytes(), b"brobygger backup v1 payload").map_err(|_| io::Error::other("hkdf"))
}

fn chunk_nonce(counter: u64, last: bool) -> Nonce {
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    Nonce::assume_unique_for_key(n)
}

fn header_check(before: &[u8]) -> [u8; CHECK_LEN] {
    let d = digest::digest(&digest::SHA256, before);
    let mut out = [0u8; CHECK_LEN];
    out.copy_from_slice(&d.as_ref()[..CHECK_LEN]);
    out
}

/// Builds the header for `file_key` under `backup_key` with `salt`.
pub fn header(backup_key: &SecretKey, salt: &[u8; SALT_LEN], file_key: &SecretKey) -> io::Result<Vec<u8>> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(MAGIC);
    h.push(FORMAT_VERSION);
    h.extend_from_slice(salt);
    let mut sealed = file_key.as_bytes().to_vec();
    aead(&header_key(backup_key, salt)?)?
        .seal_in_place_append_tag(Nonce::assume_unique_for_key([0u8; 12]), Aad::from(&h[..]), &mut sealed)
        .map_err(|_| io::Error::other("seal"))?;
    h.extend_from_slice(&sealed);
    let check = header_check(&h);
    h.extend_from_slice(&check);
    Ok(h)
}

/// Writes a backup: the header, then whatever is written, in sealed chunks. [`Writer::finish`]
/// seals the last chunk; a writer dropped without it leaves a file that reads as truncated.
pub struct Writer<W: Write> {
    out: W,
    key: LessSafeKey,
    counter: u64,
    buf: Zeroizing<Vec<u8>>,
    chunk_len: usize,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, backup_key: &SecretKey, salt: &[u8; SALT_LEN], file_key: &SecretKey) -> io::Result<Self> {
        Self::with_chunk_len(out, backup_key, salt, file_key, CHUNK_LEN)
    }

    /// A writer with another chunk length (tests of the construction only; files are 64 KiB).
    pub(crate) fn with_chunk_len(
        mut out: W,
        backup_key: &SecretKey,
        salt: &[u8; SALT_LEN],
        file_key: &SecretKey,
        chunk_len: usize,
    ) -> io::Result<Self> {
        out.write_all(&header(backup_key, salt, file_key)?)?;
        Ok(Writer {
            out,
            key: aead(&payload_key(file_key, salt)?)?,
            counter: 0,
            buf: Zeroizing::new(Vec::with_capacity(chunk_len + TAG_LEN)),
            chunk_len,
        })
    }

    fn seal_chunk(&mut self, len: usize, last: bool) -> io::Result<()> {
        let mut chunk = Zeroizing::new(self.buf[..len].to_vec());
        self.key
            .seal_in_place_append_tag(chunk_nonce(self.counter, last), Aad::empty(), &mut *chunk)
            .map_err(|_| io::Error::other("seal"))?;
        self.out.write_all(&chunk)?;
        self.buf.drain(..len);
        self.counter += 1;
        Ok(())
    }

    /// Chunks sealed so far.
    pub fn chunks(&self) -> u64 {
        self.counter
    }

    /// Seals the rest as the last chunk and returns the output (not yet synced).
    pub fn finish(mut self) -> io::Result<(W, u64)> {
        let len = self.buf.len();
        self.seal_chunk(len, true)?;
        self.out.flush()?;
        Ok((self.out, self.counter))
    }
}

impl<W: Write> Write for Writer<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        // A full chunk goes out only once more follows: the last chunk is sealed as last.
        while self.buf.len() > self.chunk_len {
            self.seal_chunk(self.chunk_len, false)?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Reads the header of a backup and opens its file key. The defects a header can have are
/// told apart: no magic, a newer version, damage, a key that does not fit.
pub fn read_header<R: Read>(input: &mut R, backup_key: &SecretKey) -> Result<(SecretKey, [u8; SALT_LEN]), StreamError> {
    let mut h = [0u8; HEADER_LEN];
    let got = read_full(input, &mut h)?;
    if got < MAGIC.len() + 1 || &h[..MAGIC.len()] != MAGIC {
        return Err(BackupDefect::NotABackup.into());
    }
    match h[MAGIC.len()] {
        0 => return Err(BackupDefect::NotABackup.into()),
        v if v > FORMAT_VERSION => return Err(BackupDefect::NewerFormat { found: v }.into()),
        _ => {}
    }
    if got < HEADER_LEN {
        return Err(BackupDefect::Truncated { chunks: 0 }.into());
    }
    let body = HEADER_LEN - CHECK_LEN;
    if header_check(&h[..body]) != h[body..] {
        return Err(BackupDefect::HeaderDamaged.into());
    }
    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&h[MAGIC.len() + 1..MAGIC.len() + 1 + SALT_LEN]);
    let aad_end = MAGIC.len() + 1 + SALT_LEN;
    let mut sealed = Zeroizing::new(h[aad_end..aad_end + SEALED_KEY_LEN].to_vec());
    let opened = aead(&header_key(backup_key, &salt)?)?
        .open_in_place(Nonce::assume_unique_for_key([0u8; 12]), Aad::from(&h[..aad_end]), &mut sealed)
        .map_err(|_| StreamError::Defect(BackupDefect::WrongKey))?;
    let file_key = SecretKey::from_slice(opened).map_err(|_| StreamError::Defect(BackupDefect::WrongKey))?;
    Ok((file_key, salt))
}

/// Reads until `buf` is full or the input ends; returns how much it read.
fn read_full<R: Read>(input: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads a backup's chunks in order, each opened before it is handed out.
pub struct Reader<R: Read> {
    input: R,
    key: LessSafeKey,
    counter: u64,
    chunk_len: usize,
    /// The byte read past a full chunk to learn whether more follow.
    carry: Option<u8>,
    done: bool,
    buf: Zeroizing<Vec<u8>>,
}

impl<R: Read> Reader<R> {
    pub fn new(input: R, backup_key: &SecretKey) -> Result<Self, StreamError> {
        Self::with_chunk_len(input, backup_key, CHUNK_LEN)
    }

    pub(crate) fn with_chunk_len(mut input: R, backup_key: &SecretKey, chunk_len: usize) -> Result<Self, StreamError> {
        let (file_key, salt) = read_header(&mut input, backup_key)?;
        Ok(Reader {
            input,
            key: aead(&payload_key(&file_key, &salt)?)?,
            counter: 0,
            chunk_len,
            carry: None,
            done: false,
            buf: Zeroizing::new(vec![0u8; chunk_len + TAG_LEN + 1]),
        })
    }

    fn open(&self, sealed: &[u8], last: bool) -> Option<Zeroizing<Vec<u8>>> {
        let mut c = Zeroizing::new(sealed.to_vec());
        let n = self.key.open_in_place(chunk_nonce(self.counter, last), Aad::empty(), &mut c).ok()?.len();
        c.truncate(n);
        Some(c)
    }

    /// The next chunk's plaintext, `None` after the last one.
    pub fn next_chunk(&mut self) -> Result<Option<Zeroizing<Vec<u8>>>, StreamError> {
        if self.done {
            return Ok(None);
        }
        let full = self.chunk_len + TAG_LEN;
        let mut start = 0;
        if let Some(b) = self.carry.take() {
            self.buf[0] = b;
            start = 1;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let got = start + read_full(&mut self.input, &mut buf[start..])?;
        let result = self.judge(&buf, got, full);
        self.buf = buf;
        result
    }

    fn judge(&mut self, buf: &[u8], got: usize, full: usize) -> Result<Option<Zeroizing<Vec<u8>>>, StreamError> {
        let chunk = self.counter;
        if got == 0 {
            return Err(BackupDefect::Truncated { chunks: chunk }.into());
        }
        if got > full {
            // A full chunk with more after it: it must open as a middle chunk.
            self.carry = Some(buf[full]);
            return match self.open(&buf[..full], false) {
                Some(p) => {
                    self.counter += 1;
                    Ok(Some(p))
                }
                None if self.open(&buf[..full], true).is_some() => {
                    Err(BackupDefect::TrailingData { chunks: chunk + 1 }.into())
                }
                None => Err(BackupDefect::Damaged { chunk }.into()),
            };
        }
        // The input ends here: this must be the last chunk.
        let sealed = &buf[..got];
        match self.open(sealed, true) {
            Some(p) => {
                self.counter += 1;
                self.done = true;
                Ok(Some(p))
            }
            // A whole middle chunk and then nothing: cut off at a chunk boundary.
            None if got == full && self.open(sealed, false).is_some() => {
                Err(BackupDefect::Truncated { chunks: chunk + 1 }.into())
            }
            None => Err(BackupDefect::Damaged { chunk }.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> SecretKey {
        SecretKey::from_slice(&[b; 32]).unwrap()
    }

    const SMALL: usize = 64;

    fn sealed(payload: &[u8], chunk_len: usize) -> Vec<u8> {
        let mut w = Writer::with_chunk_len(Vec::new(), &key(1), &[7u8; SALT_LEN], &key(2), chunk_len).unwrap();
        w.write_all(payload).unwrap();
        w.finish().unwrap().0
    }

    fn read_all(file: &[u8], k: &SecretKey, chunk_len: usize) -> Result<Vec<u8>, BackupDefect> {
        let map = |e| match e {
            StreamError::Defect(d) => d,
            StreamError::Io(_) => panic!("io"),
        };
        let mut r = Reader::with_chunk_len(file, k, chunk_len).map_err(map)?;
        let mut out = Vec::new();
        while let Some(c) = r.next_chunk().map_err(map)? {
            out.extend_from_slice(&c);
        }
        Ok(out)
    }

    fn payload(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 31 % 251) as u8).collect()
    }

    /// The test vectors of `docs/BACKUP_FORMAT.md`, computed there by an independent
    /// implementation (Python's `cryptography`), from keys and salt 0x00.., 0x20.., 0x40...
    #[test]
    fn the_documented_test_vectors() {
        let bytes = |from: u8| -> Vec<u8> { (from..from + 32).collect() };
        let recovery = SecretKey::from_slice(&bytes(0)).unwrap();
        let backup_key = crate::vault::lifecycle::backup_key_from_recovery(&recovery).unwrap();
        assert_eq!(
            crate::ids::hex(backup_key.as_bytes()),
            "0c20585d61e146a5335cc966103333ce6d258dff8d2b838528bc9fa3621ca15b"
        );
        let salt: [u8; SALT_LEN] = bytes(32).try_into().unwrap();
        let file_key = SecretKey::from_slice(&bytes(64)).unwrap();
        let write = |payload: &[u8]| {
            let mut w = Writer::new(Vec::new(), &backup_key, &salt, &file_key).unwrap();
            w.write_all(payload).unwrap();
            w.finish().unwrap().0
        };
        let one = write(b"hello, backup");
        assert_eq!(
            crate::ids::hex(&one),
            "62726f6279676765722d6261636b757001202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\
             ce76a2776895ea3130fc976fbce362103373b0afacb471c0f288b57380a4337b7e6ac227db949dc0edce3e6b05fbcc178c\
             5ed5f1df0fd0d0031bb4c1db2cd89cee46636fd471ad9af2e9f20eafb574c7490438c2063b460f0b1507a655"
        );
        let payload: Vec<u8> = (0..CHUNK_LEN + 10).map(|i| (i % 251) as u8).collect();
        let two = write(&payload);
        assert_eq!(two.len(), 65691);
        assert_eq!(
            crate::ids::hex(digest::digest(&digest::SHA256, &two).as_ref()),
            "2415df5351bbb3c6d78f1a2698b55743747c45efc14c914b9ac08e48e700a6b8"
        );
        assert_eq!(read_all(&two, &backup_key, CHUNK_LEN).unwrap(), payload);
    }

    #[test]
    fn round_trips_at_and_around_chunk_boundaries() {
        for n in [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 3 * SMALL + 5] {
            let p = payload(n);
            let file = sealed(&p, SMALL);
            let chunks = (n.max(1)).div_ceil(SMALL);
            assert_eq!(file.len(), HEADER_LEN + n + chunks * TAG_LEN, "{n}");
            assert_eq!(read_all(&file, &key(1), SMALL).unwrap(), p, "{n}");
        }
    }

    #[test]
    fn every_single_bit_flip_is_refused() {
        let p = payload(3 * SMALL + 9);
        let file = sealed(&p, SMALL);
        for byte in 0..file.len() {
            for bit in 0..8 {
                let mut f = file.clone();
                f[byte] ^= 1 << bit;
                let r = read_all(&f, &key(1), SMALL);
                assert!(r.is_err(), "flip at byte {byte} bit {bit} was accepted");
                if byte >= HEADER_LEN {
                    let chunk = ((byte - HEADER_LEN) / (SMALL + TAG_LEN)) as u64;
                    assert_eq!(r.unwrap_err(), BackupDefect::Damaged { chunk }, "byte {byte}");
                }
            }
        }
    }

    #[test]
    fn truncation_at_every_chunk_boundary_and_anywhere_is_refused() {
        let p = payload(4 * SMALL + 3);
        let file = sealed(&p, SMALL);
        for cut in 0..file.len() {
            let r = read_all(&file[..cut], &key(1), SMALL);
            assert!(r.is_err(), "cut at {cut} accepted");
            if cut >= HEADER_LEN && (cut - HEADER_LEN) % (SMALL + TAG_LEN) == 0 {
                let chunks = ((cut - HEADER_LEN) / (SMALL + TAG_LEN)) as u64;
                assert_eq!(r.unwrap_err(), BackupDefect::Truncated { chunks }, "cut {cut}");
            }
        }
    }

    #[test]
    fn swapped_repeated_spliced_and_appended_chunks_are_refused() {
        let p = payload(4 * SMALL + 3);
        let file = sealed(&p, SMALL);
        let c = SMALL + TAG_LEN;
        let chunks: Vec<&[u8]> = file[HEADER_LEN..].chunks(c).collect();
        assert_eq!(chunks.len(), 5);
        for i in 0..chunks.len() {
            for j in 0..chunks.len() {
                if i == j {
                    continue;
                }
                let mut order: Vec<&[u8]> = chunks.clone();
                order.swap(i, j);
                let mut f = file[..HEADER_LEN].to_vec();
                f.extend(order.concat());
                assert_eq!(read_all(&f, &key(1), SMALL).unwrap_err(), BackupDefect::Damaged { chunk: i.min(j) as u64 });
            }
        }
        // A chunk repeated, one dropped from the middle.
        let mut f = file.clone();
        f.extend_from_slice(chunks[4]);
        assert_eq!(read_all(&f, &key(1), SMALL).unwrap_err(), BackupDefect::Damaged { chunk: 4 });
        let mut f = file[..HEADER_LEN].to_vec();
        f.extend([chunks[0], chunks[2], chunks[3], chunks[4]].concat());
        assert_eq!(read_all(&f, &key(1), SMALL).unwrap_err(), BackupDefect::Damaged { chunk: 1 });
        // The same payload under another file key: the header of one, the chunks of the other.
        let mut w = Writer::with_chunk_len(Vec::new(), &key(1), &[7u8; SALT_LEN], &key(3), SMALL).unwrap();
        w.write_all(&p).unwrap();
        let other = w.finish().unwrap().0;
        let mut f = file[..HEADER_LEN].to_vec();
        f.extend_from_slice(&other[HEADER_LEN..]);
        assert_eq!(read_all(&f, &key(1), SMALL).unwrap_err(), BackupDefect::Damaged { chunk: 0 });
        // Bytes after the last chunk, and a whole full-length last chunk followed by more.
        let mut f = file.clone();
        f.push(0);
        assert!(read_all(&f, &key(1), SMALL).is_err());
        let exact = sealed(&payload(2 * SMALL), SMALL);
        let mut f = exact.clone();
        f.extend_from_slice(&[0u8; 3]);
        assert_eq!(read_all(&f, &key(1), SMALL).unwrap_err(), BackupDefect::TrailingData { chunks: 2 });
    }

    #[test]
    fn headers_say_what_is_wrong() {
        let file = sealed(b"hello", SMALL);
        assert_eq!(read_all(&file, &key(9), SMALL).unwrap_err(), BackupDefect::WrongKey);
        assert_eq!(read_all(b"SQLite format 3\0", &key(1), SMALL).unwrap_err(), BackupDefect::NotABackup);
        assert_eq!(read_all(b"", &key(1), SMALL).unwrap_err(), BackupDefect::NotABackup);
        let mut newer = file.clone();
        newer[MAGIC.len()] = 2;
        assert_eq!(read_all(&newer, &key(1), SMALL).unwrap_err(), BackupDefect::NewerFormat { found: 2 });
        let mut damaged = file.clone();
        damaged[MAGIC.len() + 3] ^= 1;
        assert_eq!(read_all(&damaged, &key(1), SMALL).unwrap_err(), BackupDefect::HeaderDamaged);
        assert_eq!(read_all(&file[..HEADER_LEN], &key(1), SMALL).unwrap_err(), BackupDefect::Truncated { chunks: 0 });
        assert_eq!(read_all(&file[..40], &key(1), SMALL).unwrap_err(), BackupDefect::Truncated { chunks: 0 });
    }
}
