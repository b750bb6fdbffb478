//! The cost of the inputs that grow: a counting allocator measures what the OCI form read-back
//! and the cart renderers allocate at two sizes, ten times apart, and what a refused oversized
//! cart allocates. Counts, not wall time, so the test is exact on a loaded machine.
// A global allocator is an `unsafe impl`; it only counts and forwards to the system allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use punchout_plugin::error::ErrorCode;
use punchout_plugin::model::{Cart, CartLine, Envelope, Property, Session};
use punchout_plugin::oci::{self, OciCharset};
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The counters are global: one measurement at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Allocations and bytes allocated while `work` runs.
fn measure<T>(work: impl FnOnce() -> T) -> (usize, usize, T) {
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let bytes = BYTES.load(Ordering::Relaxed);
    let result = work();
    (
        ALLOCATIONS
            .load(Ordering::Relaxed)
            .saturating_sub(allocations),
        BYTES.load(Ordering::Relaxed).saturating_sub(bytes),
        result,
    )
}

fn assert_linear(what: &str, small: (usize, usize), large: (usize, usize)) {
    assert!(
        large.0 <= small.0.saturating_mul(12) && large.1 <= small.1.saturating_mul(12),
        "{what}: 10× the input took {} → {} allocations, {} → {} bytes",
        small.0,
        large.0,
        small.1,
        large.1
    );
}

fn form(items: usize) -> Vec<u8> {
    let mut body = String::from("~OkCode=ADDI&sap-client=100");
    for index in 1..=items {
        for field in ["DESCRIPTION", "QUANTITY", "UNIT", "PRICE", "CURRENCY"] {
            body.push_str(&format!("&NEW_ITEM-{field}%5B{index}%5D=Gr%F6%DFe+{index}"));
        }
        body.push_str(&format!("&NEW_ITEM-LONGTEXT_{index}%3A132%5B%5D=long+text"));
    }
    body.into_bytes()
}

#[test]
fn oci_form_read_back_allocates_linearly_in_the_items() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let run = |items: usize| {
        let body = form(items);
        let (allocations, bytes, post) =
            measure(|| oci::read_form(&body, OciCharset::Latin1).unwrap());
        assert_eq!(post.items.len(), items);
        drop(post);
        (allocations, bytes)
    };
    assert_linear("read-back", run(1_000), run(10_000));
}

fn line(index: usize) -> CartLine {
    CartLine {
        line_ref: format!("line-{index}"),
        sku: format!("SKU-{index}"),
        quantity: "2".into(),
        unit_price: "4.20".into(),
        unit: "PCE".into(),
        description: "Copy paper A4 80 g/m², 500 sheets".into(),
        attributes: vec![Property::new("classification", "14111507")],
    }
}

fn cart(lines: usize) -> Cart {
    Cart {
        currency: "EUR".into(),
        lines: (1..=lines).map(line).collect(),
        shipping: Some("5.00".into()),
        tax: None,
    }
}

fn samples(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../host-example/samples")
            .join(name),
    )
    .unwrap()
}

fn profiles() -> (BuyerProfile, BuyerProfile) {
    let secrets = [
        ResolvedSecret {
            name: "ACME_ARIBA_SHARED_SECRET".into(),
            value: Secret::new("s3cr3t"),
        },
        ResolvedSecret {
            name: "ACME_SRM_OCI_PASSWORD".into(),
            value: Secret::new("oci-p4ss"),
        },
    ];
    (
        BuyerProfile::compile(&samples("cxml-buyer-profile.json"), &secrets).unwrap(),
        BuyerProfile::compile(&samples("oci-buyer-profile.json"), &secrets).unwrap(),
    )
}

#[test]
fn cart_returns_allocate_linearly_and_oversized_carts_are_refused_before_any_work() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (cxml, oci_profile) = profiles();
    let session: Session = serde_json::from_str(&samples("cxml-session.json")).unwrap();
    let oci_session = oci::call_up(&oci_profile, samples("oci-call-up.txt").as_bytes())
        .unwrap()
        .session;
    let envelope = Envelope {
        payload_id: "1@shop.example".into(),
        timestamp: "2026-11-25T10:00:00+01:00".into(),
    };
    let cxml_run = |lines: usize| {
        let cart = cart(lines);
        let (allocations, bytes, message) = measure(|| {
            punchout_plugin::cxml::order_message::order_message(&cxml, &session, &cart, &envelope)
                .unwrap()
        });
        drop(message);
        (allocations, bytes)
    };
    assert_linear("cXML cart return", cxml_run(100), cxml_run(1_000));
    let oci_run = |lines: usize| {
        let cart = cart(lines);
        let (allocations, bytes, page) =
            measure(|| oci::cart_form(&oci_profile, &oci_session, &cart).unwrap());
        drop(page);
        (allocations, bytes)
    };
    assert_linear("OCI cart form", oci_run(100), oci_run(1_000));

    // 100 000 lines: refused after the session check, before a line is read (a few dozen
    // allocations, where reading the lines would take hundreds of thousands).
    let huge = cart(100_000);
    let (allocations, bytes, error) = measure(|| {
        punchout_plugin::cxml::order_message::order_message(&cxml, &session, &huge, &envelope)
            .unwrap_err()
    });
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert_eq!(error.location().pointer.as_deref(), Some("/lines"));
    assert!(
        allocations < 64 && bytes < 8192,
        "{allocations} allocations, {bytes} bytes"
    );
    let (allocations, bytes, error) =
        measure(|| oci::cart_form(&oci_profile, &oci_session, &huge).unwrap_err());
    assert_eq!(error.code(), ErrorCode::LimitExceeded);
    assert!(
        allocations < 64 && bytes < 8192,
        "{allocations} allocations, {bytes} bytes"
    );
}

/// The realistic line of the host's benchmarks: markup and a Latin-1 letter in a description
/// that overflows OCI's 40 code units, and the attributes the sample profiles read.
fn realistic_line(n: usize) -> CartLine {
    CartLine {
        line_ref: format!("cart-4711:line-{n}"),
        sku: format!("SKU-{n:06}"),
        quantity: format!("{}", n % 7 + 1),
        unit_price: format!("{}.{:02}", n * 3, n % 100),
        unit: if n.is_multiple_of(2) { "PCE" } else { "EA" }.to_owned(),
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
    }
}

#[test]
fn a_cart_return_allocates_nothing_per_line() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (cxml, oci_profile) = profiles();
    let session: Session = serde_json::from_str(&samples("cxml-session.json")).unwrap();
    let oci_session = oci::call_up(&oci_profile, samples("oci-call-up.txt").as_bytes())
        .unwrap()
        .session;
    let envelope = Envelope {
        payload_id: "1@shop.example".into(),
        timestamp: "2026-11-25T10:00:00+01:00".into(),
    };
    let realistic = |lines: usize| Cart {
        currency: "EUR".into(),
        lines: (1..=lines).map(realistic_line).collect(),
        shipping: Some("12.50".into()),
        tax: None,
    };
    let allocations = |lines: usize| {
        let cart = realistic(lines);
        let (cxml_allocations, _, page) = measure(|| {
            let message = punchout_plugin::cxml::order_message::order_message(
                &cxml, &session, &cart, &envelope,
            )
            .unwrap();
            let form = punchout_plugin::cxml::form::cart_form(
                &session.return_url,
                cxml.cxml().form_encoding,
                &message,
            );
            (message, form)
        });
        drop(page);
        let (oci_allocations, _, page) =
            measure(|| oci::cart_form(&oci_profile, &oci_session, &cart).unwrap());
        drop(page);
        (cxml_allocations, oci_allocations)
    };
    // The counter is global, so the test harness printing another test's result can land in a
    // measurement: the fewest of three runs is the call's own count.
    let fewest = |lines: usize| {
        (0..3)
            .map(|_| allocations(lines))
            .reduce(|(a, b), (c, d)| (a.min(c), b.min(d)))
            .unwrap()
    };
    // The mapping's buffers grow to the largest line and stay; the documents are reserved up
    // front: the same number of allocations for 10 lines as for 1 000 (a few more where a longer
    // line grows a buffer once).
    let (cxml_small, oci_small) = fewest(10);
    let (cxml_large, oci_large) = fewest(1_000);
    assert!(
        cxml_large <= cxml_small + 4,
        "cXML message and form: {cxml_small} allocations for 10 lines, {cxml_large} for 1 000"
    );
    assert!(
        oci_large <= oci_small + 4,
        "OCI form: {oci_small} allocations for 10 lines, {oci_large} for 1 000"
    );
}
