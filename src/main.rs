//! The `zerodown` command line: argument parsing and I/O only.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
