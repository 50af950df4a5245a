//! GitLab's 1,976 migrations (`../shared/corpus/gitlab/{migrate,post_migrate}`)
//! through the Ruby front end and the engine: every file read without a
//! panic, and the counts printed (files, operations, findings by rule,
//! files with an `unrecognized-migration-code` finding). Skipped when the
//! corpus is not there.
#![cfg(feature = "ruby")]

use std::collections::BTreeMap;
use std::path::Path;

use zerodown::{lint::lint, LintOptions};

/// Files with an unrecognized call: an upper bound at today's count (none
/// of 1,976; #16's goal was under 2%, 39 files; 52 before), so coverage can
/// only grow.
const MAX_FILES_WITH_UNRECOGNIZED: usize = 0;

#[test]
fn gitlab_migrations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gitlab");
    if !root.exists() {
        eprintln!("no corpus at {}: skipped", root.display());
        return;
    }
    let mut files = Vec::new();
    for dir in ["migrate", "post_migrate"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "rb") {
                files.push((
                    format!(
                        "db/{dir}/{}",
                        p.file_name().expect("name").to_string_lossy()
                    ),
                    p,
                ));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 1976, "{} files", files.len());
    let options = LintOptions::default();
    let (mut ops, mut with_unknown) = (0usize, 0usize);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown_methods: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown_files: Vec<String> = Vec::new();
    let started = std::time::Instant::now();
    for (path, file) in &files {
        let text = std::fs::read_to_string(file).expect("read");
        let m = zerodown::ruby::read(&text);
        ops += m.statements.iter().map(|s| s.ops.len()).sum::<usize>();
        let report = lint(&text, path, &options).expect("lint");
        let mut unknown = false;
        for f in &report.findings {
            *by_rule.entry(f.rule.clone()).or_default() += 1;
            if f.rule == "unrecognized-migration-code" {
                unknown = true;
                let method = f.message.split('`').nth(1).unwrap_or("").to_string();
                unknown_files.push(format!("{path}:{}: {method}", f.span.start.line));
                *unknown_methods.entry(method).or_default() += 1;
            }
        }
        with_unknown += usize::from(unknown);
    }
    let elapsed = started.elapsed();
    // The front end alone, over every file, after the files are in memory.
    let texts: Vec<String> = files
        .iter()
        .map(|(_, f)| std::fs::read_to_string(f).expect("read"))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let started = std::time::Instant::now();
    let read_ops: usize = texts
        .iter()
        .map(|t| zerodown::ruby::read(t).statements.len())
        .sum();
    let read_time = started.elapsed();
    println!(
        "front end alone: {bytes} bytes, {read_ops} statements in {read_time:?} ({:.1} MB/s)",
        bytes as f64 / read_time.as_secs_f64().max(1e-9) / 1e6
    );
    println!("files: {}", files.len());
    println!("operations: {ops}");
    println!("files with unrecognized-migration-code: {with_unknown}");
    println!("time (read + lint, this build): {elapsed:?}");
    println!("findings by rule:");
    for (rule, n) in &by_rule {
        println!("  {rule}: {n}");
    }
    let mut unknown_methods: Vec<_> = unknown_methods.into_iter().collect();
    unknown_methods.sort_by_key(|m| std::cmp::Reverse(m.1));
    println!("unrecognized methods:");
    for (m, n) in &unknown_methods {
        println!("  {m}: {n}");
    }
    println!("unrecognized calls by file:");
    for f in &unknown_files {
        println!("  {f}");
    }
    // At the bound of none, `<=` is `==`.
    assert_eq!(
        with_unknown,
        MAX_FILES_WITH_UNRECOGNIZED,
        "{with_unknown} of {} files have unrecognized code: {unknown_files:#?}",
        files.len()
    );
}
