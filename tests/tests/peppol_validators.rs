//! The Peppol validators themselves: the official examples pass, and a broken document is caught
//! by both the schema and the schematron, so a green Peppol test means something.

use punchout_tests::peppol::{validate_peppol, validate_peppol_batch, Transaction};
use punchout_tests::spec_dir;

fn example(name: &str) -> String {
    std::fs::read_to_string(spec_dir().join("peppol/examples").join(name))
        .unwrap_or_else(|error| panic!("cannot read the Peppol example {name}: {error}"))
}

#[test]
fn the_official_examples_pass_both_validators() {
    validate_peppol(Transaction::PunchOutCart, &example("PunchOut_Example.xml")).unwrap();
    validate_peppol(
        Transaction::OrderResponse,
        &example("OrderResponse_Example.xml"),
    )
    .unwrap();
    let orders: Vec<String> = ["Order_Example.xml", "UC1_Order.xml", "UC2_Order.xml"]
        .into_iter()
        .map(example)
        .collect();
    validate_peppol_batch(Transaction::Order, &orders).unwrap();
}

#[test]
fn a_cart_without_its_customization_id_fails_the_schematron() {
    let cart = example("PunchOut_Example.xml");
    let start = cart.find("<cbc:CustomizationID>").expect("has one");
    let end = cart.find("</cbc:CustomizationID>").expect("closed");
    let broken = format!(
        "{}<cbc:CustomizationID>urn:example:not-peppol{}",
        &cart[..start],
        &cart[end..]
    );
    let report = validate_peppol(Transaction::PunchOutCart, &broken).unwrap_err();
    assert!(report.contains("PEPPOL-T77"), "{report}");
}

#[test]
fn a_cart_with_an_unknown_element_fails_the_schema() {
    let cart = example("PunchOut_Example.xml");
    let broken = cart.replacen(
        "<cbc:CustomizationID>",
        "<cbc:NotAnElement>x</cbc:NotAnElement><cbc:CustomizationID>",
        1,
    );
    let report = validate_peppol(Transaction::PunchOutCart, &broken).unwrap_err();
    assert!(report.contains("NotAnElement"), "{report}");
}

#[test]
fn a_cart_with_characters_beyond_the_basic_plane_is_validated() {
    // A random cart the engine wrote, with an emoji in a name: the JDK's parser under Saxon
    // misread its bytes ("Invalid byte 2 of 4-byte UTF-8 sequence"); the validators must not.
    let path = punchout_tests::workspace().join("tests/fixtures/peppol-cart/four-byte-utf8.xml");
    let cart = std::fs::read_to_string(&path).unwrap();
    assert!(cart.contains('😀'));
    validate_peppol(Transaction::PunchOutCart, &cart).unwrap();
}
