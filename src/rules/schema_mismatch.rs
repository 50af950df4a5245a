use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Name, Op, OpKind};

declare_rule! {
    /// ## What it does
    /// With a schema loaded (`--schema`, or `schema` in `zerodown.toml`; see
    /// `docs/schema.md`), flags a statement that references a table, column,
    /// index or constraint that does not exist at that point (in the schema,
    /// after the migrations linted before it), or creates one that already
    /// exists, without `IF EXISTS` / `IF NOT EXISTS`. Without a schema the
    /// rule says nothing: zerodown does not know what the database holds.
    ///
    /// ## Why it causes downtime
    /// PostgreSQL rejects the statement, so the migration fails at deploy
    /// time: the deploy stops half done, with the earlier statements of a
    /// migration outside a transaction already applied. A typo in a column
    /// name is found by the reviewer's tool, not by the production deploy.
    ///
    /// ## Example
    /// Against a schema where `users` has no column `emial`:
    /// ```sql schema
    /// CREATE TABLE public.users (id bigint NOT NULL, email text);
    /// ```
    /// ```sql invalid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ALTER COLUMN emial SET DEFAULT '';
    /// ```
    ///
    /// ## Safe alternative
    /// Name the object as the schema has it, or create it in an earlier
    /// migration:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ALTER COLUMN email SET DEFAULT '';
    /// ```
    /// When the migration must run whether or not the object exists, say so
    /// with `IF EXISTS` / `IF NOT EXISTS`:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;
    /// ```
    pub struct SchemaMismatch {
        id: "schema-mismatch",
        severity: Error,
        summary: "a table, column, index or constraint the schema does not have, or already has",
    }
}

/// The statement's words, upper-cased and single-spaced.
fn words(cx: &RuleContext<'_>) -> String {
    let text = cx.source.get(cx.statement.span.clone()).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for w in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_ascii_uppercase());
    }
    out
}

const FAILS: &str = "PostgreSQL rejects the statement, so the migration would fail at deploy time";

impl Rule for SchemaMismatch {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let c = cx.catalog;
        if !c.is_complete() {
            return;
        }
        let words = words(cx);
        let if_exists = words.contains("IF EXISTS");
        let if_not_exists = words.contains("IF NOT EXISTS");
        let mut problems: Vec<String> = Vec::new();
        let missing_table = |t: &Name, problems: &mut Vec<String>| {
            let gone = !c.has_table(t);
            if gone && !if_exists {
                problems.push(format!("table `{t}` does not exist"));
            }
            gone
        };
        let missing_column = |t: &Name, col: &str, problems: &mut Vec<String>| {
            if c.columns_known(t) && c.column(t, col).is_none() && !if_exists {
                problems.push(format!("column `{t}`.`{col}` does not exist"));
            }
        };
        // Statements on one existing table: a missing table is the whole story.
        let subject = match &op.kind {
            OpKind::RenameTable { table, .. }
            | OpKind::AddColumn { table, .. }
            | OpKind::RenameColumn { table, .. }
            | OpKind::DropColumn { table, .. }
            | OpKind::AlterColumnType { table, .. }
            | OpKind::SetNotNull { table, .. }
            | OpKind::DropNotNull { table, .. }
            | OpKind::ChangeDefault { table, .. }
            | OpKind::AddConstraint { table, .. }
            | OpKind::ValidateConstraint { table, .. }
            | OpKind::DropConstraint { table, .. } => Some(table),
            OpKind::CreateIndex(ci) => Some(&ci.table),
            _ => None,
        };
        let subject_gone = subject.is_some_and(|t| missing_table(t, &mut problems));
        match &op.kind {
            _ if subject_gone => {}
            OpKind::CreateTable(ct) => {
                if c.has_table(&ct.table) && !ct.if_not_exists {
                    problems.push(format!("table `{}` already exists", ct.table));
                }
                if let Some(p) = &ct.partition_of {
                    missing_table(p, &mut problems);
                }
            }
            OpKind::DropTable { tables, .. } => {
                for t in tables {
                    missing_table(t, &mut problems);
                }
            }
            OpKind::RenameTable { table, new_name } => {
                let to = Name {
                    schema: table.schema.clone(),
                    name: new_name.clone(),
                };
                if c.has_table(&to) {
                    problems.push(format!("table `{to}` already exists"));
                }
            }
            OpKind::AddColumn { table, column }
                if c.column(table, &column.name).is_some() && !if_not_exists =>
            {
                problems.push(format!("column `{table}`.`{}` already exists", column.name));
            }
            OpKind::RenameColumn {
                table,
                column,
                new_name,
            } => {
                missing_column(table, column, &mut problems);
                if c.column(table, new_name).is_some() {
                    problems.push(format!("column `{table}`.`{new_name}` already exists"));
                }
            }
            OpKind::DropColumn { table, column, .. }
            | OpKind::AlterColumnType { table, column, .. }
            | OpKind::SetNotNull { table, column }
            | OpKind::DropNotNull { table, column }
            | OpKind::ChangeDefault { table, column, .. } => {
                missing_column(table, column, &mut problems);
            }
            OpKind::AddConstraint { table, constraint } => {
                if let Some(name) = &constraint.name {
                    if c.has_constraint(table, name) {
                        problems.push(format!("constraint `{name}` of `{table}` already exists"));
                    }
                }
            }
            OpKind::ValidateConstraint { table, name } | OpKind::DropConstraint { table, name }
                if c.constraint_names_known(table)
                    && !c.has_constraint(table, name)
                    && !if_exists =>
            {
                problems.push(format!("constraint `{name}` of `{table}` does not exist"));
            }
            OpKind::CreateIndex(ci) => {
                if let Some(name) = &ci.name {
                    let name = Name {
                        schema: name.schema.clone().or_else(|| ci.table.schema.clone()),
                        name: name.name.clone(),
                    };
                    if c.index(&name).is_some() && !ci.if_not_exists {
                        problems.push(format!("index `{name}` already exists"));
                    }
                }
            }
            OpKind::DropIndex { names, .. } => {
                for n in names {
                    if c.index(n).is_none() && !if_exists {
                        problems.push(format!("index `{n}` does not exist"));
                    }
                }
            }
            _ => {}
        }
        for p in problems {
            out.push(Diagnostic::new(
                op.span.clone(),
                format!("{p} at this point (in the loaded schema and the migrations before this one): {FAILS}"),
                "name the object as the schema has it, or create it in an earlier migration; if the statement must run either way, add IF EXISTS / IF NOT EXISTS",
            ));
        }
    }
}
