//! The procurement system's side, without HTTP: the ready-made buyer systems ([`presets`]),
//! what they send to open the shop ([`setup`]), how the return endpoint reads what comes back
//! ([`receive`]), how a buyer's system judges the returned cart (the [`Verdict`] of [`judge`]),
//! and the purchase order it sends after approval ([`purchase_order()`]).
//!
//! The web app (`punchout serve`) calls these functions from its handlers; nothing here opens a
//! socket. The external validators (xmllint for the cXML DTD and the UBL schema, Saxon-HE for
//! the Peppol schematron) run as child processes on the specification folder named by
//! [`Validators`]; without them a check is reported as not run, never as passed.
//!
//! ```
//! use punchout_host::serve::buyer::{self, BuyerProtocol, Expectation, ReceivedCart, Validators};
//!
//! let srm = buyer::preset("sap-srm-oci40").unwrap();
//! let BuyerProtocol::Oci(oci) = &srm.protocol else { unreachable!() };
//! let call_up = buyer::oci_call_up(oci, "https://shop.example/oci", "http://127.0.0.1:8080/buyer/return/1")?;
//! assert!(call_up.url.starts_with("https://shop.example/oci?USERNAME=SRM_ACME&"));
//!
//! // The cart as the return endpoint received it: item 1 has a unit SAP does not know.
//! let fields = [
//!     ("NEW_ITEM-DESCRIPTION[1]", "Copy paper A4"),
//!     ("NEW_ITEM-QUANTITY[1]", "10"),
//!     ("NEW_ITEM-UNIT[1]", "PC"),
//!     ("NEW_ITEM-PRICE[1]", "4.20"),
//!     ("NEW_ITEM-CURRENCY[1]", "EUR"),
//! ];
//! let cart = ReceivedCart::Oci {
//!     fields: fields.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
//!     version: oci.version,
//! };
//! let verdict = buyer::judge(&cart, &Expectation::default(), &Validators::default());
//! assert!(!verdict.accepted());
//! let finding = verdict.findings().next().unwrap();
//! assert_eq!(finding.location, "NEW_ITEM-UNIT[1]");
//! assert_eq!(finding.message, "expected a UN/ECE Rec 20 unit code such as `EA` or `C62`, found `PC`");
//! # Ok::<(), anyhow::Error>(())
//! ```

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
