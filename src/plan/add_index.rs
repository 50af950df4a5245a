//! add-index: CREATE INDEX CONCURRENTLY, outside a transaction.

use super::sql::{ident, object_name, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

/// `index_users_on_email`, as Rails names them.
pub(crate) fn default_name(table: &Table, columns: &[String], unique: bool) -> String {
    let cols: Vec<String> = columns
        .iter()
        .map(|c| {
            c.chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() {
                        ch.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
                .trim_matches('_')
                .to_string()
        })
        .collect();
    let on = cols.join("_and_");
    let prefix = if unique { "index_unique" } else { "index" };
    object_name(&[prefix, &table.name, "on", &on])
}

/// A key column as SQL: plain names are quoted when needed, expressions kept.
pub(crate) fn key(c: &str) -> String {
    let c = c.trim();
    if c.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        ident(c)
    } else {
        c.to_string()
    }
}

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::AddIndex {
        table,
        columns,
        name,
        unique,
        method,
        predicate,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    if columns.is_empty() {
        return Err(Error::new(
            ErrorCode::BadChange,
            "an index needs at least one column",
        ));
    }
    // A schema-qualified index name is allowed in DROP, not in CREATE.
    let bare = name
        .as_ref()
        .map_or_else(|| default_name(&t, columns, *unique), |n| n.name.clone());
    super::sql::check_identifier("index", &bare)?;
    let n = ident(&bare);
    let dropped = match &t.schema {
        Some(s) => format!("{}.{n}", ident(s)),
        None => n.clone(),
    };
    let using = match method {
        Some(m) => format!(" USING {}", m.trim()),
        None => String::new(),
    };
    let cols = columns
        .iter()
        .map(|c| key(c))
        .collect::<Vec<_>>()
        .join(", ");
    let pred = match predicate {
        Some(p) => format!(" WHERE {p}"),
        None => String::new(),
    };
    let u = if *unique { "UNIQUE " } else { "" };
    let step = cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{bare}"),
        format!("Create {bare} concurrently"),
        "CREATE INDEX CONCURRENTLY builds the index without blocking writes (it waits for \
         running transactions instead), and must run outside a transaction. If it fails it \
         leaves an INVALID index behind, which IF NOT EXISTS would keep on a retry: the step \
         drops any leftover first (concurrently), so rerunning it builds the index again.",
        format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {dropped};\nCREATE {u}INDEX CONCURRENTLY {n} ON {}{using} ({cols}){pred};\n",
            t.sql()
        ),
        Some(format!("DROP INDEX CONCURRENTLY IF EXISTS {dropped};\n")),
    );
    step.outside_transaction = true;
    if *unique {
        step.requires.push(format!(
            "{table} holds no duplicate ({})",
            columns.join(", ")
        ));
    }
    Ok(())
}
