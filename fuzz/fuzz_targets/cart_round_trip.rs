//! Model → document → model: a cart built from arbitrary strings becomes a PunchOutOrderMessage
//! that reads back with the same references, SKUs and descriptions (up to the documented U+FFFD
//! replacement of characters XML cannot carry), or is refused with a typed error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use punchout_plugin::cxml::order_message::{order_message, read_order_message};
use punchout_plugin::model::{Cart, CartLine, Credential, Envelope, Property, Session, SetupOperation};
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

fn profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        BuyerProfile::compile(
            include_str!("../../host-example/samples/cxml-buyer-profile.json"),
            &[ResolvedSecret {
                name: "ACME_ARIBA_SHARED_SECRET".into(),
                value: Secret::new("s3cr3t"),
            }],
        )
        .expect("the sample profile compiles")
    })
}

/// What a string looks like after the XML writer: characters XML 1.0 cannot carry become U+FFFD.
fn as_written(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            _ => c,
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
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
    let session = Session {
        buyer_id: "acme-ariba".into(),
        operation: SetupOperation::Create,
        buyer_cookie: part(4),
        return_url: "https://procurement.example.com/punchout/return".into(),
        buyer: Credential { domain: "NetworkID".into(), identity: "AN01000000001".into() },
        supplier: Credential { domain: "DUNS".into(), identity: "123456789".into() },
        request_payload_id: "1@buyer".into(),
        user_name: None,
        user_email: None,
        extrinsics: Vec::new(),
        ..serde_json::from_str::<Session>(include_str!("../../host-example/samples/cxml-session.json"))
            .expect("the sample session parses")
    };
    let cart = Cart { currency: "EUR".into(), lines: vec![line.clone()], shipping: None, tax: None };
    let envelope = Envelope { payload_id: "1@fuzz".into(), timestamp: "2026-11-25T10:00:00+00:00".into() };
    let Ok(message) = order_message(profile(), &session, &cart, &envelope) else {
        return;
    };
    let read = read_order_message(message.as_bytes()).expect("a message the engine wrote reads back");
    let back = &read.lines[0];
    assert_eq!(back.line_ref, as_written(&line.line_ref));
    assert_eq!(back.sku, as_written(&line.sku));
    assert_eq!(back.description, as_written(&line.description));
    assert_eq!(read.buyer_cookie, as_written(&session.buyer_cookie));
});
