//! The content checks every protocol shares: units, currencies, numbers, descriptions, totals,
//! each finding placed where the value stands.

use punchout_plugin::mapping::units::{is_known_unit, is_rec20_unit, COMMON_NON_STANDARD_UNITS};
use punchout_plugin::model::{parse_decimal, shorten};
use punchout_plugin::peppol::code_lists::{contains, ISO4217};
use punchout_plugin::xml::Element;
use rust_decimal::Decimal;

use super::{Finding, Severity};

/// Where a value stands: a field name or an element path, with its line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Place {
    pub location: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Place {
    /// A form field such as `NEW_ITEM-UNIT[3]`.
    pub fn field(name: impl Into<String>) -> Self {
        Place {
            location: name.into(),
            line: None,
            column: None,
        }
    }

    /// An element, its path given with the indices of repeated ancestors.
    pub fn element(element: &Element, path: String) -> Self {
        Place {
            location: path,
            line: Some(element.line()),
            column: Some(element.column()),
        }
    }

    pub fn error(&self, message: impl Into<String>) -> Finding {
        self.finding(Severity::Error, message)
    }

    pub fn warning(&self, message: impl Into<String>) -> Finding {
        self.finding(Severity::Warning, message)
    }

    fn finding(&self, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            severity,
            message: message.into(),
            location: self.location.clone(),
            line: self.line,
            column: self.column,
        }
    }
}

/// An element's path with `[index]` after the segment named `repeated` (`ItemIn`,
/// `cac:CatalogueLine`): the lines are told apart, everything below them is unique.
pub(super) fn indexed_path(element: &Element, repeated: &str, index: usize) -> String {
    let path = element.path();
    let segment = format!("/{repeated}");
    let mut out = String::with_capacity(path.len().saturating_add(6));
    let mut rest = path;
    while let Some(at) = rest.find(&segment) {
        let end = at.saturating_add(segment.len());
        let boundary = rest.as_bytes().get(end).is_none_or(|byte| *byte == b'/');
        out.push_str(rest.get(..end).unwrap_or_default());
        rest = rest.get(end..).unwrap_or_default();
        if boundary {
            out.push_str(&format!("[{index}]"));
            break;
        }
    }
    out.push_str(rest);
    out
}

/// A unit code as a buyer's system checks it: UN/ECE Rec 20 (or, unless `rec20_only`, one of
/// the common `PCE`, `PCS`, `PK`, `BX`).
pub(super) fn check_unit(code: &str, place: &Place, rec20_only: bool) -> Option<Finding> {
    if code.trim().is_empty() {
        return Some(place.error("unit of measure is empty"));
    }
    if rec20_only && COMMON_NON_STANDARD_UNITS.contains(&code) {
        return Some(place.error(format!(
            "expected a UN/ECE Rec 20 unit code, found `{code}` (common in cXML and OCI, but not in Rec 20)"
        )));
    }
    let known = if rec20_only {
        is_rec20_unit(code)
    } else {
        is_known_unit(code)
    };
    (!known).then(|| {
        place.error(format!(
            "expected a UN/ECE Rec 20 unit code such as `EA` or `C62`, found `{}`",
            shorten(code)
        ))
    })
}

/// A currency code: ISO 4217, and the buyer's own when it insists on one.
pub(super) fn check_currency(code: &str, place: &Place, expected: Option<&str>) -> Option<Finding> {
    if !contains(ISO4217, code) {
        return Some(place.error(format!(
            "expected an ISO 4217 currency code such as `EUR`, found `{}`",
            shorten(code)
        )));
    }
    match expected {
        Some(expected) if expected != code => Some(place.error(format!(
            "expected the buyer's currency `{}`, found `{code}`",
            shorten(expected)
        ))),
        _ => None,
    }
}

/// A decimal as cXML and UBL write it (`.` as the point, no exponent, no grouping); `None` and
/// a finding when it is not one.
pub(super) fn read_decimal(
    text: &str,
    place: &Place,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Option<Decimal> {
    match parse_decimal(text.trim()) {
        Ok(value) => Some(value),
        Err(_) => {
            findings.push(place.error(format!(
                "expected the {what} as a decimal number such as `12.50`, found `{}`",
                shorten(text)
            )));
            None
        }
    }
}

/// The stated total against the lines' sum.
pub(super) fn check_total(stated: Decimal, computed: Decimal, place: &Place) -> Option<Finding> {
    (stated != computed).then(|| {
        place.error(format!(
            "expected the lines' total `{}` (quantity × unit price), found `{}`",
            punchout_plugin::model::format_money(computed),
            punchout_plugin::model::format_money(stated)
        ))
    })
}
