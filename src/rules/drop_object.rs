use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind, Phase};

declare_rule! {
    /// ## What it does
    /// Flags `DROP VIEW`, `DROP MATERIALIZED VIEW`, `DROP FUNCTION`, `DROP
    /// PROCEDURE`, `DROP TYPE`, `DROP DOMAIN`, `DROP SCHEMA` and `DROP
    /// SEQUENCE` in a regular (or background) migration, and any of them with
    /// `CASCADE` in every phase. Objects created earlier in the same file
    /// (views, materialized views, types, domains) are left alone.
    ///
    /// ## Why it causes downtime
    /// Old code keeps querying the view, calling the function or casting to
    /// the type while the deployment rolls out: each of those fails from the
    /// moment of the drop. `CASCADE` silently drops more: the columns of a
    /// dropped type, the views on a dropped view, every table of a dropped
    /// schema.
    ///
    /// ## Example
    /// ```sql invalid
    /// DROP VIEW active_users;
    /// ```
    ///
    /// ## Safe alternative
    /// Expand and contract: stop using the object in release M, drop it in a
    /// post-deployment migration of a later release, without `CASCADE` (the
    /// drop then fails if something still depends on it). To change a view,
    /// `CREATE OR REPLACE VIEW` keeps its columns and adds new ones at the end;
    /// for an incompatible change, create a view under a new name, switch the
    /// code, and drop the old view later (`zerodown plan replace-view`).
    /// ```sql valid
    /// -- zerodown: phase=post-deploy
    /// DROP VIEW active_users;
    /// ```
    pub struct DropObject {
        id: "drop-object",
        severity: Error,
        summary: "DROP VIEW / FUNCTION / TYPE / SCHEMA ... in a regular migration, or with CASCADE",
        breaks_running_code: true,
    }
}

impl Rule for DropObject {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::DropObject {
            what,
            names,
            cascade,
        } = &op.kind
        else {
            return;
        };
        if cx.phase == Phase::PostDeploy && !cascade {
            return;
        }
        let what = what.to_ascii_lowercase();
        for name in names.iter().filter(|n| !cx.is_new_table(n)) {
            let d = if *cascade {
                Diagnostic::new(
                    op.span.clone(),
                    format!("dropping the {what} `{name}` with CASCADE also drops everything that depends on it (columns of a type, views, the tables of a schema), which running code still uses"),
                    "drop the dependent objects explicitly, each on its own schedule, then drop this one without CASCADE",
                )
            } else {
                Diagnostic::new(
                    op.span.clone(),
                    format!("dropping the {what} `{name}` in a {} migration breaks running code that still uses it", cx.phase),
                    "stop using it in release M, then drop it in a post-deployment migration of a later release (for a view change, CREATE OR REPLACE VIEW or a view under a new name)",
                )
            };
            out.push(d);
        }
    }
}
