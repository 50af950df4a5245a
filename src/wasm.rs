//! WebAssembly bindings: deserialize, call the core, serialize. No logic of their own.
//!
//! Every export takes and returns the core's own serde types, so the objects
//! JavaScript sees are the JSON contract field for field (maps as plain
//! objects, absent optional fields absent). Failures throw a JavaScript
//! `Error` whose `code` is the core's [`ErrorCode`] string. Strings arrive as
//! UTF-8: a lone UTF-16 surrogate becomes U+FFFD, which is also one UTF-16
//! code unit, so `utf16` offsets still index the caller's string.
//!
//! Adding an export is one function: take `Ts<Input>` (or `&str`), call the
//! core, return `out(&value)`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode};
use crate::lint::SourceFile;
use crate::model::LintOptions;
use crate::report::{LintReport, RuleInfo};

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/** What every export throws: a JavaScript `Error` with a stable `code`. */
export interface ZerodownError extends Error {
    code: ErrorCode;
}
"#;

/// The path `lint` reports (and infers the phase from) when none is given.
const DEFAULT_PATH: &str = "input.sql";

/// A JavaScript `Error` with `code` set.
fn throw(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code.as_str().into());
    err.into()
}

/// Serializes a core value as the JSON contract: maps as objects, `None` as null.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            throw(Error::new(
                ErrorCode::BadInput,
                format!("cannot convert the result: {e}"),
            ))
        })
}

fn out<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    to_js(value).map(Ts::new_unchecked)
}

/// Deserializes `value`, naming `what` in errors.
fn input<T: DeserializeOwned>(value: JsValue, code: ErrorCode, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| throw(Error::new(code, format!("invalid {what}: {e}"))))
}

/// Deserializes `value` through a JSON value, so that `deny_unknown_fields`
/// holds: serde-wasm-bindgen reads only the fields a struct declares, and a
/// misspelt option must be an error, as it is in `zerodown.toml`.
fn strict<T: DeserializeOwned>(value: JsValue, code: ErrorCode, what: &str) -> Result<T, JsValue> {
    let json: serde_json::Value = input(value, code, what)?;
    serde_json::from_value(json)
        .map_err(|e| throw(Error::new(code, format!("invalid {what}: {e}"))))
}

/// Lint options; undefined or null means the defaults.
fn read_options(options: Option<Ts<LintOptions>>) -> Result<LintOptions, JsValue> {
    match options.map(|o| o.js_value()) {
        Some(v) if !v.is_null() => strict(v, ErrorCode::BadOptions, "options"),
        _ => Ok(LintOptions::default()),
    }
}

fn string(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        throw(Error::new(
            ErrorCode::BadInput,
            format!("{what} must be a string"),
        ))
    })
}

/// Lints one file's SQL. `path` (default `input.sql`) is reported in the
/// findings and decides the phase unless `options.phase` is set.
#[wasm_bindgen(js_name = lint)]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "string")] sql: JsValue,
    options: Option<Ts<LintOptions>>,
    path: Option<String>,
) -> Result<Ts<LintReport>, JsValue> {
    let sql = string(&sql, "`sql`")?;
    let options = read_options(options)?;
    let path = path.unwrap_or_else(|| DEFAULT_PATH.to_string());
    let report = crate::lint(&sql, &path, &options).map_err(throw)?;
    out(&report)
}

/// Lints several files together, in path order: tables created by earlier
/// files are known to later ones. Each file's phase comes from its path.
#[wasm_bindgen(js_name = lintFiles)]
pub fn lint_files(
    #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue,
    options: Option<Ts<LintOptions>>,
) -> Result<Ts<LintReport>, JsValue> {
    let files: Vec<SourceFile> = input(files, ErrorCode::BadInput, "files")?;
    let options = read_options(options)?;
    let report = crate::lint_files(&files, &options).map_err(throw)?;
    out(&report)
}

/// The rule catalogue, with each rule's documentation.
#[wasm_bindgen(js_name = rules, unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    let rules: Vec<RuleInfo> = crate::rule_catalogue();
    to_js(&rules)
}

/// One rule's documentation as Markdown; throws `unknown-rule`.
#[wasm_bindgen(js_name = explain)]
pub fn explain(id: &str) -> Result<String, JsValue> {
    crate::explain(id).map_err(throw)
}

/// The zerodown version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The report as the native CLI prints it with `--format text` (no colour).
/// `sources` gives the files' text for the code frames; a finding whose
/// file is missing is printed without one.
#[wasm_bindgen(js_name = formatText)]
pub fn format_text(
    report: Ts<LintReport>,
    #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] sources: JsValue,
) -> Result<String, JsValue> {
    let report: LintReport = input(report.js_value(), ErrorCode::BadInput, "report")?;
    let sources: Vec<SourceFile> = input(sources, ErrorCode::BadInput, "sources")?;
    let lookup = |path: &str| {
        sources
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.sql.clone())
    };
    Ok(crate::report::render_text(&report, &lookup, false))
}

/// Parses the text of a `zerodown.toml` into options; `path` names the file in errors.
#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config(text: &str, path: &str) -> Result<Ts<LintOptions>, JsValue> {
    let options = crate::config::parse_config(text, path).map_err(throw)?;
    out(&options)
}
