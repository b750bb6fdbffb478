//! `punchout demo`, the Peppol path: the cart goes back as a BIS Punch Out cart (T77), the
//! buyer's system approves it with one quantity raised and sends a Peppol Order (T01); the shop
//! routes it to the buyer's profile by its endpoints, reads it, reconciles it against the cart
//! with the same reconciliation as cXML orders (the raised quantity is held for review, the
//! profile having no `orders` rules), and answers with an Order Response (T76) accepting it
//! with the extra quantity on back order.

use std::path::Path;

use anyhow::{bail, Context as _};
use punchout_host::{CallError, EngineCalls};
use punchout_plugin::model::{format_money, parse_decimal, Cart, Credential, Envelope};
use punchout_plugin::order::reconcile::Verdict;
use punchout_plugin::order::{Money, OrderLine, OrderType, PurchaseOrder};
use punchout_plugin::peppol::order::{
    write_order, OrderEndpoints, PeppolOrder, ORDER_CUSTOMIZATION_ID, ORDER_PROFILE_IDS,
};
use punchout_plugin::peppol::order_response::{
    LineDecision, LineResponseStatus, OrderResponseDecision, ResponseCode,
};
use punchout_plugin::peppol::{cac, cbc, EndpointId};
use punchout_plugin::xml::{self, NsElement, ParseOptions};

use super::cxml::Documents;

const PROFILE: &str = include_str!("../../samples/peppol-buyer-profile.json");
const CART: &str = include_str!("../../samples/cart.json");
const RETURN_URL: &str = "https://eprocurement.def-customer.example/punchout/return";

fn rejected(step: &str, error: CallError) -> anyhow::Error {
    anyhow::anyhow!("{step}: {error}")
}

/// One line of the T77 as the buyer's system reads it.
struct CartLineSent {
    line_id: String,
    seller_item_id: String,
    name: String,
    quantity: String,
    unit: String,
    price: String,
    currency: String,
}

pub fn run<E: EngineCalls>(engine: &mut E, out: Option<&Path>) -> anyhow::Result<()> {
    let documents = Documents { out };

    out!("Peppol 1. Buyer profile (no setup message: the shop knows its Peppol buyer)");
    let mut profile = engine
        .compile_profile(PROFILE, &[])
        .map_err(|error| rejected("compiling the Peppol profile", error))?;
    let settings: serde_json::Value = serde_json::from_str(PROFILE)?;
    let endpoint = |party: &str| -> anyhow::Result<EndpointId> {
        Ok(serde_json::from_value(
            settings["peppol"][party]["endpoint"].clone(),
        )?)
    };
    let (buyer, seller) = (endpoint("buyer")?, endpoint("seller")?);
    out!(
        "   buyer {}:{}, shop {}:{}",
        buyer.scheme,
        buyer.id,
        seller.scheme,
        seller.id
    );

    out!("Peppol 2. The cart as a BIS Punch Out cart (T77) in a self-posting form");
    let cart: Cart = serde_json::from_str(CART)?;
    let envelope = Envelope {
        payload_id: "CART-2026-11-25-0001".to_owned(),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    };
    let returned = engine
        .peppol_cart(&mut profile, &cart, &envelope, RETURN_URL)
        .map_err(|error| rejected("returning the Peppol cart", error))?;
    documents.write("peppol-t77-cart.xml", &returned.document)?;
    if let Some(form) = &returned.form_html {
        documents.write("peppol-t77-cart-form.html", form)?;
    }
    let sent = read_cart(&returned.document)?;
    out!(
        "   T77 `{}`: {} lines, posted to {}",
        envelope.payload_id,
        sent.len(),
        returned.url
    );

    out!("Peppol 3. The buyer's approval: one quantity raised; the T01 order");
    let order = approved_order(&sent, &buyer, &seller, &envelope.payload_id)?;
    let t01 = write_order(&order);
    documents.write("peppol-t01-order.xml", &t01)?;

    out!("Peppol 4. The shop routes the T01 by its endpoints, reads and reconciles it");
    let index = engine
        .identify_peppol_order(&mut [&mut profile], t01.as_bytes())
        .map_err(|error| rejected("routing the Peppol order", error))?;
    if index != 0 {
        bail!("the Peppol order was routed to profile {index}");
    }
    let profile_id = settings["id"].as_str().unwrap_or_default().to_owned();
    let received = engine
        .read_peppol_order(t01.as_bytes(), &profile_id)
        .map_err(|error| rejected("reading the Peppol order", error))?;
    documents.write(
        "peppol-order.json",
        &serde_json::to_string_pretty(&received)?,
    )?;
    let reconciliation = engine
        .reconcile_order(&mut profile, &received.order, &cart, None)
        .map_err(|error| rejected("reconciling the Peppol order", error))?;
    documents.write(
        "peppol-reconciliation.json",
        &serde_json::to_string_pretty(&reconciliation)?,
    )?;
    for line in &reconciliation.lines {
        out!(
            "   line {}: {}",
            line.cart_line
                .as_ref()
                .map_or("(added)", |cart| cart.line_ref.as_str()),
            line.outcome.as_str()
        );
    }
    out!(
        "   verdict: {}",
        match reconciliation.verdict {
            Verdict::Accept => "ACCEPT",
            Verdict::AcceptWithChanges => "ACCEPT WITH CHANGES",
            Verdict::Hold => "HOLD",
            Verdict::Reject => "REJECT",
        }
    );

    out!("Peppol 5. A person decides: the Order Response (T76) accepts, the extra quantity on back order");
    let decision = OrderResponseDecision {
        response_id: "RESP-2026-11-26-0001".to_owned(),
        issue_date: "2026-11-26".to_owned(),
        issue_time: Some("09:30:00".to_owned()),
        code: Some(ResponseCode::AcceptWithChanges),
        sales_order_id: Some("SO-88231".to_owned()),
        note: Some("Line 1: 10 now, 2 more with the next delivery".to_owned()),
        lines: vec![LineDecision {
            line_number: 1,
            status: LineResponseStatus::Changed,
            quantity: Some(
                sent.first()
                    .map_or_else(String::new, |line| line.quantity.clone()),
            ),
            unit_price: None,
            delivery_date: Some("2026-12-04".to_owned()),
            note: Some("the rest on back order".to_owned()),
        }],
    };
    let response = engine
        .peppol_order_response(&received, Some(&reconciliation), &decision)
        .map_err(|error| rejected("answering the Peppol order", error))?;
    documents.write("peppol-t76-order-response.xml", &response)?;
    out!(
        "   T76 `{}`: {} bytes",
        decision.response_id,
        response.len()
    );
    out!("Peppol order leg complete.");
    Ok(())
}

/// The T77's lines, read as a buyer's system reads them (namespace-aware).
fn read_cart(document: &str) -> anyhow::Result<Vec<CartLineSent>> {
    let parsed = xml::parse(document.as_bytes(), &ParseOptions::ubl())?;
    let root = NsElement::root(&parsed.root)?;
    let text = |element: &NsElement<'_>| element.element().trimmed_text();
    let mut lines = Vec::new();
    for line in root.elements_named(cac("CatalogueLine")) {
        let location = line.required_child(cac("RequiredItemLocationQuantity"))?;
        let price = location
            .required_child(cac("Price"))?
            .required_child(cbc("PriceAmount"))?;
        let quantity = location
            .required_child(cac("DeliveryUnit"))?
            .required_child(cbc("BatchQuantity"))?;
        let item = line.required_child(cac("Item"))?;
        lines.push(CartLineSent {
            line_id: text(&line.required_child(cbc("ID"))?),
            seller_item_id: item
                .child(cac("SellersItemIdentification"))?
                .map(|id| id.required_child(cbc("ID")))
                .transpose()?
                .map(|id| text(&id))
                .unwrap_or_default(),
            name: text(&item.required_child(cbc("Name"))?),
            quantity: text(&quantity),
            unit: quantity
                .element()
                .attribute("unitCode")
                .context("a BatchQuantity without unitCode")?
                .to_owned(),
            price: text(&price),
            currency: price
                .element()
                .attribute("currencyID")
                .context("a PriceAmount without currencyID")?
                .to_owned(),
        });
    }
    Ok(lines)
}

/// The order the buyer's system sends after approval: the first line's quantity raised by 2,
/// lines after the second dropped, each line naming its cart line.
fn approved_order(
    sent: &[CartLineSent],
    buyer: &EndpointId,
    seller: &EndpointId,
    cart_id: &str,
) -> anyhow::Result<PeppolOrder> {
    let currency = sent
        .first()
        .map(|line| line.currency.clone())
        .context("the T77 has no lines")?;
    let mut lines = Vec::new();
    let mut total = parse_decimal("0")?;
    for (index, line) in sent.iter().take(2).enumerate() {
        let mut quantity = parse_decimal(&line.quantity)?;
        if index == 0 {
            quantity += parse_decimal("2")?;
        }
        total += quantity * parse_decimal(&line.price)?;
        lines.push(OrderLine {
            line_number: u32::try_from(index + 1)?,
            quantity: quantity.normalize().to_string(),
            supplier_part_id: line.seller_item_id.clone(),
            supplier_part_auxiliary_id: Some(line.line_id.clone()),
            unit: line.unit.clone(),
            shop_unit: None,
            unit_price: Some(Money {
                amount: line.price.clone(),
                currency: currency.clone(),
            }),
            description: Some(line.name.clone()),
            classification: None,
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
    let credential = |endpoint: &EndpointId| Credential {
        domain: endpoint.scheme.clone(),
        identity: endpoint.id.clone(),
    };
    Ok(PeppolOrder {
        order: PurchaseOrder {
            buyer_id: String::new(),
            payload_id: String::new(),
            order_id: "PO-PEPPOL-2026-0042".to_owned(),
            order_date: "2026-11-26".to_owned(),
            order_type: OrderType::New,
            order_version: None,
            previous_order: None,
            buyer: credential(buyer),
            supplier: credential(seller),
            currency: currency.clone(),
            total: Money {
                amount: format_money(total),
                currency,
            },
            ship_to: None,
            bill_to: None,
            shipping: None,
            tax: None,
            payment: None,
            contacts: Vec::new(),
            comments: Some(format!("Ordered from punch-out cart {cart_id}")),
            extrinsics: Vec::new(),
            supplier_order_id: None,
            lines,
            content_hash: String::new(),
            idempotency_key: String::new(),
        },
        customization_id: ORDER_CUSTOMIZATION_ID.to_owned(),
        profile_id: ORDER_PROFILE_IDS[1].to_owned(),
        endpoints: OrderEndpoints {
            buyer: buyer.clone(),
            seller: seller.clone(),
        },
        buyer_name: "DEF Customer Ltd.".to_owned(),
        seller_name: "ABC Supplier Ltd.".to_owned(),
        seller_country: "NO".to_owned(),
        line_ids: (1..=sent.len().min(2)).map(|n| n.to_string()).collect(),
    })
}
