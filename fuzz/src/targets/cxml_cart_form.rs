//! The cXML cart return from an arbitrary cart and buyer cookie ([`crate::cart_case`]): the
//! `PunchOutOrderMessage` is written or the cart refused with a typed error. The form around
//! it, read by html5ever as the browser reads it, has exactly one form posting to the session's
//! return URL, exactly one input (named by the profile's encoding) whose value is the message
//! byte for byte (`cxml-urlencoded`) or its base64 (`cxml-base64`), no event-handler attribute
//! and one script, the auto-submit; the message reads back with the cart's lines (references,
//! SKUs, descriptions, quantities) and the buyer cookie.

use base64::Engine as _;
use punchout_plugin::cxml::form;
use punchout_plugin::cxml::order_message::{order_message, read_order_message};
use punchout_plugin::model::{parse_decimal, Envelope, SetupOperation};
use punchout_plugin::profile::FormEncoding;
use punchout_plugin::ErrorCode;

use crate::cart_case::CartCase;
use crate::fixtures::{cxml_base64_profile, cxml_profile, cxml_session};
use crate::targets::cart_round_trip::as_written;

/// The page's only script.
pub const AUTO_SUBMIT: &str = "document.getElementById(\"punchout-cart-return\").submit();";

pub fn run(data: &[u8]) {
    let case = CartCase::decode(data);
    let profile = if case.has_flag('b') {
        cxml_base64_profile()
    } else {
        cxml_profile()
    };
    let mut session = cxml_session();
    session.buyer_cookie = case.text.clone();
    if case.has_flag('i') {
        session.operation = SetupOperation::Inspect;
    }
    let envelope = Envelope {
        payload_id: "1@fuzz".into(),
        timestamp: "2026-11-25T10:00:00+00:00".into(),
    };
    let message = match order_message(profile, &session, &case.cart, &envelope) {
        Ok(message) => message,
        Err(error) => {
            assert!(
                matches!(
                    error.code(),
                    ErrorCode::InvalidCart | ErrorCode::InvalidSession | ErrorCode::LimitExceeded
                ),
                "unexpected error: {error:?}"
            );
            return;
        }
    };
    let encoding = profile.cxml().form_encoding;
    let html = form::cart_form(&session.return_url, encoding, &message);
    let read = crate::page::read(&html);
    assert_eq!(read.forms.len(), 1, "exactly one form");
    assert_eq!(read.inputs, 1, "exactly one input");
    assert_eq!(read.handlers, 0, "an event-handler attribute");
    assert_eq!(
        read.scripts,
        [AUTO_SUBMIT],
        "the auto-submit is the only script"
    );
    let page_form = &read.forms[0];
    assert_eq!(
        page_form.action.as_deref(),
        Some(session.return_url.as_str())
    );
    assert_eq!(page_form.method.as_deref(), Some("post"));
    let (name, value) = &page_form.inputs[0];
    assert_eq!(name, encoding.field_name());
    let carried = match encoding {
        FormEncoding::CxmlUrlencoded => value.clone(),
        FormEncoding::CxmlBase64 => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(value)
                .expect("the base64 field decodes"),
        )
        .expect("the decoded message is UTF-8"),
    };
    assert!(
        carried == message,
        "the form does not carry the message exactly"
    );

    let back =
        read_order_message(message.as_bytes()).expect("a message the engine wrote reads back");
    assert_eq!(back.buyer_cookie, as_written(&session.buyer_cookie));
    assert_eq!(back.lines.len(), case.cart.lines.len());
    for (line, sent) in back.lines.iter().zip(&case.cart.lines) {
        assert_eq!(line.line_ref, as_written(&sent.line_ref));
        assert_eq!(line.sku, as_written(&sent.sku));
        assert_eq!(line.description, as_written(&sent.description));
        assert_eq!(
            parse_decimal(&line.quantity).ok(),
            parse_decimal(&sent.quantity).ok(),
            "quantity of `{}`",
            sent.line_ref
        );
    }
}
