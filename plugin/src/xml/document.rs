//! A small, bounded document tree: elements with their attributes, children, position and path.
//!
//! Built by [`parse`] under the [limits](super::XmlLimits) and the entity/DOCTYPE policy of the
//! [module](super). Names are kept as written (no namespace processing); attribute values and text
//! are unescaped; comments and processing instructions are dropped.

use crate::error::{Error, ErrorCode, Location, Result};

use super::chars::is_xml_whitespace;
use super::limits::ParseOptions;

/// The encoding a document declared (and was decoded from).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclaredEncoding {
    /// UTF-8, declared or by default.
    Utf8,
    /// ISO-8859-1, latin1, windows-1252 or one of their aliases; decoded as windows-1252.
    Latin1,
}

/// A parsed document: its root element and what its prolog declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The one root element.
    pub root: Element,
    /// The encoding the document was decoded from.
    pub encoding: DeclaredEncoding,
    /// The system identifier of `<!DOCTYPE cXML SYSTEM "…">`, if present. Recorded, never
    /// fetched.
    pub doctype_system_id: Option<String>,
}

/// A child of an element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data between two tags, unescaped, CDATA sections included, comments and
    /// processing instructions left out; line ends normalized to `\n`. The indentation between
    /// elements (a line end and spaces or tabs) is borrowed from a static string, not allocated.
    Text(std::borrow::Cow<'static, str>),
}

/// One element: its name as written, its attributes (unescaped and normalized, in document
/// order), its children, where it starts and its element path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// Where the name starts in `path`: the path ends with `/name`, so the name is not stored
    /// twice.
    pub(crate) name_start: usize,
    /// Names shared across the document (the parser interns them), values as written.
    pub(crate) attributes: Vec<(std::sync::Arc<str>, String)>,
    pub(crate) children: Vec<Node>,
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// Shared by every element with the same path (the parser interns them): an order's
    /// 10 000 `ItemOut/ItemDetail/Description` elements hold one path, not 10 000 copies.
    pub(crate) path: std::sync::Arc<str>,
}

/// Parses `bytes` into a [`Document`] under `options`.
///
/// # Errors
///
/// - [`ErrorCode::LimitExceeded`] when a limit of [`ParseOptions::limits`] is exceeded (the size
///   limit is checked before anything is decoded);
/// - [`ErrorCode::UnsupportedEncoding`] for an encoding other than UTF-8 or Latin-1;
/// - [`ErrorCode::MalformedXml`] when the document is not well-formed (including invalid UTF-8,
///   characters outside the XML `Char` range, truncation);
/// - [`ErrorCode::ForbiddenXml`] for a DOCTYPE the [`DoctypePolicy`](super::DoctypePolicy)
///   refuses, an undeclared entity or a character reference outside the XML `Char` range.
///
/// Every error is located by line and column and, inside the root element, by element path.
pub fn parse(bytes: &[u8], options: &ParseOptions) -> Result<Document> {
    super::parser::parse(bytes, options)
}

impl Element {
    /// The qualified name as written, such as `cXML` or `cbc:ID`.
    pub fn name(&self) -> &str {
        self.path.get(self.name_start..).unwrap_or_default()
    }

    /// The element path from the root, without indices, such as `/cXML/Header/From/Credential`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The 1-based line of the element's `<`.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The 1-based column (in bytes of the decoded UTF-8 text) of the element's `<`.
    pub fn column(&self) -> u32 {
        self.column
    }

    /// Line, column and path of this element.
    pub fn location(&self) -> Location {
        Location::in_document(self.line, self.column, &*self.path)
    }

    /// The value of the attribute named `name` (qualified name as written, e.g. `xml:lang`).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| &**key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of the attribute named `name`.
    ///
    /// # Errors
    ///
    /// [`ErrorCode::InvalidDocument`] located at this element when the attribute is missing.
    pub fn required_attribute(&self, name: &str) -> Result<&str> {
        self.attribute(name)
            .ok_or_else(|| self.invalid(format!("missing attribute `{name}` on `{}`", self.name())))
    }

    /// All attributes as `(name, value)` in document order, namespace declarations included.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attributes
            .iter()
            .map(|(key, value)| (&**key, value.as_str()))
    }

    /// The child elements, in document order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The child elements named `name`, in document order.
    pub fn elements_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements()
            .filter(move |element| element.name() == name)
    }

    /// The only child element named `name`, if any.
    ///
    /// # Errors
    ///
    /// [`ErrorCode::InvalidDocument`] located at the second occurrence when the child occurs more
    /// than once: a repeated `SharedSecret` or `From` must never be read as its first occurrence.
    pub fn child(&self, name: &str) -> Result<Option<&Element>> {
        let mut matches = self.elements().filter(|element| element.name() == name);
        let first = matches.next();
        if let Some(second) = matches.next() {
            let count = matches.count().saturating_add(2);
            return Err(second.invalid(format!(
                "`{name}` occurs {count} times, expected at most once"
            )));
        }
        Ok(first)
    }

    /// The only child element named `name`.
    ///
    /// # Errors
    ///
    /// [`ErrorCode::InvalidDocument`]: located at this element when the child is missing, at the
    /// second occurrence when it is repeated.
    pub fn required_child(&self, name: &str) -> Result<&Element> {
        self.child(name)?
            .ok_or_else(|| self.invalid(format!("missing element `{name}` in `{}`", self.name())))
    }

    /// The concatenation of the direct text children (CDATA included; comments and processing
    /// instructions contribute nothing), so `<Identity>buyer<!---->-evil</Identity>` reads
    /// `buyer-evil`.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for node in &self.children {
            if let Node::Text(part) = node {
                text.push_str(part);
            }
        }
        text
    }

    /// [`Element::text`] without leading and trailing XML whitespace (space, tab, CR, LF).
    pub fn trimmed_text(&self) -> String {
        let text = self.text();
        let trimmed = text.trim_matches(is_xml_whitespace);
        if trimmed.len() == text.len() {
            text
        } else {
            trimmed.to_owned()
        }
    }

    /// [`Element::trimmed_text`], borrowed when the element has at most one text child (a value
    /// such as `<Identity>AN01</Identity>`, the usual case), copied only otherwise.
    pub fn trimmed_str(&self) -> std::borrow::Cow<'_, str> {
        let mut texts = self.children.iter().filter_map(|node| match node {
            Node::Text(text) => Some(text),
            Node::Element(_) => None,
        });
        match (texts.next(), texts.next()) {
            (None, _) => std::borrow::Cow::Borrowed(""),
            (Some(only), None) => std::borrow::Cow::Borrowed(only.trim_matches(is_xml_whitespace)),
            _ => std::borrow::Cow::Owned(self.trimmed_text()),
        }
    }

    /// All descendant text in document order.
    pub fn deep_text(&self) -> String {
        let mut text = String::new();
        // An explicit stack: the tree may be as deep as the depth limit allows.
        let mut stack: Vec<std::slice::Iter<'_, Node>> = vec![self.children.iter()];
        while let Some(iter) = stack.last_mut() {
            match iter.next() {
                Some(Node::Text(part)) => text.push_str(part),
                Some(Node::Element(element)) => stack.push(element.children.iter()),
                None => {
                    stack.pop();
                }
            }
        }
        text
    }

    /// An [`ErrorCode::InvalidDocument`] error located at this element.
    pub fn invalid(&self, message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidDocument, message).at(self.location())
    }

    /// An [`ErrorCode::InvalidValue`] error located at this element.
    pub fn invalid_value(&self, message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidValue, message).at(self.location())
    }

    /// The children: elements and text, in document order.
    pub fn nodes(&self) -> &[Node] {
        &self.children
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        parse(text.as_bytes(), &ParseOptions::cxml_document()).unwrap()
    }

    const CART: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">
<cXML payloadID="p-1" xml:lang="en-US">
  <Header>
    <From><Credential domain="NetworkID"><Identity>buyer<!---->-evil</Identity></Credential></From>
    <Sender>
      <Credential domain="NetworkID">
        <Identity> AN01 </Identity>
        <SharedSecret>one</SharedSecret>
        <SharedSecret>two</SharedSecret>
        <SharedSecret>three</SharedSecret>
      </Credential>
    </Sender>
  </Header>
  <Message><Text>a &amp; <![CDATA[<b>]]> &#x41;&#66;<i>c</i>d</Text></Message>
</cXML>
"#;

    #[test]
    fn accessors_read_names_attributes_and_children() {
        let document = doc(CART);
        assert_eq!(
            document.doctype_system_id.as_deref(),
            Some("http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd")
        );
        assert_eq!(document.encoding, DeclaredEncoding::Utf8);
        let root = &document.root;
        assert_eq!(root.name(), "cXML");
        assert_eq!(root.attribute("payloadID"), Some("p-1"));
        assert_eq!(root.attribute("xml:lang"), Some("en-US"));
        assert_eq!(root.attribute("lang"), None);
        assert_eq!(
            root.attributes().collect::<Vec<_>>(),
            vec![("payloadID", "p-1"), ("xml:lang", "en-US")]
        );
        let names: Vec<&str> = root.elements().map(Element::name).collect();
        assert_eq!(names, ["Header", "Message"]);
        assert_eq!(root.elements_named("Header").count(), 1);
        assert!(root.child("Nope").unwrap().is_none());
    }

    #[test]
    fn paths_and_positions() {
        let document = doc(CART);
        let root = &document.root;
        assert_eq!(root.path(), "/cXML");
        assert_eq!((root.line(), root.column()), (3, 1));
        let header = root.required_child("Header").unwrap();
        assert_eq!((header.line(), header.column()), (4, 3));
        let credential = header
            .required_child("From")
            .and_then(|from| from.required_child("Credential"))
            .unwrap();
        assert_eq!(credential.path(), "/cXML/Header/From/Credential");
        assert_eq!((credential.line(), credential.column()), (5, 11));
        assert_eq!(
            credential.location(),
            Location::in_document(5, 11, "/cXML/Header/From/Credential")
        );
    }

    #[test]
    fn text_skips_comments_and_concatenates() {
        let document = doc(CART);
        let identity = document
            .root
            .required_child("Header")
            .and_then(|h| h.required_child("From"))
            .and_then(|f| f.required_child("Credential"))
            .and_then(|c| c.required_child("Identity"))
            .unwrap();
        assert_eq!(identity.text(), "buyer-evil");
        let text = document
            .root
            .required_child("Message")
            .and_then(|m| m.required_child("Text"))
            .unwrap();
        assert_eq!(text.text(), "a & <b> ABd");
        assert_eq!(text.deep_text(), "a & <b> ABcd");
        assert_eq!(text.nodes().len(), 3);
    }

    #[test]
    fn trimmed_text_trims_xml_whitespace_only() {
        let document = doc("<a><b>\t AN01 \n</b><c>\u{A0}x\u{A0}</c></a>");
        let b = document.root.required_child("b").unwrap();
        assert_eq!(b.trimmed_text(), "AN01");
        let c = document.root.required_child("c").unwrap();
        assert_eq!(c.trimmed_text(), "\u{A0}x\u{A0}");
        assert_eq!(b.trimmed_str(), "AN01");
        assert_eq!(c.trimmed_str(), "\u{A0}x\u{A0}");
        let document = doc("<a><b> x<!---->y </b><c/><d>\n<e/>\n</d></a>");
        let texts: Vec<String> = ["b", "c", "d"]
            .iter()
            .map(|name| {
                document
                    .root
                    .required_child(name)
                    .unwrap()
                    .trimmed_str()
                    .into_owned()
            })
            .collect();
        assert_eq!(texts, ["xy", "", ""]);
    }

    #[test]
    fn repeated_child_is_an_error_at_the_second_occurrence() {
        let document = doc(CART);
        let credential = document
            .root
            .required_child("Header")
            .and_then(|h| h.required_child("Sender"))
            .and_then(|s| s.required_child("Credential"))
            .unwrap();
        let error = credential.child("SharedSecret").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidDocument);
        assert_eq!(
            error.message(),
            "`SharedSecret` occurs 3 times, expected at most once"
        );
        assert_eq!(error.location().line, Some(10));
        assert_eq!(
            error.location().path.as_deref(),
            Some("/cXML/Header/Sender/Credential/SharedSecret")
        );
        assert!(credential.required_child("SharedSecret").is_err());
        // the secret never appears in the message
        assert!(!error.to_string().contains("two"));
    }

    #[test]
    fn missing_child_and_attribute_are_located_at_the_parent() {
        let document = doc(CART);
        let header = document.root.required_child("Header").unwrap();
        let error = header.required_child("To").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidDocument);
        assert_eq!(error.message(), "missing element `To` in `Header`");
        assert_eq!(
            error.location(),
            &Location::in_document(4, 3, "/cXML/Header")
        );
        let error = header.required_attribute("version").unwrap_err();
        assert_eq!(error.message(), "missing attribute `version` on `Header`");
        assert_eq!(error.location().path.as_deref(), Some("/cXML/Header"));
        assert_eq!(
            document.root.required_attribute("payloadID").unwrap(),
            "p-1"
        );
    }

    #[test]
    fn invalid_and_invalid_value_are_located() {
        let document = doc(CART);
        let error = document.root.invalid_value("expected a decimal, found `x`");
        assert_eq!(error.code(), ErrorCode::InvalidValue);
        assert_eq!(error.location(), &Location::in_document(3, 1, "/cXML"));
        assert_eq!(
            document.root.invalid("unknown").code(),
            ErrorCode::InvalidDocument
        );
    }

    #[test]
    fn deep_text_of_a_deep_tree_does_not_recurse() {
        let depth = 128;
        let text = format!("{}x{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let document = doc(&text);
        assert_eq!(document.root.deep_text(), "x");
    }
}
