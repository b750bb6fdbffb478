//! The `orders` interface's calls on a [`Worker`] ([`OrderCalls`]): the order, the cart and the
//! shop's data cross as JSON bytes, the answers come back as JSON or document bytes.

use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::order::fulfilment::{Confirmation, Invoice, ShipNotice};
use punchout_plugin::order::reconcile::Reconciliation;
use punchout_plugin::order::redelivery::{OrderRecord, Redelivery, RedeliveryOutcome};
use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::peppol::order::PeppolOrder;
use punchout_plugin::peppol::order_response::OrderResponseDecision;
use punchout_plugin::xml::XmlLimits;

use super::bindings::exports::punchout::engine::orders as wit_orders;
use super::{refuse_oversized, types, CallError, Profile, Worker};
use crate::calls::OrderCalls;

/// JSON of a value the host holds typed.
fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, CallError> {
    serde_json::to_vec(value).map_err(|error| CallError::Host(format!("JSON: {error}")))
}

/// A value the engine wrote as JSON; the engine's output is checked, not trusted.
fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, CallError> {
    serde_json::from_slice(bytes)
        .map_err(|error| CallError::Host(format!("the engine's {what} is not valid JSON: {error}")))
}

fn document_text(bytes: Vec<u8>, what: &str) -> Result<String, CallError> {
    String::from_utf8(bytes)
        .map_err(|_| CallError::Host(format!("the engine's {what} is not UTF-8")))
}

/// The engine's answer as a typed result or its typed refusal.
fn answer<T>(result: Result<T, super::wit::Error>) -> Result<T, CallError> {
    result.map_err(|error| CallError::Rejected(types::error_from_wit(error)))
}

impl OrderCalls for Worker {
    fn read_cxml_order(
        &mut self,
        profile: &mut Profile,
        document: &[u8],
    ) -> Result<PurchaseOrder, CallError> {
        refuse_oversized(XmlLimits::order().check_document_size(document.len()))?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_read_cxml_order(&mut live.store, handle, document)
            .map(|result| answer(result).and_then(|json| from_json(&json, "order")));
        self.settle(outcome)
    }

    fn identify_cxml_order(
        &mut self,
        profiles: &mut [&mut Profile],
        document: &[u8],
    ) -> Result<usize, CallError> {
        refuse_oversized(XmlLimits::order().check_document_size(document.len()))?;
        let handles = self.profile_handles(profiles)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_identify_cxml_order(&mut live.store, &handles, document)
            .map(|result| answer(result).map(|index| usize::try_from(index).unwrap_or(usize::MAX)));
        self.settle(outcome)
    }

    fn cxml_order_response(&mut self, envelope: &Envelope) -> Result<String, CallError> {
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_cxml_order_response(&mut live.store, &types::envelope_to_wit(envelope))
            .map(Ok);
        self.settle(outcome)
    }

    fn reconcile_order(
        &mut self,
        profile: &mut Profile,
        order: &PurchaseOrder,
        cart: &Cart,
        session: Option<&Session>,
    ) -> Result<Reconciliation, CallError> {
        refuse_oversized(profile.limits.check_cart(cart))?;
        let order = to_json(order)?;
        // The cart goes through the buffer cart returns reuse.
        let cart = self.typed_cart_json(cart)?;
        let session = session.map(types::session_to_wit);
        let reconciliation = self.reconcile_json(profile, &order, &cart, session.as_ref());
        self.keep_cart_buffer(cart);
        reconciliation
    }

    fn order_redelivery(
        &mut self,
        order: &PurchaseOrder,
        known: &[OrderRecord],
    ) -> Result<Redelivery, CallError> {
        let order = to_json(order)?;
        let known: Vec<wit_orders::OrderRecord> = known.iter().map(record_to_wit).collect();
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_check_redelivery(&mut live.store, &order, &known)
            .map(|result| answer(result).map(redelivery_from_wit));
        self.settle(outcome)
    }

    fn cxml_confirmation(
        &mut self,
        profile: &mut Profile,
        order: &PurchaseOrder,
        confirmation: &Confirmation,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        let order = to_json(order)?;
        let data = to_json(confirmation)?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_cxml_confirmation(
                &mut live.store,
                handle,
                &order,
                &data,
                &types::envelope_to_wit(envelope),
            )
            .map(|result| answer(result).and_then(|bytes| document_text(bytes, "confirmation")));
        self.settle(outcome)
    }

    fn cxml_ship_notice(
        &mut self,
        profile: &mut Profile,
        order: &PurchaseOrder,
        notice: &ShipNotice,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        let order = to_json(order)?;
        let data = to_json(notice)?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_cxml_ship_notice(
                &mut live.store,
                handle,
                &order,
                &data,
                &types::envelope_to_wit(envelope),
            )
            .map(|result| answer(result).and_then(|bytes| document_text(bytes, "ship notice")));
        self.settle(outcome)
    }

    fn cxml_invoice(
        &mut self,
        profile: &mut Profile,
        order: &PurchaseOrder,
        invoice: &Invoice,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        let order = to_json(order)?;
        let data = to_json(invoice)?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_cxml_invoice(
                &mut live.store,
                handle,
                &order,
                &data,
                &types::envelope_to_wit(envelope),
            )
            .map(|result| answer(result).and_then(|bytes| document_text(bytes, "invoice")));
        self.settle(outcome)
    }

    fn identify_peppol_order(
        &mut self,
        profiles: &mut [&mut Profile],
        document: &[u8],
    ) -> Result<usize, CallError> {
        refuse_oversized(XmlLimits::order().check_document_size(document.len()))?;
        let handles = self.profile_handles(profiles)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_identify_peppol_order(&mut live.store, &handles, document)
            .map(|result| answer(result).map(|index| usize::try_from(index).unwrap_or(usize::MAX)));
        self.settle(outcome)
    }

    fn read_peppol_order(
        &mut self,
        document: &[u8],
        buyer_id: &str,
    ) -> Result<PeppolOrder, CallError> {
        refuse_oversized(XmlLimits::order().check_document_size(document.len()))?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_read_peppol_order(&mut live.store, document, buyer_id)
            .map(|result| answer(result).and_then(|json| from_json(&json, "Peppol order")));
        self.settle(outcome)
    }

    fn peppol_order_response(
        &mut self,
        order: &PeppolOrder,
        reconciliation: Option<&Reconciliation>,
        decision: &OrderResponseDecision,
    ) -> Result<String, CallError> {
        let order = to_json(order)?;
        let reconciliation = reconciliation.map(to_json).transpose()?;
        let decision = to_json(decision)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_peppol_order_response(
                &mut live.store,
                &order,
                reconciliation.as_deref(),
                &decision,
            )
            .map(|result| answer(result).and_then(|bytes| document_text(bytes, "order response")));
        self.settle(outcome)
    }
}

impl Worker {
    fn reconcile_json(
        &mut self,
        profile: &mut Profile,
        order: &[u8],
        cart: &[u8],
        session: Option<&super::wit::Session>,
    ) -> Result<Reconciliation, CallError> {
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_orders()
            .call_reconcile(&mut live.store, handle, order, cart, session)
            .map(|result| answer(result).and_then(|json| from_json(&json, "reconciliation")));
        self.settle(outcome)
    }
}

fn record_to_wit(record: &OrderRecord) -> wit_orders::OrderRecord {
    wit_orders::OrderRecord {
        idempotency_key: record.idempotency_key.clone(),
        payload_id: record.payload_id.clone(),
        order_id: record.order_id.clone(),
        content_hash: record.content_hash.clone(),
    }
}

fn redelivery_from_wit(answer: wit_orders::Redelivery) -> Redelivery {
    use wit_orders::RedeliveryOutcome as W;
    Redelivery {
        outcome: match answer.outcome {
            W::New => RedeliveryOutcome::New,
            W::Duplicate => RedeliveryOutcome::Duplicate,
            W::Conflict => RedeliveryOutcome::Conflict,
            W::Update => RedeliveryOutcome::Update,
            W::UnknownPrevious => RedeliveryOutcome::UnknownPrevious,
        },
        known: answer.known.map(|record| OrderRecord {
            idempotency_key: record.idempotency_key,
            payload_id: record.payload_id,
            order_id: record.order_id,
            content_hash: record.content_hash,
        }),
        message: answer.message,
    }
}
