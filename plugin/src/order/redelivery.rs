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
            .and_then(|payload| known.iter().rev().find(|record| record.payload_id == payload))
            .or_else(|| {
                previous.and_then(|previous| {
                    known
                        .iter()
                        .rev()
                        .find(|record| record.order_id == previous.order_id)
                })
            })
            .or_else(|| known.iter().rev().find(|record| record.order_id == order.order_id));
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
    answer(
        RedeliveryOutcome::New,
        None,
        format!("order `{id}` is new"),
    )
}
