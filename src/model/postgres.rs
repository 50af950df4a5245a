//! PostgreSQL's behaviour, as data: for every statement form the operation
//! model knows, the lock it takes on each relation it touches, whether it
//! rewrites or scans a table or only changes the catalog, and from which
//! major version each of these holds.
//!
//! Rules read this table ([`locks_of`], [`form_of`]) instead of carrying
//! their own lists. `tests/pg_oracle.rs` runs every form's example on live
//! servers 11 to 18 and fails when a server disagrees with an entry;
//! `docs/postgres-locks.md` is rendered from it ([`render_markdown`]) and
//! checked by that test.
//!
//! The examples run on a fixed fixture (see the oracle test): `t` (the
//! table, with rows), `r` (a table `t` references), `p` (a partitioned
//! table) with partition `p1`, `pc` (a table to attach), the index
//! `t_a_idx`, the view `tv` and the materialized view `tmv`.

use super::{ConstraintKind, DefaultExpr, MaintenanceKind, Name, Op, OpKind, PgVersion};

/// A table-level lock mode, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockMode {
    /// ACCESS SHARE: plain reads.
    AccessShare,
    /// ROW SHARE: SELECT FOR UPDATE, a foreign key's referenced side.
    RowShare,
    /// ROW EXCLUSIVE: INSERT, UPDATE, DELETE.
    RowExclusive,
    /// SHARE UPDATE EXCLUSIVE: VACUUM, ANALYZE, concurrent index builds,
    /// VALIDATE CONSTRAINT. Blocks neither reads nor writes.
    ShareUpdateExclusive,
    /// SHARE: CREATE INDEX. Blocks writes.
    Share,
    /// SHARE ROW EXCLUSIVE: triggers, foreign keys. Blocks writes.
    ShareRowExclusive,
    /// EXCLUSIVE: REFRESH MATERIALIZED VIEW CONCURRENTLY. Blocks writes.
    Exclusive,
    /// ACCESS EXCLUSIVE: most ALTER TABLE forms. Blocks reads and writes.
    AccessExclusive,
}

impl LockMode {
    /// Every mode, weakest first.
    pub const ALL: [LockMode; 8] = [
        LockMode::AccessShare,
        LockMode::RowShare,
        LockMode::RowExclusive,
        LockMode::ShareUpdateExclusive,
        LockMode::Share,
        LockMode::ShareRowExclusive,
        LockMode::Exclusive,
        LockMode::AccessExclusive,
    ];

    /// As SQL writes it (`ACCESS EXCLUSIVE`).
    pub fn as_str(self) -> &'static str {
        match self {
            LockMode::AccessShare => "ACCESS SHARE",
            LockMode::RowShare => "ROW SHARE",
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// As `pg_locks.mode` shows it (`AccessExclusiveLock`).
    pub fn pg_locks_name(self) -> &'static str {
        match self {
            LockMode::AccessShare => "AccessShareLock",
            LockMode::RowShare => "RowShareLock",
            LockMode::RowExclusive => "RowExclusiveLock",
            LockMode::ShareUpdateExclusive => "ShareUpdateExclusiveLock",
            LockMode::Share => "ShareLock",
            LockMode::ShareRowExclusive => "ShareRowExclusiveLock",
            LockMode::Exclusive => "ExclusiveLock",
            LockMode::AccessExclusive => "AccessExclusiveLock",
        }
    }

    /// Parses SQL's spelling (`LOCK TABLE ... IN <mode> MODE`).
    pub fn parse(text: &str) -> Option<LockMode> {
        let t = text.trim();
        LockMode::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(t))
    }

    /// Application writes (ROW EXCLUSIVE) wait for it.
    pub fn blocks_writes(self) -> bool {
        self >= LockMode::Share
    }

    /// Application reads (ACCESS SHARE) wait for it.
    pub fn blocks_reads(self) -> bool {
        self == LockMode::AccessExclusive
    }
}

/// Which relation of a statement a lock or an effect is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rel {
    /// The table the statement names (for a partition, the partitioned table is `Parent`).
    Table,
    /// The table a foreign key references.
    Referenced,
    /// The partitioned table of a partition.
    Parent,
    /// The partition attached, detached or created.
    Partition,
    /// The index named.
    Index,
    /// The view or materialized view named, or one that depends on the table.
    View,
}

impl Rel {
    /// Every relation kind, in the order the docs list them.
    pub const ALL: [Rel; 6] = [
        Rel::Table,
        Rel::Referenced,
        Rel::Parent,
        Rel::Partition,
        Rel::Index,
        Rel::View,
    ];

    /// In words, for docs and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Rel::Table => "table",
            Rel::Referenced => "referenced table",
            Rel::Parent => "partitioned table",
            Rel::Partition => "partition",
            Rel::Index => "index",
            Rel::View => "view",
        }
    }
}

/// What a statement does to a table's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Only the catalog changes: instant once the lock is granted.
    Catalog,
    /// Reads every row (a validation or an index build) while holding its lock.
    Scan,
    /// Writes a new copy of the table (and its indexes) while holding its lock.
    Rewrite,
}

impl Effect {
    /// In words, for docs and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Catalog => "catalog only",
            Effect::Scan => "scans",
            Effect::Rewrite => "rewrites",
        }
    }
}

/// How a form behaves from one major version on.
#[derive(Debug, Clone, Copy)]
pub struct Era {
    /// The first major version this holds for.
    pub from: u32,
    /// The lock on each relation the statement touches (none listed: no lock).
    pub locks: &'static [(Rel, LockMode)],
    /// Relations it scans or rewrites (none listed: the catalog only).
    pub effects: &'static [(Rel, Effect)],
}

/// One statement form of the operation model.
#[derive(Debug, Clone, Copy)]
pub struct Form {
    /// Stable id (`add-column-volatile-default`).
    pub id: &'static str,
    /// What it is, in words.
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    pub title: &'static str,
    /// An example on the oracle's fixture.
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    pub example: &'static str,
    /// The first major version on which it can run inside a transaction
    /// block (the oracle reads its locks there); [`NEVER`] for forms that
    /// must run outside one.
    pub in_transaction: u32,
    /// Its behaviour, oldest era first. The first era's `from` is the first
    /// major version that accepts the statement.
    pub eras: &'static [Era],
    /// A note for the docs, or "".
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    pub note: &'static str,
}

impl Form {
    /// The behaviour on `pg`, or None when that version rejects the statement.
    pub fn on(&self, pg: u32) -> Option<&'static Era> {
        self.eras.iter().rev().find(|e| e.from <= pg)
    }

    /// The first major version that accepts it.
    pub fn since(&self) -> u32 {
        self.eras.first().map_or(0, |e| e.from)
    }
}

use Effect::{Rewrite, Scan};
use LockMode::{
    AccessExclusive as AX, AccessShare as AS, Exclusive as EX, RowExclusive as RX, RowShare as RS,
    Share as SH, ShareRowExclusive as SRX, ShareUpdateExclusive as SUE,
};
use Rel::{Index, Parent, Partition, Referenced, Table, View};

const fn era(
    from: u32,
    locks: &'static [(Rel, LockMode)],
    effects: &'static [(Rel, Effect)],
) -> Era {
    Era {
        from,
        locks,
        effects,
    }
}

/// The oldest major the table describes. Entries from it on hold back to it.
pub const OLDEST: u32 = 9;

/// No version: a form that never runs inside a transaction block.
pub const NEVER: u32 = u32::MAX;

const AX_T: &[(Rel, LockMode)] = &[(Table, AX)];
const ONE_AX: &[Era] = &[era(OLDEST, AX_T, &[])];
const REWRITE_T: &[(Rel, Effect)] = &[(Table, Rewrite)];
const SCAN_T: &[(Rel, Effect)] = &[(Table, Scan)];

macro_rules! form {
    ($id:literal, $title:literal, $example:literal, $eras:expr) => {
        form!($id, $title, $example, $eras, OLDEST, "")
    };
    ($id:literal, $title:literal, $example:literal, $eras:expr, $tx:expr, $note:literal) => {
        Form {
            id: $id,
            #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
            title: $title,
            #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
            example: $example,
            in_transaction: $tx,
            eras: $eras,
            #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
            note: $note,
        }
    };
}

/// Every statement form, in the order the docs list them.
pub static FORMS: &[Form] = &[
    form!("create-table", "CREATE TABLE", "CREATE TABLE n (id int)", &[era(OLDEST, &[], &[])]),
    form!(
        "create-table-foreign-key",
        "CREATE TABLE with a foreign key",
        "CREATE TABLE n (id int REFERENCES r (id))",
        &[era(OLDEST, &[(Referenced, SRX)], &[])]
    ),
    form!(
        "create-table-partition-of",
        "CREATE TABLE ... PARTITION OF",
        "CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (100) TO (200)",
        &[era(10, &[(Parent, AX)], &[])]
    ),
    form!(
        "create-table-as",
        "CREATE TABLE ... AS / SELECT ... INTO",
        "CREATE TABLE n AS SELECT id FROM t",
        &[era(OLDEST, &[(Table, AS)], &[(Table, Scan)])]
    ),
    form!(
        "drop-table",
        "DROP TABLE",
        "DROP TABLE t CASCADE",
        &[era(OLDEST, &[(Table, AX), (Referenced, AX), (View, AX)], &[])]
    ),
    form!("rename-table", "ALTER TABLE ... RENAME TO", "ALTER TABLE t RENAME TO t2", ONE_AX),
    form!(
        "alter-table",
        "Other ALTER TABLE actions (RENAME CONSTRAINT, OWNER TO, ROW LEVEL SECURITY, ...)",
        "ALTER TABLE t RENAME CONSTRAINT t_e_check TO t_e_check2",
        ONE_AX
    ),
    form!(
        "truncate",
        "TRUNCATE",
        "TRUNCATE t CASCADE",
        &[era(OLDEST, AX_T, REWRITE_T)],
        OLDEST,
        "TRUNCATE gives the table a new, empty file: instant once locked, but every row is gone."
    ),
    form!("add-column", "ADD COLUMN (no default)", "ALTER TABLE t ADD COLUMN c int", ONE_AX),
    form!(
        "add-column-constant-default",
        "ADD COLUMN with a constant default",
        "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0",
        &[era(OLDEST, AX_T, REWRITE_T), era(11, AX_T, &[])]
    ),
    form!(
        "add-column-volatile-default",
        "ADD COLUMN with a volatile default (or serial, identity, stored generated)",
        "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp()",
        &[era(OLDEST, AX_T, REWRITE_T)]
    ),
    form!(
        "add-column-check",
        "ADD COLUMN with an inline CHECK",
        "ALTER TABLE t ADD COLUMN c int CHECK (c > 0)",
        &[era(OLDEST, AX_T, SCAN_T)]
    ),
    form!(
        "add-column-references",
        "ADD COLUMN with an inline REFERENCES",
        "ALTER TABLE t ADD COLUMN c int REFERENCES r (id)",
        &[era(OLDEST, &[(Table, AX), (Referenced, SRX)], &[])]
    ),
    form!("drop-column", "DROP COLUMN", "ALTER TABLE t DROP COLUMN b", ONE_AX),
    form!("rename-column", "RENAME COLUMN", "ALTER TABLE t RENAME COLUMN b TO b2", ONE_AX),
    form!(
        "alter-column-type",
        "ALTER COLUMN ... TYPE (a rewriting change)",
        "ALTER TABLE t ALTER COLUMN nn TYPE bigint",
        &[era(OLDEST, AX_T, REWRITE_T)]
    ),
    form!(
        "alter-column-type-free",
        "ALTER COLUMN ... TYPE (binary-coercible: varchar widened, to text)",
        "ALTER TABLE t ALTER COLUMN v TYPE varchar(100)",
        ONE_AX
    ),
    form!(
        "set-not-null",
        "ALTER COLUMN ... SET NOT NULL",
        "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
        &[era(OLDEST, AX_T, SCAN_T)]
    ),
    form!(
        "set-not-null-checked",
        "ALTER COLUMN ... SET NOT NULL with a validated CHECK (col IS NOT NULL)",
        "ALTER TABLE t ALTER COLUMN k SET NOT NULL",
        &[era(OLDEST, AX_T, SCAN_T), era(12, AX_T, &[])]
    ),
    form!("drop-not-null", "ALTER COLUMN ... DROP NOT NULL", "ALTER TABLE t ALTER COLUMN nn DROP NOT NULL", ONE_AX),
    form!("set-default", "ALTER COLUMN ... SET DEFAULT / DROP DEFAULT", "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0", ONE_AX),
    form!(
        "add-check",
        "ADD CONSTRAINT ... CHECK",
        "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)",
        &[era(OLDEST, AX_T, SCAN_T)]
    ),
    form!(
        "add-check-not-valid",
        "ADD CONSTRAINT ... CHECK ... NOT VALID",
        "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
        ONE_AX
    ),
    form!(
        "add-foreign-key",
        "ADD CONSTRAINT ... FOREIGN KEY",
        "ALTER TABLE t ADD CONSTRAINT t_r_fk2 FOREIGN KEY (a) REFERENCES r (id)",
        &[era(OLDEST, &[(Table, SRX), (Referenced, SRX)], &[(Table, Scan), (Referenced, Scan)])]
    ),
    form!(
        "add-foreign-key-not-valid",
        "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID",
        "ALTER TABLE t ADD CONSTRAINT t_r_fk2 FOREIGN KEY (a) REFERENCES r (id) NOT VALID",
        &[era(OLDEST, &[(Table, SRX), (Referenced, SRX)], &[])]
    ),
    form!(
        "add-unique",
        "ADD CONSTRAINT ... UNIQUE / PRIMARY KEY / EXCLUDE (builds an index)",
        "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)",
        &[era(OLDEST, AX_T, SCAN_T)]
    ),
    form!(
        "add-unique-using-index",
        "ADD CONSTRAINT ... UNIQUE / PRIMARY KEY USING INDEX",
        "ALTER TABLE t ADD CONSTRAINT t_u_key UNIQUE USING INDEX t_u_idx",
        ONE_AX
    ),
    form!(
        "validate-check",
        "VALIDATE CONSTRAINT (a CHECK, or a constraint the run does not know)",
        "ALTER TABLE t VALIDATE CONSTRAINT t_e_check",
        &[era(OLDEST, &[(Table, SUE)], SCAN_T)]
    ),
    form!(
        "validate-foreign-key",
        "VALIDATE CONSTRAINT (a foreign key)",
        "ALTER TABLE t VALIDATE CONSTRAINT t_r_nv",
        &[era(OLDEST, &[(Table, SUE), (Referenced, RS)], &[(Table, Scan), (Referenced, Scan)])]
    ),
    form!("drop-constraint", "DROP CONSTRAINT (a CHECK, UNIQUE, ...)", "ALTER TABLE t DROP CONSTRAINT t_e_check", ONE_AX),
    form!(
        "drop-foreign-key",
        "DROP CONSTRAINT (a foreign key, or a constraint the run does not know)",
        "ALTER TABLE t DROP CONSTRAINT t_r_fk",
        &[era(OLDEST, &[(Table, AX), (Referenced, AX)], &[])]
    ),
    form!(
        "attach-partition",
        "ATTACH PARTITION",
        "ALTER TABLE p ATTACH PARTITION pc FOR VALUES FROM (100) TO (200)",
        &[
            era(10, &[(Parent, AX), (Partition, AX)], &[(Partition, Scan)]),
            era(12, &[(Parent, SUE), (Partition, AX)], &[(Partition, Scan)]),
        ]
    ),
    form!(
        "detach-partition",
        "DETACH PARTITION",
        "ALTER TABLE p DETACH PARTITION p1",
        &[
            era(10, &[(Parent, AX), (Partition, SUE)], &[]),
            era(14, &[(Parent, AX), (Partition, AX)], &[]),
        ]
    ),
    form!(
        "detach-partition-concurrently",
        "DETACH PARTITION ... CONCURRENTLY",
        "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
        &[era(14, &[(Parent, SUE), (Partition, SUE)], &[])],
        NEVER,
        "Runs outside a transaction block, and not on a table with a default partition."
    ),
    form!(
        "set-logged",
        "SET LOGGED / SET UNLOGGED",
        "ALTER TABLE t SET UNLOGGED",
        &[era(OLDEST, AX_T, REWRITE_T)]
    ),
    form!(
        "set-tablespace",
        "SET TABLESPACE",
        "ALTER TABLE t SET TABLESPACE zd_space",
        &[era(OLDEST, AX_T, REWRITE_T)]
    ),
    form!(
        "set-storage-parameter",
        "SET (storage parameter) / RESET (...): fillfactor, autovacuum_*",
        "ALTER TABLE t SET (autovacuum_vacuum_scale_factor = 0.01)",
        &[era(OLDEST, &[(Table, SUE)], &[])]
    ),
    form!(
        "set-statistics",
        "ALTER COLUMN ... SET STATISTICS / SET (n_distinct ...)",
        "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500",
        &[era(OLDEST, &[(Table, SUE)], &[])]
    ),
    form!(
        "alter-constraint",
        "ALTER CONSTRAINT ... [NOT] DEFERRABLE",
        "ALTER TABLE t ALTER CONSTRAINT t_r_fk DEFERRABLE",
        ONE_AX
    ),
    form!(
        "inherit",
        "INHERIT / NO INHERIT",
        "ALTER TABLE t INHERIT r",
        &[era(OLDEST, &[(Table, AX), (Referenced, SUE)], &[])],
        OLDEST,
        "The parent table (here the referenced table `r`) takes SHARE UPDATE EXCLUSIVE."
    ),
    form!(
        "set-storage",
        "ALTER COLUMN ... SET STORAGE",
        "ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL",
        ONE_AX
    ),
    form!(
        "enable-disable-trigger",
        "ENABLE / DISABLE TRIGGER",
        "ALTER TABLE t DISABLE TRIGGER t_trg",
        &[era(OLDEST, &[(Table, SRX)], &[])]
    ),
    form!(
        "create-trigger",
        "CREATE TRIGGER",
        "CREATE TRIGGER t_trg2 BEFORE UPDATE ON t FOR EACH ROW EXECUTE PROCEDURE zd_trg()",
        &[era(OLDEST, &[(Table, SRX)], &[])]
    ),
    form!(
        "drop-trigger",
        "DROP TRIGGER",
        "DROP TRIGGER t_trg ON t",
        ONE_AX
    ),
    form!(
        "create-index",
        "CREATE INDEX",
        "CREATE INDEX t_b_idx ON t (b)",
        &[era(OLDEST, &[(Table, SH)], SCAN_T)]
    ),
    form!(
        "create-index-concurrently",
        "CREATE INDEX CONCURRENTLY",
        "CREATE INDEX CONCURRENTLY t_b_idx ON t (b)",
        &[era(OLDEST, &[(Table, SUE)], SCAN_T)],
        NEVER,
        "Runs outside a transaction block; waits for every transaction that could use the index."
    ),
    form!("drop-index", "DROP INDEX", "DROP INDEX t_a_idx", &[era(OLDEST, &[(Table, AX), (Index, AX)], &[])]),
    form!(
        "drop-index-concurrently",
        "DROP INDEX CONCURRENTLY",
        "DROP INDEX CONCURRENTLY t_a_idx",
        &[era(OLDEST, &[(Table, SUE), (Index, AX)], &[])],
        NEVER,
        "Runs outside a transaction block."
    ),
    form!(
        "reindex",
        "REINDEX INDEX / TABLE",
        "REINDEX INDEX t_a_idx",
        &[era(OLDEST, &[(Table, SH), (Index, AX)], &[(Table, Scan), (Index, Rewrite)])]
    ),
    form!(
        "reindex-concurrently",
        "REINDEX ... CONCURRENTLY",
        "REINDEX INDEX CONCURRENTLY t_a_idx",
        &[era(12, &[(Table, SUE), (Index, SUE)], &[(Table, Scan)])],
        NEVER,
        "Runs outside a transaction block."
    ),
    form!(
        "vacuum-full",
        "VACUUM FULL / CLUSTER",
        "CLUSTER t USING t_a_idx",
        &[era(OLDEST, AX_T, REWRITE_T)]
    ),
    form!(
        "vacuum",
        "VACUUM / ANALYZE",
        "ANALYZE t",
        &[era(OLDEST, &[(Table, SUE)], &[])]
    ),
    form!(
        "refresh-materialized-view",
        "REFRESH MATERIALIZED VIEW",
        "REFRESH MATERIALIZED VIEW tmv",
        &[era(OLDEST, &[(Table, AS), (View, AX)], &[(Table, Scan), (View, Rewrite)])]
    ),
    form!(
        "refresh-materialized-view-concurrently",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY tmv",
        &[era(OLDEST, &[(Table, AS), (View, EX)], &[(Table, Scan), (View, Scan)])]
    ),
    form!(
        "lock-table",
        "LOCK TABLE (ACCESS EXCLUSIVE unless a mode is given)",
        "LOCK TABLE t",
        ONE_AX
    ),
    form!(
        "update",
        "UPDATE / DELETE / INSERT",
        "UPDATE t SET b = 'y' WHERE id < 10",
        &[era(OLDEST, &[(Table, RX)], &[])]
    ),
    form!(
        "insert-select",
        "INSERT ... SELECT",
        "INSERT INTO r SELECT id + 10000 FROM t",
        &[era(OLDEST, &[(Table, AS), (Referenced, RX)], &[(Table, Scan)])]
    ),
    form!(
        "create-view",
        "CREATE VIEW",
        "CREATE VIEW tv2 AS SELECT id, a FROM t",
        &[era(OLDEST, &[(Table, AS)], &[])]
    ),
    form!(
        "replace-view",
        "CREATE OR REPLACE VIEW",
        "CREATE OR REPLACE VIEW tv AS SELECT id, a, b FROM t",
        &[era(OLDEST, &[(Table, AS), (View, AX)], &[])],
        OLDEST,
        "PostgreSQL keeps the view's columns (it refuses to drop, rename or retype one) and may add new ones at the end."
    ),
    form!(
        "create-materialized-view",
        "CREATE MATERIALIZED VIEW",
        "CREATE MATERIALIZED VIEW tmv2 AS SELECT id FROM t",
        &[era(OLDEST, &[(Table, AS)], &[(Table, Scan)])]
    ),
    form!(
        "drop-view",
        "DROP VIEW / DROP MATERIALIZED VIEW",
        "DROP VIEW tv",
        &[era(OLDEST, &[(View, AX)], &[])]
    ),
    form!(
        "add-enum-value",
        "ALTER TYPE ... ADD VALUE",
        "ALTER TYPE zd_state ADD VALUE 'c'",
        &[era(OLDEST, &[], &[])],
        12,
        "Locks the type, not the tables whose columns use it. Before PostgreSQL 12 it cannot run inside a transaction block; from 12 on, a label added in a transaction cannot be used before it commits."
    ),
    form!(
        "rename-enum-value",
        "ALTER TYPE ... RENAME VALUE",
        "ALTER TYPE zd_state RENAME VALUE 'b' TO 'b2'",
        &[era(10, &[], &[])],
        OLDEST,
        "Locks the type, not the tables whose columns use it; running code that writes the old label fails from the commit on."
    ),
    form!(
        "rename-type",
        "ALTER TYPE ... RENAME TO",
        "ALTER TYPE zd_state RENAME TO zd_state2",
        &[era(OLDEST, &[], &[])],
        OLDEST,
        "Locks the type, not the tables whose columns use it; queries and functions that name the old type fail from the commit on."
    ),
    form!(
        "create-type",
        "CREATE TYPE",
        "CREATE TYPE zd_mood AS ENUM ('sad', 'ok')",
        &[era(OLDEST, &[], &[])]
    ),
    form!(
        "create-domain",
        "CREATE DOMAIN",
        "CREATE DOMAIN zd_positive AS int CHECK (VALUE > 0)",
        &[era(OLDEST, &[], &[])]
    ),
    form!(
        "drop-type",
        "DROP TYPE / DROP DOMAIN (without CASCADE)",
        "DROP TYPE zd_unused",
        &[era(OLDEST, &[], &[])],
        OLDEST,
        "Refused while a column uses the type. With CASCADE it drops those columns, under ACCESS EXCLUSIVE on their tables."
    ),
    form!(
        "drop-function",
        "DROP FUNCTION / DROP PROCEDURE (without CASCADE)",
        "DROP FUNCTION zd_f()",
        &[era(OLDEST, &[], &[])],
        OLDEST,
        "Locks the function, no table. Refused while a trigger, default or view uses it."
    ),
    form!(
        "drop-sequence",
        "DROP SEQUENCE (without CASCADE)",
        "DROP SEQUENCE zd_seq",
        &[era(OLDEST, &[], &[])],
        OLDEST,
        "ACCESS EXCLUSIVE on the sequence itself, no lock on tables. Refused while a column default uses it."
    ),
    form!(
        "drop-schema",
        "DROP SCHEMA (empty, without CASCADE)",
        "DROP SCHEMA zd_empty",
        &[era(OLDEST, &[], &[])],
        OLDEST,
        "Refused while the schema holds objects. With CASCADE it drops them all, each under its own lock."
    ),
];

/// The form with this id.
pub fn form(id: &str) -> Option<&'static Form> {
    FORMS.iter().find(|f| f.id == id)
}

/// What the run knows that decides an operation's form.
pub trait Knowledge {
    /// A validated `CHECK (column IS NOT NULL)` exists on the table.
    fn validated_not_null_check(&self, table: &Name, column: &str) -> bool;
    /// Changing the column's type to `new_type` skips the rewrite, as far
    /// as the run knows the current type (None: unknown).
    fn type_change_free(&self, table: &Name, column: &str, new_type: &str) -> Option<bool>;
    /// The named constraint of the table is a foreign key (None: unknown).
    fn foreign_key(&self, table: &Name, name: &str) -> Option<bool>;
}

/// Knows nothing: forms are the stronger reading where it matters.
pub struct Unknown;

impl Knowledge for Unknown {
    fn validated_not_null_check(&self, _: &Name, _: &str) -> bool {
        false
    }
    fn type_change_free(&self, _: &Name, _: &str, _: &str) -> Option<bool> {
        None
    }
    fn foreign_key(&self, _: &Name, _: &str) -> Option<bool> {
        None
    }
}

fn volatile(d: &Option<DefaultExpr>) -> bool {
    d.as_ref().is_some_and(|d| d.volatile)
}

/// The statement form of an operation, when the table knows it.
pub fn form_of(op: &Op, k: &dyn Knowledge) -> Option<&'static Form> {
    let id = match &op.kind {
        OpKind::CreateTable(ct) if ct.partition_of.is_some() => "create-table-partition-of",
        OpKind::CreateTable(ct) if ct.from_query => "create-table-as",
        OpKind::CreateTable(ct) => {
            let fk = ct.columns.iter().any(|c| c.references.is_some())
                || ct
                    .constraints
                    .iter()
                    .any(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }));
            if fk {
                "create-table-foreign-key"
            } else {
                "create-table"
            }
        }
        OpKind::DropTable { .. } => "drop-table",
        OpKind::RenameTable { .. } => "rename-table",
        OpKind::Truncate { .. } => "truncate",
        OpKind::AddColumn { column, .. } => {
            if volatile(&column.default) || column.identity || column.generated {
                "add-column-volatile-default"
            } else if !column.checks.is_empty() {
                "add-column-check"
            } else if column.references.is_some() {
                "add-column-references"
            } else if column.default.as_ref().is_some_and(|d| !d.is_null()) {
                "add-column-constant-default"
            } else {
                "add-column"
            }
        }
        OpKind::DropColumn { .. } => "drop-column",
        OpKind::RenameColumn { .. } => "rename-column",
        OpKind::AlterColumnType {
            table,
            column,
            new_type,
            using,
        } => {
            if using.is_none() && k.type_change_free(table, column, new_type) == Some(true) {
                "alter-column-type-free"
            } else {
                "alter-column-type"
            }
        }
        OpKind::SetNotNull { table, column } => {
            if k.validated_not_null_check(table, column) {
                "set-not-null-checked"
            } else {
                "set-not-null"
            }
        }
        OpKind::DropNotNull { .. } => "drop-not-null",
        OpKind::ChangeDefault { .. } => "set-default",
        OpKind::AddConstraint { constraint, .. } => match &constraint.kind {
            ConstraintKind::ForeignKey { .. } if constraint.not_valid => {
                "add-foreign-key-not-valid"
            }
            ConstraintKind::ForeignKey { .. } => "add-foreign-key",
            ConstraintKind::Check { .. } if constraint.not_valid => "add-check-not-valid",
            ConstraintKind::Check { .. } => "add-check",
            ConstraintKind::Unique {
                using_index: Some(_),
                ..
            }
            | ConstraintKind::PrimaryKey {
                using_index: Some(_),
                ..
            } => "add-unique-using-index",
            _ => "add-unique",
        },
        // A constraint the run does not know is read as a foreign key,
        // the stronger form.
        OpKind::ValidateConstraint { table, name } => match k.foreign_key(table, name) {
            Some(false) => "validate-check",
            _ => "validate-foreign-key",
        },
        OpKind::DropConstraint { table, name } => match k.foreign_key(table, name) {
            Some(false) => "drop-constraint",
            _ => "drop-foreign-key",
        },
        OpKind::AlterTableOther {
            action,
            access_exclusive,
            ..
        } => alter_table_form(action, *access_exclusive)?,
        OpKind::CreateIndex(ci) if ci.concurrently => "create-index-concurrently",
        OpKind::CreateIndex(_) => "create-index",
        OpKind::DropIndex { concurrently, .. } => {
            if *concurrently {
                "drop-index-concurrently"
            } else {
                "drop-index"
            }
        }
        OpKind::DataChange { kind, .. } => match kind {
            super::DataChangeKind::InsertSelect => "insert-select",
            _ => "update",
        },
        OpKind::Maintenance {
            kind, concurrently, ..
        } => match (kind, concurrently) {
            (MaintenanceKind::VacuumFull | MaintenanceKind::Cluster, _) => "vacuum-full",
            (MaintenanceKind::Vacuum, _) => "vacuum",
            (MaintenanceKind::Reindex, false) => "reindex",
            (MaintenanceKind::Reindex, true) => "reindex-concurrently",
            (MaintenanceKind::RefreshMaterializedView, false) => "refresh-materialized-view",
            (MaintenanceKind::RefreshMaterializedView, true) => {
                "refresh-materialized-view-concurrently"
            }
        },
        OpKind::LockTable { .. } => "lock-table",
        OpKind::Other { what } if what == "ANALYZE" => "vacuum",
        OpKind::CreateRelation { what, .. } if what == "VIEW" => "create-view",
        OpKind::CreateRelation { what, .. } if what == "MATERIALIZED VIEW" => {
            "create-materialized-view"
        }
        OpKind::DropObject { what, .. } if what == "VIEW" || what == "MATERIALIZED VIEW" => {
            "drop-view"
        }
        // CASCADE drops what depends on the object, under locks the
        // operation does not name: no form.
        OpKind::DropObject { cascade: true, .. } => return None,
        OpKind::DropObject { what, .. } => match what.as_str() {
            "TYPE" | "DOMAIN" => "drop-type",
            "FUNCTION" | "PROCEDURE" => "drop-function",
            "SEQUENCE" => "drop-sequence",
            "SCHEMA" => "drop-schema",
            _ => return None,
        },
        OpKind::ReplaceView { .. } => "replace-view",
        OpKind::AddEnumValue { .. } => "add-enum-value",
        OpKind::RenameType { value: Some(_), .. } => "rename-enum-value",
        OpKind::RenameType { value: None, .. } => "rename-type",
        OpKind::CreateDomain { .. } => "create-domain",
        OpKind::CreateType { .. } => "create-type",
        // The partition is named here; the ALTER TABLE op before it names
        // only the parent and is left out.
        OpKind::AttachPartition { .. } => "attach-partition",
        _ => return None,
    };
    form(id)
}

/// Every form an operation combines, the main one ([`form_of`]) first: an
/// ADD COLUMN with a default, an inline CHECK and REFERENCES is all three.
pub fn forms_of(op: &Op, k: &dyn Knowledge) -> Vec<&'static Form> {
    let mut out: Vec<&'static Form> = form_of(op, k).into_iter().collect();
    if let OpKind::AddColumn { column, .. } = &op.kind {
        for (applies, id) in [
            (
                column.default.as_ref().is_some_and(|d| !d.is_null()),
                "add-column-constant-default",
            ),
            (!column.checks.is_empty(), "add-column-check"),
            (column.references.is_some(), "add-column-references"),
        ] {
            if let Some(f) = form(id).filter(|f| applies && !out.iter().any(|o| o.id == f.id)) {
                out.push(f);
            }
        }
    }
    out
}

/// How an operation behaves on `pg`: the strongest lock and effect on each
/// relation kind over every form it combines. None when no form is known
/// or `pg` rejects it.
pub fn behaviour(op: &Op, pg: PgVersion, k: &dyn Knowledge) -> Option<Behaviour> {
    let mut b = Behaviour::default();
    let mut known = false;
    for f in forms_of(op, k) {
        let Some(era) = f.on(pg.major()) else {
            continue;
        };
        known = true;
        for &(rel, mode) in era.locks {
            match b.locks.iter_mut().find(|(r, _)| *r == rel) {
                Some((_, m)) => *m = (*m).max(mode),
                None => b.locks.push((rel, mode)),
            }
        }
        for &(rel, effect) in era.effects {
            match b.effects.iter_mut().find(|(r, _)| *r == rel) {
                Some((_, e)) if effect == Effect::Rewrite => *e = effect,
                Some(_) => {}
                None => b.effects.push((rel, effect)),
            }
        }
    }
    known.then_some(b)
}

/// An operation's behaviour on one version (see [`behaviour`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Behaviour {
    /// The lock on each relation kind.
    pub locks: Vec<(Rel, LockMode)>,
    /// The relation kinds it scans or rewrites.
    pub effects: Vec<(Rel, Effect)>,
}

impl Behaviour {
    /// Rewrites the relation kind.
    pub fn rewrites(&self, rel: Rel) -> bool {
        self.effects.contains(&(rel, Effect::Rewrite))
    }

    /// Scans or rewrites the relation kind.
    pub fn reads_every_row(&self, rel: Rel) -> bool {
        self.effects.iter().any(|(r, _)| *r == rel)
    }
}

/// The form of an `ALTER TABLE` action the model keeps as words; an
/// action the table does not list is `alter-table` when the lowering read
/// it as taking ACCESS EXCLUSIVE.
fn alter_table_form(action: &str, access_exclusive: bool) -> Option<&'static str> {
    let a = action.to_ascii_uppercase();
    let starts = |p: &str| a.starts_with(p);
    Some(if starts("ATTACH PARTITION") {
        return None;
    } else if starts("DETACH PARTITION") && !access_exclusive {
        "detach-partition-concurrently"
    } else if starts("DETACH PARTITION") {
        "detach-partition"
    } else if starts("CREATE TRIGGER") {
        "create-trigger"
    } else if starts("DROP TRIGGER") {
        "drop-trigger"
    } else if starts("SET LOGGED") || starts("SET UNLOGGED") {
        "set-logged"
    } else if starts("SET TABLESPACE") {
        "set-tablespace"
    } else if (starts("SET (") || starts("RESET (")) && access_exclusive {
        // A parameter the lowering does not know as a weak one.
        "alter-table"
    } else if starts("SET (") || starts("RESET (") {
        "set-storage-parameter"
    } else if starts("ALTER CONSTRAINT") {
        "alter-constraint"
    } else if starts("INHERIT") || starts("NO INHERIT") {
        "inherit"
    } else if a.contains("STATISTICS") || a.contains("ATTRIBUTE OPTIONS") {
        "set-statistics"
    } else if a.contains("SET STORAGE") {
        "set-storage"
    } else if a.contains("TRIGGER") {
        "enable-disable-trigger"
    } else if access_exclusive {
        "alter-table"
    } else {
        return None;
    })
}

/// The locks an operation takes on named relations, on `pg`: for each
/// relation kind of its form, the names the operation gives it.
pub fn locks_of(op: &Op, pg: PgVersion, k: &dyn Knowledge) -> Vec<(Name, LockMode)> {
    let Some(b) = behaviour(op, pg, k) else {
        return Vec::new();
    };
    let mut out: Vec<(Name, LockMode)> = Vec::new();
    for &(rel, mode) in &b.locks {
        for name in names(op, rel) {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, mode));
            }
        }
    }
    // An explicit LOCK TABLE takes the mode it names.
    if let OpKind::LockTable { mode, .. } = &op.kind {
        let m = LockMode::parse(mode).unwrap_or(AX);
        for (_, lm) in &mut out {
            *lm = m;
        }
    }
    out
}

/// The names an operation gives a relation kind.
fn names(op: &Op, rel: Rel) -> Vec<Name> {
    let one = |n: &Name| vec![n.clone()];
    match (&op.kind, rel) {
        (OpKind::CreateTable(ct), Rel::Referenced) => {
            let mut v: Vec<Name> = ct
                .columns
                .iter()
                .filter_map(|c| c.references.as_ref().map(|r| r.table.clone()))
                .chain(ct.constraints.iter().filter_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey { references, .. } => Some(references.table.clone()),
                    _ => None,
                }))
                .filter(|t| *t != ct.table)
                .collect();
            v.sort();
            v.dedup();
            v
        }
        (OpKind::CreateTable(ct), Rel::Parent) => ct.partition_of.iter().cloned().collect(),
        (OpKind::CreateTable(_), _) => Vec::new(),
        (OpKind::DropTable { tables, .. } | OpKind::Truncate { tables, .. }, Rel::Table) => {
            tables.clone()
        }
        (OpKind::LockTable { tables, .. }, Rel::Table) => tables.clone(),
        (OpKind::AddColumn { table, column }, Rel::Referenced) => column
            .references
            .as_ref()
            .filter(|r| r.table != *table)
            .map(|r| vec![r.table.clone()])
            .unwrap_or_default(),
        (OpKind::AddConstraint { table, constraint }, Rel::Referenced) => match &constraint.kind {
            ConstraintKind::ForeignKey { references, .. } if references.table != *table => {
                one(&references.table)
            }
            _ => Vec::new(),
        },
        (OpKind::AlterTableOther { table, .. }, Rel::Table | Rel::Parent) => one(table),
        (OpKind::CreateIndex(ci), Rel::Table) => one(&ci.table),
        (OpKind::DataChange { table, .. }, Rel::Table) => one(table),
        (OpKind::Maintenance { targets, kind, .. }, Rel::Table)
            if !matches!(kind, MaintenanceKind::RefreshMaterializedView) =>
        {
            targets.clone()
        }
        (OpKind::Maintenance { targets, .. }, Rel::View) => targets.clone(),
        (OpKind::DropObject { names, .. }, Rel::View) => names.clone(),
        (OpKind::ReplaceView { name }, Rel::View) => one(name),
        (OpKind::AttachPartition { parent, .. }, Rel::Parent) => one(parent),
        (OpKind::AttachPartition { partition, .. }, Rel::Partition) => one(partition),
        (
            OpKind::RenameTable { table, .. }
            | OpKind::AddColumn { table, .. }
            | OpKind::DropColumn { table, .. }
            | OpKind::RenameColumn { table, .. }
            | OpKind::AlterColumnType { table, .. }
            | OpKind::SetNotNull { table, .. }
            | OpKind::DropNotNull { table, .. }
            | OpKind::ChangeDefault { table, .. }
            | OpKind::AddConstraint { table, .. }
            | OpKind::ValidateConstraint { table, .. }
            | OpKind::DropConstraint { table, .. },
            Rel::Table,
        ) => one(table),
        // Relations the operation does not name (the table of a dropped
        // index, the table a dropped constraint references, a trigger's
        // table kept as words) are not known to the model.
        _ => Vec::new(),
    }
}

/// `docs/postgres-locks.md`, rendered from [`FORMS`]. Not in the browser
/// lint module, which carries no docs.
#[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# PostgreSQL's locks and rewrites\n\n\
         Generated from `src/model/postgres.rs` (do not edit; `ZERODOWN_UPDATE_DOCS=1 cargo test --test pg_oracle` rewrites it). \
         Every row is checked on live PostgreSQL 11 to 18 by `tests/pg_oracle.rs`: the statement runs in a transaction on a table \
         with rows, `pg_locks` gives the locks, `pg_class.relfilenode` the rewrites and `pg_stat_xact_user_tables` the scans. \
         Forms that cannot run in a transaction block are checked by the lock they wait for behind a conflicting transaction.\n\n\
         Locks: **ACCESS EXCLUSIVE** blocks reads and writes; SHARE, SHARE ROW EXCLUSIVE and EXCLUSIVE block writes; \
         SHARE UPDATE EXCLUSIVE and weaker block neither (only other schema changes and maintenance).\n\n\
         `from` is the PostgreSQL major version; the oracle checks 11 to 18, and entries before 11 come from PostgreSQL's release notes.\n\n\
         | form | example | from | locks | effect |\n|---|---|---|---|---|\n",
    );
    for f in FORMS {
        for (i, e) in f.eras.iter().enumerate() {
            let next = f.eras.get(i + 1).map(|n| n.from);
            let from = match (e.from, next) {
                (OLDEST, None) => "all".to_string(),
                (OLDEST, Some(n)) => format!("before {n}"),
                (v, None) => format!("{v}+"),
                (v, Some(n)) => format!("{v} to {}", n - 1),
            };
            let locks = if e.locks.is_empty() {
                "none".to_string()
            } else {
                e.locks
                    .iter()
                    .map(|(r, m)| {
                        let m = if m.blocks_reads() {
                            format!("**{}**", m.as_str())
                        } else {
                            m.as_str().to_string()
                        };
                        format!("{m} on the {}", r.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let effect = if e.effects.is_empty() {
                Effect::Catalog.as_str().to_string()
            } else {
                e.effects
                    .iter()
                    .map(|(r, x)| format!("{} the {}", x.as_str(), r.as_str()))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let (title, example) = if i == 0 {
                (f.title.to_string(), format!("`{}`", f.example))
            } else {
                ("″".to_string(), String::new())
            };
            out.push_str(&format!(
                "| {title} (`{}`) | {example} | {from} | {locks} | {effect} |\n",
                f.id
            ));
        }
    }
    out.push_str("\nNotes:\n\n");
    for f in FORMS.iter().filter(|f| !f.note.is_empty()) {
        out.push_str(&format!("- `{}`: {}\n", f.id, f.note));
    }
    out.push_str(
        "\nNot in the table: session and transaction control (`SET`, `BEGIN`, `COMMIT`), \
         whose locks are those of the statements they wrap; `DO` blocks and `EXECUTE`, whose \
         statements zerodown cannot read (`dynamic-sql`); drops with `CASCADE` of types, \
         functions, schemas and sequences, which take the locks of everything that depends on \
         them; and statements zerodown does not model (`COMMENT`, `GRANT`, `CREATE FUNCTION`, \
         `CREATE EXTENSION`, ...).\n",
    );
    out
}
