//! A change a user wants to make, in the terms the planner understands.
//! Lint rules build one from the statement they fired on; `zerodown plan`
//! builds one from its arguments.

use serde::{Deserialize, Serialize};

use super::Name;

/// A schema or data change that needs a multi-step plan.
///
/// Tables are typed names, possibly schema-qualified (`public.users`); they
/// serialize as text, double-quoting a part only where reading it back needs
/// it (`"a.b"` is one table named `a.b`). Optional fields that
/// the statement does not tell (a column's current type) stay `None` and the
/// planner produces SQL that does not depend on them.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Change {
    /// Remove a column.
    DropColumn {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Column.
        column: String,
    },
    /// Rename a column.
    RenameColumn {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Current name.
        column: String,
        /// New name.
        new_name: String,
        /// Current type, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column_type: Option<String>,
        /// Whether the column has a default (renaming is refused then).
        #[serde(default)]
        has_default: bool,
    },
    /// Change a column's type.
    ChangeColumnType {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Column.
        column: String,
        /// New type.
        new_type: String,
        /// Cast expression (`USING`), in terms of the old column.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        using: Option<String>,
        /// Current type, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        column_type: Option<String>,
    },
    /// Change or drop a column's default.
    ChangeColumnDefault {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Column.
        column: String,
        /// The new default as SQL; None drops it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
    },
    /// Make a column NOT NULL.
    SetNotNull {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Column.
        column: String,
    },
    /// Add a CHECK constraint.
    AddCheckConstraint {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Constraint name, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The boolean expression.
        expression: String,
    },
    /// Add a foreign key.
    AddForeignKey {
        /// Referencing table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Referencing columns.
        columns: Vec<String>,
        /// Referenced table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        ref_table: Name,
        /// Referenced columns.
        ref_columns: Vec<String>,
        /// Constraint name, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// `ON DELETE` action, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_delete: Option<String>,
    },
    /// Add a UNIQUE (or PRIMARY KEY) constraint.
    AddUniqueConstraint {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Columns.
        columns: Vec<String>,
        /// Constraint name, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// A primary key rather than a plain unique constraint.
        #[serde(default)]
        primary_key: bool,
    },
    /// Add an index.
    AddIndex {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Key columns or expressions.
        columns: Vec<String>,
        /// Index name, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
        name: Option<Name>,
        /// UNIQUE.
        #[serde(default)]
        unique: bool,
        /// `USING method`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        method: Option<String>,
        /// Partial index predicate.
        #[serde(default, skip_serializing_if = "Option::is_none", rename = "where")]
        predicate: Option<String>,
    },
    /// Drop an index.
    DropIndex {
        /// Index name.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        name: Name,
        /// Table, when known (for the rollback).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string", optional))]
        table: Option<Name>,
    },
    /// Drop a table.
    DropTable {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
    },
    /// Rename a table.
    RenameTable {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// New name.
        new_name: String,
    },
    /// Convert an integer primary key to bigint.
    BigintPrimaryKey {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// Column (usually `id`).
        column: String,
    },
    /// Update many rows of a (large) table.
    Backfill {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// The SET list, as SQL (`col = expr`).
        set: String,
        /// Rows to touch, as SQL; None means all.
        #[serde(default, skip_serializing_if = "Option::is_none", rename = "where")]
        predicate: Option<String>,
        /// Rows per batch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        batch_size: Option<u32>,
    },
    /// Change the format of a column's data by moving to a new column.
    DataFormatChange {
        /// Table.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        table: Name,
        /// The column holding the old format.
        column: String,
        /// The column that will hold the new format.
        new_column: String,
        /// The new column's type.
        new_type: String,
        /// Expression converting the old value, in terms of the old column.
        transform: String,
    },
    /// Rename a label of an enum type (expand and contract).
    RenameEnumValue {
        /// The enum type.
        #[serde(rename = "type")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        type_name: Name,
        /// The label in use.
        value: String,
        /// The label that replaces it.
        new_value: String,
    },
    /// Change a view incompatibly (drop, rename or retype a column): a new
    /// view next to the old one (expand and contract).
    ReplaceView {
        /// The view in use.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
        view: Name,
        /// The new view's name.
        new_name: String,
        /// The new view's query (`SELECT ...`).
        definition: String,
    },
}

impl Change {
    /// The kebab-case kind, as used on the command line.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::DropColumn { .. } => "drop-column",
            Change::RenameColumn { .. } => "rename-column",
            Change::ChangeColumnType { .. } => "change-column-type",
            Change::ChangeColumnDefault { .. } => "change-column-default",
            Change::SetNotNull { .. } => "set-not-null",
            Change::AddCheckConstraint { .. } => "add-check-constraint",
            Change::AddForeignKey { .. } => "add-foreign-key",
            Change::AddUniqueConstraint { .. } => "add-unique-constraint",
            Change::AddIndex { .. } => "add-index",
            Change::DropIndex { .. } => "drop-index",
            Change::DropTable { .. } => "drop-table",
            Change::RenameTable { .. } => "rename-table",
            Change::BigintPrimaryKey { .. } => "bigint-primary-key",
            Change::Backfill { .. } => "backfill",
            Change::DataFormatChange { .. } => "data-format-change",
            Change::RenameEnumValue { .. } => "rename-enum-value",
            Change::ReplaceView { .. } => "replace-view",
        }
    }

    /// Every change kind, in catalogue order.
    pub const KINDS: &'static [&'static str] = &[
        "drop-column",
        "rename-column",
        "change-column-type",
        "change-column-default",
        "set-not-null",
        "add-check-constraint",
        "add-foreign-key",
        "add-unique-constraint",
        "add-index",
        "drop-index",
        "drop-table",
        "rename-table",
        "bigint-primary-key",
        "backfill",
        "data-format-change",
        "rename-enum-value",
        "replace-view",
    ];
}
