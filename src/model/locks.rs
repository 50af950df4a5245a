//! Which strong lock a statement takes on which existing tables, read from
//! the table of PostgreSQL's behaviour (`postgres`). The engine's file
//! state records it (`FileState::strong_lock_taken`) and the
//! `missing-lock-timeout` rule reports it, so it lives below both.

use super::postgres::{locks_of, LockMode, Unknown};
use super::{MaintenanceKind, Name, Op, OpKind, PgVersion};

/// The strong lock an operation takes on `pg`, and the existing tables it
/// takes it on: the strongest mode, and every table locked in SHARE ROW
/// EXCLUSIVE or stronger (both block writes; ACCESS EXCLUSIVE blocks reads
/// too), or in any write-blocking mode an explicit LOCK TABLE names. The
/// SHARE lock of CREATE INDEX and REINDEX is left to their own rules, whose
/// fix (CONCURRENTLY) removes it; a materialized view counts only when its
/// reads wait. Tables for which `is_new` holds are left
/// out.
pub(crate) fn strong_lock(
    op: &Op,
    pg: PgVersion,
    is_new: &dyn Fn(&Name) -> bool,
) -> Option<(Vec<Name>, &'static str)> {
    let mut strongest: Option<LockMode> = None;
    let mut tables = Vec::new();
    for (name, mode) in locks_of(op, pg, &Unknown) {
        let strong = match &op.kind {
            OpKind::LockTable { .. } => mode.blocks_writes(),
            // Applications only read a materialized view.
            OpKind::Maintenance {
                kind: MaintenanceKind::RefreshMaterializedView,
                ..
            } => mode.blocks_reads(),
            _ => mode >= LockMode::ShareRowExclusive,
        };
        if strong && !is_new(&name) {
            strongest = strongest.max(Some(mode));
            tables.push(name);
        }
    }
    strongest.map(|m| (tables, m.as_str()))
}
