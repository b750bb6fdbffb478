//! The field mapping: how a buyer profile turns the shop's cart lines into a protocol's fields.
//!
//! The integrator writes rules per target field ([`rule::FieldRule`]): a source path into the
//! line, a literal, a template, a fallback chain or a lookup table, then transforms and an
//! overflow policy. [`evaluate::CompiledMapping`] checks them once against the protocol's field
//! table ([`targets`]) and maps every line, reporting what it did ("explain").

pub mod check;
pub mod evaluate;
mod rec20;
pub mod rule;
pub mod source;
pub mod targets;
pub mod units;

pub use evaluate::{CompiledMapping, MappedLine, MappedValue};
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
    pub fields: BTreeMap<String, FieldRule>,
    /// cXML item extrinsics: name → rule.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extrinsics: BTreeMap<String, FieldRule>,
    /// Unit translation and the unit of lines without one.
    #[serde(default)]
    pub units: UnitRules,
}
