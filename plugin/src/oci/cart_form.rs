//! The cart return ("inbound section", OCI 4.0 §4.2, 5.0 §3.2): the shop's cart as `NEW_ITEM-*`
//! fields, indexed from 1, valued by the buyer profile's mapping, in an HTML form that posts to
//! the `HOOK_URL`.
//!
//! The form's `action` is the `HOOK_URL` without its query; each query parameter of the
//! `HOOK_URL` becomes a hidden input (SAP puts `~OkCode`, `~TARGET`, `~CALLER` there). The form's
//! `target` is the session's. Three pages share one renderer:
//! - [`cart_form`]: submits itself and shows a button for browsers without scripts;
//! - [`validate_reply`] (`FUNCTION=VALIDATE`): one item, submits itself, nothing visible
//!   (the button is inside `<noscript>`);
//! - [`background_search_reply`] (`FUNCTION=BACKGROUND_SEARCH`): every hit, never submits itself.
//!
//! Every name and value is escaped for a quoted attribute; the page is encoded as the buyer
//! asked ([`super::latin1`]).

use super::call_up::{check_session, OciSession};
use super::settings::{OciCharset, OciVersion};
use crate::error::{Error, ErrorCode, Result};
use crate::mapping::targets::is_oci_customer_field;
use crate::mapping::{LineValues, LineView};
use crate::model::Cart;
use crate::profile::BuyerProfile;

/// One form field: its full name (`NEW_ITEM-PRICE[3]`) and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OciField {
    pub name: String,
    pub value: String,
}

/// A page for the buyer's browser, encoded in `charset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OciPage {
    pub body: Vec<u8>,
    pub charset: OciCharset,
}

impl OciPage {
    /// The HTTP `Content-Type` of the page.
    pub fn content_type(&self) -> String {
        format!("text/html; charset={}", self.charset.as_str())
    }
}

/// The fields OCI 5.0 added; a 4.0 buyer does not get them.
const OCI5_FIELDS: &[&str] = &["NEW_ITEM-ITEM_TYPE", "NEW_ITEM-PARENT_ID"];

/// The cart's `NEW_ITEM-*` fields, in line order and the OCI field table's order, customer
/// fields (`NEW_ITEM-ZZ_…`) after them and the long text last.
///
/// # Errors
/// `unsupported-operation` for a cXML profile; `limit-exceeded` at `/lines` or
/// `/lines/N/attributes` over the profile's [`crate::limits::InputLimits`], before any line is
/// mapped; `invalid-cart` located by a JSON pointer: a quantity that is not greater than zero
/// (`/lines/N/quantity`), a required field empty, a number or unit that does not fit its format
/// or length (see [`crate::mapping::targets::OCI_ITEM_FIELDS`]), an
/// `ITEM_TYPE` other than `R`, `O`, `F`, a `PARENT_ID` that is not the index of another line.
pub fn cart_fields(
    profile: &BuyerProfile,
    version: OciVersion,
    cart: &Cart,
) -> Result<Vec<OciField>> {
    super::call_up::expect_oci_profile(profile)?;
    profile.limits().check_cart(cart)?;
    let mut fields = Vec::with_capacity(cart.lines.len().saturating_mul(12));
    visit_fields(profile, version, cart, |name, value| {
        let mut full = String::new();
        name.push_to(&mut full);
        fields.push(OciField {
            name: full,
            value: value.to_owned(),
        });
    })?;
    Ok(fields)
}

/// A field's name in parts (`NEW_ITEM-PRICE`, `[`, 3, `]`), so that the page can write it
/// without building a string per field.
#[derive(Clone, Copy, Debug)]
struct FieldName<'a> {
    base: &'a str,
    open: &'static str,
    index: usize,
    close: &'static str,
    /// Which field of the mapping it is, for markup the page prepares once per cart.
    slot: FieldSlot,
}

/// A field of the mapping: the field at an index, the extrinsic (customer field) at an index, or
/// the long text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldSlot {
    Field(usize),
    Extrinsic(usize),
    Longtext,
}

impl FieldName<'_> {
    /// Appends `NEW_ITEM-PRICE[12]`, without `format!` (which costs more than the rest of a
    /// field).
    fn push_to(&self, out: &mut String) {
        out.push_str(self.base);
        out.push_str(self.open);
        out.push_str(itoa::Buffer::new().format(self.index));
        out.push_str(self.close);
    }
}

/// [`cart_fields`], handing each field to `emit` as it is mapped.
fn visit_fields(
    profile: &BuyerProfile,
    version: OciVersion,
    cart: &Cart,
    mut emit: impl FnMut(FieldName<'_>, &str),
) -> Result<()> {
    let count = cart.lines.len();
    let mapping = profile.mapping();
    // What each field of the mapping is, decided once per cart instead of by name per line.
    let kinds: Vec<FieldKind> = (0..mapping.field_count())
        .map(|index| match mapping.field_name(index) {
            "NEW_ITEM-LONGTEXT" => FieldKind::Longtext,
            name if version < OciVersion::V5 && OCI5_FIELDS.contains(&name) => FieldKind::Left,
            "NEW_ITEM-ITEM_TYPE" => FieldKind::ItemType,
            "NEW_ITEM-PARENT_ID" => FieldKind::ParentId,
            _ => FieldKind::Plain,
        })
        .collect();
    let customer: Vec<bool> = (0..mapping.extrinsic_count())
        .map(|index| is_oci_customer_field(mapping.extrinsic_name(index)))
        .collect();
    let mut values = LineValues::new();
    for (position, line) in cart.lines.iter().enumerate() {
        let index = position.saturating_add(1);
        // The same rule as the cXML cart: a quantity greater than zero.
        crate::limits::parse_line_quantity(&line.quantity, position)?;
        mapping.map_line_into(
            &LineView {
                line,
                currency: &cart.currency,
                line_number: index,
            },
            &mut values,
        )?;
        let invalid = |message: String| {
            Error::new(ErrorCode::InvalidCart, message).at_pointer(format!("/lines/{position}"))
        };
        let mut longtext = None;
        for (field, (value, kind)) in values.fields().zip(&kinds).enumerate() {
            if value.is_empty() {
                continue;
            }
            match kind {
                FieldKind::Longtext => {
                    longtext = Some(value);
                    continue;
                }
                FieldKind::Left => continue,
                FieldKind::ItemType if !matches!(value, "R" | "O" | "F") => {
                    return Err(invalid(format!(
                        "field `NEW_ITEM-ITEM_TYPE`: expected `R`, `O` or `F`, found `{}`",
                        crate::model::shorten(value)
                    )));
                }
                FieldKind::ParentId => {
                    let parent = value.parse::<usize>().ok();
                    if !parent
                        .is_some_and(|parent| parent >= 1 && parent <= count && parent != index)
                    {
                        return Err(invalid(format!(
                            "field `NEW_ITEM-PARENT_ID`: expected the index (1 to {count}) of another line, found `{}`",
                            crate::model::shorten(value)
                        )));
                    }
                }
                FieldKind::ItemType | FieldKind::Plain => {}
            }
            emit(
                FieldName {
                    base: mapping.field_name(field),
                    open: "[",
                    index,
                    close: "]",
                    slot: FieldSlot::Field(field),
                },
                value,
            );
        }
        for (extra, value) in values.extrinsics() {
            if customer.get(extra).copied().unwrap_or(false) {
                emit(
                    FieldName {
                        base: mapping.extrinsic_name(extra),
                        open: "[",
                        index,
                        close: "]",
                        slot: FieldSlot::Extrinsic(extra),
                    },
                    value,
                );
            }
        }
        if let Some(text) = longtext.or(values.longtext()) {
            emit(
                FieldName {
                    base: "NEW_ITEM-LONGTEXT",
                    open: "_",
                    index,
                    close: ":132[]",
                    slot: FieldSlot::Longtext,
                },
                text,
            );
        }
    }
    Ok(())
}

/// How the cart form treats a field of the mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldKind {
    /// Written as it is.
    Plain,
    /// `NEW_ITEM-LONGTEXT`: written last, under its own name.
    Longtext,
    /// An OCI 5.0 field for a 4.0 session: left out.
    Left,
    /// `NEW_ITEM-ITEM_TYPE`: `R`, `O` or `F`.
    ItemType,
    /// `NEW_ITEM-PARENT_ID`: the index of another line.
    ParentId,
}

/// How a page behaves in the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Behaviour {
    /// Submits itself; a visible button for browsers without scripts.
    CartReturn,
    /// Submits itself; nothing visible (the button only in `<noscript>`).
    Validate,
    /// Never submits itself; the buyer's system reads the fields.
    BackgroundSearch,
}

/// The cart-return page for a session.
///
/// # Errors
/// `invalid-session` (another buyer's session, a `HOOK_URL` or target the profile does not
/// allow, a `HOOK_URL` parameter with a reserved name) and the errors of [`cart_fields`].
pub fn cart_form(profile: &BuyerProfile, session: &OciSession, cart: &Cart) -> Result<OciPage> {
    page(profile, session, cart, Behaviour::CartReturn)
}

/// The reply to `FUNCTION=VALIDATE`: the one line the shop validated (current price for the
/// asked quantity), in a form that submits itself without showing anything.
///
/// # Errors
/// As [`cart_form`], and `invalid-cart` unless the cart has exactly one line.
pub fn validate_reply(
    profile: &BuyerProfile,
    session: &OciSession,
    item: &Cart,
) -> Result<OciPage> {
    if item.lines.len() != 1 {
        return Err(Error::new(
            ErrorCode::InvalidCart,
            format!(
                "`FUNCTION=VALIDATE` returns exactly one item, found {}",
                item.lines.len()
            ),
        )
        .at_pointer("/lines"));
    }
    page(profile, session, item, Behaviour::Validate)
}

/// The reply to `FUNCTION=BACKGROUND_SEARCH`: every hit as OCI fields, on one page, in a form
/// that never submits itself.
///
/// # Errors
/// As [`cart_form`].
pub fn background_search_reply(
    profile: &BuyerProfile,
    session: &OciSession,
    hits: &Cart,
) -> Result<OciPage> {
    page(profile, session, hits, Behaviour::BackgroundSearch)
}

fn page(
    profile: &BuyerProfile,
    session: &OciSession,
    cart: &Cart,
    behaviour: Behaviour,
) -> Result<OciPage> {
    check_session(profile, session)?;
    profile.limits().check_cart(cart)?;
    let inputs = InputMarkup::new(profile);
    let body = render(session, behaviour, cart.lines.len(), |page| {
        visit_fields(profile, session.version, cart, |name, value| {
            push_field(page, &inputs, name, value);
        })
    })?;
    Ok(OciPage {
        body,
        charset: session.charset,
    })
}

/// Splits a `HOOK_URL` into the form's action and its query parameters (decoded).
pub fn split_hook_url(hook_url: &str) -> (&str, Vec<(String, String)>) {
    let without_fragment = hook_url.split('#').next().unwrap_or(hook_url);
    match without_fragment.split_once('?') {
        Some((base, query)) => {
            let parameters = query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(name), decode(value))
                })
                .collect();
            (base, parameters)
        }
        None => (without_fragment, Vec::new()),
    }
}

fn decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

const FORM_ID: &str = "oci-cart-return";

/// A page being written straight in the session's charset (no UTF-8 copy of a Latin-1 page).
struct PageBytes {
    out: Vec<u8>,
    latin1: bool,
    /// Lines of the cart, where the fields start, and where the first line's fields end (once
    /// known), for reserving the page's size.
    lines: usize,
    fields_start: usize,
    first_line_end: Option<usize>,
}

impl PageBytes {
    /// The page's own markup (ASCII).
    fn markup(&mut self, markup: &str) {
        self.out.extend_from_slice(markup.as_bytes());
    }

    /// A mapped value, escaped and encoded. Mapped text is already in Unicode Normalization
    /// Form C (the mapping composes it), which is what the Latin-1 policy asks for.
    fn value(&mut self, text: &str) {
        let out = &mut self.out;
        if self.latin1 {
            escape_runs(text, |run| super::latin1::push_windows_1252(out, run));
        } else {
            escape_runs(text, |run| out.extend_from_slice(run.as_bytes()));
        }
    }

    /// Text from the session (the `HOOK_URL`'s parts, the target), escaped; on a Latin-1 page
    /// composed (NFC) first, as the Latin-1 policy does for the whole page.
    fn text(&mut self, text: &str) {
        let mut escaped = String::with_capacity(text.len());
        push_escaped(&mut escaped, text);
        if self.latin1 {
            let composed = crate::mapping::text::to_nfc(escaped);
            super::latin1::push_windows_1252(&mut self.out, &composed);
        } else {
            self.out.extend_from_slice(escaped.as_bytes());
        }
    }
}

/// The page around the fields that `write_fields` writes (its error ends the page), in the
/// session's charset.
fn render(
    session: &OciSession,
    behaviour: Behaviour,
    lines: usize,
    write_fields: impl FnOnce(&mut PageBytes) -> Result<()>,
) -> Result<Vec<u8>> {
    let (action, hook_parameters) = split_hook_url(&session.hook_url);
    // About a kilobyte of fields per line.
    // A first guess of a kilobyte per line; the first line written gives a better one.
    let mut page = PageBytes {
        out: Vec::with_capacity(lines.saturating_mul(1024).saturating_add(1024)),
        latin1: session.charset == OciCharset::Latin1,
        lines,
        fields_start: 0,
        first_line_end: None,
    };
    page.markup("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"");
    page.markup(session.charset.as_str());
    page.markup("\">\n<title>");
    page.markup(match behaviour {
        Behaviour::BackgroundSearch => "Search results",
        _ => "Returning your cart",
    });
    page.markup("</title>\n</head>\n<body>\n<form id=\"");
    page.markup(FORM_ID);
    page.markup("\" method=\"post\" action=\"");
    page.text(action);
    page.markup("\" target=\"");
    page.text(&session.target);
    page.markup("\" accept-charset=\"");
    page.markup(session.charset.as_str());
    page.markup("\">\n");
    for (name, value) in &hook_parameters {
        // `check_session` refused every reserved name; this keeps the rule where it is used.
        if super::form_safety::is_reserved_form_name(name) {
            continue;
        }
        page.markup("<input type=\"hidden\" name=\"");
        page.text(name);
        page.markup("\" value=\"");
        page.text(value);
        page.markup("\">\n");
    }
    page.fields_start = page.out.len();
    write_fields(&mut page)?;
    match behaviour {
        Behaviour::CartReturn => page.markup(
            "<p>Your cart is being returned to your procurement system.</p>\n\
             <button type=\"submit\">Return the cart</button>\n</form>\n",
        ),
        Behaviour::Validate => {
            page.markup("<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n")
        }
        Behaviour::BackgroundSearch => page.markup("</form>\n"),
    }
    if behaviour != Behaviour::BackgroundSearch {
        page.markup("<script>document.getElementById(\"");
        page.markup(FORM_ID);
        page.markup("\").submit();</script>\n");
    }
    page.markup("</body>\n</html>\n");
    Ok(page.out)
}

/// The markup before each field's index, prepared once per cart: `<input type="hidden"
/// name="NEW_ITEM-PRICE[`.
struct InputMarkup {
    /// Every head, one after another (two allocations per cart, not one per field).
    text: String,
    fields: Vec<std::ops::Range<usize>>,
    extrinsics: Vec<std::ops::Range<usize>>,
    longtext: std::ops::Range<usize>,
}

impl InputMarkup {
    fn new(profile: &BuyerProfile) -> Self {
        let mapping = profile.mapping();
        let count = mapping
            .field_count()
            .saturating_add(mapping.extrinsic_count())
            .saturating_add(1);
        let mut text = String::with_capacity(count.saturating_mul(64));
        let mut head = |base: &str, open: &str| {
            // Field names come from the OCI field table or pass `is_oci_customer_field`
            // (`NEW_ITEM-`, then letters, digits and `_`): nothing in them needs escaping, which
            // the tests check.
            debug_assert!(is_plain_name(base), "{base}");
            let start = text.len();
            text.push_str("<input type=\"hidden\" name=\"");
            text.push_str(base);
            text.push_str(open);
            start..text.len()
        };
        let fields = (0..mapping.field_count())
            .map(|index| head(mapping.field_name(index), "["))
            .collect();
        let extrinsics = (0..mapping.extrinsic_count())
            .map(|index| head(mapping.extrinsic_name(index), "["))
            .collect();
        let longtext = head("NEW_ITEM-LONGTEXT", "_");
        InputMarkup {
            text,
            fields,
            extrinsics,
            longtext,
        }
    }

    fn head(&self, slot: FieldSlot) -> &str {
        let range = match slot {
            FieldSlot::Field(index) => self.fields.get(index),
            FieldSlot::Extrinsic(index) => self.extrinsics.get(index),
            FieldSlot::Longtext => Some(&self.longtext),
        };
        range
            .and_then(|range| self.text.get(range.clone()))
            .unwrap_or_default()
    }
}

fn push_field(page: &mut PageBytes, inputs: &InputMarkup, name: FieldName<'_>, value: &str) {
    if name.index == 2 && page.first_line_end.is_none() {
        // The first line is written: reserve for the others at its size and an eighth more, so
        // that a large cart grows its page once instead of doubling it (and copying) as it goes.
        page.first_line_end = Some(page.out.len());
        let first = page.out.len().saturating_sub(page.fields_start);
        let rest = page.lines.saturating_sub(1);
        let wanted = first
            .saturating_add(first / 8)
            .saturating_mul(rest)
            .saturating_add(1024);
        let spare = page.out.capacity().saturating_sub(page.out.len());
        if wanted > spare {
            page.out.reserve_exact(wanted);
        }
    }
    page.markup(inputs.head(name.slot));
    page.markup(itoa::Buffer::new().format(name.index));
    page.markup(if name.slot == FieldSlot::Longtext {
        ":132[]\" value=\""
    } else {
        "]\" value=\""
    });
    page.value(value);
    page.markup("\">\n");
}

/// A name that holds nothing to escape: ASCII letters, digits, `-` and `_`.
fn is_plain_name(name: &str) -> bool {
    name.bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'))
}

/// Escapes text for a quoted attribute (and element content): `& < > " '` as entities, tab and
/// line breaks as numeric references (so that HTML's newline normalisation keeps `\r`), every
/// other control character replaced by U+FFFD (`?` in Latin-1 pages).
pub fn push_escaped(page: &mut String, text: &str) {
    escape_runs(text, |run| page.push_str(run));
}

/// [`push_escaped`] handing each unescaped run and each replacement to `push`, so that the page
/// can be written in its charset straight away.
fn escape_runs(text: &str, mut push: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut index = 0;
    // Clean runs are copied whole; only the bytes the table flags are looked at.
    while let Some(found) = crate::xml::find_byte(bytes, index, &NEEDS_ESCAPE, needs_escape) {
        // Offsets and widths stay within `text`, far from `usize::MAX`.
        index = found;
        let (replacement, width) = match bytes.get(index) {
            Some(b'&') => ("&amp;", 1),
            Some(b'<') => ("&lt;", 1),
            Some(b'>') => ("&gt;", 1),
            Some(b'"') => ("&quot;", 1),
            Some(b'\'') => ("&#39;", 1),
            Some(b'\t') => ("&#9;", 1),
            Some(b'\n') => ("&#10;", 1),
            Some(b'\r') => ("&#13;", 1),
            // C1 controls, U+0080 to U+009F: C2 80 to C2 9F.
            Some(0xC2) => match bytes.get(index.saturating_add(1)) {
                Some(0x80..=0x9F) => ("\u{FFFD}", 2),
                _ => {
                    index = index.saturating_add(1);
                    continue;
                }
            },
            // C0 controls and DEL.
            _ => ("\u{FFFD}", 1),
        };
        // Every flagged byte starts a character, so both ends are character boundaries.
        let run = text.get(run_start..index).unwrap_or_default();
        if !run.is_empty() {
            push(run);
        }
        push(replacement);
        index = index.saturating_add(width);
        run_start = index;
    }
    let rest = text.get(run_start..).unwrap_or_default();
    if !rest.is_empty() {
        push(rest);
    }
}

/// Bytes [`push_escaped`] looks at: markup, C0 controls, DEL, and 0xC2 (the lead byte of the C1
/// controls).
const fn needs_escape(byte: u8) -> bool {
    (byte < 0x20)
        | (byte == 0x7F)
        | (byte == 0xC2)
        | (byte == b'&')
        | (byte == b'<')
        | (byte == b'>')
        | (byte == b'"')
        | (byte == b'\'')
}

/// [`needs_escape`] as a table, for looking at one byte at a time.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    loop {
        table[byte as usize] = needs_escape(byte);
        if byte == u8::MAX {
            break;
        }
        byte = byte.saturating_add(1);
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PROFILE: &str = include_str!("../../../host-example/samples/oci-buyer-profile.json");

    fn sample_profile() -> BuyerProfile {
        BuyerProfile::compile(
            PROFILE,
            &[crate::profile::ResolvedSecret {
                name: "ACME_SRM_OCI_PASSWORD".into(),
                value: crate::profile::Secret::new("oci-p4ss"),
            }],
        )
        .unwrap()
    }

    /// Text with everything the Latin-1 policy treats specially: markup, controls, Latin-1
    /// letters, windows-1252 punctuation, characters it replaces, decomposed accents.
    fn hostile_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just(" "),
                Just("\""),
                Just("'"),
                Just("&"),
                Just("<"),
                Just("\t"),
                Just("\r\n"),
                Just("\u{1}"),
                Just("\u{85}"),
                Just("ß"),
                Just("ö"),
                Just("€"),
                Just("„"),
                Just("ł"),
                Just("漢"),
                Just("😀"),
                Just("\u{301}"),
                Just("e\u{301}"),
                Just("″"),
                Just("′"),
                Just("\u{212B}"),
                Just("\u{FFFD}"),
                Just("\u{A0}"),
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    fn percent(text: &str) -> String {
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
    }

    proptest! {
        /// A Latin-1 page written straight is the UTF-8 page encoded by the Latin-1 policy, as the
        /// engine wrote it before: every value and `HOOK_URL` parameter, NFC included.
        #[test]
        fn a_latin1_page_is_the_utf8_page_encoded(
            description in hostile_text(),
            attribute in hostile_text(),
            parameter in hostile_text(),
        ) {
            let profile = sample_profile();
            let hook_url = format!(
                "https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm?sap-client=100&note={}",
                percent(&parameter)
            );
            let session = |charset| OciSession {
                buyer_id: "acme-srm".into(),
                username: "SRM_ACME".into(),
                hook_url: hook_url.clone(),
                charset,
                target: "_top".into(),
                version: OciVersion::V4,
            };
            let cart = Cart {
                currency: "EUR".into(),
                lines: vec![crate::model::CartLine {
                    line_ref: "r1".into(),
                    sku: "SKU-1".into(),
                    quantity: "1".into(),
                    unit_price: "2.50".into(),
                    unit: "EA".into(),
                    description: format!("x{description}"),
                    attributes: vec![crate::model::Property::new("classification", attribute)],
                }],
                shipping: None,
                tax: None,
            };
            let utf8 = cart_form(&profile, &session(OciCharset::Utf8), &cart).unwrap().body;
            let latin1 = cart_form(&profile, &session(OciCharset::Latin1), &cart).unwrap().body;
            let relabelled = String::from_utf8(utf8)
                .unwrap()
                .replace("charset=\"utf-8\"", "charset=\"iso-8859-1\"");
            prop_assert_eq!(
                latin1,
                super::super::latin1::encode_page(&relabelled, OciCharset::Latin1)
            );
        }
    }

    #[test]
    fn hook_url_query_becomes_hidden_inputs() {
        let (action, parameters) = split_hook_url(
            "https://srm.example/sap/bc/bsp/sap/bbp_oci?sap-client=100&~OkCode=ADDI&x=a%26b+c",
        );
        assert_eq!(action, "https://srm.example/sap/bc/bsp/sap/bbp_oci");
        assert_eq!(
            parameters,
            vec![
                ("sap-client".to_owned(), "100".to_owned()),
                ("~OkCode".to_owned(), "ADDI".to_owned()),
                ("x".to_owned(), "a&b c".to_owned()),
            ]
        );
        assert_eq!(split_hook_url("https://a.example/x").1, Vec::new());
    }

    #[test]
    fn field_names_written_unescaped_hold_nothing_to_escape() {
        for target in crate::mapping::targets::OCI_ITEM_FIELDS {
            assert!(is_plain_name(target.name), "{}", target.name);
        }
        for customer in ["NEW_ITEM-ZZ_IMAGE_URL", "NEW_ITEM-Y1"] {
            assert!(crate::mapping::targets::is_oci_customer_field(customer));
            assert!(is_plain_name(customer));
        }
        for hostile in [
            "NEW_ITEM-ZZ\"><x",
            "NEW_ITEM-Z&",
            "NEW_ITEM-Z A",
            "NEW_ITEM-Zü",
        ] {
            assert!(
                !crate::mapping::targets::is_oci_customer_field(hostile),
                "{hostile}"
            );
        }
    }

    #[test]
    fn field_names_read_like_format() {
        for index in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            let mut name = String::new();
            FieldName {
                base: "NEW_ITEM-PRICE",
                open: "[",
                index,
                close: "]",
                slot: FieldSlot::Longtext,
            }
            .push_to(&mut name);
            assert_eq!(name, format!("NEW_ITEM-PRICE[{index}]"));
        }
    }

    #[test]
    fn escapes_markup_quotes_and_controls() {
        let mut page = String::new();
        push_escaped(
            &mut page,
            "\"><script>'&</textarea>\r\n\u{1}ü\u{7F}\u{85}\u{9F}\u{A0}x\u{0}",
        );
        assert_eq!(
            page,
            "&quot;&gt;&lt;script&gt;&#39;&amp;&lt;/textarea&gt;&#13;&#10;\u{FFFD}ü\u{FFFD}\u{FFFD}\u{FFFD}\u{A0}x\u{FFFD}"
        );
        // The same as escaping character by character.
        for character in [
            '\t', '\u{1F}', '\u{80}', '\u{A0}', '\u{FFFD}', '€', '😀', '\'', 'a',
        ] {
            let mut one = String::new();
            push_escaped(&mut one, &character.to_string());
            let expected_control = character.is_control() && !matches!(character, '\t');
            assert_eq!(
                one == "\u{FFFD}",
                expected_control || character == '\u{FFFD}',
                "{character:?}"
            );
        }
    }
}
