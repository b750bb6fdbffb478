//! The Peppol BIS Punch Out cart (T77): random carts with hostile text become UBL Catalogues
//! that pass the UBL 2.1 schema and the official 2026.5 schematron (one validator run per
//! batch) and read back with their lines; the official `PunchOut_Example.xml` is reproduced from
//! an equivalent cart; every mapped field has its exact value; code-list refusals name their JSON
//! pointer; the form escapes everything and the return URL is checked.

use std::sync::LazyLock;

use base64::Engine as _;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use punchout_plugin::error::ErrorCode;
use punchout_plugin::model::{Cart, CartLine, Envelope, Property};
use punchout_plugin::peppol::cart::{cart_return, punch_out_cart};
use punchout_plugin::profile::BuyerProfile;
use punchout_plugin::xml::{self, Element, ParseOptions};
use punchout_tests::peppol::{validate_peppol_batch, Transaction};
use punchout_tests::sample;

static FORM: LazyLock<scraper::Selector> =
    LazyLock::new(|| scraper::Selector::parse("form").unwrap());
static INPUT: LazyLock<scraper::Selector> =
    LazyLock::new(|| scraper::Selector::parse("input").unwrap());

/// Pieces of hostile text: markup, quotes, references, controls XML cannot carry, astral text.
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
    "<![CDATA[",
    "\u{1}",
    "\u{1F}",
    "\u{7F}",
    "\u{85}",
    "\u{FFFE}",
    "\u{FEFF}",
    "\u{1F600}",
    "é",
    "Ω",
    "\t",
    "\n",
    " ",
    "javascript:",
];

/// Pieces that read back exactly (nothing XML replaces, no surrounding white space).
const EXACT: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "]]>",
    "&amp;",
    "é",
    "Ω",
    "\u{1F600}",
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

fn positive(max_whole: u32, scale: u32) -> impl Strategy<Value = String> {
    decimal(max_whole, scale).prop_map(|number| {
        if number.trim_start_matches(['0', '.']).is_empty() {
            "1".to_owned()
        } else {
            number
        }
    })
}

/// A GTIN-13 with a valid check digit.
fn gtin() -> impl Strategy<Value = String> {
    prop::collection::vec(0..10_u32, 12).prop_map(|digits| {
        let sum: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(index, digit)| if index % 2 == 0 { digit * 3 } else { *digit })
            .sum();
        let check = (10 - sum % 10) % 10;
        digits
            .iter()
            .chain(std::iter::once(&check))
            .map(u32::to_string)
            .collect()
    })
}

/// What a random line may carry besides its own fields, each attribute optional.
fn attributes() -> impl Strategy<Value = Vec<Property>> {
    let tax = prop_oneof![
        Just(vec![]),
        Just(vec![("tax-category", "S"), ("tax-percent", "12.5")]),
        Just(vec![("tax-category", "Z")]),
        Just(vec![("tax-category", "E"), ("tax-percent", "0")]),
        Just(vec![("tax-category", "S")]),
    ];
    (
        (
            prop::option::of(pieces(HOSTILE, 5).prop_map(|text| format!("N{text}"))),
            prop::option::of(gtin()),
            prop::option::of(exact("M")),
            prop::option::of(pieces(HOSTILE, 4).prop_map(|text| format!("Mfr {text}"))),
            prop::option::of("[0-9]{8}"),
            prop::option::of(prop::sample::select(&["NO", "SE", "DE", "1A", "CN"][..])),
            prop::option::of(0..60_u32),
        ),
        (
            prop::option::of("2026-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"),
            prop::option::of(exact("https://shop.example/img/")),
            prop::option::of(pieces(HOSTILE, 4).prop_map(|text| format!("T{text}"))),
            tax,
            prop::option::of(positive(100, 2)),
            prop::option::of(pieces(HOSTILE, 4).prop_map(|text| format!("C{text}"))),
            prop::option::of(prop::sample::select(&["true", "false"][..])),
            prop::option::of(Just("JVBERi0xLjQK")),
        ),
    )
        .prop_map(
            |(
                (name, gtin, manufacturer_part, manufacturer, classification, origin, lead),
                (available, attachment, title, tax, base, colour, service, pdf),
            )| {
                let mut attributes = Vec::new();
                let mut put = |name: &str, value: Option<String>| {
                    if let Some(value) = value {
                        attributes.push(Property::new(name, value));
                    }
                };
                put("short-name", name);
                put("gtin", gtin);
                put("manufacturer-part-id", manufacturer_part);
                put("manufacturer-name", manufacturer);
                put("unspsc", classification);
                put("origin", origin.map(str::to_owned));
                put("lead-time", lead.map(|days| days.to_string()));
                put("available-from", available);
                put("attachment", attachment);
                put("attachment-title", title);
                for (name, value) in tax {
                    put(name, Some(value.to_owned()));
                }
                put("base-quantity", base);
                put("colour", colour);
                put("service", service.map(str::to_owned));
                put("pdf", pdf.map(str::to_owned));
                attributes
            },
        )
}

fn line() -> impl Strategy<Value = CartLine> {
    (
        exact("L"),
        prop::option::of(exact("S")),
        positive(1000, 3),
        decimal(100_000, 4),
        prop::sample::select(&["C62", "H87", "KGM", "MTR", "XPK", "PCE", "Stück", ""][..]),
        pieces(HOSTILE, 8).prop_map(|text| format!("D{text}")),
        attributes(),
    )
        .prop_map(
            |(line_ref, sku, quantity, unit_price, unit, description, mut attributes)| {
                // A line without the seller's ID needs a standard one (PEPPOL-T77-R004).
                if sku.is_none() && !attributes.iter().any(|property| property.name == "gtin") {
                    attributes.push(Property::new("gtin", "7300010000001"));
                }
                CartLine {
                    line_ref,
                    sku: sku.unwrap_or_default(),
                    quantity,
                    unit_price,
                    unit: unit.to_owned(),
                    description,
                    attributes,
                }
            },
        )
}

fn cart() -> impl Strategy<Value = Cart> {
    (
        prop::collection::vec((line(), prop::option::of(0..8_usize)), 1..7),
        prop::sample::select(&["EUR", "NOK", "SEK", "DKK", "USD"][..]),
    )
        .prop_map(|(lines, currency)| {
            let mut cart_lines: Vec<CartLine> = Vec::new();
            for (index, (mut line, parent)) in lines.into_iter().enumerate() {
                // Line references are unique in a cart; a parent is an earlier line.
                line.line_ref = format!("{index}{}", line.line_ref);
                if let Some(parent) = parent.filter(|parent| *parent < index) {
                    let parent_ref = cart_lines[parent].line_ref.clone();
                    line.attributes.push(Property::new("parent", parent_ref));
                }
                cart_lines.push(line);
            }
            Cart {
                currency: currency.to_owned(),
                lines: cart_lines,
                shipping: Some("5.00".into()),
                tax: None,
            }
        })
}

/// A profile that maps every T77 field.
fn full_profile_json() -> Value {
    let mut profile: Value = serde_json::from_str(&sample("peppol-buyer-profile.json")).unwrap();
    profile["mapping"] = json!({
        "fields": {
            "Item/Name": {"first": ["attributes.short-name", "description"]},
            "Item/Description": "description",
            "Item/BuyersItemIdentification/ID": {"template": "B-{line_ref}"},
            "Item/StandardItemIdentification/ID": "attributes.gtin",
            "Item/CommodityClassification/ItemClassificationCode": "attributes.unspsc",
            "Item/CommodityClassification/ItemClassificationCode/@listID": {"literal": "TST"},
            "Item/CommodityClassification/ItemClassificationCode/@listVersionID": {"literal": "26.0801"},
            "Item/OriginCountry/IdentificationCode": "attributes.origin",
            "LineValidityPeriod/StartDate": "attributes.available-from",
            "LineValidityPeriod/EndDate": {"literal": "2027-12-31"},
            "Item/ItemSpecificationDocumentReference/Attachment/ExternalReference/URI": "attributes.attachment",
            "Item/ItemSpecificationDocumentReference/DocumentTypeCode": {"literal": "PRODUCT_IMAGE"},
            "Item/ItemSpecificationDocumentReference/DocumentDescription": "attributes.attachment-title",
            "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject": "attributes.pdf",
            "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject/@mimeCode": {"literal": "application/pdf"},
            "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject/@filename": {"literal": "spec.pdf"},
            "Item/ClassifiedTaxCategory/ID": "attributes.tax-category",
            "Item/ClassifiedTaxCategory/Percent": "attributes.tax-percent",
            "Price/BaseQuantity": "attributes.base-quantity",
            "Price/PriceType": {"literal": "AAA"},
            "ParentLineID": "attributes.parent"
        },
        "extrinsics": {
            "Colour": "attributes.colour",
            "ServiceIndicator": "attributes.service"
        },
        "units": {"map": {"PCE": "H87", "Stück": "H87"}, "default": "C62"}
    });
    profile
}

fn compile(profile: &Value) -> BuyerProfile {
    BuyerProfile::compile(&profile.to_string(), &[]).unwrap()
}

fn envelope(n: u32) -> Envelope {
    Envelope {
        payload_id: format!("cart-{n}"),
        timestamp: "2026-11-30T09:00:00+01:00".into(),
    }
}

fn parse(document: &str) -> xml::Document {
    xml::parse(document.as_bytes(), &ParseOptions::cxml_document()).unwrap()
}

fn child<'a>(element: &'a Element, path: &str) -> Option<&'a Element> {
    let mut current = element;
    for name in path.split('/') {
        current = current.child(name).unwrap()?;
    }
    Some(current)
}

fn text(element: &Element, path: &str) -> Option<String> {
    child(element, path).map(Element::text)
}

/// The characters XML cannot carry, as the writer replaces them.
fn as_written(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' => c,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            _ => c,
        })
        .collect()
}

#[test]
fn random_hostile_carts_validate_against_the_schema_and_the_schematron() {
    let profile = compile(&full_profile_json());
    let mut documents = Vec::new();
    let mut runner = TestRunner::new(Config {
        cases: 240,
        failure_persistence: None,
        ..Config::default()
    });
    let collected = std::cell::RefCell::new(&mut documents);
    runner
        .run(&cart(), |cart| {
            let document = punch_out_cart(&profile, &cart, &envelope(7))
                .map_err(|error| TestCaseError::fail(format!("{error:?}\n{cart:?}")))?;
            let root = parse(&document);
            let root = &root.root;
            let lines: Vec<&Element> = root.elements_named("cac:CatalogueLine").collect();
            prop_assert_eq!(lines.len(), cart.lines.len());
            for (line, sent) in lines.iter().zip(&cart.lines) {
                prop_assert_eq!(text(line, "cbc:ID").unwrap(), sent.line_ref.clone());
                prop_assert_eq!(
                    text(line, "cac:Item/cbc:Description").unwrap(),
                    as_written(&sent.description)
                );
                prop_assert_eq!(
                    text(line, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
                    Some(sent.sku.clone()).filter(|sku| !sku.is_empty())
                );
                let parent = sent.attribute("parent").map(str::to_owned);
                let written_parent = line
                    .child("cac:Item")
                    .unwrap()
                    .unwrap()
                    .elements_named("cac:AdditionalItemProperty")
                    .find(|property| text(property, "cbc:Name").as_deref() == Some("ParentLineID"))
                    .and_then(|property| text(property, "cbc:Value"));
                prop_assert_eq!(written_parent, parent);
            }
            collected.borrow_mut().push(document);
            Ok(())
        })
        .unwrap();
    assert!(documents.len() >= 200, "{} documents", documents.len());
    validate_peppol_batch(Transaction::PunchOutCart, &documents).unwrap();
}

/// The official example's first two lines, as a shop's cart and a profile that maps them.
fn example_profile_and_cart() -> (BuyerProfile, Cart) {
    let profile = json!({
        "id": "def",
        "name": "DEF Customer Ltd.",
        "protocol": "peppol",
        "return_urls": ["https://buyer.example/punchout/"],
        "peppol": {
            "buyer": {
                "endpoint": {"scheme": "0192", "id": "123456785"},
                "name": "DEF Customer Ltd.",
                "identification": {"scheme": "0088", "id": "5790000435944"}
            },
            "seller": {
                "endpoint": {"scheme": "0192", "id": "987654325"},
                "name": "ABC Supplier Ltd.",
                "identification": {"scheme": "0088", "id": "5790000435951"}
            },
            "tax": {"category": "S", "percent": "18"},
            "validity_days": 30,
            "buyer_reference": "buyers ref no",
            "contract": "CRT1387",
            "delivery": {"mode": "post"}
        },
        "mapping": {
            "fields": {
                "Item/Name": "attributes.name",
                "Item/Description": "description",
                "Item/ManufacturersItemIdentification/ID": "attributes.manufacturer-part-id",
                "Item/StandardItemIdentification/ID": "attributes.gtin",
                "Item/CommodityClassification/ItemClassificationCode": "attributes.unspsc",
                "Item/CommodityClassification/ItemClassificationCode/@listID": {"literal": "MP"},
                "Item/CommodityClassification/ItemClassificationCode/@listVersionID": {"literal": "19.0501"},
                "Item/OriginCountry/IdentificationCode": "attributes.origin",
                "LineValidityPeriod/StartDate": "attributes.available-from",
                "LineValidityPeriod/EndDate": "attributes.valid-until",
                "Price/BaseQuantity": {"literal": "1"},
                "Price/PriceType": "attributes.price-type",
                "Item/ItemSpecificationDocumentReference/ID": "attributes.image-id",
                "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject": "attributes.image",
                "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject/@mimeCode": {"literal": "image/png"},
                "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject/@filename": {"literal": "image1.png"}
            },
            "extrinsics": {"Paper weight in grams": "attributes.paper-weight"}
        }
    });
    let line =
        |line_ref: &str, sku: &str, price: &str, description: &str, more: &[(&str, &str)]| {
            let mut attributes = vec![
                Property::new("name", "Copy paper"),
                Property::new("manufacturer-part-id", format!("MNTR0134908791{line_ref}")),
                Property::new(
                    "gtin",
                    if line_ref == "1" {
                        "1234567890114"
                    } else {
                        "1234567890124"
                    },
                ),
                Property::new("unspsc", "20101601"),
                Property::new("paper-weight", "18"),
            ];
            attributes.extend(
                more.iter()
                    .map(|(name, value)| Property::new(*name, *value)),
            );
            CartLine {
                line_ref: line_ref.into(),
                sku: sku.into(),
                quantity: "1".into(),
                unit_price: price.into(),
                unit: "C62".into(),
                description: description.into(),
                attributes,
            }
        };
    let cart = Cart {
        currency: "EUR".into(),
        lines: vec![
            line(
                "1",
                "MNTR011",
                "10",
                "Photo copy paper 80g A4, package of 500 sheets.",
                &[
                    ("available-from", "2018-09-26"),
                    ("valid-until", "2019-09-26"),
                    ("lead-time", "2"),
                    ("price-type", "AAA"),
                    ("origin", "NO"),
                    ("image-id", "12345"),
                    ("image", "UjBsR09EbGhjZ0dTQUxNQUFBUUNBRU1tQ1p0dU1GUXhEUzhi"),
                ],
            ),
            line(
                "2",
                "MNTR012",
                "90",
                "Photo copy paper 80g A4, carton of 10 units with 500 sheets each",
                &[],
            ),
        ],
        shipping: None,
        tax: None,
    };
    (compile(&profile), cart)
}

/// The official example's values, element by element, for the parts the engine writes.
#[test]
fn the_official_punch_out_example_is_reproduced_from_an_equivalent_cart() {
    let (profile, cart) = example_profile_and_cart();
    let document = punch_out_cart(
        &profile,
        &cart,
        &Envelope {
            payload_id: "1387".into(),
            timestamp: "2016-08-01T09:00:00".into(),
        },
    )
    .unwrap();
    let ours = parse(&document);
    let example =
        std::fs::read(punchout_tests::spec_dir().join("peppol/examples/PunchOut_Example.xml"))
            .unwrap();
    let official = xml::parse(&example, &ParseOptions::cxml_document()).unwrap();
    let (ours, official) = (&ours.root, &official.root);
    for path in [
        "cbc:CustomizationID",
        "cbc:ProfileID",
        "cbc:ID",
        "cbc:IssueDate",
        "cbc:IssueTime",
        "cac:ValidityPeriod/cbc:EndDate",
        "cac:ReferencedContract/cbc:ID",
        "cac:ProviderParty/cbc:EndpointID",
        "cac:ProviderParty/cac:PartyIdentification/cbc:ID",
        "cac:ProviderParty/cac:PartyLegalEntity/cbc:RegistrationName",
        "cac:ReceiverParty/cbc:EndpointID",
        "cac:ReceiverParty/cac:PartyIdentification/cbc:ID",
        "cac:ReceiverParty/cac:PartyLegalEntity/cbc:RegistrationName",
        "cac:ReceiverParty/cac:Contact/cbc:ID",
    ] {
        assert_eq!(text(ours, path), text(official, path), "{path}");
    }
    let ours_lines: Vec<&Element> = ours.elements_named("cac:CatalogueLine").collect();
    let official_lines: Vec<&Element> = official.elements_named("cac:CatalogueLine").collect();
    assert_eq!(ours_lines.len(), official_lines.len());
    for (index, (ours, official)) in ours_lines.iter().zip(&official_lines).enumerate() {
        let mut paths = vec![
            "cbc:ID",
            "cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount",
            "cac:RequiredItemLocationQuantity/cac:Price/cbc:BaseQuantity",
            "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity",
            "cac:Item/cbc:Description",
            "cac:Item/cbc:Name",
            "cac:Item/cac:SellersItemIdentification/cbc:ID",
            "cac:Item/cac:ManufacturersItemIdentification/cbc:ID",
            "cac:Item/cac:StandardItemIdentification/cbc:ID",
            "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode",
            "cac:Item/cac:ClassifiedTaxCategory/cbc:ID",
            "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent",
            "cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID",
            "cac:Item/cac:AdditionalItemProperty/cbc:Name",
            "cac:Item/cac:AdditionalItemProperty/cbc:Value",
        ];
        if index == 0 {
            paths.extend([
                "cac:LineValidityPeriod/cbc:StartDate",
                "cac:LineValidityPeriod/cbc:EndDate",
                "cac:RequiredItemLocationQuantity/cbc:LeadTimeMeasure",
                "cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceType",
                "cac:Item/cac:ItemSpecificationDocumentReference/cbc:ID",
                "cac:Item/cac:OriginCountry/cbc:IdentificationCode",
            ]);
        }
        for path in paths {
            assert_eq!(
                text(ours, path),
                text(official, path),
                "line {index}: {path}"
            );
        }
        for (path, attribute) in [
            (
                "cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount",
                "currencyID",
            ),
            (
                "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity",
                "unitCode",
            ),
            ("cac:Item/cac:StandardItemIdentification/cbc:ID", "schemeID"),
            (
                "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode",
                "listVersionID",
            ),
        ] {
            assert_eq!(
                child(ours, path).and_then(|element| element.attribute(attribute)),
                child(official, path).and_then(|element| element.attribute(attribute)),
                "line {index}: {path}/@{attribute}"
            );
        }
    }
    let image = child(
        ours_lines[0],
        "cac:Item/cac:ItemSpecificationDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
    )
    .unwrap();
    assert_eq!(image.attribute("mimeCode"), Some("image/png"));
    assert_eq!(image.attribute("filename"), Some("image1.png"));
    assert_eq!(
        image.text(),
        "UjBsR09EbGhjZ0dTQUxNQUFBUUNBRU1tQ1p0dU1GUXhEUzhi"
    );
    validate_peppol_batch(Transaction::PunchOutCart, &[document]).unwrap();
}

#[test]
fn every_mapped_field_has_its_exact_value() {
    let profile = compile(&full_profile_json());
    let cart = Cart {
        currency: "NOK".into(),
        lines: vec![
            CartLine {
                line_ref: "L1".into(),
                sku: "ABC-123".into(),
                quantity: "2.500".into(),
                unit_price: "1234.5".into(),
                unit: "PCE".into(),
                description: "Copy paper <A4> & \"more\"".into(),
                attributes: vec![
                    Property::new("short-name", "Copy paper"),
                    Property::new("gtin", "7300010000001"),
                    Property::new("manufacturer-part-id", "MP-1"),
                    Property::new("manufacturer-name", "Paper Mill AG"),
                    Property::new("unspsc", "14111507"),
                    Property::new("origin", "SE"),
                    Property::new("lead-time", "3"),
                    Property::new("available-from", "2026-12-01"),
                    Property::new("attachment", "https://shop.example/img/abc.png"),
                    Property::new("attachment-title", "Front"),
                    Property::new("tax-category", "Z"),
                    Property::new("base-quantity", "10"),
                    Property::new("colour", "white"),
                    Property::new("service", "false"),
                ],
            },
            CartLine {
                line_ref: "L2".into(),
                sku: "OPT-1".into(),
                quantity: "1".into(),
                unit_price: "0".into(),
                unit: "".into(),
                description: "Option".into(),
                attributes: vec![Property::new("parent", "L1")],
            },
        ],
        shipping: None,
        tax: None,
    };
    let document = punch_out_cart(&profile, &cart, &envelope(1)).unwrap();
    let parsed = parse(&document);
    let root = &parsed.root;
    assert_eq!(text(root, "cbc:ID").as_deref(), Some("cart-1"));
    assert_eq!(text(root, "cbc:IssueDate").as_deref(), Some("2026-11-30"));
    assert_eq!(
        text(root, "cbc:IssueTime").as_deref(),
        Some("09:00:00+01:00")
    );
    assert_eq!(
        text(root, "cac:ValidityPeriod/cbc:EndDate").as_deref(),
        Some("2026-12-30"),
        "30 days of validity"
    );
    let lines: Vec<&Element> = root.elements_named("cac:CatalogueLine").collect();
    let first = lines[0];
    for (path, value) in [
        ("cbc:ID", "L1"),
        ("cac:LineValidityPeriod/cbc:StartDate", "2026-12-01"),
        ("cac:LineValidityPeriod/cbc:EndDate", "2027-12-31"),
        ("cac:RequiredItemLocationQuantity/cbc:LeadTimeMeasure", "3"),
        ("cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount", "1234.50"),
        ("cac:RequiredItemLocationQuantity/cac:Price/cbc:BaseQuantity", "10"),
        ("cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceType", "AAA"),
        ("cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity", "2.5"),
        ("cac:Item/cbc:Description", "Copy paper <A4> & \"more\""),
        ("cac:Item/cbc:Name", "Copy paper"),
        ("cac:Item/cac:BuyersItemIdentification/cbc:ID", "B-L1"),
        ("cac:Item/cac:SellersItemIdentification/cbc:ID", "ABC-123"),
        ("cac:Item/cac:ManufacturersItemIdentification/cbc:ID", "MP-1"),
        ("cac:Item/cac:StandardItemIdentification/cbc:ID", "7300010000001"),
        (
            "cac:Item/cac:ItemSpecificationDocumentReference/cbc:ID",
            "https://shop.example/img/abc.png",
        ),
        (
            "cac:Item/cac:ItemSpecificationDocumentReference/cbc:DocumentTypeCode",
            "PRODUCT_IMAGE",
        ),
        (
            "cac:Item/cac:ItemSpecificationDocumentReference/cbc:DocumentDescription",
            "Front",
        ),
        (
            "cac:Item/cac:ItemSpecificationDocumentReference/cac:Attachment/cac:ExternalReference/cbc:URI",
            "https://shop.example/img/abc.png",
        ),
        ("cac:Item/cac:OriginCountry/cbc:IdentificationCode", "SE"),
        (
            "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode",
            "14111507",
        ),
        ("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "Z"),
        ("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "0"),
        ("cac:Item/cac:ManufacturerParty/cac:PartyName/cbc:Name", "Paper Mill AG"),
    ] {
        assert_eq!(text(first, path).as_deref(), Some(value), "{path}");
    }
    let attribute = |element: &Element, path: &str, name: &str| {
        child(element, path)
            .and_then(|found| found.attribute(name))
            .map(str::to_owned)
    };
    let price = "cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount";
    assert_eq!(
        attribute(first, price, "currencyID").as_deref(),
        Some("NOK")
    );
    for path in [
        "cac:RequiredItemLocationQuantity/cac:Price/cbc:BaseQuantity",
        "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity",
    ] {
        assert_eq!(
            attribute(first, path, "unitCode").as_deref(),
            Some("H87"),
            "{path}"
        );
    }
    assert_eq!(
        attribute(
            first,
            "cac:Item/cac:StandardItemIdentification/cbc:ID",
            "schemeID"
        )
        .as_deref(),
        Some("0160"),
        "a standard ID without a scheme is a GTIN"
    );
    let classification = "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode";
    assert_eq!(
        attribute(first, classification, "listID").as_deref(),
        Some("TST")
    );
    assert_eq!(
        attribute(first, classification, "listVersionID").as_deref(),
        Some("26.0801")
    );
    let properties = |line: &Element| -> Vec<(String, String)> {
        line.child("cac:Item")
            .unwrap()
            .unwrap()
            .elements_named("cac:AdditionalItemProperty")
            .map(|property| {
                (
                    text(property, "cbc:Name").unwrap(),
                    text(property, "cbc:Value").unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        properties(first),
        [
            ("Colour".to_owned(), "white".to_owned()),
            ("ServiceIndicator".to_owned(), "false".to_owned())
        ]
    );
    let second = lines[1];
    assert_eq!(
        properties(second),
        [("ParentLineID".to_owned(), "L1".to_owned())],
        "the hierarchy"
    );
    assert_eq!(
        attribute(
            second,
            "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity",
            "unitCode"
        )
        .as_deref(),
        Some("C62"),
        "the profile's default unit"
    );
    assert_eq!(
        text(
            second,
            "cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount"
        )
        .as_deref(),
        Some("0.00")
    );
    assert_eq!(
        text(second, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent").as_deref(),
        Some("25"),
        "the profile's default tax"
    );
    assert!(child(second, "cac:Item/cac:StandardItemIdentification").is_none());
    assert!(child(second, "cac:LineValidityPeriod/cbc:StartDate").is_none());
    validate_peppol_batch(Transaction::PunchOutCart, &[document]).unwrap();
}

fn simple_cart() -> Cart {
    Cart {
        currency: "EUR".into(),
        lines: vec![CartLine {
            line_ref: "L1".into(),
            sku: "ABC".into(),
            quantity: "1".into(),
            unit_price: "1".into(),
            unit: "C62".into(),
            description: "Paper".into(),
            attributes: Vec::new(),
        }],
        shipping: None,
        tax: None,
    }
}

/// A cart the profile refuses, with the error's code, pointer and message.
#[test]
fn refused_values_name_their_field_and_pointer() {
    let profile = compile(&full_profile_json());
    type Breaks = fn(&mut Cart);
    let cases: &[(Breaks, ErrorCode, &str, &str)] = &[
        (
            |cart| cart.currency = "EURO".into(),
            ErrorCode::InvalidCart,
            "/lines/0/currency",
            "field `Price/PriceAmount/@currencyID`: `EURO` is not in the ISO 4217 code list of currency codes",
        ),
        (
            |cart| cart.currency = "eur".into(),
            ErrorCode::InvalidCart,
            "/lines/0/currency",
            "field `Price/PriceAmount/@currencyID`: `eur` is not in the ISO 4217 code list of currency codes, did you mean `EUR`?",
        ),
        (
            |cart| cart.lines[0].unit = "PK".into(),
            ErrorCode::InvalidCart,
            "/lines/0/unit",
            "field `DeliveryUnit/BatchQuantity/@unitCode`: unit `PK` is not a UN/ECE Rec 20 code, the only units Peppol accepts: map it in the profile's `mapping.units.map` (PCE or PCS to `H87`, piece, or `C62`, one)",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("origin", "UK")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Item/OriginCountry/IdentificationCode`: `UK` is not in the ISO 3166-1 alpha-2 code list of country codes",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("tax-category", "VAT")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Item/ClassifiedTaxCategory/ID`: `VAT` is not in the UNCL 5305 code list of tax categories",
        ),
        (
            |cart| {
                cart.lines[0].attributes.push(Property::new("tax-category", "S"));
                cart.lines[0].attributes.push(Property::new("tax-percent", "0"));
            },
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Item/ClassifiedTaxCategory/Percent`: tax category `S` (standard rate) needs a rate above zero, found `0` (PEPPOL-T77-R009): use `Z` for zero-rated goods",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("tax-category", "L")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Item/ClassifiedTaxCategory/Percent`: the line's tax category `L` is not the profile's `S`, so its rate cannot be the profile's: map `Item/ClassifiedTaxCategory/Percent`",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("available-from", "2026-02-30")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `LineValidityPeriod/StartDate`: expected a date `YYYY-MM-DD`, found `2026-02-30`",
        ),
        (
            |cart| cart.lines[0].unit_price = "-1".into(),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Price/PriceAmount`: a price cannot be negative, found `-1` (PEPPOL-T77-R003)",
        ),
        (
            |cart| cart.lines[0].quantity = "0".into(),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `DeliveryUnit/BatchQuantity`: expected a quantity greater than zero, found `0` (PEPPOL-T77-R002)",
        ),
        (
            |cart| cart.lines[0].sku = " ".into(),
            ErrorCode::InvalidCart,
            "/lines/0",
            "a Peppol cart line needs the seller's item ID or a standard item ID (PEPPOL-T77-R004): map `Item/SellersItemIdentification/ID` (default `sku`) or `Item/StandardItemIdentification/ID`",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("service", "yes")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "item property `ServiceIndicator` is `true` or `false`, found `yes` (PEPPOL-T77-R007)",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("pdf", "not base64!")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject`: expected base64 content, found `not base64!`",
        ),
        (
            |cart| {
                let mut second = cart.lines[0].clone();
                second.sku = "OTHER".into();
                cart.lines.push(second);
            },
            ErrorCode::InvalidCart,
            "/lines/1",
            "line ID `L1` (`ID`) is the ID of line 0 too: every line of a cart needs its own ID",
        ),
        (
            |cart| cart.lines[0].attributes.push(Property::new("parent", "L9")),
            ErrorCode::InvalidCart,
            "/lines/0",
            "`ParentLineID` `L9` is not the ID of another line of the cart",
        ),
        (
            |cart| {
                let mut second = cart.lines[0].clone();
                second.line_ref = "L2".into();
                second.attributes.push(Property::new("parent", "L1"));
                cart.lines[0].attributes.push(Property::new("parent", "L2"));
                cart.lines.push(second);
            },
            ErrorCode::InvalidCart,
            "/lines/0",
            "`ParentLineID` `L2` makes line `L1` its own ancestor: the hierarchy must be a tree",
        ),
        (
            |cart| cart.lines.clear(),
            ErrorCode::InvalidCart,
            "/lines",
            "a Peppol cart needs at least one line (`cac:CatalogueLine` is required)",
        ),
        (
            |cart| cart.lines[0].description = "  ".into(),
            ErrorCode::InvalidCart,
            "/lines/0",
            "field `Item/Name`: required, but the value is empty or only spaces",
        ),
    ];
    for (breaks, code, pointer, message) in cases {
        let mut cart = simple_cart();
        breaks(&mut cart);
        let error = punch_out_cart(&profile, &cart, &envelope(1)).unwrap_err();
        assert_eq!(
            (
                error.code(),
                error.location().pointer.as_deref(),
                error.message()
            ),
            (*code, Some(*pointer), *message),
        );
    }
}

#[test]
fn the_envelope_is_checked() {
    let profile = compile(&full_profile_json());
    for (envelope, field, message) in [
        (
            Envelope {
                payload_id: " ".into(),
                timestamp: "2026-11-30T09:00:00Z".into(),
            },
            "payload_id",
            "expected the cart's ID without surrounding spaces, found ` `",
        ),
        (
            Envelope {
                payload_id: "c".into(),
                timestamp: "30.11.2026 09:00".into(),
            },
            "timestamp",
            "expected a timestamp such as `2026-11-30T09:00:00+01:00`, found `30.11.2026 09:00`",
        ),
    ] {
        let error = punch_out_cart(&profile, &simple_cart(), &envelope).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidValue);
        assert_eq!(error.location().field.as_deref(), Some(field));
        assert_eq!(error.message(), message);
    }
}

#[test]
fn a_cxml_profile_is_refused() {
    let secrets: Vec<_> = punchout_tests::sample_secrets()
        .into_iter()
        .map(|(name, value)| punchout_plugin::profile::ResolvedSecret {
            name,
            value: punchout_plugin::profile::Secret::new(value),
        })
        .collect();
    let profile = BuyerProfile::compile(&sample("cxml-buyer-profile.json"), &secrets).unwrap();
    let error = punch_out_cart(&profile, &simple_cart(), &envelope(1)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnsupportedOperation);
    assert_eq!(
        error.message(),
        format!("buyer `{}` speaks cXML, not Peppol", profile.id())
    );
}

#[test]
fn the_form_escapes_everything_and_posts_the_cart_exactly() {
    let mut profile = full_profile_json();
    let return_url =
        "https://eprocurement.def-customer.example/punchout/return?a=1&b=\"2\"><script>";
    let mut cart = simple_cart();
    cart.lines[0].description = "\"><script>alert(1)</script>' & </textarea>".into();
    for encoding in ["raw", "base64"] {
        profile["peppol"]["delivery"] =
            json!({"mode": "form", "field": "punchout-cart", "encoding": encoding});
        let delivery = cart_return(&compile(&profile), &cart, &envelope(3), return_url).unwrap();
        assert_eq!(delivery.url, return_url);
        let page = delivery.form.unwrap();
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "{encoding}: only the page's own"
        );
        let html = scraper::Html::parse_document(&page);
        let forms: Vec<_> = html.select(&FORM).collect();
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].value().attr("action"), Some(return_url));
        let inputs: Vec<_> = html.select(&INPUT).collect();
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].value().attr("name"), Some("punchout-cart"));
        let value = inputs[0].value().attr("value").unwrap();
        let posted = match encoding {
            "raw" => value.to_owned(),
            _ => String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(value)
                    .unwrap(),
            )
            .unwrap(),
        };
        assert_eq!(posted, delivery.document, "{encoding}");
    }
    profile["peppol"]["delivery"] = json!({"mode": "post"});
    let delivery = cart_return(&compile(&profile), &cart, &envelope(3), return_url).unwrap();
    assert_eq!(delivery.form, None);
    assert_eq!(delivery.url, return_url);
    assert!(delivery
        .document
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catalogue "));
}

#[test]
fn a_return_url_outside_the_profile_is_refused() {
    let profile = compile(&full_profile_json());
    for url in [
        "https://evil.example/punchout/",
        "https://eprocurement.def-customer.example.evil.com/punchout/",
        "https://eprocurement.def-customer.example@evil.com/punchout/",
        "http://eprocurement.def-customer.example/punchout/",
        "https://eprocurement.def-customer.example/other/",
        "javascript:alert(1)",
        "\thttps://eprocurement.def-customer.example/punchout/",
    ] {
        let error = cart_return(&profile, &simple_cart(), &envelope(1), url).unwrap_err();
        assert_eq!(error.code(), ErrorCode::ReturnUrlNotAllowed, "{url}");
        assert_eq!(
            error.location().field.as_deref(),
            Some("return_url"),
            "{url}"
        );
    }
    let error = cart_return(
        &profile,
        &simple_cart(),
        &envelope(1),
        "https://evil.example/punchout/",
    )
    .unwrap_err();
    assert_eq!(
        error.message(),
        "return URL `https://evil.example/punchout/` is not among the buyer's allowed return URLs: expected the scheme, host, port and a path under one of `https://eprocurement.def-customer.example/punchout/`"
    );
}

/// The same random carts through the component (the cart crossing as JSON) and natively: equal
/// documents, forms and refusals, and every component document valid.
#[test]
fn the_component_writes_the_same_carts_as_the_native_core() {
    use punchout_host::prelude::*;
    use punchout_host::{CallError, Native, PeppolCalls};

    let json = full_profile_json().to_string();
    let mut worker = punchout_tests::runtime().worker();
    let mut component_profile = worker.compile_profile(&json, &[]).unwrap();
    let mut native_profile = Native.compile_profile(&json, &[]).unwrap();
    let return_url = "https://eprocurement.def-customer.example/punchout/return?session=1&x=\"y\"";
    let carts = std::cell::RefCell::new(Vec::new());
    let mut runner = TestRunner::new(Config {
        cases: 60,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&cart(), |cart| {
            carts.borrow_mut().push(cart);
            Ok(())
        })
        .unwrap();
    let mut documents = Vec::new();
    for cart in carts.into_inner() {
        let envelope = envelope(11);
        let through_component = worker
            .peppol_cart(&mut component_profile, &cart, &envelope, return_url)
            .unwrap_or_else(|error| panic!("{error}\n{cart:?}"));
        let native = Native
            .peppol_cart(&mut native_profile, &cart, &envelope, return_url)
            .unwrap();
        assert_eq!(through_component, native);
        assert!(through_component.form_html.is_some());
        documents.push(through_component.document);
    }
    assert_eq!(documents.len(), 60);
    validate_peppol_batch(Transaction::PunchOutCart, &documents).unwrap();

    let mut refused = simple_cart();
    refused.lines[0].unit = "PK".into();
    let envelope = envelope(12);
    match (
        worker.peppol_cart(&mut component_profile, &refused, &envelope, return_url),
        Native.peppol_cart(&mut native_profile, &refused, &envelope, return_url),
    ) {
        (Err(CallError::Rejected(component)), Err(CallError::Rejected(native))) => {
            assert_eq!(component, native);
            assert_eq!(
                component.location().pointer.as_deref(),
                Some("/lines/0/unit")
            );
        }
        other => panic!("expected both to refuse the unit, got {other:?}"),
    }
}

/// The JSON bridge (and so the C ABI) takes the cart as JSON and answers with the document, the
/// URL and the form (`null` for a `post` delivery).
#[test]
fn the_bridge_returns_the_document_url_and_form() {
    use punchout_host::bridge::JsonBridge;
    use punchout_host::Native;

    let mut bridge = JsonBridge::new(Native);
    let mut profile = full_profile_json();
    let compiled = bridge.call(
        "compile-profile",
        &json!({"profile": profile.to_string(), "secrets": {}}).to_string(),
    );
    assert_eq!(
        compiled,
        json!({"status": "ok", "result": {"id": "def-customer", "protocol": "peppol"}})
    );
    let call = json!({
        "profile_id": "def-customer",
        "cart": simple_cart(),
        "envelope": envelope(5),
        "return_url": "https://eprocurement.def-customer.example/punchout/",
    });
    let answer = bridge.call("peppol-cart", &call.to_string());
    assert_eq!(answer["status"], "ok", "{answer}");
    let document = answer["result"]["document"].as_str().unwrap();
    assert!(document.contains("<cbc:ID>cart-5</cbc:ID>"));
    assert_eq!(
        answer["result"]["url"],
        "https://eprocurement.def-customer.example/punchout/"
    );
    assert!(answer["result"]["form_html"]
        .as_str()
        .unwrap()
        .contains("name=\"punchout-cart\""));

    profile["id"] = json!("def-post");
    profile["peppol"]["delivery"] = json!({"mode": "post"});
    bridge.call(
        "compile-profile",
        &json!({"profile": profile.to_string(), "secrets": {}}).to_string(),
    );
    let mut call = call;
    call["profile_id"] = json!("def-post");
    let answer = bridge.call("peppol-cart", &call.to_string());
    assert_eq!(answer["result"]["form_html"], Value::Null, "{answer}");

    call["return_url"] = json!("https://evil.example/");
    let answer = bridge.call("peppol-cart", &call.to_string());
    assert_eq!(answer["status"], "rejected");
    assert_eq!(answer["error"]["code"], "return-url-not-allowed");
    assert_eq!(answer["error"]["location"]["field"], "return_url");
}
