//! A test VFS that fails the Nth write or sync, the way SQLite's own test suite injects
//! I/O errors. It wraps the platform's default VFS, forwards every call, and counts the
//! `xWrite` and `xSync` calls on every file (database, WAL, journal).
//!
//! [`install`] registers it as the process's default VFS, so every connection opened
//! afterwards (the vault's included) goes through it without the product knowing. The
//! counters are process-wide: use it from one test thread at a time.

use rusqlite::ffi;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::Once;

/// Which I/O call fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoKind {
    Write,
    Sync,
}

/// Whether only the Nth call fails, or the Nth and every call after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    Once,
    FromThenOn,
}

const OFF: u8 = 0;
static FAIL_KIND: AtomicU8 = AtomicU8::new(OFF);
static FAIL_AT: AtomicU64 = AtomicU64::new(0);
static PERSISTENT: AtomicBool = AtomicBool::new(false);
static WRITES: AtomicU64 = AtomicU64::new(0);
static SYNCS: AtomicU64 = AtomicU64::new(0);
static INJECTED: AtomicU64 = AtomicU64::new(0);
/// The wrapped VFS (`*mut sqlite3_vfs`), set once by [`install`].
static REAL_VFS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

fn code(kind: IoKind) -> u8 {
    match kind {
        IoKind::Write => 1,
        IoKind::Sync => 2,
    }
}

/// Registers the faulty VFS as the default one. Safe to call more than once.
pub fn install() {
    INSTALL.call_once(|| unsafe {
        let real = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!real.is_null(), "SQLite has no default VFS");
        REAL_VFS.store(real as usize, Ordering::SeqCst);
        let mut vfs: ffi::sqlite3_vfs = std::ptr::read(real);
        vfs.szOsFile = (std::mem::size_of::<FaultyFile>() + (*real).szOsFile as usize) as c_int;
        vfs.zName = c"faulty".as_ptr();
        vfs.pNext = std::ptr::null_mut();
        vfs.xOpen = Some(x_open);
        let vfs = Box::leak(Box::new(vfs));
        let rc = ffi::sqlite3_vfs_register(vfs, 1);
        assert_eq!(rc, ffi::SQLITE_OK, "cannot register the faulty VFS");
    });
}

/// Zeroes the counters and makes the `n`th call of `kind` fail (1-based).
pub fn arm(kind: IoKind, n: u64, persistence: Persistence) {
    reset_counts();
    PERSISTENT.store(persistence == Persistence::FromThenOn, Ordering::SeqCst);
    FAIL_AT.store(n, Ordering::SeqCst);
    FAIL_KIND.store(code(kind), Ordering::SeqCst);
}

/// I/O works again.
pub fn disarm() {
    FAIL_KIND.store(OFF, Ordering::SeqCst);
}

pub fn reset_counts() {
    WRITES.store(0, Ordering::SeqCst);
    SYNCS.store(0, Ordering::SeqCst);
    INJECTED.store(0, Ordering::SeqCst);
}

/// Writes and syncs since the last reset.
pub fn counts() -> (u64, u64) {
    (WRITES.load(Ordering::SeqCst), SYNCS.load(Ordering::SeqCst))
}

/// How many calls were made to fail since the last reset.
pub fn injected() -> u64 {
    INJECTED.load(Ordering::SeqCst)
}

/// Counts one call of `kind` and says whether it must fail.
fn must_fail(kind: IoKind) -> bool {
    let counter = match kind {
        IoKind::Write => &WRITES,
        IoKind::Sync => &SYNCS,
    };
    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
    if FAIL_KIND.load(Ordering::SeqCst) != code(kind) {
        return false;
    }
    let at = FAIL_AT.load(Ordering::SeqCst);
    let fail = n == at || (PERSISTENT.load(Ordering::SeqCst) && n > at);
    if fail {
        INJECTED.fetch_add(1, Ordering::SeqCst);
    }
    fail
}

/// Our file: SQLite's header (the methods pointer) followed by the wrapped file, which
/// lives in the same allocation right after this struct.
#[repr(C)]
struct FaultyFile {
    base: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
}

unsafe fn real(file: *mut ffi::sqlite3_file) -> *mut ffi::sqlite3_file {
    unsafe { (*(file as *mut FaultyFile)).real }
}

unsafe fn methods(file: *mut ffi::sqlite3_file) -> *const ffi::sqlite3_io_methods {
    unsafe { (*real(file)).pMethods }
}

unsafe extern "C" fn x_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    unsafe {
        let real_vfs = REAL_VFS.load(Ordering::SeqCst) as *mut ffi::sqlite3_vfs;
        let ours = file as *mut FaultyFile;
        let inner = (file as *mut u8).add(std::mem::size_of::<FaultyFile>()) as *mut ffi::sqlite3_file;
        (*ours).base.pMethods = std::ptr::null();
        (*ours).real = inner;
        let Some(open) = (*real_vfs).xOpen else { return ffi::SQLITE_CANTOPEN };
        let rc = open(real_vfs, name, inner, flags, out_flags);
        if !(*inner).pMethods.is_null() {
            (*ours).base.pMethods = &METHODS;
        }
        rc
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(x_close),
    xRead: Some(x_read),
    xWrite: Some(x_write),
    xTruncate: Some(x_truncate),
    xSync: Some(x_sync),
    xFileSize: Some(x_file_size),
    xLock: Some(x_lock),
    xUnlock: Some(x_unlock),
    xCheckReservedLock: Some(x_check_reserved_lock),
    xFileControl: Some(x_file_control),
    xSectorSize: Some(x_sector_size),
    xDeviceCharacteristics: Some(x_device_characteristics),
    xShmMap: Some(x_shm_map),
    xShmLock: Some(x_shm_lock),
    xShmBarrier: Some(x_shm_barrier),
    xShmUnmap: Some(x_shm_unmap),
    xFetch: Some(x_fetch),
    xUnfetch: Some(x_unfetch),
};

/// Calls the wrapped file's method, or answers `$missing` when it has none.
macro_rules! forward {
    ($file:expr, $method:ident, $missing:expr $(, $arg:expr)*) => {
        unsafe {
            match (*methods($file)).$method {
                Some(f) => f(real($file) $(, $arg)*),
                None => $missing,
            }
        }
    };
}

unsafe extern "C" fn x_close(file: *mut ffi::sqlite3_file) -> c_int {
    forward!(file, xClose, ffi::SQLITE_OK)
}
unsafe extern "C" fn x_read(file: *mut ffi::sqlite3_file, buf: *mut c_void, amount: c_int, offset: i64) -> c_int {
    forward!(file, xRead, ffi::SQLITE_IOERR_READ, buf, amount, offset)
}
unsafe extern "C" fn x_write(file: *mut ffi::sqlite3_file, buf: *const c_void, amount: c_int, offset: i64) -> c_int {
    if must_fail(IoKind::Write) {
        return ffi::SQLITE_IOERR_WRITE;
    }
    forward!(file, xWrite, ffi::SQLITE_IOERR_WRITE, buf, amount, offset)
}
unsafe extern "C" fn x_truncate(file: *mut ffi::sqlite3_file, size: i64) -> c_int {
    forward!(file, xTruncate, ffi::SQLITE_IOERR_TRUNCATE, size)
}
unsafe extern "C" fn x_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    if must_fail(IoKind::Sync) {
        return ffi::SQLITE_IOERR_FSYNC;
    }
    forward!(file, xSync, ffi::SQLITE_IOERR_FSYNC, flags)
}
unsafe extern "C" fn x_file_size(file: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    forward!(file, xFileSize, ffi::SQLITE_IOERR_FSTAT, size)
}
unsafe extern "C" fn x_lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    forward!(file, xLock, ffi::SQLITE_IOERR_LOCK, level)
}
unsafe extern "C" fn x_unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    forward!(file, xUnlock, ffi::SQLITE_IOERR_UNLOCK, level)
}
unsafe extern "C" fn x_check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    forward!(file, xCheckReservedLock, ffi::SQLITE_IOERR_CHECKRESERVEDLOCK, out)
}
unsafe extern "C" fn x_file_control(file: *mut ffi::sqlite3_file, op: c_int, arg: *mut c_void) -> c_int {
    forward!(file, xFileControl, ffi::SQLITE_NOTFOUND, op, arg)
}
unsafe extern "C" fn x_sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    forward!(file, xSectorSize, 4096)
}
unsafe extern "C" fn x_device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    forward!(file, xDeviceCharacteristics, 0)
}
unsafe extern "C" fn x_shm_map(
    file: *mut ffi::sqlite3_file,
    page: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    forward!(file, xShmMap, ffi::SQLITE_IOERR_SHMMAP, page, size, extend, out)
}
unsafe extern "C" fn x_shm_lock(file: *mut ffi::sqlite3_file, offset: c_int, n: c_int, flags: c_int) -> c_int {
    forward!(file, xShmLock, ffi::SQLITE_IOERR_SHMLOCK, offset, n, flags)
}
unsafe extern "C" fn x_shm_barrier(file: *mut ffi::sqlite3_file) {
    forward!(file, xShmBarrier, ())
}
unsafe extern "C" fn x_shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    forward!(file, xShmUnmap, ffi::SQLITE_OK, delete)
}
unsafe extern "C" fn x_fetch(file: *mut ffi::sqlite3_file, offset: i64, amount: c_int, out: *mut *mut c_void) -> c_int {
    forward!(file, xFetch, ffi::SQLITE_OK, offset, amount, out)
}
unsafe extern "C" fn x_unfetch(file: *mut ffi::sqlite3_file, offset: i64, page: *mut c_void) -> c_int {
    forward!(file, xUnfetch, ffi::SQLITE_OK, offset, page)
}
