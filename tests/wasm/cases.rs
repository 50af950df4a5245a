//! The WebAssembly exports as JavaScript sees them, shared by the Node
//! (`tests/wasm.rs`) and browser (`tests/wasm_browser.rs`) runs.

use js_sys::{Array, Reflect, JSON};
use tsify::Ts;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use zerodown::report::LintReport;
use zerodown::wasm;

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn options(json: &str) -> Option<Ts<zerodown::LintOptions>> {
    Some(Ts::new_unchecked(js(json)))
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).expect("object")
}

fn stringify(v: &JsValue) -> String {
    JSON::stringify(v)
        .expect("stringify")
        .as_string()
        .expect("string")
}

fn lint(sql: &str) -> JsValue {
    wasm::lint(sql.into(), None, None).expect("lint").js_value()
}

fn report(v: &JsValue) -> LintReport {
    serde_wasm_bindgen::from_value(v.clone()).expect("a LintReport")
}

/// The thrown value: an `Error` with `code`.
fn code_of(e: JsValue) -> String {
    assert!(
        e.is_instance_of::<js_sys::Error>(),
        "thrown value is an Error"
    );
    let msg = get(&e, "message").as_string().expect("message");
    assert!(!msg.is_empty());
    get(&e, "code").as_string().expect("code is a string")
}

#[wasm_bindgen_test]
fn lint_returns_the_json_contract() {
    let sql = "CREATE INDEX idx_users_email ON users (email);\n";
    let out = lint(sql);
    // Field for field what `--format json` prints: same keys, same order,
    // no `plan: undefined` on findings without a plan.
    let native = zerodown::lint(sql, "input.sql", &Default::default()).expect("lint");
    assert_eq!(
        stringify(&out),
        serde_json::to_string(&native).expect("json")
    );
    let findings: Array = get(&out, "findings").unchecked_into();
    assert_eq!(findings.length(), 1);
    let f = findings.get(0);
    assert_eq!(
        get(&f, "rule").as_string().as_deref(),
        Some("add-index-non-concurrently")
    );
    assert_eq!(
        Reflect::has(&f, &"plan".into()).expect("has"),
        native.findings[0].plan.is_some()
    );
    assert_eq!(get(&get(&out, "summary"), "errors").as_f64(), Some(1.0));
    // A finding without a plan has no `plan` key at all.
    let out = wasm::lint(sql.into(), options(r#"{"plans": false}"#), None)
        .expect("lint")
        .js_value();
    let f = Array::from(&get(&out, "findings")).get(0);
    assert!(!Reflect::has(&f, &"plan".into()).expect("has"));
}

#[wasm_bindgen_test]
fn options_and_path_are_applied() {
    let sql = "CREATE INDEX i ON t (a);";
    let out = wasm::lint(
        sql.into(),
        options(r#"{"rules": {"add-index-non-concurrently": "warning"}, "pgVersion": 15}"#),
        Some("db/post_migrate/1_add.sql".into()),
    )
    .expect("lint")
    .js_value();
    let r = report(&out);
    assert_eq!(r.findings[0].severity, zerodown::Severity::Warning);
    assert_eq!(r.findings[0].path, "db/post_migrate/1_add.sql");
    assert_eq!(r.files[0].phase, zerodown::Phase::PostDeploy);
    // null options mean the defaults, like undefined.
    let out = wasm::lint(sql.into(), Some(Ts::new_unchecked(JsValue::NULL)), None).expect("lint");
    assert_eq!(report(&out.js_value()).summary.errors, 1);
}

#[wasm_bindgen_test]
fn parse_errors_are_findings_not_exceptions() {
    let out = lint("SELECT (;\nCREATE TABLE ok (id bigint);\nALTER TABLE nope nope nope;");
    let r = report(&out);
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["parse-error", "parse-error"]);
    assert_eq!(r.files[0].statements, 3);
}

#[wasm_bindgen_test]
fn positions_count_utf16_code_units() {
    // Non-ASCII in a comment (2-byte, 3-byte and astral characters) and in
    // quoted identifiers before the finding: UTF-8, char and UTF-16 offsets
    // all differ.
    let sql =
        "-- añadir índice 😀 на таблицу\nCREATE INDEX \"índice_😀\" ON \"таблица\" (\"é\");\n";
    let js_sql = js_sys::JsString::from(sql);
    let start = js_sql.index_of("CREATE", 0);
    // Statement spans end before the `;`.
    let end = js_sql.index_of(";", start);
    let out = lint(sql);
    let r = report(&out);
    let f = &r.findings[0];
    assert_eq!(f.statement.start.utf16, start as u32);
    assert_eq!(f.statement.end.utf16, end as u32);
    assert_eq!(f.statement.start.line, 2);
    assert_eq!(
        f.statement.end.column,
        sql.lines().nth(1).expect("line").chars().count() as u32
    );
    assert_eq!(
        f.statement.start.offset as usize,
        sql.find("CREATE").expect("CREATE")
    );
    // The UTF-16 range slices the caller's string back to the statement.
    let text = js_sql.substring(f.statement.start.utf16, f.statement.end.utf16);
    assert_eq!(
        String::from(text),
        "CREATE INDEX \"índice_😀\" ON \"таблица\" (\"é\")"
    );
}

#[wasm_bindgen_test]
fn non_ascii_strings_cross_intact() {
    // Results reach JavaScript as one text sliced in UTF-16 code units: a
    // string with 2-, 3- and 4-byte characters must not shift the strings
    // after it.
    let sql = "CREATE INDEX i ON \"tåble_😀_таблица\" (a);\nALTER TABLE \"ü\" DROP COLUMN \"ö\";\n";
    let out = wasm::lint(
        JsValue::from_str(sql),
        None,
        Some("db/migrate/1_ü.sql".into()),
    )
    .expect("lint")
    .js_value();
    let r = report(&out);
    // add-index-non-concurrently, drop-column, missing-lock-timeout.
    assert_eq!(r.findings.len(), 3, "{}", stringify(&out));
    assert!(
        r.findings[0].message.contains("tåble_😀_таблица"),
        "{}",
        r.findings[0].message
    );
    assert!(
        r.findings[1].message.contains('ü'),
        "{}",
        r.findings[1].message
    );
    for f in &r.findings {
        assert_eq!(f.path, "db/migrate/1_ü.sql");
        assert!(!f.help.is_empty() && f.help.is_ascii(), "{}", f.help);
    }
    // The same as JSON.parse of the native JSON text of the report.
    let native = serde_json::to_string(&r).expect("serializes");
    assert_eq!(stringify(&js(&native)), stringify(&out));
}

#[wasm_bindgen_test]
fn lone_surrogates_keep_utf16_offsets() {
    // A lone surrogate cannot cross into Rust; it becomes U+FFFD, one UTF-16
    // code unit like the surrogate, so offsets still index the JS string.
    let s: JsValue = js("\"-- \\ud800 broken\\nCREATE INDEX i ON t (a);\"");
    let js_sql: js_sys::JsString = s.clone().unchecked_into();
    let start = js_sql.index_of("CREATE", 0) as u32;
    let r = report(&wasm::lint(s, None, None).expect("lint").js_value());
    assert_eq!(r.findings[0].statement.start.utf16, start);
}

#[wasm_bindgen_test]
fn errors_carry_a_code() {
    let e = wasm::explain("no-such-rule").expect_err("unknown rule");
    assert_eq!(code_of(e), "unknown-rule");
    let cases = [
        (r#"{"pgVersion": 3}"#, "bad-options"),
        (r#"{"pgVesion": 15}"#, "bad-options"),
        (r#"{"phase": "sometime"}"#, "bad-options"),
        (r#"{"rules": {"no-such-rule": "off"}}"#, "unknown-rule"),
        (r#"{"rules": {"parse-error": "loud"}}"#, "bad-options"),
        (r#"{"release": "sixteen"}"#, "bad-version"),
        ("[1, 2]", "bad-options"),
    ];
    for (opts, code) in cases {
        let e = wasm::lint("SELECT 1;".into(), options(opts), None).expect_err(opts);
        assert_eq!(code_of(e), code, "{opts}");
    }
    let e = wasm::lint(JsValue::from_f64(42.0), None, None).expect_err("number sql");
    assert_eq!(code_of(e), "bad-input");
    // lintFiles reads its files by hand (src/wasm.rs `source_files`): each
    // kind of bad input names the file and field.
    let files = [
        (r#"{"path": "a.sql"}"#, "invalid files: expected an array"),
        (
            r#"[{"path": "a.sql", "sql": "SELECT 1;"}, 7]"#,
            "files[1] is not",
        ),
        (r#"[{"path": "a.sql"}]"#, "files[0].sql must be a string"),
        (
            r#"[{"sql": "SELECT 1;"}]"#,
            "files[0].path must be a string",
        ),
        (
            r#"[{"path": 1, "sql": "SELECT 1;"}]"#,
            "files[0].path must be a string",
        ),
        (
            r#"[{"path": "a.sql", "sql": ["SELECT 1;"]}]"#,
            "files[0].sql must be",
        ),
    ];
    for (input, message) in files {
        let e = wasm::lint_files(js(input), None).expect_err(input);
        let text = get(&e, "message").as_string().expect("message");
        assert!(text.contains(message), "{input}: {text}");
        assert_eq!(code_of(e), "bad-input", "{input}");
    }
}

#[wasm_bindgen_test]
fn lint_files_shares_the_catalog_and_sorts_by_path() {
    let files = js(r#"[{"path": "b.sql", "sql": "CREATE INDEX i ON t (a);"},
            {"path": "a.sql", "sql": "CREATE TABLE t (a int);"}]"#);
    let r = report(&wasm::lint_files(files, None).expect("lint").js_value());
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["a.sql", "b.sql"]);
    let native = zerodown::lint_files(
        &[
            zerodown::SourceFile {
                path: "b.sql".into(),
                sql: "CREATE INDEX i ON t (a);".into(),
                transaction: None,
            },
            zerodown::SourceFile {
                path: "a.sql".into(),
                sql: "CREATE TABLE t (a int);".into(),
                transaction: None,
            },
        ],
        &Default::default(),
    )
    .expect("native");
    assert_eq!(r, native);
}

#[wasm_bindgen_test]
fn lint_diff_is_the_native_diff_review() {
    let diff = "--- a/db/migrate/1.sql\n+++ b/db/migrate/1.sql\n@@ -1,2 +1,3 @@\n CREATE INDEX a ON t (x);\n+CREATE INDEX b ON t (y);\n DROP TABLE old;\n\
--- a/db/structure.sql\n+++ b/db/structure.sql\n@@ -1 +1 @@\n-x\n+CREATE INDEX c ON t (z);\n";
    let r = report(
        &wasm::lint_diff(js(&format!("{diff:?}")), None, None)
            .expect("lintDiff")
            .js_value(),
    );
    let native = zerodown::lint_diff(diff, &Default::default(), &[]).expect("native");
    assert_eq!(r, native);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(
        r.files[r.findings[0].file.expect("file") as usize].path,
        "db/migrate/1.sql"
    );
    assert_eq!(r.summary.changed, Some(1));
    // Globs choose the migrations: with none matching, nothing is linted.
    let r = report(
        &wasm::lint_diff(js(&format!("{diff:?}")), None, Some(vec!["app/**".into()]))
            .expect("lintDiff")
            .js_value(),
    );
    assert!(r.findings.is_empty());
    let e = wasm::lint_diff(JsValue::from(3), None, None).expect_err("not a string");
    assert_eq!(code_of(e), "bad-input");
}

#[wasm_bindgen_test]
fn format_text_is_the_cli_text() {
    let sql = "CREATE INDEX i ON t (a);\nSELECT (;\n";
    let out = lint(sql);
    let sources = js(&serde_json::json!([{"path": "input.sql", "sql": sql}]).to_string());
    let text = wasm::format_text(Ts::new_unchecked(out.clone()), sources).expect("text");
    let expected = zerodown::report::render_text(&report(&out), &|_| Some(sql.to_string()), false);
    assert_eq!(text, expected);
    assert!(
        text.ends_with("2 errors, 0 warnings, 0 infos in 1 file\n"),
        "{text}"
    );
    let e = wasm::format_text(Ts::new_unchecked(js("{}")), js("[]")).expect_err("bad report");
    assert_eq!(code_of(e), "bad-input");
}

#[wasm_bindgen_test]
fn rules_explain_version_and_config() {
    let rules: Array = wasm::rules().expect("rules").unchecked_into();
    assert_eq!(rules.length() as usize, zerodown::rule_catalogue().len());
    let ids: Vec<String> = rules
        .iter()
        .map(|r| get(&r, "id").as_string().expect("id"))
        .collect();
    assert!(ids.iter().any(|i| i == "add-index-non-concurrently"));
    let doc = wasm::explain("add-index-non-concurrently").expect("doc");
    assert!(doc.starts_with("# add-index-non-concurrently\n"), "{doc}");
    assert_eq!(wasm::version(), zerodown::VERSION);
    let o = wasm::parse_config(
        "pg-version = 12\n[rules]\nparse-error = \"off\"\n",
        "zerodown.toml",
    )
    .expect("config")
    .js_value();
    assert_eq!(stringify(&get(&o, "rules")), r#"{"parse-error":"off"}"#);
    assert_eq!(get(&o, "pgVersion").as_f64(), Some(12.0));
    let e = wasm::parse_config("bogus = 1\n", "zerodown.toml").expect_err("bad key");
    assert_eq!(code_of(e), "bad-options");
}

/// Input built to exhaust the stack or memory must give findings, not a trap
/// (a trap would abort this whole test run). The module must work after it.
#[wasm_bindgen_test]
fn hostile_input_does_not_trap() {
    let chain = format!("SELECT {}1;", "1+".repeat(10_000));
    let r = report(&lint(&chain));
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].rule, "parse-error");
    let chain = format!("UPDATE t SET a = {}1;", "a||".repeat(100_000));
    assert_eq!(report(&lint(&chain)).findings[0].rule, "parse-error");

    let parens = format!("SELECT {}1{};", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(report(&lint(&parens)).findings[0].rule, "parse-error");
    let unclosed = format!("SELECT {}", "(".repeat(100_000));
    assert_eq!(report(&lint(&unclosed)).findings[0].rule, "parse-error");
    let case = format!(
        "SELECT {}1{};",
        "CASE WHEN true THEN ".repeat(5_000),
        " END".repeat(5_000)
    );
    assert_eq!(report(&lint(&case)).findings[0].rule, "parse-error");

    // A large file: 20,000 statements, about 1.3 MB.
    let big: String = (0..20_000)
        .map(|i| format!("ALTER TABLE t{i} ADD COLUMN c{i} text; -- note {i}\n"))
        .collect();
    let r = report(&lint(&big));
    assert_eq!(r.files[0].statements, 20_000);
    // Unterminated quotes and dollar quotes swallow the rest of the file.
    for s in [
        "SELECT 'abc",
        "SELECT $$abc",
        "SELECT \"abc",
        "/* never closed",
        "SELECT E'\\",
    ] {
        lint(&format!("{s}{}", "x".repeat(100_000)));
    }
    // Still alive.
    assert_eq!(report(&lint("CREATE INDEX i ON t (a);")).summary.errors, 1);
}

/// What the playground does while someone types: lint every prefix of a
/// migration. No prefix may trap, and every finding stays inside its text
/// (tests/robustness.rs does this natively over far more input).
#[wasm_bindgen_test]
fn every_prefix_of_a_migration_lints() {
    let sql = [
        include_str!("../../docs/examples/db/migrate/20261101120000_add_email_index_and_fk.sql"),
        include_str!("../../docs/examples/db/migrate/20261101120500_rename_username.sql"),
        include_str!("../../docs/examples/db/migrate/20261101121000_create_audit_events.sql"),
        "COMMENT ON TABLE users IS 'caf\u{e9} \u{1f600}'; SELECT $x$ a $x$;\n",
    ]
    .concat();
    let mut findings = 0;
    for (cut, _) in sql.char_indices().skip(1) {
        let prefix = &sql[..cut];
        let r = report(&lint(prefix));
        for f in &r.findings {
            let (start, end) = (f.span.start.utf16, f.span.end.utf16);
            assert!(
                start <= end && end as usize <= prefix.encode_utf16().count(),
                "{} finding {start}..{end} outside {prefix:?}",
                f.rule
            );
        }
        findings += r.findings.len();
    }
    assert!(findings > 1000, "the prefixes have findings: {findings}");
}

fn ts<T: tsify::Tsify>(json: &str) -> Ts<T> {
    Ts::new_unchecked(js(json))
}

#[wasm_bindgen_test]
fn plan_is_the_cli_json_and_its_text_and_files() {
    let change =
        r#"{"kind": "rename-column", "table": "users", "column": "username", "newName": "handle"}"#;
    let out = wasm::plan(
        ts(change),
        Some(ts(r#"{"release": "9.0", "pgVersion": 15}"#)),
    )
    .expect("plan")
    .js_value();
    let native = zerodown::plan::plan(
        &serde_json::from_str(change).expect("change"),
        &zerodown::plan::PlanOptions {
            release: Some("9.0".into()),
            pg_version: zerodown::model::PgVersion::new(15).unwrap(),
            ..Default::default()
        },
    )
    .expect("native plan");
    assert_eq!(
        stringify(&out),
        serde_json::to_string(&native).expect("json")
    );
    assert_eq!(
        get(&Array::from(&get(&out, "releases")).get(0), "version")
            .as_string()
            .as_deref(),
        Some("9.0")
    );
    let text = wasm::format_plan(Ts::new_unchecked(out.clone())).expect("text");
    assert_eq!(text, zerodown::report::render_plan_text(&native));
    let files: Array = wasm::plan_files(Ts::new_unchecked(out))
        .expect("files")
        .unchecked_into();
    let native_files = zerodown::report::plan_files(&native);
    assert_eq!(files.length() as usize, native_files.len());
    assert_eq!(
        get(&files.get(0), "path").as_string(),
        Some(native_files[0].path.clone())
    );

    // The CLI's arguments give the same change.
    let args = vec!["handle".to_string()];
    let built = wasm::change_from_args("rename-column", "users.username", Some(args.clone()), None)
        .expect("change")
        .js_value();
    let native = zerodown::Change::from_args(
        "rename-column",
        "users.username",
        &args,
        &Default::default(),
    )
    .expect("native change");
    assert_eq!(native, serde_json::from_str(change).expect("change"));
    assert_eq!(
        stringify(&built),
        serde_json::to_string(&native).expect("json")
    );
}

#[wasm_bindgen_test]
fn plan_errors_carry_a_code() {
    let drop = r#"{"kind": "drop-column", "table": "users", "column": "x"}"#;
    let cases = [
        (drop, r#"{"release": "sixteen"}"#, "bad-version"),
        (drop, r#"{"pgVersion": 3}"#, "bad-options"),
        (drop, r#"{"relase": "16.4"}"#, "bad-options"),
        (
            drop,
            r#"{"calendar": {"kind": "monthly", "on": "32", "first": "2024-01"}}"#,
            "bad-options",
        ),
        (r#"{"kind": "drop-everything"}"#, "{}", "bad-change"),
        (
            r#"{"kind": "drop-column", "table": "users"}"#,
            "{}",
            "bad-change",
        ),
    ];
    for (change, opts, code) in cases {
        let e = wasm::plan(ts(change), Some(ts(opts))).expect_err(opts);
        assert_eq!(code_of(e), code, "{change} {opts}");
    }
    let e = wasm::change_from_args("drop-column", "users", None, None).expect_err("no column");
    assert_eq!(code_of(e), "bad-change");
}

#[wasm_bindgen_test]
fn schedule_and_upgrade_path() {
    let files = js(r#"[
        {"path": "9.0.0/20170301_add_handle_to_users.sql", "sql": "ALTER TABLE users ADD COLUMN handle text;\n"},
        {"path": "9.0.0/post_migrate/20170302_migrate.sql", "sql": "SELECT 1;\n"},
        {"path": "9.0.1/20170401_remove_username_from_users.sql", "sql": "ALTER TABLE users DROP COLUMN username;\n"}
    ]"#);
    let r = wasm::schedule(files.clone(), "9.0.0", None)
        .expect("schedule")
        .js_value();
    assert_eq!(Array::from(&get(&r, "due")).length(), 2);
    assert_eq!(Array::from(&get(&r, "notDue")).length(), 1);
    assert_eq!(get(&r, "mode").as_string().as_deref(), Some("self-managed"));
    let e = wasm::schedule(files.clone(), "nine", None).expect_err("bad version");
    assert_eq!(code_of(e), "bad-version");
    let e = wasm::schedule(files.clone(), "9.0", Some(ts(r#"{"mdoe": "continuous"}"#)))
        .expect_err("unknown option");
    assert_eq!(code_of(e), "bad-options");

    let u = wasm::upgrade_path(
        files.clone(),
        "8.0",
        "9.0.1",
        Some(ts(r#"{"mode": "continuous"}"#)),
    )
    .expect("upgrade")
    .js_value();
    assert_eq!(get(&u, "to").as_string().as_deref(), Some("9.0.1"));
    assert!(Array::from(&get(&u, "deployments")).length() >= 2);
    let e = wasm::upgrade_path(files, "9.1", "9.0", None).expect_err("backwards");
    assert_eq!(code_of(e), "bad-version");
}

#[wasm_bindgen_test]
fn cells_analyze_move_and_fleet() {
    let sql = include_str!("../fixtures/cells/basic.sql");
    let r = wasm::analyze_schema(sql.into(), None)
        .expect("analyze")
        .js_value();
    let native = zerodown::cells::analyze(sql, &[]);
    assert_eq!(stringify(&r), serde_json::to_string(&native).expect("json"));
    assert!(native.summary.tables > 0);
    let r = wasm::analyze_schema(
        sql.into(),
        Some(ts(r#"{"roots": ["namespaces"], "shared": ["users"]}"#)),
    )
    .expect("analyze")
    .js_value();
    assert_eq!(stringify(&get(&r, "roots")), r#"["namespaces"]"#);
    let e = wasm::analyze_schema(sql.into(), Some(ts(r#"{"root": ["x"]}"#))).expect_err("key");
    assert_eq!(code_of(e), "bad-options");

    let m = wasm::move_check("1\n2\n", "1\n").expect("move").js_value();
    assert_eq!(
        get(&m, "state").as_string().as_deref(),
        Some("source-ahead")
    );
    assert_eq!(get(&m, "allowed").as_bool(), Some(false));
    let e = wasm::move_check("1\nnope\n", "1\n").expect_err("garbage");
    assert_eq!(code_of(e), "bad-input");

    let plan = wasm::plan(
        ts(r#"{"kind": "drop-column", "table": "users", "column": "x"}"#),
        Some(ts(r#"{"release": "16.4"}"#)),
    )
    .expect("plan")
    .js_value();
    let fleet = r#"{"shared": ["users"], "cells": [{"name": "a", "version": "16.6"}, {"name": "b", "version": "16.4"}]}"#;
    let f = wasm::fleet_check(ts(fleet), plan.clone())
        .expect("fleet")
        .js_value();
    let both = wasm::fleet_check(ts(fleet), Array::of1(&plan).into())
        .expect("fleet")
        .js_value();
    assert_eq!(stringify(&f), stringify(&both));
    assert_eq!(stringify(&get(&f, "sharedTables")), r#"["users"]"#);
    assert!(Array::from(&get(&f, "steps")).length() > 0);
    let bad = r#"{"cells": [{"name": "a", "version": "16.6", "locals": []}]}"#;
    let e = wasm::fleet_check(ts(bad), plan).expect_err("cell key");
    assert_eq!(code_of(e), "bad-input");
}
