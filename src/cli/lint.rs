//! `zerodown lint`: gathers files, loads `zerodown.toml`, prints the report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use zerodown::config::{parse_config, CONFIG_FILE};
use zerodown::model::{LintOptions, RuleLevel};
use zerodown::{Phase, SourceFile};

use super::{fail, Format};

#[derive(Args)]
pub struct LintArgs {
    /// Files and folders (folders are searched for *.sql).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The phase of every file: regular, post-deploy or background (default: from the path).
    #[arg(long, value_parser = parse_phase)]
    phase: Option<Phase>,
    /// Target PostgreSQL major version (default 14).
    #[arg(long)]
    pg_version: Option<u32>,
    /// A large table (repeatable): data changes on it must be batched.
    #[arg(long = "large-table", value_name = "NAME")]
    large_tables: Vec<String>,
    /// Files run inside a transaction even without BEGIN.
    #[arg(long)]
    assume_in_transaction: bool,
    /// The release these migrations ship in: plans are laid out from it.
    #[arg(long)]
    release: Option<String>,
    /// Config file (default: zerodown.toml found from the current folder upwards).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Set a rule's level: RULE=error|warning|info|off (repeatable).
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    rules: Vec<String>,
    /// Leave step plans out of the output.
    #[arg(long)]
    no_plans: bool,
    /// Plans: the longest one attempt of a step waits for its locks (default 1s).
    #[arg(long, value_name = "DURATION")]
    lock_timeout: Option<String>,
    /// Plans: how many times a step tries again to take its locks (default 20).
    #[arg(long, value_name = "N")]
    lock_retries: Option<u32>,
    /// missing-lock-timeout: the longest lock_timeout a migration may set (default 2s).
    #[arg(long, value_name = "DURATION")]
    max_lock_timeout: Option<String>,
    /// Colour the text output: auto, always or never.
    #[arg(long, default_value = "auto")]
    color: String,
}

fn parse_phase(s: &str) -> Result<Phase, String> {
    Phase::parse(s)
        .ok_or_else(|| format!("`{s}` is not a phase: use regular, post-deploy or background"))
}

/// Finds `zerodown.toml` in the current folder or the nearest parent.
pub fn find_config() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Loads the config (if any) and applies the flags over it.
pub fn options(args: &LintArgs) -> Result<LintOptions, String> {
    let path = args.config.clone().or_else(find_config);
    let mut o = match &path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            parse_config(&text, &p.display().to_string()).map_err(|e| e.to_string())?
        }
        None => LintOptions::default(),
    };
    if args.phase.is_some() {
        o.phase = args.phase;
    }
    if let Some(v) = args.pg_version {
        o.pg_version = v;
    }
    o.large_tables.extend(args.large_tables.iter().cloned());
    o.assume_in_transaction |= args.assume_in_transaction;
    if args.release.is_some() {
        o.release.clone_from(&args.release);
    }
    if args.lock_timeout.is_some() {
        o.lock_timeout.clone_from(&args.lock_timeout);
    }
    if args.lock_retries.is_some() {
        o.lock_retries = args.lock_retries;
    }
    if let Some(m) = &args.max_lock_timeout {
        o.max_lock_timeout.clone_from(m);
    }
    for r in &args.rules {
        let (id, level) = r
            .split_once('=')
            .ok_or_else(|| format!("--rule `{r}`: write RULE=LEVEL"))?;
        let level = match level {
            "error" => RuleLevel::Error,
            "warning" => RuleLevel::Warning,
            "info" => RuleLevel::Info,
            "off" => RuleLevel::Off,
            other => {
                return Err(format!(
                    "--rule `{r}`: `{other}` is not error, warning, info or off"
                ))
            }
        };
        o.rules.insert(id.to_string(), level);
    }
    if args.no_plans {
        o.plans = false;
    }
    zerodown::lint::validate_options(&o).map_err(|e| e.to_string())?;
    Ok(o)
}

/// Expands folders into their `.sql` files, sorted.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads the files as `SourceFile`s; paths are shown as given.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<SourceFile>, String> {
    paths
        .iter()
        .map(|p| {
            let bytes =
                std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            let sql = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{}: not UTF-8 text (invalid byte at offset {})",
                    p.display(),
                    e.utf8_error().valid_up_to()
                )
            })?;
            Ok(SourceFile {
                path: p.to_string_lossy().replace('\\', "/"),
                sql,
            })
        })
        .collect()
}

pub fn run(args: LintArgs) -> ExitCode {
    let options = match options(&args) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let sources = match collect(&args.paths).and_then(|p| read_sources(&p)) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let report = match zerodown::lint_files(&sources, &options) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    match args.format {
        Format::Json => outln!("{}", zerodown::report::render_json(&report)),
        Format::Text => {
            let color = match args.color.as_str() {
                "always" => true,
                "never" => false,
                _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            let lookup = |path: &str| {
                sources
                    .iter()
                    .find(|s| s.path == path)
                    .map(|s| s.sql.clone())
            };
            out!("{}", zerodown::report::render_text(&report, &lookup, color));
        }
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
