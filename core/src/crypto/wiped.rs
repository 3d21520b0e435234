//! Expanded ring keys that are wiped when dropped.
//!
//! ring's `LessSafeKey` (an AES key schedule) and `hmac::Key` (two hash states) do not wipe
//! their memory on drop. The keyring keeps them for a whole session, so this wrapper puts
//! each on the heap (where it never moves again, however often the map holding it grows)
//! and overwrites its bytes with zeros when the session ends.

use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::sync::atomic::{compiler_fence, Ordering};

/// Types that are plain bytes: no heap pointers, no `Drop` of their own, so overwriting
/// them with zeros instead of dropping them leaks nothing and frees nothing twice.
pub trait PlainKeyBytes {}
impl PlainKeyBytes for ring::aead::LessSafeKey {}
impl PlainKeyBytes for ring::hmac::Key {}

pub struct Wiped<T: PlainKeyBytes>(Box<ManuallyDrop<T>>);

impl<T: PlainKeyBytes> Wiped<T> {
    pub fn new(value: T) -> Self {
        Wiped(Box::new(ManuallyDrop::new(value)))
    }
}

impl<T: PlainKeyBytes> Deref for Wiped<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: PlainKeyBytes> Drop for Wiped<T> {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Overwrites the value's bytes with zeros; it must not be used afterwards.
fn wipe<T: PlainKeyBytes>(value: &mut ManuallyDrop<T>) {
    let bytes: *mut u8 = (&mut **value as *mut T).cast();
    for i in 0..std::mem::size_of::<T>() {
        // SAFETY: `bytes` points to a live, exclusively borrowed `T` of `size_of::<T>()` bytes;
        // `T: PlainKeyBytes` has no drop glue or heap data, and it is never used again.
        unsafe { std::ptr::write_volatile(bytes.add(i), 0) };
    }
    compiler_fence(Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::hmac;

    fn bytes_of<T>(v: &T) -> Vec<u8> {
        // SAFETY: reading the bytes of a live value for the test's comparison.
        unsafe { std::slice::from_raw_parts((v as *const T).cast::<u8>(), std::mem::size_of::<T>()) }.to_vec()
    }

    #[test]
    fn a_wrapped_key_works() {
        let key = Wiped::new(hmac::Key::new(hmac::HMAC_SHA256, &[7u8; 32]));
        let tag = hmac::sign(&key, b"x");
        assert!(hmac::verify(&key, b"x", tag.as_ref()).is_ok());
    }

    #[test]
    fn wiping_zeroes_every_byte() {
        let mut key = ManuallyDrop::new(hmac::Key::new(hmac::HMAC_SHA256, &[7u8; 32]));
        assert!(bytes_of(&*key).iter().any(|b| *b != 0));
        wipe(&mut key);
        assert!(bytes_of(&*key).iter().all(|b| *b == 0));
    }
}
