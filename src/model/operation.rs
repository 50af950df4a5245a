//! The typed model of schema operations that rules read. SQL text never
//! reaches a rule: `crate::sql` lowers every statement into these.

use std::ops::Range;

/// A possibly schema-qualified name, lower-cased unless it was quoted.
///
/// As text (its `Display`, and serde's form in a [`crate::model::Change`])
/// it is `name` or `schema.name`, exactly as [`Name::qualified`] for every
/// ordinary name (`users`, `public.users`, `Users`). A part that would not
/// survive being read back (one containing `.` or `"`, or with leading or
/// trailing white space) is double-quoted with `""` for `"`, so
/// `"a.b"` (one table named `a.b`) stays apart from `a.b` (table `b` in
/// schema `a`). [`Name::parse`] reads that text back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    /// Schema, when qualified.
    pub schema: Option<String>,
    /// The object's own name.
    pub name: String,
}

impl Name {
    /// An unqualified name.
    pub fn new(name: impl Into<String>) -> Self {
        Name {
            schema: None,
            name: name.into(),
        }
    }

    /// The name as written back into SQL (`schema.name`), unquoted.
    pub fn qualified(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Reads `name` or `schema.name` as written by a user or by `Display`.
    ///
    /// A part may be double-quoted (`"a.b"`, `public."Odd ""name"""`): a
    /// quoted part is taken as is, with `""` standing for `"`. Unquoted parts
    /// are trimmed and keep their case. Text that is not well formed in that
    /// way (a stray `"`) is read as before quoting was understood: split at
    /// every `.`, each part trimmed and stripped of surrounding `"`.
    /// Errs on more than two parts; the parts themselves are not checked
    /// (the planner checks them as PostgreSQL identifiers).
    pub fn parse(text: &str) -> Result<Name, String> {
        let mut parts = split_quoted(text).unwrap_or_else(|| {
            text.split('.')
                .map(|p| p.trim().trim_matches('"').to_string())
                .collect()
        });
        match parts.len() {
            1 => Ok(Name::new(parts.remove(0))),
            2 => {
                let name = parts.remove(1);
                Ok(Name {
                    schema: Some(parts.remove(0)),
                    name,
                })
            }
            _ => Err(format!(
                "`{text}` is not a table: write TABLE or SCHEMA.TABLE"
            )),
        }
    }
}

/// Splits at the dots outside double quotes; None when a `"` is out of place.
fn split_quoted(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        if let Some(quoted) = trimmed.strip_prefix('"') {
            let mut part = String::new();
            let mut chars = quoted.char_indices();
            let after = loop {
                match chars.next()? {
                    (i, '"') if quoted[i + 1..].starts_with('"') => {
                        part.push('"');
                        chars.next();
                    }
                    (i, '"') => break &quoted[i + 1..],
                    (_, c) => part.push(c),
                }
            };
            parts.push(part);
            let after = after.trim_start();
            if after.is_empty() {
                return Some(parts);
            }
            rest = after.strip_prefix('.')?;
        } else {
            let (part, next) = match rest.split_once('.') {
                Some((p, n)) => (p, Some(n)),
                None => (rest, None),
            };
            if part.contains('"') {
                return None;
            }
            parts.push(part.trim().to_string());
            match next {
                Some(n) => rest = n,
                None => return Some(parts),
            }
        }
    }
}

/// One part as text: as is, or double-quoted when reading it back would
/// change it.
fn write_part(f: &mut std::fmt::Formatter<'_>, part: &str) -> std::fmt::Result {
    if part.contains(['.', '"']) || part.trim() != part {
        write!(f, "\"{}\"", part.replace('"', "\"\""))
    } else {
        f.write_str(part)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(s) = &self.schema {
            write_part(f, s)?;
            f.write_str(".")?;
        }
        write_part(f, &self.name)
    }
}

impl std::str::FromStr for Name {
    type Err = String;

    fn from_str(text: &str) -> Result<Name, String> {
        Name::parse(text)
    }
}

/// Convenience for code and tests (`"public.users".into()`): parses like
/// [`Name::parse`]; text with more than two parts becomes one unqualified
/// name (use `Name::parse` to reject it).
impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::parse(text).unwrap_or_else(|_| Name::new(text))
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::from(text.as_str())
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        Name::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A default value expression, with what the lowering learned about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultExpr {
    /// The expression as SQL text.
    pub sql: String,
    /// Whether evaluating it can give a different value per row
    /// (`random()`, `gen_random_uuid()`, `clock_timestamp()`, a sequence, ...).
    pub volatile: bool,
}

/// A column definition, in CREATE TABLE or ADD COLUMN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    /// Column name.
    pub name: String,
    /// The type as written, lower-cased (`bigint`, `character varying(255)`, ...).
    pub data_type: String,
    /// `NOT NULL` (or PRIMARY KEY, which implies it).
    pub not_null: bool,
    /// `DEFAULT ...`.
    pub default: Option<DefaultExpr>,
    /// Declared `PRIMARY KEY` inline.
    pub primary_key: bool,
    /// Declared `UNIQUE` inline.
    pub unique: bool,
    /// Inline `REFERENCES table (cols)`.
    pub references: Option<ForeignKeyRef>,
    /// Inline `CHECK (...)` expressions, as SQL.
    pub checks: Vec<String>,
    /// `GENERATED ... AS IDENTITY` or `serial`-like.
    pub identity: bool,
    /// `GENERATED ALWAYS AS (...) STORED`.
    pub generated: bool,
    /// Byte range of the column definition.
    pub span: Range<usize>,
}

/// The target of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyRef {
    /// Referenced table.
    pub table: Name,
    /// Referenced columns (empty: the primary key).
    pub columns: Vec<String>,
    /// `ON DELETE` action as SQL, if any.
    pub on_delete: Option<String>,
}

/// A table-level constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `FOREIGN KEY (cols) REFERENCES ...`.
    ForeignKey {
        /// Referencing columns.
        columns: Vec<String>,
        /// Referenced table and columns.
        references: ForeignKeyRef,
    },
    /// `CHECK (expr)`.
    Check {
        /// The expression as SQL.
        expr: String,
        /// Set when the expression is exactly `col IS NOT NULL`.
        not_null_column: Option<String>,
    },
    /// `UNIQUE (cols)` or `UNIQUE USING INDEX idx`.
    Unique {
        /// Columns (empty with USING INDEX).
        columns: Vec<String>,
        /// The index named by USING INDEX.
        using_index: Option<String>,
    },
    /// `PRIMARY KEY (cols)` or `PRIMARY KEY USING INDEX idx`.
    PrimaryKey {
        /// Columns (empty with USING INDEX).
        columns: Vec<String>,
        /// The index named by USING INDEX.
        using_index: Option<String>,
    },
    /// `EXCLUDE USING ...`.
    Exclusion,
}

/// A constraint with its name and validation state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// `CONSTRAINT name`, if given.
    pub name: Option<String>,
    /// What it constrains.
    pub kind: ConstraintKind,
    /// Added `NOT VALID`.
    pub not_valid: bool,
    /// Byte range of the constraint.
    pub span: Range<usize>,
}

/// A CREATE TABLE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTable {
    /// The new table.
    pub table: Name,
    /// Its columns.
    pub columns: Vec<ColumnDef>,
    /// Table-level constraints.
    pub constraints: Vec<Constraint>,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `PARTITION OF parent`.
    pub partition_of: Option<Name>,
    /// `CREATE TABLE ... AS SELECT` or `LIKE`: columns unknown.
    pub from_query: bool,
}

/// A CREATE INDEX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateIndex {
    /// Index name, when given.
    pub name: Option<Name>,
    /// The table indexed.
    pub table: Name,
    /// Key columns or expressions, as SQL.
    pub columns: Vec<String>,
    /// `UNIQUE`.
    pub unique: bool,
    /// `CONCURRENTLY`.
    pub concurrently: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `ON ONLY` (partitioned parent only; cannot be concurrent).
    pub only: bool,
    /// `USING method`.
    pub method: Option<String>,
    /// `WHERE predicate`, as SQL.
    pub predicate: Option<String>,
}

/// Which data-changing statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataChangeKind {
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// INSERT ... SELECT.
    InsertSelect,
    /// INSERT ... VALUES (small, literal).
    InsertValues,
    /// COPY ... FROM.
    Copy,
}

/// Maintenance commands that take strong locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaintenanceKind {
    /// `VACUUM FULL`.
    VacuumFull,
    /// Plain `VACUUM` / `ANALYZE`: harmless.
    Vacuum,
    /// `CLUSTER`.
    Cluster,
    /// `REINDEX`.
    Reindex,
    /// `REFRESH MATERIALIZED VIEW`.
    RefreshMaterializedView,
}

/// Transaction control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionKind {
    /// BEGIN / START TRANSACTION.
    Begin,
    /// COMMIT / END.
    Commit,
    /// ROLLBACK / ABORT.
    Rollback,
}

/// Why a statement cannot be inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DynamicKind {
    /// `DO $$ ... $$`.
    DoBlock,
    /// `EXECUTE` of a prepared or built string.
    Execute,
    /// A function body whose statements run later.
    FunctionBody,
}

/// One schema operation. An ALTER TABLE with several actions lowers to several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpKind {
    /// CREATE TABLE.
    CreateTable(CreateTable),
    /// DROP TABLE.
    DropTable {
        /// Tables dropped.
        tables: Vec<Name>,
        /// `CASCADE`.
        cascade: bool,
    },
    /// ALTER TABLE ... RENAME TO.
    RenameTable {
        /// The table.
        table: Name,
        /// New name.
        new_name: String,
    },
    /// ADD COLUMN.
    AddColumn {
        /// The table.
        table: Name,
        /// The new column.
        column: ColumnDef,
    },
    /// DROP COLUMN.
    DropColumn {
        /// The table.
        table: Name,
        /// The column.
        column: String,
        /// `CASCADE`.
        cascade: bool,
    },
    /// RENAME COLUMN.
    RenameColumn {
        /// The table.
        table: Name,
        /// Old name.
        column: String,
        /// New name.
        new_name: String,
    },
    /// ALTER COLUMN ... TYPE.
    AlterColumnType {
        /// The table.
        table: Name,
        /// The column.
        column: String,
        /// The new type, lower-cased.
        new_type: String,
        /// `USING expr`, as SQL.
        using: Option<String>,
    },
    /// ALTER COLUMN ... SET NOT NULL.
    SetNotNull {
        /// The table.
        table: Name,
        /// The column.
        column: String,
    },
    /// ALTER COLUMN ... DROP NOT NULL.
    DropNotNull {
        /// The table.
        table: Name,
        /// The column.
        column: String,
    },
    /// ALTER COLUMN ... SET DEFAULT / DROP DEFAULT (`default` is None for DROP).
    ChangeDefault {
        /// The table.
        table: Name,
        /// The column.
        column: String,
        /// The new default; None drops it.
        default: Option<DefaultExpr>,
    },
    /// ADD CONSTRAINT (or ADD PRIMARY KEY / UNIQUE ...).
    AddConstraint {
        /// The table.
        table: Name,
        /// The constraint.
        constraint: Constraint,
    },
    /// VALIDATE CONSTRAINT.
    ValidateConstraint {
        /// The table.
        table: Name,
        /// Constraint name.
        name: String,
    },
    /// DROP CONSTRAINT.
    DropConstraint {
        /// The table.
        table: Name,
        /// Constraint name.
        name: String,
    },
    /// Other statements on one table, kept as words: ALTER TABLE actions the
    /// model has no variant for (ATTACH/DETACH PARTITION, SET LOGGED, SET
    /// TABLESPACE, SET STATISTICS, ...) and CREATE/DROP TRIGGER. The lock
    /// each takes comes from `postgres` (the behaviour table); an action it
    /// does not list is read by `access_exclusive`.
    AlterTableOther {
        /// The table.
        table: Name,
        /// What it does, in words (`ATTACH PARTITION`).
        action: String,
        /// Whether it takes ACCESS EXCLUSIVE (else a weaker lock).
        access_exclusive: bool,
    },
    /// CREATE INDEX.
    CreateIndex(CreateIndex),
    /// DROP INDEX.
    DropIndex {
        /// Indexes dropped.
        names: Vec<Name>,
        /// `CONCURRENTLY`.
        concurrently: bool,
    },
    /// UPDATE, DELETE, INSERT, COPY.
    DataChange {
        /// Which.
        kind: DataChangeKind,
        /// Target table.
        table: Name,
        /// Has a WHERE clause (UPDATE/DELETE).
        has_where: bool,
        /// UPDATE's SET list as SQL (`a = 1, b = lower(c)`).
        set: Option<String>,
        /// The WHERE condition as SQL (UPDATE/DELETE).
        predicate: Option<String>,
    },
    /// TRUNCATE.
    Truncate {
        /// Tables.
        tables: Vec<Name>,
        /// `CASCADE`.
        cascade: bool,
    },
    /// VACUUM, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW.
    Maintenance {
        /// Which command.
        kind: MaintenanceKind,
        /// Tables or indexes named (may be empty: whole database).
        targets: Vec<Name>,
        /// `CONCURRENTLY`.
        concurrently: bool,
    },
    /// BEGIN / COMMIT / ROLLBACK.
    Transaction(TransactionKind),
    /// `SET [LOCAL] name = value` (names lower-cased).
    SetSetting {
        /// Setting name (`lock_timeout`, `statement_timeout`, ...).
        name: String,
        /// Value as written.
        value: String,
        /// `SET LOCAL`.
        local: bool,
    },
    /// LOCK TABLE.
    LockTable {
        /// Tables.
        tables: Vec<Name>,
        /// Lock mode, upper-case (`ACCESS EXCLUSIVE` when not given).
        mode: String,
    },
    /// ALTER TYPE ... ADD VALUE.
    AddEnumValue {
        /// The enum type.
        type_name: Name,
        /// The new label.
        value: String,
        /// `BEFORE`/`AFTER` given: not appended at the end.
        positioned: bool,
    },
    /// Code that cannot be inspected.
    Dynamic(DynamicKind),
    /// Any other statement: no rule is known to care.
    Other {
        /// Leading keywords, upper-case (`CREATE FUNCTION`).
        what: String,
    },
    /// A new relation other than a table (`CREATE MATERIALIZED VIEW`, and
    /// `CREATE VIEW` without `OR REPLACE`):
    /// empty to everyone until this migration commits. `SELECT ... INTO` and
    /// `CREATE TABLE ... AS` lower to `CreateTable`.
    CreateRelation {
        /// Its name.
        name: Name,
        /// What it is, upper-case (`MATERIALIZED VIEW`).
        what: String,
    },
    /// `CREATE TYPE` (enum, composite, range): a new type, unused until
    /// this migration commits.
    CreateType {
        /// Its name.
        name: Name,
    },
    /// `CREATE OR REPLACE VIEW` of a view that may exist: PostgreSQL keeps
    /// its columns (it refuses to drop, rename or retype one) and may add new
    /// ones at the end.
    ReplaceView {
        /// The view.
        name: Name,
    },
    /// `ALTER TABLE parent ATTACH PARTITION partition`: lowered after the
    /// `AlterTableOther` op of the same action, which names the parent only.
    AttachPartition {
        /// The partitioned table.
        parent: Name,
        /// The table attached.
        partition: Name,
    },
    /// DROP VIEW / MATERIALIZED VIEW / FUNCTION / PROCEDURE / TYPE / DOMAIN /
    /// SCHEMA / SEQUENCE.
    DropObject {
        /// What is dropped, upper-case (`VIEW`, `TYPE`, ...).
        what: String,
        /// The objects.
        names: Vec<Name>,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `ALTER TYPE ... RENAME TO` (`value` None) or `RENAME VALUE`.
    RenameType {
        /// The type.
        type_name: Name,
        /// The enum label renamed, for RENAME VALUE.
        value: Option<String>,
        /// The new name or label.
        new_name: String,
    },
    /// CREATE DOMAIN.
    CreateDomain {
        /// The domain.
        name: Name,
        /// Its base type, lower-cased as written.
        base_type: String,
        /// It has constraints (`NOT NULL`, `CHECK`): a cast to it checks them.
        constrained: bool,
    },
}

/// An operation with the byte range of the node that shows it best.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    /// What it does.
    pub kind: OpKind,
    /// Byte range of the smallest node that shows the operation.
    pub span: Range<usize>,
}

/// One statement of a migration file, lowered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// Byte range of the statement, without the trailing `;`.
    pub span: Range<usize>,
    /// The operations it performs, in order.
    pub ops: Vec<Op>,
    /// Set when the statement did not parse: the message and the byte offset.
    pub error: Option<(String, usize)>,
}
