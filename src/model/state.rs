//! What the engine remembers while it walks a file (`FileState`) and a run
//! (`Catalog`), updated after the rules have seen each statement.
//!
//! This is the engine state rules read (through `rules::RuleContext`). It
//! is defined here, below both `rules` (which reads it) and `lint` (which
//! updates it), so that neither of those imports the other to reach it.

use std::collections::{HashMap, HashSet};

use super::{
    strong_lock, ConstraintKind, DefaultExpr, LintOptions, Name, Op, OpKind, TransactionKind,
};

impl DefaultExpr {
    /// `DEFAULT NULL` (possibly parenthesized or cast, `NULL::text`): no
    /// default at all, as PostgreSQL treats it.
    pub fn is_null(&self) -> bool {
        let mut s = self.sql.trim();
        if let Some(inner) = s
            .get(..5)
            .filter(|h| h.eq_ignore_ascii_case("cast("))
            .and_then(|_| s[5..].split_whitespace().next())
        {
            s = inner;
        }
        let mut s = s.split("::").next().unwrap_or(s).trim();
        while let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            s = inner.trim();
        }
        s.eq_ignore_ascii_case("null")
    }
}

/// A default that gives values: present and not `DEFAULT NULL`.
fn gives_default(d: Option<&DefaultExpr>) -> bool {
    d.is_some_and(|d| !d.is_null())
}

/// A column as far as earlier statements of the run tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// Its type, lower-cased as written.
    pub data_type: String,
    /// Has a default.
    pub has_default: bool,
    /// NOT NULL.
    pub not_null: bool,
}

/// What earlier statements and files of this run created: tables, columns
/// and NOT NULL checks. Files are linted in path order, so a table created in
/// an earlier migration is known to a later one.
#[derive(Debug, Default)]
pub struct Catalog {
    tables: HashMap<String, Columns>,
    /// Check constraints of the form `col IS NOT NULL`: (table, constraint) -> column.
    not_null_checks: HashMap<(String, String), String>,
    /// (table, column) with a validated `col IS NOT NULL` check.
    validated_not_null: HashSet<(String, String)>,
}

/// A table's columns by name: a list, since tables have few columns and
/// lookups are rare next to CREATE TABLE (no hashing, one allocation).
/// A later entry of the same name shadows earlier ones, as a map insert
/// would replace them.
#[derive(Debug, Default)]
struct Columns(Vec<(String, ColumnInfo)>);

impl Columns {
    fn get(&self, name: &str) -> Option<&ColumnInfo> {
        self.0.iter().rev().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut ColumnInfo> {
        self.0
            .iter_mut()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c)
    }

    /// Adds or replaces the column `name`.
    fn insert(&mut self, name: &str, info: ColumnInfo) {
        match self.get_mut(name) {
            Some(c) => *c = info,
            None => self.0.push((name.to_string(), info)),
        }
    }

    /// Removes the column `name`, returning its definition.
    fn remove(&mut self, name: &str) -> Option<ColumnInfo> {
        let i = self.0.iter().rposition(|(n, _)| n == name)?;
        let (_, info) = self.0.remove(i);
        self.0.retain(|(n, _)| n != name);
        Some(info)
    }
}

impl Catalog {
    /// The column's known definition.
    pub fn column(&self, table: &Name, column: &str) -> Option<&ColumnInfo> {
        self.tables.get(&table.name)?.get(column)
    }

    /// True when a validated `CHECK (column IS NOT NULL)` exists.
    pub fn has_validated_not_null_check(&self, table: &Name, column: &str) -> bool {
        self.validated_not_null
            .contains(&(table.name.clone(), column.to_string()))
    }

    /// Records what `op` changes.
    pub fn apply(&mut self, op: &Op) {
        match &op.kind {
            OpKind::CreateTable(ct) => {
                // A repeated name shadows the earlier column (see `Columns`).
                let cols = Columns(
                    ct.columns
                        .iter()
                        .map(|c| {
                            (
                                c.name.clone(),
                                ColumnInfo {
                                    data_type: c.data_type.clone(),
                                    has_default: gives_default(c.default.as_ref()),
                                    not_null: c.not_null,
                                },
                            )
                        })
                        .collect(),
                );
                self.tables.insert(ct.table.name.clone(), cols);
            }
            OpKind::DropTable { tables, .. } => {
                for t in tables {
                    self.tables.remove(&t.name);
                }
            }
            OpKind::RenameTable { table, new_name } => {
                if let Some(cols) = self.tables.remove(&table.name) {
                    self.tables.insert(new_name.clone(), cols);
                }
            }
            OpKind::AddColumn { table, column } => {
                let cols = match self.tables.get_mut(&table.name) {
                    Some(cols) => cols,
                    None => self.tables.entry(table.name.clone()).or_default(),
                };
                cols.insert(
                    &column.name,
                    ColumnInfo {
                        data_type: column.data_type.clone(),
                        has_default: gives_default(column.default.as_ref()),
                        not_null: column.not_null,
                    },
                );
            }
            OpKind::DropColumn { table, column, .. } => {
                if let Some(cols) = self.tables.get_mut(&table.name) {
                    cols.remove(column);
                }
            }
            OpKind::RenameColumn {
                table,
                column,
                new_name,
            } => {
                if let Some(cols) = self.tables.get_mut(&table.name) {
                    if let Some(info) = cols.remove(column) {
                        cols.insert(new_name, info);
                    }
                }
            }
            OpKind::AlterColumnType {
                table,
                column,
                new_type,
                ..
            } => {
                if let Some(info) = self
                    .tables
                    .get_mut(&table.name)
                    .and_then(|c| c.get_mut(column))
                {
                    info.data_type = new_type.clone();
                }
            }
            OpKind::ChangeDefault {
                table,
                column,
                default,
            } => {
                if let Some(info) = self
                    .tables
                    .get_mut(&table.name)
                    .and_then(|c| c.get_mut(column))
                {
                    info.has_default = gives_default(default.as_ref());
                }
            }
            OpKind::SetNotNull { table, column } | OpKind::DropNotNull { table, column } => {
                let set = matches!(op.kind, OpKind::SetNotNull { .. });
                if let Some(info) = self
                    .tables
                    .get_mut(&table.name)
                    .and_then(|c| c.get_mut(column))
                {
                    info.not_null = set;
                }
            }
            OpKind::AddConstraint { table, constraint } => {
                if let ConstraintKind::Check {
                    not_null_column: Some(col),
                    ..
                } = &constraint.kind
                {
                    if let Some(name) = &constraint.name {
                        self.not_null_checks
                            .insert((table.name.clone(), name.clone()), col.clone());
                    }
                    if !constraint.not_valid {
                        self.validated_not_null
                            .insert((table.name.clone(), col.clone()));
                    }
                }
            }
            OpKind::ValidateConstraint { table, name } => {
                if let Some(col) = self
                    .not_null_checks
                    .get(&(table.name.clone(), name.clone()))
                {
                    self.validated_not_null
                        .insert((table.name.clone(), col.clone()));
                }
            }
            OpKind::DropConstraint { table, name } => {
                if let Some(col) = self
                    .not_null_checks
                    .remove(&(table.name.clone(), name.clone()))
                {
                    self.validated_not_null.remove(&(table.name.clone(), col));
                }
            }
            _ => {}
        }
    }
}

/// The state of one file at a statement: transactions, settings, new tables.
#[derive(Debug, Default)]
pub struct FileState {
    /// The statement runs inside a transaction block (explicit or assumed).
    pub in_transaction: bool,
    /// An explicit BEGIN is open.
    pub explicit_transaction: bool,
    /// `SET lock_timeout` ran earlier in the file.
    pub lock_timeout_set: bool,
    /// The value the last `SET lock_timeout` gave, in milliseconds (`0`:
    /// no timeout), when it is a literal duration.
    pub lock_timeout_ms: Option<u64>,
    /// That value as the migration wrote it (without quotes).
    pub lock_timeout_text: String,
    /// `SET statement_timeout` ran earlier in the file.
    pub statement_timeout_set: bool,
    /// Tables created earlier in this file.
    new_tables: HashSet<String>,
    /// Constraints added NOT VALID in the current transaction: (table, name).
    pub not_valid_in_transaction: HashSet<(String, String)>,
    /// How many statements so far took an ACCESS EXCLUSIVE lock in the current transaction.
    pub exclusive_locks_in_transaction: u32,
    /// A statement earlier in the file took ACCESS EXCLUSIVE or SHARE ROW
    /// EXCLUSIVE on an existing table.
    pub strong_lock_taken: bool,
    /// A statement took such a lock after the last `SET lock_timeout`.
    pub strong_lock_since_lock_timeout: bool,
    /// Columns added earlier in this file, by table.
    new_columns: HashMap<String, HashSet<String>>,
    /// Indexes created earlier in this file on tables new in this file.
    new_indexes: HashSet<String>,
}

impl FileState {
    /// The state at the top of a file.
    pub fn new(options: &LintOptions) -> Self {
        FileState {
            in_transaction: options.assume_in_transaction,
            ..FileState::default()
        }
    }

    /// True when `table` was created earlier in this file.
    pub fn is_new_table(&self, table: &Name) -> bool {
        self.new_tables.contains(&table.name)
    }

    /// True when `column` of `table` was added (or its table created) earlier in this file.
    pub fn is_new_column(&self, table: &Name, column: &str) -> bool {
        self.is_new_table(table)
            || self
                .new_columns
                .get(&table.name)
                .is_some_and(|cols| cols.contains(column))
    }

    /// True when the index was created earlier in this file on a table new in this file.
    pub fn is_new_index(&self, index: &Name) -> bool {
        self.new_indexes.contains(&index.name)
    }

    /// Records what `op` changes, after the rules have seen it.
    pub fn apply(&mut self, op: &Op, options: &LintOptions) {
        if !(self.strong_lock_taken && self.strong_lock_since_lock_timeout)
            && strong_lock(op, &|t| self.is_new_table(t)).is_some()
        {
            self.strong_lock_taken = true;
            self.strong_lock_since_lock_timeout = true;
        }
        match &op.kind {
            OpKind::Transaction(TransactionKind::Begin) => {
                self.in_transaction = true;
                self.explicit_transaction = true;
                self.not_valid_in_transaction.clear();
                self.exclusive_locks_in_transaction = 0;
            }
            OpKind::Transaction(TransactionKind::Commit | TransactionKind::Rollback) => {
                self.in_transaction = options.assume_in_transaction && !self.explicit_transaction;
                self.explicit_transaction = false;
                self.not_valid_in_transaction.clear();
                self.exclusive_locks_in_transaction = 0;
            }
            OpKind::SetSetting { name, value, .. } if name == "lock_timeout" => {
                self.lock_timeout_set = true;
                self.strong_lock_since_lock_timeout = false;
                let v = value.trim();
                let v = v
                    .strip_prefix('\'')
                    .and_then(|v| v.strip_suffix('\''))
                    .unwrap_or(v);
                self.lock_timeout_ms = super::parse_duration_ms(v);
                v.clone_into(&mut self.lock_timeout_text);
            }
            OpKind::SetSetting { name, .. } if name == "statement_timeout" => {
                self.statement_timeout_set = true
            }
            OpKind::CreateTable(ct) => {
                self.new_tables.insert(ct.table.name.clone());
            }
            OpKind::AddColumn { table, column } => {
                let cols = match self.new_columns.get_mut(&table.name) {
                    Some(cols) => cols,
                    None => self.new_columns.entry(table.name.clone()).or_default(),
                };
                cols.insert(column.name.clone());
            }
            OpKind::CreateIndex(ci) if self.new_tables.contains(&ci.table.name) => {
                if let Some(name) = &ci.name {
                    self.new_indexes.insert(name.name.clone());
                }
            }
            OpKind::RenameTable { table, new_name } if self.new_tables.remove(&table.name) => {
                self.new_tables.insert(new_name.clone());
            }
            OpKind::AddConstraint { table, constraint } if constraint.not_valid => {
                if let Some(name) = &constraint.name {
                    if self.in_transaction {
                        self.not_valid_in_transaction
                            .insert((table.name.clone(), name.clone()));
                    }
                }
            }
            _ => {}
        }
    }
}
