//! Cells: organization isolation of a schema, organization moves between
//! cells, and schema changes across a fleet of cells at different versions.
//!
//! Layer: above `release` and `plan` (a fleet check reads release layouts
//! and plans) and `report` (the cells reports it builds). The table-name
//! helpers the `sharding-key-missing` rule shares with it live in `model`
//! and are re-exported here.

mod analyze;
mod fleet;
mod move_check;
mod schema;

pub use analyze::{
    analyze, analyze_schema, analyze_with_shared, key_column_for_root, DEFAULT_ROOTS,
};
pub use fleet::{
    check_steps, fleet_check, parse_fleet, parse_plans, steps_from_plan, steps_from_release_files,
    Cell, Fleet, FleetStepInput,
};
pub use move_check::{move_check, read_versions, MigrationVersion};
pub use schema::{
    normalize_table, parse_schema, statement_kind, table_key, Column, ForeignKey, Schema, Table,
    UniqueKey,
};
