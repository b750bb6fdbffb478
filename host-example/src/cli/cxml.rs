//! `punchout setup` and `punchout cart`: cXML PunchOut on the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use punchout_host::CxmlCalls;
use punchout_plugin::ErrorCode;

use super::{
    compile, load_profile, load_secrets, print_outcome, read, read_json, read_session,
    refused_with_response,
};

/// Answer a cXML PunchOutSetupRequest: {"session", "response"}, or {"error", "response"}
///
/// Accepted: prints {"session", "response"} as JSON (exit 0). Refused: prints {"error",
/// "response"} (exit 1), where `error` is the typed error and `response` the cXML `Response`
/// to send back (status 400, 401, 403, …). Either way, `response` is the body the shop
/// returns to the buyer's system; `cart --session` takes this output (or the session alone).
#[derive(Args)]
pub struct Setup {
    /// The buyer profile (JSON)
    #[arg(long, value_name = "FILE")]
    pub profile: PathBuf,
    /// The PunchOutSetupRequest document
    #[arg(long, value_name = "FILE")]
    pub request: PathBuf,
    /// Secrets the profile refers to, as a JSON object {"NAME": "value"}; without it, each
    /// reference is read from the environment variable of the same name (a secret found in
    /// neither is refused, exit 1)
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,
    /// The start URL to answer with
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://shop.example.com/punchout/start"
    )]
    pub start_url: String,
}

/// Return a cart: prints {"message", "form_html"} as JSON, or one of them with --print
#[derive(Args)]
pub struct Cart {
    /// The buyer profile (JSON)
    #[arg(long, value_name = "FILE")]
    pub profile: PathBuf,
    /// The session stored after setup: the `setup` command's output or the session alone
    #[arg(long, value_name = "FILE")]
    pub session: PathBuf,
    /// The shop's cart (JSON)
    #[arg(long, value_name = "FILE")]
    pub cart: PathBuf,
    /// Secrets the profile refers to (see `setup --help`)
    #[arg(long, value_name = "FILE")]
    pub secrets: Option<PathBuf>,
    /// Print only the PunchOutOrderMessage or only the HTML form
    #[arg(long, value_enum)]
    pub print: Option<Print>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Print {
    Message,
    Form,
}

/// `punchout setup`.
pub fn setup<E>(engine: &mut E, args: Setup) -> anyhow::Result<ExitCode>
where
    E: CxmlCalls,
{
    let Setup {
        profile,
        request,
        secrets,
        start_url,
    } = args;
    let profile = load_profile(&profile)?;
    let secrets = load_secrets(&profile, secrets.as_deref())?;
    let request = read(&request)?;
    let mut compiled = compile(engine, &profile, &secrets)?;
    let envelope = punchout_host::new_envelope("shop.example.com");
    match engine.cxml_setup(&mut compiled, &request, &start_url, &envelope) {
        Ok(accepted) => {
            out!("{}", serde_json::to_string_pretty(&accepted)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Err(refused_with_response(engine, error, &envelope)),
    }
}

/// `punchout cart`.
pub fn cart<E>(engine: &mut E, args: Cart) -> anyhow::Result<ExitCode>
where
    E: CxmlCalls,
{
    let Cart {
        profile,
        session,
        cart,
        secrets,
        print,
    } = args;
    let profile = load_profile(&profile)?;
    let secrets = load_secrets(&profile, secrets.as_deref())?;
    let session = read_session(&session)?;
    let cart = read_json(&cart, ErrorCode::InvalidCart)?;
    let mut compiled = compile(engine, &profile, &secrets)?;
    let envelope = punchout_host::new_envelope("shop.example.com");
    let outcome = engine.cxml_cart_return(&mut compiled, &session, &cart, &envelope);
    print_outcome(outcome, |cart_return| {
        Ok(match print {
            None => serde_json::to_string_pretty(&cart_return)?,
            Some(Print::Message) => cart_return.message,
            Some(Print::Form) => cart_return.form_html,
        })
    })
}
