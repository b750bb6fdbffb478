//! The hot path of a cart return: a line's mapped values written one after another into one
//! reusable buffer ([`LineValues`]), so that mapping a line allocates nothing on the common path
//! (no `String` per field, no `Vec` per line). The documents then copy each value straight from
//! the buffer into their own output.
//!
//! [`CompiledMapping::map_line_into`] gives the same values and the same errors as
//! [`CompiledMapping::map_line`] (which is built on it); only `config preview` takes the slower
//! path that explains each value.

use std::ops::Range;

use super::evaluate::{
    fits_integer_digits, quote_per_price_unit, CompiledMapping, CompiledRule, Expression,
    FieldPlan, FormatError, TemplatePart, MAX_PRICE_UNIT,
};
use super::rule::{Overflow, TruncateAt};
use super::source::LineView;
use super::targets::{FieldFormat, OCI_PRICE, OCI_PRICE_UNIT};
use super::text;
use super::units::UnitRules;
use crate::error::{Error, ErrorCode, Result};

/// The mapped values of one line, in one buffer that the next line reuses; a value read as it is
/// from the line (a plain `source` rule) is not copied at all.
#[derive(Clone, Debug, Default)]
pub struct LineValues<'a> {
    /// The values the mapping computed, one after another.
    buffer: String,
    /// The rule's value before its field's format and length are applied.
    raw: String,
    /// Per field of the mapping (in its order): its value.
    fields: Vec<Value<'a>>,
    /// The non-empty extrinsics (and OCI customer fields): index in the mapping and value.
    extrinsics: Vec<(usize, Value<'a>)>,
    /// Text that did not fit its field, for the long text.
    longtext: Option<Value<'a>>,
}

/// Where a value is: in the buffer, or in the cart line itself.
#[derive(Clone, Debug)]
enum Value<'a> {
    Computed(Range<usize>),
    Line(&'a str),
}

impl<'a> LineValues<'a> {
    /// Empty buffers; they grow to the largest line and stay.
    pub fn new() -> Self {
        LineValues::default()
    }

    fn get<'s>(&'s self, value: &'s Value<'a>) -> &'s str {
        match value {
            Value::Computed(range) => self.buffer.get(range.clone()).unwrap_or_default(),
            Value::Line(text) => text,
        }
    }

    /// The value of the mapping's field at `index` (see [`CompiledMapping::field_index`]),
    /// empty when the rule gave none.
    pub fn field(&self, index: usize) -> &str {
        self.fields
            .get(index)
            .map(|value| self.get(value))
            .unwrap_or_default()
    }

    /// The field at `index` when it is not empty.
    pub fn non_empty(&self, index: Option<usize>) -> Option<&str> {
        index
            .map(|index| self.field(index))
            .filter(|value| !value.is_empty())
    }

    /// Every field's value, in the mapping's order, empty ones included.
    pub fn fields(&self) -> impl Iterator<Item = &str> + '_ {
        self.fields.iter().map(|value| self.get(value))
    }

    /// The non-empty extrinsics: the index in the mapping ([`CompiledMapping::extrinsic_name`])
    /// and the value.
    pub fn extrinsics(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.extrinsics
            .iter()
            .map(|(index, value)| (*index, self.get(value)))
    }

    /// The full text of a field that overflowed into the long text.
    pub fn longtext(&self) -> Option<&str> {
        self.longtext.as_ref().map(|value| self.get(value))
    }

    /// Bytes of all values, for estimating a document's size.
    pub fn len(&self) -> usize {
        self.fields()
            .chain(self.extrinsics().map(|(_, value)| value))
            .fold(0usize, |sum, value| sum.saturating_add(value.len()))
    }

    /// Whether every value is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn clear(&mut self) {
        self.buffer.clear();
        self.fields.clear();
        self.extrinsics.clear();
        self.longtext = None;
    }
}

impl CompiledMapping {
    /// The index of a target field in the mapping's fields, for [`LineValues::field`].
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.plans.iter().position(|plan| plan.target.name == name)
    }

    /// How many fields the mapping fills.
    pub fn field_count(&self) -> usize {
        self.plans.len()
    }

    /// How many extrinsics (and OCI customer fields) the mapping fills.
    pub fn extrinsic_count(&self) -> usize {
        self.extrinsics.len()
    }

    /// The name of the field at `index`.
    pub fn field_name(&self, index: usize) -> &'static str {
        self.plans
            .get(index)
            .map(|plan| plan.target.name)
            .unwrap_or_default()
    }

    /// The name of the extrinsic (or OCI customer field) at `index`.
    pub fn extrinsic_name(&self, index: usize) -> &str {
        self.extrinsics
            .get(index)
            .map(|(name, _, _)| name.as_str())
            .unwrap_or_default()
    }

    /// Maps one cart line into `values`, reusing its buffers: the values and errors of
    /// [`CompiledMapping::map_line`], without an allocation per field.
    ///
    /// # Errors
    /// As [`CompiledMapping::map_line`].
    pub fn map_line_into<'a>(
        &self,
        view: &LineView<'a>,
        values: &mut LineValues<'a>,
    ) -> Result<()> {
        values.clear();
        let oci = self.context.is_oci();
        let mut price_unit: Option<u32> = None;
        for plan in &self.plans {
            let target = plan.target;
            if plan.always_empty {
                values.fields.push(Value::Line(""));
                continue;
            }
            if target.format == FieldFormat::Text {
                if let Some(text) = line_text(plan, view) {
                    // Read as it is from the line: no copy, unless it must be composed.
                    if !oci || text::is_surely_nfc(text) {
                        if target.required && text.is_empty() {
                            return Err(required(plan, view));
                        }
                        let (kept, spills) = self.fit(plan, view, text)?;
                        if spills {
                            values.longtext = Some(Value::Line(text));
                        }
                        values
                            .fields
                            .push(Value::Line(text.get(..kept).unwrap_or_default()));
                        continue;
                    }
                }
            }
            let start = values.buffer.len();
            let formatted = if target.format == FieldFormat::Text {
                // Text is the rule's value as it is: written in place.
                if let Some(rule) = &plan.rule {
                    rule.evaluate_into(view, &mut values.buffer);
                }
                Ok(())
            } else {
                let mut raw = std::mem::take(&mut values.raw);
                raw.clear();
                if let Some(rule) = &plan.rule {
                    rule.evaluate_into(view, &mut raw);
                }
                let formatted =
                    write_formatted(target.format, &raw, self.units(), &mut values.buffer);
                values.raw = raw;
                formatted
            };
            match formatted {
                Ok(()) => {}
                Err(FormatError::TooManyDecimals { number, decimals })
                    if plan.engine_price_unit =>
                {
                    let (factor, scaled) = quote_per_price_unit(number, target.format)
                        .ok_or_else(|| {
                            invalid(plan, view, format!(
                                "price `{number}` has more than {decimals} decimals, and no price unit up to {} makes it exact: give the price with at most {decimals} decimals",
                                MAX_PRICE_UNIT
                            ))
                        })?;
                    values.buffer.push_str(&scaled);
                    price_unit = Some(factor);
                }
                Err(FormatError::TooManyDecimals { number, decimals })
                    if target.name == OCI_PRICE =>
                {
                    return Err(invalid(plan, view, format!(
                        "price `{number}` has more than {decimals} decimals and the profile maps `{OCI_PRICE_UNIT}` itself, so the engine cannot quote it per 10, 100 or 1000 units: remove that rule or give the price with at most {decimals} decimals"
                    )));
                }
                Err(FormatError::TooManyDecimals { number, decimals }) => {
                    return Err(invalid(plan, view, format!(
                        "`{number}` has more than {decimals} decimals, which the field cannot hold (it is never rounded)"
                    )));
                }
                Err(FormatError::Invalid(message)) => return Err(invalid(plan, view, message)),
            }
            if target.required && values.buffer.len() == start {
                return Err(required(plan, view));
            }
            if oci && target.format == FieldFormat::Text {
                compose_in_place(&mut values.buffer, start);
            }
            let value = values.buffer.get(start..).unwrap_or_default();
            let (kept, spills) = self.fit(plan, view, value)?;
            let range = start..values.buffer.len();
            if spills {
                values.longtext = Some(Value::Computed(range.clone()));
            }
            values
                .fields
                .push(Value::Computed(start..start.saturating_add(kept)));
        }
        if let (Some(factor), Some(index)) = (price_unit, self.price_unit_plan) {
            let start = values.buffer.len();
            values.buffer.push_str(itoa::Buffer::new().format(factor));
            if let Some(value) = values.fields.get_mut(index) {
                *value = Value::Computed(start..values.buffer.len());
            }
        }
        for (index, (_, rule, _)) in self.extrinsics.iter().enumerate() {
            if let Some(text) = rule_line_text(rule, view) {
                if !oci || text::is_surely_nfc(text) {
                    if !text.is_empty() {
                        values.extrinsics.push((index, Value::Line(text)));
                    }
                    continue;
                }
            }
            let start = values.buffer.len();
            rule.evaluate_into(view, &mut values.buffer);
            if oci {
                compose_in_place(&mut values.buffer, start);
            }
            // An empty extrinsic is left out of documents.
            if values.buffer.len() > start {
                values
                    .extrinsics
                    .push((index, Value::Computed(start..values.buffer.len())));
            }
        }
        Ok(())
    }

    /// How much of `value` its field keeps (bytes) and whether the full text goes to the long
    /// text, by the field's length and overflow policy.
    fn fit(&self, plan: &FieldPlan, view: &LineView<'_>, value: &str) -> Result<(usize, bool)> {
        let Some(max) = plan.target.max_chars else {
            return Ok((value.len(), false));
        };
        let unit = self.context.length_unit();
        if !unit.exceeds(value, max) {
            return Ok((value.len(), false));
        }
        let policy = plan
            .rule
            .as_ref()
            .and_then(|rule| rule.overflow)
            .or(plan.target.default_overflow)
            .unwrap_or(Overflow::Truncate);
        if policy == Overflow::Refuse {
            return Err(invalid(
                plan,
                view,
                format!(
                    "`{}` is longer than {max} {}",
                    crate::model::shorten(value),
                    unit.name()
                ),
            ));
        }
        // The cut is a prefix of the full text: both stay where they are.
        Ok((
            text::cut_len(value, max, TruncateAt::Word, unit),
            policy == Overflow::Longtext,
        ))
    }
}

/// The text a plain `source` rule reads, as it is in the line (empty when the line lacks the
/// attribute); `None` for other rules and for the line number.
fn line_text<'a>(plan: &FieldPlan, view: &LineView<'a>) -> Option<&'a str> {
    rule_line_text(plan.rule.as_ref()?, view)
}

/// [`line_text`] of one rule.
fn rule_line_text<'a>(rule: &CompiledRule, view: &LineView<'a>) -> Option<&'a str> {
    if !rule.transforms.is_empty() {
        return None;
    }
    let Expression::Source(path) = &rule.expression else {
        return None;
    };
    match path.read(view) {
        None => Some(""),
        Some(std::borrow::Cow::Borrowed(text)) => Some(text),
        Some(std::borrow::Cow::Owned(_)) => None,
    }
}

/// Puts the text from `start` on in Unicode Normalization Form C (OCI values).
fn compose_in_place(buffer: &mut String, start: usize) {
    let value = buffer.get(start..).unwrap_or_default();
    if !text::is_surely_nfc(value) {
        let composed = text::to_nfc(value.to_owned());
        buffer.truncate(start);
        buffer.push_str(&composed);
    }
}

/// `invalid-cart` for a required field without a value.
fn required(plan: &FieldPlan, view: &LineView<'_>) -> Error {
    invalid(
        plan,
        view,
        format!("required, but {} gives no value", plan.origin),
    )
}

/// `invalid-cart` for a field of a line, at the line field the rule reads when there is one.
fn invalid(plan: &FieldPlan, view: &LineView<'_>, message: String) -> Error {
    let line_index = view.line_number.saturating_sub(1);
    let pointer = match plan.line_field {
        Some(field) => format!("/lines/{line_index}/{field}"),
        None => format!("/lines/{line_index}"),
    };
    Error::new(
        ErrorCode::InvalidCart,
        format!("field `{}`: {message}", plan.target.name),
    )
    .at_pointer(pointer)
}

/// Writes `raw` in the field's format at the end of `out` (as `format_value` does, without a
/// copy of its own).
fn write_formatted(
    format: FieldFormat,
    raw: &str,
    units: &UnitRules,
    out: &mut String,
) -> std::result::Result<(), FormatError> {
    match format {
        FieldFormat::Text => out.push_str(raw),
        FieldFormat::UnitCode => {
            out.push_str(units.resolve_ref(raw).map_err(FormatError::Invalid)?)
        }
        FieldFormat::Rec20UnitCode => {
            out.push_str(units.resolve_rec20_ref(raw).map_err(FormatError::Invalid)?)
        }
        FieldFormat::Code(list) => {
            if !raw.is_empty() && !list.contains(raw) {
                return Err(FormatError::Invalid(list.refusal(raw)));
            }
            out.push_str(raw);
        }
        FieldFormat::Date => {
            if !raw.is_empty() && crate::peppol::dates::Date::parse(raw).is_none() {
                return Err(FormatError::Invalid(format!(
                    "expected a date `YYYY-MM-DD`, found `{}`",
                    crate::model::shorten(raw)
                )));
            }
            out.push_str(raw);
        }
        FieldFormat::Currency => {
            if raw.is_empty()
                || (raw.len() == 3 && raw.bytes().all(|byte| byte.is_ascii_uppercase()))
            {
                out.push_str(raw);
            } else {
                return Err(FormatError::Invalid(format!(
                    "expected an ISO 4217 currency code, found `{}`",
                    crate::model::shorten(raw)
                )));
            }
        }
        FieldFormat::Integer => {
            if raw.bytes().all(|byte| byte.is_ascii_digit()) {
                out.push_str(raw);
            } else {
                return Err(FormatError::Invalid(format!(
                    "expected a whole number, found `{}`",
                    crate::model::shorten(raw)
                )));
            }
        }
        FieldFormat::Decimal {
            integer_digits,
            decimals,
        } => {
            if raw.is_empty() {
                return Ok(());
            }
            let number = crate::model::parse_decimal(raw)
                .map_err(|error| FormatError::Invalid(error.message().to_owned()))?
                .normalize();
            if number.scale() > decimals {
                return Err(FormatError::TooManyDecimals { number, decimals });
            }
            if !fits_integer_digits(number, integer_digits) {
                return Err(FormatError::Invalid(format!(
                    "`{number}` has more than {integer_digits} digits before the decimal point"
                )));
            }
            crate::decimal_text::push_decimal(out, number, 0);
        }
    }
    Ok(())
}

impl CompiledRule {
    /// Appends the rule's value to `out` and says whether it gave one; when it gives none
    /// (missing or empty), `out` is left as it was. The same value as `evaluate`.
    pub(super) fn evaluate_into(&self, view: &LineView<'_>, out: &mut String) -> bool {
        let start = out.len();
        if !self.transforms.is_empty() {
            // Transform steps work on their own value (rare in profiles; allocates).
            return match self.evaluate(view, None) {
                Some(value) => {
                    out.push_str(&value);
                    true
                }
                None => false,
            };
        }
        let complete = match &self.expression {
            Expression::Source(path) => path.push_to(view, out),
            Expression::Literal(literal) => {
                out.push_str(literal);
                true
            }
            Expression::Template(parts) => parts.iter().all(|part| match part {
                TemplatePart::Text(text) => {
                    out.push_str(text);
                    true
                }
                // All or nothing: a placeholder without a value gives no value.
                TemplatePart::Path(path) => {
                    let before = out.len();
                    path.push_to(view, out) && out.len() > before
                }
            }),
            Expression::First(rules) => {
                return rules.iter().any(|rule| rule.evaluate_into(view, out))
            }
            Expression::Lookup {
                source,
                table,
                default,
            } => {
                let key = source.read(view).unwrap_or_default();
                out.push_str(match table.get(key.as_ref()) {
                    Some(found) => found,
                    None => default.as_deref().unwrap_or(&key),
                });
                true
            }
        };
        if !complete || out.len() == start {
            out.truncate(start);
            return false;
        }
        true
    }
}
