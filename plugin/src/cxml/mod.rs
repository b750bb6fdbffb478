//! cXML PunchOut: [`setup`] reads and answers a `PunchOutSetupRequest`, [`order_message`] writes
//! and reads the `PunchOutOrderMessage`, [`form`] wraps it in the browser form that returns it,
//! [`order_request`] reads the buyer's `OrderRequest` into a protocol-neutral
//! [`PurchaseOrder`](crate::order::PurchaseOrder) and accepts it, and [`status`] answers a
//! refused request. After the order: [`confirmation`] writes the `ConfirmationRequest`,
//! [`ship_notice`] the `ShipNoticeRequest` and [`invoice`] the `InvoiceDetailRequest`, from the
//! order the engine read and the shop's data ([`crate::order::fulfilment`]).
//!
//! Every document is written with [`crate::xml::XmlWriter`] in the DTD's element order and
//! validates against cXML 1.2.069 (checked with xmllint in the tests): `cXML.dtd`, `Fulfill.dtd`
//! for confirmations and ship notices, `InvoiceDetail.dtd` for invoices.

pub mod confirmation;
pub mod form;
pub mod invoice;
pub mod order_message;
pub mod order_request;
pub mod setup;
pub mod ship_notice;
pub mod status;

#[cfg(test)]
mod tests;

use crate::model::{Credential, Envelope};
use crate::order::PurchaseOrder;
use crate::profile::BuyerProfile;
use crate::xml::{Element, XmlWriter};

/// The cXML version the engine writes.
pub const CXML_VERSION: &str = "1.2.069";

/// The DTD named in the DOCTYPE of every document the engine writes (never fetched).
pub const CXML_DTD: &str = "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd";

/// The DTD of `ConfirmationRequest` and `ShipNoticeRequest` documents (never fetched).
pub const FULFILL_DTD: &str = "http://xml.cxml.org/schemas/cXML/1.2.069/Fulfill.dtd";

/// The DTD of `InvoiceDetailRequest` documents (never fetched).
pub const INVOICE_DTD: &str = "http://xml.cxml.org/schemas/cXML/1.2.069/InvoiceDetail.dtd";

/// The `UserAgent` when the profile names none.
pub const DEFAULT_USER_AGENT: &str = "PunchOut engine 0.1";

/// Starts a cXML document: declaration, DOCTYPE and the open `cXML` element.
fn open_document(writer: &mut XmlWriter, envelope: &Envelope) {
    open_document_of(writer, envelope, CXML_DTD);
}

/// Starts a cXML document whose DOCTYPE names `dtd`.
fn open_document_of(writer: &mut XmlWriter, envelope: &Envelope, dtd: &str) {
    writer.declaration();
    writer.doctype("cXML", dtd);
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

/// The shop's own request about an order, up to the open request element: the document, a
/// `Header` from the shop (`order.supplier`) to the buyer (`order.buyer`) whose `Sender` carries
/// the shared secret, and `<Request>`.
fn open_order_request(
    writer: &mut XmlWriter,
    envelope: &Envelope,
    dtd: &str,
    sender: &OrderSender<'_>,
    order: &PurchaseOrder,
) {
    open_document_of(writer, envelope, dtd);
    writer.open("Header", &[]);
    for (name, credential) in [("From", &order.supplier), ("To", &order.buyer)] {
        writer.open(name, &[]);
        write_credential(writer, credential);
        writer.close(name);
    }
    writer.open("Sender", &[]);
    writer.open("Credential", &[("domain", &order.supplier.domain)]);
    writer.leaf("Identity", &[], &order.supplier.identity);
    writer.leaf("SharedSecret", &[], sender.secret);
    writer.close("Credential");
    writer.leaf("UserAgent", &[], sender.user_agent);
    writer.close("Sender");
    writer.close("Header");
    writer.open("Request", &[]);
}

/// Closes what [`open_order_request`] opened.
fn close_order_request(writer: &mut XmlWriter) {
    writer.close("Request");
    writer.close("cXML");
}

/// `OrderReference` to the order: its `orderID`, `orderDate` and the `payloadID` it came in.
fn write_order_reference(writer: &mut XmlWriter, order: &PurchaseOrder) {
    writer.open(
        "OrderReference",
        &[
            ("orderID", &order.order_id),
            ("orderDate", &order.order_date),
        ],
    );
    writer.empty("DocumentReference", &[("payloadID", &order.payload_id)]);
    writer.close("OrderReference");
}

/// Who sends the shop's documents about an order, and with which secret.
struct OrderSender<'p> {
    secret: &'p str,
    user_agent: &'p str,
}

/// Checks that the profile speaks cXML and that the order is this buyer's, and finds the secret
/// the shop's documents carry: the one the buyer authenticates with under the order's `From`
/// credential.
///
/// # Errors
/// `unsupported-operation` for an OCI profile; `invalid-value` at `/buyer_id` when the order was
/// read for another profile, at `/buyer` when no credential of the profile identifies the order's
/// buyer; `invalid-profile` when the secret is not UTF-8 text (never shown).
fn order_sender<'p>(
    profile: &'p BuyerProfile,
    order: &PurchaseOrder,
) -> crate::error::Result<OrderSender<'p>> {
    use crate::error::{Error, ErrorCode};
    expect_cxml_profile(profile)?;
    if order.buyer_id != profile.id() {
        return Err(Error::new(
            ErrorCode::InvalidOrder,
            format!(
                "the order belongs to buyer `{}`, not to `{}`",
                crate::model::shorten(&order.buyer_id),
                profile.id()
            ),
        )
        .at_pointer("/buyer_id"));
    }
    let secret = profile.secret_for(&order.buyer).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidOrder,
            format!(
                "the order's buyer credential `{}` (domain `{}`) is not one of buyer `{}`'s credentials",
                crate::model::shorten(&order.buyer.identity),
                crate::model::shorten(&order.buyer.domain),
                profile.id()
            ),
        )
        .at_pointer("/buyer")
    })?;
    let secret = std::str::from_utf8(secret.expose()).map_err(|_| {
        Error::new(
            ErrorCode::InvalidProfile,
            format!(
                "the secret of buyer `{}` is not UTF-8 text and cannot be sent in a cXML `SharedSecret`",
                profile.id()
            ),
        )
        .at_pointer("/authentication")
    })?;
    Ok(OrderSender {
        secret,
        user_agent: profile
            .cxml()
            .user_agent
            .as_deref()
            .unwrap_or(DEFAULT_USER_AGENT),
    })
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
        other => Err(crate::error::Error::new(
            crate::error::ErrorCode::UnsupportedOperation,
            format!(
                "buyer `{}` speaks {}, not cXML",
                profile.id(),
                other.display_name()
            ),
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
