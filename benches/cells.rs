//! Times the organization-isolation analysis of the GitLab schema dump
//! (`../shared/corpus/gitlab/structure.sql`) when the corpus is present.
//! Run with `cargo bench --bench cells`.

use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 9;

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gitlab/structure.sql");
    let Ok(sql) = std::fs::read_to_string(&path) else {
        println!("cells: {} not present, nothing to measure", path.display());
        return;
    };
    let mb = sql.len() as f64 / 1_000_000.0;
    let mut analyze_times = Vec::with_capacity(RUNS);
    let mut parse_times = Vec::with_capacity(RUNS);
    let mut tables = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let schema = zerodown::cells::parse_schema(&sql);
        parse_times.push(t.elapsed());
        let t = Instant::now();
        let report = zerodown::cells::analyze(&sql, &[]);
        analyze_times.push(t.elapsed());
        std::hint::black_box(schema);
        tables = std::hint::black_box(report).summary.tables;
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let parse = median(&mut parse_times);
    let analyze = median(&mut analyze_times);
    println!(
        "cells: structure.sql {:.2} MB, {tables} tables, median of {RUNS} runs",
        mb
    );
    println!(
        "  parse_schema  {:>8.1} ms  {:>6.1} MB/s",
        parse.as_secs_f64() * 1e3,
        mb / parse.as_secs_f64()
    );
    println!(
        "  analyze       {:>8.1} ms  {:>6.1} MB/s",
        analyze.as_secs_f64() * 1e3,
        mb / analyze.as_secs_f64()
    );
}
