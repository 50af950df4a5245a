//! drop-column: ignore the column (M), drop it post-deploy (M+1), remove
//! the ignore (M+2).

use super::sql::{fill, ident, lit, Table};
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::DropColumn { table, column } = change else {
        return Ok(());
    };
    let t = Table::parse(table)?;
    super::sql::check_identifier("column", column)?;
    let c = ident(column);
    let m2 = cx.label(2);
    allow_null(cx, &t, table, column);
    cx.ignore_columns(
        0,
        table,
        &[column],
        2,
        "Remove every reference to the column (queries, validations, serializers).",
    )
    .requires
    .push(format!("no code reads or writes {table}.{column}"));
    let down = match &cx.options.column_type {
        Some(ty) => format!(
            "ALTER TABLE {} ADD COLUMN IF NOT EXISTS {c} {ty};\n",
            t.sql()
        ),
        None => format!(
            "DO $$\nBEGIN\n  RAISE EXCEPTION '%', {};\nEND\n$$;\n",
            lit(&format!(
                "the type of {table}.{column} is unknown, so it cannot be re-added: plan with --type TYPE to get the rollback (its data is gone either way)"
            ))
        ),
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
        "Every deployment now runs code that ignores the column, so dropping it breaks nothing. It is a post-deploy migration so that it runs only once the whole release is out. Dropping a column is instant (no rewrite), but takes an ACCESS EXCLUSIVE lock: short lock timeouts, retried, keep it from queueing every query behind it for long. The rollback re-adds an empty column; the data does not come back.",
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

/// The regular migration of release M that lets the column be NULL before
/// the code stops writing it: once the new code ignores a NOT NULL column
/// without a default, every INSERT it sends fails.
fn allow_null(cx: &mut Ctx<'_>, t: &Table, table: &str, column: &str) {
    let c = ident(column);
    let ts = t.sql();
    let (up, down, why) = match cx.options.not_null {
        Some(false) => return,
        Some(true) => (
            format!("ALTER TABLE {ts} ALTER COLUMN {c} DROP NOT NULL;\n"),
            fill(
                include_str!("templates/restore_not_null.sql"),
                &[
                    ("table", &ts),
                    ("column", &c),
                    ("message", &lit(&format!("rows written since {table}.{column} became nullable have no value in it: give them one (UPDATE ... WHERE {column} IS NULL), then roll back again"))),
                ],
            ),
            "The column is NOT NULL without a default: once the code stops writing it, every INSERT would fail. Dropping the NOT NULL is a catalog change under a brief ACCESS EXCLUSIVE lock. The rollback restores it (a scan of the table under that lock), and says which rows need a value first.",
        ),
        None => (
            fill(
                include_str!("templates/allow_null_if_required.sql"),
                &[
                    ("regclass", &t.regclass()),
                    ("column_lit", &lit(column)),
                    ("table", &ts),
                    ("column", &c),
                    ("identity", if cx.options.pg_version >= 10 { " AND a.attidentity = ''" } else { "" }),
                ],
            ),
            fill(
                include_str!("templates/restore_not_null_unknown.sql"),
                &[("message", &lit(&format!("zerodown does not know whether {table}.{column} was NOT NULL before this migration, so it leaves it nullable: if it was, give the rows written since a value and run ALTER TABLE {ts} ALTER COLUMN {c} SET NOT NULL (plan with --not-null to get that rollback)")))],
            ),
            "If the column is NOT NULL without a default, every INSERT of code that no longer writes it fails, so this step drops the NOT NULL when the catalog says so, and does nothing otherwise. Plan with --not-null or --nullable to state it (and get an exact rollback).",
        ),
    };
    let up = format!("{}{up}", cx.lock_timeout());
    let down = match cx.options.not_null {
        Some(true) => format!("{}{down}", cx.lock_timeout()),
        _ => down,
    };
    let before = format!(
        "runs before release {}, which stops writing {table}.{column}, is deployed",
        cx.label(0)
    );
    cx.migration(
        0,
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
