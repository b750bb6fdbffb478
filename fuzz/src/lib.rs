//! The fuzz targets' bodies, as plain functions.
//!
//! Each `fuzz_targets/<name>.rs` is one line that hands libFuzzer's input to the function of the
//! same name in [`targets`]; `cargo test -p punchout-tests --test fuzz_replay` runs the same
//! functions natively over every seed (the repository's fixtures and `seeds/<name>/`) and every
//! named regression input (`regressions/<name>/`), so that a crash found once stays fixed.
//!
//! - [`targets`]: one module per target, each with its invariants in its doc comment.
//! - [`cart_case`]: the structured input of the renderer targets (a cart, a session's choices)
//!   decoded from bytes, and encoded from the fixtures for the seed corpora.
//! - [`form_names`]: the names a hidden input from the hook URL's query must never take.
//! - [`page`]: a rendered page read back the way a browser reads it (html5ever via scraper).
//! - [`seeds`]: seeds built from the fixtures for the structured targets.
//! - [`fixtures`]: the sample profiles and sessions the targets run against.

pub mod cart_case;
pub mod fixtures;
pub mod form_names;
pub mod page;
pub mod seeds;
pub mod targets;

/// A fuzz target: its name (the binary, the folders `seeds/<name>` and `regressions/<name>`,
/// the options file `options/<name>.options`) and its body.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub name: &'static str,
    pub body: fn(&[u8]),
}

/// Every target, in the order of the README's table.
pub const TARGETS: &[Target] = &[
    Target {
        name: "xml_parse",
        body: targets::xml_parse::run,
    },
    Target {
        name: "cxml_setup",
        body: targets::cxml_setup::run,
    },
    Target {
        name: "cxml_order",
        body: targets::cxml_order::run,
    },
    Target {
        name: "oci_call_up",
        body: targets::oci_call_up::run,
    },
    Target {
        name: "profile_json",
        body: targets::profile_json::run,
    },
    Target {
        name: "cart_round_trip",
        body: targets::cart_round_trip::run,
    },
    Target {
        name: "oci_read_back",
        body: targets::oci_read_back::run,
    },
    Target {
        name: "oci_cart_form",
        body: targets::oci_cart_form::run,
    },
    Target {
        name: "cxml_cart_form",
        body: targets::cxml_cart_form::run,
    },
    Target {
        name: "peppol_order",
        body: targets::peppol_order::run,
    },
];

/// The target of that name.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|target| target.name == name)
}

/// Open findings whose invariant a fuzzing session may set aside, so that the fuzzer explores
/// past them: `PUNCHOUT_FUZZ_SKIP=hook-url-names,read-back-spellings` (comma-separated). The
/// replay test never sets it, so the named regressions of open findings fail until fixed.
pub fn skipped(finding: &str) -> bool {
    static SKIPPED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SKIPPED
        .get_or_init(|| {
            std::env::var("PUNCHOUT_FUZZ_SKIP")
                .unwrap_or_default()
                .split(',')
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .collect()
        })
        .iter()
        .any(|name| name == finding)
}
