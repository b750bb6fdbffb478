//! The field mapping: how a buyer profile turns the shop's cart lines into a protocol's fields.
//!
//! The integrator writes rules per target field ([`rule::FieldRule`]): a source path into the
//! line, a literal, a template, a fallback chain or a lookup table, then transforms and an
//! overflow policy. [`evaluate::CompiledMapping`] checks them once against the protocol's field
//! table ([`targets`]) and maps every line, reporting what it did ("explain").

pub mod check;
pub mod evaluate;
pub mod line_values;
mod rec20;
pub mod rule;
pub mod source;
pub mod targets;
pub mod text;
pub mod units;

pub use evaluate::{CompiledMapping, MappedLine, MappedValue, MappingContext};
pub use line_values::LineValues;
pub use rule::{FieldRule, Overflow, Transform};
pub use source::LineView;
pub use targets::{FieldFormat, TargetField};
pub use units::UnitRules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The profile's `mapping` section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingSection {
    /// Target field → rule. Fields without a rule use the engine's default source.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "target_fields_schema")]
    pub fields: BTreeMap<String, FieldRule>,
    /// Item properties by name → rule: cXML item extrinsics, Peppol `AdditionalItemProperty`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extrinsics: BTreeMap<String, FieldRule>,
    /// Unit translation and the unit of lines without one.
    #[serde(default)]
    pub units: UnitRules,
}

/// The schema of `mapping.fields`: every target field of every protocol as a property (so that
/// editors complete them, with length and format), OCI customer fields by pattern, and nothing
/// else. The profile's schema narrows the names to its protocol's.
fn target_fields_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let rule = serde_json::Value::from(generator.subschema_for::<FieldRule>());
    let mut properties = serde_json::Map::new();
    for (protocol, targets) in [
        ("cXML", targets::CXML_ITEM_FIELDS),
        ("OCI", targets::OCI_ITEM_FIELDS),
        ("Peppol T77", targets::PEPPOL_ITEM_FIELDS),
    ] {
        for target in targets {
            let mut property = rule.clone();
            if let Some(object) = property.as_object_mut() {
                object.insert(
                    "description".into(),
                    targets::describe(protocol, target).into(),
                );
            }
            properties.insert(target.name.to_owned(), property);
        }
    }
    schemars::json_schema!({
        "description": "Target field → rule. Fields without a rule use the engine's default source.",
        "type": "object",
        "properties": properties,
        "patternProperties": {targets::OCI_CUSTOMER_FIELD_PATTERN: rule.clone()},
        "propertyNames": {
            "anyOf": [
                {"enum": target_field_names(targets::CXML_ITEM_FIELDS)},
                {"enum": target_field_names(targets::OCI_ITEM_FIELDS)},
                {"enum": target_field_names(targets::PEPPOL_ITEM_FIELDS)},
                {"pattern": targets::OCI_CUSTOMER_FIELD_PATTERN}
            ]
        },
        "additionalProperties": false
    })
}

/// The names of a protocol's target fields, for the profile's schema.
pub fn target_field_names(targets: &[TargetField]) -> Vec<&'static str> {
    targets.iter().map(|target| target.name).collect()
}
