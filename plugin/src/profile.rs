//! Buyer profiles: how one buyer is recognised, authenticated and served.
//!
//! A profile is JSON written by an integrator. [`BuyerProfile::compile`] reads it with every
//! problem located by a JSON pointer, binds its secret references to the values the host
//! resolved, and checks what can be checked once (URLs, codes) so that requests only look things
//! up.

use std::fmt;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use url::Url;

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Credential, SetupOperation};

/// The profile as the integrator writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = profile_schema_conditions)]
pub struct ProfileDocument {
    /// Where an editor finds the profile's JSON Schema; ignored by the engine.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The id of a base profile this one overrides (key by key; arrays and values replace, `null`
    /// removes). The host passes the base to [`resolve_extends`] before compiling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Stable id, stored in sessions.
    pub id: String,
    /// Human name, for logs and the integrator.
    pub name: String,
    /// The protocol this buyer speaks.
    pub protocol: Protocol,
    /// How the buyer is recognised and authenticated (cXML and OCI; a Peppol buyer sends no
    /// setup message and needs none).
    #[serde(default)]
    pub authentication: Authentication,
    /// Where carts may be returned to: scheme, host (and port) and path prefix.
    pub return_urls: Vec<String>,
    /// Setup operations the buyer may use; create, edit and inspect when absent.
    #[serde(default = "all_operations")]
    pub operations: Vec<SetupOperation>,
    /// Values used when the cart or the mapping does not give one.
    #[serde(default)]
    pub defaults: Defaults,
    /// How cart lines become the protocol's item fields.
    #[serde(default)]
    pub mapping: crate::mapping::MappingSection,
    /// cXML-specific settings.
    #[serde(default)]
    pub cxml: CxmlSettings,
    /// OCI-specific settings (version, call-up parameter names, default charset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oci: Option<crate::oci::OciSettings>,
    /// Peppol settings (required for `peppol`): the parties, the default tax, the cart's
    /// validity and how it reaches the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peppol: Option<crate::peppol::settings::PeppolSettings>,
    /// Budgets for this buyer's carts and forms, where they differ from the engine's defaults
    /// (see [`crate::limits::InputLimits`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<crate::limits::LimitsSection>,
    /// How purchase orders are reconciled against the returned cart: which changes the buyer's
    /// approval made are accepted, held for review or rejected; the defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<crate::order::rules::OrderRules>,
}

fn all_operations() -> Vec<SetupOperation> {
    vec![
        SetupOperation::Create,
        SetupOperation::Edit,
        SetupOperation::Inspect,
    ]
}

/// The protocol a buyer speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Cxml,
    Oci,
    /// Peppol BIS Punch Out: the cart as a UBL Catalogue (T77).
    Peppol,
}

impl Protocol {
    /// The protocol's name in messages: `cXML`, `OCI`, `Peppol`.
    pub fn display_name(self) -> &'static str {
        match self {
            Protocol::Cxml => "cXML",
            Protocol::Oci => "OCI",
            Protocol::Peppol => "Peppol",
        }
    }
}

/// How the buyer is recognised and authenticated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
// `credentials` is required by the profile's schema unless the profile `extends` a base.
#[schemars(transform = drop_required)]
pub struct Authentication {
    /// Credentials (cXML `From`, OCI `USERNAME` under domain `oci`) that identify this buyer; any
    /// one matches. Each may carry its own secret; without one it uses `shared_secret`.
    pub credentials: Vec<ProfileCredential>,
    /// Credentials the cXML `Sender` (the one that carries the shared secret) may use, when they
    /// differ from `credentials` (a network or a buyer-specific id); `credentials` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Vec<Credential>>,
    /// The secret of every credential that has none of its own (cXML `SharedSecret`, OCI
    /// `PASSWORD`), as a reference the host resolves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_secret: Option<SecretReference>,
}

fn drop_required(schema: &mut schemars::Schema) {
    schema.remove("required");
}

/// A credential that identifies the buyer, with its own secret when its users do not share one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileCredential {
    /// The credential's domain: `NetworkID`, `DUNS`, …; `oci` for an OCI `USERNAME`.
    pub domain: String,
    /// The identity within the domain (compared exactly; the domain ignores ASCII case).
    pub identity: String,
    /// This credential's own secret (an OCI user's password); `shared_secret` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretReference>,
}

impl ProfileCredential {
    fn identifies(&self, credential: &Credential) -> bool {
        self.domain.eq_ignore_ascii_case(&credential.domain) && self.identity == credential.identity
    }
}

impl Authentication {
    /// Every secret reference of the profile: the shared one, then each credential's own.
    pub fn secret_references(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let all = self.shared_secret.iter().chain(
            self.credentials
                .iter()
                .filter_map(|credential| credential.secret.as_ref()),
        );
        for reference in all {
            if !names.contains(&reference.secret.as_str()) {
                names.push(&reference.secret);
            }
        }
        names
    }
}

/// A reference to a secret kept outside the profile (environment, vault); the host resolves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretReference {
    /// The name the host resolves, such as `ACME_SHARED_SECRET`.
    pub secret: String,
}

/// Values used when the cart or the mapping does not give one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Language of descriptions (`xml:lang`).
    #[serde(default = "default_language")]
    pub language: String,
    /// Classification domain of the line's `classification` attribute.
    #[serde(default = "default_classification_domain")]
    pub classification_domain: String,
    /// Classification code used when a line has none (cXML requires one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification_code: Option<String>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            language: default_language(),
            classification_domain: default_classification_domain(),
            classification_code: None,
        }
    }
}

fn default_language() -> String {
    "en".to_owned()
}
fn default_classification_domain() -> String {
    "UNSPSC".to_owned()
}

/// How the cart is carried in the browser form.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FormEncoding {
    /// The message as text in a `cxml-urlencoded` field.
    #[default]
    CxmlUrlencoded,
    /// The message base64-encoded in a `cxml-base64` field.
    CxmlBase64,
}

impl FormEncoding {
    /// The form field's name.
    pub fn field_name(self) -> &'static str {
        match self {
            FormEncoding::CxmlUrlencoded => "cxml-urlencoded",
            FormEncoding::CxmlBase64 => "cxml-base64",
        }
    }
}

/// cXML-specific settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CxmlSettings {
    /// The form field that carries the PunchOutOrderMessage.
    #[serde(default)]
    pub form_encoding: FormEncoding,
    /// The `UserAgent` of documents the shop sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// A secret value; never printed, never serialized.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(value: impl Into<Vec<u8>>) -> Self {
        Secret(value.into())
    }

    /// Compares in time that depends only on the expected secret's length, never on where the
    /// given value differs or on its length.
    pub fn matches(&self, given: &[u8]) -> bool {
        let expected = &self.0;
        let mut equal = (given.len() as u64).ct_eq(&(expected.len() as u64));
        for (index, byte) in expected.iter().enumerate() {
            let other = given.get(index).copied().unwrap_or(!byte);
            equal &= byte.ct_eq(&other);
        }
        bool::from(equal)
    }

    /// The value, for the one place it is written: the `SharedSecret` of a document the shop
    /// sends to its buyer.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A secret the host resolved for a profile's reference.
#[derive(Clone)]
pub struct ResolvedSecret {
    pub name: String,
    pub value: Secret,
}

impl fmt::Debug for ResolvedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResolvedSecret({}: ***)", self.name)
    }
}

/// An allowed return URL: scheme, host, port and path prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedUrl {
    scheme: String,
    host: String,
    port: Option<u16>,
    path_prefix: String,
}

impl AllowedUrl {
    fn parse(text: &str) -> std::result::Result<Self, String> {
        if text.contains('*') {
            return Err(format!(
                "return URL `{}` has a `*`, but entries are matched literally (no wildcards), so it never matches: list each host the buyer uses (`https://plant1.buyer.example/`, `https://plant2.buyer.example/`)",
                show_url(text)
            ));
        }
        let url = parse_plain_url(text)?;
        let host = url
            .host_str()
            .ok_or_else(|| format!("return URL `{}` has no host", show_url(text)))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "return URL `{}` has a user name, which never matches (return URLs with one are refused): write `{}://{}/…`",
                show_url(text),
                url.scheme(),
                host
            ));
        }
        Ok(AllowedUrl {
            scheme: url.scheme().to_owned(),
            host: host.to_owned(),
            port: url.port_or_known_default(),
            path_prefix: url.path().to_owned(),
        })
    }

    /// The entry as it is compared: scheme, host, port and path prefix.
    fn describe(&self) -> String {
        let default_port = match self.scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        };
        match self.port.filter(|port| Some(*port) != default_port) {
            Some(port) => format!("{}://{}:{port}{}", self.scheme, self.host, self.path_prefix),
            None => format!("{}://{}{}", self.scheme, self.host, self.path_prefix),
        }
    }

    fn allows(&self, url: &Url) -> bool {
        url.scheme() == self.scheme
            && url.host_str() == Some(self.host.as_str())
            && url.port_or_known_default() == self.port
            && url.username().is_empty()
            && url.password().is_none()
            && path_has_prefix(url.path(), &self.path_prefix)
    }
}

/// A path matches a prefix at a segment boundary: `/punchout/` allows `/punchout/return`, and
/// `/punchout` allows `/punchout` and `/punchout/x` but not `/punchoutx`.
fn path_has_prefix(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => prefix.ends_with('/') || rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// The longest part of a URL that messages show; longer ones end with an explicit `…`.
const SHOWN_URL_BYTES: usize = 512;

/// A URL for a message: whole when it is at most [`SHOWN_URL_BYTES`] long (URLs are not secret),
/// else cut at a character boundary with `…` and the full length.
fn show_url(text: &str) -> String {
    if text.len() <= SHOWN_URL_BYTES {
        return text.escape_debug().to_string();
    }
    let mut end = SHOWN_URL_BYTES;
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    format!(
        "{}… ({} bytes in all)",
        text.get(..end).unwrap_or_default().escape_debug(),
        text.len()
    )
}

/// Parses an absolute http(s) URL written without surrounding whitespace or control characters
/// (which browsers strip, turning `\tjavascript:` into a script URL).
fn parse_plain_url(text: &str) -> std::result::Result<Url, String> {
    // The URL as messages show it, written only for a refusal (every cart return checks one).
    let shown = || show_url(text);
    if text.bytes().any(|byte| byte <= b' ' || byte == 0x7f) {
        return Err(format!(
            "URL `{}` contains whitespace or control characters",
            shown()
        ));
    }
    let url = Url::parse(text).map_err(|error| format!("`{}` is not a URL: {error}", shown()))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(format!(
            "URL `{}` uses scheme `{}`, expected `https` or `http`",
            shown(),
            url.scheme()
        ));
    }
    Ok(url)
}

/// Why an allow-list entry, valid as a URL, probably does not say what its author meant; `None`
/// when it is plain (`config check` warns).
pub(crate) fn return_url_entry_warning(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    let base = format!(
        "{}://{}{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.path()
    );
    if url.query().is_some() || url.fragment().is_some() {
        return Some(format!(
            "return URL `{}` has a query or fragment, which the allow-list ignores (it compares scheme, host, port and path prefix): write `{base}`",
            show_url(text)
        ));
    }
    if url.scheme() == "http" {
        return Some(format!(
            "return URL `{}` uses `http`, so a buyer on `https` is refused and the cart would travel unencrypted: write `https://{}{}` unless the buyer's system really is on plain `http`",
            show_url(text),
            url.host_str().unwrap_or_default(),
            url.path()
        ));
    }
    None
}

/// A compiled buyer profile: checked once, shared by every request of that buyer.
#[derive(Clone, Debug)]
pub struct BuyerProfile {
    document: ProfileDocument,
    /// The secret of each credential, in the order of `authentication.credentials`: its own or
    /// the shared one.
    credential_secrets: Vec<Secret>,
    return_urls: Vec<AllowedUrl>,
    mapping: crate::mapping::CompiledMapping,
    order_rules: crate::order::rules::CompiledOrderRules,
}

impl BuyerProfile {
    /// Reads and checks a profile and binds its secret reference to a resolved value.
    ///
    /// # Errors
    /// `invalid-profile`, located by a JSON pointer.
    pub fn compile(json: &str, secrets: &[ResolvedSecret]) -> Result<Self> {
        // Read plainly first: a fresh engine instance compiles its profiles on every call, and
        // path tracking is only needed to locate a refusal.
        if let Ok(document) = serde_json::from_str::<ProfileDocument>(json) {
            return Self::from_document(document, secrets);
        }
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let document: ProfileDocument = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| {
                let pointer = json_pointer(error.path());
                let inner = error.into_inner();
                let message =
                    redact_inline_secret(&pointer, strip_serde_position(&inner.to_string()));
                Error::new(ErrorCode::InvalidProfile, message).at(crate::error::Location {
                    line: Some(line_u32(inner.line())),
                    column: Some(line_u32(inner.column())),
                    pointer: Some(pointer),
                    ..crate::error::Location::default()
                })
            })?;
        deserializer.end().map_err(|error| {
            Error::new(
                ErrorCode::InvalidProfile,
                "unexpected content after the profile's JSON object",
            )
            .at(crate::error::Location {
                line: Some(line_u32(error.line())),
                column: Some(line_u32(error.column())),
                ..crate::error::Location::default()
            })
        })?;
        Self::from_document(document, secrets)
    }

    /// Checks a profile given as its Rust value.
    ///
    /// # Errors
    /// `invalid-profile`, located by a JSON pointer.
    pub fn from_document(document: ProfileDocument, secrets: &[ResolvedSecret]) -> Result<Self> {
        let invalid = |pointer: &str, message: String| {
            Error::new(ErrorCode::InvalidProfile, message).at_pointer(pointer)
        };
        if document.id.trim().is_empty() {
            return Err(invalid("/id", "profile id is empty".to_owned()));
        }
        if let Some(base) = &document.extends {
            return Err(invalid(
                "/extends",
                format!(
                    "the profile extends `{}`: resolve it with its base profile before compiling",
                    crate::model::shorten(base)
                ),
            ));
        }
        let peppol = document.protocol == Protocol::Peppol;
        if document.authentication.credentials.is_empty() && !peppol {
            return Err(invalid(
                "/authentication/credentials",
                "expected at least one credential that identifies the buyer".to_owned(),
            ));
        }
        if document.return_urls.is_empty() {
            return Err(invalid(
                "/return_urls",
                "expected at least one allowed return URL".to_owned(),
            ));
        }
        let return_urls = document
            .return_urls
            .iter()
            .enumerate()
            .map(|(index, text)| {
                AllowedUrl::parse(text)
                    .map_err(|message| invalid(&format!("/return_urls/{index}"), message))
            })
            .collect::<Result<Vec<_>>>()?;
        if document.operations.is_empty() {
            return Err(invalid(
                "/operations",
                "expected at least one setup operation".to_owned(),
            ));
        }
        let resolve = |reference: &SecretReference, pointer: &str| {
            secrets
                .iter()
                .find(|secret| secret.name == reference.secret)
                .map(|secret| secret.value.clone())
                .ok_or_else(|| {
                    invalid(
                        pointer,
                        format!(
                            "secret `{}` was not resolved by the host",
                            crate::model::shorten(&reference.secret)
                        ),
                    )
                })
        };
        let shared_secret = document
            .authentication
            .shared_secret
            .as_ref()
            .map(|reference| resolve(reference, "/authentication/shared_secret/secret"))
            .transpose()?;
        let credential_secrets = document
            .authentication
            .credentials
            .iter()
            .enumerate()
            .map(|(index, credential)| match (&credential.secret, &shared_secret) {
                (Some(reference), _) => resolve(
                    reference,
                    &format!("/authentication/credentials/{index}/secret/secret"),
                ),
                (None, Some(shared)) => Ok(shared.clone()),
                (None, None) => Err(invalid(
                    &format!("/authentication/credentials/{index}"),
                    format!(
                        "credential `{}` has no secret: give it `\"secret\": {{\"secret\": \"NAME\"}}` or set `authentication.shared_secret`",
                        crate::model::shorten(&credential.identity)
                    ),
                )),
            })
            .collect::<Result<Vec<_>>>()?;
        crate::limits::InputLimits::from_section(document.limits.as_ref())?;
        if document
            .authentication
            .sender
            .as_ref()
            .is_some_and(Vec::is_empty)
        {
            return Err(invalid(
                "/authentication/sender",
                "expected at least one sender credential, or no `sender` at all".to_owned(),
            ));
        }
        let mapping = crate::mapping::CompiledMapping::compile(
            &document.mapping.fields,
            &document.mapping.extrinsics,
            &document.mapping.units,
            crate::mapping::MappingContext::of(&document),
        )?;
        for (shop, buyer) in &document.mapping.units.map {
            let known = if peppol {
                crate::mapping::units::is_rec20_unit(buyer)
            } else {
                crate::mapping::units::is_known_unit(buyer)
            };
            if !known {
                return Err(invalid(
                    &format!(
                        "/mapping/units/map/{}",
                        shop.replace('~', "~0").replace('/', "~1")
                    ),
                    if peppol {
                        format!(
                            "unit `{}` is not a UN/ECE Rec 20 code, the only units Peppol accepts (for PCE or PCS write `H87`, piece, or `C62`, one)",
                            crate::model::shorten(buyer)
                        )
                    } else {
                        format!(
                            "unit `{}` is not a UN/ECE Rec 20 code (nor PCE, PCS, PK, BX)",
                            crate::model::shorten(buyer)
                        )
                    },
                ));
            }
        }
        document
            .mapping
            .units
            .check_default()
            .map_err(|message| invalid("/mapping/units/default", message))?;
        if let Some(unit) = document.mapping.units.default.as_deref().filter(|unit| {
            peppol
                && !document.mapping.units.map.contains_key(*unit)
                && !crate::mapping::units::is_rec20_unit(unit)
        }) {
            return Err(invalid(
                "/mapping/units/default",
                format!(
                    "unit `{}` is neither a key of `units.map` nor a UN/ECE Rec 20 code, the only units Peppol accepts (for PCE or PCS write `H87`, piece, or `C62`, one)",
                    crate::model::shorten(unit)
                ),
            ));
        }
        match (&document.peppol, peppol) {
            (Some(settings), true) => {
                settings.check()?;
                if let Some(error) = crate::peppol::cart::check_mapping(&document.mapping)
                    .into_iter()
                    .next()
                {
                    return Err(error);
                }
            }
            (None, true) => {
                return Err(invalid(
                    "/peppol",
                    "a `peppol` profile needs its `peppol` section: the buyer and seller parties, the default tax and the delivery".to_owned(),
                ))
            }
            (Some(_), false) => {
                return Err(invalid(
                    "/peppol",
                    format!(
                        "the `peppol` section is for `peppol` profiles, and this buyer speaks {}: remove it or set `\"protocol\": \"peppol\"`",
                        document.protocol.display_name()
                    ),
                ))
            }
            (None, false) => {}
        }
        let order_rules =
            crate::order::rules::CompiledOrderRules::compile(document.orders.as_ref())?;
        Ok(BuyerProfile {
            document,
            credential_secrets,
            return_urls,
            mapping,
            order_rules,
        })
    }

    /// The profile's id.
    pub fn id(&self) -> &str {
        &self.document.id
    }

    /// The profile as written, with secret references but no secret values.
    pub fn document(&self) -> &ProfileDocument {
        &self.document
    }

    /// The profile as normalised JSON (no secret values).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.document).unwrap_or_default()
    }

    /// Whether a credential identifies this buyer.
    pub fn recognises(&self, credential: &Credential) -> bool {
        self.document
            .authentication
            .credentials
            .iter()
            .any(|known| known.identifies(credential))
    }

    /// Whether a cXML `Sender` credential is one this buyer sends with: one of
    /// `authentication.sender`, else of `authentication.credentials`.
    pub fn accepts_sender(&self, credential: &Credential) -> bool {
        let authentication = &self.document.authentication;
        authentication.sender.as_ref().map_or_else(
            || {
                authentication
                    .credentials
                    .iter()
                    .any(|known| known.identifies(credential))
            },
            |senders| {
                senders.iter().any(|known| {
                    known.domain.eq_ignore_ascii_case(&credential.domain)
                        && known.identity == credential.identity
                })
            },
        )
    }

    /// The budgets for this buyer's carts and forms.
    pub fn limits(&self) -> crate::limits::InputLimits {
        // Checked by `from_document`; the defaults cannot be reached here.
        crate::limits::InputLimits::from_section(self.document.limits.as_ref()).unwrap_or_default()
    }

    /// The first of `candidates` that identifies this buyer, if `given` is that credential's
    /// secret (its own, else the shared one). The secret is compared in constant time, and
    /// compared even when no candidate is known, so that an unknown identity and a wrong secret
    /// take the same time and give the same answer.
    pub fn authenticate<'c>(
        &self,
        candidates: impl IntoIterator<Item = &'c Credential>,
        given: &[u8],
    ) -> Option<&'c Credential> {
        let known = &self.document.authentication.credentials;
        let found = candidates.into_iter().find_map(|candidate| {
            known
                .iter()
                .position(|credential| credential.identifies(candidate))
                .map(|index| (candidate, index))
        });
        let index = found.map_or(0, |(_, index)| index);
        let matches = self
            .credential_secrets
            .get(index)
            .is_some_and(|secret| secret.matches(given));
        found.filter(|_| matches).map(|(candidate, _)| candidate)
    }

    /// The secret the shop sends in the `Sender` of its own documents to this buyer (order
    /// confirmations, ship notices, invoices): the one the buyer authenticates with under
    /// `credential` (a `From` credential of the buyer's), its own or the shared one. `None` when
    /// no credential of the profile identifies `credential`.
    pub(crate) fn secret_for(&self, credential: &Credential) -> Option<&Secret> {
        self.document
            .authentication
            .credentials
            .iter()
            .position(|known| known.identifies(credential))
            .and_then(|index| self.credential_secrets.get(index))
    }

    /// Whether the buyer may use a setup operation.
    pub fn allows_operation(&self, operation: SetupOperation) -> bool {
        self.document.operations.contains(&operation)
    }

    /// Checks a return URL against the allow-list and returns it unchanged (byte-exact: buyers
    /// put their own query parameters in it).
    ///
    /// # Errors
    /// `return-url-not-allowed`; the caller adds the location.
    pub fn check_return_url<'a>(&self, text: &'a str) -> Result<&'a str> {
        let refuse = |message: String| Error::new(ErrorCode::ReturnUrlNotAllowed, message);
        let url = parse_plain_url(text).map_err(refuse)?;
        if self.return_urls.iter().any(|allowed| allowed.allows(&url)) {
            Ok(text)
        } else {
            // The allowed entries are not secret; showing them says what to fix.
            const SHOWN: usize = 8;
            let mut allowed = self
                .return_urls
                .iter()
                .take(SHOWN)
                .map(|allowed| format!("`{}`", show_url(&allowed.describe())))
                .collect::<Vec<_>>()
                .join(", ");
            if let Some(more) = self.return_urls.len().checked_sub(SHOWN).filter(|n| *n > 0) {
                allowed.push_str(&format!(" and {more} more"));
            }
            Err(refuse(format!(
                "return URL `{}` is not among the buyer's allowed return URLs: expected the scheme, host, port and a path under one of {allowed}",
                show_url(text)
            )))
        }
    }

    pub fn defaults(&self) -> &Defaults {
        &self.document.defaults
    }

    pub fn cxml(&self) -> &CxmlSettings {
        &self.document.cxml
    }

    /// The Peppol settings (always present, and checked, for a `peppol` profile).
    pub fn peppol(&self) -> Option<&crate::peppol::settings::PeppolSettings> {
        self.document.peppol.as_ref()
    }

    /// Maps one cart line and explains every value (`config preview`).
    ///
    /// # Errors
    /// `invalid-cart` as a cart return would give for this line.
    pub fn preview(
        &self,
        line: &crate::model::CartLine,
        currency: &str,
    ) -> Result<crate::mapping::MappedLine> {
        self.mapping.explain_line(&crate::mapping::LineView {
            line,
            currency,
            line_number: 1,
        })
    }

    /// The compiled field mapping for the profile's protocol.
    pub fn mapping(&self) -> &crate::mapping::CompiledMapping {
        &self.mapping
    }

    /// How this buyer's orders are reconciled (the profile's `orders` section, checked).
    pub fn order_rules(&self) -> &crate::order::rules::CompiledOrderRules {
        &self.order_rules
    }
}

fn line_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// serde_json appends " at line L column C"; the location carries those.
/// serde quotes a value of the wrong type (`invalid type: string "s3cr3t"`): where a secret
/// reference was expected, that value is probably the secret itself, so it is never repeated.
fn redact_inline_secret(pointer: &str, message: String) -> String {
    let at_secret = pointer.starts_with("/authentication")
        && pointer
            .rsplit('/')
            .next()
            .is_some_and(|last| last.ends_with("secret"));
    if at_secret && message.starts_with("invalid type") {
        "expected a secret reference such as `{\"secret\": \"ACME_SHARED_SECRET\"}`, found a value written inline (not shown): keep the secret out of the profile and name it".to_owned()
    } else {
        message
    }
}

/// A serde_json message without its ` at line L column C`: engine errors locate by JSON pointer.
pub(crate) fn strip_serde_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// Turns serde_path_to_error's path into an RFC 6901 JSON pointer.
pub fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"))
            }
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

/// Applies a profile that `extends` a base onto that base (and the base onto its own base, in
/// order): objects merge key by key, other values and arrays replace, `null` removes a key. The
/// result has no `extends` and keeps the JSON pointers of both, so errors stay locatable.
///
/// `bases` holds the base profiles' JSON, nearest first; each must have the `id` its child
/// names in `extends`.
///
/// # Errors
/// `invalid-profile` at `/extends` when a base is missing or has another id, when profiles extend
/// each other in a cycle, or when the JSON is not an object.
pub fn resolve_extends(profile_json: &str, bases: &[String]) -> Result<String> {
    use serde_json::Value;
    let parse = |json: &str, which: &str| -> Result<serde_json::Map<String, Value>> {
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(object)) => Ok(object),
            Ok(_) => Err(Error::new(
                ErrorCode::InvalidProfile,
                format!("{which} is not a JSON object"),
            )),
            Err(error) => Err(Error::new(
                ErrorCode::InvalidProfile,
                format!(
                    "{which} is not JSON: {}",
                    strip_serde_position(&error.to_string())
                ),
            )
            .at(crate::error::Location {
                line: Some(line_u32(error.line())),
                column: Some(line_u32(error.column())),
                ..crate::error::Location::default()
            })),
        }
    };
    let mut chain = vec![parse(profile_json, "the profile")?];
    let mut bases = bases.iter();
    while let Some(wanted) = chain
        .last()
        .and_then(|profile| profile.get("extends"))
        .cloned()
    {
        let Value::String(wanted) = wanted else {
            return Err(Error::new(
                ErrorCode::InvalidProfile,
                "expected the id of a base profile",
            )
            .at_pointer("/extends"));
        };
        let ids: Vec<&str> = chain
            .iter()
            .map(|profile| profile.get("id").and_then(Value::as_str).unwrap_or(""))
            .collect();
        if ids.contains(&wanted.as_str()) {
            let cycle: Vec<String> = ids
                .iter()
                .chain(std::iter::once(&wanted.as_str()))
                .map(|id| format!("`{}`", crate::model::shorten(id)))
                .collect();
            return Err(Error::new(
                ErrorCode::InvalidProfile,
                format!(
                    "profiles extend each other in a cycle: {}",
                    cycle.join(" → ")
                ),
            )
            .at_pointer("/extends"));
        }
        if chain.len() > 8 {
            return Err(Error::new(
                ErrorCode::InvalidProfile,
                "profiles extend each other more than 8 levels deep",
            )
            .at_pointer("/extends"));
        }
        let Some(base_json) = bases.next() else {
            return Err(Error::new(
                ErrorCode::InvalidProfile,
                format!(
                    "base profile `{}` was not given",
                    crate::model::shorten(&wanted)
                ),
            )
            .at_pointer("/extends"));
        };
        let base = parse(base_json, "a base profile")?;
        if base.get("id").and_then(Value::as_str) != Some(wanted.as_str()) {
            return Err(Error::new(
                ErrorCode::InvalidProfile,
                format!(
                    "expected base profile `{}`, found `{}`",
                    crate::model::shorten(&wanted),
                    base.get("id").and_then(Value::as_str).unwrap_or("(no id)")
                ),
            )
            .at_pointer("/extends"));
        }
        chain.push(base);
    }
    let mut merged = Value::Object(chain.pop().unwrap_or_default());
    while let Some(child) = chain.pop() {
        merge_patch(&mut merged, Value::Object(child));
    }
    if let Value::Object(object) = &mut merged {
        object.remove("extends");
    }
    serde_json::to_string_pretty(&merged)
        .map_err(|error| Error::new(ErrorCode::InvalidProfile, error.to_string()))
}

/// RFC 7386 JSON merge patch.
fn merge_patch(target: &mut serde_json::Value, patch: serde_json::Value) {
    use serde_json::Value;
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(&key);
                } else {
                    merge_patch(target.entry(key).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch,
    }
}

/// What the Rust types cannot say in the schema: a profile that `extends` a base needs only
/// what it overrides (the merged profile is checked as a whole), and the target fields of
/// `mapping.fields` are those of the profile's protocol (OCI 5.0 fields only with
/// `"oci": {"version": "5.0"}`).
fn profile_schema_conditions(schema: &mut schemars::Schema) {
    use crate::mapping::targets::{
        CXML_ITEM_FIELDS, OCI_CUSTOMER_FIELD_PATTERN, OCI_ITEM_FIELDS, PEPPOL_ITEM_FIELDS,
    };
    use serde_json::json;
    let required = schema.remove("required").unwrap_or_else(|| json!([]));
    let fields_named = |names: serde_json::Value| json!({"properties": {"mapping": {"properties": {"fields": {"propertyNames": names}}}}});
    let oci5_only: serde_json::Map<String, serde_json::Value> = OCI_ITEM_FIELDS
        .iter()
        .filter(|target| target.oci5_only)
        .map(|target| (target.name.to_owned(), json!(false)))
        .collect();
    schema.insert(
        "allOf".into(),
        json!([
            {
                "if": {"required": ["extends"]},
                "then": {"required": ["extends", "id"]},
                "else": {
                    "required": required,
                    "properties": {"authentication": {"required": ["credentials"]}},
                    // A Peppol buyer sends no setup message: it needs no authentication, but
                    // its `peppol` section.
                    "if": {"properties": {"protocol": {"const": "peppol"}}, "required": ["protocol"]},
                    "then": {"required": ["peppol"]},
                    "else": {"required": ["authentication"]}
                }
            },
            {
                "if": {"properties": {"protocol": {"const": "cxml"}}, "required": ["protocol"]},
                "then": fields_named(json!({"enum": crate::mapping::target_field_names(CXML_ITEM_FIELDS)}))
            },
            {
                "if": {"properties": {"protocol": {"const": "oci"}}, "required": ["protocol"]},
                "then": fields_named(json!({"anyOf": [
                    {"enum": crate::mapping::target_field_names(OCI_ITEM_FIELDS)},
                    {"pattern": OCI_CUSTOMER_FIELD_PATTERN}
                ]}))
            },
            {
                "if": {
                    "properties": {
                        "protocol": {"const": "oci"},
                        "oci": {"not": {"properties": {"version": {"const": "5.0"}}, "required": ["version"]}}
                    },
                    "required": ["protocol"]
                },
                "then": {"properties": {"mapping": {"properties": {"fields": {"properties": oci5_only}}}}}
            },
            {
                "if": {"properties": {"protocol": {"const": "peppol"}}, "required": ["protocol"]},
                "then": fields_named(json!({"enum": crate::mapping::target_field_names(PEPPOL_ITEM_FIELDS)}))
            },
            {
                "if": {
                    "properties": {"peppol": {"properties": {"delivery": {"properties": {"mode": {"const": "form"}}, "required": ["mode"]}}, "required": ["delivery"]}},
                    "required": ["peppol"]
                },
                "then": {"properties": {"peppol": {"properties": {"delivery": {"required": ["field"]}}}}}
            }
        ]),
    );
}

/// The JSON Schema of buyer profiles, generated from the Rust types (committed as
/// `schema/buyer-profile.schema.json`; a test keeps it current).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ProfileDocument);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const PROFILE: &str = r#"{
        "id": "acme",
        "name": "ACME",
        "protocol": "cxml",
        "authentication": {
            "credentials": [{"domain": "NetworkID", "identity": "AN01000000001"}],
            "shared_secret": {"secret": "ACME_SECRET"}
        },
        "return_urls": ["https://procurement.example.com/punchout/"]
    }"#;

    fn secrets() -> Vec<ResolvedSecret> {
        vec![ResolvedSecret {
            name: "ACME_SECRET".into(),
            value: Secret::new("s3cr3t"),
        }]
    }

    #[test]
    fn compiles_and_never_shows_the_secret() {
        let profile = BuyerProfile::compile(PROFILE, &secrets()).unwrap();
        assert!(!format!("{profile:?}").contains("s3cr3t"));
        assert!(!profile.to_json().contains("s3cr3t"));
        let buyer = Credential {
            domain: "networkid".into(),
            identity: "AN01000000001".into(),
        };
        assert_eq!(profile.authenticate([&buyer], b"s3cr3t"), Some(&buyer));
        for wrong in [&b"s3cr3x"[..], b"", b"s3cr3t!", b"s3c"] {
            assert_eq!(profile.authenticate([&buyer], wrong), None);
        }
    }

    #[test]
    fn unknown_keys_are_located() {
        let json = PROFILE.replace("\"name\"", "\"nmae\"");
        let error = BuyerProfile::compile(&json, &secrets()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidProfile);
        assert!(error.message().contains("nmae"), "{error}");
        let json = PROFILE.replace("\"identity\": \"AN01000000001\"", "\"identity\": 7");
        let error = BuyerProfile::compile(&json, &secrets()).unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/authentication/credentials/0/identity")
        );
    }

    #[test]
    fn extends_merges_onto_the_base_and_keeps_pointers() {
        let base = PROFILE.replace("\"id\": \"acme\"", "\"id\": \"base\"");
        let child = r#"{"extends": "base", "id": "acme-plant-2", "name": "ACME plant 2",
            "return_urls": ["https://plant2.example.com/punchout/"], "defaults": {"language": "de"}}"#;
        let merged = resolve_extends(child, std::slice::from_ref(&base)).unwrap();
        let profile = BuyerProfile::compile(&merged, &secrets()).unwrap();
        assert_eq!(profile.id(), "acme-plant-2");
        assert_eq!(profile.defaults().language, "de");
        assert!(profile
            .check_return_url("https://plant2.example.com/punchout/x")
            .is_ok());
        assert!(profile
            .check_return_url("https://procurement.example.com/punchout/x")
            .is_err());
        let buyer = Credential {
            domain: "NetworkID".into(),
            identity: "AN01000000001".into(),
        };
        assert!(profile.authenticate([&buyer], b"s3cr3t").is_some());
        let error = resolve_extends(child, &[]).unwrap_err();
        assert_eq!(error.location().pointer.as_deref(), Some("/extends"));
        let error = resolve_extends(child, &[PROFILE.to_owned()]).unwrap_err();
        assert!(error
            .message()
            .contains("expected base profile `base`, found `acme`"));
        let looping = r#"{"extends": "acme-plant-2", "id": "base"}"#;
        let error = resolve_extends(child, &[looping.to_owned(), child.to_owned()]).unwrap_err();
        assert_eq!(
            error.message(),
            "profiles extend each other in a cycle: `acme-plant-2` → `base` → `acme-plant-2`"
        );
        assert_eq!(error.location().pointer.as_deref(), Some("/extends"));
        let unresolved = BuyerProfile::compile(
            &PROFILE.replacen('{', "{\"extends\": \"base\",", 1),
            &secrets(),
        )
        .unwrap_err();
        assert_eq!(unresolved.location().pointer.as_deref(), Some("/extends"));
    }

    #[test]
    fn unresolved_secret_is_located() {
        let error = BuyerProfile::compile(PROFILE, &[]).unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/authentication/shared_secret/secret")
        );
    }

    #[test]
    fn return_urls_are_checked_by_scheme_host_port_and_path() {
        let profile = BuyerProfile::compile(PROFILE, &secrets()).unwrap();
        let allowed = "https://procurement.example.com/punchout/return?sap-client=100&x=%2F";
        assert_eq!(profile.check_return_url(allowed).unwrap(), allowed);
        for hostile in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "\tjavascript:alert(1)",
            "data:text/html,hi",
            "vbscript:msgbox",
            "//evil.example/punchout/",
            "https://evil.example/punchout/",
            "https://procurement.example.com.evil.com/punchout/",
            "https://procurement.example.com@evil.com/punchout/",
            "https://user@procurement.example.com/punchout/",
            "http://procurement.example.com/punchout/",
            "https://procurement.example.com:8443/punchout/",
            "https://procurement.example.com/other/",
            "https://procurement.example.com/punchoutx",
            " https://procurement.example.com/punchout/",
        ] {
            let error = profile.check_return_url(hostile).unwrap_err();
            assert_eq!(error.code(), ErrorCode::ReturnUrlNotAllowed, "{hostile:?}");
        }
    }

    const OCI_USERS: &str = r#"{
        "id": "srm", "name": "SRM", "protocol": "oci",
        "authentication": {
            "credentials": [
                {"domain": "oci", "identity": "buyer1", "secret": {"secret": "BUYER1_PW"}},
                {"domain": "oci", "identity": "buyer2"}
            ],
            "shared_secret": {"secret": "SHARED_PW"}
        },
        "return_urls": ["https://srm.example/sap/"],
        "mapping": {"units": {"default": "PCE"}}
    }"#;

    fn resolved(pairs: &[(&str, &str)]) -> Vec<ResolvedSecret> {
        pairs
            .iter()
            .map(|(name, value)| ResolvedSecret {
                name: (*name).into(),
                value: Secret::new(*value),
            })
            .collect()
    }

    fn oci_user(identity: &str) -> Credential {
        Credential {
            domain: "oci".into(),
            identity: identity.into(),
        }
    }

    #[test]
    fn each_credential_may_have_its_own_secret_else_the_shared_one() {
        let profile = BuyerProfile::compile(
            OCI_USERS,
            &resolved(&[("BUYER1_PW", "pw-of-buyer-1"), ("SHARED_PW", "shared")]),
        )
        .unwrap();
        let (buyer1, buyer2) = (oci_user("buyer1"), oci_user("buyer2"));
        assert!(profile.authenticate([&buyer1], b"pw-of-buyer-1").is_some());
        assert!(profile.authenticate([&buyer1], b"shared").is_none());
        assert!(profile.authenticate([&buyer2], b"shared").is_some());
        assert!(profile.authenticate([&buyer2], b"pw-of-buyer-1").is_none());
        assert!(profile
            .authenticate([&oci_user("buyer3")], b"shared")
            .is_none());
        assert!(!format!("{profile:?}").contains("pw-of-buyer-1"));
        // An unresolved credential secret is located at its reference.
        let error =
            BuyerProfile::compile(OCI_USERS, &resolved(&[("SHARED_PW", "shared")])).unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/authentication/credentials/0/secret/secret")
        );
    }

    #[test]
    fn a_credential_without_any_secret_is_refused() {
        let json = OCI_USERS.replace(
            r#""shared_secret": {"secret": "SHARED_PW"}"#,
            r#""shared_secret": null"#,
        );
        let error = BuyerProfile::compile(&json, &resolved(&[("BUYER1_PW", "one")])).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidProfile);
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/authentication/credentials/1")
        );
        assert_eq!(
            error.message(),
            "credential `buyer2` has no secret: give it `\"secret\": {\"secret\": \"NAME\"}` or set `authentication.shared_secret`"
        );
    }

    #[test]
    fn return_url_entries_that_never_match_are_refused_with_a_hint() {
        for (entry, expected) in [
            (
                "https://*.buyer.example/",
                "return URL `https://*.buyer.example/` has a `*`, but entries are matched literally (no wildcards), so it never matches: list each host",
            ),
            (
                "https://punchout@buyer.example/",
                "return URL `https://punchout@buyer.example/` has a user name, which never matches",
            ),
        ] {
            let json = PROFILE.replace("https://procurement.example.com/punchout/", entry);
            let error = BuyerProfile::compile(&json, &secrets()).unwrap_err();
            assert_eq!(error.location().pointer.as_deref(), Some("/return_urls/0"));
            assert!(error.message().starts_with(expected), "{}", error.message());
        }
        assert!(
            return_url_entry_warning("https://buyer.example/p?client=100")
                .unwrap()
                .ends_with("write `https://buyer.example/p`")
        );
        assert!(return_url_entry_warning("http://buyer.example/p")
            .unwrap()
            .contains("write `https://buyer.example/p`"));
        assert_eq!(return_url_entry_warning("https://buyer.example/p"), None);
    }

    #[test]
    fn a_refused_return_url_is_shown_whole_with_what_is_allowed() {
        let profile = BuyerProfile::compile(PROFILE, &secrets()).unwrap();
        // Longer than the 64 bytes the message used to keep.
        let refused = format!("https://procurement.example.com/other/{}", "x".repeat(100));
        let error = profile.check_return_url(&refused).unwrap_err();
        assert_eq!(
            error.message(),
            format!("return URL `{refused}` is not among the buyer's allowed return URLs: expected the scheme, host, port and a path under one of `https://procurement.example.com/punchout/`")
        );
        let huge = format!("https://evil.example/{}", "y".repeat(1000));
        let message = profile
            .check_return_url(&huge)
            .unwrap_err()
            .message()
            .to_owned();
        assert!(
            message.contains(&format!("{}… (1021 bytes in all)", &huge[..512])),
            "{message}"
        );
    }

    #[test]
    fn units_default_may_name_the_shops_own_unit() {
        let json = PROFILE.replace(
            r#""return_urls""#,
            r#""mapping": {"units": {"default": "piece", "map": {"piece": "C62"}}}, "return_urls""#,
        );
        assert!(BuyerProfile::compile(&json, &secrets()).is_ok());
        let unknown = json.replace(r#""default": "piece""#, r#""default": "Stk""#);
        let error = BuyerProfile::compile(&unknown, &secrets()).unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/mapping/units/default")
        );
    }
    #[test]
    fn an_inline_secret_is_never_quoted_in_the_profile_error() {
        let json = r#"{"id": "acme", "protocol": "cxml",
            "authentication": {"credentials": [{"domain": "NetworkID", "identity": "AN1"}],
                               "shared_secret": "s3cr3t-value"},
            "return_urls": ["https://buyer.example/return"]}"#;
        let error = BuyerProfile::compile(json, &[]).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidProfile);
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/authentication/shared_secret")
        );
        assert!(!error.message().contains("s3cr3t"), "{}", error.message());
        assert!(error.message().starts_with("expected a secret reference"));
    }
}
