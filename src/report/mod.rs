//! Output types and formats. Every face (CLI, JSON, JavaScript) renders
//! these same types, and every renderer lives here: the command line only
//! chooses one and writes what it returns.
//!
//! Layer: above `model` and `plan` (a finding carries its plan), below the
//! engines that build these types (`lint`, `release`, `cells`). Renderers
//! read the types only and never call an engine. The vocabulary the output
//! shares with the lower layers (`Severity`, `Phase`, `Position`, `Span`) is
//! defined in `model` and re-exported here.

mod catalogue;
pub mod cells;
// CI formats and fingerprints: not in the browser's lint module.
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
mod ci;
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub mod fingerprint;
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub mod markdown;
pub use catalogue::{explain, rule_catalogue};
mod cells_text;
mod plan_rails;
mod plan_text;
mod release_text;
mod schedule;
mod text;
mod types;

pub use cells_text::{render_analyze_text, render_fleet_text, render_move_text};
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub use ci::{gitlab_severity, render_ci, rule_url, CiFormat};
pub use plan_rails::{plan_files_rails, Helpers};
pub use plan_text::{
    describe_change, migration_body, migration_header, plan_files, render_plan_text, PlanFile,
};
pub use release_text::{render_schedule_text, render_upgrade_path_text};
pub use schedule::*;
pub use text::{render_finding, render_rules_text, render_text, summary_line};
pub use types::*;

/// The report as pretty-printed JSON (the `--format json` contract).
pub fn render_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing plain data structs cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
