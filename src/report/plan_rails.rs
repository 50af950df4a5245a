//! A plan as Rails migration files (`zerodown plan ... --format rails`):
//! one `ActiveRecord::Migration` per migration step, in the folder of its
//! phase (`db/migrate`, `db/post_migrate`, `db/background_migrations`),
//! named by timestamp in plan order. Each statement of the step is one
//! `execute` of a single-quoted heredoc (no interpolation, no escapes: the
//! SQL is byte for byte the plan's), so that a step outside a transaction
//! (`disable_ddl_transaction!`) sends its statements one at a time, as
//! `CREATE INDEX CONCURRENTLY` needs. Read back by the Ruby front end, the
//! files give the plan's operations.

use crate::plan::{Plan, Step, StepPhase};

use super::PlanFile;

/// The Rails version the migrations are written for.
const RAILS: &str = "7.1";

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

/// `execute` calls, one per statement of `sql`, each a single-quoted
/// squiggly heredoc indented under `def`.
fn executes(out: &mut String, sql: &str) {
    let split = crate::sql::split(sql);
    for raw in &split.statements {
        // The statement with the comments right above it.
        let start = raw.leading.start.min(raw.span.start);
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

fn migration(change: &str, number: usize, step: &Step) -> String {
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
    out.push_str(&format!(
        "\nclass {} < ActiveRecord::Migration[{RAILS}]\n",
        camel(&step.name)
    ));
    if step.outside_transaction {
        out.push_str("  disable_ddl_transaction!\n\n");
    }
    out.push_str("  def up\n");
    executes(&mut out, step.sql.as_deref().unwrap_or(""));
    out.push_str("  end\n\n  def down\n");
    match &step.down {
        Some(down) => executes(&mut out, down),
        None => out.push_str("    # nothing to undo\n"),
    }
    out.push_str("  end\nend\n");
    out
}

/// The plan's migration steps as Rails migration files. `timestamp` is the
/// first file's (`YYYYMMDDHHMMSS`); each later step's is one more, so
/// Rails runs them in the plan's order. The application steps are the
/// plan's text (`render_plan_text`); they are not files.
pub fn plan_files_rails(plan: &Plan, timestamp: u64) -> Vec<PlanFile> {
    let change = plan.change_name();
    let mut files = Vec::new();
    let mut number = 0;
    for release in &plan.releases {
        for step in release.steps.iter().filter(|s| s.is_migration()) {
            number += 1;
            let stamp = timestamp + number as u64 - 1;
            files.push(PlanFile {
                path: format!("{}/{stamp}_{}.rb", folder(step.phase), step.name),
                contents: migration(&change, number, step),
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
