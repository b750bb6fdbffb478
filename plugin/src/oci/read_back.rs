//! Reading a cart return as the buyer's system receives it: the form's
//! `application/x-www-form-urlencoded` POST body, in the page's charset, back into items.

use super::settings::OciCharset;
use crate::error::{Error, ErrorCode, Result};
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

/// Splits `NEW_ITEM-NAME[n]` and `NEW_ITEM-LONGTEXT_n:132[]` into the field name and index.
fn item_field(name: &str) -> Option<(String, u32, bool)> {
    let rest = name.strip_prefix("NEW_ITEM-")?;
    if let Some(longtext) = rest.strip_prefix("LONGTEXT_") {
        let (index, _) = longtext.split_once(":132[]")?;
        return Some(("NEW_ITEM-LONGTEXT".to_owned(), index.parse().ok()?, true));
    }
    let (field, index) = rest.strip_suffix(']')?.split_once('[')?;
    Some((format!("NEW_ITEM-{field}"), index.parse().ok()?, false))
}

/// Reads a cart-return form body.
///
/// # Errors
/// `limit-exceeded` over [`MAX_FORM_BYTES`]; `invalid-document` for bytes that are not
/// percent-encoded, a field name that repeats, an index of 0, text that is not valid in the
/// charset.
pub fn read_form(body: &[u8], charset: OciCharset) -> Result<OciFormPost> {
    let text = super::call_up::form_body_text(body, MAX_FORM_BYTES, "form body")?;
    let mut post = OciFormPost::default();
    let mut seen = std::collections::HashSet::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_name, charset)?;
        let value = decode(raw_value, charset).map_err(|error| error.at_field(name.clone()))?;
        if !seen.insert(name.clone()) {
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
            Some((_, 0, _)) => {
                return Err(Error::new(
                    ErrorCode::InvalidDocument,
                    "item indices start at 1, found 0",
                )
                .at_field(crate::model::shorten(&name)))
            }
            Some((field, index, is_longtext)) => {
                let position = match post.items.iter().position(|item| item.index == index) {
                    Some(position) => position,
                    None => {
                        post.items.push(OciItem {
                            index,
                            ..OciItem::default()
                        });
                        post.items.len() - 1
                    }
                };
                if let Some(item) = post.items.get_mut(position) {
                    if is_longtext {
                        item.longtext = value;
                    } else {
                        item.fields.push(Property { name: field, value });
                    }
                }
            }
            None => post.parameters.push(Property { name, value }),
        }
    }
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
}
