//! The reconciliation's own work, natively: a purchase order against the cart the engine
//! returned, for 10, 100, 1 000 and 10 000 lines of the realistic cart of `cart_bench` with the
//! sample cXML profile. The order changes what a buyer's approval changes (every 7th quantity
//! raised, every 11th price lowered, every 13th line dropped, half the lines without their
//! line reference so that they are found by part number and unit). Interleaved rounds; prints
//! the median and the spread (10th to 90th percentile, and the fastest call) per call and the
//! median per line.
//!
//! `cargo run --release -p punchout-plugin --example reconcile_bench [-- ROUNDS [SIZES…]]`

use std::time::{Duration, Instant};

use punchout_plugin::model::{Cart, CartLine, Credential, Property, Session};
use punchout_plugin::order::reconcile::reconcile;
use punchout_plugin::order::{Money, OrderLine, OrderType, PurchaseOrder};
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

const CXML_PROFILE: &str = include_str!("../../host-example/samples/cxml-buyer-profile.json");
const CXML_SESSION: &str = include_str!("../../host-example/samples/cxml-session.json");

/// The realistic cart of the host's benchmarks (as in `cart_bench`).
fn cart(lines: usize) -> Cart {
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

/// The order the buyer's approval makes of the cart.
fn order(cart: &Cart) -> PurchaseOrder {
    let eur = |amount: String| Money {
        amount,
        currency: "EUR".to_owned(),
    };
    let lines: Vec<OrderLine> = cart
        .lines
        .iter()
        .enumerate()
        .filter(|(index, _)| (index + 1) % 13 != 0)
        .map(|(index, line)| {
            let n = index + 1;
            let quantity: u32 = line.quantity.parse().unwrap();
            OrderLine {
                line_number: n as u32,
                quantity: if n % 7 == 0 { quantity + 1 } else { quantity }.to_string(),
                supplier_part_id: line.sku.clone(),
                supplier_part_auxiliary_id: (n % 2 == 0).then(|| line.line_ref.clone()),
                unit: "EA".to_owned(),
                shop_unit: Some(line.unit.clone()),
                unit_price: Some(eur(if n % 11 == 0 {
                    format!("{}.00", n * 3)
                } else {
                    line.unit_price.clone()
                })),
                description: Some(line.description.clone()),
                classification: None,
                manufacturer_part_id: None,
                manufacturer_name: None,
                requested_delivery_date: None,
                ship_to: None,
                shipping: None,
                tax: None,
                distributions: Vec::new(),
                comments: None,
                extrinsics: Vec::new(),
            }
        })
        .collect();
    let credential = Credential {
        domain: "NetworkID".to_owned(),
        identity: "AN01000000001".to_owned(),
    };
    let mut order = PurchaseOrder {
        buyer_id: "acme-ariba".to_owned(),
        payload_id: "1764061200.1.bench@buyer.example.com".to_owned(),
        order_id: "PO-BENCH".to_owned(),
        order_date: "2026-11-25".to_owned(),
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer: credential.clone(),
        supplier: credential,
        currency: "EUR".to_owned(),
        total: eur("1.00".to_owned()),
        ship_to: None,
        bill_to: None,
        shipping: None,
        tax: None,
        payment: None,
        contacts: Vec::new(),
        comments: None,
        extrinsics: Vec::new(),
        supplier_order_id: None,
        lines,
        content_hash: String::new(),
        idempotency_key: String::new(),
    };
    order.seal();
    order
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() - 1) * p / 100]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(200, |a| a.parse().expect("rounds"));
    let sizes: Vec<usize> = {
        let given: Vec<usize> = args.map(|a| a.parse().expect("size")).collect();
        if given.is_empty() {
            vec![10, 100, 1000, 10_000]
        } else {
            given
        }
    };
    let profile = BuyerProfile::compile(
        CXML_PROFILE,
        &[ResolvedSecret {
            name: "ACME_ARIBA_SHARED_SECRET".to_owned(),
            value: Secret::new("s3cr3t"),
        }],
    )
    .expect("cXML profile");
    let session: Session = serde_json::from_str(CXML_SESSION).expect("session");
    let cases: Vec<(usize, Cart, PurchaseOrder)> = sizes
        .iter()
        .map(|&size| {
            let cart = cart(size);
            let order = order(&cart);
            (size, cart, order)
        })
        .collect();
    // Fewer rounds of the large sizes keep the run short (as in `cart_bench`).
    let wanted: Vec<usize> = cases
        .iter()
        .map(|(size, _, _)| (rounds * 100 / size.max(&100)).max(15))
        .collect();
    // Interleaved: each round runs every size that still wants one, so that a disturbance of
    // the machine spreads over all sizes.
    let mut times: Vec<Vec<Duration>> = wanted.iter().map(|n| Vec::with_capacity(*n)).collect();
    let mut sink = 0usize;
    for round in 0..wanted.iter().copied().max().unwrap_or(0) {
        for (index, (_, cart, order)) in cases.iter().enumerate() {
            if round >= wanted[index] {
                continue;
            }
            let start = Instant::now();
            let result = reconcile(&profile, order, cart, Some(&session)).expect("reconcile");
            sink = sink.wrapping_add(result.lines.len() + result.reasons.len());
            drop(result);
            times[index].push(start.elapsed());
        }
    }
    println!("| lines | reconcile: median (p10–p90, min) | per line |");
    println!("|---:|---:|---:|");
    for ((size, _, _), times) in cases.iter().zip(&mut times) {
        times.sort();
        let median = percentile(times, 50);
        println!(
            "| {size} | {:.1} µs ({:.1}–{:.1}, min {:.1}) | {:.3} µs |",
            median.as_secs_f64() * 1e6,
            percentile(times, 10).as_secs_f64() * 1e6,
            percentile(times, 90).as_secs_f64() * 1e6,
            times[0].as_secs_f64() * 1e6,
            median.as_secs_f64() * 1e6 / *size as f64
        );
    }
    let (_, cart, order) = cases.last().expect("a size");
    let result = reconcile(&profile, order, cart, Some(&session)).expect("reconcile");
    eprintln!(
        "(at {} lines: verdict {:?}, {} reasons; {sink})",
        cart.lines.len(),
        result.verdict,
        result.reasons.len()
    );
}
