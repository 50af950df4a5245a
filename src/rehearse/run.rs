//! The rehearsal engine: applies steps one by one while the workload's
//! sessions run on their own threads and connections, and measures what
//! they saw.

use std::collections::{BTreeMap, HashMap};
use std::error::Error as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::live::Live;
use super::workload::{Param, Query, Role, Values, Workload};
use super::{Input, Options};
use crate::plan::Step;
use crate::report::{
    DataCheck, Latency, LockSeen, Outcome, Rehearsal, RehearsalStep, RollbackStep, StepKind,
    Stopped, Verdict, WorkloadError, WorkloadInfo, REHEARSAL_VERSION,
};

/// The application name of the workload's sessions (how the lock sampler
/// finds them in `pg_stat_activity`).
const APP_NAME: &str = "zerodown-rehearse-workload";
/// The workload runs at each position between steps until every session
/// has done `MIN_ROUNDS` rounds there (and at least `Options::dwell`, at
/// most 10 s).
const MIN_ROUNDS: u64 = 2;
/// How often locks and lock waits are sampled during a step.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);
/// The most slices of a stall chart.
const CHART_SLICES: f64 = 40.0;
/// A workload statement's own `statement_timeout`: nothing the rehearsal
/// runs waits forever.
const WORKLOAD_TIMEOUT: &str = "60s";
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a rehearsal runs.
pub struct Target {
    /// The client configuration of the database.
    pub config: postgres::Config,
    /// How it is shown: the URL without its password, or the throwaway server.
    pub label: String,
}

impl Target {
    /// A new connection, named `app` in `pg_stat_activity`.
    pub fn connect(&self, app: &str) -> Result<Client, String> {
        let mut c = self.config.clone();
        c.application_name(app);
        if c.get_connect_timeout().is_none() {
            c.connect_timeout(CONNECT_TIMEOUT);
        }
        c.connect(NoTls)
            .map_err(|e| format!("cannot connect to {}: {}", self.label, describe(&e)))
    }
}

/// The error and its causes: the server's message when it sent one.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

// ---- values sent and read as text, whatever the column's type ----

/// A parameter sent in text format with the type the server infers (as
/// Rails and pgx send strings), so one statement works before and after a
/// column changes type.
#[derive(Debug)]
struct Txt(String);

impl ToSql for Txt {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
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

/// A result value as text: integers, text types and JSON; anything else is
/// an error asking for a cast.
struct Val(String);

impl<'a> FromSql<'a> for Val {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let s = match *ty {
            Type::INT2 => i16::from_sql(ty, raw)?.to_string(),
            Type::INT4 => i32::from_sql(ty, raw)?.to_string(),
            Type::INT8 => i64::from_sql(ty, raw)?.to_string(),
            Type::BOOL => bool::from_sql(ty, raw)?.to_string(),
            // Binary jsonb: a version byte, then the text.
            Type::JSONB => std::str::from_utf8(raw.get(1..).unwrap_or_default())?.to_string(),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::JSON | Type::UNKNOWN => {
                std::str::from_utf8(raw)?.to_string()
            }
            ref t if matches!(t.kind(), postgres::types::Kind::Enum(_)) => {
                std::str::from_utf8(raw)?.to_string()
            }
            ref t => {
                return Err(
                    format!("a value of type {}: cast it to text (`::text`)", t.name()).into(),
                )
            }
        };
        Ok(Val(s))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

fn text_of(row: &postgres::Row, i: usize) -> Result<String, String> {
    row.try_get::<_, Option<Val>>(i)
        .map(|v| v.map_or_else(|| "NULL".to_string(), |v| v.0))
        .map_err(|e| match e.source() {
            Some(s) => s.to_string(),
            None => e.to_string(),
        })
}

// ---- the workload ----

/// One timed workload statement.
struct Rec {
    step: usize,
    version: usize,
    statement: String,
    at: Instant,
    latency: Duration,
    error: Option<String>,
}

/// What runs now.
struct Current {
    /// 0 before the first step, i + 1 during and after step i.
    step: usize,
    /// The versions live (indices into the workload's versions).
    versions: Vec<usize>,
    /// The release deployed: a new deployment means new processes, whose
    /// prepared-statement caches start empty.
    deploy: isize,
    /// The deployed release serves without server-side prepared statements.
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
    written: HashMap<String, HashMap<i64, String>>,
    reads_checked: u64,
}

struct Session {
    client: Client,
    prepared: Option<HashMap<String, Statement>>,
    unprepared: bool,
    step: usize,
    recs: Vec<Rec>,
}

impl Session {
    fn query(
        &mut self,
        version: usize,
        q: &Query,
        value: &str,
        id: Option<i64>,
    ) -> Result<Vec<postgres::Row>, ()> {
        let args: Vec<Txt> = q
            .params
            .iter()
            .map(|p| match p {
                Param::Value => Txt(value.to_string()),
                Param::Id => Txt(id.map(|i| i.to_string()).unwrap_or_default()),
            })
            .collect();
        let start = Instant::now();
        let result = match &mut self.prepared {
            Some(cache) if !self.unprepared => {
                let stmt = match cache.get(&q.sql) {
                    Some(s) => Ok(s.clone()),
                    None => self.client.prepare(&q.sql).inspect(|s| {
                        cache.insert(q.sql.clone(), s.clone());
                    }),
                };
                let refs: Vec<&(dyn ToSql + Sync)> =
                    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
                stmt.and_then(|s| self.client.query(&s, &refs))
            }
            // Without prepared statements: parse, bind and run in one round
            // trip (an unnamed statement, as libpq's PQexecParams sends it),
            // the parameter types left to the server.
            _ => {
                let typed: Vec<(&(dyn ToSql + Sync), Type)> = args
                    .iter()
                    .map(|a| (a as &(dyn ToSql + Sync), Type::UNKNOWN))
                    .collect();
                self.client.query_typed(&q.sql, &typed)
            }
        };
        let error = result.as_ref().err().map(describe);
        self.record(version, &q.written, start, error);
        result.map_err(|_| ())
    }

    fn control(&mut self, version: usize, sql: &str) -> Result<(), ()> {
        let start = Instant::now();
        let result = self.client.batch_execute(sql);
        let error = result.as_ref().err().map(describe);
        self.record(version, sql, start, error);
        result.map_err(|_| ())
    }

    fn fail(&mut self, version: usize, statement: &str, error: String) {
        self.recs.push(Rec {
            step: self.step,
            version,
            statement: statement.to_string(),
            at: Instant::now(),
            latency: Duration::ZERO,
            error: Some(error),
        });
    }

    fn record(&mut self, version: usize, statement: &str, start: Instant, error: Option<String>) {
        self.recs.push(Rec {
            step: self.step,
            version,
            statement: statement.to_string(),
            at: start,
            latency: start.elapsed(),
            error,
        });
    }
}

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.below(1_000_000) as f64) < p * 1_000_000.0
    }
}

/// A value this session writes: unique to the session and round.
fn value(kind: Values, session: usize, round: usize, k: u8) -> String {
    match kind {
        Values::Text => format!("s{session}r{round}{}", char::from(b'a' + k)),
        Values::Json => format!("{{\"k\": \"s{session}r{round}{}\"}}", char::from(b'a' + k)),
        Values::Integer => {
            ((session as i64 + 1) * 100_000_000 + (round as i64) * 10 + i64::from(k)).to_string()
        }
    }
}

/// One session: rounds of (BEGIN; insert; update an owned row; COMMIT), a
/// read of an owned row checked against its acknowledged value, and the
/// extra statements by weight. Rows are owned by one session, so every
/// acknowledged value is known exactly.
fn session(
    mut client: Client,
    id: usize,
    prepared: bool,
    workload: &Workload,
    mut values: HashMap<String, HashMap<i64, String>>,
    shared: &Shared,
) -> Result<SessionOut, String> {
    client
        .batch_execute(&format!(
            "SET statement_timeout = '{WORKLOAD_TIMEOUT}'; SET lock_timeout = 0"
        ))
        .map_err(|e| describe(&e))?;
    let mut s = Session {
        client,
        prepared: prepared.then(HashMap::new),
        unprepared: false,
        step: 0,
        recs: Vec::new(),
    };
    let mut ids: HashMap<String, Vec<i64>> = values
        .iter()
        .map(|(d, rows)| {
            let mut v: Vec<i64> = rows.keys().copied().collect();
            v.sort_unstable();
            (d.clone(), v)
        })
        .collect();
    let mut written: HashMap<String, HashMap<i64, String>> = HashMap::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((id as u64 + 1) * 0x1000_0001));
    let mut reads_checked = 0;
    let mut round: usize = 0;
    let mut deploy = None;
    let pace = workload.rate.map(|r| Duration::from_secs_f64(1.0 / r));
    let mut next_round = Instant::now();
    while !shared.stop.load(Ordering::Relaxed) {
        let cur = shared
            .current
            .read()
            .map(|c| c.clone())
            .map_err(|_| "the rehearsal's state is poisoned".to_string())?;
        s.step = cur.step;
        s.unprepared = cur.unprepared;
        if deploy != Some(cur.deploy) {
            // A deployment: new processes prepare their statements afresh.
            deploy = Some(cur.deploy);
            if let Some(cache) = &mut s.prepared {
                cache.clear();
            }
        }
        if cur.versions.is_empty() {
            thread::sleep(workload.think);
            continue;
        }
        let vi = cur.versions[(round + id) % cur.versions.len()];
        round += 1;
        let v = &workload.versions[vi];
        let data = v.data.clone();
        let owned = ids.entry(data.clone()).or_default();
        let target_id = (!owned.is_empty()).then(|| owned[rng.below(owned.len())]);
        let v1 = value(v.values, id, round, 0);
        let v2 = value(v.values, id, round, 1);
        // The write transaction.
        if v.insert.is_some() || (v.update.is_some() && target_id.is_some()) {
            let ok = (|| -> Result<(Option<i64>, Option<i64>), ()> {
                s.control(vi, "BEGIN")?;
                let mut new_id = None;
                if let Some(q) = &v.insert {
                    let rows = s.query(vi, q, &v1, None)?;
                    match rows.first().map(|r| text_of(r, 0)) {
                        Some(Ok(t)) => match t.parse::<i64>() {
                            Ok(n) => new_id = Some(n),
                            Err(_) => {
                                s.fail(vi, &q.written, format!("returned `{t}`, not an id"));
                                return Err(());
                            }
                        },
                        Some(Err(e)) => {
                            s.fail(vi, &q.written, e);
                            return Err(());
                        }
                        None => {
                            s.fail(vi, &q.written, "returned no id (add RETURNING id)".into());
                            return Err(());
                        }
                    }
                }
                let mut updated = None;
                if let (Some(q), Some(t)) = (&v.update, target_id) {
                    s.query(vi, q, &v2, Some(t))?;
                    updated = Some(t);
                }
                s.control(vi, "COMMIT")?;
                Ok((new_id, updated))
            })();
            match ok {
                Ok((new_id, updated)) => {
                    let vals = values.entry(data.clone()).or_default();
                    let w = written.entry(data.clone()).or_default();
                    if let Some(n) = new_id {
                        owned.push(n);
                        vals.insert(n, v1.clone());
                        w.insert(n, v1.clone());
                    }
                    if let Some(t) = updated {
                        vals.insert(t, v2.clone());
                        w.insert(t, v2.clone());
                    }
                }
                Err(()) => {
                    let _ = s.client.batch_execute("ROLLBACK");
                }
            }
        }
        // A read of an owned row, checked.
        let owned = &ids[&data];
        if let (Some(q), false) = (&v.read, owned.is_empty()) {
            let rid = owned[rng.below(owned.len())];
            if let Ok(rows) = s.query(vi, q, "", Some(rid)) {
                let want = values.get(&data).and_then(|m| m.get(&rid));
                match (rows.first(), want) {
                    (None, _) => s.fail(vi, &q.written, format!("row {rid} is missing")),
                    (Some(r), Some(want)) => match text_of(r, 0) {
                        Ok(got) if &got == want => reads_checked += 1,
                        Ok(got) => s.fail(
                            vi,
                            &q.written,
                            format!("row {rid}: read `{got}`, last acknowledged `{want}`"),
                        ),
                        Err(e) => s.fail(vi, &q.written, e),
                    },
                    (Some(_), None) => {}
                }
            }
        }
        // Extra statements, by weight.
        for e in &v.extra {
            let mut n = e.weight.floor() as u32;
            if rng.chance(e.weight.fract()) {
                n += 1;
            }
            for _ in 0..n {
                let owned = &ids[&data];
                let rid = (!owned.is_empty()).then(|| owned[rng.below(owned.len())]);
                if e.query.params.contains(&Param::Id) && rid.is_none() {
                    continue;
                }
                let _ = s.query(vi, &e.query, &v1, rid);
            }
        }
        if let Some(r) = shared.rounds.get(id) {
            r.fetch_add(1, Ordering::Relaxed);
        }
        match pace {
            Some(p) => {
                next_round += p;
                let now = Instant::now();
                if next_round > now {
                    thread::sleep(next_round - now);
                } else {
                    next_round = now;
                }
            }
            None => thread::sleep(workload.think),
        }
    }
    Ok(SessionOut {
        recs: s.recs,
        written,
        reads_checked,
    })
}

/// A long transaction on the workload's tables (reading them, and with
/// `writes` holding a write lock too), open until `done` says so or `hold`
/// has passed. Sends on `ready` once it holds its locks.
fn long_transaction(
    target: &Target,
    tables: &[String],
    hold: Duration,
    writes: bool,
    ready: mpsc::Sender<Result<(), String>>,
    done: mpsc::Receiver<()>,
) {
    let run = || -> Result<Client, String> {
        let mut c = target.connect("zerodown-rehearse-reader")?;
        c.batch_execute("BEGIN").map_err(|e| describe(&e))?;
        for t in tables {
            let exists: bool = c
                .query_one("SELECT to_regclass($1) IS NOT NULL", &[t])
                .map_err(|e| describe(&e))?
                .get(0);
            if exists {
                c.batch_execute(&format!("SELECT 1 FROM {t} LIMIT 1"))
                    .map_err(|e| describe(&e))?;
                if writes {
                    c.batch_execute(&format!("LOCK TABLE {t} IN ROW EXCLUSIVE MODE"))
                        .map_err(|e| describe(&e))?;
                }
            }
        }
        Ok(c)
    };
    match run() {
        Ok(mut c) => {
            let _ = ready.send(Ok(()));
            let _ = done.recv_timeout(hold);
            let _ = c.batch_execute("COMMIT");
        }
        Err(e) => {
            let _ = ready.send(Err(format!("the long transaction failed: {e}")));
        }
    }
}

// ---- locks and rewrites ----

/// Lock modes, weakest first.
const MODES: &[&str] = &[
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
];

fn strength(mode: &str) -> usize {
    MODES.iter().position(|m| *m == mode).unwrap_or(0)
}

const SAMPLE_SQL: &str = "SELECT coalesce(n.nspname || '.', '') || c.relname, l.mode, l.granted \
     FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE l.pid = $1 AND l.locktype = 'relation' \
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";

const WAIT_SQL: &str =
    "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - query_start) * 1000), 0)::float8 \
     FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'";

const STORAGE_SQL: &str = "SELECT c.oid::int8, n.nspname || '.' || c.relname, c.relfilenode::int8 \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg_toast%'";

fn storage(c: &mut Client) -> Result<BTreeMap<i64, (String, i64)>, String> {
    Ok(c.query(STORAGE_SQL, &[])
        .map_err(|e| describe(&e))?
        .iter()
        .map(|r| {
            (
                r.get::<_, i64>(0),
                (r.get::<_, String>(1), r.get::<_, i64>(2)),
            )
        })
        .collect())
}

/// What the sampler saw during one step.
#[derive(Default)]
struct Sampled {
    locks: BTreeMap<String, (String, bool)>,
    max_wait_ms: f64,
    cancelled: Option<&'static str>,
}

/// Samples the migration session's locks and the workload's lock waits
/// until `done`; cancels the step at `deadline`, or when `stop` is set.
fn sampler(
    target: &Target,
    pid: i32,
    cancel: postgres::CancelToken,
    deadline: Duration,
    stop: &AtomicBool,
    done: mpsc::Receiver<()>,
) -> Sampled {
    let mut out = Sampled::default();
    let Ok(mut c) = target.connect("zerodown-rehearse-sampler") else {
        return out;
    };
    let _ = c.batch_execute("SET statement_timeout = '5s'");
    let start = Instant::now();
    loop {
        if let Ok(rows) = c.query(SAMPLE_SQL, &[&pid]) {
            for r in rows {
                let (rel, mode, granted): (String, String, bool) = (r.get(0), r.get(1), r.get(2));
                let e = out.locks.entry(rel).or_insert((mode.clone(), granted));
                if strength(&mode) > strength(&e.0)
                    || (strength(&mode) == strength(&e.0) && granted)
                {
                    *e = (mode, granted);
                }
            }
        }
        if let Ok(r) = c.query_one(WAIT_SQL, &[&APP_NAME]) {
            out.max_wait_ms = out.max_wait_ms.max(r.get::<_, f64>(0));
        }
        if out.cancelled.is_none() {
            if stop.load(Ordering::Relaxed) {
                out.cancelled = Some("interrupted");
                let _ = cancel.cancel_query(NoTls);
            } else if start.elapsed() > deadline {
                out.cancelled = Some("over its time limit");
                let _ = cancel.cancel_query(NoTls);
            }
        }
        match done.recv_timeout(SAMPLE_EVERY) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return out,
        }
    }
}

/// A step's SQL failed: which statement, at which line, and why.
pub(super) struct StepError {
    statement: Option<String>,
    line: Option<u32>,
    error: String,
}

/// Runs a migration step's SQL on `c`, statement by statement (as psql
/// sends a file), in one transaction unless the step runs outside one.
pub(super) fn apply_step(c: &mut Client, step: &Step, sql: &str) -> Result<(), StepError> {
    let split = crate::sql::split(sql);
    let wrap = !step.outside_transaction;
    let err = |stmt: Option<&str>, line: Option<u32>, e: String| StepError {
        statement: stmt.map(str::to_string),
        line,
        error: e,
    };
    if wrap {
        c.batch_execute("BEGIN")
            .map_err(|e| err(None, None, describe(&e)))?;
    }
    for st in &split.statements {
        let text = &sql[st.span.clone()];
        let line = sql[..st.span.start].matches('\n').count() as u32 + 1;
        if let Err(e) = c.batch_execute(text) {
            if wrap {
                let _ = c.batch_execute("ROLLBACK");
            }
            return Err(err(Some(text), Some(line), describe(&e)));
        }
    }
    if let Some((kind, at)) = split.unterminated {
        let line = sql[..at.min(sql.len())].matches('\n').count() as u32 + 1;
        if wrap {
            let _ = c.batch_execute("ROLLBACK");
        }
        return Err(err(None, Some(line), format!("unterminated {kind}")));
    }
    if wrap {
        c.batch_execute("COMMIT")
            .map_err(|e| err(Some("COMMIT"), None, describe(&e)))?;
    }
    Ok(())
}

// ---- measuring ----

fn latency(recs: &[&Rec]) -> Latency {
    let mut ms: Vec<f64> = recs
        .iter()
        .map(|r| r.latency.as_secs_f64() * 1000.0)
        .collect();
    if ms.is_empty() {
        return Latency::default();
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    Latency {
        queries: ms.len() as u64,
        p50_ms: round2(at(0.5)),
        p99_ms: round2(at(0.99)),
        max_ms: round2(ms[ms.len() - 1]),
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The shape of an error message: numbers blanked, so that errors group.
fn shape(e: &str) -> String {
    let mut out = String::new();
    for c in e.lines().next().unwrap_or_default().chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out
}

/// Reads a data set's rows with `all`: (id, value) each, and how many ids
/// came more than once.
fn read_all(c: &mut Client, all: &str) -> Result<(BTreeMap<i64, String>, Vec<i64>), String> {
    let rows = c
        .query(all, &[])
        .map_err(|e| format!("`{all}` failed: {}", describe(&e)))?;
    let mut out = BTreeMap::new();
    let mut dup = Vec::new();
    for r in &rows {
        let id = text_of(r, 0)?;
        let id: i64 = id
            .parse()
            .map_err(|_| format!("`{all}`: the first column must be the id, got `{id}`"))?;
        let v = text_of(r, 1).map_err(|e| format!("`{all}`: {e}"))?;
        if out.insert(id, v).is_some() {
            dup.push(id);
        }
    }
    Ok((out, dup))
}

/// Rehearses `input` on `target` with `workload`. Set `interrupted` to stop
/// (Ctrl-C): the running step is cancelled and the report says where it
/// stopped. Errors are set-up errors (cannot connect, a workload statement
/// that does not prepare); a step that fails is part of the report.
pub fn rehearse(
    target: &Target,
    input: &Input,
    workload: &Workload,
    options: &Options,
    interrupted: &AtomicBool,
) -> Result<Rehearsal, String> {
    let started = Instant::now();
    let steps: Vec<(usize, &Step)> = input.steps.iter().map(|(r, s)| (*r, s)).collect();
    let live = Live::new(&steps);
    let live_at = |p: usize| -> Vec<usize> {
        workload
            .versions
            .iter()
            .enumerate()
            .filter(|(_, v)| match v.role {
                Role::Old => live.old(p),
                Role::New => live.new_code(p),
                Role::Always => true,
            })
            .map(|(i, _)| i)
            .collect()
    };
    let names = |vs: &[usize]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &i in vs {
            let n = &workload.versions[i].name;
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
        out
    };

    let mut client = target.connect("zerodown-rehearse")?;
    let server: String = client
        .query_one("SHOW server_version", &[])
        .map_err(|e| describe(&e))?
        .get(0);
    // The live versions' statements must prepare before anything runs: a
    // typo is one clear error, not thousands of workload errors.
    for &vi in &live_at(0) {
        let v = &workload.versions[vi];
        for q in [&v.insert, &v.update, &v.read].into_iter().flatten() {
            client.prepare(&q.sql).map_err(|e| {
                format!(
                    "workload {}: version `{}`: `{}`: {}",
                    workload.source,
                    v.name,
                    q.written,
                    describe(&e)
                )
            })?;
        }
    }

    // Every row present before the load, with its value, per data set.
    let mut expected: BTreeMap<String, BTreeMap<i64, String>> = BTreeMap::new();
    for vi in live_at(0) {
        let v = &workload.versions[vi];
        if let (Some(all), false) = (&v.all, expected.contains_key(&v.data)) {
            let (rows, _) = read_all(&mut client, all)
                .map_err(|e| format!("workload {}: version `{}`: {e}", workload.source, v.name))?;
            expected.insert(v.data.clone(), rows);
        }
    }

    let sessions = workload.sessions as usize;
    let plain = sessions - workload.prepared_sessions as usize;
    let shared = Shared {
        current: RwLock::new(Arc::new(Current {
            step: 0,
            versions: live_at(0),
            deploy: live.deployed(0),
            unprepared: live.unprepared(0),
        })),
        stop: AtomicBool::new(false),
        rounds: (0..sessions).map(|_| AtomicU64::new(0)).collect(),
    };
    let set = |step: usize, versions: Vec<usize>, code_at: usize| {
        if let Ok(mut c) = shared.current.write() {
            *c = Arc::new(Current {
                step,
                versions,
                deploy: live.deployed(code_at),
                unprepared: live.unprepared(code_at),
            });
        }
    };
    let dwell = || {
        let start: Vec<u64> = shared
            .rounds
            .iter()
            .map(|r| r.load(Ordering::Relaxed))
            .collect();
        let t = Instant::now();
        while !interrupted.load(Ordering::Relaxed)
            && (t.elapsed() < options.dwell
                || (t.elapsed() < Duration::from_secs(10)
                    && shared
                        .rounds
                        .iter()
                        .zip(&start)
                        .any(|(r, s)| r.load(Ordering::Relaxed) < s + MIN_ROUNDS)))
        {
            thread::sleep(Duration::from_millis(10));
        }
    };

    struct Ran {
        outcome: Outcome,
        error: Option<String>,
        start: Option<Instant>,
        duration: Duration,
        window_end: Option<Instant>,
        sampled: Sampled,
        rewritten: Vec<String>,
        during: Vec<usize>,
    }
    let mut ran: Vec<Ran> = Vec::new();
    let mut stopped: Option<Stopped> = None;
    let mut reached = 0;
    // Every session connects before anything runs: a server that refuses
    // connections is an error before the first step, not after the last.
    let mut clients = Vec::with_capacity(sessions);
    for _ in 0..sessions {
        clients.push(
            target.connect(APP_NAME).map_err(|e| {
                format!("workload session {} of {sessions}: {e}", clients.len() + 1)
            })?,
        );
    }
    let outs: Vec<Result<SessionOut, String>> = thread::scope(|scope| {
        let handles: Vec<_> = clients
            .into_iter()
            .enumerate()
            .map(|(id, client)| {
                // Session `id` owns every `sessions`-th existing row.
                let owned: HashMap<String, HashMap<i64, String>> = expected
                    .iter()
                    .map(|(d, rows)| {
                        let mine = rows
                            .iter()
                            .skip(id)
                            .step_by(sessions)
                            .map(|(i, v)| (*i, v.clone()))
                            .collect();
                        (d.clone(), mine)
                    })
                    .collect();
                let shared = &shared;
                scope.spawn(move || session(client, id, id >= plain, workload, owned, shared))
            })
            .collect();

        dwell();
        for (i, (_, step)) in steps.iter().enumerate() {
            let during: Vec<usize> = live_at(i)
                .into_iter()
                .filter(|a| live_at(i + 1).contains(a))
                .collect();
            if interrupted.load(Ordering::Relaxed) {
                stopped = Some(Stopped {
                    step: i as u32 + 1,
                    statement: None,
                    line: None,
                    error: "interrupted before this step".into(),
                    note: String::new(),
                    rollback: Vec::new(),
                });
                break;
            }
            let mut r = Ran {
                outcome: Outcome::Applied,
                error: None,
                start: None,
                duration: Duration::ZERO,
                window_end: None,
                sampled: Sampled::default(),
                rewritten: Vec::new(),
                during: during.clone(),
            };
            if let (true, Some(sql)) = (step.is_migration(), &step.sql) {
                set(i + 1, during, i);
                let mut mig = match target.connect("zerodown-rehearse-migration") {
                    Ok(c) => c,
                    Err(e) => {
                        r.outcome = Outcome::Failed;
                        r.error = Some(e.clone());
                        ran.push(r);
                        stopped = Some(Stopped {
                            step: i as u32 + 1,
                            statement: None,
                            line: None,
                            error: e,
                            note: String::new(),
                            rollback: Vec::new(),
                        });
                        break;
                    }
                };
                let pid: i32 = mig
                    .query_one("SELECT pg_backend_pid()", &[])
                    .map(|row| row.get(0))
                    .unwrap_or(0);
                let before = storage(&mut client).unwrap_or_default();
                // The long reader takes its locks first.
                let (ready_tx, ready_rx) = mpsc::channel();
                let (done_tx, done_rx) = mpsc::channel::<()>();
                let reader = (!workload.long_transaction.is_zero()).then(|| {
                    let tables = &workload.tables;
                    let hold = workload.long_transaction;
                    let writes = workload.long_transaction_writes;
                    scope.spawn(move || {
                        long_transaction(target, tables, hold, writes, ready_tx, done_rx)
                    })
                });
                if reader.is_some() {
                    if let Ok(Err(e)) = ready_rx.recv_timeout(Duration::from_secs(30)) {
                        r.error = Some(e);
                    }
                }
                let (sdone_tx, sdone_rx) = mpsc::channel::<()>();
                let cancel = mig.cancel_token();
                let deadline = options.step_timeout;
                let sampler_h = scope
                    .spawn(move || sampler(target, pid, cancel, deadline, interrupted, sdone_rx));
                let start = Instant::now();
                let result = apply_step(&mut mig, step, sql);
                r.duration = start.elapsed();
                r.start = Some(start);
                let _ = sdone_tx.send(());
                let _ = done_tx.send(());
                r.sampled = sampler_h.join().unwrap_or_default();
                if let Some(h) = reader {
                    let _ = h.join();
                }
                let after = storage(&mut client).unwrap_or_default();
                r.rewritten = before
                    .iter()
                    .filter_map(|(oid, (name, node))| {
                        after
                            .get(oid)
                            .filter(|(_, n)| n != node)
                            .map(|_| name.clone())
                    })
                    .collect();
                if let Err(mut e) = result {
                    if let Some(why) = r.sampled.cancelled {
                        e.error = format!("cancelled by zerodown ({why}): {}", e.error);
                    }
                    r.outcome = Outcome::Failed;
                    r.error = Some(e.error.clone());
                    let wrapped = !step.outside_transaction;
                    let note = if wrapped {
                        format!(
                            "Step {} ran in a transaction and was rolled back; the database is as the steps before it left it.",
                            i + 1
                        )
                    } else {
                        format!(
                            "Step {} ran outside a transaction: its statements before the failing one stay applied (an index built CONCURRENTLY that failed is left INVALID: drop it). The database is left as the failed step left it.",
                            i + 1
                        )
                    };
                    stopped = Some(Stopped {
                        step: i as u32 + 1,
                        statement: e.statement,
                        line: e.line,
                        error: e.error,
                        note,
                        rollback: Vec::new(),
                    });
                    r.window_end = Some(Instant::now());
                    ran.push(r);
                    // The workload still runs a moment: what it saw after
                    // the failure belongs to this step.
                    dwell();
                    break;
                }
            }
            reached = i + 1;
            set(i + 1, live_at(i + 1), i + 1);
            dwell();
            r.window_end = Some(Instant::now());
            ran.push(r);
        }
        shared.stop.store(true, Ordering::Relaxed);
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a workload session stopped".into()))
            })
            .collect()
    });
    let mut recs: Vec<Rec> = Vec::new();
    let mut written: Vec<HashMap<String, HashMap<i64, String>>> = Vec::new();
    let mut reads_checked = 0;
    for o in outs {
        let o = o.map_err(|e| format!("a workload session failed: {e}"))?;
        recs.extend(o.recs);
        written.push(o.written);
        reads_checked += o.reads_checked;
    }

    // Per step.
    let baseline: Vec<&Rec> = recs.iter().filter(|r| r.step == 0).collect();
    let mut report_steps = Vec::new();
    let mut total_errors = 0u64;
    let mut max_stall: f64 = 0.0;
    for (i, (rel, step)) in steps.iter().enumerate() {
        let release = input.releases.get(*rel).cloned().filter(|r| !r.is_empty());
        let kind = if step.is_migration() {
            StepKind::Migration
        } else {
            StepKind::Deploy
        };
        let Some(r) = ran.get(i) else {
            report_steps.push(RehearsalStep {
                index: i as u32 + 1,
                title: step.title.clone(),
                kind,
                release,
                phase: step.phase.as_str().to_string(),
                live: names(&live_at(i)),
                outcome: Outcome::NotRun,
                error: None,
                duration_ms: 0.0,
                locks: Vec::new(),
                rewritten: Vec::new(),
                latency: Latency::default(),
                max_lock_wait_ms: 0.0,
                errors: 0,
                first_errors: Vec::new(),
                chart: Vec::new(),
                slice_ms: 0.0,
            });
            continue;
        };
        let mine: Vec<&Rec> = recs.iter().filter(|x| x.step == i + 1).collect();
        let errs: Vec<&&Rec> = mine.iter().filter(|x| x.error.is_some()).collect();
        total_errors += errs.len() as u64;
        let mut groups: BTreeMap<(usize, String, String), (u64, String)> = BTreeMap::new();
        for e in &errs {
            let msg = e.error.as_deref().unwrap_or_default();
            let g = groups
                .entry((e.version, e.statement.clone(), shape(msg)))
                .or_insert((0, msg.lines().next().unwrap_or_default().to_string()));
            g.0 += 1;
        }
        let mut first_errors: Vec<WorkloadError> = groups
            .into_iter()
            .map(|((v, st, _), (n, msg))| WorkloadError {
                version: workload.versions[v].name.clone(),
                statement: st,
                message: msg,
                count: n,
            })
            .collect();
        first_errors.sort_by_key(|e| std::cmp::Reverse(e.count));
        first_errors.truncate(5);
        let lat = latency(&mine);
        max_stall = max_stall.max(lat.max_ms);
        // The stall chart: the slowest query finishing in each slice, from
        // the step's start to the end of its window.
        let (chart, slice_ms) = match (r.start.or(mine.first().map(|x| x.at)), r.window_end) {
            (Some(s), Some(e)) if e > s => {
                let window = (e - s).as_secs_f64() * 1000.0;
                let slice = (window / CHART_SLICES).max(10.0);
                let n = (window / slice).ceil() as usize;
                let mut chart = vec![0.0f64; n.max(1)];
                for x in &mine {
                    let end = x.at + x.latency;
                    if end < s {
                        continue;
                    }
                    let k = (((end - s).as_secs_f64() * 1000.0) / slice) as usize;
                    let k = k.min(chart.len() - 1);
                    chart[k] = chart[k].max(round2(x.latency.as_secs_f64() * 1000.0));
                }
                (chart, round2(slice))
            }
            _ => (Vec::new(), 0.0),
        };
        let mut locks: Vec<LockSeen> = r
            .sampled
            .locks
            .iter()
            .map(|(rel, (mode, granted))| LockSeen {
                relation: rel.clone(),
                mode: mode.clone(),
                granted: *granted,
            })
            .collect();
        locks.sort_by(|a, b| {
            strength(&b.mode)
                .cmp(&strength(&a.mode))
                .then(a.relation.cmp(&b.relation))
        });
        report_steps.push(RehearsalStep {
            index: i as u32 + 1,
            title: step.title.clone(),
            kind,
            release,
            phase: step.phase.as_str().to_string(),
            live: names(&r.during),
            outcome: r.outcome,
            error: r.error.clone(),
            duration_ms: round2(r.duration.as_secs_f64() * 1000.0),
            locks,
            rewritten: r.rewritten.clone(),
            latency: lat,
            max_lock_wait_ms: round2(r.sampled.max_wait_ms),
            errors: errs.len() as u64,
            first_errors,
            chart,
            slice_ms,
        });
    }
    let base = latency(&baseline);
    max_stall = max_stall.max(base.max_ms);
    total_errors += baseline.iter().filter(|r| r.error.is_some()).count() as u64;

    // The rows: every data set a version live at the end can list.
    for w in written {
        for (d, rows) in w {
            let e = expected.entry(d).or_default();
            e.extend(rows);
        }
    }
    let mut data = DataCheck {
        reads_checked,
        ..DataCheck::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut list_errors = 0u64;
    for vi in live_at(reached) {
        let v = &workload.versions[vi];
        let Some(all) = &v.all else { continue };
        if seen.contains(&v.data.as_str()) {
            continue;
        }
        seen.push(&v.data);
        let want = expected.get(&v.data).cloned().unwrap_or_default();
        match read_all(&mut client, all) {
            Err(e) => {
                data.unchecked += want.len() as u64;
                list_errors += 1;
                data.examples.push(format!(
                    "{}: version `{}` cannot list the rows: {e}",
                    v.data, v.name
                ));
            }
            Ok((got, dup)) => {
                data.rows_checked += want.len() as u64;
                data.duplicated += dup.len() as u64;
                if let Some(d) = dup.first() {
                    data.examples
                        .push(format!("{}: row {d} is listed more than once", v.data));
                }
                let lost: Vec<&i64> = want.keys().filter(|id| !got.contains_key(id)).collect();
                data.lost += lost.len() as u64;
                if !lost.is_empty() {
                    data.examples.push(format!(
                        "{}: {} acknowledged rows lost, e.g. {:?}",
                        v.data,
                        lost.len(),
                        &lost[..lost.len().min(3)]
                    ));
                }
                let changed: Vec<(&i64, &String, &String)> = want
                    .iter()
                    .filter_map(|(id, w)| got.get(id).filter(|g| *g != w).map(|g| (id, w, g)))
                    .collect();
                data.changed += changed.len() as u64;
                if let Some((id, w, g)) = changed.first() {
                    data.examples.push(format!(
                        "{}: {} rows lost their acknowledged value, e.g. row {id}: `{w}` acknowledged, `{g}` found",
                        v.data,
                        changed.len()
                    ));
                }
            }
        }
    }

    // Rollback of what was applied, last first.
    if let Some(st) = &mut stopped {
        let applied = (st.step as usize).saturating_sub(1);
        st.rollback = steps[..applied]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, (_, s))| s.is_migration())
            .map(|(i, (_, s))| RollbackStep {
                step: i as u32 + 1,
                title: s.title.clone(),
                sql: s.down.clone(),
            })
            .collect();
        if st.note.is_empty() {
            st.note = "The database is left as the steps before it left it.".into();
        }
    }

    let budget = options.budget;
    let total_errors = total_errors + list_errors;
    let errors = total_errors + data.lost + data.changed + data.duplicated;
    let mut reasons = Vec::new();
    if let Some(st) = &stopped {
        reasons.push(format!("step {} did not apply: {}", st.step, st.error));
    }
    if errors > budget.max_errors {
        let mut parts = vec![format!("{total_errors} workload errors")];
        if data.lost + data.changed + data.duplicated > 0 {
            parts.push(format!(
                "{} rows lost, {} changed, {} duplicated",
                data.lost, data.changed, data.duplicated
            ));
        }
        reasons.push(format!(
            "{} (budget {})",
            parts.join(", "),
            budget.max_errors
        ));
    }
    if max_stall > budget.max_stall_ms as f64 {
        let worst = report_steps
            .iter()
            .max_by(|a, b| a.latency.max_ms.total_cmp(&b.latency.max_ms))
            .filter(|s| s.latency.max_ms >= max_stall)
            .map(|s| format!(" in step {}", s.index))
            .unwrap_or_else(|| " before the first step".into());
        reasons.push(format!(
            "a workload query took {:.0} ms{worst} (budget {} ms)",
            max_stall, budget.max_stall_ms
        ));
    }
    let info = WorkloadInfo {
        source: workload.source.clone(),
        versions: names(&(0..workload.versions.len()).collect::<Vec<_>>()),
        sessions: workload.sessions,
        prepared_sessions: workload.prepared_sessions,
        long_transaction_ms: workload.long_transaction.as_millis() as u64,
        long_transaction_writes: workload.long_transaction_writes,
    };
    Ok(Rehearsal {
        version: REHEARSAL_VERSION,
        server,
        database: target.label.clone(),
        workload: info,
        rows: options.rows,
        budget,
        baseline: base,
        steps: report_steps,
        data,
        verdict: Verdict {
            pass: reasons.is_empty(),
            reasons,
            errors,
            max_stall_ms: round2(max_stall),
        },
        stopped,
        duration_ms: round2(started.elapsed().as_secs_f64() * 1000.0),
    })
}
