//! The `orders` interface: cXML purchase orders read, identified and acknowledged, reconciled
//! against the returned cart, checked for redelivery, and the confirmation, ship notice and
//! invoice that follow; Peppol Orders (T01) identified by endpoint and read, and answered with
//! the Order Response (T76).

use punchout_plugin::cxml::{confirmation, invoice, order_request, ship_notice};
use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::order::fulfilment::{Confirmation, Invoice, ShipNotice};
use punchout_plugin::order::reconcile::{reconcile, Reconciliation};
use punchout_plugin::order::redelivery::{self, OrderRecord, Redelivery};
use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::peppol::order::PeppolOrder;
use punchout_plugin::peppol::order_response::OrderResponseDecision;
use punchout_plugin::profile::BuyerProfile;

use super::{ConfigCalls, Native};
use crate::runtime::CallError;

/// The order leg, after the cart went back.
pub trait OrderCalls: ConfigCalls {
    /// Reads and authenticates a cXML `OrderRequest` (the same limits, credential checks and
    /// error codes as a setup request).
    ///
    /// # Errors
    /// `Rejected` with the engine's typed error (answer the buyer with
    /// [`CxmlCalls::cxml_error_response`](super::CxmlCalls::cxml_error_response)).
    fn read_cxml_order(
        &mut self,
        profile: &mut Self::Profile,
        document: &[u8],
    ) -> Result<PurchaseOrder, CallError>;

    /// Which of several buyer profiles an `OrderRequest` is for, authenticated against it.
    ///
    /// # Errors
    /// `Rejected` with `unknown-buyer` or `authentication-failed` (the same 401 for the buyer),
    /// or for malformed or hostile XML.
    fn identify_cxml_order(
        &mut self,
        profiles: &mut [&mut Self::Profile],
        document: &[u8],
    ) -> Result<usize, CallError>;

    /// The cXML `Response` (200) that acknowledges an accepted order.
    ///
    /// # Errors
    /// `Trap` or `Host` only.
    fn cxml_order_response(&mut self, envelope: &Envelope) -> Result<String, CallError>;

    /// The order against the cart the engine returned for its session, judged by the profile's
    /// `orders` rules.
    ///
    /// # Errors
    /// `Rejected` with `invalid-cart` or `invalid-order`.
    fn reconcile_order(
        &mut self,
        profile: &mut Self::Profile,
        order: &PurchaseOrder,
        cart: &Cart,
        session: Option<&Session>,
    ) -> Result<Reconciliation, CallError>;

    /// The order against the shop's records of the orders it already received: new, a
    /// duplicate, a conflict or an update.
    ///
    /// # Errors
    /// `Rejected` with `invalid-order` for records the engine cannot read.
    fn order_redelivery(
        &mut self,
        order: &PurchaseOrder,
        known: &[OrderRecord],
    ) -> Result<Redelivery, CallError>;

    /// A cXML `ConfirmationRequest` for an order.
    ///
    /// # Errors
    /// `Rejected` with `invalid-order` when the confirmation does not fit the order.
    fn cxml_confirmation(
        &mut self,
        profile: &mut Self::Profile,
        order: &PurchaseOrder,
        confirmation: &Confirmation,
        envelope: &Envelope,
    ) -> Result<String, CallError>;

    /// A cXML `ShipNoticeRequest` for an order.
    ///
    /// # Errors
    /// `Rejected` with `invalid-order` (a line the order does not have, more shipped than
    /// ordered).
    fn cxml_ship_notice(
        &mut self,
        profile: &mut Self::Profile,
        order: &PurchaseOrder,
        notice: &ShipNotice,
        envelope: &Envelope,
    ) -> Result<String, CallError>;

    /// A cXML `InvoiceDetailRequest` for an order, its totals computed by the engine.
    ///
    /// # Errors
    /// `Rejected` with `invalid-order` or `invalid-value` (an unknown currency).
    fn cxml_invoice(
        &mut self,
        profile: &mut Self::Profile,
        order: &PurchaseOrder,
        invoice: &Invoice,
        envelope: &Envelope,
    ) -> Result<String, CallError>;

    /// Which of several Peppol buyer profiles a Peppol Order (T01) is for, by the buyer's and
    /// the seller's endpoint IDs.
    ///
    /// # Errors
    /// `Rejected` with `unknown-buyer` when no profile has both endpoints, or for malformed or
    /// hostile XML (any DOCTYPE or `schemaLocation`), another document, a missing endpoint.
    fn identify_peppol_order(
        &mut self,
        profiles: &mut [&mut Self::Profile],
        document: &[u8],
    ) -> Result<usize, CallError>;

    /// Reads a Peppol Order (T01) for the buyer profile `buyer_id`.
    ///
    /// # Errors
    /// `Rejected` with the engine's typed error, located by element path.
    fn read_peppol_order(
        &mut self,
        document: &[u8],
        buyer_id: &str,
    ) -> Result<PeppolOrder, CallError>;

    /// The Peppol Order Response (T76) to an order from the shop's decision (and, without a
    /// code in it, the reconciliation's verdict).
    ///
    /// # Errors
    /// `Rejected` with `invalid-order` when the decision does not fit the order.
    fn peppol_order_response(
        &mut self,
        order: &PeppolOrder,
        reconciliation: Option<&Reconciliation>,
        decision: &OrderResponseDecision,
    ) -> Result<String, CallError>;
}

impl OrderCalls for Native {
    fn read_cxml_order(
        &mut self,
        profile: &mut BuyerProfile,
        document: &[u8],
    ) -> Result<PurchaseOrder, CallError> {
        order_request::read_order_request(profile, document).map_err(CallError::Rejected)
    }

    fn identify_cxml_order(
        &mut self,
        profiles: &mut [&mut BuyerProfile],
        document: &[u8],
    ) -> Result<usize, CallError> {
        let profiles: Vec<&BuyerProfile> = profiles.iter().map(|profile| &**profile).collect();
        order_request::identify_order(&profiles, document).map_err(CallError::Rejected)
    }

    fn cxml_order_response(&mut self, envelope: &Envelope) -> Result<String, CallError> {
        Ok(order_request::order_response(envelope))
    }

    fn reconcile_order(
        &mut self,
        profile: &mut BuyerProfile,
        order: &PurchaseOrder,
        cart: &Cart,
        session: Option<&Session>,
    ) -> Result<Reconciliation, CallError> {
        reconcile(profile, order, cart, session).map_err(CallError::Rejected)
    }

    fn order_redelivery(
        &mut self,
        order: &PurchaseOrder,
        known: &[OrderRecord],
    ) -> Result<Redelivery, CallError> {
        Ok(redelivery::check(order, known))
    }

    fn cxml_confirmation(
        &mut self,
        profile: &mut BuyerProfile,
        order: &PurchaseOrder,
        confirmation: &Confirmation,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        confirmation::confirmation_request(profile, order, confirmation, envelope)
            .map_err(CallError::Rejected)
    }

    fn cxml_ship_notice(
        &mut self,
        profile: &mut BuyerProfile,
        order: &PurchaseOrder,
        notice: &ShipNotice,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        ship_notice::ship_notice_request(profile, order, notice, envelope)
            .map_err(CallError::Rejected)
    }

    fn cxml_invoice(
        &mut self,
        profile: &mut BuyerProfile,
        order: &PurchaseOrder,
        invoice: &Invoice,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        invoice::invoice_detail_request(profile, order, invoice, envelope)
            .map_err(CallError::Rejected)
    }

    fn identify_peppol_order(
        &mut self,
        profiles: &mut [&mut BuyerProfile],
        document: &[u8],
    ) -> Result<usize, CallError> {
        let profiles: Vec<&BuyerProfile> = profiles.iter().map(|profile| &**profile).collect();
        punchout_plugin::peppol::order::identify_profile(&profiles, document)
            .map_err(CallError::Rejected)
    }

    fn read_peppol_order(
        &mut self,
        document: &[u8],
        buyer_id: &str,
    ) -> Result<PeppolOrder, CallError> {
        punchout_plugin::peppol::order::read_order(document, buyer_id).map_err(CallError::Rejected)
    }

    fn peppol_order_response(
        &mut self,
        order: &PeppolOrder,
        reconciliation: Option<&Reconciliation>,
        decision: &OrderResponseDecision,
    ) -> Result<String, CallError> {
        punchout_plugin::peppol::order_response::order_response(order, reconciliation, decision)
            .map_err(CallError::Rejected)
    }
}
