//! Buyer profiles as integrators write them: every bundled example checks clean, deliberately
//! broken copies give their problems at exact JSON pointers (through the component and natively
//! alike, and compiling gives the same located error), previews explain every value, and the
//! committed JSON Schema is current.

use punchout_host::prelude::*;
use punchout_host::{CallError, Native};
use punchout_plugin::mapping::check::{Diagnostic, Severity};
use punchout_plugin::model::CartLine;
use punchout_tests::{runtime, sample, workspace};
use serde_json::{json, Value};

const PROFILES: &[&str] = &["ariba", "coupa", "jaggaer", "sap-srm-oci40", "sap-oci50"];

fn profile(name: &str) -> Value {
    serde_json::from_str(&sample(&format!("profiles/{name}.json"))).unwrap()
}

fn check_both(json: &str) -> Vec<Diagnostic> {
    let through_component = runtime().worker().check_profile(json).unwrap();
    let native = Native.check_profile(json).unwrap();
    assert_eq!(
        through_component, native,
        "component and native core disagree"
    );
    through_component
}

fn pointers(found: &[Diagnostic], severity: Severity) -> Vec<String> {
    found
        .iter()
        .filter(|diagnostic| diagnostic.severity == severity)
        .map(|diagnostic| diagnostic.location.pointer.clone().unwrap_or_default())
        .collect()
}

#[test]
fn every_bundled_profile_checks_clean() {
    for name in PROFILES {
        let found = check_both(&sample(&format!("profiles/{name}.json")));
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

/// The Peppol sample profile checks clean, and a broken copy is refused at its pointers alike
/// through the component and natively.
#[test]
fn the_peppol_sample_checks_clean_and_a_broken_copy_at_its_pointers() {
    let sample_json = sample("peppol-buyer-profile.json");
    assert!(check_both(&sample_json).is_empty());
    let mut broken: Value = serde_json::from_str(&sample_json).unwrap();
    broken["peppol"]["buyer"]["endpoint"]["scheme"] = json!("9999");
    broken["peppol"]["tax"]["category"] = json!("VAT");
    broken["mapping"]["units"]["map"]["PK"] = json!("PCE");
    let found = check_both(&broken.to_string());
    assert_eq!(
        pointers(&found, Severity::Error),
        [
            "/peppol/buyer/endpoint/scheme",
            "/peppol/tax/category",
            "/mapping/units/map/PK"
        ]
    );
}

/// A broken copy of a bundled profile, the pointers of its errors and of its warnings.
struct Broken {
    description: &'static str,
    base: &'static str,
    breaks: fn(&mut Value),
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
}

const BROKEN: &[Broken] = &[
    Broken {
        description: "unknown key in a rule",
        base: "coupa",
        breaks: |p| p["mapping"]["fields"]["ShortName"] = json!({"sourse": "description"}),
        errors: &["/mapping/fields/ShortName/sourse"],
        warnings: &[],
    },
    Broken {
        description: "wrong type",
        base: "ariba",
        breaks: |p| p["return_urls"] = json!("https://procurement.example.com/"),
        errors: &["/return_urls"],
        warnings: &[],
    },
    Broken {
        description: "unknown OCI target field",
        base: "sap-srm-oci40",
        breaks: |p| p["mapping"]["fields"]["NEW_ITEM-DESCRIPTON"] = json!("description"),
        errors: &["/mapping/fields/NEW_ITEM-DESCRIPTON"],
        warnings: &[],
    },
    Broken {
        description: "unknown cXML target field",
        base: "jaggaer",
        breaks: |p| p["mapping"]["fields"]["ShortNmae"] = json!("description"),
        errors: &["/mapping/fields/ShortNmae"],
        warnings: &[],
    },
    Broken {
        description: "unknown unit code",
        base: "sap-srm-oci40",
        breaks: |p| p["mapping"]["units"]["map"]["Karton"] = json!("CT"),
        errors: &["/mapping/units/map/Karton"],
        warnings: &[],
    },
    Broken {
        description: "unknown source path",
        base: "sap-oci50",
        breaks: |p| p["mapping"]["fields"]["NEW_ITEM-MATGROUP"] = json!({"source": "attributes"}),
        errors: &["/mapping/fields/NEW_ITEM-MATGROUP/source"],
        warnings: &["/mapping/fields/NEW_ITEM-MATGROUP"],
    },
    Broken {
        description: "a required field with no source",
        base: "sap-oci50",
        breaks: |p| p["mapping"]["fields"]["NEW_ITEM-QUANTITY"] = json!({"transform": ["trim"]}),
        errors: &["/mapping/fields/NEW_ITEM-QUANTITY"],
        warnings: &[],
    },
    Broken {
        description: "a mapping that can exceed its field with no overflow policy",
        base: "sap-oci50",
        breaks: |p| p["mapping"]["fields"]["NEW_ITEM-MATGROUP"] = json!("attributes.matgroup"),
        errors: &[],
        warnings: &["/mapping/fields/NEW_ITEM-MATGROUP"],
    },
    Broken {
        description: "a return URL that is not http(s)",
        base: "ariba",
        breaks: |p| p["return_urls"] = json!(["javascript:alert(1)", "https://ok.example/"]),
        errors: &["/return_urls/0"],
        warnings: &[],
    },
    Broken {
        description: "several problems at once",
        base: "sap-srm-oci40",
        breaks: |p| {
            p["mapping"]["fields"]["NEW_ITEM-DESCRIPTON"] = json!("description");
            p["mapping"]["fields"]["NEW_ITEM-VENDORMAT"] = json!({"template": "{sku"});
            p["mapping"]["units"]["default"] = json!("Stk");
        },
        errors: &[
            "/mapping/fields/NEW_ITEM-DESCRIPTON",
            "/mapping/fields/NEW_ITEM-VENDORMAT/template",
            "/mapping/units/default",
        ],
        warnings: &["/mapping/fields/NEW_ITEM-VENDORMAT"],
    },
];

#[test]
fn broken_copies_report_exact_pointers() {
    for broken in BROKEN {
        let mut copy = profile(broken.base);
        (broken.breaks)(&mut copy);
        let json = serde_json::to_string_pretty(&copy).unwrap();
        let found = check_both(&json);
        assert_eq!(
            pointers(&found, Severity::Error),
            broken.errors,
            "{}: {found:?}",
            broken.description
        );
        assert_eq!(
            pointers(&found, Severity::Warning),
            broken.warnings,
            "{}: {found:?}",
            broken.description
        );
        for diagnostic in &found {
            assert!(!diagnostic.message.is_empty() && !diagnostic.message.ends_with('.'));
        }
        // Compiling through the component refuses with the same located error.
        if let [only] = broken.errors {
            let secrets = [(
                copy["authentication"]["shared_secret"]["secret"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                "x".to_owned(),
            )];
            match runtime().worker().compile_profile(&json, &secrets) {
                Err(CallError::Rejected(error)) => {
                    assert_eq!(
                        error.location().pointer.as_deref(),
                        Some(*only),
                        "{}",
                        broken.description
                    );
                    let first = found
                        .iter()
                        .find(|d| d.severity == Severity::Error)
                        .unwrap();
                    assert_eq!(error.message(), first.message, "{}", broken.description);
                }
                other => panic!(
                    "{}: expected a refused profile, got {other:?}",
                    broken.description
                ),
            }
        }
    }
}

#[test]
fn preview_explains_every_value() {
    let line: CartLine = serde_json::from_str(&sample("cart-line.json")).unwrap();
    let mut worker = runtime().worker();
    let json = sample("profiles/sap-srm-oci40.json");
    let mut compiled = worker
        .compile_profile(&json, &[("EXAMPLE_AG_OCI_PASSWORD".into(), "x".into())])
        .unwrap();
    let mapped = worker.preview_line(&mut compiled, &line, "EUR").unwrap();
    let native_profile = &mut Native
        .compile_profile(&json, &[("EXAMPLE_AG_OCI_PASSWORD".into(), "x".into())])
        .unwrap();
    assert_eq!(
        Native.preview_line(native_profile, &line, "EUR").unwrap(),
        mapped
    );

    let field = |name: &str| {
        mapped
            .fields
            .iter()
            .find(|field| field.field == name)
            .unwrap()
    };
    let description = field("NEW_ITEM-DESCRIPTION");
    assert_eq!(description.value, "Copy paper A4 80 g/m², 500 sheets,");
    assert!(description.value.chars().count() <= 40);
    assert_eq!(
        description.origin,
        "profile rule /mapping/fields/NEW_ITEM-DESCRIPTION"
    );
    assert!(description
        .notes
        .iter()
        .any(|note| note.contains("long text")));
    assert_eq!(mapped.longtext.as_deref(), Some(line.description.as_str()));
    assert_eq!(field("NEW_ITEM-UNIT").value, "PCE");
    assert_eq!(field("NEW_ITEM-UNIT").origin, "default: source `unit`");
    assert_eq!(field("NEW_ITEM-MATGROUP").value, "OFF-001");
    assert_eq!(field("NEW_ITEM-CUST_FIELD1").value, "WHITE");
}

#[test]
fn the_committed_schema_is_current() {
    let committed =
        std::fs::read_to_string(workspace().join("schema/buyer-profile.schema.json")).unwrap();
    // assert! rather than assert_eq!: the message says what to do instead of printing two schemas.
    assert!(
        committed == punchout_plugin::profile::json_schema() + "\n",
        "schema/buyer-profile.schema.json is stale: run `punchout config schema > schema/buyer-profile.schema.json`"
    );
    let schema: Value = serde_json::from_str(&committed).unwrap();
    for key in ["id", "protocol", "authentication", "return_urls", "mapping"] {
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} missing from the schema"
        );
    }
}

#[test]
fn a_profile_extends_its_base_with_overrides() {
    let child = sample("profiles/coupa-plant-2.json");
    let base = sample("profiles/coupa.json");
    let merged = runtime()
        .worker()
        .resolve_extends(&child, std::slice::from_ref(&base))
        .unwrap();
    assert_eq!(Native.resolve_extends(&child, &[base]).unwrap(), merged);
    assert!(
        check_both(&merged).is_empty(),
        "the merged profile checks clean"
    );
    let value: Value = serde_json::from_str(&merged).unwrap();
    assert_eq!(value["id"], "globex-coupa-plant-2");
    assert_eq!(value["defaults"]["language"], "de");
    assert_eq!(
        value["defaults"]["classification_code"], "44120000",
        "kept from the base"
    );
    assert_eq!(
        value["mapping"]["extrinsics"]["Contract"]["literal"],
        "GLOBEX-PLANT2-2026"
    );
    assert_eq!(
        value["mapping"]["extrinsics"]["ImageURL"], "attributes.image-url",
        "kept from the base"
    );
    assert_eq!(
        value["return_urls"],
        json!(["https://globex-plant2.coupahost.com/punchout/checkout"])
    );
    assert!(value.get("extends").is_none());
    match runtime().worker().resolve_extends(&child, &[]) {
        Err(CallError::Rejected(error)) => {
            assert_eq!(error.location().pointer.as_deref(), Some("/extends"))
        }
        other => panic!("expected a missing base to be refused, got {other:?}"),
    }
}
