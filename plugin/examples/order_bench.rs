//! The engine's `OrderRequest` intake natively: [`read_order_request`] (parse, authenticate,
//! read every line, hash) on realistic orders of 10, 100, 1 000, 5 000 and 10 000 lines (each
//! line with a description, a classification, a manufacturer part, an accounting distribution and
//! an extrinsic: 5 000 lines are about 4.6 MB), with the sample cXML buyer profile.
//! Interleaved rounds (every size once per round, so a busy moment of the machine touches all
//! sizes alike); prints per size the median call with its spread (10th to 90th percentile, and
//! the fastest call), the throughput at the median, the cost per line, and the peak memory the
//! read allocates relative to the document's size (a counting allocator).
//!
//! `cargo run --release -p punchout-plugin --example order_bench [-- ROUNDS [SIZES…]]`
// A global allocator is an `unsafe impl`; it only counts and forwards to the system allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use punchout_plugin::cxml::order_request::read_order_request;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
use punchout_plugin::xml::XmlWriter;

const CXML_PROFILE: &str = include_str!("../../host-example/samples/cxml-buyer-profile.json");

/// Counts the bytes live, their peak and the allocations, while `COUNTING` is set (not while
/// timing, so that the counting costs the timed calls nothing).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn shrank(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE.fetch_sub(size, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            shrank(layout.size() - new_size);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A realistic order of `lines` lines, as a procurement system writes it.
fn order_request(lines: usize) -> String {
    let mut w = XmlWriter::with_capacity(lines * 1000 + 4096);
    w.declaration();
    w.doctype("cXML", "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd");
    w.open(
        "cXML",
        &[
            ("payloadID", "1700001000.4242.33333@buyer.example.com"),
            ("timestamp", "2026-01-16T09:00:00+01:00"),
            ("xml:lang", "en-US"),
        ],
    );
    w.open("Header", &[]);
    for (name, domain, identity) in [
        ("From", "NetworkID", "AN01000000001"),
        ("To", "DUNS", "123456789"),
    ] {
        w.open(name, &[]);
        w.open("Credential", &[("domain", domain)]);
        w.leaf("Identity", &[], identity);
        w.close("Credential");
        w.close(name);
    }
    w.open("Sender", &[]);
    w.open("Credential", &[("domain", "NetworkID")]);
    w.leaf("Identity", &[], "AN01000000001");
    w.leaf("SharedSecret", &[], "s3cr3t");
    w.close("Credential");
    w.leaf("UserAgent", &[], "Example Procurement 1.0");
    w.close("Sender");
    w.close("Header");
    w.open("Request", &[("deploymentMode", "production")]);
    w.open("OrderRequest", &[]);
    w.open(
        "OrderRequestHeader",
        &[
            ("orderID", "PO-4711"),
            ("orderDate", "2026-01-16T09:00:00+01:00"),
            ("type", "new"),
        ],
    );
    w.open("Total", &[]);
    w.leaf("Money", &[("currency", "EUR")], "123456.78");
    w.close("Total");
    for name in ["ShipTo", "BillTo"] {
        w.open(name, &[]);
        w.open("Address", &[("addressID", "HQ")]);
        w.leaf("Name", &[("xml:lang", "en")], "Buyer Headquarters");
        w.open("PostalAddress", &[]);
        w.leaf("DeliverTo", &[], "Receiving dock 4");
        w.leaf("Street", &[], "Hauptstraße 1");
        w.leaf("City", &[], "Berlin");
        w.leaf("PostalCode", &[], "10115");
        w.leaf("Country", &[("isoCountryCode", "DE")], "Germany");
        w.close("PostalAddress");
        w.close("Address");
        w.close(name);
    }
    w.open("Shipping", &[]);
    w.leaf("Money", &[("currency", "EUR")], "12.50");
    w.leaf("Description", &[("xml:lang", "en")], "Standard freight");
    w.close("Shipping");
    w.leaf(
        "Comments",
        &[("xml:lang", "en")],
        "Please deliver on weekdays",
    );
    w.leaf("Extrinsic", &[("name", "CostCenter")], "4711");
    w.close("OrderRequestHeader");
    for n in 1..=lines {
        let number = n.to_string();
        let quantity = (n % 7 + 1).to_string();
        w.open(
            "ItemOut",
            &[
                ("quantity", &quantity),
                ("lineNumber", &number),
                ("requestedDeliveryDate", "2026-01-20"),
            ],
        );
        w.open("ItemID", &[]);
        w.leaf("SupplierPartID", &[], &format!("SKU-{n:06}"));
        w.leaf(
            "SupplierPartAuxiliaryID",
            &[],
            &format!("cart-4711:line-{n}"),
        );
        w.close("ItemID");
        w.open("ItemDetail", &[]);
        w.open("UnitPrice", &[]);
        w.leaf(
            "Money",
            &[("currency", "EUR")],
            &format!("{}.{:02}", n * 3, n % 100),
        );
        w.close("UnitPrice");
        w.leaf(
            "Description",
            &[("xml:lang", "en")],
            &format!("Industrial product {n}, & <special> characters, Größe {n} mm"),
        );
        w.leaf("UnitOfMeasure", &[], if n % 2 == 0 { "PCE" } else { "EA" });
        w.leaf("Classification", &[("domain", "UNSPSC")], "44121704");
        w.leaf("ManufacturerPartID", &[], &format!("MPN-{n}"));
        w.leaf(
            "Extrinsic",
            &[("name", "ImageURL")],
            &format!("https://shop.example/img/{n}.png"),
        );
        w.close("ItemDetail");
        w.open("Distribution", &[]);
        w.open("Accounting", &[("name", "DistributionCharge")]);
        w.open("AccountingSegment", &[("id", "4711")]);
        w.leaf("Name", &[("xml:lang", "en")], "CostCenter");
        w.leaf("Description", &[("xml:lang", "en")], "Office supplies");
        w.close("AccountingSegment");
        w.close("Accounting");
        w.open("Charge", &[]);
        w.leaf("Money", &[("currency", "EUR")], &format!("{}.00", n * 3));
        w.close("Charge");
        w.close("Distribution");
        w.close("ItemOut");
    }
    w.close("OrderRequest");
    w.close("Request");
    w.close("cXML");
    // Without the writer's indentation, as many procurement systems send it.
    let indented = w.finish();
    let mut compact = String::with_capacity(indented.len());
    for line in indented.lines() {
        compact.push_str(line.trim_start());
        compact.push('\n');
    }
    compact
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() - 1) * p / 100]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(40, |a| a.parse().expect("rounds"));
    let sizes: Vec<usize> = {
        let given: Vec<usize> = args.map(|a| a.parse().expect("size")).collect();
        if given.is_empty() {
            vec![10, 100, 1000, 5000, 10_000]
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
    if std::env::var_os("BENCH_SIZES").is_some() {
        for &size in &sizes {
            let bytes = order_request(size).len();
            println!("{size} lines: {bytes} bytes, {} per line", bytes / size);
        }
    }
    let documents: Vec<Vec<u8>> = sizes
        .iter()
        .map(|&size| order_request(size).into_bytes())
        .collect();

    // Peak memory of one read, above what was live before it (the document is not counted:
    // it is the caller's), and its allocations. What is freed during the read but was
    // allocated before is not counted either: nothing is.
    let mut peaks = Vec::with_capacity(sizes.len());
    for document in &documents {
        LIVE.store(0, Ordering::Relaxed);
        PEAK.store(0, Ordering::Relaxed);
        ALLOCATIONS.store(0, Ordering::Relaxed);
        COUNTING.store(true, Ordering::Relaxed);
        let order = read_order_request(&profile, document).expect("order");
        let peak = PEAK.load(Ordering::Relaxed);
        let kept = LIVE.load(Ordering::Relaxed);
        let allocations = ALLOCATIONS.load(Ordering::Relaxed);
        drop(order);
        COUNTING.store(false, Ordering::Relaxed);
        peaks.push((peak, kept, allocations));
    }

    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); sizes.len()];
    let mut sink = 0usize;
    for round in 0..rounds {
        for (index, document) in documents.iter().enumerate() {
            // Small orders are timed in batches, so the clock's resolution does not matter.
            let repeat = (2000 / sizes[index]).max(1);
            let start = Instant::now();
            for _ in 0..repeat {
                let order = read_order_request(&profile, document).expect("order");
                sink = sink.wrapping_add(order.lines.len());
            }
            let elapsed = start.elapsed() / u32::try_from(repeat).expect("repeat");
            // The first round warms caches and the allocator.
            if round > 0 || rounds == 1 {
                times[index].push(elapsed);
            }
        }
    }

    println!("| lines | bytes | read: median (p10–p90, min) | MB/s at median (at min) | µs per line | peak memory / size (order kept) | allocations per line |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for (index, &size) in sizes.iter().enumerate() {
        let samples = &mut times[index];
        samples.sort();
        let bytes = documents[index].len();
        let median = percentile(samples, 50);
        let (peak, kept, allocations) = peaks[index];
        println!(
            "| {size} | {bytes} | {:.1} µs ({:.1}–{:.1}, min {:.1}) | {:.0} ({:.0}) | {:.3} | {:.2}× ({:.2}×) | {:.1} |",
            median.as_secs_f64() * 1e6,
            percentile(samples, 10).as_secs_f64() * 1e6,
            percentile(samples, 90).as_secs_f64() * 1e6,
            samples[0].as_secs_f64() * 1e6,
            bytes as f64 / median.as_secs_f64() / 1e6,
            bytes as f64 / samples[0].as_secs_f64() / 1e6,
            median.as_secs_f64() * 1e6 / size as f64,
            peak as f64 / bytes as f64,
            kept as f64 / bytes as f64,
            allocations as f64 / size as f64,
        );
    }
    std::hint::black_box(sink);
}
