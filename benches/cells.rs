//! Times the organization-isolation analysis of the GitLab schema dump
//! (`../shared/corpus/gitlab/structure.sql`) when the corpus is present.
//! Run with `cargo bench --bench cells`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gitlab/structure.sql");
    let Ok(sql) = std::fs::read_to_string(&path) else {
        println!("cells: {} not present, nothing to measure", path.display());
        return;
    };
    let mb = sql.len() as f64 / 1_000_000.0;
    let line = |what: &str, d: Duration| {
        println!(
            "  {what:<28} {:>8.1} ms  {:>7.1} MB/s",
            d.as_secs_f64() * 1e3,
            mb / d.as_secs_f64()
        );
    };

    let mut analyze = Vec::with_capacity(RUNS);
    let mut tables = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let report = zerodown::cells::analyze(&sql, &[]);
        analyze.push(t.elapsed());
        tables = std::hint::black_box(report).summary.tables;
    }
    println!("cells: structure.sql {mb:.2} MB, {tables} tables, median of {RUNS} runs");
    line("analyze (total)", median(analyze));

    // Where the time goes: splitting, then lowering by statement kind.
    let mut split = Vec::with_capacity(RUNS);
    let mut by_kind: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    // Statements and bytes of each kind lowered.
    let mut sizes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let s = std::hint::black_box(zerodown::sql::split(&sql));
        split.push(t.elapsed());
        let mut run: BTreeMap<String, Duration> = BTreeMap::new();
        for st in &s.statements {
            let kind = zerodown::cells::statement_kind(&sql[st.span.clone()]);
            if !matches!(
                kind.as_str(),
                "CREATE TABLE" | "ALTER TABLE" | "CREATE UNIQUE INDEX"
            ) {
                continue;
            }
            let t = Instant::now();
            std::hint::black_box(zerodown::sql::lower(&sql, st.span.clone()));
            *run.entry(kind.clone()).or_default() += t.elapsed();
            if split.len() == 1 {
                let e = sizes.entry(kind).or_default();
                e.0 += 1;
                e.1 += st.span.len();
            }
        }
        for (k, d) in run {
            by_kind.entry(k).or_default().push(d);
        }
    }
    line("split", median(split));
    for (kind, times) in by_kind {
        let (n, bytes) = sizes.get(&kind).copied().unwrap_or_default();
        let d = median(times);
        println!(
            "  {:<28} {:>8.1} ms  {:>7.1} MB/s  ({n} statements, {:.2} MB)",
            format!("lower {kind}"),
            d.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / d.as_secs_f64(),
            bytes as f64 / 1e6
        );
    }
}
