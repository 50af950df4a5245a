//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary
//! folder, `pg_ctl start` on a free local port with its Unix socket in that
//! folder, `psql` for every statement, and teardown on drop.
//!
//! Policy: when the server binaries are missing the test FAILS with a clear
//! message, unless `ZERODOWN_SKIP_PG=1` is set (then `Cluster::start`
//! returns None and the caller returns early, saying so).

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A running throwaway cluster.
pub struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    psql: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn find_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ZERODOWN_PG_BIN") {
        let p = PathBuf::from(p);
        return p.join("initdb").is_file().then_some(p);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    l.local_addr().expect("local addr").port()
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl Cluster {
    /// Starts a cluster, or returns None when `ZERODOWN_SKIP_PG=1` and the
    /// binaries are missing. Panics with a clear message otherwise.
    pub fn start() -> Option<Cluster> {
        let skip = std::env::var("ZERODOWN_SKIP_PG").is_ok_and(|v| v == "1");
        let Some(bin) = find_bin() else {
            if skip {
                eprintln!("ZERODOWN_SKIP_PG=1: PostgreSQL server binaries not found, skipping the PostgreSQL proof");
                return None;
            }
            panic!("PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and $ZERODOWN_PG_BIN). Install Debian's `postgresql` package (as .ci/run does), or set ZERODOWN_SKIP_PG=1 to skip this proof knowingly.");
        };
        Some(Cluster::start_at(bin))
    }

    /// Starts a cluster from the server binaries in `bin` (initdb, pg_ctl,
    /// postgres). psql comes from `bin`, else from Debian's newest major,
    /// else from PATH. Panics with a clear message when it cannot start.
    pub fn start_at(bin: PathBuf) -> Cluster {
        let psql = [Some(bin.clone()), find_bin()]
            .into_iter()
            .flatten()
            .map(|b| b.join("psql"))
            .find(|p| p.is_file())
            .unwrap_or_else(|| PathBuf::from("psql"));
        let as_postgres = is_root();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root = std::env::temp_dir().join(format!(
            "zerodown-pg-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&root).expect("create the cluster folder");
        let mut c = Cluster {
            root,
            bin,
            psql,
            port: free_port(),
            as_postgres,
        };
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&c.root)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown of {} to postgres failed", c.root.display());
        }
        let data = c.root.join("data");
        let out = c
            .server_cmd("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A few tries in case another process takes the port in between.
        for attempt in 0..3 {
            let opts = format!(
                "-p {} -k {} -c listen_addresses='' -c fsync=off -c full_page_writes=off",
                c.port,
                c.root.display()
            );
            let out = c
                .server_cmd("pg_ctl")
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(c.root.join("server.log"))
                .args(["-o", &opts])
                .output()
                .expect("run pg_ctl");
            if out.status.success() {
                return c;
            }
            if attempt == 2 {
                let log = std::fs::read_to_string(c.root.join("server.log")).unwrap_or_default();
                panic!(
                    "pg_ctl start failed: {}\n{log}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            c.port = free_port();
        }
        unreachable!("pg_ctl start: the last attempt panics")
    }

    fn server_cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c.current_dir(&self.root);
            c
        } else {
            Command::new(path)
        }
    }

    /// The psql the cluster runs statements with.
    pub fn psql_path(&self) -> &Path {
        &self.psql
    }

    /// A new folder in the cluster's own folder, owned by the server's user
    /// (for `CREATE TABLESPACE ... LOCATION`).
    pub fn server_folder(&self, name: &str) -> PathBuf {
        let dir = self.root.join(name);
        std::fs::create_dir_all(&dir).expect("create a folder for the server");
        if self.as_postgres {
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
        &self.root
    }

    /// The server's port (its Unix socket is `socket_dir()/.s.PGSQL.<port>`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs `sql` through `psql -f -` (each statement sent on its own, in
    /// autocommit mode, stopping at the first error) in database `db`.
    /// Returns the unaligned, tuples-only output, or the error text.
    pub fn run(&self, db: &str, sql: &str) -> Result<String, String> {
        let mut child = Command::new(&self.psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.root)
            .args([
                "-p",
                &self.port.to_string(),
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

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .server_cmd("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(self.root.join("data"))
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
