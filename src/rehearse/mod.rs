//! `zerodown rehearse`: migrations or a plan applied step by step to a real,
//! disposable PostgreSQL database while a concurrent workload (application
//! versions with their statements) runs, measuring what the application
//! saw: per step its duration, the locks it took, the tables it rewrote,
//! the workload's latencies and errors, the longest lock wait; and at the
//! end whether any acknowledged row was lost, duplicated or changed.
//!
//! Native only (the `cli` feature: it needs a PostgreSQL client). The
//! report's types and its text rendering are in [`crate::report`], in
//! every build.
//!
//! Layer: above `plan`, `tools`, `report` (it rehearses their steps and
//! builds their report), below `cli`, which only reads arguments and files
//! and calls [`rehearse`].

mod generate;
mod live;
mod run;
pub mod server;
pub mod workload;

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

pub use generate::{
    before_and_after, catalog, seed, touched, workload as generated_workload, Column, Table,
};
pub use live::Live;
pub use run::{describe, rehearse, Target};
pub use workload::Workload;

use crate::model::{phase_from_path, Phase};
use crate::plan::{Plan, Step, StepPhase};
use crate::report::{Budget, Rehearsal};

/// What a rehearsal applies: steps in order with the index of their
/// release, and the release labels (empty for migration files).
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// (release index, step).
    pub steps: Vec<(usize, Step)>,
    /// Release labels.
    pub releases: Vec<String>,
}

impl Input {
    /// A plan's steps.
    pub fn from_plan(plan: &Plan) -> Input {
        Input {
            steps: plan.steps().map(|(r, s)| (r, s.clone())).collect(),
            releases: plan.releases.iter().map(|r| r.version.clone()).collect(),
        }
    }

    /// Migration files as a deployment runs them: the regular ones, then
    /// the deployment of the new code, then the post-deployment and
    /// background ones (`db/post_migrate/`, ...). Each file is a step,
    /// wrapped in a transaction when its tool runs it in one (`transaction`:
    /// `Some(true)`), else sent statement by statement as psql does.
    /// `downs` holds each file's rollback SQL when its tool has one.
    pub fn from_files(
        files: &[(String, String, Option<bool>)],
        downs: &HashMap<String, String>,
    ) -> Input {
        let step = |path: &str, sql: &str, tx: Option<bool>, phase: StepPhase| Step {
            phase,
            title: path.to_string(),
            why: String::new(),
            sql: Some(sql.to_string()),
            down: downs.get(path).cloned(),
            code: None,
            requires: Vec::new(),
            name: path.to_string(),
            outside_transaction: tx != Some(true),
            progress: None,
        };
        let mut steps = Vec::new();
        let mut later = Vec::new();
        for (path, sql, tx) in files {
            match phase_from_path(path) {
                Phase::Regular => steps.push((0, step(path, sql, *tx, StepPhase::Regular))),
                Phase::PostDeploy => later.push((0, step(path, sql, *tx, StepPhase::PostDeploy))),
                Phase::Background => later.push((0, step(path, sql, *tx, StepPhase::Background))),
            }
        }
        steps.push((
            0,
            Step {
                phase: StepPhase::Application,
                title: "deploy the new application code".into(),
                why: String::new(),
                sql: None,
                down: None,
                code: None,
                requires: Vec::new(),
                name: "deploy".into(),
                outside_transaction: false,
                progress: None,
            },
        ));
        steps.extend(later);
        Input {
            steps,
            releases: vec![String::new()],
        }
    }
}

/// How a rehearsal runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// What counts as downtime.
    pub budget: Budget,
    /// Rows generated into each empty table the workload uses (reported).
    pub rows: u64,
    /// The longest a step may run before zerodown cancels it.
    pub step_timeout: Duration,
    /// The least time the workload runs before, between and after steps.
    pub dwell: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            budget: Budget::default(),
            rows: 0,
            step_timeout: Duration::from_secs(300),
            dwell: Duration::from_millis(150),
        }
    }
}

/// Runs `schema` (a `pg_dump --schema-only` or `structure.sql`) on the
/// target. psql's backslash commands (`\restrict`, `\connect`) are
/// skipped; everything else is sent as one script.
pub fn load_schema(target: &Target, schema: &str, path: &str) -> Result<(), String> {
    let script: String = schema
        .lines()
        .filter(|l| !l.trim_start().starts_with('\\'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut c = target.connect("zerodown-rehearse")?;
    c.batch_execute(&script)
        .map_err(|e| format!("--schema {path}: {}", describe(&e)))
}

/// The tables of `catalog` whose name (unqualified, in `public`) appears as
/// a word in the steps' SQL.
fn mentioned(catalog: &generate::Catalog, steps: &[(usize, Step)]) -> Vec<String> {
    let words: std::collections::HashSet<String> = steps
        .iter()
        .filter_map(|(_, s)| s.sql.as_deref())
        .flat_map(|sql| {
            sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .map(|w| w.trim_matches('.').to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .collect();
    catalog
        .keys()
        .filter(|t| {
            let bare = t.rsplit('.').next().unwrap_or(t).trim_matches('"');
            words.contains(&t.to_ascii_lowercase()) || words.contains(&bare.to_ascii_lowercase())
        })
        .cloned()
        .collect()
}

/// A whole rehearsal as `zerodown rehearse` runs it.
pub struct Job<'a> {
    /// What to apply.
    pub input: Input,
    /// The workload; None: generated from the tables the steps change.
    pub workload: Option<Workload>,
    /// A schema to create first: (its text, its path).
    pub schema: Option<(&'a str, &'a str)>,
    /// How it runs.
    pub options: Options,
}

/// Creates the schema (when given), learns what the steps change (when the
/// workload is generated or rows are asked for), generates the workload,
/// fills the tables with `options.rows` rows, and rehearses. Notes (tables
/// left out, tables already filled) go to `notes`.
pub fn run_job(
    target: &Target,
    job: &Job,
    interrupted: &AtomicBool,
    notes: &mut Vec<String>,
) -> Result<Rehearsal, String> {
    if let Some((text, path)) = job.schema {
        load_schema(target, text, path)?;
    }
    let db = target
        .config
        .get_dbname()
        .map(str::to_string)
        .or_else(|| target.config.get_user().map(str::to_string))
        .unwrap_or_else(|| "postgres".into());
    // Without a workload: learn which tables the steps change (on a copy)
    // and generate one for them.
    let learned = match &job.workload {
        Some(_) => None,
        None => Some(before_and_after(target, &db, &job.input.steps)?),
    };
    let workload = match (&job.workload, &learned) {
        (Some(w), _) => w.clone(),
        (None, Some((before, after))) => {
            let mut tables = touched(before, after);
            if tables.is_empty() {
                // Nothing changed on the copy (a step failed there, or the
                // steps only touch rows): the tables the steps name.
                tables = mentioned(before, &job.input.steps);
            }
            generated_workload(before, after, &tables, notes)?
        }
        (None, None) => return Err("no workload: give one with --workload FILE".into()),
    };
    if job.options.rows > 0 {
        let mut c = target.connect("zerodown-rehearse")?;
        let before = match &learned {
            Some((before, _)) => before.clone(),
            None => catalog(&mut c)?,
        };
        let mut tables: Vec<String> = workload.tables.clone();
        if let Some((b, a)) = &learned {
            for t in touched(b, a) {
                if !tables.contains(&t) {
                    tables.push(t);
                }
            }
        }
        seed(&mut c, &before, &tables, job.options.rows, notes)?;
    }
    rehearse(target, &job.input, &workload, &job.options, interrupted)
}
