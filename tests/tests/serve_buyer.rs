//! The buyer simulator's procurement side (`punchout_host::serve::buyer`), natively: the presets
//! pair with the shop's sample profiles, what the buyer sends is accepted by the engine and
//! valid, the verdict on a returned cart names each problem and its place, and the purchase
//! order after approval reconciles against the cart with exactly the changes made.

use punchout_host::serve::buyer::{presets, BuyerProtocol};
use punchout_host::{ConfigCalls, Native};

const RETURN_PREFIX: &str = "http://127.0.0.1:8080/buyer/";

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
        let compiled = Native.compile_profile(&json, &preset.shop_secrets());
        assert!(compiled.is_ok(), "{}: {:?}", preset.id, compiled.err());
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
    }
}
