//! The Peppol Order Response (T76): the shop's answer to a T01, written from the order the
//! engine read ([`PeppolOrder`]), its [`Reconciliation`] and the shop's
//! [`OrderResponseDecision`].
//!
//! | decision `code` | `cbc:OrderResponseCode` | order lines |
//! |---|---|---|
//! | `accept` | `AP` | none (PEPPOL-T76-R008) |
//! | `reject` | `RE` | none (PEPPOL-T76-R009); the decision's `note`, else the reconciliation's message, says why |
//! | `accept_with_changes` | `CA` | every order line (PEPPOL-T76-R007): the lines the decision names with their status, the others accepted as ordered |
//! | absent | from the reconciliation's verdict: `accept` and `accept-with-changes` (the buyer's changes are accepted) give `AP`, `reject` gives `RE`; `hold` is refused: a person decides first |
//!
//! A line's status is `accept` (`LineStatusCode` 5, accepted without amendment), `reject` (7,
//! not accepted) or `changed` (3) with a new quantity, unit price or delivery date (each
//! optional, at least one). Each line of the response carries the order's line ID
//! (`cac:LineItem/cbc:ID` and `cac:OrderLineReference/cbc:LineID`), the item's name and the
//! seller's item ID. Everything is checked before anything is written; prices are decimals in
//! the order's currency (PEPPOL-T76-R005).

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::model::{format_money, format_quantity, shorten};
use crate::order::reconcile::{Reconciliation, Verdict};
use crate::order::OrderLine;
use crate::xml::XmlWriter;

use super::order::PeppolOrder;
use super::{EndpointId, CAC_NS, CBC_NS, ORDER_RESPONSE_NS};

/// The T76 `CustomizationID` (PEPPOL-T76-R006).
pub const ORDER_RESPONSE_CUSTOMIZATION_ID: &str = "urn:fdc:peppol.eu:poacc:trns:order_response:3";
/// The only `ProfileID` a T76 may carry.
pub const ORDERING_PROFILE_ID: &str = "urn:fdc:peppol.eu:poacc:bis:ordering:3";

/// The shop's decision on a Peppol order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderResponseDecision {
    /// The response's own identifier (`cbc:ID`).
    pub response_id: String,
    /// `YYYY-MM-DD`.
    pub issue_date: String,
    /// `HH:MM:SS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_time: Option<String>,
    /// Absent: taken from the reconciliation's verdict (see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ResponseCode>,
    /// The shop's order number (`cbc:SalesOrderID`); absent: the one the order echoed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_order_id: Option<String>,
    /// For people: why the order is rejected or changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// With `accept_with_changes` only: the lines whose status is not "accepted as ordered".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineDecision>,
}

/// The answer to the whole order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseCode {
    /// `AP`: accepted as ordered.
    Accept,
    /// `RE`: rejected.
    Reject,
    /// `CA`: accepted with the line changes given.
    AcceptWithChanges,
}

impl ResponseCode {
    /// The UNCL 4343 code the T76 carries.
    pub fn code(self) -> &'static str {
        match self {
            ResponseCode::Accept => "AP",
            ResponseCode::Reject => "RE",
            ResponseCode::AcceptWithChanges => "CA",
        }
    }
}

/// The shop's answer to one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineDecision {
    /// The order line's number ([`OrderLine::line_number`]).
    pub line_number: u32,
    pub status: LineResponseStatus,
    /// The quantity the shop will deliver (`changed` only), in the line's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// The new unit price in the order's currency (`changed` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// The promised delivery date, `YYYY-MM-DD` (`changed` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A line's status in the response (UNCL 1229, the T76 subset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineResponseStatus {
    /// `5`: accepted without amendment.
    Accept,
    /// `7`: not accepted.
    Reject,
    /// `3`: changed (quantity, price or delivery date).
    Changed,
}

impl LineResponseStatus {
    fn code(self) -> &'static str {
        match self {
            LineResponseStatus::Accept => "5",
            LineResponseStatus::Reject => "7",
            LineResponseStatus::Changed => "3",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            LineResponseStatus::Accept => "accept",
            LineResponseStatus::Reject => "reject",
            LineResponseStatus::Changed => "changed",
        }
    }
}

/// A line decision checked against its order line.
struct CheckedLine<'a> {
    decision: &'a LineDecision,
    quantity: Option<Decimal>,
    unit_price: Option<Decimal>,
}

/// Writes the T76 Order Response for `order`.
///
/// # Errors
/// `invalid-order` at a JSON pointer into the decision (`/response_id`, `/issue_date`,
/// `/issue_time`, `/code`, `/lines`, `/lines/N/line_number`, `/lines/N/status`,
/// `/lines/N/quantity`, `/lines/N/unit_price`, `/lines/N/delivery_date`) for a decision that
/// does not fit the order or the BIS; `invalid-order` at `/order_id` when the reconciliation
/// is another order's; `limit-exceeded` at `/lines` for more than 10 000 lines. Nothing is
/// written then.
pub fn order_response(
    order: &PeppolOrder,
    reconciliation: Option<&Reconciliation>,
    decision: &OrderResponseDecision,
) -> Result<String> {
    let purchase = &order.order;
    if let Some(reconciliation) = reconciliation {
        if reconciliation.order_id != purchase.order_id {
            return Err(refused(
                "/order_id",
                format!(
                    "the reconciliation is of order `{}`, expected order `{}`",
                    shorten(&reconciliation.order_id),
                    shorten(&purchase.order_id)
                ),
            ));
        }
    }
    if decision.response_id.trim().is_empty() {
        return Err(refused("/response_id", "the response ID is empty"));
    }
    check_date(&decision.issue_date, "/issue_date")?;
    if let Some(time) = &decision.issue_time {
        check_time(time, "/issue_time")?;
    }
    let code = match (decision.code, reconciliation.map(|r| r.verdict)) {
        (Some(code), _) => code,
        (None, Some(Verdict::Accept | Verdict::AcceptWithChanges)) => ResponseCode::Accept,
        (None, Some(Verdict::Reject)) => ResponseCode::Reject,
        (None, Some(Verdict::Hold)) => {
            return Err(refused(
                "/code",
                "the reconciliation holds the order for review: give the decision's `code`",
            ))
        }
        (None, None) => {
            return Err(refused(
                "/code",
                "without a reconciliation the decision needs a `code`",
            ))
        }
    };
    crate::limits::check_count(
        "max_cart_lines",
        "lines",
        decision.lines.len(),
        crate::limits::InputLimits::default().max_cart_lines,
    )
    .map_err(|error| error.at_pointer("/lines"))?;
    let checked = check_lines(order, code, decision)?;
    let note = decision
        .note
        .clone()
        .or_else(|| match (code, reconciliation) {
            (ResponseCode::Reject, Some(reconciliation)) if !reconciliation.message.is_empty() => {
                Some(reconciliation.message.clone())
            }
            _ => None,
        });

    let mut w = XmlWriter::with_capacity(
        purchase
            .lines
            .len()
            .saturating_mul(500)
            .saturating_add(2048),
    );
    w.declaration();
    w.open(
        "OrderResponse",
        &[
            ("xmlns", ORDER_RESPONSE_NS),
            ("xmlns:cac", CAC_NS),
            ("xmlns:cbc", CBC_NS),
        ],
    );
    w.leaf("cbc:CustomizationID", &[], ORDER_RESPONSE_CUSTOMIZATION_ID);
    w.leaf("cbc:ProfileID", &[], ORDERING_PROFILE_ID);
    w.leaf("cbc:ID", &[], decision.response_id.trim());
    if let Some(sales) = decision
        .sales_order_id
        .as_deref()
        .or(purchase.supplier_order_id.as_deref())
        .map(str::trim)
        .filter(|sales| !sales.is_empty())
    {
        w.leaf("cbc:SalesOrderID", &[], sales);
    }
    w.leaf("cbc:IssueDate", &[], &decision.issue_date);
    if let Some(time) = &decision.issue_time {
        w.leaf("cbc:IssueTime", &[], time);
    }
    w.leaf("cbc:OrderResponseCode", &[], code.code());
    if let Some(note) = note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        w.leaf("cbc:Note", &[], note);
    }
    w.leaf("cbc:DocumentCurrencyCode", &[], &purchase.currency);
    w.open("cac:OrderReference", &[]);
    w.leaf("cbc:ID", &[], &purchase.order_id);
    w.close("cac:OrderReference");
    write_party(
        &mut w,
        "cac:SellerSupplierParty",
        &order.endpoints.seller,
        &order.seller_name,
    );
    write_party(
        &mut w,
        "cac:BuyerCustomerParty",
        &order.endpoints.buyer,
        &order.buyer_name,
    );
    if code == ResponseCode::AcceptWithChanges {
        for (index, line) in purchase.lines.iter().enumerate() {
            let id = order
                .line_ids
                .get(index)
                .cloned()
                .unwrap_or_else(|| line.line_number.to_string());
            write_line(
                &mut w,
                &id,
                line,
                checked.get(&line.line_number),
                &purchase.currency,
            );
        }
    }
    w.close("OrderResponse");
    Ok(w.finish())
}

/// Checks the decision's lines against the order and the code; keyed by line number.
fn check_lines<'a>(
    order: &PeppolOrder,
    code: ResponseCode,
    decision: &'a OrderResponseDecision,
) -> Result<HashMap<u32, CheckedLine<'a>>> {
    match code {
        ResponseCode::Accept | ResponseCode::Reject if !decision.lines.is_empty() => {
            return Err(refused(
                "/lines",
                format!(
                    "a response of code `{}` answers the whole order and has no lines: use `accept_with_changes` to answer lines",
                    if code == ResponseCode::Accept { "accept" } else { "reject" }
                ),
            ))
        }
        ResponseCode::AcceptWithChanges if decision.lines.is_empty() => {
            return Err(refused(
                "/lines",
                "a response of code `accept_with_changes` needs at least one line",
            ))
        }
        _ => {}
    }
    let ordered: HashMap<u32, &OrderLine> = order
        .order
        .lines
        .iter()
        .map(|line| (line.line_number, line))
        .collect();
    let mut checked = HashMap::with_capacity(decision.lines.len());
    for (position, line) in decision.lines.iter().enumerate() {
        let at = |field: &str| format!("/lines/{position}/{field}");
        if !ordered.contains_key(&line.line_number) {
            return Err(refused(
                at("line_number"),
                format!("the order has no line {}", line.line_number),
            ));
        }
        let changes = [
            ("quantity", line.quantity.is_some()),
            ("unit_price", line.unit_price.is_some()),
            ("delivery_date", line.delivery_date.is_some()),
        ];
        if line.status == LineResponseStatus::Changed {
            if changes.iter().all(|(_, given)| !given) {
                return Err(refused(
                    at("status"),
                    "status `changed` needs a new `quantity`, `unit_price` or `delivery_date`",
                ));
            }
        } else if let Some((field, _)) = changes.iter().find(|(_, given)| *given) {
            return Err(refused(
                at(field),
                format!(
                    "a new `{field}` needs status `changed`, found `{}`",
                    line.status.as_str()
                ),
            ));
        }
        let quantity = line
            .quantity
            .as_deref()
            .map(|text| {
                let quantity = decimal(text, &at("quantity"))?;
                if quantity <= Decimal::ZERO {
                    return Err(refused(
                        at("quantity"),
                        format!(
                            "expected a quantity greater than zero, found `{}`",
                            shorten(text)
                        ),
                    ));
                }
                Ok(quantity)
            })
            .transpose()?;
        let unit_price = line
            .unit_price
            .as_deref()
            .map(|text| {
                let price = decimal(text, &at("unit_price"))?;
                if price < Decimal::ZERO {
                    return Err(refused(
                        at("unit_price"),
                        format!(
                            "expected a price of zero or more, found `{}`",
                            shorten(text)
                        ),
                    ));
                }
                Ok(price)
            })
            .transpose()?;
        if let Some(date) = &line.delivery_date {
            check_date(date, &at("delivery_date"))?;
        }
        let entry = CheckedLine {
            decision: line,
            quantity,
            unit_price,
        };
        if checked.insert(line.line_number, entry).is_some() {
            return Err(refused(
                at("line_number"),
                format!(
                    "line {} is answered twice: expected one answer per line",
                    line.line_number
                ),
            ));
        }
    }
    Ok(checked)
}

fn write_party(w: &mut XmlWriter, element: &str, endpoint: &EndpointId, name: &str) {
    w.open(element, &[]);
    w.open("cac:Party", &[]);
    w.leaf(
        "cbc:EndpointID",
        &[("schemeID", &endpoint.scheme)],
        &endpoint.id,
    );
    // PEPPOL-T76-R001/R002: the legal name, else an identifier.
    if name.trim().is_empty() {
        w.open("cac:PartyIdentification", &[]);
        w.leaf("cbc:ID", &[], &endpoint.id);
        w.close("cac:PartyIdentification");
    } else {
        w.open("cac:PartyLegalEntity", &[]);
        w.leaf("cbc:RegistrationName", &[], name.trim());
        w.close("cac:PartyLegalEntity");
    }
    w.close("cac:Party");
    w.close(element);
}

fn write_line(
    w: &mut XmlWriter,
    id: &str,
    line: &OrderLine,
    answer: Option<&CheckedLine<'_>>,
    currency: &str,
) {
    let status = answer.map_or(LineResponseStatus::Accept, |a| a.decision.status);
    w.open("cac:OrderLine", &[]);
    w.open("cac:LineItem", &[]);
    w.leaf("cbc:ID", &[], id);
    if let Some(note) = answer
        .and_then(|a| a.decision.note.as_deref())
        .map(str::trim)
        .filter(|note| !note.is_empty())
    {
        w.leaf("cbc:Note", &[], note);
    }
    w.leaf("cbc:LineStatusCode", &[], status.code());
    let unit = line.unit.trim();
    if status != LineResponseStatus::Reject && !unit.is_empty() {
        let quantity = answer
            .and_then(|a| a.quantity)
            .map_or_else(|| line.quantity.trim().to_owned(), format_quantity);
        w.leaf("cbc:Quantity", &[("unitCode", unit)], &quantity);
    }
    if let Some(date) = answer.and_then(|a| a.decision.delivery_date.as_deref()) {
        w.open("cac:Delivery", &[]);
        w.open("cac:PromisedDeliveryPeriod", &[]);
        w.leaf("cbc:StartDate", &[], date);
        w.leaf("cbc:EndDate", &[], date);
        w.close("cac:PromisedDeliveryPeriod");
        w.close("cac:Delivery");
    }
    if let Some(price) = answer.and_then(|a| a.unit_price) {
        w.open("cac:Price", &[]);
        w.leaf(
            "cbc:PriceAmount",
            &[("currencyID", currency)],
            &format_money(price),
        );
        w.close("cac:Price");
    }
    w.open("cac:Item", &[]);
    w.leaf("cbc:Name", &[], &item_name(line));
    let part = line.supplier_part_id.trim();
    if !part.is_empty() {
        w.open("cac:SellersItemIdentification", &[]);
        w.leaf("cbc:ID", &[], part);
        w.close("cac:SellersItemIdentification");
    }
    w.close("cac:Item");
    w.close("cac:LineItem");
    w.open("cac:OrderLineReference", &[]);
    w.leaf("cbc:LineID", &[], id);
    w.close("cac:OrderLineReference");
    w.close("cac:OrderLine");
}

/// The item's name as ordered (the `Name` the reader keeps), else its description, else its
/// part number; a name is required and must not be empty.
fn item_name(line: &OrderLine) -> String {
    line.extrinsics
        .iter()
        .find(|property| property.name == "Name")
        .map(|property| property.value.trim())
        .or(line.description.as_deref().map(str::trim))
        .filter(|name| !name.is_empty())
        .or(Some(line.supplier_part_id.trim()).filter(|part| !part.is_empty()))
        .unwrap_or("item")
        .to_owned()
}

fn refused(pointer: impl Into<String>, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidOrder, message).at_pointer(pointer)
}

fn decimal(text: &str, pointer: &str) -> Result<Decimal> {
    crate::limits::parse_cart_amount(text.trim()).map_err(|error| refused(pointer, error.message()))
}

/// A calendar date `YYYY-MM-DD`, as `xs:date` without a time zone (PEPPOL-COMMON-R030).
pub(crate) fn check_date(text: &str, pointer: &str) -> Result<()> {
    let wrong = || {
        refused(
            pointer,
            format!(
                "expected a date such as `2026-12-01`, found `{}`",
                shorten(text)
            ),
        )
    };
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(wrong());
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|byte| byte.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(wrong());
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(wrong()),
    };
    if year == 0 || day == 0 || day > days {
        return Err(wrong());
    }
    Ok(())
}

/// A time of day `HH:MM:SS`.
fn check_time(text: &str, pointer: &str) -> Result<()> {
    let parts: Vec<&str> = text.split(':').collect();
    let valid = parts.len() == 3
        && parts
            .iter()
            .all(|part| part.len() == 2 && part.bytes().all(|byte| byte.is_ascii_digit()))
        && parts[0] < "24"
        && parts[1] < "60"
        && parts[2] < "60";
    if !valid {
        return Err(refused(
            pointer,
            format!(
                "expected a time such as `14:30:00`, found `{}`",
                shorten(text)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
