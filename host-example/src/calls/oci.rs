//! The engine's OCI calls, whether they run in the component ([`Worker`]) or natively
//! ([`Native`]), for comparing the two and for the CLI.

use punchout_plugin::model::Cart;
use punchout_plugin::oci::{self, OciCallUp, OciCharset, OciFormPost, OciPage, OciSession};
use punchout_plugin::profile::BuyerProfile;

use super::Native;
use crate::runtime::{CallError, OciPageKind, Profile, Worker};
use punchout_plugin::cart_json::read_cart;

/// SAP OCI: call-up, cart form, `FUNCTION` replies and the form read back.
pub trait OciCalls {
    /// A compiled buyer profile.
    type OciProfile;

    /// Reads and authenticates a call-up.
    ///
    /// # Errors
    /// `Rejected` with the typed error.
    fn oci_call_up(
        &mut self,
        profile: &mut Self::OciProfile,
        body: &[u8],
    ) -> Result<OciCallUp, CallError>;

    /// The cart-return page.
    ///
    /// # Errors
    /// `Rejected` with `invalid-cart` or `invalid-session`.
    fn oci_cart_form(
        &mut self,
        profile: &mut Self::OciProfile,
        session: &OciSession,
        cart: &Cart,
    ) -> Result<OciPage, CallError>;

    /// A cart page ([`OciCalls::oci_cart_form`], the `VALIDATE` or the `BACKGROUND_SEARCH`
    /// reply) for a cart the host already has as JSON (the `cart` record's fields in snake
    /// case): the engine reads it, with the profile's limits.
    ///
    /// # Errors
    /// As `oci_cart_form`, and `invalid-cart` for JSON that is not a cart.
    fn oci_page_json(
        &mut self,
        profile: &mut Self::OciProfile,
        session: &OciSession,
        cart_json: &[u8],
        kind: OciPageKind,
    ) -> Result<OciPage, CallError>;

    /// The `VALIDATE` reply.
    ///
    /// # Errors
    /// As `oci_cart_form`.
    fn oci_validate_reply(
        &mut self,
        profile: &mut Self::OciProfile,
        session: &OciSession,
        item: &Cart,
    ) -> Result<OciPage, CallError>;

    /// The `BACKGROUND_SEARCH` reply.
    ///
    /// # Errors
    /// As `oci_cart_form`.
    fn oci_background_search_reply(
        &mut self,
        profile: &mut Self::OciProfile,
        session: &OciSession,
        hits: &Cart,
    ) -> Result<OciPage, CallError>;

    /// The `QUANTITYCHECK` JSON reply.
    ///
    /// # Errors
    /// `Rejected` with `invalid-value`.
    fn oci_quantity_check_reply(
        &mut self,
        available_quantity: &str,
        leadtime_days: u32,
    ) -> Result<String, CallError>;

    /// Reads a posted cart-return form.
    ///
    /// # Errors
    /// `Rejected` with `limit-exceeded` or `invalid-document`.
    fn oci_read_form(&mut self, body: &[u8], charset: OciCharset)
        -> Result<OciFormPost, CallError>;
}

impl OciCalls for Worker {
    type OciProfile = Profile;

    fn oci_call_up(&mut self, profile: &mut Profile, body: &[u8]) -> Result<OciCallUp, CallError> {
        Worker::oci_call_up(self, profile, body)
    }

    fn oci_cart_form(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        cart: &Cart,
    ) -> Result<OciPage, CallError> {
        Worker::oci_cart_form(self, profile, session, cart)
    }

    fn oci_page_json(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        cart_json: &[u8],
        kind: OciPageKind,
    ) -> Result<OciPage, CallError> {
        Worker::oci_page_json(self, profile, session, cart_json, kind)
    }

    fn oci_validate_reply(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        item: &Cart,
    ) -> Result<OciPage, CallError> {
        Worker::oci_validate_reply(self, profile, session, item)
    }

    fn oci_background_search_reply(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        hits: &Cart,
    ) -> Result<OciPage, CallError> {
        Worker::oci_background_search_reply(self, profile, session, hits)
    }

    fn oci_quantity_check_reply(
        &mut self,
        available_quantity: &str,
        leadtime_days: u32,
    ) -> Result<String, CallError> {
        Worker::oci_quantity_check_reply(self, available_quantity, leadtime_days)
    }

    fn oci_read_form(
        &mut self,
        body: &[u8],
        charset: OciCharset,
    ) -> Result<OciFormPost, CallError> {
        Worker::oci_read_form(self, body, charset)
    }
}

impl OciCalls for Native {
    type OciProfile = BuyerProfile;

    fn oci_call_up(
        &mut self,
        profile: &mut BuyerProfile,
        body: &[u8],
    ) -> Result<OciCallUp, CallError> {
        oci::call_up(profile, body).map_err(CallError::Rejected)
    }

    fn oci_cart_form(
        &mut self,
        profile: &mut BuyerProfile,
        session: &OciSession,
        cart: &Cart,
    ) -> Result<OciPage, CallError> {
        oci::cart_form(profile, session, cart).map_err(CallError::Rejected)
    }

    fn oci_page_json(
        &mut self,
        profile: &mut BuyerProfile,
        session: &OciSession,
        cart_json: &[u8],
        kind: OciPageKind,
    ) -> Result<OciPage, CallError> {
        let cart = read_cart(cart_json, &profile.limits()).map_err(CallError::Rejected)?;
        match kind {
            OciPageKind::CartForm => oci::cart_form(profile, session, &cart),
            OciPageKind::Validate => oci::validate_reply(profile, session, &cart),
            OciPageKind::BackgroundSearch => oci::background_search_reply(profile, session, &cart),
        }
        .map_err(CallError::Rejected)
    }

    fn oci_validate_reply(
        &mut self,
        profile: &mut BuyerProfile,
        session: &OciSession,
        item: &Cart,
    ) -> Result<OciPage, CallError> {
        oci::validate_reply(profile, session, item).map_err(CallError::Rejected)
    }

    fn oci_background_search_reply(
        &mut self,
        profile: &mut BuyerProfile,
        session: &OciSession,
        hits: &Cart,
    ) -> Result<OciPage, CallError> {
        oci::background_search_reply(profile, session, hits).map_err(CallError::Rejected)
    }

    fn oci_quantity_check_reply(
        &mut self,
        available_quantity: &str,
        leadtime_days: u32,
    ) -> Result<String, CallError> {
        oci::quantity_check_reply(available_quantity, leadtime_days).map_err(CallError::Rejected)
    }

    fn oci_read_form(
        &mut self,
        body: &[u8],
        charset: OciCharset,
    ) -> Result<OciFormPost, CallError> {
        oci::read_form(body, charset).map_err(CallError::Rejected)
    }
}
