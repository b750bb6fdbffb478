//! `punchout demo`: the round trips on bundled sample data, one module per protocol, each step
//! printed and every document optionally written to a directory.

use std::path::Path;
use std::process::ExitCode;

use punchout_host::EngineCalls;

mod cxml;
mod oci;
mod orders;
mod peppol;

/// Runs the cXML round trip and its order leg, the OCI round trip, then the Peppol path.
///
/// # Errors
/// When a step fails or a document does not read back as it went out.
pub fn run<E>(engine: &mut E, out: Option<&Path>) -> anyhow::Result<ExitCode>
where
    E: EngineCalls,
{
    let (code, returned) = cxml::run(engine, out)?;
    orders::run(engine, returned, out)?;
    oci::run(engine, out)?;
    peppol::run(engine, out)?;
    Ok(code)
}
