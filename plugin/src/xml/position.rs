//! Byte offsets into the decoded document turned into 1-based lines and columns, incrementally.

use crate::error::Location;

/// A location with a line and column but no element path (before the root element, or before
/// the text is decoded).
pub(crate) fn at_line_column((line, column): (u32, u32)) -> Location {
    Location {
        line: Some(line),
        column: Some(column),
        ..Location::default()
    }
}

/// A cursor that turns byte offsets into (line, column) pairs. Offsets asked in increasing order
/// cost only the bytes between them, so positioning every element of a document is linear; an
/// earlier offset restarts from the beginning (only errors can ask for one).
#[derive(Debug)]
pub(crate) struct LineCursor<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
    line_start: usize,
}

impl<'a> LineCursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCursor {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// The 1-based line and column (in bytes of the decoded UTF-8 text) of `offset`.
    pub(crate) fn position(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
            self.line_start = 0;
        }
        let skipped = self.text.get(self.offset..offset).unwrap_or_default();
        let newlines = skipped.iter().filter(|&&b| b == b'\n').count();
        if newlines > 0 {
            self.line = self.line.saturating_add(saturating_u32(newlines));
            if let Some(last) = skipped.iter().rposition(|&b| b == b'\n') {
                self.line_start = self.offset.saturating_add(last).saturating_add(1);
            }
        }
        self.offset = offset;
        let column = saturating_u32(offset.saturating_sub(self.line_start).saturating_add(1));
        (self.line, column)
    }
}

/// `value` as a `u32`, saturated.
pub(crate) fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The 1-based line and column of `offset` in `text`, from scratch.
pub(crate) fn line_column(text: &[u8], offset: usize) -> (u32, u32) {
    let prefix = text.get(..offset.min(text.len())).unwrap_or_default();
    let line = prefix
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_add(1);
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p.saturating_add(1));
    (
        saturating_u32(line),
        saturating_u32(prefix.len().saturating_sub(line_start).saturating_add(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\ncd\n\nefg";
        let mut cursor = LineCursor::new(text);
        assert_eq!(cursor.position(0), (1, 1));
        assert_eq!(cursor.position(1), (1, 2));
        assert_eq!(cursor.position(3), (2, 1));
        assert_eq!(cursor.position(7), (4, 1));
        assert_eq!(cursor.position(9), (4, 3));
        // backwards restarts
        assert_eq!(cursor.position(4), (2, 2));
        assert_eq!(cursor.position(100), (4, 4));
        assert_eq!(line_column(text.as_bytes(), 4), (2, 2));
        assert_eq!(line_column(text.as_bytes(), 0), (1, 1));
    }
}
