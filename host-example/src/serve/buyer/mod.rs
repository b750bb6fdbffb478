//! The procurement system's side, without HTTP: how a buyer's system judges the cart a shop
//! returns (the [`Verdict`]) and the purchase order it sends after approval.

use std::path::PathBuf;

pub mod presets;

pub use presets::{
    preset, presets, BuyerProtocol, BuyerSystem, CallUpMethod, CxmlPunchOut, DeploymentMode,
    OciBuyer, PeppolBuyer, SecretText, ShopProfile, ShopSecret,
};

use punchout_plugin::model::Credential;
use punchout_plugin::oci::settings::OciVersion;
use rust_decimal::Decimal;

/// A cart as the buyer's return endpoint received it, before any judgement.
#[derive(Clone, Debug)]
pub enum ReceivedCart {
    /// The OCI form's fields in the order posted, decoded with the page's charset.
    Oci {
        fields: Vec<(String, String)>,
        version: OciVersion,
    },
    /// The cXML `PunchOutOrderMessage`, decoded from `cxml-urlencoded` or `cxml-base64`.
    Cxml { message: Vec<u8> },
    /// The Peppol BIS Punch Out cart, a UBL `Catalogue` (T77).
    Peppol { document: Vec<u8> },
}

/// What the buyer's system sent at setup, which the returned cart must match.
#[derive(Clone, Debug, Default)]
pub struct Expectation {
    /// The cXML `BuyerCookie` of the setup request.
    pub buyer_cookie: Option<String>,
    /// The currency the buyer buys in (ISO 4217), when it insists on one.
    pub currency: Option<String>,
}

/// Where the external validators find the specification material (cXML DTDs, the UBL schema,
/// the compiled Peppol schematron). Without it those checks are reported as not run, never as
/// passed.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    pub spec_dir: Option<PathBuf>,
}

/// The buyer's judgement of a returned cart: the lines as the buyer reads them, and each check
/// with its findings.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    pub lines: Vec<ReceivedLine>,
    pub checks: Vec<Check>,
}

/// One cart line as the buyer's system reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceivedLine {
    /// 1-based, in document order.
    pub number: usize,
    pub part_id: String,
    /// The supplier's auxiliary ID, OCI `EXT_PRODUCT_ID` or Peppol `line-ref`: what the shop
    /// matches the order line by.
    pub reference: Option<String>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub currency: String,
    pub classification: Option<String>,
}

/// One named check (`cXML DTD`, `OCI field lengths`, `units`, `totals`, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub name: String,
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Passed,
    Failed,
    /// The check could not run (no validator, no specification directory): never a pass.
    NotRun {
        reason: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is: an element path with line and column, or a field name such
/// as `NEW_ITEM-UNIT[3]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub location: String,
}

impl Verdict {
    /// Whether the buyer's system would take the cart: no check failed with an error.
    pub fn accepted(&self) -> bool {
        self.checks
            .iter()
            .all(|check| check.findings.iter().all(|f| f.severity != Severity::Error))
    }
}

/// Judges a returned cart as a procurement system would.
pub fn judge(cart: &ReceivedCart, expected: &Expectation, validators: &Validators) -> Verdict {
    let _ = (cart, expected, validators);
    Verdict::default()
}

/// What the approver changed before ordering, per received line.
#[derive(Clone, Debug, Default)]
pub struct Approval {
    pub lines: Vec<ApprovedLine>,
    /// Shipping the buyer adds to the order, in the cart's currency.
    pub shipping: Option<Decimal>,
}

#[derive(Clone, Debug)]
pub struct ApprovedLine {
    /// The received line's `number`.
    pub number: usize,
    /// `None`: the line was dropped.
    pub quantity: Option<Decimal>,
    pub unit_price: Decimal,
}

/// Who sends a cXML purchase order.
#[derive(Clone, Debug)]
pub struct CxmlBuyer {
    pub from: Credential,
    pub to: Credential,
    pub sender: Credential,
    pub shared_secret: String,
    pub user_agent: String,
}

/// The purchase order the buyer's system sends after approval.
#[derive(Clone, Debug)]
pub enum OrderDocument {
    /// A cXML `OrderRequest`.
    Cxml { buyer: CxmlBuyer, order_id: String },
}

/// Writes the purchase order for the approved lines of a received cart.
///
/// # Errors
/// When the approval names a line the cart does not have, or leaves no line to order.
pub fn purchase_order(
    document: &OrderDocument,
    lines: &[ReceivedLine],
    approval: &Approval,
) -> anyhow::Result<Vec<u8>> {
    let _ = (document, lines, approval);
    anyhow::bail!("purchase orders are not written yet")
}
