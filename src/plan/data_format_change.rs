//! data-format-change: a new column in the new format, an initial copy,
//! the code moves to it, and a post-deploy copy of what was written in between.

use super::sql::{ident, Sync, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::DataFormatChange {
        table,
        column,
        new_column,
        new_type,
        transform,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    super::sql::check_identifier("new column", new_column)?;
    if transform.trim().is_empty() || new_type.trim().is_empty() {
        return Err(Error::new(ErrorCode::BadChange, "data-format-change needs the new column's type and the expression that converts the old value"));
    }
    let (ts, old, new) = (t.sql(), ident(column), ident(new_column));
    let sync = Sync::new(&t, column, new_column);
    let up = format!(
        "{}ALTER TABLE {ts} ADD COLUMN {new} {};\n{}",
        cx.lock_timeout(),
        new_type.trim(),
        sync.create(cx, &t, column, new_column, Some(transform))
    );
    let down = format!(
        "{}{}ALTER TABLE {ts} DROP COLUMN IF EXISTS {new};\n",
        cx.lock_timeout(),
        sync.drop(&t)
    );
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{}_{}", t.name, new_column),
        format!("Add {table}.{new_column} in the new format"),
        "The new format lives in its own column, so old code keeps reading and writing the \
         old one untouched. A trigger converts every write of the old column, so rows \
         written by the old code during the deploy arrive in the new format too.",
        up,
        Some(down),
    );
    let pending = format!("{new} IS NULL AND {old} IS NOT NULL");
    let label = format!("convert {}.{column}", t.name);
    let progress = cx.progress(&t, Some(&pending), &label);
    let step = cx.migration(0, StepPhase::Regular, &format!("copy_{}_{}_to_{}", t.name, column, new_column), "Convert the existing rows in batches".to_string(),
        "Existing rows are converted in batches, each its own short transaction, before the new code that reads the new column is deployed. Copying needs no rollback.",
        cx.batched_update(&t, &format!("{new} = {transform}"), Some(&pending), cx.options.batch_size, &label), None);
    step.outside_transaction = true;
    step.progress = Some(progress);
    cx.allow_null(0, &t, table, column);
    cx.application(0, "use_new_format", format!("Read and write {new_column}"), "The new code uses the new format; the old column is left as it is (drop it later with drop-column).",
        format!("Make the code read and write {table}.{new_column} instead of {column}. The old column stays until a later drop-column; a NOT NULL on it was dropped by the step before."));
    let l0 = cx.label(0);
    let step = cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("finish_{}_{}_conversion", t.name, column),
        "Remove the trigger and convert what is left".to_string(),
        "Every node runs the new code, which writes the new column itself, so the trigger \
         goes. Anything converted neither by the trigger nor by the first copy is converted \
         now. Its rollback puts the trigger back.",
        format!(
            "{}{}{}",
            cx.with_lock_retries(&sync.drop(&t)),
            cx.session_lock_timeout(),
            cx.batched_update(
                &t,
                &format!("{new} = {transform}"),
                Some(&pending),
                cx.options.batch_size,
                &label
            )
        ),
        Some(cx.with_lock_retries(&sync.create(cx, &t, column, new_column, Some(transform)))),
    );
    step.outside_transaction = true;
    step.requires.push(format!(
        "release {l0}, which uses {new_column}, runs everywhere"
    ));
    Ok(())
}
