//! The command line: argument parsing (clap), I/O through [`Io`], and calls
//! into the core. No rule logic and no rendering live here: text comes from
//! [`crate::report`].
//!
//! One implementation serves both command lines: the native binary
//! (`src/main.rs` implements [`Io`] over `std`) and `npx zerodown` (the Node
//! module's `runCli` in `src/wasm.rs` implements it over callbacks to Node's
//! `fs` and streams). Help texts, errors and exit codes are therefore the same
//! in both. Compiled with the `cli` feature (native) or `node` (the Node
//! WebAssembly module); the browser modules leave clap out.

mod cells;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod database;
mod lint;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod lsp;
mod plan;
mod rehearse;
mod schedule;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status for usage, I/O and config errors.
pub const EXIT_USAGE: u8 = 2;

/// An output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What a path names, following symbolic links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// Nothing readable: missing, or something else (a socket, a device).
    Other,
}

/// Everything the command line does outside the core: files, folders,
/// output streams, the current folder and the environment. Errors are the
/// text the platform gives (`No such file or directory (os error 2)`); the
/// command line adds what it was doing and the path.
pub trait Io {
    /// The bytes of a file.
    fn read(&self, path: &Path) -> Result<Vec<u8>, String>;
    /// What `path` names.
    fn kind(&self, path: &Path) -> EntryKind;
    /// The entries of a folder, as paths joined onto `dir`, in any order.
    fn read_dir(&self, dir: &Path) -> Result<Vec<PathBuf>, String>;
    /// Creates a folder and its missing parents.
    fn create_dir_all(&mut self, dir: &Path) -> Result<(), String>;
    /// Writes a file, replacing it.
    fn write_file(&mut self, path: &Path, contents: &str) -> Result<(), String>;
    /// Writes to stdout or stderr. A closed stdout ends output quietly.
    fn write(&mut self, stream: Stream, text: &str);
    /// The current folder, against which relative paths are read.
    fn current_dir(&self) -> Option<PathBuf>;
    /// Whether the stream is a terminal (for `--color auto`).
    fn is_terminal(&self, stream: Stream) -> bool;
    /// An environment variable (`NO_COLOR`, ...).
    fn env(&self, name: &str) -> Option<String>;
    /// Runs git with `args` in the current folder: its standard output, or
    /// why it failed (git's first line of errors).
    fn git(&self, args: &[&str]) -> Result<String, String> {
        let _ = args;
        Err("git cannot be run here".to_string())
    }
    /// Runs `setup`, then each of `queries`, on the database at `url` in one
    /// read-only transaction that is rolled back: each query's rows, each
    /// row's columns as text. The native command line connects with the
    /// `postgres` crate (`cli::database::query`); the Node module cannot
    /// (an error). Errors may hold anything but the caller scrubs them.
    fn query_database(
        &self,
        url: &str,
        setup: &str,
        queries: &[&str],
    ) -> Result<Vec<Vec<Vec<String>>>, String> {
        #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
        {
            database::query(url, setup, queries)
        }
        #[cfg(not(all(feature = "cli", not(target_arch = "wasm32"))))]
        {
            let _ = (url, setup, queries);
            Err("reading a database needs the native command line".to_string())
        }
    }
}

#[derive(Parser)]
#[command(
    name = "zerodown",
    bin_name = "zerodown",
    version,
    about = "Zero-downtime migration rules for PostgreSQL",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint migration files and folders for changes that cause downtime.
    Lint(Deferred<Box<lint::LintArgs>>),
    /// Apply the findings' fixes: the safe form of each statement, written into the files.
    Fix(Deferred<Box<lint::fix::FixArgs>>),
    /// Plan a change as safe steps across releases.
    Plan(Deferred<Box<plan::PlanArgs>>),
    /// List the rules.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Organization isolation of a schema, and organization moves between cells.
    Cells(Deferred<cells::CellsArgs>),
    /// Schema changes across cells running different versions.
    Fleet(Deferred<cells::FleetArgs>),
    /// Print a rule's documentation, or (`locks`) PostgreSQL's locks and rewrites.
    Explain {
        /// The rule id, e.g. add-index-non-concurrently; or `locks`: the lock, rewrite and scan of every statement form by PostgreSQL version.
        rule: String,
    },
    /// The release migrations due at a version, and steps that collapse.
    #[command(disable_version_flag = true)]
    Schedule(Deferred<schedule::ScheduleArgs>),
    /// The deployments of an upgrade and what runs in each.
    UpgradePath(Deferred<schedule::UpgradePathArgs>),
    /// Apply migrations or a plan to a disposable PostgreSQL under a live workload, and measure what the application saw.
    // Declared in every build, as `lsp`; only the native binary runs it.
    Rehearse(Deferred<Box<rehearse::RehearseArgs>>),
    /// Run the language server on stdin and stdout (for editors; see docs/editors.md).
    // Declared in every build, so that `npx zerodown --help` lists what the
    // native one does; only the native binary serves it.
    Lsp,
}

/// A subcommand's arguments, built only when clap enters that subcommand
/// (`Command::defer`): a run builds one subcommand's arguments instead of
/// all of them, which in the Node module is also less code for V8 to
/// compile on `npx zerodown`'s first call.
struct Deferred<T>(T);

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(m).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
}

impl<T: clap::Args> clap::Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args_for_update)
    }
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// The JSON contract.
    Json,
}

/// When text output is coloured (`auto`: when stdout is a terminal and
/// NO_COLOR is not set). The variants carry no docs, so that help lists
/// them on one line.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
#[allow(missing_docs)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour stdout.
    fn enabled(self, io: &dyn Io) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => io.is_terminal(Stream::Stdout) && io.env("NO_COLOR").is_none(),
        }
    }
}

/// Prints an error and returns the usage exit code.
fn fail(io: &mut dyn Io, message: impl std::fmt::Display) -> u8 {
    io.write(Stream::Stderr, &format!("error: {message}\n"));
    EXIT_USAGE
}

/// Writes `value` as pretty JSON and a newline to stdout.
fn print_json<T: serde::Serialize>(io: &mut dyn Io, value: &T) {
    io.write(
        Stream::Stdout,
        &format!("{}\n", crate::report::render_json(value)),
    );
}

/// Exit status 1 when a command found errors, else 0.
fn exit_status(failed: bool) -> u8 {
    u8::from(failed)
}

/// Reads a file as UTF-8 text, with the error `std::fs::read_to_string` gives.
fn read_text(io: &dyn Io, path: &Path) -> Result<String, String> {
    let bytes = io
        .read(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Whether clap's own output (help, usage errors) on `stream` is coloured:
/// the rules of clap's `ColorChoice::Auto` (the `anstream` crate's), read
/// through [`Io`] so that both command lines decide alike.
fn clap_color(io: &dyn Io, stream: Stream) -> bool {
    let set = |name: &str| io.env(name).is_some_and(|v| !v.is_empty());
    let clicolor = io.env("CLICOLOR").map(|v| v != "0");
    if set("NO_COLOR") {
        false
    } else if set("CLICOLOR_FORCE") {
        true
    } else if clicolor == Some(false) {
        false
    } else {
        let term = io.env("TERM").is_some_and(|t| t != "dumb");
        io.is_terminal(stream) && (term || clicolor == Some(true) || io.env("CI").is_some())
    }
}

/// Runs the command line: `argv` starts with the program name. Returns the
/// exit status: 0 clean, 1 error-level findings (or a refused move), 2
/// usage, I/O or config errors.
pub fn run<I, T>(argv: I, io: &mut dyn Io) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let (stream, code) = if e.use_stderr() {
                (Stream::Stderr, EXIT_USAGE)
            } else {
                (Stream::Stdout, 0)
            };
            let styled = e.render();
            let text = if clap_color(io, stream) {
                styled.ansi().to_string()
            } else {
                styled.to_string()
            };
            io.write(stream, &text);
            return code;
        }
    };
    match cli.command {
        Command::Lint(args) => lint::run(*args.0, io),
        Command::Fix(args) => lint::fix::run(*args.0, io),
        Command::Plan(args) => plan::run(*args.0, io),
        Command::Schedule(args) => schedule::run_schedule(args.0, io),
        Command::UpgradePath(args) => schedule::run_upgrade_path(args.0, io),
        Command::Cells(args) => cells::run(args.0, io),
        Command::Fleet(args) => cells::run_fleet(args.0, io),
        Command::Rehearse(args) => rehearse::run(*args.0, io),
        Command::Rules { format } => {
            let rules = crate::rule_catalogue();
            if format == Format::Json {
                print_json(io, &rules);
            } else {
                io.write(Stream::Stdout, &crate::report::render_rules_text(&rules));
            }
            0
        }
        #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
        Command::Lsp => lsp::run(io),
        #[cfg(not(all(feature = "cli", not(target_arch = "wasm32"))))]
        Command::Lsp => fail(
            io,
            "`zerodown lsp` is served by the native binary (`cargo install`, or a release build): the npm package's command line does not run a language server",
        ),
        Command::Explain { rule } => match crate::explain(&rule) {
            Ok(doc) => {
                io.write(Stream::Stdout, &doc);
                0
            }
            Err(e) => fail(io, e),
        },
    }
}
