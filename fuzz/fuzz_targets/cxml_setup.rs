//! A cXML setup request from arbitrary bytes, against the sample buyer profile: accepted or
//! refused with a typed error, never a panic; the secret never appears in an error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use punchout_plugin::cxml::setup::setup;
use punchout_plugin::model::Envelope;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

const SECRET: &str = "s3cr3t";

fn profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        BuyerProfile::compile(
            include_str!("../../host-example/samples/cxml-buyer-profile.json"),
            &[ResolvedSecret {
                name: "ACME_ARIBA_SHARED_SECRET".into(),
                value: Secret::new("s3cr3t"),
            }],
        )
        .expect("the sample profile compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    // An input may carry the secret's text anywhere (a URL, a version string); echoing the
    // caller's own bytes is not a leak. The stored secret must never appear otherwise.
    let holds_secret = data.windows(SECRET.len()).any(|window| window == SECRET.as_bytes());
    let envelope = Envelope {
        payload_id: "1@fuzz".into(),
        timestamp: "2026-11-25T10:00:00+00:00".into(),
    };
    if let Err(error) = setup(profile(), data, "https://shop.example.com/start", &envelope) {
        assert!(holds_secret || !error.to_string().contains(SECRET), "the secret leaked: {error}");
    }
});
