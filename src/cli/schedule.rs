//! `zerodown schedule` and `zerodown upgrade-path`: read a release-migrations
//! folder, print what is due and the deployments of an upgrade.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::Args;
use zerodown::release::{parse_ignored_columns, ReleaseOptions, UNRELEASED};
use zerodown::report::{
    render_finding, render_json, Finding, ReleaseMigration, Summary, UpgradeMode,
};

use super::{fail, Format};

/// Options shared by both commands.
#[derive(Args)]
pub struct ReleaseArgs {
    /// How releases are deployed: continuous (each version is a deployment)
    /// or self-managed (a whole minor release is one deployment).
    #[arg(long, value_parser = parse_mode, default_value = "self-managed")]
    mode: UpgradeMode,
    /// Required upgrade stops, comma-separated (16.3,16.7): a self-managed
    /// upgrade may jump from one to the next. Default: every minor release.
    #[arg(long, value_delimiter = ',', value_name = "VERSIONS")]
    required_stops: Vec<String>,
    /// The version `unreleased/` stands for.
    #[arg(long, value_name = "VERSION")]
    unreleased_as: Option<String>,
    /// The last minor number of a major (11: the release after 12.11 is 13.0).
    #[arg(long, value_name = "N")]
    last_minor: Option<u64>,
    /// The columns the application ignores: a TOML or JSON list of table,
    /// column, added_in, remove_with, remove_after (and removed_in, removed_on).
    #[arg(long, value_name = "FILE")]
    ignored_columns: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Args)]
pub struct ScheduleArgs {
    /// The release-migrations folder (`<dir>/<version>/*.sql`, `<dir>/unreleased/*.sql`).
    dir: PathBuf,
    /// The release to schedule for.
    #[arg(long)]
    version: String,
    #[command(flatten)]
    release: ReleaseArgs,
}

#[derive(Args)]
pub struct UpgradePathArgs {
    /// The release-migrations folder (`<dir>/<version>/*.sql`, `<dir>/unreleased/*.sql`).
    dir: PathBuf,
    /// The version upgraded from.
    #[arg(long)]
    from: String,
    /// The version upgraded to.
    #[arg(long)]
    to: String,
    #[command(flatten)]
    release: ReleaseArgs,
}

fn parse_mode(s: &str) -> Result<UpgradeMode, String> {
    UpgradeMode::parse(s)
        .ok_or_else(|| format!("`{s}` is not a mode: use continuous or self-managed"))
}

/// Every `*.sql` file under `dir`, as (path relative to `dir` with `/`, text).
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, String> {
    if !dir.is_dir() {
        return Err(format!(
            "{} is not a folder: give the release-migrations folder (`<dir>/<version>/*.sql`, `<dir>/{UNRELEASED}/`)",
            dir.display()
        ));
    }
    super::lint::collect(&[dir.to_path_buf()])?
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok((rel.join("/"), text))
        })
        .collect()
}

struct Loaded {
    entries: Vec<(String, String)>,
    options: ReleaseOptions,
    /// The ignored-columns file, for code frames.
    ignored: Option<(String, String)>,
}

fn load(dir: &Path, args: &ReleaseArgs) -> Result<Loaded, String> {
    let entries = read_dir(dir)?;
    let mut options = ReleaseOptions {
        mode: args.mode,
        required_stops: args.required_stops.clone(),
        unreleased_as: args.unreleased_as.clone(),
        last_minor: args.last_minor,
        ignored_columns: Vec::new(),
        rules: Default::default(),
    };
    let mut ignored = None;
    if let Some(p) = &args.ignored_columns {
        let text =
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        let name = p.display().to_string();
        options.ignored_columns = parse_ignored_columns(&name, &text).map_err(|e| e.to_string())?;
        ignored = Some((name, text));
    }
    Ok(Loaded {
        entries,
        options,
        ignored,
    })
}

fn renderer() -> Renderer {
    if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

fn print_findings(findings: &[Finding], summary: &Summary, loaded: &Loaded) {
    let renderer = renderer();
    for f in findings {
        let source = loaded
            .entries
            .iter()
            .chain(loaded.ignored.iter())
            .find(|(p, _)| *p == f.path)
            .map(|(_, t)| t.as_str());
        outln!("{}\n", render_finding(f, source, &renderer));
    }
    if summary.errors + summary.warnings + summary.infos == 0 {
        outln!("No steps collapse.");
    } else {
        outln!(
            "{} error(s), {} warning(s), {} info(s).",
            summary.errors,
            summary.warnings,
            summary.infos
        );
    }
}

fn line(m: &ReleaseMigration) -> String {
    let version = m.version.as_deref().unwrap_or("unreleased");
    let mut s = format!("  {version:<10} {:<12} {}", m.phase.as_str(), m.path);
    if let (Some(c), Some(n)) = (&m.change, m.step) {
        s.push_str(&format!("  [{c} step {n}]"));
    }
    s
}

fn exit(summary: &Summary) -> ExitCode {
    if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `zerodown schedule`.
pub fn run_schedule(args: ScheduleArgs) -> ExitCode {
    let loaded = match load(&args.dir, &args.release) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let report = match zerodown::release::schedule(&loaded.entries, &args.version, &loaded.options)
    {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match args.release.format {
        Format::Json => outln!("{}", render_json(&report)),
        Format::Text => {
            let unreleased = report
                .unreleased_as
                .as_ref()
                .map_or_else(String::new, |u| format!(" (unreleased/ as {u})"));
            outln!("Due at {}{unreleased}:", report.version);
            if report.due.is_empty() {
                outln!("  (none)");
            }
            for m in &report.due {
                outln!("{}", line(m));
            }
            outln!("\nNot yet due:");
            if report.not_due.is_empty() {
                outln!("  (none)");
            }
            for m in &report.not_due {
                outln!("{}", line(m));
            }
            outln!();
            print_findings(&report.findings, &report.summary, &loaded);
        }
    }
    exit(&report.summary)
}

/// Runs `zerodown upgrade-path`.
pub fn run_upgrade_path(args: UpgradePathArgs) -> ExitCode {
    let loaded = match load(&args.dir, &args.release) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let report = match zerodown::release::upgrade_path(
        &loaded.entries,
        &args.from,
        &args.to,
        &loaded.options,
    ) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match args.release.format {
        Format::Json => outln!("{}", render_json(&report)),
        Format::Text => {
            let stops = if report.required_stops.is_empty() {
                String::new()
            } else {
                format!(", required stops {}", report.required_stops.join(", "))
            };
            outln!(
                "Upgrade {} → {} ({}{stops}): {} deployment(s)",
                report.from,
                report.to,
                report.mode,
                report.deployments.len()
            );
            for (i, d) in report.deployments.iter().enumerate() {
                let stop = if d.required_stop {
                    " (required stop)"
                } else {
                    ""
                };
                outln!("\n{}. deploy {}{stop}", i + 1, d.version);
                if d.migrations.is_empty() {
                    outln!("  (no migrations)");
                }
                for m in &d.migrations {
                    outln!("{}", line(m));
                }
            }
            if !report.not_run.is_empty() {
                outln!("\nNot run by this upgrade:");
                for m in &report.not_run {
                    outln!("{}", line(m));
                }
            }
            outln!();
            print_findings(&report.findings, &report.summary, &loaded);
        }
    }
    exit(&report.summary)
}
