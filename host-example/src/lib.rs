//! Runs the PunchOut engine component under wasmtime.
//!
//! - [`Runtime`]: the component loaded and linked once (`Engine`, `Component`, `InstancePre`);
//!   cheap to clone and share between threads.
//! - [`Worker`]: one thread's calls. Each call runs in a `Store` with a memory cap and an epoch
//!   deadline, on a warm instance ([`InstanceMode::Reuse`]) or a fresh one per call
//!   ([`InstanceMode::FreshPerCall`]). A trap never leaves a broken instance behind: the next call
//!   runs on a new one.
//! - [`CallError`]: a call either returns, or the engine *rejected* the input (a typed
//!   [`punchout_plugin::Error`], the normal answer to bad input), or the guest *trapped* (a bug or
//!   an exhausted budget; the instance is discarded).
//! - [`bridge`]: the same calls with JSON in and out, for hosts in other languages.
//! - [`profile_file`]: a buyer profile read from its file, `extends` resolved from its folder,
//!   errors located in the file each value comes from (the CLI, the bridge and the PHP host).
//! - [`precompiled`]: the compiled component kept on disk (the native host core's `.cwasm`, the
//!   CLI's cache), checked by digest before it is loaded.
//!
//! The typed API speaks the core's own types ([`punchout_plugin::model`]), so that the same
//! calls can run natively ([`Native`]) and through the component and be compared. Call it
//! through the traits: `use punchout_host::prelude::*;`.
//!
//! # Layout
//!
//! The crate is laid out like its contract, as wasmtime lays out its WASI host: every floor has
//! one module per WIT interface, named like it (`config`, `cxml`, `oci`, `orders`, `peppol`), and no
//! protocol is a file-name suffix.
//!
//! | floor | modules | what |
//! |---|---|---|
//! | `calls/` | `mod.rs`, `config.rs`, `cxml.rs`, `oci.rs`, `orders.rs`, `peppol.rs` | one trait per interface ([`ConfigCalls`], [`CxmlCalls`], [`OciCalls`], [`OrderCalls`], [`PeppolCalls`]; [`EngineCalls`] is all of them) and its native implementation ([`Native`]) |
//! | `runtime/` | `mod.rs` (engine, pool, [`Worker`], instances, limits), `types.rs`, `config.rs`, `cxml.rs`, `oci.rs`, `orders.rs`, `peppol.rs` | the traits implemented by the component, each interface with the conversions of its WIT records |
//! | [`bridge`] | `mod.rs`, `config.rs`, `cxml.rs`, `oci.rs`, `orders.rs`, `peppol.rs` | the JSON bridge: each function declared once (name, input, handler, documented shapes), giving the dispatch and [`bridge::FUNCTIONS`], the C ABI's function table |
//! | `cli/` (binary) | `mod.rs`, `config.rs`, `cxml.rs`, `oci.rs`, `orders.rs`, `peppol.rs` | the `punchout` commands; `main.rs` only starts them |
//! | `demo/` (binary) | `mod.rs`, `cxml.rs`, `oci.rs`, `orders.rs` | `punchout demo`, one round trip per protocol |
//! | [`serve`] (feature `serve`) | `mod.rs`, `shop.rs`, `procurement.rs`, `buyer/`, `engine.rs`, `catalog.rs`, `store/` | `punchout serve`: the demo shop, the procurement system's pages over the buyer library, and the store on SQLite or PostgreSQL |
//!
//! One engine function is written in three places: its trait method with the native
//! implementation (`calls/`), the component's implementation (`runtime/`), and its bridge
//! declaration with its handler (`bridge/`); the C ABI's table follows, and the CLI and the host
//! packages add a command or a method where one helps.

pub mod bridge;
pub mod calls;
pub mod precompiled;
pub mod profile_file;
pub mod report;
mod runtime;
#[cfg(feature = "serve")]
pub mod serve;

pub use calls::{
    CartReturn, ConfigCalls, CxmlCalls, EngineCalls, Native, OciCalls, OciPageKind, OrderCalls,
    PeppolCalls, PeppolCartReturn,
};
pub use runtime::{
    new_engine, new_engine_for, new_engine_with, CallError, InstanceMode, MemoryLayout, Profile,
    Runtime, RuntimeConfig, Worker, POOLED_INSTANCES,
};

/// The engine's call traits, to call them on a [`Worker`] or [`Native`]:
/// `use punchout_host::prelude::*;`.
pub mod prelude {
    pub use crate::calls::{
        ConfigCalls, CxmlCalls, EngineCalls, OciCalls, OrderCalls, PeppolCalls,
    };
}

/// A `payloadID` and timestamp for a new document, unique per process and host name.
pub fn new_envelope(domain: &str) -> punchout_plugin::model::Envelope {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    punchout_plugin::model::Envelope {
        payload_id: format!(
            "{}.{}.{}.{count}@{domain}",
            now.as_secs(),
            now.subsec_micros(),
            std::process::id()
        ),
        timestamp: rfc3339_utc(now.as_secs()),
    }
}

/// Formats seconds since 1970 as `YYYY-MM-DDThh:mm:ss+00:00`.
pub fn rfc3339_utc(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(super::rfc3339_utc(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(
            super::rfc3339_utc(1_700_000_000),
            "2023-11-14T22:13:20+00:00"
        );
        assert_eq!(super::rfc3339_utc(951_782_400), "2000-02-29T00:00:00+00:00");
    }
}
