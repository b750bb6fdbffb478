//! The order leg's speed: a cXML `OrderRequest` read and reconciled against its cart, natively
//! and through the component (a warm instance), for 10 to 10 000 realistic lines (about 1 KB
//! each: description with markup, classification, manufacturer part, a cost-centre
//! distribution; 5 000 lines are about 5 MB, 10 000 lines stay under the 10 MiB limit). Interleaved rounds; prints the median with the spread (lowest and
//! highest round median), MB/s and µs per line, and the guest's peak memory against the
//! document's size.
//!
//! `cargo run --release -p punchout-host --example order_bench [-- ROUNDS [SIZES…]]`
//! (`PUNCHOUT_COMPONENT` or the workspace's release build).

use std::time::{Duration, Instant};

use punchout_host::prelude::*;
use punchout_host::{Native, Runtime, RuntimeConfig};
use punchout_plugin::model::{format_money, parse_decimal, Cart, CartLine, Envelope, Property};
use punchout_plugin::order::{
    AccountingSegment, Charge, Distribution, Money, OrderLine, OrderType, PurchaseOrder,
};

const PROFILE: &str = include_str!("../samples/cxml-buyer-profile.json");

fn cart(lines: usize) -> Cart {
    Cart {
        currency: "EUR".to_owned(),
        lines: (1..=lines)
            .map(|n| CartLine {
                line_ref: format!("cart-4711:line-{n}"),
                sku: format!("SKU-{n:06}"),
                quantity: format!("{}", n % 7 + 1),
                unit_price: format!("{}.{:02}", n % 300 + 3, n % 100),
                unit: "EA".to_owned(),
                description: format!("Product {n} & <special>, Größe {n} mm"),
                attributes: vec![Property::new("classification", "44121704")],
            })
            .collect(),
        shipping: Some("12.50".to_owned()),
        tax: None,
    }
}

/// The order the buyer approves for `cart`: every tenth line's quantity raised.
fn order(cart: &Cart) -> PurchaseOrder {
    let eur = |amount: String| Money {
        amount,
        currency: "EUR".to_owned(),
    };
    let mut total = parse_decimal("12.50").unwrap_or_default();
    let lines: Vec<OrderLine> = cart
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let quantity = if index % 10 == 0 {
                format!("{}", index % 7 + 2)
            } else {
                line.quantity.clone()
            };
            let amount = parse_decimal(&quantity).unwrap_or_default()
                * parse_decimal(&line.unit_price).unwrap_or_default();
            total += amount;
            OrderLine {
                line_number: u32::try_from(index + 1).unwrap_or(u32::MAX),
                quantity,
                supplier_part_id: line.sku.clone(),
                supplier_part_auxiliary_id: Some(line.line_ref.clone()),
                unit: "EA".to_owned(),
                shop_unit: None,
                unit_price: Some(eur(line.unit_price.clone())),
                description: Some(line.description.clone()),
                classification: Some(Property::new("UNSPSC", "44121704")),
                manufacturer_part_id: Some(format!("MPN-{index}")),
                manufacturer_name: None,
                requested_delivery_date: None,
                ship_to: None,
                shipping: None,
                tax: None,
                distributions: vec![Distribution {
                    name: "DistributionCharge".to_owned(),
                    segments: vec![AccountingSegment {
                        kind: "CostCenter".to_owned(),
                        id: "4711".to_owned(),
                        description: Some("Office supplies".to_owned()),
                    }],
                    charge: eur(format_money(amount)),
                }],
                comments: None,
                extrinsics: Vec::new(),
            }
        })
        .collect();
    PurchaseOrder {
        buyer_id: String::new(),
        payload_id: String::new(),
        order_id: "PO-BENCH".to_owned(),
        order_date: "2026-11-26T09:00:00+01:00".to_owned(),
        order_type: OrderType::New,
        order_version: None,
        previous_order: None,
        buyer: punchout_plugin::model::Credential {
            domain: "NetworkID".to_owned(),
            identity: "AN01000000001".to_owned(),
        },
        supplier: punchout_plugin::model::Credential {
            domain: "DUNS".to_owned(),
            identity: "123456789".to_owned(),
        },
        currency: "EUR".to_owned(),
        total: eur(format_money(total)),
        ship_to: None,
        bill_to: None,
        shipping: Some(Charge {
            money: eur("12.50".to_owned()),
            description: None,
        }),
        tax: None,
        payment: None,
        contacts: Vec::new(),
        comments: None,
        extrinsics: Vec::new(),
        supplier_order_id: None,
        lines,
        content_hash: String::new(),
        idempotency_key: String::new(),
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let sizes: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() {
        vec![10, 100, 1_000, 5_000, 10_000]
    } else {
        sizes
    };
    let component = std::env::var_os("PUNCHOUT_COMPONENT").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/wasm32-wasip2/release/punchout_plugin.wasm")
        },
        std::path::PathBuf::from,
    );
    let runtime = Runtime::from_file(&component, RuntimeConfig::default())?;
    let secrets = vec![("ACME_ARIBA_SHARED_SECRET".to_owned(), "s3cr3t".to_owned())];
    let mut native = Native;
    let mut native_profile = native.compile_profile(PROFILE, &secrets)?;
    let mut worker = runtime.worker();
    let mut worker_profile = worker.compile_profile(PROFILE, &secrets)?;
    let envelope = Envelope {
        payload_id: "1764148800.1.bench@procurement.example.com".to_owned(),
        timestamp: "2026-11-26T09:00:00+01:00".to_owned(),
    };
    println!("| lines | document | native: read + reconcile | MB/s | µs/line | component (warm): read + reconcile | MB/s | µs/line | component / native | guest peak / document |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for lines in sizes {
        let cart = cart(lines);
        let document = punchout_plugin::cxml::order_request::write_order_request(
            &order(&cart),
            "s3cr3t",
            &envelope,
        )
        .into_bytes();
        // Enough calls per round for about half a second of the slower side.
        let calls = (200_000 / lines).clamp(3, 200);
        let mut native_rounds = Vec::with_capacity(rounds);
        let mut component_rounds = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let mut native_times = Vec::with_capacity(calls);
            let mut component_times = Vec::with_capacity(calls);
            for _ in 0..calls {
                let started = Instant::now();
                let read = native.read_cxml_order(&mut native_profile, &document)?;
                let result = native.reconcile_order(&mut native_profile, &read, &cart, None)?;
                native_times.push(started.elapsed());
                std::hint::black_box(result);
                let started = Instant::now();
                let read = worker.read_cxml_order(&mut worker_profile, &document)?;
                let result = worker.reconcile_order(&mut worker_profile, &read, &cart, None)?;
                component_times.push(started.elapsed());
                std::hint::black_box(result);
            }
            native_rounds.push(median(&mut native_times));
            component_rounds.push(median(&mut component_times));
        }
        let ratios: Vec<f64> = native_rounds
            .iter()
            .zip(&component_rounds)
            .map(|(native, component)| component.as_secs_f64() / native.as_secs_f64())
            .collect();
        let spread = |rounds: &mut Vec<Duration>| {
            rounds.sort();
            (
                rounds[rounds.len() / 2],
                rounds[0],
                rounds[rounds.len() - 1],
            )
        };
        let (native_median, native_low, native_high) = spread(&mut native_rounds);
        let (component_median, component_low, component_high) = spread(&mut component_rounds);
        let mut sorted_ratios = ratios.clone();
        sorted_ratios.sort_by(f64::total_cmp);
        let mb = document.len() as f64 / 1e6;
        let mbps = |time: Duration| mb / time.as_secs_f64();
        let per_line = |time: Duration| time.as_secs_f64() * 1e6 / lines as f64;
        // The guest's peak on a fresh worker: one read and one reconciliation.
        let mut fresh = runtime.worker();
        let mut fresh_profile = fresh.compile_profile(PROFILE, &secrets)?;
        let read = fresh.read_cxml_order(&mut fresh_profile, &document)?;
        fresh.reconcile_order(&mut fresh_profile, &read, &cart, None)?;
        let peak = fresh.guest_memory_peak_bytes() as f64;
        println!(
            "| {lines} | {:.2} MB | {:.0} µs ({:.0}–{:.0}) | {:.0} ({:.0}–{:.0}) | {:.2} | {:.0} µs ({:.0}–{:.0}) | {:.0} ({:.0}–{:.0}) | {:.2} | {:.2}× ({:.2}–{:.2}) | {:.2}× |",
            mb,
            native_median.as_secs_f64() * 1e6,
            native_low.as_secs_f64() * 1e6,
            native_high.as_secs_f64() * 1e6,
            mbps(native_median),
            mbps(native_high),
            mbps(native_low),
            per_line(native_median),
            component_median.as_secs_f64() * 1e6,
            component_low.as_secs_f64() * 1e6,
            component_high.as_secs_f64() * 1e6,
            mbps(component_median),
            mbps(component_high),
            mbps(component_low),
            per_line(component_median),
            sorted_ratios[sorted_ratios.len() / 2],
            sorted_ratios[0],
            sorted_ratios[sorted_ratios.len() - 1],
            peak / document.len() as f64,
        );
    }
    Ok(())
}
