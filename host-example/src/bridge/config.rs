//! The `config` functions of the JSON bridge: profiles compiled from their JSON or their file,
//! kept by id for the other functions.
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

use std::collections::BTreeMap;

use punchout_plugin::{Error, ErrorCode};
use serde::Deserialize;
use serde_json::{json, Value};

use super::JsonBridge;
use crate::calls::EngineCalls;
use crate::runtime::CallError;

functions! {
    /// Compiles a buyer profile given as JSON (an object or its text).
    "compile-profile" => compile_profile(CompileProfile)
        r#"`{"profile": {…} or "…", "secrets": {"NAME": "value"}}`"#
        -> r#"`{"id": "…", "protocol": "…"}`"#;
    /// Compiles a buyer profile from its file, `extends` resolved from its folder.
    "compile-profile-file" => compile_profile_file(CompileProfileFile)
        r#"`{"path": "…", "secrets": {"NAME": "value"}}`"#
        -> r#"`{"id": "…", "protocol": "…"}`"#;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompileProfile {
    profile: Value,
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompileProfileFile {
    path: std::path::PathBuf,
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

fn compile_profile<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CompileProfile,
) -> Result<Value, CallError> {
    let json = match call.profile {
        Value::String(text) => text,
        other => other.to_string(),
    };
    let head = ProfileHead::of(&json);
    if let Some(base) = head.extends {
        return Err(CallError::Rejected(
            Error::new(
                ErrorCode::InvalidProfile,
                format!(
                    "the profile extends `{}`: compile it from its file with \
                     `compile-profile-file`, which reads the base from the same folder",
                    crate::profile_file::shorten(&base)
                ),
            )
            .at_pointer("/extends"),
        ));
    }
    let secrets = call.secrets.into_iter().collect::<Vec<_>>();
    let profile = bridge.engine.compile_profile(&json, &secrets)?;
    bridge.profiles.insert(head.id.clone(), profile);
    Ok(json!({"id": head.id, "protocol": head.protocol}))
}

fn compile_profile_file<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CompileProfileFile,
) -> Result<Value, CallError> {
    let file = crate::profile_file::ProfileFile::read(&call.path)
        .map_err(|refused| bridge.refused_in(refused))?;
    let secrets = call.secrets.into_iter().collect::<Vec<_>>();
    let profile = match bridge.engine.compile_profile(file.json(), &secrets) {
        Ok(profile) => profile,
        Err(CallError::Rejected(error)) => return Err(bridge.refused_in(file.locate_error(error))),
        Err(other) => return Err(other),
    };
    let head = ProfileHead::of(file.json());
    bridge.profiles.insert(head.id.clone(), profile);
    Ok(json!({"id": head.id, "protocol": head.protocol}))
}

/// What the bridge reads of a profile itself, in one pass: the id it keeps the profile by, the
/// protocol it tells hosts (`cxml` or `oci`, so that they know which calls apply), and the base
/// it names in `extends`. Empty where the JSON does not say (the engine refuses such a profile).
#[derive(Default, Deserialize)]
struct ProfileHead {
    #[serde(default)]
    id: String,
    #[serde(default)]
    protocol: String,
    #[serde(default)]
    extends: Option<String>,
}

impl ProfileHead {
    fn of(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }
}
