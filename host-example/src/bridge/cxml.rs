//! The `cxml-*` functions of the JSON bridge.

use std::collections::HashMap;

use punchout_plugin::model::{Envelope, Session};
use punchout_plugin::{Error, ErrorCode};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{find_profile, object, parse_input, to_value, JsonBridge};
use crate::calls::EngineCalls;
use crate::runtime::CallError;

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

/// Runs one `cxml-*` function.
pub(super) fn dispatch<E>(
    bridge: &mut JsonBridge<E>,
    function: &str,
    input: &str,
) -> Result<Value, CallError>
where
    E: EngineCalls,
{
    match function {
        "cxml-setup" => {
            let call: CxmlSetup = parse_input(input)?;
            let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
            let accepted = bridge.engine.cxml_setup(
                profile,
                call.request.as_bytes(),
                &call.start_url,
                &call.envelope,
            )?;
            to_value(&accepted)
        }
        "cxml-identify" => {
            let call: CxmlIdentify = parse_input(input)?;
            let mut chosen = Vec::with_capacity(call.profile_ids.len());
            // Disjoint mutable references in the order asked for; an id twice is refused.
            let mut by_id: HashMap<&String, &mut E::Profile> = bridge.profiles.iter_mut().collect();
            for (index, id) in call.profile_ids.iter().enumerate() {
                let profile = by_id.remove(id).ok_or_else(|| {
                    CallError::Rejected(
                        Error::new(
                            ErrorCode::InvalidProfile,
                            format!("no compiled profile `{id}` (or named twice)"),
                        )
                        .at_pointer(format!("/profile_ids/{index}")),
                    )
                })?;
                chosen.push(profile);
            }
            let index = bridge
                .engine
                .cxml_identify(&mut chosen, call.request.as_bytes())?;
            Ok(json!({"profile_id": call.profile_ids.get(index)}))
        }
        "cxml-error-response" => {
            let call: CxmlErrorResponse = parse_input(input)?;
            let response = bridge
                .engine
                .cxml_error_response(&call.error, &call.envelope)?;
            Ok(json!({"response": response}))
        }
        "cxml-cart-return" => {
            let call: CxmlCartReturn = parse_input(input)?;
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
        _ => {
            let call: CxmlReadOrderMessage = parse_input(input)?;
            let message = bridge
                .engine
                .cxml_read_order_message(call.message.as_bytes())?;
            to_value(&message)
        }
    }
}
