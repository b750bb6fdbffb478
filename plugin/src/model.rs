//! The engine's data: carts as the shop hands them in, sessions as the shop stores them, and the
//! envelope that identifies each generated document.
//!
//! These are the types of the native API and of the JSON files the CLI reads; the component
//! glue converts them to and from the WIT records one to one.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// A name and a value: a product attribute or an extrinsic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    pub name: String,
    pub value: String,
}

impl Property {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Property {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// One line of the shop's cart. Quantities and prices are decimal strings, as on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CartLine {
    /// The shop's own reference for the line, carried through the buyer's system.
    pub line_ref: String,
    pub sku: String,
    pub quantity: String,
    pub unit_price: String,
    pub unit: String,
    pub description: String,
    /// Everything else the shop knows about the product, for the buyer profile's mapping.
    #[serde(default)]
    pub attributes: Vec<Property>,
}

impl CartLine {
    /// The value of a product attribute, if the shop gave it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|property| property.name == name)
            .map(|property| property.value.as_str())
    }
}

/// The shop's cart, in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cart {
    pub currency: String,
    #[serde(default)]
    pub lines: Vec<CartLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
}

/// What a setup request asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SetupOperation {
    Create,
    Edit,
    Inspect,
}

impl SetupOperation {
    /// The name used in cXML's `operation` and `operationAllowed` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            SetupOperation::Create => "create",
            SetupOperation::Edit => "edit",
            SetupOperation::Inspect => "inspect",
        }
    }

    /// Reads the cXML attribute value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "create" => Some(SetupOperation::Create),
            "edit" => Some(SetupOperation::Edit),
            "inspect" => Some(SetupOperation::Inspect),
            _ => None,
        }
    }
}

/// A credential as it appears in a document header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    pub domain: String,
    pub identity: String,
}

/// What the shop stores after a successful setup and hands back at cart return. It holds no
/// secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub buyer_id: String,
    pub operation: SetupOperation,
    pub buyer_cookie: String,
    pub return_url: String,
    pub buyer: Credential,
    pub supplier: Credential,
    pub request_payload_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    #[serde(default)]
    pub extrinsics: Vec<Property>,
    /// Where the buyer wants the goods (cXML `ShipTo`), when the request named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    /// The article the buyer chose in their own catalog (cXML `SelectedItem`'s `SupplierPartID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_item: Option<String>,
    /// The buyer's `SupplierSetup` URL, when it sent one (informative; never fetched).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_setup_url: Option<String>,
    /// For `edit` and `inspect`: the lines of the cart being reopened (cXML `ItemOut`), with the
    /// line reference read from `SupplierPartAuxiliaryID`, for the shop to restore.
    #[serde(default)]
    pub items: Vec<CartLine>,
    /// The one-time token the engine minted into the start URL (when the host asked for one
    /// with `{token}`); the shop keys the session by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_token: Option<String>,
}

/// A delivery address as a buyer sends it (cXML `ShipTo/Address`); every part is as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// The address's name (company or site).
    pub name: String,
    /// The buyer's id for the address (`addressID`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_id: Option<String>,
    /// Recipients (`DeliverTo`), in document order.
    #[serde(default)]
    pub deliver_to: Vec<String>,
    /// Street lines, in document order.
    #[serde(default)]
    pub street: Vec<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166 country code (`Country/@isoCountryCode`), empty when no postal address was sent.
    #[serde(default)]
    pub country_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Identifies a generated document; supplied by the host so that output is reproducible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub payload_id: String,
    pub timestamp: String,
}

/// Reads a decimal string as the shop or a document wrote it: plain notation, `.` as the decimal
/// separator, an optional leading `-`. Exponents, `+`, spaces and thousands separators are refused.
///
/// # Errors
/// `invalid-value` naming the value; the caller adds the location.
pub fn parse_decimal(text: &str) -> Result<Decimal> {
    let well_formed = !text.is_empty()
        && text.len() <= 40
        && text
            .strip_prefix('-')
            .unwrap_or(text)
            .split_once('.')
            .map_or_else(
                || is_digits(text.strip_prefix('-').unwrap_or(text)),
                |(whole, fraction)| is_digits(whole) && is_digits(fraction),
            );
    if !well_formed {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "expected a decimal number such as `12.50`, found `{}`",
                shorten(text)
            ),
        ));
    }
    text.parse::<Decimal>().map_err(|_| {
        Error::new(
            ErrorCode::InvalidValue,
            format!("decimal `{}` is out of range", shorten(text)),
        )
    })
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Formats an amount of money with at least two decimals (`40` → `40.00`, `1.005` stays).
pub fn format_money(amount: Decimal) -> String {
    let mut normalized = amount.normalize();
    if normalized.scale() < 2 {
        normalized.rescale(2);
    }
    normalized.to_string()
}

/// Formats a quantity without trailing zeros (`2.000` → `2`).
pub fn format_quantity(quantity: Decimal) -> String {
    quantity.normalize().to_string()
}

/// Cuts a value for use in an error message, so that a hostile megabyte never lands in a log.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 64;
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_plain_notation_only() {
        assert_eq!(parse_decimal("12.50").unwrap().to_string(), "12.50");
        assert_eq!(parse_decimal("-3").unwrap().to_string(), "-3");
        for bad in [
            "", "1e3", "+1", "1,5", " 1", "1.", ".5", "--1", "NaN", "1.2.3",
        ] {
            let error = parse_decimal(bad).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidValue, "{bad:?}");
        }
        assert_eq!(
            parse_decimal("99999999999999999999999999999999999")
                .unwrap_err()
                .code(),
            ErrorCode::InvalidValue
        );
    }

    #[test]
    fn money_has_two_decimals_at_least() {
        assert_eq!(format_money(Decimal::new(40, 0)), "40.00");
        assert_eq!(format_money(Decimal::new(4000, 2)), "40.00");
        assert_eq!(format_money(Decimal::new(1005, 3)), "1.005");
        assert_eq!(format_quantity(Decimal::new(2000, 3)), "2");
    }

    #[test]
    fn error_messages_never_carry_a_megabyte() {
        let long = "9".repeat(1 << 20);
        assert!(parse_decimal(&long).unwrap_err().message().len() < 200);
    }
}
