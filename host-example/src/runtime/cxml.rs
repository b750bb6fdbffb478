//! The `cxml` interface's calls on a [`Worker`] ([`CxmlCalls`]), in the core's own types, and
//! the conversions of its records.

use punchout_plugin::cxml::order_message::OrderMessage;
use punchout_plugin::cxml::setup::SetupAccepted;
use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::xml::XmlLimits;
use punchout_plugin::Error;

use super::types::{line_from_wit, operation_from_wit, session_from_wit};
use super::{refuse_oversized, types, CallError, Profile, Worker};
use crate::calls::{CartReturn, CxmlCalls};

impl CxmlCalls for Worker {
    fn cxml_setup(
        &mut self,
        profile: &mut Profile,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError> {
        refuse_oversized(XmlLimits::setup_request().check_document_size(request.len()))?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_cxml()
            .call_setup(
                &mut live.store,
                handle,
                request,
                start_url,
                &types::envelope_to_wit(envelope),
            )
            .map(|result| {
                result
                    .map(setup_accepted_from_wit)
                    .map_err(|error| CallError::Rejected(types::error_from_wit(error)))
            });
        self.settle(outcome)
    }

    fn cxml_identify(
        &mut self,
        profiles: &mut [&mut Profile],
        request: &[u8],
    ) -> Result<usize, CallError> {
        refuse_oversized(XmlLimits::setup_request().check_document_size(request.len()))?;
        let handles = self.profile_handles(profiles)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_cxml()
            .call_identify(&mut live.store, &handles, request)
            .map(|result| {
                result
                    .map(|index| usize::try_from(index).unwrap_or(usize::MAX))
                    .map_err(|error| CallError::Rejected(types::error_from_wit(error)))
            });
        self.settle(outcome)
    }

    fn cxml_error_response(
        &mut self,
        error: &Error,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_cxml()
            .call_error_response(
                &mut live.store,
                &types::error_to_wit(error),
                &types::envelope_to_wit(envelope),
            )
            .map(Ok);
        self.settle(outcome)
    }

    // A cart over the profile's limits is refused here, before it crosses; the rest crosses
    // as its JSON.
    fn cxml_cart_return(
        &mut self,
        profile: &mut Profile,
        session: &Session,
        cart: &Cart,
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        refuse_oversized(profile.limits.check_cart(cart))?;
        let json = self.typed_cart_json(cart)?;
        let answer = self.cxml_cart_return_json(profile, session, &json, envelope);
        self.keep_cart_buffer(json);
        answer
    }

    // The bytes cross as one buffer; the engine reads them with the profile's limits.
    fn cxml_cart_return_json(
        &mut self,
        profile: &mut Profile,
        session: &Session,
        cart_json: &[u8],
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        super::refuse_oversized(punchout_plugin::cart_json::check_line_count(
            cart_json,
            &profile.limits,
        ))?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_cxml()
            .call_return_cart(
                &mut live.store,
                handle,
                &types::session_to_wit(session),
                cart_json,
                &types::envelope_to_wit(envelope),
            )
            .map(|result| {
                result
                    .map_err(|error| CallError::Rejected(types::error_from_wit(error)))
                    .and_then(cart_return_from_wit)
            });
        self.settle(outcome)
    }

    fn cxml_read_order_message(&mut self, message: &[u8]) -> Result<OrderMessage, CallError> {
        refuse_oversized(XmlLimits::order().check_document_size(message.len()))?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_cxml()
            .call_read_order_message(&mut live.store, message)
            .map(|result| {
                result
                    .map(order_message_from_wit)
                    .map_err(|error| CallError::Rejected(types::error_from_wit(error)))
            });
        self.settle(outcome)
    }
}

pub(crate) fn setup_accepted_from_wit(
    accepted: super::wit_cxml_types::SetupAccepted,
) -> SetupAccepted {
    SetupAccepted {
        session: session_from_wit(accepted.session),
        response: accepted.response,
    }
}

/// The documents of a cart return; the engine writes UTF-8, which is checked, not trusted.
pub(crate) fn cart_return_from_wit(
    cart_return: super::wit_cxml_types::CartReturn,
) -> Result<CartReturn, CallError> {
    let text = |bytes: Vec<u8>, what: &str| {
        String::from_utf8(bytes)
            .map_err(|_| CallError::Host(format!("the engine's {what} is not UTF-8")))
    };
    Ok(CartReturn {
        message: text(cart_return.message, "message")?,
        form_html: text(cart_return.form_html, "form")?,
    })
}

pub(crate) fn order_message_from_wit(message: super::wit_cxml_types::OrderMessage) -> OrderMessage {
    OrderMessage {
        buyer_cookie: message.buyer_cookie,
        operation_allowed: operation_from_wit(message.operation_allowed),
        currency: message.currency,
        total: message.total,
        lines: message.lines.into_iter().map(line_from_wit).collect(),
    }
}
