//! Step plans: the safe multi-release path for each kind of change.

use serde::{Deserialize, Serialize};

use crate::model::Change;

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

/// One step of a plan.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// One release of a plan and its steps.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The release version (`16.4`).
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

/// The plan a lint finding carries, laid out from the run's release.
/// Returns None when the change has no safe plan (e.g. renaming a column with a default).
pub fn plan_for_lint(change: &Change, options: &crate::model::LintOptions) -> Option<Plan> {
    let _ = (change, options);
    None
}
