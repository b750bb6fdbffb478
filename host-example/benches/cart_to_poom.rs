//! The 100-line cart → PunchOutOrderMessage (and its form), natively and through the component
//! on a warm instance and on a fresh instance per call; also a setup request. Prints the guest's
//! peak memory and the component's size.
//!
//! `cargo xtask build && cargo bench -p punchout-host --bench cart_to_poom`

mod common;

use common::{cart, component_path};
use criterion::{criterion_group, criterion_main, Criterion};
use punchout_host::prelude::*;
use punchout_host::{InstanceMode, Native, Runtime, RuntimeConfig};
use punchout_plugin::model::{Envelope, Session};

const PROFILE: &str = include_str!("../samples/cxml-buyer-profile.json");
const SESSION: &str = include_str!("../samples/cxml-session.json");
const SETUP_REQUEST: &str = include_str!("../samples/cxml-setup-request.xml");

fn secrets() -> Vec<(String, String)> {
    vec![("ACME_ARIBA_SHARED_SECRET".to_owned(), "s3cr3t".to_owned())]
}

fn envelope() -> Envelope {
    Envelope {
        payload_id: "1764061200.1.bench@shop.example.com".to_owned(),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    }
}

fn bench(c: &mut Criterion) {
    let cart = cart(100);
    let session: Session = serde_json::from_str(SESSION).expect("sample session");
    let wasm =
        std::fs::read(component_path()).expect("build the component first: cargo xtask build");
    println!("component size: {} bytes", wasm.len());

    let mut native = Native;
    let mut native_profile = native
        .compile_profile(PROFILE, &secrets())
        .expect("profile");
    let message_len = native
        .cxml_cart_return(&mut native_profile, &session, &cart, &envelope())
        .expect("cart")
        .message
        .len();
    println!("100-line PunchOutOrderMessage: {message_len} bytes");

    let warm = Runtime::from_bytes(&wasm, RuntimeConfig::default()).expect("component");
    let mut warm_worker = warm.worker();
    let mut warm_profile = warm_worker
        .compile_profile(PROFILE, &secrets())
        .expect("profile");
    warm_worker
        .cxml_cart_return(&mut warm_profile, &session, &cart, &envelope())
        .expect("cart");
    println!(
        "guest memory peak after a 100-line cart: {} bytes",
        warm_worker.guest_memory_peak_bytes()
    );

    let fresh = Runtime::from_bytes(
        &wasm,
        RuntimeConfig {
            instance_mode: InstanceMode::FreshPerCall,
            ..RuntimeConfig::default()
        },
    )
    .expect("component");
    let mut fresh_worker = fresh.worker();
    let mut fresh_profile = fresh_worker
        .compile_profile(PROFILE, &secrets())
        .expect("profile");

    let mut group = c.benchmark_group("cart-100-lines-to-poom");
    group.bench_function("native", |b| {
        b.iter(|| {
            native
                .cxml_cart_return(&mut native_profile, &session, &cart, &envelope())
                .map(|r| r.message.len())
        })
    });
    group.bench_function("component-warm", |b| {
        b.iter(|| {
            warm_worker
                .cxml_cart_return(&mut warm_profile, &session, &cart, &envelope())
                .map(|r| r.message.len())
        })
    });
    group.bench_function("component-fresh-instance", |b| {
        b.iter(|| {
            fresh_worker
                .cxml_cart_return(&mut fresh_profile, &session, &cart, &envelope())
                .map(|r| r.message.len())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("setup-request");
    let start = "https://shop.example.com/punchout/start?token=0123456789abcdef0123456789abcdef";
    group.bench_function("native", |b| {
        b.iter(|| {
            native
                .cxml_setup(
                    &mut native_profile,
                    SETUP_REQUEST.as_bytes(),
                    start,
                    &envelope(),
                )
                .is_ok()
        })
    });
    group.bench_function("component-warm", |b| {
        b.iter(|| {
            warm_worker
                .cxml_setup(
                    &mut warm_profile,
                    SETUP_REQUEST.as_bytes(),
                    start,
                    &envelope(),
                )
                .is_ok()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("profile");
    let sap = include_str!("../samples/profiles/sap-srm-oci40.json");
    let sap_secrets = vec![("EXAMPLE_AG_OCI_PASSWORD".to_owned(), "x".to_owned())];
    group.bench_function("compile-cxml-native", |b| {
        b.iter(|| native.compile_profile(PROFILE, &secrets()).is_ok())
    });
    group.bench_function("compile-oci-native", |b| {
        b.iter(|| native.compile_profile(sap, &sap_secrets).is_ok())
    });
    group.bench_function("compile-oci-component", |b| {
        b.iter(|| warm_worker.compile_profile(sap, &sap_secrets).is_ok())
    });
    let sap_profile = native.compile_profile(sap, &sap_secrets).expect("profile");
    group.bench_function("map-100-lines-oci-native", |b| {
        b.iter(|| {
            cart.lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let view = punchout_plugin::mapping::LineView {
                        line,
                        currency: "EUR",
                        line_number: index + 1,
                    };
                    sap_profile
                        .mapping()
                        .map_line(&view)
                        .map(|mapped| mapped.fields.len())
                        .unwrap_or(0)
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
