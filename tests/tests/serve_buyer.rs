//! The buyer simulator's procurement side (`punchout_host::serve::buyer`), natively: the presets
//! pair with the shop's sample profiles, what the buyer sends is accepted by the engine and
//! valid, the verdict on a returned cart names each problem and its place, and the purchase
//! order after approval reconciles against the cart with exactly the changes made.

use punchout_host::serve::buyer::{
    cxml_from_form, cxml_setup_request, judge, oci_call_up, oci_fields_from_body, peppol_from_form,
    preset, presets, purchase_order, Approval, ApprovedLine, BuyerProtocol, BuyerSystem,
    CallUpMethod, CxmlBuyer, Expectation, Finding, OrderDocument, Outcome, ReceivedCart, Severity,
    Validators, Verdict,
};
use punchout_host::{ConfigCalls, CxmlCalls, Native, OciCalls, OrderCalls, PeppolCalls};
use punchout_plugin::model::{Cart, Envelope, SetupOperation};
use punchout_plugin::oci::settings::OciCharset;
use punchout_plugin::order::reconcile::{DifferenceField, LineOutcome};
use punchout_plugin::profile::BuyerProfile;
use punchout_tests::peppol::{validate_peppol, Transaction};
use punchout_tests::{spec_dir, validate_cxml, workspace};
use rust_decimal::Decimal;

const RETURN_PREFIX: &str = "http://127.0.0.1:8080/buyer/";
const SHOP_URL: &str = "http://127.0.0.1:8080/shop/punchout";
const START_URL: &str = "http://127.0.0.1:8080/shop/start?token={token}";

fn cart() -> Cart {
    let path = workspace().join("tests/fixtures/serve-buyer/cart.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn envelope(n: u32) -> Envelope {
    Envelope {
        payload_id: format!("1764493200.{n}.buyer@127.0.0.1"),
        timestamp: "2026-11-30T10:00:00+01:00".to_owned(),
    }
}

fn validators() -> Validators {
    Validators {
        spec_dir: Some(spec_dir()),
    }
}

fn shop(preset: &BuyerSystem) -> BuyerProfile {
    let json = preset.shop_profile_json(RETURN_PREFIX).unwrap();
    Native
        .compile_profile(&json, &preset.shop_secrets())
        .unwrap_or_else(|error| panic!("{}: {error}", preset.id))
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The inputs of the page's one form, as a browser reads them.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let page = scraper::Html::parse_document(html);
    let forms = scraper::Selector::parse("form").unwrap();
    assert_eq!(page.select(&forms).count(), 1, "{html}");
    let inputs = scraper::Selector::parse("form input").unwrap();
    page.select(&inputs)
        .filter_map(|input| {
            let name = input.value().attr("name")?;
            Some((
                name.to_owned(),
                input.value().attr("value").unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

/// The form posted as a browser posts it in `charset`.
fn post_body(fields: &[(String, String)], charset: OciCharset) -> Vec<u8> {
    let encode = |text: &str| {
        let bytes = match charset {
            OciCharset::Latin1 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
            OciCharset::Utf8 => text.as_bytes().to_vec(),
        };
        percent_encoding::percent_encode(&bytes, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn error_findings(verdict: &Verdict) -> Vec<&Finding> {
    verdict
        .findings()
        .filter(|finding| finding.severity == Severity::Error)
        .collect()
}

fn assert_passed(verdict: &Verdict, names: &[&str]) {
    for name in names {
        let check = verdict
            .check(name)
            .unwrap_or_else(|| panic!("no check `{name}` in {verdict:#?}"));
        assert_eq!(check.outcome, Outcome::Passed, "{name}: {check:#?}");
    }
}

#[test]
fn every_preset_pairs_with_a_shop_profile_that_compiles_with_its_secrets() {
    let all = presets();
    let ids: Vec<&str> = all.iter().map(|preset| preset.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sap-srm-oci40",
            "sap-srm-oci50",
            "sap-ariba",
            "coupa",
            "jaggaer",
            "peppol-buyer"
        ]
    );
    for preset in &all {
        let json = preset.shop_profile_json(RETURN_PREFIX).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["id"],
            preset.shop_profile.id.as_str(),
            "{}",
            preset.id
        );
        assert_eq!(value["return_urls"], serde_json::json!([RETURN_PREFIX]));
        shop(preset);
        let protocol = match &preset.protocol {
            BuyerProtocol::Oci(_) => "oci",
            BuyerProtocol::Cxml(_) => "cxml",
            BuyerProtocol::Peppol(_) => "peppol",
        };
        assert_eq!(value["protocol"], protocol, "{}", preset.id);
    }
}

#[test]
fn secrets_never_appear_in_debug_output_or_serialized_presets() {
    for preset in presets() {
        let debug = format!("{preset:?}");
        let json = serde_json::to_string(&preset).unwrap();
        for (_, secret) in preset.shop_secrets() {
            assert!(!debug.contains(&secret), "{}: {debug}", preset.id);
            assert!(!json.contains(&secret), "{}: {json}", preset.id);
        }
        if let BuyerProtocol::Oci(oci) = &preset.protocol {
            let call_up = oci_call_up(oci, SHOP_URL, "http://127.0.0.1:8080/buyer/return").unwrap();
            assert!(!format!("{call_up:?}").contains(oci.password.expose()));
        }
        if let BuyerProtocol::Cxml(cxml) = &preset.protocol {
            let buyer = CxmlBuyer::from(cxml);
            assert!(!format!("{buyer:?}").contains(cxml.shared_secret.expose()));
        }
    }
}

/// Punches out with an OCI preset, returns the fixture cart through the engine and reads the
/// form as the buyer's system receives it.
fn oci_round_trip(id: &str) -> (Vec<(String, String)>, punchout_host::serve::buyer::OciBuyer) {
    let preset = preset(id).unwrap();
    let BuyerProtocol::Oci(oci) = preset.protocol.clone() else {
        panic!("{id} is not OCI")
    };
    let mut profile = shop(&preset);
    let call_up = oci_call_up(&oci, SHOP_URL, "http://127.0.0.1:8080/buyer/return/oci").unwrap();
    match oci.method {
        CallUpMethod::Get => assert_eq!(
            call_up.url,
            format!("{SHOP_URL}?{}", String::from_utf8_lossy(&call_up.body))
        ),
        CallUpMethod::Post => assert_eq!(call_up.url, SHOP_URL),
    }
    let accepted = Native
        .oci_call_up(&mut profile, &call_up.body)
        .unwrap_or_else(|error| panic!("{id}: {error}"));
    assert_eq!(
        accepted.session.hook_url,
        "http://127.0.0.1:8080/buyer/return/oci?sap-client=100&~OkCode=ADDI&~TARGET=_top&~CALLER=CTLG"
    );
    assert_eq!(accepted.session.charset, oci.charset);
    let page = Native
        .oci_cart_form(&mut profile, &accepted.session, &cart())
        .unwrap();
    let html = match page.charset {
        OciCharset::Latin1 => encoding_rs::WINDOWS_1252.decode(&page.body).0.into_owned(),
        OciCharset::Utf8 => String::from_utf8(page.body.clone()).unwrap(),
    };
    let body = post_body(&form_fields(&html), page.charset);
    (oci_fields_from_body(&body, oci.charset).unwrap(), oci)
}

#[test]
fn the_engines_oci_carts_are_accepted_and_read_as_the_buyer_reads_them() {
    for id in ["sap-srm-oci40", "sap-srm-oci50"] {
        let (fields, oci) = oci_round_trip(id);
        let verdict = judge(
            &ReceivedCart::Oci {
                fields,
                version: oci.version,
            },
            &Expectation {
                currency: Some("EUR".into()),
                ..Expectation::default()
            },
            &validators(),
        );
        assert!(verdict.accepted(), "{id}: {:#?}", error_findings(&verdict));
        assert_passed(
            &verdict,
            &[
                "OCI field lengths",
                "number formats",
                "units",
                "currencies",
                "required fields",
                "item numbering",
            ],
        );
        let read: Vec<_> = verdict
            .lines
            .iter()
            .map(|line| {
                (
                    line.number,
                    line.part_id.as_str(),
                    line.quantity,
                    line.unit.as_str(),
                    line.unit_price,
                    line.currency.as_str(),
                )
            })
            .collect();
        let units = if id == "sap-srm-oci40" {
            ["PK", "EA", "BX"]
        } else {
            ["PK", "PCE", "BX"]
        };
        assert_eq!(
            read,
            [
                (1, "ABC-123", decimal("10"), units[0], decimal("4.2"), "EUR"),
                (
                    2,
                    "TON-9000",
                    decimal("2"),
                    units[1],
                    decimal("89.9"),
                    "EUR"
                ),
                (
                    3,
                    "PEN-0042",
                    decimal("3"),
                    units[2],
                    decimal("12.75"),
                    "EUR"
                ),
            ],
            "{id}"
        );
        assert_eq!(verdict.computed_total, decimal("260.05"), "{id}");
    }
}

#[test]
fn a_broken_oci_cart_is_refused_naming_each_field_and_its_index() {
    let (mut fields, oci) = oci_round_trip("sap-srm-oci40");
    let mut set = |name: &str, value: &str| {
        let field = fields.iter_mut().find(|(field, _)| field == name);
        field.unwrap_or_else(|| panic!("no field {name}")).1 = value.to_owned();
    };
    set("NEW_ITEM-UNIT[3]", "PC");
    set(
        "NEW_ITEM-DESCRIPTION[2]",
        "Toner cartridge black for LaserPro 9000 high yield",
    );
    set("NEW_ITEM-PRICE[1]", "1,234.50");
    set("NEW_ITEM-CURRENCY[2]", "EURO");
    fields.retain(|(name, _)| name != "NEW_ITEM-QUANTITY[1]");
    fields.push(("NEW_ITEM-ITEM_TYPE[1]".into(), "R".into()));
    let renumbered: Vec<(String, String)> = fields
        .iter()
        .map(|(name, value)| (name.replace("[3]", "[4]"), value.clone()))
        .collect();
    let verdict = judge(
        &ReceivedCart::Oci {
            fields: renumbered,
            version: oci.version,
        },
        &Expectation::default(),
        &validators(),
    );
    assert!(!verdict.accepted());
    let found: Vec<(Severity, &str, &str)> = verdict
        .findings()
        .map(|finding| {
            (
                finding.severity,
                finding.location.as_str(),
                finding.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Severity::Warning,
                "NEW_ITEM-ITEM_TYPE[1]",
                "`NEW_ITEM-ITEM_TYPE` is an OCI 5.0 field: an OCI 4.0 system ignores it"
            ),
            (
                Severity::Error,
                "NEW_ITEM-DESCRIPTION[2]",
                "expected at most 40 characters, found 50: SAP cuts the value to `Toner cartridge black for LaserPro 9000 `"
            ),
            (
                Severity::Error,
                "NEW_ITEM-PRICE[1]",
                "expected a number with at most 11 digits before and 3 after the `.` (no thousands separators or decimal commas), found `1,234.50`"
            ),
            (
                Severity::Error,
                "NEW_ITEM-UNIT[4]",
                "expected a UN/ECE Rec 20 unit code such as `EA` or `C62`, found `PC`"
            ),
            (
                Severity::Error,
                "NEW_ITEM-CURRENCY[2]",
                "expected an ISO 4217 currency code such as `EUR`, found `EURO`"
            ),
            (Severity::Error, "NEW_ITEM-QUANTITY[1]", "missing `NEW_ITEM-QUANTITY`"),
            (
                Severity::Error,
                "NEW_ITEM-CURRENCY[4]",
                "expected item 3 next, found item 4: items are numbered from 1 without gaps"
            ),
        ]
    );
}
