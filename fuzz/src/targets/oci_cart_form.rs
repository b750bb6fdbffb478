//! The OCI cart form from an arbitrary cart and call-up ([`crate::cart_case`]): the call-up
//! (its `HOOK_URL` carrying the input's query, its `~TARGET`, its charset) is accepted or refused
//! with a typed error, and so is the cart. A rendered page, read by html5ever as the browser reads
//! it:
//! - has exactly one form, posting to the `HOOK_URL` without its query, into the session's
//!   target, no input outside it, no event-handler attribute, and one script, the auto-submit;
//! - holds the hook URL's query parameters, none with a reserved name ([`crate::form_names`]),
//!   then exactly the fields [`cart_fields`] computes, each value as the charset policy writes it;
//! - posted back by the browser, reads back ([`read_form`]) as the same parameters and the same
//!   fields of the same items.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use punchout_plugin::oci::cart_form::{cart_fields, split_hook_url};
use punchout_plugin::oci::{call_up, cart_form, read_form, OciCharset};
use punchout_plugin::ErrorCode;

use crate::cart_case::CartCase;
use crate::fixtures::{oci_every_field_profile, oci_profile, OCI_HOOK_BASE, OCI_PASSWORD};
use crate::form_names::is_reserved_form_name;

/// The page's only script.
pub const AUTO_SUBMIT: &str = "document.getElementById(\"oci-cart-return\").submit();";

/// A value as the browser reads it from the page: controls other than tab and line breaks are
/// U+FFFD; in a Latin-1 page, a character outside windows-1252 is its one-character stand-in.
pub fn as_read(value: &str, charset: OciCharset) -> String {
    value
        .chars()
        .map(|character| {
            let visible = if character.is_control() && !matches!(character, '\t' | '\n' | '\r') {
                '\u{FFFD}'
            } else {
                character
            };
            match charset {
                OciCharset::Utf8 => visible,
                OciCharset::Latin1 => {
                    let mut buffer = [0u8; 4];
                    let (_, _, unmappable) =
                        encoding_rs::WINDOWS_1252.encode(visible.encode_utf8(&mut buffer));
                    if unmappable {
                        punchout_plugin::oci::latin1::transliterate(visible)
                    } else {
                        visible
                    }
                }
            }
        })
        .collect()
}

/// The call-up body for a case: the sample credentials, the case's query on the allowed hook.
pub fn call_up_body(case: &CartCase) -> String {
    let charset = charset(case);
    let hook_url = if case.text.is_empty() {
        OCI_HOOK_BASE.to_owned()
    } else {
        format!("{OCI_HOOK_BASE}?{}", case.text)
    };
    let mut body = format!(
        "USERNAME=SRM_ACME&PASSWORD={OCI_PASSWORD}&HOOK_URL={}&http_content_charset={}",
        utf8_percent_encode(&hook_url, NON_ALPHANUMERIC),
        charset.as_str()
    );
    if !case.target.is_empty() {
        body.push_str("&~TARGET=");
        body.push_str(&utf8_percent_encode(&case.target, NON_ALPHANUMERIC).to_string());
    }
    body
}

fn charset(case: &CartCase) -> OciCharset {
    if case.has_flag('u') {
        OciCharset::Utf8
    } else {
        OciCharset::Latin1
    }
}

/// Index and field of `NEW_ITEM-PRICE[3]` or `NEW_ITEM-LONGTEXT_3:132[]` (long text as `None`).
fn item_field(name: &str) -> Option<(u32, Option<&str>)> {
    if let Some(rest) = name.strip_prefix("NEW_ITEM-LONGTEXT_") {
        return Some((rest.strip_suffix(":132[]")?.parse().ok()?, None));
    }
    let (field, index) = name.strip_suffix(']')?.rsplit_once('[')?;
    Some((index.parse().ok()?, Some(field)))
}

pub fn run(data: &[u8]) {
    let case = CartCase::decode(data);
    let profile = if case.has_flag('5') {
        oci_every_field_profile()
    } else {
        oci_profile()
    };
    let charset = charset(&case);
    let session = match call_up(profile, call_up_body(&case).as_bytes()) {
        Ok(accepted) => accepted.session,
        Err(error) => {
            assert!(
                matches!(
                    error.code(),
                    ErrorCode::LimitExceeded
                        | ErrorCode::InvalidDocument
                        | ErrorCode::InvalidValue
                        | ErrorCode::ReturnUrlNotAllowed
                ),
                "unexpected call-up error: {error:?}"
            );
            return;
        }
    };
    let (action, hook_parameters) = split_hook_url(&session.hook_url);
    let reserved = hook_parameters
        .iter()
        .any(|(name, _)| is_reserved_form_name(name));
    if !crate::skipped("hook-url-names") {
        assert!(
            !reserved,
            "a call-up whose HOOK_URL query names a reserved form field was accepted: {hook_parameters:?}"
        );
    }
    let page = match cart_form(profile, &session, &case.cart) {
        Ok(page) => page,
        Err(error) => {
            assert!(
                matches!(
                    error.code(),
                    ErrorCode::InvalidCart | ErrorCode::InvalidSession | ErrorCode::LimitExceeded
                ),
                "unexpected cart-form error: {error:?}"
            );
            return;
        }
    };
    assert_eq!(page.charset, charset);
    let read = crate::page::read(&crate::page::decode(&page.body, charset));
    assert_eq!(read.forms.len(), 1, "exactly one form");
    let form = &read.forms[0];
    assert_eq!(read.inputs, form.inputs.len(), "an input outside the form");
    assert_eq!(read.handlers, 0, "an event-handler attribute");
    assert_eq!(
        read.scripts,
        [AUTO_SUBMIT],
        "the auto-submit is the only script"
    );
    assert_eq!(
        form.action.as_deref(),
        Some(as_read(action, charset).as_str())
    );
    assert_eq!(form.method.as_deref(), Some("post"));
    assert_eq!(form.target.as_deref(), Some(session.target.as_str()));

    let fields = cart_fields(profile, session.version, &case.cart)
        .expect("a cart that rendered maps to fields");
    let expected: Vec<(String, String)> = hook_parameters
        .iter()
        .map(|(name, value)| (as_read(name, charset), as_read(value, charset)))
        .chain(
            fields
                .iter()
                .map(|field| (field.name.clone(), as_read(&field.value, charset))),
        )
        .collect();
    assert_eq!(form.inputs, expected, "the form's inputs");

    // Posted by the browser and read back as the buyer's system reads it.
    let names: Vec<&str> = hook_parameters
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    let repeated = names
        .iter()
        .enumerate()
        .any(|(position, name)| names[..position].contains(name));
    if reserved || repeated {
        // A reserved name collides with the items (asserted above when not skipped); a name the
        // hook URL repeats is refused by the read-back.
        return;
    }
    let post = read_form(&crate::page::post_body(&form.inputs, charset), charset)
        .unwrap_or_else(|error| panic!("the posted form is refused: {error}"));
    let parameters: Vec<(String, String)> = post
        .parameters
        .iter()
        .map(|property| (property.name.clone(), property.value.clone()))
        .collect();
    assert_eq!(
        parameters,
        expected[..hook_parameters.len()],
        "parameters read back"
    );
    let mut read_back_fields = 0;
    for (name, value) in &expected[hook_parameters.len()..] {
        let (index, field) = item_field(name).unwrap_or_else(|| panic!("field name `{name}`"));
        let item = post
            .items
            .iter()
            .find(|item| item.index == index)
            .unwrap_or_else(|| panic!("item {index} is not read back"));
        match field {
            Some(field) => assert_eq!(item.value(field), Some(value.as_str()), "{name}"),
            None => assert_eq!(&item.longtext, value, "{name}"),
        }
        read_back_fields += 1;
    }
    let posted_fields: usize = post
        .items
        .iter()
        .map(|item| item.fields.len() + usize::from(!item.longtext.is_empty()))
        .sum();
    assert_eq!(
        posted_fields, read_back_fields,
        "fields read back that were not sent"
    );
}
