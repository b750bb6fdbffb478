//! The one error type of the engine: a stable [`ErrorCode`], a human message and a [`Location`].
//!
//! Errors are data: they cross the component boundary as the WIT `error` record and are rendered as
//! JSON by the CLI. Messages follow one style: lowercase, no trailing period, the offending token in
//! backticks, expected versus found. They never contain a secret.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What went wrong, as a stable code that hosts can match on.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The document is not well-formed XML (or not valid UTF-8 / Latin-1 text).
    MalformedXml,
    /// The document uses an XML feature the engine refuses: an internal DTD subset, an entity
    /// declaration, an undeclared entity, a forbidden character reference.
    ForbiddenXml,
    /// The document declares an encoding other than UTF-8, ISO-8859-1 or windows-1252.
    UnsupportedEncoding,
    /// A size, depth, count or length limit was exceeded: an XML limit
    /// ([`crate::xml::XmlLimits`]) or an input budget ([`crate::limits::InputLimits`]), named in
    /// the message with its value.
    LimitExceeded,
    /// The document is well-formed but not the expected document: wrong root, missing or repeated
    /// element, unknown version.
    InvalidDocument,
    /// A value has the wrong format (a decimal, a currency code, a URL).
    InvalidValue,
    /// [`crate::cxml::setup::identify`]: no buyer profile recognises any `From` credential. For
    /// the shop's log: [`crate::cxml::status::error_response`] answers it exactly like
    /// [`ErrorCode::AuthenticationFailed`].
    UnknownBuyer,
    /// The request did not authenticate against the buyer profile: an unrecognised `From`, a
    /// `Sender` the profile does not accept, a wrong or missing secret, an unknown OCI user or a
    /// wrong password, all as one error.
    AuthenticationFailed,
    /// The return URL (BrowserFormPost URL, HOOK_URL) is not allowed by the buyer profile, or a
    /// `HOOK_URL` query parameter has a name the cart form reserves
    /// ([`crate::oci::form_safety`]).
    ReturnUrlNotAllowed,
    /// The requested operation is not supported for this buyer, or the buyer speaks the other
    /// protocol.
    UnsupportedOperation,
    /// The buyer profile is invalid.
    InvalidProfile,
    /// The cart handed in by the shop is invalid.
    InvalidCart,
    /// The session handed in by the shop is invalid.
    InvalidSession,
    /// The order or the shop's fulfilment data (confirmation, ship notice, invoice) handed in by
    /// the shop is invalid, or does not fit the order (a line it does not have, more shipped
    /// than ordered).
    InvalidOrder,
}

impl ErrorCode {
    /// The kebab-case name used in JSON and in the WIT `error-code` enum.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedXml => "malformed-xml",
            ErrorCode::ForbiddenXml => "forbidden-xml",
            ErrorCode::UnsupportedEncoding => "unsupported-encoding",
            ErrorCode::LimitExceeded => "limit-exceeded",
            ErrorCode::InvalidDocument => "invalid-document",
            ErrorCode::InvalidValue => "invalid-value",
            ErrorCode::UnknownBuyer => "unknown-buyer",
            ErrorCode::AuthenticationFailed => "authentication-failed",
            ErrorCode::ReturnUrlNotAllowed => "return-url-not-allowed",
            ErrorCode::UnsupportedOperation => "unsupported-operation",
            ErrorCode::InvalidProfile => "invalid-profile",
            ErrorCode::InvalidCart => "invalid-cart",
            ErrorCode::InvalidSession => "invalid-session",
            ErrorCode::InvalidOrder => "invalid-order",
        }
    }
}

/// Where an error was found. Every part is optional; at least one is set whenever the input has a
/// structure to point into.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// 1-based line in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in bytes) in the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Element path such as `/cXML/Request/PunchOutSetupRequest/BrowserFormPost/URL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A form or call-up field name such as `HOOK_URL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A JSON pointer into a profile, cart or session, such as `/lines/3/quantity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    /// A location in a document: line, column and element path.
    pub fn in_document(line: u32, column: u32, path: impl Into<String>) -> Self {
        Location {
            line: Some(line),
            column: Some(column),
            path: Some(path.into()),
            ..Location::default()
        }
    }

    /// A location given by an element path only.
    pub fn at_path(path: impl Into<String>) -> Self {
        Location {
            path: Some(path.into()),
            ..Location::default()
        }
    }

    /// A location given by a JSON pointer.
    pub fn at_pointer(pointer: impl Into<String>) -> Self {
        Location {
            pointer: Some(pointer.into()),
            ..Location::default()
        }
    }

    /// A location given by a form or call-up field name.
    pub fn at_field(field: impl Into<String>) -> Self {
        Location {
            field: Some(field.into()),
            ..Location::default()
        }
    }

    fn is_empty(&self) -> bool {
        *self == Location::default()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(path) = &self.path {
            parts.push(path.clone());
        }
        if let Some(pointer) = &self.pointer {
            parts.push(format!("JSON pointer `{pointer}`"));
        }
        if let Some(field) = &self.field {
            parts.push(format!("field `{field}`"));
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            parts.push(format!("line {line}, column {column}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// A refused input: what was wrong and where. Cheap to clone, never holds a secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    code: ErrorCode,
    message: String,
    #[serde(default)]
    location: Location,
}

impl Error {
    /// An error with a code and a message, at no particular location.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            location: Location::default(),
        }
    }

    /// The same error, located.
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// The same error, located by a JSON pointer.
    pub fn at_pointer(self, pointer: impl Into<String>) -> Self {
        self.at(Location::at_pointer(pointer))
    }

    /// The same error, located by a field name.
    pub fn at_field(self, field: impl Into<String>) -> Self {
        self.at(Location::at_field(field))
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human message (not normative; match on [`Error::code`]).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the error was found.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Rebuilds an error from its parts, as received from the component boundary.
    pub fn from_parts(code: ErrorCode, message: String, location: Location) -> Self {
        Error {
            code,
            message,
            location,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.code.as_str(), self)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.location.is_empty() {
            write!(f, " at {}", self.location)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
