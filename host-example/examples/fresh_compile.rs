//! What a fresh instance costs on top of a warm one, in parts: a trivial call on a fresh
//! instance (instantiation), the sample profiles compiled on a fresh instance, the cXML one on
//! a warm instance, and natively. Given several components, times each of them in the same
//! interleaved rounds (old and new builds side by side). Medians with the 10th–90th percentile.
//! `FRESH_ONLY=fresh-cXML` keeps the cases whose name has it (for `perf record` with
//! `PUNCHOUT_PERFMAP=1`).
//!
//! `cargo run --release -p punchout-host --example fresh_compile [-- ROUNDS [COMPONENT.wasm…]]`
use std::cell::RefCell;
use std::time::{Duration, Instant};

use punchout_host::prelude::*;
use punchout_host::{InstanceMode, Native, Runtime, RuntimeConfig, Worker};

const CXML_PROFILE: &str = include_str!("../samples/cxml-buyer-profile.json");
const OCI_PROFILE: &str = include_str!("../samples/oci-buyer-profile.json");

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
    let mut cases: Vec<Case<'_>> = Vec::new();
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
