//! Migration tools: each example folder of `docs/examples/tools/` read as
//! its tool runs it (order, direction, transaction per file), each
//! transaction marker changing a verdict, the shared corpus folders with
//! their tool detected, and the command line's errors.
#![allow(clippy::unwrap_used)]

mod common;
use common::zerodown_cli as zerodown;

use std::path::Path;

use zerodown::lint::lint_folder;
use zerodown::model::LintOptions;
use zerodown::report::{FileStatus, LintReport};
use zerodown::tools::{Direction, Tool};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples/tools");

/// Every file under `root`, as (path relative to `root`, text).
fn folder(root: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn example(tool: &str) -> Vec<(String, String)> {
    folder(&Path::new(EXAMPLES).join(tool))
}

fn lint(files: &[(String, String)], tool: Option<Tool>, direction: Direction) -> LintReport {
    let (report, problems) =
        lint_folder(files, tool, direction, &LintOptions::default(), None).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    report
}

/// (path, transaction) of the linted files, in run order.
fn runs(report: &LintReport) -> Vec<(String, bool)> {
    let mut files: Vec<_> = report.files.iter().filter(|f| f.run.is_some()).collect();
    files.sort_by_key(|f| f.run);
    files
        .iter()
        .map(|f| (f.path.clone(), f.transaction.unwrap()))
        .collect()
}

/// The files with a `concurrently-in-transaction` error.
fn in_transaction_errors(report: &LintReport) -> Vec<String> {
    let mut out: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule == "concurrently-in-transaction")
        .map(|f| f.path.clone())
        .collect();
    out.dedup();
    out
}

fn left(report: &LintReport) -> Vec<(String, String)> {
    report
        .files
        .iter()
        .filter(|f| f.status == Some(FileStatus::Skipped))
        .map(|f| (f.path.clone(), f.reason.clone().unwrap()))
        .collect()
}

fn owned(v: &[(&str, bool)]) -> Vec<(String, bool)> {
    v.iter().map(|(p, t)| (p.to_string(), *t)).collect()
}

#[test]
fn golang_migrate_runs_up_scripts_by_version_one_query_each() {
    let files = example("golang-migrate");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "golang-migrate");
    // 10 after 3; a lone statement outside a transaction, two in one.
    assert_eq!(
        runs(&r),
        owned(&[
            ("1_create_users.up.sql", false),
            ("2_index_users_email.up.sql", false),
            ("3_index_in_one_query.up.sql", true),
            ("10_add_name.up.sql", false),
        ])
    );
    assert_eq!(in_transaction_errors(&r), ["3_index_in_one_query.up.sql"]);
    assert!(left(&r)
        .iter()
        .all(|(p, why)| p.ends_with(".down.sql") && why == "not an up script"));
    // Down: the rollbacks, as their own run.
    let r = lint(&files, Some(Tool::GolangMigrate), Direction::Down);
    assert_eq!(
        runs(&r),
        owned(&[
            ("1_create_users.down.sql", false),
            ("2_index_users_email.down.sql", false)
        ])
    );
    assert_eq!(r.tool.as_ref().unwrap().direction, "down");
}

#[test]
fn goose_sections_and_no_transaction() {
    let files = example("goose");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "goose");
    assert_eq!(
        runs(&r),
        owned(&[
            ("00001_create_users.sql", true),
            ("00002_index_users_email.sql", false),
            ("00003_index_in_transaction.sql", true),
        ])
    );
    assert_eq!(
        in_transaction_errors(&r),
        ["00003_index_in_transaction.sql"]
    );
    // The Down sections are not read going up: no DROP TABLE finding.
    assert!(
        !r.findings.iter().any(|f| f.rule.starts_with("drop")),
        "{:?}",
        r.findings
    );
    // Going down, only they are, and positions are the file's.
    let r = lint(&files, None, Direction::Down);
    let drop = r
        .findings
        .iter()
        .find(|f| f.path == "00001_create_users.sql")
        .expect("the DROP TABLE of the Down section");
    assert_eq!(drop.span.start.line, 5);
    // The marker changes the verdict.
    let mut marked = files.clone();
    marked[1].1 = marked[1].1.replace("-- +goose NO TRANSACTION\n", "");
    let r = lint(&marked, None, Direction::Up);
    assert!(in_transaction_errors(&r).contains(&"00002_index_users_email.sql".to_string()));
}

#[test]
fn dbmate_sections_and_transaction_false() {
    let files = example("dbmate");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "dbmate");
    assert_eq!(
        runs(&r),
        owned(&[
            ("20240101000000_create_users.sql", true),
            ("20240102000000_index_users_email.sql", false),
            ("20240103000000_index_in_transaction.sql", true),
        ])
    );
    assert_eq!(
        in_transaction_errors(&r),
        ["20240103000000_index_in_transaction.sql"]
    );
    let mut marked = files.clone();
    marked[1].1 = marked[1].1.replace(" transaction:false", "");
    let r = lint(&marked, None, Direction::Up);
    assert!(in_transaction_errors(&r).contains(&"20240102000000_index_users_email.sql".to_string()));
}

#[test]
fn diesel_folders_and_metadata() {
    let files = example("diesel");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "diesel");
    assert_eq!(
        runs(&r),
        owned(&[
            ("2024-01-01-000000_create_users/up.sql", true),
            ("2024-01-02-000000_index_users_email/up.sql", false),
            ("2024-01-03-000000_index_in_transaction/up.sql", true),
        ])
    );
    assert_eq!(
        in_transaction_errors(&r),
        ["2024-01-03-000000_index_in_transaction/up.sql"]
    );
    let marked: Vec<_> = files
        .iter()
        .filter(|(p, _)| !p.ends_with("metadata.toml"))
        .cloned()
        .collect();
    let r = lint(&marked, None, Direction::Up);
    assert!(in_transaction_errors(&r)
        .contains(&"2024-01-02-000000_index_users_email/up.sql".to_string()));
    // A malformed metadata.toml is a located problem; the run goes on.
    let mut bad = files.clone();
    let meta = bad
        .iter_mut()
        .find(|(p, _)| p.ends_with("metadata.toml"))
        .unwrap();
    meta.1 = "run_in_transaction = maybe\n".into();
    let (report, problems) =
        lint_folder(&bad, None, Direction::Up, &LintOptions::default(), None).unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 1);
    assert!(
        problems[0].message.contains("write true or false"),
        "{problems:?}"
    );
    assert_eq!(runs(&report).len(), 3);
}

#[test]
fn pop_variants_and_autocommit() {
    let files = example("pop");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "pop");
    assert_eq!(
        runs(&r),
        owned(&[
            ("20240101000000_create_users.up.sql", true),
            ("20240102000000_index_users_email.autocommit.up.sql", false),
            ("20240103000000_index_in_transaction.up.sql", true),
            ("20240104000000_add_name.postgres.up.sql", true),
        ])
    );
    assert_eq!(
        in_transaction_errors(&r),
        ["20240103000000_index_in_transaction.up.sql"]
    );
    let left = left(&r);
    assert!(left.contains(&(
        "20240104000000_add_name.mysql.up.sql".into(),
        "for mysql, not PostgreSQL".into()
    )));
    assert!(left.contains(&(
        "20240104000000_add_name.up.sql".into(),
        "the postgres variant of this migration runs instead".into()
    )));
    let mut marked = files.clone();
    for f in &mut marked {
        f.0 = f.0.replace(".autocommit.", ".");
    }
    let r = lint(&marked, Some(Tool::Pop), Direction::Up);
    assert!(
        in_transaction_errors(&r).contains(&"20240102000000_index_users_email.up.sql".to_string())
    );
}

#[test]
fn flyway_versions_repeatables_undo_and_script_config() {
    let files = example("flyway");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "flyway");
    assert_eq!(
        runs(&r),
        owned(&[
            ("V1__create_users.sql", true),
            ("V2__index_users_email.sql", false),
            ("V3__index_forced_in_transaction.sql", true),
            ("V10__add_name.sql", true),
            ("R__user_emails.sql", true),
        ])
    );
    assert_eq!(
        in_transaction_errors(&r),
        ["V3__index_forced_in_transaction.sql"]
    );
    // Without its script config, Flyway runs V3 outside a transaction too.
    let marked: Vec<_> = files
        .iter()
        .filter(|(p, _)| !p.ends_with(".conf"))
        .cloned()
        .collect();
    assert!(in_transaction_errors(&lint(&marked, None, Direction::Up)).is_empty());
    let r = lint(&files, None, Direction::Down);
    assert_eq!(runs(&r), owned(&[("U10__add_name.sql", true)]));
}

#[test]
fn a_folder_of_no_tool_is_plain_and_unchanged() {
    let files = vec![
        ("b.sql".to_string(), "SELECT 1;\n".to_string()),
        (
            "a.sql".to_string(),
            "CREATE INDEX CONCURRENTLY i ON t (a);\n".to_string(),
        ),
    ];
    let r = lint(&files, None, Direction::Up);
    assert!(r.tool.is_none());
    assert!(r
        .files
        .iter()
        .all(|f| f.run.is_none() && f.transaction.is_none()));
    let plain = zerodown::lint_files(
        &files
            .iter()
            .map(|(p, s)| zerodown::SourceFile {
                path: p.clone(),
                sql: s.clone(),
                transaction: None,
            })
            .collect::<Vec<_>>(),
        &LintOptions::default(),
    )
    .unwrap();
    assert_eq!(r, plain);
}

/// The shared corpus folders with their tool detected: no CONCURRENTLY
/// flagged where the runner does not use a transaction, and no finding in
/// a down script. Prints the counts.
#[test]
fn corpus_folders_are_read_as_their_tools() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.exists() {
        eprintln!("no shared corpus: skipped");
        return;
    }
    for (dir, want) in [
        ("ory__kratos", "pop"),
        ("goharbor__harbor", "golang-migrate"),
        ("DSpace__DSpace", "flyway"),
        ("supabase__auth", "pop"),
    ] {
        let files = folder(&corpus.join(dir));
        let r = lint(&files, None, Direction::Up);
        let tool = r.tool.as_ref().unwrap();
        assert_eq!(tool.name, want, "{dir}");
        let linted = r.files.iter().filter(|f| f.run.is_some()).count();
        let down = r
            .findings
            .iter()
            .filter(|f| f.path.contains(".down.") || f.path.ends_with("down.sql"))
            .count();
        assert_eq!(down, 0, "{dir}: findings in down scripts");
        assert!(
            in_transaction_errors(&r).is_empty(),
            "{dir}: {:?}",
            in_transaction_errors(&r)
        );
        eprintln!(
            "# {dir}: {} ({}): {linted} linted, {} left out, {} findings, {} in a transaction",
            tool.name,
            tool.why,
            r.files.len() - linted,
            r.findings.len(),
            r.files
                .iter()
                .filter(|f| f.transaction == Some(true))
                .count()
        );
    }
}

#[test]
fn the_command_line_names_the_tool_and_refuses_unknown_ones() {
    let dir = format!("{EXAMPLES}/pop");
    let (code, out, err) = zerodown(&["lint", &dir, "--no-plans"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("tool: pop (detected: "), "{out}");
    assert!(out.contains("in 4 files"), "{out}");
    let (code, out, _) = zerodown(&["lint", &dir, "--no-plans", "--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["tool"]["name"], "pop");
    // Given, the tool is not detected: plain lints every file in path order.
    let (_, out, _) = zerodown(&[
        "lint",
        &dir,
        "--no-plans",
        "--tool",
        "plain",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report.get("tool").is_none());
    assert_eq!(report["files"].as_array().unwrap().len(), 7);
    let (code, out, err) = zerodown(&["lint", &dir, "--tool", "liquibas"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("`liquibas` is not a migration tool") && err.contains("golang-migrate"),
        "{err}"
    );
    let (code, _, err) = zerodown(&["lint", &dir, "--direction", "sideways"]);
    assert_eq!(code, 2);
    assert!(err.contains("`sideways` is not a direction"), "{err}");
    // A malformed metadata.toml: the lint runs, the error names the line, exit 2.
    let tmp = std::env::temp_dir().join(format!("zerodown-tools-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("2024-01-01-000000_x")).unwrap();
    std::fs::write(tmp.join("2024-01-01-000000_x/up.sql"), "SELECT 1;\n").unwrap();
    std::fs::write(
        tmp.join("2024-01-01-000000_x/metadata.toml"),
        "run_in_transaction = yes\n",
    )
    .unwrap();
    let (code, out, err) = zerodown(&["lint", tmp.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("tool: diesel"), "{out}");
    assert!(
        err.contains("metadata.toml:1: run_in_transaction is `yes`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn prisma_folders_one_query_each() {
    let files = example("prisma");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "prisma");
    assert_eq!(
        runs(&r),
        owned(&[
            ("migrations/20240101000000_init/migration.sql", false),
            ("migrations/20240102000000_index/migration.sql", false),
            (
                "migrations/20240103000000_index_with_timeout/migration.sql",
                true
            ),
        ])
    );
    assert_eq!(
        in_transaction_errors(&r),
        ["migrations/20240103000000_index_with_timeout/migration.sql"]
    );
    // The statement count is the marker: the lock timeout alone moves the
    // index into the implicit transaction.
    let mut one = files.clone();
    let f = one
        .iter_mut()
        .find(|(p, _)| p.contains("index_with_timeout"))
        .unwrap();
    f.1 = f.1.replace("SET lock_timeout = '1s';\n", "");
    assert!(in_transaction_errors(&lint(&one, None, Direction::Up)).is_empty());
}

#[test]
fn drizzle_journal_order_in_one_transaction() {
    let files = example("drizzle");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "drizzle");
    assert_eq!(
        runs(&r),
        owned(&[("0000_init.sql", true), ("0001_index.sql", true)])
    );
    assert_eq!(in_transaction_errors(&r), ["0001_index.sql"]);
    assert_eq!(
        left(&r),
        [(
            "0002_not_in_journal.sql".to_string(),
            "not in meta/_journal.json".to_string()
        )]
    );
    // The journal's order, not the names': swapped, the index runs first.
    let mut swapped = files.clone();
    let j = swapped
        .iter_mut()
        .find(|(p, _)| p.ends_with("_journal.json"))
        .unwrap();
    j.1 =
        j.1.replace("\"0000_init\"", "\"X\"")
            .replace("\"0001_index\"", "\"0000_init\"")
            .replace("\"X\"", "\"0001_index\"");
    assert_eq!(
        runs(&lint(&swapped, None, Direction::Up))[0].0,
        "0001_index.sql"
    );
    // A journal that is not JSON: a located problem.
    let mut bad = files.clone();
    bad.iter_mut()
        .find(|(p, _)| p.ends_with("_journal.json"))
        .unwrap()
        .1 = "{\n  \"entries\": [,\n".into();
    let (_, problems) =
        lint_folder(&bad, None, Direction::Up, &LintOptions::default(), None).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 2);
}

#[test]
fn sqitch_plan_order_and_revert() {
    let files = example("sqitch");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "sqitch");
    assert_eq!(
        runs(&r),
        owned(&[
            ("deploy/users.sql", false),
            ("deploy/users_email_index.sql", false),
            ("deploy/users_name.sql", false),
        ])
    );
    // Only the script's own BEGIN puts an index in a transaction.
    assert_eq!(in_transaction_errors(&r), ["deploy/users_name.sql"]);
    assert!(left(&r).contains(&("verify/users.sql".into(), "a verify script".into())));
    let r = lint(&files, None, Direction::Down);
    assert_eq!(
        runs(&r),
        owned(&[
            ("revert/users_name.sql", false),
            ("revert/users_email_index.sql", false),
            ("revert/users.sql", false),
        ])
    );
}

/// The shared glob table: the Rust matcher (`[[phases]]`, `include`,
/// `exclude`) agrees with the widget's (web-demo/tests/diff.test.mjs reads
/// the same file).
#[test]
fn globs_match_the_shared_table() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/globs.json"
    ))
    .unwrap();
    let table: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for c in cases {
        let (glob, path, want) = (
            c[0].as_str().unwrap(),
            c[1].as_str().unwrap(),
            c[2].as_bool().unwrap(),
        );
        assert_eq!(
            zerodown::lint::glob_match(glob, path),
            want,
            "{glob} ~ {path}"
        );
    }
}

#[test]
fn include_and_exclude_globs_leave_files_out_with_why() {
    let files = example("golang-migrate");
    let options = LintOptions {
        exclude: vec!["3_*".into()],
        ..LintOptions::default()
    };
    let (r, _) = lint_folder(&files, None, Direction::Up, &options, None).unwrap();
    assert!(in_transaction_errors(&r).is_empty());
    assert!(left(&r).contains(&(
        "3_index_in_one_query.up.sql".into(),
        "excluded by `3_*`".into()
    )));
    let options = LintOptions {
        include: vec!["1_*".into(), "10_*".into()],
        ..LintOptions::default()
    };
    let (r, _) = lint_folder(&files, None, Direction::Up, &options, None).unwrap();
    assert_eq!(
        runs(&r).iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["1_create_users.up.sql", "10_add_name.up.sql"]
    );
    assert!(left(&r).contains(&(
        "2_index_users_email.up.sql".into(),
        "matched by no `include` glob".into()
    )));
    // From zerodown.toml, on a plain folder too.
    let dir = std::env::temp_dir().join(format!("zerodown-include-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("db/seeds")).unwrap();
    std::fs::write(dir.join("db/1.sql"), "SELECT 1;\n").unwrap();
    std::fs::write(
        dir.join("db/seeds/users.sql"),
        "CREATE INDEX i ON users (a);\n",
    )
    .unwrap();
    std::fs::write(dir.join("zerodown.toml"), "exclude = [\"**/seeds/**\"]\n").unwrap();
    let (code, out, err) = zerodown(&[
        "lint",
        dir.join("db").to_str().unwrap(),
        "--config",
        dir.join("zerodown.toml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{out}");
    assert_eq!(report["tool"]["name"], "plain");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Template placeholders: supabase auth's folder, read as pop, is one
/// finding per file without the value, and reads with no parse error with
/// it; findings point at the file's own lines.
#[test]
fn templates_are_filled_from_template_vars() {
    let text = "SET lock_timeout = '1s';\nALTER TABLE {{ index .Options \"Namespace\" }}.users ADD COLUMN x int NOT NULL;\n";
    let files = vec![("1_x.up.sql".to_string(), text.to_string())];
    let r = lint(&files, None, Direction::Up);
    assert_eq!(
        r.findings
            .iter()
            .map(|f| f.rule.as_str())
            .collect::<Vec<_>>(),
        ["template-placeholder"]
    );
    assert_eq!(
        (
            r.findings[0].span.start.line,
            r.findings[0].span.start.column
        ),
        (2, 13)
    );
    let options = LintOptions {
        template_vars: [("Namespace".to_string(), "auth".to_string())].into(),
        ..LintOptions::default()
    };
    let (r, _) = lint_folder(&files, None, Direction::Up, &options, None).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "add-column-required")
        .expect("the filled file is linted");
    // `x` in the file itself: line 2, after the placeholder.
    assert_eq!((f.span.start.line, f.span.start.column), (2, 63));
    assert_eq!(
        &text[f.span.start.offset as usize..f.span.end.offset as usize],
        "x"
    );
    assert!(f.message.contains("auth.users"), "{}", f.message);

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/supabase__auth");
    if corpus.exists() {
        let files = folder(&corpus);
        let r = lint(&files, None, Direction::Up);
        let templates = r
            .findings
            .iter()
            .filter(|f| f.rule == "template-placeholder")
            .count();
        assert_eq!(
            templates,
            r.files.iter().filter(|f| f.run.is_some()).count()
        );
        assert!(!r.findings.iter().any(|f| f.rule == "parse-error"));
        let (r, _) = lint_folder(&files, None, Direction::Up, &options, None).unwrap();
        assert!(!r
            .findings
            .iter()
            .any(|f| f.rule == "parse-error" || f.rule == "template-placeholder"));
        eprintln!(
            "# supabase auth with Namespace=auth: {} findings",
            r.findings.len()
        );
    }
}

#[test]
fn liquibase_changesets_each_with_its_mode() {
    let files = example("liquibase");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "liquibase");
    // One file, three changesets: modes differ, so the file has none.
    assert_eq!(r.files.len(), 1);
    assert_eq!(r.files[0].statements, 3);
    assert_eq!(r.files[0].transaction, None);
    // Changeset 2 opts out (runInTransaction:false); changeset 3 does not.
    let lines: Vec<u32> = r
        .findings
        .iter()
        .filter(|f| f.rule == "concurrently-in-transaction")
        .map(|f| f.span.start.line)
        .collect();
    assert_eq!(lines, [13]);
    let mut marked = files.clone();
    marked[0].1 = marked[0].1.replace(" runInTransaction:false", "");
    let r = lint(&marked, None, Direction::Up);
    let lines: Vec<u32> = r
        .findings
        .iter()
        .filter(|f| f.rule == "concurrently-in-transaction")
        .map(|f| f.span.start.line)
        .collect();
    assert_eq!(lines, [8, 13]);
    // Down: the --rollback lines, at their own positions; changeset 2's
    // DROP INDEX CONCURRENTLY runs outside a transaction.
    let r = lint(&files, None, Direction::Down);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "drop-table" && f.span.start.line == 5));
    assert!(!r
        .findings
        .iter()
        .any(|f| f.rule == "concurrently-in-transaction"));
}

#[test]
fn alembic_offline_sql_tracks_its_own_transaction() {
    let files = example("alembic");
    let r = lint(&files, None, Direction::Up);
    assert_eq!(r.tool.as_ref().unwrap().name, "alembic");
    assert_eq!(runs(&r), owned(&[("upgrade.sql", false)]));
    // Its BEGIN ... COMMIT holds the CONCURRENTLY index.
    assert_eq!(in_transaction_errors(&r), ["upgrade.sql"]);
}

/// A unified diff adding every file of `files` (as `git diff` of a new
/// folder prints it).
fn added_diff(files: &[(String, String)]) -> String {
    let mut out = String::new();
    for (path, text) in files {
        let lines: Vec<&str> = text.lines().collect();
        out.push_str(&format!(
            "diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{} @@\n",
            lines.len()
        ));
        for l in lines {
            out.push('+');
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Every finding points at its own file's entry in `files`.
fn findings_point_at_their_files(report: &LintReport, what: &str) {
    for f in &report.findings {
        let i = f.file.unwrap() as usize;
        assert_eq!(
            report.files[i].path, f.path,
            "{what}: {} points at entry {i}",
            f.rule
        );
    }
}

#[test]
fn findings_point_at_their_files_when_the_tool_leaves_files_out() {
    // golang-migrate's down scripts sort between its up scripts: an index
    // into `files` taken before they were listed pointed at the wrong file.
    for entry in std::fs::read_dir(EXAMPLES).unwrap() {
        let dir = entry.unwrap().path();
        for direction in [Direction::Up, Direction::Down] {
            let report = lint(&folder(&dir), None, direction);
            findings_point_at_their_files(&report, &dir.display().to_string());
        }
    }
}

#[test]
fn a_diff_adding_a_tools_folder_is_read_as_the_folder_is() {
    // The merge-request widget's case: the tool detected from the diff's
    // paths and markers gives the same run order, transaction modes, files
    // left out and findings as the folder itself.
    for entry in std::fs::read_dir(EXAMPLES).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let files = folder(&dir);
        for (direction, word) in [(Direction::Up, "up"), (Direction::Down, "down")] {
            let from_folder = lint(&files, None, direction);
            let options = LintOptions {
                tool: Some("auto".into()),
                direction: Some(word.into()),
                ..LintOptions::default()
            };
            let from_diff = zerodown::lint_diff(&added_diff(&files), &options, &[]).unwrap();
            findings_point_at_their_files(&from_diff, &name);
            assert_eq!(
                from_diff.tool.as_ref().map(|t| &t.name),
                from_folder.tool.as_ref().map(|t| &t.name),
                "{name} {word}"
            );
            // (path, transaction) in run order; a file whose sections run
            // in different modes (Liquibase) has none.
            let order = |r: &LintReport| -> Vec<(String, Option<bool>, Option<u32>)> {
                let mut files: Vec<_> = r.files.iter().filter(|f| f.run.is_some()).collect();
                files.sort_by_key(|f| f.run);
                files
                    .iter()
                    .map(|f| (f.path.clone(), f.transaction, f.run))
                    .collect()
            };
            assert_eq!(order(&from_diff), order(&from_folder), "{name} {word}");
            // Files the tool leaves out, with the same reasons (the diff
            // also lists the tool's own files, which are no migrations).
            let sql_left = |r: &LintReport| -> Vec<(String, Option<String>)> {
                r.files
                    .iter()
                    .filter(|f| f.status == Some(FileStatus::Skipped) && f.path.ends_with(".sql"))
                    // A diff calls a schema dump `schema` before any tool.
                    .filter(|f| !f.path.ends_with("structure.sql"))
                    .map(|f| (f.path.clone(), f.reason.clone()))
                    .collect()
            };
            assert_eq!(
                sql_left(&from_diff),
                sql_left(&from_folder),
                "{name} {word}"
            );
            let found = |r: &LintReport| -> Vec<(String, String, u32)> {
                r.findings
                    .iter()
                    .map(|f| (f.path.clone(), f.rule.clone(), f.span.start.offset))
                    .collect()
            };
            assert_eq!(found(&from_diff), found(&from_folder), "{name} {word}");
        }
    }
}

#[test]
fn in_a_diff_each_tools_marker_changes_the_verdict() {
    // The same CREATE INDEX CONCURRENTLY after another statement: an error
    // inside the tool's transaction, clean with the tool's opt-out.
    let body = "CREATE TABLE t (id bigint);\nCREATE INDEX CONCURRENTLY i ON t (id);\n";
    type Files = Vec<(String, String)>;
    let cases: Vec<(&str, Files, Files)> = vec![
        (
            "goose",
            vec![("db/1_a.sql".into(), format!("-- +goose Up\n{body}"))],
            vec![(
                "db/1_a.sql".into(),
                format!("-- +goose NO TRANSACTION\n-- +goose Up\n{body}"),
            )],
        ),
        (
            "dbmate",
            vec![("db/1_a.sql".into(), format!("-- migrate:up\n{body}"))],
            vec![(
                "db/1_a.sql".into(),
                format!("-- migrate:up transaction:false\n{body}"),
            )],
        ),
        (
            "pop",
            vec![("m/1_a.postgres.up.sql".into(), body.into())],
            vec![("m/1_a.postgres.autocommit.up.sql".into(), body.into())],
        ),
        (
            "diesel",
            vec![("migrations/2024_a/up.sql".into(), body.into())],
            vec![
                ("migrations/2024_a/up.sql".into(), body.into()),
                (
                    "migrations/2024_a/metadata.toml".into(),
                    "run_in_transaction = false\n".into(),
                ),
            ],
        ),
    ];
    for (tool, wrapped, opted_out) in cases {
        let options = LintOptions {
            tool: Some(tool.into()),
            ..LintOptions::default()
        };
        let errors = |files: &[(String, String)]| {
            in_transaction_errors(&zerodown::lint_diff(&added_diff(files), &options, &[]).unwrap())
        };
        assert_eq!(
            errors(&wrapped).len(),
            1,
            "{tool}: in the tool's transaction"
        );
        assert!(errors(&opted_out).is_empty(), "{tool}: opted out");
    }
}

#[test]
fn a_diff_that_shows_a_goose_file_in_part_is_not_checked_with_why() {
    // An edit in the middle of a goose migration: `-- +goose NO
    // TRANSACTION` may be in a line the diff does not show.
    let diff = "diff --git a/db/1_a.sql b/db/1_a.sql\n--- a/db/1_a.sql\n+++ b/db/1_a.sql\n@@ -5,2 +5,2 @@\n CREATE TABLE t (id bigint);\n-CREATE INDEX i ON t (id);\n+CREATE INDEX CONCURRENTLY i ON t (id);\n";
    let options = LintOptions {
        tool: Some("goose".into()),
        ..LintOptions::default()
    };
    let report = zerodown::lint_diff(diff, &options, &[]).unwrap();
    let f = &report.files[0];
    assert_eq!(f.status, Some(FileStatus::NotChecked));
    assert!(
        f.reason
            .as_deref()
            .unwrap()
            .contains("does not show line 1"),
        "{f:?}"
    );
    assert!(report.findings.is_empty());
    // Without a tool the diff is read as before.
    let plain = zerodown::lint_diff(diff, &LintOptions::default(), &[]).unwrap();
    assert_eq!(plain.files[0].status, Some(FileStatus::Checked));
}

#[test]
fn a_diff_without_a_tool_is_read_as_before_and_bad_tool_names_are_refused() {
    let files = example("golang-migrate");
    let diff = added_diff(&files);
    let plain = zerodown::lint_diff(&diff, &LintOptions::default(), &[]).unwrap();
    assert!(plain.tool.is_none());
    // Every .sql file linted, down scripts included, as before tools.
    assert!(
        plain.findings.iter().any(|f| f.path.ends_with(".down.sql"))
            || plain
                .files
                .iter()
                .filter(|f| f.path.ends_with(".down.sql"))
                .all(|f| f.status == Some(FileStatus::Checked))
    );
    let bad = LintOptions {
        tool: Some("flywa".into()),
        ..LintOptions::default()
    };
    let e = zerodown::lint_diff(&diff, &bad, &[]).unwrap_err();
    assert!(
        e.to_string()
            .contains("use auto or one of plain, golang-migrate"),
        "{e}"
    );
}

#[test]
fn a_diff_with_a_malformed_metadata_toml_says_so_on_that_file() {
    let files: Vec<(String, String)> = vec![
        (
            "migrations/2024_a/up.sql".into(),
            "CREATE INDEX CONCURRENTLY i ON t (id);\n".into(),
        ),
        (
            "migrations/2024_a/metadata.toml".into(),
            "run_in_transaction = maybe\n".into(),
        ),
    ];
    let options = LintOptions {
        tool: Some("diesel".into()),
        ..LintOptions::default()
    };
    let report = zerodown::lint_diff(&added_diff(&files), &options, &[]).unwrap();
    let meta = report
        .files
        .iter()
        .find(|f| f.path.ends_with("metadata.toml"))
        .unwrap();
    assert_eq!(meta.status, Some(FileStatus::NotChecked));
    assert_eq!(
        meta.reason.as_deref(),
        Some("line 1: run_in_transaction is `maybe`: write true or false")
    );
    // The migration itself is still linted, with Diesel's default.
    let up = report
        .files
        .iter()
        .find(|f| f.path.ends_with("up.sql"))
        .unwrap();
    assert_eq!(up.transaction, Some(true));
}

#[test]
fn flyway_refuses_a_migration_mixing_statements_unless_mixed() {
    // zerodown's own advice (a lock_timeout before CONCURRENTLY) in one
    // Flyway migration: Flyway refuses it while `mixed` is false.
    let migration = (
        "db/migration/V5__index.sql".to_string(),
        "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY i ON users (email);\n".to_string(),
    );
    let (report, problems) = lint_folder(
        std::slice::from_ref(&migration),
        Some(Tool::Flyway),
        Direction::Up,
        &LintOptions::default(),
        None,
    )
    .unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].path.as_str(), problems[0].line),
        ("db/migration/V5__index.sql", 2)
    );
    assert!(
        problems[0]
            .message
            .starts_with("Flyway refuses this migration"),
        "{}",
        problems[0].message
    );
    // Linted as Flyway runs it with mixed: outside a transaction.
    assert_eq!(
        runs(&report),
        owned(&[("db/migration/V5__index.sql", false)])
    );
    assert!(in_transaction_errors(&report).is_empty());
    for conf in [
        ("flyway.conf", "flyway.mixed=true\n"),
        ("flyway.toml", "[flyway]\nmixed = true # allowed\n"),
    ] {
        let files = vec![migration.clone(), (conf.0.to_string(), conf.1.to_string())];
        let (_, problems) = lint_folder(
            &files,
            Some(Tool::Flyway),
            Direction::Up,
            &LintOptions::default(),
            None,
        )
        .unwrap();
        assert!(problems.is_empty(), "{conf:?}: {problems:?}");
    }
    // A migration with only the CONCURRENTLY statement is fine either way.
    let alone = vec![(
        "V6__i.sql".to_string(),
        "CREATE INDEX CONCURRENTLY j ON users (id);\n".to_string(),
    )];
    assert!(lint_folder(
        &alone,
        Some(Tool::Flyway),
        Direction::Up,
        &LintOptions::default(),
        None
    )
    .unwrap()
    .1
    .is_empty());
    // The command line says it with the line, and exits 2.
    let dir = std::env::temp_dir().join(format!("zerodown-flyway-mixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("V5__index.sql"), &migration.1).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["lint", "--tool", "flyway"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("V5__index.sql:2: Flyway refuses this migration"),
        "{stderr}"
    );
    std::fs::write(dir.join("flyway.conf"), "flyway.mixed=true\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["lint", "--tool", "flyway"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rails_regular_migrations_by_version_then_post_deployment_ones() {
    let report = lint(&example("rails"), None, Direction::Up);
    assert_eq!(report.tool.as_ref().unwrap().name, "rails");
    // The post-deployment migration is older than two regular ones, and
    // still runs after them: GitLab runs post_migrate once the code is out.
    assert_eq!(
        runs(&report),
        owned(&[
            ("db/migrate/20240601100000_create_audit_events.rb", true),
            (
                "db/migrate/20240602100000_index_audit_events_on_user_id.rb",
                false
            ),
            (
                "db/migrate/20240603100000_index_audit_events_on_action.rb",
                true
            ),
            (
                "db/post_migrate/20240601200000_remove_users_legacy_token.rb",
                true
            ),
        ])
    );
    // disable_ddl_transaction! decides the verdict on the same add_index.
    assert_eq!(
        in_transaction_errors(&report),
        ["db/migrate/20240603100000_index_audit_events_on_action.rb"]
    );
    // structure.sql is the schema: neither run nor listed.
    assert!(left(&report).is_empty(), "{:?}", left(&report));
    assert!(report
        .files
        .iter()
        .all(|f| !f.path.ends_with("structure.sql")));
    // Rollbacks are not read, and say so.
    let down = lint(&example("rails"), None, Direction::Down);
    assert!(down.findings.is_empty());
    assert!(left(&down)
        .iter()
        .filter(|(p, _)| p.ends_with(".rb"))
        .all(|(_, why)| why.starts_with("a Rails rollback")));
}

#[test]
fn liquibase_master_changelog_order_nested_and_include_all() {
    let files = example("liquibase-changelog");
    let r = lint(&files, None, Direction::Up);
    let tool = r.tool.as_ref().unwrap();
    assert!(
        tool.why
            .ends_with("; run order from db.changelog-master.xml"),
        "{}",
        tool.why
    );
    let base = "src/main/resources/db/changelog/";
    let order: Vec<String> = runs(&r)
        .into_iter()
        .map(|(p, _)| p.strip_prefix(base).unwrap().to_string())
        .collect();
    // include (search path), include (relative), a nested YAML changelog,
    // then includeAll's folder in path order: not the files' path order.
    assert_eq!(
        order,
        [
            "changes/z_create_users.sql",
            "changes/a_index_users_email.sql",
            "changes/m_add_name.sql",
            "later/1_index_users_name.sql",
            "later/2_comment.sql"
        ]
    );
    // A file no changelog includes never runs: its DROP TABLE is not a
    // finding, and it is listed with why.
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(
        left(&r),
        [(
            format!("{base}changes/unused.sql"),
            "not included by db.changelog-master.xml".to_string()
        )]
    );
}

#[test]
fn liquibase_changelog_errors_are_located_and_the_run_goes_on() {
    let sql = "--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n".to_string();
    let cases = [
        (
            "db.changelog-master.xml",
            "<databaseChangeLog>\n  <include file=\"gone.sql\"/>\n  <include file=\"1.sql\"/>\n</databaseChangeLog>\n",
            2,
            "includes `gone.sql`, which is not among the files linted",
        ),
        (
            "db.changelog-master.xml",
            "<databaseChangeLog>\n  <include file=\"1.sql\">\n</databaseChangeLog>\n",
            3,
            "not a Liquibase changelog",
        ),
        (
            "db.changelog-master.yaml",
            "databaseChangeLog:\n  - include:\n      file: 1.sql\n  - include:\n      relativeToChangelogFile: true\n",
            4,
            "an include without its `file`",
        ),
        (
            "db.changelog-master.yaml",
            "databaseChangeLog:\n  - include: [\n",
            3,
            "not a Liquibase changelog",
        ),
    ];
    for (name, text, line, message) in cases {
        let files = vec![
            (name.to_string(), text.to_string()),
            ("1.sql".to_string(), sql.clone()),
        ];
        let (report, problems) =
            lint_folder(&files, None, Direction::Up, &LintOptions::default(), None).unwrap();
        assert_eq!(problems.len(), 1, "{name}: {problems:?}");
        assert_eq!(problems[0].path, name);
        assert_eq!(problems[0].line, line, "{name}: {problems:?}");
        assert!(
            problems[0].message.starts_with(message),
            "{name}: {}",
            problems[0].message
        );
        // The migration is still linted.
        assert!(
            report
                .files
                .iter()
                .any(|f| f.path == "1.sql" && f.run.is_some()),
            "{name}"
        );
    }
    // A cycle is said, not followed forever.
    let files = vec![
        ("a.xml".to_string(), "<databaseChangeLog><include file=\"b.xml\"/><include file=\"1.sql\"/></databaseChangeLog>".to_string()),
        ("b.xml".to_string(), "<databaseChangeLog><include file=\"a.xml\"/></databaseChangeLog>".to_string()),
        ("1.sql".to_string(), sql.clone()),
    ];
    let (_, problems) =
        lint_folder(&files, None, Direction::Up, &LintOptions::default(), None).unwrap();
    assert!(
        problems.iter().any(|p| p.message.contains("a cycle")),
        "{problems:?}"
    );
    // Other XML beside the migrations (a build file) is not a changelog.
    let files = vec![
        (
            "pom.xml".to_string(),
            "<project><include>x</include></project>".to_string(),
        ),
        ("1.sql".to_string(), sql),
    ];
    let (report, problems) =
        lint_folder(&files, None, Direction::Up, &LintOptions::default(), None).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(!report.tool.unwrap().why.contains("run order from"));
}

/// `jobs`: files read and parsed ahead on several threads give the same
/// report, byte for byte, as one thread: the rule fixtures, the example
/// folders and the shared corpus (GitLab's Ruby migrations too).
#[test]
fn the_report_is_the_same_for_any_number_of_jobs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sets: Vec<(String, Vec<(String, String)>)> = vec![(
        "rule fixtures".into(),
        folder(&root.join("tests/fixtures/rules"))
            .into_iter()
            .filter(|(p, _)| p.ends_with(".sql") || p.ends_with(".rb"))
            .collect(),
    )];
    for t in [
        "pop",
        "flyway",
        "liquibase",
        "liquibase-changelog",
        "diesel",
        "goose",
        "rails",
    ] {
        sets.push((t.into(), example(t)));
    }
    let corpus = root.join("../shared/corpus");
    for d in [
        "ory__kratos",
        "goharbor__harbor",
        "DSpace__DSpace",
        "supabase__auth",
        "gitlab/migrate",
    ] {
        if corpus.join(d).exists() {
            sets.push((d.into(), folder(&corpus.join(d))));
        }
    }
    for (name, files) in &sets {
        let run = |jobs: usize| {
            let options = LintOptions {
                jobs: Some(jobs),
                ..LintOptions::default()
            };
            let (r, _) = lint_folder(files, None, Direction::Up, &options, None).unwrap();
            serde_json::to_string(&r).unwrap()
        };
        let one = run(1);
        assert!(one.len() > 100, "{name}");
        for jobs in [2, 3, 8] {
            assert!(run(jobs) == one, "{name}: {jobs} jobs differ from one");
        }
    }
}

/// Six hundred small files whose findings depend on earlier files: a table
/// created, a validated NOT NULL check, a dropped table, a search_path,
/// templates.
fn dependent_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for k in 0..600usize {
        let t = k / 4;
        let sql = match k % 4 {
            0 => format!(
                "CREATE TABLE t{t} (id bigint PRIMARY KEY, a int, b text{});\n",
                if t > 0 {
                    format!(", parent bigint REFERENCES t{}(id)", t - 1)
                } else {
                    String::new()
                }
            ),
            1 => format!(
                "SET lock_timeout = '2s';\nALTER TABLE t{t} ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t{t} VALIDATE CONSTRAINT a_nn;\n"
            ),
            2 if t % 5 == 0 => format!("-- {{{{ .Schema }}}} of the table\nALTER TABLE t{t} ALTER COLUMN a SET NOT NULL;\n"),
            2 => format!("SET lock_timeout = '2s';\nALTER TABLE t{t} ALTER COLUMN a SET NOT NULL;\n{}", "-- padding\n".repeat(k % 7 * 900)),
            _ if t % 3 == 0 => format!("DROP TABLE t{};\nCREATE INDEX i{t} ON t{t} (b);\n", t.saturating_sub(2)),
            _ => format!("SET search_path = app;\nALTER TABLE t{t} ADD COLUMN c int NOT NULL;\nCREATE INDEX i{t} ON public.t{t} (b);\n"),
        };
        files.push((format!("db/{k:04}_m.sql"), sql));
    }
    files
}

/// `jobs`: files read ahead on other threads, then linted in run order on
/// the catalog the files before them leave. Six hundred small files whose
/// findings depend on earlier files (a table created, a validated NOT NULL
/// check, a dropped table, a search_path), with templates (filled in, and
/// read by the pass itself) and a schema as the catalog's base: the report
/// is the one thread's for any number of jobs, and it is not the report of
/// each file linted alone (the earlier files do matter).
#[test]
fn files_read_ahead_see_what_earlier_files_created() {
    let files = dependent_files();
    let (schema, problems) = zerodown::lint::Schema::load(
        "CREATE TABLE app.t3 (id bigint PRIMARY KEY);\nCREATE TABLE public.big (id bigint PRIMARY KEY);\n",
        "structure.sql",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let options = |jobs: Option<usize>| LintOptions {
        jobs,
        template_vars: [("Schema".to_string(), "public".to_string())].into(),
        ..LintOptions::default()
    };
    for schema in [None, Some(&schema)] {
        let run = |jobs: usize| {
            let (r, _) =
                lint_folder(&files, None, Direction::Up, &options(Some(jobs)), schema).unwrap();
            serde_json::to_string(&r).unwrap()
        };
        let one = run(1);
        for jobs in [2, 3, 8] {
            assert!(run(jobs) == one, "{jobs} jobs differ from one");
        }
        let alone: usize = files
            .iter()
            .map(|(p, s)| {
                zerodown::lint::lint_with_schema(s, p, &options(None), schema)
                    .unwrap()
                    .findings
                    .len()
            })
            .sum();
        let together: LintReport = serde_json::from_str(&one).unwrap();
        assert_ne!(
            together.findings.len(),
            alone,
            "earlier files changed nothing"
        );
    }
}
