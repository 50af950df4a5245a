//! A fast tokenizer for the PostgreSQL that migrations are mostly made of.
//!
//! It yields exactly the tokens and spans sqlparser's own tokenizer yields
//! for the PostgreSQL dialect (without unescaping), byte for byte, less the
//! blanks the parser has no use for ([`parser_needs`]), and gives up on
//! anything outside the subset it knows (`E''` strings, operators such as
//! `->>` or `@>`, numbers with exponents, ...): the caller then runs
//! sqlparser's tokenizer on the statement instead. The tests compare the two
//! on every fixture, the real-world corpus and generated input.
//!
//! It is faster because it works on bytes, copies each token's text in one
//! piece, and looks keywords up in a hash table instead of a binary search
//! that upper-cases as it compares.

use sqlparser::ast::DollarQuotedString;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};

/// Whether sqlparser's parser needs `token`, after `previous`, the last
/// token kept. Its parser skips whitespace tokens, save in a few places: a
/// placeholder is a `:` followed by a word with nothing between, comments may
/// hold optimizer hints, and MySQL, BigQuery and Snowflake syntax (not
/// PostgreSQL's) read blanks. So spaces, tabs and newlines are dropped
/// except right after a `:`, and comments are kept: a statement a third
/// made of blanks then parses to the same AST with a third fewer tokens to
/// make, skip and drop (`tests/dialect.rs` checks that it does).
pub(crate) fn parser_needs(previous: Option<&Token>, token: &Token) -> bool {
    !matches!(
        token,
        Token::Whitespace(Whitespace::Space | Whitespace::Tab | Whitespace::Newline)
    ) || matches!(previous, Some(Token::Colon))
}

/// Appends the tokens of `text` the parser needs ([`parser_needs`]) to `out`
/// and returns true, or returns false (leaving `out` in an unspecified state)
/// when `text` holds something only sqlparser's tokenizer reads right.
pub(crate) fn tokenize(text: &str, out: &mut Vec<TokenWithSpan>) -> bool {
    let b = text.as_bytes();
    let mut cur = Cursor {
        i: 0,
        line: 1,
        col: 1,
    };
    while cur.i < b.len() {
        let start = cur.location();
        let i = cur.i;
        let next = b.get(i + 1).copied();
        let token = match b[i] {
            b' ' => cur.ascii(1, Token::Whitespace(Whitespace::Space)),
            b'\t' => cur.ascii(1, Token::Whitespace(Whitespace::Tab)),
            b'\n' => {
                cur.i += 1;
                cur.line += 1;
                cur.col = 1;
                Token::Whitespace(Whitespace::Newline)
            }
            b'\r' => {
                cur.i += 1;
                cur.col += 1;
                if next == Some(b'\n') {
                    cur.i += 1;
                    cur.line += 1;
                    cur.col = 1;
                }
                Token::Whitespace(Whitespace::Newline)
            }
            b'\'' => {
                let Some(end) = quoted_end(b, i + 1, b'\'') else {
                    return false;
                };
                let value = text[i + 1..end].to_string();
                cur.advance(b, end + 1);
                Token::SingleQuotedString(value)
            }
            b'"' => {
                let Some(end) = quoted_end(b, i + 1, b'"') else {
                    return false;
                };
                let value = text[i + 1..end].to_string();
                cur.advance(b, end + 1);
                Token::Word(Word {
                    value,
                    quote_style: Some('"'),
                    keyword: Keyword::NoKeyword,
                })
            }
            b'0'..=b'9' => {
                let mut j = digits(b, i);
                if b.get(j) == Some(&b'.') {
                    j = digits(b, j + 1);
                }
                // Separators, hex, exponents and `L` suffixes are left to sqlparser.
                if matches!(b.get(j), Some(b'_' | b'e' | b'E' | b'L' | b'x')) {
                    return false;
                }
                cur.ascii(j - i, Token::Number(text[i..j].to_string(), false))
            }
            b'.' => {
                if next.is_some_and(|c| c.is_ascii_digit() || c == b'_') {
                    return false;
                }
                cur.ascii(1, Token::Period)
            }
            b'$' => {
                let Some(token) = dollar(text, &mut cur) else {
                    return false;
                };
                token
            }
            b'-' => match next {
                Some(b'-') => {
                    let end = b[i + 2..]
                        .iter()
                        .position(|&c| c == b'\n' || c == b'\r')
                        .map_or(b.len(), |n| i + 2 + n);
                    let comment = text[i + 2..end].to_string();
                    cur.advance(b, end);
                    Token::Whitespace(Whitespace::SingleLineComment {
                        comment,
                        prefix: "--".to_string(),
                    })
                }
                Some(c) if is_operator_part(c) => return false,
                _ => cur.ascii(1, Token::Minus),
            },
            b'/' => {
                if next != Some(b'*') {
                    cur.ascii(1, Token::Div)
                } else {
                    let Some(end) = block_comment_end(b, i + 2) else {
                        return false;
                    };
                    let comment = text[i + 2..end - 2].to_string();
                    cur.advance(b, end);
                    Token::Whitespace(Whitespace::MultiLineComment(comment))
                }
            }
            b'+' => cur.ascii(1, Token::Plus),
            b'*' => cur.ascii(1, Token::Mul),
            b'%' => match next {
                Some(c) if is_operator_part(c) => return false,
                _ => cur.ascii(1, Token::Mod),
            },
            b'=' => match next {
                Some(b'>') => cur.ascii(2, Token::RArrow),
                Some(b'=') => cur.ascii(2, Token::DoubleEq),
                _ => cur.ascii(1, Token::Eq),
            },
            b'!' => match next {
                Some(b'=') => cur.ascii(2, Token::Neq),
                _ => return false,
            },
            b'<' => {
                let after = b.get(i + 2).copied();
                match next {
                    Some(b'=') => match after {
                        Some(b'+' | b'-') => cur.ascii(2, Token::LtEq),
                        Some(c) if is_operator_part(c) => return false,
                        _ => cur.ascii(2, Token::LtEq),
                    },
                    Some(b'>') => match after {
                        Some(c) if is_operator_part(c) => return false,
                        _ => cur.ascii(2, Token::Neq),
                    },
                    Some(c) if is_operator_part(c) => return false,
                    _ => cur.ascii(1, Token::Lt),
                }
            }
            b'>' => {
                let after = b.get(i + 2).copied();
                match next {
                    Some(b'=') => match after {
                        Some(c) if is_operator_part(c) => return false,
                        _ => cur.ascii(2, Token::GtEq),
                    },
                    Some(c) if is_operator_part(c) => return false,
                    _ => cur.ascii(1, Token::Gt),
                }
            }
            b'|' => match (next, b.get(i + 2).copied()) {
                (Some(b'|'), Some(c)) if c == b'/' || is_operator_part(c) => return false,
                (Some(b'|'), _) => cur.ascii(2, Token::StringConcat),
                _ => return false,
            },
            b':' => match next {
                Some(b':') => cur.ascii(2, Token::DoubleColon),
                Some(b'=') => cur.ascii(2, Token::Assignment),
                _ => cur.ascii(1, Token::Colon),
            },
            b';' => cur.ascii(1, Token::SemiColon),
            b'(' => cur.ascii(1, Token::LParen),
            b')' => cur.ascii(1, Token::RParen),
            b',' => cur.ascii(1, Token::Comma),
            b'[' => cur.ascii(1, Token::LBracket),
            b']' => cur.ascii(1, Token::RBracket),
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                // Prefixes of special string literals: B'', N'', E'', U&'', X''.
                let special = match c {
                    b'B' | b'b' => matches!(next, Some(b'\'' | b'"')),
                    b'N' | b'n' | b'E' | b'e' | b'X' | b'x' => next == Some(b'\''),
                    b'U' | b'u' => next == Some(b'&'),
                    _ => false,
                };
                if special {
                    return false;
                }
                let mut end = i + 1;
                let mut ascii = c < 0x80;
                while let Some(&c) = b.get(end) {
                    if !IDENT[usize::from(c)] {
                        break;
                    }
                    ascii &= c < 0x80;
                    end += 1;
                }
                let value = &text[i..end];
                if ascii {
                    cur.i = end;
                    cur.col += (end - i) as u64;
                    keywords::word(value)
                } else {
                    // Keywords are ASCII.
                    cur.advance(b, end);
                    Token::Word(Word {
                        value: value.to_string(),
                        quote_style: None,
                        keyword: Keyword::NoKeyword,
                    })
                }
            }
            _ => return false,
        };
        if parser_needs(out.last().map(|t| &t.token), &token) {
            out.push(TokenWithSpan::new(token, Span::new(start, cur.location())));
        }
    }
    true
}

/// Position in the text: byte index, and sqlparser's 1-based line and
/// column (columns count characters).
struct Cursor {
    i: usize,
    line: u64,
    col: u64,
}

impl Cursor {
    fn location(&self) -> Location {
        Location {
            line: self.line,
            column: self.col,
        }
    }

    /// Moves over `n` ASCII bytes on one line and returns `token`.
    fn ascii(&mut self, n: usize, token: Token) -> Token {
        self.i += n;
        self.col += n as u64;
        token
    }

    /// Moves to byte `to`, counting lines and characters on the way.
    fn advance(&mut self, b: &[u8], to: usize) {
        for &c in &b[self.i..to] {
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.i = to;
    }
}

/// Bytes that continue an unquoted identifier: ASCII letters, digits, `_`,
/// `$`, and every byte of a non-ASCII character.
static IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        c += 1;
    }
    t
};

/// The characters PostgreSQL builds custom operators from.
fn is_operator_part(c: u8) -> bool {
    matches!(
        c,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'#'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
    )
}

/// End of the ASCII digits starting at `i`.
fn digits(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(b.len(), |n| i + n)
}

/// Index of the quote closing a string or identifier whose text starts at
/// `from` (a doubled quote is part of the text), if it is closed.
fn quoted_end(b: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut j = from;
    loop {
        j += b[j..].iter().position(|&c| c == quote)?;
        if b.get(j + 1) == Some(&quote) {
            j += 2;
        } else {
            return Some(j);
        }
    }
}

/// End (past `*/`) of a block comment whose text starts at `from`; comments nest.
fn block_comment_end(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1u32;
    let mut j = from;
    while j < b.len() {
        match (b[j], b.get(j + 1)) {
            (b'/', Some(b'*')) => {
                depth += 1;
                j += 2;
            }
            (b'*', Some(b'/')) => {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => j += 1,
        }
    }
    None
}

/// `$$...$$`, `$tag$...$tag$` or a `$1` placeholder at the cursor.
fn dollar(text: &str, cur: &mut Cursor) -> Option<Token> {
    let b = text.as_bytes();
    let i = cur.i;
    let tag_end = b[i + 1..]
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
        .map_or(b.len(), |n| i + 1 + n);
    let tag = &text[i + 1..tag_end];
    match b.get(tag_end) {
        // Unicode letters may be part of the tag: left to sqlparser.
        Some(c) if *c >= 0x80 => None,
        Some(b'$') => {
            let body = tag_end + 1;
            let delimiter = &text[i..=tag_end];
            let close = body + text[body..].find(delimiter)?;
            let value = text[body..close].to_string();
            cur.advance(b, close + delimiter.len());
            Some(Token::DollarQuotedString(DollarQuotedString {
                value,
                tag: (!tag.is_empty()).then(|| tag.to_string()),
            }))
        }
        _ if tag.is_empty() => None,
        _ => {
            cur.advance(b, tag_end);
            Some(Token::Placeholder(format!("${tag}")))
        }
    }
}

/// Keyword lookup. The browser's lint-only module, built for size, uses
/// sqlparser's own (a binary search); everything else a hash table.
#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
mod keywords {
    use sqlparser::tokenizer::Token;

    /// The token of an unquoted ASCII word.
    pub(super) fn word(value: &str) -> Token {
        Token::make_word(value, None)
    }
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "full"))))]
mod keywords {
    use std::sync::OnceLock;

    use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
    use sqlparser::tokenizer::{Token, Word};

    /// The token of an unquoted ASCII word.
    pub(super) fn word(value: &str) -> Token {
        Token::Word(Word {
            value: value.to_string(),
            quote_style: None,
            keyword: keyword(value),
        })
    }

    /// Slots in the keyword table: a power of two well above the keyword count.
    const TABLE_BITS: u32 = 12;
    pub(super) const TABLE_SIZE: usize = 1 << TABLE_BITS;

    /// The keyword an ASCII word spells (case-insensitively), as sqlparser would find it.
    pub(super) fn keyword(word: &str) -> Keyword {
        let table = table();
        let mut slot = hash(word.as_bytes());
        loop {
            match table[slot] {
                0 => return Keyword::NoKeyword,
                k => {
                    let k = usize::from(k - 1);
                    if ALL_KEYWORDS[k].eq_ignore_ascii_case(word) {
                        return ALL_KEYWORDS_INDEX[k];
                    }
                }
            }
            slot = (slot + 1) & (TABLE_SIZE - 1);
        }
    }

    /// Open-addressing table of 1 + the index of each keyword in `ALL_KEYWORDS`.
    fn table() -> &'static [u16; TABLE_SIZE] {
        static TABLE: OnceLock<Box<[u16; TABLE_SIZE]>> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t = Box::new([0u16; TABLE_SIZE]);
            for (k, kw) in ALL_KEYWORDS.iter().enumerate().take(TABLE_SIZE / 2) {
                let mut slot = hash(kw.as_bytes());
                while t[slot] != 0 {
                    slot = (slot + 1) & (TABLE_SIZE - 1);
                }
                t[slot] = u16::try_from(k + 1).unwrap_or(0);
            }
            t
        })
    }

    /// Slot of a word from its length and three of its letters, case-insensitively.
    fn hash(w: &[u8]) -> usize {
        let (Some(&first), Some(&last)) = (w.first(), w.last()) else {
            return 0;
        };
        let middle = w[w.len() / 2];
        let key = u32::from(first | 0x20)
            | u32::from(last | 0x20) << 8
            | u32::from(middle | 0x20) << 16
            | (w.len() as u32) << 24;
        (key.wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::keywords::{keyword, TABLE_SIZE};
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::keywords::{ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
    use sqlparser::tokenizer::Tokenizer;

    /// sqlparser's tokens, less those the parser does not need.
    fn reference(text: &str) -> Option<Vec<TokenWithSpan>> {
        let all = Tokenizer::new(&PostgreSqlDialect {}, text)
            .with_unescape(false)
            .tokenize_with_location()
            .ok()?;
        let mut kept: Vec<TokenWithSpan> = Vec::new();
        for t in all {
            if parser_needs(kept.last().map(|k| &k.token), &t.token) {
                kept.push(t);
            }
        }
        Some(kept)
    }

    #[test]
    fn blanks_are_dropped_except_after_a_colon() {
        let mut out = Vec::new();
        assert!(tokenize("a  :\tb -- c\n:: d", &mut out));
        let tokens: Vec<String> = out.iter().map(|t| format!("{:?}", t.token)).collect();
        // a : \t b -- c :: d
        assert_eq!(tokens.len(), 7, "{tokens:?}");
        assert!(matches!(out[1].token, Token::Colon));
        assert!(matches!(out[2].token, Token::Whitespace(Whitespace::Tab)));
        assert!(matches!(
            out[4].token,
            Token::Whitespace(Whitespace::SingleLineComment { .. })
        ));
        assert!(matches!(out[5].token, Token::DoubleColon));
    }

    /// Tokenizes `text` both ways; true when the fast path took it (and then
    /// its tokens must be sqlparser's).
    fn check(text: &str) -> bool {
        let mut fast = Vec::new();
        if !tokenize(text, &mut fast) {
            return false;
        }
        let slow = reference(text);
        assert_eq!(Some(&fast), slow.as_ref(), "tokens differ for {text:?}");
        true
    }

    #[test]
    fn keywords_fit_the_table() {
        assert!(ALL_KEYWORDS.len() < TABLE_SIZE / 2);
    }

    #[test]
    fn every_keyword_is_found_in_any_case() {
        for (k, kw) in ALL_KEYWORDS.iter().enumerate() {
            assert_eq!(keyword(kw), ALL_KEYWORDS_INDEX[k], "{kw}");
            assert_eq!(keyword(&kw.to_ascii_lowercase()), ALL_KEYWORDS_INDEX[k]);
        }
        assert_eq!(keyword("users"), Keyword::NoKeyword);
        assert_eq!(keyword(""), Keyword::NoKeyword);
    }

    #[test]
    fn common_migration_text_takes_the_fast_path() {
        for text in [
            "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT ''",
            "CREATE INDEX CONCURRENTLY idx_a ON public.users (lower(email)) WHERE deleted_at IS NULL",
            "UPDATE t SET a = a + 1, b = 'it''s' WHERE id >= 10 AND id <= 20 OR x <> 1 OR y != 2",
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1 $x$ $body$ LANGUAGE sql",
            "SELECT x::bigint, \"Quoted \"\"Name\"\"\", a[1], 3.14, 10 % 3, $1 FROM t",
            "-- a comment\r\nSELECT 1 /* nested /* block */ comment */ ; -- tail",
            "COMMENT ON TABLE t IS 'ünïcode ✓ text'; SELECT \"naïve\", café FROM t",
            "SET lock_timeout = '5s'; SELECT 'a' || 'b', f(x => 1)",
            "SELECT 1.5, 2., t.col, a/b, a*b, a-b, a=b, a==b, a:b, a:=b",
        ] {
            assert!(check(text), "fast path refused {text:?}");
        }
    }

    #[test]
    fn hard_cases_fall_back_or_match() {
        for text in [
            "SELECT E'a\\'b'",
            "SELECT B'101', X'FF', N'nat', U&'d\\0061t'",
            "SELECT data->>'a', data->'b', data #> '{a}', data @> '{}', a ?| b",
            "SELECT 1e10, 1_000, 0x1F, .5, 1..2, 10L",
            "SELECT $ab$unterminated",
            "SELECT $$unterminated",
            "SELECT 'unterminated",
            "SELECT \"unterminated",
            "SELECT /* unterminated",
            "SELECT a <=> b, a << b, a >> b, a <-> b, a <@ b, a ~~ b, a !~ b",
            "SELECT a <=- b, a <+ b, a >=+ b, a ||/ b, a || /b, a %+ b",
            "SELECT $é$ x $é$, $1, $",
            "SELECT t._col, t.1",
            "SELECT \u{2003} x, \u{a0}",
            "a\rb\r\r\nc",
        ] {
            check(text);
        }
    }

    #[test]
    fn generated_text_matches_sqlparser() {
        const PIECES: &[&str] = &[
            " ", "\n", "\r", "\r\n", "\t", "'", "''", "\"", "\"\"", "$", "$$", "$a$", "$1", "a",
            "E", "e", "N", "b", "X", "u", "&", "U&", "1", "0", "12", ".", "_", "e5", "x", "L",
            "--", "-", "/*", "*/", "/", "*", "<", ">", "=", "!", "|", "||", ":", "::", ";", "(",
            ")", ",", "[", "]", "{", "@", "#", "~", "?", "%", "^", "+", "é", "✓", "select",
            "CREATE", "users",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut fast, mut total) = (0, 0);
        for _ in 0..40_000 {
            let len = 1 + next() % 12;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            total += 1;
            fast += usize::from(check(&text));
        }
        // The comparison means something only if the fast path takes a good share.
        assert!(fast * 5 > total, "fast path took {fast} of {total}");
    }

    /// Every statement of the fixtures, the bundled examples and the
    /// real-world corpus (when present) tokenizes as sqlparser tokenizes it.
    #[test]
    fn real_migrations_match_sqlparser() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stack = vec![
            root.join("tests/fixtures"),
            root.join("docs/examples"),
            root.join("../shared/corpus"),
        ];
        let (mut statements, mut fast) = (0usize, 0usize);
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "sql") {
                    let Ok(text) = std::fs::read_to_string(&p) else {
                        continue;
                    };
                    for st in crate::sql::split(&text).statements {
                        statements += 1;
                        fast += usize::from(check(&text[st.span]));
                    }
                }
            }
        }
        eprintln!("{fast} of {statements} statements took the fast path");
        assert!(statements > 100);
        assert!(
            fast * 10 > statements * 8,
            "fast path took {fast} of {statements}"
        );
    }
}
