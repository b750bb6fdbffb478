//! `punchout serve`: a buyer simulator and a demo shop in one local web app.
//!
//! The buyer side ([`procurement`]) plays the procurement system: it punches out by OCI, cXML or
//! Peppol, receives the cart at its return endpoint, judges it against the specifications
//! ([`buyer`]), and sends the purchase order after approval. The shop side ([`shop`]) is a small
//! demo shop that runs every protocol step through the engine ([`engine`]). Sessions, returned
//! carts and received orders live in a [`store`], SQLite by default and PostgreSQL when a URL is
//! given.
//!
//! The shop carries its session in the URL (`/shop/s/{key}/…`), never in a cookie, so that it
//! works inside a cross-site iframe and a popup, where browsers withhold third-party cookies. The
//! pages work without JavaScript, except the forms that submit themselves (each shows a button
//! for browsers without scripts). Everything put into a page is escaped by the template engine.

pub mod buyer;
pub mod catalog;
pub mod engine;
mod pages;
pub mod procurement;
pub mod shop;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use self::buyer::BuyerSystem;
use self::engine::{ProfileSource, ShopEngine};
use self::store::Store;

/// How long a start token is valid, and a shop session after it.
pub const START_TOKEN_SECONDS: i64 = 300;
pub const SHOP_SESSION_SECONDS: i64 = 8 * 3600;

/// The path below which every return endpoint of the buyer side lies: what the shop's profiles
/// allow as return URLs.
pub const RETURN_PATH: &str = "/buyer/return/";

/// What `punchout serve` was started with.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// `http://HOST:PORT`, as the browser and the server-to-server calls reach this server.
    pub base_url: String,
    /// Where the buyer's validators find the specification material.
    pub spec_dir: Option<PathBuf>,
}

/// The web app's state, shared by every request.
pub struct App {
    pub options: ServeOptions,
    pub engine: Box<dyn ShopEngine>,
    pub store: Box<dyn Store>,
    /// The simulated procurement systems.
    pub presets: Vec<BuyerSystem>,
    /// The shop's buyer profiles: the presets' and any the user loaded.
    pub profiles: Vec<ShopProfile>,
    pub catalog: catalog::Catalog,
    pages: pages::Pages,
    /// Server-to-server calls (setup requests, purchase orders).
    pub http: reqwest::Client,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A buyer profile the shop serves, as the pages and the routing need it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ShopProfile {
    pub id: String,
    pub name: String,
    pub protocol: String,
    /// `(domain, identity)` of each credential (OCI `USERNAME`s have domain `oci`).
    pub credentials: Vec<(String, String)>,
    /// The OCI call-up's user parameter (default `USERNAME`).
    pub username_parameter: String,
}

impl ShopProfile {
    /// Reads what the shop needs from a profile's JSON.
    pub fn from_json(json: &str) -> anyhow::Result<Self> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        let text = |pointer: &str| {
            value
                .pointer(pointer)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let id = text("/id").ok_or_else(|| anyhow::anyhow!("the profile has no `id`"))?;
        let credentials = value
            .pointer("/authentication/credentials")
            .and_then(serde_json::Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|credential| {
                        Some((
                            credential.get("domain")?.as_str()?.to_owned(),
                            credential.get("identity")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(ShopProfile {
            name: text("/name").unwrap_or_else(|| id.clone()),
            protocol: text("/protocol").unwrap_or_else(|| "cxml".to_owned()),
            username_parameter: text("/oci/username_parameter")
                .unwrap_or_else(|| "USERNAME".to_owned()),
            credentials,
            id,
        })
    }
}

/// The profiles the shop compiles: each preset's own (its return URL allowed for this
/// simulator), then the user's.
///
/// # Errors
/// A bundled profile that is not JSON.
pub fn preset_profiles(
    presets: &[BuyerSystem],
    base_url: &str,
) -> anyhow::Result<Vec<ProfileSource>> {
    let return_prefix = format!("{base_url}{RETURN_PATH}");
    presets
        .iter()
        .map(|preset| {
            let json = preset.shop_profile_json(&return_prefix)?;
            let info = ShopProfile::from_json(&json)?;
            Ok(ProfileSource {
                id: info.id,
                protocol: info.protocol,
                json,
                secrets: preset.shop_secrets(),
            })
        })
        .collect()
}

impl App {
    /// Assembles the app.
    ///
    /// # Errors
    /// When a profile cannot be read.
    pub fn new(
        options: ServeOptions,
        engine: Box<dyn ShopEngine>,
        store: Box<dyn Store>,
        presets: Vec<BuyerSystem>,
        sources: &[ProfileSource],
    ) -> anyhow::Result<Self> {
        let profiles = sources
            .iter()
            .map(|source| ShopProfile::from_json(&source.json))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(App {
            options,
            engine,
            store,
            presets,
            profiles,
            catalog: catalog::Catalog::bundled()?,
            pages: pages::Pages::new()?,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()?,
        })
    }

    pub fn profile(&self, id: &str) -> Option<&ShopProfile> {
        self.profiles.iter().find(|profile| profile.id == id)
    }

    pub fn preset(&self, id: &str) -> Option<&BuyerSystem> {
        self.presets.iter().find(|preset| preset.id == id)
    }

    /// Renders a page; a template error becomes a 500 page naming it.
    pub fn page(&self, name: &str, context: minijinja::Value) -> Response {
        self.page_with(StatusCode::OK, name, context)
    }

    pub fn page_with(&self, status: StatusCode, name: &str, context: minijinja::Value) -> Response {
        match self.pages.render(name, context) {
            Ok(html) => (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response(),
            Err(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot render `{name}`: {error:#}"),
            )
                .into_response(),
        }
    }

    /// A page saying what went wrong, for people.
    pub fn problem(&self, status: StatusCode, title: &str, detail: &str) -> Response {
        self.page_with(
            status,
            "problem.html",
            minijinja::context! { title => title, detail => detail },
        )
    }
}

/// Runs blocking work (the store, the engine) off the async threads; a panic there is a 500.
pub async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&App) -> T + Send + 'static,
) -> Result<T, Response> {
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || work(&app))
        .await
        .map_err(|error| {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the request failed: {error}"),
            )
                .into_response()
        })
}

/// A random token of `length` characters from `[A-Za-z0-9]` (about 5.95 bits each): start
/// tokens, shop session keys, record ids.
pub fn random_token(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut token = String::with_capacity(length);
    let mut bytes = [0u8; 64];
    while token.len() < length {
        // An OS without randomness cannot run the shop: failing loudly beats weak tokens.
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        for byte in bytes {
            // 62 * 4 = 248: bytes from 248 up are dropped, so every character is equally likely.
            if byte < 248 && token.len() < length {
                token.push(char::from(ALPHABET[usize::from(byte % 62)]));
            }
        }
    }
    token
}

/// Seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// The web app's routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/static/style.css", get(style))
        .merge(shop::routes())
        .merge(procurement::routes())
        // Orders and OCI forms read back may be 10 MiB, as the engine allows.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(private_pages))
        .with_state(app)
}

/// The largest request body: an `OrderRequest` or an OCI form of 10 MiB, with room for its
/// encoding.
pub const MAX_BODY_BYTES: usize = 12 * 1024 * 1024;

/// Every page is private to its session: its URL carries the shop's session key, so no page
/// may leak it in a `Referer` or be cached; nothing is sniffed into another type.
async fn private_pages(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

async fn home(axum::extract::State(app): axum::extract::State<Arc<App>>) -> Response {
    app.page(
        "home.html",
        minijinja::context! {
            presets => procurement::preset_views(&app),
            profiles => &app.profiles,
        },
    )
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("static/style.css"),
    )
        .into_response()
}

/// Serves the app on a bound listener until `shutdown` resolves.
///
/// # Errors
/// When the server fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// The base URL a browser uses for a listening address: an unspecified address (`0.0.0.0`,
/// `[::]`) is reached on loopback.
pub fn base_url(address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
        ip if ip.is_unspecified() => "[::1]".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", address.port())
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_tokens_have_the_length_and_alphabet() {
        let token = super::random_token(40);
        assert_eq!(token.len(), 40);
        assert!(token.bytes().all(|byte| byte.is_ascii_alphanumeric()));
        assert_ne!(token, super::random_token(40));
    }

    #[test]
    fn unspecified_listen_address_is_reached_on_loopback() {
        assert_eq!(
            super::base_url("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            super::base_url("[::1]:9".parse().unwrap()),
            "http://[::1]:9"
        );
    }
}
