//! Parity on a real PostgreSQL server: a schema is built there, then read
//! both by `pg_dump --schema-only` (into `lint --schema`) and by `lint
//! --database-url`; the same migrations linted against each must give the
//! same findings, and the schema-aware verdicts must be there. Also: the
//! database session is read-only and a password never shows.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pg::Cluster;
use serde_json::Value;

/// The schema on the server: two schemas with a table `t` each, a
/// varchar(50), a column already NOT NULL, a validated and a NOT VALID
/// CHECK (col IS NOT NULL), a unique index, a foreign-key target without a
/// unique key, a partitioned table with partitions, named constraints.
const SCHEMA: &str = "
CREATE SCHEMA staging;
CREATE TABLE public.users (
    id bigserial CONSTRAINT users_pkey PRIMARY KEY,
    username varchar(50),
    email text NOT NULL,
    score integer,
    age integer,
    nickname text,
    CONSTRAINT users_age_not_null CHECK (age IS NOT NULL)
);
ALTER TABLE public.users ADD CONSTRAINT users_nickname_not_null CHECK (nickname IS NOT NULL) NOT VALID;
CREATE UNIQUE INDEX index_users_on_email ON public.users (email);
CREATE TABLE public.t (id bigint CONSTRAINT t_pkey PRIMARY KEY, note text);
CREATE TABLE staging.t (id bigint, name text);
CREATE TABLE public.accounts (id bigint, code text);
CREATE TABLE public.orders (
    id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT orders_pkey PRIMARY KEY,
    user_id bigint CONSTRAINT orders_user_fk REFERENCES public.users (id),
    account_id bigint,
    total numeric(10,2) DEFAULT 0 NOT NULL
);
CREATE TABLE public.events (
    id bigint NOT NULL,
    created_at timestamptz NOT NULL,
    kind text,
    CONSTRAINT events_pkey PRIMARY KEY (id, created_at),
    CONSTRAINT events_id_positive CHECK (id > 0)
) PARTITION BY RANGE (created_at);
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX index_events_on_created_at ON public.events (created_at);
";

/// Migrations, one verdict each: (file, SQL).
const MIGRATIONS: &[(&str, &str)] = &[
    // varchar(50) -> varchar(512): a free widening.
    (
        "001_widen.sql",
        "ALTER TABLE public.users ALTER COLUMN username TYPE varchar(512);\n",
    ),
    // integer -> bigint: a rewrite.
    (
        "002_int_to_bigint.sql",
        "ALTER TABLE public.users ALTER COLUMN score TYPE bigint;\n",
    ),
    // A validated CHECK (age IS NOT NULL): SET NOT NULL is quiet.
    (
        "003_set_not_null_checked.sql",
        "SET lock_timeout = '1s';\nALTER TABLE public.users ALTER COLUMN age SET NOT NULL;\n",
    ),
    // Only a NOT VALID check: SET NOT NULL scans the table.
    (
        "004_set_not_null_not_valid.sql",
        "SET lock_timeout = '1s';\nALTER TABLE public.users ALTER COLUMN nickname SET NOT NULL;\n",
    ),
    // Already NOT NULL.
    (
        "005_already_not_null.sql",
        "SET lock_timeout = '1s';\nALTER TABLE public.users ALTER COLUMN email SET NOT NULL;\n",
    ),
    // accounts.id has no primary key or unique constraint.
    (
        "006_fk_without_key.sql",
        "SET lock_timeout = '1s';\nALTER TABLE public.orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES public.accounts (id) NOT VALID;\n",
    ),
    // A partitioned parent: PostgreSQL refuses CONCURRENTLY there.
    (
        "007_partitioned_index.sql",
        "CREATE INDEX CONCURRENTLY index_events_on_kind ON public.events (kind);\n",
    ),
    // A typo: the column does not exist.
    (
        "008_typo.sql",
        "SET lock_timeout = '1s';\nALTER TABLE public.users RENAME COLUMN usernme TO handle;\n",
    ),
    // staging.t is not public.t: `note` is public.t's, `name` staging.t's.
    (
        "009_schemas.sql",
        "SET lock_timeout = '1s';\nALTER TABLE staging.t RENAME COLUMN note TO remark;\nALTER TABLE public.t RENAME COLUMN name TO title;\nALTER TABLE staging.t RENAME COLUMN name TO title;\n",
    ),
];

const PASSWORD: &str = "Zd-s3cret-pw";

fn zerodown(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(args)
        .output()
        .expect("run zerodown");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `postgres://` URL to the cluster's Unix socket (with a password the
/// trust authentication ignores, to prove it never shows).
fn url(pg: &Cluster, db: &str) -> String {
    let dir: String = pg
        .socket_dir()
        .display()
        .to_string()
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("postgresql://postgres:{PASSWORD}@{dir}:{}/{db}", pg.port())
}

fn pg_dump(pg: &Cluster, db: &str) -> String {
    let bin = pg.psql_path().with_file_name("pg_dump");
    let out = Command::new(&bin)
        .args(["--schema-only", "--no-owner", "-h"])
        .arg(pg.socket_dir())
        .args(["-p", &pg.port().to_string(), "-U", "postgres", db])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("pg_dump writes UTF-8")
}

/// The findings of a JSON report.
fn findings(stdout: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    v["findings"].as_array().expect("findings").clone()
}

/// The rules found in `file`.
fn rules_in(found: &[Value], file: &str) -> Vec<String> {
    found
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(file)))
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// `rule line:column message` of every finding in `file`.
fn described(found: &[Value], file: &str) -> Vec<String> {
    found
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(file)))
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["rule"].as_str().unwrap_or_default(),
                f["span"]["start"]["line"],
                f["span"]["start"]["column"],
                f["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn write_migrations(dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("create the migrations folder");
    MIGRATIONS
        .iter()
        .map(|(name, sql)| {
            let p = dir.join(name);
            std::fs::write(&p, sql).expect("write a migration");
            p.display().to_string()
        })
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("zerodown-pg-schema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

#[test]
fn a_dump_and_the_live_database_give_the_same_findings() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("app");
    pg.exec("app", SCHEMA);
    // The migrations are valid on the server only where schema-mismatch
    // says nothing: a check that the verdicts below are PostgreSQL's.
    let dir = scratch("parity");
    let files = write_migrations(&dir.join("db/migrate"));
    let dump_path = dir.join("structure.sql");
    std::fs::write(&dump_path, pg_dump(&pg, "app")).expect("write the dump");
    // Every statement is logged with its session's application name: the
    // zerodown session's statements are read below.
    pg.exec(
        "postgres",
        "ALTER SYSTEM SET log_statement = 'all'; ALTER SYSTEM SET log_line_prefix = '[%a] '; SELECT pg_reload_conf();",
    );

    let lint = |source: &[&str]| {
        let mut args = vec![
            "lint",
            "--format",
            "json",
            "--no-plans",
            "--fail-on",
            "never",
        ];
        args.extend_from_slice(source);
        args.extend(files.iter().map(String::as_str));
        let (code, out, err) = zerodown(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        (findings(&out), out, err)
    };
    let dump = dump_path.display().to_string();
    let (from_dump, _, dump_err) = lint(&["--schema", &dump]);
    let url = url(&pg, "app");
    let (from_db, db_out, db_err) = lint(&["--database-url", &url]);
    let (without, _, _) = lint(&[]);
    // pg_dump's dump, identity column included (its `ALTER TABLE ... ADD
    // GENERATED ... AS IDENTITY (SEQUENCE NAME ...)`), reads without a
    // skipped statement.
    assert!(
        !dump_err.contains("skipped"),
        "the dump did not read whole:\n{dump_err}"
    );
    assert!(
        std::fs::read_to_string(&dump_path)
            .expect("the dump")
            .contains("ADD GENERATED ALWAYS AS IDENTITY"),
        "the dump has the identity form"
    );

    // Identical: rule, line, column, message (shown first, readable), then
    // everything else (severity, span, help, fingerprint).
    let all = |found: &[Value]| {
        MIGRATIONS
            .iter()
            .flat_map(|(f, _)| {
                described(found, f)
                    .into_iter()
                    .map(move |d| format!("{f}: {d}"))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        all(&from_dump),
        all(&from_db),
        "dump and database disagree\n--- dump notes:\n{dump_err}\n--- database notes:\n{db_err}"
    );
    assert_eq!(
        from_dump, from_db,
        "dump and database disagree\n--- dump notes:\n{dump_err}\n--- database notes:\n{db_err}"
    );
    assert!(
        !db_err.contains("skipped"),
        "the catalog query's DDL must load whole: {db_err}"
    );
    assert!(!db_out.contains(PASSWORD) && !db_err.contains(PASSWORD));

    // Each verdict, against the schema and (where it differs) without it.
    let on = |f: &str| rules_in(&from_db, f);
    let off = |f: &str| rules_in(&without, f);
    let ct = "change-column-type".to_string();
    assert!(
        !on("001_widen.sql").contains(&ct),
        "{:?}",
        described(&from_db, "001_widen.sql")
    );
    assert!(
        off("001_widen.sql").contains(&ct),
        "without a schema the widening is a guess"
    );
    assert!(on("002_int_to_bigint.sql").contains(&ct));
    let snn = "set-not-null".to_string();
    assert!(
        !on("003_set_not_null_checked.sql").contains(&snn),
        "{:?}",
        described(&from_db, "003_set_not_null_checked.sql")
    );
    assert!(off("003_set_not_null_checked.sql").contains(&snn));
    assert!(on("004_set_not_null_not_valid.sql").contains(&snn));
    assert!(!on("005_already_not_null.sql").contains(&snn));
    assert!(off("005_already_not_null.sql").contains(&snn));
    let fk = described(&from_db, "006_fk_without_key.sql");
    assert!(
        fk.iter().any(|d| d.starts_with("add-foreign-key ")
            && d.contains("no primary key or unique constraint")),
        "{fk:?}"
    );
    assert!(!described(&without, "006_fk_without_key.sql")
        .iter()
        .any(|d| d.contains("no primary key or unique constraint")));
    let part = from_db
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("007_partitioned_index.sql"))
        })
        .expect("a finding on the partitioned index");
    let help = part["help"].as_str().unwrap_or_default();
    assert!(
        help.contains("ON ONLY") && help.contains("events_2025") && help.contains("events_2026"),
        "{part}"
    );
    let typo = described(&from_db, "008_typo.sql");
    assert!(
        typo.iter()
            .any(|d| d.starts_with("schema-mismatch 2:") && d.contains("usernme")),
        "{typo:?}"
    );
    assert!(!off("008_typo.sql").contains(&"schema-mismatch".to_string()));
    // staging.t has `name` and not `note`; public.t the other way round.
    let schemas = described(&from_db, "009_schemas.sql");
    let mismatch_lines: Vec<&str> = schemas
        .iter()
        .filter(|d| d.starts_with("schema-mismatch "))
        .map(|d| d.split(' ').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        mismatch_lines
            .iter()
            .map(|l| l.split(':').next().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["2", "3"],
        "{schemas:?}"
    );

    // What the server saw from zerodown's session: a read-only transaction
    // and nothing but reads in it.
    let log = std::fs::read_to_string(pg.socket_dir().join("server.log")).expect("server log");
    let statements: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("[zerodown] "))
        .filter_map(|l| {
            l.split_once("statement: ")
                .or_else(|| l.split_once("execute <unnamed>: "))
                .map(|(_, s)| s.trim())
        })
        .collect();
    assert!(
        statements
            .first()
            .is_some_and(|s| s.starts_with("START TRANSACTION") && s.contains("READ ONLY")),
        "{statements:#?}"
    );
    assert!(statements.len() >= 4, "{statements:#?}");
    for s in &statements {
        let first = s
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        assert!(
            ["START", "SET", "WITH", "SELECT", "ROLLBACK"].contains(&first.as_str()),
            "a statement other than a read: {s}"
        );
    }
    assert_eq!(
        statements.last().copied(),
        Some("ROLLBACK"),
        "{statements:#?}"
    );
    assert!(!log.contains(PASSWORD));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_database_session_refuses_writes() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("app");
    let url = url(&pg, "app");
    // The session zerodown reads the catalog in: a write in it fails, and
    // nothing is left behind.
    let err = zerodown::cli::database::query(
        &url,
        zerodown::lint::CATALOG_SESSION,
        &["CREATE TABLE public.written (id int)"],
    )
    .expect_err("a write in the read-only session");
    assert!(err.contains("read-only transaction"), "{err}");
    pg.exec("app", "CREATE SEQUENCE public.s");
    let err = zerodown::cli::database::query(
        &url,
        zerodown::lint::CATALOG_SESSION,
        &["SELECT 1", "SELECT pg_catalog.nextval('public.s')"],
    )
    .expect_err("nextval in the read-only session");
    assert!(err.contains("read-only transaction"), "{err}");
    assert_eq!(
        pg.exec("app", "SELECT last_value, is_called FROM public.s"),
        "1|f"
    );
    assert_eq!(
        pg.exec(
            "app",
            "SELECT count(*) FROM pg_class WHERE relname = 'written'"
        ),
        "0"
    );
    // The reads work, with the session's settings in force.
    let rows = zerodown::cli::database::query(
        &url,
        zerodown::lint::CATALOG_SESSION,
        &["SELECT current_setting('transaction_read_only'), current_setting('statement_timeout'), current_setting('search_path')"],
    )
    .expect("a read");
    assert_eq!(
        rows,
        vec![vec![vec![
            "on".to_string(),
            "10s".to_string(),
            "\"\"".to_string()
        ]]]
    );
}

#[test]
fn an_unreachable_database_is_exit_2_without_the_password() {
    let Some(pg) = Cluster::start() else { return };
    let dir = scratch("unreachable");
    let files = write_migrations(&dir);
    // The cluster's socket with a database that does not exist, a closed
    // port, and a URL that does not parse.
    let missing = url(&pg, "nosuchdb");
    let closed = format!("postgres://alice:{PASSWORD}@127.0.0.1:1/app");
    let bad = format!("postgres://alice:{PASSWORD}@localhost:notaport/app");
    for u in [&missing, &closed, &bad] {
        let (code, out, err) = zerodown(&["lint", "--database-url", u, &files[0]]);
        assert_eq!(code, 2, "{u}: {out}{err}");
        assert!(err.starts_with("error: --database-url "), "{err}");
        assert!(err.contains("****"), "{err}");
        assert!(!out.contains(PASSWORD) && !err.contains(PASSWORD), "{err}");
    }
    let (_, _, err) = zerodown(&["lint", "--database-url", &missing, &files[0]]);
    assert!(
        err.contains("nosuchdb") && err.contains("does not exist"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn table_sizes_from_the_database_and_from_the_documented_query_agree() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("app");
    pg.exec(
        "app",
        "CREATE TABLE public.accounts (id bigint, code text);
         INSERT INTO public.accounts SELECT g, 'c' FROM generate_series(1, 500) g;
         CREATE TABLE public.tiny (id bigint, v int);
         INSERT INTO public.tiny VALUES (1, 1), (2, 2);
         CREATE SCHEMA staging;
         CREATE TABLE staging.events (id bigint, kind text) PARTITION BY RANGE (id);
         CREATE TABLE staging.events_1 PARTITION OF staging.events FOR VALUES FROM (0) TO (1000);
         CREATE TABLE staging.events_2 PARTITION OF staging.events FOR VALUES FROM (1000) TO (2000);
         INSERT INTO staging.events SELECT g, 'k' FROM generate_series(800, 1199) g;
         ANALYZE;",
    );
    let dir = scratch("sizes");
    let migration = dir.join("db/post_migrate/1_backfill.sql");
    std::fs::create_dir_all(migration.parent().expect("folder")).expect("create folder");
    std::fs::write(
        &migration,
        "UPDATE public.accounts SET code = 'x';\nUPDATE public.tiny SET v = 1;\nUPDATE staging.events SET kind = 'k';\n",
    )
    .expect("write the migration");
    // The file the docs say to write, by the query they quote.
    let csv = pg.exec(
        "app",
        &format!(
            "COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)",
            zerodown::lint::STATS_QUERY
        ),
    );
    let stats = dir.join("stats.csv");
    std::fs::write(&stats, format!("{csv}\n")).expect("write stats");
    assert!(csv.starts_with("table,rows,bytes\n"), "{csv}");
    assert!(csv.contains("public.accounts,500,"), "{csv}");
    // A partitioned table sums its partitions; the partitions are not rows.
    assert!(csv.contains("staging.events,400,"), "{csv}");
    assert!(!csv.contains("events_1"), "{csv}");

    let large = |source: &[&str]| {
        let mut args = vec![
            "lint",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--large-rows",
            "300",
        ];
        args.extend_from_slice(source);
        let m = migration.display().to_string();
        args.push(&m);
        let (code, out, err) = zerodown(&args);
        assert_eq!(code, 0, "{err}");
        findings(&out)
            .iter()
            .filter_map(|f| {
                let m = f["message"].as_str()?;
                Some(
                    m.split_once("on the large table `")?
                        .1
                        .split('`')
                        .next()?
                        .to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let url = url(&pg, "app");
    let stats = stats.display().to_string();
    let from_db = large(&["--database-url", &url]);
    let from_file = large(&["--stats", &stats]);
    assert_eq!(from_db, ["public.accounts", "staging.events"]);
    assert_eq!(from_file, from_db);
    // Without sizes, --large-rows is refused; without either, nothing is large.
    let (code, _, _) = zerodown(&[
        "lint",
        "--large-rows",
        "1",
        &migration.display().to_string(),
    ]);
    assert_eq!(code, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_docs_quote_the_stats_query_as_it_is() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema.md"))
            .expect("docs/schema.md");
    assert!(
        docs.contains(zerodown::lint::STATS_QUERY),
        "docs/schema.md must quote lint::STATS_QUERY verbatim"
    );
}

#[test]
fn a_server_that_never_answers_is_an_error_within_the_deadline() {
    // Accepts the connection, then says nothing.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let hold = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
    let started = std::time::Instant::now();
    let err = zerodown::cli::database::query_within(
        &format!("postgres://alice:{PASSWORD}@127.0.0.1:{port}/app"),
        zerodown::lint::CATALOG_SESSION,
        &[zerodown::lint::CATALOG_QUERY],
        std::time::Duration::from_millis(500),
    )
    .expect_err("no answer");
    assert!(err.contains("no answer within 0.5 s"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(!err.contains(PASSWORD));
    drop(hold);
}

/// The server binaries of each major in `$ZERODOWN_PG_SERVERS` (default
/// `/var/tmp/zerodown-pg`, what `.ci/pg-servers` unpacks for the oracle).
fn servers() -> Option<Vec<(u32, PathBuf)>> {
    common::pg::servers(&[11, 12, 13, 14, 15, 16, 17, 18])
}

#[test]
fn the_live_catalog_reads_alike_on_postgresql_12_to_18() {
    let Some(servers) = servers() else { return };
    let dir = scratch("majors");
    let files = write_migrations(&dir.join("db/migrate"));
    let mut seen: Vec<(u32, Vec<String>)> = Vec::new();
    for (major, bin) in servers {
        let pg = Cluster::start_at(bin);
        pg.create_db("app");
        pg.exec("app", SCHEMA);
        let url = url(&pg, "app");
        let mut args = vec![
            "lint",
            "--format",
            "json",
            "--no-plans",
            "--fail-on",
            "never",
        ];
        args.extend(["--database-url", &url]);
        args.extend(files.iter().map(String::as_str));
        let (code, out, err) = zerodown(&args);
        if major < 12 {
            // The catalog query needs PostgreSQL 12: a clear error, exit 2.
            assert_eq!(code, 2, "PostgreSQL {major}: {out}{err}");
            assert!(
                err.contains("zerodown reads PostgreSQL 12 or later; this server is 11."),
                "{err}"
            );
            assert!(err.starts_with("error: --database-url "), "{err}");
            assert!(!err.contains(PASSWORD), "{err}");
            continue;
        }
        assert_eq!(code, 0, "PostgreSQL {major}: {err}");
        assert!(!err.contains("skipped"), "PostgreSQL {major}: {err}");
        let found = findings(&out);
        let all: Vec<String> = MIGRATIONS
            .iter()
            .flat_map(|(f, _)| {
                described(&found, f)
                    .into_iter()
                    .map(move |d| format!("{f}: {d}"))
            })
            .collect();
        assert!(
            all.iter().any(|d| d.contains("schema-mismatch")),
            "PostgreSQL {major}: {all:#?}"
        );
        seen.push((major, all));
    }
    let (first, reference) = &seen[0];
    for (major, all) in &seen[1..] {
        assert_eq!(all, reference, "PostgreSQL {major} and {first} disagree");
    }
    assert_eq!(seen.len(), 7);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `sql` with psql in `db` and returns its stderr (notices and debug
/// messages), panicking on failure.
fn psql_messages(pg: &Cluster, db: &str, sql: &str) -> String {
    let out = Command::new(pg.psql_path())
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
        .arg(pg.socket_dir())
        .args([
            "-p",
            &pg.port().to_string(),
            "-U",
            "postgres",
            "-d",
            db,
            "-c",
            sql,
        ])
        .output()
        .expect("run psql");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "psql failed on {sql}: {stderr}");
    stderr
}

/// The migration a reviewer sees alone in the merge request that ships the
/// last step of set-not-null: linted without a schema it is the full-table
/// scan under ACCESS EXCLUSIVE; linted against the schema dumped after the
/// earlier steps ran, it is clean, and PostgreSQL confirms it skips the
/// scan (its DEBUG1 message says the validated check proves the column).
#[test]
fn the_last_step_of_set_not_null_alone_is_clean_against_the_schema_and_skips_the_scan() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("snn");
    pg.exec(
        "snn",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n\
         INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 1000) g;",
    );
    // The plan's first two steps, as zerodown writes them.
    let dir = scratch("snn");
    let (code, _, err) = zerodown(&[
        "plan",
        "set-not-null",
        "users.email",
        "--format",
        "sql",
        "--out",
        dir.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    for step in [
        "01_add_users_email_not_null_check",
        "02_validate_users_email_not_null_check",
    ] {
        let sql = std::fs::read_to_string(dir.join(format!("M/post-deploy/{step}.sql")))
            .expect("the plan's step");
        pg.exec("snn", &sql);
    }
    let dump = dir.join("structure.sql");
    std::fs::write(&dump, pg_dump(&pg, "snn")).expect("write the dump");
    let last = dir.join("20240102_set_users_email_not_null.sql");
    std::fs::write(
        &last,
        "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
    )
    .expect("write the migration");
    let last = last.to_str().expect("UTF-8 path");
    let (_, alone, _) = zerodown(&["lint", "--format", "json", last]);
    assert_eq!(rules_in(&findings(&alone), last), ["set-not-null"]);
    let (code, with, err) = zerodown(&[
        "lint",
        "--format",
        "json",
        "--schema",
        dump.to_str().expect("UTF-8 path"),
        last,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        rules_in(&findings(&with), last),
        Vec::<String>::new(),
        "{with}"
    );
    // PostgreSQL agrees: the validated check proves the column, no scan.
    let messages = psql_messages(
        &pg,
        "snn",
        "SET client_min_messages = debug1; ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    );
    assert!(
        messages.contains("existing constraints on column \"users.email\" are sufficient to prove that it does not contain nulls"),
        "{messages}"
    );
}

/// The advice for an index on a partitioned table, known from the schema
/// (CONCURRENTLY is refused there): each statement it gives runs on
/// PostgreSQL, in order, outside a transaction, and leaves the parent's
/// index valid with every partition's index attached.
#[test]
fn the_partitioned_index_advice_runs_on_postgresql() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("parts");
    pg.exec(
        "parts",
        "CREATE TABLE events (id bigint NOT NULL, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at);\n\
         CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n\
         CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
         INSERT INTO events SELECT g, '2025-06-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 2000) g;",
    );
    // PostgreSQL refuses what the usual advice says.
    assert!(pg
        .run(
            "parts",
            "CREATE INDEX CONCURRENTLY i ON events (created_at);"
        )
        .is_err());
    let dir = scratch("parts");
    let dump = dir.join("structure.sql");
    std::fs::write(&dump, pg_dump(&pg, "parts")).expect("write the dump");
    let migration = dir.join("20240101_index_events.sql");
    std::fs::write(
        &migration,
        "CREATE INDEX index_events_on_created_at ON events (created_at);\n",
    )
    .expect("write the migration");
    let (_, out, err) = zerodown(&[
        "lint",
        "--format",
        "json",
        "--schema",
        dump.to_str().expect("UTF-8 path"),
        migration.to_str().expect("UTF-8 path"),
    ]);
    let found = findings(&out);
    let help = found
        .iter()
        .find(|f| f["rule"] == "add-index-non-concurrently")
        .and_then(|f| f["help"].as_str())
        .unwrap_or_else(|| panic!("no add-index-non-concurrently finding: {out}{err}"));
    // The statements of the advice, in its order: every `...;` in backquotes.
    let statements: Vec<&str> = help
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.ends_with(';') && !s.contains('<'))
        .collect();
    assert!(
        statements.len() >= 5,
        "ON ONLY, and per partition CONCURRENTLY and ATTACH: {statements:?}"
    );
    for s in &statements {
        pg.exec("parts", s);
    }
    let state = pg.exec(
        "parts",
        "SELECT i.indisvalid, (SELECT count(*) FROM pg_inherits WHERE inhparent = i.indexrelid) \
         FROM pg_index i WHERE i.indexrelid = 'index_events_on_created_at'::regclass;",
    );
    assert_eq!(
        state, "t|2",
        "the parent's index is valid with both partitions attached"
    );
}

/// Plans from the schema on PostgreSQL: the rollbacks of drop-index and
/// replace-view come from the dump (`pg_get_indexdef`, `pg_get_viewdef` as
/// pg_dump writes them) and from the live catalog alike, and they run: the
/// index and the view they recreate are the ones dropped. bigint-primary-key
/// lists the foreign keys that reference the key, with the integer one.
#[test]
fn rollbacks_from_the_schema_recreate_what_was_dropped_on_postgresql() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("rb");
    pg.exec(
        "rb",
        "CREATE TABLE projects (id integer PRIMARY KEY, name text, archived boolean NOT NULL DEFAULT false);\n\
         CREATE TABLE issues (id bigint PRIMARY KEY, project_id integer REFERENCES projects (id), title text);\n\
         CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint CONSTRAINT notes_project_fk REFERENCES projects (id));\n\
         CREATE INDEX index_issues_on_project_id_and_title ON issues USING btree (project_id, lower(title)) WHERE title IS NOT NULL;\n\
         CREATE VIEW active_projects AS SELECT p.id, p.name, count(i.id) AS open_issues FROM projects p LEFT JOIN issues i ON i.project_id = p.id WHERE NOT p.archived GROUP BY p.id;",
    );
    let dir = scratch("rollbacks");
    let dump = dir.join("structure.sql");
    std::fs::write(&dump, pg_dump(&pg, "rb")).expect("write the dump");
    let dump = dump.to_str().expect("UTF-8 path").to_string();
    let live = url(&pg, "rb");
    let plan = |args: &[&str], source: &[&str]| {
        let mut a = vec!["plan"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--format", "json"]);
        a.extend_from_slice(source);
        let (code, out, err) = zerodown(&a);
        assert_eq!(code, 0, "{a:?}: {err}");
        let plan: Value = serde_json::from_str(&out).expect("plan JSON");
        (plan, err)
    };
    let downs = |plan: &Value| -> Vec<String> {
        plan["releases"]
            .as_array()
            .expect("releases")
            .iter()
            .flat_map(|r| r["steps"].as_array().expect("steps").iter())
            .filter_map(|s| s["down"].as_str().map(str::to_string))
            .collect()
    };

    // drop-index: the same plan from the dump and from the database.
    let index = ["drop-index", "index_issues_on_project_id_and_title"];
    let (from_dump, notes) = plan(&index, &["--schema", &dump]);
    let (from_db, _) = plan(&index, &["--database-url", &live]);
    assert_eq!(from_dump, from_db);
    assert!(notes.contains("its table `public.issues`"), "{notes}");
    assert_eq!(from_dump["change"]["table"], "public.issues");
    let before = pg.exec(
        "rb",
        "SELECT pg_get_indexdef('index_issues_on_project_id_and_title'::regclass)",
    );
    pg.exec("rb", "DROP INDEX index_issues_on_project_id_and_title;");
    for down in downs(&from_dump) {
        pg.exec("rb", &down);
    }
    let after = pg.exec(
        "rb",
        "SELECT pg_get_indexdef('index_issues_on_project_id_and_title'::regclass)",
    );
    assert_eq!(before, after);

    // replace-view: the old view's query for the rollback, both ways.
    let view = [
        "replace-view",
        "active_projects",
        "active_projects_v2",
        "SELECT id, name FROM projects WHERE NOT archived",
    ];
    let (from_dump, notes) = plan(&view, &["--schema", &dump]);
    let (from_db, _) = plan(&view, &["--database-url", &live]);
    assert_eq!(from_dump, from_db);
    assert!(notes.contains("the query of `active_projects`"), "{notes}");
    let restore: Vec<String> = downs(&from_dump)
        .into_iter()
        .filter(|d| d.contains("CREATE VIEW"))
        .collect();
    assert_eq!(restore.len(), 1, "{from_dump}");
    let before = pg.exec("rb", "SELECT pg_get_viewdef('active_projects'::regclass)");
    pg.exec("rb", "DROP VIEW active_projects;");
    pg.exec("rb", &restore[0]);
    let after = pg.exec("rb", "SELECT pg_get_viewdef('active_projects'::regclass)");
    assert_eq!(before, after);

    // bigint-primary-key: the referencing keys, the integer one named.
    let key = ["bigint-primary-key", "projects.id"];
    let (_, notes) = plan(&key, &["--schema", &dump]);
    let (_, notes_db) = plan(&key, &["--database-url", &live]);
    for n in [&notes, &notes_db] {
        assert!(
            n.contains("2 foreign key(s) reference `projects`.`id`")
                && n.contains("`public.issues`.`project_id` (integer, `issues_project_id_fkey`)")
                && n.contains("`public.notes`.`project_id` (bigint, `notes_project_fk`)")
                && n.contains("public.issues.project_id still integer"),
            "{n}"
        );
    }
}

/// A concurrent index build that fails leaves an INVALID index behind. The
/// plan's index step, run again once the cause is gone, must end with a
/// valid index, not keep the invalid one (as `IF NOT EXISTS` would).
#[test]
fn a_failed_index_step_run_again_builds_a_valid_index_on_postgresql() {
    let Some(pg) = Cluster::start() else { return };
    pg.create_db("retry");
    pg.exec(
        "retry",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n\
         INSERT INTO users VALUES (1, 'a'), (2, 'a'), (3, 'b');",
    );
    let dir = scratch("retry");
    let (code, _, err) = zerodown(&[
        "plan",
        "add-index",
        "users.email",
        "--unique",
        "--format",
        "sql",
        "--out",
        dir.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let step =
        std::fs::read_to_string(dir.join("M/regular/01_add_index_unique_users_on_email.sql"))
            .expect("the plan's step");
    // psql runs each statement on its own (no transaction), as the step needs.
    let first = pg.run("retry", &step);
    assert!(
        first
            .as_ref()
            .is_err_and(|e| e.contains("could not create unique index")),
        "{first:?}"
    );
    let valid = "SELECT coalesce(bool_and(indisvalid)::text, 'none') FROM pg_index \
                 WHERE indexrelid = to_regclass('index_unique_users_on_email')";
    assert_eq!(
        pg.exec("retry", valid),
        "false",
        "the failed build left an INVALID index"
    );
    pg.exec("retry", "DELETE FROM users WHERE id = 2;");
    pg.exec("retry", &step);
    assert_eq!(pg.exec("retry", valid), "true");
}
