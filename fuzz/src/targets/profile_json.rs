//! A buyer profile from arbitrary text: compiled or refused with a located error, and checked
//! and resolved without a panic.

use punchout_plugin::mapping::check::check_profile;
use punchout_plugin::profile::{resolve_extends, BuyerProfile};

pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = BuyerProfile::compile(text, &[]) {
        assert!(!error.message().is_empty(), "an error without a message");
    }
    let _ = check_profile(text);
    let _ = resolve_extends(text, &[text.to_owned()]);
}
