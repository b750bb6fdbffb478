//! Reading a cart return as the buyer's system receives it: the form's
//! `application/x-www-form-urlencoded` POST body, in the page's charset, back into items.

use std::collections::{HashMap, HashSet};

use super::settings::OciCharset;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{check_count, InputLimits};
use crate::model::Property;

/// The largest form body read back (10 MiB, as for orders).
pub const MAX_FORM_BYTES: usize = 10 * 1024 * 1024;

/// One returned item: its index and its `NEW_ITEM-*` fields (names without the index).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OciItem {
    pub index: u32,
    /// `NEW_ITEM-DESCRIPTION`, `NEW_ITEM-PRICE`, `NEW_ITEM-ZZ_COSTCENTER`, … in posted order.
    pub fields: Vec<Property>,
    /// `NEW_ITEM-LONGTEXT_n:132[]`, empty when absent.
    pub longtext: String,
}

impl OciItem {
    /// A field's value.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|field| field.name == name)
            .map(|field| field.value.as_str())
    }
}

/// A posted cart return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OciFormPost {
    /// Items by ascending index.
    pub items: Vec<OciItem>,
    /// Every other field (the `HOOK_URL`'s own parameters such as `~OkCode`).
    pub parameters: Vec<Property>,
}

fn decode(raw: &str, charset: OciCharset) -> Result<String> {
    let spaced = raw.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&spaced).collect();
    match charset {
        OciCharset::Utf8 => String::from_utf8(bytes)
            .map_err(|_| Error::new(ErrorCode::InvalidDocument, "form field is not valid UTF-8")),
        OciCharset::Latin1 => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned()),
    }
}

/// Refuses a form with more items than [`InputLimits::max_form_items`] before reading any value:
/// a pass over the field names that only collects item indices, so that a body of 100 000 items
/// costs the refusal a scan, not the decoding of the 10 000 items the limit allows. Names spelt
/// unusually (percent-encoded letters) are left to the full read, which applies the same limit.
fn count_items(text: &str, charset: OciCharset, limits: &InputLimits) -> Result<()> {
    let mut indices = HashSet::new();
    for pair in text.split('&') {
        let raw_name = pair.split_once('=').map_or(pair, |(name, _)| name);
        let Some(index) = raw_item_index(raw_name) else {
            continue;
        };
        if indices.insert(index) && indices.len() > limits.max_form_items {
            let name = decode(raw_name, charset).unwrap_or_else(|_| raw_name.to_owned());
            return check_count(
                "max_form_items",
                "items",
                indices.len(),
                limits.max_form_items,
            )
            .map_err(|error| error.at_field(crate::model::shorten(&name)));
        }
    }
    Ok(())
}

/// The item index of a still percent-encoded field name written the usual way
/// (`NEW_ITEM-PRICE%5B3%5D`, `NEW_ITEM-PRICE[3]`, `NEW_ITEM-LONGTEXT_3%3A132%5B%5D`), if plain.
fn raw_item_index(raw_name: &str) -> Option<u32> {
    let rest = raw_name.strip_prefix("NEW_ITEM-")?;
    let digits = match rest.strip_prefix("LONGTEXT_") {
        Some(longtext) => longtext.split(['%', ':']).next()?,
        None => {
            let open = rest
                .find("%5B")
                .or_else(|| rest.find("%5b"))
                .map(|at| at.saturating_add(3))
                .or_else(|| rest.find('[').map(|at| at.saturating_add(1)))?;
            rest.get(open..)?.split(['%', ']']).next()?
        }
    };
    plain_index(digits).filter(|&index| index > 0)
}

/// Splits `NEW_ITEM-NAME[n]` and `NEW_ITEM-LONGTEXT_n:132[]` into the field name and index;
/// the index is `None` unless written as a plain number (`1`, not `01` or `+1`).
fn item_field(name: &str) -> Option<(String, Option<u32>, bool)> {
    let rest = name.strip_prefix("NEW_ITEM-")?;
    if let Some(longtext) = rest.strip_prefix("LONGTEXT_") {
        let (index, _) = longtext.split_once(":132[]")?;
        return Some(("NEW_ITEM-LONGTEXT".to_owned(), plain_index(index), true));
    }
    let (field, index) = rest.strip_suffix(']')?.split_once('[')?;
    Some((format!("NEW_ITEM-{field}"), plain_index(index), false))
}

/// An index in its one spelling: digits without a leading zero. `u32::from_str` also takes
/// `01` and `+1`, which would give one item two values for the same field.
fn plain_index(text: &str) -> Option<u32> {
    let plain = !text.is_empty()
        && text.bytes().all(|byte| byte.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    plain.then(|| text.parse().ok()).flatten()
}

/// Reads a cart-return form body, with the default [`InputLimits`].
///
/// # Errors
/// As [`read_form_with_limits`].
pub fn read_form(body: &[u8], charset: OciCharset) -> Result<OciFormPost> {
    read_form_with_limits(body, charset, &InputLimits::DEFAULT)
}

/// Reads a cart-return form body in time linear in its size: items are found by index through a
/// map, never by searching the items read so far.
///
/// # Errors
/// `limit-exceeded` over [`MAX_FORM_BYTES`], over [`InputLimits::max_form_items`] items or
/// [`InputLimits::max_item_fields`] fields in one item (at the first field over the limit);
/// `invalid-document` for bytes that are not percent-encoded, a field name that repeats, an index
/// of 0, text that is not valid in the charset.
pub fn read_form_with_limits(
    body: &[u8],
    charset: OciCharset,
    limits: &InputLimits,
) -> Result<OciFormPost> {
    read_form_counted(body, charset, limits, &mut 0)
}

/// [`read_form_with_limits`], adding to `probes` one for each item looked up or compared while
/// finding a field's item: the work that grew with the square of the items when every field
/// searched the item list. The cost tests read it.
#[doc(hidden)]
pub fn read_form_counted(
    body: &[u8],
    charset: OciCharset,
    limits: &InputLimits,
    probes: &mut u64,
) -> Result<OciFormPost> {
    let text = super::call_up::form_body_text(body, MAX_FORM_BYTES, "form body")?;
    count_items(text, charset, limits)?;
    let mut post = OciFormPost::default();
    let mut seen = HashSet::new();
    // Position in `post.items` of each index read.
    let mut positions: HashMap<u32, usize> = HashMap::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_name, charset)?;
        let value = decode(raw_value, charset).map_err(|error| error.at_field(name.clone()))?;
        if seen.contains(&name) {
            return Err(Error::new(
                ErrorCode::InvalidDocument,
                format!(
                    "field `{}` occurs more than once",
                    crate::model::shorten(&name)
                ),
            )
            .at_field(crate::model::shorten(&name)));
        }
        match item_field(&name) {
            Some((_, None, _)) => {
                return Err(Error::new(
                    ErrorCode::InvalidDocument,
                    "expected the item index as a plain number (`1`, not `01` or `+1`)",
                )
                .at_field(crate::model::shorten(&name)))
            }
            Some((_, Some(0), _)) => {
                return Err(Error::new(
                    ErrorCode::InvalidDocument,
                    "item indices start at 1, found 0",
                )
                .at_field(crate::model::shorten(&name)))
            }
            Some((field, Some(index), is_longtext)) => {
                *probes = probes.saturating_add(1);
                let position = match positions.get(&index) {
                    Some(&position) => position,
                    None => {
                        let position = post.items.len();
                        check_count(
                            "max_form_items",
                            "items",
                            position.saturating_add(1),
                            limits.max_form_items,
                        )
                        .map_err(|error| error.at_field(crate::model::shorten(&name)))?;
                        positions.insert(index, position);
                        post.items.push(OciItem {
                            index,
                            ..OciItem::default()
                        });
                        position
                    }
                };
                if let Some(item) = post.items.get_mut(position) {
                    // The item's fields once this one is added, the long text counted as one.
                    let has_longtext = is_longtext || !item.longtext.is_empty();
                    let count = item
                        .fields
                        .len()
                        .saturating_add(usize::from(!is_longtext))
                        .saturating_add(usize::from(has_longtext));
                    check_count("max_item_fields", "fields", count, limits.max_item_fields)
                        .map_err(|error| error.at_field(crate::model::shorten(&name)))?;
                    if is_longtext {
                        item.longtext = value;
                    } else {
                        item.fields.push(Property { name: field, value });
                    }
                }
            }
            None => post.parameters.push(Property {
                name: name.clone(),
                value,
            }),
        }
        seen.insert(name);
    }
    // Fields arrive grouped by ascending index; the sort is then a single pass.
    post.items.sort_by_key(|item| item.index);
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_items_longtext_and_other_fields() {
        let body = b"~OkCode=ADDI&NEW_ITEM-DESCRIPTION%5B2%5D=Gr%F6%DFe+2&NEW_ITEM-DESCRIPTION%5B1%5D=A&NEW_ITEM-LONGTEXT_1%3A132%5B%5D=long";
        let post = read_form(body, OciCharset::Latin1).unwrap();
        assert_eq!(post.items.len(), 2);
        assert_eq!(post.items[0].value("NEW_ITEM-DESCRIPTION"), Some("A"));
        assert_eq!(post.items[0].longtext, "long");
        assert_eq!(post.items[1].value("NEW_ITEM-DESCRIPTION"), Some("Größe 2"));
        assert_eq!(post.parameters, vec![Property::new("~OkCode", "ADDI")]);
        assert!(read_form(b"a=1&a=2", OciCharset::Utf8).is_err());
        assert!(read_form(b"NEW_ITEM-UNIT%5B0%5D=EA", OciCharset::Utf8).is_err());
    }
    #[test]
    fn an_item_index_has_one_spelling_so_no_item_gets_two_values() {
        for body in [
            &b"NEW_ITEM-PRICE%5B1%5D=1.00&NEW_ITEM-PRICE%5B01%5D=0.01"[..],
            b"NEW_ITEM-PRICE%5B%2B1%5D=0.01",
            b"NEW_ITEM-LONGTEXT_01%3A132%5B%5D=x",
        ] {
            let error = read_form(body, OciCharset::Utf8).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidDocument);
            assert!(error.message().contains("plain number"), "{error}");
            assert!(error.location().field.is_some());
        }
        let post = read_form(b"NEW_ITEM-PRICE%5B10%5D=2", OciCharset::Utf8).unwrap();
        assert_eq!(post.items[0].index, 10);
    }

    #[test]
    fn the_item_limit_is_checked_before_any_value_is_decoded() {
        let limits = InputLimits {
            max_form_items: 3,
            ..InputLimits::DEFAULT
        };
        // Item 1's value is not UTF-8: a full read would stop there; the count comes first.
        let body =
            b"NEW_ITEM-PRICE%5B1%5D=%FF&NEW_ITEM-PRICE[2]=1&NEW_ITEM-LONGTEXT_3%3A132%5B%5D=x\
                     &NEW_ITEM-PRICE%5B3%5D=1&NEW_ITEM-PRICE%5b4%5d=1";
        let error = read_form_with_limits(body, OciCharset::Utf8, &limits).unwrap_err();
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            error.message(),
            "4 items exceed the limit `max_form_items` of 3"
        );
        assert_eq!(error.location().field.as_deref(), Some("NEW_ITEM-PRICE[4]"));
        // Within the limit, the full read reports the bad value.
        let error =
            read_form_with_limits(&body[..body.len() - 24], OciCharset::Utf8, &limits).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidDocument);
    }

    /// A form of `items` items with three fields and a long text each, interleaved the way a
    /// hostile body may send them (every item's first field, then every second, ...).
    fn form(items: u32) -> Vec<u8> {
        let mut body = String::from("~OkCode=ADDI");
        for field in ["DESCRIPTION", "QUANTITY", "PRICE"] {
            for index in 1..=items {
                body.push_str(&format!("&NEW_ITEM-{field}%5B{index}%5D=1"));
            }
        }
        for index in 1..=items {
            body.push_str(&format!("&NEW_ITEM-LONGTEXT_{index}%3A132%5B%5D=x"));
        }
        body.into_bytes()
    }

    #[test]
    fn read_back_work_grows_linearly_with_the_items() {
        let work = |items| {
            let mut probes = 0;
            let post = read_form_counted(
                &form(items),
                OciCharset::Utf8,
                &InputLimits::DEFAULT,
                &mut probes,
            )
            .unwrap();
            assert_eq!(post.items.len(), items as usize);
            probes
        };
        let small = work(500);
        let large = work(5_000);
        // Searching the item list for every field made this 100×.
        assert!(
            large <= small.saturating_mul(12),
            "500 items: {small} probes, 5 000: {large}"
        );
        assert_eq!(large, 20_000);
    }

    #[test]
    fn a_form_over_the_item_limit_is_refused_at_the_first_item_too_many() {
        let limits = InputLimits {
            max_form_items: 2,
            ..InputLimits::DEFAULT
        };
        let error = read_form_with_limits(&form(3), OciCharset::Utf8, &limits).unwrap_err();
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
        assert_eq!(
            error.message(),
            "3 items exceed the limit `max_form_items` of 2"
        );
        assert_eq!(
            error.location().field.as_deref(),
            Some("NEW_ITEM-DESCRIPTION[3]")
        );
        assert_eq!(
            read_form_with_limits(&form(2), OciCharset::Utf8, &limits)
                .unwrap()
                .items
                .len(),
            2
        );
        let limits = InputLimits {
            max_item_fields: 3,
            ..InputLimits::DEFAULT
        };
        let error = read_form_with_limits(&form(1), OciCharset::Utf8, &limits).unwrap_err();
        assert_eq!(
            error.message(),
            "4 fields exceed the limit `max_item_fields` of 3"
        );
        assert_eq!(
            error.location().field.as_deref(),
            Some("NEW_ITEM-LONGTEXT_1:132[]")
        );
        let default_items = read_form(&form(10_001), OciCharset::Utf8).unwrap_err();
        assert_eq!(
            default_items.message(),
            "10001 items exceed the limit `max_form_items` of 10000"
        );
    }
}
