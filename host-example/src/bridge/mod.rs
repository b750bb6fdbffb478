//! The engine's calls with JSON in and out, for hosts written in other languages.
//!
//! A call names a function and passes one JSON object; the answer is a JSON object with a
//! `status` of `ok` (and a `result`), `rejected` (and an `error` with code, message and
//! location) or `trap`/`host` (and a `message`). Compiled profiles are kept by id.
//!
//! A profile that `extends` a base is compiled from its file (`compile-profile-file`), which
//! finds the base in the same folder ([`crate::profile_file`]); its errors carry the `file`
//! they are about beside the location. `compile-profile` with such a profile's text is refused
//! at `/extends`, as it has no folder to look in.
//!
//! | function | input | result |
//! |---|---|---|
//! | `compile-profile` | `{"profile": {…} or "…", "secrets": {"NAME": "value"}}` | `{"id": "…", "protocol": "…"}` |
//! | `compile-profile-file` | `{"path": "…", "secrets": {"NAME": "value"}}` | `{"id": "…", "protocol": "…"}` |
//! | `cxml-identify` | `{"profile_ids", "request"}` | `{"profile_id": "…"}` |
//! | `cxml-setup` | `{"profile_id", "request", "start_url", "envelope"}` | `{"session", "response"}` |
//! | `cxml-error-response` | `{"error", "envelope"}` | `{"response": "…"}` |
//! | `cxml-cart-return` | `{"profile_id", "session", "cart", "envelope"}` | `{"message", "form_html"}` |
//! | `cxml-read-order-message` | `{"message": "…"}` | the order message |
//! | `oci-call-up` | `{"profile_id", "call_up"}` | `{"session", "function", "oci_version", "opi_version", "ok_code", "caller", "parameters"}` |
//! | `oci-cart-form` | `{"profile_id", "session", "cart"}` | `{"body_base64", "charset", "content_type"}` |
//! | `oci-validate-reply` | `{"profile_id", "session", "cart"}` | `{"body_base64", "charset", "content_type"}` |
//! | `oci-background-search-reply` | `{"profile_id", "session", "cart"}` | `{"body_base64", "charset", "content_type"}` |
//! | `oci-quantity-check-reply` | `{"available_quantity", "leadtime_days"}` | `{"json": "…"}` |

use std::collections::HashMap;

use punchout_plugin::{Error, ErrorCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::calls::EngineCalls;
use crate::runtime::CallError;

mod config;
mod cxml;
mod oci;

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
        match function {
            "compile-profile" => config::dispatch(self, function, input),
            "compile-profile-file" => config::dispatch(self, function, input),
            "cxml-setup" => cxml::dispatch(self, function, input),
            "cxml-identify" => cxml::dispatch(self, function, input),
            "cxml-error-response" => cxml::dispatch(self, function, input),
            "cxml-cart-return" => cxml::dispatch(self, function, input),
            "cxml-read-order-message" => cxml::dispatch(self, function, input),
            // One arm per function: the native host core generates its function table from
            // these arms and the table above.
            "oci-call-up" => oci::dispatch(
                &mut self.engine,
                &mut self.profiles,
                function,
                input,
                self.documents.as_mut(),
            ),
            "oci-cart-form" => oci::dispatch(
                &mut self.engine,
                &mut self.profiles,
                function,
                input,
                self.documents.as_mut(),
            ),
            "oci-validate-reply" => oci::dispatch(
                &mut self.engine,
                &mut self.profiles,
                function,
                input,
                self.documents.as_mut(),
            ),
            "oci-background-search-reply" => oci::dispatch(
                &mut self.engine,
                &mut self.profiles,
                function,
                input,
                self.documents.as_mut(),
            ),
            "oci-quantity-check-reply" => oci::dispatch(
                &mut self.engine,
                &mut self.profiles,
                function,
                input,
                self.documents.as_mut(),
            ),
            other => Err(CallError::Rejected(
                Error::new(
                    ErrorCode::InvalidValue,
                    format!("unknown function `{other}`"),
                )
                .at_field("function"),
            )),
        }
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
        let pointer = error.path().to_string();
        CallError::Rejected(
            Error::new(ErrorCode::InvalidValue, error.into_inner().to_string())
                .at_pointer(format!("/{}", pointer.replace('.', "/"))),
        )
    })
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
mod tests {
    use super::JsonBridge;
    use crate::calls::Native;
    use serde_json::json;

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
