//! Which strong lock a statement takes on which existing tables. The
//! engine's file state records it (`FileState::strong_lock_taken`) and the
//! `missing-lock-timeout` rule reports it, so it lives below both.

use super::{ConstraintKind, MaintenanceKind, Name, Op, OpKind};

/// Which strong lock an operation takes and on which existing tables:
/// `ACCESS EXCLUSIVE` blocks reads and writes, `SHARE ROW EXCLUSIVE` blocks
/// writes. Operations on `is_new` tables are left out.
pub(crate) fn strong_lock(
    op: &Op,
    is_new: &dyn Fn(&Name) -> bool,
) -> Option<(Vec<Name>, &'static str)> {
    const AX: &str = "ACCESS EXCLUSIVE";
    const SRX: &str = "SHARE ROW EXCLUSIVE";
    let one = |t: &Name, mode: &'static str| {
        if is_new(t) {
            None
        } else {
            Some((vec![t.clone()], mode))
        }
    };
    let many = |ts: &[Name], mode: &'static str| {
        let old: Vec<Name> = ts.iter().filter(|t| !is_new(t)).cloned().collect();
        if old.is_empty() {
            None
        } else {
            Some((old, mode))
        }
    };
    match &op.kind {
        OpKind::AddColumn { table, column } => {
            let mut r = one(table, AX)?;
            if let Some(fk) = &column.references {
                if !is_new(&fk.table) && fk.table != *table {
                    r.0.push(fk.table.clone());
                }
            }
            Some(r)
        }
        OpKind::DropColumn { table, .. }
        | OpKind::RenameColumn { table, .. }
        | OpKind::RenameTable { table, .. }
        | OpKind::AlterColumnType { table, .. }
        | OpKind::SetNotNull { table, .. }
        | OpKind::DropNotNull { table, .. }
        | OpKind::ChangeDefault { table, .. }
        | OpKind::DropConstraint { table, .. } => one(table, AX),
        OpKind::AddConstraint { table, constraint } => match &constraint.kind {
            ConstraintKind::ForeignKey { references, .. } => {
                let mut tables = vec![table.clone()];
                if references.table != *table {
                    tables.push(references.table.clone());
                }
                many(&tables, SRX)
            }
            _ => one(table, AX),
        },
        OpKind::AlterTableOther {
            table,
            access_exclusive,
            action,
        } => {
            if *access_exclusive {
                one(table, AX)
            } else if action.contains("TRIGGER") {
                one(table, SRX)
            } else {
                None
            }
        }
        OpKind::DropTable { tables, .. } | OpKind::Truncate { tables, .. } => many(tables, AX),
        OpKind::LockTable { tables, mode } => match mode.as_str() {
            "ACCESS EXCLUSIVE" => many(tables, AX),
            "EXCLUSIVE" | "SHARE ROW EXCLUSIVE" | "SHARE" => many(tables, SRX),
            _ => None,
        },
        OpKind::Maintenance {
            kind: MaintenanceKind::VacuumFull | MaintenanceKind::Cluster,
            targets,
            ..
        } if !targets.is_empty() => many(targets, AX),
        OpKind::CreateTable(ct) => {
            // A foreign key to an existing table locks that table against writes.
            let mut referenced: Vec<Name> = ct
                .columns
                .iter()
                .filter_map(|c| c.references.as_ref().map(|r| r.table.clone()))
                .chain(ct.constraints.iter().filter_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey { references, .. } => Some(references.table.clone()),
                    _ => None,
                }))
                .filter(|t| *t != ct.table)
                .collect();
            referenced.sort();
            referenced.dedup();
            many(&referenced, SRX)
        }
        _ => None,
    }
}
