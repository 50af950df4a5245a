//! `zerodown rehearse` end to end, as a user runs it: the bundled example
//! on a throwaway server (`--start-postgres`), a plan, a workload file, and
//! bad input (no --disposable, an unreachable database, a password in the
//! URL, a workload statement with a typo, a plan step that does not apply).
//!
//! Needs PostgreSQL's server binaries, as every PostgreSQL test here (see
//! `tests/common/pg.rs` for the skip policy, `ZERODOWN_SKIP_PG=1`).

#![allow(clippy::unwrap_used)]

mod common;

use common::zerodown_cli;
use zerodown::report::{Outcome, Rehearsal, StepKind};

/// Whether the server binaries are here; else the test fails, unless
/// `ZERODOWN_SKIP_PG=1` says to skip knowingly.
fn have_postgres() -> bool {
    match zerodown::rehearse::server::find_bin(None) {
        Ok(_) => true,
        Err(e) if std::env::var("ZERODOWN_SKIP_PG").is_ok_and(|v| v == "1") => {
            eprintln!("ZERODOWN_SKIP_PG=1: {e}; skipping");
            false
        }
        Err(e) => panic!("{e} (set ZERODOWN_SKIP_PG=1 to skip knowingly)"),
    }
}

fn tmp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("zerodown-rehearse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The README's command: the bundled example migrations on a throwaway
/// server with the example schema and generated rows. The example's first
/// migration adds a column with a volatile-free default behind a 1 s lock
/// timeout: with a long transaction open, it gives up and the queries
/// queued behind it stall about 1 s, so the rehearsal fails, says where, and
/// prints what to roll back.
#[test]
fn the_bundled_example_runs_in_one_command() {
    if !have_postgres() {
        return;
    }
    let (code, out, err) = zerodown_cli(&[
        "rehearse",
        "docs/examples/db",
        "--start-postgres",
        "--schema",
        "docs/examples/structure.sql",
        "--rows",
        "20000",
        "--format",
        "json",
    ]);
    let r: Rehearsal = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"));
    assert_eq!(r.version, 1);
    assert_eq!(r.rows, 20000);
    assert!(
        r.server.starts_with(|c: char| c.is_ascii_digit()),
        "{}",
        r.server
    );
    assert_eq!(r.workload.source, "generated");
    assert_eq!(r.workload.versions, vec!["old", "new"]);
    assert!(
        r.baseline.queries > 0,
        "the workload ran before the first step"
    );
    // Files in run order, the deployment between regular and post-deploy ones.
    let kinds: Vec<(StepKind, &str)> = r.steps.iter().map(|s| (s.kind, s.phase.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (StepKind::Migration, "regular"),
            (StepKind::Migration, "regular"),
            (StepKind::Migration, "regular"),
            (StepKind::Deploy, "application"),
            (StepKind::Migration, "post-deploy"),
        ]
    );
    let first = &r.steps[0];
    assert!(
        first.locks.iter().any(|l| l.relation == "public.users"),
        "{:?}",
        first.locks
    );
    assert!(first.latency.queries > 0);
    if r.verdict.pass {
        panic!(
            "the example passed, but its 1 s lock timeout behind a 3 s transaction cannot:\n{out}"
        );
    }
    assert_eq!(code, 1, "{err}");
    let stopped = r.stopped.as_ref().expect("where it stopped");
    assert_eq!(stopped.step, 1);
    assert!(stopped.error.contains("lock timeout"), "{}", stopped.error);
    assert!(stopped
        .statement
        .as_deref()
        .unwrap_or_default()
        .contains("ADD COLUMN settings"));
    assert_eq!(r.steps[1].outcome, Outcome::NotRun);

    // The same as text: the timeline and the verdict.
    let (code, text, _) = zerodown_cli(&[
        "rehearse",
        "docs/examples/db",
        "--start-postgres",
        "--schema",
        "docs/examples/structure.sql",
    ]);
    assert_eq!(code, 1);
    for want in [
        "step 1 (regular)",
        "stopped at step 1 at line 9",
        "FAIL (budget",
        "live: old",
    ] {
        assert!(text.contains(want), "`{want}` missing:\n{text}");
    }
}

/// A plan (from `zerodown plan --format json`) with a workload file: it
/// stays within the budget, the rows all come back, and the table's
/// rewrite-free steps report their locks.
#[test]
fn a_plan_with_a_workload_file_passes() {
    if !have_postgres() {
        return;
    }
    let (code, plan, err) = zerodown_cli(&[
        "plan",
        "rename-column",
        "users.username",
        "handle",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let plan_path = tmp("plan.json", &plan);
    let schema = tmp(
        "schema.sql",
        "CREATE TABLE users (id bigserial PRIMARY KEY, username text NOT NULL, email text);",
    );
    let workload = tmp(
        "workload.toml",
        r#"
sessions = 3
long_transaction = "1s"
tables = ["users"]

[[version]]
name = "old"
data = "users"
insert = "INSERT INTO users (username) VALUES ($value) RETURNING id"
update = "UPDATE users SET username = $value WHERE id = $id"
read = "SELECT username FROM users WHERE id = $id"
all = "SELECT id, username FROM users"

[[version]]
name = "new"
data = "users"
insert = "INSERT INTO users (handle) VALUES ($value) RETURNING id"
update = "UPDATE users SET handle = $value WHERE id = $id"
read = "SELECT handle FROM users WHERE id = $id"
all = "SELECT id, handle FROM users"
[[version.query]]
sql = "SELECT count(*) FROM users WHERE handle = $value"
weight = 0.5
"#,
    );
    let (code, out, err) = zerodown_cli(&[
        "rehearse",
        "--plan",
        &plan_path,
        "--start-postgres",
        "--schema",
        &schema,
        "--workload",
        &workload,
        "--rows",
        "5000",
        "--format",
        "json",
    ]);
    let r: Rehearsal = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"));
    assert!(r.verdict.pass, "{out}\n{err}");
    assert_eq!(code, 0);
    assert_eq!(r.data.lost + r.data.changed + r.data.duplicated, 0);
    assert!(r.data.rows_checked >= 5000, "{:?}", r.data);
    assert!(r.data.reads_checked > 0);
    assert!(r.steps.iter().all(|s| s.outcome == Outcome::Applied));
    assert!(r.steps.iter().any(|s| s.release.as_deref() == Some("M+1")));
}

#[test]
fn bad_input_is_a_clear_error() {
    // Writing to a database needs --disposable.
    let (code, _, err) = zerodown_cli(&[
        "rehearse",
        "docs/examples/db",
        "--database-url",
        "postgres://me:s3cret-pw@127.0.0.1:1/app",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--disposable"), "{err}");
    assert!(
        !err.contains("s3cret-pw"),
        "the password was printed: {err}"
    );

    // Unreachable: an error, the password never shown.
    let (code, out, err) = zerodown_cli(&[
        "rehearse",
        "docs/examples/db",
        "--database-url",
        "postgres://me:s3cret-pw@127.0.0.1:1/app",
        "--disposable",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("cannot connect") && err.contains("****"),
        "{err}"
    );
    assert!(
        !err.contains("s3cret-pw") && !out.contains("s3cret-pw"),
        "{err}"
    );

    // One sqlparser refuses is refused before any server starts.
    let w = tmp(
        "typo2.toml",
        "[[version]]\nname = \"old\"\nread = \"SELEC name FROM users WHERE id = $id\"\nall = \"SELECT id, name FROM users\"\n",
    );
    let (code, _, err) = zerodown_cli(&[
        "rehearse",
        "docs/examples/db",
        "--start-postgres",
        "--workload",
        &w,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("typo2.toml: version `old` (1): read: not valid SQL"),
        "{err}"
    );

    // Nothing to rehearse on, or nothing to rehearse.
    let (code, _, err) = zerodown_cli(&["rehearse", "docs/examples/db"]);
    assert_eq!(code, 2);
    assert!(err.contains("--start-postgres"), "{err}");
    let (code, _, err) = zerodown_cli(&["rehearse", "--plan", "Cargo.toml", "--start-postgres"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Cargo.toml:1:") && err.contains("not a plan"),
        "{err}"
    );

    if have_postgres() {
        // A workload statement with a typo the server finds, before anything
        // runs (this one needs a server).
        let w = tmp(
            "typo.toml",
            "[[version]]\nname = \"old\"\ninsert = \"INSERT INTO users (name) VALUE ($value) RETURNING id\"\n",
        );
        let (code, _, err) = zerodown_cli(&[
            "rehearse",
            "docs/examples/db",
            "--start-postgres",
            "--workload",
            &w,
        ]);
        assert_eq!(code, 2);
        assert!(
            err.contains("typo.toml: version `old`")
                && err.contains("syntax error at or near \"VALUE\""),
            "{err}"
        );
    }
}

/// A step that does not apply stops the rehearsal at that statement, says
/// what state the database is in, and gives the rollback of the steps
/// applied before it, last first.
#[test]
fn a_failing_step_stops_with_its_statement_and_the_rollback() {
    if !have_postgres() {
        return;
    }
    let (_, plan, _) = zerodown_cli(&["plan", "drop-column", "users.legacy", "--format", "json"]);
    let mut p: serde_json::Value = serde_json::from_str(&plan).unwrap();
    // Break the plan's last migration: a table that is not there.
    let last = p["releases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|r| r["steps"].as_array_mut().unwrap().iter_mut())
        .filter(|s| s.get("sql").is_some())
        .last()
        .unwrap();
    last["sql"] = serde_json::Value::String(
        "SET lock_timeout = '1s';\nALTER TABLE nope DROP COLUMN legacy;\n".into(),
    );
    let plan_path = tmp("broken-plan.json", &p.to_string());
    let schema = tmp(
        "schema2.sql",
        "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, legacy text);",
    );
    let (code, text, err) = zerodown_cli(&[
        "rehearse",
        "--plan",
        &plan_path,
        "--start-postgres",
        "--schema",
        &schema,
    ]);
    assert_eq!(code, 1, "{text}{err}");
    assert!(
        text.contains("at line 2: `ALTER TABLE nope DROP COLUMN legacy`"),
        "{text}"
    );
    assert!(text.contains("relation \"nope\" does not exist"), "{text}");
    assert!(text.contains("rolled back"), "{text}");
    assert!(
        text.contains("rollback of the steps applied, last first"),
        "{text}"
    );
}

/// Ctrl-C during a step cancels the step's statement on the server, stops
/// the workload and still reports, saying where it stopped.
#[test]
fn ctrl_c_cancels_the_running_step() {
    if !have_postgres() {
        return;
    }
    let (_, plan, _) = zerodown_cli(&["plan", "drop-column", "users.legacy", "--format", "json"]);
    let mut p: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let first = p["releases"][0]["steps"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s.get("sql").is_some())
        .unwrap();
    first["sql"] = serde_json::Value::String("SELECT pg_sleep(120);\n".into());
    let plan_path = tmp("sleep-plan.json", &p.to_string());
    let schema = tmp(
        "schema3.sql",
        "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, legacy text);",
    );
    let workload = tmp(
        "w3.toml",
        "[[version]]\nname = \"old\"\nlive = \"always\"\ndata = \"users\"\ninsert = \"INSERT INTO users (name) VALUES ($value) RETURNING id\"\nall = \"SELECT id, name FROM users\"\n",
    );
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args([
            "rehearse",
            "--plan",
            &plan_path,
            "--start-postgres",
            "--schema",
            &schema,
            "--workload",
            &workload,
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(8));
    let started = std::time::Instant::now();
    let ok = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -INT failed");
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let r: Rehearsal = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(took.as_secs() < 30, "took {took:?} to stop after Ctrl-C");
    assert_eq!(out.status.code(), Some(1));
    let stopped = r.stopped.expect("where it stopped");
    assert_eq!(stopped.step, 1);
    assert!(stopped.error.contains("interrupted"), "{}", stopped.error);
    assert!(
        stopped.error.contains("canceling statement"),
        "{}",
        stopped.error
    );
}
