//! The 100-line OCI cart-return form (Latin-1), natively and through the component on a warm
//! instance; and the call-up.
//!
//! `cargo xtask build && cargo bench -p punchout-host --bench oci_form`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use punchout_host::{EngineCalls, Native, OciCalls, Runtime, RuntimeConfig};
use punchout_plugin::model::{Cart, CartLine, Property};

const PROFILE: &str = include_str!("../samples/oci-buyer-profile.json");
const CALL_UP: &str = include_str!("../samples/oci-call-up.txt");

fn secrets() -> Vec<(String, String)> {
    vec![("ACME_SRM_OCI_PASSWORD".to_owned(), "oci-p4ss".to_owned())]
}

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
                    Property::new("classification", "44121704"),
                    Property::new("manufacturer-part-id", format!("MPN-{n}")),
                    Property::new("lead-time", "3"),
                    Property::new("image-url", format!("https://shop.example.com/img/{n}.png")),
                ],
            })
            .collect(),
        shipping: None,
        tax: None,
    }
}

fn component_path() -> PathBuf {
    std::env::var_os("PUNCHOUT_COMPONENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/wasm32-wasip2/release/punchout_plugin.wasm")
        })
}

fn bench(c: &mut Criterion) {
    let wasm =
        std::fs::read(component_path()).expect("build the component first: cargo xtask build");
    let cart = cart(100);

    let mut native = Native;
    let mut native_profile = native
        .compile_profile(PROFILE, &secrets())
        .expect("profile");
    let session = native
        .oci_call_up(&mut native_profile, CALL_UP.as_bytes())
        .expect("call-up")
        .session;

    let runtime = Runtime::from_bytes(&wasm, RuntimeConfig::default()).expect("component");
    let mut worker = runtime.worker();
    let mut profile = worker
        .compile_profile(PROFILE, &secrets())
        .expect("profile");

    let mut group = c.benchmark_group("oci-form-100-lines");
    group.bench_function("native", |b| {
        b.iter(|| {
            native
                .oci_cart_form(&mut native_profile, &session, &cart)
                .expect("form")
        })
    });
    group.bench_function("component-warm", |b| {
        b.iter(|| {
            worker
                .oci_cart_form(&mut profile, &session, &cart)
                .expect("form")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("oci-call-up");
    group.bench_function("component-warm", |b| {
        b.iter(|| {
            worker
                .oci_call_up(&mut profile, CALL_UP.as_bytes())
                .expect("call-up")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
