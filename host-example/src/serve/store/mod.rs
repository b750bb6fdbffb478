//! Where `punchout serve` keeps its state, as a shop keeps it: one small interface ([`Store`])
//! with two implementations, an embedded SQLite file ([`SqliteStore`], the default) and
//! PostgreSQL ([`PostgresStore`], what a shop running several web servers shares).
//!
//! - start tokens: kept only as their SHA-256, with an expiry, taken once ([`Store::take_start`]);
//! - shop sessions: the session a start token became, found by the hash of the key carried in
//!   the shop's URLs (no cookie, so the shop works in a cross-site iframe);
//! - returned carts (the shop's record of each cart it sent back, which orders reconcile against);
//! - punch-outs and received carts (the buyer side's records);
//! - received orders, unique by idempotency key, so that a redelivered order is recognised and
//!   never stored twice.
//!
//! The calls block (SQLite, the synchronous `postgres` client): the web handlers run them on
//! tokio's blocking threads. Times are seconds since 1970, passed in by the caller.

mod postgres;
mod sqlite;

pub use self::postgres::PostgresStore;
pub use self::sqlite::SqliteStore;

use sha2::{Digest as _, Sha256};

/// A store error: what failed, with the database's own message.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// A one-time start token, as stored: its hash, never the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartGrant {
    pub token_hash: String,
    pub profile_id: String,
    /// `cxml`, `oci` or `peppol`.
    pub protocol: String,
    /// The engine's session (cXML `Session` or `OciSession`) as JSON.
    pub session_json: String,
    pub expires_at: i64,
}

/// What taking a start token found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenUse {
    /// The token was valid; it is now used.
    Granted(StartGrant),
    Unknown,
    AlreadyUsed,
    Expired,
}

/// The shop's session of one punch-out, found by the hash of the key in its URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopSession {
    pub key_hash: String,
    pub profile_id: String,
    pub protocol: String,
    pub session_json: String,
    /// The shop's cart (`punchout_plugin::model::Cart` as JSON).
    pub cart_json: String,
    pub expires_at: i64,
}

/// A cart the shop returned to a buyer, which that buyer's order is reconciled against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnedCart {
    /// Also the prefix of every line's reference (`line_ref`), by which an order finds it.
    pub id: String,
    pub profile_id: String,
    pub protocol: String,
    pub cart_json: String,
    pub session_json: String,
    /// The document that went back (`PunchOutOrderMessage`, T77 or the OCI form).
    pub document: String,
    pub created_at: i64,
}

/// The buyer side's record of a punch-out it started: what the returned cart must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Punchout {
    pub id: String,
    /// The buyer preset's key.
    pub preset: String,
    pub protocol: String,
    /// `create`, `edit`, `inspect` (cXML), else `create`.
    pub operation: String,
    pub buyer_cookie: String,
    /// The charset the buyer asked the cart in (OCI `http_content_charset`), else `utf-8`.
    pub charset: String,
    pub created_at: i64,
}

/// A cart the buyer side received at a return endpoint, as posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedCart {
    pub id: String,
    pub punchout_id: String,
    /// `oci`, `cxml` or `peppol`.
    pub kind: String,
    /// The posted document: the OCI form body, the cXML message, the T77 XML.
    pub body: Vec<u8>,
    /// The charset the OCI form was posted in.
    pub charset: String,
    pub created_at: i64,
    /// The purchase order sent for it, and the shop's answer, once approved.
    pub order_document: Option<String>,
    pub order_answer: Option<String>,
}

/// An order the shop received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedOrder {
    /// The engine's idempotency key of the order (unique).
    pub idempotency_key: String,
    pub profile_id: String,
    pub order_id: String,
    pub payload_id: String,
    /// The engine's `OrderRecord` as JSON, for the redelivery check of later orders.
    pub record_json: String,
    /// The order as read, as JSON.
    pub order_json: String,
    pub received_at: i64,
}

/// Whether an order was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderInsert {
    Inserted,
    /// An order with the same idempotency key is already stored: nothing was written.
    Duplicate,
}

/// The storage interface of `punchout serve`, implemented on SQLite and PostgreSQL.
pub trait Store: Send + Sync {
    /// Keeps a start token's grant (only its hash).
    fn put_start(&self, grant: &StartGrant) -> StoreResult<()>;
    /// Takes a start token: valid once, before its expiry.
    fn take_start(&self, token_hash: &str, now: i64) -> StoreResult<TokenUse>;
    fn put_shop_session(&self, session: &ShopSession) -> StoreResult<()>;
    /// The live session of that key; `None` when unknown or expired.
    fn shop_session(&self, key_hash: &str, now: i64) -> StoreResult<Option<ShopSession>>;
    fn set_shop_cart(&self, key_hash: &str, cart_json: &str) -> StoreResult<()>;
    fn put_returned_cart(&self, cart: &ReturnedCart) -> StoreResult<()>;
    fn returned_cart(&self, id: &str) -> StoreResult<Option<ReturnedCart>>;
    fn put_punchout(&self, punchout: &Punchout) -> StoreResult<()>;
    fn punchout(&self, id: &str) -> StoreResult<Option<Punchout>>;
    fn put_received_cart(&self, cart: &ReceivedCart) -> StoreResult<()>;
    fn received_cart(&self, id: &str) -> StoreResult<Option<ReceivedCart>>;
    fn set_order_sent(&self, cart_id: &str, document: &str, answer: &str) -> StoreResult<()>;
    /// Stores an order unless one with its idempotency key is already there.
    fn insert_order(&self, order: &ReceivedOrder) -> StoreResult<OrderInsert>;
    /// The orders received from one buyer, oldest first.
    fn orders_of(&self, profile_id: &str) -> StoreResult<Vec<ReceivedOrder>>;
}

/// Opens the store a URL names: `postgres://…` or `postgresql://…` for PostgreSQL, anything
/// else a SQLite file path (`sqlite://` optional).
///
/// # Errors
/// When the database cannot be opened or its tables cannot be created.
pub fn open(url: &str) -> StoreResult<Box<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(PostgresStore::connect(url)?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Box::new(SqliteStore::open(std::path::Path::new(path))?))
    }
}

/// The hex SHA-256 of a token or key: what the store keeps instead of the secret.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The tables, in SQL both databases read (`BYTEA`/`BLOB` differ and are substituted).
const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS start_tokens (
        token_hash TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        protocol TEXT NOT NULL,
        session_json TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
    )",
    "CREATE TABLE IF NOT EXISTS shop_sessions (
        key_hash TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        protocol TEXT NOT NULL,
        session_json TEXT NOT NULL,
        cart_json TEXT NOT NULL,
        expires_at BIGINT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS returned_carts (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        protocol TEXT NOT NULL,
        cart_json TEXT NOT NULL,
        session_json TEXT NOT NULL,
        document TEXT NOT NULL,
        created_at BIGINT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS punchouts (
        id TEXT PRIMARY KEY,
        preset TEXT NOT NULL,
        protocol TEXT NOT NULL,
        operation TEXT NOT NULL,
        buyer_cookie TEXT NOT NULL,
        charset TEXT NOT NULL,
        created_at BIGINT NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS received_carts (
        id TEXT PRIMARY KEY,
        punchout_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        body $BYTES NOT NULL,
        charset TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        order_document TEXT,
        order_answer TEXT
    )",
    "CREATE TABLE IF NOT EXISTS received_orders (
        idempotency_key TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        payload_id TEXT NOT NULL,
        record_json TEXT NOT NULL,
        order_json TEXT NOT NULL,
        received_at BIGINT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS received_orders_by_profile ON received_orders (profile_id, received_at)",
];

#[cfg(test)]
mod tests {
    #[test]
    fn secret_hash_is_hex_sha256() {
        assert_eq!(
            super::secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
