//! The engine's calls as Rust traits, one per WIT interface, each implemented by the component
//! ([`crate::Worker`]) and by the core run natively ([`Native`]): for comparing the component with
//! the native crate (`punchout --native`, the benchmarks and the equivalence tests).

use punchout_plugin::cxml::order_message::{order_message, read_order_message, OrderMessage};
use punchout_plugin::cxml::setup::{setup, SetupAccepted};
use punchout_plugin::cxml::{form, status};
use punchout_plugin::mapping::check::Diagnostic;
use punchout_plugin::mapping::MappedLine;
use punchout_plugin::model::{Cart, CartLine, Envelope, Session};
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
use punchout_plugin::Error;

use crate::runtime::CartReturn;
use crate::runtime::{CallError, Profile, Worker};
use punchout_plugin::cart_json::read_cart;

mod oci;
pub use oci::OciCalls;

/// The engine's calls, whether they run in the component or natively.
pub trait EngineCalls {
    /// A compiled buyer profile.
    type Profile;

    /// Compiles a buyer profile.
    ///
    /// # Errors
    /// `Rejected` with `invalid-profile`.
    fn compile_profile(
        &mut self,
        json: &str,
        secrets: &[(String, String)],
    ) -> Result<Self::Profile, CallError>;

    /// Reads, authenticates and answers a cXML setup request.
    ///
    /// # Errors
    /// `Rejected` with the typed error.
    fn cxml_setup(
        &mut self,
        profile: &mut Self::Profile,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError>;

    /// Which of the profiles a setup request comes from (by its `From` credentials, then
    /// authenticated against that profile): the index.
    ///
    /// # Errors
    /// `Rejected` with `unknown-buyer` when none recognises it, `authentication-failed` when the
    /// one found does not authenticate the request, or for a malformed request.
    fn cxml_identify(
        &mut self,
        profiles: &mut [&mut Self::Profile],
        request: &[u8],
    ) -> Result<usize, CallError>;

    /// The cXML `Response` for a refused request.
    ///
    /// # Errors
    /// Only if the engine failed.
    fn cxml_error_response(
        &mut self,
        error: &Error,
        envelope: &Envelope,
    ) -> Result<String, CallError>;

    /// The `PunchOutOrderMessage` and its form.
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

    /// [`EngineCalls::cxml_cart_return`] for a cart the host already has as JSON (the `cart`
    /// record's fields in snake case): the engine reads it, with the profile's limits.
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

    /// Reads a `PunchOutOrderMessage`.
    ///
    /// # Errors
    /// `Rejected` for malformed or invalid messages.
    fn cxml_read_order_message(&mut self, message: &[u8]) -> Result<OrderMessage, CallError>;

    /// A profile that `extends` a base, applied onto its bases (nearest first).
    ///
    /// # Errors
    /// `Rejected` with `invalid-profile` at `/extends`.
    fn resolve_extends(&mut self, json: &str, bases: &[String]) -> Result<String, CallError>;

    /// Every problem of a profile, located (`config check`).
    ///
    /// # Errors
    /// Only if the engine failed.
    fn check_profile(&mut self, json: &str) -> Result<Vec<Diagnostic>, CallError>;

    /// One line mapped and explained (`config preview`).
    ///
    /// # Errors
    /// `Rejected` with `invalid-cart`.
    fn preview_line(
        &mut self,
        profile: &mut Self::Profile,
        line: &CartLine,
        currency: &str,
    ) -> Result<MappedLine, CallError>;
}

impl EngineCalls for Worker {
    type Profile = Profile;

    fn compile_profile(
        &mut self,
        json: &str,
        secrets: &[(String, String)],
    ) -> Result<Profile, CallError> {
        Worker::compile_profile(self, json, secrets)
    }

    fn cxml_setup(
        &mut self,
        profile: &mut Profile,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError> {
        Worker::cxml_setup(self, profile, request, start_url, envelope)
    }

    fn cxml_identify(
        &mut self,
        profiles: &mut [&mut Profile],
        request: &[u8],
    ) -> Result<usize, CallError> {
        Worker::cxml_identify(self, profiles, request)
    }

    fn cxml_error_response(
        &mut self,
        error: &Error,
        envelope: &Envelope,
    ) -> Result<String, CallError> {
        Worker::cxml_error_response(self, error, envelope)
    }

    fn cxml_cart_return(
        &mut self,
        profile: &mut Profile,
        session: &Session,
        cart: &Cart,
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        Worker::cxml_cart_return(self, profile, session, cart, envelope)
    }

    fn cxml_cart_return_json(
        &mut self,
        profile: &mut Profile,
        session: &Session,
        cart_json: &[u8],
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        Worker::cxml_cart_return_json(self, profile, session, cart_json, envelope)
    }

    fn cxml_read_order_message(&mut self, message: &[u8]) -> Result<OrderMessage, CallError> {
        Worker::cxml_read_order_message(self, message)
    }

    fn check_profile(&mut self, json: &str) -> Result<Vec<Diagnostic>, CallError> {
        Worker::check_profile(self, json)
    }

    fn resolve_extends(&mut self, json: &str, bases: &[String]) -> Result<String, CallError> {
        Worker::resolve_extends(self, json, bases)
    }

    fn preview_line(
        &mut self,
        profile: &mut Profile,
        line: &CartLine,
        currency: &str,
    ) -> Result<MappedLine, CallError> {
        Worker::preview_line(self, profile, line, currency)
    }
}

/// The core called directly, without WebAssembly.
#[derive(Debug, Default)]
pub struct Native;

impl EngineCalls for Native {
    type Profile = BuyerProfile;

    fn compile_profile(
        &mut self,
        json: &str,
        secrets: &[(String, String)],
    ) -> Result<BuyerProfile, CallError> {
        let secrets = secrets
            .iter()
            .map(|(name, value)| ResolvedSecret {
                name: name.clone(),
                value: Secret::new(value.as_bytes()),
            })
            .collect::<Vec<_>>();
        BuyerProfile::compile(json, &secrets).map_err(CallError::Rejected)
    }

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
        let message =
            order_message(profile, session, cart, envelope).map_err(CallError::Rejected)?;
        Ok(CartReturn {
            form_html: form::cart_form(&session.return_url, profile.cxml().form_encoding, &message),
            message,
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

    fn check_profile(&mut self, json: &str) -> Result<Vec<Diagnostic>, CallError> {
        Ok(punchout_plugin::mapping::check::check_profile(json))
    }

    fn resolve_extends(&mut self, json: &str, bases: &[String]) -> Result<String, CallError> {
        punchout_plugin::profile::resolve_extends(json, bases).map_err(CallError::Rejected)
    }

    fn preview_line(
        &mut self,
        profile: &mut BuyerProfile,
        line: &CartLine,
        currency: &str,
    ) -> Result<MappedLine, CallError> {
        profile.preview(line, currency).map_err(CallError::Rejected)
    }
}
