//! The `oci` interface: SAP OCI call-ups read and authenticated, carts written as the pages
//! that post them back, the `FUNCTION` replies, and posted forms read back.

use punchout_plugin::cart_json::read_cart;
use punchout_plugin::model::Cart;
use punchout_plugin::oci::{self, OciCallUp, OciCharset, OciFormPost, OciPage, OciSession};
use punchout_plugin::profile::BuyerProfile;

use super::{ConfigCalls, Native};
use crate::runtime::CallError;

/// Which page a cart becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OciPageKind {
    /// The cart-return form.
    CartForm,
    /// The `VALIDATE` reply.
    Validate,
    /// The `BACKGROUND_SEARCH` reply.
    BackgroundSearch,
}

/// SAP OCI: call-up, cart form, `FUNCTION` replies and the form read back.
pub trait OciCalls: ConfigCalls {
    /// Reads and authenticates a call-up (GET query or POST body).
    ///
    /// # Errors
    /// `Rejected` with the engine's typed error (it never holds the password).
    fn oci_call_up(
        &mut self,
        profile: &mut Self::Profile,
        body: &[u8],
    ) -> Result<OciCallUp, CallError>;

    /// The cart-return page (`NEW_ITEM-*` fields posting to the `HOOK_URL`).
    ///
    /// # Errors
    /// `Rejected` with `invalid-cart` or `invalid-session`.
    fn oci_cart_form(
        &mut self,
        profile: &mut Self::Profile,
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
        profile: &mut Self::Profile,
        session: &OciSession,
        cart_json: &[u8],
        kind: OciPageKind,
    ) -> Result<OciPage, CallError>;

    /// The `VALIDATE` reply for one line.
    ///
    /// # Errors
    /// As `oci_cart_form`.
    fn oci_validate_reply(
        &mut self,
        profile: &mut Self::Profile,
        session: &OciSession,
        item: &Cart,
    ) -> Result<OciPage, CallError>;

    /// The `BACKGROUND_SEARCH` reply listing every hit.
    ///
    /// # Errors
    /// As `oci_cart_form`.
    fn oci_background_search_reply(
        &mut self,
        profile: &mut Self::Profile,
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

    /// Reads a posted cart-return form as the buyer's system would.
    ///
    /// # Errors
    /// `Rejected` with `limit-exceeded` or `invalid-document`.
    fn oci_read_form(&mut self, body: &[u8], charset: OciCharset)
        -> Result<OciFormPost, CallError>;
}

impl OciCalls for Native {
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
