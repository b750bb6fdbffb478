//! `punchout config`: check, preview, lint and describe buyer profiles.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use punchout_host::profile_file::ProfileFile;
use punchout_host::{CallError, ConfigCalls};
use punchout_plugin::mapping::check::Severity;
use punchout_plugin::mapping::{MappedLine, MappedValue};
use punchout_plugin::model::{Cart, CartLine};
use punchout_plugin::ErrorCode;
use serde_json::json;

use super::{compile, load_profile, read_json, Refused};

#[derive(clap::Subcommand)]
pub enum ConfigCommand {
    /// Check a buyer profile: every error and warning with its JSON pointer; exit 1 on errors
    Check {
        /// The buyer profile (JSON)
        file: PathBuf,
    },
    /// Map one cart line with a profile: every target field, its value, the rule that produced
    /// it and what the engine did to fit it
    Preview {
        /// The buyer profile (JSON)
        file: PathBuf,
        /// One cart line (JSON, as in a cart's `lines`)
        #[arg(long, value_name = "LINE.json")]
        line: PathBuf,
        /// The cart's currency
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Report every value of a sample cart that comes out empty, cut or transliterated
    ///
    /// Maps every line of the cart with the profile (as `preview`) and reports, per line and
    /// field, each value that comes out empty, cut, carried in the long text or transliterated,
    /// each attribute a rule names that the line does not have, and each line the engine
    /// refuses. Exit 1 when a finding is an error (a line the engine refuses), 0 for warnings
    /// only.
    Lint {
        /// The buyer profile (JSON)
        file: PathBuf,
        /// A sample cart (JSON, as `cart` takes it)
        #[arg(long, value_name = "CART.json")]
        cart: PathBuf,
        /// Print JSON instead of one line per finding
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of buyer profiles (for editors: `"$schema"` in a profile)
    Schema,
}

pub fn run<E: ConfigCalls>(engine: &mut E, command: ConfigCommand) -> anyhow::Result<ExitCode> {
    match command {
        ConfigCommand::Check { file } => {
            let profile = load_profile(&file)?;
            let found = engine
                .check_profile(profile.json())
                .map_err(anyhow::Error::new)?;
            let errors = found
                .iter()
                .filter(|diagnostic| diagnostic.severity == Severity::Error)
                .count();
            for diagnostic in &found {
                let severity = match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                // Located in the file the value comes from: the profile or one of its bases.
                let (source, location) = profile.locate(&diagnostic.location);
                // The engine never quotes a secret written inline where a reference belongs.
                let message = diagnostic.message.clone();
                out!("{}: {severity}: {message} at {location}", source.display());
            }
            out!(
                "{}: {errors} error(s), {} warning(s)",
                file.display(),
                found.len() - errors
            );
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        ConfigCommand::Preview {
            file,
            line,
            currency,
            json,
        } => {
            let profile = load_profile(&file)?;
            let line: CartLine = read_json(&line, ErrorCode::InvalidCart)?;
            let mut compiled = compile_for_preview(engine, &profile)?;
            let mapped = match engine.preview_line(&mut compiled, &line, &currency) {
                Ok(mapped) => mapped,
                Err(CallError::Rejected(error)) => return Err(Refused::new(None, error).into()),
                Err(other) => return Err(anyhow::Error::new(other)),
            };
            if json {
                out!("{}", serde_json::to_string_pretty(&mapped)?);
                return Ok(ExitCode::SUCCESS);
            }
            let width = mapped
                .fields
                .iter()
                .chain(&mapped.extrinsics)
                .map(|field| field.field.len())
                .max()
                .unwrap_or(10);
            for field in mapped.fields.iter().chain(&mapped.extrinsics) {
                if field.value.is_empty() {
                    continue;
                }
                out!(
                    "{:width$}  {:<42} {}",
                    field.field,
                    format!("{:?}", field.value),
                    field.origin
                );
                for note in &field.notes {
                    out!("{:width$}  ↳ {note}", "");
                }
            }
            if let Some(longtext) = &mapped.longtext {
                out!("{:width$}  {longtext:?}", "long text");
            }
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::Lint { file, cart, json } => lint(engine, &file, &cart, json),
        ConfigCommand::Schema => {
            out!("{}", punchout_plugin::profile::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Compiles a profile for `preview` and `lint`, which need no real secret: each reference is
/// bound to an empty stand-in.
fn compile_for_preview<E: ConfigCalls>(
    engine: &mut E,
    profile: &ProfileFile,
) -> anyhow::Result<E::Profile> {
    let stand_ins: Vec<(String, String)> = profile
        .secret_references()
        .into_iter()
        .map(|(name, _)| (name, String::new()))
        .collect();
    compile(engine, profile, &stand_ins)
}

/// One finding of `config lint`.
#[derive(Debug, serde::Serialize)]
struct Finding {
    /// 1-based line of the cart.
    line: usize,
    line_ref: String,
    /// The target field (empty for a line the engine refused).
    field: String,
    severity: &'static str,
    /// `empty`, `truncated`, `longtext`, `transliterated`, `missing-attribute`, `rounded`,
    /// `price-unit`, `refused` or `note` (another note of the engine).
    kind: &'static str,
    message: String,
    /// The value the buyer receives.
    value: String,
}

/// What a `preview` note says, by its stable prefix: kind and severity.
fn classify(note: &str) -> (&'static str, &'static str) {
    let note = note.to_ascii_lowercase();
    // A missing attribute is a warning: a sample cart may lack an optional attribute; the note
    // names the closest attribute the line has, for the typo that matters.
    if note.starts_with("missing attribute") {
        ("missing-attribute", "warning")
    } else if note.starts_with("rounded") {
        ("rounded", "warning")
    } else if note.starts_with("price unit") {
        ("price-unit", "warning")
    } else if note.starts_with("truncated") {
        ("truncated", "warning")
    } else if note.starts_with("transliterated") {
        ("transliterated", "warning")
    } else if note.starts_with("empty") {
        ("empty", "warning")
    } else if note.starts_with("longtext") || note.contains("long text") {
        ("longtext", "warning")
    } else {
        ("note", "warning")
    }
}

/// Every finding of one mapped line.
fn line_findings(number: usize, line: &CartLine, mapped: &MappedLine) -> Vec<Finding> {
    let mut findings = Vec::new();
    let finding = |field: &MappedValue, kind, severity, message: String| Finding {
        line: number,
        line_ref: line.line_ref.clone(),
        field: field.field.to_string(),
        severity,
        kind,
        message,
        value: field.value.clone(),
    };
    for field in mapped.fields.iter().chain(&mapped.extrinsics) {
        let has_rule = !field.origin.is_empty() && field.origin != "default: source `none`";
        let noted_empty = field
            .notes
            .iter()
            .any(|note| note.to_ascii_lowercase().starts_with("empty"));
        if field.value.is_empty() && has_rule && !noted_empty {
            findings.push(finding(
                field,
                "empty",
                "warning",
                format!("empty: {} gives no value", field.origin),
            ));
        }
        for note in &field.notes {
            let (kind, severity) = classify(note);
            findings.push(finding(field, kind, severity, note.clone()));
        }
    }
    findings
}

/// `config lint`: every line of a sample cart through `preview`.
fn lint<E: ConfigCalls>(
    engine: &mut E,
    file: &Path,
    cart_path: &Path,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let profile = load_profile(file)?;
    let cart: Cart = read_json(cart_path, ErrorCode::InvalidCart)?;
    let mut compiled = compile_for_preview(engine, &profile)?;
    let mut findings = Vec::new();
    for (index, line) in cart.lines.iter().enumerate() {
        let number = index + 1;
        match engine.preview_line(&mut compiled, line, &cart.currency) {
            Ok(mapped) => findings.extend(line_findings(number, line, &mapped)),
            Err(CallError::Rejected(error)) => findings.push(Finding {
                line: number,
                line_ref: line.line_ref.clone(),
                field: String::new(),
                severity: "error",
                kind: "refused",
                message: format!("{}: {}", error.code().as_str(), error.message()),
                value: String::new(),
            }),
            Err(other) => return Err(anyhow::Error::new(other)),
        }
    }
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == "error")
        .count();
    let warnings = findings.len() - errors;
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "profile": file.display().to_string(),
                "cart": cart_path.display().to_string(),
                "lines": cart.lines.len(),
                "errors": errors,
                "warnings": warnings,
                "findings": findings,
            }))?
        );
    } else {
        for finding in &findings {
            let field = if finding.field.is_empty() {
                String::new()
            } else {
                format!(" {}", finding.field)
            };
            out!(
                "{}: line {} (`{}`){field}: {}: {} — value {:?}",
                cart_path.display(),
                finding.line,
                finding.line_ref,
                finding.severity,
                finding.message,
                finding.value
            );
        }
        out!(
            "{}: {} line(s), {errors} error(s), {warnings} warning(s)",
            cart_path.display(),
            cart.lines.len()
        );
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_classified_by_their_stable_prefix() {
        assert_eq!(
            classify("missing attribute: `color` is not on this line, did you mean `colour`?"),
            ("missing-attribute", "warning")
        );
        assert_eq!(
            classify("truncated to 40 characters"),
            ("truncated", "warning")
        );
        assert_eq!(
            classify("transliterated: `ł` → `l`"),
            ("transliterated", "warning")
        );
        assert_eq!(
            classify("full text carried in the long text"),
            ("longtext", "warning")
        );
        assert_eq!(classify("something new"), ("note", "warning"));
    }
}
