//! `punchout`: the PunchOut engine on the command line, run through the WebAssembly component
//! (or natively with `--native`, to compare).
//!
//! Exit codes: 0 success; 1 the engine refused the input (the typed error as JSON on stdout, one
//! readable line on stderr); 2 usage error; 3 the engine or the host failed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use punchout_host::{CallError, EngineCalls, Native, OciCalls, Runtime, RuntimeConfig};

mod cli_oci;
mod config;
mod demo;
mod demo_oci;

#[derive(Parser)]
#[command(
    name = "punchout",
    version,
    about = "The PunchOut engine: buyer setup, cart return and documents for B2B shops"
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
    /// Answer a cXML PunchOutSetupRequest: prints {"session", "response"} as JSON
    Setup {
        /// The buyer profile (JSON)
        #[arg(long, value_name = "FILE")]
        profile: PathBuf,
        /// The PunchOutSetupRequest document
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        /// Secrets the profile refers to, as a JSON object {"NAME": "value"}; without it, each
        /// reference is read from the environment variable of the same name
        #[arg(long, value_name = "FILE")]
        secrets: Option<PathBuf>,
        /// The start URL to answer with
        #[arg(
            long,
            value_name = "URL",
            default_value = "https://shop.example.com/punchout/start"
        )]
        start_url: String,
    },
    /// Return a cart: prints {"message", "form_html"} as JSON, or one of them with --print
    Cart {
        /// The buyer profile (JSON)
        #[arg(long, value_name = "FILE")]
        profile: PathBuf,
        /// The session stored after setup (JSON)
        #[arg(long, value_name = "FILE")]
        session: PathBuf,
        /// The shop's cart (JSON)
        #[arg(long, value_name = "FILE")]
        cart: PathBuf,
        /// Secrets the profile refers to (see `setup --help`)
        #[arg(long, value_name = "FILE")]
        secrets: Option<PathBuf>,
        /// Print only the PunchOutOrderMessage or only the HTML form
        #[arg(long, value_enum)]
        print: Option<Print>,
    },
    /// Check, preview and describe buyer profiles
    #[command(subcommand)]
    Config(ConfigCommand),
    /// SAP OCI 4.0/5.0 (profiles with "protocol": "oci"): call-up, cart form, VALIDATE and
    /// BACKGROUND_SEARCH pages, QUANTITYCHECK reply, a posted form read back
    Oci {
        #[command(subcommand)]
        command: cli_oci::OciCommand,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
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
    /// Print the JSON Schema of buyer profiles (for editors: `"$schema"` in a profile)
    Schema,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Print {
    Message,
    Form,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("punchout: {error:#}");
            ExitCode::from(3)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if cli.engine.native {
        return run_with(Native, cli.command);
    }
    let path = component_path(cli.engine.component.as_deref());
    let runtime = Runtime::from_file(&path, RuntimeConfig::default()).with_context(|| {
        format!(
            "cannot load the engine component `{}` (build it with `cargo xtask build`)",
            path.display()
        )
    })?;
    run_with(runtime.worker(), cli.command)
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
    E: EngineCalls + OciCalls<OciProfile = <E as EngineCalls>::Profile>,
{
    match command {
        Command::Demo { out } => {
            let code = demo::run(&mut engine, out.as_deref())?;
            demo_oci::run(&mut engine, out.as_deref())?;
            Ok(code)
        }
        Command::Config(command) => config::run(&mut engine, command),
        Command::Setup {
            profile,
            request,
            secrets,
            start_url,
        } => {
            let secrets = load_secrets(&profile, secrets.as_deref())?;
            let request = read(&request)?;
            let profile_json = load_profile(&mut engine, &profile)?;
            let outcome =
                engine
                    .compile_profile(&profile_json, &secrets)
                    .and_then(|mut compiled| {
                        let envelope = punchout_host::new_envelope("shop.example.com");
                        engine.cxml_setup(&mut compiled, &request, &start_url, &envelope)
                    });
            print_outcome(outcome, |accepted| {
                Ok(serde_json::to_string_pretty(&accepted)?)
            })
        }
        Command::Cart {
            profile,
            session,
            cart,
            secrets,
            print,
        } => {
            let secrets = load_secrets(&profile, secrets.as_deref())?;
            let session = serde_json::from_str(&read_text(&session)?)
                .with_context(|| format!("`{}` is not a session", session.display()))?;
            let cart = serde_json::from_str(&read_text(&cart)?)
                .with_context(|| format!("`{}` is not a cart", cart.display()))?;
            let profile_json = load_profile(&mut engine, &profile)?;
            let outcome =
                engine
                    .compile_profile(&profile_json, &secrets)
                    .and_then(|mut compiled| {
                        let envelope = punchout_host::new_envelope("shop.example.com");
                        engine.cxml_cart_return(&mut compiled, &session, &cart, &envelope)
                    });
            print_outcome(outcome, |cart_return| {
                Ok(match print {
                    None => serde_json::to_string_pretty(&cart_return)?,
                    Some(Print::Message) => cart_return.message,
                    Some(Print::Form) => cart_return.form_html,
                })
            })
        }
        Command::Oci { command } => cli_oci::run(&mut engine, command),
    }
}

/// Prints a result on stdout (exit 0), or a refusal as JSON on stdout and one line on stderr
/// (exit 1).
fn print_outcome<T>(
    outcome: Result<T, CallError>,
    render: impl FnOnce(T) -> anyhow::Result<String>,
) -> anyhow::Result<ExitCode> {
    match outcome {
        Ok(value) => {
            println!("{}", render(value)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(CallError::Rejected(error)) => {
            println!("{}", serde_json::to_string_pretty(&error)?);
            eprintln!("punchout: refused ({}): {error}", error.code().as_str());
            Ok(ExitCode::from(1))
        }
        Err(other) => Err(anyhow::anyhow!(other)),
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Reads a profile and, when it `extends` a base, applies it onto its bases. A base is found in
/// the profile's directory as `ID.json`, or as any `.json` file there whose `id` is `ID`.
pub fn load_profile<E: EngineCalls>(engine: &mut E, path: &Path) -> anyhow::Result<String> {
    let json = read_text(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut bases = Vec::new();
    let mut wanted = extends_of(&json);
    while let Some(id) = wanted {
        if bases.len() > 8 {
            anyhow::bail!(
                "`{}`: profiles extend each other more than 8 levels deep",
                path.display()
            );
        }
        let base = find_profile_by_id(dir, &id).with_context(|| {
            format!(
                "`{}` extends `{id}`, which is not in `{}`",
                path.display(),
                dir.display()
            )
        })?;
        wanted = extends_of(&base);
        bases.push(base);
    }
    if bases.is_empty() {
        return Ok(json);
    }
    engine
        .resolve_extends(&json, &bases)
        .map_err(|error| anyhow::anyhow!("`{}`: {error}", path.display()))
}

fn extends_of(json: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()?
        .get("extends")?
        .as_str()
        .map(str::to_owned)
}

fn find_profile_by_id(dir: &Path, id: &str) -> Option<String> {
    let has_id = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .and_then(|value| {
                value
                    .get("id")
                    .and_then(|found| found.as_str().map(|found| found == id))
            })
            .unwrap_or(false)
    };
    if let Ok(json) = std::fs::read_to_string(dir.join(format!("{id}.json"))) {
        if has_id(&json) {
            return Some(json);
        }
    }
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "json"))
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .find(|json| has_id(json))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Resolves the profile's secret references: from a JSON file, or from environment variables
/// named like the references.
fn load_secrets(profile: &Path, file: Option<&Path>) -> anyhow::Result<Vec<(String, String)>> {
    if let Some(file) = file {
        let map: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&read_text(file)?)
                .with_context(|| format!("`{}` is not a JSON object of secrets", file.display()))?;
        return Ok(map.into_iter().collect());
    }
    let profile: serde_json::Value = serde_json::from_str(&read_text(profile)?).unwrap_or_default();
    let reference = profile
        .pointer("/authentication/shared_secret/secret")
        .and_then(serde_json::Value::as_str);
    Ok(reference
        .and_then(|name| {
            std::env::var(name)
                .ok()
                .map(|value| (name.to_owned(), value))
        })
        .into_iter()
        .collect())
}
