//! The buyer's side: a T01 written from a [`PurchaseOrder`].
use super::PeppolOrder;

/// Writes `order` as a T01.
pub fn write_order(order: &PeppolOrder) -> String {
    let _ = order;
    String::new()
}
