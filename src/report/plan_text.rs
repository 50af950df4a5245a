//! Plans for people (a release-by-release timeline) and as migration files
//! (`--format sql`: one file per migration, in folders per release and phase).

use serde::{Deserialize, Serialize};

use crate::model::Change;
use crate::plan::{Plan, Step, StepPhase};

/// One line describing the change.
pub fn describe_change(change: &Change) -> String {
    match change {
        Change::DropColumn { table, column } => format!("drop column {table}.{column}"),
        Change::RenameColumn {
            table,
            column,
            new_name,
            ..
        } => {
            format!("rename column {table}.{column} to {new_name}")
        }
        Change::ChangeColumnType {
            table,
            column,
            new_type,
            using,
            ..
        } => format!(
            "change the type of {table}.{column} to {new_type}{}",
            using
                .as_deref()
                .map(|u| format!(" using {u}"))
                .unwrap_or_default()
        ),
        Change::ChangeColumnDefault {
            table,
            column,
            default,
        } => match default {
            Some(d) => format!("set the default of {table}.{column} to {d}"),
            None => format!("drop the default of {table}.{column}"),
        },
        Change::SetNotNull { table, column } => format!("make {table}.{column} NOT NULL"),
        Change::AddCheckConstraint {
            table, expression, ..
        } => {
            format!("add CHECK ({expression}) to {table}")
        }
        Change::AddForeignKey {
            table,
            columns,
            ref_table,
            ref_columns,
            ..
        } => format!(
            "add a foreign key from {table}({}) to {ref_table}({})",
            columns.join(", "),
            ref_columns.join(", ")
        ),
        Change::AddUniqueConstraint {
            table,
            columns,
            primary_key,
            ..
        } => format!(
            "add a {} on {table}({})",
            if *primary_key {
                "primary key"
            } else {
                "unique constraint"
            },
            columns.join(", ")
        ),
        Change::AddIndex { table, columns, .. } => {
            format!("add an index on {table}({})", columns.join(", "))
        }
        Change::DropIndex { name, .. } => format!("drop index {name}"),
        Change::DropTable { table } => format!("drop table {table}"),
        Change::RenameTable { table, new_name } => format!("rename table {table} to {new_name}"),
        Change::BigintPrimaryKey { table, column } => {
            format!("convert {table}.{column} to bigint")
        }
        Change::Backfill { table, set, .. } => format!("backfill {table}: SET {set}"),
        Change::DataFormatChange {
            table,
            column,
            new_column,
            new_type,
            ..
        } => {
            format!("move {table}.{column} to {new_column} ({new_type})")
        }
        Change::RenameEnumValue {
            type_name,
            value,
            new_value,
        } => format!("rename the label '{value}' of {type_name} to '{new_value}'"),
        Change::ReplaceView { view, new_name, .. } => {
            format!("replace view {view} with {new_name}")
        }
    }
}

fn phase_heading(phase: StepPhase) -> &'static str {
    match phase {
        StepPhase::Regular => "Regular migrations (before the deploy)",
        StepPhase::Application => "Application code",
        StepPhase::PostDeploy => "Post-deploy migrations (after every node runs the new code)",
        StepPhase::Background => "Background migrations",
    }
}

fn indent(out: &mut String, text: &str, pad: &str) {
    for line in text.trim_end().lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(pad);
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The plan as a release timeline: releases in order, steps grouped by
/// phase, SQL indented. Migration steps are numbered as their files are.
pub fn render_plan_text(plan: &Plan) -> String {
    let mut out = format!(
        "Plan for: {}\nChange: {}\n",
        describe_change(&plan.change),
        plan.change_name()
    );
    let mut number = 0;
    for release in &plan.releases {
        out.push('\n');
        out.push_str(&format!("Release {}", release.version));
        if let Some(d) = &release.date {
            out.push_str(&format!(" ({d})"));
        }
        out.push('\n');
        let mut last_phase = None;
        for step in &release.steps {
            if last_phase != Some(step.phase) {
                out.push_str(&format!("  {}\n", phase_heading(step.phase)));
                last_phase = Some(step.phase);
            }
            let bullet = if step.is_migration() {
                number += 1;
                format!("{number}.")
            } else {
                "-".to_string()
            };
            out.push_str(&format!("    {bullet} {}\n", step.title));
            let pad = "       ";
            out.push_str(&format!("{pad}why: {}\n", step.why));
            for r in &step.requires {
                out.push_str(&format!("{pad}requires: {r}\n"));
            }
            if let Some(code) = &step.code {
                out.push_str(&format!("{pad}code:\n"));
                indent(&mut out, code, "           ");
            }
            if let Some(sql) = &step.sql {
                let how = if step.outside_transaction {
                    " (outside a transaction)"
                } else {
                    " (in a transaction)"
                };
                out.push_str(&format!("{pad}sql{how}:\n"));
                indent(&mut out, sql, "           ");
            }
            if step.is_migration() {
                match &step.down {
                    Some(down) => {
                        out.push_str(&format!("{pad}rollback:\n"));
                        indent(&mut out, down, "           ");
                    }
                    None => out.push_str(&format!("{pad}rollback: nothing to undo\n")),
                }
            }
            if let Some(p) = &step.progress {
                out.push_str(&format!("{pad}progress: {p}\n"));
            }
        }
    }
    out
}

/// A file of a plan written as migrations.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFile {
    /// `/`-separated path relative to the output folder
    /// (`16.4/post-deploy/03_cleanup_users_username_rename.sql`).
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// The header line every migration file starts with.
pub fn migration_header(change: &str, number: usize, step: &Step) -> String {
    format!(
        "-- zerodown: change={change} step={number} phase={}\n",
        step.phase.as_str()
    )
}

fn comment(out: &mut String, text: &str) {
    for line in text.trim_end().lines() {
        if line.is_empty() {
            out.push_str("--\n");
        } else {
            out.push_str("-- ");
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The body of a migration step as a file: the step's SQL, wrapped in
/// BEGIN/COMMIT unless it must run outside a transaction.
pub fn migration_body(step: &Step) -> String {
    let sql = step.sql.as_deref().unwrap_or("");
    if step.outside_transaction {
        sql.to_string()
    } else {
        format!("BEGIN;\n{sql}COMMIT;\n")
    }
}

/// The plan as migration files, one per migration step, in folders named
/// per release and phase, plus a `CODE.md` per release listing the
/// application changes. Pure: the caller writes them.
pub fn plan_files(plan: &Plan) -> Vec<PlanFile> {
    let change = plan.change_name();
    let mut files = Vec::new();
    let mut number = 0;
    for release in &plan.releases {
        let mut code = String::new();
        for step in &release.steps {
            if !step.is_migration() {
                code.push_str(&format!("## {}\n\n{}\n\n", step.title, step.why));
                for r in &step.requires {
                    code.push_str(&format!("- requires: {r}\n"));
                }
                if !step.requires.is_empty() {
                    code.push('\n');
                }
                if let Some(c) = &step.code {
                    code.push_str(&format!("```\n{}\n```\n\n", c.trim_end()));
                }
                continue;
            }
            number += 1;
            let mut text = migration_header(&change, number, step);
            if step.outside_transaction {
                text.push_str("-- zerodown: transaction=false\n");
            }
            comment(&mut text, &step.title);
            comment(&mut text, &step.why);
            for r in &step.requires {
                comment(&mut text, &format!("requires: {r}"));
            }
            if let Some(p) = &step.progress {
                comment(&mut text, &format!("progress: {p}"));
            }
            text.push('\n');
            text.push_str(&migration_body(step));
            match &step.down {
                Some(down) => {
                    text.push_str("\n-- rollback");
                    text.push_str(if step.outside_transaction {
                        " (outside a transaction):\n"
                    } else {
                        ":\n"
                    });
                    comment(&mut text, down);
                }
                None => text.push_str("\n-- rollback: nothing to undo\n"),
            }
            files.push(PlanFile {
                path: format!(
                    "{}/{}/{number:02}_{}.sql",
                    release.version,
                    step.phase.as_str(),
                    step.name
                ),
                contents: text,
            });
        }
        if !code.is_empty() {
            files.push(PlanFile {
                path: format!("{}/CODE.md", release.version),
                contents: format!(
                    "# {} — application changes in release {}\n\n{}",
                    plan.change_name(),
                    release.version,
                    code.trim_end()
                ) + "\n",
            });
        }
    }
    files
}
