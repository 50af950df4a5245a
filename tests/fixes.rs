//! Fixes (`Finding::fix`, `zerodown fix`), each checked three ways on every
//! rule fixture that offers one, and on PostgreSQL:
//!
//! - applying a fix removes its finding;
//! - the fixed file parses (no statement zerodown cannot read);
//! - fixing twice is a no-op (`fix_folder` on its own output changes
//!   nothing);
//! - the fixed migrations apply on a real server, and leave the same
//!   indexes, constraints and NOT NULL columns as the unsafe originals
//!   (the fix changes nothing but how the change is made), except where the
//!   rule's point is the type (`prefer-*`, `integer-primary-key`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::pg::Cluster;
use common::{options_from, sql_files};
use zerodown::lint::{apply_fixes, fix_folder, Schema};
use zerodown::report::Finding;
use zerodown::tools::Direction;
use zerodown::{LintOptions, LintReport};

/// Rules with a fix; each must be exercised by a fixture.
const FIXING_RULES: &[&str] = &[
    "add-index-non-concurrently",
    "drop-index-non-concurrently",
    "blocking-maintenance",
    "add-foreign-key",
    "add-check-constraint",
    "add-unique-constraint",
    "set-not-null",
    "missing-lock-timeout",
    "integer-primary-key",
    "prefer-bigint",
    "prefer-jsonb",
    "prefer-timestamptz",
    "prefer-text-field",
];

/// Rules whose fixes Rails migrations get too (`.rb:` marks the Ruby
/// fixture seen).
const RUBY_FIXING_RULES: &[&str] = &[
    "add-index-non-concurrently.rb",
    "drop-index-non-concurrently.rb",
    "add-foreign-key.rb",
];

/// Every file under `dir` (folders walked to any depth) that `keep`
/// takes, sorted.
fn files_under(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn has_extension(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e == ext)
}

/// The first finding of `rule`.
fn finding<'r>(report: &'r LintReport, rule: &str) -> &'r Finding {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} finding"))
}

/// A finding of `rule` with no fix, whose help says why (`why`).
fn assert_no_fix_because(report: &LintReport, rule: &str, why: &str) {
    let f = finding(report, rule);
    assert!(f.fix.is_none(), "{rule}: a fix is offered");
    assert!(f.help.contains(why), "{rule}: {}", f.help);
}

/// A fixture's `-- options:` and `-- schema:` header lines.
fn header(sql: &str) -> (LintOptions, Option<Schema>) {
    let (mut options, mut schema) = (String::new(), String::new());
    for line in sql.lines() {
        // SQL fixtures comment with `--`, Ruby ones with `#`.
        let t = line.trim();
        let Some(line) = t.strip_prefix("--").or_else(|| t.strip_prefix('#')) else {
            continue;
        };
        let line = line.trim();
        if let Some(o) = line.strip_prefix("options:") {
            options.push_str(o);
            options.push(' ');
        } else if let Some(s) = line.strip_prefix("schema:") {
            schema.push_str(s);
            schema.push('\n');
        }
    }
    let schema = (!schema.is_empty()).then(|| {
        let (s, problems) = Schema::load(&schema, "schema");
        assert!(problems.is_empty(), "fixture schema: {problems:?}");
        s
    });
    (options_from(&options), schema)
}

fn lint(sql: &str, path: &str, options: &LintOptions, schema: Option<&Schema>) -> LintReport {
    zerodown::lint::lint_with_schema(sql, path, options, schema).expect("valid options")
}

fn count(report: &LintReport, rule: &str) -> usize {
    report.findings.iter().filter(|f| f.rule == rule).count()
}

fn fix_once(sql: &str, path: &str, options: &LintOptions, schema: Option<&Schema>) -> String {
    let files = vec![(path.to_string(), sql.to_string())];
    let out = fix_folder(&files, None, Direction::Up, options, schema, &[]).expect("fix");
    out.fixed
        .into_iter()
        .next()
        .map_or_else(|| sql.to_string(), |f| f.text)
}

#[test]
fn every_fix_on_the_rule_fixtures_removes_its_finding_parses_and_settles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut checked = 0;
    let mut files = sql_files(&dir);
    files.extend(files_under(&dir, |p| has_extension(p, "rb")));
    for file in files {
        let sql = std::fs::read_to_string(&file).expect("read");
        let rel = file
            .strip_prefix(&dir)
            .expect("under dir")
            .display()
            .to_string();
        let path = format!("db/migrate/{}", rel.replace('/', "_"));
        let (options, schema) = header(&sql);
        let report = lint(&sql, &path, &options, schema.as_ref());
        let parse_errors = count(&report, "parse-error");
        for f in report.findings.iter().filter(|f| f.fix.is_some()) {
            let fix = f.fix.as_ref().expect("fix");
            let (fixed, taken) = apply_fixes(&sql, [fix]);
            assert_eq!(taken, vec![0], "{rel}: the {} fix does not apply", f.rule);
            let after = lint(&fixed, &path, &options, schema.as_ref());
            // 1. Its finding is gone.
            assert!(
                count(&after, &f.rule) < count(&report, &f.rule),
                "{rel}: the {} fix `{}` leaves its finding:\n{fixed}",
                f.rule,
                fix.title
            );
            // 2. It parses.
            assert!(
                count(&after, "parse-error") <= parse_errors,
                "{rel}: the {} fix does not parse:\n{fixed}",
                f.rule
            );
            seen.insert(if path.ends_with(".rb") {
                format!("{}.rb", f.rule)
            } else {
                f.rule.clone()
            });
            checked += 1;
        }
        // 3. Fixing everything settles: a second run changes nothing.
        let once = fix_once(&sql, &path, &options, schema.as_ref());
        let twice = fix_once(&once, &path, &options, schema.as_ref());
        assert_eq!(once, twice, "{rel}: a second fix run changes the file");
        let left = lint(&once, &path, &options, schema.as_ref());
        assert!(
            left.findings.iter().all(|f| f.fix.is_none()),
            "{rel}: fixes left after `fix`: {:?}",
            left.findings
                .iter()
                .filter(|f| f.fix.is_some())
                .map(|f| &f.rule)
                .collect::<Vec<_>>()
        );
        assert!(
            count(&left, "parse-error") <= parse_errors,
            "{rel}: the fixed file does not parse:\n{once}"
        );
    }
    let missing: Vec<&&str> = FIXING_RULES
        .iter()
        .chain(RUBY_FIXING_RULES)
        .filter(|r| !seen.contains(**r))
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture exercises the fix of {missing:?}"
    );
    assert!(
        checked >= FIXING_RULES.len(),
        "only {checked} fixes checked"
    );
}

/// One case for PostgreSQL: the tables it needs, the unsafe migration, the
/// options (`in-transaction`, `pg=..`), and whether the fix's outcome must
/// equal the original's schema.
struct Case {
    name: &'static str,
    setup: &'static str,
    migration: &'static str,
    options: &'static str,
    same_schema: bool,
}

const SETUP: &str = "
CREATE TABLE shops (id bigint PRIMARY KEY);
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, shop_id bigint);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, shop_id bigint, amount int);
CREATE INDEX idx_old ON orders (amount);
INSERT INTO shops SELECT g FROM generate_series(1, 10) g;
INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' || g, 1 + g % 10 FROM generate_series(1, 1000) g;
INSERT INTO orders SELECT g, 1 + g % 1000, 1 + g % 10, g FROM generate_series(1, 1000) g;
";

const CASES: &[Case] = &[
    Case {
        name: "index_drop_reindex",
        setup: SETUP,
        migration: "-- café 😀 non-ASCII before the statements\nCREATE INDEX idx_users_email ON users (email);\nCREATE UNIQUE INDEX idx_users_name ON users USING btree (lower(name)) WHERE name IS NOT NULL;\nDROP INDEX IF EXISTS idx_old;\nREINDEX INDEX idx_users_email;\n",
        options: "",
        same_schema: true,
    },
    Case {
        name: "constraints",
        setup: SETUP,
        migration: "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;\nALTER TABLE orders ADD FOREIGN KEY (shop_id) REFERENCES shops;\nALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\nALTER TABLE users ADD UNIQUE (name, shop_id);\n",
        options: "",
        same_schema: true,
    },
    Case {
        name: "set_not_null",
        setup: SETUP,
        migration: "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\nALTER TABLE users ALTER email SET NOT NULL;\n",
        options: "",
        same_schema: true,
    },
    Case {
        name: "in_a_transaction",
        setup: SETUP,
        migration: "BEGIN;\nALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);\nCREATE INDEX idx_users_email ON users (email);\nCOMMIT;\n",
        options: "",
        // NOT VALID is left to validate in a later migration.
        same_schema: false,
    },
    Case {
        name: "types_on_a_new_table",
        setup: SETUP,
        migration: "CREATE TABLE things (\n  id serial PRIMARY KEY,\n  n integer NOT NULL,\n  at timestamp(3) without time zone,\n  doc json,\n  title varchar(40) NOT NULL,\n  tags int[]\n);\nALTER TABLE users ADD COLUMN visits integer;\n",
        options: "",
        same_schema: false,
    },
];

/// What a fix must keep: every index, every constraint (its definition
/// and whether it is validated) and every column's NOT NULL.
const CATALOG: &str = "
SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'constraint ' || conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid) || ' valid=' || convalidated
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable
  FROM information_schema.columns WHERE table_schema = 'public'
ORDER BY 1;
";

#[test]
fn fixed_migrations_apply_on_postgres_and_keep_the_schema() {
    let Some(pg) = Cluster::start() else {
        return;
    };
    for (k, case) in CASES.iter().enumerate() {
        let options = options_from(case.options);
        let path = format!("db/migrate/{}.sql", case.name);
        let fixed = fix_once(case.migration, &path, &options, None);
        assert_ne!(fixed, case.migration, "{}: nothing was fixed", case.name);
        let report = lint(&fixed, &path, &options, None);
        let unsafe_left: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.fix.is_some())
            .map(|f| f.rule.as_str())
            .collect();
        assert!(unsafe_left.is_empty(), "{}: {unsafe_left:?}", case.name);

        let original_db = format!("original_{k}");
        let fixed_db = format!("fixed_{k}");
        pg.create_db(&original_db);
        pg.create_db(&fixed_db);
        pg.exec(&original_db, case.setup);
        pg.exec(&fixed_db, case.setup);
        pg.exec(&original_db, case.migration);
        if let Err(e) = pg.run(&fixed_db, &fixed) {
            panic!(
                "{}: the fixed migration fails on PostgreSQL:\n{fixed}\n--- error:\n{e}",
                case.name
            );
        }
        let before = pg.exec(&original_db, CATALOG);
        let after = pg.exec(&fixed_db, CATALOG);
        if case.same_schema {
            assert_eq!(
                before, after,
                "{}: the fix changes the schema it leaves\n{fixed}",
                case.name
            );
        } else {
            assert_ne!(before, after, "{}: expected a different schema", case.name);
        }
    }
}

#[test]
fn a_transaction_rules_out_concurrently_and_says_why() {
    let sql = "BEGIN;\nCREATE INDEX idx_users_email ON users (email);\nALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);\nCOMMIT;\n";
    let report = lint(sql, "db/migrate/1.sql", &options_from(""), None);
    assert_no_fix_because(
        &report,
        "add-index-non-concurrently",
        "no automatic fix here: the statement runs inside a transaction block",
    );
    let fix = finding(&report, "add-foreign-key")
        .fix
        .as_ref()
        .expect("NOT VALID is still offered");
    assert_eq!(fix.edits.len(), 1);
    assert_eq!(fix.edits[0].text, " NOT VALID");
    assert!(
        fix.title
            .contains("validate it in a later migration: ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user;"),
        "{}",
        fix.title
    );
}

#[test]
fn fixes_are_not_offered_where_they_would_change_meaning() {
    let options = options_from("");
    let cases = [
        // Two indexes: CONCURRENTLY drops one at a time.
        (
            "DROP INDEX a_idx, b_idx;",
            "drop-index-non-concurrently",
            "drop each in its own statement",
        ),
        // CASCADE is refused with CONCURRENTLY.
        (
            "DROP INDEX a_idx CASCADE;",
            "drop-index-non-concurrently",
            "refuses CASCADE",
        ),
        // An unnamed CHECK: its name is PostgreSQL's to choose.
        (
            "ALTER TABLE orders ADD CHECK (amount > 0);",
            "add-check-constraint",
            "name the constraint",
        ),
        // A primary key on columns not known to be NOT NULL would scan.
        (
            "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);",
            "add-unique-constraint",
            "NOT NULL",
        ),
    ];
    for (sql, rule, why) in cases {
        let report = lint(sql, "db/migrate/1.sql", &options, None);
        assert_no_fix_because(&report, rule, why);
    }
    // Before PostgreSQL 12: no REINDEX CONCURRENTLY, no SET NOT NULL from
    // a check; nothing is offered.
    let old = options_from("pg=11");
    for sql in [
        "REINDEX INDEX a_idx;",
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL;",
    ] {
        let report = lint(sql, "db/migrate/1.sql", &old, None);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.fix.is_none() || f.rule == "missing-lock-timeout"),
            "{sql}"
        );
    }
}

#[test]
fn the_fix_command_writes_diffs_and_settles() {
    let dir = std::env::temp_dir().join(format!("zerodown-fix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("db/migrate")).expect("mkdir");
    let file = dir.join("db/migrate/20260101000000_idx.sql");
    let original = "-- naïve\nCREATE INDEX idx_users_email ON users (email);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);\nSELEC broken;\n";
    std::fs::write(&file, original).expect("write");
    let path = file.to_str().expect("utf-8 path");

    // --diff writes nothing, prints the change, exits 1.
    let (code, out, err) = common::zerodown_cli(&["fix", "--diff", path]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("+CREATE INDEX CONCURRENTLY idx_users_email ON users (email);"),
        "{out}"
    );
    assert!(
        out.contains("+ALTER TABLE orders VALIDATE CONSTRAINT fk;"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), original);

    // --rule limits the fixes; the statement that does not parse is kept.
    let (code, _, err) =
        common::zerodown_cli(&["fix", "--rule", "add-index-non-concurrently", path]);
    assert_eq!(code, 0, "{err}");
    let once = std::fs::read_to_string(&file).expect("read");
    assert!(once.contains("CREATE INDEX CONCURRENTLY"), "{once}");
    assert!(!once.contains("NOT VALID"), "{once}");
    assert!(once.contains("SELEC broken;"), "{once}");

    // Everything, then again: the second run changes nothing.
    let (code, _, err) = common::zerodown_cli(&["fix", path]);
    assert_eq!(code, 0, "{err}");
    let fixed = std::fs::read_to_string(&file).expect("read");
    assert!(
        fixed.contains("NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;"),
        "{fixed}"
    );
    let (code, out, err) = common::zerodown_cli(&["fix", "--diff", path]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), fixed);

    // An unknown rule is a usage error.
    let (code, _, err) = common::zerodown_cli(&["fix", "--rule", "no-such-rule", path]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`no-such-rule` is not a zerodown rule"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rails_migrations_get_fixes_in_rails_and_gitlab_terms() {
    let options = options_from("");
    let rails = "class AddIdx < ActiveRecord::Migration[7.1]\n  def change\n    # the index\n    add_index :users, :email, unique: true\n  end\nend\n";
    let path = "db/migrate/20260101000000_add_idx.rb";
    let fixed = fix_once(rails, path, &options, None);
    assert_eq!(
        fixed,
        "class AddIdx < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!\n\n  def change\n    # the index\n    add_index :users, :email, unique: true, algorithm: :concurrently\n  end\nend\n"
    );
    // With other calls in its transaction, the index keeps it: no fix, and
    // the help says why; the foreign key still gets validate: false.
    let both = "class AddIdx < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email, unique: true\n    add_foreign_key :orders, :users, column: :buyer_id\n  end\nend\n";
    let report = lint(both, path, &options, None);
    assert_no_fix_because(
        &report,
        "add-index-non-concurrently",
        "does other things in its transaction",
    );
    let fixed = fix_once(both, path, &options, None);
    assert!(
        fixed.contains("    add_foreign_key :orders, :users, column: :buyer_id, validate: false\n")
            && !fixed.contains("disable_ddl_transaction!"),
        "{fixed}"
    );
    // Outside a transaction already: the foreign key is validated next.
    let outside = "class AddFk < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!\n\n  def change\n    add_foreign_key :orders, :users, column: :buyer_id\n  end\nend\n";
    let fixed = fix_once(outside, path, &options, None);
    assert!(
        fixed.contains("    add_foreign_key :orders, :users, column: :buyer_id, validate: false\n    validate_foreign_key :orders, :users, column: :buyer_id\n"),
        "{fixed}"
    );
    // GitLab's helper in `up`; the Rails form in `change` (reversible).
    let gitlab = "class AddIdx < Gitlab::Database::Migration[2.2]\n  milestone '17.0'\n\n  def up\n    add_index :users, :email, name: 'index_users_on_email'\n  end\n\n  def down\n    remove_index :users, name: 'index_users_on_email'\n  end\nend\n";
    let fixed = fix_once(gitlab, path, &options, None);
    assert!(fixed.contains("  disable_ddl_transaction!\n"), "{fixed}");
    assert!(
        fixed.contains("    add_concurrent_index :users, :email, name: 'index_users_on_email'\n"),
        "{fixed}"
    );
    let report = lint(&fixed, path, &options, None);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule != "add-index-non-concurrently"),
        "{:?}",
        report.findings
    );
    // SQL fixes never land in a Ruby file, nor Ruby ones in SQL.
    let report = lint(rails, path, &options, None);
    assert!(report
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .all(|f| !f.edits.iter().any(|e| e.text.contains("CONCURRENTLY"))));
}

/// Every real migration of `../shared/corpus/` (GitLab's Ruby ones and
/// the SQL projects), fixed file by file: fixing settles, and never makes a
/// statement unreadable (`parse-error`) or a Rails call unrecognized.
/// Skipped when the corpus is not there.
#[test]
fn fixing_the_real_world_corpus_settles_and_keeps_every_statement_readable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.exists() {
        eprintln!("no corpus at {}: skipped", root.display());
        return;
    }
    let files = files_under(&root, |p| has_extension(p, "sql") || has_extension(p, "rb"));
    let options = options_from("");
    let (mut fixed_files, mut fixes) = (0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let rel = file
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        let path = if rel.contains("post_migrate") {
            format!("db/post_migrate/{}", rel.replace('/', "_"))
        } else {
            format!("db/migrate/{}", rel.replace('/', "_"))
        };
        let before = lint(&text, &path, &options, None);
        let out = fix_folder(
            &[(path.clone(), text.clone())],
            None,
            Direction::Up,
            &options,
            None,
            &[],
        )
        .expect("fix");
        let Some(f) = out.fixed.first() else {
            continue;
        };
        fixed_files += 1;
        fixes += f.rules.len();
        let after = lint(&f.text, &path, &options, None);
        // No rule fires after fixing that did not fire before (a
        // statement zerodown cannot read, a Rails call it does not know, a
        // problem the fix would bring).
        // `concurrently-if-not-exists` is the one exception: the index fix
        // keeps the author's IF NOT EXISTS, whose trap with CONCURRENTLY
        // (a failed build's INVALID index skipped on retry) its title names.
        let mut had: BTreeSet<&str> = before.findings.iter().map(|f| f.rule.as_str()).collect();
        had.insert("concurrently-if-not-exists");
        let new: BTreeSet<&str> = after
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .filter(|r| !had.contains(r))
            .collect();
        assert!(new.is_empty(), "{rel}: fixing brings {new:?}:\n{}", f.text);
        for rule in ["parse-error", "unrecognized-migration-code"] {
            assert!(
                count(&after, rule) <= count(&before, rule),
                "{rel}: fixing adds `{rule}`:\n{}",
                f.text
            );
        }
        assert_eq!(
            fix_once(&f.text, &path, &options, None),
            f.text,
            "{rel}: does not settle"
        );
    }
    eprintln!(
        "{} corpus files, {fixed_files} fixed, {fixes} fixes",
        files.len()
    );
    assert!(fixes > 0, "no fix applied on the corpus");
}

/// Every example folder of `docs/examples/tools/`, fixed as its tool runs
/// it (detected): no rule fires after fixing that did not fire before, in
/// each file, so a fix never trades one problem for another in the tool's
/// context (a golang-migrate or Prisma file is sent as one query: adding a
/// statement would put it in one implicit transaction).
#[test]
fn fixes_bring_no_new_finding_in_any_tools_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/tools");
    let options = options_from("");
    let mut fixed_somewhere = 0;
    for dir in std::fs::read_dir(&root).expect("examples") {
        let dir = dir.expect("entry").path();
        let files: Vec<(String, String)> = files_under(&dir, |_| true)
            .into_iter()
            .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
            .collect();
        let rules_by_file = |files: &[(String, String)]| {
            let (report, _) =
                zerodown::lint::lint_folder(files, None, Direction::Up, &options, None)
                    .expect("lint");
            let mut by: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
            for f in report.findings {
                by.entry(f.path).or_default().insert(f.rule);
            }
            by
        };
        let before = rules_by_file(&files);
        let out = fix_folder(&files, None, Direction::Up, &options, None, &[]).expect("fix");
        fixed_somewhere += out.fixed.len();
        let mut after_files = files.clone();
        for f in &out.fixed {
            let slot = after_files
                .iter_mut()
                .find(|(p, _)| *p == f.path)
                .expect("a given file");
            slot.1.clone_from(&f.text);
        }
        let after = rules_by_file(&after_files);
        for (path, rules) in &after {
            let new: Vec<&String> = rules
                .iter()
                .filter(|r| !before.get(path).is_some_and(|b| b.contains(*r)))
                .collect();
            assert!(new.is_empty(), "{path}: fixing brings {new:?}");
        }
    }
    assert!(fixed_somewhere > 0, "no example was fixed");
}

#[test]
fn a_file_sent_as_one_query_gets_no_statement_added() {
    let options = options_from("");
    let files = vec![
        (
            "migrations/000001_fk.up.sql".to_string(),
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);\n"
                .to_string(),
        ),
        (
            "migrations/000002_key.up.sql".to_string(),
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n".to_string(),
        ),
    ];
    let tool = zerodown::tools::choice(Some("golang-migrate"), None)
        .expect("tool")
        .0;
    let (report, _) =
        zerodown::lint::lint_folder(&files, tool, Direction::Up, &options, None).expect("lint");
    let fk = finding(&report, "add-foreign-key")
        .fix
        .as_ref()
        .expect("NOT VALID offered");
    assert_eq!(fk.edits[0].text, " NOT VALID");
    assert!(
        fk.title.contains("validate it in a later migration"),
        "{}",
        fk.title
    );
    assert_no_fix_because(
        &report,
        "add-unique-constraint",
        "sends the file as one query",
    );
}

/// A column's type is found from the words near it (a statement of many
/// columns is not read to its end once per column), and a comment of
/// multi-byte characters after it, wherever the near words stop in it,
/// neither hides the type nor stops the run (it panicked before).
#[test]
fn a_columns_type_is_found_near_it_even_beside_multi_byte_comments() {
    let options = LintOptions::default();
    for pad in ["", "x", "xy"] {
        for c in ["é", "😀", "€"] {
            let sql = format!(
                "CREATE TABLE t (id bigint PRIMARY KEY, n int /* {pad}{} */, m text);\n",
                c.repeat(60)
            );
            let fixed = fix_once(&sql, "db/1.sql", &options, None);
            assert_eq!(fixed, sql.replacen("n int", "n bigint", 1));
        }
    }
    let columns: Vec<String> = (0..300).map(|i| format!("c{i} int")).collect();
    let wide = format!(
        "CREATE TABLE w (id bigint PRIMARY KEY, {});\n",
        columns.join(", ")
    );
    let fixed = fix_once(&wide, "db/3.sql", &options, None);
    let want: Vec<String> = (0..300).map(|i| format!("c{i} bigint")).collect();
    assert_eq!(
        fixed,
        format!(
            "CREATE TABLE w (id bigint PRIMARY KEY, {});\n",
            want.join(", ")
        )
    );
}
