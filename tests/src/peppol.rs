//! The Peppol validators: the UBL 2.1 XSD (xmllint) and the official BIS schematron of release
//! 2026.5 (the compiled XSLT, run by Saxon-HE from Debian's `libsaxonhe-java`).
//!
//! Both run once over a whole batch of documents: Saxon's start-up and the stylesheet's compile
//! cost about two seconds, so property tests write their documents to one folder and validate
//! them in one run.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{spec_dir, tempdir, unique};

// The SVRL reading and the Saxon workaround are the buyer simulator's, which judges returned
// carts with the same schematron.
pub use punchout_host::serve::buyer::verdict::validators::{
    beyond_bmp_as_references, failed_asserts, FailedAssert,
};

/// A Peppol transaction: which UBL schema and which schematron apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transaction {
    /// T77, the BIS Punch Out cart: a UBL `Catalogue`.
    PunchOutCart,
    /// T01, the Peppol Order: a UBL `Order`.
    Order,
    /// T76, the Order Response: a UBL `OrderResponse`.
    OrderResponse,
}

impl Transaction {
    fn schema(self) -> PathBuf {
        let file = match self {
            Transaction::PunchOutCart => "UBL-Catalogue-2.1.xsd",
            Transaction::Order => "UBL-Order-2.1.xsd",
            Transaction::OrderResponse => return order_response_schema(),
        };
        spec_dir().join("peppol/ubl-2.1-xsd/maindoc").join(file)
    }

    fn schematron(self) -> PathBuf {
        let file = match self {
            Transaction::PunchOutCart => "PEPPOLBIS-T77.xslt",
            Transaction::Order => "PEPPOLBIS-T01.xslt",
            Transaction::OrderResponse => "PEPPOLBIS-T76.xslt",
        };
        spec_dir().join("peppol/compiled-2026.5").join(file)
    }
}

/// The `OrderResponse` schema as OASIS published it in UBL 2.1 (2013), where `cac:OrderLine` is
/// optional (0..n). The specification folder holds an earlier draft of that one file (copyright
/// 2001-2010) that requires a line, which no T76 answering the whole order could meet: the BIS
/// forbids lines with codes `AP` and `RE` (PEPPOL-T76-R008, R009), and Peppol's own validator
/// (phive, with ph-ubl's UBL 2.1 schemas) reads the 0..n schema. The draft is copied beside the
/// temporary documents with that one cardinality corrected and its imports pointing at the
/// specification folder's common modules; any other difference fails here, loudly.
fn order_response_schema() -> PathBuf {
    let maindoc = spec_dir().join("peppol/ubl-2.1-xsd/maindoc");
    let draft = std::fs::read_to_string(maindoc.join("UBL-OrderResponse-2.1.xsd"))
        .unwrap_or_else(|error| panic!("UBL-OrderResponse-2.1.xsd: {error}"));
    const DRAFT_LINE: &str =
        r#"<xsd:element ref="cac:OrderLine" minOccurs="1" maxOccurs="unbounded">"#;
    const PUBLISHED_LINE: &str =
        r#"<xsd:element ref="cac:OrderLine" minOccurs="0" maxOccurs="unbounded">"#;
    assert!(
        draft.matches(DRAFT_LINE).count() == 1 || draft.matches(PUBLISHED_LINE).count() == 1,
        "UBL-OrderResponse-2.1.xsd changed: expected one `cac:OrderLine` element"
    );
    let common = spec_dir().join("peppol/ubl-2.1-xsd/common");
    let published = draft
        .replace(DRAFT_LINE, PUBLISHED_LINE)
        .replace("\"../common/", &format!("\"{}/", common.display()));
    let path = tempdir().join(format!("UBL-OrderResponse-2.1-{}.xsd", unique()));
    std::fs::write(&path, published).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    path
}

/// Saxon-HE's jar, as Debian's `libsaxonhe-java` installs it.
pub fn saxon_jar() -> PathBuf {
    PathBuf::from(punchout_host::serve::buyer::verdict::validators::SAXON_JAR)
}

/// Validates documents against the transaction's UBL 2.1 schema and its official schematron.
///
/// # Errors
/// Every document's schema errors and fatal schematron asserts (rule id, location and text), with
/// the folder holding the documents, when any document is invalid.
///
/// # Panics
/// When xmllint, Java or Saxon-HE is not installed (`cargo xtask test` installs them).
pub fn validate_peppol_batch(transaction: Transaction, documents: &[String]) -> Result<(), String> {
    if documents.is_empty() {
        return Ok(());
    }
    let dir = tempdir().join(format!("peppol-{}", unique()));
    let reports = dir.join("svrl");
    std::fs::create_dir_all(&reports).map_err(|error| error.to_string())?;
    let mut files = Vec::with_capacity(documents.len());
    for (index, document) in documents.iter().enumerate() {
        let file = dir.join(format!("doc-{index:04}.xml"));
        std::fs::write(&file, document).map_err(|error| error.to_string())?;
        files.push(file);
    }
    let mut problems = Vec::new();
    if let Err(report) = schema_valid(transaction, &files) {
        problems.push(report);
    }
    problems.extend(fatal_asserts(transaction, &dir, &reports, &files)?);
    if problems.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    } else {
        Err(format!("in {}:\n{}", dir.display(), problems.join("\n")))
    }
}

/// Validates one document (see [`validate_peppol_batch`]).
///
/// # Errors
/// The schema errors and fatal schematron asserts.
pub fn validate_peppol(transaction: Transaction, document: &str) -> Result<(), String> {
    validate_peppol_batch(transaction, &[document.to_owned()])
}

fn schema_valid(transaction: Transaction, files: &[PathBuf]) -> Result<(), String> {
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(transaction.schema())
        .args(files)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run xmllint (apt-get install libxml2-utils): {error}")
        });
    if output.status.success() {
        Ok(())
    } else {
        let report = String::from_utf8_lossy(&output.stderr);
        Err(report
            .lines()
            .filter(|line| !line.ends_with(" validates"))
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// Runs the schematron over every file of `dir` in one Saxon run and returns each fatal assert.
fn fatal_asserts(
    transaction: Transaction,
    dir: &Path,
    reports: &Path,
    files: &[PathBuf],
) -> Result<Vec<String>, String> {
    let jar = saxon_jar();
    assert!(
        jar.is_file(),
        "Saxon-HE is missing at `{}` (apt-get install libsaxonhe-java default-jre-headless)",
        jar.display()
    );
    // Saxon transforms every file of a source folder into a like-named file of the output folder.
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources).map_err(|error| error.to_string())?;
    for file in files {
        let name = file.file_name().unwrap_or_default();
        let text = std::fs::read_to_string(file).map_err(|error| error.to_string())?;
        std::fs::write(sources.join(name), beyond_bmp_as_references(&text))
            .map_err(|error| error.to_string())?;
    }
    let output = Command::new("java")
        .arg("-cp")
        .arg(&jar)
        .arg("net.sf.saxon.Transform")
        .arg(format!("-s:{}", sources.display()))
        .arg(format!("-xsl:{}", transaction.schematron().display()))
        .arg(format!("-o:{}", reports.display()))
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run java (apt-get install default-jre-headless): {error}")
        });
    if !output.status.success() {
        return Err(format!(
            "Saxon failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut fatal = Vec::new();
    for file in files {
        let name = file.file_name().unwrap_or_default();
        let svrl = std::fs::read_to_string(reports.join(name))
            .map_err(|error| format!("no schematron report for {}: {error}", file.display()))?;
        for assert in failed_asserts(&svrl) {
            if assert.flag == "fatal" {
                fatal.push(format!(
                    "{}: [{}] {} at {}",
                    file.display(),
                    assert.id,
                    assert.text,
                    assert.location
                ));
            }
        }
    }
    Ok(fatal)
}
