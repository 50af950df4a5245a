//! Lowers one statement's text into the operation model, with sqlparser
//! where it can and token-level recognition where it cannot.
//!
//! # How to add a statement
//!
//! [`lower`] first looks for what PostgreSQL rejects (`rejected`: template
//! text, MySQL and SQLite syntax, a missing `;`), then tries four paths in
//! order; each owns a set of statements:
//!
//! 1. `recognize`, before parsing: statements read from their words alone,
//!    because sqlparser does not parse them, loses what rules need, or need
//!    not be parsed at all (`DO`, `DROP INDEX`, `REINDEX`, `CLUSTER`,
//!    `VACUUM`, `ANALYZE`, `REFRESH MATERIALIZED VIEW`, `CREATE TABLE (LIKE
//!    ...)`, function, procedure and trigger definitions, `COMMENT ON`,
//!    sequences, statistics, domains, rules, ...; its doc lists them). It
//!    runs first, so what it returns wins over the parser. Then `patch`
//!    reads the ALTER TABLE actions (`ALTER CONSTRAINT`, `SET STATISTICS`,
//!    storage parameters, `ATTACH/DETACH PARTITION`, ...) and CREATE TABLE
//!    elements (`NOT NULL col`) sqlparser does not, and leaves them out of
//!    what sqlparser parses.
//! 2. `lower_statement` (with `create_table`, `column_def`, `constraint` and
//!    `alter_table_op`), after sqlparser parsed the statement: the AST to
//!    operations. Everything else that parses lands here; a statement it
//!    has no arm for becomes `OpKind::Other`, named by its leading keywords.
//! 3. `recognize_unparsed`, after sqlparser failed: the forms of `CREATE
//!    INDEX` the parser cannot read (expressions it does not know, `ON
//!    ONLY`).
//! 4. `failed` (with `parser_error` and `tidy_message`): anything still
//!    unread becomes a `Statement` with an error, which the engine reports
//!    as `parse-error`: a message starting with [`UNREADABLE`] where the
//!    statement may be PostgreSQL zerodown does not know, else one naming
//!    what PostgreSQL rejects.
//!
//! To add a statement: give it an `OpKind` in `model/operation.rs` when no
//! existing kind says what it does (and teach `model/state.rs` and
//! `model/locks.rs` what it changes and locks); lower it in
//! `lower_statement` when sqlparser parses it with the detail rules need,
//! in `recognize` when it does not (an ALTER TABLE action: in `patch`'s
//! tables), and in `recognize_unparsed` only for a form the parser rejects;
//! then add a case to the tests below.

use std::cell::RefCell;
use std::ops::Range;

use sqlparser::ast::{
    self, AlterColumnOperation, AlterTableOperation, ColumnOption, Expr, ObjectName,
    ObjectNamePart, ObjectType, Spanned, TableConstraint, TableFactor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use crate::model::{
    ColumnDef, Constraint, ConstraintKind, CreateIndex, CreateTable, DataChangeKind, DefaultExpr,
    DynamicKind, ForeignKeyRef, MaintenanceKind, Name, Op, OpKind, Statement, TransactionKind,
};

/// Deepest parenthesis nesting the parser is asked to handle.
const RECURSION_LIMIT: usize = 48;
/// Most binary operators one statement may chain: longer left-deep chains
/// overflow the stack in WebAssembly, so they are refused before parsing.
const MAX_OPERATORS: usize = 2_000;

/// Maps positions inside one statement's text to byte offsets in the file.
struct Locator<'a> {
    text: &'a str,
    base: usize,
    /// Byte offset (within `text`) where each line starts.
    line_starts: Vec<usize>,
    /// Whether `text` is ASCII, so that columns are byte offsets.
    ascii: bool,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Locator {
            text,
            base,
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    /// File byte offset of a sqlparser location (1-based line and char column) in the statement.
    fn offset(&self, loc: sqlparser::tokenizer::Location) -> Option<usize> {
        let line = usize::try_from(loc.line).ok()?.checked_sub(1)?;
        let col = usize::try_from(loc.column).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line_text = &self.text[start..end];
        let rel = if self.ascii || line_text.is_ascii() {
            col.min(line_text.len())
        } else {
            line_text
                .char_indices()
                .nth(col)
                .map_or(line_text.len(), |(i, _)| i)
        };
        Some(self.base + start + rel)
    }

    /// File byte range of a sqlparser span; `fallback` when the span is empty.
    fn range(&self, span: sqlparser::tokenizer::Span, fallback: &Range<usize>) -> Range<usize> {
        if span.start.line == 0 {
            return fallback.clone();
        }
        match (self.offset(span.start), self.offset(span.end)) {
            (Some(s), Some(e)) if s < e => s..self.close_parens(s, e),
            _ => fallback.clone(),
        }
    }

    /// sqlparser's spans end at the last identifier, before the `)` that
    /// closes a list (`REFERENCES c (id`): extends `s..e` over the closing
    /// parentheses it lacks, when they follow.
    fn close_parens(&self, s: usize, e: usize) -> usize {
        let b = self.text.as_bytes();
        let Some(inner) = b.get(s - self.base..e - self.base) else {
            return e;
        };
        let count = |c| inner.iter().filter(|&&x| x == c).count();
        let mut open = count(b'(').saturating_sub(count(b')'));
        let mut end = e - self.base;
        while open > 0 {
            let next = end
                + b[end..]
                    .iter()
                    .take_while(|x| x.is_ascii_whitespace())
                    .count();
            if b.get(next) != Some(&b')') {
                break;
            }
            end = next + 1;
            open -= 1;
        }
        end + self.base
    }
}

/// Lowers the statement at `span` of `source`.
pub fn lower(source: &str, span: Range<usize>) -> Statement {
    let text = &source[span.clone()];
    let loc = Locator::new(text, span.start);
    // At most about one token per three bytes of SQL (blanks are left out, so
    // usually fewer): reserving up front saves the tokenizer's reallocations
    // and copies.
    let mut tokens = take_buffer();
    tokens.reserve(text.len() / 3 + 8);
    match tokenize(text, &mut tokens) {
        Ok(()) => {}
        Err(e) => {
            give_back(tokens);
            let at = loc.offset(e.location).unwrap_or(span.start);
            return failed(
                span,
                if e.message.contains("nterminated") {
                    format!("{}: PostgreSQL rejects it too; close it", e.message)
                } else {
                    format!("{UNREADABLE}: {}", e.message)
                },
                at,
            );
        }
    };
    let significant = || {
        tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
    };
    let operators = significant()
        .filter(|t| {
            matches!(
                t.token,
                Token::Plus
                    | Token::Minus
                    | Token::Mul
                    | Token::Div
                    | Token::StringConcat
                    | Token::Eq
            ) || matches!(&t.token, Token::Word(w) if w.keyword == sqlparser::keywords::Keyword::AND
                || w.keyword == sqlparser::keywords::Keyword::OR)
        })
        .count();
    if operators > MAX_OPERATORS {
        give_back(tokens);
        return failed(
            span.clone(),
            format!("{UNREADABLE}: it is too complex to analyze ({operators} operators; the limit is {MAX_OPERATORS})"),
            span.start,
        );
    }
    let all = Words::new(significant(), usize::MAX);
    // What PostgreSQL would reject, found from the tokens alone.
    if let Some((message, at)) = rejected(&all, &loc) {
        give_back(tokens);
        return failed(span, message, at);
    }
    // Statements sqlparser does not parse, or parses into something less precise.
    let head = Words {
        toks: all.toks[..all.toks.len().min(WORDS_LOOKED_AT)].to_vec(),
    };
    if let Some(ops) = recognize(&head, &loc, &span) {
        give_back(tokens);
        return Statement {
            span,
            ops,
            error: None,
        };
    }
    // ALTER TABLE actions and CREATE TABLE elements sqlparser does not read:
    // lowered here, and left out of what it parses.
    let patch = match patch(&all, &loc, &span) {
        Ok(p) => p,
        Err((message, at)) => {
            give_back(tokens);
            return failed(span, message, at);
        }
    };
    let mut read = Vec::new();
    let mut not_null = Vec::new();
    if let Some(p) = patch {
        if !p.rest {
            give_back(tokens);
            return Statement {
                span,
                ops: p.ops,
                error: None,
            };
        }
        tokens.retain(|t| {
            !p.cut
                .iter()
                .any(|(s, e)| *s <= t.span.start && t.span.start <= *e)
        });
        read = p.ops;
        not_null = p.not_null;
    }
    let (parsed, tokens) = parse_tokens(tokens);
    give_back(tokens);
    match parsed {
        Ok(stmt) => {
            let mut ops = lower_statement(&stmt, &loc, &span);
            for op in &mut ops {
                if let OpKind::CreateTable(ct) = &mut op.kind {
                    for c in &mut ct.columns {
                        c.not_null |= not_null.contains(&c.name);
                    }
                }
            }
            if !read.is_empty() {
                ops.append(&mut read);
                ops.sort_by_key(|o| o.span.start);
            }
            Statement {
                span,
                ops,
                error: None,
            }
        }
        Err(e) => {
            // The tokens went to the parser; this path is rare, so read them again.
            let mut again = Vec::new();
            if tokenize(text, &mut again).is_err() {
                again.clear();
            }
            let words = Words::new(
                again
                    .iter()
                    .filter(|t| !matches!(t.token, Token::Whitespace(_))),
                usize::MAX,
            );
            let (message, at) = parser_error(&e, &words, &loc, span.start);
            // A complete statement followed by more: `recognize_unparsed`
            // would take it whole.
            if message.starts_with(UNREADABLE) {
                if let Some(ops) = recognize_unparsed(&words, &span) {
                    return Statement {
                        span,
                        ops,
                        error: None,
                    };
                }
            }
            let mut st = failed(span, message, at);
            st.ops = recover_new_relation(&words, &st.span);
            st
        }
    }
}

/// What a statement that did not parse still tells: the table or
/// materialized view it creates (`CREATE [UNLOGGED|TEMP] TABLE [IF NOT
/// EXISTS] name ...`), so that later statements on it know it is new. The
/// statement keeps its parse error.
fn recover_new_relation(w: &Words<'_>, span: &Range<usize>) -> Vec<Op> {
    if !w.is(0, "CREATE") {
        return Vec::new();
    }
    let mut i = 1;
    while ["GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED"]
        .iter()
        .any(|k| w.is(i, k))
    {
        i += 1;
    }
    let view = w.is(i, "MATERIALIZED") && w.is(i + 1, "VIEW");
    if !(w.is(i, "TABLE") || view) {
        return Vec::new();
    }
    i += 1 + usize::from(view);
    let if_not_exists = w.is(i, "IF") && w.is(i + 1, "NOT") && w.is(i + 2, "EXISTS");
    i += if if_not_exists { 3 } else { 0 };
    let Some((table, _)) = w.name_at(i) else {
        return Vec::new();
    };
    let kind = if view {
        OpKind::CreateRelation {
            name: table,
            what: "MATERIALIZED VIEW".into(),
        }
    } else {
        OpKind::CreateTable(CreateTable {
            table,
            columns: Vec::new(),
            constraints: Vec::new(),
            if_not_exists,
            partition_of: None,
            from_query: true,
        })
    };
    vec![Op {
        kind,
        span: span.clone(),
    }]
}

/// Parses one statement from its tokens (as [`tokenize`] leaves them) with
/// zerodown's dialect; returns the tokens for reuse.
fn parse_tokens(
    tokens: Vec<TokenWithSpan>,
) -> (
    Result<sqlparser::ast::Statement, ParserError>,
    Vec<TokenWithSpan>,
) {
    let tokens = patch_trim_without_characters(tokens);
    let mut parser = Parser::new(&super::dialect::Postgres)
        .with_recursion_limit(RECURSION_LIMIT)
        .with_tokens_with_locations(tokens);
    let parsed = parser.parse_statement().and_then(|stmt| {
        // Anything left over means the parser stopped early.
        let next = parser.peek_token();
        match next.token {
            Token::EOF | Token::SemiColon => Ok(stmt),
            _ => Err(ParserError::ParserError(format!(
                "Expected: end of statement, found: {} at Line: {}, Column: {}",
                next.token, next.span.start.line, next.span.start.column
            ))),
        }
    });
    (parsed, parser.into_tokens())
}

/// Parses the text of one statement into sqlparser's AST the way linting
/// does: zerodown's tokenizer and dialect, sqlparser's parser.
pub fn parse(text: &str) -> Result<sqlparser::ast::Statement, ParserError> {
    let mut tokens = Vec::new();
    tokenize(text, &mut tokens).map_err(|e| ParserError::TokenizerError(e.to_string()))?;
    parse_tokens(tokens).0
}

thread_local! {
    /// One token buffer, reused from statement to statement: a fresh buffer
    /// per statement costs the allocator fresh pages for each large one.
    static TOKENS: RefCell<Vec<TokenWithSpan>> = const { RefCell::new(Vec::new()) };
}

/// Buffers holding more tokens than this are not kept for the next statement.
const KEEP_TOKENS: usize = 1 << 16;

/// The reusable token buffer, empty (a new one if it is in use).
fn take_buffer() -> Vec<TokenWithSpan> {
    TOKENS
        .with(|t| t.try_borrow_mut().map(|mut v| std::mem::take(&mut *v)))
        .unwrap_or_default()
}

/// Returns a token buffer for the next statement.
fn give_back(mut tokens: Vec<TokenWithSpan>) {
    tokens.clear();
    if tokens.capacity() <= KEEP_TOKENS {
        TOKENS.with(|t| {
            if let Ok(mut v) = t.try_borrow_mut() {
                *v = tokens;
            }
        });
    }
}

/// Tokenizes one statement: with the fast tokenizer when it reads the whole
/// text, else with sqlparser's (which yields the same tokens where both read),
/// keeping the tokens the parser needs (see `tokens::parser_needs`).
fn tokenize(
    text: &str,
    tokens: &mut Vec<TokenWithSpan>,
) -> Result<(), sqlparser::tokenizer::TokenizerError> {
    if super::tokens::tokenize(text, tokens) {
        return Ok(());
    }
    tokens.clear();
    Tokenizer::new(&PostgreSqlDialect {}, text)
        .with_unescape(false)
        .tokenize_with_location_into_buf(tokens)?;
    // Less the blanks the parser does not need, as the fast tokenizer leaves them.
    let mut after_colon = false;
    tokens.retain(|t| {
        let keep = super::tokens::parser_needs(after_colon.then_some(&Token::Colon), &t.token);
        if keep {
            after_colon = matches!(t.token, Token::Colon);
        }
        keep
    });
    Ok(())
}

/// `TRIM(BOTH FROM x)` (as pg_dump writes it) does not parse; the same call
/// with the default characters spelled out (`' '`) does, and means the same.
fn patch_trim_without_characters(mut tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let is_word = |t: &TokenWithSpan, w: &str| matches!(&t.token, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    let mut k = 0;
    while k + 4 < tokens.len() {
        if is_word(&tokens[k], "trim") && matches!(tokens[k + 1].token, Token::LParen) {
            let next = |from: usize| {
                (from..tokens.len()).find(|&j| !matches!(tokens[j].token, Token::Whitespace(_)))
            };
            let side = next(k + 2).filter(|&j| {
                ["both", "leading", "trailing"]
                    .iter()
                    .any(|w| is_word(&tokens[j], w))
            });
            if let Some(from) = side
                .and_then(|j| next(j + 1))
                .filter(|&j| is_word(&tokens[j], "from"))
            {
                let span = tokens[from].span;
                let space = Token::Whitespace(sqlparser::tokenizer::Whitespace::Space);
                tokens.insert(from, TokenWithSpan::new(space, span));
                tokens.insert(
                    from,
                    TokenWithSpan::new(Token::SingleQuotedString(" ".into()), span),
                );
            }
        }
        k += 1;
    }
    tokens
}

/// Statements recognized from their words when sqlparser fails on them:
/// CREATE INDEX with expressions it cannot read, or `ON ONLY`, and CREATE
/// DOMAIN with NOT NULL or without AS (`OpKind::Other`, `CREATE DOMAIN`).
fn recognize_unparsed(w: &Words<'_>, span: &Range<usize>) -> Option<Vec<Op>> {
    if w.starts_with(&["CREATE", "DOMAIN"]) && w.name_at(2).is_some() {
        return Some(vec![Op {
            kind: OpKind::Other {
                what: "CREATE DOMAIN".into(),
            },
            span: span.clone(),
        }]);
    }
    let unique = w.is(1, "UNIQUE");
    if !(w.is(0, "CREATE") && (w.is(1, "INDEX") || unique && w.is(2, "INDEX"))) {
        return None;
    }
    let on = w.position("ON")?;
    let mut i = if unique { 3 } else { 2 };
    let concurrently = w.is(i, "CONCURRENTLY");
    i += usize::from(concurrently);
    let if_not_exists = w.is(i, "IF") && w.is(i + 1, "NOT") && w.is(i + 2, "EXISTS");
    i += if if_not_exists { 3 } else { 0 };
    let name = if i < on {
        w.name_at(i).map(|(n, _)| n)
    } else {
        None
    };
    let only = w.is(on + 1, "ONLY");
    let (table, _) = w.name_at(on + 1 + usize::from(only))?;
    let index = CreateIndex {
        name,
        table,
        columns: Vec::new(),
        unique,
        concurrently,
        if_not_exists,
        only,
        method: None,
        predicate: None,
    };
    Some(vec![Op {
        kind: OpKind::CreateIndex(index),
        span: span.clone(),
    }])
}

fn failed(span: Range<usize>, message: String, at: usize) -> Statement {
    Statement {
        span,
        ops: Vec::new(),
        error: Some((message, at)),
    }
}

/// Turns a ParserError into a message without the position and the file
/// offset it names. Where sqlparser read a whole statement and more follows,
/// the message says what PostgreSQL rejects (a missing `;`, words after a
/// complete CREATE INDEX); everywhere else the statement may be PostgreSQL
/// that sqlparser does not know, and the message starts with [`UNREADABLE`].
fn parser_error(
    e: &ParserError,
    w: &Words<'_>,
    loc: &Locator<'_>,
    fallback: usize,
) -> (String, usize) {
    let raw = match e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => {
            return (
                format!("{UNREADABLE}: it is nested too deeply to analyze"),
                fallback,
            );
        }
    };
    if raw.contains("found: EOF") {
        // The statement ended early: point just past its last character.
        let end = loc.base + loc.text.trim_end().len();
        let at = loc
            .text
            .trim_end()
            .char_indices()
            .last()
            .map_or(end, |(i, _)| loc.base + i);
        let msg = raw.split(" at Line: ").next().unwrap_or(&raw);
        return (tidy_message(msg), at);
    }
    if let Some(idx) = raw.rfind(" at Line: ") {
        let tail = &raw[idx + " at Line: ".len()..];
        let mut parts = tail.split(", Column: ");
        let line = parts.next().and_then(|l| l.trim().parse::<u64>().ok());
        let col = parts.next().and_then(|c| c.trim().parse::<u64>().ok());
        if let (Some(line), Some(column)) = (line, col) {
            let found = Location { line, column };
            let at = loc.offset(found).unwrap_or(fallback);
            let msg = &raw[..idx];
            if msg.contains("Expected: end of statement") {
                if let Some(k) = w.toks.iter().position(|t| t.span.start == found) {
                    return (leftover(w, k), at);
                }
            }
            return (tidy_message(msg), at);
        }
    }
    (tidy_message(&raw), fallback)
}

/// Words that start a statement and continue none (unlike `WITH`, `SET`
/// or `DO`, which also start clauses).
const STATEMENT_STARTS: &[&str] = &[
    "CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE", "SELECT", "GRANT", "REVOKE",
    "COMMENT", "BEGIN", "COMMIT", "ROLLBACK", "TRUNCATE", "ANALYZE", "VACUUM", "REINDEX",
    "CLUSTER", "CALL", "LOCK", "REFRESH", "COPY",
];

/// Clauses PostgreSQL allows after CREATE INDEX's column list.
const INDEX_CLAUSES: &[&str] = &["INCLUDE", "NULLS", "WITH", "TABLESPACE", "WHERE"];

/// The message for token `k`, left over after a whole statement.
fn leftover(w: &Words<'_>, k: usize) -> String {
    let new_line = k > 0 && w.toks[k].span.start.line > w.toks[k - 1].span.end.line;
    if new_line
        && !CONTINUES.iter().any(|x| w.is(k - 1, x))
        && STATEMENT_STARTS.iter().any(|s| w.is(k, s))
        && !nests(w)
    {
        return MISSING_SEMICOLON.to_string();
    }
    let found = short(&w.toks[k].token.to_string());
    if w.starts_with(&["ALTER", "TABLE"]) && (w.is(k, "AFTER") || w.is(k, "FIRST")) {
        return format!("`{found}` is MySQL syntax, which PostgreSQL rejects: PostgreSQL adds a column at the end of the table; leave the position out");
    }
    let index =
        w.starts_with(&["CREATE", "INDEX"]) || w.starts_with(&["CREATE", "UNIQUE", "INDEX"]);
    if index && !INDEX_CLAUSES.iter().any(|c| w.is(k, c)) {
        return format!("`{found}` after a complete CREATE INDEX: PostgreSQL rejects it (after the column list come only INCLUDE, NULLS [NOT] DISTINCT, WITH, TABLESPACE and WHERE); remove it, or end the statement with `;` before it");
    }
    format!(
        "{UNREADABLE}: it reads a whole statement before `{found}` and does not know what follows"
    )
}

/// Lists of sqlparser's expectations that name other SQL dialects' syntax,
/// and what PostgreSQL expects there.
const EXPECTED: &[(&str, &str)] = &[
    (
        "[EXTERNAL] TABLE or [MATERIALIZED] VIEW or FUNCTION or SCHEMA or WAREHOUSE after CREATE OR REPLACE",
        "FUNCTION, PROCEDURE, VIEW, RULE, TRIGGER, AGGREGATE, LANGUAGE or TRANSFORM after CREATE OR REPLACE",
    ),
    (
        "COLLATION, CONNECTOR, DATABASE, EXTENSION, FUNCTION, INDEX, OPERATOR, POLICY, PROCEDURE, ROLE, SCHEMA, SECRET, SEQUENCE, STAGE, TABLE, TRIGGER, TYPE, VIEW, MATERIALIZED VIEW, USER or WAREHOUSE after DROP",
        "an object type after DROP (TABLE, INDEX, VIEW, MATERIALIZED VIEW, SEQUENCE, FUNCTION, PROCEDURE, TRIGGER, TYPE, DOMAIN, SCHEMA, EXTENSION, POLICY, ...)",
    ),
    (
        "ADD, RENAME, PARTITION, SWAP, DROP, REPLICA IDENTITY, SET, or SET TBLPROPERTIES after ALTER TABLE",
        "an action after ALTER TABLE (ADD, DROP, ALTER, RENAME, SET, RESET, VALIDATE CONSTRAINT, ATTACH PARTITION, DETACH PARTITION, ENABLE, DISABLE, REPLICA IDENTITY, OWNER TO, ...)",
    ),
    (
        "SET/DROP NOT NULL, SET DEFAULT, SET DATA TYPE, or ADD GENERATED after ALTER COLUMN",
        "an action after ALTER COLUMN (TYPE, SET DATA TYPE, SET/DROP DEFAULT, SET/DROP NOT NULL, ADD GENERATED, SET/DROP IDENTITY, SET STATISTICS, SET STORAGE, SET (...), RESET (...), ...)",
    ),
];

/// Words of other SQL dialects that sqlparser lists among its expectations.
const OTHER_DIALECTS: &[&str] = &[
    "CONNECTOR",
    "ICEBERG",
    "SECRET",
    "STAGE",
    "WAREHOUSE",
    "SWAP",
    "TBLPROPERTIES",
    "EXTERNAL",
    "STREAM",
    "DYNAMIC",
    "TAG",
    "PIPE",
    "MACRO",
    "DICTIONARY",
    "HIVEVAR",
];

/// sqlparser's message, in PostgreSQL's terms, after [`UNREADABLE`].
fn tidy_message(m: &str) -> String {
    let m = m.trim();
    let m = m.strip_prefix("sql parser error: ").unwrap_or(m);
    let m = m.replace("Expected: ", "expected ");
    let (expected, found) = match m.rsplit_once(", found: ") {
        Some((e, "EOF")) => (e.to_string(), "the end of the statement".to_string()),
        Some((e, f)) => (e.to_string(), format!("`{f}`")),
        None => (m.clone(), String::new()),
    };
    let mut expected = EXPECTED
        .iter()
        .fold(expected, |e, (theirs, ours)| e.replace(theirs, ours));
    // `one of A or B or C`: without other dialects' words.
    if let Some(list) = expected.strip_prefix("expected one of ") {
        let kept: Vec<&str> = list
            .split(" or ")
            .filter(|x| !OTHER_DIALECTS.contains(x))
            .collect();
        expected = match kept.split_last() {
            Some((last, [])) => format!("expected {last}"),
            Some((last, rest)) => format!("expected one of {} or {last}", rest.join(", ")),
            None => "expected something else".to_string(),
        };
    }
    if found.is_empty() {
        format!("{UNREADABLE}: {expected}")
    } else {
        format!("{UNREADABLE}: {expected}, found {found}")
    }
}

/// The leading significant tokens of a statement, matched without allocating:
/// words case-insensitively (quoted identifiers never match a keyword) and
/// punctuation by its character.
struct Words<'t> {
    toks: Vec<&'t TokenWithSpan>,
}

/// Recognizers look at most this many leading tokens.
const WORDS_LOOKED_AT: usize = 96;

impl<'t> Words<'t> {
    /// The first `limit` tokens.
    fn new(tokens: impl Iterator<Item = &'t TokenWithSpan>, limit: usize) -> Self {
        let mut toks = Vec::with_capacity(limit.min(WORDS_LOOKED_AT));
        toks.extend(tokens.take(limit));
        Words { toks }
    }

    fn any(&self, word: &str) -> bool {
        self.position(word).is_some()
    }

    fn is(&self, i: usize, word: &str) -> bool {
        match self.toks.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word),
            Some(Token::LParen) => word == "(",
            Some(Token::RParen) => word == ")",
            Some(Token::Comma) => word == ",",
            Some(Token::Period) => word == ".",
            Some(Token::Mul) => word == "*",
            _ => false,
        }
    }

    fn starts_with(&self, seq: &[&str]) -> bool {
        seq.iter().enumerate().all(|(i, w)| self.is(i, w))
    }

    fn position(&self, word: &str) -> Option<usize> {
        (0..self.toks.len()).find(|&i| self.is(i, word))
    }

    /// Reads a possibly qualified name starting at `i`; returns it and the index after it.
    fn name_at(&self, i: usize) -> Option<(Name, usize)> {
        let first = ident_of(self.toks.get(i)?)?;
        if self.is(i + 1, ".") {
            if let Some(second) = self.toks.get(i + 2).and_then(|t| ident_of(t)) {
                return Some((
                    Name {
                        schema: Some(first),
                        name: second,
                    },
                    i + 3,
                ));
            }
        }
        Some((Name::new(first), i + 1))
    }

    /// Every table of a VACUUM or ANALYZE list starting at `i`, where each
    /// may have a column list.
    fn targets(&self, mut i: usize) -> Vec<Name> {
        let mut names = Vec::new();
        while let Some((n, mut next)) = self.name_at(i) {
            names.push(n);
            if self.is(next, "(") {
                next = (next..self.toks.len())
                    .find(|&k| self.is(k, ")"))
                    .map_or(self.toks.len(), |k| k + 1);
            }
            if !self.is(next, ",") {
                break;
            }
            i = next + 1;
        }
        names
    }

    /// Every name in a comma-separated list starting at `i`.
    fn names_from(&self, mut i: usize) -> Vec<Name> {
        let mut names = Vec::new();
        while let Some((n, next)) = self.name_at(i) {
            names.push(n);
            if self.is(next, ",") {
                i = next + 1;
            } else {
                break;
            }
        }
        names
    }
}

fn ident_of(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    }
}

/// The start of the message of every parse error where the statement may be
/// valid PostgreSQL that zerodown cannot read; every other parse-error
/// message names something PostgreSQL rejects.
pub const UNREADABLE: &str = "zerodown cannot read this statement";

const MISSING_SEMICOLON: &str = "missing `;` before this statement: without it PostgreSQL reads the two statements as one and rejects them; end the previous statement with `;`";

/// Object types whose ALTER or DROP at the start of a line begins a new statement.
const OBJECTS: &[&str] = &[
    "TABLE",
    "INDEX",
    "VIEW",
    "MATERIALIZED",
    "SEQUENCE",
    "FUNCTION",
    "PROCEDURE",
    "TRIGGER",
    "TYPE",
    "DOMAIN",
    "SCHEMA",
    "EXTENSION",
    "POLICY",
    "STATISTICS",
    "RULE",
];

/// Statements after whose head an INSERT, UPDATE, DELETE or SELECT can only
/// be the next statement (until an `AS` brings a query in).
const NO_QUERY_INSIDE: &[&[&str]] = &[
    &["DROP"],
    &["ALTER", "TABLE"],
    &["ALTER", "INDEX"],
    &["ALTER", "SEQUENCE"],
    &["ALTER", "TYPE"],
    &["ALTER", "DOMAIN"],
    &["COMMENT"],
    &["REINDEX"],
    &["VACUUM"],
    &["CLUSTER"],
    &["ANALYZE"],
    &["REFRESH"],
    &["TRUNCATE"],
    &["SET"],
    &["RESET"],
    &["BEGIN"],
    &["COMMIT"],
    &["CREATE", "TABLE"],
    &["CREATE", "UNLOGGED", "TABLE"],
    &["CREATE", "INDEX"],
    &["CREATE", "UNIQUE"],
    &["CREATE", "SEQUENCE"],
    &["CREATE", "EXTENSION"],
    &["CREATE", "DOMAIN"],
    &["CREATE", "STATISTICS"],
];

/// Words after which a keyword on a new line continues the statement.
const CONTINUES: &[&str] = &[
    "ON", "OR", "FOR", "BEFORE", "AFTER", "OF", "DO", "INSTEAD", "ALSO", "AS", "THEN", "ELSE",
    "IN", "SHARE", ",", "(",
];

/// MySQL's table options (`ENGINE=InnoDB`, `DEFAULT CHARSET=utf8mb4`, ...).
const MYSQL_TABLE_OPTIONS: &[&str] = &[
    "ENGINE",
    "CHARSET",
    "COLLATE",
    "AUTO_INCREMENT",
    "ROW_FORMAT",
    "COMMENT",
];

/// Type names MySQL's `UNSIGNED` follows.
const NUMERIC_TYPES: &[&str] = &[
    "INT",
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "MEDIUMINT",
    "INT2",
    "INT4",
    "INT8",
    "DECIMAL",
    "NUMERIC",
    "REAL",
    "FLOAT",
    "DOUBLE",
    "PRECISION",
    ")",
];

/// `text`, cut to 40 characters.
fn short(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// Whether a statement's words may start another statement inside it
/// (CREATE SCHEMA's elements, privileges named after statements, SQL
/// function bodies).
fn nests(w: &Words<'_>) -> bool {
    w.is(0, "GRANT")
        || w.is(0, "REVOKE")
        || w.starts_with(&["CREATE", "SCHEMA"])
        || w.starts_with(&["ALTER", "DEFAULT"])
        || w.any("ATOMIC")
}

/// What PostgreSQL rejects and the tokens show: template text where a name
/// belongs, MySQL and SQLite syntax, and a second statement with no `;`
/// before it. Returns the message and where it points.
fn rejected(w: &Words<'_>, loc: &Locator<'_>) -> Option<(String, usize)> {
    let at = |k: usize| loc.offset(w.toks[k].span.start).unwrap_or(loc.base);
    let table_ddl = (w.is(0, "CREATE") || w.is(0, "ALTER")) && w.is(1, "TABLE")
        || w.is(0, "CREATE") && (w.is(2, "TABLE") || w.is(3, "TABLE"));
    let mut no_query = NO_QUERY_INSIDE.iter().any(|seq| w.starts_with(seq));
    let mut depth = 0i32;
    for k in 0..w.toks.len() {
        let t = w.toks[k];
        let next = w.toks.get(k + 1).map(|t| &t.token);
        let prev_is = |x: &str| k > 0 && w.is(k - 1, x);
        let template = match &t.token {
            Token::LParen => {
                depth += 1;
                None
            }
            Token::RParen => {
                depth -= 1;
                None
            }
            Token::Word(x) if x.quote_style.is_some() => ["{{", "}}", "${", "<%"]
                .iter()
                .any(|m| x.value.contains(m))
                .then(|| format!("\"{}\"", short(&x.value))),
            Token::Placeholder(p) if p == "$" && next == Some(&Token::LBrace) => {
                Some("${".to_string())
            }
            Token::LBrace if next == Some(&Token::LBrace) => Some("{{".to_string()),
            Token::Char('`') => {
                return Some((
                    "backtick-quoted names are MySQL and SQLite syntax, which PostgreSQL rejects: quote names with double quotes (`\"name\"`)".into(),
                    at(k),
                ));
            }
            _ => None,
        };
        if let Some(text) = template {
            return Some((
                format!("`{text}` looks like an unexpanded template: PostgreSQL does not expand templates and would read it as a name or reject it; lint the SQL the template produces"),
                at(k),
            ));
        }
        if w.is(k, "AS") && depth == 0 {
            no_query = false;
        }
        let new_line = k > 0 && depth == 0 && t.span.start.line > w.toks[k - 1].span.end.line;
        if new_line && !CONTINUES.iter().any(|x| prev_is(x)) {
            let alter_or_drop = w.is(k, "ALTER") || w.is(k, "DROP");
            let starts = w.is(k, "CREATE") && k + 1 < w.toks.len()
                || alter_or_drop && w.is(k + 1, "TABLE")
                || alter_or_drop && !w.is(0, "ALTER") && OBJECTS.iter().any(|o| w.is(k + 1, o))
                || no_query
                    && ["INSERT", "UPDATE", "DELETE", "SELECT"]
                        .iter()
                        .any(|x| w.is(k, x));
            if starts && !nests(w) {
                return Some((MISSING_SEMICOLON.into(), at(k)));
            }
        }
        if depth == 0 && k > 2 && w.is(k, "ON") && w.starts_with(&["DROP", "INDEX"]) {
            return Some(("`DROP INDEX ... ON table` is MySQL syntax, which PostgreSQL rejects: PostgreSQL drops an index by its name alone (`DROP INDEX CONCURRENTLY IF EXISTS schema.name`)".into(), at(k)));
        }
        if depth == 0 && w.is(k, "AS") && w.starts_with(&["ALTER", "VIEW"]) {
            return Some(("`ALTER VIEW ... AS` is MySQL syntax, which PostgreSQL rejects: use `CREATE OR REPLACE VIEW`".into(), at(k)));
        }
        if !table_ddl {
            continue;
        }
        let option = depth == 0 && next == Some(&Token::Eq);
        let mysql = if option && MYSQL_TABLE_OPTIONS.iter().any(|x| w.is(k, x)) {
            "= is a MySQL table option, which PostgreSQL rejects: leave it out (PostgreSQL has no storage engines, and sets encodings and collations per database or column)"
        } else if (w.is(k, "AUTO_INCREMENT") || w.is(k, "AUTOINCREMENT"))
            && !["(", ",", "ADD", "COLUMN", "EXISTS", "."]
                .iter()
                .any(|x| prev_is(x))
        {
            "is MySQL and SQLite syntax, which PostgreSQL rejects: use an identity column (`id bigint GENERATED ALWAYS AS IDENTITY`)"
        } else if w.is(k, "UNSIGNED") && NUMERIC_TYPES.iter().any(|x| prev_is(x)) {
            "is MySQL syntax, which PostgreSQL rejects: PostgreSQL has no unsigned numbers; use a check constraint (`CHECK (col >= 0)`)"
        } else if w.is(k, "COMMENT") && matches!(next, Some(Token::SingleQuotedString(_))) {
            "on a column is MySQL syntax, which PostgreSQL rejects: use `COMMENT ON COLUMN table.column IS '...'`"
        } else if depth == 0 && w.is(k, "WITHOUT") && w.is(k + 1, "ROWID") {
            "ROWID is SQLite syntax, which PostgreSQL rejects: leave it out"
        } else {
            continue;
        };
        let word = match &t.token {
            Token::Word(x) => x.value.to_ascii_uppercase(),
            _ => String::new(),
        };
        // `CHARSET=`, `WITHOUT ROWID`: the quote around the whole form.
        let message = format!("`{word}` {mysql}")
            .replacen("` = is", "=` is", 1)
            .replacen("` ROWID", " ROWID`", 1);
        return Some((message, at(k)));
    }
    None
}

/// ALTER TABLE actions zerodown reads itself, after the column name
/// (`ALTER [COLUMN] c ...`): the words, the action and whether it takes
/// ACCESS EXCLUSIVE.
const COLUMN_ACTIONS: &[(&[&str], &str, bool)] = &[
    (&["SET", "STATISTICS"], "SET STATISTICS", false),
    (&["SET", "("], "SET ATTRIBUTE OPTIONS", false),
    (&["RESET", "("], "RESET ATTRIBUTE OPTIONS", false),
    (&["SET", "STORAGE"], "SET STORAGE", true),
    (&["SET", "COMPRESSION"], "SET COMPRESSION", true),
    (&["SET", "EXPRESSION"], "SET EXPRESSION", true),
    (&["DROP", "EXPRESSION"], "DROP EXPRESSION", true),
    (&["DROP", "IDENTITY"], "DROP IDENTITY", true),
    (&["SET", "GENERATED"], "ALTER IDENTITY", true),
    (&["RESTART"], "ALTER IDENTITY", true),
    (&["SET", "INCREMENT"], "ALTER IDENTITY", true),
    (&["SET", "START"], "ALTER IDENTITY", true),
    (&["SET", "MINVALUE"], "ALTER IDENTITY", true),
    (&["SET", "MAXVALUE"], "ALTER IDENTITY", true),
    (&["SET", "NO"], "ALTER IDENTITY", true),
    (&["SET", "CYCLE"], "ALTER IDENTITY", true),
    (&["SET", "CACHE"], "ALTER IDENTITY", true),
];

/// ALTER TABLE actions zerodown reads itself: the words they start with, the
/// action and whether it takes ACCESS EXCLUSIVE. `SET (...)` and `RESET
/// (...)` are decided by their parameters (`storage_parameters_exclusive`).
const TABLE_ACTIONS: &[(&[&str], &str, bool)] = &[
    (&["ALTER", "CONSTRAINT"], "ALTER CONSTRAINT", true),
    (&["ATTACH", "PARTITION"], "ATTACH PARTITION", false),
    (&["DETACH", "PARTITION"], "DETACH PARTITION", true),
    (&["SET", "TABLESPACE"], "SET TABLESPACE", true),
    (&["SET", "LOGGED"], "SET LOGGED", true),
    (&["SET", "UNLOGGED"], "SET UNLOGGED", true),
    (&["SET", "("], "SET (storage parameters)", true),
    (&["RESET", "("], "RESET (storage parameters)", true),
    (&["SET", "WITHOUT", "CLUSTER"], "SET WITHOUT CLUSTER", false),
    (&["CLUSTER", "ON"], "CLUSTER ON", false),
    (&["SET", "ACCESS", "METHOD"], "SET ACCESS METHOD", true),
    (&["SET", "SCHEMA"], "SET SCHEMA", true),
    (&["SET", "WITHOUT", "OIDS"], "SET WITHOUT OIDS", true),
    (&["SET", "WITH", "OIDS"], "SET WITH OIDS", true),
    (&["INHERIT"], "INHERIT", true),
    (&["NO", "INHERIT"], "NO INHERIT", true),
    (&["OF"], "OF", true),
    (&["NOT", "OF"], "NOT OF", true),
];

/// Storage parameters whose change takes SHARE UPDATE EXCLUSIVE (PostgreSQL's
/// ALTER TABLE documentation: fillfactor, toast and autovacuum parameters,
/// parallel_workers and the vacuum ones); with any other (`user_catalog_table`,
/// or one zerodown does not know) the lock is taken as ACCESS EXCLUSIVE.
const WEAK_STORAGE_PARAMETERS: &[&str] = &[
    "fillfactor",
    "toast_tuple_target",
    "parallel_workers",
    "log_autovacuum_min_duration",
    "vacuum_index_cleanup",
    "vacuum_truncate",
    "vacuum_max_eager_freeze_failure_rate",
];

/// Whether `SET (...)`/`RESET (...)` with the list opening at `open` takes
/// ACCESS EXCLUSIVE (see `WEAK_STORAGE_PARAMETERS`).
fn storage_parameters_exclusive(w: &Words<'_>, open: usize, end: usize) -> bool {
    let mut k = open;
    while k + 1 < end {
        // A parameter name follows `(` or `,`.
        if w.is(k, "(") || w.is(k, ",") {
            let weak = w.is(k + 2, ".") && w.is(k + 1, "toast")
                || w.toks
                    .get(k + 1)
                    .and_then(|t| ident_of(t))
                    .is_some_and(|n| {
                        n.starts_with("autovacuum_")
                            || WEAK_STORAGE_PARAMETERS.contains(&n.as_str())
                    });
            if !weak {
                return true;
            }
        }
        // Skip the value, which may be parenthesized.
        k += 1;
        let mut depth = 0;
        while k < end && (depth > 0 || !(w.is(k, ",") || w.is(k, ")"))) {
            depth += i32::from(w.is(k, "(")) - i32::from(w.is(k, ")"));
            k += 1;
        }
    }
    false
}

/// What `patch` read: operations, the tokens to leave out before parsing,
/// whether anything is left to parse, and the columns a CREATE TABLE's
/// `NOT NULL col` constraints make NOT NULL.
struct Patch {
    ops: Vec<Op>,
    cut: Vec<(Location, Location)>,
    rest: bool,
    not_null: Vec<String>,
}

/// The comma-separated parts of `w` from `from` to `end` at the depth of
/// `from`: index ranges.
fn parts(w: &Words<'_>, from: usize, end: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut depth) = (from, 0i32);
    for k in from..end {
        if w.is(k, "(") {
            depth += 1;
        } else if w.is(k, ")") {
            depth -= 1;
        } else if depth == 0 && w.is(k, ",") {
            out.push(start..k);
            start = k + 1;
        }
    }
    out.push(start..end);
    out
}

/// ALTER TABLE actions and CREATE TABLE elements sqlparser cannot read
/// (PostgreSQL 18's `NOT NULL col` constraint, `ALTER CONSTRAINT`, `SET
/// STATISTICS`, storage parameters, ...), lowered from their tokens; the
/// rest of the statement is left to sqlparser. None when there are none.
/// Errs on MySQL's MODIFY and CHANGE.
///
/// ALTER TABLE actions lower to `OpKind::AlterTableOther` with these
/// `action`s (ACCESS EXCLUSIVE unless marked otherwise):
/// - `ALTER CONSTRAINT`
/// - `ATTACH PARTITION` (not ACCESS EXCLUSIVE: SHARE UPDATE EXCLUSIVE on the
///   parent), `DETACH PARTITION` (not with CONCURRENTLY)
/// - `SET TABLESPACE`, `SET LOGGED`, `SET UNLOGGED`, `SET ACCESS METHOD`, `SET SCHEMA`, `SET WITH OIDS`,
///   `SET WITHOUT OIDS`, `INHERIT`, `NO INHERIT`, `OF`, `NOT OF`
/// - `SET WITHOUT CLUSTER`, `CLUSTER ON` (not: SHARE UPDATE EXCLUSIVE)
/// - `SET (storage parameters)`, `RESET (storage parameters)` (not when
///   every parameter is one of fillfactor, toast.*, autovacuum_*,
///   parallel_workers and the other `WEAK_STORAGE_PARAMETERS`)
/// - of `ALTER [COLUMN] c`: `SET STATISTICS`, `SET ATTRIBUTE OPTIONS`
///   (`SET (n_distinct = ...)`), `RESET ATTRIBUTE OPTIONS` (these three not:
///   SHARE UPDATE EXCLUSIVE), `SET STORAGE`, `SET COMPRESSION`, `SET
///   EXPRESSION`, `DROP EXPRESSION`, `DROP IDENTITY`, `ALTER IDENTITY` (`SET
///   GENERATED`, `RESTART`, `SET INCREMENT BY`, ...).
///
/// `ADD [CONSTRAINT n] NOT NULL c` lowers to `OpKind::SetNotNull`, and with
/// NOT VALID to `OpKind::AddConstraint` of a NOT VALID check `c IS NOT
/// NULL`; in CREATE TABLE it makes the column NOT NULL.
fn patch(
    w: &Words<'_>,
    loc: &Locator<'_>,
    span: &Range<usize>,
) -> Result<Option<Patch>, (String, usize)> {
    let mut p = Patch {
        ops: Vec::new(),
        cut: Vec::new(),
        rest: false,
        not_null: Vec::new(),
    };
    let n = w.toks.len();
    let range = |r: &Range<usize>| -> Range<usize> {
        let first = w.toks[r.start].span.start;
        let last = w.toks[r.end - 1].span.end;
        loc.range(sqlparser::tokenizer::Span::new(first, last), span)
    };
    // Leaves out part `r` of `all` (index `i`) and the comma beside it.
    let cut = |p: &mut Patch, all: &[Range<usize>], i: usize| {
        let r = &all[i];
        let from = if i > 0 { r.start - 1 } else { r.start };
        let to = if i == 0 && all.len() > 1 {
            r.end
        } else {
            r.end - 1
        };
        p.cut.push((w.toks[from].span.start, w.toks[to].span.start));
    };
    if w.starts_with(&["ALTER", "TABLE"]) {
        let mut i = 2;
        if w.is(i, "IF") && w.is(i + 1, "EXISTS") {
            i += 2;
        }
        i += usize::from(w.is(i, "ONLY"));
        let Some((table, mut next)) = w.name_at(i) else {
            return Ok(None);
        };
        next += usize::from(w.is(next, "*"));
        let actions = parts(w, next, n);
        for (a, r) in actions.iter().enumerate() {
            let is = |k: usize, word: &str| k < r.end && w.is(k, word);
            let seq =
                |k: usize, words: &[&str]| words.iter().enumerate().all(|(j, x)| is(k + j, x));
            if is(r.start, "MODIFY") || is(r.start, "CHANGE") {
                let at = loc.offset(w.toks[r.start].span.start).unwrap_or(loc.base);
                return Err((
                    "`MODIFY` and `CHANGE` are MySQL syntax, which PostgreSQL rejects: use `ALTER COLUMN c TYPE new_type` (and `SET NOT NULL`, `SET DEFAULT`; `RENAME COLUMN a TO b` for a new name)".into(),
                    at,
                ));
            }
            let column = r.start + 1 + usize::from(is(r.start + 1, "COLUMN"));
            let mut found = None;
            if is(r.start, "ALTER") && !is(r.start + 1, "CONSTRAINT") {
                found = COLUMN_ACTIONS
                    .iter()
                    .find(|(words, ..)| seq(column + 1, words))
                    .map(|&(_, action, exclusive)| (action, exclusive));
            }
            if found.is_none() {
                found = TABLE_ACTIONS
                    .iter()
                    .find(|(words, ..)| seq(r.start, words))
                    .map(|&(words, action, exclusive)| {
                        let exclusive = match action {
                            "DETACH PARTITION" => !(r.start..r.end)
                                .any(|k| w.is(k, "CONCURRENTLY") || w.is(k, "FINALIZE")),
                            _ if words.last() == Some(&"(") => {
                                storage_parameters_exclusive(w, r.start + 1, r.end)
                            }
                            _ => exclusive,
                        };
                        (action, exclusive)
                    });
            }
            if let Some((action, access_exclusive)) = found {
                p.ops.push(Op {
                    kind: OpKind::AlterTableOther {
                        table: table.clone(),
                        action: action.to_string(),
                        access_exclusive,
                    },
                    span: range(r),
                });
                // The partition attached, for the rules and the lock table.
                if let Some((partition, _)) = w
                    .name_at(r.start + 2)
                    .filter(|_| action == "ATTACH PARTITION")
                {
                    p.ops.push(Op {
                        kind: OpKind::AttachPartition {
                            parent: table.clone(),
                            partition,
                        },
                        span: range(r),
                    });
                }
                cut(&mut p, &actions, a);
                continue;
            }
            // ADD [CONSTRAINT n] NOT NULL c [NO INHERIT] [NOT VALID] (PostgreSQL 18).
            let k = r.start + 1 + if is(r.start + 1, "CONSTRAINT") { 2 } else { 0 };
            if is(r.start, "ADD") && seq(k, &["NOT", "NULL"]) {
                if let Some(column) = w
                    .toks
                    .get(k + 2)
                    .filter(|_| k + 2 < r.end)
                    .and_then(|t| ident_of(t))
                {
                    let not_valid = (k + 3..r.end).any(|j| seq(j, &["NOT", "VALID"]));
                    let kind = if not_valid {
                        OpKind::AddConstraint {
                            table: table.clone(),
                            constraint: Constraint {
                                name: (k > r.start + 1)
                                    .then(|| w.toks.get(r.start + 2).and_then(|t| ident_of(t)))
                                    .flatten(),
                                kind: ConstraintKind::Check {
                                    expr: format!("{column} IS NOT NULL"),
                                    not_null_column: Some(column),
                                },
                                not_valid: true,
                                span: range(r),
                            },
                        }
                    } else {
                        OpKind::SetNotNull {
                            table: table.clone(),
                            column,
                        }
                    };
                    p.ops.push(Op {
                        kind,
                        span: range(r),
                    });
                    cut(&mut p, &actions, a);
                    continue;
                }
            }
            // `ALTER COLUMN c TYPE t COLLATE x`: the collation is left out.
            if is(r.start, "ALTER") {
                if let Some(c) = (r.start..r.end).find(|&k| w.is(k, "COLLATE")) {
                    if let Some((_, after)) = w.name_at(c + 1).filter(|(_, e)| *e <= r.end) {
                        p.cut
                            .push((w.toks[c].span.start, w.toks[after - 1].span.start));
                    }
                }
            }
            p.rest = true;
        }
    } else if w.starts_with(&["CREATE", "MATERIALIZED", "VIEW"]) {
        // `WITH [NO] DATA` at the end: left out.
        let with = n.checked_sub(if w.is(n.saturating_sub(2), "NO") {
            3
        } else {
            2
        });
        if let Some(k) = with.filter(|&k| k > 3 && w.is(k, "WITH") && w.is(n - 1, "DATA")) {
            p.cut.push((w.toks[k].span.start, w.toks[n - 1].span.start));
            p.rest = true;
        }
    } else if w.is(0, "CREATE") && (w.is(1, "INDEX") || w.is(1, "UNIQUE") && w.is(2, "INDEX")) {
        // `TABLESPACE name` after the column list: left out.
        let mut depth = 0;
        for k in 3..n {
            depth += i32::from(w.is(k, "(")) - i32::from(w.is(k, ")"));
            if depth == 0 && w.is(k, "TABLESPACE") {
                if let Some((_, after)) = w.name_at(k + 1) {
                    p.cut
                        .push((w.toks[k].span.start, w.toks[after - 1].span.start));
                    p.rest = true;
                }
                break;
            }
        }
    } else if w.is(0, "CREATE") && (1..4).any(|k| w.is(k, "TABLE")) {
        let Some(t) = (1..4).find(|&k| w.is(k, "TABLE")) else {
            return Ok(None);
        };
        let mut i = t + 1;
        if w.is(i, "IF") && w.is(i + 1, "NOT") && w.is(i + 2, "EXISTS") {
            i += 3;
        }
        let Some((_, open)) = w.name_at(i) else {
            return Ok(None);
        };
        if !w.is(open, "(") {
            return Ok(None);
        }
        let mut depth = 0;
        let close = (open..n).find(|&k| {
            depth += i32::from(w.is(k, "(")) - i32::from(w.is(k, ")"));
            depth == 0
        });
        let Some(close) = close else {
            return Ok(None);
        };
        let elements = parts(w, open + 1, close);
        for (e, r) in elements.iter().enumerate() {
            let k = r.start + if w.is(r.start, "CONSTRAINT") { 2 } else { 0 };
            if k + 2 < r.end && w.is(k, "NOT") && w.is(k + 1, "NULL") {
                if let Some(c) = ident_of(w.toks[k + 2]) {
                    p.not_null.push(c);
                    cut(&mut p, &elements, e);
                }
            }
        }
        if p.cut.is_empty() {
            return Ok(None);
        }
        p.rest = true;
    }
    Ok((!p.cut.is_empty()).then_some(p))
}

/// Recognizes statements from their words where sqlparser fails or loses detail.
///
/// Besides `DROP INDEX`, `REINDEX`, `CLUSTER`, `REFRESH MATERIALIZED VIEW`,
/// `VACUUM` and `ANALYZE` (`OpKind::Maintenance`, `ANALYZE` as a plain
/// vacuum with its tables), `DO` (`OpKind::Dynamic`) and `CREATE TABLE
/// (LIKE ...)`, these lower to `OpKind::Other` with this `what`, whatever
/// follows their leading words (and a name):
/// - `CREATE FUNCTION`, `CREATE PROCEDURE` (`OR REPLACE` included)
/// - `CREATE TRIGGER` (also for `CREATE OR REPLACE TRIGGER` and `CREATE
///   CONSTRAINT TRIGGER`) when no `ON table` is found; with one it is
///   `OpKind::AlterTableOther` on that table, action `CREATE TRIGGER` (and
///   the parser's `DROP TRIGGER ... ON table` is action `DROP TRIGGER`)
/// - `COMMENT`, `ALTER SEQUENCE`, `CREATE SEQUENCE`, `ALTER INDEX`,
///   `CREATE AGGREGATE`, `ALTER DEFAULT PRIVILEGES`, `SELECT SET_CONFIG`
/// - `CREATE STATISTICS`, `ALTER STATISTICS`, `DROP STATISTICS`
/// - `ALTER DOMAIN` (CREATE and DROP DOMAIN are the parser's, and
///   `recognize_unparsed` reads the CREATE DOMAIN it cannot: `CREATE
///   DOMAIN` too)
/// - `ALTER TRIGGER`, `ALTER VIEW`, `ALTER MATERIALIZED VIEW`
/// - `CREATE RULE` (also `CREATE OR REPLACE RULE`), `ALTER RULE`, `DROP RULE`
/// - `ALTER EXTENSION`, `CREATE PUBLICATION`, `ALTER PUBLICATION`, `DROP
///   PUBLICATION`, `CREATE EVENT TRIGGER`, `CREATE CAST`
/// - `SELECT` (`SELECT;`, no columns)
///
/// ALTER TABLE actions sqlparser does not read are `patch`'s.
fn recognize(w: &Words<'_>, loc: &Locator<'_>, span: &Range<usize>) -> Option<Vec<Op>> {
    let op = |kind| {
        vec![Op {
            kind,
            span: span.clone(),
        }]
    };
    if w.starts_with(&["DO"]) {
        return Some(op(OpKind::Dynamic(DynamicKind::DoBlock)));
    }
    if w.starts_with(&["DROP", "INDEX"]) {
        let mut i = 2;
        let concurrently = w.is(i, "CONCURRENTLY");
        if concurrently {
            i += 1;
        }
        if w.is(i, "IF") && w.is(i + 1, "EXISTS") {
            i += 2;
        }
        let names = w.names_from(i);
        return Some(op(OpKind::DropIndex {
            names,
            concurrently,
        }));
    }
    if w.starts_with(&["REINDEX"]) {
        let concurrently = w.position("CONCURRENTLY").is_some();
        let target = w
            .toks
            .iter()
            .rposition(|t| matches!(t.token, Token::Word(_)))
            .and_then(|i| {
                // The last name in the statement is the target.
                let start = if i >= 2 && w.is(i - 1, ".") { i - 2 } else { i };
                w.name_at(start).map(|(n, _)| n)
            });
        return Some(op(OpKind::Maintenance {
            kind: MaintenanceKind::Reindex,
            targets: target.into_iter().collect(),
            concurrently,
        }));
    }
    if w.starts_with(&["CLUSTER"]) {
        let targets = w
            .name_at(1)
            .filter(|(n, _)| n.name != "verbose")
            .map(|(n, _)| n)
            .into_iter()
            .collect();
        return Some(op(OpKind::Maintenance {
            kind: MaintenanceKind::Cluster,
            targets,
            concurrently: false,
        }));
    }
    let analyze = w.is(0, "ANALYZE") || w.is(0, "ANALYSE");
    if w.starts_with(&["VACUUM"]) || analyze {
        let full = !analyze && w.any("FULL");
        let kind = if full {
            MaintenanceKind::VacuumFull
        } else {
            MaintenanceKind::Vacuum
        };
        let after_options = if w.is(1, "(") {
            w.position(")").map_or(1, |p| p + 1)
        } else {
            1
        };
        let mut i = after_options;
        while ["FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE"]
            .iter()
            .any(|k| w.is(i, k))
        {
            i += 1;
        }
        return Some(op(OpKind::Maintenance {
            kind,
            targets: w.targets(i),
            concurrently: false,
        }));
    }
    if w.starts_with(&["REFRESH", "MATERIALIZED", "VIEW"]) {
        let concurrently = w.is(3, "CONCURRENTLY");
        let targets = w
            .name_at(if concurrently { 4 } else { 3 })
            .map(|(n, _)| n)
            .into_iter()
            .collect();
        return Some(op(OpKind::Maintenance {
            kind: MaintenanceKind::RefreshMaterializedView,
            targets,
            concurrently,
        }));
    }
    if w.starts_with(&["CREATE", "TABLE"]) || w.starts_with(&["CREATE", "UNLOGGED", "TABLE"]) {
        // `(LIKE other INCLUDING ALL)` does not parse: a new table with unknown columns.
        let at = w.position("TABLE")? + 1;
        let mut i = at;
        if w.is(i, "IF") && w.is(i + 2, "EXISTS") {
            i += 3;
        }
        let (table, next) = w.name_at(i)?;
        if w.is(next, "(") && w.is(next + 1, "LIKE") {
            return Some(op(OpKind::CreateTable(CreateTable {
                table,
                columns: Vec::new(),
                constraints: Vec::new(),
                if_not_exists: i != at,
                partition_of: None,
                from_query: true,
            })));
        }
        return None;
    }
    // Function and trigger bodies run later, not in the migration: nothing to check here.
    let k = if w.is(1, "OR") && w.is(2, "REPLACE") {
        3
    } else {
        1
    };
    if w.is(0, "CREATE") {
        for (word, what) in [
            ("FUNCTION", "CREATE FUNCTION"),
            ("PROCEDURE", "CREATE PROCEDURE"),
            ("TRIGGER", "CREATE TRIGGER"),
        ] {
            if w.is(k, word) || (word == "TRIGGER" && w.is(k, "CONSTRAINT") && w.is(k + 1, word)) {
                // A trigger lives on its table (`... ON table`): the lock
                // table (model::postgres) reads it as a statement on it.
                let on = w.position("ON").and_then(|i| w.name_at(i + 1));
                if let (true, Some((table, _))) = (word == "TRIGGER", on) {
                    return Some(op(OpKind::AlterTableOther {
                        table,
                        action: what.to_string(),
                        access_exclusive: false,
                    }));
                }
                return Some(op(OpKind::Other {
                    what: what.to_string(),
                }));
            }
        }
    }
    if w.starts_with(&["COMMENT", "ON"]) {
        return Some(op(OpKind::Other {
            what: "COMMENT".to_string(),
        }));
    }
    for (seq, what) in [
        (&["ALTER", "SEQUENCE"][..], "ALTER SEQUENCE"),
        (&["CREATE", "SEQUENCE"][..], "CREATE SEQUENCE"),
        (&["ALTER", "INDEX"][..], "ALTER INDEX"),
        (
            &["CREATE", "OR", "REPLACE", "TRIGGER"][..],
            "CREATE TRIGGER",
        ),
        (&["CREATE", "AGGREGATE"][..], "CREATE AGGREGATE"),
        (&["CREATE", "STATISTICS"][..], "CREATE STATISTICS"),
        (&["ALTER", "STATISTICS"][..], "ALTER STATISTICS"),
        (&["DROP", "STATISTICS"][..], "DROP STATISTICS"),
        (&["ALTER", "DOMAIN"][..], "ALTER DOMAIN"),
        (&["ALTER", "TRIGGER"][..], "ALTER TRIGGER"),
        (&["ALTER", "VIEW"][..], "ALTER VIEW"),
        (
            &["ALTER", "MATERIALIZED", "VIEW"][..],
            "ALTER MATERIALIZED VIEW",
        ),
        (&["CREATE", "RULE"][..], "CREATE RULE"),
        (&["CREATE", "OR", "REPLACE", "RULE"][..], "CREATE RULE"),
        (&["ALTER", "RULE"][..], "ALTER RULE"),
        (&["DROP", "RULE"][..], "DROP RULE"),
        (&["ALTER", "EXTENSION"][..], "ALTER EXTENSION"),
        (&["CREATE", "PUBLICATION"][..], "CREATE PUBLICATION"),
        (&["ALTER", "PUBLICATION"][..], "ALTER PUBLICATION"),
        (&["DROP", "PUBLICATION"][..], "DROP PUBLICATION"),
        (&["CREATE", "EVENT", "TRIGGER"][..], "CREATE EVENT TRIGGER"),
        (&["CREATE", "CAST"][..], "CREATE CAST"),
        (
            &["ALTER", "DEFAULT", "PRIVILEGES"][..],
            "ALTER DEFAULT PRIVILEGES",
        ),
        (
            &["SELECT", "PG_CATALOG", ".", "SET_CONFIG"][..],
            "SELECT SET_CONFIG",
        ),
    ] {
        // A name (or `IF [NOT] EXISTS`, or CREATE CAST's `(`) follows.
        if w.starts_with(seq) && w.name_at(seq.len()).is_some()
            || w.is(seq.len(), "(") && seq[1] == "CAST" && w.starts_with(seq)
        {
            return Some(op(OpKind::Other {
                what: what.to_string(),
            }));
        }
    }
    // `SELECT;` selects no columns of one row.
    if w.toks.len() == 1 && w.is(0, "SELECT") {
        return Some(op(OpKind::Other {
            what: "SELECT".to_string(),
        }));
    }
    let _ = loc;
    None
}

/// Converts an object name; unquoted parts are lower-cased as PostgreSQL folds them.
pub(crate) fn name_of(n: &ObjectName) -> Name {
    let part = |p: &ObjectNamePart| match p {
        ObjectNamePart::Identifier(i) => ident(i),
        ObjectNamePart::Function(f) => f.to_string(),
    };
    match n.0.as_slice() {
        [] => Name::new(String::new()),
        [.., schema, name] => Name {
            schema: Some(part(schema)),
            name: part(name),
        },
        [name] => Name::new(part(name)),
    }
}

/// `s` lower-cased, in place when it is ASCII.
fn lowercase(mut s: String) -> String {
    if s.is_ascii() {
        s.make_ascii_lowercase();
        s
    } else {
        s.to_lowercase()
    }
}

/// An expression as SQL, lower-cased; plain identifiers without printing.
fn expr_lowercase(e: &Expr) -> String {
    match e {
        Expr::Identifier(i) if i.quote_style.is_none() => i.value.to_lowercase(),
        other => lowercase(other.to_string()),
    }
}

fn ident(i: &ast::Ident) -> String {
    if i.quote_style.is_some() {
        i.value.clone()
    } else {
        i.value.to_lowercase()
    }
}

fn lower_statement(stmt: &ast::Statement, loc: &Locator<'_>, span: &Range<usize>) -> Vec<Op> {
    use ast::Statement as S;
    let whole = |kind| {
        vec![Op {
            kind,
            span: span.clone(),
        }]
    };
    match stmt {
        S::CreateTable(ct) => whole(OpKind::CreateTable(create_table(ct, loc, span))),
        S::AlterTable(at) => {
            let table = name_of(&at.name);
            at.operations
                .iter()
                .flat_map(|op| alter_table_op(&table, op, loc, span))
                .collect()
        }
        S::CreateIndex(ci) => whole(OpKind::CreateIndex(CreateIndex {
            name: ci.name.as_ref().map(name_of),
            table: name_of(&ci.table_name),
            columns: ci.columns.iter().map(ToString::to_string).collect(),
            unique: ci.unique,
            concurrently: ci.concurrently,
            if_not_exists: ci.if_not_exists,
            only: false,
            method: ci.using.as_ref().map(|u| lowercase(u.to_string())),
            predicate: ci.predicate.as_ref().map(ToString::to_string),
        })),
        S::Drop {
            object_type,
            names,
            cascade,
            ..
        } => match object_type {
            ObjectType::Table => whole(OpKind::DropTable {
                tables: names.iter().map(name_of).collect(),
                cascade: *cascade,
            }),
            ObjectType::Index => whole(OpKind::DropIndex {
                names: names.iter().map(name_of).collect(),
                concurrently: false,
            }),
            ObjectType::View
            | ObjectType::MaterializedView
            | ObjectType::Type
            | ObjectType::Schema
            | ObjectType::Sequence => whole(OpKind::DropObject {
                what: object_type.to_string(),
                names: names.iter().map(name_of).collect(),
                cascade: *cascade,
            }),
            other => whole(OpKind::Other {
                what: format!("DROP {other}"),
            }),
        },
        S::DropFunction(ast::DropFunction {
            func_desc,
            drop_behavior,
            ..
        })
        | S::DropProcedure {
            proc_desc: func_desc,
            drop_behavior,
            ..
        } => whole(OpKind::DropObject {
            what: if matches!(stmt, S::DropFunction(_)) {
                "FUNCTION"
            } else {
                "PROCEDURE"
            }
            .into(),
            names: func_desc.iter().map(|f| name_of(&f.name)).collect(),
            cascade: matches!(drop_behavior, Some(ast::DropBehavior::Cascade)),
        }),
        S::CreateType { name, .. } => whole(OpKind::CreateType {
            name: name_of(name),
        }),
        S::CreateDomain(d) => whole(OpKind::CreateDomain {
            name: name_of(&d.name),
            base_type: lowercase(d.data_type.to_string()),
            constrained: !d.constraints.is_empty(),
        }),
        S::DropDomain(d) => whole(OpKind::DropObject {
            what: "DOMAIN".into(),
            names: vec![name_of(&d.name)],
            cascade: matches!(d.drop_behavior, Some(ast::DropBehavior::Cascade)),
        }),
        S::Update(u) => {
            let table = table_factor_name(&u.table.relation);
            whole(OpKind::DataChange {
                kind: DataChangeKind::Update,
                table,
                has_where: u.selection.is_some(),
                set: Some(
                    u.assignments
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                predicate: u.selection.as_ref().map(ToString::to_string),
            })
        }
        S::Delete(d) => {
            let from = match &d.from {
                ast::FromTable::WithFromKeyword(t) | ast::FromTable::WithoutKeyword(t) => t,
            };
            let table = from
                .first()
                .map_or_else(|| Name::new(""), |t| table_factor_name(&t.relation));
            whole(OpKind::DataChange {
                kind: DataChangeKind::Delete,
                table,
                has_where: d.selection.is_some(),
                set: None,
                predicate: d.selection.as_ref().map(ToString::to_string),
            })
        }
        S::Insert(ins) => {
            let table = match &ins.table {
                ast::TableObject::TableName(n) => name_of(n),
                other => Name::new(other.to_string()),
            };
            let kind = match ins.source.as_deref().map(|q| q.body.as_ref()) {
                Some(ast::SetExpr::Values(_)) | None => DataChangeKind::InsertValues,
                // `INSERT ... SELECT 'a', 'b' WHERE NOT EXISTS (...)`: literal rows, like VALUES.
                Some(ast::SetExpr::Select(s)) if s.from.is_empty() => DataChangeKind::InsertValues,
                Some(_) => DataChangeKind::InsertSelect,
            };
            whole(OpKind::DataChange {
                kind,
                table,
                has_where: false,
                set: None,
                predicate: None,
            })
        }
        S::Copy { source, to, .. } => {
            if *to {
                whole(OpKind::Other {
                    what: "COPY TO".into(),
                })
            } else {
                let table = match source {
                    ast::CopySource::Table { table_name, .. } => name_of(table_name),
                    ast::CopySource::Query(_) => Name::new(""),
                };
                whole(OpKind::DataChange {
                    kind: DataChangeKind::Copy,
                    table,
                    has_where: false,
                    set: None,
                    predicate: None,
                })
            }
        }
        S::Truncate(t) => whole(OpKind::Truncate {
            tables: t.table_names.iter().map(|n| name_of(&n.name)).collect(),
            cascade: matches!(t.cascade, Some(ast::CascadeOption::Cascade)),
        }),
        S::Vacuum(v) => whole(OpKind::Maintenance {
            kind: if v.full {
                MaintenanceKind::VacuumFull
            } else {
                MaintenanceKind::Vacuum
            },
            targets: v.table_name.iter().map(name_of).collect(),
            concurrently: false,
        }),
        S::StartTransaction { .. } => whole(OpKind::Transaction(TransactionKind::Begin)),
        S::Commit { .. } => whole(OpKind::Transaction(TransactionKind::Commit)),
        S::Rollback {
            savepoint: None, ..
        } => whole(OpKind::Transaction(TransactionKind::Rollback)),
        S::Set(ast::Set::SingleAssignment {
            scope,
            variable,
            values,
            ..
        }) => whole(OpKind::SetSetting {
            name: name_of(variable).qualified(),
            value: values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            local: matches!(scope, Some(ast::ContextModifier::Local)),
        }),
        S::Lock(l) => whole(OpKind::LockTable {
            tables: l.tables.iter().map(|t| name_of(&t.name)).collect(),
            mode: l.lock_mode.as_ref().map_or_else(
                || "ACCESS EXCLUSIVE".to_string(),
                |m| m.to_string().to_uppercase(),
            ),
        }),
        S::AlterType(at) => match &at.operation {
            ast::AlterTypeOperation::AddValue(av) => whole(OpKind::AddEnumValue {
                type_name: name_of(&at.name),
                value: av.value.value.clone(),
                positioned: av.position.is_some(),
            }),
            ast::AlterTypeOperation::Rename(r) => whole(OpKind::RenameType {
                type_name: name_of(&at.name),
                value: None,
                new_name: ident(&r.new_name),
            }),
            ast::AlterTypeOperation::RenameValue(r) => whole(OpKind::RenameType {
                type_name: name_of(&at.name),
                value: Some(r.from.value.clone()),
                new_name: r.to.value.clone(),
            }),
        },
        // A trigger lives on its table: the lock table (model::postgres)
        // reads these as statements on that table.
        S::CreateTrigger(ct) => whole(OpKind::AlterTableOther {
            table: name_of(&ct.table_name),
            action: "CREATE TRIGGER".into(),
            access_exclusive: false,
        }),
        S::DropTrigger(dt) => whole(match &dt.table_name {
            Some(table) => OpKind::AlterTableOther {
                table: name_of(table),
                action: "DROP TRIGGER".into(),
                access_exclusive: true,
            },
            None => OpKind::Other {
                what: "DROP TRIGGER".into(),
            },
        }),
        S::Execute { .. } => whole(OpKind::Dynamic(DynamicKind::Execute)),
        S::CreateView(cv) if cv.or_replace && !cv.materialized => whole(OpKind::ReplaceView {
            name: name_of(&cv.name),
        }),
        S::CreateView(cv) => whole(OpKind::CreateRelation {
            name: name_of(&cv.name),
            what: if cv.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            }
            .into(),
        }),
        S::Query(q) => {
            let ops = query_ops(q, loc, span);
            if ops.is_empty() {
                whole(OpKind::Other {
                    what: leading_keywords(loc.text),
                })
            } else {
                ops
            }
        }
        _ => whole(OpKind::Other {
            what: leading_keywords(loc.text),
        }),
    }
}

/// What a query does besides reading: `SELECT ... INTO new_table` creates a
/// table (as `CREATE TABLE ... AS`), and `UPDATE`/`DELETE`/`INSERT` inside
/// `WITH` (or a query whose body is one) change data. Empty for a plain query.
fn query_ops(q: &ast::Query, loc: &Locator<'_>, span: &Range<usize>) -> Vec<Op> {
    let mut ops = Vec::new();
    for cte in q.with.iter().flat_map(|w| &w.cte_tables) {
        ops.extend(query_ops(&cte.query, loc, span));
    }
    match q.body.as_ref() {
        ast::SetExpr::Select(s) => {
            if let Some(into) = &s.into {
                let table = match into.targets.first() {
                    Some(Expr::Identifier(i)) => Some(Name::new(ident(i))),
                    Some(Expr::CompoundIdentifier(parts)) => match parts.as_slice() {
                        [.., schema, name] => Some(Name {
                            schema: Some(ident(schema)),
                            name: ident(name),
                        }),
                        [name] => Some(Name::new(ident(name))),
                        [] => None,
                    },
                    _ => None,
                };
                if let Some(table) = table {
                    ops.push(Op {
                        kind: OpKind::CreateTable(CreateTable {
                            table,
                            columns: Vec::new(),
                            constraints: Vec::new(),
                            if_not_exists: false,
                            partition_of: None,
                            from_query: true,
                        }),
                        span: span.clone(),
                    });
                }
            }
        }
        ast::SetExpr::Query(inner) => ops.extend(query_ops(inner, loc, span)),
        ast::SetExpr::Insert(st) | ast::SetExpr::Update(st) | ast::SetExpr::Delete(st) => {
            ops.extend(lower_statement(st, loc, span));
        }
        _ => {}
    }
    ops
}

/// The first words of a statement, for `Other`: `CREATE FUNCTION`, `GRANT`, ...
fn leading_keywords(text: &str) -> String {
    let mut words = text
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic()));
    let mut out = String::new();
    for (i, w) in words.by_ref().take(3).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&w.to_ascii_uppercase());
        if !matches!(
            w.to_ascii_uppercase().as_str(),
            "CREATE" | "ALTER" | "DROP" | "OR" | "REPLACE" | "MATERIALIZED"
        ) {
            break;
        }
    }
    out
}

fn table_factor_name(t: &TableFactor) -> Name {
    match t {
        TableFactor::Table { name, .. } => name_of(name),
        other => Name::new(other.to_string()),
    }
}

fn create_table(ct: &ast::CreateTable, loc: &Locator<'_>, span: &Range<usize>) -> CreateTable {
    let mut constraints: Vec<Constraint> = ct
        .constraints
        .iter()
        .filter_map(|c| constraint(c, false, loc, span))
        .collect();
    let columns = ct
        .columns
        .iter()
        .map(|c| column_def(c, loc, span))
        .collect();
    // Inline constraints also count as table constraints for the rules.
    constraints.sort_by_key(|c| c.span.start);
    CreateTable {
        table: name_of(&ct.name),
        columns,
        constraints,
        if_not_exists: ct.if_not_exists,
        partition_of: ct.partition_of.as_ref().map(name_of),
        from_query: ct.query.is_some() || ct.like.is_some() || ct.clone.is_some(),
    }
}

fn column_def(c: &ast::ColumnDef, loc: &Locator<'_>, span: &Range<usize>) -> ColumnDef {
    let data_type = lowercase(c.data_type.to_string());
    let serial = matches!(
        data_type.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    );
    let mut col = ColumnDef {
        name: ident(&c.name),
        data_type,
        not_null: false,
        default: None,
        primary_key: false,
        unique: false,
        references: None,
        checks: Vec::new(),
        identity: serial,
        generated: false,
        span: loc.range(c.span(), span),
    };
    for opt in &c.options {
        match &opt.option {
            ColumnOption::NotNull => col.not_null = true,
            ColumnOption::Default(e) => col.default = Some(default_expr(e)),
            ColumnOption::PrimaryKey(_) => {
                col.primary_key = true;
                col.not_null = true;
            }
            ColumnOption::Unique(_) => col.unique = true,
            ColumnOption::ForeignKey(fk) => {
                col.references = Some(ForeignKeyRef {
                    table: name_of(&fk.foreign_table),
                    columns: fk.referred_columns.iter().map(ident).collect(),
                    on_delete: fk.on_delete.as_ref().map(ToString::to_string),
                });
            }
            ColumnOption::Check(ch) => col.checks.push(ch.expr.to_string()),
            ColumnOption::Generated {
                generation_expr, ..
            } => {
                if generation_expr.is_some() {
                    col.generated = true;
                } else {
                    col.identity = true;
                }
            }
            ColumnOption::Identity(_) => col.identity = true,
            _ => {}
        }
    }
    col
}

/// Functions whose value differs per row: a default calling one rewrites the table.
const VOLATILE_FUNCTIONS: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setseed",
    "gen_random_bytes",
    "random_normal",
];

fn default_expr(e: &Expr) -> DefaultExpr {
    let sql = e.to_string();
    let volatile = calls_volatile(&sql.to_ascii_lowercase());
    DefaultExpr { sql, volatile }
}

/// Whether lower-cased SQL calls one of the volatile functions: a name
/// (a whole word) followed by `(`, with only white space between.
fn calls_volatile(lower: &str) -> bool {
    lower.match_indices('(').any(|(p, _)| {
        let head = lower[..p].trim_end();
        let start = head
            .bytes()
            .rposition(|c| !(c.is_ascii_alphanumeric() || c == b'_'))
            .map_or(0, |k| k + 1);
        VOLATILE_FUNCTIONS.contains(&&head[start..])
    })
}

fn constraint(
    c: &TableConstraint,
    not_valid: bool,
    loc: &Locator<'_>,
    span: &Range<usize>,
) -> Option<Constraint> {
    let cspan = loc.range(c.span(), span);
    let cols = |v: &[ast::IndexColumn]| {
        v.iter()
            .map(|c| expr_lowercase(&c.column.expr))
            .collect::<Vec<_>>()
    };
    let (name, kind) = match c {
        TableConstraint::ForeignKey(fk) => (
            fk.name.as_ref().map(ident),
            ConstraintKind::ForeignKey {
                columns: fk.columns.iter().map(ident).collect(),
                references: ForeignKeyRef {
                    table: name_of(&fk.foreign_table),
                    columns: fk.referred_columns.iter().map(ident).collect(),
                    on_delete: fk.on_delete.as_ref().map(ToString::to_string),
                },
            },
        ),
        TableConstraint::Check(ch) => (
            ch.name.as_ref().map(ident),
            ConstraintKind::Check {
                expr: ch.expr.to_string(),
                not_null_column: is_not_null_check(&ch.expr),
            },
        ),
        TableConstraint::Unique(u) => (
            u.name.as_ref().map(ident),
            ConstraintKind::Unique {
                columns: cols(&u.columns),
                using_index: None,
            },
        ),
        TableConstraint::PrimaryKey(p) => (
            p.name.as_ref().map(ident),
            ConstraintKind::PrimaryKey {
                columns: cols(&p.columns),
                using_index: None,
            },
        ),
        TableConstraint::UniqueUsingIndex(u) => (
            u.name.as_ref().map(ident),
            ConstraintKind::Unique {
                columns: Vec::new(),
                using_index: Some(ident(&u.index_name)),
            },
        ),
        TableConstraint::PrimaryKeyUsingIndex(u) => (
            u.name.as_ref().map(ident),
            ConstraintKind::PrimaryKey {
                columns: Vec::new(),
                using_index: Some(ident(&u.index_name)),
            },
        ),
        TableConstraint::Exclude(x) => (x.name.as_ref().map(ident), ConstraintKind::Exclusion),
        _ => return None,
    };
    Some(Constraint {
        name,
        kind,
        not_valid,
        span: cspan,
    })
}

/// `col IS NOT NULL` (possibly parenthesized) names `col`.
fn is_not_null_check(e: &Expr) -> Option<String> {
    match e {
        Expr::Nested(inner) => is_not_null_check(inner),
        Expr::IsNotNull(inner) => match inner.as_ref() {
            Expr::Identifier(i) => Some(ident(i)),
            Expr::CompoundIdentifier(parts) => parts.last().map(ident),
            Expr::Nested(n) => match n.as_ref() {
                Expr::Identifier(i) => Some(ident(i)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn alter_table_op(
    table: &Name,
    op: &AlterTableOperation,
    loc: &Locator<'_>,
    span: &Range<usize>,
) -> Vec<Op> {
    let at = loc.range(op.span(), span);
    let t = || table.clone();
    let kind = match op {
        AlterTableOperation::AddColumn { column_def: c, .. } => OpKind::AddColumn {
            table: t(),
            column: column_def(c, loc, span),
        },
        AlterTableOperation::DropColumn {
            column_names,
            drop_behavior,
            ..
        } => {
            return column_names
                .iter()
                .map(|c| Op {
                    kind: OpKind::DropColumn {
                        table: t(),
                        column: ident(c),
                        cascade: matches!(drop_behavior, Some(ast::DropBehavior::Cascade)),
                    },
                    span: at.clone(),
                })
                .collect();
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => OpKind::RenameColumn {
            table: t(),
            column: ident(old_column_name),
            new_name: ident(new_column_name),
        },
        AlterTableOperation::RenameTable { table_name } => {
            let n = match table_name {
                ast::RenameTableNameKind::As(n) | ast::RenameTableNameKind::To(n) => name_of(n),
            };
            OpKind::RenameTable {
                table: t(),
                new_name: n.name,
            }
        }
        AlterTableOperation::AlterColumn {
            column_name,
            op: colop,
        } => {
            let column = ident(column_name);
            match colop {
                AlterColumnOperation::SetNotNull => OpKind::SetNotNull { table: t(), column },
                AlterColumnOperation::DropNotNull => OpKind::DropNotNull { table: t(), column },
                AlterColumnOperation::SetDefault { value } => OpKind::ChangeDefault {
                    table: t(),
                    column,
                    default: Some(default_expr(value)),
                },
                AlterColumnOperation::DropDefault => OpKind::ChangeDefault {
                    table: t(),
                    column,
                    default: None,
                },
                AlterColumnOperation::SetDataType {
                    data_type, using, ..
                } => OpKind::AlterColumnType {
                    table: t(),
                    column,
                    new_type: lowercase(data_type.to_string()),
                    using: using.as_ref().map(ToString::to_string),
                },
                AlterColumnOperation::AddGenerated { .. } => OpKind::AlterTableOther {
                    table: t(),
                    action: "ADD GENERATED AS IDENTITY".into(),
                    access_exclusive: true,
                },
            }
        }
        AlterTableOperation::AddConstraint {
            constraint: c,
            not_valid,
        } => match constraint(c, *not_valid, loc, span) {
            Some(mut c) => {
                c.span = at.clone();
                OpKind::AddConstraint {
                    table: t(),
                    constraint: c,
                }
            }
            None => OpKind::AlterTableOther {
                table: t(),
                action: "ADD CONSTRAINT".into(),
                access_exclusive: true,
            },
        },
        AlterTableOperation::ValidateConstraint { name } => OpKind::ValidateConstraint {
            table: t(),
            name: ident(name),
        },
        AlterTableOperation::DropConstraint { name, .. } => OpKind::DropConstraint {
            table: t(),
            name: ident(name),
        },
        AlterTableOperation::RenameConstraint { .. } => OpKind::AlterTableOther {
            table: t(),
            action: "RENAME CONSTRAINT".into(),
            access_exclusive: true,
        },
        AlterTableOperation::DisableTrigger { name }
            if name.quote_style.is_none() && name.value.eq_ignore_ascii_case("all") =>
        {
            // Also the internal triggers that check foreign keys.
            OpKind::AlterTableOther {
                table: t(),
                action: "DISABLE TRIGGER ALL".into(),
                access_exclusive: false,
            }
        }
        AlterTableOperation::EnableTrigger { .. }
        | AlterTableOperation::DisableTrigger { .. }
        | AlterTableOperation::EnableAlwaysTrigger { .. }
        | AlterTableOperation::EnableReplicaTrigger { .. } => {
            // SHARE ROW EXCLUSIVE: blocks writes, not reads.
            OpKind::AlterTableOther {
                table: t(),
                action: "ENABLE/DISABLE TRIGGER".into(),
                access_exclusive: false,
            }
        }
        AlterTableOperation::SetTblProperties { .. } | AlterTableOperation::OwnerTo { .. } => {
            OpKind::AlterTableOther {
                table: t(),
                action: first_words(&op.to_string()),
                access_exclusive: false,
            }
        }
        other => OpKind::AlterTableOther {
            table: t(),
            action: first_words(&other.to_string()),
            access_exclusive: true,
        },
    };
    vec![Op { kind, span: at }]
}

fn first_words(s: &str) -> String {
    s.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search as first written: each volatile name where it occurs as a word followed by `(`.
    fn calls_volatile_by_name(lower: &str) -> bool {
        VOLATILE_FUNCTIONS.iter().any(|f| {
            lower.match_indices(f).any(|(i, _)| {
                let before_ok = i == 0
                    || !lower.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && lower.as_bytes()[i - 1] != b'_';
                let rest = lower[i + f.len()..].trim_start();
                before_ok && rest.starts_with('(')
            })
        })
    }

    fn lowered(sql: &str) -> Statement {
        lower(sql, 0..sql.len())
    }

    /// The `what` or `action` of each operation, or the error.
    fn kinds(sql: &str) -> Result<Vec<String>, (String, usize)> {
        let st = lowered(sql);
        if let Some(e) = st.error {
            return Err(e);
        }
        Ok(st
            .ops
            .iter()
            .map(|o| match &o.kind {
                OpKind::Other { what } => what.clone(),
                OpKind::AlterTableOther {
                    action,
                    access_exclusive,
                    ..
                } => format!("{action}{}", if *access_exclusive { " !" } else { "" }),
                OpKind::SetNotNull { column, .. } => format!("SET NOT NULL {column}"),
                OpKind::AttachPartition { parent, partition } => {
                    format!("ATTACH {partition} TO {parent}")
                }
                OpKind::DropObject { what, .. } => format!("DROP {what}"),
                OpKind::CreateDomain { .. } => "CREATE DOMAIN".into(),
                OpKind::CreateRelation { what, .. } => format!("CREATE {what}"),
                OpKind::Maintenance { targets, .. } => format!(
                    "MAINTENANCE {}",
                    targets
                        .iter()
                        .map(Name::qualified)
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                other => format!("{other:?}").chars().take(20).collect(),
            })
            .collect())
    }

    #[test]
    fn valid_postgres_forms_lower_to_operations() {
        let cases: &[(&str, &[&str])] = &[
            ("ALTER TABLE t ALTER CONSTRAINT c DEFERRABLE INITIALLY DEFERRED", &["ALTER CONSTRAINT !"]),
            ("ALTER TABLE t ALTER CONSTRAINT c NOT DEFERRABLE", &["ALTER CONSTRAINT !"]),
            ("CREATE STATISTICS s (dependencies) ON a, b FROM t", &["CREATE STATISTICS"]),
            ("CREATE STATISTICS IF NOT EXISTS s ON a, b FROM t", &["CREATE STATISTICS"]),
            ("DROP STATISTICS IF EXISTS s", &["DROP STATISTICS"]),
            ("ALTER STATISTICS s SET STATISTICS 100", &["ALTER STATISTICS"]),
            ("ALTER TABLE t ALTER COLUMN c SET STATISTICS 100", &["SET STATISTICS"]),
            ("ALTER TABLE t ALTER c SET STATISTICS -1", &["SET STATISTICS"]),
            ("ALTER TABLE t ALTER COLUMN c SET (n_distinct = -0.5)", &["SET ATTRIBUTE OPTIONS"]),
            ("ALTER TABLE t ALTER COLUMN c RESET (n_distinct)", &["RESET ATTRIBUTE OPTIONS"]),
            ("ALTER TABLE t ALTER COLUMN c SET STORAGE EXTERNAL", &["SET STORAGE !"]),
            ("ALTER TABLE t ALTER COLUMN c SET COMPRESSION lz4", &["SET COMPRESSION !"]),
            ("ALTER TABLE t ALTER COLUMN c DROP IDENTITY IF EXISTS", &["DROP IDENTITY !"]),
            ("ALTER TABLE t ALTER COLUMN c RESTART WITH 10", &["ALTER IDENTITY !"]),
            ("ALTER TABLE t SET (autovacuum_enabled = false, fillfactor = 70)", &["SET (storage parameters)"]),
            ("ALTER TABLE t SET (toast.autovacuum_enabled = false)", &["SET (storage parameters)"]),
            ("ALTER TABLE t RESET (autovacuum_vacuum_scale_factor)", &["RESET (storage parameters)"]),
            ("ALTER TABLE t SET (user_catalog_table = true)", &["SET (storage parameters) !"]),
            ("ALTER TABLE t SET (fillfactor = 70, user_catalog_table = true)", &["SET (storage parameters) !"]),
            ("ALTER TABLE t SET WITHOUT CLUSTER", &["SET WITHOUT CLUSTER"]),
            ("ALTER TABLE t CLUSTER ON t_pkey", &["CLUSTER ON"]),
            ("ALTER TABLE t SET SCHEMA archive", &["SET SCHEMA !"]),
            ("ALTER TABLE t INHERIT p", &["INHERIT !"]),
            ("ALTER TABLE ONLY t NO INHERIT p", &["NO INHERIT !"]),
            ("ALTER TABLE t ATTACH PARTITION p FOR VALUES IN (1)", &["ATTACH PARTITION", "ATTACH p TO t"]),
            ("ALTER TABLE t DETACH PARTITION p CONCURRENTLY", &["DETACH PARTITION"]),
            ("ALTER TABLE t DETACH PARTITION p", &["DETACH PARTITION !"]),
            ("ALTER TABLE IF EXISTS t SET TABLESPACE x", &["SET TABLESPACE !"]),
            ("CREATE DOMAIN d AS int NOT NULL", &["CREATE DOMAIN"]),
            ("CREATE DOMAIN d int CHECK (VALUE > 0)", &["CREATE DOMAIN"]),
            ("ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID", &["ALTER DOMAIN"]),
            ("ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c", &["ALTER DOMAIN"]),
            ("ALTER DOMAIN d SET DEFAULT 1", &["ALTER DOMAIN"]),
            ("ALTER DOMAIN d DROP NOT NULL", &["ALTER DOMAIN"]),
            ("ALTER DOMAIN d VALIDATE CONSTRAINT c", &["ALTER DOMAIN"]),
            ("ALTER DOMAIN d RENAME TO e", &["ALTER DOMAIN"]),
            ("DROP DOMAIN IF EXISTS d CASCADE", &["DROP DOMAIN"]),
            ("CREATE DOMAIN d AS int CHECK (VALUE > 0)", &["CREATE DOMAIN"]),
            ("ALTER TRIGGER t ON tbl RENAME TO x", &["ALTER TRIGGER"]),
            ("ALTER VIEW v RENAME TO x", &["ALTER VIEW"]),
            ("ALTER VIEW IF EXISTS v RENAME COLUMN a TO b", &["ALTER VIEW"]),
            ("ALTER MATERIALIZED VIEW v RENAME TO w", &["ALTER MATERIALIZED VIEW"]),
            ("CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING", &["CREATE RULE"]),
            ("CREATE OR REPLACE RULE r AS ON UPDATE TO t DO ALSO NOTIFY t", &["CREATE RULE"]),
            ("DROP RULE r ON t", &["DROP RULE"]),
            ("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE PROCEDURE f()", &["CREATE TRIGGER"]),
            ("CREATE TRIGGER tr AFTER UPDATE OF a ON t FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION f()", &["CREATE TRIGGER"]),
            ("CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f()", &["CREATE TRIGGER"]),
            ("DROP TRIGGER IF EXISTS tr ON t", &["DROP TRIGGER !"]),
            ("ANALYZE t1, public.t2", &["MAINTENANCE t1 public.t2"]),
            ("ANALYZE t (col1, col2), u", &["MAINTENANCE t u"]),
            ("ANALYZE VERBOSE t", &["MAINTENANCE t"]),
            ("ANALYZE", &["MAINTENANCE "]),
            ("VACUUM (ANALYZE) t (c), u", &["MAINTENANCE t u"]),
            ("CREATE PUBLICATION p FOR TABLE t", &["CREATE PUBLICATION"]),
            ("ALTER EXTENSION x UPDATE", &["ALTER EXTENSION"]),
            ("CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()", &["CREATE EVENT TRIGGER"]),
            ("CREATE CAST (a AS b) WITH FUNCTION f(a)", &["CREATE CAST"]),
            ("SELECT", &["SELECT"]),
            ("ALTER TABLE t DETACH PARTITION p FINALIZE", &["DETACH PARTITION"]),
            ("ALTER TABLE t SET UNLOGGED", &["SET UNLOGGED !"]),
            (
                "CREATE MATERIALIZED VIEW mv AS SELECT 1 FROM t\nWITH NO DATA",
                &["CREATE MATERIALIZED VIEW"],
            ),
            ("CREATE MATERIALIZED VIEW mv AS SELECT 1 WITH DATA", &["CREATE MATERIALIZED VIEW"]),
            ("ALTER TABLE t ADD CONSTRAINT n NOT NULL a", &["SET NOT NULL a"]),
            ("ALTER TABLE t ADD NOT NULL a", &["SET NOT NULL a"]),
            // Actions zerodown reads and actions sqlparser reads, in order.
            (
                "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ALTER COLUMN b SET NOT NULL, SET (fillfactor = 70)",
                &["SET STATISTICS", "SET NOT NULL b", "SET (storage parameters)"],
            ),
            (
                "ALTER TABLE t ALTER COLUMN b SET NOT NULL, ALTER CONSTRAINT c DEFERRABLE",
                &["SET NOT NULL b", "ALTER CONSTRAINT !"],
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(
                kinds(sql),
                Ok(expected.iter().map(|s| s.to_string()).collect()),
                "{sql}"
            );
        }
        // An index's tablespace is left out, its columns kept.
        let st = lowered("CREATE INDEX CONCURRENTLY i ON t (a, b) TABLESPACE fast WHERE a > 0");
        assert!(
            matches!(&st.ops[..], [Op { kind: OpKind::CreateIndex(ci), .. }] if ci.columns == ["a", "b"] && ci.predicate.is_some()),
            "{st:?}"
        );
        // Collations of a new column type are left out, the type change kept.
        let st = lowered("ALTER TABLE t ALTER COLUMN c TYPE text COLLATE \"C\" USING c::text");
        assert!(
            matches!(&st.ops[..], [Op { kind: OpKind::AlterColumnType { new_type, .. }, .. }] if new_type == "text"),
            "{st:?}"
        );
    }

    #[test]
    fn not_null_table_constraints_make_columns_not_null() {
        let st = lowered("CREATE TABLE t (a int, b int, CONSTRAINT a_nn NOT NULL a, c int)");
        let OpKind::CreateTable(ct) = &st.ops[0].kind else {
            panic!("{st:?}");
        };
        let nn: Vec<(&str, bool)> = ct
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.not_null))
            .collect();
        assert_eq!(nn, [("a", true), ("b", false), ("c", false)]);
        let sql = "ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a NOT VALID";
        let st = lowered(sql);
        assert!(
            matches!(&st.ops[..], [Op { kind: OpKind::AddConstraint { constraint: Constraint { not_valid: true, name: Some(n), kind: ConstraintKind::Check { not_null_column: Some(c), .. }, .. }, .. }, span }] if n == "a_nn" && c == "a" && &sql[span.clone()] == "ADD CONSTRAINT a_nn NOT NULL a NOT VALID"),
            "{st:?}"
        );
    }

    /// The message and the text from where it points.
    fn error(sql: &str) -> (String, &str) {
        let (m, at) = lowered(sql)
            .error
            .unwrap_or_else(|| panic!("no error: {sql}"));
        (m, &sql[at..])
    }

    #[test]
    fn what_postgres_rejects_is_a_located_error() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "CREATE INDEX i ON t (a)\nCREATE INDEX j ON t (b)",
                "missing `;`",
                "CREATE INDEX j",
            ),
            (
                "DROP INDEX i\nCREATE INDEX j ON t (b)",
                "missing `;`",
                "CREATE INDEX j",
            ),
            (
                "ALTER TABLE t ADD COLUMN c int\nUPDATE t SET c = 1",
                "missing `;`",
                "UPDATE t",
            ),
            (
                "CREATE TABLE t (a int)\nINSERT INTO t VALUES (1)",
                "missing `;`",
                "INSERT",
            ),
            (
                "ALTER TABLE t ADD COLUMN c int\nALTER TABLE u ADD COLUMN d int",
                "missing `;`",
                "ALTER TABLE u",
            ),
            (
                "CREATE INDEX i ON t (a) garbage",
                "after a complete CREATE INDEX",
                "garbage",
            ),
            (
                "CREATE TABLE a (id int AUTO_INCREMENT PRIMARY KEY)",
                "identity column",
                "AUTO_INCREMENT PRIMARY",
            ),
            (
                "CREATE TABLE a (id integer PRIMARY KEY AUTOINCREMENT)",
                "identity column",
                "AUTOINCREMENT)",
            ),
            (
                "CREATE TABLE a (id int unsigned)",
                "check constraint",
                "unsigned)",
            ),
            (
                "ALTER TABLE a ADD COLUMN n int(10) UNSIGNED",
                "check constraint",
                "UNSIGNED",
            ),
            (
                "CREATE TABLE a (id int) ENGINE=InnoDB",
                "no storage engines",
                "ENGINE",
            ),
            (
                "CREATE TABLE a (id int) DEFAULT CHARSET=utf8mb4",
                "`CHARSET=` is a MySQL table option",
                "CHARSET",
            ),
            (
                "CREATE TABLE a (id int) AUTO_INCREMENT=10",
                "table option",
                "AUTO_INCREMENT",
            ),
            (
                "CREATE TABLE a (id int COMMENT 'the id')",
                "COMMENT ON COLUMN",
                "COMMENT",
            ),
            (
                "ALTER TABLE a ADD COLUMN b int COMMENT 'b'",
                "COMMENT ON COLUMN",
                "COMMENT",
            ),
            (
                "CREATE TABLE a (id int PRIMARY KEY) WITHOUT ROWID",
                "SQLite",
                "WITHOUT",
            ),
            (
                "ALTER TABLE a ADD COLUMN b int AFTER id",
                "end of the table",
                "AFTER",
            ),
            (
                "ALTER TABLE a ADD COLUMN b int FIRST",
                "end of the table",
                "FIRST",
            ),
            ("DROP INDEX i ON a", "by its name alone", "ON a"),
            ("ALTER VIEW v AS SELECT 1", "CREATE OR REPLACE VIEW", "AS"),
            (
                "ALTER TABLE a MODIFY COLUMN id bigint",
                "ALTER COLUMN c TYPE",
                "MODIFY",
            ),
            (
                "ALTER TABLE a ADD COLUMN b int, CHANGE b c int",
                "RENAME COLUMN",
                "CHANGE",
            ),
            ("CREATE TABLE `a` (id int)", "double quotes", "`a`"),
            (
                "CREATE TABLE \"{{ index .Options \"Namespace\" }}\".users (id int)",
                "unexpanded template",
                "\"{{",
            ),
            (
                "ALTER TABLE \"{{.Schema}}\".users ADD COLUMN a int",
                "unexpanded template",
                "\"{{",
            ),
            (
                "CREATE TABLE ${schema}.users (id int)",
                "unexpanded template",
                "${",
            ),
            ("DROP TABLE {{schema}}.users", "unexpanded template", "{{"),
        ];
        for (sql, says, at) in cases {
            let (m, rest) = error(sql);
            assert!(m.contains(says) && !m.starts_with(UNREADABLE), "{sql}: {m}");
            assert!(rest.starts_with(at), "{sql}: points at {rest:?}");
        }
    }

    #[test]
    fn valid_statements_over_several_lines_are_not_two() {
        for sql in [
            "CREATE TABLE t AS\nSELECT 1",
            "CREATE VIEW v AS\nWITH x AS (SELECT 1)\nSELECT * FROM x",
            "CREATE TRIGGER tr\nBEFORE INSERT OR\nUPDATE ON t FOR EACH ROW\nEXECUTE FUNCTION f()",
            "ALTER TABLE t\nDROP COLUMN a,\nALTER COLUMN b SET NOT NULL",
            "ALTER TABLE t\nDROP CONSTRAINT c,\nDROP index",
            "LOCK TABLE t IN SHARE\nUPDATE EXCLUSIVE MODE",
            "GRANT SELECT, INSERT,\nUPDATE ON t TO u",
            "CREATE TABLE t (a int, b int)\nWITH (fillfactor = 70)",
            "CREATE TEMP TABLE t (a int) ON COMMIT\nDROP",
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id) ON\nDELETE CASCADE",
            "CREATE RULE r AS ON INSERT TO t DO INSTEAD\nINSERT INTO u VALUES (NEW.a)",
            "CREATE TABLE t (unsigned int, auto_increment int, engine text, comment text)",
            "CREATE TABLE t (a int, first int, after int)",
            "ALTER TABLE t ADD COLUMN first int, RENAME COLUMN a TO after",
            "COMMENT ON COLUMN t.a IS 'x'",
            "DROP INDEX CONCURRENTLY IF EXISTS s.i",
            "CREATE TABLE t (a text COLLATE \"C\")",
            "ALTER TABLE t ADD COLUMN modify int, DROP COLUMN change",
            "CREATE INDEX i ON t (a)\nWHERE a > 0",
            "INSERT INTO t\nSELECT * FROM u",
            "UPDATE t SET a = 1\nWHERE b = 2",
            "CREATE TABLE t (a text DEFAULT '{{x}}')",
            "CREATE SCHEMA s\nCREATE TABLE t (a int)",
            "CREATE VIEW v AS SELECT 1\nWITH CHECK OPTION",
            "ALTER FUNCTION f()\nSET search_path = public",
            "INSERT INTO t VALUES (1) ON CONFLICT (a)\nDO NOTHING",
        ] {
            let st = lowered(sql);
            if let Some((m, _)) = &st.error {
                assert!(m.starts_with(UNREADABLE), "{sql}: {m}");
            }
        }
    }

    #[test]
    fn messages_speak_postgres() {
        for sql in [
            "DROP FOO x",
            "ALTER FOO x",
            "CREATE OR REPLACE FOO x",
            "ALTER TABLE t FOO",
            "ALTER TABLE t ALTER COLUMN c FOO",
            "ALTER TABLE users ADD COLUMN",
        ] {
            let (m, rest) = error(sql);
            assert!(m.starts_with(UNREADABLE), "{sql}: {m}");
            for word in OTHER_DIALECTS {
                assert!(!m.contains(word), "{sql}: {m}");
            }
            assert!(
                rest.starts_with("FOO") || sql.ends_with(rest),
                "{sql}: points at {rest:?}"
            );
        }
        let (m, _) = error("ALTER TABLE users ADD COLUMN");
        assert!(m.ends_with("found the end of the statement"), "{m}");
    }

    #[test]
    fn volatile_calls_are_found_as_before() {
        let cases = [
            ("random()", true),
            ("gen_random_uuid ()", true),
            ("public.uuid_generate_v4()", true),
            ("nextval('s'::regclass)", true),
            ("(clock_timestamp())::text", true),
            ("now()", false),
            ("myrandom()", false),
            ("random_x()", false),
            ("'random()'", true),
            ("random", false),
            ("é random\u{2003}(1)", true),
            ("éxrandom()", false),
            ("é.random()", true),
            ("(((", false),
            ("", false),
            ("coalesce(random(), 1)", true),
            ("setseed(0.5) + timeofday ( )", true),
        ];
        for (sql, expected) in cases {
            assert_eq!(calls_volatile(sql), expected, "{sql}");
            assert_eq!(calls_volatile_by_name(sql), expected, "{sql}");
        }
    }
}
