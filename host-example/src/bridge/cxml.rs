//! The `cxml` functions of the JSON bridge: setup, identification, error responses, cart
//! return and the order message read back.
//!
//! | function | input | result |
//! |---|---|---|
//! | `cxml-setup` | `{"profile_id", "request", "start_url", "envelope"}` | `{"session", "response"}` |
//! | `cxml-identify` | `{"profile_ids", "request"}` | `{"profile_id": "…"}` |
//! | `cxml-error-response` | `{"error", "envelope"}` | `{"response": "…"}` |
//! | `cxml-cart-return` | `{"profile_id", "session", "cart", "envelope"}` | `{"message", "form_html"}` |
//! | `cxml-read-order-message` | `{"message": "…"}` | the order message |

use punchout_plugin::model::{Envelope, Session};
use punchout_plugin::Error;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{chosen_profiles, find_profile, object, to_value, JsonBridge};
use crate::calls::EngineCalls;
use crate::runtime::CallError;

functions! {
    /// Reads, authenticates and answers a `PunchOutSetupRequest`.
    "cxml-setup" => setup(CxmlSetup)
        r#"`{"profile_id", "request", "start_url", "envelope"}`"# -> r#"`{"session", "response"}`"#;
    /// Which compiled profile a setup request is for, authenticated against it.
    "cxml-identify" => identify(CxmlIdentify)
        r#"`{"profile_ids", "request"}`"# -> r#"`{"profile_id": "…"}`"#;
    /// The cXML `Response` for a refused request.
    "cxml-error-response" => error_response(CxmlErrorResponse)
        r#"`{"error", "envelope"}`"# -> r#"`{"response": "…"}`"#;
    /// A cart as a `PunchOutOrderMessage` and the form that posts it.
    "cxml-cart-return" => cart_return(CxmlCartReturn)
        r#"`{"profile_id", "session", "cart", "envelope"}`"# -> r#"`{"message", "form_html"}`"#;
    /// Reads a `PunchOutOrderMessage` as a buyer's system would.
    "cxml-read-order-message" => read_order_message(CxmlReadOrderMessage)
        r#"`{"message": "…"}`"# -> "the order message";
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlSetup {
    profile_id: String,
    request: String,
    start_url: String,
    envelope: Envelope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlIdentify {
    profile_ids: Vec<String>,
    request: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlErrorResponse {
    error: Error,
    envelope: Envelope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlCartReturn<'a> {
    profile_id: String,
    session: Session,
    /// Handed on as it came: the engine reads the cart's JSON itself.
    #[serde(borrow)]
    cart: &'a RawValue,
    envelope: Envelope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CxmlReadOrderMessage {
    message: String,
}

fn setup<E: EngineCalls>(bridge: &mut JsonBridge<E>, call: CxmlSetup) -> Result<Value, CallError> {
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let accepted = bridge.engine.cxml_setup(
        profile,
        call.request.as_bytes(),
        &call.start_url,
        &call.envelope,
    )?;
    to_value(&accepted)
}

fn identify<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlIdentify,
) -> Result<Value, CallError> {
    let mut chosen = chosen_profiles(&mut bridge.profiles, &call.profile_ids)?;
    let index = bridge
        .engine
        .cxml_identify(&mut chosen, call.request.as_bytes())?;
    Ok(json!({"profile_id": call.profile_ids.get(index)}))
}

fn error_response<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlErrorResponse,
) -> Result<Value, CallError> {
    let response = bridge
        .engine
        .cxml_error_response(&call.error, &call.envelope)?;
    Ok(json!({"response": response}))
}

fn cart_return<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlCartReturn<'_>,
) -> Result<Value, CallError> {
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let cart_return = bridge.engine.cxml_cart_return_json(
        profile,
        &call.session,
        call.cart.get().as_bytes(),
        &call.envelope,
    )?;
    // Moved, not serialized: the documents are the bulk of the answer.
    Ok(object([
        ("message", Value::String(cart_return.message)),
        ("form_html", Value::String(cart_return.form_html)),
    ]))
}

fn read_order_message<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: CxmlReadOrderMessage,
) -> Result<Value, CallError> {
    let message = bridge
        .engine
        .cxml_read_order_message(call.message.as_bytes())?;
    to_value(&message)
}
