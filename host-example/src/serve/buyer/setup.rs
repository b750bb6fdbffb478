//! What the procurement system sends to open the shop: the OCI call-up its browser carries
//! (GET query or POST form, in the preset's charset), the cXML `PunchOutSetupRequest` it posts
//! server to server (create, edit, inspect), and the Peppol buyer's plain link.

use anyhow::bail;
use punchout_plugin::model::{Envelope, Property, SetupOperation};
use punchout_plugin::oci::settings::OciCharset;
use punchout_plugin::xml::XmlWriter;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::presets::{CallUpMethod, CxmlPunchOut, OciBuyer};
use super::ReceivedLine;

/// An OCI call-up as the buyer's browser sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct OciCallUpRequest {
    pub method: CallUpMethod,
    /// The shop's catalog URL: the form's `action` for a POST.
    pub action: String,
    /// Where the browser goes: `action` with the query for a GET, `action` itself for a POST.
    pub url: String,
    /// The parameters in order (the POST form's hidden fields), the password among them.
    pub fields: Vec<(String, String)>,
    /// The query (GET) or the form body (POST), percent-encoded in `charset`: what the shop
    /// hands to the engine's `oci_call_up`.
    pub body: Vec<u8>,
    /// The charset of the call-up and of the cart page the buyer expects (the form's
    /// `accept-charset`).
    pub charset: OciCharset,
    /// The `HOOK_URL` as sent, with the system's own query parameters.
    pub hook_url: String,
}

impl OciCallUpRequest {
    /// The `HOOK_URL`'s query parameters, decoded: what the cart form must post back
    /// ([`super::Expectation::hook_url_parameters`]).
    pub fn hook_url_parameters(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.hook_url.split_once('?') else {
            return Vec::new();
        };
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(&text.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect()
    }
}

impl std::fmt::Debug for OciCallUpRequest {
    /// Names only: the password is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OciCallUpRequest")
            .field("method", &self.method)
            .field("action", &self.action)
            .field(
                "fields",
                &self
                    .fields
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("charset", &self.charset)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes a value in the call-up's charset, as a browser fills a form in a page of
/// that charset (`application/x-www-form-urlencoded`: space as `+`).
pub(crate) fn form_encode(text: &str, charset: OciCharset) -> String {
    let bytes = match charset {
        OciCharset::Latin1 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
        OciCharset::Utf8 => text.as_bytes().to_vec(),
    };
    let mut out = String::with_capacity(bytes.len());
    for byte in bytes {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The `HOOK_URL` with the system's own query parameters appended (SAP adds `sap-client`,
/// `~OkCode`, `~TARGET`, `~CALLER`).
fn hook_url_with_query(hook_url: &str, query: &[Property]) -> String {
    let mut url = hook_url.to_owned();
    for (index, parameter) in query.iter().enumerate() {
        let separator = if index == 0 && !hook_url.contains('?') {
            '?'
        } else {
            '&'
        };
        url.push(separator);
        // `~` is unreserved in a URL: SAP writes `~OkCode` as is.
        url.push_str(&form_encode(&parameter.name, OciCharset::Utf8).replace("%7E", "~"));
        url.push('=');
        url.push_str(&form_encode(&parameter.value, OciCharset::Utf8).replace("%7E", "~"));
    }
    url
}

/// The OCI call-up of `buyer` to the shop's catalog at `shop_url`, returning to `hook_url`
/// (the simulator's return endpoint).
///
/// # Errors
/// When `shop_url` or `hook_url` is not an absolute http(s) URL, or `shop_url` already has a
/// query (OCI forbids parameters in the catalog URL).
pub fn oci_call_up(
    buyer: &OciBuyer,
    shop_url: &str,
    hook_url: &str,
) -> anyhow::Result<OciCallUpRequest> {
    for (what, url) in [("shop URL", shop_url), ("HOOK_URL", hook_url)] {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("expected an absolute http(s) URL as the {what}, found `{url}`");
        }
    }
    if shop_url.contains('?') {
        bail!("the catalog URL `{shop_url}` has a query: OCI sends its parameters separately");
    }
    let hook_url = hook_url_with_query(hook_url, &buyer.hook_url_query);
    let mut fields = vec![
        (buyer.username_parameter.clone(), buyer.username.clone()),
        (
            buyer.password_parameter.clone(),
            buyer.password.expose().to_owned(),
        ),
        (buyer.hook_url_parameter.clone(), hook_url.clone()),
        ("OCI_VERSION".to_owned(), buyer.version.as_str().to_owned()),
        ("OPI_VERSION".to_owned(), "1.0".to_owned()),
        (
            "http_content_charset".to_owned(),
            buyer.charset.as_str().to_owned(),
        ),
    ];
    fields.extend(
        buyer
            .parameters
            .iter()
            .map(|parameter| (parameter.name.clone(), parameter.value.clone())),
    );
    let body = fields
        .iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                form_encode(name, buyer.charset),
                form_encode(value, buyer.charset)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let url = match buyer.method {
        CallUpMethod::Get => format!("{shop_url}?{body}"),
        CallUpMethod::Post => shop_url.to_owned(),
    };
    Ok(OciCallUpRequest {
        method: buyer.method,
        action: shop_url.to_owned(),
        url,
        fields,
        body: body.into_bytes(),
        charset: buyer.charset,
        hook_url,
    })
}

/// A `PunchOutSetupRequest` ready to post to the shop, and what the buyer keeps to check the
/// returned cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CxmlSetupRequest {
    /// The document (UTF-8), valid against the cXML DTD of the preset's version.
    pub document: String,
    /// The `BuyerCookie` the returned cart must echo.
    pub buyer_cookie: String,
    pub payload_id: String,
    pub operation: SetupOperation,
}

/// The cXML `PunchOutSetupRequest` of `buyer`: `operation` create, or edit and inspect with the
/// `ItemOut` lines of a previously returned cart (`items`), the cart returning to
/// `browser_form_post` (the simulator's return endpoint). The `BuyerCookie` is derived from
/// the envelope's payload ID, so it is new for each request.
///
/// # Errors
/// When the preset does not offer `operation`, when `create` is given items, or when
/// `browser_form_post` is not an absolute http(s) URL.
pub fn cxml_setup_request(
    buyer: &CxmlPunchOut,
    operation: SetupOperation,
    browser_form_post: &str,
    supplier_setup_url: &str,
    items: &[ReceivedLine],
    envelope: &Envelope,
) -> anyhow::Result<CxmlSetupRequest> {
    if !buyer.operations.contains(&operation) {
        bail!(
            "this procurement system does not offer operation `{}`",
            operation.as_str()
        );
    }
    if operation == SetupOperation::Create && !items.is_empty() {
        bail!("a `create` setup request carries no cart lines; `edit` and `inspect` do");
    }
    if !(browser_form_post.starts_with("http://") || browser_form_post.starts_with("https://")) {
        bail!("expected an absolute http(s) URL as the BrowserFormPost URL, found `{browser_form_post}`");
    }
    let buyer_cookie = buyer_cookie(&envelope.payload_id);
    let mut w = XmlWriter::new();
    w.declaration();
    w.doctype("cXML", &cxml_dtd_url(&buyer.version));
    w.open(
        "cXML",
        &[
            ("payloadID", &envelope.payload_id),
            ("timestamp", &envelope.timestamp),
            ("xml:lang", &buyer.language),
        ],
    );
    w.open("Header", &[]);
    for (name, credential) in [("From", &buyer.from), ("To", &buyer.to)] {
        w.open(name, &[]);
        w.open("Credential", &[("domain", &credential.domain)]);
        w.leaf("Identity", &[], &credential.identity);
        w.close("Credential");
        w.close(name);
    }
    w.open("Sender", &[]);
    w.open("Credential", &[("domain", &buyer.sender.domain)]);
    w.leaf("Identity", &[], &buyer.sender.identity);
    w.leaf("SharedSecret", &[], buyer.shared_secret.expose());
    w.close("Credential");
    w.leaf("UserAgent", &[], &buyer.user_agent);
    w.close("Sender");
    w.close("Header");
    w.open(
        "Request",
        &[("deploymentMode", buyer.deployment_mode.as_str())],
    );
    w.open("PunchOutSetupRequest", &[("operation", operation.as_str())]);
    w.leaf("BuyerCookie", &[], &buyer_cookie);
    for extrinsic in &buyer.extrinsics {
        w.leaf("Extrinsic", &[("name", &extrinsic.name)], &extrinsic.value);
    }
    w.open("BrowserFormPost", &[]);
    w.leaf("URL", &[], browser_form_post);
    w.close("BrowserFormPost");
    if let Some((name, email)) = &buyer.contact {
        w.open("Contact", &[("role", "endUser")]);
        w.leaf("Name", &[("xml:lang", &buyer.language)], name);
        w.leaf("Email", &[], email);
        w.close("Contact");
    }
    w.open("SupplierSetup", &[]);
    w.leaf("URL", &[], supplier_setup_url);
    w.close("SupplierSetup");
    for (index, item) in items.iter().enumerate() {
        write_item_out(&mut w, item, index, &buyer.language);
    }
    w.close("PunchOutSetupRequest");
    w.close("Request");
    w.close("cXML");
    Ok(CxmlSetupRequest {
        document: w.finish(),
        buyer_cookie,
        payload_id: envelope.payload_id.clone(),
        operation,
    })
}

/// The DTD's system identifier for a cXML version.
pub(crate) fn cxml_dtd_url(version: &str) -> String {
    format!("http://xml.cxml.org/schemas/cXML/{version}/cXML.dtd")
}

/// A cookie that identifies the setup request: the first 24 hex digits of its payload ID's
/// SHA-256, so the cart that comes back can be matched to the request.
fn buyer_cookie(payload_id: &str) -> String {
    let digest = Sha256::digest(payload_id.as_bytes());
    digest
        .iter()
        .take(12)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One line of the cart being reopened, as the buyer's system holds it.
fn write_item_out(w: &mut XmlWriter, item: &ReceivedLine, index: usize, language: &str) {
    let quantity = item.quantity.normalize().to_string();
    let line_number = index.saturating_add(1).to_string();
    w.open(
        "ItemOut",
        &[("quantity", &quantity), ("lineNumber", &line_number)],
    );
    w.open("ItemID", &[]);
    w.leaf("SupplierPartID", &[], &item.part_id);
    if let Some(reference) = &item.reference {
        w.leaf("SupplierPartAuxiliaryID", &[], reference);
    }
    w.close("ItemID");
    w.open("ItemDetail", &[]);
    w.open("UnitPrice", &[]);
    w.leaf(
        "Money",
        &[("currency", &item.currency)],
        &money_text(item.unit_price),
    );
    w.close("UnitPrice");
    w.leaf("Description", &[("xml:lang", language)], &item.description);
    w.leaf("UnitOfMeasure", &[], &item.unit);
    let (domain, code) = item
        .classification
        .as_ref()
        .map_or(("UNSPSC", ""), |class| {
            (class.domain.as_str(), class.code.as_str())
        });
    w.leaf("Classification", &[("domain", domain)], code);
    w.close("ItemDetail");
    w.close("ItemOut");
}

/// An amount with at least two decimals, as cXML writes money.
pub(crate) fn money_text(amount: Decimal) -> String {
    punchout_plugin::model::format_money(amount)
}

/// How the Peppol buyer's browser opens the shop: the BIS defines no setup message, so the
/// simulator links to the shop with the buyer's profile id and the return URL in the query
/// (`?buyer=…&return_url=…`), a convention of `punchout serve`.
///
/// # Errors
/// When `shop_url` is not an absolute http(s) URL.
pub fn peppol_start_url(
    shop_url: &str,
    profile_id: &str,
    return_url: &str,
) -> anyhow::Result<String> {
    if !(shop_url.starts_with("http://") || shop_url.starts_with("https://")) {
        bail!("expected an absolute http(s) URL as the shop URL, found `{shop_url}`");
    }
    let separator = if shop_url.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{shop_url}{separator}buyer={}&return_url={}",
        form_encode(profile_id, OciCharset::Utf8),
        form_encode(return_url, OciCharset::Utf8)
    ))
}
