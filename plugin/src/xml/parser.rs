//! The tree builder: quick-xml events in, a bounded [`Document`] out.
//!
//! Iterative (an explicit stack of open elements), linear in the input, and strict: the first
//! violation ends the parse with a located error.

use std::collections::HashSet;
use std::sync::Arc;

use quick_xml::errors::{Error as QuickXmlError, IllFormedError, SyntaxError};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::chars::{
    code_point_is_xml_char, excerpt, find_non_xml_char, is_xml_name, is_xml_whitespace,
    is_xml_whitespace_byte,
};
use super::document::{Document, Element, Node};
use super::encoding::decode;
use super::limits::{DoctypePolicy, ParseOptions, XmlLimits};
use super::position::{at_line_column, line_column, LineCursor};
use crate::error::{Error, ErrorCode, Location, Result};

/// The memory counted for one node besides its strings.
const NODE_OVERHEAD: usize = std::mem::size_of::<Node>();
/// The memory counted for one attribute besides its strings.
const ATTRIBUTE_OVERHEAD: usize = std::mem::size_of::<(String, String)>();
/// Up to this many attributes, duplicates are found by a linear scan; beyond, by a hash set.
const LINEAR_DUPLICATE_SCAN: usize = 16;

pub(crate) fn parse(bytes: &[u8], options: &ParseOptions) -> Result<Document> {
    let limits = &options.limits;
    limits.check_document_size(bytes.len())?;
    let decoded = decode(bytes)?;
    let text: &str = &decoded.text;
    if let Some((offset, c)) = find_non_xml_char(text) {
        return Err(Error::new(
            ErrorCode::MalformedXml,
            format!("character `U+{:04X}` is not allowed in XML", u32::from(c)),
        )
        .at(at_line_column(line_column(text.as_bytes(), offset))));
    }
    let builder = Builder {
        text,
        options,
        limits,
        max_depth: limits.effective_max_depth(),
        cursor: LineCursor::new(text),
        stack: Vec::new(),
        root: None,
        doctype_seen: false,
        doctype_system_id: None,
        tree_bytes: 0,
        paths: HashSet::new(),
        path_buffer: String::new(),
        names: HashSet::new(),
    };
    let (root, doctype_system_id) = builder.run()?;
    Ok(Document {
        root,
        encoding: decoded.encoding,
        doctype_system_id,
    })
}

/// An element that is open: its tree so far and the text read since its last child.
struct Frame {
    element: Element,
    pending_text: String,
}

struct Builder<'a> {
    text: &'a str,
    options: &'a ParseOptions,
    limits: &'a XmlLimits,
    max_depth: usize,
    cursor: LineCursor<'a>,
    stack: Vec<Frame>,
    root: Option<Element>,
    doctype_seen: bool,
    doctype_system_id: Option<String>,
    tree_bytes: usize,
    /// Every element path met so far, each stored once and shared by its elements.
    paths: HashSet<Arc<str>>,
    /// Where the next element's path is composed before it is looked up in `paths`.
    path_buffer: String,
    /// Every attribute name met so far, each stored once.
    names: HashSet<Arc<str>>,
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

impl<'a> Builder<'a> {
    fn run(mut self) -> Result<(Element, Option<String>)> {
        let mut reader = Reader::from_str(self.text);
        let config = reader.config_mut();
        config.allow_dangling_amp = false;
        config.allow_unmatched_ends = false;
        config.check_comments = true;
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_markup_names_in_closing_tags = true;
        config.trim_text(false);
        loop {
            let before = offset(reader.buffer_position());
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    return Err(self.quick_xml_error(&error, offset(reader.error_position())))
                }
            };
            let after = offset(reader.buffer_position());
            match event {
                Event::Start(start) => self.start(&start, before, false)?,
                Event::Empty(start) => self.start(&start, before, true)?,
                Event::End(_) => self.end(before)?,
                Event::Text(text) => {
                    let text = self.utf8(&text, before)?;
                    self.text(text, before, false)?;
                }
                Event::CData(cdata) => {
                    let text = self.utf8(&cdata, before)?;
                    self.text(text, before, true)?;
                }
                Event::GeneralRef(reference) => {
                    let name = self.utf8(&reference, before)?;
                    self.reference(name, before)?;
                }
                Event::Decl(_) => {
                    if before != 0 {
                        return Err(self.malformed(
                            before,
                            "expected the XML declaration at the start of the document, found it later",
                        ));
                    }
                }
                Event::PI(pi) => {
                    // Processing instructions (`<?xml-stylesheet …?>` included) are ignored:
                    // nothing is ever fetched or applied.
                    let target = self.utf8(pi.target(), before)?;
                    if target.eq_ignore_ascii_case("xml") {
                        return Err(self.malformed(
                            before,
                            format!(
                                "reserved processing instruction target `{}`",
                                excerpt(target)
                            ),
                        ));
                    }
                    if !is_xml_name(target) {
                        return Err(self.malformed(
                            before,
                            format!(
                                "invalid processing instruction target `{}`",
                                excerpt(target)
                            ),
                        ));
                    }
                }
                Event::Comment(_) => {}
                Event::DocType(_) => self.doctype(before, after)?,
                Event::Eof => return self.finish(after),
            }
        }
    }

    /// Where `offset` is: line, column and the path of the innermost open element, if any.
    fn location(&mut self, offset: usize) -> Location {
        let (line, column) = self.cursor.position(offset);
        match self.stack.last() {
            Some(frame) => Location::in_document(line, column, &*frame.element.path),
            None => at_line_column((line, column)),
        }
    }

    fn error(&mut self, code: ErrorCode, offset: usize, message: impl Into<String>) -> Error {
        let location = self.location(offset);
        Error::new(code, message).at(location)
    }

    fn malformed(&mut self, offset: usize, message: impl Into<String>) -> Error {
        self.error(ErrorCode::MalformedXml, offset, message)
    }

    fn utf8<'t>(&mut self, bytes: &'t [u8], offset: usize) -> Result<&'t str> {
        // The reader works on the decoded `&str`, so every event is UTF-8 already.
        std::str::from_utf8(bytes).map_err(|_| self.malformed(offset, "invalid UTF-8"))
    }

    fn add_tree_bytes(&mut self, bytes: usize, offset: usize) -> Result<()> {
        self.tree_bytes = self.tree_bytes.saturating_add(bytes);
        if self.tree_bytes > self.limits.max_tree_bytes {
            let max = self.limits.max_tree_bytes;
            return Err(self.error(
                ErrorCode::LimitExceeded,
                offset,
                format!("the parsed tree exceeds the limit: expected at most {max} bytes"),
            ));
        }
        Ok(())
    }

    fn start(&mut self, start: &BytesStart<'_>, offset: usize, empty: bool) -> Result<()> {
        if self.root.is_some() {
            let name = String::from_utf8_lossy(start.name().into_inner()).into_owned();
            return Err(self.malformed(
                offset,
                format!(
                    "expected end of document, found second root element `{}`",
                    excerpt(&name)
                ),
            ));
        }
        let depth = self.stack.len().saturating_add(1);
        if depth > self.max_depth {
            let max = self.max_depth;
            return Err(self.error(
                ErrorCode::LimitExceeded,
                offset,
                format!("element depth {depth} exceeds the limit: expected at most {max} nested elements"),
            ));
        }
        let name_bytes = start.name().into_inner();
        self.check_name_length("element", name_bytes.len(), offset)?;
        let name = self.utf8(name_bytes, offset)?;
        if !is_xml_name(name) {
            return Err(self.malformed(offset, format!("invalid element name `{}`", excerpt(name))));
        }
        let attributes = self.attributes(start, name, offset)?;

        let mut path = std::mem::take(&mut self.path_buffer);
        path.clear();
        if let Some(parent) = self.stack.last() {
            path.push_str(&parent.element.path);
        }
        path.push('/');
        let name_start = path.len();
        path.push_str(name);
        let path_length = path.len();
        let shared = match self.paths.get(path.as_str()) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared: Arc<str> = Arc::from(path.as_str());
                self.paths.insert(Arc::clone(&shared));
                shared
            }
        };
        self.path_buffer = path;

        let attribute_bytes: usize = attributes
            .iter()
            .map(|(key, value)| {
                ATTRIBUTE_OVERHEAD
                    .saturating_add(key.len())
                    .saturating_add(value.len())
            })
            .sum();
        self.add_tree_bytes(
            // Counted whole for every element, as if not shared: the limit stays the bound it
            // always was.
            NODE_OVERHEAD
                .saturating_add(path_length)
                .saturating_add(attribute_bytes),
            offset,
        )?;

        self.flush_text();
        let (line, column) = self.cursor.position(offset);
        let element = Element {
            name_start,
            attributes,
            children: Vec::new(),
            line,
            column,
            path: shared,
        };
        if empty {
            self.attach(element);
        } else {
            self.stack.push(Frame {
                element,
                pending_text: String::new(),
            });
        }
        Ok(())
    }

    fn check_name_length(&mut self, what: &str, length: usize, offset: usize) -> Result<()> {
        let max = self.limits.max_name_bytes;
        if length > max {
            return Err(self.error(
                ErrorCode::LimitExceeded,
                offset,
                format!(
                    "{what} name of {length} bytes exceeds the limit: expected at most {max} bytes"
                ),
            ));
        }
        Ok(())
    }

    /// Reads, counts, checks and unescapes the attributes of one start tag. Counting stops at the
    /// first attribute over a limit, and duplicates are found in linear time, so a tag with
    /// 100 000 attributes costs no more than one with 257.
    fn attributes(
        &mut self,
        start: &BytesStart<'_>,
        element: &str,
        offset: usize,
    ) -> Result<Vec<(Arc<str>, String)>> {
        let mut attributes: Vec<(Arc<str>, String)> = Vec::new();
        // Keys borrowed from the start tag: a linear scan for the first few (in place, no
        // allocation), then a hash set.
        let mut keys: [&[u8]; LINEAR_DUPLICATE_SCAN] = [&[]; LINEAR_DUPLICATE_SCAN];
        let mut key_count = 0usize;
        let mut seen: Option<HashSet<&[u8]>> = None;
        let mut plain = 0usize;
        let mut namespace_declarations = 0usize;
        let mut iter = start.attributes();
        iter.with_checks(false);
        for attribute in iter {
            let attribute = match attribute {
                Ok(attribute) => attribute,
                Err(error) => return Err(self.attribute_error(&error, element, offset)),
            };
            let key = attribute.key.into_inner();
            let is_namespace = key == b"xmlns" || key.starts_with(b"xmlns:");
            if is_namespace {
                namespace_declarations = namespace_declarations.saturating_add(1);
                let max = self.limits.max_namespace_declarations;
                if namespace_declarations > max {
                    return Err(self.error(
                        ErrorCode::LimitExceeded,
                        offset,
                        format!(
                            "too many namespace declarations on `{}`: expected at most {max}",
                            excerpt(element)
                        ),
                    ));
                }
            } else {
                plain = plain.saturating_add(1);
                let max = self.limits.max_attributes;
                if plain > max {
                    return Err(self.error(
                        ErrorCode::LimitExceeded,
                        offset,
                        format!(
                            "too many attributes on `{}`: expected at most {max}",
                            excerpt(element)
                        ),
                    ));
                }
            }
            self.check_name_length("attribute", key.len(), offset)?;
            let key = self.utf8(key, offset)?;
            if !is_xml_name(key) {
                return Err(self.malformed(
                    offset,
                    format!(
                        "invalid attribute name `{}` on `{}`",
                        excerpt(key),
                        excerpt(element)
                    ),
                ));
            }
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.as_bytes()),
                None => {
                    let known = keys.get(..key_count).unwrap_or_default();
                    let duplicate = known.contains(&key.as_bytes());
                    if let Some(slot) = keys.get_mut(key_count) {
                        *slot = key.as_bytes();
                        key_count = key_count.saturating_add(1);
                    } else {
                        let mut set: HashSet<&[u8]> = keys.iter().copied().collect();
                        set.insert(key.as_bytes());
                        seen = Some(set);
                    }
                    duplicate
                }
            };
            if duplicate {
                return Err(self.malformed(
                    offset,
                    format!(
                        "duplicate attribute `{}` on `{}`",
                        excerpt(key),
                        excerpt(element)
                    ),
                ));
            }
            let raw = self.utf8(&attribute.value, offset)?;
            let value = self.attribute_value(raw, key, offset)?;
            attributes.push((self.intern_name(key), value));
        }
        Ok(attributes)
    }

    /// The attribute name, stored once per document and shared (`currency`, `xml:lang`…).
    fn intern_name(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.names.get(name) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(name);
        self.names.insert(Arc::clone(&shared));
        shared
    }

    fn attribute_error(&mut self, error: &AttrError, element: &str, offset: usize) -> Error {
        let (message, relative) = match *error {
            AttrError::ExpectedEq(at) => ("expected `=` after the attribute name", at),
            AttrError::ExpectedValue(at) => ("expected a quoted attribute value", at),
            AttrError::UnquotedValue(at) => (
                "expected a quoted attribute value, found an unquoted one",
                at,
            ),
            AttrError::ExpectedQuote(at, _) => {
                ("expected the closing quote of the attribute value", at)
            }
            AttrError::Duplicated(at, _) => ("duplicate attribute", at),
        };
        // Positions are relative to the byte after `<`.
        self.malformed(
            offset.saturating_add(1).saturating_add(relative),
            format!("{message} on `{}`", excerpt(element)),
        )
    }

    /// Unescapes and normalizes an attribute value (XML 1.0 §3.3.3): whitespace characters become
    /// spaces (`\r\n` one space), references are replaced, a raw `<` is not well-formed.
    fn attribute_value(&mut self, raw: &str, key: &str, offset: usize) -> Result<String> {
        let max = self.limits.max_text_bytes;
        let needs_work = raw
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r'));
        if !needs_work {
            if raw.len() > max {
                return Err(self.value_too_long(key, offset));
            }
            return Ok(raw.to_owned());
        }
        let mut value = String::with_capacity(raw.len().min(max));
        let mut rest = raw;
        while let Some(index) = rest.find(['&', '<', '\t', '\n', '\r']) {
            value.push_str(rest.get(..index).unwrap_or_default());
            let tail = rest.get(index..).unwrap_or_default();
            match tail.as_bytes().first() {
                Some(b'&') => {
                    let Some(end) = tail.find(';') else {
                        return Err(self.malformed(
                            offset,
                            format!(
                                "unterminated reference in attribute `{}`: expected `;`",
                                excerpt(key)
                            ),
                        ));
                    };
                    let name = tail.get(1..end).unwrap_or_default();
                    let c = self.resolve_reference(name, offset)?;
                    value.push(c);
                    rest = tail.get(end.saturating_add(1)..).unwrap_or_default();
                }
                Some(b'<') => {
                    return Err(self.malformed(
                        offset,
                        format!("unescaped `<` in the value of attribute `{}`", excerpt(key)),
                    ));
                }
                Some(b'\r') => {
                    value.push(' ');
                    let skip = if tail.as_bytes().get(1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    rest = tail.get(skip..).unwrap_or_default();
                }
                _ => {
                    value.push(' ');
                    rest = tail.get(1..).unwrap_or_default();
                }
            }
            if value.len() > max {
                return Err(self.value_too_long(key, offset));
            }
        }
        value.push_str(rest);
        if value.len() > max {
            return Err(self.value_too_long(key, offset));
        }
        Ok(value)
    }

    fn value_too_long(&mut self, key: &str, offset: usize) -> Error {
        let max = self.limits.max_text_bytes;
        self.error(
            ErrorCode::LimitExceeded,
            offset,
            format!(
                "value of attribute `{}` exceeds the limit: expected at most {max} bytes",
                excerpt(key)
            ),
        )
    }

    /// The character a reference `&name;` stands for: one of the five predefined entities or a
    /// character reference to an XML `Char`. Nothing else is ever declared.
    fn resolve_reference(&mut self, name: &str, offset: usize) -> Result<char> {
        match name {
            "lt" => return Ok('<'),
            "gt" => return Ok('>'),
            "amp" => return Ok('&'),
            "apos" => return Ok('\''),
            "quot" => return Ok('"'),
            _ => {}
        }
        if let Some(number) = name.strip_prefix('#') {
            let (digits, radix) = match number.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            let well_formed = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
            if !well_formed {
                return Err(self.malformed(
                    offset,
                    format!("malformed character reference `&{};`", excerpt(name)),
                ));
            }
            let code_point = digits.chars().try_fold(0u32, |acc, c| {
                acc.checked_mul(radix)?.checked_add(c.to_digit(radix)?)
            });
            return match code_point.and_then(char::from_u32) {
                Some(c) if code_point.is_some_and(code_point_is_xml_char) => Ok(c),
                _ => Err(self.error(
                    ErrorCode::ForbiddenXml,
                    offset,
                    format!(
                        "character reference `&{};` is outside the XML character range",
                        excerpt(name)
                    ),
                )),
            };
        }
        if is_xml_name(name) {
            return Err(self.error(
                ErrorCode::ForbiddenXml,
                offset,
                format!(
                    "undeclared entity `&{};`: expected `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;` or a character reference",
                    excerpt(name)
                ),
            ));
        }
        Err(self.malformed(offset, format!("malformed reference `&{};`", excerpt(name))))
    }

    /// Moves the text read since the last child of the innermost element into its children.
    fn flush_text(&mut self) {
        if let Some(frame) = self.stack.last_mut() {
            if !frame.pending_text.is_empty() {
                let text = match indentation(&frame.pending_text) {
                    // The buffer stays for the element's next text.
                    Some(indentation) => {
                        frame.pending_text.clear();
                        std::borrow::Cow::Borrowed(indentation)
                    }
                    None => std::borrow::Cow::Owned(std::mem::take(&mut frame.pending_text)),
                };
                frame.element.children.push(Node::Text(text));
            }
        }
    }

    fn attach(&mut self, element: Element) {
        match self.stack.last_mut() {
            Some(parent) => parent.element.children.push(Node::Element(element)),
            None => self.root = Some(element),
        }
    }

    fn end(&mut self, _offset: usize) -> Result<()> {
        // quick-xml has checked that the end tag matches the innermost open element.
        self.flush_text();
        if let Some(frame) = self.stack.pop() {
            self.attach(frame.element);
        }
        Ok(())
    }

    fn text(&mut self, text: &str, offset: usize, cdata: bool) -> Result<()> {
        if self.stack.is_empty() {
            if cdata || !text.chars().all(is_xml_whitespace) {
                let what = if cdata { "a CDATA section" } else { "text" };
                let place = if self.root.is_some() {
                    "after"
                } else {
                    "before"
                };
                return Err(self.malformed(
                    offset,
                    format!("expected markup {place} the root element, found {what}"),
                ));
            }
            return Ok(());
        }
        if !cdata && text.contains("]]>") {
            return Err(self.malformed(offset, "`]]>` is not allowed in text"));
        }
        self.append_text(text, offset, true)
    }

    /// Appends character data to the innermost element; `normalize` applies line-end
    /// normalization (not to a character reference: `&#13;` stays a CR).
    fn append_text(&mut self, text: &str, offset: usize, normalize: bool) -> Result<()> {
        let max = self.limits.max_text_bytes;
        let pending = self
            .stack
            .last()
            .map_or(0, |frame| frame.pending_text.len());
        if pending.saturating_add(text.len()) > max {
            // `\r\n` shrinks on normalization; only a text that stays too long is refused.
            let normalized = text.len().saturating_sub(text.matches("\r\n").count());
            if pending.saturating_add(normalized) > max {
                return Err(self.error(
                    ErrorCode::LimitExceeded,
                    offset,
                    format!("text node exceeds the limit: expected at most {max} bytes"),
                ));
            }
        }
        self.add_tree_bytes(text.len(), offset)?;
        if let Some(frame) = self.stack.last_mut() {
            let pending = &mut frame.pending_text;
            if pending.is_empty() {
                self.tree_bytes = self.tree_bytes.saturating_add(NODE_OVERHEAD);
            }
            if normalize {
                push_normalized(pending, text);
            } else {
                pending.push_str(text);
            }
        }
        Ok(())
    }

    fn reference(&mut self, name: &str, offset: usize) -> Result<()> {
        let c = self.resolve_reference(name, offset)?;
        if self.stack.is_empty() {
            let place = if self.root.is_some() {
                "after"
            } else {
                "before"
            };
            return Err(self.malformed(
                offset,
                format!("expected markup {place} the root element, found a reference"),
            ));
        }
        let mut buffer = [0u8; 4];
        self.append_text(c.encode_utf8(&mut buffer), offset, false)
    }

    fn doctype(&mut self, offset: usize, end: usize) -> Result<()> {
        let raw = self.text.get(offset..end).unwrap_or_default();
        if !raw.starts_with("<!DOCTYPE") {
            let found = raw.get(..9).unwrap_or(raw);
            return Err(self.malformed(
                offset,
                format!("expected `<!DOCTYPE`, found `{}`", excerpt(found)),
            ));
        }
        if self.root.is_some() || !self.stack.is_empty() {
            return Err(self.malformed(
                offset,
                "expected the DOCTYPE before the root element, found it inside or after",
            ));
        }
        if self.doctype_seen {
            return Err(self.malformed(offset, "expected at most one DOCTYPE, found a second"));
        }
        self.doctype_seen = true;
        match self.options.doctype {
            DoctypePolicy::Forbidden => Err(self.error(
                ErrorCode::ForbiddenXml,
                offset,
                "DOCTYPE is not allowed in this document",
            )),
            DoctypePolicy::CxmlExternalOnly => {
                // Between `<!DOCTYPE` and the final `>`.
                let inner = raw.get(9..raw.len().saturating_sub(1)).unwrap_or_default();
                match strict_cxml_doctype(inner) {
                    Some(system_id) => {
                        self.doctype_system_id = Some(system_id.to_owned());
                        Ok(())
                    }
                    None => {
                        let message = refused_doctype_message(inner);
                        Err(self.error(ErrorCode::ForbiddenXml, offset, message))
                    }
                }
            }
        }
    }

    fn finish(mut self, end: usize) -> Result<(Element, Option<String>)> {
        if let Some(frame) = self.stack.last() {
            let name = excerpt(frame.element.name());
            return Err(self.malformed(
                end,
                format!("element `{name}` is not closed: expected `</{name}>`, found end of input"),
            ));
        }
        match self.root.take() {
            Some(root) => Ok((root, self.doctype_system_id)),
            None => Err(self.malformed(end, "expected a root element, found end of input")),
        }
    }

    fn quick_xml_error(&mut self, error: &QuickXmlError, offset: usize) -> Error {
        let message = match error {
            QuickXmlError::Syntax(syntax) => match syntax {
                SyntaxError::InvalidBangMarkup => {
                    "expected a comment, CDATA section or DOCTYPE after `<!`".to_owned()
                }
                SyntaxError::UnclosedPI => {
                    "unterminated processing instruction: expected `?>`, found end of input"
                        .to_owned()
                }
                SyntaxError::UnclosedXmlDecl => {
                    "unterminated XML declaration: expected `?>`, found end of input".to_owned()
                }
                SyntaxError::UnclosedComment => {
                    "unterminated comment: expected `-->`, found end of input".to_owned()
                }
                SyntaxError::UnclosedDoctype => {
                    "unterminated DOCTYPE: expected `>`, found end of input".to_owned()
                }
                SyntaxError::UnclosedCData => {
                    "unterminated CDATA section: expected `]]>`, found end of input".to_owned()
                }
                SyntaxError::UnclosedTag => {
                    "unclosed tag: expected `>`, found end of input".to_owned()
                }
                SyntaxError::UnclosedSingleQuotedAttributeValue => {
                    "unterminated attribute value: expected `'`, found end of input".to_owned()
                }
                SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                    "unterminated attribute value: expected `\"`, found end of input".to_owned()
                }
            },
            QuickXmlError::IllFormed(ill_formed) => {
                match ill_formed {
                    IllFormedError::MissingDoctypeName => {
                        "empty DOCTYPE: expected a document type name".to_owned()
                    }
                    IllFormedError::MissingEndTag(name) => {
                        let name = excerpt(name);
                        format!("element `{name}` is not closed: expected `</{name}>`, found end of input")
                    }
                    IllFormedError::UnmatchedEndTag(name) => {
                        format!(
                            "unexpected end tag `</{}>`: no element is open",
                            excerpt(name)
                        )
                    }
                    IllFormedError::MismatchedEndTag { expected, found } => format!(
                        "expected `</{}>`, found `</{}>`",
                        excerpt(expected),
                        excerpt(found)
                    ),
                    IllFormedError::DoubleHyphenInComment => {
                        "`--` is not allowed in a comment".to_owned()
                    }
                    IllFormedError::UnclosedReference => {
                        "unterminated reference: expected `;` after `&`".to_owned()
                    }
                    IllFormedError::MissingDeclVersion(_) | IllFormedError::UnknownVersion => {
                        "malformed XML declaration".to_owned()
                    }
                }
            }
            other => format!("malformed XML: {}", excerpt(&other.to_string())),
        };
        self.malformed(offset, message)
    }
}

/// A line end and up to 128 spaces, or up to 128 tabs: the indentation of pretty-printed XML.
const SPACES: &str = concat!(
    "\n",
    "                                                                ",
    "                                                                "
);
const TABS: &str = concat!(
    "\n",
    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t",
    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t",
    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t",
    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
);

/// `text` as a slice of a static string when it is indentation (a line end, then only spaces
/// or only tabs, as pretty-printed XML has between elements), so that it costs no allocation.
fn indentation(text: &str) -> Option<&'static str> {
    let rest = text.strip_prefix('\n')?;
    let source = match rest.as_bytes().first() {
        None | Some(b' ') => SPACES,
        Some(b'\t') => TABS,
        Some(_) => return None,
    };
    let fill = source.as_bytes().get(1).copied().unwrap_or(b' ');
    if text.len() <= source.len() && rest.bytes().all(|byte| byte == fill) {
        source.get(..text.len())
    } else {
        None
    }
}

/// Appends `text` with line ends normalized (XML 1.0 §2.11): `\r\n` and a lone `\r` become `\n`.
fn push_normalized(out: &mut String, text: &str) {
    if !text.contains('\r') {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(index) = rest.find('\r') {
        out.push_str(rest.get(..index).unwrap_or_default());
        out.push('\n');
        let after = rest.get(index.saturating_add(1)..).unwrap_or_default();
        rest = after.strip_prefix('\n').unwrap_or(after);
    }
    out.push_str(rest);
}

/// The system identifier of exactly `S 'cXML' S 'SYSTEM' S ("…" | '…') S?`, the content of an
/// accepted cXML DOCTYPE between `<!DOCTYPE` and `>`; `None` for anything else.
fn strict_cxml_doctype(inner: &str) -> Option<&str> {
    let rest = skip_required_whitespace(inner)?;
    let rest = rest.strip_prefix("cXML")?;
    let rest = skip_required_whitespace(rest)?;
    let rest = rest.strip_prefix("SYSTEM")?;
    let rest = skip_required_whitespace(rest)?;
    let quote = rest.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let literal = rest.get(1..)?;
    let end = literal.find(quote)?;
    let system_id = literal.get(..end)?;
    let tail = literal.get(end.saturating_add(1)..)?;
    tail.bytes()
        .all(is_xml_whitespace_byte)
        .then_some(system_id)
}

fn skip_required_whitespace(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches(is_xml_whitespace);
    (rest.len() < text.len()).then_some(rest)
}

/// Why a DOCTYPE that is not the strict external cXML form is refused.
fn refused_doctype_message(inner: &str) -> String {
    const EXPECTED: &str = "expected `<!DOCTYPE cXML SYSTEM \"…\">`";
    if inner.contains('[') {
        return format!("internal DTD subset `[` is not allowed: {EXPECTED}");
    }
    if inner.contains("<!ENTITY") {
        return format!("entity declaration `<!ENTITY` is not allowed: {EXPECTED}");
    }
    if inner.contains('%') {
        return format!("parameter entity `%` is not allowed: {EXPECTED}");
    }
    let mut words = inner.split(is_xml_whitespace).filter(|w| !w.is_empty());
    match (words.next(), words.next()) {
        (Some(root), _) if root != "cXML" => {
            format!("expected DOCTYPE root `cXML`, found `{}`", excerpt(root))
        }
        (_, Some("PUBLIC")) => {
            format!("public identifier is not allowed: {EXPECTED}, found `PUBLIC`")
        }
        _ => format!("{EXPECTED}, found `<!DOCTYPE{}>`", excerpt(inner)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{DeclaredEncoding, XmlLimits};

    fn parse_str(text: &str) -> Result<Document> {
        parse(text.as_bytes(), &ParseOptions::cxml_document())
    }

    fn error(text: &str) -> Error {
        match parse_str(text) {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(error) => error,
        }
    }

    #[test]
    fn errors_carry_line_column_and_path() {
        let error = error("<a>\n  <b>\n    <c></d>\n  </b>\n</a>");
        assert_eq!(error.code(), ErrorCode::MalformedXml);
        assert_eq!(error.message(), "expected `</c>`, found `</d>`");
        assert_eq!(error.location(), &Location::in_document(3, 8, "/a/b/c"));
    }

    #[test]
    fn undeclared_entity_is_located() {
        let error = error("<a>\n <b>x &foo; y</b></a>");
        assert_eq!(error.code(), ErrorCode::ForbiddenXml);
        assert!(error.message().contains("`&foo;`"), "{}", error.message());
        assert_eq!(error.location(), &Location::in_document(2, 7, "/a/b"));
    }

    #[test]
    fn latin1_document_reads_umlauts() {
        let mut bytes =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a b=\"X\">X</a>".to_vec();
        for byte in bytes.iter_mut().filter(|b| **b == b'X') {
            *byte = 0xE4;
        }
        let document = parse(&bytes, &ParseOptions::cxml_document()).unwrap();
        assert_eq!(document.encoding, DeclaredEncoding::Latin1);
        assert_eq!(document.root.text(), "ä");
        assert_eq!(document.root.attribute("b"), Some("ä"));
        assert_eq!((document.root.line(), document.root.column()), (2, 1));
    }

    #[test]
    fn attribute_values_are_normalized() {
        let document = parse_str("<a v=\"x\r\ny\tz\nw&#10;&#9;&#13;&lt;&quot;&apos;\"/>").unwrap();
        assert_eq!(document.root.attribute("v"), Some("x y z w\n\t\r<\"'"));
    }

    #[test]
    fn indentation_is_borrowed_and_reads_as_written() {
        assert_eq!(indentation("\n"), Some("\n"));
        assert_eq!(indentation("\n    "), Some("\n    "));
        assert_eq!(indentation("\n\t\t"), Some("\n\t\t"));
        for text in ["", " ", "\n \t", "\n\t ", "\nx", "\n\n", "  \n"] {
            assert_eq!(indentation(text), None, "{text:?}");
        }
        let deep = format!("\n{}", " ".repeat(128));
        assert_eq!(indentation(&deep), Some(deep.as_str()));
        assert_eq!(indentation(&format!("{deep} ")), None);
        let document = parse_str("<a>\n  <b/>\n\t<c/> x\n</a>").unwrap();
        let texts: Vec<&str> = document
            .root
            .nodes()
            .iter()
            .filter_map(|node| match node {
                Node::Text(text) => Some(&**text),
                Node::Element(_) => None,
            })
            .collect();
        assert_eq!(texts, ["\n  ", "\n\t", " x\n"]);
        assert!(matches!(
            &document.root.nodes()[0],
            Node::Text(std::borrow::Cow::Borrowed(_))
        ));
    }

    #[test]
    fn text_line_ends_are_normalized() {
        let document = parse_str("<a>x\r\ny\rz&#13;</a>").unwrap();
        assert_eq!(document.root.text(), "x\ny\nz\r");
    }

    #[test]
    fn raw_control_character_is_malformed() {
        let error = error("<a>\n x\u{1}</a>");
        assert_eq!(error.code(), ErrorCode::MalformedXml);
        assert_eq!(error.message(), "character `U+0001` is not allowed in XML");
        assert_eq!(
            (error.location().line, error.location().column),
            (Some(2), Some(3))
        );
    }

    #[test]
    fn well_formedness_checks() {
        for text in [
            "<a b='1' b='2'/>",
            "<a><b></a>",
            "<a>]]></a>",
            "<a x='<'/>",
            "<a/><b/>",
            "x<a/>",
            "<a/>x",
            "<![CDATA[x]]><a/>",
            "<a>&#xZZ;</a>",
            "<a>& b;</a>",
            "<a/><?xml version='1.0'?>",
            "<1a/>",
            "<a 1b='x'/>",
            "<a b/>",
            "<a b=x/>",
            "<a>&amp</a>",
            "<a><!-- a -- b --></a>",
            "<?XML version='1.0'?><a/>",
            "</a>",
        ] {
            let error = error(text);
            assert_eq!(error.code(), ErrorCode::MalformedXml, "{text}: {error}");
        }
    }

    #[test]
    fn many_attributes_use_the_hash_set_for_duplicates() {
        let mut text = String::from("<a");
        for i in 0..40 {
            text.push_str(&format!(" a{i}='{i}'"));
        }
        let ok = format!("{text}/>");
        assert_eq!(parse_str(&ok).unwrap().root.attributes().count(), 40);
        let duplicate = format!("{text} a3='x'/>");
        assert!(error(&duplicate)
            .message()
            .starts_with("duplicate attribute `a3`"));
    }

    #[test]
    fn tree_memory_is_bounded() {
        let limits = XmlLimits {
            max_tree_bytes: 4096,
            ..XmlLimits::default()
        };
        let options = ParseOptions {
            limits,
            doctype: DoctypePolicy::Forbidden,
        };
        let text = format!("<a>{}</a>", "<b/>".repeat(200));
        let error = parse(text.as_bytes(), &options).unwrap_err();
        assert_eq!(error.code(), ErrorCode::LimitExceeded);
    }

    #[test]
    fn strict_doctype_pattern() {
        assert_eq!(strict_cxml_doctype(" cXML SYSTEM \"a.dtd\""), Some("a.dtd"));
        assert_eq!(
            strict_cxml_doctype("\n\tcXML\nSYSTEM\n'a.dtd'\n"),
            Some("a.dtd")
        );
        assert_eq!(strict_cxml_doctype(" cXML SYSTEM \"a.dtd\" []"), None);
        assert_eq!(strict_cxml_doctype(" cXML PUBLIC \"x\" \"a.dtd\""), None);
        assert_eq!(strict_cxml_doctype(" cxml SYSTEM \"a.dtd\""), None);
        assert_eq!(strict_cxml_doctype(" cXMLSYSTEM \"a.dtd\""), None);
        assert_eq!(strict_cxml_doctype(" cXML SYSTEM \"a.dtd"), None);
    }
}
