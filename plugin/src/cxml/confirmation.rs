//! The `ConfirmationRequest`: the shop's answer to an order (accepted, rejected, or line by line
//! with changes, backorders and delivery dates), written from the order the engine read and the
//! shop's [`Confirmation`].
//!
//! Each confirmed order line becomes one `ConfirmationItem` with the ordered quantity and unit,
//! and each of its portions a `ConfirmationStatus` (`changed` is cXML's `detail`, with the new
//! `UnitPrice` and `deliveryDate`). The document validates against `Fulfill.dtd`.

use crate::decimal_text::push_decimal;
use crate::error::Result;
use crate::model::{format_quantity, Envelope};
use crate::order::fulfilment::{Confirmation, LineStatus};
use crate::order::PurchaseOrder;
use crate::profile::BuyerProfile;
use crate::xml::XmlWriter;

use super::{close_order_request, open_order_request, order_sender, write_order_reference};

/// Writes the `ConfirmationRequest` for an order.
///
/// # Errors
/// `unsupported-operation` for an OCI profile; `invalid-value` when the order is another buyer's
/// (`/buyer_id`, `/buyer`) and for every refusal of [`Confirmation::check`], located by a JSON
/// pointer into the confirmation; `limit-exceeded` at `/lines`. Nothing is written then.
pub fn confirmation_request(
    profile: &BuyerProfile,
    order: &PurchaseOrder,
    confirmation: &Confirmation,
    envelope: &Envelope,
) -> Result<String> {
    let sender = order_sender(profile, order)?;
    let checked = confirmation.check(order, &profile.limits())?;
    let language = profile.defaults().language.as_str();

    let mut writer = XmlWriter::with_capacity(
        confirmation
            .lines
            .len()
            .saturating_mul(400)
            .saturating_add(2048),
    );
    open_order_request(&mut writer, envelope, super::FULFILL_DTD, &sender, order);
    writer.open("ConfirmationRequest", &[]);
    let header = [
        ("type", confirmation.kind.as_str()),
        ("noticeDate", confirmation.notice_date.as_str()),
        ("confirmID", confirmation.confirm_id.as_str()),
        ("operation", "new"),
    ];
    match &confirmation.comments {
        Some(comments) => {
            writer.open("ConfirmationHeader", &header);
            writer.leaf("Comments", &[("xml:lang", language)], comments);
            writer.close("ConfirmationHeader");
        }
        None => writer.empty("ConfirmationHeader", &header),
    }
    write_order_reference(&mut writer, order);
    let mut number = String::new();
    for item in &checked.items {
        let line = item.order_line;
        let line_number = line.line_number.to_string();
        writer.open(
            "ConfirmationItem",
            &[
                ("quantity", line.quantity.as_str()),
                ("lineNumber", &line_number),
            ],
        );
        writer.leaf("UnitOfMeasure", &[], &line.unit);
        for portion in &item.portions {
            let quantity = format_quantity(portion.quantity);
            let mut attributes = vec![
                ("quantity", quantity.as_str()),
                ("type", status_type(portion.line.status)),
            ];
            if let Some(date) = &portion.line.shipment_date {
                attributes.push(("shipmentDate", date));
            }
            if let Some(date) = &portion.line.delivery_date {
                attributes.push(("deliveryDate", date));
            }
            writer.open("ConfirmationStatus", &attributes);
            writer.leaf("UnitOfMeasure", &[], &line.unit);
            if let (Some(price), Some(currency)) = (portion.unit_price, item.currency) {
                number.clear();
                push_decimal(&mut number, price, currency.minor_units());
                writer.open("UnitPrice", &[]);
                writer.leaf("Money", &[("currency", currency.code())], &number);
                writer.close("UnitPrice");
            }
            if let Some(comments) = &portion.line.comments {
                writer.leaf("Comments", &[("xml:lang", language)], comments);
            }
            writer.close("ConfirmationStatus");
        }
        writer.close("ConfirmationItem");
    }
    writer.close("ConfirmationRequest");
    close_order_request(&mut writer);
    Ok(writer.finish())
}

/// cXML's `ConfirmationStatus/@type`: a change is `detail`.
fn status_type(status: LineStatus) -> &'static str {
    match status {
        LineStatus::Accept => "accept",
        LineStatus::Reject => "reject",
        LineStatus::Backordered => "backordered",
        LineStatus::Changed => "detail",
    }
}
