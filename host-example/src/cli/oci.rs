//! `punchout oci …`: SAP OCI 4.0/5.0 on the command line.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use punchout_host::OciCalls;
use punchout_plugin::oci::{OciCharset, OciSession};
use punchout_plugin::ErrorCode;

use super::{compile, load_profile, load_secrets, print_outcome, read, read_json, read_session};

#[derive(Subcommand)]
pub enum OciCommand {
    /// Read and authenticate a call-up (the GET query or POST body, as a file): prints
    /// {"session", "function", …} as JSON; store the session for the replies
    CallUp {
        /// The OCI buyer profile (JSON, "protocol": "oci")
        #[arg(long, value_name = "FILE")]
        profile: PathBuf,
        /// The call-up: USERNAME=…&PASSWORD=…&HOOK_URL=…
        #[arg(long = "call-up", value_name = "FILE")]
        call_up: PathBuf,
        /// Secrets the profile refers to (see `setup --help`)
        #[arg(long, value_name = "FILE")]
        secrets: Option<PathBuf>,
    },
    /// Write the page for a cart: the cart-return form (default), the VALIDATE reply (one line)
    /// or the BACKGROUND_SEARCH reply; the bytes are in the session's charset
    Cart {
        /// The OCI buyer profile (JSON)
        #[arg(long, value_name = "FILE")]
        profile: PathBuf,
        /// The session printed by `oci call-up` (JSON)
        #[arg(long, value_name = "FILE")]
        session: PathBuf,
        /// The shop's cart, or the hits of a search (JSON)
        #[arg(long, value_name = "FILE")]
        cart: PathBuf,
        /// Secrets the profile refers to
        #[arg(long, value_name = "FILE")]
        secrets: Option<PathBuf>,
        /// Which page
        #[arg(long, value_enum, default_value = "cart-form")]
        reply: Reply,
    },
    /// Print the QUANTITYCHECK JSON reply (OCI 5.0)
    QuantityCheck {
        /// Available quantity, a decimal
        #[arg(long)]
        available: String,
        /// Lead time in days
        #[arg(long, default_value_t = 0)]
        leadtime: u32,
    },
    /// Read a posted cart-return form body back into items, as the buyer's system would
    ReadForm {
        /// The form body (application/x-www-form-urlencoded)
        #[arg(long, value_name = "FILE")]
        body: PathBuf,
        /// The charset it was posted in: utf-8 or iso-8859-1
        #[arg(long, default_value = "utf-8")]
        charset: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Reply {
    CartForm,
    Validate,
    BackgroundSearch,
}

pub fn run<E>(engine: &mut E, command: OciCommand) -> anyhow::Result<ExitCode>
where
    E: OciCalls,
{
    match command {
        OciCommand::CallUp {
            profile,
            call_up,
            secrets,
        } => {
            let profile = load_profile(&profile)?;
            let secrets = load_secrets(&profile, secrets.as_deref())?;
            let body = read(&call_up)?;
            let body = body.trim_ascii_end();
            let mut compiled = compile(engine, &profile, &secrets)?;
            let outcome = engine.oci_call_up(&mut compiled, body);
            print_outcome(outcome, |accepted| {
                Ok(serde_json::to_string_pretty(&serde_json::json!({
                    "session": accepted.session,
                    "function": accepted.function,
                    "oci_version": accepted.oci_version,
                    "opi_version": accepted.opi_version,
                    "ok_code": accepted.ok_code,
                    "caller": accepted.caller,
                    "parameters": accepted.parameters,
                }))?)
            })
        }
        OciCommand::Cart {
            profile,
            session,
            cart,
            secrets,
            reply,
        } => {
            let profile = load_profile(&profile)?;
            let secrets = load_secrets(&profile, secrets.as_deref())?;
            // The session alone or the whole `oci call-up` output.
            let session: OciSession = read_session(&session)?;
            let cart = read_json(&cart, ErrorCode::InvalidCart)?;
            let mut compiled = compile(engine, &profile, &secrets)?;
            let outcome = match reply {
                Reply::CartForm => engine.oci_cart_form(&mut compiled, &session, &cart),
                Reply::Validate => engine.oci_validate_reply(&mut compiled, &session, &cart),
                Reply::BackgroundSearch => {
                    engine.oci_background_search_reply(&mut compiled, &session, &cart)
                }
            };
            match outcome {
                Ok(page) => {
                    std::io::stdout().lock().write_all(&page.body)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => print_outcome(Err::<(), _>(error), |()| Ok(String::new())),
            }
        }
        OciCommand::QuantityCheck {
            available,
            leadtime,
        } => print_outcome(engine.oci_quantity_check_reply(&available, leadtime), Ok),
        OciCommand::ReadForm { body, charset } => {
            let charset = OciCharset::parse(&charset).ok_or_else(|| {
                super::Refused::new(
                    None,
                    punchout_plugin::Error::new(
                        ErrorCode::InvalidValue,
                        format!("charset `{charset}` is not `utf-8` or `iso-8859-1`"),
                    )
                    .at_field("--charset"),
                )
            })?;
            let body = read(&body)?;
            print_outcome(
                engine.oci_read_form(body.trim_ascii_end(), charset),
                |post| {
                    Ok(serde_json::to_string_pretty(&serde_json::json!({
                        "items": post.items.iter().map(|item| serde_json::json!({
                            "index": item.index,
                            "fields": item.fields,
                            "longtext": item.longtext,
                        })).collect::<Vec<_>>(),
                        "parameters": post.parameters,
                    }))?)
                },
            )
        }
    }
}
