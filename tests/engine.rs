//! The engine around the rules: suppression, configuration, phases,
//! transactions, parse-error recovery, positions, and what rules learn from
//! earlier statements and files.

mod common;

use std::collections::BTreeMap;

use common::{describe, lint_at};
use zerodown::lint::{Catalog, FileState};
use zerodown::model::{LintOptions, RuleLevel};
use zerodown::rules::{Diagnostic, Rule, RuleContext};
use zerodown::{Change, LintReport, Phase, Severity, SourceFile};

fn opts() -> LintOptions {
    LintOptions {
        plans: false,
        ..LintOptions::default()
    }
}

fn lint(sql: &str) -> LintReport {
    lint_at(sql, "db/migrate/20240101_x.sql", &opts())
}

/// `(rule, line, column)` of every finding.
fn hits(report: &LintReport) -> Vec<(String, u32, u32)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.span.start.line, f.span.start.column))
        .collect()
}

fn rules_of(report: &LintReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_str()).collect()
}

// ---- suppression ----

#[test]
fn statement_ignore_suppresses_only_the_next_statement() {
    let sql = "SET lock_timeout = '1s';\n\
               -- zerodown-ignore drop-column: ignored since 16.4\n\
               ALTER TABLE users DROP COLUMN a;\n\
               ALTER TABLE users DROP COLUMN b;\n";
    let r = lint(sql);
    assert_eq!(
        hits(&r),
        vec![("drop-column".into(), 4, 31)],
        "{:#?}",
        describe(&r)
    );
}

#[test]
fn ignore_lists_several_rules_and_keeps_the_reason_out() {
    let sql = "-- zerodown-ignore drop-column, missing-lock-timeout: both reviewed\n\
               ALTER TABLE users DROP COLUMN a;\n";
    let r = lint(sql);
    assert!(r.findings.is_empty(), "{:#?}", describe(&r));
    // A reason that mentions another rule id does not suppress it.
    let sql = "-- zerodown-ignore missing-lock-timeout: not drop-column\n\
               ALTER TABLE users DROP COLUMN a;\n";
    assert_eq!(rules_of(&lint(sql)), vec!["drop-column"]);
}

#[test]
fn file_ignore_applies_everywhere_in_the_file() {
    let sql = "SET lock_timeout = '1s';\n\
               ALTER TABLE users DROP COLUMN a;\n\
               -- zerodown-ignore-file drop-column\n\
               ALTER TABLE users DROP COLUMN b;\n";
    let r = lint(sql);
    assert!(r.findings.is_empty(), "{:#?}", describe(&r));
}

#[test]
fn unused_and_unknown_ignores_are_reported() {
    let sql = "SET lock_timeout = '1s';\n\
               -- zerodown-ignore drop-column, rename-column: reviewed\n\
               ALTER TABLE users DROP COLUMN a;\n\
               -- zerodown-ignore-file drop-colum\n";
    let r = lint(sql);
    let unused: Vec<(&str, u32, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.message.as_str(), f.span.start.line, f.severity))
        .collect();
    assert_eq!(r.findings.len(), 2, "{:#?}", describe(&r));
    assert!(r.findings.iter().all(|f| f.rule == "unused-ignore"));
    assert!(unused[0].0.contains("`rename-column`"), "{unused:?}");
    assert_eq!(unused[0].1, 2);
    assert!(
        unused[1].0.contains("`drop-colum` is not a zerodown rule"),
        "{unused:?}"
    );
    assert_eq!(unused[1].1, 4);
    assert!(unused.iter().all(|u| u.2 == Severity::Info));
}

#[test]
fn an_ignore_not_above_a_statement_is_unused() {
    let sql = "ALTER TABLE users DROP COLUMN a; -- zerodown-ignore drop-column\n";
    let r = lint(sql);
    assert!(rules_of(&r).contains(&"drop-column"), "{:#?}", describe(&r));
    assert!(
        rules_of(&r).contains(&"unused-ignore"),
        "{:#?}",
        describe(&r)
    );
}

// ---- configuration ----

#[test]
fn rules_can_be_turned_off_or_given_another_severity() {
    let sql = "ALTER TABLE users DROP COLUMN a;\nDROP INDEX i;\n";
    let mut o = opts();
    o.rules = BTreeMap::from([
        ("drop-column".to_string(), RuleLevel::Off),
        ("drop-index-non-concurrently".to_string(), RuleLevel::Error),
        ("missing-lock-timeout".to_string(), RuleLevel::Info),
    ]);
    let r = lint_at(sql, "db/migrate/x.sql", &o);
    let got: Vec<(&str, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("missing-lock-timeout", Severity::Info),
            ("drop-index-non-concurrently", Severity::Error)
        ]
    );
    assert_eq!(r.summary.errors, 1);
    assert_eq!(r.summary.infos, 1);
}

#[test]
fn a_configured_severity_beats_the_rules_own_choice() {
    // drop-column picks warning in post-deploy; configuration wins.
    let sql = "-- zerodown: phase=post-deploy\nSET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN a;\n";
    let mut o = opts();
    o.rules.insert("drop-column".to_string(), RuleLevel::Error);
    let r = lint_at(sql, "x.sql", &o);
    assert_eq!(r.findings[0].severity, Severity::Error);
}

#[test]
fn unknown_rules_in_options_are_rejected() {
    let mut o = opts();
    o.rules.insert("no-such-rule".to_string(), RuleLevel::Off);
    let e = zerodown::lint("SELECT 1", "x.sql", &o).expect_err("unknown rule");
    assert_eq!(e.code, zerodown::ErrorCode::UnknownRule);
}

#[test]
fn config_file_rules_reach_the_linter() {
    let o = zerodown::config::parse_config(
        "pg-version = 10\nlarge-tables = [\"users\"]\n[rules]\nmissing-lock-timeout = \"off\"\n",
        "zerodown.toml",
    )
    .expect("valid config");
    let sql = "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\n";
    let r = lint_at(sql, "db/migrate/x.sql", &o);
    // pg 10: any default rewrites the table; the lock rule is off.
    assert_eq!(rules_of(&r), vec!["add-column-volatile-default"]);
}

// ---- phases ----

#[test]
fn phase_comes_from_the_path() {
    let sql = "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN a;\n";
    let regular = lint_at(sql, "db/migrate/20240101_drop.sql", &opts());
    let post = lint_at(sql, "db/post_migrate/20240101_drop.sql", &opts());
    assert_eq!(regular.files[0].phase, Phase::Regular);
    assert_eq!(regular.findings[0].severity, Severity::Error);
    assert_eq!(post.files[0].phase, Phase::PostDeploy);
    assert_eq!(post.findings[0].severity, Severity::Warning);
    assert!(post.findings[0].message.contains("ignored the column"));
}

#[test]
fn phase_option_overrides_path_and_header() {
    let sql = "-- zerodown: phase=regular\nSET lock_timeout = '1s';\nDROP TABLE t;\n";
    let mut o = opts();
    o.phase = Some(Phase::PostDeploy);
    let r = lint_at(sql, "db/migrate/x.sql", &o);
    assert_eq!(r.files[0].phase, Phase::PostDeploy);
    assert!(r.findings.is_empty(), "{:#?}", describe(&r));
}

#[test]
fn header_overrides_path() {
    let sql = "-- zerodown: phase=post-deploy\nSET lock_timeout = '1s';\nDROP TABLE t;\n";
    let r = lint_at(sql, "db/migrate/x.sql", &opts());
    assert_eq!(r.files[0].phase, Phase::PostDeploy);
    assert!(r.findings.is_empty(), "{:#?}", describe(&r));
    // A header after the first statement is not a header.
    let sql = "SET lock_timeout = '1s';\n-- zerodown: phase=post-deploy\nDROP TABLE t;\n";
    let r = lint_at(sql, "db/migrate/x.sql", &opts());
    assert_eq!(rules_of(&r), vec!["drop-table"]);
}

// ---- transactions ----

#[test]
fn begin_and_commit_are_tracked() {
    let sql = "CREATE INDEX CONCURRENTLY a ON t (x);\n\
               BEGIN;\n\
               CREATE INDEX CONCURRENTLY b ON t (x);\n\
               COMMIT;\n\
               CREATE INDEX CONCURRENTLY c ON t (x);\n";
    let r = lint(sql);
    assert_eq!(hits(&r), vec![("concurrently-in-transaction".into(), 3, 1)]);
}

#[test]
fn assumed_transaction_covers_the_whole_file() {
    let sql = "CREATE INDEX CONCURRENTLY a ON t (x);\nCREATE INDEX CONCURRENTLY b ON t (x);\n";
    let mut o = opts();
    o.assume_in_transaction = true;
    let r = lint_at(sql, "x.sql", &o);
    assert_eq!(
        hits(&r),
        vec![
            ("concurrently-in-transaction".into(), 1, 1),
            ("concurrently-in-transaction".into(), 2, 1)
        ]
    );
    assert!(r.findings[0].message.contains("assumed"));
}

#[test]
fn validate_after_commit_is_a_new_transaction() {
    let add = "ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\n";
    let val = "ALTER TABLE t VALIDATE CONSTRAINT c;\n";
    let same = format!("SET lock_timeout = '1s';\nBEGIN;\n{add}{val}COMMIT;\n");
    let split = format!("SET lock_timeout = '1s';\nBEGIN;\n{add}COMMIT;\nBEGIN;\n{val}COMMIT;\n");
    assert_eq!(rules_of(&lint(&same)), vec!["validate-in-same-transaction"]);
    assert!(lint(&split).findings.is_empty());
    // Without a transaction each statement commits on its own.
    assert!(lint(&format!("SET lock_timeout = '1s';\n{add}{val}"))
        .findings
        .is_empty());
}

// ---- parse errors ----

#[test]
fn linting_goes_on_after_a_statement_that_does_not_parse() {
    let sql = "SET lock_timeout = '1s';\n\
               ALTER TABLE users ADD COLUMN;\n\
               CREATE TABLE (;\n\
               ALTER TABLE users DROP COLUMN a;\n";
    let r = lint(sql);
    let got = hits(&r);
    assert_eq!(got.len(), 3, "{:#?}", describe(&r));
    assert_eq!(got[0].0, "parse-error");
    assert_eq!(got[0].1, 2);
    assert_eq!(got[1].0, "parse-error");
    assert_eq!(got[1].1, 3);
    assert_eq!(got[2], ("drop-column".into(), 4, 31));
    assert_eq!(r.files[0].statements, 4);
}

#[test]
fn parse_errors_can_be_suppressed() {
    let sql =
        "-- zerodown-ignore parse-error: new syntax, reviewed\nALTER TABLE users ADD COLUMN;\n";
    assert!(lint(sql).findings.is_empty());
}

// ---- positions ----

#[test]
fn spans_point_at_the_token_after_non_ascii_text() {
    // "SELECT '🎉'; " is 12 characters, 15 bytes and 13 UTF-16 units.
    let sql = "-- größe\nSELECT '🎉'; CREATE INDEX i ON users (email);\n";
    let r = lint(sql);
    assert_eq!(r.findings.len(), 1, "{:#?}", describe(&r));
    let s = r.findings[0].span;
    let line_start = "-- größe\n".len() as u32; // 11 bytes
    let line_start16 = "-- größe\n".encode_utf16().count() as u32; // 9 units
    assert_eq!((s.start.line, s.start.column), (2, 13));
    assert_eq!(s.start.offset, line_start + 15);
    assert_eq!(s.start.utf16, line_start16 + 13);
    assert_eq!(
        &sql[s.start.offset as usize..s.end.offset as usize],
        "CREATE INDEX i ON users (email)"
    );
}

#[test]
fn spans_inside_an_alter_point_at_the_action() {
    let sql =
        "SET lock_timeout = '1s';\nALTER TABLE \"Ärger\" ALTER COLUMN \"Größe\" SET NOT NULL;\n";
    let r = lint(sql);
    let f = &r.findings[0];
    assert_eq!(f.rule, "set-not-null");
    assert_eq!((f.span.start.line, f.span.start.column), (2, 34));
    assert!(sql[f.span.start.offset as usize..].starts_with("\"Größe\""));
    let before = &sql[..f.span.start.offset as usize];
    assert_eq!(f.span.start.utf16 as usize, before.encode_utf16().count());
    // The statement span covers the whole statement, without the `;`.
    assert_eq!(f.statement.start.line, 2);
    assert_eq!(f.statement.start.column, 1);
    assert!(sql[..f.statement.end.offset as usize].ends_with("SET NOT NULL"));
}

// ---- what earlier statements and files tell ----

fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
    list.iter()
        .map(|(p, s)| SourceFile {
            path: (*p).to_string(),
            sql: (*s).to_string(),
            transaction: None,
        })
        .collect()
}

#[test]
fn column_types_from_earlier_files_decide_type_changes() {
    let create = "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100), score numeric(10,2), ip cidr, at timestamp(3), code varchar(20), n integer);\n\
                  -- zerodown-ignore-file prefer-text-field, prefer-timestamptz, prefer-bigint\n";
    let alter = "SET lock_timeout = '1s';\n\
                 ALTER TABLE users ALTER COLUMN name TYPE varchar(255);\n\
                 ALTER TABLE users ALTER COLUMN name TYPE text;\n\
                 ALTER TABLE users ALTER COLUMN score TYPE numeric(12,2);\n\
                 ALTER TABLE users ALTER COLUMN ip TYPE inet;\n\
                 ALTER TABLE users ALTER COLUMN at TYPE timestamp(6);\n\
                 ALTER TABLE users ALTER COLUMN code TYPE varchar(10);\n\
                 ALTER TABLE users ALTER COLUMN at TYPE timestamptz;\n\
                 ALTER TABLE users ALTER COLUMN n TYPE bigint;\n";
    let r = zerodown::lint_files(
        &files(&[
            ("db/migrate/1_create.sql", create),
            ("db/migrate/2_alter.sql", alter),
        ]),
        &opts(),
    )
    .expect("lint");
    let got: Vec<(u32, Severity)> = r
        .findings
        .iter()
        .filter(|f| f.rule == "change-column-type")
        .map(|f| (f.span.start.line, f.severity))
        .collect();
    // Only shrinking varchar, timestamp -> timestamptz and integer -> bigint rewrite.
    assert_eq!(
        got,
        vec![
            (7, Severity::Error),
            (8, Severity::Error),
            (9, Severity::Error)
        ],
        "{:#?}",
        describe(&r)
    );
    let tz = r
        .findings
        .iter()
        .find(|f| f.span.start.line == 8)
        .expect("tz");
    assert!(tz.message.contains("UTC"), "{}", tz.message);
    let shrink = r
        .findings
        .iter()
        .find(|f| f.span.start.line == 7)
        .expect("shrink");
    assert!(
        shrink.message.contains("from varchar(20) to varchar(10)"),
        "{}",
        shrink.message
    );
}

#[test]
fn tables_from_earlier_files_are_not_new() {
    let r = zerodown::lint_files(
        &files(&[
            (
                "db/migrate/1.sql",
                "CREATE TABLE t (id bigint PRIMARY KEY, x text);\n",
            ),
            ("db/migrate/2.sql", "CREATE INDEX i ON t (x);\n"),
        ]),
        &opts(),
    )
    .expect("lint");
    assert_eq!(rules_of(&r), vec!["add-index-non-concurrently"]);
    assert_eq!(r.findings[0].path, "db/migrate/2.sql");
}

/// Runs one rule over `sql` the way the engine does and returns what it pushed.
fn diagnostics(rule: &dyn Rule, sql: &str, options: &LintOptions) -> Vec<Diagnostic> {
    let mut state = FileState::new(options);
    let mut catalog = Catalog::default();
    let mut out = Vec::new();
    for raw in zerodown::sql::split(sql).statements {
        let stmt = zerodown::sql::lower(sql, raw.span.clone());
        for op in &stmt.ops {
            let cx = RuleContext {
                options,
                phase: Phase::Regular,
                statement: &stmt,
                state: &state,
                catalog: &catalog,
                source: sql,
                file_scan: &zerodown::rules::FileScan::default(),
            };
            rule.check(op, &cx, &mut out);
            state.apply(op, options);
            catalog.apply(op);
        }
    }
    out
}

#[test]
fn findings_carry_the_change_to_plan() {
    let o = opts();
    let d = diagnostics(
        &zerodown::rules::RenameColumn,
        "CREATE TABLE users (id bigint, status text DEFAULT 'new');\nCOMMIT;\nALTER TABLE users RENAME COLUMN status TO state;",
        &o,
    );
    // The table is new in this file: no finding.
    assert!(d.is_empty());

    let mut catalog = Catalog::default();
    let state = FileState::new(&o);
    let create = "CREATE TABLE users (id bigint, status text DEFAULT 'new')";
    for op in zerodown::sql::lower(create, 0..create.len()).ops {
        catalog.apply(&op);
    }
    let rename = "ALTER TABLE users RENAME COLUMN status TO state";
    let stmt = zerodown::sql::lower(rename, 0..rename.len());
    let mut out = Vec::new();
    let cx = RuleContext {
        options: &o,
        phase: Phase::Regular,
        statement: &stmt,
        state: &state,
        catalog: &catalog,
        source: rename,
        file_scan: &zerodown::rules::FileScan::default(),
    };
    zerodown::rules::RenameColumn.check(&stmt.ops[0], &cx, &mut out);
    assert_eq!(
        out[0].change,
        Some(Change::RenameColumn {
            table: "users".into(),
            column: "status".into(),
            new_name: "state".into(),
            column_type: Some("text".into()),
            has_default: true,
        })
    );
    assert!(out[0].help.contains("has a default"));

    let d = diagnostics(
        &zerodown::rules::DataMigration,
        "UPDATE users SET plan = 'free' WHERE plan IS NULL",
        &o,
    );
    assert_eq!(
        d[0].change,
        Some(Change::Backfill {
            table: "users".into(),
            set: "plan = 'free'".into(),
            predicate: Some("plan IS NULL".into()),
            batch_size: None,
        })
    );

    let d = diagnostics(
        &zerodown::rules::AddForeignKey,
        "ALTER TABLE issues ADD CONSTRAINT fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE",
        &o,
    );
    assert_eq!(
        d[0].change,
        Some(Change::AddForeignKey {
            table: "issues".into(),
            columns: vec!["project_id".into()],
            ref_table: "projects".into(),
            ref_columns: vec!["id".into()],
            name: Some("fk".into()),
            on_delete: Some("CASCADE".into()),
        })
    );

    let d = diagnostics(
        &zerodown::rules::DropColumn,
        "ALTER TABLE app.users DROP COLUMN updated_at",
        &o,
    );
    assert_eq!(
        d[0].change,
        Some(Change::DropColumn {
            table: "app.users".into(),
            column: "updated_at".into(),
        })
    );
}

// ---- the same through the CLI ----

#[test]
fn bad_lock_timeout_options_are_clear_errors() {
    for (lock_timeout, max, says) in [
        (Some("0"), "2s", "lock-timeout: a lock timeout of 0"),
        (Some("5 sec"), "2s", "lock-timeout: `5 sec`"),
        (None, "soon", "max-lock-timeout: `soon`"),
        (None, "30d", "max-lock-timeout: `30d`"),
    ] {
        let options = LintOptions {
            lock_timeout: lock_timeout.map(str::to_string),
            max_lock_timeout: max.to_string(),
            ..LintOptions::default()
        };
        let e = zerodown::lint("SELECT 1;", "a.sql", &options).unwrap_err();
        assert_eq!(e.code, zerodown::ErrorCode::BadOptions, "{says}");
        assert!(e.message.starts_with(says), "{says}: {}", e.message);
    }
    // Within range, the plans a finding carries use them.
    let options = LintOptions {
        lock_timeout: Some("300ms".into()),
        lock_retries: Some(3),
        ..LintOptions::default()
    };
    let r = zerodown::lint("ALTER TABLE users DROP COLUMN legacy;\n", "a.sql", &options).unwrap();
    let plan = r
        .findings
        .iter()
        .find_map(|f| f.plan.as_ref())
        .expect("a plan");
    let sql: String = plan.steps().filter_map(|(_, s)| s.sql.clone()).collect();
    assert!(sql.contains("least(100 * zerodown_attempt, 300)"), "{sql}");
    assert!(sql.contains("IF zerodown_attempt > 3 THEN"), "{sql}");
}

fn run_cli(dir: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .current_dir(dir)
        .args(["lint", "--format", "json", "--no-plans"])
        .args(args)
        .output()
        .expect("run zerodown");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn cli_phase_flag_and_rule_levels() {
    let dir = std::env::temp_dir().join(format!("zerodown-engine-{}", std::process::id()));
    let migrate = dir.join("db/migrate");
    std::fs::create_dir_all(&migrate).expect("temp dir");
    std::fs::write(
        migrate.join("1_drop.sql"),
        "SET lock_timeout = '1s';\nDROP TABLE legacy_events;\n",
    )
    .expect("write");
    let rules = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| f["rule"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (code, json) = run_cli(&dir, &["db"]);
    assert_eq!((code, rules(&json)), (1, vec!["drop-table".to_string()]));
    assert_eq!(json["files"][0]["phase"], "regular");
    assert_eq!(json["findings"][0]["span"]["start"]["line"], 2);

    let (code, json) = run_cli(&dir, &["--phase", "post-deploy", "db"]);
    assert_eq!((code, rules(&json)), (0, Vec::<String>::new()));
    assert_eq!(json["files"][0]["phase"], "post-deploy");

    let (code, json) = run_cli(&dir, &["--rule", "drop-table=warning", "db"]);
    assert_eq!(code, 0);
    assert_eq!(json["findings"][0]["severity"], "warning");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_foreign_key_span_ends_at_its_closing_parenthesis() {
    let sql = "ALTER TABLE a ADD CONSTRAINT fk FOREIGN KEY (b) REFERENCES c (id);\nALTER TABLE a ADD COLUMN d bigint REFERENCES c ( id );\n";
    let r = zerodown::lint(sql, "m.sql", &zerodown::LintOptions::default()).unwrap();
    let spans: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "add-foreign-key")
        .map(|f| &sql[f.span.start.offset as usize..f.span.end.offset as usize])
        .collect();
    assert_eq!(
        spans,
        [
            "fk FOREIGN KEY (b) REFERENCES c (id)",
            "d bigint REFERENCES c ( id )"
        ]
    );
}

#[test]
fn an_inline_not_null_check_of_an_earlier_file_makes_set_not_null_safe() {
    let files = |column: &str| {
        vec![
            SourceFile {
                path: "db/migrate/1_create.sql".into(),
                sql: format!("CREATE TABLE notes (id bigint, body text, CONSTRAINT check_body CHECK ({column} IS NOT NULL));\n"),
                transaction: None,
            },
            SourceFile {
                path: "db/migrate/2_set.sql".into(),
                sql: "SET lock_timeout = '1s';\nALTER TABLE notes ALTER COLUMN body SET NOT NULL;\n".into(),
                transaction: None,
            },
        ]
    };
    let set_not_null = |column: &str| {
        let report = zerodown::lint_files(&files(column), &opts()).expect("valid options");
        report
            .findings
            .iter()
            .filter(|f| f.rule == "set-not-null")
            .count()
    };
    // A CHECK in CREATE TABLE is validated: the scan is skipped (PostgreSQL 12+).
    assert_eq!(set_not_null("body"), 0);
    // A check of another column proves nothing about this one.
    assert_eq!(set_not_null("id"), 1);
}
