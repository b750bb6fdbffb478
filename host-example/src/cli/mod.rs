//! The `punchout` command line: one module per WIT interface (`config`, `cxml`, `oci`,
//! `orders`, `peppol`), the engine chosen here (the component, or the core natively with `--native`), and
//! what every command shares: reading profiles, secrets, sessions and JSON inputs, and the refusal (exit 1).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use punchout_host::prelude::*;
use punchout_host::profile_file::{ProfileFile, ProfileFileError};
use punchout_host::{CallError, Native, Runtime, RuntimeConfig};
use punchout_plugin::{Error, ErrorCode};

mod config;
mod cxml;
mod oci;
mod orders;
mod peppol;
#[cfg(feature = "serve")]
mod serve;

#[derive(Parser)]
#[command(
    name = "punchout",
    version,
    about = "The PunchOut engine: buyer setup, cart return and documents for B2B shops",
    after_help = "Exit codes: 0 success; 1 the input was refused (the typed error as JSON on stdout, \
one line on stderr); 2 usage error; 3 the engine or host failed.\n\
The compiled component is cached in $PUNCHOUT_CACHE_DIR, else $XDG_CACHE_HOME/punchout, else \
~/.cache/punchout."
)]
struct Cli {
    #[command(flatten)]
    engine: EngineOptions,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct EngineOptions {
    /// The engine component (.wasm); default: $PUNCHOUT_COMPONENT or the workspace's release build
    #[arg(long, global = true, value_name = "FILE")]
    component: Option<PathBuf>,
    /// Run the core natively instead of the component (to compare)
    #[arg(long, global = true)]
    native: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the full round trip on bundled sample data: setup request, setup response, cart,
    /// PunchOutOrderMessage form, and the message read back and compared line by line
    Demo {
        /// Also write every document of the round trip into this directory
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    // The cXML commands, documented in `cxml`.
    Setup(cxml::Setup),
    Cart(cxml::Cart),
    /// Check, preview and describe buyer profiles
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// SAP OCI 4.0/5.0 (profiles with "protocol": "oci"): call-up, cart form, VALIDATE and
    /// BACKGROUND_SEARCH pages, QUANTITYCHECK reply, a posted form read back
    Oci {
        #[command(subcommand)]
        command: oci::OciCommand,
    },
    /// cXML purchase orders: read and authenticate an OrderRequest, answer it, reconcile it
    /// against the returned cart, check it against the orders already received
    Order {
        #[command(subcommand)]
        command: orders::OrderCommand,
    },
    /// Peppol BIS Punch Out (profiles with "protocol": "peppol"): the T77 cart and its
    /// delivery
    Peppol {
        #[command(subcommand)]
        command: peppol::PeppolCommand,
    },
    /// Write a cXML ConfirmationRequest for an order from the shop's confirmation (JSON)
    Confirm(orders::Fulfilment),
    /// Write a cXML ShipNoticeRequest for an order from the shop's shipment (JSON)
    ShipNotice(orders::Fulfilment),
    /// Write a cXML InvoiceDetailRequest for an order from the shop's invoice (JSON); totals
    /// are computed, never taken from the data
    Invoice(orders::Fulfilment),
    #[cfg(feature = "serve")]
    Serve(serve::Serve),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            if let Some(refused) = error.downcast_ref::<Refused>() {
                return refused.report();
            }
            let closed_pipe = error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if closed_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("punchout: {error:#}");
            ExitCode::from(3)
        }
    }
}

/// Input refused before or by the engine (exit 1): the typed error, and the file it is about.
#[derive(Debug)]
pub struct Refused {
    file: Option<PathBuf>,
    error: Error,
    /// More keys for the JSON on stdout (the cXML `Response` of a refused setup).
    extra: Option<(&'static str, String)>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "`{}`: ", file.display())?;
        }
        write!(
            f,
            "refused ({}): {}",
            self.error.code().as_str(),
            self.error
        )
    }
}

impl std::error::Error for Refused {}

impl Refused {
    pub fn new(file: Option<&Path>, error: Error) -> Self {
        Refused {
            file: file.map(Path::to_path_buf),
            error,
            extra: None,
        }
    }

    /// The typed error as JSON on stdout (with `file` when known), one line on stderr, exit 1.
    fn report(&self) -> ExitCode {
        use std::io::Write as _;
        let mut error = serde_json::to_value(&self.error).unwrap_or_default();
        if let (Some(object), Some(file)) = (error.as_object_mut(), &self.file) {
            object.insert("file".into(), file.display().to_string().into());
        }
        let shown = match &self.extra {
            Some((key, value)) => serde_json::json!({"error": error, *key: value}),
            None => error,
        };
        let text = serde_json::to_string_pretty(&shown).unwrap_or_default();
        let _ = writeln!(std::io::stdout().lock(), "{text}");
        eprintln!("punchout: {self}");
        ExitCode::from(1)
    }
}

impl From<ProfileFileError> for Refused {
    fn from(refused: ProfileFileError) -> Self {
        Refused::new(Some(&refused.file), *refused.error)
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    #[cfg(feature = "serve")]
    if let Command::Serve(args) = cli.command {
        return serve::run(&cli.engine, args);
    }
    if cli.engine.native {
        return run_with(Native, cli.command);
    }
    let runtime = load_component(&cli.engine)?;
    run_with(runtime.worker(), cli.command)
}

/// The component the options name, through the cache of compiled components.
fn load_component(engine: &EngineOptions) -> anyhow::Result<Runtime> {
    let path = component_path(engine.component.as_deref());
    let config = RuntimeConfig::default();
    let loaded = match punchout_host::precompiled::default_cache_dir() {
        Some(cache) => Runtime::from_file_cached(&path, &cache, config),
        None => Runtime::from_file(&path, config),
    };
    loaded.with_context(|| {
        format!(
            "cannot load the engine component `{}` (build it with `cargo xtask build`)",
            path.display()
        )
    })
}

/// The component to run: the flag, then `$PUNCHOUT_COMPONENT`, then the workspace's build.
pub fn component_path(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os("PUNCHOUT_COMPONENT").map(PathBuf::from))
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/wasm32-wasip2/release/punchout_plugin.wasm")
        })
}

fn run_with<E>(mut engine: E, command: Command) -> anyhow::Result<ExitCode>
where
    E: EngineCalls,
{
    match command {
        Command::Demo { out } => crate::demo::run(&mut engine, out.as_deref()),
        Command::Config(command) => config::run(&mut engine, command),
        Command::Setup(args) => cxml::setup(&mut engine, args),
        Command::Cart(args) => cxml::cart(&mut engine, args),
        Command::Oci { command } => oci::run(&mut engine, command),
        Command::Order { command } => orders::run(&mut engine, command),
        Command::Peppol { command } => peppol::run(&mut engine, command),
        Command::Confirm(args) => orders::confirm(&mut engine, args),
        Command::ShipNotice(args) => orders::ship_notice(&mut engine, args),
        Command::Invoice(args) => orders::invoice(&mut engine, args),
        #[cfg(feature = "serve")]
        Command::Serve(_) => anyhow::bail!("`serve` runs before an engine is chosen"),
    }
}

/// A refused cXML request (a setup request, an order): the typed error and the cXML `Response`
/// the buyer's system gets (exit 1), so that it is answered, not met with silence.
fn refused_with_response<E: CxmlCalls>(
    engine: &mut E,
    error: CallError,
    envelope: &punchout_plugin::model::Envelope,
) -> anyhow::Error {
    match error {
        CallError::Rejected(error) => match engine.cxml_error_response(&error, envelope) {
            Ok(response) => Refused {
                extra: Some(("response", response)),
                ..Refused::new(None, error)
            }
            .into(),
            Err(failed) => anyhow::Error::new(failed),
        },
        other => anyhow::Error::new(other),
    }
}

/// Prints a result on stdout (exit 0), or returns the refusal (exit 1).
fn print_outcome<T>(
    outcome: Result<T, CallError>,
    render: impl FnOnce(T) -> anyhow::Result<String>,
) -> anyhow::Result<ExitCode> {
    match outcome {
        Ok(value) => {
            out!("{}", render(value)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(CallError::Rejected(error)) => Err(Refused::new(None, error).into()),
        Err(other) => Err(anyhow::anyhow!(other)),
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Reads a profile file, its `extends` resolved from its folder; a refusal exits 1.
pub fn load_profile(path: &Path) -> anyhow::Result<ProfileFile> {
    ProfileFile::read(path).map_err(|refused| Refused::from(refused).into())
}

/// Compiles a profile; a refusal is located in the file the value comes from.
pub fn compile<E: ConfigCalls>(
    engine: &mut E,
    profile: &ProfileFile,
    secrets: &[(String, String)],
) -> anyhow::Result<E::Profile> {
    match engine.compile_profile(profile.json(), secrets) {
        Ok(compiled) => Ok(compiled),
        Err(CallError::Rejected(error)) => Err(Refused::from(profile.locate_error(error)).into()),
        Err(other) => Err(anyhow::Error::new(other)),
    }
}

/// Reads a JSON input of the shop (a cart, a cart line); a mistake in it is refused with `code`,
/// located by line, column and JSON pointer (exit 1).
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    code: ErrorCode,
) -> anyhow::Result<T> {
    let text = read_text(path)?;
    parse_json(path, &text, code)
}

fn parse_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    code: ErrorCode,
) -> anyhow::Result<T> {
    let refuse = |error: &serde_json::Error, pointer: Option<String>| -> anyhow::Error {
        let message = error.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |at| &message[..at])
            .to_owned();
        let location = punchout_plugin::error::Location {
            line: u32::try_from(error.line()).ok().filter(|line| *line > 0),
            column: u32::try_from(error.column())
                .ok()
                .filter(|column| *column > 0),
            pointer,
            ..Default::default()
        };
        Refused::new(Some(path), Error::new(code, message).at(location)).into()
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let pointer = punchout_plugin::profile::json_pointer(error.path());
        refuse(error.inner(), Some(pointer))
    })?;
    deserializer.end().map_err(|error| refuse(&error, None))?;
    Ok(value)
}

/// Reads a session: the session alone, or the output of `setup` / `oci call-up`, which carries it
/// under `session`.
pub fn read_session<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = read_text(path)?;
    let value: serde_json::Value = parse_json(path, &text, ErrorCode::InvalidSession)?;
    let session = match value {
        serde_json::Value::Object(mut object)
            if object.get("session").is_some_and(|inner| inner.is_object()) =>
        {
            object.remove("session").unwrap_or_default()
        }
        other => other,
    };
    let inner = serde_json::to_string(&session)?;
    parse_json(path, &inner, ErrorCode::InvalidSession).map_err(|error| {
        match error.downcast::<Refused>() {
            // Lines and columns of the re-serialized session mean nothing in the file.
            Ok(mut refused) => {
                let location = refused.error.location().clone();
                refused.error = Error::from_parts(
                    refused.error.code(),
                    refused.error.message().to_owned(),
                    punchout_plugin::error::Location {
                        line: None,
                        column: None,
                        ..location
                    },
                );
                refused.into()
            }
            Err(other) => other,
        }
    })
}

/// Resolves the profile's secret references: from a JSON file, or from environment variables
/// named like the references. A reference found in neither is refused with what to do.
pub fn load_secrets(
    profile: &ProfileFile,
    file: Option<&Path>,
) -> anyhow::Result<Vec<(String, String)>> {
    let references = profile.secret_references();
    let secrets: Vec<(String, String)> = match file {
        Some(file) => {
            let map: std::collections::BTreeMap<String, String> =
                read_json(file, ErrorCode::InvalidValue)?;
            map.into_iter().collect()
        }
        None => references
            .iter()
            .filter_map(|(name, _)| std::env::var(name).ok().map(|value| (name.clone(), value)))
            .collect(),
    };
    for (name, pointer) in &references {
        if secrets.iter().any(|(known, _)| known == name) {
            continue;
        }
        let shown = punchout_host::profile_file::shorten(name);
        let message = match file {
            Some(file) => format!(
                "secret `{shown}` is not in `{}`: add it there as {{\"{shown}\": \"…\"}}, or leave out `--secrets` and set the environment variable `{shown}`",
                file.display()
            ),
            None => format!(
                "secret `{shown}` is not set: pass `--secrets FILE` with {{\"{shown}\": \"…\"}} or set the environment variable `{shown}`"
            ),
        };
        let (located_file, location) = profile.locate(
            &punchout_plugin::error::Location::at_pointer(pointer.clone()),
        );
        return Err(Refused::new(
            Some(&located_file),
            Error::new(ErrorCode::InvalidProfile, message).at(location),
        )
        .into());
    }
    Ok(secrets)
}
