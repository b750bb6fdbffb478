//! The engine's own work on a cart return, natively: the cXML `PunchOutOrderMessage` with its
//! self-posting form, and the OCI cart form (Latin-1), for 10, 100, 1 000 and 10 000 lines of the
//! realistic cart of `host-example/benches/common/mod.rs`, with the sample profiles of
//! `host-example/samples`. Interleaved rounds; prints the median and the spread (10th to 90th
//! percentile, and the fastest call, which a loaded machine disturbs least) per call and the
//! median per line. `BENCH_ONLY=cxml|oci` runs one protocol, `BENCH_PARTS=1` times the message
//! and the form apart, `BENCH_SIZES=1` prints the documents' sizes and reservations,
//! `BENCH_TWO_PASS=1` times the one-pass cart return against the message followed by
//! `form::cart_form`, call by call.
//!
//! `cargo run --release -p punchout-plugin --example cart_bench [-- ROUNDS [SIZES…]]`

use std::time::{Duration, Instant};

use punchout_plugin::cxml::{form, order_message};
use punchout_plugin::model::{Cart, CartLine, Envelope, Property, Session};
use punchout_plugin::oci;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

const CXML_PROFILE: &str = include_str!("../../host-example/samples/cxml-buyer-profile.json");
const CXML_SESSION: &str = include_str!("../../host-example/samples/cxml-session.json");
const OCI_PROFILE: &str = include_str!("../../host-example/samples/oci-buyer-profile.json");
const OCI_CALL_UP: &str = include_str!("../../host-example/samples/oci-call-up.txt");

/// The realistic cart of the host's benchmarks.
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

fn secret(name: &str, value: &str) -> Vec<ResolvedSecret> {
    vec![ResolvedSecret {
        name: name.to_owned(),
        value: Secret::new(value),
    }]
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
    let cxml = BuyerProfile::compile(CXML_PROFILE, &secret("ACME_ARIBA_SHARED_SECRET", "s3cr3t"))
        .expect("cXML profile");
    let session: Session = serde_json::from_str(CXML_SESSION).expect("session");
    let envelope = Envelope {
        payload_id: "1764061200.1.bench@shop.example.com".to_owned(),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    };
    let oci_profile =
        BuyerProfile::compile(OCI_PROFILE, &secret("ACME_SRM_OCI_PASSWORD", "oci-p4ss"))
            .expect("OCI profile");
    let oci_session = oci::call_up(&oci_profile, OCI_CALL_UP.as_bytes())
        .expect("call-up")
        .session;

    println!("| lines | cXML message + form: median (p10–p90, min) | per line | OCI form: median (p10–p90, min) | per line |");
    println!("|---:|---:|---:|---:|---:|");
    for &size in &sizes {
        let cart = cart(size);
        let rounds = (rounds * 100 / size.max(100)).max(15);
        let mut cxml_times = Vec::with_capacity(rounds);
        let mut oci_times = Vec::with_capacity(rounds);
        let mut sink = 0usize;
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        if std::env::var_os("BENCH_SIZES").is_some() {
            let message =
                order_message::order_message(&cxml, &session, &cart, &envelope).expect("message");
            let page = form::cart_form(&session.return_url, cxml.cxml().form_encoding, &message);
            let oci_page = oci::cart_form(&oci_profile, &oci_session, &cart).expect("form");
            println!(
                "sizes at {size} lines: message {} of {} reserved, form {} of {}, OCI page {} of {}",
                message.len(),
                message.capacity(),
                page.len(),
                page.capacity(),
                oci_page.body.len(),
                oci_page.body.capacity()
            );
        }
        for _ in 0..rounds {
            if only == "oci" {
                cxml_times.push(Duration::ZERO);
            } else {
                let start = Instant::now();
                let both =
                    order_message::cart_return(&cxml, &session, &cart, &envelope).expect("message");
                sink = sink.wrapping_add(both.message.len() + both.form_html.len());
                drop(both);
                cxml_times.push(start.elapsed());
            }
            if only == "cxml" {
                oci_times.push(Duration::ZERO);
                continue;
            }
            let start = Instant::now();
            let page = oci::cart_form(&oci_profile, &oci_session, &cart).expect("form");
            sink = sink.wrapping_add(page.body.len());
            drop(page);
            oci_times.push(start.elapsed());
        }
        if std::env::var_os("BENCH_TWO_PASS").is_some() {
            let mut times = [Vec::with_capacity(rounds), Vec::with_capacity(rounds)];
            for _ in 0..rounds {
                let start = Instant::now();
                let message = order_message::order_message(&cxml, &session, &cart, &envelope)
                    .expect("message");
                let page =
                    form::cart_form(&session.return_url, cxml.cxml().form_encoding, &message);
                sink = sink.wrapping_add(message.len() + page.len());
                drop((message, page));
                times[0].push(start.elapsed());
                let start = Instant::now();
                let both =
                    order_message::cart_return(&cxml, &session, &cart, &envelope).expect("message");
                sink = sink.wrapping_add(both.message.len() + both.form_html.len());
                drop(both);
                times[1].push(start.elapsed());
            }
            for (name, times) in ["two passes", "one pass"].iter().zip(&mut times) {
                times.sort();
                println!(
                    "cXML {name} at {size} lines: {:.1} µs ({:.1}–{:.1}, min {:.1})",
                    percentile(times, 50).as_secs_f64() * 1e6,
                    percentile(times, 10).as_secs_f64() * 1e6,
                    percentile(times, 90).as_secs_f64() * 1e6,
                    times[0].as_secs_f64() * 1e6
                );
            }
        }
        if std::env::var_os("BENCH_PARTS").is_some() {
            let mut message_times = Vec::with_capacity(rounds);
            let mut form_times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let start = Instant::now();
                let message = order_message::order_message(&cxml, &session, &cart, &envelope)
                    .expect("message");
                message_times.push(start.elapsed());
                let start = Instant::now();
                let page =
                    form::cart_form(&session.return_url, cxml.cxml().form_encoding, &message);
                form_times.push(start.elapsed());
                sink = sink.wrapping_add(message.len() + page.len());
            }
            // The mapping alone, line by line into one reused buffer.
            let mut mapping_times = [Vec::with_capacity(rounds), Vec::with_capacity(rounds)];
            for _ in 0..rounds {
                for (times, profile) in mapping_times.iter_mut().zip([&cxml, &oci_profile]) {
                    let start = Instant::now();
                    let mut values = punchout_plugin::mapping::LineValues::new();
                    for (index, line) in cart.lines.iter().enumerate() {
                        profile
                            .mapping()
                            .map_line_into(
                                &punchout_plugin::mapping::LineView {
                                    line,
                                    currency: &cart.currency,
                                    line_number: index + 1,
                                },
                                &mut values,
                            )
                            .expect("line");
                        sink = sink.wrapping_add(values.field(0).len());
                    }
                    times.push(start.elapsed());
                }
            }
            for times in &mut mapping_times {
                times.sort();
            }
            println!(
                "mapping alone at {size} lines: cXML {:.1} µs, OCI {:.1} µs",
                percentile(&mapping_times[0], 50).as_secs_f64() * 1e6,
                percentile(&mapping_times[1], 50).as_secs_f64() * 1e6
            );
            message_times.sort();
            form_times.sort();
            println!(
                "parts at {size} lines: message {:.1} µs, form {:.1} µs",
                percentile(&message_times, 50).as_secs_f64() * 1e6,
                percentile(&form_times, 50).as_secs_f64() * 1e6
            );
        }
        cxml_times.sort();
        oci_times.sort();
        let show = |times: &[Duration]| {
            let median = percentile(times, 50);
            format!(
                "{:.1} µs ({:.1}–{:.1}, min {:.1}) | {:.3} µs",
                median.as_secs_f64() * 1e6,
                percentile(times, 10).as_secs_f64() * 1e6,
                percentile(times, 90).as_secs_f64() * 1e6,
                times[0].as_secs_f64() * 1e6,
                median.as_secs_f64() * 1e6 / size as f64
            )
        };
        println!("| {size} | {} | {} |", show(&cxml_times), show(&oci_times));
        std::hint::black_box(sink);
    }
}
