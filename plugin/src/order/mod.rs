//! The order leg, protocol-neutral: the purchase order as the engine reads it from the buyer
//! (cXML `OrderRequest` today, the Peppol Order later), in the shop's terms where the profile
//! allows, ready to be [reconciled](reconcile) against the cart the engine returned.
//!
//! Amounts and quantities stay decimal text as the buyer wrote them (checked to be decimals when
//! read); the reconciliation parses them with [`crate::model::parse_decimal`].

pub mod fulfilment;
pub mod json;
pub mod money;
pub mod reconcile;
pub mod redelivery;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::model::{Address, Credential, Property};

/// What an order asks: a new order, a change to an earlier one, or its cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderType {
    New,
    Update,
    Delete,
}

impl OrderType {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::New => "new",
            OrderType::Update => "update",
            OrderType::Delete => "delete",
        }
    }
}

/// An amount with its currency, as the buyer wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// A decimal such as `53.55`.
    pub amount: String,
    /// ISO 4217, such as `EUR`.
    pub currency: String,
}

/// A charge on the order or a line (shipping, tax): the amount and what the buyer said of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charge {
    pub money: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A person the buyer names on the order (`Contact` in cXML), with its role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// How the buyer pays, without the card number: only its last four digits are kept, so that a
/// shop never stores more of a card than it needs to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// `pcard` for a procurement card.
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_last_digits: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_name: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
}

/// One accounting segment of a distribution (cost centre, GL account...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountingSegment {
    /// `type` in cXML, such as `CostCenter`.
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How a line's cost is split across accounts (`Distribution` in cXML).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// The accounting's name, such as `DistributionCharge`.
    pub name: String,
    pub segments: Vec<AccountingSegment>,
    pub charge: Money,
}

/// The earlier order an update or a delete refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderReference {
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_date: Option<String>,
}

/// One ordered line (`ItemOut`), with the buyer's values and, where the profile tells them, the
/// shop's: the SKU and `line-ref` the shop gave the line when the cart went back, and its unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// The buyer's line number (`lineNumber`), unique in the order.
    pub line_number: u32,
    /// A decimal, such as `2` or `1.5`.
    pub quantity: String,
    /// The part number the buyer ordered (`SupplierPartID`).
    pub supplier_part_id: String,
    /// `SupplierPartAuxiliaryID`, which the engine fills with the cart line's `line-ref`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_part_auxiliary_id: Option<String>,
    /// The unit code as the buyer sent it (`UnitOfMeasure`).
    pub unit: String,
    /// The buyer's unit in the shop's terms, read back through the profile's unit map; `None`
    /// when the order has no unit or the map cannot tell (several shop units map to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop_unit: Option<String>,
    /// `None` in the bare `ItemID` form, which carries no price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Property>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer_part_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer_name: Option<String>,
    /// As written, such as `2026-01-20` or a full timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_delivery_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<Charge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<Charge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distributions: Vec<Distribution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extrinsics: Vec<Property>,
}

/// A purchase order as the engine read it: authenticated, well-formed, within the limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrder {
    /// The profile that authenticated the order.
    pub buyer_id: String,
    /// The document's identifier (cXML `payloadID`), new on every delivery.
    pub payload_id: String,
    /// The buyer's order number (`orderID`), the same on every delivery of one order.
    pub order_id: String,
    pub order_date: String,
    pub order_type: OrderType,
    /// The buyer's version of the order (cXML `orderVersion`: 1 for the original, then 2, 3…
    /// for each change), when it sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_version: Option<u32>,
    /// For an update or a delete: the order it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_order: Option<OrderReference>,
    /// The buyer (`From`) and the shop (`To`), as in a session.
    pub buyer: Credential,
    pub supplier: Credential,
    /// The order's currency: the `Total`'s, else the first line price's.
    pub currency: String,
    /// The total as the buyer stated it; the reconciliation recomputes it, never trusts it.
    pub total: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_to: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<Charge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<Charge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extrinsics: Vec<Property>,
    /// The shop's own order number, when the buyer echoes it (`SupplierOrderInfo/@orderID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_order_id: Option<String>,
    pub lines: Vec<OrderLine>,
    /// SHA-256 (hex) of what the order says (its header, lines and both credentials), leaving out
    /// what changes on each delivery (payload ID, timestamp): two deliveries of the same order
    /// have the same hash.
    pub content_hash: String,
    /// The key a shop stores to apply an order once: payload ID, order ID and content hash.
    pub idempotency_key: String,
}

impl PurchaseOrder {
    /// Fills [`content_hash`](Self::content_hash) and
    /// [`idempotency_key`](Self::idempotency_key) from the order's content. Every reader calls
    /// it last, so that the cXML and the Peppol order hash the same way.
    pub fn seal(&mut self) {
        use sha2::{Digest, Sha256};
        // What changes between deliveries of one order is left out of the hash: taken out for
        // the time of hashing, so that the order is serialized straight into the hash, without
        // a copy of it or of its JSON (an order may have 10 000 lines).
        let payload_id = std::mem::take(&mut self.payload_id);
        self.content_hash.clear();
        self.idempotency_key.clear();
        let mut hasher = HashWriter(Sha256::new());
        // Serializing plain strings and vectors cannot fail; an empty hash would only make every
        // order look new, never a different one look the same.
        let _ = serde_json::to_writer(&mut hasher, &*self);
        self.payload_id = payload_id;
        let hash = hex(&hasher.0.finalize());
        let key = Sha256::new()
            .chain_update(self.payload_id.as_bytes())
            .chain_update([0])
            .chain_update(self.order_id.as_bytes())
            .chain_update([0])
            .chain_update(hash.as_bytes())
            .finalize();
        self.idempotency_key = hex(&key);
        self.content_hash = hash;
    }
}

/// Feeds what is written into a SHA-256.
struct HashWriter(sha2::Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(&mut self.0, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len().saturating_mul(2));
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}
