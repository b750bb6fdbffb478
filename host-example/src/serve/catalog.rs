//! The demo shop's catalog (`host-example/samples/catalog.json`, the buyer's contract prices)
//! and the cart a punch-out session fills.

use std::collections::BTreeMap;

use punchout_plugin::model::{parse_decimal, Cart, CartLine, Property};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

const BUNDLED: &str = include_str!("../../samples/catalog.json");

/// The shop's products, priced for the buyer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Catalog {
    pub currency: String,
    pub products: Vec<Product>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Product {
    pub sku: String,
    pub description: String,
    pub unit: String,
    /// The buyer's contract price, per unit.
    pub contract_price: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl Catalog {
    /// The bundled sample catalog.
    ///
    /// # Errors
    /// When the bundled file is not a catalog (a build defect the tests catch).
    pub fn bundled() -> anyhow::Result<Self> {
        Ok(serde_json::from_str(BUNDLED)?)
    }

    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.products.iter().find(|product| product.sku == sku)
    }

    /// An empty cart in the catalog's currency.
    pub fn empty_cart(&self) -> Cart {
        Cart {
            currency: self.currency.clone(),
            lines: Vec::new(),
            shipping: None,
            tax: None,
        }
    }

    /// A cart line for `quantity` of a product, at the contract price.
    pub fn line(&self, product: &Product, quantity: Decimal) -> CartLine {
        CartLine {
            line_ref: String::new(),
            sku: product.sku.clone(),
            quantity: quantity.normalize().to_string(),
            unit_price: product.contract_price.clone(),
            unit: product.unit.clone(),
            description: product.description.clone(),
            attributes: product
                .attributes
                .iter()
                .map(|(name, value)| Property::new(name, value))
                .collect(),
        }
    }
}

/// Adds `quantity` of a product to the cart (to its line when it has one).
///
/// # Errors
/// When a quantity in the cart is not a number (a cart the shop did not write).
pub fn add(
    cart: &mut Cart,
    catalog: &Catalog,
    product: &Product,
    quantity: Decimal,
) -> anyhow::Result<()> {
    if let Some(line) = cart.lines.iter_mut().find(|line| line.sku == product.sku) {
        let sum = parse_decimal(&line.quantity)?
            .checked_add(quantity)
            .ok_or_else(|| anyhow::anyhow!("quantity too large"))?;
        line.quantity = sum.normalize().to_string();
    } else {
        cart.lines.push(catalog.line(product, quantity));
    }
    Ok(())
}

/// Each line's total and the cart's, for the page.
#[derive(Clone, Debug, Serialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub total: String,
    pub currency: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CartLineView {
    pub index: usize,
    pub sku: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub amount: String,
}

/// The cart as the shop's page shows it.
pub fn view(cart: &Cart) -> CartView {
    let mut total = Decimal::ZERO;
    let lines = cart
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let amount = parse_decimal(&line.quantity)
                .ok()
                .zip(parse_decimal(&line.unit_price).ok())
                .and_then(|(quantity, price)| quantity.checked_mul(price));
            if let Some(amount) = amount {
                total = total.checked_add(amount).unwrap_or(total);
            }
            CartLineView {
                index,
                sku: line.sku.clone(),
                description: line.description.clone(),
                quantity: line.quantity.clone(),
                unit: line.unit.clone(),
                unit_price: line.unit_price.clone(),
                amount: amount.map_or_else(|| "-".to_owned(), |amount| format!("{:.2}", amount)),
            }
        })
        .collect();
    CartView {
        lines,
        total: format!("{total:.2}"),
        currency: cart.currency.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_a_product_twice_adds_to_its_line() {
        let catalog = Catalog::bundled().unwrap();
        let mut cart = catalog.empty_cart();
        let paper = catalog.product("ABC-123").unwrap().clone();
        add(&mut cart, &catalog, &paper, Decimal::from(2)).unwrap();
        add(&mut cart, &catalog, &paper, Decimal::from(3)).unwrap();
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.lines[0].quantity, "5");
        assert_eq!(view(&cart).total, "21.00");
    }
}
