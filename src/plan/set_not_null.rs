//! set-not-null: a NOT VALID check, validated in a separate migration, then
//! SET NOT NULL (which, from PostgreSQL 12, uses the check and skips the scan).

use super::sql::{ident, object_name, Table};
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::SetNotNull { table, column } = change else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    let c = ident(column);
    let check = ident(&object_name(&[&t.name, column, "not_null"]));
    let ts = t.sql();
    let code = if cx.rails() {
        format!("Make every write set `{column}` (e.g. `validates :{column}, presence: true` in {}) and backfill the rows where it is NULL.", super::sql::model_name(&table.name))
    } else {
        format!("Make every code path that inserts or updates {table} set `{column}`, and backfill the rows where it is NULL.")
    };
    cx.application(
        0,
        "write_not_null",
        format!("Always write {table}.{column}"),
        "The constraint rejects NULLs from the moment it is added, so no running code may still write them.",
        code,
    );
    let l0 = cx.label(0);
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("add_{}_{}_not_null_check", t.name, column),
        format!("Add CHECK ({column} IS NOT NULL) NOT VALID"),
        "NOT VALID skips the scan of existing rows: the ACCESS EXCLUSIVE lock is held only for an instant, and new writes are checked from now on.",
        format!("{}ALTER TABLE {ts} ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID;\n", cx.lock_timeout()),
        Some(format!("{}ALTER TABLE {ts} DROP CONSTRAINT IF EXISTS {check};\n", cx.lock_timeout())),
    )
    .requires
    .push(format!("release {l0}, which always writes {column}, runs everywhere"));
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("validate_{}_{}_not_null_check", t.name, column),
        format!("Validate the NOT NULL check on {table}.{column}"),
        if cx.options.pg_version.set_not_null_uses_validated_check() {
            "VALIDATE scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads \
             and writes go on. It is a migration of its own so that the scan does not run \
             inside the transaction that took the ACCESS EXCLUSIVE lock. Validation needs no \
             rollback."
        } else {
            "VALIDATE scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads \
             and writes go on. Before PostgreSQL 12, SET NOT NULL would scan the table again \
             under an ACCESS EXCLUSIVE lock, so the validated check stays as the constraint. \
             Validation needs no rollback."
        },
        format!("ALTER TABLE {ts} VALIDATE CONSTRAINT {check};\n"),
        None,
    )
    .requires
    .push(format!("no row of {table} has {column} NULL"));
    if cx.options.pg_version.set_not_null_uses_validated_check() {
        cx.migration(
            0,
            StepPhase::PostDeploy,
            &format!("set_{}_{}_not_null", t.name, column),
            format!("SET NOT NULL on {table}.{column} and drop the check"),
            "From PostgreSQL 12, SET NOT NULL uses the validated check as proof and skips the full-table scan, so the ACCESS EXCLUSIVE lock is brief; the check is then redundant.",
            super::sql::fill!("templates/set_not_null.sql", &[
                    ("lock_timeout", &cx.lock_timeout()),
                    ("ts", &ts),
                    ("c", &c),
                    ("check", &check),
                ],
            ),
            Some(super::sql::fill!("templates/set_not_null_back.sql", &[
                    ("lock_timeout", &cx.lock_timeout()),
                    ("ts", &ts),
                    ("c", &c),
                    ("check", &check),
                ],
            )),
        );
    }
    Ok(())
}
