//! Budgets for every input that is not an XML document, in one documented place: see
//! [`InputLimits`]. (XML documents have their own limits, [`crate::xml::XmlLimits`].)
//!
//! Each budget is checked before the work it bounds: a cart's lines and attributes are counted
//! before any line is mapped or written, a read-back form stops at the first item or field over
//! its budget. Exceeding one is `limit-exceeded`, naming the limit, its value and where (a JSON
//! pointer such as `/lines`, or the form field).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::model::Cart;

/// Limits on carts, replies and read-back forms. The defaults are far above what a real shop
/// sends and keep the cost of one call bounded (the engine's work is linear in each of them):
///
/// | limit | default | hard ceiling | applies to |
/// |---|---|---|---|
/// | [`max_cart_lines`](InputLimits::max_cart_lines) | 10 000 | 100 000 | cXML cart return, the `ItemOut` lines of a reopened cart and of an `OrderRequest`, OCI cart form, `VALIDATE` and `BACKGROUND_SEARCH` replies (`/lines`) |
/// | [`max_line_attributes`](InputLimits::max_line_attributes) | 1 000 | 10 000 | attributes (properties) of one cart line (`/lines/N/attributes`) |
/// | [`max_form_items`](InputLimits::max_form_items) | 10 000 | 100 000 | items of an OCI form read back |
/// | [`max_item_fields`](InputLimits::max_item_fields) | 1 000 | 10 000 | fields of one item of an OCI form read back |
///
/// A buyer profile may lower or raise each one in its `limits` object, up to the hard ceiling
/// ([`LimitsSection`]). Quantities and prices are bounded too, by [`MAX_INTEGER_DIGITS`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputLimits {
    /// The most lines in one cart (also the hits of a `BACKGROUND_SEARCH` reply and the lines
    /// of an order: a buyer orders what its carts held).
    pub max_cart_lines: usize,
    /// The most attributes (properties) of one cart line.
    pub max_line_attributes: usize,
    /// The most items in one OCI form read back.
    pub max_form_items: usize,
    /// The most fields of one item in an OCI form read back (long text included).
    pub max_item_fields: usize,
}

impl InputLimits {
    /// The defaults (see the table on [`InputLimits`]).
    pub const DEFAULT: InputLimits = InputLimits {
        max_cart_lines: 10_000,
        max_line_attributes: 1_000,
        max_form_items: 10_000,
        max_item_fields: 1_000,
    };

    /// The highest values a profile may set.
    pub const HARD_CEILING: InputLimits = InputLimits {
        max_cart_lines: 100_000,
        max_line_attributes: 10_000,
        max_form_items: 100_000,
        max_item_fields: 10_000,
    };

    /// The limits of a profile's `limits` object: its values where given, the defaults elsewhere.
    ///
    /// # Errors
    /// `invalid-profile` at `/limits/<name>` for a value of 0 or over the hard ceiling.
    pub fn from_section(section: Option<&LimitsSection>) -> Result<Self> {
        let mut limits = InputLimits::DEFAULT;
        let Some(section) = section else {
            return Ok(limits);
        };
        let ceiling = InputLimits::HARD_CEILING;
        for (name, given, ceiling, slot) in [
            (
                "max_cart_lines",
                section.max_cart_lines,
                ceiling.max_cart_lines,
                &mut limits.max_cart_lines,
            ),
            (
                "max_line_attributes",
                section.max_line_attributes,
                ceiling.max_line_attributes,
                &mut limits.max_line_attributes,
            ),
            (
                "max_form_items",
                section.max_form_items,
                ceiling.max_form_items,
                &mut limits.max_form_items,
            ),
            (
                "max_item_fields",
                section.max_item_fields,
                ceiling.max_item_fields,
                &mut limits.max_item_fields,
            ),
        ] {
            let Some(value) = given else { continue };
            if value == 0 || value > ceiling {
                return Err(Error::new(
                    ErrorCode::InvalidProfile,
                    format!("limit `{name}` is {value}, expected 1 to {ceiling}"),
                )
                .at_pointer(format!("/limits/{name}")));
            }
            *slot = value;
        }
        Ok(limits)
    }

    /// Checks a cart's size before any line is read: at most
    /// [`max_cart_lines`](InputLimits::max_cart_lines) lines, each with at most
    /// [`max_line_attributes`](InputLimits::max_line_attributes) attributes.
    ///
    /// # Errors
    /// `limit-exceeded` at `/lines` or `/lines/N/attributes`.
    pub fn check_cart(&self, cart: &Cart) -> Result<()> {
        check_count(
            "max_cart_lines",
            "lines",
            cart.lines.len(),
            self.max_cart_lines,
        )
        .map_err(|error| error.at_pointer("/lines"))?;
        for (index, line) in cart.lines.iter().enumerate() {
            check_count(
                "max_line_attributes",
                "attributes",
                line.attributes.len(),
                self.max_line_attributes,
            )
            .map_err(|error| error.at_pointer(format!("/lines/{index}/attributes")))?;
        }
        Ok(())
    }
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits::DEFAULT
    }
}

/// Refuses `count` over `limit`, naming the limit (the caller adds the location).
///
/// # Errors
/// `limit-exceeded`.
pub fn check_count(name: &str, what: &str, count: usize, limit: usize) -> Result<()> {
    if count > limit {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("{count} {what} exceed the limit `{name}` of {limit}"),
        ));
    }
    Ok(())
}

/// The profile's `limits` object: each limit of [`InputLimits`] it changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitsSection {
    /// The most lines in one cart (1 to 100 000; default 10 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cart_lines: Option<usize>,
    /// The most attributes of one cart line (1 to 10 000; default 1 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_line_attributes: Option<usize>,
    /// The most items in an OCI form read back (1 to 100 000; default 10 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_form_items: Option<usize>,
    /// The most fields of one item in an OCI form read back (1 to 10 000; default 1 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_item_fields: Option<usize>,
}

/// The most digits before the decimal point of a quantity or a price in a cart (and of shipping
/// and tax): 15, a thousand trillion, so that sums and products of cart amounts stay far inside
/// the decimal type's range (about 7.9 × 10²⁸).
pub const MAX_INTEGER_DIGITS: u32 = 15;

/// Reads a cart amount (quantity, price, shipping, tax): a plain decimal
/// ([`crate::model::parse_decimal`]) with at most [`MAX_INTEGER_DIGITS`] digits before the
/// decimal point.
///
/// # Errors
/// `invalid-value` naming the value; the caller sets the code and location it needs.
pub fn parse_cart_amount(text: &str) -> Result<Decimal> {
    let number = crate::model::parse_decimal(text)?;
    let whole = text
        .trim_start_matches('-')
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_start_matches('0');
    if whole.len() > MAX_INTEGER_DIGITS as usize {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "`{}` has more than {MAX_INTEGER_DIGITS} digits before the decimal point",
                crate::model::shorten(text)
            ),
        ));
    }
    Ok(number)
}

/// Reads a cart line's quantity: a cart amount greater than zero (`-5`, `0` and `-0` are
/// refused), the one rule of every protocol.
///
/// # Errors
/// `invalid-cart` at `/lines/N/quantity`.
pub fn parse_line_quantity(text: &str, line_index: usize) -> Result<Decimal> {
    let pointer = || format!("/lines/{line_index}/quantity");
    let quantity = parse_cart_amount(text).map_err(|error| {
        Error::new(ErrorCode::InvalidCart, error.message()).at_pointer(pointer())
    })?;
    if quantity <= Decimal::ZERO {
        return Err(Error::new(
            ErrorCode::InvalidCart,
            format!(
                "expected a quantity greater than zero, found `{}`",
                crate::model::shorten(text)
            ),
        )
        .at_pointer(pointer()));
    }
    Ok(quantity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CartLine;

    fn line(quantity: &str) -> CartLine {
        CartLine {
            line_ref: "l".into(),
            sku: "s".into(),
            quantity: quantity.into(),
            unit_price: "1".into(),
            unit: "EA".into(),
            description: "d".into(),
            attributes: Vec::new(),
        }
    }

    #[test]
    fn a_cart_over_the_line_limit_is_refused_at_lines_naming_the_limit() {
        let limits = InputLimits {
            max_cart_lines: 3,
            ..InputLimits::DEFAULT
        };
        let cart = Cart {
            currency: "EUR".into(),
            lines: vec![line("1"); 4],
            shipping: None,
            tax: None,
        };
        let error = limits.check_cart(&cart).unwrap_err();
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            error.message(),
            "4 lines exceed the limit `max_cart_lines` of 3"
        );
        assert_eq!(error.location().pointer.as_deref(), Some("/lines"));
        let mut cart = cart;
        cart.lines.truncate(3);
        assert_eq!(limits.check_cart(&cart), Ok(()));
        cart.lines[2].attributes = vec![crate::model::Property::new("a", "b"); 1001];
        let error = InputLimits::DEFAULT.check_cart(&cart).unwrap_err();
        assert_eq!(
            error.message(),
            "1001 attributes exceed the limit `max_line_attributes` of 1000"
        );
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/2/attributes")
        );
    }

    #[test]
    fn profile_limits_are_bounded_by_the_hard_ceiling() {
        let section = LimitsSection {
            max_cart_lines: Some(50),
            ..LimitsSection::default()
        };
        let limits = InputLimits::from_section(Some(&section)).unwrap();
        assert_eq!(limits.max_cart_lines, 50);
        assert_eq!(limits.max_form_items, 10_000);
        for (bad, shown) in [(0, "0"), (100_001, "100001")] {
            let section = LimitsSection {
                max_cart_lines: Some(bad),
                ..LimitsSection::default()
            };
            let error = InputLimits::from_section(Some(&section)).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidProfile);
            assert_eq!(
                error.message(),
                format!("limit `max_cart_lines` is {shown}, expected 1 to 100000")
            );
            assert_eq!(
                error.location().pointer.as_deref(),
                Some("/limits/max_cart_lines")
            );
        }
    }

    #[test]
    fn cart_amounts_have_at_most_fifteen_integer_digits() {
        assert_eq!(
            parse_cart_amount("999999999999999.999")
                .unwrap()
                .to_string(),
            "999999999999999.999"
        );
        assert_eq!(
            parse_cart_amount("000000000000000000001")
                .unwrap()
                .to_string(),
            "1"
        );
        let error = parse_cart_amount("1000000000000000").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidValue);
        assert_eq!(
            error.message(),
            "`1000000000000000` has more than 15 digits before the decimal point"
        );
        assert!(parse_cart_amount("-1000000000000000").is_err());
    }

    #[test]
    fn quantities_must_be_greater_than_zero() {
        assert_eq!(parse_line_quantity("2.5", 0).unwrap().to_string(), "2.5");
        for bad in ["-5", "-0", "0", "0.000"] {
            let error = parse_line_quantity(bad, 4).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidCart, "{bad}");
            assert_eq!(
                error.message(),
                format!("expected a quantity greater than zero, found `{bad}`")
            );
            assert_eq!(
                error.location().pointer.as_deref(),
                Some("/lines/4/quantity")
            );
        }
    }
}
