//! cXML PunchOut: [`setup`] reads and answers a `PunchOutSetupRequest`, [`order_message`] writes
//! and reads the `PunchOutOrderMessage`, [`form`] wraps it in the browser form that returns it,
//! [`order_request`] reads the buyer's `OrderRequest` into a protocol-neutral
//! [`PurchaseOrder`](crate::order::PurchaseOrder) and accepts it, and [`status`] answers a
//! refused request.
//!
//! Every document is written with [`crate::xml::XmlWriter`] in the DTD's element order and
//! validates against cXML 1.2.069 (checked with xmllint in the tests).

pub mod form;
pub mod order_message;
pub mod order_request;
pub mod setup;
pub mod status;

#[cfg(test)]
mod tests;

use crate::model::{Credential, Envelope};
use crate::xml::{Element, XmlWriter};

/// The cXML version the engine writes.
pub const CXML_VERSION: &str = "1.2.069";

/// The DTD named in the DOCTYPE of every document the engine writes (never fetched).
pub const CXML_DTD: &str = "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd";

/// The `UserAgent` when the profile names none.
pub const DEFAULT_USER_AGENT: &str = "PunchOut engine 0.1";

/// Starts a cXML document: declaration, DOCTYPE and the open `cXML` element.
fn open_document(writer: &mut XmlWriter, envelope: &Envelope) {
    writer.declaration();
    writer.doctype("cXML", CXML_DTD);
    writer.open(
        "cXML",
        &[
            ("version", CXML_VERSION),
            ("payloadID", &envelope.payload_id),
            ("timestamp", &envelope.timestamp),
            ("xml:lang", "en-US"),
        ],
    );
}

/// Writes a `Header` whose `From` and `Sender` are the shop and whose `To` is the buyer.
fn write_header(writer: &mut XmlWriter, shop: &Credential, buyer: &Credential, user_agent: &str) {
    writer.open("Header", &[]);
    for (name, credential) in [("From", shop), ("To", buyer)] {
        writer.open(name, &[]);
        write_credential(writer, credential);
        writer.close(name);
    }
    writer.open("Sender", &[]);
    write_credential(writer, shop);
    writer.leaf("UserAgent", &[], user_agent);
    writer.close("Sender");
    writer.close("Header");
}

fn write_credential(writer: &mut XmlWriter, credential: &Credential) {
    writer.open("Credential", &[("domain", &credential.domain)]);
    writer.leaf("Identity", &[], &credential.identity);
    writer.close("Credential");
}

/// Reads a `Credential` element (domain attribute, `Identity` text without the XML whitespace
/// around it: cXML documents are often pretty-printed).
fn read_credential(element: &Element) -> crate::error::Result<Credential> {
    Ok(Credential {
        domain: element.required_attribute("domain")?.to_owned(),
        identity: element.required_child("Identity")?.trimmed_text(),
    })
}

/// Refuses a profile of another protocol before anything is read, so that a host that mixes up
/// its profiles is told so instead of seeing an authentication failure.
///
/// # Errors
/// `unsupported-operation`: ``buyer `X` speaks OCI, not cXML``.
pub(crate) fn expect_cxml_profile(
    profile: &crate::profile::BuyerProfile,
) -> crate::error::Result<()> {
    match profile.document().protocol {
        crate::profile::Protocol::Cxml => Ok(()),
        crate::profile::Protocol::Oci => Err(crate::error::Error::new(
            crate::error::ErrorCode::UnsupportedOperation,
            format!("buyer `{}` speaks OCI, not cXML", profile.id()),
        )),
    }
}

/// Checks that a document's root is `cXML` and returns it.
fn expect_cxml_root(root: &Element) -> crate::error::Result<&Element> {
    if root.name() == "cXML" {
        Ok(root)
    } else {
        Err(root.invalid(format!("expected `cXML`, found `{}`", root.name())))
    }
}

/// The only child element of `parent`, which must be named `expected`.
fn expect_only_child<'a>(parent: &'a Element, expected: &str) -> crate::error::Result<&'a Element> {
    let mut elements = parent.elements();
    let Some(first) = elements.next() else {
        return Err(parent.invalid(format!(
            "missing element `{expected}` in `{}`",
            parent.name()
        )));
    };
    if first.name() != expected {
        return Err(parent.invalid(format!(
            "expected `{expected}`, found `{}` in `{}`",
            first.name(),
            parent.name()
        )));
    }
    if let Some(extra) = elements.next() {
        return Err(extra.invalid(format!("unexpected `{}` after `{expected}`", extra.name())));
    }
    Ok(first)
}
