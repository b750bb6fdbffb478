//! Call-up, FUNCTION and cart-field checks on the bundled sample OCI profile.

use super::*;
use crate::error::ErrorCode;
use crate::mapping::targets::{FieldFormat, OCI_ITEM_FIELDS};
use crate::model::{Cart, CartLine, Property};
use crate::oci::cart_form::cart_fields;
use crate::profile::{BuyerProfile, ResolvedSecret, Secret};

const PROFILE: &str = include_str!("../../../host-example/samples/oci-buyer-profile.json");
const CALL_UP: &str = include_str!("../../../host-example/samples/oci-call-up.txt");
const HOOK: &str = "https%3A%2F%2Fsrm.example.com%2Fsap%2Fbc%2Fbsp%2Fsap%2Fbbp_catalog%2Fhook.htm";

fn profile_with(json: &str) -> BuyerProfile {
    BuyerProfile::compile(
        json,
        &[ResolvedSecret {
            name: "ACME_SRM_OCI_PASSWORD".into(),
            value: Secret::new("oci-p4ss"),
        }],
    )
    .unwrap()
}

fn profile() -> BuyerProfile {
    profile_with(PROFILE)
}

fn five() -> BuyerProfile {
    profile_with(&PROFILE.replace("\"version\": \"4.0\"", "\"version\": \"5.0\""))
}

fn with_auth(rest: &str) -> String {
    format!("USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={HOOK}{rest}")
}

#[test]
fn sample_call_up_is_accepted_with_hook_url_byte_exact() {
    let accepted = call_up(&profile(), CALL_UP.as_bytes()).unwrap();
    assert_eq!(
        accepted.session.hook_url,
        "https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm?sap-client=100&~OkCode=ADDI&~TARGET=_top&~CALLER=CTLG"
    );
    assert_eq!(accepted.session.charset, OciCharset::Latin1);
    assert_eq!(accepted.session.target, "_parent");
    assert_eq!(accepted.session.username, "SRM_ACME");
    assert_eq!(accepted.function, OciFunction::Shopping);
    assert_eq!(accepted.oci_version.as_deref(), Some("4.0"));
    assert_eq!(accepted.opi_version.as_deref(), Some("1.0"));
    assert_eq!(accepted.parameters, vec![Property::new("sy-langu", "DE")]);
    assert!(!format!("{accepted:?}").contains("oci-p4ss"));
}

#[test]
fn parameters_in_any_order_with_plus_and_percent_encoding() {
    let body = format!("SEARCHSTRING=copy+paper%20A4&FUNCTION=SOURCING&HOOK_URL={HOOK}&PASSWORD=oci-p4ss&USERNAME=SRM_ACME&~TARGET=_self&~OkCode=ADDI&~CALLER=CTLG");
    let accepted = call_up(&profile(), body.as_bytes()).unwrap();
    assert_eq!(
        accepted.function,
        OciFunction::Sourcing {
            search_string: "copy paper A4".into(),
            vendor: None
        }
    );
    assert_eq!(accepted.session.target, "_self");
    assert_eq!(accepted.ok_code.as_deref(), Some("ADDI"));
    assert_eq!(accepted.caller.as_deref(), Some("CTLG"));
    // Latin-1 percent-encoded bytes are read as Latin-1.
    let body = with_auth("&FUNCTION=BACKGROUND_SEARCH&SEARCHSTRING=Gr%F6%DFe");
    assert_eq!(
        call_up(&profile(), body.as_bytes()).unwrap().function,
        OciFunction::BackgroundSearch {
            search_string: "Größe".into()
        }
    );
}

#[test]
fn every_function_is_typed() {
    let four = profile();
    let five = five();
    let cases: &[(&str, OciFunction)] = &[
        ("", OciFunction::Shopping),
        (
            "&FUNCTION=DETAIL&PRODUCTID=ABC-123",
            OciFunction::Detail {
                product_id: "ABC-123".into(),
            },
        ),
        (
            "&FUNCTION=VALIDATE&PRODUCTID=ABC-123&QUANTITY=12.5",
            OciFunction::Validate {
                product_id: "ABC-123".into(),
                quantity: "12.5".into(),
            },
        ),
        (
            "&FUNCTION=VALIDATE&PRODUCTID=ABC-123",
            OciFunction::Validate {
                product_id: "ABC-123".into(),
                quantity: "1".into(),
            },
        ),
        (
            "&FUNCTION=SOURCING&SEARCHSTRING=toner&VENDOR=100042",
            OciFunction::Sourcing {
                search_string: "toner".into(),
                vendor: Some("100042".into()),
            },
        ),
        (
            "&FUNCTION=BACKGROUND_SEARCH&SEARCHSTRING=toner",
            OciFunction::BackgroundSearch {
                search_string: "toner".into(),
            },
        ),
    ];
    for (rest, expected) in cases {
        assert_eq!(
            &call_up(&four, with_auth(rest).as_bytes()).unwrap().function,
            expected,
            "{rest}"
        );
    }
    let five_only: &[(&str, OciFunction)] = &[
        (
            "&FUNCTION=DETAILADD&PRODUCTID=ABC-123",
            OciFunction::DetailAdd {
                product_id: "ABC-123".into(),
            },
        ),
        (
            "&FUNCTION=QUANTITYCHECK&EXT_PRODUCT_ID=ABC-123&QUANTITY=3",
            OciFunction::QuantityCheck {
                product_id: "ABC-123".into(),
                quantity: "3".into(),
            },
        ),
        (
            "&FUNCTION=QUANTITYCHECK&EXT_PRODUCT_ID=ABC-123",
            OciFunction::QuantityCheck {
                product_id: "ABC-123".into(),
                quantity: "1".into(),
            },
        ),
    ];
    for (rest, expected) in five_only {
        assert_eq!(
            &call_up(&five, with_auth(rest).as_bytes()).unwrap().function,
            expected,
            "{rest}"
        );
        let error = call_up(&four, with_auth(rest).as_bytes()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::UnsupportedOperation, "{rest}");
    }
    for (rest, code) in [
        ("&FUNCTION=DOWNLOADJSON", ErrorCode::UnsupportedOperation),
        ("&FUNCTION=NUKE", ErrorCode::UnsupportedOperation),
        ("&FUNCTION=DETAIL", ErrorCode::InvalidDocument),
        ("&FUNCTION=BACKGROUND_SEARCH", ErrorCode::InvalidDocument),
        (
            "&FUNCTION=VALIDATE&PRODUCTID=A&QUANTITY=-1",
            ErrorCode::InvalidValue,
        ),
        (
            "&FUNCTION=VALIDATE&PRODUCTID=A&QUANTITY=1e3",
            ErrorCode::InvalidValue,
        ),
    ] {
        let error = call_up(&five, with_auth(rest).as_bytes()).unwrap_err();
        assert_eq!(error.code(), code, "{rest}");
        assert!(error.location().field.is_some(), "{rest}");
    }
    assert_eq!(
        quantity_check_reply("12.500", 3).unwrap(),
        r#"{"AVAILABLE_QUANTITY":12.5,"LEADTIME":"3"}"#
    );
    assert!(quantity_check_reply("-1", 3).is_err());
}

#[test]
fn hostile_call_ups_are_refused_and_never_echo_the_password() {
    let profile = profile();
    let encode = |text: &str| {
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    for hook in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "\tjavascript:alert(1)",
        "data:text/html,hi",
        "vbscript:msgbox",
        "//evil.example/sap/bc/bsp/sap/bbp_catalog/",
        "https://evil.example/sap/bc/bsp/sap/bbp_catalog/",
        "https://srm.example.com.evil.com/sap/bc/bsp/sap/bbp_catalog/",
        "https://srm.example.com@evil.com/sap/bc/bsp/sap/bbp_catalog/",
        "http://srm.example.com/sap/bc/bsp/sap/bbp_catalog/",
    ] {
        let body = format!(
            "USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={}",
            encode(hook)
        );
        let error = call_up(&profile, body.as_bytes()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::ReturnUrlNotAllowed, "{hook:?}");
        assert_eq!(error.location().field.as_deref(), Some("HOOK_URL"));
    }
    let cases: Vec<(String, ErrorCode)> = vec![
        (
            format!("{}&HOOK_URL={HOOK}", with_auth("")),
            ErrorCode::InvalidDocument,
        ),
        (
            format!("{}&hook_url={HOOK}", with_auth("")),
            ErrorCode::InvalidDocument,
        ),
        (with_auth("&PASSWORD=oci-p4ss"), ErrorCode::InvalidDocument),
        (
            with_auth(&format!("&x={}", "a".repeat(16 * 1024))),
            ErrorCode::LimitExceeded,
        ),
        (with_auth("&~TARGET=evilframe"), ErrorCode::InvalidValue),
        (
            with_auth("&returntarget=javascript:x"),
            ErrorCode::InvalidValue,
        ),
        (
            with_auth("&http_content_charset=shift_jis"),
            ErrorCode::UnsupportedEncoding,
        ),
        (
            "USERNAME=SRM_ACME&PASSWORD=oci-p4sx".to_owned(),
            ErrorCode::AuthenticationFailed,
        ),
        (
            "USERNAME=SRM_ACME&PASSWORD=".to_owned(),
            ErrorCode::AuthenticationFailed,
        ),
        (
            "USERNAME=SRM_ACME&PASSWORD=oci-p4ss-longer".to_owned(),
            ErrorCode::AuthenticationFailed,
        ),
        (
            "USERNAME=OTHER&PASSWORD=oci-p4ss".to_owned(),
            ErrorCode::AuthenticationFailed,
        ),
        (
            "USERNAME=SRM_ACME&PASSWORD=oci-p4ss".to_owned(),
            ErrorCode::InvalidDocument,
        ),
    ];
    for (body, code) in cases {
        let error = call_up(&profile, body.as_bytes()).unwrap_err();
        assert_eq!(error.code(), code, "{}", crate::model::shorten(&body));
        for shown in [
            error.to_string(),
            format!("{error:?}"),
            error.message().to_owned(),
        ] {
            assert!(!shown.contains("oci-p4s"), "{shown}");
        }
    }
    // The password of a refused duplicate is not echoed either.
    let error = call_up(&profile, with_auth("&PASSWORD=hunter2").as_bytes()).unwrap_err();
    assert!(!format!("{error:?}{error}").contains("hunter2"));
}

fn line(n: usize) -> CartLine {
    CartLine {
        line_ref: format!("cart-9:line-{n}"),
        sku: format!("SKU-{n}"),
        // The most the field holds: 11 digits before and 3 after the `.` (never rounded).
        quantity: "12345678901.123".into(),
        unit_price: "4.2".into(),
        unit: "PCE".into(),
        description: "Copy paper A4 80 g/m², 500 sheets, bright white, FSC certified".into(),
        attributes: vec![
            Property::new("classification", "14111507"),
            Property::new("lead-time", "2"),
            Property::new("image-url", "https://shop.example.com/img/x.png"),
        ],
    }
}

#[test]
fn cart_fields_respect_the_spec_table() {
    let profile = profile();
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![line(1), line(2)],
        shipping: None,
        tax: None,
    };
    let fields = cart_form::cart_fields(&profile, OciVersion::V4, &cart).unwrap();
    let get = |name: &str| {
        fields
            .iter()
            .find(|field| field.name == name)
            .map(|field| field.value.as_str())
    };
    assert_eq!(get("NEW_ITEM-QUANTITY[1]"), Some("12345678901.123"));
    assert_eq!(get("NEW_ITEM-PRICE[2]"), Some("4.2"));
    assert_eq!(get("NEW_ITEM-UNIT[1]"), Some("EA"));
    assert_eq!(get("NEW_ITEM-PRICEUNIT[1]"), Some("1"));
    assert_eq!(get("NEW_ITEM-LEADTIME[1]"), Some("2"));
    assert_eq!(
        get("NEW_ITEM-ZZ_IMAGE_URL[2]"),
        Some("https://shop.example.com/img/x.png")
    );
    assert_eq!(
        get("NEW_ITEM-LONGTEXT_1:132[]"),
        Some(line(1).description.as_str())
    );
    assert!(get("NEW_ITEM-DESCRIPTION[0]").is_none());
    for field in &fields {
        let Some((base, _)) = field.name.split_once('[') else {
            continue;
        };
        let Some(target) = OCI_ITEM_FIELDS.iter().find(|target| target.name == base) else {
            continue;
        };
        if let Some(max) = target.max_chars {
            assert!(
                field.value.chars().count() <= max,
                "{} = {}",
                field.name,
                field.value
            );
        }
        match target.format {
            FieldFormat::Decimal {
                integer_digits,
                decimals,
            } => {
                let (whole, fraction) = field.value.split_once('.').unwrap_or((&field.value, ""));
                assert!(
                    whole.len() <= integer_digits as usize && fraction.len() <= decimals as usize
                );
                assert!(field.value.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
            }
            FieldFormat::Integer => assert!(field.value.bytes().all(|b| b.is_ascii_digit())),
            _ => {}
        }
    }
    // 12 integer digits do not fit.
    let mut big = line(1);
    big.quantity = "123456789012".into();
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![big],
        shipping: None,
        tax: None,
    };
    let error = cart_form::cart_fields(&profile, OciVersion::V4, &cart).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidCart);
}

#[test]
fn oci5_hierarchy_fields_are_checked_and_only_sent_to_5_0() {
    let mut value: serde_json::Value = serde_json::from_str(PROFILE).unwrap();
    value["oci"]["version"] = "5.0".into();
    value["mapping"]["fields"]["NEW_ITEM-ITEM_TYPE"] = "attributes.item-type".into();
    value["mapping"]["fields"]["NEW_ITEM-PARENT_ID"] = "attributes.parent".into();
    let json = value.to_string();
    let profile = profile_with(&json);
    let mut child = line(2);
    child.attributes.push(Property::new("item-type", "F"));
    child.attributes.push(Property::new("parent", "1"));
    let mut root = line(1);
    root.attributes.push(Property::new("item-type", "R"));
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![root, child.clone()],
        shipping: None,
        tax: None,
    };
    let fields = cart_form::cart_fields(&profile, OciVersion::V5, &cart).unwrap();
    assert!(fields
        .iter()
        .any(|f| f.name == "NEW_ITEM-PARENT_ID[2]" && f.value == "1"));
    assert!(fields
        .iter()
        .any(|f| f.name == "NEW_ITEM-ITEM_TYPE[1]" && f.value == "R"));
    let four = cart_form::cart_fields(&profile, OciVersion::V4, &cart).unwrap();
    assert!(!four
        .iter()
        .any(|f| f.name.starts_with("NEW_ITEM-PARENT_ID")));
    let mut orphan = child;
    orphan.attributes.retain(|p| p.name != "parent");
    orphan.attributes.push(Property::new("parent", "2"));
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![line(1), orphan],
        shipping: None,
        tax: None,
    };
    assert_eq!(
        cart_form::cart_fields(&profile, OciVersion::V5, &cart)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidCart
    );
}

#[test]
fn pages_post_to_the_hook_url_in_latin1() {
    let profile = profile();
    let accepted = call_up(&profile, CALL_UP.as_bytes()).unwrap();
    let mut hostile = line(1);
    hostile.description = "\"><script>alert('x')</script> & </textarea> Größe €".into();
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![hostile],
        shipping: None,
        tax: None,
    };
    let page = cart_form(&profile, &accepted.session, &cart).unwrap();
    let (text, _, errors) = encoding_rs::WINDOWS_1252.decode(&page.body);
    assert!(!errors);
    assert_eq!(page.content_type(), "text/html; charset=iso-8859-1");
    assert_eq!(text.matches("<form").count(), 1);
    assert_eq!(text.matches("<script>").count(), 1);
    assert!(text.contains("action=\"https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm\""));
    assert!(text.contains("target=\"_parent\""));
    assert!(text.contains("name=\"~OkCode\" value=\"ADDI\""));
    assert!(text.contains("Größe €"));
    assert!(text.contains("<button type=\"submit\">"));
    let validate = validate_reply(&profile, &accepted.session, &cart).unwrap();
    let validate = String::from_utf8_lossy(&validate.body).into_owned();
    assert!(validate.contains(".submit()") && validate.contains("<noscript>"));
    let two = Cart {
        lines: vec![line(1), line(2)],
        ..cart.clone()
    };
    assert!(validate_reply(&profile, &accepted.session, &two).is_err());
    let search = background_search_reply(&profile, &accepted.session, &two).unwrap();
    let search = String::from_utf8_lossy(&search.body).into_owned();
    assert!(!search.contains("<script") && !search.contains(".submit()"));
    assert!(search.contains("NEW_ITEM-DESCRIPTION[2]"));
    let mut foreign = accepted.session.clone();
    foreign.hook_url = "https://evil.example/".into();
    assert_eq!(
        cart_form(&profile, &foreign, &cart).unwrap_err().code(),
        ErrorCode::InvalidSession
    );
}

#[test]
#[ignore = "timing probe"]
fn timing_probe() {
    let profile = profile();
    let accepted = call_up(&profile, CALL_UP.as_bytes()).unwrap();
    let cart = Cart {
        currency: "EUR".into(),
        lines: (1..=100).map(line).collect(),
        shipping: None,
        tax: None,
    };
    let started = std::time::Instant::now();
    for _ in 0..100 {
        cart_form::cart_fields(&profile, OciVersion::V4, &cart).unwrap();
    }
    println!("fields {:?}", started.elapsed() / 100);
    let started = std::time::Instant::now();
    for _ in 0..100 {
        let line = &cart.lines[0];
        profile
            .mapping()
            .map_line(&crate::mapping::LineView {
                line,
                currency: "EUR",
                line_number: 1,
            })
            .unwrap();
    }
    println!("one map_line {:?}", started.elapsed() / 100);
    let started = std::time::Instant::now();
    for _ in 0..100 {
        cart_form(&profile, &accepted.session, &cart).unwrap();
    }
    println!("page {:?}", started.elapsed() / 100);
}

#[test]
fn thousands_of_parameters_are_read_in_linear_time() {
    // 16 KiB of short distinct names: every one is checked for repetition against a set.
    let query: String = (0..2400).map(|n| format!("p{n}=&")).collect();
    assert!(query.len() <= call_up::MAX_CALL_UP_BYTES);
    assert_eq!(
        call_up::parse_parameters(query.as_bytes()).unwrap().len(),
        2400
    );
    let repeated = format!("{query}P2399=x");
    let error = call_up::parse_parameters(repeated.as_bytes()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidDocument);
    assert_eq!(error.location().field.as_deref(), Some("P2399"));
}

fn cart_of(lines: Vec<CartLine>) -> Cart {
    Cart {
        currency: "EUR".into(),
        lines,
        shipping: None,
        tax: None,
    }
}

#[test]
fn a_hook_url_parameter_with_a_reserved_name_is_refused_at_call_up() {
    let profile = profile();
    for (parameter, name, reason) in [
        (
            "%3FNEW_ITEM-PRICE%5B1%5D%3D0.01",
            "NEW_ITEM-PRICE[1]",
            "it is an OCI item field and would enter the cart",
        ),
        (
            "%3Fsap-client%3D100%26new_item-price%255B1%255D%3D0.01",
            "new_item-price[1]",
            "it is an OCI item field and would enter the cart",
        ),
        (
            "%3Fsubmit%3D1",
            "submit",
            "it would shadow a property of the form",
        ),
        (
            "%3FAction%3Dx",
            "Action",
            "it would shadow a property of the form",
        ),
        (
            "%3Fonclick%3Dx",
            "onclick",
            "it names an event handler of the form",
        ),
    ] {
        let body =
            format!("USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={HOOK}{parameter}&~OkCode=ADDI");
        let error = call_up(&profile, body.as_bytes()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::ReturnUrlNotAllowed, "{name}");
        assert_eq!(
            error.message(),
            format!(
                "`HOOK_URL` parameter `{name}` cannot become a hidden input of the cart form: {reason}"
            )
        );
        assert_eq!(error.location().field.as_deref(), Some("HOOK_URL"));
    }
    // SAP's own parameters stay.
    let body = format!("USERNAME=SRM_ACME&PASSWORD=oci-p4ss&HOOK_URL={HOOK}%3Fsap-client%3D100%26~OkCode%3DADDI%26~TARGET%3D_top%26~CALLER%3DCTLG");
    assert!(call_up(&profile, body.as_bytes()).is_ok());
}

#[test]
fn a_stored_session_whose_hook_url_has_a_reserved_parameter_renders_no_page() {
    let profile = profile();
    let mut session = call_up(&profile, CALL_UP.as_bytes()).unwrap().session;
    session.hook_url.push_str("&submit=1");
    let cart = cart_of(vec![line(1)]);
    for error in [
        cart_form(&profile, &session, &cart).unwrap_err(),
        validate_reply(&profile, &session, &cart).unwrap_err(),
        background_search_reply(&profile, &session, &cart).unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::InvalidSession);
        assert_eq!(
            error.message(),
            "`HOOK_URL` parameter `submit` cannot become a hidden input of the cart form: it would shadow a property of the form"
        );
        assert_eq!(error.location().pointer.as_deref(), Some("/hook_url"));
    }
}

#[test]
fn oci_quantities_must_be_greater_than_zero_like_cxml() {
    let profile = profile();
    let session = call_up(&profile, CALL_UP.as_bytes()).unwrap().session;
    for bad in ["-5", "-0", "0"] {
        let mut second = line(2);
        second.quantity = bad.into();
        let cart = cart_of(vec![line(1), second]);
        for error in [
            cart_form(&profile, &session, &cart).unwrap_err(),
            cart_fields(&profile, OciVersion::V4, &cart).unwrap_err(),
        ] {
            assert_eq!(error.code(), ErrorCode::InvalidCart, "{bad}");
            assert_eq!(
                error.message(),
                format!("expected a quantity greater than zero, found `{bad}`")
            );
            assert_eq!(
                error.location().pointer.as_deref(),
                Some("/lines/1/quantity")
            );
        }
    }
}

#[test]
fn oci_carts_over_the_profile_line_limit_are_refused_before_any_line_is_mapped() {
    let limited = profile_with(&PROFILE.replacen(
        "\"return_urls\"",
        "\"limits\": {\"max_cart_lines\": 2}, \"return_urls\"",
        1,
    ));
    let session = call_up(&limited, CALL_UP.as_bytes()).unwrap().session;
    // The third line's quantity is invalid: the limit is refused first, before lines are read.
    let mut bad = line(3);
    bad.quantity = "-1".into();
    let cart = cart_of(vec![line(1), line(2), bad]);
    for error in [
        cart_form(&limited, &session, &cart).unwrap_err(),
        background_search_reply(&limited, &session, &cart).unwrap_err(),
        cart_fields(&limited, OciVersion::V4, &cart).unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            error.message(),
            "3 lines exceed the limit `max_cart_lines` of 2"
        );
        assert_eq!(error.location().pointer.as_deref(), Some("/lines"));
    }
    // The default: 10 000 lines.
    let profile = profile();
    let session = call_up(&profile, CALL_UP.as_bytes()).unwrap().session;
    let error = cart_form(&profile, &session, &cart_of(vec![line(1); 10_001])).unwrap_err();
    assert_eq!(
        error.message(),
        "10001 lines exceed the limit `max_cart_lines` of 10000"
    );
    let error = BuyerProfile::compile(
        &PROFILE.replacen(
            "\"return_urls\"",
            "\"limits\": {\"max_cart_lines\": 1000000}, \"return_urls\"",
            1,
        ),
        &[ResolvedSecret {
            name: "ACME_SRM_OCI_PASSWORD".into(),
            value: Secret::new("oci-p4ss"),
        }],
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidProfile);
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/limits/max_cart_lines")
    );
}

#[test]
fn oci_functions_with_a_cxml_profile_say_which_protocol_the_buyer_speaks() {
    let cxml = BuyerProfile::compile(
        include_str!("../../../host-example/samples/cxml-buyer-profile.json"),
        &[ResolvedSecret {
            name: "ACME_ARIBA_SHARED_SECRET".into(),
            value: Secret::new("s3cr3t"),
        }],
    )
    .unwrap();
    let session = call_up(&profile(), CALL_UP.as_bytes()).unwrap().session;
    let cart = cart_of(vec![line(1)]);
    for error in [
        call_up(&cxml, CALL_UP.as_bytes()).unwrap_err(),
        cart_form(&cxml, &session, &cart).unwrap_err(),
        cart_fields(&cxml, OciVersion::V4, &cart).unwrap_err(),
    ] {
        assert_eq!(error.code(), ErrorCode::UnsupportedOperation);
        assert_eq!(error.message(), "buyer `acme-ariba` speaks cXML, not OCI");
    }
}
