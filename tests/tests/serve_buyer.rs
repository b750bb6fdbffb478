//! The buyer simulator's procurement side (`punchout_host::serve::buyer`), natively: the presets
//! pair with the shop's sample profiles, what the buyer sends is accepted by the engine and
//! valid, the verdict on a returned cart names each problem and its place, and the purchase
//! order after approval reconciles against the cart with exactly the changes made.

use punchout_host::serve::buyer::{
    cxml_from_form, cxml_setup_request, judge, oci_call_up, oci_fields_from_body, peppol_from_form,
    preset, presets, purchase_order, Approval, ApprovedLine, BuyerProtocol, BuyerSystem,
    CallUpMethod, CxmlBuyer, Expectation, Finding, OciCallUpRequest, OrderDocument, Outcome,
    ReceivedCart, Severity, Validators, Verdict,
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
fn oci_round_trip(
    id: &str,
) -> (
    Vec<(String, String)>,
    punchout_host::serve::buyer::OciBuyer,
    OciCallUpRequest,
) {
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
    (
        oci_fields_from_body(&body, oci.charset).unwrap(),
        oci,
        call_up,
    )
}

#[test]
fn the_engines_oci_carts_are_accepted_and_read_as_the_buyer_reads_them() {
    for id in ["sap-srm-oci40", "sap-srm-oci50"] {
        let (fields, oci, call_up) = oci_round_trip(id);
        assert_eq!(
            call_up.hook_url_parameters(),
            [
                ("sap-client".to_owned(), "100".to_owned()),
                ("~OkCode".to_owned(), "ADDI".to_owned()),
                ("~TARGET".to_owned(), "_top".to_owned()),
                ("~CALLER".to_owned(), "CTLG".to_owned()),
            ]
        );
        let verdict = judge(
            &ReceivedCart::Oci {
                fields,
                version: oci.version,
            },
            &Expectation {
                currency: Some("EUR".into()),
                hook_url_parameters: call_up.hook_url_parameters(),
                ..Expectation::default()
            },
            &validators(),
        );
        assert!(verdict.accepted(), "{id}: {:#?}", error_findings(&verdict));
        assert_passed(
            &verdict,
            &[
                "HOOK_URL parameters",
                "charset",
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
            ["PK", "EA", "C62"]
        } else {
            ["PK", "PCE", "C62"]
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
    let (mut fields, oci, _) = oci_round_trip("sap-srm-oci40");
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

/// A cXML punch-out through the engine: the setup request (checked against the DTD), the
/// session, the cart returned in the preset's form field, and what the return endpoint reads.
struct CxmlPunchOutDone {
    profile: BuyerProfile,
    session: punchout_plugin::model::Session,
    buyer_cookie: String,
    message: String,
    received: ReceivedCart,
}

fn cxml_punch_out(
    preset: &BuyerSystem,
    operation: SetupOperation,
    items: &[punchout_host::serve::buyer::ReceivedLine],
    cart: &Cart,
    n: u32,
) -> CxmlPunchOutDone {
    let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
        panic!("{} is not cXML", preset.id)
    };
    let mut profile = shop(preset);
    let request = cxml_setup_request(
        cxml,
        operation,
        "http://127.0.0.1:8080/buyer/return/cxml",
        SHOP_URL,
        items,
        &envelope(n),
    )
    .unwrap();
    validate_cxml(&request.document)
        .unwrap_or_else(|report| panic!("{} {operation:?}: {report}", preset.id));
    let accepted = Native
        .cxml_setup(
            &mut profile,
            request.document.as_bytes(),
            START_URL,
            &envelope(n + 1),
        )
        .unwrap_or_else(|error| panic!("{} {operation:?}: {error}", preset.id));
    assert_eq!(accepted.session.buyer_cookie, request.buyer_cookie);
    assert_eq!(accepted.session.operation, operation);
    let returned = Native
        .cxml_cart_return(&mut profile, &accepted.session, cart, &envelope(n + 2))
        .unwrap();
    let fields = form_fields(&returned.form_html);
    assert_eq!(fields.len(), 1, "{}", preset.id);
    assert_eq!(fields[0].0, cxml.form_field.field_name(), "{}", preset.id);
    CxmlPunchOutDone {
        profile,
        session: accepted.session,
        buyer_cookie: request.buyer_cookie,
        message: returned.message,
        received: cxml_from_form(&fields).unwrap(),
    }
}

const CXML_CHECKS: [&str; 10] = [
    "well-formed XML",
    "cXML DTD",
    "PunchOutOrderMessage",
    "Header",
    "BuyerCookie",
    "quantities and prices",
    "units",
    "currencies",
    "descriptions",
    "totals",
];

#[test]
fn the_engines_cxml_carts_are_accepted_and_reopened_with_edit_and_inspect() {
    for id in ["sap-ariba", "coupa", "jaggaer"] {
        let preset = preset(id).unwrap();
        let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
            unreachable!()
        };
        let created = cxml_punch_out(&preset, SetupOperation::Create, &[], &cart(), 1);
        let expectation = Expectation {
            buyer_cookie: Some(created.buyer_cookie.clone()),
            currency: Some("EUR".into()),
            buyer: Some(cxml.from.clone()),
            supplier: Some(cxml.to.clone()),
            ..Expectation::default()
        };
        let verdict = judge(&created.received, &expectation, &validators());
        assert!(verdict.accepted(), "{id}: {:#?}", error_findings(&verdict));
        assert!(verdict.complete(), "{id}");
        assert_passed(&verdict, &CXML_CHECKS);
        assert_eq!(verdict.findings().count(), 0, "{id}: {verdict:#?}");
        assert_eq!(verdict.stated_total, Some(decimal("265.05")), "{id}");
        assert_eq!(verdict.computed_total, decimal("260.05"), "{id}");
        assert_eq!(
            verdict.buyer_cookie.as_deref(),
            Some(created.buyer_cookie.as_str())
        );
        let references: Vec<_> = verdict
            .lines
            .iter()
            .map(|line| {
                (
                    line.part_id.as_str(),
                    line.reference.as_deref(),
                    line.unit.as_str(),
                )
            })
            .collect();
        assert_eq!(
            references,
            [
                ("ABC-123", Some("cart-17:line-1"), "PK"),
                ("TON-9000", Some("cart-17:line-2"), "EA"),
                ("PEN-0042", Some("cart-17:line-3"), "C62"),
            ],
            "{id}"
        );
        // The buyer reopens the cart: its lines go back as `ItemOut`, the shop restores them.
        for operation in [SetupOperation::Edit, SetupOperation::Inspect] {
            if !cxml.operations.contains(&operation) {
                let refused = cxml_setup_request(
                    cxml,
                    operation,
                    "http://127.0.0.1:8080/buyer/return/cxml",
                    SHOP_URL,
                    &verdict.lines,
                    &envelope(9),
                );
                assert_eq!(
                    refused.unwrap_err().to_string(),
                    "this procurement system does not offer operation `edit`"
                );
                continue;
            }
            let reopened = cxml_punch_out(&preset, operation, &verdict.lines, &cart(), 10);
            let restored: Vec<_> = reopened
                .session
                .items
                .iter()
                .map(|item| {
                    (
                        item.line_ref.as_str(),
                        item.sku.as_str(),
                        item.quantity.as_str(),
                    )
                })
                .collect();
            assert_eq!(
                restored,
                [
                    ("cart-17:line-1", "ABC-123", "10"),
                    ("cart-17:line-2", "TON-9000", "2"),
                    ("cart-17:line-3", "PEN-0042", "3"),
                ],
                "{id} {operation:?}"
            );
            let expectation = Expectation {
                buyer_cookie: Some(reopened.buyer_cookie.clone()),
                operation: Some(operation),
                ..Expectation::default()
            };
            let verdict = judge(&reopened.received, &expectation, &validators());
            assert!(verdict.accepted(), "{id} {operation:?}: {verdict:#?}");
            if operation == SetupOperation::Inspect {
                // The same cart, come back editable, is refused.
                let editable = reopened
                    .message
                    .replace("operationAllowed=\"inspect\"", "operationAllowed=\"edit\"");
                let verdict = judge(
                    &ReceivedCart::Cxml {
                        message: editable.clone().into_bytes(),
                    },
                    &expectation,
                    &validators(),
                );
                let header = position(&editable, "<PunchOutOrderMessageHeader");
                assert_eq!(
                    verdict.check("PunchOutOrderMessage").unwrap().findings,
                    [Finding::error(
                        "expected `operationAllowed=\"inspect\"` for a cart opened read-only, found `edit`",
                        "/cXML/Message/PunchOutOrderMessage/PunchOutOrderMessageHeader"
                    )
                    .at(header.0, header.1)],
                    "{id}"
                );
            }
        }
    }
}

/// A finding as (check, location, message, line and column).
type LocatedFinding<'a> = (&'a str, &'a str, &'a str, Option<(u32, u32)>);

/// The line and column of the first occurrence of `needle` in `text`.
fn position(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = at - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
    (line as u32, column as u32)
}

#[test]
fn a_broken_cxml_cart_is_refused_naming_the_element_with_its_line_and_column() {
    let preset = preset("sap-ariba").unwrap();
    let done = cxml_punch_out(&preset, SetupOperation::Create, &[], &cart(), 1);
    let message = done
        .message
        .replace(
            "<Money currency=\"EUR\">265.05</Money>",
            "<Money currency=\"EUR\">199.00</Money>",
        )
        .replacen(
            "<UnitOfMeasure>EA</UnitOfMeasure>",
            "<UnitOfMeasure>PC</UnitOfMeasure>",
            1,
        )
        .replace(
            "Ballpoint pens blue, box of 50<ShortName>Ballpoint pens blue, box of 50</ShortName>",
            "",
        );
    assert_ne!(message, done.message);
    let verdict = judge(
        &ReceivedCart::Cxml {
            message: message.clone().into_bytes(),
        },
        &Expectation {
            buyer_cookie: Some("another-cookie".into()),
            buyer: Some(punchout_plugin::model::Credential {
                domain: "NetworkID".into(),
                identity: "AN02000000002".into(),
            }),
            ..Expectation::default()
        },
        &validators(),
    );
    assert!(!verdict.accepted());
    assert_eq!(verdict.check("cXML DTD").unwrap().outcome, Outcome::Passed);
    let found: Vec<LocatedFinding<'_>> = verdict
        .checks
        .iter()
        .flat_map(|check| {
            check.findings.iter().map(move |finding| {
                (
                    check.name.as_str(),
                    finding.location.as_str(),
                    finding.message.as_str(),
                    finding.line.zip(finding.column),
                )
            })
        })
        .collect();
    let total = position(&message, "<Money currency=\"EUR\">199.00");
    let unit = position(&message, "<UnitOfMeasure>PC");
    let cookie = position(&message, "<BuyerCookie>");
    let to = position(&message, "<To>");
    assert_eq!(
        found,
        [
            (
                "Header",
                "/cXML/Header/To",
                "expected the buyer's credential `NetworkID` `AN02000000002`, found `NetworkID` `AN01000000001`",
                Some(to)
            ),
            (
                "BuyerCookie",
                "/cXML/Message/PunchOutOrderMessage/BuyerCookie",
                &*format!(
                    "expected the `BuyerCookie` `another-cookie` sent at setup, found `{}`",
                    done.buyer_cookie
                ),
                Some(cookie)
            ),
            (
                "units",
                "/cXML/Message/PunchOutOrderMessage/ItemIn[2]/ItemDetail/UnitOfMeasure",
                "expected a UN/ECE Rec 20 unit code such as `EA` or `C62`, found `PC`",
                Some(unit)
            ),
            (
                "descriptions",
                "/cXML/Message/PunchOutOrderMessage/ItemIn[3]/ItemDetail/Description",
                "description is empty",
                Some(position(
                    &message,
                    "<Description xml:lang=\"en\"></Description>"
                ))
            ),
            (
                "totals",
                "/cXML/Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/Total/Money",
                "expected the lines' total `265.05` (quantity × unit price), found `199.00`",
                Some(total)
            ),
        ]
    );
}

#[test]
fn a_cxml_cart_against_the_dtd_fails_the_dtd_check_at_the_element() {
    let preset = preset("coupa").unwrap();
    let done = cxml_punch_out(&preset, SetupOperation::Create, &[], &cart(), 1);
    // `Classification` before `UnitOfMeasure` breaks `ItemDetail`'s content model.
    let message = done.message.replacen(
        "<UnitOfMeasure>PK</UnitOfMeasure>",
        "<Clasification domain=\"UNSPSC\">1</Clasification>",
        1,
    );
    let verdict = judge(
        &ReceivedCart::Cxml {
            message: message.clone().into_bytes(),
        },
        &Expectation::default(),
        &validators(),
    );
    let dtd = verdict.check("cXML DTD").unwrap();
    assert_eq!(dtd.outcome, Outcome::Failed);
    let found: Vec<_> = dtd
        .findings
        .iter()
        .map(|finding| (finding.location.as_str(), finding.line.zip(finding.column)))
        .collect();
    let element = position(&message, "<Clasification");
    let detail = position(&message, "<ItemDetail>");
    assert!(
        found.contains(&(
            "/cXML/Message/PunchOutOrderMessage/ItemIn[1]/ItemDetail/Clasification",
            Some(element)
        )),
        "{dtd:#?}"
    );
    assert!(
        found.contains(&(
            "/cXML/Message/PunchOutOrderMessage/ItemIn[1]/ItemDetail",
            Some(detail)
        )),
        "{dtd:#?}"
    );
    assert!(dtd
        .findings
        .iter()
        .any(|finding| finding.message == "No declaration for element Clasification"));
}

#[test]
fn without_the_specification_folder_the_validators_are_not_run_never_passed() {
    let preset = preset("sap-ariba").unwrap();
    let done = cxml_punch_out(&preset, SetupOperation::Create, &[], &cart(), 1);
    let verdict = judge(
        &done.received,
        &Expectation::default(),
        &Validators::default(),
    );
    assert!(!verdict.complete());
    let json = serde_json::to_value(verdict.check("cXML DTD").unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "name": "cXML DTD",
            "outcome": "not-run",
            "reason": "no specification folder given (set `PUNCHOUT_SPEC_DIR`): the cXML DTD not checked",
            "findings": []
        })
    );
    assert_eq!(
        verdict.check("cXML DTD").unwrap().outcome,
        Outcome::NotRun {
            reason:
                "no specification folder given (set `PUNCHOUT_SPEC_DIR`): the cXML DTD not checked"
                    .into()
        }
    );
    let missing = Validators {
        spec_dir: Some("/nonexistent/spec".into()),
    };
    let verdict = judge(&done.received, &Expectation::default(), &missing);
    assert_eq!(
        verdict.check("cXML DTD").unwrap().outcome,
        Outcome::NotRun {
            reason: "the specification folder `/nonexistent/spec` does not exist: the cXML DTD not checked".into()
        }
    );
    let peppol = judge(
        &ReceivedCart::Peppol {
            document: peppol_cart().1.into_bytes(),
        },
        &Expectation::default(),
        &Validators::default(),
    );
    for name in ["UBL 2.1 schema", "Peppol schematron"] {
        assert!(
            matches!(peppol.check(name).unwrap().outcome, Outcome::NotRun { .. }),
            "{name}: {peppol:#?}"
        );
    }
}

#[test]
fn a_hostile_cxml_cart_is_refused_before_any_validator_reads_it() {
    let message = "<?xml version=\"1.0\"?>\n<!DOCTYPE cXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<cXML>&x;</cXML>";
    let verdict = judge(
        &ReceivedCart::Cxml {
            message: message.as_bytes().to_vec(),
        },
        &Expectation::default(),
        &validators(),
    );
    let well_formed = verdict.check("well-formed XML").unwrap();
    assert_eq!(well_formed.outcome, Outcome::Failed);
    assert_eq!(well_formed.findings[0].line, Some(2));
    assert_eq!(
        verdict.check("cXML DTD").unwrap().outcome,
        Outcome::NotRun {
            reason: "the document was refused before validation".into()
        }
    );
    assert!(!verdict.accepted());
}

/// The fixture cart returned by the engine as a Peppol T77 form: the profile and the document.
fn peppol_cart() -> (BuyerProfile, String, ReceivedCart) {
    let preset = preset("peppol-buyer").unwrap();
    let BuyerProtocol::Peppol(peppol) = &preset.protocol else {
        unreachable!()
    };
    let mut profile = shop(&preset);
    let returned = Native
        .peppol_cart(
            &mut profile,
            &cart(),
            &envelope(1),
            "http://127.0.0.1:8080/buyer/return/peppol",
        )
        .unwrap();
    let fields = form_fields(returned.form_html.as_deref().unwrap());
    let received = peppol_from_form(&fields, &peppol.form_field, peppol.base64).unwrap();
    (profile, returned.document, received)
}

#[test]
fn the_engines_peppol_cart_passes_the_schema_and_the_schematron() {
    let (_, document, received) = peppol_cart();
    let ReceivedCart::Peppol { document: decoded } = &received else {
        unreachable!()
    };
    assert_eq!(decoded, document.as_bytes());
    let verdict = judge(&received, &Expectation::default(), &validators());
    assert_passed(
        &verdict,
        &[
            "well-formed XML",
            "UBL 2.1 schema",
            "Peppol schematron",
            "T77 cart",
            "quantities and prices",
            "units",
            "currencies",
            "descriptions",
        ],
    );
    assert!(verdict.accepted(), "{verdict:#?}");
    let lines: Vec<_> = verdict
        .lines
        .iter()
        .map(|line| {
            (
                line.reference.as_deref(),
                line.part_id.as_str(),
                line.unit.as_str(),
                line.unit_price,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (Some("cart-17:line-1"), "ABC-123", "XPK", decimal("4.20")),
            (Some("cart-17:line-2"), "TON-9000", "H87", decimal("89.90")),
            (Some("cart-17:line-3"), "PEN-0042", "C62", decimal("12.75")),
        ]
    );
}

/// A reconciled line: its outcome and each difference (field, cart value, order value).
type LineChanges = (LineOutcome, Vec<(DifferenceField, String, String)>);

/// The approval of every order test: line 1's quantity raised from 10 to 12, line 2's price
/// lowered from 89.90 to 80.91, line 3 dropped, 7.50 shipping added.
fn approval() -> Approval {
    Approval {
        lines: vec![
            ApprovedLine {
                number: 1,
                quantity: Some(decimal("12")),
                unit_price: decimal("4.20"),
            },
            ApprovedLine {
                number: 2,
                quantity: Some(decimal("2")),
                unit_price: decimal("80.91"),
            },
            ApprovedLine {
                number: 3,
                quantity: None,
                unit_price: decimal("12.75"),
            },
        ],
        shipping: Some(decimal("7.50")),
    }
}

/// Each reconciled line's outcome and differences (field, cart value, order value).
fn reconciled(
    reconciliation: &punchout_plugin::order::reconcile::Reconciliation,
) -> Vec<LineChanges> {
    reconciliation
        .lines
        .iter()
        .map(|line| {
            (
                line.outcome,
                line.differences
                    .iter()
                    .map(|difference| {
                        (
                            difference.field,
                            difference.cart.clone(),
                            difference.order.clone(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn expected_changes() -> Vec<LineChanges> {
    vec![
        (
            LineOutcome::Changed,
            vec![(DifferenceField::Quantity, "10".into(), "12".into())],
        ),
        (
            LineOutcome::Changed,
            vec![(DifferenceField::UnitPrice, "89.90".into(), "80.91".into())],
        ),
        (LineOutcome::Dropped, vec![]),
    ]
}

#[test]
fn the_cxml_order_after_approval_reconciles_with_exactly_the_changes_made() {
    for id in ["sap-ariba", "coupa", "jaggaer"] {
        let preset = preset(id).unwrap();
        let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
            unreachable!()
        };
        let mut done = cxml_punch_out(&preset, SetupOperation::Create, &[], &cart(), 1);
        let verdict = judge(&done.received, &Expectation::default(), &validators());
        let document = OrderDocument::Cxml {
            buyer: CxmlBuyer::from(cxml),
            order_id: "PO-17-0001".into(),
            envelope: envelope(20),
        };
        let order = purchase_order(&document, &verdict.lines, &approval()).unwrap();
        let order = String::from_utf8(order).unwrap();
        validate_cxml(&order).unwrap_or_else(|report| panic!("{id}: {report}\n{order}"));
        let read = Native
            .read_cxml_order(&mut done.profile, order.as_bytes())
            .unwrap_or_else(|error| panic!("{id}: {error}"));
        assert_eq!(read.order_id, "PO-17-0001");
        // 12 × 4.20 + 2 × 80.91 + 7.50 shipping
        assert_eq!(read.total.amount, "219.72", "{id}");
        let refs: Vec<_> = read
            .lines
            .iter()
            .map(|line| line.supplier_part_auxiliary_id.as_deref())
            .collect();
        assert_eq!(refs, [Some("cart-17:line-1"), Some("cart-17:line-2")]);
        let reconciliation = Native
            .reconcile_order(&mut done.profile, &read, &cart(), Some(&done.session))
            .unwrap();
        assert_eq!(reconciled(&reconciliation), expected_changes(), "{id}");
    }
}

#[test]
fn the_peppol_order_after_approval_is_a_valid_t01_that_reconciles_with_the_changes_made() {
    let preset = preset("peppol-buyer").unwrap();
    let BuyerProtocol::Peppol(peppol) = &preset.protocol else {
        unreachable!()
    };
    let (mut profile, _, received) = peppol_cart();
    let verdict = judge(&received, &Expectation::default(), &Validators::default());
    let document = OrderDocument::Peppol {
        buyer: peppol.clone(),
        order_id: "PO-PEPPOL-17".into(),
        envelope: envelope(30),
    };
    let order = purchase_order(&document, &verdict.lines, &approval()).unwrap();
    let order = String::from_utf8(order).unwrap();
    validate_peppol(Transaction::Order, &order)
        .unwrap_or_else(|report| panic!("{report}\n{order}"));
    assert_eq!(
        Native
            .identify_peppol_order(&mut [&mut profile], order.as_bytes())
            .unwrap(),
        0
    );
    let read = Native
        .read_peppol_order(order.as_bytes(), &preset.shop_profile.id)
        .unwrap();
    assert_eq!(read.order.order_id, "PO-PEPPOL-17");
    assert_eq!(read.order.total.amount, "219.72");
    let reconciliation = Native
        .reconcile_order(&mut profile, &read.order, &cart(), None)
        .unwrap();
    assert_eq!(reconciled(&reconciliation), expected_changes());
}

#[test]
fn an_approval_that_names_no_line_of_the_cart_or_drops_every_line_writes_no_order() {
    let (_, _, received) = peppol_cart();
    let verdict = judge(&received, &Expectation::default(), &Validators::default());
    let BuyerProtocol::Peppol(peppol) = preset("peppol-buyer").unwrap().protocol else {
        unreachable!()
    };
    let document = OrderDocument::Peppol {
        buyer: peppol,
        order_id: "PO-1".into(),
        envelope: envelope(1),
    };
    let line = |number, quantity: Option<&str>| ApprovedLine {
        number,
        quantity: quantity.map(decimal),
        unit_price: decimal("1"),
    };
    let refused = |lines: Vec<ApprovedLine>| {
        purchase_order(
            &document,
            &verdict.lines,
            &Approval {
                lines,
                shipping: None,
            },
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        refused(vec![line(4, Some("1"))]),
        "the approval names line 4, which the cart does not have"
    );
    assert_eq!(
        refused(vec![line(1, None), line(2, None), line(3, None)]),
        "every line was dropped: there is nothing to order"
    );
    assert_eq!(
        refused(vec![line(1, Some("0"))]),
        "expected a quantity greater than zero for line 1, found `0` (drop the line instead)"
    );
    assert_eq!(
        refused(vec![line(2, Some("1")), line(2, Some("2"))]),
        "the approval names line 2 twice"
    );
}

#[test]
fn a_broken_peppol_cart_is_refused_by_the_schematron_and_the_unit_check_at_the_line() {
    let (_, document, _) = peppol_cart();
    let broken = document.replacen("unitCode=\"H87\"", "unitCode=\"PCE\"", 1);
    let broken = broken.replacen(
        "<cbc:PriceAmount currencyID=\"EUR\">12.75",
        "<cbc:PriceAmount currencyID=\"USD\">12.75",
        1,
    );
    assert_ne!(broken, document);
    let verdict = judge(
        &ReceivedCart::Peppol {
            document: broken.clone().into_bytes(),
        },
        &Expectation::default(),
        &validators(),
    );
    assert!(!verdict.accepted());
    let units = verdict.check("units").unwrap();
    let at = position(&broken, "<cbc:BatchQuantity unitCode=\"PCE\"");
    assert_eq!(
        units.findings,
        [Finding {
            severity: Severity::Error,
            message: "expected a UN/ECE Rec 20 unit code, found `PCE` (common in cXML and OCI, but not in Rec 20)".into(),
            location: "/Catalogue/cac:CatalogueLine[2]/cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity".into(),
            line: Some(at.0),
            column: Some(at.1),
        }]
    );
    let price = position(&broken, "<cbc:PriceAmount currencyID=\"USD\"");
    assert_eq!(
        verdict.check("currencies").unwrap().findings,
        [Finding {
            severity: Severity::Error,
            message: "expected the cart's currency `EUR` (of its first line), found `USD`".into(),
            location: "/Catalogue/cac:CatalogueLine[3]/cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount".into(),
            line: Some(price.0),
            column: Some(price.1),
        }]
    );
    let schematron = verdict.check("Peppol schematron").unwrap();
    assert_eq!(schematron.outcome, Outcome::Failed, "{schematron:#?}");
    assert!(
        schematron
            .findings
            .iter()
            .any(|finding| finding.severity == Severity::Error
                && finding
                    .location
                    .starts_with("/Catalogue/cac:CatalogueLine[2]/")),
        "{schematron:#?}"
    );
}

#[test]
fn an_oci_cart_without_the_hook_url_parameters_or_in_the_wrong_charset_is_refused() {
    let (mut fields, oci, call_up) = oci_round_trip("sap-srm-oci40");
    fields.retain(|(name, _)| name != "~OkCode");
    for (name, value) in &mut fields {
        if name == "~TARGET" {
            *value = "_blank".into();
        }
        if name == "NEW_ITEM-DESCRIPTION[1]" {
            // What a UTF-8 page read as ISO-8859-1 gives for `g/m²`.
            *value = value.replace('²', "Â²");
        }
    }
    let verdict = judge(
        &ReceivedCart::Oci {
            fields,
            version: oci.version,
        },
        &Expectation {
            hook_url_parameters: call_up.hook_url_parameters(),
            ..Expectation::default()
        },
        &validators(),
    );
    let found: Vec<(&str, &str)> = verdict
        .findings()
        .map(|finding| (finding.location.as_str(), finding.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "~OkCode",
                "missing `~OkCode`: the HOOK_URL's parameters must come back with the cart"
            ),
            ("~TARGET", "expected `_top` as in the HOOK_URL, found `_blank`"),
            (
                "NEW_ITEM-DESCRIPTION[1]",
                "`Copy paper A4 80 g/mÂ², 500 sheets,` looks like UTF-8 read as ISO-8859-1: the page's charset is not the one the call-up asked for"
            ),
        ]
    );
}

/// The whole cXML cycle of one preset against an engine: setup, cart, verdict, order,
/// reconciliation.
fn cxml_cycle<E: punchout_host::EngineCalls>(engine: &mut E, id: &str) -> Vec<LineChanges> {
    let preset = preset(id).unwrap();
    let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
        unreachable!()
    };
    let json = preset.shop_profile_json(RETURN_PREFIX).unwrap();
    let mut profile = engine
        .compile_profile(&json, &preset.shop_secrets())
        .unwrap();
    let request = cxml_setup_request(
        cxml,
        SetupOperation::Create,
        "http://127.0.0.1:8080/buyer/return/cxml",
        SHOP_URL,
        &[],
        &envelope(1),
    )
    .unwrap();
    let accepted = engine
        .cxml_setup(
            &mut profile,
            request.document.as_bytes(),
            START_URL,
            &envelope(2),
        )
        .unwrap();
    let returned = engine
        .cxml_cart_return(&mut profile, &accepted.session, &cart(), &envelope(3))
        .unwrap();
    let received = cxml_from_form(&form_fields(&returned.form_html)).unwrap();
    let verdict = judge(
        &received,
        &Expectation {
            buyer_cookie: Some(request.buyer_cookie),
            ..Expectation::default()
        },
        &validators(),
    );
    assert!(verdict.accepted(), "{id}: {verdict:#?}");
    let order = purchase_order(
        &OrderDocument::Cxml {
            buyer: CxmlBuyer::from(cxml),
            order_id: "PO-17-0002".into(),
            envelope: envelope(4),
        },
        &verdict.lines,
        &approval(),
    )
    .unwrap();
    let read = engine.read_cxml_order(&mut profile, &order).unwrap();
    let reconciliation = engine
        .reconcile_order(&mut profile, &read, &cart(), Some(&accepted.session))
        .unwrap();
    reconciled(&reconciliation)
}

#[test]
fn the_cxml_cycle_runs_alike_through_the_component() {
    let mut worker = punchout_tests::runtime().worker();
    for id in ["sap-ariba", "coupa"] {
        assert_eq!(cxml_cycle(&mut worker, id), expected_changes(), "{id}");
        assert_eq!(cxml_cycle(&mut Native, id), expected_changes(), "{id}");
    }
}

#[test]
fn base64_carts_wrapped_at_76_characters_are_read_whole() {
    let (_, document, _) = peppol_cart();
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&document);
    let wrapped = encoded
        .as_bytes()
        .chunks(76)
        .map(|chunk| std::str::from_utf8(chunk).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n");
    let fields = vec![("punchout-cart".to_owned(), wrapped.clone())];
    let ReceivedCart::Peppol { document: read } =
        peppol_from_form(&fields, "punchout-cart", true).unwrap()
    else {
        unreachable!()
    };
    assert_eq!(read, document.as_bytes());
    let fields = vec![("cxml-base64".to_owned(), wrapped)];
    let ReceivedCart::Cxml { message } = cxml_from_form(&fields).unwrap() else {
        unreachable!()
    };
    assert_eq!(message, document.as_bytes());
    assert_eq!(
        cxml_from_form(&[]).unwrap_err().to_string(),
        "the form has no `cxml-urlencoded` or `cxml-base64` field"
    );
}

#[test]
fn a_cxml_cart_is_validated_against_the_dtd_of_the_version_it_names() {
    let preset = preset("sap-ariba").unwrap();
    let done = cxml_punch_out(&preset, SetupOperation::Create, &[], &cart(), 1);
    let dtd_check = |message: String| {
        judge(
            &ReceivedCart::Cxml {
                message: message.into_bytes(),
            },
            &Expectation::default(),
            &validators(),
        )
        .check("cXML DTD")
        .unwrap()
        .clone()
    };
    // The specification folder has the 1.2.063 DTD: no warning.
    let check = dtd_check(
        done.message
            .replace("/1.2.069/cXML.dtd", "/1.2.063/cXML.dtd"),
    );
    assert_eq!((check.outcome, check.findings), (Outcome::Passed, vec![]));
    // It has no 1.2.014 DTD: the newest is used, and the verdict says so.
    let check = dtd_check(
        done.message
            .replace("/1.2.069/cXML.dtd", "/1.2.014/cXML.dtd"),
    );
    assert_eq!(check.outcome, Outcome::Passed);
    assert_eq!(
        check.findings,
        [Finding::warning(
            "the specification folder has no DTD for cXML 1.2.014: validated against 1.2.069",
            "/"
        )]
    );
    // A DOCTYPE that would lead out of the folder names no DTD.
    let check = dtd_check(
        done.message
            .replace("1.2.069/cXML.dtd", "../../../etc/x.dtd"),
    );
    assert_eq!(
        check.findings,
        [Finding::warning(
            "the DOCTYPE names no cXML DTD (`http://xml.cxml.org/schemas/cXML/../../../etc/x.dtd`): validated against the cXML 1.2.069 DTD",
            "/"
        )]
    );
}

#[test]
fn a_cart_broken_on_every_line_lists_the_first_hundred_validator_problems_and_says_it_stopped() {
    let preset = preset("sap-ariba").unwrap();
    let mut big = cart();
    let template = big.lines[0].clone();
    big.lines = (0..2_000)
        .map(|n| {
            let mut line = template.clone();
            line.line_ref = format!("l-{n}");
            line
        })
        .collect();
    let done = cxml_punch_out(&preset, SetupOperation::Create, &[], &big, 1);
    // Each line's `ItemDetail` breaks the DTD twice: xmllint would report 4 000 problems.
    let broken = done.message.replace(
        "<UnitOfMeasure>PK</UnitOfMeasure>",
        "<UnitOfMeasur>PK</UnitOfMeasur>",
    );
    let verdict = judge(
        &ReceivedCart::Cxml {
            message: broken.into_bytes(),
        },
        &Expectation::default(),
        &validators(),
    );
    let dtd = verdict.check("cXML DTD").unwrap();
    assert_eq!(dtd.findings.len(), 101);
    assert_eq!(
        dtd.findings.last().unwrap().message,
        "more problems: validation stopped after the first 100"
    );
    assert_eq!(
        dtd.findings[0].location,
        "/cXML/Message/PunchOutOrderMessage/ItemIn[1]/ItemDetail"
    );
    assert_eq!(
        verdict
            .check("PunchOutOrderMessage")
            .unwrap()
            .findings
            .len(),
        2_000
    );
}

#[test]
fn an_oci_5_cart_with_a_broken_hierarchy_or_in_another_currency_is_refused_at_the_field() {
    let (mut fields, oci, _) = oci_round_trip("sap-srm-oci50");
    fields.push(("NEW_ITEM-ITEM_TYPE[1]".into(), "X".into()));
    fields.push(("NEW_ITEM-PARENT_ID[2]".into(), "7".into()));
    fields.push(("NEW_ITEM-PARENT_ID[3]".into(), "3".into()));
    let verdict = judge(
        &ReceivedCart::Oci {
            fields,
            version: oci.version,
        },
        &Expectation {
            currency: Some("USD".into()),
            ..Expectation::default()
        },
        &validators(),
    );
    let found: Vec<(&str, &str, &str)> = verdict
        .checks
        .iter()
        .flat_map(|check| {
            check.findings.iter().map(move |finding| {
                (
                    check.name.as_str(),
                    finding.location.as_str(),
                    finding.message.as_str(),
                )
            })
        })
        .collect();
    let currency = "expected the buyer's currency `USD`, found `EUR`";
    assert_eq!(
        found,
        [
            ("currencies", "NEW_ITEM-CURRENCY[1]", currency),
            ("currencies", "NEW_ITEM-CURRENCY[2]", currency),
            ("currencies", "NEW_ITEM-CURRENCY[3]", currency),
            (
                "item hierarchy",
                "NEW_ITEM-ITEM_TYPE[1]",
                "expected `R`, `O` or `F`, found `X`"
            ),
            (
                "item hierarchy",
                "NEW_ITEM-PARENT_ID[2]",
                "expected the index of another item of the cart, found `7`"
            ),
            (
                "item hierarchy",
                "NEW_ITEM-PARENT_ID[3]",
                "an item cannot be its own parent"
            ),
        ]
    );
}

#[test]
fn the_shop_accepts_a_presets_network_sender_and_no_other() {
    let preset = preset("sap-ariba").unwrap();
    let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
        unreachable!()
    };
    let mut profile = shop(&preset);
    let setup = |cxml: &punchout_host::serve::buyer::CxmlPunchOut, profile: &mut BuyerProfile| {
        let request = cxml_setup_request(
            cxml,
            SetupOperation::Create,
            "http://127.0.0.1:8080/buyer/return/cxml",
            SHOP_URL,
            &[],
            &envelope(1),
        )
        .unwrap();
        Native.cxml_setup(
            profile,
            request.document.as_bytes(),
            START_URL,
            &envelope(2),
        )
    };
    assert!(setup(cxml, &mut profile).is_ok());
    // The buyer signing for itself, as the shop's sample requests do, is accepted too.
    let mut own = cxml.clone();
    own.sender = own.from.clone();
    assert!(setup(&own, &mut profile).is_ok());
    let mut other = cxml.clone();
    other.sender.identity = "OtherNetwork".into();
    let Err(punchout_host::CallError::Rejected(error)) = setup(&other, &mut profile) else {
        panic!("a foreign Sender was not refused")
    };
    assert_eq!(
        error.code(),
        punchout_plugin::ErrorCode::AuthenticationFailed
    );
    assert_eq!(
        error.location().path.as_deref(),
        Some("/cXML/Header/Sender")
    );
}
