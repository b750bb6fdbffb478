//! The benchmark's cart, the same for every host (the PHP suite reads it as JSON).

use punchout_plugin::model::{Cart, CartLine, Property};

/// A realistic cart: lines with long descriptions (markup and a non-ASCII character, for the
/// escaping and Latin-1 paths), classification, manufacturer data and an image.
pub fn cart(lines: usize) -> Cart {
    Cart {
        currency: "EUR".to_owned(),
        lines: (1..=lines)
            .map(|n| CartLine {
                line_ref: format!("cart-4711:line-{n}"),
                sku: format!("SKU-{n:06}"),
                quantity: format!("{}", n % 7 + 1),
                unit_price: format!("{}.{:02}", n * 3, n % 100),
                unit: if n % 2 == 0 { "PCE" } else { "EA" }.to_owned(),
                description: format!(
                    "Industrial product number {n} with a long description & <special> characters, Größe {n} mm"
                ),
                attributes: vec![
                    Property::new("short-name", format!("Product {n}")),
                    Property::new("classification", "44121704"),
                    Property::new("manufacturer-part-id", format!("MPN-{n}")),
                    Property::new("manufacturer-name", "ACME Manufacturing"),
                    Property::new("lead-time", "3"),
                    Property::new("image-url", format!("https://shop.example.com/img/{n}.png")),
                ],
            })
            .collect(),
        shipping: Some("12.50".to_owned()),
        tax: None,
    }
}
