//! The store in an embedded SQLite file (bundled SQLite): one connection behind a mutex, which
//! is all a local simulator needs; the file can be opened with `sqlite3` to look inside.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension as _, Row};

use super::{
    OrderInsert, Punchout, ReceivedCart, ReceivedOrder, ReturnedCart, ShopSession, StartGrant,
    Store, StoreError, StoreResult, TokenUse, SCHEMA,
};

/// The store on SQLite.
#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

fn failed(what: &str) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
    move |error| StoreError(format!("sqlite: cannot {what}: {error}"))
}

impl SqliteStore {
    /// Opens (or creates) the database file and its tables.
    ///
    /// # Errors
    /// When the file cannot be opened or is not a database.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let connection = Connection::open(path).map_err(|error| {
            StoreError(format!("sqlite: cannot open `{}`: {error}", path.display()))
        })?;
        Self::with_connection(connection)
    }

    /// A database in memory, for tests.
    ///
    /// # Errors
    /// When SQLite cannot create it.
    pub fn in_memory() -> StoreResult<Self> {
        Self::with_connection(Connection::open_in_memory().map_err(failed("open memory"))?)
    }

    fn with_connection(connection: Connection) -> StoreResult<Self> {
        // Several web servers' worth of writers is PostgreSQL's job; WAL lets a person read the
        // file while the simulator runs.
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(failed("set the journal mode"))?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(failed("set the busy timeout"))?;
        for statement in SCHEMA {
            connection
                .execute(&statement.replace("$BYTES", "BLOB"), [])
                .map_err(failed("create the tables"))?;
        }
        Ok(SqliteStore {
            connection: Mutex::new(connection),
        })
    }

    fn with<T>(&self, run: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let connection = self
            .connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        run(&connection)
    }
}

fn shop_session(row: &Row<'_>) -> rusqlite::Result<ShopSession> {
    Ok(ShopSession {
        key_hash: row.get(0)?,
        profile_id: row.get(1)?,
        protocol: row.get(2)?,
        session_json: row.get(3)?,
        cart_json: row.get(4)?,
        expires_at: row.get(5)?,
    })
}

fn received_order(row: &Row<'_>) -> rusqlite::Result<ReceivedOrder> {
    Ok(ReceivedOrder {
        idempotency_key: row.get(0)?,
        profile_id: row.get(1)?,
        order_id: row.get(2)?,
        payload_id: row.get(3)?,
        record_json: row.get(4)?,
        order_json: row.get(5)?,
        received_at: row.get(6)?,
    })
}

impl Store for SqliteStore {
    fn put_start(&self, grant: &StartGrant) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO start_tokens (token_hash, profile_id, protocol, session_json, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![grant.token_hash, grant.profile_id, grant.protocol, grant.session_json, grant.expires_at],
            )
            .map_err(failed("store a start token"))?;
            Ok(())
        })
    }

    fn take_start(&self, token_hash: &str, now: i64) -> StoreResult<TokenUse> {
        self.with(|db| {
            // One statement marks the token used and returns it, so that two requests racing
            // with the same token cannot both win.
            let taken = db
                .query_row(
                    "UPDATE start_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2
                     RETURNING token_hash, profile_id, protocol, session_json, expires_at",
                    params![token_hash, now],
                    |row| {
                        Ok(StartGrant {
                            token_hash: row.get(0)?,
                            profile_id: row.get(1)?,
                            protocol: row.get(2)?,
                            session_json: row.get(3)?,
                            expires_at: row.get(4)?,
                        })
                    },
                )
                .optional()
                .map_err(failed("take a start token"))?;
            if let Some(grant) = taken {
                return Ok(TokenUse::Granted(grant));
            }
            let state: Option<(Option<i64>, i64)> = db
                .query_row(
                    "SELECT used_at, expires_at FROM start_tokens WHERE token_hash = ?1",
                    params![token_hash],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(failed("read a start token"))?;
            Ok(match state {
                None => TokenUse::Unknown,
                Some((Some(_), _)) => TokenUse::AlreadyUsed,
                Some((None, _)) => TokenUse::Expired,
            })
        })
    }

    fn put_shop_session(&self, session: &ShopSession) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO shop_sessions (key_hash, profile_id, protocol, session_json, cart_json, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![session.key_hash, session.profile_id, session.protocol, session.session_json, session.cart_json, session.expires_at],
            )
            .map_err(failed("store a shop session"))?;
            Ok(())
        })
    }

    fn shop_session(&self, key_hash: &str, now: i64) -> StoreResult<Option<ShopSession>> {
        self.with(|db| {
            db.query_row(
                "SELECT key_hash, profile_id, protocol, session_json, cart_json, expires_at FROM shop_sessions WHERE key_hash = ?1 AND expires_at > ?2",
                params![key_hash, now],
                shop_session,
            )
            .optional()
            .map_err(failed("read a shop session"))
        })
    }

    fn set_shop_cart(&self, key_hash: &str, cart_json: &str) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "UPDATE shop_sessions SET cart_json = ?2 WHERE key_hash = ?1",
                params![key_hash, cart_json],
            )
            .map_err(failed("store the shop's cart"))?;
            Ok(())
        })
    }

    fn put_returned_cart(&self, cart: &ReturnedCart) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO returned_carts (id, profile_id, protocol, cart_json, session_json, document, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![cart.id, cart.profile_id, cart.protocol, cart.cart_json, cart.session_json, cart.document, cart.created_at],
            )
            .map_err(failed("store a returned cart"))?;
            Ok(())
        })
    }

    fn returned_cart(&self, id: &str) -> StoreResult<Option<ReturnedCart>> {
        self.with(|db| {
            db.query_row(
                "SELECT id, profile_id, protocol, cart_json, session_json, document, created_at FROM returned_carts WHERE id = ?1",
                params![id],
                |row| {
                    Ok(ReturnedCart {
                        id: row.get(0)?,
                        profile_id: row.get(1)?,
                        protocol: row.get(2)?,
                        cart_json: row.get(3)?,
                        session_json: row.get(4)?,
                        document: row.get(5)?,
                        created_at: row.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(failed("read a returned cart"))
        })
    }

    fn put_punchout(&self, punchout: &Punchout) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO punchouts (id, preset, protocol, operation, buyer_cookie, charset, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![punchout.id, punchout.preset, punchout.protocol, punchout.operation, punchout.buyer_cookie, punchout.charset, punchout.created_at],
            )
            .map_err(failed("store a punch-out"))?;
            Ok(())
        })
    }

    fn punchout(&self, id: &str) -> StoreResult<Option<Punchout>> {
        self.with(|db| {
            db.query_row(
                "SELECT id, preset, protocol, operation, buyer_cookie, charset, created_at FROM punchouts WHERE id = ?1",
                params![id],
                |row| {
                    Ok(Punchout {
                        id: row.get(0)?,
                        preset: row.get(1)?,
                        protocol: row.get(2)?,
                        operation: row.get(3)?,
                        buyer_cookie: row.get(4)?,
                        charset: row.get(5)?,
                        created_at: row.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(failed("read a punch-out"))
        })
    }

    fn put_received_cart(&self, cart: &ReceivedCart) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO received_carts (id, punchout_id, kind, body, charset, created_at, order_document, order_answer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![cart.id, cart.punchout_id, cart.kind, cart.body, cart.charset, cart.created_at, cart.order_document, cart.order_answer],
            )
            .map_err(failed("store a received cart"))?;
            Ok(())
        })
    }

    fn received_cart(&self, id: &str) -> StoreResult<Option<ReceivedCart>> {
        self.with(|db| {
            db.query_row(
                "SELECT id, punchout_id, kind, body, charset, created_at, order_document, order_answer FROM received_carts WHERE id = ?1",
                params![id],
                |row| {
                    Ok(ReceivedCart {
                        id: row.get(0)?,
                        punchout_id: row.get(1)?,
                        kind: row.get(2)?,
                        body: row.get(3)?,
                        charset: row.get(4)?,
                        created_at: row.get(5)?,
                        order_document: row.get(6)?,
                        order_answer: row.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(failed("read a received cart"))
        })
    }

    fn set_order_sent(&self, cart_id: &str, document: &str, answer: &str) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "UPDATE received_carts SET order_document = ?2, order_answer = ?3 WHERE id = ?1",
                params![cart_id, document, answer],
            )
            .map_err(failed("store the order sent"))?;
            Ok(())
        })
    }

    fn insert_order(&self, order: &ReceivedOrder) -> StoreResult<OrderInsert> {
        self.with(|db| {
            // The primary key decides: a second order with the same key is not written.
            let written = db
                .execute(
                    "INSERT INTO received_orders (idempotency_key, profile_id, order_id, payload_id, record_json, order_json, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (idempotency_key) DO NOTHING",
                    params![order.idempotency_key, order.profile_id, order.order_id, order.payload_id, order.record_json, order.order_json, order.received_at],
                )
                .map_err(failed("store an order"))?;
            Ok(if written == 1 {
                OrderInsert::Inserted
            } else {
                OrderInsert::Duplicate
            })
        })
    }

    fn orders_of(&self, profile_id: &str) -> StoreResult<Vec<ReceivedOrder>> {
        self.with(|db| {
            let mut statement = db
                .prepare(
                    "SELECT idempotency_key, profile_id, order_id, payload_id, record_json, order_json, received_at FROM received_orders WHERE profile_id = ?1 ORDER BY received_at, order_id",
                )
                .map_err(failed("read orders"))?;
            let rows = statement
                .query_map(params![profile_id], received_order)
                .map_err(failed("read orders"))?;
            rows.collect::<Result<Vec<_>, _>>()
                .map_err(failed("read orders"))
        })
    }
}
