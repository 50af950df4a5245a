//! `lint --database-url`: queries on a live database, native only (the
//! `cli` feature, never WebAssembly), through the `postgres` crate.
//!
//! A session here never writes: it runs its queries in one transaction
//! started `READ ONLY` (PostgreSQL refuses any write in it), at REPEATABLE
//! READ (one snapshot for every query), and rolls it back. The queries and
//! the session's timeouts are the caller's ([`crate::lint::CATALOG_SESSION`],
//! [`crate::lint::CATALOG_QUERY`]); this module only carries them.

use std::time::Duration;

use postgres::{Client, IsolationLevel, NoTls, SimpleQueryMessage};

use crate::rehearse::describe;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Each query's rows, each row's columns as text (NULL as an empty string).
pub type Rows = Vec<Vec<String>>;

/// How long a whole read may take (connecting, every query, the rollback)
/// before zerodown gives up: a server that accepts the connection and then
/// says nothing must not hang a CI job.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Connects to `url` (a `postgres://` URL or `key=value` words, as libpq
/// takes them), runs `setup` then each of `queries` in one read-only
/// transaction, rolls back and returns the rows of `queries`. Errors are
/// the client's or the server's text; they never hold the URL (the caller
/// still scrubs them of its password). Gives up after [`DEADLINE`].
pub fn query(url: &str, setup: &str, queries: &[&str]) -> Result<Vec<Rows>, String> {
    query_within(url, setup, queries, DEADLINE)
}

/// [`query`] with another deadline. The session runs on its own thread; past
/// the deadline it is left behind (the process is about to exit) and the
/// answer is an error.
pub fn query_within(
    url: &str,
    setup: &str,
    queries: &[&str],
    deadline: Duration,
) -> Result<Vec<Rows>, String> {
    let (send, receive) = std::sync::mpsc::channel();
    let url = url.to_string();
    let setup = setup.to_string();
    let queries: Vec<String> = queries.iter().map(|q| (*q).to_string()).collect();
    std::thread::spawn(move || {
        let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
        let _ = send.send(session(&url, &setup, &queries));
    });
    match receive.recv_timeout(deadline) {
        Ok(answer) => answer,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("no answer within {} s", deadline.as_secs_f64()))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err("the database client stopped without an answer".to_string())
        }
    }
}

/// One session: connect, read-only transaction, queries, rollback.
fn session(url: &str, setup: &str, queries: &[&str]) -> Result<Vec<Rows>, String> {
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| format!("not a database URL: {}", describe(&e)))?;
    if config.get_ssl_mode() == postgres::config::SslMode::Require {
        return Err(
            "sslmode=require: zerodown connects without TLS for now; use a local socket, a tunnel, or sslmode=disable on a trusted network"
                .to_string(),
        );
    }
    config.connect_timeout(CONNECT_TIMEOUT);
    if config.get_application_name().is_none() {
        config.application_name("zerodown");
    }
    let mut client: Client = config
        .connect(NoTls)
        .map_err(|e| format!("cannot connect: {}", describe(&e)))?;
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(IsolationLevel::RepeatableRead)
        .start()
        .map_err(|e| describe(&e))?;
    tx.batch_execute(setup).map_err(|e| describe(&e))?;
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        let messages = tx.simple_query(q).map_err(|e| describe(&e))?;
        let rows = messages
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).unwrap_or_default().to_string())
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        out.push(rows);
    }
    tx.rollback().map_err(|e| describe(&e))?;
    Ok(out)
}
