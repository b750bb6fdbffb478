//! Writing pages in the charset the buyer asked for (`http_content_charset`).
//!
//! Latin-1 policy: pages asked for as `iso-8859-1` are written as windows-1252, which is what
//! every browser does with that label (WHATWG Encoding), so Latin-1 letters and the typographic
//! characters of windows-1252 (`€ „ “ ” ‘ ’ – — … • ™ Š š Ž ž Œ œ Ÿ`) pass unchanged. Any other
//! character is replaced by one character: its closest Latin-1 letter when that is plain (`ł` →
//! `l`, `č` → `c`, `ő` → `ö`, a non-breaking or typographic space → a space, `−` → `-`), else `?`.
//! Never by a numeric character reference: a browser would post `&#322;` back as seven literal
//! characters, which SAP stores as they are. One character for one keeps the field lengths.

use super::settings::OciCharset;

/// Encodes a page in `charset`, applying the Latin-1 policy above.
pub fn encode_page(page: &str, charset: OciCharset) -> Vec<u8> {
    match charset {
        OciCharset::Utf8 => page.as_bytes().to_vec(),
        OciCharset::Latin1 => {
            let mut out = Vec::with_capacity(page.len());
            let mut buffer = [0u8; 4];
            let mut rest = page;
            // ASCII runs (nearly all of a page) are copied whole; other characters one by one.
            while let Some(ascii) = first_non_ascii(rest.as_bytes()) {
                out.extend_from_slice(rest.as_bytes().get(..ascii).unwrap_or_default());
                let mut characters = rest.get(ascii..).unwrap_or_default().chars();
                let Some(character) = characters.next() else {
                    break;
                };
                rest = characters.as_str();
                let code = u32::from(character);
                if (0xA0..=0xFF).contains(&code) {
                    out.push(u8::try_from(code).unwrap_or(b'?'));
                } else if let Some(byte) = windows_1252_byte(character) {
                    out.push(byte);
                } else {
                    // The page is already escaped: a stand-in that is markup (`″` becomes `"`)
                    // is written as its reference, or it would end the attribute it is in.
                    match transliterate(character) {
                        '"' => out.extend_from_slice(b"&quot;"),
                        '\'' => out.extend_from_slice(b"&#39;"),
                        replacement => {
                            let (bytes, _, _) = encoding_rs::WINDOWS_1252
                                .encode(replacement.encode_utf8(&mut buffer));
                            out.extend_from_slice(&bytes);
                        }
                    }
                }
            }
            out.extend_from_slice(rest.as_bytes());
            out
        }
    }
}

/// Where the first non-ASCII byte is: 16 bytes at a time (an OR over a block, which the compiler
/// turns into SIMD), then byte by byte inside the block that has one.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut blocks = bytes.chunks_exact(16);
    let mut offset = 0;
    for block in blocks.by_ref() {
        if block.iter().fold(0, |any, &byte| any | byte) >= 0x80 {
            return block
                .iter()
                .position(|byte| !byte.is_ascii())
                .map(|index| offset + index);
        }
        offset += 16;
    }
    blocks
        .remainder()
        .iter()
        .position(|byte| !byte.is_ascii())
        .map(|index| offset + index)
}

/// The byte of a character in windows-1252's 0x80–0x9F range.
fn windows_1252_byte(character: char) -> Option<u8> {
    let byte = match character {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
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
    fn finds_the_first_non_ascii_byte_in_and_after_the_blocks() {
        for length in [0, 1, 15, 16, 17, 40] {
            let ascii = "a".repeat(length);
            assert_eq!(first_non_ascii(ascii.as_bytes()), None);
            for at in 0..length {
                let mut bytes = ascii.clone().into_bytes();
                bytes[at] = 0xC3;
                assert_eq!(first_non_ascii(&bytes), Some(at), "{length} {at}");
            }
        }
    }

    #[test]
    fn utf8_is_unchanged() {
        assert_eq!(encode_page("łódź", OciCharset::Utf8), "łódź".as_bytes());
    }
}
