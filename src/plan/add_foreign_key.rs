//! add-foreign-key: NOT VALID, then VALIDATE in a separate migration.

use super::sql::{ident, object_name, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::AddForeignKey {
        table,
        columns,
        ref_table,
        ref_columns,
        name,
        on_delete,
    } = change
    else {
        return Ok(());
    };
    let t = Table::of(table)?;
    let r = Table::of(ref_table)?;
    if columns.is_empty() || columns.len() != ref_columns.len() {
        return Err(Error::new(
            ErrorCode::BadChange,
            format!(
                "a foreign key needs as many referenced columns as referencing ones ({} vs {})",
                columns.len(),
                ref_columns.len()
            ),
        ));
    }
    for c in columns.iter().chain(ref_columns) {
        super::sql::check_identifier("column", c)?;
    }
    let on_delete = match on_delete.as_deref().map(|s| s.trim().to_ascii_uppercase()) {
        None => String::new(),
        Some(a)
            if [
                "CASCADE",
                "SET NULL",
                "SET DEFAULT",
                "RESTRICT",
                "NO ACTION",
            ]
            .contains(&a.as_str()) =>
        {
            format!(" ON DELETE {a}")
        }
        Some(a) => {
            return Err(Error::new(ErrorCode::BadChange, format!("`{a}` is not an ON DELETE action: use cascade, set null, set default, restrict or no action")));
        }
    };
    let name = match name {
        Some(n) => n.clone(),
        None => {
            let mut parts: Vec<&str> = vec![&t.name];
            parts.extend(columns.iter().map(String::as_str));
            parts.push("fkey");
            object_name(&parts)
        }
    };
    super::sql::check_identifier("constraint", &name)?;
    let n = ident(&name);
    let cols = columns
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let rcols = ref_columns
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let ts = t.sql();
    let target = format!("{ref_table}({})", ref_columns.join(", "));
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("add_{name}"),
        format!("Add the foreign key {name} NOT VALID"),
        "Adding a foreign key locks both tables (SHARE ROW EXCLUSIVE) and, without NOT \
         VALID, holds the locks while it checks every row. NOT VALID skips that check: the \
         locks last an instant, and new writes are checked from now on. The referencing \
         columns should be indexed (add-index) so that deletes on the referenced table stay \
         fast.",
        format!("{}ALTER TABLE {ts} ADD CONSTRAINT {n} FOREIGN KEY ({cols}) REFERENCES {} ({rcols}){on_delete} NOT VALID;\n", cx.lock_timeout(), r.sql()),
        Some(format!("{}ALTER TABLE {ts} DROP CONSTRAINT IF EXISTS {n};\n", cx.lock_timeout())),
    )
    .requires
    .push(format!("every running release writes only {} values that exist in {target}", columns.join(", ")));
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("validate_{name}"),
        format!("Validate {name}"),
        "VALIDATE checks the existing rows under a SHARE UPDATE EXCLUSIVE lock on the table (ROW SHARE on the referenced one): reads and writes go on. Validation needs no rollback.",
        format!("ALTER TABLE {ts} VALIDATE CONSTRAINT {n};\n"),
        None,
    )
    .requires
    .push(format!("no existing row of {table} points at a missing {target}"));
    Ok(())
}
