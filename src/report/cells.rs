//! Output types of the cells commands: the organization-isolation report of
//! a schema, the move check between two cells and the fleet check of a plan.
//! Plain serde data, so they cross into WebAssembly unchanged.

use serde::{Deserialize, Serialize};

use super::Severity;
use crate::plan::StepPhase;

/// What a schema analysis read, by statement kind.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementCounts {
    /// Every statement of the dump.
    pub total: u32,
    /// Statements read into the schema model (tables, constraints, unique indexes, partitions).
    pub used: u32,
    /// Statements the analysis does not need (functions, triggers, sequences, comments, ...).
    pub skipped: u32,
    /// Statements that were needed but could not be read.
    pub failed: u32,
    /// The same counts by leading keywords (`CREATE TABLE`, `ALTER TABLE`, ...), sorted by kind.
    pub by_kind: Vec<KindCount>,
    /// Every statement that could not be read.
    pub failures: Vec<StatementFailure>,
}

/// Counts of one statement kind.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KindCount {
    /// Leading keywords, upper-case (`CREATE UNIQUE INDEX`).
    pub kind: String,
    /// Read into the model.
    pub used: u32,
    /// Not needed.
    pub skipped: u32,
    /// Needed but unreadable.
    pub failed: u32,
}

/// A statement the analysis could not read.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementFailure {
    /// 1-based line where the statement starts.
    pub line: u32,
    /// Leading keywords.
    pub kind: String,
    /// Why it could not be read.
    pub message: String,
}

/// The kinds of organization-isolation findings.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellsFindingKind {
    /// No foreign-key path leads from the table to a root: its rows cannot
    /// be split or moved with their organization.
    NoPath,
    /// Two references of one row can point into different organizations.
    CrossOrganization,
    /// The sharding-key column accepts NULL: rows without an owner.
    NullableShardingKey,
    /// A column named like a sharding key (`project_id`) has no foreign key.
    ShardingKeyWithoutForeignKey,
    /// A unique constraint or index does not include the sharding key: its
    /// values are unique across every organization, which separate cells cannot enforce.
    UniqueWithoutShardingKey,
}

impl CellsFindingKind {
    /// The kebab-case id.
    pub fn as_str(self) -> &'static str {
        match self {
            CellsFindingKind::NoPath => "no-path",
            CellsFindingKind::CrossOrganization => "cross-organization",
            CellsFindingKind::NullableShardingKey => "nullable-sharding-key",
            CellsFindingKind::ShardingKeyWithoutForeignKey => "sharding-key-without-foreign-key",
            CellsFindingKind::UniqueWithoutShardingKey => "unique-without-sharding-key",
        }
    }
}

/// One organization-isolation finding on one table.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellsFinding {
    /// What kind.
    pub kind: CellsFindingKind,
    /// `error` for tables that cannot move with their organization, else `warning`.
    pub severity: Severity,
    /// The columns involved.
    pub columns: Vec<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// One foreign-key hop: `column` of `table` references `references`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hop {
    /// The referencing table.
    pub table: String,
    /// The referencing columns, comma-separated when composite.
    pub column: String,
    /// The referenced table.
    pub references: String,
}

/// A table's sharding key: a column leading to a root through foreign keys.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardingKey {
    /// The column (comma-separated when the foreign key is composite).
    pub column: String,
    /// The root table the path ends at.
    pub root: String,
    /// Number of foreign-key hops to the root (1: the column references the root).
    pub path_length: u32,
    /// The hops, from this table to the root.
    pub path: Vec<Hop>,
    /// Whether the column accepts NULL.
    pub nullable: bool,
}

/// The analysis of one table (partitions are folded into their parent).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableReport {
    /// Table name (`schema.name` outside `public`).
    pub name: String,
    /// The table is one of the roots.
    pub root: bool,
    /// The table is shared cluster-wide: it belongs to no organization.
    pub shared: bool,
    /// Number of partitions attached to it.
    pub partitions: u32,
    /// The shortest path to a root; None for roots and tables with no path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharding_key: Option<ShardingKey>,
    /// Findings, in kind order.
    pub findings: Vec<CellsFinding>,
}

/// Counts over the whole schema.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellsSummary {
    /// Tables analyzed (partitions not counted).
    pub tables: u32,
    /// Partitions folded into their parents.
    pub partitions: u32,
    /// Root tables found in the schema.
    pub roots: u32,
    /// Tables shared cluster-wide found in the schema.
    pub shared: u32,
    /// Foreign keys read.
    pub foreign_keys: u32,
    /// Tables with a sharding key.
    pub with_sharding_key: u32,
    /// ... of which the key references a root directly.
    pub direct: u32,
    /// Longest shortest path to a root.
    pub max_path_length: u32,
    /// Tables with no path to a root.
    pub no_path: u32,
    /// Tables whose references can cross organizations.
    pub cross_organization: u32,
    /// Tables whose sharding key accepts NULL.
    pub nullable_sharding_key: u32,
    /// Tables with a sharding-key-like column without a foreign key.
    pub sharding_key_without_foreign_key: u32,
    /// Tables with a unique constraint or index not including the sharding key.
    pub unique_without_sharding_key: u32,
    /// Error-level findings.
    pub errors: u32,
    /// Warning-level findings.
    pub warnings: u32,
}

/// The organization-isolation report of one schema.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellsReport {
    /// The roots used.
    pub roots: Vec<String>,
    /// Roots asked for but not found in the schema.
    pub missing_roots: Vec<String>,
    /// Counts.
    pub summary: CellsSummary,
    /// What was read.
    pub statements: StatementCounts,
    /// Every table, sorted by name.
    pub tables: Vec<TableReport>,
}

impl CellsReport {
    /// True when any finding is error-level.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// How the applied migrations of two cells compare.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyncState {
    /// Same migrations applied.
    InSync,
    /// The source has migrations the target lacks, and not the reverse.
    SourceAhead,
    /// The target has migrations the source lacks, and not the reverse.
    TargetAhead,
    /// Each has migrations the other lacks.
    Diverged,
}

impl SyncState {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::InSync => "in-sync",
            SyncState::SourceAhead => "source-ahead",
            SyncState::TargetAhead => "target-ahead",
            SyncState::Diverged => "diverged",
        }
    }
}

/// The result of an organization move check between two cells.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveCheck {
    /// How the schemas compare.
    pub state: SyncState,
    /// A move is allowed only when the schemas are in sync.
    pub allowed: bool,
    /// Migrations applied on the source.
    pub source_count: u32,
    /// Migrations applied on the target.
    pub target_count: u32,
    /// Applied on the source only, in version order.
    pub only_in_source: Vec<String>,
    /// Applied on the target only, in version order.
    pub only_in_target: Vec<String>,
    /// What to do, in words.
    pub message: String,
}

/// Whether a plan step may run across the fleet now.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Every cell concerned runs code the step is compatible with.
    Ready,
    /// Some cells run older code: the step must wait for them.
    Blocked,
    /// The step is scheduled (its release already runs somewhere) while a
    /// cell runs code that breaks with it.
    FleetIncompatible,
    /// An application change: informational, shows how far it is rolled out.
    Application,
}

impl StepStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Ready => "ready",
            StepStatus::Blocked => "blocked",
            StepStatus::FleetIncompatible => "fleet-incompatible",
            StepStatus::Application => "application",
        }
    }
}

/// The fleet check of one step.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetStep {
    /// The release the step ships in.
    pub release: String,
    /// Where it runs.
    pub phase: StepPhase,
    /// The step's title.
    pub title: String,
    /// The table it changes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The table is shared cluster-wide (one database for every cell).
    pub shared: bool,
    /// The oldest application version that must run on every cell concerned
    /// before the step may run; None when any version is compatible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_version: Option<String>,
    /// Why that version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_reason: Option<String>,
    /// Cells running older code than required (for application steps: cells
    /// not yet on the step's release).
    pub blocking_cells: Vec<String>,
    /// Cells where the step already ran or runs with its release.
    pub scheduled_on: Vec<String>,
    /// The verdict.
    pub status: StepStatus,
    /// The verdict in words.
    pub message: String,
}

/// A cell of the fleet as the check read it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetCell {
    /// Name.
    pub name: String,
    /// The application version it runs.
    pub version: String,
}

/// The fleet check of a plan.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetReport {
    /// The cells, as given.
    pub cells: Vec<FleetCell>,
    /// Tables shared cluster-wide.
    pub shared_tables: Vec<String>,
    /// Every step in plan order.
    pub steps: Vec<FleetStep>,
    /// Steps scheduled while a cell runs code that breaks with them (`fleet-incompatible`, error).
    pub errors: u32,
    /// Steps waiting for cells.
    pub blocked: u32,
}

impl FleetReport {
    /// True when any step is fleet-incompatible.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}
