//! The host keeps the shop's process healthy: a guest that exceeds its memory cap or its time
//! budget traps cleanly, the host reports it as a trap (not as rejected input), and the next call
//! runs on a fresh instance. The largest allowed documents fit the default budgets with a 2×
//! margin.

use std::time::Duration;

use punchout_host::{CallError, InstanceMode, RuntimeConfig};
use punchout_tests::{runtime, runtime_with, sample, sample_secrets};

fn large_order_message(target_bytes: usize) -> String {
    let example = std::fs::read_to_string(
        punchout_tests::spec_dir().join("cxml/examples/PunchOutOrderMessage.xml"),
    )
    .unwrap();
    let start = example.find("<ItemIn").unwrap();
    let end = example.find("</ItemIn>").unwrap() + "</ItemIn>".len();
    let item = &example[start..end];
    let mut items = String::with_capacity(target_bytes);
    while items.len() + item.len() < target_bytes - example.len() {
        items.push_str(item);
        items.push('\n');
    }
    format!("{}{}{}", &example[..start], items, &example[end..])
}

fn small_call_succeeds(worker: &mut punchout_host::Worker) {
    let message =
        std::fs::read(punchout_tests::spec_dir().join("cxml/examples/PunchOutOrderMessage.xml"))
            .unwrap();
    let read = worker
        .cxml_read_order_message(&message)
        .expect("the next call runs on a fresh instance");
    assert_eq!(read.lines.len(), 1);
}

#[test]
fn exceeding_the_memory_cap_traps_and_the_next_call_succeeds() {
    let runtime = runtime_with(RuntimeConfig {
        memory_limit_bytes: 4 << 20,
        ..RuntimeConfig::default()
    });
    let mut worker = runtime.worker();
    let mut profile = worker
        .compile_profile(&sample("cxml-buyer-profile.json"), &sample_secrets())
        .unwrap();
    let document = large_order_message(8 << 20);
    match worker.cxml_read_order_message(document.as_bytes()) {
        Err(CallError::Trap(message)) => assert!(!message.is_empty()),
        other => panic!("expected a trap at the memory cap, got {other:?}"),
    }
    small_call_succeeds(&mut worker);
    // The profile handle of the discarded instance is compiled again transparently.
    let request = sample("cxml-setup-request.xml");
    worker
        .cxml_setup(
            &mut profile,
            request.as_bytes(),
            "https://shop.example.com/start",
            &punchout_tests::envelope(1),
        )
        .expect("profiles survive the instance being replaced");
}

#[test]
fn exceeding_the_deadline_traps_and_the_next_call_succeeds() {
    let runtime = runtime_with(RuntimeConfig {
        call_deadline: Duration::from_millis(1),
        epoch_tick: Duration::from_millis(1),
        ..RuntimeConfig::default()
    });
    let mut worker = runtime.worker();
    let document = large_order_message(9 << 20);
    match worker.cxml_read_order_message(document.as_bytes()) {
        Err(CallError::Trap(message)) => assert!(message.contains("interrupt"), "{message}"),
        other => panic!("expected a trap at the deadline, got {other:?}"),
    }
    // A fresh worker with the default budget reads the same document.
    let mut healthy = runtime_with(RuntimeConfig::default()).worker();
    assert!(healthy.cxml_read_order_message(document.as_bytes()).is_ok());
}

#[test]
fn the_largest_allowed_document_fits_the_default_budget_twice() {
    let mut worker = runtime().worker();
    let document = large_order_message(10 << 20);
    assert!(document.len() <= 10 << 20);
    let read = worker
        .cxml_read_order_message(document.as_bytes())
        .expect("a 10 MiB message is read");
    assert!(read.lines.len() > 5_000);
    let peak = worker.guest_memory_peak_bytes();
    let cap = RuntimeConfig::default().memory_limit_bytes;
    eprintln!(
        "peak guest memory for a {} byte message: {peak} bytes",
        document.len()
    );
    assert!(
        peak * 2 <= cap,
        "peak guest memory {peak} bytes leaves no 2x margin under the cap of {cap}"
    );
}

#[test]
fn a_document_over_the_size_limit_is_rejected_not_trapped() {
    let mut worker = runtime().worker();
    let document = large_order_message((10 << 20) + 4096);
    match worker.cxml_read_order_message(document.as_bytes()) {
        Err(CallError::Rejected(error)) => {
            assert_eq!(error.code(), punchout_plugin::ErrorCode::LimitExceeded)
        }
        other => panic!("expected a rejected document, got {other:?}"),
    }
    small_call_succeeds(&mut worker);
}

#[test]
fn fresh_instances_per_call_give_the_same_answers() {
    let runtime = runtime_with(RuntimeConfig {
        instance_mode: InstanceMode::FreshPerCall,
        ..RuntimeConfig::default()
    });
    let mut worker = runtime.worker();
    let mut profile = worker
        .compile_profile(&sample("cxml-buyer-profile.json"), &sample_secrets())
        .unwrap();
    let request = sample("cxml-setup-request.xml");
    for n in 0..3 {
        let accepted = worker
            .cxml_setup(
                &mut profile,
                request.as_bytes(),
                "https://shop.example.com/start",
                &punchout_tests::envelope(n),
            )
            .unwrap();
        assert_eq!(accepted.session.buyer_id, "acme-ariba");
    }
}
