//! The store of `punchout serve`: the same tests on SQLite and on PostgreSQL.
//!
//! The PostgreSQL tests connect to `PUNCHOUT_TEST_POSTGRES_URL`, which `cargo xtask test` sets
//! after starting a throwaway server on loopback; without it they fail, never skip.

use std::sync::atomic::{AtomicU64, Ordering};

use punchout_host::serve::store::{
    secret_hash, OrderInsert, PostgresStore, Punchout, ReceivedCart, ReceivedOrder, ReturnedCart,
    ShopSession, SqliteStore, StartGrant, Store, TokenUse,
};

/// A name no other test (nor an earlier run on the same database) uses.
fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn sqlite() -> Box<dyn Store> {
    // The same SQL as a file (which the HTTP and browser tests use), without leaving one behind.
    Box::new(SqliteStore::in_memory().expect("open the SQLite store"))
}

fn postgres() -> Box<dyn Store> {
    let url = std::env::var("PUNCHOUT_TEST_POSTGRES_URL").expect(
        "PUNCHOUT_TEST_POSTGRES_URL is not set: run `cargo xtask test`, which starts a PostgreSQL \
         server on loopback, or point it at a server of your own",
    );
    Box::new(PostgresStore::connect(&url).expect("connect to PostgreSQL"))
}

fn grant(token: &str, expires_at: i64) -> StartGrant {
    StartGrant {
        token_hash: secret_hash(token),
        profile_id: "acme-ariba".into(),
        protocol: "cxml".into(),
        session_json: r#"{"buyer_cookie":"c0ffee"}"#.into(),
        expires_at,
    }
}

fn start_token_is_taken_once(store: &dyn Store) {
    let token = unique("token");
    store.put_start(&grant(&token, 1_000)).unwrap();
    match store.take_start(&secret_hash(&token), 900).unwrap() {
        TokenUse::Granted(taken) => assert_eq!(taken, grant(&token, 1_000)),
        other => panic!("expected the token granted, got {other:?}"),
    }
    assert_eq!(
        store.take_start(&secret_hash(&token), 901).unwrap(),
        TokenUse::AlreadyUsed
    );
}

fn expired_start_token_is_refused(store: &dyn Store) {
    let token = unique("token");
    store.put_start(&grant(&token, 1_000)).unwrap();
    assert_eq!(
        store.take_start(&secret_hash(&token), 1_000).unwrap(),
        TokenUse::Expired
    );
    assert_eq!(
        store.take_start(&secret_hash(&token), 5_000).unwrap(),
        TokenUse::Expired
    );
}

fn unknown_start_token_is_unknown(store: &dyn Store) {
    assert_eq!(
        store.take_start(&secret_hash(&unique("never")), 0).unwrap(),
        TokenUse::Unknown
    );
}

fn start_token_is_stored_hashed(store: &dyn Store) {
    // The store is only ever given the hash: the token itself cannot be taken.
    let token = unique("token");
    store.put_start(&grant(&token, 1_000)).unwrap();
    assert_eq!(store.take_start(&token, 10).unwrap(), TokenUse::Unknown);
}

fn shop_session_lives_until_expiry(store: &dyn Store) {
    let key = secret_hash(&unique("key"));
    let session = ShopSession {
        key_hash: key.clone(),
        profile_id: "sap-srm-oci40".into(),
        protocol: "oci".into(),
        session_json: "{}".into(),
        cart_json: r#"{"currency":"EUR","lines":[]}"#.into(),
        expires_at: 2_000,
    };
    store.put_shop_session(&session).unwrap();
    assert_eq!(
        store.shop_session(&key, 1_999).unwrap(),
        Some(session.clone())
    );
    store
        .set_shop_cart(&key, r#"{"currency":"EUR","lines":[1]}"#)
        .unwrap();
    assert_eq!(
        store.shop_session(&key, 1_999).unwrap().unwrap().cart_json,
        r#"{"currency":"EUR","lines":[1]}"#
    );
    assert_eq!(store.shop_session(&key, 2_000).unwrap(), None);
}

fn returned_cart_reads_back(store: &dyn Store) {
    let cart = ReturnedCart {
        id: unique("cart"),
        profile_id: "acme-ariba".into(),
        protocol: "cxml".into(),
        cart_json: r#"{"currency":"EUR"}"#.into(),
        session_json: "{}".into(),
        document: "<cXML>ä €</cXML>".into(),
        created_at: 5,
    };
    store.put_returned_cart(&cart).unwrap();
    assert_eq!(store.returned_cart(&cart.id).unwrap(), Some(cart));
    assert_eq!(store.returned_cart(&unique("none")).unwrap(), None);
}

fn received_cart_keeps_bytes_and_order(store: &dyn Store) {
    let punchout = Punchout {
        id: unique("po"),
        preset: "sap-srm".into(),
        protocol: "oci".into(),
        operation: "create".into(),
        buyer_cookie: "cookie".into(),
        charset: "iso-8859-1".into(),
        created_at: 1,
    };
    store.put_punchout(&punchout).unwrap();
    assert_eq!(
        store.punchout(&punchout.id).unwrap(),
        Some(punchout.clone())
    );
    let cart = ReceivedCart {
        id: unique("rc"),
        punchout_id: punchout.id.clone(),
        kind: "oci".into(),
        // Latin-1 bytes that are not UTF-8 come back exactly.
        body: b"NEW_ITEM-DESCRIPTION%5B1%5D=\xe4\x00\xff".to_vec(),
        charset: "iso-8859-1".into(),
        created_at: 2,
        order_document: None,
        order_answer: None,
    };
    store.put_received_cart(&cart).unwrap();
    assert_eq!(store.received_cart(&cart.id).unwrap(), Some(cart.clone()));
    store
        .set_order_sent(&cart.id, "<OrderRequest/>", "200 OK")
        .unwrap();
    let sent = store.received_cart(&cart.id).unwrap().unwrap();
    assert_eq!(
        (sent.order_document.as_deref(), sent.order_answer.as_deref()),
        (Some("<OrderRequest/>"), Some("200 OK"))
    );
}

fn order(profile: &str, key: &str, order_id: &str, at: i64) -> ReceivedOrder {
    ReceivedOrder {
        idempotency_key: key.into(),
        profile_id: profile.into(),
        order_id: order_id.into(),
        payload_id: format!("{order_id}@buyer"),
        record_json: "{}".into(),
        order_json: "{}".into(),
        received_at: at,
    }
}

fn duplicate_order_is_not_stored_twice(store: &dyn Store) {
    let profile = unique("buyer");
    let key = unique("key");
    let first = order(&profile, &key, "PO-1", 10);
    assert_eq!(store.insert_order(&first).unwrap(), OrderInsert::Inserted);
    // The same key again, even with other content: a duplicate, the first one kept.
    let again = order(&profile, &key, "PO-1-again", 11);
    assert_eq!(store.insert_order(&again).unwrap(), OrderInsert::Duplicate);
    let second = order(&profile, &unique("key"), "PO-2", 12);
    assert_eq!(store.insert_order(&second).unwrap(), OrderInsert::Inserted);
    assert_eq!(store.orders_of(&profile).unwrap(), vec![first, second]);
    assert_eq!(store.orders_of(&unique("nobody")).unwrap(), vec![]);
}

fn racing_start_token_is_granted_once(store: &dyn Store) {
    let token = unique("token");
    store.put_start(&grant(&token, 1_000)).unwrap();
    let hash = secret_hash(&token);
    let granted = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| store.take_start(&hash, 10).unwrap()))
            .collect();
        racers
            .into_iter()
            .map(|racer| racer.join().unwrap())
            .filter(|outcome| matches!(outcome, TokenUse::Granted(_)))
            .count()
    });
    assert_eq!(granted, 1);
}

macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(&*super::sqlite()); } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(&*super::postgres()); } )*
        }
    };
}

on_both_stores!(
    start_token_is_taken_once,
    expired_start_token_is_refused,
    unknown_start_token_is_unknown,
    start_token_is_stored_hashed,
    shop_session_lives_until_expiry,
    returned_cart_reads_back,
    received_cart_keeps_bytes_and_order,
    duplicate_order_is_not_stored_twice,
    racing_start_token_is_granted_once,
);
