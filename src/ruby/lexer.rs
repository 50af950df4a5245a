//! Tokens of the Ruby subset migrations are written in: names, constants,
//! symbols, strings (quoted, `%q`/`%Q`/`%w`/`%i`, heredocs with their
//! interpolation), numbers, punctuation, comments and line ends.
//!
//! Total on any input: every byte is consumed by some token, nothing
//! panics, and every loop advances.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A lower-case name (`add_column`, `t`, `disable_ddl_transaction!`).
    Ident(String),
    /// A capitalised name (`Gitlab`, `TABLE_NAME`).
    Const(String),
    /// A hash key written `key:`.
    Label(String),
    /// `:name` or `:"name"`.
    Symbol(String),
    /// A string literal or heredoc.
    Str(Lit),
    /// `%w[...]` / `%i[...]`: its words.
    Words(Vec<String>),
    /// A number.
    Num(String),
    /// Punctuation or an operator (`(`, `,`, `=>`, `::`, `.`, `=`, ...).
    Punct(&'static str),
    /// The end of a line (or `;`).
    Newline,
}

/// A string literal's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lit {
    /// Its value, escapes read, interpolations kept as written.
    pub value: String,
    /// Byte range of the contents in the file (a heredoc's body).
    pub body: Range<usize>,
    /// It holds `#{...}`.
    pub interpolated: bool,
}

/// A token and its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Where it is.
    pub span: Range<usize>,
}

const PUNCT: &[&str] = &[
    "**", "=>", "==", "!=", "<=", ">=", "&&=", "||=", "&&", "||", "::", "&.", "..", "->", "+=",
    "-=", "(", ")", "[", "]", "{", "}", ",", ".", "=", "<", ">", "+", "-", "*", "/", "%", "!", "?",
    "|", "&", "^", "~", ":",
];

/// Reads `text` into tokens. Never fails: what it cannot read becomes
/// punctuation or is skipped.
pub fn lex(text: &str) -> (Vec<Token>, Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut comments = Vec::new();
    let mut i = 0;
    // Heredocs whose bodies start at the next line: (terminator, squiggly or
    // dash, interpolating, index of their token in `out`).
    let mut pending: Vec<(String, bool, bool, usize)> = Vec::new();
    let mut chain_cache: Option<(usize, bool)> = None;
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b'\n' => {
                i += 1;
                // A line starting with `.name` or `&.` continues the call
                // chain of the line before (comment lines between).
                // The answer is the same from every line end of one run of
                // blank and comment lines: computed once per run (linear).
                let cont = match chain_cache {
                    Some((upto, v)) if i <= upto => v,
                    _ => {
                        let (upto, v) = continues_chain(b, i);
                        chain_cache = Some((upto, v));
                        v
                    }
                };
                if !(pending.is_empty() && cont) {
                    out.push(Token {
                        tok: Tok::Newline,
                        span: start..i,
                    });
                }
                for (term, indented, interp, at) in pending.drain(..) {
                    let (lit, end) = heredoc_body(text, i, &term, indented, interp);
                    if let Some(t) = out.get_mut(at) {
                        t.tok = Tok::Str(lit);
                    }
                    i = end;
                }
            }
            b';' => {
                i += 1;
                out.push(Token {
                    tok: Tok::Newline,
                    span: start..i,
                });
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                comments.push(start..i);
            }
            b'=' if text[i..].starts_with("=begin") && (i == 0 || b[i - 1] == b'\n') => {
                i = text[i..].find("\n=end").map_or(b.len(), |k| i + k + 5);
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' | b'`' => {
                let (lit, end) = quoted(text, i + 1, c, c, c != b'\'');
                i = end;
                out.push(Token {
                    tok: Tok::Str(lit),
                    span: start..i,
                });
            }
            b'<' if text[i..].starts_with("<<")
                && heredoc_start(text, i).is_some()
                && !matches!(
                    out.last().map(|t| &t.tok),
                    Some(Tok::Ident(_) | Tok::Const(_) | Tok::Num(_) | Tok::Punct(")" | "]"))
                )
                || text[i..].starts_with("<<~")
                || text[i..].starts_with("<<-") =>
            {
                if let Some((term, indented, interp, end)) = heredoc_start(text, i) {
                    pending.push((term, indented, interp, out.len()));
                    out.push(Token {
                        tok: Tok::Str(Lit {
                            value: String::new(),
                            body: end..end,
                            interpolated: false,
                        }),
                        span: start..end,
                    });
                    i = end;
                } else {
                    i += 2;
                    out.push(Token {
                        tok: Tok::Punct("<"),
                        span: start..i,
                    });
                }
            }
            b'%' if percent_literal(text, i).is_some() => {
                if let Some((tok, end)) = percent_literal(text, i) {
                    i = end;
                    out.push(Token {
                        tok,
                        span: start..i,
                    });
                }
            }
            b':' if b.get(i + 1) == Some(&b'"') => {
                let (lit, end) = quoted(text, i + 2, b'"', b'"', true);
                i = end;
                out.push(Token {
                    tok: Tok::Symbol(lit.value),
                    span: start..i,
                });
            }
            b':' if b
                .get(i + 1)
                .is_some_and(|&x| x.is_ascii_alphabetic() || x == b'_') =>
            {
                i += 1;
                let s = i;
                i = word_end(b, i);
                if matches!(b.get(i), Some(b'?' | b'!' | b'=')) && b.get(i + 1) != Some(&b'=') {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Symbol(text[s..i].to_string()),
                    span: start..i,
                });
            }
            b'0'..=b'9' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                {
                    if b[i] == b'.' && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                        break;
                    }
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Num(text[start..i].to_string()),
                    span: start..i,
                });
            }
            b'@' | b'$' => {
                i += 1;
                while b.get(i) == Some(&b'@') {
                    i += 1;
                }
                i = word_end(b, i);
                out.push(Token {
                    tok: Tok::Ident(text[start..i].to_string()),
                    span: start..i,
                });
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                i = word_end(b, i);
                if matches!(b.get(i), Some(b'?' | b'!')) && b.get(i + 1) != Some(&b'=') {
                    i += 1;
                }
                let word = &text[start..i];
                // `key:` (not `key::`, and not the `a ? b : c` colon).
                if b.get(i) == Some(&b':') && b.get(i + 1) != Some(&b':') {
                    i += 1;
                    out.push(Token {
                        tok: Tok::Label(word.to_string()),
                        span: start..i,
                    });
                } else if c.is_ascii_uppercase() {
                    out.push(Token {
                        tok: Tok::Const(word.to_string()),
                        span: start..i,
                    });
                } else {
                    out.push(Token {
                        tok: Tok::Ident(word.to_string()),
                        span: start..i,
                    });
                }
            }
            _ => {
                let p = PUNCT
                    .iter()
                    .find(|p| text[i..].starts_with(**p))
                    .copied()
                    .unwrap_or("?");
                i += p.len().max(1);
                // Skip the rest of a multi-byte character.
                while i < b.len() && !text.is_char_boundary(i) {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Punct(p),
                    span: start..i,
                });
            }
        }
    }
    (out, comments)
}

/// Whether the next code after `i` (past blank space and comment lines)
/// is a leading `.name` or `&.`: a call chain continued from the line
/// before. Also gives where the scan stopped.
fn continues_chain(b: &[u8], mut i: usize) -> (usize, bool) {
    loop {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            i += 1;
        }
        if b.get(i) == Some(&b'#') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let v = match b.get(i) {
            Some(b'.') => b
                .get(i + 1)
                .is_some_and(|&x| x.is_ascii_alphabetic() || x == b'_'),
            Some(b'&') => b.get(i + 1) == Some(&b'.'),
            _ => false,
        };
        return (i, v);
    }
}

/// The end of a word (letters, digits, `_`, any non-ASCII byte).
fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
        i += 1;
    }
    i
}

/// `<<~ID`, `<<-ID`, `<<ID`, with `'ID'` or `"ID"`: (terminator, indented
/// terminator allowed, interpolating, end of the opener).
fn heredoc_start(text: &str, at: usize) -> Option<(String, bool, bool, usize)> {
    let b = text.as_bytes();
    let mut i = at + 2;
    let indented = matches!(b.get(i), Some(b'~' | b'-'));
    if indented {
        i += 1;
    }
    let quote = match b.get(i) {
        Some(q @ (b'\'' | b'"')) => Some(*q),
        _ => None,
    };
    if quote.is_some() {
        i += 1;
    }
    let s = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    if i == s || !b[s].is_ascii_uppercase() && quote.is_none() {
        return None;
    }
    let term = text[s..i].to_string();
    if let Some(q) = quote {
        if b.get(i) != Some(&q) {
            return None;
        }
        i += 1;
    }
    Some((term, indented, quote != Some(b'\''), i))
}

/// A heredoc's body from `start` up to its terminator line: the literal and
/// where reading goes on (after the terminator line, or the end of text).
fn heredoc_body(
    text: &str,
    start: usize,
    term: &str,
    indented: bool,
    interp: bool,
) -> (Lit, usize) {
    let mut i = start;
    while i < text.len() {
        let line_end = text[i..].find('\n').map_or(text.len(), |k| i + k);
        let line = &text[i..line_end];
        let t = if indented { line.trim_start() } else { line };
        if t.trim_end() == term {
            let body = &text[start..i];
            return (
                Lit {
                    value: body.to_string(),
                    body: start..i,
                    interpolated: interp && body.contains("#{"),
                },
                line_end,
            );
        }
        i = line_end + 1;
    }
    let body = &text[start.min(text.len())..];
    (
        Lit {
            value: body.to_string(),
            body: start.min(text.len())..text.len(),
            interpolated: interp && body.contains("#{"),
        },
        text.len(),
    )
}

/// A quoted literal from `start` (after the opening delimiter) to the
/// closing one: (literal, end after the close). Nested `open`/`close` pairs
/// count (for `%q(...)`).
fn quoted(text: &str, start: usize, open: u8, close: u8, interp: bool) -> (Lit, usize) {
    let b = text.as_bytes();
    let mut i = start;
    let mut depth = 0usize;
    let mut value = String::new();
    let mut interpolated = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && i + 1 < b.len() {
            let n = b[i + 1];
            match n {
                b'n' if interp => value.push('\n'),
                b't' if interp => value.push('\t'),
                _ if !interp && n != close && n != b'\\' => {
                    value.push('\\');
                    if n.is_ascii() {
                        value.push(n as char);
                    }
                }
                _ if n.is_ascii() => value.push(n as char),
                _ => {}
            }
            i += 2;
            continue;
        }
        if interp && c == b'#' && b.get(i + 1) == Some(&b'{') {
            interpolated = true;
            let mut d = 0usize;
            let s = i;
            while i < b.len() {
                match b[i] {
                    b'{' => d += 1,
                    b'}' => {
                        d = d.saturating_sub(1);
                        if d == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            value.push_str(text.get(s..i).unwrap_or(""));
            continue;
        }
        if c == close && depth == 0 {
            return (
                Lit {
                    value,
                    body: start..i,
                    interpolated,
                },
                i + 1,
            );
        }
        if open != close {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
        }
        let ch_end = (i + 1..=b.len())
            .find(|&k| text.is_char_boundary(k))
            .unwrap_or(b.len());
        value.push_str(&text[i..ch_end]);
        i = ch_end;
    }
    (
        Lit {
            value,
            body: start..b.len(),
            interpolated,
        },
        b.len(),
    )
}

/// `%w[..]`, `%i[..]`, `%q(..)`, `%Q(..)`, `%(..)`: the token and its end.
fn percent_literal(text: &str, at: usize) -> Option<(Tok, usize)> {
    let b = text.as_bytes();
    let (kind, open_at) = match b.get(at + 1) {
        Some(k @ (b'w' | b'W' | b'i' | b'I' | b'q' | b'Q')) => (*k, at + 2),
        Some(b'(' | b'[' | b'{') => (b'Q', at + 1),
        _ => return None,
    };
    let open = *b.get(open_at)?;
    let close = match open {
        b'(' => b')',
        b'[' => b']',
        b'{' => b'}',
        b'<' => b'>',
        b'|' | b'!' | b'/' => open,
        _ => return None,
    };
    let (lit, end) = quoted(text, open_at + 1, open, close, kind == b'Q');
    let tok = match kind {
        b'w' | b'W' | b'i' | b'I' => {
            Tok::Words(lit.value.split_whitespace().map(str::to_string).collect())
        }
        _ => Tok::Str(lit),
    };
    Some((tok, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredoc_body_and_interpolation() {
        let t = "execute <<~SQL\n  ALTER TABLE t ADD c int;\nSQL\nadd_column :a, :b, :c\n";
        let toks = lex(t).0;
        let Tok::Str(lit) = &toks[1].tok else {
            panic!("{toks:?}")
        };
        assert_eq!(&t[lit.body.clone()], "  ALTER TABLE t ADD c int;\n");
        assert!(toks
            .iter()
            .any(|x| x.tok == Tok::Ident("add_column".into())));
        let t = "execute \"UPDATE #{x} SET a = 1\"";
        let Tok::Str(lit) = &lex(t).0[1].tok else {
            panic!()
        };
        assert!(lit.interpolated);
    }

    #[test]
    fn symbols_labels_words() {
        let toks: Vec<Tok> = lex("f :a, b: 1, %w[x y]")
            .0
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert_eq!(
            toks,
            vec![
                Tok::Ident("f".into()),
                Tok::Symbol("a".into()),
                Tok::Punct(","),
                Tok::Label("b".into()),
                Tok::Num("1".into()),
                Tok::Punct(","),
                Tok::Words(vec!["x".into(), "y".into()]),
            ]
        );
    }
}
