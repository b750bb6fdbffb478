//! The cXML `PunchOutOrderMessage` judged: read safely (the engine's XML layer, which refuses
//! any internal DTD subset or entity before an external validator sees the document),
//! validated against the DTD its DOCTYPE names, then its content.

use punchout_plugin::model::{shorten, SetupOperation};
use punchout_plugin::xml::{self, Element, ParseOptions};
use rust_decimal::Decimal;

use super::content::{check_currency, check_total, check_unit, indexed_path, read_decimal, Place};
use super::validators;
use super::{Check, Classification, Expectation, Finding, ReceivedLine, Validators, Verdict};

pub(super) const WELL_FORMED: &str = "well-formed XML";
pub(super) const DTD: &str = "cXML DTD";
pub(super) const MESSAGE: &str = "PunchOutOrderMessage";
pub(super) const BUYER_COOKIE: &str = "BuyerCookie";
pub(super) const HEADER: &str = "Header";
pub(super) const NUMBERS: &str = "quantities and prices";
pub(super) const UNITS: &str = "units";
pub(super) const CURRENCIES: &str = "currencies";
pub(super) const DESCRIPTIONS: &str = "descriptions";
pub(super) const TOTALS: &str = "totals";

pub(super) fn judge(message: &[u8], expected: &Expectation, validators: &Validators) -> Verdict {
    let mut verdict = Verdict::default();
    let document = match xml::parse(message, &ParseOptions::cxml_document()) {
        Ok(document) => document,
        Err(error) => {
            verdict
                .checks
                .push(Check::ran(WELL_FORMED, vec![engine_finding(&error)]));
            verdict.checks.push(Check::not_run(
                DTD,
                "the document was refused before validation",
            ));
            return verdict;
        }
    };
    verdict.checks.push(Check::ran(WELL_FORMED, Vec::new()));
    verdict.checks.push(validators::cxml_dtd(
        message,
        document.doctype_system_id.as_deref(),
        &document.root,
        validators,
    ));
    content(&document.root, expected, &mut verdict);
    verdict
}

/// An engine error as a finding at its place.
pub(super) fn engine_finding(error: &punchout_plugin::Error) -> Finding {
    let location = error.location();
    let place = location
        .path
        .clone()
        .or_else(|| location.field.clone())
        .or_else(|| location.pointer.clone())
        .unwrap_or_default();
    let mut finding = Finding::error(error.message(), place);
    finding.line = location.line;
    finding.column = location.column;
    finding
}

/// An element of line `line` (the `ItemIn` numbered in the path).
fn place(element: &Element, line: usize) -> Place {
    Place::element(element, indexed_path(element, "ItemIn", line))
}

/// An element outside the lines.
fn at(element: &Element) -> Place {
    Place::element(element, element.path().to_owned())
}

/// The message's content as the buyer's system reads it.
fn content(root: &Element, expected: &Expectation, verdict: &mut Verdict) {
    let mut structure = Vec::new();
    let Some(message) = find_message(root, &mut structure) else {
        verdict.checks.push(Check::ran(MESSAGE, structure));
        return;
    };
    let (mut numbers, mut units, mut currencies, mut descriptions, mut totals) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());

    let cookie = message.elements_named("BuyerCookie").next();
    let header = message.elements_named("PunchOutOrderMessageHeader").next();
    if let (Some(header), Some(SetupOperation::Inspect)) = (header, expected.operation) {
        let allowed = header.attribute("operationAllowed").unwrap_or_default();
        if allowed != "inspect" {
            structure.push(at(header).error(format!(
                "expected `operationAllowed=\"inspect\"` for a cart opened read-only, found `{}`",
                shorten(allowed)
            )));
        }
    }
    if header.is_none() {
        structure.push(
            at(message)
                .error("missing element `PunchOutOrderMessageHeader` in `PunchOutOrderMessage`"),
        );
    }
    // The total's currency is the cart's; every other amount must be in it.
    let total_money = header.and_then(|header| money_of(header, "Total"));
    let cart_currency = total_money
        .and_then(|money| money.attribute("currency"))
        .map(str::to_owned);
    if let Some(money) = total_money {
        let at = at(money);
        if let Some(currency) = &cart_currency {
            currencies.extend(check_currency(currency, &at, expected.currency.as_deref()));
        }
        verdict.stated_total = read_decimal(&money.text(), &at, "total", &mut numbers);
    } else if let Some(header) = header {
        structure.push(
            at(header).error("missing element `Total/Money` in `PunchOutOrderMessageHeader`"),
        );
    }
    verdict.currency.clone_from(&cart_currency);

    let mut charges = Decimal::ZERO;
    for name in ["Shipping", "Tax"] {
        if let Some(money) = header.and_then(|header| money_of(header, name)) {
            let at = at(money);
            same_currency(money, cart_currency.as_deref(), &at, &mut currencies);
            if let Some(amount) = read_decimal(&money.text(), &at, name, &mut numbers) {
                charges = charges.checked_add(amount).unwrap_or(charges);
            }
        }
    }

    for (index, item) in message.elements_named("ItemIn").enumerate() {
        let number = index.saturating_add(1);
        let line = read_line(
            item,
            number,
            cart_currency.as_deref(),
            expected,
            &mut Findings {
                structure: &mut structure,
                numbers: &mut numbers,
                units: &mut units,
                currencies: &mut currencies,
                descriptions: &mut descriptions,
            },
        );
        verdict.lines.push(line);
    }
    if verdict.lines.is_empty() {
        structure.push(at(message).warning("the cart has no `ItemIn` lines"));
    }

    let mut cookie_findings = Vec::new();
    match (cookie, &expected.buyer_cookie) {
        (Some(cookie), Some(sent)) => {
            let found = cookie.deep_text();
            verdict.buyer_cookie = Some(found.clone());
            if &found != sent {
                cookie_findings.push(at(cookie).error(format!(
                    "expected the `BuyerCookie` `{}` sent at setup, found `{}`",
                    shorten(sent),
                    shorten(&found)
                )));
            }
        }
        (Some(cookie), None) => verdict.buyer_cookie = Some(cookie.deep_text()),
        (None, _) => cookie_findings
            .push(at(message).error("missing element `BuyerCookie` in `PunchOutOrderMessage`")),
    }

    if let (Some(stated), Some(money)) = (verdict.stated_total, total_money) {
        let computed = verdict.lines.iter().try_fold(charges, |sum, line| {
            line.amount().and_then(|amount| sum.checked_add(amount))
        });
        match computed {
            Some(computed) => totals.extend(check_total(stated, computed, &at(money))),
            None => totals.push(at(money).error("the lines' total is out of range")),
        }
    }

    verdict.checks.push(Check::ran(MESSAGE, structure));
    if expected.buyer.is_some() || expected.supplier.is_some() {
        verdict
            .checks
            .push(Check::ran(HEADER, header_parties(root, expected)));
    }
    if expected.buyer_cookie.is_some() || !cookie_findings.is_empty() {
        verdict
            .checks
            .push(Check::ran(BUYER_COOKIE, cookie_findings));
    }
    verdict.checks.push(Check::ran(NUMBERS, numbers));
    verdict.checks.push(Check::ran(UNITS, units));
    verdict.checks.push(Check::ran(CURRENCIES, currencies));
    verdict.checks.push(Check::ran(DESCRIPTIONS, descriptions));
    verdict.checks.push(Check::ran(TOTALS, totals));
}

/// The message's `From` must name the shop and its `To` the buyer: a cart signed for another
/// buyer, or by another supplier, is not this punch-out's.
fn header_parties(root: &Element, expected: &Expectation) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(header) = root.elements_named("Header").next() else {
        findings.push(at(root).error("missing element `Header` in `cXML`"));
        return findings;
    };
    for (part, credential, whose) in [
        ("From", &expected.supplier, "the shop's"),
        ("To", &expected.buyer, "the buyer's"),
    ] {
        let Some(credential) = credential else {
            continue;
        };
        let Some(element) = header.elements_named(part).next() else {
            findings.push(at(header).error(format!("missing element `{part}` in `Header`")));
            continue;
        };
        let found: Vec<(String, String)> = element
            .elements_named("Credential")
            .map(|found| {
                (
                    found.attribute("domain").unwrap_or_default().to_owned(),
                    found
                        .elements_named("Identity")
                        .next()
                        .map(Element::trimmed_text)
                        .unwrap_or_default(),
                )
            })
            .collect();
        let names = found.iter().any(|(domain, identity)| {
            domain.eq_ignore_ascii_case(&credential.domain) && *identity == credential.identity
        });
        if !names {
            let shown = found
                .iter()
                .map(|(domain, identity)| format!("`{}` `{}`", shorten(domain), shorten(identity)))
                .collect::<Vec<_>>()
                .join(", ");
            findings.push(at(element).error(format!(
                "expected {whose} credential `{}` `{}`, found {}",
                shorten(&credential.domain),
                shorten(&credential.identity),
                if shown.is_empty() {
                    "none".to_owned()
                } else {
                    shown
                }
            )));
        }
    }
    findings
}

/// `/cXML/Message/PunchOutOrderMessage`, or a finding saying what is there instead.
fn find_message<'a>(root: &'a Element, findings: &mut Vec<Finding>) -> Option<&'a Element> {
    let at_root = || at(root);
    if root.name() != "cXML" {
        findings.push(at_root().error(format!(
            "expected the root element `cXML`, found `{}`",
            shorten(root.name())
        )));
        return None;
    }
    let Some(message) = root.elements_named("Message").next() else {
        findings.push(at_root().error("missing element `Message` in `cXML`"));
        return None;
    };
    match message.elements().next() {
        Some(found) if found.name() == "PunchOutOrderMessage" => Some(found),
        Some(other) => {
            findings.push(at(other).error(format!(
                "expected `PunchOutOrderMessage`, found `{}`",
                shorten(other.name())
            )));
            None
        }
        None => {
            findings.push(at(message).error("missing element `PunchOutOrderMessage` in `Message`"));
            None
        }
    }
}

/// `<name><Money …>` below `parent`.
fn money_of<'a>(parent: &'a Element, name: &'a str) -> Option<&'a Element> {
    parent
        .elements_named(name)
        .next()
        .and_then(|element| element.elements_named("Money").next())
}

fn same_currency(money: &Element, cart: Option<&str>, at: &Place, findings: &mut Vec<Finding>) {
    match (money.attribute("currency"), cart) {
        (Some(currency), Some(cart)) if currency != cart => findings.push(at.error(format!(
            "expected the cart's currency `{}` (of its `Total`), found `{}`",
            shorten(cart),
            shorten(currency)
        ))),
        (Some(currency), None) => findings.extend(check_currency(currency, at, None)),
        (None, _) => findings.push(at.error("missing attribute `currency` on `Money`")),
        _ => {}
    }
}

struct Findings<'a> {
    structure: &'a mut Vec<Finding>,
    numbers: &'a mut Vec<Finding>,
    units: &'a mut Vec<Finding>,
    currencies: &'a mut Vec<Finding>,
    descriptions: &'a mut Vec<Finding>,
}

fn read_line(
    item: &Element,
    number: usize,
    cart_currency: Option<&str>,
    expected: &Expectation,
    findings: &mut Findings<'_>,
) -> ReceivedLine {
    let at_item = place(item, number);
    let mut line = ReceivedLine {
        number,
        part_id: String::new(),
        reference: None,
        description: String::new(),
        quantity: Decimal::ZERO,
        unit: String::new(),
        unit_price: Decimal::ZERO,
        currency: cart_currency.unwrap_or_default().to_owned(),
        classification: None,
    };
    match item.attribute("quantity") {
        Some(quantity) => {
            if let Some(value) = read_decimal(quantity, &at_item, "quantity", findings.numbers) {
                if value <= Decimal::ZERO {
                    findings.numbers.push(at_item.error(format!(
                        "expected a quantity greater than zero, found `{}`",
                        shorten(quantity)
                    )));
                }
                line.quantity = value;
            }
        }
        None => findings
            .structure
            .push(at_item.error("missing attribute `quantity` on `ItemIn`")),
    }
    match item.elements_named("ItemID").next() {
        Some(item_id) => {
            match item_id.elements_named("SupplierPartID").next() {
                Some(part) => line.part_id = part.trimmed_text(),
                None => findings.structure.push(
                    place(item_id, number).error("missing element `SupplierPartID` in `ItemID`"),
                ),
            }
            line.reference = item_id
                .elements_named("SupplierPartAuxiliaryID")
                .next()
                .map(Element::deep_text);
            if line
                .reference
                .as_deref()
                .is_none_or(|reference| reference.trim().is_empty())
            {
                findings.structure.push(place(item_id, number).warning(
                    "no `SupplierPartAuxiliaryID`: the order can name the line only by its part number",
                ));
            }
        }
        None => findings
            .structure
            .push(at_item.error("missing element `ItemID` in `ItemIn`")),
    }
    let Some(detail) = item.elements_named("ItemDetail").next() else {
        findings
            .structure
            .push(at_item.error("missing element `ItemDetail` in `ItemIn`"));
        return line;
    };
    match money_of(detail, "UnitPrice") {
        Some(money) => {
            let at = place(money, number);
            same_currency(money, cart_currency, &at, findings.currencies);
            if cart_currency.is_none() {
                if let Some(currency) = money.attribute("currency") {
                    line.currency = currency.to_owned();
                    findings.currencies.extend(check_currency(
                        currency,
                        &at,
                        expected.currency.as_deref(),
                    ));
                }
            }
            if let Some(price) = read_decimal(&money.text(), &at, "unit price", findings.numbers) {
                if price < Decimal::ZERO {
                    findings.numbers.push(at.error(format!(
                        "expected a unit price of zero or more, found `{}`",
                        money.trimmed_text()
                    )));
                }
                line.unit_price = price;
            }
        }
        None => findings
            .structure
            .push(place(detail, number).error("missing element `UnitPrice/Money` in `ItemDetail`")),
    }
    match detail.elements_named("Description").next() {
        Some(description) => {
            line.description = description.text().trim().to_owned();
            let short = description
                .elements_named("ShortName")
                .next()
                .map(Element::trimmed_text)
                .unwrap_or_default();
            if line.description.is_empty() && short.is_empty() {
                findings
                    .descriptions
                    .push(place(description, number).error("description is empty"));
            } else if line.description.is_empty() {
                line.description = short;
            }
        }
        None => findings
            .structure
            .push(place(detail, number).error("missing element `Description` in `ItemDetail`")),
    }
    match detail.elements_named("UnitOfMeasure").next() {
        Some(unit) => {
            line.unit = unit.trimmed_text();
            findings
                .units
                .extend(check_unit(&line.unit, &place(unit, number), false));
        }
        None => findings
            .structure
            .push(place(detail, number).error("missing element `UnitOfMeasure` in `ItemDetail`")),
    }
    line.classification = detail
        .elements_named("Classification")
        .next()
        .map(|classification| Classification {
            domain: classification
                .attribute("domain")
                .unwrap_or_default()
                .to_owned(),
            code: classification.trimmed_text(),
        });
    line
}
