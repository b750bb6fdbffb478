//! The cXML PunchOut round trip through the component: every generated document validates
//! against the cXML 1.2.069 DTD (xmllint), the form reads back with an independent HTML parser
//! as exactly the cart that went in, and the component and the native core agree byte for byte.

use base64::Engine as _;
use punchout_host::prelude::*;
use punchout_host::{CallError, Native, Profile, Worker};
use punchout_plugin::model::{Cart, CartLine, Property, Session};
use punchout_plugin::ErrorCode;
use punchout_tests::{envelope, runtime, sample, sample_secrets, validate_cxml};

const START_URL: &str =
    "https://shop.example.com/punchout/start?token=0123456789abcdef0123456789abcdef";

fn worker_and_profile(profile_json: &str) -> (Worker, Profile) {
    let mut worker = runtime().worker();
    let profile = worker
        .compile_profile(profile_json, &sample_secrets())
        .expect("the sample profile compiles");
    (worker, profile)
}

fn sample_cart() -> Cart {
    serde_json::from_str(&sample("cart.json")).expect("the sample cart parses")
}

fn set_up(worker: &mut Worker, profile: &mut Profile) -> Session {
    let accepted = worker
        .cxml_setup(
            profile,
            sample("cxml-setup-request.xml").as_bytes(),
            START_URL,
            &envelope(1),
        )
        .expect("the sample setup request is accepted");
    validate_cxml(&accepted.response).expect("the setup response validates");
    assert!(accepted.response.contains(START_URL));
    accepted.session
}

/// Reads the returned form as a browser would: one form, its action, its one hidden field.
fn read_form(html: &str) -> (String, String, String) {
    let page = scraper::Html::parse_document(html);
    let forms = scraper::Selector::parse("form").unwrap();
    let inputs = scraper::Selector::parse("input").unwrap();
    let found: Vec<_> = page.select(&forms).collect();
    assert_eq!(found.len(), 1, "exactly one form");
    let fields: Vec<_> = page.select(&inputs).collect();
    assert_eq!(fields.len(), 1, "exactly one input");
    let action = found[0].value().attr("action").unwrap().to_owned();
    let name = fields[0].value().attr("name").unwrap().to_owned();
    let value = fields[0].value().attr("value").unwrap().to_owned();
    (action, name, value)
}

#[test]
fn setup_then_cart_return_validates_against_the_dtd() {
    let (mut worker, mut profile) = worker_and_profile(&sample("cxml-buyer-profile.json"));
    let session = set_up(&mut worker, &mut profile);
    assert_eq!(session.buyer_cookie, "c0ffee-42-ACME");
    assert_eq!(
        session.return_url,
        "https://procurement.example.com/punchout/return?sap-client=100"
    );
    assert_eq!(
        session.user_email.as_deref(),
        Some("jane.doe@acme.example.com")
    );
    assert_eq!(session.extrinsics.len(), 3);

    let cart = sample_cart();
    let cart_return = worker
        .cxml_cart_return(&mut profile, &session, &cart, &envelope(2))
        .expect("the sample cart is returned");
    validate_cxml(&cart_return.message).expect("the PunchOutOrderMessage validates");

    let (action, field, value) = read_form(&cart_return.form_html);
    assert_eq!(action, session.return_url);
    assert_eq!(field, "cxml-urlencoded");
    assert_eq!(value, cart_return.message);

    let read = worker
        .cxml_read_order_message(value.as_bytes())
        .expect("the message reads back");
    assert_eq!(read.buyer_cookie, session.buyer_cookie);
    assert_eq!(read.total, "226.80"); // 10 × 4.20 + 2 × 89.90 + 5.00 shipping
    assert_eq!(read.lines.len(), cart.lines.len());
    for (sent, received) in cart.lines.iter().zip(&read.lines) {
        assert_eq!(received.line_ref, sent.line_ref);
        assert_eq!(received.sku, sent.sku);
        assert_eq!(received.description, sent.description);
        assert_eq!(received.unit_price, sent.unit_price);
        assert_eq!(received.quantity, sent.quantity);
    }
    // The profile maps the shop's PCE to the buyer's EA.
    assert_eq!(read.lines[1].unit, "EA");
}

#[test]
fn base64_form_carries_the_same_message() {
    let profile_json = sample("cxml-buyer-profile.json").replace("cxml-urlencoded", "cxml-base64");
    let (mut worker, mut profile) = worker_and_profile(&profile_json);
    let session = set_up(&mut worker, &mut profile);
    let cart_return = worker
        .cxml_cart_return(&mut profile, &session, &sample_cart(), &envelope(2))
        .unwrap();
    let (_, field, value) = read_form(&cart_return.form_html);
    assert_eq!(field, "cxml-base64");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), cart_return.message);
}

#[test]
fn hostile_text_is_escaped_in_the_message_and_the_form() {
    let (mut worker, mut profile) = worker_and_profile(&sample("cxml-buyer-profile.json"));
    let session = set_up(&mut worker, &mut profile);
    let hostile = "\"><script>alert(1)</script> ' & </textarea> ]]> \u{7}bell";
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![CartLine {
            line_ref: format!("ref {hostile}"),
            sku: format!("SKU{hostile}"),
            quantity: "1".into(),
            unit_price: "1.00".into(),
            unit: "EA".into(),
            description: hostile.into(),
            attributes: vec![
                Property::new("classification", "44121704"),
                Property::new("short-name", hostile),
                Property::new("manufacturer-name", hostile),
            ],
        }],
        shipping: None,
        tax: None,
    };
    let cart_return = worker
        .cxml_cart_return(&mut profile, &session, &cart, &envelope(2))
        .unwrap();
    validate_cxml(&cart_return.message).expect("hostile text still validates");
    // As the browser reads the page: one form, one input, and only the page's own script.
    let page = scraper::Html::parse_document(&cart_return.form_html);
    let scripts: Vec<String> = page
        .select(&scraper::Selector::parse("script").unwrap())
        .map(|script| script.text().collect())
        .collect();
    assert_eq!(
        scripts,
        ["document.getElementById(\"punchout-cart-return\").submit();"]
    );
    let (action, _, value) = read_form(&cart_return.form_html);
    assert_eq!(action, session.return_url);
    let read = worker.cxml_read_order_message(value.as_bytes()).unwrap();
    // The bell character cannot be written in XML 1.0: the documented replacement is U+FFFD.
    let expected = hostile.replace('\u{7}', "\u{FFFD}");
    assert_eq!(read.lines[0].description, expected);
    assert_eq!(read.lines[0].sku, format!("SKU{expected}"));
    assert_eq!(read.lines[0].line_ref, format!("ref {expected}"));
}

#[test]
fn an_empty_cart_is_a_valid_cancel() {
    let (mut worker, mut profile) = worker_and_profile(&sample("cxml-buyer-profile.json"));
    let session = set_up(&mut worker, &mut profile);
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![],
        shipping: None,
        tax: None,
    };
    let cart_return = worker
        .cxml_cart_return(&mut profile, &session, &cart, &envelope(2))
        .unwrap();
    validate_cxml(&cart_return.message).expect("an empty PunchOutOrderMessage validates");
    let read = worker
        .cxml_read_order_message(cart_return.message.as_bytes())
        .unwrap();
    assert!(read.lines.is_empty());
    assert_eq!(read.total, "0.00");
}

#[test]
fn invalid_carts_are_refused_with_a_json_pointer() {
    let (mut worker, mut profile) = worker_and_profile(&sample("cxml-buyer-profile.json"));
    let session = set_up(&mut worker, &mut profile);
    type BreakCart = fn(&mut Cart);
    let cases: [(&str, BreakCart, &str); 5] = [
        (
            "quantity 0",
            |cart| cart.lines[1].quantity = "0".into(),
            "/lines/1/quantity",
        ),
        (
            "float price",
            |cart| cart.lines[0].unit_price = "1e3".into(),
            "/lines/0/unit_price",
        ),
        (
            "currency",
            |cart| cart.currency = "euro".into(),
            "/currency",
        ),
        (
            "no classification",
            |cart| cart.lines[1].attributes.clear(),
            "/lines/1/attributes",
        ),
        (
            "shipping",
            |cart| cart.shipping = Some("5,00".into()),
            "/shipping",
        ),
    ];
    for (name, break_cart, pointer) in cases {
        let mut cart = sample_cart();
        break_cart(&mut cart);
        match worker.cxml_cart_return(&mut profile, &session, &cart, &envelope(2)) {
            Err(CallError::Rejected(error)) => {
                assert_eq!(error.code(), ErrorCode::InvalidCart, "{name}");
                assert_eq!(error.location().pointer.as_deref(), Some(pointer), "{name}");
            }
            other => panic!("{name}: expected a rejected cart, got {other:?}"),
        }
    }
}

#[test]
fn a_session_with_a_foreign_return_url_is_refused() {
    let (mut worker, mut profile) = worker_and_profile(&sample("cxml-buyer-profile.json"));
    let mut session = set_up(&mut worker, &mut profile);
    session.return_url = "https://evil.example/steal".into();
    match worker.cxml_cart_return(&mut profile, &session, &sample_cart(), &envelope(2)) {
        Err(CallError::Rejected(error)) => {
            assert_eq!(error.code(), ErrorCode::InvalidSession);
            assert_eq!(error.location().pointer.as_deref(), Some("/return_url"));
        }
        other => panic!("expected a rejected session, got {other:?}"),
    }
}

#[test]
fn component_and_native_core_write_the_same_documents() {
    let profile_json = sample("cxml-buyer-profile.json");
    let request = sample("cxml-setup-request.xml");
    let mut native = Native;
    let mut native_profile = native
        .compile_profile(&profile_json, &sample_secrets())
        .unwrap();
    let (mut worker, mut profile) = worker_and_profile(&profile_json);

    let from_native = native
        .cxml_setup(
            &mut native_profile,
            request.as_bytes(),
            START_URL,
            &envelope(1),
        )
        .unwrap();
    let from_component = worker
        .cxml_setup(&mut profile, request.as_bytes(), START_URL, &envelope(1))
        .unwrap();
    assert_eq!(from_native, from_component);

    let cart = sample_cart();
    let native_return = native
        .cxml_cart_return(
            &mut native_profile,
            &from_native.session,
            &cart,
            &envelope(2),
        )
        .unwrap();
    let component_return = worker
        .cxml_cart_return(&mut profile, &from_component.session, &cart, &envelope(2))
        .unwrap();
    assert_eq!(native_return, component_return);

    let forged = request.replace(">s3cr3t<", ">nope<");
    let native_error = native.cxml_setup(
        &mut native_profile,
        forged.as_bytes(),
        START_URL,
        &envelope(3),
    );
    let component_error =
        worker.cxml_setup(&mut profile, forged.as_bytes(), START_URL, &envelope(3));
    match (native_error, component_error) {
        (Err(CallError::Rejected(a)), Err(CallError::Rejected(b))) => assert_eq!(a, b),
        other => panic!("expected two identical refusals, got {other:?}"),
    }
}

#[test]
fn the_bundled_spec_examples_read_through_the_component() {
    let examples = punchout_tests::spec_dir().join("cxml/examples");
    let message = std::fs::read(examples.join("PunchOutOrderMessage.xml")).unwrap();
    let read = runtime()
        .worker()
        .cxml_read_order_message(&message)
        .unwrap();
    assert_eq!(read.buyer_cookie, "c0ffee-42");
    assert_eq!(read.total, "53.55");
    assert_eq!(read.lines[0].line_ref, "cart-9:line-1");
    assert_eq!(read.lines[0].sku, "ABC-123");
}
