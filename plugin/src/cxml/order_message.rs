//! The `PunchOutOrderMessage`: the shop's cart as the buyer's system receives it, and the same
//! message read back as a buyer would.
//!
//! Each cart line becomes an `ItemIn`. The shop's line reference travels in
//! `SupplierPartAuxiliaryID` so that an edit session and the later order find the line again.
//! Product attributes the engine understands (see [`attributes`]) fill the optional parts of
//! `ItemDetail`; the buyer profile translates units and adds item extrinsics.

use rust_decimal::Decimal;

use crate::decimal_text::push_decimal;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{parse_cart_amount, parse_line_quantity};
use crate::mapping::{LineValues, LineView, MappedLine};
use crate::model::{
    format_money, format_quantity, parse_decimal, Cart, CartLine, Envelope, Property, Session,
    SetupOperation,
};
use crate::profile::BuyerProfile;
use crate::xml::{self, escape_attribute, escape_text, Element, ParseOptions, XmlWriter};

use super::{expect_cxml_root, expect_only_child, open_document, read_credential, write_header};

/// Names of the cart-line attributes the engine maps into `ItemDetail`.
pub mod attributes {
    /// `ShortName` inside `Description`.
    pub const SHORT_NAME: &str = "short-name";
    /// A classification code in the profile's default domain.
    pub const CLASSIFICATION: &str = "classification";
    /// Prefix of a classification code in a named domain: `classification:eCl@ss`.
    pub const CLASSIFICATION_PREFIX: &str = "classification:";
    pub const MANUFACTURER_PART_ID: &str = "manufacturer-part-id";
    pub const MANUFACTURER_NAME: &str = "manufacturer-name";
    /// A product page.
    pub const URL: &str = "url";
    /// Lead time in whole days.
    pub const LEAD_TIME: &str = "lead-time";
    /// Prefix under which read-back extrinsics appear: `extrinsic:ImageURL`.
    pub const EXTRINSIC_PREFIX: &str = "extrinsic:";
}

/// A `PunchOutOrderMessage` as the buyer's system reads it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderMessage {
    pub buyer_cookie: String,
    pub operation_allowed: SetupOperation,
    pub currency: String,
    pub total: String,
    pub lines: Vec<CartLine>,
}

/// A cart line with its decimals read and its fields mapped by the profile.
struct CheckedLine<'a> {
    quantity: Decimal,
    unit_price: Decimal,
    mapped: MappedLine,
    classifications: Vec<(&'a str, String)>,
}

/// What the buyer may do with the returned cart: an inspect session stays read-only.
fn operation_allowed(session: &Session) -> SetupOperation {
    match session.operation {
        SetupOperation::Inspect => SetupOperation::Inspect,
        SetupOperation::Create | SetupOperation::Edit => SetupOperation::Edit,
    }
}

/// Writes the `PunchOutOrderMessage` for a cart.
///
/// # Errors
/// `unsupported-operation` for an OCI profile; `invalid-session` when the session belongs to
/// another profile or its return URL is not allowed; `limit-exceeded` at `/lines` or
/// `/lines/N/attributes` over the profile's [`crate::limits::InputLimits`], before any line is
/// read; `invalid-cart` located by JSON pointer for a bad currency, a decimal that is malformed
/// or has more than [`crate::limits::MAX_INTEGER_DIGITS`] digits before the point, a quantity
/// not greater than zero, a negative price, shipping or tax, a total out of range, or a line
/// without the classification cXML requires.
pub fn order_message(
    profile: &BuyerProfile,
    session: &Session,
    cart: &Cart,
    envelope: &Envelope,
) -> Result<String> {
    super::expect_cxml_profile(profile)?;
    check_session(profile, session)?;
    profile.limits().check_cart(cart)?;
    match cart_amounts(cart) {
        Some(amounts) => write_message(profile, session, cart, envelope, &amounts, None),
        // Something in the cart is refused: the checking path finds the first error in the
        // order the engine reports them (line by line, then shipping, tax and the total).
        None => order_message_checked(profile, session, cart, envelope),
    }
}

/// The cart return: the `PunchOutOrderMessage` of [`order_message`] and the page of
/// [`super::form::cart_form`] that posts it to the session's return URL, written together (each
/// part of the message goes into the page's value as soon as it is written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartReturn {
    pub message: String,
    pub form_html: String,
}

/// Writes the message and its form in one pass.
///
/// # Errors
/// As [`order_message`].
pub fn cart_return(
    profile: &BuyerProfile,
    session: &Session,
    cart: &Cart,
    envelope: &Envelope,
) -> Result<CartReturn> {
    super::expect_cxml_profile(profile)?;
    check_session(profile, session)?;
    profile.limits().check_cart(cart)?;
    let encoding = profile.cxml().form_encoding;
    let Some(amounts) = cart_amounts(cart) else {
        // A refused cart is refused by the checking path; a cart it accepts after all gets
        // its form from the finished message.
        let message = order_message_checked(profile, session, cart, envelope)?;
        let form_html = super::form::cart_form(&session.return_url, encoding, &message);
        return Ok(CartReturn { message, form_html });
    };
    let capacity = message_capacity(&amounts);
    // The value grows by the entities of `&` and `"` (about one byte in eight) or by base64's
    // third; the page grows in the rare cart that needs more.
    let value_len = match encoding {
        crate::profile::FormEncoding::CxmlUrlencoded => capacity.saturating_add(capacity / 8),
        crate::profile::FormEncoding::CxmlBase64 => {
            base64::encoded_len(capacity, true).unwrap_or(capacity)
        }
    };
    let mut form = super::form::FormWriter::new(&session.return_url, encoding, value_len);
    let message = write_message(profile, session, cart, envelope, &amounts, Some(&mut form))?;
    let form_html = form.finish(&message);
    Ok(CartReturn { message, form_html })
}

/// The cart's amounts, read before any line is mapped so that the header (with the total) can be
/// written first and every line straight after it.
struct CartAmounts {
    /// Quantity and unit price of each line.
    lines: Vec<(Decimal, Decimal)>,
    shipping: Option<Decimal>,
    tax: Option<Decimal>,
    total: Decimal,
    /// The bytes of the cart's text, for reserving the document's size.
    text_bytes: usize,
}

/// The amounts when everything checked before the mapping passes: the currency, each line's
/// reference, quantity and price, shipping, tax and the total. `None` when any of them is
/// refused.
fn cart_amounts(cart: &Cart) -> Option<CartAmounts> {
    let currency = &cart.currency;
    if currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return None;
    }
    let mut lines = Vec::with_capacity(cart.lines.len());
    let mut text_bytes: usize = 0;
    for (index, line) in cart.lines.iter().enumerate() {
        if line.line_ref.trim().is_empty() {
            return None;
        }
        let quantity = parse_line_quantity(&line.quantity, index).ok()?;
        let unit_price = parse_cart_amount(&line.unit_price).ok()?;
        if unit_price < Decimal::ZERO {
            return None;
        }
        lines.push((quantity, unit_price));
        let attributes = line.attributes.iter().fold(0usize, |sum, property| {
            sum.saturating_add(property.value.len())
        });
        text_bytes = text_bytes
            .saturating_add(line.description.len())
            .saturating_add(line.sku.len())
            .saturating_add(line.line_ref.len())
            .saturating_add(attributes);
    }
    let shipping = optional_amount(cart.shipping.as_deref(), "/shipping").ok()?;
    let tax = optional_amount(cart.tax.as_deref(), "/tax").ok()?;
    let mut total = shipping
        .unwrap_or_default()
        .checked_add(tax.unwrap_or_default())?;
    for (quantity, unit_price) in &lines {
        total = quantity.checked_mul(*unit_price)?.checked_add(total)?;
    }
    Some(CartAmounts {
        lines,
        shipping,
        tax,
        total,
        text_bytes,
    })
}

/// The size reserved for a message: about 900 bytes of markup per line around its text (which
/// grows a little by escaping).
fn message_capacity(amounts: &CartAmounts) -> usize {
    amounts
        .lines
        .len()
        .saturating_mul(900)
        .saturating_add(amounts.text_bytes.saturating_add(amounts.text_bytes / 8))
        .saturating_add(2048)
}

/// Where the cXML fields are in the profile's mapping.
struct CxmlFields {
    supplier_part_id: Option<usize>,
    supplier_part_auxiliary_id: Option<usize>,
    description: Option<usize>,
    short_name: Option<usize>,
    unit_of_measure: Option<usize>,
    classification: Option<usize>,
    manufacturer_part_id: Option<usize>,
    manufacturer_name: Option<usize>,
    url: Option<usize>,
    lead_time: Option<usize>,
}

impl CxmlFields {
    fn of(mapping: &crate::mapping::CompiledMapping) -> Self {
        CxmlFields {
            supplier_part_id: mapping.field_index("SupplierPartID"),
            supplier_part_auxiliary_id: mapping.field_index("SupplierPartAuxiliaryID"),
            description: mapping.field_index("Description"),
            short_name: mapping.field_index("ShortName"),
            unit_of_measure: mapping.field_index("UnitOfMeasure"),
            classification: mapping.field_index("Classification"),
            manufacturer_part_id: mapping.field_index("ManufacturerPartID"),
            manufacturer_name: mapping.field_index("ManufacturerName"),
            url: mapping.field_index("URL"),
            lead_time: mapping.field_index("LeadTime"),
        }
    }
}

/// Writes the message of a cart whose amounts passed: the header, then each line as it is
/// mapped, into one buffer reserved for the whole document.
fn write_message(
    profile: &BuyerProfile,
    session: &Session,
    cart: &Cart,
    envelope: &Envelope,
    amounts: &CartAmounts,
    mut form: Option<&mut super::form::FormWriter>,
) -> Result<String> {
    let defaults = profile.defaults();
    let settings = profile.cxml();
    let currency = cart.currency.as_str();
    let language = defaults.language.as_str();
    let user_agent = settings
        .user_agent
        .as_deref()
        .unwrap_or(super::DEFAULT_USER_AGENT);
    let mut writer = XmlWriter::with_capacity(message_capacity(amounts));
    write_message_header(
        &mut writer,
        session,
        envelope,
        user_agent,
        currency,
        language,
        amounts.total,
        amounts.shipping,
        amounts.tax,
    );
    if let Some(form) = form.as_deref_mut() {
        form.push_message(writer.buffer());
    }
    let mapping = profile.mapping();
    let fields = CxmlFields::of(mapping);
    let pieces = ItemPieces::new(profile, currency);
    let mut values = LineValues::new();
    for (index, (line, (quantity, unit_price))) in cart.lines.iter().zip(&amounts.lines).enumerate()
    {
        let line_number = index.saturating_add(1);
        mapping.map_line_into(
            &LineView {
                line,
                currency,
                line_number,
            },
            &mut values,
        )?;
        let has_classification = values.non_empty(fields.classification).is_some()
            || line
                .attributes
                .iter()
                .any(|property| property.name.starts_with(attributes::CLASSIFICATION_PREFIX));
        if !has_classification && defaults.classification_code.is_none() {
            return Err(Error::new(
                ErrorCode::InvalidCart,
                format!(
                    "line has no `classification` attribute and the buyer profile has no default classification code (cXML requires one in `{}`)",
                    defaults.classification_domain
                ),
            )
            .at_pointer(format!("/lines/{index}/attributes")));
        }
        write_item_in(
            writer.buffer(),
            &pieces,
            &fields,
            &values,
            line,
            line_number,
            *quantity,
            *unit_price,
        );
        if let Some(form) = form.as_deref_mut() {
            form.push_message(writer.buffer());
        }
    }
    writer.close("PunchOutOrderMessage");
    writer.close("Message");
    writer.close("cXML");
    Ok(writer.finish())
}

/// The markup of an `ItemIn` that is the same for every line of a cart, escaped once: `ItemIn`
/// sits at depth 3 (six spaces), its children at 4 and 5.
struct ItemPieces {
    /// `<Money currency="…">` of the unit price.
    money_open: String,
    /// `<Description xml:lang="…">`.
    description_open: String,
    /// `<Classification domain="…">` in the profile's default domain.
    classification_open: String,
    /// The default classification code, escaped, when the profile has one.
    default_classification: Option<String>,
    /// `<ManufacturerName xml:lang="…">`.
    manufacturer_name_open: String,
    /// `<Extrinsic name="…">` per extrinsic of the mapping.
    extrinsic_open: Vec<String>,
}

impl ItemPieces {
    fn new(profile: &BuyerProfile, currency: &str) -> Self {
        let defaults = profile.defaults();
        let language = defaults.language.as_str();
        let tag = |head: &str, value: &str| {
            let mut tag = String::from(head);
            escape_attribute(&mut tag, value);
            tag.push_str("\">");
            tag
        };
        let mapping = profile.mapping();
        ItemPieces {
            money_open: tag("            <Money currency=\"", currency),
            description_open: tag("          <Description xml:lang=\"", language),
            classification_open: tag(
                "          <Classification domain=\"",
                &defaults.classification_domain,
            ),
            default_classification: defaults.classification_code.as_deref().map(|code| {
                let mut text = String::new();
                escape_text(&mut text, code);
                text
            }),
            manufacturer_name_open: tag("          <ManufacturerName xml:lang=\"", language),
            extrinsic_open: (0..mapping.extrinsic_count())
                .map(|index| {
                    tag(
                        "          <Extrinsic name=\"",
                        mapping.extrinsic_name(index),
                    )
                })
                .collect(),
        }
    }
}

/// `<element>text</element>` and a line end, `open` already indented.
fn push_leaf(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    escape_text(out, text);
    out.push_str(close);
}

/// Writes one `ItemIn` from the line's mapped values, as `write_item` does with the writer's
/// element calls (the golden documents test keeps the two identical).
#[allow(clippy::too_many_arguments)]
fn write_item_in(
    out: &mut String,
    pieces: &ItemPieces,
    fields: &CxmlFields,
    values: &LineValues,
    line: &CartLine,
    line_number: usize,
    quantity: Decimal,
    unit_price: Decimal,
) {
    let field = |index: Option<usize>| values.non_empty(index);
    out.push_str("      <ItemIn quantity=\"");
    push_decimal(out, quantity, 0);
    out.push_str("\" lineNumber=\"");
    out.push_str(itoa::Buffer::new().format(line_number));
    out.push_str("\">\n        <ItemID>\n");
    push_leaf(
        out,
        "          <SupplierPartID>",
        field(fields.supplier_part_id).unwrap_or_default(),
        "</SupplierPartID>\n",
    );
    if let Some(reference) = field(fields.supplier_part_auxiliary_id) {
        push_leaf(
            out,
            "          <SupplierPartAuxiliaryID>",
            reference,
            "</SupplierPartAuxiliaryID>\n",
        );
    }
    out.push_str("        </ItemID>\n        <ItemDetail>\n          <UnitPrice>\n");
    out.push_str(&pieces.money_open);
    push_decimal(out, unit_price, 2);
    out.push_str("</Money>\n          </UnitPrice>\n");
    out.push_str(&pieces.description_open);
    escape_text(out, field(fields.description).unwrap_or_default());
    if let Some(short_name) = field(fields.short_name) {
        push_leaf(out, "<ShortName>", short_name, "</ShortName>");
    }
    out.push_str("</Description>\n");
    push_leaf(
        out,
        "          <UnitOfMeasure>",
        field(fields.unit_of_measure).unwrap_or_default(),
        "</UnitOfMeasure>\n",
    );
    let mapped_classification = field(fields.classification);
    if let Some(code) = mapped_classification {
        push_leaf(
            out,
            &pieces.classification_open,
            code,
            "</Classification>\n",
        );
    }
    let mut named = false;
    for property in &line.attributes {
        if let Some(domain) = property
            .name
            .strip_prefix(attributes::CLASSIFICATION_PREFIX)
        {
            out.push_str("          <Classification domain=\"");
            escape_attribute(out, domain);
            out.push_str("\">");
            escape_text(out, &property.value);
            out.push_str("</Classification>\n");
            named = true;
        }
    }
    if !named && mapped_classification.is_none() {
        if let Some(code) = &pieces.default_classification {
            out.push_str(&pieces.classification_open);
            out.push_str(code);
            out.push_str("</Classification>\n");
        }
    }
    if let Some(part_id) = field(fields.manufacturer_part_id) {
        push_leaf(
            out,
            "          <ManufacturerPartID>",
            part_id,
            "</ManufacturerPartID>\n",
        );
    }
    if let Some(name) = field(fields.manufacturer_name) {
        push_leaf(
            out,
            &pieces.manufacturer_name_open,
            name,
            "</ManufacturerName>\n",
        );
    }
    if let Some(url) = field(fields.url) {
        push_leaf(out, "          <URL>", url, "</URL>\n");
    }
    if let Some(lead_time) = field(fields.lead_time) {
        push_leaf(out, "          <LeadTime>", lead_time, "</LeadTime>\n");
    }
    for (extrinsic, value) in values.extrinsics() {
        push_leaf(
            out,
            pieces
                .extrinsic_open
                .get(extrinsic)
                .map(String::as_str)
                .unwrap_or_default(),
            value,
            "</Extrinsic>\n",
        );
    }
    out.push_str("        </ItemDetail>\n      </ItemIn>\n");
}

/// The document up to the first `ItemIn`: declaration, header, buyer cookie and totals.
#[allow(clippy::too_many_arguments)]
fn write_message_header(
    writer: &mut XmlWriter,
    session: &Session,
    envelope: &Envelope,
    user_agent: &str,
    currency: &str,
    language: &str,
    total: Decimal,
    shipping: Option<Decimal>,
    tax: Option<Decimal>,
) {
    open_document(writer, envelope);
    write_header(writer, &session.supplier, &session.buyer, user_agent);
    writer.open("Message", &[]);
    writer.open("PunchOutOrderMessage", &[]);
    writer.leaf("BuyerCookie", &[], &session.buyer_cookie);
    writer.open(
        "PunchOutOrderMessageHeader",
        &[("operationAllowed", operation_allowed(session).as_str())],
    );
    write_money(writer, "Total", currency, total, None);
    if let Some(shipping) = shipping {
        write_money(
            writer,
            "Shipping",
            currency,
            shipping,
            Some((language, "Shipping")),
        );
    }
    if let Some(tax) = tax {
        write_money(writer, "Tax", currency, tax, Some((language, "Tax")));
    }
    writer.close("PunchOutOrderMessageHeader");
}

/// [`order_message`] by checking every line first and writing after: the path that reports the
/// first refusal of a cart in the engine's order.
fn order_message_checked(
    profile: &BuyerProfile,
    session: &Session,
    cart: &Cart,
    envelope: &Envelope,
) -> Result<String> {
    let lines = check_cart(profile, cart)?;
    let invalid_cart = |pointer: &str, message: &str| {
        Error::new(ErrorCode::InvalidCart, message).at_pointer(pointer)
    };
    let shipping = optional_amount(cart.shipping.as_deref(), "/shipping")?;
    let tax = optional_amount(cart.tax.as_deref(), "/tax")?;
    // Bounded amounts cannot overflow here, but a panic in the guest is a trap in the shop.
    let mut total = shipping
        .unwrap_or_default()
        .checked_add(tax.unwrap_or_default())
        .ok_or_else(|| invalid_cart("/tax", "the cart total is out of range"))?;
    for line in &lines {
        let amount = line
            .quantity
            .checked_mul(line.unit_price)
            .and_then(|amount| amount.checked_add(total))
            .ok_or_else(|| invalid_cart("/lines", "the cart total is out of range"))?;
        total = amount;
    }

    let defaults = profile.defaults();
    let settings = profile.cxml();
    let currency = cart.currency.as_str();
    let language = defaults.language.as_str();
    let user_agent = settings
        .user_agent
        .as_deref()
        .unwrap_or(super::DEFAULT_USER_AGENT);

    let mut writer =
        XmlWriter::with_capacity(lines.len().saturating_mul(1200).saturating_add(2048));
    write_message_header(
        &mut writer,
        session,
        envelope,
        user_agent,
        currency,
        language,
        total,
        shipping,
        tax,
    );
    for (index, line) in lines.iter().enumerate() {
        write_item(
            &mut writer,
            profile,
            currency,
            index.saturating_add(1),
            line,
        );
    }
    writer.close("PunchOutOrderMessage");
    writer.close("Message");
    writer.close("cXML");
    Ok(writer.finish())
}

fn write_money(
    writer: &mut XmlWriter,
    element: &str,
    currency: &str,
    amount: Decimal,
    description: Option<(&str, &str)>,
) {
    writer.open(element, &[]);
    let mut text = String::new();
    push_decimal(&mut text, amount, 2);
    writer.leaf("Money", &[("currency", currency)], &text);
    if let Some((language, text)) = description {
        writer.leaf("Description", &[("xml:lang", language)], text);
    }
    writer.close(element);
}

fn write_item(
    writer: &mut XmlWriter,
    profile: &BuyerProfile,
    currency: &str,
    line_number: usize,
    checked: &CheckedLine<'_>,
) {
    let mapped = &checked.mapped;
    let field = |name: &str| mapped.value(name);
    let language = profile.defaults().language.as_str();
    writer.open(
        "ItemIn",
        &[
            ("quantity", &format_quantity(checked.quantity)),
            ("lineNumber", &line_number.to_string()),
        ],
    );
    writer.open("ItemID", &[]);
    writer.leaf(
        "SupplierPartID",
        &[],
        field("SupplierPartID").unwrap_or_default(),
    );
    if let Some(reference) = field("SupplierPartAuxiliaryID") {
        writer.leaf("SupplierPartAuxiliaryID", &[], reference);
    }
    writer.close("ItemID");

    writer.open("ItemDetail", &[]);
    writer.open("UnitPrice", &[]);
    writer.leaf(
        "Money",
        &[("currency", currency)],
        &format_money(checked.unit_price),
    );
    writer.close("UnitPrice");
    writer.open_mixed(
        "Description",
        &[("xml:lang", language)],
        field("Description").unwrap_or_default(),
    );
    if let Some(short_name) = field("ShortName") {
        writer.leaf("ShortName", &[], short_name);
    }
    writer.close("Description");
    writer.leaf(
        "UnitOfMeasure",
        &[],
        field("UnitOfMeasure").unwrap_or_default(),
    );
    for (domain, code) in &checked.classifications {
        writer.leaf("Classification", &[("domain", domain)], code);
    }
    if let Some(part_id) = field("ManufacturerPartID") {
        writer.leaf("ManufacturerPartID", &[], part_id);
    }
    if let Some(name) = field("ManufacturerName") {
        writer.leaf("ManufacturerName", &[("xml:lang", language)], name);
    }
    if let Some(url) = field("URL") {
        writer.leaf("URL", &[], url);
    }
    if let Some(lead_time) = field("LeadTime") {
        writer.leaf("LeadTime", &[], lead_time);
    }
    for extrinsic in &mapped.extrinsics {
        writer.leaf(
            "Extrinsic",
            &[("name", extrinsic.field.as_ref())],
            &extrinsic.value,
        );
    }
    writer.close("ItemDetail");
    writer.close("ItemIn");
}

fn check_session(profile: &BuyerProfile, session: &Session) -> Result<()> {
    if session.buyer_id != profile.id() {
        return Err(Error::new(
            ErrorCode::InvalidSession,
            format!(
                "session belongs to buyer `{}`, not to `{}`",
                crate::model::shorten(&session.buyer_id),
                profile.id()
            ),
        )
        .at_pointer("/buyer_id"));
    }
    profile
        .check_return_url(&session.return_url)
        .map_err(|error| {
            Error::new(ErrorCode::InvalidSession, error.message()).at_pointer("/return_url")
        })?;
    Ok(())
}

fn check_cart<'a>(profile: &'a BuyerProfile, cart: &'a Cart) -> Result<Vec<CheckedLine<'a>>> {
    let invalid = |pointer: String, message: String| {
        Error::new(ErrorCode::InvalidCart, message).at_pointer(pointer)
    };
    let currency = &cart.currency;
    if currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Err(invalid(
            "/currency".into(),
            format!(
                "expected an ISO 4217 currency code such as `EUR`, found `{}`",
                crate::model::shorten(currency)
            ),
        ));
    }
    let defaults = profile.defaults();
    cart.lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let at = |field: &str| format!("/lines/{index}/{field}");
            let decimal = |field: &str, text: &str| {
                parse_cart_amount(text)
                    .map_err(|error| invalid(at(field), error.message().to_owned()))
            };
            if line.line_ref.trim().is_empty() {
                return Err(invalid(at("line_ref"), "line reference is empty".into()));
            }
            let quantity = parse_line_quantity(&line.quantity, index)?;
            let unit_price = decimal("unit_price", &line.unit_price)?;
            if unit_price < Decimal::ZERO {
                return Err(invalid(
                    at("unit_price"),
                    format!(
                    "expected a price of zero or more, found `{}`",
                    crate::model::shorten(&line.unit_price)
                ),
                ));
            }
            let mapped = profile.mapping().map_line(&LineView {
                line,
                currency,
                line_number: index.saturating_add(1),
            })?;
            let mut classifications = Vec::new();
            if let Some(code) = mapped.value("Classification") {
                classifications.push((defaults.classification_domain.as_str(), code.to_owned()));
            }
            for property in &line.attributes {
                if let Some(domain) = property.name.strip_prefix(attributes::CLASSIFICATION_PREFIX) {
                    classifications.push((domain, property.value.clone()));
                }
            }
            if classifications.is_empty() {
                let code = defaults.classification_code.as_deref().ok_or_else(|| {
                    invalid(
                        at("attributes"),
                        format!(
                            "line has no `classification` attribute and the buyer profile has no default classification code (cXML requires one in `{}`)",
                            defaults.classification_domain
                        ),
                    )
                })?;
                classifications.push((defaults.classification_domain.as_str(), code.to_owned()));
            }
            Ok(CheckedLine {
                quantity,
                unit_price,
                mapped,
                classifications,
            })
        })
        .collect()
}

/// Reads shipping or tax: a cart amount of zero or more.
fn optional_amount(text: Option<&str>, pointer: &str) -> Result<Option<Decimal>> {
    let Some(text) = text else {
        return Ok(None);
    };
    let amount = parse_cart_amount(text)
        .map_err(|error| Error::new(ErrorCode::InvalidCart, error.message()).at_pointer(pointer))?;
    if amount < Decimal::ZERO {
        return Err(Error::new(
            ErrorCode::InvalidCart,
            format!(
                "expected an amount of zero or more, found `{}`",
                crate::model::shorten(text)
            ),
        )
        .at_pointer(pointer));
    }
    Ok(Some(amount))
}

/// Reads a `PunchOutOrderMessage` as a buyer's system would.
///
/// # Errors
/// Hostile or malformed XML; `invalid-document` or `invalid-value` located at the element that
/// breaks the cXML content model.
pub fn read_order_message(message: &[u8]) -> Result<OrderMessage> {
    let document = xml::parse(message, &ParseOptions::cxml_document())?;
    let root = expect_cxml_root(&document.root)?;
    root.required_attribute("payloadID")?;
    let header = root.required_child("Header")?;
    for part in ["From", "To", "Sender"] {
        read_credential(header.required_child(part)?.required_child("Credential")?)?;
    }
    let message = root.required_child("Message")?;
    let punchout = expect_only_child(message, "PunchOutOrderMessage")?;
    let buyer_cookie = punchout.required_child("BuyerCookie")?.deep_text();
    let header = punchout.required_child("PunchOutOrderMessageHeader")?;
    let allowed_text = header.required_attribute("operationAllowed")?;
    let operation_allowed = SetupOperation::parse(allowed_text).ok_or_else(|| {
        header.invalid_value(format!(
            "expected `create`, `edit` or `inspect`, found `{}`",
            crate::model::shorten(allowed_text)
        ))
    })?;
    let (currency, total) = read_money(header.required_child("Total")?)?;
    let lines = punchout
        .elements_named("ItemIn")
        .map(read_item)
        .collect::<Result<Vec<_>>>()?;
    Ok(OrderMessage {
        buyer_cookie,
        operation_allowed,
        currency,
        total,
        lines,
    })
}

fn read_money(parent: &Element) -> Result<(String, String)> {
    let money = parent.required_child("Money")?;
    let currency = money.required_attribute("currency")?.to_owned();
    let amount = money.trimmed_text();
    parse_decimal(&amount).map_err(|error| money.invalid_value(error.message()))?;
    Ok((currency, amount))
}

fn read_item(item: &Element) -> Result<CartLine> {
    let quantity = item.required_attribute("quantity")?.to_owned();
    parse_decimal(&quantity).map_err(|error| item.invalid_value(error.message()))?;
    let item_id = item.required_child("ItemID")?;
    let sku = item_id.required_child("SupplierPartID")?.text();
    let line_ref = item_id
        .child("SupplierPartAuxiliaryID")?
        .map(Element::deep_text)
        .unwrap_or_default();
    let detail = read_item_detail(item.required_child("ItemDetail")?)?;
    Ok(CartLine {
        line_ref,
        sku,
        quantity,
        unit_price: detail.unit_price,
        unit: detail.unit,
        description: detail.description,
        attributes: detail.attributes,
    })
}

/// What an `ItemDetail` says about a line, in the shape of a cart line.
#[derive(Debug, Default)]
pub(crate) struct ItemDetail {
    pub unit_price: String,
    pub description: String,
    pub unit: String,
    pub attributes: Vec<Property>,
}

/// Reads an `ItemDetail` (of an `ItemIn` or an `ItemOut`).
pub(crate) fn read_item_detail(detail: &Element) -> Result<ItemDetail> {
    let (_, unit_price) = read_money(detail.required_child("UnitPrice")?)?;
    let description_element = detail
        .elements_named("Description")
        .next()
        .ok_or_else(|| detail.invalid("missing element `Description` in `ItemDetail`"))?;
    let description = description_element.text();
    let unit = detail.required_child("UnitOfMeasure")?.text();

    let mut attributes = Vec::new();
    if let Some(short_name) = description_element.child("ShortName")? {
        attributes.push(Property::new(attributes::SHORT_NAME, short_name.text()));
    }
    for classification in detail.elements_named("Classification") {
        let domain = classification.required_attribute("domain")?;
        attributes.push(Property::new(
            format!("{}{domain}", attributes::CLASSIFICATION_PREFIX),
            classification.trimmed_text(),
        ));
    }
    for (element, name) in [
        ("ManufacturerPartID", attributes::MANUFACTURER_PART_ID),
        ("ManufacturerName", attributes::MANUFACTURER_NAME),
        ("URL", attributes::URL),
        ("LeadTime", attributes::LEAD_TIME),
    ] {
        if let Some(found) = detail.child(element)? {
            attributes.push(Property::new(name, found.text()));
        }
    }
    for extrinsic in detail.elements_named("Extrinsic") {
        attributes.push(Property::new(
            format!(
                "{}{}",
                attributes::EXTRINSIC_PREFIX,
                extrinsic.required_attribute("name")?
            ),
            extrinsic.deep_text(),
        ));
    }
    Ok(ItemDetail {
        unit_price,
        description,
        unit,
        attributes,
    })
}
