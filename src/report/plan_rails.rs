//! A plan as Rails migration files (`zerodown plan ... --format rails`):
//! one `ActiveRecord::Migration` per migration step, in the folder of its
//! phase (`db/migrate`, `db/post_migrate`, `db/background_migrations`),
//! named by timestamp in plan order. Each statement of the step is one
//! `execute` of a single-quoted heredoc (no interpolation, no escapes: the
//! SQL is byte for byte the plan's), so that a step outside a transaction
//! (`disable_ddl_transaction!`) sends its statements one at a time, as
//! `CREATE INDEX CONCURRENTLY` needs. Read back by the Ruby front end, the
//! files give the plan's operations.
//!
//! With [`Helpers::Rails`] or [`Helpers::Gitlab`], a statement that a Rails
//! schema statement or a GitLab migration helper performs exactly is
//! written as that call (`add_index ..., algorithm: :concurrently` or
//! `add_concurrent_index`, `remove_index` or
//! `remove_concurrent_index_by_name`, `validate_constraint`); every other
//! statement stays an `execute` of the plan's SQL. "Exactly" is checked,
//! not assumed: the statement must read back as the SQL the call is lowered
//! to, byte for byte after spacing, so a clause the call cannot say (an
//! operator class, `INCLUDE`, a quoted name) keeps the statement as SQL.
//! The lock-retry blocks and the guards are PL/pgSQL that no helper
//! writes; they stay SQL, as proven on PostgreSQL.

use std::collections::BTreeMap;

use crate::model::{Name, OpKind};
use crate::plan::{Plan, Step, StepPhase};

use super::PlanFile;

/// The Rails version the migrations are written for.
const RAILS: &str = "7.1";

/// The GitLab migration class version the `gitlab` helpers are written for.
const GITLAB_MIGRATION: &str = "2.2";

/// What a Rails migration's statements are written with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Helpers {
    /// Every statement as the plan's SQL (`execute`).
    #[default]
    Sql,
    /// Rails' schema statements where one is exact.
    Rails,
    /// GitLab's migration helpers where one is exact, in a
    /// `Gitlab::Database::Migration` with the release as its `milestone`.
    Gitlab,
}

/// A plain lower-case identifier, which a Ruby symbol names as is.
fn plain(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A plain, unqualified name.
fn plain_name(n: &Name) -> Option<&str> {
    (n.schema.is_none() && plain(&n.name)).then_some(n.name.as_str())
}

/// Single spaces, no trailing `;`.
fn squeeze(sql: &str) -> String {
    sql.trim()
        .trim_end_matches(';')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Ruby double-quoted string literal of `s`.
fn ruby_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The helper call for one statement of the plan, when one performs it
/// exactly; `tables` maps the plan's index names to their tables (a drop
/// names only the index, `remove_index` needs the table).
fn helper_call(text: &str, helpers: Helpers, tables: &BTreeMap<String, String>) -> Option<String> {
    if helpers == Helpers::Sql {
        return None;
    }
    let stmt = crate::sql::lower(text, 0..text.len());
    if stmt.error.is_some() || stmt.ops.len() != 1 {
        return None;
    }
    let written = squeeze(text);
    match &stmt.ops[0].kind {
        OpKind::CreateIndex(ci)
            if ci.concurrently && !ci.only && !ci.if_not_exists && ci.predicate.is_none() =>
        {
            let name = plain_name(ci.name.as_ref()?)?;
            let table = plain_name(&ci.table)?;
            if !ci.columns.iter().all(|c| plain(c)) || ci.columns.is_empty() {
                return None;
            }
            let method = match &ci.method {
                Some(m) if plain(m) => Some(m.as_str()),
                Some(_) => return None,
                None => None,
            };
            let canonical = format!(
                "CREATE {}INDEX CONCURRENTLY {name} ON {table}{} ({})",
                if ci.unique { "UNIQUE " } else { "" },
                method.map(|m| format!(" USING {m}")).unwrap_or_default(),
                ci.columns.join(", ")
            );
            if canonical != written {
                return None;
            }
            let cols = if ci.columns.len() == 1 {
                format!(":{}", ci.columns[0])
            } else {
                format!(
                    "[{}]",
                    ci.columns
                        .iter()
                        .map(|c| format!(":{c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let mut call = match helpers {
                Helpers::Gitlab => format!(
                    "add_concurrent_index :{table}, {cols}, name: {}",
                    ruby_str(name)
                ),
                _ => format!("add_index :{table}, {cols}, name: {}", ruby_str(name)),
            };
            if ci.unique {
                call.push_str(", unique: true");
            }
            if let Some(m) = method {
                call.push_str(&format!(", using: :{m}"));
            }
            if helpers == Helpers::Rails {
                call.push_str(", algorithm: :concurrently");
            }
            Some(call)
        }
        OpKind::DropIndex { .. } => {
            // `DROP INDEX CONCURRENTLY IF EXISTS name`, of an index the plan
            // builds (its table known).
            let name = written.strip_prefix("DROP INDEX CONCURRENTLY IF EXISTS ")?;
            if !plain(name) {
                return None;
            }
            let table = tables.get(name)?;
            Some(match helpers {
                Helpers::Gitlab => {
                    format!(
                        "remove_concurrent_index_by_name :{table}, {}",
                        ruby_str(name)
                    )
                }
                _ => format!(
                    "remove_index :{table}, name: {}, algorithm: :concurrently, if_exists: true",
                    ruby_str(name)
                ),
            })
        }
        OpKind::ValidateConstraint { table, name } => {
            let t = plain_name(table)?;
            if !plain(name) || written != format!("ALTER TABLE {t} VALIDATE CONSTRAINT {name}") {
                return None;
            }
            Some(format!("validate_constraint :{t}, {}", ruby_str(name)))
        }
        _ => None,
    }
}

/// The tables of the indexes the plan builds, by index name.
fn index_tables(plan: &Plan) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (_, step) in plan.steps() {
        for sql in [step.sql.as_deref(), step.down.as_deref()]
            .into_iter()
            .flatten()
        {
            for raw in crate::sql::split(sql).statements {
                for op in crate::sql::lower(sql, raw.span.clone()).ops {
                    if let OpKind::CreateIndex(ci) = op.kind {
                        if let (Some(n), Some(t)) =
                            (ci.name.as_ref().and_then(plain_name), plain_name(&ci.table))
                        {
                            out.insert(n.to_string(), t.to_string());
                        }
                    }
                }
            }
        }
    }
    if let crate::model::Change::DropIndex {
        name,
        table: Some(table),
    } = &plan.change
    {
        if let (Some(n), Some(t)) = (plain_name(name), plain_name(table)) {
            out.insert(n.to_string(), t.to_string());
        }
    }
    out
}

/// The folder of a step's phase, as zerodown reads phases from paths.
fn folder(phase: StepPhase) -> &'static str {
    match phase {
        StepPhase::PostDeploy => "db/post_migrate",
        StepPhase::Background => "db/background_migrations",
        _ => "db/migrate",
    }
}

/// `add_users_email_not_null_check` -> `AddUsersEmailNotNullCheck`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'M');
    }
    out
}

/// Ruby comment lines.
fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.trim_end().lines() {
        out.push_str(indent);
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// One call per statement of `sql`: the helper that performs it exactly
/// (see [`Helpers`]), else an `execute` of a single-quoted squiggly heredoc,
/// indented under `def`.
fn executes(out: &mut String, sql: &str, helpers: Helpers, tables: &BTreeMap<String, String>) {
    let split = crate::sql::split(sql);
    for raw in &split.statements {
        // The statement with the comments right above it.
        let start = raw.leading.start.min(raw.span.start);
        if let Some(call) = helper_call(&sql[raw.span.clone()], helpers, tables) {
            let comments = sql[start..raw.span.start].trim();
            for line in comments.lines() {
                let line = line.trim().trim_start_matches("--").trim();
                out.push_str(&format!(
                    "    #{}{line}\n",
                    if line.is_empty() { "" } else { " " }
                ));
            }
            out.push_str(&format!("    {call}\n"));
            continue;
        }
        let text = sql[start..raw.span.end].trim();
        let text = if text.ends_with(';') {
            text.to_string()
        } else {
            format!("{text};")
        };
        let mut term = "SQL".to_string();
        while text.lines().any(|l| l.trim() == term) {
            term.push('_');
        }
        out.push_str(&format!("    execute <<~'{term}'\n"));
        for line in text.lines() {
            if !line.is_empty() {
                out.push_str("      ");
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push_str(&format!("    {term}\n"));
    }
}

fn migration(
    change: &str,
    number: usize,
    step: &Step,
    release: &str,
    helpers: Helpers,
    tables: &BTreeMap<String, String>,
) -> String {
    let mut out = String::from("# frozen_string_literal: true\n\n");
    out.push_str(&format!(
        "# zerodown: change={change} step={number} phase={}\n",
        step.phase.as_str()
    ));
    comment(&mut out, "", &step.title);
    comment(&mut out, "", &step.why);
    for r in &step.requires {
        comment(&mut out, "", &format!("requires: {r}"));
    }
    if let Some(p) = &step.progress {
        comment(&mut out, "", &format!("progress: {p}"));
    }
    let mut head = Vec::new();
    match helpers {
        Helpers::Gitlab => {
            out.push_str(&format!(
                "\nclass {} < Gitlab::Database::Migration[{GITLAB_MIGRATION}]\n",
                camel(&step.name)
            ));
            // GitLab's milestone is a release (`16.4`), not a label (`M+1`).
            let parts: Vec<&str> = release.split('.').collect();
            if parts.len() >= 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                head.push(format!("milestone '{}.{}'", parts[0], parts[1]));
            }
        }
        _ => out.push_str(&format!(
            "\nclass {} < ActiveRecord::Migration[{RAILS}]\n",
            camel(&step.name)
        )),
    }
    if step.outside_transaction {
        head.push("disable_ddl_transaction!".to_string());
    }
    for h in &head {
        out.push_str(&format!("  {h}\n"));
    }
    if !head.is_empty() {
        out.push('\n');
    }
    out.push_str("  def up\n");
    executes(&mut out, step.sql.as_deref().unwrap_or(""), helpers, tables);
    out.push_str("  end\n\n  def down\n");
    match &step.down {
        Some(down) => executes(&mut out, down, helpers, tables),
        None => out.push_str("    # nothing to undo\n"),
    }
    out.push_str("  end\nend\n");
    out
}

/// The plan's migration steps as Rails migration files. `timestamp` is the
/// first file's (`YYYYMMDDHHMMSS`); each later step's is one more, so
/// Rails runs them in the plan's order. The application steps are the
/// plan's text (`render_plan_text`); they are not files.
pub fn plan_files_rails(plan: &Plan, timestamp: u64, helpers: Helpers) -> Vec<PlanFile> {
    let change = plan.change_name();
    let tables = index_tables(plan);
    let mut files = Vec::new();
    let mut number = 0;
    for release in &plan.releases {
        for step in release.steps.iter().filter(|s| s.is_migration()) {
            number += 1;
            let stamp = timestamp + number as u64 - 1;
            files.push(PlanFile {
                path: format!("{}/{stamp}_{}.rb", folder(step.phase), step.name),
                contents: migration(&change, number, step, &release.version, helpers, &tables),
            });
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names() {
        assert_eq!(
            camel("add_users_email_not_null_check"),
            "AddUsersEmailNotNullCheck"
        );
        assert_eq!(camel("2fa"), "M2fa");
    }
}
