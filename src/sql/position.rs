//! Byte offsets to line, column and UTF-16 positions, and back.

use crate::model::{Position, Span};

/// Line starts of one source text, for position arithmetic.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// UTF-16 offset where each line starts (empty when the text is ASCII).
    utf16_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()));
        let utf16_starts = if text.is_ascii() {
            Vec::new()
        } else {
            let mut starts = Vec::with_capacity(line_starts.len());
            let mut acc = 0usize;
            let mut prev = 0usize;
            for &ls in &line_starts {
                acc += utf16_len(&text[prev..ls]);
                starts.push(acc);
                prev = ls;
            }
            starts
        };
        LineIndex {
            text,
            line_starts,
            utf16_starts,
        }
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The position of a byte offset (clamped to the text and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let before = &self.text[start..offset];
        let (column, utf16) = if self.utf16_starts.is_empty() {
            (before.len(), offset)
        } else {
            (
                before.chars().count(),
                self.utf16_starts[line] + utf16_len(before),
            )
        };
        Position {
            line: to_u32(line + 1),
            column: to_u32(column + 1),
            offset: to_u32(offset),
            utf16: to_u32(utf16),
        }
    }

    /// The span of a byte range.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }

    /// The byte offset of a 1-based line and character column, as sqlparser reports them.
    pub fn offset_of(&self, line: u64, column: u64) -> Option<usize> {
        let line = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let col = usize::try_from(column).ok()?.checked_sub(1)?;
        let line_text = &self.text[start..end];
        if line_text.is_ascii() {
            return Some(start + col.min(line_text.len()));
        }
        let rel = line_text
            .char_indices()
            .nth(col)
            .map_or(line_text.len(), |(i, _)| i);
        Some(start + rel)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_positions() {
        let idx = LineIndex::new("ab\ncd");
        let p = idx.position(4);
        assert_eq!((p.line, p.column, p.offset, p.utf16), (2, 2, 4, 4));
        assert_eq!(idx.offset_of(2, 2), Some(4));
    }

    #[test]
    fn non_ascii_positions() {
        // 'é' is 2 bytes, 1 UTF-16 unit; '😀' is 4 bytes, 2 UTF-16 units.
        let text = "é😀\nx😀y";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap();
        let p = idx.position(y);
        assert_eq!(
            (p.line, p.column, p.offset, p.utf16),
            (2, 3, y as u32, 3 + 1 + 1 + 2)
        );
        assert_eq!(idx.offset_of(2, 3), Some(y));
        // Offsets inside a character snap back to its start.
        assert_eq!(idx.position(1).offset, 0);
    }
}
