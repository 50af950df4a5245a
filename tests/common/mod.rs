//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use zerodown::{LintOptions, LintReport, Phase};

/// Every `.sql` file under `dir`, sorted, folders walked in name order; none
/// when `dir` does not exist.
pub fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "sql") {
            out.push(p);
        }
    }
}

/// A file's text, invalid UTF-8 replaced (some corpus files are Latin-1).
pub fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned()
}

/// Options from `key=value` words: `pg=11`, `large-table=users`,
/// `in-transaction`, `phase=post-deploy`.
pub fn options_from(words: &str) -> LintOptions {
    let mut o = LintOptions {
        plans: false,
        ..LintOptions::default()
    };
    for w in words.split_whitespace() {
        match w.split_once('=') {
            Some(("pg", v)) => o.pg_version = v.parse().expect("pg version"),
            Some(("large-table", v)) => o.large_tables.push(v.to_string()),
            Some(("roots", v)) => o.roots = v.split(',').map(str::to_string).collect(),
            Some(("phase", v)) => o.phase = Some(Phase::parse(v).expect("phase")),
            Some(("max-lock-timeout", v)) => o.max_lock_timeout = v.to_string(),
            Some(("define", v)) => {
                let (name, value) = v.split_once('=').expect("define=NAME=VALUE");
                o.template_vars.insert(name.to_string(), value.to_string());
            }
            None if w == "in-transaction" => o.assume_in_transaction = true,
            _ => panic!("unknown fixture option `{w}`"),
        }
    }
    o
}

/// Lints `sql` as a regular migration at `path`.
pub fn lint_at(sql: &str, path: &str, options: &LintOptions) -> LintReport {
    zerodown::lint(sql, path, options).expect("options are valid")
}

/// `rule@line:col severity` for every finding, in report order.
pub fn describe(report: &LintReport) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}@{}:{} {}: {}",
                f.rule, f.span.start.line, f.span.start.column, f.severity, f.message
            )
        })
        .collect()
}

/// Runs the `zerodown` binary in the repository root: (exit code, stdout, stderr).
pub fn zerodown_cli(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run zerodown");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub mod pg;
pub mod steps;
