//! The cXML `Response` that answers a refused request with the matching `Status`.

use crate::error::{Error, ErrorCode};
use crate::model::Envelope;
use crate::xml::XmlWriter;

use super::open_document;

/// The cXML status code and text for an error.
pub fn status_for(code: ErrorCode) -> (u16, &'static str) {
    match code {
        ErrorCode::UnknownBuyer | ErrorCode::AuthenticationFailed => (401, "Unauthorized"),
        ErrorCode::ReturnUrlNotAllowed => (403, "Forbidden"),
        ErrorCode::UnsupportedOperation => (406, "Not Acceptable"),
        ErrorCode::InvalidProfile
        | ErrorCode::InvalidCart
        | ErrorCode::InvalidSession
        | ErrorCode::InvalidOrder => (500, "Internal Server Error"),
        ErrorCode::MalformedXml
        | ErrorCode::ForbiddenXml
        | ErrorCode::UnsupportedEncoding
        | ErrorCode::LimitExceeded
        | ErrorCode::InvalidDocument
        | ErrorCode::InvalidValue => (400, "Bad Request"),
    }
}

/// What the buyer reads for every refused authentication, whatever its cause.
pub const UNAUTHORIZED_DETAIL: &str = "the sender's credentials were not accepted";

/// Writes the `Response` for a refused request. Problems on the shop's side (its profile, cart
/// or session) are not described to the buyer. Every authentication failure (`unknown-buyer`
/// and `authentication-failed`: an unknown `From`, a foreign `Sender`, a wrong or missing
/// secret) is the same 401 with the same text and no location, so that a caller cannot
/// enumerate the shop's buyers; the error itself, with its precise code and location, is for
/// the shop's log.
pub fn error_response(error: &Error, envelope: &Envelope) -> String {
    let (code, text) = status_for(error.code());
    let detail = match code {
        500 => "the supplier could not process the request".to_owned(),
        401 => UNAUTHORIZED_DETAIL.to_owned(),
        _ => error.to_string(),
    };
    let mut writer = XmlWriter::with_capacity(512);
    open_document(&mut writer, envelope);
    writer.open("Response", &[]);
    writer.leaf(
        "Status",
        &[
            ("code", &code.to_string()),
            ("text", text),
            ("xml:lang", "en"),
        ],
        &detail,
    );
    writer.close("Response");
    writer.close("cXML");
    writer.finish()
}
