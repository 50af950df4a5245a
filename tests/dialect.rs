//! zerodown parses with its own tokenizer, which leaves out the blanks the
//! parser does not need (`src/sql/tokens.rs`), and its own dialect
//! (`src/sql/dialect.rs`): sqlparser's PostgreSQL dialect with a faster start
//! for the most common expressions. Both must parse exactly as sqlparser
//! does: every statement of the rule fixtures, the generated benchmark corpus
//! and the real-world corpus (`../shared/corpus`, when present) gives the
//! same AST (spans included), or the same error, with sqlparser's tokenizer
//! and dialect as with zerodown's. The one exception is pg_dump's identity
//! columns, which sqlparser rejects and the dialect's statement hook reads.

mod common;

use std::path::Path;

use sqlparser::dialect::{Dialect, PostgreSqlDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};
use zerodown::sql::{parse as zerodown_parse, split, Postgres};

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod generated;

fn parse(dialect: &dyn Dialect, sql: &str) -> String {
    // Debug output compares spans too (Span's PartialEq ignores them).
    format!("{:?}", Parser::parse_sql(dialect, sql))
}

/// One statement as linting parses it, done with sqlparser's own tokenizer
/// (strings kept as written, as zerodown keeps them) and dialect: the same
/// recursion limit and check for leftover tokens.
fn sqlparser_statement(sql: &str) -> String {
    let parsed = Tokenizer::new(&PostgreSqlDialect {}, sql)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| ParserError::TokenizerError(e.to_string()))
        .and_then(|tokens| {
            let mut parser = Parser::new(&PostgreSqlDialect {})
                .with_recursion_limit(48)
                .with_tokens_with_locations(tokens);
            let stmt = parser.parse_statement()?;
            let next = parser.peek_token();
            match next.token {
                Token::EOF | Token::SemiColon => Ok(stmt),
                _ => Err(ParserError::ParserError(format!(
                    "Expected: end of statement, found: {} at Line: {}, Column: {}",
                    next.token, next.span.start.line, next.span.start.column
                ))),
            }
        });
    format!("{parsed:?}")
}

/// Statements parsed, and how many of them differ (printing the first few).
fn compare(files: &[String]) -> (usize, usize) {
    let (mut statements, mut differ) = (0, 0);
    for sql in files {
        for s in split(sql).statements {
            let text = &sql[s.span.clone()];
            statements += 1;
            let mut ours = parse(&Postgres, text);
            let mut theirs = parse(&PostgreSqlDialect {}, text);
            // The whole path, tokens included; zerodown rewrites `TRIM(BOTH
            // FROM x)`, which sqlparser cannot read, so those differ on purpose.
            if ours == theirs && !text.to_ascii_lowercase().contains("trim") {
                ours = format!("{:?}", zerodown_parse(text));
                theirs = sqlparser_statement(text);
            }
            if ours != theirs {
                differ += 1;
                if differ <= 5 {
                    eprintln!(
                        "differs: {text}\n  zerodown:  {ours:.400}\n  sqlparser: {theirs:.400}"
                    );
                }
            }
        }
    }
    (statements, differ)
}

#[test]
fn parses_the_fixtures_and_generated_corpus_as_sqlparser_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "docs/examples"] {
        files.extend(
            common::sql_files(&root.join(dir))
                .iter()
                .map(|p| common::read_lossy(p)),
        );
    }
    files.extend(
        generated::generate(1_000_000)
            .into_iter()
            .map(|(_, sql)| sql),
    );
    let (statements, differ) = compare(&files);
    eprintln!("{statements} statements compared");
    assert!(statements > 5_000, "{statements}");
    assert_eq!(
        differ, 0,
        "{differ} of {statements} statements parse differently"
    );
}

#[test]
fn parses_the_real_world_corpus_as_sqlparser_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("../shared/corpus is absent: nothing to compare");
        return;
    }
    let files: Vec<String> = common::sql_files(&dir)
        .iter()
        .map(|p| common::read_lossy(p))
        .collect();
    let (statements, differ) = compare(&files);
    eprintln!("{statements} statements compared");
    assert_eq!(
        differ, 0,
        "{differ} of {statements} statements parse differently"
    );
}

#[test]
fn the_fast_start_covers_literals_identifiers_and_calls() {
    // Each goes through the dialect's prefix hook; the AST must be
    // sqlparser's, spans included.
    for sql in [
        "SELECT 1, 'a', $$b$$, NULL, TRUE, false, col, \"Quoted\", t.col, f(1, x), f(), now()::date",
        "UPDATE t SET a = b + 1 WHERE c = 'x' AND d IS NULL",
        "ALTER TABLE t ADD COLUMN c integer DEFAULT 0 NOT NULL CHECK (c >= 0)",
        "CREATE INDEX i ON t (lower(email)) WHERE deleted_at IS NULL",
        "SELECT xml '<a/>', _utf8 'x', DATE '2020-01-01', interval '1 day', foo 'bar'",
        "SELECT f(1, ", // an error: the same one
        "SELECT a.b.c, a[1], -x, NOT y, CASE WHEN z THEN 1 END",
    ] {
        assert_eq!(parse(&Postgres, sql), parse(&PostgreSqlDialect {}, sql), "{sql}");
        assert_eq!(format!("{:?}", zerodown_parse(sql)), sqlparser_statement(sql), "{sql}");
    }
}

#[test]
fn blanks_that_matter_are_kept() {
    // A placeholder is `:` and a word with nothing between; optimizer hints
    // live in comments.
    for sql in [
        "SELECT :name, a[1:2] FROM t",
        "SELECT : spaced FROM t",
        "SELECT :\tname FROM t",
        // `E''` sends the statement to sqlparser's tokenizer; blanks are
        // left out the same way there.
        "SELECT E'x', : spaced, :name FROM t",
        "SELECT /*+ SeqScan(t) */ a FROM t -- trailing\n",
        "UPDATE t SET a = 1 -- why\n WHERE b = 2",
    ] {
        assert_eq!(
            format!("{:?}", zerodown_parse(sql)),
            sqlparser_statement(sql),
            "{sql}"
        );
    }
}

/// pg_dump's identity columns, which sqlparser alone rejects (its sequence
/// options come in one order, without SEQUENCE NAME): the dialect's
/// statement hook reads them, in any order, as sqlparser's AddGenerated; a
/// form sqlparser reads itself gives sqlparser's AST.
#[test]
fn identity_columns_as_pg_dump_writes_them_are_read() {
    let dump = "ALTER TABLE public.orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n    SEQUENCE NAME public.orders_id_seq\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n);";
    assert!(
        sqlparser_statement(dump).starts_with("Err"),
        "{}",
        sqlparser_statement(dump)
    );
    let ours = parse(&Postgres, dump);
    assert!(
        ours.contains("AddGenerated") && ours.contains("Always") && ours.contains("StartWith"),
        "{ours}"
    );
    // Other orders and options PostgreSQL takes.
    for sql in [
        "ALTER TABLE ONLY t ALTER id ADD GENERATED BY DEFAULT AS IDENTITY (AS integer CACHE 5 START 10 NO CYCLE MAXVALUE 100);",
        "ALTER TABLE IF EXISTS s.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (INCREMENT -1 MINVALUE -50 CYCLE);",
    ] {
        let ours = parse(&Postgres, sql);
        assert!(ours.contains("AddGenerated"), "{sql}: {ours}");
    }
    // What sqlparser reads itself, it still reads: the same AST.
    for sql in [
        "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;",
        "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 1 START WITH 1);",
        "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY, ALTER COLUMN x SET NOT NULL;",
        "ALTER TABLE t ALTER COLUMN id SET DEFAULT 1;",
    ] {
        assert_eq!(parse(&Postgres, sql), parse(&PostgreSqlDialect {}, sql), "{sql}");
    }
    // A damaged one is still an error, not a half-read statement.
    let bad = "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME START WITH);";
    assert!(
        parse(&Postgres, bad).starts_with("Err"),
        "{}",
        parse(&Postgres, bad)
    );
}

/// An ALTER TABLE after blanks or a comment: the dialect's pg_dump
/// identity hook once rewound past the first token and panicked.
#[test]
fn alter_table_after_leading_blanks_parses() {
    for text in [
        "\n  ALTER TABLE t ALTER COLUMN c SET NOT NULL",
        "-- a comment\nALTER TABLE t ALTER COLUMN c SET NOT NULL",
        " /* c */ ALTER TABLE ONLY t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME t_id_seq)",
    ] {
        assert!(zerodown::sql::parse(text).is_ok(), "{text}");
    }
}
