//! The order leg end to end, natively and through the engine component: the cart goes back, the
//! buyer's approval changes it, the `OrderRequest` comes in and is read, checked for redelivery
//! and reconciled, and the confirmation, ship notice and invoice go out, each validated with
//! xmllint against its DTD. Native and component must agree value for value.

use punchout_host::prelude::*;
use punchout_host::{CallError, Native, Profile, Worker};
use punchout_plugin::model::{format_money, parse_decimal, Cart, CartLine, Envelope, Property};
use punchout_plugin::order::fulfilment::{Confirmation, Invoice, ShipNotice};
use punchout_plugin::order::reconcile::{LineOutcome, Verdict};
use punchout_plugin::order::redelivery::{OrderRecord, RedeliveryOutcome};
use punchout_plugin::order::{Charge, Money, OrderLine, OrderType, PurchaseOrder};
use punchout_plugin::profile::BuyerProfile;
use punchout_plugin::ErrorCode;
use punchout_tests::both::Both;
use punchout_tests::{
    envelope, fulfill_dtd, invoice_dtd, runtime, sample, sample_secrets, validate_batch_against,
    validate_cxml_batch,
};
use serde_json::json;

const SECRET: &str = "s3cr3t";

fn buyer_envelope(n: u32) -> Envelope {
    Envelope {
        payload_id: format!("1764148800.{n}.test@procurement.example.com"),
        timestamp: "2026-11-26T09:00:00+01:00".to_owned(),
    }
}

/// The engines with the sample Ariba profile compiled in each.
struct Engines {
    worker: Worker,
    native: Native,
    profile: Profile,
    profile_native: BuyerProfile,
}

impl Engines {
    fn new() -> Engines {
        let mut worker = runtime().worker();
        let mut native = Native;
        let json = sample("cxml-buyer-profile.json");
        let profile = worker.compile_profile(&json, &sample_secrets()).unwrap();
        let profile_native = native.compile_profile(&json, &sample_secrets()).unwrap();
        Engines {
            worker,
            native,
            profile,
            profile_native,
        }
    }

    /// Reads an order both ways; they must agree.
    fn read(&mut self, document: &str) -> Result<PurchaseOrder, punchout_plugin::Error> {
        let native = self
            .native
            .read_cxml_order(&mut self.profile_native, document.as_bytes());
        let component = self
            .worker
            .read_cxml_order(&mut self.profile, document.as_bytes());
        match (native, component) {
            (Ok(native), Ok(component)) => {
                assert_eq!(native, component, "native and component read differently");
                Ok(component)
            }
            (Err(CallError::Rejected(native)), Err(CallError::Rejected(component))) => {
                assert_eq!(native, component, "native and component refuse differently");
                Err(component)
            }
            (native, component) => panic!("native {native:?}, component {component:?}"),
        }
    }
}

/// The sample cart, all in the buyer's unit `EA` so that the order's units read back plainly.
fn cart(lines: usize) -> Cart {
    Cart {
        currency: "EUR".to_owned(),
        lines: (1..=lines)
            .map(|n| CartLine {
                line_ref: format!("cart-7:line-{n}"),
                sku: format!("SKU-{n:05}"),
                quantity: format!("{}", n % 5 + 1),
                unit_price: format!("{}.{:02}", n % 90 + 10, n % 100),
                unit: "EA".to_owned(),
                description: format!("Product {n} with <markup> & Größe"),
                attributes: vec![Property::new("classification", "44121704")],
            })
            .collect(),
        shipping: Some("5.00".to_owned()),
        tax: None,
    }
}

/// The order a buyer's system sends for `cart` after approval: `change` may alter each line (or
/// drop it by returning `None`).
fn approved(
    cart: &Cart,
    order_id: &str,
    change: impl Fn(usize, OrderLine) -> Option<OrderLine>,
) -> PurchaseOrder {
    let session: punchout_plugin::model::Session =
        serde_json::from_str(&sample("cxml-session.json")).unwrap();
    let mut lines: Vec<OrderLine> = Vec::new();
    for (index, line) in cart.lines.iter().enumerate() {
        let original = OrderLine {
            line_number: 0,
            quantity: line.quantity.clone(),
            supplier_part_id: line.sku.clone(),
            supplier_part_auxiliary_id: Some(line.line_ref.clone()),
            unit: line.unit.clone(),
            shop_unit: None,
            unit_price: Some(Money {
                amount: line.unit_price.clone(),
                currency: cart.currency.clone(),
            }),
            description: Some(line.description.clone()),
            classification: Some(Property::new("UNSPSC", "44121704")),
            manufacturer_part_id: None,
            manufacturer_name: None,
            requested_delivery_date: None,
            ship_to: None,
            shipping: None,
            tax: None,
            distributions: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
        };
        if let Some(mut kept) = change(index, original) {
            kept.line_number = u32::try_from(lines.len() + 1).unwrap();
            lines.push(kept);
        }
    }
    let mut total = parse_decimal(cart.shipping.as_deref().unwrap_or("0")).unwrap();
    for line in &lines {
        let price = &line.unit_price.as_ref().unwrap().amount;
        total += parse_decimal(&line.quantity).unwrap() * parse_decimal(price).unwrap();
    }
    PurchaseOrder {
        buyer_id: String::new(),
        payload_id: String::new(),
        order_id: order_id.to_owned(),
        order_date: "2026-11-26T09:00:00+01:00".to_owned(),
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer: session.buyer,
        supplier: session.supplier,
        currency: cart.currency.clone(),
        total: Money {
            amount: format_money(total),
            currency: cart.currency.clone(),
        },
        ship_to: None,
        bill_to: None,
        shipping: cart.shipping.as_ref().map(|amount| Charge {
            money: Money {
                amount: amount.clone(),
                currency: cart.currency.clone(),
            },
            description: None,
        }),
        tax: None,
        payment: None,
        contacts: Vec::new(),
        comments: None,
        extrinsics: Vec::new(),
        supplier_order_id: None,
        lines,
        content_hash: String::new(),
        idempotency_key: String::new(),
    }
}

#[test]
fn the_order_leg_agrees_natively_and_through_the_component_and_every_document_validates() {
    let mut engines = Engines::new();
    let cart = cart(4);
    let session = Both::new().cxml_session;
    // The approval raises line 1's quantity, lowers line 2's price, drops line 3.
    let order = approved(&cart, "PO-1", |index, mut line| match index {
        0 => {
            line.quantity = "9".to_owned();
            Some(line)
        }
        1 => {
            line.unit_price.as_mut().unwrap().amount = "1.00".to_owned();
            Some(line)
        }
        2 => None,
        _ => Some(line),
    });
    let request = punchout_plugin::cxml::order_request::write_order_request(
        &order,
        SECRET,
        &buyer_envelope(1),
    );
    validate_cxml_batch(std::slice::from_ref(&request)).unwrap();
    let read = engines.read(&request).unwrap();
    assert_eq!(read.order_id, "PO-1");
    assert_eq!(read.buyer_id, "acme-ariba");
    assert_eq!(read.lines.len(), 3);
    assert_eq!(read.lines[0].quantity, "9");
    assert_eq!(
        read.lines[0].supplier_part_auxiliary_id.as_deref(),
        Some("cart-7:line-1")
    );
    // The sample profile maps the shop's `PCE` to the buyer's `EA`: read back, `EA` is `PCE`.
    assert_eq!(read.lines[0].shop_unit.as_deref(), Some("PCE"));

    let native = engines
        .native
        .reconcile_order(&mut engines.profile_native, &read, &cart, Some(&session))
        .unwrap();
    let component = engines
        .worker
        .reconcile_order(&mut engines.profile, &read, &cart, Some(&session))
        .unwrap();
    assert_eq!(native, component);
    let outcomes: Vec<LineOutcome> = component.lines.iter().map(|line| line.outcome).collect();
    assert_eq!(
        outcomes,
        [
            LineOutcome::Changed,
            LineOutcome::Changed,
            LineOutcome::Dropped,
            LineOutcome::Unchanged
        ]
    );
    let quantity = &component.lines[0].differences[0];
    assert_eq!(
        (quantity.cart.as_str(), quantity.order.as_str()),
        ("2", "9")
    );
    // The sample profile accepts quantity increases and price decreases.
    assert_eq!(component.verdict, Verdict::AcceptWithChanges);

    let confirmation: Confirmation = serde_json::from_value(json!({
        "confirm_id": "CONF-1",
        "notice_date": "2026-11-26T10:00:00+01:00",
        "kind": "detail",
        "lines": [
            {"line_number": 1, "status": "accept"},
            {"line_number": 2, "status": "changed", "unit_price": "1.10"},
            {"line_number": 3, "status": "backordered", "quantity": "5", "delivery_date": "2026-12-14T12:00:00+01:00"}
        ]
    }))
    .unwrap();
    let notice: ShipNotice = serde_json::from_value(json!({
        "shipment_id": "SHIP-1",
        "notice_date": "2026-11-27T09:00:00+01:00",
        "shipment_date": "2026-11-27T08:00:00+01:00",
        "fulfilment": "partial",
        "carrier": {"name": "DHL", "tracking_number": "00340434161234567890"},
        "lines": [{"line_number": 1, "quantity": "4"}]
    }))
    .unwrap();
    let invoice: Invoice = serde_json::from_value(json!({
        "invoice_id": "INV-1",
        "invoice_date": "2026-11-27T10:00:00+01:00",
        "purpose": "standard",
        "lines": [
            {"line_number": 1, "quantity": "4", "tax": {"category": "vat", "rate": "19"}},
            {"line_number": 2, "quantity": "3", "tax": {"category": "vat", "rate": "7"}}
        ],
        "shipping": {"amount": "5.00", "tax": {"category": "vat", "rate": "19"}},
        "remit_to": "Example Shop GmbH"
    }))
    .unwrap();
    let e = envelope(2);
    let documents = [
        (
            engines
                .native
                .cxml_confirmation(&mut engines.profile_native, &read, &confirmation, &e),
            engines
                .worker
                .cxml_confirmation(&mut engines.profile, &read, &confirmation, &e),
        ),
        (
            engines
                .native
                .cxml_ship_notice(&mut engines.profile_native, &read, &notice, &e),
            engines
                .worker
                .cxml_ship_notice(&mut engines.profile, &read, &notice, &e),
        ),
        (
            engines
                .native
                .cxml_invoice(&mut engines.profile_native, &read, &invoice, &e),
            engines
                .worker
                .cxml_invoice(&mut engines.profile, &read, &invoice, &e),
        ),
    ];
    let mut texts = Vec::new();
    for (native, component) in documents {
        let (native, component) = (native.unwrap(), component.unwrap());
        assert_eq!(native, component, "native and component write differently");
        texts.push(component);
    }
    validate_batch_against(&texts[..2], &fulfill_dtd()).unwrap();
    validate_batch_against(&texts[2..], &invoice_dtd()).unwrap();
    // 4 × price of line 1 at 19 % and 3 × 1.00 at 7 %, shipping at 19 %: computed, not given.
    let line_1 = parse_decimal(&cart.lines[0].unit_price).unwrap() * parse_decimal("4").unwrap();
    let subtotal = line_1 + parse_decimal("3.00").unwrap();
    let vat = ((line_1 + parse_decimal("5.00").unwrap()) * parse_decimal("0.19").unwrap())
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        + parse_decimal("0.21").unwrap();
    let net = subtotal + parse_decimal("5.00").unwrap() + vat;
    assert!(
        texts[2].contains(&format!(
            "<Money currency=\"EUR\">{}</Money>",
            format_money(net)
        )),
        "net amount {} missing from the invoice",
        format_money(net)
    );

    let answer = engines.worker.cxml_order_response(&e).unwrap();
    validate_cxml_batch(std::slice::from_ref(&answer)).unwrap();
    assert!(
        answer.contains(r#"<Status code="200" text="OK""#),
        "{answer}"
    );
}

#[test]
fn a_duplicate_and_a_conflicting_redelivery_are_caught_through_the_component() {
    let mut engines = Engines::new();
    let cart = cart(3);
    let order = approved(&cart, "PO-2", |_, line| Some(line));
    let first = engines
        .read(&punchout_plugin::cxml::order_request::write_order_request(
            &order,
            SECRET,
            &buyer_envelope(1),
        ))
        .unwrap();
    let known = [OrderRecord::of(&first)];
    let new = engines.worker.order_redelivery(&first, &[]).unwrap();
    assert_eq!(new.outcome, RedeliveryOutcome::New);

    // The same order under a new payload ID: a duplicate of the first.
    let again = engines
        .read(&punchout_plugin::cxml::order_request::write_order_request(
            &order,
            SECRET,
            &buyer_envelope(2),
        ))
        .unwrap();
    assert_ne!(again.idempotency_key, first.idempotency_key);
    assert_eq!(again.content_hash, first.content_hash);
    let duplicate = engines.worker.order_redelivery(&again, &known).unwrap();
    assert_eq!(duplicate.outcome, RedeliveryOutcome::Duplicate);
    assert_eq!(duplicate.known.as_ref(), Some(&known[0]));

    // The same order number with another quantity, not an update: a conflict.
    let changed = approved(&cart, "PO-2", |index, mut line| {
        if index == 0 {
            line.quantity = "99".to_owned();
        }
        Some(line)
    });
    let conflicting = engines
        .read(&punchout_plugin::cxml::order_request::write_order_request(
            &changed,
            SECRET,
            &buyer_envelope(3),
        ))
        .unwrap();
    let conflict = engines
        .worker
        .order_redelivery(&conflicting, &known)
        .unwrap();
    assert_eq!(conflict.outcome, RedeliveryOutcome::Conflict);
    assert_eq!(
        engines
            .native
            .order_redelivery(&conflicting, &known)
            .unwrap(),
        conflict
    );
}

#[test]
fn a_10_000_line_order_is_read_and_reconciled_through_the_component_within_the_default_budget() {
    let mut engines = Engines::new();
    let cart = cart(10_000);
    let order = approved(&cart, "PO-3", |index, mut line| {
        if index % 100 == 0 {
            line.quantity = "1".to_owned();
        }
        Some(line)
    });
    let request = punchout_plugin::cxml::order_request::write_order_request(
        &order,
        SECRET,
        &buyer_envelope(1),
    );
    let read = engines
        .worker
        .read_cxml_order(&mut engines.profile, request.as_bytes())
        .unwrap();
    assert_eq!(read.lines.len(), 10_000);
    let reconciliation = engines
        .worker
        .reconcile_order(&mut engines.profile, &read, &cart, None)
        .unwrap();
    assert_eq!(reconciliation.lines.len(), 10_000);
    assert!(reconciliation
        .lines
        .iter()
        .all(|line| matches!(line.outcome, LineOutcome::Unchanged | LineOutcome::Changed)));
}

#[test]
fn refusals_are_the_same_natively_and_through_the_component() {
    let mut engines = Engines::new();
    let order = approved(&cart(2), "PO-4", |_, line| Some(line));
    let forged = punchout_plugin::cxml::order_request::write_order_request(
        &order,
        "guess",
        &buyer_envelope(1),
    );
    let error = engines.read(&forged).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    assert!(!error.message().contains("guess"), "{error}");

    // More shipped than ordered is refused before a document is written.
    let read = engines
        .read(&punchout_plugin::cxml::order_request::write_order_request(
            &order,
            SECRET,
            &buyer_envelope(2),
        ))
        .unwrap();
    let notice: ShipNotice = serde_json::from_value(json!({
        "shipment_id": "SHIP-9",
        "notice_date": "2026-11-27T09:00:00+01:00",
        "shipment_date": "2026-11-27T08:00:00+01:00",
        "fulfilment": "complete",
        "carrier": {"name": "DHL", "tracking_number": "1"},
        "lines": [{"line_number": 1, "quantity": "1000"}]
    }))
    .unwrap();
    let e = envelope(3);
    let native = engines
        .native
        .cxml_ship_notice(&mut engines.profile_native, &read, &notice, &e)
        .unwrap_err();
    let component = engines
        .worker
        .cxml_ship_notice(&mut engines.profile, &read, &notice, &e)
        .unwrap_err();
    let (CallError::Rejected(native), CallError::Rejected(component)) = (native, component) else {
        panic!("expected refusals");
    };
    assert_eq!(native, component);
    assert_eq!(component.code(), ErrorCode::InvalidOrder);
    assert_eq!(
        component.location().pointer.as_deref(),
        Some("/lines/0/quantity")
    );
}
