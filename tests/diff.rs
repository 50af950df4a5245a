//! `lint_diff`: a merge request's diff, reviewed as a reviewer reads it.
//! Findings only for statements the change touches, every file accounted
//! for, schema dumps and code migrations never linted as SQL, and hostile
//! hunk headers bounded.

use zerodown::report::FileStatus;
use zerodown::{lint_diff, lint_files, LintOptions, LintReport, SourceFile};

fn review(diff: &str) -> LintReport {
    let options = LintOptions {
        plans: false,
        ..LintOptions::default()
    };
    lint_diff(diff, &options, &[]).expect("lint_diff")
}

/// (rule, path, line) of every finding, the path read through `file`.
fn found(r: &LintReport) -> Vec<(String, String, u32)> {
    r.findings
        .iter()
        .map(|f| {
            let file = &r.files[f.file.expect("file index") as usize];
            assert_eq!(file.path, f.path);
            (f.rule.clone(), file.path.clone(), f.span.start.line)
        })
        .collect()
}

fn status(r: &LintReport, path: &str) -> (FileStatus, Option<String>) {
    let f = r.files.iter().find(|f| f.path == path).expect(path);
    (f.status.expect("status"), f.reason.clone())
}

/// A GitLab-style Rails merge request: `structure.sql` hunks, a Ruby
/// migration, and an SQL migration whose context lines hold statements
/// zerodown would flag if they were new.
const RAILS_MR: &str = r#"diff --git a/db/structure.sql b/db/structure.sql
index 1111111..2222222 100644
--- a/db/structure.sql
+++ b/db/structure.sql
@@ -100,6 +100,8 @@ CREATE TABLE users (
     id bigint NOT NULL,
     name text
 );
+
+CREATE INDEX index_users_on_name ON users USING btree (name);
 
 CREATE TABLE projects (
     id bigint NOT NULL
diff --git a/db/migrate/20240101000000_add_index.rb b/db/migrate/20240101000000_add_index.rb
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/db/migrate/20240101000000_add_index.rb
@@ -0,0 +1,3 @@
+class AddIndex < Gitlab::Database::Migration[2.2]
+  def change; add_index :users, :name; end
+end
diff --git a/db/sql/002_more.sql b/db/sql/002_more.sql
index 1111111..2222222 100644
--- a/db/sql/002_more.sql
+++ b/db/sql/002_more.sql
@@ -10,5 +10,6 @@ CREATE TABLE accounts (
     id bigint PRIMARY KEY,
     owner text
 );
 CREATE INDEX idx_a ON accounts (owner);
+CREATE INDEX idx_b ON accounts (id, owner);
 ALTER TABLE accounts DROP COLUMN legacy;
@@ -40,4 +41,4 @@ CREATE TABLE things (
   a int,
   b int
-  c int
+  c bigint
 );
"#;

#[test]
fn only_changed_statements_get_findings() {
    let r = review(RAILS_MR);
    // The context lines hold a CREATE INDEX and a DROP COLUMN: not reported.
    // The Ruby migration is read (this build has the Ruby front end): its
    // `add_index` is not concurrent, reported on its line of the `.rb` file.
    assert_eq!(
        found(&r),
        [
            (
                "add-index-non-concurrently".into(),
                "db/migrate/20240101000000_add_index.rb".into(),
                2
            ),
            (
                "add-index-non-concurrently".into(),
                "db/sql/002_more.sql".into(),
                14
            )
        ]
    );
    assert_eq!(status(&r, "db/structure.sql").0, FileStatus::Schema);
    let (s, _) = status(&r, "db/migrate/20240101000000_add_index.rb");
    assert_eq!(s, FileStatus::Checked);
    // The hunks of 002_more.sql do not run together into a parse error; the
    // CREATE TABLE cut by the gap is named as partly shown.
    let (s, why) = status(&r, "db/sql/002_more.sql");
    assert_eq!(s, FileStatus::Checked);
    assert!(why
        .expect("reason")
        .contains("1 changed statement is shown only in part"));
    // The Ruby migration's statements: GitLab's lock retries around it
    // (a lock timeout) and its `add_index`, both new.
    assert_eq!(r.files[0].statements, 2, "{:?}", r.files);
    assert_eq!(r.summary.changed, Some(4));
    assert_eq!(r.summary.context, Some(3));
    assert_eq!(r.summary.not_checked, Some(0));
    let text = zerodown::report::summary_line(&r);
    assert!(
        text.ends_with("(4 statements changed, 3 read for context)"),
        "{text}"
    );
}

#[test]
fn a_removed_line_changes_its_statement() {
    // Dropping CONCURRENTLY on a line of its own: no line is added.
    let diff = "--- a/m.sql\n+++ b/m.sql\n@@ -1,3 +1,2 @@\n CREATE INDEX\n-  CONCURRENTLY\n   i ON t (x);\n";
    assert_eq!(found(&review(diff))[0].0, "add-index-non-concurrently");
    // A statement removed whole touches neither neighbour.
    let diff = "--- a/m.sql\n+++ b/m.sql\n@@ -1,3 +1,2 @@\n CREATE INDEX i ON t (x);\n-DROP TABLE old;\n CREATE INDEX j ON t (y);\n";
    assert_eq!(found(&review(diff)), []);
}

#[test]
fn new_files_are_read_whole_and_the_catalog_flows() {
    let diff = "diff --git a/db/a.sql b/db/a.sql\nnew file mode 100644\n--- /dev/null\n+++ b/db/a.sql\n@@ -0,0 +1,2 @@\n+CREATE TABLE t (x bigint);\n+CREATE INDEX i ON t (x);\n";
    let r = review(diff);
    // The table is new, so its index needs no CONCURRENTLY.
    assert_eq!(found(&r), []);
    assert_eq!(status(&r, "db/a.sql").0, FileStatus::Checked);
    assert_eq!(r.files[0].statements, 2);
}

#[test]
fn hostile_hunk_headers_are_bounded() {
    let started = std::time::Instant::now();
    let diff = "--- a/x.sql\n+++ b/x.sql\n@@ -999999999,1 +999999999,2 @@\n x\n+DROP TABLE y;\n";
    let r = review(diff);
    let (s, why) = status(&r, "x.sql");
    assert_eq!(s, FileStatus::NotChecked);
    assert!(why.expect("reason").contains("diff line 3"));
    // Many files each just under the line limit: the total is bounded too.
    let mut many = String::new();
    for k in 0..20 {
        many.push_str(&format!(
            "--- a/f{k}.sql\n+++ b/f{k}.sql\n@@ -999990,1 +999990,1 @@\n-x\n+SELECT 1;\n"
        ));
    }
    let r = review(&many);
    let not_checked = r
        .files
        .iter()
        .filter(|f| f.status == Some(FileStatus::NotChecked))
        .count();
    assert!(not_checked >= 10, "{:?}", r.files);
    // Not a timing assertion: a bound that fails only if a text of a
    // billion lines were built.
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn damaged_hunks_and_binaries_are_not_checked() {
    for (diff, why) in [
        ("--- a/x.sql\n+++ b/x.sql\n@@ -1,3 +1,3 @@\n a\n", "ends inside a hunk"),
        ("--- a/x.sql\n+++ b/x.sql\n@@ -1,x +1,3 @@\n a\n", "hunk header zerodown cannot read"),
        ("--- a/x.sql\n+++ b/x.sql\n@@ -5,1 +5,1 @@\n a\n@@ -1,1 +1,1 @@\n b\n", "out of order"),
        ("diff --git a/x.sql b/x.sql\nindex 1..2 100644\nBinary files a/x.sql and b/x.sql differ\n", "binary"),
    ] {
        let r = review(diff);
        let (s, reason) = status(&r, "x.sql");
        assert_eq!(s, FileStatus::NotChecked, "{diff}");
        assert!(reason.as_deref().is_some_and(|r| r.contains(why)), "{diff}: {reason:?}");
        assert_eq!(r.summary.not_checked, Some(1));
    }
}

#[test]
fn quoted_paths_are_decoded() {
    let diff = "diff --git \"a/db/caf\\303\\251.sql\" \"b/db/caf\\303\\251.sql\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/db/caf\\303\\251.sql\"\n@@ -0,0 +1 @@\n+CREATE INDEX i ON t (x);\n";
    let r = review(diff);
    assert_eq!(
        found(&r),
        [("add-index-non-concurrently".into(), "db/café.sql".into(), 1)]
    );
    // Bytes that are not UTF-8: shown with replacement characters, not checked.
    let diff = "--- /dev/null\n+++ \"b/db/\\377.sql\"\n@@ -0,0 +1 @@\n+SELECT 1;\n";
    let r = review(diff);
    assert_eq!(status(&r, "db/\u{fffd}.sql").0, FileStatus::NotChecked);
}

#[test]
fn deleted_renamed_and_other_files() {
    let diff = "diff --git a/db/old.sql b/db/old.sql\ndeleted file mode 100644\n--- a/db/old.sql\n+++ /dev/null\n@@ -1 +0,0 @@\n-DROP TABLE x;\n\
diff --git a/db/a.sql b/db/b.sql\nsimilarity index 100%\nrename from db/a.sql\nrename to db/b.sql\n\
diff --git a/app/models/user.rb b/app/models/user.rb\n--- a/app/models/user.rb\n+++ b/app/models/user.rb\n@@ -1 +1 @@\n-a\n+b\n";
    let r = review(diff);
    assert_eq!(status(&r, "db/old.sql").0, FileStatus::Deleted);
    assert_eq!(status(&r, "db/b.sql").0, FileStatus::Checked);
    assert_eq!(status(&r, "app/models/user.rb").0, FileStatus::Skipped);
    assert_eq!(r.files.len(), 3);
    // Globs choose the migrations.
    let options = LintOptions {
        plans: false,
        ..LintOptions::default()
    };
    let r = lint_diff(diff, &options, &["app/**".to_string()]).expect("lint_diff");
    // A Ruby file the globs call a migration is read as one; shown in part
    // (the diff starts at line 1 but a modified file's end is unknown: read).
    assert_eq!(status(&r, "app/models/user.rb").0, FileStatus::Checked);
    // Code of another language is not read.
    let py = diff.replace("app/models/user.rb", "app/models/user.py");
    let r = lint_diff(&py, &options, &["app/**".to_string()]).expect("lint_diff");
    let (s, why) = status(&r, "app/models/user.py");
    assert_eq!(s, FileStatus::NotChecked);
    assert!(why.expect("reason").contains("not SQL"));
}

#[test]
fn invisible_characters_on_changed_lines_only() {
    let diff = "--- a/m.sql\n+++ b/m.sql\n@@ -1,2 +1,2 @@\n SELECT 1; -- old\u{200b}\n-SELECT 2;\n+SELECT 2; -- harmless comment \u{202e};sresu ELBAT PORD\n";
    let r = review(diff);
    assert_eq!(
        found(&r),
        [("invisible-characters".into(), "m.sql".into(), 2)]
    );
    assert!(r.findings[0].message.contains("U+202E"));
}

#[test]
fn every_prefix_of_a_diff_is_read_without_panic() {
    let text = format!("{RAILS_MR}diff --git \"a/x\\303.sql\" \"b/x.sql\"\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-\\\n+\u{202e}\r\n");
    for (i, _) in text.char_indices() {
        let r = review(&text[..i]);
        for f in &r.findings {
            assert!((f.file.expect("file") as usize) < r.files.len());
        }
    }
}

#[test]
fn the_text_report_writes_invisible_characters_out() {
    let sql = "SELECT 1; -- harmless comment \u{202e};sresu ELBAT PORD\n";
    let r = zerodown::lint(sql, "m.sql", &LintOptions::default()).expect("lint");
    let text = zerodown::report::render_text(&r, &|_| Some(sql.to_string()), false);
    assert!(text.contains("comment <U+202E>;sresu"), "{text}");
    assert!(!text.contains('\u{202e}'), "{text}");
    // The caret is under the marker.
    assert!(
        text.contains("                               ^^^^^^^^\n"),
        "{text}"
    );
}

/// Fingerprints: the same when lines are added above a finding or another
/// statement changes; different when the finding's own statement changes;
/// distinct for several findings on one statement.
#[test]
fn fingerprints_follow_the_statement_not_the_line() {
    let lint = |sql: &str| {
        let files = [SourceFile {
            path: "db/migrate/1_x.sql".into(),
            sql: sql.into(),
            transaction: None,
        }];
        lint_files(&files, &LintOptions::default()).expect("lint")
    };
    let fp = |r: &zerodown::LintReport, rule: &str| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.fingerprint.clone().expect("a fingerprint"))
            .collect()
    };
    let base =
        "CREATE INDEX i ON users (email);\nALTER TABLE users DROP COLUMN a, DROP COLUMN b;\n";
    let before = lint(base);
    let drops = fp(&before, "drop-column");
    assert_eq!(drops.len(), 2, "{:?}", before.findings);
    assert_ne!(drops[0], drops[1], "two findings on one statement");
    assert!(drops[0].len() == 32 && drops[0].bytes().all(|b| b.is_ascii_hexdigit()));
    // Lines above, and another statement edited: the same fingerprints.
    let moved = lint(&format!(
        "-- a note\n\nCREATE INDEX i2 ON users (name);\n{}",
        base.replace("DROP COLUMN a,", "DROP COLUMN a,\n   ")
    ));
    assert_eq!(fp(&moved, "drop-column"), drops);
    let (new, old) = (
        fp(&moved, "add-index-non-concurrently"),
        fp(&before, "add-index-non-concurrently"),
    );
    assert_eq!(new[1], old[0], "the index statement did not change");
    assert_ne!(new[0], old[0], "the added index statement is a new finding");
    // The statement itself changed: new fingerprints.
    let edited = lint(&base.replace("DROP COLUMN b", "DROP COLUMN c"));
    assert!(fp(&edited, "drop-column")
        .iter()
        .all(|f| !drops.contains(f)));
    // Another path: other fingerprints.
    let files = [SourceFile {
        path: "db/migrate/2_x.sql".into(),
        sql: base.into(),
        transaction: None,
    }];
    let other = lint_files(&files, &LintOptions::default()).expect("lint");
    assert!(fp(&other, "drop-column").iter().all(|f| !drops.contains(f)));
    // A diff that adds a line above the statement: the fingerprints lint gives the whole file.
    let diff = "--- a/db/migrate/1_x.sql\n+++ b/db/migrate/1_x.sql\n@@ -1,2 +1,3 @@\n+SELECT 1;\n CREATE INDEX i ON users (email);\n-ALTER TABLE users DROP COLUMN a, DROP COLUMN b;\n+ALTER TABLE users DROP COLUMN a, DROP COLUMN b ;\n";
    let reviewed = lint_diff(diff, &LintOptions::default(), &[]).expect("lint_diff");
    assert_eq!(fp(&reviewed, "drop-column").len(), 2);
    assert_eq!(
        fp(&reviewed, "drop-column"),
        drops,
        "whitespace does not count"
    );
}

/// The reviewer widget's GitLab merge request (web-demo/tests/fixtures):
/// a Ruby migration, a Ruby post-deployment migration, GitLab's
/// `db/schema_migrations` records and a `db/structure.sql` hunk.
const GITLAB_RUBY_MR: &str = include_str!("../web-demo/tests/fixtures/gitlab-rails-mr.diff");

const MIGRATE_RB: &str = "db/migrate/20240601120000_add_index_on_projects_name.rb";
const POST_RB: &str = "db/post_migrate/20240602090000_remove_projects_legacy_token.rb";

#[test]
fn ruby_migrations_in_a_diff_are_linted_in_place() {
    let r = review(GITLAB_RUBY_MR);
    assert_eq!(
        found(&r),
        [
            ("add-index-non-concurrently".into(), MIGRATE_RB.into(), 10),
            ("drop-column".into(), POST_RB.into(), 7),
        ]
    );
    // The span is the call in the `.rb` file, not SQL zerodown wrote.
    let index = &r.findings[0];
    assert_eq!(index.span.start.column, 5);
    assert_eq!(status(&r, MIGRATE_RB).0, FileStatus::Checked);
    assert_eq!(status(&r, POST_RB).0, FileStatus::Checked);
    let phase = |p: &str| r.files.iter().find(|f| f.path == p).expect(p).phase;
    assert_eq!(phase(MIGRATE_RB), zerodown::Phase::Regular);
    assert_eq!(phase(POST_RB), zerodown::Phase::PostDeploy);
    assert_eq!(status(&r, "db/structure.sql").0, FileStatus::Schema);
    for record in [
        "db/schema_migrations/20240601120000",
        "db/schema_migrations/20240602090000",
    ] {
        assert_eq!(status(&r, record).0, FileStatus::Skipped);
    }
    assert_eq!(r.summary.not_checked, Some(0));
}

#[test]
fn schema_files_are_never_migrations_whatever_the_globs() {
    let schema_rb = "diff --git a/db/schema.rb b/db/schema.rb\n--- a/db/schema.rb\n+++ b/db/schema.rb\n@@ -1,3 +1,3 @@\n ActiveRecord::Schema[7.1].define(version: 2024_06_01_120000) do\n-  create_table \"projects\" do |t|\n+  create_table \"projects\", force: :cascade do |t|\n   end\n";
    let diff = format!("{GITLAB_RUBY_MR}{schema_rb}");
    let options = LintOptions {
        plans: false,
        ..LintOptions::default()
    };
    let r = lint_diff(&diff, &options, &["db/**".to_string()]).expect("lint_diff");
    assert_eq!(status(&r, "db/structure.sql").0, FileStatus::Schema);
    assert_eq!(status(&r, "db/schema.rb").0, FileStatus::Schema);
    for record in [
        "db/schema_migrations/20240601120000",
        "db/schema_migrations/20240602090000",
    ] {
        assert_eq!(status(&r, record).0, FileStatus::Skipped);
    }
    let linted: Vec<&str> = r
        .files
        .iter()
        .filter(|f| f.status == Some(FileStatus::Checked))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(linted, [MIGRATE_RB, POST_RB]);
    assert!(r.findings.iter().all(|f| f.path.ends_with(".rb")));
}

#[test]
fn a_ruby_migration_shown_in_part_is_not_checked() {
    // A hunk in the middle of an existing migration: its class line and
    // `disable_ddl_transaction!` are not shown, so it is not guessed at.
    let diff = "diff --git a/db/migrate/1_x.rb b/db/migrate/1_x.rb\n--- a/db/migrate/1_x.rb\n+++ b/db/migrate/1_x.rb\n@@ -8,3 +8,4 @@ class X < Gitlab::Database::Migration[2.2]\n   def up\n     add_concurrent_index :users, :name\n+    add_concurrent_index :users, :email\n   end\n";
    let r = review(diff);
    let (s, why) = status(&r, "db/migrate/1_x.rb");
    assert_eq!(s, FileStatus::NotChecked);
    let why = why.expect("reason");
    assert!(why.contains("does not show line 1 "), "{why}");
    assert!(why.contains("zerodown lint db/migrate/1_x.rb"), "{why}");
    assert_eq!(found(&r), []);
    // Shown from line 1 (a small migration's context reaches its top): read,
    // up to what the diff shows.
    let diff = "diff --git a/db/migrate/1_x.rb b/db/migrate/1_x.rb\n--- a/db/migrate/1_x.rb\n+++ b/db/migrate/1_x.rb\n@@ -1,4 +1,5 @@\n class X < ActiveRecord::Migration[7.1]\n   def up\n     add_column :users, :a, :text\n+    add_index :users, :a\n   end\n";
    let r = review(diff);
    assert_eq!(status(&r, "db/migrate/1_x.rb").0, FileStatus::Checked);
    assert_eq!(
        found(&r),
        [(
            "add-index-non-concurrently".into(),
            "db/migrate/1_x.rb".into(),
            4
        )]
    );
}

#[test]
fn every_prefix_of_a_ruby_diff_is_read_without_panic() {
    for (i, _) in GITLAB_RUBY_MR.char_indices() {
        let r = review(&GITLAB_RUBY_MR[..i]);
        for f in &r.findings {
            assert!((f.file.expect("file") as usize) < r.files.len());
        }
    }
}
