//! Writing pages in the charset the buyer asked for (`http_content_charset`).
//!
//! Latin-1 policy: pages asked for as `iso-8859-1` are written as windows-1252, which is what
//! every browser does with that label (WHATWG Encoding), so Latin-1 letters and the typographic
//! characters of windows-1252 (`€ „ “ ” ‘ ’ – — … • ™ Š š Ž ž Œ œ Ÿ`) pass unchanged. Text is put
//! in Unicode Normalization Form C first, so that `e` + U+0301 (combining acute) is the `é` that
//! Latin-1 has rather than `e?`. Any other
//! character is replaced by one character: its closest Latin-1 letter when that is plain (`ł` →
//! `l`, `č` → `c`, `ő` → `ö`, a non-breaking or typographic space → a space, `−` → `-`), else `?`.
//! Never by a numeric character reference: a browser would post `&#322;` back as seven literal
//! characters, which SAP stores as they are. One character for one keeps the field lengths.

use super::settings::OciCharset;

/// Encodes a page in `charset`, applying the Latin-1 policy above.
pub fn encode_page(page: &str, charset: OciCharset) -> Vec<u8> {
    match charset {
        OciCharset::Utf8 => page.as_bytes().to_vec(),
        OciCharset::Latin1 => encode_latin1(page, false).unwrap_or_else(|NotComposed| {
            let composed: String = unicode_normalization::UnicodeNormalization::nfc(page).collect();
            encode_latin1(&composed, true).unwrap_or_default()
        }),
    }
}

/// Appends `text` (escaped, in NFC) as windows-1252 with the stand-ins of [`encode_page`]: the
/// Latin-1 page written straight, without a UTF-8 copy to encode afterwards.
pub(crate) fn push_windows_1252(out: &mut Vec<u8>, text: &str) {
    // ASCII runs are copied whole (most are; the check goes a word at a time); only the
    // characters after an ASCII head are looked at one by one.
    if text.is_ascii() {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let ascii = text
        .bytes()
        .position(|byte| !byte.is_ascii())
        .unwrap_or(text.len());
    out.extend_from_slice(text.as_bytes().get(..ascii).unwrap_or_default());
    for character in text.get(ascii..).unwrap_or_default().chars() {
        match u32::from(character) {
            // ASCII and the Latin-1 letters are their own windows-1252 bytes.
            code @ (0..=0x7F | 0xA0..=0xFF) => out.push(u8::try_from(code).unwrap_or(b'?')),
            _ => {
                let mut buffer = [0u8; 4];
                let (bytes, _, unmappable) =
                    encoding_rs::WINDOWS_1252.encode(character.encode_utf8(&mut buffer));
                if !unmappable {
                    out.extend_from_slice(&bytes);
                    continue;
                }
                // As in `encode_latin1`: a stand-in that is markup is written as its reference.
                match transliterate(character) {
                    '"' => out.extend_from_slice(b"&quot;"),
                    '\'' => out.extend_from_slice(b"&#39;"),
                    stand_in => {
                        let (bytes, _, _) =
                            encoding_rs::WINDOWS_1252.encode(stand_in.encode_utf8(&mut buffer));
                        out.extend_from_slice(&bytes);
                    }
                }
            }
        }
    }
}

/// The page is not in NFC: compose it and encode again.
struct NotComposed;

/// Encodes `page` as windows-1252 with the stand-ins. Text outside NFC always holds a character
/// windows-1252 lacks (a combining mark, a singleton such as U+212B), so the NFC check runs only
/// at the first such character, and pages of Latin-1 text never pay for it.
fn encode_latin1(page: &str, composed: bool) -> Result<Vec<u8>, NotComposed> {
    let mut checked = composed;
    let mut encoder = encoding_rs::WINDOWS_1252.new_encoder();
    let mut out = Vec::with_capacity(page.len());
    let mut rest = page;
    loop {
        // encoding_rs copies what windows-1252 holds (ASCII runs in bulk) and stops at the first
        // character it does not.
        let (result, read) =
            encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            encoding_rs::EncoderResult::InputEmpty => return Ok(out),
            encoding_rs::EncoderResult::OutputFull => out.reserve(rest.len().max(16)),
            encoding_rs::EncoderResult::Unmappable(character) => {
                if !checked {
                    if !crate::mapping::text::is_surely_nfc(page) {
                        return Err(NotComposed);
                    }
                    checked = true;
                }
                // The page is already escaped: a stand-in that is markup (`″` becomes `"`) is
                // written as its reference, or it would end the attribute it is in.
                match transliterate(character) {
                    '"' => out.extend_from_slice(b"&quot;"),
                    '\'' => out.extend_from_slice(b"&#39;"),
                    stand_in => {
                        let mut buffer = [0u8; 4];
                        let (bytes, _, _) =
                            encoding_rs::WINDOWS_1252.encode(stand_in.encode_utf8(&mut buffer));
                        out.extend_from_slice(&bytes);
                    }
                }
            }
        }
    }
}

/// The characters of `text` that a Latin-1 page does not write as they are, each with what it
/// writes instead (after NFC, as [`encode_page`] does), in order of first appearance. Control
/// characters other than tab and line breaks are written as `?` (U+FFFD first, see
/// [`super::cart_form::push_escaped`]).
pub fn replaced_characters(text: &str) -> Vec<(char, char)> {
    let mut replaced: Vec<(char, char)> = Vec::new();
    if text.is_ascii() && !text.bytes().any(|byte| byte < b' ' || byte == 0x7f) {
        return replaced;
    }
    let composed = crate::mapping::text::to_nfc(text.to_owned());
    for character in composed.chars() {
        let stand_in = if character.is_control() {
            (!matches!(character, '\t' | '\n' | '\r')).then_some('?')
        } else if is_windows_1252(character) {
            None
        } else {
            Some(transliterate(character))
        };
        if let Some(stand_in) = stand_in {
            if !replaced.iter().any(|(known, _)| *known == character) {
                replaced.push((character, stand_in));
            }
        }
    }
    replaced
}

/// Whether windows-1252 holds the character (Latin-1's letters and its typographic additions).
fn is_windows_1252(character: char) -> bool {
    let mut buffer = [0u8; 4];
    let (_, _, unmappable) = encoding_rs::WINDOWS_1252.encode(character.encode_utf8(&mut buffer));
    !unmappable
}

/// One Latin-1 character for a character outside windows-1252; `?` when none is plain.
pub fn transliterate(character: char) -> char {
    match character {
        'Ā' | 'Ă' | 'Ą' => 'A',
        'ā' | 'ă' | 'ą' => 'a',
        'Ć' | 'Ĉ' | 'Ċ' | 'Č' => 'C',
        'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'Ď' | 'Đ' => 'D',
        'ď' | 'đ' => 'd',
        'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => 'G',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'Ĥ' | 'Ħ' => 'H',
        'ĥ' | 'ħ' => 'h',
        'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => 'I',
        'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'Ĵ' => 'J',
        'ĵ' => 'j',
        'Ķ' => 'K',
        'ķ' => 'k',
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => 'L',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'Ń' | 'Ņ' | 'Ň' => 'N',
        'ń' | 'ņ' | 'ň' => 'n',
        'Ō' | 'Ŏ' => 'O',
        'ō' | 'ŏ' => 'o',
        'Ő' => 'Ö',
        'ő' => 'ö',
        'Ŕ' | 'Ŗ' | 'Ř' => 'R',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'Ś' | 'Ŝ' | 'Ş' | 'Ș' => 'S',
        'ś' | 'ŝ' | 'ş' | 'ș' => 's',
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => 'T',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ų' => 'U',
        'ũ' | 'ū' | 'ŭ' | 'ů' | 'ų' => 'u',
        'Ű' => 'Ü',
        'ű' => 'ü',
        'Ŵ' => 'W',
        'ŵ' => 'w',
        'Ŷ' => 'Y',
        'ŷ' => 'y',
        'Ź' | 'Ż' => 'Z',
        'ź' | 'ż' => 'z',
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        '‐' | '‑' | '‒' | '−' => '-',
        '′' => '\'',
        '″' => '"',
        _ => '?',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_letters_and_windows_1252_pass_others_are_replaced_one_for_one() {
        let bytes = encode_page("Größe € „x“ – łódź 漢 ő", OciCharset::Latin1);
        let (text, _, errors) = encoding_rs::WINDOWS_1252.decode(&bytes);
        assert!(!errors);
        assert_eq!(text, "Größe € „x“ – lódz ? ö");
        assert!(!String::from_utf8_lossy(&bytes).contains("&#"));
    }

    #[test]
    fn a_stand_in_quote_stays_inside_its_attribute() {
        let bytes = encode_page("<input value=\"27″ screen, 2′ cable\">", OciCharset::Latin1);
        assert_eq!(
            bytes,
            b"<input value=\"27&quot; screen, 2&#39; cable\">".to_vec()
        );
    }

    #[test]
    fn a_combining_accent_is_composed_before_encoding() {
        // `e` + U+0301 and `o` + U+0308: Latin-1 has `é` and `ö`.
        let bytes = encode_page("Caf\u{65}\u{301} Bo\u{308}rse", OciCharset::Latin1);
        let (text, _, errors) = encoding_rs::WINDOWS_1252.decode(&bytes);
        assert!(!errors);
        assert_eq!(text, "Café Börse");
        // A singleton (ANGSTROM SIGN) composes to the Latin-1 `Å`, after a character that
        // windows-1252 lacks was already replaced.
        let bytes = encode_page("ł \u{212B}", OciCharset::Latin1);
        assert_eq!(encoding_rs::WINDOWS_1252.decode(&bytes).0, "l Å");
    }

    #[test]
    fn replaced_characters_lists_what_the_page_changes() {
        assert_eq!(
            replaced_characters("łódź 漢 ő e\u{301} € x\u{1}"),
            vec![
                ('ł', 'l'),
                ('ź', 'z'),
                ('漢', '?'),
                ('ő', 'ö'),
                ('\u{1}', '?')
            ]
        );
        assert!(replaced_characters("Größe € „x“ Cafe\u{301}").is_empty());
    }

    #[test]
    fn utf8_is_unchanged() {
        assert_eq!(encode_page("łódź", OciCharset::Utf8), "łódź".as_bytes());
    }
}
