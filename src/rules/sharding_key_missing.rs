use super::{Diagnostic, Rule, RuleContext};
use crate::model::{key_column_for_root, normalize_table, table_key, ConstraintKind, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// Flags a `CREATE TABLE` whose new table has no sharding key: no column
    /// referencing one of the configured root tables (for example
    /// `organizations`, `namespaces`, `projects`).
    ///
    /// It does nothing unless roots are configured: turn it on with
    /// `roots = ["organizations", "namespaces", "projects"]` in
    /// `zerodown.toml` (or the same option from JavaScript). A column counts as a sharding key when
    /// it has a foreign key to a root in the CREATE TABLE, or when it is named
    /// after a root (`project_id` for `projects`), since the foreign key is
    /// often added by a later migration. Partitions and root tables are not
    /// flagged. `zerodown cells analyze` checks longer foreign-key paths
    /// across a whole schema.
    ///
    /// ## Why it causes downtime
    /// When the application is split into cells, an organization's rows move
    /// between cells and each cell holds only its organizations' data. A table
    /// without a sharding key cannot be split or moved with its organization:
    /// finding its rows needs joins up to the root, and adding the key later
    /// means a backfill of every row and a multi-release migration.
    ///
    /// ## Example
    /// ```sql invalid roots=organizations,namespaces,projects
    /// CREATE TABLE issue_metrics (
    ///     id bigint PRIMARY KEY,
    ///     issue_id bigint NOT NULL REFERENCES issues (id)
    /// );
    /// ```
    ///
    /// ## Safe alternative
    /// Add the sharding key when the table is created:
    /// ```sql valid roots=organizations,namespaces,projects
    /// CREATE TABLE issue_metrics (
    ///     id bigint PRIMARY KEY,
    ///     issue_id bigint NOT NULL REFERENCES issues (id),
    ///     project_id bigint NOT NULL REFERENCES projects (id)
    /// );
    /// ```
    pub struct ShardingKeyMissing {
        id: "sharding-key-missing",
        severity: Warning,
        summary: "CREATE TABLE without a sharding key (needs roots configured)",
    }
}

impl Rule for ShardingKeyMissing {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::CreateTable(ct) = &op.kind else {
            return;
        };
        let roots: Vec<String> = cx
            .options
            .roots
            .iter()
            .map(|r| normalize_table(r))
            .collect();
        if roots.is_empty() || ct.partition_of.is_some() || ct.from_query {
            return;
        }
        let table = table_key(&ct.table);
        if roots.contains(&table) {
            return;
        }
        let is_root = |name: &crate::model::Name| roots.contains(&table_key(name));
        let references_root = ct
            .columns
            .iter()
            .any(|c| c.references.as_ref().is_some_and(|r| is_root(&r.table)))
            || ct.constraints.iter().any(|c| {
                matches!(&c.kind, ConstraintKind::ForeignKey { references, .. } if is_root(&references.table))
            });
        let named_key = roots.iter().any(|r| {
            let col = key_column_for_root(r);
            ct.columns.iter().any(|c| c.name == col)
        });
        if references_root || named_key {
            return;
        }
        let keys: Vec<String> = roots
            .iter()
            .map(|r| format!("`{}` → `{r}`", key_column_for_root(r)))
            .collect();
        out.push(Diagnostic::new(
            op.span.clone(),
            format!(
                "new table `{table}` has no sharding key: no column references {}, so its rows cannot move with their organization",
                roots.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            ),
            format!(
                "add a NOT NULL column with a foreign key to a root, e.g. {}",
                keys.join(" or ")
            ),
        ));
    }
}
