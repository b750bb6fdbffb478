//! `OrderRequest` in, the `Response` that accepts it out.
//!
//! The order of checks is the setup request's: the document must be safe and well-formed (the
//! XML layer with the order limits, 10 MiB), then the sender is authenticated exactly as for a
//! setup request (the same profile credentials and shared secret, compared in constant time,
//! never echoed), and only then is the order read into a protocol-neutral
//! [`PurchaseOrder`], every refusal located by its element path.
//!
//! What the reader decides where cXML leaves room:
//!
//! - `type` is `new` when absent (the DTD's default). An `update` or `delete` refers to the
//!   order it changes: [`PurchaseOrder::previous_order`] holds the same `orderID` and the
//!   `DocumentReference`'s `payloadID` (the most recent delivery of that order) when the buyer
//!   sent one; a buyer that omits it is not refused, the shop matches by `orderID`.
//! - `BillTo` is required by the DTD but read as optional, so that an order is never refused
//!   for an address the shop does not need to fulfil it.
//! - `lineNumber` is optional in the DTD: a line without one gets its position (1-based). Line
//!   numbers must be unique; a repeated one is refused at the second `ItemOut`.
//! - The bare `ItemID` form (no `ItemDetail`) carries no price, description or unit: the line's
//!   `unit` is then empty and its `shop_unit` `None`; the reconciliation takes both from the
//!   cart line it matches. A `BlanketItemDetail` is read as the bare form.
//! - Quantities are decimals greater than zero; amounts (total, prices, shipping, tax,
//!   distribution charges) are decimals with at most 15 digits before the point, kept as
//!   written. Currencies are three capital letters.
//! - A procurement card keeps only the last four digits of its number: the number itself is
//!   never stored, returned or put in a message.
//! - Several `Comments` are joined with a line break; of several `Classification`s the first
//!   is kept. A line's extrinsics are its `ItemDetail`'s (`ItemOut` has none of its own).
//!
//! The line count is bounded by the profile's `max_cart_lines` (10 000 by default), checked
//! before any line is read.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{Credential, Envelope, Property};
use crate::order::{
    AccountingSegment, Charge, Contact, Distribution, Money, OrderLine, OrderReference, OrderType,
    Payment, PurchaseOrder,
};
use crate::profile::BuyerProfile;
use crate::xml::{self, Element, ParseOptions, XmlWriter};

use super::setup::{authenticate, check_version, identify_document, read_address};
use super::{expect_cxml_root, expect_only_child, open_document, read_credential};

#[cfg(test)]
mod tests;
mod write;

pub use write::{write_order_request, write_order_request_from, OrderSender};

/// Which of several buyer profiles an `OrderRequest` is for: [`super::setup::identify`] with
/// the order limits (10 MiB): the first profile that recognises a `From` credential, once the
/// `Sender` has authenticated against it exactly as [`read_order_request`] will check it. An
/// unknown buyer costs the same work as a known one.
///
/// # Errors
/// As [`super::setup::identify`]: `unsupported-operation` for a profile that is not cXML,
/// hostile or malformed XML, `unknown-buyer` (at `/cXML/Header/From`), `authentication-failed`
/// (at `/cXML/Header/Sender`).
pub fn identify_order(profiles: &[&BuyerProfile], document: &[u8]) -> Result<usize> {
    identify_document(profiles, document, &ParseOptions::cxml_document())
}

/// Reads, authenticates and checks an `OrderRequest` against a buyer profile.
///
/// # Errors
/// `unsupported-operation` for an OCI profile; hostile or malformed XML (`malformed-xml`,
/// `forbidden-xml`, `unsupported-encoding`, `limit-exceeded`); `authentication-failed` (the
/// same error whatever was wrong); `invalid-document` for a document that is not an
/// `OrderRequest` or breaks its content model; `invalid-value` for a value of the wrong form
/// (a quantity, an amount, a currency, a line number, an order type), a quantity of zero or
/// less, a repeated line number; `limit-exceeded` for more `ItemOut` than `max_cart_lines`.
/// Every error is located by line, column and element path.
pub fn read_order_request(profile: &BuyerProfile, document: &[u8]) -> Result<PurchaseOrder> {
    super::expect_cxml_profile(profile)?;
    let parsed = xml::parse(document, &ParseOptions::cxml_document())?;
    let root = expect_cxml_root(&parsed.root)?;
    check_version(root)?;
    let payload_id = root.required_attribute("payloadID")?.to_owned();
    let header = root.required_child("Header")?;
    let from = header.required_child("From")?;
    let to = header.required_child("To")?;
    let sender = header.required_child("Sender")?;
    let request = root.required_child("Request")?;
    if let Some(other) = root.child("Message")?.or(root.child("Response")?) {
        return Err(other.invalid(format!("unexpected `{}` in an order request", other.name())));
    }

    let buyer = authenticate(profile, from, sender)?;
    let supplier = read_credential(to.required_child("Credential")?)?;

    let order = expect_only_child(request, "OrderRequest")?;
    let order_header = order.required_child("OrderRequestHeader")?;
    let items: Vec<&Element> = order.elements_named("ItemOut").collect();
    if items.is_empty() {
        return Err(order.invalid("missing element `ItemOut` in `OrderRequest`"));
    }
    crate::limits::check_count(
        "max_cart_lines",
        "lines",
        items.len(),
        profile.limits().max_cart_lines,
    )
    .map_err(|error| error.at(order.location()))?;

    let mut purchase_order = read_header(order_header, &buyer)?;
    purchase_order.buyer_id = profile.id().to_owned();
    purchase_order.payload_id = payload_id;
    purchase_order.buyer = buyer;
    purchase_order.supplier = supplier;

    let units = ShopUnits::new(profile);
    let mut seen: HashMap<u32, u32> = HashMap::with_capacity(items.len());
    let mut lines = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let line = read_item_out(item, index, &units)?;
        if let Some(first_line) = seen.insert(line.line_number, item.line()) {
            return Err(item.invalid_value(format!(
                "line number `{}` occurs twice: expected each `lineNumber` once, found it first at line {first_line}",
                line.line_number
            )));
        }
        lines.push(line);
    }
    purchase_order.lines = lines;
    purchase_order.seal();
    Ok(purchase_order)
}

/// Writes the cXML `Response` that accepts an order: `Status code="200" text="OK"`. A refused
/// order is answered with [`super::status::error_response`].
pub fn order_response(envelope: &Envelope) -> String {
    let mut writer = XmlWriter::with_capacity(320);
    open_document(&mut writer, envelope);
    writer.open("Response", &[]);
    writer.empty("Status", &[("code", "200"), ("text", "OK")]);
    writer.close("Response");
    writer.close("cXML");
    writer.finish()
}

/// Reads the `OrderRequestHeader` into an order without lines, identifiers or credentials.
fn read_header(header: &Element, buyer: &Credential) -> Result<PurchaseOrder> {
    let order_id = header.required_attribute("orderID")?.to_owned();
    let order_date = header.required_attribute("orderDate")?.to_owned();
    let order_type = match header.attribute("type").unwrap_or("new") {
        "new" => OrderType::New,
        "update" => OrderType::Update,
        "delete" => OrderType::Delete,
        other => {
            return Err(header.invalid_value(format!(
                "expected order type `new`, `update` or `delete`, found `{}`",
                crate::model::shorten(other)
            )))
        }
    };
    let order_version = header
        .attribute("orderVersion")
        .map(|text| {
            text.trim().parse::<u32>().map_err(|_| {
                header.invalid_value(format!(
                    "expected an order version such as `2`, found `{}`",
                    crate::model::shorten(text)
                ))
            })
        })
        .transpose()?;
    let total = read_money(header.required_child("Total")?)?;
    let previous_order = match order_type {
        OrderType::New => None,
        OrderType::Update | OrderType::Delete => Some(OrderReference {
            order_id: order_id.clone(),
            payload_id: header
                .child("DocumentReference")?
                .map(|reference| reference.required_attribute("payloadID").map(str::to_owned))
                .transpose()?,
            order_date: None,
        }),
    };
    let payment = header.child("Payment")?.map(read_payment).transpose()?;
    let contacts = header
        .elements_named("Contact")
        .map(read_contact)
        .collect::<Result<Vec<_>>>()?;
    let supplier_order_id = header
        .child("SupplierOrderInfo")?
        .map(|info| info.required_attribute("orderID").map(str::to_owned))
        .transpose()?;
    Ok(PurchaseOrder {
        buyer_id: String::new(),
        payload_id: String::new(),
        order_id,
        order_date,
        order_type,
        order_version,
        previous_order,
        buyer: buyer.clone(),
        supplier: buyer.clone(),
        currency: total.currency.clone(),
        total,
        ship_to: read_ship_to(header)?,
        bill_to: header
            .child("BillTo")?
            .map(|bill_to| read_address(bill_to.required_child("Address")?))
            .transpose()?,
        shipping: header.child("Shipping")?.map(read_charge).transpose()?,
        tax: header.child("Tax")?.map(read_charge).transpose()?,
        payment,
        contacts,
        comments: read_comments(header),
        extrinsics: read_extrinsics(header)?,
        supplier_order_id,
        lines: Vec::new(),
        content_hash: String::new(),
        idempotency_key: String::new(),
    })
}

fn read_ship_to(parent: &Element) -> Result<Option<crate::model::Address>> {
    parent
        .child("ShipTo")?
        .map(|ship_to| read_address(ship_to.required_child("Address")?))
        .transpose()
}

/// Reads one `ItemOut`; `index` is its position among the order's lines (0-based).
fn read_item_out(item: &Element, index: usize, units: &ShopUnits<'_>) -> Result<OrderLine> {
    let quantity = item.required_attribute("quantity")?.trim();
    let amount = crate::limits::parse_cart_amount(quantity)
        .map_err(|error| item.invalid_value(error.message()))?;
    if amount <= rust_decimal::Decimal::ZERO {
        return Err(item.invalid_value(format!(
            "expected a quantity greater than zero, found `{}`",
            crate::model::shorten(quantity)
        )));
    }
    let line_number = match item.attribute("lineNumber") {
        Some(text) => text.trim().parse::<u32>().map_err(|_| {
            item.invalid_value(format!(
                "expected a line number such as `1`, found `{}`",
                crate::model::shorten(text)
            ))
        })?,
        None => u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX),
    };
    let item_id = item.required_child("ItemID")?;
    let supplier_part_id = item_id
        .required_child("SupplierPartID")?
        .trimmed_str()
        .into_owned();
    let supplier_part_auxiliary_id = item_id
        .child("SupplierPartAuxiliaryID")?
        .map(|auxiliary| auxiliary.deep_text().trim_matches(is_xml_space).to_owned());

    let mut line = OrderLine {
        line_number,
        quantity: quantity.to_owned(),
        supplier_part_id,
        supplier_part_auxiliary_id,
        unit: String::new(),
        shop_unit: None,
        unit_price: None,
        description: None,
        classification: None,
        manufacturer_part_id: None,
        manufacturer_name: None,
        requested_delivery_date: item.attribute("requestedDeliveryDate").map(str::to_owned),
        ship_to: read_ship_to(item)?,
        shipping: item.child("Shipping")?.map(read_charge).transpose()?,
        tax: item.child("Tax")?.map(read_charge).transpose()?,
        distributions: item
            .elements_named("Distribution")
            .map(read_distribution)
            .collect::<Result<Vec<_>>>()?,
        comments: read_comments(item),
        extrinsics: Vec::new(),
    };
    if let Some(detail) = item.child("ItemDetail")? {
        line.unit_price = Some(read_money(detail.required_child("UnitPrice")?)?);
        let description = detail
            .elements_named("Description")
            .next()
            .ok_or_else(|| detail.invalid("missing element `Description` in `ItemDetail`"))?;
        line.description = Some(description.trimmed_str().into_owned());
        line.unit = detail
            .required_child("UnitOfMeasure")?
            .trimmed_str()
            .into_owned();
        line.shop_unit = units.shop_unit(&line.unit);
        line.classification = detail
            .elements_named("Classification")
            .next()
            .map(|classification| {
                Ok::<_, Error>(Property::new(
                    classification.required_attribute("domain")?,
                    classification.trimmed_str().into_owned(),
                ))
            })
            .transpose()?;
        line.manufacturer_part_id = detail
            .child("ManufacturerPartID")?
            .map(|element| element.trimmed_str().into_owned());
        line.manufacturer_name = detail
            .child("ManufacturerName")?
            .map(|element| element.trimmed_str().into_owned());
        line.extrinsics = read_extrinsics(detail)?;
    }
    Ok(line)
}

/// A `Money` child: its currency (three capital letters) and its amount (a decimal with at
/// most 15 digits before the point).
fn read_money(parent: &Element) -> Result<Money> {
    let money = parent.required_child("Money")?;
    let currency = money.required_attribute("currency")?;
    if currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Err(money.invalid_value(format!(
            "expected a currency code such as `EUR`, found `{}`",
            crate::model::shorten(currency)
        )));
    }
    let amount = money.trimmed_str();
    crate::limits::parse_cart_amount(&amount)
        .map_err(|error| money.invalid_value(error.message()))?;
    Ok(Money {
        amount: amount.into_owned(),
        currency: currency.to_owned(),
    })
}

/// A `Shipping` or `Tax`: its money and its description.
fn read_charge(charge: &Element) -> Result<Charge> {
    Ok(Charge {
        money: read_money(charge)?,
        description: charge
            .elements_named("Description")
            .next()
            .map(|element| element.trimmed_str().into_owned()),
    })
}

/// A `Payment`: a procurement card (`PCard`) or a virtual card (`PaymentToken`), of whose
/// number only the last four digits are kept.
fn read_payment(payment: &Element) -> Result<Payment> {
    let (method, card) = match payment.elements().next() {
        Some(card) if card.name() == "PCard" => ("pcard", card),
        Some(card) if card.name() == "PaymentToken" => ("token", card),
        Some(other) => {
            return Err(other.invalid(format!(
                "expected `PCard`, found `{}` in `Payment`",
                other.name()
            )))
        }
        None => return Err(payment.invalid("missing element `PCard` in `Payment`")),
    };
    let number = card.required_attribute("number")?;
    Ok(Payment {
        method: method.to_owned(),
        card_last_digits: last_digits(number, 4),
        card_name: card.attribute("name").map(str::to_owned),
        expiration: card.attribute("expiration").map(str::to_owned),
    })
}

/// The last `count` ASCII digits of a card number (fewer when it has fewer), or `None` when it
/// has none. The number itself is never kept.
fn last_digits(number: &str, count: usize) -> Option<String> {
    let mut digits: Vec<char> = number
        .chars()
        .rev()
        .filter(char::is_ascii_digit)
        .take(count)
        .collect();
    digits.reverse();
    (!digits.is_empty()).then(|| digits.into_iter().collect())
}

fn read_contact(contact: &Element) -> Result<Contact> {
    let phone = match contact.elements_named("Phone").next() {
        Some(phone) => Some(read_phone(phone.required_child("TelephoneNumber")?)?),
        None => None,
    };
    Ok(Contact {
        role: contact.attribute("role").map(str::to_owned),
        name: contact.required_child("Name")?.trimmed_str().into_owned(),
        email: contact
            .elements_named("Email")
            .next()
            .map(|element| element.trimmed_str().into_owned()),
        phone,
    })
}

/// A `TelephoneNumber` as one line: `+49 30 1234567`, with `ext. 12` when it has an extension.
fn read_phone(number: &Element) -> Result<String> {
    let country = number
        .required_child("CountryCode")?
        .trimmed_str()
        .into_owned();
    let area = number
        .required_child("AreaOrCityCode")?
        .trimmed_str()
        .into_owned();
    let local = number.required_child("Number")?.trimmed_str().into_owned();
    let mut phone = String::new();
    for part in [country.as_str(), area.as_str(), local.as_str()] {
        if part.is_empty() {
            continue;
        }
        if phone.is_empty() && part == country {
            phone.push('+');
        } else if !phone.is_empty() {
            phone.push(' ');
        }
        phone.push_str(part);
    }
    if let Some(extension) = number.child("Extension")? {
        let extension = extension.trimmed_str().into_owned();
        if !extension.is_empty() {
            phone.push_str(" ext. ");
            phone.push_str(&extension);
        }
    }
    Ok(phone)
}

fn read_distribution(distribution: &Element) -> Result<Distribution> {
    let accounting = distribution.required_child("Accounting")?;
    let mut segments = Vec::new();
    for segment in accounting.elements() {
        match segment.name() {
            // Deprecated, still sent: the type, id and description as attributes.
            "Segment" => segments.push(AccountingSegment {
                kind: segment.required_attribute("type")?.to_owned(),
                id: segment.required_attribute("id")?.to_owned(),
                description: segment.attribute("description").map(str::to_owned),
            }),
            "AccountingSegment" => segments.push(AccountingSegment {
                kind: segment.required_child("Name")?.trimmed_str().into_owned(),
                id: segment.required_attribute("id")?.to_owned(),
                description: segment
                    .elements_named("Description")
                    .next()
                    .map(|element| element.trimmed_str().into_owned()),
            }),
            other => {
                return Err(segment.invalid(format!(
                    "expected `AccountingSegment` or `Segment`, found `{other}` in `Accounting`"
                )))
            }
        }
    }
    if segments.is_empty() {
        return Err(accounting.invalid("missing element `AccountingSegment` in `Accounting`"));
    }
    Ok(Distribution {
        name: accounting.required_attribute("name")?.to_owned(),
        segments,
        charge: read_money(distribution.required_child("Charge")?)?,
    })
}

/// Every `Comments` child's text, joined by line breaks; `None` without any.
fn read_comments(parent: &Element) -> Option<String> {
    let mut comments: Option<String> = None;
    for element in parent.elements_named("Comments") {
        let text = element.trimmed_str().into_owned();
        match &mut comments {
            Some(joined) => {
                joined.push('\n');
                joined.push_str(&text);
            }
            None => comments = Some(text),
        }
    }
    comments
}

fn read_extrinsics(parent: &Element) -> Result<Vec<Property>> {
    parent
        .elements_named("Extrinsic")
        .map(|extrinsic| {
            Ok(Property::new(
                extrinsic.required_attribute("name")?,
                extrinsic.deep_text().trim_matches(is_xml_space),
            ))
        })
        .collect()
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The profile's unit map read backwards: the buyer's unit code → the shop's unit.
#[derive(Debug)]
struct ShopUnits<'a> {
    rules: &'a crate::mapping::UnitRules,
    /// Each mapped buyer code with the one shop unit that maps to it, or `None` when several do.
    targets: HashMap<&'a str, Option<&'a str>>,
}

impl<'a> ShopUnits<'a> {
    fn new(profile: &'a BuyerProfile) -> Self {
        let rules = profile.mapping().units();
        let mut targets: HashMap<&str, Option<&str>> = HashMap::new();
        for (shop, buyer) in &rules.map {
            targets
                .entry(buyer.as_str())
                .and_modify(|unique| *unique = None)
                .or_insert(Some(shop.as_str()));
        }
        ShopUnits { rules, targets }
    }

    /// The shop's unit for a buyer's code: the one shop unit the map translates into it; else
    /// the code itself when the engine sends it as it is (not a key of the map, a known code);
    /// `None` when several shop units map to it, or for an empty or unknown code.
    fn shop_unit(&self, code: &str) -> Option<String> {
        match self.targets.get(code) {
            Some(unique) => unique.map(str::to_owned),
            None if !code.is_empty()
                && !self.rules.map.contains_key(code)
                && crate::mapping::units::is_known_unit(code) =>
            {
                Some(code.to_owned())
            }
            None => None,
        }
    }
}
