//! add-check-constraint: NOT VALID, then VALIDATE in a separate migration.

use super::sql::{fnv, ident, object_name, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::AddCheckConstraint {
        table,
        name,
        expression,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    if expression.trim().is_empty() {
        return Err(Error::new(
            ErrorCode::BadChange,
            "add-check-constraint needs the CHECK expression",
        ));
    }
    let name = match name {
        Some(n) => {
            super::sql::check_identifier("constraint", n)?;
            n.clone()
        }
        None => object_name(&["check", &t.name, &format!("{:08x}", fnv(expression))]),
    };
    let n = ident(&name);
    let ts = t.sql();
    cx.application(
        0,
        "write_valid_rows",
        format!("Only write rows of {table} that satisfy the check"),
        "The constraint rejects bad writes from the moment it is added, so no running code may still make them.",
        format!("Make every code path that writes {table} keep `{expression}` true (e.g. a model validation), and fix the existing rows that break it."),
    );
    let l0 = cx.label(0);
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("add_{name}"),
        format!("Add CHECK ({expression}) NOT VALID as {name}"),
        "NOT VALID skips the scan of existing rows, so the ACCESS EXCLUSIVE lock lasts an instant; new writes are checked from now on.",
        format!("{}ALTER TABLE {ts} ADD CONSTRAINT {n} CHECK ({expression}) NOT VALID;\n", cx.lock_timeout()),
        Some(format!("{}ALTER TABLE {ts} DROP CONSTRAINT IF EXISTS {n};\n", cx.lock_timeout())),
    )
    .requires
    .push(format!("release {l0}, which writes only valid rows, runs everywhere"));
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("validate_{name}"),
        format!("Validate {name}"),
        "VALIDATE scans existing rows under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on. Validation needs no rollback.",
        format!("ALTER TABLE {ts} VALIDATE CONSTRAINT {n};\n"),
        None,
    )
    .requires
    .push(format!("no existing row of {table} breaks the check"));
    Ok(())
}
