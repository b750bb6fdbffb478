//! The PunchOut engine core: the protocols a B2B shop speaks with its buyers' e-procurement
//! systems, as pure functions over bytes, carts and buyer profiles.
//!
//! - [`profile::BuyerProfile`]: a buyer's settings, compiled once from the integrator's JSON.
//! - [`cxml`]: `PunchOutSetupRequest` → `PunchOutSetupResponse`, cart → `PunchOutOrderMessage`
//!   and its browser form, and the message read back.
//! - [`xml`]: the one XML layer every parser uses, with positions, element paths and the limits
//!   that keep hostile documents bounded in time and memory.
//! - [`error::Error`]: every refusal, with a stable code and a location.
//!
//! The same code runs natively (this rlib) and as a WebAssembly component (`component.rs`, built
//! with `cargo build -p punchout-plugin --target wasm32-wasip2 --release`).
//!
//! ```
//! use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
//!
//! let profile = BuyerProfile::compile(
//!     r#"{"id": "acme", "name": "ACME", "protocol": "cxml",
//!         "authentication": {"credentials": [{"domain": "NetworkID", "identity": "AN01"}],
//!                            "shared_secret": {"secret": "ACME_SECRET"}},
//!         "return_urls": ["https://buyer.example.com/punchout/"]}"#,
//!     &[ResolvedSecret { name: "ACME_SECRET".into(), value: Secret::new("s3cr3t") }],
//! )?;
//! assert_eq!(profile.id(), "acme");
//! # Ok::<(), punchout_plugin::error::Error>(())
//! ```
// The core holds no unsafe code; only the generated component bindings need it.
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]
// A panic in the guest is a trap in the shop: arithmetic that input reaches is checked or
// saturating, and this lint keeps it so (tests may use plain arithmetic).
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod cart_json;
pub mod cxml;
pub mod decimal_text;
pub mod error;
pub mod limits;
pub mod mapping;
pub mod model;
pub mod oci;
pub mod order;
pub mod peppol;
pub mod profile;
pub mod xml;

#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod component;

pub use error::{Error, ErrorCode, Location, Result};
