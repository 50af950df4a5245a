//! The report of `zerodown rehearse`: what the application saw while
//! migrations or a plan ran against a real PostgreSQL under a concurrent
//! workload, and its text rendering (a timeline per step, with a stall
//! chart). The rehearsal itself runs natively (`crate::rehearse`); these
//! types and the renderer are in every build, so that JavaScript gets their
//! TypeScript types and the playground renders a pasted report.

use serde::{Deserialize, Serialize};

/// The version of the rehearsal report's JSON contract.
pub const REHEARSAL_VERSION: u32 = 1;

/// A rehearsal: JSON contract version [`REHEARSAL_VERSION`].
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rehearsal {
    /// The contract's version (1).
    pub version: u32,
    /// The server, as `SHOW server_version` gives it (`15.8 (Debian ...)`).
    pub server: String,
    /// Where it ran: the database URL with any password replaced by `****`,
    /// or the throwaway server `--start-postgres` started.
    pub database: String,
    /// The workload that ran.
    pub workload: WorkloadInfo,
    /// Rows generated into each empty table the workload uses (`--rows`).
    pub rows: u64,
    /// What counts as downtime.
    pub budget: Budget,
    /// The workload's latencies before the first step.
    pub baseline: Latency,
    /// Every step, in order: migrations, and the deployments between them.
    pub steps: Vec<RehearsalStep>,
    /// The end-of-run check of what the workload wrote.
    pub data: DataCheck,
    /// Whether the rehearsal stayed within the budget, and why not.
    pub verdict: Verdict,
    /// Set when a step failed and the rehearsal stopped there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub stopped: Option<Stopped>,
    /// Wall time of the whole rehearsal, milliseconds.
    pub duration_ms: f64,
}

/// The workload of a rehearsal.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadInfo {
    /// The workload file, or `generated` (from the schema of the tables the
    /// migration touches).
    pub source: String,
    /// The application versions it names (`old`, `new`, ...).
    pub versions: Vec<String>,
    /// Concurrent application sessions (connections).
    pub sessions: u32,
    /// Of them, sessions that keep server-side prepared statements.
    pub prepared_sessions: u32,
    /// How long a transaction was held open as each migration step started
    /// (0: none), milliseconds.
    pub long_transaction_ms: u64,
    /// Whether it also held a write lock (ROW EXCLUSIVE) on its tables.
    pub long_transaction_writes: bool,
}

/// What counts as downtime.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Budget {
    /// The longest any workload query may take, milliseconds.
    pub max_stall_ms: u64,
    /// Workload errors allowed (lost or changed rows count as errors).
    pub max_errors: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_stall_ms: 1000,
            max_errors: 0,
        }
    }
}

/// Latencies of workload queries.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Latency {
    /// Queries timed.
    pub queries: u64,
    /// Median, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, milliseconds.
    pub p99_ms: f64,
    /// The slowest, milliseconds.
    pub max_ms: f64,
}

/// What a step is.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// SQL run against the database.
    Migration,
    /// A deployment: the application versions live change.
    Deploy,
}

/// How a step ended.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It ran to the end.
    Applied,
    /// A statement failed; the rehearsal stopped.
    Failed,
    /// It was not reached (an earlier step failed, or the run was stopped).
    NotRun,
}

/// One step of a rehearsal and what the workload saw during it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RehearsalStep {
    /// 1-based.
    pub index: u32,
    /// What it does: the plan step's title, or the migration file.
    pub title: String,
    /// A migration or a deployment.
    pub kind: StepKind,
    /// The release it belongs to, for a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub release: Option<String>,
    /// Its phase: `regular`, `post-deploy`, `background`, `application`.
    pub phase: String,
    /// The application versions live during it.
    pub live: Vec<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why it failed: the statement's error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: Option<String>,
    /// How long it ran, milliseconds.
    pub duration_ms: f64,
    /// The locks its session held or waited for on tables, indexes and
    /// sequences (sampled from `pg_locks`): the strongest per relation.
    pub locks: Vec<LockSeen>,
    /// Tables whose storage it rewrote (a new `relfilenode`).
    pub rewritten: Vec<String>,
    /// The workload's latencies while it ran.
    pub latency: Latency,
    /// The longest a workload query waited on a lock, as sampled from
    /// `pg_stat_activity`, milliseconds.
    pub max_lock_wait_ms: f64,
    /// Workload errors while it ran.
    pub errors: u64,
    /// The first kinds of workload error, with counts.
    pub first_errors: Vec<WorkloadError>,
    /// The slowest query finishing in each slice of `sliceMs`, in order:
    /// the stall chart.
    pub chart: Vec<f64>,
    /// The width of a chart slice, milliseconds.
    pub slice_ms: f64,
}

/// A lock a migration step's session held (or waited for).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LockSeen {
    /// The relation.
    pub relation: String,
    /// The mode (`AccessExclusiveLock`, ...).
    pub mode: String,
    /// Whether it was granted when seen (false: only waited for).
    pub granted: bool,
}

/// A kind of workload error.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadError {
    /// The application version that ran it.
    pub version: String,
    /// The statement (or the check) that failed.
    pub statement: String,
    /// The first message.
    pub message: String,
    /// How many times.
    pub count: u64,
}

/// What the workload wrote, checked at the end.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataCheck {
    /// Rows whose acknowledged value was checked at the end.
    pub rows_checked: u64,
    /// Reads during the run that returned the value last acknowledged.
    pub reads_checked: u64,
    /// Acknowledged rows missing at the end.
    pub lost: u64,
    /// Rows listed more than once at the end.
    pub duplicated: u64,
    /// Rows whose value differs from the one last acknowledged.
    pub changed: u64,
    /// Acknowledged rows that could not be checked: the live version's
    /// `all` statement failed (its error is among the examples and counts
    /// as one workload error).
    pub unchecked: u64,
    /// A few examples of each problem.
    pub examples: Vec<String>,
}

/// The verdict.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Verdict {
    /// Within the budget, and every step applied.
    pub pass: bool,
    /// Why not, one line each.
    pub reasons: Vec<String>,
    /// Workload errors in all (lost and changed rows included).
    pub errors: u64,
    /// The longest any workload query took, milliseconds.
    pub max_stall_ms: f64,
}

/// Where a failed rehearsal stopped, and how to undo what it applied.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Stopped {
    /// The step (1-based).
    pub step: u32,
    /// The statement that failed, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub statement: Option<String>,
    /// Its line in the step's SQL (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub line: Option<u32>,
    /// What went wrong.
    pub error: String,
    /// The state the database was left in.
    pub note: String,
    /// The rollback SQL of the steps applied, last applied first.
    pub rollback: Vec<RollbackStep>,
}

/// The rollback of one applied step.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollbackStep {
    /// The step (1-based).
    pub step: u32,
    /// Its title.
    pub title: String,
    /// Its rollback SQL, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sql: Option<String>,
}

fn ms(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 10.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn latency_line(l: &Latency) -> String {
    if l.queries == 0 {
        return "no workload query".to_string();
    }
    format!(
        "{} queries, p50 {}, p99 {}, max {}",
        l.queries,
        ms(l.p50_ms),
        ms(l.p99_ms),
        ms(l.max_ms)
    )
}

/// A stall chart: one character per slice, its height the slowest query
/// finishing in it, on a scale from 0 to `top` milliseconds. `unicode`:
/// block characters, else ASCII digits (0-9).
pub fn stall_chart(chart: &[f64], top: f64, unicode: bool) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = if top > 0.0 { top } else { 1.0 };
    chart
        .iter()
        .map(|&v| {
            let f = (v / top).clamp(0.0, 1.0);
            if unicode {
                BLOCKS[((f * 7.0).round() as usize).min(7)]
            } else {
                char::from(b'0' + ((f * 9.0).round() as u8).min(9))
            }
        })
        .collect()
}

/// The rehearsal as `zerodown rehearse` prints it: the verdict, then a
/// timeline of the steps with what the workload saw in each, then the data
/// check. `unicode`: stall charts in block characters (else ASCII digits).
pub fn render_rehearsal_text(r: &Rehearsal, unicode: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let w = &r.workload;
    let _ = writeln!(out, "Rehearsal on PostgreSQL {} ({})", r.server, r.database);
    let _ = writeln!(
        out,
        "workload: {} (versions {}), {} sessions ({} with prepared statements){}; {} rows per table",
        w.source,
        w.versions.join(", "),
        w.sessions,
        w.prepared_sessions,
        if w.long_transaction_ms > 0 {
            format!(
                ", a {} transaction held up to {} as each migration starts",
                if w.long_transaction_writes { "writing" } else { "read" },
                ms(w.long_transaction_ms as f64)
            )
        } else {
            String::new()
        },
        r.rows
    );
    let _ = writeln!(out, "before the first step: {}", latency_line(&r.baseline));
    // One scale for every chart: the budget, or the worst stall if higher.
    let top = r
        .steps
        .iter()
        .flat_map(|s| s.chart.iter().copied())
        .fold(r.budget.max_stall_ms as f64, f64::max);
    for s in &r.steps {
        let _ = writeln!(out);
        let release = s
            .release
            .as_deref()
            .map(|v| format!("{v}, "))
            .unwrap_or_default();
        let mark = match (s.outcome, s.kind) {
            (Outcome::Failed, _) => "FAILED",
            (Outcome::NotRun, _) => "not run",
            (Outcome::Applied, StepKind::Deploy) => "deployed",
            (Outcome::Applied, StepKind::Migration) => "applied",
        };
        let took = match (s.outcome, s.kind) {
            (Outcome::NotRun, _) | (_, StepKind::Deploy) => String::new(),
            _ => format!(" in {}", ms(s.duration_ms)),
        };
        let _ = writeln!(
            out,
            "step {} ({release}{}): {}: {mark}{took}",
            s.index, s.phase, s.title
        );
        let _ = writeln!(out, "  live: {}", s.live.join(", "));
        if s.outcome == Outcome::NotRun {
            continue;
        }
        if let Some(e) = &s.error {
            let _ = writeln!(out, "  error: {e}");
        }
        if !s.locks.is_empty() {
            let locks: Vec<String> = s
                .locks
                .iter()
                .map(|l| {
                    let waited = if l.granted { "" } else { " (waited)" };
                    format!("{} {}{waited}", l.mode, l.relation)
                })
                .collect();
            let _ = writeln!(out, "  locks: {}", locks.join(", "));
        }
        if !s.rewritten.is_empty() {
            let _ = writeln!(out, "  rewrote: {}", s.rewritten.join(", "));
        }
        let _ = writeln!(out, "  workload: {}", latency_line(&s.latency));
        if s.max_lock_wait_ms > 0.0 {
            let _ = writeln!(out, "  longest lock wait: {}", ms(s.max_lock_wait_ms));
        }
        if !s.chart.is_empty() && s.latency.queries > 0 {
            let _ = writeln!(
                out,
                "  stalls |{}| {} per mark, top {}",
                stall_chart(&s.chart, top, unicode),
                ms(s.slice_ms),
                ms(top)
            );
        }
        if s.errors > 0 {
            let _ = writeln!(out, "  errors: {}", s.errors);
            for e in &s.first_errors {
                let _ = writeln!(
                    out,
                    "    {}× {} `{}`: {}",
                    e.count, e.version, e.statement, e.message
                );
            }
        }
    }
    let d = &r.data;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "data: {} rows checked at the end, {} reads checked during the run; {} lost, {} duplicated, {} changed{}",
        d.rows_checked,
        d.reads_checked,
        d.lost,
        d.duplicated,
        d.changed,
        if d.unchecked > 0 {
            format!(", {} could not be checked", d.unchecked)
        } else {
            String::new()
        }
    );
    for e in &d.examples {
        let _ = writeln!(out, "  {e}");
    }
    if let Some(st) = &r.stopped {
        let _ = writeln!(out);
        let at = match (&st.statement, st.line) {
            (Some(sql), Some(line)) => format!(" at line {line}: `{sql}`"),
            (Some(sql), None) => format!(": `{sql}`"),
            _ => String::new(),
        };
        let _ = writeln!(out, "stopped at step {}{at}", st.step);
        let _ = writeln!(out, "  {}", st.error);
        let _ = writeln!(out, "  {}", st.note);
        if !st.rollback.is_empty() {
            let _ = writeln!(out, "  rollback of the steps applied, last first:");
            for rb in &st.rollback {
                match &rb.sql {
                    Some(sql) => {
                        let _ = writeln!(out, "  -- step {}: {}", rb.step, rb.title);
                        for line in sql.trim_end().lines() {
                            let _ = writeln!(out, "  {line}");
                        }
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "  -- step {}: {}: no rollback SQL known",
                            rb.step, rb.title
                        );
                    }
                }
            }
        }
    }
    let v = &r.verdict;
    let _ = writeln!(out);
    let budget = format!(
        "budget: no query over {}, at most {} workload error{}",
        ms(r.budget.max_stall_ms as f64),
        r.budget.max_errors,
        if r.budget.max_errors == 1 { "" } else { "s" }
    );
    if v.pass {
        let _ = writeln!(
            out,
            "PASS: slowest query {}, {} workload errors ({budget}); {}",
            ms(v.max_stall_ms),
            v.errors,
            ms(r.duration_ms)
        );
    } else {
        let _ = writeln!(out, "FAIL ({budget}):");
        for reason in &v.reasons {
            let _ = writeln!(out, "  {reason}");
        }
    }
    out
}
