//! What the shop says about an order after it arrived: the [`Confirmation`] (accepted, rejected,
//! changed, backordered), the [`ShipNotice`] (what left the warehouse, with which carrier) and the
//! [`Invoice`] (standard or credit memo). Protocol-neutral: cXML writes them as
//! `ConfirmationRequest`, `ShipNoticeRequest` and `InvoiceDetailRequest`
//! ([`crate::cxml::confirmation`], [`crate::cxml::ship_notice`], [`crate::cxml::invoice`]); the
//! Peppol Order Response can reuse the confirmation.
//!
//! Each is JSON the shop builds from its own records, read against the [`PurchaseOrder`] the
//! engine read (the shop stores it and hands it back). Everything is checked before a document is
//! written ([`Confirmation::check`], [`ShipNotice::check`], [`Invoice::compute`]); a refusal is
//! `invalid-value` located by a JSON pointer into the shop's data (`/lines/2/quantity`), or
//! `limit-exceeded` at `/lines` past the profile's `max_cart_lines`. A problem in the order itself
//! (a quantity that is no decimal, a currency that is not ISO 4217) is `invalid-value` with a
//! message that begins with "the order" and a pointer into the order.
//!
//! Rules every document follows:
//! - Line numbers are the order's (`lineNumber` in cXML); quantities are in the order line's unit.
//! - Dates are ISO 8601 date-times with a time zone (`2026-01-20T12:00:00+01:00`), as cXML's
//!   `datetime.tz` requires.
//! - Quantities and amounts are decimals in plain notation with at most
//!   [`crate::limits::MAX_INTEGER_DIGITS`] digits before the point.
//! - Amounts are computed here, rounded to the currency's minor unit half away from zero
//!   ([`super::money`]), never taken from the shop: a line's subtotal is `quantity × unit price`
//!   rounded, its tax `subtotal × rate / 100` rounded, and the totals are the sums of the rounded
//!   line amounts.
//!
//! **Confirmation.** `kind` is `accept` (the whole order as ordered; lines, if any, may only be
//! `accept`), `reject` (the whole order; no lines, say why in `comments`) or `detail` (the lines
//! given change status; lines not mentioned keep theirs). Each entry of `lines` gives a status to
//! a portion of one order line: `accept`, `reject`, `backordered`, or `changed` (accepted with a
//! new `unit_price` or `delivery_date`, at least one of them). A line may appear several times (6
//! accepted, 4 backordered); its portions must then each give their `quantity` and together cover
//! exactly the ordered quantity, as cXML requires. A line that appears once covers the whole
//! ordered quantity unless it gives another. A lower quantity is therefore an `accept` (or
//! `changed`) portion and a `reject` or `backordered` rest; a confirmation cannot raise a
//! quantity. A price is only given with `changed`; a rejected portion has no dates.
//!
//! **Ship notice.** One entry per shipped portion (`line_number`, `quantity` greater than zero).
//! The entries of one line in one notice, plus the line's `already_shipped` (what earlier notices
//! shipped: the shop keeps that count and subtracts; the engine keeps no state), may not exceed
//! the ordered quantity. `fulfilment` says whether this shipment completes the order (`complete`)
//! or more will follow (`partial`). A `carrier` names the carrier and the tracking number.
//!
//! **Invoice.** One entry per invoiced portion: `line_number`, `quantity`, the `unit_price`
//! (the order line's when absent) and the line's `tax` (`category` such as `vat`, `rate` in per
//! cent). The invoice is in the order's currency; `shipping` is an amount with its own optional
//! `tax`. Following cXML (`InvoiceDetail.dtd`: positive amounts are owed by the buyer, negative
//! ones are credit given back), a `standard` invoice has quantities greater than zero and
//! shipping of zero or more, and a `credit_memo` has quantities below zero and shipping of zero
//! or less, with unit prices and tax rates of zero or more in both, so every computed amount
//! carries the sign of the document. A credit memo names the invoice it credits
//! (`original_invoice`); cXML writes it as a line-level credit memo (`lineLevelCreditMemo`),
//! since its lines refer to the order's. The entries of one line may not invoice (or credit) more
//! than was ordered; what earlier invoices covered is the shop's to subtract.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{check_count, parse_cart_amount, InputLimits};
use crate::model::{format_quantity, parse_decimal, shorten};

use super::money::Currency;
use super::{OrderLine, PurchaseOrder};

// ---------------------------------------------------------------------------------------------
// The shop's data
// ---------------------------------------------------------------------------------------------

/// The shop's answer to an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    /// The shop's identifier of this confirmation (cXML `confirmID`).
    pub confirm_id: String,
    /// When the shop confirmed, with a time zone.
    pub notice_date: String,
    pub kind: ConfirmationKind,
    /// A status for portions of order lines (see the module docs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<ConfirmedLine>,
    /// For people: why an order was rejected, terms, clarifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
}

/// What a confirmation says of the whole order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationKind {
    /// The whole order as ordered.
    Accept,
    /// The whole order is refused.
    Reject,
    /// The lines given change status.
    Detail,
}

impl ConfirmationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmationKind::Accept => "accept",
            ConfirmationKind::Reject => "reject",
            ConfirmationKind::Detail => "detail",
        }
    }
}

/// The status of a portion of one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmedLine {
    /// The order line's number.
    pub line_number: u32,
    pub status: LineStatus,
    /// How much of the ordered quantity has this status; the whole ordered quantity when absent
    /// (only for a line that appears once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// The new unit price, in the order's currency (`changed` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// When the goods are expected to arrive, with a time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    /// When the goods are expected to leave the shop, with a time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
}

/// The status of a portion of an order line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Accepted as ordered.
    Accept,
    Reject,
    Backordered,
    /// Accepted with a new price or delivery date.
    Changed,
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Accept => "accept",
            LineStatus::Reject => "reject",
            LineStatus::Backordered => "backordered",
            LineStatus::Changed => "changed",
        }
    }
}

/// A shipment of (part of) an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShipNotice {
    /// The shop's identifier of the shipment (cXML `shipmentID`).
    pub shipment_id: String,
    /// When the notice was written, with a time zone.
    pub notice_date: String,
    /// When the goods left, with a time zone.
    pub shipment_date: String,
    /// When they are expected to arrive, with a time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    pub fulfilment: Fulfilment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
    pub lines: Vec<ShippedLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
}

/// Whether a shipment completes the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    /// Nothing more will be shipped for this order.
    Complete,
    /// More shipments will follow.
    Partial,
}

impl Fulfilment {
    pub fn as_str(self) -> &'static str {
        match self {
            Fulfilment::Complete => "complete",
            Fulfilment::Partial => "partial",
        }
    }
}

/// Who carries a shipment and how to follow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carrier {
    /// The carrier's name, such as `DHL`.
    pub name: String,
    pub tracking_number: String,
    /// Where the buyer follows the shipment (`http` or `https`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
}

/// A shipped portion of an order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippedLine {
    pub line_number: u32,
    /// Greater than zero, in the order line's unit.
    pub quantity: String,
    /// What earlier notices shipped of this line (zero when absent); entries of one line that
    /// give it must give the same value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub already_shipped: Option<String>,
}

/// An invoice or a credit memo for an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// The invoice number (cXML `invoiceID`).
    pub invoice_id: String,
    /// With a time zone.
    pub invoice_date: String,
    #[serde(default)]
    pub purpose: InvoicePurpose,
    /// The invoice a credit memo credits (required for `credit_memo`, refused otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_invoice: Option<InvoiceReference>,
    pub lines: Vec<InvoiceLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<InvoiceShipping>,
    /// The name payment goes to (cXML `InvoicePartner` with role `remitTo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remit_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
}

/// Whether an invoice bills or credits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoicePurpose {
    /// The buyer owes the amounts: quantities above zero.
    #[default]
    Standard,
    /// Credit given back to the buyer: quantities below zero.
    CreditMemo,
}

impl InvoicePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoicePurpose::Standard => "standard",
            InvoicePurpose::CreditMemo => "credit_memo",
        }
    }
}

/// An earlier invoice, as a credit memo refers to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceReference {
    pub invoice_id: String,
    /// The payload ID of the document that carried it.
    pub payload_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_date: Option<String>,
}

/// An invoiced portion of an order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    pub line_number: u32,
    /// Above zero in a standard invoice, below zero in a credit memo.
    pub quantity: String,
    /// Zero or more, in the order's currency; the order line's price when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<TaxRate>,
}

/// A tax on a line or on shipping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxRate {
    /// cXML's `TaxDetail/@category`: `vat`, `gst`, `sales`, ...
    pub category: String,
    /// Per cent, zero or more, such as `19` or `7.7`.
    pub rate: String,
}

/// The shipping an invoice charges (or credits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceShipping {
    /// Zero or more in a standard invoice, zero or less in a credit memo, with no more decimals
    /// than the currency has.
    pub amount: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<TaxRate>,
}

// ---------------------------------------------------------------------------------------------
// Checked forms, ready to be written
// ---------------------------------------------------------------------------------------------

/// A confirmation checked against its order: one item per confirmed order line, in the order of
/// their first mention.
#[derive(Clone, Debug)]
pub struct CheckedConfirmation<'a> {
    pub confirmation: &'a Confirmation,
    pub items: Vec<ConfirmedItem<'a>>,
}

/// The statuses of one order line.
#[derive(Clone, Debug)]
pub struct ConfirmedItem<'a> {
    pub order_line: &'a OrderLine,
    pub ordered: Decimal,
    /// The currency of the line's price: the order line's, else the order's (checked when a
    /// portion changes the price).
    pub currency: Option<Currency>,
    pub portions: Vec<ConfirmedPortion<'a>>,
}

/// One status of a portion of an order line.
#[derive(Clone, Debug)]
pub struct ConfirmedPortion<'a> {
    pub line: &'a ConfirmedLine,
    pub quantity: Decimal,
    pub unit_price: Option<Decimal>,
}

/// A ship notice checked against its order.
#[derive(Clone, Debug)]
pub struct CheckedShipNotice<'a> {
    pub notice: &'a ShipNotice,
    pub items: Vec<ShippedItem<'a>>,
}

/// One shipped portion, with its order line.
#[derive(Clone, Debug)]
pub struct ShippedItem<'a> {
    pub order_line: &'a OrderLine,
    pub quantity: Decimal,
}

/// An invoice with every amount computed, rounded to its currency.
#[derive(Clone, Debug)]
pub struct ComputedInvoice<'a> {
    pub invoice: &'a Invoice,
    pub currency: Currency,
    pub lines: Vec<ComputedLine<'a>>,
    /// The sum of the lines' subtotals.
    pub subtotal: Decimal,
    /// The lines' taxes and the shipping's, by category and rate, in order of first use.
    pub taxes: Vec<TaxTotal>,
    /// The sum of every tax.
    pub tax: Decimal,
    pub shipping: Option<ComputedShipping<'a>>,
    /// Subtotal, tax and shipping: what the buyer owes (below zero for a credit memo).
    pub total: Decimal,
    /// Whether any line carries a tax.
    pub tax_in_lines: bool,
}

/// One invoiced portion with its amounts.
#[derive(Clone, Debug)]
pub struct ComputedLine<'a> {
    pub line: &'a InvoiceLine,
    pub order_line: &'a OrderLine,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// `quantity × unit_price`, rounded.
    pub subtotal: Decimal,
    pub tax: Option<ComputedTax<'a>>,
}

/// A tax computed on an amount.
#[derive(Clone, Debug)]
pub struct ComputedTax<'a> {
    pub category: &'a str,
    pub rate: Decimal,
    pub taxable: Decimal,
    /// `taxable × rate / 100`, rounded.
    pub amount: Decimal,
}

/// Shipping with its tax.
#[derive(Clone, Debug)]
pub struct ComputedShipping<'a> {
    pub amount: Decimal,
    pub tax: Option<ComputedTax<'a>>,
}

/// The taxes of one category and rate over the whole invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxTotal {
    pub category: String,
    pub rate: Decimal,
    pub taxable: Decimal,
    pub amount: Decimal,
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// A refusal of the shop's data at a JSON pointer: `invalid-order`, the data does not fit.
fn refused(pointer: impl Into<String>, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidOrder, message).at_pointer(pointer)
}

/// The order's lines by number, with their ordered quantities read.
struct OrderIndex<'a> {
    lines: HashMap<u32, (usize, &'a OrderLine)>,
}

impl<'a> OrderIndex<'a> {
    fn of(order: &'a PurchaseOrder) -> Self {
        let mut lines = HashMap::with_capacity(order.lines.len());
        for (index, line) in order.lines.iter().enumerate() {
            lines.entry(line.line_number).or_insert((index, line));
        }
        OrderIndex { lines }
    }

    /// The order line a shop entry names, with its ordered quantity.
    fn line(&self, line_number: u32, pointer: &str) -> Result<(&'a OrderLine, Decimal)> {
        let (index, line) = self.lines.get(&line_number).copied().ok_or_else(|| {
            refused(
                pointer,
                format!("line `{line_number}` is not a line of the order"),
            )
        })?;
        let ordered = parse_decimal(&line.quantity).map_err(|error| {
            refused(
                format!("/lines/{index}/quantity"),
                format!("the order's line {line_number}: {}", error.message()),
            )
        })?;
        Ok((line, ordered))
    }
}

fn check_lines_budget(count: usize, limits: &InputLimits) -> Result<()> {
    check_count("max_cart_lines", "lines", count, limits.max_cart_lines)
        .map_err(|error| error.at_pointer("/lines"))
}

fn check_identifier(text: &str, pointer: &str, what: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(refused(pointer, format!("{what} is empty")));
    }
    Ok(())
}

/// A decimal of the shop's data: plain notation, at most 15 digits before the point.
fn amount(text: &str, pointer: &str) -> Result<Decimal> {
    parse_cart_amount(text).map_err(|error| refused(pointer, error.message()))
}

fn positive_quantity(text: &str, pointer: &str) -> Result<Decimal> {
    let quantity = amount(text, pointer)?;
    if quantity <= Decimal::ZERO {
        return Err(refused(
            pointer,
            format!(
                "expected a quantity greater than zero, found `{}`",
                shorten(text)
            ),
        ));
    }
    Ok(quantity)
}

fn not_negative(text: &str, pointer: &str, what: &str) -> Result<Decimal> {
    let value = amount(text, pointer)?;
    if value < Decimal::ZERO {
        return Err(refused(
            pointer,
            format!("expected {what} of zero or more, found `{}`", shorten(text)),
        ));
    }
    Ok(value)
}

fn out_of_range(pointer: &str) -> Error {
    refused(pointer, "the amount is out of range")
}

/// The currency of the order (`/currency`), as [`Currency`].
fn order_currency(code: &str, pointer: &str) -> Result<Currency> {
    Currency::of(code).map_err(|error| {
        refused(
            pointer,
            format!("the order's currency: {}", error.message()),
        )
    })
}

/// Checks an ISO 8601 date-time with a time zone, as cXML's `datetime.tz`:
/// `YYYY-MM-DDThh:mm:ss`, optional fraction, then `Z` or `±hh:mm`.
fn check_datetime(text: &str, pointer: &str) -> Result<()> {
    if is_datetime_tz(text) {
        Ok(())
    } else {
        Err(refused(
            pointer,
            format!(
                "expected a date and time with a time zone such as `2026-01-20T12:00:00+01:00`, found `{}`",
                shorten(text)
            ),
        ))
    }
}

fn is_datetime_tz(text: &str) -> bool {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0u32, |value, digit| {
            value
                .checked_mul(10)?
                .checked_add(u32::from(digit.wrapping_sub(b'0')))
        })
    };
    let at = |index: usize| bytes.get(index).copied();
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        number(0..4),
        number(5..7),
        number(8..10),
        number(11..13),
        number(14..16),
        number(17..19),
    ) else {
        return false;
    };
    if at(4) != Some(b'-')
        || at(7) != Some(b'-')
        || at(10) != Some(b'T')
        || at(13) != Some(b':')
        || at(16) != Some(b':')
    {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = bytes.get(19..).unwrap_or_default();
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = fraction.get(digits..).unwrap_or_default();
    }
    let two_digits = |pair: &[u8]| -> Option<u32> {
        match pair {
            [tens, ones] if tens.is_ascii_digit() && ones.is_ascii_digit() => Some(
                u32::from(tens.wrapping_sub(b'0'))
                    .saturating_mul(10)
                    .saturating_add(u32::from(ones.wrapping_sub(b'0'))),
            ),
            _ => None,
        }
    };
    match rest {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            two_digits(&[*h1, *h2]).is_some_and(|hours| hours <= 14)
                && two_digits(&[*m1, *m2]).is_some_and(|minutes| minutes <= 59)
        }
        _ => false,
    }
}

fn check_optional_datetime(text: Option<&str>, pointer: &str) -> Result<()> {
    text.map_or(Ok(()), |text| check_datetime(text, pointer))
}

impl Confirmation {
    /// Checks the confirmation against its order (see the module docs for the rules).
    ///
    /// # Errors
    /// `invalid-value` at a JSON pointer into the confirmation (`/confirm_id`, `/notice_date`,
    /// `/lines`, `/lines/N/line_number`, `/lines/N/status`, `/lines/N/quantity`,
    /// `/lines/N/unit_price`, `/lines/N/delivery_date`, `/lines/N/shipment_date`) or, for a
    /// problem in the order, into the order; `limit-exceeded` at `/lines`.
    pub fn check<'a>(
        &'a self,
        order: &'a PurchaseOrder,
        limits: &InputLimits,
    ) -> Result<CheckedConfirmation<'a>> {
        check_identifier(&self.confirm_id, "/confirm_id", "confirmation id")?;
        check_datetime(&self.notice_date, "/notice_date")?;
        check_lines_budget(self.lines.len(), limits)?;
        match self.kind {
            ConfirmationKind::Reject if !self.lines.is_empty() => {
                return Err(refused(
                    "/lines",
                    "a confirmation of kind `reject` refuses the whole order and has no lines: say why in `comments`, or use kind `detail` to reject some lines",
                ));
            }
            ConfirmationKind::Detail if self.lines.is_empty() => {
                return Err(refused(
                    "/lines",
                    "a confirmation of kind `detail` needs at least one line",
                ));
            }
            _ => {}
        }
        let index = OrderIndex::of(order);
        // How often each line is mentioned: a line mentioned more than once gives each
        // portion's quantity.
        let mut mentions: HashMap<u32, usize> = HashMap::with_capacity(self.lines.len());
        for line in &self.lines {
            let count = mentions.entry(line.line_number).or_insert(0);
            *count = count.saturating_add(1);
        }
        let mut items: Vec<ConfirmedItem<'a>> = Vec::new();
        let mut item_of: HashMap<u32, usize> = HashMap::with_capacity(self.lines.len());
        // The last entry of each line and what its portions cover so far.
        let mut covered: Vec<(usize, Decimal)> = Vec::new();
        for (position, line) in self.lines.iter().enumerate() {
            let at = |field: &str| format!("/lines/{position}/{field}");
            let (order_line, ordered) = index.line(line.line_number, &at("line_number"))?;
            if self.kind == ConfirmationKind::Accept && line.status != LineStatus::Accept {
                return Err(refused(
                    at("status"),
                    format!(
                        "a confirmation of kind `accept` may only accept lines, found `{}`: use kind `detail`",
                        line.status.as_str()
                    ),
                ));
            }
            let repeated = mentions.get(&line.line_number).copied().unwrap_or(1) > 1;
            let quantity = match (&line.quantity, repeated) {
                (Some(text), _) => positive_quantity(text, &at("quantity"))?,
                (None, false) => ordered,
                (None, true) => {
                    return Err(refused(
                        at("quantity"),
                        format!(
                            "line {} has several statuses: give each its `quantity`",
                            line.line_number
                        ),
                    ))
                }
            };
            let unit_price = match (&line.unit_price, line.status) {
                (Some(text), LineStatus::Changed) => {
                    Some(not_negative(text, &at("unit_price"), "a price")?)
                }
                (Some(_), status) => {
                    return Err(refused(
                        at("unit_price"),
                        format!(
                            "a new price needs status `changed`, found `{}`",
                            status.as_str()
                        ),
                    ))
                }
                (None, _) => None,
            };
            if line.status == LineStatus::Changed
                && unit_price.is_none()
                && line.delivery_date.is_none()
            {
                return Err(refused(
                    at("status"),
                    "status `changed` needs a new `unit_price` or `delivery_date`: a lower quantity is an `accept` of that quantity and a `reject` or `backordered` of the rest",
                ));
            }
            if line.status == LineStatus::Reject {
                for (field, value) in [
                    ("delivery_date", &line.delivery_date),
                    ("shipment_date", &line.shipment_date),
                ] {
                    if value.is_some() {
                        return Err(refused(
                            at(field),
                            format!("a rejected portion has no `{field}`"),
                        ));
                    }
                }
            }
            check_optional_datetime(line.delivery_date.as_deref(), &at("delivery_date"))?;
            check_optional_datetime(line.shipment_date.as_deref(), &at("shipment_date"))?;
            let currency = match unit_price {
                Some(_) => Some(order_currency(
                    order_line
                        .unit_price
                        .as_ref()
                        .map_or(order.currency.as_str(), |price| price.currency.as_str()),
                    "/currency",
                )?),
                None => None,
            };

            let slot = *item_of.entry(line.line_number).or_insert_with(|| {
                items.push(ConfirmedItem {
                    order_line,
                    ordered,
                    currency: None,
                    portions: Vec::new(),
                });
                covered.push((position, Decimal::ZERO));
                items.len().saturating_sub(1)
            });
            let (Some(item), Some((last, sum))) = (items.get_mut(slot), covered.get_mut(slot))
            else {
                continue;
            };
            let total = sum
                .checked_add(quantity)
                .ok_or_else(|| out_of_range(&at("quantity")))?;
            if total > ordered {
                return Err(refused(
                    at("quantity"),
                    format!(
                        "the statuses of line {} cover `{}`, more than the `{}` ordered: a confirmation cannot raise a quantity",
                        line.line_number,
                        format_quantity(total),
                        format_quantity(ordered)
                    ),
                ));
            }
            *sum = total;
            *last = position;
            if currency.is_some() {
                item.currency = currency;
            }
            item.portions.push(ConfirmedPortion {
                line,
                quantity,
                unit_price,
            });
        }
        for (item, (last, sum)) in items.iter().zip(&covered) {
            if *sum < item.ordered {
                return Err(refused(
                    format!("/lines/{last}/quantity"),
                    format!(
                        "the statuses of line {} cover `{}` of the `{}` ordered: give the rest a status (`reject` or `backordered`)",
                        item.order_line.line_number,
                        format_quantity(*sum),
                        format_quantity(item.ordered)
                    ),
                ));
            }
        }
        Ok(CheckedConfirmation {
            confirmation: self,
            items,
        })
    }
}

impl ShipNotice {
    /// Checks the ship notice against its order (see the module docs for the rules).
    ///
    /// # Errors
    /// `invalid-value` at a JSON pointer into the notice (`/shipment_id`, `/notice_date`,
    /// `/shipment_date`, `/delivery_date`, `/carrier/name`, `/carrier/tracking_number`,
    /// `/carrier/tracking_url`, `/lines`, `/lines/N/line_number`, `/lines/N/quantity`,
    /// `/lines/N/already_shipped`) or into the order; `limit-exceeded` at `/lines`.
    pub fn check<'a>(
        &'a self,
        order: &'a PurchaseOrder,
        limits: &InputLimits,
    ) -> Result<CheckedShipNotice<'a>> {
        check_identifier(&self.shipment_id, "/shipment_id", "shipment id")?;
        check_datetime(&self.notice_date, "/notice_date")?;
        check_datetime(&self.shipment_date, "/shipment_date")?;
        check_optional_datetime(self.delivery_date.as_deref(), "/delivery_date")?;
        if let Some(carrier) = &self.carrier {
            check_identifier(&carrier.name, "/carrier/name", "carrier name")?;
            check_identifier(
                &carrier.tracking_number,
                "/carrier/tracking_number",
                "tracking number",
            )?;
            if let Some(url) = &carrier.tracking_url {
                check_web_url(url, "/carrier/tracking_url")?;
            }
        }
        check_lines_budget(self.lines.len(), limits)?;
        if self.lines.is_empty() {
            return Err(refused("/lines", "a ship notice needs at least one line"));
        }
        let index = OrderIndex::of(order);
        // Per order line: what was shipped before (and where it was given), and what this
        // notice ships.
        let mut shipped: HashMap<u32, (Option<(usize, Decimal)>, Decimal)> =
            HashMap::with_capacity(self.lines.len());
        let mut items = Vec::with_capacity(self.lines.len());
        for (position, line) in self.lines.iter().enumerate() {
            let at = |field: &str| format!("/lines/{position}/{field}");
            let (order_line, ordered) = index.line(line.line_number, &at("line_number"))?;
            let quantity = positive_quantity(&line.quantity, &at("quantity"))?;
            let before = line
                .already_shipped
                .as_deref()
                .map(|text| {
                    not_negative(text, &at("already_shipped"), "a quantity")
                        .map(|value| (position, value))
                })
                .transpose()?;
            let (earlier, sum) = shipped
                .entry(line.line_number)
                .or_insert((None, Decimal::ZERO));
            match (*earlier, before) {
                (Some((first, value)), Some((_, given))) if value != given => {
                    return Err(refused(
                        at("already_shipped"),
                        format!(
                            "the entries of line {} give different `already_shipped`: `{}` at /lines/{first} and `{}`",
                            line.line_number,
                            format_quantity(value),
                            format_quantity(given)
                        ),
                    ));
                }
                (None, Some(given)) => *earlier = Some(given),
                _ => {}
            }
            let total = sum
                .checked_add(quantity)
                .ok_or_else(|| out_of_range(&at("quantity")))?;
            let with_earlier = total
                .checked_add(earlier.map_or(Decimal::ZERO, |(_, value)| value))
                .ok_or_else(|| out_of_range(&at("quantity")))?;
            if with_earlier > ordered {
                let earlier_text = earlier
                    .map(|(_, value)| format!(" after `{}` shipped before", format_quantity(value)))
                    .unwrap_or_default();
                return Err(refused(
                    at("quantity"),
                    format!(
                        "line {} ships `{}`{earlier_text}, more than the `{}` ordered",
                        line.line_number,
                        format_quantity(total),
                        format_quantity(ordered)
                    ),
                ));
            }
            *sum = total;
            items.push(ShippedItem {
                order_line,
                quantity,
            });
        }
        Ok(CheckedShipNotice {
            notice: self,
            items,
        })
    }
}

/// An `http` or `https` URL (a tracking page the buyer opens).
fn check_web_url(text: &str, pointer: &str) -> Result<()> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(()),
        _ => Err(refused(
            pointer,
            format!(
                "expected an `http` or `https` URL, found `{}`",
                shorten(text)
            ),
        )),
    }
}

impl Invoice {
    /// Checks the invoice against its order and computes every amount (see the module docs for
    /// the rules).
    ///
    /// # Errors
    /// `invalid-value` at a JSON pointer into the invoice (`/invoice_id`, `/invoice_date`,
    /// `/original_invoice/...`, `/remit_to`, `/lines`, `/lines/N/line_number`,
    /// `/lines/N/quantity`, `/lines/N/unit_price`, `/lines/N/tax/category`, `/lines/N/tax/rate`,
    /// `/shipping/amount`, `/shipping/tax/...`) or into the order (`/currency`, a line's price);
    /// `limit-exceeded` at `/lines`.
    pub fn compute<'a>(
        &'a self,
        order: &'a PurchaseOrder,
        limits: &InputLimits,
    ) -> Result<ComputedInvoice<'a>> {
        check_identifier(&self.invoice_id, "/invoice_id", "invoice id")?;
        check_datetime(&self.invoice_date, "/invoice_date")?;
        let credit = self.purpose == InvoicePurpose::CreditMemo;
        match (&self.original_invoice, credit) {
            (None, true) => {
                return Err(refused(
                    "/original_invoice",
                    "a credit memo names the invoice it credits: give `original_invoice`",
                ))
            }
            (Some(_), false) => {
                return Err(refused(
                    "/original_invoice",
                    "a standard invoice credits no earlier invoice: `original_invoice` is for purpose `credit_memo`",
                ))
            }
            (Some(original), true) => {
                check_identifier(
                    &original.invoice_id,
                    "/original_invoice/invoice_id",
                    "invoice id",
                )?;
                check_identifier(
                    &original.payload_id,
                    "/original_invoice/payload_id",
                    "payload id",
                )?;
                check_optional_datetime(
                    original.invoice_date.as_deref(),
                    "/original_invoice/invoice_date",
                )?;
            }
            (None, false) => {}
        }
        if let Some(name) = &self.remit_to {
            check_identifier(name, "/remit_to", "remit-to name")?;
        }
        check_lines_budget(self.lines.len(), limits)?;
        if self.lines.is_empty() {
            return Err(refused("/lines", "an invoice needs at least one line"));
        }
        let currency = order_currency(&order.currency, "/currency")?;
        let index = OrderIndex::of(order);
        let mut invoiced: HashMap<u32, Decimal> = HashMap::with_capacity(self.lines.len());
        let mut lines = Vec::with_capacity(self.lines.len());
        let mut subtotal = Decimal::ZERO;
        let mut taxes = TaxGroups::default();
        for (position, line) in self.lines.iter().enumerate() {
            let at = |field: &str| format!("/lines/{position}/{field}");
            let (order_line, ordered) = index.line(line.line_number, &at("line_number"))?;
            let quantity = signed_quantity(&line.quantity, credit, &at("quantity"))?;
            let sum = invoiced.entry(line.line_number).or_insert(Decimal::ZERO);
            let total = sum
                .checked_add(quantity.abs())
                .ok_or_else(|| out_of_range(&at("quantity")))?;
            if total > ordered {
                return Err(refused(
                    at("quantity"),
                    format!(
                        "line {} {} `{}`, more than the `{}` ordered",
                        line.line_number,
                        if credit { "credits" } else { "invoices" },
                        format_quantity(total),
                        format_quantity(ordered)
                    ),
                ));
            }
            *sum = total;
            let unit_price = match &line.unit_price {
                Some(text) => not_negative(text, &at("unit_price"), "a price")?,
                None => order_price(order_line, currency, &at("unit_price"))?,
            };
            let line_subtotal = quantity
                .checked_mul(unit_price)
                .map(|amount| currency.round(amount))
                .ok_or_else(|| out_of_range(&at("quantity")))?;
            subtotal = subtotal
                .checked_add(line_subtotal)
                .ok_or_else(|| out_of_range(&at("quantity")))?;
            let tax = match &line.tax {
                Some(rate) => {
                    let tax = compute_tax(rate, line_subtotal, currency, &at("tax"))?;
                    taxes.add(&tax, &at("tax"))?;
                    Some(tax)
                }
                None => None,
            };
            lines.push(ComputedLine {
                line,
                order_line,
                quantity,
                unit_price,
                subtotal: line_subtotal,
                tax,
            });
        }
        let shipping = match &self.shipping {
            Some(shipping) => {
                let amount = amount(&shipping.amount, "/shipping/amount")?;
                let wrong_sign = if credit {
                    amount > Decimal::ZERO
                } else {
                    amount < Decimal::ZERO
                };
                if wrong_sign {
                    return Err(refused(
                        "/shipping/amount",
                        format!(
                            "expected shipping of zero or {} in {}, found `{}`",
                            if credit { "less" } else { "more" },
                            if credit {
                                "a credit memo"
                            } else {
                                "a standard invoice"
                            },
                            shorten(&shipping.amount)
                        ),
                    ));
                }
                if !currency.is_exact(amount) {
                    return Err(refused(
                        "/shipping/amount",
                        format!(
                            "shipping `{}` has more decimals than `{}` has ({})",
                            shorten(&shipping.amount),
                            currency.code(),
                            currency.minor_units()
                        ),
                    ));
                }
                let tax = match &shipping.tax {
                    Some(rate) => {
                        let tax = compute_tax(rate, amount, currency, "/shipping/tax")?;
                        taxes.add(&tax, "/shipping/tax")?;
                        Some(tax)
                    }
                    None => None,
                };
                Some(ComputedShipping { amount, tax })
            }
            None => None,
        };
        let taxes = taxes.totals;
        let tax = taxes.iter().try_fold(Decimal::ZERO, |sum, tax| {
            sum.checked_add(tax.amount)
                .ok_or_else(|| out_of_range("/lines"))
        })?;
        let total = subtotal
            .checked_add(tax)
            .and_then(|sum| sum.checked_add(shipping.as_ref().map_or(Decimal::ZERO, |s| s.amount)))
            .ok_or_else(|| out_of_range("/lines"))?;
        let tax_in_lines = lines.iter().any(|line| line.tax.is_some());
        Ok(ComputedInvoice {
            invoice: self,
            currency,
            lines,
            subtotal,
            taxes,
            tax,
            shipping,
            total,
            tax_in_lines,
        })
    }
}

/// An invoiced quantity: above zero in a standard invoice, below zero in a credit memo.
fn signed_quantity(text: &str, credit: bool, pointer: &str) -> Result<Decimal> {
    let quantity = amount(text, pointer)?;
    if credit && quantity >= Decimal::ZERO {
        return Err(refused(
            pointer,
            format!(
                "a credit memo credits quantities below zero (cXML: negative amounts are credit), found `{}`",
                shorten(text)
            ),
        ));
    }
    if !credit && quantity <= Decimal::ZERO {
        return Err(refused(
            pointer,
            format!(
                "expected a quantity greater than zero in a standard invoice, found `{}` (a credit is purpose `credit_memo`)",
                shorten(text)
            ),
        ));
    }
    Ok(quantity)
}

/// The order line's unit price, in the invoice's currency.
fn order_price(line: &OrderLine, currency: Currency, pointer: &str) -> Result<Decimal> {
    let Some(price) = &line.unit_price else {
        return Err(refused(
            pointer,
            format!(
                "order line {} has no price: give `unit_price`",
                line.line_number
            ),
        ));
    };
    if price.currency != currency.code() {
        return Err(refused(
            pointer,
            format!(
                "order line {} is priced in `{}`, not in the order's currency `{}`: give `unit_price` in `{}`",
                line.line_number,
                shorten(&price.currency),
                currency.code(),
                currency.code()
            ),
        ));
    }
    let value = parse_decimal(&price.amount).map_err(|error| {
        refused(
            pointer,
            format!("the order's line {}: {}", line.line_number, error.message()),
        )
    })?;
    if value < Decimal::ZERO {
        return Err(refused(
            pointer,
            format!(
                "order line {} has a negative price `{}`: give `unit_price`",
                line.line_number,
                shorten(&price.amount)
            ),
        ));
    }
    Ok(value)
}

fn compute_tax<'a>(
    rate: &'a TaxRate,
    taxable: Decimal,
    currency: Currency,
    pointer: &str,
) -> Result<ComputedTax<'a>> {
    check_identifier(
        &rate.category,
        &format!("{pointer}/category"),
        "tax category",
    )?;
    let rate_pointer = format!("{pointer}/rate");
    let percent = not_negative(&rate.rate, &rate_pointer, "a tax rate")?;
    let amount = taxable
        .checked_mul(percent)
        .and_then(|amount| amount.checked_div(Decimal::ONE_HUNDRED))
        .map(|amount| currency.round(amount))
        .ok_or_else(|| out_of_range(&rate_pointer))?;
    Ok(ComputedTax {
        category: &rate.category,
        rate: percent,
        taxable,
        amount,
    })
}

/// The taxes of an invoice by category and rate, in order of first use.
#[derive(Default)]
struct TaxGroups {
    totals: Vec<TaxTotal>,
    index: HashMap<(String, Decimal), usize>,
}

impl TaxGroups {
    fn add(&mut self, tax: &ComputedTax<'_>, pointer: &str) -> Result<()> {
        // A rate is the same rate however it is written (`19` and `19.0`).
        let rate = tax.rate.normalize();
        let key = (tax.category.to_owned(), rate);
        match self
            .index
            .get(&key)
            .and_then(|&slot| self.totals.get_mut(slot))
        {
            Some(total) => {
                total.taxable = total
                    .taxable
                    .checked_add(tax.taxable)
                    .ok_or_else(|| out_of_range(pointer))?;
                total.amount = total
                    .amount
                    .checked_add(tax.amount)
                    .ok_or_else(|| out_of_range(pointer))?;
            }
            None => {
                self.index.insert(key, self.totals.len());
                self.totals.push(TaxTotal {
                    category: tax.category.to_owned(),
                    rate,
                    taxable: tax.taxable,
                    amount: tax.amount,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_date_times_with_a_time_zone() {
        for good in [
            "2026-01-20T12:00:00+01:00",
            "2026-01-20T12:00:00Z",
            "2026-01-20T23:59:59.123-05:00",
            "2024-02-29T00:00:00+14:00",
            "2000-02-29T00:00:00Z",
            "2026-06-30T23:59:60Z",
        ] {
            assert!(is_datetime_tz(good), "{good}");
        }
        for bad in [
            "",
            "2026-01-20",
            "2026-01-20T12:00:00",
            "2026-01-20 12:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-01-20T24:00:00Z",
            "2026-01-20T12:60:00Z",
            "2026-01-20T12:00:00.Z",
            "2026-01-20T12:00:00+1:00",
            "2026-01-20T12:00:00+15:00",
            "2026-01-20T12:00:00+01:60",
            "2026-01-20T12:00:00+01:00 ",
            "+2026-01-20T12:00:00Z",
            "2026-1-20T12:00:00Z",
            "２０２６-01-20T12:00:00Z",
        ] {
            assert!(!is_datetime_tz(bad), "{bad}");
        }
        let error = check_datetime("soon", "/notice_date").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidOrder);
        assert_eq!(error.location().pointer.as_deref(), Some("/notice_date"));
    }

    #[test]
    fn the_shop_data_reads_its_documented_json() {
        let confirmation: Confirmation = serde_json::from_str(
            r#"{"confirm_id": "C-1", "notice_date": "2026-01-20T12:00:00Z", "kind": "detail",
                "lines": [{"line_number": 1, "status": "backordered", "quantity": "2"}]}"#,
        )
        .unwrap();
        assert_eq!(confirmation.kind, ConfirmationKind::Detail);
        assert_eq!(confirmation.lines[0].status, LineStatus::Backordered);
        let invoice: Invoice = serde_json::from_str(
            r#"{"invoice_id": "I-1", "invoice_date": "2026-01-20T12:00:00Z",
                "lines": [{"line_number": 1, "quantity": "2"}]}"#,
        )
        .unwrap();
        assert_eq!(invoice.purpose, InvoicePurpose::Standard);
        let credit: InvoicePurpose = serde_json::from_str(r#""credit_memo""#).unwrap();
        assert_eq!(credit, InvoicePurpose::CreditMemo);
        assert!(serde_json::from_str::<Fulfilment>(r#""Partial""#).is_err());
    }
}
