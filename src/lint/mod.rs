//! The engine: walks each file's statements, runs the rules over each
//! operation, applies suppressions and configuration, and builds the report.
//!
//! Layer: above `sql` (splitting, lowering, comment directives), `rules`,
//! `plan` (each finding's plan) and `report` (the `LintReport` it builds).
//! The state it keeps for the rules (`FileState`, `Catalog`) and phase
//! inference are defined in `model`, the comment syntax in `sql`; they are
//! re-exported here.

mod fix;
mod schema;
#[cfg(test)]
mod state_tests;

pub use schema::{
    large_tables, large_tables_from_docs, large_tables_from_rubocop, parse_stats, read_dump,
    LargeThresholds, Schema, TableSize, CATALOG_QUERY, CATALOG_SESSION, STATS_QUERY,
};

use std::collections::BTreeSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

// Defined below the engine (comment syntax in `sql`, phase inference and
// engine state in `model`), re-exported here where callers used to find them.
pub use crate::model::{glob_match, infer_phase, phase_from_path, Catalog, ColumnInfo, FileState};
pub use crate::sql::{parse_header, parse_ignore, Ignore};
pub use fix::{apply_fixes, fix_example, fix_folder, FixOutcome, FixedFile};

use crate::diff::{self, DiffFile};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{LintOptions, Phase, Severity, Version};
use crate::plan::Planner;
use crate::report::{FileStatus, FileSummary, Finding, LintReport};
use crate::rules::{self, Diagnostic, OpFacts, Rule, RuleContext, RuleMeta};
use crate::sql::{self, LineIndex};

/// One file to lint.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Its path, used for phase inference and in the output.
    pub path: String,
    /// Its SQL text.
    pub sql: String,
    /// Whether the migration runner wraps it in a transaction, as its tool
    /// says (`tools`); absent: not said. `--assume-in-transaction` and the
    /// file's `-- zerodown: transaction=...` header win over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub transaction: Option<bool>,
}

/// Checks options before a run: rule ids must exist.
pub fn validate_options(options: &LintOptions) -> Result<()> {
    for id in options.rules.keys() {
        if rules::find(id).is_none() {
            return Err(Error::new(
                ErrorCode::UnknownRule,
                format!("unknown rule `{id}` in `rules`; `zerodown rules` lists them"),
            ));
        }
    }
    if let Some(t) = &options.lock_timeout {
        crate::plan::check_lock_timeout(t)
            .map_err(|e| Error::new(e.code, format!("lock-timeout: {}", e.message)))?;
    }
    if crate::model::parse_duration_ms(&options.max_lock_timeout).is_none() {
        return Err(Error::new(
            ErrorCode::BadOptions,
            format!(
                "max-lock-timeout: `{}` is not a duration such as 2s or 500ms",
                options.max_lock_timeout
            ),
        ));
    }
    if let Some(r) = &options.release {
        Version::parse(r)?;
    }
    Ok(())
}

/// The run's planner, when findings carry plans: its options are read once.
fn planner_for(options: &LintOptions) -> Result<Option<Planner>> {
    options
        .plans
        .then(|| Planner::for_lint(options))
        .transpose()
}

/// Lints one file.
pub fn lint(sql: &str, path: &str, options: &LintOptions) -> Result<LintReport> {
    lint_with_schema(sql, path, options, None)
}

/// The catalog a run starts from: the loaded schema's, or an empty one.
fn seed(schema: Option<&Schema>) -> Catalog {
    schema.map_or_else(Catalog::default, |s| s.catalog.clone())
}

/// Lints one file on top of a loaded schema (`None`: no schema known).
pub fn lint_with_schema(
    sql: &str,
    path: &str,
    options: &LintOptions,
    schema: Option<&Schema>,
) -> Result<LintReport> {
    validate_options(options)?;
    let mut report = LintReport::default();
    let mut catalog = seed(schema);
    let rules = active_rules(options);
    let planner = planner_for(options)?;
    let findings = lint_one(
        path,
        sql,
        None,
        options,
        planner.as_ref(),
        &rules,
        &mut catalog,
        &mut report,
    );
    report.findings = findings;
    finish(&mut report);
    Ok(report)
}

/// Lints several files in path order; tables created by earlier files are
/// known to later ones.
pub fn lint_files(files: &[SourceFile], options: &LintOptions) -> Result<LintReport> {
    lint_files_with_schema(files, options, None)
}

/// Lints several files in path order on top of a loaded schema (`None`: no
/// schema known); each file applies on top of the schema and the files
/// before it.
pub fn lint_files_with_schema(
    files: &[SourceFile],
    options: &LintOptions,
    schema: Option<&Schema>,
) -> Result<LintReport> {
    let mut order: Vec<&SourceFile> = files.iter().collect();
    order.sort_by(|a, b| a.path.cmp(&b.path));
    lint_in_order(&order, options, schema)
}

/// Lints files in the order given (not path order: the order a deployment
/// runs them in) on top of a loaded schema; each file applies on top of the
/// schema and the files before it.
pub fn lint_in_order(
    order: &[&SourceFile],
    options: &LintOptions,
    schema: Option<&Schema>,
) -> Result<LintReport> {
    validate_options(options)?;
    let planner = planner_for(options)?;
    let mut report = LintReport::default();
    // Each file's findings in their own vector, joined once at the end: the
    // findings are large and a single growing vector would copy them over
    // and over.
    let mut per_file: Vec<Vec<Finding>> = Vec::with_capacity(order.len());
    let scripts: Vec<Script> = order
        .iter()
        .map(|f| Script {
            path: &f.path,
            sql: &f.sql,
            transaction: f.transaction,
            one_query: false,
        })
        .collect();
    lint_units(
        &scripts,
        options,
        schema,
        planner.as_ref(),
        &mut report,
        &mut |_, findings| {
            per_file.push(findings);
        },
    );
    report.findings = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
    for findings in per_file {
        report.findings.extend(findings);
    }
    finish(&mut report);
    Ok(report)
}

/// The engine's pass over files in run order: each file applies on top of
/// the schema and the files before it; its summary goes into `report` and
/// its findings, as they come, to `found` (with the file's place in
/// `order`).
/// A file as the engine's pass reads it.
struct Script<'s> {
    path: &'s str,
    sql: &'s str,
    /// Whether its runner wraps it in a transaction (`None`: not said).
    transaction: Option<bool>,
    /// Its runner sends it as one query (`tools::Unit::one_query`).
    one_query: bool,
}

fn lint_units(
    order: &[Script],
    options: &LintOptions,
    schema: Option<&Schema>,
    planner: Option<&Planner>,
    report: &mut LintReport,
    found: &mut dyn FnMut(usize, Vec<Finding>),
) {
    let mut catalog = seed(schema);
    let rules = active_rules(options);
    let mut each = |i: usize, pre: Option<FrontEnd>| {
        let f = &order[i];
        let o = run_options(options, f.transaction, f.one_query);
        let findings = match pre {
            Some(pre) => lint_text(
                f.path,
                f.sql,
                None,
                &o,
                planner,
                &rules,
                &mut catalog,
                report,
                None,
                Some(pre),
            ),
            None => lint_one(
                f.path,
                f.sql,
                None,
                &o,
                planner,
                &rules,
                &mut catalog,
                report,
            ),
        };
        found(i, findings);
    };
    #[cfg(not(target_arch = "wasm32"))]
    if options.jobs.unwrap_or(1) > 1 && order.len() > 1 {
        read_ahead(order, options, options.jobs.unwrap_or(1), &mut each);
        return;
    }
    for i in 0..order.len() {
        each(i, None);
    }
}

/// The engine's pass with files read ahead (`jobs`, natively): `workers`
/// threads read each file with its front end and lower its statements, at
/// most 32 files per worker ahead of the pass, which takes them in order
/// (the same report as one thread: what is read ahead is what the pass
/// would read). A file with template placeholders, or one whose reading
/// panicked, is left to the pass.
#[cfg(not(target_arch = "wasm32"))]
fn read_ahead(
    order: &[Script],
    options: &LintOptions,
    workers: usize,
    each: &mut dyn FnMut(usize, Option<FrontEnd>),
) {
    use std::sync::{Condvar, Mutex, PoisonError};
    struct Ahead {
        slots: Vec<Option<FrontEnd>>,
        ready: Vec<bool>,
        next: usize,
        taken: usize,
        /// The pass has ended (or panicked): nothing more to read.
        stop: bool,
    }
    /// Stops the workers when the pass ends, however it ends: a panic in
    /// the pass would otherwise leave them waiting for it, and the scope
    /// waiting for them.
    struct Stop<'a>(&'a Mutex<Ahead>, &'a Condvar);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.lock().unwrap_or_else(PoisonError::into_inner).stop = true;
            self.1.notify_all();
        }
    }
    let n = order.len();
    let window = 32 * workers;
    let state = Mutex::new(Ahead {
        slots: (0..n).map(|_| None).collect(),
        ready: vec![false; n],
        next: 0,
        taken: 0,
        stop: false,
    });
    let changed = Condvar::new();
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let read = |f: &Script| -> Option<FrontEnd> {
        if !sql::templates::placeholders(f.sql).is_empty() {
            return None;
        }
        let o = run_options(options, f.transaction, f.one_query);
        let mut front = read_front_end(f.path, f.sql, &o);
        if front.lowered.is_none() {
            front.lowered = Some(
                front
                    .split
                    .statements
                    .iter()
                    .map(|r| sql::lower(f.sql, r.span.clone()))
                    .collect(),
            );
        }
        Some(front)
    };
    std::thread::scope(|s| {
        for _ in 0..workers.min(n) {
            s.spawn(|| loop {
                let i = {
                    let mut st = lock();
                    loop {
                        if st.next >= n || st.stop {
                            return;
                        }
                        if st.next < st.taken + window {
                            st.next += 1;
                            break st.next - 1;
                        }
                        st = changed.wait(st).unwrap_or_else(PoisonError::into_inner);
                    }
                };
                let front =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(&order[i])))
                        .ok()
                        .flatten();
                let mut st = lock();
                st.slots[i] = front;
                st.ready[i] = true;
                drop(st);
                changed.notify_all();
            });
        }
        let _stop = Stop(&state, &changed);
        for i in 0..n {
            let pre = {
                let mut st = lock();
                while !st.ready[i] {
                    st = changed.wait(st).unwrap_or_else(PoisonError::into_inner);
                }
                st.taken = i + 1;
                st.slots[i].take()
            };
            changed.notify_all();
            each(i, pre);
        }
    });
}

/// Lints the files of migration folders as their tool runs them
/// ([`crate::tools`]): the tool given, or detected; the scripts of
/// `direction`; in the tool's run order, each in a transaction or not as
/// the tool runs it. The report names the tool (unless the folder is
/// plain), gives each linted file its place in the run order and its
/// transaction mode, and lists the files left out (status `skipped`, with
/// why). Problems with the tool's own files (a malformed `metadata.toml`)
/// come back beside the report: the run goes on without them.
pub fn lint_folder(
    files: &[(String, String)],
    tool: Option<crate::tools::Tool>,
    direction: crate::tools::Direction,
    options: &LintOptions,
    schema: Option<&Schema>,
) -> Result<(LintReport, Vec<crate::tools::ToolProblem>)> {
    let run = FolderRun::new(files, tool, direction, options)?;
    let mut findings = Vec::new();
    let (mut report, problems) = run.lint(schema, &mut |mut file| findings.append(&mut file));
    report.findings = findings;
    Ok((report, problems))
}

/// A folder read as its tool runs it ([`lint_folder`]), before linting:
/// what the report will say of the tool, so a caller can print that first
/// and then take the findings as they come ([`FolderRun::lint`]).
pub struct FolderRun<'a> {
    options: &'a LintOptions,
    planner: Option<Planner>,
    direction: crate::tools::Direction,
    prepared: crate::tools::Prepared<'a>,
    /// The report's `tool`, as [`lint_folder`] gives it.
    pub tool: Option<crate::report::ToolRun>,
    /// How many files the tool leaves out.
    pub left: usize,
}

impl<'a> FolderRun<'a> {
    /// Reads `files` with `tool` (`None`: detected) in `direction`; an
    /// error for options the engine refuses. Nothing is linted yet.
    pub fn new(
        files: &'a [(String, String)],
        tool: Option<crate::tools::Tool>,
        direction: crate::tools::Direction,
        options: &'a LintOptions,
    ) -> Result<Self> {
        validate_options(options)?;
        let planner = planner_for(options)?;
        // `include` / `exclude`: scripts outside them are left out, with why.
        let prepared = if options.include.is_empty() && options.exclude.is_empty() {
            crate::tools::prepare(files, tool, direction)?
        } else {
            // `include` / `exclude`: scripts outside them are left out, with
            // why; the tool reads the others (their texts then copied).
            let mut filtered_out = Vec::new();
            let kept: Vec<(String, String)> = files
                .iter()
                .filter(|(path, _)| {
                    let why = crate::tools::is_script(path)
                        .then(|| left_by_globs(options, path))
                        .flatten();
                    match why {
                        Some(reason) => {
                            filtered_out.push(crate::tools::Left {
                                path: path.clone(),
                                reason,
                            });
                            false
                        }
                        None => true,
                    }
                })
                .cloned()
                .collect();
            let mut prepared = crate::tools::prepare(&kept, tool, direction)?.into_owned();
            prepared.left.extend(filtered_out);
            prepared
        };
        let tool = tool_run(&prepared, direction);
        let left = prepared.left.len();
        Ok(FolderRun {
            options,
            planner,
            direction,
            prepared,
            tool,
            left,
        })
    }

    /// Lints the files in run order, handing `sink` each file's findings in
    /// the report's order (path order, each finding pointing at its file's
    /// entry) as soon as the files before it in that order are done: a
    /// file run out of path order is held until its turn. The report comes
    /// back without findings: its files, summary (counting what `sink` got)
    /// and tool are [`lint_folder`]'s.
    pub fn lint(
        self,
        schema: Option<&Schema>,
        sink: &mut dyn FnMut(Vec<Finding>),
    ) -> (LintReport, Vec<crate::tools::ToolProblem>) {
        // The report's files: every unit's path and every file left out,
        // in path order.
        let mut paths: Vec<&str> = self
            .prepared
            .units
            .iter()
            .map(|u| u.path.as_str())
            .chain(self.prepared.left.iter().map(|l| l.path.as_str()))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let place = |path: &str| paths.binary_search(&path).unwrap_or(0);
        let mut remaining = vec![0usize; paths.len()];
        for u in &self.prepared.units {
            remaining[place(&u.path)] += 1;
        }
        let mut held: Vec<Vec<Finding>> = vec![Vec::new(); paths.len()];
        let mut next = 0;
        let mut counts = crate::report::Summary::default();
        let mut flush = |next: &mut usize, remaining: &[usize], held: &mut [Vec<Finding>]| {
            while *next < remaining.len() && remaining[*next] == 0 {
                let mut file = std::mem::take(&mut held[*next]);
                file.sort_by(finding_order);
                let index = u32::try_from(*next).ok();
                for f in &mut file {
                    f.file = index;
                    counts.add(f.severity);
                }
                if !file.is_empty() {
                    sink(file);
                }
                *next += 1;
            }
        };
        let mut report = LintReport::default();
        let order: Vec<Script> = self
            .prepared
            .units
            .iter()
            .map(|u| Script {
                path: &u.path,
                sql: &u.sql,
                transaction: u.transaction,
                one_query: u.one_query,
            })
            .collect();
        flush(&mut next, &remaining, &mut held);
        lint_units(
            &order,
            self.options,
            schema,
            self.planner.as_ref(),
            &mut report,
            &mut |i, findings| {
                let at = place(order[i].path);
                held[at].extend(findings);
                remaining[at] -= 1;
                flush(&mut next, &remaining, &mut held);
            },
        );
        tool_report(
            &mut report,
            &self.prepared,
            self.direction,
            self.options,
            None,
        );
        report.summary.errors = counts.errors;
        report.summary.warnings = counts.warnings;
        report.summary.infos = counts.infos;
        (report, self.prepared.problems)
    }
}

/// The report's `tool`: none for a plain folder read up with nothing left
/// out (its report is what it always was).
fn tool_run(
    prepared: &crate::tools::Prepared,
    direction: crate::tools::Direction,
) -> Option<crate::report::ToolRun> {
    use crate::tools::{Direction, Tool};
    (prepared.tool != Tool::Plain || direction != Direction::Up || !prepared.left.is_empty()).then(
        || crate::report::ToolRun {
            name: prepared.tool.name().to_string(),
            why: prepared.why.clone(),
            direction: match direction {
                Direction::Up => "up",
                Direction::Down => "down",
            }
            .to_string(),
        },
    )
}

/// Why `include` / `exclude` leave a migration out, if they do.
fn left_by_globs(options: &LintOptions, path: &str) -> Option<String> {
    if let Some(g) = options.exclude.iter().find(|g| glob_match(g, path)) {
        Some(format!("excluded by `{g}`"))
    } else if !options.include.is_empty() && !options.include.iter().any(|g| glob_match(g, path)) {
        Some("matched by no `include` glob".to_string())
    } else {
        None
    }
}

/// A tool's run in its report: one entry per file (a file read as several
/// units, Liquibase's changesets, has its statements summed); unless the
/// run is a plain folder going up with nothing left out, the tool, each
/// linted file's place in the run order and its transaction mode, and the
/// files left out (status `skipped`, `changed` as given). Then
/// [`finish`]: files in path order, each finding pointing at its file's
/// entry.
fn tool_report(
    report: &mut LintReport,
    prepared: &crate::tools::Prepared,
    direction: crate::tools::Direction,
    options: &LintOptions,
    left_changed: Option<u32>,
) {
    // A file's units are next to each other (the tool's order keeps a
    // file's changesets together); each finding follows its file's entry.
    let mut merged: Vec<FileSummary> = Vec::with_capacity(report.files.len());
    let mut moved = Vec::with_capacity(report.files.len());
    for f in report.files.drain(..) {
        match merged.last_mut().filter(|m| m.path == f.path) {
            Some(m) => {
                m.statements += f.statements;
                m.changed = m.changed.zip(f.changed).map(|(a, b)| a + b);
            }
            None => merged.push(f),
        }
        moved.push(u32::try_from(merged.len() - 1).unwrap_or(u32::MAX));
    }
    for f in &mut report.findings {
        f.file = f.file.and_then(|i| moved.get(i as usize).copied());
    }
    report.files = merged;
    report.tool = tool_run(prepared, direction);
    if report.tool.is_some() {
        for f in &mut report.files {
            let units: Vec<(usize, &crate::tools::Unit)> = prepared
                .units
                .iter()
                .enumerate()
                .filter(|(_, u)| u.path == f.path)
                .collect();
            if let Some((i, _)) = units.first() {
                f.run = u32::try_from(i + 1).ok();
                let modes: Vec<bool> = units
                    .iter()
                    .map(|(_, u)| u.transaction.unwrap_or(false) || options.assume_in_transaction)
                    .collect();
                // Sections with different modes (Liquibase): none for the file.
                f.transaction = modes.iter().all(|m| *m == modes[0]).then_some(modes[0]);
            }
        }
        for l in &prepared.left {
            report.files.push(FileSummary {
                path: l.path.clone(),
                phase: infer_phase(&l.path, None, options),
                statements: 0,
                status: Some(FileStatus::Skipped),
                reason: Some(l.reason.clone()),
                changed: left_changed,
                transaction: None,
                run: None,
            });
        }
    }
    finish(report);
}

/// Where migrations are, unless the caller says: Rails' folders and any
/// `.sql` file.
pub const DEFAULT_MIGRATIONS: &[&str] = &["db/migrate/**", "db/post_migrate/**", "**/*.sql"];

/// Lints the migrations a unified diff changes. Statements that overlap
/// lines the diff adds or removes get findings; the rest of what it shows is
/// read for context. Every file of the diff is in the report's `files`, with
/// a [`FileStatus`]: schema dumps, paths no glob of `migrations` matches
/// (default [`DEFAULT_MIGRATIONS`]), deleted files, and migrations that
/// cannot be read (not SQL, binary, a damaged hunk) are listed, never linted
/// and never shown as clean.
pub fn lint_diff(diff: &str, options: &LintOptions, migrations: &[String]) -> Result<LintReport> {
    lint_diff_files(diff::parse(diff), options, migrations, Vec::new(), None)
}

/// [`lint_diff`] on top of a loaded schema (the browser's lint module has
/// this, not the context-reading [`lint_diff_with_schema`]).
pub fn lint_diff_on_schema(
    diff: &str,
    options: &LintOptions,
    migrations: &[String],
    schema: &Schema,
) -> Result<LintReport> {
    lint_diff_files(
        diff::parse(diff),
        options,
        migrations,
        Vec::new(),
        Some(schema),
    )
}

/// [`lint_diff`], with `context`: unchanged migrations read, in path order
/// among the diff's files, for what they create (a table created before is
/// known), never reported and not listed. A context file the diff also
/// holds is the diff's. Not in the browser's lint module (its size budget).
#[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
pub fn lint_diff_with_context(
    diff: &str,
    options: &LintOptions,
    migrations: &[String],
    context: &[SourceFile],
) -> Result<LintReport> {
    lint_diff_with_schema(diff, options, migrations, context, None)
}

/// [`lint_diff_with_context`] on top of a loaded schema (`None`: no schema
/// known): the context files and the diff's apply on top of it.
#[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
pub fn lint_diff_with_schema(
    diff: &str,
    options: &LintOptions,
    migrations: &[String],
    context: &[SourceFile],
    schema: Option<&Schema>,
) -> Result<LintReport> {
    let files = diff::parse(diff);
    let mut context: Vec<DiffFile> = context
        .iter()
        .filter(|c| !files.iter().any(|f| f.path == c.path))
        .map(|c| DiffFile {
            path: c.path.clone(),
            text: c.sql.clone(),
            has_hunks: true,
            ..DiffFile::default()
        })
        .collect();
    context.sort_by(|a, b| a.path.cmp(&b.path));
    lint_diff_files(files, options, migrations, context, schema)
}

/// Lints a diff's files; `context` (sorted by path) is read, not reported.
/// With a migration tool (options `tool` or `direction`), the tool decides
/// which of them run, in what order and in which transaction mode.
fn lint_diff_files(
    mut files: Vec<DiffFile>,
    options: &LintOptions,
    migrations: &[String],
    context: Vec<DiffFile>,
    schema: Option<&Schema>,
) -> Result<LintReport> {
    validate_options(options)?;
    let tool_run = if options.tool.is_some() || options.direction.is_some() {
        Some(crate::tools::choice(
            options.tool.as_deref(),
            options.direction.as_deref(),
        )?)
    } else {
        None
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut report = LintReport::default();
    let mut catalog = seed(schema);
    let rules = active_rules(options);
    let planner = planner_for(options)?;
    let is_migration = |path: &str| {
        if migrations.is_empty() {
            DEFAULT_MIGRATIONS.iter().any(|g| glob_match(g, path))
        } else {
            migrations.iter().any(|g| glob_match(g.trim(), path))
        }
    };
    // What each file is; `None`: a migration to lint.
    let mut statuses: Vec<Option<(FileStatus, Option<String>)>> = files
        .iter()
        .map(|f| diff_status(f, &is_migration, options))
        .collect();
    let mut per_file = Vec::new();
    if let Some((tool, direction)) = tool_run {
        // The tool reads the diff's migrations, the context, and its own
        // files (metadata.toml, a journal, sqitch.plan) the diff shows whole.
        let mut input: Vec<(String, String)> = Vec::new();
        for (f, st) in files.iter().zip(&statuses) {
            let own = !f.deleted && !crate::tools::is_script(&f.path) && first_hidden(f).is_none();
            if st.is_none() || own {
                input.push((f.path.clone(), f.text.clone()));
            }
        }
        for c in &context {
            if is_migration(&c.path) || !crate::tools::is_script(&c.path) {
                input.push((c.path.clone(), c.text.clone()));
            }
        }
        let (tool, why) = match tool {
            Some(t) => (t, "given".to_string()),
            None => crate::tools::detect(&input),
        };
        // A migration the diff shows in part, whose tool reads the whole
        // file to run it, is not checked (and not given to the tool).
        for (f, st) in files.iter().zip(statuses.iter_mut()) {
            if st.is_none() {
                if let Some(why) = markers_hidden(tool, f) {
                    *st = Some((FileStatus::NotChecked, Some(why)));
                    input.retain(|(p, _)| *p != f.path);
                }
            }
        }
        let mut prepared = crate::tools::prepare(&input, Some(tool), direction)?;
        prepared.why = why;
        let mut linted = vec![false; files.len()];
        for u in &prepared.units {
            let o = run_options(options, u.transaction, u.one_query);
            let p = planner.as_ref();
            if let Some(i) = files.iter().position(|f| f.path == u.path) {
                if statuses[i].is_some() {
                    continue;
                }
                linted[i] = true;
                per_file.push(lint_one(
                    &u.path,
                    &u.sql,
                    Some(&files[i]),
                    &o,
                    p,
                    &rules,
                    &mut catalog,
                    &mut report,
                ));
            } else if let Some(c) = context.iter().find(|c| c.path == u.path) {
                // Context: read for the catalog, never reported.
                let kept = report.files.len();
                lint_one(
                    &u.path,
                    &u.sql,
                    Some(c),
                    &o,
                    p,
                    &rules,
                    &mut catalog,
                    &mut report,
                );
                report.files.truncate(kept);
            }
        }
        // The tool's own files it could not read are not checked, with why.
        // A migration the tool refuses to run (Flyway's mixed statements)
        // is linted as it would run, and says so.
        for problem in &prepared.problems {
            let why = format!("line {}: {}", problem.line, problem.message);
            if let Some(i) = files.iter().position(|f| f.path == problem.path) {
                if linted[i] {
                    let entry = report.files.iter_mut().find(|s| s.path == problem.path);
                    if let Some(entry) = entry {
                        entry.reason = Some(why);
                    }
                } else {
                    statuses[i] = Some((FileStatus::NotChecked, Some(why)));
                }
            }
        }
        // Migrations the tool does not run in this direction: left out, with
        // why; the other files as they are.
        let mut left = Vec::new();
        for (i, f) in files.iter().enumerate() {
            if linted[i] {
                continue;
            }
            match statuses[i].take() {
                None => left.push(crate::tools::Left {
                    path: f.path.clone(),
                    reason: prepared.left.iter().find(|l| l.path == f.path).map_or_else(
                        || format!("not a migration {} runs", prepared.tool.name()),
                        |l| l.reason.clone(),
                    ),
                }),
                Some((status, reason)) => {
                    report.files.push(unlinted(f, status, reason, options));
                }
            }
        }
        report.findings = per_file.into_iter().flatten().collect();
        let prepared = crate::tools::Prepared { left, ..prepared };
        tool_report(&mut report, &prepared, direction, options, Some(0));
        diff_counts(&mut report);
        return Ok(report);
    }
    // The browser's lint module never has context (see lint_diff_with_context).
    #[cfg(all(target_arch = "wasm32", not(feature = "full")))]
    drop(context);
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    let mut context = context.iter().peekable();
    for (f, status) in files.iter().zip(statuses) {
        // Context files before this one: read for the catalog, no findings
        // (nothing in them changed), no entry in `files`.
        #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
        while let Some(c) = context.next_if(|c| c.path < f.path) {
            if is_migration(&c.path) {
                let p = planner.as_ref();
                let kept = report.files.len();
                lint_one(
                    &c.path,
                    &c.text,
                    Some(c),
                    options,
                    p,
                    &rules,
                    &mut catalog,
                    &mut report,
                );
                report.files.truncate(kept);
            }
        }
        match status {
            Some((status, reason)) => report.files.push(unlinted(f, status, reason, options)),
            None => {
                let p = planner.as_ref();
                per_file.push(lint_one(
                    &f.path,
                    &f.text,
                    Some(f),
                    options,
                    p,
                    &rules,
                    &mut catalog,
                    &mut report,
                ));
            }
        }
    }
    report.findings = per_file.into_iter().flatten().collect();
    diff_counts(&mut report);
    finish(&mut report);
    Ok(report)
}

/// What a diff's file is, or `None` for a migration to lint: deleted, a
/// schema dump, not a migration (by the globs), or one that cannot be read
/// from the diff (with why).
fn diff_status(
    f: &DiffFile,
    is_migration: &dyn Fn(&str) -> bool,
    options: &LintOptions,
) -> Option<(FileStatus, Option<String>)> {
    Some(if f.deleted {
        (FileStatus::Deleted, None)
    } else if is_schema_dump(&f.path, &f.text) {
        (
            FileStatus::Schema,
            Some("a schema dump, not a migration".to_string()),
        )
    } else if !is_migration(&f.path) || is_migration_record(&f.path) {
        (FileStatus::Skipped, None)
    } else if let Some(why) = left_by_globs(options, &f.path) {
        (FileStatus::Skipped, Some(why))
    } else if let Some(why) = &f.problem {
        (FileStatus::NotChecked, Some(why.clone()))
    } else if let Some(why) = unread_kind(&f.path) {
        (FileStatus::NotChecked, Some(why.to_string()))
    } else if !f.has_hunks {
        (
            FileStatus::Checked,
            Some("renamed or mode changed; its text did not change".to_string()),
        )
    } else if let Some(why) = ruby_shown_in_part(f) {
        (FileStatus::NotChecked, Some(why))
    } else {
        return None;
    })
}

/// The entry of a diff's file that is not linted.
fn unlinted(
    f: &DiffFile,
    status: FileStatus,
    reason: Option<String>,
    options: &LintOptions,
) -> FileSummary {
    FileSummary {
        path: f.path.clone(),
        phase: infer_phase(&f.path, None, options),
        statements: 0,
        status: Some(status),
        reason,
        changed: Some(0),
        transaction: None,
        run: None,
    }
}

/// A diff report's counts of changed and context statements and of files
/// not checked.
fn diff_counts(report: &mut LintReport) {
    let count = |pick: fn(&FileSummary) -> u32| Some(report.files.iter().map(pick).sum());
    let (changed, context, not_checked) = (
        count(|f| f.changed.unwrap_or(0)),
        count(|f| f.statements - f.changed.unwrap_or(0).min(f.statements)),
        count(|f| u32::from(f.status == Some(FileStatus::NotChecked))),
    );
    report.summary.changed = changed;
    report.summary.context = context;
    report.summary.not_checked = not_checked;
}

/// The options a file runs with: in the runner's transaction when its tool
/// says so, unless --assume-in-transaction already puts every file in one;
/// and whether the runner sends it as one query.
fn run_options(
    options: &LintOptions,
    transaction: Option<bool>,
    one_query: bool,
) -> std::borrow::Cow<'_, LintOptions> {
    let wrap = transaction == Some(true) && !options.assume_in_transaction;
    if wrap || one_query {
        std::borrow::Cow::Owned(LintOptions {
            assume_in_transaction: options.assume_in_transaction || wrap,
            one_query,
            ..options.clone()
        })
    } else {
        std::borrow::Cow::Borrowed(options)
    }
}

/// The first byte of a diff's file the diff does not show, before the gap
/// after its last hunk (the only one a whole file may have).
fn first_hidden(f: &DiffFile) -> Option<usize> {
    let trailing = f.text.len().saturating_sub(2);
    f.gaps.iter().copied().filter(|&g| g < trailing).min()
}

/// Why a migration the diff shows in part cannot be read as its tool runs
/// it, if it cannot: the tool finds its sections or transaction mode
/// anywhere in the file (markers, the statements it holds).
fn markers_hidden(tool: crate::tools::Tool, f: &DiffFile) -> Option<String> {
    use crate::tools::Tool;
    let reads_text = matches!(
        tool,
        Tool::Goose
            | Tool::Dbmate
            | Tool::Liquibase
            | Tool::Flyway
            | Tool::GolangMigrate
            | Tool::Prisma
    );
    let first = first_hidden(f).filter(|_| reads_text)?;
    let line = f.text[..first].matches('\n').count() + 1;
    Some(format!(
        "the diff does not show line {line} of this file, and {} decides how it runs from the whole file (its markers or statements): lint the file itself (`zerodown lint --tool {} {}`)",
        tool.name(),
        tool.name(),
        f.path
    ))
}

/// GitLab's record of the migrations that ran (`db/schema_migrations/
/// <timestamp>`, one file per migration, holding a checksum): part of the
/// schema's bookkeeping, never a migration, whatever the globs say.
fn is_migration_record(path: &str) -> bool {
    let mut dirs = path.rsplit('/').skip(1);
    dirs.any(|d| d == "schema_migrations")
}

/// Why a migration of this kind is not read in a diff, if it is not: SQL
/// is read, and Ruby (Rails) when the Ruby front end is compiled in (not
/// in the browser's lint module: its `zerodown/ruby` module has it).
fn unread_kind(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".sql") {
        None
    } else if lower.ends_with(".rb") {
        if cfg!(feature = "ruby") {
            None
        } else {
            Some("a Ruby (Rails) migration: this module has no Ruby front end; the browser's Ruby module (`zerodown/ruby`), the Node module and the CLI read it")
        }
    } else {
        Some("not SQL: zerodown reads SQL and Ruby (Rails) migrations; other code migrations are not read")
    }
}

/// A Ruby migration is read from its top (its class, whether it runs in a
/// transaction, its constants): in a diff it is read when every line up to
/// the last one shown is shown (a new file, or hunks that start at line 1
/// with no gap between them). Otherwise, why not.
fn ruby_shown_in_part(f: &DiffFile) -> Option<String> {
    // Without the Ruby front end `.rb` is not read at all (`unread_kind`);
    // the constant check keeps this message out of the lint module.
    if !cfg!(feature = "ruby") || !f.path.to_ascii_lowercase().ends_with(".rb") {
        return None;
    }
    let first = first_hidden(f)?;
    let line = f.text[..first].matches('\n').count() + 1;
    Some(format!(
        "the diff does not show line {line} of this Ruby migration, and a Ruby migration is read from its top (its class, `disable_ddl_transaction!`, its constants): lint the file itself (`zerodown lint {}`)",
        f.path
    ))
}

/// Schema dumps, by name (`structure.sql`, `schema.rb`) or by what
/// `pg_dump` writes at their top.
fn is_schema_dump(path: &str, text: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    matches!(name.as_str(), "structure.sql" | "schema.rb")
        || text.contains("-- PostgreSQL database dump")
        || text.contains("SELECT pg_catalog.set_config('search_path', '', false);")
}

/// The order of findings in a file: by position, then rule.
fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.span.start.offset, a.span.end.offset, a.rule.as_str()).cmp(&(
        b.span.start.offset,
        b.span.end.offset,
        b.rule.as_str(),
    ))
}

/// Sorts files by path (stably) and findings by file, then position, and
/// renumbers each finding's `file` to its file's new index.
fn finish(report: &mut LintReport) {
    let mut order: Vec<usize> = (0..report.files.len()).collect();
    order.sort_by(|&a, &b| report.files[a].path.cmp(&report.files[b].path));
    let mut new_index = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = u32::try_from(new).unwrap_or(u32::MAX);
    }
    let mut files: Vec<Option<FileSummary>> = std::mem::take(&mut report.files)
        .into_iter()
        .map(Some)
        .collect();
    report.files = order.iter().filter_map(|&i| files[i].take()).collect();
    for f in &mut report.findings {
        f.file = f.file.and_then(|i| new_index.get(i as usize).copied());
    }
    // Findings come sorted per file, so this stable sort is one pass unless
    // files were reordered.
    report
        .findings
        .sort_by(|a, b| a.file.cmp(&b.file).then_with(|| finding_order(a, b)));
    report.recount();
}

/// The rules that run under `options`, with the severity each reports at
/// (None: the rule's own choice per diagnostic).
fn active_rules(options: &LintOptions) -> Vec<(&'static dyn Rule, Option<Severity>)> {
    rules::RULES
        .iter()
        .filter_map(|r| match options.rules.get(r.meta().id) {
            Some(level) => level.severity().map(|s| (*r, Some(s))),
            None if r.meta().enabled_by_default => Some((*r, None)),
            None => None,
        })
        .collect()
}

/// A diagnostic waiting for suppression: its rule, statement and severity.
struct Pending {
    rule: &'static str,
    statement: Range<usize>,
    /// Index of the statement in the file, for statement-level ignores.
    index: usize,
    diag: Diagnostic,
    severity: Severity,
}

/// Lints one file: adds its summary to `report` and returns its findings,
/// sorted. With a diff's `view`, only statements that overlap its changes
/// get findings; the others are read for context (they fill the catalog).
///
/// A SQL file with template placeholders (`{{ .Schema }}`) is linted with
/// their values filled in (`template_vars`), its findings' positions mapped
/// back to the file; a placeholder with no value makes the file one
/// `template-placeholder` finding. (A diff's file is read as shown; the
/// browser's lint module leaves templates out, for its size budget, and
/// refuses `templateVars`.)
#[allow(clippy::too_many_arguments)]
fn lint_one(
    path: &str,
    text: &str,
    view: Option<&DiffFile>,
    options: &LintOptions,
    planner: Option<&Planner>,
    rules: &[(&'static dyn Rule, Option<Severity>)],
    catalog: &mut Catalog,
    report: &mut LintReport,
) -> Vec<Finding> {
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    if view.is_none() && !is_ruby_path(path) {
        match sql::templates::fill(text, &options.template_vars) {
            Ok(None) => {}
            Ok(Some(filled)) => {
                let mut findings = lint_text(
                    path,
                    &filled.text,
                    None,
                    options,
                    planner,
                    rules,
                    catalog,
                    report,
                    None,
                    None,
                );
                let original = LineIndex::new(text);
                let back = |s: &crate::model::Span| {
                    let start = filled.original(s.start.offset as usize);
                    let end = filled.original(s.end.offset as usize).max(start);
                    original.span(start..end)
                };
                for f in &mut findings {
                    f.span = back(&f.span);
                    f.statement = back(&f.statement);
                    // Edits of the filled-in text are not edits of the file.
                    f.fix = None;
                }
                return findings;
            }
            Err(missing) => {
                return lint_text(
                    path,
                    text,
                    None,
                    options,
                    planner,
                    rules,
                    catalog,
                    report,
                    Some(&missing),
                    None,
                )
            }
        }
    }
    lint_text(
        path, text, view, options, planner, rules, catalog, report, None, None,
    )
}

/// Whether the engine reads `path` with the Ruby front end.
fn is_ruby_path(path: &str) -> bool {
    #[cfg(feature = "ruby")]
    {
        crate::ruby::is_ruby(path)
    }
    #[cfg(not(feature = "ruby"))]
    {
        let _ = path;
        false
    }
}

/// [`lint_one`] of a text as it is read; `missing`: placeholders with no
/// value, which make the file one `template-placeholder` finding and keep
/// its statements unread.
#[allow(clippy::too_many_arguments)]
fn lint_text(
    path: &str,
    text: &str,
    view: Option<&DiffFile>,
    options: &LintOptions,
    planner: Option<&Planner>,
    rules: &[(&'static dyn Rule, Option<Severity>)],
    catalog: &mut Catalog,
    report: &mut LintReport,
    missing: Option<&[sql::templates::Placeholder]>,
    pre: Option<FrontEnd>,
) -> Vec<Finding> {
    let index = LineIndex::new(text);
    // The front end, by the file's kind: SQL, or a Rails migration read
    // into the same operations (its statements lowered already); or read
    // already, on another thread (`jobs`).
    let front = pre.unwrap_or_else(|| read_front_end(path, text, options));
    let (split, mut lowered, options) = (
        front.split,
        front.lowered,
        front.options.as_ref().unwrap_or(options),
    );
    let file = u32::try_from(report.files.len()).unwrap_or(u32::MAX);
    // The engine's own findings, built from their rules' metadata.
    let level_of = |meta: &RuleMeta| match options.rules.get(meta.id) {
        Some(l) => l.severity(),
        None => Some(meta.severity),
    };

    // Directives: ignores and the header (comments before the first statement).
    let first_stmt = split
        .statements
        .first()
        .map_or(text.len(), |s| s.span.start);
    let mut header_phase = None;
    // `-- zerodown: transaction=false|true`: how the file runs, over the
    // tool's mode and --assume-in-transaction.
    let mut header_transaction = None;
    let mut ignores: Vec<(Ignore, Option<usize>)> = Vec::new();
    for c in &split.comments {
        if c.span.start < first_stmt {
            for (k, v) in parse_header(c) {
                if k == "phase" {
                    header_phase = Phase::parse(&v);
                } else if k == "transaction" {
                    header_transaction = match v.to_ascii_lowercase().as_str() {
                        "false" | "none" | "no" | "off" => Some(false),
                        "true" | "yes" | "on" => Some(true),
                        _ => None,
                    };
                }
            }
        }
        if let Some(ig) = parse_ignore(c) {
            let target = if ig.file_wide {
                None
            } else {
                split
                    .statements
                    .iter()
                    .position(|s| s.leading.contains(&c.span.start))
            };
            ignores.push((ig, target));
        }
    }
    let phase = infer_phase(path, header_phase, options);

    let mut state = FileState::new(options);
    let file_scan = rules::FileScan::default();
    if let Some(t) = header_transaction {
        state.in_transaction = t;
    }
    catalog.start_file();
    let mut pending: Vec<Pending> = Vec::new();
    let mut diags = Vec::new();
    let changed =
        |span: &Range<usize>| view.is_none_or(|v| v.changes.iter().any(|c| touches(c, span)));
    let (mut n_changed, mut cut) = (0u32, 0u32);
    if let Some(missing) = missing {
        if let (Some(first), Some(sev)) =
            (missing.first(), level_of(&rules::TemplatePlaceholder::META))
        {
            let at = split
                .statements
                .iter()
                .position(|s| s.span.contains(&first.span.start));
            let mut names: Vec<&str> = missing.iter().map(|p| p.name.as_str()).collect();
            names.dedup();
            pending.push(Pending {
                rule: rules::TemplatePlaceholder::META.id,
                statement: at.map_or(first.span.clone(), |k| split.statements[k].span.clone()),
                index: at.unwrap_or(usize::MAX),
                diag: Diagnostic::new(
                    first.span.clone(),
                    format!(
                        "this file is a template: `{}` stands where SQL belongs ({} placeholder(s) of {}), so zerodown checked none of its statements",
                        &text[first.span.clone()],
                        missing.len(),
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!(
                        "give the value: `template-vars = {{ {} = \"...\" }}` in zerodown.toml, or `--define {}=...`; the file is then linted with it filled in",
                        names[0], names[0]
                    ),
                ),
                severity: sev,
            });
        }
    }
    let statements_read = if missing.is_some() {
        &[][..]
    } else {
        &split.statements[..]
    };
    for (i, raw) in statements_read.iter().enumerate() {
        let stmt = match &mut lowered {
            Some(v) => v
                .get_mut(i)
                .map(std::mem::take)
                .unwrap_or_else(|| sql::lower(text, raw.span.clone())),
            None => sql::lower(text, raw.span.clone()),
        };
        let is_changed = changed(&raw.span);
        n_changed += u32::from(is_changed);
        if let Some((message, at)) = &stmt.error {
            if view.is_some_and(|v| cut_by_gap(text, &v.gaps, &raw.span)) {
                // A statement the diff shows only part of: its parse error
                // says nothing about the file.
                cut += u32::from(is_changed);
                continue;
            }
            // What it still tells (a table it creates, recovered from its
            // words) is learnt; no rule runs on it.
            for op in &stmt.ops {
                state.apply_with(op, options, catalog);
                catalog.apply(op);
            }
            if !is_changed {
                continue;
            }
            if let Some(sev) = level_of(&rules::ParseError::META) {
                let end = token_end(text, *at, raw.span.end);
                pending.push(Pending {
                    rule: rules::ParseError::META.id,
                    statement: raw.span.clone(),
                    index: i,
                    diag: Diagnostic::new(
                        *at..end,
                        message.clone(),
                        if message.starts_with(sql::UNREADABLE) {
                            "if PostgreSQL accepts it, review it by hand (zerodown checked nothing in it) and add `-- zerodown-ignore parse-error: reason` above it; if not, fix it"
                        } else if message.contains("unexpanded template") {
                            "lint the SQL after the template is filled in, or review this file by hand and add `-- zerodown-ignore-file parse-error: reason` at its top"
                        } else {
                            "fix it: PostgreSQL rejects this statement, so the migration would fail when it runs"
                        },
                    ),
                    severity: sev,
                });
            }
            continue;
        }
        for op in &stmt.ops {
            let facts = OpFacts::new(op);
            let cx = RuleContext {
                options,
                phase,
                statement: &stmt,
                state: &state,
                catalog,
                source: text,
                file_scan: &file_scan,
            };
            for (rule, forced) in rules.iter().filter(|_| is_changed) {
                rule.check_op(op, &facts, &cx, &mut diags);
                for mut d in diags.drain(..) {
                    if let Some(help) = front.help.and_then(|h| h(rule.meta().id)) {
                        d.help = help.to_string();
                    }
                    // Why the fix is not offered: for files of its
                    // language (SQL in a Rails migration's heredoc gets no
                    // SQL fix, so no reason about one).
                    if let Some(no) = d.no_fix.take().filter(|n| n.ruby == is_ruby_path(path)) {
                        d.help
                            .push_str(&format!(" (no automatic fix here: {})", no.why));
                    }
                    let severity = forced.or(d.severity).unwrap_or(rule.meta().severity);
                    pending.push(Pending {
                        rule: rule.meta().id,
                        statement: raw.span.clone(),
                        index: i,
                        diag: d,
                        severity,
                    });
                }
            }
            state.apply_with(op, options, catalog);
            catalog.apply(op);
        }
    }

    // Invisible characters, each in its statement (for its ignores).
    if let Some(sev) = level_of(&rules::InvisibleCharacters::META) {
        for (span, c) in rules::invisible_characters(text).filter(|(s, _)| changed(s)) {
            let index = split
                .statements
                .iter()
                .position(|s| s.span.contains(&span.start));
            pending.push(Pending {
                rule: rules::InvisibleCharacters::META.id,
                statement: index.map_or(span.clone(), |k| split.statements[k].span.clone()),
                index: index.unwrap_or(usize::MAX),
                diag: rules::invisible_character_diagnostic(span, c),
                severity: sev,
            });
        }
    }

    // Suppression, and which ignores were used.
    let mut findings = Vec::with_capacity(pending.len());
    let mut used: BTreeSet<(usize, String)> = BTreeSet::new();
    for p in pending {
        let hit = ignores.iter().enumerate().find(|(_, (ig, target))| {
            ig.rules.iter().any(|r| r == p.rule) && (ig.file_wide || *target == Some(p.index))
        });
        if let Some((k, _)) = hit {
            used.insert((k, p.rule.to_string()));
            continue;
        }
        findings.push(to_finding(path, file, &index, p, planner));
    }
    if let Some(sev) = level_of(&rules::UnusedIgnore::META) {
        for (k, (ig, target)) in ignores
            .iter()
            .enumerate()
            .filter(|(_, (ig, _))| changed(&ig.span))
        {
            for r in &ig.rules {
                if used.contains(&(k, r.clone())) {
                    continue;
                }
                let message = if rules::find(r).is_none() {
                    format!("`{r}` is not a zerodown rule, so this comment suppresses nothing")
                } else if !ig.file_wide && target.is_none() {
                    format!("this `zerodown-ignore {r}` is not directly above a statement, so it suppresses nothing")
                } else {
                    format!(
                        "nothing in {} triggers `{r}`, so this suppression is unused",
                        if ig.file_wide {
                            "this file"
                        } else {
                            "the next statement"
                        }
                    )
                };
                let span = ig.span.clone();
                findings.push(Finding {
                    rule: rules::UnusedIgnore::META.id.into(),
                    severity: sev,
                    message,
                    help:
                        "remove the comment, or correct the rule id (`zerodown rules` lists them)"
                            .into(),
                    path: path.to_string(),
                    file: Some(file),
                    span: index.span(span.clone()),
                    statement: index.span(span),
                    plan: None,
                    fingerprint: None,
                    fix: None,
                });
            }
        }
    }
    findings.sort_by(finding_order);
    // The browser's lint module carries no fingerprints (see report::Finding).
    #[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
    crate::report::fingerprint::assign(text, &mut findings);
    let statements = u32::try_from(split.statements.len()).unwrap_or(u32::MAX);
    report.files.push(FileSummary {
        path: path.to_string(),
        phase,
        statements,
        status: view.map(|_| FileStatus::Checked),
        reason: match cut {
            0 => None,
            1 => Some(
                "1 changed statement is shown only in part by the diff and was not read".into(),
            ),
            n => Some(format!(
                "{n} changed statements are shown only in part by the diff and were not read"
            )),
        },
        changed: view.map(|_| n_changed),
        transaction: None,
        run: None,
    });
    findings
}

/// A file read by its front end.
struct FrontEnd {
    /// Statements and comments (for a Rails migration, built from its
    /// statements and `#` comments).
    split: sql::Split,
    /// The statements already lowered (Rails), or None (SQL: lowered one
    /// by one).
    lowered: Option<Vec<crate::model::Statement>>,
    /// Options of this file when they differ from the run's (a Rails
    /// migration runs in a transaction unless it says otherwise).
    options: Option<LintOptions>,
    /// Help in the front end's terms, by rule id.
    help: Option<fn(&str) -> Option<&'static str>>,
}

/// Reads a file with the front end of its kind: `.rb` as a Rails migration
/// (with the `ruby` feature), anything else as SQL.
#[allow(unused_variables)]
fn read_front_end(path: &str, text: &str, options: &LintOptions) -> FrontEnd {
    #[cfg(feature = "ruby")]
    if crate::ruby::is_ruby(path) {
        let m = crate::ruby::read(text);
        let mut prev = 0;
        let statements = m
            .statements
            .iter()
            .map(|st| {
                let start = st.span.start.max(prev).min(st.span.start);
                let leading = prev.min(start)..start;
                prev = prev.max(st.span.end);
                sql::RawStatement {
                    span: st.span.clone(),
                    leading,
                }
            })
            .collect();
        return FrontEnd {
            split: sql::Split {
                statements,
                comments: m.comments,
                unterminated: None,
            },
            lowered: Some(m.statements),
            options: Some(LintOptions {
                assume_in_transaction: m.in_transaction,
                ..options.clone()
            }),
            help: Some(crate::ruby::rails_help),
        };
    }
    FrontEnd {
        split: sql::split(text),
        lowered: None,
        options: None,
        help: None,
    }
}

/// Whether a change (an added range, or the point where lines were
/// removed) touches a statement.
fn touches(change: &Range<usize>, span: &Range<usize>) -> bool {
    if change.is_empty() {
        span.start < change.start && change.start < span.end
    } else {
        change.start < span.end && span.start < change.end
    }
}

/// Whether a gap of a diff (lines it does not show) cuts the statement: the
/// gap's `;` ended it, it begins right after a gap, or a gap is inside it.
fn cut_by_gap(text: &str, gaps: &[usize], span: &Range<usize>) -> bool {
    let no_semicolon = |r: Range<usize>| text.get(r).is_some_and(|t| !t.contains(';'));
    gaps.iter().any(|&g| {
        span.contains(&g)
            || (g >= span.end && no_semicolon(span.end..g))
            || (g < span.start && no_semicolon(g + 1..span.start))
    })
}

fn to_finding(
    path: &str,
    file: u32,
    index: &LineIndex<'_>,
    p: Pending,
    planner: Option<&Planner>,
) -> Finding {
    let plan = match (&p.diag.change, planner) {
        (Some(change), Some(planner)) => planner.plan(change).ok(),
        _ => None,
    };
    // A fix is SQL or Ruby text: kept for files of its language.
    let fix = p
        .diag
        .fix
        .filter(|f| f.ruby == is_ruby_path(path))
        .map(|f| crate::model::Fix {
            title: f.title,
            edits: f
                .edits
                .into_iter()
                .map(|(range, text)| crate::model::Edit {
                    span: index.span(range),
                    text,
                })
                .collect(),
        });
    Finding {
        rule: p.rule.to_string(),
        severity: p.severity,
        message: p.diag.message,
        help: p.diag.help,
        path: path.to_string(),
        file: Some(file),
        span: index.span(p.diag.span),
        statement: index.span(p.statement),
        plan,
        fingerprint: None,
        fix,
    }
}

/// The end of the word or symbol at `at`, bounded by `limit`.
fn token_end(text: &str, at: usize, limit: usize) -> usize {
    let limit = limit.max(at).min(text.len());
    let rest = &text[at.min(limit)..limit];
    let n = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    let n = if n == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        n
    };
    at.min(limit) + n
}

#[cfg(test)]
mod read_ahead_tests {
    use super::*;

    /// A panic in the engine's pass while files are read ahead reaches the
    /// caller, as on one thread: the workers stop instead of waiting for a
    /// pass that is gone (they waited forever, and the run hung).
    #[test]
    fn a_panic_in_the_pass_stops_the_readers() {
        let texts: Vec<String> = (0..400)
            .map(|i| format!("CREATE TABLE t{i} (id bigint);\n"))
            .collect();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let paths: Vec<String> = (0..texts.len()).map(|i| format!("{i:04}.sql")).collect();
            let order: Vec<Script> = paths
                .iter()
                .zip(&texts)
                .map(|(path, sql)| Script {
                    path,
                    sql,
                    transaction: None,
                    one_query: false,
                })
                .collect();
            let options = LintOptions::default();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_ahead(&order, &options, 2, &mut |i, _| {
                    assert!(i != 3, "the pass fails at the fourth file");
                });
            }));
            let _ = done.send(outcome.is_err());
        });
        let panicked = finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("the run hung after a panic in its pass");
        assert!(panicked, "the panic did not reach the caller");
    }
}
