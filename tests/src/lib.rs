//! Shared helpers of the conformance tests: where the specification folder, the component and the
//! fixtures are, the validators, and one runtime per test binary.
//!
//! Missing prerequisites fail the test with a message saying what to do; nothing is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use punchout_host::{Runtime, RuntimeConfig};

pub mod both;
pub mod peppol;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The specification folder: `$PUNCHOUT_SPEC_DIR`, else `../shared/spec` beside the project.
///
/// # Panics
/// When the folder is missing: the tests that need it cannot run, and say so.
pub fn spec_dir() -> PathBuf {
    let dir = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/spec"));
    assert!(
        dir.join("cxml/1.2.069/cXML.dtd").is_file(),
        "specification folder `{}` is missing: place shared/spec beside the project or set PUNCHOUT_SPEC_DIR",
        dir.display()
    );
    dir
}

/// The cXML 1.2.069 DTD.
pub fn cxml_dtd() -> PathBuf {
    spec_dir().join("cxml/1.2.069/cXML.dtd")
}

/// A file of the bundled sample data (`host-example/samples`).
pub fn sample(name: &str) -> String {
    let path = workspace().join("host-example/samples").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read sample `{}`: {error}", path.display()))
}

/// The demo's resolved secrets.
pub fn sample_secrets() -> Vec<(String, String)> {
    serde_json::from_str::<std::collections::BTreeMap<String, String>>(&sample("demo-secrets.json"))
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// The engine component: `$PUNCHOUT_COMPONENT`, else the workspace's release build.
///
/// # Panics
/// When it has not been built (`cargo xtask build`).
pub fn component_path() -> PathBuf {
    let path = std::env::var_os("PUNCHOUT_COMPONENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/wasm32-wasip2/release/punchout_plugin.wasm"));
    assert!(
        path.is_file(),
        "the engine component `{}` is missing: run `cargo xtask build` (or `cargo xtask test`)",
        path.display()
    );
    path
}

/// One runtime per test binary, with default budgets (compiling the component takes a while).
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| runtime_with(RuntimeConfig::default()))
}

/// A runtime with particular budgets.
pub fn runtime_with(config: RuntimeConfig) -> Runtime {
    let bytes = std::fs::read(component_path()).unwrap_or_default();
    Runtime::from_bytes(&bytes, config)
        .unwrap_or_else(|error| panic!("cannot load the component: {error:#}"))
}

/// Validates a cXML document against the 1.2.069 DTD with xmllint (never fetching anything).
///
/// # Errors
/// xmllint's report when the document is invalid.
///
/// # Panics
/// When xmllint is not installed (`apt-get install libxml2-utils`).
pub fn validate_cxml(document: &str) -> Result<(), String> {
    let dir = tempdir();
    let file = dir.join(format!("doc-{}.xml", unique()));
    std::fs::write(&file, document).map_err(|error| error.to_string())?;
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--dtdvalid")
        .arg(cxml_dtd())
        .arg(&file)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run xmllint (apt-get install libxml2-utils): {error}")
        });
    let _ = std::fs::remove_file(&file);
    // --nonet makes xmllint warn that it did not load the DOCTYPE's URL; validity is the exit code.
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The cXML 1.2.069 DTD for fulfilment documents (`ConfirmationRequest`, `ShipNoticeRequest`).
pub fn fulfill_dtd() -> PathBuf {
    spec_dir().join("cxml/1.2.069/Fulfill.dtd")
}

/// The cXML 1.2.069 DTD for `InvoiceDetailRequest`.
pub fn invoice_dtd() -> PathBuf {
    spec_dir().join("cxml/1.2.069/InvoiceDetail.dtd")
}

/// Validates many cXML documents with one xmllint run (for property tests).
///
/// # Errors
/// xmllint's report, naming the files, when any document is invalid.
///
/// # Panics
/// When xmllint is not installed.
pub fn validate_cxml_batch(documents: &[String]) -> Result<(), String> {
    validate_batch_against(documents, &cxml_dtd())
}

/// Validates many documents against one DTD (`cxml_dtd()`, `fulfill_dtd()`, `invoice_dtd()`)
/// with one xmllint run.
///
/// # Errors
/// xmllint's report, naming the files, when any document is invalid.
///
/// # Panics
/// When xmllint is not installed.
pub fn validate_batch_against(documents: &[String], dtd: &Path) -> Result<(), String> {
    if documents.is_empty() {
        return Ok(());
    }
    let dir = tempdir().join(format!("batch-{}", unique()));
    std::fs::create_dir_all(&dir).map_err(|error| error.to_string())?;
    let mut files = Vec::with_capacity(documents.len());
    for (index, document) in documents.iter().enumerate() {
        let file = dir.join(format!("doc-{index}.xml"));
        std::fs::write(&file, document).map_err(|error| error.to_string())?;
        files.push(file);
    }
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--dtdvalid")
        .arg(dtd)
        .args(&files)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run xmllint (apt-get install libxml2-utils): {error}")
        });
    let report = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    } else {
        Err(format!("in {}: {report}", dir.display()))
    }
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join("punchout-tests");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fixed envelope, so that documents compare equal between runs.
pub fn envelope(n: u32) -> punchout_plugin::model::Envelope {
    punchout_plugin::model::Envelope {
        payload_id: format!("1764061200.{n}.test@shop.example.com"),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    }
}
