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
            let mut encoder = encoding_rs::WINDOWS_1252.new_encoder();
            let mut out = Vec::with_capacity(page.len());
            let mut rest = page;
            loop {
                // encoding_rs copies what windows-1252 holds (ASCII runs in bulk) and stops at
                // the first character it does not.
                let (result, read) =
                    encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
                rest = rest.get(read..).unwrap_or_default();
                match result {
                    encoding_rs::EncoderResult::InputEmpty => return out,
                    encoding_rs::EncoderResult::OutputFull => out.reserve(rest.len().max(16)),
                    // The page is already escaped: a stand-in that is markup (`″` becomes `"`)
                    // is written as its reference, or it would end the attribute it is in.
                    encoding_rs::EncoderResult::Unmappable(character) => {
                        match transliterate(character) {
                            '"' => out.extend_from_slice(b"&quot;"),
                            '\'' => out.extend_from_slice(b"&#39;"),
                            stand_in => {
                                let mut buffer = [0u8; 4];
                                let (bytes, _, _) = encoding_rs::WINDOWS_1252
                                    .encode(stand_in.encode_utf8(&mut buffer));
                                out.extend_from_slice(&bytes);
                            }
                        }
                    }
                }
            }
        }
    }
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
    fn utf8_is_unchanged() {
        assert_eq!(encode_page("łódź", OciCharset::Utf8), "łódź".as_bytes());
    }
}
