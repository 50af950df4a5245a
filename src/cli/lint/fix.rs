//! `zerodown fix`: applies the findings' fixes to the files, or shows them
//! (`--diff`, `--dry-run`). The files are read as `lint` reads them (their
//! tool, run order and transaction modes, `zerodown.toml`); the fixing is
//! the core's (`lint::fix_folder`).

use std::path::PathBuf;

use clap::Args;

use super::{collect_with, is_migration_file, is_tool_file, tool_of, LintArgs, LintFormat};
use crate::cli::{fail, Color, Io, Stream};

#[derive(Args)]
pub struct FixArgs {
    /// Files and folders, as `lint` reads them (SQL, and Rails migrations in Rails terms).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Apply only this rule's fixes (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    only: Vec<String>,
    /// Write nothing; list the fixes that would be applied (exit 1 when there are any).
    #[arg(long, conflicts_with = "diff")]
    dry_run: bool,
    /// Write nothing; print the changes as a unified diff (exit 1 when there are any).
    #[arg(long)]
    diff: bool,
    /// The phase of every file: regular, post-deploy or background (default: from the path).
    #[arg(long, value_parser = super::parse_phase)]
    phase: Option<crate::Phase>,
    /// Target PostgreSQL major version (default 14): some fixes need 12 or later.
    #[arg(long)]
    pg_version: Option<u32>,
    /// Files run inside a transaction even without BEGIN (fixes that need to run outside one are then not applied).
    #[arg(long)]
    assume_in_transaction: bool,
    /// The migration tool that runs the migrations (as `lint --tool`).
    #[arg(long, value_name = "TOOL")]
    tool: Option<String>,
    /// Fix only the migrations these globs match (repeatable).
    #[arg(long = "include", value_name = "GLOB")]
    include: Vec<String>,
    /// Never fix the files these globs match (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// missing-lock-timeout: the longest lock_timeout a migration may set (default 2s).
    #[arg(long, value_name = "DURATION")]
    max_lock_timeout: Option<String>,
    /// A schema dump to lint against (as `lint --schema`).
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// Config file (default: zerodown.toml found from the current folder upwards).
    #[arg(long)]
    config: Option<PathBuf>,
}

impl FixArgs {
    /// The `lint` arguments these stand for.
    fn lint_args(&self) -> LintArgs {
        LintArgs {
            paths: self.paths.clone(),
            diff: None,
            changed_since: None,
            migrations: Vec::new(),
            format: LintFormat::Json,
            fail_on: None,
            phase: self.phase,
            pg_version: self.pg_version,
            large_tables: Vec::new(),
            assume_in_transaction: self.assume_in_transaction,
            tool: self.tool.clone(),
            direction: None,
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            define: Vec::new(),
            jobs: None,
            release: None,
            config: self.config.clone(),
            rules: Vec::new(),
            no_plans: true,
            lock_timeout: None,
            lock_retries: None,
            max_lock_timeout: self.max_lock_timeout.clone(),
            schema: self.schema.clone(),
            database_url: None,
            stats: None,
            table_docs: None,
            rubocop_migrations: None,
            large_rows: None,
            large_bytes: None,
            color: Color::Never,
        }
    }
}

/// Runs `zerodown fix`.
pub fn run(args: FixArgs, io: &mut dyn Io) -> u8 {
    let lint_args = args.lint_args();
    let options = match super::options(&lint_args, io) {
        Ok(o) => o,
        Err(e) => return fail(io, e),
    };
    let catalogue = crate::rules::RULES;
    if let Some(unknown) = args
        .only
        .iter()
        .find(|r| !catalogue.iter().any(|rule| rule.meta().id == r.as_str()))
    {
        return fail(
            io,
            format!("--rule `{unknown}` is not a zerodown rule (`zerodown rules` lists them)"),
        );
    }
    let known = match super::load_schema(&options, None, None, io) {
        Ok(k) => k,
        Err(e) => return fail(io, e),
    };
    let outcome = tool_of(&options).and_then(|(tool, direction)| {
        let paths = collect_with(&args.paths, io, |p| is_migration_file(p) || is_tool_file(p))?;
        let mut files = Vec::with_capacity(paths.len());
        for p in &paths {
            files.push((
                p.to_string_lossy().replace('\\', "/"),
                crate::cli::read_text(io, p)?,
            ));
        }
        let outcome = crate::lint::fix_folder(
            &files,
            tool,
            direction,
            &options,
            known.schema.as_ref(),
            &args.only,
        )
        .map_err(|e| e.to_string())?;
        Ok((files, outcome))
    });
    let (files, outcome) = match outcome {
        Ok(o) => o,
        Err(e) => return fail(io, e),
    };
    let count: usize = outcome.fixed.iter().map(|f| f.rules.len()).sum();
    if args.diff {
        for fixed in &outcome.fixed {
            let before = files
                .iter()
                .find(|(p, _)| *p == fixed.path)
                .map_or("", |(_, t)| t.as_str());
            let diff = similar::TextDiff::from_lines(before, &fixed.text);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{}", fixed.path), &format!("b/{}", fixed.path))
                .to_string();
            io.write(Stream::Stdout, &text);
        }
    } else {
        for fixed in &outcome.fixed {
            if !args.dry_run {
                if let Err(e) = io.write_file(std::path::Path::new(&fixed.path), &fixed.text) {
                    return fail(io, format!("{}: {e}", fixed.path));
                }
            }
            io.write(
                Stream::Stdout,
                &format!("{}: {}\n", fixed.path, fixed.rules.join(", ")),
            );
        }
        let verb = if args.dry_run { "would fix" } else { "fixed" };
        io.write(
            Stream::Stderr,
            &format!(
                "{verb} {count} finding{} in {} file{}{}\n",
                if count == 1 { "" } else { "s" },
                outcome.fixed.len(),
                if outcome.fixed.len() == 1 { "" } else { "s" },
                if outcome.unapplied > 0 {
                    format!(
                        "; {} fix{} could not be applied (they overlap)",
                        outcome.unapplied,
                        if outcome.unapplied == 1 { "" } else { "es" }
                    )
                } else {
                    String::new()
                }
            ),
        );
    }
    u8::from((args.diff || args.dry_run) && count > 0)
}
