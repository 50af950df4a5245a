//! `zerodown lsp`: the real binary driven over stdio with Content-Length
//! framing. Every read has a timeout, so a server that hangs fails the test
//! instead of blocking it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

/// A running server.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zerodown"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start zerodown lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("JSON from the server");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).expect("json");
        let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        msg.extend(body);
        self.raw(&msg);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request_id(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message that `pick` accepts (others are skipped).
    fn wait(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(v) if pick(&v) => return v,
                Ok(_) => {}
                Err(_) => panic!("timed out waiting for {what}"),
            }
        }
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait(&format!("the response to {id}"), |v| {
            v["id"] == json!(id) && v.get("method").is_none()
        })
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_id(method, params);
        self.response(id)
    }

    fn diagnostics(&mut self, uri: &str) -> Value {
        self.wait(&format!("diagnostics for {uri}"), |v| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "sql", "version": 1, "text": text}}),
        );
    }

    /// shutdown, exit, and the exit status.
    fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh folder under the target folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("lsp-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `text` with LSP edits applied (ranges in UTF-16 code units per line).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().expect("line") as usize;
        let character = pos["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, t);
    }
    out
}

const RULE: &str = "add-index-non-concurrently";

#[test]
fn diagnostics_fix_hover_and_exit() {
    let dir = temp_dir("main");
    let mut s = Server::start(&dir);
    let init = s.initialize(&dir, json!({}));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["hoverProvider"], true, "{init}");
    assert!(caps.get("diagnosticProvider").is_none(), "{init}");

    let doc = dir.join("migrations/001_index.sql");
    let u = uri(&doc);
    let text = "-- 日本語 café 😀\n/* 日本語 😀 */ CREATE INDEX idx_c ON t (c);\n";
    s.open(&u, text);
    let d = s.diagnostics(&u);
    let diags = d["diagnostics"].as_array().expect("diagnostics").clone();
    let diag = diags
        .iter()
        .find(|d| d["code"] == RULE)
        .unwrap_or_else(|| panic!("no {RULE}: {d}"))
        .clone();
    assert_eq!(diag["source"], "zerodown");
    assert_eq!(diag["severity"], 1, "{diag}");
    // `/* 日本語 😀 */ ` is 13 UTF-16 units (the emoji is two); the
    // statement, 27 more (without its `;`).
    assert_eq!(
        diag["range"],
        json!({"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 40}}),
        "{diag}"
    );

    // The quick fix, applied here as a client would.
    let r = s.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": u},
            "range": diag["range"],
            "context": {"diagnostics": [diag]},
        }),
    );
    let actions = r["result"].as_array().expect("actions").clone();
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a.get("edit").is_some())
        .unwrap_or_else(|| panic!("no fix: {r}"));
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], RULE);
    let edits = fix["edit"]["changes"][&u].as_array().expect("edits");
    let fixed = apply(text, edits);
    assert_eq!(
        fixed,
        "-- 日本語 café 😀\n/* 日本語 😀 */ CREATE INDEX CONCURRENTLY idx_c ON t (c);\n"
    );

    // Hover on the flagged statement: the finding and the rule's docs.
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 15}}),
    );
    let value = h["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(value.contains(RULE), "{h}");
    assert!(value.contains("# add-index-non-concurrently"), "{h}");
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(h["result"], Value::Null, "{h}");

    s.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": u, "version": 2},
            "contentChanges": [{"text": fixed}],
        }),
    );
    let d = s.diagnostics(&u);
    assert_eq!(d["version"], 2, "{d}");
    assert!(
        !d["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == RULE),
        "{d}"
    );
    assert_eq!(s.stop(), 0);
}

#[test]
fn incremental_changes_are_applied() {
    let dir = temp_dir("incremental");
    let mut s = Server::start(&dir);
    s.initialize(&dir, json!({}));
    let u = uri(&dir.join("a.sql"));
    s.open(&u, "-- 😀\nSELECT 1;\n");
    let d = s.diagnostics(&u);
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    // Replace `SELECT 1` (line 1) with a CREATE INDEX.
    s.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": u, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 8}},
                "text": "CREATE INDEX i ON t (c)",
            }],
        }),
    );
    let d = s.diagnostics(&u);
    assert_eq!(d["diagnostics"][0]["code"], RULE, "{d}");
    assert_eq!(
        d["diagnostics"][0]["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    // An untitled SQL document is linted too; a text file is not.
    s.open("untitled:Untitled-1", "CREATE INDEX i ON t (c);");
    let d = s.diagnostics("untitled:Untitled-1");
    assert_eq!(d["diagnostics"][0]["code"], RULE, "{d}");
    let notes = uri(&dir.join("notes.txt"));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": notes, "languageId": "plaintext", "version": 1, "text": "CREATE INDEX i ON t (c);"}}),
    );
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": notes}, "position": {"line": 0, "character": 1}}),
    );
    assert_eq!(r["result"], Value::Null, "{r}");
    assert_eq!(s.stop(), 0);
}

#[test]
fn pull_diagnostics_when_the_client_asks_for_them() {
    let dir = temp_dir("pull");
    let mut s = Server::start(&dir);
    let init = s.initialize(&dir, json!({"textDocument": {"diagnostic": {}}}));
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["identifier"], "zerodown",
        "{init}"
    );
    let u = uri(&dir.join("a.sql"));
    s.open(&u, "CREATE INDEX i ON t (c);\n");
    let r = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    assert_eq!(r["result"]["kind"], "full", "{r}");
    assert_eq!(r["result"]["items"][0]["code"], RULE, "{r}");
    // Nothing was pushed: the next message is the response to this request.
    let id = s.request_id("shutdown", Value::Null);
    let next = s.wait("any message", |_| true);
    assert_eq!(next["id"], json!(id), "{next}");
    s.notify("exit", Value::Null);
}

#[test]
fn malformed_input_is_answered_and_skipped() {
    let dir = temp_dir("malformed");
    let mut s = Server::start(&dir);
    // Invalid JSON: a parse error with a null id.
    s.raw(b"Content-Length: 9\r\n\r\n{not json");
    let e = s.wait("a parse error", |v| v.get("error").is_some());
    assert_eq!(e["error"]["code"], -32700, "{e}");
    assert_eq!(e["id"], Value::Null);
    s.initialize(&dir, json!({}));
    // A request whose params miss required fields.
    let r = s.request("textDocument/hover", json!({"textDocument": {}}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // An unknown request, and an unknown notification (ignored).
    s.notify("zerodown/noSuchNotification", json!({}));
    let r = s.request("zerodown/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // JSON but not a message.
    s.send(&json!({"jsonrpc": "2.0", "id": 42}));
    let e = s.wait("an invalid request", |v| v["id"] == 42);
    assert_eq!(e["error"]["code"], -32600, "{e}");
    // Invalid UTF-8 in a document: read with U+FFFD, and linted.
    let u = uri(&dir.join("bytes.sql"));
    let mut body = format!(
        "{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{{\"textDocument\":{{\"uri\":\"{u}\",\"languageId\":\"sql\",\"version\":1,\"text\":\"-- "
    )
    .into_bytes();
    body.extend_from_slice(b"\xff\xfe\xc3");
    body.extend_from_slice(b"\\nCREATE INDEX i ON t (c);\\n\"}}}");
    let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    msg.extend(body);
    s.raw(&msg);
    let d = s.diagnostics(&u);
    assert_eq!(d["diagnostics"][0]["code"], RULE, "{d}");
    assert_eq!(d["diagnostics"][0]["range"]["start"]["line"], 1, "{d}");
    // A Content-Length too long by 5 swallows the next header's start;
    // both messages are still read.
    let first =
        serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 100, "method": "zerodown/none"}))
            .expect("json");
    let mut msg = format!("Content-Length: {}\r\n\r\n", first.len() + 5).into_bytes();
    msg.extend(first);
    s.raw(&msg);
    s.send(&json!({"jsonrpc": "2.0", "id": 101, "method": "zerodown/none"}));
    let r = s.response(100);
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = s.response(101);
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // A header without a length is skipped.
    s.raw(b"Content-Type: nothing\r\n\r\n");
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 3}}),
    );
    assert!(r["result"]["contents"]["value"]
        .as_str()
        .is_some_and(|v| v.contains(RULE)));
    assert_eq!(s.stop(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let dir = temp_dir("exit1");
    let mut s = Server::start(&dir);
    s.initialize(&dir, json!({}));
    s.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(st) = s.child.try_wait().expect("wait") {
            break st.code();
        }
        assert!(Instant::now() < deadline, "did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status, Some(1));
}

#[test]
fn a_broken_config_is_a_diagnostic_and_linting_goes_on() {
    let dir = temp_dir("config");
    let config = dir.join("zerodown.toml");
    std::fs::write(&config, "pg-version = 15\nno-such-key = 1\n").expect("write");
    std::fs::create_dir_all(dir.join("db/migrate")).expect("dir");
    let mut s = Server::start(&dir);
    s.initialize(&dir, json!({}));
    let u = uri(&dir.join("db/migrate/001.sql"));
    s.open(&u, "CREATE INDEX i ON t (c);\n");
    let c = s.diagnostics(&uri(&config));
    let diag = &c["diagnostics"][0];
    assert_eq!(diag["range"]["start"]["line"], 1, "{c}");
    assert!(
        diag["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no-such-key"),
        "{c}"
    );
    let d = s.diagnostics(&u);
    assert_eq!(d["diagnostics"][0]["code"], RULE, "{d}");

    // Fixed (and the rule turned off): the config's diagnostic goes, the
    // document is linted again with it.
    std::fs::write(
        &config,
        format!("pg-version = 15\n[rules]\n{RULE} = \"off\"\n"),
    )
    .expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let c = s.diagnostics(&uri(&config));
    assert_eq!(c["diagnostics"], json!([]), "{c}");
    let d = s.diagnostics(&u);
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    assert_eq!(s.stop(), 0);
}

#[test]
fn the_plan_as_a_request_and_as_a_command() {
    let dir = temp_dir("plan");
    let mut s = Server::start(&dir);
    s.initialize(&dir, json!({"window": {"showDocument": {"support": true}}}));
    let u = uri(&dir.join("a.sql"));
    s.open(&u, "-- 😀\nALTER TABLE users DROP COLUMN legacy;\n");
    let d = s.diagnostics(&u);
    let diag = d["diagnostics"][0].clone();
    assert_eq!(diag["code"], "drop-column", "{d}");
    let r = s.request(
        "zerodown/plan",
        json!({"uri": u, "line": 1, "character": 0}),
    );
    let text = r["result"]["text"].as_str().unwrap_or_default().to_string();
    assert!(text.contains("legacy"), "{r}");
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    let action = r["result"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a.get("command").is_some()).cloned())
        .unwrap_or_else(|| panic!("no plan action: {r}"));
    let command = &action["command"];
    assert_eq!(command["command"], "zerodown.showPlan");
    let id = s.request_id(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let show = s.wait("showDocument", |v| v["method"] == "window/showDocument");
    let shown = show["params"]["uri"].as_str().unwrap_or_default();
    let path = shown.strip_prefix("file://").expect("a file uri");
    assert_eq!(std::fs::read_to_string(path).expect("plan file"), text);
    let r = s.response(id);
    assert_eq!(r["result"]["text"], text.as_str(), "{r}");
    // No finding with a plan there.
    let r = s.request(
        "zerodown/plan",
        json!({"uri": u, "line": 0, "character": 0}),
    );
    assert!(r.get("error").is_some(), "{r}");
    assert_eq!(s.stop(), 0);
}

#[test]
fn rails_migrations_are_linted() {
    let dir = temp_dir("rails");
    let mut s = Server::start(&dir);
    s.initialize(&dir, json!({}));
    let u = uri(&dir.join("db/migrate/20240101000000_add_email_index.rb"));
    let text = "# café 😀\nclass AddEmailIndex < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email\n  end\nend\n";
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "ruby", "version": 1, "text": text}}),
    );
    let d = s.diagnostics(&u);
    let diag = d["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == RULE).cloned())
        .unwrap_or_else(|| panic!("no {RULE}: {d}"));
    assert_eq!(
        diag["range"]["start"],
        json!({"line": 3, "character": 4}),
        "{d}"
    );
    assert_eq!(s.stop(), 0);
}
