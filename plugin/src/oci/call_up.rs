//! The OCI call-up ("outbound section"): the buyer's browser opens the catalog with a GET query or
//! a POST form body. [`parse_parameters`] reads the `application/x-www-form-urlencoded` text,
//! [`call_up`] authenticates the buyer and checks the `HOOK_URL`, and returns an [`OciCallUp`]:
//! the [`OciSession`] the shop stores and the [`OciFunction`] it must perform.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::form_safety::{reserved_hook_url_parameter, reserved_parameter_message};
use super::functions::OciFunction;
use super::settings::{OciCharset, OciSettings, OciVersion};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Credential, Property};
use crate::profile::{BuyerProfile, Protocol};

/// The largest call-up query or form body the engine reads (HOSTILE-INPUT: OCI query 16 KiB).
pub const MAX_CALL_UP_BYTES: usize = 16 * 1024;

/// The credential domain under which an OCI profile lists its `USERNAME` values.
pub const OCI_CREDENTIAL_DOMAIN: &str = "oci";

/// The frame targets a form may post into; anything else could name a frame of another site.
pub const ALLOWED_TARGETS: &[&str] = &["_top", "_parent", "_self", "_blank"];

/// What the shop stores after a call-up and hands back for every reply. It holds no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OciSession {
    /// The buyer profile that accepted the call-up.
    pub buyer_id: String,
    /// The authenticated `USERNAME`.
    pub username: String,
    /// The `HOOK_URL`, byte-exact as received (already checked against the profile).
    pub hook_url: String,
    /// The charset of every page sent back (`http_content_charset`).
    pub charset: OciCharset,
    /// The form's `target` (`returntarget`, else `~TARGET`, else `_top`).
    pub target: String,
    /// The OCI release the profile speaks.
    pub version: OciVersion,
}

/// An accepted call-up.
#[derive(Clone, PartialEq, Eq)]
pub struct OciCallUp {
    pub session: OciSession,
    pub function: OciFunction,
    /// `OCI_VERSION` as sent (informative).
    pub oci_version: Option<String>,
    /// `OPI_VERSION` as sent.
    pub opi_version: Option<String>,
    /// `~OkCode` (normally `ADDI`).
    pub ok_code: Option<String>,
    /// `~CALLER` (normally `CTLG`).
    pub caller: Option<String>,
    /// Every other parameter (language, `BYPASS_*`, the buyer's own), for the host. Never the
    /// password.
    pub parameters: Vec<Property>,
}

impl fmt::Debug for OciCallUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OciCallUp")
            .field("session", &self.session)
            .field("function", &self.function)
            .field("oci_version", &self.oci_version)
            .field("opi_version", &self.opi_version)
            .field("ok_code", &self.ok_code)
            .field("caller", &self.caller)
            .field("parameters", &self.parameters)
            .finish()
    }
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte. The
/// bytes are UTF-8 when they form valid UTF-8, else Latin-1 (SAP systems send both).
fn decode_component(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&spaced).collect();
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(error.as_bytes())
            .0
            .into_owned(),
    }
}

/// Reads a call-up query string or form body into name/value pairs, in order.
///
/// # Errors
/// `limit-exceeded` over [`MAX_CALL_UP_BYTES`]; `malformed-xml`-free: `invalid-document` when the
/// body is not ASCII (percent-encoding is required) or a parameter occurs twice (ASCII
/// case-insensitively: two `HOOK_URL`s could make the check and the use read different values).
pub fn parse_parameters(body: &[u8]) -> Result<Vec<(String, String)>> {
    let text = form_body_text(body, MAX_CALL_UP_BYTES, "call-up")?;
    let text = text.strip_prefix('?').unwrap_or(text);
    let mut parameters: Vec<(String, String)> = Vec::new();
    // Names seen, lowercased: a set keeps a hostile 16 KiB query of thousands of parameters
    // linear instead of comparing each with all before it.
    let mut seen = std::collections::HashSet::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode_component(raw_name);
        let value = decode_component(raw_value);
        if !seen.insert(name.to_ascii_lowercase()) {
            return Err(Error::new(
                ErrorCode::InvalidDocument,
                format!(
                    "parameter `{}` occurs more than once",
                    crate::model::shorten(&name)
                ),
            )
            .at_field(crate::model::shorten(&name)));
        }
        parameters.push((name, value));
    }
    Ok(parameters)
}

/// A form-encoded body (call-up or cart form) as text: at most `max` bytes, all ASCII
/// (everything else must be percent-encoded).
///
/// # Errors
/// `limit-exceeded` over `max`; `invalid-document` for bytes that are not percent-encoded.
pub(super) fn form_body_text<'a>(body: &'a [u8], max: usize, what: &str) -> Result<&'a str> {
    check_body_size(body.len(), max, what)?;
    std::str::from_utf8(body)
        .ok()
        .filter(|text| text.is_ascii())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidDocument,
                format!("{what} contains bytes that are not percent-encoded"),
            )
        })
}

/// Refuses a call-up ([`MAX_CALL_UP_BYTES`], `what` = `call-up`) or a returned form
/// ([`super::read_back::MAX_FORM_BYTES`], `form body`) by its length alone, so that a host can
/// refuse it before handing it to the engine (the same error the engine gives).
///
/// # Errors
/// `limit-exceeded` naming the size and the limit.
pub fn check_body_size(length: usize, max: usize, what: &str) -> Result<()> {
    if length > max {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("{what} of {length} bytes is longer than the limit of {max} bytes"),
        ));
    }
    Ok(())
}

/// Takes a parameter out of the list (names compared ASCII case-insensitively: SAP writes both
/// `~TARGET` and `~Target`).
fn take(parameters: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let index = parameters
        .iter()
        .position(|(known, _)| known.eq_ignore_ascii_case(name))?;
    Some(parameters.remove(index).1)
}

/// Checks a frame target.
///
/// # Errors
/// `invalid-value` naming the parameter.
fn check_target(parameter: &str, value: &str) -> Result<String> {
    let lower = value.to_ascii_lowercase();
    if ALLOWED_TARGETS.contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "`{}` is not a frame target, expected one of `_top`, `_parent`, `_self`, `_blank`",
                crate::model::shorten(value)
            ),
        )
        .at_field(parameter))
    }
}

/// Reads and authenticates a call-up for an OCI buyer profile.
///
/// The user name must be one of the profile's credentials of domain `oci`, the password its
/// shared secret (compared in constant time; an unknown user and a wrong password give the same
/// error). `HOOK_URL` must be allowed by the profile and is kept byte-exact. The password is
/// dropped: it is in no returned value, error or Debug output.
///
/// # Errors
/// `unsupported-operation` (not an OCI profile, an unknown `FUNCTION`, a 5.0 function for a 4.0
/// buyer), `limit-exceeded`, `invalid-document` (duplicated or missing parameter),
/// `authentication-failed`, `return-url-not-allowed` (at field `HOOK_URL`: not allowed by the
/// profile, or a query parameter with a name the form reserves, see [`super::form_safety`]),
/// `invalid-value` (a
/// frame target outside `_top/_parent/_self/_blank`), `unsupported-encoding` (a charset other
/// than UTF-8 or Latin-1).
pub fn call_up(profile: &BuyerProfile, body: &[u8]) -> Result<OciCallUp> {
    expect_oci_profile(profile)?;
    let default_settings = OciSettings::default();
    let settings = profile.document().oci.as_ref().unwrap_or(&default_settings);
    let mut parameters = parse_parameters(body)?;
    let username_parameter = settings.username_parameter();
    let password_parameter = settings.password_parameter();
    let hook_parameter = settings.hook_url_parameter();

    let username = take(&mut parameters, username_parameter).unwrap_or_default();
    let password = take(&mut parameters, password_parameter).unwrap_or_default();
    // The user's own password, else the profile's shared one; compared even when the user is
    // unknown, so both take the same time.
    let user = Credential {
        domain: OCI_CREDENTIAL_DOMAIN.to_owned(),
        identity: username.clone(),
    };
    let accepted = profile.authenticate([&user], password.as_bytes()).is_some();
    drop(password);
    if !accepted || username.is_empty() {
        return Err(Error::new(
            ErrorCode::AuthenticationFailed,
            "the call-up's user name and password were not accepted",
        )
        .at_field(username_parameter));
    }

    let hook_url = take(&mut parameters, hook_parameter).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidDocument,
            format!("missing parameter `{hook_parameter}`"),
        )
        .at_field(hook_parameter)
    })?;
    profile
        .check_return_url(&hook_url)
        .map_err(|error| error.at_field(hook_parameter))?;
    if let Some((name, reason)) = reserved_hook_url_parameter(&hook_url) {
        return Err(Error::new(
            ErrorCode::ReturnUrlNotAllowed,
            reserved_parameter_message(&name, reason),
        )
        .at_field(hook_parameter));
    }

    let charset = match take(&mut parameters, "http_content_charset") {
        Some(label) if !label.is_empty() => OciCharset::parse(&label).ok_or_else(|| {
            Error::new(
                ErrorCode::UnsupportedEncoding,
                format!(
                    "charset `{}` is not supported, expected `utf-8` or `iso-8859-1`",
                    crate::model::shorten(&label)
                ),
            )
            .at_field("http_content_charset")
        })?,
        _ => settings.charset_default,
    };
    let tilde_target = take(&mut parameters, "~TARGET")
        .filter(|value| !value.is_empty())
        .map(|value| check_target("~TARGET", &value))
        .transpose()?;
    let return_target = take(&mut parameters, "returntarget")
        .filter(|value| !value.is_empty())
        .map(|value| check_target("returntarget", &value))
        .transpose()?;
    let target = return_target
        .or(tilde_target)
        .unwrap_or_else(|| "_top".to_owned());

    let function = super::functions::read_function(&mut parameters, settings.version)?;
    let oci_version = take(&mut parameters, "OCI_VERSION");
    let opi_version = take(&mut parameters, "OPI_VERSION");
    let ok_code = take(&mut parameters, "~OkCode");
    let caller = take(&mut parameters, "~CALLER");
    Ok(OciCallUp {
        session: OciSession {
            buyer_id: profile.id().to_owned(),
            username,
            hook_url,
            charset,
            target,
            version: settings.version,
        },
        function,
        oci_version,
        opi_version,
        ok_code,
        caller,
        parameters: parameters
            .into_iter()
            .map(|(name, value)| Property { name, value })
            .collect(),
    })
}

/// Refuses a profile of another protocol.
///
/// # Errors
/// `unsupported-operation`: ``buyer `X` speaks cXML, not OCI``.
pub(crate) fn expect_oci_profile(profile: &BuyerProfile) -> Result<()> {
    match profile.document().protocol {
        Protocol::Oci => Ok(()),
        other => Err(Error::new(
            ErrorCode::UnsupportedOperation,
            format!(
                "buyer `{}` speaks {}, not OCI",
                profile.id(),
                other.display_name()
            ),
        )),
    }
}

/// Checks a session handed back by the shop: it belongs to this profile, its `HOOK_URL` is
/// still allowed and none of its query parameters uses a reserved name
/// ([`super::form_safety`]).
///
/// # Errors
/// `unsupported-operation` for a cXML profile; `invalid-session`.
pub fn check_session(profile: &BuyerProfile, session: &OciSession) -> Result<()> {
    expect_oci_profile(profile)?;
    if session.buyer_id != profile.id() {
        return Err(Error::new(
            ErrorCode::InvalidSession,
            format!(
                "session of buyer `{}` handed to profile `{}`",
                crate::model::shorten(&session.buyer_id),
                profile.id()
            ),
        )
        .at_pointer("/buyer_id"));
    }
    profile
        .check_return_url(&session.hook_url)
        .map_err(|error| {
            Error::new(ErrorCode::InvalidSession, error.message().to_owned())
                .at_pointer("/hook_url")
        })?;
    if let Some((name, reason)) = reserved_hook_url_parameter(&session.hook_url) {
        return Err(Error::new(
            ErrorCode::InvalidSession,
            reserved_parameter_message(&name, reason),
        )
        .at_pointer("/hook_url"));
    }
    check_target("target", &session.target)
        .map_err(|error| {
            Error::new(ErrorCode::InvalidSession, error.message().to_owned()).at_pointer("/target")
        })
        .map(|_| ())
}
