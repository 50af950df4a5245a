//! SQL building blocks shared by the kind planners: quoting, names, lock
//! timeouts, batched loops, sync triggers and catalog-driven copies.

use std::sync::OnceLock;

use crate::error::{Error, ErrorCode, Result};
use crate::model::Name;

use super::{Ctx, StepPhase};

/// PostgreSQL's identifier limit, in bytes.
const NAME_MAX: usize = 63;

pub use crate::model::ident;

/// A string literal.
pub fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Checks a name given by the user.
pub fn check_identifier(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() || name.len() > NAME_MAX || name.contains('\0') {
        return Err(Error::new(
            ErrorCode::BadChange,
            format!("{what} `{name}` is not a PostgreSQL name (1 to 63 bytes)"),
        ));
    }
    Ok(())
}

/// A table of a change (`users`, `public.users`), its parts unquoted.
#[derive(Debug, Clone)]
pub struct Table {
    /// Schema, when given.
    pub schema: Option<String>,
    /// Table name, unquoted.
    pub name: String,
}

impl Table {
    /// The table a change names, its parts checked as PostgreSQL names.
    pub fn of(table: &Name) -> Result<Table> {
        check_identifier("table", &table.name)?;
        if let Some(s) = &table.schema {
            check_identifier("schema", s)?;
        }
        Ok(Table {
            schema: table.schema.clone(),
            name: table.name.clone(),
        })
    }

    /// The table as SQL (`public.users`).
    pub fn sql(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", ident(s), ident(&self.name)),
            None => ident(&self.name),
        }
    }

    /// `'public.users'::regclass`.
    pub fn regclass(&self) -> String {
        format!("{}::regclass", lit(&self.sql()))
    }

    /// A sibling name in the same schema (for `RENAME TO` targets and views).
    pub fn sibling(&self, name: &str) -> Table {
        Table {
            schema: self.schema.clone(),
            name: name.to_string(),
        }
    }
}

/// A derived object name from parts, cut to 63 bytes with a hash suffix
/// when too long.
pub fn object_name(parts: &[&str]) -> String {
    let full = parts.join("_");
    if full.len() <= NAME_MAX {
        return full;
    }
    let hash = format!("{:08x}", fnv(&full));
    let mut cut = NAME_MAX - 9;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash}", &full[..cut])
}

/// FNV-1a, 32 bits: short stable suffixes for generated names.
pub fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// `User` from `users`, `MergeRequestMetric` from `merge_request_metrics`.
pub fn model_name(table: &str) -> String {
    let bare = table.rsplit('.').next().unwrap_or(table);
    let singular = if let Some(s) = bare.strip_suffix("ies") {
        format!("{s}y")
    } else if bare.ends_with("ss") || bare.ends_with("us") {
        bare.to_string()
    } else if bare.ends_with("sses") || bare.ends_with("xes") {
        bare[..bare.len() - 2].to_string()
    } else if let Some(s) = bare.strip_suffix('s') {
        if s.ends_with('s') {
            bare.to_string()
        } else {
            s.to_string()
        }
    } else {
        bare.to_string()
    };
    singular
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `updated_at`, or `created_at and updated_at`.
pub fn list_columns(columns: &[&str]) -> String {
    match columns {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!(
            "{} and `{last}`",
            init.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A SQL template: text with `{name}` placeholders (a name is lowercase
/// letters, digits and `_`). Templates keep the planner's SQL readable and
/// diffable line by line. The text is split into pieces the first time it is
/// filled, so filling is copying. Values are not scanned again, and a `{`
/// not followed by a name and `}` (`'{}'` in SQL) is text. In debug builds
/// (every test) a placeholder without a value, or a value no placeholder
/// uses, panics: a typo on either side cannot survive silently.
pub struct Template {
    text: &'static str,
    pieces: OnceLock<Vec<Piece>>,
}

/// Text to copy, or the name of a placeholder.
enum Piece {
    Text(&'static str),
    Slot(&'static str),
}

impl Template {
    /// A template over `text`, split when first filled.
    pub const fn new(text: &'static str) -> Template {
        Template {
            text,
            pieces: OnceLock::new(),
        }
    }

    fn split(text: &'static str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut from = 0;
        while let Some(open) = rest[from..].find('{').map(|i| i + from) {
            let after = &rest[open + 1..];
            match after.find('}').map(|c| &after[..c]) {
                Some(key) if is_placeholder(key) => {
                    if open > 0 {
                        pieces.push(Piece::Text(&rest[..open]));
                    }
                    pieces.push(Piece::Slot(key));
                    rest = &after[key.len() + 1..];
                    from = 0;
                }
                _ => from = open + 1,
            }
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest));
        }
        pieces
    }

    /// The text with every placeholder replaced by its value.
    pub fn fill(&self, values: &[(&str, &str)]) -> String {
        // The browser lint module splits each time: plans there are made one
        // finding at a time, and the lazy cell's code weighs more than the
        // time it saves (see `PLANNING_API`).
        let split;
        let pieces = if super::PLANNING_API {
            self.pieces.get_or_init(|| Template::split(self.text))
        } else {
            split = Template::split(self.text);
            &split
        };
        let extra: usize = values.iter().map(|(_, v)| v.len()).sum();
        let mut out = String::with_capacity(self.text.len() + extra + 64);
        #[cfg(debug_assertions)]
        let mut used = vec![false; values.len()];
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot(key) => match values.iter().position(|(k, _)| k == key) {
                    Some(at) => {
                        #[cfg(debug_assertions)]
                        {
                            used[at] = true;
                        }
                        out.push_str(values[at].1);
                    }
                    None => {
                        if cfg!(debug_assertions) {
                            panic!("template placeholder {{{key}}} has no value");
                        }
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                },
            }
        }
        #[cfg(debug_assertions)]
        for ((k, _), u) in values.iter().zip(used) {
            assert!(u, "template value `{k}` fills no placeholder");
        }
        out
    }
}

/// `fill!("templates/name.sql", &[(placeholder, value), ...])`: the
/// template file (next to the planners) filled; it is split once per
/// program run.
macro_rules! fill {
    ($path:literal, $values:expr $(,)?) => {{
        static TEMPLATE: $crate::plan::sql::Template =
            $crate::plan::sql::Template::new(include_str!($path));
        TEMPLATE.fill($values)
    }};
}
pub(crate) use fill;

/// Whether `{key}` is a template placeholder.
fn is_placeholder(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// One statement of a plan step as a PL/pgSQL statement: `SELECT` runs as
/// `PERFORM`, and a `DO $$ <block> $$` runs as the nested block itself.
fn plpgsql_statement(text: &str) -> String {
    let t = text.trim();
    let head = |kw: &str| {
        t.len() > kw.len()
            && t[..kw.len()].eq_ignore_ascii_case(kw)
            && t[kw.len()..].starts_with(|c: char| c.is_ascii_whitespace())
    };
    if head("DO") {
        let rest = t[2..].trim_start();
        let tag_len = rest
            .strip_prefix('$')
            .and_then(|r| r.find('$'))
            .map(|i| i + 2);
        if let Some(tag) = tag_len.map(|n| &rest[..n]) {
            if let Some(body) = rest
                .strip_prefix(tag)
                .and_then(|b| b.trim_end().strip_suffix(tag))
            {
                return body.trim().to_string();
            }
        }
    }
    if head("SELECT") {
        return format!("PERFORM{}", &t[6..]);
    }
    t.to_string()
}

impl Ctx<'_> {
    /// The prefix a planner writes before the statements of a step that
    /// takes strong locks. It is a marker as much as SQL: `Ctx::finish`
    /// finds it at the start of a step's SQL or rollback and replaces the
    /// whole with [`Ctx::with_lock_retries`] over the statements after it.
    pub fn lock_timeout(&self) -> String {
        format!(
            "SET LOCAL lock_timeout = {};\n",
            lit(&self.options.lock_timeout)
        )
    }

    /// `SET lock_timeout` for a step outside a transaction.
    pub fn session_lock_timeout(&self) -> String {
        format!("SET lock_timeout = {};\n", lit(&self.options.lock_timeout))
    }

    /// `body` (statements that take strong locks) inside a retry loop, as
    /// GitLab's `with_lock_retries` does. A lock request waits behind every
    /// open transaction on the table, and every later query on the table
    /// queues behind the request: one fixed, long `lock_timeout` lets one
    /// long transaction stall all traffic for that long. So each attempt
    /// waits at most 100 ms more than the last (capped at `lock_timeout`),
    /// gives up and releases everything it took, sleeps a little longer each
    /// time, and tries again; after `lock_retries` retries the step fails.
    ///
    /// The body runs as PL/pgSQL: a `SELECT` becomes `PERFORM`, and a
    /// `DO` block becomes a nested block.
    pub fn with_lock_retries(&self, body: &str) -> String {
        let max = self.lock_timeout_ms;
        let retries = self.options.lock_retries;
        let mut inner = String::new();
        let split = crate::sql::split(body);
        for st in &split.statements {
            for line in body[st.leading.clone()].lines() {
                let line = line.trim();
                if !line.is_empty() {
                    inner.push_str(line);
                    inner.push('\n');
                }
            }
            inner.push_str(&plpgsql_statement(&body[st.span.clone()]));
            inner.push_str(";\n");
        }
        fill!(
            "templates/with_lock_retries.sql",
            &[
                ("attempts", &retries.saturating_add(1).to_string()),
                ("max_text", self.options.lock_timeout.trim()),
                ("max_ms", &max.to_string()),
                ("retries", &retries.to_string()),
                ("body", &inner),
            ],
        )
    }

    /// The regular migration of release M that lets the column be NULL before
    /// the code stops writing it: once the new code ignores a NOT NULL column
    /// without a default, every INSERT it sends fails.
    pub fn allow_null(&mut self, k: u32, t: &Table, table: &Name, column: &str) {
        let c = ident(column);
        let ts = t.sql();
        let (up, down, why) = match self.known(&self.options.not_null).copied() {
            Some(false) => return,
            Some(true) => (
                format!("ALTER TABLE {ts} ALTER COLUMN {c} DROP NOT NULL;\n"),
                fill!("templates/restore_not_null.sql", &[
                        ("table", &ts),
                        ("column", &c),
                        (
                            "message",
                            &lit(&format!(
                                "rows written since {table}.{column} became nullable have no value \
                                 in it: give them one (UPDATE ... WHERE {column} IS NULL), then roll \
                                 back again"
                            )),
                        ),
                    ],
                ),
                "The column is NOT NULL without a default: once the code stops writing it, every \
                 INSERT would fail. Dropping the NOT NULL is a catalog change under a brief ACCESS \
                 EXCLUSIVE lock. The rollback restores it (a scan of the table under that lock), and \
                 says which rows need a value first.",
            ),
            None => (
                fill!("templates/allow_null_if_required.sql", &[
                        ("regclass", &t.regclass()),
                        ("column_lit", &lit(column)),
                        ("table", &ts),
                        ("column", &c),
                        (
                            "identity",
                            if self.options.pg_version.identity_columns() {
                                " AND a.attidentity = ''"
                            } else {
                                ""
                            },
                        ),
                    ],
                ),
                fill!("templates/restore_not_null_unknown.sql", &[(
                        "message",
                        &lit(&format!(
                            "{table}.{column} stays nullable: if it was NOT NULL, fill the rows \
                             written since and SET NOT NULL (plan with --not-null for this rollback)"
                        )),
                    )],
                ),
                "A NOT NULL column without a default fails every INSERT of code that stops \
                 writing it: this step drops such a NOT NULL, and does nothing otherwise. \
                 --not-null or --nullable states it.",
            ),
        };
        let up = format!("{}{up}", self.lock_timeout());
        let down = match self.known(&self.options.not_null).copied() {
            Some(true) => format!("{}{down}", self.lock_timeout()),
            _ => down,
        };
        let before = format!(
            "runs before release {}, which stops writing {table}.{column}, is deployed",
            self.label(k)
        );
        self.migration(
            k,
            StepPhase::Regular,
            &format!("allow_null_{}_{}", t.name, column),
            format!("Let {table}.{column} be NULL while the code stops writing it"),
            why,
            up,
            Some(down),
        )
        .requires
        .push(before);
    }

    /// The application step of release `k`, whose post-deploy migrations
    /// change the type of `column` under its running code: PostgreSQL
    /// refuses to run a prepared statement whose result (or parameter)
    /// types changed since it was prepared, so the release serves without
    /// server-side prepared statements, and the next one turns them back on.
    pub fn no_prepared_statements(&mut self, k: u32, column: &str) {
        let (lk, next) = (self.label(k), self.label(k + 1));
        let code = if self.rails() {
            format!(
                "Deploy release {lk} with `prepared_statements: false` in config/database.yml \
                 (GitLab runs that way), and turn it back on in release {next}. Rails prepares \
                 every query by default: once the swap changes the type of `{column}`, each \
                 prepared query that names it fails with `cached plan must not change result \
                 type`. Rails clears its cache and retries outside a transaction, but inside one \
                 it raises ActiveRecord::PreparedStatementCacheExpired."
            )
        } else {
            format!(
                "Serve release {lk} without server-side prepared statements that name \
                 `{column}` (pgjdbc: prepareThreshold=0; pgx: QueryExecModeExec; Npgsql: no \
                 auto-prepare), or re-prepare and retry on SQLSTATE 0A000; turn them back on in \
                 release {next}."
            )
        };
        let step = self.application(
            k,
            "prepared_statements",
            format!("No prepared statements that name {column} across the swap"),
            "The swap changes the column's type under this release's code, and PostgreSQL \
             refuses a prepared statement whose types changed (`cached plan must not change \
             result type`). Processes deployed after the swap prepare against the new type.",
            code,
        );
        step.requires.push(format!(
            "runs before the swap of {column}, and until release {next} is deployed"
        ));
    }

    /// `EXECUTE FUNCTION` (PostgreSQL 11+) or `EXECUTE PROCEDURE`.
    pub fn execute_function(&self) -> &'static str {
        if self.options.pg_version.procedures_and_execute_function() {
            "EXECUTE FUNCTION"
        } else {
            "EXECUTE PROCEDURE"
        }
    }

    /// Whether a DO block may COMMIT between batches (PostgreSQL 11+).
    pub fn can_commit_in_do(&self) -> bool {
        self.options.pg_version.procedures_and_execute_function()
    }

    /// A batched `UPDATE table SET set WHERE pending` walking the batch
    /// column in ranges of `batch` rows, committing after each batch. Runs
    /// outside a transaction. `label` shows in `pg_stat_activity` while it runs.
    pub fn batched_update(
        &self,
        table: &Table,
        set: &str,
        pending: Option<&str>,
        batch: u32,
        label: &str,
    ) -> String {
        let key = ident(&self.options.batch_column);
        let cond = match pending {
            Some(p) => format!("\n      AND ({p})"),
            None => String::new(),
        };
        let commit = if self.can_commit_in_do() {
            "\n    COMMIT;"
        } else {
            ""
        };
        let t = table.sql();
        let label = lit(&format!("zerodown: {label} %s/%s"));
        fill!(
            "templates/batched_update.sql",
            &[
                ("key", &key),
                ("t", &t),
                ("set", set),
                ("batch", &batch.to_string()),
                ("cond", &cond),
                ("label", &label),
                ("commit", commit),
            ],
        )
    }

    /// A progress query for a batched step: rows still pending, or, with no
    /// pending condition, the running loop's position.
    pub fn progress(&self, table: &Table, pending: Option<&str>, label: &str) -> String {
        match pending {
            Some(p) => format!(
                "SELECT count(*) AS remaining FROM {} WHERE {p};",
                table.sql()
            ),
            None => format!(
                "SELECT application_name AS position FROM pg_stat_activity \
                 WHERE application_name LIKE {};",
                lit(&format!("zerodown: {label} %"))
            ),
        }
    }
}

/// A DO block that fails with `message`: the rollback of a step that cannot
/// be undone from what the plan knows.
pub fn raise_exception(message: &str) -> String {
    fill!(
        "templates/raise_exception.sql",
        &[("message", &lit(message))],
    )
}

/// The current type of `table.column`, as an SQL expression read from the catalog.
pub fn type_of(table: &Table, column: &str) -> String {
    format!(
        "(SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped)",
        table.regclass(),
        lit(column)
    )
}

/// `ALTER TABLE t ADD COLUMN c <type>`, with the type known or read from `like_column`.
pub fn add_column_like(table: &Table, column: &str, known: Option<&str>, like: &str) -> String {
    match known {
        Some(ty) => format!(
            "ALTER TABLE {} ADD COLUMN {} {ty};\n",
            table.sql(),
            ident(column)
        ),
        None => fill!(
            "templates/add_column_like.sql",
            &[
                ("regclass", &table.regclass()),
                ("column_lit", &lit(column)),
                ("type", &type_of(table, like)),
            ],
        ),
    }
}

/// Copies the CHECK and FOREIGN KEY constraints on `from` to `to` as NOT
/// VALID (a brief lock, no scan), and a NOT NULL as a NOT VALID
/// `CHECK (to IS NOT NULL)`. Names: `from` replaced by `to`.
pub fn copy_constraints(table: &Table, from: &str, to: &str) -> String {
    let rc = table.regclass();
    let from_l = lit(from);
    let to_l = lit(to);
    let nn = lit(&object_name(&[&table.name, to, "not_null"]));
    fill!(
        "templates/copy_constraints.sql",
        &[
            ("rc", &rc),
            ("from_l", &from_l),
            ("to_l", &to_l),
            ("nn", &nn),
        ],
    )
}

/// Drops what [`copy_constraints`] added (the rollback).
pub fn drop_copied_constraints(table: &Table, to: &str) -> String {
    let rc = table.regclass();
    let to_l = lit(to);
    fill!(
        "templates/drop_copied_constraints.sql",
        &[("rc", &rc), ("to_l", &to_l)],
    )
}

/// Validates every NOT VALID constraint on `column` (SHARE UPDATE EXCLUSIVE:
/// reads and writes go on), then, on PostgreSQL 12+, turns the NOT NULL
/// check into `SET NOT NULL` (which uses the validated check instead of a
/// scan) and drops the check.
pub fn validate_constraints(
    table: &Table,
    column: &str,
    pg_version: crate::model::PgVersion,
) -> String {
    let rc = table.regclass();
    let col_l = lit(column);
    let nn = lit(&object_name(&[&table.name, column, "not_null"]));
    let set_nn = if pg_version.set_not_null_uses_validated_check() {
        fill!(
            "templates/set_not_null_from_check.sql",
            &[("rc", &rc), ("nn", &nn), ("col_l", &col_l)],
        )
    } else {
        String::new()
    };
    fill!(
        "templates/validate_constraints.sql",
        &[("rc", &rc), ("col_l", &col_l), ("set_not_null", &set_nn)],
    )
}

/// Rollback of [`validate_constraints`]: the column becomes nullable again
/// with its NOT VALID check back (validation itself needs no undoing).
pub fn unvalidate_not_null(table: &Table, column: &str) -> String {
    let rc = table.regclass();
    let col_l = lit(column);
    let nn = lit(&object_name(&[&table.name, column, "not_null"]));
    fill!(
        "templates/unvalidate_not_null.sql",
        &[("rc", &rc), ("col_l", &col_l), ("nn", &nn)],
    )
}

/// Fails, listing the `CREATE INDEX CONCURRENTLY` statements to add, while
/// an index on `from` has no copy on `to`. Indexes cannot be built
/// concurrently from inside a DO block, so the statements go into a
/// migration of their own, which the failure spells out.
pub fn index_guard(table: &Table, from: &str, to: &str, skip_primary: bool) -> String {
    let skip = if skip_primary {
        " AND NOT i.indisprimary"
    } else {
        ""
    };
    let rc = table.regclass();
    let from_l = lit(from);
    let to_l = lit(to);
    fill!(
        "templates/index_guard.sql",
        &[
            ("rc", &rc),
            ("from_l", &from_l),
            ("to_l", &to_l),
            ("skip", skip),
        ],
    )
}

/// The trigger function and trigger keeping `to` in step with `from`.
/// Two-way (a rename: old code writes `from`, new code writes `to`) or
/// one-way with `expr`, an expression over the row's columns (a type change).
pub struct Sync {
    /// Function, qualified as SQL.
    pub function: String,
    /// Trigger name.
    pub trigger: String,
}

impl Sync {
    /// Names for syncing `from` to `to` on `table`.
    pub fn new(table: &Table, from: &str, to: &str) -> Sync {
        let f = object_name(&["sync", &table.name, from, "to", to]);
        let function = match &table.schema {
            Some(s) => format!("{}.{}", ident(s), ident(&f)),
            None => ident(&f),
        };
        Sync {
            function,
            trigger: ident(&object_name(&["trigger", &table.name, from, "to", to])),
        }
    }

    /// CREATE OR REPLACE FUNCTION (replacing it also makes every session
    /// recompile it against the table's current columns).
    pub fn function(&self, from: &str, to: &str, expr: Option<&str>) -> String {
        let (a, b) = (ident(from), ident(to));
        let body = match expr {
            None => fill!("templates/sync_two_way.sql", &[("a", &a), ("b", &b)],),
            Some(e) if e == a => format!("  NEW.{b} := NEW.{a};\n"),
            Some(e) => format!("  NEW.{b} := (SELECT {e} FROM (SELECT NEW.*) AS row_values);\n"),
        };
        fill!(
            "templates/sync_function.sql",
            &[("function", &self.function), ("body", &body)],
        )
    }

    /// The function and the trigger. `expr`: None for a two-way copy.
    pub fn create(
        &self,
        cx: &Ctx<'_>,
        table: &Table,
        from: &str,
        to: &str,
        expr: Option<&str>,
    ) -> String {
        format!(
            "{}CREATE TRIGGER {t} BEFORE INSERT OR UPDATE ON {ts} FOR EACH ROW {ex} {f}();\n",
            self.function(from, to, expr),
            f = self.function,
            t = self.trigger,
            ts = table.sql(),
            ex = cx.execute_function(),
        )
    }

    /// DROP TRIGGER + DROP FUNCTION.
    pub fn drop(&self, table: &Table) -> String {
        format!(
            "DROP TRIGGER IF EXISTS {} ON {};\nDROP FUNCTION IF EXISTS {}();\n",
            self.trigger,
            table.sql(),
            self.function
        )
    }
}

/// Renames the constraints and indexes on `column` whose names contain
/// `from`, replacing it with `to`.
pub fn rename_objects(table: &Table, column: &str, from: &str, to: &str) -> String {
    let rc = table.regclass();
    let (col_l, from_l, to_l) = (lit(column), lit(from), lit(to));
    // The index named `o.name`, in the table's schema (one line of the
    // template would be too long to read with it).
    let index = format!(
        "(SELECT c.oid::regclass FROM pg_class c WHERE c.relname = o.name \
         AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = {rc}))"
    );
    fill!(
        "templates/rename_objects.sql",
        &[
            ("rc", &rc),
            ("index", &index),
            ("col_l", &col_l),
            ("from_l", &from_l),
            ("to_l", &to_l),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(ident("users"), "users");
        assert_eq!(ident("user"), "\"user\"");
        assert_eq!(ident("Users"), "\"Users\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(lit("it's"), "'it''s'");
    }

    #[test]
    fn fill_replaces_named_placeholders_only() {
        assert_eq!(
            Template::new("a {x} '{}' {b}{x}{").fill(&[("x", "{b}"), ("b", "2")]),
            "a {b} '{}' 2{b}{"
        );
    }

    #[test]
    #[should_panic(expected = "has no value")]
    fn fill_refuses_a_placeholder_without_a_value() {
        Template::new("{table} {colum}").fill(&[("table", "t")]);
    }

    #[test]
    #[should_panic(expected = "fills no placeholder")]
    fn fill_refuses_a_value_without_a_placeholder() {
        Template::new("{table}").fill(&[("table", "t"), ("column", "c")]);
    }

    #[test]
    fn names_stay_within_63_bytes() {
        let long = "a".repeat(70);
        let n = object_name(&[&long, "id"]);
        assert_eq!(n.len(), 63);
        assert_ne!(n, object_name(&[&long, "ie"]));
    }

    #[test]
    fn model_names() {
        assert_eq!(model_name("users"), "User");
        assert_eq!(
            model_name("public.merge_request_metrics"),
            "MergeRequestMetric"
        );
        assert_eq!(model_name("ci_builds"), "CiBuild");
        assert_eq!(model_name("issues"), "Issue");
        assert_eq!(model_name("categories"), "Category");
        assert_eq!(model_name("status"), "Status");
        assert_eq!(model_name("addresses"), "Address");
    }
}
