//! `config check`: every problem of a profile at once, as errors and warnings with JSON
//! pointers, without needing its secrets.

use serde::{Deserialize, Serialize};

use super::evaluate::CompiledMapping;
use super::rule::{FieldRule, Transform};
use super::targets::{item_fields, FieldFormat};
use crate::error::Location;
use crate::profile::{BuyerProfile, ProfileDocument, Protocol, ResolvedSecret, Secret};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The profile cannot be used.
    Error,
    /// The profile works, but probably not as meant.
    Warning,
}

/// One finding of `config check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Location,
}

impl Diagnostic {
    fn error(message: impl Into<String>, location: Location) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location,
        }
    }

    fn warning(message: impl Into<String>, pointer: String) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            location: Location::at_pointer(pointer),
        }
    }
}

/// Checks a profile written as JSON: syntax and types first (serde stops at the first such
/// error), then every rule, URL and code, then what deserves a warning.
pub fn check_profile(json: &str) -> Vec<Diagnostic> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let document: ProfileDocument = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(document) => document,
        Err(_) => {
            // Compile again for the located error (same code path as the engine).
            return match BuyerProfile::compile(json, &[]) {
                Err(error) => vec![Diagnostic::error(error.message(), error.location().clone())],
                Ok(_) => Vec::new(),
            };
        }
    };
    let mut found = Vec::new();
    // Compile with a stand-in for the secret: the host resolves the real one.
    let stand_in = [ResolvedSecret {
        name: document.authentication.shared_secret.secret.clone(),
        value: Secret::new(Vec::new()),
    }];
    // Every rule separately, so that every bad rule is reported.
    let targets = item_fields(document.protocol);
    let oci = document.protocol == Protocol::Oci;
    for (name, rule) in &document.mapping.fields {
        let single = [(name.clone(), rule.clone())].into_iter().collect();
        if let Err(error) = CompiledMapping::compile(
            targets,
            &single,
            &Default::default(),
            &Default::default(),
            oci,
        ) {
            found.push(Diagnostic::error(error.message(), error.location().clone()));
        }
    }
    for (name, rule) in &document.mapping.extrinsics {
        let single = [(name.clone(), rule.clone())].into_iter().collect();
        if let Err(error) = CompiledMapping::compile(
            targets,
            &Default::default(),
            &single,
            &Default::default(),
            oci,
        ) {
            found.push(Diagnostic::error(error.message(), error.location().clone()));
        }
    }
    {
        let mut rest = document.clone();
        rest.mapping.fields.clear();
        rest.mapping.extrinsics.clear();
        let mut index = 0;
        // Report each remaining problem (URLs, units, ids) by fixing it and compiling again.
        while index < 32 {
            index += 1;
            match BuyerProfile::from_document(rest.clone(), &stand_in) {
                Ok(_) => break,
                Err(error) => {
                    let pointer = error.location().pointer.clone().unwrap_or_default();
                    found.push(Diagnostic::error(error.message(), error.location().clone()));
                    if !remove_at(&mut rest, &pointer) {
                        break;
                    }
                }
            }
        }
    }
    if let Some(unit) = &document.mapping.units.default {
        if !super::units::is_known_unit(unit) {
            found.push(Diagnostic::error(
                format!("unit `{unit}` is not a UN/ECE Rec 20 code (nor PCE, PCS, PK, BX)"),
                Location::at_pointer("/mapping/units/default"),
            ));
        }
    }
    found.extend(warnings(&document));
    if !found
        .iter()
        .any(|diagnostic| diagnostic.severity == Severity::Error)
    {
        if let Err(error) = BuyerProfile::from_document(document, &stand_in) {
            found.push(Diagnostic::error(error.message(), error.location().clone()));
        }
    }
    found
}

/// Takes the offending entry out of the profile so that checking can go on.
fn remove_at(document: &mut ProfileDocument, pointer: &str) -> bool {
    if let Some(index) = pointer
        .strip_prefix("/return_urls/")
        .and_then(|index| index.parse::<usize>().ok())
    {
        if index < document.return_urls.len() && document.return_urls.len() > 1 {
            document.return_urls.remove(index);
            return true;
        }
    }
    if let Some(key) = pointer.strip_prefix("/mapping/units/map/") {
        let key = key.replace("~1", "/").replace("~0", "~");
        return document.mapping.units.map.remove(&key).is_some();
    }
    false
}

/// What works but deserves a second look.
fn warnings(document: &ProfileDocument) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for target in item_fields(document.protocol) {
        let pointer = format!("/mapping/fields/{}", target.name);
        // Numbers, units and currencies are bounded by their format; only text can overflow.
        let Some(max) = target
            .max_chars
            .filter(|_| target.format == FieldFormat::Text)
        else {
            continue;
        };
        match document.mapping.fields.get(target.name) {
            Some(rule) => {
                if !bounded(rule, max) && target.default_overflow.is_none() {
                    found.push(Diagnostic::warning(
                        format!(
                            "`{}` holds at most {max} characters and this rule can give more, with no `overflow` policy: longer values are cut at a word boundary",
                            target.name
                        ),
                        pointer,
                    ));
                }
            }
            None => {
                if let Some(source) = target.default_source {
                    let free_text = matches!(target.format, FieldFormat::Text)
                        && target.default_overflow.is_none()
                        && (source.starts_with("attributes.")
                            || source == "sku"
                            || source == "description");
                    if free_text {
                        found.push(Diagnostic::warning(
                            format!(
                                "`{}` (at most {max} characters) takes `{source}` by default, which can be longer, with no `overflow` policy: map it explicitly",
                                target.name
                            ),
                            pointer,
                        ));
                    }
                } else if target.required {
                    found.push(Diagnostic::error(
                        format!("`{}` is required and has no rule", target.name),
                        Location::at_pointer(pointer),
                    ));
                }
            }
        }
    }
    if document.protocol == Protocol::Cxml && document.defaults.classification_code.is_none() {
        let mapped = document.mapping.fields.contains_key("Classification");
        if !mapped {
            found.push(Diagnostic::warning(
                "cXML requires a classification on every line: lines without a `classification` attribute will be refused; set `defaults.classification_code` or map `Classification`",
                "/defaults/classification_code".to_owned(),
            ));
        }
    }
    found
}

/// Whether a rule's value cannot exceed `max` characters.
fn bounded(rule: &FieldRule, max: usize) -> bool {
    let object = rule.as_object();
    if object.overflow.is_some() {
        return true;
    }
    if object
        .transform
        .iter()
        .any(|transform| matches!(transform, Transform::Truncate { max: cut, .. } if *cut <= max))
    {
        return true;
    }
    if let Some(literal) = &object.literal {
        return literal.chars().count() <= max;
    }
    if let Some(lookup) = &object.lookup {
        return lookup.default.is_some()
            && lookup
                .table
                .values()
                .all(|value| value.chars().count() <= max)
            && lookup
                .default
                .as_ref()
                .is_some_and(|value| value.chars().count() <= max);
    }
    if let Some(first) = &object.first {
        return first.iter().all(|rule| bounded(rule, max));
    }
    false
}
