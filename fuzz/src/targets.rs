//! One module per fuzz target; each `run` is the target's body and states its invariants.

pub mod cart_round_trip;
pub mod cxml_cart_form;
pub mod cxml_order;
pub mod cxml_setup;
pub mod oci_call_up;
pub mod oci_cart_form;
pub mod oci_read_back;
pub mod peppol_order;
pub mod profile_json;
pub mod xml_parse;
