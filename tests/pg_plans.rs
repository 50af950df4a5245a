//! The zero-downtime proof on a real PostgreSQL server: for every change
//! kind, a table with data goes through its plan step by step. After each
//! step, every application version that may be live at that point (the old
//! code using the old schema, the new code the new one) inserts, updates and
//! reads, and nothing written before or between steps may be lost or
//! changed. At the end the catalog must equal the target schema, and rolling
//! every step back with its `down` must restore the original catalog.
//!
//! Needs Debian's PostgreSQL server binaries; see `tests/common/pg.rs` for
//! the skip policy (`ZERODOWN_SKIP_PG=1`).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::pg::Cluster;
use common::steps::{migration_sql, Live};
use zerodown::plan::{plan, PlanOptions, Step};
use zerodown::Change;

/// One application version's statements. `{v}` is the value written,
/// `{id}` the row updated. `insert` must return the new row's id.
#[derive(Clone)]
struct App {
    data: &'static str,
    insert: &'static str,
    update: &'static str,
    read: &'static str,
}

struct Scenario {
    change: Change,
    options: PlanOptions,
    /// Creates the schema (no data).
    schema: &'static str,
    /// Seeds rows; `{v}` is replaced per row, run 5 times per data set.
    seed: Vec<(&'static str, &'static str)>,
    old: Vec<App>,
    new: Vec<App>,
    /// The schema the change should end with, built from nothing.
    target: String,
    /// (query, expected output) after the last step.
    final_checks: Vec<(&'static str, &'static str)>,
    /// A `down` expected to refuse, with a word of its message.
    refusing_down: Option<&'static str>,
}

const CATALOG: &str = "SELECT x FROM (
  SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
         || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END AS x
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'rel ' || relname || ' ' || relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
  UNION ALL SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
         || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT 'trg ' || tgname FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'fn ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL SELECT 'seq ' || seqrelid::regclass || ' ' || format_type(seqtypid, NULL) || ' increment ' || seqincrement
         || CASE WHEN seqcycle THEN ' cycle' ELSE '' END FROM pg_sequence
  UNION ALL SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
) s ORDER BY x;";

struct Run<'a> {
    pg: &'a Cluster,
    db: String,
    expected: BTreeMap<&'static str, BTreeMap<i64, String>>,
    n: i64,
    log: Vec<String>,
}

impl Run<'_> {
    fn exercise(&mut self, app: &App, at: &str) -> Result<(), String> {
        self.n += 1;
        let v = format!("v{}", self.n);
        let id = self
            .pg
            .run(&self.db, &app.insert.replace("{v}", &v))
            .map_err(|e| format!("{at}: insert failed: {e}"))?;
        let id: i64 = id
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .ok_or_else(|| format!("{at}: insert returned `{id}`, not an id"))?;
        let map = self.expected.entry(app.data).or_default();
        map.insert(id, v);
        // Update the oldest row still present, with a fresh value.
        let target = *map.keys().next().ok_or("empty")?;
        self.n += 1;
        let v = format!("v{}", self.n);
        self.pg
            .run(
                &self.db,
                &app.update
                    .replace("{v}", &v)
                    .replace("{id}", &target.to_string()),
            )
            .map_err(|e| format!("{at}: update failed: {e}"))?;
        map.insert(target, v);
        let rows = self
            .pg
            .run(&self.db, app.read)
            .map_err(|e| format!("{at}: read failed: {e}"))?;
        let got: BTreeMap<i64, String> = rows
            .lines()
            .filter_map(|l| {
                let (id, v) = l.split_once('|')?;
                Some((id.parse().ok()?, v.to_string()))
            })
            .collect();
        if &got != map {
            return Err(format!(
                "{at}: rows differ for `{}`\nexpected {map:?}\n     got {got:?}",
                app.read
            ));
        }
        Ok(())
    }
}

fn prove(pg: &Cluster, name: &str, s: &Scenario) -> Result<(), String> {
    let p = plan(&s.change, &s.options).map_err(|e| format!("plan failed: {e}"))?;
    let steps: Vec<(usize, &Step)> = p.steps().collect();
    let db = format!("proof_{}", name.replace(['-', '/'], "_"));
    pg.create_db(&db);
    let target_db = format!("{db}_target");
    pg.create_db(&target_db);
    pg.exec(&target_db, &s.target);
    let target = pg.exec(&target_db, CATALOG);

    pg.exec(&db, s.schema);
    let mut run = Run {
        pg,
        db: db.clone(),
        expected: BTreeMap::new(),
        n: 0,
        log: Vec::new(),
    };
    for (data, seed) in &s.seed {
        for _ in 0..5 {
            run.n += 1;
            let v = format!("v{}", run.n);
            let id: i64 = pg
                .exec(&db, &seed.replace("{v}", &v))
                .trim()
                .parse()
                .map_err(|_| format!("seed `{seed}` must return the id"))?;
            run.expected.entry(data).or_default().insert(id, v);
        }
    }
    let initial = pg.exec(&db, CATALOG);

    // Which code runs at each position (position p = after p steps).
    let phases = Live::new(&steps);
    let live = |p: usize| -> Vec<App> {
        let mut apps = Vec::new();
        if phases.old(p) {
            apps.extend(s.old.iter().cloned());
        }
        if phases.new_code(p) {
            apps.extend(s.new.iter().cloned());
        }
        apps
    };

    for app in live(0) {
        run.exercise(&app, "before the first step")?;
    }
    for (i, (rel, step)) in steps.iter().enumerate() {
        let at = format!(
            "after step {} ({}, {}: {})",
            i + 1,
            p.releases[*rel].version,
            step.phase.as_str(),
            step.title
        );
        if let Some(sql) = &step.sql {
            pg.run(&db, &migration_sql(step, sql))
                .map_err(|e| format!("step {} `{}` failed: {e}\n{sql}", i + 1, step.title))?;
        }
        for app in live(i + 1) {
            run.exercise(&app, &at)?;
        }
        run.log.push(at);
    }
    let end = pg.exec(&db, CATALOG);
    if end != target {
        return Err(format!(
            "the final schema is not the target\n--- target\n{target}\n--- got\n{end}"
        ));
    }
    for (q, want) in &s.final_checks {
        if let Some(word) = want.strip_prefix("error: ") {
            match pg.run(&db, q) {
                Err(e) if e.contains(word) => continue,
                other => {
                    return Err(format!(
                        "final check `{q}`: expected an error with `{word}`, got {other:?}"
                    ))
                }
            }
        }
        let got = pg.exec(&db, q);
        if got.trim() != want.trim() {
            return Err(format!("final check `{q}`: expected `{want}`, got `{got}`"));
        }
    }

    // Roll back, last step first; after each, the code live at that point works.
    for (i, (_, step)) in steps.iter().enumerate().rev() {
        let Some(down) = &step.down else { continue };
        match pg.run(&db, &migration_sql(step, down)) {
            Ok(_) => {}
            Err(e) => {
                if let Some(word) = s.refusing_down {
                    if e.contains(word) {
                        return Ok(());
                    }
                }
                return Err(format!(
                    "rollback of step {} `{}` failed: {e}\n{down}",
                    i + 1,
                    step.title
                ));
            }
        }
        for app in live(i) {
            run.exercise(&app, &format!("after rolling back step {}", i + 1))?;
        }
    }
    if s.refusing_down.is_some() {
        return Err("a rollback was expected to refuse, and did not".into());
    }
    let back = pg.exec(&db, CATALOG);
    if back != initial {
        return Err(format!(
            "rolling back did not restore the schema\n--- initial\n{initial}\n--- got\n{back}"
        ));
    }
    Ok(())
}

fn opts() -> PlanOptions {
    PlanOptions {
        release: Some("16.4".into()),
        pg_version: zerodown::model::PgVersion::new(15).unwrap(),
        batch_size: 2,
        ..PlanOptions::default()
    }
}

const USERS: &str = "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz);";
const SEED_USERS: &str = "INSERT INTO users (name, email, updated_at) VALUES ('{v}', '{v}@example.com', now()) RETURNING id;";

fn users_app() -> App {
    App {
        data: "users",
        insert: "INSERT INTO users (name, email, updated_at) VALUES ('{v}', '{v}@example.com', now()) RETURNING id;",
        update: "UPDATE users SET name = '{v}', email = '{v}@example.com', updated_at = now() WHERE id = {id};",
        read: "SELECT id, name FROM users ORDER BY id;",
    }
}

/// bigint-primary-key's table: a metric and a note pointing at it per row.
const METRICS_INSERT: &str = "WITH m AS (INSERT INTO merge_request_metrics (note) VALUES ('{v}') RETURNING id), c AS (INSERT INTO metric_notes (metric_id) SELECT id FROM m) SELECT id FROM m;";

/// The same statements before and after the key becomes bigint.
fn metrics_app() -> App {
    App {
        data: "m",
        insert: METRICS_INSERT,
        update: "UPDATE merge_request_metrics SET note = '{v}' WHERE id = {id};",
        read: "SELECT m.id, m.note FROM merge_request_metrics m JOIN metric_notes n ON n.metric_id = m.id ORDER BY m.id;",
    }
}

/// A table named `a.b` in `public`, and a table `b` in schema `a`.
const DOTTED: &str = "CREATE TABLE \"a.b\" (id bigserial PRIMARY KEY, x text);\nCREATE SCHEMA a;\nCREATE TABLE a.b (id bigserial PRIMARY KEY, x text);";

fn dotted_app() -> App {
    App {
        data: "ab",
        insert: "INSERT INTO \"a.b\" (x) VALUES ('{v}') RETURNING id;",
        update: "UPDATE \"a.b\" SET x = '{v}' WHERE id = {id};",
        read: "SELECT id, x FROM \"a.b\" ORDER BY id;",
    }
}

/// The change of the one finding of `sql` that carries a plan.
fn linted_change(sql: &str) -> Change {
    let report = zerodown::lint(
        sql,
        "db/migrate/20240101_x.sql",
        &zerodown::LintOptions::default(),
    )
    .unwrap();
    let mut changes = report
        .findings
        .iter()
        .filter_map(|f| f.plan.as_ref())
        .map(|p| p.change.clone());
    let change = changes.next().unwrap();
    assert!(
        changes.next().is_none(),
        "{sql}: more than one planned finding"
    );
    change
}

fn scenarios() -> Vec<(&'static str, Scenario)> {
    let users_target = |extra: &str| format!("{USERS}\n{extra}");
    vec![
        ("drop-column", Scenario {
            change: Change::DropColumn { table: "users".into(), column: "updated_at".into() },
            options: PlanOptions { column_type: Some("timestamptz".into()), ..opts() },
            schema: USERS,
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO users (name, email) VALUES ('{v}', '{v}@example.com') RETURNING id;",
                update: "UPDATE users SET name = '{v}' WHERE id = {id};",
                read: "SELECT id, name FROM users ORDER BY id;",
            }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text);".into(),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("rename-column", Scenario {
            change: Change::RenameColumn { table: "users".into(), column: "username".into(), new_name: "handle".into(), column_type: None, has_default: false },
            options: opts(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, username text NOT NULL CONSTRAINT users_username_check CHECK (char_length(username) <= 40), email text);",
            seed: vec![("users", "INSERT INTO users (username, email) VALUES ('{v}', 'e') RETURNING id;")],
            old: vec![App {
                data: "users",
                insert: "INSERT INTO users (username, email) VALUES ('{v}', 'old') RETURNING id;",
                update: "UPDATE users SET username = '{v}' WHERE id = {id};",
                read: "SELECT id, username FROM users ORDER BY id;",
            }],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO users (handle, email) VALUES ('{v}', 'new') RETURNING id;",
                update: "UPDATE users SET handle = '{v}' WHERE id = {id};",
                read: "SELECT id, handle FROM users ORDER BY id;",
            }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, email text, handle text NOT NULL CONSTRAINT users_handle_check CHECK (char_length(handle) <= 40));".into(),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("change-column-type", Scenario {
            change: Change::ChangeColumnType { table: "users".into(), column: "settings".into(), new_type: "jsonb".into(), using: Some("settings::jsonb".into()), column_type: Some("text".into()) },
            options: opts(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, settings text NOT NULL DEFAULT '{}', name text);",
            seed: vec![("users", "INSERT INTO users (settings) VALUES ('{\"k\": \"{v}\"}') RETURNING id;")],
            old: vec![App {
                data: "users",
                insert: "INSERT INTO users (settings, name) VALUES ('{\"k\": \"{v}\"}', 'old') RETURNING id;",
                update: "UPDATE users SET settings = '{\"k\": \"{v}\"}' WHERE id = {id};",
                read: "SELECT id, settings::jsonb ->> 'k' FROM users ORDER BY id;",
            }],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO users (settings, name) VALUES ('{\"k\": \"{v}\"}', 'new') RETURNING id;",
                update: "UPDATE users SET settings = '{\"k\": \"{v}\"}' WHERE id = {id};",
                read: "SELECT id, settings::jsonb ->> 'k' FROM users ORDER BY id;",
            }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, name text, settings jsonb NOT NULL DEFAULT ('{}'::text)::jsonb);".into(),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("change-column-default", Scenario {
            change: Change::ChangeColumnDefault { table: "users".into(), column: "state".into(), default: Some("'active'".into()) },
            options: PlanOptions { previous_default: Some("'pending'".into()), ..opts() },
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text, state text NOT NULL DEFAULT 'pending');",
            seed: vec![("users", "INSERT INTO users (name) VALUES ('{v}') RETURNING id;")],
            old: vec![App {
                data: "users",
                insert: "INSERT INTO users (name, state) VALUES ('{v}', 'pending') RETURNING id;",
                update: "UPDATE users SET name = '{v}' WHERE id = {id};",
                read: "SELECT id, name FROM users ORDER BY id;",
            }],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO users (name, state) VALUES ('{v}', 'active') RETURNING id;",
                update: "UPDATE users SET name = '{v}' WHERE id = {id};",
                read: "SELECT id, name FROM users ORDER BY id;",
            }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, name text, state text NOT NULL DEFAULT 'active');".into(),
            final_checks: vec![("SELECT count(*) FROM users WHERE state = 'pending' AND name IS NULL", "0")],
            refusing_down: None,
        }),
        ("set-not-null", Scenario {
            change: Change::SetNotNull { table: "users".into(), column: "email".into() },
            options: opts(),
            schema: USERS,
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![users_app()],
            target: USERS.replace("email text", "email text NOT NULL"),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("add-check-constraint", Scenario {
            change: Change::AddCheckConstraint { table: "users".into(), name: Some("users_name_length".into()), expression: "char_length(name) <= 40".into() },
            options: opts(),
            schema: USERS,
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![users_app()],
            target: users_target("ALTER TABLE users ADD CONSTRAINT users_name_length CHECK (char_length(name) <= 40);"),
            final_checks: vec![("INSERT INTO users (name) VALUES (repeat('x', 41))", "error: violates check constraint \"users_name_length\"")],
            refusing_down: None,
        }),
        ("add-foreign-key", Scenario {
            change: Change::AddForeignKey { table: "issues".into(), columns: vec!["project_id".into()], ref_table: "projects".into(), ref_columns: vec!["id".into()], name: None, on_delete: Some("cascade".into()) },
            options: opts(),
            schema: "CREATE TABLE projects (id bigserial PRIMARY KEY, name text); INSERT INTO projects (name) SELECT 'p' || i FROM generate_series(1, 3) i;\nCREATE TABLE issues (id bigserial PRIMARY KEY, project_id bigint NOT NULL, title text);",
            seed: vec![("issues", "INSERT INTO issues (project_id, title) VALUES (1, '{v}') RETURNING id;")],
            old: vec![App { data: "issues", insert: "INSERT INTO issues (project_id, title) VALUES (2, '{v}') RETURNING id;", update: "UPDATE issues SET title = '{v}' WHERE id = {id};", read: "SELECT id, title FROM issues ORDER BY id;" }],
            new: vec![App { data: "issues", insert: "INSERT INTO issues (project_id, title) VALUES (3, '{v}') RETURNING id;", update: "UPDATE issues SET title = '{v}' WHERE id = {id};", read: "SELECT id, title FROM issues ORDER BY id;" }],
            target: "CREATE TABLE projects (id bigserial PRIMARY KEY, name text);\nCREATE TABLE issues (id bigserial PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE, title text);".into(),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("add-unique-constraint", Scenario {
            change: Change::AddUniqueConstraint { table: "users".into(), columns: vec!["email".into()], name: None, primary_key: false },
            options: opts(),
            schema: USERS,
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![users_app()],
            target: USERS.replace("email text", "email text UNIQUE"),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("add-index", Scenario {
            change: Change::AddIndex { table: "users".into(), columns: vec!["email".into()], name: None, unique: false, method: None, predicate: Some("email IS NOT NULL".into()) },
            options: opts(),
            schema: USERS,
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![users_app()],
            target: users_target("CREATE INDEX index_users_on_email ON users (email) WHERE email IS NOT NULL;"),
            final_checks: vec![],
            refusing_down: None,
        }),
        // A table literally named `a.b` next to table `b` of schema `a`: the
        // change comes from linting the statement, and the index must land
        // on the quoted table, not in schema `a`.
        ("add-index/quoted-dotted-table", Scenario {
            change: linted_change("CREATE INDEX i ON \"a.b\" (x);"),
            options: opts(),
            schema: DOTTED,
            seed: vec![("ab", "INSERT INTO \"a.b\" (x) VALUES ('{v}') RETURNING id;")],
            old: vec![dotted_app()],
            new: vec![dotted_app()],
            target: format!("{DOTTED}\nCREATE INDEX i ON \"a.b\" (x);"),
            final_checks: vec![
                ("SELECT schemaname || '|' || tablename FROM pg_indexes WHERE indexname = 'i';", "public|a.b"),
                ("SELECT count(*) FROM pg_indexes WHERE schemaname = 'a' AND indexname <> 'b_pkey';", "0"),
            ],
            refusing_down: None,
        }),
        // An index literally named `a.k` next to index `k` of schema `a`:
        // the plan drops the quoted one only.
        ("drop-index/quoted-dotted-name", Scenario {
            change: linted_change("DROP INDEX \"a.k\";"),
            options: PlanOptions { index_definition: Some("CREATE INDEX \"a.k\" ON public.\"a.b\" USING btree (x)".into()), ..opts() },
            schema: "CREATE TABLE \"a.b\" (id bigserial PRIMARY KEY, x text);\nCREATE SCHEMA a;\nCREATE TABLE a.b (id bigserial PRIMARY KEY, x text);\nCREATE INDEX \"a.k\" ON \"a.b\" (x);\nCREATE INDEX k ON a.b (x);",
            seed: vec![("ab", "INSERT INTO \"a.b\" (x) VALUES ('{v}') RETURNING id;")],
            old: vec![dotted_app()],
            new: vec![dotted_app()],
            target: format!("{DOTTED}\nCREATE INDEX k ON a.b (x);"),
            final_checks: vec![
                ("SELECT count(*) FROM pg_indexes WHERE indexname = 'a.k';", "0"),
                ("SELECT schemaname || '|' || tablename FROM pg_indexes WHERE indexname = 'k';", "a|b"),
            ],
            refusing_down: None,
        }),
        ("drop-index", Scenario {
            change: Change::DropIndex { name: "index_users_on_email".into(), table: Some("users".into()) },
            options: PlanOptions { index_definition: Some("CREATE INDEX index_users_on_email ON public.users USING btree (email)".into()), ..opts() },
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz);\nCREATE INDEX index_users_on_email ON users (email);",
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![users_app()],
            target: USERS.into(),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("drop-table", Scenario {
            change: Change::DropTable { table: "legacy_events".into() },
            options: opts(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz);\nCREATE TABLE legacy_events (id bigserial PRIMARY KEY, name text);",
            seed: vec![("users", SEED_USERS), ("legacy", "INSERT INTO legacy_events (name) VALUES ('{v}') RETURNING id;")],
            old: vec![users_app(), App { data: "legacy", insert: "INSERT INTO legacy_events (name) VALUES ('{v}') RETURNING id;", update: "UPDATE legacy_events SET name = '{v}' WHERE id = {id};", read: "SELECT id, name FROM legacy_events ORDER BY id;" }],
            new: vec![users_app()],
            target: USERS.into(),
            final_checks: vec![],
            refusing_down: Some("restore it from a backup"),
        }),
        ("rename-table", Scenario {
            change: Change::RenameTable { table: "users".into(), new_name: "accounts".into() },
            options: opts(),
            schema: USERS,
            seed: vec![("users", SEED_USERS)],
            old: vec![users_app()],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO accounts (name, email) VALUES ('{v}', 'x') RETURNING id;",
                update: "UPDATE accounts SET name = '{v}' WHERE id = {id};",
                read: "SELECT id, name FROM accounts ORDER BY id;",
            }],
            target: users_target("ALTER TABLE users RENAME TO accounts;"),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("bigint-primary-key", Scenario {
            change: Change::BigintPrimaryKey { table: "merge_request_metrics".into(), column: "id".into() },
            options: opts(),
            schema: "CREATE TABLE merge_request_metrics (id serial PRIMARY KEY, note text);\nCREATE TABLE metric_notes (id serial PRIMARY KEY, metric_id integer REFERENCES merge_request_metrics (id));",
            seed: vec![("m", METRICS_INSERT)],
            old: vec![metrics_app()],
            new: vec![metrics_app()],
            target: "CREATE TABLE merge_request_metrics (id bigserial PRIMARY KEY, note text);\nCREATE TABLE metric_notes (id serial PRIMARY KEY, metric_id integer REFERENCES merge_request_metrics (id));".into(),
            final_checks: vec![("SELECT count(*) FROM metric_notes n LEFT JOIN merge_request_metrics m ON m.id = n.metric_id WHERE m.id IS NULL", "0")],
            refusing_down: None,
        }),
        // An identity key (GENERATED ALWAYS: the old code cannot give ids
        // itself) with a step of 3 and a cache: the identity moves to the
        // bigint column and keeps counting from where its sequence stood.
        ("bigint-primary-key/identity", Scenario {
            change: Change::BigintPrimaryKey { table: "merge_request_metrics".into(), column: "id".into() },
            options: opts(),
            schema: "CREATE TABLE merge_request_metrics (id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY 3 CACHE 5) PRIMARY KEY, note text);\nCREATE TABLE metric_notes (id serial PRIMARY KEY, metric_id integer REFERENCES merge_request_metrics (id));",
            seed: vec![("m", METRICS_INSERT)],
            old: vec![metrics_app()],
            new: vec![metrics_app()],
            target: "CREATE TABLE merge_request_metrics (id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 3 CACHE 5) PRIMARY KEY, note text);\nCREATE TABLE metric_notes (id serial PRIMARY KEY, metric_id integer REFERENCES merge_request_metrics (id));".into(),
            final_checks: vec![
                ("SELECT count(*) FROM metric_notes n LEFT JOIN merge_request_metrics m ON m.id = n.metric_id WHERE m.id IS NULL", "0"),
                // Ids went on in steps of 3 from 1, with no reuse.
                ("SELECT count(*) FROM merge_request_metrics WHERE id % 3 <> 1", "0"),
                ("SELECT seqcache FROM pg_sequence WHERE seqrelid = 'merge_request_metrics_id_seq'::regclass", "5"),
            ],
            refusing_down: None,
        }),
        ("backfill", Scenario {
            change: Change::Backfill { table: "users".into(), set: "score = char_length(name)".into(), predicate: Some("score IS NULL".into()), batch_size: Some(2) },
            options: opts(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, score integer);",
            seed: vec![("users", "INSERT INTO users (name) VALUES ('{v}') RETURNING id;")],
            old: vec![App { data: "users", insert: "INSERT INTO users (name) VALUES ('{v}') RETURNING id;", update: "UPDATE users SET name = '{v}' WHERE id = {id};", read: "SELECT id, name FROM users ORDER BY id;" }],
            new: vec![App { data: "users", insert: "INSERT INTO users (name, score) VALUES ('{v}', char_length('{v}')) RETURNING id;", update: "UPDATE users SET name = '{v}' WHERE id = {id};", read: "SELECT id, name FROM users ORDER BY id;" }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, score integer);".into(),
            final_checks: vec![("SELECT count(*) FROM users WHERE score IS NULL", "0")],
            refusing_down: None,
        }),
        ("rename-enum-value", Scenario {
            change: Change::RenameEnumValue { type_name: "issue_state".into(), value: "open".into(), new_value: "opened".into() },
            options: opts(),
            schema: "CREATE TYPE issue_state AS ENUM ('open', 'closed');\nCREATE TABLE issues (id bigserial PRIMARY KEY, title text, state issue_state NOT NULL DEFAULT 'open');\nCREATE TABLE issue_events (event_id bigserial PRIMARY KEY, state issue_state);",
            seed: vec![
                ("issues", "INSERT INTO issues (title) VALUES ('{v}') RETURNING id;"),
                ("events", "INSERT INTO issue_events (state) VALUES ('open') RETURNING event_id;"),
            ],
            old: vec![App {
                data: "issues",
                insert: "INSERT INTO issues (title, state) VALUES ('{v}', 'open') RETURNING id;",
                update: "UPDATE issues SET title = '{v}', state = 'open' WHERE id = {id};",
                read: "SELECT id, title FROM issues ORDER BY id;",
            }],
            new: vec![App {
                data: "issues",
                insert: "INSERT INTO issues (title, state) VALUES ('{v}', 'opened') RETURNING id;",
                update: "UPDATE issues SET title = '{v}', state = 'opened' WHERE id = {id};",
                read: "SELECT id, title FROM issues ORDER BY id;",
            }],
            target: "CREATE TYPE issue_state AS ENUM ('open', 'opened', 'closed');\nCREATE TABLE issues (id bigserial PRIMARY KEY, title text, state issue_state NOT NULL DEFAULT 'opened');\nCREATE TABLE issue_events (event_id bigserial PRIMARY KEY, state issue_state);".into(),
            final_checks: vec![
                ("SELECT count(*) FROM issues WHERE state = 'open'", "0"),
                // A table without the batch column is relabeled in one statement.
                ("SELECT string_agg(DISTINCT state::text, ',') FROM issue_events", "opened"),
                ("SELECT string_agg(enumlabel::text, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'issue_state'::regtype", "open,opened,closed"),
            ],
            refusing_down: None,
        }),
        ("replace-view", Scenario {
            change: Change::ReplaceView { view: "active_users".into(), new_name: "active_people".into(), definition: "SELECT id, name AS full_name FROM users WHERE email IS NOT NULL".into() },
            options: PlanOptions { view_definition: Some(" SELECT users.id,\n    users.name\n   FROM users\n  WHERE (users.email IS NOT NULL);".into()), ..opts() },
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz);\nCREATE VIEW active_users AS SELECT id, name FROM users WHERE email IS NOT NULL;",
            seed: vec![("users", SEED_USERS)],
            old: vec![App {
                data: "users",
                insert: "INSERT INTO users (name, email) VALUES ('{v}', 'x') RETURNING id;",
                update: "UPDATE active_users SET name = '{v}' WHERE id = {id};",
                read: "SELECT id, name FROM active_users ORDER BY id;",
            }],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO users (name, email) VALUES ('{v}', 'x') RETURNING id;",
                update: "UPDATE active_people SET full_name = '{v}' WHERE id = {id};",
                read: "SELECT id, full_name FROM active_people ORDER BY id;",
            }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, updated_at timestamptz);\nCREATE VIEW active_people AS SELECT id, name AS full_name FROM users WHERE email IS NOT NULL;".into(),
            final_checks: vec![],
            refusing_down: None,
        }),
        ("data-format-change", Scenario {
            change: Change::DataFormatChange { table: "users".into(), column: "settings".into(), new_column: "settings_json".into(), new_type: "jsonb".into(), transform: "settings::jsonb".into() },
            options: opts(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, settings text);",
            seed: vec![("users", "INSERT INTO users (settings) VALUES ('{\"k\": \"{v}\"}') RETURNING id;")],
            old: vec![App {
                data: "users",
                insert: "INSERT INTO users (settings) VALUES ('{\"k\": \"{v}\"}') RETURNING id;",
                update: "UPDATE users SET settings = '{\"k\": \"{v}\"}' WHERE id = {id};",
                read: "SELECT id, settings::jsonb ->> 'k' FROM users ORDER BY id;",
            }],
            new: vec![App {
                data: "users",
                insert: "INSERT INTO users (settings, settings_json) VALUES ('{\"k\": \"{v}\"}', '{\"k\": \"{v}\"}') RETURNING id;",
                update: "UPDATE users SET settings = '{\"k\": \"{v}\"}', settings_json = '{\"k\": \"{v}\"}' WHERE id = {id};",
                read: "SELECT id, settings_json ->> 'k' FROM users ORDER BY id;",
            }],
            target: "CREATE TABLE users (id bigserial PRIMARY KEY, settings text, settings_json jsonb);".into(),
            final_checks: vec![("SELECT count(*) FROM users WHERE settings_json IS DISTINCT FROM settings::jsonb", "0")],
            refusing_down: None,
        }),
    ]
}

#[test]
fn every_change_kind_is_zero_downtime_on_postgres() {
    let Some(pg) = Cluster::start() else { return };
    let all = scenarios();
    let kinds: Vec<&str> = all.iter().map(|(k, _)| *k).collect();
    // Every kind has a scenario of its own name; variants are `kind/variant`.
    for k in Change::KINDS {
        assert!(kinds.contains(k), "no PostgreSQL proof for {k}");
    }
    let mut failures = Vec::new();
    for (kind, s) in &all {
        // `kind` or `kind/variant`.
        assert_eq!(s.change.kind(), kind.split('/').next().unwrap_or(kind));
        match prove(&pg, kind, s) {
            Ok(()) => eprintln!("proven on PostgreSQL: {kind}"),
            Err(e) => failures.push(format!("== {kind}\n{e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_index_on_a_renamed_column_is_listed_then_accepted_once_copied() {
    let Some(pg) = Cluster::start() else { return };
    let change = Change::RenameColumn {
        table: "users".into(),
        column: "username".into(),
        new_name: "handle".into(),
        column_type: Some("text".into()),
        has_default: false,
    };
    let p = plan(&change, &opts()).unwrap();
    let steps: Vec<&Step> = p.steps().map(|(_, s)| s).collect();
    let guard = steps
        .iter()
        .position(|s| s.name.starts_with("check_"))
        .unwrap();
    pg.create_db("guard");
    pg.exec("guard", "CREATE TABLE users (id bigserial PRIMARY KEY, username text); CREATE INDEX index_users_on_username ON users (username); INSERT INTO users (username) VALUES ('a'), ('b');");
    for s in &steps[..guard] {
        pg.exec("guard", &migration_sql(s, s.sql.as_deref().unwrap()));
    }
    let g = &steps[guard];
    let err = pg
        .run("guard", &migration_sql(g, g.sql.as_deref().unwrap()))
        .unwrap_err();
    let wanted =
        "CREATE INDEX CONCURRENTLY index_users_on_handle ON public.users USING btree (handle);";
    assert!(err.contains(wanted), "{err}");
    pg.exec("guard", wanted);
    pg.exec("guard", &migration_sql(g, g.sql.as_deref().unwrap()));
}
