//! Compiled mappings and their evaluation on cart lines.
//!
//! [`CompiledMapping::map_line`] is the hot path of every cart return and writes no
//! explanation; [`CompiledMapping::explain_line`] (`config preview`) also records the rule behind
//! each value and a note for everything the engine did to it (see [`MappedValue::notes`]).

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::rule::{FieldRule, Overflow, PadSide, RuleObject, Transform, TruncateAt};
use super::source::{LineView, SourcePath};
use super::targets::{FieldFormat, TargetField, OCI_PRICE, OCI_PRICE_UNIT};
use super::text::{self, LengthUnit};
use super::units::UnitRules;
use crate::error::{Error, ErrorCode, Result};
use crate::oci::{OciCharset, OciVersion};
use crate::profile::{ProfileDocument, Protocol};

/// Where a value came from, for `config preview` ("explain").
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum RuleOrigin {
    /// The profile's rule at this JSON pointer.
    Profile(String),
    /// The engine's default for the field: this source path.
    Default(&'static str),
}

impl std::fmt::Display for RuleOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleOrigin::Profile(pointer) => write!(f, "profile rule {pointer}"),
            RuleOrigin::Default(source) => write!(f, "default: source `{source}`"),
        }
    }
}

/// What a mapping is compiled for: the protocol and, for OCI, the buyer's release and the charset
/// of its pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MappingContext {
    pub protocol: Protocol,
    /// The buyer's OCI release: 5.0-only fields need `"oci": {"version": "5.0"}`.
    pub oci_version: OciVersion,
    /// The charset of OCI pages when the call-up names none; with Latin-1, `config preview` notes
    /// the characters the page replaces.
    pub oci_charset: OciCharset,
}

impl MappingContext {
    /// The context a profile describes.
    pub fn of(document: &ProfileDocument) -> Self {
        let oci = document.oci.clone().unwrap_or_default();
        MappingContext {
            protocol: document.protocol,
            oci_version: oci.version,
            oci_charset: oci.charset_default,
        }
    }

    /// A cXML mapping.
    pub fn cxml() -> Self {
        MappingContext {
            protocol: Protocol::Cxml,
            oci_version: OciVersion::default(),
            oci_charset: OciCharset::default(),
        }
    }

    /// An OCI mapping for a buyer on `version` whose pages default to `charset`.
    pub fn oci(version: OciVersion, charset: OciCharset) -> Self {
        MappingContext {
            protocol: Protocol::Oci,
            oci_version: version,
            oci_charset: charset,
        }
    }

    /// What field lengths count: UTF-16 code units for OCI, characters for cXML.
    pub fn length_unit(&self) -> LengthUnit {
        match self.protocol {
            Protocol::Oci => LengthUnit::Utf16CodeUnits,
            Protocol::Cxml | Protocol::Peppol => LengthUnit::Characters,
        }
    }

    pub(super) fn is_oci(&self) -> bool {
        self.protocol == Protocol::Oci
    }
}

#[derive(Clone, Debug)]
pub(super) enum Expression {
    Source(SourcePath),
    Literal(String),
    Template(Vec<TemplatePart>),
    First(Vec<CompiledRule>),
    Lookup {
        source: SourcePath,
        table: BTreeMap<String, String>,
        default: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub(super) enum TemplatePart {
    Text(String),
    Path(SourcePath),
}

/// A rule checked and ready to evaluate.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    pub(super) expression: Expression,
    pub(super) transforms: Vec<Transform>,
    pub(super) overflow: Option<Overflow>,
    unit: LengthUnit,
}

/// One target field's compiled rule.
#[derive(Clone, Debug)]
pub(super) struct FieldPlan {
    pub(super) target: &'static TargetField,
    pub(super) rule: Option<CompiledRule>,
    pub(super) origin: RuleOrigin,
    /// The line field the rule reads directly (`unit_price`), for precise error pointers.
    pub(super) line_field: Option<&'static str>,
    /// The engine may quote this price per 10, 100, … units (`NEW_ITEM-PRICEUNIT`) to keep its
    /// decimals exact: the profile maps no `NEW_ITEM-PRICEUNIT` itself.
    pub(super) engine_price_unit: bool,
    /// No rule, and the field's format takes the empty value as it is: the value is empty for
    /// every line, decided once here.
    pub(super) always_empty: bool,
}

/// What an explained evaluation noticed on the way.
#[derive(Debug, Default)]
pub(super) struct Trace {
    /// Attributes the rule read that the line does not have (and no fallback replaced).
    missing: Vec<String>,
    /// Notes of transform steps (`truncated:`, `rounded:`).
    notes: Vec<String>,
}

impl Trace {
    fn append(&mut self, other: Trace) {
        self.missing.extend(other.missing);
        self.notes.extend(other.notes);
    }
}
/// A value produced for one field of one line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MappedValue {
    pub field: std::borrow::Cow<'static, str>,
    pub value: String,
    /// The rule that produced the value; filled by [`CompiledMapping::explain_line`] only, so
    /// that the hot path allocates nothing for it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// What happened to the value, filled by [`CompiledMapping::explain_line`] only. Each note
    /// starts with a stable keyword and a colon: `missing attribute:`, `empty:`, `truncated:`,
    /// `longtext:`, `transliterated:`, `rounded:`, `price unit:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Every mapped field of one line, in the protocol's field order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MappedLine {
    pub fields: Vec<MappedValue>,
    pub extrinsics: Vec<MappedValue>,
    /// Text that did not fit its field and goes to the long text (OCI `NEW_ITEM-LONGTEXT`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longtext: Option<String>,
}

impl MappedLine {
    /// The value of a field, if the mapping produced a non-empty one.
    pub fn value(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|mapped| mapped.field == field)
            .map(|mapped| mapped.value.as_str())
            .filter(|value| !value.is_empty())
    }
}

/// A profile's mapping for one protocol, compiled once.
#[derive(Clone, Debug)]
pub struct CompiledMapping {
    pub(super) plans: Vec<FieldPlan>,
    pub(super) extrinsics: Vec<(String, CompiledRule, String)>,
    units: UnitRules,
    pub(super) context: MappingContext,
    /// The index of `NEW_ITEM-PRICEUNIT` in `plans`, where the engine writes the price unit.
    pub(super) price_unit_plan: Option<usize>,
}

impl CompiledMapping {
    /// Compiles the profile's rules for the protocol's fields; fields without a rule use the
    /// engine's default source.
    ///
    /// # Errors
    /// `invalid-profile` at the JSON pointer of the first bad rule (unknown field, an OCI 5.0
    /// field for a 4.0 buyer, unknown source, bad template).
    pub fn compile(
        fields: &BTreeMap<String, FieldRule>,
        extrinsics: &BTreeMap<String, FieldRule>,
        units: &UnitRules,
        context: MappingContext,
    ) -> Result<Self> {
        let targets = super::targets::item_fields(context.protocol);
        let customer_fields = context.is_oci();
        let unit = context.length_unit();
        for name in fields.keys() {
            let pointer = format!("/mapping/fields/{}", escape_pointer(name));
            match targets.iter().find(|target| target.name == name) {
                Some(target) if target.oci5_only && context.oci_version < OciVersion::V5 => {
                    return Err(Error::new(
                        ErrorCode::InvalidProfile,
                        format!(
                            "`{}` is an OCI 5.0 field and this buyer speaks OCI {}: its form would leave it out; set `\"oci\": {{\"version\": \"5.0\"}}` if the buyer's system is on 5.0, else remove the rule",
                            target.name,
                            context.oci_version.as_str()
                        ),
                    )
                    .at_pointer(pointer));
                }
                Some(_) => {}
                None if customer_fields && super::targets::is_oci_customer_field(name) => {}
                None => {
                    let hint = match super::targets::closest_field(targets, name) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!(
                            "expected one of {}{}",
                            targets
                                .iter()
                                .map(|target| format!("`{}`", target.name))
                                .collect::<Vec<_>>()
                                .join(", "),
                            if customer_fields {
                                " or a customer field `NEW_ITEM-Z…`/`NEW_ITEM-Y…`"
                            } else {
                                ""
                            }
                        ),
                    };
                    return Err(Error::new(
                        ErrorCode::InvalidProfile,
                        format!(
                            "unknown target field `{}`, {hint}",
                            crate::model::shorten(name)
                        ),
                    )
                    .at_pointer(pointer));
                }
            }
        }
        let engine_price_unit = context.is_oci() && !fields.contains_key(OCI_PRICE_UNIT);
        let mut plans = Vec::with_capacity(targets.len());
        for target in targets {
            if target.oci5_only && context.oci_version < OciVersion::V5 {
                continue;
            }
            let pointer = format!("/mapping/fields/{}", escape_pointer(target.name));
            let (rule, origin) = match fields.get(target.name) {
                Some(rule) => (
                    Some(compile_rule(rule, &pointer, unit)?),
                    RuleOrigin::Profile(pointer),
                ),
                None => (
                    target
                        .default_source
                        .map(|source| default_rule(source, unit)),
                    RuleOrigin::Default(target.default_source.unwrap_or("none")),
                ),
            };
            let line_field = rule.as_ref().and_then(CompiledRule::line_field);
            // A unit code is resolved even when empty (the profile's default unit).
            let always_empty = rule.is_none()
                && !target.required
                && !matches!(
                    target.format,
                    FieldFormat::UnitCode | FieldFormat::Rec20UnitCode
                );
            plans.push(FieldPlan {
                target,
                rule,
                origin,
                line_field,
                engine_price_unit: engine_price_unit && target.name == OCI_PRICE,
                always_empty,
            });
        }
        // Customer fields (OCI) have no entry in the table: leak-free static targets are not
        // possible for them, so they are kept as extrinsic-like named rules.
        let mut extra = Vec::new();
        for (name, rule) in fields {
            if !targets.iter().any(|target| target.name == name) {
                let pointer = format!("/mapping/fields/{}", escape_pointer(name));
                extra.push((name.clone(), compile_rule(rule, &pointer, unit)?, pointer));
            }
        }
        for (name, rule) in extrinsics {
            let pointer = format!("/mapping/extrinsics/{}", escape_pointer(name));
            extra.push((name.clone(), compile_rule(rule, &pointer, unit)?, pointer));
        }
        let price_unit_plan = plans
            .iter()
            .position(|plan| plan.target.name == OCI_PRICE_UNIT);
        Ok(CompiledMapping {
            plans,
            extrinsics: extra,
            units: units.clone(),
            context,
            price_unit_plan,
        })
    }

    /// Maps one cart line.
    ///
    /// # Errors
    /// `invalid-cart` at `/lines/N/...` when a required field is empty, a number or unit is
    /// invalid (a quantity with more decimals than the field holds; a price that no price unit
    /// keeps exact), or a value overflows a field whose policy is `refuse`.
    pub fn map_line(&self, view: &LineView<'_>) -> Result<MappedLine> {
        let mut values = super::LineValues::new();
        self.map_line_into(view, &mut values)?;
        Ok(MappedLine {
            fields: self
                .plans
                .iter()
                .zip(values.fields())
                .map(|(plan, value)| MappedValue {
                    field: std::borrow::Cow::Borrowed(plan.target.name),
                    value: value.to_owned(),
                    origin: String::new(),
                    notes: Vec::new(),
                })
                .collect(),
            extrinsics: values
                .extrinsics()
                .map(|(index, value)| MappedValue {
                    field: std::borrow::Cow::Owned(self.extrinsic_name(index).to_owned()),
                    value: value.to_owned(),
                    origin: String::new(),
                    notes: Vec::new(),
                })
                .collect(),
            longtext: values.longtext().map(str::to_owned),
        })
    }

    /// Maps one cart line and records the rule behind every value and a note for everything
    /// done to it (`config preview`, `config lint`).
    ///
    /// # Errors
    /// As [`CompiledMapping::map_line`].
    pub fn explain_line(&self, view: &LineView<'_>) -> Result<MappedLine> {
        self.map_line_with(view, true)
    }

    fn map_line_with(&self, view: &LineView<'_>, explain: bool) -> Result<MappedLine> {
        let unit = self.context.length_unit();
        let mut mapped = MappedLine {
            fields: Vec::with_capacity(self.plans.len()),
            ..MappedLine::default()
        };
        // The price unit the engine chose to keep the price exact (OCI), written into
        // `NEW_ITEM-PRICEUNIT` once every field is mapped.
        let mut price_unit: Option<u32> = None;
        for plan in &self.plans {
            let target = plan.target;
            let line_index = view.line_number.saturating_sub(1);
            let invalid = |message: String| {
                let pointer = match plan.line_field {
                    Some(field) => format!("/lines/{line_index}/{field}"),
                    None => format!("/lines/{line_index}"),
                };
                Error::new(
                    ErrorCode::InvalidCart,
                    format!("field `{}`: {message}", target.name),
                )
                .at_pointer(pointer)
            };
            let mut notes = Vec::new();
            let mut trace = explain.then(Trace::default);
            let raw = plan
                .rule
                .as_ref()
                .and_then(|rule| rule.evaluate(view, trace.as_mut()))
                .unwrap_or_default();
            let mut value = match format_value(target.format, raw, &self.units) {
                Ok(value) => value,
                Err(FormatError::TooManyDecimals { number, decimals })
                    if plan.engine_price_unit =>
                {
                    let (factor, scaled) = quote_per_price_unit(number, target.format)
                        .ok_or_else(|| {
                            invalid(format!(
                                "price `{number}` has more than {decimals} decimals, and no price unit up to {} makes it exact: give the price with at most {decimals} decimals",
                                MAX_PRICE_UNIT
                            ))
                        })?;
                    if explain {
                        notes.push(format!(
                            "price unit: `{number}` per unit is written as `{scaled}` per {factor} units (`{OCI_PRICE_UNIT}` {factor}), exact"
                        ));
                    }
                    price_unit = Some(factor);
                    scaled
                }
                Err(FormatError::TooManyDecimals { number, decimals })
                    if target.name == OCI_PRICE =>
                {
                    return Err(invalid(format!(
                        "price `{number}` has more than {decimals} decimals and the profile maps `{OCI_PRICE_UNIT}` itself, so the engine cannot quote it per 10, 100 or 1000 units: remove that rule or give the price with at most {decimals} decimals"
                    )));
                }
                Err(FormatError::TooManyDecimals { number, decimals }) => {
                    return Err(invalid(format!(
                        "`{number}` has more than {decimals} decimals, which the field cannot hold (it is never rounded)"
                    )));
                }
                Err(FormatError::Invalid(message)) => return Err(invalid(message)),
            };
            if target.required && value.is_empty() {
                return Err(invalid(format!(
                    "required, but {} gives no value",
                    plan.origin
                )));
            }
            if self.context.is_oci() && target.format == FieldFormat::Text {
                value = text::to_nfc(value);
            }
            let mut spilled = None;
            if let Some(max) = target.max_chars {
                if unit.exceeds(&value, max) {
                    let policy = plan
                        .rule
                        .as_ref()
                        .and_then(|rule| rule.overflow)
                        .or(target.default_overflow)
                        .unwrap_or(Overflow::Truncate);
                    match policy {
                        Overflow::Refuse => {
                            return Err(invalid(format!(
                                "`{}` is longer than {max} {}",
                                crate::model::shorten(&value),
                                unit.name()
                            )))
                        }
                        Overflow::Truncate | Overflow::Longtext => {
                            let cut = text::truncate(&value, max, TruncateAt::Word, unit);
                            let full = std::mem::replace(&mut value, cut);
                            // Notes are for explanations; a plain mapping skips writing them.
                            if explain {
                                notes.push(format!(
                                    "truncated: {} {} cut to {max} at a word boundary",
                                    unit.measure(&full),
                                    unit.name()
                                ));
                            }
                            if policy == Overflow::Longtext {
                                if explain {
                                    notes.push(
                                        "longtext: the full text is carried in the long text (`NEW_ITEM-LONGTEXT`)"
                                            .to_owned(),
                                    );
                                }
                                spilled = Some(full);
                            }
                        }
                    }
                }
            }
            if let Some(trace) = trace {
                let shown = spilled.as_deref().unwrap_or(&value);
                self.explain_value(
                    view,
                    plan.rule.is_some(),
                    &plan.origin,
                    shown,
                    trace,
                    &mut notes,
                );
            }
            if let Some(full) = spilled {
                mapped.longtext = Some(full);
            }
            mapped.fields.push(MappedValue {
                field: std::borrow::Cow::Borrowed(target.name),
                value,
                origin: if explain {
                    plan.origin.to_string()
                } else {
                    String::new()
                },
                notes,
            });
        }
        if let Some(factor) = price_unit {
            if let Some(field) = mapped
                .fields
                .iter_mut()
                .find(|field| field.field == OCI_PRICE_UNIT)
            {
                field.value = factor.to_string();
                if explain {
                    field.origin =
                        format!("engine: the price of `{OCI_PRICE}` is per {factor} units");
                    field.notes.push(format!(
                        "price unit: set by the engine to {factor} so that `{OCI_PRICE}` stays exact"
                    ));
                }
            }
        }
        for (name, rule, pointer) in &self.extrinsics {
            let mut trace = explain.then(Trace::default);
            let mut value = rule.evaluate(view, trace.as_mut()).unwrap_or_default();
            if self.context.is_oci() {
                value = text::to_nfc(value);
            }
            // An empty extrinsic is left out of documents; an explanation still shows it.
            if value.is_empty() && !explain {
                continue;
            }
            let origin = RuleOrigin::Profile(pointer.clone());
            let mut notes = Vec::new();
            if let Some(trace) = trace {
                self.explain_value(view, true, &origin, &value, trace, &mut notes);
            }
            mapped.extrinsics.push(MappedValue {
                field: std::borrow::Cow::Owned(name.clone()),
                value,
                origin: if explain {
                    origin.to_string()
                } else {
                    String::new()
                },
                notes,
            });
        }
        Ok(mapped)
    }

    /// The notes of one explained value: missing attributes, transform steps, empty values and
    /// the characters a Latin-1 page replaces.
    fn explain_value(
        &self,
        view: &LineView<'_>,
        has_rule: bool,
        origin: &RuleOrigin,
        value: &str,
        trace: Trace,
        notes: &mut Vec<String>,
    ) {
        let mut missing = trace.missing;
        missing.dedup();
        for name in missing {
            let names = view
                .line
                .attributes
                .iter()
                .map(|property| property.name.as_str());
            let hint = match super::targets::closest_name(names, &name) {
                Some(close) => format!(", did you mean `{close}`?"),
                None if view.line.attributes.is_empty() => {
                    ", and the line has no attributes".to_owned()
                }
                None => String::new(),
            };
            notes.push(format!(
                "missing attribute: `{}` is not on this line{hint}",
                crate::model::shorten(&name)
            ));
        }
        notes.extend(trace.notes);
        if value.is_empty() && has_rule {
            notes.push(format!("empty: {origin} gives no value for this line"));
        }
        if self.context.is_oci() && self.context.oci_charset == OciCharset::Latin1 {
            let replaced = crate::oci::latin1::replaced_characters(value);
            if !replaced.is_empty() {
                notes.push(format!(
                    "transliterated: the Latin-1 page writes {}",
                    replaced
                        .iter()
                        .map(|(from, to)| format!("`{}` as `{to}`", from.escape_debug()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }

    /// The unit rules (for protocols that translate units outside the field table).
    pub fn units(&self) -> &UnitRules {
        &self.units
    }

    /// What the mapping was compiled for.
    pub fn context(&self) -> MappingContext {
        self.context
    }
}

/// The largest price unit the engine writes (`NEW_ITEM-PRICEUNIT` holds 5 digits).
pub(super) const MAX_PRICE_UNIT: u32 = 10_000;

/// The smallest price unit (10, 100, 1000, 10000) at which `price` per that many units has no
/// more decimals than the field holds, and that price.
pub(super) fn quote_per_price_unit(price: Decimal, format: FieldFormat) -> Option<(u32, String)> {
    let FieldFormat::Decimal {
        integer_digits,
        decimals,
    } = format
    else {
        return None;
    };
    let mut factor: u32 = 10;
    while factor <= MAX_PRICE_UNIT {
        let scaled = price.checked_mul(Decimal::from(factor))?.normalize();
        if scaled.scale() <= decimals {
            return fits_integer_digits(scaled, integer_digits)
                .then(|| (factor, scaled.to_string()));
        }
        factor = factor.checked_mul(10)?;
    }
    None
}

pub(super) fn fits_integer_digits(number: Decimal, integer_digits: u32) -> bool {
    10_i64
        .checked_pow(integer_digits)
        .is_none_or(|limit| number.abs() < Decimal::from(limit))
}

fn default_rule(source: &'static str, unit: LengthUnit) -> CompiledRule {
    CompiledRule {
        expression: SourcePath::parse(source)
            .map(Expression::Source)
            .unwrap_or(Expression::Literal(String::new())),
        transforms: Vec::new(),
        overflow: None,
        unit,
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The widest `pad` step: wider than any protocol field, small enough to bound memory.
pub const MAX_PAD_WIDTH: usize = 1024;

/// How many times longer a rule's steps may make a value (`replace` targets longer than what
/// they replace, case mapping).
pub const MAX_TRANSFORM_GROWTH: usize = 16;

fn compile_rule(rule: &FieldRule, pointer: &str, unit: LengthUnit) -> Result<CompiledRule> {
    let invalid = |at: &str, message: String| {
        Error::new(ErrorCode::InvalidProfile, message).at_pointer(format!("{pointer}{at}"))
    };
    let object: std::borrow::Cow<'_, RuleObject> = rule.as_object();
    let (source_at, kinds) = match rule {
        FieldRule::Path(_) => ("", 1),
        FieldRule::Rule(_) => (
            "/source",
            [
                object.source.is_some(),
                object.literal.is_some(),
                object.template.is_some(),
                object.first.is_some(),
                object.lookup.is_some(),
            ]
            .iter()
            .filter(|set| **set)
            .count(),
        ),
    };
    if kinds != 1 {
        return Err(invalid(
            "",
            format!(
                "expected exactly one of `source`, `literal`, `template`, `first`, `lookup`, found {kinds}"
            ),
        ));
    }
    let expression = if let Some(source) = &object.source {
        Expression::Source(
            SourcePath::parse(source).map_err(|message| invalid(source_at, message))?,
        )
    } else if let Some(literal) = &object.literal {
        Expression::Literal(literal.clone())
    } else if let Some(template) = &object.template {
        Expression::Template(
            parse_template(template).map_err(|message| invalid("/template", message))?,
        )
    } else if let Some(first) = &object.first {
        if first.is_empty() {
            return Err(invalid("/first", "expected at least one rule".to_owned()));
        }
        Expression::First(
            first
                .iter()
                .enumerate()
                .map(|(index, rule)| compile_rule(rule, &format!("{pointer}/first/{index}"), unit))
                .collect::<Result<_>>()?,
        )
    } else if let Some(lookup) = &object.lookup {
        Expression::Lookup {
            source: SourcePath::parse(&lookup.source)
                .map_err(|message| invalid("/lookup/source", message))?,
            table: lookup.table.clone(),
            default: lookup.default.clone(),
        }
    } else {
        return Err(invalid("", "empty rule".to_owned()));
    };
    // How many times longer the steps can make a value, so that one profile cannot exhaust the
    // engine's memory with a `replace` that multiplies text or a huge `pad`.
    let mut growth: usize = 1;
    for (index, transform) in object.transform.iter().enumerate() {
        let at = format!("/transform/{index}");
        match transform {
            Transform::Number {
                min_decimals,
                max_decimals,
            } if min_decimals > max_decimals || *max_decimals > 28 => {
                return Err(invalid(
                    &at,
                    "expected `min_decimals` ≤ `max_decimals` ≤ 28".to_owned(),
                ));
            }
            Transform::Pad { width, .. } if *width > MAX_PAD_WIDTH => {
                return Err(invalid(
                    &format!("{at}/pad/width"),
                    format!(
                        "pad width {width} exceeds the limit: expected at most {MAX_PAD_WIDTH}"
                    ),
                ));
            }
            Transform::Replace { from, .. } if from.is_empty() => {
                return Err(invalid(
                    &format!("{at}/replace/from"),
                    "expected the text to replace, found an empty `from`".to_owned(),
                ));
            }
            Transform::Replace { from, to } => {
                // Each occurrence of `from` becomes `to`: at most this factor longer.
                growth = growth.saturating_mul(to.len().div_ceil(from.len()).max(1));
            }
            // Case mapping can turn one character into up to three (`ß` → `SS`, `ﬃ` → `FFI`).
            Transform::Upper | Transform::Lower => growth = growth.saturating_mul(3),
            _ => {}
        }
    }
    if growth > MAX_TRANSFORM_GROWTH {
        return Err(invalid(
            "/transform",
            format!(
                "the steps can make a value up to {growth} times longer: expected at most {MAX_TRANSFORM_GROWTH} (shorten `replace` targets or use fewer steps)"
            ),
        ));
    }
    Ok(CompiledRule {
        expression,
        transforms: object.transform.clone(),
        overflow: object.overflow,
        unit,
    })
}

/// The attributes a template's placeholders read, in order (none when it does not parse).
pub(crate) fn template_paths(template: &str) -> Vec<String> {
    let mut paths = Vec::new();
    if let Ok(parts) = parse_template(template) {
        for part in parts {
            if let TemplatePart::Path(SourcePath::Attribute(name)) = part {
                paths.push(name);
            }
        }
    }
    paths
}

fn parse_template(template: &str) -> std::result::Result<Vec<TemplatePart>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(index) = rest.find(['{', '}']) {
        text.push_str(rest.get(..index).unwrap_or_default());
        let after = rest.get(index..).unwrap_or_default();
        if let Some(tail) = after.strip_prefix("{{") {
            text.push('{');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("}}") {
            text.push('}');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix('{') {
            let end = tail
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in template `{template}`"))?;
            if !text.is_empty() {
                parts.push(TemplatePart::Text(std::mem::take(&mut text)));
            }
            parts.push(TemplatePart::Path(SourcePath::parse(
                tail.get(..end).unwrap_or_default().trim(),
            )?));
            rest = tail.get(end.saturating_add(1)..).unwrap_or_default();
        } else {
            return Err(format!(
                "unmatched `}}` in template `{template}` (write `}}}}` for a brace)"
            ));
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Ok(parts)
}

/// Reads `path`, recording an attribute the line does not have.
fn read_traced<'a>(
    path: &SourcePath,
    view: &LineView<'a>,
    trace: &mut Option<&mut Trace>,
) -> Option<std::borrow::Cow<'a, str>> {
    let value = path.read(view);
    if value.is_none() {
        if let (SourcePath::Attribute(name), Some(trace)) = (path, trace.as_deref_mut()) {
            trace.missing.push(name.clone());
        }
    }
    value
}

impl CompiledRule {
    /// The line field this rule reads as it is (`unit_price` for `{"source": "unit_price"}`).
    fn line_field(&self) -> Option<&'static str> {
        match &self.expression {
            Expression::Source(SourcePath::Field(field)) => Some(field.name()),
            _ => None,
        }
    }

    /// The rule's value for a line; `None` when its source is missing or empty. With a trace,
    /// records the attributes it missed and what its transforms did.
    pub(super) fn evaluate(
        &self,
        view: &LineView<'_>,
        mut trace: Option<&mut Trace>,
    ) -> Option<String> {
        let mut value = match &self.expression {
            Expression::Source(path) => read_traced(path, view, &mut trace)?.into_owned(),
            Expression::Literal(literal) => literal.clone(),
            Expression::Template(parts) => {
                // All or nothing: a placeholder without a value makes the template give none,
                // never a partial value such as `ABC-123-` (a `first` can then fall back).
                let mut out = String::new();
                let mut complete = true;
                for part in parts {
                    match part {
                        TemplatePart::Text(text) => out.push_str(text),
                        TemplatePart::Path(path) => match read_traced(path, view, &mut trace) {
                            Some(value) if !value.is_empty() => out.push_str(&value),
                            _ => complete = false,
                        },
                    }
                }
                if !complete {
                    return None;
                }
                out
            }
            Expression::First(rules) => {
                // The alternatives passed over are only worth a note when none gives a value.
                let mut passed_over = Trace::default();
                let mut found = None;
                for rule in rules {
                    let mut inner = trace.is_some().then(Trace::default);
                    let value = rule.evaluate(view, inner.as_mut());
                    if let Some(value) = value {
                        if let (Some(trace), Some(inner)) = (trace.as_deref_mut(), inner) {
                            trace.append(inner);
                        }
                        found = Some(value);
                        break;
                    }
                    if let Some(inner) = inner {
                        passed_over.append(inner);
                    }
                }
                match found {
                    Some(value) => value,
                    None => {
                        if let Some(trace) = trace.as_deref_mut() {
                            trace.append(passed_over);
                        }
                        return None;
                    }
                }
            }
            Expression::Lookup {
                source,
                table,
                default,
            } => {
                let key = match default {
                    // The default is the fallback for a missing attribute too.
                    Some(_) => source.read(view),
                    None => read_traced(source, view, &mut trace),
                }
                .unwrap_or_default();
                match table.get(key.as_ref()) {
                    Some(found) => found.clone(),
                    None => default.clone().unwrap_or_else(|| key.into_owned()),
                }
            }
        };
        for transform in &self.transforms {
            value = apply(transform, value, self.unit, trace.as_deref_mut());
        }
        (!value.is_empty()).then_some(value)
    }
}

fn apply(
    transform: &Transform,
    value: String,
    unit: LengthUnit,
    trace: Option<&mut Trace>,
) -> String {
    match transform {
        Transform::Trim => value.trim().to_owned(),
        Transform::Upper => value.to_uppercase(),
        Transform::Lower => value.to_lowercase(),
        Transform::CollapseWhitespace => value.split_whitespace().collect::<Vec<_>>().join(" "),
        Transform::Replace { from, to } if !from.is_empty() => value.replace(from.as_str(), to),
        Transform::Replace { .. } => value,
        Transform::Truncate { max, at } => {
            let cut = text::truncate(&value, *max, *at, unit);
            if let Some(trace) = trace.filter(|_| cut.len() < value.len()) {
                trace.notes.push(format!(
                    "truncated: the rule's `truncate` step cut {} {} to {max}",
                    unit.measure(&value),
                    unit.name()
                ));
            }
            cut
        }
        Transform::Pad { width, with, side } => {
            text::pad(value, *width, *with, *side == PadSide::Left, unit)
        }
        Transform::Number {
            min_decimals,
            max_decimals,
        } => match crate::model::parse_decimal(value.trim()) {
            Ok(number) => {
                let formatted = format_decimal(number, *min_decimals, *max_decimals);
                if let Some(trace) = trace.filter(|_| number.normalize().scale() > *max_decimals) {
                    trace.notes.push(format!(
                        "rounded: the rule's `number` step rounds `{number}` to `{formatted}` (half away from zero)"
                    ));
                }
                formatted
            }
            Err(_) => value,
        },
    }
}

/// Formats a decimal with at least `min_decimals` and at most `max_decimals` decimals, rounding
/// half away from zero (as in commerce, never to even). Only the `number` transform rounds, as
/// the integrator asked; target fields refuse what they cannot hold.
fn format_decimal(number: Decimal, min_decimals: u32, max_decimals: u32) -> String {
    let mut rounded = number
        .round_dp_with_strategy(max_decimals, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if rounded.scale() < min_decimals {
        rounded.rescale(min_decimals);
    }
    rounded.to_string()
}

/// Why a value does not fit its field's format.
#[derive(Debug)]
pub(super) enum FormatError {
    /// Not a value of the format at all.
    Invalid(String),
    /// A number with more decimals than the field holds; never rounded.
    TooManyDecimals { number: Decimal, decimals: u32 },
}

/// Writes a mapped value in the target field's format (text passes through without a copy).
fn format_value(
    format: FieldFormat,
    raw: String,
    units: &UnitRules,
) -> std::result::Result<String, FormatError> {
    match format {
        FieldFormat::Text => Ok(raw),
        FieldFormat::UnitCode => units.resolve(&raw).map_err(FormatError::Invalid),
        FieldFormat::Rec20UnitCode => units
            .resolve_rec20_ref(&raw)
            .map(str::to_owned)
            .map_err(FormatError::Invalid),
        FieldFormat::Code(list) => {
            if raw.is_empty() || list.contains(&raw) {
                Ok(raw)
            } else {
                Err(FormatError::Invalid(list.refusal(&raw)))
            }
        }
        FieldFormat::Date => {
            if raw.is_empty() || crate::peppol::dates::Date::parse(&raw).is_some() {
                Ok(raw)
            } else {
                Err(FormatError::Invalid(format!(
                    "expected a date `YYYY-MM-DD`, found `{}`",
                    crate::model::shorten(&raw)
                )))
            }
        }
        FieldFormat::Currency => {
            if raw.is_empty()
                || (raw.len() == 3 && raw.bytes().all(|byte| byte.is_ascii_uppercase()))
            {
                Ok(raw)
            } else {
                Err(FormatError::Invalid(format!(
                    "expected an ISO 4217 currency code, found `{}`",
                    crate::model::shorten(&raw)
                )))
            }
        }
        FieldFormat::Integer => {
            if raw.bytes().all(|byte| byte.is_ascii_digit()) {
                Ok(raw)
            } else {
                Err(FormatError::Invalid(format!(
                    "expected a whole number, found `{}`",
                    crate::model::shorten(&raw)
                )))
            }
        }
        FieldFormat::Decimal {
            integer_digits,
            decimals,
        } => {
            if raw.is_empty() {
                return Ok(raw);
            }
            let number = crate::model::parse_decimal(&raw)
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
            Ok(number.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CartLine, Property};

    fn oci5() -> MappingContext {
        MappingContext::oci(OciVersion::V5, OciCharset::Utf8)
    }

    fn line() -> CartLine {
        CartLine {
            line_ref: "r1".into(),
            sku: "ABC-123".into(),
            quantity: "2.5000".into(),
            unit_price: "1234.56789".into(),
            unit: "Stück".into(),
            description: "Copy paper A4 80 g/m², 500 sheets, bright white, FSC certified".into(),
            attributes: vec![
                Property::new("category", "paper"),
                Property::new("variant", "white"),
            ],
        }
    }

    fn compile(fields: &str) -> CompiledMapping {
        let fields: BTreeMap<String, FieldRule> = serde_json::from_str(fields).unwrap();
        let units = UnitRules {
            map: [("Stück".to_owned(), "PCE".to_owned())]
                .into_iter()
                .collect(),
            default: None,
        };
        CompiledMapping::compile(&fields, &BTreeMap::new(), &units, oci5()).unwrap()
    }

    #[test]
    fn defaults_fill_oci_fields_in_their_formats() {
        let mapping = compile("{}");
        let cart_line = line();
        let mapped = mapping
            .map_line(&LineView {
                line: &cart_line,
                currency: "EUR",
                line_number: 1,
            })
            .unwrap();
        assert_eq!(mapped.value("NEW_ITEM-QUANTITY"), Some("2.5"));
        // 1234.56789 has five decimals: quoted per 100 units, exactly.
        assert_eq!(mapped.value("NEW_ITEM-PRICE"), Some("123456.789"));
        assert_eq!(mapped.value("NEW_ITEM-PRICEUNIT"), Some("100"));
        assert_eq!(mapped.value("NEW_ITEM-UNIT"), Some("PCE"));
        assert_eq!(mapped.value("NEW_ITEM-CURRENCY"), Some("EUR"));
        assert_eq!(
            mapped.value("NEW_ITEM-DESCRIPTION"),
            Some("Copy paper A4 80 g/m², 500 sheets,")
        );
        assert_eq!(
            mapped.longtext.as_deref(),
            Some(cart_line.description.as_str())
        );
    }

    #[test]
    fn templates_lookups_and_fallbacks() {
        let mapping = compile(
            r#"{
                "NEW_ITEM-VENDORMAT": {"template": "{sku}-{attributes.variant}", "transform": ["upper"]},
                "NEW_ITEM-MATGROUP": {"lookup": {"source": "attributes.category", "table": {"paper": "001"}, "default": "999"}},
                "NEW_ITEM-MANUFACTMAT": {"first": ["attributes.mpn", "sku"]},
                "NEW_ITEM-CUST_FIELD1": {"literal": "X", "transform": [{"pad": {"width": 3}}]},
                "NEW_ITEM-ZZ_COLOR": "attributes.variant"
            }"#,
        );
        let cart_line = line();
        let mapped = mapping
            .map_line(&LineView {
                line: &cart_line,
                currency: "EUR",
                line_number: 1,
            })
            .unwrap();
        assert_eq!(mapped.value("NEW_ITEM-VENDORMAT"), Some("ABC-123-WHITE"));
        assert_eq!(mapped.value("NEW_ITEM-MATGROUP"), Some("001"));
        assert_eq!(mapped.value("NEW_ITEM-MANUFACTMAT"), Some("ABC-123"));
        assert_eq!(mapped.value("NEW_ITEM-CUST_FIELD1"), Some("00X"));
        assert_eq!(mapped.extrinsics[0].field, "NEW_ITEM-ZZ_COLOR");
    }

    #[test]
    fn refused_overflow_and_bad_rules_are_located() {
        let mapping =
            compile(r#"{"NEW_ITEM-DESCRIPTION": {"source": "description", "overflow": "refuse"}}"#);
        let cart_line = line();
        let error = mapping
            .map_line(&LineView {
                line: &cart_line,
                currency: "EUR",
                line_number: 3,
            })
            .unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/2/description")
        );
        let fields: BTreeMap<String, FieldRule> =
            serde_json::from_str(r#"{"NEW_ITEM-DESCRIPTION": {"source": "colour"}}"#).unwrap();
        let error =
            CompiledMapping::compile(&fields, &BTreeMap::new(), &UnitRules::default(), oci5())
                .unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/mapping/fields/NEW_ITEM-DESCRIPTION/source")
        );
    }

    #[test]
    fn steps_that_could_exhaust_memory_are_refused_at_compile() {
        let refused = |rule: &str| {
            let fields: BTreeMap<String, FieldRule> =
                serde_json::from_str(&format!(r#"{{"NEW_ITEM-ZZ_NOTE": {rule}}}"#)).unwrap();
            let error =
                CompiledMapping::compile(&fields, &BTreeMap::new(), &UnitRules::default(), oci5())
                    .unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidProfile);
            (
                error.location().pointer.clone().unwrap_or_default(),
                error.message().to_owned(),
            )
        };
        let (pointer, message) =
            refused(r#"{"source": "sku", "transform": [{"pad": {"width": 100000000}}]}"#);
        assert_eq!(
            pointer,
            "/mapping/fields/NEW_ITEM-ZZ_NOTE/transform/0/pad/width"
        );
        assert!(message.contains("at most 1024"), "{message}");
        let amplifying = format!(
            r#"{{"source": "description", "transform": [{{"replace": {{"from": "a", "to": "{}"}}}}]}}"#,
            "b".repeat(1000)
        );
        let (pointer, message) = refused(&amplifying);
        assert_eq!(pointer, "/mapping/fields/NEW_ITEM-ZZ_NOTE/transform");
        assert!(message.contains("1000 times longer"), "{message}");
        let (pointer, _) =
            refused(r#"{"source": "sku", "transform": [{"replace": {"from": "", "to": "x"}}]}"#);
        assert_eq!(
            pointer,
            "/mapping/fields/NEW_ITEM-ZZ_NOTE/transform/0/replace/from"
        );
        // Growth multiplies along the steps: 4 × 3 × 3 = 36.
        let (_, message) = refused(
            r#"{"source": "sku", "transform": [{"replace": {"from": "-", "to": "----"}}, "upper", "lower"]}"#,
        );
        assert!(message.contains("36 times longer"), "{message}");
        // A replacement no longer than what it replaces, and a modest pad, pass.
        let fields: BTreeMap<String, FieldRule> = serde_json::from_str(
            r#"{"NEW_ITEM-ZZ_NOTE": {"source": "sku", "transform": [{"replace": {"from": "ab", "to": "c"}}, "upper", {"pad": {"width": 20}}]}}"#,
        )
        .unwrap();
        CompiledMapping::compile(&fields, &BTreeMap::new(), &UnitRules::default(), oci5()).unwrap();
    }

    fn map(mapping: &CompiledMapping, cart_line: &CartLine) -> Result<MappedLine> {
        mapping.map_line(&LineView {
            line: cart_line,
            currency: "EUR",
            line_number: 1,
        })
    }

    fn explain(mapping: &CompiledMapping, cart_line: &CartLine) -> MappedLine {
        mapping
            .explain_line(&LineView {
                line: cart_line,
                currency: "EUR",
                line_number: 1,
            })
            .unwrap()
    }

    fn notes<'a>(mapped: &'a MappedLine, field: &str) -> &'a [String] {
        &mapped
            .fields
            .iter()
            .chain(&mapped.extrinsics)
            .find(|mapped| mapped.field == field)
            .unwrap()
            .notes
    }

    #[test]
    fn a_price_with_more_decimals_is_quoted_per_price_unit_never_rounded() {
        let mapping = compile("{}");
        for (price, written, per) in [
            ("19243.6305", "192436.305", "10"),
            ("0.0001", "0.001", "10"),
            ("0.00015", "0.015", "100"),
            ("1.2345678", "12345.678", "10000"),
            ("4.20", "4.2", ""),
        ] {
            let cart_line = CartLine {
                unit_price: price.into(),
                ..line()
            };
            let mapped = map(&mapping, &cart_line).unwrap();
            assert_eq!(mapped.value("NEW_ITEM-PRICE"), Some(written), "{price}");
            assert_eq!(
                mapped.value("NEW_ITEM-PRICEUNIT").unwrap_or_default(),
                per,
                "{price}"
            );
        }
        let explained = explain(
            &mapping,
            &CartLine {
                unit_price: "19243.6305".into(),
                ..line()
            },
        );
        assert_eq!(
            notes(&explained, "NEW_ITEM-PRICE"),
            ["price unit: `19243.6305` per unit is written as `192436.305` per 10 units (`NEW_ITEM-PRICEUNIT` 10), exact"]
        );
        // No price unit up to 10000 keeps eight decimals exact: refused, at the price.
        let error = map(
            &mapping,
            &CartLine {
                unit_price: "0.00000001".into(),
                ..line()
            },
        )
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidCart);
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/0/unit_price")
        );
        assert!(error
            .message()
            .starts_with("field `NEW_ITEM-PRICE`: price `0.00000001` has more than 3 decimals"));
    }

    #[test]
    fn a_price_is_refused_when_the_profile_sets_the_price_unit_itself() {
        let mapping = compile(r#"{"NEW_ITEM-PRICEUNIT": {"literal": "1"}}"#);
        let error = map(
            &mapping,
            &CartLine {
                unit_price: "19243.6305".into(),
                ..line()
            },
        )
        .unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/0/unit_price")
        );
        assert!(error
            .message()
            .contains("the profile maps `NEW_ITEM-PRICEUNIT` itself"));
        let exact = map(
            &mapping,
            &CartLine {
                unit_price: "19243.630".into(),
                ..line()
            },
        )
        .unwrap();
        assert_eq!(exact.value("NEW_ITEM-PRICE"), Some("19243.63"));
        assert_eq!(exact.value("NEW_ITEM-PRICEUNIT"), Some("1"));
    }

    #[test]
    fn a_quantity_with_more_decimals_than_the_field_is_refused_not_rounded() {
        let error = map(
            &compile("{}"),
            &CartLine {
                quantity: "2.0005".into(),
                ..line()
            },
        )
        .unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/lines/0/quantity")
        );
        assert_eq!(
            error.message(),
            "field `NEW_ITEM-QUANTITY`: `2.0005` has more than 3 decimals, which the field cannot hold (it is never rounded)"
        );
    }

    #[test]
    fn the_number_transform_rounds_half_away_from_zero() {
        assert_eq!(format_decimal("2.345".parse().unwrap(), 0, 2), "2.35");
        assert_eq!(format_decimal("2.355".parse().unwrap(), 0, 2), "2.36");
        assert_eq!(format_decimal("-0.125".parse().unwrap(), 2, 2), "-0.13");
    }

    #[test]
    fn an_oci5_field_in_a_4_0_profile_is_refused_and_never_previewed() {
        let fields: BTreeMap<String, FieldRule> =
            serde_json::from_str(r#"{"NEW_ITEM-ITEM_TYPE": {"literal": "R"}}"#).unwrap();
        let v4 = MappingContext::oci(OciVersion::V4, OciCharset::Utf8);
        let error = CompiledMapping::compile(&fields, &BTreeMap::new(), &UnitRules::default(), v4)
            .unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/mapping/fields/NEW_ITEM-ITEM_TYPE")
        );
        assert!(error.message().starts_with(
            "`NEW_ITEM-ITEM_TYPE` is an OCI 5.0 field and this buyer speaks OCI 4.0: its form would leave it out; set `\"oci\": {\"version\": \"5.0\"}`"
        ));
        let units = UnitRules {
            map: [("Stück".to_owned(), "PCE".to_owned())]
                .into_iter()
                .collect(),
            default: None,
        };
        let preview = explain(
            &CompiledMapping::compile(&BTreeMap::new(), &BTreeMap::new(), &units, v4).unwrap(),
            &line(),
        );
        assert!(preview.fields.iter().all(|field| !matches!(
            field.field.as_ref(),
            "NEW_ITEM-ITEM_TYPE" | "NEW_ITEM-PARENT_ID"
        )));
        assert!(CompiledMapping::compile(&fields, &BTreeMap::new(), &units, oci5()).is_ok());
    }

    #[test]
    fn preview_names_a_missing_attribute_and_the_closest_one_the_line_has() {
        let mapping = compile(
            r#"{"NEW_ITEM-CUST_FIELD1": {"template": "{attributes.color}"},
                "NEW_ITEM-CUST_FIELD2": {"template": "{sku}-{attributes.colour}"},
                "NEW_ITEM-ZZ_SIZE": "attributes.size"}"#,
        );
        let cart_line = CartLine {
            attributes: vec![Property::new("colour", "white")],
            ..line()
        };
        let mapped = explain(&mapping, &cart_line);
        assert_eq!(mapped.value("NEW_ITEM-CUST_FIELD1"), None);
        assert_eq!(
            notes(&mapped, "NEW_ITEM-CUST_FIELD1"),
            [
                "missing attribute: `color` is not on this line, did you mean `colour`?",
                "empty: profile rule /mapping/fields/NEW_ITEM-CUST_FIELD1 gives no value for this line",
            ]
        );
        assert_eq!(mapped.value("NEW_ITEM-CUST_FIELD2"), Some("ABC-123-wh"));
        assert_eq!(
            notes(&mapped, "NEW_ITEM-ZZ_SIZE"),
            [
                "missing attribute: `size` is not on this line",
                "empty: profile rule /mapping/fields/NEW_ITEM-ZZ_SIZE gives no value for this line",
            ]
        );
    }

    #[test]
    fn a_template_gives_no_partial_value_and_first_falls_back() {
        let mapping = compile(
            r#"{"NEW_ITEM-VENDORMAT": {"first": [{"template": "{sku}-{attributes.size}"}, "sku"]},
                "NEW_ITEM-CUST_FIELD5": {"template": "{sku}-{attributes.size}"}}"#,
        );
        let mapped = explain(&mapping, &line());
        assert_eq!(mapped.value("NEW_ITEM-VENDORMAT"), Some("ABC-123"));
        // The fallback was used: the missing attribute is no finding.
        assert!(notes(&mapped, "NEW_ITEM-VENDORMAT").is_empty());
        assert_eq!(mapped.value("NEW_ITEM-CUST_FIELD5"), None);
    }

    #[test]
    fn preview_notes_every_cut_spilled_and_transliterated_field() {
        let fields: BTreeMap<String, FieldRule> = serde_json::from_str(
            r#"{"NEW_ITEM-VENDORMAT": {"source": "sku", "transform": [{"truncate": {"max": 5, "at": "char"}}]}}"#,
        )
        .unwrap();
        let units = UnitRules {
            map: [("Stück".to_owned(), "PCE".to_owned())]
                .into_iter()
                .collect(),
            default: None,
        };
        let latin1 = MappingContext::oci(OciVersion::V4, OciCharset::Latin1);
        let mapping = CompiledMapping::compile(&fields, &BTreeMap::new(), &units, latin1).unwrap();
        let cart_line = CartLine {
            description: "Łódź: Kopierpapier A4, 500 Blatt, hochweiß, FSC-zertifiziert".into(),
            ..line()
        };
        let mapped = explain(&mapping, &cart_line);
        assert_eq!(
            notes(&mapped, "NEW_ITEM-DESCRIPTION"),
            [
                "truncated: 60 UTF-16 code units cut to 40 at a word boundary",
                "longtext: the full text is carried in the long text (`NEW_ITEM-LONGTEXT`)",
                "transliterated: the Latin-1 page writes `Ł` as `L`, `ź` as `z`",
            ]
        );
        assert_eq!(
            notes(&mapped, "NEW_ITEM-VENDORMAT"),
            ["truncated: the rule's `truncate` step cut 7 UTF-16 code units to 5"]
        );
        assert_eq!(mapped.value("NEW_ITEM-VENDORMAT"), Some("ABC-1"));
        // A default source that gives nothing is noted; a field without any rule is not.
        assert_eq!(
            notes(&mapped, "NEW_ITEM-LEADTIME"),
            [
                "missing attribute: `lead-time` is not on this line",
                "empty: default: source `attributes.lead-time` gives no value for this line"
            ]
        );
        assert!(notes(&mapped, "NEW_ITEM-MATNR").is_empty());
        // A plain mapping writes no notes.
        let plain = map(&mapping, &cart_line).unwrap();
        assert!(plain.fields.iter().all(|field| field.notes.is_empty()));
    }

    #[test]
    fn oci_lengths_count_utf16_code_units_and_compose_accents_first() {
        let mapping = compile("{}");
        // 38 characters, but the two emoji take two UTF-16 code units each: 40 in all, fits.
        let fits = format!("{}😀😀", "x".repeat(36));
        let mapped = map(
            &mapping,
            &CartLine {
                description: fits.clone(),
                ..line()
            },
        )
        .unwrap();
        assert_eq!(mapped.value("NEW_ITEM-DESCRIPTION"), Some(fits.as_str()));
        assert_eq!(mapped.longtext, None);
        let over = format!("{}😀😀", "x".repeat(37));
        let mapped = map(
            &mapping,
            &CartLine {
                description: over.clone(),
                ..line()
            },
        )
        .unwrap();
        assert_eq!(
            mapped.value("NEW_ITEM-DESCRIPTION"),
            Some(format!("{}😀", "x".repeat(37)).as_str())
        );
        assert_eq!(mapped.longtext.as_deref(), Some(over.as_str()));
        // Forty decomposed `é` are forty characters once composed: no cut.
        let decomposed = "e\u{301}".repeat(40);
        let mapped = map(
            &mapping,
            &CartLine {
                description: decomposed,
                ..line()
            },
        )
        .unwrap();
        assert_eq!(
            mapped.value("NEW_ITEM-DESCRIPTION"),
            Some("é".repeat(40).as_str())
        );
    }
}
