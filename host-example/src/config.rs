//! `punchout config`: check, preview and describe buyer profiles.

use std::process::ExitCode;

use anyhow::Context as _;
use punchout_host::{CallError, EngineCalls};
use punchout_plugin::mapping::check::Severity;
use punchout_plugin::model::CartLine;

use crate::ConfigCommand;

pub fn run<E: EngineCalls>(engine: &mut E, command: ConfigCommand) -> anyhow::Result<ExitCode> {
    match command {
        ConfigCommand::Check { file } => {
            let json = crate::load_profile(engine, &file)?;
            let found = engine.check_profile(&json).map_err(anyhow::Error::new)?;
            let errors = found
                .iter()
                .filter(|diagnostic| diagnostic.severity == Severity::Error)
                .count();
            for diagnostic in &found {
                let severity = match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                println!(
                    "{}: {severity}: {} at {}",
                    file.display(),
                    diagnostic.message,
                    diagnostic.location
                );
            }
            println!(
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
            let profile_json = crate::load_profile(engine, &file)?;
            let line: CartLine = serde_json::from_str(&read(&line)?)
                .with_context(|| format!("`{}` is not a cart line", line.display()))?;
            // Preview needs no real secret: the reference is bound to an empty stand-in.
            let reference = serde_json::from_str::<serde_json::Value>(&profile_json)
                .ok()
                .and_then(|value| {
                    value
                        .pointer("/authentication/shared_secret/secret")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            let outcome = engine
                .compile_profile(&profile_json, &[(reference, String::new())])
                .and_then(|mut profile| engine.preview_line(&mut profile, &line, &currency));
            match outcome {
                Ok(mapped) if json => {
                    println!("{}", serde_json::to_string_pretty(&mapped)?);
                    Ok(ExitCode::SUCCESS)
                }
                Ok(mapped) => {
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
                        println!(
                            "{:width$}  {:<42} {}",
                            field.field,
                            format!("{:?}", field.value),
                            field.origin
                        );
                        for note in &field.notes {
                            println!("{:width$}  ↳ {note}", "");
                        }
                    }
                    if let Some(longtext) = &mapped.longtext {
                        println!("{:width$}  {longtext:?}", "long text");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(CallError::Rejected(error)) => {
                    println!("{}", serde_json::to_string_pretty(&error)?);
                    eprintln!("punchout: refused ({}): {error}", error.code().as_str());
                    Ok(ExitCode::from(1))
                }
                Err(other) => Err(anyhow::Error::new(other)),
            }
        }
        ConfigCommand::Schema => {
            println!("{}", punchout_plugin::profile::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read(path: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}
