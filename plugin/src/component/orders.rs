//! The wit-bindgen glue of the `orders` interface: orders, reconciliations and the shop's
//! fulfilment data cross as JSON bytes; this converts, holds no logic.

use super::exports::punchout::engine::orders as wit_orders;
use super::{envelope_from_wit, error_to_wit, read_cart, session_from_wit, wit, Engine};
use super::{BuyerProfileBorrow, ProfileResource};
use crate::error::ErrorCode;
use crate::order::redelivery::{self, OrderRecord, Redelivery, RedeliveryOutcome};
use crate::order::{self, json, PurchaseOrder};

fn read_order(order_json: &[u8]) -> Result<PurchaseOrder, wit::Error> {
    json::read(order_json, ErrorCode::InvalidOrder, "order").map_err(error_to_wit)
}

fn text_to_bytes(result: crate::Result<String>) -> Result<Vec<u8>, wit::Error> {
    result.map(String::into_bytes).map_err(error_to_wit)
}

impl wit_orders::Guest for Engine {
    fn read_cxml_order(
        profile: BuyerProfileBorrow<'_>,
        document: Vec<u8>,
    ) -> Result<Vec<u8>, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        crate::cxml::order_request::read_order_request(profile, &document)
            .map(|order| json::write(&order))
            .map_err(error_to_wit)
    }

    fn identify_cxml_order(
        profiles: Vec<BuyerProfileBorrow<'_>>,
        document: Vec<u8>,
    ) -> Result<u32, wit::Error> {
        let profiles = profiles
            .iter()
            .map(|profile| &profile.get::<ProfileResource>().0)
            .collect::<Vec<_>>();
        crate::cxml::order_request::identify_order(&profiles, &document)
            .map(|index| u32::try_from(index).unwrap_or(u32::MAX))
            .map_err(error_to_wit)
    }

    fn cxml_order_response(envelope: wit::Envelope) -> String {
        crate::cxml::order_request::order_response(&envelope_from_wit(envelope))
    }

    fn reconcile(
        profile: BuyerProfileBorrow<'_>,
        order_json: Vec<u8>,
        cart_json: Vec<u8>,
        session: Option<wit::Session>,
    ) -> Result<Vec<u8>, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let order = read_order(&order_json)?;
        let cart = read_cart(profile, &cart_json).map_err(error_to_wit)?;
        let session = session.map(session_from_wit);
        order::reconcile::reconcile(profile, &order, &cart, session.as_ref())
            .map(|reconciliation| json::write(&reconciliation))
            .map_err(error_to_wit)
    }

    fn check_redelivery(
        order_json: Vec<u8>,
        known: Vec<wit_orders::OrderRecord>,
    ) -> Result<wit_orders::Redelivery, wit::Error> {
        let order = read_order(&order_json)?;
        let known: Vec<OrderRecord> = known.into_iter().map(record_from_wit).collect();
        Ok(redelivery_to_wit(redelivery::check(&order, &known)))
    }

    fn cxml_confirmation(
        profile: BuyerProfileBorrow<'_>,
        order_json: Vec<u8>,
        confirmation_json: Vec<u8>,
        envelope: wit::Envelope,
    ) -> Result<Vec<u8>, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let order = read_order(&order_json)?;
        let confirmation = json::read(&confirmation_json, ErrorCode::InvalidOrder, "confirmation")
            .map_err(error_to_wit)?;
        text_to_bytes(crate::cxml::confirmation::confirmation_request(
            profile,
            &order,
            &confirmation,
            &envelope_from_wit(envelope),
        ))
    }

    fn cxml_ship_notice(
        profile: BuyerProfileBorrow<'_>,
        order_json: Vec<u8>,
        ship_notice_json: Vec<u8>,
        envelope: wit::Envelope,
    ) -> Result<Vec<u8>, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let order = read_order(&order_json)?;
        let notice = json::read(&ship_notice_json, ErrorCode::InvalidOrder, "ship notice")
            .map_err(error_to_wit)?;
        text_to_bytes(crate::cxml::ship_notice::ship_notice_request(
            profile,
            &order,
            &notice,
            &envelope_from_wit(envelope),
        ))
    }

    fn identify_peppol_order(
        profiles: Vec<BuyerProfileBorrow<'_>>,
        document: Vec<u8>,
    ) -> Result<u32, wit::Error> {
        let profiles = profiles
            .iter()
            .map(|profile| &profile.get::<ProfileResource>().0)
            .collect::<Vec<_>>();
        crate::peppol::order::identify_profile(&profiles, &document)
            .map(|index| u32::try_from(index).unwrap_or(u32::MAX))
            .map_err(error_to_wit)
    }

    fn read_peppol_order(document: Vec<u8>, buyer_id: String) -> Result<Vec<u8>, wit::Error> {
        crate::peppol::order::read_order(&document, &buyer_id)
            .map(|order| json::write(&order))
            .map_err(error_to_wit)
    }

    fn peppol_order_response(
        peppol_order_json: Vec<u8>,
        reconciliation_json: Option<Vec<u8>>,
        decision_json: Vec<u8>,
    ) -> Result<Vec<u8>, wit::Error> {
        let order = json::read(&peppol_order_json, ErrorCode::InvalidOrder, "Peppol order")
            .map_err(error_to_wit)?;
        let reconciliation = reconciliation_json
            .map(|bytes| json::read(&bytes, ErrorCode::InvalidOrder, "reconciliation"))
            .transpose()
            .map_err(error_to_wit)?;
        let decision = json::read(&decision_json, ErrorCode::InvalidOrder, "decision")
            .map_err(error_to_wit)?;
        text_to_bytes(crate::peppol::order_response::order_response(
            &order,
            reconciliation.as_ref(),
            &decision,
        ))
    }

    fn cxml_invoice(
        profile: BuyerProfileBorrow<'_>,
        order_json: Vec<u8>,
        invoice_json: Vec<u8>,
        envelope: wit::Envelope,
    ) -> Result<Vec<u8>, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let order = read_order(&order_json)?;
        let invoice =
            json::read(&invoice_json, ErrorCode::InvalidOrder, "invoice").map_err(error_to_wit)?;
        text_to_bytes(crate::cxml::invoice::invoice_detail_request(
            profile,
            &order,
            &invoice,
            &envelope_from_wit(envelope),
        ))
    }
}

fn record_from_wit(record: wit_orders::OrderRecord) -> OrderRecord {
    OrderRecord {
        idempotency_key: record.idempotency_key,
        payload_id: record.payload_id,
        order_id: record.order_id,
        content_hash: record.content_hash,
    }
}

fn record_to_wit(record: OrderRecord) -> wit_orders::OrderRecord {
    wit_orders::OrderRecord {
        idempotency_key: record.idempotency_key,
        payload_id: record.payload_id,
        order_id: record.order_id,
        content_hash: record.content_hash,
    }
}

fn redelivery_to_wit(answer: Redelivery) -> wit_orders::Redelivery {
    use wit_orders::RedeliveryOutcome as W;
    wit_orders::Redelivery {
        outcome: match answer.outcome {
            RedeliveryOutcome::New => W::New,
            RedeliveryOutcome::Duplicate => W::Duplicate,
            RedeliveryOutcome::Conflict => W::Conflict,
            RedeliveryOutcome::Update => W::Update,
            RedeliveryOutcome::UnknownPrevious => W::UnknownPrevious,
        },
        known: answer.known.map(record_to_wit),
        message: answer.message,
    }
}
