//! The one XML layer: bounded parsing with positions and element paths, and the one writer.
//!
//! Every document the engine reads comes from outside, so [`parse`] treats its input as hostile:
//!
//! - **Bounded.** Size, depth, attribute and namespace-declaration counts, name and text lengths
//!   and the memory of the parsed tree are limited by [`XmlLimits`] (rationale there). The size
//!   is checked before anything is decoded; counting stops at the first item over a limit; the
//!   tree is built without recursion; every step is linear in the input.
//! - **No DTD processing.** No DTD, entity or stylesheet is ever fetched, expanded or applied.
//!   The only references are the five predefined entities (`&lt;` `&gt;` `&amp;` `&apos;`
//!   `&quot;`) and character references to an XML `Char`; any other `&name;` is refused as
//!   undeclared. The [`DoctypePolicy`] accepts at most the external cXML form
//!   `<!DOCTYPE cXML SYSTEM "…">`, matched by a strict pattern: an internal subset, an entity
//!   declaration, a parameter entity, a public identifier or another root name is refused, so
//!   billion-laughs, quadratic-blow-up and XXE documents fail at the DOCTYPE, before anything is
//!   expanded. Processing instructions (`<?xml-stylesheet?>`) are ignored and `xi:include` is
//!   just an element.
//! - **Encodings.** UTF-8 (default) and ISO-8859-1 / windows-1252 as declared; anything else is
//!   refused with [`ErrorCode::UnsupportedEncoding`](crate::error::ErrorCode::UnsupportedEncoding).
//! - **Located errors.** Every error carries a line and column (1-based, in bytes of the UTF-8
//!   text) and, inside the root element, the element path such as
//!   `/cXML/Request/PunchOutSetupRequest/BrowserFormPost/URL`.
//!
//! The tree is small: a [`Document`] holds one root [`Element`]; an element keeps its name as
//! written, its unescaped attributes, its children ([`Node`]), its position and its path. Its
//! accessors turn absence and repetition into located errors ([`Element::required_child`],
//! [`Element::child`], [`Element::required_attribute`]).
//!
//! Names are kept as written; [`NsElement`] reads a tree by namespace and local name (UBL
//! documents may use any prefixes), resolving the `xmlns` declarations in scope.
//!
//! [`XmlWriter`] is the one way documents are generated: indented element content, escaped text
//! and attributes.
//!
//! ```
//! use punchout_plugin::xml::{parse, ParseOptions, XmlWriter};
//!
//! let mut writer = XmlWriter::new();
//! writer.declaration();
//! writer.open("Credential", &[("domain", "NetworkID")]);
//! writer.leaf("Identity", &[], "buyer & co");
//! writer.close("Credential");
//! let xml = writer.finish();
//!
//! let document = parse(xml.as_bytes(), &ParseOptions::cxml_setup_request())?;
//! let identity = document.root.required_child("Identity")?;
//! assert_eq!(identity.text(), "buyer & co");
//! assert_eq!(identity.path(), "/Credential/Identity");
//! assert_eq!((identity.line(), identity.column()), (3, 3));
//! # Ok::<(), punchout_plugin::error::Error>(())
//! ```

mod chars;
mod document;
mod encoding;
mod limits;
mod namespaces;
mod parser;
mod position;
mod writer;

pub use document::{parse, DeclaredEncoding, Document, Element, Node};
pub use limits::{DoctypePolicy, ParseOptions, XmlLimits, HARD_MAX_DEPTH};
pub use namespaces::{split_name, NsElement, QualifiedName};
pub use writer::XmlWriter;
pub(crate) use writer::{escape_attribute, escape_text, find_byte};
