//! change-column-default: tell the application the default is changing (M),
//! change it post-deploy (M), clean up the marker the next minor (M+1).

use super::sql::{ident, Table};
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::ChangeColumnDefault {
        table,
        column,
        default,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    let c = ident(column);
    let ts = t.sql();
    let code = if cx.rails() {
        format!("class {} < ApplicationRecord\n  include SafelyChangeColumnDefault\n\n  columns_changing_default :{column}\nend", super::sql::model_name(&table.name))
    } else {
        format!(
            "Make the code stop relying on the database default of {table}.{column}: write the \
             value explicitly, and never send the old default as if it were \"no value\" (ORMs \
             that cache the default may omit it or replace it)."
        )
    };
    cx.application(
        0,
        "mark_default_changing",
        format!("Mark {table}.{column} as changing default"),
        "An ORM that caches defaults may skip writing a value equal to the old default, leaving it to the database, which by then applies the new one. The marker makes it always send the value.",
        code,
    );
    let sql = match default {
        Some(d) => format!(
            "{}ALTER TABLE {ts} ALTER COLUMN {c} SET DEFAULT {d};\n",
            cx.lock_timeout()
        ),
        None => format!(
            "{}ALTER TABLE {ts} ALTER COLUMN {c} DROP DEFAULT;\n",
            cx.lock_timeout()
        ),
    };
    let down = match cx.known(&cx.options.previous_default) {
        Some(d) if d.trim().eq_ignore_ascii_case("null") || d.trim().is_empty() => {
            format!(
                "{}ALTER TABLE {ts} ALTER COLUMN {c} DROP DEFAULT;\n",
                cx.lock_timeout()
            )
        }
        Some(d) => format!(
            "{}ALTER TABLE {ts} ALTER COLUMN {c} SET DEFAULT {d};\n",
            cx.lock_timeout()
        ),
        None => super::sql::raise_exception(&format!(
            "the previous default of {table}.{column} is unknown: plan with --from VALUE to get \
             the rollback"
        )),
    };
    let l0 = cx.label(0);
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("change_{}_{}_default", t.name, column),
        format!("Change the default of {table}.{column}"),
        "Changing a default is a catalog change (no rewrite), but takes an ACCESS EXCLUSIVE lock for an instant. It runs post-deploy, once every node runs code that knows the default is changing.",
        sql,
        Some(down),
    )
    .requires
    .push(format!("release {l0}, which marks the column, runs everywhere"));
    let code = if cx.rails() {
        format!("Remove `columns_changing_default :{column}` (and `include SafelyChangeColumnDefault` if nothing else needs it).")
    } else {
        format!("The special handling of {table}.{column}'s default may go.")
    };
    let l0b = cx.label(0);
    cx.application(
        1,
        "remove_default_marker",
        "Remove the changing-default marker".into(),
        "Self-managed upgrades bundle a whole minor release into one deployment, so the marker \
         must stay until the next minor.",
        code,
    )
    .requires
    .push(format!("release {l0b} has shipped"));
    Ok(())
}
