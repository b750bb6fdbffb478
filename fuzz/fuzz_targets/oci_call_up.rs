//! An OCI call-up from arbitrary bytes, against the sample OCI profile: a typed action or a typed
//! refusal, never a panic; the password never appears in an error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use punchout_plugin::oci::call_up::call_up;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

const SECRET: &str = "oci-p4ss";

fn profile() -> &'static BuyerProfile {
    static PROFILE: OnceLock<BuyerProfile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        BuyerProfile::compile(
            include_str!("../../host-example/samples/oci-buyer-profile.json"),
            &[ResolvedSecret {
                name: "ACME_SRM_OCI_PASSWORD".into(),
                value: Secret::new("oci-p4ss"),
            }],
        )
        .expect("the sample profile compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    // An input may carry the secret's text anywhere (a URL, a version string); echoing the
    // caller's own bytes is not a leak. The stored secret must never appear otherwise.
    let holds_secret = data.windows(SECRET.len()).any(|window| window == SECRET.as_bytes());
    if let Err(error) = call_up(profile(), data) {
        assert!(holds_secret || !error.to_string().contains(SECRET), "the password leaked: {error}");
    }
});
