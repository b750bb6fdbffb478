//! The `oci` interface's calls on a [`Worker`] ([`OciCalls`]), in the core's own types.

use punchout_plugin::model::Cart;
use punchout_plugin::oci::call_up;
use punchout_plugin::oci::{
    OciCallUp, OciCharset, OciFormPost, OciFunction, OciItem, OciPage, OciSession, OciVersion,
};

use super::bindings::exports::punchout::engine::oci as wit_oci;
use super::{types, wit, CallError, Profile, Worker};
use crate::calls::{OciCalls, OciPageKind};

fn charset_to_wit(charset: OciCharset) -> wit_oci::Charset {
    match charset {
        OciCharset::Utf8 => wit_oci::Charset::Utf8,
        OciCharset::Latin1 => wit_oci::Charset::Latin1,
    }
}

fn charset_from_wit(charset: wit_oci::Charset) -> OciCharset {
    match charset {
        wit_oci::Charset::Utf8 => OciCharset::Utf8,
        wit_oci::Charset::Latin1 => OciCharset::Latin1,
    }
}

fn session_to_wit(session: &OciSession) -> wit_oci::OciSession {
    wit_oci::OciSession {
        buyer_id: session.buyer_id.clone(),
        username: session.username.clone(),
        hook_url: session.hook_url.clone(),
        charset: charset_to_wit(session.charset),
        target: session.target.clone(),
        version: match session.version {
            OciVersion::V4 => wit_oci::OciVersion::V4,
            OciVersion::V5 => wit_oci::OciVersion::V5,
        },
    }
}

fn session_from_wit(session: wit_oci::OciSession) -> OciSession {
    OciSession {
        buyer_id: session.buyer_id,
        username: session.username,
        hook_url: session.hook_url,
        charset: charset_from_wit(session.charset),
        target: session.target,
        version: match session.version {
            wit_oci::OciVersion::V4 => OciVersion::V4,
            wit_oci::OciVersion::V5 => OciVersion::V5,
        },
    }
}

fn function_from_wit(function: wit_oci::OciFunction) -> OciFunction {
    use wit_oci::OciFunction as W;
    match function {
        W::Shopping => OciFunction::Shopping,
        W::Detail(product_id) => OciFunction::Detail { product_id },
        W::Validate(asked) => OciFunction::Validate {
            product_id: asked.product_id,
            quantity: asked.quantity,
        },
        W::Sourcing(query) => OciFunction::Sourcing {
            search_string: query.search_string,
            vendor: query.vendor,
        },
        W::BackgroundSearch(search_string) => OciFunction::BackgroundSearch { search_string },
        W::DetailAdd(product_id) => OciFunction::DetailAdd { product_id },
        W::QuantityCheck(asked) => OciFunction::QuantityCheck {
            product_id: asked.product_id,
            quantity: asked.quantity,
        },
    }
}

fn page_from_wit(page: wit_oci::Page) -> OciPage {
    OciPage {
        body: page.body,
        charset: charset_from_wit(page.charset),
    }
}

fn rejected(error: wit::Error) -> CallError {
    CallError::Rejected(types::error_from_wit(error))
}

impl OciCalls for Worker {
    fn oci_call_up(&mut self, profile: &mut Profile, body: &[u8]) -> Result<OciCallUp, CallError> {
        super::refuse_oversized(call_up::check_body_size(
            body.len(),
            call_up::MAX_CALL_UP_BYTES,
            "call-up",
        ))?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_oci()
            .call_call_up(&mut live.store, handle, body)
            .map(|result| {
                result
                    .map(|accepted| OciCallUp {
                        session: session_from_wit(accepted.session),
                        function: function_from_wit(accepted.function),
                        oci_version: accepted.oci_version,
                        opi_version: accepted.opi_version,
                        ok_code: accepted.ok_code,
                        caller: accepted.caller,
                        parameters: types::properties_from_wit(accepted.parameters),
                    })
                    .map_err(rejected)
            });
        self.settle(outcome)
    }

    fn oci_page_json(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        cart_json: &[u8],
        kind: OciPageKind,
    ) -> Result<OciPage, CallError> {
        super::refuse_oversized(punchout_plugin::cart_json::check_line_count(
            cart_json,
            &profile.limits,
        ))?;
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let oci = live.engine.punchout_engine_oci();
        let session = session_to_wit(session);
        let outcome = match kind {
            OciPageKind::CartForm => {
                oci.call_cart_form(&mut live.store, handle, &session, cart_json)
            }
            OciPageKind::Validate => {
                oci.call_validate_reply(&mut live.store, handle, &session, cart_json)
            }
            OciPageKind::BackgroundSearch => {
                oci.call_background_search_reply(&mut live.store, handle, &session, cart_json)
            }
        }
        .map(|result| result.map(page_from_wit).map_err(rejected));
        self.settle(outcome)
    }

    fn oci_cart_form(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        cart: &Cart,
    ) -> Result<OciPage, CallError> {
        self.oci_typed_page(profile, session, cart, OciPageKind::CartForm)
    }

    fn oci_validate_reply(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        item: &Cart,
    ) -> Result<OciPage, CallError> {
        self.oci_typed_page(profile, session, item, OciPageKind::Validate)
    }

    fn oci_background_search_reply(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        hits: &Cart,
    ) -> Result<OciPage, CallError> {
        self.oci_typed_page(profile, session, hits, OciPageKind::BackgroundSearch)
    }

    fn oci_quantity_check_reply(
        &mut self,
        available_quantity: &str,
        leadtime_days: u32,
    ) -> Result<String, CallError> {
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_oci()
            .call_quantity_check_reply(&mut live.store, available_quantity, leadtime_days)
            .map(|result| result.map_err(rejected));
        self.settle(outcome)
    }

    fn oci_read_form(
        &mut self,
        body: &[u8],
        charset: OciCharset,
    ) -> Result<OciFormPost, CallError> {
        super::refuse_oversized(call_up::check_body_size(
            body.len(),
            punchout_plugin::oci::read_back::MAX_FORM_BYTES,
            "form body",
        ))?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_oci()
            .call_read_form(&mut live.store, body, charset_to_wit(charset))
            .map(|result| {
                result
                    .map(|post| OciFormPost {
                        items: post
                            .items
                            .into_iter()
                            .map(|item| OciItem {
                                index: item.index,
                                fields: types::properties_from_wit(item.fields),
                                longtext: item.longtext,
                            })
                            .collect(),
                        parameters: types::properties_from_wit(post.parameters),
                    })
                    .map_err(rejected)
            });
        self.settle(outcome)
    }
}

impl Worker {
    /// A typed cart's page: refused here when over the profile's limits, else handed over as
    /// its JSON.
    fn oci_typed_page(
        &mut self,
        profile: &mut Profile,
        session: &OciSession,
        cart: &Cart,
        kind: OciPageKind,
    ) -> Result<OciPage, CallError> {
        super::refuse_oversized(profile.limits.check_cart(cart))?;
        let json = self.typed_cart_json(cart)?;
        let answer = self.oci_page_json(profile, session, &json, kind);
        self.keep_cart_buffer(json);
        answer
    }
}
