//! The table model of a full dump (`pg_dump --schema-only`, `structure.sql`)
//! for the cells analysis: tables, ordered columns, primary keys, named
//! unique keys, foreign keys and partitions. The dump is read by the one
//! reader of schema dumps, [`crate::lint::read_dump`], with the lowering of
//! migrations, as the rules' [`crate::lint::Schema`] reads it; this module
//! keeps its own view of the same operations because the analysis needs
//! what the rules' catalog does not carry (foreign keys and constraint
//! names per table, column order), and that catalog stays lean for the
//! browser's lint module, which has no cells analysis.
//!
//! Only the statements the analysis needs are lowered (CREATE TABLE, ALTER
//! TABLE, CREATE UNIQUE INDEX); everything else (functions, triggers,
//! sequences, plain indexes, comments, ...) is counted as skipped by its
//! leading keywords.

use std::collections::{BTreeMap, HashMap};

pub use crate::model::{normalize_table, table_key};
use crate::model::{ColumnDef, Constraint, ConstraintKind, ForeignKeyRef, OpKind};
use crate::report::cells::{KindCount, StatementCounts, StatementFailure};

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Name.
    pub name: String,
    /// `NOT NULL`, a primary-key column, or a validated `CHECK (col IS NOT NULL)`.
    pub not_null: bool,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// Constraint name, when given.
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table (key as in [`Schema::tables`]).
    pub references: String,
}

/// A unique constraint or unique index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKey {
    /// Constraint or index name.
    pub name: Option<String>,
    /// Columns or key expressions, as SQL (empty for `UNIQUE USING INDEX` not resolved).
    pub columns: Vec<String>,
    /// A unique index rather than a constraint.
    pub index: bool,
    /// A partial index (`WHERE ...`).
    pub partial: bool,
}

/// A table of the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Key: `name`, or `schema.name` outside `public`.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Primary-key columns.
    pub primary_key: Vec<String>,
    /// Unique constraints and unique indexes.
    pub uniques: Vec<UniqueKey>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// The parent, for a partition (`PARTITION OF` or `ATTACH PARTITION`).
    pub partition_of: Option<String>,
}

impl Table {
    fn new(name: String) -> Self {
        Table {
            name,
            ..Table::default()
        }
    }

    /// The column, if the table has it.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }
}

/// The schema of a dump, and what reading it took.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Tables by key.
    pub tables: BTreeMap<String, Table>,
    /// Statement counts by kind, and failures.
    pub statements: StatementCounts,
}

/// What the analysis does with a statement of some kind.
fn needed(kind: &str) -> bool {
    matches!(
        kind,
        "CREATE TABLE" | "CREATE UNLOGGED TABLE" | "ALTER TABLE" | "CREATE UNIQUE INDEX"
    )
}

/// Words that do not end a statement kind (`CREATE OR REPLACE FUNCTION`).
const KIND_MODIFIERS: &[&str] = &[
    "CREATE",
    "ALTER",
    "DROP",
    "COMMENT",
    "ON",
    "OR",
    "REPLACE",
    "UNIQUE",
    "UNLOGGED",
    "TEMP",
    "TEMPORARY",
    "MATERIALIZED",
    "GLOBAL",
    "LOCAL",
    "DEFAULT",
    "CONSTRAINT",
];

/// The leading keywords of a statement, upper-case: `CREATE UNIQUE INDEX`, `COMMENT ON TABLE`, `SET`.
pub fn statement_kind(text: &str) -> String {
    let mut out = String::new();
    let words = text
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
        .filter(|w| !w.is_empty())
        .take(5);
    for (i, w) in words.enumerate() {
        let up = w.to_ascii_uppercase();
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&up);
        let continues = i == 0 && matches!(up.as_str(), "CREATE" | "ALTER" | "DROP" | "COMMENT")
            || i > 0 && KIND_MODIFIERS.contains(&up.as_str());
        if !continues {
            break;
        }
    }
    out
}

/// Reads a schema dump into the model with the dump reader the rules' schema
/// uses ([`crate::lint::read_dump`]). Never fails: statements that cannot be
/// read are counted in `statements.failed` and listed with their line.
pub fn parse_schema(text: &str) -> Schema {
    let mut schema = Schema::default();
    let mut kinds: HashMap<String, KindCount> = HashMap::new();
    let mut total = 0u32;
    // (kind, line, error) of each statement read, in order.
    let mut read: Vec<(String, u32, Option<String>)> = Vec::new();
    let mut builder = Builder::default();
    crate::lint::read_dump(
        text,
        |body| {
            total += 1;
            let kind = statement_kind(body);
            let needed = needed(&kind);
            let entry = kinds.entry(kind.clone()).or_insert_with(|| KindCount {
                kind,
                ..KindCount::default()
            });
            if !needed {
                entry.skipped += 1;
            }
            needed
        },
        |body, line, stmt| {
            let error = stmt.error.as_ref().map(|(message, _)| message.clone());
            if error.is_none() {
                for op in &stmt.ops {
                    builder.apply(op.kind.clone());
                }
            }
            read.push((statement_kind(body), line, error));
        },
    );
    schema.statements.total = total;
    for (kind, line, error) in read {
        let entry = kinds.entry(kind.clone()).or_default();
        match error {
            Some(message) => {
                entry.failed += 1;
                schema.statements.failed += 1;
                schema.statements.failures.push(StatementFailure {
                    line,
                    kind,
                    message,
                });
            }
            None => {
                entry.used += 1;
                schema.statements.used += 1;
            }
        }
    }
    schema.statements.skipped = kinds.values().map(|k| k.skipped).sum();
    let mut by_kind: Vec<KindCount> = kinds.into_values().collect();
    by_kind.sort_by(|a, b| a.kind.cmp(&b.kind));
    schema.statements.by_kind = by_kind;
    schema.tables = builder.finish();
    schema
}

#[derive(Default)]
struct Builder {
    tables: BTreeMap<String, Table>,
    /// `ADD CONSTRAINT ... UNIQUE USING INDEX idx`: (table, constraint name, index name).
    using_index: Vec<(String, Option<String>, String)>,
    /// Unique indexes by name: (table, columns, partial).
    indexes: HashMap<String, (String, Vec<String>, bool)>,
    /// Validated `CHECK (col IS NOT NULL)`: (table, column).
    not_null_checks: Vec<(String, String)>,
}

impl Builder {
    fn table(&mut self, key: &str) -> &mut Table {
        self.tables
            .entry(key.to_string())
            .or_insert_with(|| Table::new(key.to_string()))
    }

    fn apply(&mut self, kind: OpKind) {
        match kind {
            OpKind::CreateTable(ct) => {
                let key = table_key(&ct.table);
                let t = self.table(&key);
                t.partition_of = ct.partition_of.as_ref().map(table_key);
                for c in &ct.columns {
                    self.add_column(&key, c);
                }
                for c in ct.constraints {
                    self.add_constraint(&key, c);
                }
            }
            OpKind::AddColumn { table, column } => {
                let key = table_key(&table);
                self.add_column(&key, &column);
            }
            OpKind::AddConstraint { table, constraint } => {
                self.add_constraint(&table_key(&table), constraint);
            }
            OpKind::SetNotNull { table, column } => {
                if let Some(c) = self.table(&table_key(&table)).column_mut(&column) {
                    c.not_null = true;
                }
            }
            OpKind::AttachPartition { parent, partition } => {
                let parent = table_key(&parent);
                self.table(&table_key(&partition)).partition_of = Some(parent);
            }
            OpKind::CreateIndex(ci) if ci.unique => {
                let key = table_key(&ci.table);
                let partial = ci.predicate.is_some();
                let name = ci.name.as_ref().map(|n| n.name.clone());
                if let Some(n) = &name {
                    self.indexes
                        .insert(n.clone(), (key.clone(), ci.columns.clone(), partial));
                }
                self.table(&key).uniques.push(UniqueKey {
                    name,
                    columns: ci.columns,
                    index: true,
                    partial,
                });
            }
            _ => {}
        }
    }

    fn add_column(&mut self, key: &str, c: &ColumnDef) {
        let t = self.table(key);
        if t.column(&c.name).is_none() {
            t.columns.push(Column {
                name: c.name.clone(),
                not_null: c.not_null || c.primary_key,
            });
        }
        if c.primary_key {
            t.primary_key = vec![c.name.clone()];
        }
        if c.unique {
            t.uniques.push(UniqueKey {
                name: None,
                columns: vec![c.name.clone()],
                index: false,
                partial: false,
            });
        }
        if let Some(r) = &c.references {
            t.foreign_keys
                .push(foreign_key(None, vec![c.name.clone()], r));
        }
    }

    fn add_constraint(&mut self, key: &str, c: Constraint) {
        match c.kind {
            ConstraintKind::ForeignKey {
                columns,
                references,
            } => {
                let fk = foreign_key(c.name, columns, &references);
                self.table(key).foreign_keys.push(fk);
            }
            ConstraintKind::PrimaryKey {
                columns,
                using_index,
            } => {
                let t = self.table(key);
                for col in &columns {
                    if let Some(col) = t.column_mut(col) {
                        col.not_null = true;
                    }
                }
                t.primary_key = columns;
                if let Some(idx) = using_index {
                    self.using_index.push((key.to_string(), None, idx));
                }
            }
            ConstraintKind::Unique {
                columns,
                using_index,
            } => match using_index {
                Some(idx) => self.using_index.push((key.to_string(), c.name, idx)),
                None => self.table(key).uniques.push(UniqueKey {
                    name: c.name,
                    columns,
                    index: false,
                    partial: false,
                }),
            },
            ConstraintKind::Check {
                not_null_column: Some(col),
                ..
            } if !c.not_valid => self.not_null_checks.push((key.to_string(), col)),
            _ => {}
        }
    }

    fn finish(mut self) -> BTreeMap<String, Table> {
        for (table, col) in std::mem::take(&mut self.not_null_checks) {
            if let Some(c) = self.table(&table).column_mut(&col) {
                c.not_null = true;
            }
        }
        for (table, name, idx) in std::mem::take(&mut self.using_index) {
            let Some((_, columns, partial)) = self.indexes.get(&idx).cloned() else {
                continue;
            };
            let t = self.table(&table);
            // A constraint made from a unique index replaces the index's own entry.
            t.uniques
                .retain(|u| u.name.as_deref() != Some(idx.as_str()));
            if name.is_none() && t.primary_key.is_empty() {
                t.primary_key = columns;
            } else {
                t.uniques.push(UniqueKey {
                    name,
                    columns,
                    index: false,
                    partial,
                });
            }
        }
        self.tables
    }
}

fn foreign_key(name: Option<String>, columns: Vec<String>, r: &ForeignKeyRef) -> ForeignKey {
    ForeignKey {
        name,
        columns,
        references: table_key(&r.table),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_kinds() {
        assert_eq!(statement_kind("CREATE TABLE t (a int)"), "CREATE TABLE");
        assert_eq!(
            statement_kind("CREATE UNIQUE INDEX i ON t (a)"),
            "CREATE UNIQUE INDEX"
        );
        assert_eq!(
            statement_kind("create or replace function f() returns int"),
            "CREATE OR REPLACE FUNCTION"
        );
        assert_eq!(
            statement_kind("COMMENT ON TABLE t IS 'x'"),
            "COMMENT ON TABLE"
        );
        assert_eq!(statement_kind("ALTER TABLE ONLY t ADD"), "ALTER TABLE");
        assert_eq!(statement_kind("SET search_path = public"), "SET");
    }
}
