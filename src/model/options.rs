//! What a lint run knows about its surroundings: options from flags,
//! `zerodown.toml` or JavaScript. The rest of a file's context is in
//! `phase` (which phase it runs in) and `state` (what earlier statements did).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Phase, Severity};

/// A rule's configured level: a severity or `off`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as info.
    Info,
    /// Do not run the rule.
    Off,
}

impl RuleLevel {
    /// The severity, or None when off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        }
    }
}

/// Options of a lint run. The same keys serve `zerodown.toml` (kebab-case),
/// JavaScript (camelCase) and, through the CLI, flags.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LintOptions {
    /// Phase for every file, overriding what the path says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// Target PostgreSQL major version.
    #[serde(default = "default_pg_version", alias = "pg-version")]
    pub pg_version: super::PgVersion,
    /// Tables known to be large: data changes on them need batching.
    #[serde(default, alias = "large-tables")]
    pub large_tables: Vec<String>,
    /// Files run inside a transaction even without BEGIN (Rails, Flyway, ...).
    #[serde(default, alias = "assume-in-transaction")]
    pub assume_in_transaction: bool,
    /// Per-rule level overrides.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    /// Path globs mapped to phases, tried in order before the built-in patterns.
    #[serde(default)]
    pub phases: Vec<PhaseGlob>,
    /// The release the migrations ship in; plans are laid out from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// A schema dump (`pg_dump --schema-only`, `structure.sql`) the CLI
    /// loads and lints against; in `zerodown.toml`, relative to that file.
    /// The engine reads the loaded schema (`lint::Schema`), not this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Table sizes, a CSV `table,rows,bytes` (`--stats`) the CLI reads;
    /// in `zerodown.toml`, relative to that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<String>,
    /// A folder of GitLab-style table docs (`db/docs/*.yml`) whose
    /// `table_size: large` and `over_limit` tables count as large; the CLI
    /// reads it; in `zerodown.toml`, relative to that file.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "table-docs")]
    pub table_docs: Option<String>,
    /// GitLab's RuboCop migration config (`rubocop-migrations.yml`), whose
    /// `Migration/UpdateLargeTable` tables count as large; the CLI reads
    /// it; in `zerodown.toml`, relative to that file.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "rubocop-migrations"
    )]
    pub rubocop_migrations: Option<String>,
    /// With table sizes: a table of at least this many rows is large.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "large-rows")]
    pub large_rows: Option<u64>,
    /// With table sizes: a table of at least this many bytes is large.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "large-bytes"
    )]
    pub large_bytes: Option<u64>,
    /// The migration tool that runs the migrations (`auto`, `plain`,
    /// `golang-migrate`, `goose`, `dbmate`, `diesel`, `pop`, `flyway`,
    /// `prisma`, `drizzle`, `sqitch`, `liquibase`, `alembic`): which files,
    /// in what order, each in a transaction or not (see `tools`). The CLI's
    /// folders default to `auto` (detected); `lintFiles` and a diff
    /// (`lintDiff`, `--diff`, `--changed-since`) use a tool only when this
    /// or `direction` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Which scripts are linted: `up` (default) or `down` (the rollbacks,
    /// as their own run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Path globs of the migrations to lint (the `[[phases]]` glob
    /// syntax); empty: every migration file. A file outside them is
    /// listed as skipped, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Path globs of files never linted as migrations (seeds, scratch
    /// scripts), over `include`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Values of template placeholders (`{{ index .Options "Namespace" }}`,
    /// `{{ .Schema }}`, `$%Schema%$`), by variable name: filled in before a
    /// file is read (`template-vars = { Namespace = "auth" }`, `--define
    /// Namespace=auth`). A file with a placeholder that has none is one
    /// `template-placeholder` finding.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        alias = "template-vars"
    )]
    pub template_vars: BTreeMap<String, String>,
    /// Threads that read and parse files ahead of the engine's ordered
    /// pass (`--jobs`; natively only). `None`: none (one thread). The
    /// report is the same for any count. Not an option of `zerodown.toml`
    /// or JavaScript.
    #[serde(skip)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "never", optional))]
    pub jobs: Option<usize>,
    /// The file being linted is sent to the database as one query by its
    /// tool (golang-migrate, Prisma): statements added to it would join one
    /// implicit transaction. Set per file by the engine; not an option.
    #[serde(skip)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "never", optional))]
    pub one_query: bool,
    /// Root tables for organization isolation (`sharding-key-missing`).
    #[serde(default)]
    pub roots: Vec<String>,
    /// Attach a step plan to each finding that has a safe path.
    #[serde(default = "yes")]
    pub plans: bool,
    /// The longest one attempt of a plan step waits for its locks (`1s`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "lock-timeout"
    )]
    pub lock_timeout: Option<String>,
    /// How many times a plan step tries again to take its locks.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "lock-retries"
    )]
    pub lock_retries: Option<u32>,
    /// The longest `lock_timeout` a migration may set before a strong lock
    /// (`missing-lock-timeout` warns above it): every query on the table
    /// queues behind the waiting statement for that long.
    #[serde(default = "default_max_lock_timeout", alias = "max-lock-timeout")]
    pub max_lock_timeout: String,
    /// The command line's exit status: 1 when a finding reaches this
    /// severity (default `error`; `never`: always 0). Linting ignores it,
    /// and the browser's lint module does not know it (its size budget).
    #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "fail-on")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub fail_on: Option<FailOn>,
}

/// The least severity that fails a run (`--fail-on`, `fail-on`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Error-level findings fail the run (the default).
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Nothing fails the run.
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity != Severity::Info,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// The longest `lock_timeout` a migration may set before a strong lock.
pub const DEFAULT_MAX_LOCK_TIMEOUT: &str = "2s";

fn default_max_lock_timeout() -> String {
    DEFAULT_MAX_LOCK_TIMEOUT.to_string()
}

fn default_pg_version() -> super::PgVersion {
    super::DEFAULT_PG_VERSION
}

fn yes() -> bool {
    true
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            phase: None,
            pg_version: super::DEFAULT_PG_VERSION,
            large_tables: Vec::new(),
            assume_in_transaction: false,
            rules: BTreeMap::new(),
            phases: Vec::new(),
            release: None,
            schema: None,
            stats: None,
            table_docs: None,
            rubocop_migrations: None,
            large_rows: None,
            large_bytes: None,
            tool: None,
            direction: None,
            include: Vec::new(),
            exclude: Vec::new(),
            template_vars: BTreeMap::new(),
            jobs: None,
            one_query: false,
            roots: Vec::new(),
            plans: true,
            lock_timeout: None,
            lock_retries: None,
            max_lock_timeout: default_max_lock_timeout(),
            #[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
            fail_on: None,
        }
    }
}

/// A path glob and the phase of the files it matches.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseGlob {
    /// Glob over `/`-separated paths: `*`, `?`, `**`.
    pub glob: String,
    /// The phase of matching files.
    pub phase: Phase,
}

impl LintOptions {
    /// Is `table` (qualified or not) one of the configured large tables?
    pub fn is_large_table(&self, table: &crate::model::Name) -> bool {
        self.large_tables.iter().any(|t| {
            let t = t.to_ascii_lowercase();
            t == table.name || t == table.qualified()
        })
    }
}
