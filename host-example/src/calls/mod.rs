//! The engine's calls as Rust traits, one per WIT interface, each implemented by the component
//! ([`crate::Worker`], in the runtime's module of the same name) and by the core run natively
//! ([`Native`], beside the trait): for comparing the component with the native crate
//! (`punchout --native`, the benchmarks and the equivalence tests).
//!
//! - [`ConfigCalls`]: buyer profiles compiled, checked, extended and previewed; it names the
//!   compiled profile's type, which the other interfaces take.
//! - [`CxmlCalls`]: cXML setup, identification, error responses, cart return, order message.
//! - [`OciCalls`]: SAP OCI call-up, cart pages, `FUNCTION` replies, the form read back.
//! - [`OrderCalls`]: purchase orders read, reconciled and checked for redelivery; the
//!   confirmation, ship notice and invoice.
//! - [`PeppolCalls`]: the Peppol BIS Punch Out cart (T77) and its delivery.
//! - [`EngineCalls`]: every interface at once, for code that runs the whole engine (the JSON
//!   bridge, the CLI).
//!
//! Bring them into scope with `use punchout_host::prelude::*;`.

mod config;
mod cxml;
mod oci;
mod orders;
mod peppol;

pub use config::ConfigCalls;
pub use cxml::{CartReturn, CxmlCalls};
pub use oci::{OciCalls, OciPageKind};
pub use orders::OrderCalls;
pub use peppol::{PeppolCalls, PeppolCartReturn};

/// Every interface of the engine's world, implemented by anything that implements each.
pub trait EngineCalls: ConfigCalls + CxmlCalls + OciCalls + OrderCalls + PeppolCalls {}

impl<T: ConfigCalls + CxmlCalls + OciCalls + OrderCalls + PeppolCalls> EngineCalls for T {}

/// The core called directly, without WebAssembly.
#[derive(Debug, Default)]
pub struct Native;
