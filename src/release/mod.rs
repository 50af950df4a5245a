//! The release-migrations layout, schedules and upgrade paths, and the
//! checks on them (steps collapsed into one deployment, ignored columns).
//!
//! Layer: above `lint`, which it runs only to apply migrations on a loaded
//! schema in deployment order (`on_schema`). It reads migrations with `sql`
//! (statements and `-- zerodown:` headers), takes [`Version`] and phases
//! from `model` (re-exporting `Version`), and builds `report` types.

mod collapse;
mod ignored;
mod layout;
mod on_schema;
mod schedule;
mod upgrade;

/// Release versions are shared vocabulary, defined in `model`.
pub use crate::model::Version;
pub use collapse::RELEASE_STEPS_COLLAPSE;
pub use ignored::{
    parse_ignored_columns, IgnoreSource, IgnoredColumn, DROP_BEFORE_IGNORE_SHIPPED,
    IGNORE_REMOVED_TOO_EARLY,
};
pub use layout::{read_layout, DroppedColumn, Folder, MigrationFile, UNRELEASED};
pub use schedule::{schedule, schedule_on_schema};
pub use upgrade::{upgrade_path, upgrade_path_on_schema, ReleaseOptions};

/// Sorts findings by path, then position, then rule.
fn sort_findings(findings: &mut [crate::report::Finding]) {
    findings.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| a.span.start.offset.cmp(&b.span.start.offset))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
}
