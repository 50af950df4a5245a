//! `zerodown schedule` and `zerodown upgrade-path`: read a release-migrations
//! folder, print what is due and the deployments of an upgrade.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{exit_status, fail, print_json, read_text, Color, EntryKind, Format, Io, Stream};
use crate::release::{parse_ignored_columns, ReleaseOptions, UNRELEASED};
use crate::report::{render_schedule_text, render_upgrade_path_text, UpgradeMode};

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
    /// Set a release rule's level: RULE=error|warning|info|off (repeatable;
    /// over the `[rules]` of zerodown.toml).
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    rules: Vec<String>,
    /// Config file for `[rules]` and `schema` (default: zerodown.toml found
    /// from the current folder upwards).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A schema dump (`pg_dump --schema-only`, `structure.sql`) of the
    /// database the migrations run on (upgrade-path: at --from): they apply
    /// on it in the order they run, and a statement PostgreSQL would reject
    /// there is a schema-mismatch error. Overrides `schema` in zerodown.toml.
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// The same from a live database (native only; read-only, as `lint
    /// --database-url`).
    #[arg(long, value_name = "URL", conflicts_with = "schema")]
    database_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Colour the text output: auto (when stdout is a terminal and NO_COLOR is not set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
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
pub(super) fn read_dir(dir: &Path, io: &dyn Io) -> Result<Vec<(String, String)>, String> {
    if io.kind(dir) != EntryKind::Dir {
        return Err(format!(
            "{} is not a folder: give the release-migrations folder (`<dir>/<version>/*.sql`, `<dir>/{UNRELEASED}/`)",
            dir.display()
        ));
    }
    super::lint::collect(&[dir.to_path_buf()], io)?
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let text = read_text(io, &path)?;
            Ok((rel.join("/"), text))
        })
        .collect()
}

struct Loaded {
    entries: Vec<(String, String)>,
    options: ReleaseOptions,
    /// The ignored-columns file, for code frames.
    ignored: Option<(String, String)>,
    /// The schema the migrations run on, when given.
    schema: Option<crate::lint::Schema>,
}

fn load(dir: &Path, args: &ReleaseArgs, io: &mut dyn Io) -> Result<Loaded, String> {
    let entries = read_dir(dir, io)?;
    let config = super::lint::load_config(args.config.as_ref(), io)?;
    // The schema: the flag, else the config's (relative to the config file).
    let schema_options = crate::model::LintOptions {
        schema: args
            .schema
            .as_ref()
            .map(|p| p.display().to_string())
            .or_else(|| config.as_ref().and_then(|c| c.schema.clone())),
        ..crate::model::LintOptions::default()
    };
    let schema =
        super::lint::load_schema(&schema_options, args.database_url.as_deref(), None, io)?.schema;
    let mut options = ReleaseOptions {
        mode: args.mode,
        required_stops: args.required_stops.clone(),
        unreleased_as: args.unreleased_as.clone(),
        last_minor: args.last_minor,
        ignored_columns: Vec::new(),
        rules: config.map(|c| c.rules).unwrap_or_default(),
    };
    super::lint::apply_rule_flags(&args.rules, &mut options.rules)?;
    let mut ignored = None;
    if let Some(p) = &args.ignored_columns {
        let text = read_text(io, p)?;
        let name = p.display().to_string();
        options.ignored_columns = parse_ignored_columns(&name, &text).map_err(|e| e.to_string())?;
        ignored = Some((name, text));
    }
    Ok(Loaded {
        entries,
        options,
        ignored,
        schema,
    })
}

impl Loaded {
    /// A finding's file text, for its code frame.
    fn source(&self, path: &str) -> Option<String> {
        self.entries
            .iter()
            .chain(self.ignored.iter())
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.clone())
    }
}

/// Runs `zerodown schedule`.
pub fn run_schedule(args: ScheduleArgs, io: &mut dyn Io) -> u8 {
    let loaded = match load(&args.dir, &args.release, io) {
        Ok(l) => l,
        Err(e) => return fail(io, e),
    };
    let report = match crate::release::schedule_on_schema(
        &loaded.entries,
        &args.version,
        &loaded.options,
        loaded.schema.as_ref(),
    ) {
        Ok(r) => r,
        Err(e) => return fail(io, e),
    };
    match args.release.format {
        Format::Json => print_json(io, &report),
        Format::Text => {
            let color = args.release.color.enabled(io);
            let text = render_schedule_text(&report, &|p| loaded.source(p), color);
            io.write(Stream::Stdout, &text);
        }
    }
    exit_status(report.summary.errors > 0)
}

/// Runs `zerodown upgrade-path`.
pub fn run_upgrade_path(args: UpgradePathArgs, io: &mut dyn Io) -> u8 {
    let loaded = match load(&args.dir, &args.release, io) {
        Ok(l) => l,
        Err(e) => return fail(io, e),
    };
    let report = match crate::release::upgrade_path_on_schema(
        &loaded.entries,
        &args.from,
        &args.to,
        &loaded.options,
        loaded.schema.as_ref(),
    ) {
        Ok(r) => r,
        Err(e) => return fail(io, e),
    };
    match args.release.format {
        Format::Json => print_json(io, &report),
        Format::Text => {
            let color = args.release.color.enabled(io);
            let text = render_upgrade_path_text(&report, &|p| loaded.source(p), color);
            io.write(Stream::Stdout, &text);
        }
    }
    exit_status(report.summary.errors > 0)
}
