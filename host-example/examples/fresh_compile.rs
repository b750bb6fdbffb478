//! What a fresh instance costs on top of a warm one, in parts: a trivial call on a fresh
//! instance (instantiation), the sample profiles compiled on a fresh instance, the cXML one on
//! a warm instance, and natively; then the 100-line cXML cart return (message and form) of the
//! benchmark suite on a warm and on a fresh instance. Given several components, times each of them in the same
//! interleaved rounds (old and new builds side by side). Medians with the 10th–90th percentile.
//! `FRESH_ONLY=fresh-cXML` keeps the cases whose name has it (for `perf record` with
//! `PUNCHOUT_PERFMAP=1`).
//!
//! `cargo run --release -p punchout-host --example fresh_compile [-- ROUNDS [COMPONENT.wasm…]]`
use std::cell::RefCell;
use std::time::{Duration, Instant};

use punchout_host::prelude::*;
use punchout_host::{InstanceMode, Native, Runtime, RuntimeConfig, Worker};
use punchout_plugin::model::{Cart, CartLine, Envelope, Property, Session};

const CXML_PROFILE: &str = include_str!("../samples/cxml-buyer-profile.json");
const OCI_PROFILE: &str = include_str!("../samples/oci-buyer-profile.json");
const CXML_SESSION: &str = include_str!("../samples/cxml-session.json");

/// The benchmark suite's cart (`bench/src/cart.rs`).
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

type Case<'a> = (String, Box<dyn FnMut() + 'a>);

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(2000, |a| a.parse().expect("rounds"));
    let mut components: Vec<String> = args.collect();
    if components.is_empty() {
        components.push("target/wasm32-wasip2/release/punchout_plugin.wasm".to_owned());
    }
    let cxml_secrets = vec![("ACME_ARIBA_SHARED_SECRET".to_owned(), "s3cr3t".to_owned())];
    let oci_secrets = vec![("ACME_SRM_OCI_PASSWORD".to_owned(), "oci-p4ss".to_owned())];
    let workers: Vec<(String, RefCell<Worker>, RefCell<Worker>)> = components
        .iter()
        .map(|path| {
            let wasm = std::fs::read(path).expect("component");
            let warm = Runtime::from_bytes(&wasm, RuntimeConfig::default()).expect("runtime");
            let fresh = Runtime::from_bytes(
                &wasm,
                RuntimeConfig {
                    instance_mode: InstanceMode::FreshPerCall,
                    ..RuntimeConfig::default()
                },
            )
            .expect("runtime");
            let name = std::path::Path::new(path)
                .file_stem()
                .map_or_else(String::new, |stem| stem.to_string_lossy().into_owned());
            (
                name,
                RefCell::new(warm.worker()),
                RefCell::new(fresh.worker()),
            )
        })
        .collect();
    let mut native = Native;
    let session: Session = serde_json::from_str(CXML_SESSION).expect("session");
    let envelope = Envelope {
        payload_id: "1764061200.1.bench@shop.example.com".to_owned(),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    };
    let cart = cart(100);
    let profiles: Vec<(RefCell<_>, RefCell<_>)> = workers
        .iter()
        .map(|(_, warm, fresh)| {
            (
                RefCell::new(
                    warm.borrow_mut()
                        .compile_profile(CXML_PROFILE, &cxml_secrets)
                        .expect("compile"),
                ),
                RefCell::new(
                    fresh
                        .borrow_mut()
                        .compile_profile(CXML_PROFILE, &cxml_secrets)
                        .expect("compile"),
                ),
            )
        })
        .collect();
    let mut native_profile = Native
        .compile_profile(CXML_PROFILE, &cxml_secrets)
        .expect("compile");
    let mut cases: Vec<Case<'_>> = Vec::new();
    for ((name, warm, fresh), (warm_profile, fresh_profile)) in workers.iter().zip(&profiles) {
        let (session, envelope, cart) = (&session, &envelope, &cart);
        cases.push((
            format!("{name}: warm cXML cart return, 100 lines"),
            Box::new(move || {
                warm.borrow_mut()
                    .cxml_cart_return(&mut warm_profile.borrow_mut(), session, cart, envelope)
                    .expect("cart");
            }),
        ));
        cases.push((
            format!("{name}: fresh cXML cart return, 100 lines"),
            Box::new(move || {
                fresh
                    .borrow_mut()
                    .cxml_cart_return(&mut fresh_profile.borrow_mut(), session, cart, envelope)
                    .expect("cart");
            }),
        ));
    }
    cases.push((
        "native cXML cart return, 100 lines".to_owned(),
        Box::new(|| {
            Native
                .cxml_cart_return(&mut native_profile, &session, &cart, &envelope)
                .expect("cart");
        }),
    ));
    for (name, warm, fresh) in &workers {
        let (cxml_secrets, oci_secrets) = (&cxml_secrets, &oci_secrets);
        cases.push((
            format!("{name}: fresh trivial call"),
            Box::new(move || {
                fresh.borrow_mut().resolve_extends("{}", &[]).ok();
            }),
        ));
        cases.push((
            format!("{name}: fresh cXML compile"),
            Box::new(move || {
                fresh
                    .borrow_mut()
                    .compile_profile(CXML_PROFILE, cxml_secrets)
                    .expect("compile");
            }),
        ));
        cases.push((
            format!("{name}: fresh OCI compile"),
            Box::new(move || {
                fresh
                    .borrow_mut()
                    .compile_profile(OCI_PROFILE, oci_secrets)
                    .expect("compile");
            }),
        ));
        cases.push((
            format!("{name}: warm cXML compile"),
            Box::new(move || {
                warm.borrow_mut()
                    .compile_profile(CXML_PROFILE, cxml_secrets)
                    .expect("compile");
            }),
        ));
    }
    cases.push((
        "native cXML compile".to_owned(),
        Box::new(|| {
            native
                .compile_profile(CXML_PROFILE, &cxml_secrets)
                .expect("compile");
        }),
    ));
    if let Ok(only) = std::env::var("FRESH_ONLY") {
        cases.retain(|(name, _)| name.replace(' ', "-").contains(&only));
    }
    let mut times: Vec<Vec<Duration>> = cases.iter().map(|_| Vec::with_capacity(rounds)).collect();
    for _ in 0..rounds {
        for ((_, case), times) in cases.iter_mut().zip(&mut times) {
            let start = Instant::now();
            case();
            times.push(start.elapsed());
        }
    }
    for ((name, _), times) in cases.iter().zip(&mut times) {
        times.sort();
        let at = |p: usize| times[(times.len() - 1) * p / 100].as_secs_f64() * 1e6;
        println!("{name}: {:.1} µs ({:.1}–{:.1})", at(50), at(10), at(90));
    }
}
