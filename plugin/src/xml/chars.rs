//! XML 1.0 character classes: `Char`, `S`, `NameStartChar`, `NameChar`.

/// `S ::= (#x20 | #x9 | #xD | #xA)+`
pub(crate) fn is_xml_whitespace_byte(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// `S`, for a `char`.
pub(crate) fn is_xml_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`
///
/// Surrogates cannot occur in a `char`, so only the C0 controls and U+FFFE/U+FFFF are excluded.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// The same as [`is_xml_char`] for a code point that may not be a `char` (a surrogate or a value
/// above U+10FFFF).
pub(crate) fn code_point_is_xml_char(code_point: u32) -> bool {
    char::from_u32(code_point).is_some_and(is_xml_char)
}

/// The byte offset and the character of the first character in `text` that is not an XML `Char`.
///
/// One pass over the bytes: C0 controls are single bytes, U+FFFE and U+FFFF are `EF BF BE` and
/// `EF BF BF` in UTF-8, and `text` is valid UTF-8, so no other byte pattern can be outside `Char`.
pub(crate) fn find_non_xml_char(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while let Some(found) = bytes
        .get(index..)
        .and_then(|rest| rest.iter().position(|&b| b < 0x20 || b == 0xEF))
    {
        index = index.saturating_add(found);
        let Some(&byte) = bytes.get(index) else {
            break;
        };
        if byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r') {
            return Some((index, char::from(byte)));
        }
        if byte == 0xEF
            && bytes.get(index.saturating_add(1)) == Some(&0xBF)
            && matches!(bytes.get(index.saturating_add(2)), Some(0xBE | 0xBF))
        {
            let c = if bytes.get(index.saturating_add(2)) == Some(&0xBE) {
                '\u{FFFE}'
            } else {
                '\u{FFFF}'
            };
            return Some((index, c));
        }
        index = index.saturating_add(1);
    }
    None
}

/// `NameStartChar`
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// `NameChar`
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// `Name ::= NameStartChar (NameChar)*`
pub(crate) fn is_xml_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_ascii() {
        let ascii_start = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':';
        return match bytes.split_first() {
            Some((&first, rest)) => {
                ascii_start(first)
                    && rest
                        .iter()
                        .all(|&b| ascii_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.')
            }
            None => false,
        };
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if is_name_start_char(first) => chars.all(is_name_char),
        _ => false,
    }
}

/// A short excerpt of untrusted input for an error message: at most 40 characters, control
/// characters shown as escapes, `…` when cut.
pub(crate) fn excerpt(token: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut out = String::with_capacity(token.len().min(MAX_CHARS * 2));
    for (count, c) in token.chars().enumerate() {
        if count == MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_char_range() {
        assert!(is_xml_char('\t') && is_xml_char('\n') && is_xml_char('\r'));
        assert!(!is_xml_char('\0') && !is_xml_char('\u{1}') && !is_xml_char('\u{1F}'));
        assert!(is_xml_char('\u{7F}') && is_xml_char('\u{D7FF}') && is_xml_char('\u{E000}'));
        assert!(!is_xml_char('\u{FFFE}') && !is_xml_char('\u{FFFF}'));
        assert!(is_xml_char('\u{10000}') && is_xml_char('\u{10FFFF}'));
        assert!(!code_point_is_xml_char(0xD800));
        assert!(!code_point_is_xml_char(0x11_0000));
    }

    #[test]
    fn finds_the_first_character_outside_char() {
        assert_eq!(find_non_xml_char("<a>ok</a>"), None);
        assert_eq!(find_non_xml_char("<a>\u{1}</a>"), Some((3, '\u{1}')));
        assert_eq!(find_non_xml_char("äx\u{FFFF}"), Some((3, '\u{FFFF}')));
        assert_eq!(find_non_xml_char("\u{FFFD}\u{FFFE}"), Some((3, '\u{FFFE}')));
    }

    #[test]
    fn names() {
        assert!(is_xml_name("cXML") && is_xml_name("xml:lang") && is_xml_name("_a-1.b"));
        assert!(is_xml_name("Bestellmenge_ä"));
        assert!(!is_xml_name("") && !is_xml_name("1a") && !is_xml_name("-a"));
        assert!(!is_xml_name("a b") && !is_xml_name("a\"") && !is_xml_name("a<"));
    }

    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt("abc"), "abc");
        assert_eq!(excerpt(&"x".repeat(100)).chars().count(), 41);
        assert_eq!(excerpt("a\u{1}"), "a\\u{1}");
    }
}
