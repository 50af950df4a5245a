//! The workload of a rehearsal: application versions and the statements
//! each runs, read from a TOML file or generated from the schema
//! (`generate.rs`).
//!
//! ```toml
//! sessions = 4            # connections running the application
//! prepared_sessions = 1   # of them, those keeping server-side prepared statements
//! think = "2ms"           # pause between a session's rounds
//! rate = 0                # rounds per second per session (0: as fast as `think` allows)
//! long_transaction = "3s" # a transaction held open as each migration starts ("0": none)
//! long_transaction_writes = false  # it also holds a write lock (ROW EXCLUSIVE), as a batch job would
//! tables = ["users"]      # what it reads (and, writing, locks); what --rows fills
//!
//! [[version]]
//! name = "old"            # `old` runs before the deploy, `new` after it
//! data = "users"          # the rows its statements write and read
//! values = "text"         # what $value is: "text", "integer" or "json" ({"k": "..."})
//! insert = "INSERT INTO users (name) VALUES ($value) RETURNING id"
//! update = "UPDATE users SET name = $value WHERE id = $id"
//! read   = "SELECT name FROM users WHERE id = $id"
//! all    = "SELECT id, name FROM users"
//! [[version.query]]       # more traffic, weighted against one round
//! sql = "SELECT count(*) FROM users WHERE name = $value"
//! weight = 0.5
//! ```
//!
//! A round is one short write transaction (the insert, then the update of a
//! row the session wrote or owns) and a read of such a row, checked against
//! the value last acknowledged. `all` lists every row (id, value) for the
//! check at the end: lost, duplicated or changed rows.

use std::time::Duration;

use serde::Deserialize;

/// When an application version is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Before the deployment (and during it).
    Old,
    /// After the deployment (and during it).
    New,
    /// Throughout.
    Always,
}

/// One statement, its named parameters turned into positional ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// As written.
    pub written: String,
    /// As sent: `$value` and `$id` replaced by `$1`, `$2` in order of first use.
    pub sql: String,
    /// The parameter of each position.
    pub params: Vec<Param>,
}

/// A named parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// The value written or read back (text).
    Value,
    /// The id of a row of the version's data.
    Id,
}

/// What a version's `$value` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Text unique to the session and round (`s1r42a`).
    Text,
    /// An integer unique to the session and round.
    Integer,
    /// A JSON object with that text under key `k` (`{"k": "s1r42a"}`), as
    /// jsonb prints it, so that text and jsonb columns read back the same.
    Json,
}

/// A weighted extra statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Extra {
    /// The statement.
    pub query: Query,
    /// How often, against one round (1.0: as often as rounds).
    pub weight: f64,
}

/// An application version.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// Its name.
    pub name: String,
    /// When it is live.
    pub role: Role,
    /// The data set its rows belong to (versions sharing one check each
    /// other's writes).
    pub data: String,
    /// What `$value` is.
    pub values: Values,
    /// Inserts a row with `$value`, returning its id in the first column.
    pub insert: Option<Query>,
    /// Updates row `$id` to `$value`.
    pub update: Option<Query>,
    /// Reads row `$id`'s value in its first column.
    pub read: Option<Query>,
    /// Lists every row: id, value.
    pub all: Option<String>,
    /// Further statements.
    pub extra: Vec<Extra>,
}

/// A workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Where it comes from: the file, or `generated`.
    pub source: String,
    /// Connections running the application.
    pub sessions: u32,
    /// Of them, those keeping server-side prepared statements.
    pub prepared_sessions: u32,
    /// Pause between a session's rounds.
    pub think: Duration,
    /// Rounds per second per session (None: as fast as `think` allows).
    pub rate: Option<f64>,
    /// A transaction held open, at most this long, as each migration step
    /// starts (zero: none), as a report, `pg_dump` or a batch job would.
    pub long_transaction: Duration,
    /// It also holds a write lock (ROW EXCLUSIVE) on its tables.
    pub long_transaction_writes: bool,
    /// What it reads (and, writing, locks); what `--rows` fills.
    pub tables: Vec<String>,
    /// The application versions.
    pub versions: Vec<Version>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkload {
    sessions: Option<u32>,
    prepared_sessions: Option<u32>,
    think: Option<String>,
    rate: Option<f64>,
    long_transaction: Option<String>,
    #[serde(default)]
    long_transaction_writes: bool,
    #[serde(default)]
    tables: Vec<String>,
    #[serde(default)]
    version: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    name: String,
    live: Option<String>,
    data: Option<String>,
    values: Option<String>,
    insert: Option<String>,
    update: Option<String>,
    read: Option<String>,
    all: Option<String>,
    #[serde(default)]
    query: Vec<RawExtra>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtra {
    sql: String,
    weight: Option<f64>,
}

/// Most sessions a workload may ask for.
pub const MAX_SESSIONS: u32 = 64;

/// A duration as PostgreSQL writes one (`200ms`, `3s`, `1min`; a bare
/// number is milliseconds; quotes allowed).
pub fn parse_duration(s: &str) -> Option<Duration> {
    crate::model::parse_duration_ms(s.trim().trim_matches('\'')).map(Duration::from_millis)
}

/// Turns `$value` and `$id` into positional parameters. Quoted text,
/// quoted names, comments and dollar quotes are left alone. `what` names
/// the statement in errors.
pub fn named_params(sql: &str, what: &str) -> Result<Query, String> {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut params: Vec<Param> = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'$' => {
                let start = i;
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                let word = &sql[start + 1..j];
                if b.get(j) == Some(&b'$') {
                    // A dollar quote: skip to its end.
                    let tag = &sql[start..=j];
                    i = sql[j + 1..]
                        .find(tag)
                        .map_or(b.len(), |e| j + 1 + e + tag.len());
                    continue;
                }
                let param = match word {
                    "value" => Param::Value,
                    "id" => Param::Id,
                    w if !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()) => {
                        return Err(format!(
                            "{what}: positional parameter `${w}`: write `$value` and `$id`"
                        ));
                    }
                    "" => {
                        i += 1;
                        continue;
                    }
                    w => {
                        return Err(format!(
                            "{what}: unknown parameter `${w}` (the parameters are `$value` and `$id`)"
                        ));
                    }
                };
                let n = match params.iter().position(|p| *p == param) {
                    Some(n) => n + 1,
                    None => {
                        params.push(param);
                        params.len()
                    }
                };
                out.push_str(&sql[copied..start]);
                out.push_str(&format!("${n}"));
                copied = j;
                i = j;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    // Every statement must read as SQL, so that a typo is an error before
    // anything runs rather than thousands of workload errors.
    let parsed = crate::sql::parse(out.trim().trim_end_matches(';'));
    if let Err(e) = parsed {
        return Err(format!("{what}: not valid SQL: {e}: `{sql}`"));
    }
    Ok(Query {
        written: sql.to_string(),
        sql: out,
        params,
    })
}

impl Workload {
    /// Reads a workload file. Errors name the file and the line.
    pub fn parse(text: &str, path: &str) -> Result<Workload, String> {
        let raw: RawWorkload = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!(":{line}")
                })
                .unwrap_or_default();
            format!("{path}{at}: {}", e.message())
        })?;
        let dur = |v: &Option<String>, key: &str, default: Duration| match v {
            None => Ok(default),
            Some(s) => parse_duration(s)
                .ok_or_else(|| format!("{path}: {key}: `{s}` is not a duration (`200ms`, `3s`)")),
        };
        let sessions = raw.sessions.unwrap_or(4);
        if sessions == 0 || sessions > MAX_SESSIONS {
            return Err(format!(
                "{path}: sessions: {sessions}: between 1 and {MAX_SESSIONS}"
            ));
        }
        let prepared_sessions = raw.prepared_sessions.unwrap_or(1.min(sessions));
        if prepared_sessions > sessions {
            return Err(format!(
                "{path}: prepared_sessions ({prepared_sessions}) is more than sessions ({sessions})"
            ));
        }
        let rate = match raw.rate {
            None => None,
            Some(0.0) => None,
            Some(r) if r.is_finite() && r > 0.0 => Some(r),
            Some(r) => return Err(format!("{path}: rate: {r}: a positive number")),
        };
        if raw.version.is_empty() {
            return Err(format!(
                "{path}: no [[version]]: name the application versions and their statements"
            ));
        }
        let mut versions = Vec::new();
        for (n, v) in raw.version.into_iter().enumerate() {
            let what = |k: &str| format!("{path}: version `{}` ({}): {k}", v.name, n + 1);
            let role = match v.live.as_deref() {
                Some("before") => Role::Old,
                Some("after") => Role::New,
                Some("always") => Role::Always,
                Some(other) => {
                    return Err(format!(
                        "{}: `{other}`: `before` (the deploy), `after` or `always`",
                        what("live")
                    ))
                }
                None => match v.name.as_str() {
                    "old" => Role::Old,
                    "new" => Role::New,
                    _ => {
                        return Err(format!(
                            "{}: say when it runs: live = \"before\", \"after\" or \"always\" (`old` and `new` need not)",
                            what("live")
                        ))
                    }
                },
            };
            if versions.iter().any(|x: &Version| x.name == v.name) {
                return Err(format!("{path}: version `{}` is named twice", v.name));
            }
            let q =
                |s: &Option<String>, k: &str, need: &[Param]| -> Result<Option<Query>, String> {
                    let Some(s) = s else { return Ok(None) };
                    let q = named_params(s, &what(k))?;
                    for p in need {
                        if !q.params.contains(p) {
                            let name = match p {
                                Param::Value => "$value",
                                Param::Id => "$id",
                            };
                            return Err(format!("{}: uses no `{name}`: `{s}`", what(k)));
                        }
                    }
                    Ok(Some(q))
                };
            let insert = q(&v.insert, "insert", &[Param::Value])?;
            let update = q(&v.update, "update", &[Param::Value, Param::Id])?;
            let read = q(&v.read, "read", &[Param::Id])?;
            if let Some(all) = &v.all {
                let q = named_params(all, &what("all"))?;
                if !q.params.is_empty() {
                    return Err(format!("{}: takes no parameter: `{all}`", what("all")));
                }
            }
            if insert.is_none() && update.is_none() && read.is_none() && v.query.is_empty() {
                return Err(format!(
                    "{}: no statement (insert, update, read or [[version.query]])",
                    what("statements")
                ));
            }
            if (update.is_some() || read.is_some()) && insert.is_none() && v.all.is_none() {
                return Err(format!(
                    "{}: update and read need rows: give `insert` or `all` (to find the existing ones)",
                    what("statements")
                ));
            }
            let mut extra = Vec::new();
            for (k, e) in v.query.iter().enumerate() {
                let weight = e.weight.unwrap_or(1.0);
                if !(weight.is_finite() && weight > 0.0) {
                    return Err(format!(
                        "{}: weight {weight}: a positive number",
                        what(&format!("query {}", k + 1))
                    ));
                }
                extra.push(Extra {
                    query: named_params(&e.sql, &what(&format!("query {}", k + 1)))?,
                    weight,
                });
            }
            let values = match v.values.as_deref() {
                None | Some("text") => Values::Text,
                Some("integer") => Values::Integer,
                Some("json") => Values::Json,
                Some(other) => {
                    return Err(format!(
                        "{}: `{other}`: \"text\", \"integer\" or \"json\"",
                        what("values")
                    ))
                }
            };
            versions.push(Version {
                values,
                data: v.data.clone().unwrap_or_else(|| "rows".to_string()),
                name: v.name,
                role,
                insert,
                update,
                read,
                all: v.all,
                extra,
            });
        }
        Ok(Workload {
            source: path.to_string(),
            sessions,
            prepared_sessions,
            think: dur(&raw.think, "think", Duration::from_millis(2))?,
            rate,
            long_transaction: dur(
                &raw.long_transaction,
                "long_transaction",
                Duration::from_secs(3),
            )?,
            long_transaction_writes: raw.long_transaction_writes,
            tables: raw.tables,
            versions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_parameters_become_positional_outside_quotes() {
        let q = named_params(
            "UPDATE t SET a = $value, b = '$id' /* $id */ WHERE id = $id AND c = $value -- $x\n",
            "u",
        )
        .expect("valid");
        assert_eq!(
            q.sql,
            "UPDATE t SET a = $1, b = '$id' /* $id */ WHERE id = $2 AND c = $1 -- $x\n"
        );
        assert_eq!(q.params, vec![Param::Value, Param::Id]);
        let e = named_params("SELECT $1", "r").unwrap_err();
        assert!(e.contains("`$1`"), "{e}");
        let e = named_params("SELECT $nope", "r").unwrap_err();
        assert!(e.contains("unknown parameter `$nope`"), "{e}");
        let e = named_params("SELEC name FROM t WHERE id = $id", "r").unwrap_err();
        assert!(e.contains("not valid SQL"), "{e}");
        let q = named_params("SELECT $$ $id $$, $id", "r").expect("dollar quote");
        assert_eq!(q.sql, "SELECT $$ $id $$, $1");
    }

    #[test]
    fn workload_errors_name_the_file_line_and_version() {
        let e = Workload::parse("sessions = \"x\"\n", "w.toml").unwrap_err();
        assert!(e.starts_with("w.toml:1:"), "{e}");
        let e = Workload::parse("[[version]]\nname = \"blue\"\ninsert = \"INSERT INTO t (a) VALUES ($value) RETURNING id\"\n", "w.toml").unwrap_err();
        assert!(e.contains("version `blue`") && e.contains("live"), "{e}");
        let e = Workload::parse(
            "[[version]]\nname = \"old\"\nread = \"SELECT a FROM t WHERE id = $id\"\n",
            "w.toml",
        )
        .unwrap_err();
        assert!(e.contains("give `insert` or `all`"), "{e}");
        let e = Workload::parse("nope = 1\n", "w.toml").unwrap_err();
        assert!(e.contains("w.toml:1") && e.contains("nope"), "{e}");
        let w = Workload::parse(
            "long_transaction = \"0\"\n[[version]]\nname = \"new\"\ninsert = \"INSERT INTO t (a) VALUES ($value) RETURNING id\"\n",
            "w.toml",
        )
        .expect("valid");
        assert_eq!(w.versions[0].role, Role::New);
        assert_eq!(w.long_transaction, Duration::ZERO);
        assert_eq!(w.sessions, 4);
    }
}
