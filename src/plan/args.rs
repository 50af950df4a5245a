//! Building a [`Change`] from command-line style arguments, shared by the
//! CLI and JavaScript: `KIND TARGET [ARGS]` plus named options.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Change, Name};

/// The named options of `zerodown plan`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChangeArgs {
    /// `USING` cast (change-column-type) or conversion (data-format-change).
    pub using: Option<String>,
    /// The column's current type.
    pub column_type: Option<String>,
    /// Constraint or index name.
    pub name: Option<String>,
    /// ON DELETE action of a foreign key.
    pub on_delete: Option<String>,
    /// A unique index.
    pub unique: bool,
    /// A primary key instead of a unique constraint.
    pub primary_key: bool,
    /// Index method.
    pub method: Option<String>,
    /// Partial index predicate, or the rows a backfill touches.
    pub predicate: Option<String>,
    /// Table of a dropped index.
    pub table: Option<String>,
    /// Rows per batch of a backfill.
    pub batch_size: Option<u32>,
    /// The column has a default (rename-column refuses it).
    pub has_default: bool,
}

fn bad(message: String) -> Error {
    Error::new(ErrorCode::BadChange, message)
}

/// A table as the user wrote it (`users`, `public.users`, `"a.b"`).
fn table(text: &str) -> Result<Name> {
    Name::parse(text).map_err(bad)
}

/// `users.username` → (`users`, `username`); `public.users.username` too.
fn split_column(kind: &str, target: &str) -> Result<(Name, String)> {
    match target.rsplit_once('.') {
        Some((t, c)) if !t.is_empty() && !c.is_empty() => Ok((table(t)?, c.to_string())),
        _ => Err(bad(format!(
            "{kind} needs TABLE.COLUMN (e.g. users.username), not `{target}`"
        ))),
    }
}

/// `users.a,b` → (`users`, [a, b]).
fn split_columns(kind: &str, target: &str) -> Result<(Name, Vec<String>)> {
    let (t, c) = split_column(kind, target)?;
    let cols: Vec<String> = c
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if cols.is_empty() {
        return Err(bad(format!("{kind}: no column in `{target}`")));
    }
    Ok((t, cols))
}

fn arity(kind: &str, args: &[String], n: usize, usage: &str) -> Result<()> {
    if args.len() == n {
        Ok(())
    } else {
        Err(bad(format!(
            "{kind} takes {}: zerodown plan {kind} {usage}",
            match n {
                0 => "no argument after the target".to_string(),
                1 => "one argument after the target".to_string(),
                k => format!("{k} arguments after the target"),
            }
        )))
    }
}

impl Change {
    /// Builds a change from `KIND TARGET [ARGS]` and named options, as
    /// `zerodown plan` takes them.
    pub fn from_args(kind: &str, target: &str, args: &[String], o: &ChangeArgs) -> Result<Change> {
        let k = kind.trim().to_ascii_lowercase();
        let a = |i: usize| args.get(i).cloned().unwrap_or_default();
        let change = match k.as_str() {
            "drop-column" => {
                arity(&k, args, 0, "TABLE.COLUMN")?;
                let (table, column) = split_column(&k, target)?;
                Change::DropColumn { table, column }
            }
            "rename-column" => {
                arity(&k, args, 1, "TABLE.COLUMN NEW_NAME")?;
                let (table, column) = split_column(&k, target)?;
                Change::RenameColumn {
                    table,
                    column,
                    new_name: a(0),
                    column_type: o.column_type.clone(),
                    has_default: o.has_default,
                }
            }
            "change-column-type" => {
                arity(&k, args, 1, "TABLE.COLUMN NEW_TYPE [--using EXPR]")?;
                let (table, column) = split_column(&k, target)?;
                Change::ChangeColumnType {
                    table,
                    column,
                    new_type: a(0),
                    using: o.using.clone(),
                    column_type: o.column_type.clone(),
                }
            }
            "change-column-default" => {
                if args.len() > 1 {
                    arity(&k, args, 1, "TABLE.COLUMN [DEFAULT]  (no DEFAULT drops it)")?;
                }
                let (table, column) = split_column(&k, target)?;
                Change::ChangeColumnDefault {
                    table,
                    column,
                    default: args.first().cloned(),
                }
            }
            "set-not-null" => {
                arity(&k, args, 0, "TABLE.COLUMN")?;
                let (table, column) = split_column(&k, target)?;
                Change::SetNotNull { table, column }
            }
            "add-check-constraint" => {
                arity(&k, args, 1, "TABLE EXPRESSION [--name NAME]")?;
                Change::AddCheckConstraint {
                    table: table(target)?,
                    name: o.name.clone(),
                    expression: a(0),
                }
            }
            "add-foreign-key" => {
                arity(
                    &k,
                    args,
                    1,
                    "TABLE.COLUMN REF_TABLE.REF_COLUMN [--on-delete ACTION]",
                )?;
                let (table, columns) = split_columns(&k, target)?;
                let (ref_table, ref_columns) = split_columns(&k, &a(0))?;
                Change::AddForeignKey {
                    table,
                    columns,
                    ref_table,
                    ref_columns,
                    name: o.name.clone(),
                    on_delete: o.on_delete.clone(),
                }
            }
            "add-unique-constraint" => {
                arity(&k, args, 0, "TABLE.COLUMN[,COLUMN] [--primary-key]")?;
                let (table, columns) = split_columns(&k, target)?;
                Change::AddUniqueConstraint {
                    table,
                    columns,
                    name: o.name.clone(),
                    primary_key: o.primary_key,
                }
            }
            "add-index" => {
                arity(
                    &k,
                    args,
                    0,
                    "TABLE.COLUMN[,COLUMN] [--unique] [--method M] [--where P]",
                )?;
                let (table, columns) = split_columns(&k, target)?;
                Change::AddIndex {
                    table,
                    columns,
                    name: o.name.as_deref().map(self::table).transpose()?,
                    unique: o.unique,
                    method: o.method.clone(),
                    predicate: o.predicate.clone(),
                }
            }
            "drop-index" => {
                arity(&k, args, 0, "INDEX_NAME [--table TABLE]")?;
                Change::DropIndex {
                    name: table(target)?,
                    table: o.table.as_deref().map(table).transpose()?,
                }
            }
            "drop-table" => {
                arity(&k, args, 0, "TABLE")?;
                Change::DropTable {
                    table: table(target)?,
                }
            }
            "rename-table" => {
                arity(&k, args, 1, "TABLE NEW_NAME")?;
                Change::RenameTable {
                    table: table(target)?,
                    new_name: a(0),
                }
            }
            "bigint-primary-key" => {
                arity(&k, args, 0, "TABLE.COLUMN")?;
                let (table, column) = split_column(&k, target)?;
                Change::BigintPrimaryKey { table, column }
            }
            "backfill" => {
                arity(
                    &k,
                    args,
                    1,
                    "TABLE 'COLUMN = EXPR' [--where P] [--batch-size N]",
                )?;
                Change::Backfill {
                    table: table(target)?,
                    set: a(0),
                    predicate: o.predicate.clone(),
                    batch_size: o.batch_size,
                }
            }
            "data-format-change" => {
                arity(&k, args, 2, "TABLE.COLUMN NEW_COLUMN NEW_TYPE --using EXPR")?;
                let (table, column) = split_column(&k, target)?;
                let transform = o.using.clone().ok_or_else(|| {
                    bad(
                        "data-format-change needs --using EXPR: the conversion of the old value"
                            .into(),
                    )
                })?;
                Change::DataFormatChange {
                    table,
                    column,
                    new_column: a(0),
                    new_type: a(1),
                    transform,
                }
            }
            "rename-enum-value" => {
                arity(&k, args, 2, "TYPE OLD_LABEL NEW_LABEL")?;
                Change::RenameEnumValue {
                    type_name: table(target)?,
                    value: a(0),
                    new_value: a(1),
                }
            }
            "replace-view" => {
                arity(
                    &k,
                    args,
                    2,
                    "VIEW NEW_VIEW 'SELECT ...' [--definition CURRENT_QUERY]",
                )?;
                Change::ReplaceView {
                    view: table(target)?,
                    new_name: a(0),
                    definition: a(1),
                }
            }
            other => {
                return Err(bad(format!(
                    "`{other}` is not a change kind; the kinds are: {}",
                    Change::KINDS.join(", ")
                )))
            }
        };
        Ok(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn builds_the_issue_examples() {
        let c = Change::from_args(
            "rename-column",
            "users.username",
            &s(&["handle"]),
            &ChangeArgs::default(),
        )
        .unwrap();
        assert_eq!(
            c,
            Change::RenameColumn {
                table: "users".into(),
                column: "username".into(),
                new_name: "handle".into(),
                column_type: None,
                has_default: false
            }
        );
        let c = Change::from_args(
            "add-foreign-key",
            "issues.project_id",
            &s(&["projects.id"]),
            &ChangeArgs::default(),
        )
        .unwrap();
        assert_eq!(
            c,
            Change::AddForeignKey {
                table: "issues".into(),
                columns: vec!["project_id".into()],
                ref_table: "projects".into(),
                ref_columns: vec!["id".into()],
                name: None,
                on_delete: None
            }
        );
        let o = ChangeArgs {
            using: Some("settings::jsonb".into()),
            ..ChangeArgs::default()
        };
        let c =
            Change::from_args("change-column-type", "users.settings", &s(&["jsonb"]), &o).unwrap();
        assert!(
            matches!(c, Change::ChangeColumnType { ref using, .. } if using.as_deref() == Some("settings::jsonb"))
        );
        let c = Change::from_args(
            "bigint-primary-key",
            "public.merge_request_metrics.id",
            &[],
            &ChangeArgs::default(),
        )
        .unwrap();
        assert_eq!(
            c,
            Change::BigintPrimaryKey {
                table: "public.merge_request_metrics".into(),
                column: "id".into()
            }
        );
    }

    #[test]
    fn bad_arguments_are_clear_errors() {
        for (kind, target, args, says) in [
            ("drop-colum", "users.x", vec![], "is not a change kind"),
            ("drop-column", "users", vec![], "TABLE.COLUMN"),
            ("rename-column", "users.a", vec![], "one argument"),
            ("data-format-change", "t.a", vec!["b", "jsonb"], "--using"),
        ] {
            let e = Change::from_args(kind, target, &s(&args), &ChangeArgs::default()).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadChange);
            assert!(e.message.contains(says), "{kind}: {}", e.message);
        }
    }
}
