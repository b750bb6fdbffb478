//! Runs the 100-line cart return through the component in a loop, for `perf record` with
//! `PUNCHOUT_PERFMAP=1`.
use punchout_host::{Runtime, RuntimeConfig};
use punchout_plugin::model::{Cart, CartLine, Envelope, Property, Session};

fn main() {
    let wasm =
        std::fs::read("target/wasm32-wasip2/release/punchout_plugin.wasm").expect("component");
    let runtime = Runtime::from_bytes(&wasm, RuntimeConfig::default()).expect("runtime");
    let mut worker = runtime.worker();
    let mut profile = worker
        .compile_profile(
            include_str!("../samples/cxml-buyer-profile.json"),
            &[("ACME_ARIBA_SHARED_SECRET".into(), "s3cr3t".into())],
        )
        .expect("profile");
    let session: Session =
        serde_json::from_str(include_str!("../samples/cxml-session.json")).expect("session");
    let cart = Cart {
        currency: "EUR".into(),
        shipping: None,
        tax: None,
        lines: (1..=100)
            .map(|n| CartLine {
                line_ref: format!("r{n}"),
                sku: format!("S{n}"),
                quantity: "2".into(),
                unit_price: "3.10".into(),
                unit: "EA".into(),
                description: format!(
                    "Industrial product number {n} with a long description & <special> characters"
                ),
                attributes: vec![
                    Property::new("classification", "1"),
                    Property::new("short-name", "x"),
                ],
            })
            .collect(),
    };
    let envelope = Envelope {
        payload_id: "p".into(),
        timestamp: "t".into(),
    };
    let start = std::time::Instant::now();
    let runs = 2000;
    for _ in 0..runs {
        worker
            .cxml_cart_return(&mut profile, &session, &cart, &envelope)
            .expect("cart");
    }
    println!("component: {:?} per call", start.elapsed() / runs);
    use punchout_host::prelude::*;
    let mut native = punchout_host::Native;
    let mut native_profile = native
        .compile_profile(
            include_str!("../samples/cxml-buyer-profile.json"),
            &[("ACME_ARIBA_SHARED_SECRET".into(), "s3cr3t".into())],
        )
        .expect("profile");
    let start = std::time::Instant::now();
    for _ in 0..runs {
        native
            .cxml_cart_return(&mut native_profile, &session, &cart, &envelope)
            .expect("cart");
    }
    println!("native: {:?} per call", start.elapsed() / runs);
}
