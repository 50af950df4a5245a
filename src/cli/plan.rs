//! `zerodown plan KIND TARGET [ARGS]`: argument parsing only; the core
//! builds the change and the plan.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{fail, print_json, Io, Stream};
use crate::plan::{Calendar, ChangeArgs, Framework, PlanOptions};
use crate::Change;

/// Output formats of `zerodown plan`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A release-by-release timeline.
    Text,
    /// The plan as JSON.
    Json,
    /// One file per migration under --out DIR/RELEASE/PHASE/.
    Sql,
    /// Rails migrations under --out DIR: db/migrate, db/post_migrate,
    /// db/background_migrations, named from --timestamp.
    Rails,
}

/// `--helpers` of `--format rails`.
#[derive(Clone, Copy, ValueEnum)]
pub enum HelpersArg {
    /// Every statement as the plan's SQL.
    Sql,
    /// Rails' schema statements where one is exact.
    Rails,
    /// GitLab's migration helpers where one is exact.
    Gitlab,
}

#[derive(Args)]
pub struct PlanArgs {
    /// The change kind: drop-column, rename-column, change-column-type, ...
    kind: String,
    /// What it applies to: TABLE.COLUMN, TABLE or an index name.
    target: String,
    /// The kind's other arguments (new name, new type, referenced column, ...).
    args: Vec<String>,
    /// The release the first step ships in (e.g. 16.4); without it releases are M, M+1, ...
    #[arg(long)]
    release: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    format: PlanFormat,
    /// Folder for --format sql and --format rails.
    #[arg(long)]
    out: Option<PathBuf>,
    /// --format rails: the first migration's timestamp (YYYYMMDDHHMMSS); each
    /// later one is one more. Default: the first release's date (with
    /// --calendar) at 00:00:01.
    #[arg(long, value_name = "YYYYMMDDHHMMSS")]
    timestamp: Option<String>,
    /// --format rails: what statements are written with: sql (every one as
    /// the plan's SQL, in `execute`), rails (Rails' schema statements where
    /// one is exact) or gitlab (GitLab's migration helpers where one is
    /// exact, in a Gitlab::Database::Migration with its milestone).
    /// Default: sql.
    #[arg(long, value_enum)]
    helpers: Option<HelpersArg>,
    /// `--layout release-dir DIR`: write the files into a release-migrations
    /// folder (`DIR/<version>/<phase>/NN_name.sql`, what `zerodown schedule` reads).
    #[arg(long, num_args = 2, value_names = ["LAYOUT", "DIR"])]
    layout: Option<Vec<String>>,
    /// Cast (change-column-type) or conversion (data-format-change), in terms of the old column.
    #[arg(long)]
    using: Option<String>,
    /// The column's current type (for rollbacks that re-create it).
    #[arg(long = "type", value_name = "TYPE")]
    column_type: Option<String>,
    /// The column's current default (rollback of change-column-default).
    #[arg(long = "from", value_name = "DEFAULT")]
    previous_default: Option<String>,
    /// The current definition, for the rollback: of the dropped index as
    /// pg_get_indexdef prints it (drop-index), or of the replaced view's
    /// query as pg_get_viewdef prints it (replace-view).
    #[arg(long)]
    definition: Option<String>,
    /// The last minor of a major: after X.N comes (X+1).0.
    #[arg(long)]
    rollover: Option<u64>,
    /// Release dates: monthly:DAY:YYYY-MM (DAY = 22, 3-thu, last-fri) or YYYY-MM-DD,YYYY-MM-DD,...
    #[arg(long)]
    calendar: Option<String>,
    /// What application steps are written for: rails or plain.
    #[arg(long, default_value = "plain")]
    framework: String,
    /// Target PostgreSQL major version (default 14).
    #[arg(long)]
    pg_version: Option<u32>,
    /// Rows per batch of batched copies and backfills.
    #[arg(long)]
    batch_size: Option<u32>,
    /// The integer column batched loops walk (default id).
    #[arg(long)]
    batch_column: Option<String>,
    /// Constraint or index name.
    #[arg(long)]
    name: Option<String>,
    /// ON DELETE action of a foreign key.
    #[arg(long)]
    on_delete: Option<String>,
    /// A unique index.
    #[arg(long)]
    unique: bool,
    /// A primary key instead of a unique constraint.
    #[arg(long)]
    primary_key: bool,
    /// Index method (btree, gin, ...).
    #[arg(long)]
    method: Option<String>,
    /// Partial index predicate, or the rows a backfill touches.
    #[arg(long = "where", value_name = "PREDICATE")]
    predicate: Option<String>,
    /// Table of a dropped index.
    #[arg(long)]
    table: Option<String>,
    /// The column has a default (rename-column then refuses, as it must).
    #[arg(long)]
    has_default: bool,
    /// drop-column: the column is NOT NULL without a default (the plan drops the NOT NULL first).
    #[arg(long, conflicts_with = "nullable")]
    not_null: bool,
    /// drop-column: the column is nullable or has a default (no NOT NULL step).
    #[arg(long)]
    nullable: bool,
    /// The longest one attempt of a step waits for its locks (default 1s).
    #[arg(long, value_name = "DURATION")]
    lock_timeout: Option<String>,
    /// How many times a step tries again to take its locks (default 20).
    #[arg(long, value_name = "N")]
    lock_retries: Option<u32>,
    /// Config file for pg-version, release, lock-timeout, lock-retries and
    /// schema (default: zerodown.toml found from the current folder upwards).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A schema dump (`pg_dump --schema-only`, `structure.sql`): the column's
    /// type, default and nullability for the rollbacks, where --type, --from,
    /// --not-null/--nullable and --has-default leave them open. Overrides
    /// `schema` in zerodown.toml.
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// The same from a live database (native only; read-only, as `lint
    /// --database-url`).
    #[arg(long, value_name = "URL", conflicts_with = "schema")]
    database_url: Option<String>,
}

fn build(a: &PlanArgs, io: &mut dyn Io) -> Result<(Change, PlanOptions), String> {
    let change_args = ChangeArgs {
        using: a.using.clone(),
        column_type: a.column_type.clone(),
        name: a.name.clone(),
        on_delete: a.on_delete.clone(),
        unique: a.unique,
        primary_key: a.primary_key,
        method: a.method.clone(),
        predicate: a.predicate.clone(),
        table: a.table.clone(),
        batch_size: a.batch_size,
        has_default: a.has_default,
    };
    let mut change =
        Change::from_args(&a.kind, &a.target, &a.args, &change_args).map_err(|e| e.to_string())?;
    let config = super::lint::load_config(a.config.as_ref(), io)?;
    let defaults = PlanOptions::default();
    let mut o = PlanOptions {
        release: a
            .release
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.release.clone())),
        pg_version: config
            .as_ref()
            .map_or(defaults.pg_version, |c| c.pg_version),
        lock_timeout: a
            .lock_timeout
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.lock_timeout.clone()))
            .unwrap_or(defaults.lock_timeout),
        lock_retries: a
            .lock_retries
            .or_else(|| config.as_ref().and_then(|c| c.lock_retries))
            .unwrap_or(defaults.lock_retries),
        not_null: match (a.not_null, a.nullable) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        rollover: a.rollover,
        framework: Framework::parse(&a.framework).map_err(|e| e.to_string())?,
        column_type: a.column_type.clone(),
        previous_default: a.previous_default.clone(),
        index_definition: a.definition.clone(),
        view_definition: a.definition.clone(),
        ..PlanOptions::default()
    };
    if let Some(c) = &a.calendar {
        o.calendar = Some(Calendar::parse(c).map_err(|e| e.to_string())?);
    }
    if let Some(v) = a.pg_version {
        o.pg_version = crate::model::PgVersion::new(v).map_err(|e| e.to_string())?;
    }
    if let Some(b) = a.batch_size {
        o.batch_size = b;
    }
    if let Some(c) = &a.batch_column {
        o.batch_column.clone_from(c);
    }
    // The schema: the flag, else the config's (relative to the config file).
    let schema_options = crate::model::LintOptions {
        schema: a
            .schema
            .as_ref()
            .map(|p| p.display().to_string())
            .or_else(|| config.as_ref().and_then(|c| c.schema.clone())),
        ..crate::model::LintOptions::default()
    };
    let known = super::lint::load_schema(&schema_options, a.database_url.as_deref(), None, io)?;
    if let Some(schema) = &known.schema {
        for note in schema.complete_plan(&mut change, &mut o) {
            io.write(Stream::Stderr, &format!("note: {note}\n"));
        }
    }
    Ok((change, o))
}

pub fn run(a: PlanArgs, io: &mut dyn Io) -> u8 {
    let (change, options) = match build(&a, io) {
        Ok(x) => x,
        Err(e) => return fail(io, e),
    };
    let plan = match crate::plan::plan(&change, &options) {
        Ok(p) => p,
        Err(e) => return fail(io, e),
    };
    if a.helpers.is_some() && !matches!(a.format, PlanFormat::Rails) {
        return fail(
            io,
            "--helpers applies to --format rails (the Rails migration files)",
        );
    }
    match a.format {
        PlanFormat::Text => io.write(Stream::Stdout, &crate::report::render_plan_text(&plan)),
        PlanFormat::Json => print_json(io, &plan),
        PlanFormat::Rails => {
            let Some(out) = a.out.as_ref() else {
                return fail(
                    io,
                    "--format rails writes files: give the folder with --out DIR",
                );
            };
            let stamp = match rails_timestamp(a.timestamp.as_deref(), &plan) {
                Ok(t) => t,
                Err(e) => return fail(io, e),
            };
            let helpers = match a.helpers {
                None | Some(HelpersArg::Sql) => crate::report::Helpers::Sql,
                Some(HelpersArg::Rails) => crate::report::Helpers::Rails,
                Some(HelpersArg::Gitlab) => crate::report::Helpers::Gitlab,
            };
            let files = crate::report::plan_files_rails(&plan, stamp, helpers);
            if let Err(e) = write_files(io, out, &files) {
                return fail(io, e);
            }
        }
        PlanFormat::Sql => {
            let layout_dir = match a.layout.as_deref() {
                Some([kind, dir]) if kind == "release-dir" => Some(PathBuf::from(dir)),
                Some([kind, _]) => {
                    return fail(
                        io,
                        format!("--layout `{kind}` is not known: use --layout release-dir DIR"),
                    )
                }
                _ => None,
            };
            let Some(out) = layout_dir.as_ref().or(a.out.as_ref()) else {
                return fail(
                    io,
                    "--format sql writes files: give the folder with --out DIR",
                );
            };
            if let Err(e) = write_files(io, out, &crate::report::plan_files(&plan)) {
                return fail(io, e);
            }
        }
    }
    0
}

/// Writes `files` under `out`, printing each path.
fn write_files(
    io: &mut dyn Io,
    out: &std::path::Path,
    files: &[crate::report::PlanFile],
) -> Result<(), String> {
    for f in files {
        let path = out.join(&f.path);
        if let Some(dir) = path.parent() {
            io.create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        io.write_file(&path, &f.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        io.write(Stream::Stdout, &format!("{}\n", path.display()));
    }
    Ok(())
}

/// The first Rails migration's timestamp: `--timestamp`, else the first
/// release's date at 00:00:01.
fn rails_timestamp(given: Option<&str>, plan: &crate::plan::Plan) -> Result<u64, String> {
    let text = match given {
        Some(t) => t.to_string(),
        None => match plan.releases.first().and_then(|r| r.date.as_deref()) {
            Some(date) => format!("{}000001", date.replace('-', "")),
            None => {
                return Err(
                    "--format rails names files by timestamp: give --timestamp YYYYMMDDHHMMSS \
                     (the first migration's), or --calendar for release dates"
                        .to_string(),
                )
            }
        },
    };
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "--timestamp `{text}`: write 14 digits, YYYYMMDDHHMMSS"
        ));
    }
    text.parse()
        .map_err(|_| format!("--timestamp `{text}`: write 14 digits, YYYYMMDDHHMMSS"))
}
