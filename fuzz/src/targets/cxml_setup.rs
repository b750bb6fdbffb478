//! A cXML setup request from arbitrary bytes, against the sample buyer profile: accepted or
//! refused with a typed error, never a panic; the secret never appears in an error.

use punchout_plugin::cxml::setup::setup;
use punchout_plugin::model::Envelope;

use crate::fixtures::{cxml_profile, CXML_SECRET};

pub fn run(data: &[u8]) {
    // An input may carry the secret's text anywhere (a URL, a version string); echoing the
    // caller's own bytes is not a leak. The stored secret must never appear otherwise.
    let holds_secret = data
        .windows(CXML_SECRET.len())
        .any(|window| window == CXML_SECRET.as_bytes());
    let envelope = Envelope {
        payload_id: "1@fuzz".into(),
        timestamp: "2026-11-25T10:00:00+00:00".into(),
    };
    if let Err(error) = setup(
        cxml_profile(),
        data,
        "https://shop.example.com/start",
        &envelope,
    ) {
        assert!(
            holds_secret || !format!("{error} {error:?}").contains(CXML_SECRET),
            "the secret leaked: {error}"
        );
    }
}
