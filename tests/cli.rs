//! The command line as a library (`zerodown::cli::run` over the `Io` trait,
//! what both the native binary and `npx zerodown` run), and its `--color`.

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::zerodown_cli as zerodown;
use zerodown::cli::{run, EntryKind, Io, Stream};

/// Files in memory, output captured: nothing touches the disk.
#[derive(Default)]
struct MemIo {
    files: BTreeMap<PathBuf, Vec<u8>>,
    out: String,
    err: String,
    written: BTreeMap<PathBuf, String>,
    /// Paths whose kind was asked, in order.
    asked: RefCell<Vec<PathBuf>>,
    terminal: bool,
    vars: BTreeMap<String, String>,
}

impl MemIo {
    fn with(files: &[(&str, &str)]) -> MemIo {
        MemIo {
            files: files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
                .collect(),
            ..MemIo::default()
        }
    }

    fn run(&mut self, args: &[&str]) -> u8 {
        let argv = std::iter::once("zerodown").chain(args.iter().copied());
        run(argv, self)
    }
}

impl Io for MemIo {
    fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "No such file or directory (os error 2)".to_string())
    }
    fn kind(&self, path: &Path) -> EntryKind {
        self.asked.borrow_mut().push(path.to_path_buf());
        if self.files.contains_key(path) {
            EntryKind::File
        } else if self.files.keys().any(|f| f.starts_with(path)) {
            EntryKind::Dir
        } else {
            EntryKind::Other
        }
    }
    fn read_dir(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut entries: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|f| f.strip_prefix(dir).ok())
            .filter_map(|rest| rest.components().next())
            .map(|c| dir.join(c))
            .collect();
        entries.dedup();
        // The platform's order is no order: the command line must sort.
        entries.reverse();
        Ok(entries)
    }
    fn create_dir_all(&mut self, _: &Path) -> Result<(), String> {
        Ok(())
    }
    fn write_file(&mut self, path: &Path, contents: &str) -> Result<(), String> {
        self.written
            .insert(path.to_path_buf(), contents.to_string());
        Ok(())
    }
    fn write(&mut self, stream: Stream, text: &str) {
        match stream {
            Stream::Stdout => self.out.push_str(text),
            Stream::Stderr => self.err.push_str(text),
        }
    }
    fn current_dir(&self) -> Option<PathBuf> {
        Some(PathBuf::from("/project/sub"))
    }
    fn is_terminal(&self, _: Stream) -> bool {
        self.terminal
    }
    fn env(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
}

#[test]
fn lint_reads_folders_and_config_through_io_only() {
    let mut io = MemIo::with(&[
        (
            "/project/zerodown.toml",
            "[rules]\nadd-index-non-concurrently = \"warning\"\n",
        ),
        ("db/migrate/2_b.sql", "CREATE INDEX i ON users (email);\n"),
        ("db/migrate/1_a.sql", "CREATE TABLE projects (id bigint);\n"),
        ("db/migrate/notes.txt", "not SQL"),
    ]);
    let code = io.run(&["lint", "--format", "json", "db"]);
    assert_eq!(code, 0, "{}", io.err);
    let report: serde_json::Value = serde_json::from_str(&io.out).expect("JSON");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["db/migrate/1_a.sql", "db/migrate/2_b.sql"]);
    // The config was found from the current folder upwards.
    assert_eq!(report["findings"][0]["severity"], "warning");
    assert!(io
        .asked
        .borrow()
        .contains(&PathBuf::from("/project/sub/zerodown.toml")));
}

#[test]
fn errors_and_exit_codes_come_back_from_run() {
    let mut io = MemIo::with(&[("bad.sql", "CREATE INDEX i ON users (email);\n")]);
    assert_eq!(io.run(&["lint", "bad.sql"]), 1);
    assert!(io.out.contains("error[add-index-non-concurrently]"));
    let mut io = MemIo::with(&[("latin1.sql", "")]);
    io.files.insert("latin1.sql".into(), vec![0x53, 0xe9]);
    assert_eq!(io.run(&["lint", "latin1.sql"]), 2);
    assert_eq!(
        io.err,
        "error: latin1.sql: not UTF-8 text (invalid byte at offset 1)\n"
    );
    let mut io = MemIo::default();
    assert_eq!(io.run(&["cells", "analyze", "none.sql"]), 2);
    assert_eq!(
        io.err,
        "error: cannot read none.sql: No such file or directory (os error 2)\n"
    );
    let mut io = MemIo::default();
    assert_eq!(io.run(&["lint", "--help"]), 0);
    assert!(io.out.starts_with("Lint migration files"), "{}", io.out);
    assert_eq!(io.err, "");
}

#[test]
fn plan_sql_files_are_written_through_io() {
    let mut io = MemIo::default();
    let args = [
        "plan",
        "drop-column",
        "users.x",
        "--release",
        "9.0",
        "--format",
        "sql",
        "--out",
        "out",
    ];
    assert_eq!(io.run(&args), 0, "{}", io.err);
    let mut listed: Vec<PathBuf> = io.out.lines().map(PathBuf::from).collect();
    assert!(!listed.is_empty());
    // Listed in plan order; the written map is sorted by path.
    listed.sort();
    assert_eq!(listed, io.written.keys().cloned().collect::<Vec<_>>());
}

#[test]
fn color_auto_follows_the_terminal_and_no_color() {
    let sql = "CREATE INDEX i ON users (email);\n";
    let mut plain = MemIo::with(&[("a.sql", sql)]);
    plain.run(&["lint", "a.sql"]);
    assert!(!plain.out.contains('\x1b'));
    let mut tty = MemIo::with(&[("a.sql", sql)]);
    tty.terminal = true;
    tty.run(&["lint", "a.sql"]);
    assert!(tty.out.contains('\x1b'));
    let mut no_color = MemIo::with(&[("a.sql", sql)]);
    no_color.terminal = true;
    no_color.vars.insert("NO_COLOR".into(), "1".into());
    no_color.run(&["lint", "a.sql"]);
    assert!(!no_color.out.contains('\x1b'));
}

#[test]
fn a_bad_color_is_a_usage_error() {
    for args in [
        vec!["lint", "--color=bogus", "tests/fixtures/rules/drop-column"],
        vec![
            "schedule",
            "tests/fixtures/releases/poc",
            "--version",
            "9.0.0",
            "--color",
            "bogus",
        ],
        vec![
            "upgrade-path",
            "tests/fixtures/releases/poc",
            "--from",
            "9.0.0",
            "--to",
            "9.0.1",
            "--color",
            "sometimes",
        ],
    ] {
        let (code, out, err) = zerodown(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "");
        assert!(
            err.contains("invalid value") && err.contains("'--color <COLOR>'"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn schedule_honours_color() {
    let dir = "tests/fixtures/releases/poc";
    let (code, out, _) = zerodown(&["schedule", dir, "--version", "9.0.0", "--color", "always"]);
    assert_eq!(code, 1);
    assert!(out.contains('\x1b'), "{out}");
    let (_, never, _) = zerodown(&["schedule", dir, "--version", "9.0.0", "--color=never"]);
    assert!(!never.contains('\x1b'));
    assert!(never.contains("Due at 9.0.0"));
    let upgrade = |color: &str| {
        zerodown(&[
            "upgrade-path",
            dir,
            "--from",
            "8.0",
            "--to",
            "9.0",
            "--color",
            color,
        ])
    };
    let (code, colored, _) = upgrade("always");
    assert_eq!(code, 1);
    assert!(colored.contains('\x1b'), "{colored}");
    let (code, plain, _) = upgrade("never");
    assert_eq!(code, 1);
    assert!(!plain.contains('\x1b'));
    assert!(plain.contains("error[release-steps-collapse]"));
}
