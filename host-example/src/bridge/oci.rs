//! The `oci` functions of the JSON bridge: call-up, the cart pages and the `QUANTITYCHECK`
//! reply.
//!
//! | function | input | result |
//! |---|---|---|
//! | `oci-call-up` | `{"profile_id", "call_up"}` | `{"session", "function", "oci_version", "opi_version", "ok_code", "caller", "parameters"}` |
//! | `oci-cart-form` | `{"profile_id", "session", "cart"}` | `{"body_base64", "charset", "content_type"}` |
//! | `oci-validate-reply` | `{"profile_id", "session", "cart"}` | `{"body_base64", "charset", "content_type"}` |
//! | `oci-background-search-reply` | `{"profile_id", "session", "cart"}` | `{"body_base64", "charset", "content_type"}` |
//! | `oci-quantity-check-reply` | `{"available_quantity", "leadtime_days"}` | `{"json": "…"}` |

use base64::Engine as _;
use punchout_plugin::oci::{OciPage, OciSession};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{find_profile, JsonBridge};
use crate::calls::{EngineCalls, OciPageKind};
use crate::runtime::CallError;

functions! {
    /// Reads and authenticates a call-up (GET query or POST body).
    "oci-call-up" => call_up(CallUp)
        r#"`{"profile_id", "call_up"}`"#
        -> r#"`{"session", "function", "oci_version", "opi_version", "ok_code", "caller", "parameters"}`"#;
    /// The cart-return page.
    "oci-cart-form" => cart_form(PageCall)
        r#"`{"profile_id", "session", "cart"}`"#
        -> r#"`{"body_base64", "charset", "content_type"}`"#;
    /// The `VALIDATE` reply for one line.
    "oci-validate-reply" => validate_reply(PageCall)
        r#"`{"profile_id", "session", "cart"}`"#
        -> r#"`{"body_base64", "charset", "content_type"}`"#;
    /// The `BACKGROUND_SEARCH` reply listing every hit.
    "oci-background-search-reply" => background_search_reply(PageCall)
        r#"`{"profile_id", "session", "cart"}`"#
        -> r#"`{"body_base64", "charset", "content_type"}`"#;
    /// The `QUANTITYCHECK` JSON reply (OCI 5.0).
    "oci-quantity-check-reply" => quantity_check_reply(QuantityCheck)
        r#"`{"available_quantity", "leadtime_days"}`"# -> r#"`{"json": "…"}`"#;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallUp {
    profile_id: String,
    call_up: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageCall<'a> {
    profile_id: String,
    session: OciSession,
    #[serde(borrow)]
    cart: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuantityCheck {
    available_quantity: String,
    leadtime_days: u32,
}

/// The page as JSON; its body base64-encoded, or moved to `documents` as it is.
fn page_value(page: OciPage, documents: Option<&mut Vec<(String, Vec<u8>)>>) -> Value {
    let mut value = super::object([
        ("charset", json!(page.charset)),
        ("content_type", json!(page.content_type())),
    ]);
    match (documents, value.as_object_mut()) {
        (Some(documents), _) => documents.push(("body".to_owned(), page.body)),
        (None, Some(object)) => {
            object.insert(
                "body_base64".to_owned(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(&page.body)),
            );
        }
        (None, None) => {}
    }
    value
}

fn call_up<E: EngineCalls>(bridge: &mut JsonBridge<E>, call: CallUp) -> Result<Value, CallError> {
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    let accepted = bridge
        .engine
        .oci_call_up(profile, call.call_up.as_bytes())?;
    Ok(json!({
        "session": accepted.session,
        "function": accepted.function,
        "oci_version": accepted.oci_version,
        "opi_version": accepted.opi_version,
        "ok_code": accepted.ok_code,
        "caller": accepted.caller,
        "parameters": accepted.parameters,
    }))
}

fn cart_form<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: PageCall<'_>,
) -> Result<Value, CallError> {
    page(bridge, call, OciPageKind::CartForm)
}

fn validate_reply<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: PageCall<'_>,
) -> Result<Value, CallError> {
    page(bridge, call, OciPageKind::Validate)
}

fn background_search_reply<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: PageCall<'_>,
) -> Result<Value, CallError> {
    page(bridge, call, OciPageKind::BackgroundSearch)
}

fn page<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: PageCall<'_>,
    kind: OciPageKind,
) -> Result<Value, CallError> {
    let profile = find_profile(&mut bridge.profiles, &call.profile_id)?;
    // The cart's JSON is handed on as it came; the engine reads it.
    let page =
        bridge
            .engine
            .oci_page_json(profile, &call.session, call.cart.get().as_bytes(), kind)?;
    Ok(page_value(page, bridge.documents.as_mut()))
}

fn quantity_check_reply<E: EngineCalls>(
    bridge: &mut JsonBridge<E>,
    call: QuantityCheck,
) -> Result<Value, CallError> {
    let reply = bridge
        .engine
        .oci_quantity_check_reply(&call.available_quantity, call.leadtime_days)?;
    Ok(json!({"json": reply}))
}

#[cfg(test)]
mod tests {
    use crate::bridge::JsonBridge;
    use crate::calls::Native;

    #[test]
    fn oci_call_up_and_cart_form_through_the_bridge() {
        let (page, documents) = cart_form(JsonBridge::new(Native));
        assert!(documents.is_empty());
        let base64 = page["body_base64"].as_str().unwrap_or_default();
        assert!(base64.len() > 1000, "{page}");

        // With raw documents the same page leaves the JSON, as its bytes.
        let (raw_page, documents) = cart_form(JsonBridge::new(Native).with_raw_documents());
        assert_eq!(raw_page.get("body_base64"), None);
        assert_eq!(raw_page["charset"], page["charset"]);
        let [(name, body)] = documents.as_slice() else {
            panic!("one document expected: {documents:?}");
        };
        assert_eq!(name, "body");
        use base64::Engine as _;
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(body),
            base64
        );
    }

    /// Compiles the OCI profile, accepts the call-up, returns the cart form's result and the
    /// bridge's documents (and checks that a wrong password is refused without being echoed).
    fn cart_form(mut bridge: JsonBridge<Native>) -> (serde_json::Value, Vec<(String, Vec<u8>)>) {
        let profile = include_str!("../../samples/oci-buyer-profile.json");
        let compiled = bridge.call(
            "compile-profile",
            &serde_json::json!({"profile": profile, "secrets": {"ACME_SRM_OCI_PASSWORD": "oci-p4ss"}})
                .to_string(),
        );
        assert_eq!(compiled["status"], "ok", "{compiled}");
        let call_up = include_str!("../../samples/oci-call-up.txt");
        let accepted = bridge.call(
            "oci-call-up",
            &serde_json::json!({"profile_id": "acme-srm", "call_up": call_up}).to_string(),
        );
        assert_eq!(accepted["status"], "ok", "{accepted}");
        let cart: serde_json::Value =
            serde_json::from_str(include_str!("../../samples/cart.json")).unwrap_or_default();
        let page = bridge.call(
            "oci-cart-form",
            &serde_json::json!({"profile_id": "acme-srm", "session": accepted["result"]["session"], "cart": cart})
                .to_string(),
        );
        assert_eq!(page["status"], "ok", "{page}");
        assert_eq!(
            page["result"]["content_type"],
            "text/html; charset=iso-8859-1"
        );
        let documents = bridge.take_documents();
        let refused = bridge.call(
            "oci-call-up",
            &serde_json::json!({"profile_id": "acme-srm", "call_up": call_up.replace("oci-p4ss", "nope")})
                .to_string(),
        );
        assert_eq!(refused["status"], "rejected");
        assert!(!refused.to_string().contains("nope"));
        (page["result"].clone(), documents)
    }
}
