//! The profile's `orders` section: how the [reconciliation](super::reconcile) judges what the
//! buyer's approval changed. Each rule names one kind of change and the [`RuleAction`] the shop
//! takes for it: `accept` (apply it), `hold` (a person reviews the order first) or `reject`
//! (refuse the order). The defaults suit a shop that wants to ship what the buyer approved
//! unless it costs the shop money or cannot be checked:
//!
//! | key | what it judges | default |
//! |---|---|---|
//! | `price_tolerance` | how far a unit price may move and still be accepted (`amount`, `percent`) | none: any change is judged below |
//! | `price_decrease` | a unit price lower than the cart's, beyond the tolerance | `accept` |
//! | `price_increase` | a unit price higher than the cart's, beyond the tolerance | `hold` |
//! | `quantity_decrease` | fewer ordered than in the cart | `accept` |
//! | `quantity_increase` | more ordered than in the cart | `hold` |
//! | `unit_change` | another unit of measure than the cart sent | `hold` |
//! | `currency_change` | another currency than the cart's (order or line) | `reject` |
//! | `dropped_line` | a cart line the order leaves out | `accept` |
//! | `unknown_item` | an order line that is not in the cart ("refuse unknown items") | `reject` |
//! | `split_line` | one cart line ordered as several lines whose quantities add up to the cart's | `accept` |
//! | `repeated_line` | one cart line ordered as several lines that do not add up | `hold` |
//! | `total_mismatch` | a stated total that is not the sum of the lines (plus shipping and tax) | `hold` |
//! | `total_tolerance` | how far the stated total may be from the computed one (an amount) | `0` |
//! | `shipping_change` | shipping other than the cart's | `hold` |
//! | `tax_change` | tax other than the cart's | `hold` |
//! | `ship_to_change` | a delivery address other than the one of the setup request | `hold` |
//! | `cancellation` | an order of type `delete` (the buyer cancels an earlier order) | `hold` |
//!
//! Amounts and per cents are decimal strings (`"0.50"`, `"2.5"`), never JSON numbers, as
//! everywhere money is written.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// What the shop does with one kind of change. Ordered from the mildest: when several rules
/// apply, the worst action decides.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RuleAction {
    /// Apply the change and go on.
    Accept,
    /// Keep the order for a person to review.
    Hold,
    /// Refuse the order.
    Reject,
}

impl RuleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Accept => "accept",
            RuleAction::Hold => "hold",
            RuleAction::Reject => "reject",
        }
    }
}

/// How far a line's unit price may move from the cart's and still count as unchanged enough to
/// accept. With both set, a change must keep within both (the stricter applies); with neither,
/// every change is judged by `price_decrease` or `price_increase`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceTolerance {
    /// The largest change of a unit price, as an amount in the order's currency (`"0.05"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?$"))]
    pub amount: Option<String>,
    /// The largest change of a unit price, in per cent of the cart's price (`"2"`, 0 to 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?$"))]
    pub percent: Option<String>,
}

impl PriceTolerance {
    fn is_empty(&self) -> bool {
        self.amount.is_none() && self.percent.is_none()
    }
}

/// The profile's `orders` section: for each kind of change the buyer's approval can make, whether
/// the shop accepts it, holds the order for a person to review, or rejects the order. When
/// several apply, the worst decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderRules {
    /// How far a unit price may move and still be accepted; none by default.
    #[serde(default, skip_serializing_if = "PriceTolerance::is_empty")]
    pub price_tolerance: PriceTolerance,
    /// A unit price lower than the cart's, beyond the tolerance.
    #[serde(default = "accept")]
    pub price_decrease: RuleAction,
    /// A unit price higher than the cart's, beyond the tolerance.
    #[serde(default = "hold")]
    pub price_increase: RuleAction,
    /// Fewer ordered than in the cart.
    #[serde(default = "accept")]
    pub quantity_decrease: RuleAction,
    /// More ordered than in the cart.
    #[serde(default = "hold")]
    pub quantity_increase: RuleAction,
    /// Another unit of measure than the cart sent.
    #[serde(default = "hold")]
    pub unit_change: RuleAction,
    /// Another currency than the cart's, on the order or a line.
    #[serde(default = "reject")]
    pub currency_change: RuleAction,
    /// A cart line the order leaves out.
    #[serde(default = "accept")]
    pub dropped_line: RuleAction,
    /// An order line that is not in the cart.
    #[serde(default = "reject")]
    pub unknown_item: RuleAction,
    /// One cart line ordered as several lines whose quantities add up to the cart's.
    #[serde(default = "accept")]
    pub split_line: RuleAction,
    /// One cart line ordered as several lines whose quantities do not add up to the cart's.
    #[serde(default = "hold")]
    pub repeated_line: RuleAction,
    /// A stated total that is neither the sum of the lines nor that sum plus shipping and tax.
    #[serde(default = "hold")]
    pub total_mismatch: RuleAction,
    /// How far the stated total may be from the computed one, as an amount (`"0.01"`); exact
    /// (after rounding to the stated total's decimals) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)?$"))]
    pub total_tolerance: Option<String>,
    /// Shipping other than the cart's.
    #[serde(default = "hold")]
    pub shipping_change: RuleAction,
    /// Tax other than the cart's.
    #[serde(default = "hold")]
    pub tax_change: RuleAction,
    /// A delivery address other than the one the setup request named.
    #[serde(default = "hold")]
    pub ship_to_change: RuleAction,
    /// An order of type `delete`: the buyer cancels an earlier order.
    #[serde(default = "hold")]
    pub cancellation: RuleAction,
}

fn accept() -> RuleAction {
    RuleAction::Accept
}
fn hold() -> RuleAction {
    RuleAction::Hold
}
fn reject() -> RuleAction {
    RuleAction::Reject
}

impl Default for OrderRules {
    fn default() -> Self {
        OrderRules {
            price_tolerance: PriceTolerance::default(),
            price_decrease: accept(),
            price_increase: hold(),
            quantity_decrease: accept(),
            quantity_increase: hold(),
            unit_change: hold(),
            currency_change: reject(),
            dropped_line: accept(),
            unknown_item: reject(),
            split_line: accept(),
            repeated_line: hold(),
            total_mismatch: hold(),
            total_tolerance: None,
            shipping_change: hold(),
            tax_change: hold(),
            ship_to_change: hold(),
            cancellation: hold(),
        }
    }
}

/// A rule of the `orders` section, as the reconciliation names it in its reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderRule {
    /// A price change within `price_tolerance` (always accepted).
    PriceTolerance,
    PriceDecrease,
    PriceIncrease,
    QuantityDecrease,
    QuantityIncrease,
    UnitChange,
    CurrencyChange,
    DroppedLine,
    UnknownItem,
    SplitLine,
    RepeatedLine,
    TotalMismatch,
    ShippingChange,
    TaxChange,
    ShipToChange,
    Cancellation,
}

impl OrderRule {
    /// The rule's key in the profile's `orders` section, such as `price_increase`.
    pub fn profile_key(self) -> &'static str {
        match self {
            OrderRule::PriceTolerance => "price_tolerance",
            OrderRule::PriceDecrease => "price_decrease",
            OrderRule::PriceIncrease => "price_increase",
            OrderRule::QuantityDecrease => "quantity_decrease",
            OrderRule::QuantityIncrease => "quantity_increase",
            OrderRule::UnitChange => "unit_change",
            OrderRule::CurrencyChange => "currency_change",
            OrderRule::DroppedLine => "dropped_line",
            OrderRule::UnknownItem => "unknown_item",
            OrderRule::SplitLine => "split_line",
            OrderRule::RepeatedLine => "repeated_line",
            OrderRule::TotalMismatch => "total_mismatch",
            OrderRule::ShippingChange => "shipping_change",
            OrderRule::TaxChange => "tax_change",
            OrderRule::ShipToChange => "ship_to_change",
            OrderRule::Cancellation => "cancellation",
        }
    }
}

/// The `orders` section checked once, with its amounts read as decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledOrderRules {
    rules: OrderRules,
    tolerance_amount: Option<Decimal>,
    tolerance_percent: Option<Decimal>,
    total_tolerance: Decimal,
}

impl Default for CompiledOrderRules {
    fn default() -> Self {
        CompiledOrderRules {
            rules: OrderRules::default(),
            tolerance_amount: None,
            tolerance_percent: None,
            total_tolerance: Decimal::ZERO,
        }
    }
}

impl CompiledOrderRules {
    /// Checks a profile's `orders` section; the defaults when it has none.
    ///
    /// # Errors
    /// `invalid-profile` at the JSON pointer of the first bad value (see [`check`] for all).
    pub fn compile(section: Option<&OrderRules>) -> Result<Self> {
        let Some(rules) = section else {
            return Ok(CompiledOrderRules::default());
        };
        if let Some(error) = check(rules).into_iter().next() {
            return Err(error);
        }
        let amount = |text: &Option<String>| {
            text.as_deref()
                .map(|text| read_amount(text, ""))
                .transpose()
        };
        Ok(CompiledOrderRules {
            rules: rules.clone(),
            tolerance_amount: amount(&rules.price_tolerance.amount)?,
            tolerance_percent: amount(&rules.price_tolerance.percent)?,
            total_tolerance: amount(&rules.total_tolerance)?.unwrap_or_default(),
        })
    }

    /// The rules as written (defaults filled in).
    pub fn rules(&self) -> &OrderRules {
        &self.rules
    }

    /// The action a rule takes.
    pub fn action(&self, rule: OrderRule) -> RuleAction {
        let rules = &self.rules;
        match rule {
            OrderRule::PriceTolerance => RuleAction::Accept,
            OrderRule::PriceDecrease => rules.price_decrease,
            OrderRule::PriceIncrease => rules.price_increase,
            OrderRule::QuantityDecrease => rules.quantity_decrease,
            OrderRule::QuantityIncrease => rules.quantity_increase,
            OrderRule::UnitChange => rules.unit_change,
            OrderRule::CurrencyChange => rules.currency_change,
            OrderRule::DroppedLine => rules.dropped_line,
            OrderRule::UnknownItem => rules.unknown_item,
            OrderRule::SplitLine => rules.split_line,
            OrderRule::RepeatedLine => rules.repeated_line,
            OrderRule::TotalMismatch => rules.total_mismatch,
            OrderRule::ShippingChange => rules.shipping_change,
            OrderRule::TaxChange => rules.tax_change,
            OrderRule::ShipToChange => rules.ship_to_change,
            OrderRule::Cancellation => rules.cancellation,
        }
    }

    /// Whether a unit price moving from `cart` to `order` stays within `price_tolerance`: within
    /// the amount and within the per cent of the cart's price, each where set; never when
    /// neither is set.
    pub fn price_within_tolerance(&self, cart: Decimal, order: Decimal) -> bool {
        if self.tolerance_amount.is_none() && self.tolerance_percent.is_none() {
            return false;
        }
        let Some(change) = order.checked_sub(cart).map(|change| change.abs()) else {
            return false;
        };
        let within_amount = self.tolerance_amount.is_none_or(|amount| change <= amount);
        // change / cart ≤ percent / 100, without a division: change × 100 ≤ percent × cart.
        let within_percent = self.tolerance_percent.is_none_or(|percent| {
            match (
                change.checked_mul(Decimal::ONE_HUNDRED),
                percent.checked_mul(cart.abs()),
            ) {
                (Some(scaled), Some(allowed)) => scaled <= allowed,
                _ => false,
            }
        });
        within_amount && within_percent
    }

    /// How far a stated total may be from the computed one.
    pub fn total_tolerance(&self) -> Decimal {
        self.total_tolerance
    }
}

/// Reads an amount or per cent of the section: a non-negative decimal string.
fn read_amount(text: &str, pointer: &str) -> Result<Decimal> {
    let invalid =
        |message: String| Error::new(ErrorCode::InvalidProfile, message).at_pointer(pointer);
    let value = crate::limits::parse_cart_amount(text).map_err(|error| {
        invalid(format!(
            "{}; write amounts as decimal strings such as `\"0.50\"`",
            error.message()
        ))
    })?;
    if value < Decimal::ZERO {
        return Err(invalid(format!(
            "expected an amount of zero or more, found `{}`",
            crate::model::shorten(text)
        )));
    }
    Ok(value)
}

/// Every problem of an `orders` section, each located by its JSON pointer (`config check`
/// reports them all; compiling stops at the first).
pub fn check(rules: &OrderRules) -> Vec<Error> {
    let mut found = Vec::new();
    let tolerance = &rules.price_tolerance;
    for (text, pointer) in [
        (&tolerance.amount, "/orders/price_tolerance/amount"),
        (&tolerance.percent, "/orders/price_tolerance/percent"),
        (&rules.total_tolerance, "/orders/total_tolerance"),
    ] {
        let Some(text) = text else { continue };
        match read_amount(text, pointer) {
            Err(error) => found.push(error),
            Ok(percent) if pointer.ends_with("/percent") && percent > Decimal::ONE_HUNDRED => {
                found.push(
                    Error::new(
                        ErrorCode::InvalidProfile,
                        format!(
                            "expected a per cent from 0 to 100, found `{}`",
                            crate::model::shorten(text)
                        ),
                    )
                    .at_pointer(pointer),
                );
            }
            Ok(_) => {}
        }
    }
    found
}

/// Rules that work but probably not as meant (`config check` warns): each with its JSON
/// pointer and message.
pub fn warnings(rules: &OrderRules) -> Vec<(String, String)> {
    let mut found = Vec::new();
    if rules.currency_change == RuleAction::Accept {
        found.push((
            "/orders/currency_change".to_owned(),
            "`currency_change` is `accept`: an order in another currency than the cart would be accepted without its prices being compared (they cannot be); use `hold` or `reject`".to_owned(),
        ));
    }
    if rules.unknown_item == RuleAction::Accept {
        found.push((
            "/orders/unknown_item".to_owned(),
            "`unknown_item` is `accept`: items the shop never put in the cart would be accepted at the buyer's prices; use `hold` or `reject`".to_owned(),
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(json: &str) -> OrderRules {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_empty_section_has_the_documented_defaults() {
        let empty = rules("{}");
        assert_eq!(empty, OrderRules::default());
        let json = serde_json::to_value(&empty).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "price_decrease": "accept", "price_increase": "hold",
                "quantity_decrease": "accept", "quantity_increase": "hold",
                "unit_change": "hold", "currency_change": "reject",
                "dropped_line": "accept", "unknown_item": "reject",
                "split_line": "accept", "repeated_line": "hold",
                "total_mismatch": "hold", "shipping_change": "hold", "tax_change": "hold",
                "ship_to_change": "hold", "cancellation": "hold"
            })
        );
    }

    #[test]
    fn bad_amounts_are_each_located() {
        let bad = rules(
            r#"{"price_tolerance": {"amount": "-1", "percent": "150"}, "total_tolerance": "1e3"}"#,
        );
        let found: Vec<(String, String)> = check(&bad)
            .into_iter()
            .map(|error| {
                assert_eq!(error.code(), ErrorCode::InvalidProfile);
                (
                    error.location().pointer.clone().unwrap(),
                    error.message().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/orders/price_tolerance/amount".to_owned(),
                    "expected an amount of zero or more, found `-1`".to_owned()
                ),
                (
                    "/orders/price_tolerance/percent".to_owned(),
                    "expected a per cent from 0 to 100, found `150`".to_owned()
                ),
                (
                    "/orders/total_tolerance".to_owned(),
                    "expected a decimal number such as `12.50`, found `1e3`; write amounts as decimal strings such as `\"0.50\"`".to_owned()
                ),
            ]
        );
        let error = CompiledOrderRules::compile(Some(&bad)).unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/orders/price_tolerance/amount")
        );
    }

    #[test]
    fn a_number_instead_of_a_decimal_string_is_refused_by_type() {
        let error = serde_json::from_str::<OrderRules>(r#"{"total_tolerance": 0.5}"#).unwrap_err();
        assert!(error
            .to_string()
            .starts_with("invalid type: floating point `0.5`, expected a string"));
    }

    #[test]
    fn the_tolerance_takes_the_stricter_of_amount_and_per_cent() {
        let dec = |text: &str| text.parse::<Decimal>().unwrap();
        let both = CompiledOrderRules::compile(Some(&rules(
            r#"{"price_tolerance": {"amount": "0.50", "percent": "2"}}"#,
        )))
        .unwrap();
        // 2 % of 10.00 is 0.20: the per cent is the stricter here.
        assert!(both.price_within_tolerance(dec("10.00"), dec("10.20")));
        assert!(!both.price_within_tolerance(dec("10.00"), dec("10.21")));
        assert!(both.price_within_tolerance(dec("10.00"), dec("9.80")));
        // 2 % of 100.00 is 2.00: the amount is the stricter.
        assert!(both.price_within_tolerance(dec("100.00"), dec("100.50")));
        assert!(!both.price_within_tolerance(dec("100.00"), dec("100.51")));
        let amount_only =
            CompiledOrderRules::compile(Some(&rules(r#"{"price_tolerance": {"amount": "1"}}"#)))
                .unwrap();
        assert!(amount_only.price_within_tolerance(dec("100.00"), dec("101.00")));
        assert!(!amount_only.price_within_tolerance(dec("100.00"), dec("101.01")));
        let none = CompiledOrderRules::default();
        assert!(!none.price_within_tolerance(dec("100.00"), dec("100.01")));
    }

    #[test]
    fn risky_rules_are_warned() {
        let risky = rules(r#"{"currency_change": "accept", "unknown_item": "accept"}"#);
        let pointers: Vec<String> = warnings(&risky).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            pointers,
            ["/orders/currency_change", "/orders/unknown_item"]
        );
        assert!(warnings(&OrderRules::default()).is_empty());
    }
}
