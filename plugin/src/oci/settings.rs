//! The profile's optional `oci` section: OCI version, call-up parameter names and the charset of
//! pages when the call-up names none.

use serde::{Deserialize, Serialize};

/// The OCI release a buyer's system speaks.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum OciVersion {
    /// OCI 4.0 (SAP SRM 4.0 and later, most OCI clones).
    #[default]
    #[serde(rename = "4.0")]
    V4,
    /// OCI 5.0: adds `ITEM_TYPE`/`PARENT_ID`, `DETAILADD` and `QUANTITYCHECK`.
    #[serde(rename = "5.0")]
    V5,
}

impl OciVersion {
    /// `4.0` or `5.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            OciVersion::V4 => "4.0",
            OciVersion::V5 => "5.0",
        }
    }

    /// Reads `4.0` or `5.0`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "4.0" => Some(OciVersion::V4),
            "5.0" => Some(OciVersion::V5),
            _ => None,
        }
    }
}

/// The charset of the pages the engine returns to the buyer's browser.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum OciCharset {
    /// UTF-8.
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// ISO-8859-1, written as windows-1252 (what browsers do for this label); characters outside
    /// it are transliterated or replaced by `?` (see [`super::latin1`]).
    #[serde(rename = "iso-8859-1")]
    Latin1,
}

impl OciCharset {
    /// The label written in `<meta charset>` and the `Content-Type`.
    pub fn as_str(self) -> &'static str {
        match self {
            OciCharset::Utf8 => "utf-8",
            OciCharset::Latin1 => "iso-8859-1",
        }
    }

    /// Reads an `http_content_charset` label (ASCII case-insensitive): `utf-8`, `utf8`,
    /// `iso-8859-1`, `latin1`, `windows-1252`, `cp1252`.
    pub fn parse(label: &str) -> Option<Self> {
        let label = label.trim().to_ascii_lowercase();
        match label.as_str() {
            "utf-8" | "utf8" => Some(OciCharset::Utf8),
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252" => {
                Some(OciCharset::Latin1)
            }
            _ => None,
        }
    }
}

/// The profile's `oci` section. Every key is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OciSettings {
    /// The OCI release of the buyer's system (`4.0` or `5.0`); 5.0 enables `ITEM_TYPE`,
    /// `PARENT_ID`, `DETAILADD` and `QUANTITYCHECK`.
    #[serde(default)]
    pub version: OciVersion,
    /// The call-up parameter that carries the user name (OCI leaves it to the catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_parameter: Option<String>,
    /// The call-up parameter that carries the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_parameter: Option<String>,
    /// The call-up parameter that carries the return URL (`HOOK_URL`; SAP's own catalogs used
    /// `MM_HOOK_URL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook_url_parameter: Option<String>,
    /// The charset of pages when the call-up has no `http_content_charset`.
    #[serde(default)]
    pub charset_default: OciCharset,
}

impl OciSettings {
    pub fn username_parameter(&self) -> &str {
        self.username_parameter.as_deref().unwrap_or("USERNAME")
    }

    pub fn password_parameter(&self) -> &str {
        self.password_parameter.as_deref().unwrap_or("PASSWORD")
    }

    pub fn hook_url_parameter(&self) -> &str {
        self.hook_url_parameter.as_deref().unwrap_or("HOOK_URL")
    }
}
