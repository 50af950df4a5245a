//! `--start-postgres`: a throwaway local PostgreSQL server from installed
//! server binaries. `initdb` into a temporary folder, `pg_ctl start` on a
//! free port with its Unix socket in that folder and no TCP listener,
//! stopped and removed on drop. The PostgreSQL tests start their servers
//! with it too (`tests/common/pg.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// A running throwaway server.
#[derive(Debug)]
pub struct LocalServer {
    root: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
    version: String,
}

/// The server binaries to use: `given` (a folder holding `initdb`), else
/// `$ZERODOWN_PG_BIN`, else the newest major under `/usr/lib/postgresql`
/// (Debian's layout), else the folder of `initdb` on `PATH`.
pub fn find_bin(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = given {
        return if p.join("initdb").is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(format!("{}: holds no initdb", p.display()))
        };
    }
    if let Some(p) = std::env::var_os("ZERODOWN_PG_BIN") {
        let p = PathBuf::from(p);
        return if p.join("initdb").is_file() {
            Ok(p)
        } else {
            Err(format!(
                "$ZERODOWN_PG_BIN ({}) holds no initdb",
                p.display()
            ))
        };
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let e = e.ok()?;
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    if let Some((_, b)) = found.pop() {
        return Ok(b);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(dir);
            }
        }
    }
    Err("no PostgreSQL server binaries found (initdb, pg_ctl, postgres): looked in $ZERODOWN_PG_BIN, /usr/lib/postgresql/*/bin and PATH; install PostgreSQL's server package or give --pg-bin DIR".to_string())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free local port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free local port: {e}"))
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl LocalServer {
    /// Starts a server from the binaries in `bin`. Run as root, the server
    /// runs as the `postgres` user (initdb refuses root).
    pub fn start(bin: &Path) -> Result<LocalServer, String> {
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
        std::fs::create_dir_all(&root)
            .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        let mut s = LocalServer {
            root,
            bin: bin.to_path_buf(),
            port: free_port()?,
            as_postgres,
            version: String::new(),
        };
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&s.root)
                .status()
                .is_ok_and(|st| st.success());
            if !ok {
                return Err(format!(
                    "running as root: chown of {} to postgres failed",
                    s.root.display()
                ));
            }
        }
        let data = s.root.join("data");
        let out = s
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
            .map_err(|e| format!("cannot run {}: {e}", s.bin.join("initdb").display()))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        // A few tries in case another process takes the port in between.
        for attempt in 0..3 {
            let opts = format!(
                "-p {} -k {} -c listen_addresses='' -c fsync=off -c full_page_writes=off",
                s.port,
                s.root.display()
            );
            let out = s
                .server_cmd("pg_ctl")
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(s.root.join("server.log"))
                .args(["-o", &opts])
                .output()
                .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
            if out.status.success() {
                let v = Command::new(s.bin.join("postgres"))
                    .arg("--version")
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                    .unwrap_or_default();
                s.version = v;
                return Ok(s);
            }
            if attempt == 2 {
                let log = std::fs::read_to_string(s.root.join("server.log")).unwrap_or_default();
                return Err(format!(
                    "pg_ctl start failed: {}\n{log}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            s.port = free_port()?;
        }
        Err("pg_ctl start failed".to_string())
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

    /// The server's own folder (its socket is in it).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The socket folder.
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    /// The port (its socket is `socket_dir()/.s.PGSQL.<port>`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server binaries' folder.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// Whether the server runs as the `postgres` user (started by root).
    pub fn as_postgres(&self) -> bool {
        self.as_postgres
    }

    /// `postgres --version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// A client configuration for database `db`, as the `postgres` user.
    pub fn config(&self, db: &str) -> postgres::Config {
        let mut c = postgres::Config::new();
        c.host_path(&self.root)
            .port(self.port)
            .user("postgres")
            .dbname(db);
        c
    }

    /// Creates database `name` (a plain identifier).
    pub fn create_db(&self, name: &str) -> Result<(), String> {
        let mut c = self
            .config("postgres")
            .connect(postgres::NoTls)
            .map_err(|e| format!("cannot connect to the throwaway server: {e}"))?;
        c.batch_execute(&format!("CREATE DATABASE {}", crate::model::ident(name)))
            .map_err(|e| format!("CREATE DATABASE {name}: {e}"))
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self
            .server_cmd("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(self.root.join("data"))
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
