//! The `types` interface's records: conversions between the generated WIT types and the core's
//! types, the host-side mirror of the guest's `component.rs`, holding no logic.

use punchout_plugin::model::{
    Address, CartLine, Credential, Envelope, Property, Session, SetupOperation,
};
use punchout_plugin::{Error, ErrorCode, Location};

use super::wit;

macro_rules! error_codes {
    ($($variant:ident),* $(,)?) => {
        fn code_to_wit(code: ErrorCode) -> wit::ErrorCode {
            match code { $(ErrorCode::$variant => wit::ErrorCode::$variant,)* _ => wit::ErrorCode::InvalidValue }
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

pub(crate) fn error_from_wit(error: wit::Error) -> Error {
    Error::from_parts(
        code_from_wit(error.code),
        error.message,
        location_from_wit(error.location),
    )
}

pub(super) fn location_from_wit(location: wit::Location) -> Location {
    Location {
        line: location.line,
        column: location.column,
        path: location.path,
        field: location.field,
        pointer: location.pointer,
    }
}

pub(crate) fn error_to_wit(error: &Error) -> wit::Error {
    let location = error.location().clone();
    wit::Error {
        code: code_to_wit(error.code()),
        message: error.message().to_owned(),
        location: wit::Location {
            line: location.line,
            column: location.column,
            path: location.path,
            field: location.field,
            pointer: location.pointer,
        },
    }
}

pub(crate) fn envelope_to_wit(envelope: &Envelope) -> wit::Envelope {
    wit::Envelope {
        payload_id: envelope.payload_id.clone(),
        timestamp: envelope.timestamp.clone(),
    }
}

fn operation_to_wit(operation: SetupOperation) -> wit::SetupOperation {
    match operation {
        SetupOperation::Create => wit::SetupOperation::Create,
        SetupOperation::Edit => wit::SetupOperation::Edit,
        SetupOperation::Inspect => wit::SetupOperation::Inspect,
    }
}

pub(super) fn operation_from_wit(operation: wit::SetupOperation) -> SetupOperation {
    match operation {
        wit::SetupOperation::Create => SetupOperation::Create,
        wit::SetupOperation::Edit => SetupOperation::Edit,
        wit::SetupOperation::Inspect => SetupOperation::Inspect,
    }
}

fn properties_to_wit(properties: &[Property]) -> Vec<wit::Property> {
    properties_into_wit(properties.to_vec())
}

fn properties_into_wit(properties: Vec<Property>) -> Vec<wit::Property> {
    properties
        .into_iter()
        .map(|property| wit::Property {
            name: property.name,
            value: property.value,
        })
        .collect()
}

pub(super) fn properties_from_wit(properties: Vec<wit::Property>) -> Vec<Property> {
    properties
        .into_iter()
        .map(|property| Property {
            name: property.name,
            value: property.value,
        })
        .collect()
}

fn credential_to_wit(credential: &Credential) -> wit::Credential {
    wit::Credential {
        domain: credential.domain.clone(),
        identity: credential.identity.clone(),
    }
}

fn credential_from_wit(credential: wit::Credential) -> Credential {
    Credential {
        domain: credential.domain,
        identity: credential.identity,
    }
}

pub(crate) fn session_to_wit(session: &Session) -> wit::Session {
    wit::Session {
        buyer_id: session.buyer_id.clone(),
        operation: operation_to_wit(session.operation),
        buyer_cookie: session.buyer_cookie.clone(),
        return_url: session.return_url.clone(),
        buyer: credential_to_wit(&session.buyer),
        supplier: credential_to_wit(&session.supplier),
        request_payload_id: session.request_payload_id.clone(),
        user_name: session.user_name.clone(),
        user_email: session.user_email.clone(),
        extrinsics: properties_to_wit(&session.extrinsics),
        ship_to: session.ship_to.as_ref().map(address_to_wit),
        selected_item: session.selected_item.clone(),
        supplier_setup_url: session.supplier_setup_url.clone(),
        items: session.items.iter().map(line_to_wit).collect(),
        start_token: session.start_token.clone(),
    }
}

pub(super) fn session_from_wit(session: wit::Session) -> Session {
    Session {
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

fn address_to_wit(address: &Address) -> wit::Address {
    wit::Address {
        name: address.name.clone(),
        address_id: address.address_id.clone(),
        deliver_to: address.deliver_to.clone(),
        street: address.street.clone(),
        city: address.city.clone(),
        state: address.state.clone(),
        postal_code: address.postal_code.clone(),
        country_code: address.country_code.clone(),
        email: address.email.clone(),
    }
}

fn address_from_wit(address: wit::Address) -> Address {
    Address {
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

/// The cart as the JSON the engine reads (`cart-json`).
pub(crate) fn line_to_wit(line: &CartLine) -> wit::CartLine {
    line_into_wit(line.clone())
}

fn line_into_wit(line: CartLine) -> wit::CartLine {
    wit::CartLine {
        line_ref: line.line_ref,
        sku: line.sku,
        quantity: line.quantity,
        unit_price: line.unit_price,
        unit: line.unit,
        description: line.description,
        attributes: properties_into_wit(line.attributes),
    }
}

pub(super) fn line_from_wit(line: wit::CartLine) -> CartLine {
    CartLine {
        line_ref: line.line_ref,
        sku: line.sku,
        quantity: line.quantity,
        unit_price: line.unit_price,
        unit: line.unit,
        description: line.description,
        attributes: properties_from_wit(line.attributes),
    }
}
