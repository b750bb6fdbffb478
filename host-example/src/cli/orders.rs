//! `punchout order read|respond|reconcile|redelivery`, `punchout confirm`, `punchout
//! ship-notice` and `punchout invoice`: the order leg on the command line; and the Peppol order
//! leg's commands, `punchout peppol order` ([`peppol_order`]) and `punchout peppol
//! order-response` ([`peppol_order_response`]), which the `peppol` subcommand dispatches.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use punchout_host::prelude::*;
use punchout_host::CallError;
use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::peppol::order::PeppolOrder;
use punchout_plugin::ErrorCode;

use super::{
    compile, load_profile, load_secrets, print_outcome, read, read_json, read_session,
    refused_with_response, Refused,
};

/// The buyer profile and its secrets, as every order command takes them.
#[derive(Args)]
pub struct ProfileArgs {
    /// The buyer profile (JSON)
    #[arg(long, value_name = "FILE")]
    pub profile: PathBuf,
    /// Secrets the profile refers to, as a JSON object {"NAME": "value"}; without it, each
    /// reference is read from the environment variable of the same name
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum OrderCommand {
    /// Read and authenticate a cXML OrderRequest: prints the order as JSON (what the shop stores
    /// and hands to `reconcile`, `confirm`, `ship-notice` and `invoice`), or {"error",
    /// "response"} with the cXML Response to send back (exit 1)
    Read {
        #[command(flatten)]
        profile: ProfileArgs,
        /// The OrderRequest document
        #[arg(long, value_name = "FILE")]
        document: PathBuf,
    },
    /// The cXML Response to an OrderRequest: status 200 when the order is accepted, else the
    /// refusal's status (400, 401, 403, 406; exit 1, the error on stderr)
    Respond {
        #[command(flatten)]
        profile: ProfileArgs,
        /// The OrderRequest document
        #[arg(long, value_name = "FILE")]
        document: PathBuf,
    },
    /// Reconcile an order against the cart returned for its session: per line unchanged,
    /// changed, dropped, added, split or repeated, header findings, and the profile's verdict
    Reconcile {
        #[command(flatten)]
        profile: ProfileArgs,
        /// The order: the OrderRequest document, or the order JSON `order read` printed
        #[arg(long, value_name = "FILE")]
        order: PathBuf,
        /// The cart the shop returned for the session (JSON, as handed to `cart`)
        #[arg(long, value_name = "FILE")]
        cart: PathBuf,
        /// The session stored after setup (for the ship-to given then)
        #[arg(long, value_name = "FILE")]
        session: Option<PathBuf>,
        /// Print a table for people instead of JSON
        #[arg(long)]
        table: bool,
    },
    /// Check an order against the shop's records of the orders it received: new, duplicate,
    /// conflict or update
    Redelivery {
        /// The order JSON `order read` printed
        #[arg(long, value_name = "FILE")]
        order: PathBuf,
        /// The shop's records: a JSON array of {"idempotency_key", "payload_id", "order_id",
        /// "content_hash"}
        #[arg(long, value_name = "FILE")]
        known: PathBuf,
    },
}

/// A fulfilment document for an order: the order, the shop's data, the profile.
#[derive(Args)]
pub struct Fulfilment {
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// The order: the OrderRequest document, or the order JSON `order read` printed
    #[arg(long, value_name = "FILE")]
    pub order: PathBuf,
    /// The shop's data for the document (JSON; see the samples in host-example/samples)
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
}

/// `punchout order …`.
pub fn run<E: EngineCalls>(engine: &mut E, command: OrderCommand) -> anyhow::Result<ExitCode> {
    match command {
        OrderCommand::Read { profile, document } => {
            let mut compiled = compile_args(engine, &profile)?;
            let document = read(&document)?;
            match engine.read_cxml_order(&mut compiled, &document) {
                Ok(order) => {
                    out!("{}", serde_json::to_string_pretty(&order)?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => Err(refused_with_response(
                    engine,
                    error,
                    &punchout_host::new_envelope("shop.example.com"),
                )),
            }
        }
        OrderCommand::Respond { profile, document } => {
            let mut compiled = compile_args(engine, &profile)?;
            let document = read(&document)?;
            let envelope = punchout_host::new_envelope("shop.example.com");
            match engine.read_cxml_order(&mut compiled, &document) {
                Ok(_) => {
                    out!("{}", engine.cxml_order_response(&envelope)?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(CallError::Rejected(error)) => {
                    out!("{}", engine.cxml_error_response(&error, &envelope)?);
                    eprintln!("punchout: refused ({}): {error}", error.code().as_str());
                    Ok(ExitCode::from(1))
                }
                Err(other) => Err(anyhow::Error::new(other)),
            }
        }
        OrderCommand::Reconcile {
            profile,
            order,
            cart,
            session,
            table,
        } => {
            let mut compiled = compile_args(engine, &profile)?;
            let order = load_order(engine, &mut compiled, &order)?;
            let cart = read_json(&cart, ErrorCode::InvalidCart)?;
            let session = session.as_deref().map(read_session).transpose()?;
            let outcome = engine.reconcile_order(&mut compiled, &order, &cart, session.as_ref());
            print_outcome(outcome, |reconciliation| {
                Ok(if table {
                    punchout_host::report::reconciliation(&reconciliation)
                } else {
                    serde_json::to_string_pretty(&reconciliation)?
                })
            })
        }
        OrderCommand::Redelivery { order, known } => {
            let order: PurchaseOrder = read_json(&order, ErrorCode::InvalidOrder)?;
            let known: Vec<punchout_plugin::order::redelivery::OrderRecord> =
                read_json(&known, ErrorCode::InvalidOrder)?;
            let outcome = engine.order_redelivery(&order, &known);
            print_outcome(outcome, |redelivery| {
                Ok(serde_json::to_string_pretty(&redelivery)?)
            })
        }
    }
}

/// `punchout confirm`.
pub fn confirm<E: EngineCalls>(engine: &mut E, args: Fulfilment) -> anyhow::Result<ExitCode> {
    let mut compiled = compile_args(engine, &args.profile)?;
    let order = load_order(engine, &mut compiled, &args.order)?;
    let data = read_json(&args.data, ErrorCode::InvalidOrder)?;
    let envelope = punchout_host::new_envelope("shop.example.com");
    let outcome = engine.cxml_confirmation(&mut compiled, &order, &data, &envelope);
    print_outcome(outcome, Ok)
}

/// `punchout ship-notice`.
pub fn ship_notice<E: EngineCalls>(engine: &mut E, args: Fulfilment) -> anyhow::Result<ExitCode> {
    let mut compiled = compile_args(engine, &args.profile)?;
    let order = load_order(engine, &mut compiled, &args.order)?;
    let data = read_json(&args.data, ErrorCode::InvalidOrder)?;
    let envelope = punchout_host::new_envelope("shop.example.com");
    let outcome = engine.cxml_ship_notice(&mut compiled, &order, &data, &envelope);
    print_outcome(outcome, Ok)
}

/// `punchout invoice`.
pub fn invoice<E: EngineCalls>(engine: &mut E, args: Fulfilment) -> anyhow::Result<ExitCode> {
    let mut compiled = compile_args(engine, &args.profile)?;
    let order = load_order(engine, &mut compiled, &args.order)?;
    let data = read_json(&args.data, ErrorCode::InvalidOrder)?;
    let envelope = punchout_host::new_envelope("shop.example.com");
    let outcome = engine.cxml_invoice(&mut compiled, &order, &data, &envelope);
    print_outcome(outcome, Ok)
}

fn compile_args<E: EngineCalls>(engine: &mut E, args: &ProfileArgs) -> anyhow::Result<E::Profile> {
    let profile = load_profile(&args.profile)?;
    let secrets = load_secrets(&profile, args.secrets.as_deref())?;
    compile(engine, &profile, &secrets)
}

/// An order file: the OrderRequest itself (read and authenticated), or the order JSON the shop
/// stored from `order read`.
fn load_order<E: EngineCalls>(
    engine: &mut E,
    profile: &mut E::Profile,
    path: &Path,
) -> anyhow::Result<PurchaseOrder> {
    let bytes = read(path)?;
    if !starts_with_markup(&bytes) {
        return read_json(path, ErrorCode::InvalidOrder);
    }
    match engine.read_cxml_order(profile, &bytes) {
        Ok(order) => Ok(order),
        Err(CallError::Rejected(error)) => Err(Refused::new(Some(path), error).into()),
        Err(other) => Err(anyhow::Error::new(other)),
    }
}

/// `punchout peppol order`: read a Peppol Order (T01) for a buyer profile.
#[derive(Args)]
pub struct PeppolOrderArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// The Peppol Order (UBL `Order`, T01)
    #[arg(long, value_name = "FILE")]
    pub document: PathBuf,
    /// Only check that the order is for the profile's buyer and shop (their endpoint IDs) and
    /// print {"profile_id"}
    #[arg(long)]
    pub identify: bool,
}

/// `punchout peppol order-response`: the Order Response (T76) to a Peppol order.
#[derive(Args)]
pub struct PeppolOrderResponseArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// The order: the Peppol Order document (T01), or the JSON `peppol order` printed
    #[arg(long, value_name = "FILE")]
    pub order: PathBuf,
    /// The shop's decision (JSON: {"response_id", "issue_date", "issue_time", "code", "note",
    /// "sales_order_id", "lines": [{"line_number", "status", "quantity", "unit_price",
    /// "delivery_date", "note"}]})
    #[arg(long, value_name = "FILE")]
    pub decision: PathBuf,
    /// The reconciliation `order reconcile` printed: its verdict decides when the decision has
    /// no `code`
    #[arg(long, value_name = "FILE")]
    pub reconciliation: Option<PathBuf>,
}

/// `punchout peppol order`: checks that the order is for the profile's buyer and shop, then
/// prints it as JSON (the purchase order under `order`, what `order reconcile` and `order
/// redelivery` take).
pub fn peppol_order<E: EngineCalls>(
    engine: &mut E,
    args: PeppolOrderArgs,
) -> anyhow::Result<ExitCode> {
    let document = read(&args.document)?;
    let (mut profile, buyer_id) = compile_with_id(engine, &args.profile)?;
    // The order's endpoints must be the profile's buyer and shop, as a shop routes it.
    if let Err(error) = engine.identify_peppol_order(&mut [&mut profile], &document) {
        return match error {
            CallError::Rejected(error) => Err(Refused::new(Some(&args.document), error).into()),
            other => Err(anyhow::Error::new(other)),
        };
    }
    if args.identify {
        out!("{}", serde_json::json!({ "profile_id": buyer_id }));
        return Ok(ExitCode::SUCCESS);
    }
    match engine.read_peppol_order(&document, &buyer_id) {
        Ok(order) => {
            out!("{}", serde_json::to_string_pretty(&order)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(CallError::Rejected(error)) => Err(Refused::new(Some(&args.document), error).into()),
        Err(other) => Err(anyhow::Error::new(other)),
    }
}

/// `punchout peppol order-response`: prints the T76 document.
pub fn peppol_order_response<E: EngineCalls>(
    engine: &mut E,
    args: PeppolOrderResponseArgs,
) -> anyhow::Result<ExitCode> {
    let (_, buyer_id) = compile_with_id(engine, &args.profile)?;
    let bytes = read(&args.order)?;
    let order: PeppolOrder = if starts_with_markup(&bytes) {
        match engine.read_peppol_order(&bytes, &buyer_id) {
            Ok(order) => order,
            Err(CallError::Rejected(error)) => {
                return Err(Refused::new(Some(&args.order), error).into())
            }
            Err(other) => return Err(anyhow::Error::new(other)),
        }
    } else {
        read_json(&args.order, ErrorCode::InvalidOrder)?
    };
    let decision = read_json(&args.decision, ErrorCode::InvalidOrder)?;
    let reconciliation = args
        .reconciliation
        .as_deref()
        .map(|path| read_json(path, ErrorCode::InvalidOrder))
        .transpose()?;
    let outcome = engine.peppol_order_response(&order, reconciliation.as_ref(), &decision);
    print_outcome(outcome, Ok)
}

/// The profile compiled (so that a broken one is refused) and its id, the buyer the order is
/// read for.
fn compile_with_id<E: EngineCalls>(
    engine: &mut E,
    args: &ProfileArgs,
) -> anyhow::Result<(E::Profile, String)> {
    let profile = load_profile(&args.profile)?;
    let secrets = load_secrets(&profile, args.secrets.as_deref())?;
    let compiled = compile(engine, &profile, &secrets)?;
    // Compiled, the profile has a string `id`.
    let id = serde_json::from_str::<serde_json::Value>(profile.json())?
        .get("id")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok((compiled, id))
}

/// Whether a file holds a document rather than JSON: its first non-space byte is `<`.
fn starts_with_markup(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|first| *first == b'<')
}
