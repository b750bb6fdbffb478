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
    let mut refusal = None;
    let seed = CartSeed {
        limits,
        refusal: &mut refusal,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let outcome = seed
        .deserialize(&mut deserializer)
        .and_then(|cart| deserializer.end().map(|()| cart));
    match (outcome, refusal) {
        (_, Some(limit)) => Err(limit),
        (Ok(cart), None) => Ok(cart),
        (Err(_), None) => Err(locate_json_error(json)),
    }
}

/// Reads the JSON again with path tracking, only when it was refused, so that a valid cart does
/// not pay for it.
fn locate_json_error(json: &[u8]) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
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
