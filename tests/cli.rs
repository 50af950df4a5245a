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
    /// What `query_database` answers (None: the real client), and the
    /// URL and queries it was asked.
    database: Option<Result<Vec<Vec<Vec<String>>>, String>>,
    queried: RefCell<Vec<(String, Vec<String>)>>,
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
    fn query_database(
        &self,
        url: &str,
        setup: &str,
        queries: &[&str],
    ) -> Result<Vec<Vec<Vec<String>>>, String> {
        self.queried.borrow_mut().push((
            url.to_string(),
            queries.iter().map(|q| q.to_string()).collect(),
        ));
        match &self.database {
            Some(answer) => answer.clone(),
            None => zerodown::cli::database::query(url, setup, queries),
        }
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

/// Lints `files` in `format`; returns the exit code and what was printed.
#[test]
fn explain_locks_prints_the_behaviour_table() {
    let mut io = MemIo::default();
    assert_eq!(io.run(&["explain", "locks"]), 0);
    assert_eq!(
        io.out.trim_end(),
        zerodown::model::postgres::render_markdown().trim_end()
    );
    assert!(
        io.out.contains("| CREATE TRIGGER (`create-trigger`) |"),
        "{}",
        io.out
    );
    let mut io = MemIo::default();
    assert_eq!(io.run(&["explain", "lock"]), 2);
    assert!(io.err.contains("`zerodown explain locks`"), "{}", io.err);
}

fn lint_as(files: &[(&str, &str)], args: &[&str]) -> (u8, String, String) {
    let mut io = MemIo::with(files);
    let mut argv = vec!["lint"];
    argv.extend_from_slice(args);
    let code = io.run(&argv);
    (code, io.out, io.err)
}

fn json_of(files: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    let (_, out, err) = lint_as(files, &a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
}

const WEIRD: (&str, &str) = (
    "db/migrate/1_a,b:c%.sql",
    "CREATE INDEX i ON \"we,ird:%\" (x);\nALTER TABLE users DROP COLUMN legacy;\n",
);

#[test]
fn github_annotations_escape_commas_colons_newlines_and_percent() {
    let (code, out, err) = lint_as(&[WEIRD], &["--format", "github", "db"]);
    assert_eq!(code, 1, "{err}");
    let report = json_of(&[WEIRD], &["db"]);
    let findings = report["findings"].as_array().expect("findings");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len(), "one line per finding: {out}");
    let first = lines[0];
    assert!(
        first.starts_with("::error file=db/migrate/1_a%2Cb%3Ac%25.sql,line=1,col=1,endLine=1,"),
        "{first}"
    );
    assert!(
        first.contains(",title=zerodown add-index-non-concurrently::"),
        "{first}"
    );
    // In the message only %, CR and LF are escaped; `,` and `:` stay.
    assert!(first.contains("`we,ird:%25`"), "{first}");
    assert!(first.contains("%0ADo instead: "), "{first}");
    assert!(
        lines[1].starts_with("::error file=db/migrate/1_a%2Cb%3Ac%25.sql,line=2,col=31,"),
        "{}",
        lines[1]
    );
}

#[test]
fn sarif_has_rules_one_based_regions_and_the_findings_fingerprints() {
    let (_, out, err) = lint_as(&[WEIRD], &["--format", "sarif", "db"]);
    let sarif: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let report = json_of(&[WEIRD], &["db"]);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        let rule = &rules[r["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], f["rule"]);
        assert!(rule["helpUri"]
            .as_str()
            .expect("helpUri")
            .ends_with(&format!("docs/rules/{}.md", f["rule"].as_str().unwrap())));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], f["span"]["start"]["line"]);
        assert_eq!(region["startColumn"], f["span"]["start"]["column"]);
        assert_eq!(region["endColumn"], f["span"]["end"]["column"]);
        assert_eq!(r["partialFingerprints"]["zerodown/v1"], f["fingerprint"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "db/migrate/1_a%2Cb%3Ac%25.sql"
        );
    }
    // A finding's fix: its edits as SARIF replacements, at the finding's
    // lines and columns.
    let mut fixes = 0;
    for (r, f) in results.iter().zip(findings) {
        let Some(fix) = f.get("fix") else {
            assert!(r.get("fixes").is_none());
            continue;
        };
        fixes += 1;
        let sarif_fix = &r["fixes"][0];
        assert_eq!(sarif_fix["description"]["text"], fix["title"]);
        let change = &sarif_fix["artifactChanges"][0];
        assert_eq!(
            change["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        );
        let edits = fix["edits"].as_array().expect("edits");
        let replacements = change["replacements"].as_array().expect("replacements");
        assert_eq!(replacements.len(), edits.len());
        for (rep, e) in replacements.iter().zip(edits) {
            assert_eq!(rep["insertedContent"]["text"], e["text"]);
            assert_eq!(
                rep["deletedRegion"]["startLine"],
                e["span"]["start"]["line"]
            );
            assert_eq!(
                rep["deletedRegion"]["startColumn"],
                e["span"]["start"]["column"]
            );
            assert_eq!(
                rep["deletedRegion"]["endColumn"],
                e["span"]["end"]["column"]
            );
        }
    }
    assert!(fixes > 0, "no finding with a fix in the SARIF test's files");
    // drop-column's plan: its steps as related locations.
    let drop = results
        .iter()
        .find(|r| r["ruleId"] == "drop-column")
        .expect("drop-column");
    let steps = drop["relatedLocations"].as_array().expect("plan steps");
    assert!(steps.len() >= 3, "{steps:?}");
    assert!(steps[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Plan step 1: release M, "));
    // No findings: still a whole SARIF log.
    let (code, out, _) = lint_as(
        &[("db/ok.sql", "SELECT 1;\n")],
        &["--format", "sarif", "db"],
    );
    assert_eq!(code, 0);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    assert!(!sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn gitlab_code_quality_has_the_required_fields_and_severities_by_rule() {
    let files = [
        WEIRD,
        (
            "db/migrate/2_b.sql",
            "SET lock_timeout = '1s';\nDROP INDEX i;\n",
        ),
    ];
    let (_, out, err) = lint_as(&files, &["--format", "gitlab", "db"]);
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let report = json_of(&files, &["db"]);
    assert_eq!(entries.len(), report["findings"].as_array().unwrap().len());
    let mut fingerprints = std::collections::BTreeSet::new();
    for e in &entries {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(e[field].is_string(), "{field} in {e}");
        }
        assert!(e["location"]["path"].is_string());
        assert!(e["location"]["lines"]["begin"].as_u64().expect("begin") >= 1);
        assert!(
            fingerprints.insert(e["fingerprint"].as_str().unwrap().to_string()),
            "unique"
        );
    }
    let severity = |rule: &str| {
        entries
            .iter()
            .find(|e| e["check_name"] == rule)
            .map(|e| e["severity"].as_str().unwrap().to_string())
    };
    assert_eq!(severity("drop-column").as_deref(), Some("critical"));
    assert_eq!(
        severity("add-index-non-concurrently").as_deref(),
        Some("major")
    );
    assert_eq!(
        severity("drop-index-non-concurrently").as_deref(),
        Some("minor")
    );
    // No findings: an empty array.
    let (_, out, _) = lint_as(
        &[("db/ok.sql", "SELECT 1;\n")],
        &["--format", "gitlab", "db"],
    );
    assert_eq!(out.trim(), "[]");
}

#[test]
fn junit_escapes_what_xml_cannot_hold() {
    let files = [
        (
            "db/migrate/1_<&>\"'.sql",
            "CREATE INDEX i ON users (email);\n",
        ),
        ("db/migrate/2_ok.sql", "SELECT 1;\n"),
    ];
    let (code, out, err) = lint_as(&files, &["--format", "junit", "db"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zerodown\" tests=\"2\" failures=\"1\" "), "{out}");
    assert!(out.contains("<testsuite name=\"db/migrate/1_&lt;&amp;&gt;&quot;&apos;.sql\" tests=\"1\" failures=\"1\""), "{out}");
    assert!(
        out.contains("name=\"add-index-non-concurrently at 1:1\""),
        "{out}"
    );
    assert!(
        out.contains("<testcase classname=\"db/migrate/2_ok.sql\" name=\"no downtime risk\""),
        "{out}"
    );
    assert!(!out.contains("1_<&>"), "{out}");
}

#[test]
fn fail_on_sets_the_exit_status_from_flags_and_config() {
    let warning_only = [("db/1.sql", "SET lock_timeout = '1s';\nDROP INDEX i;\n")];
    let errors = [("db/1.sql", "CREATE INDEX i ON users (email);\n")];
    assert_eq!(lint_as(&warning_only, &["db"]).0, 0, "default: errors fail");
    assert_eq!(lint_as(&warning_only, &["--fail-on", "warning", "db"]).0, 1);
    assert_eq!(lint_as(&warning_only, &["--fail-on", "error", "db"]).0, 0);
    assert_eq!(lint_as(&errors, &["--fail-on", "never", "db"]).0, 0);
    let info_only = [("db/1.sql", "DO $$ BEGIN PERFORM 1; END $$;\n")];
    assert_eq!(lint_as(&info_only, &["--fail-on", "warning", "db"]).0, 0);
    assert_eq!(lint_as(&info_only, &["--fail-on", "info", "db"]).0, 1);
    let config = ("/project/zerodown.toml", "fail-on = \"warning\"\n");
    assert_eq!(lint_as(&[warning_only[0], config], &["db"]).0, 1);
    // The flag wins over the config.
    assert_eq!(
        lint_as(&[warning_only[0], config], &["--fail-on", "error", "db"]).0,
        0
    );
    let (code, _, err) = lint_as(&warning_only, &["--fail-on", "loud", "db"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("[possible values: error, warning, info, never]"),
        "{err}"
    );
    let (code, _, err) = lint_as(
        &[("/project/zerodown.toml", "fail-on = \"loud\"\n")],
        &["db"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("zerodown.toml:1"), "{err}");
}

#[test]
fn an_unknown_format_is_a_usage_error_listing_the_formats() {
    let (code, out, err) = lint_as(&[("db/1.sql", "SELECT 1;\n")], &["--format", "xml", "db"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("[possible values: text, json, sarif, gitlab, github, junit, markdown]"),
        "{err}"
    );
}

#[test]
fn markdown_note_groups_by_file_with_plans_and_stays_within_its_limit() {
    use zerodown::report::markdown::{render_markdown_within, MAX_NOTE};
    let (code, out, err) = lint_as(&[WEIRD], &["--format", "markdown", "db"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("### zerodown: 2 errors, 1 warning in 1 migration\n\n#### `db/migrate/1_a,b:c%.sql` (regular)\n"), "{out}");
    assert!(
        out.contains("| 🔴 error | 2 | `drop-column` | dropping `users`.`legacy`"),
        "{out}"
    );
    assert!(
        out.contains("<details><summary>Plan for <code>drop-column</code> at line 2: "),
        "{out}"
    );
    assert!(out.contains("**Release M+1**"), "{out}");
    assert!(
        out.contains("\n   ALTER TABLE users DROP COLUMN IF EXISTS legacy;"),
        "{out}"
    );
    // Many findings: plans go first, then rows, each time with a note; never over the limit.
    let many: String = (0..400)
        .map(|i| format!("CREATE INDEX i{i} ON users (c{i});\nALTER TABLE t{i} DROP COLUMN c;\n"))
        .collect();
    let files = [zerodown::SourceFile {
        path: "db/migrate/1_many.sql".into(),
        sql: many,
        transaction: None,
    }];
    let report = zerodown::lint_files(&files, &zerodown::LintOptions::default()).expect("lint");
    let full = render_markdown_within(&report, usize::MAX);
    assert!(full.len() > MAX_NOTE, "{}", full.len());
    for max in [MAX_NOTE, 200_000, 20_000] {
        let note = render_markdown_within(&report, max);
        assert!(note.len() <= max, "{} > {max}", note.len());
        assert!(
            note.contains("Plans are left out to keep this note within a comment's size"),
            "{max}"
        );
    }
    let small = render_markdown_within(&report, 20_000);
    assert!(
        small.contains(" more findings not shown: the note would pass a comment's size limit."),
        "{small}"
    );
    let rows = small
        .lines()
        .filter(|l| l.starts_with("| 🔴") || l.starts_with("| 🟠"))
        .count();
    let left: usize = small
        .split("*")
        .find_map(|s| s.split(' ').next()?.parse().ok())
        .expect("count");
    assert_eq!(rows + left, report.findings.len());
}

const SCHEMA: &str = "CREATE TABLE public.users (\n    id bigint NOT NULL,\n    email text\n);\nCREATE TABLE public.broken (id bigint,, oops);\n";
const TYPO: &str =
    "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN emial SET DEFAULT '';\n";

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect()
}

#[test]
fn lint_against_a_schema_from_the_flag_or_the_config() {
    // Without a schema, the typo is not zerodown's to know.
    let files = [("db/structure.sql", SCHEMA), ("m.sql", TYPO)];
    assert!(!rules_of(&json_of(&files, &["m.sql"])).contains(&"schema-mismatch".to_string()));

    let (code, out, err) = lint_as(
        &files,
        &["--format", "json", "--schema", "db/structure.sql", "m.sql"],
    );
    assert_eq!(code, 1, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let found = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "schema-mismatch")
        .unwrap_or_else(|| panic!("no schema-mismatch: {out}"));
    assert_eq!(found["span"]["start"]["line"], 2, "{out}");
    let message = found["message"].as_str().expect("message");
    assert!(
        message.contains("`users`.`emial` does not exist"),
        "{message}"
    );
    // The statement the loader could not read is a note with its line; the lint went on.
    assert!(
        err.contains("note: db/structure.sql:5: schema statement skipped"),
        "{err}"
    );

    // `schema` in zerodown.toml is relative to the config file.
    let files = [
        ("/project/zerodown.toml", "schema = \"db/structure.sql\"\n"),
        ("/project/db/structure.sql", SCHEMA),
        ("m.sql", TYPO),
    ];
    assert!(rules_of(&json_of(&files, &["m.sql"])).contains(&"schema-mismatch".to_string()));
    // The flag wins over the config.
    let files = [
        ("/project/zerodown.toml", "schema = \"db/structure.sql\"\n"),
        ("/project/db/structure.sql", SCHEMA),
        (
            "other.sql",
            "CREATE TABLE public.users (id bigint, emial text);\n",
        ),
        ("m.sql", TYPO),
    ];
    assert!(
        !rules_of(&json_of(&files, &["--schema", "other.sql", "m.sql"]))
            .contains(&"schema-mismatch".to_string())
    );
}

#[test]
fn a_missing_or_unreadable_schema_stops_the_lint_with_exit_2() {
    let (code, out, err) = lint_as(&[("m.sql", TYPO)], &["--schema", "none.sql", "m.sql"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.starts_with("error: schema: "), "{err}");
    assert!(err.contains("none.sql"), "{err}");
    let mut io = MemIo::with(&[("m.sql", TYPO)]);
    io.files.insert("bad.sql".into(), vec![0x53, 0xe9]);
    assert_eq!(io.run(&["lint", "--schema", "bad.sql", "m.sql"]), 2);
    assert!(io.err.contains("bad.sql: not UTF-8"), "{}", io.err);
}

#[test]
fn lint_against_a_database_reads_the_catalog_rows_as_a_schema() {
    let url = "postgres://app:pw-9f3k@db.internal:5432/app";
    let mut io = MemIo::with(&[("m.sql", TYPO)]);
    io.database = Some(Ok(vec![vec![
        vec![
            "CREATE TABLE public.users (\n    id bigint NOT NULL,\n    email text\n);".to_string(),
        ],
        vec!["CREATE TABLE public.broken (id bigint,, oops);".to_string()],
    ]]));
    assert_eq!(
        io.run(&["lint", "--format", "json", "--database-url", url, "m.sql"]),
        1,
        "{}",
        io.err
    );
    assert!(
        rules_of(&serde_json::from_str(&io.out).expect("JSON"))
            .contains(&"schema-mismatch".to_string()),
        "{}",
        io.out
    );
    // One query, the catalog's, against the URL as given.
    let asked = io.queried.borrow().clone();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].0, url);
    assert_eq!(
        asked[0].1,
        [zerodown::lint::CATALOG_QUERY, zerodown::lint::STATS_QUERY]
    );
    // A row that does not load is a note naming the database, not its password.
    assert!(
        io.err
            .contains("note: postgres://app:****@db.internal:5432/app:5: schema statement skipped"),
        "{}",
        io.err
    );
    assert!(!io.err.contains("pw-9f3k") && !io.out.contains("pw-9f3k"));
    // --database-url wins over `schema` in zerodown.toml.
    let mut io = MemIo::with(&[
        ("/project/zerodown.toml", "schema = \"db/structure.sql\"\n"),
        ("m.sql", TYPO),
    ]);
    io.database = Some(Ok(vec![vec![]]));
    // (the config's dump is not there: reading it would be exit 2; the
    // empty database makes `users` unknown instead)
    assert_eq!(
        io.run(&["lint", "--format", "json", "--database-url", url, "m.sql"]),
        1,
        "{}",
        io.err
    );
    assert!(!io.err.contains("structure.sql"), "{}", io.err);
    assert!(rules_of(&serde_json::from_str(&io.out).expect("JSON"))
        .contains(&"schema-mismatch".to_string()));
}

#[test]
fn a_database_error_is_exit_2_and_never_shows_the_password() {
    for (url, secret) in [
        ("postgres://alice:s3cr%2Ft@db:5432/app", "s3cr/t"),
        (
            "postgresql://alice:plain-secret@db/app?sslmode=disable",
            "plain-secret",
        ),
        (
            "host=db user=alice password='kv secret' dbname=app",
            "kv secret",
        ),
        (
            "postgres://alice@db/app?password=q-secret&sslmode=disable",
            "q-secret",
        ),
    ] {
        let mut io = MemIo::with(&[("m.sql", TYPO)]);
        // An error that (unlike the client's) repeats the URL and the password.
        io.database = Some(Err(format!(
            "cannot connect to {url}: bad password {secret}"
        )));
        assert_eq!(io.run(&["lint", "--database-url", url, "m.sql"]), 2);
        assert_eq!(io.out, "");
        assert!(io.err.starts_with("error: --database-url "), "{}", io.err);
        assert!(!io.err.contains(secret), "{}", io.err);
        assert!(io.err.contains("bad password ****"), "{}", io.err);
    }
    // The real client: a closed port and a URL that does not parse.
    for url in [
        "postgres://alice:s3cr3tpw@127.0.0.1:1/app",
        "postgres://alice:s3cr3tpw@localhost:notaport/app",
    ] {
        let mut io = MemIo::with(&[("m.sql", TYPO)]);
        assert_eq!(io.run(&["lint", "--database-url", url, "m.sql"]), 2);
        assert!(!io.err.contains("s3cr3tpw"), "{}", io.err);
        assert!(io.err.contains("postgres://alice:****@"), "{}", io.err);
    }
    // --schema and --database-url are one or the other.
    let mut io = MemIo::with(&[("m.sql", TYPO), ("s.sql", SCHEMA)]);
    let url = "postgres://alice:s3cr3tpw@127.0.0.1:1/app";
    assert_eq!(
        io.run(&["lint", "--schema", "s.sql", "--database-url", url, "m.sql"]),
        2
    );
    assert!(io.err.contains("cannot be used with"), "{}", io.err);
    assert!(!io.err.contains("s3cr3tpw"), "{}", io.err);
}

const BACKFILL: &str = "UPDATE accounts SET code = 'x';\nUPDATE public.tiny SET v = 1;\nUPDATE staging.events SET kind = 'k';\n";

/// The tables a post-deploy backfill is told are large.
fn large_in(out: &str) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(out).expect("JSON");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| {
            let m = f["message"].as_str()?;
            let rest = m.split_once("on the large table `")?.1;
            Some(rest.split('`').next()?.to_string())
        })
        .collect()
}

#[test]
fn table_sizes_from_stats_or_the_database_mark_large_tables() {
    let csv = "table,rows,bytes\npublic.accounts,2000000,100\npublic.tiny,3,8192\nstaging.events,2,2147483648\n";
    let files = [
        ("db/post_migrate/1_backfill.sql", BACKFILL),
        ("stats.csv", csv),
    ];
    let args = ["lint", "--format", "json", "--fail-on", "never"];
    // Without sizes, nothing is known to be large.
    let mut io = MemIo::with(&files);
    assert_eq!(
        io.run(&[&args[..], &["db/post_migrate/1_backfill.sql"]].concat()),
        0,
        "{}",
        io.err
    );
    assert!(large_in(&io.out).is_empty(), "{}", io.out);
    // Default limits: 1,000,000 rows or 1 GiB.
    let mut io = MemIo::with(&files);
    io.run(
        &[
            &args[..],
            &["--stats", "stats.csv", "db/post_migrate/1_backfill.sql"],
        ]
        .concat(),
    );
    assert_eq!(
        large_in(&io.out),
        ["accounts", "staging.events"],
        "{}",
        io.err
    );
    // Limits from the flags.
    let mut io = MemIo::with(&files);
    io.run(
        &[
            &args[..],
            &[
                "--stats",
                "stats.csv",
                "--large-rows",
                "3",
                "--large-bytes",
                "4294967296",
                "db/post_migrate/1_backfill.sql",
            ],
        ]
        .concat(),
    );
    assert_eq!(large_in(&io.out), ["accounts", "public.tiny"], "{}", io.err);
    // The database's sizes, the same way; --stats wins over them.
    let rows = |t: &[(&str, &str, &str)]| {
        t.iter()
            .map(|(a, b, c)| vec![a.to_string(), b.to_string(), c.to_string()])
            .collect::<Vec<_>>()
    };
    let mut io = MemIo::with(&files);
    io.database = Some(Ok(vec![vec![], rows(&[("public.tiny", "5000000", "1")])]));
    io.run(
        &[
            &args[..],
            &[
                "--database-url",
                "postgres://h/db",
                "db/post_migrate/1_backfill.sql",
            ],
        ]
        .concat(),
    );
    assert_eq!(large_in(&io.out), ["public.tiny"], "{}", io.err);
    let mut io = MemIo::with(&files);
    io.database = Some(Ok(vec![vec![]]));
    io.run(
        &[
            &args[..],
            &[
                "--database-url",
                "postgres://h/db",
                "--stats",
                "stats.csv",
                "db/post_migrate/1_backfill.sql",
            ],
        ]
        .concat(),
    );
    assert_eq!(
        large_in(&io.out),
        ["accounts", "staging.events"],
        "{}",
        io.err
    );
    assert_eq!(io.queried.borrow()[0].1, [zerodown::lint::CATALOG_QUERY]);
}

#[test]
fn bad_stats_are_exit_2_with_the_location() {
    let bad = "table,rows,bytes\npublic.accounts,lots,100\n";
    let mut io = MemIo::with(&[("m.sql", BACKFILL), ("stats.csv", bad)]);
    assert_eq!(io.run(&["lint", "--stats", "stats.csv", "m.sql"]), 2);
    assert_eq!(
        io.err,
        "error: stats: stats.csv:2: rows `lots` is not a non-negative number\n"
    );
    let mut io = MemIo::with(&[("m.sql", BACKFILL)]);
    assert_eq!(io.run(&["lint", "--stats", "none.csv", "m.sql"]), 2);
    assert!(
        io.err.starts_with("error: stats: cannot read none.csv"),
        "{}",
        io.err
    );
    let mut io = MemIo::with(&[("m.sql", BACKFILL)]);
    assert_eq!(io.run(&["lint", "--large-rows", "10", "m.sql"]), 2);
    assert!(io.err.contains("need table sizes"), "{}", io.err);
}

#[test]
fn plan_takes_the_rollbacks_facts_from_a_schema() {
    let dump = "CREATE TABLE public.users (\n    id bigint NOT NULL,\n    email character varying(255) DEFAULT 'none'::character varying NOT NULL,\n    legacy text NOT NULL\n);\n";
    let plan_json = |args: &[&str]| {
        let mut io = MemIo::with(&[("db/structure.sql", dump)]);
        let mut argv = vec!["plan"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["--format", "json"]);
        let code = io.run(&argv);
        assert_eq!(code, 0, "{}", io.err);
        let plan: serde_json::Value = serde_json::from_str(&io.out).expect("JSON");
        (plan.to_string(), io.err)
    };
    // Without a schema the rollback of a default change cannot be written.
    let (plain, _) = plan_json(&["change-column-default", "users.email", "'x'"]);
    assert!(plain.contains("plan with --from VALUE"), "{plain}");
    let (with, notes) = plan_json(&[
        "change-column-default",
        "users.email",
        "'x'",
        "--schema",
        "db/structure.sql",
    ]);
    assert!(!with.contains("plan with --from VALUE"), "{with}");
    assert!(with.contains("SET DEFAULT 'none'"), "{with}");
    assert!(
        notes.contains("note: from the schema (db/structure.sql): `users`.`email` has default"),
        "{notes}"
    );
    // drop-column: the type for the re-adding rollback, and the NOT NULL step
    // for a NOT NULL column without a default.
    let (drop, _) = plan_json(&[
        "drop-column",
        "users.legacy",
        "--schema",
        "db/structure.sql",
    ]);
    assert!(
        drop.contains("ADD COLUMN IF NOT EXISTS legacy text"),
        "{drop}"
    );
    let (unknown, _) = plan_json(&["drop-column", "users.legacy"]);
    assert_ne!(drop, unknown);
    // A flag wins over the schema.
    let (flag, _) = plan_json(&[
        "change-column-default",
        "users.email",
        "'x'",
        "--from",
        "'y'",
        "--schema",
        "db/structure.sql",
    ]);
    assert!(
        flag.contains("SET DEFAULT 'y'") && !flag.contains("'none'"),
        "{flag}"
    );
    // A column the schema lacks: said, and the plan is the one without a schema.
    let (typo, notes) = plan_json(&["drop-column", "users.nope", "--schema", "db/structure.sql"]);
    assert!(notes.contains("has no column `users`.`nope`"), "{notes}");
    assert_eq!(typo, plan_json(&["drop-column", "users.nope"]).0);
    // A missing schema is an error, exit 2.
    let mut io = MemIo::default();
    assert_eq!(
        io.run(&["plan", "drop-column", "users.x", "--schema", "none.sql"]),
        2
    );
    assert!(io.err.contains("none.sql"), "{}", io.err);
}

#[test]
fn gitlab_table_docs_and_stats_from_the_config_make_tables_large() {
    let migration = (
        "db/post_migrate/1_backfill.sql",
        "UPDATE users SET plan = 'free' WHERE plan IS NULL;\n",
    );
    let severity = |files: &[(&str, &str)], args: &[&str]| {
        let report = json_of(files, args);
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "data-migration")
            .map(|f| f["severity"].as_str().expect("severity").to_string())
    };
    let docs = [
        (
            "/project/db/docs/users.yml",
            "---\ntable_name: users\ntable_size: over_limit\n",
        ),
        (
            "/project/db/docs/notes.yml",
            "---\ntable_name: notes\ntable_size: small\n",
        ),
        ("/project/db/docs/README.md", "not a doc"),
    ];
    let plain = severity(&[migration], &["db/post_migrate/1_backfill.sql"]);
    let mut files = docs.to_vec();
    files.push(migration);
    let large = severity(
        &files,
        &[
            "--table-docs",
            "/project/db/docs",
            "db/post_migrate/1_backfill.sql",
        ],
    );
    assert_eq!(large.as_deref(), Some("error"));
    assert_ne!(plain, large);
    // The config key, relative to the config file.
    files.push(("/project/zerodown.toml", "table-docs = \"db/docs\"\n"));
    assert_eq!(severity(&files, &["db/post_migrate/1_backfill.sql"]), large);
    // Sizes and thresholds from the config.
    let sized = [
        migration,
        (
            "/project/sizes.csv",
            "table,rows,bytes\npublic.users,5000,100\n",
        ),
        (
            "/project/zerodown.toml",
            "stats = \"sizes.csv\"\nlarge-rows = 1000\n",
        ),
    ];
    assert_eq!(severity(&sized, &["db/post_migrate/1_backfill.sql"]), large);
    let (code, _, err) = lint_as(
        &[migration, ("/project/zerodown.toml", "large-rows = 1000\n")],
        &["db/post_migrate/1_backfill.sql"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("need table sizes"), "{err}");
    // A docs folder without docs, and a doc without its table's name, are errors.
    let (code, _, err) = lint_as(
        &[migration, ("/x/README.md", "")],
        &["--table-docs", "/x", "db/post_migrate/1_backfill.sql"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("holds no .yml files"), "{err}");
    let (code, _, err) = lint_as(
        &[migration, ("/x/a.yml", "table_size: large\n")],
        &["--table-docs", "/x", "db/post_migrate/1_backfill.sql"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("/x/a.yml: a table_size without a table_name"),
        "{err}"
    );
}

#[test]
fn plan_writes_rails_migrations_named_by_timestamp() {
    let mut io = MemIo::default();
    let code = io.run(&[
        "plan",
        "set-not-null",
        "users.email",
        "--format",
        "rails",
        "--out",
        "app",
        "--timestamp",
        "20240101120000",
    ]);
    assert_eq!(code, 0, "{}", io.err);
    let paths: Vec<String> = io.written.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "app/db/post_migrate/20240101120000_add_users_email_not_null_check.rb",
            "app/db/post_migrate/20240101120001_validate_users_email_not_null_check.rb",
            "app/db/post_migrate/20240101120002_set_users_email_not_null.rb",
        ]
    );
    let first = &io.written[&PathBuf::from(&paths[0])];
    assert!(
        first.contains("class AddUsersEmailNotNullCheck < ActiveRecord::Migration[7.1]"),
        "{first}"
    );
    assert!(first.contains("execute <<~'SQL'"), "{first}");
    // Read back, the files lint clean (no error) as post-deploy Ruby migrations.
    let files: Vec<(&str, &str)> = paths
        .iter()
        .map(|p| (p.as_str(), io.written[&PathBuf::from(p)].as_str()))
        .collect();
    let report = json_of(&files, &["app/db"]);
    assert_eq!(report["summary"]["errors"], 0, "{report}");
    assert_eq!(report["files"].as_array().map(Vec::len), Some(3));
    // The timestamp: 14 digits, or a calendar's first date; otherwise an error.
    let mut io = MemIo::default();
    assert_eq!(
        io.run(&[
            "plan",
            "add-index",
            "users.email",
            "--format",
            "rails",
            "--out",
            "o"
        ]),
        2
    );
    assert!(
        io.err.contains("give --timestamp YYYYMMDDHHMMSS"),
        "{}",
        io.err
    );
    let mut io = MemIo::default();
    assert_eq!(
        io.run(&[
            "plan",
            "add-index",
            "users.email",
            "--format",
            "rails",
            "--out",
            "o",
            "--timestamp",
            "2024"
        ]),
        2
    );
    assert!(io.err.contains("write 14 digits"), "{}", io.err);
    let mut io = MemIo::default();
    let code = io.run(&[
        "plan",
        "add-index",
        "users.email",
        "--format",
        "rails",
        "--out",
        "o",
        "--release",
        "16.4",
        "--calendar",
        "monthly:3-thu:2024-01",
    ]);
    assert_eq!(code, 0, "{}", io.err);
    assert!(
        io.out.starts_with("o/db/migrate/20240118000001_"),
        "{}",
        io.out
    );
}

#[test]
fn gitlab_rubocop_migration_config_makes_tables_large() {
    let migration = (
        "db/post_migrate/1_backfill.sql",
        "UPDATE users SET plan = 'free' WHERE plan IS NULL;\n",
    );
    let config = (
        "/project/rubocop/rubocop-migrations.yml",
        "---\nMigration/UpdateLargeTable:\n  Enabled: true\n  LargeTables:\n  - :users\n",
    );
    let severity = |files: &[(&str, &str)], args: &[&str]| {
        json_of(files, args)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "data-migration")
            .map(|f| f["severity"].as_str().expect("severity").to_string())
    };
    let plain = severity(&[migration, config], &["db/post_migrate/1_backfill.sql"]);
    let large = severity(
        &[migration, config],
        &[
            "--rubocop-migrations",
            "/project/rubocop/rubocop-migrations.yml",
            "db/post_migrate/1_backfill.sql",
        ],
    );
    assert_eq!(large.as_deref(), Some("error"));
    assert_ne!(plain, large);
    let with_config = [
        migration,
        config,
        (
            "/project/zerodown.toml",
            "rubocop-migrations = \"rubocop/rubocop-migrations.yml\"\n",
        ),
    ];
    assert_eq!(
        severity(&with_config, &["db/post_migrate/1_backfill.sql"]),
        large
    );
    let (code, _, err) = lint_as(
        &[migration, ("other.yml", "---\nAllCops: {}\n")],
        &[
            "--rubocop-migrations",
            "other.yml",
            "db/post_migrate/1_backfill.sql",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("other.yml: no `Migration/UpdateLargeTable:` block"),
        "{err}"
    );
}

#[test]
fn upgrade_path_and_schedule_take_a_schema_and_fail_on_a_bad_one() {
    let dir = "tests/fixtures/releases/on-schema";
    let schema = "tests/fixtures/releases/on-schema-at-8.17.sql";
    let args = |extra: &[&'static str]| {
        let mut a = vec!["upgrade-path", dir, "--from", "8.17", "--to", "9.0"];
        a.extend_from_slice(extra);
        a
    };
    // Without the schema the layout alone is clean.
    let (code, out, err) = zerodown(&args(&[]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = zerodown(&args(&["--schema", schema]));
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("error[schema-mismatch]: table `user_details` does not exist")
            && out.contains("It runs in deployment 1 (9.0) of the upgrade 8.17 → 9.0"),
        "{out}"
    );
    let (code, out, _) = zerodown(&args(&["--schema", schema, "--format", "json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(rules_of(&report), vec!["schema-mismatch"]);
    // A level from --rule applies to it.
    let (code, _, _) = zerodown(&args(&[
        "--schema",
        schema,
        "--rule",
        "schema-mismatch=warning",
    ]));
    assert_eq!(code, 0);
    // schedule: on the database at 8.17, the first due file's table exists.
    let (code, out, _) = zerodown(&[
        "schedule",
        dir,
        "--version",
        "9.0.1",
        "--mode",
        "continuous",
        "--schema",
        schema,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("table `users` already exists"), "{out}");
    // A missing schema is a set-up error: exit 2, nothing on stdout.
    let (code, out, err) = zerodown(&args(&["--schema", "tests/fixtures/none.sql"]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: schema: ") && err.contains("none.sql"),
        "{err}"
    );
    // --schema and --database-url are one or the other.
    let (code, _, err) = zerodown(&args(&[
        "--schema",
        schema,
        "--database-url",
        "postgres://x@h/db",
    ]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn plan_rails_files_with_rails_or_gitlab_helpers() {
    let run = |helpers: &str| {
        let mut io = MemIo::default();
        let code = io.run(&[
            "plan",
            "add-index",
            "users.email",
            "--unique",
            "--release",
            "16.4",
            "--format",
            "rails",
            "--out",
            "app",
            "--timestamp",
            "20240101120000",
            "--helpers",
            helpers,
        ]);
        assert_eq!(code, 0, "{}", io.err);
        let (path, text) = io.written.iter().next().expect("a file");
        (path.display().to_string(), text.clone())
    };
    let (path, gitlab) = run("gitlab");
    assert_eq!(
        path,
        "app/db/migrate/20240101120000_add_index_unique_users_on_email.rb"
    );
    for want in [
        "class AddIndexUniqueUsersOnEmail < Gitlab::Database::Migration[2.2]",
        "  milestone '16.4'\n  disable_ddl_transaction!\n",
        "    remove_concurrent_index_by_name :users, \"index_unique_users_on_email\"\n    add_concurrent_index :users, :email, name: \"index_unique_users_on_email\", unique: true\n",
    ] {
        assert!(gitlab.contains(want), "{want}\n---\n{gitlab}");
    }
    assert!(!gitlab.contains("execute"), "{gitlab}");
    let (_, rails) = run("rails");
    assert!(
        rails.contains("add_index :users, :email, name: \"index_unique_users_on_email\", unique: true, algorithm: :concurrently")
            && rails.contains("remove_index :users, name: \"index_unique_users_on_email\", algorithm: :concurrently, if_exists: true")
            && rails.contains("< ActiveRecord::Migration[7.1]"),
        "{rails}"
    );
    let (_, sql) = run("sql");
    assert!(
        sql.contains("execute <<~'SQL'") && !sql.contains("add_index"),
        "{sql}"
    );
    // Only with --format rails.
    let mut io = MemIo::default();
    assert_eq!(
        io.run(&["plan", "add-index", "users.email", "--helpers", "gitlab"]),
        2
    );
    assert!(
        io.err.contains("--helpers applies to --format rails"),
        "{}",
        io.err
    );
    let mut io = MemIo::default();
    assert_eq!(
        io.run(&[
            "plan",
            "add-index",
            "users.email",
            "--format",
            "rails",
            "--out",
            "o",
            "--timestamp",
            "20240101120000",
            "--helpers",
            "django"
        ]),
        2
    );
    assert!(io.err.contains("invalid value 'django'"), "{}", io.err);
}
