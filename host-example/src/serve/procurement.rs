//! The buyer side over HTTP: the procurement system that punches out (OCI call-up in the
//! browser, cXML `PunchOutSetupRequest` server to server, the Peppol entry), receives the cart
//! at its return endpoint, shows it with the [`buyer::judge`] verdict, and sends the purchase
//! order after "approve with changes".

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine as _;
use minijinja::context;
use punchout_plugin::model::parse_decimal;
use punchout_plugin::oci::settings::{OciCharset, OciVersion};
use serde::{Deserialize, Serialize};

use super::buyer::{
    self, Approval, ApprovedLine, BuyerProtocol, BuyerSystem, CallUpMethod, CxmlBuyer, Expectation,
    OrderDocument, Outcome, ReceivedCart as Judged, Severity, Validators, Verdict,
};
use super::store::{Punchout, ReceivedCart};
use super::{blocking, now, random_token, App, RETURN_PATH};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/buyer/punchout", post(punch_out))
        .route("/buyer/return/{id}", post(receive_cart))
        .route("/buyer/carts/{id}", get(cart_page))
        .route("/buyer/carts/{id}/reopen", post(reopen))
        .route("/buyer/carts/{id}/order", post(send_order).get(order_page))
}

/// A preset as the home page lists it.
#[derive(Debug, Serialize)]
pub struct PresetView {
    pub id: String,
    pub name: String,
    pub protocol: &'static str,
    pub quirks: Vec<String>,
    pub charset: &'static str,
    pub version: &'static str,
}

pub fn preset_views(app: &App) -> Vec<PresetView> {
    app.presets
        .iter()
        .map(|preset| {
            let (protocol, charset, version) = match &preset.protocol {
                BuyerProtocol::Oci(oci) => (
                    "oci",
                    oci.charset.as_str(),
                    match oci.version {
                        OciVersion::V4 => "4.0",
                        OciVersion::V5 => "5.0",
                    },
                ),
                BuyerProtocol::Cxml(_) => ("cxml", "utf-8", ""),
                BuyerProtocol::Peppol(_) => ("peppol", "utf-8", ""),
            };
            PresetView {
                id: preset.id.clone(),
                name: preset.name.clone(),
                protocol,
                quirks: preset.quirks.clone(),
                charset,
                version,
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct PunchOutForm {
    preset: String,
    /// OCI: `utf-8` or `iso-8859-1`, overriding the preset's.
    #[serde(default)]
    charset: String,
    /// Where the shop opens: `page` (this window) or `frame` (an iframe in the buyer's page).
    #[serde(default)]
    window: String,
}

fn problem(app: &App, status: StatusCode, title: &str, detail: &str) -> Response {
    app.problem(status, title, detail)
}

/// Starts a punch-out from a preset.
async fn punch_out(State(app): State<Arc<App>>, Form(form): Form<PunchOutForm>) -> Response {
    let Some(preset) = app.preset(&form.preset).cloned() else {
        return problem(
            &app,
            StatusCode::NOT_FOUND,
            "unknown buyer preset",
            &format!("no preset `{}`", form.preset),
        );
    };
    let in_frame = form.window == "frame";
    let id = random_token(16);
    let base = app.options.base_url.clone();
    let return_url = format!("{base}{RETURN_PATH}{id}");
    match &preset.protocol {
        BuyerProtocol::Oci(oci) => {
            let charset = match form.charset.as_str() {
                "utf-8" => OciCharset::Utf8,
                "iso-8859-1" => OciCharset::Latin1,
                _ => oci.charset,
            };
            let record = punchout_record(&id, &preset, "create", "", charset.as_str());
            if let Err(response) = save_punchout(&app, record).await {
                return response;
            }
            let fields = oci_call_up_fields(oci, &return_url, charset);
            let method = match oci.method {
                CallUpMethod::Get => "get",
                CallUpMethod::Post => "post",
            };
            shop_opening(
                &app,
                in_frame,
                ShopOpening::Form {
                    action: format!("{base}/shop/oci"),
                    method,
                    fields,
                },
                &preset.name,
            )
        }
        BuyerProtocol::Cxml(_) => {
            cxml_punch_out(&app, &preset, "create", None, &id, in_frame).await
        }
        BuyerProtocol::Peppol(_) => {
            let record = punchout_record(&id, &preset, "create", "", "utf-8");
            if let Err(response) = save_punchout(&app, record).await {
                return response;
            }
            let location = format!(
                "{base}/shop/peppol?{}",
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("buyer", &preset.shop_profile.id)
                    .append_pair("return_url", &return_url)
                    .finish()
            );
            shop_opening(&app, in_frame, ShopOpening::Link(location), &preset.name)
        }
    }
}

fn punchout_record(
    id: &str,
    preset: &BuyerSystem,
    operation: &str,
    cookie: &str,
    charset: &str,
) -> Punchout {
    let protocol = match preset.protocol {
        BuyerProtocol::Oci(_) => "oci",
        BuyerProtocol::Cxml(_) => "cxml",
        BuyerProtocol::Peppol(_) => "peppol",
    };
    Punchout {
        id: id.to_owned(),
        preset: preset.id.clone(),
        protocol: protocol.to_owned(),
        operation: operation.to_owned(),
        buyer_cookie: cookie.to_owned(),
        charset: charset.to_owned(),
        created_at: now(),
    }
}

async fn save_punchout(app: &Arc<App>, record: Punchout) -> Result<(), Response> {
    blocking(app, move |app| {
        app.store.put_punchout(&record).map_err(|error| {
            problem(
                app,
                StatusCode::INTERNAL_SERVER_ERROR,
                "the store failed",
                &error.to_string(),
            )
        })
    })
    .await?
}

/// How the browser reaches the shop.
enum ShopOpening {
    /// A form the browser submits (the OCI call-up, GET or POST).
    Form {
        action: String,
        method: &'static str,
        fields: Vec<(String, String)>,
    },
    /// A plain link (the cXML StartPage, the Peppol entry).
    Link(String),
}

/// Opens the shop in this window, or in an iframe of the buyer's page (as procurement systems
/// embed catalogs); the cart comes back to the top window by the form's target.
fn shop_opening(app: &App, in_frame: bool, opening: ShopOpening, buyer: &str) -> Response {
    match (opening, in_frame) {
        (ShopOpening::Link(url), false) => Redirect::to(&url).into_response(),
        (ShopOpening::Link(url), true) => {
            app.page("buyer_frame.html", context! { buyer => buyer, src => url })
        }
        (
            ShopOpening::Form {
                action,
                method,
                fields,
            },
            _,
        ) => app.page(
            "auto_submit.html",
            context! {
                title => format!("{buyer}: opening the catalog"),
                note => "the procurement system calls the catalog up (OCI)",
                action => action,
                method => method,
                target => if in_frame { "" } else { "_self" },
                charset => "",
                fields => fields,
            },
        ),
    }
}

/// The OCI call-up's parameters: user and password, the `HOOK_URL` with SAP's own query, the
/// versions and charset, then the preset's further parameters.
fn oci_call_up_fields(
    oci: &buyer::OciBuyer,
    return_url: &str,
    charset: OciCharset,
) -> Vec<(String, String)> {
    // SAP writes its own parameter names as they are (`~OkCode`), their values escaped.
    let query: Vec<String> = oci
        .hook_url_query
        .iter()
        .map(|property| {
            format!(
                "{}={}",
                property.name,
                percent_encoding::utf8_percent_encode(
                    &property.value,
                    percent_encoding::NON_ALPHANUMERIC
                )
            )
        })
        .collect();
    let hook_url = format!("{return_url}?{}", query.join("&"));
    let mut fields = vec![
        (oci.username_parameter.clone(), oci.username.clone()),
        (
            oci.password_parameter.clone(),
            oci.password.expose().to_owned(),
        ),
        (oci.hook_url_parameter.clone(), hook_url),
        (
            "OCI_VERSION".to_owned(),
            match oci.version {
                OciVersion::V4 => "4.0",
                OciVersion::V5 => "5.0",
            }
            .to_owned(),
        ),
        ("OPI_VERSION".to_owned(), "1.0".to_owned()),
        (
            "http_content_charset".to_owned(),
            charset.as_str().to_owned(),
        ),
    ];
    fields.extend(
        oci.parameters
            .iter()
            .map(|property| (property.name.clone(), property.value.clone())),
    );
    fields
}

/// A cXML punch-out: the setup request posted to the shop server to server, then the browser
/// sent to the StartPage of its answer.
async fn cxml_punch_out(
    app: &Arc<App>,
    preset: &BuyerSystem,
    operation: &str,
    items_xml: Option<String>,
    id: &str,
    in_frame: bool,
) -> Response {
    let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
        return problem(app, StatusCode::BAD_REQUEST, "not a cXML buyer", &preset.id);
    };
    let cookie = random_token(20);
    let record = punchout_record(id, preset, operation, &cookie, "utf-8");
    if let Err(response) = save_punchout(app, record).await {
        return response;
    }
    let base = &app.options.base_url;
    let request = cxml_setup_request(
        cxml,
        operation,
        &cookie,
        &format!("{base}{RETURN_PATH}{id}"),
        &format!("{base}/shop/cxml/setup"),
        items_xml.as_deref().unwrap_or_default(),
    );
    let answer = match app
        .http
        .post(format!("{base}/shop/cxml/setup"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(request.clone())
        .send()
        .await
    {
        Ok(response) => response.text().await.unwrap_or_default(),
        Err(error) => {
            return problem(
                app,
                StatusCode::BAD_GATEWAY,
                "the shop did not answer the setup request",
                &error.to_string(),
            )
        }
    };
    match start_page(&answer) {
        Some(url) => shop_opening(app, in_frame, ShopOpening::Link(url), &preset.name),
        None => app.page_with(
            StatusCode::BAD_GATEWAY,
            "problem.html",
            context! {
                title => "the shop refused the setup request",
                detail => status_of(&answer),
                documents => vec![("PunchOutSetupRequest", request), ("the shop's answer", answer)],
            },
        ),
    }
}

/// The `StartPage/URL` of a `PunchOutSetupResponse` with status 200.
fn start_page(response: &str) -> Option<String> {
    if !response.contains("code=\"200\"") {
        return None;
    }
    let start = response.find("<StartPage>")?;
    let rest = &response[start..];
    let open = rest.find("<URL>")? + "<URL>".len();
    let close = rest.find("</URL>")?;
    let raw = rest.get(open..close)?.trim();
    quick_xml::escape::unescape(raw)
        .ok()
        .map(|url| url.into_owned())
}

/// The `Status` element of a cXML answer, for people.
fn status_of(response: &str) -> String {
    response
        .find("<Status")
        .and_then(|start| {
            let rest = &response[start..];
            let end = rest
                .find("</Status>")
                .map(|end| end + "</Status>".len())
                .or_else(|| rest.find("/>").map(|end| end + 2))?;
            Some(rest[..end].to_owned())
        })
        .unwrap_or_else(|| "the answer has no Status".to_owned())
}

/// Writes a `PunchOutSetupRequest` as the preset's system does.
fn cxml_setup_request(
    cxml: &buyer::CxmlPunchOut,
    operation: &str,
    cookie: &str,
    return_url: &str,
    setup_url: &str,
    items_xml: &str,
) -> String {
    use quick_xml::escape::escape;
    let envelope = crate::new_envelope("buyer.punchout-serve.localhost");
    let credential = |credential: &punchout_plugin::model::Credential| {
        format!(
            "<Credential domain=\"{}\"><Identity>{}</Identity></Credential>",
            escape(credential.domain.as_str()),
            escape(credential.identity.as_str())
        )
    };
    let extrinsics: String = cxml
        .extrinsics
        .iter()
        .map(|property| {
            format!(
                "\n      <Extrinsic name=\"{}\">{}</Extrinsic>",
                escape(property.name.as_str()),
                escape(property.value.as_str())
            )
        })
        .collect();
    let contact = cxml.contact.as_ref().map_or_else(String::new, |(name, email)| {
        format!(
            "\n      <Contact role=\"endUser\"><Name xml:lang=\"{}\">{}</Name><Email>{}</Email></Contact>",
            escape(cxml.language.as_str()),
            escape(name.as_str()),
            escape(email.as_str())
        )
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{version}/cXML.dtd">
<cXML payloadID="{payload}" timestamp="{timestamp}" xml:lang="{language}">
  <Header>
    <From>{from}</From>
    <To>{to}</To>
    <Sender>
      <Credential domain="{sender_domain}"><Identity>{sender_identity}</Identity><SharedSecret>{secret}</SharedSecret></Credential>
      <UserAgent>{user_agent}</UserAgent>
    </Sender>
  </Header>
  <Request deploymentMode="{mode}">
    <PunchOutSetupRequest operation="{operation}">
      <BuyerCookie>{cookie}</BuyerCookie>{extrinsics}
      <BrowserFormPost><URL>{return_url}</URL></BrowserFormPost>{contact}
      <SupplierSetup><URL>{setup_url}</URL></SupplierSetup>
      <ShipTo>
        <Address addressID="HQ" isoCountryCode="DE">
          <Name xml:lang="en">Head office</Name>
          <PostalAddress><Street>Hauptstr. 1</Street><City>Berlin</City><PostalCode>10115</PostalCode><Country isoCountryCode="DE">Germany</Country></PostalAddress>
        </Address>
      </ShipTo>{items}
    </PunchOutSetupRequest>
  </Request>
</cXML>
"#,
        version = escape(cxml.version.as_str()),
        payload = escape(envelope.payload_id.as_str()),
        timestamp = escape(envelope.timestamp.as_str()),
        language = escape(cxml.language.as_str()),
        from = credential(&cxml.from),
        to = credential(&cxml.to),
        sender_domain = escape(cxml.sender.domain.as_str()),
        sender_identity = escape(cxml.sender.identity.as_str()),
        secret = escape(cxml.shared_secret.expose()),
        user_agent = escape(cxml.user_agent.as_str()),
        mode = cxml.deployment_mode.as_str(),
        operation = escape(operation),
        cookie = escape(cookie),
        return_url = escape(return_url),
        setup_url = escape(setup_url),
        items = items_xml,
    )
}

/// The `ItemIn` lines of a received `PunchOutOrderMessage` as the `ItemOut` lines of a setup
/// request that reopens the cart (edit, inspect).
fn items_for_reopen(message: &str) -> String {
    let Some(start) = message.find("<ItemIn ") else {
        return String::new();
    };
    let end = message
        .rfind("</ItemIn>")
        .map_or(start, |end| end + "</ItemIn>".len());
    let items = message
        .get(start..end)
        .unwrap_or_default()
        .replace("<ItemIn ", "<ItemOut ")
        .replace("</ItemIn>", "</ItemOut>");
    format!("\n      {items}")
}

/// Decodes a posted form in a charset: `+` as space, percent-escapes as bytes of that charset.
fn form_fields(body: &[u8], charset: &str) -> Vec<(String, String)> {
    let decode = |raw: &[u8]| -> String {
        let spaced: Vec<u8> = raw
            .iter()
            .map(|&byte| if byte == b'+' { b' ' } else { byte })
            .collect();
        let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
        if charset == "iso-8859-1" {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    body.split(|&byte| byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |&byte| byte == b'=');
            let name = decode(parts.next().unwrap_or_default());
            let value = decode(parts.next().unwrap_or_default());
            (name, value)
        })
        .collect()
}

/// The return endpoint (OCI `HOOK_URL`, cXML `BrowserFormPost`, the Peppol form post): the cart
/// is stored as posted and the browser sent to its page.
async fn receive_cart(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    blocking(&app, move |app| {
        let punchout = match app.store.punchout(&id) {
            Ok(Some(punchout)) => punchout,
            Ok(None) => {
                return problem(app, StatusCode::NOT_FOUND, "unknown punch-out", "this procurement system started no punch-out with this return URL")
            }
            Err(error) => return problem(app, StatusCode::INTERNAL_SERVER_ERROR, "the store failed", &error.to_string()),
        };
        let Some(preset) = app.preset(&punchout.preset) else {
            return problem(app, StatusCode::NOT_FOUND, "unknown buyer preset", &punchout.preset);
        };
        let stored_body = match &preset.protocol {
            BuyerProtocol::Oci(_) => body.to_vec(),
            BuyerProtocol::Cxml(_) => {
                let fields = form_fields(&body, "utf-8");
                let message = fields.iter().find_map(|(name, value)| match name.as_str() {
                    "cxml-urlencoded" => Some(value.clone().into_bytes()),
                    "cxml-base64" => base64::engine::general_purpose::STANDARD.decode(value.trim()).ok(),
                    _ => None,
                });
                match message {
                    Some(message) => message,
                    None => {
                        return problem(
                            app,
                            StatusCode::BAD_REQUEST,
                            "no cart in the post",
                            "expected a form field `cxml-urlencoded` or `cxml-base64` holding the PunchOutOrderMessage",
                        )
                    }
                }
            }
            BuyerProtocol::Peppol(peppol) => {
                let fields = form_fields(&body, "utf-8");
                let value = fields.iter().find(|(name, _)| *name == peppol.form_field).map(|(_, value)| value.clone());
                let document = value.and_then(|value| {
                    if peppol.base64 {
                        base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()
                    } else {
                        Some(value.into_bytes())
                    }
                });
                match document {
                    Some(document) => document,
                    None => {
                        return problem(
                            app,
                            StatusCode::BAD_REQUEST,
                            "no cart in the post",
                            &format!("expected the form field `{}` holding the T77 cart{}", peppol.form_field, if peppol.base64 { " in base64" } else { "" }),
                        )
                    }
                }
            }
        };
        let cart = ReceivedCart {
            id: random_token(16),
            punchout_id: punchout.id.clone(),
            kind: punchout.protocol.clone(),
            body: stored_body,
            charset: punchout.charset.clone(),
            created_at: now(),
            order_document: None,
            order_answer: None,
        };
        if let Err(error) = app.store.put_received_cart(&cart) {
            return problem(app, StatusCode::INTERNAL_SERVER_ERROR, "the store failed", &error.to_string());
        }
        Redirect::to(&format!("/buyer/carts/{}", cart.id)).into_response()
    })
    .await
    .unwrap_or_else(|response| response)
}

/// A received cart with what the buyer's system makes of it.
struct Judgement {
    punchout: Punchout,
    preset: BuyerSystem,
    cart: ReceivedCart,
    verdict: Verdict,
}

/// `validate`: run the external validators (the cart page); the order and reopen steps need
/// only the lines.
fn judgement(app: &App, id: &str, validate: bool) -> Result<Judgement, Response> {
    let store_failed = |error: super::store::StoreError| {
        problem(
            app,
            StatusCode::INTERNAL_SERVER_ERROR,
            "the store failed",
            &error.to_string(),
        )
    };
    let cart = app
        .store
        .received_cart(id)
        .map_err(store_failed)?
        .ok_or_else(|| {
            problem(
                app,
                StatusCode::NOT_FOUND,
                "no such cart",
                "the procurement system received no cart with this id",
            )
        })?;
    let punchout = app
        .store
        .punchout(&cart.punchout_id)
        .map_err(store_failed)?
        .ok_or_else(|| {
            problem(
                app,
                StatusCode::NOT_FOUND,
                "unknown punch-out",
                &cart.punchout_id,
            )
        })?;
    let preset = app.preset(&punchout.preset).cloned().ok_or_else(|| {
        problem(
            app,
            StatusCode::NOT_FOUND,
            "unknown buyer preset",
            &punchout.preset,
        )
    })?;
    let judged = match &preset.protocol {
        BuyerProtocol::Oci(oci) => Judged::Oci {
            fields: form_fields(&cart.body, &cart.charset),
            version: oci.version,
        },
        BuyerProtocol::Cxml(_) => Judged::Cxml {
            message: cart.body.clone(),
        },
        BuyerProtocol::Peppol(_) => Judged::Peppol {
            document: cart.body.clone(),
        },
    };
    let expected = Expectation {
        buyer_cookie: (!punchout.buyer_cookie.is_empty()).then(|| punchout.buyer_cookie.clone()),
        currency: None,
    };
    let validators = Validators {
        spec_dir: if validate {
            app.options.spec_dir.clone()
        } else {
            None
        },
    };
    let verdict = buyer::judge(&judged, &expected, &validators);
    Ok(Judgement {
        punchout,
        preset,
        cart,
        verdict,
    })
}

#[derive(Serialize)]
struct LineView {
    number: usize,
    part_id: String,
    reference: Option<String>,
    description: String,
    quantity: String,
    unit: String,
    unit_price: String,
    amount: String,
    currency: String,
    classification: Option<String>,
}

#[derive(Serialize)]
struct CheckView {
    name: String,
    outcome: &'static str,
    reason: Option<String>,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct FindingView {
    severity: &'static str,
    message: String,
    location: String,
}

fn verdict_view(verdict: &Verdict) -> (Vec<LineView>, Vec<CheckView>, String, String) {
    let mut total = rust_decimal::Decimal::ZERO;
    let mut currency = String::new();
    let lines = verdict
        .lines
        .iter()
        .map(|line| {
            let amount = line.quantity.checked_mul(line.unit_price);
            if let Some(amount) = amount {
                total = total.checked_add(amount).unwrap_or(total);
            }
            currency.clone_from(&line.currency);
            LineView {
                number: line.number,
                part_id: line.part_id.clone(),
                reference: line.reference.clone(),
                description: line.description.clone(),
                quantity: line.quantity.normalize().to_string(),
                unit: line.unit.clone(),
                unit_price: line.unit_price.to_string(),
                amount: amount.map_or_else(|| "-".to_owned(), |amount| format!("{amount:.2}")),
                currency: line.currency.clone(),
                classification: line.classification.clone(),
            }
        })
        .collect();
    let checks = verdict
        .checks
        .iter()
        .map(|check| {
            let (outcome, reason) = match &check.outcome {
                Outcome::Passed => ("passed", None),
                Outcome::Failed => ("failed", None),
                Outcome::NotRun { reason } => ("not run", Some(reason.clone())),
            };
            CheckView {
                name: check.name.clone(),
                outcome,
                reason,
                findings: check
                    .findings
                    .iter()
                    .map(|finding| FindingView {
                        severity: match finding.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                        },
                        message: finding.message.clone(),
                        location: finding.location.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    (lines, checks, format!("{total:.2}"), currency)
}

async fn cart_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    blocking(&app, move |app| {
        let judgement = match judgement(app, &id, true) {
            Ok(judgement) => judgement,
            Err(response) => return response,
        };
        let (lines, checks, total, currency) = verdict_view(&judgement.verdict);
        let reopen: Vec<&str> = match &judgement.preset.protocol {
            BuyerProtocol::Cxml(cxml) => cxml
                .operations
                .iter()
                .map(|operation| operation.as_str())
                .filter(|operation| *operation != "create")
                .collect(),
            _ => Vec::new(),
        };
        let orders = !matches!(judgement.preset.protocol, BuyerProtocol::Oci(_));
        app.page(
            "buyer_cart.html",
            context! {
                id => id,
                buyer => judgement.preset.name,
                protocol => judgement.punchout.protocol,
                operation => judgement.punchout.operation,
                accepted => judgement.verdict.accepted(),
                lines => lines,
                checks => checks,
                total => total,
                currency => currency,
                reopen => reopen,
                orders => orders,
                ordered => judgement.cart.order_document.is_some(),
                document => String::from_utf8_lossy(&judgement.cart.body).into_owned(),
            },
        )
    })
    .await
    .unwrap_or_else(|response| response)
}

#[derive(Deserialize)]
struct ReopenForm {
    operation: String,
    #[serde(default)]
    window: String,
}

/// Reopens a received cXML cart in the shop (`edit` or `inspect`).
async fn reopen(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Form(form): Form<ReopenForm>,
) -> Response {
    let loaded = blocking(&app, move |app| {
        let judgement = judgement(app, &id, false)?;
        Ok::<_, Response>((
            judgement.preset,
            String::from_utf8_lossy(&judgement.cart.body).into_owned(),
        ))
    })
    .await;
    let (preset, message) = match loaded {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(response)) | Err(response) => return response,
    };
    let allowed = match &preset.protocol {
        BuyerProtocol::Cxml(cxml) => cxml
            .operations
            .iter()
            .any(|operation| operation.as_str() == form.operation && form.operation != "create"),
        _ => false,
    };
    if !allowed {
        return problem(
            &app,
            StatusCode::BAD_REQUEST,
            "this procurement system cannot reopen a cart that way",
            &format!("operation `{}`", form.operation),
        );
    }
    let punchout_id = random_token(16);
    cxml_punch_out(
        &app,
        &preset,
        &form.operation,
        Some(items_for_reopen(&message)),
        &punchout_id,
        form.window == "frame",
    )
    .await
}

/// "Approve with changes": per line `quantity-N`, `price-N`, `drop-N`; `shipping`.
async fn send_order(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let cart_id = id.clone();
    let prepared = blocking(&app, move |app| {
        let judgement = judgement(app, &id, false)?;
        let approval = approval(&judgement.verdict, &fields).map_err(|message| {
            problem(
                app,
                StatusCode::BAD_REQUEST,
                "the approval is not valid",
                &message,
            )
        })?;
        let order_id = format!("PO-{id}");
        let document = match &judgement.preset.protocol {
            BuyerProtocol::Cxml(cxml) => OrderDocument::Cxml {
                buyer: CxmlBuyer {
                    from: cxml.from.clone(),
                    to: cxml.to.clone(),
                    sender: cxml.sender.clone(),
                    shared_secret: cxml.shared_secret.expose().to_owned(),
                    user_agent: cxml.user_agent.clone(),
                },
                order_id: order_id.clone(),
            },
            _ => {
                return Err(problem(
                    app,
                    StatusCode::NOT_IMPLEMENTED,
                    "this procurement system sends no purchase order from here",
                    "an OCI buyer's order goes to the shop by another channel",
                ))
            }
        };
        let written = buyer::purchase_order(&document, &judgement.verdict.lines, &approval)
            .map_err(|error| {
                problem(
                    app,
                    StatusCode::BAD_REQUEST,
                    "the purchase order could not be written",
                    &format!("{error:#}"),
                )
            })?;
        Ok::<_, Response>(written)
    })
    .await;
    let document = match prepared {
        Ok(Ok(document)) => document,
        Ok(Err(response)) | Err(response) => return response,
    };
    let base = &app.options.base_url;
    let answer = match app
        .http
        .post(format!("{base}/shop/orders"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(document.clone())
        .send()
        .await
    {
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            format!("HTTP {}\n\n{body}", status.as_u16())
        }
        Err(error) => format!("the shop did not answer: {error}"),
    };
    let document = String::from_utf8_lossy(&document).into_owned();
    let saved = blocking(&app, move |app| {
        app.store
            .set_order_sent(&cart_id, &document, &answer)
            .map_err(|error| {
                problem(
                    app,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the store failed",
                    &error.to_string(),
                )
            })
            .map(|()| cart_id)
    })
    .await;
    match saved {
        Ok(Ok(cart_id)) => Redirect::to(&format!("/buyer/carts/{cart_id}/order")).into_response(),
        Ok(Err(response)) | Err(response) => response,
    }
}

/// Reads the approval form against the received lines.
fn approval(verdict: &Verdict, fields: &[(String, String)]) -> Result<Approval, String> {
    let field = |name: String| {
        fields
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.trim().to_owned())
    };
    let mut lines = Vec::new();
    for line in &verdict.lines {
        let number = line.number;
        let dropped = field(format!("drop-{number}")).is_some();
        let quantity = match field(format!("quantity-{number}")) {
            Some(text) if !dropped => Some(
                parse_decimal(&text)
                    .map_err(|_| format!("line {number}: expected a quantity, found `{text}`"))?,
            ),
            _ if dropped => None,
            _ => Some(line.quantity),
        };
        let unit_price = match field(format!("price-{number}")) {
            Some(text) => parse_decimal(&text)
                .map_err(|_| format!("line {number}: expected a price, found `{text}`"))?,
            None => line.unit_price,
        };
        lines.push(ApprovedLine {
            number,
            quantity,
            unit_price,
        });
    }
    let shipping = match field("shipping".to_owned()) {
        Some(text) if !text.is_empty() => Some(
            parse_decimal(&text)
                .map_err(|_| format!("shipping: expected an amount, found `{text}`"))?,
        ),
        _ => None,
    };
    Ok(Approval { lines, shipping })
}

/// The order sent: the document, the shop's answer, and the shop's reconciliation.
async fn order_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    blocking(&app, move |app| {
        let judgement = match judgement(app, &id, false) {
            Ok(judgement) => judgement,
            Err(response) => return response,
        };
        let order_id = format!("PO-{id}");
        let shop_order = app
            .store
            .orders_of(&judgement.preset.shop_profile.id)
            .ok()
            .and_then(|orders| orders.into_iter().find(|order| order.order_id == order_id));
        let (key, file) = match shop_order {
            Some(order) => (
                Some(order.idempotency_key.clone()),
                serde_json::from_str::<super::shop::OrderFile>(&order.order_json).ok(),
            ),
            None => (None, None),
        };
        app.page(
            "buyer_order.html",
            context! {
                id => id,
                buyer => judgement.preset.name,
                order_id => order_id,
                document => judgement.cart.order_document,
                answer => judgement.cart.order_answer,
                shop_order_key => key,
                reconciliation => file.as_ref().and_then(|file| file.reconciliation.as_ref()),
                redelivery => file.as_ref().map(|file| &file.redelivery),
            },
        )
    })
    .await
    .unwrap_or_else(|response| response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_form_fields_decode_as_latin1() {
        assert_eq!(
            form_fields(
                b"NEW_ITEM-DESCRIPTION%5B1%5D=Gr%FC%DFe+%80&x=",
                "iso-8859-1"
            ),
            vec![
                ("NEW_ITEM-DESCRIPTION[1]".to_owned(), "Grüße €".to_owned()),
                ("x".to_owned(), String::new())
            ]
        );
    }

    #[test]
    fn start_page_is_read_unescaped_from_a_200_answer() {
        let answer = r#"<cXML><Response><Status code="200" text="OK"/><PunchOutSetupResponse><StartPage><URL>http://h/shop/start?token=a&amp;b</URL></StartPage></PunchOutSetupResponse></Response></cXML>"#;
        assert_eq!(
            start_page(answer).as_deref(),
            Some("http://h/shop/start?token=a&b")
        );
        assert_eq!(start_page(&answer.replace("200", "401")), None);
    }
}
