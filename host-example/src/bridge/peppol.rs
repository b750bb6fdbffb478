//! The `peppol` functions of the JSON bridge: the Peppol BIS Punch Out cart (T77).
//!
//! | function | input | result |
//! |---|---|---|
//! | `peppol-cart` | `{"profile_id", "cart", "envelope", "return_url"}` | `{"document", "url", "form_html"}` |

use punchout_plugin::model::Envelope;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{find_profile, object, JsonBridge};
use crate::calls::EngineCalls;
use crate::runtime::CallError;

functions! {
    /// A cart as the T77 document, where it goes, and the form that posts it (`null` when the profile's delivery is `post`).
    "peppol-cart" => cart(PeppolCart)
        r#"`{"profile_id", "cart", "envelope", "return_url"}`"# -> r#"`{"document", "url", "form_html"}`"#;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeppolCart<'a> {
    profile_id: String,
    /// Handed on as it came: the engine reads the cart's JSON itself.
    #[serde(borrow)]
    cart: &'a RawValue,
    envelope: Envelope,
    return_url: String,
}

fn cart<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: PeppolCart<'_>,
) -> Result<Value, CallError> {
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let delivery = bridge.engine.peppol_cart_json(
        profile,
        call.cart.get().as_bytes(),
        &call.envelope,
        &call.return_url,
    )?;
    // Moved, not serialized: the documents are the bulk of the answer.
    Ok(object([
        ("document", Value::String(delivery.document)),
        ("url", Value::String(delivery.url)),
        (
            "form_html",
            delivery.form_html.map_or(Value::Null, Value::String),
        ),
    ]))
}
