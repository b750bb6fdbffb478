//! Reading the documented shapes of a function at compile time: the top-level keys of a JSON-like
//! sketch such as `` `{"profile": {…} or "…", "secrets": {"NAME": "value"}}` `` (`profile`,
//! `secrets`), and the interfaces' tables joined into one.

use super::FunctionInfo;

/// How many top-level keys the sketch has.
pub const fn count_keys(sketch: &str) -> usize {
    key_at(sketch.as_bytes(), usize::MAX).0
}

/// The sketch's top-level keys, in order (`N` from [`count_keys`]).
pub const fn keys<const N: usize>(sketch: &'static str) -> [&'static str; N] {
    let mut keys = [""; N];
    let mut index = 0;
    while index < N {
        let (_, start, end) = key_at(sketch.as_bytes(), index);
        let (before_end, _) = sketch.as_bytes().split_at(end);
        let (_, key) = before_end.split_at(start);
        keys[index] = match core::str::from_utf8(key) {
            Ok(key) => key,
            Err(_) => panic!("a key of a sketch is not UTF-8"),
        };
        index += 1;
    }
    keys
}

/// Scans the sketch for its top-level keys: how many it found, and the byte range of key number
/// `wanted` (as soon as it is found).
const fn key_at(bytes: &[u8], wanted: usize) -> (usize, usize, usize) {
    let mut depth = 0usize;
    let mut expecting_key = false;
    let mut count = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'{' || byte == b'[' {
            depth += 1;
            expecting_key = depth == 1 && byte == b'{';
        } else if byte == b'}' || byte == b']' {
            depth = depth.saturating_sub(1);
        } else if byte == b',' && depth == 1 {
            expecting_key = true;
        } else if byte == b'"' {
            let start = at + 1;
            let mut end = start;
            while end < bytes.len() && bytes[end] != b'"' {
                end += 1;
            }
            if depth == 1 && expecting_key {
                if count == wanted {
                    return (count, start, end);
                }
                count += 1;
                expecting_key = false;
            }
            at = end;
        }
        at += 1;
    }
    (count, 0, 0)
}

/// A doc comment's text without the space that follows `///`.
pub const fn doc_text(doc: &'static str) -> &'static str {
    match doc.as_bytes() {
        [b' ', ..] => doc.split_at(1).1,
        _ => doc,
    }
}

/// The interfaces' tables as one (`N` is the sum of their lengths).
pub const fn join<const N: usize>(tables: &[&[FunctionInfo]]) -> [FunctionInfo; N] {
    const NONE: FunctionInfo = FunctionInfo {
        name: "",
        inputs: &[],
        result_keys: &[],
        result: "",
        documented: false,
        input: "",
        doc: "",
    };
    let mut joined = [NONE; N];
    let mut filled = 0;
    let mut table = 0;
    while table < tables.len() {
        let mut row = 0;
        while row < tables[table].len() {
            joined[filled] = tables[table][row];
            filled += 1;
            row += 1;
        }
        table += 1;
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::{count_keys, doc_text, keys};

    #[test]
    fn top_level_keys_of_sketches() {
        const PROFILE: &str = r#"`{"profile": {…} or "…", "secrets": {"NAME": "value"}}`"#;
        assert_eq!(count_keys(PROFILE), 2);
        assert_eq!(keys::<2>(PROFILE), ["profile", "secrets"]);
        const SETUP: &str = r#"`{"profile_id", "request", "start_url", "envelope"}`"#;
        assert_eq!(
            keys::<4>(SETUP),
            ["profile_id", "request", "start_url", "envelope"]
        );
        assert_eq!(count_keys("the order message"), 0);
        assert_eq!(count_keys(r#"`{"json": "…"}`"#), 1);
        assert_eq!(doc_text(" The cart page."), "The cart page.");
    }
}
