//! add-unique-constraint: a unique index built concurrently, then
//! ADD CONSTRAINT ... USING INDEX (an instant catalog change).

use super::sql::{ident, object_name, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::AddUniqueConstraint {
        table,
        columns,
        name,
        primary_key,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    if columns.is_empty() {
        return Err(Error::new(
            ErrorCode::BadChange,
            "a unique constraint needs at least one column",
        ));
    }
    for c in columns {
        super::sql::check_identifier("column", c)?;
    }
    let name = match name {
        Some(n) => n.clone(),
        None if *primary_key => object_name(&[&t.name, "pkey"]),
        None => {
            let mut parts: Vec<&str> = vec![&t.name];
            parts.extend(columns.iter().map(String::as_str));
            parts.push("key");
            object_name(&parts)
        }
    };
    super::sql::check_identifier("constraint", &name)?;
    let n = ident(&name);
    let qualified = match &t.schema {
        Some(s) => format!("{}.{n}", ident(s)),
        None => n.clone(),
    };
    let cols = columns
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let ts = t.sql();
    let kind = if *primary_key {
        "PRIMARY KEY"
    } else {
        "UNIQUE"
    };
    let step = cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{name}_index"),
        format!("Build the unique index {name} concurrently"),
        "ADD CONSTRAINT UNIQUE would build the index under a lock that blocks writes. \
         Building it CONCURRENTLY first keeps writes going; it must run outside a \
         transaction. The index is named like the constraint, so that USING INDEX keeps its \
         name. A failed build leaves an INVALID index, which IF NOT EXISTS would keep on a \
         retry: the step drops any leftover first (concurrently).",
        format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {qualified};\nCREATE UNIQUE INDEX CONCURRENTLY {n} ON {ts} ({cols});\n"
        ),
        Some(format!("DROP INDEX CONCURRENTLY IF EXISTS {qualified};\n")),
    );
    step.outside_transaction = true;
    step.requires.push(format!(
        "{table} holds no duplicate ({})",
        columns.join(", ")
    ));
    step.requires.push(format!(
        "no running release writes duplicate ({})",
        columns.join(", ")
    ));
    let step = cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{name}"),
        format!("Add the {kind} constraint {name} using the index"),
        "USING INDEX turns the valid unique index into the constraint without a scan: the ACCESS EXCLUSIVE lock lasts an instant. Its rollback drops the constraint and the index with it.",
        format!("{}ALTER TABLE {ts} ADD CONSTRAINT {n} {kind} USING INDEX {n};\n", cx.lock_timeout()),
        Some(format!("{}ALTER TABLE {ts} DROP CONSTRAINT IF EXISTS {n};\n", cx.lock_timeout())),
    );
    if *primary_key {
        step.requires.push(format!(
            "{} NOT NULL already (otherwise PRIMARY KEY scans the table to set it)",
            columns.join(", ")
        ));
    }
    Ok(())
}
