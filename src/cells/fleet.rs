//! Fleet compatibility: cells run different application versions at the same
//! time. A step may run only when every cell whose database it changes runs
//! code compatible with it; a table shared cluster-wide is changed once for
//! every cell, so its steps wait for the slowest cell.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::schema::normalize_table;
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;
use crate::model::Version;
use crate::plan::{Plan, StepPhase};
use crate::report::cells::{FleetCell, FleetReport, FleetStep, StepStatus};

/// A fleet file (TOML):
///
/// ```toml
/// shared = ["users", "user_details"]   # tables in the cluster-wide database
///
/// [[cells]]
/// name = "cell-1"
/// version = "16.6"
///
/// [[cells]]
/// name = "cell-2"
/// version = "16.4.1"
/// local = ["projects", "issues"]       # optional: the tables this cell has
/// ```
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fleet {
    /// Tables shared cluster-wide: one database used by every cell.
    #[serde(default)]
    pub shared: Vec<String>,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// One cell of a fleet.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// Name.
    pub name: String,
    /// The application version it runs (`16.4` or `16.4.1`).
    pub version: String,
    /// The local tables this cell has; absent: every table not shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<Vec<String>>,
}

/// One step to check against a fleet: from a plan ([`steps_from_plan`]) or
/// from a release folder's due migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetStepInput {
    /// The release the step ships in.
    pub release: String,
    /// Where it runs.
    pub phase: StepPhase,
    /// Its title.
    pub title: String,
    /// The table it changes, when known (unknown: treated as a local table of every cell).
    pub table: Option<String>,
    /// The oldest application version it is compatible with (None: any).
    pub requires_version: Option<String>,
    /// Why that version.
    pub requires_reason: Option<String>,
}

/// Reads a fleet file; `file` names it in errors.
pub fn parse_fleet(text: &str, file: &str) -> Result<Fleet> {
    let fleet: Fleet = toml::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::BadInput,
            format!("{file}: not a fleet file: {}", e.message()),
        )
    })?;
    if fleet.cells.is_empty() {
        return Err(Error::new(
            ErrorCode::BadInput,
            format!("{file}: the fleet has no cells (add [[cells]] with name and version)"),
        ));
    }
    let mut names = BTreeSet::new();
    for c in &fleet.cells {
        if !names.insert(c.name.as_str()) {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!("{file}: cell `{}` is listed twice", c.name),
            ));
        }
        Version::parse(&c.version)
            .map_err(|e| Error::new(e.code, format!("{file}: cell `{}`: {}", c.name, e.message)))?;
    }
    Ok(fleet)
}

/// Reads a plan as `zerodown plan --format json` prints it (one plan, or a list of plans).
pub fn parse_plans(text: &str, file: &str) -> Result<Vec<Plan>> {
    if let Ok(plan) = serde_json::from_str::<Plan>(text) {
        return Ok(vec![plan]);
    }
    serde_json::from_str::<Vec<Plan>>(text).map_err(|_| {
        let why = serde_json::from_str::<Plan>(text)
            .err()
            .map_or_else(String::new, |e| e.to_string());
        Error::new(
            ErrorCode::BadInput,
            format!("{file}: not a plan (the JSON of `zerodown plan --format json`): {why}"),
        )
    })
}

/// The table a change concerns.
fn change_table(change: &Change) -> Option<String> {
    let t = match change {
        Change::DropColumn { table, .. }
        | Change::RenameColumn { table, .. }
        | Change::ChangeColumnType { table, .. }
        | Change::ChangeColumnDefault { table, .. }
        | Change::SetNotNull { table, .. }
        | Change::AddCheckConstraint { table, .. }
        | Change::AddForeignKey { table, .. }
        | Change::AddUniqueConstraint { table, .. }
        | Change::AddIndex { table, .. }
        | Change::DropTable { table }
        | Change::RenameTable { table, .. }
        | Change::BigintPrimaryKey { table, .. }
        | Change::Backfill { table, .. }
        | Change::DataFormatChange { table, .. } => table,
        Change::DropIndex { table, .. } => table.as_ref()?,
        // A type, used by columns of tables the plan does not name.
        Change::RenameEnumValue { .. } => return None,
        Change::ReplaceView { view, .. } => view,
    };
    Some(normalize_table(&t.qualified()))
}

/// The steps of a plan with the application version each needs: a step
/// needs the code of the latest application step before it. Regular
/// migrations run before their release's code is deployed, so only
/// application steps of earlier releases count for them.
pub fn steps_from_plan(plan: &Plan) -> Result<Vec<FleetStepInput>> {
    let table = change_table(&plan.change);
    let mut out = Vec::new();
    // Latest application step of earlier releases, and of this release so far.
    let mut earlier: Option<(Version, String)> = None;
    for release in &plan.releases {
        let version = Version::parse(&release.version)?;
        let mut this: Option<(Version, String)> = None;
        for step in &release.steps {
            let requires = match step.phase {
                StepPhase::Application => None,
                StepPhase::Regular => earlier.clone(),
                StepPhase::PostDeploy | StepPhase::Background => {
                    this.clone().or_else(|| earlier.clone())
                }
            };
            out.push(FleetStepInput {
                release: release.version.clone(),
                phase: step.phase,
                title: step.title.clone(),
                table: table.clone(),
                requires_version: requires.as_ref().map(|(v, _)| v.to_string()),
                requires_reason: requires.map(|(v, title)| {
                    format!("needs the application change `{title}` shipped in {v}")
                }),
            });
            if step.phase == StepPhase::Application {
                this = Some((version.clone(), step.title.clone()));
            }
        }
        if this.is_some() {
            earlier = this;
        }
    }
    Ok(out)
}

/// The steps of a release-migrations folder (`<dir>/<version>/<file>`, as
/// `zerodown schedule` reads it): one per migration and table it changes.
/// A regular migration of release V runs before V's code is deployed and must
/// work with the code of the release before it; a post-deploy or background
/// migration of V runs once V's code is deployed, so every cell must run V.
pub fn steps_from_release_files(
    files: &[(String, String)],
    unreleased_as: Option<&str>,
) -> Result<Vec<FleetStepInput>> {
    let unreleased = unreleased_as.map(Version::parse).transpose()?;
    let mut migrations = crate::release::read_layout(files)?;
    migrations.sort_by(|a, b| {
        (a.version(unreleased.as_ref()), a.phase, &a.path).cmp(&(
            b.version(unreleased.as_ref()),
            b.phase,
            &b.path,
        ))
    });
    let mut out = Vec::new();
    for m in &migrations {
        let Some(version) = m.version(unreleased.as_ref()) else {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::BadInput,
                format!(
                    "{}: in unreleased/: give the release it ships in (--unreleased-as)",
                    m.path
                ),
            ));
        };
        let phase = match m.phase {
            crate::model::Phase::Regular => StepPhase::Regular,
            crate::model::Phase::PostDeploy => StepPhase::PostDeploy,
            crate::model::Phase::Background => StepPhase::Background,
        };
        let (requires, reason) = match phase {
            StepPhase::Regular => (None, None),
            _ => (
                Some(version.minor_of().to_string()),
                Some(format!(
                    "a {} migration of {} runs once {} is deployed",
                    m.phase,
                    version,
                    version.minor_of()
                )),
            ),
        };
        let tables: Vec<Option<String>> = if m.tables.is_empty() {
            vec![None]
        } else {
            m.tables.iter().cloned().map(Some).collect()
        };
        for table in tables {
            out.push(FleetStepInput {
                release: version.to_string(),
                phase,
                title: m.path.clone(),
                table,
                requires_version: requires.clone(),
                requires_reason: reason.clone(),
            });
        }
    }
    Ok(out)
}

/// Checks steps against a fleet.
pub fn check_steps(fleet: &Fleet, steps: &[FleetStepInput]) -> Result<FleetReport> {
    let shared: BTreeSet<String> = fleet.shared.iter().map(|t| normalize_table(t)).collect();
    let cells: Vec<(&Cell, Version)> = fleet
        .cells
        .iter()
        .map(|c| Version::parse(&c.version).map(|v| (c, v)))
        .collect::<Result<_>>()?;
    let mut report = FleetReport {
        cells: fleet
            .cells
            .iter()
            .map(|c| FleetCell {
                name: c.name.clone(),
                version: c.version.clone(),
            })
            .collect(),
        shared_tables: shared.iter().cloned().collect(),
        steps: Vec::new(),
        errors: 0,
        blocked: 0,
    };
    for step in steps {
        let release = Version::parse(&step.release)?;
        let required = step
            .requires_version
            .as_deref()
            .map(Version::parse)
            .transpose()?;
        let table = step.table.as_deref().map(normalize_table);
        let is_shared = table.as_ref().is_some_and(|t| shared.contains(t));
        // The cells whose database the step changes.
        let concerned: Vec<&(&Cell, Version)> = cells
            .iter()
            .filter(|(c, _)| {
                is_shared
                    || match (&c.local, &table) {
                        (Some(local), Some(t)) => local.iter().any(|l| normalize_table(l) == *t),
                        _ => true,
                    }
            })
            .collect();
        let names = |v: &[&&(&Cell, Version)]| -> Vec<String> {
            v.iter().map(|(c, _)| c.name.clone()).collect()
        };
        let on_release: Vec<&&(&Cell, Version)> =
            concerned.iter().filter(|(_, v)| *v >= release).collect();
        let behind_release: Vec<&&(&Cell, Version)> =
            concerned.iter().filter(|(_, v)| *v < release).collect();
        let too_old: Vec<&&(&Cell, Version)> = match &required {
            Some(r) => concerned.iter().filter(|(_, v)| v < r).collect(),
            None => Vec::new(),
        };
        // A shared table's migrations run once, with the first cell that
        // deploys the release; a local table's run in each cell with its own deployment.
        let scheduled_on: Vec<String> = if is_shared && !on_release.is_empty() {
            names(&concerned.iter().collect::<Vec<_>>())
        } else {
            names(&on_release)
        };
        let broken: Vec<&&(&Cell, Version)> = too_old
            .iter()
            .copied()
            .filter(|(c, _)| scheduled_on.contains(&c.name))
            .collect();
        let where_ = match (&table, is_shared) {
            (Some(t), true) => format!("the shared table `{t}`"),
            (Some(t), false) => format!("the local table `{t}`"),
            (None, _) => "its table".to_string(),
        };
        let describe = |v: &[&&(&Cell, Version)]| {
            v.iter()
                .map(|(c, ver)| format!("{} ({ver})", c.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // The version every concerned cell must run, for the messages.
        let r = required
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let (status, blocking, message) = if step.phase == StepPhase::Application {
            let message = if behind_release.is_empty() {
                format!(
                    "rolled out to every cell ({} of {})",
                    on_release.len(),
                    concerned.len()
                )
            } else {
                format!(
                    "rolled out to {} of {} cells; not yet on {release}: {}",
                    on_release.len(),
                    concerned.len(),
                    describe(&behind_release)
                )
            };
            (StepStatus::Application, names(&behind_release), message)
        } else if !broken.is_empty() {
            let leaders: Vec<&&(&Cell, Version)> = on_release.clone();
            let message = if is_shared {
                format!(
                    "fleet-incompatible: {release} is deployed on {}, so this step runs on {where_} while {} still runs code older than {r}, which breaks with it; hold {release} back until every cell runs >= {r}",
                    describe(&leaders),
                    describe(&broken)
                )
            } else {
                format!(
                    "fleet-incompatible: the step runs on {where_} of {} while it runs code older than {r}",
                    describe(&broken)
                )
            };
            report.errors += 1;
            (StepStatus::FleetIncompatible, names(&too_old), message)
        } else if !too_old.is_empty() {
            let message = if is_shared {
                format!(
                    "blocked: {where_} serves every cell; it waits until the slowest cells run >= {r}: {}",
                    describe(&too_old)
                )
            } else {
                format!(
                    "waits on {} until each runs >= {r}; other cells may run it",
                    describe(&too_old)
                )
            };
            report.blocked += 1;
            (StepStatus::Blocked, names(&too_old), message)
        } else {
            let message = match &required {
                Some(r) => format!("ready: every cell concerned runs >= {r}"),
                None => "ready: compatible with every application version".to_string(),
            };
            (StepStatus::Ready, Vec::new(), message)
        };
        report.steps.push(FleetStep {
            release: step.release.clone(),
            phase: step.phase,
            title: step.title.clone(),
            table,
            shared: is_shared,
            requires_version: required.map(|r| r.to_string()),
            requires_reason: step.requires_reason.clone(),
            blocking_cells: blocking,
            scheduled_on,
            status,
            message,
        });
    }
    Ok(report)
}

/// `zerodown fleet check`: a fleet file and plans (`fleet_file`, `plan_file` name them in errors).
pub fn fleet_check(
    fleet_toml: &str,
    fleet_file: &str,
    plan_json: &str,
    plan_file: &str,
) -> Result<FleetReport> {
    let fleet = parse_fleet(fleet_toml, fleet_file)?;
    let mut steps = Vec::new();
    for plan in parse_plans(plan_json, plan_file)? {
        steps.extend(steps_from_plan(&plan)?);
    }
    check_steps(&fleet, &steps)
}
