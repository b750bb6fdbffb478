//! The limits and the DOCTYPE policy applied to every document; see [`XmlLimits`].

/// The hard cap on element depth; [`XmlLimits::max_depth`] is clamped to it.
pub const HARD_MAX_DEPTH: usize = 256;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// Size, depth, count and length limits for one parsed document, in one documented place.
/// Exceeding any of them fails the parse with
/// [`ErrorCode::LimitExceeded`](crate::error::ErrorCode::LimitExceeded). The defaults are
/// [`XmlLimits::setup_request`]:
///
/// | limit | default | why |
/// |---|---|---|
/// | [`max_document_bytes`](XmlLimits::max_document_bytes) | 256 KiB setup request, 10 MiB order / UBL | checked before anything is decoded; libxml2 caps one text at 10 000 000 bytes, defusedxml at 30 MB |
/// | [`max_depth`](XmlLimits::max_depth) | 128, hard cap 256 | libxml2 refuses depth 256; quick-xml's serde recursion limit is 128; the tree builder is iterative anyway |
/// | [`max_attributes`](XmlLimits::max_attributes) | 256 per element | quick-xml RUSTSEC-2026-0194 (quadratic duplicate check): counting stops at the first attribute over the limit |
/// | [`max_namespace_declarations`](XmlLimits::max_namespace_declarations) | 256 per element | quick-xml RUSTSEC-2026-0195; `xmlns` and `xmlns:*` are counted apart from other attributes |
/// | [`max_name_bytes`](XmlLimits::max_name_bytes) | 1 000 bytes | the JDK's `jdk.xml.maxXMLNameLimit` |
/// | [`max_text_bytes`](XmlLimits::max_text_bytes) | 1 MiB per text node or attribute value | libxml2's `XML_MAX_TEXT_LENGTH` class of limit |
/// | [`max_tree_bytes`](XmlLimits::max_tree_bytes) | 8 MiB setup request, 160 MiB order / UBL | bounds the memory of the parsed tree: element paths grow with depth, so many small siblings of a deep, long-named chain would otherwise amplify a small document into gigabytes |
///
/// Entities and DOCTYPEs are not limits but a policy: see [`DoctypePolicy`] and the
/// [`xml` module](super).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlLimits {
    /// The largest document, in bytes as received (before decoding). Checked first: a larger
    /// input is refused without being decoded or parsed.
    pub max_document_bytes: usize,
    /// The deepest element nesting; the root element has depth 1. Clamped to 256.
    pub max_depth: usize,
    /// The most attributes on one element, not counting namespace declarations.
    pub max_attributes: usize,
    /// The most namespace declarations (`xmlns`, `xmlns:*`) on one element.
    pub max_namespace_declarations: usize,
    /// The longest element or attribute name, in bytes.
    pub max_name_bytes: usize,
    /// The longest text node (character data between two tags, CDATA included) or attribute
    /// value, in bytes after entity replacement.
    pub max_text_bytes: usize,
    /// An upper bound on the memory the parsed tree may take, in bytes (names, paths, attribute
    /// values, text and a fixed overhead per node). Valid cXML documents need about six times
    /// their size.
    pub max_tree_bytes: usize,
}

impl XmlLimits {
    /// Refuses a document over [`XmlLimits::max_document_bytes`] by its length alone, so that
    /// a host can refuse it before handing it to the engine (the same error the parser gives).
    ///
    /// # Errors
    /// `limit-exceeded` naming the size and the limit.
    pub fn check_document_size(&self, length: usize) -> crate::Result<()> {
        if length > self.max_document_bytes {
            return Err(crate::Error::new(
                crate::ErrorCode::LimitExceeded,
                format!(
                    "document of {length} bytes exceeds the limit: expected at most {} bytes",
                    self.max_document_bytes
                ),
            ));
        }
        Ok(())
    }

    /// Limits for a PunchOut setup request: a 256 KiB document.
    pub fn setup_request() -> Self {
        XmlLimits {
            max_document_bytes: 256 * KIB,
            max_depth: 128,
            max_attributes: 256,
            max_namespace_declarations: 256,
            max_name_bytes: 1000,
            max_text_bytes: MIB,
            max_tree_bytes: 8 * MIB,
        }
    }

    /// Limits for orders, order messages and UBL documents: a 10 MiB document.
    pub fn order() -> Self {
        XmlLimits {
            max_document_bytes: 10 * MIB,
            max_tree_bytes: 160 * MIB,
            ..XmlLimits::setup_request()
        }
    }

    /// The depth actually enforced: [`XmlLimits::max_depth`] clamped to the hard cap of 256.
    pub fn effective_max_depth(&self) -> usize {
        self.max_depth.min(HARD_MAX_DEPTH)
    }
}

impl Default for XmlLimits {
    /// [`XmlLimits::setup_request`].
    fn default() -> Self {
        XmlLimits::setup_request()
    }
}

/// Which document type declarations a document may carry. No DTD is ever fetched or applied,
/// whatever the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoctypePolicy {
    /// Only the external form `<!DOCTYPE cXML SYSTEM "…">` (double or single quotes), recorded in
    /// [`Document::doctype_system_id`](super::Document::doctype_system_id) and never fetched.
    /// A `PUBLIC` identifier, an internal subset `[…]`, an entity declaration, a parameter entity
    /// or another root name is refused with
    /// [`ErrorCode::ForbiddenXml`](crate::error::ErrorCode::ForbiddenXml).
    CxmlExternalOnly,
    /// Any DOCTYPE is refused (UBL, Peppol).
    Forbidden,
}

/// Everything [`parse`](super::parse) needs to know about the document it reads.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Size, depth, count and length limits.
    pub limits: XmlLimits,
    /// Which DOCTYPE is accepted.
    pub doctype: DoctypePolicy,
}

impl ParseOptions {
    /// A cXML `PunchOutSetupRequest`: setup-request limits, the external cXML DOCTYPE.
    pub fn cxml_setup_request() -> Self {
        ParseOptions {
            limits: XmlLimits::setup_request(),
            doctype: DoctypePolicy::CxmlExternalOnly,
        }
    }

    /// Any other cXML document (orders, order messages, responses): order limits, the external
    /// cXML DOCTYPE.
    pub fn cxml_document() -> Self {
        ParseOptions {
            limits: XmlLimits::order(),
            doctype: DoctypePolicy::CxmlExternalOnly,
        }
    }

    /// A UBL / Peppol document: order limits, no DOCTYPE at all.
    pub fn ubl() -> Self {
        ParseOptions {
            limits: XmlLimits::order(),
            doctype: DoctypePolicy::Forbidden,
        }
    }
}

impl Default for ParseOptions {
    /// [`ParseOptions::cxml_setup_request`].
    fn default() -> Self {
        ParseOptions::cxml_setup_request()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_setup_request_limits() {
        let limits = XmlLimits::default();
        assert_eq!(limits, XmlLimits::setup_request());
        assert_eq!(limits.max_document_bytes, 256 * 1024);
        assert_eq!(limits.max_depth, 128);
        assert_eq!(limits.max_attributes, 256);
        assert_eq!(limits.max_namespace_declarations, 256);
        assert_eq!(limits.max_name_bytes, 1000);
        assert_eq!(limits.max_text_bytes, 1024 * 1024);
    }

    #[test]
    fn order_limits_allow_ten_mebibytes() {
        assert_eq!(XmlLimits::order().max_document_bytes, 10 * 1024 * 1024);
        assert_eq!(ParseOptions::ubl().doctype, DoctypePolicy::Forbidden);
        assert_eq!(
            ParseOptions::cxml_document().doctype,
            DoctypePolicy::CxmlExternalOnly
        );
    }

    #[test]
    fn depth_is_clamped_to_the_hard_cap() {
        let mut limits = XmlLimits {
            max_depth: 100_000,
            ..XmlLimits::default()
        };
        assert_eq!(limits.effective_max_depth(), 256);
        limits.max_depth = 10;
        assert_eq!(limits.effective_max_depth(), 10);
    }
}
