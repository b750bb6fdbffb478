//! Seeds built from the repository's fixtures for the targets whose input is not a fixture file
//! as it stands (structured carts, form bodies, call-up variants). `fuzz/seeds/<target>/` holds
//! them; the replay test checks that the folder is current (`UPDATE_SEEDS=1` rewrites it).

use punchout_plugin::model::{Cart, CartLine, Property};
use punchout_plugin::oci::OciCharset;

use crate::cart_case::CartCase;
use crate::fixtures::{oci_attribute_for, CART_JSON, OCI_CALL_UP};

/// The hook URL query of the sample call-up.
const SAMPLE_QUERY: &str = "sap-client=100&~OkCode=ADDI&~TARGET=_top&~CALLER=CTLG";

fn sample_cart() -> Cart {
    serde_json::from_str(CART_JSON).expect("the sample cart parses")
}

/// A line with markup, quotes, controls and characters outside Latin-1 in every text.
fn hostile_line() -> CartLine {
    CartLine {
        line_ref: "cart-9:line-x".into(),
        sku: "H-1".into(),
        quantity: "1.5".into(),
        unit_price: "0.125".into(),
        unit: "EA".into(),
        description: "\"><script>alert('x')</script> & </textarea> Größe 2€ „Zoll“ Łódź 漢字 \u{7}"
            .into(),
        attributes: vec![
            Property::new("classification", "44121704"),
            Property::new("image-url", "https://shop.example.com/a?b=1&c=\"2\""),
        ],
    }
}

/// A line that sets every OCI field through the attributes of the every-field profile.
fn every_field_line() -> CartLine {
    let mut attributes: Vec<Property> = punchout_plugin::mapping::targets::OCI_ITEM_FIELDS
        .iter()
        .filter(|target| target.name != "NEW_ITEM-PARENT_ID")
        .map(|target| {
            let value = match target.format {
                punchout_plugin::mapping::targets::FieldFormat::Decimal { .. } => "12.5".into(),
                punchout_plugin::mapping::targets::FieldFormat::Integer => "3".into(),
                punchout_plugin::mapping::targets::FieldFormat::UnitCode => "EA".into(),
                punchout_plugin::mapping::targets::FieldFormat::Currency => "EUR".into(),
                _ => match target.name {
                    "NEW_ITEM-ITEM_TYPE" => "R".into(),
                    "NEW_ITEM-SERVICE" => "X".into(),
                    "NEW_ITEM-ATTACHMENT_PURPOSE" => "C".into(),
                    _ => format!("v-{}", oci_attribute_for(target.name)),
                },
            };
            Property::new(oci_attribute_for(target.name), value)
        })
        .collect();
    attributes.push(Property::new("classification", "44121704"));
    CartLine {
        line_ref: "l1".into(),
        sku: "S1".into(),
        quantity: "1".into(),
        unit_price: "1".into(),
        unit: "EA".into(),
        description: "every field".into(),
        attributes,
    }
}

fn case(flags: &str, text: &str, target: &str, cart: Cart) -> Vec<u8> {
    CartCase {
        flags: flags.into(),
        text: text.into(),
        target: target.into(),
        cart,
    }
    .encode()
}

fn carts() -> Vec<(&'static str, Cart)> {
    let sample = sample_cart();
    let mut hostile = sample.clone();
    hostile.lines.push(hostile_line());
    let mut every = sample.clone();
    every.lines = vec![every_field_line(), every_field_line()];
    if let Some(second) = every.lines.get_mut(1) {
        second.line_ref = "l2".into();
        second.attributes.push(Property::new("parent_id", "1"));
    }
    let empty = Cart {
        lines: Vec::new(),
        ..sample.clone()
    };
    vec![
        ("sample", sample),
        ("hostile", hostile),
        ("every-field", every),
        ("empty", empty),
    ]
}

/// The seeds of `target` as (file name, bytes); empty for targets seeded by fixture files.
pub fn generated(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    match target {
        "oci_cart_form" => {
            for (name, cart) in carts() {
                seeds.push((
                    format!("{name}-latin1"),
                    case("", SAMPLE_QUERY, "", cart.clone()),
                ));
                seeds.push((
                    format!("{name}-utf8"),
                    case("u", SAMPLE_QUERY, "_blank", cart.clone()),
                ));
                // The 5.0 profile that maps every field reads them from the attributes.
                if name == "every-field" {
                    seeds.push((
                        format!("{name}-utf8-5.0"),
                        case("u5", SAMPLE_QUERY, "_self", cart),
                    ));
                }
            }
        }
        "cxml_cart_form" => {
            for (name, cart) in carts() {
                seeds.push((
                    format!("{name}-urlencoded"),
                    case("", "c0ffee-42-ACME", "", cart.clone()),
                ));
                seeds.push((
                    format!("{name}-base64-inspect"),
                    case("bi", "<odd & cookie>", "", cart),
                ));
            }
        }
        "cart_round_trip" => {
            for line in sample_cart().lines.iter().chain([&hostile_line()]) {
                let parts = [
                    line.line_ref.as_str(),
                    &line.sku,
                    &line.description,
                    line.attribute("short-name").unwrap_or("short"),
                    "c0ffee-42-ACME",
                ];
                seeds.push((
                    line.line_ref.replace(':', "-"),
                    parts.join("\u{1}").into_bytes(),
                ));
            }
        }
        "oci_read_back" => {
            let profile = crate::fixtures::oci_every_field_profile();
            for (name, cart) in carts() {
                let Ok(fields) = punchout_plugin::oci::cart_form::cart_fields(
                    profile,
                    punchout_plugin::oci::OciVersion::V5,
                    &cart,
                ) else {
                    continue;
                };
                let mut inputs: Vec<(String, String)> = vec![
                    ("sap-client".into(), "100".into()),
                    ("~OkCode".into(), "ADDI".into()),
                ];
                inputs.extend(fields.into_iter().map(|field| (field.name, field.value)));
                for (label, charset) in [("latin1", OciCharset::Latin1), ("utf8", OciCharset::Utf8)]
                {
                    seeds.push((
                        format!("{name}-{label}"),
                        crate::page::post_body(&inputs, charset),
                    ));
                }
            }
        }
        "oci_call_up" => {
            let base = OCI_CALL_UP.trim_end();
            for (name, extra) in [
                ("get", "?"),
                ("detail", "&FUNCTION=DETAIL&PRODUCTID=ABC-123"),
                (
                    "validate",
                    "&FUNCTION=VALIDATE&PRODUCTID=ABC-123&QUANTITY=10",
                ),
                (
                    "sourcing",
                    "&FUNCTION=SOURCING&SEARCHSTRING=paper&VENDOR=100042",
                ),
                (
                    "background-search",
                    "&FUNCTION=BACKGROUND_SEARCH&SEARCHSTRING=paper",
                ),
            ] {
                let body = if extra == "?" {
                    format!("?{base}")
                } else {
                    format!("{base}{extra}")
                };
                seeds.push((name.to_owned(), body.into_bytes()));
            }
        }
        _ => {}
    }
    seeds
}
