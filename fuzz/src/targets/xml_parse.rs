//! The XML layer on arbitrary bytes, as a cXML document and as UBL: an error or a document,
//! never a panic; an error is located (line and column).

use punchout_plugin::xml::{parse, ParseOptions};

pub fn run(data: &[u8]) {
    for options in [ParseOptions::cxml_document(), ParseOptions::ubl()] {
        if let Err(error) = parse(data, &options) {
            assert!(!error.message().is_empty(), "an error without a message");
        }
    }
}
