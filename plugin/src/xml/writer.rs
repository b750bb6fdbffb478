//! [`XmlWriter`]: the one way documents are generated.

/// Writes an XML document into a `String`: the one way documents are generated.
///
/// Element-only content is indented by two spaces, one element per line; inside a leaf or mixed
/// content nothing is added. Names are written as given (they come from code, not from input);
/// text and attribute values are escaped:
///
/// | character | in text | in an attribute value (always in `"`) |
/// |---|---|---|
/// | `&` `<` `>` | `&amp;` `&lt;` `&gt;` | `&amp;` `&lt;` `&gt;` |
/// | `"` | as is | `&quot;` |
/// | tab, LF | as is | `&#9;` `&#10;` (survive attribute-value normalization) |
/// | CR | `&#13;` (survives line-end normalization) | `&#13;` |
/// | other C0 controls, U+FFFE, U+FFFF | U+FFFD | U+FFFD |
///
/// XML 1.0 cannot represent the characters of the last row at all, not even as character
/// references, so they are replaced by U+FFFD REPLACEMENT CHARACTER; everything else reads back
/// exactly. Escaping writes straight into the output buffer and copies unescaped runs whole.
///
/// ```
/// use punchout_plugin::xml::XmlWriter;
///
/// let mut writer = XmlWriter::new();
/// writer.open("ItemDetail", &[]);
/// writer.leaf("Description", &[("xml:lang", "en")], "Paper <A4> & \"more\"");
/// writer.open_mixed("Comments", &[], "see ");
/// writer.leaf("Attachment", &[], "x");
/// writer.close("Comments");
/// writer.empty("UnitOfMeasure", &[("code", "EA")]);
/// writer.close("ItemDetail");
/// assert_eq!(
///     writer.finish(),
///     "<ItemDetail>\n  <Description xml:lang=\"en\">Paper &lt;A4&gt; &amp; \"more\"</Description>\n  \
///      <Comments>see <Attachment>x</Attachment></Comments>\n  <UnitOfMeasure code=\"EA\"/>\n</ItemDetail>\n"
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// Open elements.
    depth: usize,
    /// The depth (before opening) of the element whose mixed content is being written, if any.
    mixed_from: Option<usize>,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        XmlWriter {
            out: String::with_capacity(capacity),
            ..XmlWriter::default()
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` and a line end.
    pub fn declaration(&mut self) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /// `<!DOCTYPE root SYSTEM "system_id">` and a line end. A system identifier holding `"` is
    /// written in single quotes; one holding both quote characters has `"` percent-encoded.
    pub fn doctype(&mut self, root: &str, system_id: &str) {
        self.out.push_str("<!DOCTYPE ");
        self.out.push_str(root);
        self.out.push_str(" SYSTEM ");
        let (quote, id) = match (system_id.contains('"'), system_id.contains('\'')) {
            (false, _) => ('"', system_id.to_owned()),
            (true, false) => ('\'', system_id.to_owned()),
            (true, true) => ('"', system_id.replace('"', "%22")),
        };
        self.out.push(quote);
        push_replacing_unrepresentable(&mut self.out, &id);
        self.out.push(quote);
        self.out.push_str(">\n");
    }

    /// Opens an element whose content is elements: on its own line, children indented.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attributes);
        self.out.push('>');
        self.line_end();
        self.depth = self.depth.saturating_add(1);
    }

    /// Closes the innermost open element (`name` must be its name).
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        let closes_mixed = self.mixed_from == Some(self.depth);
        if self.mixed_from.is_none() {
            self.indent();
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        if closes_mixed {
            self.mixed_from = None;
        }
        self.line_end();
    }

    /// `<name attributes>text</name>` on one line.
    pub fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.indent();
        self.start_tag(name, attributes);
        self.out.push('>');
        escape_text(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.line_end();
    }

    /// `<name attributes/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attributes);
        self.out.push_str("/>");
        self.line_end();
    }

    /// Opens an element with mixed content and writes its first text: `<name>text`. Everything
    /// written inside it up to the matching [`close`](XmlWriter::close) stays inline, without
    /// indentation or line ends.
    pub fn open_mixed(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.indent();
        self.start_tag(name, attributes);
        self.out.push('>');
        escape_text(&mut self.out, text);
        if self.mixed_from.is_none() {
            self.mixed_from = Some(self.depth);
        }
        self.depth = self.depth.saturating_add(1);
    }

    /// Escaped text at the current position, for mixed content after a child element. Outside
    /// mixed content it is written where the writer stands, without indentation.
    pub fn text(&mut self, text: &str) {
        escape_text(&mut self.out, text);
    }

    /// The output buffer, for markup written as prepared pieces (already escaped, at the
    /// writer's current depth, leaving it there).
    pub(crate) fn buffer(&mut self) -> &mut String {
        &mut self.out
    }

    /// The document written so far.
    pub fn finish(self) -> String {
        self.out
    }

    fn indent(&mut self) {
        if self.mixed_from.is_none() {
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    fn line_end(&mut self) {
        if self.mixed_from.is_none() {
            self.out.push('\n');
        }
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_attribute(&mut self.out, value);
            self.out.push('"');
        }
    }
}

/// What a byte that needs attention is replaced by, in text or in an attribute value. Bytes are
/// checked one by one; only ASCII bytes and the lead byte `0xEF` of U+FFFE/U+FFFF can need it, and
/// both are char boundaries, so the unescaped runs in between are whole `str` slices.
fn replacement(byte: u8, attribute: bool) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'\r' => Some("&#13;"),
        b'"' if attribute => Some("&quot;"),
        b'\t' if attribute => Some("&#9;"),
        b'\n' if attribute => Some("&#10;"),
        b'\t' | b'\n' | b'"' => None,
        0..=0x1F => Some("\u{FFFD}"),
        _ => None,
    }
}

/// Appends `text` escaped as element content.
pub(crate) fn escape_text(out: &mut String, text: &str) {
    escape(out, text, false);
}

/// Appends `value` escaped for a double-quoted attribute value.
pub(crate) fn escape_attribute(out: &mut String, value: &str) {
    escape(out, value, true);
}

/// Whether a byte may need replacing: markup characters, C0 controls, and 0xEF (the lead byte of
/// U+FFFE and U+FFFF). Everything else is copied in runs.
const fn needs_attention(byte: u8) -> bool {
    (byte < 0x20)
        | (byte == b'&')
        | (byte == b'<')
        | (byte == b'>')
        | (byte == b'"')
        | (byte == 0xEF)
}

/// [`needs_attention`] as a table, for looking at one byte at a time.
static NEEDS_ATTENTION: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    loop {
        table[byte as usize] = needs_attention(byte);
        if byte == u8::MAX {
            break;
        }
        byte = byte.saturating_add(1);
    }
    table
};

/// The position of the first byte from `from` on that `table` flags (`special` says the same
/// as a comparison). Clean text is checked sixteen bytes at a time without a branch per byte (the
/// compiler vectorizes the comparisons), which is what most values are; short values and the
/// chunk with the hit are looked at byte by byte in the table.
#[inline]
pub(crate) fn find_byte(
    bytes: &[u8],
    from: usize,
    table: &[bool; 256],
    special: impl Fn(u8) -> bool,
) -> Option<usize> {
    const CHUNK: usize = 16;
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(CHUNK);
    let mut offset = from;
    for chunk in &mut chunks {
        if chunk
            .iter()
            .fold(false, |found, &byte| found | special(byte))
        {
            break;
        }
        offset = offset.saturating_add(CHUNK);
    }
    bytes
        .get(offset..)?
        .iter()
        .position(|&byte| table[usize::from(byte)])
        .map(|index| offset.saturating_add(index))
}

fn escape(out: &mut String, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut index = 0;
    while let Some(found) = find_byte(bytes, index, &NEEDS_ATTENTION, needs_attention) {
        index = found;
        let Some(&byte) = bytes.get(index) else {
            break;
        };
        let (replace, width) = if byte == 0xEF {
            // U+FFFE and U+FFFF are EF BF BE / EF BF BF
            match (
                bytes.get(index.saturating_add(1)),
                bytes.get(index.saturating_add(2)),
            ) {
                (Some(0xBF), Some(0xBE | 0xBF)) => (Some("\u{FFFD}"), 3),
                _ => (None, 1),
            }
        } else {
            (replacement(byte, attribute), 1)
        };
        if let Some(replace) = replace {
            out.push_str(text.get(run_start..index).unwrap_or_default());
            out.push_str(replace);
            run_start = index.saturating_add(width);
        }
        index = index.saturating_add(width);
    }
    out.push_str(text.get(run_start..).unwrap_or_default());
}

/// Copies `text`, replacing what XML cannot represent by U+FFFD (for the DOCTYPE literal, where
/// no escaping exists).
fn push_replacing_unrepresentable(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| {
        if super::chars::is_xml_char(c) && !matches!(c, '<' | '>') {
            c
        } else {
            '\u{FFFD}'
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{parse, ParseOptions};

    const HOSTILE: &[&str] = &[
        "\"><script>alert(1)</script>",
        "'",
        "&",
        "&amp;",
        "</textarea>",
        "]]>",
        "tab\there",
        "line\nbreak",
        "cr\rlf\r\n",
        "  leading and trailing  ",
        "ä € 𝄞",
        "\u{7F}\u{85}\u{A0}",
        "",
    ];

    #[test]
    fn find_byte_finds_the_first_special_byte_in_and_across_chunks() {
        let special = |byte: u8| byte == b'&';
        let mut table = [false; 256];
        table[usize::from(b'&')] = true;
        for length in 0..40 {
            for at in 0..=length {
                let mut text = vec![b'a'; length];
                if at < length {
                    text[at] = b'&';
                }
                for from in 0..=length {
                    let expected = text
                        .iter()
                        .enumerate()
                        .skip(from)
                        .find(|(_, byte)| **byte == b'&')
                        .map(|(index, _)| index);
                    assert_eq!(
                        find_byte(&text, from, &table, special),
                        expected,
                        "{length} {at} {from}"
                    );
                }
            }
        }
        assert_eq!(find_byte(b"abc", 4, &table, special), None);
        // The table and the comparison say the same.
        for byte in 0..=u8::MAX {
            assert_eq!(NEEDS_ATTENTION[usize::from(byte)], needs_attention(byte));
        }
    }

    #[test]
    fn escapes_text_and_attributes() {
        let mut writer = XmlWriter::new();
        writer.leaf("a", &[("v", "\"<&>'\t\n\r")], "<&>\"'\t\n\r");
        assert_eq!(
            writer.finish(),
            "<a v=\"&quot;&lt;&amp;&gt;'&#9;&#10;&#13;\">&lt;&amp;&gt;\"'\t\n&#13;</a>\n"
        );
    }

    #[test]
    fn replaces_unrepresentable_characters() {
        let mut writer = XmlWriter::new();
        writer.leaf(
            "a",
            &[("v", "x\u{0}\u{1B}\u{FFFE}")],
            "\u{1}y\u{FFFF}\u{FFFD}\u{EFBF}",
        );
        assert_eq!(
            writer.finish(),
            "<a v=\"x\u{FFFD}\u{FFFD}\u{FFFD}\">\u{FFFD}y\u{FFFD}\u{FFFD}\u{EFBF}</a>\n"
        );
    }

    #[test]
    fn indents_element_content_only() {
        let mut writer = XmlWriter::with_capacity(256);
        writer.declaration();
        writer.doctype("cXML", "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd");
        writer.open("cXML", &[("payloadID", "1@x")]);
        writer.open("Header", &[]);
        writer.empty("From", &[]);
        writer.close("Header");
        writer.open_mixed("Comments", &[("xml:lang", "en")], "a ");
        writer.open("b", &[]);
        writer.leaf("i", &[], "c");
        writer.close("b");
        writer.text(" d");
        writer.close("Comments");
        writer.leaf("After", &[], "e");
        writer.close("cXML");
        assert_eq!(
            writer.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd\">\n\
             <cXML payloadID=\"1@x\">\n  <Header>\n    <From/>\n  </Header>\n  \
             <Comments xml:lang=\"en\">a <b><i>c</i></b> d</Comments>\n  <After>e</After>\n</cXML>\n"
        );
    }

    #[test]
    fn doctype_quotes() {
        let mut writer = XmlWriter::new();
        writer.doctype("cXML", "a\"b");
        writer.doctype("cXML", "a\"b'c");
        assert_eq!(
            writer.finish(),
            "<!DOCTYPE cXML SYSTEM 'a\"b'>\n<!DOCTYPE cXML SYSTEM \"a%22b'c\">\n"
        );
    }

    #[test]
    fn hostile_strings_round_trip() {
        let mut writer = XmlWriter::new();
        writer.declaration();
        writer.open("root", &[]);
        for value in HOSTILE {
            writer.leaf("item", &[("value", value)], value);
        }
        writer.open_mixed("mixed", &[], HOSTILE[0]);
        writer.leaf("b", &[], HOSTILE[4]);
        writer.text(HOSTILE[8]);
        writer.close("mixed");
        writer.close("root");
        let xml = writer.finish();
        let document = parse(xml.as_bytes(), &ParseOptions::ubl()).unwrap();
        let items: Vec<_> = document.root.elements_named("item").collect();
        assert_eq!(items.len(), HOSTILE.len());
        for (item, value) in items.iter().zip(HOSTILE) {
            assert_eq!(item.text(), *value);
            assert_eq!(item.attribute("value"), Some(*value));
        }
        let mixed = document.root.required_child("mixed").unwrap();
        assert_eq!(
            mixed.deep_text(),
            format!("{}{}{}", HOSTILE[0], HOSTILE[4], HOSTILE[8])
        );
        // exactly one `<script` can never appear as markup: it is text
        assert!(!xml.contains("<script"));
        assert!(!xml.contains("</textarea>"));
    }

    #[test]
    fn control_characters_round_trip_as_replacement_characters() {
        let mut writer = XmlWriter::new();
        let value = "a\u{0}b\u{8}c\u{1F}d\u{FFFE}e\u{FFFF}f\t\n\r";
        writer.leaf("x", &[("v", value)], value);
        let xml = writer.finish();
        let document = parse(xml.as_bytes(), &ParseOptions::ubl()).unwrap();
        let expected = "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\t\n\r";
        assert_eq!(document.root.text(), expected);
        assert_eq!(document.root.attribute("v"), Some(expected));
    }
}
