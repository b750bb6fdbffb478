//! The buyer's side: the `OrderRequest` a procurement system sends after approval, written from
//! a [`PurchaseOrder`] (the model [`super::read_order_request`] reads it into), for the demo,
//! tests, benchmarks and simulators, as [`crate::cxml::order_message::read_order_message`] reads
//! the shop's message as a buyer would. A round trip compares value by value.

use crate::model::{Address, Credential, Envelope, Property};
use crate::order::{Charge, Money, PurchaseOrder};
use crate::xml::XmlWriter;

/// Who signs an `OrderRequest`: the `Sender` credential with its `SharedSecret`, and the
/// `UserAgent`. A network (Ariba, Coupa) signs for the buyer with its own credential.
#[derive(Clone, Copy)]
pub struct OrderSender<'a> {
    pub credential: &'a Credential,
    pub shared_secret: &'a str,
    pub user_agent: &'a str,
}

impl std::fmt::Debug for OrderSender<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrderSender")
            .field("credential", self.credential)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

/// The `OrderRequest` a buyer's system sends for `order`: `From` and `Sender` are the buyer
/// (with `shared_secret`), `To` the shop. The order's `bill_to` defaults to its `ship_to` (the
/// DTD requires one); lines without a price are written in the bare `ItemID` form.
pub fn write_order_request(
    order: &PurchaseOrder,
    shared_secret: &str,
    envelope: &Envelope,
) -> String {
    write_order_request_from(
        order,
        OrderSender {
            credential: &order.buyer,
            shared_secret,
            user_agent: "PunchOut engine buyer simulator",
        },
        envelope,
    )
}

/// [`write_order_request`] signed by `sender` (its credential, secret and user agent).
pub fn write_order_request_from(
    order: &PurchaseOrder,
    sender: OrderSender<'_>,
    envelope: &Envelope,
) -> String {
    let mut w = XmlWriter::new();
    w.declaration();
    w.doctype("cXML", crate::cxml::CXML_DTD);
    w.open(
        "cXML",
        &[
            ("payloadID", &envelope.payload_id),
            ("timestamp", &envelope.timestamp),
            ("xml:lang", "en-US"),
        ],
    );
    w.open("Header", &[]);
    for (name, credential) in [("From", &order.buyer), ("To", &order.supplier)] {
        w.open(name, &[]);
        w.open("Credential", &[("domain", &credential.domain)]);
        w.leaf("Identity", &[], &credential.identity);
        w.close("Credential");
        w.close(name);
    }
    w.open("Sender", &[]);
    w.open("Credential", &[("domain", &sender.credential.domain)]);
    w.leaf("Identity", &[], &sender.credential.identity);
    w.leaf("SharedSecret", &[], sender.shared_secret);
    w.close("Credential");
    w.leaf("UserAgent", &[], sender.user_agent);
    w.close("Sender");
    w.close("Header");
    w.open("Request", &[("deploymentMode", "production")]);
    w.open("OrderRequest", &[]);
    let version = order.order_version.map(|version| version.to_string());
    let mut attributes = vec![
        ("orderID", order.order_id.as_str()),
        ("orderDate", order.order_date.as_str()),
        ("type", order.order_type.as_str()),
    ];
    if let Some(version) = &version {
        attributes.push(("orderVersion", version));
    }
    w.open("OrderRequestHeader", &attributes);
    write_money(&mut w, "Total", &order.total);
    if let Some(address) = &order.ship_to {
        write_address(&mut w, "ShipTo", address);
    }
    let bill_to = order.bill_to.as_ref().or(order.ship_to.as_ref());
    write_address(&mut w, "BillTo", bill_to.unwrap_or(&Address::default()));
    for (name, charge) in [("Shipping", &order.shipping), ("Tax", &order.tax)] {
        if let Some(charge) = charge {
            write_charge(&mut w, name, charge);
        }
    }
    for contact in &order.contacts {
        let role = contact.role.as_deref().map(|role| ("role", role));
        w.open("Contact", &role.into_iter().collect::<Vec<_>>());
        w.leaf("Name", &[("xml:lang", "en")], &contact.name);
        if let Some(email) = &contact.email {
            w.leaf("Email", &[], email);
        }
        w.close("Contact");
    }
    if let Some(comments) = &order.comments {
        w.leaf("Comments", &[], comments);
    }
    if let Some(payload_id) = order
        .previous_order
        .as_ref()
        .and_then(|previous| previous.payload_id.as_ref())
    {
        w.empty("DocumentReference", &[("payloadID", payload_id)]);
    }
    if let Some(id) = &order.supplier_order_id {
        w.empty("SupplierOrderInfo", &[("orderID", id)]);
    }
    write_extrinsics(&mut w, &order.extrinsics);
    w.close("OrderRequestHeader");
    for line in &order.lines {
        let number = line.line_number.to_string();
        let mut attributes = vec![
            ("quantity", line.quantity.as_str()),
            ("lineNumber", &number),
        ];
        if let Some(date) = &line.requested_delivery_date {
            attributes.push(("requestedDeliveryDate", date));
        }
        w.open("ItemOut", &attributes);
        w.open("ItemID", &[]);
        w.leaf("SupplierPartID", &[], &line.supplier_part_id);
        if let Some(auxiliary) = &line.supplier_part_auxiliary_id {
            w.leaf("SupplierPartAuxiliaryID", &[], auxiliary);
        }
        w.close("ItemID");
        if let Some(price) = &line.unit_price {
            w.open("ItemDetail", &[]);
            write_money(&mut w, "UnitPrice", price);
            w.leaf(
                "Description",
                &[("xml:lang", "en")],
                line.description.as_deref().unwrap_or_default(),
            );
            w.leaf("UnitOfMeasure", &[], &line.unit);
            let (domain, code) = line
                .classification
                .as_ref()
                .map_or(("UNSPSC", ""), |class| {
                    (class.name.as_str(), class.value.as_str())
                });
            w.leaf("Classification", &[("domain", domain)], code);
            if let Some(id) = &line.manufacturer_part_id {
                w.leaf("ManufacturerPartID", &[], id);
            }
            if let Some(name) = &line.manufacturer_name {
                w.leaf("ManufacturerName", &[], name);
            }
            write_extrinsics(&mut w, &line.extrinsics);
            w.close("ItemDetail");
        }
        if let Some(address) = &line.ship_to {
            write_address(&mut w, "ShipTo", address);
        }
        for (name, charge) in [("Shipping", &line.shipping), ("Tax", &line.tax)] {
            if let Some(charge) = charge {
                write_charge(&mut w, name, charge);
            }
        }
        for distribution in &line.distributions {
            w.open("Distribution", &[]);
            w.open("Accounting", &[("name", &distribution.name)]);
            for segment in &distribution.segments {
                w.open("AccountingSegment", &[("id", &segment.id)]);
                w.leaf("Name", &[("xml:lang", "en")], &segment.kind);
                w.leaf(
                    "Description",
                    &[("xml:lang", "en")],
                    segment.description.as_deref().unwrap_or_default(),
                );
                w.close("AccountingSegment");
            }
            w.close("Accounting");
            write_money(&mut w, "Charge", &distribution.charge);
            w.close("Distribution");
        }
        if let Some(comments) = &line.comments {
            w.leaf("Comments", &[], comments);
        }
        w.close("ItemOut");
    }
    w.close("OrderRequest");
    w.close("Request");
    w.close("cXML");
    w.finish()
}

fn write_money(w: &mut XmlWriter, name: &str, money: &Money) {
    w.open(name, &[]);
    w.leaf("Money", &[("currency", &money.currency)], &money.amount);
    w.close(name);
}

fn write_charge(w: &mut XmlWriter, name: &str, charge: &Charge) {
    w.open(name, &[]);
    w.leaf(
        "Money",
        &[("currency", &charge.money.currency)],
        &charge.money.amount,
    );
    w.leaf(
        "Description",
        &[("xml:lang", "en")],
        charge.description.as_deref().unwrap_or_default(),
    );
    w.close(name);
}

fn write_address(w: &mut XmlWriter, name: &str, address: &Address) {
    w.open(name, &[]);
    let id = address.address_id.as_deref().map(|id| ("addressID", id));
    w.open("Address", &id.into_iter().collect::<Vec<_>>());
    w.leaf("Name", &[("xml:lang", "en")], &address.name);
    if !address.street.is_empty() {
        w.open("PostalAddress", &[]);
        for deliver_to in &address.deliver_to {
            w.leaf("DeliverTo", &[], deliver_to);
        }
        for street in &address.street {
            w.leaf("Street", &[], street);
        }
        w.leaf("City", &[], &address.city);
        if let Some(state) = &address.state {
            w.leaf("State", &[], state);
        }
        if let Some(postal_code) = &address.postal_code {
            w.leaf("PostalCode", &[], postal_code);
        }
        w.leaf("Country", &[("isoCountryCode", &address.country_code)], "");
        w.close("PostalAddress");
    }
    if let Some(email) = &address.email {
        w.leaf("Email", &[], email);
    }
    w.close("Address");
    w.close(name);
}

fn write_extrinsics(w: &mut XmlWriter, extrinsics: &[Property]) {
    for extrinsic in extrinsics {
        w.leaf("Extrinsic", &[("name", &extrinsic.name)], &extrinsic.value);
    }
}
