//! bigint-primary-key: the integer-to-bigint conversion over releases
//! N..N+3 — a bigint column kept in sync by a trigger and a batched
//! backfill (N); the swap of columns, default, sequence, primary key and
//! foreign keys in one locked transaction (N+1); cleanup (N+2); the ignore
//! goes (N+3).

use super::sql::{ident, index_guard, lit, object_name, Sync, Table};
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

/// The swap (or, with `back`, the swap back) of `a` (the current key) and
/// `b`, inside one transaction that holds the table's lock.
fn swap(cx: &Ctx<'_>, t: &Table, id: &str, new_name: &str, index: &str, back: bool) -> String {
    let rc = t.regclass();
    let (a, b) = (ident(id), ident(new_name));
    let ts = t.sql();
    let tmp = ident(&object_name(&[id, "swap_tmp"]));
    let sync = Sync::new(t, id, new_name);
    // Up: the new primary key is the concurrently built unique index on
    // the bigint column. Back: rebuild it on the integer column.
    let add_pk = if back {
        format!("EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (%I)', {rc}, pk, {id_l});", id_l = lit(id))
    } else {
        format!("EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY USING INDEX %I', {rc}, pk, {idx});", idx = lit(index))
    };
    let seq_type = if back { "integer" } else { "bigint" };
    // Rolling back validates the foreign keys at once (a scan under the
    // lock; the forward path validates them in a step of their own).
    let validate = if back {
        super::sql::fill!("templates/validate_foreign_keys_loop.sql", &[("rc", &rc)],)
    } else {
        String::new()
    };
    super::sql::fill!(
        "templates/bigint_swap.sql",
        &[
            ("lock_timeout", &cx.lock_timeout()),
            ("ts", &ts),
            ("rc", &rc),
            ("id_l", &lit(id)),
            ("ts_l", &lit(&ts)),
            ("pk_default", &lit(&object_name(&[&t.name, "pkey"]))),
            ("a", &a),
            ("b", &b),
            ("tmp", &tmp),
            ("seq_type", seq_type),
            ("add_pk", &add_pk),
            ("validate", &validate),
            ("reset", &sync.function(id, new_name, Some(&a))),
        ],
    )
}

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::BigintPrimaryKey { table, column } = change else {
        return Ok(());
    };
    let t = Table::of(table)?;
    super::sql::check_identifier("column", column)?;
    let new_name = object_name(&[column, "convert_to_bigint"]);
    let index = object_name(&[&t.name, "pkey_bigint"]);
    let (ts, id, new) = (t.sql(), ident(column), ident(&new_name));
    let sync = Sync::new(&t, column, &new_name);
    let rc = t.regclass();

    // N: column + trigger.
    let up = format!(
        "{}ALTER TABLE {ts} ADD COLUMN {new} bigint NOT NULL DEFAULT 0;\n{}",
        cx.lock_timeout(),
        sync.create(cx, &t, column, &new_name, Some(&id))
    );
    let down = format!(
        "{}{}ALTER TABLE {ts} DROP COLUMN IF EXISTS {new};\n",
        cx.lock_timeout(),
        sync.drop(&t)
    );
    cx.migration(0, StepPhase::Regular, &format!("initialize_conversion_of_{}_{}_to_bigint", t.name, column), format!("Add {table}.{new_name} (bigint) and keep it in sync"),
        "A bigint column with a constant default is added without a rewrite (PostgreSQL 11+). A trigger copies the key into it on every insert and update.",
        up, Some(down));
    cx.ignore_columns(0, table, &[&new_name], 3, "");
    let pending = format!("{new} IS DISTINCT FROM {id}");
    let label = format!("backfill {}.{new_name}", t.name);
    let progress = cx.progress(&t, Some(&pending), &label);
    let step = cx.migration(
        0,
        StepPhase::Background,
        &format!("backfill_{}_{}_for_bigint_conversion", t.name, column),
        format!("Backfill {new_name} in batches"),
        "Existing rows are copied in batches, each its own short transaction, while the \
         application serves traffic. Watch the progress query; the swap in the next release \
         requires it to reach 0. Copying needs no rollback.",
        cx.batched_update(
            &t,
            &format!("{new} = {id}"),
            Some(&pending),
            cx.options.batch_size,
            &label,
        ),
        None,
    );
    step.outside_transaction = true;
    step.progress = Some(progress);

    // N+1: index, swap, validate.
    let finished = super::sql::fill!(
        "templates/bigint_backfill_finished.sql",
        &[
            ("ts", &ts),
            ("pending", &pending),
            ("name", &t.name),
            ("new_name", &new_name),
        ],
    );
    let schema_index = match &t.schema {
        Some(s) => format!("{}.{}", ident(s), ident(&index)),
        None => ident(&index),
    };
    // A failed concurrent build leaves an INVALID index, which IF NOT
    // EXISTS would keep on a retry: drop any leftover first.
    let up = format!(
        "{finished}{}DROP INDEX CONCURRENTLY IF EXISTS {schema_index};\nCREATE UNIQUE INDEX CONCURRENTLY {} ON {ts} ({new});\n",
        index_guard(&t, column, &new_name, true),
        ident(&index)
    );
    let l0 = cx.label(0);
    let step = cx.migration(
        1,
        StepPhase::PostDeploy,
        &format!("add_{index}"),
        "Check the backfill and build the new key's unique index concurrently".to_string(),
        "The swap needs a unique index on the bigint column to become the primary key. It is \
         built concurrently (no write lock), outside a transaction. The step first fails if \
         the backfill is not finished, and if another index on the key has no copy on the \
         bigint column (listing the statements to run).",
        up,
        Some(format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {schema_index};\n"
        )),
    );
    step.outside_transaction = true;
    step.requires.push(format!(
        "the background backfill of {new_name} from release {l0} has finished"
    ));
    cx.no_prepared_statements(1, column);
    cx.migration(
        1,
        StepPhase::PostDeploy,
        &format!("swap_{}_{}_to_bigint", t.name, column),
        format!("Swap {column} and {new_name} in one locked transaction"),
        "With the table locked (ACCESS EXCLUSIVE; the lock timeout bounds the wait), every \
         change is a catalog change: foreign keys pointing at the key are dropped, the \
         columns swap names, the default and sequence move to the bigint column (the \
         sequence becomes bigint; an identity is re-created on it, continuing where its \
         sequence stood), the unique index becomes the primary key, the foreign keys come \
         back NOT VALID, and the trigger function is reset so that it now fills the old \
         integer column. The rollback swaps back, rebuilding the integer primary key index \
         under the lock.",
        swap(cx, &t, column, &new_name, &index, false),
        Some(swap(cx, &t, column, &new_name, &index, true)),
    )
    .requires
    .push(format!(
        "no running code holds a server-side prepared statement that names {table}.{column}"
    ));
    cx.migration(1, StepPhase::PostDeploy, &format!("validate_{}_foreign_keys", t.name), format!("Validate the foreign keys that point at {table}"),
        "The re-added foreign keys are NOT VALID; validating them takes only SHARE UPDATE EXCLUSIVE locks. Validation needs no rollback.",
        super::sql::fill!("templates/validate_foreign_keys.sql", &[(
                "validate",
                &super::sql::fill!("templates/validate_foreign_keys_loop.sql", &[("rc", &rc)]),
            )],
        ),
        None);

    // N+2: cleanup.
    let l1 = cx.label(1);
    let up = format!(
        "{}{}ALTER TABLE {ts} DROP COLUMN IF EXISTS {new};\n",
        cx.lock_timeout(),
        sync.drop(&t)
    );
    let down = format!(
        "{}ALTER TABLE {ts} ADD COLUMN {new} integer NOT NULL DEFAULT 0;\nUPDATE {ts} SET {new} = {id};\n{}",
        cx.lock_timeout(),
        sync.create(cx, &t, column, &new_name, Some(&id))
    );
    cx.migration(
        2,
        StepPhase::PostDeploy,
        &format!("cleanup_conversion_of_{}_{}_to_bigint", t.name, column),
        "Drop the trigger and the old integer column".to_string(),
        &format!(
            "The old integer column, now named {new_name}, is ignored by every running release. \
             Until this step the trigger keeps filling it, which is what makes the swap \
             reversible (and fails inserts once the key passes 2^31 - 1, so do not wait long)."
        ),
        up,
        Some(down),
    )
    .requires
    .push(format!("release {l1}, with the swap, runs everywhere"));
    cx.remove_ignore(3, table, &[&new_name]);
    Ok(())
}
