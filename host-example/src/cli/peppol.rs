//! `punchout peppol …`: Peppol BIS Punch Out on the command line. Each transaction is a
//! subcommand of `peppol` (`cart` here; the order leg's commands join beside it).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use punchout_host::{EngineCalls, PeppolCalls};
use punchout_plugin::ErrorCode;

use super::{compile, load_profile, load_secrets, print_outcome, read_json};

#[derive(Subcommand)]
pub enum PeppolCommand {
    /// Write the T77 cart (a UBL Catalogue) for a cart and its delivery: prints
    /// {"document", "url", "form_html"} as JSON (`form_html` is null for a `post` delivery), or
    /// with --out writes `peppol-t77-cart.xml` (and `peppol-t77-cart-form.html`) into a folder
    Cart(Cart),
    /// Check that a Peppol Order (T01) is for the profile's buyer and shop (their endpoint IDs)
    /// and print it as JSON: the purchase order under `order` (what `order reconcile` and `order
    /// redelivery` take) and what the Order Response needs
    Order(super::orders::PeppolOrderArgs),
    /// Write the Order Response (T76) to a Peppol order from the shop's decision (JSON), or from
    /// the reconciliation's verdict when the decision has no `code`
    OrderResponse(super::orders::PeppolOrderResponseArgs),
}

#[derive(clap::Args)]
pub struct Cart {
    /// The Peppol buyer profile (JSON, "protocol": "peppol")
    #[arg(long, value_name = "FILE")]
    pub profile: PathBuf,
    /// The shop's cart (JSON)
    #[arg(long, value_name = "FILE")]
    pub cart: PathBuf,
    /// Where the cart goes, checked against the profile's `return_urls`; default: the first of
    /// them
    #[arg(long, value_name = "URL")]
    pub return_url: Option<String>,
    /// Secrets the profile refers to, if any (a Peppol profile needs none)
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,
    /// Write the documents into this folder instead of printing them
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs a `peppol` subcommand.
pub fn run<E: EngineCalls>(engine: &mut E, command: PeppolCommand) -> anyhow::Result<ExitCode> {
    match command {
        PeppolCommand::Cart(args) => cart(engine, args),
        PeppolCommand::Order(args) => super::orders::peppol_order(engine, args),
        PeppolCommand::OrderResponse(args) => super::orders::peppol_order_response(engine, args),
    }
}

/// `punchout peppol cart`.
fn cart<E: PeppolCalls>(engine: &mut E, args: Cart) -> anyhow::Result<ExitCode> {
    let Cart {
        profile,
        cart,
        return_url,
        secrets,
        out,
    } = args;
    let profile = load_profile(&profile)?;
    let secrets = load_secrets(&profile, secrets.as_deref())?;
    let cart = read_json(&cart, ErrorCode::InvalidCart)?;
    let return_url = match return_url {
        Some(url) => url,
        None => first_return_url(profile.json()).unwrap_or_default(),
    };
    let mut compiled = compile(engine, &profile, &secrets)?;
    let envelope = punchout_host::new_envelope("shop.example.com");
    let outcome = engine.peppol_cart(&mut compiled, &cart, &envelope, &return_url);
    print_outcome(outcome, |delivery| match &out {
        None => Ok(serde_json::to_string_pretty(&serde_json::json!({
            "document": delivery.document,
            "url": delivery.url,
            "form_html": delivery.form_html,
        }))?),
        Some(dir) => {
            let mut written = vec![write(dir, "peppol-t77-cart.xml", &delivery.document)?];
            if let Some(form) = &delivery.form_html {
                written.push(write(dir, "peppol-t77-cart-form.html", form)?);
            }
            Ok(serde_json::to_string_pretty(&serde_json::json!({
                "url": delivery.url,
                "written": written,
            }))?)
        }
    })
}

/// The profile's first allowed return URL.
fn first_return_url(profile_json: &str) -> Option<String> {
    let profile: serde_json::Value = serde_json::from_str(profile_json).ok()?;
    profile
        .get("return_urls")?
        .get(0)?
        .as_str()
        .map(str::to_owned)
}

fn write(dir: &Path, name: &str, text: &str) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(path.display().to_string())
}
