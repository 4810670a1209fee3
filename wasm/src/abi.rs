//! The zero-import C ABI that the `apready` command runs in wasmtime.
//!
//! Protocol (all lengths in bytes, all pointers into this module's memory):
//! 1. `ap_alloc(len) -> ptr` — the host writes a path or file bytes there.
//! 2. `ap_add_input(path_ptr, path_len, data_ptr, data_len)` — takes ownership of both
//!    allocations (the data is not copied).
//! 3. `ap_evaluate(opts_ptr, opts_len) -> u32` — evaluates (options as JSON, owned and freed
//!    by the guest); returns the length of the result.
//! 4. `ap_result_ptr() -> ptr` — the result bytes (the rendered report, or the output of
//!    `ap_command`), valid until the next call; `ap_exit_code() -> i32` its exit code.
//! `ap_command(req_ptr, req_len) -> u32` runs a non-evaluation request (`rules`, `explain`,
//! rendering) named in a JSON request; same result convention.
//! `ap_free(ptr, len)` frees an allocation the host made but did not hand over.

use std::cell::RefCell;

use crate::session::Session;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static EXIT: RefCell<i32> = const { RefCell::new(0) };
}

/// Reclaims a buffer the host filled after `ap_alloc`.
///
/// # Safety
/// `ptr`/`len` must come from `ap_alloc(len)` and not be used again.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    if ptr.is_null() || len == 0 {
        return Vec::new();
    }
    // SAFETY: ap_alloc created this allocation with capacity == len.
    unsafe { Vec::from_raw_parts(ptr, len, len) }
}

#[no_mangle]
pub extern "C" fn ap_alloc(len: usize) -> *mut u8 {
    let mut v: Vec<u8> = vec![0u8; len.max(1)];
    if len == 0 {
        v.truncate(0);
    }
    let mut v = std::mem::ManuallyDrop::new(v);
    v.as_mut_ptr()
}

/// # Safety
/// See the module protocol.
#[no_mangle]
pub unsafe extern "C" fn ap_free(ptr: *mut u8, len: usize) {
    // SAFETY: forwarded contract.
    drop(unsafe { take(ptr, len) });
}

/// # Safety
/// See the module protocol.
#[no_mangle]
pub unsafe extern "C" fn ap_add_input(
    path_ptr: *mut u8,
    path_len: usize,
    data_ptr: *mut u8,
    data_len: usize,
) {
    // SAFETY: forwarded contract.
    let path = unsafe { take(path_ptr, path_len) };
    // SAFETY: forwarded contract.
    let data = unsafe { take(data_ptr, data_len) };
    let path = String::from_utf8_lossy(&path).into_owned();
    SESSION.with(|s| s.borrow_mut().add_file(path, data));
}

fn set_result(out: apready_core::Outcome) -> u32 {
    let n = out.output.len() as u32;
    EXIT.with(|e| *e.borrow_mut() = out.exit_code);
    RESULT.with(|r| *r.borrow_mut() = out.output);
    n
}

/// The exit code of the last `ap_evaluate` / `ap_command`.
#[no_mangle]
pub extern "C" fn ap_exit_code() -> i32 {
    EXIT.with(|e| *e.borrow())
}

/// # Safety
/// See the module protocol.
#[no_mangle]
pub unsafe extern "C" fn ap_evaluate(opts_ptr: *mut u8, opts_len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let opts = unsafe { take(opts_ptr, opts_len) };
    let out = SESSION.with(|s| s.borrow_mut().finish(&opts));
    set_result(out)
}

/// # Safety
/// See the module protocol.
#[no_mangle]
pub unsafe extern "C" fn ap_command(req_ptr: *mut u8, req_len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let req = unsafe { take(req_ptr, req_len) };
    set_result(apready_core::command(&req))
}

#[no_mangle]
pub extern "C" fn ap_result_ptr() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}
