//! `zerodown lint --changed-since REV`: the migrations changed since a git
//! revision (the working tree's changes and untracked files), findings only
//! for changed statements, earlier migrations read for context; run with
//! the real binary in a scratch git repository.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "zerodown-changed-since-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    git(&dir, &["init", "-q"]);
    git(&dir, &["config", "user.email", "t@example.invalid"]);
    git(&dir, &["config", "user.name", "t"]);
    write(
        &dir,
        "db/migrate/001_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50));\n",
    );
    write(
        &dir,
        "db/migrate/002_widgets.sql",
        "SET lock_timeout = '1s';\nCREATE INDEX widgets_name ON widgets (name);\n",
    );
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "base"]);
    dir
}

/// Runs the binary in `dir`; the exit code and the JSON report (or stderr).
fn lint(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .arg("lint")
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .expect("zerodown");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn rules(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("present").to_string(),
                f["path"].as_str().expect("present").to_string(),
            )
        })
        .collect()
}

#[test]
fn changed_statements_of_tracked_and_untracked_migrations() {
    let dir = scratch("changes");
    // A tracked file gains a statement; its old, risky one is context.
    write(
        &dir,
        "db/migrate/002_widgets.sql",
        "SET lock_timeout = '1s';\nCREATE INDEX widgets_name ON widgets (name);\nALTER TABLE widgets DROP COLUMN legacy;\n",
    );
    // A new migration git does not track yet.
    write(
        &dir,
        "db/migrate/003_orders.sql",
        "CREATE INDEX orders_user ON orders (user_id);\n",
    );
    write(&dir, "notes.txt", "not a migration\n");
    let (code, report, err) = lint(&dir, &["--changed-since", "HEAD"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        rules(&report),
        [
            (
                "drop-column".to_string(),
                "db/migrate/002_widgets.sql".to_string()
            ),
            (
                "add-index-non-concurrently".into(),
                "db/migrate/003_orders.sql".into()
            ),
        ]
    );
    let files: Vec<&str> = report["files"]
        .as_array()
        .expect("present")
        .iter()
        .map(|f| f["path"].as_str().expect("present"))
        .collect();
    assert_eq!(
        files,
        ["db/migrate/002_widgets.sql", "db/migrate/003_orders.sql"]
    );
    assert_eq!(report["summary"]["changed"], 2);
    // Nothing changed: nothing to report.
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "head"]);
    let (code, report, err) = lint(&dir, &["--changed-since", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["findings"], serde_json::json!([]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn earlier_migrations_are_read_for_context() {
    let dir = scratch("context");
    write(
        &dir,
        "db/migrate/003_widen.sql",
        "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(100);\n",
    );
    // Alone, zerodown cannot know `name` is varchar(50): a warning.
    let (_, alone, err) = lint(&dir, &["--changed-since", "HEAD"]);
    assert!(
        rules(&alone).iter().any(|(r, _)| r == "change-column-type"),
        "{alone} {err}"
    );
    // With db/ as context, 001 says it is: a widening, no rewrite, no warning.
    let (code, with, err) = lint(&dir, &["--changed-since", "HEAD", "db"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !rules(&with).iter().any(|(r, _)| r == "change-column-type"),
        "{with}"
    );
    // Context files are read, never listed or reported.
    let files: Vec<&str> = with["files"]
        .as_array()
        .expect("present")
        .iter()
        .map(|f| f["path"].as_str().expect("present"))
        .collect();
    assert_eq!(files, ["db/migrate/003_widen.sql"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_revision_git_cannot_resolve_is_named() {
    let dir = scratch("badrev");
    let (code, _, err) = lint(&dir, &["--changed-since", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--changed-since `no-such-branch`: git cannot resolve it to a commit"),
        "{err}"
    );
    let (code, _, err) = lint(&dir, &["--changed-since", "HEAD", "--diff", "x.diff"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
