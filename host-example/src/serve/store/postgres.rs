//! The store on PostgreSQL, what a shop running several web servers shares: the synchronous
//! `postgres` client (one connection behind a mutex, each call on a short-lived thread of its
//! own, outside the web server's async runtime).
//! Single use of start tokens and duplicate orders are decided by the server in one statement
//! each, so that several processes on one database agree.

use std::sync::Mutex;

use postgres::{Client, NoTls, Row};

use super::{
    OrderInsert, Punchout, ReceivedCart, ReceivedOrder, ReturnedCart, ShopSession, StartGrant,
    Store, StoreError, StoreResult, TokenUse, SCHEMA,
};

/// The store on PostgreSQL.
pub struct PostgresStore {
    /// `None` only while being dropped.
    client: Mutex<Option<Client>>,
}

impl Drop for PostgresStore {
    /// Closing the connection blocks on the client's own runtime: done on a thread of its own,
    /// so that dropping the store inside the web server's runtime is safe.
    fn drop(&mut self) {
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let _ = std::thread::spawn(move || drop(client)).join();
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

fn failed(what: &str) -> impl FnOnce(postgres::Error) -> StoreError + '_ {
    move |error| StoreError(format!("postgres: cannot {what}: {error}"))
}

impl PostgresStore {
    /// Connects (without TLS: a loopback or private-network server) and creates the tables.
    /// Call it outside an async context (the client runs its own small runtime).
    ///
    /// # Errors
    /// When the server cannot be reached or refuses the login.
    pub fn connect(url: &str) -> StoreResult<Self> {
        let mut client = Client::connect(url, NoTls).map_err(|error| {
            // The URL may hold a password: name the server only by what the error says.
            StoreError(format!("postgres: cannot connect: {error}"))
        })?;
        // Web servers starting together would race to create the tables (PostgreSQL's
        // `IF NOT EXISTS` is not safe against a concurrent creation): one at a time.
        client
            .batch_execute("SELECT pg_advisory_lock(7014551)")
            .map_err(failed("lock the schema"))?;
        let created = SCHEMA.iter().try_for_each(|statement| {
            client
                .batch_execute(&statement.replace("$BYTES", "BYTEA"))
                .map_err(failed("create the tables"))
        });
        client
            .batch_execute("SELECT pg_advisory_unlock(7014551)")
            .map_err(failed("unlock the schema"))?;
        created?;
        Ok(PostgresStore {
            client: Mutex::new(Some(client)),
        })
    }

    /// Runs a call on a thread of its own: the synchronous client drives its connection with a
    /// runtime of its own, which cannot start on a thread of the web server's runtime (its
    /// blocking threads included).
    fn with<T: Send>(
        &self,
        run: impl FnOnce(&mut Client) -> StoreResult<T> + Send,
    ) -> StoreResult<T> {
        let mut client = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(client) = client.as_mut() else {
            return Err(StoreError("postgres: the store is closed".to_owned()));
        };
        std::thread::scope(|scope| {
            scope
                .spawn(move || run(client))
                .join()
                .unwrap_or_else(|_| Err(StoreError("postgres: the call panicked".to_owned())))
        })
    }
}

fn shop_session(row: &Row) -> ShopSession {
    ShopSession {
        key_hash: row.get(0),
        profile_id: row.get(1),
        protocol: row.get(2),
        session_json: row.get(3),
        cart_json: row.get(4),
        expires_at: row.get(5),
    }
}

fn received_order(row: &Row) -> ReceivedOrder {
    ReceivedOrder {
        idempotency_key: row.get(0),
        profile_id: row.get(1),
        order_id: row.get(2),
        payload_id: row.get(3),
        record_json: row.get(4),
        order_json: row.get(5),
        received_at: row.get(6),
    }
}

impl Store for PostgresStore {
    fn put_start(&self, grant: &StartGrant) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO start_tokens (token_hash, profile_id, protocol, session_json, expires_at) VALUES ($1, $2, $3, $4, $5)",
                &[&grant.token_hash, &grant.profile_id, &grant.protocol, &grant.session_json, &grant.expires_at],
            )
            .map_err(failed("store a start token"))?;
            Ok(())
        })
    }

    fn take_start(&self, token_hash: &str, now: i64) -> StoreResult<TokenUse> {
        self.with(|db| {
            // One statement marks the token used and returns it: of two requests racing with
            // the same token, on any web server, one wins.
            let taken = db
                .query_opt(
                    "UPDATE start_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                     RETURNING token_hash, profile_id, protocol, session_json, expires_at",
                    &[&token_hash, &now],
                )
                .map_err(failed("take a start token"))?;
            if let Some(row) = taken {
                return Ok(TokenUse::Granted(StartGrant {
                    token_hash: row.get(0),
                    profile_id: row.get(1),
                    protocol: row.get(2),
                    session_json: row.get(3),
                    expires_at: row.get(4),
                }));
            }
            let state = db
                .query_opt(
                    "SELECT used_at, expires_at FROM start_tokens WHERE token_hash = $1",
                    &[&token_hash],
                )
                .map_err(failed("read a start token"))?;
            Ok(match state {
                None => TokenUse::Unknown,
                Some(row) if row.get::<_, Option<i64>>(0).is_some() => TokenUse::AlreadyUsed,
                Some(_) => TokenUse::Expired,
            })
        })
    }

    fn put_shop_session(&self, session: &ShopSession) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO shop_sessions (key_hash, profile_id, protocol, session_json, cart_json, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&session.key_hash, &session.profile_id, &session.protocol, &session.session_json, &session.cart_json, &session.expires_at],
            )
            .map_err(failed("store a shop session"))?;
            Ok(())
        })
    }

    fn shop_session(&self, key_hash: &str, now: i64) -> StoreResult<Option<ShopSession>> {
        self.with(|db| {
            let row = db
                .query_opt(
                    "SELECT key_hash, profile_id, protocol, session_json, cart_json, expires_at FROM shop_sessions WHERE key_hash = $1 AND expires_at > $2",
                    &[&key_hash, &now],
                )
                .map_err(failed("read a shop session"))?;
            Ok(row.as_ref().map(shop_session))
        })
    }

    fn set_shop_cart(&self, key_hash: &str, cart_json: &str) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "UPDATE shop_sessions SET cart_json = $2 WHERE key_hash = $1",
                &[&key_hash, &cart_json],
            )
            .map_err(failed("store the shop's cart"))?;
            Ok(())
        })
    }

    fn put_returned_cart(&self, cart: &ReturnedCart) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO returned_carts (id, profile_id, protocol, cart_json, session_json, document, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&cart.id, &cart.profile_id, &cart.protocol, &cart.cart_json, &cart.session_json, &cart.document, &cart.created_at],
            )
            .map_err(failed("store a returned cart"))?;
            Ok(())
        })
    }

    fn returned_cart(&self, id: &str) -> StoreResult<Option<ReturnedCart>> {
        self.with(|db| {
            let row = db
                .query_opt(
                    "SELECT id, profile_id, protocol, cart_json, session_json, document, created_at FROM returned_carts WHERE id = $1",
                    &[&id],
                )
                .map_err(failed("read a returned cart"))?;
            Ok(row.map(|row| ReturnedCart {
                id: row.get(0),
                profile_id: row.get(1),
                protocol: row.get(2),
                cart_json: row.get(3),
                session_json: row.get(4),
                document: row.get(5),
                created_at: row.get(6),
            }))
        })
    }

    fn put_punchout(&self, punchout: &Punchout) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO punchouts (id, preset, protocol, operation, buyer_cookie, charset, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&punchout.id, &punchout.preset, &punchout.protocol, &punchout.operation, &punchout.buyer_cookie, &punchout.charset, &punchout.created_at],
            )
            .map_err(failed("store a punch-out"))?;
            Ok(())
        })
    }

    fn punchout(&self, id: &str) -> StoreResult<Option<Punchout>> {
        self.with(|db| {
            let row = db
                .query_opt(
                    "SELECT id, preset, protocol, operation, buyer_cookie, charset, created_at FROM punchouts WHERE id = $1",
                    &[&id],
                )
                .map_err(failed("read a punch-out"))?;
            Ok(row.map(|row| Punchout {
                id: row.get(0),
                preset: row.get(1),
                protocol: row.get(2),
                operation: row.get(3),
                buyer_cookie: row.get(4),
                charset: row.get(5),
                created_at: row.get(6),
            }))
        })
    }

    fn put_received_cart(&self, cart: &ReceivedCart) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "INSERT INTO received_carts (id, punchout_id, kind, body, charset, created_at, order_document, order_answer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[&cart.id, &cart.punchout_id, &cart.kind, &cart.body, &cart.charset, &cart.created_at, &cart.order_document, &cart.order_answer],
            )
            .map_err(failed("store a received cart"))?;
            Ok(())
        })
    }

    fn received_cart(&self, id: &str) -> StoreResult<Option<ReceivedCart>> {
        self.with(|db| {
            let row = db
                .query_opt(
                    "SELECT id, punchout_id, kind, body, charset, created_at, order_document, order_answer FROM received_carts WHERE id = $1",
                    &[&id],
                )
                .map_err(failed("read a received cart"))?;
            Ok(row.map(|row| ReceivedCart {
                id: row.get(0),
                punchout_id: row.get(1),
                kind: row.get(2),
                body: row.get(3),
                charset: row.get(4),
                created_at: row.get(5),
                order_document: row.get(6),
                order_answer: row.get(7),
            }))
        })
    }

    fn set_order_sent(&self, cart_id: &str, document: &str, answer: &str) -> StoreResult<()> {
        self.with(|db| {
            db.execute(
                "UPDATE received_carts SET order_document = $2, order_answer = $3 WHERE id = $1",
                &[&cart_id, &document, &answer],
            )
            .map_err(failed("store the order sent"))?;
            Ok(())
        })
    }

    fn insert_order(&self, order: &ReceivedOrder) -> StoreResult<OrderInsert> {
        self.with(|db| {
            // The primary key decides, on the server: a second order with the same key is not
            // written, whichever web server received it.
            let written = db
                .execute(
                    "INSERT INTO received_orders (idempotency_key, profile_id, order_id, payload_id, record_json, order_json, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (idempotency_key) DO NOTHING",
                    &[&order.idempotency_key, &order.profile_id, &order.order_id, &order.payload_id, &order.record_json, &order.order_json, &order.received_at],
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
            let rows = db
                .query(
                    "SELECT idempotency_key, profile_id, order_id, payload_id, record_json, order_json, received_at FROM received_orders WHERE profile_id = $1 ORDER BY received_at, order_id",
                    &[&profile_id],
                )
                .map_err(failed("read orders"))?;
            Ok(rows.iter().map(received_order).collect())
        })
    }
}
