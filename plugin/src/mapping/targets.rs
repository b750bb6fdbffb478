//! The fields a mapping can fill, per protocol: name, length, format and the rule used when the
//! profile gives none.

/// How a target field's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldFormat {
    /// Free text.
    Text,
    /// A decimal with at most `integer_digits` digits before and `decimals` after the `.`.
    Decimal { integer_digits: u32, decimals: u32 },
    /// A whole number.
    Integer,
    /// A unit of measure code, translated by the profile's unit table and checked against
    /// UN/ECE Rec 20 (plus the common PCE, PCS, PK, BX).
    UnitCode,
    /// An ISO 4217 currency code.
    Currency,
    /// A unit of measure code, translated by the profile's unit table and checked against
    /// UN/ECE Rec 20 alone (Peppol refuses PCE, PCS, PK and BX).
    Rec20UnitCode,
    /// A code of a Peppol code list.
    Code(CodeList),
    /// A calendar date `YYYY-MM-DD`.
    Date,
}

/// The code lists a Peppol field's value is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeList {
    /// ISO 4217 currencies.
    Iso4217,
    /// ISO 3166-1 alpha-2 countries.
    Iso3166,
    /// UNCL 5305 tax categories.
    Uncl5305,
    /// UNCL 7143 item classification schemes.
    Uncl7143,
    /// ISO 6523 ICD identifier schemes.
    Icd,
    /// Peppol's MIME codes of embedded attachments.
    MimeCode,
    /// UNCL 1001 document names and Peppol's image codes (`PRODUCT_IMAGE`).
    DocumentType,
}

impl CodeList {
    /// The list's name in messages and in the profile's schema.
    pub fn name(self) -> &'static str {
        match self {
            CodeList::Iso4217 => "ISO 4217",
            CodeList::Iso3166 => "ISO 3166-1 alpha-2",
            CodeList::Uncl5305 => "UNCL 5305",
            CodeList::Uncl7143 => "UNCL 7143",
            CodeList::Icd => "ISO 6523 ICD",
            CodeList::MimeCode => "Peppol MIME code",
            CodeList::DocumentType => "UNCL 1001 or Peppol image code",
        }
    }

    /// Whether `code` is in the list.
    pub fn contains(self, code: &str) -> bool {
        use crate::peppol::code_lists::{self as lists, contains};
        match self {
            CodeList::Iso4217 => contains(lists::ISO4217, code),
            CodeList::Iso3166 => contains(lists::ISO3166, code),
            CodeList::Uncl5305 => contains(lists::UNCL5305, code),
            CodeList::Uncl7143 => contains(lists::UNCL7143, code),
            CodeList::Icd => contains(lists::ICD, code),
            CodeList::MimeCode => contains(lists::MIME_CODES, code),
            CodeList::DocumentType => {
                contains(lists::UNCL1001, code) || contains(lists::IMAGE_CODES, code)
            }
        }
    }

    /// The message for a code not in the list (the caller adds the field and location).
    pub fn refusal(self, code: &str) -> String {
        use crate::peppol::code_lists as lists;
        let (codes, what): (&[&str], &str) = match self {
            CodeList::Iso4217 => (lists::ISO4217, "currency codes"),
            CodeList::Iso3166 => (lists::ISO3166, "country codes"),
            CodeList::Uncl5305 => (lists::UNCL5305, "tax categories"),
            CodeList::Uncl7143 => (lists::UNCL7143, "classification schemes"),
            CodeList::Icd => (lists::ICD, "identifier schemes"),
            CodeList::MimeCode => (lists::MIME_CODES, "MIME types"),
            CodeList::DocumentType => (lists::IMAGE_CODES, "document types"),
        };
        crate::peppol::settings::unknown_code(self.name(), what, code, codes)
    }
}

/// A field the mapping can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetField {
    pub name: &'static str,
    /// Maximum length, if the protocol limits it: UTF-16 code units for OCI (what a Unicode SAP
    /// system counts in a `CHAR` field), characters elsewhere (see [`super::text::LengthUnit`]).
    pub max_chars: Option<usize>,
    pub format: FieldFormat,
    /// Whether every line must have a value.
    pub required: bool,
    /// The source path used when the profile maps nothing to this field.
    pub default_source: Option<&'static str>,
    /// What the engine does by default with a value longer than `max_chars`.
    pub default_overflow: Option<super::rule::Overflow>,
    /// Only OCI 5.0 buyers receive the field; a 4.0 buyer's form leaves it out.
    pub oci5_only: bool,
}

const fn text(
    name: &'static str,
    max_chars: Option<usize>,
    default_source: Option<&'static str>,
) -> TargetField {
    TargetField {
        name,
        max_chars,
        format: FieldFormat::Text,
        required: false,
        default_source,
        default_overflow: None,
        oci5_only: false,
    }
}

const fn oci5(field: TargetField) -> TargetField {
    TargetField {
        oci5_only: true,
        ..field
    }
}

const fn required(field: TargetField) -> TargetField {
    TargetField {
        required: true,
        ..field
    }
}

const fn formatted(field: TargetField, format: FieldFormat) -> TargetField {
    TargetField { format, ..field }
}

const fn overflowing(field: TargetField, overflow: super::rule::Overflow) -> TargetField {
    TargetField {
        default_overflow: Some(overflow),
        ..field
    }
}

/// cXML `ItemIn` parts of a PunchOutOrderMessage. Item extrinsics are mapped by name in the
/// profile's `mapping.extrinsics`.
pub const CXML_ITEM_FIELDS: &[TargetField] = &[
    required(text("SupplierPartID", None, Some("sku"))),
    text("SupplierPartAuxiliaryID", None, Some("line_ref")),
    required(text("Description", None, Some("description"))),
    text("ShortName", None, Some("attributes.short-name")),
    required(formatted(
        text("UnitOfMeasure", None, Some("unit")),
        FieldFormat::UnitCode,
    )),
    text("Classification", None, Some("attributes.classification")),
    text(
        "ManufacturerPartID",
        None,
        Some("attributes.manufacturer-part-id"),
    ),
    text(
        "ManufacturerName",
        None,
        Some("attributes.manufacturer-name"),
    ),
    text("URL", None, Some("attributes.url")),
    formatted(
        text("LeadTime", None, Some("attributes.lead-time")),
        FieldFormat::Integer,
    ),
];

const OCI_NUMBER: FieldFormat = FieldFormat::Decimal {
    integer_digits: 11,
    decimals: 3,
};

/// SAP OCI 4.0 and 5.0 `NEW_ITEM-*` fields with their lengths (OCI 4.0 §4.2, 5.0 §3.2).
/// `NEW_ITEM-LONGTEXT` has no length: it receives overflowing text.
pub const OCI_ITEM_FIELDS: &[TargetField] = &[
    overflowing(
        required(text("NEW_ITEM-DESCRIPTION", Some(40), Some("description"))),
        super::rule::Overflow::Longtext,
    ),
    text("NEW_ITEM-MATNR", Some(40), None),
    required(formatted(
        text("NEW_ITEM-QUANTITY", Some(15), Some("quantity")),
        OCI_NUMBER,
    )),
    formatted(
        text("NEW_ITEM-UNIT", Some(3), Some("unit")),
        FieldFormat::UnitCode,
    ),
    formatted(
        text("NEW_ITEM-PRICE", Some(15), Some("unit_price")),
        OCI_NUMBER,
    ),
    formatted(
        text("NEW_ITEM-CURRENCY", Some(5), Some("currency")),
        FieldFormat::Currency,
    ),
    formatted(
        text("NEW_ITEM-PRICEUNIT", Some(5), None),
        FieldFormat::Integer,
    ),
    formatted(
        text("NEW_ITEM-LEADTIME", Some(5), Some("attributes.lead-time")),
        FieldFormat::Integer,
    ),
    text("NEW_ITEM-LONGTEXT", None, None),
    text("NEW_ITEM-VENDOR", Some(10), None),
    text("NEW_ITEM-VENDORMAT", Some(40), Some("sku")),
    text("NEW_ITEM-MANUFACTCODE", Some(10), None),
    text(
        "NEW_ITEM-MANUFACTMAT",
        Some(40),
        Some("attributes.manufacturer-part-id"),
    ),
    text("NEW_ITEM-MATGROUP", Some(10), None),
    text("NEW_ITEM-SERVICE", Some(1), None),
    text("NEW_ITEM-CONTRACT", Some(10), None),
    text("NEW_ITEM-CONTRACT_ITEM", Some(5), None),
    text("NEW_ITEM-EXT_QUOTE_ID", Some(35), None),
    text("NEW_ITEM-EXT_QUOTE_ITEM", Some(10), None),
    text("NEW_ITEM-EXT_PRODUCT_ID", Some(40), Some("sku")),
    text("NEW_ITEM-ATTACHMENT", Some(255), None),
    text("NEW_ITEM-ATTACHMENT_TITLE", Some(255), None),
    text("NEW_ITEM-ATTACHMENT_PURPOSE", Some(1), None),
    text("NEW_ITEM-EXT_SCHEMA_TYPE", Some(10), None),
    text("NEW_ITEM-EXT_CATEGORY_ID", Some(60), None),
    text("NEW_ITEM-EXT_CATEGORY", Some(40), None),
    text("NEW_ITEM-SLD_SYS_NAME", Some(60), None),
    text("NEW_ITEM-CUST_FIELD1", Some(10), None),
    text("NEW_ITEM-CUST_FIELD2", Some(10), None),
    text("NEW_ITEM-CUST_FIELD3", Some(10), None),
    text("NEW_ITEM-CUST_FIELD4", Some(20), None),
    text("NEW_ITEM-CUST_FIELD5", Some(50), None),
    oci5(text("NEW_ITEM-ITEM_TYPE", Some(1), None)),
    oci5(text("NEW_ITEM-PARENT_ID", Some(5), None)),
];

/// The price field whose decimals `NEW_ITEM-PRICEUNIT` can keep exact.
pub const OCI_PRICE: &str = "NEW_ITEM-PRICE";
/// The quantity the price refers to (price per 1, 10, 100, … units).
pub const OCI_PRICE_UNIT: &str = "NEW_ITEM-PRICEUNIT";

/// Amounts and quantities of a Peppol cart: up to 15 digits before the point (the cart's own
/// bound) and 10 after.
const PEPPOL_NUMBER: FieldFormat = FieldFormat::Decimal {
    integer_digits: 15,
    decimals: 10,
};

/// Peppol BIS Punch Out (T77) `CatalogueLine` parts, named by their UBL path below
/// `cac:CatalogueLine` (`RequiredItemLocationQuantity/` left out of `Price/…`, `DeliveryUnit/…`
/// and `LeadTimeMeasure`). Item properties (`AdditionalItemProperty`) are mapped by name in the
/// profile's `mapping.extrinsics`. `ParentLineID` is the cart's item hierarchy: T77 has no
/// element for it, so it travels as the property `ParentLineID`.
pub const PEPPOL_ITEM_FIELDS: &[TargetField] = &[
    required(text("ID", None, Some("line_ref"))),
    text("ParentLineID", None, None),
    formatted(
        text("LineValidityPeriod/StartDate", None, None),
        FieldFormat::Date,
    ),
    formatted(
        text("LineValidityPeriod/EndDate", None, None),
        FieldFormat::Date,
    ),
    formatted(
        text("LeadTimeMeasure", None, Some("attributes.lead-time")),
        FieldFormat::Integer,
    ),
    required(formatted(
        text("Price/PriceAmount", None, Some("unit_price")),
        PEPPOL_NUMBER,
    )),
    required(formatted(
        text("Price/PriceAmount/@currencyID", None, Some("currency")),
        FieldFormat::Code(CodeList::Iso4217),
    )),
    formatted(text("Price/BaseQuantity", None, None), PEPPOL_NUMBER),
    text("Price/PriceType", None, None),
    required(formatted(
        text("DeliveryUnit/BatchQuantity", None, Some("quantity")),
        PEPPOL_NUMBER,
    )),
    required(formatted(
        text("DeliveryUnit/BatchQuantity/@unitCode", None, Some("unit")),
        FieldFormat::Rec20UnitCode,
    )),
    required(text("Item/Name", None, Some("description"))),
    text("Item/Description", None, None),
    text("Item/BuyersItemIdentification/ID", None, None),
    text("Item/SellersItemIdentification/ID", None, Some("sku")),
    text(
        "Item/ManufacturersItemIdentification/ID",
        None,
        Some("attributes.manufacturer-part-id"),
    ),
    text(
        "Item/StandardItemIdentification/ID",
        None,
        Some("attributes.gtin"),
    ),
    formatted(
        text("Item/StandardItemIdentification/ID/@schemeID", None, None),
        FieldFormat::Code(CodeList::Icd),
    ),
    text("Item/ItemSpecificationDocumentReference/ID", None, None),
    formatted(
        text(
            "Item/ItemSpecificationDocumentReference/DocumentTypeCode",
            None,
            None,
        ),
        FieldFormat::Code(CodeList::DocumentType),
    ),
    text(
        "Item/ItemSpecificationDocumentReference/DocumentDescription",
        None,
        None,
    ),
    text(
        "Item/ItemSpecificationDocumentReference/Attachment/ExternalReference/URI",
        None,
        None,
    ),
    text(
        "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject",
        None,
        None,
    ),
    formatted(
        text(
            "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject/@mimeCode",
            None,
            None,
        ),
        FieldFormat::Code(CodeList::MimeCode),
    ),
    text(
        "Item/ItemSpecificationDocumentReference/Attachment/EmbeddedDocumentBinaryObject/@filename",
        None,
        None,
    ),
    formatted(
        text("Item/OriginCountry/IdentificationCode", None, None),
        FieldFormat::Code(CodeList::Iso3166),
    ),
    text(
        "Item/CommodityClassification/ItemClassificationCode",
        None,
        None,
    ),
    formatted(
        text(
            "Item/CommodityClassification/ItemClassificationCode/@listID",
            None,
            None,
        ),
        FieldFormat::Code(CodeList::Uncl7143),
    ),
    text(
        "Item/CommodityClassification/ItemClassificationCode/@listVersionID",
        None,
        None,
    ),
    formatted(
        text("Item/ClassifiedTaxCategory/ID", None, None),
        FieldFormat::Code(CodeList::Uncl5305),
    ),
    formatted(
        text("Item/ClassifiedTaxCategory/Percent", None, None),
        FieldFormat::Decimal {
            integer_digits: 3,
            decimals: 4,
        },
    ),
    text(
        "Item/ManufacturerParty/PartyName/Name",
        None,
        Some("attributes.manufacturer-name"),
    ),
];

/// The target fields of a protocol.
pub fn item_fields(protocol: crate::profile::Protocol) -> &'static [TargetField] {
    match protocol {
        crate::profile::Protocol::Cxml => CXML_ITEM_FIELDS,
        crate::profile::Protocol::Oci => OCI_ITEM_FIELDS,
        crate::profile::Protocol::Peppol => PEPPOL_ITEM_FIELDS,
    }
}

/// [`is_oci_customer_field`] as a JSON Schema pattern.
pub const OCI_CUSTOMER_FIELD_PATTERN: &str = "^NEW_ITEM-[ZY][A-Z0-9_]*$";

/// One line on a target field for the profile's schema: protocol, length, format, default.
pub fn describe(protocol: &str, target: &TargetField) -> String {
    let mut text = format!("{protocol} `{}`", target.name);
    if let Some(max) = target.max_chars {
        text.push_str(&format!(", at most {max} UTF-16 code units"));
    }
    match target.format {
        FieldFormat::Text => {}
        FieldFormat::Decimal {
            integer_digits,
            decimals,
        } => text.push_str(&format!(
            ", a decimal (at most {integer_digits} digits before and {decimals} after the `.`; never rounded)"
        )),
        FieldFormat::Integer => text.push_str(", a whole number"),
        FieldFormat::UnitCode => {
            text.push_str(", a UN/ECE Rec 20 unit code (translated by `units`)")
        }
        FieldFormat::Rec20UnitCode => text.push_str(
            ", a UN/ECE Rec 20 unit code, PCE, PCS, PK and BX refused (translated by `units`)",
        ),
        FieldFormat::Currency => text.push_str(", an ISO 4217 currency code"),
        FieldFormat::Code(list) => text.push_str(&format!(", a code of the {} list", list.name())),
        FieldFormat::Date => text.push_str(", a date `YYYY-MM-DD`"),
    }
    if target.required {
        text.push_str(", required");
    }
    if target.oci5_only {
        text.push_str(", OCI 5.0 only (needs `\"oci\": {\"version\": \"5.0\"}`)");
    }
    if let Some(source) = target.default_source {
        text.push_str(&format!("; default source `{source}`"));
    }
    text
}

/// Customer fields (SAP include `CI_OCI_CUSTOMER_EXTENSION`) live in SAP's customer namespace:
/// `NEW_ITEM-Z…` or `NEW_ITEM-Y…`. Anything else must be a field of the table, so that a typo
/// such as `NEW_ITEM-DESCRIPTON` is caught.
pub fn is_oci_customer_field(name: &str) -> bool {
    name.strip_prefix("NEW_ITEM-").is_some_and(|rest| {
        (rest.starts_with('Z') || rest.starts_with('Y'))
            && rest
                .bytes()
                .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'_')
    })
}

/// The known field closest to a misspelt one, if it is close enough to be a typo.
pub fn closest_field(targets: &[TargetField], name: &str) -> Option<&'static str> {
    closest_name(targets.iter().map(|target| target.name), name)
}

/// The candidate closest to a misspelt name (ASCII case ignored), if it is close enough to be a
/// typo: at most 3 edits, and fewer than the name's length.
pub fn closest_name<'a>(candidates: impl Iterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    candidates
        .map(|candidate| (edit_distance(&candidate.to_lowercase(), &wanted), candidate))
        .filter(|(distance, _)| *distance <= 3 && *distance < wanted.chars().count())
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, found)| found)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i.saturating_add(1)];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous
                .get(j)
                .copied()
                .unwrap_or(0)
                .saturating_add(usize::from(ca != *cb));
            let deletion = previous
                .get(j.saturating_add(1))
                .copied()
                .unwrap_or(0)
                .saturating_add(1);
            let insertion = current.get(j).copied().unwrap_or(0).saturating_add(1);
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}
