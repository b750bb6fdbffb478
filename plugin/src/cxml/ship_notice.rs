//! The `ShipNoticeRequest`: what left the shop for an order, with the carrier and tracking
//! number, written from the order the engine read and the shop's [`ShipNotice`].
//!
//! One `ShipNoticeItem` per shipped portion, with the order line's part number and unit; a
//! partial shipment says so in `fulfillmentType`. The document validates against `Fulfill.dtd`.

use crate::error::Result;
use crate::model::{format_quantity, Envelope};
use crate::order::fulfilment::ShipNotice;
use crate::order::PurchaseOrder;
use crate::profile::BuyerProfile;
use crate::xml::XmlWriter;

use super::{close_order_request, open_order_request, order_sender, write_order_reference};

/// Writes the `ShipNoticeRequest` for a shipment of an order.
///
/// # Errors
/// `unsupported-operation` for an OCI profile; `invalid-value` when the order is another buyer's
/// (`/buyer_id`, `/buyer`) and for every refusal of [`ShipNotice::check`] (more shipped than
/// ordered, a line the order does not have, a quantity not above zero...), located by a JSON
/// pointer into the notice; `limit-exceeded` at `/lines`. Nothing is written then.
pub fn ship_notice_request(
    profile: &BuyerProfile,
    order: &PurchaseOrder,
    notice: &ShipNotice,
    envelope: &Envelope,
) -> Result<String> {
    let sender = order_sender(profile, order)?;
    let checked = notice.check(order, &profile.limits())?;
    let language = profile.defaults().language.as_str();

    let mut writer =
        XmlWriter::with_capacity(notice.lines.len().saturating_mul(300).saturating_add(2048));
    open_order_request(&mut writer, envelope, super::FULFILL_DTD, &sender, order);
    writer.open("ShipNoticeRequest", &[]);
    let mut header = vec![
        ("shipmentID", notice.shipment_id.as_str()),
        ("noticeDate", notice.notice_date.as_str()),
        ("shipmentDate", notice.shipment_date.as_str()),
    ];
    if let Some(date) = &notice.delivery_date {
        header.push(("deliveryDate", date));
    }
    header.extend([
        ("operation", "new"),
        ("shipmentType", "actual"),
        ("fulfillmentType", notice.fulfilment.as_str()),
    ]);
    match &notice.comments {
        Some(comments) => {
            writer.open("ShipNoticeHeader", &header);
            writer.leaf("Comments", &[("xml:lang", language)], comments);
            writer.close("ShipNoticeHeader");
        }
        None => writer.empty("ShipNoticeHeader", &header),
    }
    if let Some(carrier) = &notice.carrier {
        writer.open("ShipControl", &[]);
        writer.leaf(
            "CarrierIdentifier",
            &[("domain", "companyName")],
            &carrier.name,
        );
        match &carrier.tracking_url {
            Some(url) => writer.leaf(
                "ShipmentIdentifier",
                &[("trackingURL", url)],
                &carrier.tracking_number,
            ),
            None => writer.leaf("ShipmentIdentifier", &[], &carrier.tracking_number),
        }
        writer.close("ShipControl");
    }
    writer.open("ShipNoticePortion", &[]);
    write_order_reference(&mut writer, order);
    for (index, item) in checked.items.iter().enumerate() {
        let line = item.order_line;
        let quantity = format_quantity(item.quantity);
        let line_number = line.line_number.to_string();
        let position = index.saturating_add(1).to_string();
        writer.open(
            "ShipNoticeItem",
            &[
                ("quantity", &quantity),
                ("lineNumber", &line_number),
                ("shipNoticeLineNumber", &position),
            ],
        );
        writer.open("ItemID", &[]);
        writer.leaf("SupplierPartID", &[], &line.supplier_part_id);
        if let Some(auxiliary) = &line.supplier_part_auxiliary_id {
            writer.leaf("SupplierPartAuxiliaryID", &[], auxiliary);
        }
        writer.close("ItemID");
        writer.leaf("UnitOfMeasure", &[], &line.unit);
        writer.close("ShipNoticeItem");
    }
    writer.close("ShipNoticePortion");
    writer.close("ShipNoticeRequest");
    close_order_request(&mut writer);
    Ok(writer.finish())
}
