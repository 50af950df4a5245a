//! Argument parsing and dispatch. No rule logic lives here.

/// `println!` that stops quietly when stdout is closed (`zerodown lint | head`).
macro_rules! outln {
    () => { $crate::cli::emit("\n") };
    ($($t:tt)*) => { $crate::cli::emit(&format!("{}\n", format_args!($($t)*))) };
}

/// `print!` that stops quietly when stdout is closed.
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::emit(&format!($($t)*)) };
}

mod cells;
mod lint;
mod plan;
mod schedule;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status for usage, I/O and config errors.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "zerodown",
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
    Lint(lint::LintArgs),
    /// Plan a change as safe steps across releases.
    Plan(Box<plan::PlanArgs>),
    /// List the rules.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Organization isolation of a schema, and organization moves between cells.
    Cells(cells::CellsArgs),
    /// Schema changes across cells running different versions.
    Fleet(cells::FleetArgs),
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. add-index-non-concurrently.
        rule: String,
    },
    /// The release migrations due at a version, and steps that collapse.
    #[command(disable_version_flag = true)]
    Schedule(schedule::ScheduleArgs),
    /// The deployments of an upgrade and what runs in each.
    UpgradePath(schedule::UpgradePathArgs),
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// The JSON contract.
    Json,
}

/// Writes to stdout; a closed pipe ends output quietly instead of panicking.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the output: {e}");
        }
    }
}

/// Prints an error and returns the usage exit code.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Parses arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Plan(args) => plan::run(*args),
        Command::Schedule(args) => schedule::run_schedule(args),
        Command::UpgradePath(args) => schedule::run_upgrade_path(args),
        Command::Cells(args) => cells::run(args),
        Command::Fleet(args) => cells::run_fleet(args),
        Command::Rules { format } => {
            let rules = zerodown::rule_catalogue();
            if format == Format::Json {
                outln!("{}", zerodown::report::render_json(&rules));
            } else {
                let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
                for r in rules {
                    outln!("{:width$}  {:7}  {}", r.id, r.severity.as_str(), r.summary);
                }
            }
            ExitCode::SUCCESS
        }
        Command::Explain { rule } => match zerodown::explain(&rule) {
            Ok(doc) => {
                out!("{doc}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
    }
}
