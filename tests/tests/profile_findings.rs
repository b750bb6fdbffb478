//! The mistakes that used to pass every check and only show at the buyer (issue 11), through the
//! component and natively alike: `config check` reports each with its JSON pointer and a hint,
//! `config preview` notes what happens to each field, prices and quantities are never rounded,
//! and a buyer's users may each have their own secret.

use punchout_host::prelude::*;
use punchout_host::{CallError, Native};
use punchout_plugin::mapping::check::{Diagnostic, Severity};
use punchout_plugin::model::{Cart, CartLine, Property};
use punchout_plugin::ErrorCode;
use punchout_tests::{envelope, runtime, sample};
use serde_json::{json, Value};

fn check_both(json: &str) -> Vec<Diagnostic> {
    let through_component = runtime().worker().check_profile(json).unwrap();
    assert_eq!(
        through_component,
        Native.check_profile(json).unwrap(),
        "component and native core disagree"
    );
    through_component
}

fn profile(name: &str) -> Value {
    serde_json::from_str(&sample(name)).unwrap()
}

fn findings(profile: &Value) -> Vec<(Severity, String, String)> {
    check_both(&profile.to_string())
        .into_iter()
        .map(|found| {
            (
                found.severity,
                found.location.pointer.unwrap_or_default(),
                found.message,
            )
        })
        .collect()
}

fn rejected<T: std::fmt::Debug>(result: Result<T, CallError>) -> punchout_plugin::Error {
    match result {
        Err(CallError::Rejected(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn an_oci5_field_in_a_4_0_profile_is_an_error_with_the_fix() {
    let mut srm = profile("profiles/sap-srm-oci40.json");
    srm["mapping"]["fields"]["NEW_ITEM-ITEM_TYPE"] = json!({"literal": "R"});
    let found = findings(&srm);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Severity::Error);
    assert_eq!(found[0].1, "/mapping/fields/NEW_ITEM-ITEM_TYPE");
    assert_eq!(
        found[0].2,
        "`NEW_ITEM-ITEM_TYPE` is an OCI 5.0 field and this buyer speaks OCI 4.0: its form would leave it out; set `\"oci\": {\"version\": \"5.0\"}` if the buyer's system is on 5.0, else remove the rule"
    );
}

#[test]
fn return_url_entries_that_cannot_match_as_written_are_reported() {
    let mut ariba = profile("profiles/ariba.json");
    ariba["return_urls"] = json!([
        "https://*.buyer.example/",
        "http://procurement.example.com/punchout/",
        "https://procurement.example.com/punchout/#cart",
        "https://procurement.example.com/punchout/"
    ]);
    let found = findings(&ariba);
    let located: Vec<_> = found
        .iter()
        .map(|(severity, pointer, _)| (*severity, pointer.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (Severity::Error, "/return_urls/0"),
            (Severity::Warning, "/return_urls/1"),
            (Severity::Warning, "/return_urls/2"),
        ],
        "{found:?}"
    );
    assert!(found[0]
        .2
        .contains("entries are matched literally (no wildcards)"));
    assert!(found[1]
        .2
        .contains("write `https://procurement.example.com/punchout/`"));
    assert!(found[2].2.contains("has a query or fragment"));
}

#[test]
fn units_default_may_be_the_shops_own_unit() {
    let mut jaggaer = profile("profiles/jaggaer.json");
    jaggaer["mapping"]["units"] = json!({"default": "piece", "map": {"piece": "C62", "PCE": "EA"}});
    assert_eq!(findings(&jaggaer), []);
    jaggaer["mapping"]["units"]["default"] = json!("Stk");
    let found = findings(&jaggaer);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "/mapping/units/default");
}

#[test]
fn preview_notes_a_missing_attribute_and_what_the_latin1_page_replaces() {
    let json = sample("profiles/sap-srm-oci40.json");
    let secrets = [("EXAMPLE_AG_OCI_PASSWORD".to_owned(), "x".to_owned())];
    let mut line: CartLine = serde_json::from_str(&sample("cart-line.json")).unwrap();
    // The shop spells it `colour`; the profile's template reads `{attributes.color}`.
    for attribute in &mut line.attributes {
        if attribute.name == "color" {
            attribute.name = "colour".into();
        }
    }
    line.description = "Łódź Kopierpapier".into();
    let mut worker = runtime().worker();
    let mut compiled = worker.compile_profile(&json, &secrets).unwrap();
    let mapped = worker.preview_line(&mut compiled, &line, "EUR").unwrap();
    let mut native = Native.compile_profile(&json, &secrets).unwrap();
    assert_eq!(
        Native.preview_line(&mut native, &line, "EUR").unwrap(),
        mapped
    );
    let notes = |name: &str| {
        mapped
            .fields
            .iter()
            .find(|field| field.field == name)
            .map(|field| field.notes.clone())
            .unwrap_or_else(|| panic!("`{name}` is not in the preview"))
    };
    assert_eq!(
        notes("NEW_ITEM-CUST_FIELD1"),
        [
            "missing attribute: `color` is not on this line, did you mean `colour`?",
            "empty: profile rule /mapping/fields/NEW_ITEM-CUST_FIELD1 gives no value for this line"
        ]
    );
    assert_eq!(
        notes("NEW_ITEM-DESCRIPTION"),
        ["transliterated: the Latin-1 page writes `Ł` as `L`, `ź` as `z`"]
    );
    // OCI 5.0 fields are not shown for a 4.0 buyer.
    assert!(mapped
        .fields
        .iter()
        .all(|field| !field.field.starts_with("NEW_ITEM-ITEM_TYPE")
            && field.field != "NEW_ITEM-PARENT_ID"));
}

fn oci_cart(unit_price: &str, quantity: &str) -> Cart {
    Cart {
        currency: "EUR".into(),
        lines: vec![CartLine {
            line_ref: "l1".into(),
            sku: "S-1".into(),
            quantity: quantity.into(),
            unit_price: unit_price.into(),
            unit: "EA".into(),
            description: "Screw".into(),
            attributes: vec![Property::new("lead-time", "2")],
        }],
        shipping: None,
        tax: None,
    }
}

fn oci_secrets() -> Vec<(String, String)> {
    vec![("ACME_SRM_OCI_PASSWORD".to_owned(), "oci-p4ss".to_owned())]
}

fn page_text(page: &punchout_plugin::oci::OciPage) -> String {
    encoding_rs::WINDOWS_1252.decode(&page.body).0.into_owned()
}

#[test]
fn an_oci_price_with_four_decimals_is_kept_exact_or_refused_never_rounded() {
    let mut without_price_unit = profile("oci-buyer-profile.json");
    without_price_unit["mapping"]["fields"]
        .as_object_mut()
        .unwrap()
        .remove("NEW_ITEM-PRICEUNIT");
    let mut worker = runtime().worker();
    let mut compiled = worker
        .compile_profile(&without_price_unit.to_string(), &oci_secrets())
        .unwrap();
    let session = worker
        .oci_call_up(&mut compiled, sample("oci-call-up.txt").as_bytes())
        .unwrap()
        .session;
    let page = worker
        .oci_cart_form(&mut compiled, &session, &oci_cart("19243.6305", "1"))
        .unwrap();
    let html = page_text(&page);
    assert!(
        html.contains(r#"name="NEW_ITEM-PRICE[1]" value="192436.305""#),
        "{html}"
    );
    assert!(html.contains(r#"name="NEW_ITEM-PRICEUNIT[1]" value="10""#));
    // 0.0001 was written as 0 (a free item): now 0.001 per 10.
    let html = page_text(
        &worker
            .oci_cart_form(&mut compiled, &session, &oci_cart("0.0001", "1"))
            .unwrap(),
    );
    assert!(html.contains(r#"name="NEW_ITEM-PRICE[1]" value="0.001""#));
    // A quantity with more decimals than the field holds is refused.
    let error = rejected(worker.oci_cart_form(&mut compiled, &session, &oci_cart("1", "2.0005")));
    assert_eq!(error.code(), ErrorCode::InvalidCart);
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/lines/0/quantity")
    );

    // The sample profile sets `NEW_ITEM-PRICEUNIT` to 1 itself: refused at the price.
    let mut sample_profile = worker
        .compile_profile(&sample("oci-buyer-profile.json"), &oci_secrets())
        .unwrap();
    let error =
        rejected(worker.oci_cart_form(&mut sample_profile, &session, &oci_cart("19243.6305", "1")));
    assert_eq!(error.code(), ErrorCode::InvalidCart);
    assert_eq!(
        error.location().pointer.as_deref(),
        Some("/lines/0/unit_price")
    );
    assert!(error.message().starts_with(
        "field `NEW_ITEM-PRICE`: price `19243.6305` has more than 3 decimals and the profile maps `NEW_ITEM-PRICEUNIT` itself"
    ));
}

#[test]
fn each_oci_user_may_have_its_own_password() {
    let mut users = profile("oci-buyer-profile.json");
    users["authentication"]["credentials"] = json!([
        {"domain": "oci", "identity": "SRM_ACME", "secret": {"secret": "SRM_ACME_PASSWORD"}},
        {"domain": "oci", "identity": "SRM_OTHER"}
    ]);
    let secrets = [
        ("SRM_ACME_PASSWORD".to_owned(), "own-pw".to_owned()),
        ("ACME_SRM_OCI_PASSWORD".to_owned(), "oci-p4ss".to_owned()),
    ];
    assert_eq!(findings(&users), []);
    let mut worker = runtime().worker();
    let mut compiled = worker
        .compile_profile(&users.to_string(), &secrets)
        .unwrap();
    let call_up = sample("oci-call-up.txt");
    let own = call_up.replace("PASSWORD=oci-p4ss", "PASSWORD=own-pw");
    assert_eq!(
        worker
            .oci_call_up(&mut compiled, own.as_bytes())
            .unwrap()
            .session
            .username,
        "SRM_ACME"
    );
    // The shared password is not SRM_ACME's any more, but still SRM_OTHER's.
    let error = rejected(worker.oci_call_up(&mut compiled, call_up.as_bytes()));
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
    let other = call_up.replace("USERNAME=SRM_ACME", "USERNAME=SRM_OTHER");
    assert!(worker.oci_call_up(&mut compiled, other.as_bytes()).is_ok());

    // A credential with no secret at all, when the profile has no shared one either.
    users["authentication"]
        .as_object_mut()
        .unwrap()
        .remove("shared_secret");
    let found = findings(&users);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Severity::Error);
    assert_eq!(found[0].1, "/authentication/credentials/1");
    match runtime()
        .worker()
        .compile_profile(&users.to_string(), &secrets)
    {
        Err(CallError::Rejected(error)) => assert_eq!(
            error.location().pointer.as_deref(),
            Some("/authentication/credentials/1")
        ),
        other => panic!("expected a refused profile, got {other:?}"),
    }
}

#[test]
fn a_cxml_credential_may_have_its_own_shared_secret() {
    let mut own = profile("cxml-buyer-profile.json");
    own["authentication"] = json!({
        "credentials": [{"domain": "NetworkID", "identity": "AN01000000001", "secret": {"secret": "AN01_SECRET"}}]
    });
    let request = sample("cxml-setup-request.xml");
    let mut worker = runtime().worker();
    let right = [("AN01_SECRET".to_owned(), "s3cr3t".to_owned())];
    let mut compiled = worker.compile_profile(&own.to_string(), &right).unwrap();
    assert!(worker
        .cxml_setup(
            &mut compiled,
            request.as_bytes(),
            "https://shop.example/start",
            &envelope(1)
        )
        .is_ok());
    let wrong = [("AN01_SECRET".to_owned(), "other".to_owned())];
    let mut compiled = worker.compile_profile(&own.to_string(), &wrong).unwrap();
    let error = rejected(worker.cxml_setup(
        &mut compiled,
        request.as_bytes(),
        "https://shop.example/start",
        &envelope(1),
    ));
    assert_eq!(error.code(), ErrorCode::AuthenticationFailed);
}

#[test]
fn a_child_profile_validates_against_the_schema_shape() {
    let schema: Value = serde_json::from_str(&punchout_plugin::profile::json_schema()).unwrap();
    // A child needs only `extends` and `id`; without `extends` the usual keys are required.
    let conditions = schema["allOf"].as_array().unwrap();
    assert_eq!(conditions[0]["if"], json!({"required": ["extends"]}));
    assert_eq!(
        conditions[0]["then"],
        json!({"required": ["extends", "id"]})
    );
    assert_eq!(
        conditions[0]["else"]["required"],
        json!(["id", "name", "protocol", "return_urls"])
    );
    // A Peppol buyer sends no setup message: `authentication` for the others, `peppol` for it.
    assert_eq!(
        conditions[0]["else"]["if"],
        json!({"properties": {"protocol": {"const": "peppol"}}, "required": ["protocol"]})
    );
    assert_eq!(
        conditions[0]["else"]["then"],
        json!({"required": ["peppol"]})
    );
    assert_eq!(
        conditions[0]["else"]["else"],
        json!({"required": ["authentication"]})
    );
    assert!(schema.get("required").is_none());
    // Target fields per protocol, customer fields by pattern, unit codes enumerated.
    let fields = &schema["$defs"]["MappingSection"]["properties"]["fields"];
    assert!(fields["properties"]["NEW_ITEM-PRICE"].is_object());
    assert!(fields["properties"]["ShortName"].is_object());
    assert_eq!(fields["additionalProperties"], json!(false));
    assert_eq!(
        conditions[2]["then"]["properties"]["mapping"]["properties"]["fields"]["propertyNames"]
            ["anyOf"][1],
        json!({"pattern": "^NEW_ITEM-[ZY][A-Z0-9_]*$"})
    );
    let codes = schema["$defs"]["UnitRules"]["properties"]["map"]["additionalProperties"]["enum"]
        .as_array()
        .unwrap();
    assert!(codes.contains(&json!("C62")) && codes.contains(&json!("PCE")));
    assert!(!codes.contains(&json!("Stück")) && !codes.contains(&json!("CT")));
}
