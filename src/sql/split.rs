//! Splits migration text into statements, surviving quotes, dollar-quoted
//! bodies, nested block comments and quoted identifiers, and collects the
//! line comments that carry zerodown directives.

use std::ops::Range;

/// One statement's place in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement {
    /// Byte range from the first significant character to before the `;`.
    pub span: Range<usize>,
    /// Byte range of the comments and blank space before it (after the previous `;`).
    pub leading: Range<usize>,
}

/// A `--` comment, without the dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineComment {
    /// Byte range of the whole comment, dashes included.
    pub span: Range<usize>,
    /// Its text after `--`, trimmed.
    pub text: String,
}

/// The statements and line comments of a source text.
#[derive(Debug, Default)]
pub struct Split {
    /// Statements in order.
    pub statements: Vec<RawStatement>,
    /// Every `--` comment, in order.
    pub comments: Vec<LineComment>,
    /// A string, identifier, comment or dollar quote left open at the end: its kind and start.
    pub unterminated: Option<(&'static str, usize)>,
}

/// Splits `text` at top-level semicolons.
pub fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut out = Split::default();
    let mut i = 0;
    // Start of the current statement's leading trivia, and of its first significant byte.
    let mut trivia_start = 0;
    let mut stmt_start: Option<usize> = None;
    let mut last_significant_end = 0;
    // Inside `CREATE FUNCTION ... BEGIN ATOMIC` bodies, semicolons do not end the statement.
    let mut atomic_depth = 0u32;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                out.comments.push(LineComment {
                    span: i..end,
                    text: text[i + 2..end].trim().to_string(),
                });
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                let mut depth = 1;
                i += 2;
                while i < bytes.len() && depth > 0 {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                if depth > 0 {
                    out.unterminated = Some(("block comment", start));
                }
                continue;
            }
            b';' => {
                if atomic_depth == 0 {
                    if let Some(s) = stmt_start.take() {
                        out.statements.push(RawStatement {
                            span: s..last_significant_end,
                            leading: trivia_start..s,
                        });
                    }
                    trivia_start = i + 1;
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if stmt_start.is_none() {
            stmt_start = Some(i);
        }
        let start = i;
        i = match b {
            b'\'' => {
                let escapes = start > 0
                    && matches!(bytes[start - 1], b'e' | b'E')
                    && (start < 2 || !is_ident_byte(bytes[start - 2]));
                skip_quoted(bytes, i, b'\'', escapes).unwrap_or_else(|| {
                    out.unterminated = Some(("string", start));
                    bytes.len()
                })
            }
            b'"' => skip_quoted(bytes, i, b'"', false).unwrap_or_else(|| {
                out.unterminated = Some(("quoted identifier", start));
                bytes.len()
            }),
            b'$' => match dollar_tag(bytes, i) {
                Some(tag_end) => {
                    let tag = &bytes[i..tag_end];
                    match find(&bytes[tag_end..], tag) {
                        Some(n) => tag_end + n + tag.len(),
                        None => {
                            out.unterminated = Some(("dollar-quoted string", start));
                            bytes.len()
                        }
                    }
                }
                None => i + 1,
            },
            _ if is_ident_byte(b) => {
                let mut j = i;
                while j < bytes.len() && (is_ident_byte(bytes[j]) || bytes[j] == b'$') {
                    j += 1;
                }
                let word = &bytes[i..j];
                // BEGIN ATOMIC opens a body; inside it CASE and BEGIN nest until END.
                let opens_body =
                    word.eq_ignore_ascii_case(b"atomic") && previous_word_is_begin(bytes, i);
                let nests = atomic_depth > 0
                    && (word.eq_ignore_ascii_case(b"case") || word.eq_ignore_ascii_case(b"begin"));
                if opens_body || nests {
                    atomic_depth += 1;
                } else if atomic_depth > 0 && word.eq_ignore_ascii_case(b"end") {
                    atomic_depth -= 1;
                }
                j
            }
            _ => i + char_len(b),
        };
        last_significant_end = i;
    }
    if let Some(s) = stmt_start {
        out.statements.push(RawStatement {
            span: s..last_significant_end,
            leading: trivia_start..s,
        });
    }
    out
}

fn char_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn previous_word_is_begin(bytes: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 && bytes[j - 1].is_ascii_whitespace() {
        j -= 1;
    }
    j >= 5
        && bytes[j - 5..j].eq_ignore_ascii_case(b"begin")
        && (j == 5 || !is_ident_byte(bytes[j - 6]))
}

/// Skips a quoted run starting at `i` (the opening quote); returns the index past the closing quote.
fn skip_quoted(bytes: &[u8], i: usize, quote: u8, backslash_escapes: bool) -> Option<usize> {
    let mut j = i + 1;
    while j < bytes.len() {
        let c = bytes[j];
        if backslash_escapes && c == b'\\' {
            j += 2;
            continue;
        }
        if c == quote {
            if bytes.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

/// If a dollar-quote tag (`$$` or `$tag$`) starts at `i`, returns the index past it.
fn dollar_tag(bytes: &[u8], i: usize) -> Option<usize> {
    // `$1` is a parameter, and `a$b` is part of an identifier.
    if i > 0 && is_ident_byte(bytes[i - 1]) {
        return None;
    }
    let mut j = i + 1;
    if j < bytes.len() && bytes[j].is_ascii_digit() {
        return None;
    }
    while j < bytes.len()
        && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] >= 0x80)
    {
        j += 1;
    }
    (bytes.get(j) == Some(&b'$')).then_some(j + 1)
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut start = 0;
    while let Some(n) = memchr(first, &hay[start..]) {
        let at = start + n;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql)
            .statements
            .iter()
            .map(|s| &sql[s.span.clone()])
            .collect()
    }

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN x := 1; RETURN NEW; END $$ LANGUAGE plpgsql;\n\
                   SELECT 'a;b', \"c;d\", E'e\\';f' /* g; /* h; */ */ ; -- i;\n\
                   DO $body$ BEGIN PERFORM 1; END $body$";
        assert_eq!(
            texts(sql),
            vec![
                "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN x := 1; RETURN NEW; END $$ LANGUAGE plpgsql",
                "SELECT 'a;b', \"c;d\", E'e\\';f'",
                "DO $body$ BEGIN PERFORM 1; END $body$",
            ]
        );
    }

    #[test]
    fn parameters_and_identifiers_with_dollars_are_not_quotes() {
        assert_eq!(
            texts("SELECT $1, a$b; SELECT 2"),
            vec!["SELECT $1, a$b", "SELECT 2"]
        );
    }

    #[test]
    fn begin_atomic_bodies_keep_their_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3";
        assert_eq!(texts(sql).len(), 2);
    }

    #[test]
    fn comments_are_collected_and_unterminated_runs_reported() {
        let s =
            split("-- zerodown-ignore drop-column: ok\nALTER TABLE t DROP COLUMN c; SELECT 'open");
        assert_eq!(s.comments[0].text, "zerodown-ignore drop-column: ok");
        assert_eq!(s.statements.len(), 2);
        assert_eq!(s.unterminated.map(|u| u.0), Some("string"));
    }
}
