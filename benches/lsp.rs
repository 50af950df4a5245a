//! Diagnostics latency of `zerodown lsp`: the time from writing a
//! `textDocument/didChange` (full text) of a 2,000-line SQL migration to
//! reading its `textDocument/publishDiagnostics`, median of N runs, on the
//! bench profile's binary over real pipes.
//!
//! `cargo bench --bench lsp` (`-- --runs N`, `-- --lines N`).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A migration of about `lines` lines: tables, columns, indexes and
/// constraints, some of them findings.
fn migration(lines: usize) -> String {
    let mut out = String::from("-- A generated migration for the LSP benchmark.\n");
    let mut i = 0;
    while out.lines().count() < lines {
        let t = format!("table_{}", i % 40);
        let piece = match i % 8 {
            0 => format!(
                "CREATE TABLE {t}_{i} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n"
            ),
            1 => format!("ALTER TABLE {t} ADD COLUMN c{i} integer;\n"),
            2 => format!("CREATE INDEX idx_{i} ON {t} (c{i});\n"),
            3 => format!("CREATE INDEX CONCURRENTLY idx_c_{i} ON {t} (name);\n"),
            4 => format!("-- step {i}: backfill\nUPDATE {t} SET c{i} = 0 WHERE id < 1000;\n"),
            5 => format!(
                "ALTER TABLE {t} ADD CONSTRAINT fk_{i} FOREIGN KEY (c{i}) REFERENCES users (id) NOT VALID;\n"
            ),
            6 => format!("ALTER TABLE {t} VALIDATE CONSTRAINT fk_{}; \n", i - 1),
            _ => format!("COMMENT ON TABLE {t} IS 'table {i}';\n"),
        };
        out.push_str(&piece);
        i += 1;
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = arg("--runs", 101);
    let lines = arg("--lines", 2000);
    let text = migration(lines);

    let mut child = Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zerodown lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |v: Value| {
        let body = serde_json::to_vec(&v).expect("json");
        let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        msg.extend(body);
        stdin.write_all(&msg).expect("write");
        stdin.flush().expect("flush");
    };
    let mut read = move || -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).expect("read") > 0,
                "server ended"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        stdout.read_exact(&mut body).expect("body");
        serde_json::from_slice(&body).expect("json")
    };
    let uri = "file:///bench/db/migrate/001_bench.sql";
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": "file:///bench", "capabilities": {}}}));
    while read().get("id") != Some(&json!(1)) {}
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "sql", "version": 1, "text": text}}}),
    );
    let mut diagnostics = 0;
    while read()["method"] != "textDocument/publishDiagnostics" {}
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let version = i32::try_from(run).unwrap_or(0) + 2;
        // A different text each time: an edit on the last line.
        let changed = format!("{text}-- edit {run}\n");
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": changed}]}});
        let start = Instant::now();
        send(change);
        loop {
            let m = read();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"] == json!(version)
            {
                diagnostics = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
                break;
            }
        }
        times.push(start.elapsed());
    }
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "lsp didChange -> publishDiagnostics, {} lines ({} bytes), {diagnostics} diagnostics, {runs} runs: median {:.2} ms, p90 {:.2} ms, min {:.2} ms, max {:.2} ms",
        text.lines().count() + 1,
        text.len(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}
