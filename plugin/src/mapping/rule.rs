//! A field rule as the integrator writes it in the profile's `mapping`.
//!
//! A rule is either a string (shorthand for `{"source": "…"}`) or an object with exactly one of
//! `source`, `literal`, `template`, `first` or `lookup`, optionally followed by `transform` steps
//! and an `overflow` policy:
//!
//! ```json
//! "NEW_ITEM-DESCRIPTION": {"source": "description", "transform": ["trim", {"truncate": {"max": 40}}], "overflow": "longtext"},
//! "NEW_ITEM-VENDORMAT": {"template": "{sku}-{attributes.variant}"},
//! "NEW_ITEM-MANUFACTMAT": {"first": ["attributes.mpn", "sku"]},
//! "NEW_ITEM-MATGROUP": {"lookup": {"source": "attributes.category", "table": {"paper": "001"}, "default": "999"}}
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// One field's rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleObject {
    /// A path into the cart line: `sku`, `description`, `attributes.NAME`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A fixed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    /// A text with `{path}` placeholders; `{{` and `}}` are literal braces. When a placeholder's
    /// value is missing or empty the template gives no value, never a partial one: put it in
    /// `first` before a fallback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The first of these rules that gives a non-empty value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<Vec<FieldRule>>,
    /// A value translated through a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<Lookup>,
    /// Steps applied to the value, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transform: Vec<Transform>,
    /// What happens when the value is longer than the target field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overflow: Option<Overflow>,
}

/// A field rule: a source path written as a plain string, or a rule object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FieldRule {
    Path(String),
    Rule(Box<RuleObject>),
}

impl FieldRule {
    /// A rule reading `path` from the line.
    pub fn source(path: &str) -> Self {
        FieldRule::Path(path.to_owned())
    }

    /// The rule as an object (a plain path becomes `{"source": path}`).
    pub fn as_object(&self) -> std::borrow::Cow<'_, RuleObject> {
        match self {
            FieldRule::Path(path) => std::borrow::Cow::Owned(RuleObject {
                source: Some(path.clone()),
                ..RuleObject::default()
            }),
            FieldRule::Rule(rule) => std::borrow::Cow::Borrowed(rule),
        }
    }
}

// Hand-written so that a mistake inside a rule object keeps serde's precise message (an untagged
// enum would only say "did not match any variant").
impl<'de> Deserialize<'de> for FieldRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RuleVisitor;

        impl<'de> Visitor<'de> for RuleVisitor {
            type Value = FieldRule;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a source path such as `attributes.color`, or a rule object")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<FieldRule, E> {
                Ok(FieldRule::Path(value.to_owned()))
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<FieldRule, M::Error> {
                RuleObject::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|rule| FieldRule::Rule(Box::new(rule)))
            }
        }

        deserializer.deserialize_any(RuleVisitor)
    }
}

impl schemars::JsonSchema for FieldRule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FieldRule".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A source path such as `attributes.color`, or a rule object",
            "anyOf": [
                {"type": "string", "description": "A source path: `sku`, `description`, `attributes.NAME`, …"},
                generator.subschema_for::<RuleObject>()
            ]
        })
    }
}

/// A value translated through a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// The path whose value is looked up.
    pub source: String,
    /// Shop value → buyer value.
    pub table: BTreeMap<String, String>,
    /// The value when the table has no entry; without it, the shop value passes unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A step applied to a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Transform {
    /// Removes leading and trailing whitespace.
    Trim,
    Upper,
    Lower,
    /// Collapses runs of whitespace (including line breaks) into one space.
    CollapseWhitespace,
    /// Replaces every occurrence of `from` by `to`. A rule's steps may make a value at most 16
    /// times longer (`to` against `from`, ×3 for `upper` and `lower`).
    Replace {
        #[schemars(length(min = 1))]
        from: String,
        to: String,
    },
    /// Cuts the value to `max` (UTF-16 code units for OCI, characters for cXML), never inside
    /// a grapheme cluster. With `at: word` (the default), the cut moves back to the last
    /// whitespace when at least half of `max` remains before it, else it falls inside the word.
    Truncate {
        max: usize,
        #[serde(default)]
        at: TruncateAt,
    },
    /// Pads the value to `width` characters with `with` (default `0`) on `side` (default left).
    Pad {
        #[schemars(range(max = 1024))]
        width: usize,
        #[serde(default = "default_pad")]
        with: char,
        #[serde(default)]
        side: PadSide,
    },
    /// Formats a decimal with at least `min_decimals` and at most `max_decimals` decimals,
    /// rounding half away from zero (the only step that rounds; target fields never do).
    Number {
        #[serde(default)]
        min_decimals: u32,
        #[serde(default = "default_max_decimals")]
        max_decimals: u32,
    },
}

fn default_pad() -> char {
    '0'
}

fn default_max_decimals() -> u32 {
    3
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TruncateAt {
    /// At the last whitespace within the limit when at least half of the limit remains before
    /// it; otherwise at the limit, inside the word.
    #[default]
    Word,
    /// Exactly at the limit.
    Char,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PadSide {
    #[default]
    Left,
    Right,
}

/// What happens to a value longer than its target field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Overflow {
    /// Cut at the last word boundary that fits.
    Truncate,
    /// Cut, and carry the full text in the line's long text (OCI `NEW_ITEM-LONGTEXT`).
    Longtext,
    /// Refuse the cart with an error naming the line and field.
    Refuse,
}
