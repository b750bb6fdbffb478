//! Duplicates and replays of one order: whether an order the buyer delivered is new, one the
//! shop already has, a conflicting second version of one, or an update of one.
//!
//! The shop stores an [`OrderRecord`] for every order it applies (its idempotency key, payload
//! ID, order ID and content hash; [`OrderRecord::of`]) and, before applying the next, asks
//! [`check`] against the records of that buyer:
//!
//! | outcome | when | what the shop does |
//! |---|---|---|
//! | `duplicate` | a known order has the same order ID and content (whatever the payload ID), or the same payload ID and content | answer as before; never apply it twice |
//! | `conflict` | a known order has the same order ID (or payload ID) and other content, and this is not an update or a cancellation | report it, never accept it silently |
//! | `update` | an `update` or `delete` that refers to a known order (by its payload ID, else its order ID, else by sharing its order ID) | apply it to that order ([`Redelivery::known`]) |
//! | `unknown-previous` | an `update` or `delete` that refers to no known order | ask the buyer: the order it changes never arrived |
//! | `new` | none of the above | apply it |
//!
//! The content hash leaves out what changes between deliveries (payload ID, timestamp,
//! credentials), so a buyer's retry with a fresh payload ID is still a duplicate.

use serde::{Deserialize, Serialize};

use super::{OrderType, PurchaseOrder};
use crate::model::shorten;

/// What the shop stores of an order it applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRecord {
    pub idempotency_key: String,
    pub payload_id: String,
    pub order_id: String,
    pub content_hash: String,
}

impl OrderRecord {
    /// The record of an order, to store once it is applied.
    pub fn of(order: &PurchaseOrder) -> Self {
        OrderRecord {
            idempotency_key: order.idempotency_key.clone(),
            payload_id: order.payload_id.clone(),
            order_id: order.order_id.clone(),
            content_hash: order.content_hash.clone(),
        }
    }
}

/// How an order relates to the orders the shop knows (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedeliveryOutcome {
    New,
    Duplicate,
    Conflict,
    Update,
    UnknownPrevious,
}

/// The answer of [`check`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redelivery {
    pub outcome: RedeliveryOutcome,
    /// The known order it duplicates, conflicts with or updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<OrderRecord>,
    pub message: String,
}

/// Checks an order against the records of the orders the shop applied, oldest first (the
/// latest record that fits is the one named). Linear in `known`.
pub fn check(order: &PurchaseOrder, known: &[OrderRecord]) -> Redelivery {
    let answer = |outcome, record: Option<&OrderRecord>, message: String| Redelivery {
        outcome,
        known: record.cloned(),
        message,
    };
    let id = shorten(&order.order_id);
    // The same delivery, or the same order delivered again under a new payload ID.
    if let Some(record) = known.iter().rev().find(|record| {
        record.idempotency_key == order.idempotency_key
            || (record.content_hash == order.content_hash
                && (record.order_id == order.order_id || record.payload_id == order.payload_id))
    }) {
        let how = if record.payload_id == order.payload_id {
            "delivered again with the same payload ID"
        } else {
            "delivered again under a new payload ID"
        };
        return answer(
            RedeliveryOutcome::Duplicate,
            Some(record),
            format!("order `{id}` is a duplicate, {how}: it is already applied and must not be applied twice"),
        );
    }
    if order.order_type != OrderType::New {
        let previous = order.previous_order.as_ref();
        let found = previous
            .and_then(|previous| previous.payload_id.as_deref())
            .and_then(|payload| {
                known
                    .iter()
                    .rev()
                    .find(|record| record.payload_id == payload)
            })
            .or_else(|| {
                previous.and_then(|previous| {
                    known
                        .iter()
                        .rev()
                        .find(|record| record.order_id == previous.order_id)
                })
            })
            .or_else(|| {
                known
                    .iter()
                    .rev()
                    .find(|record| record.order_id == order.order_id)
            });
        let what = if order.order_type == OrderType::Delete {
            "cancels"
        } else {
            "updates"
        };
        return match found {
            Some(record) => answer(
                RedeliveryOutcome::Update,
                Some(record),
                format!(
                    "order `{id}` {what} the known order `{}`",
                    shorten(&record.order_id)
                ),
            ),
            None => answer(
                RedeliveryOutcome::UnknownPrevious,
                None,
                format!(
                    "order `{id}` {what} order `{}`, which the shop has no record of",
                    shorten(previous.map_or(order.order_id.as_str(), |p| p.order_id.as_str()))
                ),
            ),
        };
    }
    if let Some(record) = known
        .iter()
        .rev()
        .find(|record| record.order_id == order.order_id)
    {
        return answer(
            RedeliveryOutcome::Conflict,
            Some(record),
            format!(
                "order `{id}` was received before with other content (payload `{}`), and this delivery is not an update: report it to the buyer, do not apply it",
                shorten(&record.payload_id)
            ),
        );
    }
    if let Some(record) = known
        .iter()
        .rev()
        .find(|record| record.payload_id == order.payload_id)
    {
        return answer(
            RedeliveryOutcome::Conflict,
            Some(record),
            format!(
                "payload `{}` was received before as order `{}` with other content: a payload ID names one document, so this one is refused",
                shorten(&order.payload_id),
                shorten(&record.order_id)
            ),
        );
    }
    answer(RedeliveryOutcome::New, None, format!("order `{id}` is new"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Credential;
    use crate::order::{Money, OrderLine, OrderReference};

    fn order(payload: &str, order_id: &str, quantity: &str) -> PurchaseOrder {
        let credential = Credential {
            domain: "NetworkID".into(),
            identity: "AN01".into(),
        };
        let mut order = PurchaseOrder {
            buyer_id: "acme".into(),
            payload_id: payload.into(),
            order_id: order_id.into(),
            order_date: "2026-01-16".into(),
            order_type: OrderType::New,
            order_version: None,
            previous_order: None,
            buyer: credential.clone(),
            supplier: credential,
            currency: "EUR".into(),
            total: Money {
                amount: "20.00".into(),
                currency: "EUR".into(),
            },
            ship_to: None,
            bill_to: None,
            shipping: None,
            tax: None,
            payment: None,
            contacts: Vec::new(),
            comments: None,
            extrinsics: Vec::new(),
            supplier_order_id: None,
            lines: vec![OrderLine {
                line_number: 1,
                quantity: quantity.into(),
                supplier_part_id: "A".into(),
                supplier_part_auxiliary_id: Some("L1".into()),
                unit: "EA".into(),
                shop_unit: None,
                unit_price: None,
                description: None,
                classification: None,
                manufacturer_part_id: None,
                manufacturer_name: None,
                requested_delivery_date: None,
                ship_to: None,
                shipping: None,
                tax: None,
                distributions: Vec::new(),
                comments: None,
                extrinsics: Vec::new(),
            }],
            content_hash: String::new(),
            idempotency_key: String::new(),
        };
        order.seal();
        order
    }

    #[test]
    fn an_order_never_seen_is_new() {
        let first = order("p1", "PO-1", "2");
        let other = OrderRecord::of(&order("p0", "PO-0", "2"));
        let answer = check(&first, &[other]);
        assert_eq!(answer.outcome, RedeliveryOutcome::New);
        assert_eq!(answer.known, None);
        assert_eq!(answer.message, "order `PO-1` is new");
    }

    #[test]
    fn the_same_delivery_twice_is_a_duplicate() {
        let first = order("p1", "PO-1", "2");
        let known = [OrderRecord::of(&first)];
        let answer = check(&first, &known);
        assert_eq!(answer.outcome, RedeliveryOutcome::Duplicate);
        assert_eq!(answer.known.as_ref(), Some(&known[0]));
        assert_eq!(
            answer.message,
            "order `PO-1` is a duplicate, delivered again with the same payload ID: it is already applied and must not be applied twice"
        );
    }

    #[test]
    fn the_same_order_under_a_new_payload_id_is_a_duplicate() {
        let first = order("p1", "PO-1", "2");
        let retry = order("p2", "PO-1", "2");
        assert_ne!(first.idempotency_key, retry.idempotency_key);
        assert_eq!(first.content_hash, retry.content_hash);
        let answer = check(&retry, &[OrderRecord::of(&first)]);
        assert_eq!(answer.outcome, RedeliveryOutcome::Duplicate);
        assert!(answer.message.contains("under a new payload ID"));
    }

    #[test]
    fn the_same_order_id_with_other_content_is_a_conflict() {
        let first = order("p1", "PO-1", "2");
        let changed = order("p2", "PO-1", "3");
        let answer = check(&changed, &[OrderRecord::of(&first)]);
        assert_eq!(answer.outcome, RedeliveryOutcome::Conflict);
        assert_eq!(answer.known, Some(OrderRecord::of(&first)));
        assert_eq!(
            answer.message,
            "order `PO-1` was received before with other content (payload `p1`), and this delivery is not an update: report it to the buyer, do not apply it"
        );
    }

    #[test]
    fn a_payload_id_reused_for_another_order_is_a_conflict() {
        let first = order("p1", "PO-1", "2");
        let reused = order("p1", "PO-2", "2");
        let answer = check(&reused, &[OrderRecord::of(&first)]);
        assert_eq!(answer.outcome, RedeliveryOutcome::Conflict);
        assert!(answer
            .message
            .starts_with("payload `p1` was received before as order `PO-1`"));
    }

    #[test]
    fn an_update_of_a_known_order_is_an_update_and_its_redelivery_a_duplicate() {
        let first = order("p1", "PO-1", "2");
        let older = order("p0", "PO-0", "1");
        let mut update = order("p2", "PO-1", "3");
        update.order_type = OrderType::Update;
        update.previous_order = Some(OrderReference {
            order_id: "PO-1".into(),
            payload_id: Some("p1".into()),
            order_date: None,
        });
        update.seal();
        let known = vec![OrderRecord::of(&older), OrderRecord::of(&first)];
        let answer = check(&update, &known);
        assert_eq!(answer.outcome, RedeliveryOutcome::Update);
        assert_eq!(answer.known, Some(OrderRecord::of(&first)));
        assert_eq!(
            answer.message,
            "order `PO-1` updates the known order `PO-1`"
        );
        let mut applied = known;
        applied.push(OrderRecord::of(&update));
        assert_eq!(
            check(&update, &applied).outcome,
            RedeliveryOutcome::Duplicate
        );
        // A cancellation of it is an update too, naming what it does.
        let mut delete = update.clone();
        delete.order_type = OrderType::Delete;
        delete.seal();
        let answer = check(&delete, &applied);
        assert_eq!(answer.outcome, RedeliveryOutcome::Update);
        assert_eq!(
            answer.message,
            "order `PO-1` cancels the known order `PO-1`"
        );
    }

    #[test]
    fn an_update_of_an_order_never_received_is_reported() {
        let mut update = order("p2", "PO-7", "3");
        update.order_type = OrderType::Update;
        update.previous_order = Some(OrderReference {
            order_id: "PO-6".into(),
            payload_id: None,
            order_date: None,
        });
        update.seal();
        let answer = check(&update, &[OrderRecord::of(&order("p1", "PO-1", "2"))]);
        assert_eq!(answer.outcome, RedeliveryOutcome::UnknownPrevious);
        assert_eq!(
            answer.message,
            "order `PO-7` updates order `PO-6`, which the shop has no record of"
        );
    }

    #[test]
    fn the_record_serializes_as_the_shop_stores_it() {
        let record = OrderRecord::of(&order("p1", "PO-1", "2"));
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(
            json.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["content_hash", "idempotency_key", "order_id", "payload_id"]
        );
        assert_eq!(serde_json::from_value::<OrderRecord>(json).unwrap(), record);
        let answer = serde_json::to_value(check(&order("p1", "PO-1", "2"), &[record])).unwrap();
        assert_eq!(answer["outcome"], "duplicate");
    }
}
