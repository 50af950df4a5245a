//! Positions and URIs: the core's byte offsets to the protocol's lines and
//! UTF-16 code units, and back; `file:` URIs to paths, and back.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range};

use crate::cli::lint::percent_decode;

/// Where each line of a text starts (lines end at `\n`; a `\r` before it
/// stays on its line, past every character a client counts).
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// The line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { starts }
    }

    /// The protocol position of a byte offset (clamped into the text, and
    /// back to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The protocol range of a byte range.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range {
            start: self.position(text, start),
            end: self.position(text, end.max(start)),
        }
    }

    /// The byte offset of a protocol position: past the line's end, the
    /// line's end; past the text's last line, the text's end.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let line = text.get(start..end).unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://").or_else(|| {
        uri.get(..7)
            .filter(|s| s.eq_ignore_ascii_case("file://"))
            .map(|_| &uri[7..])
    })?;
    // An authority (`file://localhost/...`) before the path.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path);
    // `/C:/x` on Windows.
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() >= 3 && bytes[0] == b'/' && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The last segment of a URI's path, percent-decoded.
pub fn uri_file_name(uri: &str) -> String {
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    // After the scheme (`untitled:Untitled-1`) and the last `/`.
    let path = path.split_once(':').map_or(path, |(_, rest)| rest);
    percent_decode(path.rsplit('/').next().unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_per_line() {
        let text = "-- 日本語 café 😀\r\n😀 CREATE\nx";
        let lines = Lines::new(text);
        let at = text.find("CREATE").unwrap_or(0);
        let p = lines.position(text, at);
        assert_eq!((p.line, p.character), (1, 3));
        assert_eq!(lines.offset(text, p), at);
        // Past the line's end: its end, before `\r\n`.
        let end = lines.offset(text, Position::new(0, 99));
        assert_eq!(&text[end..end + 2], "\r\n");
        assert_eq!(lines.offset(text, Position::new(9, 0)), text.len());
        // Inside a surrogate pair: the character's start.
        let p = lines.position(text, text.len());
        assert_eq!((p.line, p.character), (2, 1));
    }

    #[test]
    fn uris_and_paths() {
        let p = uri_to_path("file:///tmp/a%20b/caf%C3%A9.sql");
        assert_eq!(p, Some(PathBuf::from("/tmp/a b/café.sql")));
        assert_eq!(
            uri_to_path("file://localhost/x.sql"),
            Some(PathBuf::from("/x.sql"))
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(
            path_to_uri(Path::new("/tmp/a b/café.sql")),
            "file:///tmp/a%20b/caf%C3%A9.sql"
        );
        assert_eq!(uri_file_name("untitled:q%20x.sql"), "q x.sql");
    }
}
