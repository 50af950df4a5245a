//! change-column-type: a temporary column of the new type kept in sync by a
//! trigger, a batched copy, copies of the constraints (M, regular); the
//! code ignores the temporary column (M); post-deploy the old column goes
//! and the temporary one takes its name (M); the ignore goes in M+1.

use super::sql::{
    copy_constraints, drop_copied_constraints, ident, index_guard, lit, object_name,
    rename_objects, unvalidate_not_null, validate_constraints, Sync, Table,
};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::ChangeColumnType {
        table,
        column,
        new_type,
        using,
        column_type,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    if new_type.trim().is_empty() {
        return Err(Error::new(
            ErrorCode::BadChange,
            "change-column-type needs the new type",
        ));
    }
    let tmp_name = object_name(&[column, "for_type_change"]);
    let (ts, col, tmp) = (t.sql(), ident(column), ident(&tmp_name));
    let new_type = new_type.trim();
    let cast = using
        .clone()
        .unwrap_or_else(|| format!("{col}::{new_type}"));
    let sync = Sync::new(&t, column, &tmp_name);
    let old_type = column_type
        .as_deref()
        .or(cx.known(&cx.options.column_type).map(String::as_str));

    // 1. Temporary column + trigger.
    let up = format!(
        "{}ALTER TABLE {ts} ADD COLUMN {tmp} {new_type};\n{}",
        cx.lock_timeout(),
        sync.create(cx, &t, column, &tmp_name, Some(&cast))
    );
    let down = format!(
        "{}{}ALTER TABLE {ts} DROP COLUMN IF EXISTS {tmp};\n",
        cx.lock_timeout(),
        sync.drop(&t)
    );
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{}_{}", t.name, tmp_name),
        format!("Add {table}.{tmp_name} ({new_type}) and keep it in sync"),
        "Changing the type in place rewrites the table under an ACCESS EXCLUSIVE lock. \
         Instead a temporary column of the new type is filled by a trigger on every insert \
         and update, from the cast expression.",
        up,
        Some(down),
    );

    // 2. Batched copy.
    let pending = format!("{tmp} IS NULL AND {col} IS NOT NULL");
    let label = format!("convert {}.{column}", t.name);
    let progress = cx.progress(&t, Some(&pending), &label);
    let step = cx.migration(0, StepPhase::Regular, &format!("copy_{}_{}_to_{}", t.name, column, tmp_name), format!("Convert the existing values of {column} in batches"),
        "Existing rows are converted in batches, each in its own short transaction. Make sure every value converts: a failing cast stops the copy, and nothing is lost. Copying needs no rollback.",
        cx.batched_update(&t, &format!("{tmp} = {cast}"), Some(&pending), cx.options.batch_size, &label), None);
    step.outside_transaction = true;
    step.progress = Some(progress);

    // 3-5. Indexes, constraints.
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("check_{}_{}_indexes", t.name, tmp_name),
        format!("Check that the indexes on {column} have copies on {tmp_name}"),
        "Indexes can only be built concurrently from a migration of their own. This step \
         fails, listing the exact CREATE INDEX CONCURRENTLY statements, while an index on \
         the old column has no copy on the temporary one.",
        index_guard(&t, column, &tmp_name, false),
        None,
    );
    cx.migration(0, StepPhase::Regular, &format!("copy_{}_{}_constraints", t.name, column), format!("Copy the constraints of {column} to {tmp_name}"),
        "CHECK and FOREIGN KEY constraints are copied NOT VALID (an instant lock); NOT NULL as a NOT VALID check.",
        format!("{}{}", cx.lock_timeout(), copy_constraints(&t, column, &tmp_name)), Some(drop_copied_constraints(&t, &tmp_name)));
    cx.migration(0, StepPhase::Regular, &format!("validate_{}_{}_constraints", t.name, tmp_name), format!("Validate the constraints on {tmp_name}"),
        "Validation scans under a SHARE UPDATE EXCLUSIVE lock (reads and writes go on); then SET NOT NULL uses the validated check (PostgreSQL 12+).",
        format!("{}{}", cx.lock_timeout(), validate_constraints(&t, &tmp_name, cx.options.pg_version)), Some(unvalidate_not_null(&t, &tmp_name)));

    // 6. Application.
    cx.ignore_columns(
        0,
        table,
        &[&tmp_name],
        1,
        &format!("Make the code work with `{column}` as {new_type}."),
    );

    // 6b. The swap changes the column's type under this release's code.
    cx.no_prepared_statements(0, column);

    // 7. Swap.
    let rc = t.regclass();
    let move_default = super::sql::fill!(
        "templates/type_change_move_default.sql",
        &[
            ("rc", &rc),
            ("src", &lit(column)),
            ("dst", &lit(&tmp_name)),
            ("dst_type", &super::sql::type_of(&t, &tmp_name)),
        ],
    );
    let up = super::sql::fill!(
        "templates/type_change_swap.sql",
        &[
            ("lock_timeout", &cx.lock_timeout()),
            ("drop_sync", &sync.drop(&t)),
            ("move_default", &move_default),
            ("ts", &ts),
            ("col", &col),
            ("tmp", &tmp),
            (
                "rename_objects",
                &rename_objects(&t, column, &tmp_name, column),
            ),
        ],
    );
    let down = match old_type {
        Some(old_ty) => {
            let back = super::sql::fill!(
                "templates/type_change_default_back.sql",
                &[
                    ("rc", &rc),
                    ("src", &lit(&tmp_name)),
                    ("dst", &lit(column)),
                    ("old", &lit(old_ty)),
                    ("src_type", &super::sql::type_of(&t, &tmp_name)),
                ],
            );
            super::sql::fill!(
                "templates/type_change_swap_back.sql",
                &[
                    ("lock_timeout", &cx.lock_timeout()),
                    ("ts", &ts),
                    ("col", &col),
                    ("tmp", &tmp),
                    ("old_ty", old_ty),
                    ("back", &back),
                    (
                        "rename_objects",
                        &rename_objects(&t, &tmp_name, column, &tmp_name),
                    ),
                    ("copy_constraints", &copy_constraints(&t, &tmp_name, column)),
                    (
                        "validate_constraints",
                        &validate_constraints(&t, column, cx.options.pg_version),
                    ),
                    (
                        "create_sync",
                        &sync.create(cx, &t, column, &tmp_name, Some(&cast)),
                    ),
                ],
            )
        }
        None => super::sql::raise_exception(&format!(
            "the old type of {table}.{column} is unknown: plan with --type TYPE to get the rollback"
        )),
    };
    let l0 = cx.label(0);
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("cleanup_{}_{}_type_change", t.name, column),
        format!("Swap {tmp_name} in for {column}"),
        "In one transaction: drop the trigger, move the default, drop the old column and \
         give the temporary column its name, with its indexes and constraints renamed. Every \
         step is a catalog change: the ACCESS EXCLUSIVE lock is brief. The column changes \
         type under the running code: a prepared statement that reads it fails once, so the \
         release that runs during it serves without them (see its application step).",
        up,
        Some(down),
    )
    .requires
    .extend([
        format!("release {l0}, which ignores {tmp_name}, runs everywhere"),
        format!(
            "no running code holds a server-side prepared statement that reads {table}.{column}"
        ),
    ]);
    cx.remove_ignore(1, table, &[&tmp_name]);
    Ok(())
}
