//! Runs the linter over real migrations from other projects (`../shared/corpus`,
//! skipped with a note when absent): no panic, JSON that round-trips, and no
//! parse error on the PostgreSQL-only files but for the templates among them,
//! which must fail as templates. Prints the counts.

mod common;

use std::path::{Path, PathBuf};

use zerodown::{lint_files, LintOptions, LintReport, SourceFile};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

fn lint_folder(dir: &Path) -> (LintReport, usize) {
    let paths = common::sql_files(dir);
    let files: Vec<SourceFile> = paths
        .iter()
        .map(|p| SourceFile {
            path: p
                .strip_prefix(dir)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned(),
            sql: common::read_lossy(p),
            transaction: None,
        })
        .collect();
    let options = LintOptions {
        plans: true,
        ..LintOptions::default()
    };
    let report = lint_files(&files, &options).expect("lint");
    (report, files.len())
}

#[test]
fn corpus_lints_without_panics_and_parses_postgres_files() {
    let Some(root) = corpus() else {
        eprintln!("../shared/corpus is absent: corpus test has nothing to check");
        return;
    };
    // Every file of these projects is PostgreSQL (or dialect-neutral) SQL.
    let postgres_only = [
        "ory__kratos",
        "goharbor__harbor",
        "DSpace__DSpace",
        "gitlab",
    ];
    let mut total_statements = 0;
    let mut total_errors = 0;
    for project in [
        "ory__kratos",
        "supabase__auth",
        "goharbor__harbor",
        "DSpace__DSpace",
        "gitlab",
    ] {
        let dir = root.join(project);
        if !dir.is_dir() {
            continue;
        }
        let (report, files) = lint_folder(&dir);
        let json = serde_json::to_string(&report).expect("serialize");
        let back: LintReport = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back, report, "{project}: JSON does not round-trip");

        let statements: u32 = report.files.iter().map(|f| f.statements).sum();
        // DSpace's Flyway upgrade script names its tables with Flyway
        // placeholders (`"${schema}"."${table}"`): a template by design.
        let template = |f: &&zerodown::Finding| {
            f.path.ends_with("upgradeToFlyway4x.sql") && f.message.contains("unexpanded template")
        };
        let templates = report
            .findings
            .iter()
            .filter(|f| f.rule == "parse-error")
            .filter(template)
            .count();
        let parse_errors = report
            .findings
            .iter()
            .filter(|f| f.rule == "parse-error")
            .count()
            - templates;
        if postgres_only.contains(&project) {
            for f in report
                .findings
                .iter()
                .filter(|f| f.rule == "parse-error" && !template(f))
            {
                eprintln!("{}:{}: {}", f.path, f.span.start.line, f.message);
            }
        }
        for f in report.findings.iter().filter(|f| f.rule == "parse-error") {
            assert!(f.span.start.line >= 1 && f.span.start.column >= 1, "{f:?}");
            assert!(f.span.start.offset <= f.span.end.offset);
        }
        println!(
            "{project:18} {files:4} files {statements:6} statements {:6} findings {parse_errors:4} parse errors (+{templates} in a Flyway template) ({} errors, {} warnings, {} infos)",
            report.findings.len(),
            report.summary.errors,
            report.summary.warnings,
            report.summary.infos
        );
        if postgres_only.contains(&project) {
            total_statements += statements as usize;
            total_errors += parse_errors;
        } else {
            // supabase's files use a Go template as the schema name: without
            // its value each file is one template-placeholder finding at the
            // template (not a parse error per statement); tests/tools.rs
            // lints them filled in.
            let as_templates = report
                .findings
                .iter()
                .filter(|f| f.rule == "template-placeholder")
                .count();
            assert_eq!(parse_errors, 0, "templated files are not parse errors");
            assert_eq!(as_templates, files, "one template-placeholder per file");
        }
    }
    let rate = total_errors as f64 / total_statements.max(1) as f64;
    println!(
        "postgres-only: {total_errors} parse errors in {total_statements} statements ({:.3}%)",
        rate * 100.0
    );
    assert_eq!(
        total_errors,
        0,
        "parse-error rate {:.3}% on valid PostgreSQL is not 0",
        rate * 100.0
    );
}
