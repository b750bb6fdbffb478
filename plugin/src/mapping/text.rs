//! Measuring and cutting text as the buyer's system counts it.
//!
//! OCI field lengths are counted in UTF-16 code units, which is what a Unicode SAP system counts
//! in a `CHAR` field (an emoji outside the Basic Multilingual Plane takes two); other lengths
//! count Unicode characters. Text is only ever cut between extended grapheme clusters, so a base
//! letter keeps its combining accent and an emoji its modifiers.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::GraphemeCursor;

use super::rule::TruncateAt;

/// What a length limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values (Rust `char`s).
    Characters,
    /// UTF-16 code units: SAP `CHAR` fields in a Unicode system (OCI).
    Utf16CodeUnits,
}

impl LengthUnit {
    /// The length of `text` in this unit.
    pub fn measure(self, text: &str) -> usize {
        match self {
            LengthUnit::Characters => text.chars().count(),
            // A character outside the Basic Multilingual Plane (a 4-byte UTF-8 sequence, lead
            // byte F0 to F4) takes two code units; counting bytes vectorizes.
            LengthUnit::Utf16CodeUnits => text
                .chars()
                .count()
                .saturating_add(text.bytes().filter(|byte| *byte >= 0xF0).count()),
        }
    }

    /// The length of one character in this unit.
    fn of_char(self, character: char) -> usize {
        match self {
            LengthUnit::Characters => 1,
            LengthUnit::Utf16CodeUnits => character.len_utf16(),
        }
    }

    /// The unit's name in messages and notes.
    pub fn name(self) -> &'static str {
        match self {
            LengthUnit::Characters => "characters",
            LengthUnit::Utf16CodeUnits => "UTF-16 code units",
        }
    }

    /// Whether `text` is longer than `max` (most values are decided by their byte length, which
    /// is never less than either count).
    pub fn exceeds(self, text: &str, max: usize) -> bool {
        text.len() > max && self.measure(text) > max
    }
}

/// Cuts `value` to at most `max` units, between grapheme clusters.
///
/// With [`TruncateAt::Word`]: when the text right after the cut is whitespace, the cut stays
/// there; otherwise the cut moves back to the last whitespace inside the kept part, but only if
/// at least half of `max` remains before it (so that one long first word is not lost); failing
/// both, the text is cut at the limit, inside the word. Trailing whitespace is dropped.
pub fn truncate(value: &str, max: usize, at: TruncateAt, unit: LengthUnit) -> String {
    value
        .get(..truncated_len(value, max, at, unit))
        .unwrap_or_default()
        .to_owned()
}

/// The length in bytes of what [`truncate`] keeps: the cut is always a prefix of `value`, so the
/// mapping's hot path keeps it in place instead of copying it.
pub fn truncated_len(value: &str, max: usize, at: TruncateAt, unit: LengthUnit) -> usize {
    if !unit.exceeds(value, max) {
        return value.len();
    }
    cut_len(value, max, at, unit)
}

/// [`truncated_len`] of a value known to be longer than `max` (the caller measured it).
pub(crate) fn cut_len(value: &str, max: usize, at: TruncateAt, unit: LengthUnit) -> usize {
    let bytes = value.as_bytes();
    if let Some(kept) = bytes.get(..=max).filter(|prefix| prefix.is_ascii()) {
        // The first `max + 1` characters are ASCII (one unit each): the same rule on bytes.
        return ascii_truncated_len(kept, max, at);
    }
    general_truncated_len(value, max, at, unit)
}

/// [`truncated_len`] for any text longer than `max`.
fn general_truncated_len(value: &str, max: usize, at: TruncateAt, unit: LengthUnit) -> usize {
    // The longest prefix within `max`, then back to the grapheme boundary at or before it (a
    // local look, not a segmentation of the whole text).
    let mut end = 0;
    let mut used = 0usize;
    for (start, character) in value.char_indices() {
        let next = used.saturating_add(unit.of_char(character));
        if next > max {
            break;
        }
        used = next;
        end = start.saturating_add(character.len_utf8());
    }
    // Between two ASCII characters other than CR LF there is always a cluster boundary; only
    // other neighbours need the segmentation rules.
    let bytes = value.as_bytes();
    let before = end.checked_sub(1).and_then(|index| bytes.get(index));
    let plain_boundary = match (before, bytes.get(end)) {
        (Some(before), Some(after)) => {
            before.is_ascii() && after.is_ascii() && !(*before == b'\r' && *after == b'\n')
        }
        _ => false,
    };
    let mut cursor = GraphemeCursor::new(end, value.len(), true);
    if !plain_boundary && !cursor.is_boundary(value, 0).unwrap_or(true) {
        end = cursor.prev_boundary(value, 0).ok().flatten().unwrap_or(0);
    }
    let cut = value.get(..end).unwrap_or_default();
    if at == TruncateAt::Word {
        let rest = value.get(end..).unwrap_or_default();
        if rest.chars().next().is_some_and(char::is_whitespace) {
            return cut.trim_end().len();
        }
        if let Some(space) = cut.rfind(char::is_whitespace) {
            let head = cut.get(..space).unwrap_or_default();
            if unit.measure(head).saturating_mul(2) >= max {
                return head.trim_end().len();
            }
        }
    }
    cut.len()
}

/// [`truncated_len`] when the text's first `max + 1` bytes (`head`) are ASCII: every character
/// is one unit and one byte, and only CR LF is a cluster of two.
fn ascii_truncated_len(head: &[u8], max: usize, at: TruncateAt) -> usize {
    let is_space = |byte: &u8| matches!(byte, b'\t'..=b'\r' | b' ');
    let mut end = max;
    if head.get(end.wrapping_sub(1)) == Some(&b'\r') && head.get(end) == Some(&b'\n') {
        end = end.saturating_sub(1);
    }
    let cut = head.get(..end).unwrap_or_default();
    let trimmed = |part: &[u8]| {
        part.iter()
            .rposition(|byte| !is_space(byte))
            .map_or(0, |last| last.saturating_add(1))
    };
    if at == TruncateAt::Word {
        if head.get(end).is_some_and(is_space) {
            return trimmed(cut);
        }
        if let Some(space) = cut.iter().rposition(is_space) {
            if space.saturating_mul(2) >= max {
                return trimmed(cut.get(..space).unwrap_or_default());
            }
        }
    }
    end
}

/// Pads `value` with `with` up to `width` units.
pub fn pad(value: String, width: usize, with: char, left: bool, unit: LengthUnit) -> String {
    let step = unit.measure(with.encode_utf8(&mut [0; 4])).max(1);
    let missing = width
        .saturating_sub(unit.measure(&value))
        .checked_div(step)
        .unwrap_or(0);
    if missing == 0 {
        return value;
    }
    let padding: String = std::iter::repeat_n(with, missing).collect();
    if left {
        padding + &value
    } else {
        value + &padding
    }
}

/// `text` in Unicode Normalization Form C (`e` + U+0301 becomes `é`); unchanged when it already
/// is.
pub fn to_nfc(text: String) -> String {
    if is_surely_nfc(&text) {
        text
    } else {
        text.nfc().collect()
    }
}

/// Whether `text` is certainly in NFC, looking only at its runs of non-ASCII characters: ASCII
/// characters are starters that never compose with what precedes them, and anything that
/// composes with a preceding ASCII letter (a combining mark) is itself non-ASCII and not a
/// definite "yes". Pages are mostly ASCII markup, so this skips most of them in bulk.
pub fn is_surely_nfc(text: &str) -> bool {
    // Most values are ASCII or Latin letters below U+0300 (lead bytes below 0xCC), where every
    // character is in NFC and composes with nothing before it: one vectorizable pass decides.
    if text.bytes().fold(true, |below, byte| below & (byte < 0xCC)) {
        return true;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(offset) = bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|byte| !byte.is_ascii()))
    {
        let run_start = start.saturating_add(offset);
        let run_end = bytes
            .get(run_start..)
            .and_then(|rest| rest.iter().position(u8::is_ascii))
            .map_or(bytes.len(), |length| run_start.saturating_add(length));
        // Both ends sit next to ASCII bytes, so they are character boundaries.
        let run = text.get(run_start..run_end).unwrap_or_default();
        if is_nfc_quick(run.chars()) != IsNormalized::Yes {
            return false;
        }
        start = run_end;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_never_splits_a_letter_from_its_accent_nor_an_emoji_from_its_modifier() {
        // `e` + U+0301: cutting after 4 characters would keep the `e` and drop its accent.
        let decomposed = "Cafe\u{301} noir";
        assert_eq!(
            truncate(decomposed, 4, TruncateAt::Char, LengthUnit::Characters),
            "Caf"
        );
        assert_eq!(
            truncate(decomposed, 5, TruncateAt::Char, LengthUnit::Characters),
            "Cafe\u{301}"
        );
        // Thumbs up with a skin tone: two characters, four UTF-16 code units, one cluster.
        let thumbs = "ok \u{1F44D}\u{1F3FD}";
        assert_eq!(
            truncate(thumbs, 4, TruncateAt::Char, LengthUnit::Characters),
            "ok "
        );
        assert_eq!(
            truncate(thumbs, 6, TruncateAt::Char, LengthUnit::Utf16CodeUnits),
            "ok "
        );
        assert_eq!(
            truncate(thumbs, 7, TruncateAt::Char, LengthUnit::Utf16CodeUnits),
            thumbs
        );
        // CR LF is one cluster: never cut between them, though both are ASCII.
        assert_eq!(
            truncate("ab\r\ncd", 3, TruncateAt::Char, LengthUnit::Characters),
            "ab"
        );
        assert_eq!(
            truncate("ab\r\ncd", 4, TruncateAt::Char, LengthUnit::Characters),
            "ab\r\n"
        );
        // A family emoji (four people joined by zero-width joiners) is one cluster.
        let family = "ab\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}cd";
        for max in 3..=8 {
            assert_eq!(
                truncate(family, max, TruncateAt::Char, LengthUnit::Characters),
                "ab",
                "{max}"
            );
        }
        assert_eq!(
            truncate(family, 10, TruncateAt::Char, LengthUnit::Characters),
            &family[..family.len() - 1]
        );
    }

    #[test]
    fn oci_lengths_count_utf16_code_units() {
        assert_eq!(LengthUnit::Utf16CodeUnits.measure("a😀"), 3);
        assert_eq!(LengthUnit::Characters.measure("a😀"), 2);
        assert!(LengthUnit::Utf16CodeUnits.exceeds("😀😀", 3));
        assert!(!LengthUnit::Characters.exceeds("😀😀", 3));
    }

    #[test]
    fn the_ascii_cut_is_the_general_cut() {
        let texts = [
            "alpha beta gamma delta",
            "alpha  beta\t\tgamma\r\ndelta epsilon",
            "ab\r\ncd\r\nef\r\ngh",
            "supercalifragilistic x",
            "x y",
            "   leading spaces here and there",
            "a\u{b}b\u{c}c\rd\ne f g h",
        ];
        for text in texts {
            for max in 0..text.len() {
                for at in [TruncateAt::Word, TruncateAt::Char] {
                    for unit in [LengthUnit::Characters, LengthUnit::Utf16CodeUnits] {
                        let head = &text.as_bytes()[..=max];
                        assert_eq!(
                            ascii_truncated_len(head, max, at),
                            general_truncated_len(text, max, at, unit),
                            "{text:?} {max} {at:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn word_cut_follows_the_documented_rule() {
        let unit = LengthUnit::Characters;
        assert_eq!(
            truncate("alpha beta gamma", 12, TruncateAt::Word, unit),
            "alpha beta"
        );
        assert_eq!(
            truncate("alpha beta gamma", 10, TruncateAt::Word, unit),
            "alpha beta"
        );
        // No whitespace in the second half of the limit: cut inside the word.
        assert_eq!(
            truncate("ab supercalifragilistic", 10, TruncateAt::Word, unit),
            "ab superca"
        );
        assert_eq!(
            truncate("supercalifragilistic x", 10, TruncateAt::Word, unit),
            "supercalif"
        );
        assert_eq!(truncate("äöüäöü", 3, TruncateAt::Char, unit), "äöü");
    }

    #[test]
    fn nfc_composes_and_keeps_composed_text() {
        assert_eq!(to_nfc("e\u{301}".to_owned()), "é");
        assert_eq!(to_nfc("é".to_owned()), "é");
        assert_eq!(to_nfc("plain".to_owned()), "plain");
    }

    #[test]
    fn every_character_below_u0300_is_a_starter_in_nfc() {
        // The premise of `is_surely_nfc`'s first pass.
        for code in 0..0x300u32 {
            let character = char::from_u32(code).unwrap();
            assert_eq!(
                is_nfc_quick(std::iter::once(character)),
                IsNormalized::Yes,
                "{code:X}"
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(character),
                0,
                "{code:X}"
            );
        }
    }

    #[test]
    fn the_run_check_agrees_with_the_full_check() {
        for text in [
            "",
            "plain <ascii> markup",
            "Größe € „x“",
            "Cafe\u{301} noir",
            "e\u{301}",
            "\u{301}",
            "a\u{1F44D}\u{1F3FD}b",
            "x\u{327}\u{301}y",
            "한국어",
        ] {
            assert_eq!(
                is_surely_nfc(text),
                is_nfc_quick(text.chars()) == IsNormalized::Yes,
                "{text:?}"
            );
        }
    }

    #[test]
    fn padding_counts_in_the_unit() {
        assert_eq!(
            pad("7".into(), 3, '0', true, LengthUnit::Utf16CodeUnits),
            "007"
        );
        assert_eq!(
            pad("x".into(), 3, '-', false, LengthUnit::Characters),
            "x--"
        );
        assert_eq!(
            pad("abcd".into(), 3, '0', true, LengthUnit::Characters),
            "abcd"
        );
    }
}
