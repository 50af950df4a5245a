//! The database schema a run lints against: a `pg_dump --schema-only` /
//! `structure.sql` dump read once by the SQL front end into a `Catalog`,
//! which then seeds every run (migrations apply on top of it, in order).
//!
//! A live database gives the same model through the same code:
//! [`CATALOG_QUERY`] asks its `pg_catalog` for the DDL a dump would hold
//! (with the `pg_get_*` functions `pg_dump` uses), and
//! [`Schema::from_catalog_rows`] reads that text with [`Schema::load`]. One
//! reader, so a dump and a database cannot drift apart in what they tell
//! the rules (tests/pg_schema.rs lints against both and compares).

use crate::model::{Catalog, Change, Name, OpKind};
use crate::plan::PlanOptions;
use crate::report::SchemaProblem;
use crate::sql;

/// A loaded schema: parse it once, pass it by reference to every run.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// What the dump creates.
    pub catalog: Catalog,
    /// The dump's path, as given.
    pub path: String,
    /// What plans take from the schema beyond the catalog.
    facts: PlanFacts,
}

/// The dump's own text for what a plan's rollback recreates, and the
/// foreign keys a key change must carry along. Read as the dump states
/// them: migrations linted later do not change these.
#[derive(Debug, Clone, Default)]
struct PlanFacts {
    /// `CREATE [UNIQUE] INDEX ...` as the dump writes it (`pg_get_indexdef`),
    /// with the index's name and table.
    indexes: Vec<(Name, Name, String)>,
    /// Views and their queries (`pg_get_viewdef`).
    views: Vec<(Name, String)>,
    /// Foreign keys, as the dump states them.
    foreign_keys: Vec<ForeignKeyFact>,
}

/// A foreign key: (table, constraint, columns, referenced table, referenced
/// columns; empty: the primary key).
type ForeignKeyFact = (Name, String, Vec<String>, Name, Vec<String>);

#[cfg(any(feature = "cli", feature = "full"))]
impl PlanFacts {
    /// Keeps what a plan may take from one statement of the dump (`body`,
    /// the statement's text). Only where plans are made: the browser's lint
    /// modules carry no planner input and skip this code.
    fn note(&mut self, op: &crate::model::Op, body: &str) {
        match &op.kind {
            OpKind::CreateIndex(ci) => {
                if let Some(name) = &ci.name {
                    let name = Name {
                        schema: name.schema.clone().or_else(|| ci.table.schema.clone()),
                        name: name.name.clone(),
                    };
                    let def = body.trim().trim_end_matches(';').trim_end();
                    self.indexes.push((name, ci.table.clone(), def.to_string()));
                }
            }
            OpKind::CreateRelation { name, what } if what == "VIEW" => {
                if let Some(q) = view_query(body) {
                    self.views.push((name.clone(), q.to_string()));
                }
            }
            OpKind::ReplaceView { name } => {
                if let Some(q) = view_query(body) {
                    self.views.retain(|(v, _)| !same(v, name));
                    self.views.push((name.clone(), q.to_string()));
                }
            }
            OpKind::AddConstraint { table, constraint } => {
                if let (
                    Some(n),
                    crate::model::ConstraintKind::ForeignKey {
                        columns,
                        references,
                    },
                ) = (&constraint.name, &constraint.kind)
                {
                    self.foreign_keys.push((
                        table.clone(),
                        n.clone(),
                        columns.clone(),
                        references.table.clone(),
                        references.columns.clone(),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Whether two names are the same object, an unqualified name standing for
/// `public` (the search path of a migration).
fn same(a: &Name, b: &Name) -> bool {
    let schema = |n: &Name| n.schema.clone().unwrap_or_else(|| "public".to_string());
    a.name == b.name && schema(a) == schema(b)
}

/// The query of `CREATE VIEW name [(cols)] [WITH (...)] AS query`: the text
/// after the first `AS` word outside quotes and parentheses.
#[cfg(any(feature = "cli", feature = "full"))]
fn view_query(body: &str) -> Option<&str> {
    let bytes = body.as_bytes();
    let (mut depth, mut quote) = (0usize, None::<u8>);
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => depth = depth.saturating_sub(1),
            (None, _)
                if depth == 0
                    && body
                        .get(i..i + 2)
                        .is_some_and(|w| w.eq_ignore_ascii_case("AS"))
                    && i > 0
                    && bytes[i - 1].is_ascii_whitespace()
                    && bytes.get(i + 2).is_none_or(u8::is_ascii_whitespace) =>
            {
                let q = body[i + 2..].trim().trim_end_matches(';').trim_end();
                return (!q.is_empty()).then_some(q);
            }
            _ => {}
        }
    }
    None
}

/// Statement kinds the catalog learns from, by their leading words
/// (upper-case, single-spaced). Every other statement of a dump (functions,
/// triggers, comments, sequences, extensions, grants...) is skipped
/// without a word: it neither creates nor changes what the rules ask about.
const READ: &[&str] = &[
    "CREATE VIEW",
    // pg_dump writes a placeholder view first when the query depends on a
    // constraint created later, then the real query with OR REPLACE.
    "CREATE OR REPLACE VIEW",
    "CREATE TABLE",
    "CREATE UNLOGGED TABLE",
    "CREATE INDEX",
    "CREATE UNIQUE INDEX",
    "ALTER TABLE",
    "ALTER INDEX",
    "CREATE DOMAIN",
    "SET",
];

/// The first `n` words of `text`, upper-cased and single-spaced.
fn leading_words(text: &str, n: usize) -> String {
    let mut out = String::new();
    for w in text.split_ascii_whitespace().take(n) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '_')
        {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// True when the CREATE TABLE text declares `PARTITION BY` after its
/// column list (the last closing parenthesis at depth zero).
fn declares_partition_by(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper
        .rfind("PARTITION BY")
        .is_some_and(|at| upper[..at].trim_end().ends_with(')'))
}

/// The statements a session runs first, inside the read-only transaction,
/// before [`CATALOG_QUERY`]: short timeouts (a busy catalog makes the lint
/// fail, never wait), and an empty `search_path` so that every name the
/// `pg_get_*` functions print is schema-qualified, as in `pg_dump`'s output.
/// Its last statement refuses a server older than 12 with a message that
/// says so (the cast of that message to an integer is the error: plain SQL
/// has no RAISE), instead of a missing catalog column.
pub const CATALOG_SESSION: &str = "SET LOCAL statement_timeout = '10s'; \
    SET LOCAL lock_timeout = '2s'; \
    SET LOCAL idle_in_transaction_session_timeout = '30s'; \
    SET LOCAL search_path = ''; \
    SELECT CASE WHEN pg_catalog.current_setting('server_version_num')::int < 120000 \
    THEN ('zerodown reads PostgreSQL 12 or later; this server is ' \
    || pg_catalog.current_setting('server_version'))::int END";

/// The catalog of a live database (PostgreSQL 12 or later) as the DDL a
/// `pg_dump --schema-only` would hold for what the rules read, one
/// statement a row, in an order that applies (tables, partitions attached,
/// constraints, indexes, partition indexes attached, foreign keys last):
///
/// - tables (`relkind` `r`, partitioned `p`; unlogged kept) of user schemas
///   only (not `pg_*`, not `information_schema`, not an extension's), with
///   each column's `format_type`, identity or generated expression, default
///   (`pg_get_expr`) and NOT NULL;
/// - `PARTITION BY` (`pg_get_partkeydef`) and `ATTACH PARTITION` with the
///   bound (`pg_inherits`, `relpartbound`);
/// - primary key, unique, CHECK, exclusion and foreign-key constraints by
///   name (`pg_get_constraintdef`, which ends with `NOT VALID` when
///   `convalidated` is false);
/// - indexes (`pg_get_indexdef`, `ON ONLY` for a partitioned parent) other
///   than those a constraint owns, and their `ALTER INDEX ... ATTACH
///   PARTITION`;
/// - views (`relkind` `v`) with their query (`pg_get_viewdef`, which ends
///   with `;`), for the rollback of a replace-view plan.
///
/// Runs after [`CATALOG_SESSION`]; docs/schema.md describes it.
pub const CATALOG_QUERY: &str = r"WITH rel AS (
    SELECT c.oid, c.relkind, c.relpersistence, c.relispartition,
           c.oid::pg_catalog.regclass::text AS name
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname <> 'information_schema'
      AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (
          SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
            AND d.objid = c.oid AND d.deptype = 'e')
), con AS (
    SELECT k.oid, k.contype, r.name AS tbl, k.conname,
           pg_catalog.pg_get_constraintdef(k.oid) AS def
    FROM pg_catalog.pg_constraint k
    JOIN rel r ON r.oid = k.conrelid
    WHERE k.contype IN ('p', 'u', 'c', 'f', 'x')
)
SELECT ddl FROM (
    SELECT 1 AS step, r.name AS tbl, '' AS obj,
        'CREATE ' || CASE r.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END
        || 'TABLE ' || r.name || ' ('
        || coalesce((
            SELECT pg_catalog.string_agg(
                E'\n    ' || pg_catalog.quote_ident(a.attname) || ' '
                || pg_catalog.format_type(a.atttypid, a.atttypmod)
                || CASE
                    WHEN a.attidentity = 'a' THEN ' GENERATED ALWAYS AS IDENTITY'
                    WHEN a.attidentity = 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY'
                    WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS ('
                        || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') STORED'
                    WHEN ad.adbin IS NOT NULL THEN ' DEFAULT '
                        || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
                    ELSE '' END
                || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                ',' ORDER BY a.attnum)
            FROM pg_catalog.pg_attribute a
            LEFT JOIN pg_catalog.pg_attrdef ad
                ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
            WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
        ), '')
        || E'\n)'
        || CASE WHEN r.relkind = 'p'
            THEN ' PARTITION BY ' || pg_catalog.pg_get_partkeydef(r.oid) ELSE '' END
        || ';' AS ddl
    FROM rel r
    UNION ALL
    SELECT 2, p.name, r.name,
        'ALTER TABLE ONLY ' || p.name || ' ATTACH PARTITION ' || r.name || ' '
        || pg_catalog.pg_get_expr(c.relpartbound, c.oid) || ';'
    FROM rel r
    JOIN pg_catalog.pg_class c ON c.oid = r.oid
    JOIN pg_catalog.pg_inherits i ON i.inhrelid = r.oid
    JOIN rel p ON p.oid = i.inhparent
    WHERE r.relispartition
    UNION ALL
    SELECT CASE WHEN k.contype = 'f' THEN 6 ELSE 3 END, k.tbl, k.conname,
        'ALTER TABLE ' || k.tbl || ' ADD CONSTRAINT '
        || pg_catalog.quote_ident(k.conname) || ' ' || k.def || ';'
    FROM con k
    UNION ALL
    SELECT 4, r.name, x.indexrelid::pg_catalog.regclass::text,
        pg_catalog.pg_get_indexdef(x.indexrelid) || ';'
    FROM pg_catalog.pg_index x
    JOIN rel r ON r.oid = x.indrelid
    WHERE NOT EXISTS (
        SELECT FROM pg_catalog.pg_constraint k
        WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid
          AND k.contype IN ('p', 'u', 'x'))
    UNION ALL
    SELECT 5, i.inhparent::pg_catalog.regclass::text, i.inhrelid::pg_catalog.regclass::text,
        'ALTER INDEX ' || i.inhparent::pg_catalog.regclass::text
        || ' ATTACH PARTITION ' || i.inhrelid::pg_catalog.regclass::text || ';'
    FROM pg_catalog.pg_inherits i
    JOIN pg_catalog.pg_index x ON x.indexrelid = i.inhrelid
    JOIN rel r ON r.oid = x.indrelid
    UNION ALL
    SELECT 7, v.oid::pg_catalog.regclass::text, '',
        'CREATE VIEW ' || v.oid::pg_catalog.regclass::text || E' AS\n'
        || pg_catalog.pg_get_viewdef(v.oid)
    FROM pg_catalog.pg_class v
    JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
    WHERE v.relkind = 'v'
      AND n.nspname <> 'information_schema'
      AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (
          SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
            AND d.objid = v.oid AND d.deptype = 'e')
) ddl
ORDER BY step, tbl, obj";

/// Reads a dump's statements in order, the one reader of schema dumps
/// (the rules' [`Schema`] and `cells`' table model both use it): each
/// statement's text goes to `select`, and those it selects are lowered and
/// given to `each` with their text and first line (1-based). A statement
/// that does not parse comes with its `error` set and whatever ops the
/// lowering still found.
pub fn read_dump(
    text: &str,
    mut select: impl FnMut(&str) -> bool,
    mut each: impl FnMut(&str, u32, &crate::model::Statement),
) {
    let split = sql::split(text);
    let (mut line, mut counted) = (1u32, 0usize);
    for raw in &split.statements {
        let body = &text[raw.span.clone()];
        if !select(body) {
            continue;
        }
        let at = raw.span.start.max(counted);
        let newlines = text.as_bytes()[counted..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        counted = at;
        let stmt = sql::lower(text, raw.span.clone());
        each(body, line, &stmt);
    }
}

impl Schema {
    /// Fills in what a plan's rollback needs and the schema knows, where
    /// the caller left it open (`--type`, `--from`, `--not-null` /
    /// `--nullable`, `--has-default`): the column's type, its default,
    /// whether it is NOT NULL without a default. Returns notes for the
    /// user: what was taken from the schema, or that the schema does not
    /// have the column (the plan then stays as without a schema).
    pub fn complete_plan(&self, change: &mut Change, options: &mut PlanOptions) -> Vec<String> {
        match change {
            Change::DropIndex { name, table } => {
                return self.complete_drop_index(name, table, options)
            }
            Change::ReplaceView { view, .. } => {
                let Some((_, query)) = self.facts.views.iter().find(|(v, _)| same(v, view)) else {
                    return vec![format!(
                        "the schema ({}) has no view `{view}`: the plan does not use it",
                        self.path
                    )];
                };
                if options.view_definition.is_some() {
                    return Vec::new();
                }
                options.view_definition = Some(query.clone());
                return vec![format!(
                    "from the schema ({}): the query of `{view}`, for the rollback",
                    self.path
                )];
            }
            Change::BigintPrimaryKey { table, column } => {
                return self.referencing_keys(table, column);
            }
            _ => {}
        }
        let (table, column) = match &*change {
            Change::DropColumn { table, column }
            | Change::RenameColumn { table, column, .. }
            | Change::ChangeColumnType { table, column, .. }
            | Change::ChangeColumnDefault { table, column, .. } => (table.clone(), column.clone()),
            _ => return Vec::new(),
        };
        let Some(info) = self.catalog.column(&table, &column) else {
            let what = if self.catalog.has_table(&table) {
                format!("column `{table}`.`{column}`")
            } else {
                format!("table `{table}`")
            };
            return vec![format!(
                "the schema ({}) has no {what}: the plan does not use it",
                self.path
            )];
        };
        let mut took = Vec::new();
        let mut take = |what: &str, slot: &mut Option<String>, value: &str| {
            if slot.is_none() {
                *slot = Some(value.to_string());
                took.push(format!("{what} `{value}`"));
            }
        };
        match change {
            Change::DropColumn { .. } => {
                take("type", &mut options.column_type, &info.data_type);
                if options.not_null.is_none() {
                    let strict = info.not_null && !info.has_default;
                    options.not_null = Some(strict);
                    took.push(
                        if strict {
                            "NOT NULL without a default"
                        } else {
                            "nullable or with a default"
                        }
                        .to_string(),
                    );
                }
            }
            Change::RenameColumn {
                column_type,
                has_default,
                ..
            } => {
                take("type", column_type, &info.data_type);
                if !*has_default && info.has_default {
                    *has_default = true;
                    took.push("a default".to_string());
                }
            }
            Change::ChangeColumnType { column_type, .. } => {
                take("type", column_type, &info.data_type);
                take("type", &mut options.column_type, &info.data_type);
            }
            Change::ChangeColumnDefault { .. } => match &info.default {
                Some(d) => take("default", &mut options.previous_default, d),
                None if options.previous_default.is_none() => {
                    options.previous_default = Some("NULL".to_string());
                    took.push("no default".to_string());
                }
                None => {}
            },
            _ => {}
        }
        took.dedup();
        if took.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "from the schema ({}): `{table}`.`{column}` has {}",
            self.path,
            took.join(", ")
        )]
    }

    /// drop-index: the index's definition (for the rollback) and table.
    fn complete_drop_index(
        &self,
        name: &Name,
        table: &mut Option<Name>,
        options: &mut PlanOptions,
    ) -> Vec<String> {
        let Some((_, on, def)) = self.facts.indexes.iter().find(|(n, _, _)| same(n, name)) else {
            return vec![format!(
                "the schema ({}) has no index `{name}`: the plan does not use it",
                self.path
            )];
        };
        let mut took = Vec::new();
        if table.is_none() {
            *table = Some(on.clone());
            took.push(format!("its table `{on}`"));
        }
        if options.index_definition.is_none() {
            options.index_definition = Some(def.clone());
            took.push(format!("its definition `{def}`"));
        }
        if took.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "from the schema ({}): index `{name}`: {}",
            self.path,
            took.join(", ")
        )]
    }

    /// bigint-primary-key: the foreign keys that reference the key, with
    /// their columns' types. The plan re-adds them at run time from the
    /// catalog; what it cannot do is widen them: an integer column that
    /// references a bigint key overflows at the same value.
    fn referencing_keys(&self, table: &Name, column: &str) -> Vec<String> {
        if !self.catalog.has_table(table) {
            return vec![format!(
                "the schema ({}) has no table `{table}`: the plan does not use it",
                self.path
            )];
        }
        let mut listed = Vec::new();
        let mut narrow = Vec::new();
        for (from, name, columns, to, to_columns) in &self.facts.foreign_keys {
            let to_key =
                to_columns.is_empty() || to_columns.iter().map(String::as_str).eq([column]);
            if !same(to, table) || !to_key || columns.len() != 1 {
                continue;
            }
            let col = &columns[0];
            let ty = self
                .catalog
                .column(from, col)
                .map_or("type unknown", |c| c.data_type.as_str());
            listed.push(format!("`{from}`.`{col}` ({ty}, `{name}`)"));
            if matches!(
                ty,
                "integer" | "int" | "int4" | "smallint" | "int2" | "serial"
            ) {
                narrow.push(format!("{from}.{col}"));
            }
        }
        if listed.is_empty() {
            return vec![format!(
                "from the schema ({}): no foreign key references `{table}`.`{column}`",
                self.path
            )];
        }
        const SHOWN: usize = 10;
        let more = listed.len().saturating_sub(SHOWN);
        let mut notes = vec![format!(
            "from the schema ({}): {} foreign key(s) reference `{table}`.`{column}`, which the plan drops and re-adds NOT VALID, then validates: {}{}",
            self.path,
            listed.len(),
            listed[..listed.len().min(SHOWN)].join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )];
        if !narrow.is_empty() {
            notes.push(format!(
                "{} still integer: a row that references a key over 2147483647 cannot be written there; widen each with its own plan (`zerodown plan change-column-type TABLE.COLUMN bigint`) before the key passes that value",
                narrow.join(", ")
            ));
        }
        notes
    }

    /// Reads the rows of [`CATALOG_QUERY`] (one statement each) through
    /// [`Schema::load`]: a database and a dump build the catalog alike.
    /// `label` names the source in problems (a URL without its password).
    pub fn from_catalog_rows<S: AsRef<str>>(
        rows: &[S],
        label: &str,
    ) -> (Schema, Vec<SchemaProblem>) {
        let mut text = String::new();
        for r in rows {
            text.push_str(r.as_ref());
            text.push('\n');
        }
        Schema::load(&text, label)
    }

    /// Reads a schema dump. Statements that fail to parse are skipped and
    /// returned as problems (with their line and the parser's reason); what
    /// they still tell is kept, and the load goes on.
    pub fn load(text: &str, path: &str) -> (Schema, Vec<SchemaProblem>) {
        let mut catalog = Catalog::default();
        #[allow(unused_mut)] // filled only where plans are made (`PlanFacts::note`)
        let mut facts = PlanFacts::default();
        let mut problems = Vec::new();
        let read = |body: &str| {
            let words = leading_words(body, 4);
            READ.iter().any(|k| {
                words.starts_with(k) && words[k.len()..].chars().next().is_none_or(|c| c == ' ')
            })
        };
        read_dump(text, read, |body, line, stmt| {
            if let Some((reason, _)) = &stmt.error {
                problems.push(SchemaProblem {
                    path: path.to_string(),
                    line,
                    reason: reason.clone(),
                });
            }
            for op in &stmt.ops {
                catalog.apply(op);
                match &op.kind {
                    OpKind::CreateTable(ct) if declares_partition_by(body) => {
                        catalog.mark_partitioned(&ct.table);
                    }
                    _ => {
                        #[cfg(any(feature = "cli", feature = "full"))]
                        facts.note(op, body);
                    }
                }
            }
        });
        catalog.start_file();
        catalog.mark_complete();
        catalog.freeze();
        (
            Schema {
                catalog,
                path: path.to_string(),
                facts,
            },
            problems,
        )
    }
}

/// Table sizes, one row a table: `table,rows,bytes`, the table
/// schema-qualified (`quote_ident`ed); rows the planner's estimate
/// (`reltuples`), or for a table never analyzed the collector's live
/// tuples (`pg_stat_get_live_tuples`, which `pg_stat_user_tables.n_live_tup`
/// shows; not first, as it can count a batch twice around an ANALYZE);
/// bytes with indexes and TOAST. A partitioned table sums its leaf
/// partitions (`pg_partition_tree`, PostgreSQL 12+), and a partition is not
/// listed on its own. Per-table functions, no view scans: 0.7 s for 2,000
/// tables. `--database-url` runs it in the catalog's transaction;
/// docs/schema.md quotes it (a test keeps them equal) to produce a
/// `--stats` file with `COPY (...) TO STDOUT WITH (FORMAT csv, HEADER)`.
pub const STATS_QUERY: &str = r"SELECT
    pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS table,
    CASE WHEN c.relkind = 'r' THEN
        CASE WHEN c.reltuples > 0 THEN c.reltuples::bigint
             ELSE pg_catalog.pg_stat_get_live_tuples(c.oid) END
    ELSE (SELECT coalesce(sum(CASE WHEN l.reltuples > 0 THEN l.reltuples::bigint
                                   ELSE pg_catalog.pg_stat_get_live_tuples(l.oid) END), 0)::bigint
          FROM pg_catalog.pg_partition_tree(c.oid) t
          JOIN pg_catalog.pg_class l ON l.oid = t.relid
          WHERE t.isleaf) END AS rows,
    CASE WHEN c.relkind = 'r' THEN pg_catalog.pg_total_relation_size(c.oid)
    ELSE (SELECT coalesce(sum(pg_catalog.pg_total_relation_size(t.relid)), 0)::bigint
          FROM pg_catalog.pg_partition_tree(c.oid) t) END AS bytes
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY 1";

/// The size of one table, from a `--stats` file or [`STATS_QUERY`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSize {
    /// The table, as written (`public.users`, `"Odd".t`).
    pub table: String,
    /// Rows (an estimate).
    pub rows: u64,
    /// Bytes, indexes and TOAST included.
    pub bytes: u64,
}

impl TableSize {
    /// The rows of [`STATS_QUERY`] (table, rows, bytes, as text).
    pub fn from_rows(rows: &[Vec<String>]) -> Result<Vec<TableSize>, String> {
        rows.iter()
            .map(|row| {
                let number = |i: usize| {
                    row.get(i)
                        .and_then(|v| v.parse::<u64>().ok())
                        .ok_or_else(|| format!("the size query returned {row:?}"))
                };
                Ok(TableSize {
                    table: row.first().cloned().unwrap_or_default(),
                    rows: number(1)?,
                    bytes: number(2)?,
                })
            })
            .collect()
    }
}

/// When a table counts as large: at least `rows` rows or `bytes` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeThresholds {
    /// Rows (default 1,000,000).
    pub rows: u64,
    /// Bytes (default 1 GiB).
    pub bytes: u64,
}

impl Default for LargeThresholds {
    fn default() -> Self {
        LargeThresholds {
            rows: 1_000_000,
            bytes: 1 << 30,
        }
    }
}

/// Reads a `--stats` CSV: a header `table,rows,bytes` (in that order; more
/// columns after them are ignored), then one table a line, fields quoted as
/// CSV quotes them (`"a,b"`, `""` for `"`). Blank lines are skipped. An
/// error names `path`, the line and what is wrong.
pub fn parse_stats(text: &str, path: &str) -> Result<Vec<TableSize>, String> {
    let mut out = Vec::new();
    let mut header = false;
    for (i, line) in text.lines().enumerate() {
        let at = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields =
            csv_fields(line).ok_or_else(|| format!("{path}:{at}: a quote is not closed"))?;
        if !header {
            let names: Vec<String> = fields
                .iter()
                .map(|f| f.trim().to_ascii_lowercase())
                .collect();
            if names.len() < 3 || names[..3] != ["table", "rows", "bytes"] {
                return Err(format!(
                    "{path}:{at}: the first line must be the header `table,rows,bytes`, found `{line}`"
                ));
            }
            header = true;
            continue;
        }
        if fields.len() < 3 {
            return Err(format!(
                "{path}:{at}: expected 3 fields (table,rows,bytes), found {}",
                fields.len()
            ));
        }
        let number = |what: &str, v: &str| {
            let v = v.trim();
            v.parse::<u64>()
                .or_else(|_| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite() && *f >= 0.0)
                        .map(|f| f.round() as u64)
                        .ok_or(())
                })
                .map_err(|()| format!("{path}:{at}: {what} `{v}` is not a non-negative number"))
        };
        let table = fields[0].trim().to_string();
        if table.is_empty() {
            return Err(format!("{path}:{at}: the table name is empty"));
        }
        crate::model::Name::parse(&table).map_err(|e| format!("{path}:{at}: {e}"))?;
        out.push(TableSize {
            table,
            rows: number("rows", &fields[1])?,
            bytes: number("bytes", &fields[2])?,
        });
    }
    if !header {
        return Err(format!(
            "{path}: empty: expected the header `table,rows,bytes`"
        ));
    }
    Ok(out)
}

/// The fields of one CSV line; None when a quoted field is not closed.
fn csv_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
            // Anything between the closing quote and the comma is kept.
            while let Some(c) = chars.peek().copied().filter(|c| *c != ',') {
                field.push(c);
                chars.next();
            }
        } else {
            while let Some(c) = chars.peek().copied().filter(|c| *c != ',') {
                field.push(c);
                chars.next();
            }
        }
        fields.push(field);
        if chars.next().is_none() {
            return Some(fields);
        }
    }
}

/// The tables of `sizes` that reach `limits`, as `--large-table` takes them:
/// a table of `public` by its bare name (so that `users` and `public.users`
/// in a migration both match; a table of that name in another schema then
/// counts as large too, the safe side), others schema-qualified.
pub fn large_tables(sizes: &[TableSize], limits: LargeThresholds) -> Vec<String> {
    sizes
        .iter()
        .filter(|s| s.rows >= limits.rows || s.bytes >= limits.bytes)
        .filter_map(|s| crate::model::Name::parse(&s.table).ok())
        .map(|n| match n.schema.as_deref() {
            None | Some("public") => n.name,
            Some(_) => n.qualified(),
        })
        .collect()
}

/// The tables GitLab's table docs (`db/docs/*.yml`, one table each) call
/// large: `table_size: large` or `over_limit`. Only the two top-level keys
/// `table_name` and `table_size` are read, as plain scalars (the docs'
/// form); a file with a `table_size` but no `table_name` is an error with
/// its path. Files are `(path, text)`.
pub fn large_tables_from_docs(files: &[(String, String)]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let scalar = |key: &str| {
            text.lines().find_map(|l| {
                let v = l.strip_prefix(key)?.strip_prefix(':')?.trim();
                Some(v.trim_matches(['\'', '"']).to_string())
            })
        };
        let Some(size) = scalar("table_size") else {
            continue;
        };
        let Some(table) = scalar("table_name").filter(|t| !t.is_empty()) else {
            return Err(format!("{path}: a table_size without a table_name"));
        };
        if matches!(size.as_str(), "large" | "over_limit") {
            out.push(table);
        }
    }
    out.sort();
    Ok(out)
}

/// The tables GitLab's RuboCop migration config
/// (`rubocop-migrations.yml`) lists under `Migration/UpdateLargeTable`:
/// its `LargeTables` and `OverLimitTables`, items written `- :name`. Only
/// that block's lists are read (the file's form); a file without the block
/// is an error naming it.
pub fn large_tables_from_rubocop(text: &str, path: &str) -> Result<Vec<String>, String> {
    let mut in_cop = false;
    let mut in_list = false;
    let mut found = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let item = line.trim();
        if item.is_empty() || item.starts_with('#') {
            continue;
        }
        if indent == 0 {
            in_cop = item == "Migration/UpdateLargeTable:";
            found |= in_cop;
            in_list = false;
        } else if in_cop && !item.starts_with('-') {
            in_list = matches!(item, "LargeTables:" | "OverLimitTables:");
        } else if in_cop && in_list {
            let name = item
                .trim_start_matches('-')
                .trim()
                .trim_start_matches(':')
                .trim_matches(['\'', '"']);
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    if !found {
        return Err(format!(
            "{path}: no `Migration/UpdateLargeTable:` block (GitLab's rubocop-migrations.yml has one)"
        ));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Name;

    #[test]
    fn gitlab_rubocop_config_names_the_large_tables() {
        let yml = "---\nMigration/UpdateLargeTable:\n  Enabled: true\n  OverLimitTables:\n  - :ci_builds\n  - :events\n  LargeTables:\n  - :users\n  - :events\n  DeniedMethods:\n  - :update_all\nMigration/Other:\n  LargeTables:\n  - :not_this\n";
        assert_eq!(
            large_tables_from_rubocop(yml, "r.yml").unwrap(),
            ["ci_builds", "events", "users"]
        );
        assert!(large_tables_from_rubocop("---\nOther: 1\n", "r.yml")
            .unwrap_err()
            .contains("r.yml"));
    }

    #[test]
    fn gitlab_table_docs_name_the_large_tables() {
        let doc = |name: &str, size: &str| {
            (
                format!("db/docs/{name}.yml"),
                format!("---\ntable_name: {name}\nclasses:\n- X\ntable_size: {size}\n"),
            )
        };
        let files = vec![
            doc("ci_builds", "over_limit"),
            doc("users", "large"),
            doc("abuse_events", "small"),
            doc("projects", "medium"),
            ("db/docs/views/v.yml".into(), "---\nview_name: v\n".into()),
        ];
        assert_eq!(
            large_tables_from_docs(&files).unwrap(),
            ["ci_builds", "users"]
        );
        let broken = vec![(
            "db/docs/x.yml".to_string(),
            "table_size: large\n".to_string(),
        )];
        assert!(large_tables_from_docs(&broken)
            .unwrap_err()
            .contains("db/docs/x.yml"));
    }

    fn name(s: &str) -> Name {
        Name::parse(s).unwrap()
    }

    #[test]
    fn loads_tables_indexes_keys_and_partitions() {
        let dump = "SET statement_timeout = 0;\n\
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
            CREATE TABLE public.users (\n    id bigint NOT NULL,\n    username character varying(50),\n    email text\n);\n\
            CREATE TABLE public.events (\n    id bigint NOT NULL,\n    created_at timestamp with time zone NOT NULL\n)\nPARTITION BY RANGE (created_at);\n\
            CREATE TABLE public.events_2026 (\n    id bigint NOT NULL,\n    created_at timestamp with time zone NOT NULL\n);\n\
            ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
            ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n\
            ALTER TABLE public.users ADD CONSTRAINT check_email CHECK ((email IS NOT NULL));\n\
            CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);\n\
            COMMENT ON TABLE public.users IS 'people';\n";
        let (s, problems) = Schema::load(dump, "structure.sql");
        assert_eq!(problems, vec![]);
        let c = &s.catalog;
        assert!(c.is_complete());
        assert_eq!(c.counts(), (3, 7, 1));
        assert_eq!(
            c.column(&name("users"), "username")
                .map(|c| c.data_type.as_str()),
            Some("character varying(50)")
        );
        assert!(c.is_partitioned(&name("events")));
        assert!(!c.is_partitioned(&name("users")));
        assert_eq!(
            c.partitions(&name("events")),
            vec![name("public.events_2026")]
        );
        assert!(c.has_unique_key(&name("users"), &["id".into()]));
        assert!(c.has_unique_key(&name("users"), &["email".into()]));
        assert!(!c.has_unique_key(&name("users"), &["username".into()]));
        assert!(c.has_constraint(&name("users"), "check_email"));
        assert!(c.has_validated_not_null_check(&name("users"), "email"));
        let idx = c.index(&name("index_users_on_email")).unwrap();
        assert!(idx.unique && !idx.partial);
        // Schemas are told apart: staging.users is not public.users.
        assert!(!c.has_table(&name("staging.users")));
    }

    #[test]
    fn an_inline_validated_not_null_check_is_known() {
        // pg_dump's form: a validated CHECK inline, a NOT VALID one after.
        let dump = "CREATE TABLE public.users (\n    age integer,\n    nickname text,\n    \
            CONSTRAINT users_age_not_null CHECK ((age IS NOT NULL))\n);\n\
            ALTER TABLE public.users ADD CONSTRAINT users_nickname_not_null CHECK ((nickname IS NOT NULL)) NOT VALID;\n";
        let (s, problems) = Schema::load(dump, "structure.sql");
        assert_eq!(problems, vec![]);
        let c = &s.catalog;
        assert!(c.has_validated_not_null_check(&name("users"), "age"));
        assert!(!c.has_validated_not_null_check(&name("users"), "nickname"));
        assert!(c.has_constraint(&name("users"), "users_age_not_null"));
    }

    #[test]
    fn stats_are_read_with_located_errors_and_thresholds() {
        let csv = "table,rows,bytes\n\"public\".\"users\",2000000,10\npublic.tiny,5,100\nstaging.events,10,2147483648\n\"a,b\".t,3,4\n\n";
        let sizes = parse_stats(csv, "stats.csv").unwrap();
        assert_eq!(sizes.len(), 4);
        assert_eq!(sizes[3].table, "a,b.t");
        let large = large_tables(&sizes, LargeThresholds::default());
        assert_eq!(large, ["users", "staging.events"]);
        let all = large_tables(
            &sizes,
            LargeThresholds {
                rows: 1,
                bytes: u64::MAX,
            },
        );
        assert_eq!(all.len(), 4);
        // Errors name the file and the line.
        let e = parse_stats("table,rows,bytes\nusers,many,1\n", "s.csv").unwrap_err();
        assert_eq!(e, "s.csv:2: rows `many` is not a non-negative number");
        let e = parse_stats("name,count\n", "s.csv").unwrap_err();
        assert!(
            e.starts_with("s.csv:1: the first line must be the header"),
            "{e}"
        );
        let e = parse_stats("table,rows,bytes\nusers,1\n", "s.csv").unwrap_err();
        assert!(e.starts_with("s.csv:2: expected 3 fields"), "{e}");
        let e = parse_stats("table,rows,bytes\n\"users,1,2\n", "s.csv").unwrap_err();
        assert_eq!(e, "s.csv:2: a quote is not closed");
        let e = parse_stats("", "s.csv").unwrap_err();
        assert!(e.contains("empty"), "{e}");
        // The planner's estimate may be written as a float.
        assert_eq!(
            parse_stats("table,rows,bytes\nt,1e6,0\n", "s").unwrap()[0].rows,
            1_000_000
        );
    }

    #[test]
    fn catalog_rows_load_as_a_dump() {
        let rows = [
            "CREATE TABLE staging.t (\n    id bigint NOT NULL\n) PARTITION BY RANGE (id);",
            "CREATE TABLE staging.t_1 (\n    id bigint NOT NULL\n);",
            "ALTER TABLE ONLY staging.t ATTACH PARTITION staging.t_1 FOR VALUES FROM (0) TO (10);",
        ];
        let (s, problems) = Schema::from_catalog_rows(&rows, "postgres://u@h/db");
        assert_eq!(problems, vec![]);
        assert!(s.catalog.is_partitioned(&name("staging.t")));
        assert!(!s.catalog.has_table(&name("t")));
        assert_eq!(s.path, "postgres://u@h/db");
    }

    #[test]
    fn a_broken_statement_is_reported_and_the_load_goes_on() {
        let dump = "CREATE TABLE public.a (id bigint);\n\n\
            CREATE TABLE public.b (id bigint,, oops);\n\
            CREATE TABLE public.c (id bigint);\n";
        let (s, problems) = Schema::load(dump, "db/structure.sql");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert_eq!(problems[0].path, "db/structure.sql");
        assert!(!problems[0].reason.is_empty());
        assert!(s.catalog.has_table(&name("a")));
        assert!(s.catalog.has_table(&name("c")));
    }
}
