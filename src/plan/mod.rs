//! Step plans: the safe multi-release path for each kind of change.
//!
//! [`plan`] turns a [`Change`] into releases of steps: migrations (regular,
//! post-deploy, background) with their SQL and rollback, and the changes the
//! application code must make, each with what must hold before it runs.
//!
//! The SQL and PL/pgSQL of the steps are templates, `templates/*.sql`, with
//! `{name}` placeholders that `sql::fill` replaces: a plan's SQL reads and
//! diffs line by line there.

mod args;
mod calendar;
mod sql;

mod add_check_constraint;
mod add_foreign_key;
mod add_index;
mod add_unique_constraint;
mod backfill;
mod bigint_primary_key;
mod change_column_default;
mod change_column_type;
mod data_format_change;
mod drop_column;
mod drop_index;
mod drop_table;
mod rename_column;
mod rename_enum_value;
mod rename_table;
mod replace_view;
mod set_not_null;

use serde::{Deserialize, Serialize};

pub use args::ChangeArgs;
pub use calendar::{Calendar, Date};

use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;
use crate::model::Version;

/// Where a step runs.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepPhase {
    /// A regular migration, before the new code is deployed.
    Regular,
    /// A post-deployment migration.
    PostDeploy,
    /// A batched background migration.
    Background,
    /// A change to the application code.
    Application,
}

impl StepPhase {
    /// The kebab-case name (`post-deploy`), also the folder name of `--format sql`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepPhase::Regular => "regular",
            StepPhase::PostDeploy => "post-deploy",
            StepPhase::Background => "background",
            StepPhase::Application => "application",
        }
    }

    /// The lint phase of a migration step (None for application steps).
    pub fn lint_phase(self) -> Option<crate::model::Phase> {
        match self {
            StepPhase::Regular => Some(crate::model::Phase::Regular),
            StepPhase::PostDeploy => Some(crate::model::Phase::PostDeploy),
            StepPhase::Background => Some(crate::model::Phase::Background),
            StepPhase::Application => None,
        }
    }

    /// Order inside a release: regular migrations, the deploy of the new
    /// code, post-deploy migrations, background migrations.
    fn rank(self) -> u8 {
        match self {
            StepPhase::Regular => 0,
            StepPhase::Application => 1,
            StepPhase::PostDeploy => 2,
            StepPhase::Background => 3,
        }
    }
}

/// One step of a plan.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Where it runs.
    pub phase: StepPhase,
    /// Short title.
    pub title: String,
    /// Why this step exists.
    pub why: String,
    /// The migration's SQL (up), for migration steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// The rollback SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down: Option<String>,
    /// The application-code change, for application steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What must hold before the step may run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// A short snake_case name, used for migration file names.
    #[serde(default)]
    pub name: String,
    /// The migration must run outside a transaction (CONCURRENTLY, or a
    /// batched loop that commits between batches): do not wrap it in BEGIN.
    /// Its `down` runs outside a transaction too.
    #[serde(default, skip_serializing_if = "is_false")]
    pub outside_transaction: bool,
    /// A query that shows how far a batched step has come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Step {
    /// True for steps that are migrations (they have SQL).
    pub fn is_migration(&self) -> bool {
        self.phase != StepPhase::Application
    }
}

/// One release of a plan and its steps.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The release version (`16.4`), or a relative label (`M+1`) when the
    /// plan was made without a release.
    pub version: String,
    /// Its date, when a calendar is given (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Steps in order.
    pub steps: Vec<Step>,
}

/// The complete plan for one change.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The change planned.
    pub change: Change,
    /// Releases in order.
    pub releases: Vec<Release>,
}

impl Plan {
    /// Every step with the index of its release, in order.
    pub fn steps(&self) -> impl Iterator<Item = (usize, &Step)> {
        self.releases
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.steps.iter().map(move |s| (i, s)))
    }

    /// A stable name for the change (`rename-column-users-username`), used
    /// in migration headers.
    pub fn change_name(&self) -> String {
        change_name(&self.change)
    }
}

/// A stable name for a change: its kind and target.
pub fn change_name(change: &Change) -> String {
    let target = match change {
        Change::DropColumn { table, column }
        | Change::RenameColumn { table, column, .. }
        | Change::ChangeColumnType { table, column, .. }
        | Change::ChangeColumnDefault { table, column, .. }
        | Change::SetNotNull { table, column }
        | Change::BigintPrimaryKey { table, column }
        | Change::DataFormatChange { table, column, .. } => format!("{table}-{column}"),
        Change::AddCheckConstraint { table, name, .. } => match name {
            Some(n) => format!("{table}-{n}"),
            None => table.to_string(),
        },
        Change::AddForeignKey { table, columns, .. }
        | Change::AddUniqueConstraint { table, columns, .. }
        | Change::AddIndex { table, columns, .. } => format!("{table}-{}", columns.join("-")),
        Change::DropIndex { name, .. } => name.to_string(),
        Change::DropTable { table } | Change::RenameTable { table, .. } => table.to_string(),
        Change::Backfill { table, .. } => table.to_string(),
        Change::RenameEnumValue {
            type_name,
            value,
            new_value,
        } => format!("{type_name}-{value}-{new_value}"),
        Change::ReplaceView { view, .. } => view.to_string(),
    };
    let mut out = String::from(change.kind());
    out.push('-');
    let mut dash = false;
    for c in target.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The application framework the `code` of application steps is written for.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    /// Ruby on Rails (`ignore_column`, `columns_changing_default`).
    Rails,
    /// No framework: plain-language instructions.
    #[default]
    Plain,
}

impl Framework {
    /// Parses `rails` or `plain`.
    pub fn parse(text: &str) -> Result<Framework> {
        match text.trim().to_ascii_lowercase().as_str() {
            "rails" => Ok(Framework::Rails),
            "plain" | "none" => Ok(Framework::Plain),
            other => Err(Error::new(
                ErrorCode::BadOptions,
                format!("`{other}` is not a framework: use rails or plain"),
            )),
        }
    }
}

/// The default rows per batch of batched copies and backfills.
pub const DEFAULT_BATCH_SIZE: u32 = 1000;

/// The longest one attempt of a plan step waits for its locks.
pub const DEFAULT_LOCK_TIMEOUT: &str = "1s";

/// How many times a plan step tries again to take its locks.
pub const DEFAULT_LOCK_RETRIES: u32 = 20;

/// How plans are laid out and written.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct PlanOptions {
    /// The release the first step ships in (`16.4`, `9.0.1`). Without it
    /// releases are labelled `M`, `M+1`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// The last minor of a major: after `X.rollover` comes `(X+1).0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollover: Option<u64>,
    /// Release dates, which fill `date` and `remove_after`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Calendar>,
    /// What application steps are written for.
    pub framework: Framework,
    /// Target PostgreSQL major version.
    pub pg_version: crate::model::PgVersion,
    /// Rows per batch for batched copies (a backfill's own size wins).
    pub batch_size: u32,
    /// The integer column batched loops walk (usually the primary key).
    pub batch_column: String,
    /// The longest one attempt waits for a strong lock (`1s`, `200ms`): no
    /// query queues behind a step for longer. Attempts start at 100 ms.
    pub lock_timeout: String,
    /// How many times a step that takes strong locks tries again after a
    /// lock timeout before it fails.
    pub lock_retries: u32,
    /// The column being dropped is NOT NULL without a default (drop-column):
    /// `true` adds the step that drops the NOT NULL before the code stops
    /// writing it, `false` leaves it out; unknown (`None`) adds a step that
    /// checks the catalog when it runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_null: Option<bool>,
    /// The column's current type, for rollbacks the change does not tell
    /// (e.g. re-adding a dropped column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_type: Option<String>,
    /// The column's current default, for the rollback of change-column-default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_default: Option<String>,
    /// The dropped index's definition (`pg_get_indexdef`), for the rollback of drop-index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_definition: Option<String>,
    /// The replaced view's query (`pg_get_viewdef`), for the rollback of replace-view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view_definition: Option<String>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            release: None,
            rollover: None,
            calendar: None,
            framework: Framework::Plain,
            pg_version: crate::model::DEFAULT_PG_VERSION,
            batch_size: DEFAULT_BATCH_SIZE,
            batch_column: "id".into(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT.into(),
            lock_retries: DEFAULT_LOCK_RETRIES,
            not_null: None,
            column_type: None,
            previous_default: None,
            index_definition: None,
            view_definition: None,
        }
    }
}

/// Whether this build can plan with options other than a lint run's. The
/// browser lint module plans only for its findings, with lint's options
/// (plain framework, no calendar), so the Rails texts and the calendar are
/// dead code there: naming that lets the compiler drop them and keeps the
/// module within its size budget. Native builds, the Node module and the
/// browser's `full` module plan with any options.
pub(crate) const PLANNING_API: bool = cfg!(any(not(target_arch = "wasm32"), feature = "full"));

/// The releases of a plan: their labels and dates.
#[derive(Debug, Clone)]
pub struct Timeline {
    base: Option<Version>,
    rollover: Option<u64>,
    calendar: Option<Calendar>,
}

impl Timeline {
    /// Checks the options and builds the timeline.
    pub fn new(options: &PlanOptions) -> Result<Timeline> {
        let base = options.release.as_deref().map(Version::parse).transpose()?;
        let calendar = if PLANNING_API {
            options.calendar.clone()
        } else {
            None
        };
        if let Some(c) = &calendar {
            c.validate()?;
        }
        if options.rollover == Some(0) {
            return Err(Error::new(
                ErrorCode::BadOptions,
                "`rollover` is the last minor of a major (e.g. 11), and cannot be 0",
            ));
        }
        if let (Some(b), Some(r)) = (&base, options.rollover) {
            if b.minor() > r {
                return Err(Error::new(
                    ErrorCode::BadVersion,
                    format!("release `{b}` does not exist when every major ends at minor {r}"),
                ));
            }
        }
        Ok(Timeline {
            base,
            rollover: options.rollover,
            calendar,
        })
    }

    /// The version `k` minor releases after the first (`k = 0`: the release
    /// given, patch included).
    pub fn version(&self, k: u32) -> Option<Version> {
        let b = self.base.as_ref()?;
        Some(if k == 0 {
            b.clone()
        } else {
            b.add_minors(k, self.rollover)
        })
    }

    /// The label of release `k`: the version, or `M`, `M+1`, ...
    pub fn label(&self, k: u32) -> String {
        match self.version(k) {
            Some(v) => v.to_string(),
            None if k == 0 => "M".into(),
            None => format!("M+{k}"),
        }
    }

    /// The date of release `k`, when a calendar is given.
    pub fn date(&self, k: u32) -> Option<String> {
        if !PLANNING_API {
            return None;
        }
        self.calendar.as_ref()?.date(k).map(|d| d.to_string())
    }
}

/// What kind planners get: options, timeline, and names.
pub(crate) struct Ctx<'a> {
    pub options: &'a PlanOptions,
    pub timeline: &'a Timeline,
    /// `options.lock_timeout`, checked, in milliseconds.
    pub lock_timeout_ms: u32,
    steps: Vec<(u32, Step)>,
}

impl<'a> Ctx<'a> {
    fn new(planner: &'a Planner) -> Self {
        Ctx {
            options: &planner.options,
            timeline: &planner.timeline,
            lock_timeout_ms: planner.lock_timeout_ms,
            steps: Vec::new(),
        }
    }

    pub fn label(&self, k: u32) -> String {
        self.timeline.label(k)
    }

    pub fn rails(&self) -> bool {
        PLANNING_API && self.options.framework == Framework::Rails
    }

    /// An option that only the planning API sets (what the catalog knew:
    /// `--type`, `--from`, `--definition`, `--not-null`); a lint run's
    /// planner never has one (see [`PLANNING_API`]).
    pub fn known<'o, T>(&self, option: &'o Option<T>) -> Option<&'o T> {
        if PLANNING_API {
            option.as_ref()
        } else {
            None
        }
    }

    /// `remove_after` for an ignore that may go once release `k` shipped.
    pub fn remove_after(&self, k: u32) -> Option<String> {
        self.timeline.date(k)
    }

    /// Adds a migration step to release `k`.
    #[allow(clippy::too_many_arguments)]
    pub fn migration(
        &mut self,
        k: u32,
        phase: StepPhase,
        name: &str,
        title: String,
        why: &str,
        sql: String,
        down: Option<String>,
    ) -> &mut Step {
        self.push(
            k,
            Step {
                phase,
                title,
                why: why.to_string(),
                sql: Some(sql),
                down,
                code: None,
                requires: Vec::new(),
                name: name.to_string(),
                outside_transaction: false,
                progress: None,
            },
        )
    }

    /// Adds an application step to release `k`.
    pub fn application(
        &mut self,
        k: u32,
        name: &str,
        title: String,
        why: &str,
        code: String,
    ) -> &mut Step {
        self.push(
            k,
            Step {
                phase: StepPhase::Application,
                title,
                why: why.to_string(),
                sql: None,
                down: None,
                code: Some(code),
                requires: Vec::new(),
                name: name.to_string(),
                outside_transaction: false,
                progress: None,
            },
        )
    }

    /// Appends `step` to release `k` and returns it for further settings.
    fn push(&mut self, k: u32, step: Step) -> &mut Step {
        self.steps.push((k, step));
        let last = self.steps.len() - 1;
        &mut self.steps[last].1
    }

    /// The application step that makes the ORM ignore `columns` of `table`
    /// until release `remove_with`, in release `k`.
    pub fn ignore_columns(
        &mut self,
        k: u32,
        table: &crate::model::Name,
        columns: &[&str],
        remove_with: u32,
        what: &str,
    ) -> &mut Step {
        let with = self.label(remove_with);
        let after = self.remove_after(remove_with - 1);
        let code = if self.rails() {
            let model = sql::model_name(&table.name);
            let line = match columns {
                [one] => format!("ignore_column :{one}"),
                many => format!("ignore_columns %i[{}]", many.join(" ")),
            };
            let after = match &after {
                Some(d) => format!(", remove_after: '{d}'"),
                None => String::new(),
            };
            let hint = if after.is_empty() {
                format!(
                    "\n  # remove_after: the release date of {}",
                    self.label(remove_with - 1)
                )
            } else {
                String::new()
            };
            format!(
                "class {model} < ApplicationRecord\n  include IgnorableColumns\n  {line}, remove_with: '{with}'{after}{hint}\nend"
            )
        } else {
            let after = match &after {
                Some(d) => format!(" and not before {d}"),
                None => format!(
                    " and not before release {} has shipped",
                    self.label(remove_with - 1)
                ),
            };
            format!(
                "{what}{}Make the data-access layer ignore {} on {table} (leave {} out of \
                 its cached column list and of every SELECT, INSERT and UPDATE it \
                 generates). Keep this until release {with}{after}.",
                if what.is_empty() { "" } else { " " },
                sql::list_columns(columns),
                if columns.len() == 1 { "it" } else { "them" },
            )
        };
        let title = format!("Ignore {} in the application", sql::list_columns(columns));
        self.application(
            k,
            "ignore_column",
            title,
            "Running code caches the table's columns: a column that disappears or changes under \
             it breaks every query that names it. Ignoring it first means no running process \
             knows about it when the migration changes it.",
            code,
        )
    }

    /// The application step removing the ignore added by [`Ctx::ignore_columns`].
    pub fn remove_ignore(
        &mut self,
        k: u32,
        table: &crate::model::Name,
        columns: &[&str],
    ) -> &mut Step {
        let code = if self.rails() {
            format!(
                "Remove `ignore_column{} :{}` from {} (and `include IgnorableColumns` if nothing else needs it).",
                if columns.len() == 1 { "" } else { "s" },
                columns.join(", :"),
                sql::model_name(&table.name)
            )
        } else {
            format!(
                "Remove the ignore of {} on {table} from the data-access layer.",
                sql::list_columns(columns)
            )
        };
        let after = self.remove_after(k - 1);
        let title = format!("Remove the ignore of {}", sql::list_columns(columns));
        let prev_label = self.label(k - 1);
        let step = self.application(
            k,
            "remove_ignore",
            title,
            "The column is gone from every database this release runs against, so the ignore \
             rule is dead code. Removing it earlier would let a deployment that still has the \
             column write to it or cache it.",
            code,
        );
        step.requires
            .push(format!("release {prev_label} has shipped"));
        if let Some(d) = after {
            step.requires.push(format!("the date is after {d}"));
        }
        step
    }

    fn finish(mut self, change: &Change) -> Plan {
        // Steps written as `SET LOCAL lock_timeout` + statements take strong
        // locks in a transaction: they take them with retries instead.
        let prefix = self.lock_timeout();
        let steps_taken = std::mem::take(&mut self.steps);
        let mut steps = Vec::with_capacity(steps_taken.len());
        for (k, mut step) in steps_taken {
            for sql in [&mut step.sql, &mut step.down].into_iter().flatten() {
                if let Some(body) = sql.strip_prefix(&prefix) {
                    *sql = self.with_lock_retries(body);
                }
            }
            steps.push((k, step));
        }
        let mut releases: Vec<Release> = Vec::new();
        // In release order, then phase order, keeping the order the
        // planner added them in. A plan has a dozen steps: an insertion sort
        // of their indices, rather than a generic sort of the large steps
        // (whose code would weigh on the browser module).
        let key = |i: usize| (steps[i].0, steps[i].1.phase.rank());
        let mut order: Vec<usize> = (0..steps.len()).collect();
        for i in 1..order.len() {
            let mut j = i;
            while j > 0 && key(order[j - 1]) > key(order[j]) {
                order.swap(j - 1, j);
                j -= 1;
            }
        }
        let mut slots: Vec<Option<(u32, Step)>> = steps.into_iter().map(Some).collect();
        for (k, step) in order.into_iter().filter_map(|i| slots[i].take()) {
            if releases.len() <= k as usize {
                for j in releases.len() as u32..=k {
                    releases.push(Release {
                        version: self.timeline.label(j),
                        date: self.timeline.date(j),
                        steps: Vec::new(),
                    });
                }
            }
            releases[k as usize].steps.push(step);
        }
        Plan {
            change: change.clone(),
            releases,
        }
    }
}

/// Checks a plan's lock timeout: a PostgreSQL duration above zero.
pub(crate) fn check_lock_timeout(text: &str) -> Result<u32> {
    match crate::model::parse_duration_ms(text) {
        Some(0) => Err(Error::new(
            ErrorCode::BadOptions,
            "a lock timeout of 0 waits for ever: give a duration such as 1s or 200ms",
        )),
        // At most i32::MAX (parse_duration_ms checks it).
        Some(ms) => Ok(u32::try_from(ms).unwrap_or(u32::MAX)),
        None => Err(Error::new(
            ErrorCode::BadOptions,
            format!("`{text}` is not a lock timeout such as 1s, 500ms or 2min"),
        )),
    }
}

/// Plan options checked once, for planning many changes: `lint` attaches a
/// plan to every finding with the same options, so the release, the
/// calendar and the lock timeout are read once per run, not once per plan.
#[derive(Debug, Clone)]
pub struct Planner {
    options: PlanOptions,
    timeline: Timeline,
    lock_timeout_ms: u32,
}

impl Planner {
    /// Checks the options.
    pub fn new(options: PlanOptions) -> Result<Planner> {
        if options.batch_size == 0 {
            return Err(Error::new(
                ErrorCode::BadOptions,
                "`batchSize` must be at least 1",
            ));
        }
        sql::check_identifier("batch column", &options.batch_column)?;
        let timeline = Timeline::new(&options)?;
        let lock_timeout_ms = check_lock_timeout(&options.lock_timeout)?;
        Ok(Planner {
            options,
            timeline,
            lock_timeout_ms,
        })
    }

    /// The planner of a lint run: its release, PostgreSQL version and lock settings.
    pub fn for_lint(options: &crate::model::LintOptions) -> Result<Planner> {
        let defaults = PlanOptions::default();
        Planner::new(PlanOptions {
            release: options.release.clone(),
            pg_version: options.pg_version,
            lock_timeout: options
                .lock_timeout
                .clone()
                .unwrap_or(defaults.lock_timeout),
            lock_retries: options.lock_retries.unwrap_or(defaults.lock_retries),
            ..defaults
        })
    }

    /// Plans `change`.
    pub fn plan(&self, change: &Change) -> Result<Plan> {
        let mut cx = Ctx::new(self);
        plan_with(change, &mut cx)?;
        Ok(cx.finish(change))
    }
}

/// Plans `change`: the safe multi-release path, release by release.
pub fn plan(change: &Change, options: &PlanOptions) -> Result<Plan> {
    Planner::new(options.clone())?.plan(change)
}

fn plan_with(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    match change {
        Change::DropColumn { .. } => drop_column::plan(change, cx)?,
        Change::RenameColumn { .. } => rename_column::plan(change, cx)?,
        Change::ChangeColumnType { .. } => change_column_type::plan(change, cx)?,
        Change::ChangeColumnDefault { .. } => change_column_default::plan(change, cx)?,
        Change::SetNotNull { .. } => set_not_null::plan(change, cx)?,
        Change::AddCheckConstraint { .. } => add_check_constraint::plan(change, cx)?,
        Change::AddForeignKey { .. } => add_foreign_key::plan(change, cx)?,
        Change::AddUniqueConstraint { .. } => add_unique_constraint::plan(change, cx)?,
        Change::AddIndex { .. } => add_index::plan(change, cx)?,
        Change::DropIndex { .. } => drop_index::plan(change, cx)?,
        Change::DropTable { .. } => drop_table::plan(change, cx)?,
        Change::RenameTable { .. } => rename_table::plan(change, cx)?,
        // No lint finding carries these three: the browser lint module,
        // which plans only for its findings, leaves them out.
        Change::BigintPrimaryKey { .. }
        | Change::DataFormatChange { .. }
        | Change::ReplaceView { .. }
            if !PLANNING_API =>
        {
            return Err(Error::new(
                ErrorCode::BadChange,
                format!(
                    "{} is planned by the full module (`zerodown/full`), not by the lint module",
                    change.kind()
                ),
            ));
        }
        Change::BigintPrimaryKey { .. } => bigint_primary_key::plan(change, cx)?,
        Change::Backfill { .. } => backfill::plan(change, cx)?,
        Change::DataFormatChange { .. } => data_format_change::plan(change, cx)?,
        Change::RenameEnumValue { .. } => rename_enum_value::plan(change, cx)?,
        Change::ReplaceView { .. } => replace_view::plan(change, cx)?,
    }
    Ok(())
}

/// The plan a lint finding carries, laid out from the run's release.
/// Returns None when the change has no safe plan (e.g. renaming a column with a default).
pub fn plan_for_lint(change: &Change, options: &crate::model::LintOptions) -> Option<Plan> {
    Planner::for_lint(options).ok()?.plan(change).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(release: &str, rollover: Option<u64>) -> PlanOptions {
        PlanOptions {
            release: Some(release.into()),
            rollover,
            ..PlanOptions::default()
        }
    }

    fn versions(p: &Plan) -> Vec<String> {
        p.releases.iter().map(|r| r.version.clone()).collect()
    }

    fn drop_col() -> Change {
        Change::DropColumn {
            table: "users".into(),
            column: "updated_at".into(),
        }
    }

    #[test]
    fn drop_column_spans_three_minor_releases() {
        let p = plan(&drop_col(), &opts("12.5", None)).unwrap();
        assert_eq!(versions(&p), ["12.5", "12.6", "12.7"]);
        let p = plan(&drop_col(), &opts("12.10", Some(11))).unwrap();
        assert_eq!(versions(&p), ["12.10", "12.11", "13.0"]);
        let p = plan(&drop_col(), &opts("12.11", Some(11))).unwrap();
        assert_eq!(versions(&p), ["12.11", "13.0", "13.1"]);
    }

    #[test]
    fn a_patch_release_is_followed_by_the_next_minor() {
        let p = plan(&drop_col(), &opts("9.0.1", None)).unwrap();
        assert_eq!(versions(&p), ["9.0.1", "9.1", "9.2"]);
    }

    #[test]
    fn without_a_release_labels_are_relative() {
        let p = plan(&drop_col(), &PlanOptions::default()).unwrap();
        assert_eq!(versions(&p), ["M", "M+1", "M+2"]);
        let last = &p.releases[2].steps[0];
        assert_eq!(last.requires[0], "release M+1 has shipped");
    }

    #[test]
    fn bad_release_and_rollover_are_clear_errors() {
        let e = plan(&drop_col(), &opts("12", None)).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadVersion);
        assert!(e.message.contains("`12`"), "{}", e.message);
        let e = plan(&drop_col(), &opts("12.12", Some(11))).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadVersion);
        assert!(e.message.contains("12.12"), "{}", e.message);
        let e = plan(&drop_col(), &opts("12.1", Some(0))).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadOptions);
    }

    #[test]
    fn rails_ignore_column_names_remove_with_and_remove_after() {
        let o = PlanOptions {
            framework: Framework::Rails,
            calendar: Some(Calendar::parse("2019-11-22,2019-12-22,2020-01-22").unwrap()),
            ..opts("12.5", None)
        };
        let p = plan(&drop_col(), &o).unwrap();
        let app = p.releases[0].steps.iter().find(|s| !s.is_migration());
        let code = app.and_then(|s| s.code.clone()).unwrap();
        assert!(
            code.contains(
                "ignore_column :updated_at, remove_with: '12.7', remove_after: '2019-12-22'"
            ),
            "{code}"
        );
        assert_eq!(p.releases[1].date.as_deref(), Some("2019-12-22"));
        let last = &p.releases[2].steps[0];
        assert!(last
            .requires
            .contains(&"release 12.6 has shipped".to_string()));
        assert!(last
            .requires
            .contains(&"the date is after 2019-12-22".to_string()));
    }

    #[test]
    fn monthly_calendar_fills_dates_across_a_rollover() {
        let o = PlanOptions {
            calendar: Some(Calendar::parse("monthly:3-thu:2023-11").unwrap()),
            ..opts("16.11", Some(11))
        };
        let p = plan(&drop_col(), &o).unwrap();
        assert_eq!(versions(&p), ["16.11", "17.0", "17.1"]);
        let dates: Vec<_> = p.releases.iter().map(|r| r.date.clone().unwrap()).collect();
        assert_eq!(dates, ["2023-11-16", "2023-12-21", "2024-01-18"]);
    }

    #[test]
    fn steps_that_take_strong_locks_retry_with_short_timeouts() {
        let o = PlanOptions {
            lock_timeout: "300ms".into(),
            lock_retries: 4,
            ..PlanOptions::default()
        };
        let p = plan(&drop_col(), &o).unwrap();
        let drop = p
            .steps()
            .map(|(_, s)| s)
            .find(|s| s.name.starts_with("remove_"))
            .unwrap();
        let sql = drop.sql.as_deref().unwrap();
        assert!(sql.contains("least(100 * zerodown_attempt, 300)"), "{sql}");
        assert!(sql.contains("IF zerodown_attempt > 4 THEN"), "{sql}");
        assert!(
            sql.contains("ALTER TABLE users DROP COLUMN IF EXISTS updated_at;"),
            "{sql}"
        );
        assert!(!sql.contains("SET LOCAL lock_timeout"), "{sql}");
    }

    #[test]
    fn bad_lock_timeouts_are_clear_errors() {
        for bad in ["0", "5 sec", "-1s", ""] {
            let o = PlanOptions {
                lock_timeout: bad.into(),
                ..PlanOptions::default()
            };
            let e = plan(&drop_col(), &o).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadOptions, "{bad}");
            assert!(
                e.message.contains("lock timeout") || e.message.contains("lock_timeout"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn drop_column_lets_a_required_column_be_null_first() {
        let step = |not_null| {
            let o = PlanOptions {
                not_null,
                ..PlanOptions::default()
            };
            let p = plan(&drop_col(), &o).unwrap();
            let first = &p.releases[0].steps[0];
            (
                first.name.clone(),
                first.sql.clone().unwrap_or_default(),
                first.down.clone().unwrap_or_default(),
            )
        };
        let (name, sql, down) = step(Some(true));
        assert_eq!(name, "allow_null_users_updated_at");
        assert!(
            sql.contains("ALTER TABLE users ALTER COLUMN updated_at DROP NOT NULL;"),
            "{sql}"
        );
        assert!(
            down.contains("ALTER TABLE users ALTER COLUMN updated_at SET NOT NULL;"),
            "{down}"
        );
        let (name, sql, _) = step(None);
        assert_eq!(name, "allow_null_users_updated_at");
        assert!(sql.contains("a.attnotnull AND NOT a.atthasdef"), "{sql}");
        let (name, _, _) = step(Some(false));
        assert_eq!(name, "ignore_column");
    }

    #[test]
    fn change_names_are_stable() {
        assert_eq!(change_name(&drop_col()), "drop-column-users-updated_at");
        let c = Change::DropTable {
            table: "public.Old Table".into(),
        };
        assert_eq!(change_name(&c), "drop-table-public-old-table");
    }
}
