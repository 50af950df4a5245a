//! `zerodown lint`: gathers files, loads `zerodown.toml`, prints the report.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

pub mod fix;

use super::{fail, print_json, Color, EntryKind, Io, Stream};
use crate::config::{parse_config, CONFIG_FILE};
use crate::model::{FailOn, LintOptions, RuleLevel};
use crate::report::CiFormat;
use crate::{Phase, SourceFile};

#[derive(Args)]
pub struct LintArgs {
    /// Files and folders (folders are searched for *.sql and Rails' *.rb; schema dumps are skipped); with --changed-since, the migrations read for context.
    #[arg(required_unless_present_any = ["diff", "changed_since"], conflicts_with = "diff")]
    paths: Vec<PathBuf>,
    /// Lint the migrations a unified diff changes (`git diff`, a merge request's .diff): findings only for changed statements.
    #[arg(long, value_name = "FILE", conflicts_with = "changed_since")]
    diff: Option<PathBuf>,
    /// Lint the migrations changed since a git revision (working tree and untracked files): findings only for changed statements.
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// With --diff or --changed-since: a glob of migration paths (repeatable; default db/migrate/**, db/post_migrate/**, **/*.sql).
    #[arg(long = "migrations", value_name = "GLOB")]
    migrations: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// Exit 1 when a finding reaches this severity: error (default), warning, info or never.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOnArg>,
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
    /// The migration tool that runs the migrations: auto (detected, the
    /// default for folders), plain, golang-migrate, goose, dbmate, diesel,
    /// pop, flyway, prisma, drizzle, sqitch, liquibase, alembic or rails. It
    /// decides which files run, in what order, and whether each runs in a
    /// transaction; with --diff or --changed-since it applies only when
    /// given. Overrides `tool` in zerodown.toml.
    #[arg(long, value_name = "TOOL")]
    tool: Option<String>,
    /// Which scripts to lint: up (default) or down (the rollbacks, as their
    /// own run). Overrides `direction` in zerodown.toml.
    #[arg(long, value_name = "up|down")]
    direction: Option<String>,
    /// Lint only the migrations these globs match (repeatable; adds to
    /// `include` in zerodown.toml).
    #[arg(long = "include", value_name = "GLOB")]
    include: Vec<String>,
    /// Never lint the files these globs match (repeatable; adds to
    /// `exclude` in zerodown.toml).
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// A template placeholder's value: NAME=VALUE (repeatable; over
    /// `template-vars` in zerodown.toml). `{{ index .Options "Namespace" }}`,
    /// `{{ .Namespace }}` and `$%Namespace%$` are filled with it.
    #[arg(long = "define", value_name = "NAME=VALUE")]
    define: Vec<String>,
    /// Threads that read and parse files ahead of the engine's ordered
    /// pass (default: the available cores; 1: none); the report is the same
    /// for any count.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
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
    /// A schema dump (`pg_dump --schema-only`, `structure.sql`) to lint against: overrides `schema` in zerodown.toml.
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// Read the schema from a live database instead (native only): a read-only transaction on its catalog; the password never appears in output. Overrides `schema` in zerodown.toml.
    #[arg(long, value_name = "URL", conflicts_with = "schema")]
    database_url: Option<String>,
    /// Table sizes, a CSV `table,rows,bytes` (docs/schema.md has the query that writes it): tables at --large-rows or --large-bytes count as large tables. Overrides the sizes --database-url reads.
    #[arg(long, value_name = "PATH")]
    stats: Option<PathBuf>,
    /// GitLab's table docs folder (`db/docs`): tables whose `table_size` is `large` or `over_limit` count as large tables. Overrides `table-docs` in zerodown.toml.
    #[arg(long, value_name = "DIR")]
    table_docs: Option<PathBuf>,
    /// GitLab's RuboCop migration config (`rubocop-migrations.yml`): its `Migration/UpdateLargeTable` `LargeTables` and `OverLimitTables` count as large tables. Overrides `rubocop-migrations` in zerodown.toml.
    #[arg(long, value_name = "PATH")]
    rubocop_migrations: Option<PathBuf>,
    /// With table sizes: a table of at least this many rows is large (default 1000000).
    #[arg(long, value_name = "N")]
    large_rows: Option<u64>,
    /// With table sizes: a table of at least this many bytes (indexes and TOAST included) is large (default 1073741824, 1 GiB).
    #[arg(long, value_name = "N")]
    large_bytes: Option<u64>,
    /// Colour the text output: auto (when stdout is a terminal and NO_COLOR is not set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

/// `lint`'s output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    /// For people.
    Text,
    /// The JSON contract.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitLab Code Quality.
    Gitlab,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// JUnit XML, for test reports.
    Junit,
    /// A merge-request note in Markdown.
    Markdown,
}

/// `--fail-on`'s values. No docs, so that help lists them on one line.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
#[allow(missing_docs)]
enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

fn parse_phase(s: &str) -> Result<Phase, String> {
    Phase::parse(s)
        .ok_or_else(|| format!("`{s}` is not a phase: use regular, post-deploy or background"))
}

/// Finds `zerodown.toml` in the current folder or the nearest parent.
pub fn find_config(io: &dyn Io) -> Option<PathBuf> {
    find_config_from(io.current_dir()?, io)
}

/// Finds `zerodown.toml` in `dir` or its nearest parent.
pub(super) fn find_config_from(mut dir: PathBuf, io: &dyn Io) -> Option<PathBuf> {
    loop {
        let candidate = dir.join(CONFIG_FILE);
        if io.kind(&candidate) == EntryKind::File {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// The config file given, or the one found upwards from the current folder.
pub fn load_config(given: Option<&PathBuf>, io: &dyn Io) -> Result<Option<LintOptions>, String> {
    match given.cloned().or_else(|| find_config(io)) {
        Some(p) => config_from_text(&super::read_text(io, &p)?, &p).map(Some),
        None => Ok(None),
    }
}

/// The options of the config file at `path` whose text is `text`; paths
/// in it are made relative to its folder.
pub(super) fn config_from_text(text: &str, path: &Path) -> Result<LintOptions, String> {
    let mut o = parse_config(text, &path.display().to_string()).map_err(|e| e.to_string())?;
    // Paths in the config are relative to the config file.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        for path in [
            &mut o.schema,
            &mut o.stats,
            &mut o.table_docs,
            &mut o.rubocop_migrations,
        ] {
            if let Some(s) = path
                .as_mut()
                .filter(|s| !Path::new(s.as_str()).is_absolute())
            {
                *s = dir.join(&*s).display().to_string();
            }
        }
    }
    Ok(o)
}

/// Applies `--rule RULE=LEVEL` flags over `levels`.
pub fn apply_rule_flags(
    flags: &[String],
    levels: &mut std::collections::BTreeMap<String, RuleLevel>,
) -> Result<(), String> {
    for r in flags {
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
        levels.insert(id.to_string(), level);
    }
    Ok(())
}

/// Loads the config (if any) and applies the flags over it.
fn options(args: &LintArgs, io: &dyn Io) -> Result<LintOptions, String> {
    let mut o = load_config(args.config.as_ref(), io)?.unwrap_or_default();
    if args.phase.is_some() {
        o.phase = args.phase;
    }
    if let Some(v) = args.pg_version {
        o.pg_version = crate::model::PgVersion::new(v).map_err(|e| e.to_string())?;
    }
    o.large_tables.extend(args.large_tables.iter().cloned());
    o.assume_in_transaction |= args.assume_in_transaction;
    if args.tool.is_some() {
        o.tool.clone_from(&args.tool);
    }
    if args.direction.is_some() {
        o.direction.clone_from(&args.direction);
    }
    for d in &args.define {
        let (name, value) = d
            .split_once('=')
            .filter(|(n, _)| !n.trim().is_empty())
            .ok_or_else(|| format!("--define `{d}`: write NAME=VALUE"))?;
        o.template_vars
            .insert(name.trim().to_string(), value.to_string());
    }
    o.jobs = Some(args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        usize::from,
    ));
    o.include.extend(args.include.iter().cloned());
    o.exclude.extend(args.exclude.iter().cloned());
    if args.release.is_some() {
        o.release.clone_from(&args.release);
    }
    if let Some(s) = &args.schema {
        o.schema = Some(s.display().to_string());
    }
    if let Some(s) = &args.stats {
        o.stats = Some(s.display().to_string());
    }
    if let Some(d) = &args.table_docs {
        o.table_docs = Some(d.display().to_string());
    }
    if let Some(r) = &args.rubocop_migrations {
        o.rubocop_migrations = Some(r.display().to_string());
    }
    if args.large_rows.is_some() {
        o.large_rows = args.large_rows;
    }
    if args.large_bytes.is_some() {
        o.large_bytes = args.large_bytes;
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
    apply_rule_flags(&args.rules, &mut o.rules)?;
    if args.no_plans {
        o.plans = false;
    }
    if let Some(f) = args.fail_on {
        o.fail_on = Some(match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        });
    }
    crate::lint::validate_options(&o).map_err(|e| e.to_string())?;
    Ok(o)
}

/// Whether a folder's file is a migration: `.sql`, and `.rb` (Rails) with
/// the Ruby front end; schema dumps (`structure.sql`, `schema.rb`) never.
pub(super) fn is_migration_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name == "structure.sql" || name == "schema.rb" {
        return false;
    }
    name.ends_with(".sql") || (cfg!(feature = "ruby") && name.ends_with(".rb"))
}

/// Expands folders into their migrations (`.sql`, `.rb`), sorted.
pub(super) fn collect(paths: &[PathBuf], io: &dyn Io) -> Result<Vec<PathBuf>, String> {
    collect_with(paths, io, is_migration_file)
}

/// A migration tool's own file beside the migrations: Diesel's
/// `metadata.toml`, a Flyway script's `.sql.conf`, Drizzle's
/// `meta/_journal.json`, `sqitch.plan`, Prisma's `migration_lock.toml`,
/// Flyway's `flyway.conf` / `flyway.toml` (its `mixed` setting), Liquibase's
/// changelogs.
pub(super) fn is_tool_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name == "metadata.toml"
        || name.ends_with(".sql.conf")
        || name == "_journal.json"
        || name == "sqitch.plan"
        || name == "migration_lock.toml"
        || name == "flyway.conf"
        || name == "flyway.toml"
        || is_changelog_candidate(path)
}

/// A Liquibase changelog, perhaps (XML, YAML or JSON): read, and kept when
/// it says `databaseChangeLog`.
fn is_changelog_candidate(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "xml" | "yaml" | "yml")
        || (ext == "json" && !path.ends_with("_journal.json"))
}

/// The files under `paths` that `keep` accepts (folders walked; files
/// given are kept as they are), sorted.
pub(super) fn collect_with(
    paths: &[PathBuf],
    io: &dyn Io,
    keep: fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let kind = io.kind(p);
        if kind == EntryKind::Dir {
            walk(p, &mut out, io, keep).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        } else if kind == EntryKind::File {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    io: &dyn Io,
    keep: fn(&Path) -> bool,
) -> Result<(), String> {
    for path in io.read_dir(dir)? {
        if io.kind(&path) == EntryKind::Dir {
            walk(&path, out, io, keep)?;
        } else if keep(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// `git diff REV` of the working tree, with untracked files as added ones,
/// and the `.sql` files under `paths` as context.
fn changed_since(
    rev: &str,
    paths: &[PathBuf],
    migrations: &[String],
    io: &dyn Io,
) -> Result<(String, Vec<SourceFile>), String> {
    let commit = format!("{rev}^{{commit}}");
    io.git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &commit,
    ])
    .map_err(|e| format!("--changed-since `{rev}`: git cannot resolve it to a commit ({e})"))
    .and_then(|id| {
        if id.trim().is_empty() {
            Err(format!(
                "--changed-since `{rev}`: git cannot resolve it to a commit"
            ))
        } else {
            Ok(())
        }
    })?;
    let mut diff = io
        .git(&[
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--relative",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--unified=100000000",
            rev,
            "--",
        ])
        .map_err(|e| format!("--changed-since `{rev}`: git diff failed: {e}"))?;
    let untracked = io
        .git(&["ls-files", "--others", "--exclude-standard", "-z"])
        .map_err(|e| format!("--changed-since `{rev}`: git ls-files failed: {e}"))?;
    let is_migration = |p: &str| {
        let globs: Vec<&str> = if migrations.is_empty() {
            crate::lint::DEFAULT_MIGRATIONS.to_vec()
        } else {
            migrations.iter().map(|g| g.trim()).collect()
        };
        globs.iter().any(|g| crate::model::glob_match(g, p))
    };
    for path in untracked.split('\0').filter(|p| is_migration(p)) {
        let text = super::read_text(io, Path::new(path))?;
        let lines: Vec<&str> = text.lines().collect();
        if lines.is_empty() {
            continue;
        }
        // Quoted as git quotes, so any name survives.
        let mut quoted = String::from("\"b/");
        for c in path.chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                '\n' => quoted.push_str("\\n"),
                '\t' => quoted.push_str("\\t"),
                c => quoted.push(c),
            }
        }
        quoted.push('"');
        diff.push_str(&format!(
            "--- /dev/null\n+++ {quoted}\n@@ -0,0 +1,{} @@\n",
            lines.len()
        ));
        for l in lines {
            diff.push('+');
            diff.push_str(l);
            diff.push('\n');
        }
    }
    let context = if paths.is_empty() {
        Vec::new()
    } else {
        read_sources(&collect(paths, io)?, io)?
    };
    Ok((diff, context))
}

/// Reads the files as `SourceFile`s; paths are shown as given.
fn read_sources(paths: &[PathBuf], io: &dyn Io) -> Result<Vec<SourceFile>, String> {
    paths
        .iter()
        .map(|p| {
            let sql = super::read_text(io, p)?;
            Ok(SourceFile {
                path: p.to_string_lossy().replace('\\', "/"),
                sql,
                transaction: None,
            })
        })
        .collect()
}

/// What a run knows of the database: its schema and its table sizes.
#[derive(Default)]
pub struct Known {
    /// The schema, from a dump or the database.
    pub schema: Option<crate::lint::Schema>,
    /// Table sizes, from `--stats` or the database.
    pub sizes: Option<Vec<crate::lint::TableSize>>,
}

/// Loads the schema (from the database at `database_url` when given, else
/// from the dump the options name, if any) and the table sizes (from
/// `stats` when given, else from that database). Skipped schema statements
/// go to stderr as notes (the lint goes on without them).
/// The large tables of a GitLab table-docs folder (`db/docs`): its
/// `*.yml` files, read through `io`, judged by the core.
fn table_docs(dir: &Path, io: &dyn Io) -> Result<Vec<String>, String> {
    let mut paths = io
        .read_dir(dir)
        .map_err(|e| format!("table docs: cannot read {}: {e}", dir.display()))?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"));
    paths.sort();
    if paths.is_empty() {
        return Err(format!("table docs: {} holds no .yml files", dir.display()));
    }
    let files = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), super::read_text(io, p)?)))
        .collect::<Result<Vec<_>, String>>()?;
    crate::lint::large_tables_from_docs(&files).map_err(|e| format!("table docs: {e}"))
}

pub fn load_schema(
    options: &LintOptions,
    database_url: Option<&str>,
    stats: Option<&Path>,
    io: &mut dyn Io,
) -> Result<Known, String> {
    let mut known = Known::default();
    let (schema, problems) = if let Some(url) = database_url {
        let label = scrub(url, url);
        let mut queries = vec![crate::lint::CATALOG_QUERY];
        if stats.is_none() {
            queries.push(crate::lint::STATS_QUERY);
        }
        let results = io
            .query_database(url, crate::lint::CATALOG_SESSION, &queries)
            .map_err(|e| format!("--database-url {label}: {}", scrub(&e, url)))?;
        let mut results = results.into_iter();
        let ddl = results.next().unwrap_or_default();
        let ddl: Vec<&str> = ddl
            .iter()
            .filter_map(|row| row.first().map(String::as_str))
            .collect();
        if let Some(rows) = results.next() {
            let sizes = crate::lint::TableSize::from_rows(&rows)
                .map_err(|e| format!("--database-url {label}: {e}"))?;
            known.sizes = Some(sizes);
        }
        crate::lint::Schema::from_catalog_rows(&ddl, &label)
    } else if let Some(path) = &options.schema {
        let text = super::read_text(io, Path::new(path)).map_err(|e| format!("schema: {e}"))?;
        crate::lint::Schema::load(&text, path)
    } else {
        (crate::lint::Schema::default(), Vec::new())
    };
    if database_url.is_some() || options.schema.is_some() {
        known.schema = Some(schema);
    }
    for p in &problems {
        io.write(
            Stream::Stderr,
            &format!(
                "note: {}:{}: schema statement skipped: {}\n",
                p.path, p.line, p.reason
            ),
        );
    }
    if let Some(path) = stats {
        let text = super::read_text(io, path).map_err(|e| format!("stats: {e}"))?;
        let shown = path.to_string_lossy().replace('\\', "/");
        known.sizes =
            Some(crate::lint::parse_stats(&text, &shown).map_err(|e| format!("stats: {e}"))?);
    }
    Ok(known)
}

/// `text` with every password `url` holds replaced by `****`: the
/// password of a `postgres://user:password@host` URL (as written and
/// percent-decoded) and of `password=...` words or query parameters.
pub(super) fn scrub(text: &str, url: &str) -> String {
    let mut out = text.to_string();
    for secret in passwords(url) {
        if !secret.is_empty() {
            out = out.replace(&secret, "****");
        }
    }
    out
}

/// The passwords a database URL holds, longest first (so that a password
/// containing another is replaced whole).
fn passwords(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        let before_query = rest.split('?').next().unwrap_or(rest);
        if let Some(at) = before_query.rfind('@') {
            if let Some((_, pw)) = before_query[..at].split_once(':') {
                found.push(pw.to_string());
                found.push(percent_decode(pw));
            }
        }
    }
    let lower = url.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("password") {
        let start = from + i + "password".len();
        let value = url[start..].trim_start();
        if let Some(value) = value.strip_prefix('=') {
            let value = value.trim_start();
            let end = if let Some(quoted) = value.strip_prefix('\'') {
                quoted.find('\'').map_or(value.len(), |e| e + 2)
            } else {
                value
                    .find(|c: char| c == '&' || c.is_whitespace())
                    .unwrap_or(value.len())
            };
            let raw = &value[..end];
            found.push(raw.to_string());
            found.push(raw.trim_matches('\'').to_string());
            found.push(percent_decode(raw));
        }
        from = start;
    }
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    found
}

/// `%XX` escapes decoded (invalid ones kept as written; the bytes read as
/// UTF-8, lossily). The language server decodes URIs with it too.
pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn run(args: LintArgs, io: &mut dyn Io) -> u8 {
    let options = match options(&args, io) {
        Ok(o) => o,
        Err(e) => return fail(io, e),
    };
    if !args.migrations.is_empty() && args.diff.is_none() && args.changed_since.is_none() {
        return fail(
            io,
            "--migrations needs --diff or --changed-since".to_string(),
        );
    }
    let (options, known) = match with_context(options, args.database_url.as_deref(), io) {
        Ok(k) => k,
        Err(e) => return fail(io, e),
    };
    let schema = known.schema.as_ref();
    let diff = match (&args.diff, &args.changed_since) {
        (Some(d), _) => Some(super::read_text(io, d).map(|d| (d, Vec::new()))),
        (None, Some(rev)) => Some(changed_since(rev, &args.paths, &args.migrations, io)),
        (None, None) => None,
    };
    let mut tool_problems = Vec::new();
    let result = match diff {
        Some(d) => d.and_then(|(diff, context)| {
            let report = crate::lint::lint_diff_with_schema(
                &diff,
                &options,
                &args.migrations,
                &context,
                schema,
            );
            let sources = crate::diff::parse(&diff)
                .into_iter()
                .map(|f| SourceFile {
                    path: f.path,
                    sql: f.text,
                    transaction: None,
                })
                .collect();
            report
                .map(|r| Output::Whole(sources, r))
                .map_err(|e| e.to_string())
        }),
        None => tool_of(&options).and_then(|(tool, direction)| {
            let paths = collect_with(&args.paths, io, |p| is_migration_file(p) || is_tool_file(p))?;
            let mut files: Vec<(String, String)> = Vec::with_capacity(paths.len());
            for p in &paths {
                let path = p.to_string_lossy().replace('\\', "/");
                if is_changelog_candidate(p) {
                    // Other XML or YAML beside the migrations is not ours.
                    match super::read_text(io, p) {
                        Ok(text) if text.contains("databaseChangeLog") => files.push((path, text)),
                        _ => {}
                    }
                } else {
                    files.push((path, super::read_text(io, p)?));
                }
            }
            // Written as the run goes, each file's findings once the files
            // before it are done, so memory does not grow with the report
            // (JUnit keeps its test cases as text for its totals, the
            // Markdown note what can fit in it).
            let run = crate::lint::FolderRun::new(&files, tool, direction, &options)
                .map_err(|e| e.to_string())?;
            let color = args.color.enabled(io);
            let (report, problems) = stream(io, run, &files, schema, args.format, color);
            tool_problems = problems;
            Ok(Output::Written(report))
        }),
    };
    let (sources, report): (Vec<SourceFile>, _) = match result {
        Ok(Output::Whole(sources, report)) => (sources, report),
        Ok(Output::Written(report)) => return finish_run(io, &tool_problems, &report, &options),
        Err(e) => return fail(io, e),
    };
    let ci = |f| crate::report::render_ci(&report, f);
    match args.format {
        LintFormat::Json => print_json(io, &report),
        LintFormat::Sarif => io.write(Stream::Stdout, &ci(CiFormat::Sarif)),
        LintFormat::Gitlab => io.write(Stream::Stdout, &ci(CiFormat::Gitlab)),
        LintFormat::Github => io.write(Stream::Stdout, &ci(CiFormat::Github)),
        LintFormat::Junit => io.write(Stream::Stdout, &ci(CiFormat::Junit)),
        LintFormat::Markdown => io.write(Stream::Stdout, &ci(CiFormat::Markdown)),
        LintFormat::Text => {
            let color = args.color.enabled(io);
            let lookup = |path: &str| {
                sources
                    .iter()
                    .find(|s| s.path == path)
                    .map(|s| s.sql.clone())
            };
            let text = crate::report::render_text(&report, &lookup, color);
            io.write(Stream::Stdout, &text);
        }
    }
    finish_run(io, &tool_problems, &report, &options)
}

/// What a run knows beyond its options: the schema and table sizes
/// ([`load_schema`]), and the large tables they, the RuboCop config and
/// the table docs name, added to the options' `large_tables`. `zerodown
/// lint` and the language server (`cli::lsp`) both start from it.
pub(super) fn with_context(
    mut options: LintOptions,
    database_url: Option<&str>,
    io: &mut dyn Io,
) -> Result<(LintOptions, Known), String> {
    let stats = options.stats.as_ref().map(PathBuf::from);
    let known = load_schema(&options, database_url, stats.as_deref(), io)?;
    if let Some(sizes) = &known.sizes {
        let defaults = crate::lint::LargeThresholds::default();
        let limits = crate::lint::LargeThresholds {
            rows: options.large_rows.unwrap_or(defaults.rows),
            bytes: options.large_bytes.unwrap_or(defaults.bytes),
        };
        options
            .large_tables
            .extend(crate::lint::large_tables(sizes, limits));
    } else if options.large_rows.is_some() || options.large_bytes.is_some() {
        return Err(
            "--large-rows and --large-bytes (large-rows, large-bytes in zerodown.toml) need table sizes: --stats or --database-url".to_string(),
        );
    }
    if let Some(path) = options.rubocop_migrations.clone() {
        let listed = super::read_text(io, Path::new(&path))
            .map_err(|e| format!("rubocop migrations: {e}"))
            .and_then(|text| crate::lint::large_tables_from_rubocop(&text, &path))?;
        options.large_tables.extend(listed);
    }
    if let Some(dir) = options.table_docs.clone() {
        options
            .large_tables
            .extend(table_docs(Path::new(&dir), io)?);
    }
    Ok((options, known))
}

/// What a lint run leaves to print: the whole report with the files'
/// texts, or nothing (it was written as it ran; the report without its
/// findings, for the exit status).
enum Output {
    Whole(Vec<SourceFile>, crate::report::LintReport),
    Written(crate::report::LintReport),
}

/// Writes a folder's run in `format` while it lints; the report comes back
/// without its findings (its summary counts them).
fn stream(
    io: &mut dyn Io,
    run: crate::lint::FolderRun<'_>,
    files: &[(String, String)],
    schema: Option<&crate::lint::Schema>,
    format: LintFormat,
    color: bool,
) -> (crate::report::LintReport, Vec<crate::tools::ToolProblem>) {
    let mut problems = Vec::new();
    let mut out = StdoutWriter {
        io,
        buf: Vec::new(),
    };
    let ci = match format {
        LintFormat::Sarif => Some(CiFormat::Sarif),
        LintFormat::Gitlab => Some(CiFormat::Gitlab),
        LintFormat::Github => Some(CiFormat::Github),
        LintFormat::Junit => Some(CiFormat::Junit),
        _ => None,
    };
    // A folder run has no file it could not check: nothing to list first.
    let report = if format == LintFormat::Markdown {
        let mut note =
            crate::report::markdown::MarkdownStream::new(crate::report::markdown::MAX_NOTE);
        let (report, p) = run.lint(schema, &mut |file| note.findings(&file));
        problems = p;
        out.text(&note.finish(&report));
        report
    } else if let Some((mut stream, head)) = ci.and_then(|f| crate::report::CiStream::new(f, &[])) {
        out.text(&head);
        let (report, p) = run.lint(schema, &mut |file| out.text(&stream.findings(&file)));
        problems = p;
        stream.finish_into(&report.files, &mut |piece| out.text(piece));
        report
    } else if format == LintFormat::Json {
        let streamed = crate::report::StreamedReport::new(|sink| {
            let (report, p) = run.lint(schema, sink);
            problems = p;
            report
        });
        // Serializing plain data cannot fail; a closed stdout ends output
        // quietly (as `Io::write` does).
        let _ = serde_json::to_writer_pretty(&mut out, &streamed);
        out.text("\n");
        streamed.into_rest().unwrap_or_default()
    } else {
        let renderer = crate::report::text_renderer(color);
        out.text(&crate::report::text_head(run.tool.as_ref(), run.left));
        // Each file's text for its code frames, found by path once per file.
        let texts: std::collections::HashMap<&str, &str> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (report, p) = run.lint(schema, &mut |file| {
            let source = texts.get(file[0].path.as_str()).copied();
            out.text(&crate::report::text_findings(&file, source, &renderer));
        });
        problems = p;
        out.text(&crate::report::text_tail(&report));
        report
    };
    out.flush_all();
    (report, problems)
}

/// Standard output as `std::io::Write`, in pieces of about 64 KB cut at
/// character boundaries.
struct StdoutWriter<'a> {
    io: &'a mut dyn Io,
    buf: Vec<u8>,
}

impl StdoutWriter<'_> {
    fn text(&mut self, text: &str) {
        self.buf.extend_from_slice(text.as_bytes());
        if self.buf.len() >= 1 << 16 {
            self.flush_some();
        }
    }

    /// Writes what is buffered up to its last whole character.
    fn flush_some(&mut self) {
        let whole = match std::str::from_utf8(&self.buf) {
            Ok(s) => s.len(),
            Err(e) => e.valid_up_to(),
        };
        if let Ok(s) = std::str::from_utf8(&self.buf[..whole]) {
            self.io.write(Stream::Stdout, s);
        }
        self.buf.drain(..whole);
    }

    fn flush_all(&mut self) {
        self.flush_some();
    }
}

impl std::io::Write for StdoutWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= 1 << 16 {
            self.flush_some();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The end of a lint run: a tool's own files that could not be read, then
/// the exit status.
fn finish_run(
    io: &mut dyn Io,
    tool_problems: &[crate::tools::ToolProblem],
    report: &crate::report::LintReport,
    options: &LintOptions,
) -> u8 {
    // A tool's own file that cannot be read: said with its line; the run
    // went on without it, and the exit status says so.
    for p in tool_problems {
        io.write(
            Stream::Stderr,
            &format!("error: {}:{}: {}\n", p.path, p.line, p.message),
        );
    }
    if !tool_problems.is_empty() {
        return 2;
    }
    let fail_on = options.fail_on.unwrap_or(FailOn::Error);
    // By the counts: a streamed report holds no findings.
    let s = report.summary;
    let failed = [
        (crate::Severity::Error, s.errors),
        (crate::Severity::Warning, s.warnings),
        (crate::Severity::Info, s.infos),
    ]
    .iter()
    .any(|(severity, n)| *n > 0 && fail_on.fails(*severity));
    super::exit_status(failed)
}

/// The tool and direction of the options: `auto` or none is detected.
pub(super) fn tool_of(
    options: &LintOptions,
) -> Result<(Option<crate::tools::Tool>, crate::tools::Direction), String> {
    crate::tools::choice(options.tool.as_deref(), options.direction.as_deref())
        .map_err(|e| e.to_string())
}
