//! `config check`: every problem of a profile at once, as errors and warnings with JSON
//! pointers, without needing its secrets.

use serde::{Deserialize, Serialize};

use super::evaluate::{CompiledMapping, MappingContext};
use super::rule::{FieldRule, Transform};
use super::targets::{item_fields, FieldFormat};
use super::text::LengthUnit;
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
    // Compile with stand-ins for the secrets: the host resolves the real ones.
    let stand_in: Vec<ResolvedSecret> = document
        .authentication
        .secret_references()
        .into_iter()
        .map(|name| ResolvedSecret {
            name: name.to_owned(),
            value: Secret::new(Vec::new()),
        })
        .collect();
    // Every rule separately, so that every bad rule is reported.
    let context = MappingContext::of(&document);
    for (name, rule) in &document.mapping.fields {
        let single = [(name.clone(), rule.clone())].into_iter().collect();
        if let Err(error) =
            CompiledMapping::compile(&single, &Default::default(), &Default::default(), context)
        {
            found.push(Diagnostic::error(error.message(), error.location().clone()));
        }
    }
    for (name, rule) in &document.mapping.extrinsics {
        let single = [(name.clone(), rule.clone())].into_iter().collect();
        if let Err(error) =
            CompiledMapping::compile(&Default::default(), &single, &Default::default(), context)
        {
            found.push(Diagnostic::error(error.message(), error.location().clone()));
        }
    }
    // Every bad value of the `peppol` section and every incomplete pair of T77 fields, each at
    // its pointer (the compile below stops at the first of them).
    let peppol_reported = match (&document.peppol, document.protocol) {
        (Some(settings), Protocol::Peppol) => {
            let mut problems = settings.problems();
            problems.extend(crate::peppol::cart::check_mapping(&document.mapping));
            for error in &problems {
                found.push(Diagnostic::error(error.message(), error.location().clone()));
            }
            !problems.is_empty()
        }
        _ => false,
    };
    // Every bad value of the `orders` section, each at its pointer.
    if let Some(rules) = &document.orders {
        for error in crate::order::rules::check(rules) {
            found.push(Diagnostic::error(error.message(), error.location().clone()));
        }
    }
    {
        let mut rest = document.clone();
        rest.mapping.fields.clear();
        rest.mapping.extrinsics.clear();
        // Reported above, all at once.
        rest.orders = None;
        let mut index = 0_u32;
        // Report each remaining problem (URLs, units, ids) by fixing it and compiling again.
        while index < 32 {
            index = index.saturating_add(1);
            match BuyerProfile::from_document(rest.clone(), &stand_in) {
                Ok(_) => break,
                Err(error) => {
                    let pointer = error.location().pointer.clone().unwrap_or_default();
                    if peppol_reported && pointer.starts_with("/peppol") {
                        // Reported above, all at once; nothing after them is checked.
                        break;
                    }
                    found.push(Diagnostic::error(error.message(), error.location().clone()));
                    if !remove_at(&mut rest, &pointer) {
                        break;
                    }
                }
            }
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
    if pointer == "/mapping/units/default" {
        return document.mapping.units.default.take().is_some();
    }
    if let Some(index) = pointer
        .strip_prefix("/authentication/credentials/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|index| index.parse::<usize>().ok())
    {
        let credentials = &mut document.authentication.credentials;
        if index < credentials.len() && credentials.len() > 1 {
            credentials.remove(index);
            return true;
        }
    }
    false
}

/// What works but deserves a second look.
fn warnings(document: &ProfileDocument) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let unit = MappingContext::of(document).length_unit();
    for (index, entry) in document.return_urls.iter().enumerate() {
        if let Some(message) = crate::profile::return_url_entry_warning(entry) {
            found.push(Diagnostic::warning(
                message,
                format!("/return_urls/{index}"),
            ));
        }
    }
    for (name, rule) in &document.mapping.fields {
        let pointer = format!("/mapping/fields/{}", escape_pointer(name));
        let required = item_fields(document.protocol)
            .iter()
            .any(|target| target.name == name && target.required);
        attribute_warnings(rule, &pointer, required, &mut found);
    }
    for (name, rule) in &document.mapping.extrinsics {
        let pointer = format!("/mapping/extrinsics/{}", escape_pointer(name));
        attribute_warnings(rule, &pointer, false, &mut found);
    }
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
                if !bounded(rule, max, unit) && target.default_overflow.is_none() {
                    found.push(Diagnostic::warning(
                        format!(
                            "`{}` holds at most {max} {} and this rule can give more, with no `overflow` policy: longer values are cut at a word boundary; set `overflow` to `truncate`, `longtext` or `refuse`",
                            target.name,
                            unit.name()
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
                                "`{}` (at most {max} {}) takes `{source}` by default, which can be longer, with no `overflow` policy: map it explicitly with an `overflow` policy",
                                target.name,
                                unit.name()
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
    if let Some(rules) = &document.orders {
        for (pointer, message) in crate::order::rules::warnings(rules) {
            found.push(Diagnostic::warning(message, pointer));
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

/// Warns where a missing attribute silently changes a value: a template that mixes an attribute
/// with other text (a line without it gives no value at all, not the rest of the text), and a
/// required field that an attribute alone fills (a line without it is refused). A fallback
/// (`first` with a later rule, a lookup's `default`) silences it.
fn attribute_warnings(
    rule: &FieldRule,
    pointer: &str,
    required: bool,
    found: &mut Vec<Diagnostic>,
) {
    let object = rule.as_object();
    let at = |suffix: &str| match rule {
        FieldRule::Path(_) => pointer.to_owned(),
        FieldRule::Rule(_) => format!("{pointer}{suffix}"),
    };
    if let Some(template) = &object.template {
        let attributes = super::evaluate::template_paths(template);
        let only_one_attribute =
            attributes.len() == 1 && template.trim() == format!("{{attributes.{}}}", attributes[0]);
        if let Some(first) = attributes.first().filter(|_| !only_one_attribute) {
            found.push(Diagnostic::warning(
                format!(
                    "template reads `attributes.{}` with no fallback: a line without it gives no value for this field at all; wrap the rule in `first` with a fallback rule after it, and check the attribute's name with `config preview`",
                    crate::model::shorten(first)
                ),
                at("/template"),
            ));
            return;
        }
    }
    if required {
        if let Some(attribute) = unguarded_attribute(rule) {
            found.push(Diagnostic::warning(
                format!(
                    "this required field reads only `attributes.{}`: a line without it is refused; add a fallback with `first` (`{{\"first\": [\"attributes.{}\", \"description\"]}}`)",
                    crate::model::shorten(&attribute),
                    crate::model::shorten(&attribute)
                ),
                pointer.to_owned(),
            ));
        }
    }
}

/// The attribute a rule depends on with nothing to fall back to, if any.
fn unguarded_attribute(rule: &FieldRule) -> Option<String> {
    let object = rule.as_object();
    let attribute = |path: &str| {
        path.strip_prefix("attributes.")
            .or_else(|| path.strip_prefix("attributes/"))
            .map(str::to_owned)
    };
    if let Some(source) = &object.source {
        return attribute(source);
    }
    if let Some(template) = &object.template {
        return super::evaluate::template_paths(template).into_iter().next();
    }
    if let Some(lookup) = &object.lookup {
        return lookup
            .default
            .is_none()
            .then(|| attribute(&lookup.source))
            .flatten();
    }
    if let Some(first) = &object.first {
        // Only the last alternative has nothing after it.
        return first.last().and_then(unguarded_attribute);
    }
    None
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether a rule's value cannot exceed `max` units.
fn bounded(rule: &FieldRule, max: usize, unit: LengthUnit) -> bool {
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
        return unit.measure(literal) <= max;
    }
    if let Some(lookup) = &object.lookup {
        return lookup.default.is_some()
            && lookup
                .table
                .values()
                .all(|value| unit.measure(value) <= max)
            && lookup
                .default
                .as_ref()
                .is_some_and(|value| unit.measure(value) <= max);
    }
    if let Some(first) = &object.first {
        return first.iter().all(|rule| bounded(rule, max, unit));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clean OCI profile; `fields` adds rules (each starting with a comma).
    fn oci_with(fields: &str) -> String {
        format!(
            r#"{{"id": "srm", "name": "SRM", "protocol": "oci",
                "authentication": {{"credentials": [{{"domain": "oci", "identity": "U"}}],
                                    "shared_secret": {{"secret": "PW"}}}},
                "return_urls": ["https://srm.example/sap/"],
                "mapping": {{"units": {{"default": "PCE"}}, "fields": {{
                    "NEW_ITEM-VENDORMAT": {{"source": "sku", "overflow": "refuse"}},
                    "NEW_ITEM-EXT_PRODUCT_ID": {{"source": "sku", "overflow": "refuse"}},
                    "NEW_ITEM-MANUFACTMAT": {{"source": "attributes.mpn", "overflow": "truncate"}}{fields}}}}}}}"#
        )
    }

    fn oci(_: &str) -> String {
        oci_with("")
    }

    fn findings(json: &str) -> Vec<(Severity, String, String)> {
        check_profile(json)
            .into_iter()
            .map(|diagnostic| {
                (
                    diagnostic.severity,
                    diagnostic.location.pointer.unwrap_or_default(),
                    diagnostic.message,
                )
            })
            .collect()
    }

    #[test]
    fn a_plain_profile_checks_clean() {
        assert_eq!(findings(&oci("")), []);
    }

    #[test]
    fn an_oci5_field_in_a_4_0_profile_is_an_error_at_its_pointer() {
        let json = oci_with(r#", "NEW_ITEM-ITEM_TYPE": {"literal": "R"}"#);
        let found = findings(&json);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Severity::Error);
        assert_eq!(found[0].1, "/mapping/fields/NEW_ITEM-ITEM_TYPE");
        assert!(found[0].2.contains(r#"set `"oci": {"version": "5.0"}`"#));
        let five = json.trim_end().strip_suffix('}').unwrap().to_owned()
            + r#", "oci": {"version": "5.0"}}"#;
        assert_eq!(findings(&five), []);
    }

    #[test]
    fn attributes_without_a_fallback_are_warned_where_they_change_a_value() {
        let json = oci_with(
            r#",
                "NEW_ITEM-MATGROUP": {"template": "{sku}-{attributes.color}", "overflow": "refuse"},
                "NEW_ITEM-EXT_CATEGORY_ID": {"first": [{"template": "{sku}-{attributes.color}"}, "sku"], "overflow": "refuse"},
                "NEW_ITEM-CUST_FIELD1": {"template": "{attributes.color}", "overflow": "truncate"},
                "NEW_ITEM-DESCRIPTION": "attributes.title",
                "NEW_ITEM-QUANTITY": {"first": ["attributes.qty", "quantity"]}"#,
        );
        let found = findings(&json);
        assert_eq!(
            found
                .iter()
                .map(|(severity, pointer, _)| (*severity, pointer.as_str()))
                .collect::<Vec<_>>(),
            [
                (Severity::Warning, "/mapping/fields/NEW_ITEM-DESCRIPTION"),
                (
                    Severity::Warning,
                    "/mapping/fields/NEW_ITEM-MATGROUP/template"
                ),
            ],
            "{found:?}"
        );
        assert!(found[0].2.starts_with(
            "this required field reads only `attributes.title`: a line without it is refused; add a fallback with `first`"
        ));
        assert!(found[1].2.starts_with(
            "template reads `attributes.color` with no fallback: a line without it gives no value for this field at all"
        ));
    }

    #[test]
    fn return_url_entries_that_never_match_or_mislead_are_reported() {
        let json = oci("").replace(
            r#"["https://srm.example/sap/"]"#,
            r#"["https://*.srm.example/", "http://srm.example/sap/", "https://srm.example/sap/?client=100", "https://srm.example/sap/"]"#,
        );
        let found = findings(&json);
        assert_eq!(
            found
                .iter()
                .map(|(severity, pointer, _)| (*severity, pointer.as_str()))
                .collect::<Vec<_>>(),
            [
                (Severity::Error, "/return_urls/0"),
                (Severity::Warning, "/return_urls/1"),
                (Severity::Warning, "/return_urls/2"),
            ],
            "{found:?}"
        );
        assert!(found[0].2.contains("no wildcards"));
        assert!(found[1].2.contains("uses `http`"));
        assert!(found[2].2.contains("has a query or fragment"));
    }

    #[test]
    fn units_default_is_checked_as_a_shop_unit() {
        let piece = oci("").replace(
            r#""units": {"default": "PCE"}"#,
            r#""units": {"default": "piece", "map": {"piece": "C62"}}"#,
        );
        assert_eq!(findings(&piece), []);
        let unknown = oci("").replace(r#""default": "PCE""#, r#""default": "Stk""#);
        let found = findings(&unknown);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "/mapping/units/default");
    }

    #[test]
    fn credentials_may_carry_their_own_secrets_and_one_without_any_is_an_error() {
        let own = oci("").replace(
            r#""credentials": [{"domain": "oci", "identity": "U"}],
                                    "shared_secret": {"secret": "PW"}"#,
            r#""credentials": [{"domain": "oci", "identity": "U", "secret": {"secret": "U_PW"}},
                                                   {"domain": "oci", "identity": "V", "secret": {"secret": "V_PW"}}]"#,
        );
        assert_eq!(findings(&own), []);
        let missing = own.replace(r#", "secret": {"secret": "V_PW"}"#, "");
        let found = findings(&missing);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Severity::Error);
        assert_eq!(found[0].1, "/authentication/credentials/1");
    }

    #[test]
    fn every_bad_value_of_the_orders_section_is_an_error_at_its_pointer() {
        let json = oci("").trim_end().strip_suffix('}').unwrap().to_owned()
            + r#", "orders": {"price_tolerance": {"amount": "x", "percent": "101"},
                             "total_tolerance": "-0.01", "unknown_item": "accept"}}"#;
        let found = findings(&json);
        assert_eq!(
            found
                .iter()
                .map(|(severity, pointer, _)| (*severity, pointer.as_str()))
                .collect::<Vec<_>>(),
            [
                (Severity::Error, "/orders/price_tolerance/amount"),
                (Severity::Error, "/orders/price_tolerance/percent"),
                (Severity::Error, "/orders/total_tolerance"),
                (Severity::Warning, "/orders/unknown_item"),
            ],
            "{found:?}"
        );
        assert_eq!(found[1].2, "expected a per cent from 0 to 100, found `101`");
        let clean = oci("").trim_end().strip_suffix('}').unwrap().to_owned()
            + r#", "orders": {"price_tolerance": {"amount": "0.05", "percent": "2"}}}"#;
        assert_eq!(findings(&clean), []);
    }
}
