//! The native host core shared by every non-Rust host (PHP today; Java and Node can use the same
//! library): the engine component under wasmtime, started once per process, behind a narrow C ABI.
//!
//! - [`start`]: loads the component once per process — a precompiled `.cwasm`
//!   ([`precompiled`], checked by digest, wasmtime version and engine configuration) or, as a
//!   fallback, the `.wasm` compiled on the spot — and keeps the `Engine`, the linked
//!   `InstancePre` and the JSON bridge in a `static`.
//! - [`call`]: one call of [`punchout_host::bridge`] (JSON in, JSON out) on a **fresh instance**
//!   with the memory cap and the epoch deadline. A trap discards the instance; the next call runs
//!   on a new one.
//! - [`FUNCTIONS`] and [`ERROR_CODES`]: the bridge's function table, from the declaration of
//!   each function in [`punchout_host::bridge`], and the WIT error codes, generated at build time
//!   from `wit/types.wit`, so that hosts build their API from them instead of keeping a copy.
//! - the C ABI (`include/punchout.h`): `punchout_start`, `punchout_call`, `punchout_functions`,
//!   `punchout_precompile`, `punchout_free`, `punchout_version`. Bytes in, bytes out and a
//!   [`Status`]; every export runs behind `catch_unwind`, so no panic crosses the boundary.
//!
//! ```no_run
//! let config = punchout_ffi::HostConfig {
//!     component: Some("target/wasm32-wasip2/release/punchout_plugin.wasm".into()),
//!     precompiled: Some("target/punchout_plugin.cwasm".into()),
//!     ..punchout_ffi::HostConfig::default()
//! };
//! punchout_ffi::start(&config).expect("engine");
//! let answer = punchout_ffi::call("cxml-read-order-message", br#"{"message": "<cXML/>"}"#);
//! assert_eq!(answer.status, punchout_ffi::Status::Rejected);
//! ```

mod ffi;
mod host;
pub mod precompiled;

pub use host::{
    call, describe, start, Answer, HostConfig, Part, StartInfo, Status, PART_MIN_BYTES,
};

/// One function of the JSON bridge, as hosts read it from `punchout_functions`.
pub use punchout_host::bridge::FunctionInfo as Function;
/// Every function of the JSON bridge, from its declarations.
pub use punchout_host::bridge::FUNCTIONS;

mod error_codes {
    include!(concat!(env!("OUT_DIR"), "/error_codes.rs"));
}

pub use error_codes::ERROR_CODES;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_reads_inputs_and_results() {
        let find = |name: &str| FUNCTIONS.iter().find(|function| function.name == name);
        let setup = find("cxml-setup").expect("cxml-setup");
        assert_eq!(
            setup.inputs,
            ["profile_id", "request", "start_url", "envelope"]
        );
        assert_eq!(setup.result_keys, ["session", "response"]);
        let compile = find("compile-profile").expect("compile-profile");
        assert_eq!(compile.inputs, ["profile", "secrets"]);
        assert_eq!(compile.result_keys, ["id", "protocol"]);
        let from_file = find("compile-profile-file").expect("compile-profile-file");
        assert_eq!(from_file.inputs, ["path", "secrets"]);
        assert!(ERROR_CODES.contains(&"authentication-failed"));
        assert_eq!(ERROR_CODES.first(), Some(&"malformed-xml"));
    }

    #[test]
    fn calls_before_start_and_unknown_functions_are_answers() {
        let answer = call("no-such-function", b"{}");
        assert!(matches!(answer.status, Status::Host | Status::Rejected));
        let answer = describe();
        assert_eq!(answer.status, Status::Ok);
    }
}
