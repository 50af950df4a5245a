//! drop-column: ignore the column (M), drop it post-deploy (M+1), remove
//! the ignore (M+2).

use super::sql::{ident, Table};
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::DropColumn { table, column } = change else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    let c = ident(column);
    let m2 = cx.label(2);
    cx.allow_null(0, &t, table, column);
    cx.ignore_columns(
        0,
        table,
        &[column],
        2,
        "Remove every reference to the column (queries, validations, serializers).",
    )
    .requires
    .push(format!("no code reads or writes {table}.{column}"));
    let down = match cx.known(&cx.options.column_type) {
        Some(ty) => format!(
            "{}ALTER TABLE {} ADD COLUMN IF NOT EXISTS {c} {ty};\n",
            cx.lock_timeout(),
            t.sql()
        ),
        None => super::sql::raise_exception(&format!(
            "the type of {table}.{column} is unknown, so it cannot be re-added: plan with \
             --type TYPE to get the rollback (its data is gone either way)"
        )),
    };
    let sql = format!(
        "{}ALTER TABLE {} DROP COLUMN IF EXISTS {c};\n",
        cx.lock_timeout(),
        t.sql()
    );
    let l0 = cx.label(0);
    let step = cx.migration(
        1,
        StepPhase::PostDeploy,
        &format!("remove_{}_{}", t.name, column),
        format!("Drop {table}.{column}"),
        "Every deployment now runs code that ignores the column, so dropping it breaks \
         nothing. It is a post-deploy migration so that it runs only once the whole release \
         is out. Dropping a column is instant (no rewrite), but takes an ACCESS EXCLUSIVE \
         lock: short lock timeouts, retried, keep it from queueing every query behind it for \
         long. The rollback re-adds an empty column; the data does not come back.",
        sql,
        Some(down),
    );
    step.requires.push(format!(
        "release {l0}, which ignores the column, runs everywhere"
    ));
    let _ = m2;
    cx.remove_ignore(2, table, &[column]);
    Ok(())
}
