//! `zerodown rehearse`: arguments, files and output; the rehearsal itself
//! is `crate::rehearse` (native only).

use std::path::PathBuf;

use clap::Args;

#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
use super::Stream;
use super::{fail, Format, Io};

#[derive(Args)]
pub struct RehearseArgs {
    /// Migration files and folders, applied as `lint` reads them (tool, order, transactions).
    #[arg(conflicts_with_all = ["plan", "change"])]
    paths: Vec<PathBuf>,
    /// A plan to rehearse, as `zerodown plan --format json` writes it.
    #[arg(long, value_name = "FILE", conflicts_with = "change")]
    plan: Option<PathBuf>,
    /// A change to plan and rehearse, in `zerodown plan`'s words: "rename-column users.username handle".
    #[arg(long, value_name = "CHANGE")]
    change: Option<String>,
    /// The disposable database to rehearse on (it is written to: needs --disposable).
    #[arg(long, value_name = "URL", conflicts_with = "start_postgres")]
    database_url: Option<String>,
    /// Confirms that --database-url names a database zerodown may change.
    #[arg(long)]
    disposable: bool,
    /// Start a throwaway local PostgreSQL server from the installed server binaries.
    #[arg(long)]
    start_postgres: bool,
    /// With --start-postgres: the folder of initdb, pg_ctl and postgres (default: $ZERODOWN_PG_BIN, /usr/lib/postgresql/*/bin, PATH).
    #[arg(long, value_name = "DIR", requires = "start_postgres")]
    pg_bin: Option<PathBuf>,
    /// A schema to create first (`pg_dump --schema-only`, `structure.sql`).
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// The workload (TOML; see docs/rehearse.md). Default: generated from the tables the migration changes.
    #[arg(long, value_name = "FILE")]
    workload: Option<PathBuf>,
    /// Fill each empty table the workload uses with N generated rows, so that locks and rewrites take real time.
    #[arg(long, value_name = "N", default_value_t = 0)]
    rows: u64,
    /// Budget: the longest any workload query may take.
    #[arg(long, value_name = "DURATION", default_value = "1s")]
    max_stall: String,
    /// Budget: workload errors allowed (lost or changed rows count).
    #[arg(long, value_name = "N", default_value_t = 0)]
    max_errors: u64,
    /// Cancel a step that runs longer than this.
    #[arg(long, value_name = "DURATION", default_value = "5min")]
    step_timeout: String,
    /// The migration tool, as for `lint` (default: detected).
    #[arg(long)]
    tool: Option<String>,
    /// With --change: the lock_timeout of the plan's steps.
    #[arg(long, value_name = "DURATION")]
    lock_timeout: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[cfg(not(all(feature = "cli", not(target_arch = "wasm32"))))]
pub fn run(args: RehearseArgs, io: &mut dyn Io) -> u8 {
    let _ = args;
    fail(
        io,
        "`zerodown rehearse` is served by the native binary (`cargo install`, or a release build): it needs a PostgreSQL client, which the npm package's command line does not carry",
    )
}

#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub fn run(args: RehearseArgs, io: &mut dyn Io) -> u8 {
    use crate::rehearse::{server, Job, Options, Target, Workload};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let duration = |s: &str, flag: &str| {
        crate::rehearse::workload::parse_duration(s)
            .ok_or_else(|| format!("{flag} `{s}`: not a duration (`500ms`, `1s`, `5min`)"))
    };
    let prepared = (|| -> Result<_, String> {
        let max_stall = duration(&args.max_stall, "--max-stall")?;
        let step_timeout = duration(&args.step_timeout, "--step-timeout")?;
        let input = input(&args, io)?;
        let workload = match &args.workload {
            Some(p) => {
                let shown = p.to_string_lossy().replace('\\', "/");
                let text = super::read_text(io, p)?;
                Some(Workload::parse(&text, &shown)?)
            }
            None => None,
        };
        let schema = match &args.schema {
            Some(p) => Some((
                super::read_text(io, p)?,
                p.to_string_lossy().replace('\\', "/"),
            )),
            None => None,
        };
        let options = Options {
            budget: crate::report::Budget {
                max_stall_ms: max_stall.as_millis() as u64,
                max_errors: args.max_errors,
            },
            rows: args.rows,
            step_timeout,
            ..Options::default()
        };
        Ok((input, workload, schema, options))
    })();
    let (input, workload, schema, options) = match prepared {
        Ok(x) => x,
        Err(e) => return fail(io, e),
    };
    // Where: a given disposable database, or a throwaway server.
    let mut _server = None;
    let target = match (&args.database_url, args.start_postgres) {
        (Some(url), _) => {
            let label = super::lint::scrub(url, url);
            if !args.disposable {
                return fail(
                    io,
                    format!("--database-url {label}: rehearsing writes to the database (schema, rows, the migrations themselves); add --disposable to confirm it is a disposable copy"),
                );
            }
            let config: postgres::Config = match url.parse() {
                Ok(c) => c,
                Err(e) => {
                    return fail(
                        io,
                        format!(
                            "--database-url {label}: not a database URL: {}",
                            super::lint::scrub(&crate::rehearse::describe(&e), url)
                        ),
                    )
                }
            };
            Target { config, label }
        }
        (None, true) => {
            let started = server::find_bin(args.pg_bin.as_deref())
                .and_then(|bin| server::LocalServer::start(&bin));
            let s = match started {
                Ok(s) => s,
                Err(e) => return fail(io, format!("--start-postgres: {e}")),
            };
            let label = "a throwaway server (--start-postgres)".to_string();
            if let Err(e) = s.create_db("rehearsal") {
                return fail(io, format!("--start-postgres: {e}"));
            }
            let t = Target {
                config: s.config("rehearsal"),
                label,
            };
            _server = Some(s);
            t
        }
        (None, false) => {
            return fail(
                io,
                "where to rehearse: --start-postgres (a throwaway local server), or --database-url URL --disposable",
            )
        }
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        // Only one handler per process: a second `run` in the same process
        // (tests) keeps the first, which sets a flag nobody reads any more.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    }
    let job = Job {
        input,
        workload,
        schema: schema.as_ref().map(|(t, p)| (t.as_str(), p.as_str())),
        options,
    };
    let mut notes = Vec::new();
    let result = crate::rehearse::run_job(&target, &job, &interrupted, &mut notes);
    let url = args.database_url.clone().unwrap_or_default();
    for n in &notes {
        io.write(
            Stream::Stderr,
            &format!("note: {}\n", super::lint::scrub(n, &url)),
        );
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => return fail(io, super::lint::scrub(&e, &url)),
    };
    match args.format {
        Format::Json => {
            let text = crate::report::render_json(&report);
            io.write(
                Stream::Stdout,
                &format!("{}\n", super::lint::scrub(&text, &url)),
            );
        }
        Format::Text => {
            let unicode = io.is_terminal(Stream::Stdout)
                && ["LC_ALL", "LC_CTYPE", "LANG"]
                    .iter()
                    .find_map(|v| io.env(v).filter(|s| !s.is_empty()))
                    .is_some_and(|l| {
                        let l = l.to_ascii_lowercase();
                        l.contains("utf-8") || l.contains("utf8")
                    });
            let text = crate::report::render_rehearsal_text(&report, unicode);
            io.write(Stream::Stdout, &super::lint::scrub(&text, &url));
        }
    }
    super::exit_status(!report.verdict.pass)
}

/// The steps: migration files as their tool runs them, a plan file, or a
/// change planned here.
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
fn input(args: &RehearseArgs, io: &mut dyn Io) -> Result<crate::rehearse::Input, String> {
    use crate::rehearse::Input;
    if let Some(p) = &args.plan {
        let text = super::read_text(io, p)?;
        let plan: crate::plan::Plan = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a plan (`zerodown plan --format json`): {e}",
                p.display(),
                e.line(),
                e.column()
            )
        })?;
        return Ok(Input::from_plan(&plan));
    }
    if let Some(c) = &args.change {
        let words: Vec<String> = c.split_whitespace().map(str::to_string).collect();
        let (kind, rest) = words
            .split_first()
            .ok_or("--change: give the change kind and its target")?;
        let (target, more) = rest.split_first().ok_or_else(|| {
            format!("--change {kind}: give what it applies to (TABLE.COLUMN, TABLE, ...)")
        })?;
        let change =
            crate::Change::from_args(kind, target, more, &crate::plan::ChangeArgs::default())
                .map_err(|e| format!("--change: {e}"))?;
        let mut options = crate::plan::PlanOptions::default();
        if let Some(t) = &args.lock_timeout {
            options.lock_timeout.clone_from(t);
        }
        let plan = crate::plan::plan(&change, &options).map_err(|e| format!("--change: {e}"))?;
        return Ok(Input::from_plan(&plan));
    }
    if args.paths.is_empty() {
        return Err(
            "what to rehearse: migration files or folders, --plan FILE, or --change \"KIND TARGET ...\""
                .into(),
        );
    }
    let (tool, direction) =
        crate::tools::choice(args.tool.as_deref(), None).map_err(|e| e.to_string())?;
    let paths = super::lint::collect_with(&args.paths, io, |p| {
        super::lint::is_migration_file(p) || super::lint::is_tool_file(p)
    })?;
    let mut files = Vec::new();
    for p in &paths {
        let path = p.to_string_lossy().replace('\\', "/");
        if path.ends_with(".rb") {
            return Err(format!(
                "{path}: a Rails migration: rehearse runs SQL; rehearse the SQL Rails runs (`rails db:migrate` on a copy, or the plan with --change)"
            ));
        }
        files.push((path, super::read_text(io, p)?));
    }
    let prepared = crate::tools::prepare(&files, tool, direction).map_err(|e| e.to_string())?;
    if prepared.units.is_empty() {
        return Err("no migration to rehearse in the paths given".into());
    }
    let downs: std::collections::HashMap<String, String> =
        crate::tools::prepare(&files, Some(prepared.tool), crate::tools::Direction::Down)
            .map(|d| {
                d.units
                    .into_iter()
                    .filter(|u| !u.sql.trim().is_empty())
                    .map(|u| (u.path, u.sql.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
    let units: Vec<(String, String, Option<bool>)> = prepared
        .units
        .iter()
        .map(|u| (u.path.clone(), u.sql.to_string(), u.transaction))
        .collect();
    Ok(Input::from_files(&units, &downs))
}
