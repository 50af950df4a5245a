//! `zerodown cells analyze|move-check` and `zerodown fleet check`: read the
//! inputs, call the library, print text or JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use zerodown::report::cells::{CellsReport, FleetReport, MoveCheck, StepStatus, TableReport};
use zerodown::report::render_json;

use super::{fail, Format};

/// Exit status when a check finds an error or refuses a move.
const EXIT_FINDINGS: u8 = 1;

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

fn read(path: &Path) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read {}: {e}", path.display())))
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(args: CellsArgs) -> ExitCode {
    match args.command {
        CellsCommand::Analyze {
            schema,
            roots,
            shared,
            format,
        } => {
            let sql = match read(&schema) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let report = zerodown::cells::analyze_with_shared(&sql, &roots, &shared);
            if format == Format::Json {
                outln!("{}", render_json(&report));
            } else {
                out!("{}", analyze_text(&report, &schema.display().to_string()));
            }
            exit(report.has_errors())
        }
        CellsCommand::MoveCheck {
            source,
            target,
            format,
        } => {
            let (s, t) = match (read(&source), read(&target)) {
                (Ok(s), Ok(t)) => (s, t),
                (Err(code), _) | (_, Err(code)) => return code,
            };
            let check = match zerodown::cells::move_check(
                &s,
                &source.display().to_string(),
                &t,
                &target.display().to_string(),
            ) {
                Ok(c) => c,
                Err(e) => return fail(e),
            };
            if format == Format::Json {
                outln!("{}", render_json(&check));
            } else {
                out!("{}", move_text(&check));
            }
            exit(!check.allowed)
        }
    }
}

pub fn run_fleet(args: FleetArgs) -> ExitCode {
    let FleetCommand::Check {
        fleet,
        plan,
        format,
        unreleased_as,
    } = args.command;
    if plan.is_dir() {
        return fleet_check_folder(&fleet, &plan, unreleased_as.as_deref(), format);
    }
    let (f, p) = match (read(&fleet), read(&plan)) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let report = match zerodown::cells::fleet_check(
        &f,
        &fleet.display().to_string(),
        &p,
        &plan.display().to_string(),
    ) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    print_fleet(&report, format)
}

/// `fleet check` over a release-migrations folder.
fn fleet_check_folder(
    fleet: &Path,
    dir: &Path,
    unreleased_as: Option<&str>,
    format: Format,
) -> ExitCode {
    let text = match read(fleet) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let files = match super::schedule::read_dir(dir) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let report = zerodown::cells::parse_fleet(&text, &fleet.display().to_string()).and_then(|f| {
        let steps = zerodown::cells::steps_from_release_files(&files, unreleased_as)?;
        zerodown::cells::check_steps(&f, &steps)
    });
    match report {
        Ok(r) => print_fleet(&r, format),
        Err(e) => fail(e),
    }
}

fn print_fleet(report: &FleetReport, format: Format) -> ExitCode {
    if format == Format::Json {
        outln!("{}", render_json(report));
    } else {
        out!("{}", fleet_text(report));
    }
    exit(report.has_errors())
}

/// Most tables listed per finding kind in the text summary.
const NOTABLE: usize = 10;

fn analyze_text(r: &CellsReport, path: &str) -> String {
    let s = &r.summary;
    let st = &r.statements;
    let mut out = String::new();
    out.push_str(&format!(
        "{path}: organization isolation (roots: {})\n",
        r.roots.join(", ")
    ));
    if !r.missing_roots.is_empty() {
        out.push_str(&format!(
            "  roots not in the schema: {}\n",
            r.missing_roots.join(", ")
        ));
    }
    out.push_str(&format!(
        "  statements: {} read, {} used, {} skipped, {} failed\n",
        st.total, st.used, st.skipped, st.failed
    ));
    let skipped: Vec<String> = st
        .by_kind
        .iter()
        .filter(|k| k.skipped > 0)
        .map(|k| format!("{} {}", k.kind, k.skipped))
        .collect();
    if !skipped.is_empty() {
        out.push_str(&format!("    skipped: {}\n", skipped.join(", ")));
    }
    for f in &st.failures {
        out.push_str(&format!(
            "    failed: line {}: {}: {}\n",
            f.line, f.kind, f.message
        ));
    }
    out.push_str(&format!(
        "  tables: {} ({} partitions folded in, {} roots, {} shared), {} foreign keys\n",
        s.tables, s.partitions, s.roots, s.shared, s.foreign_keys
    ));
    out.push_str(&format!(
        "  sharding key: {} tables ({} direct, longest path {})\n",
        s.with_sharding_key, s.direct, s.max_path_length
    ));
    let kinds = [
        ("no-path", "no path to a root", s.no_path),
        (
            "cross-organization",
            "references can cross organizations",
            s.cross_organization,
        ),
        (
            "nullable-sharding-key",
            "nullable sharding key",
            s.nullable_sharding_key,
        ),
        (
            "sharding-key-without-foreign-key",
            "key-like column without a foreign key",
            s.sharding_key_without_foreign_key,
        ),
        (
            "unique-without-sharding-key",
            "unique key without the sharding key",
            s.unique_without_sharding_key,
        ),
    ];
    for (id, words, n) in kinds {
        out.push_str(&format!("  {id}: {n} tables ({words})\n"));
        let tables: Vec<&TableReport> = r
            .tables
            .iter()
            .filter(|t| t.findings.iter().any(|f| f.kind.as_str() == id))
            .collect();
        if id == "no-path" {
            let names: Vec<&str> = tables
                .iter()
                .take(NOTABLE * 2)
                .map(|t| t.name.as_str())
                .collect();
            if !names.is_empty() {
                out.push_str(&format!("    {}", names.join(", ")));
                if tables.len() > names.len() {
                    out.push_str(&format!(" and {} more", tables.len() - names.len()));
                }
                out.push('\n');
            }
            continue;
        }
        for t in tables.iter().take(NOTABLE) {
            let f = t.findings.iter().find(|f| f.kind.as_str() == id);
            if let Some(f) = f {
                out.push_str(&format!("    {}: {}\n", t.name, f.message));
            }
        }
        if tables.len() > NOTABLE {
            out.push_str(&format!(
                "    ... and {} more (--format json lists every table)\n",
                tables.len() - NOTABLE
            ));
        }
    }
    out.push_str(&format!("{} errors, {} warnings\n", s.errors, s.warnings));
    out
}

fn move_text(m: &MoveCheck) -> String {
    let mut out = format!(
        "{}: {}\n",
        if m.allowed {
            "move allowed"
        } else {
            "move not allowed"
        },
        m.message
    );
    for v in &m.only_in_source {
        out.push_str(&format!("  only on source: {v}\n"));
    }
    for v in &m.only_in_target {
        out.push_str(&format!("  only on target: {v}\n"));
    }
    out
}

fn fleet_text(r: &FleetReport) -> String {
    let cells: Vec<String> = r
        .cells
        .iter()
        .map(|c| format!("{} {}", c.name, c.version))
        .collect();
    let mut out = format!("fleet: {}\n", cells.join(", "));
    if !r.shared_tables.is_empty() {
        out.push_str(&format!("shared tables: {}\n", r.shared_tables.join(", ")));
    }
    for s in &r.steps {
        let mark = match s.status {
            StepStatus::FleetIncompatible => "error",
            StepStatus::Blocked => "wait ",
            StepStatus::Ready => "ok   ",
            StepStatus::Application => "app  ",
        };
        out.push_str(&format!(
            "{mark} {} {:11} {}{}\n",
            s.release,
            s.phase_name(),
            s.title,
            s.requires_version
                .as_ref()
                .map_or_else(String::new, |v| format!(" (needs >= {v})"))
        ));
        out.push_str(&format!("      {}\n", s.message));
    }
    out.push_str(&format!(
        "{} fleet-incompatible, {} blocked\n",
        r.errors, r.blocked
    ));
    out
}

trait PhaseName {
    fn phase_name(&self) -> &'static str;
}

impl PhaseName for zerodown::report::cells::FleetStep {
    fn phase_name(&self) -> &'static str {
        use zerodown::plan::StepPhase;
        match self.phase {
            StepPhase::Regular => "regular",
            StepPhase::PostDeploy => "post-deploy",
            StepPhase::Background => "background",
            StepPhase::Application => "application",
        }
    }
}
