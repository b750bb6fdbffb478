//! The sample data the targets run against: the bundled buyer profiles (compiled once) and the
//! sample sessions, read from `host-example/samples` at compile time.

use std::sync::OnceLock;

use punchout_plugin::mapping::targets::OCI_ITEM_FIELDS;
use punchout_plugin::model::Session;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

/// The Ariba buyer's shared secret in the samples.
pub const CXML_SECRET: &str = "s3cr3t";
/// The SAP SRM buyer's OCI password in the samples.
pub const OCI_PASSWORD: &str = "oci-p4ss";
/// The allowed `HOOK_URL` of the sample OCI profile, without a query.
pub const OCI_HOOK_BASE: &str = "https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm";

pub const CXML_PROFILE_JSON: &str =
    include_str!("../../host-example/samples/cxml-buyer-profile.json");
pub const OCI_PROFILE_JSON: &str =
    include_str!("../../host-example/samples/oci-buyer-profile.json");
pub const CXML_SESSION_JSON: &str = include_str!("../../host-example/samples/cxml-session.json");
pub const CART_JSON: &str = include_str!("../../host-example/samples/cart.json");
pub const OCI_CALL_UP: &str = include_str!("../../host-example/samples/oci-call-up.txt");

fn compile(json: &str, name: &str, value: &str) -> BuyerProfile {
    BuyerProfile::compile(
        json,
        &[ResolvedSecret {
            name: name.into(),
            value: Secret::new(value),
        }],
    )
    .unwrap_or_else(|error| panic!("a sample profile does not compile: {error}"))
}

/// The sample Ariba profile (cXML, `cxml-urlencoded`).
pub fn cxml_profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| compile(CXML_PROFILE_JSON, "ACME_ARIBA_SHARED_SECRET", CXML_SECRET))
}

/// The sample Ariba profile with the `cxml-base64` form.
pub fn cxml_base64_profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        compile(
            &CXML_PROFILE_JSON.replace("cxml-urlencoded", "cxml-base64"),
            "ACME_ARIBA_SHARED_SECRET",
            CXML_SECRET,
        )
    })
}

/// The sample SAP SRM profile (OCI 4.0, Latin-1 by default).
pub fn oci_profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| compile(OCI_PROFILE_JSON, "ACME_SRM_OCI_PASSWORD", OCI_PASSWORD))
}

/// The attribute that fills an OCI field in [`oci_every_field_profile`]: `NEW_ITEM-PRICE` from
/// `price`, `NEW_ITEM-EXT_QUOTE_ID` from `ext_quote_id`.
pub fn oci_attribute_for(field: &str) -> String {
    field.trim_start_matches("NEW_ITEM-").to_ascii_lowercase()
}

/// The sample SAP profile on OCI 5.0 with every `NEW_ITEM-*` field of the spec table mapped from
/// the line attribute [`oci_attribute_for`] names, so that the fuzzer reaches every format check.
pub fn oci_every_field_profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        let mut profile: serde_json::Value =
            serde_json::from_str(OCI_PROFILE_JSON).expect("the sample OCI profile is JSON");
        let mut fields = serde_json::Map::new();
        for target in OCI_ITEM_FIELDS {
            fields.insert(
                target.name.to_owned(),
                serde_json::Value::String(format!("attributes.{}", oci_attribute_for(target.name))),
            );
        }
        profile["mapping"]["fields"] = serde_json::Value::Object(fields);
        profile["oci"]["version"] = serde_json::Value::String("5.0".into());
        compile(&profile.to_string(), "ACME_SRM_OCI_PASSWORD", OCI_PASSWORD)
    })
}

/// The sample cXML session (Ariba, `create`).
pub fn cxml_session() -> Session {
    serde_json::from_str(CXML_SESSION_JSON).expect("the sample session parses")
}
