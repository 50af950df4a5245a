//! Lowers one statement's text into the operation model, with sqlparser
//! where it can and token-level recognition where it cannot.
//!
//! # How to add a statement
//!
//! [`lower`] tries four paths in order; each owns a set of statements:
//!
//! 1. `recognize`, before parsing: statements read from their words alone,
//!    because sqlparser does not parse them, loses what rules need, or need
//!    not be parsed at all (`DO`, `DROP INDEX`, `REINDEX`, `CLUSTER`,
//!    `VACUUM`, `REFRESH MATERIALIZED VIEW`, `ALTER TABLE ... ATTACH/DETACH
//!    PARTITION`, `SET TABLESPACE`, `SET STATISTICS`, `CREATE TABLE (LIKE
//!    ...)`, function, procedure and trigger definitions, `COMMENT ON`,
//!    sequences). It runs first, so what it returns wins over the parser.
//! 2. `lower_statement` (with `create_table`, `column_def`, `constraint` and
//!    `alter_table_op`), after sqlparser parsed the statement: the AST to
//!    operations. Everything else that parses lands here; a statement it
//!    has no arm for becomes `OpKind::Other`, named by its leading keywords.
//! 3. `recognize_unparsed`, after sqlparser failed: the forms of `CREATE
//!    INDEX` the parser cannot read (expressions it does not know, `ON
//!    ONLY`).
//! 4. `failed` (with `parser_error` and `tidy_message`): anything still
//!    unread becomes a `Statement` with an error, which the engine reports
//!    as `parse-error`.
//!
//! To add a statement: give it an `OpKind` in `model/operation.rs` when no
//! existing kind says what it does (and teach `model/state.rs` and
//! `model/locks.rs` what it changes and locks); lower it in
//! `lower_statement` when sqlparser parses it with the detail rules need,
//! in `recognize` when it does not, and in `recognize_unparsed` only for a
//! form the parser rejects; then add a case to the tests below.

use std::cell::RefCell;
use std::ops::Range;

use sqlparser::ast::{
    self, AlterColumnOperation, AlterTableOperation, ColumnOption, Expr, ObjectName,
    ObjectNamePart, ObjectType, Spanned, TableConstraint, TableFactor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

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
                format!("cannot read this statement: {}", e.message),
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
            format!("statement too complex to analyze ({operators} operators; the limit is {MAX_OPERATORS})"),
            span.start,
        );
    }
    // Statements sqlparser does not parse, or parses into something less precise.
    let recognized = recognize(&Words::new(significant()), &loc, &span);
    if let Some(ops) = recognized {
        give_back(tokens);
        return Statement {
            span,
            ops,
            error: None,
        };
    }
    let (parsed, tokens) = parse_tokens(tokens);
    give_back(tokens);
    match parsed {
        Ok(stmt) => {
            let ops = lower_statement(&stmt, &loc, &span);
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
            );
            if let Some(ops) = recognize_unparsed(&words, &span) {
                return Statement {
                    span,
                    ops,
                    error: None,
                };
            }
            let (message, at) = parser_error(&e, &loc, span.start);
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
/// CREATE INDEX with expressions it cannot read, or `ON ONLY`.
fn recognize_unparsed(w: &Words<'_>, span: &Range<usize>) -> Option<Vec<Op>> {
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

/// Turns a ParserError into a message without the position and the file offset it names.
fn parser_error(e: &ParserError, loc: &Locator<'_>, fallback: usize) -> (String, usize) {
    let raw = match e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => {
            return (
                "statement nested too deeply to analyze".to_string(),
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
        return (
            tidy_message(msg).replace("found EOF", "found the end of the statement"),
            at,
        );
    }
    if let Some(idx) = raw.rfind(" at Line: ") {
        let tail = &raw[idx + " at Line: ".len()..];
        let mut parts = tail.split(", Column: ");
        let line = parts.next().and_then(|l| l.trim().parse::<u64>().ok());
        let col = parts.next().and_then(|c| c.trim().parse::<u64>().ok());
        if let (Some(line), Some(column)) = (line, col) {
            let at = loc
                .offset(sqlparser::tokenizer::Location { line, column })
                .unwrap_or(fallback);
            return (tidy_message(&raw[..idx]), at);
        }
    }
    (tidy_message(&raw), fallback)
}

fn tidy_message(m: &str) -> String {
    let m = m.trim();
    let m = m.strip_prefix("sql parser error: ").unwrap_or(m);
    let mut out = String::with_capacity(m.len() + 8);
    out.push_str("syntax error: ");
    out.push_str(
        &m.replace("Expected: ", "expected ")
            .replace(", found: ", ", found "),
    );
    out
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
    fn new(tokens: impl Iterator<Item = &'t TokenWithSpan>) -> Self {
        let mut toks = Vec::with_capacity(WORDS_LOOKED_AT);
        toks.extend(tokens.take(WORDS_LOOKED_AT));
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

/// Recognizes statements from their words where sqlparser fails or loses detail.
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
    if w.starts_with(&["VACUUM"]) {
        let full = w.any("FULL");
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
        while ["FULL", "FREEZE", "VERBOSE", "ANALYZE"]
            .iter()
            .any(|k| w.is(i, k))
        {
            i += 1;
        }
        return Some(op(OpKind::Maintenance {
            kind,
            targets: w.names_from(i),
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
    if w.starts_with(&["ALTER", "TABLE"]) {
        let mut i = 2;
        if w.is(i, "IF") && w.is(i + 1, "EXISTS") {
            i += 2;
        }
        if w.is(i, "ONLY") {
            i += 1;
        }
        let (table, next) = w.name_at(i)?;
        // ATTACH/DETACH PARTITION and SET TABLESPACE / SET STATISTICS do not parse.
        for (words, action, exclusive) in [
            (&["ATTACH", "PARTITION"][..], "ATTACH PARTITION", false),
            (&["DETACH", "PARTITION"][..], "DETACH PARTITION", true),
            (&["SET", "TABLESPACE"][..], "SET TABLESPACE", true),
            (&["SET", "LOGGED"][..], "SET LOGGED", true),
            (&["SET", "UNLOGGED"][..], "SET UNLOGGED", true),
        ] {
            if words
                .iter()
                .enumerate()
                .all(|(k, word)| w.is(next + k, word))
            {
                let concurrently = action == "DETACH PARTITION" && w.any("CONCURRENTLY");
                let mut ops = op(OpKind::AlterTableOther {
                    table: table.clone(),
                    action: action.to_string(),
                    access_exclusive: exclusive && !concurrently,
                });
                if let Some((partition, _)) =
                    w.name_at(next + 2).filter(|_| action == "ATTACH PARTITION")
                {
                    ops.extend(op(OpKind::AttachPartition {
                        parent: table,
                        partition,
                    }));
                }
                return Some(ops);
            }
        }
        if w.any("STATISTICS") && w.any("SET") {
            return Some(op(OpKind::AlterTableOther {
                table,
                action: "SET STATISTICS".into(),
                access_exclusive: false,
            }));
        }
        return None;
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
        (
            &["ALTER", "DEFAULT", "PRIVILEGES"][..],
            "ALTER DEFAULT PRIVILEGES",
        ),
        (
            &["SELECT", "PG_CATALOG", ".", "SET_CONFIG"][..],
            "SELECT SET_CONFIG",
        ),
    ] {
        if w.starts_with(seq) {
            return Some(op(OpKind::Other {
                what: what.to_string(),
            }));
        }
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
        S::CreateView(cv) if cv.materialized || !cv.or_replace => whole(OpKind::CreateRelation {
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
            "CREATE" | "ALTER" | "DROP" | "OR" | "REPLACE"
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
