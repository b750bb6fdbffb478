//! The procurement system's side, without HTTP: the ready-made buyer systems ([`presets`]),
//! what they send to open the shop ([`setup`]), how the return endpoint reads what comes back
//! ([`receive`]), how a buyer's system judges the returned cart (the [`Verdict`] of [`judge`]),
//! and the purchase order it sends after approval ([`purchase_order()`]).
//!
//! The web app (`punchout serve`) calls these functions from its handlers; nothing here opens a
//! socket. The external validators (xmllint for the cXML DTD and the UBL schema, Saxon-HE for
//! the Peppol schematron) run as child processes on the specification folder named by
//! [`Validators`]; without them a check is reported as not run, never as passed.

pub mod presets;
pub mod purchase_order;
pub mod receive;
pub mod setup;
pub mod verdict;

pub use presets::{
    preset, presets, BuyerProtocol, BuyerSystem, CallUpMethod, CxmlPunchOut, DeploymentMode,
    OciBuyer, PeppolBuyer, SecretText, ShopProfile, ShopSecret,
};
pub use purchase_order::{purchase_order, Approval, ApprovedLine, CxmlBuyer, OrderDocument};
pub use receive::{cxml_from_form, oci_fields_from_body, oci_from_body, peppol_from_form};
pub use setup::{
    cxml_setup_request, oci_call_up, peppol_start_url, CxmlSetupRequest, OciCallUpRequest,
};
pub use verdict::{
    judge, Check, Classification, Expectation, Finding, Outcome, ReceivedCart, ReceivedLine,
    Severity, Validators, Verdict,
};
