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
        ErrorCode::InvalidProfile | ErrorCode::InvalidCart | ErrorCode::InvalidSession => {
            (500, "Internal Server Error")
        }
        ErrorCode::MalformedXml
        | ErrorCode::ForbiddenXml
        | ErrorCode::UnsupportedEncoding
        | ErrorCode::LimitExceeded
        | ErrorCode::InvalidDocument
        | ErrorCode::InvalidValue => (400, "Bad Request"),
    }
}

/// Writes the `Response` for a refused request. Problems on the shop's side (its profile, cart
/// or session) are not described to the buyer.
pub fn error_response(error: &Error, envelope: &Envelope) -> String {
    let (code, text) = status_for(error.code());
    let detail = if code == 500 {
        "the supplier could not process the request".to_owned()
    } else {
        error.to_string()
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
