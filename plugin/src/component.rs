//! The wit-bindgen glue: converts between the WIT records and the core's types, holds no logic.

use crate::error::{Error, ErrorCode, Location};
use crate::model;
use crate::profile::{self, ResolvedSecret, Secret};

wit_bindgen::generate!({
    world: "engine",
    path: "../wit",
});

use exports::punchout::engine::config::{self as wit_config, BuyerProfileBorrow};
use exports::punchout::engine::cxml as wit_cxml;
use exports::punchout::engine::types as wit;

struct Engine;

export!(Engine);

/// A compiled profile behind the WIT `buyer-profile` resource.
struct ProfileResource(profile::BuyerProfile);

impl wit_config::Guest for Engine {
    type BuyerProfile = ProfileResource;

    fn resolve_extends(profile_json: String, bases: Vec<String>) -> Result<String, wit::Error> {
        profile::resolve_extends(&profile_json, &bases).map_err(error_to_wit)
    }

    fn check(profile_json: String) -> Vec<wit_config::Diagnostic> {
        crate::mapping::check::check_profile(&profile_json)
            .into_iter()
            .map(|diagnostic| wit_config::Diagnostic {
                severity: match diagnostic.severity {
                    crate::mapping::check::Severity::Error => wit_config::Severity::Error,
                    crate::mapping::check::Severity::Warning => wit_config::Severity::Warning,
                },
                message: diagnostic.message,
                location: location_to_wit(diagnostic.location),
            })
            .collect()
    }
}

impl wit_config::GuestBuyerProfile for ProfileResource {
    fn compile(
        profile_json: String,
        secrets: Vec<wit_config::ResolvedSecret>,
    ) -> Result<wit_config::BuyerProfile, wit::Error> {
        let secrets = secrets
            .into_iter()
            .map(|secret| ResolvedSecret {
                name: secret.name,
                value: Secret::new(secret.value),
            })
            .collect::<Vec<_>>();
        profile::BuyerProfile::compile(&profile_json, &secrets)
            .map(|compiled| wit_config::BuyerProfile::new(ProfileResource(compiled)))
            .map_err(error_to_wit)
    }

    fn id(&self) -> String {
        self.0.id().to_owned()
    }

    fn to_json(&self) -> String {
        self.0.to_json()
    }

    fn preview(
        &self,
        line: wit::CartLine,
        currency: String,
    ) -> Result<wit_config::LinePreview, wit::Error> {
        let mapped_fields = |values: Vec<crate::mapping::MappedValue>| {
            values
                .into_iter()
                .map(|mapped| wit_config::MappedField {
                    field: mapped.field.into_owned(),
                    value: mapped.value,
                    origin: mapped.origin,
                    notes: mapped.notes,
                })
                .collect()
        };
        self.0
            .preview(&line_from_wit(line), &currency)
            .map(|mapped| wit_config::LinePreview {
                fields: mapped_fields(mapped.fields),
                extrinsics: mapped_fields(mapped.extrinsics),
                longtext: mapped.longtext,
            })
            .map_err(error_to_wit)
    }
}

impl wit_cxml::Guest for Engine {
    fn setup(
        profile: BuyerProfileBorrow<'_>,
        request: Vec<u8>,
        start_url: String,
        envelope: wit::Envelope,
    ) -> Result<wit_cxml::SetupAccepted, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        crate::cxml::setup::setup(profile, &request, &start_url, &envelope_from_wit(envelope))
            .map(|accepted| wit_cxml::SetupAccepted {
                session: session_to_wit(accepted.session),
                response: accepted.response,
            })
            .map_err(error_to_wit)
    }

    fn identify(
        profiles: Vec<BuyerProfileBorrow<'_>>,
        request: Vec<u8>,
    ) -> Result<u32, wit::Error> {
        let profiles = profiles
            .iter()
            .map(|profile| &profile.get::<ProfileResource>().0)
            .collect::<Vec<_>>();
        crate::cxml::setup::identify(&profiles, &request)
            .map(|index| u32::try_from(index).unwrap_or(u32::MAX))
            .map_err(error_to_wit)
    }

    fn error_response(error: wit::Error, envelope: wit::Envelope) -> String {
        crate::cxml::status::error_response(&error_from_wit(error), &envelope_from_wit(envelope))
    }

    fn return_cart(
        profile: BuyerProfileBorrow<'_>,
        session: wit::Session,
        cart_json: Vec<u8>,
        envelope: wit::Envelope,
    ) -> Result<wit_cxml::CartReturn, wit::Error> {
        let profile = &profile.get::<ProfileResource>().0;
        let session = session_from_wit(session);
        let cart = read_cart(profile, &cart_json).map_err(error_to_wit)?;
        crate::cxml::order_message::cart_return(
            profile,
            &session,
            &cart,
            &envelope_from_wit(envelope),
        )
        .map(|both| wit_cxml::CartReturn {
            message: both.message.into_bytes(),
            form_html: both.form_html.into_bytes(),
        })
        .map_err(error_to_wit)
    }

    fn read_order_message(message: Vec<u8>) -> Result<wit_cxml::OrderMessage, wit::Error> {
        crate::cxml::order_message::read_order_message(&message)
            .map(|read| wit_cxml::OrderMessage {
                buyer_cookie: read.buyer_cookie,
                operation_allowed: operation_to_wit(read.operation_allowed),
                currency: read.currency,
                total: read.total,
                lines: read.lines.into_iter().map(line_to_wit).collect(),
            })
            .map_err(error_to_wit)
    }
}

/// The cart a host handed over as JSON, read with the profile's limits.
fn read_cart(profile: &profile::BuyerProfile, json: &[u8]) -> crate::Result<model::Cart> {
    crate::cart_json::read_cart(json, &profile.limits())
}

fn error_to_wit(error: Error) -> wit::Error {
    wit::Error {
        code: code_to_wit(error.code()),
        message: error.message().to_owned(),
        location: location_to_wit(error.location().clone()),
    }
}

fn location_to_wit(location: Location) -> wit::Location {
    wit::Location {
        line: location.line,
        column: location.column,
        path: location.path,
        field: location.field,
        pointer: location.pointer,
    }
}

fn error_from_wit(error: wit::Error) -> Error {
    Error::from_parts(
        code_from_wit(error.code),
        error.message,
        Location {
            line: error.location.line,
            column: error.location.column,
            path: error.location.path,
            field: error.location.field,
            pointer: error.location.pointer,
        },
    )
}

macro_rules! error_codes {
    ($($variant:ident),* $(,)?) => {
        fn code_to_wit(code: ErrorCode) -> wit::ErrorCode {
            match code { $(ErrorCode::$variant => wit::ErrorCode::$variant,)* }
        }
        fn code_from_wit(code: wit::ErrorCode) -> ErrorCode {
            match code { $(wit::ErrorCode::$variant => ErrorCode::$variant,)* }
        }
    };
}

error_codes!(
    MalformedXml,
    ForbiddenXml,
    UnsupportedEncoding,
    LimitExceeded,
    InvalidDocument,
    InvalidValue,
    UnknownBuyer,
    AuthenticationFailed,
    ReturnUrlNotAllowed,
    UnsupportedOperation,
    InvalidProfile,
    InvalidCart,
    InvalidSession,
    InvalidOrder,
);

fn envelope_from_wit(envelope: wit::Envelope) -> model::Envelope {
    model::Envelope {
        payload_id: envelope.payload_id,
        timestamp: envelope.timestamp,
    }
}

fn operation_to_wit(operation: model::SetupOperation) -> wit::SetupOperation {
    match operation {
        model::SetupOperation::Create => wit::SetupOperation::Create,
        model::SetupOperation::Edit => wit::SetupOperation::Edit,
        model::SetupOperation::Inspect => wit::SetupOperation::Inspect,
    }
}

fn operation_from_wit(operation: wit::SetupOperation) -> model::SetupOperation {
    match operation {
        wit::SetupOperation::Create => model::SetupOperation::Create,
        wit::SetupOperation::Edit => model::SetupOperation::Edit,
        wit::SetupOperation::Inspect => model::SetupOperation::Inspect,
    }
}

fn properties_to_wit(properties: Vec<model::Property>) -> Vec<wit::Property> {
    properties
        .into_iter()
        .map(|property| wit::Property {
            name: property.name,
            value: property.value,
        })
        .collect()
}

fn properties_from_wit(properties: Vec<wit::Property>) -> Vec<model::Property> {
    properties
        .into_iter()
        .map(|property| model::Property {
            name: property.name,
            value: property.value,
        })
        .collect()
}

fn credential_to_wit(credential: model::Credential) -> wit::Credential {
    wit::Credential {
        domain: credential.domain,
        identity: credential.identity,
    }
}

fn credential_from_wit(credential: wit::Credential) -> model::Credential {
    model::Credential {
        domain: credential.domain,
        identity: credential.identity,
    }
}

fn session_to_wit(session: model::Session) -> wit::Session {
    wit::Session {
        buyer_id: session.buyer_id,
        operation: operation_to_wit(session.operation),
        buyer_cookie: session.buyer_cookie,
        return_url: session.return_url,
        buyer: credential_to_wit(session.buyer),
        supplier: credential_to_wit(session.supplier),
        request_payload_id: session.request_payload_id,
        user_name: session.user_name,
        user_email: session.user_email,
        extrinsics: properties_to_wit(session.extrinsics),
        ship_to: session.ship_to.map(address_to_wit),
        selected_item: session.selected_item,
        supplier_setup_url: session.supplier_setup_url,
        items: session.items.into_iter().map(line_to_wit).collect(),
        start_token: session.start_token,
    }
}

fn session_from_wit(session: wit::Session) -> model::Session {
    model::Session {
        buyer_id: session.buyer_id,
        operation: operation_from_wit(session.operation),
        buyer_cookie: session.buyer_cookie,
        return_url: session.return_url,
        buyer: credential_from_wit(session.buyer),
        supplier: credential_from_wit(session.supplier),
        request_payload_id: session.request_payload_id,
        user_name: session.user_name,
        user_email: session.user_email,
        extrinsics: properties_from_wit(session.extrinsics),
        ship_to: session.ship_to.map(address_from_wit),
        selected_item: session.selected_item,
        supplier_setup_url: session.supplier_setup_url,
        items: session.items.into_iter().map(line_from_wit).collect(),
        start_token: session.start_token,
    }
}

fn address_to_wit(address: model::Address) -> wit::Address {
    wit::Address {
        name: address.name,
        address_id: address.address_id,
        deliver_to: address.deliver_to,
        street: address.street,
        city: address.city,
        state: address.state,
        postal_code: address.postal_code,
        country_code: address.country_code,
        email: address.email,
    }
}

fn address_from_wit(address: wit::Address) -> model::Address {
    model::Address {
        name: address.name,
        address_id: address.address_id,
        deliver_to: address.deliver_to,
        street: address.street,
        city: address.city,
        state: address.state,
        postal_code: address.postal_code,
        country_code: address.country_code,
        email: address.email,
    }
}

fn line_to_wit(line: model::CartLine) -> wit::CartLine {
    wit::CartLine {
        line_ref: line.line_ref,
        sku: line.sku,
        quantity: line.quantity,
        unit_price: line.unit_price,
        unit: line.unit,
        description: line.description,
        attributes: properties_to_wit(line.attributes),
    }
}

fn line_from_wit(line: wit::CartLine) -> model::CartLine {
    model::CartLine {
        line_ref: line.line_ref,
        sku: line.sku,
        quantity: line.quantity,
        unit_price: line.unit_price,
        unit: line.unit,
        description: line.description,
        attributes: properties_from_wit(line.attributes),
    }
}

mod oci;
mod orders;
mod peppol;
