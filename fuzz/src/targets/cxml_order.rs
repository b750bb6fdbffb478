//! A cXML `OrderRequest` from arbitrary bytes, against the sample buyer profile: refused with a
//! typed error, or read into an order that reconciles against the sample cart (a result or a
//! typed error), reads back equal from its own JSON, and hashes the same twice. Never a panic;
//! the stored secret never appears in an error.

use punchout_plugin::cxml::order_request::read_order_request;
use punchout_plugin::model::Cart;
use punchout_plugin::order::reconcile::reconcile;
use punchout_plugin::order::PurchaseOrder;

use crate::fixtures::{cxml_profile, CART_JSON, CXML_SECRET};

pub fn run(data: &[u8]) {
    let holds_secret = data
        .windows(CXML_SECRET.len())
        .any(|window| window == CXML_SECRET.as_bytes());
    let order = match read_order_request(cxml_profile(), data) {
        Ok(order) => order,
        Err(error) => {
            assert!(
                holds_secret || !format!("{error} {error:?}").contains(CXML_SECRET),
                "the secret leaked: {error}"
            );
            return;
        }
    };
    // What the shop stores reads back as the same order, with the same hash.
    let json = serde_json::to_vec(&order).expect("an order serializes");
    let stored: PurchaseOrder = serde_json::from_slice(&json).expect("an order reads back");
    assert_eq!(stored, order);
    let mut resealed = stored.clone();
    resealed.seal();
    assert_eq!(resealed.content_hash, order.content_hash);
    let cart: Cart = serde_json::from_str(CART_JSON).expect("the sample cart");
    // Any outcome, as long as it is a result or a typed error.
    let _ = reconcile(cxml_profile(), &order, &cart, None);
}
