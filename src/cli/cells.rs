//! `zerodown cells analyze|move-check` and `zerodown fleet check`: read the
//! inputs, call the library, print text or JSON.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::{exit_status, fail, print_json, read_text, EntryKind, Format, Io, Stream};
use crate::report::cells::FleetReport;
use crate::report::{render_analyze_text, render_fleet_text, render_move_text};

#[derive(Args)]
pub struct CellsArgs {
    #[command(subcommand)]
    command: CellsCommand,
}

#[derive(Subcommand)]
enum CellsCommand {
    /// Report organization isolation for every table of a full schema dump.
    Analyze {
        /// The schema dump (pg_dump --schema-only, structure.sql).
        schema: PathBuf,
        /// A root table (repeatable; default: organizations, namespaces, projects).
        #[arg(long = "root", value_name = "TABLE")]
        roots: Vec<String>,
        /// A table shared cluster-wide, owned by no organization (repeatable).
        #[arg(long = "shared", value_name = "TABLE")]
        shared: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Say whether two cells' schemas are in sync, so an organization may move.
    MoveCheck {
        /// Applied migration versions of the source cell, one per line.
        #[arg(long)]
        source: PathBuf,
        /// Applied migration versions of the target cell, one per line.
        #[arg(long)]
        target: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Args)]
pub struct FleetArgs {
    #[command(subcommand)]
    command: FleetCommand,
}

#[derive(Subcommand)]
enum FleetCommand {
    /// Check a plan's steps against cells running different versions.
    Check {
        /// The fleet file (TOML: shared tables, cells with name and version).
        #[arg(long)]
        fleet: PathBuf,
        /// The plan, as `zerodown plan --format json` prints it, or a
        /// release-migrations folder (`<dir>/<version>/<file>`).
        plan: PathBuf,
        /// With a folder: the release `unreleased/` stands for.
        #[arg(long)]
        unreleased_as: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Reads two files; on failure prints the error of each that failed.
fn read_both(io: &mut dyn Io, a: &Path, b: &Path) -> Result<(String, String), u8> {
    match (read_text(io, a), read_text(io, b)) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut code = 0;
            for e in [a.err(), b.err()].into_iter().flatten() {
                code = fail(io, e);
            }
            Err(code)
        }
    }
}

pub fn run(args: CellsArgs, io: &mut dyn Io) -> u8 {
    match args.command {
        CellsCommand::Analyze {
            schema,
            roots,
            shared,
            format,
        } => {
            let sql = match read_text(io, &schema) {
                Ok(s) => s,
                Err(e) => return fail(io, e),
            };
            let report = crate::cells::analyze_with_shared(&sql, &roots, &shared);
            if format == Format::Json {
                print_json(io, &report);
            } else {
                let text = render_analyze_text(&report, &schema.display().to_string());
                io.write(Stream::Stdout, &text);
            }
            exit_status(report.has_errors())
        }
        CellsCommand::MoveCheck {
            source,
            target,
            format,
        } => {
            let (s, t) = match read_both(io, &source, &target) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let check = match crate::cells::move_check(
                &s,
                &source.display().to_string(),
                &t,
                &target.display().to_string(),
            ) {
                Ok(c) => c,
                Err(e) => return fail(io, e),
            };
            if format == Format::Json {
                print_json(io, &check);
            } else {
                io.write(Stream::Stdout, &render_move_text(&check));
            }
            exit_status(!check.allowed)
        }
    }
}

pub fn run_fleet(args: FleetArgs, io: &mut dyn Io) -> u8 {
    let FleetCommand::Check {
        fleet,
        plan,
        format,
        unreleased_as,
    } = args.command;
    if io.kind(&plan) == EntryKind::Dir {
        return fleet_check_folder(&fleet, &plan, unreleased_as.as_deref(), format, io);
    }
    let (f, p) = match read_both(io, &fleet, &plan) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let report = match crate::cells::fleet_check(
        &f,
        &fleet.display().to_string(),
        &p,
        &plan.display().to_string(),
    ) {
        Ok(r) => r,
        Err(e) => return fail(io, e),
    };
    print_fleet(&report, format, io)
}

/// `fleet check` over a release-migrations folder.
fn fleet_check_folder(
    fleet: &Path,
    dir: &Path,
    unreleased_as: Option<&str>,
    format: Format,
    io: &mut dyn Io,
) -> u8 {
    let text = match read_text(io, fleet) {
        Ok(t) => t,
        Err(e) => return fail(io, e),
    };
    let files = match super::schedule::read_dir(dir, io) {
        Ok(f) => f,
        Err(e) => return fail(io, e),
    };
    let report = crate::cells::parse_fleet(&text, &fleet.display().to_string()).and_then(|f| {
        let steps = crate::cells::steps_from_release_files(&files, unreleased_as)?;
        crate::cells::check_steps(&f, &steps)
    });
    match report {
        Ok(r) => print_fleet(&r, format, io),
        Err(e) => fail(io, e),
    }
}

fn print_fleet(report: &FleetReport, format: Format, io: &mut dyn Io) -> u8 {
    if format == Format::Json {
        print_json(io, report);
    } else {
        io.write(Stream::Stdout, &render_fleet_text(report));
    }
    exit_status(report.has_errors())
}
