//! Release migrations run on a known schema: the migrations of a schedule
//! or an upgrade path apply, in the order the deployments run them, on top
//! of a loaded schema (`--schema`, `--database-url`), and every statement
//! that PostgreSQL would reject at that point is a `schema-mismatch`
//! finding. A layout can be right release by release and still fail on one
//! path: a collapsed deployment runs every regular migration before any
//! post-deploy one, so a regular migration of 9.1 that uses an index a
//! post-deploy migration of 9.0 creates fails on an upgrade from 8.17.

use crate::lint::{lint_in_order, Schema, SourceFile};
use crate::model::LintOptions;
use crate::report::Finding;
use crate::rules::SchemaMismatch;

use super::layout::MigrationFile;

/// One migration in run order, with where it runs (`"deployment 2 (9.1)
/// of the upgrade 8.17 → 9.1"`).
pub(crate) struct Run<'a> {
    pub file: &'a MigrationFile,
    pub place: String,
}

/// Applies `runs` in order on `schema` and adds the `schema-mismatch`
/// findings to `out`, each with where its migration runs. `entries` hold the
/// files' texts; `start` says what the schema stands for (`"the database at
/// 8.17"`). The engine's other rules are `lint`'s business, not the
/// release commands'.
pub(crate) fn check_on_schema(
    runs: &[Run<'_>],
    entries: &[(String, String)],
    schema: &Schema,
    start: &str,
    out: &mut Vec<Finding>,
) -> crate::error::Result<()> {
    let files: Vec<SourceFile> = runs
        .iter()
        .map(|r| SourceFile {
            path: r.file.path.clone(),
            sql: entries
                .iter()
                .find(|(p, _)| *p == r.file.path)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            transaction: None,
        })
        .collect();
    let order: Vec<&SourceFile> = files.iter().collect();
    let report = lint_in_order(&order, &LintOptions::default(), Some(schema))?;
    let id = SchemaMismatch::META.id;
    for mut f in report.findings.into_iter().filter(|f| f.rule == id) {
        // Findings keep their file's order; a path appears once per run.
        if let Some(run) = runs.iter().find(|r| r.file.path == f.path) {
            let mut rest = f.help.chars();
            let rest: String = rest
                .next()
                .map(|c| c.to_uppercase().chain(rest).collect())
                .unwrap_or_default();
            f.help = format!(
                "It runs in {}, on {start} ({}). {rest}",
                run.place, schema.path
            );
        }
        f.plan = None;
        out.push(f);
    }
    Ok(())
}
