//! Throughput of splitting, bare parsing, full linting and linting to a JSON
//! report over ~10 MB of generated migrations, single-threaded.
//!
//! `cargo bench --bench lint` prints MB/s for each; with
//! `-- --write FILE` it also writes the corpus as JSON (`[{path, sql}]`) for
//! the Node benchmark of the WebAssembly package.

#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use zerodown::{lint_files, LintOptions, SourceFile};

// The allocator the `zerodown` command line uses, so that these numbers are its numbers.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(name: &str, bytes: usize, only: &Option<String>, mut f: impl FnMut()) -> f64 {
    if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
        return f64::NAN;
    }
    f(); // warm-up
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    let m = median(times);
    let mbs = bytes as f64 / 1e6 / m.as_secs_f64();
    println!(
        "{name:34} {:>8.1} ms  {mbs:>6.1} MB/s",
        m.as_secs_f64() * 1e3
    );
    mbs
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `-- --mb N` sets the corpus size; `-- --only NAME` runs one measurement (for profilers).
    let mb: f64 = args
        .iter()
        .position(|a| a == "--mb")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(10.0);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let files = corpus::generate((mb * 1e6) as usize);
    let bytes: usize = files.iter().map(|(_, s)| s.len()).sum();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let out = args.get(i + 1).expect("--write FILE");
        let json: Vec<serde_json::Value> = files
            .iter()
            .map(|(p, s)| serde_json::json!({"path": p, "sql": s}))
            .collect();
        std::fs::write(out, serde_json::to_string(&json).expect("json")).expect("write corpus");
        println!("wrote {} files ({bytes} bytes) to {out}", files.len());
    }
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(p, s)| SourceFile {
            path: p.clone(),
            sql: s.clone(),
            transaction: None,
        })
        .collect();
    let statements: usize = files
        .iter()
        .map(|(_, s)| zerodown::sql::split(s).statements.len())
        .sum();
    println!(
        "corpus: {} files, {statements} statements, {:.1} MB",
        files.len(),
        bytes as f64 / 1e6
    );

    measure("split", bytes, &only, || {
        for (_, sql) in &files {
            black_box(zerodown::sql::split(sql));
        }
    });
    let dialect = PostgreSqlDialect {};
    let parse = measure("split + sqlparser (bare parsing)", bytes, &only, || {
        for (_, sql) in &files {
            for st in zerodown::sql::split(sql).statements {
                let text = &sql[st.span];
                let r = Parser::new(&dialect)
                    .try_with_sql(text)
                    .and_then(|mut p| p.parse_statement());
                let _ = black_box(r);
            }
        }
    });
    measure(
        "split + lower (zerodown's parse layer)",
        bytes,
        &only,
        || {
            for (_, sql) in &files {
                for st in zerodown::sql::split(sql).statements {
                    black_box(zerodown::sql::lower(sql, st.span));
                }
            }
        },
    );
    let no_plans = LintOptions {
        plans: false,
        ..LintOptions::default()
    };
    let lint = measure("lint (no plans)", bytes, &only, || {
        black_box(lint_files(&sources, &no_plans).expect("lint"));
    });
    let with_plans = LintOptions::default();
    measure("lint (with plans)", bytes, &only, || {
        black_box(lint_files(&sources, &with_plans).expect("lint"));
    });
    // What `zerodown lint --format json` does before writing: the report as
    // JSON text. The Node package's `lintFiles` does the same amount of work
    // when it turns the report into JavaScript objects.
    for (name, options) in [
        ("lint + JSON report (no plans)", &no_plans),
        ("lint + JSON report (with plans)", &with_plans),
    ] {
        measure(name, bytes, &only, || {
            let report = lint_files(&sources, options).expect("lint");
            black_box(serde_json::to_string(&report).expect("json"));
        });
    }
    if parse.is_finite() && lint.is_finite() {
        println!(
            "lint cost over bare parsing: {:+.1}%",
            (parse / lint - 1.0) * 100.0
        );
    }
}
