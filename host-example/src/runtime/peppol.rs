//! The `peppol` interface's calls on a [`Worker`] ([`PeppolCalls`]), in the core's own types,
//! and the conversion of its record.

use punchout_plugin::model::{Cart, Envelope};

use super::bindings::exports::punchout::engine::peppol as wit_peppol;
use super::{refuse_oversized, types, CallError, Profile, Worker};
use crate::calls::{PeppolCalls, PeppolCartReturn};

impl PeppolCalls for Worker {
    // A cart over the profile's limits is refused here, before it crosses; the rest crosses
    // as its JSON.
    fn peppol_cart(
        &mut self,
        profile: &mut Profile,
        cart: &Cart,
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError> {
        refuse_oversized(profile.limits.check_cart(cart))?;
        let json = self.typed_cart_json(cart)?;
        let answer = self.peppol_cart_json(profile, &json, envelope, return_url);
        self.keep_cart_buffer(json);
        answer
    }

    // The bytes cross as one buffer; the engine reads them with the profile's limits.
    fn peppol_cart_json(
        &mut self,
        profile: &mut Profile,
        cart_json: &[u8],
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError> {
        refuse_oversized(punchout_plugin::cart_json::check_line_count(
            cart_json,
            &profile.limits,
        ))?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_peppol()
            .call_peppol_cart(
                &mut live.store,
                handle,
                cart_json,
                &types::envelope_to_wit(envelope),
                return_url,
            )
            .map(|result| {
                result
                    .map_err(|error| CallError::Rejected(types::error_from_wit(error)))
                    .and_then(cart_return_from_wit)
            });
        self.settle(outcome)
    }
}

/// The documents of a Peppol cart; the engine writes UTF-8, which is checked, not trusted.
fn cart_return_from_wit(
    cart_return: wit_peppol::PeppolCartReturn,
) -> Result<PeppolCartReturn, CallError> {
    let text = |bytes: Vec<u8>, what: &str| {
        String::from_utf8(bytes)
            .map_err(|_| CallError::Host(format!("the engine's {what} is not UTF-8")))
    };
    Ok(PeppolCartReturn {
        document: text(cart_return.document, "T77 cart")?,
        url: cart_return.url,
        form_html: cart_return
            .form_html
            .map(|form| text(form, "form"))
            .transpose()?,
    })
}
