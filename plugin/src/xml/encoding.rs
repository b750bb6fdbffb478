//! Which encoding a document is in (byte order mark, XML declaration) and its decoding to UTF-8.
//!
//! UTF-8 is the default. ISO-8859-1, windows-1252 and their aliases (as listed by the WHATWG
//! Encoding Standard, which also maps `US-ASCII` there) are decoded as windows-1252, a superset of
//! ISO-8859-1 for the printable range, because real SAP systems send Latin-1. Everything else
//! (UTF-16, UTF-32, EBCDIC, other legacy code pages) is refused with
//! [`ErrorCode::UnsupportedEncoding`].

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::chars::{excerpt, is_xml_whitespace_byte};
use super::document::DeclaredEncoding;
use super::position::{at_line_column, line_column};
use crate::error::{Error, ErrorCode, Result};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The document as UTF-8 text, without byte order mark.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) encoding: DeclaredEncoding,
}

/// Detects the encoding and decodes `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>> {
    let (body, utf8_bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if !utf8_bom {
        if let Some(name) = sniff_unsupported(bytes) {
            return Err(Error::new(
                ErrorCode::UnsupportedEncoding,
                format!("unsupported encoding `{name}`, expected `UTF-8`, `ISO-8859-1` or `windows-1252`"),
            )
            .at(at_line_column((1, 1))));
        }
    }
    let encoding = match declared_label(body)? {
        None => DeclaredEncoding::Utf8,
        Some((label, offset)) => {
            let at = at_line_column(line_column(body, offset));
            match Encoding::for_label_no_replacement(label.as_bytes()) {
                Some(e) if e == UTF_8 => DeclaredEncoding::Utf8,
                Some(e) if e == WINDOWS_1252 => {
                    if utf8_bom {
                        return Err(Error::new(
                            ErrorCode::MalformedXml,
                            format!("declared encoding `{}` contradicts the UTF-8 byte order mark", excerpt(label)),
                        )
                        .at(at));
                    }
                    DeclaredEncoding::Latin1
                }
                _ => {
                    return Err(Error::new(
                        ErrorCode::UnsupportedEncoding,
                        format!(
                            "unsupported encoding `{}`, expected `UTF-8`, `ISO-8859-1` or `windows-1252`",
                            excerpt(label)
                        ),
                    )
                    .at(at))
                }
            }
        }
    };
    let text = match encoding {
        DeclaredEncoding::Utf8 => match std::str::from_utf8(body) {
            Ok(text) => Cow::Borrowed(text),
            Err(error) => {
                let offset = error.valid_up_to();
                let message = match (error.error_len(), body.get(offset)) {
                    (Some(_), Some(byte)) => format!("invalid UTF-8: unexpected byte `0x{byte:02X}`"),
                    _ => "invalid UTF-8: expected the rest of a multi-byte sequence, found end of input"
                        .to_owned(),
                };
                return Err(Error::new(ErrorCode::MalformedXml, message)
                    .at(at_line_column(line_column(body, offset))));
            }
        },
        DeclaredEncoding::Latin1 => WINDOWS_1252.decode_without_bom_handling(body).0,
    };
    Ok(Decoded { text, encoding })
}

/// The name of an encoding that is recognisable from the first bytes and is not ASCII-compatible.
fn sniff_unsupported(bytes: &[u8]) -> Option<&'static str> {
    const PATTERNS: &[(&[u8], &str)] = &[
        (b"\x00\x00\xFE\xFF", "UTF-32"),
        (b"\xFF\xFE\x00\x00", "UTF-32"),
        (b"\x00\x00\x00\x3C", "UTF-32"),
        (b"\x3C\x00\x00\x00", "UTF-32"),
        (b"\xFE\xFF", "UTF-16"),
        (b"\xFF\xFE", "UTF-16"),
        (b"\x00\x3C", "UTF-16"),
        (b"\x3C\x00", "UTF-16"),
        (b"\x4C\x6F\xA7\x94", "EBCDIC"),
    ];
    PATTERNS
        .iter()
        .find(|(pattern, _)| bytes.starts_with(pattern))
        .map(|&(_, name)| name)
}

/// The encoding label of the XML declaration at the very start of `body` and its byte offset, or
/// `None` without declaration or `encoding`. A declaration without `?>` is left to the parser,
/// which reports it as unclosed.
fn declared_label(body: &[u8]) -> Result<Option<(&str, usize)>> {
    let Some(after) = body.strip_prefix(b"<?xml") else {
        return Ok(None);
    };
    match after.first() {
        Some(&b) if is_xml_whitespace_byte(b) || b == b'?' => {}
        _ => return Ok(None),
    }
    let Some(end) = after.windows(2).position(|w| w == b"?>") else {
        return Ok(None);
    };
    let content = after.get(..end).unwrap_or_default();
    let mut scanner = DeclScanner {
        content,
        index: 0,
        base: 5,
        body,
    };
    let mut label = None;
    let mut allowed: &[&str] = &["version"];
    let mut saw_version = false;
    while let Some((name, value, value_offset)) = scanner.next_pseudo_attribute()? {
        if !allowed.contains(&name) {
            return Err(scanner.error(
                value_offset,
                format!(
                    "malformed XML declaration: expected {}, found `{}`",
                    expected_list(allowed),
                    excerpt(name)
                ),
            ));
        }
        match name {
            "version" => {
                let valid = value.strip_prefix("1.").is_some_and(|minor| {
                    !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())
                });
                if !valid {
                    return Err(scanner.error(
                        value_offset,
                        format!(
                            "unsupported XML version `{}`, expected `1.0`",
                            excerpt(value)
                        ),
                    ));
                }
                saw_version = true;
                allowed = &["encoding", "standalone"];
            }
            "encoding" => {
                let valid = value.bytes().enumerate().all(|(i, b)| {
                    b.is_ascii_alphabetic()
                        || (i > 0 && (b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')))
                });
                if value.is_empty() || !valid {
                    return Err(scanner.error(
                        value_offset,
                        format!("malformed encoding name `{}`", excerpt(value)),
                    ));
                }
                label = Some((value, value_offset));
                allowed = &["standalone"];
            }
            _ => {
                if value != "yes" && value != "no" {
                    return Err(scanner.error(
                        value_offset,
                        format!(
                            "expected standalone `yes` or `no`, found `{}`",
                            excerpt(value)
                        ),
                    ));
                }
                allowed = &[];
            }
        }
    }
    if !saw_version {
        return Err(scanner.error(
            scanner.base,
            "malformed XML declaration: expected `version`, found `?>`".to_owned(),
        ));
    }
    Ok(label)
}

fn expected_list(expected: &[&str]) -> String {
    if expected.is_empty() {
        return "`?>`".to_owned();
    }
    let names: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
    format!("{} or `?>`", names.join(", "))
}

/// Reads `name = "value"` pairs of an XML declaration.
struct DeclScanner<'a> {
    content: &'a [u8],
    index: usize,
    /// Offset of `content` in `body`.
    base: usize,
    body: &'a [u8],
}

impl<'a> DeclScanner<'a> {
    fn error(&self, offset: usize, message: String) -> Error {
        Error::new(ErrorCode::MalformedXml, message)
            .at(at_line_column(line_column(self.body, offset)))
    }

    fn skip_whitespace(&mut self) -> usize {
        let start = self.index;
        while self
            .content
            .get(self.index)
            .is_some_and(|&b| is_xml_whitespace_byte(b))
        {
            self.index = self.index.saturating_add(1);
        }
        self.index.saturating_sub(start)
    }

    fn next_pseudo_attribute(&mut self) -> Result<Option<(&'a str, &'a str, usize)>> {
        let skipped = self.skip_whitespace();
        if self.index >= self.content.len() {
            return Ok(None);
        }
        let malformed = |this: &Self| {
            this.error(
                this.base.saturating_add(this.index),
                "malformed XML declaration: expected `name=\"value\"`".to_owned(),
            )
        };
        if skipped == 0 {
            return Err(malformed(self));
        }
        let name_start = self.index;
        while self
            .content
            .get(self.index)
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            self.index = self.index.saturating_add(1);
        }
        let name = self.text(name_start, self.index);
        self.skip_whitespace();
        if self.content.get(self.index) != Some(&b'=') || name.is_empty() {
            return Err(malformed(self));
        }
        self.index = self.index.saturating_add(1);
        self.skip_whitespace();
        let quote = match self.content.get(self.index) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => return Err(malformed(self)),
        };
        self.index = self.index.saturating_add(1);
        let value_start = self.index;
        let Some(length) = self
            .content
            .get(value_start..)
            .and_then(|rest| rest.iter().position(|&b| b == quote))
        else {
            return Err(malformed(self));
        };
        self.index = value_start.saturating_add(length).saturating_add(1);
        let value = self.text(value_start, value_start.saturating_add(length));
        Ok(Some((name, value, self.base.saturating_add(value_start))))
    }

    /// Pseudo-attribute names and values that matter are ASCII; anything else reads as a value
    /// that fails validation.
    fn text(&self, start: usize, end: usize) -> &'a str {
        self.content
            .get(start..end)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or("\u{FFFD}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(bytes: &[u8]) -> ErrorCode {
        match decode(bytes) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.code(),
        }
    }

    #[test]
    fn defaults_to_utf8_and_strips_the_bom() {
        let decoded = decode(b"\xEF\xBB\xBF<a/>").unwrap();
        assert_eq!(decoded.text, "<a/>");
        assert_eq!(decoded.encoding, DeclaredEncoding::Utf8);
    }

    #[test]
    fn latin1_labels_decode_as_windows_1252() {
        for label in [
            "ISO-8859-1",
            "iso-8859-1",
            "latin1",
            "L1",
            "windows-1252",
            "CP1252",
        ] {
            let doc = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><a>\u{0}</a>")
                .replace('\u{0}', "X");
            let mut bytes = doc.into_bytes();
            let x = bytes.iter().position(|&b| b == b'X').unwrap();
            bytes[x] = 0xE4;
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.encoding, DeclaredEncoding::Latin1, "{label}");
            assert!(decoded.text.ends_with("<a>ä</a>"), "{label}");
        }
    }

    #[test]
    fn refuses_other_encodings() {
        assert_eq!(
            code(b"<?xml version='1.0' encoding='UTF-16'?><a/>"),
            ErrorCode::UnsupportedEncoding
        );
        assert_eq!(
            code(b"<?xml version='1.0' encoding='IBM037'?><a/>"),
            ErrorCode::UnsupportedEncoding
        );
        assert_eq!(
            code(b"\xFF\xFE<\x00a\x00/\x00>\x00"),
            ErrorCode::UnsupportedEncoding
        );
        assert_eq!(code(b"<\x00?\x00x\x00"), ErrorCode::UnsupportedEncoding);
        assert_eq!(
            code(b"\x4C\x6F\xA7\x94\x93"),
            ErrorCode::UnsupportedEncoding
        );
    }

    #[test]
    fn malformed_declarations() {
        assert_eq!(
            code(b"<?xml encoding='UTF-8'?><a/>"),
            ErrorCode::MalformedXml
        );
        assert_eq!(code(b"<?xml version='2.0'?><a/>"), ErrorCode::MalformedXml);
        assert_eq!(
            code(b"<?xml version='1.0' encoding='8bit'?><a/>"),
            ErrorCode::MalformedXml
        );
        assert_eq!(
            code(b"<?xml version='1.0' standalone='maybe'?><a/>"),
            ErrorCode::MalformedXml
        );
        assert_eq!(
            code(b"<?xml version='1.0'encoding='UTF-8'?><a/>"),
            ErrorCode::MalformedXml
        );
        assert_eq!(code(b"<?xml?><a/>"), ErrorCode::MalformedXml);
        assert_eq!(
            code(b"\xEF\xBB\xBF<?xml version='1.0' encoding='latin1'?><a/>"),
            ErrorCode::MalformedXml
        );
        assert!(decode(b"<?xml version='1.0' standalone='yes'?><a/>").is_ok());
        assert!(
            decode(b"<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\" ?><a/>").is_ok()
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let error = decode(b"<a>\n  ok \xFF</a>").unwrap_err();
        assert_eq!(error.code(), ErrorCode::MalformedXml);
        assert_eq!(error.message(), "invalid UTF-8: unexpected byte `0xFF`");
        assert_eq!(error.location().line, Some(2));
        assert_eq!(error.location().column, Some(6));
    }
}
