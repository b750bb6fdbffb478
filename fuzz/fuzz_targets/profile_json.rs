//! A buyer profile from arbitrary text: compiled or refused with a located error, and checked
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use punchout_plugin::mapping::check::check_profile;
use punchout_plugin::profile::{resolve_extends, BuyerProfile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = BuyerProfile::compile(text, &[]);
    let _ = check_profile(text);
    let _ = resolve_extends(text, &[text.to_owned()]);
});
