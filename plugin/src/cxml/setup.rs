//! `PunchOutSetupRequest` in, `PunchOutSetupResponse` out.
//!
//! The order of checks is deliberate: the document must be safe and well-formed, then the sender
//! must be authenticated, and only then does the engine look at what the request asks for, so
//! that an unauthenticated caller learns nothing about the buyer's settings.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Credential, Envelope, Property, Session, SetupOperation};
use crate::profile::BuyerProfile;
use crate::xml::{self, Element, ParseOptions, XmlWriter};

use super::{expect_cxml_root, expect_only_child, open_document, read_credential};

/// A setup request the engine accepted: the session to store and the response to send.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SetupAccepted {
    pub session: Session,
    pub response: String,
}

/// Reads, authenticates and answers a `PunchOutSetupRequest`.
///
/// # Errors
/// Hostile or malformed XML, a document that is not a setup request, credentials the profile
/// does not accept (`authentication-failed`, the same error whatever was wrong), an operation
/// the profile does not allow, a return URL outside the profile's allow-list.
pub fn setup(
    profile: &BuyerProfile,
    request: &[u8],
    start_url: &str,
    envelope: &Envelope,
) -> Result<SetupAccepted> {
    let session = read_setup_request(profile, request)?;
    let response = setup_response(start_url, envelope)?;
    Ok(SetupAccepted { session, response })
}

/// Reads and checks a setup request against a profile.
///
/// # Errors
/// As [`setup`].
pub fn read_setup_request(profile: &BuyerProfile, request: &[u8]) -> Result<Session> {
    let document = xml::parse(request, &ParseOptions::cxml_setup_request())?;
    let root = expect_cxml_root(&document.root)?;
    let payload_id = root.required_attribute("payloadID")?.to_owned();
    let header = root.required_child("Header")?;
    let from = header.required_child("From")?;
    let to = header.required_child("To")?;
    let sender = header.required_child("Sender")?;
    let request_element = root.required_child("Request")?;
    if let Some(other) = root.child("Message")?.or(root.child("Response")?) {
        return Err(other.invalid(format!("unexpected `{}` in a setup request", other.name())));
    }

    let buyer = authenticate(profile, from, sender)?;
    let supplier = read_credential(to.required_child("Credential")?)?;

    let setup = expect_only_child(request_element, "PunchOutSetupRequest")?;
    let operation_text = setup.required_attribute("operation")?;
    let operation = SetupOperation::parse(operation_text)
        .filter(|operation| profile.allows_operation(*operation))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::UnsupportedOperation,
                format!(
                    "operation `{}` is not supported for this buyer",
                    crate::model::shorten(operation_text)
                ),
            )
            .at(setup.location())
        })?;

    let buyer_cookie = setup.required_child("BuyerCookie")?.deep_text();
    let url_element = setup
        .child("BrowserFormPost")?
        .ok_or_else(|| setup.invalid("missing element `BrowserFormPost` in `PunchOutSetupRequest`: the cart could not be returned"))?
        .required_child("URL")?;
    let return_url = url_element.trimmed_text();
    profile
        .check_return_url(&return_url)
        .map_err(|error| error.at(url_element.location()))?;

    let (user_name, user_email) = match setup.elements_named("Contact").next() {
        Some(contact) => (
            contact.child("Name")?.map(Element::trimmed_text),
            contact
                .elements_named("Email")
                .next()
                .map(Element::trimmed_text),
        ),
        None => (None, None),
    };
    let extrinsics = setup
        .elements_named("Extrinsic")
        .map(|extrinsic| {
            Ok(Property::new(
                extrinsic.required_attribute("name")?,
                extrinsic.deep_text().trim(),
            ))
        })
        .collect::<Result<Vec<_>>>()?;

    Ok(Session {
        buyer_id: profile.id().to_owned(),
        operation,
        buyer_cookie,
        return_url,
        buyer,
        supplier,
        request_payload_id: payload_id,
        user_name,
        user_email,
        extrinsics,
    })
}

/// Finds the buyer's credential among `From` and checks the single `SharedSecret` of `Sender`.
/// Every failure is the same error, so that a caller cannot tell a known identity from an
/// unknown one, and the secret is compared in constant time.
fn authenticate(profile: &BuyerProfile, from: &Element, sender: &Element) -> Result<Credential> {
    let refused = || {
        Error::new(
            ErrorCode::AuthenticationFailed,
            "the sender's credentials were not accepted",
        )
        .at(sender.location())
    };
    let from_credentials = from
        .elements_named("Credential")
        .map(read_credential)
        .collect::<Result<Vec<_>>>()?;
    let sender_credentials = sender.elements_named("Credential").collect::<Vec<_>>();
    if sender_credentials.is_empty() {
        return Err(sender.invalid("missing element `Credential` in `Sender`"));
    }
    let mut secrets = Vec::new();
    for credential in &sender_credentials {
        read_credential(credential)?;
        if let Some(secret) = credential.child("SharedSecret")? {
            secrets.push(secret);
        }
    }
    if let Some(second) = secrets.get(1) {
        return Err(second.invalid("`SharedSecret` occurs more than once in `Sender`"));
    }
    let given = secrets
        .first()
        .map(|secret| secret.text())
        .unwrap_or_default();
    // Compare the secret even when the identity is unknown, so both take the same time.
    let secret_ok = profile.secret_matches(given.as_bytes());
    let buyer = from_credentials
        .into_iter()
        .find(|credential| profile.recognises(credential));
    match buyer {
        Some(buyer) if secret_ok && !secrets.is_empty() => Ok(buyer),
        _ => Err(refused()),
    }
}

/// Writes the `PunchOutSetupResponse` that sends the browser to `start_url`.
///
/// # Errors
/// `invalid-value` when `start_url` is not an absolute http(s) URL.
pub fn setup_response(start_url: &str, envelope: &Envelope) -> Result<String> {
    let parsed = url::Url::parse(start_url).map_err(|error| {
        Error::new(
            ErrorCode::InvalidValue,
            format!("start URL is not a URL: {error}"),
        )
        .at_field("start-url")
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!(
                "start URL uses scheme `{}`, expected `https`",
                parsed.scheme()
            ),
        )
        .at_field("start-url"));
    }
    let mut writer = XmlWriter::with_capacity(512);
    open_document(&mut writer, envelope);
    writer.open("Response", &[]);
    writer.empty("Status", &[("code", "200"), ("text", "OK")]);
    writer.open("PunchOutSetupResponse", &[]);
    writer.open("StartPage", &[]);
    writer.leaf("URL", &[], start_url);
    writer.close("StartPage");
    writer.close("PunchOutSetupResponse");
    writer.close("Response");
    writer.close("cXML");
    Ok(writer.finish())
}
