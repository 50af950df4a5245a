//! drop-table: stop using the table, then drop it post-deploy.

use super::sql::Table;
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::DropTable { table } = change else {
        return Ok(());
    };
    let t = Table::of(table)?;
    let code = if cx.rails() {
        format!("Remove the {} model and every reference to `{}`; add the table to db/docs/deleted_tables.", super::sql::model_name(&table.name), t.name)
    } else {
        format!("Remove every query, model and job that reads or writes {table}.")
    };
    cx.application(
        0,
        "stop_using_table",
        format!("Stop using {table}"),
        "Dropping a table that running code still queries breaks those queries.",
        code,
    );
    let l0 = cx.label(0);
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("drop_{}", t.name),
        format!("Drop {table}"),
        "A post-deploy migration runs once every node runs the code that no longer uses the \
         table. DROP TABLE takes an ACCESS EXCLUSIVE lock (on referenced tables too, for \
         foreign keys): the lock timeout makes it give up rather than queue queries. The \
         rollback cannot bring the data back.",
        format!("{}DROP TABLE IF EXISTS {};\n", cx.lock_timeout(), t.sql()),
        Some(super::sql::raise_exception(&format!(
            "{table} was dropped with its data: restore it from a backup"
        ))),
    )
    .requires
    .push(format!(
        "release {l0}, which no longer uses {table}, runs everywhere"
    ));
    Ok(())
}
