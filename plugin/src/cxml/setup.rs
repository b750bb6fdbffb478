//! `PunchOutSetupRequest` in, `PunchOutSetupResponse` out.
//!
//! The order of checks is deliberate: the document must be safe and well-formed, then the sender
//! must be authenticated, and only then does the engine look at what the request asks for, so
//! that an unauthenticated caller learns nothing about the buyer's settings.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Address, CartLine, Credential, Envelope, Property, Session, SetupOperation};
use crate::profile::BuyerProfile;
use crate::xml::{self, Element, ParseOptions, XmlWriter};

use super::order_message::{read_item_detail, ItemDetail};
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
/// `unsupported-operation` for an OCI profile; hostile or malformed XML, a document that is not
/// a setup request, credentials the profile does not accept (`authentication-failed`, the same
/// error whatever was wrong: unknown `From`, a `Sender` the profile does not accept, a wrong or
/// missing secret), an operation the profile does not allow, a return URL outside the profile's
/// allow-list, more `ItemOut` lines than the profile's `max_cart_lines`.
pub fn setup(
    profile: &BuyerProfile,
    request: &[u8],
    start_url: &str,
    envelope: &Envelope,
) -> Result<SetupAccepted> {
    let mut session = read_setup_request(profile, request)?;
    let start_url = match start_url.split_once(START_TOKEN_PLACEHOLDER) {
        Some((before, after)) => {
            let token = mint_start_token()?;
            let url = format!("{before}{token}{after}");
            session.start_token = Some(token);
            url
        }
        None => start_url.to_owned(),
    };
    let response = setup_response(&start_url, envelope)?;
    Ok(SetupAccepted { session, response })
}

/// The placeholder a host puts in its start URL to have the engine mint a one-time token there.
pub const START_TOKEN_PLACEHOLDER: &str = "{token}";

/// Random bytes in a start-URL token: 256 bits, 43 characters in base64url.
const START_TOKEN_BYTES: usize = 32;

/// Mints an unguessable start-URL token: 32 bytes from the operating system's (natively) or the
/// host's `wasi:random` (in the component) cryptographic generator, as unpadded base64url.
///
/// # Errors
/// `invalid-value` at field `start-url` when no randomness is available.
pub fn mint_start_token() -> Result<String> {
    use base64::Engine as _;
    let mut bytes = [0_u8; START_TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| {
        Error::new(
            ErrorCode::InvalidValue,
            "no randomness available to mint a start-URL token",
        )
        .at_field("start-url")
    })?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Which of several buyer profiles a setup request is for: the first whose credentials match a
/// `From` credential, once the request's `Sender` has authenticated against it exactly as
/// [`setup`] will check it (sender credential accepted, shared secret compared in constant time).
///
/// Routing must not tell a known buyer from an unknown one: an unknown `From` is refused only
/// after the same authentication work (against the first profile, its answer dropped), and both
/// refusals become the same cXML `Response` in [`super::status::error_response`]. The error
/// itself keeps the precise code for the shop's log: `unknown-buyer` when no profile recognises
/// `From`, `authentication-failed` when one does but the `Sender` or its secret is wrong.
///
/// # Errors
/// `unsupported-operation` when one of the profiles is not a cXML profile; hostile or malformed
/// XML; a document without exactly one `Header/From`, `Header/To` and `Header/Sender`;
/// `unknown-buyer` (at
/// `/cXML/Header/From`); `authentication-failed` (at `/cXML/Header/Sender`).
pub fn identify(profiles: &[&BuyerProfile], request: &[u8]) -> Result<usize> {
    identify_document(profiles, request, &ParseOptions::cxml_setup_request())
}

/// [`identify`] for any cXML request read under `options` (a setup request, an order): the same
/// checks, the same timing safety and the same errors.
pub(super) fn identify_document(
    profiles: &[&BuyerProfile],
    request: &[u8],
    options: &ParseOptions,
) -> Result<usize> {
    for profile in profiles {
        super::expect_cxml_profile(profile)?;
    }
    let document = xml::parse(request, options)?;
    let root = expect_cxml_root(&document.root)?;
    let header = root.required_child("Header")?;
    let from = header.required_child("From")?;
    // One `To` and one `Sender`, as `setup` requires: two could make routing and setup read
    // different ones.
    header.required_child("To")?;
    let sender = header.required_child("Sender")?;
    let credentials = from
        .elements_named("Credential")
        .map(read_credential)
        .collect::<Result<Vec<_>>>()?;
    let found = profiles.iter().position(|profile| {
        credentials
            .iter()
            .any(|credential| profile.recognises(credential))
    });
    match (found, found.and_then(|index| profiles.get(index))) {
        (Some(index), Some(profile)) => authenticate(profile, from, sender).map(|_| index),
        _ => {
            // The same work as for a known buyer, so that time does not tell them apart.
            if let Some(first) = profiles.first() {
                let _ = authenticate(first, from, sender);
            }
            Err(Error::new(
                ErrorCode::UnknownBuyer,
                "no buyer profile recognises the sender's `From` credentials",
            )
            .at(from.location()))
        }
    }
}

/// Reads and checks a setup request against a profile.
///
/// # Errors
/// As [`setup`].
pub fn read_setup_request(profile: &BuyerProfile, request: &[u8]) -> Result<Session> {
    super::expect_cxml_profile(profile)?;
    let document = xml::parse(request, &ParseOptions::cxml_setup_request())?;
    let root = expect_cxml_root(&document.root)?;
    check_version(root)?;
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

    let supplier_setup_url = setup
        .child("SupplierSetup")?
        .map(|supplier_setup| {
            supplier_setup
                .required_child("URL")
                .map(Element::trimmed_text)
        })
        .transpose()?;
    let ship_to = setup
        .child("ShipTo")?
        .map(|ship_to| read_address(ship_to.required_child("Address")?))
        .transpose()?;
    let selected_item = setup
        .child("SelectedItem")?
        .map(|selected| {
            Ok::<_, Error>(
                selected
                    .required_child("ItemID")?
                    .required_child("SupplierPartID")?
                    .trimmed_text(),
            )
        })
        .transpose()?;
    let items = match operation {
        SetupOperation::Create => Vec::new(),
        SetupOperation::Edit | SetupOperation::Inspect => {
            crate::limits::check_count(
                "max_cart_lines",
                "lines",
                setup.elements_named("ItemOut").count(),
                profile.limits().max_cart_lines,
            )
            .map_err(|error| error.at(setup.location()))?;
            setup
                .elements_named("ItemOut")
                .map(read_item_out)
                .collect::<Result<Vec<_>>>()?
        }
    };

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
        ship_to,
        selected_item,
        supplier_setup_url,
        items,
        start_token: None,
    })
}

/// Accepts any cXML 1.2.0xx (the `version` attribute is optional: the DTD names the version).
pub(super) fn check_version(root: &Element) -> Result<()> {
    match root.attribute("version") {
        None => Ok(()),
        Some(version)
            if version.strip_prefix("1.2.").is_some_and(|minor| {
                !minor.is_empty() && minor.len() <= 4 && minor.bytes().all(|b| b.is_ascii_digit())
            }) =>
        {
            Ok(())
        }
        Some(version) => Err(root.invalid(format!(
            "unknown cXML version `{}`, expected `1.2.0xx`",
            crate::model::shorten(version)
        ))),
    }
}

/// Reads an `Address` (of a `ShipTo`, a `BillTo`).
pub(super) fn read_address(address: &Element) -> Result<Address> {
    let mut read = Address {
        name: address.required_child("Name")?.trimmed_text(),
        address_id: address.attribute("addressID").map(str::to_owned),
        email: address.child("Email")?.map(Element::trimmed_text),
        ..Address::default()
    };
    if let Some(postal) = address.child("PostalAddress")? {
        let texts = |name: &str| {
            postal
                .elements_named(name)
                .map(Element::trimmed_text)
                .collect::<Vec<_>>()
        };
        read.deliver_to = texts("DeliverTo");
        read.street = texts("Street");
        read.city = postal.required_child("City")?.trimmed_text();
        read.state = postal.child("State")?.map(Element::trimmed_text);
        read.postal_code = postal.child("PostalCode")?.map(Element::trimmed_text);
        read.country_code = postal
            .required_child("Country")?
            .required_attribute("isoCountryCode")?
            .to_owned();
    }
    Ok(read)
}

/// Reads an `ItemOut` of the cart being reopened as a cart line: `SupplierPartAuxiliaryID` is
/// the shop's line reference; price, description, unit and classifications come from
/// `ItemDetail` when the buyer sent it (empty otherwise).
fn read_item_out(item: &Element) -> Result<CartLine> {
    let quantity = item.required_attribute("quantity")?.trim().to_owned();
    crate::limits::parse_cart_amount(&quantity)
        .map_err(|error| item.invalid_value(error.message()))?;
    let item_id = item.required_child("ItemID")?;
    let sku = item_id.required_child("SupplierPartID")?.text();
    let line_ref = item_id
        .child("SupplierPartAuxiliaryID")?
        .map(Element::deep_text)
        .unwrap_or_default();
    let detail = match item.child("ItemDetail")? {
        Some(detail) => read_item_detail(detail)?,
        None => ItemDetail::default(),
    };
    Ok(CartLine {
        line_ref,
        sku,
        quantity,
        unit_price: detail.unit_price,
        unit: detail.unit,
        description: detail.description,
        attributes: detail.attributes,
    })
}

/// Authenticates the request's header against a profile: a `From` credential the profile
/// recognises, a `Sender` credential it accepts as sender ([`BuyerProfile::accepts_sender`]:
/// the one that carries the single `SharedSecret`), and that secret, compared in constant time.
/// XML whitespace around `Identity` and `SharedSecret` is not part of the value. Every failure
/// is the same error, so that a caller cannot tell a known identity, a foreign `Sender` or a
/// wrong secret apart; the secret is compared whatever else failed.
pub(super) fn authenticate(
    profile: &BuyerProfile,
    from: &Element,
    sender: &Element,
) -> Result<Credential> {
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
    for element in &sender_credentials {
        let credential = read_credential(element)?;
        if let Some(secret) = element.child("SharedSecret")? {
            secrets.push((credential, secret));
        }
    }
    if let Some((_, second)) = secrets.get(1) {
        return Err(second.invalid("`SharedSecret` occurs more than once in `Sender`"));
    }
    let (sender_credential, given) = match secrets.first() {
        Some((credential, secret)) => (Some(credential), secret.trimmed_text()),
        None => (None, String::new()),
    };
    // The secret of the recognised `From` credential (its own, else the shared one), compared
    // even when no identity is known, so both take the same time.
    let buyer = profile.authenticate(&from_credentials, given.as_bytes());
    let sender_ok = sender_credential.is_some_and(|credential| profile.accepts_sender(credential));
    match buyer {
        Some(buyer) if sender_ok => Ok(buyer.clone()),
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
