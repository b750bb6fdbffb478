//! The demo shop: its PunchOut endpoints (cXML setup, OCI call-up, Peppol entry, the start URL,
//! the order endpoint), its catalog and cart, and "transfer cart to procurement". Every protocol
//! step runs through the engine.
//!
//! The session is carried in the URL (`/shop/s/{key}/…`): the start URL's one-time token becomes
//! a random key, kept by the store only as its hash. No cookie is set, so the shop works in a
//! cross-site iframe and in a popup alike.

// A refused request's answer is the page that says why: helpers return it as their error, an
// axum `Response` made once per request, never on a hot path.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine as _;
use minijinja::context;
use punchout_plugin::model::{parse_decimal, Cart, Session, SetupOperation};
use punchout_plugin::oci::OciSession;
use punchout_plugin::order::redelivery::{OrderRecord, RedeliveryOutcome};
use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::peppol::order_response::OrderResponseDecision;
use serde::{Deserialize, Serialize};

use super::store::{
    secret_hash, OrderInsert, ReceivedOrder, ReturnedCart, ShopSession, StartGrant, TokenUse,
};
use super::{blocking, catalog, now, random_token, App, SHOP_SESSION_SECONDS, START_TOKEN_SECONDS};
use crate::CallError;

/// Who the shop is serving, by protocol: the engine's session of the punch-out.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum BuyerSession {
    Cxml { session: Box<Session> },
    Oci { session: OciSession },
    Peppol { return_url: String },
}

impl BuyerSession {
    fn protocol(&self) -> &'static str {
        match self {
            BuyerSession::Cxml { .. } => "cxml",
            BuyerSession::Oci { .. } => "oci",
            BuyerSession::Peppol { .. } => "peppol",
        }
    }

    fn operation(&self) -> SetupOperation {
        match self {
            BuyerSession::Cxml { session } => session.operation,
            _ => SetupOperation::Create,
        }
    }

    fn return_url(&self) -> &str {
        match self {
            BuyerSession::Cxml { session } => &session.return_url,
            BuyerSession::Oci { session } => &session.hook_url,
            BuyerSession::Peppol { return_url } => return_url,
        }
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/shop/cxml/setup", post(cxml_setup))
        .route("/shop/oci", get(oci_call_up_get).post(oci_call_up_post))
        .route("/shop/peppol", get(peppol_entry))
        .route("/shop/start", get(start))
        .route("/shop/s/{key}", get(catalog_page))
        .route("/shop/s/{key}/add", post(add_to_cart))
        .route("/shop/s/{key}/update", post(update_cart))
        .route("/shop/s/{key}/transfer", post(transfer))
        .route("/shop/orders", post(receive_order).get(orders_page))
        .route("/shop/orders/{key}", get(order_page))
}

fn xml_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn envelope() -> punchout_plugin::model::Envelope {
    crate::new_envelope("shop.punchout-serve.localhost")
}

/// Opens a shop session for an accepted punch-out and sends the browser to the catalog.
fn open_session(
    app: &App,
    profile_id: &str,
    buyer: &BuyerSession,
    cart: &Cart,
) -> Result<String, Response> {
    let key = random_token(43);
    let session = ShopSession {
        key_hash: secret_hash(&key),
        profile_id: profile_id.to_owned(),
        protocol: buyer.protocol().to_owned(),
        session_json: serde_json::to_string(buyer).map_err(|error| internal(app, &error))?,
        cart_json: serde_json::to_string(cart).map_err(|error| internal(app, &error))?,
        expires_at: now().saturating_add(SHOP_SESSION_SECONDS),
    };
    app.store
        .put_shop_session(&session)
        .map_err(|error| internal(app, &error))?;
    Ok(format!("/shop/s/{key}"))
}

fn internal(app: &App, error: &dyn std::fmt::Display) -> Response {
    app.problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the shop failed",
        &error.to_string(),
    )
}

/// The cXML setup endpoint: identify the buyer among the cXML profiles, authenticate, answer
/// with the start URL (its one-time token minted by the engine, stored only as its hash).
async fn cxml_setup(State(app): State<Arc<App>>, body: Bytes) -> Response {
    blocking(&app, move |app| {
        let envelope = envelope();
        let refused = |error: CallError| match error {
            CallError::Rejected(error) => match app.engine.cxml_error_response(&error, &envelope) {
                Ok(response) => xml_response(StatusCode::OK, response),
                Err(failed) => internal(app, &failed),
            },
            other => internal(app, &other),
        };
        let profile = match app.engine.cxml_identify(&body) {
            Ok(profile) => profile,
            Err(error) => return refused(error),
        };
        let start_url = format!("{}/shop/start?token={{token}}", app.options.base_url);
        let accepted = match app
            .engine
            .cxml_setup(&profile, &body, &start_url, &envelope)
        {
            Ok(accepted) => accepted,
            Err(error) => return refused(error),
        };
        let mut session = accepted.session;
        let Some(token) = session.start_token.take() else {
            return internal(app, &"the engine minted no start token");
        };
        let grant = StartGrant {
            token_hash: secret_hash(&token),
            profile_id: profile,
            protocol: "cxml".to_owned(),
            session_json: match serde_json::to_string(&BuyerSession::Cxml {
                session: Box::new(session),
            }) {
                Ok(json) => json,
                Err(error) => return internal(app, &error),
            },
            expires_at: now().saturating_add(START_TOKEN_SECONDS),
        };
        if let Err(error) = app.store.put_start(&grant) {
            return internal(app, &error);
        }
        xml_response(StatusCode::OK, accepted.response)
    })
    .await
    .unwrap_or_else(|response| response)
}

#[derive(Deserialize)]
struct StartQuery {
    #[serde(default)]
    token: String,
}

/// The start URL: the one-time token becomes the shop session (once, before it expires).
async fn start(State(app): State<Arc<App>>, Query(query): Query<StartQuery>) -> Response {
    blocking(&app, move |app| {
        let taken = match app.store.take_start(&secret_hash(&query.token), now()) {
            Ok(taken) => taken,
            Err(error) => return internal(app, &error),
        };
        let grant = match taken {
            TokenUse::Granted(grant) => grant,
            TokenUse::AlreadyUsed => {
                return app.problem(
                    StatusCode::GONE,
                    "this start link was already used",
                    "a start URL opens the shop once; punch out again from the procurement system",
                )
            }
            TokenUse::Expired => {
                return app.problem(
                    StatusCode::GONE,
                    "this start link has expired",
                    "a start URL is valid for five minutes; punch out again from the procurement system",
                )
            }
            TokenUse::Unknown => {
                return app.problem(
                    StatusCode::NOT_FOUND,
                    "unknown start link",
                    "the shop issued no such start URL",
                )
            }
        };
        let buyer: BuyerSession = match serde_json::from_str(&grant.session_json) {
            Ok(buyer) => buyer,
            Err(error) => return internal(app, &error),
        };
        let cart = match restored_cart(app, &buyer) {
            Ok(cart) => cart,
            Err(error) => return internal(app, &error),
        };
        match open_session(app, &grant.profile_id, &buyer, &cart) {
            Ok(location) => Redirect::to(&location).into_response(),
            Err(response) => response,
        }
    })
    .await
    .unwrap_or_else(|response| response)
}

/// The cart of an `edit` or `inspect` setup: the shop's own lines of the cart it returned,
/// found by reference, with the buyer's quantities; lines it cannot find are taken as the
/// buyer sent them.
fn restored_cart(app: &App, buyer: &BuyerSession) -> anyhow::Result<Cart> {
    let mut cart = app.catalog.empty_cart();
    let BuyerSession::Cxml { session } = buyer else {
        return Ok(cart);
    };
    for item in &session.items {
        let returned = match returned_cart_id(&item.line_ref) {
            Some(id) => app.store.returned_cart(id)?,
            None => None,
        };
        let original = returned
            .and_then(|returned| serde_json::from_str::<Cart>(&returned.cart_json).ok())
            .and_then(|returned| {
                returned
                    .lines
                    .into_iter()
                    .find(|line| line.line_ref == item.line_ref)
            });
        let mut line = original
            .or_else(|| {
                app.catalog
                    .product(&item.sku)
                    .map(|product| app.catalog.line(product, rust_decimal::Decimal::ONE))
            })
            .unwrap_or_else(|| item.clone());
        line.quantity.clone_from(&item.quantity);
        line.line_ref = String::new();
        cart.lines.push(line);
    }
    Ok(cart)
}

/// The returned cart a line reference points to: the shop writes `{cart id}-{line}`.
fn returned_cart_id(line_ref: &str) -> Option<&str> {
    line_ref.rsplit_once('-').map(|(id, _)| id)
}

/// The OCI call-up by GET: the query string is the call-up.
async fn oci_call_up_get(State(app): State<Arc<App>>, uri: axum::http::Uri) -> Response {
    let body = uri.query().unwrap_or_default().as_bytes().to_vec();
    oci_call_up(app, body).await
}

async fn oci_call_up_post(State(app): State<Arc<App>>, body: Bytes) -> Response {
    oci_call_up(app, body.to_vec()).await
}

/// The OCI call-up: the buyer is the OCI profile whose credential is the `USERNAME`; the
/// engine authenticates it and checks the `HOOK_URL`. The browser is the caller, so the session
/// opens at once.
async fn oci_call_up(app: Arc<App>, body: Vec<u8>) -> Response {
    blocking(&app, move |app| {
        let parameters: Vec<(String, String)> = url::form_urlencoded::parse(&body)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        let profile = app.profiles.iter().find(|profile| {
            profile.protocol == "oci"
                && parameters.iter().any(|(name, value)| {
                    *name == profile.username_parameter
                        && profile
                            .credentials
                            .iter()
                            .any(|(domain, identity)| domain == "oci" && identity == value)
                })
        });
        let Some(profile) = profile else {
            return app.problem(
                StatusCode::UNAUTHORIZED,
                "the call-up was refused",
                "no OCI buyer of this shop has this user name, or the password is wrong",
            );
        };
        match app.engine.oci_call_up(&profile.id, &body) {
            Ok(call_up) => {
                let buyer = BuyerSession::Oci {
                    session: call_up.session,
                };
                match open_session(app, &profile.id, &buyer, &app.catalog.empty_cart()) {
                    Ok(location) => Redirect::to(&location).into_response(),
                    Err(response) => response,
                }
            }
            Err(CallError::Rejected(error)) => {
                let status = match error.code() {
                    punchout_plugin::ErrorCode::AuthenticationFailed
                    | punchout_plugin::ErrorCode::UnknownBuyer => StatusCode::UNAUTHORIZED,
                    _ => StatusCode::BAD_REQUEST,
                };
                app.problem(
                    status,
                    "the call-up was refused",
                    &format!("{} ({})", error, error.code().as_str()),
                )
            }
            Err(other) => internal(app, &other),
        }
    })
    .await
    .unwrap_or_else(|response| response)
}

#[derive(Deserialize)]
struct PeppolEntry {
    #[serde(default)]
    buyer: String,
    #[serde(default)]
    return_url: String,
}

/// The Peppol entry: BIS Punch Out defines no setup message, so the buyer's browser opens the
/// shop with its profile id and return URL; the engine checks the URL when the cart goes back.
async fn peppol_entry(State(app): State<Arc<App>>, Query(entry): Query<PeppolEntry>) -> Response {
    blocking(&app, move |app| {
        let known = app
            .profile(&entry.buyer)
            .is_some_and(|profile| profile.protocol == "peppol");
        if !known {
            return app.problem(
                StatusCode::NOT_FOUND,
                "unknown Peppol buyer",
                &format!("no Peppol buyer profile `{}`", entry.buyer),
            );
        }
        let buyer = BuyerSession::Peppol {
            return_url: entry.return_url,
        };
        match open_session(app, &entry.buyer, &buyer, &app.catalog.empty_cart()) {
            Ok(location) => Redirect::to(&location).into_response(),
            Err(response) => response,
        }
    })
    .await
    .unwrap_or_else(|response| response)
}

/// A live shop session and its parts, or the page that says it is gone.
struct Live {
    key_hash: String,
    session: ShopSession,
    buyer: BuyerSession,
    cart: Cart,
}

fn live(app: &App, key: &str) -> Result<Live, Response> {
    let key_hash = secret_hash(key);
    let session = app
        .store
        .shop_session(&key_hash, now())
        .map_err(|error| internal(app, &error))?
        .ok_or_else(|| {
            app.problem(
                StatusCode::NOT_FOUND,
                "this shop session has ended",
                "punch out again from the procurement system",
            )
        })?;
    let buyer =
        serde_json::from_str(&session.session_json).map_err(|error| internal(app, &error))?;
    let cart = serde_json::from_str(&session.cart_json).map_err(|error| internal(app, &error))?;
    Ok(Live {
        key_hash,
        session,
        buyer,
        cart,
    })
}

async fn catalog_page(State(app): State<Arc<App>>, Path(key): Path<String>) -> Response {
    blocking(&app, move |app| {
        let live = match live(app, &key) {
            Ok(live) => live,
            Err(response) => return response,
        };
        let profile = app.profile(&live.session.profile_id);
        app.page(
            "shop_catalog.html",
            context! {
                key => key,
                buyer_name => profile.map_or(live.session.profile_id.as_str(), |profile| profile.name.as_str()),
                protocol => live.buyer.protocol(),
                operation => live.buyer.operation().as_str(),
                read_only => live.buyer.operation() == SetupOperation::Inspect,
                return_url => live.buyer.return_url(),
                catalog => &app.catalog,
                cart => catalog::view(&live.cart),
                faults => FAULTS,
            },
        )
    })
    .await
    .unwrap_or_else(|response| response)
}

#[derive(Deserialize)]
struct AddToCart {
    sku: String,
    #[serde(default = "one")]
    quantity: String,
}

fn one() -> String {
    "1".to_owned()
}

async fn add_to_cart(
    State(app): State<Arc<App>>,
    Path(key): Path<String>,
    Form(form): Form<AddToCart>,
) -> Response {
    blocking(&app, move |app| {
        let mut live = match live(app, &key) {
            Ok(live) => live,
            Err(response) => return response,
        };
        if live.buyer.operation() == SetupOperation::Inspect {
            return app.problem(
                StatusCode::FORBIDDEN,
                "the cart is read-only",
                "the procurement system opened it to inspect",
            );
        }
        let Some(product) = app.catalog.product(&form.sku).cloned() else {
            return app.problem(
                StatusCode::BAD_REQUEST,
                "unknown product",
                &format!("no product `{}`", form.sku),
            );
        };
        let quantity = match parse_decimal(form.quantity.trim()) {
            Ok(quantity) if quantity > rust_decimal::Decimal::ZERO => quantity,
            _ => {
                return app.problem(
                    StatusCode::BAD_REQUEST,
                    "invalid quantity",
                    &format!("expected a number above zero, found `{}`", form.quantity),
                )
            }
        };
        if let Err(error) = catalog::add(&mut live.cart, &app.catalog, &product, quantity) {
            return app.problem(
                StatusCode::BAD_REQUEST,
                "invalid quantity",
                &error.to_string(),
            );
        }
        save_cart(app, &key, &live)
    })
    .await
    .unwrap_or_else(|response| response)
}

fn save_cart(app: &App, key: &str, live: &Live) -> Response {
    let json = match serde_json::to_string(&live.cart) {
        Ok(json) => json,
        Err(error) => return internal(app, &error),
    };
    match app.store.set_shop_cart(&live.key_hash, &json) {
        Ok(()) => Redirect::to(&format!("/shop/s/{key}#cart")).into_response(),
        Err(error) => internal(app, &error),
    }
}

/// The cart's quantities (`quantity-N`) and removals (`remove-N`), as the cart form posts them.
async fn update_cart(
    State(app): State<Arc<App>>,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    blocking(&app, move |app| {
        let mut live = match live(app, &key) {
            Ok(live) => live,
            Err(response) => return response,
        };
        if live.buyer.operation() == SetupOperation::Inspect {
            return app.problem(
                StatusCode::FORBIDDEN,
                "the cart is read-only",
                "the procurement system opened it to inspect",
            );
        }
        let mut removed = Vec::new();
        for (name, value) in &fields {
            if let Some(index) = name
                .strip_prefix("quantity-")
                .and_then(|n| n.parse::<usize>().ok())
            {
                let Some(line) = live.cart.lines.get_mut(index) else {
                    continue;
                };
                match parse_decimal(value.trim()) {
                    Ok(quantity) if quantity > rust_decimal::Decimal::ZERO => {
                        line.quantity = quantity.normalize().to_string();
                    }
                    Ok(_) => removed.push(index),
                    Err(_) => {
                        return app.problem(
                            StatusCode::BAD_REQUEST,
                            "invalid quantity",
                            &format!("line {}: expected a number, found `{value}`", index + 1),
                        )
                    }
                }
            } else if let Some(index) = name
                .strip_prefix("remove-")
                .and_then(|n| n.parse::<usize>().ok())
            {
                removed.push(index);
            }
        }
        let mut index = 0;
        live.cart.lines.retain(|_| {
            let keep = !removed.contains(&index);
            index += 1;
            keep
        });
        save_cart(app, &key, &live)
    })
    .await
    .unwrap_or_else(|response| response)
}

/// Deliberate defects the shop can put into a returned cart, to see the buyer's verdict name
/// them: `(value, label)`.
pub const FAULTS: &[(&str, &str)] = &[
    ("", "none: the cart as the engine writes it"),
    ("invalid-unit", "an invalid unit of measure on line 1"),
    ("long-field", "an over-long description on line 1"),
    (
        "tampered-total",
        "a tampered total (cXML) or price (OCI, Peppol)",
    ),
];

#[derive(Deserialize)]
struct Transfer {
    #[serde(default)]
    fault: String,
}

/// "Transfer cart to procurement": the engine writes the cart for the buyer's protocol, the
/// shop records it (to reconcile the order later), and the browser gets the page that posts it.
async fn transfer(
    State(app): State<Arc<App>>,
    Path(key): Path<String>,
    Form(form): Form<Transfer>,
) -> Response {
    blocking(&app, move |app| {
        let live = match live(app, &key) {
            Ok(live) => live,
            Err(response) => return response,
        };
        let cart_id = random_token(12);
        let mut cart = live.cart.clone();
        for (index, line) in cart.lines.iter_mut().enumerate() {
            line.line_ref = format!("{cart_id}-{}", index + 1);
        }
        let profile = live.session.profile_id.as_str();
        let written = match &live.buyer {
            BuyerSession::Cxml { session } => app
                .engine
                .cxml_cart_return(profile, session, &cart, &envelope())
                .map(|both| {
                    (
                        both.message,
                        both.form_html.into_bytes(),
                        "utf-8".to_owned(),
                    )
                }),
            BuyerSession::Oci { session } => {
                app.engine
                    .oci_cart_form(profile, session, &cart)
                    .map(|page| {
                        let charset = page.charset.as_str().to_owned();
                        (String::new(), page.body, charset)
                    })
            }
            BuyerSession::Peppol { return_url } => app
                .engine
                .peppol_cart(profile, &cart, &envelope(), return_url)
                .map(|delivery| {
                    (
                        delivery.document,
                        delivery.form_html.unwrap_or_default().into_bytes(),
                        "utf-8".to_owned(),
                    )
                }),
        };
        let (document, page, charset) = match written {
            Ok(written) => written,
            Err(CallError::Rejected(error)) => {
                return app.problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the engine refused the cart",
                    &format!("{error} ({})", error.code().as_str()),
                )
            }
            Err(other) => return internal(app, &other),
        };
        let returned = ReturnedCart {
            id: cart_id,
            profile_id: profile.to_owned(),
            protocol: live.buyer.protocol().to_owned(),
            cart_json: serde_json::to_string(&cart).unwrap_or_default(),
            session_json: live.session.session_json.clone(),
            document: if document.is_empty() {
                encoding_rs::WINDOWS_1252.decode(&page).0.into_owned()
            } else {
                document
            },
            created_at: now(),
        };
        if let Err(error) = app.store.put_returned_cart(&returned) {
            return internal(app, &error);
        }
        if page.is_empty() {
            return app.problem(
                StatusCode::NOT_IMPLEMENTED,
                "this buyer takes the cart by a server-to-server post",
                "the demo shop returns carts in the browser only",
            );
        }
        if !form.fault.is_empty() {
            return faulty_form(app, &page, &charset, &form.fault);
        }
        (
            [(
                header::CONTENT_TYPE,
                format!("text/html; charset={charset}"),
            )],
            page,
        )
            .into_response()
    })
    .await
    .unwrap_or_else(|response| response)
}

/// The engine's cart page with one deliberate defect: its form read back, one field changed,
/// and posted by the shop's own page (in the buyer's charset, through `accept-charset`).
fn faulty_form(app: &App, page: &[u8], charset: &str, fault: &str) -> Response {
    let html = if charset == "utf-8" {
        String::from_utf8_lossy(page).into_owned()
    } else {
        encoding_rs::WINDOWS_1252.decode(page).0.into_owned()
    };
    let document = scraper::Html::parse_document(&html);
    let (Ok(forms), Ok(inputs)) = (
        scraper::Selector::parse("form"),
        scraper::Selector::parse("input[name], textarea[name]"),
    ) else {
        return internal(app, &"selector");
    };
    let Some(form) = document.select(&forms).next() else {
        return internal(app, &"the engine's page has no form");
    };
    let action = form.value().attr("action").unwrap_or_default().to_owned();
    let target = form.value().attr("target").unwrap_or_default().to_owned();
    let mut fields: Vec<(String, String)> = form
        .select(&inputs)
        .filter(|input| input.value().attr("type") != Some("submit"))
        .map(|input| {
            let name = input.value().attr("name").unwrap_or_default().to_owned();
            let value = if input.value().name() == "textarea" {
                input.text().collect()
            } else {
                input.value().attr("value").unwrap_or_default().to_owned()
            };
            (name, value)
        })
        .collect();
    for (name, value) in &mut fields {
        if let Some(changed) = break_field(name, value, fault) {
            *value = changed;
        }
    }
    app.page(
        "auto_submit.html",
        context! {
            title => "Returning the cart (with a deliberate defect)",
            note => format!("the simulator put a deliberate defect into this cart: {fault}"),
            action => action,
            target => target,
            charset => charset,
            fields => fields,
        },
    )
}

/// One field with the defect, when the field is the place of it.
fn break_field(name: &str, value: &str, fault: &str) -> Option<String> {
    match (fault, name) {
        ("invalid-unit", "NEW_ITEM-UNIT[1]") => Some("XX9".to_owned()),
        ("long-field", "NEW_ITEM-DESCRIPTION[1]") => {
            Some(format!("{value} {}", "extra-long ".repeat(6)))
        }
        ("tampered-total", "NEW_ITEM-PRICE[1]") => Some(tamper_amount(value)),
        (_, "cxml-urlencoded") => Some(break_xml(value, fault)),
        (_, "cxml-base64") => {
            let xml = base64::engine::general_purpose::STANDARD
                .decode(value)
                .ok()?;
            let broken = break_xml(&String::from_utf8_lossy(&xml), fault);
            Some(base64::engine::general_purpose::STANDARD.encode(broken))
        }
        (_, _) if looks_like_base64_xml(value) => {
            let xml = base64::engine::general_purpose::STANDARD
                .decode(value)
                .ok()?;
            let broken = break_xml(&String::from_utf8_lossy(&xml), fault);
            Some(base64::engine::general_purpose::STANDARD.encode(broken))
        }
        (_, _) if value.trim_start().starts_with("<?xml") => Some(break_xml(value, fault)),
        _ => None,
    }
}

fn looks_like_base64_xml(value: &str) -> bool {
    // `<?xml` in base64.
    value.starts_with("PD94bWw")
}

fn tamper_amount(amount: &str) -> String {
    parse_decimal(amount)
        .ok()
        .and_then(|amount| amount.checked_add(rust_decimal::Decimal::TEN))
        .map_or_else(|| "10.00".to_owned(), |amount| amount.to_string())
}

/// The defect in an XML cart: the first unit, the first description, or the total (cXML) or
/// first price (Peppol) changed in place.
fn break_xml(xml: &str, fault: &str) -> String {
    let replace_text = |xml: &str, open: &str, close: &str, change: &dyn Fn(&str) -> String| {
        let Some(start) = xml.find(open) else {
            return xml.to_owned();
        };
        let Some(tag_end) = xml[start..].find('>').map(|end| start + end + 1) else {
            return xml.to_owned();
        };
        let Some(stop) = xml[tag_end..].find(close).map(|end| tag_end + end) else {
            return xml.to_owned();
        };
        format!(
            "{}{}{}",
            &xml[..tag_end],
            change(&xml[tag_end..stop]),
            &xml[stop..]
        )
    };
    match fault {
        "invalid-unit" if xml.contains("<UnitOfMeasure>") => {
            replace_text(xml, "<UnitOfMeasure", "</UnitOfMeasure>", &|_| {
                "XX9".to_owned()
            })
        }
        "invalid-unit" => {
            // UBL: the first unitCode attribute.
            match xml.find("unitCode=\"") {
                Some(at) => {
                    let value_start = at + "unitCode=\"".len();
                    let value_end = xml[value_start..]
                        .find('"')
                        .map_or(value_start, |end| value_start + end);
                    format!("{}XX9{}", &xml[..value_start], &xml[value_end..])
                }
                None => xml.to_owned(),
            }
        }
        "long-field" if xml.contains("<ShortName") => {
            replace_text(xml, "<ShortName", "</ShortName>", &|text| {
                format!("{text} {}", "extra-long ".repeat(6))
            })
        }
        "long-field" if xml.contains("<Description") => {
            replace_text(xml, "<Description", "</Description>", &|text| {
                format!("{text} {}", "extra-long ".repeat(40))
            })
        }
        "long-field" => replace_text(xml, "<cbc:Name", "</cbc:Name>", &|text| {
            format!("{text} {}", "extra-long ".repeat(40))
        }),
        "tampered-total" if xml.contains("<Total>") => {
            let Some(total) = xml.find("<Total>") else {
                return xml.to_owned();
            };
            let head = &xml[..total];
            let tail = replace_text(&xml[total..], "<Money", "</Money>", &|amount| {
                tamper_amount(amount)
            });
            format!("{head}{tail}")
        }
        "tampered-total" => {
            replace_text(xml, "<cbc:PriceAmount", "</cbc:PriceAmount>", &|amount| {
                tamper_amount(amount)
            })
        }
        _ => xml.to_owned(),
    }
}

/// The order endpoint: a cXML `OrderRequest` or a Peppol Order (T01), server to server.
/// Identified, read, checked for redelivery against the stored orders, reconciled against the
/// stored returned cart, recorded once (unique idempotency key) and answered.
async fn receive_order(State(app): State<Arc<App>>, body: Bytes) -> Response {
    blocking(&app, move |app| {
        if body.windows(5).any(|window| window == b"<cXML") {
            cxml_order(app, &body)
        } else {
            peppol_order(app, &body)
        }
    })
    .await
    .unwrap_or_else(|response| response)
}

fn cxml_order(app: &App, body: &[u8]) -> Response {
    let envelope = envelope();
    let refused = |error: CallError| match error {
        CallError::Rejected(error) => match app.engine.cxml_error_response(&error, &envelope) {
            Ok(response) => xml_response(StatusCode::OK, response),
            Err(failed) => internal(app, &failed),
        },
        other => internal(app, &other),
    };
    let profile = match app.engine.identify_cxml_order(body) {
        Ok(profile) => profile,
        Err(error) => return refused(error),
    };
    let order = match app.engine.read_cxml_order(&profile, body) {
        Ok(order) => order,
        Err(error) => return refused(error),
    };
    let redelivery = match intake(app, &profile, &order) {
        Ok(Intake::Apply(redelivery)) => redelivery,
        Ok(Intake::AnswerAgain(answer)) => return xml_response(StatusCode::OK, answer),
        Ok(Intake::Refuse(message)) => {
            return refused(CallError::Rejected(punchout_plugin::Error::new(
                punchout_plugin::ErrorCode::InvalidValue,
                message,
            )))
        }
        Err(response) => return response,
    };
    let answer = match app.engine.cxml_order_response(&envelope) {
        Ok(answer) => answer,
        Err(error) => return internal(app, &error),
    };
    match record_order(app, &profile, &order, redelivery, None, &answer) {
        Ok(()) => xml_response(StatusCode::OK, answer),
        Err(response) => response,
    }
}

/// What to do with an order, by the records of the orders the buyer already delivered.
enum Intake {
    /// New, or an update of a known order: reconcile, record and answer it.
    Apply(punchout_plugin::order::redelivery::Redelivery),
    /// Delivered before: the answer it got then, nothing recorded again.
    AnswerAgain(String),
    /// Another order under a known order's ID, or an update of an order never received:
    /// refused, saying why.
    Refuse(String),
}

fn intake(app: &App, profile: &str, order: &PurchaseOrder) -> Result<Intake, Response> {
    let known: Vec<OrderRecord> = app
        .store
        .orders_of(profile)
        .map_err(|error| internal(app, &error))?
        .iter()
        .filter_map(|stored| serde_json::from_str(&stored.record_json).ok())
        .collect();
    let redelivery = app
        .engine
        .order_redelivery(order, &known)
        .map_err(|error| internal(app, &error))?;
    Ok(match redelivery.outcome {
        RedeliveryOutcome::New | RedeliveryOutcome::Update => Intake::Apply(redelivery),
        RedeliveryOutcome::Duplicate => {
            let before = redelivery
                .known
                .as_ref()
                .and_then(|record| stored_order(app, &record.idempotency_key))
                .map(|(_, file)| file.answer);
            match before {
                Some(answer) => Intake::AnswerAgain(answer),
                None => Intake::Refuse(redelivery.message),
            }
        }
        RedeliveryOutcome::Conflict | RedeliveryOutcome::UnknownPrevious => {
            Intake::Refuse(redelivery.message)
        }
    })
}

fn peppol_order(app: &App, body: &[u8]) -> Response {
    let refused = |error: CallError| match error {
        CallError::Rejected(error) => (
            StatusCode::BAD_REQUEST,
            format!("{error} ({})", error.code().as_str()),
        )
            .into_response(),
        other => internal(app, &other),
    };
    let profile = match app.engine.identify_peppol_order(body) {
        Ok(profile) => profile,
        Err(error) => return refused(error),
    };
    let peppol = match app.engine.read_peppol_order(body, &profile) {
        Ok(order) => order,
        Err(error) => return refused(error),
    };
    let redelivery = match intake(app, &profile, &peppol.order) {
        Ok(Intake::Apply(redelivery)) => redelivery,
        Ok(Intake::AnswerAgain(answer)) if answer.starts_with("<?xml") => {
            return xml_response(StatusCode::OK, answer)
        }
        Ok(Intake::AnswerAgain(answer)) => return (StatusCode::ACCEPTED, answer).into_response(),
        Ok(Intake::Refuse(message)) => return (StatusCode::CONFLICT, message).into_response(),
        Err(response) => return response,
    };
    let reconciliation = match reconcile(app, &profile, &peppol.order) {
        Ok(reconciliation) => reconciliation,
        Err(response) => return response,
    };
    if reconciliation
        .as_ref()
        .is_some_and(|done| done.verdict == punchout_plugin::order::reconcile::Verdict::Hold)
    {
        // A T76 accepts, rejects or accepts with changes: an order held for review is received
        // now (202) and answered once a person decides.
        let answer = format!(
            "held for review; the Order Response follows the decision: {}",
            reconciliation
                .as_ref()
                .map_or("", |done| done.message.as_str())
        );
        return match record_order(
            app,
            &profile,
            &peppol.order,
            redelivery,
            reconciliation,
            &answer,
        ) {
            Ok(()) => (StatusCode::ACCEPTED, answer).into_response(),
            Err(response) => response,
        };
    }
    let today = crate::rfc3339_utc(u64::try_from(now()).unwrap_or_default());
    let decision = OrderResponseDecision {
        response_id: format!("OR-{}", random_token(10)),
        issue_date: today.get(..10).unwrap_or_default().to_owned(),
        issue_time: today.get(11..19).map(str::to_owned),
        code: None,
        sales_order_id: None,
        note: None,
        lines: Vec::new(),
    };
    let answer = match app
        .engine
        .peppol_order_response(&peppol, reconciliation.as_ref(), &decision)
    {
        Ok(answer) => answer,
        Err(error) => return refused(error),
    };
    match record_order(
        app,
        &profile,
        &peppol.order,
        redelivery,
        reconciliation,
        &answer,
    ) {
        Ok(()) => xml_response(StatusCode::OK, answer),
        Err(response) => response,
    }
}

/// The stored returned cart an order's lines refer to, reconciled; `None` when no line refers
/// to a cart the shop returned.
fn reconcile(
    app: &App,
    profile: &str,
    order: &PurchaseOrder,
) -> Result<Option<punchout_plugin::order::reconcile::Reconciliation>, Response> {
    let returned = order
        .lines
        .iter()
        .filter_map(|line| line.supplier_part_auxiliary_id.as_deref())
        .filter_map(returned_cart_id)
        .find_map(|id| app.store.returned_cart(id).ok().flatten());
    let Some(returned) = returned else {
        return Ok(None);
    };
    let cart: Cart =
        serde_json::from_str(&returned.cart_json).map_err(|error| internal(app, &error))?;
    let session = match serde_json::from_str::<BuyerSession>(&returned.session_json) {
        Ok(BuyerSession::Cxml { session }) => Some(*session),
        _ => None,
    };
    match app
        .engine
        .reconcile_order(profile, order, &cart, session.as_ref())
    {
        Ok(reconciliation) => Ok(Some(reconciliation)),
        Err(error) => Err(internal(app, &error)),
    }
}

/// What the shop keeps of an order: the order, the redelivery check, the reconciliation and
/// the answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct OrderFile {
    pub order: PurchaseOrder,
    pub redelivery: punchout_plugin::order::redelivery::Redelivery,
    pub reconciliation: Option<punchout_plugin::order::reconcile::Reconciliation>,
    pub answer: String,
}

fn record_order(
    app: &App,
    profile: &str,
    order: &PurchaseOrder,
    redelivery: punchout_plugin::order::redelivery::Redelivery,
    reconciliation: Option<punchout_plugin::order::reconcile::Reconciliation>,
    answer: &str,
) -> Result<(), Response> {
    let reconciliation = match reconciliation {
        Some(done) => Some(done),
        None => reconcile(app, profile, order)?,
    };
    let file = OrderFile {
        order: order.clone(),
        redelivery,
        reconciliation,
        answer: answer.to_owned(),
    };
    let stored = ReceivedOrder {
        idempotency_key: order.idempotency_key.clone(),
        profile_id: profile.to_owned(),
        order_id: order.order_id.clone(),
        payload_id: order.payload_id.clone(),
        record_json: serde_json::to_string(&OrderRecord::of(order))
            .map_err(|error| internal(app, &error))?,
        order_json: serde_json::to_string(&file).map_err(|error| internal(app, &error))?,
        received_at: now(),
    };
    match app.store.insert_order(&stored) {
        Ok(OrderInsert::Inserted | OrderInsert::Duplicate) => Ok(()),
        Err(error) => Err(internal(app, &error)),
    }
}

/// The shop's received orders, newest first.
async fn orders_page(State(app): State<Arc<App>>) -> Response {
    blocking(&app, move |app| {
        let mut orders = Vec::new();
        for profile in &app.profiles {
            match app.store.orders_of(&profile.id) {
                Ok(list) => orders.extend(list.into_iter().map(|order| {
                    let verdict = serde_json::from_str::<OrderFile>(&order.order_json)
                        .ok()
                        .and_then(|file| file.reconciliation)
                        .map(|reconciliation| reconciliation.message);
                    context! {
                        key => order.idempotency_key,
                        buyer => profile.name.clone(),
                        order_id => order.order_id,
                        received_at => crate::rfc3339_utc(u64::try_from(order.received_at).unwrap_or_default()),
                        verdict => verdict,
                    }
                })),
                Err(error) => return internal(app, &error),
            }
        }
        orders.reverse();
        app.page("shop_orders.html", context! { orders => orders })
    })
    .await
    .unwrap_or_else(|response| response)
}

/// Finds a stored order by its idempotency key.
pub fn stored_order(app: &App, key: &str) -> Option<(String, OrderFile)> {
    app.profiles.iter().find_map(|profile| {
        app.store
            .orders_of(&profile.id)
            .ok()?
            .into_iter()
            .find(|order| order.idempotency_key == key)
            .and_then(|order| {
                Some((
                    profile.id.clone(),
                    serde_json::from_str(&order.order_json).ok()?,
                ))
            })
    })
}

async fn order_page(State(app): State<Arc<App>>, Path(key): Path<String>) -> Response {
    blocking(&app, move |app| match stored_order(app, &key) {
        Some((profile, file)) => app.page(
            "shop_order.html",
            context! {
                buyer => app.profile(&profile).map_or(profile.clone(), |p| p.name.clone()),
                order => &file.order,
                redelivery => &file.redelivery,
                reconciliation => &file.reconciliation,
                answer => &file.answer,
            },
        ),
        None => app.problem(
            StatusCode::NOT_FOUND,
            "no such order",
            "the shop received no order with this key",
        ),
    })
    .await
    .unwrap_or_else(|response| response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_reference_names_its_returned_cart() {
        assert_eq!(returned_cart_id("Ab12Cd34Ef56-3"), Some("Ab12Cd34Ef56"));
        assert_eq!(returned_cart_id("no-dash-here-12"), Some("no-dash-here"));
        assert_eq!(returned_cart_id("plain"), None);
    }

    #[test]
    fn tampered_total_changes_only_the_total() {
        let xml = "<Money currency=\"EUR\">1.00</Money><Total><Money currency=\"EUR\">42.00</Money></Total>";
        assert_eq!(
            break_xml(xml, "tampered-total"),
            "<Money currency=\"EUR\">1.00</Money><Total><Money currency=\"EUR\">52.00</Money></Total>"
        );
    }

    #[test]
    fn invalid_unit_changes_the_first_unit() {
        assert_eq!(
            break_xml(
                "<UnitOfMeasure>EA</UnitOfMeasure><UnitOfMeasure>EA</UnitOfMeasure>",
                "invalid-unit"
            ),
            "<UnitOfMeasure>XX9</UnitOfMeasure><UnitOfMeasure>EA</UnitOfMeasure>"
        );
        assert_eq!(
            break_xml(
                "<cbc:BatchQuantity unitCode=\"H87\">1</cbc:BatchQuantity>",
                "invalid-unit"
            ),
            "<cbc:BatchQuantity unitCode=\"XX9\">1</cbc:BatchQuantity>"
        );
    }
}
