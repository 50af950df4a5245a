use super::{Diagnostic, Rule, RuleContext};
use crate::model::{ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... DROP CONSTRAINT` of a primary key or a unique
    /// constraint: one an earlier statement of the run created, or one named
    /// the way PostgreSQL names them (`t_pkey`, `t_col_key`). A statement that
    /// drops a key and adds another in the same `ALTER TABLE` (a swap) is left
    /// alone.
    ///
    /// ## Why it causes downtime
    /// Writers and replication rely on keys. `INSERT ... ON CONFLICT (col)`
    /// fails once no unique constraint matches. The primary key is the
    /// default replica identity: without it, every UPDATE and DELETE on a
    /// table published for logical replication fails. Foreign keys that
    /// reference it must go first.
    ///
    /// ## Example
    /// ```sql invalid
    /// ALTER TABLE users DROP CONSTRAINT users_pkey;
    /// ```
    ///
    /// ## Safe alternative
    /// Replace a key rather than drop it: build the new unique index
    /// `CONCURRENTLY`, then swap in one statement (`DROP CONSTRAINT ..., ADD
    /// CONSTRAINT ... PRIMARY KEY USING INDEX ...`); set a replica identity
    /// (`REPLICA IDENTITY USING INDEX`) before removing the primary key; drop
    /// a unique constraint only after no code uses `ON CONFLICT` on it.
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users DROP CONSTRAINT users_pkey, ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_bigint_idx;
    /// ```
    pub struct DropKeyConstraint {
        id: "drop-key-constraint",
        severity: Error,
        summary: "DROP CONSTRAINT of a primary key or unique constraint",
        breaks_running_code: true,
    }
}

impl Rule for DropKeyConstraint {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::DropConstraint { table, name } = &op.kind else {
            return;
        };
        if cx.is_new_table(table) {
            return;
        }
        let primary = match cx.catalog.key_constraint(table, name) {
            Some(p) => p,
            None if name.ends_with("_pkey") => true,
            None if name.ends_with("_key") => false,
            None => return,
        };
        // A swap: the same statement adds a key to the table.
        let swapped = cx.statement.ops.iter().any(|o| {
            matches!(&o.kind, OpKind::AddConstraint { table: t, constraint }
                if t == table && matches!(constraint.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }))
        });
        if swapped {
            return;
        }
        let (message, help) = if primary {
            (
                format!("dropping the primary key `{name}` of `{table}` breaks INSERT ... ON CONFLICT on it and, on a table published for logical replication, every UPDATE and DELETE (the primary key is the replica identity)"),
                "swap in a new key in the same statement (ADD CONSTRAINT ... PRIMARY KEY USING INDEX), or set REPLICA IDENTITY USING INDEX first",
            )
        } else {
            (
                format!("dropping the unique constraint `{name}` of `{table}` breaks every INSERT ... ON CONFLICT that names its columns, in the code that is still running"),
                "drop it only after no code uses ON CONFLICT on it (a post-deployment migration of a later release)",
            )
        };
        out.push(Diagnostic::new(op.span.clone(), message, help));
    }
}
