//! The `zerodown` command line: [`zerodown::cli`] over the standard library's
//! files, streams and environment.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use zerodown::cli::{EntryKind, Io, Stream};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// [`Io`] over `std::fs`, `std::io` and `std::env`.
struct StdIo;

impl Io for StdIo {
    fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }

    fn kind(&self, path: &Path) -> EntryKind {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => EntryKind::Dir,
            Ok(m) if m.is_file() => EntryKind::File,
            _ => EntryKind::Other,
        }
    }

    fn read_dir(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| e.to_string())?;
        entries
            .map(|e| e.map(|e| e.path()).map_err(|e| e.to_string()))
            .collect()
    }

    fn create_dir_all(&mut self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())
    }

    fn write_file(&mut self, path: &Path, contents: &str) -> Result<(), String> {
        std::fs::write(path, contents).map_err(|e| e.to_string())
    }

    /// A closed stdout (`zerodown lint | head`) ends output quietly instead
    /// of panicking as `print!` would.
    fn write(&mut self, stream: Stream, text: &str) {
        match stream {
            Stream::Stdout => {
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
            Stream::Stderr => {
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
        }
    }

    fn current_dir(&self) -> Option<PathBuf> {
        std::env::current_dir().ok()
    }

    fn is_terminal(&self, stream: Stream) -> bool {
        match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }

    fn env(&self, name: &str) -> Option<String> {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    }

    fn git(&self, args: &[&str]) -> Result<String, String> {
        let out = std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(err.lines().next().unwrap_or("git failed").to_string());
        }
        String::from_utf8(out.stdout).map_err(|_| "git printed text that is not UTF-8".to_string())
    }
}

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(zerodown::cli::run(std::env::args_os(), &mut StdIo))
}
