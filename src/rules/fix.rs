//! Fixes: the safe form of a flagged statement, as text edits of the file.
//!
//! A rule that knows a mechanical, single-file rewrite attaches it to its
//! diagnostic (`Diagnostic::with_fix`). The builders here read the
//! statement's words with a small scanner (comments, strings, dollar
//! quotes and quoted names are skipped whole, so a keyword inside one is
//! never edited) and return either the edits, or the reason the file's
//! context rules the fix out (inside a transaction, several actions in one
//! statement, a name PostgreSQL would choose that zerodown cannot know),
//! which the finding's help then gives.
//!
//! A fix changes nothing but the safety of the statement: it never drops,
//! renames or retypes beyond what its rule asks, and what needs more than
//! one release stays a plan. `tests/fixes.rs` checks every fix three ways
//! (the finding goes, the result parses, a second run changes nothing) and
//! applies the fixed files on PostgreSQL.

use std::ops::Range;

use super::RuleContext;
use crate::model::{ident, ColumnDef, Name};

/// A fix in byte ranges of the linted file; the engine turns it into the
/// report's `Fix` (lines, columns, UTF-16 offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFix {
    /// What the fix does, in one line.
    pub title: String,
    /// Replacements, in file order, not overlapping.
    pub edits: Vec<(Range<usize>, String)>,
    /// The edits are Ruby, for a Rails migration (the others are SQL, and
    /// the engine keeps them for SQL files only).
    pub ruby: bool,
}

/// What a fix builder returns: `None` when the rule has nothing to offer
/// for this statement, `Some(Err(reason))` when the context rules it out.
pub(crate) type Offer = Option<Result<TextFix, NoFix>>;

/// Why a rule's fix is not offered in this context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoFix {
    /// The reason, as the help gives it.
    pub why: String,
    /// It is about the Ruby rewrite (the others are about SQL's, and the
    /// engine gives them for SQL files only).
    pub ruby: bool,
}

impl From<String> for NoFix {
    fn from(why: String) -> Self {
        NoFix { why, ruby: false }
    }
}

impl From<&str> for NoFix {
    fn from(why: &str) -> Self {
        NoFix::from(why.to_string())
    }
}

/// A reason about a Rails migration's rewrite.
#[cfg(feature = "ruby")]
fn ruby_reason(why: &str) -> NoFix {
    NoFix {
        why: why.to_string(),
        ruby: true,
    }
}

/// What the fixes read of the whole file, computed once per file (the
/// engine makes one for each file it lints): the columns whose type a
/// statement changes, and where.
#[derive(Debug, Default)]
pub struct FileScan {
    retypes: std::cell::OnceCell<Vec<(usize, String)>>,
}

impl FileScan {
    /// The `ALTER [COLUMN] c [SET DATA] TYPE` of `source`: (offset, the
    /// column's name as PostgreSQL reads it).
    fn retypes(&self, source: &str) -> &[(usize, String)] {
        self.retypes.get_or_init(|| {
            let w = Words::scan(source, 0..source.len());
            let mut out = Vec::new();
            for k in 0..w.toks.len() {
                if !w.is(k, "ALTER") {
                    continue;
                }
                let c = if w.is(k + 1, "COLUMN") { k + 2 } else { k + 1 };
                let retyped = w.is(c + 1, "TYPE")
                    || (w.is(c + 1, "SET") && w.is(c + 2, "DATA") && w.is(c + 3, "TYPE"));
                if !retyped {
                    continue;
                }
                let name = match w.toks[c].kind {
                    Kind::Word => w.text(c).to_lowercase(),
                    Kind::Quoted => w.text(c).trim_matches('"').replace("\"\"", "\""),
                    _ => continue,
                };
                out.push((w.toks[k].span.start, name));
            }
            out
        })
    }
}

/// The kind of a scanned token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A keyword or unquoted name.
    Word,
    /// A `"quoted name"`.
    Quoted,
    /// A string or dollar-quoted body, or a number.
    Literal,
    /// Anything else, one character at a time.
    Punct(char),
}

/// One token of a statement, with its byte range in the file.
#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    span: Range<usize>,
}

/// The tokens of the statement being checked.
struct Words<'a> {
    source: &'a str,
    toks: Vec<Tok>,
}

impl<'a> Words<'a> {
    fn of(cx: &RuleContext<'a>) -> Words<'a> {
        Words::scan(cx.source, cx.statement.span.clone())
    }

    /// Scans `source[span]`, skipping blanks and comments.
    fn scan(source: &'a str, span: Range<usize>) -> Words<'a> {
        let span = span.start.min(source.len())..span.end.min(source.len());
        let b = source.as_bytes();
        let mut toks = Vec::new();
        let mut i = span.start;
        let end = span.end;
        let word_char = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        while i < end {
            let Some(c) = source[i..end].chars().next() else {
                break;
            };
            let next = b.get(i + 1).copied();
            let start = i;
            let kind = if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            } else if c == '-' && next == Some(b'-') {
                i = source[i..end].find('\n').map_or(end, |n| i + n);
                continue;
            } else if c == '/' && next == Some(b'*') {
                // Byte by byte: a comment's text may hold characters of
                // several bytes, whose inner bytes are never `/` or `*`.
                let mut depth = 0usize;
                while i < end {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            } else if c == '\'' || ((c == 'E' || c == 'e') && next == Some(b'\'')) {
                let escapes = c != '\'';
                i += if escapes { 2 } else { 1 };
                while i < end {
                    match b[i] {
                        b'\\' if escapes => i += 2,
                        b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                Kind::Literal
            } else if c == '"' {
                i += 1;
                while i < end {
                    if b[i] == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                Kind::Quoted
            } else if c == '$' && next.is_some_and(|n| !n.is_ascii_digit()) {
                // `$tag$ ... $tag$` (or `$$`): a dollar-quoted body.
                let tag_end = source[i + 1..end]
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(t) if b[t] == b'$' => {
                        let tag = &source[i..=t];
                        i = source[t + 1..end]
                            .find(tag)
                            .map_or(end, |n| t + 1 + n + tag.len());
                        Kind::Literal
                    }
                    _ => {
                        i += 1;
                        Kind::Punct('$')
                    }
                }
            } else if c.is_ascii_digit() {
                while i < end && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                Kind::Literal
            } else if word_char(c) {
                while let Some(ch) = source[i..end].chars().next().filter(|&ch| word_char(ch)) {
                    i += ch.len_utf8();
                }
                Kind::Word
            } else {
                i += c.len_utf8();
                Kind::Punct(c)
            };
            toks.push(Tok {
                kind,
                span: start..i.min(end),
            });
        }
        Words { source, toks }
    }

    fn text(&self, k: usize) -> &'a str {
        &self.source[self.toks[k].span.clone()]
    }

    /// Whether token `k` is the keyword `kw` (upper case).
    fn is(&self, k: usize, kw: &str) -> bool {
        k < self.toks.len()
            && self.toks[k].kind == Kind::Word
            && self.text(k).eq_ignore_ascii_case(kw)
    }

    fn is_punct(&self, k: usize, c: char) -> bool {
        k < self.toks.len() && self.toks[k].kind == Kind::Punct(c)
    }

    /// The first token at or after `from` that is one of `kws`, at
    /// parenthesis depth 0 relative to `from`.
    fn find(&self, from: usize, kws: &[&str]) -> Option<usize> {
        let mut depth = 0i32;
        for k in from..self.toks.len() {
            match self.toks[k].kind {
                Kind::Punct('(') => depth += 1,
                Kind::Punct(')') => depth -= 1,
                Kind::Word if depth == 0 && kws.iter().any(|kw| self.is(k, kw)) => return Some(k),
                _ => {}
            }
        }
        None
    }

    /// The index just past the `)` matching the `(` at `open`.
    fn close_of(&self, open: usize) -> Option<usize> {
        let mut depth = 0i32;
        for k in open..self.toks.len() {
            match self.toks[k].kind {
                Kind::Punct('(') => depth += 1,
                Kind::Punct(')') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(k + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The text of tokens `from..to`, as written (comments inside kept).
    fn slice(&self, from: usize, to: usize) -> &'a str {
        &self.source[self.toks[from].span.start..self.toks[to - 1].span.end]
    }

    /// A (possibly qualified) name starting at `k`: `a`, `"a"`, `s.a`.
    /// Returns the index past it.
    fn name_end(&self, mut k: usize) -> Option<usize> {
        loop {
            if !matches!(self.toks.get(k)?.kind, Kind::Word | Kind::Quoted) {
                return None;
            }
            k += 1;
            if self.is_punct(k, '.') {
                k += 1;
            } else {
                return Some(k);
            }
        }
    }

    /// The end of the statement's last token.
    fn end(&self) -> usize {
        self.toks.last().map_or(0, |t| t.span.end)
    }
}

/// The reason a fix that must run outside a transaction block is not
/// offered, when the file runs inside one.
fn outside_transaction(cx: &RuleContext<'_>, what: &str) -> Result<(), String> {
    if cx.in_transaction() {
        Err(format!("the statement runs inside a transaction block, where PostgreSQL refuses {what}; run the migration outside a transaction and the fix is offered"))
    } else {
        Ok(())
    }
}

/// Whether statements may be added to the file without changing how it
/// runs: not when its tool sends it as one query (golang-migrate, Prisma),
/// where a second statement makes the file one implicit transaction.
fn may_add_statements(cx: &RuleContext<'_>) -> Result<(), String> {
    if cx.options.one_query && !cx.in_transaction() {
        Err("the migration tool sends the file as one query, so statements added to it would run in one implicit transaction; give the change a migration file of its own per step".into())
    } else {
        Ok(())
    }
}

fn one_action(cx: &RuleContext<'_>) -> Result<(), String> {
    if cx.statement.ops.len() == 1 {
        Ok(())
    } else {
        Err("the statement does several things; give this change its own statement".into())
    }
}

/// The name PostgreSQL gives a constraint of `table` on `columns` with
/// `suffix` (`fkey`, `key`, `pkey`), when it is certain: the parts joined
/// by `_` fit in 63 bytes (longer ones PostgreSQL truncates part by part,
/// and a taken name gets a number, which zerodown cannot see).
pub(crate) fn default_name(table: &Name, columns: &[String], suffix: &str) -> Option<String> {
    let mut parts = vec![table.name.as_str()];
    parts.extend(columns.iter().map(String::as_str));
    parts.push(suffix);
    let name = parts.join("_");
    (name.len() <= 63).then_some(name)
}

/// A Rails migration's call at the statement (`add_index :users, :email`,
/// `add_index(:users, :email)`): its method, the index past its last
/// argument, and where an argument is appended. `None` for SQL, or a call
/// with a block.
#[cfg(feature = "ruby")]
struct RubyCall<'a> {
    method: &'a str,
    /// Where `, key: value` goes: after the last argument.
    append_at: usize,
    /// The call's first line's indent.
    indent: &'a str,
    /// The end of the call.
    end: usize,
    words: Words<'a>,
}

#[cfg(feature = "ruby")]
impl<'a> RubyCall<'a> {
    fn of(cx: &RuleContext<'a>) -> Option<RubyCall<'a>> {
        let w = Words::of(cx);
        let first = w.toks.first()?;
        if first.kind != Kind::Word {
            return None;
        }
        let method = w.text(0);
        if !method.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') || !method.contains('_') {
            return None;
        }
        // A Ruby call: its arguments start with a symbol or a parenthesis
        // right after the name, never an SQL keyword's next word.
        let second = w.toks.get(1)?;
        let paren = second.kind == Kind::Punct('(') && second.span.start == first.span.end;
        if !paren && second.kind != Kind::Punct(':') {
            return None;
        }
        if (0..w.toks.len()).any(|k| w.is(k, "do") || w.is_punct(k, '{')) {
            return None;
        }
        let end = w.end();
        let append_at = if paren {
            if w.close_of(1)? != w.toks.len() {
                return None;
            }
            w.toks[w.toks.len() - 1].span.start
        } else {
            end
        };
        let at = first.span.start;
        let line_start = cx.source[..at].rfind('\n').map_or(0, |n| n + 1);
        let indent = &cx.source[line_start..at];
        if !indent.chars().all(char::is_whitespace) {
            return None;
        }
        Some(RubyCall {
            method,
            append_at,
            indent,
            end,
            words: w,
        })
    }

    /// Whether an argument `key:` is given.
    fn has_key(&self, key: &str) -> bool {
        (0..self.words.toks.len()).any(|k| self.words.is(k, key) && self.words.is_punct(k + 1, ':'))
    }
}

/// Whether the migration is one of GitLab's (`Gitlab::Database::Migration`).
#[cfg(feature = "ruby")]
fn is_gitlab(cx: &RuleContext<'_>) -> bool {
    cx.source.contains("Gitlab::Database::Migration")
}

/// `disable_ddl_transaction!` inserted on the line after the migration's
/// `class ... < ...Migration` line, when the migration runs in a
/// transaction.
#[cfg(feature = "ruby")]
fn disable_ddl_transaction(cx: &RuleContext<'_>) -> Option<Option<(Range<usize>, String)>> {
    if !cx.in_transaction() {
        return Some(None);
    }
    let mut at = 0;
    for line in cx.source.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("class ") && t.contains('<') && t.contains("Migration") {
            let indent = &line[..line.len() - t.len()];
            let pos = at + line.len();
            let newline = if line.ends_with('\n') { "" } else { "\n" };
            return Some(Some((
                pos..pos,
                format!("{newline}{indent}  disable_ddl_transaction!\n\n"),
            )));
        }
        at += line.len();
    }
    None
}

/// Whether the call is the only code of the method it is in (`def up` or
/// `def change`): nothing but blanks and comments between the `def` line
/// and the call, and between the call and the method's `end`.
#[cfg(feature = "ruby")]
fn alone_in_its_method(cx: &RuleContext<'_>, call: &RubyCall<'_>) -> bool {
    let start = call.words.toks[0].span.start;
    let Some(def) = cx.source[..start].rfind("def ") else {
        return false;
    };
    let code = |text: &str| {
        text.lines()
            .map(str::trim)
            .any(|l| !l.is_empty() && !l.starts_with('#'))
    };
    let after_def = cx.source[def..start].find('\n').map_or(start, |n| def + n);
    if code(&cx.source[after_def..start]) {
        return false;
    }
    let rest = &cx.source[call.end..];
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        let t = line.trim();
        if at > 0 || !t.is_empty() {
            if t == "end" {
                return true;
            }
            if at > 0 && !t.is_empty() && !t.starts_with('#') {
                return false;
            }
            if at == 0 && !t.starts_with('#') {
                // Code after the call on its own line.
                return false;
            }
        }
        at += line.len();
    }
    false
}

/// `add_index` / `remove_index` in a Rails migration → `algorithm:
/// :concurrently` (GitLab: `add_concurrent_index`), with
/// `disable_ddl_transaction!` when the migration runs in a transaction.
#[cfg(feature = "ruby")]
fn ruby_concurrently(cx: &RuleContext<'_>, call: &RubyCall<'_>) -> Offer {
    if !matches!(call.method, "add_index" | "remove_index") || call.has_key("algorithm") {
        return None;
    }
    if cx.in_transaction() && !alone_in_its_method(cx, call) {
        return Some(Err(ruby_reason("the migration does other things in its transaction, which disable_ddl_transaction! would take from them (and GitLab's lock retries with it); give the index a migration of its own, with disable_ddl_transaction!")));
    }
    let mut edits = Vec::new();
    let disable = match disable_ddl_transaction(cx) {
        Some(d) => d,
        None => {
            return Some(Err(ruby_reason(
                "the migration's class was not found, to add disable_ddl_transaction! to it",
            )))
        }
    };
    // GitLab's helper in `up` (it has no automatic reverse, so in
    // `change` the Rails form keeps the migration reversible).
    let in_up = cx.source[..call.words.toks[0].span.start]
        .rfind("def ")
        .is_some_and(|d| cx.source[d + 4..].starts_with("up"));
    let gitlab = is_gitlab(cx) && call.method == "add_index" && in_up;
    let name = &call.words.toks[0].span;
    if gitlab {
        edits.push((name.clone(), "add_concurrent_index".to_string()));
    } else {
        edits.push((
            call.append_at..call.append_at,
            ", algorithm: :concurrently".to_string(),
        ));
    }
    let outside = if disable.is_some() {
        ", with disable_ddl_transaction! (the migration then runs outside a transaction)"
    } else {
        ""
    };
    edits.extend(disable);
    edits.sort_by_key(|(r, _)| r.start);
    let what = if gitlab {
        "Use add_concurrent_index".to_string()
    } else if call.method == "add_index" {
        "Build the index with algorithm: :concurrently".to_string()
    } else {
        "Drop the index with algorithm: :concurrently".to_string()
    };
    Some(Ok(TextFix {
        title: format!("{what}{outside}"),
        edits,
        ruby: true,
    }))
}

/// `add_foreign_key` in a Rails migration → `validate: false`, then
/// `validate_foreign_key` on the next line when the migration runs outside
/// a transaction (else the title says to validate in a later migration).
#[cfg(feature = "ruby")]
fn ruby_not_valid(cx: &RuleContext<'_>, call: &RubyCall<'_>) -> Offer {
    if call.method != "add_foreign_key" || call.has_key("validate") {
        return None;
    }
    let w = &call.words;
    // The two tables: the first two symbol arguments.
    let symbols: Vec<&str> = (0..w.toks.len())
        .filter(|&k| {
            w.is_punct(k, ':')
                && w.toks
                    .get(k + 1)
                    .is_some_and(|t| t.kind == Kind::Word && t.span.start == w.toks[k].span.end)
        })
        .map(|k| w.text(k + 1))
        .take(2)
        .collect();
    let [from, to] = symbols.as_slice() else {
        return None;
    };
    // Options that name the key (`column:`, `name:`) are passed on.
    let named: Vec<String> = ["column", "name"]
        .iter()
        .filter_map(|key| {
            let k = (0..w.toks.len()).find(|&k| w.is(k, key) && w.is_punct(k + 1, ':'))?;
            let v = w.toks.get(k + 2)?;
            let end = if v.kind == Kind::Punct(':') {
                w.toks.get(k + 3)?.span.end
            } else {
                v.span.end
            };
            Some(format!("{key}: {}", &cx.source[v.span.start..end]))
        })
        .collect();
    let mut validate = format!("validate_foreign_key :{from}, :{to}");
    for n in &named {
        validate.push_str(&format!(", {n}"));
    }
    let mut edits = vec![(
        call.append_at..call.append_at,
        ", validate: false".to_string(),
    )];
    if cx.in_transaction() {
        return Some(Ok(TextFix {
            title: format!("Add the foreign key with validate: false; validate it in a later migration: {validate}"),
            edits,
            ruby: true,
        }));
    }
    edits.push((call.end..call.end, format!("\n{}{validate}", call.indent)));
    Some(Ok(TextFix {
        title: "Add the foreign key with validate: false, then validate it".into(),
        edits,
        ruby: true,
    }))
}

/// `CONCURRENTLY` inserted after the keyword at `k`.
fn concurrently_after(w: &Words<'_>, k: usize, title: &str) -> TextFix {
    let at = w.toks[k].span.end;
    TextFix {
        title: title.into(),
        edits: vec![(at..at, " CONCURRENTLY".into())],
        ruby: false,
    }
}

/// `CREATE [UNIQUE] INDEX` → `CREATE [UNIQUE] INDEX CONCURRENTLY`.
pub(crate) fn create_index_concurrently(cx: &RuleContext<'_>) -> Offer {
    #[cfg(feature = "ruby")]
    if let Some(call) = RubyCall::of(cx) {
        return ruby_concurrently(cx, &call);
    }
    let w = Words::of(cx);
    let k = if w.is(1, "UNIQUE") { 2 } else { 1 };
    if !w.is(0, "CREATE") || !w.is(k, "INDEX") || w.is(k + 1, "CONCURRENTLY") {
        return None;
    }
    // IF NOT EXISTS stays (the fix changes nothing else); with
    // CONCURRENTLY it has a trap of its own (concurrently-if-not-exists).
    let title = if w.is(k + 1, "IF") && w.is(k + 2, "NOT") && w.is(k + 3, "EXISTS") {
        "Build the index CONCURRENTLY (IF NOT EXISTS then skips the INVALID index a failed build leaves: drop it before a retry)"
    } else {
        "Build the index CONCURRENTLY"
    };
    Some(
        outside_transaction(cx, "CREATE INDEX CONCURRENTLY")
            .map(|()| concurrently_after(&w, k, title))
            .map_err(NoFix::from),
    )
}

/// `DROP INDEX` → `DROP INDEX CONCURRENTLY`, for one index without CASCADE.
pub(crate) fn drop_index_concurrently(cx: &RuleContext<'_>, names: usize) -> Offer {
    #[cfg(feature = "ruby")]
    if let Some(call) = RubyCall::of(cx) {
        return ruby_concurrently(cx, &call);
    }
    let w = Words::of(cx);
    if !w.is(0, "DROP") || !w.is(1, "INDEX") || w.is(2, "CONCURRENTLY") {
        return None;
    }
    if names != 1 {
        return Some(Err(
            "PostgreSQL drops only one index per DROP INDEX CONCURRENTLY; drop each in its own statement".into(),
        ));
    }
    if w.find(2, &["CASCADE"]).is_some() {
        return Some(Err(
            "PostgreSQL refuses CASCADE with DROP INDEX CONCURRENTLY".into(),
        ));
    }
    Some(
        outside_transaction(cx, "DROP INDEX CONCURRENTLY")
            .map(|()| concurrently_after(&w, 1, "Drop the index CONCURRENTLY"))
            .map_err(NoFix::from),
    )
}

/// `REINDEX {INDEX|TABLE|SCHEMA|DATABASE} name` → `... CONCURRENTLY name`
/// (PostgreSQL 12 and later; `REINDEX SYSTEM` has no concurrent form).
pub(crate) fn reindex_concurrently(cx: &RuleContext<'_>) -> Offer {
    let w = Words::of(cx);
    if !w.is(0, "REINDEX") || !cx.options.pg_version.reindex_concurrently() {
        return None;
    }
    let mut k = 1;
    if w.is_punct(1, '(') {
        k = w.close_of(1)?;
        // `REINDEX (CONCURRENTLY) ...` (PostgreSQL 14) is concurrent already.
        if w.find(1, &["CONCURRENTLY"]).is_some_and(|c| c < k) {
            return None;
        }
    }
    if !["INDEX", "TABLE", "SCHEMA", "DATABASE"]
        .iter()
        .any(|kw| w.is(k, kw))
        || w.is(k + 1, "CONCURRENTLY")
    {
        return None;
    }
    Some(
        outside_transaction(cx, "REINDEX CONCURRENTLY")
            .map(|()| concurrently_after(&w, k, "Rebuild CONCURRENTLY"))
            .map_err(NoFix::from),
    )
}

/// `SET lock_timeout` inserted before the statement, on its own line with
/// the statement's indent (or before it on its line, when other text
/// precedes it there).
pub(crate) fn set_lock_timeout(cx: &RuleContext<'_>, value: &str) -> Offer {
    let w = Words::of(cx);
    let at = w.toks.first()?.span.start;
    let line_start = cx.source[..at].rfind('\n').map_or(0, |n| n + 1);
    let indent = &cx.source[line_start..at];
    let set = format!("SET lock_timeout = '{value}';");
    let text = if indent.chars().all(char::is_whitespace) {
        format!("{set}\n{indent}")
    } else {
        format!("{set} ")
    };
    Some(Ok(TextFix {
        title: format!("Set lock_timeout to {value} before this statement"),
        edits: vec![(at..at, text)],
        ruby: false,
    }))
}

/// The parts of `ALTER TABLE [IF EXISTS] [ONLY] name ACTION ...`: the
/// head up to the action (`ALTER TABLE ONLY name`), the table's name as
/// written, and the index of the action's first token.
struct AlterTable<'a> {
    head: &'a str,
    table: &'a str,
    action: usize,
}

fn alter_table<'a>(w: &Words<'a>) -> Option<AlterTable<'a>> {
    if !w.is(0, "ALTER") || !w.is(1, "TABLE") {
        return None;
    }
    let mut k = 2;
    if w.is(k, "IF") && w.is(k + 1, "EXISTS") {
        k += 2;
    }
    if w.is(k, "ONLY") {
        k += 1;
    }
    let end = w.name_end(k)?;
    let mut action = end;
    if w.is_punct(action, '*') {
        action += 1;
    }
    Some(AlterTable {
        head: w.slice(0, action),
        table: w.slice(k, end),
        action,
    })
}

/// The constraint's name as written after `ADD CONSTRAINT`, and the index
/// of the token after it (the constraint's kind); or no name, and the
/// index of the kind.
fn added_constraint<'a>(w: &Words<'a>, action: usize) -> Option<(Option<&'a str>, usize)> {
    if !w.is(action, "ADD") {
        return None;
    }
    let k = action + 1;
    if w.is(k, "CONSTRAINT") {
        if !matches!(w.toks.get(k + 1)?.kind, Kind::Word | Kind::Quoted) {
            return None;
        }
        Some((Some(w.text(k + 1)), k + 2))
    } else {
        Some((None, k))
    }
}

/// A foreign key or CHECK constraint added as validated → `NOT VALID`,
/// then `VALIDATE CONSTRAINT` as its own statement when the file does not
/// run in a transaction (validating in the transaction that added it would
/// keep the add's lock for the whole scan). Inside a transaction, only
/// `NOT VALID`, and the title says to validate in a later migration.
///
/// `default`: the name PostgreSQL would give the constraint, when it can
/// be known (foreign keys); an unnamed constraint is then named so.
pub(crate) fn not_valid_then_validate(
    cx: &RuleContext<'_>,
    what: &str,
    default: Option<String>,
) -> Offer {
    #[cfg(feature = "ruby")]
    if let Some(call) = RubyCall::of(cx) {
        return ruby_not_valid(cx, &call);
    }
    let w = Words::of(cx);
    let alter = alter_table(&w)?;
    let (written, kind) = added_constraint(&w, alter.action)?;
    if w.find(kind, &["VALID"]).is_some() {
        return None;
    }
    if let Err(why) = one_action(cx) {
        return Some(Err(why.into()));
    }
    let mut edits = Vec::new();
    let name = match written {
        Some(n) => n.to_string(),
        None => match default {
            Some(d) => {
                let d = ident(&d);
                let at = w.toks[kind].span.start;
                edits.push((at..at, format!("CONSTRAINT {d} ")));
                d
            }
            None => {
                return Some(Err(format!(
                    "name the constraint (`ADD CONSTRAINT name {what} ...`) so that the fix can validate it"
                ).into()))
            }
        },
    };
    let validate = format!("{} VALIDATE CONSTRAINT {name}", alter.head);
    let end = w.end();
    // Validated in the transaction that added it, the constraint would keep
    // the add's lock for the whole scan.
    if cx.in_transaction() || may_add_statements(cx).is_err() {
        edits.push((end..end, " NOT VALID".into()));
        Some(Ok(TextFix {
            title: format!(
                "Add the {what} NOT VALID; validate it in a later migration: {validate};"
            ),
            edits,
            ruby: false,
        }))
    } else {
        edits.push((end..end, format!(" NOT VALID;\n{validate}")));
        Some(Ok(TextFix {
            title: format!("Add the {what} NOT VALID, then validate it in its own statement"),
            edits,
            ruby: false,
        }))
    }
}

/// `ADD [CONSTRAINT name] UNIQUE|PRIMARY KEY (cols)` → the unique index
/// built concurrently, then the constraint added with `USING INDEX`.
pub(crate) fn unique_using_index(
    cx: &RuleContext<'_>,
    table: &Name,
    columns: &[String],
    primary_key: bool,
) -> Offer {
    let w = Words::of(cx);
    let alter = alter_table(&w)?;
    let (written, kind) = added_constraint(&w, alter.action)?;
    let open = if primary_key && w.is(kind, "PRIMARY") && w.is(kind + 1, "KEY") {
        kind + 2
    } else if !primary_key && w.is(kind, "UNIQUE") {
        kind + 1
    } else {
        return None;
    };
    if !w.is_punct(open, '(') {
        return None;
    }
    let close = w.close_of(open)?;
    if close != w.toks.len() {
        // INCLUDE, WITH, DEFERRABLE, USING INDEX TABLESPACE: not rewritten.
        return None;
    }
    if let Err(why) = one_action(cx) {
        return Some(Err(why.into()));
    }
    if let Err(why) = outside_transaction(cx, "CREATE UNIQUE INDEX CONCURRENTLY")
        .and_then(|()| may_add_statements(cx))
    {
        return Some(Err(why.into()));
    }
    if primary_key
        && !columns
            .iter()
            .all(|c| cx.catalog.column(table, c).is_some_and(|c| c.not_null))
    {
        return Some(Err("ADD PRIMARY KEY USING INDEX sets the key's columns NOT NULL, which scans the table under an ACCESS EXCLUSIVE lock unless they are NOT NULL already; make them NOT NULL first (give zerodown the schema if they are)".into()));
    }
    let name = match written {
        Some(n) => n.to_string(),
        None => {
            let default = if primary_key {
                default_name(table, &[], "pkey")
            } else {
                default_name(table, columns, "key")
            };
            match default {
                Some(d) => ident(&d),
                None => return Some(Err("name the constraint (`ADD CONSTRAINT name ...`): the index and the constraint share its name".into())),
            }
        }
    };
    let cols = w.slice(open + 1, close - 1);
    let what = if primary_key { "PRIMARY KEY" } else { "UNIQUE" };
    let text = format!(
        "CREATE UNIQUE INDEX CONCURRENTLY {name} ON {} ({cols});\n{} ADD CONSTRAINT {name} {what} USING INDEX {name}",
        alter.table, alter.head
    );
    Some(Ok(TextFix {
        title: format!(
            "Build the unique index CONCURRENTLY, then add the {what} constraint with it"
        ),
        edits: vec![(w.toks[0].span.start..w.end(), text)],
        ruby: false,
    }))
}

/// `ALTER [COLUMN] c SET NOT NULL` → a CHECK (c IS NOT NULL) added NOT
/// VALID, validated, then SET NOT NULL (which PostgreSQL 12 and later
/// proves from the check without a scan), and the check dropped.
pub(crate) fn not_null_via_check(cx: &RuleContext<'_>, table: &Name, column: &str) -> Offer {
    if !cx.options.pg_version.set_not_null_uses_validated_check() {
        return None;
    }
    let w = Words::of(cx);
    let alter = alter_table(&w)?;
    let mut k = alter.action;
    if !w.is(k, "ALTER") {
        return None;
    }
    k += 1;
    if w.is(k, "COLUMN") {
        k += 1;
    }
    let col = w.text(k);
    if !(w.is(k + 1, "SET") && w.is(k + 2, "NOT") && w.is(k + 3, "NULL") && k + 4 == w.toks.len()) {
        return None;
    }
    if let Err(why) = one_action(cx) {
        return Some(Err(why.into()));
    }
    if cx.in_transaction() {
        return Some(Err("the statement runs inside a transaction block, and the check must be validated in its own transaction to spare SET NOT NULL its scan; run the migration outside a transaction and the fix is offered".into()));
    }
    if let Err(why) = may_add_statements(cx) {
        return Some(Err(why.into()));
    }
    let Some(name) = default_name(table, &[column.to_string()], "not_null_check") else {
        return Some(Err(
            "the check's name would be longer than PostgreSQL's 63 bytes; use the plan".into(),
        ));
    };
    let name = ident(&name);
    let head = alter.head;
    let text = format!(
        "{head} ADD CONSTRAINT {name} CHECK ({col} IS NOT NULL) NOT VALID;\n\
         {head} VALIDATE CONSTRAINT {name};\n\
         {head} ALTER COLUMN {col} SET NOT NULL;\n\
         {head} DROP CONSTRAINT {name}"
    );
    Some(Ok(TextFix {
        title: "Prove NOT NULL with a validated CHECK first, so SET NOT NULL skips its scan".into(),
        edits: vec![(w.toks[0].span.start..w.end(), text)],
        ruby: false,
    }))
}

/// The byte range of a column definition's type, as written: the words
/// after its name up to its first constraint (or the `,` or `)` that ends
/// the definition). The definition's span may be its name alone.
fn type_range(cx: &RuleContext<'_>, def: &ColumnDef) -> Option<Range<usize>> {
    if def.span.is_empty() || def.span.end > cx.statement.span.end {
        return None;
    }
    let end = cx.statement.span.end;
    // The words of the column and a little after it first: its type ends
    // there, and a statement of many columns is then not scanned to its
    // end once for each of them. The rest of the statement only when that
    // cannot tell.
    let mut near = def.span.end.saturating_add(64).min(end);
    while near < end && !cx.source.is_char_boundary(near) {
        near += 1;
    }
    if near < end {
        if let Some(found) = type_in(&Words::scan(cx.source, def.span.start..near), def, true) {
            return found;
        }
    }
    type_in(&Words::scan(cx.source, def.span.start..end), def, false).flatten()
}

/// The range of `def`'s type in `w`, the words from its start (`Some(None)`:
/// not there). With `cut` (`w` stops short of the statement's end, its last
/// word maybe cut in two), `None` when the type reaches its last word: `w`
/// cannot tell where it ends.
fn type_in(w: &Words<'_>, def: &ColumnDef, cut: bool) -> Option<Option<Range<usize>>> {
    let unsure = |k: usize| cut && k + 1 >= w.toks.len();
    // An ADD COLUMN's definition may start at ADD.
    let mut k = 0;
    if w.is(k, "ADD") {
        k += 1;
        if w.is(k, "COLUMN") {
            k += 1;
        }
        if w.is(k, "IF") && w.is(k + 1, "NOT") && w.is(k + 2, "EXISTS") {
            k += 3;
        }
    }
    if unsure(k) {
        return None;
    }
    let name = w.text(k);
    let same = name == def.name
        || name.eq_ignore_ascii_case(&def.name)
        || name.trim_matches('"').replace("\"\"", "\"") == def.name;
    if !same {
        return Some(None);
    }
    let first = k + 1;
    let stops = [
        "CONSTRAINT",
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "UNIQUE",
        "CHECK",
        "REFERENCES",
        "GENERATED",
        "COLLATE",
        "COMPRESSION",
        "STORAGE",
    ];
    let mut last = first;
    let mut depth = 0i32;
    while last < w.toks.len() {
        match w.toks[last].kind {
            Kind::Punct('(') | Kind::Punct('[') => depth += 1,
            Kind::Punct(')') | Kind::Punct(']') => {
                depth -= 1;
                if depth < 0 {
                    break;
                }
            }
            Kind::Punct(',') if depth == 0 => break,
            Kind::Word if depth == 0 && stops.iter().any(|s| w.is(last, s)) => break,
            _ => {}
        }
        last += 1;
    }
    if unsure(last) {
        return None;
    }
    Some((last > first).then(|| w.toks[first].span.start..w.toks[last - 1].span.end))
}

/// A column's type replaced by `to`, which `replacement` computes from the
/// type as written (lower case) and the column's name as written.
pub(crate) fn retype_column(
    cx: &RuleContext<'_>,
    def: &ColumnDef,
    title: &str,
    replacement: impl FnOnce(&str, &str) -> Option<String>,
) -> Offer {
    let range = type_range(cx, def)?;
    if retyped_later(cx, &def.name) {
        return Some(Err(format!(
            "a later statement of the file changes the type of `{}`, and would then convert it",
            def.name
        )
        .into()));
    }
    let written = cx.source[range.clone()].to_ascii_lowercase();
    let to = replacement(&written, &ident(&def.name))?;
    Some(Ok(TextFix {
        title: title.into(),
        edits: vec![(range, to)],
        ruby: false,
    }))
}

/// Whether a statement after this one changes the type of a column named
/// `column` (`ALTER [COLUMN] column [SET DATA] TYPE`): the declared type
/// is then the author's starting point, which a new type would make a
/// conversion.
fn retyped_later(cx: &RuleContext<'_>, column: &str) -> bool {
    let end = cx.statement.span.end;
    cx.file_scan
        .retypes(cx.source)
        .iter()
        .any(|(at, name)| *at >= end && name == column)
}

/// The integer type of a key or counter widened to bigint, keeping its
/// kind: `serial` → `bigserial`, `integer` → `bigint` (arrays kept).
pub(crate) fn widened_integer(written: &str) -> Option<String> {
    let (base, array) = split_array(written);
    let to = match base.split_whitespace().next()? {
        "serial" | "serial4" | "smallserial" | "serial2" => "bigserial",
        "int" | "integer" | "int4" | "smallint" | "int2" => "bigint",
        _ => return None,
    };
    if array.is_empty() && base.split_whitespace().count() > 1 {
        return None;
    }
    Some(format!("{to}{array}"))
}

/// `timestamp[(p)] [without time zone]` → `timestamptz[(p)]`.
pub(crate) fn with_time_zone(written: &str) -> Option<String> {
    let (base, array) = split_array(written);
    let words: Vec<&str> = base
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|s| !s.is_empty())
        .collect();
    let precision = match words.as_slice() {
        ["timestamp"] | ["timestamp", "without", "time", "zone"] => None,
        ["timestamp", p] | ["timestamp", p, "without", "time", "zone"]
            if p.chars().all(|c| c.is_ascii_digit()) =>
        {
            Some(*p)
        }
        _ => return None,
    };
    Some(match precision {
        Some(p) => format!("timestamptz({p}){array}"),
        None => format!("timestamptz{array}"),
    })
}

/// `json` → `jsonb`.
pub(crate) fn binary_json(written: &str) -> Option<String> {
    let (base, array) = split_array(written);
    (base.trim() == "json").then(|| format!("jsonb{array}"))
}

/// `varchar(n)` → `text CHECK (char_length(c) <= n)`, the same limit as a
/// constraint that can change without a rewrite.
pub(crate) fn text_with_limit(written: &str, column: &str) -> Option<String> {
    let (base, array) = split_array(written);
    if !array.is_empty() {
        return None;
    }
    let compact: String = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let inner = compact
        .strip_prefix("varchar")
        .or_else(|| compact.strip_prefix("character varying"))?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let n: u32 = inner.parse().ok()?;
    Some(format!("text CHECK (char_length({column}) <= {n})"))
}

/// A type split from its `[]` suffixes.
fn split_array(written: &str) -> (&str, &str) {
    let t = written.trim();
    match t.find('[') {
        Some(i) => (t[..i].trim_end(), &t[i..]),
        None => (t, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scanner_skips_comments_strings_and_quoted_names() {
        let sql = "CREATE /* INDEX */ INDEX -- INDEX\n \"INDEX\" ON t ((x || 'INDEX')) WHERE y = $$INDEX$$ AND z = E'\\'INDEX'";
        let w = Words::scan(sql, 0..sql.len());
        let words: Vec<&str> = (0..w.toks.len())
            .filter(|&k| w.toks[k].kind == Kind::Word)
            .map(|k| w.text(k))
            .collect();
        assert_eq!(
            words,
            ["CREATE", "INDEX", "ON", "t", "x", "WHERE", "y", "AND", "z"]
        );
        assert_eq!(w.toks.last().map(|t| t.span.end), Some(sql.len()));
    }

    #[test]
    fn types_widen_exactly() {
        assert_eq!(widened_integer("serial").as_deref(), Some("bigserial"));
        assert_eq!(widened_integer("integer[]").as_deref(), Some("bigint[]"));
        assert_eq!(widened_integer("bigint"), None);
        assert_eq!(
            with_time_zone("timestamp(3) without time zone").as_deref(),
            Some("timestamptz(3)")
        );
        assert_eq!(with_time_zone("timestamp with time zone"), None);
        assert_eq!(binary_json("json").as_deref(), Some("jsonb"));
        assert_eq!(
            text_with_limit("character varying(40)", "name").as_deref(),
            Some("text CHECK (char_length(name) <= 40)")
        );
        assert_eq!(text_with_limit("varchar", "name"), None);
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(ident("users_email_key"), "users_email_key");
        assert_eq!(ident("Users"), "\"Users\"");
        assert_eq!(ident("user"), "\"user\"");
    }
}
