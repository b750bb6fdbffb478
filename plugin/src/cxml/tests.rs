//! Authentication, routing, refusals and cart amounts on the bundled sample cXML buyer.

use crate::error::{Error, ErrorCode};
use crate::model::{Cart, Envelope, Session};
use crate::profile::{BuyerProfile, ResolvedSecret, Secret};

use super::order_message::order_message;
use super::setup::{identify, read_setup_request, setup};
use super::status::error_response;

const PROFILE: &str = include_str!("../../../host-example/samples/cxml-buyer-profile.json");
const OCI_PROFILE: &str = include_str!("../../../host-example/samples/oci-buyer-profile.json");
const REQUEST: &str = include_str!("../../../host-example/samples/cxml-setup-request.xml");
const SESSION: &str = include_str!("../../../host-example/samples/cxml-session.json");
const CART: &str = include_str!("../../../host-example/samples/cart.json");

fn profile_with(json: &str) -> BuyerProfile {
    BuyerProfile::compile(
        json,
        &[
            ResolvedSecret {
                name: "ACME_ARIBA_SHARED_SECRET".into(),
                value: Secret::new("s3cr3t"),
            },
            ResolvedSecret {
                name: "ACME_SRM_OCI_PASSWORD".into(),
                value: Secret::new("oci-p4ss"),
            },
        ],
    )
    .unwrap()
}

fn profile() -> BuyerProfile {
    profile_with(PROFILE)
}

fn envelope() -> Envelope {
    Envelope {
        payload_id: "1@shop.example".into(),
        timestamp: "2026-11-25T10:00:00+01:00".into(),
    }
}

fn session() -> Session {
    serde_json::from_str(SESSION).unwrap()
}

fn cart() -> Cart {
    serde_json::from_str(CART).unwrap()
}

fn refused(request: &str) -> Error {
    read_setup_request(&profile(), request.as_bytes()).unwrap_err()
}

/// The `Status` element of a cXML `Response`, with everything the buyer reads.
fn status_of(response: &str) -> &str {
    let start = response.find("<Status").unwrap();
    let end = response.find("</Status>").unwrap();
    &response[start..end]
}

#[test]
fn unknown_buyer_and_wrong_secret_give_the_buyer_the_same_response() {
    let profiles = [&profile()];
    let unknown = identify(
        &profiles,
        REQUEST
            .replacen("AN01000000001", "AN09999999999", 1)
            .as_bytes(),
    )
    .unwrap_err();
    let wrong_secret =
        identify(&profiles, REQUEST.replace("s3cr3t", "s3cr3x").as_bytes()).unwrap_err();
    let foreign_sender = identify(
        &profiles,
        REQUEST
            .replace(
                "<Credential domain=\"NetworkID\"><Identity>AN01000000001</Identity><SharedSecret>",
                "<Credential domain=\"NetworkID\"><Identity>AN07777777777</Identity><SharedSecret>",
            )
            .as_bytes(),
    )
    .unwrap_err();
    // The shop's log gets the precise code and where.
    assert_eq!(unknown.code(), ErrorCode::UnknownBuyer);
    assert_eq!(
        unknown.location().path.as_deref(),
        Some("/cXML/Header/From")
    );
    assert_eq!(wrong_secret.code(), ErrorCode::AuthenticationFailed);
    assert_eq!(foreign_sender.code(), ErrorCode::AuthenticationFailed);
    assert_eq!(
        wrong_secret.location().path.as_deref(),
        Some("/cXML/Header/Sender")
    );
    // The buyer reads one refusal.
    let responses =
        [&unknown, &wrong_secret, &foreign_sender].map(|error| error_response(error, &envelope()));
    let expected = "<Status code=\"401\" text=\"Unauthorized\" xml:lang=\"en\">the sender&apos;s credentials were not accepted";
    for response in &responses {
        let status = status_of(response)
            .replace("&#39;", "&apos;")
            .replace('\'', "&apos;");
        assert_eq!(status, expected);
    }
    assert_eq!(responses[0], responses[1]);
    assert_eq!(responses[1], responses[2]);
    assert_eq!(identify(&profiles, REQUEST.as_bytes()), Ok(0));
}

#[test]
fn a_sender_the_profile_does_not_accept_is_refused_like_a_wrong_secret() {
    let foreign = REQUEST.replace(
        "<Credential domain=\"NetworkID\"><Identity>AN01000000001</Identity><SharedSecret>",
        "<Credential domain=\"NetworkID\"><Identity>AN07777777777</Identity><SharedSecret>",
    );
    let error = refused(&foreign);
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    assert_eq!(
        error.message(),
        "the sender's credentials were not accepted"
    );
    assert_eq!(
        error.location().path.as_deref(),
        Some("/cXML/Header/Sender")
    );
    // A profile that names the network as its sender accepts it, and only it.
    let network = profile_with(&PROFILE.replacen(
        "\"shared_secret\"",
        "\"sender\": [{\"domain\": \"NetworkID\", \"identity\": \"AN07777777777\"}], \"shared_secret\"",
        1,
    ));
    assert!(read_setup_request(&network, foreign.as_bytes()).is_ok());
    let error = read_setup_request(&network, REQUEST.as_bytes()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    // An empty `sender` list is a profile error.
    let error = BuyerProfile::compile(
        &PROFILE.replacen("\"shared_secret\"", "\"sender\": [], \"shared_secret\"", 1),
        &[ResolvedSecret {
            name: "ACME_ARIBA_SHARED_SECRET".into(),
            value: Secret::new("s3cr3t"),
        }],
    )
    .unwrap_err();
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/authentication/sender")
    );
}

#[test]
fn whitespace_around_the_shared_secret_is_ignored_like_around_the_identity() {
    let pretty = REQUEST.replace(
        "<Identity>AN01000000001</Identity><SharedSecret>s3cr3t</SharedSecret>",
        "<Identity>\n  AN01000000001\n</Identity>\n<SharedSecret>\n  s3cr3t\n</SharedSecret>",
    );
    let session = read_setup_request(&profile(), pretty.as_bytes()).unwrap();
    assert_eq!(session.buyer.identity, "AN01000000001");
    // Whitespace inside the value still counts.
    let error = refused(&REQUEST.replace("s3cr3t", "s3 cr3t"));
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
}

#[test]
fn cxml_functions_with_an_oci_profile_say_which_protocol_the_buyer_speaks() {
    let oci = profile_with(OCI_PROFILE);
    let errors = [
        setup(
            &oci,
            REQUEST.as_bytes(),
            "https://shop.example/start",
            &envelope(),
        )
        .unwrap_err(),
        identify(&[&profile(), &oci], REQUEST.as_bytes()).unwrap_err(),
        order_message(&oci, &session(), &cart(), &envelope()).unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.code(), ErrorCode::UnsupportedOperation);
        assert_eq!(error.message(), "buyer `acme-srm` speaks OCI, not cXML");
    }
}

#[test]
fn huge_shipping_and_tax_are_refused_instead_of_overflowing() {
    let mut cart = cart();
    // Each fits the decimal type; their sum did not, and `+` panicked.
    cart.shipping = Some("79228162514264337593543950335".into());
    cart.tax = Some("79228162514264337593543950335".into());
    let error = order_message(&profile(), &session(), &cart, &envelope()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidCart);
    assert_eq!(
        error.message(),
        "`79228162514264337593543950335` has more than 15 digits before the decimal point"
    );
    assert_eq!(error.location().pointer.as_deref(), Some("/shipping"));
    for (field, pointer) in [("shipping", "/shipping"), ("tax", "/tax")] {
        let mut cart = self::cart();
        let value = Some("-5.00".to_owned());
        if field == "shipping" {
            cart.shipping = value;
        } else {
            cart.tax = value;
        }
        let error = order_message(&profile(), &session(), &cart, &envelope()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidCart);
        assert_eq!(
            error.message(),
            "expected an amount of zero or more, found `-5.00`"
        );
        assert_eq!(error.location().pointer.as_deref(), Some(pointer));
    }
    let mut cart = self::cart();
    cart.lines[1].unit_price = "1000000000000000".into();
    let error = order_message(&profile(), &session(), &cart, &envelope()).unwrap_err();
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/lines/1/unit_price")
    );
    // A product out of the decimal type's range is a typed error, not a panic.
    let mut cart = self::cart();
    cart.lines[0].quantity = "999999999999999".into();
    cart.lines[0].unit_price = "999999999999999".into();
    let error = order_message(&profile(), &session(), &cart, &envelope()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidCart);
    assert_eq!(error.message(), "the cart total is out of range");
    // Large amounts within the range still add up.
    cart.shipping = Some("999999999999999.99".into());
    cart.tax = Some("999999999999999.99".into());
    cart.lines[0].quantity = "9999999999".into();
    let message = order_message(&profile(), &session(), &cart, &envelope()).unwrap();
    assert!(
        message.contains("<Money currency=\"EUR\">10000000000999990000000180.78</Money>"),
        "{message}"
    );
}

#[test]
fn cxml_carts_over_the_line_limit_are_refused_at_lines() {
    let limited = profile_with(&PROFILE.replacen(
        "\"return_urls\"",
        "\"limits\": {\"max_cart_lines\": 1}, \"return_urls\"",
        1,
    ));
    let mut cart = cart();
    cart.lines[1].quantity = "-1".into();
    let error = order_message(&limited, &session(), &cart, &envelope()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(
        error.message(),
        "2 lines exceed the limit `max_cart_lines` of 1"
    );
    assert_eq!(error.location().pointer.as_deref(), Some("/lines"));
    let error = order_message(&profile(), &session(), &cart, &envelope()).unwrap_err();
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/lines/1/quantity")
    );
}

#[test]
fn two_to_or_two_sender_elements_are_refused() {
    for (element, duplicate) in [
        (
            "To",
            "<To><Credential domain=\"DUNS\"><Identity>123456789</Identity></Credential></To>",
        ),
        (
            "Sender",
            "<Sender><Credential domain=\"NetworkID\"><Identity>AN01000000001</Identity><SharedSecret>s3cr3t</SharedSecret></Credential><UserAgent>x</UserAgent></Sender>",
        ),
    ] {
        let request = REQUEST.replacen("</Header>", &format!("{duplicate}</Header>"), 1);
        let error = refused(&request);
        assert_eq!(error.code(), ErrorCode::InvalidDocument, "{element}");
        assert_eq!(
            error.location().path.as_deref(),
            Some(format!("/cXML/Header/{element}").as_str())
        );
        let routed = identify(&[&profile()], request.as_bytes()).unwrap_err();
        assert_eq!(routed.code(), ErrorCode::InvalidDocument, "{element}");
    }
}
