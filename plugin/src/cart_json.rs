//! The cart as it crosses the component boundary: the JSON bytes the shop already has, read once
//! inside the engine.
//!
//! Handing the cart over as one buffer costs one copy into the guest, where a typed record costs
//! one allocation call into the guest per string (about 2 000 for a 100-line cart). The profile's
//! limits are checked while reading: past `max_cart_lines`, the remaining lines are only counted
//! (skipped without being decoded), and past `max_line_attributes` a line's remaining attributes
//! likewise, so that an oversized cart costs a scan, not a decode, and is refused with the same
//! error as a typed cart ([`InputLimits::check_cart`]).

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{check_count, InputLimits};
use crate::model::{Cart, CartLine, Property};

/// Reads a cart written as JSON (the `cart` record's fields, in snake case: `currency`,
/// `lines` of `line_ref`, `sku`, `quantity`, `unit_price`, `unit`, `description`, `attributes`
/// of `name` and `value`; `shipping`, `tax`).
///
/// # Errors
/// `limit-exceeded` at `/lines` or `/lines/N/attributes` (as [`InputLimits::check_cart`]);
/// `invalid-cart` located by JSON pointer for JSON that is not such a cart.
pub fn read_cart(json: &[u8], limits: &InputLimits) -> Result<Cart> {
    // UTF-8 is checked once for the whole buffer, which is several times faster than serde_json
    // checking each string of a byte slice on its own.
    let json = std::str::from_utf8(json).map_err(|error| {
        Error::new(
            ErrorCode::InvalidCart,
            format!(
                "the cart's JSON is not valid UTF-8 (at byte {})",
                error.valid_up_to()
            ),
        )
        .at_pointer("")
    })?;
    check_line_count(json.as_bytes(), limits)?;
    let mut refusal = None;
    let seed = CartSeed {
        limits,
        refusal: &mut refusal,
    };
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let outcome = seed
        .deserialize(&mut deserializer)
        .and_then(|cart| deserializer.end().map(|()| cart));
    match (outcome, refusal) {
        (_, Some(limit)) => Err(limit),
        (Ok(cart), None) => Ok(cart),
        (Err(_), None) => Err(locate_json_error(json)),
    }
}

/// The fewest bytes a line can take: its six required keys with empty values.
const MIN_LINE_BYTES: usize =
    r#"{"line_ref":"","sku":"","quantity":"","unit_price":"","unit":"","description":""},"#.len();

/// The largest cart JSON that cannot hold more than `max_lines` lines: below it, the line count
/// needs no scan.
fn lines_fit_without_scan(max_lines: usize) -> usize {
    max_lines.saturating_add(1).saturating_mul(MIN_LINE_BYTES)
}

/// Counts the elements of the root object's `"lines"` array by its structure alone (strings
/// skipped with `memchr`, nothing decoded), so that a cart over `max_cart_lines` is refused
/// before any line is read. `None` when there is no such array; malformed JSON is left to the
/// reader, which refuses it.
fn count_lines(json: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut position = 0usize;
    let mut key_is_lines = false;
    let mut in_lines = false;
    let mut count = 0usize;
    let mut lines_empty = true;
    while let Some(&byte) = json.get(position) {
        match byte {
            b'"' => {
                let start = position.saturating_add(1);
                let end = string_end(json, start)?;
                if in_lines && depth == 2 {
                    lines_empty = false;
                }
                key_is_lines = depth == 1 && json.get(start..end) == Some(b"lines".as_slice());
                position = end;
            }
            b'{' | b'[' => {
                if in_lines && depth == 2 {
                    lines_empty = false;
                }
                if depth == 1 && byte == b'[' && key_is_lines {
                    in_lines = true;
                }
                depth = depth.saturating_add(1);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if in_lines && depth == 1 {
                    return Some(if lines_empty {
                        0
                    } else {
                        count.saturating_add(1)
                    });
                }
            }
            b',' if in_lines && depth == 2 => count = count.saturating_add(1),
            b' ' | b'\t' | b'\n' | b'\r' | b':' | b',' => {}
            _ => {
                if in_lines && depth == 2 {
                    lines_empty = false;
                }
            }
        }
        position = position.saturating_add(1);
    }
    None
}

/// The index of the quote that ends the string whose content starts at `start`.
fn string_end(json: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    loop {
        let rest = json.get(at..)?;
        let found = memchr::memchr2(b'"', b'\\', rest)?;
        let index = at.checked_add(found)?;
        if json.get(index) == Some(&b'"') {
            return Some(index);
        }
        // An escape: skip the backslash and the character it escapes.
        at = index.checked_add(2)?;
    }
}

/// Refuses a cart JSON with more lines than `max_cart_lines` by a scan of its structure, when
/// it is large enough to hold that many (a smaller one needs no scan). A host calls it before
/// copying a large cart into the engine; [`read_cart`] calls it too.
///
/// # Errors
/// `limit-exceeded` at `/lines`, as [`InputLimits::check_cart`].
pub fn check_line_count(json: &[u8], limits: &InputLimits) -> Result<()> {
    if json.len() <= lines_fit_without_scan(limits.max_cart_lines) {
        return Ok(());
    }
    match count_lines(json) {
        Some(count) => check_count("max_cart_lines", "lines", count, limits.max_cart_lines)
            .map_err(|error| error.at_pointer("/lines")),
        None => Ok(()),
    }
}

/// Reads the JSON again with path tracking, only when it was refused, so that a valid cart does
/// not pay for it.
fn locate_json_error(json: &str) -> Error {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let error = match serde_path_to_error::deserialize::<_, Cart>(&mut deserializer) {
        Err(error) => error,
        Ok(_) => {
            return Error::new(
                ErrorCode::InvalidCart,
                "the cart is not a single JSON object",
            )
            .at_pointer("")
        }
    };
    let pointer = crate::profile::json_pointer(error.path());
    let inner = error.into_inner();
    Error::new(
        ErrorCode::InvalidCart,
        format!("the cart's JSON is not a cart: {inner}"),
    )
    .at_pointer(pointer)
}

/// The cart, with the limits and a place for a limit refusal (kept apart from serde's errors,
/// which lose their code).
struct CartSeed<'a> {
    limits: &'a InputLimits,
    refusal: &'a mut Option<Error>,
}

/// The error that stops the reader after a limit refusal was recorded.
fn stop<E: de::Error>() -> E {
    E::custom("limit exceeded")
}

impl<'de> DeserializeSeed<'de> for CartSeed<'_> {
    type Value = Cart;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Cart, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CartSeed<'_> {
    type Value = Cart;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cart")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cart, A::Error> {
        let mut currency = None;
        let mut lines = None;
        let mut shipping = None;
        let mut tax = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key.0.as_ref() {
                "currency" => currency = Some(map.next_value::<String>()?),
                "lines" => {
                    lines = Some(map.next_value_seed(LinesSeed {
                        limits: self.limits,
                        refusal: &mut *self.refusal,
                    })?)
                }
                "shipping" => shipping = map.next_value::<Option<String>>()?,
                "tax" => tax = map.next_value::<Option<String>>()?,
                other => return Err(de::Error::unknown_field(other, CART_FIELDS)),
            }
        }
        Ok(Cart {
            currency: currency.ok_or_else(|| de::Error::missing_field("currency"))?,
            lines: lines.unwrap_or_default(),
            shipping,
            tax,
        })
    }
}

const CART_FIELDS: &[&str] = &["currency", "lines", "shipping", "tax"];

/// A key, borrowed from the input when it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct LinesSeed<'a> {
    limits: &'a InputLimits,
    refusal: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for LinesSeed<'_> {
    type Value = Vec<CartLine>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for LinesSeed<'_> {
    type Value = Vec<CartLine>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of cart lines")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let limit = self.limits.max_cart_lines;
        let mut lines = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(limit));
        loop {
            if lines.len() == limit {
                // Over the limit: count the rest without decoding it, for the same message as
                // a typed cart's.
                let mut count = lines.len();
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count = count.saturating_add(1);
                }
                if let Err(error) = check_count("max_cart_lines", "lines", count, limit) {
                    *self.refusal = Some(error.at_pointer("/lines"));
                    return Err(stop());
                }
                return Ok(lines);
            }
            let index = lines.len();
            match seq.next_element_seed(LineSeed {
                limits: self.limits,
                index,
                refusal: &mut *self.refusal,
            })? {
                Some(line) => lines.push(line),
                None => return Ok(lines),
            }
        }
    }
}

struct LineSeed<'a> {
    limits: &'a InputLimits,
    index: usize,
    refusal: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = CartLine;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<CartLine, D::Error> {
        deserializer.deserialize_map(self)
    }
}

const LINE_FIELDS: &[&str] = &[
    "line_ref",
    "sku",
    "quantity",
    "unit_price",
    "unit",
    "description",
    "attributes",
];

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = CartLine;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cart line")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CartLine, A::Error> {
        let mut fields: [Option<String>; 6] = Default::default();
        let mut attributes = None;
        while let Some(key) = map.next_key::<Key>()? {
            let slot = match key.0.as_ref() {
                "attributes" => {
                    attributes = Some(map.next_value_seed(AttributesSeed {
                        limit: self.limits.max_line_attributes,
                        index: self.index,
                        refusal: &mut *self.refusal,
                    })?);
                    continue;
                }
                name => LINE_FIELDS
                    .iter()
                    .take(6)
                    .position(|field| *field == name)
                    .ok_or_else(|| de::Error::unknown_field(name, LINE_FIELDS))?,
            };
            let value = map.next_value::<String>()?;
            if let Some(field) = fields.get_mut(slot) {
                if field.is_some() {
                    return Err(de::Error::duplicate_field(LINE_FIELDS[slot]));
                }
                *field = Some(value);
            }
        }
        let [line_ref, sku, quantity, unit_price, unit, description] = fields;
        let required = |value: Option<String>, name: &'static str| {
            value.ok_or_else(|| de::Error::missing_field(name))
        };
        Ok(CartLine {
            line_ref: required(line_ref, "line_ref")?,
            sku: required(sku, "sku")?,
            quantity: required(quantity, "quantity")?,
            unit_price: required(unit_price, "unit_price")?,
            unit: required(unit, "unit")?,
            description: required(description, "description")?,
            attributes: attributes.unwrap_or_default(),
        })
    }
}

struct AttributesSeed<'a> {
    limit: usize,
    index: usize,
    refusal: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for AttributesSeed<'_> {
    type Value = Vec<Property>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AttributesSeed<'_> {
    type Value = Vec<Property>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of attributes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut attributes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.limit));
        loop {
            if attributes.len() == self.limit {
                let mut count = attributes.len();
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count = count.saturating_add(1);
                }
                if let Err(error) =
                    check_count("max_line_attributes", "attributes", count, self.limit)
                {
                    *self.refusal =
                        Some(error.at_pointer(format!("/lines/{}/attributes", self.index)));
                    return Err(stop());
                }
                return Ok(attributes);
            }
            match seq.next_element::<Property>()? {
                Some(attribute) => attributes.push(attribute),
                None => return Ok(attributes),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_cart;
    use crate::error::ErrorCode;
    use crate::limits::InputLimits;
    use crate::model::{Cart, CartLine, Property};

    fn line(n: usize, attributes: usize) -> CartLine {
        CartLine {
            line_ref: format!("r{n}"),
            sku: format!("S-{n}"),
            quantity: "2".into(),
            unit_price: "3.10".into(),
            unit: "EA".into(),
            description: "Bolt \"M8\" \u{e9}".into(),
            attributes: (0..attributes)
                .map(|a| Property::new(format!("a{a}"), "v"))
                .collect(),
        }
    }

    fn cart(lines: usize, attributes: usize) -> Cart {
        Cart {
            currency: "EUR".into(),
            lines: (0..lines).map(|n| line(n, attributes)).collect(),
            shipping: Some("1.00".into()),
            tax: None,
        }
    }

    #[test]
    fn reads_what_the_typed_cart_writes() {
        let cart = cart(3, 2);
        let json = serde_json::to_vec(&cart).expect("json");
        assert_eq!(read_cart(&json, &InputLimits::DEFAULT), Ok(cart));
    }

    #[test]
    fn a_cart_over_the_line_limit_is_refused_with_the_typed_carts_error() {
        let limits = InputLimits {
            max_cart_lines: 2,
            ..InputLimits::DEFAULT
        };
        let cart = cart(5, 0);
        let json = serde_json::to_vec(&cart).expect("json");
        let typed = limits.check_cart(&cart).expect_err("over the limit");
        assert_eq!(read_cart(&json, &limits), Err(typed.clone()));
        assert_eq!(typed.code(), ErrorCode::LimitExceeded);
        assert_eq!(typed.location().pointer.as_deref(), Some("/lines"));
        assert!(typed.message().starts_with("5 lines exceed"), "{typed}");
    }

    #[test]
    fn a_line_over_the_attribute_limit_is_refused_at_its_pointer() {
        let limits = InputLimits {
            max_line_attributes: 3,
            ..InputLimits::DEFAULT
        };
        let mut cart = cart(3, 1);
        cart.lines[1] = line(1, 7);
        let json = serde_json::to_vec(&cart).expect("json");
        let refused = read_cart(&json, &limits).expect_err("over the limit");
        assert_eq!(refused, limits.check_cart(&cart).expect_err("typed"));
        assert_eq!(
            refused.location().pointer.as_deref(),
            Some("/lines/1/attributes")
        );
    }

    #[test]
    fn the_line_count_reads_the_structure_only() {
        use super::count_lines;
        assert_eq!(count_lines(br#"{"currency":"EUR","lines":[]}"#), Some(0));
        assert_eq!(count_lines(br#"{"lines":[ ]}"#), Some(0));
        assert_eq!(
            count_lines(br#"{"lines":[{"a":"],[{\"","b":[1,2,{"c":"}"}]},{}], "x":"lines"}"#),
            Some(2)
        );
        // A key named `lines` deeper down is not the cart's.
        assert_eq!(
            count_lines(br#"{"x":{"lines":[1,2,3]},"lines":[{}]}"#),
            Some(1)
        );
        assert_eq!(count_lines(br#"{"currency":"EUR"}"#), None);
        assert_eq!(count_lines(br#"{"lines":[{"a":"unterminated"#), None);
    }

    #[test]
    fn a_large_cart_over_the_line_limit_is_refused_by_the_count() {
        let limits = InputLimits {
            max_cart_lines: 3,
            ..InputLimits::DEFAULT
        };
        let cart = cart(400, 0);
        let json = serde_json::to_vec(&cart).expect("json");
        assert!(json.len() > super::lines_fit_without_scan(3));
        assert_eq!(
            read_cart(&json, &limits),
            Err(limits.check_cart(&cart).expect_err("typed"))
        );
    }

    #[test]
    fn json_that_is_not_a_cart_is_refused_at_its_pointer() {
        let refused = read_cart(
            br#"{"currency":"EUR","lines":[{"line_ref":"a","sku":"b","quantity":2,"unit_price":"1","unit":"EA","description":"d"}]}"#,
            &InputLimits::DEFAULT,
        )
        .expect_err("a number for a decimal string");
        assert_eq!(refused.code(), ErrorCode::InvalidCart);
        assert_eq!(
            refused.location().pointer.as_deref(),
            Some("/lines/0/quantity")
        );

        let refused = read_cart(
            br#"{"currency":"EUR","colour":"red"}"#,
            &InputLimits::DEFAULT,
        )
        .expect_err("unknown field");
        assert_eq!(refused.code(), ErrorCode::InvalidCart);
        assert!(refused.message().contains("`colour`"), "{refused}");

        let refused = read_cart(br#"{"currency":"EUR"} trailing"#, &InputLimits::DEFAULT)
            .expect_err("trailing");
        assert_eq!(refused.code(), ErrorCode::InvalidCart);
    }
}
