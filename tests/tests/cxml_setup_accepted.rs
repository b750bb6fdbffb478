//! Accepted setup requests (`tests/fixtures/cxml-setup`) in the styles of SAP Ariba, Coupa and SAP
//! SRM (Latin-1), and edit/inspect requests that reopen a cart: the buyer is found among several
//! profiles with `identify`, each request gives exactly the session in its `.session.json`
//! snapshot through the component and natively alike, and the setup response validates.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p punchout-tests --test cxml_setup_accepted` rewrites the
//! snapshots; review the diff.

use std::path::PathBuf;

use punchout_host::prelude::*;
use punchout_host::{CallError, Native, Profile};
use punchout_plugin::cxml::setup::identify;
use punchout_plugin::model::{Session, SetupOperation};
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
use punchout_plugin::ErrorCode;
use punchout_tests::{envelope, runtime, sample, validate_cxml, workspace};

const START_URL: &str = "https://shop.example.com/punchout/start/{token}?lang=en";

fn dir() -> PathBuf {
    workspace().join("tests/fixtures/cxml-setup")
}

fn secrets() -> Vec<(String, String)> {
    [
        ("ACME_ARIBA_SHARED_SECRET", "s3cr3t"),
        ("GLOBEX_COUPA_SHARED_SECRET", "c0upa-Secret!"),
        ("INITECH_SRM_SHARED_SECRET", "gehe1m-Sätz"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect()
}

fn profile_jsons() -> Vec<String> {
    vec![
        sample("cxml-buyer-profile.json"),
        std::fs::read_to_string(dir().join("coupa.profile.json")).unwrap(),
        std::fs::read_to_string(dir().join("sap.profile.json")).unwrap(),
    ]
}

fn native_profiles() -> Vec<BuyerProfile> {
    let resolved: Vec<_> = secrets()
        .into_iter()
        .map(|(name, value)| ResolvedSecret {
            name,
            value: Secret::new(value),
        })
        .collect();
    profile_jsons()
        .iter()
        .map(|json| BuyerProfile::compile(json, &resolved).unwrap())
        .collect()
}

/// The fixture's session with the minted token checked and blanked, so that it compares.
fn settled(mut session: Session, response: &str, name: &str) -> Session {
    let token = session.start_token.take().expect("a token was minted");
    assert!(token.len() >= 32, "{name}: token `{token}` is too short");
    assert!(
        token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'),
        "{name}: token `{token}` is not URL-safe"
    );
    let url = START_URL.replace("{token}", &token);
    assert!(
        response.contains(&url.replace('&', "&amp;")),
        "{name}: the response does not carry the minted start URL"
    );
    session
}

#[test]
fn every_accepted_request_gives_its_snapshot_session() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut worker = runtime().worker();
    let mut profiles: Vec<Profile> = profile_jsons()
        .iter()
        .map(|json| worker.compile_profile(json, &secrets()).unwrap())
        .collect();
    let native = native_profiles();
    let native_refs: Vec<&BuyerProfile> = native.iter().collect();
    let mut files: Vec<_> = std::fs::read_dir(dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "fixtures missing in {}", dir().display());
    let mut failures = Vec::new();
    let mut tokens = std::collections::HashSet::new();
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let request = std::fs::read(&path).unwrap();

        let index = {
            let mut refs: Vec<&mut Profile> = profiles.iter_mut().collect();
            worker.cxml_identify(&mut refs, &request).unwrap()
        };
        assert_eq!(
            identify(&native_refs, &request).unwrap(),
            index,
            "{name}: component and native core route differently"
        );

        let accepted = worker
            .cxml_setup(&mut profiles[index], &request, START_URL, &envelope(1))
            .unwrap_or_else(|error| panic!("{name}: refused: {error:?}"));
        validate_cxml(&accepted.response)
            .unwrap_or_else(|report| panic!("{name}: setup response invalid: {report}"));
        let mut native_profile = native[index].clone();
        let native_accepted = Native
            .cxml_setup(&mut native_profile, &request, START_URL, &envelope(1))
            .unwrap();
        assert!(tokens.insert(accepted.session.start_token.clone()));
        assert!(tokens.insert(native_accepted.session.start_token.clone()));
        let session = settled(accepted.session, &accepted.response, &name);
        let native_session = settled(native_accepted.session, &native_accepted.response, &name);
        assert_eq!(
            session, native_session,
            "{name}: component and native differ"
        );

        let rendered = serde_json::to_string_pretty(&session).unwrap() + "\n";
        let snapshot = path.with_extension("session.json");
        if update {
            std::fs::write(&snapshot, &rendered).unwrap();
        } else {
            let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
            if expected != rendered {
                failures.push(format!("{name}:\n{rendered}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "sessions differ from their snapshots:\n{}",
        failures.join("\n")
    );
}

#[test]
fn edit_and_inspect_restore_the_reopened_cart() {
    let native = native_profiles();
    for (file, operation) in [
        ("edit-with-items.xml", SetupOperation::Edit),
        ("inspect-with-items.xml", SetupOperation::Inspect),
    ] {
        let request = std::fs::read(dir().join(file)).unwrap();
        let session =
            punchout_plugin::cxml::setup::read_setup_request(&native[0], &request).unwrap();
        assert_eq!(session.operation, operation);
        let refs: Vec<_> = session
            .items
            .iter()
            .map(|line| {
                (
                    line.line_ref.as_str(),
                    line.sku.as_str(),
                    line.quantity.as_str(),
                )
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("cart-9:line-1", "ABC-123", "2"),
                ("cart-9:line-2", "XYZ-9", "1.5")
            ]
        );
        assert_eq!(session.items[0].unit_price, "12.50");
        assert_eq!(
            session.items[0].description,
            "Ballpoint pen, blue & \"smooth\""
        );
        assert_eq!(session.items[0].attribute("short-name"), Some("Pen, blue"));
        assert_eq!(
            session.items[0].attribute("classification:UNSPSC"),
            Some("44121704")
        );
    }
}

#[test]
fn the_create_request_ignores_item_out_lines() {
    let native = native_profiles();
    let request = std::fs::read_to_string(dir().join("edit-with-items.xml"))
        .unwrap()
        .replace("operation=\"edit\"", "operation=\"create\"");
    let session =
        punchout_plugin::cxml::setup::read_setup_request(&native[0], request.as_bytes()).unwrap();
    assert!(session.items.is_empty());
}

#[test]
fn an_unknown_sender_is_an_unknown_buyer_answered_like_a_wrong_secret() {
    let native = native_profiles();
    let refs: Vec<&BuyerProfile> = native.iter().collect();
    let request = sample("cxml-setup-request.xml").replace("AN01000000001", "AN09999999999");
    let error = identify(&refs, request.as_bytes()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnknownBuyer);
    assert_eq!(error.location().path.as_deref(), Some("/cXML/Header/From"));
    let mut worker = runtime().worker();
    let mut profiles: Vec<Profile> = profile_jsons()
        .iter()
        .map(|json| worker.compile_profile(json, &secrets()).unwrap())
        .collect();
    let mut refs: Vec<&mut Profile> = profiles.iter_mut().collect();
    match worker.cxml_identify(&mut refs, request.as_bytes()) {
        Err(CallError::Rejected(rejected)) => assert_eq!(rejected, error),
        other => panic!("expected unknown-buyer, got {other:?}"),
    }
    let response = worker.cxml_error_response(&error, &envelope(2)).unwrap();
    assert!(response.contains(
        "<Status code=\"401\" text=\"Unauthorized\" xml:lang=\"en\">the sender&apos;s credentials were not accepted</Status>"
    ) || response.contains(
        "<Status code=\"401\" text=\"Unauthorized\" xml:lang=\"en\">the sender's credentials were not accepted</Status>"
    ), "{response}");
    validate_cxml(&response).unwrap();
    // A known buyer with a wrong secret: another code for the shop's log, the same answer.
    let wrong_secret = sample("cxml-setup-request.xml").replace("s3cr3t", "s3cr3x");
    let known = match worker.cxml_identify(&mut refs, wrong_secret.as_bytes()) {
        Err(CallError::Rejected(rejected)) => rejected,
        other => panic!("expected authentication-failed, got {other:?}"),
    };
    assert_eq!(known.code(), ErrorCode::AuthenticationFailed);
    assert_eq!(
        worker.cxml_error_response(&known, &envelope(2)).unwrap(),
        response
    );
}

#[test]
fn a_start_url_without_placeholder_is_used_verbatim_and_tokens_differ() {
    let native = native_profiles();
    let request = sample("cxml-setup-request.xml");
    let plain = "https://shop.example.com/punchout/start?token=fixed";
    let accepted =
        punchout_plugin::cxml::setup::setup(&native[0], request.as_bytes(), plain, &envelope(1))
            .unwrap();
    assert_eq!(accepted.session.start_token, None);
    assert!(accepted.response.contains(plain));
    let tokens: std::collections::HashSet<_> = (0..100)
        .map(|_| punchout_plugin::cxml::setup::mint_start_token().unwrap())
        .collect();
    assert_eq!(tokens.len(), 100);
    assert!(tokens.iter().all(|token| token.len() >= 43));
}

/// The specification's own examples read with their values, natively and through the component
/// alike.
#[test]
fn the_bundled_examples_read_with_their_values() {
    let examples = punchout_tests::spec_dir().join("cxml/examples");
    let native = native_profiles();
    let mut worker = runtime().worker();
    let mut profile = worker
        .compile_profile(&profile_jsons()[0], &secrets())
        .unwrap();
    for (name, operation, cookie, items) in [
        (
            "PunchOutSetupRequest.create.xml",
            SetupOperation::Create,
            "c0ffee-42",
            0,
        ),
        (
            "PunchOutSetupRequest.edit.xml",
            SetupOperation::Edit,
            "c0ffee-43",
            1,
        ),
    ] {
        let request = std::fs::read(examples.join(name)).unwrap();
        let session = punchout_plugin::cxml::setup::read_setup_request(&native[0], &request)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(session.operation, operation, "{name}");
        assert_eq!(session.buyer_cookie, cookie, "{name}");
        assert_eq!(
            session.return_url, "https://procurement.example.com/punchout/return",
            "{name}"
        );
        assert_eq!(session.buyer.identity, "AN01000000001", "{name}");
        assert_eq!(session.supplier.identity, "123456789", "{name}");
        assert_eq!(session.items.len(), items, "{name}");
        if items > 0 {
            assert_eq!(session.items[0].line_ref, "cart-9:line-1");
        }
        let accepted = worker
            .cxml_setup(&mut profile, &request, START_URL, &envelope(1))
            .unwrap_or_else(|error| panic!("{name} through the component: {error}"));
        let mut through_component = accepted.session;
        through_component.start_token = None;
        let mut expected = session;
        expected.start_token = None;
        assert_eq!(
            through_component, expected,
            "{name}: component and native differ"
        );
    }
    let message = std::fs::read(examples.join("PunchOutOrderMessage.xml")).unwrap();
    let read = punchout_plugin::cxml::order_message::read_order_message(&message).unwrap();
    assert_eq!(read.buyer_cookie, "c0ffee-42");
    assert_eq!(read.total, "53.55");
    assert_eq!(read.currency, "EUR");
    assert_eq!(read.operation_allowed, SetupOperation::Edit);
    assert_eq!(read.lines.len(), 1);
    assert_eq!(read.lines[0].sku, "ABC-123");
    assert_eq!(read.lines[0].quantity, "2");
    assert_eq!(read.lines[0].unit_price, "20.00");
    assert_eq!(worker.cxml_read_order_message(&message).unwrap(), read);
}

/// Hostile case 20: the buyer cookie goes back byte for byte, through the component, and plays
/// no part in authentication (the same cookie with a wrong secret is refused).
#[test]
fn the_buyer_cookie_is_echoed_verbatim_and_never_trusted() {
    let mut worker = runtime().worker();
    let mut profile = worker
        .compile_profile(&sample("cxml-buyer-profile.json"), &secrets())
        .unwrap();
    let request = std::fs::read_to_string(dir().join("ariba.xml")).unwrap();
    let accepted = worker
        .cxml_setup(&mut profile, request.as_bytes(), START_URL, &envelope(1))
        .unwrap();
    assert_eq!(
        accepted.session.buyer_cookie,
        "1CX3L4843PPZO <ariba> & \"quoted\""
    );
    let cart = punchout_plugin::model::Cart {
        currency: "USD".into(),
        lines: Vec::new(),
        shipping: None,
        tax: None,
    };
    let cart_return = worker
        .cxml_cart_return(&mut profile, &accepted.session, &cart, &envelope(2))
        .unwrap();
    validate_cxml(&cart_return.message).unwrap();
    let read = worker
        .cxml_read_order_message(cart_return.message.as_bytes())
        .unwrap();
    assert_eq!(read.buyer_cookie, accepted.session.buyer_cookie);
    assert!(read.lines.is_empty(), "an empty cart is a cancel");

    let forged = request.replace("<SharedSecret>s3cr3t<", "<SharedSecret>1CX3L4843PPZO<");
    match worker.cxml_setup(&mut profile, forged.as_bytes(), START_URL, &envelope(3)) {
        Err(CallError::Rejected(error)) => {
            assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
        }
        other => panic!("expected authentication-failed, got {other:?}"),
    }
}
