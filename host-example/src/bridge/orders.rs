//! The `orders` functions of the JSON bridge: purchase orders read, identified, acknowledged,
//! reconciled and checked for redelivery; the confirmation, ship notice and invoice.
//!
//! | function | input | result |
//! |---|---|---|
//! | `orders-read-cxml-order` | `{"profile_id", "document", "document_base64"}` | the order |
//! | `orders-identify-cxml-order` | `{"profile_ids", "document", "document_base64"}` | `{"profile_id": "…"}` |
//! | `orders-cxml-order-response` | `{"envelope"}` | `{"response": "…"}` |
//! | `orders-reconcile` | `{"profile_id", "order", "cart", "session"}` | the reconciliation |
//! | `orders-check-redelivery` | `{"order", "known"}` | `{"outcome", "known", "message"}` |
//! | `orders-cxml-confirmation` | `{"profile_id", "order", "confirmation", "envelope"}` | `{"document": "…"}` |
//! | `orders-cxml-ship-notice` | `{"profile_id", "order", "ship_notice", "envelope"}` | `{"document": "…"}` |
//! | `orders-cxml-invoice` | `{"profile_id", "order", "invoice", "envelope"}` | `{"document": "…"}` |
//! | `orders-identify-peppol-order` | `{"profile_ids", "document", "document_base64"}` | `{"profile_id": "…"}` |
//! | `orders-read-peppol-order` | `{"profile_id", "document", "document_base64"}` | the Peppol order |
//! | `orders-peppol-order-response` | `{"order", "reconciliation", "decision"}` | `{"document": "…"}` |
//!
//! A document (OrderRequest, Peppol Order) comes as `document` (text) or, when it is not UTF-8 (a Latin-1 order),
//! as `document_base64`: the engine, not the host, decodes it.
//!
//! The order, the shop's data and its records are read with the engine's own reader, so a wrong
//! value is refused as `invalid-order` at its JSON pointer in the input (`/order/lines/3/quantity`).

use punchout_plugin::model::{Envelope, Session};
use punchout_plugin::order::json;
use punchout_plugin::{Error, ErrorCode};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{chosen_profiles, find_profile, to_value, JsonBridge};
use crate::calls::EngineCalls;
use crate::runtime::CallError;

functions! {
    /// Reads and authenticates a cXML `OrderRequest`.
    "orders-read-cxml-order" => read_cxml_order(ReadCxmlOrder)
        r#"`{"profile_id", "document", "document_base64"}`"# -> "the order";
    /// Which compiled profile an `OrderRequest` is for, authenticated against it.
    "orders-identify-cxml-order" => identify_cxml_order(IdentifyCxmlOrder)
        r#"`{"profile_ids", "document", "document_base64"}`"# -> r#"`{"profile_id": "…"}`"#;
    /// The cXML `Response` (200) that acknowledges an accepted order.
    "orders-cxml-order-response" => cxml_order_response(CxmlOrderResponse)
        r#"`{"envelope"}`"# -> r#"`{"response": "…"}`"#;
    /// The order against the cart returned for its session, with the profile's verdict.
    "orders-reconcile" => reconcile(Reconcile)
        r#"`{"profile_id", "order", "cart", "session"}`"# -> "the reconciliation";
    /// The order against the shop's records of earlier orders: new, duplicate, conflict, update.
    "orders-check-redelivery" => check_redelivery(RedeliveryCall)
        r#"`{"order", "known"}`"# -> r#"`{"outcome", "known", "message"}`"#;
    /// A cXML `ConfirmationRequest` for an order.
    "orders-cxml-confirmation" => cxml_confirmation(CxmlConfirmation)
        r#"`{"profile_id", "order", "confirmation", "envelope"}`"# -> r#"`{"document": "…"}`"#;
    /// A cXML `ShipNoticeRequest` for an order.
    "orders-cxml-ship-notice" => cxml_ship_notice(CxmlShipNotice)
        r#"`{"profile_id", "order", "ship_notice", "envelope"}`"# -> r#"`{"document": "…"}`"#;
    /// A cXML `InvoiceDetailRequest` for an order.
    "orders-cxml-invoice" => cxml_invoice(CxmlInvoice)
        r#"`{"profile_id", "order", "invoice", "envelope"}`"# -> r#"`{"document": "…"}`"#;
    /// Which compiled Peppol profile a Peppol Order (T01) is for, by its buyer's and seller's
    /// endpoint IDs.
    "orders-identify-peppol-order" => identify_peppol_order(IdentifyPeppolOrder)
        r#"`{"profile_ids", "document", "document_base64"}`"# -> r#"`{"profile_id": "…"}`"#;
    /// Reads a Peppol Order (T01) for the compiled profile whose endpoint it names.
    "orders-read-peppol-order" => read_peppol_order(ReadPeppolOrder)
        r#"`{"profile_id", "document", "document_base64"}`"# -> "the Peppol order";
    /// The Peppol Order Response (T76) to an order from the shop's decision.
    "orders-peppol-order-response" => peppol_order_response(PeppolOrderResponse)
        r#"`{"order", "reconciliation", "decision"}`"# -> r#"`{"document": "…"}`"#;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadCxmlOrder {
    profile_id: String,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    document_base64: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentifyCxmlOrder {
    profile_ids: Vec<String>,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    document_base64: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentifyPeppolOrder {
    profile_ids: Vec<String>,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    document_base64: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadPeppolOrder {
    profile_id: String,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    document_base64: Option<String>,
}

/// The order as `orders-read-peppol-order` gave it, the reconciliation (optional) and the
/// shop's decision.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeppolOrderResponse<'a> {
    #[serde(borrow)]
    order: &'a RawValue,
    #[serde(default, borrow)]
    reconciliation: Option<&'a RawValue>,
    #[serde(borrow)]
    decision: &'a RawValue,
}

/// The document's bytes, from exactly one of `document` and `document_base64`.
fn document_bytes(text: Option<String>, base64: Option<String>) -> Result<Vec<u8>, CallError> {
    use base64::Engine as _;
    let refuse = |message: &str| {
        CallError::Rejected(Error::new(ErrorCode::InvalidValue, message).at_pointer("/document"))
    };
    match (text, base64) {
        (Some(text), None) => Ok(text.into_bytes()),
        (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
            .decode(encoded.as_bytes())
            .map_err(|_| {
                CallError::Rejected(
                    Error::new(ErrorCode::InvalidValue, "`document_base64` is not base64")
                        .at_pointer("/document_base64"),
                )
            }),
        (Some(_), Some(_)) => Err(refuse("give `document` or `document_base64`, not both")),
        (None, None) => Err(refuse("missing field `document` (or `document_base64`)")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlOrderResponse {
    envelope: Envelope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reconcile<'a> {
    profile_id: String,
    #[serde(borrow)]
    order: &'a RawValue,
    #[serde(borrow)]
    cart: &'a RawValue,
    #[serde(default)]
    session: Option<Session>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedeliveryCall<'a> {
    #[serde(borrow)]
    order: &'a RawValue,
    #[serde(borrow)]
    known: &'a RawValue,
}

/// The three fulfilment documents take the same input: the order and the shop's data.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlConfirmation<'a> {
    profile_id: String,
    #[serde(borrow)]
    order: &'a RawValue,
    #[serde(borrow)]
    confirmation: &'a RawValue,
    envelope: Envelope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlShipNotice<'a> {
    profile_id: String,
    #[serde(borrow)]
    order: &'a RawValue,
    #[serde(borrow)]
    ship_notice: &'a RawValue,
    envelope: Envelope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlInvoice<'a> {
    profile_id: String,
    #[serde(borrow)]
    order: &'a RawValue,
    #[serde(borrow)]
    invoice: &'a RawValue,
    envelope: Envelope,
}

/// Reads one part of the input with the engine's reader, its error located from the input's
/// root (`/order/lines/3/quantity`).
fn read_part<T: serde::de::DeserializeOwned>(
    raw: &RawValue,
    key: &str,
    code: ErrorCode,
) -> Result<T, CallError> {
    json::read(raw.get().as_bytes(), code, &key.replace('_', " ")).map_err(|error| {
        let pointer = format!(
            "/{key}{}",
            error.location().pointer.as_deref().unwrap_or("")
        );
        CallError::Rejected(error.at_pointer(pointer))
    })
}

fn read_cxml_order<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: ReadCxmlOrder,
) -> Result<Value, CallError> {
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let document = document_bytes(call.document, call.document_base64)?;
    let order = bridge.engine.read_cxml_order(profile, &document)?;
    to_value(&order)
}

fn identify_cxml_order<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: IdentifyCxmlOrder,
) -> Result<Value, CallError> {
    let mut chosen = chosen_profiles(&mut bridge.profiles, &call.profile_ids)?;
    let document = document_bytes(call.document, call.document_base64)?;
    let index = bridge.engine.identify_cxml_order(&mut chosen, &document)?;
    Ok(json!({"profile_id": call.profile_ids.get(index)}))
}

fn cxml_order_response<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlOrderResponse,
) -> Result<Value, CallError> {
    let response = bridge.engine.cxml_order_response(&call.envelope)?;
    Ok(json!({"response": response}))
}

fn reconcile<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: Reconcile<'_>,
) -> Result<Value, CallError> {
    let order = read_part(call.order, "order", ErrorCode::InvalidOrder)?;
    let cart = read_part(call.cart, "cart", ErrorCode::InvalidCart)?;
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let reconciliation =
        bridge
            .engine
            .reconcile_order(profile, &order, &cart, call.session.as_ref())?;
    to_value(&reconciliation)
}

fn check_redelivery<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: RedeliveryCall<'_>,
) -> Result<Value, CallError> {
    let order = read_part(call.order, "order", ErrorCode::InvalidOrder)?;
    let known: Vec<punchout_plugin::order::redelivery::OrderRecord> =
        read_part(call.known, "known", ErrorCode::InvalidOrder)?;
    let redelivery = bridge.engine.order_redelivery(&order, &known)?;
    to_value(&redelivery)
}

fn cxml_confirmation<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlConfirmation<'_>,
) -> Result<Value, CallError> {
    let order = read_part(call.order, "order", ErrorCode::InvalidOrder)?;
    let data = read_part(call.confirmation, "confirmation", ErrorCode::InvalidOrder)?;
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let document = bridge
        .engine
        .cxml_confirmation(profile, &order, &data, &call.envelope)?;
    Ok(json!({"document": document}))
}

fn cxml_ship_notice<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlShipNotice<'_>,
) -> Result<Value, CallError> {
    let order = read_part(call.order, "order", ErrorCode::InvalidOrder)?;
    let data = read_part(call.ship_notice, "ship_notice", ErrorCode::InvalidOrder)?;
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let document = bridge
        .engine
        .cxml_ship_notice(profile, &order, &data, &call.envelope)?;
    Ok(json!({"document": document}))
}

fn cxml_invoice<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlInvoice<'_>,
) -> Result<Value, CallError> {
    let order = read_part(call.order, "order", ErrorCode::InvalidOrder)?;
    let data = read_part(call.invoice, "invoice", ErrorCode::InvalidOrder)?;
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let document = bridge
        .engine
        .cxml_invoice(profile, &order, &data, &call.envelope)?;
    Ok(json!({"document": document}))
}

fn identify_peppol_order<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: IdentifyPeppolOrder,
) -> Result<Value, CallError> {
    let mut chosen = chosen_profiles(&mut bridge.profiles, &call.profile_ids)?;
    let document = document_bytes(call.document, call.document_base64)?;
    let index = bridge
        .engine
        .identify_peppol_order(&mut chosen, &document)?;
    Ok(json!({"profile_id": call.profile_ids.get(index)}))
}

fn read_peppol_order<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: ReadPeppolOrder,
) -> Result<Value, CallError> {
    // The order is read for a compiled profile: an unknown id is refused as for every call.
    find_profile(&mut bridge.profiles, &call.profile_id)?;
    let document = document_bytes(call.document, call.document_base64)?;
    let order = bridge
        .engine
        .read_peppol_order(&document, &call.profile_id)?;
    to_value(&order)
}

fn peppol_order_response<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: PeppolOrderResponse<'_>,
) -> Result<Value, CallError> {
    let order = read_part(call.order, "order", ErrorCode::InvalidOrder)?;
    let reconciliation = call
        .reconciliation
        .filter(|raw| raw.get() != "null")
        .map(|raw| read_part(raw, "reconciliation", ErrorCode::InvalidOrder))
        .transpose()?;
    let decision = read_part(call.decision, "decision", ErrorCode::InvalidOrder)?;
    let document =
        bridge
            .engine
            .peppol_order_response(&order, reconciliation.as_ref(), &decision)?;
    Ok(json!({"document": document}))
}
