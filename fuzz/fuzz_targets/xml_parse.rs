//! The XML layer on arbitrary bytes: an error or a document, never a panic, within the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use punchout_plugin::xml::{parse, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let _ = parse(data, &ParseOptions::cxml_document());
    let _ = parse(data, &ParseOptions::ubl());
});
