//! The Peppol profile: what compiles, what is refused and where, and what `config check` reports.

use serde_json::{json, Value};

use crate::error::ErrorCode;
use crate::mapping::check::{check_profile, Severity};
use crate::profile::BuyerProfile;

pub(crate) fn profile_json() -> Value {
    json!({
        "id": "def",
        "name": "DEF Customer",
        "protocol": "peppol",
        "return_urls": ["https://buyer.example/punchout/"],
        "peppol": {
            "buyer": {
                "endpoint": {"scheme": "0192", "id": "123456785"},
                "name": "DEF Customer Ltd.",
                "identification": {"scheme": "0088", "id": "5790000435944"},
                "country": "NO"
            },
            "seller": {
                "endpoint": {"scheme": "0192", "id": "987654325"},
                "name": "ABC Supplier Ltd."
            },
            "tax": {"category": "S", "percent": "25"},
            "validity_days": 30,
            "delivery": {"mode": "form", "field": "punchout-cart", "encoding": "base64"}
        }
    })
}

fn refusal(profile: &Value) -> (ErrorCode, String, String) {
    let error = BuyerProfile::compile(&profile.to_string(), &[]).unwrap_err();
    (
        error.code(),
        error.location().pointer.clone().unwrap_or_default(),
        error.message().to_owned(),
    )
}

#[test]
fn a_peppol_profile_needs_no_authentication() {
    let profile = BuyerProfile::compile(&profile_json().to_string(), &[]).unwrap();
    let settings = profile.peppol().unwrap();
    assert_eq!(settings.buyer.endpoint.id, "123456785");
    assert_eq!(
        settings.form(),
        Some((
            "punchout-cart",
            crate::peppol::settings::DeliveryEncoding::Base64
        ))
    );
}

#[test]
fn every_bad_value_is_refused_at_its_pointer() {
    type Case = (fn(&mut Value), &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            |p| p["peppol"]["buyer"]["endpoint"]["scheme"] = json!("0193"),
            "/peppol/buyer/endpoint/scheme",
            "`0193` is not in the EAS code list of electronic address schemes",
        ),
        (
            |p| p["peppol"]["seller"]["endpoint"]["id"] = json!("987654324"),
            "/peppol/seller/endpoint/id",
            "`987654324` is not a valid identifier of scheme `0192`: expected a Norwegian organisation number: 9 digits with a valid mod-11 check digit",
        ),
        (
            |p| p["peppol"]["buyer"]["identification"]["scheme"] = json!("GLN"),
            "/peppol/buyer/identification/scheme",
            "`GLN` is not in the ICD code list of identifier schemes",
        ),
        (
            |p| p["peppol"]["buyer"]["identification"]["id"] = json!("5790000435945"),
            "/peppol/buyer/identification/id",
            "`5790000435945` is not a valid identifier of scheme `0088`: expected a GLN: digits with a valid GS1 check digit",
        ),
        (
            |p| p["peppol"]["buyer"]["country"] = json!("UK"),
            "/peppol/buyer/country",
            "`UK` is not in the ISO 3166-1 alpha-2 code list of country codes",
        ),
        (
            |p| p["peppol"]["seller"]["name"] = json!("  "),
            "/peppol/seller/name",
            "expected a value, found an empty one",
        ),
        (
            |p| p["peppol"]["tax"]["category"] = json!("X"),
            "/peppol/tax/category",
            "`X` is not in the UNCL 5305 code list of tax categories",
        ),
        (
            |p| p["peppol"]["tax"]["percent"] = json!("0"),
            "/peppol/tax/percent",
            "tax category `S` (standard rate) needs a rate above zero, found `0` (PEPPOL-T77-R009): use `Z` for zero-rated goods",
        ),
        (
            |p| p["peppol"]["tax"] = json!({"category": "Z", "percent": "25"}),
            "/peppol/tax/percent",
            "tax category `Z` carries no tax, so its rate is 0, found `25`",
        ),
        (
            |p| p["peppol"]["tax"]["percent"] = json!("101"),
            "/peppol/tax/percent",
            "expected a tax rate from 0 to 100 with at most 4 decimals, found `101`",
        ),
        (
            |p| p["peppol"]["validity_days"] = json!(0),
            "/peppol/validity_days",
            "expected at least 1 day, or no `validity_days` for a cart without a validity period",
        ),
        (
            |p| p["peppol"]["delivery"] = json!({"mode": "form"}),
            "/peppol/delivery",
            "a `form` delivery needs the name of the form field that carries the cart: add `\"field\": \"…\"` as the buyer's system expects it",
        ),
        (
            |p| p["peppol"]["delivery"]["field"] = json!("cart\"><script>"),
            "/peppol/delivery/field",
            "expected a form field name of 1 to 64 ASCII letters, digits, `-`, `_`, `.` or `:`, found `cart\\\"><script>`",
        ),
        (
            |p| p["peppol"]["delivery"]["field"] = json!("submit"),
            "/peppol/delivery/field",
            "form field name `submit` is a property of the HTML form (it would stop the page from submitting itself): choose another name",
        ),
        (
            |p| p["peppol"]["delivery"] = json!({"mode": "post", "encoding": "raw"}),
            "/peppol/delivery/encoding",
            "`encoding` is for a `form` delivery; a `post` delivery sends the document itself: remove it or set `\"mode\": \"form\"`",
        ),
        (
            |p| {
                p.as_object_mut().unwrap().remove("peppol");
            },
            "/peppol",
            "a `peppol` profile needs its `peppol` section: the buyer and seller parties, the default tax and the delivery",
        ),
        (
            |p| p["protocol"] = json!("cxml"),
            "/authentication/credentials",
            "expected at least one credential that identifies the buyer",
        ),
        (
            |p| p["mapping"] = json!({"units": {"map": {"Stück": "PCE"}}}),
            "/mapping/units/map/Stück",
            "unit `PCE` is not a UN/ECE Rec 20 code, the only units Peppol accepts (for PCE or PCS write `H87`, piece, or `C62`, one)",
        ),
        (
            |p| p["mapping"] = json!({"units": {"default": "PCS"}}),
            "/mapping/units/default",
            "unit `PCS` is neither a key of `units.map` nor a UN/ECE Rec 20 code, the only units Peppol accepts (for PCE or PCS write `H87`, piece, or `C62`, one)",
        ),
        (
            |p| p["mapping"] = json!({"fields": {"NEW_ITEM-UNIT": "unit"}}),
            "/mapping/fields/NEW_ITEM-UNIT",
            "",
        ),
        (
            |p| p["mapping"] = json!({"fields": {"Item/CommodityClassification/ItemClassificationCode": "attributes.unspsc"}}),
            "/mapping/fields/Item~1CommodityClassification~1ItemClassificationCode",
            "`Item/CommodityClassification/ItemClassificationCode` needs `Item/CommodityClassification/ItemClassificationCode/@listID` mapped too: a classification code is read by its UNCL 7143 scheme (`TST` for UNSPSC, `STQ` for eCl@ss, `STI` for CPV, …)",
        ),
        (
            |p| p["mapping"] = json!({"fields": {"Item/SellersItemIdentificaton/ID": "sku"}}),
            "/mapping/fields/Item~1SellersItemIdentificaton~1ID",
            "unknown target field `Item/SellersItemIdentificaton/ID`, did you mean `Item/SellersItemIdentification/ID`?",
        ),
    ];
    for (breaks, pointer, message) in cases {
        let mut profile = profile_json();
        breaks(&mut profile);
        let (code, at, text) = refusal(&profile);
        assert_eq!(code, ErrorCode::InvalidProfile, "{pointer}");
        assert_eq!(at, pointer, "{text}");
        if !message.is_empty() {
            assert_eq!(text, message, "{pointer}");
        }
    }
}

#[test]
fn a_peppol_section_in_a_cxml_profile_is_refused() {
    let mut profile = profile_json();
    profile["protocol"] = json!("oci");
    profile["authentication"] = json!({
        "credentials": [{"domain": "oci", "identity": "U"}],
        "shared_secret": {"secret": "S"}
    });
    let error = BuyerProfile::compile(
        &profile.to_string(),
        &[crate::profile::ResolvedSecret {
            name: "S".into(),
            value: crate::profile::Secret::new("x"),
        }],
    )
    .unwrap_err();
    assert_eq!(error.location().pointer.as_deref(), Some("/peppol"));
    assert_eq!(
        error.message(),
        "the `peppol` section is for `peppol` profiles, and this buyer speaks OCI: remove it or set `\"protocol\": \"peppol\"`"
    );
}

#[test]
fn config_check_reports_every_peppol_problem_at_once() {
    let mut profile = profile_json();
    profile["peppol"]["buyer"]["endpoint"]["scheme"] = json!("XXXX");
    profile["peppol"]["seller"]["country"] = json!("XX");
    profile["peppol"]["tax"]["percent"] = json!("-1");
    profile["peppol"]["delivery"]["field"] = json!("");
    profile["return_urls"] = json!(["ftp://buyer.example/"]);
    profile["mapping"] = json!({
        "fields": {
            "Item/ClassifiedTaxCategory/ID": {"literal": "S"},
            "Item/OriginCountry/IdentificationCode": {"sourse": "x"},
            "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject": "attributes.pdf"
        }
    });
    let found = check_profile(&profile.to_string());
    let errors: Vec<&str> = found
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| diagnostic.location.pointer.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        errors,
        ["/mapping/fields/Item~1OriginCountry~1IdentificationCode/sourse"],
        "a type error stops the check first"
    );
    profile["mapping"]["fields"]
        .as_object_mut()
        .unwrap()
        .remove("Item/OriginCountry/IdentificationCode");
    let found = check_profile(&profile.to_string());
    let errors: Vec<&str> = found
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| diagnostic.location.pointer.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        errors,
        [
            "/peppol/buyer/endpoint/scheme",
            "/peppol/seller/country",
            "/peppol/tax/percent",
            "/peppol/delivery/field",
            "/mapping/fields/Item~1ItemSpecificationDocumentReference~1Attachment~1EmbeddedDocumentBinaryObject",
            "/mapping/fields/Item~1ItemSpecificationDocumentReference~1Attachment~1EmbeddedDocumentBinaryObject",
            "/return_urls/0",
        ]
    );
}

#[test]
fn the_sample_profile_checks_clean() {
    let sample = include_str!("../../../host-example/samples/peppol-buyer-profile.json");
    assert_eq!(check_profile(sample), Vec::new());
    BuyerProfile::compile(sample, &[]).unwrap();
}
