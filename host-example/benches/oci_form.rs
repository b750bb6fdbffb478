//! The 100-line OCI cart-return form (Latin-1), natively and through the component on a warm
//! instance; and the call-up.
//!
//! `cargo xtask build && cargo bench -p punchout-host --bench oci_form`

mod common;

use common::{cart, component_path};
use criterion::{criterion_group, criterion_main, Criterion};
use punchout_host::prelude::*;
use punchout_host::{Native, Runtime, RuntimeConfig};

const PROFILE: &str = include_str!("../samples/oci-buyer-profile.json");
const CALL_UP: &str = include_str!("../samples/oci-call-up.txt");

fn secrets() -> Vec<(String, String)> {
    vec![("ACME_SRM_OCI_PASSWORD".to_owned(), "oci-p4ss".to_owned())]
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
