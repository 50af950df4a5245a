//! What the engine remembers while it walks a file (`FileState`) and a run
//! (`Catalog`), updated after the rules have seen each statement.
//!
//! This is the engine state rules read (through `rules::RuleContext`). It
//! is defined here, below both `rules` (which reads it) and `lint` (which
//! updates it), so that neither of those imports the other to reach it.

use std::collections::{HashMap, HashSet};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use super::layered::{LayeredMap, LayeredSet};
use super::{
    strong_lock, Constraint, ConstraintKind, DataChangeKind, DefaultExpr, LintOptions, Name, Op,
    OpKind, TransactionKind,
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

/// The default's SQL, when it gives one.
fn default_sql(d: Option<&DefaultExpr>) -> Option<String> {
    d.filter(|d| !d.is_null()).map(|d| d.sql.clone())
}

/// An index as far as the schema and earlier statements of the run tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexInfo {
    /// The indexed table.
    pub table: Name,
    /// `UNIQUE`.
    pub unique: bool,
    /// Has a `WHERE` predicate.
    pub partial: bool,
    /// Key columns or expressions, as SQL.
    pub columns: Vec<String>,
}

/// A column as far as earlier statements of the run tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// Its type, lower-cased as written.
    pub data_type: String,
    /// Has a default.
    pub has_default: bool,
    /// The default, as SQL, when it has one.
    pub default: Option<String>,
    /// NOT NULL.
    pub not_null: bool,
}

/// A value copies share until one of them writes to it: a table's columns,
/// so that a copy of the catalog (see `layered`) that changes a table of
/// the loaded schema copies a reference count, and copies the columns only
/// when it changes one. Reads go through `Deref`, writes through `DerefMut`
/// (`Arc::make_mut`).
#[derive(Debug, Default)]
struct Shared<T>(Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromIterator<A>, A> FromIterator<A> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = A>>(items: I) -> Self {
        Shared(Arc::new(items.into_iter().collect()))
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

/// What the loaded schema holds and earlier statements and files of this
/// run created: tables, columns, indexes, constraints, partitions. Files are
/// linted in path order, so a table created in an earlier migration is known
/// to a later one. Seeded from a schema dump (`lint::Schema`), it is
/// `complete`: an object it does not hold does not exist.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    /// The schema unqualified names resolve to in the current file.
    schema: Schema,
    /// Seeded from a whole schema: absence means the object does not exist.
    complete: bool,
    /// Indexes by (schema, name): an index lives in its table's schema.
    indexes: LayeredMap<Key, IndexInfo>,
    /// Named constraints of every kind: (table, name).
    constraints: LayeredSet<(Key, String)>,
    /// Column sets a foreign key may reference: primary keys, unique
    /// constraints and non-partial unique indexes, by table.
    unique_sets: LayeredMap<Key, Vec<Vec<String>>>,
    /// Tables whose columns are not all known (`CREATE TABLE ... AS`,
    /// `PARTITION OF` without a column list).
    opaque: LayeredSet<Key>,
    /// Tables with a constraint PostgreSQL named itself (unnamed in the
    /// SQL): their constraint names are not all known.
    unnamed_constraints: LayeredSet<Key>,
    /// Partitioned tables, with their partitions in the order attached.
    partitions: LayeredMap<Key, Vec<Key>>,
    tables: LayeredMap<Key, Columns>,
    /// Check constraints of the form `col IS NOT NULL`: (table, constraint) -> column.
    not_null_checks: LayeredMap<(Key, String), String>,
    /// (table, column) with a validated `col IS NOT NULL` check.
    validated_not_null: LayeredSet<(Key, String)>,
    /// Primary keys (true) and unique constraints (false) by (table, name).
    keys: LayeredMap<(Key, String), bool>,
    /// Tables with a validated CHECK constraint (any expression).
    checked: LayeredSet<Key>,
    /// CHECK constraints added NOT VALID and not validated yet: (table, name).
    unvalidated_checks: LayeredSet<(Key, String)>,
    /// Domains: base type, and whether they have constraints.
    domains: LayeredMap<Key, (String, bool)>,
}

/// Records a primary key or unique constraint `c` of the table `table`
/// (`name`: its own name, for an unnamed primary key's `name_pkey`).
fn add_key(keys: &mut LayeredMap<(Key, String), bool>, table: Key, name: &str, c: &Constraint) {
    let primary = match c.kind {
        ConstraintKind::PrimaryKey { .. } => true,
        ConstraintKind::Unique { .. } => false,
        _ => return,
    };
    let cname = c
        .name
        .clone()
        .or_else(|| primary.then(|| format!("{name}_pkey")));
    if let Some(cname) = cname {
        keys.insert((table, cname), primary);
    }
}

/// Records a `CHECK (col IS NOT NULL)` of `table`, from CREATE TABLE
/// (pg_dump writes validated ones there) or ADD CONSTRAINT.
fn note_not_null_check(
    checks: &mut LayeredMap<(Key, String), String>,
    validated: &mut LayeredSet<(Key, String)>,
    table: &Key,
    c: &Constraint,
) {
    if let ConstraintKind::Check {
        not_null_column: Some(col),
        ..
    } = &c.kind
    {
        if let Some(name) = &c.name {
            checks.insert((table.clone(), name.clone()), col.clone());
        }
        if !c.not_valid {
            validated.insert((table.clone(), col.clone()));
        }
    }
}

/// A relation by schema and name: `(schema, name)`.
type Key = (String, String);

/// The columns of a primary key or unique constraint, when it names them.
fn key_columns(c: &Constraint) -> Option<&[String]> {
    match &c.kind {
        ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. }
            if !columns.is_empty() =>
        {
            Some(columns)
        }
        _ => None,
    }
}

/// Records a named constraint and, for a key, its columns.
fn add_constraint(
    constraints: &mut LayeredSet<(Key, String)>,
    unique_sets: &mut LayeredMap<Key, Vec<Vec<String>>>,
    table: Key,
    c: &Constraint,
) {
    if let Some(cols) = key_columns(c) {
        unique_sets
            .get_or_default(table.clone())
            .push(cols.to_vec());
    }
    if let Some(name) = &c.name {
        constraints.insert((table, name.clone()));
    }
}

/// The schema unqualified names resolve to: `public`, unless `SET
/// search_path` named another first. A simplification of PostgreSQL's
/// search: the first schema of the path is taken to hold every unqualified
/// name (`"$user"` is skipped), and `SET LOCAL` is read like `SET`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Schema(String);

impl Default for Schema {
    fn default() -> Self {
        Schema("public".into())
    }
}

impl Schema {
    /// The key of `n`: its own schema, or this one.
    fn key(&self, n: &Name) -> Key {
        (
            n.schema.clone().unwrap_or_else(|| self.0.clone()),
            n.name.clone(),
        )
    }

    /// Whether `n` has the key `k` (its [`Schema::key`], without building it).
    fn is(&self, n: &Name, k: &Key) -> bool {
        n.name == k.1 && n.schema.as_deref().unwrap_or(&self.0) == k.0
    }

    /// Follows `SET search_path`; true when `op` is one.
    fn follow(&mut self, op: &Op) -> bool {
        let OpKind::SetSetting { name, value, .. } = &op.kind else {
            return false;
        };
        if name != "search_path" {
            return false;
        }
        let first = value
            .split(',')
            .map(str::trim)
            .find(|p| !p.trim_matches(['\'', '"']).eq_ignore_ascii_case("$user"));
        self.0 = match first {
            Some(p) if p.starts_with('"') => p.trim_matches('"').to_string(),
            Some(p) if !p.is_empty() && !p.eq_ignore_ascii_case("default") => {
                p.trim_matches('\'').to_ascii_lowercase()
            }
            _ => "public".into(),
        };
        true
    }
}

/// A table's columns by name: a list, since tables have few columns and
/// lookups are rare next to CREATE TABLE (no hashing, one allocation).
/// A later entry of the same name shadows earlier ones, as a map insert
/// would replace them.
#[derive(Debug, Default, Clone)]
struct Columns(Shared<Vec<(String, ColumnInfo)>>);

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
    /// Marks the catalog as holding a whole schema (a loaded dump): from
    /// now on an object it does not hold does not exist.
    /// Makes what the catalog holds the base its copies share (see
    /// `layered`): a copy then costs a reference count per map, and its
    /// changes what they change. For a loaded schema, copied for every lint.
    pub fn freeze(&mut self) {
        self.indexes.freeze();
        self.constraints.freeze();
        self.unique_sets.freeze();
        self.opaque.freeze();
        self.unnamed_constraints.freeze();
        self.partitions.freeze();
        self.tables.freeze();
        self.not_null_checks.freeze();
        self.validated_not_null.freeze();
        self.keys.freeze();
        self.checked.freeze();
        self.unvalidated_checks.freeze();
        self.domains.freeze();
    }

    pub fn mark_complete(&mut self) {
        self.complete = true;
    }

    /// True when seeded from a whole schema (see `mark_complete`).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Marks `table` as partitioned (`PARTITION BY`), with no partition yet.
    pub fn mark_partitioned(&mut self, table: &Name) {
        let k = self.schema.key(table);
        self.partitions.get_or_default(k);
    }

    /// True when `table` is partitioned.
    pub fn is_partitioned(&self, table: &Name) -> bool {
        self.partitions.contains_key(&self.schema.key(table))
    }

    /// The partitions of `table`, in the order they were attached.
    pub fn partitions(&self, table: &Name) -> Vec<Name> {
        self.partitions
            .get(&self.schema.key(table))
            .map(|ps| {
                ps.iter()
                    .map(|(s, n)| Name {
                        schema: Some(s.clone()),
                        name: n.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// True when `table` is known and all its columns are (not created by
    /// `CREATE TABLE ... AS` or `PARTITION OF` without a column list).
    pub fn columns_known(&self, table: &Name) -> bool {
        let k = self.schema.key(table);
        self.tables.contains_key(&k) && !self.opaque.contains(&k)
    }

    /// True when every constraint of `table` has a known name.
    pub fn constraint_names_known(&self, table: &Name) -> bool {
        !self.unnamed_constraints.contains(&self.schema.key(table))
    }

    /// The index `name` (unqualified: in the current schema).
    pub fn index(&self, name: &Name) -> Option<&IndexInfo> {
        self.indexes.get(&self.schema.key(name))
    }

    /// True when `table` has a constraint called `name`.
    pub fn has_constraint(&self, table: &Name, name: &str) -> bool {
        self.constraints
            .contains(&(self.schema.key(table), name.to_string()))
    }

    /// True when `table` has a primary key, unique constraint or non-partial
    /// unique index on exactly `columns` (in any order); with no columns, a
    /// primary key.
    pub fn has_unique_key(&self, table: &Name, columns: &[String]) -> bool {
        let k = self.schema.key(table);
        if columns.is_empty() {
            return self
                .keys
                .iter()
                .any(|((t, _), primary)| *primary && *t == k);
        }
        let mut want: Vec<&str> = columns.iter().map(String::as_str).collect();
        want.sort_unstable();
        self.unique_sets.get(&k).is_some_and(|sets| {
            sets.iter().any(|s| {
                let mut have: Vec<&str> = s.iter().map(String::as_str).collect();
                have.sort_unstable();
                have == want
            })
        })
    }

    /// How many tables, columns and indexes the catalog holds.
    pub fn counts(&self) -> (usize, usize, usize) {
        let columns = self.tables.values().map(|c| c.0.len()).sum();
        (self.tables.len(), columns, self.indexes.len())
    }

    /// The column's known definition.
    pub fn column(&self, table: &Name, column: &str) -> Option<&ColumnInfo> {
        self.tables.get(&self.schema.key(table))?.get(column)
    }

    /// True when an earlier statement of the run created or altered `table`.
    pub fn has_table(&self, table: &Name) -> bool {
        self.tables.contains_key(&self.schema.key(table))
    }

    /// Whether the constraint `name` of `table`, created earlier in the run,
    /// is a primary key (`Some(true)`) or a unique constraint (`Some(false)`).
    /// An unnamed primary key is known by PostgreSQL's name for it (`t_pkey`).
    pub fn key_constraint(&self, table: &Name, name: &str) -> Option<bool> {
        self.keys
            .get(&(self.schema.key(table), name.to_string()))
            .copied()
    }

    /// True when an earlier statement of the run gave `table` a validated
    /// CHECK constraint (in CREATE TABLE, ADD CONSTRAINT without NOT VALID,
    /// or VALIDATE CONSTRAINT of one added NOT VALID).
    pub fn has_validated_check(&self, table: &Name) -> bool {
        self.checked.contains(&self.schema.key(table))
    }

    /// The base type of the domain `type_name` (as written in a column
    /// type: `name` or `schema.name`), and whether the domain has
    /// constraints, when an earlier statement of the run created it.
    pub fn domain(&self, type_name: &str) -> Option<(&str, bool)> {
        let name = Name::parse(type_name.trim()).ok()?;
        self.domains
            .get(&self.schema.key(&name))
            .map(|(base, constrained)| (base.as_str(), *constrained))
    }

    /// Starts a file: unqualified names are in `public` again.
    pub fn start_file(&mut self) {
        self.schema = Schema::default();
    }

    /// True when a validated `CHECK (column IS NOT NULL)` exists.
    pub fn has_validated_not_null_check(&self, table: &Name, column: &str) -> bool {
        self.validated_not_null
            .contains(&(self.schema.key(table), column.to_string()))
    }

    /// Records what `op` changes.
    pub fn apply(&mut self, op: &Op) {
        if self.schema.follow(op) {
            return;
        }
        let key = |t: &Name| self.schema.key(t);
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
                                    default: default_sql(c.default.as_ref()),
                                    not_null: c.not_null,
                                },
                            )
                        })
                        .collect(),
                );
                let k = key(&ct.table);
                self.tables.insert(k.clone(), cols);
                if ct.from_query || (ct.partition_of.is_some() && ct.columns.is_empty()) {
                    self.opaque.insert(k.clone());
                }
                let unnamed = ct.constraints.iter().any(|c| c.name.is_none())
                    || ct
                        .columns
                        .iter()
                        .any(|c| c.unique || c.references.is_some() || !c.checks.is_empty());
                if unnamed {
                    self.unnamed_constraints.insert(k.clone());
                }
                if let Some(parent) = &ct.partition_of {
                    let p = key(parent);
                    self.partitions.get_or_default(p).push(k.clone());
                }
                let pk: Vec<String> = ct
                    .columns
                    .iter()
                    .filter(|c| c.primary_key)
                    .map(|c| c.name.clone())
                    .collect();
                if !pk.is_empty() {
                    let name = format!("{}_pkey", ct.table.name);
                    self.keys.insert((k.clone(), name.clone()), true);
                    self.constraints.insert((k.clone(), name));
                    self.unique_sets.get_or_default(k.clone()).push(pk);
                }
                for c in &ct.constraints {
                    add_constraint(&mut self.constraints, &mut self.unique_sets, k.clone(), c);
                }
                for c in &ct.constraints {
                    add_key(&mut self.keys, key(&ct.table), &ct.table.name, c);
                    note_not_null_check(
                        &mut self.not_null_checks,
                        &mut self.validated_not_null,
                        &k,
                        c,
                    );
                }
                let checks = ct.columns.iter().any(|c| !c.checks.is_empty())
                    || ct
                        .constraints
                        .iter()
                        .any(|c| matches!(c.kind, ConstraintKind::Check { .. }) && !c.not_valid);
                if checks {
                    self.checked.insert(key(&ct.table));
                }
            }
            OpKind::DropTable { tables, .. } => {
                for t in tables {
                    let k = key(t);
                    self.tables.remove(&k);
                    self.partitions.remove(&k);
                    self.unique_sets.remove(&k);
                    self.opaque.remove(&k);
                    self.unnamed_constraints.remove(&k);
                    let sp = &self.schema;
                    self.indexes.retain(|_, i| !sp.is(&i.table, &k));
                    self.constraints.retain(|(t, _)| *t != k);
                }
            }
            OpKind::CreateIndex(ci) => {
                if let Some(name) = &ci.name {
                    let schema = name.schema.clone().or_else(|| ci.table.schema.clone());
                    let k = key(&Name {
                        schema,
                        name: name.name.clone(),
                    });
                    let tk = key(&ci.table);
                    if ci.unique && ci.predicate.is_none() {
                        self.unique_sets
                            .get_or_default(tk.clone())
                            .push(ci.columns.clone());
                    }
                    self.indexes.insert(
                        k,
                        IndexInfo {
                            table: Name {
                                schema: Some(tk.0),
                                name: tk.1,
                            },
                            unique: ci.unique,
                            partial: ci.predicate.is_some(),
                            columns: ci.columns.clone(),
                        },
                    );
                }
            }
            OpKind::DropIndex { names, .. } => {
                for n in names {
                    self.indexes.remove(&key(n));
                }
            }
            OpKind::AttachPartition { parent, partition } => {
                let (p, c) = (key(parent), key(partition));
                if self.tables.contains_key(&c) || !self.indexes.contains_key(&c) {
                    self.partitions.get_or_default(p).push(c);
                }
            }
            OpKind::RenameTable { table, new_name } => {
                let old = key(table);
                if let Some(cols) = self.tables.remove(&old) {
                    self.tables.insert((old.0, new_name.clone()), cols);
                }
            }
            OpKind::AddColumn { table, column } => {
                // On a whole schema, a table it does not hold stays absent:
                // the statement fails there, it creates nothing.
                if self.complete && !self.tables.contains_key(&key(table)) {
                    return;
                }
                let cols = self.tables.get_or_default(key(table));
                cols.insert(
                    &column.name,
                    ColumnInfo {
                        data_type: column.data_type.clone(),
                        has_default: gives_default(column.default.as_ref()),
                        default: default_sql(column.default.as_ref()),
                        not_null: column.not_null,
                    },
                );
            }
            OpKind::DropColumn { table, column, .. } => {
                if let Some(cols) = self.tables.get_mut(&key(table)) {
                    cols.remove(column);
                }
            }
            OpKind::RenameColumn {
                table,
                column,
                new_name,
            } => {
                if let Some(cols) = self.tables.get_mut(&key(table)) {
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
                    .get_mut(&key(table))
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
                    .get_mut(&key(table))
                    .and_then(|c| c.get_mut(column))
                {
                    info.has_default = gives_default(default.as_ref());
                    info.default = default_sql(default.as_ref());
                }
            }
            OpKind::SetNotNull { table, column } | OpKind::DropNotNull { table, column } => {
                let set = matches!(op.kind, OpKind::SetNotNull { .. });
                if let Some(info) = self
                    .tables
                    .get_mut(&key(table))
                    .and_then(|c| c.get_mut(column))
                {
                    info.not_null = set;
                }
            }
            OpKind::AddConstraint { table, constraint } => {
                add_key(&mut self.keys, key(table), &table.name, constraint);
                if constraint.name.is_none() {
                    self.unnamed_constraints.insert(key(table));
                }
                add_constraint(
                    &mut self.constraints,
                    &mut self.unique_sets,
                    key(table),
                    constraint,
                );
                if matches!(constraint.kind, ConstraintKind::Check { .. }) {
                    match (&constraint.name, constraint.not_valid) {
                        (_, false) => {
                            self.checked.insert(key(table));
                        }
                        (Some(name), true) => {
                            self.unvalidated_checks.insert((key(table), name.clone()));
                        }
                        (None, true) => {}
                    }
                }
                note_not_null_check(
                    &mut self.not_null_checks,
                    &mut self.validated_not_null,
                    &key(table),
                    constraint,
                );
            }
            OpKind::CreateDomain {
                name,
                base_type,
                constrained,
            } => {
                self.domains
                    .insert(key(name), (base_type.clone(), *constrained));
            }
            OpKind::DropObject { what, names, .. } if what == "DOMAIN" => {
                for n in names {
                    self.domains.remove(&key(n));
                }
            }
            OpKind::ValidateConstraint { table, name } => {
                if self.unvalidated_checks.remove(&(key(table), name.clone())) {
                    self.checked.insert(key(table));
                }
                if let Some(col) = self.not_null_checks.get(&(key(table), name.clone())) {
                    self.validated_not_null.insert((key(table), col.clone()));
                }
            }
            OpKind::DropConstraint { table, name } => {
                self.keys.remove(&(key(table), name.clone()));
                self.constraints.remove(&(key(table), name.clone()));
                if let Some(col) = self.not_null_checks.remove(&(key(table), name.clone())) {
                    self.validated_not_null.remove(&(key(table), col));
                }
            }
            _ => {}
        }
    }
}

/// The state of one file at a statement: transactions, settings, new tables.
///
/// Tables are told apart by schema: an unqualified name is in `public`, or
/// in the first schema of the last `SET search_path` (see `Schema`).
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
    /// The schema unqualified names resolve to.
    schema: Schema,
    /// Relations created earlier in this file (tables, materialized views).
    new_tables: HashSet<Key>,
    /// Constraints added NOT VALID in the current transaction: (table, name).
    pub not_valid_in_transaction: HashSet<(String, String)>,
    /// Existing tables a statement of the current transaction locked ACCESS
    /// EXCLUSIVE or SHARE ROW EXCLUSIVE, with the mode, in the order taken
    /// (a table once, with its strongest mode).
    pub locked_in_transaction: Vec<(Name, &'static str)>,
    /// Enum values added in the current transaction: (type, label).
    pub enum_values_in_transaction: Vec<(Name, String)>,
    /// A statement earlier in the file took ACCESS EXCLUSIVE or SHARE ROW
    /// EXCLUSIVE on an existing table.
    pub strong_lock_taken: bool,
    /// A statement took such a lock after the last `SET lock_timeout`.
    pub strong_lock_since_lock_timeout: bool,
    /// Columns added earlier in this file, by table.
    new_columns: HashMap<Key, HashSet<String>>,
    /// Indexes created earlier in this file on tables new in this file.
    new_indexes: HashSet<Key>,
    /// Tables emptied earlier in this file (TRUNCATE, DELETE without WHERE)
    /// and not written to since.
    emptied: HashSet<Key>,
}

impl FileState {
    /// The state at the top of a file.
    pub fn new(options: &LintOptions) -> Self {
        FileState {
            in_transaction: options.assume_in_transaction,
            ..FileState::default()
        }
    }

    /// True when `table` was created earlier in this file (and not attached
    /// since as a partition of an existing table).
    pub fn is_new_table(&self, table: &Name) -> bool {
        self.new_tables.contains(&self.schema.key(table))
    }

    /// True when the current transaction holds a strong lock on `table`
    /// (see `locked_in_transaction`).
    pub fn holds_strong_lock(&self, table: &Name) -> bool {
        let k = self.schema.key(table);
        self.locked_in_transaction
            .iter()
            .any(|(n, _)| self.schema.key(n) == k)
    }

    /// True when `table` was emptied earlier in this file (TRUNCATE, or
    /// DELETE without WHERE) and no row was written to it since.
    pub fn is_emptied(&self, table: &Name) -> bool {
        self.emptied.contains(&self.schema.key(table))
    }

    /// True when `column` of `table` was added (or its table created) earlier in this file.
    pub fn is_new_column(&self, table: &Name, column: &str) -> bool {
        self.is_new_table(table)
            || self
                .new_columns
                .get(&self.schema.key(table))
                .is_some_and(|cols| cols.contains(column))
    }

    /// True when the index was created earlier in this file on a table new in this file.
    pub fn is_new_index(&self, index: &Name) -> bool {
        self.new_indexes.contains(&self.schema.key(index))
    }

    /// Records what `op` changes, after the rules have seen it.
    pub fn apply(&mut self, op: &Op, options: &LintOptions) {
        self.apply_with(op, options, &Catalog::default());
    }

    /// Records what `op` changes, after the rules have seen it, with what
    /// earlier statements of the run created (`catalog`, before `op`).
    pub fn apply_with(&mut self, op: &Op, options: &LintOptions, catalog: &Catalog) {
        let lock = if self.in_transaction
            || !(self.strong_lock_taken && self.strong_lock_since_lock_timeout)
        {
            strong_lock(op, options.pg_version, &|t| self.is_new_table(t))
        } else {
            None
        };
        if let Some((tables, mode)) = &lock {
            self.strong_lock_taken = true;
            self.strong_lock_since_lock_timeout = true;
            if self.in_transaction {
                for t in tables {
                    let k = self.schema.key(t);
                    match self
                        .locked_in_transaction
                        .iter_mut()
                        .find(|(n, _)| self.schema.key(n) == k)
                    {
                        Some(held) if mode.starts_with('A') => held.1 = mode,
                        Some(_) => {}
                        None => self.locked_in_transaction.push((t.clone(), mode)),
                    }
                }
            }
        }
        if self.schema.follow(op) {
            return;
        }
        let key = |t: &Name| self.schema.key(t);
        match &op.kind {
            OpKind::Transaction(TransactionKind::Begin) => {
                self.in_transaction = true;
                self.explicit_transaction = true;
                self.end_transaction();
            }
            OpKind::Transaction(TransactionKind::Commit | TransactionKind::Rollback) => {
                self.in_transaction = options.assume_in_transaction && !self.explicit_transaction;
                self.explicit_transaction = false;
                self.end_transaction();
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
                // `IF NOT EXISTS` of a table the run already has creates nothing.
                let exists = ct.if_not_exists
                    && catalog.has_table(&ct.table)
                    && !self.is_new_table(&ct.table);
                if !exists {
                    let k = key(&ct.table);
                    self.emptied.remove(&k);
                    self.new_tables.insert(k);
                }
            }
            // Views, types and domains made by this file: dropping them
            // again breaks no running code.
            OpKind::CreateRelation { name, .. }
            | OpKind::CreateType { name }
            | OpKind::CreateDomain { name, .. } => {
                let k = key(name);
                self.new_tables.insert(k);
            }
            OpKind::AttachPartition { parent, partition } if !self.is_new_table(parent) => {
                // Now part of a table in use: no longer new.
                let k = key(partition);
                self.new_tables.remove(&k);
            }
            OpKind::AddColumn { table, column } => {
                let k = key(table);
                self.new_columns
                    .entry(k)
                    .or_default()
                    .insert(column.name.clone());
            }
            OpKind::CreateIndex(ci) if self.is_new_table(&ci.table) => {
                if let Some(name) = &ci.name {
                    let schema = name.schema.clone().or_else(|| ci.table.schema.clone());
                    let k = key(&Name {
                        schema,
                        name: name.name.clone(),
                    });
                    self.new_indexes.insert(k);
                }
            }
            OpKind::RenameTable { table, new_name } => {
                let (schema, old) = key(table);
                let renamed = (schema.clone(), new_name.clone());
                if self.new_tables.remove(&(schema.clone(), old.clone())) {
                    self.new_tables.insert(renamed.clone());
                }
                if self.emptied.remove(&(schema, old)) {
                    self.emptied.insert(renamed);
                }
            }
            OpKind::AddConstraint { table, constraint } if constraint.not_valid => {
                if let Some(name) = &constraint.name {
                    if self.in_transaction {
                        self.not_valid_in_transaction
                            .insert((table.name.clone(), name.clone()));
                    }
                }
            }
            OpKind::Truncate { tables, .. } => {
                for t in tables {
                    let k = key(t);
                    self.emptied.insert(k);
                }
            }
            OpKind::DataChange {
                kind,
                table,
                has_where,
                ..
            } => {
                let k = key(table);
                if *kind == DataChangeKind::Delete && !has_where {
                    self.emptied.insert(k);
                } else if *kind != DataChangeKind::Update {
                    self.emptied.remove(&k);
                }
            }
            OpKind::AddEnumValue {
                type_name, value, ..
            } if self.in_transaction => {
                self.enum_values_in_transaction
                    .push((type_name.clone(), value.clone()));
            }
            _ => {}
        }
        if !self.in_transaction {
            // Outside a transaction each statement commits on its own.
            self.end_transaction();
        }
    }

    /// Forgets what the transaction held.
    fn end_transaction(&mut self) {
        self.not_valid_in_transaction.clear();
        self.locked_in_transaction.clear();
        self.enum_values_in_transaction.clear();
    }
}
