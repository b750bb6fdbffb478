//! A Peppol Order (T01) from arbitrary bytes: [`identify_order`] and [`read_order`] agree (the
//! same error, or the endpoints of the order read); an order read reads back equal from its own
//! JSON and hashes the same twice; the buyer-side writer's T01 of it reads again, and writing
//! that gives the same document (the writer is a fixed point after one round); the T76 that
//! accepts it is written. Never a panic.

use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::peppol::order::{identify_order, read_order, write_order};
use punchout_plugin::peppol::order_response::{
    order_response, OrderResponseDecision, ResponseCode,
};

pub fn run(data: &[u8]) {
    let identified = identify_order(data);
    let read = match read_order(data, "fuzz-buyer") {
        Ok(read) => read,
        Err(error) => {
            if let Err(identify_error) = identified {
                // Identification reads less of the document; where it fails, the read fails the
                // same way (the same first refusal).
                assert_eq!(identify_error, error, "identify and read disagree");
            }
            return;
        }
    };
    assert_eq!(
        identified.expect("a document read is identified"),
        read.endpoints
    );
    let json = serde_json::to_vec(&read.order).expect("an order serializes");
    let stored: PurchaseOrder = serde_json::from_slice(&json).expect("an order reads back");
    assert_eq!(stored, read.order);
    let mut resealed = stored;
    resealed.seal();
    assert_eq!(resealed.content_hash, read.order.content_hash);

    let written = write_order(&read);
    let again = read_order(written.as_bytes(), "fuzz-buyer")
        .unwrap_or_else(|error| panic!("the written order is refused: {error}\n{written}"));
    assert_eq!(
        write_order(&again),
        written,
        "the writer is not a fixed point"
    );

    let accept = OrderResponseDecision {
        response_id: "fuzz".to_owned(),
        issue_date: "2026-11-30".to_owned(),
        issue_time: None,
        code: Some(ResponseCode::Accept),
        sales_order_id: None,
        note: None,
        lines: Vec::new(),
    };
    order_response(&read, None, &accept).expect("an order read can be accepted");
}
