//! rename-column: a new column kept in sync by a trigger, a batched copy,
//! copies of the constraints and a check of the indexes (M, regular); the
//! code switches to the new name and ignores the old one (M); the old
//! column goes post-deploy (M); the ignore goes in M+1.

use super::sql::{
    add_column_like, copy_constraints, drop_copied_constraints, ident, index_guard,
    unvalidate_not_null, validate_constraints, Sync, Table,
};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::RenameColumn {
        table,
        column,
        new_name,
        column_type,
        has_default,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    super::sql::check_identifier("new column", new_name)?;
    if column == new_name {
        return Err(Error::new(
            ErrorCode::BadChange,
            format!("{table}.{column} already has that name"),
        ));
    }
    if *has_default {
        return Err(Error::new(
            ErrorCode::BadChange,
            format!(
                "{table}.{column} has a default, and a column with a default cannot be renamed \
                 without downtime: the old and new columns both fill in their default on insert, \
                 so the sync cannot tell a value the code wrote from the default. Drop the \
                 default first (change-column-default) and set it again after the rename, or add \
                 the new column and move the data with data-format-change"
            ),
        ));
    }
    let ty = column_type
        .as_deref()
        .or(cx.known(&cx.options.column_type).map(String::as_str));
    let ts = t.sql();
    let (old, new) = (ident(column), ident(new_name));
    let sync = Sync::new(&t, column, new_name);
    let batch = cx.options.batch_size;

    // 1. New column + sync trigger.
    let up = format!(
        "{}{}{}",
        cx.lock_timeout(),
        add_column_like(&t, new_name, ty, column),
        sync.create(cx, &t, column, new_name, None)
    );
    let down = format!(
        "{}{}ALTER TABLE {ts} DROP COLUMN IF EXISTS {new};\n",
        cx.lock_timeout(),
        sync.drop(&t)
    );
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{}_{}", t.name, new_name),
        format!("Add {table}.{new_name} and keep it in sync with {column}"),
        "The new column takes the old one's type. A trigger copies every write of either \
         column to the other, so old code (writing the old name) and new code (writing the \
         new name) see the same data while both run.",
        up,
        Some(down),
    );

    // 2. Batched copy.
    let pending = format!("{new} IS DISTINCT FROM {old}");
    let up = cx.batched_update(
        &t,
        &format!("{new} = {old}"),
        Some(&pending),
        batch,
        &format!("copy {}.{column} to {new_name}", t.name),
    );
    let progress = cx.progress(&t, Some(&pending), "");
    let step = cx.migration(
        0,
        StepPhase::Regular,
        &format!("copy_{}_{}_to_{}", t.name, column, new_name),
        format!("Copy {column} to {new_name} in batches"),
        "Rows written before the trigger existed are copied in batches, each in its own \
         short transaction, so no row stays locked for long. It runs before the deploy so \
         that the new code finds every value. On a very large table, run it as a background \
         migration and move the code switch to the next release. Copying needs no rollback: \
         the first step's rollback drops the new column.",
        up,
        None,
    );
    step.outside_transaction = true;
    step.progress = Some(progress);

    // 3. Indexes.
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("check_{}_{}_indexes", t.name, new_name),
        format!("Check that the indexes on {column} have copies on {new_name}"),
        "Indexes can only be built concurrently from a migration of their own, outside a \
         transaction. This step fails, listing the exact CREATE INDEX CONCURRENTLY \
         statements, while an index on the old column has no copy on the new one (an index \
         whose name does not contain the column name must be renamed first).",
        index_guard(&t, column, new_name, false),
        None,
    );

    // 4. Constraints, NOT VALID.
    cx.migration(0, StepPhase::Regular, &format!("copy_{}_{}_constraints", t.name, column), format!("Copy the CHECK, FOREIGN KEY and NOT NULL constraints of {column} to {new_name}"),
        "Each constraint is added NOT VALID: an instant lock, and new writes are checked at once. A NOT NULL becomes a NOT VALID `CHECK (... IS NOT NULL)`.",
        format!("{}{}", cx.lock_timeout(), copy_constraints(&t, column, new_name)), Some(drop_copied_constraints(&t, new_name)));

    // 5. Validate.
    cx.migration(0, StepPhase::Regular, &format!("validate_{}_{}_constraints", t.name, new_name), format!("Validate the constraints on {new_name}"),
        "Validation scans under a SHARE UPDATE EXCLUSIVE lock (reads and writes go on); then SET NOT NULL uses the validated check (PostgreSQL 12+) instead of a scan.",
        format!("{}{}", cx.lock_timeout(), validate_constraints(&t, new_name, cx.options.pg_version)), Some(unvalidate_not_null(&t, new_name)));

    // 6. Application.
    let what = format!("Use `{new_name}` instead of `{column}` everywhere.");
    cx.ignore_columns(0, table, &[column], 1, &what);

    // 7. Cleanup.
    let l0 = cx.label(0);
    let up = format!(
        "{}{}ALTER TABLE {ts} DROP COLUMN IF EXISTS {old};\n",
        cx.lock_timeout(),
        sync.drop(&t)
    );
    let down = format!(
        "{}{}{}UPDATE {ts} SET {old} = {new};\n{}{}",
        cx.lock_timeout(),
        add_column_like(&t, column, ty, new_name),
        sync.create(cx, &t, column, new_name, None),
        copy_constraints(&t, new_name, column),
        validate_constraints(&t, column, cx.options.pg_version),
    );
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("cleanup_{}_{}_rename", t.name, column),
        format!("Drop the sync trigger and {table}.{column}"),
        "Every node now runs code that uses the new name and ignores the old column, so \
         nothing writes it any more. The rollback re-adds and refills the old column (in one \
         UPDATE) with its constraints.",
        up,
        Some(down),
    )
    .requires
    .push(format!(
        "release {l0}, which uses {new_name} and ignores {column}, runs everywhere"
    ));

    // 8. Remove the ignore.
    cx.remove_ignore(1, table, &[column]);
    Ok(())
}
