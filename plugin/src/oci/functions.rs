//! The call-up's `FUNCTION` (OCI 4.0 §3.2, 5.0 §2.3): what the buyer's system asks the catalog to
//! do. The engine reads it as a typed [`OciFunction`]; the shop, which owns the product database,
//! performs it and hands the result back for the reply (`VALIDATE` and `BACKGROUND_SEARCH` pages
//! in [`super::cart_form`], the `QUANTITYCHECK` JSON in [`quantity_check_reply`]).

use serde::{Deserialize, Serialize};

use super::settings::OciVersion;
use crate::error::{Error, ErrorCode, Result};

/// What the buyer's system asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "function", rename_all = "kebab-case")]
pub enum OciFunction {
    /// No `FUNCTION`: a normal shopping session.
    Shopping,
    /// `DETAIL`: show the product page of `PRODUCTID`; nothing is returned.
    Detail { product_id: String },
    /// `VALIDATE`: reply with the one-item form for `PRODUCTID` at `QUANTITY` (current price),
    /// submitting itself without anything visible.
    Validate {
        product_id: String,
        quantity: String,
    },
    /// `SOURCING`: show the hits for `SEARCHSTRING` (of `VENDOR`); the user shops normally.
    Sourcing {
        search_string: String,
        vendor: Option<String>,
    },
    /// `BACKGROUND_SEARCH`: reply with every hit for `SEARCHSTRING` as OCI fields, in a page
    /// that does not submit itself (the buyer's system parses it).
    BackgroundSearch { search_string: String },
    /// `DETAILADD` (OCI 5.0): product page of a catalog-managed item, whose add-to-cart returns
    /// the normal cart form.
    DetailAdd { product_id: String },
    /// `QUANTITYCHECK` (OCI 5.0): reply JSON with the available quantity and lead time.
    QuantityCheck {
        product_id: String,
        quantity: String,
    },
}

impl OciFunction {
    /// The `FUNCTION` value (empty for a shopping session).
    pub fn name(&self) -> &'static str {
        match self {
            OciFunction::Shopping => "",
            OciFunction::Detail { .. } => "DETAIL",
            OciFunction::Validate { .. } => "VALIDATE",
            OciFunction::Sourcing { .. } => "SOURCING",
            OciFunction::BackgroundSearch { .. } => "BACKGROUND_SEARCH",
            OciFunction::DetailAdd { .. } => "DETAILADD",
            OciFunction::QuantityCheck { .. } => "QUANTITYCHECK",
        }
    }
}

fn take(parameters: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let index = parameters
        .iter()
        .position(|(known, _)| known.eq_ignore_ascii_case(name))?;
    Some(parameters.remove(index).1)
}

fn required(parameters: &mut Vec<(String, String)>, function: &str, name: &str) -> Result<String> {
    take(parameters, name)
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidDocument,
                format!("`FUNCTION={function}` requires parameter `{name}`"),
            )
            .at_field(name)
        })
}

/// A quantity parameter: a plain decimal greater than zero; `default` when absent.
fn quantity(parameters: &mut Vec<(String, String)>, default: Option<&str>) -> Result<String> {
    let value = match (take(parameters, "QUANTITY"), default) {
        (Some(value), _) if !value.trim().is_empty() => value.trim().to_owned(),
        (_, Some(default)) => default.to_owned(),
        _ => {
            return Err(
                Error::new(ErrorCode::InvalidDocument, "missing parameter `QUANTITY`")
                    .at_field("QUANTITY"),
            )
        }
    };
    let number =
        crate::limits::parse_cart_amount(&value).map_err(|error| error.at_field("QUANTITY"))?;
    if number <= rust_decimal::Decimal::ZERO {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("quantity `{value}` is not greater than zero"),
        )
        .at_field("QUANTITY"));
    }
    Ok(value)
}

/// Reads `FUNCTION` and its parameters out of the call-up's parameters.
///
/// # Errors
/// `unsupported-operation` for an unknown function (also `DOWNLOADJSON`, `INITIALIZE`,
/// `RETRIEVEOCI`, which are server-to-server and not browser call-ups) and for a 5.0 function
/// when the profile speaks 4.0; `invalid-document` for a missing parameter; `invalid-value` for
/// a bad quantity.
pub fn read_function(
    parameters: &mut Vec<(String, String)>,
    version: OciVersion,
) -> Result<OciFunction> {
    let Some(name) = take(parameters, "FUNCTION").filter(|name| !name.is_empty()) else {
        return Ok(OciFunction::Shopping);
    };
    let upper = name.to_ascii_uppercase();
    let needs_five = |function: OciFunction| {
        if version < OciVersion::V5 {
            Err(Error::new(
                ErrorCode::UnsupportedOperation,
                format!("`FUNCTION={upper}` is OCI 5.0, but the buyer profile speaks OCI 4.0"),
            )
            .at_field("FUNCTION"))
        } else {
            Ok(function)
        }
    };
    match upper.as_str() {
        "DETAIL" => Ok(OciFunction::Detail {
            product_id: required(parameters, "DETAIL", "PRODUCTID")?,
        }),
        "VALIDATE" => Ok(OciFunction::Validate {
            product_id: required(parameters, "VALIDATE", "PRODUCTID")?,
            quantity: quantity(parameters, Some("1"))?,
        }),
        "SOURCING" => Ok(OciFunction::Sourcing {
            search_string: take(parameters, "SEARCHSTRING").unwrap_or_default(),
            vendor: take(parameters, "VENDOR").filter(|vendor| !vendor.is_empty()),
        }),
        "BACKGROUND_SEARCH" => Ok(OciFunction::BackgroundSearch {
            search_string: required(parameters, "BACKGROUND_SEARCH", "SEARCHSTRING")?,
        }),
        "DETAILADD" => {
            let product_id = required(parameters, "DETAILADD", "PRODUCTID")?;
            needs_five(OciFunction::DetailAdd { product_id })
        }
        "QUANTITYCHECK" => {
            let product_id = match take(parameters, "EXT_PRODUCT_ID") {
                Some(id) if !id.trim().is_empty() => id,
                _ => required(parameters, "QUANTITYCHECK", "PRODUCTID").map_err(|_| {
                    Error::new(
                        ErrorCode::InvalidDocument,
                        "`FUNCTION=QUANTITYCHECK` requires parameter `EXT_PRODUCT_ID`",
                    )
                    .at_field("EXT_PRODUCT_ID")
                })?,
            };
            let quantity = quantity(parameters, Some("1"))?;
            needs_five(OciFunction::QuantityCheck {
                product_id,
                quantity,
            })
        }
        _ => Err(Error::new(
            ErrorCode::UnsupportedOperation,
            format!(
                "unknown `FUNCTION` `{}`, expected `DETAIL`, `VALIDATE`, `SOURCING`, `BACKGROUND_SEARCH`, `DETAILADD` or `QUANTITYCHECK`",
                crate::model::shorten(&name)
            ),
        )
        .at_field("FUNCTION")),
    }
}

/// The JSON reply to `FUNCTION=QUANTITYCHECK`: `{"AVAILABLE_QUANTITY":n,"LEADTIME":"d"}`.
///
/// # Errors
/// `invalid-value` when the quantity is not a plain non-negative decimal of at most
/// [`crate::limits::MAX_INTEGER_DIGITS`] digits before the decimal point.
pub fn quantity_check_reply(available_quantity: &str, leadtime_days: u32) -> Result<String> {
    let number = crate::limits::parse_cart_amount(available_quantity)
        .map_err(|error| error.at_field("AVAILABLE_QUANTITY"))?;
    if number < rust_decimal::Decimal::ZERO {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("available quantity `{available_quantity}` is negative"),
        )
        .at_field("AVAILABLE_QUANTITY"));
    }
    // A JSON number written from the checked decimal (plain digits and one `.`).
    Ok(format!(
        "{{\"AVAILABLE_QUANTITY\":{},\"LEADTIME\":\"{leadtime_days}\"}}",
        crate::model::format_quantity(number)
    ))
}
