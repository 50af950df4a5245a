//! Output types of release scheduling: which migrations are due at a
//! release, and the deployments of an upgrade. Plain serde data, like every
//! other output type, so they cross into JavaScript unchanged.

use serde::{Deserialize, Serialize};

use super::{Finding, Phase, Summary};

/// How releases reach a database.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum UpgradeMode {
    /// Every version (patch releases included) is its own deployment.
    Continuous,
    /// A whole minor release is one deployment, and an upgrade may jump
    /// from one required stop to the next.
    #[default]
    SelfManaged,
}

impl UpgradeMode {
    /// The kebab-case name used in flags and output.
    pub fn as_str(self) -> &'static str {
        match self {
            UpgradeMode::Continuous => "continuous",
            UpgradeMode::SelfManaged => "self-managed",
        }
    }

    /// Parses `continuous` or `self-managed` (`self_managed`).
    pub fn parse(text: &str) -> Option<UpgradeMode> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "continuous" => Some(UpgradeMode::Continuous),
            "self-managed" => Some(UpgradeMode::SelfManaged),
            _ => None,
        }
    }
}

impl std::fmt::Display for UpgradeMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One migration file of a release-migrations folder.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseMigration {
    /// Its path relative to the release-migrations folder (`9.0.0/add_handle.sql`).
    pub path: String,
    /// The folder it is in: a version or `unreleased`.
    pub folder: String,
    /// The version it runs at (the folder's, or `--unreleased-as` for
    /// `unreleased/`); None for an unreleased file with no version given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The phase it runs in.
    pub phase: Phase,
    /// The change it belongs to, from its `-- zerodown: change=NAME` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Its step number within the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
}

/// The migrations due at a release: `zerodown schedule`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleReport {
    /// The release asked about.
    pub version: String,
    /// The version `unreleased/` stands for, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreleased_as: Option<String>,
    /// The mode the collapse check used.
    pub mode: UpgradeMode,
    /// Migrations whose version is not later than `version`, in the order
    /// they run: by version, then regular, post-deploy, background, then by name.
    pub due: Vec<ReleaseMigration>,
    /// Migrations of later versions (and unreleased ones with no version), in the same order.
    pub not_due: Vec<ReleaseMigration>,
    /// Steps that collapse into one deployment, and the other release findings.
    pub findings: Vec<Finding>,
    /// Counts by severity.
    pub summary: Summary,
}

/// One deployment of an upgrade and the migrations that run in it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// The version deployed (a minor release in self-managed mode).
    pub version: String,
    /// Whether it is a required stop.
    pub required_stop: bool,
    /// The migrations it runs, in the order they run: regular migrations of
    /// every version before the new code starts, then post-deploy, then
    /// background; by version and name within a phase.
    pub migrations: Vec<ReleaseMigration>,
}

/// The deployments an upgrade goes through: `zerodown upgrade-path`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradePathReport {
    /// The version upgraded from.
    pub from: String,
    /// The version upgraded to.
    pub to: String,
    /// How releases are deployed.
    pub mode: UpgradeMode,
    /// The required stops given.
    pub required_stops: Vec<String>,
    /// The version `unreleased/` stands for, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreleased_as: Option<String>,
    /// The deployments in order, on the shortest allowed path.
    pub deployments: Vec<Deployment>,
    /// Migrations that ran before `from`.
    pub already_run: Vec<ReleaseMigration>,
    /// Migrations of versions after `to`, and unreleased ones with no version.
    pub not_run: Vec<ReleaseMigration>,
    /// Steps that collapse into one deployment, and the ignored-column findings.
    pub findings: Vec<Finding>,
    /// Counts by severity.
    pub summary: Summary,
}

/// Counts findings by severity.
pub fn count_findings(findings: &[Finding]) -> Summary {
    let mut s = Summary::default();
    for f in findings {
        match f.severity {
            super::Severity::Error => s.errors += 1,
            super::Severity::Warning => s.warnings += 1,
            super::Severity::Info => s.infos += 1,
        }
    }
    s
}
