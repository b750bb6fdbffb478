//! The wit-bindgen glue of the `oci` interface: converts types, holds no logic.

use super::exports::punchout::engine::oci as wit_oci;
use super::wit;
use super::{error_to_wit, properties_to_wit, read_cart, Engine, ProfileResource};
use crate::oci::{self, OciCharset, OciFunction, OciSession, OciVersion};

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

fn session_to_wit(session: OciSession) -> wit_oci::OciSession {
    wit_oci::OciSession {
        buyer_id: session.buyer_id,
        username: session.username,
        hook_url: session.hook_url,
        charset: charset_to_wit(session.charset),
        target: session.target,
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

fn function_to_wit(function: OciFunction) -> wit_oci::OciFunction {
    use wit_oci::OciFunction as W;
    match function {
        OciFunction::Shopping => W::Shopping,
        OciFunction::Detail { product_id } => W::Detail(product_id),
        OciFunction::Validate {
            product_id,
            quantity,
        } => W::Validate(wit_oci::ProductQuantity {
            product_id,
            quantity,
        }),
        OciFunction::Sourcing {
            search_string,
            vendor,
        } => W::Sourcing(wit_oci::SourcingQuery {
            search_string,
            vendor,
        }),
        OciFunction::BackgroundSearch { search_string } => W::BackgroundSearch(search_string),
        OciFunction::DetailAdd { product_id } => W::DetailAdd(product_id),
        OciFunction::QuantityCheck {
            product_id,
            quantity,
        } => W::QuantityCheck(wit_oci::ProductQuantity {
            product_id,
            quantity,
        }),
    }
}

fn page_to_wit(page: oci::OciPage) -> wit_oci::Page {
    wit_oci::Page {
        content_type: page.content_type(),
        charset: charset_to_wit(page.charset),
        body: page.body,
    }
}

impl wit_oci::Guest for Engine {
    fn call_up(
        profile: super::BuyerProfileBorrow<'_>,
        call_up: Vec<u8>,
    ) -> Result<wit_oci::CallUpAccepted, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        oci::call_up(profile, &call_up)
            .map(|accepted| wit_oci::CallUpAccepted {
                session: session_to_wit(accepted.session),
                function: function_to_wit(accepted.function),
                oci_version: accepted.oci_version,
                opi_version: accepted.opi_version,
                ok_code: accepted.ok_code,
                caller: accepted.caller,
                parameters: properties_to_wit(accepted.parameters),
            })
            .map_err(error_to_wit)
    }

    fn cart_form(
        profile: super::BuyerProfileBorrow<'_>,
        session: wit_oci::OciSession,
        cart_json: Vec<u8>,
    ) -> Result<wit_oci::Page, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let cart = read_cart(profile, &cart_json).map_err(error_to_wit)?;
        oci::cart_form(profile, &session_from_wit(session), &cart)
            .map(page_to_wit)
            .map_err(error_to_wit)
    }

    fn validate_reply(
        profile: super::BuyerProfileBorrow<'_>,
        session: wit_oci::OciSession,
        item_json: Vec<u8>,
    ) -> Result<wit_oci::Page, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let item = read_cart(profile, &item_json).map_err(error_to_wit)?;
        oci::validate_reply(profile, &session_from_wit(session), &item)
            .map(page_to_wit)
            .map_err(error_to_wit)
    }

    fn background_search_reply(
        profile: super::BuyerProfileBorrow<'_>,
        session: wit_oci::OciSession,
        hits_json: Vec<u8>,
    ) -> Result<wit_oci::Page, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let hits = read_cart(profile, &hits_json).map_err(error_to_wit)?;
        oci::background_search_reply(profile, &session_from_wit(session), &hits)
            .map(page_to_wit)
            .map_err(error_to_wit)
    }

    fn quantity_check_reply(
        available_quantity: String,
        leadtime_days: u32,
    ) -> Result<String, wit::Error> {
        oci::quantity_check_reply(&available_quantity, leadtime_days).map_err(error_to_wit)
    }

    fn read_form(
        body: Vec<u8>,
        charset: wit_oci::Charset,
    ) -> Result<wit_oci::FormPost, wit::Error> {
        oci::read_form(&body, charset_from_wit(charset))
            .map(|post| wit_oci::FormPost {
                items: post
                    .items
                    .into_iter()
                    .map(|item| wit_oci::Item {
                        index: item.index,
                        fields: properties_to_wit(item.fields),
                        longtext: item.longtext,
                    })
                    .collect(),
                parameters: properties_to_wit(post.parameters),
            })
            .map_err(error_to_wit)
    }
}
