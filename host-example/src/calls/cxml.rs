//! The `cxml` interface: setup requests read, authenticated and answered, buyers identified,
//! carts returned as a `PunchOutOrderMessage` and its form, messages read back.

use punchout_plugin::cart_json::read_cart;
use punchout_plugin::cxml::order_message::{cart_return, read_order_message, OrderMessage};
use punchout_plugin::cxml::setup::{setup, SetupAccepted};
use punchout_plugin::cxml::status;
use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::profile::BuyerProfile;
use punchout_plugin::Error;

use super::{ConfigCalls, Native};
use crate::runtime::CallError;

/// A cart ready to go back to the buyer: the message and the form that posts it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CartReturn {
    pub message: String,
    pub form_html: String,
}

/// cXML PunchOut: setup, identification, error responses, cart return, order message.
pub trait CxmlCalls: ConfigCalls {
    /// Reads, authenticates and answers a cXML `PunchOutSetupRequest`.
    ///
    /// # Errors
    /// `Rejected` with the engine's typed error (pass it to [`CxmlCalls::cxml_error_response`]).
    fn cxml_setup(
        &mut self,
        profile: &mut Self::Profile,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError>;

    /// Which of several buyer profiles a setup request is for (an index into `profiles`), by
    /// its `From` credentials, authenticated against the profile found (`Sender` and shared
    /// secret, constant time).
    ///
    /// # Errors
    /// `Rejected` with `unknown-buyer` when no profile recognises the `From` credentials, with
    /// `authentication-failed` when one does but the request does not authenticate (both answer
    /// the buyer with the same 401 through `cxml_error_response`), or for malformed or hostile
    /// XML.
    fn cxml_identify(
        &mut self,
        profiles: &mut [&mut Self::Profile],
        request: &[u8],
    ) -> Result<usize, CallError>;

    /// The cXML `Response` for a refused request.
    ///
    /// # Errors
    /// `Trap` or `Host` only.
    fn cxml_error_response(
        &mut self,
        error: &Error,
        envelope: &Envelope,
    ) -> Result<String, CallError>;

    /// Turns a cart into a `PunchOutOrderMessage` and the form that returns it.
    ///
    /// # Errors
    /// `Rejected` with `invalid-cart` or `invalid-session`.
    fn cxml_cart_return(
        &mut self,
        profile: &mut Self::Profile,
        session: &Session,
        cart: &Cart,
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError>;

    /// [`CxmlCalls::cxml_cart_return`] for a cart the host already has as JSON (the `cart`
    /// record's fields in snake case): the engine reads it, refusing a cart over the profile's
    /// limits while reading.
    ///
    /// # Errors
    /// As `cxml_cart_return`, and `invalid-cart` for JSON that is not a cart.
    fn cxml_cart_return_json(
        &mut self,
        profile: &mut Self::Profile,
        session: &Session,
        cart_json: &[u8],
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError>;

    /// Reads a `PunchOutOrderMessage` as a buyer's system would.
    ///
    /// # Errors
    /// `Rejected` for malformed, hostile or invalid messages.
    fn cxml_read_order_message(&mut self, message: &[u8]) -> Result<OrderMessage, CallError>;
}

impl CxmlCalls for Native {
    fn cxml_setup(
        &mut self,
        profile: &mut BuyerProfile,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError> {
        setup(profile, request, start_url, envelope).map_err(CallError::Rejected)
    }

    fn cxml_identify(
        &mut self,
        profiles: &mut [&mut BuyerProfile],
        request: &[u8],
    ) -> Result<usize, CallError> {
        let profiles: Vec<&BuyerProfile> = profiles.iter().map(|profile| &**profile).collect();
        punchout_plugin::cxml::setup::identify(&profiles, request).map_err(CallError::Rejected)
    }

    fn cxml_error_response(
        &mut self,
        error: &Error,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        Ok(status::error_response(error, envelope))
    }

    fn cxml_cart_return(
        &mut self,
        profile: &mut BuyerProfile,
        session: &Session,
        cart: &Cart,
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        let both = cart_return(profile, session, cart, envelope).map_err(CallError::Rejected)?;
        Ok(CartReturn {
            message: both.message,
            form_html: both.form_html,
        })
    }

    fn cxml_cart_return_json(
        &mut self,
        profile: &mut BuyerProfile,
        session: &Session,
        cart_json: &[u8],
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        let cart = read_cart(cart_json, &profile.limits()).map_err(CallError::Rejected)?;
        self.cxml_cart_return(profile, session, &cart, envelope)
    }

    fn cxml_read_order_message(&mut self, message: &[u8]) -> Result<OrderMessage, CallError> {
        read_order_message(message).map_err(CallError::Rejected)
    }
}
