//! Every plan's SQL parses, and linting each migration step as the file
//! `--format sql` writes (its phase from the header, inside BEGIN/COMMIT
//! unless marked to run outside a transaction) gives no error-level finding.
//! Rollbacks must parse too.

#![allow(clippy::unwrap_used)]

use zerodown::model::LintOptions;
use zerodown::plan::{plan, Calendar, Framework, Plan, PlanOptions};
use zerodown::report::{plan_files, render_plan_text};
use zerodown::{Change, Severity};

fn changes() -> Vec<Change> {
    vec![
        Change::DropColumn {
            table: "users".into(),
            column: "updated_at".into(),
        },
        Change::RenameColumn {
            table: "users".into(),
            column: "username".into(),
            new_name: "handle".into(),
            column_type: None,
            has_default: false,
        },
        Change::RenameColumn {
            table: "public.users".into(),
            column: "username".into(),
            new_name: "handle".into(),
            column_type: Some("varchar(255)".into()),
            has_default: false,
        },
        Change::ChangeColumnType {
            table: "users".into(),
            column: "settings".into(),
            new_type: "jsonb".into(),
            using: Some("settings::jsonb".into()),
            column_type: Some("text".into()),
        },
        Change::ChangeColumnType {
            table: "users".into(),
            column: "age".into(),
            new_type: "bigint".into(),
            using: None,
            column_type: None,
        },
        Change::ChangeColumnDefault {
            table: "ci_builds".into(),
            column: "partition_id".into(),
            default: Some("101".into()),
        },
        Change::ChangeColumnDefault {
            table: "ci_builds".into(),
            column: "partition_id".into(),
            default: None,
        },
        Change::SetNotNull {
            table: "users".into(),
            column: "email".into(),
        },
        Change::AddCheckConstraint {
            table: "users".into(),
            name: None,
            expression: "char_length(name) <= 255".into(),
        },
        Change::AddForeignKey {
            table: "issues".into(),
            columns: vec!["project_id".into()],
            ref_table: "projects".into(),
            ref_columns: vec!["id".into()],
            name: None,
            on_delete: Some("cascade".into()),
        },
        Change::AddUniqueConstraint {
            table: "users".into(),
            columns: vec!["email".into()],
            name: None,
            primary_key: false,
        },
        Change::AddUniqueConstraint {
            table: "events".into(),
            columns: vec!["id".into()],
            name: None,
            primary_key: true,
        },
        Change::AddIndex {
            table: "users".into(),
            columns: vec!["lower(email)".into()],
            name: None,
            unique: true,
            method: Some("btree".into()),
            predicate: Some("deleted_at IS NULL".into()),
        },
        Change::DropIndex {
            name: "index_users_on_email".into(),
            table: Some("users".into()),
        },
        Change::DropTable {
            table: "legacy_events".into(),
        },
        Change::RenameTable {
            table: "users".into(),
            new_name: "accounts".into(),
        },
        Change::BigintPrimaryKey {
            table: "merge_request_metrics".into(),
            column: "id".into(),
        },
        Change::Backfill {
            table: "users".into(),
            set: "score = 0".into(),
            predicate: Some("score IS NULL".into()),
            batch_size: Some(500),
        },
        Change::Backfill {
            table: "users".into(),
            set: "flags = flags | 4".into(),
            predicate: None,
            batch_size: None,
        },
        Change::DataFormatChange {
            table: "users".into(),
            column: "settings".into(),
            new_column: "settings_json".into(),
            new_type: "jsonb".into(),
            transform: "settings::jsonb".into(),
        },
        Change::RenameEnumValue {
            type_name: "issue_state".into(),
            value: "open".into(),
            new_value: "opened".into(),
        },
        Change::ReplaceView {
            view: "active_users".into(),
            new_name: "active_people".into(),
            definition: "SELECT id, name AS full_name FROM users".into(),
        },
    ]
}

fn option_sets() -> Vec<PlanOptions> {
    vec![
        PlanOptions {
            release: Some("16.4".into()),
            ..PlanOptions::default()
        },
        PlanOptions {
            release: Some("12.5".into()),
            framework: Framework::Rails,
            calendar: Some(Calendar::parse("monthly:22:2019-11").unwrap()),
            pg_version: zerodown::model::PgVersion::new(11).unwrap(),
            column_type: Some("timestamptz".into()),
            previous_default: Some("100".into()),
            index_definition: Some(
                "CREATE INDEX index_users_on_email ON public.users USING btree (email)".into(),
            ),
            ..PlanOptions::default()
        },
        PlanOptions {
            pg_version: zerodown::model::PgVersion::new(10).unwrap(),
            ..PlanOptions::default()
        },
    ]
}

fn lint_errors(path: &str, sql: &str) -> Vec<String> {
    let report = zerodown::lint(sql, path, &LintOptions::default()).unwrap();
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            format!(
                "{} at {}:{}: {}",
                f.rule, f.span.start.line, f.span.start.column, f.message
            )
        })
        .collect()
}

fn check(plan: &Plan) -> Vec<String> {
    let mut problems = Vec::new();
    let steps: Vec<_> = plan
        .steps()
        .map(|(_, s)| s)
        .filter(|s| s.is_migration())
        .collect();
    let files: Vec<_> = plan_files(plan)
        .into_iter()
        .filter(|f| f.path.ends_with(".sql"))
        .collect();
    assert_eq!(steps.len(), files.len(), "one file per migration step");
    // Lint the plan's files together, in step order, as written: the
    // header gives each file its phase, and what earlier steps did (a
    // validated check) is known to later ones.
    let sources: Vec<zerodown::SourceFile> = files
        .iter()
        .enumerate()
        .map(|(i, f)| zerodown::SourceFile {
            path: format!("plan/{i:03}/{}", f.path),
            sql: f.contents.clone(),
            transaction: None,
        })
        .collect();
    let report = zerodown::lint_files(&sources, &LintOptions::default()).unwrap();
    for (step, (file, src)) in steps.iter().zip(files.iter().zip(&sources)) {
        let summary = report.files.iter().find(|s| s.path == src.path).unwrap();
        assert_eq!(
            Some(summary.phase),
            step.phase.lint_phase(),
            "{}: phase from the header",
            file.path
        );
        assert!(summary.statements > 0, "{}: no statement seen", file.path);
        for f in report
            .findings
            .iter()
            .filter(|f| f.path == src.path && f.severity == Severity::Error)
        {
            problems.push(format!(
                "{} ({}): {} at {}:{}: {}\n{}",
                plan.change_name(),
                file.path,
                f.rule,
                f.span.start.line,
                f.span.start.column,
                f.message,
                file.contents
            ));
        }
        if let Some(down) = &step.down {
            // Rollbacks are not linted for safety (undoing a step may be
            // destructive by nature) but must parse.
            let r = zerodown::lint(down, "down.sql", &LintOptions::default()).unwrap();
            for f in r.findings.iter().filter(|f| f.rule == "parse-error") {
                problems.push(format!(
                    "{} rollback of `{}` does not parse: {}\n{down}",
                    plan.change_name(),
                    step.title,
                    f.message
                ));
            }
        }
    }
    problems
}

#[test]
fn every_kind_is_covered() {
    let kinds: Vec<&str> = changes().iter().map(|c| c.kind()).collect();
    for k in Change::KINDS {
        assert!(kinds.contains(k), "no lint check for {k}");
    }
}

#[test]
fn every_step_parses_and_lints_clean_in_its_phase() {
    let mut problems = Vec::new();
    for o in option_sets() {
        for c in changes() {
            let p = plan(&c, &o).unwrap_or_else(|e| panic!("{}: {e}", c.kind()));
            assert!(
                p.releases.iter().all(|r| !r.steps.is_empty()),
                "{}: empty release",
                c.kind()
            );
            problems.extend(check(&p));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_check_has_teeth() {
    // The same check on an unsafe migration finds the error: it is not
    // vacuous.
    let errs = lint_errors(
        "db/migrate/x.sql",
        "-- zerodown: phase=regular\nCREATE INDEX i ON users (email);\n",
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("add-index-non-concurrently")),
        "{errs:?}"
    );
    let errs = lint_errors("x.sql", "ALTER TABLE users ADD COLUMN x int DEFAULT (;\n");
    assert!(
        errs.iter().any(|e| e.starts_with("parse-error")),
        "{errs:?}"
    );
}

#[test]
fn migration_files_carry_the_header_issue_4_reads() {
    let c = Change::RenameColumn {
        table: "users".into(),
        column: "username".into(),
        new_name: "handle".into(),
        column_type: None,
        has_default: false,
    };
    let p = plan(
        &c,
        &PlanOptions {
            release: Some("9.0".into()),
            ..PlanOptions::default()
        },
    )
    .unwrap();
    let files = plan_files(&p);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "9.0/regular/01_add_users_handle.sql",
            "9.0/regular/02_copy_users_username_to_handle.sql",
            "9.0/regular/03_check_users_handle_indexes.sql",
            "9.0/regular/04_copy_users_username_constraints.sql",
            "9.0/regular/05_validate_users_handle_constraints.sql",
            "9.0/post-deploy/06_cleanup_users_username_rename.sql",
            "9.0/CODE.md",
            "9.1/CODE.md",
        ]
    );
    assert!(files[0]
        .contents
        .starts_with("-- zerodown: change=rename-column-users-username step=1 phase=regular\n"));
    assert!(files[1]
        .contents
        .contains("-- zerodown: transaction=false\n"));
    assert!(!files[1].contents.contains("BEGIN;"));
    assert!(files[0].contents.contains("\nBEGIN;\n"));
    assert!(files[5].contents.starts_with(
        "-- zerodown: change=rename-column-users-username step=6 phase=post-deploy\n"
    ));
    assert!(files[6]
        .contents
        .contains("Use `handle` instead of `username`"));
}

#[test]
fn renaming_a_column_with_a_default_is_refused_with_the_reason() {
    let c = Change::RenameColumn {
        table: "users".into(),
        column: "state".into(),
        new_name: "status".into(),
        column_type: None,
        has_default: true,
    };
    let e = plan(&c, &PlanOptions::default()).unwrap_err();
    assert_eq!(e.code, zerodown::ErrorCode::BadChange);
    assert!(e.message.contains("has a default"), "{}", e.message);
    assert!(zerodown::plan::plan_for_lint(&c, &LintOptions::default()).is_none());
}

#[test]
fn findings_carry_plans_laid_out_from_the_release() {
    let o = LintOptions {
        release: Some("16.4".into()),
        ..LintOptions::default()
    };
    let r = zerodown::lint("CREATE INDEX i ON users (email);", "db/migrate/1.sql", &o).unwrap();
    let plan = r.findings[0].plan.as_ref().expect("a plan");
    assert_eq!(plan.releases[0].version, "16.4");
    assert!(plan.releases[0].steps[0].sql.as_deref().unwrap().contains(
        "DROP INDEX CONCURRENTLY IF EXISTS i;\nCREATE INDEX CONCURRENTLY i ON users (email)"
    ));
}

// Text timelines, as `zerodown plan` prints them.
fn snap(c: Change, o: PlanOptions) -> String {
    render_plan_text(&plan(&c, &o).unwrap())
}

#[test]
fn timeline_drop_column_rails_with_calendar() {
    insta::assert_snapshot!(snap(
        Change::DropColumn {
            table: "users".into(),
            column: "updated_at".into()
        },
        PlanOptions {
            release: Some("12.5".into()),
            framework: Framework::Rails,
            calendar: Some(Calendar::parse("2019-11-22,2019-12-22,2020-01-22").unwrap()),
            column_type: Some("timestamp with time zone".into()),
            ..PlanOptions::default()
        }
    ));
}

#[test]
fn timeline_add_foreign_key() {
    insta::assert_snapshot!(snap(
        Change::AddForeignKey {
            table: "issues".into(),
            columns: vec!["project_id".into()],
            ref_table: "projects".into(),
            ref_columns: vec!["id".into()],
            name: None,
            on_delete: None
        },
        PlanOptions {
            release: Some("16.4".into()),
            ..PlanOptions::default()
        }
    ));
}

#[test]
fn timeline_set_not_null_relative_labels() {
    insta::assert_snapshot!(snap(
        Change::SetNotNull {
            table: "users".into(),
            column: "email".into()
        },
        PlanOptions::default()
    ));
}

#[test]
fn timeline_rename_table_rails_with_rollover() {
    insta::assert_snapshot!(snap(
        Change::RenameTable {
            table: "users".into(),
            new_name: "accounts".into()
        },
        PlanOptions {
            release: Some("16.11".into()),
            rollover: Some(11),
            framework: Framework::Rails,
            ..PlanOptions::default()
        }
    ));
}

#[test]
fn timeline_bigint_primary_key() {
    insta::assert_snapshot!(snap(
        Change::BigintPrimaryKey {
            table: "merge_request_metrics".into(),
            column: "id".into()
        },
        PlanOptions {
            release: Some("16.4".into()),
            framework: Framework::Rails,
            calendar: Some(Calendar::parse("monthly:3-thu:2023-09").unwrap()),
            ..PlanOptions::default()
        }
    ));
}

// Every change kind and variant above, and the branches the planners take on
// options (framework, PostgreSQL 9/10/11/12+, known or unknown current state,
// lock and batch settings), as text timelines plus the file names
// `--format sql` writes. These snapshots are the guard for refactorings that
// must not change a byte of a plan (issue 14: the SQL moved to templates).
fn more_variants() -> Vec<Change> {
    vec![
        Change::DropColumn {
            table: "public.Users".into(),
            column: "order".into(),
        },
        Change::RenameColumn {
            table: "users".into(),
            column: "state".into(),
            new_name: "status".into(),
            column_type: None,
            has_default: true,
        },
        Change::ChangeColumnType {
            table: "app.users".into(),
            column: "id".into(),
            new_type: "bigint".into(),
            using: Some("id".into()),
            column_type: Some("integer".into()),
        },
        Change::AddCheckConstraint {
            table: "public.users".into(),
            name: Some("users_name_length".into()),
            expression: "char_length(name) <= 255".into(),
        },
        Change::AddForeignKey {
            table: "public.issues".into(),
            columns: vec!["project_id".into(), "tenant_id".into()],
            ref_table: "public.projects".into(),
            ref_columns: vec!["id".into(), "tenant_id".into()],
            name: Some("fk_issues_projects".into()),
            on_delete: Some("set null".into()),
        },
        Change::AddForeignKey {
            table: "issues".into(),
            columns: vec!["project_id".into()],
            ref_table: "projects".into(),
            ref_columns: vec!["id".into()],
            name: None,
            on_delete: None,
        },
        Change::AddUniqueConstraint {
            table: "public.users".into(),
            columns: vec!["email".into(), "tenant_id".into()],
            name: Some("users_email_tenant".into()),
            primary_key: false,
        },
        Change::AddUniqueConstraint {
            table: "app.events".into(),
            columns: vec!["id".into()],
            name: Some("events_pk".into()),
            primary_key: true,
        },
        Change::AddIndex {
            table: "public.users".into(),
            columns: vec!["email".into(), "created_at DESC".into()],
            name: Some("index_users_on_email_created".into()),
            unique: false,
            method: None,
            predicate: None,
        },
        Change::DropIndex {
            name: "public.index_users_on_email".into(),
            table: None,
        },
        Change::DropTable {
            table: "public.legacy_events".into(),
        },
        Change::RenameTable {
            table: "public.users".into(),
            new_name: "accounts".into(),
        },
        Change::BigintPrimaryKey {
            table: "public.events".into(),
            column: "event_id".into(),
        },
        Change::SetNotNull {
            table: "public.users".into(),
            column: "Email".into(),
        },
        Change::ChangeColumnDefault {
            table: "public.users".into(),
            column: "state".into(),
            default: Some("'active'".into()),
        },
        Change::DataFormatChange {
            table: "public.users".into(),
            column: "order".into(),
            new_column: "order_json".into(),
            new_type: "jsonb".into(),
            transform: "to_jsonb(\"order\")".into(),
        },
    ]
}

fn full_snapshot(o: &PlanOptions) -> String {
    let mut out = String::new();
    for c in changes().into_iter().chain(more_variants()) {
        out.push_str(&format!("==== {}\n", serde_json::to_string(&c).unwrap()));
        match plan(&c, o) {
            Ok(p) => {
                out.push_str(&render_plan_text(&p));
                out.push_str("files:\n");
                for f in plan_files(&p) {
                    out.push_str(&format!("  {}\n", f.path));
                }
            }
            Err(e) => out.push_str(&format!("error: {}\n", e.message)),
        }
    }
    out
}

#[test]
fn every_plan_plain_pg14() {
    insta::assert_snapshot!(full_snapshot(&PlanOptions {
        release: Some("16.4".into()),
        ..PlanOptions::default()
    }));
}

#[test]
fn every_plan_rails_pg11_known_state() {
    insta::assert_snapshot!(full_snapshot(&PlanOptions {
        release: Some("12.5".into()),
        rollover: Some(11),
        framework: Framework::Rails,
        calendar: Some(Calendar::parse("monthly:22:2019-11").unwrap()),
        pg_version: zerodown::model::PgVersion::new(11).unwrap(),
        not_null: Some(true),
        column_type: Some("timestamptz".into()),
        previous_default: Some("100".into()),
        index_definition: Some(
            "CREATE INDEX index_users_on_email ON public.users USING btree (email)".into(),
        ),
        ..PlanOptions::default()
    }));
}

#[test]
fn every_plan_plain_pg10() {
    insta::assert_snapshot!(full_snapshot(&PlanOptions {
        pg_version: zerodown::model::PgVersion::new(10).unwrap(),
        not_null: Some(false),
        previous_default: Some("NULL".into()),
        ..PlanOptions::default()
    }));
}

#[test]
fn every_plan_rails_pg9_tight_locks() {
    insta::assert_snapshot!(full_snapshot(&PlanOptions {
        framework: Framework::Rails,
        pg_version: zerodown::model::PgVersion::new(9).unwrap(),
        lock_timeout: "200ms".into(),
        lock_retries: 0,
        batch_column: "key".into(),
        batch_size: 1000,
        previous_default: Some(String::new()),
        index_definition: Some(
            "CREATE UNIQUE INDEX CONCURRENTLY index_users_on_email ON public.users (email)".into(),
        ),
        ..PlanOptions::default()
    }));
}

// Issue 14: the planner's SQL stays readable. Every template is used, and no
// line of `src/plan/` (Rust or template) is over 200 characters.
#[test]
fn plan_sources_and_templates_stay_readable() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/plan");
    let rust: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    let templates: Vec<_> = std::fs::read_dir(dir.join("templates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!templates.is_empty());
    let sources: String = rust
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut problems = Vec::new();
    for t in &templates {
        let name = t.file_name().unwrap().to_str().unwrap();
        if !sources.contains(&format!("\"templates/{name}\"")) {
            problems.push(format!("{name}: not used"));
        }
    }
    for p in rust.iter().chain(&templates) {
        let text = std::fs::read_to_string(p).unwrap();
        for (i, line) in text.lines().enumerate() {
            let n = line.chars().count();
            if n > 200 {
                problems.push(format!("{}:{}: {n} characters", p.display(), i + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `(kind of each operation)` of SQL, statement by statement, as the SQL
/// front end lowers it.
fn sql_ops(sql: &str) -> Vec<String> {
    zerodown::sql::split(sql)
        .statements
        .iter()
        .flat_map(|raw| zerodown::sql::lower(sql, raw.span.clone()).ops)
        .map(|op| format!("{:?}", op.kind))
        .collect()
}

/// Every plan's migrations written as Rails migration files (`--format
/// rails`) read back by the Ruby front end: each file gives its step's
/// operations, in the folder of its phase, and linting the files together
/// gives no error-level finding.
#[test]
fn rails_files_read_back_as_the_plans_operations() {
    use zerodown::report::Helpers;
    let mut problems = Vec::new();
    let mut files_seen = 0;
    // Calls the helpers wrote instead of `execute`, by helper set.
    let mut calls: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for helpers in [Helpers::Sql, Helpers::Rails, Helpers::Gitlab] {
        for o in option_sets() {
            for c in changes() {
                let p = plan(&c, &o).unwrap_or_else(|e| panic!("{}: {e}", c.kind()));
                let steps: Vec<_> = p
                    .steps()
                    .map(|(_, s)| s)
                    .filter(|s| s.is_migration())
                    .collect();
                let files = zerodown::report::plan_files_rails(&p, 20_240_101_000_001, helpers);
                assert_eq!(steps.len(), files.len(), "one file per migration step");
                for (step, file) in steps.iter().zip(&files) {
                    files_seen += 1;
                    for call in [
                        "add_index :",
                        "add_concurrent_index :",
                        "remove_index :",
                        "remove_concurrent_index_by_name :",
                        "validate_constraint :",
                    ] {
                        *calls.entry(call).or_default() += file.contents.matches(call).count();
                    }
                    if helpers == Helpers::Gitlab {
                        assert!(
                            file.contents.contains("< Gitlab::Database::Migration[2.2]"),
                            "{}",
                            file.contents
                        );
                    }
                    let read = zerodown::ruby::read(&file.contents);
                    let mut ops: Vec<String> = read
                        .statements
                        .iter()
                        .flat_map(|s| s.ops.iter().map(|op| format!("{:?}", op.kind)))
                        .collect();
                    // GitLab's migration class runs a migration that keeps
                    // its transaction under GitLab's lock retries, which set
                    // lock_timeout first (100 ms, then more on each retry):
                    // read back, that SET comes before the step's own.
                    if helpers == Helpers::Gitlab && !step.outside_transaction {
                        let first = ops.first().map(String::as_str);
                        assert_eq!(
                            first,
                            Some("SetSetting { name: \"lock_timeout\", value: \"'100ms'\", local: false }"),
                            "{}",
                            file.path
                        );
                        ops.remove(0);
                    }
                    let want = sql_ops(step.sql.as_deref().unwrap_or(""));
                    if ops != want {
                        problems.push(format!(
                            "{} {}: read back {ops:?}, the step has {want:?}\n{}",
                            p.change_name(),
                            file.path,
                            file.contents
                        ));
                    }
                    assert_eq!(
                        read.in_transaction, !step.outside_transaction,
                        "{}",
                        file.path
                    );
                    let phase =
                        zerodown::model::infer_phase(&file.path, None, &LintOptions::default());
                    assert_eq!(Some(phase), step.phase.lint_phase(), "{}", file.path);
                }
                let sources: Vec<zerodown::SourceFile> = files
                    .iter()
                    .map(|f| zerodown::SourceFile {
                        path: f.path.clone(),
                        sql: f.contents.clone(),
                        transaction: None,
                    })
                    .collect();
                let report = zerodown::lint_files(&sources, &LintOptions::default()).unwrap();
                for f in report.findings.iter().filter(|f| {
                    f.severity == Severity::Error || f.rule == "unrecognized-migration-code"
                }) {
                    problems.push(format!(
                        "{}: {} in {} at {}:{}: {}",
                        p.change_name(),
                        f.rule,
                        f.path,
                        f.span.start.line,
                        f.span.start.column,
                        f.message
                    ));
                }
            }
        }
    }
    assert!(files_seen > 150, "{files_seen}");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    // The helpers are used where exact: each call appears.
    eprintln!("helper calls written: {calls:?}");
    for (call, n) in &calls {
        assert!(*n > 0, "no `{call}` written: {calls:?}");
    }
}

/// Every plan's migration steps and their rollbacks, linted as the files
/// they are (in a transaction or not, as the step runs), trip no warning or
/// error of zerodown's own rules: a plan that its own linter warns about is
/// wrong or unexplained. (Seen failing: the index steps used `CREATE INDEX
/// CONCURRENTLY IF NOT EXISTS`, which keeps an INVALID index on a retry,
/// and seven rollbacks took ACCESS EXCLUSIVE locks without a lock timeout.)
/// The one allowed warning is rename-enum-value's `ADD VALUE ... AFTER`,
/// which places the new label next to the old one on purpose (docs/plans.md).
#[test]
fn plans_trip_no_warning_of_their_own_rules() {
    let mut problems = Vec::new();
    for o in option_sets() {
        for c in changes() {
            let p = plan(&c, &o).unwrap_or_else(|e| panic!("{}: {e}", c.kind()));
            for (_, s) in p.steps().filter(|(_, s)| s.is_migration()) {
                for (which, sql, outside) in [
                    ("up", s.sql.as_deref(), s.outside_transaction),
                    ("down", s.down.as_deref(), s.outside_transaction),
                ] {
                    let Some(sql) = sql else { continue };
                    let options = LintOptions {
                        assume_in_transaction: !outside,
                        ..LintOptions::default()
                    };
                    let path = match s.phase {
                        zerodown::plan::StepPhase::PostDeploy => "db/post_migrate/x.sql",
                        _ => "db/migrate/x.sql",
                    };
                    let report = zerodown::lint(sql, path, &options).unwrap();
                    // A rollback undoes its step on purpose: it drops the
                    // key or the view the step added, re-adds the column it
                    // dropped, which these rules rightly call changes.
                    let undoes = |rule: &str| {
                        which == "down"
                            && matches!(
                                rule,
                                "drop-key-constraint"
                                    | "drop-object"
                                    | "schema-addition-in-post-deploy"
                            )
                    };
                    for f in report.findings.iter().filter(|f| {
                        f.severity != Severity::Info
                            && !undoes(&f.rule)
                            && !(f.rule == "enum-value-not-appended"
                                && matches!(c, Change::RenameEnumValue { .. }))
                    }) {
                        problems.push(format!(
                            "{} {} ({which}): {} {}",
                            p.change_name(),
                            s.name,
                            f.rule,
                            f.message
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
