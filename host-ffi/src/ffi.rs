//! The C ABI (`include/punchout.h`). Every export runs behind `catch_unwind`: a panic becomes a
//! `Panic` answer and never unwinds into the caller.
#![allow(unsafe_code)]

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use serde_json::json;

use crate::host::{self, Answer, HostConfig, Status};

/// What every export but `punchout_free` and `punchout_version` returns: a status, a JSON body
/// and the body's parts (its large text values, see [`crate::Part`]), which the caller owns and
/// releases with `punchout_free(&result)`.
#[repr(C)]
#[derive(Debug)]
pub struct PunchoutResult {
    pub status: i32,
    pub data: *mut u8,
    pub len: usize,
    pub parts: *mut PunchoutPart,
    pub part_count: usize,
}

/// One top-level text value of the body, outside the JSON: `body[name] = data[..len]` (UTF-8).
#[repr(C)]
#[derive(Debug)]
pub struct PunchoutPart {
    pub name: *mut u8,
    pub name_len: usize,
    pub data: *mut u8,
    pub len: usize,
}

/// Hands bytes to the caller: a pointer and length that [`reclaim`] turns back into the box.
fn leak(bytes: Vec<u8>) -> (*mut u8, usize) {
    let bytes = bytes.into_boxed_slice();
    let len = bytes.len();
    (Box::into_raw(bytes).cast::<u8>(), len)
}

/// Drops bytes handed out by [`leak`].
///
/// # Safety
/// `data`/`len` come from one [`leak`] and are reclaimed once (null is ignored).
unsafe fn reclaim(data: *mut u8, len: usize) {
    if !data.is_null() {
        // SAFETY: the function's contract: a `Box<[u8]>` of `len` bytes leaked by `leak`.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(data, len)) });
    }
}

impl From<Answer> for PunchoutResult {
    fn from(answer: Answer) -> Self {
        let (data, len) = leak(answer.body);
        let parts: Box<[PunchoutPart]> = answer
            .parts
            .into_iter()
            .map(|part| {
                let (name, name_len) = leak(part.name.into_bytes());
                let (data, len) = leak(part.bytes);
                PunchoutPart {
                    name,
                    name_len,
                    data,
                    len,
                }
            })
            .collect();
        let part_count = parts.len();
        let parts = if part_count == 0 {
            std::ptr::null_mut()
        } else {
            Box::into_raw(parts).cast::<PunchoutPart>()
        };
        PunchoutResult {
            status: answer.status as i32,
            data,
            len,
            parts,
            part_count,
        }
    }
}

/// Runs `body` and turns a panic into a `Panic` answer.
fn guarded(body: impl FnOnce() -> Answer) -> PunchoutResult {
    let answer = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Answer::message(
            Status::Panic,
            format!("the native host core panicked: {message}"),
        )
    });
    answer.into()
}

/// The caller's bytes, or a usage error for a null pointer with a length.
///
/// # Safety
/// `data` is null or points to `len` readable bytes that stay valid and unchanged for `'a`.
unsafe fn bytes<'a>(data: *const c_char, len: usize, name: &str) -> Result<&'a [u8], Answer> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(Answer::message(
            Status::Usage,
            format!("`{name}` is null but its length is {len}"),
        ));
    }
    // SAFETY: not null, and the caller promises `len` readable bytes (the header's contract).
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) })
}

fn utf8<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, Answer> {
    std::str::from_utf8(bytes)
        .map_err(|_| Answer::message(Status::Usage, format!("`{name}` is not valid UTF-8")))
}

/// The library's version, a static NUL-terminated string (never freed).
#[unsafe(no_mangle)]
pub extern "C" fn punchout_version() -> *const c_char {
    c"0.1.0".as_ptr()
}

/// Starts the process's engine from a JSON configuration (see `HostConfig`); later calls return
/// the running engine's start information.
///
/// # Safety
/// `config` points to `config_len` readable bytes (or is null with length 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn punchout_start(
    config: *const c_char,
    config_len: usize,
) -> PunchoutResult {
    guarded(|| {
        // SAFETY: forwarded from this function's contract.
        let config = match unsafe { bytes(config, config_len, "config") } {
            Ok(config) => config,
            Err(answer) => return answer,
        };
        let config: HostConfig = if config.is_empty() {
            HostConfig::default()
        } else {
            match serde_json::from_slice(config) {
                Ok(config) => config,
                Err(error) => {
                    return Answer::message(
                        Status::Host,
                        format!("invalid engine configuration: {error}"),
                    )
                }
            }
        };
        match host::start(&config) {
            Ok(info) => Answer::new(Status::Ok, &json!(info)),
            Err(message) => Answer::message(Status::Host, message),
        }
    })
}

/// Runs one engine function (`cxml-setup`, …) with its JSON input.
///
/// # Safety
/// `function` and `input` point to their lengths of readable bytes (or are null with length 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn punchout_call(
    function: *const c_char,
    function_len: usize,
    input: *const c_char,
    input_len: usize,
) -> PunchoutResult {
    guarded(|| {
        // SAFETY: forwarded from this function's contract.
        let function = match unsafe { bytes(function, function_len, "function") }
            .and_then(|function| utf8(function, "function"))
        {
            Ok(function) => function,
            Err(answer) => return answer,
        };
        // SAFETY: forwarded from this function's contract.
        match unsafe { bytes(input, input_len, "input") } {
            Ok(input) => host::call(function, input),
            Err(answer) => answer,
        }
    })
}

/// The function table (`functions`), the error codes (`error_codes`) and the running engine's
/// start information (`running`, null before `punchout_start`).
#[unsafe(no_mangle)]
pub extern "C" fn punchout_functions() -> PunchoutResult {
    guarded(host::describe)
}

/// Compiles the engine component at `wasm_path` into a precompiled file at `cwasm_path`
/// (install time; loading it later takes well under a millisecond). The file is made for the
/// default memory cap: the engine's address-space reservation follows the cap, so an engine
/// started with another `memory_limit_bytes` compiles the `.wasm` instead (and says why).
///
/// # Safety
/// Both paths point to their lengths of readable UTF-8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn punchout_precompile(
    wasm_path: *const c_char,
    wasm_path_len: usize,
    cwasm_path: *const c_char,
    cwasm_path_len: usize,
) -> PunchoutResult {
    guarded(|| {
        // SAFETY: forwarded from this function's contract.
        let paths = unsafe { bytes(wasm_path, wasm_path_len, "wasm_path") }
            .and_then(|wasm| utf8(wasm, "wasm_path"))
            .and_then(|wasm| {
                // SAFETY: forwarded from this function's contract.
                let cwasm = unsafe { bytes(cwasm_path, cwasm_path_len, "cwasm_path") }
                    .and_then(|cwasm| utf8(cwasm, "cwasm_path"))?;
                Ok((PathBuf::from(wasm), PathBuf::from(cwasm)))
            });
        let (wasm, cwasm) = match paths {
            Ok(paths) => paths,
            Err(answer) => return answer,
        };
        let result = punchout_host::new_engine()
            .and_then(|engine| crate::precompiled::precompile_file(&engine, &wasm, &cwasm));
        match result {
            Ok(size) => Answer::new(
                Status::Ok,
                &json!({"path": cwasm, "bytes": size, "wasmtime_version": crate::precompiled::wasmtime_version()}),
            ),
            Err(error) => Answer::message(Status::Host, format!("{error:#}")),
        }
    })
}

/// Releases a result's body and parts, and clears the result, so that releasing it again does
/// nothing. Null is ignored.
///
/// # Safety
/// `result` is null or points to a `PunchoutResult` returned by an export of this library (or
/// already released by this function).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn punchout_free(result: *mut PunchoutResult) {
    if result.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: not null, and the caller passes a result of this library (the contract).
        let result = unsafe { &mut *result };
        if !result.parts.is_null() {
            // SAFETY: `parts`/`part_count` come from `Box::into_raw` of a boxed slice of that
            // length in `PunchoutResult::from`; they are cleared below, so this runs once.
            let parts = unsafe {
                Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                    result.parts,
                    result.part_count,
                ))
            };
            for part in parts.iter() {
                // SAFETY: each part's buffers were leaked once by `leak`.
                unsafe {
                    reclaim(part.name, part.name_len);
                    reclaim(part.data, part.len);
                }
            }
        }
        // SAFETY: the body was leaked once by `leak`; cleared below.
        unsafe { reclaim(result.data, result.len) };
        result.data = std::ptr::null_mut();
        result.len = 0;
        result.parts = std::ptr::null_mut();
        result.part_count = 0;
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Part;

    #[test]
    fn a_result_with_parts_is_released_once_and_then_cleared() {
        let mut result = PunchoutResult::from(Answer {
            status: Status::Ok,
            body: b"{}".to_vec(),
            parts: vec![Part {
                name: "form_html".into(),
                bytes: "<form>".repeat(300).into_bytes(),
                binary: false,
            }],
        });
        assert_eq!(result.part_count, 1);
        // SAFETY: `parts` points to one part, built above.
        let part = unsafe { &*result.parts };
        // SAFETY: the part's buffers are valid for their lengths until released.
        let (name, text) = unsafe {
            (
                std::slice::from_raw_parts(part.name, part.name_len),
                std::slice::from_raw_parts(part.data, part.len),
            )
        };
        assert_eq!(name, b"form_html");
        assert_eq!(text.len(), 1800);
        // SAFETY: a result of this library, released twice: the second call finds it cleared.
        unsafe {
            punchout_free(&mut result);
            punchout_free(&mut result);
            punchout_free(std::ptr::null_mut());
        }
        assert!(result.data.is_null() && result.parts.is_null());
        assert_eq!((result.len, result.part_count), (0, 0));
    }
}
