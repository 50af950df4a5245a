//! `zerodown lsp`: a language server over stdio. Thin, like the rest of
//! the command line: each open document is linted with the core's calls
//! and the options `zerodown lint` would use for its path (its
//! `zerodown.toml`, found upwards from the document's folder; the phase
//! and transaction mode from the path and the migration tool), and the
//! findings become diagnostics, code actions (their fixes; their plans,
//! rendered as `zerodown plan` renders them) and hovers (the rule's
//! documentation). Native only (`cli` feature, not WebAssembly).
//!
//! One thread reads messages ([`wire`]) and answers each in turn. Nothing
//! a client sends ends it but `exit` or the end of its input: malformed
//! messages are answered with JSON-RPC errors, a broken `zerodown.toml` is
//! a diagnostic on that file (the documents are then linted with the
//! defaults), and a panic in a handler is caught and answered as an
//! internal error.

mod text;
mod wire;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types as lt;
use serde_json::{json, Value};

use super::{lint as cli_lint, Io};
use crate::config::CONFIG_FILE;
use crate::model::LintOptions;
use crate::report::Finding;
use text::Lines;

/// The command that shows a finding's plan (`workspace/executeCommand`).
pub const SHOW_PLAN: &str = "zerodown.showPlan";
/// The request that returns a finding's plan as text.
pub const PLAN_REQUEST: &str = "zerodown/plan";

/// Runs the server on stdin and stdout until `exit` (status 0 after
/// `shutdown`, else 1, as the protocol says) or the end of the input.
pub fn run(io: &mut dyn Io) -> u8 {
    let stdin = std::io::stdin();
    let mut reader = wire::Reader::new(stdin.lock());
    let mut server = Server::new(io);
    while let Some(incoming) = reader.next() {
        match incoming {
            wire::Incoming::Message(m) => {
                if let Some(code) = server.handle(m) {
                    return code;
                }
                if !reader.has_pending() {
                    server.publish_changed();
                }
            }
            wire::Incoming::ParseError(why) => {
                server.send_error(Value::Null, -32700, format!("parse error: {why}"));
            }
            wire::Incoming::InvalidRequest(id, why) => {
                server.send_error(id, -32600, format!("invalid request: {why}"));
            }
        }
    }
    u8::from(!server.shut_down)
}

/// An open document.
struct Doc {
    text: String,
    version: i32,
    language: String,
    /// Its findings, until it or the configuration changes.
    findings: Option<Rc<Linted>>,
}

/// A document's findings with its line index.
struct Linted {
    findings: Vec<Finding>,
    lines: Lines,
}

/// A `zerodown.toml` as read for linting: the options (defaults when the
/// file has errors), the migration tool, the schema, and the error.
struct Config {
    options: LintOptions,
    tool: (Option<crate::tools::Tool>, crate::tools::Direction),
    schema: Option<crate::lint::Schema>,
    error: Option<String>,
}

struct Server<'a> {
    io: &'a mut dyn Io,
    out: std::io::Stdout,
    initialized: bool,
    shut_down: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`).
    pull: bool,
    /// The client can be asked to pull again (`workspace/diagnostic/refresh`).
    refresh: bool,
    /// The client opens documents the server names (`window/showDocument`).
    show_document: bool,
    /// The client registers file watchers dynamically.
    watch: bool,
    roots: Vec<PathBuf>,
    docs: HashMap<String, Doc>,
    /// Documents whose diagnostics are to be pushed, once no message waits.
    changed: Vec<String>,
    /// Loaded configs by path (`None`: no config file, the defaults).
    configs: HashMap<Option<PathBuf>, Rc<Config>>,
    /// Config files with published errors.
    config_errors: HashSet<PathBuf>,
    next_id: i32,
}

/// A handler's failure: a JSON-RPC error code and message.
type Failure = (i32, String);

fn invalid_params(e: impl std::fmt::Display) -> Failure {
    (-32602, format!("invalid params: {e}"))
}

impl<'a> Server<'a> {
    fn new(io: &'a mut dyn Io) -> Self {
        Server {
            io,
            out: std::io::stdout(),
            initialized: false,
            shut_down: false,
            pull: false,
            refresh: false,
            show_document: false,
            watch: false,
            roots: Vec::new(),
            docs: HashMap::new(),
            changed: Vec::new(),
            configs: HashMap::new(),
            config_errors: HashSet::new(),
            next_id: 0,
        }
    }

    fn send(&mut self, message: &impl serde::Serialize) {
        let mut out = self.out.lock();
        if let Err(e) = wire::write(&mut out, message) {
            eprintln!("zerodown lsp: cannot write to the client: {e}");
        }
    }

    fn send_error(&mut self, id: Value, code: i32, message: String) {
        self.send(&json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code, "message": message },
        }));
    }

    /// Sends a notification, its params serialized once (not through a
    /// `serde_json::Value`: diagnostics of a large file are many).
    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        #[derive(serde::Serialize)]
        struct Out<'m, P> {
            jsonrpc: &'static str,
            method: &'m str,
            params: P,
        }
        self.send(&Out {
            jsonrpc: "2.0",
            method,
            params,
        });
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) {
        self.next_id += 1;
        let id = RequestId::from(format!("zerodown-{}", self.next_id));
        self.send(&Message::Request(Request::new(
            id,
            method.to_string(),
            params,
        )));
    }

    /// Handles one message; `Some(status)` when the server is to exit.
    fn handle(&mut self, message: Message) -> Option<u8> {
        match message {
            Message::Request(r) => {
                let id = r.id.clone();
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.request_result(r)
                }))
                .unwrap_or_else(|_| Err((-32603, "internal error (a panic)".to_string())));
                let response = match outcome {
                    Ok(v) => Response::new_ok(id, v),
                    Err((code, message)) => Response::new_err(id, code, message),
                };
                self.send(&Message::Response(response));
                None
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Some(u8::from(!self.shut_down));
                }
                let method = n.method.clone();
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notification(n)));
                match outcome {
                    Ok(Err((_, why))) => eprintln!("zerodown lsp: {method}: {why}"),
                    Err(_) => eprintln!("zerodown lsp: {method}: internal error (a panic)"),
                    Ok(Ok(())) => {}
                }
                None
            }
            // Answers to the server's own requests (showDocument,
            // registerCapability, refresh): nothing to do.
            Message::Response(_) => None,
        }
    }

    fn request_result(&mut self, r: Request) -> Result<Value, Failure> {
        if r.method == "initialize" {
            let params: lt::InitializeParams =
                serde_json::from_value(r.params).map_err(invalid_params)?;
            return Ok(self.initialize(params));
        }
        if !self.initialized {
            return Err((-32002, "the server is not initialized".to_string()));
        }
        if self.shut_down {
            return Err((-32600, "the server is shut down".to_string()));
        }
        fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, Failure> {
            serde_json::from_value(v).map_err(invalid_params)
        }
        match r.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/diagnostic" => self.pull_diagnostics(params(r.params)?),
            "textDocument/codeAction" => self.code_actions(params(r.params)?),
            "textDocument/hover" => self.hover(params(r.params)?),
            "workspace/executeCommand" => self.execute_command(params(r.params)?),
            PLAN_REQUEST => {
                let p: PlanParams = params(r.params)?;
                let text = self.plan_text(&p.uri, p.position())?;
                Ok(json!({ "text": text }))
            }
            other => Err((-32601, format!("method not found: {other}"))),
        }
    }

    fn notification(&mut self, n: Notification) -> Result<(), Failure> {
        if !self.initialized {
            return Ok(());
        }
        fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, Failure> {
            serde_json::from_value(v).map_err(invalid_params)
        }
        match n.method.as_str() {
            "initialized" => self.register_watchers(),
            "textDocument/didOpen" => {
                let p: lt::DidOpenTextDocumentParams = params(n.params)?;
                let uri = p.text_document.uri.as_str().to_string();
                self.docs.insert(
                    uri.clone(),
                    Doc {
                        text: p.text_document.text,
                        version: p.text_document.version,
                        language: p.text_document.language_id,
                        findings: None,
                    },
                );
                self.document_changed(&uri);
            }
            "textDocument/didChange" => {
                let p: lt::DidChangeTextDocumentParams = params(n.params)?;
                let uri = p.text_document.uri.as_str().to_string();
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return Err(invalid_params(format!("{uri} is not open")));
                };
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let lines = Lines::new(&doc.text);
                            let start = lines.offset(&doc.text, range.start);
                            let end = lines.offset(&doc.text, range.end).max(start);
                            doc.text.replace_range(start..end, &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = p.text_document.version;
                doc.findings = None;
                self.document_changed(&uri);
            }
            "textDocument/didSave" => {
                let p: lt::DidSaveTextDocumentParams = params(n.params)?;
                let uri = p.text_document.uri.as_str().to_string();
                if let (Some(text), Some(doc)) = (p.text, self.docs.get_mut(&uri)) {
                    doc.text = text;
                    doc.findings = None;
                }
                self.document_changed(&uri);
            }
            "textDocument/didClose" => {
                let p: lt::DidCloseTextDocumentParams = params(n.params)?;
                let uri = p.text_document.uri.as_str().to_string();
                let was_config = is_config_uri(&uri);
                self.docs.remove(&uri);
                if was_config {
                    // Back to the file on disk.
                    self.config_changed(text::uri_to_path(&uri));
                } else if !self.pull {
                    self.publish(&uri, Vec::new(), None);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let p: lt::DidChangeWatchedFilesParams = params(n.params)?;
                for change in p.changes {
                    let uri = change.uri.as_str().to_string();
                    if is_config_uri(&uri) {
                        self.config_changed(text::uri_to_path(&uri));
                    }
                }
            }
            // Cancellation, tracing, settings: nothing to do (requests are
            // answered in turn, and quickly).
            _ => {}
        }
        Ok(())
    }

    fn initialize(&mut self, p: lt::InitializeParams) -> Value {
        self.initialized = true;
        let caps = &p.capabilities;
        self.pull = caps
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        self.refresh = caps
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        self.show_document = caps
            .window
            .as_ref()
            .and_then(|w| w.show_document.as_ref())
            .is_some_and(|s| s.support);
        self.watch = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.roots = p
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| text::uri_to_path(f.uri.as_str()))
            .collect();
        #[allow(deprecated)]
        if self.roots.is_empty() {
            if let Some(root) = p
                .root_uri
                .as_ref()
                .and_then(|u| text::uri_to_path(u.as_str()))
            {
                self.roots.push(root);
            }
        }
        let capabilities = lt::ServerCapabilities {
            text_document_sync: Some(lt::TextDocumentSyncCapability::Options(
                lt::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lt::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lt::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
            code_action_provider: Some(lt::CodeActionProviderCapability::Options(
                lt::CodeActionOptions {
                    code_action_kinds: Some(vec![lt::CodeActionKind::QUICKFIX]),
                    ..Default::default()
                },
            )),
            execute_command_provider: Some(lt::ExecuteCommandOptions {
                commands: vec![SHOW_PLAN.to_string()],
                ..Default::default()
            }),
            diagnostic_provider: self.pull.then(|| {
                lt::DiagnosticServerCapabilities::Options(lt::DiagnosticOptions {
                    identifier: Some("zerodown".to_string()),
                    inter_file_dependencies: true,
                    workspace_diagnostics: false,
                    ..Default::default()
                })
            }),
            ..Default::default()
        };
        json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "zerodown", "version": env!("CARGO_PKG_VERSION") },
        })
    }

    /// Asks the client to report changes of `zerodown.toml` files.
    fn register_watchers(&mut self) {
        if !self.watch {
            return;
        }
        let options = lt::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lt::FileSystemWatcher {
                glob_pattern: lt::GlobPattern::String(format!("**/{CONFIG_FILE}")),
                kind: None,
            }],
        };
        self.request(
            "client/registerCapability",
            lt::RegistrationParams {
                registrations: vec![lt::Registration {
                    id: "zerodown-config".to_string(),
                    method: "workspace/didChangeWatchedFiles".to_string(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            },
        );
    }

    /// After a document's text changed (or it opened or was saved): a
    /// `zerodown.toml` is read again; a migration's diagnostics are pushed
    /// (unless the client pulls them).
    fn document_changed(&mut self, uri: &str) {
        if is_config_uri(uri) {
            self.config_changed(text::uri_to_path(uri));
        } else if !self.pull && !self.changed.iter().any(|u| u == uri) {
            self.changed.push(uri.to_string());
        }
    }

    /// Pushes the diagnostics of the documents changed since the last push.
    fn publish_changed(&mut self) {
        for uri in std::mem::take(&mut self.changed) {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.push_diagnostics(&uri);
            }));
            if outcome.is_err() {
                eprintln!("zerodown lsp: {uri}: internal error (a panic)");
            }
        }
    }

    /// A config file changed: every config is read again, its errors
    /// published, and the open documents linted again.
    fn config_changed(&mut self, path: Option<PathBuf>) {
        self.configs.clear();
        for doc in self.docs.values_mut() {
            doc.findings = None;
        }
        if let Some(path) = path {
            // Read now, so that its diagnostics change even when no open
            // document uses it.
            let _ = self.config_at(Some(path));
        }
        if self.pull {
            if self.refresh {
                self.request("workspace/diagnostic/refresh", Value::Null);
            }
        } else {
            let uris: Vec<String> = self
                .docs
                .keys()
                .filter(|u| !is_config_uri(u))
                .cloned()
                .collect();
            for uri in uris {
                self.push_diagnostics(&uri);
            }
        }
    }

    fn publish(&mut self, uri: &str, diagnostics: Vec<lt::Diagnostic>, version: Option<i32>) {
        let Ok(uri) = uri.parse::<lt::Uri>() else {
            return;
        };
        self.notify(
            "textDocument/publishDiagnostics",
            lt::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
    }

    fn push_diagnostics(&mut self, uri: &str) {
        let Some(linted) = self.linted(uri) else {
            return;
        };
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let diagnostics = linted
            .findings
            .iter()
            .map(|f| diagnostic(f, &linted.lines, &doc.text))
            .collect();
        let version = doc.version;
        self.publish(uri, diagnostics, Some(version));
    }

    fn pull_diagnostics(&mut self, p: lt::DocumentDiagnosticParams) -> Result<Value, Failure> {
        let uri = p.text_document.uri.as_str().to_string();
        let items = if is_config_uri(&uri) {
            let path = text::uri_to_path(&uri);
            let config = self.config_at(path);
            let text = self
                .docs
                .get(&uri)
                .map(|d| d.text.clone())
                .unwrap_or_default();
            config_diagnostics(&config, &text)
        } else {
            match (self.linted(&uri), self.docs.get(&uri)) {
                (Some(linted), Some(doc)) => linted
                    .findings
                    .iter()
                    .map(|f| diagnostic(f, &linted.lines, &doc.text))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let report = lt::DocumentDiagnosticReportResult::Report(
            lt::DocumentDiagnosticReport::Full(lt::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lt::FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        );
        serde_json::to_value(report).map_err(|e| (-32603, e.to_string()))
    }

    /// The config that applies to a document at `path` (`None`: not a
    /// file): the nearest `zerodown.toml` upwards from its folder (from
    /// the first workspace folder, or the current folder, for a document
    /// that is not a file).
    fn config_for(&mut self, path: Option<&Path>) -> Rc<Config> {
        let dir = path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| self.roots.first().cloned())
            .or_else(|| self.io.current_dir());
        let found = dir.and_then(|d| cli_lint::find_config_from(d, &*self.io));
        self.config_at(found)
    }

    /// The config at `path` (`None`: the defaults), read once until a
    /// config changes; its errors are published on it.
    fn config_at(&mut self, path: Option<PathBuf>) -> Rc<Config> {
        if let Some(c) = self.configs.get(&path) {
            return c.clone();
        }
        let config = Rc::new(self.load_config(path.as_deref()));
        self.configs.insert(path.clone(), config.clone());
        if let Some(p) = path {
            let had = self.config_errors.contains(&p);
            if config.error.is_some() || had {
                let uri = text::path_to_uri(&p);
                let text = match self.docs.get(&uri) {
                    Some(d) => d.text.clone(),
                    None => super::read_text(&*self.io, &p).unwrap_or_default(),
                };
                let diagnostics = config_diagnostics(&config, &text);
                if config.error.is_some() {
                    self.config_errors.insert(p);
                } else {
                    self.config_errors.remove(&p);
                }
                self.publish(&uri, diagnostics, None);
            }
        }
        config
    }

    /// Reads a config as `zerodown lint` does (its open text when the
    /// editor has it open); with an error, the defaults and the error.
    fn load_config(&mut self, path: Option<&Path>) -> Config {
        let loaded = match path {
            None => Ok(LintOptions::default()),
            Some(p) => {
                let open = self.docs.get(&text::path_to_uri(p)).map(|d| d.text.clone());
                open.map_or_else(|| super::read_text(&*self.io, p), Ok)
                    .and_then(|text| cli_lint::config_from_text(&text, p))
            }
        };
        let prepared = loaded.and_then(|options| {
            let tool = cli_lint::tool_of(&options)?;
            let (mut options, known) = cli_lint::with_context(options, None, self.io)?;
            // One document: no threads reading ahead.
            options.jobs = Some(1);
            Ok((options, tool, known.schema))
        });
        match prepared {
            Ok((options, tool, schema)) => Config {
                options,
                tool,
                schema,
                error: None,
            },
            Err(e) => Config {
                options: LintOptions {
                    jobs: Some(1),
                    ..LintOptions::default()
                },
                tool: (None, crate::tools::Direction::Up),
                schema: None,
                error: Some(e),
            },
        }
    }

    /// A document's findings (linted now if it changed since); `None` for
    /// a document that is not open or not a migration.
    fn linted(&mut self, uri: &str) -> Option<Rc<Linted>> {
        let doc = self.docs.get(uri)?;
        if let Some(l) = &doc.findings {
            return Some(l.clone());
        }
        let name = lint_name(uri, &doc.language)?;
        let path = text::uri_to_path(uri);
        let config = self.config_for(path.as_deref());
        let shown = self.shown_path(path.as_deref(), &name);
        let doc = self.docs.get_mut(uri)?;
        // The text is lent to the run, and taken back after it.
        let files = [(shown, std::mem::take(&mut doc.text))];
        let (tool, direction) = config.tool;
        // A panic in the core is caught here, so the text always comes
        // back (the document then shows no findings, and the panic is
        // on stderr).
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut findings = Vec::new();
            match crate::lint::FolderRun::new(&files, tool, direction, &config.options) {
                Ok(run) => {
                    let (_, problems) = run.lint(config.schema.as_ref(), &mut |mut file| {
                        findings.append(&mut file);
                    });
                    for p in problems {
                        eprintln!("zerodown lsp: {}:{}: {}", p.path, p.line, p.message);
                    }
                }
                Err(e) => eprintln!("zerodown lsp: {uri}: {e}"),
            }
            findings
        }));
        let findings = run.unwrap_or_else(|_| {
            eprintln!("zerodown lsp: {uri}: linting panicked");
            Vec::new()
        });
        let [(_, text)] = files;
        doc.text = text;
        let linted = Rc::new(Linted {
            findings,
            lines: Lines::new(&doc.text),
        });
        doc.findings = Some(linted.clone());
        Some(linted)
    }

    /// The path a document is linted under, as `zerodown lint` run from
    /// the project's root would show it: relative to its config's folder,
    /// else to a workspace folder, else absolute (`name` for a document
    /// that is not a file), so that path globs and phase folders match.
    fn shown_path(&mut self, path: Option<&Path>, name: &str) -> String {
        let Some(path) = path else {
            return name.to_string();
        };
        let config_dir = path
            .parent()
            .and_then(|d| cli_lint::find_config_from(d.to_path_buf(), &*self.io))
            .and_then(|c| c.parent().map(Path::to_path_buf));
        let relative = config_dir
            .iter()
            .chain(self.roots.iter())
            .find_map(|root| path.strip_prefix(root).ok())
            .unwrap_or(path);
        relative.to_string_lossy().replace('\\', "/")
    }

    /// The findings of an open document whose range (or, with
    /// `statement`, whose statement's range) holds `position`.
    fn findings_at(
        &mut self,
        uri: &str,
        position: lt::Position,
        statement: bool,
    ) -> Vec<(Finding, lt::Range)> {
        let Some(linted) = self.linted(uri) else {
            return Vec::new();
        };
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        linted
            .findings
            .iter()
            .filter_map(|f| {
                let r = range(&f.span, &linted.lines, &doc.text);
                let within = if statement {
                    range(&f.statement, &linted.lines, &doc.text)
                } else {
                    r
                };
                (within.start <= position && position <= within.end).then(|| (f.clone(), r))
            })
            .collect()
    }

    fn code_actions(&mut self, p: lt::CodeActionParams) -> Result<Value, Failure> {
        let uri = p.text_document.uri.as_str().to_string();
        let Some(linted) = self.linted(&uri) else {
            return Ok(json!([]));
        };
        let Some(doc) = self.docs.get(&uri) else {
            return Ok(json!([]));
        };
        let wanted = |kind: &lt::CodeActionKind| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let plan_kind = lt::CodeActionKind::new("quickfix.zerodown.plan");
        let mut actions = Vec::new();
        for f in &linted.findings {
            let r = range(&f.span, &linted.lines, &doc.text);
            if r.end < p.range.start || p.range.end < r.start {
                continue;
            }
            let diag = diagnostic(f, &linted.lines, &doc.text);
            if let Some(fix) = f
                .fix
                .as_ref()
                .filter(|_| wanted(&lt::CodeActionKind::QUICKFIX))
            {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lt::TextEdit {
                        range: range(&e.span, &linted.lines, &doc.text),
                        new_text: e.text.clone(),
                    })
                    .collect();
                let edit = lt::WorkspaceEdit {
                    changes: Some(HashMap::from([(p.text_document.uri.clone(), edits)])),
                    ..Default::default()
                };
                actions.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: fix.title.clone(),
                    kind: Some(lt::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
            if let Some(plan) = f.plan.as_ref().filter(|_| wanted(&plan_kind)) {
                let args =
                    json!({ "uri": uri, "line": r.start.line, "character": r.start.character });
                actions.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                    title: format!(
                        "Show the safe plan: {}",
                        crate::report::describe_change(&plan.change)
                    ),
                    kind: Some(plan_kind.clone()),
                    diagnostics: Some(vec![diag]),
                    command: Some(lt::Command {
                        title: "Show the safe plan".to_string(),
                        command: SHOW_PLAN.to_string(),
                        arguments: Some(vec![args]),
                    }),
                    ..Default::default()
                }));
            }
        }
        serde_json::to_value(actions).map_err(|e| (-32603, e.to_string()))
    }

    fn hover(&mut self, p: lt::HoverParams) -> Result<Value, Failure> {
        let pos = p.text_document_position_params;
        let found = self.findings_at(pos.text_document.uri.as_str(), pos.position, false);
        let Some((_, first)) = found.first() else {
            return Ok(Value::Null);
        };
        let range = *first;
        let mut parts = Vec::new();
        for (f, _) in &found {
            let doc = crate::explain(&f.rule).unwrap_or_default();
            parts.push(format!(
                "**zerodown: `{}`** ({})\n\n{}\n\n{}\n\n---\n\n{}",
                f.rule,
                severity_word(f.severity),
                f.message,
                f.help,
                doc.trim_end()
            ));
        }
        let hover = lt::Hover {
            contents: lt::HoverContents::Markup(lt::MarkupContent {
                kind: lt::MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: Some(range),
        };
        serde_json::to_value(hover).map_err(|e| (-32603, e.to_string()))
    }

    /// The plan of the first finding with a plan in the statement at a
    /// position, as `zerodown plan` prints it.
    fn plan_text(&mut self, uri: &str, position: lt::Position) -> Result<String, Failure> {
        self.findings_at(uri, position, true)
            .into_iter()
            .find_map(|(f, _)| f.plan)
            .map(|plan| crate::report::render_plan_text(&plan))
            .ok_or_else(|| {
                (
                    -32803,
                    "no finding with a plan in the statement there".to_string(),
                )
            })
    }

    fn execute_command(&mut self, p: lt::ExecuteCommandParams) -> Result<Value, Failure> {
        if p.command != SHOW_PLAN {
            return Err(invalid_params(format!("unknown command `{}`", p.command)));
        }
        let arg = p.arguments.into_iter().next().unwrap_or(Value::Null);
        let at: PlanParams = serde_json::from_value(arg).map_err(invalid_params)?;
        let text = self.plan_text(&at.uri, at.position())?;
        let dir = plan_dir();
        let name = text::uri_file_name(&at.uri)
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>();
        let file = dir.join(format!("{name}-line-{}.plan.txt", at.line + 1));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&file, &text))
            .map_err(|e| (-32803, format!("cannot write {}: {e}", file.display())))?;
        let uri = text::path_to_uri(&file);
        if self.show_document {
            if let Ok(u) = uri.parse::<lt::Uri>() {
                self.request(
                    "window/showDocument",
                    lt::ShowDocumentParams {
                        uri: u,
                        external: Some(false),
                        take_focus: Some(true),
                        selection: None,
                    },
                );
            }
        } else {
            self.notify(
                "window/showMessage",
                lt::ShowMessageParams {
                    typ: lt::MessageType::INFO,
                    message: format!("zerodown: the plan is in {}", file.display()),
                },
            );
        }
        Ok(json!({ "uri": uri, "text": text }))
    }
}

/// Where a finding's plan is: `{uri, line, character}` (0-based, UTF-16),
/// for `zerodown/plan` and `zerodown.showPlan`.
#[derive(serde::Deserialize)]
struct PlanParams {
    uri: String,
    line: u32,
    character: u32,
}

impl PlanParams {
    fn position(&self) -> lt::Position {
        lt::Position::new(self.line, self.character)
    }
}

/// The folder plans are written to: a per-user folder in the temporary
/// folder.
fn plan_dir() -> PathBuf {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect::<String>();
    let name = if user.is_empty() {
        "zerodown-plans".to_string()
    } else {
        format!("zerodown-plans-{user}")
    };
    std::env::temp_dir().join(name)
}

fn is_config_uri(uri: &str) -> bool {
    text::uri_file_name(uri) == CONFIG_FILE
}

/// The name a document is linted under when it is a migration (`.sql`, or
/// Rails' `.rb` with the Ruby front end; not a schema dump), or an
/// untitled SQL document; `None` otherwise.
fn lint_name(uri: &str, language: &str) -> Option<String> {
    let name = text::uri_file_name(uri);
    if cli_lint::is_migration_file(Path::new(&name)) {
        return Some(name);
    }
    let lower = name.to_ascii_lowercase();
    let is_file = uri.starts_with("file:");
    (!is_file && language == "sql" && !lower.ends_with(".rb")).then(|| format!("{name}.sql"))
}

fn range(span: &crate::Span, lines: &Lines, text: &str) -> lt::Range {
    lines.range(text, span.start.offset as usize, span.end.offset as usize)
}

fn severity_word(s: crate::Severity) -> &'static str {
    match s {
        crate::Severity::Error => "error",
        crate::Severity::Warning => "warning",
        crate::Severity::Info => "info",
    }
}

/// A finding as a diagnostic.
fn diagnostic(f: &Finding, lines: &Lines, text: &str) -> lt::Diagnostic {
    let severity = match f.severity {
        crate::Severity::Error => lt::DiagnosticSeverity::ERROR,
        crate::Severity::Warning => lt::DiagnosticSeverity::WARNING,
        crate::Severity::Info => lt::DiagnosticSeverity::INFORMATION,
    };
    let message = if f.help.is_empty() {
        f.message.clone()
    } else {
        format!("{}\n{}", f.message, f.help)
    };
    lt::Diagnostic {
        range: range(&f.span, lines, text),
        severity: Some(severity),
        code: Some(lt::NumberOrString::String(f.rule.clone())),
        source: Some("zerodown".to_string()),
        message,
        ..Default::default()
    }
}

/// A config's error as a diagnostic on its file: on the line the error
/// names (`path:LINE: ...`), else the first line.
fn config_diagnostics(config: &Config, text: &str) -> Vec<lt::Diagnostic> {
    let Some(error) = &config.error else {
        return Vec::new();
    };
    // `/path/zerodown.toml:3: message`: the line, and the message after it.
    let (line, message) = error
        .split_once(&format!("{CONFIG_FILE}:"))
        .and_then(|(_, rest)| {
            let (n, msg) = rest.split_once(':')?;
            Some((n.trim().parse::<u32>().ok()?, msg.trim()))
        })
        .map_or((1, error.as_str()), |(n, m)| (n.max(1), m));
    let line_text = text.split('\n').nth(line as usize - 1).unwrap_or("");
    let width: usize = line_text
        .trim_end_matches('\r')
        .chars()
        .map(char::len_utf16)
        .sum();
    vec![lt::Diagnostic {
        range: lt::Range::new(
            lt::Position::new(line - 1, 0),
            lt::Position::new(line - 1, u32::try_from(width).unwrap_or(0)),
        ),
        severity: Some(lt::DiagnosticSeverity::ERROR),
        source: Some("zerodown".to_string()),
        message: format!(
            "{message} (documents are linted with the default options until this is fixed)"
        ),
        ..Default::default()
    }]
}
