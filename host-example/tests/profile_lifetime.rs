//! A compiled profile lives in the engine instance only as long as the host keeps it.

mod common;

use punchout_host::prelude::*;
use punchout_host::{Runtime, RuntimeConfig};

/// A host that recompiles its profiles (on every change of a profile file, say) on one
/// long-lived instance: each profile the host drops is dropped inside the instance too, so the
/// instance's memory stays where it was. Before, every compile kept about 4.5 KB for good.
#[test]
fn profiles_the_host_drops_do_not_stay_in_a_reused_instance() {
    let runtime = Runtime::from_file(&common::component(), RuntimeConfig::default())
        .expect("the component loads");
    let mut worker = runtime.worker();
    let json = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cxml-buyer-profile.json"),
    )
    .expect("sample profile");
    let secrets = [("ACME_ARIBA_SHARED_SECRET".to_owned(), "s3cr3t".to_owned())];
    let compile_and_drop = |worker: &mut punchout_host::Worker, times: usize| {
        for _ in 0..times {
            let profile = worker.compile_profile(&json, &secrets).expect("compiles");
            drop(profile);
        }
    };
    compile_and_drop(&mut worker, 50);
    let settled = worker.guest_memory_peak_bytes();
    compile_and_drop(&mut worker, 2_000);
    let after = worker.guest_memory_peak_bytes();
    assert!(
        after <= settled + (256 << 10),
        "the instance grew from {settled} to {after} bytes over 2 000 profiles compiled and dropped"
    );
}
