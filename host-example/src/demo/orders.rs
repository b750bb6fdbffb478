//! `punchout demo`, the order leg: after the cart went back, the buyer's approval changes it and
//! the purchase order arrives; the shop reads it, recognises a redelivery, reconciles it against
//! the cart it returned, accepts it with changes, and sends the confirmation, a partial ship
//! notice and the invoice.

use std::path::Path;

use anyhow::bail;
use punchout_host::{CallError, EngineCalls};
use punchout_plugin::model::{format_money, parse_decimal, Envelope};
use punchout_plugin::order::fulfilment::{Confirmation, Invoice, ShipNotice};
use punchout_plugin::order::reconcile::{LineOutcome, Verdict};
use punchout_plugin::order::redelivery::{OrderRecord, RedeliveryOutcome};
use punchout_plugin::order::{Charge, Money, OrderLine, OrderType, PurchaseOrder};
use serde_json::json;

use super::cxml::{Documents, Returned};

/// The shared secret of the sample buyer (`samples/demo-secrets.json`).
const BUYER_SECRET: &str = "s3cr3t";

fn envelope(step: u32, domain: &str) -> Envelope {
    Envelope {
        payload_id: format!("1764148800.{step}.demo@{domain}"),
        timestamp: "2026-11-26T09:00:00+01:00".to_owned(),
    }
}

fn rejected(step: &str, error: CallError) -> anyhow::Error {
    anyhow::anyhow!("{step}: {error}")
}

pub fn run<E: EngineCalls>(
    engine: &mut E,
    returned: Returned<E::Profile>,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let Returned {
        mut profile,
        session,
        cart,
        read,
    } = returned;
    let documents = Documents { out };

    out!("9. The buyer's approval: one quantity raised, one price lowered, one line dropped");
    let mut lines = Vec::new();
    for (index, line) in read.lines.iter().enumerate() {
        let mut quantity = parse_decimal(&line.quantity)?;
        let mut price = parse_decimal(&line.unit_price)?;
        match index {
            0 => quantity += parse_decimal("2")?,
            1 => price = (price * parse_decimal("0.9")?).round_dp(2),
            _ => continue,
        }
        lines.push(OrderLine {
            line_number: u32::try_from(lines.len() + 1)?,
            quantity: quantity.normalize().to_string(),
            supplier_part_id: line.sku.clone(),
            supplier_part_auxiliary_id: Some(line.line_ref.clone()),
            unit: line.unit.clone(),
            shop_unit: None,
            unit_price: Some(Money {
                amount: format_money(price),
                currency: read.currency.clone(),
            }),
            description: Some(line.description.clone()),
            classification: line
                .attribute("classification:UNSPSC")
                .map(|code| punchout_plugin::model::Property::new("UNSPSC", code)),
            manufacturer_part_id: None,
            manufacturer_name: None,
            requested_delivery_date: Some("2026-12-01".to_owned()),
            ship_to: None,
            shipping: None,
            tax: None,
            distributions: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
        });
    }
    let shipping = cart.shipping.clone().unwrap_or_else(|| "0.00".to_owned());
    let mut total = parse_decimal(&shipping)?;
    for line in &lines {
        let price = line.unit_price.as_ref().map_or("0", |money| &money.amount);
        total += parse_decimal(&line.quantity)? * parse_decimal(price)?;
    }
    let approved = PurchaseOrder {
        buyer_id: String::new(),
        payload_id: String::new(),
        order_id: "PO-2026-4711".to_owned(),
        order_date: "2026-11-26T09:00:00+01:00".to_owned(),
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer: session.buyer.clone(),
        supplier: session.supplier.clone(),
        currency: read.currency.clone(),
        total: Money {
            amount: format_money(total),
            currency: read.currency.clone(),
        },
        ship_to: session.ship_to.clone(),
        bill_to: session.ship_to.clone(),
        shipping: Some(Charge {
            money: Money {
                amount: shipping,
                currency: read.currency.clone(),
            },
            description: Some("Standard shipping".to_owned()),
        }),
        tax: None,
        payment: None,
        contacts: Vec::new(),
        comments: Some("Approved by purchasing".to_owned()),
        extrinsics: Vec::new(),
        supplier_order_id: None,
        lines,
        content_hash: String::new(),
        idempotency_key: String::new(),
    };
    let request = punchout_plugin::cxml::order_request::write_order_request(
        &approved,
        BUYER_SECRET,
        &envelope(1, "procurement.example.com"),
    );
    documents.write("cxml-order-request.xml", &request)?;

    out!("10. The shop reads the OrderRequest: identified, authenticated, acknowledged");
    engine
        .identify_cxml_order(&mut [&mut profile], request.as_bytes())
        .map_err(|error| rejected("identifying the order", error))?;
    let order = engine
        .read_cxml_order(&mut profile, request.as_bytes())
        .map_err(|error| rejected("reading the order", error))?;
    out!(
        "    order {} ({}), {} lines, total {} {}; idempotency key {}…",
        order.order_id,
        order.order_type.as_str(),
        order.lines.len(),
        order.total.amount,
        order.total.currency,
        order.idempotency_key.get(..12).unwrap_or_default()
    );
    let response = engine
        .cxml_order_response(&envelope(2, "shop.example.com"))
        .map_err(|error| rejected("order response", error))?;
    documents.write("cxml-order-response.xml", &response)?;
    documents.write("order.json", &serde_json::to_string_pretty(&order)?)?;

    out!("11. Redelivery: the first delivery is new, the same order sent again a duplicate");
    let first = engine
        .order_redelivery(&order, &[])
        .map_err(|error| rejected("redelivery check", error))?;
    let again = punchout_plugin::cxml::order_request::write_order_request(
        &approved,
        BUYER_SECRET,
        &envelope(3, "procurement.example.com"),
    );
    let resent = engine
        .read_cxml_order(&mut profile, again.as_bytes())
        .map_err(|error| rejected("reading the redelivered order", error))?;
    let second = engine
        .order_redelivery(&resent, &[OrderRecord::of(&order)])
        .map_err(|error| rejected("redelivery check", error))?;
    if first.outcome != RedeliveryOutcome::New || second.outcome != RedeliveryOutcome::Duplicate {
        bail!(
            "redelivery: expected new, then duplicate; got {:?}, then {:?}",
            first.outcome,
            second.outcome
        );
    }
    out!("    first delivery: {}", first.message);
    out!("    second delivery: {}", second.message);

    out!("12. Reconciliation against the returned cart");
    let reconciliation = engine
        .reconcile_order(&mut profile, &order, &cart, Some(&session))
        .map_err(|error| rejected("reconciliation", error))?;
    for line in punchout_host::report::reconciliation(&reconciliation).lines() {
        if line.is_empty() {
            out!();
        } else {
            out!("    {line}");
        }
    }
    documents.write(
        "reconciliation.json",
        &serde_json::to_string_pretty(&reconciliation)?,
    )?;
    let outcomes: Vec<LineOutcome> = reconciliation
        .lines
        .iter()
        .map(|line| line.outcome)
        .collect();
    if reconciliation.verdict != Verdict::AcceptWithChanges
        || outcomes
            != [
                LineOutcome::Changed,
                LineOutcome::Changed,
                LineOutcome::Dropped,
            ]
    {
        bail!(
            "expected accept-with-changes (changed, changed, dropped), got {:?} {outcomes:?}",
            reconciliation.verdict
        );
    }

    out!("13. The shop accepts with changes: confirmation, a partial ship notice, the invoice");
    let confirmation: Confirmation = serde_json::from_value(json!({
        "confirm_id": "CONF-2026-4711",
        "notice_date": "2026-11-26T10:00:00+01:00",
        "kind": "detail",
        "lines": order.lines.iter().map(|line| json!({
            "line_number": line.line_number,
            "status": "accept",
            "delivery_date": "2026-12-01T12:00:00+01:00",
        })).collect::<Vec<_>>(),
        "comments": "accepted as approved",
    }))?;
    let confirmation = engine
        .cxml_confirmation(
            &mut profile,
            &order,
            &confirmation,
            &envelope(4, "shop.example.com"),
        )
        .map_err(|error| rejected("confirmation", error))?;
    documents.write("cxml-confirmation.xml", &confirmation)?;
    out!("    ConfirmationRequest: {} bytes", confirmation.len());

    // The first line ships in part today, the rest later.
    let shipped: Vec<_> = order
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let quantity = if index == 0 {
                "1"
            } else {
                line.quantity.as_str()
            };
            json!({"line_number": line.line_number, "quantity": quantity})
        })
        .collect();
    let notice: ShipNotice = serde_json::from_value(json!({
        "shipment_id": "SHIP-2026-4711-1",
        "notice_date": "2026-11-27T09:00:00+01:00",
        "shipment_date": "2026-11-27T08:00:00+01:00",
        "delivery_date": "2026-11-30T12:00:00+01:00",
        "fulfilment": "partial",
        "carrier": {"name": "DHL", "tracking_number": "00340434161234567890"},
        "lines": shipped,
    }))?;
    let notice = engine
        .cxml_ship_notice(
            &mut profile,
            &order,
            &notice,
            &envelope(5, "shop.example.com"),
        )
        .map_err(|error| rejected("ship notice", error))?;
    documents.write("cxml-ship-notice.xml", &notice)?;
    out!("    ShipNoticeRequest (partial): {} bytes", notice.len());

    let invoice: Invoice = serde_json::from_value(json!({
        "invoice_id": "INV-2026-4711",
        "invoice_date": "2026-11-27T10:00:00+01:00",
        "purpose": "standard",
        "lines": order.lines.iter().map(|line| json!({
            "line_number": line.line_number,
            "quantity": line.quantity,
            "tax": {"category": "vat", "rate": "19"},
        })).collect::<Vec<_>>(),
        "shipping": {"amount": order.shipping.as_ref().map_or("0.00", |charge| charge.money.amount.as_str()), "tax": {"category": "vat", "rate": "19"}},
        "remit_to": "Example Shop GmbH",
    }))?;
    let invoice = engine
        .cxml_invoice(
            &mut profile,
            &order,
            &invoice,
            &envelope(6, "shop.example.com"),
        )
        .map_err(|error| rejected("invoice", error))?;
    documents.write("cxml-invoice.xml", &invoice)?;
    let net = invoice
        .split_once("<NetAmount>")
        .and_then(|(_, rest)| rest.split_once("</Money>"))
        .and_then(|(money, _)| money.rsplit_once('>'))
        .map_or("-", |(_, amount)| amount);
    out!(
        "    InvoiceDetailRequest: {} bytes, net amount {net} {}",
        invoice.len(),
        order.currency
    );
    out!("Order leg complete.");
    Ok(())
}
