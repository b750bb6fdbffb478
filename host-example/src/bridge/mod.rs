//! The engine's calls with JSON in and out, for hosts written in other languages.
//!
//! A call names a function and passes one JSON object; the answer is a JSON object with a
//! `status` of `ok` (and a `result`), `rejected` (and an `error` with code, message and
//! location) or `trap`/`host` (and a `message`). Compiled profiles are kept by id.
//!
//! One module per WIT interface holds its functions, each declared once with its name, input,
//! handler and documented shapes: [`config`] (`compile-profile`, `compile-profile-file`),
//! [`cxml`] (`cxml-*`), [`oci`] (`oci-*`), [`orders`] (`orders-*`) and [`peppol`] (`peppol-*`); each module's documentation lists them in a table.
//! The declarations give both the dispatch and [`FUNCTIONS`], the table the native host core
//! (`punchout-ffi`) hands to hosts, so that neither can drift from the other.

use std::collections::HashMap;

use punchout_plugin::{Error, ErrorCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::calls::EngineCalls;
use crate::runtime::CallError;

/// Declares an interface's functions, once each: its name, the handler and the input type it
/// takes, then its input and result as the documentation's table shows them. Gives the module
/// its `FUNCTIONS` and its `dispatch`.
macro_rules! functions {
    ($(
        $(#[doc = $doc:literal])*
        $name:literal => $handler:ident($input:ident) $input_doc:literal -> $result_doc:literal;
    )*) => {
        /// This interface's functions, in declaration order.
        pub(super) const FUNCTIONS: &[$crate::bridge::FunctionInfo] = &[$(
            $crate::bridge::FunctionInfo {
                name: $name,
                inputs: &$crate::bridge::sketch::keys::<
                    { $crate::bridge::sketch::count_keys($input_doc) },
                >($input_doc),
                result_keys: &$crate::bridge::sketch::keys::<
                    { $crate::bridge::sketch::count_keys($result_doc) },
                >($result_doc),
                result: $result_doc,
                documented: true,
                input: $input_doc,
                doc: $crate::bridge::sketch::doc_text(concat!($($doc),*)),
            },
        )*];

        /// Runs the function called `function`; `None` when this interface has none of that name.
        pub(super) fn dispatch<E: $crate::calls::EngineCalls>(
            bridge: &mut $crate::bridge::JsonBridge<E>,
            function: &str,
            input: &str,
        ) -> Option<Result<serde_json::Value, $crate::runtime::CallError>> {
            match function {
                $($name => Some(
                    $crate::bridge::parse_input::<$input>(input).and_then(|call| $handler(bridge, call)),
                ),)*
                _ => None,
            }
        }

        /// Each function's name and the fields its input type reads.
        #[cfg(test)]
        pub(super) fn input_fields() -> Vec<(&'static str, &'static [&'static str])> {
            vec![$(($name, $crate::bridge::tests::serde_fields::<$input>())),*]
        }
    };
}

pub mod config;
pub mod cxml;
pub mod oci;
pub mod orders;
pub mod peppol;
mod sketch;

/// One function of the bridge, as its declaration describes it (serialized as the native host
/// core's `punchout_functions` lists it: `name`, `inputs`, `result_keys`, `result`,
/// `documented`).
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct FunctionInfo {
    /// The bridge's name, such as `cxml-setup`.
    pub name: &'static str,
    /// Top-level keys of the input object, in documented order.
    pub inputs: &'static [&'static str],
    /// Top-level keys of the result object (empty when the result is not sketched as one).
    pub result_keys: &'static [&'static str],
    /// The result as documented.
    pub result: &'static str,
    /// Whether the documentation lists the function: always, as every function is declared with
    /// its documentation (kept for hosts that read it).
    pub documented: bool,
    /// The input as documented.
    #[serde(skip)]
    pub input: &'static str,
    /// What the function does.
    #[serde(skip)]
    pub doc: &'static str,
}

/// Every function of the bridge, interface by interface, in declaration order.
pub const FUNCTIONS: &[FunctionInfo] = &sketch::join::<
    {
        config::FUNCTIONS.len()
            + cxml::FUNCTIONS.len()
            + oci::FUNCTIONS.len()
            + orders::FUNCTIONS.len()
            + peppol::FUNCTIONS.len()
    },
>(&[
    config::FUNCTIONS,
    cxml::FUNCTIONS,
    oci::FUNCTIONS,
    orders::FUNCTIONS,
    peppol::FUNCTIONS,
]);

/// Keeps compiled profiles by id and answers JSON calls.
pub struct JsonBridge<E: EngineCalls> {
    engine: E,
    profiles: HashMap<String, E::Profile>,
    /// With [`JsonBridge::with_raw_documents`]: the last call's binary documents, kept as bytes
    /// instead of base64 in the JSON.
    documents: Option<Vec<(String, Vec<u8>)>>,
    /// The file the last call's refusal is about (`compile-profile-file`).
    refused_file: Option<std::path::PathBuf>,
}

impl<E: EngineCalls> std::fmt::Debug for JsonBridge<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonBridge")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<E> JsonBridge<E>
where
    E: EngineCalls,
{
    pub fn new(engine: E) -> Self {
        JsonBridge {
            engine,
            profiles: HashMap::new(),
            documents: None,
            refused_file: None,
        }
    }

    /// A bridge for hosts that can take bytes beside the JSON (the native host core): a binary
    /// document the JSON would carry base64-encoded as `x_base64` (an OCI page's `body_base64`)
    /// is left out of it and kept as `x` for [`JsonBridge::take_documents`].
    pub fn with_raw_documents(mut self) -> Self {
        self.documents = Some(Vec::new());
        self
    }

    /// The binary documents of the last call (empty without raw documents).
    pub fn take_documents(&mut self) -> Vec<(String, Vec<u8>)> {
        self.documents
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Runs one call and returns its JSON answer (never fails: failures are answers too).
    pub fn call(&mut self, function: &str, input: &str) -> Value {
        if let Some(documents) = self.documents.as_mut() {
            documents.clear();
        }
        self.refused_file = None;
        match self.dispatch(function, input) {
            // Built by moving `result`: `json!` would copy it, documents and all.
            Ok(result) => object([("status", Value::from("ok")), ("result", result)]),
            Err(CallError::Rejected(error)) => {
                let mut error = json!(error);
                if let (Some(object), Some(file)) =
                    (error.as_object_mut(), self.refused_file.take())
                {
                    object.insert("file".to_owned(), json!(file.display().to_string()));
                }
                json!({"status": "rejected", "error": error})
            }
            Err(CallError::Trap(message)) => json!({"status": "trap", "message": message}),
            Err(CallError::Host(message)) => json!({"status": "host", "message": message}),
        }
    }

    fn dispatch(&mut self, function: &str, input: &str) -> Result<Value, CallError> {
        config::dispatch(self, function, input)
            .or_else(|| cxml::dispatch(self, function, input))
            .or_else(|| oci::dispatch(self, function, input))
            .or_else(|| orders::dispatch(self, function, input))
            .or_else(|| peppol::dispatch(self, function, input))
            .unwrap_or_else(|| {
                Err(CallError::Rejected(
                    Error::new(
                        ErrorCode::InvalidValue,
                        format!("unknown function `{function}`"),
                    )
                    .at_field("function"),
                ))
            })
    }
}

impl<E: EngineCalls> JsonBridge<E> {
    /// A refusal about a profile file: the error, and the file kept for the answer.
    fn refused_in(&mut self, refused: crate::profile_file::ProfileFileError) -> CallError {
        self.refused_file = Some(refused.file);
        CallError::Rejected(*refused.error)
    }
}

fn find_profile<'a, P>(
    profiles: &'a mut HashMap<String, P>,
    id: &str,
) -> Result<&'a mut P, CallError> {
    profiles.get_mut(id).ok_or_else(|| {
        CallError::Rejected(
            Error::new(
                ErrorCode::InvalidProfile,
                format!("no compiled profile `{id}`"),
            )
            .at_pointer("/profile_id"),
        )
    })
}

fn parse_input<'a, T: Deserialize<'a>>(input: &'a str) -> Result<T, CallError> {
    // Read once plainly; only refused input is read again to locate the error, so that valid
    // input does not pay for path tracking.
    if let Ok(value) = serde_json::from_str(input) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(input);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let pointer = punchout_plugin::profile::json_pointer(error.path());
        CallError::Rejected(
            Error::new(ErrorCode::InvalidValue, error.into_inner().to_string()).at_pointer(pointer),
        )
    })
}

/// The compiled profiles named by `ids`, in that order, as disjoint mutable references (for the
/// `identify` functions); an id that is unknown or named twice is refused at its pointer.
fn chosen_profiles<'a, P>(
    profiles: &'a mut HashMap<String, P>,
    ids: &[String],
) -> Result<Vec<&'a mut P>, CallError> {
    let mut by_id: HashMap<&String, &mut P> = profiles.iter_mut().collect();
    ids.iter()
        .enumerate()
        .map(|(index, id)| {
            by_id.remove(id).ok_or_else(|| {
                CallError::Rejected(
                    Error::new(
                        ErrorCode::InvalidProfile,
                        format!("no compiled profile `{id}` (or named twice)"),
                    )
                    .at_pointer(format!("/profile_ids/{index}")),
                )
            })
        })
        .collect()
}

/// A JSON object of owned values (`json!` copies its values).
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, CallError> {
    serde_json::to_value(value).map_err(|error| CallError::Host(error.to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{FunctionInfo, JsonBridge, FUNCTIONS};
    use crate::calls::Native;
    use serde_json::json;

    /// An input refused inside a list is located by an RFC 6901 pointer (`/…/items/0/sku`),
    /// not serde's display path (`items[0].sku`), like every other error of the engine.
    #[test]
    fn a_refused_input_in_a_list_is_located_by_a_json_pointer() {
        let answer = JsonBridge::new(Native).call(
            "cxml-identify",
            &json!({"profile_ids": ["a", 7], "request": ""}).to_string(),
        );
        assert_eq!(answer["status"], "rejected", "{answer}");
        assert_eq!(answer["error"]["code"], "invalid-value");
        assert_eq!(answer["error"]["location"]["pointer"], "/profile_ids/1");
    }

    /// The field names a `Deserialize` struct reads (what serde's derive passes to
    /// `deserialize_struct`).
    pub(crate) fn serde_fields<'de, T: serde::Deserialize<'de>>() -> &'static [&'static str] {
        #[derive(Debug)]
        struct Found(&'static [&'static str]);
        impl std::fmt::Display for Found {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        impl std::error::Error for Found {}
        impl serde::de::Error for Found {
            fn custom<M: std::fmt::Display>(_: M) -> Self {
                Found(&[])
            }
        }
        struct Probe;
        impl<'de> serde::Deserializer<'de> for Probe {
            type Error = Found;
            fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
                Err(Found(&[]))
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Found> {
                Err(Found(fields))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        match T::deserialize(Probe) {
            Err(Found(fields)) => fields,
            Ok(_) => &[],
        }
    }

    /// Rows of a module documentation's table: `//! | `name` | input | result |`.
    fn documented_rows(source: &str) -> Vec<(String, String, String)> {
        source
            .lines()
            .filter_map(|line| {
                let row = line.trim().strip_prefix("//!")?.trim();
                let cells: Vec<&str> = row
                    .strip_prefix('|')?
                    .strip_suffix('|')?
                    .split(" | ")
                    .collect();
                let [name, input, result] = cells[..] else {
                    return None;
                };
                let name = name.trim().strip_prefix('`')?.strip_suffix('`')?;
                Some((
                    name.to_owned(),
                    input.trim().to_owned(),
                    result.trim().to_owned(),
                ))
            })
            .collect()
    }

    fn declared_rows(functions: &[FunctionInfo]) -> Vec<(String, String, String)> {
        functions
            .iter()
            .map(|function| {
                (
                    function.name.to_owned(),
                    function.input.to_owned(),
                    function.result.to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn each_interface_table_is_its_declarations() {
        for (source, functions) in [
            (include_str!("config.rs"), super::config::FUNCTIONS),
            (include_str!("cxml.rs"), super::cxml::FUNCTIONS),
            (include_str!("oci.rs"), super::oci::FUNCTIONS),
            (include_str!("orders.rs"), super::orders::FUNCTIONS),
            (include_str!("peppol.rs"), super::peppol::FUNCTIONS),
        ] {
            assert_eq!(documented_rows(source), declared_rows(functions));
        }
        assert!(documented_rows(include_str!("mod.rs")).is_empty());
    }

    #[test]
    fn the_table_joins_the_interfaces_and_names_each_function_once() {
        let names: Vec<&str> = FUNCTIONS.iter().map(|function| function.name).collect();
        assert_eq!(
            names,
            [
                "compile-profile",
                "compile-profile-file",
                "cxml-setup",
                "cxml-identify",
                "cxml-error-response",
                "cxml-cart-return",
                "cxml-read-order-message",
                "oci-call-up",
                "oci-cart-form",
                "oci-validate-reply",
                "oci-background-search-reply",
                "oci-quantity-check-reply",
                "orders-read-cxml-order",
                "orders-identify-cxml-order",
                "orders-cxml-order-response",
                "orders-reconcile",
                "orders-check-redelivery",
                "orders-cxml-confirmation",
                "orders-cxml-ship-notice",
                "orders-cxml-invoice",
                "orders-identify-peppol-order",
                "orders-read-peppol-order",
                "orders-peppol-order-response",
                "peppol-cart",
            ]
        );
        let setup = FUNCTIONS[2];
        assert_eq!(setup.result_keys, ["session", "response"]);
        assert_eq!(
            setup.doc,
            "Reads, authenticates and answers a `PunchOutSetupRequest`."
        );
        assert!(FUNCTIONS.iter().all(|function| function.documented));
    }

    #[test]
    fn documented_inputs_are_the_fields_each_input_type_reads() {
        let declared = super::config::input_fields()
            .into_iter()
            .chain(super::cxml::input_fields())
            .chain(super::oci::input_fields())
            .chain(super::orders::input_fields())
            .chain(super::peppol::input_fields());
        for ((name, fields), function) in declared.zip(FUNCTIONS) {
            assert_eq!(name, function.name);
            assert_eq!(fields, function.inputs, "`{name}`");
        }
    }

    #[test]
    fn an_unknown_function_is_refused_at_the_field_function() {
        let answer = JsonBridge::new(Native).call("cxml-teleport", "{}");
        assert_eq!(
            answer,
            json!({"status": "rejected", "error": {
                "code": "invalid-value",
                "message": "unknown function `cxml-teleport`",
                "location": {"field": "function"},
            }})
        );
    }

    fn samples() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
    }

    #[test]
    fn a_child_profile_is_compiled_from_its_file_and_refused_as_text() {
        let mut bridge = JsonBridge::new(Native);
        let secrets = json!({"GLOBEX_COUPA_SHARED_SECRET": "coupa-secret"});
        let path = samples().join("profiles/coupa-plant-2.json");
        let compiled = bridge.call(
            "compile-profile-file",
            &json!({"path": path, "secrets": secrets}).to_string(),
        );
        assert_eq!(
            compiled,
            json!({"status": "ok", "result": {"id": "globex-coupa-plant-2", "protocol": "cxml"}})
        );

        let text = std::fs::read_to_string(&path).expect("sample");
        let refused = bridge.call(
            "compile-profile",
            &json!({"profile": text, "secrets": secrets}).to_string(),
        );
        assert_eq!(refused["status"], "rejected", "{refused}");
        assert_eq!(refused["error"]["location"]["pointer"], "/extends");
        assert!(refused["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("`compile-profile-file`")));

        // A refusal about a file names it beside the location.
        let missing = samples().join("profiles/no-such-profile.json");
        let refused = bridge.call(
            "compile-profile-file",
            &json!({"path": missing, "secrets": {}}).to_string(),
        );
        assert_eq!(refused["status"], "rejected", "{refused}");
        assert_eq!(refused["error"]["code"], "invalid-profile");
        assert_eq!(refused["error"]["file"], missing.display().to_string());
    }
}
