//! A throwaway PostgreSQL cluster for tests: `zerodown rehearse`'s own
//! `--start-postgres` server (`zerodown::rehearse::server::LocalServer`:
//! `initdb` into a temporary folder, `pg_ctl start` on a free local port
//! with its Unix socket in that folder, teardown on drop), with `psql` for
//! every statement.
//!
//! Policy: when the server binaries are missing the test FAILS with a clear
//! message, unless `ZERODOWN_SKIP_PG=1` is set (then `Cluster::start`
//! returns None and the caller returns early, saying so).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use zerodown::rehearse::server::{find_bin, LocalServer};

/// A running throwaway cluster.
pub struct Cluster {
    server: LocalServer,
    psql: PathBuf,
}

/// The servers of PostgreSQL's majors that `.ci/pg-servers` unpacks into
/// `$ZERODOWN_PG_SERVERS` (default `/var/tmp/zerodown-pg`): (major, bin
/// folder) for each of `majors`. A missing major panics, unless
/// `ZERODOWN_SKIP_PG=1` (then None, said on stderr).
pub fn servers(majors: &[u32]) -> Option<Vec<(u32, PathBuf)>> {
    let dir = std::env::var_os("ZERODOWN_PG_SERVERS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/tmp/zerodown-pg"));
    let mut found: BTreeMap<u32, PathBuf> = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(major) = name.split('.').next().and_then(|m| m.parse::<u32>().ok()) else {
                continue;
            };
            let bin = e.path().join("bin");
            if bin.join("postgres").is_file() {
                found.insert(major, bin);
            }
        }
    }
    let missing: Vec<u32> = majors
        .iter()
        .copied()
        .filter(|m| !found.contains_key(m))
        .collect();
    if !missing.is_empty() {
        if std::env::var("ZERODOWN_SKIP_PG").is_ok_and(|v| v == "1") {
            eprintln!(
                "ZERODOWN_SKIP_PG=1: PostgreSQL {missing:?} not in {}, skipping",
                dir.display()
            );
            return None;
        }
        panic!(
            "PostgreSQL {missing:?} not found in {} (run `bash .ci/pg-servers`, as .ci/run does, or set ZERODOWN_SKIP_PG=1 to skip knowingly)",
            dir.display()
        );
    }
    Some(
        found
            .into_iter()
            .filter(|(m, _)| majors.contains(m))
            .collect(),
    )
}

impl Cluster {
    /// Starts a cluster, or returns None when `ZERODOWN_SKIP_PG=1` and the
    /// binaries are missing. Panics with a clear message otherwise.
    pub fn start() -> Option<Cluster> {
        let skip = std::env::var("ZERODOWN_SKIP_PG").is_ok_and(|v| v == "1");
        let bin = match find_bin(None) {
            Ok(b) => b,
            Err(e) if skip => {
                eprintln!("ZERODOWN_SKIP_PG=1: {e}; skipping the PostgreSQL proof");
                return None;
            }
            Err(e) => panic!("{e} (as .ci/run installs it), or set ZERODOWN_SKIP_PG=1 to skip this proof knowingly."),
        };
        Some(Cluster::start_at(bin))
    }

    /// Starts a cluster from the server binaries in `bin` (initdb, pg_ctl,
    /// postgres). psql comes from `bin`, else from Debian's newest major,
    /// else from PATH. Panics with a clear message when it cannot start.
    pub fn start_at(bin: PathBuf) -> Cluster {
        let psql = [Some(bin.clone()), find_bin(None).ok()]
            .into_iter()
            .flatten()
            .map(|b| b.join("psql"))
            .find(|p| p.is_file())
            .unwrap_or_else(|| PathBuf::from("psql"));
        let server = LocalServer::start(&bin).unwrap_or_else(|e| panic!("{e}"));
        Cluster { server, psql }
    }

    /// The server, as `zerodown rehearse` starts it.
    pub fn server(&self) -> &LocalServer {
        &self.server
    }

    /// The psql the cluster runs statements with.
    pub fn psql_path(&self) -> &Path {
        &self.psql
    }

    /// A new folder in the cluster's own folder, owned by the server's user
    /// (for `CREATE TABLESPACE ... LOCATION`).
    pub fn server_folder(&self, name: &str) -> PathBuf {
        let dir = self.server.root().join(name);
        std::fs::create_dir_all(&dir).expect("create a folder for the server");
        if self.server.as_postgres() {
            let ok = Command::new("chown")
                .arg("postgres:postgres")
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown of {} to postgres failed", dir.display());
        }
        dir
    }

    /// The socket folder.
    pub fn socket_dir(&self) -> &Path {
        self.server.socket_dir()
    }

    /// The server's port (its Unix socket is `socket_dir()/.s.PGSQL.<port>`).
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// Runs `sql` through `psql -f -` (each statement sent on its own, in
    /// autocommit mode, stopping at the first error) in database `db`.
    /// Returns the unaligned, tuples-only output, or the error text.
    pub fn run(&self, db: &str, sql: &str) -> Result<String, String> {
        let mut child = Command::new(&self.psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.server.socket_dir())
            .args([
                "-p",
                &self.server.port().to_string(),
                "-U",
                "postgres",
                "-d",
                db,
                "-f",
                "-",
            ])
            .env("PGOPTIONS", "-c client_min_messages=warning")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run psql: {e}"))?;
        child
            .stdin
            .take()
            .ok_or("no stdin")?
            .write_all(sql.as_bytes())
            .map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
        } else {
            Err(format!(
                "{}{}",
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            ))
        }
    }

    /// Like [`Cluster::run`], panicking on failure.
    pub fn exec(&self, db: &str, sql: &str) -> String {
        match self.run(db, sql) {
            Ok(s) => s,
            Err(e) => panic!("SQL failed in {db}:\n{sql}\n--- error:\n{e}"),
        }
    }

    /// Creates an empty database.
    pub fn create_db(&self, name: &str) {
        self.exec("postgres", &format!("CREATE DATABASE {name};"));
    }
}
