//! Input no one meant to write: the playground and the reviewer widget lint
//! on every keystroke, so every prefix of a migration reaches the linter, and
//! half-edited statements (a word deleted, a line pasted twice) reach it too.
//! None of it may panic (a panic in WebAssembly kills the page), and every
//! finding must point inside the text it was given.
//!
//! Inputs: every rule fixture and documentation example, cut at every
//! character; statements of the real-world corpus (`../shared/corpus`, when
//! present) cut at every word boundary; and token-level edits of both drawn
//! from a fixed seed, so a failure names an input that reproduces. Schema
//! analysis (cells) gets the same treatment with its fixtures and dump.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use zerodown::{lint, LintOptions, LintReport, Span};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures and examples: small files, each cut at every character.
fn small_files() -> Vec<(String, String)> {
    let mut paths = common::sql_files(&root().join("tests/fixtures/rules"));
    paths.extend(common::sql_files(&root().join("docs/examples")));
    assert!(paths.len() > 30, "fixtures found: {}", paths.len());
    paths
        .iter()
        .map(|p| {
            (
                p.strip_prefix(root()).unwrap_or(p).display().to_string(),
                std::fs::read_to_string(p).expect("read fixture"),
            )
        })
        .collect()
}

/// The path a cut input is linted under: the phase comes from it, so the
/// regular and the post-deployment rules both see the inputs.
fn lint_path(i: usize) -> &'static str {
    if i % 2 == 0 {
        "db/migrate/20260101000000_edit.sql"
    } else {
        "db/post_migrate/20260101000000_edit.sql"
    }
}

/// Lints `sql`, turning a panic into an error naming the input.
fn check(sql: &str, path: &str, options: &LintOptions, what: &str) -> Result<(), String> {
    let result = panic::catch_unwind(AssertUnwindSafe(|| lint(sql, path, options)));
    let report: LintReport = match result {
        Ok(Ok(report)) => report,
        Ok(Err(e)) => return Err(format!("{what}: error {e:?}\ninput: {sql:?}")),
        Err(_) => return Err(format!("{what}: panicked\ninput: {sql:?}")),
    };
    for f in &report.findings {
        for span in [f.span, f.statement] {
            if let Some(problem) = bad_span(sql, span) {
                return Err(format!(
                    "{what}: {} finding has {problem}: {span:?}\ninput: {sql:?}",
                    f.rule
                ));
            }
        }
    }
    Ok(())
}

/// What is wrong with `span` as a range of `sql`, if anything: offsets in
/// order, in bounds and on character boundaries, and line, column and UTF-16
/// offset agreeing with the byte offset.
fn bad_span(sql: &str, span: Span) -> Option<String> {
    let (start, end) = (span.start.offset as usize, span.end.offset as usize);
    if start > end || end > sql.len() {
        return Some(format!("a range outside the text ({} bytes)", sql.len()));
    }
    for p in [span.start, span.end] {
        let at = p.offset as usize;
        if !sql.is_char_boundary(at) {
            return Some(format!("offset {at} inside a character"));
        }
        let before = &sql[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let utf16 = before.encode_utf16().count();
        if (p.line as usize, p.column as usize, p.utf16 as usize) != (line, column, utf16) {
            return Some(format!(
                "position {p:?}, the text says line {line}, column {column}, utf16 {utf16}"
            ));
        }
    }
    None
}

/// A fixed-seed xorshift: the same edits on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Splits `sql` into words, runs of punctuation and the blanks between them,
/// keeping every byte, so that joining the pieces gives `sql` back.
fn pieces(sql: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Word,
        Blank,
        Other,
    }
    let kind = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            Kind::Word
        } else if c.is_whitespace() {
            Kind::Blank
        } else {
            Kind::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut last = None;
    for (i, c) in sql.char_indices() {
        let k = kind(c);
        // Punctuation is a piece per character: `'`, `$`, `(` and `;` each matter.
        if last.is_some() && (last != Some(k) || k == Kind::Other) {
            out.push(&sql[start..i]);
            start = i;
        }
        last = Some(k);
    }
    if start < sql.len() {
        out.push(&sql[start..]);
    }
    out
}

/// `count` token-level edits of `sql`: a piece deleted, doubled, swapped with
/// its neighbour, replaced by another piece of the same text, or replaced by
/// one of the characters that open or close quotes, comments and blocks or
/// one of the words the rules look for, or a form the parser reads or rejects
/// from its tokens.
fn edits(sql: &str, rng: &mut Rng, count: usize) -> Vec<String> {
    const INSERTS: [&str; 32] = [
        "'",
        "\"",
        "$$",
        "$tag$",
        "/*",
        "*/",
        "--",
        "(",
        ")",
        ";",
        "E'\\",
        "\u{e9}\u{1f600}",
        " CONCURRENTLY ",
        " NOT VALID ",
        " NOT NULL ",
        " DEFAULT now() ",
        " IF EXISTS ",
        " ONLY ",
        " CASCADE ",
        " USING ",
        " COLUMN ",
        " CONSTRAINT ",
        " TYPE bigint ",
        " BEGIN; ",
        // The forms zerodown reads or rejects from their tokens.
        " ALTER CONSTRAINT c DEFERRABLE ",
        " SET STATISTICS 100 ",
        " SET (fillfactor = 70) ",
        " NOT NULL a ",
        " AUTO_INCREMENT ",
        " UNSIGNED ",
        "`",
        "\nCREATE INDEX j ON t (b)\n",
    ];
    let p = pieces(sql);
    if p.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|_| {
            let mut p: Vec<&str> = p.clone();
            let i = rng.below(p.len());
            match rng.below(5) {
                0 => {
                    p.remove(i);
                }
                1 => p.insert(i, p[i]),
                2 if i + 1 < p.len() => p.swap(i, i + 1),
                3 => p[i] = p[rng.below(p.len())],
                _ => p[i] = INSERTS[rng.below(INSERTS.len())],
            }
            p.concat()
        })
        .collect()
}

fn options() -> LintOptions {
    LintOptions {
        plans: true,
        ..LintOptions::default()
    }
}

/// Runs `check` on every input, collecting failures; panics once with the
/// first few so the test output stays readable.
fn expect_clean(failures: Vec<String>, inputs: usize) {
    eprintln!("{inputs} inputs checked, {} failures", failures.len());
    // catch_unwind keeps running, but the default hook would print every panic.
    assert!(
        failures.is_empty(),
        "{} of {inputs} inputs failed; the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn every_prefix_of_every_fixture_lints_cleanly() {
    let options = options();
    let mut failures = Vec::new();
    let mut inputs = 0;
    for (name, sql) in small_files() {
        for (n, (cut, _)) in sql.char_indices().chain([(sql.len(), ' ')]).enumerate() {
            inputs += 1;
            let what = format!("{name} cut at byte {cut}");
            if let Err(e) = check(&sql[..cut], lint_path(n), &options, &what) {
                failures.push(e);
            }
        }
    }
    expect_clean(failures, inputs);
}

#[test]
fn edited_fixtures_lint_cleanly() {
    let options = options();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut failures = Vec::new();
    let mut inputs = 0;
    for (name, sql) in small_files() {
        for (n, edited) in edits(&sql, &mut rng, 1000).into_iter().enumerate() {
            inputs += 1;
            let what = format!("{name}, edit {n}");
            if let Err(e) = check(&edited, lint_path(n), &options, &what) {
                failures.push(e);
            }
        }
    }
    expect_clean(failures, inputs);
}

/// Comments of characters of two, three and four bytes (line comments,
/// block comments, nested ones) between the words of every fixture: the scanners that look at a
/// statement's words again (the fixes' type and column finders) step over
/// them whole (a block comment holding `é` after an `int` column panicked).
#[test]
fn multi_byte_comments_between_words_lint_cleanly() {
    let options = options();
    let mut failures = Vec::new();
    let mut inputs = 0;
    let inserts = [
        (" ", " /* é😀€ */ "),
        ("(", "( /* ü */ "),
        (",", ", -- ñ😀\n"),
        (" ", " /*é*/"),
        (";", "; /* 日本 /* nested ö */ */"),
    ];
    for (name, sql) in small_files() {
        for (n, (from, to)) in inserts.iter().enumerate() {
            inputs += 1;
            let edited = sql.replace(from, to);
            let what = format!("{name} with `{to}` for every `{from}`");
            if let Err(e) = check(&edited, lint_path(n), &options, &what) {
                failures.push(e);
            }
        }
    }
    expect_clean(failures, inputs);
}

/// Statements of the real-world corpus: every word-boundary prefix of one
/// statement in `STRIDE`, and edits of every statement.
#[test]
fn corpus_statements_cut_and_edited_lint_cleanly() {
    const STRIDE: usize = 2;
    let paths = common::sql_files(&root().join("../shared/corpus"));
    if paths.is_empty() {
        eprintln!("../shared/corpus is absent: nothing to check");
        return;
    }
    let options = options();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut failures = Vec::new();
    let mut inputs = 0;
    let mut statement = 0usize;
    for p in &paths {
        let sql = common::read_lossy(p);
        // Too large to cut statement by statement in a test run (GitLab's
        // schema dump); the corpus test lints it whole.
        if sql.len() > 512 * 1024 {
            continue;
        }
        let name = p.strip_prefix(root()).unwrap_or(p).display().to_string();
        for stmt in sql.split_inclusive(';') {
            statement += 1;
            if stmt.trim().is_empty() || stmt.len() > 8 * 1024 {
                continue;
            }
            let mut cuts = Vec::new();
            if statement % STRIDE == 0 {
                let mut at = 0;
                for piece in pieces(stmt) {
                    at += piece.len();
                    cuts.push(stmt[..at].to_string());
                }
            }
            cuts.extend(edits(stmt, &mut rng, 8));
            for (n, input) in cuts.iter().enumerate() {
                inputs += 1;
                let what = format!("{name}, statement {statement}, input {n}");
                if let Err(e) = check(input, lint_path(n), &options, &what) {
                    failures.push(e);
                }
            }
        }
    }
    expect_clean(failures, inputs);
}

/// The span check itself: it accepts true positions and catches each way a
/// position can be wrong.
#[test]
fn the_span_check_catches_wrong_positions() {
    use zerodown::Position;
    let sql = "SELECT 1;\n-- caf\u{e9} \u{1f600}\nSELECT 2;";
    let at = |offset: usize| {
        let before = &sql[..offset];
        Position {
            line: before.matches('\n').count() as u32 + 1,
            column: before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1,
            offset: offset as u32,
            utf16: before.encode_utf16().count() as u32,
        }
    };
    let end = sql.len();
    let good = Span {
        start: at(10),
        end: at(end),
    };
    assert_eq!(bad_span(sql, good), None);
    let wrong = [
        Span {
            start: at(end),
            end: at(10),
        },
        Span {
            start: at(10),
            end: Position {
                offset: end as u32 + 1,
                ..at(end)
            },
        },
        Span {
            start: Position {
                offset: 17,
                ..at(16)
            },
            end: at(end),
        },
        Span {
            start: Position { line: 1, ..at(10) },
            end: at(end),
        },
        Span {
            start: Position {
                column: 2,
                ..at(10)
            },
            end: at(end),
        },
        Span {
            start: at(10),
            end: Position {
                utf16: end as u32,
                ..at(end)
            },
        },
    ];
    for span in wrong {
        assert!(bad_span(sql, span).is_some(), "{span:?} passes");
    }
}

/// Schema analysis (cells) reads whole dumps: every prefix of its fixtures,
/// edits of them, and edits of statements of GitLab's `structure.sql` (when
/// the corpus is present) must analyze without a panic.
#[test]
fn cut_and_edited_schema_dumps_analyze_cleanly() {
    let analyze = |sql: &str, what: &str| -> Result<(), String> {
        panic::catch_unwind(AssertUnwindSafe(|| {
            zerodown::cells::analyze(sql, &[]);
        }))
        .map_err(|_| format!("{what}: panicked\ninput: {sql:?}"))
    };
    let mut rng = Rng(0x6a09_e667_f3bc_c909);
    let mut failures = Vec::new();
    let mut inputs = 0;
    for name in ["basic.sql", "findings.sql"] {
        let sql = std::fs::read_to_string(root().join("tests/fixtures/cells").join(name))
            .expect("read cells fixture");
        let cuts = sql.char_indices().map(|(i, _)| sql[..i].to_string());
        for (n, input) in cuts.chain(edits(&sql, &mut rng, 500)).enumerate() {
            inputs += 1;
            if let Err(e) = analyze(&input, &format!("{name}, input {n}")) {
                failures.push(e);
            }
        }
    }
    let dump = root().join("../shared/corpus/gitlab/structure.sql");
    if let Ok(sql) = std::fs::read_to_string(&dump) {
        // Every 8th statement, edited twice: CREATE TABLE, ALTER TABLE,
        // indexes, functions and triggers alike.
        for (n, stmt) in sql.split_inclusive(";\n").step_by(8).enumerate() {
            for input in edits(stmt, &mut rng, 2) {
                inputs += 1;
                if let Err(e) = analyze(&input, &format!("structure.sql, statement {}", n * 8)) {
                    failures.push(e);
                }
            }
        }
    }
    expect_clean(failures, inputs);
}
