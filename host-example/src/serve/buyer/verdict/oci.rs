//! The OCI cart judged as SAP SRM reads the posted `NEW_ITEM-*` fields: which fields the
//! buyer's OCI version knows, their lengths (the engine's field table, counted in UTF-16 code
//! units as a Unicode SAP system does), number formats, units, currencies, the fields SAP
//! requires, and the item numbering. Each finding is placed at the field with its index, such
//! as `NEW_ITEM-UNIT[3]`.

use std::collections::BTreeMap;

use punchout_plugin::mapping::targets::{is_oci_customer_field, TargetField, OCI_ITEM_FIELDS};
use punchout_plugin::mapping::text::LengthUnit;
use punchout_plugin::model::shorten;
use punchout_plugin::oci::settings::OciVersion;
use rust_decimal::Decimal;

use super::content::{check_currency, check_unit, Place};
use super::{Check, Expectation, Finding, ReceivedLine, Verdict};

pub(super) const FIELD_NAMES: &str = "OCI field names";
pub(super) const LENGTHS: &str = "OCI field lengths";
pub(super) const NUMBERS: &str = "number formats";
pub(super) const UNITS: &str = "units";
pub(super) const CURRENCIES: &str = "currencies";
pub(super) const REQUIRED: &str = "required fields";
pub(super) const NUMBERING: &str = "item numbering";
pub(super) const HIERARCHY: &str = "item hierarchy";
pub(super) const HOOK_PARAMETERS: &str = "HOOK_URL parameters";
pub(super) const CHARSET: &str = "charset";

/// One posted item: its fields by name (without the index), each with the name as posted.
#[derive(Default)]
struct Item {
    fields: BTreeMap<String, String>,
    longtext: Option<String>,
}

impl Item {
    fn value(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
            .map(String::as_str)
            .filter(|value| !value.trim().is_empty())
    }
}

/// `NEW_ITEM-NAME[n]` or `NEW_ITEM-LONGTEXT_n:132[]` as (field, index, is long text).
fn split_field(name: &str) -> Option<Result<(String, u32, bool), String>> {
    let rest = name.strip_prefix("NEW_ITEM-")?;
    let parsed = if let Some(longtext) = rest.strip_prefix("LONGTEXT_") {
        longtext
            .split_once(":132[]")
            .filter(|(_, after)| after.is_empty())
            .and_then(|(index, _)| plain_index(index))
            .map(|index| ("NEW_ITEM-LONGTEXT".to_owned(), index, true))
    } else {
        rest.strip_suffix(']')
            .and_then(|inner| inner.split_once('['))
            .and_then(|(field, index)| {
                plain_index(index).map(|index| (format!("NEW_ITEM-{field}"), index, false))
            })
    };
    Some(parsed.ok_or_else(|| {
        format!(
            "expected `NEW_ITEM-FIELD[n]` or `NEW_ITEM-LONGTEXT_n:132[]` with n from 1, found `{}`",
            shorten(name)
        )
    }))
}

fn plain_index(text: &str) -> Option<u32> {
    let plain = !text.is_empty()
        && text.bytes().all(|byte| byte.is_ascii_digit())
        && !text.starts_with('0');
    plain.then(|| text.parse().ok()).flatten()
}

fn field_place(field: &str, index: u32) -> Place {
    Place::field(format!("{field}[{index}]"))
}

fn target(field: &str) -> Option<&'static TargetField> {
    OCI_ITEM_FIELDS.iter().find(|target| target.name == field)
}

/// OCI's number format: digits, at most one `.`, at most `integer_digits` before and
/// `decimals` after it; no sign, thousands separator or decimal comma.
fn oci_number(text: &str, integer_digits: usize, decimals: usize) -> Result<Decimal, String> {
    let trimmed = text.trim();
    let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let expected = if decimals == 0 {
        format!("a whole number of at most {integer_digits} digits")
    } else {
        format!("a number with at most {integer_digits} digits before and {decimals} after the `.`")
    };
    let hint = if trimmed.contains(',') {
        " (no thousands separators or decimal commas)"
    } else {
        ""
    };
    if whole.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || whole.len() > integer_digits
        || fraction.len() > decimals
        || (decimals == 0 && trimmed.contains('.'))
        || text != trimmed
    {
        return Err(format!(
            "expected {expected}{hint}, found `{}`",
            shorten(text)
        ));
    }
    trimmed
        .parse()
        .map_err(|_| format!("expected {expected}, found `{}`", shorten(text)))
}

pub(super) fn judge(
    fields: &[(String, String)],
    version: OciVersion,
    expected: &Expectation,
) -> Verdict {
    let mut names = Vec::new();
    let mut items: BTreeMap<u32, Item> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut parameters = Vec::new();
    let mut charset = Vec::new();
    for (name, value) in fields {
        let Some(split) = split_field(name) else {
            // The HOOK_URL's own parameters (`~OkCode`, `sap-client`) come back beside the items.
            parameters.push((name.as_str(), value.as_str()));
            continue;
        };
        charset.extend(garbled(name, value));
        if !seen.insert(name.as_str()) {
            names.push(Place::field(name.clone()).error(format!(
                "field `{}` is posted more than once",
                shorten(name)
            )));
            continue;
        }
        let (field, index, longtext) = match split {
            Ok(split) => split,
            Err(message) => {
                names.push(Place::field(name.clone()).error(message));
                continue;
            }
        };
        let item = items.entry(index).or_default();
        if longtext {
            item.longtext = Some(value.clone());
        } else {
            item.fields.insert(field, value.clone());
        }
    }

    let (
        mut lengths,
        mut numbers,
        mut units,
        mut currencies,
        mut required,
        mut numbering,
        mut hierarchy,
    ) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut lines = Vec::new();
    let mut first_currency: Option<(String, u32)> = None;
    for (&index, item) in &items {
        for (field, value) in &item.fields {
            let at = field_place(field, index);
            let known = target(field);
            match known {
                Some(known) if known.oci5_only && version == OciVersion::V4 => {
                    names.push(at.warning(format!(
                        "`{field}` is an OCI 5.0 field: an OCI 4.0 system ignores it"
                    )));
                }
                Some(_) => {}
                None if is_oci_customer_field(field) => {}
                None => names.push(at.warning(format!(
                    "unknown field `{}`: SAP ignores fields outside the OCI table and the customer namespace (`NEW_ITEM-Z…`, `NEW_ITEM-Y…`)",
                    shorten(field)
                ))),
            }
            if let Some(max) = known.and_then(|known| known.max_chars) {
                let length = LengthUnit::Utf16CodeUnits.measure(value);
                if length > max {
                    lengths.push(at.error(format!(
                        "expected at most {max} characters, found {length}: SAP cuts the value to `{}`",
                        shorten(&cut(value, max))
                    )));
                }
            }
        }
        let value = |field: &str| item.value(field);
        let mut line = ReceivedLine {
            number: usize::try_from(index).unwrap_or(usize::MAX),
            part_id: value("NEW_ITEM-VENDORMAT")
                .or(value("NEW_ITEM-EXT_PRODUCT_ID"))
                .or(value("NEW_ITEM-MATNR"))
                .unwrap_or_default()
                .to_owned(),
            reference: value("NEW_ITEM-EXT_PRODUCT_ID").map(str::to_owned),
            description: value("NEW_ITEM-DESCRIPTION").unwrap_or_default().to_owned(),
            quantity: Decimal::ZERO,
            unit: value("NEW_ITEM-UNIT").unwrap_or_default().to_owned(),
            unit_price: Decimal::ZERO,
            currency: value("NEW_ITEM-CURRENCY").unwrap_or_default().to_owned(),
            classification: value("NEW_ITEM-EXT_CATEGORY_ID").map(|code| super::Classification {
                domain: value("NEW_ITEM-EXT_SCHEMA_TYPE")
                    .unwrap_or_default()
                    .to_owned(),
                code: code.to_owned(),
            }),
        };
        if let Some(quantity) = value("NEW_ITEM-QUANTITY") {
            match oci_number(quantity, 11, 3) {
                Ok(parsed) if parsed.is_zero() => numbers.push(
                    field_place("NEW_ITEM-QUANTITY", index)
                        .error("expected a quantity greater than zero, found `0`"),
                ),
                Ok(parsed) => line.quantity = parsed,
                Err(message) => {
                    numbers.push(field_place("NEW_ITEM-QUANTITY", index).error(message))
                }
            }
        }
        let mut price_unit = Decimal::ONE;
        if let Some(text) = value("NEW_ITEM-PRICEUNIT") {
            match oci_number(text, 5, 0) {
                Ok(parsed) if parsed.is_zero() => numbers.push(
                    field_place("NEW_ITEM-PRICEUNIT", index)
                        .error("expected a price unit of 1 or more, found `0`"),
                ),
                Ok(parsed) => price_unit = parsed,
                Err(message) => {
                    numbers.push(field_place("NEW_ITEM-PRICEUNIT", index).error(message));
                }
            }
        }
        if let Some(price) = value("NEW_ITEM-PRICE") {
            match oci_number(price, 11, 3) {
                Ok(parsed) => line.unit_price = parsed.checked_div(price_unit).unwrap_or(parsed),
                Err(message) => numbers.push(field_place("NEW_ITEM-PRICE", index).error(message)),
            }
        }
        if let Some(leadtime) = value("NEW_ITEM-LEADTIME") {
            if let Err(message) = oci_number(leadtime, 5, 0) {
                numbers.push(field_place("NEW_ITEM-LEADTIME", index).error(message));
            }
        }
        if let Some(unit) = value("NEW_ITEM-UNIT") {
            units.extend(check_unit(
                unit,
                &field_place("NEW_ITEM-UNIT", index),
                false,
            ));
        }
        if let Some(currency) = value("NEW_ITEM-CURRENCY") {
            let at = field_place("NEW_ITEM-CURRENCY", index);
            let finding = check_currency(currency, &at, expected.currency.as_deref());
            let valid = finding.is_none();
            currencies.extend(finding);
            match &first_currency {
                Some((first, first_index)) if valid && first != currency => {
                    currencies.push(at.warning(format!(
                        "expected one currency for the cart, `{}` as item {first_index}, found `{currency}`",
                        shorten(first)
                    )));
                }
                None if valid => first_currency = Some((currency.to_owned(), index)),
                _ => {}
            }
        }
        required.extend(required_fields(item, index));
        if version == OciVersion::V5 {
            hierarchy.extend(check_hierarchy(item, index, &items));
        }
        lines.push(line);
    }

    // SAP reads items from 1 upwards: a gap or another start loses the items after it.
    let mut expected_index = 1u32;
    for (&index, item) in &items {
        if index != expected_index {
            let first_field = item
                .fields
                .keys()
                .next()
                .map_or_else(|| "NEW_ITEM-LONGTEXT".to_owned(), Clone::clone);
            numbering.push(field_place(&first_field, index).error(format!(
                "expected item {expected_index} next, found item {index}: items are numbered from 1 without gaps"
            )));
        }
        expected_index = index.saturating_add(1);
    }
    if items.is_empty() {
        numbering.push(Finding::error(
            "the form has no `NEW_ITEM-*` fields",
            "NEW_ITEM-*",
        ));
    }

    let hook = expected
        .hook_url_parameters
        .iter()
        .filter_map(|(name, value)| {
            let at = Place::field(name.clone());
            match parameters.iter().find(|(posted, _)| posted == name) {
                None => Some(at.error(format!(
                    "missing `{}`: the HOOK_URL's parameters must come back with the cart",
                    shorten(name)
                ))),
                Some((_, posted)) if posted != value => Some(at.error(format!(
                    "expected `{}` as in the HOOK_URL, found `{}`",
                    shorten(value),
                    shorten(posted)
                ))),
                Some(_) => None,
            }
        })
        .collect();

    let currency = first_currency.map(|(currency, _)| currency);
    let mut checks = vec![
        Check::ran(HOOK_PARAMETERS, hook),
        Check::ran(CHARSET, charset),
        Check::ran(FIELD_NAMES, names),
        Check::ran(LENGTHS, lengths),
        Check::ran(NUMBERS, numbers),
        Check::ran(UNITS, units),
        Check::ran(CURRENCIES, currencies),
        Check::ran(REQUIRED, required),
        Check::ran(NUMBERING, numbering),
    ];
    if version == OciVersion::V5 {
        checks.push(Check::ran(HIERARCHY, hierarchy));
    }
    Verdict {
        lines,
        checks,
        currency,
        ..Verdict::default()
    }
}

/// A value garbled by a charset mismatch: UTF-8 read as ISO-8859-1 (`Ã¶` for `ö`) or a
/// character lost on the way (U+FFFD).
fn garbled(name: &str, value: &str) -> Option<Finding> {
    let at = Place::field(name);
    if value.contains('\u{FFFD}') {
        return Some(at.error(format!(
            "`{}` holds U+FFFD: a character was lost in the charset conversion",
            shorten(value)
        )));
    }
    let mut characters = value.chars().peekable();
    while let Some(character) = characters.next() {
        if matches!(character, '\u{C2}' | '\u{C3}')
            && characters.peek().is_some_and(|next| {
                ('\u{80}'..='\u{BF}').contains(next)
                    || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(*next)
            })
        {
            return Some(at.error(format!(
                "`{}` looks like UTF-8 read as ISO-8859-1: the page's charset is not the one the call-up asked for",
                shorten(value)
            )));
        }
    }
    None
}

/// The value as SAP keeps it: the first `max` UTF-16 code units.
fn cut(value: &str, max: usize) -> String {
    let mut units = 0usize;
    value
        .chars()
        .take_while(|character| {
            units = units.saturating_add(character.len_utf16());
            units <= max
        })
        .collect()
}

/// OCI 4.0 §4.2.1: DESCRIPTION or MATNR; QUANTITY; UNIT without MATNR; CURRENCY with PRICE;
/// EXT_SCHEMA_TYPE with EXT_CATEGORY(_ID); EXT_QUOTE_ID with EXT_QUOTE_ITEM; CONTRACT with
/// CONTRACT_ITEM.
fn required_fields(item: &Item, index: u32) -> Vec<Finding> {
    let has = |field: &str| item.value(field).is_some();
    let mut findings = Vec::new();
    let mut missing = |field: &str, why: &str| {
        findings.push(field_place(field, index).error(format!("missing `{field}`{why}")));
    };
    if !has("NEW_ITEM-DESCRIPTION") && !has("NEW_ITEM-MATNR") {
        missing(
            "NEW_ITEM-DESCRIPTION",
            ": an item needs a description or a product number (`NEW_ITEM-MATNR`)",
        );
    }
    if !has("NEW_ITEM-QUANTITY") {
        missing("NEW_ITEM-QUANTITY", "");
    }
    if !has("NEW_ITEM-UNIT") && !has("NEW_ITEM-MATNR") {
        missing(
            "NEW_ITEM-UNIT",
            ": an item without a product number (`NEW_ITEM-MATNR`) needs a unit",
        );
    }
    if has("NEW_ITEM-PRICE") && !has("NEW_ITEM-CURRENCY") {
        missing("NEW_ITEM-CURRENCY", ": the item has a price");
    }
    if (has("NEW_ITEM-EXT_CATEGORY_ID") || has("NEW_ITEM-EXT_CATEGORY"))
        && !has("NEW_ITEM-EXT_SCHEMA_TYPE")
    {
        missing("NEW_ITEM-EXT_SCHEMA_TYPE", ": the item names a category");
    }
    if has("NEW_ITEM-EXT_QUOTE_ITEM") && !has("NEW_ITEM-EXT_QUOTE_ID") {
        missing("NEW_ITEM-EXT_QUOTE_ID", ": the item names a quotation item");
    }
    if has("NEW_ITEM-CONTRACT_ITEM") && !has("NEW_ITEM-CONTRACT") {
        missing("NEW_ITEM-CONTRACT", ": the item names a contract item");
    }
    findings
}

/// OCI 5.0's hierarchy: `ITEM_TYPE` is `R`, `O` or `F`; `PARENT_ID` names another item.
fn check_hierarchy(item: &Item, index: u32, items: &BTreeMap<u32, Item>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(kind) = item.value("NEW_ITEM-ITEM_TYPE") {
        if !matches!(kind, "R" | "O" | "F") {
            findings.push(field_place("NEW_ITEM-ITEM_TYPE", index).error(format!(
                "expected `R`, `O` or `F`, found `{}`",
                shorten(kind)
            )));
        }
    }
    if let Some(parent) = item.value("NEW_ITEM-PARENT_ID") {
        let at = field_place("NEW_ITEM-PARENT_ID", index);
        match plain_index(parent.trim()) {
            Some(parent) if parent == index => {
                findings.push(at.error("an item cannot be its own parent"));
            }
            Some(parent) if items.contains_key(&parent) => {}
            _ => findings.push(at.error(format!(
                "expected the index of another item of the cart, found `{}`",
                shorten(parent)
            ))),
        }
    }
    findings
}
