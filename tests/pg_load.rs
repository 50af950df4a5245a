//! Plans under load (issue 24): every change kind's plan is applied step by
//! step to a table of `ROWS` rows while concurrent sessions, each a thread
//! with its own connection, run the old and the new application's inserts,
//! updates and reads in short transactions, switching versions where the
//! plan's application steps say (`common::steps::Live`, as in
//! `pg_plans.rs`). One of the sessions uses server-side prepared statements
//! (prepared once per connection, executed again and again, as Rails, JDBC,
//! Npgsql and pgx do); the others prepare per query. Before every migration
//! step a long read transaction (`READER_HOLD`) takes its lock on the
//! scenario's tables, as a report or a `pg_dump` would; it ends when the step
//! ends or when its time is up.
//!
//! Every workload query is timed. For every plan kind the test asserts:
//! - no workload error (and every read returns the value last acknowledged);
//! - no row lost: each acknowledged write is there with its value at the end;
//! - no query stalled longer than the plan's lock timeout plus
//!   `STALL_MARGIN`;
//! - every migration step succeeds (a step that gives up on its lock timeout
//!   fails the plan, unless the plan retries by itself).
//!
//! It prints a per-kind summary (queries, errors, max latency, rows
//! checked). Run: `cargo test --test pg_load -- --nocapture`.
//!
//! Needs Debian's PostgreSQL server binaries; see `tests/common/pg.rs` for
//! the skip policy (`ZERODOWN_SKIP_PG=1`).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use common::pg::Cluster;
use common::steps::{migration_sql, Live};
use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use zerodown::plan::{plan, PlanOptions, Step};
use zerodown::Change;

/// Rows seeded in each scenario's main table: enough that a table rewrite,
/// a full scan under an exclusive lock or a slow backfill shows, small
/// enough that the 17 kinds run in about a minute on 2 cores.
const ROWS: u32 = 100_000;

/// Sessions that prepare every query anew (prepared statements off).
const PLAIN_SESSIONS: usize = 3;
/// Sessions that prepare each statement once and execute it repeatedly.
const PREPARED_SESSIONS: usize = 1;

/// How long the long read transaction stays open at most when a step
/// starts: longer than any lock timeout a plan should use, so a step that
/// waits for it stalls traffic visibly (the issue measured 2.95 s stalls
/// with a 3 s reader and the 5 s default).
const READER_HOLD: Duration = Duration::from_secs(3);

/// What a workload query may take beyond the plan's lock timeout. A query
/// queued behind a step's lock request waits at most the lock timeout; on
/// top of that come the step's own time while it holds the lock (catalog
/// changes, instant on this table size) and the query's own run time on a
/// shared 2-core machine (normally 1-5 ms here, under 100 ms when the
/// machine is busy with a build; 1 s of scheduler and fsync noise would be
/// exceptional). 700 ms keeps the bound (0.9 s with a 200 ms lock timeout)
/// well below the stalls the issue reports (2.95 s behind a 3 s reader,
/// 5 s on the 5 s timeout), so those fail, while noise does not.
const STALL_MARGIN: Duration = Duration::from_millis(700);

/// The least time the workload runs at each position between steps; and it
/// runs until every session has done at least `MIN_ROUNDS` rounds there.
const DWELL: Duration = Duration::from_millis(150);
const MIN_ROUNDS: u64 = 2;

/// A session's pause between rounds: continuous traffic that still leaves
/// the 2 cores to the steps.
const THINK: Duration = Duration::from_millis(2);

/// The tests of this file run one at a time: each measures latencies, and a
/// second load on the same 2 cores would make them measure each other.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The plan options of every scenario. The only line to change when plans
/// gain lock retries or new defaults. `ZERODOWN_LOAD_LOCK_TIMEOUT` overrides
/// the timeout for an experiment (e.g. `5s`, today's default, to see the
/// stall it allows).
fn load_options() -> PlanOptions {
    let lock_timeout =
        std::env::var("ZERODOWN_LOAD_LOCK_TIMEOUT").unwrap_or_else(|_| "200ms".into());
    PlanOptions {
        release: Some("16.4".into()),
        pg_version: zerodown::model::PgVersion::new(15).unwrap(),
        lock_timeout,
        ..PlanOptions::default()
    }
}

/// One application version's statements, with parameters. `insert` takes
/// the value ($1) and returns the new row's id; `update` the value ($1) and
/// the id ($2); `read` the id ($1) and returns the value in its first
/// column; `all` returns (id, value) for every row. With `json`, the value
/// is written as `{"k": value}` and read back from key `k`.
#[derive(Clone, Copy)]
struct App {
    version: &'static str,
    data: &'static str,
    json: bool,
    insert: &'static str,
    update: &'static str,
    read: &'static str,
    all: &'static str,
}

struct Load {
    change: Change,
    options: PlanOptions,
    /// Creates the tables.
    schema: &'static str,
    /// Fills them; `{rows}` is `ROWS`.
    seed: &'static str,
    /// What the long reader reads (those that exist when a step starts).
    tables: &'static [&'static str],
    old: Vec<App>,
    new: Vec<App>,
}

// ---- values sent and read as text, whatever the column's type ----

/// A parameter sent in text format with whatever type the server inferred
/// (as Rails and pgx send strings), so one statement works before and after
/// a column changes type.
#[derive(Debug)]
struct Txt(String);

impl ToSql for Txt {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        out.extend_from_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    fn encode_format(&self, _: &Type) -> postgres::types::Format {
        postgres::types::Format::Text
    }
    to_sql_checked!();
}

/// A result value of any type the scenarios use, as text.
struct Val(String);

impl<'a> FromSql<'a> for Val {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        let s = match *ty {
            Type::INT2 => i16::from_sql(ty, raw)?.to_string(),
            Type::INT4 => i32::from_sql(ty, raw)?.to_string(),
            Type::INT8 => i64::from_sql(ty, raw)?.to_string(),
            // Binary jsonb: a version byte, then the text.
            Type::JSONB => std::str::from_utf8(raw.get(1..).unwrap_or_default())?.to_string(),
            _ => std::str::from_utf8(raw)?.to_string(),
        };
        Ok(Val(s))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The value a column holds: the text, or key `k` of a JSON object.
fn value_of(v: Option<Val>) -> String {
    let Some(Val(s)) = v else {
        return "NULL".into();
    };
    if s.starts_with('{') {
        if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(&s) {
            if let Some(serde_json::Value::String(k)) = o.get("k") {
                return k.clone();
            }
        }
    }
    s
}

fn as_written(app: &App, v: &str) -> String {
    if app.json {
        format!("{{\"k\": \"{v}\"}}")
    } else {
        v.to_string()
    }
}

// ---- the workload ----

/// One timed workload query.
struct Rec {
    phase: usize,
    version: &'static str,
    session: usize,
    op: &'static str,
    sql: &'static str,
    latency: Duration,
    error: Option<String>,
}

/// What runs now: the phase (an index into the phase labels) and the
/// application versions live in it (indices into the scenario's apps).
struct Current {
    phase: usize,
    apps: Vec<usize>,
    /// The release deployed (`Live::deployed`): a new deployment means new
    /// processes, whose prepared-statement caches start empty.
    deploy: isize,
    /// The deployed release serves without server-side prepared statements,
    /// as its plan says (`Live::unprepared`).
    unprepared: bool,
}

struct Shared {
    current: RwLock<Arc<Current>>,
    stop: AtomicBool,
    rounds: Vec<AtomicU64>,
}

struct SessionOut {
    recs: Vec<Rec>,
    /// Acknowledged values of the rows this session wrote, per data set.
    written: HashMap<&'static str, HashMap<i64, String>>,
    reads_checked: u64,
}

fn connect(pg: &Cluster, db: &str) -> Result<Client, postgres::Error> {
    postgres::Config::new()
        .host_path(pg.socket_dir())
        .port(pg.port())
        .user("postgres")
        .dbname(db)
        .application_name("zerodown-load")
        .connect(NoTls)
}

fn error_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{}: {}", d.severity(), d.message()),
        None => e.to_string(),
    }
}

struct Session<'a> {
    id: usize,
    client: Client,
    prepared: Option<HashMap<&'static str, Statement>>,
    /// Prepared statements are off for now (the plan says so).
    unprepared: bool,
    apps: &'a [App],
    phase: usize,
    recs: Vec<Rec>,
}

impl Session<'_> {
    /// Runs one statement, timed and recorded.
    fn query(
        &mut self,
        app: usize,
        op: &'static str,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, ()> {
        let start = Instant::now();
        let result = match &mut self.prepared {
            Some(cache) if !self.unprepared => {
                let stmt = match cache.get(sql) {
                    Some(s) => Ok(s.clone()),
                    None => self.client.prepare(sql).inspect(|s| {
                        cache.insert(sql, s.clone());
                    }),
                };
                stmt.and_then(|s| self.client.query(&s, params))
            }
            // Prepared statements off: each query is parsed, bound and run
            // in one round trip (an unnamed statement, as libpq's
            // PQexecParams and the drivers' "prepared statements off" modes
            // send it), its parameter types left to the server.
            // (`Client::query` would describe the statement in a round trip
            // of its own first, and a swap committing between the two fails
            // the query the way a stale prepared statement does.)
            _ => {
                let typed: Vec<(&(dyn ToSql + Sync), Type)> =
                    params.iter().map(|p| (*p, Type::UNKNOWN)).collect();
                self.client.query_typed(sql, &typed)
            }
        };
        let error = result.as_ref().err().map(error_text);
        self.record(app, op, sql, start.elapsed(), error);
        result.map_err(|_| ())
    }

    fn control(&mut self, app: usize, sql: &'static str) -> Result<(), ()> {
        let start = Instant::now();
        let result = self.client.batch_execute(sql);
        let error = result.as_ref().err().map(error_text);
        self.record(app, sql, sql, start.elapsed(), error);
        result.map_err(|_| ())
    }

    fn fail(&mut self, app: usize, op: &'static str, sql: &'static str, error: String) {
        self.record(app, op, sql, Duration::ZERO, Some(error));
    }

    /// Records one query of the running application version.
    fn record(
        &mut self,
        app: usize,
        op: &'static str,
        sql: &'static str,
        latency: Duration,
        error: Option<String>,
    ) {
        self.recs.push(Rec {
            phase: self.phase,
            version: self.apps[app].version,
            session: self.id,
            op,
            sql,
            latency,
            error,
        });
    }
}

/// A small deterministic generator: which owned row to update or read.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One session: rounds of (BEGIN; insert; update an owned row; COMMIT) and
/// a read of an owned row checked against its acknowledged value, with the
/// application version the current phase runs. Rows are owned by one
/// session, so every acknowledged value is known exactly.
fn session(
    pg: &Cluster,
    db: &str,
    id: usize,
    prepared: bool,
    apps: &[App],
    mut owned: HashMap<&'static str, Vec<(i64, String)>>,
    shared: &Shared,
) -> SessionOut {
    let client = connect(pg, db).unwrap_or_else(|e| panic!("session {id} cannot connect: {e}"));
    let mut s = Session {
        id,
        client,
        prepared: prepared.then(HashMap::new),
        unprepared: false,
        apps,
        phase: 0,
        recs: Vec::new(),
    };
    let mut values: HashMap<&'static str, HashMap<i64, String>> = owned
        .iter()
        .map(|(d, rows)| (*d, rows.iter().cloned().collect()))
        .collect();
    let mut ids: HashMap<&'static str, Vec<i64>> = owned
        .drain()
        .map(|(d, rows)| (d, rows.into_iter().map(|(i, _)| i).collect()))
        .collect();
    let mut written: HashMap<&'static str, HashMap<i64, String>> = HashMap::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((id as u64 + 1) * 0x1000_0001));
    let mut reads_checked = 0;
    let mut round: usize = 0;
    let mut deploy = None;
    while !shared.stop.load(Ordering::Relaxed) {
        let cur = shared.current.read().unwrap().clone();
        s.phase = cur.phase;
        s.unprepared = cur.unprepared;
        if deploy != Some(cur.deploy) {
            // A deployment: new processes prepare their statements afresh.
            deploy = Some(cur.deploy);
            if let Some(cache) = &mut s.prepared {
                cache.clear();
            }
        }
        if cur.apps.is_empty() {
            thread::sleep(THINK);
            continue;
        }
        let ai = cur.apps[(round + id) % cur.apps.len()];
        round += 1;
        let app = apps[ai];
        let owned_ids = ids.get_mut(app.data).expect("owned rows");
        let target = owned_ids[rng.below(owned_ids.len())];
        let v1 = format!("s{id}r{round}i");
        let v2 = format!("s{id}r{round}u");
        let (w1, w2) = (Txt(as_written(&app, &v1)), Txt(as_written(&app, &v2)));
        let tid = Txt(target.to_string());
        // The write transaction.
        let ok = (|| {
            s.control(ai, "BEGIN")?;
            let rows = s.query(ai, "insert", app.insert, &[&w1])?;
            let new_id = match rows.first().map(|r| r.try_get::<_, Val>(0)) {
                Some(Ok(Val(v))) => v.parse::<i64>().map_err(|_| ())?,
                _ => {
                    s.fail(ai, "insert", app.insert, "returned no id".into());
                    return Err(());
                }
            };
            s.query(ai, "update", app.update, &[&w2, &tid])?;
            s.control(ai, "COMMIT")?;
            Ok(new_id)
        })();
        match ok {
            Ok(new_id) => {
                owned_ids.push(new_id);
                let vals = values.entry(app.data).or_default();
                vals.insert(new_id, v1.clone());
                vals.insert(target, v2.clone());
                let w = written.entry(app.data).or_default();
                w.insert(new_id, v1);
                w.insert(target, v2);
            }
            Err(()) => {
                let _ = s.client.batch_execute("ROLLBACK");
            }
        }
        // A read of an owned row, checked.
        let owned_ids = &ids[app.data];
        let rid = owned_ids[rng.below(owned_ids.len())];
        if let Ok(rows) = s.query(ai, "read", app.read, &[&Txt(rid.to_string())]) {
            let want = &values[app.data][&rid];
            match rows.first() {
                None => s.fail(ai, "read-check", app.read, format!("row {rid} is missing")),
                Some(r) => {
                    let got = value_of(r.try_get::<_, Option<Val>>(0).ok().flatten());
                    if &got != want {
                        s.fail(
                            ai,
                            "read-check",
                            app.read,
                            format!("row {rid}: read `{got}`, last acknowledged `{want}`"),
                        );
                    } else {
                        reads_checked += 1;
                    }
                }
            }
        }
        shared.rounds[id].fetch_add(1, Ordering::Relaxed);
        thread::sleep(THINK);
    }
    SessionOut {
        recs: s.recs,
        written,
        reads_checked,
    }
}

/// A long read transaction on the scenario's tables, open until `done`
/// says so or `READER_HOLD` has passed. Sends on `ready` once it holds its
/// locks. Returns how long it stayed open.
fn long_reader(
    pg: &Cluster,
    db: &str,
    tables: &[&str],
    ready: mpsc::Sender<Result<(), String>>,
    done: mpsc::Receiver<()>,
) -> Result<Duration, String> {
    let run = || -> Result<Client, postgres::Error> {
        let mut c = connect(pg, db)?;
        c.batch_execute("BEGIN")?;
        for t in tables {
            let exists: bool = c
                .query_one("SELECT to_regclass($1) IS NOT NULL", &[t])?
                .get(0);
            if exists {
                c.batch_execute(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 10) s"
                ))?;
            }
        }
        Ok(c)
    };
    let start = Instant::now();
    let mut c = match run() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("the long reader failed: {}", error_text(&e));
            let _ = ready.send(Err(msg.clone()));
            return Err(msg);
        }
    };
    let _ = ready.send(Ok(()));
    let _ = done.recv_timeout(READER_HOLD);
    c.batch_execute("COMMIT")
        .map_err(|e| format!("the long reader's COMMIT failed: {}", error_text(&e)))?;
    Ok(start.elapsed())
}

// ---- lock timeouts ----

/// A PostgreSQL duration (`200ms`, `5s`, `1min`; a bare number is ms).
fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim().trim_matches('\'').trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    let ms = match unit.trim() {
        "" | "ms" => n,
        "us" => n / 1000.0,
        "s" => n * 1000.0,
        "min" => n * 60_000.0,
        "h" => n * 3_600_000.0,
        _ => return None,
    };
    Some(Duration::from_micros((ms * 1000.0) as u64))
}

/// The longest lock wait the plan allows one statement: the options'
/// `lock_timeout`, or a longer one written in any step's SQL
/// (`lock_timeout = '…'` / `TO '…'`).
fn lock_bound(options: &PlanOptions, steps: &[(usize, &Step)]) -> Duration {
    let mut bound = parse_duration(&options.lock_timeout)
        .unwrap_or_else(|| panic!("cannot read lock_timeout `{}`", options.lock_timeout));
    for (_, st) in steps {
        for sql in [&st.sql, &st.down].into_iter().flatten() {
            let lower = sql.to_ascii_lowercase();
            for (at, _) in lower.match_indices("lock_timeout") {
                let rest = lower[at + "lock_timeout".len()..].trim_start();
                let rest = rest
                    .strip_prefix('=')
                    .or_else(|| rest.strip_prefix("to "))
                    .map(str::trim_start);
                if let Some(lit) = rest.and_then(|r| r.strip_prefix('\'')) {
                    if let Some(d) = lit.split('\'').next().and_then(parse_duration) {
                        bound = bound.max(d);
                    }
                }
            }
        }
    }
    bound
}

// ---- one scenario ----

struct Outcome {
    failures: Vec<String>,
    summary: String,
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

/// Applies the plan of `s.change` under load.
fn load(pg: &Cluster, kind: &str, s: &Load) -> Outcome {
    let p = plan(&s.change, &s.options).unwrap_or_else(|e| panic!("{kind}: plan failed: {e}"));
    let steps: Vec<(usize, &Step)> = p.steps().collect();
    let releases: Vec<String> = p.releases.iter().map(|r| r.version.clone()).collect();
    load_steps(pg, kind, s, &steps, &releases)
}

/// Applies `steps` (release index, step) under load.
fn load_steps(
    pg: &Cluster,
    kind: &str,
    s: &Load,
    steps: &[(usize, &Step)],
    releases: &[String],
) -> Outcome {
    let bound = lock_bound(&s.options, steps) + STALL_MARGIN;
    let db = format!("load_{}", kind.replace(['-', '/'], "_"));
    pg.create_db(&db);
    pg.exec(&db, s.schema);
    pg.exec(&db, &s.seed.replace("{rows}", &ROWS.to_string()));
    pg.exec(&db, "VACUUM ANALYZE;");

    let apps: Vec<App> = s.old.iter().chain(&s.new).copied().collect();
    let n_old = s.old.len();
    let live = Live::new(steps);
    let live_at = |p: usize| -> Vec<usize> {
        (0..apps.len())
            .filter(|&i| {
                if i < n_old {
                    live.old(p)
                } else {
                    live.new_code(p)
                }
            })
            .collect()
    };

    // Every row present before the load, with its value.
    let mut client = connect(pg, &db).unwrap_or_else(|e| panic!("{kind}: connect: {e}"));
    let read_all = |client: &mut Client, app: &App| -> Result<BTreeMap<i64, String>, String> {
        client
            .query(app.all, &[])
            .map_err(|e| format!("`{}` failed: {}", app.all, error_text(&e)))?
            .iter()
            .map(|r| {
                let id = r.try_get::<_, Val>(0).map_err(|e| e.to_string())?.0;
                let v = value_of(r.try_get::<_, Option<Val>>(1).map_err(|e| e.to_string())?);
                Ok((id.parse::<i64>().map_err(|e| e.to_string())?, v))
            })
            .collect()
    };
    let mut expected: BTreeMap<&'static str, BTreeMap<i64, String>> = BTreeMap::new();
    for i in live_at(0) {
        let app = &apps[i];
        if !expected.contains_key(app.data) {
            let rows = read_all(&mut client, app).unwrap_or_else(|e| panic!("{kind}: {e}"));
            expected.insert(app.data, rows);
        }
    }

    let sessions = PLAIN_SESSIONS + PREPARED_SESSIONS;
    let mut labels = vec!["before the first step".to_string()];
    let shared = Shared {
        current: RwLock::new(Arc::new(Current {
            phase: 0,
            apps: live_at(0),
            deploy: live.deployed(0),
            unprepared: live.unprepared(0),
        })),
        stop: AtomicBool::new(false),
        rounds: (0..sessions).map(|_| AtomicU64::new(0)).collect(),
    };
    // `code_at`: the position whose deployed code runs (during a step, the
    // code from before it).
    let set_phase = |label_idx: usize, apps: Vec<usize>, code_at: usize| {
        *shared.current.write().unwrap() = Arc::new(Current {
            phase: label_idx,
            apps,
            deploy: live.deployed(code_at),
            unprepared: live.unprepared(code_at),
        });
    };
    // Runs the workload at least DWELL and MIN_ROUNDS rounds per session
    // (at most 10 s).
    let dwell = || {
        let start: Vec<u64> = shared
            .rounds
            .iter()
            .map(|r| r.load(Ordering::Relaxed))
            .collect();
        let t = Instant::now();
        while t.elapsed() < DWELL
            || (t.elapsed() < Duration::from_secs(10)
                && shared
                    .rounds
                    .iter()
                    .zip(&start)
                    .any(|(r, s)| r.load(Ordering::Relaxed) < s + MIN_ROUNDS))
        {
            thread::sleep(Duration::from_millis(10));
        }
    };

    let mut failures = Vec::new();
    let mut reached = 0;
    let mut step_times = Vec::new();
    let outs: Vec<SessionOut> = thread::scope(|scope| {
        let handles: Vec<_> = (0..sessions)
            .map(|id| {
                // Session `id` owns every `sessions`-th existing row.
                let owned: HashMap<&'static str, Vec<(i64, String)>> = expected
                    .iter()
                    .map(|(d, rows)| {
                        let mine = rows
                            .iter()
                            .skip(id)
                            .step_by(sessions)
                            .map(|(i, v)| (*i, v.clone()))
                            .collect();
                        (*d, mine)
                    })
                    .collect();
                let (apps, shared, db) = (&apps, &shared, &db);
                scope.spawn(move || session(pg, db, id, id >= PLAIN_SESSIONS, apps, owned, shared))
            })
            .collect();

        dwell();
        for (i, (rel, step)) in steps.iter().enumerate() {
            let title = format!(
                "step {} ({}, {}: {})",
                i + 1,
                releases[*rel],
                step.phase.as_str(),
                step.title
            );
            if let (true, Some(sql)) = (step.is_migration(), &step.sql) {
                // During the step: the code live both before and after it.
                let during: Vec<usize> = live_at(i)
                    .into_iter()
                    .filter(|a| live_at(i + 1).contains(a))
                    .collect();
                labels.push(format!("during {title}"));
                set_phase(labels.len() - 1, during, i);
                let (ready_tx, ready_rx) = mpsc::channel();
                let (done_tx, done_rx) = mpsc::channel();
                let db = &db;
                let reader = scope.spawn(move || long_reader(pg, db, s.tables, ready_tx, done_rx));
                if let Ok(Err(e)) | Err(e) = ready_rx
                    .recv()
                    .map_err(|_| "the long reader did not start".to_string())
                {
                    failures.push(format!("{title}: {e}"));
                }
                let start = Instant::now();
                let result = pg.run(db, &migration_sql(step, sql));
                let took = start.elapsed();
                let _ = done_tx.send(());
                let held = reader.join().expect("reader thread");
                step_times.push(took);
                if let Err(e) = held {
                    failures.push(format!("{title}: {e}"));
                }
                if let Err(e) = result {
                    failures.push(format!(
                        "{title} FAILED after {} ms (long reader open, lock timeout {}):\n{}\n--- SQL:\n{sql}",
                        ms(took),
                        s.options.lock_timeout,
                        e.trim()
                    ));
                    // Run again once the reader is gone, as whoever runs the
                    // migrations would, to load the rest of the plan too.
                    if let Err(e) = pg.run(db, &migration_sql(step, sql)) {
                        failures.push(format!(
                            "{title} FAILED again without the reader, the rest of the plan is not run:\n{}",
                            e.trim()
                        ));
                        break;
                    }
                }
            }
            reached = i + 1;
            labels.push(format!("after {title}"));
            set_phase(labels.len() - 1, live_at(i + 1), i + 1);
            dwell();
        }
        shared.stop.store(true, Ordering::Relaxed);
        handles
            .into_iter()
            .map(|h| h.join().expect("session thread"))
            .collect()
    });

    // Errors and stalls.
    let recs: Vec<&Rec> = outs.iter().flat_map(|o| &o.recs).collect();
    let queries = recs.len();
    let errors: Vec<&&Rec> = recs.iter().filter(|r| r.error.is_some()).collect();
    // Grouped by phase, code version, statement and message (numbers
    // blanked out), with the first message as the example.
    type Group<'r> = (usize, BTreeMap<usize, usize>, &'r str, &'r str);
    let mut by_error: BTreeMap<(usize, &str, &str, String), Group> = BTreeMap::new();
    for r in &errors {
        let e = r.error.as_deref().unwrap_or_default();
        let e = e.lines().next().unwrap_or_default();
        let mut shape = String::new();
        for c in e.chars() {
            if !c.is_ascii_digit() {
                shape.push(c);
            } else if !shape.ends_with('#') {
                shape.push('#');
            }
        }
        let entry = by_error
            .entry((r.phase, r.version, r.op, shape))
            .or_insert((0, BTreeMap::new(), r.sql, e));
        entry.0 += 1;
        *entry.1.entry(r.session).or_default() += 1;
    }
    for ((phase, version, op, _), (n, sessions, sql, e)) in by_error.iter().take(12) {
        let who: Vec<String> = sessions
            .iter()
            .map(|(id, n)| {
                let kind = if *id >= PLAIN_SESSIONS {
                    "prepared "
                } else {
                    ""
                };
                format!("{kind}session {id}: {n}")
            })
            .collect();
        failures.push(format!(
            "{n} workload error(s) {}: {version} code, {op} `{sql}` ({}): {e}",
            labels[*phase],
            who.join(", ")
        ));
    }
    if by_error.len() > 12 {
        failures.push(format!(
            "... {} workload errors in all, of {} kinds",
            errors.len(),
            by_error.len()
        ));
    }
    let max = recs.iter().max_by_key(|r| r.latency);
    let mut stalls: Vec<&&Rec> = recs.iter().filter(|r| r.latency > bound).collect();
    stalls.sort_by_key(|r| std::cmp::Reverse(r.latency));
    for r in stalls.iter().take(5) {
        failures.push(format!(
            "stall: {} ms > {} ms (lock timeout {} + margin {} ms) {}: {} code, {} `{}`{}",
            ms(r.latency),
            ms(bound),
            s.options.lock_timeout,
            ms(STALL_MARGIN),
            labels[r.phase],
            r.version,
            r.op,
            r.sql,
            r.error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ));
    }
    if stalls.len() > 5 {
        failures.push(format!("... {} stalled queries in all", stalls.len()));
    }

    // No row lost: every data set the code still reads at the end.
    for o in &outs {
        for (d, rows) in &o.written {
            let e = expected.entry(d).or_default();
            for (id, v) in rows {
                e.insert(*id, v.clone());
            }
        }
    }
    let mut rows_checked = 0;
    let mut seen = Vec::new();
    for i in live_at(reached) {
        let app = &apps[i];
        if seen.contains(&app.data) {
            continue;
        }
        seen.push(app.data);
        let want = &expected[app.data];
        match read_all(&mut client, app) {
            Err(e) => failures.push(format!("rows: {e}")),
            Ok(got) => {
                rows_checked += want.len();
                let lost: Vec<_> = want
                    .iter()
                    .filter(|(id, _)| !got.contains_key(id))
                    .collect();
                let changed: Vec<_> = want
                    .iter()
                    .filter_map(|(id, v)| got.get(id).filter(|g| *g != v).map(|g| (id, v, g)))
                    .collect();
                if !lost.is_empty() {
                    failures.push(format!(
                        "{} acknowledged row(s) of {} lost (of {}), e.g. {:?}",
                        lost.len(),
                        app.data,
                        want.len(),
                        &lost[..lost.len().min(3)]
                    ));
                }
                if !changed.is_empty() {
                    failures.push(format!(
                        "{} row(s) of {} lost their acknowledged value (of {}), e.g. (id, acknowledged, found) {:?}",
                        changed.len(),
                        app.data,
                        want.len(),
                        &changed[..changed.len().min(3)]
                    ));
                }
            }
        }
    }
    let reads: u64 = outs.iter().map(|o| o.reads_checked).sum();
    let summary = format!(
        "{kind:<22} steps {:>2}/{:<2} queries {queries:>6}  errors {:>5}  max latency {:>5} ms (bound {} ms{})  reads checked {reads:>5}  rows checked {rows_checked:>6}  migration time {} ms",
        reached,
        steps.len(),
        errors.len(),
        max.map_or("0".into(), |r| ms(r.latency)),
        ms(bound),
        max.filter(|r| r.latency > bound)
            .map(|r| format!(", {}", labels[r.phase]))
            .unwrap_or_default(),
        ms(step_times.iter().sum()),
    );
    Outcome { failures, summary }
}

// ---- the scenarios ----

/// Rails' users table: `t.timestamps` makes both NOT NULL, without a default.
const USERS: &str = "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, created_at timestamp NOT NULL, updated_at timestamp NOT NULL);";
const SEED_USERS: &str = "INSERT INTO users (name, email, created_at, updated_at) SELECT 'seed' || i, 'seed' || i || '@example.com', now(), now() FROM generate_series(1, {rows}) i;";

/// The users code that writes every column.
fn users_app(version: &'static str) -> App {
    App {
        version,
        data: "users",
        json: false,
        insert: "INSERT INTO users (name, email, created_at, updated_at) VALUES ($1, $1 || '@example.com', now(), now()) RETURNING id",
        update: "UPDATE users SET name = $1, email = $1 || '@example.com', updated_at = now() WHERE id = $2",
        read: "SELECT name FROM users WHERE id = $1",
        all: "SELECT id, name FROM users",
    }
}

fn same(app: fn(&'static str) -> App) -> (Vec<App>, Vec<App>) {
    (vec![app("old")], vec![app("new")])
}

fn metrics_app(version: &'static str) -> App {
    App {
        version,
        data: "metrics",
        json: false,
        insert: "WITH m AS (INSERT INTO merge_request_metrics (note) VALUES ($1) RETURNING id), c AS (INSERT INTO metric_notes (metric_id) SELECT id FROM m) SELECT id FROM m",
        update: "UPDATE merge_request_metrics SET note = $1 WHERE id = $2",
        read: "SELECT m.note FROM merge_request_metrics m JOIN metric_notes n ON n.metric_id = m.id WHERE m.id = $1",
        all: "SELECT m.id, m.note FROM merge_request_metrics m JOIN metric_notes n ON n.metric_id = m.id",
    }
}

fn issues_app(version: &'static str) -> App {
    App {
        version,
        data: "issues",
        json: false,
        insert: "INSERT INTO issues (project_id, title) VALUES (2, $1) RETURNING id",
        update: "UPDATE issues SET title = $1 WHERE id = $2",
        read: "SELECT title FROM issues WHERE id = $1",
        all: "SELECT id, title FROM issues",
    }
}

fn settings_app(version: &'static str) -> App {
    App {
        version,
        data: "users",
        json: true,
        insert: "INSERT INTO users (settings, name) VALUES ($1, 'x') RETURNING id",
        update: "UPDATE users SET settings = $1 WHERE id = $2",
        read: "SELECT settings FROM users WHERE id = $1",
        all: "SELECT id, settings FROM users",
    }
}

fn scenarios() -> Vec<(&'static str, Load)> {
    let o = load_options;
    let users = |change: Change, options: PlanOptions, schema: &'static str| {
        let (old, new) = same(users_app);
        Load {
            change,
            options,
            schema,
            seed: SEED_USERS,
            tables: &["users"],
            old,
            new,
        }
    };
    vec![
        // updated_at is NOT NULL without a default: the new code, which no
        // longer writes it, must still be able to insert.
        ("drop-column", Load {
            change: Change::DropColumn { table: "users".into(), column: "updated_at".into() },
            options: PlanOptions { column_type: Some("timestamp".into()), ..o() },
            schema: USERS,
            seed: SEED_USERS,
            tables: &["users"],
            old: vec![users_app("old")],
            new: vec![App {
                version: "new",
                data: "users",
                json: false,
                insert: "INSERT INTO users (name, email, created_at) VALUES ($1, $1 || '@example.com', now()) RETURNING id",
                update: "UPDATE users SET name = $1, email = $1 || '@example.com' WHERE id = $2",
                read: "SELECT name FROM users WHERE id = $1",
                all: "SELECT id, name FROM users",
            }],
        }),
        // username is NOT NULL without a default; the new code writes only handle.
        ("rename-column", Load {
            change: Change::RenameColumn { table: "users".into(), column: "username".into(), new_name: "handle".into(), column_type: None, has_default: false },
            options: o(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, username text NOT NULL, email text, created_at timestamp NOT NULL, updated_at timestamp NOT NULL);",
            seed: "INSERT INTO users (username, email, created_at, updated_at) SELECT 'seed' || i, 'e', now(), now() FROM generate_series(1, {rows}) i;",
            tables: &["users"],
            old: vec![App {
                version: "old",
                data: "users",
                json: false,
                insert: "INSERT INTO users (username, email, created_at, updated_at) VALUES ($1, 'old', now(), now()) RETURNING id",
                update: "UPDATE users SET username = $1, updated_at = now() WHERE id = $2",
                read: "SELECT username FROM users WHERE id = $1",
                all: "SELECT id, username FROM users",
            }],
            new: vec![App {
                version: "new",
                data: "users",
                json: false,
                insert: "INSERT INTO users (handle, email, created_at, updated_at) VALUES ($1, 'new', now(), now()) RETURNING id",
                update: "UPDATE users SET handle = $1, updated_at = now() WHERE id = $2",
                read: "SELECT handle FROM users WHERE id = $1",
                all: "SELECT id, handle FROM users",
            }],
        }),
        // The same statements before and after: the prepared-statement
        // session keeps them prepared across the swap.
        ("change-column-type", {
            let (old, new) = same(settings_app);
            Load {
                change: Change::ChangeColumnType { table: "users".into(), column: "settings".into(), new_type: "jsonb".into(), using: Some("settings::jsonb".into()), column_type: Some("text".into()) },
                options: o(),
                schema: "CREATE TABLE users (id bigserial PRIMARY KEY, settings text NOT NULL DEFAULT '{}', name text);",
                seed: "INSERT INTO users (settings, name) SELECT '{\"k\": \"seed' || i || '\"}', 'x' FROM generate_series(1, {rows}) i;",
                tables: &["users"],
                old,
                new,
            }
        }),
        ("change-column-default", Load {
            change: Change::ChangeColumnDefault { table: "users".into(), column: "state".into(), default: Some("'active'".into()) },
            options: PlanOptions { previous_default: Some("'pending'".into()), ..o() },
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text, state text NOT NULL DEFAULT 'pending');",
            seed: "INSERT INTO users (name) SELECT 'seed' || i FROM generate_series(1, {rows}) i;",
            tables: &["users"],
            old: vec![App { version: "old", data: "users", json: false, insert: "INSERT INTO users (name, state) VALUES ($1, 'pending') RETURNING id", update: "UPDATE users SET name = $1 WHERE id = $2", read: "SELECT name FROM users WHERE id = $1", all: "SELECT id, name FROM users" }],
            new: vec![App { version: "new", data: "users", json: false, insert: "INSERT INTO users (name, state) VALUES ($1, 'active') RETURNING id", update: "UPDATE users SET name = $1 WHERE id = $2", read: "SELECT name FROM users WHERE id = $1", all: "SELECT id, name FROM users" }],
        }),
        ("set-not-null", users(Change::SetNotNull { table: "users".into(), column: "email".into() }, o(), USERS)),
        ("add-check-constraint", users(Change::AddCheckConstraint { table: "users".into(), name: Some("users_name_length".into()), expression: "char_length(name) <= 40".into() }, o(), USERS)),
        ("add-foreign-key", {
            let (old, new) = same(issues_app);
            Load {
                change: Change::AddForeignKey { table: "issues".into(), columns: vec!["project_id".into()], ref_table: "projects".into(), ref_columns: vec!["id".into()], name: None, on_delete: Some("cascade".into()) },
                options: o(),
                schema: "CREATE TABLE projects (id bigserial PRIMARY KEY, name text); CREATE TABLE issues (id bigserial PRIMARY KEY, project_id bigint NOT NULL, title text);",
                seed: "INSERT INTO projects (name) SELECT 'p' || i FROM generate_series(1, 3) i; INSERT INTO issues (project_id, title) SELECT 1 + i % 3, 'seed' || i FROM generate_series(1, {rows}) i;",
                tables: &["issues", "projects"],
                old,
                new,
            }
        }),
        ("add-unique-constraint", users(Change::AddUniqueConstraint { table: "users".into(), columns: vec!["email".into()], name: None, primary_key: false }, o(), USERS)),
        ("add-index", users(Change::AddIndex { table: "users".into(), columns: vec!["email".into()], name: None, unique: false, method: None, predicate: Some("email IS NOT NULL".into()) }, o(), USERS)),
        ("drop-index", users(
            Change::DropIndex { name: "index_users_on_email".into(), table: Some("users".into()) },
            PlanOptions { index_definition: Some("CREATE INDEX index_users_on_email ON public.users USING btree (email)".into()), ..o() },
            "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, created_at timestamp NOT NULL, updated_at timestamp NOT NULL); CREATE INDEX index_users_on_email ON users (email);",
        )),
        ("drop-table", Load {
            change: Change::DropTable { table: "legacy_events".into() },
            options: o(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, created_at timestamp NOT NULL, updated_at timestamp NOT NULL); CREATE TABLE legacy_events (id bigserial PRIMARY KEY, name text);",
            seed: "INSERT INTO users (name, email, created_at, updated_at) SELECT 'seed' || i, 'seed' || i || '@example.com', now(), now() FROM generate_series(1, {rows}) i; INSERT INTO legacy_events (name) SELECT 'seed' || i FROM generate_series(1, {rows}) i;",
            tables: &["users", "legacy_events"],
            old: vec![users_app("old"), App { version: "old", data: "legacy", json: false, insert: "INSERT INTO legacy_events (name) VALUES ($1) RETURNING id", update: "UPDATE legacy_events SET name = $1 WHERE id = $2", read: "SELECT name FROM legacy_events WHERE id = $1", all: "SELECT id, name FROM legacy_events" }],
            new: vec![users_app("new")],
        }),
        ("rename-table", Load {
            change: Change::RenameTable { table: "users".into(), new_name: "accounts".into() },
            options: o(),
            schema: USERS,
            seed: SEED_USERS,
            tables: &["users", "accounts"],
            old: vec![users_app("old")],
            new: vec![App {
                version: "new",
                data: "users",
                json: false,
                insert: "INSERT INTO accounts (name, email, created_at, updated_at) VALUES ($1, $1 || '@example.com', now(), now()) RETURNING id",
                update: "UPDATE accounts SET name = $1, email = $1 || '@example.com', updated_at = now() WHERE id = $2",
                read: "SELECT name FROM accounts WHERE id = $1",
                all: "SELECT id, name FROM accounts",
            }],
        }),
        ("bigint-primary-key", {
            let (old, new) = same(metrics_app);
            Load {
                change: Change::BigintPrimaryKey { table: "merge_request_metrics".into(), column: "id".into() },
                options: o(),
                schema: "CREATE TABLE merge_request_metrics (id serial PRIMARY KEY, note text); CREATE TABLE metric_notes (id serial PRIMARY KEY, metric_id integer REFERENCES merge_request_metrics (id));",
                seed: "INSERT INTO merge_request_metrics (note) SELECT 'seed' || i FROM generate_series(1, {rows}) i; INSERT INTO metric_notes (metric_id) SELECT id FROM merge_request_metrics;",
                tables: &["merge_request_metrics", "metric_notes"],
                old,
                new,
            }
        }),
        ("backfill", Load {
            change: Change::Backfill { table: "users".into(), set: "score = char_length(name)".into(), predicate: Some("score IS NULL".into()), batch_size: None },
            options: o(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, score integer);",
            seed: "INSERT INTO users (name) SELECT 'seed' || i FROM generate_series(1, {rows}) i;",
            tables: &["users"],
            old: vec![App { version: "old", data: "users", json: false, insert: "INSERT INTO users (name) VALUES ($1) RETURNING id", update: "UPDATE users SET name = $1 WHERE id = $2", read: "SELECT name FROM users WHERE id = $1", all: "SELECT id, name FROM users" }],
            new: vec![App { version: "new", data: "users", json: false, insert: "INSERT INTO users (name, score) VALUES ($1, char_length($1)) RETURNING id", update: "UPDATE users SET name = $1 WHERE id = $2", read: "SELECT name FROM users WHERE id = $1", all: "SELECT id, name FROM users" }],
        }),
        ("rename-enum-value", Load {
            change: Change::RenameEnumValue { type_name: "issue_state".into(), value: "open".into(), new_value: "opened".into() },
            options: o(),
            schema: "CREATE TYPE issue_state AS ENUM ('open', 'closed'); CREATE TABLE issues (id bigserial PRIMARY KEY, title text, state issue_state NOT NULL DEFAULT 'open');",
            seed: "INSERT INTO issues (title) SELECT 'seed' || i FROM generate_series(1, {rows}) i;",
            tables: &["issues"],
            old: vec![App { version: "old", data: "issues", json: false, insert: "INSERT INTO issues (title, state) VALUES ($1, 'open') RETURNING id", update: "UPDATE issues SET title = $1, state = 'open' WHERE id = $2", read: "SELECT title FROM issues WHERE id = $1", all: "SELECT id, title FROM issues" }],
            new: vec![App { version: "new", data: "issues", json: false, insert: "INSERT INTO issues (title, state) VALUES ($1, 'opened') RETURNING id", update: "UPDATE issues SET title = $1, state = 'opened' WHERE id = $2", read: "SELECT title FROM issues WHERE id = $1", all: "SELECT id, title FROM issues" }],
        }),
        ("replace-view", Load {
            change: Change::ReplaceView { view: "active_users".into(), new_name: "active_people".into(), definition: "SELECT id, name AS full_name FROM users WHERE email IS NOT NULL".into() },
            options: PlanOptions { view_definition: Some("SELECT id, name FROM users WHERE email IS NOT NULL".into()), ..o() },
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, created_at timestamptz, updated_at timestamptz); CREATE VIEW active_users AS SELECT id, name FROM users WHERE email IS NOT NULL;",
            seed: SEED_USERS,
            tables: &["users", "active_users"],
            old: vec![App { version: "old", data: "users", json: false, insert: "INSERT INTO users (name, email) VALUES ($1, $1 || '@example.com') RETURNING id", update: "UPDATE active_users SET name = $1 WHERE id = $2", read: "SELECT name FROM active_users WHERE id = $1", all: "SELECT id, name FROM active_users" }],
            new: vec![App { version: "new", data: "users", json: false, insert: "INSERT INTO users (name, email) VALUES ($1, $1 || '@example.com') RETURNING id", update: "UPDATE active_people SET full_name = $1 WHERE id = $2", read: "SELECT full_name FROM active_people WHERE id = $1", all: "SELECT id, full_name FROM active_people" }],
        }),
        ("data-format-change", Load {
            change: Change::DataFormatChange { table: "users".into(), column: "settings".into(), new_column: "settings_json".into(), new_type: "jsonb".into(), transform: "settings::jsonb".into() },
            options: o(),
            schema: "CREATE TABLE users (id bigserial PRIMARY KEY, settings text);",
            seed: "INSERT INTO users (settings) SELECT '{\"k\": \"seed' || i || '\"}' FROM generate_series(1, {rows}) i;",
            tables: &["users"],
            old: vec![App { version: "old", data: "users", json: true, insert: "INSERT INTO users (settings) VALUES ($1) RETURNING id", update: "UPDATE users SET settings = $1 WHERE id = $2", read: "SELECT settings FROM users WHERE id = $1", all: "SELECT id, settings FROM users" }],
            new: vec![App { version: "new", data: "users", json: true, insert: "INSERT INTO users (settings, settings_json) VALUES ($1::text, $1::text::jsonb) RETURNING id", update: "UPDATE users SET settings = $1::text, settings_json = $1::text::jsonb WHERE id = $2", read: "SELECT settings_json FROM users WHERE id = $1", all: "SELECT id, settings_json FROM users" }],
        }),
    ]
}

#[test]
fn every_plan_holds_under_load_on_postgres() {
    let _serial = one_at_a_time();
    let Some(pg) = Cluster::start() else { return };
    let all = scenarios();
    let kinds: Vec<&str> = all.iter().map(|(k, _)| *k).collect();
    for k in Change::KINDS {
        assert!(kinds.contains(k), "no load scenario for {k}");
    }
    let only = std::env::var("ZERODOWN_LOAD_ONLY").ok();
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    let started = Instant::now();
    for (kind, s) in &all {
        assert_eq!(s.change.kind(), *kind);
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|k| k == *kind))
        {
            continue;
        }
        let out = load(&pg, kind, s);
        eprintln!("{}", out.summary);
        summary.push(out.summary);
        if !out.failures.is_empty() {
            failures.push(format!("== {kind}\n{}", out.failures.join("\n")));
        }
    }
    eprintln!(
        "{} PostgreSQL sessions ({PREPARED_SESSIONS} with prepared statements), {ROWS} rows, a {} ms reader before every migration step; {:.1} s in all",
        PLAIN_SESSIONS + PREPARED_SESSIONS,
        READER_HOLD.as_millis(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{}\n\n--- summary\n{}",
        failures.join("\n\n"),
        summary.join("\n")
    );
}

/// The checks can fail: a naive migration, one statement without a lock
/// timeout that the plans would never write, stalls every session behind
/// the long reader for about `READER_HOLD`; a step that deletes rows loses
/// acknowledged writes and breaks the reads of the code. The harness must
/// report all three.
#[test]
fn the_checks_catch_a_naive_migration() {
    let _serial = one_at_a_time();
    let Some(pg) = Cluster::start() else { return };
    let step = |title: &str, sql: &str| -> Step {
        serde_json::from_value(serde_json::json!({
            "phase": "regular", "title": title, "why": "", "name": "naive", "sql": sql
        }))
        .expect("a step")
    };
    let stall = step(
        "SET NOT NULL without a lock timeout",
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
    );
    let lose = step("delete rows", "DELETE FROM users WHERE id % 7 = 3;\n");
    let (old, new) = same(users_app);
    let s = Load {
        change: Change::SetNotNull {
            table: "users".into(),
            column: "email".into(),
        },
        options: load_options(),
        schema: USERS,
        seed: SEED_USERS,
        tables: &["users"],
        old,
        new,
    };
    let out = load_steps(&pg, "naive", &s, &[(0, &stall), (0, &lose)], &["M".into()]);
    eprintln!("{}\n{}", out.summary, out.failures.join("\n"));
    let text = out.failures.join("\n");
    let stalled: Vec<f64> = out
        .failures
        .iter()
        .filter_map(|f| f.strip_prefix("stall: ")?.split(' ').next()?.parse().ok())
        .collect();
    assert!(
        stalled
            .first()
            .is_some_and(|ms| *ms >= 0.8 * READER_HOLD.as_millis() as f64),
        "the stall behind the long reader was not reported:\n{text}"
    );
    assert!(
        text.contains("acknowledged row(s) of users lost"),
        "the deleted rows were not reported:\n{text}"
    );
    assert!(
        text.contains("read-check") && text.contains("is missing"),
        "the reads of deleted rows were not reported:\n{text}"
    );
}

/// A plan's steps with their release index, owned so a test can edit them.
type PlanSteps = Vec<(usize, Step)>;

/// The three defects of the plans before they were fixed, rebuilt from
/// today's plans, must each fail the checks: the plans pass because of the
/// steps that fix them, not because the harness cannot see the failures.
/// - drop-column without the step that drops the NOT NULL: every insert of
///   the new code fails on the NOT NULL column;
/// - change-column-type without the release that serves without prepared
///   statements: the prepared-statement session fails after the swap;
/// - a strong-lock step with one fixed lock timeout and no retries: the step
///   fails behind the long reader.
#[test]
fn the_checks_catch_the_defects_of_the_earlier_plans() {
    let _serial = one_at_a_time();
    let Some(pg) = Cluster::start() else { return };
    let all = scenarios();
    let scenario = |kind: &str| &all.iter().find(|(k, _)| *k == kind).expect("scenario").1;
    let run = |name: &str, kind: &str, edit: &dyn Fn(&mut PlanSteps)| -> String {
        let s = scenario(kind);
        let p = plan(&s.change, &s.options).expect("plan");
        let mut steps: Vec<(usize, Step)> = p.steps().map(|(r, st)| (r, st.clone())).collect();
        edit(&mut steps);
        let refs: Vec<(usize, &Step)> = steps.iter().map(|(r, st)| (*r, st)).collect();
        let releases: Vec<String> = p.releases.iter().map(|r| r.version.clone()).collect();
        let out = load_steps(&pg, name, s, &refs, &releases);
        eprintln!("{}", out.summary);
        out.failures.join("\n")
    };

    let text = run("old-drop-column", "drop-column", &|steps| {
        let n = steps.len();
        steps.retain(|(_, st)| !st.name.starts_with("allow_null_"));
        assert_eq!(steps.len(), n - 1, "drop-column has no allow_null step");
    });
    assert!(
        text.contains("violates not-null constraint"),
        "inserts into the NOT NULL column were not reported:\n{text}"
    );

    let text = run("old-change-column-type", "change-column-type", &|steps| {
        let n = steps.len();
        steps.retain(|(_, st)| st.name != "prepared_statements");
        assert_eq!(
            steps.len(),
            n - 1,
            "change-column-type has no prepared_statements step"
        );
    });
    assert!(
        text.contains("cached plan must not change result type"),
        "the prepared statements broken by the swap were not reported:\n{text}"
    );

    let text = run("old-lock-timeout", "drop-column", &|steps| {
        let timeout = &scenario("drop-column").options.lock_timeout;
        let drop = steps
            .iter_mut()
            .find(|(_, st)| st.name.starts_with("remove_"))
            .expect("the drop step");
        drop.1.sql = Some(format!(
            "SET LOCAL lock_timeout = '{timeout}';\nALTER TABLE users DROP COLUMN IF EXISTS updated_at;\n"
        ));
    });
    assert!(
        text.contains("canceling statement due to lock timeout"),
        "the step without retries did not fail behind the long reader:\n{text}"
    );
}
