//! rename-enum-value: expand and contract. Add the new label (M), write it
//! from the new code (M), move column defaults (M, post-deploy) and relabel
//! the rows (M, background) once every node runs that code, stop reading
//! the old label (M+1). PostgreSQL
//! cannot drop an enum label: the old one stays in the type, unused.

use super::sql::{check_identifier, lit, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::RenameEnumValue {
        type_name,
        value,
        new_value,
    } = change
    else {
        return Ok(());
    };
    check_identifier("enum type", &type_name.name)?;
    let t = Table::of(type_name)?;
    for label in [value, new_value] {
        // An enum label is at most NAMEDATALEN - 1 bytes, like a name.
        check_identifier("enum label", label)?;
    }
    if value == new_value {
        return Err(Error::new(
            ErrorCode::BadChange,
            format!("the label '{value}' is renamed to itself"),
        ));
    }
    let (old, new) = (lit(value), lit(new_value));
    let ty = t.sql();
    let add = cx.migration(
        0,
        StepPhase::Regular,
        &format!("add_{}_label", t.name),
        format!("Add the label '{new_value}' to {type_name}"),
        "Code of the previous release still writes the old label while this release deploys, \
         so the old label must keep working: the new one is added next to it, right after it \
         in the type's sort order. ADD VALUE only touches the catalog. PostgreSQL cannot \
         remove an enum label, so there is no rollback: the new label stays in the type, \
         unused by the previous release.",
        format!(
            "{}ALTER TYPE {ty} ADD VALUE IF NOT EXISTS {new} AFTER {old};\n",
            cx.session_lock_timeout()
        ),
        None,
    );
    // Before PostgreSQL 12, ADD VALUE cannot run inside a transaction block;
    // from 12 on, a label added in a transaction cannot be used before it
    // commits. On its own, it commits at once on every version. It locks the
    // type, not a table, so it needs no lock retries.
    add.outside_transaction = true;
    cx.application(
        0,
        "write_new_label",
        format!("Write '{new_value}', read '{value}' and '{new_value}' alike"),
        "Rows keep the old label until the relabeling step; rows that old code writes during \
         the deploy do too.",
        format!(
            "Treat '{value}' and '{new_value}' of {type_name} as the same value when reading, and \
             write '{new_value}' (including in fixtures and enum mappings)."
        ),
    );
    let label = format!("relabel {}", t.name);
    let l0 = cx.label(0);
    // Tables and partitioned tables, not their partitions: an UPDATE of the
    // parent reaches them (declarative partitioning and `relispartition`
    // came in PostgreSQL 10).
    let tables = if cx.options.pg_version.major() >= 10 {
        "c.relkind IN ('r', 'p') AND NOT c.relispartition"
    } else {
        "c.relkind = 'r'"
    };
    let relabel = |from: &str, to: &str| {
        let (commit, commit_in_loop) = if cx.can_commit_in_do() {
            ("\n      COMMIT;", "\n        COMMIT;")
        } else {
            ("", "")
        };
        super::sql::fill!(
            "templates/enum_relabel.sql",
            &[
                ("type", &lit(&ty)),
                ("from", &lit(from)),
                ("to", &lit(to)),
                ("key", &lit(&cx.options.batch_column)),
                ("batch", &cx.options.batch_size.to_string()),
                ("label", &lit(&format!("zerodown: {label} %s %s/%s"))),
                ("commit", commit),
                ("commit_in_loop", commit_in_loop),
                ("tables", tables),
            ],
        )
    };
    let default = |from: &str, to: &str| {
        format!(
            "{}{}",
            cx.lock_timeout(),
            super::sql::fill!(
                "templates/enum_default.sql",
                &[
                    ("type", &lit(&ty)),
                    ("from", &lit(from)),
                    ("to", &lit(to)),
                    ("tables", tables),
                ],
            )
        )
    };
    let (up, down) = (default(value, new_value), default(new_value, value));
    let (relabel_up, relabel_down) = (
        format!("{}{}", cx.session_lock_timeout(), relabel(value, new_value)),
        format!("{}{}", cx.session_lock_timeout(), relabel(new_value, value)),
    );
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("move_{}_defaults", t.name),
        format!("Move column defaults of {type_name} from '{value}' to '{new_value}'"),
        "Rows that code inserts without the column must get the new label once no running code \
         writes the old one. Each column of the type whose default is the old label (found in \
         the catalog) gets the new one. SET DEFAULT takes an ACCESS EXCLUSIVE lock for an \
         instant, so it is retried with short lock timeouts rather than queue the table's \
         traffic behind a long transaction.",
        up,
        Some(down),
    )
    .requires
    .push(format!(
        "release {l0}, which writes '{new_value}', runs everywhere"
    ));
    let progress = cx.progress(&t, None, &label);
    let step = cx.migration(
        0,
        StepPhase::Background,
        &format!("relabel_{}", t.name),
        format!("Relabel '{value}' as '{new_value}' in every column of type {type_name}"),
        "Once no running code writes the old label, the rows that hold it are updated in \
         batches, each committed on its own, in every table column of the type (found in the \
         catalog, so none is missed). It runs outside a transaction. The rollback relabels \
         back, for the previous release, which does not know the new label.",
        relabel_up,
        Some(relabel_down),
    );
    step.outside_transaction = true;
    step.progress = Some(progress);
    step.requires.push(format!(
        "release {l0}, which writes '{new_value}', runs everywhere"
    ));
    cx.application(
        1,
        "stop_reading_old_label",
        format!("Stop reading '{value}'"),
        "No row holds the old label any more. It stays in the type (PostgreSQL cannot drop \
         an enum label); nothing writes it.",
        format!("Remove '{value}' from the code's mapping of {type_name}."),
    )
    .requires
    .push("the relabeling has finished".into());
    Ok(())
}
