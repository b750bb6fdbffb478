//! The order against the cart the engine returned for that session: what the buyer's approval
//! changed, line by line and in the header, and what the profile's [rules](super::rules) make of
//! it.
//!
//! [`reconcile`] reads the cart in the buyer's terms first: each cart line is mapped through the
//! profile as it was when the cart went back, so that its part number (`SupplierPartID`), line
//! reference (`SupplierPartAuxiliaryID`) and unit (`UnitOfMeasure`, after the unit map) are
//! compared as they were sent. Order lines are then matched to cart lines in three passes, each
//! a hash lookup per line (linear in the lines):
//!
//! 1. by line reference: the order line's `SupplierPartAuxiliaryID` is the cart line's, and the
//!    part number agrees (a line reference on another part means the buyer replaced the item);
//! 2. by part number and unit, preferring cart lines no order line has matched yet;
//! 3. by part number alone, among cart lines still unmatched (the buyer changed the unit).
//!
//! What is left is `added` (order lines) and `dropped` (cart lines). Each cart line gets one
//! [`LineReconciliation`] (in the cart's order), then each added order line one (in the order's
//! order). The header is checked for a total that does not add up, changed shipping or tax, a
//! delivery address other than the setup request's and another currency than the cart's.
//!
//! Every finding is judged by its rule into a [`Reason`]; the worst action is the
//! [`Verdict`]: `reject`, else `hold`, else `accept-with-changes` when there was anything to
//! accept, else `accept`.
//!
//! An order of type `delete` cancels an earlier order: it is not compared with the cart (its
//! lines repeat the cancelled order's), and its verdict is the `cancellation` rule's action alone
//! (`accept` means: cancel it), with one reason naming the cancelled order.
//!
//! An update is reconciled like a new order against the cart the shop passes (the returned cart,
//! or the previous order's lines as a cart). A shop that has no cart for the order passes an
//! empty one: every line is then `added`.

use std::borrow::Cow;
use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::rules::{CompiledOrderRules, OrderRule, RuleAction};
use super::{OrderLine, OrderType, PurchaseOrder};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{parse_cart_amount, parse_line_quantity};
use crate::mapping::{LineValues, LineView};
use crate::model::{format_money, format_quantity, shorten, Address, Cart, Session};
use crate::profile::{BuyerProfile, Protocol};

/// What the shop should do with the order as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The order is the cart: nothing changed.
    Accept,
    /// Something changed and every change is accepted by the rules: apply the changes (confirm
    /// the order as the buyer sent it).
    AcceptWithChanges,
    /// A person reviews the order before it is confirmed.
    Hold,
    /// Refuse the order.
    Reject,
}

/// What became of one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineOutcome {
    /// One order line, identical to its cart line.
    Unchanged,
    /// One order line, with [differences](LineReconciliation::differences).
    Changed,
    /// A cart line no order line matched.
    Dropped,
    /// An order line that is not in the cart.
    Added,
    /// Several order lines match one cart line and their quantities add up to the cart's.
    Split,
    /// Several order lines match one cart line and their quantities do not add up.
    Repeated,
}

impl LineOutcome {
    /// The outcome's name, as in JSON (`unchanged`, `changed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LineOutcome::Unchanged => "unchanged",
            LineOutcome::Changed => "changed",
            LineOutcome::Dropped => "dropped",
            LineOutcome::Added => "added",
            LineOutcome::Split => "split",
            LineOutcome::Repeated => "repeated",
        }
    }
}

/// How an order line found its cart line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    /// The order line's `SupplierPartAuxiliaryID` is the cart line's reference.
    LineRef,
    /// The same part number and unit.
    SkuAndUnit,
    /// The same part number, another unit.
    Sku,
}

/// The value that differs between a cart line and its order line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceField {
    Quantity,
    UnitPrice,
    Unit,
    Currency,
}

impl DifferenceField {
    /// The field for a person: `quantity`, `unit price`, `unit`, `currency`.
    pub fn describe(self) -> &'static str {
        match self {
            DifferenceField::Quantity => "quantity",
            DifferenceField::UnitPrice => "unit price",
            DifferenceField::Unit => "unit",
            DifferenceField::Currency => "currency",
        }
    }
}

/// One value the buyer changed, with both values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub field: DifferenceField,
    /// The buyer's line numbers the order value comes from: one, or every line of a repeated
    /// cart line for its summed quantity.
    pub order_lines: Vec<u32>,
    /// The cart's value as the buyer received it: the quantity, the unit price, the unit code
    /// after the profile's unit map, the currency.
    pub cart: String,
    /// The order's value.
    pub order: String,
    /// For quantity and unit price: the order's value minus the cart's, signed (`+3`, `-0.50`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// For unit price: the change in per cent of the cart's price, two decimals (`+10.00`);
    /// absent when the cart's price is zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_percent: Option<String>,
    pub message: String,
}

/// The cart line a result is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLineKey {
    /// Its position in the cart (0-based, as in the JSON pointer `/lines/N`).
    pub index: u32,
    /// The shop's reference for the line.
    pub line_ref: String,
    /// The shop's SKU.
    pub sku: String,
}

/// An order line a result is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineKey {
    /// The buyer's line number.
    pub line_number: u32,
    pub supplier_part_id: String,
    /// The buyer's unit code.
    pub unit: String,
}

/// One line of the reconciliation: a cart line and the order lines that matched it, or an
/// order line that matched nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineReconciliation {
    pub outcome: LineOutcome,
    /// The cart line; absent for an added line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_line: Option<CartLineKey>,
    /// The order lines, in the order's order; empty for a dropped line.
    pub order_lines: Vec<OrderLineKey>,
    /// How the order lines found the cart line (the first order line's way, for several).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<MatchedBy>,
    pub differences: Vec<Difference>,
    /// The worst action of the line's reasons; `accept` for an unchanged line.
    pub action: RuleAction,
    pub message: String,
}

/// What the header check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderFindingKind {
    /// The stated total is neither the sum of the lines nor that sum plus shipping and tax.
    TotalMismatch,
    ShippingChanged,
    TaxChanged,
    /// The delivery address is not the one of the setup request.
    ShipToChanged,
    /// The order's currency is not the cart's.
    CurrencyChanged,
}

/// A part of a delivery address that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressPart {
    AddressId,
    Street,
    City,
    State,
    PostalCode,
    Country,
}

/// One finding of the header check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderFinding {
    pub kind: HeaderFindingKind,
    /// The cart's value (for the ship-to: the setup request's address on one line); absent when
    /// the cart had none, and for a total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart: Option<String>,
    /// The order's value (the stated total for a total); absent when the order has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// For a total: the total computed from the order's lines, shipping and tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
    /// For a ship-to: which parts of the address changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<AddressPart>,
    pub action: RuleAction,
    pub message: String,
}

/// The order's amounts as the reconciliation computed them, never trusted from the order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub currency: String,
    /// The sum of quantity × unit price over the order's lines.
    pub items: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// Items plus shipping plus tax.
    pub computed: String,
    /// The total the order states.
    pub stated: String,
}

/// Why the verdict is what it is: one rule applied to one finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: OrderRule,
    pub action: RuleAction,
    /// The buyer's line number the finding is about, if it is about one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_line: Option<u32>,
    /// The cart line's reference, if the finding is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_ref: Option<String>,
    /// The cart's value, where the finding compares values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart: Option<String>,
    /// The order's value, where the finding compares values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    pub message: String,
}

/// The order reconciled against the cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub order_id: String,
    pub order_type: OrderType,
    pub verdict: Verdict,
    /// The verdict in one sentence.
    pub message: String,
    /// Each cart line in the cart's order, then each added order line in the order's order;
    /// empty for a cancellation.
    pub lines: Vec<LineReconciliation>,
    pub header: Vec<HeaderFinding>,
    /// Absent for a cancellation, and when a line has no price in the order nor in the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
    /// Every rule that applied, in the order of the lines, then the header's.
    pub reasons: Vec<Reason>,
}

/// Reconciles an order against the cart the engine returned for its session (see the
/// [module docs](self)). `session` is the session the shop stored at setup, for the delivery
/// address; without it the ship-to is not checked.
///
/// # Errors
/// - `invalid-profile` when the order was authenticated for another buyer than `profile`;
/// - `invalid-session` when `session` belongs to another buyer;
/// - `invalid-cart` at `/lines/N/...` when a cart line could not have been returned (its
///   quantity, price or mapping is refused), `limit-exceeded` for a cart over the profile's
///   limits;
/// - `invalid-value` at `/lines/N/...` (a JSON pointer into the order) for an order amount that
///   is not a decimal or is negative, and when the amounts are too large to add up.
pub fn reconcile(
    profile: &BuyerProfile,
    order: &PurchaseOrder,
    cart: &Cart,
    session: Option<&Session>,
) -> Result<Reconciliation> {
    reconcile_counted(profile, order, cart, session, &mut 0)
}

/// [`reconcile`], adding to `probes` one for every hash lookup and every candidate looked at
/// while matching lines: the work that would grow with the square of the lines if a line were
/// searched for. The cost tests read it.
#[doc(hidden)]
pub fn reconcile_counted(
    profile: &BuyerProfile,
    order: &PurchaseOrder,
    cart: &Cart,
    session: Option<&Session>,
    probes: &mut u64,
) -> Result<Reconciliation> {
    if order.buyer_id != profile.id() {
        return Err(Error::new(
            ErrorCode::InvalidProfile,
            format!(
                "the order was authenticated for buyer `{}`, not for profile `{}`",
                shorten(&order.buyer_id),
                shorten(profile.id())
            ),
        ));
    }
    if let Some(session) = session.filter(|session| session.buyer_id != order.buyer_id) {
        return Err(Error::new(
            ErrorCode::InvalidSession,
            format!(
                "the session belongs to buyer `{}`, the order to `{}`",
                shorten(&session.buyer_id),
                shorten(&order.buyer_id)
            ),
        )
        .at_pointer("/buyer_id"));
    }
    let rules = profile.order_rules();
    if order.order_type == OrderType::Delete {
        return Ok(cancellation(order, rules));
    }
    profile.limits().check_cart(cart)?;
    let sent = sent_lines(profile, cart)?;
    let ordered = ordered_lines(order)?;
    let matches = match_lines(&sent, order, probes);
    let mut judge = Judge {
        rules,
        reasons: Vec::new(),
    };
    let mut lines = Vec::with_capacity(sent.len());
    for (index, cart_line) in sent.iter().enumerate() {
        lines.push(judge.cart_line(index, cart_line, &matches, order, &ordered, &cart.currency)?);
    }
    for (index, line) in order.lines.iter().enumerate() {
        if matches.by_order.get(index).copied().flatten().is_none() {
            lines.push(judge.added(line));
        }
    }
    let (header, totals) = judge.header(order, cart, session, &ordered, &sent, &matches)?;
    let verdict = verdict_of(&judge.reasons);
    Ok(Reconciliation {
        order_id: order.order_id.clone(),
        order_type: order.order_type,
        verdict,
        message: verdict_message(verdict, &order.order_id, &judge.reasons),
        lines,
        header,
        totals,
        reasons: judge.reasons,
    })
}

/// A cart line as the buyer received it.
struct SentLine<'a> {
    part_id: Cow<'a, str>,
    line_ref: Cow<'a, str>,
    unit: Cow<'a, str>,
    quantity: Decimal,
    unit_price: Decimal,
    shop_line_ref: &'a str,
    sku: &'a str,
}

/// A mapped value, borrowed from `known` when it is the same text (the default mappings copy
/// the line's SKU and reference, and the unit map's code): no copy per line then.
fn kept<'a>(value: &str, known: Option<&'a str>) -> Cow<'a, str> {
    let value = value.trim();
    match known.map(str::trim) {
        Some(known) if known == value => Cow::Borrowed(known),
        _ => Cow::Owned(value.to_owned()),
    }
}

/// Maps each cart line through the profile, as the cart return did.
fn sent_lines<'a>(profile: &'a BuyerProfile, cart: &'a Cart) -> Result<Vec<SentLine<'a>>> {
    let mapping = profile.mapping();
    let (part_field, reference_field, unit_field) = match mapping.context().protocol {
        Protocol::Cxml => (
            "SupplierPartID",
            Some("SupplierPartAuxiliaryID"),
            "UnitOfMeasure",
        ),
        Protocol::Oci => ("NEW_ITEM-VENDORMAT", None, "NEW_ITEM-UNIT"),
        // The T77 cart's line ID is the shop's line reference. A T01 order line has no element
        // that echoes it (its `SellersItemIdentification` holds the `ID` alone), so its lines are
        // found by the seller's item ID and unit; the order names the cart in its
        // `CatalogueReference/ID`.
        Protocol::Peppol => (
            "Item/SellersItemIdentification/ID",
            Some("ID"),
            "DeliveryUnit/BatchQuantity/@unitCode",
        ),
    };
    let part_index = mapping.field_index(part_field);
    let reference_index = reference_field.and_then(|field| mapping.field_index(field));
    let unit_index = mapping.field_index(unit_field);
    let mut values = LineValues::new();
    let mut sent = Vec::with_capacity(cart.lines.len());
    for (index, line) in cart.lines.iter().enumerate() {
        let quantity = parse_line_quantity(&line.quantity, index)?;
        let unit_price = parse_cart_amount(&line.unit_price)
            .ok()
            .filter(|price| *price >= Decimal::ZERO)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidCart,
                    format!(
                        "expected a unit price of zero or more, found `{}`",
                        shorten(&line.unit_price)
                    ),
                )
                .at_pointer(format!("/lines/{index}/unit_price"))
            })?;
        mapping.map_line_into(
            &LineView {
                line,
                currency: &cart.currency,
                line_number: index.saturating_add(1),
            },
            &mut values,
        )?;
        let resolved = mapping.units().resolve_ref(&line.unit).ok();
        let unit = match values.non_empty(unit_index) {
            Some(unit) => kept(unit, resolved),
            None => kept(resolved.unwrap_or(&line.unit), Some(&line.unit)),
        };
        sent.push(SentLine {
            part_id: kept(
                values.non_empty(part_index).unwrap_or(&line.sku),
                Some(&line.sku),
            ),
            line_ref: kept(
                values.non_empty(reference_index).unwrap_or(&line.line_ref),
                Some(&line.line_ref),
            ),
            unit,
            quantity,
            unit_price,
            shop_line_ref: &line.line_ref,
            sku: &line.sku,
        });
    }
    Ok(sent)
}

/// An order line's amounts.
struct OrderedAmounts {
    quantity: Decimal,
    /// Price and currency, when the line has a price.
    unit_price: Option<(Decimal, String)>,
}

fn order_amount(text: &str, pointer: impl Fn() -> String) -> Result<Decimal> {
    let value = parse_cart_amount(text).map_err(|error| {
        Error::new(ErrorCode::InvalidValue, error.message()).at_pointer(pointer())
    })?;
    if value < Decimal::ZERO {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "expected an amount of zero or more, found `{}`",
                shorten(text)
            ),
        )
        .at_pointer(pointer()));
    }
    Ok(value)
}

/// An order's shipping or tax: charges net of allowances, so below zero where a Peppol order's
/// allowances exceed its charges (the stated total subtracts them too).
fn order_net_charge(text: &str, pointer: impl Fn() -> String) -> Result<Decimal> {
    parse_cart_amount(text)
        .map_err(|error| Error::new(ErrorCode::InvalidValue, error.message()).at_pointer(pointer()))
}

fn ordered_lines(order: &PurchaseOrder) -> Result<Vec<OrderedAmounts>> {
    order
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let quantity = order_amount(&line.quantity, || format!("/lines/{index}/quantity"))?;
            let unit_price = line
                .unit_price
                .as_ref()
                .map(|money| {
                    order_amount(&money.amount, || {
                        format!("/lines/{index}/unit_price/amount")
                    })
                    .map(|price| (price, money.currency.trim().to_owned()))
                })
                .transpose()?;
            Ok(OrderedAmounts {
                quantity,
                unit_price,
            })
        })
        .collect()
}

/// Which order lines matched which cart line.
struct Matches {
    /// Per cart line: the indexes of the order lines that matched it, in the order's order.
    by_cart: Vec<Vec<usize>>,
    /// Per order line: its cart line and how it was found.
    by_order: Vec<Option<(usize, MatchedBy)>>,
}

/// Cart lines sharing a key, and how far the ones already taken reach.
struct Candidates {
    lines: Vec<usize>,
    /// The first candidate that may still have no order line: every one before it has one.
    cursor: usize,
}

impl Candidates {
    /// The first candidate no order line has matched yet, if `only_free`; else that one or, when
    /// all are taken, the first.
    fn pick(&mut self, by_cart: &[Vec<usize>], only_free: bool, probes: &mut u64) -> Option<usize> {
        while let Some(&line) = self.lines.get(self.cursor) {
            *probes = probes.saturating_add(1);
            if by_cart.get(line).is_some_and(Vec::is_empty) {
                return Some(line);
            }
            self.cursor = self.cursor.saturating_add(1);
        }
        if only_free {
            None
        } else {
            self.lines.first().copied()
        }
    }
}

fn match_lines(sent: &[SentLine], order: &PurchaseOrder, probes: &mut u64) -> Matches {
    let mut by_reference: HashMap<&str, usize> = HashMap::with_capacity(sent.len());
    let mut by_part_and_unit: HashMap<(&str, &str), Candidates> = HashMap::new();
    let mut by_part: HashMap<&str, Candidates> = HashMap::new();
    for (index, line) in sent.iter().enumerate() {
        *probes = probes.saturating_add(3);
        // A reference the cart repeats finds its first line.
        by_reference.entry(line.line_ref.as_ref()).or_insert(index);
        for candidates in [
            by_part_and_unit
                .entry((line.part_id.as_ref(), line.unit.as_ref()))
                .or_insert_with(|| Candidates {
                    lines: Vec::new(),
                    cursor: 0,
                }),
            by_part
                .entry(line.part_id.as_ref())
                .or_insert_with(|| Candidates {
                    lines: Vec::new(),
                    cursor: 0,
                }),
        ] {
            candidates.lines.push(index);
        }
    }
    let mut matches = Matches {
        by_cart: vec![Vec::new(); sent.len()],
        by_order: vec![None; order.lines.len()],
    };
    let assign = |matches: &mut Matches, order_index: usize, cart_index: usize, how| {
        if let Some(slot) = matches.by_order.get_mut(order_index) {
            *slot = Some((cart_index, how));
        }
        if let Some(lines) = matches.by_cart.get_mut(cart_index) {
            lines.push(order_index);
        }
    };
    // 1. By line reference, when the part number agrees.
    for (order_index, line) in order.lines.iter().enumerate() {
        let Some(reference) = line
            .supplier_part_auxiliary_id
            .as_deref()
            .map(str::trim)
            .filter(|reference| !reference.is_empty())
        else {
            continue;
        };
        *probes = probes.saturating_add(1);
        if let Some(&cart_index) = by_reference.get(reference) {
            let agrees = sent
                .get(cart_index)
                .is_some_and(|sent| sent.part_id == line.supplier_part_id.trim());
            if agrees {
                assign(&mut matches, order_index, cart_index, MatchedBy::LineRef);
            }
        }
    }
    // 2. By part number and unit.
    for (order_index, line) in order.lines.iter().enumerate() {
        if matches
            .by_order
            .get(order_index)
            .copied()
            .flatten()
            .is_some()
        {
            continue;
        }
        *probes = probes.saturating_add(1);
        let key = (line.supplier_part_id.trim(), line.unit.trim());
        if let Some(candidates) = by_part_and_unit.get_mut(&key) {
            if let Some(cart_index) = candidates.pick(&matches.by_cart, false, probes) {
                assign(&mut matches, order_index, cart_index, MatchedBy::SkuAndUnit);
            }
        }
    }
    // 3. By part number alone, among the cart lines nothing matched.
    for (order_index, line) in order.lines.iter().enumerate() {
        if matches
            .by_order
            .get(order_index)
            .copied()
            .flatten()
            .is_some()
        {
            continue;
        }
        *probes = probes.saturating_add(1);
        if let Some(candidates) = by_part.get_mut(line.supplier_part_id.trim()) {
            if let Some(cart_index) = candidates.pick(&matches.by_cart, true, probes) {
                assign(&mut matches, order_index, cart_index, MatchedBy::Sku);
            }
        }
    }
    // Order lines in the order's order on every cart line (pass 1 came first).
    for lines in &mut matches.by_cart {
        if lines.len() > 1 {
            lines.sort_unstable();
        }
    }
    matches
}

/// Applies the rules to findings and keeps the reasons.
struct Judge<'r> {
    rules: &'r CompiledOrderRules,
    reasons: Vec<Reason>,
}

fn signed(value: Decimal, money: bool) -> String {
    let text = if money {
        format_money(value)
    } else {
        format_quantity(value)
    };
    signed_text(value, text)
}

/// A change as text with its sign: `+` before a positive one.
fn signed_text(value: Decimal, text: String) -> String {
    if value > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

fn order_line_key(line: &OrderLine) -> OrderLineKey {
    OrderLineKey {
        line_number: line.line_number,
        supplier_part_id: line.supplier_part_id.clone(),
        unit: line.unit.clone(),
    }
}

impl Judge<'_> {
    /// Records a reason and returns its action.
    fn apply(
        &mut self,
        rule: OrderRule,
        order_line: Option<u32>,
        line_ref: Option<&str>,
        values: Option<(String, String)>,
        what: String,
    ) -> RuleAction {
        let action = self.rules.action(rule);
        let verb = match action {
            RuleAction::Accept => "accepted",
            RuleAction::Hold => "held for review",
            RuleAction::Reject => "rejected",
        };
        let (cart, order) = values.unzip();
        self.reasons.push(Reason {
            rule,
            action,
            order_line,
            line_ref: line_ref.map(str::to_owned),
            cart,
            order,
            message: format!("{what}: {verb} (rule `orders.{}`)", rule.profile_key()),
        });
        action
    }

    /// The result for one cart line and the order lines that matched it.
    fn cart_line(
        &mut self,
        index: usize,
        sent: &SentLine,
        matches: &Matches,
        order: &PurchaseOrder,
        ordered: &[OrderedAmounts],
        cart_currency: &str,
    ) -> Result<LineReconciliation> {
        let matched = matches.by_cart.get(index).map(Vec::as_slice).unwrap_or(&[]);
        let matched_by = matched
            .first()
            .and_then(|&first| matches.by_order.get(first).copied().flatten())
            .map(|(_, how)| how);
        let cart_line = Some(CartLineKey {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            line_ref: sent.shop_line_ref.to_owned(),
            sku: sent.sku.to_owned(),
        });
        let reference = sent.shop_line_ref;
        if matched.is_empty() {
            let action = self.apply(
                OrderRule::DroppedLine,
                None,
                Some(reference),
                None,
                format!(
                    "cart line `{}` (`{}`) is not in the order",
                    shorten(reference),
                    shorten(&sent.part_id)
                ),
            );
            return Ok(LineReconciliation {
                outcome: LineOutcome::Dropped,
                cart_line,
                order_lines: Vec::new(),
                matched_by: None,
                differences: Vec::new(),
                action,
                message: format!(
                    "cart line `{}` (`{}`, {} {}) was dropped from the order",
                    shorten(reference),
                    shorten(&sent.part_id),
                    format_quantity(sent.quantity),
                    shorten(&sent.unit)
                ),
            });
        }
        let mut action = RuleAction::Accept;
        let mut differences = Vec::new();
        let lines: Vec<(&OrderLine, &OrderedAmounts)> = matched
            .iter()
            .filter_map(|&i| order.lines.get(i).zip(ordered.get(i)))
            .collect();
        // Price, unit and currency per order line.
        for (line, amounts) in &lines {
            let number = line.line_number;
            let at = format!(
                "order line {number} (`{}`)",
                shorten(&line.supplier_part_id)
            );
            if line.unit.trim() != sent.unit {
                let (cart, ordered) = (sent.unit.to_string(), line.unit.trim().to_owned());
                let message = format!(
                    "{at}: unit `{}` in the cart, `{}` in the order",
                    shorten(&cart),
                    shorten(&ordered)
                );
                action = action.max(self.apply(
                    OrderRule::UnitChange,
                    Some(number),
                    Some(reference),
                    Some((cart.clone(), ordered.clone())),
                    message.clone(),
                ));
                differences.push(Difference {
                    field: DifferenceField::Unit,
                    order_lines: vec![number],
                    cart,
                    order: ordered,
                    change: None,
                    change_percent: None,
                    message,
                });
            }
            let Some((price, currency)) = &amounts.unit_price else {
                continue;
            };
            if currency != cart_currency {
                let message = format!(
                    "{at}: currency `{}` in the cart, `{}` in the order (prices not compared)",
                    shorten(cart_currency),
                    shorten(currency)
                );
                action = action.max(self.apply(
                    OrderRule::CurrencyChange,
                    Some(number),
                    Some(reference),
                    Some((cart_currency.to_owned(), currency.clone())),
                    message.clone(),
                ));
                differences.push(Difference {
                    field: DifferenceField::Currency,
                    order_lines: vec![number],
                    cart: cart_currency.to_owned(),
                    order: currency.clone(),
                    change: None,
                    change_percent: None,
                    message,
                });
                continue;
            }
            if *price != sent.unit_price {
                let change = price.checked_sub(sent.unit_price).ok_or_else(overflow)?;
                let percent = if sent.unit_price.is_zero() {
                    None
                } else {
                    change
                        .checked_mul(Decimal::ONE_HUNDRED)
                        .and_then(|scaled| scaled.checked_div(sent.unit_price))
                        .map(|percent| {
                            percent
                                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                        })
                };
                let (cart, ordered) = (format_money(sent.unit_price), format_money(*price));
                let change_text = signed(change, true);
                let percent_text = percent.map(|mut percent| {
                    percent.rescale(2);
                    signed_text(percent, percent.to_string())
                });
                let message = format!(
                    "{at}: unit price `{cart}` {} in the cart, `{ordered}` in the order ({change_text}{})",
                    shorten(cart_currency),
                    percent_text
                        .as_ref()
                        .map(|text| format!(", {text} %"))
                        .unwrap_or_default()
                );
                let rule = if self.rules.price_within_tolerance(sent.unit_price, *price) {
                    OrderRule::PriceTolerance
                } else if change > Decimal::ZERO {
                    OrderRule::PriceIncrease
                } else {
                    OrderRule::PriceDecrease
                };
                action = action.max(self.apply(
                    rule,
                    Some(number),
                    Some(reference),
                    Some((cart.clone(), ordered.clone())),
                    message.clone(),
                ));
                differences.push(Difference {
                    field: DifferenceField::UnitPrice,
                    order_lines: vec![number],
                    cart,
                    order: ordered,
                    change: Some(change_text),
                    change_percent: percent_text,
                    message,
                });
            }
        }
        // Quantity: of the one line, or summed over several.
        let mut quantity = Decimal::ZERO;
        for (_, amounts) in &lines {
            quantity = quantity
                .checked_add(amounts.quantity)
                .ok_or_else(overflow)?;
        }
        let numbers: Vec<u32> = lines.iter().map(|(line, _)| line.line_number).collect();
        let several = lines.len() > 1;
        let listed = numbers
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let outcome = if several && quantity == sent.quantity {
            let what = format!(
                "cart line `{}` is split over order lines {listed}, {} {} in all",
                shorten(reference),
                format_quantity(quantity),
                shorten(&sent.unit)
            );
            action =
                action.max(self.apply(OrderRule::SplitLine, None, Some(reference), None, what));
            LineOutcome::Split
        } else {
            if several {
                let what = format!(
                    "cart line `{}` is ordered on several lines ({listed}) that do not add up to its quantity",
                    shorten(reference)
                );
                action = action.max(self.apply(
                    OrderRule::RepeatedLine,
                    None,
                    Some(reference),
                    Some((format_quantity(sent.quantity), format_quantity(quantity))),
                    what,
                ));
            }
            if quantity != sent.quantity {
                let change = quantity.checked_sub(sent.quantity).ok_or_else(overflow)?;
                let (cart, ordered) = (format_quantity(sent.quantity), format_quantity(quantity));
                let change_text = signed(change, false);
                let message = if several {
                    format!(
                        "order lines {listed} (`{}`): quantity `{cart}` in the cart, `{ordered}` in the order in all ({change_text})",
                        shorten(&sent.part_id)
                    )
                } else {
                    format!(
                        "order line {listed} (`{}`): quantity `{cart}` in the cart, `{ordered}` in the order ({change_text})",
                        shorten(&sent.part_id)
                    )
                };
                let rule = if change > Decimal::ZERO {
                    OrderRule::QuantityIncrease
                } else {
                    OrderRule::QuantityDecrease
                };
                action = action.max(self.apply(
                    rule,
                    (!several).then_some(numbers.first().copied()).flatten(),
                    Some(reference),
                    Some((cart.clone(), ordered.clone())),
                    message.clone(),
                ));
                differences.push(Difference {
                    field: DifferenceField::Quantity,
                    order_lines: numbers.clone(),
                    cart,
                    order: ordered,
                    change: Some(change_text),
                    change_percent: None,
                    message,
                });
            }
            if several {
                LineOutcome::Repeated
            } else if differences.is_empty() {
                LineOutcome::Unchanged
            } else {
                LineOutcome::Changed
            }
        };
        let message = match outcome {
            LineOutcome::Unchanged => format!(
                "order line {listed} is cart line `{}` unchanged",
                shorten(reference)
            ),
            LineOutcome::Changed => format!(
                "order line {listed} changes cart line `{}`: {}",
                shorten(reference),
                differences
                    .iter()
                    .map(|difference| difference.field.describe())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            LineOutcome::Split => format!(
                "order lines {listed} split cart line `{}`",
                shorten(reference)
            ),
            _ => format!(
                "order lines {listed} repeat cart line `{}`",
                shorten(reference)
            ),
        };
        Ok(LineReconciliation {
            outcome,
            cart_line,
            order_lines: lines.iter().map(|(line, _)| order_line_key(line)).collect(),
            matched_by,
            differences,
            action,
            message,
        })
    }

    /// The result for an order line that is not in the cart.
    fn added(&mut self, line: &OrderLine) -> LineReconciliation {
        let what = format!(
            "order line {} (`{}`, {} {}) is not in the cart",
            line.line_number,
            shorten(&line.supplier_part_id),
            shorten(&line.quantity),
            shorten(&line.unit)
        );
        let action = self.apply(
            OrderRule::UnknownItem,
            Some(line.line_number),
            None,
            None,
            what.clone(),
        );
        LineReconciliation {
            outcome: LineOutcome::Added,
            cart_line: None,
            order_lines: vec![order_line_key(line)],
            matched_by: None,
            differences: Vec::new(),
            action,
            message: what,
        }
    }
}

/// A charge as the order states it: the header's, else the sum of the lines' (in the first
/// line charge's currency), else none.
fn order_charge(
    header: Option<&super::Charge>,
    lines: &[OrderLine],
    of_line: impl Fn(&OrderLine) -> Option<&super::Charge>,
    name: &str,
) -> Result<Option<(Decimal, String)>> {
    if let Some(charge) = header {
        let amount = order_net_charge(&charge.money.amount, || format!("/{name}/money/amount"))?;
        return Ok(Some((amount, charge.money.currency.trim().to_owned())));
    }
    let mut sum: Option<(Decimal, String)> = None;
    for (index, line) in lines.iter().enumerate() {
        let Some(charge) = of_line(line) else {
            continue;
        };
        let amount = order_net_charge(&charge.money.amount, || {
            format!("/lines/{index}/{name}/money/amount")
        })?;
        sum = Some(match sum {
            None => (amount, charge.money.currency.trim().to_owned()),
            Some((total, currency)) => (total.checked_add(amount).ok_or_else(overflow)?, currency),
        });
    }
    Ok(sum)
}

/// A cart's shipping or tax.
fn cart_charge(text: Option<&str>, name: &str) -> Result<Option<Decimal>> {
    text.map(|text| {
        parse_cart_amount(text).map_err(|error| {
            Error::new(ErrorCode::InvalidCart, error.message()).at_pointer(format!("/{name}"))
        })
    })
    .transpose()
}

/// An address on one line, for a message.
fn address_line(address: &Address) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !address.name.trim().is_empty() {
        parts.push(address.name.trim());
    }
    parts.extend(address.street.iter().map(|street| street.trim()));
    let place = [address.postal_code.as_deref(), Some(address.city.as_str())]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut text = parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>();
    if !place.is_empty() {
        text.push(place);
    }
    if let Some(state) = address
        .state
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        text.push(state.to_owned());
    }
    if !address.country_code.trim().is_empty() {
        text.push(address.country_code.trim().to_owned());
    }
    shorten(&text.join(", "))
}

/// Text compared as a person reads an address: case, spacing and punctuation at the ends aside.
fn same_text(a: &str, b: &str) -> bool {
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

/// The parts of the delivery address that differ; the name and recipients are not the address.
fn changed_address_parts(setup: &Address, order: &Address) -> Vec<AddressPart> {
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (&setup.address_id, &order.address_id) {
        if a.trim() != b.trim() {
            parts.push(AddressPart::AddressId);
        }
    }
    let street = |address: &Address| address.street.join(" ");
    if !same_text(&street(setup), &street(order)) {
        parts.push(AddressPart::Street);
    }
    if !same_text(&setup.city, &order.city) {
        parts.push(AddressPart::City);
    }
    let optional = |text: &Option<String>| text.clone().unwrap_or_default();
    if !same_text(&optional(&setup.state), &optional(&order.state)) {
        parts.push(AddressPart::State);
    }
    if !same_text(&optional(&setup.postal_code), &optional(&order.postal_code)) {
        parts.push(AddressPart::PostalCode);
    }
    if !same_text(&setup.country_code, &order.country_code) {
        parts.push(AddressPart::Country);
    }
    parts
}

impl Judge<'_> {
    /// Records a header finding and its reason.
    fn finding(
        &mut self,
        findings: &mut Vec<HeaderFinding>,
        rule: OrderRule,
        mut finding: HeaderFinding,
    ) {
        let values = match finding.kind {
            HeaderFindingKind::TotalMismatch => finding.order.clone().zip(finding.computed.clone()),
            _ => Some((
                finding.cart.clone().unwrap_or_else(|| "none".to_owned()),
                finding.order.clone().unwrap_or_else(|| "none".to_owned()),
            )),
        };
        finding.action = self.apply(rule, None, None, values, finding.message.clone());
        findings.push(finding);
    }

    /// The header's findings and the order's totals.
    fn header(
        &mut self,
        order: &PurchaseOrder,
        cart: &Cart,
        session: Option<&Session>,
        ordered: &[OrderedAmounts],
        sent: &[SentLine],
        matches: &Matches,
    ) -> Result<(Vec<HeaderFinding>, Option<Totals>)> {
        let mut findings = Vec::new();
        let blank = |kind| HeaderFinding {
            kind,
            cart: None,
            order: None,
            computed: None,
            parts: Vec::new(),
            action: RuleAction::Accept,
            message: String::new(),
        };
        let currency = order.currency.trim();
        if currency != cart.currency {
            self.finding(
                &mut findings,
                OrderRule::CurrencyChange,
                HeaderFinding {
                    cart: Some(cart.currency.clone()),
                    order: Some(currency.to_owned()),
                    message: format!(
                        "the order is in `{}`, the cart was in `{}`",
                        shorten(currency),
                        shorten(&cart.currency)
                    ),
                    ..blank(HeaderFindingKind::CurrencyChanged)
                },
            );
        }
        let shipping = order_charge(
            order.shipping.as_ref(),
            &order.lines,
            |line| line.shipping.as_ref(),
            "shipping",
        )?;
        let tax = order_charge(
            order.tax.as_ref(),
            &order.lines,
            |line| line.tax.as_ref(),
            "tax",
        )?;
        for (name, kind, rule, cart_value, order_value) in [
            (
                "shipping",
                HeaderFindingKind::ShippingChanged,
                OrderRule::ShippingChange,
                cart_charge(cart.shipping.as_deref(), "shipping")?,
                &shipping,
            ),
            (
                "tax",
                HeaderFindingKind::TaxChanged,
                OrderRule::TaxChange,
                cart_charge(cart.tax.as_deref(), "tax")?,
                &tax,
            ),
        ] {
            let other_currency = order_value
                .as_ref()
                .is_some_and(|(_, currency)| *currency != cart.currency);
            let order_amount = order_value.as_ref().map(|(amount, _)| *amount);
            // No charge and a charge of zero are the same.
            if !other_currency && cart_value.unwrap_or_default() == order_amount.unwrap_or_default()
            {
                continue;
            }
            let show = |amount: Option<Decimal>, currency: &str| {
                amount.map_or_else(
                    || "none".to_owned(),
                    |amount| format!("`{}` {}", format_money(amount), shorten(currency)),
                )
            };
            let order_currency = order_value
                .as_ref()
                .map_or(cart.currency.as_str(), |(_, currency)| currency.as_str());
            self.finding(
                &mut findings,
                rule,
                HeaderFinding {
                    cart: cart_value.map(format_money),
                    order: order_amount.map(format_money),
                    message: format!(
                        "{name} {} in the cart, {} in the order",
                        show(cart_value, &cart.currency),
                        show(order_amount, order_currency)
                    ),
                    ..blank(kind)
                },
            );
        }
        let totals = self.totals(
            order,
            ordered,
            sent,
            matches,
            shipping.as_ref(),
            tax.as_ref(),
        )?;
        if let Some((totals, adds_up)) = &totals {
            if !adds_up {
                self.finding(
                    &mut findings,
                    OrderRule::TotalMismatch,
                    HeaderFinding {
                        order: Some(totals.stated.clone()),
                        computed: Some(totals.computed.clone()),
                        message: format!(
                            "the order states a total of `{}` {}, its lines add up to `{}` and with shipping and tax to `{}`",
                            totals.stated,
                            shorten(&totals.currency),
                            totals.items,
                            totals.computed
                        ),
                        ..blank(HeaderFindingKind::TotalMismatch)
                    },
                );
            }
        }
        let order_ship_to = order
            .ship_to
            .as_ref()
            .or_else(|| order.lines.iter().find_map(|line| line.ship_to.as_ref()));
        if let (Some(setup), Some(ordered_to)) = (
            session.and_then(|session| session.ship_to.as_ref()),
            order_ship_to,
        ) {
            let parts = changed_address_parts(setup, ordered_to);
            if !parts.is_empty() {
                let (cart_text, order_text) = (address_line(setup), address_line(ordered_to));
                self.finding(
                    &mut findings,
                    OrderRule::ShipToChange,
                    HeaderFinding {
                        message: format!(
                            "the order ships to `{order_text}`, the setup request named `{cart_text}`"
                        ),
                        cart: Some(cart_text),
                        order: Some(order_text),
                        parts,
                        ..blank(HeaderFindingKind::ShipToChanged)
                    },
                );
            }
        }
        Ok((findings, totals.map(|(totals, _)| totals)))
    }

    /// The order's totals, and whether the stated one adds up: it equals the lines' sum, or that
    /// sum plus shipping and tax (buyers differ in which they state), after rounding to the
    /// stated total's decimals (at least two, half away from zero) and within the profile's
    /// `total_tolerance`. `None` when a line has no price in the order nor in the cart.
    fn totals(
        &self,
        order: &PurchaseOrder,
        ordered: &[OrderedAmounts],
        sent: &[SentLine],
        matches: &Matches,
        shipping: Option<&(Decimal, String)>,
        tax: Option<&(Decimal, String)>,
    ) -> Result<Option<(Totals, bool)>> {
        let mut items = Decimal::ZERO;
        for (index, amounts) in ordered.iter().enumerate() {
            let price = match &amounts.unit_price {
                Some((price, _)) => *price,
                None => {
                    let cart_price = matches
                        .by_order
                        .get(index)
                        .copied()
                        .flatten()
                        .and_then(|(cart_index, _)| sent.get(cart_index))
                        .map(|line| line.unit_price);
                    match cart_price {
                        Some(price) => price,
                        None => return Ok(None),
                    }
                }
            };
            let amount = amounts.quantity.checked_mul(price).ok_or_else(overflow)?;
            items = items.checked_add(amount).ok_or_else(overflow)?;
        }
        let charges = shipping
            .map(|(amount, _)| *amount)
            .unwrap_or_default()
            .checked_add(tax.map(|(amount, _)| *amount).unwrap_or_default())
            .ok_or_else(overflow)?;
        let computed = items.checked_add(charges).ok_or_else(overflow)?;
        let stated = order_amount(&order.total.amount, || "/total/amount".to_owned())?;
        let decimals = stated.scale().max(2);
        let tolerance = self.rules.total_tolerance();
        let adds_up = [computed, items].into_iter().any(|sum| {
            let rounded =
                sum.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
            rounded
                .checked_sub(stated)
                .is_some_and(|difference| difference.abs() <= tolerance)
        });
        Ok(Some((
            Totals {
                currency: order.total.currency.trim().to_owned(),
                items: format_money(items),
                shipping: shipping.map(|(amount, _)| format_money(*amount)),
                tax: tax.map(|(amount, _)| format_money(*amount)),
                computed: format_money(computed),
                stated: format_money(stated),
            },
            adds_up,
        )))
    }
}

fn overflow() -> Error {
    Error::new(
        ErrorCode::InvalidValue,
        "the order's amounts are too large to add up",
    )
}

fn cancellation(order: &PurchaseOrder, rules: &CompiledOrderRules) -> Reconciliation {
    let cancelled = order
        .previous_order
        .as_ref()
        .map_or(order.order_id.as_str(), |previous| {
            previous.order_id.as_str()
        });
    let mut judge = Judge {
        rules,
        reasons: Vec::new(),
    };
    let action = judge.apply(
        OrderRule::Cancellation,
        None,
        None,
        None,
        format!("the buyer cancels order `{}`", shorten(cancelled)),
    );
    let verdict = match action {
        RuleAction::Accept => Verdict::Accept,
        RuleAction::Hold => Verdict::Hold,
        RuleAction::Reject => Verdict::Reject,
    };
    let message = match verdict {
        Verdict::Accept | Verdict::AcceptWithChanges => {
            format!("cancel order `{}` as the buyer asks", shorten(cancelled))
        }
        Verdict::Hold => format!(
            "hold: the buyer cancels order `{}`; check what has shipped before cancelling it",
            shorten(cancelled)
        ),
        Verdict::Reject => format!(
            "reject: the buyer cancels order `{}` and the profile refuses cancellations",
            shorten(cancelled)
        ),
    };
    Reconciliation {
        order_id: order.order_id.clone(),
        order_type: order.order_type,
        verdict,
        message,
        lines: Vec::new(),
        header: Vec::new(),
        totals: None,
        reasons: judge.reasons,
    }
}

fn verdict_of(reasons: &[Reason]) -> Verdict {
    match reasons.iter().map(|reason| reason.action).max() {
        None => Verdict::Accept,
        Some(RuleAction::Accept) => Verdict::AcceptWithChanges,
        Some(RuleAction::Hold) => Verdict::Hold,
        Some(RuleAction::Reject) => Verdict::Reject,
    }
}

fn verdict_message(verdict: Verdict, order_id: &str, reasons: &[Reason]) -> String {
    let count = |action: RuleAction| {
        reasons
            .iter()
            .filter(|reason| reason.action == action)
            .count()
    };
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let order = format!("order `{}`", shorten(order_id));
    match verdict {
        Verdict::Accept => format!("accept: {order} is the cart unchanged"),
        Verdict::AcceptWithChanges => format!(
            "accept with changes: {order} differs from the cart by {}, all accepted",
            plural(count(RuleAction::Accept), "change")
        ),
        Verdict::Hold => format!(
            "hold: {order} has {} to review ({} accepted)",
            plural(count(RuleAction::Hold), "finding"),
            count(RuleAction::Accept)
        ),
        Verdict::Reject => format!(
            "reject: {order} has {} the profile refuses ({} held, {} accepted)",
            plural(count(RuleAction::Reject), "finding"),
            count(RuleAction::Hold),
            count(RuleAction::Accept)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CartLine, Credential, SetupOperation};
    use crate::order::{Charge, Money, OrderReference};
    use crate::profile::{ResolvedSecret, Secret};

    /// A cXML buyer whose profile maps the shop's `PCE` to `EA`; `orders` is the `orders`
    /// section (empty for the defaults).
    fn profile(orders: &str) -> BuyerProfile {
        let orders = if orders.is_empty() {
            String::new()
        } else {
            format!(r#", "orders": {orders}"#)
        };
        BuyerProfile::compile(
            &format!(
                r#"{{"id": "acme", "name": "ACME", "protocol": "cxml",
                "authentication": {{"credentials": [{{"domain": "NetworkID", "identity": "AN01"}}],
                                   "shared_secret": {{"secret": "S"}}}},
                "return_urls": ["https://buyer.example/punchout/"],
                "mapping": {{"units": {{"map": {{"PCE": "EA"}}, "default": "EA"}}}}{orders}}}"#
            ),
            &[ResolvedSecret {
                name: "S".into(),
                value: Secret::new("s"),
            }],
        )
        .unwrap()
    }

    fn cart_line(line_ref: &str, sku: &str, quantity: &str, price: &str, unit: &str) -> CartLine {
        CartLine {
            line_ref: line_ref.into(),
            sku: sku.into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            unit: unit.into(),
            description: format!("product {sku}"),
            attributes: Vec::new(),
        }
    }

    fn cart(lines: Vec<CartLine>) -> Cart {
        Cart {
            currency: "EUR".into(),
            lines,
            shipping: None,
            tax: None,
        }
    }

    fn eur(amount: &str) -> Money {
        Money {
            amount: amount.into(),
            currency: "EUR".into(),
        }
    }

    fn line(
        number: u32,
        part: &str,
        reference: Option<&str>,
        quantity: &str,
        price: &str,
        unit: &str,
    ) -> OrderLine {
        OrderLine {
            line_number: number,
            quantity: quantity.into(),
            supplier_part_id: part.into(),
            supplier_part_auxiliary_id: reference.map(str::to_owned),
            unit: unit.into(),
            shop_unit: None,
            unit_price: Some(eur(price)),
            description: None,
            classification: None,
            manufacturer_part_id: None,
            manufacturer_name: None,
            requested_delivery_date: None,
            ship_to: None,
            shipping: None,
            tax: None,
            distributions: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
        }
    }

    /// An order of `lines` whose stated total is their sum.
    fn order(lines: Vec<OrderLine>) -> PurchaseOrder {
        let mut total = Decimal::ZERO;
        for line in &lines {
            let price: Decimal = line.unit_price.as_ref().unwrap().amount.parse().unwrap();
            total += price * line.quantity.parse::<Decimal>().unwrap();
        }
        let credential = |identity: &str| Credential {
            domain: "NetworkID".into(),
            identity: identity.into(),
        };
        let mut order = PurchaseOrder {
            buyer_id: "acme".into(),
            payload_id: "1@buyer.example".into(),
            order_id: "PO-1".into(),
            order_date: "2026-01-16".into(),
            order_type: OrderType::New,
            order_version: None,
            previous_order: None,
            buyer: credential("AN01"),
            supplier: credential("SHOP"),
            currency: "EUR".into(),
            total: eur(&format_money(total)),
            ship_to: None,
            bill_to: None,
            shipping: None,
            tax: None,
            payment: None,
            contacts: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
            supplier_order_id: None,
            lines,
            content_hash: String::new(),
            idempotency_key: String::new(),
        };
        order.seal();
        order
    }

    /// Cart lines L1 (A, 2 × 10.00 PCE, sent as EA) and L2 (B, 1 × 5.00 EA).
    fn two_line_cart() -> Cart {
        cart(vec![
            cart_line("L1", "A", "2", "10.00", "PCE"),
            cart_line("L2", "B", "1", "5.00", "EA"),
        ])
    }

    fn as_ordered() -> Vec<OrderLine> {
        vec![
            line(1, "A", Some("L1"), "2", "10.00", "EA"),
            line(2, "B", Some("L2"), "1", "5.00", "EA"),
        ]
    }

    fn run(orders: &str, order: &PurchaseOrder, cart: &Cart) -> Reconciliation {
        reconcile(&profile(orders), order, cart, None).unwrap()
    }

    /// The rules that applied: rule, action, order line, line ref, cart value, order value.
    type Applied = (
        OrderRule,
        RuleAction,
        Option<u32>,
        Option<String>,
        Option<String>,
        Option<String>,
    );

    fn applied(result: &Reconciliation) -> Vec<Applied> {
        result
            .reasons
            .iter()
            .map(|reason| {
                (
                    reason.rule,
                    reason.action,
                    reason.order_line,
                    reason.line_ref.clone(),
                    reason.cart.clone(),
                    reason.order.clone(),
                )
            })
            .collect()
    }

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn an_order_that_is_the_cart_is_accepted_unchanged() {
        let result = run("", &order(as_ordered()), &two_line_cart());
        assert_eq!(result.verdict, Verdict::Accept);
        assert_eq!(result.message, "accept: order `PO-1` is the cart unchanged");
        assert_eq!(
            result
                .lines
                .iter()
                .map(|line| (line.outcome, line.matched_by, line.action))
                .collect::<Vec<_>>(),
            [
                (
                    LineOutcome::Unchanged,
                    Some(MatchedBy::LineRef),
                    RuleAction::Accept
                ),
                (
                    LineOutcome::Unchanged,
                    Some(MatchedBy::LineRef),
                    RuleAction::Accept
                ),
            ]
        );
        assert_eq!(
            result.lines[0].message,
            "order line 1 is cart line `L1` unchanged"
        );
        assert!(result.reasons.is_empty() && result.header.is_empty());
        assert_eq!(
            result.totals,
            Some(Totals {
                currency: "EUR".into(),
                items: "25.00".into(),
                shipping: None,
                tax: None,
                computed: "25.00".into(),
                stated: "25.00".into(),
            })
        );
    }

    #[test]
    fn a_raised_quantity_is_changed_and_held() {
        let mut lines = as_ordered();
        lines[0].quantity = "5".into();
        let result = run("", &order(lines), &two_line_cart());
        assert_eq!(result.verdict, Verdict::Hold);
        let first = &result.lines[0];
        assert_eq!(first.outcome, LineOutcome::Changed);
        assert_eq!(first.action, RuleAction::Hold);
        assert_eq!(
            first.differences,
            [Difference {
                field: DifferenceField::Quantity,
                order_lines: vec![1],
                cart: "2".into(),
                order: "5".into(),
                change: some("+3"),
                change_percent: None,
                message: "order line 1 (`A`): quantity `2` in the cart, `5` in the order (+3)"
                    .into(),
            }]
        );
        assert_eq!(
            applied(&result),
            [(
                OrderRule::QuantityIncrease,
                RuleAction::Hold,
                Some(1),
                some("L1"),
                some("2"),
                some("5")
            )]
        );
        assert_eq!(
            result.reasons[0].message,
            "order line 1 (`A`): quantity `2` in the cart, `5` in the order (+3): held for review (rule `orders.quantity_increase`)"
        );
        assert_eq!(
            result.message,
            "hold: order `PO-1` has 1 finding to review (0 accepted)"
        );
    }

    #[test]
    fn a_lowered_quantity_is_accepted_with_changes() {
        let mut lines = as_ordered();
        lines[0].quantity = "1.5".into();
        let result = run("", &order(lines), &two_line_cart());
        assert_eq!(result.verdict, Verdict::AcceptWithChanges);
        assert_eq!(
            applied(&result),
            [(
                OrderRule::QuantityDecrease,
                RuleAction::Accept,
                Some(1),
                some("L1"),
                some("2"),
                some("1.5")
            )]
        );
        assert_eq!(
            result.lines[0].differences[0].change.as_deref(),
            Some("-0.5")
        );
        assert_eq!(
            result.message,
            "accept with changes: order `PO-1` differs from the cart by 1 change, all accepted"
        );
    }

    #[test]
    fn prices_up_are_held_down_accepted_and_within_tolerance_accepted() {
        let mut lines = as_ordered();
        lines[0].unit_price = Some(eur("11.00"));
        lines[1].unit_price = Some(eur("4.50"));
        let result = run("", &order(lines.clone()), &two_line_cart());
        assert_eq!(result.verdict, Verdict::Hold);
        assert_eq!(
            result.lines[0].differences,
            [Difference {
                field: DifferenceField::UnitPrice,
                order_lines: vec![1],
                cart: "10.00".into(),
                order: "11.00".into(),
                change: some("+1.00"),
                change_percent: some("+10.00"),
                message: "order line 1 (`A`): unit price `10.00` EUR in the cart, `11.00` in the order (+1.00, +10.00 %)".into(),
            }]
        );
        assert_eq!(
            result.lines[1].differences[0].change.as_deref(),
            Some("-0.50")
        );
        assert_eq!(
            result.lines[1].differences[0].change_percent.as_deref(),
            Some("-10.00")
        );
        assert_eq!(
            applied(&result),
            [
                (
                    OrderRule::PriceIncrease,
                    RuleAction::Hold,
                    Some(1),
                    some("L1"),
                    some("10.00"),
                    some("11.00")
                ),
                (
                    OrderRule::PriceDecrease,
                    RuleAction::Accept,
                    Some(2),
                    some("L2"),
                    some("5.00"),
                    some("4.50")
                ),
            ]
        );
        // Within 10 % and 1.00 both changes are tolerated.
        let tolerant = run(
            r#"{"price_tolerance": {"amount": "1.00", "percent": "10"}}"#,
            &order(lines),
            &two_line_cart(),
        );
        assert_eq!(tolerant.verdict, Verdict::AcceptWithChanges);
        assert_eq!(
            applied(&tolerant)
                .into_iter()
                .map(|(rule, action, ..)| (rule, action))
                .collect::<Vec<_>>(),
            [
                (OrderRule::PriceTolerance, RuleAction::Accept),
                (OrderRule::PriceTolerance, RuleAction::Accept),
            ]
        );
    }

    #[test]
    fn another_unit_on_the_referenced_line_is_held_with_both_codes_as_sent() {
        let mut lines = as_ordered();
        lines[0].unit = "BX".into();
        let result = run("", &order(lines), &two_line_cart());
        assert_eq!(result.verdict, Verdict::Hold);
        let first = &result.lines[0];
        assert_eq!(first.matched_by, Some(MatchedBy::LineRef));
        assert_eq!(first.differences[0].field, DifferenceField::Unit);
        // The cart's `PCE` went to the buyer as `EA`.
        assert_eq!(
            (
                first.differences[0].cart.as_str(),
                first.differences[0].order.as_str()
            ),
            ("EA", "BX")
        );
        assert_eq!(
            applied(&result),
            [(
                OrderRule::UnitChange,
                RuleAction::Hold,
                Some(1),
                some("L1"),
                some("EA"),
                some("BX")
            )]
        );
    }

    #[test]
    fn another_currency_is_rejected_on_the_line_and_in_the_header() {
        let mut lines = as_ordered();
        lines[1].unit_price = Some(Money {
            amount: "5.00".into(),
            currency: "USD".into(),
        });
        let mut usd = order(lines);
        usd.currency = "USD".into();
        let result = run("", &usd, &two_line_cart());
        assert_eq!(result.verdict, Verdict::Reject);
        assert_eq!(
            result.lines[1].differences[0].message,
            "order line 2 (`B`): currency `EUR` in the cart, `USD` in the order (prices not compared)"
        );
        assert_eq!(
            result.header,
            [HeaderFinding {
                kind: HeaderFindingKind::CurrencyChanged,
                cart: some("EUR"),
                order: some("USD"),
                computed: None,
                parts: Vec::new(),
                action: RuleAction::Reject,
                message: "the order is in `USD`, the cart was in `EUR`".into(),
            }]
        );
        assert_eq!(
            applied(&result),
            [
                (
                    OrderRule::CurrencyChange,
                    RuleAction::Reject,
                    Some(2),
                    some("L2"),
                    some("EUR"),
                    some("USD")
                ),
                (
                    OrderRule::CurrencyChange,
                    RuleAction::Reject,
                    None,
                    None,
                    some("EUR"),
                    some("USD")
                ),
            ]
        );
    }

    #[test]
    fn a_dropped_line_is_accepted_with_changes() {
        let result = run("", &order(vec![as_ordered().remove(0)]), &two_line_cart());
        assert_eq!(result.verdict, Verdict::AcceptWithChanges);
        let dropped = &result.lines[1];
        assert_eq!(dropped.outcome, LineOutcome::Dropped);
        assert_eq!(
            dropped.cart_line,
            Some(CartLineKey {
                index: 1,
                line_ref: "L2".into(),
                sku: "B".into()
            })
        );
        assert!(dropped.order_lines.is_empty());
        assert_eq!(
            dropped.message,
            "cart line `L2` (`B`, 1 EA) was dropped from the order"
        );
        assert_eq!(
            applied(&result),
            [(
                OrderRule::DroppedLine,
                RuleAction::Accept,
                None,
                some("L2"),
                None,
                None
            )]
        );
    }

    #[test]
    fn an_item_not_in_the_cart_is_added_and_rejected() {
        let mut lines = as_ordered();
        lines.push(line(3, "Z-9", None, "4", "1.00", "EA"));
        let result = run("", &order(lines), &two_line_cart());
        assert_eq!(result.verdict, Verdict::Reject);
        let added = &result.lines[2];
        assert_eq!(added.outcome, LineOutcome::Added);
        assert_eq!(added.cart_line, None);
        assert_eq!(
            added.order_lines,
            [OrderLineKey {
                line_number: 3,
                supplier_part_id: "Z-9".into(),
                unit: "EA".into()
            }]
        );
        assert_eq!(
            added.message,
            "order line 3 (`Z-9`, 4 EA) is not in the cart"
        );
        assert_eq!(
            applied(&result),
            [(
                OrderRule::UnknownItem,
                RuleAction::Reject,
                Some(3),
                None,
                None,
                None
            )]
        );
        assert_eq!(
            result.message,
            "reject: order `PO-1` has 1 finding the profile refuses (0 held, 0 accepted)"
        );
    }

    #[test]
    fn a_line_split_over_lines_that_add_up_is_accepted() {
        let lines = vec![
            line(1, "A", Some("L1"), "1", "10.00", "EA"),
            line(2, "B", Some("L2"), "1", "5.00", "EA"),
            line(3, "A", Some("L1"), "1", "10.00", "EA"),
        ];
        let result = run("", &order(lines), &two_line_cart());
        assert_eq!(result.verdict, Verdict::AcceptWithChanges);
        let split = &result.lines[0];
        assert_eq!(split.outcome, LineOutcome::Split);
        assert_eq!(
            split
                .order_lines
                .iter()
                .map(|key| key.line_number)
                .collect::<Vec<_>>(),
            [1, 3]
        );
        assert!(split.differences.is_empty());
        assert_eq!(split.message, "order lines 1, 3 split cart line `L1`");
        assert_eq!(
            applied(&result),
            [(
                OrderRule::SplitLine,
                RuleAction::Accept,
                None,
                some("L1"),
                None,
                None
            )]
        );
    }

    #[test]
    fn a_line_repeated_with_more_in_all_is_held_with_the_summed_quantity() {
        let lines = vec![
            line(1, "A", None, "2", "10.00", "EA"),
            line(2, "B", Some("L2"), "1", "5.00", "EA"),
            line(3, "A", None, "2", "10.00", "EA"),
        ];
        let result = run("", &order(lines), &two_line_cart());
        assert_eq!(result.verdict, Verdict::Hold);
        let repeated = &result.lines[0];
        assert_eq!(repeated.outcome, LineOutcome::Repeated);
        assert_eq!(repeated.matched_by, Some(MatchedBy::SkuAndUnit));
        assert_eq!(
            repeated.differences,
            [Difference {
                field: DifferenceField::Quantity,
                order_lines: vec![1, 3],
                cart: "2".into(),
                order: "4".into(),
                change: some("+2"),
                change_percent: None,
                message:
                    "order lines 1, 3 (`A`): quantity `2` in the cart, `4` in the order in all (+2)"
                        .into(),
            }]
        );
        assert_eq!(
            applied(&result),
            [
                (
                    OrderRule::RepeatedLine,
                    RuleAction::Hold,
                    None,
                    some("L1"),
                    some("2"),
                    some("4")
                ),
                (
                    OrderRule::QuantityIncrease,
                    RuleAction::Hold,
                    None,
                    some("L1"),
                    some("2"),
                    some("4")
                ),
            ]
        );
    }

    #[test]
    fn a_total_that_does_not_add_up_is_held_with_stated_and_computed() {
        let mut wrong = order(as_ordered());
        wrong.total = eur("30.00");
        let result = run("", &wrong, &two_line_cart());
        assert_eq!(result.verdict, Verdict::Hold);
        assert_eq!(
            result.header,
            [HeaderFinding {
                kind: HeaderFindingKind::TotalMismatch,
                cart: None,
                order: some("30.00"),
                computed: some("25.00"),
                parts: Vec::new(),
                action: RuleAction::Hold,
                message: "the order states a total of `30.00` EUR, its lines add up to `25.00` and with shipping and tax to `25.00`".into(),
            }]
        );
        assert_eq!(
            applied(&result),
            [(
                OrderRule::TotalMismatch,
                RuleAction::Hold,
                None,
                None,
                some("30.00"),
                some("25.00")
            )]
        );
        // Within the profile's tolerance it adds up.
        let tolerant = run(r#"{"total_tolerance": "5"}"#, &wrong, &two_line_cart());
        assert_eq!(tolerant.verdict, Verdict::Accept);
    }

    #[test]
    fn a_total_adds_up_with_or_without_shipping_and_tax_after_rounding() {
        let mut cart = two_line_cart();
        cart.shipping = Some("4.00".into());
        cart.tax = Some("1.00".into());
        let mut with_charges = order(vec![
            line(1, "A", Some("L1"), "2", "10.00", "EA"),
            line(2, "B", Some("L2"), "1", "5.00", "EA"),
        ]);
        with_charges.shipping = Some(Charge {
            money: eur("4.00"),
            description: None,
        });
        with_charges.tax = Some(Charge {
            money: eur("1.00"),
            description: None,
        });
        for stated in ["25.00", "30.00"] {
            with_charges.total = eur(stated);
            let result = run("", &with_charges, &cart);
            assert_eq!(
                result.verdict,
                Verdict::Accept,
                "{stated}: {:?}",
                result.reasons
            );
        }
        with_charges.total = eur("29.99");
        assert_eq!(run("", &with_charges, &cart).verdict, Verdict::Hold);
        // Three at 0.333 are 0.999, stated as 1.00.
        let thirds = cart_line("L1", "A", "3", "0.333", "EA");
        let mut rounded = order(vec![line(1, "A", Some("L1"), "3", "0.333", "EA")]);
        rounded.total = eur("1.00");
        assert_eq!(
            run("", &rounded, &self::cart(vec![thirds])).verdict,
            Verdict::Accept
        );
    }

    #[test]
    fn changed_shipping_and_tax_are_held_with_both_amounts() {
        let mut cart = two_line_cart();
        cart.shipping = Some("4.00".into());
        let mut changed = order(as_ordered());
        changed.shipping = Some(Charge {
            money: eur("6.50"),
            description: None,
        });
        changed.tax = Some(Charge {
            money: eur("4.75"),
            description: None,
        });
        changed.total = eur("36.25");
        let result = run("", &changed, &cart);
        assert_eq!(result.verdict, Verdict::Hold);
        assert_eq!(
            result
                .header
                .iter()
                .map(|finding| (
                    finding.kind,
                    finding.cart.clone(),
                    finding.order.clone(),
                    finding.message.as_str()
                ))
                .collect::<Vec<_>>(),
            [
                (
                    HeaderFindingKind::ShippingChanged,
                    some("4.00"),
                    some("6.50"),
                    "shipping `4.00` EUR in the cart, `6.50` EUR in the order"
                ),
                (
                    HeaderFindingKind::TaxChanged,
                    None,
                    some("4.75"),
                    "tax none in the cart, `4.75` EUR in the order"
                ),
            ]
        );
        assert_eq!(
            applied(&result),
            [
                (
                    OrderRule::ShippingChange,
                    RuleAction::Hold,
                    None,
                    None,
                    some("4.00"),
                    some("6.50")
                ),
                (
                    OrderRule::TaxChange,
                    RuleAction::Hold,
                    None,
                    None,
                    some("none"),
                    some("4.75")
                ),
            ]
        );
        // Shipping given on the lines only is their sum.
        let mut per_line = order(as_ordered());
        for ordered in &mut per_line.lines {
            ordered.shipping = Some(Charge {
                money: eur("2.00"),
                description: None,
            });
        }
        per_line.total = eur("29.00");
        let result = run("", &per_line, &cart);
        assert_eq!(result.verdict, Verdict::Accept, "{:?}", result.reasons);
    }

    fn address(street: &str, city: &str) -> Address {
        Address {
            name: "Buyer HQ".into(),
            address_id: Some("HQ".into()),
            street: vec![street.into()],
            city: city.into(),
            postal_code: Some("10115".into()),
            country_code: "DE".into(),
            ..Address::default()
        }
    }

    fn session(ship_to: Option<Address>) -> Session {
        Session {
            buyer_id: "acme".into(),
            operation: SetupOperation::Create,
            buyer_cookie: "c".into(),
            return_url: "https://buyer.example/punchout/r".into(),
            buyer: Credential {
                domain: "NetworkID".into(),
                identity: "AN01".into(),
            },
            supplier: Credential {
                domain: "DUNS".into(),
                identity: "1".into(),
            },
            request_payload_id: "p".into(),
            user_name: None,
            user_email: None,
            extrinsics: Vec::new(),
            ship_to,
            selected_item: None,
            supplier_setup_url: None,
            items: Vec::new(),
            start_token: None,
        }
    }

    #[test]
    fn a_ship_to_other_than_the_setup_requests_is_held_naming_the_parts() {
        let setup = session(Some(address("Hauptstr. 1", "Berlin")));
        let mut moved = order(as_ordered());
        // Spacing and case are not a change.
        moved.ship_to = Some(address("hauptstr.  1", "BERLIN"));
        let same = reconcile(&profile(""), &moved, &two_line_cart(), Some(&setup)).unwrap();
        assert_eq!(same.verdict, Verdict::Accept);
        moved.ship_to = Some(address("Lindenweg 5", "Potsdam"));
        let result = reconcile(&profile(""), &moved, &two_line_cart(), Some(&setup)).unwrap();
        assert_eq!(result.verdict, Verdict::Hold);
        assert_eq!(
            result.header,
            [HeaderFinding {
                kind: HeaderFindingKind::ShipToChanged,
                cart: some("Buyer HQ, Hauptstr. 1, 10115 Berlin, DE"),
                order: some("Buyer HQ, Lindenweg 5, 10115 Potsdam, DE"),
                computed: None,
                parts: vec![AddressPart::Street, AddressPart::City],
                action: RuleAction::Hold,
                message: "the order ships to `Buyer HQ, Lindenweg 5, 10115 Potsdam, DE`, the setup request named `Buyer HQ, Hauptstr. 1, 10115 Berlin, DE`".into(),
            }]
        );
        // Without the session's address, nothing to compare.
        let unknown =
            reconcile(&profile(""), &moved, &two_line_cart(), Some(&session(None))).unwrap();
        assert_eq!(unknown.verdict, Verdict::Accept);
    }

    #[test]
    fn a_cancellation_is_judged_by_its_rule_alone() {
        let mut delete = order(as_ordered());
        delete.order_type = OrderType::Delete;
        delete.previous_order = Some(OrderReference {
            order_id: "PO-0".into(),
            payload_id: None,
            order_date: None,
        });
        // The cart is not compared: an empty one changes nothing.
        let result = run("", &delete, &cart(Vec::new()));
        assert_eq!(result.verdict, Verdict::Hold);
        assert_eq!(
            result.message,
            "hold: the buyer cancels order `PO-0`; check what has shipped before cancelling it"
        );
        assert!(result.lines.is_empty() && result.header.is_empty() && result.totals.is_none());
        assert_eq!(
            applied(&result),
            [(
                OrderRule::Cancellation,
                RuleAction::Hold,
                None,
                None,
                None,
                None
            )]
        );
        let accepted = run(r#"{"cancellation": "accept"}"#, &delete, &cart(Vec::new()));
        assert_eq!(accepted.verdict, Verdict::Accept);
        assert_eq!(accepted.message, "cancel order `PO-0` as the buyer asks");
        let refused = run(r#"{"cancellation": "reject"}"#, &delete, &cart(Vec::new()));
        assert_eq!(refused.verdict, Verdict::Reject);
    }

    #[test]
    fn the_line_reference_is_matched_before_sku_and_unit() {
        // Two cart lines of the same part and unit; the order references the second.
        let cart = cart(vec![
            cart_line("L1", "A", "2", "10.00", "EA"),
            cart_line("L2", "A", "5", "10.00", "EA"),
        ]);
        let by_reference = order(vec![line(1, "A", Some("L2"), "5", "10.00", "EA")]);
        let result = run("", &by_reference, &cart);
        assert_eq!(
            result
                .lines
                .iter()
                .map(|line| (line.outcome, line.matched_by))
                .collect::<Vec<_>>(),
            [
                (LineOutcome::Dropped, None),
                (LineOutcome::Unchanged, Some(MatchedBy::LineRef)),
            ]
        );
        // Without the reference, the part and unit find the first line, whose quantity differs.
        let by_part = order(vec![line(1, "A", None, "5", "10.00", "EA")]);
        let result = run("", &by_part, &cart);
        assert_eq!(
            result
                .lines
                .iter()
                .map(|line| (line.outcome, line.matched_by))
                .collect::<Vec<_>>(),
            [
                (LineOutcome::Changed, Some(MatchedBy::SkuAndUnit)),
                (LineOutcome::Dropped, None),
            ]
        );
        // A reference on another part is not trusted: the part decides.
        let replaced = order(vec![line(1, "B", Some("L1"), "2", "10.00", "EA")]);
        let result = run("", &replaced, &cart);
        assert_eq!(
            result
                .lines
                .iter()
                .map(|line| line.outcome)
                .collect::<Vec<_>>(),
            [
                LineOutcome::Dropped,
                LineOutcome::Dropped,
                LineOutcome::Added
            ]
        );
    }

    #[test]
    fn a_part_ordered_in_another_unit_without_a_reference_is_a_unit_change() {
        let result = run(
            "",
            &order(vec![
                line(1, "A", None, "2", "10.00", "BX"),
                line(2, "B", None, "1", "5.00", "EA"),
            ]),
            &two_line_cart(),
        );
        assert_eq!(result.lines[0].matched_by, Some(MatchedBy::Sku));
        assert_eq!(result.lines[0].differences[0].field, DifferenceField::Unit);
        assert_eq!(result.lines[1].matched_by, Some(MatchedBy::SkuAndUnit));
        assert_eq!(result.verdict, Verdict::Hold);
    }

    /// A rule's key, the rule, its default action, another action, and an order and cart on
    /// which only that rule applies.
    type RuleCase = (
        &'static str,
        OrderRule,
        RuleAction,
        RuleAction,
        (PurchaseOrder, Cart),
    );

    /// Every rule decides the verdict of its own finding: the default, then the opposite.
    #[test]
    fn each_rule_decides_its_finding() {
        let base = two_line_cart();
        let with = |change: &dyn Fn(&mut PurchaseOrder, &mut Cart)| {
            let mut ordered = order(as_ordered());
            let mut cart = base.clone();
            change(&mut ordered, &mut cart);
            ordered.seal();
            (ordered, cart)
        };
        let cases: Vec<RuleCase> = vec![
            (
                "price_decrease",
                OrderRule::PriceDecrease,
                RuleAction::Accept,
                RuleAction::Reject,
                with(&|o, _| {
                    o.lines[0].unit_price = Some(eur("9.00"));
                    o.total = eur("23.00");
                }),
            ),
            (
                "price_increase",
                OrderRule::PriceIncrease,
                RuleAction::Hold,
                RuleAction::Accept,
                with(&|o, _| {
                    o.lines[0].unit_price = Some(eur("11.00"));
                    o.total = eur("27.00");
                }),
            ),
            (
                "quantity_decrease",
                OrderRule::QuantityDecrease,
                RuleAction::Accept,
                RuleAction::Hold,
                with(&|o, _| {
                    o.lines[0].quantity = "1".into();
                    o.total = eur("15.00");
                }),
            ),
            (
                "quantity_increase",
                OrderRule::QuantityIncrease,
                RuleAction::Hold,
                RuleAction::Accept,
                with(&|o, _| {
                    o.lines[0].quantity = "3".into();
                    o.total = eur("35.00");
                }),
            ),
            (
                "unit_change",
                OrderRule::UnitChange,
                RuleAction::Hold,
                RuleAction::Reject,
                with(&|o, _| o.lines[0].unit = "BX".into()),
            ),
            (
                "currency_change",
                OrderRule::CurrencyChange,
                RuleAction::Reject,
                RuleAction::Hold,
                with(&|_, c| c.currency = "USD".into()),
            ),
            (
                "dropped_line",
                OrderRule::DroppedLine,
                RuleAction::Accept,
                RuleAction::Hold,
                with(&|o, _| {
                    o.lines.pop();
                    o.total = eur("20.00");
                }),
            ),
            (
                "unknown_item",
                OrderRule::UnknownItem,
                RuleAction::Reject,
                RuleAction::Hold,
                with(&|o, _| {
                    o.lines.push(line(3, "Z", None, "1", "0", "EA"));
                }),
            ),
            (
                "split_line",
                OrderRule::SplitLine,
                RuleAction::Accept,
                RuleAction::Hold,
                with(&|o, _| {
                    o.lines[0].quantity = "1".into();
                    o.lines.push(line(3, "A", Some("L1"), "1", "10.00", "EA"));
                }),
            ),
            (
                "repeated_line",
                OrderRule::RepeatedLine,
                RuleAction::Hold,
                RuleAction::Reject,
                with(&|o, _| {
                    o.lines[0].quantity = "1".into();
                    o.lines.push(line(3, "A", Some("L1"), "0.5", "10.00", "EA"));
                    o.total = eur("20.00");
                }),
            ),
            (
                "total_mismatch",
                OrderRule::TotalMismatch,
                RuleAction::Hold,
                RuleAction::Reject,
                with(&|o, _| o.total = eur("99.00")),
            ),
            (
                "shipping_change",
                OrderRule::ShippingChange,
                RuleAction::Hold,
                RuleAction::Accept,
                with(&|_, c| c.shipping = Some("3.00".into())),
            ),
            (
                "tax_change",
                OrderRule::TaxChange,
                RuleAction::Hold,
                RuleAction::Reject,
                with(&|_, c| c.tax = Some("3.00".into())),
            ),
        ];
        for (key, rule, default, other, (ordered, cart)) in cases {
            let verdict_for = |action: RuleAction, changed: bool| match action {
                RuleAction::Accept if changed => Verdict::AcceptWithChanges,
                RuleAction::Accept => Verdict::Accept,
                RuleAction::Hold => Verdict::Hold,
                RuleAction::Reject => Verdict::Reject,
            };
            // Only this rule applies (a repeated line's lower sum is also an accepted decrease).
            let of_rule = |result: &Reconciliation| {
                assert!(
                    result.reasons.iter().all(|reason| reason.rule == rule
                        || (reason.rule == OrderRule::QuantityDecrease
                            && reason.action == RuleAction::Accept)),
                    "{key}: {:?}",
                    result.reasons
                );
                let mut actions: Vec<RuleAction> = result
                    .reasons
                    .iter()
                    .filter(|reason| reason.rule == rule)
                    .map(|reason| reason.action)
                    .collect();
                // A currency is judged on each line and in the header, with one action.
                actions.dedup();
                actions
            };
            let result = run("", &ordered, &cart);
            assert_eq!(of_rule(&result), [default], "{key}");
            assert_eq!(
                result.verdict,
                verdict_for(default, true),
                "{key} by default"
            );
            let result = run(
                &format!(r#"{{"{key}": "{}"}}"#, other.as_str()),
                &ordered,
                &cart,
            );
            assert_eq!(of_rule(&result), [other], "{key}");
            assert_eq!(
                result.verdict,
                verdict_for(other, true),
                "{key} set to {other:?}"
            );
        }
        // The ship-to rule needs the session.
        let setup = session(Some(address("Hauptstr. 1", "Berlin")));
        let mut moved = order(as_ordered());
        moved.ship_to = Some(address("Lindenweg 5", "Berlin"));
        for (orders, verdict) in [
            ("", Verdict::Hold),
            (r#"{"ship_to_change": "reject"}"#, Verdict::Reject),
        ] {
            let result = reconcile(&profile(orders), &moved, &base, Some(&setup)).unwrap();
            assert_eq!(result.verdict, verdict, "{orders}");
            assert_eq!(result.reasons[0].rule, OrderRule::ShipToChange);
        }
    }

    #[test]
    fn the_worst_action_wins() {
        let mut lines = as_ordered();
        lines[0].quantity = "1".into(); // accepted
        lines[1].unit_price = Some(eur("6.00")); // held
        lines.push(line(3, "Z", None, "1", "1.00", "EA")); // rejected
        let mut mixed = order(lines);
        let result = run("", &mixed, &two_line_cart());
        assert_eq!(result.verdict, Verdict::Reject);
        assert_eq!(
            result.message,
            "reject: order `PO-1` has 1 finding the profile refuses (1 held, 1 accepted)"
        );
        mixed.lines.pop();
        mixed.seal();
        let result = run("", &mixed, &two_line_cart());
        assert_eq!(result.verdict, Verdict::Hold);
        assert_eq!(result.lines[0].action, RuleAction::Accept);
        assert_eq!(result.lines[1].action, RuleAction::Hold);
    }

    #[test]
    fn an_empty_cart_makes_every_line_added() {
        let result = run("", &order(as_ordered()), &cart(Vec::new()));
        assert_eq!(
            result
                .lines
                .iter()
                .map(|line| line.outcome)
                .collect::<Vec<_>>(),
            [LineOutcome::Added, LineOutcome::Added]
        );
        assert_eq!(result.verdict, Verdict::Reject);
    }

    #[test]
    fn an_order_line_without_a_price_takes_the_carts_for_the_total() {
        let mut lines = as_ordered();
        lines[1].unit_price = None;
        let mut bare = order(vec![lines[0].clone()]);
        bare.lines = lines;
        bare.total = eur("25.00");
        let result = run("", &bare, &two_line_cart());
        assert_eq!(result.verdict, Verdict::Accept, "{:?}", result.reasons);
        assert_eq!(result.totals.unwrap().items, "25.00");
    }

    #[test]
    fn bad_amounts_and_mismatched_buyers_are_located_errors() {
        let mut bad = order(as_ordered());
        bad.lines[1].quantity = "-2".into();
        let error = reconcile(&profile(""), &bad, &two_line_cart(), None).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidValue);
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/1/quantity")
        );
        assert_eq!(
            error.message(),
            "expected an amount of zero or more, found `-2`"
        );
        let mut bad_cart = two_line_cart();
        bad_cart.lines[0].unit_price = "ten".into();
        let error = reconcile(&profile(""), &order(as_ordered()), &bad_cart, None).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidCart);
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/0/unit_price")
        );
        let mut other_buyer = order(as_ordered());
        other_buyer.buyer_id = "globex".into();
        let error = reconcile(&profile(""), &other_buyer, &two_line_cart(), None).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidProfile);
        assert_eq!(
            error.message(),
            "the order was authenticated for buyer `globex`, not for profile `acme`"
        );
        let mut foreign = session(None);
        foreign.buyer_id = "globex".into();
        let error = reconcile(
            &profile(""),
            &order(as_ordered()),
            &two_line_cart(),
            Some(&foreign),
        )
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidSession);
    }

    #[test]
    fn a_child_profile_inherits_the_orders_section() {
        let base = r#"{"id": "base", "name": "Base", "protocol": "cxml",
            "authentication": {"credentials": [{"domain": "NetworkID", "identity": "AN01"}],
                               "shared_secret": {"secret": "S"}},
            "return_urls": ["https://buyer.example/punchout/"],
            "orders": {"price_increase": "reject", "price_tolerance": {"percent": "1"}}}"#;
        let child = r#"{"extends": "base", "id": "acme", "orders": {"unit_change": "accept"}}"#;
        let merged = crate::profile::resolve_extends(child, &[base.to_owned()]).unwrap();
        let profile = BuyerProfile::compile(
            &merged,
            &[ResolvedSecret {
                name: "S".into(),
                value: Secret::new("s"),
            }],
        )
        .unwrap();
        let rules = profile.order_rules();
        assert_eq!(rules.action(OrderRule::PriceIncrease), RuleAction::Reject);
        assert_eq!(rules.action(OrderRule::UnitChange), RuleAction::Accept);
        assert_eq!(rules.action(OrderRule::QuantityIncrease), RuleAction::Hold);
        assert_eq!(rules.rules().price_tolerance.percent.as_deref(), Some("1"));
    }

    /// A cart of `n` lines of few parts (so that part and unit keys are shared by many lines)
    /// and its order, half the lines referenced, half found by part and unit.
    fn large(n: usize) -> (Cart, PurchaseOrder) {
        let cart = cart(
            (0..n)
                .map(|i| cart_line(&format!("L{i}"), &format!("P{}", i % 10), "1", "2.00", "EA"))
                .collect(),
        );
        let lines = (0..n)
            .map(|i| {
                let reference = format!("L{i}");
                line(
                    u32::try_from(i + 1).unwrap(),
                    &format!("P{}", i % 10),
                    (i % 2 == 0).then_some(reference.as_str()),
                    "1",
                    "2.00",
                    "EA",
                )
            })
            .collect();
        (cart, order(lines))
    }

    #[test]
    fn matching_work_grows_linearly_with_the_lines() {
        let profile = profile("");
        let work = |n| {
            let (cart, order) = large(n);
            let mut probes = 0;
            let result = reconcile_counted(&profile, &order, &cart, None, &mut probes).unwrap();
            assert_eq!(result.verdict, Verdict::Accept);
            assert!(result
                .lines
                .iter()
                .all(|line| line.outcome == LineOutcome::Unchanged));
            probes
        };
        let small = work(1_000);
        let large = work(10_000);
        // Searching the cart for every order line made this 100×.
        assert!(
            large <= small * 11,
            "1 000 lines: {small} probes, 10 000: {large}"
        );
        assert!(large <= 6 * 10_000, "{large}");
    }

    #[test]
    fn a_10_000_line_order_with_changes_everywhere_reconciles() {
        let (cart, mut order) = large(10_000);
        for line in order.lines.iter_mut().step_by(3) {
            line.quantity = "2".into();
        }
        order.lines.truncate(9_000);
        let result = reconcile(&profile(""), &order, &cart, None).unwrap();
        let count = |outcome| {
            result
                .lines
                .iter()
                .filter(|line| line.outcome == outcome)
                .count()
        };
        assert_eq!(count(LineOutcome::Changed), 3_000);
        assert_eq!(count(LineOutcome::Dropped), 1_000);
        assert_eq!(count(LineOutcome::Unchanged), 6_000);
        assert_eq!(result.verdict, Verdict::Hold);
    }

    #[test]
    fn the_result_serializes_with_kebab_case_choices() {
        let mut lines = as_ordered();
        lines[0].quantity = "3".into();
        let mut changed = order(lines);
        changed.lines.pop();
        changed.total = eur("30.00");
        let result = run("", &changed, &two_line_cart());
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "order_id": "PO-1",
                "order_type": "new",
                "verdict": "hold",
                "message": "hold: order `PO-1` has 1 finding to review (1 accepted)",
                "lines": [
                    {
                        "outcome": "changed",
                        "cart_line": {"index": 0, "line_ref": "L1", "sku": "A"},
                        "order_lines": [{"line_number": 1, "supplier_part_id": "A", "unit": "EA"}],
                        "matched_by": "line-ref",
                        "differences": [{
                            "field": "quantity", "order_lines": [1], "cart": "2", "order": "3",
                            "change": "+1",
                            "message": "order line 1 (`A`): quantity `2` in the cart, `3` in the order (+1)"
                        }],
                        "action": "hold",
                        "message": "order line 1 changes cart line `L1`: quantity"
                    },
                    {
                        "outcome": "dropped",
                        "cart_line": {"index": 1, "line_ref": "L2", "sku": "B"},
                        "order_lines": [],
                        "differences": [],
                        "action": "accept",
                        "message": "cart line `L2` (`B`, 1 EA) was dropped from the order"
                    }
                ],
                "header": [],
                "totals": {"currency": "EUR", "items": "30.00", "computed": "30.00", "stated": "30.00"},
                "reasons": [
                    {
                        "rule": "quantity-increase", "action": "hold", "order_line": 1,
                        "line_ref": "L1", "cart": "2", "order": "3",
                        "message": "order line 1 (`A`): quantity `2` in the cart, `3` in the order (+1): held for review (rule `orders.quantity_increase`)"
                    },
                    {
                        "rule": "dropped-line", "action": "accept", "line_ref": "L2",
                        "message": "cart line `L2` (`B`) is not in the order: accepted (rule `orders.dropped_line`)"
                    }
                ]
            })
        );
        let back: Reconciliation = serde_json::from_value(json).unwrap();
        assert_eq!(back, result);
    }
}
