//! The verdict on a returned cart, as a procurement system would reach it: per protocol the
//! specification's own validators (cXML DTD, UBL schema, Peppol schematron) and the content
//! checks a buyer's system applies (field lengths and formats, units, currencies, totals, the
//! `BuyerCookie`), each finding with its place.

use std::path::PathBuf;

use punchout_plugin::oci::settings::OciVersion;
use rust_decimal::Decimal;
use serde::Serialize;

mod content;
mod cxml;
mod oci;
mod peppol;
pub mod validators;

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
    /// cXML: the setup request's operation; a cart opened with `inspect` must come back
    /// read-only (`operationAllowed="inspect"`).
    pub operation: Option<punchout_plugin::model::SetupOperation>,
    /// cXML: the buyer's own credential (the setup request's `From`), which the message's `To`
    /// must name.
    pub buyer: Option<punchout_plugin::model::Credential>,
    /// cXML: the shop's credential (the setup request's `To`), which the message's `From` must
    /// name.
    pub supplier: Option<punchout_plugin::model::Credential>,
    /// OCI: the `HOOK_URL`'s own query parameters (`~OkCode=ADDI`, the simulator's session),
    /// which the cart form must post back beside the items
    /// ([`super::OciCallUpRequest::hook_url_parameters`]).
    pub hook_url_parameters: Vec<(String, String)>,
}

/// Where the external validators find the specification material (cXML DTDs, the UBL schema,
/// the compiled Peppol schematron). Without it those checks are reported as not run, never as
/// passed.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    pub spec_dir: Option<PathBuf>,
}

impl Validators {
    /// The folder named by `PUNCHOUT_SPEC_DIR`, if set.
    pub fn from_env() -> Self {
        Validators {
            spec_dir: std::env::var_os("PUNCHOUT_SPEC_DIR").map(PathBuf::from),
        }
    }
}

/// The buyer's judgement of a returned cart: the lines as the buyer reads them, and each check
/// with its findings.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Verdict {
    pub lines: Vec<ReceivedLine>,
    pub checks: Vec<Check>,
    /// The cart's currency (of its total, else of its first line).
    pub currency: Option<String>,
    /// The total the document states (cXML `Total`), if any.
    pub stated_total: Option<Decimal>,
    /// The sum of the lines' quantity × unit price.
    pub computed_total: Decimal,
    /// The `BuyerCookie` the cart came back with (cXML).
    pub buyer_cookie: Option<String>,
}

/// A classification code with its domain (`UNSPSC`, `eCl@ss`, a Peppol `listID`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub domain: String,
    pub code: String,
}

/// One cart line as the buyer's system reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReceivedLine {
    /// 1-based, in document order (the OCI item index).
    pub number: usize,
    pub part_id: String,
    /// What the shop matches the order line by: the cXML `SupplierPartAuxiliaryID`, the Peppol
    /// line `cbc:ID`, OCI `EXT_PRODUCT_ID`.
    pub reference: Option<String>,
    pub description: String,
    /// Zero when the document's value cannot be read (a finding says why).
    pub quantity: Decimal,
    pub unit: String,
    /// Per one unit (an OCI price per `PRICEUNIT` divided by it); zero when unreadable.
    pub unit_price: Decimal,
    pub currency: String,
    pub classification: Option<Classification>,
}

impl ReceivedLine {
    /// Quantity × unit price, if it does not overflow.
    pub fn amount(&self) -> Option<Decimal> {
        self.quantity.checked_mul(self.unit_price)
    }
}

/// One named check (`cXML DTD`, `OCI field lengths`, `units`, `totals`, ...).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub name: String,
    /// Serialized flat: `"outcome": "not-run", "reason": "…"`.
    #[serde(flatten)]
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
}

impl Check {
    /// A check that ran: failed when a finding is an error, passed otherwise (warnings kept).
    pub fn ran(name: &str, findings: Vec<Finding>) -> Self {
        let failed = findings
            .iter()
            .any(|finding| finding.severity == Severity::Error);
        Check {
            name: name.to_owned(),
            outcome: if failed {
                Outcome::Failed
            } else {
                Outcome::Passed
            },
            findings,
        }
    }

    /// A check that could not run, and why.
    pub fn not_run(name: &str, reason: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            outcome: Outcome::NotRun {
                reason: reason.into(),
            },
            findings: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Passed,
    Failed,
    /// The check could not run (no validator, no specification directory): never a pass.
    NotRun {
        reason: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is: an element path (with each repeated element's 1-based
/// index, `/cXML/Message/PunchOutOrderMessage/ItemIn[2]/ItemDetail/UnitOfMeasure`) and its
/// line and column, or a field name such as `NEW_ITEM-UNIT[3]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Finding {
    /// An error at a field or path, without a line.
    pub fn error(message: impl Into<String>, location: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            message: message.into(),
            location: location.into(),
            line: None,
            column: None,
        }
    }

    /// A warning at a field or path, without a line.
    pub fn warning(message: impl Into<String>, location: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(message, location)
        }
    }

    /// The same finding at a line and column.
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl Verdict {
    /// Whether the buyer's system would take the cart: no check failed with an error.
    pub fn accepted(&self) -> bool {
        self.checks
            .iter()
            .all(|check| check.findings.iter().all(|f| f.severity != Severity::Error))
    }

    /// Whether every check ran: a verdict with a check not run (no validator, no specification
    /// folder) is not a full verdict, whatever it accepted.
    pub fn complete(&self) -> bool {
        self.checks
            .iter()
            .all(|check| !matches!(check.outcome, Outcome::NotRun { .. }))
    }

    /// The check named `name`, if it is part of the verdict.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|check| check.name == name)
    }

    /// Every finding of every check, in order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.checks.iter().flat_map(|check| check.findings.iter())
    }
}

/// Judges a returned cart as a procurement system would.
pub fn judge(cart: &ReceivedCart, expected: &Expectation, validators: &Validators) -> Verdict {
    let mut verdict = match cart {
        ReceivedCart::Oci { fields, version } => oci::judge(fields, *version, expected),
        ReceivedCart::Cxml { message } => cxml::judge(message, expected, validators),
        ReceivedCart::Peppol { document } => peppol::judge(document, expected, validators),
    };
    verdict.computed_total = verdict
        .lines
        .iter()
        .try_fold(Decimal::ZERO, |sum, line| {
            line.amount().and_then(|amount| sum.checked_add(amount))
        })
        .unwrap_or_default();
    verdict
}
