//! rename-table: rename the table and leave an updatable view under the old
//! name for the code still using it (M), drop the view once no code uses it
//! (M+1 post-deploy).

use super::sql::{ident, Table};
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::RenameTable { table, new_name } = change else {
        return Ok(());
    };
    let t = Table::of(table)?;
    let new_bare = new_name
        .rsplit('.')
        .next()
        .unwrap_or(new_name)
        .trim_matches('"');
    super::sql::check_identifier("table", new_bare)?;
    let nt = t.sibling(new_bare);
    let (old, new) = (t.sql(), nt.sql());
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("rename_{}_to_{}", t.name, new_bare),
        format!("Rename {table} to {new_bare}, keeping {table} as a view"),
        "Code of the previous release still uses the old name while this release deploys. A \
         simple view `SELECT *` over the renamed table is automatically updatable: its \
         reads, inserts, updates and deletes go to the table, with the table's defaults. The \
         rename takes an ACCESS EXCLUSIVE lock for an instant.",
        super::sql::fill!(
            "templates/rename_table.sql",
            &[
                ("lock_timeout", &cx.lock_timeout()),
                ("old", &old),
                ("new", &new),
                ("new_bare", &ident(new_bare)),
            ],
        ),
        Some(super::sql::fill!(
            "templates/rename_table_back.sql",
            &[
                ("lock_timeout", &cx.lock_timeout()),
                ("old", &old),
                ("new", &new),
                ("bare", &ident(&t.name)),
            ],
        )),
    );
    let code = if cx.rails() {
        format!(
            "Point the model at the new name (`self.table_name = '{new_bare}'`) and list the \
             rename in `TABLES_TO_BE_RENAMED` ('{}' => '{new_bare}') so that the schema cache \
             treats both names as one table.",
            t.name
        )
    } else {
        format!("Make the code use {new_bare} instead of {table}. The old name keeps working (as a view) until release {}.", cx.label(1))
    };
    cx.application(0, "use_new_table_name", format!("Use {new_bare} in the application"), "The new code uses the new name; the old code, still running during the deploy, uses the view.", code);
    let l0 = cx.label(0);
    cx.migration(
        1,
        StepPhase::PostDeploy,
        &format!("drop_{}_view", t.name),
        format!("Drop the {table} view"),
        "Every deployment runs code that uses the new name, so the view has no users left.",
        format!("{}DROP VIEW IF EXISTS {old};\n", cx.lock_timeout()),
        Some(format!("CREATE VIEW {old} AS SELECT * FROM {new};\n")),
    )
    .requires
    .push(format!(
        "release {l0}, which uses {new_bare}, runs everywhere"
    ));
    if cx.rails() {
        cx.application(
            1,
            "remove_rename_entry",
            "Remove the TABLES_TO_BE_RENAMED entry".into(),
            "The old name no longer exists.",
            format!(
                "Remove '{}' => '{new_bare}' from TABLES_TO_BE_RENAMED.",
                t.name
            ),
        )
        .requires
        .push("the view has been dropped".into());
    }
    Ok(())
}
