//! `punchout demo`, OCI part: an SAP SRM buyer (OCI 4.0, Latin-1) calls the shop up, the cart
//! goes back as `NEW_ITEM-*` fields in a Latin-1 form that is read back with an HTML parser and
//! compared line by line; then the `VALIDATE`, `BACKGROUND_SEARCH` and `QUANTITYCHECK` replies.

use std::path::Path;

use anyhow::{bail, Context as _};
use punchout_host::{CallError, OciCalls};
use punchout_plugin::model::{parse_decimal, Cart};
use punchout_plugin::oci::{OciCharset, OciPage};

const PROFILE: &str = include_str!("../../samples/oci-buyer-profile.json");
const SECRETS: &str = include_str!("../../samples/oci-secrets.json");
const CALL_UP: &str = include_str!("../../samples/oci-call-up.txt");
const CART: &str = include_str!("../../samples/cart.json");

fn write(out: Option<&Path>, name: &str, content: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
        let path = dir.join(name);
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        out!("    wrote {}", path.display());
    }
    Ok(())
}

fn engine_error(error: CallError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

/// The page's form fields as a browser reads them (decoded from the page's charset).
pub fn form_inputs(page: &OciPage) -> anyhow::Result<Vec<(String, String)>> {
    let text = match page.charset {
        OciCharset::Latin1 => encoding_rs::WINDOWS_1252.decode(&page.body).0.into_owned(),
        OciCharset::Utf8 => String::from_utf8(page.body.clone()).context("page is not UTF-8")?,
    };
    let html = scraper::Html::parse_document(&text);
    let forms = scraper::Selector::parse("form").map_err(|error| anyhow::anyhow!("{error}"))?;
    let inputs =
        scraper::Selector::parse("form input").map_err(|error| anyhow::anyhow!("{error}"))?;
    let count = html.select(&forms).count();
    if count != 1 {
        bail!("expected one form, found {count}");
    }
    Ok(html
        .select(&inputs)
        .map(|input| {
            (
                input.value().attr("name").unwrap_or_default().to_owned(),
                input.value().attr("value").unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// The form's fields as the browser posts them, percent-encoded in the page's charset.
pub fn post_body(inputs: &[(String, String)], charset: OciCharset) -> Vec<u8> {
    let encode = |text: &str| {
        let bytes = match charset {
            OciCharset::Latin1 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
            OciCharset::Utf8 => text.as_bytes().to_vec(),
        };
        percent_encoding::percent_encode(&bytes, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    inputs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// Runs the OCI round trip.
///
/// # Errors
/// When a step fails or the form does not read back as the cart.
pub fn run<E>(engine: &mut E, out: Option<&Path>) -> anyhow::Result<()>
where
    E: OciCalls,
{
    out!();
    out!("OCI 1. Buyer profile");
    let secrets: Vec<(String, String)> =
        serde_json::from_str::<std::collections::BTreeMap<String, String>>(SECRETS)?
            .into_iter()
            .collect();
    let mut profile = engine
        .compile_profile(PROFILE, &secrets)
        .map_err(engine_error)?;
    out!("   compiled `acme-srm` (ACME Industries via SAP SRM, OCI 4.0, Latin-1)");

    out!("OCI 2. Call-up from the buyer's browser");
    write(out, "oci-call-up.txt", CALL_UP.as_bytes())?;
    let accepted = engine
        .oci_call_up(&mut profile, CALL_UP.as_bytes())
        .map_err(engine_error)?;
    let session = accepted.session;
    out!(
        "   user {} authenticated; cart goes back to {}",
        session.username,
        session.hook_url
    );
    out!(
        "   charset {}, target {}, other parameters: {}",
        session.charset.as_str(),
        session.target,
        accepted
            .parameters
            .iter()
            .map(|property| format!("{}={}", property.name, property.value))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let wrong = CALL_UP.replace("PASSWORD=oci-p4ss", "PASSWORD=guess");
    match engine.oci_call_up(&mut profile, wrong.as_bytes()) {
        Err(CallError::Rejected(error)) => out!(
            "   a call-up with a wrong password is refused: {error} ({})",
            error.code().as_str()
        ),
        other => bail!("a wrong password was not refused: {other:?}"),
    }

    out!("OCI 3. The cart as NEW_ITEM fields in a Latin-1 form");
    let cart: Cart = serde_json::from_str(CART)?;
    let page = engine
        .oci_cart_form(&mut profile, &session, &cart)
        .map_err(engine_error)?;
    write(out, "oci-cart-form.html", &page.body)?;
    let inputs = form_inputs(&page)?;
    out!(
        "   {} bytes ({}), {} form fields for {} lines",
        page.body.len(),
        page.content_type(),
        inputs.len(),
        cart.lines.len()
    );

    out!("OCI 4. The buyer's side: the form read back and compared line by line");
    let post = engine
        .oci_read_form(&post_body(&inputs, page.charset), page.charset)
        .map_err(engine_error)?;
    if post.items.len() != cart.lines.len() {
        bail!(
            "{} items read back for {} lines",
            post.items.len(),
            cart.lines.len()
        );
    }
    for (item, line) in post.items.iter().zip(&cart.lines) {
        let description = if item.longtext.is_empty() {
            item.value("NEW_ITEM-DESCRIPTION").unwrap_or_default()
        } else {
            item.longtext.as_str()
        };
        let same_number = |field: &str, expected: &str| -> anyhow::Result<bool> {
            let found = item.value(field).unwrap_or_default();
            Ok(parse_decimal(found)? == parse_decimal(expected)?)
        };
        if description != line.description
            || !same_number("NEW_ITEM-QUANTITY", &line.quantity)?
            || !same_number("NEW_ITEM-PRICE", &line.unit_price)?
            || item.value("NEW_ITEM-VENDORMAT") != Some(line.sku.as_str())
        {
            bail!(
                "item {} does not read back as line `{}`",
                item.index,
                line.line_ref
            );
        }
        out!(
            "   [{}] {} × {} {} at {} {}: matches",
            item.index,
            item.value("NEW_ITEM-QUANTITY").unwrap_or_default(),
            item.value("NEW_ITEM-UNIT").unwrap_or_default(),
            line.sku,
            item.value("NEW_ITEM-PRICE").unwrap_or_default(),
            item.value("NEW_ITEM-CURRENCY").unwrap_or_default()
        );
    }

    out!("OCI 5. FUNCTION=VALIDATE and FUNCTION=BACKGROUND_SEARCH");
    let first = cart.lines.first().context("the sample cart is empty")?;
    let validate = format!(
        "{CALL_UP}&FUNCTION=VALIDATE&PRODUCTID={}&QUANTITY=3",
        first.sku
    );
    let validating = engine
        .oci_call_up(&mut profile, validate.as_bytes())
        .map_err(engine_error)?;
    out!("   call-up asks for {:?}", validating.function);
    let mut one = cart.clone();
    one.lines.truncate(1);
    if let Some(line) = one.lines.first_mut() {
        line.quantity = "3".into();
    }
    let reply = engine
        .oci_validate_reply(&mut profile, &validating.session, &one)
        .map_err(engine_error)?;
    write(out, "oci-validate-reply.html", &reply.body)?;
    out!(
        "   VALIDATE reply: one item, submits itself ({} bytes)",
        reply.body.len()
    );
    let search = format!("{CALL_UP}&FUNCTION=BACKGROUND_SEARCH&SEARCHSTRING=paper");
    let searching = engine
        .oci_call_up(&mut profile, search.as_bytes())
        .map_err(engine_error)?;
    let reply = engine
        .oci_background_search_reply(&mut profile, &searching.session, &cart)
        .map_err(engine_error)?;
    write(out, "oci-background-search-reply.html", &reply.body)?;
    out!(
        "   BACKGROUND_SEARCH reply: {} hits as OCI fields, never submits itself",
        cart.lines.len()
    );
    let json = engine
        .oci_quantity_check_reply("250", 2)
        .map_err(engine_error)?;
    write(out, "oci-quantity-check.json", json.as_bytes())?;
    out!("   QUANTITYCHECK reply (OCI 5.0): {json}");
    out!("OCI round trip complete.");
    Ok(())
}
