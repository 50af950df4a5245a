//! Issue #17's missed hazards: new-relation tracking by schema, statements
//! inside WITH, transaction-level hazards, and messages that stay true.

mod common;

use common::{describe, lint_at};
use zerodown::{LintOptions, LintReport, SourceFile};

fn opts() -> LintOptions {
    LintOptions {
        plans: false,
        ..LintOptions::default()
    }
}

fn lint(sql: &str) -> LintReport {
    lint_at(sql, "db/migrate/20240101_x.sql", &opts())
}

/// The rules that fired, in order.
fn rules_of(report: &LintReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_str()).collect()
}

/// Whether `rule` fired at `line`.
fn fired(report: &LintReport, rule: &str, line: u32) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.rule == rule && f.span.start.line == line)
}

const INDEX: &str = "add-index-non-concurrently";

// ---- new relations ----

#[test]
fn a_new_table_is_new_in_its_own_schema_only() {
    let r = lint(
        "CREATE TABLE a.t (id bigint);\n\
         CREATE INDEX t_a ON a.t (id);\n\
         CREATE INDEX t_b ON b.t (id);\n\
         CREATE INDEX t_u ON t (id);\n",
    );
    assert!(!fired(&r, INDEX, 2), "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 3), "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 4), "{:#?}", describe(&r));
}

#[test]
fn unqualified_names_are_public_unless_search_path_says_otherwise() {
    let r = lint(
        "CREATE TABLE t (id bigint);\n\
         CREATE INDEX t_1 ON public.t (id);\n\
         SET search_path = app, public;\n\
         CREATE INDEX t_2 ON t (id);\n\
         CREATE TABLE u (id bigint);\n\
         CREATE INDEX u_1 ON app.u (id);\n\
         CREATE INDEX u_2 ON public.u (id);\n",
    );
    assert!(!fired(&r, INDEX, 2), "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 4), "{:#?}", describe(&r));
    assert!(!fired(&r, INDEX, 6), "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 7), "{:#?}", describe(&r));
}

#[test]
fn materialized_views_and_select_into_are_new_relations() {
    let r = lint(
        "CREATE MATERIALIZED VIEW totals AS SELECT user_id, count(*) FROM orders GROUP BY user_id;\n\
         CREATE INDEX totals_user ON totals (user_id);\n\
         SELECT * INTO archive.orders_2020 FROM orders WHERE created_at < '2021-01-01';\n\
         CREATE INDEX orders_2020_id ON archive.orders_2020 (id);\n\
         CREATE TABLE copy AS SELECT * FROM orders;\n\
         CREATE INDEX copy_id ON copy (id);\n\
         CREATE INDEX orders_id ON orders (id);\n",
    );
    assert_eq!(rules_of(&r), vec![INDEX], "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 7), "{:#?}", describe(&r));
}

#[test]
fn a_create_table_that_does_not_parse_still_makes_a_new_table() {
    let r = lint(
        "CREATE TABLE IF NOT EXISTS app.widgets (id bigint, CONSTRAINT c WIBBLE);\n\
         CREATE INDEX widgets_id ON app.widgets (id);\n\
         CREATE INDEX other_id ON app.other (id);\n",
    );
    assert!(fired(&r, "parse-error", 1), "{:#?}", describe(&r));
    assert!(!fired(&r, INDEX, 2), "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 3), "{:#?}", describe(&r));
}

#[test]
fn create_table_if_not_exists_of_a_known_table_is_not_new() {
    let files = [
        SourceFile {
            path: "db/migrate/1_create.sql".into(),
            sql: "CREATE TABLE t (id bigint);\n".into(),
            transaction: None,
        },
        SourceFile {
            path: "db/migrate/2_again.sql".into(),
            sql: "CREATE TABLE IF NOT EXISTS t (id bigint);\n\
                  CREATE INDEX t_id ON t (id);\n\
                  CREATE TABLE IF NOT EXISTS fresh (id bigint);\n\
                  CREATE INDEX fresh_id ON fresh (id);\n"
                .into(),
            transaction: None,
        },
    ];
    let r = zerodown::lint_files(&files, &opts()).expect("lint");
    let second: Vec<u32> = r
        .findings
        .iter()
        .filter(|f| f.rule == INDEX)
        .map(|f| f.span.start.line)
        .collect();
    assert_eq!(second, vec![2], "{:#?}", describe(&r));
}

#[test]
fn an_attached_partition_is_no_longer_new() {
    let r = lint(
        "CREATE TABLE events_2025 (id bigint, at timestamptz);\n\
         CREATE INDEX events_2025_a ON events_2025 (id);\n\
         ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n\
         CREATE INDEX events_2025_b ON events_2025 (at);\n",
    );
    assert!(!fired(&r, INDEX, 2), "{:#?}", describe(&r));
    assert!(fired(&r, INDEX, 4), "{:#?}", describe(&r));
}

// ---- data changes inside WITH ----

#[test]
fn data_changes_inside_with_are_data_migrations() {
    let cases = [
        "WITH moved AS (DELETE FROM orders WHERE archived RETURNING *) INSERT INTO archived_orders SELECT * FROM moved;",
        "WITH stale AS (SELECT id FROM users WHERE last_seen < now() - interval '1 year') UPDATE users SET active = false WHERE id IN (SELECT id FROM stale);",
        "WITH done AS (UPDATE users SET plan = 'free' WHERE plan IS NULL RETURNING id) SELECT count(*) FROM done;",
    ];
    for sql in cases {
        let r = lint(sql);
        assert!(
            rules_of(&r).contains(&"data-migration"),
            "{sql}\n{:#?}",
            describe(&r)
        );
    }
    // The same statements in a post-deployment migration are fine.
    for sql in cases {
        let r = lint_at(sql, "db/post_migrate/20240101_x.sql", &opts());
        assert!(
            !rules_of(&r).contains(&"data-migration"),
            "{sql}\n{:#?}",
            describe(&r)
        );
    }
    let delete = lint(cases[0]);
    let tables: Vec<&str> = delete
        .findings
        .iter()
        .filter(|f| f.rule == "data-migration")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(tables.len(), 2, "{tables:#?}");
    assert!(tables[0].contains("DELETE on `orders`"), "{tables:#?}");
    assert!(tables[1].contains("`archived_orders`"), "{tables:#?}");
}

// ---- compatibility breaks ----

fn two_files(first: &str, second: &str) -> LintReport {
    let files = [
        SourceFile {
            path: "db/migrate/1_first.sql".into(),
            sql: first.into(),
            transaction: None,
        },
        SourceFile {
            path: "db/migrate/2_second.sql".into(),
            sql: second.into(),
            transaction: None,
        },
    ];
    zerodown::lint_files(&files, &opts()).expect("lint")
}

#[test]
fn keys_created_earlier_in_the_run_are_known_by_name() {
    let r = two_files(
        "CREATE TABLE accounts (id bigint PRIMARY KEY, email text, CONSTRAINT one_email UNIQUE (email), CONSTRAINT positive CHECK (id > 0));\n\
         CREATE TABLE tokens (value text, CONSTRAINT token_id PRIMARY KEY (value));\n",
        "SET lock_timeout = '1s';\n\
         ALTER TABLE accounts DROP CONSTRAINT one_email;\n\
         ALTER TABLE accounts DROP CONSTRAINT positive;\n\
         ALTER TABLE accounts DROP CONSTRAINT accounts_pkey;\n\
         ALTER TABLE tokens DROP CONSTRAINT token_id;\n",
    );
    let lines: Vec<(u32, bool)> = r
        .findings
        .iter()
        .filter(|f| f.rule == "drop-key-constraint")
        .map(|f| (f.span.start.line, f.message.contains("primary key")))
        .collect();
    assert_eq!(
        lines,
        vec![(2, false), (4, true), (5, true)],
        "{:#?}",
        describe(&r)
    );
}

// ---- messages that stay true ----

fn message_of(report: &LintReport, rule: &str, line: u32) -> String {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule && f.span.start.line == line)
        .map(|f| f.message.clone())
        .unwrap_or_else(|| panic!("no {rule} at line {line}: {:#?}", describe(report)))
}

#[test]
fn add_column_required_after_the_table_was_emptied() {
    let r = lint(
        "SET lock_timeout = '1s';\n\
         ALTER TABLE a ADD COLUMN x int NOT NULL;\n\
         TRUNCATE a, b;\n\
         ALTER TABLE a ADD COLUMN y int NOT NULL;\n\
         DELETE FROM c;\n\
         ALTER TABLE c ADD COLUMN y int NOT NULL;\n\
         DELETE FROM d WHERE id > 10;\n\
         ALTER TABLE d ADD COLUMN y int NOT NULL;\n\
         INSERT INTO b SELECT * FROM a;\n\
         ALTER TABLE b ADD COLUMN y int NOT NULL;\n",
    );
    let rule = "add-column-required";
    let rows = "fails on a table with rows";
    assert!(message_of(&r, rule, 2).contains(rows));
    for line in [4, 6] {
        let m = message_of(&r, rule, line);
        assert!(!m.contains(rows) && m.contains("emptied"), "{m}");
        assert!(m.contains("breaks every INSERT"), "{m}");
    }
    assert!(message_of(&r, rule, 8).contains(rows));
    assert!(message_of(&r, rule, 10).contains(rows));
}

#[test]
fn a_domain_cast_to_its_base_type_is_not_a_rewrite() {
    let r = two_files(
        "CREATE DOMAIN email AS text;\n\
         CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n\
         CREATE TABLE users (id bigint PRIMARY KEY, address email, note text, score integer, rank integer);\n",
        "SET lock_timeout = '1s';\n\
         ALTER TABLE users ALTER COLUMN address TYPE text;\n\
         ALTER TABLE users ALTER COLUMN note TYPE email;\n\
         ALTER TABLE users ALTER COLUMN score TYPE positive;\n\
         ALTER TABLE users ALTER COLUMN rank TYPE bigint;\n",
    );
    let lines: Vec<u32> = r
        .findings
        .iter()
        .filter(|f| f.rule == "change-column-type")
        .map(|f| f.span.start.line)
        .collect();
    assert_eq!(lines, vec![4, 5], "{:#?}", describe(&r));
}

#[test]
fn a_backfill_under_lock_carries_the_backfill_plan() {
    let sql = "-- zerodown: phase=post-deploy\nBEGIN;\nSET lock_timeout = '1s';\nLOCK TABLE users IN ACCESS EXCLUSIVE MODE;\nUPDATE users SET plan = 'free' WHERE plan IS NULL;\nCOMMIT;\n";
    let options = LintOptions::default();
    let r = lint_at(sql, "db/post_migrate/1_x.sql", &options);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "backfill-under-lock")
        .unwrap_or_else(|| panic!("{:#?}", describe(&r)));
    let plan = serde_json::to_string(f.plan.as_ref().expect("a plan")).expect("json");
    assert!(plan.contains("plan = 'free'"), "{plan}");
}
