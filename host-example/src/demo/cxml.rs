//! `punchout demo`: the full cXML round trip on bundled sample data, each step printed, every
//! document optionally written to a directory.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use base64::Engine as _;
use punchout_host::{CallError, CxmlCalls};
use punchout_plugin::model::{parse_decimal, Cart, CartLine, Envelope, Property};
use serde::Deserialize;

const PROFILE: &str = include_str!("../../samples/cxml-buyer-profile.json");
const SECRETS: &str = include_str!("../../samples/demo-secrets.json");
const SETUP_REQUEST: &str = include_str!("../../samples/cxml-setup-request.xml");
const CATALOG: &str = include_str!("../../samples/catalog.json");
const START_URL: &str = "https://shop.example.com/punchout/start?token=";

#[derive(Deserialize)]
struct Catalog {
    currency: String,
    products: Vec<Product>,
}

#[derive(Deserialize)]
struct Product {
    sku: String,
    description: String,
    unit: String,
    contract_price: String,
    attributes: std::collections::BTreeMap<String, String>,
}

/// Documents of the round trip, written with `--out`.
pub(super) struct Documents<'a> {
    pub(super) out: Option<&'a Path>,
}

impl Documents<'_> {
    pub(super) fn write(&self, name: &str, content: &str) -> anyhow::Result<()> {
        if let Some(dir) = self.out {
            let path = dir.join(name);
            std::fs::write(&path, content)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            out!("    wrote {}", path.display());
        }
        Ok(())
    }
}

fn envelope(step: u32) -> Envelope {
    Envelope {
        payload_id: format!("1764061200.{step}.demo@shop.example.com"),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    }
}

fn rejected(step: &str, error: CallError) -> anyhow::Error {
    anyhow::anyhow!("{step}: {error}")
}

/// What the order leg continues from: the compiled profile, the session of the first setup, the
/// cart the shop returned then and the message the buyer's system read.
pub struct Returned<P> {
    pub profile: P,
    pub session: punchout_plugin::model::Session,
    pub cart: Cart,
    pub read: punchout_plugin::cxml::order_message::OrderMessage,
}

pub fn run<E: CxmlCalls>(
    engine: &mut E,
    out: Option<&Path>,
) -> anyhow::Result<(ExitCode, Returned<E::Profile>)> {
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    let documents = Documents { out };
    let secrets: Vec<(String, String)> =
        serde_json::from_str::<std::collections::BTreeMap<String, String>>(SECRETS)?
            .into_iter()
            .collect();

    out!("1. Buyer profile");
    let mut profile = engine
        .compile_profile(PROFILE, &secrets)
        .map_err(|error| rejected("compiling the buyer profile", error))?;
    out!("   compiled `acme-ariba` (ACME Industries via SAP Ariba, cXML)");
    documents.write("buyer-profile.json", PROFILE)?;

    out!("2. PunchOutSetupRequest from the buyer (operation create)");
    documents.write("cxml-setup-request.xml", SETUP_REQUEST)?;
    // `{token}`: the engine mints the one-time token of the start URL.
    let accepted = engine
        .cxml_setup(
            &mut profile,
            SETUP_REQUEST.as_bytes(),
            &format!("{START_URL}{{token}}"),
            &envelope(1),
        )
        .map_err(|error| rejected("setup", error))?;
    let session = &accepted.session;
    let token = session.start_token.as_deref().unwrap_or_default();
    out!(
        "   authenticated {}:{}; buyer cookie `{}`; user {} <{}>",
        session.buyer.domain,
        session.buyer.identity,
        session.buyer_cookie,
        session.user_name.as_deref().unwrap_or("-"),
        session.user_email.as_deref().unwrap_or("-"),
    );
    out!("   cart goes back to {}", session.return_url);

    out!("3. PunchOutSetupResponse with the start URL");
    // The token is random: print its length only, so that runs compare.
    out!(
        "   StartPage {START_URL}<one-time token, {} characters>",
        token.len()
    );
    documents.write("cxml-setup-response.xml", &accepted.response)?;
    documents.write("session.json", &serde_json::to_string_pretty(session)?)?;

    out!("   a request with a wrong secret is refused:");
    let forged = SETUP_REQUEST.replace("<SharedSecret>s3cr3t<", "<SharedSecret>guess<");
    match engine.cxml_setup(&mut profile, forged.as_bytes(), START_URL, &envelope(2)) {
        Err(CallError::Rejected(error)) => {
            out!("   refused: {} ({})", error, error.code().as_str());
            let response = engine
                .cxml_error_response(&error, &envelope(2))
                .map_err(|error| rejected("error response", error))?;
            documents.write("cxml-setup-response-refused.xml", &response)?;
        }
        Ok(_) => bail!("a setup request with a wrong secret was accepted"),
        Err(other) => return Err(rejected("refused setup", other)),
    }

    out!("4. The buyer shops; the cart");
    let cart = demo_cart()?;
    for line in &cart.lines {
        out!(
            "   {:>4} {:<4} {:<10} {:>7} {}  {}",
            line.quantity,
            line.unit,
            line.sku,
            line.unit_price,
            cart.currency,
            line.description
        );
    }
    documents.write("cart.json", &serde_json::to_string_pretty(&cart)?)?;

    out!("5. PunchOutOrderMessage and the form that posts it to the buyer");
    let cart_return = engine
        .cxml_cart_return(&mut profile, session, &cart, &envelope(3))
        .map_err(|error| rejected("cart return", error))?;
    out!(
        "   message {} bytes, form {} bytes",
        cart_return.message.len(),
        cart_return.form_html.len()
    );
    documents.write("cxml-punchout-order-message.xml", &cart_return.message)?;
    documents.write("cxml-cart-form.html", &cart_return.form_html)?;

    out!("6. The buyer's side: the form read back and compared line by line");
    let (action, message) = read_form(&cart_return.form_html)?;
    if action != session.return_url {
        bail!(
            "the form posts to `{action}`, expected `{}`",
            session.return_url
        );
    }
    let read = engine
        .cxml_read_order_message(message.as_bytes())
        .map_err(|error| rejected("reading the message", error))?;
    if read.buyer_cookie != session.buyer_cookie {
        bail!(
            "buyer cookie `{}` came back as `{}`",
            session.buyer_cookie,
            read.buyer_cookie
        );
    }
    if read.lines.len() != cart.lines.len() {
        bail!(
            "{} lines went out, {} came back",
            cart.lines.len(),
            read.lines.len()
        );
    }
    for (sent, received) in cart.lines.iter().zip(&read.lines) {
        compare_line(sent, received)?;
        out!(
            "   ok  {} {} × {} {} at {} (unit {} → {})",
            received.line_ref,
            received.sku,
            received.quantity,
            received.unit,
            received.unit_price,
            sent.unit,
            received.unit
        );
    }
    out!(
        "   total {} {}, buyer cookie `{}` echoed",
        read.total,
        read.currency,
        read.buyer_cookie
    );

    out!("7. The buyer reopens the returned cart to change it (operation edit)");
    let edit_request = reopen_request(&cart_return.message, "edit", "c0ffee-43-ACME");
    documents.write("cxml-setup-request-edit.xml", &edit_request)?;
    let edit = engine
        .cxml_setup(
            &mut profile,
            edit_request.as_bytes(),
            &format!("{START_URL}{{token}}"),
            &envelope(4),
        )
        .map_err(|error| rejected("edit setup", error))?;
    documents.write("cxml-setup-response-edit.xml", &edit.response)?;
    documents.write(
        "session-edit.json",
        &serde_json::to_string_pretty(&edit.session)?,
    )?;
    // The shop restores its own lines by reference, with the buyer's quantities.
    let mut edited = restore_cart(&cart, &edit.session.items)?;
    out!(
        "   {} lines restored by reference; the buyer adds one `{}`",
        edited.lines.len(),
        edited.lines.first().map_or("-", |line| line.sku.as_str())
    );
    if let Some(first) = edited.lines.first_mut() {
        first.quantity = (parse_decimal(&first.quantity)? + parse_decimal("1")?).to_string();
    }
    let edit_return = engine
        .cxml_cart_return(&mut profile, &edit.session, &edited, &envelope(5))
        .map_err(|error| rejected("edited cart return", error))?;
    documents.write("cxml-punchout-order-message-edit.xml", &edit_return.message)?;
    documents.write("cxml-cart-form-edit.html", &edit_return.form_html)?;
    let edit_read = engine
        .cxml_read_order_message(edit_return.message.as_bytes())
        .map_err(|error| rejected("reading the edited message", error))?;
    out!(
        "   edited cart back: {} lines, total {} {}, operationAllowed {}",
        edit_read.lines.len(),
        edit_read.total,
        edit_read.currency,
        edit_read.operation_allowed.as_str()
    );

    out!("8. The buyer opens the cart read-only (operation inspect)");
    let inspect_request = reopen_request(&edit_return.message, "inspect", "c0ffee-44-ACME");
    documents.write("cxml-setup-request-inspect.xml", &inspect_request)?;
    let inspect = engine
        .cxml_setup(
            &mut profile,
            inspect_request.as_bytes(),
            &format!("{START_URL}{{token}}"),
            &envelope(6),
        )
        .map_err(|error| rejected("inspect setup", error))?;
    documents.write("cxml-setup-response-inspect.xml", &inspect.response)?;
    let shown = restore_cart(&edited, &inspect.session.items)?;
    let inspect_return = engine
        .cxml_cart_return(&mut profile, &inspect.session, &shown, &envelope(7))
        .map_err(|error| rejected("inspected cart return", error))?;
    documents.write(
        "cxml-punchout-order-message-inspect.xml",
        &inspect_return.message,
    )?;
    let inspect_read = engine
        .cxml_read_order_message(inspect_return.message.as_bytes())
        .map_err(|error| rejected("reading the inspected message", error))?;
    if inspect_read.operation_allowed.as_str() != "inspect" || inspect_read.lines != edit_read.lines
    {
        bail!("the inspected cart came back changed or editable");
    }
    out!(
        "   {} lines shown read-only, operationAllowed {}",
        inspect_read.lines.len(),
        inspect_read.operation_allowed.as_str()
    );
    out!("Round trip complete.");
    Ok((
        ExitCode::SUCCESS,
        Returned {
            profile,
            session: accepted.session,
            cart,
            read,
        },
    ))
}

/// The setup request a buyer's system sends to reopen a returned cart: the sample request with
/// another operation and cookie, and the message's `ItemIn` lines as `ItemOut`.
fn reopen_request(message: &str, operation: &str, cookie: &str) -> String {
    let start = message.find("<ItemIn ").unwrap_or(message.len());
    let end = message
        .rfind("</ItemIn>")
        .map_or(start, |end| end + "</ItemIn>".len());
    let items = message
        .get(start..end)
        .unwrap_or_default()
        .replace("<ItemIn ", "<ItemOut ")
        .replace("</ItemIn>", "</ItemOut>");
    SETUP_REQUEST
        .replace(
            "operation=\"create\"",
            &format!("operation=\"{operation}\""),
        )
        .replace("c0ffee-42-ACME", cookie)
        .replace(
            "1764000000.4711.1@",
            &format!("1764000000.4711.{operation}@"),
        )
        .replace("</ShipTo>", &format!("</ShipTo>\n      {items}"))
}

/// The shop's cart restored from a reopened session: its own lines found by reference, with the
/// quantities the buyer's system holds.
fn restore_cart(previous: &Cart, items: &[CartLine]) -> anyhow::Result<Cart> {
    let lines = items
        .iter()
        .map(|item| {
            let mut line = previous
                .lines
                .iter()
                .find(|line| line.line_ref == item.line_ref)
                .cloned()
                .with_context(|| format!("unknown line reference `{}`", item.line_ref))?;
            line.quantity.clone_from(&item.quantity);
            Ok(line)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Cart {
        lines,
        ..previous.clone()
    })
}

/// The cart a buyer fills from the catalog: quantities per product.
fn demo_cart() -> anyhow::Result<Cart> {
    let catalog: Catalog = serde_json::from_str(CATALOG)?;
    let quantities = ["10", "2", "3"];
    let lines = catalog
        .products
        .into_iter()
        .zip(quantities)
        .enumerate()
        .map(|(index, (product, quantity))| CartLine {
            line_ref: format!("cart-9:line-{}", index + 1),
            sku: product.sku,
            quantity: quantity.to_owned(),
            unit_price: product.contract_price,
            unit: product.unit,
            description: product.description,
            attributes: product
                .attributes
                .into_iter()
                .map(|(name, value)| Property { name, value })
                .collect(),
        })
        .collect();
    Ok(Cart {
        currency: catalog.currency,
        lines,
        shipping: Some("5.00".to_owned()),
        tax: None,
    })
}

fn compare_line(sent: &CartLine, received: &CartLine) -> anyhow::Result<()> {
    let same_decimal =
        |a: &str, b: &str| matches!((parse_decimal(a), parse_decimal(b)), (Ok(a), Ok(b)) if a == b);
    if sent.line_ref != received.line_ref
        || sent.sku != received.sku
        || sent.description != received.description
        || !same_decimal(&sent.quantity, &received.quantity)
        || !same_decimal(&sent.unit_price, &received.unit_price)
    {
        bail!("line `{}` came back changed: {received:?}", sent.line_ref);
    }
    Ok(())
}

/// Reads the form as the buyer's browser would post it: its action and the message in the
/// `cxml-urlencoded` or `cxml-base64` field.
pub fn read_form(html: &str) -> anyhow::Result<(String, String)> {
    let page = scraper::Html::parse_document(html);
    let forms = scraper::Selector::parse("form").map_err(|error| anyhow::anyhow!("{error}"))?;
    let fields = scraper::Selector::parse("input[type=hidden]")
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let mut found = page.select(&forms);
    let form = found.next().context("the page has no form")?;
    if found.next().is_some() {
        bail!("the page has more than one form");
    }
    let action = form
        .value()
        .attr("action")
        .context("the form has no action")?
        .to_owned();
    let field = form
        .select(&fields)
        .next()
        .context("the form has no hidden field")?;
    let value = field.value().attr("value").unwrap_or_default();
    let message = match field.value().attr("name") {
        Some("cxml-urlencoded") => value.to_owned(),
        Some("cxml-base64") => {
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(value)?)?
        }
        other => bail!("unexpected form field {other:?}"),
    };
    Ok((action, message))
}
