//! The buyer side over HTTP: the procurement system that punches out (OCI call-up in the
//! browser, cXML `PunchOutSetupRequest` server to server, the Peppol entry), receives the cart
//! at its return endpoint, shows it with the [`buyer::judge`] verdict, and sends the purchase
//! order after "approve with changes".

// A refused request's answer is the page that says why: helpers return it as their error, an
// axum `Response` made once per request, never on a hot path.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use punchout_plugin::model::{parse_decimal, SetupOperation};
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
        .route("/buyer/carts/{id}/order/resend", post(resend_order))
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
    let window = Window::parse(&form.window);
    let id = random_token(16);
    let base = app.options.base_url.clone();
    let return_url = format!("{base}{RETURN_PATH}{id}");
    let refused = |error: anyhow::Error| {
        problem(
            &app,
            StatusCode::BAD_REQUEST,
            "the punch-out could not be written",
            &format!("{error:#}"),
        )
    };
    match &preset.protocol {
        BuyerProtocol::Oci(oci) => {
            let oci = with_charset(oci, &form.charset);
            let call_up = match buyer::oci_call_up(&oci, &format!("{base}/shop/oci"), &return_url) {
                Ok(call_up) => call_up,
                Err(error) => return refused(error),
            };
            let record = punchout_record(&id, &preset, "create", "", oci.charset.as_str());
            if let Err(response) = save_punchout(&app, record).await {
                return response;
            }
            let method = match call_up.method {
                CallUpMethod::Get => "get",
                CallUpMethod::Post => "post",
            };
            shop_opening(
                &app,
                window,
                ShopOpening::Form {
                    action: call_up.action,
                    method,
                    charset: call_up.charset.as_str(),
                    fields: call_up.fields,
                },
                &preset.name,
            )
        }
        BuyerProtocol::Cxml(_) => {
            cxml_punch_out(&app, &preset, SetupOperation::Create, &[], &id, window).await
        }
        BuyerProtocol::Peppol(_) => {
            let location = match buyer::peppol_start_url(
                &format!("{base}/shop/peppol"),
                &preset.shop_profile.id,
                &return_url,
            ) {
                Ok(location) => location,
                Err(error) => return refused(error),
            };
            let record = punchout_record(&id, &preset, "create", "", "utf-8");
            if let Err(response) = save_punchout(&app, record).await {
                return response;
            }
            shop_opening(&app, window, ShopOpening::Link(location), &preset.name)
        }
    }
}

/// The preset's OCI settings with the charset the user chose (`utf-8`, `iso-8859-1`), else its
/// own.
fn with_charset(oci: &buyer::OciBuyer, charset: &str) -> buyer::OciBuyer {
    let mut oci = oci.clone();
    match charset {
        "utf-8" => oci.charset = OciCharset::Utf8,
        "iso-8859-1" => oci.charset = OciCharset::Latin1,
        _ => {}
    }
    oci
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
        /// The charset the browser encodes the fields in (`accept-charset`).
        charset: &'static str,
        fields: Vec<(String, String)>,
    },
    /// A plain link (the cXML StartPage, the Peppol entry).
    Link(String),
}

/// Where the procurement system opens the shop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Window {
    /// This window.
    Page,
    /// An iframe of the procurement system's page.
    Frame,
    /// A window of its own, opened by the user's click.
    Popup,
}

impl Window {
    fn parse(text: &str) -> Self {
        match text {
            "frame" => Window::Frame,
            "popup" => Window::Popup,
            _ => Window::Page,
        }
    }
}

/// Opens the shop in this window, in an iframe of the buyer's page, or in a window of its own,
/// as procurement systems open catalogs.
fn shop_opening(app: &App, window: Window, opening: ShopOpening, buyer: &str) -> Response {
    let popup = window == Window::Popup;
    match opening {
        ShopOpening::Link(url) if window == Window::Page => Redirect::to(&url).into_response(),
        ShopOpening::Link(url) => app.page(
            "buyer_frame.html",
            context! { buyer => buyer, src => url, fields => (), action => "", popup => popup },
        ),
        ShopOpening::Form {
            action,
            method,
            charset,
            fields,
        } if window != Window::Page => app.page(
            "buyer_frame.html",
            context! { buyer => buyer, src => "", action => action, method => method, charset => charset, fields => fields, popup => popup },
        ),
        ShopOpening::Form {
            action,
            method,
            charset,
            fields,
        } => app.page(
            "auto_submit.html",
            context! {
                title => format!("{buyer}: opening the catalog"),
                note => "the procurement system calls the catalog up (OCI)",
                action => action,
                method => method,
                target => "_self",
                charset => charset,
                fields => fields,
            },
        ),
    }
}

/// A cXML punch-out: the setup request posted to the shop server to server, then the browser
/// sent to the StartPage of its answer.
async fn cxml_punch_out(
    app: &Arc<App>,
    preset: &BuyerSystem,
    operation: SetupOperation,
    items: &[buyer::ReceivedLine],
    id: &str,
    window: Window,
) -> Response {
    let BuyerProtocol::Cxml(cxml) = &preset.protocol else {
        return problem(app, StatusCode::BAD_REQUEST, "not a cXML buyer", &preset.id);
    };
    let base = &app.options.base_url;
    let setup = match buyer::cxml_setup_request(
        cxml,
        operation,
        &format!("{base}{RETURN_PATH}{id}"),
        &format!("{base}/shop/cxml/setup"),
        items,
        &crate::new_envelope("buyer.punchout-serve.localhost"),
    ) {
        Ok(setup) => setup,
        Err(error) => {
            return problem(
                app,
                StatusCode::BAD_REQUEST,
                "the setup request could not be written",
                &format!("{error:#}"),
            )
        }
    };
    let record = punchout_record(id, preset, operation.as_str(), &setup.buyer_cookie, "utf-8");
    if let Err(response) = save_punchout(app, record).await {
        return response;
    }
    let request = setup.document;
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
        Some(url) => shop_opening(app, window, ShopOpening::Link(url), &preset.name),
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
                return problem(
                    app,
                    StatusCode::NOT_FOUND,
                    "unknown punch-out",
                    "this procurement system started no punch-out with this return URL",
                )
            }
            Err(error) => {
                return problem(
                    app,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the store failed",
                    &error.to_string(),
                )
            }
        };
        let Some(preset) = app.preset(&punchout.preset) else {
            return problem(
                app,
                StatusCode::NOT_FOUND,
                "unknown buyer preset",
                &punchout.preset,
            );
        };
        // The cXML message and the T77 are kept decoded; the OCI form as posted, in its charset.
        let read = match &preset.protocol {
            BuyerProtocol::Oci(_) => Ok(body.to_vec()),
            BuyerProtocol::Cxml(_) => buyer::oci_fields_from_body(&body, OciCharset::Utf8)
                .and_then(|fields| buyer::cxml_from_form(&fields))
                .map(|cart| match cart {
                    Judged::Cxml { message } => message,
                    _ => Vec::new(),
                }),
            BuyerProtocol::Peppol(peppol) => buyer::oci_fields_from_body(&body, OciCharset::Utf8)
                .and_then(|fields| {
                    buyer::peppol_from_form(&fields, &peppol.form_field, peppol.base64)
                })
                .map(|cart| match cart {
                    Judged::Peppol { document } => document,
                    _ => Vec::new(),
                }),
        };
        let stored_body = match read {
            Ok(stored) => stored,
            Err(error) => {
                return problem(
                    app,
                    StatusCode::BAD_REQUEST,
                    "no cart in the post",
                    &format!("{error:#}"),
                )
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
            return problem(
                app,
                StatusCode::INTERNAL_SERVER_ERROR,
                "the store failed",
                &error.to_string(),
            );
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
    let mut expected = Expectation {
        buyer_cookie: (!punchout.buyer_cookie.is_empty()).then(|| punchout.buyer_cookie.clone()),
        operation: SetupOperation::parse(&punchout.operation),
        ..Expectation::default()
    };
    let judged = match &preset.protocol {
        BuyerProtocol::Oci(oci) => {
            let charset = if cart.charset == "iso-8859-1" {
                OciCharset::Latin1
            } else {
                OciCharset::Utf8
            };
            // The call-up is written again (it is the same for the same punch-out) for the
            // HOOK_URL parameters the form must post back.
            let return_url = format!("{}{RETURN_PATH}{}", app.options.base_url, punchout.id);
            let oci = with_charset(oci, charset.as_str());
            if let Ok(call_up) = buyer::oci_call_up(
                &oci,
                &format!("{}/shop/oci", app.options.base_url),
                &return_url,
            ) {
                expected.hook_url_parameters = call_up.hook_url_parameters();
            }
            match buyer::oci_from_body(&cart.body, charset, oci.version) {
                Ok(judged) => judged,
                Err(error) => {
                    return Err(problem(
                        app,
                        StatusCode::BAD_REQUEST,
                        "the OCI form cannot be read",
                        &format!("{error:#}"),
                    ))
                }
            }
        }
        BuyerProtocol::Cxml(cxml) => {
            expected.buyer = Some(cxml.from.clone());
            expected.supplier = Some(cxml.to.clone());
            Judged::Cxml {
                message: cart.body.clone(),
            }
        }
        BuyerProtocol::Peppol(_) => Judged::Peppol {
            document: cart.body.clone(),
        },
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
                classification: line
                    .classification
                    .as_ref()
                    .map(|class| format!("{} {}", class.domain, class.code)),
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
        Ok::<_, Response>((judgement.preset, judgement.verdict.lines))
    })
    .await;
    let (preset, lines) = match loaded {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(response)) | Err(response) => return response,
    };
    let operation = SetupOperation::parse(&form.operation)
        .filter(|operation| *operation != SetupOperation::Create);
    let allowed = match (&preset.protocol, operation) {
        (BuyerProtocol::Cxml(cxml), Some(operation)) => cxml.operations.contains(&operation),
        _ => false,
    };
    let (true, Some(operation)) = (allowed, operation) else {
        return problem(
            &app,
            StatusCode::BAD_REQUEST,
            "this procurement system cannot reopen a cart that way",
            &format!("operation `{}`", form.operation),
        );
    };
    let punchout_id = random_token(16);
    cxml_punch_out(
        &app,
        &preset,
        operation,
        &lines,
        &punchout_id,
        Window::parse(&form.window),
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
        let envelope = crate::new_envelope("buyer.punchout-serve.localhost");
        let document = match &judgement.preset.protocol {
            BuyerProtocol::Cxml(cxml) => OrderDocument::Cxml {
                buyer: CxmlBuyer::from(cxml),
                order_id,
                envelope,
            },
            BuyerProtocol::Peppol(peppol) => OrderDocument::Peppol {
                buyer: peppol.clone(),
                order_id,
                envelope,
            },
            BuyerProtocol::Oci(_) => {
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
    deliver_order(&app, cart_id, document).await
}

/// Posts a purchase order to the shop's order endpoint, keeps it with the shop's answer, and
/// shows both.
async fn deliver_order(app: &Arc<App>, cart_id: String, document: Vec<u8>) -> Response {
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
    let saved = blocking(app, move |app| {
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

/// Sends the same purchase order again, byte for byte, as a procurement system retries after a
/// timeout: the shop must recognise it.
async fn resend_order(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let cart_id = id.clone();
    let stored = blocking(&app, move |app| {
        app.store
            .received_cart(&id)
            .ok()
            .flatten()
            .and_then(|cart| cart.order_document)
    })
    .await;
    match stored {
        Ok(Some(document)) => deliver_order(&app, cart_id, document.into_bytes()).await,
        Ok(None) => problem(
            &app,
            StatusCode::NOT_FOUND,
            "no purchase order to send again",
            "approve the cart first",
        ),
        Err(response) => response,
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
    fn start_page_is_read_unescaped_from_a_200_answer() {
        let answer = r#"<cXML><Response><Status code="200" text="OK"/><PunchOutSetupResponse><StartPage><URL>http://h/shop/start?token=a&amp;b</URL></StartPage></PunchOutSetupResponse></Response></cXML>"#;
        assert_eq!(
            start_page(answer).as_deref(),
            Some("http://h/shop/start?token=a&b")
        );
        assert_eq!(start_page(&answer.replace("200", "401")), None);
    }
}
