//! The purchase order the procurement system sends after approval: the received cart's lines
//! with the approver's changes (quantities and prices changed, lines dropped, shipping added),
//! as a cXML `OrderRequest` or a Peppol Order (T01), each line carrying the reference the shop
//! gave it (cXML `SupplierPartAuxiliaryID`, the T01 item property `line-ref`) so that the shop
//! reconciles the order against the cart it returned. Money is decimal throughout.

use std::collections::HashMap;

use anyhow::{bail, Context as _};
use punchout_plugin::cxml::order_request::{write_order_request_from, OrderSender};
use punchout_plugin::model::{
    format_money, format_quantity, Address, Credential, Envelope, Property,
};
use punchout_plugin::order::{Charge, Money, OrderLine, OrderType, PurchaseOrder};
use punchout_plugin::peppol::order::{
    write_order, OrderEndpoints, PeppolOrder, ORDER_CUSTOMIZATION_ID,
};
use rust_decimal::Decimal;

use super::presets::{CxmlPunchOut, PeppolBuyer};
use super::ReceivedLine;

/// What the approver changed before ordering. Lines the approval does not name are ordered as
/// received.
#[derive(Clone, Debug, Default)]
pub struct Approval {
    pub lines: Vec<ApprovedLine>,
    /// Shipping the buyer adds to the order, in the cart's currency.
    pub shipping: Option<Decimal>,
}

#[derive(Clone, Debug)]
pub struct ApprovedLine {
    /// The received line's `number`.
    pub number: usize,
    /// `None`: the line was dropped.
    pub quantity: Option<Decimal>,
    pub unit_price: Decimal,
}

/// Who sends a cXML purchase order.
#[derive(Clone)]
pub struct CxmlBuyer {
    pub from: Credential,
    pub to: Credential,
    pub sender: Credential,
    pub shared_secret: String,
    pub user_agent: String,
    /// Where the goods go (also the bill-to address, which the DTD requires).
    pub ship_to: Option<Address>,
}

impl std::fmt::Debug for CxmlBuyer {
    /// Without the shared secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CxmlBuyer")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("sender", &self.sender)
            .field("user_agent", &self.user_agent)
            .field("ship_to", &self.ship_to)
            .finish_non_exhaustive()
    }
}

impl From<&CxmlPunchOut> for CxmlBuyer {
    /// The preset's header; the goods go to its sample site.
    fn from(preset: &CxmlPunchOut) -> Self {
        CxmlBuyer {
            from: preset.from.clone(),
            to: preset.to.clone(),
            sender: preset.sender.clone(),
            shared_secret: preset.shared_secret.expose().to_owned(),
            user_agent: preset.user_agent.clone(),
            ship_to: Some(Address {
                name: "Receiving dock".to_owned(),
                address_id: Some("DOCK-1".to_owned()),
                street: vec!["Hauptstr. 1".to_owned()],
                city: "Berlin".to_owned(),
                postal_code: Some("10115".to_owned()),
                country_code: "DE".to_owned(),
                ..Address::default()
            }),
        }
    }
}

/// The purchase order the buyer's system sends after approval.
#[derive(Clone, Debug)]
pub enum OrderDocument {
    /// A cXML `OrderRequest`: `envelope` gives its `payloadID` and `timestamp` (also the
    /// order date).
    Cxml {
        buyer: CxmlBuyer,
        order_id: String,
        envelope: Envelope,
    },
    /// A Peppol Order (T01): `envelope.timestamp` gives its issue date and time.
    Peppol {
        buyer: PeppolBuyer,
        order_id: String,
        envelope: Envelope,
    },
}

/// Writes the purchase order for the approved lines of a received cart.
///
/// # Errors
/// When the approval names a line the cart does not have or names one twice, a quantity is not
/// greater than zero, a price or the shipping is negative, the total overflows, or no line is
/// left to order.
pub fn purchase_order(
    document: &OrderDocument,
    lines: &[ReceivedLine],
    approval: &Approval,
) -> anyhow::Result<Vec<u8>> {
    let approved = approve(lines, approval)?;
    let currency = lines
        .first()
        .map(|line| line.currency.clone())
        .unwrap_or_default();
    let mut total = approval.shipping.unwrap_or_default();
    if total < Decimal::ZERO {
        bail!("expected shipping of zero or more, found `{total}`");
    }
    let mut order_lines = Vec::with_capacity(approved.len());
    for (position, (line, quantity, unit_price)) in approved.iter().enumerate() {
        total = quantity
            .checked_mul(*unit_price)
            .and_then(|amount| total.checked_add(amount))
            .context("the order's total is out of range")?;
        order_lines.push(OrderLine {
            line_number: u32::try_from(position.saturating_add(1))?,
            quantity: format_quantity(*quantity),
            supplier_part_id: line.part_id.clone(),
            supplier_part_auxiliary_id: line.reference.clone(),
            unit: line.unit.clone(),
            shop_unit: None,
            unit_price: Some(Money {
                amount: format_money(*unit_price),
                currency: currency.clone(),
            }),
            description: Some(line.description.clone()),
            classification: line
                .classification
                .as_ref()
                .map(|class| Property::new(&class.domain, &class.code)),
            manufacturer_part_id: None,
            manufacturer_name: None,
            requested_delivery_date: None,
            ship_to: None,
            shipping: None,
            tax: None,
            distributions: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
        });
    }
    let shipping = approval.shipping.map(|amount| Charge {
        money: Money {
            amount: format_money(amount),
            currency: currency.clone(),
        },
        description: Some("Shipping".to_owned()),
    });
    let order = |buyer: Credential,
                 supplier: Credential,
                 order_id: &str,
                 envelope: &Envelope,
                 ship_to: Option<Address>| PurchaseOrder {
        buyer_id: String::new(),
        payload_id: envelope.payload_id.clone(),
        order_id: order_id.to_owned(),
        order_date: envelope.timestamp.clone(),
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer,
        supplier,
        currency: currency.clone(),
        total: Money {
            amount: format_money(total),
            currency: currency.clone(),
        },
        bill_to: ship_to.clone(),
        ship_to,
        shipping: shipping.clone(),
        tax: None,
        payment: None,
        contacts: Vec::new(),
        comments: Some("Approved in the buyer simulator".to_owned()),
        extrinsics: Vec::new(),
        supplier_order_id: None,
        lines: order_lines.clone(),
        content_hash: String::new(),
        idempotency_key: String::new(),
    };
    match document {
        OrderDocument::Cxml {
            buyer,
            order_id,
            envelope,
        } => {
            let order = order(
                buyer.from.clone(),
                buyer.to.clone(),
                order_id,
                envelope,
                buyer.ship_to.clone(),
            );
            let sender = OrderSender {
                credential: &buyer.sender,
                shared_secret: &buyer.shared_secret,
                user_agent: &buyer.user_agent,
            };
            Ok(write_order_request_from(&order, sender, envelope).into_bytes())
        }
        OrderDocument::Peppol {
            buyer,
            order_id,
            envelope,
        } => {
            let credential = |endpoint: &punchout_plugin::peppol::EndpointId| Credential {
                domain: endpoint.scheme.clone(),
                identity: endpoint.id.clone(),
            };
            let order = PeppolOrder {
                order: order(
                    credential(&buyer.buyer),
                    credential(&buyer.seller),
                    order_id,
                    envelope,
                    None,
                ),
                customization_id: ORDER_CUSTOMIZATION_ID.to_owned(),
                profile_id: buyer.order_profile_id.clone(),
                endpoints: OrderEndpoints {
                    buyer: buyer.buyer.clone(),
                    seller: buyer.seller.clone(),
                },
                buyer_name: buyer.buyer_name.clone(),
                seller_name: buyer.seller_name.clone(),
                seller_country: buyer.seller_country.clone(),
                line_ids: (1..=order_lines.len()).map(|n| n.to_string()).collect(),
            };
            Ok(write_order(&order).into_bytes())
        }
    }
}

/// The lines to order with their approved quantity and price, in the cart's order.
fn approve<'a>(
    lines: &'a [ReceivedLine],
    approval: &Approval,
) -> anyhow::Result<Vec<(&'a ReceivedLine, Decimal, Decimal)>> {
    let mut changes: HashMap<usize, &ApprovedLine> = HashMap::new();
    for change in &approval.lines {
        if !lines.iter().any(|line| line.number == change.number) {
            bail!(
                "the approval names line {}, which the cart does not have",
                change.number
            );
        }
        if changes.insert(change.number, change).is_some() {
            bail!("the approval names line {} twice", change.number);
        }
        if let Some(quantity) = change.quantity {
            if quantity <= Decimal::ZERO {
                bail!(
                    "expected a quantity greater than zero for line {}, found `{quantity}` (drop the line instead)",
                    change.number
                );
            }
        }
        if change.unit_price < Decimal::ZERO {
            bail!(
                "expected a price of zero or more for line {}, found `{}`",
                change.number,
                change.unit_price
            );
        }
    }
    let approved: Vec<_> = lines
        .iter()
        .filter_map(|line| match changes.get(&line.number) {
            Some(change) => change
                .quantity
                .map(|quantity| (line, quantity, change.unit_price)),
            None => Some((line, line.quantity, line.unit_price)),
        })
        .collect();
    if approved.is_empty() {
        bail!("every line was dropped: there is nothing to order");
    }
    Ok(approved)
}
