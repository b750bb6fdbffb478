//! Property tests: random carts with hostile strings in every text field (markup, quotes,
//! `]]>`, `</textarea>`, control characters, non-characters, astral-plane text) become a
//! `PunchOutOrderMessage` that validates against the cXML 1.2.069 DTD, reads back with the same
//! lines, references and buyer cookie, travels exactly in both browser forms, and reopens
//! through an edit or inspect setup request with the same lines. Documents are validated with
//! one xmllint run per batch.

use std::sync::LazyLock;

use base64::Engine as _;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use punchout_plugin::cxml::form::cart_form;
use punchout_plugin::cxml::order_message::{order_message, read_order_message};
use punchout_plugin::cxml::setup::read_setup_request;
use punchout_plugin::model::{parse_decimal, Cart, CartLine, Property, Session, SetupOperation};
use punchout_plugin::profile::{BuyerProfile, FormEncoding, ResolvedSecret, Secret};
use punchout_tests::{envelope, sample, sample_secrets, validate_cxml_batch};

static FORM: LazyLock<scraper::Selector> =
    LazyLock::new(|| scraper::Selector::parse("form").unwrap());
static INPUT: LazyLock<scraper::Selector> =
    LazyLock::new(|| scraper::Selector::parse("input").unwrap());

/// Pieces hostile strings are made of.
const HOSTILE: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "]]>",
    "</textarea>",
    "\"><script>alert(1)</script>",
    "&amp;",
    "&#0;",
    "<!--",
    "-->",
    "<![CDATA[",
    "\u{1}",
    "\u{8}",
    "\u{1F}",
    "\u{7F}",
    "\u{85}",
    "\u{2028}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{FEFF}",
    "\u{1F600}",
    "é",
    "Ω",
    "\t",
    "\n",
    " ",
    "javascript:",
    "%00",
    "\\",
    "{token}",
];

/// Pieces that read back exactly (no characters XML cannot carry, no line-end normalisation,
/// no surrounding white space).
const EXACT: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "]]>",
    "</textarea>",
    "&amp;",
    "<!--",
    "é",
    "Ω",
    "\u{1F600}",
    "javascript:",
    "%00",
    "\\",
    "a",
    "Z",
    "9",
    "-",
    ":",
];

fn pieces(set: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(set).prop_map(str::to_owned),
            1 => "[A-Za-z0-9 ]{0,6}",
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

fn hostile() -> impl Strategy<Value = String> {
    pieces(HOSTILE, 8)
}

fn exact(prefix: &'static str) -> impl Strategy<Value = String> {
    pieces(EXACT, 6).prop_map(move |text| format!("{prefix}{}", text.replace(' ', "_")))
}

fn decimal(max_whole: u32, scale: u32) -> impl Strategy<Value = String> {
    (0..max_whole, 0..10_u32.pow(scale)).prop_map(move |(whole, fraction)| {
        if scale == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{fraction:0width$}", width = scale as usize)
        }
    })
}

fn line() -> impl Strategy<Value = CartLine> {
    (
        exact("L"),
        exact("S"),
        decimal(1000, 3).prop_map(|quantity| {
            if quantity.trim_start_matches(['0', '.']).is_empty() {
                "1".to_owned()
            } else {
                quantity
            }
        }),
        decimal(100_000, 2),
        prop::sample::select(&["PCE", "EA", "KGM", "MTR", "BX"][..]),
        hostile().prop_map(|text| format!("D{text}")),
        prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "short-name",
                        "manufacturer-part-id",
                        "manufacturer-name",
                        "classification",
                        "image-url",
                    ][..],
                ),
                hostile(),
            ),
            0..4,
        ),
    )
        .prop_map(
            |(line_ref, sku, quantity, unit_price, unit, description, attributes)| {
                let mut seen = std::collections::HashSet::new();
                CartLine {
                    line_ref,
                    sku,
                    quantity,
                    unit_price,
                    unit: unit.to_owned(),
                    description,
                    attributes: attributes
                        .into_iter()
                        .filter(|(name, _)| seen.insert(*name))
                        .map(|(name, value)| Property::new(name, value))
                        .collect(),
                }
            },
        )
}

fn cart() -> impl Strategy<Value = Cart> {
    (
        prop::collection::vec(line(), 0..6),
        prop::option::of(decimal(500, 2)),
        prop::option::of(decimal(500, 2)),
        prop::sample::select(&["EUR", "USD", "CHF"][..]),
    )
        .prop_map(|(lines, shipping, tax, currency)| Cart {
            currency: currency.to_owned(),
            lines,
            shipping,
            tax,
        })
}

fn profile() -> BuyerProfile {
    let secrets: Vec<_> = sample_secrets()
        .into_iter()
        .map(|(name, value)| ResolvedSecret {
            name,
            value: Secret::new(value),
        })
        .collect();
    let json = sample("cxml-buyer-profile.json").replace(
        "\"classification_domain\": \"UNSPSC\"",
        "\"classification_domain\": \"UNSPSC\", \"classification_code\": \"44120000\"",
    );
    BuyerProfile::compile(&json, &secrets).unwrap()
}

fn session(profile: &BuyerProfile) -> Session {
    read_setup_request(profile, sample("cxml-setup-request.xml").as_bytes()).unwrap()
}

/// The setup request a buyer's system sends to reopen a returned cart: `ItemOut` lines built
/// from the message's `ItemIn` lines.
fn reopen_request(message: &str, operation: &str, cookie: &str) -> String {
    let start = message.find("<ItemIn ").unwrap_or(message.len());
    let end = message
        .rfind("</ItemIn>")
        .map_or(start, |end| end + "</ItemIn>".len());
    let items = message
        .get(start..end)
        .unwrap_or_default()
        .replace("<ItemIn ", "<ItemOut ")
        .replace("</ItemIn>", "</ItemOut>");
    sample("cxml-setup-request.xml")
        .replace(
            "operation=\"create\"",
            &format!("operation=\"{operation}\""),
        )
        .replace("c0ffee-42-ACME", cookie)
        .replace("</ShipTo>", &format!("</ShipTo>\n{items}"))
}

#[test]
fn random_hostile_carts_validate_and_read_back() {
    let profile = profile();
    let base_session = session(&profile);
    let documents = std::cell::RefCell::new(Vec::new());
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(
        &(cart(), hostile(), prop::bool::ANY),
        |(cart, cookie, inspect)| {
            let mut session = base_session.clone();
            session.buyer_cookie = cookie.clone();
            if inspect {
                session.operation = SetupOperation::Inspect;
            }
            let message = order_message(&profile, &session, &cart, &envelope(1))
                .map_err(|error| TestCaseError::fail(format!("refused: {error}")))?;
            let read = read_order_message(message.as_bytes())
                .map_err(|error| TestCaseError::fail(format!("unreadable: {error}")))?;
            prop_assert_eq!(read.lines.len(), cart.lines.len());
            prop_assert_eq!(&read.currency, &cart.currency);
            // The buyer cookie is echoed verbatim (what XML cannot carry becomes U+FFFD).
            let representable = |c: char| {
                !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
            };
            if cookie.chars().all(representable) {
                prop_assert_eq!(&read.buyer_cookie, &cookie);
            } else {
                prop_assert_eq!(read.buyer_cookie.chars().count(), cookie.chars().count());
            }
            for (back, sent) in read.lines.iter().zip(&cart.lines) {
                prop_assert_eq!(&back.line_ref, &sent.line_ref);
                prop_assert_eq!(&back.sku, &sent.sku);
                prop_assert_eq!(
                    parse_decimal(&back.quantity).ok(),
                    parse_decimal(&sent.quantity).ok()
                );
            }
            let expected_allowed = if inspect {
                SetupOperation::Inspect
            } else {
                SetupOperation::Edit
            };
            prop_assert_eq!(read.operation_allowed, expected_allowed);
            // Hostile case 17: the form has one form, one field, and carries the message exactly.
            for encoding in [FormEncoding::CxmlUrlencoded, FormEncoding::CxmlBase64] {
                let html = cart_form(&session.return_url, encoding, &message);
                let page = scraper::Html::parse_document(&html);
                let forms: Vec<_> = page.select(&FORM).collect();
                let inputs: Vec<_> = page.select(&INPUT).collect();
                prop_assert_eq!(forms.len(), 1);
                prop_assert_eq!(inputs.len(), 1);
                prop_assert_eq!(forms[0].value().attr("action"), Some(session.return_url.as_str()));
                let value = inputs[0].value().attr("value").unwrap_or_default();
                let carried = match encoding {
                    FormEncoding::CxmlUrlencoded => value.to_owned(),
                    FormEncoding::CxmlBase64 => String::from_utf8(
                        base64::engine::general_purpose::STANDARD.decode(value).unwrap(),
                    )
                    .unwrap(),
                };
                prop_assert_eq!(&carried, &message);
            }
            documents.borrow_mut().push(message);
            Ok(())
        },
    );
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let documents = documents.into_inner();
    assert!(documents.len() >= 300);
    // Every document of the run, validated in batches of 100 (one xmllint each).
    for batch in documents.chunks(100) {
        validate_cxml_batch(batch).unwrap_or_else(|report| panic!("invalid POOM: {report}"));
    }
}

#[test]
fn returned_carts_reopen_for_edit_and_inspect_with_the_same_lines() {
    let profile = profile();
    let base_session = session(&profile);
    let mut runner = TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&(cart(), prop::bool::ANY), |(cart, inspect)| {
        let message = order_message(&profile, &base_session, &cart, &envelope(1))
            .map_err(|error| TestCaseError::fail(format!("refused: {error}")))?;
        let read = read_order_message(message.as_bytes())
            .map_err(|error| TestCaseError::fail(format!("unreadable: {error}")))?;
        let operation = if inspect { "inspect" } else { "edit" };
        let request = reopen_request(&message, operation, "reopen-1");
        let reopened = read_setup_request(&profile, request.as_bytes())
            .map_err(|error| TestCaseError::fail(format!("reopen refused: {error}")))?;
        prop_assert_eq!(reopened.operation.as_str(), operation);
        prop_assert_eq!(&reopened.items, &read.lines);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
