//! The specifications' own validators, run as child processes: xmllint for the cXML DTD and
//! the UBL 2.1 schema, Saxon-HE (Debian's `libsaxonhe-java`) for the Peppol schematron. Each
//! report is read back into findings placed at the element the validator names, with the
//! element's path and its line and column in our own parse of the document.
//!
//! Documents reach a validator only after the engine's XML layer has read them, which refuses
//! any internal DTD subset, entity declaration or (UBL) DOCTYPE: the validators never see a
//! document that could make them expand or fetch anything, and xmllint runs with `--nonet`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use punchout_plugin::model::shorten;
use punchout_plugin::xml::{split_name, Element};

use super::{Check, Finding, Severity, Validators};

/// The Saxon-HE jar as Debian installs it.
pub const SAXON_JAR: &str = "/usr/share/java/Saxon-HE.jar";

/// The cXML version the DTD is taken from when the document names none the folder has.
const NEWEST_CXML: &str = "1.2.069";

/// A folder for one validation's files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    /// A new folder under the system's temporary folder. It must not exist yet: a folder (or
    /// link) another user placed under a predictable name is never written into.
    fn new() -> std::io::Result<Self> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let mut attempts = 0u32;
        loop {
            let dir = std::env::temp_dir().join(format!(
                "punchout-buyer-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Scratch(dir)),
                Err(error)
                    if error.kind() == std::io::ErrorKind::AlreadyExists && attempts < 100 =>
                {
                    attempts = attempts.saturating_add(1);
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let path = self.0.join(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The specification folder, or why a check cannot run without it.
fn spec_dir<'a>(validators: &'a Validators, wanted: &str) -> Result<&'a Path, String> {
    match &validators.spec_dir {
        None => Err(format!(
            "no specification folder given (set `PUNCHOUT_SPEC_DIR`): {wanted} not checked"
        )),
        Some(dir) if !dir.is_dir() => Err(format!(
            "the specification folder `{}` does not exist: {wanted} not checked",
            dir.display()
        )),
        Some(dir) => Ok(dir),
    }
}

/// A validator's report, or why it could not run.
fn run(command: &mut Command, tool: &str, package: &str) -> Result<std::process::Output, String> {
    command
        .output()
        .map_err(|error| format!("cannot run {tool} (Debian package `{package}`): {error}"))
}

/// Runs xmllint (`--dtdvalid DTD` or `--schema XSD`) on `file` and places what it reports.
/// xmllint reports as it goes: after [`MAX_VALIDATOR_FINDINGS`] problems it is stopped, so that
/// a document broken on every one of its 10 000 lines costs a moment, not the seconds libxml2
/// takes to report them all.
///
/// # Errors
/// Why xmllint could not run.
fn xmllint(
    mode: &str,
    grammar: &Path,
    file: &Path,
    root: &Element,
) -> Result<Vec<Finding>, String> {
    use std::io::BufRead as _;
    let mut child = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg(mode)
        .arg(grammar)
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run xmllint (Debian package `libxml2-utils`): {error}"))?;
    let prefix = format!("{}:", file.display());
    let mut report = String::new();
    let mut problems = 0usize;
    let mut stopped = false;
    if let Some(stderr) = child.stderr.take() {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line.starts_with(&prefix) && line.contains(" error : ") {
                problems = problems.saturating_add(1);
                if problems > MAX_VALIDATOR_FINDINGS {
                    stopped = true;
                    let _ = child.kill();
                    break;
                }
            }
            report.push_str(&line);
            report.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("xmllint failed: {error}"))?;
    if status.success() && !stopped {
        return Ok(Vec::new());
    }
    let index = ElementIndex::new(root);
    let reported = xmllint_report(&report, file);
    let mut findings: Vec<Finding> = reported
        .iter()
        .map(|reported| place(reported, &index, Severity::Error))
        .collect();
    if stopped {
        findings.push(Finding::error(
            format!("more problems: validation stopped after the first {MAX_VALIDATOR_FINDINGS}"),
            "/",
        ));
    } else if findings.is_empty() {
        findings.push(Finding::error(
            format!("xmllint refused the document: {}", shorten(report.trim())),
            "/",
        ));
    }
    Ok(findings)
}

/// One problem a validator reported: the line it names, the element's local name if it names
/// one, and its message.
#[derive(Debug, PartialEq, Eq)]
struct Reported {
    line: Option<u32>,
    element: Option<String>,
    message: String,
}

/// Reads xmllint's report: `FILE:LINE: element NAME: validity error : MESSAGE` (DTD) or
/// `FILE:LINE: element NAME: Schemas validity error : MESSAGE` (XSD), and parser errors. The
/// warnings `--nonet` causes about the DOCTYPE's address and the source excerpts are skipped.
fn xmllint_report(stderr: &str, file: &Path) -> Vec<Reported> {
    let prefix = format!("{}:", file.display());
    let mut found = Vec::new();
    for text in stderr.lines() {
        let Some(rest) = text.strip_prefix(&prefix) else {
            continue;
        };
        let Some((line, rest)) = rest.split_once(": ") else {
            continue;
        };
        if rest.starts_with("warning:") {
            continue;
        }
        let (element, message) = match rest.strip_prefix("element ") {
            Some(named) => match named.split_once(": ") {
                Some((name, message)) => (Some(name.to_owned()), message),
                None => (None, rest),
            },
            None => (None, rest),
        };
        let message = message
            .split_once(" error : ")
            .map_or(message, |(_, message)| message)
            .trim();
        found.push(Reported {
            line: line.parse().ok(),
            element,
            message: message.to_owned(),
        });
    }
    found
}

/// Every element of the tree with its path, indexed where siblings share a name (and always
/// for the cart's lines, `ItemIn` and `CatalogueLine`), in document order.
pub(super) fn indexed_elements(root: &Element) -> Vec<(&Element, String)> {
    let mut found = Vec::new();
    let mut stack: Vec<(&Element, String)> = vec![(root, format!("/{}", root.name()))];
    while let Some((element, path)) = stack.pop() {
        let mut children = Vec::new();
        // Per name: how many children have it, and how many were seen so far (one pass each,
        // so an element with 10 000 lines costs 10 000 steps, not their square).
        let mut totals: HashMap<&str, usize> = HashMap::new();
        for child in element.elements() {
            let total = totals.entry(child.name()).or_default();
            *total = total.saturating_add(1);
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for child in element.elements() {
            let name = child.name();
            let total = totals.get(name).copied().unwrap_or_default();
            let index = seen.entry(name).or_default();
            *index = index.saturating_add(1);
            let index = *index;
            let always = matches!(split_name(name).1, "ItemIn" | "CatalogueLine");
            let child_path = if total > 1 || always {
                format!("{path}/{name}[{index}]")
            } else {
                format!("{path}/{name}")
            };
            children.push((child, child_path));
        }
        stack.extend(children.into_iter().rev());
        found.push((element, path));
    }
    found
}

/// The most findings one validator's check lists; the rest are counted in one more finding.
pub const MAX_VALIDATOR_FINDINGS: usize = 100;

/// The validator's findings, at most [`MAX_VALIDATOR_FINDINGS`] of them placed (placing one
/// searches the document's elements), then one finding counting the rest.
fn placed<T>(reported: &[T], place: impl Fn(&T) -> Finding) -> Vec<Finding> {
    let mut findings: Vec<Finding> = reported
        .iter()
        .take(MAX_VALIDATOR_FINDINGS)
        .map(place)
        .collect();
    if reported.len() > MAX_VALIDATOR_FINDINGS {
        findings.push(Finding::error(
            format!(
                "{} more problems not listed",
                reported.len().saturating_sub(MAX_VALIDATOR_FINDINGS)
            ),
            "/",
        ));
    }
    findings
}

/// The elements by local name, each list in document order (so by ascending line).
struct ElementIndex<'a> {
    elements: Vec<(&'a Element, String)>,
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a> ElementIndex<'a> {
    fn new(root: &'a Element) -> Self {
        let elements = indexed_elements(root);
        let mut by_name: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (position, (element, _)) in elements.iter().enumerate() {
            by_name
                .entry(split_name(element.name()).1)
                .or_default()
                .push(position);
        }
        ElementIndex { elements, by_name }
    }

    /// The last element named `name` starting on or before `line` (any line when `None`).
    fn last_before(&self, name: &str, line: Option<u32>) -> Option<&(&'a Element, String)> {
        let positions = self.by_name.get(name)?;
        let end = match line {
            Some(line) => positions.partition_point(|&position| {
                self.elements
                    .get(position)
                    .is_some_and(|(element, _)| element.line() <= line)
            }),
            None => positions.len(),
        };
        positions
            .get(end.checked_sub(1)?)
            .and_then(|&position| self.elements.get(position))
    }
}

/// A reported problem as a finding: at the last element of that local name starting on or
/// before the reported line (validators report content errors where the element ends).
fn place(reported: &Reported, index: &ElementIndex<'_>, severity: Severity) -> Finding {
    let element = reported
        .element
        .as_deref()
        .and_then(|name| index.last_before(split_name(name).1, reported.line));
    match element {
        Some((element, path)) => Finding {
            severity,
            message: reported.message.clone(),
            location: path.clone(),
            line: Some(element.line()),
            column: Some(element.column()),
        },
        None => Finding {
            severity,
            message: reported.message.clone(),
            location: reported
                .line
                .map_or_else(String::new, |line| format!("line {line}")),
            line: reported.line,
            column: None,
        },
    }
}

/// The DTD for a DOCTYPE's system identifier: `(version, file)` when it names one in the form
/// `…/cXML/1.2.069/cXML.dtd`. Both parts are checked so that the identifier cannot lead out of
/// the specification folder.
fn dtd_named(system_id: &str) -> Option<(&str, &str)> {
    let mut parts = system_id.rsplit('/');
    let file = parts.next()?;
    let version = parts.next()?;
    let file_ok = file
        .strip_suffix(".dtd")
        .is_some_and(|stem| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_alphanumeric()));
    let version_ok = version.split('.').count() == 3
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    (file_ok && version_ok).then_some((version, file))
}

/// The cXML DTD check: xmllint `--dtdvalid` with the DTD of the version the DOCTYPE names (else
/// the newest the folder has, with a warning saying so).
pub(super) fn cxml_dtd(
    document: &[u8],
    system_id: Option<&str>,
    root: &Element,
    validators: &Validators,
) -> Check {
    const NAME: &str = super::cxml::DTD;
    let dir = match spec_dir(validators, "the cXML DTD") {
        Ok(dir) => dir.join("cxml"),
        Err(reason) => return Check::not_run(NAME, reason),
    };
    let mut findings = Vec::new();
    let named = system_id.and_then(dtd_named);
    let (version, file) = named.unwrap_or((NEWEST_CXML, "cXML.dtd"));
    let mut dtd = dir.join(version).join(file);
    match (system_id, named) {
        (None, _) => findings.push(Finding::warning(
            format!("the document has no DOCTYPE: validated against the cXML {NEWEST_CXML} DTD"),
            "/",
        )),
        (Some(id), None) => findings.push(Finding::warning(
            format!(
                "the DOCTYPE names no cXML DTD (`{}`): validated against the cXML {NEWEST_CXML} DTD",
                shorten(id)
            ),
            "/",
        )),
        _ => {}
    }
    if !dtd.is_file() {
        let newest = dir.join(NEWEST_CXML).join(file);
        if !newest.is_file() {
            return Check::not_run(
                NAME,
                format!(
                    "the DTD `{}` is not in the specification folder",
                    dtd.display()
                ),
            );
        }
        findings.push(Finding::warning(
            format!(
                "the specification folder has no DTD for cXML {version}: validated against {NEWEST_CXML}"
            ),
            "/",
        ));
        dtd = newest;
    }
    let scratch = match Scratch::new() {
        Ok(scratch) => scratch,
        Err(error) => {
            return Check::not_run(NAME, format!("cannot write a temporary file: {error}"))
        }
    };
    let file = match scratch.write("cart.xml", document) {
        Ok(file) => file,
        Err(error) => {
            return Check::not_run(NAME, format!("cannot write a temporary file: {error}"))
        }
    };
    match xmllint("--dtdvalid", &dtd, &file, root) {
        Ok(found) => findings.extend(found),
        Err(reason) => return Check::not_run(NAME, reason),
    }
    Check::ran(NAME, findings)
}

/// The UBL 2.1 schema check of a Peppol document (`maindoc` file such as
/// `UBL-Catalogue-2.1.xsd`).
pub(super) fn ubl_schema(
    document: &[u8],
    maindoc: &str,
    root: &Element,
    validators: &Validators,
) -> Check {
    const NAME: &str = super::peppol::SCHEMA;
    let schema = match spec_dir(validators, "the UBL 2.1 schema") {
        Ok(dir) => dir.join("peppol/ubl-2.1-xsd/maindoc").join(maindoc),
        Err(reason) => return Check::not_run(NAME, reason),
    };
    if !schema.is_file() {
        return Check::not_run(
            NAME,
            format!(
                "the schema `{}` is not in the specification folder",
                schema.display()
            ),
        );
    }
    let scratch = match Scratch::new() {
        Ok(scratch) => scratch,
        Err(error) => {
            return Check::not_run(NAME, format!("cannot write a temporary file: {error}"))
        }
    };
    let file = match scratch.write("document.xml", document) {
        Ok(file) => file,
        Err(error) => {
            return Check::not_run(NAME, format!("cannot write a temporary file: {error}"))
        }
    };
    let findings = match xmllint("--schema", &schema, &file, root) {
        Ok(findings) => findings,
        Err(reason) => return Check::not_run(NAME, reason),
    };
    Check::ran(NAME, findings)
}

/// One `svrl:failed-assert` of a schematron report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedAssert {
    pub id: String,
    pub flag: String,
    /// The XPath the schematron reports, such as
    /// `/*:Catalogue[namespace-uri()='…'][1]/*:CatalogueLine[namespace-uri()='…'][2]`.
    pub location: String,
    pub text: String,
}

/// The failed asserts of an SVRL report (Saxon spreads a failed assert's attributes over
/// several lines: the report is read as XML text, never line by line).
pub fn failed_asserts(svrl: &str) -> Vec<FailedAssert> {
    let mut found = Vec::new();
    let mut rest = svrl;
    while let Some(start) = rest.find("<svrl:failed-assert") {
        let after = rest.get(start..).unwrap_or_default();
        let end = after.find("</svrl:failed-assert>").unwrap_or(after.len());
        let element = after.get(..end).unwrap_or_default();
        let attribute = |name: &str| {
            let key = format!(" {name}=\"");
            element
                .find(&key)
                .and_then(|at| {
                    let value = element.get(at.saturating_add(key.len())..)?;
                    value.find('"').and_then(|close| value.get(..close))
                })
                .map(unescape)
                .unwrap_or_default()
        };
        let text = element
            .find("<svrl:text>")
            .and_then(|at| {
                let value = element.get(at.saturating_add("<svrl:text>".len())..)?;
                value
                    .find("</svrl:text>")
                    .and_then(|close| value.get(..close))
            })
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        found.push(FailedAssert {
            id: attribute("id"),
            flag: attribute("flag"),
            location: attribute("location"),
            text: unescape(&text),
        });
        rest = after.get(end..).unwrap_or_default();
        if end == 0 {
            break;
        }
    }
    found
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A schematron XPath as `(local name, index)` steps: `/*:Catalogue[namespace-uri()='…'][1]`
/// gives `("Catalogue", 1)`.
fn xpath_steps(location: &str) -> Option<Vec<(String, usize)>> {
    let mut steps = Vec::new();
    let mut rest = location.strip_prefix('/')?;
    while !rest.is_empty() {
        let mut depth = 0usize;
        let mut end = rest.len();
        for (at, character) in rest.char_indices() {
            match character {
                '[' => depth = depth.saturating_add(1),
                ']' => depth = depth.saturating_sub(1),
                '/' if depth == 0 => {
                    end = at;
                    break;
                }
                _ => {}
            }
        }
        let step = rest.get(..end)?;
        rest = rest.get(end..).unwrap_or_default();
        rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_end = step.find('[').unwrap_or(step.len());
        let name = step.get(..name_end)?;
        let name = name.strip_prefix("*:").unwrap_or(name);
        let name = split_name(name).1.to_owned();
        if name.is_empty() || name.starts_with('@') {
            break;
        }
        let index = step
            .rsplit('[')
            .next()
            .and_then(|last| last.strip_suffix(']'))
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(1);
        steps.push((name, index));
    }
    Some(steps)
}

/// The element a schematron XPath names, with its indexed path.
fn resolve_xpath<'a>(
    root: &'a Element,
    elements: &[(&'a Element, String)],
    location: &str,
) -> Option<(&'a Element, String)> {
    let steps = xpath_steps(location)?;
    let mut steps = steps.into_iter();
    let (first, _) = steps.next()?;
    if split_name(root.name()).1 != first {
        return None;
    }
    let mut element = root;
    for (name, index) in steps {
        element = element
            .elements()
            .filter(|child| split_name(child.name()).1 == name)
            .nth(index.checked_sub(1)?)?;
    }
    elements
        .iter()
        .find(|(candidate, _)| std::ptr::eq(*candidate, element))
        .map(|(element, path)| (*element, path.clone()))
}

/// The Peppol schematron check: the compiled XSLT (`PEPPOLBIS-T77.xslt`, …) run by Saxon-HE;
/// fatal asserts are errors, warnings are warnings, each at the element it names.
pub(super) fn peppol_schematron(
    document: &[u8],
    stylesheet: &str,
    root: &Element,
    validators: &Validators,
) -> Check {
    const NAME: &str = super::peppol::SCHEMATRON;
    let xslt = match spec_dir(validators, "the Peppol schematron") {
        Ok(dir) => dir.join("peppol/compiled-2026.5").join(stylesheet),
        Err(reason) => return Check::not_run(NAME, reason),
    };
    if !xslt.is_file() {
        return Check::not_run(
            NAME,
            format!(
                "the schematron `{}` is not in the specification folder",
                xslt.display()
            ),
        );
    }
    if !Path::new(SAXON_JAR).is_file() {
        return Check::not_run(
            NAME,
            format!(
                "Saxon-HE is not installed at `{SAXON_JAR}` (Debian package `libsaxonhe-java`)"
            ),
        );
    }
    let scratch = match Scratch::new() {
        Ok(scratch) => scratch,
        Err(error) => {
            return Check::not_run(NAME, format!("cannot write a temporary file: {error}"))
        }
    };
    let text = String::from_utf8_lossy(document);
    let file = match scratch.write("document.xml", beyond_bmp_as_references(&text).as_bytes()) {
        Ok(file) => file,
        Err(error) => {
            return Check::not_run(NAME, format!("cannot write a temporary file: {error}"))
        }
    };
    let output = match run(
        Command::new("java")
            .arg("-cp")
            .arg(SAXON_JAR)
            .arg("net.sf.saxon.Transform")
            .arg(format!("-s:{}", file.display()))
            .arg(format!("-xsl:{}", xslt.display())),
        "java",
        "default-jre-headless",
    ) {
        Ok(output) => output,
        Err(reason) => return Check::not_run(NAME, reason),
    };
    if !output.status.success() {
        return Check::not_run(
            NAME,
            format!(
                "Saxon failed: {}",
                shorten(String::from_utf8_lossy(&output.stderr).trim())
            ),
        );
    }
    let svrl = String::from_utf8_lossy(&output.stdout);
    let elements = indexed_elements(root);
    let asserts = failed_asserts(&svrl);
    let findings = placed(&asserts, |assert| {
        let severity = if assert.flag == "fatal" {
            Severity::Error
        } else {
            Severity::Warning
        };
        let message = format!("[{}] {}", assert.id, assert.text);
        match resolve_xpath(root, &elements, &assert.location) {
            Some((element, path)) => Finding {
                severity,
                message,
                location: path,
                line: Some(element.line()),
                column: Some(element.column()),
            },
            None => Finding {
                severity,
                message,
                location: assert.location.clone(),
                line: None,
                column: None,
            },
        }
    });
    Check::ran(NAME, findings)
}

/// The document with every character above U+FFFF written as a character reference: the same
/// document, which the JDK's XML parser under Debian's Saxon-HE 9.9 reads, where it misreads
/// some four-byte UTF-8 sequences ("Invalid byte 2 of 4-byte UTF-8 sequence"). Such characters
/// only occur in text and attribute values, where a reference means the character.
pub fn beyond_bmp_as_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if u32::from(character) > 0xFFFF {
            out.push_str(&format!("&#x{:X};", u32::from(character)));
        } else {
            out.push(character);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doctype_names_its_dtd_only_in_the_cxml_form() {
        assert_eq!(
            dtd_named("http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd"),
            Some(("1.2.014", "cXML.dtd"))
        );
        assert_eq!(dtd_named("http://x/schemas/cXML/../../etc/passwd"), None);
        assert_eq!(dtd_named("http://x/cXML/1.2.069/../cXML.dtd"), None);
        assert_eq!(dtd_named("cXML.dtd"), None);
    }

    #[test]
    fn xmllint_lines_are_read_with_their_line_and_element() {
        let file = Path::new("/tmp/x/cart.xml");
        let report = "I/O error : Attempt to load network entity http://x\n\
            /tmp/x/cart.xml:2: warning: failed to load external entity \"http://x\"\n\
            <!DOCTYPE cXML SYSTEM \"http://x\">\n\
            /tmp/x/cart.xml:25: element UnitOfMeasur: validity error : No declaration for element UnitOfMeasur\n\
            /tmp/x/cart.xml:7: element BatchQuantity: Schemas validity error : Element '{urn:x}BatchQuantity': 'x' is not a valid value\n\
            Document /tmp/x/cart.xml does not validate\n";
        assert_eq!(
            xmllint_report(report, file),
            vec![
                Reported {
                    line: Some(25),
                    element: Some("UnitOfMeasur".into()),
                    message: "No declaration for element UnitOfMeasur".into(),
                },
                Reported {
                    line: Some(7),
                    element: Some("BatchQuantity".into()),
                    message: "Element '{urn:x}BatchQuantity': 'x' is not a valid value".into(),
                },
            ]
        );
    }

    #[test]
    fn schematron_xpaths_become_steps() {
        assert_eq!(
            xpath_steps("/*:Catalogue[namespace-uri()='urn:a/b'][1]/*:CatalogueLine[namespace-uri()='urn:c'][2]/*:Item[namespace-uri()='urn:c'][1]"),
            Some(vec![
                ("Catalogue".into(), 1),
                ("CatalogueLine".into(), 2),
                ("Item".into(), 1)
            ])
        );
    }
}
