//! The BIS Punch Out cart (transaction T77): the shop's cart as a UBL `Catalogue` restricted to
//! the cart's lines, and how it reaches the buyer.
//!
//! Each cart line becomes a `cac:CatalogueLine` whose fields the profile's mapping fills
//! ([`crate::mapping::targets::PEPPOL_ITEM_FIELDS`], named by their UBL path below the line).
//! The line's `cbc:ID` is the shop's line reference (default `line_ref`) and the cart's `cbc:ID`
//! the envelope's payload ID: the buyer's Peppol Order (T01) names the cart in its
//! `CatalogueReference/ID`, and its lines are reconciled against this cart by the seller's item
//! ID and unit (a T01 line has no element that echoes the cart line's ID). Every document validates against the UBL 2.1 Catalogue
//! schema and the official T77 schematron (release 2026.5) with no fatal assert: what a rule
//! would refuse is refused here first, as a typed error located in the cart or the profile.
//!
//! ```
//! # use punchout_plugin::{model::{Cart, CartLine, Envelope}, profile::BuyerProfile};
//! let profile = BuyerProfile::compile(r#"{
//!     "id": "def", "name": "DEF", "protocol": "peppol",
//!     "return_urls": ["https://buyer.example/punchout/"],
//!     "peppol": {
//!         "buyer": {"endpoint": {"scheme": "0192", "id": "123456785"}, "name": "DEF Customer Ltd."},
//!         "seller": {"endpoint": {"scheme": "0192", "id": "987654325"}, "name": "ABC Supplier Ltd."},
//!         "tax": {"category": "S", "percent": "25"},
//!         "delivery": {"mode": "post"}
//!     }}"#, &[])?;
//! let cart = Cart {
//!     currency: "NOK".into(),
//!     lines: vec![CartLine {
//!         line_ref: "1".into(), sku: "MNTR011".into(), quantity: "2".into(),
//!         unit_price: "10".into(), unit: "C62".into(), description: "Copy paper".into(),
//!         attributes: vec![],
//!     }],
//!     shipping: None, tax: None,
//! };
//! let envelope = Envelope { payload_id: "1387".into(), timestamp: "2026-11-30T09:00:00Z".into() };
//! let delivery = punchout_plugin::peppol::cart::cart_return(
//!     &profile, &cart, &envelope, "https://buyer.example/punchout/return")?;
//! assert!(delivery.document.contains("<cbc:PriceAmount currencyID=\"NOK\">10.00</cbc:PriceAmount>"));
//! assert_eq!(delivery.form, None);
//! # Ok::<(), punchout_plugin::Error>(())
//! ```

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::settings::{check_tax, PeppolSettings};
use super::{CAC_NS, CBC_NS, PUNCH_OUT_CUSTOMIZATION_ID, PUNCH_OUT_PROFILE_ID};
use crate::error::{Error, ErrorCode, Result};
use crate::mapping::{CompiledMapping, LineValues, LineView};
use crate::model::{format_money, format_quantity, parse_decimal, shorten, Cart, Envelope};
use crate::profile::{BuyerProfile, Protocol};
use crate::xml::XmlWriter;

/// The namespace of a UBL `Catalogue`.
pub const CATALOGUE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2";

/// The scheme of a GTIN (ISO 6523 ICD `0160`), used for a standard item ID without a scheme.
pub const GTIN_SCHEME: &str = "0160";

/// The item property that carries the cart's item hierarchy (T77 has no element for it).
pub const PARENT_LINE_PROPERTY: &str = "ParentLineID";

/// A cart ready to reach the buyer: the T77 document, where it goes, and for a `form` delivery
/// the page that posts it from the buyer's browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartDelivery {
    /// The UBL `Catalogue` (UTF-8 XML).
    pub document: String,
    /// The return URL, checked against the profile's `return_urls` (byte-exact).
    pub url: String,
    /// The self-submitting HTML page (`form` delivery); `None` for `post`, where the host posts
    /// `document` to `url` itself (`Content-Type: application/xml`).
    pub form: Option<String>,
}

/// Writes the T77 cart and prepares its delivery as the profile says.
///
/// # Errors
/// As [`punch_out_cart`]; `return-url-not-allowed` (field `return_url`) when `return_url` is
/// not among the profile's `return_urls`.
pub fn cart_return(
    profile: &BuyerProfile,
    cart: &Cart,
    envelope: &Envelope,
    return_url: &str,
) -> Result<CartDelivery> {
    let settings = expect_peppol_profile(profile)?;
    let url = profile
        .check_return_url(return_url)
        .map_err(|error| error.at_field("return_url"))?
        .to_owned();
    let document = punch_out_cart(profile, cart, envelope)?;
    let form = settings
        .form()
        .map(|(field, encoding)| super::form::cart_form(&url, field, encoding, &document));
    Ok(CartDelivery {
        document,
        url,
        form,
    })
}

/// Refuses a profile of another protocol, and gives the Peppol settings of a Peppol one.
///
/// # Errors
/// `unsupported-operation`: ``buyer `X` speaks cXML, not Peppol``.
pub fn expect_peppol_profile(profile: &BuyerProfile) -> Result<&PeppolSettings> {
    match (profile.document().protocol, profile.peppol()) {
        (Protocol::Peppol, Some(settings)) => Ok(settings),
        (protocol, _) => Err(Error::new(
            ErrorCode::UnsupportedOperation,
            format!(
                "buyer `{}` speaks {}, not Peppol",
                profile.id(),
                protocol.display_name()
            ),
        )),
    }
}

/// Writes the T77 cart (a UBL `Catalogue`) for a cart.
///
/// # Errors
/// `unsupported-operation` for a profile of another protocol; `invalid-value` at field
/// `payload_id` or `timestamp` for an envelope the document cannot carry (an empty ID, a
/// timestamp that is not `YYYY-MM-DDThh:mm:ss` with an optional zone); `limit-exceeded` over
/// the profile's budgets; `invalid-cart` located by JSON pointer for an empty cart, a value the
/// mapping refuses (a code not in its list, a malformed number or date), a price below zero, a
/// quantity not above zero, a line without seller's or standard item ID, a tax category and rate
/// that do not go together, two lines with one ID, or a parent line that is not another line.
pub fn punch_out_cart(profile: &BuyerProfile, cart: &Cart, envelope: &Envelope) -> Result<String> {
    let settings = expect_peppol_profile(profile)?;
    profile.limits().check_cart(cart)?;
    if cart.lines.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidCart,
            "a Peppol cart needs at least one line (`cac:CatalogueLine` is required)",
        )
        .at_pointer("/lines"));
    }
    let id = envelope.payload_id.as_str();
    if id.trim().is_empty() || id.trim() != id {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "expected the cart's ID without surrounding spaces, found `{}`",
                shorten(id).escape_debug()
            ),
        )
        .at_field("payload_id"));
    }
    let (issue_date, issue_time) =
        super::dates::issue_date_time(&envelope.timestamp).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidValue,
                format!(
                    "expected a timestamp such as `2026-11-30T09:00:00+01:00`, found `{}`",
                    shorten(&envelope.timestamp)
                ),
            )
            .at_field("timestamp")
        })?;
    let validity_end = match settings.validity_days {
        Some(days) => Some(issue_date.add_days(days).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidValue,
                format!("the cart's validity of {days} days ends after the year 9999"),
            )
            .at_field("timestamp")
        })?),
        None => None,
    };

    let mut writer =
        XmlWriter::with_capacity(cart.lines.len().saturating_mul(2048).saturating_add(2048));
    writer.declaration();
    writer.open(
        "Catalogue",
        &[
            ("xmlns", CATALOGUE_NS),
            ("xmlns:cac", CAC_NS),
            ("xmlns:cbc", CBC_NS),
        ],
    );
    writer.leaf("cbc:CustomizationID", &[], PUNCH_OUT_CUSTOMIZATION_ID);
    writer.leaf("cbc:ProfileID", &[], PUNCH_OUT_PROFILE_ID);
    writer.leaf("cbc:ID", &[], id);
    writer.leaf("cbc:IssueDate", &[], &issue_date.to_string());
    writer.leaf("cbc:IssueTime", &[], &issue_time);
    if let Some(end) = validity_end {
        writer.open("cac:ValidityPeriod", &[]);
        writer.leaf("cbc:EndDate", &[], &end.to_string());
        writer.close("cac:ValidityPeriod");
    }
    if let Some(contract) = &settings.contract {
        writer.open("cac:ReferencedContract", &[]);
        writer.leaf("cbc:ID", &[], contract);
        writer.close("cac:ReferencedContract");
    }
    write_party(&mut writer, "cac:ProviderParty", &settings.seller, None);
    write_party(
        &mut writer,
        "cac:ReceiverParty",
        &settings.buyer,
        settings.buyer_reference.as_deref(),
    );

    let mapping = profile.mapping();
    let fields = PeppolFields::of(mapping);
    let mut values = LineValues::new();
    // Line ID → cart index, for duplicates and the hierarchy.
    let mut line_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut parents: Vec<(usize, String, String)> = Vec::new();
    for (index, line) in cart.lines.iter().enumerate() {
        mapping.map_line_into(
            &LineView {
                line,
                currency: &cart.currency,
                line_number: index.saturating_add(1),
            },
            &mut values,
        )?;
        let line_id = write_line(&mut writer, mapping, &fields, &values, settings, index)?;
        if let Some(earlier) = line_ids.insert(line_id.to_owned(), index) {
            return Err(invalid_line(
                index,
                format!(
                    "line ID `{}` (`ID`) is the ID of line {earlier} too: every line of a cart needs its own ID",
                    shorten(line_id)
                ),
            ));
        }
        if let Some(parent) = present(values.non_empty(fields.parent_line_id)) {
            parents.push((index, line_id.to_owned(), parent.to_owned()));
        }
    }
    check_hierarchy(&line_ids, &parents)?;
    writer.close("Catalogue");
    Ok(writer.finish())
}

/// The parent of each line that has one is another line of the cart, and following parents
/// never comes back to where it started. Each line is walked through once (lines already known
/// to lead to a root end a walk), so a deep hierarchy costs no more than a flat one.
fn check_hierarchy(
    line_ids: &BTreeMap<String, usize>,
    parents: &[(usize, String, String)],
) -> Result<()> {
    let parent_of: BTreeMap<&str, (usize, &str)> = parents
        .iter()
        .map(|(index, id, parent)| (id.as_str(), (*index, parent.as_str())))
        .collect();
    for (index, id, parent) in parents {
        if parent == id || !line_ids.contains_key(parent) {
            return Err(invalid_line(
                *index,
                format!(
                    "`ParentLineID` `{}` is not the ID of another line of the cart",
                    shorten(parent)
                ),
            ));
        }
    }
    let mut leads_to_root: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for (_, id, _) in parents {
        let mut walk: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        let mut current = id.as_str();
        while let Some((index, parent)) = parent_of.get(current) {
            if leads_to_root.contains(current) {
                break;
            }
            if !walk.insert(current) {
                return Err(invalid_line(
                    *index,
                    format!(
                        "`ParentLineID` `{}` makes line `{}` its own ancestor: the hierarchy must be a tree",
                        shorten(parent),
                        shorten(current)
                    ),
                ));
            }
            current = parent;
        }
        leads_to_root.extend(walk);
    }
    Ok(())
}

fn write_party(
    writer: &mut XmlWriter,
    element: &str,
    party: &super::settings::PeppolParty,
    contact: Option<&str>,
) {
    writer.open(element, &[]);
    writer.leaf(
        "cbc:EndpointID",
        &[("schemeID", &party.endpoint.scheme)],
        &party.endpoint.id,
    );
    if let Some(identification) = &party.identification {
        writer.open("cac:PartyIdentification", &[]);
        match &identification.scheme {
            Some(scheme) => writer.leaf("cbc:ID", &[("schemeID", scheme)], &identification.id),
            None => writer.leaf("cbc:ID", &[], &identification.id),
        }
        writer.close("cac:PartyIdentification");
    }
    writer.open("cac:PartyLegalEntity", &[]);
    writer.leaf("cbc:RegistrationName", &[], &party.name);
    writer.close("cac:PartyLegalEntity");
    if let Some(contact) = contact {
        writer.open("cac:Contact", &[]);
        writer.leaf("cbc:ID", &[], contact);
        writer.close("cac:Contact");
    }
    writer.close(element);
}

/// Where the T77 fields are in the profile's mapping.
struct PeppolFields {
    id: Option<usize>,
    parent_line_id: Option<usize>,
    start_date: Option<usize>,
    end_date: Option<usize>,
    lead_time: Option<usize>,
    price: Option<usize>,
    currency: Option<usize>,
    base_quantity: Option<usize>,
    price_type: Option<usize>,
    quantity: Option<usize>,
    unit: Option<usize>,
    name: Option<usize>,
    description: Option<usize>,
    buyers_id: Option<usize>,
    sellers_id: Option<usize>,
    manufacturers_id: Option<usize>,
    standard_id: Option<usize>,
    standard_scheme: Option<usize>,
    document_id: Option<usize>,
    document_type: Option<usize>,
    document_description: Option<usize>,
    document_uri: Option<usize>,
    embedded: Option<usize>,
    embedded_mime: Option<usize>,
    embedded_filename: Option<usize>,
    origin_country: Option<usize>,
    classification: Option<usize>,
    classification_list: Option<usize>,
    classification_version: Option<usize>,
    tax_category: Option<usize>,
    tax_percent: Option<usize>,
    manufacturer: Option<usize>,
}

impl PeppolFields {
    fn of(mapping: &CompiledMapping) -> Self {
        let at = |name: &str| mapping.field_index(name);
        const DOCUMENT: &str = "Item/ItemSpecificationDocumentReference/";
        PeppolFields {
            id: at("ID"),
            parent_line_id: at("ParentLineID"),
            start_date: at("LineValidityPeriod/StartDate"),
            end_date: at("LineValidityPeriod/EndDate"),
            lead_time: at("LeadTimeMeasure"),
            price: at("Price/PriceAmount"),
            currency: at("Price/PriceAmount/@currencyID"),
            base_quantity: at("Price/BaseQuantity"),
            price_type: at("Price/PriceType"),
            quantity: at("DeliveryUnit/BatchQuantity"),
            unit: at("DeliveryUnit/BatchQuantity/@unitCode"),
            name: at("Item/Name"),
            description: at("Item/Description"),
            buyers_id: at("Item/BuyersItemIdentification/ID"),
            sellers_id: at("Item/SellersItemIdentification/ID"),
            manufacturers_id: at("Item/ManufacturersItemIdentification/ID"),
            standard_id: at("Item/StandardItemIdentification/ID"),
            standard_scheme: at("Item/StandardItemIdentification/ID/@schemeID"),
            document_id: at(&format!("{DOCUMENT}ID")),
            document_type: at(&format!("{DOCUMENT}DocumentTypeCode")),
            document_description: at(&format!("{DOCUMENT}DocumentDescription")),
            document_uri: at(&format!("{DOCUMENT}Attachment/ExternalReference/URI")),
            embedded: at(&format!(
                "{DOCUMENT}Attachment/EmbeddedDocumentBinaryObject"
            )),
            embedded_mime: at(&format!(
                "{DOCUMENT}Attachment/EmbeddedDocumentBinaryObject/@mimeCode"
            )),
            embedded_filename: at(&format!(
                "{DOCUMENT}Attachment/EmbeddedDocumentBinaryObject/@filename"
            )),
            origin_country: at("Item/OriginCountry/IdentificationCode"),
            classification: at("Item/CommodityClassification/ItemClassificationCode"),
            classification_list: at("Item/CommodityClassification/ItemClassificationCode/@listID"),
            classification_version: at(
                "Item/CommodityClassification/ItemClassificationCode/@listVersionID",
            ),
            tax_category: at("Item/ClassifiedTaxCategory/ID"),
            tax_percent: at("Item/ClassifiedTaxCategory/Percent"),
            manufacturer: at("Item/ManufacturerParty/PartyName/Name"),
        }
    }
}

/// A value the document can carry: Peppol forbids empty elements (PEPPOL-COMMON-R001), and an
/// element holding only spaces counts as empty.
fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|value| !value.trim().is_empty())
}

fn invalid_line(index: usize, message: String) -> Error {
    Error::new(ErrorCode::InvalidCart, message).at_pointer(format!("/lines/{index}"))
}

/// Writes one `cac:CatalogueLine` and returns its ID.
fn write_line<'v>(
    writer: &mut XmlWriter,
    mapping: &CompiledMapping,
    fields: &PeppolFields,
    values: &'v LineValues<'_>,
    settings: &PeppolSettings,
    index: usize,
) -> Result<&'v str> {
    let get = |field: Option<usize>| present(values.non_empty(field));
    let required = |field: Option<usize>, name: &str| {
        get(field).ok_or_else(|| {
            invalid_line(
                index,
                format!("field `{name}`: required, but the value is empty or only spaces"),
            )
        })
    };
    let number = |field: Option<usize>, name: &str| -> Result<Option<Decimal>> {
        get(field)
            .map(|text| {
                parse_decimal(text).map_err(|error| {
                    invalid_line(index, format!("field `{name}`: {}", error.message()))
                })
            })
            .transpose()
    };
    let line_id = required(fields.id, "ID")?;
    let price = number(fields.price, "Price/PriceAmount")?.ok_or_else(|| {
        invalid_line(
            index,
            "field `Price/PriceAmount`: required, but empty".to_owned(),
        )
    })?;
    if price < Decimal::ZERO {
        return Err(invalid_line(
            index,
            format!("field `Price/PriceAmount`: a price cannot be negative, found `{price}` (PEPPOL-T77-R003)"),
        ));
    }
    let currency = required(fields.currency, "Price/PriceAmount/@currencyID")?;
    let quantity = number(fields.quantity, "DeliveryUnit/BatchQuantity")?.unwrap_or_default();
    if quantity <= Decimal::ZERO {
        return Err(invalid_line(
            index,
            format!(
                "field `DeliveryUnit/BatchQuantity`: expected a quantity greater than zero, found `{quantity}` (PEPPOL-T77-R002)"
            ),
        ));
    }
    let base_quantity = number(fields.base_quantity, "Price/BaseQuantity")?;
    if base_quantity.is_some_and(|base| base <= Decimal::ZERO) {
        return Err(invalid_line(
            index,
            "field `Price/BaseQuantity`: expected a quantity greater than zero (PEPPOL-T77-R002)"
                .to_owned(),
        ));
    }
    let unit = required(fields.unit, "DeliveryUnit/BatchQuantity/@unitCode")?;
    let name = required(fields.name, "Item/Name")?;
    let sellers_id = get(fields.sellers_id);
    let standard_id = get(fields.standard_id);
    if sellers_id.is_none() && standard_id.is_none() {
        return Err(invalid_line(
            index,
            "a Peppol cart line needs the seller's item ID or a standard item ID (PEPPOL-T77-R004): map `Item/SellersItemIdentification/ID` (default `sku`) or `Item/StandardItemIdentification/ID`".to_owned(),
        ));
    }
    let (tax_category, tax_percent) =
        line_tax(get(fields.tax_category), get(fields.tax_percent), settings)
            .map_err(|message| invalid_line(index, message))?;
    let classification = match (get(fields.classification), get(fields.classification_list)) {
        (Some(code), Some(list)) => Some((code, list)),
        (Some(code), None) => {
            return Err(invalid_line(
                index,
                format!(
                    "field `Item/CommodityClassification/ItemClassificationCode/@listID`: the classification `{}` needs its UNCL 7143 scheme (PEPPOL-T77-B08501), and the mapping gives none for this line",
                    shorten(code)
                ),
            ))
        }
        (None, _) => None,
    };
    let document =
        DocumentReference::of(fields, &get).map_err(|message| invalid_line(index, message))?;

    writer.open("cac:CatalogueLine", &[]);
    writer.leaf("cbc:ID", &[], line_id);
    let (start, end) = (get(fields.start_date), get(fields.end_date));
    if start.is_some() || end.is_some() {
        writer.open("cac:LineValidityPeriod", &[]);
        if let Some(start) = start {
            writer.leaf("cbc:StartDate", &[], start);
        }
        if let Some(end) = end {
            writer.leaf("cbc:EndDate", &[], end);
        }
        writer.close("cac:LineValidityPeriod");
    }
    writer.open("cac:RequiredItemLocationQuantity", &[]);
    if let Some(days) = get(fields.lead_time) {
        writer.leaf("cbc:LeadTimeMeasure", &[("unitCode", "DAY")], days);
    }
    writer.open("cac:Price", &[]);
    writer.leaf(
        "cbc:PriceAmount",
        &[("currencyID", currency)],
        &format_money(price),
    );
    if let Some(base) = base_quantity {
        // The base quantity is in the line's unit (PEPPOL-T77-R006).
        writer.leaf(
            "cbc:BaseQuantity",
            &[("unitCode", unit)],
            &format_quantity(base),
        );
    }
    if let Some(price_type) = get(fields.price_type) {
        writer.leaf("cbc:PriceType", &[], price_type);
    }
    writer.close("cac:Price");
    writer.open("cac:DeliveryUnit", &[]);
    writer.leaf(
        "cbc:BatchQuantity",
        &[("unitCode", unit)],
        &format_quantity(quantity),
    );
    writer.close("cac:DeliveryUnit");
    writer.close("cac:RequiredItemLocationQuantity");

    writer.open("cac:Item", &[]);
    if let Some(description) = get(fields.description) {
        writer.leaf("cbc:Description", &[], description);
    }
    writer.leaf("cbc:Name", &[], name);
    for (element, value) in [
        ("cac:BuyersItemIdentification", get(fields.buyers_id)),
        ("cac:SellersItemIdentification", sellers_id),
        (
            "cac:ManufacturersItemIdentification",
            get(fields.manufacturers_id),
        ),
    ] {
        if let Some(value) = value {
            writer.open(element, &[]);
            writer.leaf("cbc:ID", &[], value);
            writer.close(element);
        }
    }
    if let Some(standard_id) = standard_id {
        let scheme = get(fields.standard_scheme).unwrap_or(GTIN_SCHEME);
        writer.open("cac:StandardItemIdentification", &[]);
        writer.leaf("cbc:ID", &[("schemeID", scheme)], standard_id);
        writer.close("cac:StandardItemIdentification");
    }
    if let Some(document) = document {
        document.write(writer);
    }
    if let Some(country) = get(fields.origin_country) {
        writer.open("cac:OriginCountry", &[]);
        writer.leaf("cbc:IdentificationCode", &[], country);
        writer.close("cac:OriginCountry");
    }
    if let Some((code, list)) = classification {
        writer.open("cac:CommodityClassification", &[]);
        match get(fields.classification_version) {
            Some(version) => writer.leaf(
                "cbc:ItemClassificationCode",
                &[("listID", list), ("listVersionID", version)],
                code,
            ),
            None => writer.leaf("cbc:ItemClassificationCode", &[("listID", list)], code),
        }
        writer.close("cac:CommodityClassification");
    }
    writer.open("cac:ClassifiedTaxCategory", &[]);
    writer.leaf("cbc:ID", &[], tax_category);
    writer.leaf("cbc:Percent", &[], &format_quantity(tax_percent));
    writer.open("cac:TaxScheme", &[]);
    writer.leaf("cbc:ID", &[], "VAT");
    writer.close("cac:TaxScheme");
    writer.close("cac:ClassifiedTaxCategory");
    for (position, value) in values.extrinsics() {
        let property = mapping.extrinsic_name(position);
        let Some(value) = present(Some(value)) else {
            continue;
        };
        if property == "ServiceIndicator" && value != "true" && value != "false" {
            return Err(invalid_line(
                index,
                format!(
                    "item property `ServiceIndicator` is `true` or `false`, found `{}` (PEPPOL-T77-R007)",
                    shorten(value)
                ),
            ));
        }
        write_property(writer, property, value);
    }
    if let Some(parent) = get(fields.parent_line_id) {
        write_property(writer, PARENT_LINE_PROPERTY, parent);
    }
    if let Some(manufacturer) = get(fields.manufacturer) {
        writer.open("cac:ManufacturerParty", &[]);
        writer.open("cac:PartyName", &[]);
        writer.leaf("cbc:Name", &[], manufacturer);
        writer.close("cac:PartyName");
        writer.close("cac:ManufacturerParty");
    }
    writer.close("cac:Item");
    writer.close("cac:CatalogueLine");
    Ok(line_id)
}

fn write_property(writer: &mut XmlWriter, name: &str, value: &str) {
    writer.open("cac:AdditionalItemProperty", &[]);
    writer.leaf("cbc:Name", &[], name);
    writer.leaf("cbc:Value", &[], value);
    writer.close("cac:AdditionalItemProperty");
}

/// The line's tax: its own category and rate where the mapping gives them, else the profile's.
/// A category of its own without a rate takes the profile's rate only for the profile's own
/// category, and 0 for a category that carries no tax.
fn line_tax<'a>(
    category: Option<&'a str>,
    percent: Option<&str>,
    settings: &'a PeppolSettings,
) -> std::result::Result<(&'a str, Decimal), String> {
    let default = settings.tax.category.as_str();
    let category = category.unwrap_or(default);
    let percent_text = match percent {
        Some(percent) => percent.to_owned(),
        None if category == default => settings.tax.percent.clone(),
        None if matches!(category, "Z" | "E" | "AE" | "K" | "G" | "O") => "0".to_owned(),
        None => {
            return Err(format!(
                "field `Item/ClassifiedTaxCategory/Percent`: the line's tax category `{}` is not the profile's `{default}`, so its rate cannot be the profile's: map `Item/ClassifiedTaxCategory/Percent`",
                shorten(category)
            ))
        }
    };
    check_tax(category, &percent_text).map_err(|(part, message)| {
        let field = if part == "category" { "ID" } else { "Percent" };
        format!("field `Item/ClassifiedTaxCategory/{field}`: {message}")
    })?;
    let percent = parse_decimal(&percent_text).map_err(|error| error.message().to_owned())?;
    Ok((category, percent))
}

/// The line's attachment (`cac:ItemSpecificationDocumentReference`).
struct DocumentReference<'v> {
    id: &'v str,
    type_code: Option<&'v str>,
    description: Option<&'v str>,
    uri: Option<&'v str>,
    /// Base64 content, MIME code and file name.
    embedded: Option<(&'v str, &'v str, &'v str)>,
}

impl<'v> DocumentReference<'v> {
    fn of(
        fields: &PeppolFields,
        get: &dyn Fn(Option<usize>) -> Option<&'v str>,
    ) -> std::result::Result<Option<Self>, String> {
        const EMBEDDED: &str =
            "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject";
        let uri = get(fields.document_uri);
        let embedded = match get(fields.embedded) {
            Some(content) => {
                if !is_base64(content) {
                    return Err(format!(
                        "field `{EMBEDDED}`: expected base64 content, found `{}`",
                        shorten(content)
                    ));
                }
                let mime = get(fields.embedded_mime).ok_or_else(|| {
                    format!("field `{EMBEDDED}/@mimeCode`: an embedded attachment needs its MIME code (PEPPOL-T77-B07701)")
                })?;
                let filename = get(fields.embedded_filename).ok_or_else(|| {
                    format!("field `{EMBEDDED}/@filename`: an embedded attachment needs its file name (PEPPOL-T77-B07703)")
                })?;
                Some((content, mime, filename))
            }
            None => None,
        };
        let Some(id) = get(fields.document_id)
            .or(uri)
            .or(embedded.map(|(_, _, filename)| filename))
        else {
            return Ok(None);
        };
        Ok(Some(DocumentReference {
            id,
            type_code: get(fields.document_type),
            description: get(fields.document_description),
            uri,
            embedded,
        }))
    }

    fn write(&self, writer: &mut XmlWriter) {
        writer.open("cac:ItemSpecificationDocumentReference", &[]);
        writer.leaf("cbc:ID", &[], self.id);
        if let Some(code) = self.type_code {
            writer.leaf("cbc:DocumentTypeCode", &[], code);
        }
        if let Some(description) = self.description {
            writer.leaf("cbc:DocumentDescription", &[], description);
        }
        if self.uri.is_some() || self.embedded.is_some() {
            writer.open("cac:Attachment", &[]);
            if let Some((content, mime, filename)) = self.embedded {
                writer.leaf(
                    "cbc:EmbeddedDocumentBinaryObject",
                    &[("mimeCode", mime), ("filename", filename)],
                    content,
                );
            }
            if let Some(uri) = self.uri {
                writer.open("cac:ExternalReference", &[]);
                writer.leaf("cbc:URI", &[], uri);
                writer.close("cac:ExternalReference");
            }
            writer.close("cac:Attachment");
        }
        writer.close("cac:ItemSpecificationDocumentReference");
    }
}

/// Base64 as `xs:base64Binary` reads it: the alphabet, `=` padding and whitespace.
fn is_base64(text: &str) -> bool {
    use base64::Engine as _;
    let compact: String = text.split_ascii_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .is_ok()
}

/// The pairs of T77 fields that only make sense together, checked when the profile is compiled:
/// a classification code needs its scheme, an embedded attachment its MIME code and file name.
///
/// # Errors
/// `invalid-profile` at the JSON pointer of the field whose partner is missing, one per pair.
pub fn check_mapping(mapping: &crate::mapping::MappingSection) -> Vec<Error> {
    const CLASSIFICATION: &str = "Item/CommodityClassification/ItemClassificationCode";
    const EMBEDDED: &str =
        "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject";
    let mut found = Vec::new();
    let mut needs = |field: &str, partner: String, why: &str| {
        if mapping.fields.contains_key(field) && !mapping.fields.contains_key(&partner) {
            found.push(
                Error::new(
                    ErrorCode::InvalidProfile,
                    format!("`{field}` needs `{partner}` mapped too: {why}"),
                )
                .at_pointer(format!(
                    "/mapping/fields/{}",
                    field.replace('~', "~0").replace('/', "~1")
                )),
            );
        }
    };
    needs(
        CLASSIFICATION,
        format!("{CLASSIFICATION}/@listID"),
        "a classification code is read by its UNCL 7143 scheme (`TST` for UNSPSC, `STQ` for eCl@ss, `STI` for CPV, …)",
    );
    needs(
        EMBEDDED,
        format!("{EMBEDDED}/@mimeCode"),
        "an embedded attachment carries its MIME code",
    );
    needs(
        EMBEDDED,
        format!("{EMBEDDED}/@filename"),
        "an embedded attachment carries its file name",
    );
    for name in mapping.extrinsics.keys() {
        if name.trim().is_empty() || name.trim() != name || name == PARENT_LINE_PROPERTY {
            found.push(
                Error::new(
                    ErrorCode::InvalidProfile,
                    format!(
                        "item property name `{}` must be a name without surrounding spaces, other than `{PARENT_LINE_PROPERTY}` (map the hierarchy to the field `ParentLineID`)",
                        shorten(name).escape_debug()
                    ),
                )
                .at_pointer(format!(
                    "/mapping/extrinsics/{}",
                    name.replace('~', "~0").replace('/', "~1")
                )),
            );
        }
    }
    found
}
