//! The buyer's side: the T01 a procurement system sends, written from a [`PeppolOrder`] (the
//! model [`super::read_order`] reads it into), for the demo, tests and simulators, as
//! [`crate::cxml::order_request::write_order_request`] is for cXML. What the reader maps to an
//! element is written back there, so a round trip compares value by value; extrinsics that do
//! not come from an element (and a fourth street line) are not written.
//!
//! The monetary total is made to satisfy the BIS's sums: each line's (with a price or a charge)
//! `LineExtensionAmount` is `quantity × unit price` plus its net charge, rounded to cents; the
//! document's net charge is one `AllowanceCharge`; `TaxExclusiveAmount` follows
//! (PEPPOL-T01-R011); `PayableAmount` is the order's stated total, without a
//! `TaxInclusiveAmount` that would bind it (R016, R017).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::{format_money, Address, Property};
use crate::order::{Charge, OrderLine};
use crate::xml::XmlWriter;

use super::super::{CAC_NS, CBC_NS, LINE_REF_PROPERTY, ORDER_NS};
use super::PeppolOrder;

/// Extrinsics the reader fills from elements of its own (not from `AdditionalItemProperty`).
const LINE_ELEMENTS: [&str; 6] = [
    "Name",
    "BuyersItemID",
    "StandardItemID",
    "TaxCategory",
    "TaxPercent",
    "AccountingCost",
];

/// The T01 for `order`.
pub fn write_order(order: &PeppolOrder) -> String {
    let purchase = &order.order;
    let currency = purchase.currency.as_str();
    let mut w = XmlWriter::with_capacity(
        purchase
            .lines
            .len()
            .saturating_mul(900)
            .saturating_add(4096),
    );
    w.declaration();
    w.open(
        "Order",
        &[
            ("xmlns", ORDER_NS),
            ("xmlns:cac", CAC_NS),
            ("xmlns:cbc", CBC_NS),
        ],
    );
    w.leaf("cbc:CustomizationID", &[], &order.customization_id);
    w.leaf("cbc:ProfileID", &[], &order.profile_id);
    w.leaf("cbc:ID", &[], &purchase.order_id);
    if let Some(sales) = &purchase.supplier_order_id {
        w.leaf("cbc:SalesOrderID", &[], sales);
    }
    let (date, time) = match purchase.order_date.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (purchase.order_date.as_str(), None),
    };
    w.leaf("cbc:IssueDate", &[], date);
    if let Some(time) = time {
        w.leaf("cbc:IssueTime", &[], time);
    }
    if let Some(note) = &purchase.comments {
        w.leaf("cbc:Note", &[], note);
    }
    w.leaf("cbc:DocumentCurrencyCode", &[], currency);
    let header = |name: &str| extrinsic(&purchase.extrinsics, name);
    for name in ["CustomerReference", "AccountingCost"] {
        if let Some(value) = header(name) {
            w.leaf(&format!("cbc:{name}"), &[], value);
        }
    }
    for (element, name) in [
        ("cac:QuotationDocumentReference", "QuotationID"),
        ("cac:CatalogueReference", "CatalogueID"),
        ("cac:Contract", "ContractID"),
        ("cac:ProjectReference", "ProjectID"),
    ] {
        if let Some(value) = header(name) {
            w.open(element, &[]);
            w.leaf("cbc:ID", &[], value);
            w.close(element);
        }
    }

    w.open("cac:BuyerCustomerParty", &[]);
    w.open("cac:Party", &[]);
    endpoint(&mut w, &order.endpoints.buyer);
    w.open("cac:PartyLegalEntity", &[]);
    w.leaf("cbc:RegistrationName", &[], &order.buyer_name);
    w.close("cac:PartyLegalEntity");
    if let Some(contact) = purchase.contacts.first() {
        w.open("cac:Contact", &[]);
        if !contact.name.is_empty() {
            w.leaf("cbc:Name", &[], &contact.name);
        }
        if let Some(phone) = &contact.phone {
            w.leaf("cbc:Telephone", &[], phone);
        }
        if let Some(email) = &contact.email {
            w.leaf("cbc:ElectronicMail", &[], email);
        }
        w.close("cac:Contact");
    }
    w.close("cac:Party");
    w.close("cac:BuyerCustomerParty");

    w.open("cac:SellerSupplierParty", &[]);
    w.open("cac:Party", &[]);
    endpoint(&mut w, &order.endpoints.seller);
    w.open("cac:PostalAddress", &[]);
    w.open("cac:Country", &[]);
    w.leaf("cbc:IdentificationCode", &[], &order.seller_country);
    w.close("cac:Country");
    w.close("cac:PostalAddress");
    w.open("cac:PartyLegalEntity", &[]);
    w.leaf("cbc:RegistrationName", &[], &order.seller_name);
    w.close("cac:PartyLegalEntity");
    w.close("cac:Party");
    w.close("cac:SellerSupplierParty");

    if let Some(bill_to) = &purchase.bill_to {
        w.open("cac:AccountingCustomerParty", &[]);
        w.open("cac:Party", &[]);
        w.open("cac:PartyName", &[]);
        w.leaf("cbc:Name", &[], &bill_to.name);
        w.close("cac:PartyName");
        address(&mut w, "cac:PostalAddress", bill_to);
        w.open("cac:PartyLegalEntity", &[]);
        w.leaf("cbc:RegistrationName", &[], &bill_to.name);
        w.close("cac:PartyLegalEntity");
        w.close("cac:Party");
        w.close("cac:AccountingCustomerParty");
    }

    let period = (
        header("RequestedDeliveryStartDate"),
        header("RequestedDeliveryEndDate"),
    );
    if purchase.ship_to.is_some() || period != (None, None) {
        w.open("cac:Delivery", &[]);
        if let Some(ship_to) = &purchase.ship_to {
            w.open("cac:DeliveryLocation", &[]);
            if let Some(id) = &ship_to.address_id {
                w.leaf("cbc:ID", &[], id);
            }
            if !ship_to.name.is_empty() {
                w.leaf("cbc:Name", &[], &ship_to.name);
            }
            address(&mut w, "cac:Address", ship_to);
            w.close("cac:DeliveryLocation");
        }
        if period != (None, None) {
            w.open("cac:RequestedDeliveryPeriod", &[]);
            if let Some(start) = period.0 {
                w.leaf("cbc:StartDate", &[], start);
            }
            if let Some(end) = period.1 {
                w.leaf("cbc:EndDate", &[], end);
            }
            w.close("cac:RequestedDeliveryPeriod");
        }
        if let Some(ship_to) = purchase
            .ship_to
            .as_ref()
            .filter(|ship_to| !ship_to.deliver_to.is_empty() || ship_to.email.is_some())
        {
            w.open("cac:DeliveryParty", &[]);
            w.open("cac:PartyName", &[]);
            w.leaf("cbc:Name", &[], &ship_to.name);
            w.close("cac:PartyName");
            w.open("cac:Contact", &[]);
            if let Some(name) = ship_to.deliver_to.first() {
                w.leaf("cbc:Name", &[], name);
            }
            if let Some(email) = &ship_to.email {
                w.leaf("cbc:ElectronicMail", &[], email);
            }
            w.close("cac:Contact");
            w.close("cac:DeliveryParty");
        }
        w.close("cac:Delivery");
    }

    let document_charge = purchase.shipping.as_ref().map(net_charge);
    if let (Some(charge), Some(net)) = (&purchase.shipping, document_charge) {
        allowance_charge(&mut w, net, charge, currency, "Shipping", true);
    }
    if let Some(tax) = &purchase.tax {
        w.open("cac:TaxTotal", &[]);
        w.leaf(
            "cbc:TaxAmount",
            &[("currencyID", currency)],
            &tax.money.amount,
        );
        w.close("cac:TaxTotal");
    }
    let line_amounts: Vec<Option<Decimal>> = purchase.lines.iter().map(line_amount).collect();
    let lines_total = line_amounts
        .iter()
        .flatten()
        .fold(Decimal::ZERO, |sum, amount| {
            sum.checked_add(*amount).unwrap_or(sum)
        });
    let net = document_charge.unwrap_or_default();
    let (allowances, charges) = if net < Decimal::ZERO {
        (
            Decimal::ZERO.checked_sub(net).unwrap_or_default(),
            Decimal::ZERO,
        )
    } else {
        (Decimal::ZERO, net)
    };
    w.open("cac:AnticipatedMonetaryTotal", &[]);
    let money = |w: &mut XmlWriter, name: &str, amount: Decimal| {
        w.leaf(name, &[("currencyID", currency)], &format_money(amount));
    };
    money(&mut w, "cbc:LineExtensionAmount", lines_total);
    money(
        &mut w,
        "cbc:TaxExclusiveAmount",
        lines_total.checked_add(net).unwrap_or(lines_total),
    );
    if document_charge.is_some() {
        money(&mut w, "cbc:AllowanceTotalAmount", allowances);
        money(&mut w, "cbc:ChargeTotalAmount", charges);
    }
    w.leaf(
        "cbc:PayableAmount",
        &[("currencyID", currency)],
        &purchase.total.amount,
    );
    w.close("cac:AnticipatedMonetaryTotal");

    for ((line, id), amount) in purchase
        .lines
        .iter()
        .zip(&order.line_ids)
        .zip(&line_amounts)
    {
        write_line(&mut w, line, id, *amount, currency);
    }
    w.close("Order");
    w.finish()
}

fn write_line(
    w: &mut XmlWriter,
    line: &OrderLine,
    id: &str,
    amount: Option<Decimal>,
    currency: &str,
) {
    w.open("cac:OrderLine", &[]);
    if let Some(note) = &line.comments {
        w.leaf("cbc:Note", &[], note);
    }
    w.open("cac:LineItem", &[]);
    w.leaf("cbc:ID", &[], id);
    w.leaf("cbc:Quantity", &[("unitCode", &line.unit)], &line.quantity);
    if let Some(amount) = amount {
        w.leaf(
            "cbc:LineExtensionAmount",
            &[("currencyID", currency)],
            &format_money(amount),
        );
    }
    let own = |name: &str| extrinsic(&line.extrinsics, name);
    if let Some(cost) = own("AccountingCost") {
        w.leaf("cbc:AccountingCost", &[], cost);
    }
    if let Some(date) = &line.requested_delivery_date {
        w.open("cac:Delivery", &[]);
        w.open("cac:RequestedDeliveryPeriod", &[]);
        w.leaf("cbc:StartDate", &[], date);
        w.close("cac:RequestedDeliveryPeriod");
        w.close("cac:Delivery");
    }
    if let Some(charge) = &line.shipping {
        allowance_charge(w, net_charge(charge), charge, currency, "Charge", false);
    }
    if let Some(price) = &line.unit_price {
        w.open("cac:Price", &[]);
        w.leaf(
            "cbc:PriceAmount",
            &[("currencyID", currency)],
            &price.amount,
        );
        w.close("cac:Price");
    }
    w.open("cac:Item", &[]);
    let name = own("Name")
        .or(line.description.as_deref())
        .unwrap_or(&line.supplier_part_id);
    if let Some(description) = &line.description {
        w.leaf("cbc:Description", &[], description);
    }
    w.leaf("cbc:Name", &[], name);
    if let Some(buyers) = own("BuyersItemID") {
        identification(w, "cac:BuyersItemIdentification", buyers);
    }
    if !line.supplier_part_id.is_empty() {
        identification(w, "cac:SellersItemIdentification", &line.supplier_part_id);
    }
    if let Some(manufacturers) = &line.manufacturer_part_id {
        identification(w, "cac:ManufacturersItemIdentification", manufacturers);
    }
    if let Some(classification) = &line.classification {
        w.open("cac:CommodityClassification", &[]);
        w.leaf(
            "cbc:ItemClassificationCode",
            &[("listID", &classification.name)],
            &classification.value,
        );
        w.close("cac:CommodityClassification");
    }
    if let Some(category) = own("TaxCategory") {
        w.open("cac:ClassifiedTaxCategory", &[]);
        w.leaf("cbc:ID", &[], category);
        if let Some(percent) = own("TaxPercent") {
            w.leaf("cbc:Percent", &[], percent);
        }
        w.open("cac:TaxScheme", &[]);
        w.leaf("cbc:ID", &[], "VAT");
        w.close("cac:TaxScheme");
        w.close("cac:ClassifiedTaxCategory");
    }
    if let Some(line_ref) = &line.supplier_part_auxiliary_id {
        item_property(w, LINE_REF_PROPERTY, line_ref);
    }
    for property in line
        .extrinsics
        .iter()
        .filter(|property| !LINE_ELEMENTS.contains(&property.name.as_str()))
    {
        item_property(w, &property.name, &property.value);
    }
    w.close("cac:Item");
    w.close("cac:LineItem");
    w.close("cac:OrderLine");
}

/// A line's amount: `quantity × unit price` plus its net charge, to the cent; `None` for a line
/// with neither a price nor a charge (PEPPOL-T01-R024 counts a missing price as zero).
fn line_amount(line: &OrderLine) -> Option<Decimal> {
    if line.unit_price.is_none() && line.shipping.is_none() {
        return None;
    }
    let price: Decimal = match &line.unit_price {
        Some(price) => price.amount.parse().ok()?,
        None => Decimal::ZERO,
    };
    let quantity: Decimal = line.quantity.parse().ok()?;
    let charge = line.shipping.as_ref().map(net_charge).unwrap_or_default();
    quantity
        .checked_mul(price)?
        .checked_add(charge)
        .map(|amount| amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

fn net_charge(charge: &Charge) -> Decimal {
    charge.money.amount.parse().unwrap_or_default()
}

/// One `cac:AllowanceCharge`: a charge for a net of zero or more, else an allowance of its
/// opposite.
fn allowance_charge(
    w: &mut XmlWriter,
    net: Decimal,
    charge: &Charge,
    currency: &str,
    default_reason: &str,
    reason_required: bool,
) {
    w.open("cac:AllowanceCharge", &[]);
    let is_charge = net >= Decimal::ZERO;
    w.leaf(
        "cbc:ChargeIndicator",
        &[],
        if is_charge { "true" } else { "false" },
    );
    match (&charge.description, reason_required) {
        (Some(reason), _) => w.leaf("cbc:AllowanceChargeReason", &[], reason),
        (None, true) => w.leaf("cbc:AllowanceChargeReason", &[], default_reason),
        (None, false) => {}
    }
    let amount = if is_charge {
        net
    } else {
        Decimal::ZERO.checked_sub(net).unwrap_or_default()
    };
    w.leaf(
        "cbc:Amount",
        &[("currencyID", currency)],
        &format_money(amount),
    );
    w.close("cac:AllowanceCharge");
}

fn endpoint(w: &mut XmlWriter, endpoint: &super::EndpointId) {
    w.leaf(
        "cbc:EndpointID",
        &[("schemeID", &endpoint.scheme)],
        &endpoint.id,
    );
}

fn identification(w: &mut XmlWriter, element: &str, id: &str) {
    w.open(element, &[]);
    w.leaf("cbc:ID", &[], id);
    w.close(element);
}

fn item_property(w: &mut XmlWriter, name: &str, value: &str) {
    w.open("cac:AdditionalItemProperty", &[]);
    w.leaf("cbc:Name", &[], name);
    w.leaf("cbc:Value", &[], value);
    w.close("cac:AdditionalItemProperty");
}

/// A UBL address: the first three street lines, city, postal code, region, country.
fn address(w: &mut XmlWriter, element: &str, address: &Address) {
    w.open(element, &[]);
    if let Some(street) = address.street.first() {
        w.leaf("cbc:StreetName", &[], street);
    }
    if let Some(street) = address.street.get(1) {
        w.leaf("cbc:AdditionalStreetName", &[], street);
    }
    if !address.city.is_empty() {
        w.leaf("cbc:CityName", &[], &address.city);
    }
    if let Some(postal_code) = &address.postal_code {
        w.leaf("cbc:PostalZone", &[], postal_code);
    }
    if let Some(state) = &address.state {
        w.leaf("cbc:CountrySubentity", &[], state);
    }
    if let Some(line) = address.street.get(2) {
        w.open("cac:AddressLine", &[]);
        w.leaf("cbc:Line", &[], line);
        w.close("cac:AddressLine");
    }
    w.open("cac:Country", &[]);
    w.leaf("cbc:IdentificationCode", &[], &address.country_code);
    w.close("cac:Country");
    w.close(element);
}

fn extrinsic<'a>(extrinsics: &'a [Property], name: &str) -> Option<&'a str> {
    extrinsics
        .iter()
        .find(|property| property.name == name)
        .map(|property| property.value.as_str())
}
