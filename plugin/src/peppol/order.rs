//! The Peppol Order (T01, a UBL 2.1 `Order`) in, read into the protocol-neutral
//! [`PurchaseOrder`] that the cXML order is read into, so that one reconciliation and one
//! redelivery check serve both.
//!
//! The document goes through the one XML layer with the UBL options (10 MiB, no DOCTYPE at
//! all, the XML limits), is read by namespace and local name ([`NsElement`]), and is refused
//! when any element carries a `schemaLocation` (rule PEPPOL-T01-B00109). The buyer is
//! recognised by its endpoint first ([`identify_order`]: both parties' `EndpointID` with their
//! EAS scheme), the host finds the profile with that endpoint, then [`read_order`] reads the
//! order for that profile's id.
//!
//! How a T01 fills the order, where the BIS leaves room:
//!
//! | T01 | [`PurchaseOrder`] / [`OrderLine`] |
//! |---|---|
//! | `cbc:ID` | `order_id`, and `payload_id` (T01 has no document UUID: a redelivery of one order has the same ID, so a retry is a duplicate and a changed order under the same ID a conflict) |
//! | `cbc:IssueDate` (+ `T` + `cbc:IssueTime`) | `order_date` |
//! | — | `order_type` is always `new`: T01 has no update or cancellation (those are the Order Change and Order Cancellation transactions, T114 and T115) |
//! | `cbc:SalesOrderID` | `supplier_order_id` |
//! | `cbc:DocumentCurrencyCode` | `currency`; every amount's `currencyID` must be it (PEPPOL-T01-R003) |
//! | `cac:AnticipatedMonetaryTotal/cbc:PayableAmount` | `total`; without the monetary total: the lines' `quantity × unit price` plus shipping and tax |
//! | `cac:BuyerCustomerParty/cac:Party/cbc:EndpointID` | `buyer` as `{domain: schemeID, identity: ID}` |
//! | `cac:SellerSupplierParty/cac:Party/cbc:EndpointID` | `supplier`, likewise |
//! | `cac:Delivery/cac:DeliveryLocation` (`cac:Address`, `cbc:ID`, `cbc:Name`; else the delivery party's name) | `ship_to` |
//! | `cac:AccountingCustomerParty/cac:Party` (`cac:PostalAddress`, party or legal name) | `bill_to` |
//! | document `cac:AllowanceCharge` | `shipping`: charges minus allowances, reasons as the description |
//! | `cac:TaxTotal/cbc:TaxAmount` | `tax` |
//! | `cac:BuyerCustomerParty/cac:Party/cac:Contact` | `contacts` (role `buyer`) |
//! | `cbc:Note` | `comments` |
//! | `cbc:CustomerReference`, `cbc:AccountingCost`, `cac:Contract/cbc:ID`, `cac:ProjectReference/cbc:ID`, `cac:QuotationDocumentReference/cbc:ID`, `cac:CatalogueReference/cbc:ID`, the requested delivery period's dates | `extrinsics`, named after the element (`RequestedDeliveryStartDate`, `RequestedDeliveryEndDate`) |
//! | `cac:LineItem/cbc:ID` | `line_number` when it is a whole number from 1 to 4294967295; otherwise the line's position (1-based). The ID as written is kept in [`PeppolOrder::line_ids`] for the response. IDs must be unique, and so must the numbers they give |
//! | `cac:LineItem/cbc:Quantity` and its `unitCode` | `quantity` (greater than zero), `unit`; `shop_unit` stays `None` (the codes are Rec 20; the reconciliation maps the cart's units through the profile) |
//! | `cac:Price/cbc:PriceAmount` ÷ `cbc:BaseQuantity` | `unit_price`: as written when the base quantity is absent or 1, else the exact quotient; a price whose quotient is not exact in 28 digits, or whose base quantity is in another unit than the line's, is refused |
//! | `cac:Item/cac:SellersItemIdentification/cbc:ID` | `supplier_part_id` (else the standard item ID, else empty) |
//! | `cac:Item/cac:AdditionalItemProperty` named [`LINE_REF_PROPERTY`] | `supplier_part_auxiliary_id`: the cart line's `line-ref` (T01 and T77 both forbid `ExtendedID` in `SellersItemIdentification`, PEPPOL-T01-B29802 and PEPPOL-T77-B06502; an `AdditionalItemProperty` travels in both) |
//! | `cac:Item/cbc:Description`, else `cbc:Name` | `description` |
//! | first `cac:CommodityClassification/cbc:ItemClassificationCode` | `classification` (`listID` as the domain) |
//! | `cac:Item/cac:ManufacturersItemIdentification/cbc:ID` | `manufacturer_part_id` |
//! | line `cac:Delivery/cac:RequestedDeliveryPeriod` start date, else end date | `requested_delivery_date` |
//! | line `cac:AllowanceCharge` | `shipping`: charges minus allowances |
//! | `cac:OrderLine/cbc:Note` | `comments` |
//! | `cac:Item/cbc:Name`, other `cac:AdditionalItemProperty`, `cac:BuyersItemIdentification/cbc:ID`, `cac:StandardItemIdentification/cbc:ID`, `cac:ClassifiedTaxCategory` (`ID`, `Percent`), `cbc:AccountingCost` | line `extrinsics` (`Name`, the property's name, `BuyersItemID`, `StandardItemID`, `TaxCategory`, `TaxPercent`, `AccountingCost`) |
//!
//! The line count is bounded by the default `max_cart_lines` (10 000), checked before any line
//! is read.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::model::{shorten, Address, Credential, Property};
use crate::order::{Charge, Contact, Money, OrderLine, OrderType, PurchaseOrder};
use crate::profile::BuyerProfile;
use crate::xml::{self, Element, NsElement, ParseOptions};

use super::{cac, cbc, EndpointId, LINE_REF_PROPERTY, ORDER_NS};

mod write;

pub use write::write_order;

/// The T01 `CustomizationID` prefix (PEPPOL-T01-R034).
pub const ORDER_CUSTOMIZATION_ID: &str = "urn:fdc:peppol.eu:poacc:trns:order:3";
/// The profiles a T01 may name (PEPPOL-T01-R031).
pub const ORDER_PROFILE_IDS: [&str; 3] = [
    "urn:fdc:peppol.eu:poacc:bis:order_only:3",
    "urn:fdc:peppol.eu:poacc:bis:ordering:3",
    "urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3",
];

/// Who an order is from and to: the two parties' electronic addresses, for the host to find
/// the buyer's profile among its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderEndpoints {
    /// `cac:BuyerCustomerParty/cac:Party/cbc:EndpointID`.
    pub buyer: EndpointId,
    /// `cac:SellerSupplierParty/cac:Party/cbc:EndpointID`.
    pub seller: EndpointId,
}

/// A Peppol Order as read: the protocol-neutral order and what the Order Response needs that
/// the neutral order does not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeppolOrder {
    pub order: PurchaseOrder,
    pub customization_id: String,
    pub profile_id: String,
    pub endpoints: OrderEndpoints,
    /// The buyer's legal registration name (`cac:PartyLegalEntity/cbc:RegistrationName`).
    pub buyer_name: String,
    /// The seller's legal registration name.
    pub seller_name: String,
    /// The seller's country (`cac:PostalAddress/cac:Country/cbc:IdentificationCode`, required
    /// by T01).
    pub seller_country: String,
    /// Each line's `cac:LineItem/cbc:ID` as written, in the order of
    /// [`PurchaseOrder::lines`]: the Order Response refers to the lines by them.
    pub line_ids: Vec<String>,
}

/// Reads who a T01 is from and to, without reading the rest of it.
///
/// # Errors
/// Hostile or malformed XML (`malformed-xml`, `forbidden-xml` for any DOCTYPE or
/// `schemaLocation`, `unsupported-encoding`, `limit-exceeded`); `invalid-document` for another
/// root or namespace, or a missing party or endpoint; `invalid-value` for an empty endpoint ID
/// or scheme. Every error is located by line, column and element path.
pub fn identify_order(document: &[u8]) -> Result<OrderEndpoints> {
    let parsed = xml::parse(document, &ParseOptions::ubl())?;
    let root = order_root(&parsed.root)?;
    read_endpoints(&root)
}

/// Which of the shop's Peppol buyer profiles a T01 is for: the one whose buyer endpoint is the
/// order's `BuyerCustomerParty` endpoint and whose seller endpoint is the order's
/// `SellerSupplierParty` endpoint (Peppol identifiers compare without regard to ASCII case).
///
/// # Errors
/// As [`identify_order`]; `unsupported-operation` for a profile that is not Peppol;
/// `unknown-buyer` when no profile has both endpoints, naming the order's buyer endpoint.
pub fn identify_profile(profiles: &[&BuyerProfile], document: &[u8]) -> Result<usize> {
    let endpoints = identify_order(document)?;
    let mut found = None;
    for (index, profile) in profiles.iter().enumerate() {
        let settings = crate::peppol::cart::expect_peppol_profile(profile)?;
        if found.is_none()
            && settings.buyer.endpoint.same_participant(&endpoints.buyer)
            && settings.seller.endpoint.same_participant(&endpoints.seller)
        {
            found = Some(index);
        }
    }
    found.ok_or_else(|| {
        Error::new(
            ErrorCode::UnknownBuyer,
            format!(
                "no Peppol buyer profile has buyer endpoint `{}:{}` with seller endpoint `{}:{}`",
                shorten(&endpoints.buyer.scheme),
                shorten(&endpoints.buyer.id),
                shorten(&endpoints.seller.scheme),
                shorten(&endpoints.seller.id)
            ),
        )
        .at(crate::error::Location::at_path(
            "/Order/BuyerCustomerParty/Party/EndpointID",
        ))
    })
}

/// Reads a T01 for the buyer profile `buyer_id` (the one [`identify_profile`] led the host to).
///
/// # Errors
/// As [`identify_order`]; then `invalid-value` for a `CustomizationID` or `ProfileID` that is
/// not T01's, a currency that is not three capital letters or not the document's, an amount or
/// quantity that is not a decimal (or has more than 15 digits before the point), a quantity of
/// zero or less, a repeated line ID, a price whose unit price is not exact; `invalid-document`
/// for a missing required element or a repeated one; `limit-exceeded` for more than 10 000
/// lines. Every error is located by line, column and element path.
pub fn read_order(document: &[u8], buyer_id: &str) -> Result<PeppolOrder> {
    let parsed = xml::parse(document, &ParseOptions::ubl())?;
    let root = order_root(&parsed.root)?;
    let endpoints = read_endpoints(&root)?;

    let customization = root.required_child(cbc("CustomizationID"))?;
    let customization_id = text(&customization);
    if !customization_id.starts_with(ORDER_CUSTOMIZATION_ID) {
        return Err(customization.element().invalid_value(format!(
            "expected a `CustomizationID` starting with `{ORDER_CUSTOMIZATION_ID}`, found `{}`",
            shorten(&customization_id)
        )));
    }
    let profile = root.required_child(cbc("ProfileID"))?;
    let profile_id = text(&profile);
    if !ORDER_PROFILE_IDS.contains(&profile_id.as_str()) {
        return Err(profile.element().invalid_value(format!(
            "expected a `ProfileID` of `{}`, found `{}`",
            ORDER_PROFILE_IDS.join("`, `"),
            shorten(&profile_id)
        )));
    }
    let order_id = required_text(&root, "ID")?;
    let issue_date = required_text(&root, "IssueDate")?;
    let order_date = match optional_text(&root, cbc("IssueTime"))? {
        Some(time) => format!("{issue_date}T{time}"),
        None => issue_date,
    };
    let currency_element = root.required_child(cbc("DocumentCurrencyCode"))?;
    let currency = text(&currency_element);
    check_currency(currency_element.element(), &currency)?;

    let order_lines: Vec<NsElement<'_>> = root.elements_named(cac("OrderLine")).collect();
    if order_lines.is_empty() {
        return Err(root
            .element()
            .invalid("missing element `cac:OrderLine` in `Order`"));
    }
    crate::limits::check_count(
        "max_cart_lines",
        "lines",
        order_lines.len(),
        crate::limits::InputLimits::default().max_cart_lines,
    )
    .map_err(|error| error.at(root.element().location()))?;

    let buyer_party = root
        .required_child(cac("BuyerCustomerParty"))?
        .required_child(cac("Party"))?;
    let seller_party = root
        .required_child(cac("SellerSupplierParty"))?
        .required_child(cac("Party"))?;

    let seller_country = required_text(
        &seller_party
            .required_child(cac("PostalAddress"))?
            .required_child(cac("Country"))?,
        "IdentificationCode",
    )?;

    let mut lines = Vec::with_capacity(order_lines.len());
    let mut line_ids = Vec::with_capacity(order_lines.len());
    let mut seen_ids: HashMap<String, u32> = HashMap::with_capacity(order_lines.len());
    let mut seen_numbers: HashMap<u32, String> = HashMap::with_capacity(order_lines.len());
    for (index, order_line) in order_lines.iter().enumerate() {
        let item = order_line.required_child(cac("LineItem"))?;
        let id_element = item.required_child(cbc("ID"))?;
        let id = text(&id_element);
        if id.is_empty() {
            return Err(id_element
                .element()
                .invalid_value("expected a line item ID, found nothing"));
        }
        if let Some(first) = seen_ids.insert(id.clone(), id_element.element().line()) {
            return Err(id_element.element().invalid_value(format!(
                "line ID `{}` occurs twice: expected each line ID once, found it first at line {first}",
                shorten(&id)
            )));
        }
        let line_number = line_number(&id, index);
        if let Some(other) = seen_numbers.insert(line_number, id.clone()) {
            return Err(id_element.element().invalid_value(format!(
                "line ID `{}` is line number {line_number}, as line ID `{}` is: expected line IDs that are distinct whole numbers or give distinct positions",
                shorten(&id),
                shorten(&other)
            )));
        }
        let line = read_line(order_line, &item, line_number, &currency)?;
        lines.push(line);
        line_ids.push(id);
    }

    let shipping = read_allowance_charges(&root, &currency)?;
    let tax = root
        .child(cac("TaxTotal"))?
        .map(|total| {
            let amount = read_amount(&total.required_child(cbc("TaxAmount"))?, &currency)?;
            Ok::<_, Error>(Charge {
                money: amount,
                description: None,
            })
        })
        .transpose()?;
    let total = match root.child(cac("AnticipatedMonetaryTotal"))? {
        Some(monetary) => read_amount(&monetary.required_child(cbc("PayableAmount"))?, &currency)?,
        None => computed_total(&lines, shipping.as_ref(), tax.as_ref(), &currency)
            .map_err(|error| error.at(root.element().location()))?,
    };

    let mut extrinsics = Vec::new();
    for name in ["CustomerReference", "AccountingCost"] {
        if let Some(value) = optional_text(&root, cbc(name))? {
            extrinsics.push(Property::new(name, value));
        }
    }
    for (element, name) in [
        ("Contract", "ContractID"),
        ("ProjectReference", "ProjectID"),
        ("QuotationDocumentReference", "QuotationID"),
        ("CatalogueReference", "CatalogueID"),
    ] {
        if let Some(reference) = root.child(cac(element))? {
            extrinsics.push(Property::new(name, required_text(&reference, "ID")?));
        }
    }
    let delivery = root.child(cac("Delivery"))?;
    if let Some(period) = delivery
        .as_ref()
        .map(|delivery| delivery.child(cac("RequestedDeliveryPeriod")))
        .transpose()?
        .flatten()
    {
        for (element, name) in [
            ("StartDate", "RequestedDeliveryStartDate"),
            ("EndDate", "RequestedDeliveryEndDate"),
        ] {
            if let Some(date) = optional_text(&period, cbc(element))? {
                extrinsics.push(Property::new(name, date));
            }
        }
    }

    let mut order = PurchaseOrder {
        buyer_id: buyer_id.to_owned(),
        payload_id: order_id.clone(),
        order_id,
        order_date,
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer: credential(&endpoints.buyer),
        supplier: credential(&endpoints.seller),
        currency,
        total,
        ship_to: delivery.as_ref().map(read_ship_to).transpose()?.flatten(),
        bill_to: root
            .child(cac("AccountingCustomerParty"))?
            .map(|party| read_bill_to(&party.required_child(cac("Party"))?))
            .transpose()?
            .flatten(),
        shipping,
        tax,
        payment: None,
        contacts: buyer_party
            .child(cac("Contact"))?
            .map(|contact| read_contact(&contact))
            .transpose()?
            .into_iter()
            .collect(),
        comments: optional_text(&root, cbc("Note"))?,
        extrinsics,
        supplier_order_id: optional_text(&root, cbc("SalesOrderID"))?,
        lines,
        content_hash: String::new(),
        idempotency_key: String::new(),
    };
    order.seal();
    Ok(PeppolOrder {
        order,
        customization_id,
        profile_id,
        endpoints,
        buyer_name: legal_name(&buyer_party)?,
        seller_name: legal_name(&seller_party)?,
        seller_country,
        line_ids,
    })
}

/// The root, checked to be a UBL `Order` without any `schemaLocation` anywhere.
fn order_root(root: &Element) -> Result<NsElement<'_>> {
    let root = expect_root(root, "Order", ORDER_NS)?;
    refuse_schema_location(root.element())?;
    Ok(root)
}

/// The root element, checked to be `local` in `namespace`.
pub(crate) fn expect_root<'a>(
    root: &'a Element,
    local: &str,
    namespace: &str,
) -> Result<NsElement<'a>> {
    let root = NsElement::root(root)?;
    if root.local_name() != local {
        return Err(root.element().invalid(format!(
            "expected `{local}`, found `{}`",
            shorten(root.element().name())
        )));
    }
    match root.namespace()? {
        Some(found) if found == namespace => Ok(root),
        Some(found) => Err(root.element().invalid(format!(
            "expected `{local}` in namespace `{namespace}`, found namespace `{}`",
            shorten(found)
        ))),
        None => Err(root.element().invalid(format!(
            "expected `{local}` in namespace `{namespace}`, found no namespace"
        ))),
    }
}

/// Refuses a `schemaLocation` or `noNamespaceSchemaLocation` attribute on any element: a
/// Peppol document must not point at its schema (PEPPOL-T01-B00109), and a reader that
/// followed one would fetch what the sender chose.
pub(crate) fn refuse_schema_location(root: &Element) -> Result<()> {
    let mut stack = vec![root];
    while let Some(element) = stack.pop() {
        if let Some((name, _)) = element.attributes().find(|(name, _)| {
            matches!(
                xml::split_name(name).1,
                "schemaLocation" | "noNamespaceSchemaLocation"
            )
        }) {
            return Err(Error::new(
                ErrorCode::ForbiddenXml,
                format!(
                    "`{}` on `{}` is not allowed: a Peppol document must not contain a schema location (PEPPOL-T01-B00109)",
                    shorten(name),
                    shorten(element.name())
                ),
            )
            .at(element.location()));
        }
        stack.extend(element.elements());
    }
    Ok(())
}

fn read_endpoints(root: &NsElement<'_>) -> Result<OrderEndpoints> {
    let endpoint = |party: &'static str| -> Result<EndpointId> {
        let endpoint = root
            .required_child(cac(party))?
            .required_child(cac("Party"))?
            .required_child(cbc("EndpointID"))?;
        read_endpoint(&endpoint)
    };
    Ok(OrderEndpoints {
        buyer: endpoint("BuyerCustomerParty")?,
        seller: endpoint("SellerSupplierParty")?,
    })
}

/// An `EndpointID` with its `schemeID`, both required and non-empty.
pub(crate) fn read_endpoint(endpoint: &NsElement<'_>) -> Result<EndpointId> {
    let element = endpoint.element();
    let scheme = element.required_attribute("schemeID")?.trim();
    let id = text(endpoint);
    if scheme.is_empty() || id.is_empty() {
        return Err(element.invalid_value(format!(
            "expected an endpoint ID with its scheme, found `{}` in scheme `{}`",
            shorten(&id),
            shorten(scheme)
        )));
    }
    Ok(EndpointId {
        scheme: scheme.to_owned(),
        id,
    })
}

fn credential(endpoint: &EndpointId) -> Credential {
    Credential {
        domain: endpoint.scheme.clone(),
        identity: endpoint.id.clone(),
    }
}

/// A party's legal registration name, else its party name, else empty.
fn legal_name(party: &NsElement<'_>) -> Result<String> {
    if let Some(entity) = party.child(cac("PartyLegalEntity"))? {
        if let Some(name) = optional_text(&entity, cbc("RegistrationName"))? {
            return Ok(name);
        }
    }
    party_name(party).map(Option::unwrap_or_default)
}

fn party_name(party: &NsElement<'_>) -> Result<Option<String>> {
    party
        .child(cac("PartyName"))?
        .map(|name| required_text(&name, "Name"))
        .transpose()
}

/// The line number a line ID gives: itself when it is a whole number from 1 to `u32::MAX`
/// (leading zeros allowed), else the line's 1-based position.
fn line_number(id: &str, index: usize) -> u32 {
    match id.parse::<u32>() {
        Ok(number) if number > 0 && id.bytes().all(|byte| byte.is_ascii_digit()) => number,
        _ => u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX),
    }
}

fn read_line(
    order_line: &NsElement<'_>,
    item: &NsElement<'_>,
    line_number: u32,
    currency: &str,
) -> Result<OrderLine> {
    let quantity_element = item.required_child(cbc("Quantity"))?;
    let quantity = text(&quantity_element);
    let amount = crate::limits::parse_cart_amount(&quantity)
        .map_err(|error| quantity_element.element().invalid_value(error.message()))?;
    if amount <= Decimal::ZERO {
        return Err(quantity_element.element().invalid_value(format!(
            "expected a quantity greater than zero, found `{}`",
            shorten(&quantity)
        )));
    }
    let unit = quantity_element
        .element()
        .required_attribute("unitCode")?
        .trim()
        .to_owned();
    let unit_price = item
        .child(cac("Price"))?
        .map(|price| read_unit_price(&price, &unit, currency))
        .transpose()?;
    let product = item.required_child(cac("Item"))?;
    let name = required_text(&product, "Name")?;
    let identifier = |element: &'static str| -> Result<Option<String>> {
        product
            .child(cac(element))?
            .map(|identification| required_text(&identification, "ID"))
            .transpose()
    };
    let sellers_id = identifier("SellersItemIdentification")?;
    let standard_id = identifier("StandardItemIdentification")?;
    let buyers_id = identifier("BuyersItemIdentification")?;

    let mut extrinsics = vec![Property::new("Name", name.clone())];
    let mut line_ref = None;
    for property in product.elements_named(cac("AdditionalItemProperty")) {
        let property_name = required_text(&property, "Name")?;
        let value = required_text(&property, "Value")?;
        if property_name == LINE_REF_PROPERTY && line_ref.is_none() {
            line_ref = Some(value);
        } else {
            extrinsics.push(Property::new(property_name, value));
        }
    }
    if let Some(id) = &buyers_id {
        extrinsics.push(Property::new("BuyersItemID", id.clone()));
    }
    if let Some(id) = &standard_id {
        extrinsics.push(Property::new("StandardItemID", id.clone()));
    }
    if let Some(category) = product.child(cac("ClassifiedTaxCategory"))? {
        extrinsics.push(Property::new(
            "TaxCategory",
            required_text(&category, "ID")?,
        ));
        if let Some(percent) = optional_text(&category, cbc("Percent"))? {
            extrinsics.push(Property::new("TaxPercent", percent));
        }
    }
    if let Some(cost) = optional_text(item, cbc("AccountingCost"))? {
        extrinsics.push(Property::new("AccountingCost", cost));
    }

    let classification = product
        .elements_named(cac("CommodityClassification"))
        .find_map(|classification| {
            classification
                .child(cbc("ItemClassificationCode"))
                .transpose()
        })
        .transpose()?
        .map(|code| {
            Ok::<_, Error>(Property::new(
                code.element().required_attribute("listID")?.trim(),
                text(&code),
            ))
        })
        .transpose()?;
    let requested_delivery_date = match item.child(cac("Delivery"))? {
        Some(delivery) => {
            let period = delivery.required_child(cac("RequestedDeliveryPeriod"))?;
            match optional_text(&period, cbc("StartDate"))? {
                Some(start) => Some(start),
                None => optional_text(&period, cbc("EndDate"))?,
            }
        }
        None => None,
    };

    Ok(OrderLine {
        line_number,
        quantity,
        supplier_part_id: sellers_id.or(standard_id).unwrap_or_default(),
        supplier_part_auxiliary_id: line_ref,
        unit,
        shop_unit: None,
        unit_price,
        description: Some(optional_text(&product, cbc("Description"))?.unwrap_or(name)),
        classification,
        manufacturer_part_id: identifier("ManufacturersItemIdentification")?,
        manufacturer_name: None,
        requested_delivery_date,
        ship_to: None,
        shipping: read_allowance_charges(item, currency)?,
        tax: None,
        distributions: Vec::new(),
        comments: optional_text(order_line, cbc("Note"))?,
        extrinsics,
    })
}

/// The price of one unit of the line's unit: `PriceAmount`, divided by `BaseQuantity` when
/// that is not 1, exactly or not at all.
fn read_unit_price(price: &NsElement<'_>, unit: &str, currency: &str) -> Result<Money> {
    let amount_element = price.required_child(cbc("PriceAmount"))?;
    let money = read_amount(&amount_element, currency)?;
    let Some(base) = price.child(cbc("BaseQuantity"))? else {
        return Ok(money);
    };
    let base_text = text(&base);
    let base_quantity = crate::limits::parse_cart_amount(&base_text)
        .map_err(|error| base.element().invalid_value(error.message()))?;
    if base_quantity <= Decimal::ZERO {
        return Err(base.element().invalid_value(format!(
            "expected a base quantity greater than zero, found `{}`",
            shorten(&base_text)
        )));
    }
    if let Some(base_unit) = base.element().attribute("unitCode") {
        if base_unit.trim() != unit {
            return Err(base.element().invalid_value(format!(
                "expected the base quantity in the line's unit `{}`, found `{}`",
                shorten(unit),
                shorten(base_unit.trim())
            )));
        }
    }
    if base_quantity == Decimal::ONE {
        return Ok(money);
    }
    let price_amount = crate::model::parse_decimal(&money.amount)
        .map_err(|error| amount_element.element().invalid_value(error.message()))?;
    let inexact = || {
        base.element().invalid_value(format!(
            "price `{}` per `{}` {} has no exact unit price: expected a base quantity that divides the price",
            shorten(&money.amount),
            shorten(&base_text),
            shorten(unit)
        ))
    };
    let unit_price = price_amount
        .checked_div(base_quantity)
        .ok_or_else(inexact)?;
    if unit_price.checked_mul(base_quantity) != Some(price_amount) {
        return Err(inexact());
    }
    Ok(Money {
        amount: unit_price.normalize().to_string(),
        currency: money.currency,
    })
}

/// The `cac:AllowanceCharge` children of `parent` as one charge: charges minus allowances,
/// their reasons joined by `; `. `None` without any.
fn read_allowance_charges(parent: &NsElement<'_>, currency: &str) -> Result<Option<Charge>> {
    let mut net: Option<Decimal> = None;
    let mut reasons: Vec<String> = Vec::new();
    for allowance_charge in parent.elements_named(cac("AllowanceCharge")) {
        let indicator = allowance_charge.required_child(cbc("ChargeIndicator"))?;
        let is_charge = match text(&indicator).as_str() {
            "true" => true,
            "false" => false,
            other => {
                return Err(indicator.element().invalid_value(format!(
                    "expected `true` or `false`, found `{}`",
                    shorten(other)
                )))
            }
        };
        let amount_element = allowance_charge.required_child(cbc("Amount"))?;
        let money = read_amount(&amount_element, currency)?;
        let amount = crate::model::parse_decimal(&money.amount)
            .map_err(|error| amount_element.element().invalid_value(error.message()))?;
        let so_far = net.unwrap_or_default();
        let sum = if is_charge {
            so_far.checked_add(amount)
        } else {
            so_far.checked_sub(amount)
        };
        net = Some(sum.ok_or_else(|| {
            amount_element
                .element()
                .invalid_value("the allowances and charges are too large to add up")
        })?);
        if let Some(reason) = optional_text(&allowance_charge, cbc("AllowanceChargeReason"))? {
            reasons.push(reason);
        }
    }
    Ok(net.map(|net| Charge {
        money: Money {
            amount: crate::model::format_money(net),
            currency: currency.to_owned(),
        },
        description: (!reasons.is_empty()).then(|| reasons.join("; ")),
    }))
}

/// The total of an order without a monetary total: the priced lines plus shipping and tax.
fn computed_total(
    lines: &[OrderLine],
    shipping: Option<&Charge>,
    tax: Option<&Charge>,
    currency: &str,
) -> Result<Money> {
    let overflow = || {
        Error::new(
            ErrorCode::InvalidValue,
            "the order's amounts are too large to add up",
        )
    };
    let parse = |text: &str| crate::model::parse_decimal(text);
    let mut total = Decimal::ZERO;
    for line in lines {
        if let Some(price) = &line.unit_price {
            let amount = parse(&line.quantity)?
                .checked_mul(parse(&price.amount)?)
                .ok_or_else(overflow)?;
            total = total.checked_add(amount).ok_or_else(overflow)?;
        }
    }
    for charge in [shipping, tax].into_iter().flatten() {
        total = total
            .checked_add(parse(&charge.money.amount)?)
            .ok_or_else(overflow)?;
    }
    Ok(Money {
        amount: crate::model::format_money(total),
        currency: currency.to_owned(),
    })
}

fn read_ship_to(delivery: &NsElement<'_>) -> Result<Option<Address>> {
    let Some(location) = delivery.child(cac("DeliveryLocation"))? else {
        return Ok(None);
    };
    let name = match optional_text(&location, cbc("Name"))? {
        Some(name) => Some(name),
        None => delivery
            .child(cac("DeliveryParty"))?
            .map(|party| party_name(&party))
            .transpose()?
            .flatten(),
    };
    let mut address = read_address(&location.required_child(cac("Address"))?)?;
    address.name = name.unwrap_or_default();
    address.address_id = optional_text(&location, cbc("ID"))?;
    if let Some(contact) = delivery
        .child(cac("DeliveryParty"))?
        .map(|party| party.child(cac("Contact")))
        .transpose()?
        .flatten()
    {
        if let Some(name) = optional_text(&contact, cbc("Name"))? {
            address.deliver_to.push(name);
        }
        address.email = optional_text(&contact, cbc("ElectronicMail"))?;
    }
    Ok(Some(address))
}

fn read_bill_to(party: &NsElement<'_>) -> Result<Option<Address>> {
    let mut address = read_address(&party.required_child(cac("PostalAddress"))?)?;
    address.name = match party_name(party)? {
        Some(name) => name,
        None => legal_name(party)?,
    };
    Ok(Some(address))
}

/// A UBL address (`cac:Address` or `cac:PostalAddress`), without a name.
fn read_address(address: &NsElement<'_>) -> Result<Address> {
    let mut street = Vec::new();
    for name in ["StreetName", "AdditionalStreetName"] {
        if let Some(line) = optional_text(address, cbc(name))? {
            street.push(line);
        }
    }
    if let Some(line) = address
        .child(cac("AddressLine"))?
        .map(|line| optional_text(&line, cbc("Line")))
        .transpose()?
        .flatten()
    {
        street.push(line);
    }
    Ok(Address {
        name: String::new(),
        address_id: None,
        deliver_to: Vec::new(),
        street,
        city: optional_text(address, cbc("CityName"))?.unwrap_or_default(),
        state: optional_text(address, cbc("CountrySubentity"))?,
        postal_code: optional_text(address, cbc("PostalZone"))?,
        country_code: required_text(
            &address.required_child(cac("Country"))?,
            "IdentificationCode",
        )?,
        email: None,
    })
}

fn read_contact(contact: &NsElement<'_>) -> Result<Contact> {
    Ok(Contact {
        role: Some("buyer".to_owned()),
        name: optional_text(contact, cbc("Name"))?.unwrap_or_default(),
        email: optional_text(contact, cbc("ElectronicMail"))?,
        phone: optional_text(contact, cbc("Telephone"))?,
    })
}

/// An amount element: its `currencyID`, which must be the document's (PEPPOL-T01-R003), and
/// its value, a decimal with at most 15 digits before the point.
fn read_amount(amount: &NsElement<'_>, currency: &str) -> Result<Money> {
    let element = amount.element();
    let found = element.required_attribute("currencyID")?.trim();
    if found != currency {
        return Err(element.invalid_value(format!(
            "expected the document currency `{}`, found `{}`",
            shorten(currency),
            shorten(found)
        )));
    }
    let value = text(amount);
    crate::limits::parse_cart_amount(&value)
        .map_err(|error| element.invalid_value(error.message()))?;
    Ok(Money {
        amount: value,
        currency: currency.to_owned(),
    })
}

/// Three capital letters, as ISO 4217 codes are.
fn check_currency(element: &Element, currency: &str) -> Result<()> {
    if currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Err(element.invalid_value(format!(
            "expected a currency code such as `EUR`, found `{}`",
            shorten(currency)
        )));
    }
    Ok(())
}

fn text(element: &NsElement<'_>) -> String {
    element.element().trimmed_str().into_owned()
}

/// A required `cbc:` child's text.
fn required_text(parent: &NsElement<'_>, local: &'static str) -> Result<String> {
    Ok(text(&parent.required_child(cbc(local))?))
}

/// An optional child's text; `None` when absent or empty.
fn optional_text(parent: &NsElement<'_>, name: xml::QualifiedName) -> Result<Option<String>> {
    Ok(parent
        .child(name)?
        .map(|element| text(&element))
        .filter(|text| !text.is_empty()))
}

#[cfg(test)]
mod tests;
