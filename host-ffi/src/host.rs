//! The process-wide engine: started once, then shared by every call of the process.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use punchout_host::bridge::JsonBridge;
use punchout_host::{InstanceMode, Runtime, RuntimeConfig, Worker};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::precompiled::{self, ComponentSource};

/// What a call ended with; the C ABI's `int32_t` status.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The body is the call's result.
    Ok = 0,
    /// The engine refused the input: the body is its typed error `{code, message, location}`.
    Rejected = 1,
    /// The guest trapped (memory cap, deadline, bug): body `{message}`. The instance was
    /// discarded; the next call runs on a fresh one.
    Trap = 2,
    /// The host could not run the call (not started, component missing, bad configuration):
    /// body `{message}`.
    Host = 3,
    /// The caller broke the C ABI's contract (a null pointer with a length): body `{message}`.
    Usage = 4,
    /// The native host core panicked; the panic was caught: body `{message}`.
    Panic = 5,
}

/// A status, a JSON body (never empty) and the body's large text values, which travel beside
/// the JSON as [`Part`]s.
#[derive(Debug)]
pub struct Answer {
    pub status: Status,
    pub body: Vec<u8>,
    pub parts: Vec<Part>,
}

/// A top-level value of a result object, carried outside its JSON: the documents (a
/// PunchOutOrderMessage, its form, a cXML response, an OCI page) cross as they are, with no JSON
/// escaping or base64 on this side and no decoding on the caller's. The caller sets
/// `body[name] = bytes`. Text values keep their name and are UTF-8; a binary document the JSON
/// bridge writes as `x_base64` arrives as `x`, raw (an OCI page's `body`, in its charset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub bytes: Vec<u8>,
    /// A binary document (not necessarily UTF-8).
    pub binary: bool,
}

/// Text values at least this long leave the JSON as parts.
pub const PART_MIN_BYTES: usize = 1024;

impl Answer {
    pub(crate) fn new(status: Status, body: &Value) -> Self {
        Answer {
            status,
            body: serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec()),
            parts: Vec::new(),
        }
    }

    /// The body with its parts put back, as the JSON bridge writes it: text as strings, binary
    /// documents base64-encoded under `name_base64`.
    ///
    /// # Errors
    /// The body is not JSON (never for an answer of this crate).
    pub fn to_json(&self) -> serde_json::Result<Value> {
        use base64::Engine as _;
        let mut body: Value = serde_json::from_slice(&self.body)?;
        if let Some(object) = body.as_object_mut() {
            for part in &self.parts {
                match std::str::from_utf8(&part.bytes) {
                    Ok(text) if !part.binary => {
                        object.insert(part.name.clone(), Value::String(text.to_owned()))
                    }
                    _ => object.insert(
                        format!("{}_base64", part.name),
                        Value::String(
                            base64::engine::general_purpose::STANDARD.encode(&part.bytes),
                        ),
                    ),
                };
            }
        }
        Ok(body)
    }

    pub(crate) fn message(status: Status, message: impl Into<String>) -> Self {
        Answer::new(status, &json!({ "message": message.into() }))
    }
}

/// How the process starts its engine (`punchout_start`'s JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HostConfig {
    /// The engine component (`.wasm`): the fallback, and the reference the precompiled file is
    /// checked against.
    pub component: Option<PathBuf>,
    /// The precompiled component (`.cwasm`, see [`crate::precompiled`]).
    pub precompiled: Option<PathBuf>,
    /// Refuse to start rather than compile the `.wasm` when the precompiled file is unusable.
    pub require_precompiled: bool,
    /// Linear memory one instance may grow to.
    pub memory_limit_bytes: usize,
    /// Wall-clock budget of one call.
    pub call_deadline_ms: u64,
    /// Resolution of the deadline.
    pub epoch_tick_ms: u64,
}

impl Default for HostConfig {
    fn default() -> Self {
        let runtime = RuntimeConfig::default();
        HostConfig {
            component: None,
            precompiled: None,
            require_precompiled: false,
            memory_limit_bytes: runtime.memory_limit_bytes,
            call_deadline_ms: u64::try_from(runtime.call_deadline.as_millis()).unwrap_or(2000),
            epoch_tick_ms: u64::try_from(runtime.epoch_tick.as_millis()).unwrap_or(10),
        }
    }
}

/// How the running engine was started.
#[derive(Clone, Debug, Serialize)]
pub struct StartInfo {
    /// `precompiled` or `compiled`.
    pub source: &'static str,
    /// Why the precompiled file was not used, when it was not.
    pub fallback_reason: Option<String>,
    /// Time spent loading and linking the component.
    pub start_micros: u64,
    pub config: HostConfig,
    pub library_version: &'static str,
    pub wasmtime_version: &'static str,
}

struct Host {
    bridge: Mutex<JsonBridge<Worker>>,
    info: StartInfo,
}

static HOST: OnceLock<Host> = OnceLock::new();
static STARTING: Mutex<()> = Mutex::new(());

/// Starts the process's engine, once. Later calls return the running engine's [`StartInfo`]
/// (whatever configuration they pass); a failed start can be retried.
///
/// # Errors
/// No usable component: the precompiled file is unusable and there is no `.wasm` (or
/// `require_precompiled` is set), or the component is not a PunchOut engine.
pub fn start(config: &HostConfig) -> Result<StartInfo, String> {
    if let Some(host) = HOST.get() {
        return Ok(host.info.clone());
    }
    let _starting = STARTING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(host) = HOST.get() {
        return Ok(host.info.clone());
    }
    let began = Instant::now();
    let runtime_config = RuntimeConfig {
        memory_limit_bytes: config.memory_limit_bytes,
        call_deadline: Duration::from_millis(config.call_deadline_ms.max(1)),
        epoch_tick: Duration::from_millis(config.epoch_tick_ms.max(1)),
        instance_mode: InstanceMode::FreshPerCall,
    };
    // The memory reservation follows the cap, so the engine runs under `ulimit -v`.
    let engine =
        punchout_host::new_engine_for(&runtime_config).map_err(|error| format!("{error:#}"))?;
    let (component, source) = precompiled::load_or_compile(
        &engine,
        config.precompiled.as_deref(),
        config.component.as_deref(),
    )
    .map_err(|error| format!("{error:#}"))?;
    let fallback_reason = match source {
        ComponentSource::Precompiled => None,
        ComponentSource::Compiled { reason } if config.require_precompiled => {
            return Err(format!(
                "the precompiled engine is unusable ({reason}) and `require_precompiled` is set"
            ));
        }
        ComponentSource::Compiled { reason } => Some(reason),
    };
    let runtime = Runtime::from_component(engine, &component, runtime_config)
        .map_err(|error| format!("{error:#}"))?;
    let info = StartInfo {
        source: if fallback_reason.is_none() {
            "precompiled"
        } else {
            "compiled"
        },
        fallback_reason,
        start_micros: u64::try_from(began.elapsed().as_micros()).unwrap_or(u64::MAX),
        config: config.clone(),
        library_version: env!("CARGO_PKG_VERSION"),
        wasmtime_version: precompiled::wasmtime_version(),
    };
    let host = Host {
        bridge: Mutex::new(JsonBridge::new(runtime.worker()).with_raw_documents()),
        info: info.clone(),
    };
    let _ = HOST.set(host);
    Ok(info)
}

/// Runs one bridge call. Never fails: failures are answers.
pub fn call(function: &str, input: &[u8]) -> Answer {
    let Some(host) = HOST.get() else {
        return Answer::message(
            Status::Host,
            "the engine is not started: call `punchout_start` first",
        );
    };
    let Ok(input) = std::str::from_utf8(input) else {
        return Answer::new(
            Status::Rejected,
            &json!({
                "code": "invalid-value",
                "message": "the call's input is not valid UTF-8 JSON",
                "location": {"field": "input"},
            }),
        );
    };
    let answer = {
        // A panic while the lock was held leaves the bridge usable: every call starts on a
        // fresh instance, and compiled profiles are plain data.
        let mut bridge = host.bridge.lock().unwrap_or_else(|poisoned| {
            host.bridge.clear_poison();
            poisoned.into_inner()
        });
        let answer = bridge.call(function, input);
        (answer, bridge.take_documents())
    };
    split_answer(answer.0, answer.1)
}

/// The bridge's `{"status", …}` as a status and the inner body.
fn split_answer(mut answer: Value, documents: Vec<(String, Vec<u8>)>) -> Answer {
    let status = match answer.get("status").and_then(Value::as_str) {
        Some("ok") => Status::Ok,
        Some("rejected") => Status::Rejected,
        Some("trap") => Status::Trap,
        _ => Status::Host,
    };
    let key = match status {
        Status::Ok => "result",
        Status::Rejected => "error",
        _ => "",
    };
    let mut body = match answer.as_object_mut() {
        Some(object) if !key.is_empty() => object.remove(key).unwrap_or(Value::Null),
        Some(object) => {
            object.remove("status");
            Value::Object(std::mem::take(object))
        }
        None => Value::Null,
    };
    let mut parts = match (status, body.as_object_mut()) {
        (Status::Ok, Some(object)) => take_parts(object),
        _ => Vec::new(),
    };
    if status == Status::Ok {
        parts.extend(documents.into_iter().map(|(name, bytes)| Part {
            name,
            bytes,
            binary: true,
        }));
    }
    Answer {
        parts,
        ..Answer::new(status, &body)
    }
}

/// Moves the object's long text values out (no copy), in the object's key order.
fn take_parts(object: &mut serde_json::Map<String, Value>) -> Vec<Part> {
    let names: Vec<String> = object
        .iter()
        .filter(|(_, value)| {
            value
                .as_str()
                .is_some_and(|text| text.len() >= PART_MIN_BYTES)
        })
        .map(|(name, _)| name.clone())
        .collect();
    names
        .into_iter()
        .filter_map(|name| match object.remove(&name) {
            Some(Value::String(text)) => Some(Part {
                name,
                bytes: text.into_bytes(),
                binary: false,
            }),
            _ => None,
        })
        .collect()
}

/// The function table and error codes (no start needed).
pub fn describe() -> Answer {
    let running = HOST.get().map(|host| host.info.clone());
    Answer::new(
        Status::Ok,
        &json!({
            "library_version": env!("CARGO_PKG_VERSION"),
            "wasmtime_version": precompiled::wasmtime_version(),
            "functions": crate::FUNCTIONS,
            "error_codes": crate::ERROR_CODES,
            "running": running,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_values_of_a_result_leave_the_json_as_parts() {
        let message = "<cXML>".repeat(PART_MIN_BYTES);
        let answer = split_answer(
            json!({
                "status": "ok",
                "result": {"message": message, "id": "short", "count": 3},
            }),
            vec![("body".to_owned(), vec![0xFC, b'<'])],
        );
        assert_eq!(answer.status, Status::Ok);
        assert_eq!(
            answer.parts,
            vec![
                Part {
                    name: "message".into(),
                    bytes: message.clone().into_bytes(),
                    binary: false,
                },
                Part {
                    name: "body".into(),
                    bytes: vec![0xFC, b'<'],
                    binary: true,
                }
            ]
        );
        let body: Value = serde_json::from_slice(&answer.body).expect("json");
        assert_eq!(body, json!({"id": "short", "count": 3}));
        assert_eq!(
            answer.to_json().expect("json"),
            json!({"message": message, "id": "short", "count": 3, "body_base64": "/Dw="})
        );
    }

    #[test]
    fn errors_keep_everything_in_the_json() {
        let long = "x".repeat(PART_MIN_BYTES * 2);
        let answer = split_answer(
            json!({
                "status": "rejected",
                "error": {"code": "invalid-cart", "message": long},
            }),
            Vec::new(),
        );
        assert_eq!(answer.status, Status::Rejected);
        assert!(answer.parts.is_empty());
        let body: Value = serde_json::from_slice(&answer.body).expect("json");
        assert_eq!(body["message"], json!(long));
    }
}
