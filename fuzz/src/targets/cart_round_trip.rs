//! Model → document → model: a cart built from arbitrary strings becomes a PunchOutOrderMessage
//! that reads back with the same references, SKUs and descriptions (up to the documented U+FFFD
//! replacement of characters XML cannot carry), or is refused with a typed error.

use punchout_plugin::cxml::order_message::{order_message, read_order_message};
use punchout_plugin::model::{Cart, CartLine, Envelope, Property};

use crate::fixtures::{cxml_profile, cxml_session};

/// What a string looks like after the XML writer: characters XML 1.0 cannot carry become U+FFFD.
pub fn as_written(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            _ => c,
        })
        .collect()
}

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split('\u{1}').collect();
    let part = |index: usize| parts.get(index).copied().unwrap_or("x").to_owned();
    let line = CartLine {
        line_ref: part(0),
        sku: part(1),
        quantity: "2".into(),
        unit_price: "3.10".into(),
        unit: "EA".into(),
        description: part(2),
        attributes: vec![
            Property::new("classification", "44121704"),
            Property::new("short-name", part(3)),
        ],
    };
    let mut session = cxml_session();
    session.buyer_cookie = part(4);
    session.extrinsics.clear();
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![line.clone()],
        shipping: None,
        tax: None,
    };
    let envelope = Envelope {
        payload_id: "1@fuzz".into(),
        timestamp: "2026-11-25T10:00:00+00:00".into(),
    };
    let Ok(message) = order_message(cxml_profile(), &session, &cart, &envelope) else {
        return;
    };
    let read =
        read_order_message(message.as_bytes()).expect("a message the engine wrote reads back");
    let back = &read.lines[0];
    assert_eq!(back.line_ref, as_written(&line.line_ref));
    assert_eq!(back.sku, as_written(&line.sku));
    assert_eq!(back.description, as_written(&line.description));
    assert_eq!(read.buyer_cookie, as_written(&session.buyer_cookie));
}
