//! Every document a cart return writes, byte for byte, against golden files written by the engine
//! before its mapping was compiled into a flat program: a big varied cart (markup, quotes,
//! control characters, Latin-1 and non-Latin-1 text, decomposed accents, emoji, values that are
//! cut or spill into the long text, prices quoted per price unit, missing attributes, many
//! attributes per line) through every sample profile and two profiles that use every rule kind
//! and transform. Lines a profile refuses are recorded with their error (code, message,
//! location) and taken out, and the rest of the cart is rendered again, so the golden files hold
//! both the documents and the refusals. `config preview` is recorded for the first lines too.
//!
//! `UPDATE_GOLDEN=1 cargo test -p punchout-plugin --test golden_documents` rewrites the files;
//! only do that for an intended change of the documents.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use punchout_plugin::cxml::{form, order_message};
use punchout_plugin::model::SetupOperation;
use punchout_plugin::model::{Cart, CartLine, Credential, Envelope, Property, Session};
use punchout_plugin::oci::{self, OciCharset, OciSession, OciVersion};
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
use punchout_plugin::Error;

const SECRETS: &[&str] = &[
    "ACME_ARIBA_SHARED_SECRET",
    "GLOBEX_COUPA_SHARED_SECRET",
    "INITECH_JAGGAER_SHARED_SECRET",
    "INITECH_SRM_SHARED_SECRET",
    "EXAMPLE_GROUP_OCI_PASSWORD",
    "EXAMPLE_AG_OCI_PASSWORD",
    "ACME_SRM_OCI_PASSWORD",
    "RICH_SECRET",
];

fn secrets() -> Vec<ResolvedSecret> {
    SECRETS
        .iter()
        .map(|name| ResolvedSecret {
            name: (*name).to_owned(),
            value: Secret::new("s3cr3t"),
        })
        .collect()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace().join(path))
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// A cXML profile that uses every rule kind and transform.
const RICH_CXML: &str = r#"{
  "id": "rich-cxml", "name": "Every rule kind, cXML", "protocol": "cxml",
  "authentication": {"credentials": [{"domain": "NetworkID", "identity": "RICH"}],
                     "shared_secret": {"secret": "RICH_SECRET"}},
  "return_urls": ["https://rich.example.com/punchout/"],
  "defaults": {"language": "de-DE", "classification_domain": "eCl@ss", "classification_code": "24-26-01-01"},
  "mapping": {
    "fields": {
      "SupplierPartID": {"template": "{sku}/{attributes.variant}", "transform": ["upper"]},
      "SupplierPartAuxiliaryID": {"template": "{line_ref}#{line_number} {{{currency}}}"},
      "Description": {"source": "description", "transform": ["collapse_whitespace", "trim", {"replace": {"from": "&", "to": "and"}}]},
      "ShortName": {"first": ["attributes.short-name", {"template": "{attributes.size} <{sku}>"}, {"source": "description", "transform": [{"truncate": {"max": 12, "at": "char"}}, "lower"]}]},
      "Classification": {"lookup": {"source": "attributes.category", "table": {"paper": "44121704", "toner": "44103103"}}},
      "ManufacturerPartID": {"source": "attributes.manufacturer-part-id", "transform": [{"pad": {"width": 12, "with": "·", "side": "right"}}]},
      "ManufacturerName": {"first": ["attributes.manufacturer-name", {"literal": "Acme <\"&'> GmbH"}]},
      "URL": {"source": "attributes.url", "transform": ["trim"]},
      "LeadTime": {"source": "attributes.lead-time", "transform": ["trim", {"number": {"max_decimals": 0}}]}
    },
    "extrinsics": {
      "ImageURL": "attributes.image-url",
      "Weight <kg>": {"source": "attributes.weight", "transform": [{"number": {"min_decimals": 2, "max_decimals": 3}}]},
      "Colour": {"lookup": {"source": "attributes.color", "table": {"white": "Weiß"}, "default": "n/a"}},
      "Empty": {"source": "attributes.never-there"},
      "Line": "line_number",
      "Price": "unit_price"
    },
    "units": {"map": {"Stück": "PCE", "PCE": "EA", "Karton": "XCT"}, "default": "Stück"}
  },
  "cxml": {"form_encoding": "cxml-urlencoded"}
}"#;

/// An OCI 5.0 profile in UTF-8 that uses every rule kind, customer fields and the long text.
const RICH_OCI: &str = r#"{
  "id": "rich-oci", "name": "Every rule kind, OCI 5.0", "protocol": "oci",
  "authentication": {"credentials": [{"domain": "oci", "identity": "RICH"}],
                     "shared_secret": {"secret": "RICH_SECRET"}},
  "return_urls": ["https://srm.rich.example.com/sap/"],
  "mapping": {
    "fields": {
      "NEW_ITEM-DESCRIPTION": {"source": "description", "transform": ["collapse_whitespace"], "overflow": "longtext"},
      "NEW_ITEM-MATNR": {"template": "{sku}-{attributes.variant}", "transform": ["upper"], "overflow": "truncate"},
      "NEW_ITEM-VENDOR": {"literal": "V<&>\"1"},
      "NEW_ITEM-MATGROUP": {"lookup": {"source": "attributes.category", "table": {"paper": "OFF-001", "toner": "OFF-002"}}, "overflow": "truncate"},
      "NEW_ITEM-MANUFACTCODE": {"source": "attributes.manufacturer-name", "overflow": "truncate"},
      "NEW_ITEM-MANUFACTMAT": {"first": ["attributes.manufacturer-part-id", "sku"], "overflow": "longtext"},
      "NEW_ITEM-CONTRACT": {"source": "attributes.contract", "transform": [{"pad": {"width": 10}}]},
      "NEW_ITEM-EXT_QUOTE_ID": {"template": "Q-{line_number}-{currency}"},
      "NEW_ITEM-ATTACHMENT": "attributes.url",
      "NEW_ITEM-ATTACHMENT_TITLE": {"source": "attributes.short-name", "transform": ["lower", {"replace": {"from": " ", "to": "_"}}]},
      "NEW_ITEM-EXT_CATEGORY": {"source": "attributes.classification", "transform": [{"truncate": {"max": 6}}]},
      "NEW_ITEM-CUST_FIELD1": {"template": "{attributes.color}", "transform": ["upper", {"truncate": {"max": 10, "at": "char"}}]},
      "NEW_ITEM-CUST_FIELD3": {"source": "attributes.weight", "transform": [{"number": {"min_decimals": 1, "max_decimals": 2}}]},
      "NEW_ITEM-CUST_FIELD5": {"source": "line_ref", "overflow": "truncate"},
      "NEW_ITEM-ITEM_TYPE": {"lookup": {"source": "attributes.item-type", "table": {"bundle": "R", "component": "F", "odd": "X"}, "default": ""}},
      "NEW_ITEM-PARENT_ID": "attributes.parent-line",
      "NEW_ITEM-ZZ_IMAGE_URL": "attributes.image-url",
      "NEW_ITEM-ZZ_NOTE": {"template": "{attributes.size} mm, {attributes.color}"},
      "NEW_ITEM-YLINE": "line_number"
    },
    "extrinsics": {"NEW_ITEM-ZZ_EXTRA": "attributes.variant", "NotAField": "sku"},
    "units": {"map": {"Stück": "PCE", "Karton": "XCT"}, "default": "EA"}
  },
  "oci": {"version": "5.0", "charset_default": "utf-8"}
}"#;

/// The profiles, by the name of their golden files.
fn profiles() -> Vec<(&'static str, BuyerProfile)> {
    let coupa = read("host-example/samples/profiles/coupa.json");
    let plant = punchout_plugin::profile::resolve_extends(
        &read("host-example/samples/profiles/coupa-plant-2.json"),
        std::slice::from_ref(&coupa),
    )
    .unwrap();
    let sources: Vec<(&str, String)> = vec![
        (
            "cxml-sample",
            read("host-example/samples/cxml-buyer-profile.json"),
        ),
        (
            "cxml-ariba",
            read("host-example/samples/profiles/ariba.json"),
        ),
        ("cxml-coupa", coupa),
        ("cxml-coupa-plant-2", plant),
        (
            "cxml-jaggaer",
            read("host-example/samples/profiles/jaggaer.json"),
        ),
        (
            "cxml-fixture-coupa",
            read("tests/fixtures/cxml-setup/coupa.profile.json"),
        ),
        (
            "cxml-fixture-sap",
            read("tests/fixtures/cxml-setup/sap.profile.json"),
        ),
        ("cxml-rich", RICH_CXML.to_owned()),
        (
            "oci-sample",
            read("host-example/samples/oci-buyer-profile.json"),
        ),
        (
            "oci-sap-oci50",
            read("host-example/samples/profiles/sap-oci50.json"),
        ),
        (
            "oci-sap-srm-oci40",
            read("host-example/samples/profiles/sap-srm-oci40.json"),
        ),
        ("oci-rich", RICH_OCI.to_owned()),
    ];
    sources
        .into_iter()
        .map(|(name, json)| {
            let profile = BuyerProfile::compile(&json, &secrets())
                .unwrap_or_else(|error| panic!("{name}: {error:?}"));
            (name, profile)
        })
        .collect()
}

const DESCRIPTIONS: &[&str] = &[
    "Copy paper A4 80 g/m², 500 sheets, bright white, FSC certified",
    "Industrial product with a long description & <special> characters, Größe 12 mm",
    "Łódź: Kopierpapier A4, 500 Blatt, hochweiß, FSC-zertifiziert",
    "  leading and trailing\twhitespace\r\nwith   runs of   spaces and a line\nbreak  ",
    "\"><script>alert(1)</script> & 'quotes' </textarea> ]]> &amp;",
    "漢字のテキスト、とても長い説明文がここに続きます。さらに続きます、もっと長く、四十文字を超えるように",
    "Emoji 😀👍🏽 family 👨\u{200D}👩\u{200D}👧\u{200D}👦 in a description long enough to be cut somewhere",
    "Cafe\u{301} noir, decomposed e\u{301}e\u{301}e\u{301}e\u{301} accents and more text to overflow the field",
    "control\u{1}chars\u{7F}\u{85}\u{9F} and \u{FFFE}\u{FFFF} noncharacters \u{0} nul",
    "short",
    "Toner cartridge black",
    "27″ screen, 2′ cable – „quoted“ € ™ ‐ − ł ő Ÿ œ … • — x",
    "Straße Maß ßßß ﬃ upper case growth test with a description of some length",
];

fn long_word(n: usize) -> String {
    format!("{}{n}", "x".repeat(300))
}

fn line(n: usize) -> CartLine {
    let pick = |list: &[&str], salt: usize| list[(n * 7 + salt) % list.len()].to_owned();
    let description = match n % 17 {
        15 => long_word(n),
        16 => "word ".repeat(60),
        14 if n % 34 == 14 => String::new(),
        _ => pick(DESCRIPTIONS, n / 3),
    };
    let sku = match n % 23 {
        5 => format!("ABC-123-WHITE-EXTRA-LONG-SKU-NUMBER-THAT-EXCEEDS-FORTY-{n}"),
        9 => format!("sku<&>\"'{n}"),
        13 => format!("Größe-{n}"),
        17 => String::new(),
        _ => format!("SKU-{n:06}"),
    };
    // A refused value on a few lines only, so that most of the cart is rendered.
    let quantity = if n % 19 == 11 {
        pick(&["3.0005", "0", "-1", "1e3", "999999999999999"], n / 19)
    } else {
        pick(
            &[
                "1", "2.5000", "10", "0.125", "3", "7", "1", "2", "12.5", "4",
            ],
            n % 5,
        )
    };
    let unit_price = if n % 23 == 19 {
        pick(&["0.00000001", "-5", "99999999999.999"], n / 23)
    } else {
        pick(
            &[
                "12.50",
                "1234.56789",
                "0.0001",
                "19243.6305",
                "0",
                "100",
                "4.20",
                "7.5",
                "3.333",
                "0.15",
                "12",
            ],
            n / 2,
        )
    };
    let unit = if n % 37 == 20 {
        "ZZZ".to_owned()
    } else {
        pick(
            &[
                "PCE", "EA", "Stück", "", "PCS", "PK", "Karton", "BX", " EA ", "EA", "PCE",
            ],
            n % 4,
        )
    };
    let mut attributes = Vec::new();
    let mut add = |name: &str, value: String| attributes.push(Property::new(name, value));
    if !n.is_multiple_of(3) {
        add("short-name", format!("Product {n} <{}>", n % 4));
    }
    if n % 4 != 1 {
        add(
            "classification",
            ["44121704", "44103103", "4412"][n % 3].to_owned(),
        );
    }
    if n % 5 == 2 {
        add("classification:eCl@ss", "24-26-01-01".to_owned());
    }
    if n % 6 != 4 {
        add(
            "manufacturer-part-id",
            if n % 11 == 3 {
                format!("MPN-{}", "9".repeat(50))
            } else {
                format!("MPN-{n}")
            },
        );
    }
    if n % 7 != 6 {
        add(
            "manufacturer-name",
            ["  ACME Manufacturing  ", "Größe & Söhne", "Ünïcödé Ltd."][n % 3].to_owned(),
        );
    }
    if n.is_multiple_of(4) {
        add(
            "url",
            format!(" https://shop.example.com/p/{n}?a=1&b=\"2\" "),
        );
    }
    match n % 9 {
        0 => add("lead-time", "3".to_owned()),
        1 => add("lead-time", "14".to_owned()),
        2 if n % 27 == 2 => add("lead-time", "x".to_owned()),
        3 if n % 27 == 12 => add("lead-time", " 2.6 ".to_owned()),
        _ => {}
    }
    if n.is_multiple_of(2) {
        add("image-url", format!("https://shop.example.com/img/{n}.png"));
    }
    add(
        "category",
        ["paper", "toner", "pens", "other"][n % 4].to_owned(),
    );
    if n % 5 != 3 {
        add(
            "color",
            ["white", "dunkelblau-metallic-extra", "grün", ""][n % 4].to_owned(),
        );
    }
    if n % 3 == 1 {
        add("variant", ["white", "a&b", "ß"][n % 3].to_owned());
    }
    if n % 8 == 2 {
        add("size", format!("{}", n % 40));
    }
    if n % 4 == 2 {
        add("weight", ["1.2345", "0.5", "bad", "12"][n % 4].to_owned());
    }
    match n % 10 {
        3 => add("item-type", "bundle".to_owned()),
        4 => add("item-type", "component".to_owned()),
        5 if n % 30 == 5 => add("item-type", "odd".to_owned()),
        _ => {}
    }
    match n % 24 {
        4 | 16 => add("parent-line", format!("{}", n.saturating_sub(1))),
        5 => add("parent-line", "9999".to_owned()),
        6 | 18 => add("parent-line", format!("{}", n + 1)),
        _ => {}
    }
    if n % 13 == 7 {
        add("matgroup", "MATERIAL-GROUP-TOO-LONG".to_owned());
    } else if n % 13 == 8 {
        add("matgroup", "MG01".to_owned());
    }
    if n % 10 == 7 {
        add("contract", format!("C{n}"));
    }
    if n % 19 == 4 {
        // A line with many attributes: lookups must not depend on their order.
        for k in 0..60 {
            add(&format!("extra-{k}"), format!("value {k}"));
        }
    }
    if n % 29 == 11 {
        // The same attribute twice: the first one counts.
        add("category", "toner".to_owned());
        add("short-name", "second short name".to_owned());
    }
    CartLine {
        line_ref: match n % 31 {
            30 => "   ".to_owned(),
            12 => format!("ref<&>\"{n}\" with a reference longer than fifty characters in all"),
            _ => format!("cart-4711:line-{n}"),
        },
        sku,
        quantity,
        unit_price,
        unit,
        description,
        attributes,
    }
}

fn cart(lines: usize) -> Cart {
    Cart {
        currency: "EUR".to_owned(),
        lines: (1..=lines).map(line).collect(),
        shipping: Some("12.50".to_owned()),
        tax: Some("3.1".to_owned()),
    }
}

const LINES: usize = 90;

fn error_text(error: &Error) -> String {
    serde_json::to_string(error).unwrap()
}

/// The line index of an error's `/lines/N/...` pointer.
fn line_of(error: &Error) -> usize {
    let pointer = error.location().pointer.as_deref().unwrap_or_default();
    pointer
        .strip_prefix("/lines/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|index| index.parse().ok())
        .unwrap_or_else(|| panic!("not a line error: {}", error_text(error)))
}

/// Renders `cart`, taking out each line the profile refuses (recorded in `log`) until it passes.
fn render_accepted<T>(
    mut cart: Cart,
    log: &mut String,
    mut render: impl FnMut(&Cart) -> Result<T, Error>,
) -> T {
    loop {
        match render(&cart) {
            Ok(done) => return done,
            Err(error) => {
                let index = line_of(&error);
                let removed = cart.lines.remove(index);
                writeln!(
                    log,
                    "refused {:?}: {}",
                    removed.line_ref,
                    error_text(&error)
                )
                .unwrap();
            }
        }
    }
}

fn envelope() -> Envelope {
    Envelope {
        payload_id: "1764061200.1.golden@shop.example.com".to_owned(),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    }
}

/// The profile's first return URL, ending in `/`.
fn base_url(profile: &BuyerProfile) -> String {
    let url = &profile.document().return_urls[0];
    if url.ends_with('/') {
        url.clone()
    } else {
        format!("{url}/")
    }
}

fn cxml_session(profile: &BuyerProfile, operation: SetupOperation) -> Session {
    Session {
        buyer_id: profile.id().to_owned(),
        operation,
        buyer_cookie: "c0ffee<&>\"42".to_owned(),
        return_url: format!("{}return?a=1&b=\"2\"", base_url(profile)),
        buyer: Credential {
            domain: "NetworkID".to_owned(),
            identity: "AN01 <buyer>".to_owned(),
        },
        supplier: Credential {
            domain: "DUNS".to_owned(),
            identity: "123456789".to_owned(),
        },
        request_payload_id: "1@buyer".to_owned(),
        user_name: None,
        user_email: None,
        extrinsics: Vec::new(),
        ship_to: None,
        selected_item: None,
        supplier_setup_url: None,
        items: Vec::new(),
        start_token: None,
    }
}

fn oci_session(profile: &BuyerProfile, charset: OciCharset) -> OciSession {
    OciSession {
        buyer_id: profile.id().to_owned(),
        username: "USER".to_owned(),
        hook_url: format!(
            "{}hook.htm?sap-client=100&~OkCode=ADDI&~TARGET=_top&note=a%26b%22c+d",
            base_url(profile)
        ),
        charset,
        target: "_top".to_owned(),
        version: profile
            .document()
            .oci
            .as_ref()
            .map(|oci| oci.version)
            .unwrap_or(OciVersion::V4),
    }
}

/// The documents of one profile, by golden file name.
fn documents(name: &str, profile: &BuyerProfile) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut log = String::new();
    let oci = name.starts_with("oci");
    if oci {
        for charset in [OciCharset::Latin1, OciCharset::Utf8] {
            let session = oci_session(profile, charset);
            let page = render_accepted(cart(LINES), &mut log, |cart| {
                oci::cart_form(profile, &session, cart)
            });
            out.push((format!("{name}.form.{}.html", charset.as_str()), page.body));
        }
        let session = oci_session(profile, OciCharset::Utf8);
        let fields = render_accepted(cart(LINES), &mut log, |cart| {
            oci::cart_form::cart_fields(profile, session.version, cart)
        });
        let mut text = String::new();
        for field in fields {
            writeln!(text, "{}={:?}", field.name, field.value).unwrap();
        }
        out.push((format!("{name}.fields.txt"), text.into_bytes()));
        let hits = render_accepted(cart(12), &mut log, |cart| {
            oci::background_search_reply(profile, &session, cart)
        });
        out.push((format!("{name}.background-search.html"), hits.body));
        for n in [1, 2, 3] {
            let one = Cart {
                lines: vec![line(n)],
                ..cart(0)
            };
            match oci::validate_reply(profile, &oci_session(profile, OciCharset::Latin1), &one) {
                Ok(page) => out.push((format!("{name}.validate-{n}.html"), page.body)),
                Err(error) => writeln!(log, "validate {n}: {}", error_text(&error)).unwrap(),
            }
        }
    } else {
        for operation in [
            SetupOperation::Create,
            SetupOperation::Edit,
            SetupOperation::Inspect,
        ] {
            let session = cxml_session(profile, operation);
            let lines = if operation == SetupOperation::Create {
                LINES
            } else {
                3
            };
            let message = render_accepted(cart(lines), &mut log, |cart| {
                order_message::order_message(profile, &session, cart, &envelope())
            });
            let encoding = profile.cxml().form_encoding;
            let page = form::cart_form(&session.return_url, encoding, &message);
            let operation = operation.as_str();
            out.push((
                format!("{name}.{operation}.message.xml"),
                message.into_bytes(),
            ));
            out.push((format!("{name}.{operation}.form.html"), page.into_bytes()));
        }
        // The cart in dollars, with no shipping or tax.
        let session = cxml_session(profile, SetupOperation::Create);
        let dollars = Cart {
            currency: "USD".to_owned(),
            shipping: None,
            tax: None,
            ..cart(4)
        };
        let message = render_accepted(dollars, &mut log, |cart| {
            order_message::order_message(profile, &session, cart, &envelope())
        });
        out.push((format!("{name}.usd.message.xml"), message.into_bytes()));
    }
    // `config preview` of the first lines.
    for n in 1..=24 {
        match profile.preview(&line(n), "EUR") {
            Ok(mapped) => writeln!(
                log,
                "preview {n}: {}",
                serde_json::to_string(&mapped).unwrap()
            )
            .unwrap(),
            Err(error) => writeln!(log, "preview {n}: {}", error_text(&error)).unwrap(),
        }
    }
    out.push((format!("{name}.log.txt"), log.into_bytes()));
    out
}

#[test]
fn documents_stay_byte_identical_to_the_golden_files() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(&directory).unwrap();
    }
    let mut differing = Vec::new();
    let mut count = 0;
    for (name, profile) in profiles() {
        for (file, bytes) in documents(name, &profile) {
            count += 1;
            let path = directory.join(&file);
            if update {
                std::fs::write(&path, &bytes).unwrap();
                continue;
            }
            let golden = std::fs::read(&path).unwrap_or_else(|error| panic!("{file}: {error}"));
            if golden != bytes {
                let at = golden
                    .iter()
                    .zip(&bytes)
                    .position(|(a, b)| a != b)
                    .unwrap_or(golden.len().min(bytes.len()));
                let actual = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../target/golden-actual")
                    .join(&file);
                std::fs::create_dir_all(actual.parent().unwrap()).unwrap();
                std::fs::write(&actual, &bytes).unwrap();
                let context = |data: &[u8]| {
                    String::from_utf8_lossy(&data[at.saturating_sub(80)..(at + 80).min(data.len())])
                        .into_owned()
                };
                differing.push(format!(
                    "{file}: first difference at byte {at}\n  golden: {:?}\n  actual: {:?}",
                    context(&golden),
                    context(&bytes)
                ));
            }
        }
    }
    assert!(count > 60, "{count} documents");
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}

/// The one-pass cart return (message and form written together) writes the golden files too,
/// for every cXML profile (text and base64 forms) and operation, and refuses the same lines.
#[test]
fn the_one_pass_cart_return_writes_the_golden_message_and_form() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut compared = 0;
    for (name, profile) in profiles() {
        if profile.document().protocol != punchout_plugin::profile::Protocol::Cxml {
            continue;
        }
        for operation in [
            SetupOperation::Create,
            SetupOperation::Edit,
            SetupOperation::Inspect,
        ] {
            let session = cxml_session(&profile, operation);
            let lines = if operation == SetupOperation::Create {
                LINES
            } else {
                3
            };
            let mut refused = String::new();
            let mut refused_one_pass = String::new();
            let message = render_accepted(cart(lines), &mut refused, |cart| {
                order_message::order_message(&profile, &session, cart, &envelope())
            });
            let both = render_accepted(cart(lines), &mut refused_one_pass, |cart| {
                order_message::cart_return(&profile, &session, cart, &envelope())
            });
            assert_eq!(refused_one_pass, refused, "{name}");
            assert_eq!(both.message, message, "{name}");
            let operation = operation.as_str();
            let golden = |file: String| {
                std::fs::read_to_string(directory.join(&file))
                    .unwrap_or_else(|error| panic!("{file}: {error}"))
            };
            assert!(
                both.message == golden(format!("{name}.{operation}.message.xml")),
                "{name} {operation}: the message differs from the golden file"
            );
            assert!(
                both.form_html == golden(format!("{name}.{operation}.form.html")),
                "{name} {operation}: the form differs from the golden file"
            );
            compared += 1;
        }
    }
    assert!(compared >= 12, "{compared} cart returns");
}
