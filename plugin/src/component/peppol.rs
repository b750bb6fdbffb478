//! The wit-bindgen glue of the `peppol` interface: converts types, holds no logic.

use super::exports::punchout::engine::peppol as wit_peppol;
use super::wit;
use super::{envelope_from_wit, error_to_wit, read_cart, Engine, ProfileResource};

impl wit_peppol::Guest for Engine {
    fn peppol_cart(
        profile: super::BuyerProfileBorrow<'_>,
        cart_json: Vec<u8>,
        envelope: wit::Envelope,
        return_url: String,
    ) -> Result<wit_peppol::PeppolCartReturn, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let cart = read_cart(profile, &cart_json).map_err(error_to_wit)?;
        crate::peppol::cart::cart_return(profile, &cart, &envelope_from_wit(envelope), &return_url)
            .map(|delivery| wit_peppol::PeppolCartReturn {
                document: delivery.document.into_bytes(),
                url: delivery.url,
                form_html: delivery.form.map(String::into_bytes),
            })
            .map_err(error_to_wit)
    }
}
