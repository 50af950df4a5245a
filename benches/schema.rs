//! Schema input: loading GitLab's `structure.sql` (the corpus's, 2.7 MB),
//! the memory the loaded schema holds, and linting a 200-line migration
//! against it.
//!
//! `cargo bench --bench schema` (or `-- --dump PATH` for another dump)
//! prints the median of several runs of each, and the growth of the
//! process's resident memory over the first load (an upper bound of what
//! the schema holds: it includes the parser's transient peaks the allocator
//! keeps).

use std::hint::black_box;
use std::time::{Duration, Instant};

use zerodown::lint::{lint_with_schema, Schema};
use zerodown::LintOptions;

// The allocator the `zerodown` command line uses, so that these numbers are its numbers.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The process's resident memory, in bytes (Linux; 0 elsewhere).
fn rss() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(0)
}

const RUNS: usize = 9;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// A 200-line migration on the dump's own tables: new columns, concurrent
/// indexes, NOT VALID checks and their validation, with lock_timeout set.
fn migration(dump: &str) -> String {
    let tables: Vec<&str> = dump
        .lines()
        .filter_map(|l| l.strip_prefix("CREATE TABLE ")?.strip_suffix(" ("))
        .take(40)
        .collect();
    assert!(!tables.is_empty(), "the dump creates no tables");
    let mut sql = String::from("SET lock_timeout = '1s';\n");
    let mut i = 0;
    while sql.lines().count() < 200 {
        let t = tables[i % tables.len()];
        let short = t.rsplit('.').next().unwrap_or(t);
        sql.push_str(&format!("ALTER TABLE {t} ADD COLUMN bench_{i} text;\n"));
        sql.push_str(&format!(
            "ALTER TABLE {t} ADD CONSTRAINT check_bench_{i} CHECK (char_length(bench_{i}) <= 255) NOT VALID;\n"
        ));
        sql.push_str(&format!(
            "ALTER TABLE {t} VALIDATE CONSTRAINT check_bench_{i};\n"
        ));
        sql.push_str(&format!(
            "CREATE INDEX CONCURRENTLY index_{short}_on_bench_{i} ON {t} (bench_{i});\n"
        ));
        i += 1;
    }
    sql
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/corpus/gitlab/structure.sql"
            )
            .into()
        });
    let dump = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {path}: {e} (pass -- --dump PATH)"));

    let before = rss();
    let (schema, problems) = Schema::load(&dump, &path);
    let held = rss().saturating_sub(before);
    let (tables, columns, indexes) = schema.catalog.counts();
    println!(
        "{path}: {:.1} MB, {tables} tables, {columns} columns, {indexes} indexes, {} statements skipped",
        dump.len() as f64 / 1e6,
        problems.len()
    );
    println!(
        "{:40} {:>8.1} MB",
        "resident memory the load added",
        held as f64 / 1e6
    );

    let load = time(|| {
        black_box(Schema::load(black_box(&dump), &path));
    });
    println!("{:40} {:>8.1} ms", "load", load.as_secs_f64() * 1e3);

    let copy = time(|| {
        black_box(black_box(&schema.catalog).clone());
    });
    println!(
        "{:40} {:>8.2} ms",
        "copy of the loaded catalog",
        copy.as_secs_f64() * 1e3
    );

    let sql = migration(&dump);
    let options = LintOptions::default();
    let lines = sql.lines().count();
    let report = lint_with_schema(&sql, "db/migrate/1_bench.sql", &options, Some(&schema))
        .expect("valid options");
    let lint = time(|| {
        black_box(
            lint_with_schema(
                black_box(&sql),
                "db/migrate/1_bench.sql",
                &options,
                Some(&schema),
            )
            .expect("valid options"),
        );
    });
    println!(
        "{:40} {:>8.2} ms  ({} findings)",
        format!("lint {lines} lines against it"),
        lint.as_secs_f64() * 1e3,
        report.findings.len()
    );
    // `-- --profile N`: N more lints against the schema, for a profiler.
    if let Some(n) = args
        .iter()
        .position(|a| a == "--profile")
        .and_then(|i| args.get(i + 1)?.parse::<usize>().ok())
    {
        for _ in 0..n {
            black_box(
                lint_with_schema(&sql, "db/migrate/1_bench.sql", &options, Some(&schema)).ok(),
            );
        }
        return;
    }
    let bare = time(|| {
        black_box(
            lint_with_schema(black_box(&sql), "db/migrate/1_bench.sql", &options, None)
                .expect("valid options"),
        );
    });
    println!(
        "{:40} {:>8.2} ms",
        format!("lint {lines} lines without a schema"),
        bare.as_secs_f64() * 1e3
    );
}
