//! The structured input of the renderer targets: a cart and the few choices of a session, as
//! text that libFuzzer's mutations (and its dictionaries) keep meaningful.
//!
//! ```text
//! flags US text US target US currency US shipping US tax
//! RS line_ref US sku US quantity US unit_price US unit US description US name=value US …
//! RS …
//! ```
//! `US` is U+001F and `RS` U+001E (so no value holds those two characters). Bytes that are not
//! UTF-8 become U+FFFD. Missing fields are empty; an empty shipping or tax is absent. Flags:
//! `u` UTF-8 pages (else Latin-1), `5` the OCI 5.0 profile that maps every field, `b` the
//! `cxml-base64` form, `i` an `inspect` session. `text` is the `HOOK_URL`'s query (OCI) or the
//! buyer cookie (cXML); `target` is `~TARGET` (OCI).

use punchout_plugin::model::{Cart, CartLine, Property};

const RECORD: char = '\u{1e}';
const FIELD: char = '\u{1f}';

/// A decoded input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartCase {
    pub flags: String,
    pub text: String,
    pub target: String,
    pub cart: Cart,
}

impl CartCase {
    pub fn has_flag(&self, flag: char) -> bool {
        self.flags.contains(flag)
    }

    /// Decodes any bytes (never fails: every input is some case).
    pub fn decode(data: &[u8]) -> CartCase {
        let text = String::from_utf8_lossy(data);
        let mut records = text.split(RECORD);
        let header: Vec<&str> = records.next().unwrap_or_default().split(FIELD).collect();
        let field = |index: usize| header.get(index).copied().unwrap_or_default().to_owned();
        let optional = |index: usize| Some(field(index)).filter(|value| !value.is_empty());
        let lines = records
            .map(|record| {
                let parts: Vec<&str> = record.split(FIELD).collect();
                let part = |index: usize| parts.get(index).copied().unwrap_or_default().to_owned();
                CartLine {
                    line_ref: part(0),
                    sku: part(1),
                    quantity: part(2),
                    unit_price: part(3),
                    unit: part(4),
                    description: part(5),
                    attributes: parts
                        .iter()
                        .skip(6)
                        .map(|pair| {
                            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                            Property::new(name, value)
                        })
                        .collect(),
                }
            })
            .collect();
        CartCase {
            flags: field(0),
            text: field(1),
            target: field(2),
            cart: Cart {
                currency: field(3),
                lines,
                shipping: optional(4),
                tax: optional(5),
            },
        }
    }

    /// The bytes that decode to this case (for seeds built from fixtures).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = [
            self.flags.as_str(),
            &self.text,
            &self.target,
            &self.cart.currency,
            self.cart.shipping.as_deref().unwrap_or_default(),
            self.cart.tax.as_deref().unwrap_or_default(),
        ]
        .join(&FIELD.to_string());
        for line in &self.cart.lines {
            out.push(RECORD);
            let mut fields = vec![
                line.line_ref.clone(),
                line.sku.clone(),
                line.quantity.clone(),
                line.unit_price.clone(),
                line.unit.clone(),
                line.description.clone(),
            ];
            fields.extend(
                line.attributes
                    .iter()
                    .map(|property| format!("{}={}", property.name, property.value)),
            );
            out.push_str(&fields.join(&FIELD.to_string()));
        }
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_cart_survives_encoding() {
        let case = CartCase {
            flags: "u5".into(),
            text: "sap-client=100&~OkCode=ADDI".into(),
            target: "_top".into(),
            cart: serde_json::from_str(crate::fixtures::CART_JSON).unwrap(),
        };
        assert_eq!(CartCase::decode(&case.encode()), case);
    }
}
