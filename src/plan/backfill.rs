//! backfill: a batched background migration, with its progress query.

use super::sql::Table;
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::Backfill {
        table,
        set,
        predicate,
        batch_size,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    if set.trim().is_empty() {
        return Err(Error::new(
            ErrorCode::BadChange,
            "a backfill needs the SET list (col = expr)",
        ));
    }
    let batch = batch_size.unwrap_or(cx.options.batch_size);
    if batch == 0 {
        return Err(Error::new(
            ErrorCode::BadChange,
            "the batch size must be at least 1",
        ));
    }
    let code = format!(
        "Make the code write `{set}` itself for every row it inserts or updates{}, so that the \
         backfill has a fixed amount of work.",
        predicate
            .as_deref()
            .map(|p| format!(" (rows where {p})"))
            .unwrap_or_default()
    );
    cx.application(
        0,
        "write_new_values",
        format!("Write the new values for new rows of {table}"),
        "Rows written while the backfill runs must not need it.",
        code,
    );
    let label = format!("backfill {}", t.name);
    let l0 = cx.label(0);
    let pending = predicate.as_deref();
    let progress = cx.progress(&t, pending, &label);
    let step = cx.migration(
        0,
        StepPhase::Background,
        &format!("backfill_{}", t.name),
        format!("Backfill {table} in batches of {batch}"),
        "One UPDATE over a large table holds row locks on every row until it commits, bloats \
         the table and can stall replication. Batches of a few rows, each committed on its \
         own, keep every lock short. It runs outside a transaction. There is no rollback: \
         the previous values are not kept (copy them to a column first if you may need them).",
        cx.batched_update(&t, set, pending, batch, &label),
        None,
    );
    step.outside_transaction = true;
    step.progress = Some(progress);
    step.requires.push(format!(
        "release {l0}, which writes the new values itself, runs everywhere"
    ));
    Ok(())
}
