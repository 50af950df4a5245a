//! Migration tools: which files of a folder a runner runs, in what order,
//! in which direction, and whether it wraps each in a transaction.
//!
//! A tool reads (path, text) pairs, so callers without a file system pass
//! them from memory; it returns the files to lint in run order, each with
//! the transaction mode the runner gives it, and the files it leaves out
//! with the reason (a down script when linting up, another database's
//! variant, a name the runner does not run). The engine then lints them in
//! that order; a file's own `-- zerodown: transaction=...` header and
//! `--assume-in-transaction` win over the tool's mode.
//!
//! Layer: above `sql` (it splits files into statements and sections) and
//! `ruby` (whether a Rails migration runs in a transaction), below the
//! engine, which it does not know.

use std::cmp::Ordering;

use crate::error::{Error, ErrorCode, Result};

#[cfg(any(not(target_arch = "wasm32"), feature = "node"))]
mod changelog;

/// A migration tool zerodown knows how to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tool {
    /// A plain folder: every file, in path order, no transaction assumed.
    Plain,
    /// golang-migrate: `N_name.up.sql` / `N_name.down.sql`, each sent as one
    /// multi-statement query (an implicit transaction when it holds more
    /// than one statement).
    GolangMigrate,
    /// goose: `N_name.sql` with `-- +goose Up` / `-- +goose Down` sections,
    /// in a transaction unless `-- +goose NO TRANSACTION`.
    Goose,
    /// dbmate: `N_name.sql` with `-- migrate:up` / `-- migrate:down`
    /// sections, in a transaction unless `transaction:false`.
    Dbmate,
    /// Diesel: `<dir>/up.sql` and `<dir>/down.sql`, in a transaction unless
    /// `<dir>/metadata.toml` says `run_in_transaction = false`.
    Diesel,
    /// pop (fizz's SQL migrations): `N_name[.dialect][.autocommit].up.sql`,
    /// the `postgres` variant over the dialect-neutral one, in a
    /// transaction unless `.autocommit.`.
    Pop,
    /// Flyway: `V<version>__<name>.sql` in version order, then `R__`
    /// repeatables; `U<version>__` undo scripts are the down direction.
    Flyway,
    /// Prisma Migrate: `migrations/<timestamp>_<name>/migration.sql`, each
    /// sent as one query (an implicit transaction when it holds more than
    /// one statement).
    Prisma,
    /// Drizzle: `NNNN_name.sql` in the order of `meta/_journal.json`, all
    /// pending migrations in one transaction.
    Drizzle,
    /// sqitch: `deploy/<change>.sql` in `sqitch.plan` order (`revert/` in
    /// reverse going down); no transaction but the script's own.
    Sqitch,
    /// Liquibase formatted SQL: `--changeset author:id` sections, each in a
    /// transaction unless `runInTransaction:false`; `--rollback` lines are
    /// the down direction.
    Liquibase,
    /// Alembic's offline SQL (`alembic upgrade --sql`): the script as
    /// written, its own `BEGIN` / `COMMIT` tracked.
    Alembic,
    /// Rails (Active Record): `db/migrate/<version>_<name>.rb` by version,
    /// then GitLab's post-deployment `db/post_migrate/`, each in a
    /// transaction unless `disable_ddl_transaction!`; `structure.sql` and
    /// `schema.rb` are the schema, not migrations.
    Rails,
}

/// Every tool, with its name, for `--tool` and `tool = "..."`.
pub const TOOLS: &[(Tool, &str)] = &[
    (Tool::Plain, "plain"),
    (Tool::GolangMigrate, "golang-migrate"),
    (Tool::Goose, "goose"),
    (Tool::Dbmate, "dbmate"),
    (Tool::Diesel, "diesel"),
    (Tool::Pop, "pop"),
    (Tool::Flyway, "flyway"),
    (Tool::Prisma, "prisma"),
    (Tool::Drizzle, "drizzle"),
    (Tool::Sqitch, "sqitch"),
    (Tool::Liquibase, "liquibase"),
    (Tool::Alembic, "alembic"),
    (Tool::Rails, "rails"),
];

impl Tool {
    /// The tool's name (`golang-migrate`).
    pub fn name(self) -> &'static str {
        TOOLS
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("plain", |(_, n)| n)
    }

    /// The tool of a name, or an error listing the known ones.
    pub fn parse(name: &str) -> Result<Tool> {
        TOOLS
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(t, _)| *t)
            .ok_or_else(|| {
                let known: Vec<&str> = TOOLS.iter().map(|(_, n)| *n).collect();
                Error::new(
                    ErrorCode::BadOptions,
                    format!(
                        "`{name}` is not a migration tool zerodown reads: use auto or one of {}",
                        known.join(", ")
                    ),
                )
            })
    }
}

/// The tool and direction of options' `tool` and `direction` (`auto` or
/// none: detected; `up` or none: up), or an error naming the known values.
pub fn choice(tool: Option<&str>, direction: Option<&str>) -> Result<(Option<Tool>, Direction)> {
    let tool = match tool {
        None | Some("auto") => None,
        Some(name) => Some(Tool::parse(name)?),
    };
    let direction = match direction {
        None | Some("up") => Direction::Up,
        Some("down") => Direction::Down,
        Some(other) => {
            return Err(Error::new(
                ErrorCode::BadOptions,
                format!("`{other}` is not a direction: use up or down"),
            ))
        }
    };
    Ok((tool, direction))
}

/// Which scripts are linted: the forward ones (default) or the rollbacks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    /// Up scripts and sections.
    #[default]
    Up,
    /// Down scripts and sections (golang-migrate `.down.sql`, goose and
    /// dbmate down sections, Diesel `down.sql`, Flyway `U` scripts).
    Down,
}

/// One file to lint, in run order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit<'a> {
    /// Its path, as given.
    pub path: String,
    /// Its text (borrowed from the files given when the tool runs it as
    /// it is), with the sections of the other direction blanked out
    /// (spaces, newlines kept) so that positions stay those of the file.
    pub sql: std::borrow::Cow<'a, str>,
    /// Whether the runner wraps it in a transaction; `None`: the tool does
    /// not say (plain).
    pub transaction: Option<bool>,
}

/// A file the tool does not run in this direction, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// Its path.
    pub path: String,
    /// Why it is not linted.
    pub reason: String,
}

/// A problem with a tool's own file (a malformed `metadata.toml`): the file
/// it concerns, its line, what is wrong. The run goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolProblem {
    /// The file.
    pub path: String,
    /// Its line (1-based).
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

/// What a tool makes of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared<'a> {
    /// The tool used.
    pub tool: Tool,
    /// How it was chosen: given, or detected and from what.
    pub why: String,
    /// The files to lint, in the order the runner runs them.
    pub units: Vec<Unit<'a>>,
    /// The files left out, with why.
    pub left: Vec<Left>,
    /// Problems with the tool's own files.
    pub problems: Vec<ToolProblem>,
}

impl Prepared<'_> {
    /// The same, with every unit's text its own (no longer borrowed).
    pub fn into_owned(self) -> Prepared<'static> {
        Prepared {
            tool: self.tool,
            why: self.why,
            units: self
                .units
                .into_iter()
                .map(|u| Unit {
                    path: u.path,
                    sql: std::borrow::Cow::Owned(u.sql.into_owned()),
                    transaction: u.transaction,
                })
                .collect(),
            left: self.left,
            problems: self.problems,
        }
    }
}

/// The file name of a path (after the last `/`).
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The folder of a path (before the last `/`), or "".
fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Leading ASCII digits of `s`, and the rest.
fn digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// Compares two digit strings as numbers (any length).
fn cmp_numbers(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `N_name.up.sql` / `N_name.down.sql` (golang-migrate): the version and
/// the direction.
fn golang_name(name: &str) -> Option<(&str, Direction)> {
    let (version, rest) = digits(name);
    if version.is_empty() || !rest.starts_with('_') {
        return None;
    }
    if rest.ends_with(".up.sql") {
        Some((version, Direction::Up))
    } else if rest.ends_with(".down.sql") {
        Some((version, Direction::Down))
    } else {
        None
    }
}

/// A pop migration name: version, name, dialect, autocommit, direction.
struct PopName<'a> {
    version: &'a str,
    name: &'a str,
    dialect: Option<&'a str>,
    autocommit: bool,
    direction: Direction,
    fizz: bool,
}

fn pop_name(file: &str) -> Option<PopName<'_>> {
    let (version, rest) = digits(file);
    let rest = rest.strip_prefix('_')?;
    if version.is_empty() {
        return None;
    }
    let (stem, fizz) = if let Some(s) = rest.strip_suffix(".sql") {
        (s, false)
    } else {
        (rest.strip_suffix(".fizz")?, true)
    };
    let (stem, direction) = if let Some(s) = stem.strip_suffix(".up") {
        (s, Direction::Up)
    } else {
        (stem.strip_suffix(".down")?, Direction::Down)
    };
    let (stem, autocommit) = match stem.strip_suffix(".autocommit") {
        Some(s) => (s, true),
        None => (stem, false),
    };
    let (name, dialect) = match stem.rsplit_once('.') {
        Some((n, d))
            if matches!(
                d,
                "postgres" | "cockroach" | "mysql" | "sqlite3" | "sqlserver" | "mariadb"
            ) =>
        {
            (n, Some(d))
        }
        _ => (stem, None),
    };
    Some(PopName {
        version,
        name,
        dialect,
        autocommit,
        direction,
        fizz,
    })
}

/// A Flyway name: `V<version>__`, `U<version>__`, `R__`; the kind letter
/// and the version's numeric parts.
fn flyway_name(file: &str) -> Option<(char, Vec<&str>)> {
    let stem = file.strip_suffix(".sql")?;
    let kind = stem.chars().next()?;
    if !matches!(kind, 'V' | 'U' | 'R') {
        return None;
    }
    let (version, _) = stem[1..].split_once("__")?;
    if kind == 'R' {
        return version.is_empty().then(|| ('R', Vec::new()));
    }
    let parts: Vec<&str> = version.split(['.', '_']).collect();
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some((kind, parts))
}

fn cmp_versions(a: &[&str], b: &[&str]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or("0"),
            b.get(i).copied().unwrap_or("0"),
        );
        match cmp_numbers(x, y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

/// The lines of `text` with a marker comment (`-- +goose Up`,
/// `-- migrate:up`), case-insensitively after `--` and spaces: (line
/// start, rest of the marker line after the prefix).
fn marker_lines<'a>(text: &'a str, prefix: &str) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(body) = t.strip_prefix("--") {
            let body = body.trim_start();
            // By bytes: a comment of other text may hold any character.
            let head = body.as_bytes().get(..prefix.len());
            if head.is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes())) {
                out.push((at, body.get(prefix.len()..).unwrap_or("").trim_end()));
            }
        }
        at += line.len();
    }
    out
}

/// `text` with the bytes outside `keep` blanked: spaces for every
/// character but line breaks, so positions and lines stay.
fn keep_only(text: &str, keep: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' || keep.iter().any(|r| r.contains(&i)) {
            out.push(c);
        } else {
            for _ in 0..c.len_utf8() {
                out.push(' ');
            }
        }
    }
    out
}

/// Sections of a file marked `-- +goose Up|Down` or `-- migrate:up|down`:
/// the ranges of the wanted direction (from after its marker line to the
/// next marker), and the options of its markers (`NO TRANSACTION`,
/// `transaction:false`).
fn sections(
    text: &str,
    prefix: &str,
    direction: Direction,
) -> (Vec<std::ops::Range<usize>>, Vec<String>) {
    let markers = marker_lines(text, prefix);
    let mut keep = Vec::new();
    let mut options = Vec::new();
    for (i, (at, rest)) in markers.iter().enumerate() {
        let word = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let this = match word.as_str() {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        };
        if this == Some(direction) {
            let start = text[*at..].find('\n').map_or(text.len(), |n| at + n + 1);
            let end = markers
                .iter()
                .skip(i + 1)
                .find(|(_, r)| {
                    let w = r
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    w == "up" || w == "down"
                })
                .map_or(text.len(), |(a, _)| *a);
            keep.push(start..end.max(start));
            options.push(rest.to_string());
        }
    }
    (keep, options)
}

/// How many statements `text` holds.
fn statements(text: &str) -> usize {
    crate::sql::split(text).statements.len()
}

/// A file a tool runs, and its place: by `rank` (a journal's or plan's
/// index; 0 where the tool orders by name), then `version` compared as
/// numbers, then `name`, then the path.
struct Run<'a> {
    rank: usize,
    version: Vec<&'a str>,
    name: &'a str,
    path: &'a String,
    sql: std::borrow::Cow<'a, str>,
    transaction: Option<bool>,
}

impl<'a> Run<'a> {
    /// A file run as it is, placed by path.
    fn whole(path: &'a String, text: &'a str, transaction: Option<bool>) -> Self {
        Run {
            rank: 0,
            version: Vec::new(),
            name: "",
            path,
            sql: std::borrow::Cow::Borrowed(text),
            transaction,
        }
    }

    fn version(self, version: &'a str) -> Self {
        Run {
            version: vec![version],
            ..self
        }
    }

    fn named(self, name: &'a str) -> Self {
        Run { name, ..self }
    }

    fn rank(self, rank: usize) -> Self {
        Run { rank, ..self }
    }
}

/// The run order (see [`Run`]). One comparison for every tool, so the
/// browser's lint module carries one sort.
fn run_order(a: &Run, b: &Run) -> Ordering {
    a.rank
        .cmp(&b.rank)
        .then_with(|| cmp_versions(&a.version, &b.version))
        .then_with(|| a.name.cmp(b.name))
        .then_with(|| a.path.cmp(b.path))
}

/// Reads `files` (path, text) with `tool` (`None`: detected) in
/// `direction`. Paths are compared with `/` separators.
pub fn prepare(
    files: &[(String, String)],
    tool: Option<Tool>,
    direction: Direction,
) -> Result<Prepared<'_>> {
    let (tool, why) = match tool {
        Some(t) => (t, "given".to_string()),
        None => detect(files),
    };
    let mut p = Prepared {
        tool,
        why,
        units: Vec::new(),
        left: Vec::new(),
        problems: Vec::new(),
    };
    let left = |p: &mut Prepared, path: &str, reason: String| {
        p.left.push(Left {
            path: path.to_string(),
            reason,
        });
    };
    let dir_word = match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    let scripts = || files.iter().filter(|(p, _)| is_script(p));
    let mut runs: Vec<Run> = Vec::new();
    match tool {
        Tool::Plain => {
            runs.extend(scripts().map(|(path, text)| Run::whole(path, text, None)));
        }
        Tool::GolangMigrate => {
            for (path, text) in scripts() {
                match golang_name(file_name(path)) {
                    // One multi-statement query: an implicit transaction
                    // when it holds more than one statement.
                    Some((v, d)) if d == direction => {
                        runs.push(Run::whole(path, text, Some(statements(text) > 1)).version(v));
                    }
                    Some(_) => left(&mut p, path, format!("not an {dir_word} script")),
                    None => left(
                        &mut p,
                        path,
                        "not named N_name.up.sql or N_name.down.sql".into(),
                    ),
                }
            }
        }
        Tool::Goose | Tool::Dbmate => {
            let prefix = if tool == Tool::Goose {
                "+goose"
            } else {
                "migrate:"
            };
            for (path, text) in scripts() {
                let (version, rest) = digits(file_name(path));
                if version.is_empty() || !rest.starts_with('_') || !rest.ends_with(".sql") {
                    left(&mut p, path, "not named N_name.sql".into());
                    continue;
                }
                let (keep, options) = sections(text, prefix, direction);
                if keep.is_empty() && marker_lines(text, prefix).is_empty() {
                    left(
                        &mut p,
                        path,
                        format!(
                            "no `-- {prefix}{}` section",
                            if tool == Tool::Goose { " Up" } else { "up" }
                        ),
                    );
                    continue;
                }
                let transaction = if tool == Tool::Goose {
                    !marker_lines(text, "+goose").iter().any(|(_, r)| {
                        r.split_whitespace()
                            .map(str::to_ascii_uppercase)
                            .collect::<Vec<_>>()
                            == ["NO", "TRANSACTION"]
                    })
                } else {
                    !options.iter().any(|o| {
                        o.to_ascii_lowercase()
                            .split_whitespace()
                            .any(|w| w == "transaction:false")
                    })
                };
                let mut run = Run::whole(path, text, Some(transaction)).version(version);
                run.sql = std::borrow::Cow::Owned(keep_only(text, &keep));
                runs.push(run);
            }
        }
        Tool::Diesel => {
            let wanted = format!("{dir_word}.sql");
            for (path, text) in scripts() {
                let name = file_name(path);
                if name != "up.sql" && name != "down.sql" {
                    left(&mut p, path, "not a Diesel up.sql or down.sql".into());
                    continue;
                }
                if name != wanted {
                    left(&mut p, path, format!("not an {dir_word} script"));
                    continue;
                }
                let dir = folder(path);
                let meta = format!("{dir}/metadata.toml");
                let mut transaction = true;
                if let Some((mpath, mtext)) = files
                    .iter()
                    .find(|(p, _)| *p == meta || (dir.is_empty() && p == "metadata.toml"))
                {
                    match run_in_transaction(mtext) {
                        Ok(Some(v)) => transaction = v,
                        Ok(None) => {}
                        Err((line, message)) => p.problems.push(ToolProblem {
                            path: mpath.clone(),
                            line,
                            message,
                        }),
                    }
                }
                runs.push(Run::whole(path, text, Some(transaction)).named(file_name(dir)));
            }
        }
        Tool::Pop => {
            // The chosen files of this direction, and whether each names
            // its dialect.
            let mut chosen: Vec<(Run, bool)> = Vec::new();
            for (path, text) in files {
                let file = file_name(path);
                let Some(n) = pop_name(file) else {
                    if is_script(path) {
                        left(
                            &mut p,
                            path,
                            "not named N_name[.dialect][.autocommit].up.sql".into(),
                        );
                    }
                    continue;
                };
                if n.direction != direction {
                    left(&mut p, path, format!("not an {dir_word} script"));
                    continue;
                }
                if n.fizz {
                    left(&mut p, path, "a fizz script (not SQL)".into());
                    continue;
                }
                if let Some(d) = n.dialect.filter(|d| *d != "postgres") {
                    left(&mut p, path, format!("for {d}, not PostgreSQL"));
                    continue;
                }
                let run = Run::whole(path, text, Some(!n.autocommit))
                    .version(n.version)
                    .named(n.name);
                chosen.push((run, n.dialect.is_some()));
            }
            // The postgres variant wins over the dialect-neutral file of
            // the same version and name.
            let variants: Vec<(Vec<&str>, &str)> = chosen
                .iter()
                .filter(|(_, dialect)| *dialect)
                .map(|(r, _)| (r.version.clone(), r.name))
                .collect();
            for (run, dialect) in chosen {
                if !dialect && variants.contains(&(run.version.clone(), run.name)) {
                    left(
                        &mut p,
                        run.path,
                        "the postgres variant of this migration runs instead".into(),
                    );
                } else {
                    runs.push(run);
                }
            }
        }
        Tool::Flyway => {
            let conf = |path: &str| -> Option<bool> {
                let (_, text) = files.iter().find(|(p, _)| *p == format!("{path}.conf"))?;
                text.lines().find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == "executeInTransaction").then(|| v.trim() != "false")
                })
            };
            let mixed = flyway_mixed(files);
            let mut refused = Vec::new();
            let mut transaction = |path: &String, text: &str| {
                if let Some(given) = conf(path) {
                    return Some(given);
                }
                let (outside, transactional) = flyway_non_transactional(text);
                if let (Some(line), true, false) = (outside, transactional, mixed) {
                    refused.push(ToolProblem {
                        path: path.clone(),
                        line,
                        message: "Flyway refuses this migration: the statement on this line cannot run in a transaction and others in the file can, and `mixed` is false (\"Detected both transactional and non-transactional statements within the same migration\"); put it in a migration of its own, or set flyway.mixed=true. It is linted as Flyway runs it with mixed: outside a transaction".to_string(),
                    });
                }
                Some(outside.is_none())
            };
            for (path, text) in scripts() {
                let file = file_name(path);
                match flyway_name(file) {
                    // Repeatables run after the versioned scripts, by name.
                    Some(('R', _)) if direction == Direction::Up => {
                        let t = transaction(path, text);
                        runs.push(Run::whole(path, text, t).rank(1).named(file));
                    }
                    Some(('V', v)) if direction == Direction::Up => {
                        let t = transaction(path, text);
                        runs.push(Run {
                            version: v,
                            ..Run::whole(path, text, t)
                        });
                    }
                    Some(('U', v)) if direction == Direction::Down => {
                        let t = transaction(path, text);
                        runs.push(Run {
                            version: v,
                            ..Run::whole(path, text, t)
                        });
                    }
                    Some(_) => left(&mut p, path, format!("not an {dir_word} script")),
                    None => left(
                        &mut p,
                        path,
                        "not named V<version>__<name>.sql, U<version>__ or R__".into(),
                    ),
                }
            }
            p.problems.extend(refused);
        }
        Tool::Prisma => {
            for (path, text) in scripts() {
                if file_name(path) != "migration.sql" {
                    left(
                        &mut p,
                        path,
                        "not a Prisma <migration>/migration.sql".into(),
                    );
                } else if direction == Direction::Down {
                    left(&mut p, path, "Prisma has no down scripts".into());
                } else {
                    let transaction = Some(statements(text) > 1);
                    runs.push(Run::whole(path, text, transaction).named(file_name(folder(path))));
                }
            }
        }
        Tool::Drizzle => {
            // Journal order per folder holding `meta/_journal.json`; files
            // it does not list are left out, as drizzle-kit skips them.
            let journals: Vec<(&String, &String)> = files
                .iter()
                .filter(|(p, _)| p.ends_with("meta/_journal.json"))
                .map(|(p, t)| (p, t))
                .collect();
            let mut order: Vec<String> = Vec::new();
            for (jpath, jtext) in &journals {
                let base = folder(folder(jpath));
                match journal_tags(jtext) {
                    Ok(tags) => order.extend(tags.into_iter().map(|t| {
                        if base.is_empty() {
                            format!("{t}.sql")
                        } else {
                            format!("{base}/{t}.sql")
                        }
                    })),
                    Err((line, message)) => p.problems.push(ToolProblem {
                        path: (*jpath).clone(),
                        line,
                        message,
                    }),
                }
            }
            for (path, text) in scripts() {
                if direction == Direction::Down {
                    left(&mut p, path, "Drizzle has no down scripts".into());
                    continue;
                }
                match order.iter().position(|o| o == path) {
                    Some(i) => runs.push(Run::whole(path, text, Some(true)).rank(i)),
                    None if journals.is_empty() => {
                        runs.push(Run::whole(path, text, Some(true)).rank(usize::MAX));
                    }
                    None => left(&mut p, path, "not in meta/_journal.json".into()),
                }
            }
        }
        Tool::Sqitch => {
            let planned = files.iter().any(|(p, _)| file_name(p) == "sqitch.plan");
            let sub = match direction {
                Direction::Up => "deploy",
                Direction::Down => "revert",
            };
            let mut order: Vec<String> = Vec::new();
            for (ppath, ptext) in files.iter().filter(|(p, _)| file_name(p) == "sqitch.plan") {
                let base = folder(ppath);
                let mut changes = plan_changes(ptext);
                if direction == Direction::Down {
                    changes.reverse();
                }
                order.extend(changes.into_iter().map(|c| {
                    if base.is_empty() {
                        format!("{sub}/{c}.sql")
                    } else {
                        format!("{base}/{sub}/{c}.sql")
                    }
                }));
            }
            let under = |path: &str, dir: &str| {
                path.starts_with(&format!("{dir}/")) || path.contains(&format!("/{dir}/"))
            };
            for (path, text) in scripts() {
                // sqitch runs a script as it is: its own BEGIN / COMMIT.
                let run = Run::whole(path, text, Some(false));
                match order.iter().position(|o| o == path) {
                    Some(i) => runs.push(run.rank(i)),
                    None if under(path, "verify") => left(&mut p, path, "a verify script".into()),
                    None if under(path, sub) && planned => {
                        left(&mut p, path, "not in sqitch.plan".into());
                    }
                    // No sqitch.plan in sight (a diff that does not change
                    // it): the scripts in path order.
                    None if under(path, sub) => runs.push(run.rank(usize::MAX)),
                    None if under(path, "deploy") || under(path, "revert") => {
                        left(&mut p, path, format!("not a {sub} script"));
                    }
                    None => left(&mut p, path, "not a sqitch deploy or revert script".into()),
                }
            }
        }
        Tool::Liquibase => {
            // The master changelog's order, where one includes the files.
            let order = changelog_order(files, &mut p);
            for (path, text) in scripts() {
                let rank = match &order {
                    Some((masters, order)) => match order.iter().position(|o| o == path) {
                        Some(i) => i,
                        None => {
                            left(&mut p, path, format!("not included by {masters}"));
                            continue;
                        }
                    },
                    None => 0,
                };
                let mut sets = changesets(text);
                if sets.is_empty() {
                    left(
                        &mut p,
                        path,
                        "no `--changeset` (not Liquibase formatted SQL)".into(),
                    );
                    continue;
                }
                // One unit per changeset, each with its own mode; the
                // others are blanked, so positions stay the file's. Going
                // down, the rollbacks run last changeset first.
                if direction == Direction::Down {
                    sets.reverse();
                }
                for set in sets {
                    let keep = match direction {
                        Direction::Up => vec![set.body.clone()],
                        Direction::Down => set.rollback.clone(),
                    };
                    let mut sql = keep_only(text, &keep);
                    if direction == Direction::Down {
                        // `--rollback SQL`: the marker blanked, the SQL kept.
                        for r in &set.rollback {
                            sql.replace_range(r.start..r.start + "--rollback".len(), "          ");
                        }
                    }
                    let mut run = Run::whole(path, text, Some(set.in_transaction)).rank(rank);
                    run.sql = std::borrow::Cow::Owned(sql);
                    runs.push(run);
                }
            }
        }
        Tool::Alembic => {
            for (path, text) in scripts() {
                if direction == Direction::Down {
                    left(&mut p, path, "Alembic's offline SQL is one direction per file: lint the downgrade file going up".into());
                    continue;
                }
                runs.push(Run::whole(path, text, Some(false)));
            }
        }
        Tool::Rails => {
            for (path, text) in scripts() {
                let name = file_name(path);
                let dir = file_name(folder(path));
                let (version, rest) = digits(name);
                let migration = (dir == "migrate" || dir == "post_migrate")
                    && !version.is_empty()
                    && rest.starts_with('_')
                    && rest.ends_with(".rb");
                if name == "structure.sql" || name == "schema.rb" {
                    // The schema, not a migration: not listed, as the
                    // command line never reads it as one.
                    continue;
                } else if !path.ends_with(".rb") {
                    // SQL beside the Ruby migrations: Rails does not run it,
                    // the project does by other means; linted as plain SQL,
                    // in its place among them.
                    let post = path.contains("post_migrate/") || path.contains("post-deploy");
                    let run = Run::whole(path, text, None).rank(usize::from(post));
                    runs.push(if version.is_empty() {
                        run
                    } else {
                        run.version(version)
                    });
                } else if !migration {
                    left(
                        &mut p,
                        path,
                        "not a migration: not <version>_<name>.rb in db/migrate or db/post_migrate"
                            .into(),
                    );
                } else if direction == Direction::Down {
                    left(&mut p, path, "a Rails rollback (`down`, a reversed `change`) is not read: zerodown reads `up` and `change`".into());
                } else {
                    // Regular migrations, then the post-deployment ones
                    // (GitLab runs those after the new code is out).
                    let rank = usize::from(dir == "post_migrate");
                    runs.push(
                        Run::whole(path, text, rails_transaction(text))
                            .rank(rank)
                            .version(version),
                    );
                }
            }
        }
    }
    // Stable: a file's units (Liquibase's changesets) keep their order.
    runs.sort_by(run_order);
    if tool == Tool::Flyway && direction == Direction::Down {
        // Undo scripts run newest first.
        runs.reverse();
    }
    p.units = runs
        .into_iter()
        .map(|r| Unit {
            path: r.path.clone(),
            sql: r.sql,
            transaction: r.transaction,
        })
        .collect();
    Ok(p)
}

/// The master changelogs' names and the files they run in order (see
/// `changelog`), problems noted in `p`; `None` when no changelog includes
/// anything (path order). The browser's modules do not read changelogs
/// (the XML and YAML readers are 68 KB gzip) and say so in `why`.
fn changelog_order(files: &[(String, String)], p: &mut Prepared) -> Option<(String, Vec<String>)> {
    #[cfg(any(not(target_arch = "wasm32"), feature = "node"))]
    {
        let (masters, order) = changelog::order(files, &mut p.problems)?;
        p.why
            .push_str(&format!("; run order from {}", changelog::names(&masters)));
        Some((changelog::names(&masters), order))
    }
    #[cfg(all(target_arch = "wasm32", not(feature = "node")))]
    {
        let lower = |s: &str| s.to_ascii_lowercase();
        if files.iter().any(|(f, t)| {
            (lower(f).ends_with(".xml")
                || lower(f).ends_with(".yaml")
                || lower(f).ends_with(".yml"))
                && t.contains("include")
        }) {
            p.why.push_str("; a changelog's includes are read by the Node module and the CLI, not this module: path order");
        }
        None
    }
}

/// A Liquibase changeset: its statements (after its `--changeset` line, to
/// the next), its `--rollback` lines, and its transaction mode.
struct Changeset {
    body: std::ops::Range<usize>,
    rollback: Vec<std::ops::Range<usize>>,
    in_transaction: bool,
}

/// The changesets of a Liquibase formatted SQL file (`--liquibase
/// formatted sql` first, then `--changeset author:id [attributes]`).
fn changesets(text: &str) -> Vec<Changeset> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if !first
        .trim()
        .to_ascii_lowercase()
        .starts_with("--liquibase formatted sql")
    {
        return Vec::new();
    }
    let mut out: Vec<Changeset> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let lead = line.len() - t.len();
        if let Some(rest) = t.strip_prefix("--changeset") {
            if let Some(last) = out.last_mut() {
                last.body.end = at;
            }
            let in_transaction = !rest
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("runInTransaction:false"));
            out.push(Changeset {
                body: at + line.len()..text.len(),
                rollback: Vec::new(),
                in_transaction,
            });
        } else if t.starts_with("--rollback") {
            if let Some(last) = out.last_mut() {
                last.rollback.push(at + lead..at + line.len());
            }
        }
        at += line.len();
    }
    out
}

/// The `tag`s of a Drizzle `meta/_journal.json`, in order, or the line and
/// reason it cannot be read.
fn journal_tags(text: &str) -> std::result::Result<Vec<String>, (u32, String)> {
    journal_entries(text)?
        .into_iter()
        .map(|tag| match tag {
            Some(t) if !t.contains('/') && !t.contains("..") => Ok(t),
            Some(t) => Err((1, format!("the entry `{t}` is not a migration's name"))),
            None => Err((1, "an entry without a `tag`".to_string())),
        })
        .collect()
}

/// Each entry's `tag` of a Drizzle journal (`None`: an entry without one).
#[cfg(not(target_arch = "wasm32"))]
fn journal_entries(text: &str) -> std::result::Result<Vec<Option<String>>, (u32, String)> {
    #[derive(serde::Deserialize)]
    struct Journal {
        entries: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        tag: Option<String>,
    }
    let journal: Journal = serde_json::from_str(text).map_err(|e| {
        (
            u32::try_from(e.line()).unwrap_or(1).max(1),
            format!("not a Drizzle journal: {e}"),
        )
    })?;
    Ok(journal.entries.into_iter().map(|e| e.tag).collect())
}

/// [`journal_entries`] in WebAssembly, with JavaScript's own `JSON.parse`:
/// serde_json's reader would add 8 KB gzip to the browser's lint module for
/// this one file.
#[cfg(target_arch = "wasm32")]
fn journal_entries(text: &str) -> std::result::Result<Vec<Option<String>>, (u32, String)> {
    use js_sys::{Array, Reflect, JSON};
    let value = JSON::parse(text).map_err(|e| {
        let message = String::from(js_sys::Error::from(e).message());
        // V8 says where: "... (line 3 column 5)".
        let line = message
            .split("line ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        (line, format!("not a Drizzle journal: {message}"))
    })?;
    let entries = Reflect::get(&value, &"entries".into())
        .ok()
        .filter(Array::is_array)
        .ok_or((1, "not a Drizzle journal: no `entries` list".to_string()))?;
    Ok(Array::from(&entries)
        .iter()
        .map(|e| {
            Reflect::get(&e, &"tag".into())
                .ok()
                .and_then(|t| t.as_string())
        })
        .collect())
}

/// The changes of a `sqitch.plan`, in order (pragmas, tags, comments and
/// blank lines skipped).
fn plan_changes(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('%') && !l.starts_with('#') && !l.starts_with('@')
        })
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| !c.contains('/') && !c.contains(".."))
        .map(str::to_string)
        .collect()
}

/// A migration script by its name: `.sql` (and `.rb`, which the Ruby front
/// end reads).
pub fn is_script(path: &str) -> bool {
    path.ends_with(".sql") || path.ends_with(".rb")
}

/// Flyway 9 and later run a PostgreSQL migration outside a transaction
/// when one of its statements cannot run in one (`CREATE INDEX
/// CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`,
/// `VACUUM`, `CREATE DATABASE`, ...): the line of the first such statement,
/// and whether the migration also holds a statement that can (which
/// Flyway refuses unless `mixed` is true).
fn flyway_non_transactional(text: &str) -> (Option<u32>, bool) {
    let mut first = None;
    let mut transactional = false;
    for s in crate::sql::split(text).statements {
        let words: Vec<String> = text[s.span.clone()]
            .split_whitespace()
            .take(4)
            .map(str::to_ascii_uppercase)
            .collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let outside = match w.as_slice() {
            ["CREATE", "INDEX", "CONCURRENTLY", ..]
            | ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", ..]
            | ["DROP", "INDEX", "CONCURRENTLY", ..]
            | ["VACUUM", ..]
            | ["CREATE", "DATABASE", ..]
            | ["DROP", "DATABASE", ..] => true,
            ["REINDEX", ..] => w.contains(&"CONCURRENTLY"),
            _ => false,
        };
        if !outside {
            transactional = true;
        } else if first.is_none() {
            let line = text[..s.span.start].matches('\n').count() + 1;
            first = Some(u32::try_from(line).unwrap_or(u32::MAX));
        }
    }
    (first, transactional)
}

/// Whether a Rails migration runs in a transaction, as the Ruby front end
/// reads it (`disable_ddl_transaction!`); unknown without it (the browser's
/// lint module, which does not read Ruby).
#[cfg(feature = "ruby")]
fn rails_transaction(text: &str) -> Option<bool> {
    Some(crate::ruby::read(text).in_transaction)
}

#[cfg(not(feature = "ruby"))]
fn rails_transaction(_: &str) -> Option<bool> {
    None
}

/// Flyway's `mixed` setting, from a `flyway.conf` (`flyway.mixed=true`) or
/// a `flyway.toml` (`mixed = true`) among the files; default false.
fn flyway_mixed(files: &[(String, String)]) -> bool {
    files.iter().any(|(p, t)| {
        let key = match file_name(p) {
            "flyway.conf" => "flyway.mixed",
            "flyway.toml" => "mixed",
            _ => return false,
        };
        t.lines().any(|l| {
            l.split_once('=').is_some_and(|(k, v)| {
                k.trim() == key && v.split('#').next().unwrap_or("").trim() == "true"
            })
        })
    })
}

/// `run_in_transaction` of a Diesel `metadata.toml`: `Ok(None)` when not
/// set, an error with its line when the file or the value is malformed.
fn run_in_transaction(text: &str) -> std::result::Result<Option<bool>, (u32, String)> {
    let mut found = None;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let l = line.split('#').next().unwrap_or("").trim();
        if l.is_empty() || (l.starts_with('[') && l.ends_with(']')) {
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            return Err((n, format!("`{l}` is not `key = value`")));
        };
        if k.trim() == "run_in_transaction" {
            found = Some(match v.trim() {
                "true" => true,
                "false" => false,
                other => {
                    return Err((
                        n,
                        format!("run_in_transaction is `{other}`: write true or false"),
                    ))
                }
            });
        }
    }
    Ok(found)
}

/// Detects the tool of a folder from its files' names and markers, with
/// what it saw; a folder that matches none is plain, and says so.
pub fn detect(files: &[(String, String)]) -> (Tool, String) {
    let names: Vec<&str> = files.iter().map(|(p, _)| file_name(p)).collect();
    let count = |f: &dyn Fn(&(String, String)) -> bool| files.iter().filter(|x| f(x)).count();
    let liquibase = count(&|(_, t)| {
        t.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| {
            l.trim()
                .to_ascii_lowercase()
                .starts_with("--liquibase formatted sql")
        })
    });
    if liquibase > 0 {
        return (
            Tool::Liquibase,
            format!(
                "detected: {liquibase} file(s) starting `--liquibase formatted sql` (Liquibase)"
            ),
        );
    }
    let rails = count(&|(p, _)| {
        let dir = file_name(folder(p));
        let (version, rest) = digits(file_name(p));
        (dir == "migrate" || dir == "post_migrate")
            && !version.is_empty()
            && rest.starts_with('_')
            && rest.ends_with(".rb")
    });
    if rails > 0 {
        return (
            Tool::Rails,
            format!("detected: {rails} file(s) named db/migrate/<version>_<name>.rb (Rails)"),
        );
    }
    let alembic =
        count(&|(_, t)| t.contains("-- Running upgrade") && t.contains("alembic_version"));
    if alembic > 0 {
        return (
            Tool::Alembic,
            format!("detected: {alembic} file(s) of `alembic upgrade --sql` output (Alembic)"),
        );
    }
    if names.contains(&"sqitch.plan") {
        return (Tool::Sqitch, "detected: sqitch.plan (sqitch)".to_string());
    }
    let journal = files
        .iter()
        .filter(|(p, _)| p.ends_with("meta/_journal.json"))
        .count();
    if journal > 0 {
        return (
            Tool::Drizzle,
            "detected: meta/_journal.json (Drizzle)".to_string(),
        );
    }
    let prisma = names.iter().filter(|n| **n == "migration.sql").count();
    if prisma > 0
        && (names.contains(&"migration_lock.toml")
            || prisma == names.iter().filter(|n| n.ends_with(".sql")).count())
    {
        return (
            Tool::Prisma,
            format!("detected: {prisma} <migration>/migration.sql file(s) (Prisma)"),
        );
    }
    let diesel =
        count(&|(p, _)| file_name(p) == "metadata.toml").max(if names.contains(&"up.sql") {
            count(&|(p, _)| file_name(p) == "up.sql")
        } else {
            0
        });
    if diesel > 0 && names.contains(&"up.sql") {
        return (
            Tool::Diesel,
            format!("detected: {diesel} folder(s) with up.sql (Diesel)"),
        );
    }
    let pop = count(&|(p, _)| {
        pop_name(file_name(p)).is_some_and(|n| n.dialect.is_some() || n.autocommit || n.fizz)
    });
    if pop > 0 {
        return (
            Tool::Pop,
            format!("detected: {pop} file(s) named N_name.<dialect>|.autocommit.up.sql (pop)"),
        );
    }
    let flyway = count(&|(p, _)| flyway_name(file_name(p)).is_some());
    if flyway > 0 {
        return (
            Tool::Flyway,
            format!("detected: {flyway} file(s) named V<version>__<name>.sql (Flyway)"),
        );
    }
    let goose = count(&|(_, t)| !marker_lines(t, "+goose").is_empty());
    if goose > 0 {
        return (
            Tool::Goose,
            format!("detected: {goose} file(s) with `-- +goose Up` (goose)"),
        );
    }
    let dbmate = count(&|(_, t)| !marker_lines(t, "migrate:").is_empty());
    if dbmate > 0 {
        return (
            Tool::Dbmate,
            format!("detected: {dbmate} file(s) with `-- migrate:up` (dbmate)"),
        );
    }
    let golang = count(&|(p, _)| golang_name(file_name(p)).is_some());
    if golang > 0 {
        return (
            Tool::GolangMigrate,
            format!("detected: {golang} file(s) named N_name.up.sql / .down.sql (golang-migrate)"),
        );
    }
    (
        Tool::Plain,
        "no migration tool detected: every file, in path order".to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_lines_read_comments_of_any_text() {
        // A comment whose bytes at the marker's length fall inside a
        // character once panicked here.
        let text = "-- café 😀\n-- +goose Up\nSELECT 1;\n";
        assert_eq!(marker_lines(text, "+goose"), vec![(14, " Up")]);
    }

    #[test]
    fn versions_order_numerically() {
        assert_eq!(cmp_numbers("3", "10"), Ordering::Less);
        assert_eq!(cmp_numbers("0010", "9"), Ordering::Greater);
        let v = |s: &'static str| flyway_name(s).map(|(_, v)| v).unwrap_or_default();
        assert_eq!(
            cmp_versions(&v("V3__a.sql"), &v("V10__b.sql")),
            Ordering::Less
        );
        assert_eq!(
            cmp_versions(&v("V7.0_2018.04.16__a.sql"), &v("V7.0_2019.01.01__b.sql")),
            Ordering::Less
        );
        assert_eq!(
            cmp_versions(&v("V1.10__a.sql"), &v("V1.9__b.sql")),
            Ordering::Greater
        );
        assert!(flyway_name("v6.0__x.sql").is_none());
        assert!(flyway_name("V__x.sql").is_none());
        assert_eq!(flyway_name("R__views.sql").map(|(k, _)| k), Some('R'));
    }

    #[test]
    fn pop_names() {
        let n = pop_name("20210311102338000015_form_refactoring.postgres.up.sql").unwrap();
        assert_eq!(
            (n.version, n.name, n.dialect, n.autocommit, n.direction),
            (
                "20210311102338000015",
                "form_refactoring",
                Some("postgres"),
                false,
                Direction::Up
            )
        );
        let n = pop_name("20260703000000000000_courier_idx.autocommit.up.sql").unwrap();
        assert!(n.autocommit && n.dialect.is_none());
        let n = pop_name("1_x.postgres.autocommit.down.sql").unwrap();
        assert!(n.autocommit && n.dialect == Some("postgres") && n.direction == Direction::Down);
        assert!(pop_name("readme.sql").is_none());
    }

    #[test]
    fn sections_keep_positions() {
        let text = "-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n";
        let (keep, _) = sections(text, "+goose", Direction::Up);
        let up = keep_only(text, &keep);
        assert_eq!(up.len(), text.len());
        assert!(up.contains("CREATE TABLE t") && !up.contains("DROP TABLE"));
        assert_eq!(up.lines().count(), text.lines().count());
        let (keep, _) = sections(text, "+goose", Direction::Down);
        let down = keep_only(text, &keep);
        assert!(down.contains("DROP TABLE t;") && !down.contains("CREATE"));
    }

    #[test]
    fn metadata_toml() {
        assert_eq!(
            run_in_transaction("run_in_transaction = false\n"),
            Ok(Some(false))
        );
        assert_eq!(run_in_transaction("# nothing\n"), Ok(None));
        assert_eq!(
            run_in_transaction("\nrun_in_transaction = maybe\n").map_err(|e| e.0),
            Err(2)
        );
        assert!(run_in_transaction("oops\n").is_err());
    }
}
