//! The `InvoiceDetailRequest`: an invoice or a credit memo for an order, written from the order
//! the engine read and the shop's [`Invoice`], with every amount computed by the engine
//! ([`Invoice::compute`]).
//!
//! The invoice is detailed (`InvoiceDetailOrder`): one `InvoiceDetailItem` per invoiced portion,
//! referring to its order line (`lineNumber`, `SupplierPartID`, the description), with its
//! `SubtotalAmount` and `Tax`; the `InvoiceDetailSummary` has the subtotal, the tax (one
//! `TaxDetail` per category and rate), the shipping and the gross, net and due amounts. A credit
//! memo is cXML's `lineLevelCreditMemo`: its lines refer to the order's, its amounts are
//! negative, and it refers to the invoice it credits (`DocumentReference`, `InvoiceIDInfo`). The
//! document validates against `InvoiceDetail.dtd`.

use rust_decimal::Decimal;

use crate::error::Result;
use crate::model::{format_quantity, Envelope};
use crate::order::fulfilment::{ComputedTax, Invoice, InvoicePurpose};
use crate::order::money::Currency;
use crate::order::PurchaseOrder;
use crate::profile::BuyerProfile;
use crate::xml::XmlWriter;

use super::{close_order_request, open_order_request, order_sender, write_order_reference};

/// Writes the `InvoiceDetailRequest` for an order.
///
/// # Errors
/// `unsupported-operation` for an OCI profile; `invalid-value` when the order is another buyer's
/// (`/buyer_id`, `/buyer`) and for every refusal of [`Invoice::compute`] (a line the order does
/// not have, a quantity of the wrong sign for the purpose, an unknown currency...), located by a
/// JSON pointer into the invoice or the order; `limit-exceeded` at `/lines`. Nothing is written
/// then.
pub fn invoice_detail_request(
    profile: &BuyerProfile,
    order: &PurchaseOrder,
    invoice: &Invoice,
    envelope: &Envelope,
) -> Result<String> {
    let sender = order_sender(profile, order)?;
    let computed = invoice.compute(order, &profile.limits())?;
    let language = profile.defaults().language.as_str();
    let currency = computed.currency;

    let mut writer = XmlWriter::with_capacity(
        invoice
            .lines
            .len()
            .saturating_mul(1200)
            .saturating_add(3072),
    );
    open_order_request(&mut writer, envelope, super::INVOICE_DTD, &sender, order);
    writer.open("InvoiceDetailRequest", &[]);

    let purpose = match invoice.purpose {
        InvoicePurpose::Standard => "standard",
        InvoicePurpose::CreditMemo => "lineLevelCreditMemo",
    };
    writer.open(
        "InvoiceDetailRequestHeader",
        &[
            ("invoiceID", invoice.invoice_id.as_str()),
            ("purpose", purpose),
            ("operation", "new"),
            ("invoiceDate", invoice.invoice_date.as_str()),
        ],
    );
    writer.empty("InvoiceDetailHeaderIndicator", &[]);
    if computed.tax_in_lines {
        writer.empty("InvoiceDetailLineIndicator", &[("isTaxInLine", "yes")]);
    } else {
        writer.empty("InvoiceDetailLineIndicator", &[]);
    }
    if let Some(name) = &invoice.remit_to {
        writer.open("InvoicePartner", &[]);
        writer.open("Contact", &[("role", "remitTo")]);
        writer.leaf("Name", &[("xml:lang", language)], name);
        writer.close("Contact");
        writer.close("InvoicePartner");
    }
    if let Some(original) = &invoice.original_invoice {
        writer.empty("DocumentReference", &[("payloadID", &original.payload_id)]);
        match &original.invoice_date {
            Some(date) => writer.empty(
                "InvoiceIDInfo",
                &[("invoiceID", &original.invoice_id), ("invoiceDate", date)],
            ),
            None => writer.empty("InvoiceIDInfo", &[("invoiceID", &original.invoice_id)]),
        }
    }
    if let Some(comments) = &invoice.comments {
        writer.leaf("Comments", &[("xml:lang", language)], comments);
    }
    writer.close("InvoiceDetailRequestHeader");

    writer.open("InvoiceDetailOrder", &[]);
    writer.open("InvoiceDetailOrderInfo", &[]);
    write_order_reference(&mut writer, order);
    if let Some(supplier_order) = &order.supplier_order_id {
        writer.empty("SupplierOrderInfo", &[("orderID", supplier_order)]);
    }
    writer.close("InvoiceDetailOrderInfo");
    for (index, line) in computed.lines.iter().enumerate() {
        let order_line = line.order_line;
        let position = index.saturating_add(1).to_string();
        let quantity = format_quantity(line.quantity);
        writer.open(
            "InvoiceDetailItem",
            &[("invoiceLineNumber", &position), ("quantity", &quantity)],
        );
        writer.leaf("UnitOfMeasure", &[], &order_line.unit);
        writer.open("UnitPrice", &[]);
        let mut price = String::new();
        crate::decimal_text::push_decimal(&mut price, line.unit_price, currency.minor_units());
        writer.leaf("Money", &[("currency", currency.code())], &price);
        writer.close("UnitPrice");
        let line_number = order_line.line_number.to_string();
        writer.open(
            "InvoiceDetailItemReference",
            &[("lineNumber", &line_number)],
        );
        writer.open("ItemID", &[]);
        writer.leaf("SupplierPartID", &[], &order_line.supplier_part_id);
        if let Some(auxiliary) = &order_line.supplier_part_auxiliary_id {
            writer.leaf("SupplierPartAuxiliaryID", &[], auxiliary);
        }
        writer.close("ItemID");
        if let Some(description) = &order_line.description {
            writer.leaf("Description", &[("xml:lang", language)], description);
        }
        if let Some(classification) = &order_line.classification {
            writer.leaf(
                "Classification",
                &[("domain", &classification.name)],
                &classification.value,
            );
        }
        if let (Some(part), Some(name)) = (
            &order_line.manufacturer_part_id,
            &order_line.manufacturer_name,
        ) {
            writer.leaf("ManufacturerPartID", &[], part);
            writer.leaf("ManufacturerName", &[("xml:lang", language)], name);
        }
        writer.close("InvoiceDetailItemReference");
        write_amount(&mut writer, "SubtotalAmount", currency, line.subtotal);
        if let Some(tax) = &line.tax {
            write_tax(
                &mut writer,
                currency,
                language,
                tax.amount,
                &[tax_detail(tax)],
            );
        }
        writer.close("InvoiceDetailItem");
    }
    writer.close("InvoiceDetailOrder");

    writer.open("InvoiceDetailSummary", &[]);
    write_amount(&mut writer, "SubtotalAmount", currency, computed.subtotal);
    let details: Vec<TaxDetail<'_>> = computed
        .taxes
        .iter()
        .map(|total| TaxDetail {
            category: &total.category,
            rate: total.rate,
            taxable: total.taxable,
            amount: total.amount,
        })
        .collect();
    write_tax(&mut writer, currency, language, computed.tax, &details);
    if let Some(shipping) = &computed.shipping {
        write_amount(&mut writer, "ShippingAmount", currency, shipping.amount);
    }
    write_amount(&mut writer, "GrossAmount", currency, computed.total);
    write_amount(&mut writer, "NetAmount", currency, computed.total);
    write_amount(&mut writer, "DueAmount", currency, computed.total);
    writer.close("InvoiceDetailSummary");

    writer.close("InvoiceDetailRequest");
    close_order_request(&mut writer);
    Ok(writer.finish())
}

/// One `TaxDetail`: a category and rate with the taxable amount and the tax.
struct TaxDetail<'a> {
    category: &'a str,
    rate: Decimal,
    taxable: Decimal,
    amount: Decimal,
}

fn tax_detail<'a>(tax: &ComputedTax<'a>) -> TaxDetail<'a> {
    TaxDetail {
        category: tax.category,
        rate: tax.rate,
        taxable: tax.taxable,
        amount: tax.amount,
    }
}

/// `<element><Money currency="…">amount</Money></element>`, with the currency's decimals.
fn write_amount(writer: &mut XmlWriter, element: &str, currency: Currency, amount: Decimal) {
    writer.open(element, &[]);
    writer.leaf(
        "Money",
        &[("currency", currency.code())],
        &currency.format(amount),
    );
    writer.close(element);
}

/// A `Tax` with its total, a description naming the categories and rates, and one `TaxDetail`
/// per category and rate.
fn write_tax(
    writer: &mut XmlWriter,
    currency: Currency,
    language: &str,
    total: Decimal,
    details: &[TaxDetail<'_>],
) {
    writer.open("Tax", &[]);
    writer.leaf(
        "Money",
        &[("currency", currency.code())],
        &currency.format(total),
    );
    let description = if details.is_empty() {
        "no tax".to_owned()
    } else {
        details
            .iter()
            .map(|detail| format!("{} {}%", detail.category, format_quantity(detail.rate)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writer.leaf("Description", &[("xml:lang", language)], &description);
    for detail in details {
        let rate = format_quantity(detail.rate);
        writer.open(
            "TaxDetail",
            &[("category", detail.category), ("percentageRate", &rate)],
        );
        write_amount(writer, "TaxableAmount", currency, detail.taxable);
        write_amount(writer, "TaxAmount", currency, detail.amount);
        writer.close("TaxDetail");
    }
    writer.close("Tax");
}
