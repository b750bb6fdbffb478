//! Compiled mappings and their evaluation on cart lines.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::rule::{FieldRule, Overflow, PadSide, RuleObject, Transform, TruncateAt};
use super::source::{LineView, SourcePath};
use super::targets::{FieldFormat, TargetField};
use super::units::UnitRules;
use crate::error::{Error, ErrorCode, Result};

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

#[derive(Clone, Debug)]
enum Expression {
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
enum TemplatePart {
    Text(String),
    Path(SourcePath),
}

/// A rule checked and ready to evaluate.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    expression: Expression,
    transforms: Vec<Transform>,
    overflow: Option<Overflow>,
}

/// One target field's compiled rule.
#[derive(Clone, Debug)]
struct FieldPlan {
    target: &'static TargetField,
    rule: Option<CompiledRule>,
    origin: RuleOrigin,
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
    /// What the engine did to fit the value (truncation, spill into the long text); filled by
    /// [`CompiledMapping::explain_line`] only, like `origin`.
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
    plans: Vec<FieldPlan>,
    extrinsics: Vec<(String, CompiledRule, String)>,
    units: UnitRules,
}

impl CompiledMapping {
    /// Compiles the profile's rules for a protocol's fields; fields without a rule use the
    /// engine's default source.
    ///
    /// # Errors
    /// `invalid-profile` at the JSON pointer of the first bad rule (unknown field, unknown
    /// source, bad template).
    pub fn compile(
        targets: &'static [TargetField],
        fields: &BTreeMap<String, FieldRule>,
        extrinsics: &BTreeMap<String, FieldRule>,
        units: &UnitRules,
        customer_fields: bool,
    ) -> Result<Self> {
        for name in fields.keys() {
            let known = targets.iter().any(|target| target.name == name)
                || (customer_fields && super::targets::is_oci_customer_field(name));
            if !known {
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
                .at_pointer(format!("/mapping/fields/{}", escape_pointer(name))));
            }
        }
        let mut plans = Vec::with_capacity(targets.len());
        for target in targets {
            let pointer = format!("/mapping/fields/{}", escape_pointer(target.name));
            let plan = match fields.get(target.name) {
                Some(rule) => FieldPlan {
                    target,
                    rule: Some(compile_rule(rule, &pointer)?),
                    origin: RuleOrigin::Profile(pointer),
                },
                None => FieldPlan {
                    target,
                    rule: target.default_source.map(default_rule),
                    origin: RuleOrigin::Default(target.default_source.unwrap_or("none")),
                },
            };
            plans.push(plan);
        }
        // Customer fields (OCI) have no entry in the table: leak-free static targets are not
        // possible for them, so they are kept as extrinsic-like named rules.
        let mut extra = Vec::new();
        for (name, rule) in fields {
            if !targets.iter().any(|target| target.name == name) {
                let pointer = format!("/mapping/fields/{}", escape_pointer(name));
                extra.push((name.clone(), compile_rule(rule, &pointer)?, pointer));
            }
        }
        for (name, rule) in extrinsics {
            let pointer = format!("/mapping/extrinsics/{}", escape_pointer(name));
            extra.push((name.clone(), compile_rule(rule, &pointer)?, pointer));
        }
        Ok(CompiledMapping {
            plans,
            extrinsics: extra,
            units: units.clone(),
        })
    }

    /// Maps one cart line.
    ///
    /// # Errors
    /// `invalid-cart` at `/lines/N/...` when a required field is empty, a number or unit is
    /// invalid, or a value overflows a field whose policy is `refuse`.
    pub fn map_line(&self, view: &LineView<'_>) -> Result<MappedLine> {
        self.map_line_with(view, false)
    }

    /// Maps one cart line and records the rule behind every value (`config preview`).
    ///
    /// # Errors
    /// As [`CompiledMapping::map_line`].
    pub fn explain_line(&self, view: &LineView<'_>) -> Result<MappedLine> {
        self.map_line_with(view, true)
    }

    fn map_line_with(&self, view: &LineView<'_>, explain: bool) -> Result<MappedLine> {
        let mut mapped = MappedLine {
            fields: Vec::with_capacity(self.plans.len()),
            ..MappedLine::default()
        };
        for plan in &self.plans {
            let target = plan.target;
            let invalid = |message: String| {
                Error::new(
                    ErrorCode::InvalidCart,
                    format!("field `{}`: {message}", target.name),
                )
                .at_pointer(format!("/lines/{}", view.line_number.saturating_sub(1)))
            };
            let mut notes = Vec::new();
            let raw = plan
                .rule
                .as_ref()
                .and_then(|rule| rule.evaluate(view))
                .unwrap_or_default();
            let mut value = format_value(target.format, raw, &self.units).map_err(invalid)?;
            if target.required && value.is_empty() {
                return Err(invalid(format!(
                    "required, but {} gives no value",
                    plan.origin
                )));
            }
            if let Some(max) = target.max_chars {
                // No more bytes than the limit means no more characters: most values skip the
                // count.
                if value.len() > max && value.chars().count() > max {
                    let policy = plan
                        .rule
                        .as_ref()
                        .and_then(|rule| rule.overflow)
                        .or(target.default_overflow)
                        .unwrap_or(Overflow::Truncate);
                    match policy {
                        Overflow::Refuse => {
                            return Err(invalid(format!(
                                "`{}` is longer than {max} characters",
                                crate::model::shorten(&value)
                            )))
                        }
                        Overflow::Truncate | Overflow::Longtext => {
                            let cut = truncate(&value, max, TruncateAt::Word);
                            let full = std::mem::replace(&mut value, cut);
                            // Notes are for explanations; a plain mapping skips writing them.
                            if explain {
                                notes.push(format!("truncated to {max} characters"));
                            }
                            if policy == Overflow::Longtext {
                                if explain {
                                    notes.push("full text carried in the long text".to_owned());
                                }
                                mapped.longtext = Some(full);
                            }
                        }
                    }
                }
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
        for (name, rule, pointer) in &self.extrinsics {
            let value = rule.evaluate(view).unwrap_or_default();
            if !value.is_empty() {
                mapped.extrinsics.push(MappedValue {
                    field: std::borrow::Cow::Owned(name.clone()),
                    value,
                    origin: if explain {
                        format!("profile rule {pointer}")
                    } else {
                        String::new()
                    },
                    notes: Vec::new(),
                });
            }
        }
        Ok(mapped)
    }

    /// The unit rules (for protocols that translate units outside the field table).
    pub fn units(&self) -> &UnitRules {
        &self.units
    }
}

fn default_rule(source: &'static str) -> CompiledRule {
    CompiledRule {
        expression: SourcePath::parse(source)
            .map(Expression::Source)
            .unwrap_or(Expression::Literal(String::new())),
        transforms: Vec::new(),
        overflow: None,
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn compile_rule(rule: &FieldRule, pointer: &str) -> Result<CompiledRule> {
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
                .map(|(index, rule)| compile_rule(rule, &format!("{pointer}/first/{index}")))
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
    for (index, transform) in object.transform.iter().enumerate() {
        if let Transform::Number {
            min_decimals,
            max_decimals,
        } = transform
        {
            if min_decimals > max_decimals || *max_decimals > 28 {
                return Err(invalid(
                    &format!("/transform/{index}"),
                    "expected `min_decimals` ≤ `max_decimals` ≤ 28".to_owned(),
                ));
            }
        }
    }
    Ok(CompiledRule {
        expression,
        transforms: object.transform.clone(),
        overflow: object.overflow,
    })
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
            rest = tail.get(end + 1..).unwrap_or_default();
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

impl CompiledRule {
    /// The rule's value for a line; `None` when its source is missing or empty.
    pub fn evaluate(&self, view: &LineView<'_>) -> Option<String> {
        let mut value = match &self.expression {
            Expression::Source(path) => path.read(view)?.into_owned(),
            Expression::Literal(literal) => literal.clone(),
            Expression::Template(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        TemplatePart::Text(text) => out.push_str(text),
                        TemplatePart::Path(path) => {
                            out.push_str(&path.read(view).unwrap_or_default())
                        }
                    }
                }
                out
            }
            Expression::First(rules) => rules.iter().find_map(|rule| rule.evaluate(view))?,
            Expression::Lookup {
                source,
                table,
                default,
            } => {
                let key = source.read(view).unwrap_or_default();
                match table.get(key.as_ref()) {
                    Some(found) => found.clone(),
                    None => default.clone().unwrap_or_else(|| key.into_owned()),
                }
            }
        };
        for transform in &self.transforms {
            value = apply(transform, value);
        }
        (!value.is_empty()).then_some(value)
    }
}

fn apply(transform: &Transform, value: String) -> String {
    match transform {
        Transform::Trim => value.trim().to_owned(),
        Transform::Upper => value.to_uppercase(),
        Transform::Lower => value.to_lowercase(),
        Transform::CollapseWhitespace => value.split_whitespace().collect::<Vec<_>>().join(" "),
        Transform::Replace { from, to } if !from.is_empty() => value.replace(from.as_str(), to),
        Transform::Replace { .. } => value,
        Transform::Truncate { max, at } => truncate(&value, *max, *at),
        Transform::Pad { width, with, side } => {
            let missing = width.saturating_sub(value.chars().count());
            let padding: String = std::iter::repeat_n(*with, missing).collect();
            match side {
                PadSide::Left => padding + &value,
                PadSide::Right => value + &padding,
            }
        }
        Transform::Number {
            min_decimals,
            max_decimals,
        } => match crate::model::parse_decimal(value.trim()) {
            Ok(number) => format_decimal(number, *min_decimals, *max_decimals),
            Err(_) => value,
        },
    }
}

/// Cuts `value` to at most `max` characters; at a word boundary when one exists in the second
/// half of the allowed length.
pub fn truncate(value: &str, max: usize, at: TruncateAt) -> String {
    if value.len() <= max || value.chars().count() <= max {
        return value.to_owned();
    }
    let cut: String = value.chars().take(max).collect();
    if at == TruncateAt::Word {
        // Only a boundary at or after the limit's half, so that a long first word is not lost.
        let next_is_space = value.chars().nth(max).is_some_and(char::is_whitespace);
        if next_is_space {
            return cut.trim_end().to_owned();
        }
        if let Some(space) = cut.rfind(char::is_whitespace) {
            if cut
                .get(..space)
                .is_some_and(|head| head.chars().count() * 2 >= max)
            {
                return cut.get(..space).unwrap_or_default().trim_end().to_owned();
            }
        }
    }
    cut
}

fn format_decimal(number: Decimal, min_decimals: u32, max_decimals: u32) -> String {
    let mut rounded = number.round_dp(max_decimals).normalize();
    if rounded.scale() < min_decimals {
        rounded.rescale(min_decimals);
    }
    rounded.to_string()
}

/// Writes a mapped value in the target field's format (text passes through without a copy).
fn format_value(
    format: FieldFormat,
    raw: String,
    units: &UnitRules,
) -> std::result::Result<String, String> {
    match format {
        FieldFormat::Text => Ok(raw),
        FieldFormat::UnitCode => units.resolve(&raw),
        FieldFormat::Currency => {
            if raw.is_empty()
                || (raw.len() == 3 && raw.bytes().all(|byte| byte.is_ascii_uppercase()))
            {
                Ok(raw)
            } else {
                Err(format!(
                    "expected an ISO 4217 currency code, found `{}`",
                    crate::model::shorten(&raw)
                ))
            }
        }
        FieldFormat::Integer => {
            if raw.bytes().all(|byte| byte.is_ascii_digit()) {
                Ok(raw)
            } else {
                Err(format!(
                    "expected a whole number, found `{}`",
                    crate::model::shorten(&raw)
                ))
            }
        }
        FieldFormat::Decimal {
            integer_digits,
            decimals,
        } => {
            if raw.is_empty() {
                return Ok(raw);
            }
            let number =
                crate::model::parse_decimal(&raw).map_err(|error| error.message().to_owned())?;
            let text = format_decimal(number, 0, decimals);
            let whole = text
                .trim_start_matches('-')
                .split('.')
                .next()
                .unwrap_or_default();
            if whole.len() > integer_digits as usize {
                return Err(format!(
                    "`{text}` has more than {integer_digits} digits before the decimal point"
                ));
            }
            Ok(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::targets::OCI_ITEM_FIELDS;
    use crate::model::{CartLine, Property};

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
        CompiledMapping::compile(OCI_ITEM_FIELDS, &fields, &BTreeMap::new(), &units, true).unwrap()
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
        assert_eq!(mapped.value("NEW_ITEM-PRICE"), Some("1234.568"));
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
        assert_eq!(error.location().pointer.as_deref(), Some("/lines/2"));
        let fields: BTreeMap<String, FieldRule> =
            serde_json::from_str(r#"{"NEW_ITEM-DESCRIPTION": {"source": "colour"}}"#).unwrap();
        let error = CompiledMapping::compile(
            OCI_ITEM_FIELDS,
            &fields,
            &BTreeMap::new(),
            &UnitRules::default(),
            true,
        )
        .unwrap_err();
        assert_eq!(
            error.location().pointer.as_deref(),
            Some("/mapping/fields/NEW_ITEM-DESCRIPTION/source")
        );
    }

    #[test]
    fn truncation_prefers_word_boundaries() {
        assert_eq!(
            truncate("alpha beta gamma", 12, TruncateAt::Word),
            "alpha beta"
        );
        assert_eq!(
            truncate("alpha beta gamma", 10, TruncateAt::Word),
            "alpha beta"
        );
        assert_eq!(
            truncate("supercalifragilistic x", 10, TruncateAt::Word),
            "supercalif"
        );
        assert_eq!(truncate("äöüäöü", 3, TruncateAt::Char), "äöü");
    }
}
