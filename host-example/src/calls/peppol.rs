//! The `peppol` interface: carts returned as the Peppol BIS Punch Out cart (T77) and the page or
//! post that delivers it.

use punchout_plugin::cart_json::read_cart;
use punchout_plugin::model::{Cart, Envelope};
use punchout_plugin::peppol::cart::cart_return;
use punchout_plugin::profile::BuyerProfile;

use super::{ConfigCalls, Native};
use crate::runtime::CallError;

/// A T77 cart ready to reach the buyer: the document, where it goes, and for a `form` delivery
/// the page that posts it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeppolCartReturn {
    /// The UBL `Catalogue`.
    pub document: String,
    /// The return URL, checked against the profile (byte-exact).
    pub url: String,
    /// The self-submitting HTML page (`form` delivery); `None` for `post`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_html: Option<String>,
}

/// Peppol BIS Punch Out: the cart return.
pub trait PeppolCalls: ConfigCalls {
    /// Writes the T77 cart for a Peppol profile and prepares its delivery to `return_url`.
    ///
    /// # Errors
    /// `Rejected` with `unsupported-operation`, `return-url-not-allowed`, `invalid-value` (the
    /// envelope), `limit-exceeded` or `invalid-cart`.
    fn peppol_cart(
        &mut self,
        profile: &mut Self::Profile,
        cart: &Cart,
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError>;

    /// [`PeppolCalls::peppol_cart`] for a cart the host already has as JSON (the `cart`
    /// record's fields in snake case): the engine reads it with the profile's limits.
    ///
    /// # Errors
    /// As `peppol_cart`, and `invalid-cart` for JSON that is not a cart.
    fn peppol_cart_json(
        &mut self,
        profile: &mut Self::Profile,
        cart_json: &[u8],
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError>;
}

impl PeppolCalls for Native {
    fn peppol_cart(
        &mut self,
        profile: &mut BuyerProfile,
        cart: &Cart,
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError> {
        let delivery =
            cart_return(profile, cart, envelope, return_url).map_err(CallError::Rejected)?;
        Ok(PeppolCartReturn {
            document: delivery.document,
            url: delivery.url,
            form_html: delivery.form,
        })
    }

    fn peppol_cart_json(
        &mut self,
        profile: &mut BuyerProfile,
        cart_json: &[u8],
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError> {
        let cart = read_cart(cart_json, &profile.limits()).map_err(CallError::Rejected)?;
        self.peppol_cart(profile, &cart, envelope, return_url)
    }
}
