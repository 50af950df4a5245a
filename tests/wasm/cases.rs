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
    JSON::stringify(v).expect("stringify").as_string().expect("string")
}

fn lint(sql: &str) -> JsValue {
    wasm::lint(sql.into(), None, None).expect("lint").js_value()
}

fn report(v: &JsValue) -> LintReport {
    serde_wasm_bindgen::from_value(v.clone()).expect("a LintReport")
}

/// The thrown value: an `Error` with `code`.
fn code_of(e: JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "thrown value is an Error");
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
    assert_eq!(stringify(&out), serde_json::to_string(&native).expect("json"));
    let findings: Array = get(&out, "findings").unchecked_into();
    assert_eq!(findings.length(), 1);
    let f = findings.get(0);
    assert_eq!(get(&f, "rule").as_string().as_deref(), Some("add-index-non-concurrently"));
    assert!(!Reflect::has(&f, &"plan".into()).expect("has"));
    assert_eq!(get(&get(&out, "summary"), "errors").as_f64(), Some(1.0));
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
    let out = lint("SELECT (;\nCREATE TABLE ok (id int);\nALTER TABLE nope nope nope;");
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
    let sql = "-- añadir índice 😀 на таблицу\nCREATE INDEX \"índice_😀\" ON \"таблица\" (\"é\");\n";
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
    assert_eq!(f.statement.end.column, sql.lines().nth(1).expect("line").chars().count() as u32);
    assert_eq!(f.statement.start.offset as usize, sql.find("CREATE").expect("CREATE"));
    // The UTF-16 range slices the caller's string back to the statement.
    let text = js_sql.substring(f.statement.start.utf16, f.statement.end.utf16);
    assert_eq!(String::from(text), "CREATE INDEX \"índice_😀\" ON \"таблица\" (\"é\")");
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
    let e = wasm::lint_files(js(r#"{"path": "a.sql"}"#), None).expect_err("not a list");
    assert_eq!(code_of(e), "bad-input");
    let e = wasm::lint_files(js(r#"[{"path": "a.sql"}]"#), None).expect_err("no sql");
    assert_eq!(code_of(e), "bad-input");
}

#[wasm_bindgen_test]
fn lint_files_shares_the_catalog_and_sorts_by_path() {
    let files = js(
        r#"[{"path": "b.sql", "sql": "CREATE INDEX i ON t (a);"},
            {"path": "a.sql", "sql": "CREATE TABLE t (a int);"}]"#,
    );
    let r = report(&wasm::lint_files(files, None).expect("lint").js_value());
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["a.sql", "b.sql"]);
    let native = zerodown::lint_files(
        &[
            zerodown::SourceFile { path: "b.sql".into(), sql: "CREATE INDEX i ON t (a);".into() },
            zerodown::SourceFile { path: "a.sql".into(), sql: "CREATE TABLE t (a int);".into() },
        ],
        &Default::default(),
    )
    .expect("native");
    assert_eq!(r, native);
}

#[wasm_bindgen_test]
fn format_text_is_the_cli_text() {
    let sql = "CREATE INDEX i ON t (a);\nSELECT (;\n";
    let out = lint(sql);
    let sources = js(&serde_json::json!([{"path": "input.sql", "sql": sql}]).to_string());
    let text = wasm::format_text(Ts::new_unchecked(out.clone()), sources).expect("text");
    let expected = zerodown::report::render_text(&report(&out), &|_| Some(sql.to_string()), false);
    assert_eq!(text, expected);
    assert!(text.ends_with("2 errors, 0 warnings, 0 infos in 1 file\n"), "{text}");
    let e = wasm::format_text(Ts::new_unchecked(js("{}")), js("[]")).expect_err("bad report");
    assert_eq!(code_of(e), "bad-input");
}

#[wasm_bindgen_test]
fn rules_explain_version_and_config() {
    let rules: Array = wasm::rules().expect("rules").unchecked_into();
    assert_eq!(rules.length() as usize, zerodown::rule_catalogue().len());
    let ids: Vec<String> = rules.iter().map(|r| get(&r, "id").as_string().expect("id")).collect();
    assert!(ids.iter().any(|i| i == "add-index-non-concurrently"));
    let doc = wasm::explain("add-index-non-concurrently").expect("doc");
    assert!(doc.starts_with("# add-index-non-concurrently\n"), "{doc}");
    assert_eq!(wasm::version(), zerodown::VERSION);
    let o = wasm::parse_config("pg-version = 12\n[rules]\nparse-error = \"off\"\n", "zerodown.toml")
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
    let case = format!("SELECT {}1{};", "CASE WHEN true THEN ".repeat(5_000), " END".repeat(5_000));
    assert_eq!(report(&lint(&case)).findings[0].rule, "parse-error");

    // A large file: 20,000 statements, about 1.3 MB.
    let big: String = (0..20_000)
        .map(|i| format!("ALTER TABLE t{i} ADD COLUMN c{i} text; -- note {i}\n"))
        .collect();
    let r = report(&lint(&big));
    assert_eq!(r.files[0].statements, 20_000);
    // Unterminated quotes and dollar quotes swallow the rest of the file.
    for s in ["SELECT 'abc", "SELECT $$abc", "SELECT \"abc", "/* never closed", "SELECT E'\\"] {
        lint(&format!("{s}{}", "x".repeat(100_000)));
    }
    // Still alive.
    assert_eq!(report(&lint("CREATE INDEX i ON t (a);")).summary.errors, 1);
}
