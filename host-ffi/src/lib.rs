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
//! - [`FUNCTIONS`] and [`ERROR_CODES`]: the bridge's function table and the WIT error codes,
//!   generated at build time from `bridge/mod.rs` and `wit/types.wit`, so that hosts build their API
//!   from them instead of keeping a copy.
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

mod table {
    /// One function of the bridge, as its module documentation describes it.
    #[derive(Clone, Copy, Debug, serde::Serialize)]
    pub struct Function {
        /// The bridge's name, such as `cxml-setup`.
        pub name: &'static str,
        /// Top-level keys of the input object, in documented order.
        pub inputs: &'static [&'static str],
        /// Top-level keys of the result object (empty when the result is not sketched as one).
        pub result_keys: &'static [&'static str],
        /// The result as documented.
        pub result: &'static str,
        /// Whether the bridge's documentation table lists the function.
        pub documented: bool,
    }

    include!(concat!(env!("OUT_DIR"), "/function_table.rs"));
}

pub use table::{Function, DOCUMENTED, ERROR_CODES, FUNCTIONS};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dispatched_function_is_documented_and_back() {
        let dispatched: Vec<&str> = FUNCTIONS.iter().map(|function| function.name).collect();
        assert!(dispatched.contains(&"cxml-setup"), "{dispatched:?}");
        for function in FUNCTIONS {
            assert!(
                function.documented,
                "`{}` is not in bridge/mod.rs's table",
                function.name
            );
        }
        for name in DOCUMENTED {
            assert!(
                dispatched.contains(name),
                "`{name}` is documented but not dispatched"
            );
        }
    }

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
