//! WebAssembly bindings: deserialize, call the core, serialize. No logic of their own.
//!
//! Every export takes and returns the core's own serde types, so the objects
//! JavaScript sees are the JSON contract field for field (maps as plain
//! objects, absent optional fields absent). Failures throw a JavaScript
//! `Error` whose `code` is the core's [`ErrorCode`] string. Strings arrive as
//! UTF-8: a lone UTF-16 surrogate becomes U+FFFD, which is also one UTF-16
//! code unit, so `utf16` offsets still index the caller's string. SQL text
//! (`lint`, `lintFiles`, `analyzeSchema`) is encoded by the platform's
//! TextEncoder straight into the module's memory (`src/utf8.js`); results
//! cross back as a tape (`src/tape.rs`).
//!
//! `format` (CI report formats) exists with the `full` feature (the Node
//! module and `zerodown/full`).
//! `runCli`, `formatText`, `parseConfig` and `parseCalendar` exist only with
//! the `node` feature (the Node build); the browser builds leave them, and
//! what they pull in (clap, the TOML parser), out. `runCli` is the whole
//! command line of [`crate::cli`] over a host object of Node callbacks
//! (`pkg-templates/bin/zerodown.mjs`): `npx zerodown` runs the same argument
//! parsing, help, errors and exit codes as the native binary.
//!
//! Adding an export is one function: take `Ts<Input>` (or `&str`), call the
//! core, return `out(&value)`.

/// Talc instead of the standard library's dlmalloc: linting allocates many
/// small strings and AST nodes, and talc serves them faster in less code;
/// per-size free lists in front of it serve the small ones faster still.
#[global_allocator]
static ALLOCATOR: crate::alloc::SizeClasses<talc::wasm::WasmDynamicTalc> =
    crate::alloc::SizeClasses::new(talc::wasm::new_wasm_dynamic_allocator());

use serde::de::DeserializeOwned;
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};
use crate::lint::SourceFile;
use crate::model::LintOptions;
use crate::report::{LintReport, RuleInfo, SchemaProblem};
#[cfg(feature = "full")]
use crate::{
    cells::{Cell, Fleet},
    model::Change,
    plan::{ChangeArgs, Plan, PlanOptions},
    release::ReleaseOptions,
    report::cells::{CellsReport, FleetReport, MoveCheck},
    report::{Rehearsal, ScheduleReport, UpgradePathReport},
};

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

#[wasm_bindgen(module = "/src/tape.js")]
extern "C" {
    /// Rebuilds a value from the pieces of a [`Tape`](crate::tape::Tape).
    type TapeDecoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TapeDecoder;
    #[wasm_bindgen(method)]
    fn feed(this: &TapeDecoder, words: &[u32], text: &str);
    #[wasm_bindgen(method)]
    fn finish(this: &TapeDecoder) -> JsValue;
}

/// Converts a core value to the JSON contract as JavaScript (maps as
/// objects, `None` as null): written to a tape in one pass and rebuilt in
/// JavaScript a piece at a time (see `src/tape.rs`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let decoder = TapeDecoder::new();
    crate::tape::Tape::write(value, &mut |words: &[u32], text: &str| {
        decoder.feed(words, text)
    })
    .map_err(|e| {
        throw(Error::new(
            ErrorCode::BadInput,
            format!("cannot convert the result: {e}"),
        ))
    })?;
    Ok(decoder.finish())
}

fn out<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    to_js(value).map(Ts::new_unchecked)
}

/// Deserializes `value`, naming `what` in errors.
fn input<T: DeserializeOwned>(value: JsValue, code: ErrorCode, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| throw(Error::new(code, format!("invalid {what}: {e}"))))
}

/// Deserializes `value`, refusing keys `T` does not declare: serde-wasm-bindgen
/// reads only the fields a struct declares, and a misspelt option must be an
/// error, as it is in `zerodown.toml`.
fn strict<T: DeserializeOwned>(value: JsValue, code: ErrorCode, what: &str) -> Result<T, JsValue> {
    let fields = field_names::<T>();
    // serde would also read a struct from an array of its fields in order.
    let object = match value.dyn_ref::<js_sys::Object>() {
        Some(o) if !js_sys::Array::is_array(&value) => o,
        _ => {
            return Err(throw(Error::new(
                code,
                format!("invalid {what}: expected an object"),
            )))
        }
    };
    for key in js_sys::Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !fields.contains(&key.as_str()) {
            let expected: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            return Err(throw(Error::new(
                code,
                format!(
                    "invalid {what}: unknown field `{key}`, expected one of {}",
                    expected.join(", ")
                ),
            )));
        }
    }
    input(value, code, what)
}

/// The field names, aliases included, that serde accepts for struct `T`:
/// derived `Deserialize` impls pass them to `deserialize_struct`, which this
/// deserializer only records. (Cheaper in size than a detour through
/// `serde_json::Value`.)
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    #[derive(Debug)]
    struct Fields(&'static [&'static str]);
    impl std::fmt::Display for Fields {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names")
        }
    }
    impl std::error::Error for Fields {}
    impl de::Error for Fields {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Fields(&[])
        }
    }
    struct Probe;
    impl<'de> de::Deserializer<'de> for Probe {
        type Error = Fields;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
            Err(Fields(&[]))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Fields> {
            Err(Fields(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    match T::deserialize(Probe) {
        Err(Fields(fields)) => fields,
        Ok(_) => &[],
    }
}

/// Options of type `T`, strictly read; undefined or null means the defaults.
fn optional<T: DeserializeOwned + Default>(
    options: Option<JsValue>,
    code: ErrorCode,
    what: &str,
) -> Result<T, JsValue> {
    match options {
        Some(v) if !v.is_null() && !v.is_undefined() => strict(v, code, what),
        _ => Ok(T::default()),
    }
}

/// Release options (schedule, upgradePath); undefined or null means the defaults.
#[cfg(feature = "full")]
fn release_options(options: Option<Ts<ReleaseOptions>>) -> Result<ReleaseOptions, JsValue> {
    optional(
        options.map(|o| o.js_value()),
        ErrorCode::BadOptions,
        "options",
    )
}

/// Lint options; undefined or null means the defaults. `schema` (a dump's
/// path, which the command line reads) is refused: nothing here can read a
/// path, and ignoring it would lint as if no schema were given.
fn read_options(options: Option<Ts<LintOptions>>) -> Result<LintOptions, JsValue> {
    let options: LintOptions = optional(
        options.map(|o| o.js_value()),
        ErrorCode::BadOptions,
        "options",
    )?;
    if options.schema.is_some() {
        return Err(throw(Error::new(
            ErrorCode::BadOptions,
            "invalid options: `schema` is a path, which only the command line reads; \
             load the dump with `loadSchema(text)` and lint with the schema's own \
             `lint`, `lintFiles` or `lintDiff`"
                .to_string(),
        )));
    }
    // Table sizes and table docs are files the command line reads; here the
    // large tables are given as `largeTables`.
    let cli_only = [
        ("stats", options.stats.is_some()),
        ("tableDocs", options.table_docs.is_some()),
        ("rubocopMigrations", options.rubocop_migrations.is_some()),
        ("largeRows", options.large_rows.is_some()),
        ("largeBytes", options.large_bytes.is_some()),
    ];
    #[cfg(not(feature = "full"))]
    if !options.template_vars.is_empty() {
        return Err(throw(Error::new(
            ErrorCode::BadOptions,
            "invalid options: `templateVars` (a folder's template placeholders) is read by \
             the Node module and `zerodown/full`, not the browser's lint module"
                .to_string(),
        )));
    }
    if let Some((key, _)) = cli_only.iter().find(|(_, given)| *given) {
        return Err(throw(Error::new(
            ErrorCode::BadOptions,
            format!(
                "invalid options: `{key}` works with table sizes the command line reads \
                 from files; give the large tables as `largeTables`"
            ),
        )));
    }
    Ok(options)
}

fn string(value: &JsValue, what: &str) -> Result<String, JsValue> {
    text(value).ok_or_else(|| {
        throw(Error::new(
            ErrorCode::BadInput,
            format!("{what} must be a string"),
        ))
    })
}

#[wasm_bindgen(module = "/src/utf8.js")]
extern "C" {
    /// Encodes `text` into `view`; the bytes written, or -1 if it did not fit.
    #[wasm_bindgen(js_name = utf8Into)]
    fn utf8_into(text: &JsValue, view: &mut [u8]) -> i32;
}

/// The UTF-8 text of a JavaScript string (`None` if `value` is not one),
/// encoded by the platform's TextEncoder straight into a buffer of the
/// module's: for the SQL the exports read, in place of wasm-bindgen's string
/// conversion, which copies ASCII a character at a time in JavaScript (3.5% of
/// `lintFiles`, see BENCHMARKS.md).
fn text(value: &JsValue) -> Option<String> {
    let units = value.dyn_ref::<js_sys::JsString>()?.length() as usize;
    // Room for ASCII first; otherwise at most three bytes per UTF-16 unit.
    let mut buf = vec![0u8; units];
    let mut written = utf8_into(value, &mut buf);
    if written < 0 {
        buf = vec![0u8; units * 3];
        written = utf8_into(value, &mut buf);
    }
    buf.truncate(usize::try_from(written).ok()?);
    String::from_utf8(buf).ok()
}

/// The files of `lintFiles`, `[{path, sql}]`: read field by field (rather
/// than with serde-wasm-bindgen) so that the SQL crosses with [`text`].
fn source_files(files: &JsValue) -> Result<Vec<SourceFile>, JsValue> {
    let bad = |message: String| {
        throw(Error::new(
            ErrorCode::BadInput,
            format!("invalid files: {message}"),
        ))
    };
    let Some(files) = files.dyn_ref::<js_sys::Array>() else {
        return Err(bad("expected an array of `{path, sql}` objects".into()));
    };
    files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            if !file.is_object() {
                return Err(bad(format!("files[{i}] is not a `{{path, sql}}` object")));
            }
            let field = |name: &str| {
                let value = js_sys::Reflect::get(&file, &JsValue::from_str(name))
                    .unwrap_or(JsValue::UNDEFINED);
                text(&value).ok_or_else(|| bad(format!("files[{i}].{name} must be a string")))
            };
            Ok(SourceFile {
                path: field("path")?,
                sql: field("sql")?,
                transaction: None,
            })
        })
        .collect()
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
    let files = source_files(&files)?;
    let options = read_options(options)?;
    // A migration tool's run: its files, order, direction and transactions.
    if options.tool.is_some()
        || options.direction.is_some()
        || !options.include.is_empty()
        || !options.exclude.is_empty()
    {
        return lint_as_tool(files, &options, None);
    }
    let report = crate::lint_files(&files, &options).map_err(throw)?;
    out(&report)
}

/// `lintFiles` with a migration tool (`tool`, `direction`, `include`,
/// `exclude`), on top of a schema or not.
fn lint_as_tool(
    files: Vec<SourceFile>,
    options: &LintOptions,
    schema: Option<&crate::lint::Schema>,
) -> Result<Ts<LintReport>, JsValue> {
    let (tool, direction) =
        crate::tools::choice(options.tool.as_deref(), options.direction.as_deref())
            .map_err(throw)?;
    let files: Vec<(String, String)> = files.into_iter().map(|f| (f.path, f.sql)).collect();
    let (report, problems) =
        crate::lint::lint_folder(&files, tool, direction, options, schema).map_err(throw)?;
    // A tool's own file that cannot be read is an error with its line, not a
    // report that quietly used the default.
    if let Some(p) = problems.first() {
        return Err(throw(Error::new(
            ErrorCode::BadInput,
            format!("{}:{}: {}", p.path, p.line, p.message),
        )));
    }
    out(&report)
}

/// Lints the migrations a unified diff changes (`git diff`, a merge
/// request's `.diff`): only statements overlapping changed lines get
/// findings; every file of the diff is listed in `files` with its `status`
/// (`checked`, `not-checked` with a `reason`, `schema`, `skipped`,
/// `deleted`). `migrations` are globs of migration paths (default: Rails'
/// `db/migrate` and `db/post_migrate` folders and every `.sql` file).
#[wasm_bindgen(js_name = lintDiff)]
pub fn lint_diff(
    diff: JsValue,
    options: Option<Ts<LintOptions>>,
    migrations: Option<Vec<String>>,
) -> Result<Ts<LintReport>, JsValue> {
    let diff = string(&diff, "`diff`")?;
    let options = read_options(options)?;
    let report =
        crate::lint_diff(&diff, &options, &migrations.unwrap_or_default()).map_err(throw)?;
    out(&report)
}

/// A schema dump (`pg_dump --schema-only`, `structure.sql`) read once:
/// lint against it as often as needed with its `lint`, `lintFiles` and
/// `lintDiff`, which take the same arguments as the module's functions of
/// those names. (A schema is an argument of its own methods rather than an
/// option: wasm-bindgen lends a Rust object to a call only as a direct
/// argument; one inside an options object would be given up by JavaScript.)
/// Free it with `free()` when done, or leave it to the garbage collector.
#[wasm_bindgen(js_name = Schema)]
pub struct JsSchema {
    schema: crate::lint::Schema,
    problems: Vec<SchemaProblem>,
}

/// Reads a schema dump. Statements that cannot be read are skipped and
/// listed in `problems` (path, line, reason): they are data, not an
/// exception; what the rest of the dump says is kept. `path` (default
/// `structure.sql`) names the dump in those problems.
#[wasm_bindgen(js_name = loadSchema)]
pub fn load_schema(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    path: Option<String>,
) -> Result<JsSchema, JsValue> {
    let text = string(&text, "`text`")?;
    let path = path.unwrap_or_else(|| "structure.sql".to_string());
    let (schema, problems) = crate::lint::Schema::load(&text, &path);
    Ok(JsSchema { schema, problems })
}

#[wasm_bindgen(js_class = Schema)]
impl JsSchema {
    /// The statements the loader skipped, with their line and reason.
    #[wasm_bindgen(getter, unchecked_return_type = "SchemaProblem[]")]
    pub fn problems(&self) -> Result<JsValue, JsValue> {
        to_js(&self.problems)
    }

    /// How many tables, columns and indexes the schema holds.
    #[wasm_bindgen(
        getter,
        unchecked_return_type = "{ tables: number; columns: number; indexes: number }"
    )]
    pub fn counts(&self) -> Result<JsValue, JsValue> {
        let (tables, columns, indexes) = self.schema.catalog.counts();
        let counts = js_sys::Object::new();
        for (key, n) in [
            ("tables", tables),
            ("columns", columns),
            ("indexes", indexes),
        ] {
            js_sys::Reflect::set(&counts, &key.into(), &JsValue::from(n as f64))?;
        }
        Ok(counts.into())
    }

    /// `lint` against this schema.
    #[wasm_bindgen(js_name = lint)]
    pub fn lint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] sql: JsValue,
        options: Option<Ts<LintOptions>>,
        path: Option<String>,
    ) -> Result<Ts<LintReport>, JsValue> {
        let sql = string(&sql, "`sql`")?;
        let options = read_options(options)?;
        let path = path.unwrap_or_else(|| DEFAULT_PATH.to_string());
        let report = crate::lint::lint_with_schema(&sql, &path, &options, Some(&self.schema))
            .map_err(throw)?;
        out(&report)
    }

    /// `lintFiles` against this schema: the files apply, in path order, on
    /// top of it.
    #[wasm_bindgen(js_name = lintFiles)]
    pub fn lint_files(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue,
        options: Option<Ts<LintOptions>>,
    ) -> Result<Ts<LintReport>, JsValue> {
        let files = source_files(&files)?;
        let options = read_options(options)?;
        // A migration tool's run on top of the schema, as `lint --schema`.
        if options.tool.is_some()
            || options.direction.is_some()
            || !options.include.is_empty()
            || !options.exclude.is_empty()
        {
            return lint_as_tool(files, &options, Some(&self.schema));
        }
        let report = crate::lint::lint_files_with_schema(&files, &options, Some(&self.schema))
            .map_err(throw)?;
        out(&report)
    }

    /// `lintDiff` against this schema.
    #[wasm_bindgen(js_name = lintDiff)]
    pub fn lint_diff(
        &self,
        diff: JsValue,
        options: Option<Ts<LintOptions>>,
        migrations: Option<Vec<String>>,
    ) -> Result<Ts<LintReport>, JsValue> {
        let diff = string(&diff, "`diff`")?;
        let options = read_options(options)?;
        let report = crate::lint::lint_diff_on_schema(
            &diff,
            &options,
            &migrations.unwrap_or_default(),
            &self.schema,
        )
        .map_err(throw)?;
        out(&report)
    }

    /// What a plan takes from this schema, as `zerodown plan --schema`
    /// does: the change and options with what they left open filled in
    /// (the column's type, default and nullability, a dropped index's table
    /// and definition, a replaced view's query), and the notes the CLI
    /// prints on stderr (what was taken, what the schema lacks, the foreign
    /// keys that reference a bigint-primary-key's key). Pass the result's
    /// `change` and `options` to `plan`.
    #[cfg(feature = "full")]
    #[wasm_bindgen(
        js_name = completePlan,
        unchecked_return_type = "{ change: Change; options: PlanOptions; notes: string[] }"
    )]
    pub fn complete_plan(
        &self,
        change: Ts<Change>,
        options: Option<Ts<PlanOptions>>,
    ) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Completed {
            change: Change,
            options: PlanOptions,
            notes: Vec<String>,
        }
        let mut change: Change = input(change.js_value(), ErrorCode::BadChange, "change")?;
        let mut options: PlanOptions = optional(
            options.map(|o| o.js_value()),
            ErrorCode::BadOptions,
            "options",
        )?;
        let notes = self.schema.complete_plan(&mut change, &mut options);
        to_js(&Completed {
            change,
            options,
            notes,
        })
    }

    /// `schedule` with the due migrations applied on this schema (the
    /// database they run on), in the order listed: `zerodown schedule
    /// --schema`.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = schedule)]
    pub fn schedule(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue,
        version: &str,
        options: Option<Ts<ReleaseOptions>>,
    ) -> Result<Ts<ScheduleReport>, JsValue> {
        let entries = entries(files)?;
        let options = release_options(options)?;
        let report =
            crate::release::schedule_on_schema(&entries, version, &options, Some(&self.schema))
                .map_err(throw)?;
        out(&report)
    }

    /// `upgradePath` with the deployments' migrations applied on this
    /// schema (the database at `from`), in the order they run: `zerodown
    /// upgrade-path --schema`.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = upgradePath)]
    pub fn upgrade_path(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue,
        from: &str,
        to: &str,
        options: Option<Ts<ReleaseOptions>>,
    ) -> Result<Ts<UpgradePathReport>, JsValue> {
        let entries = entries(files)?;
        let options = release_options(options)?;
        let report = crate::release::upgrade_path_on_schema(
            &entries,
            from,
            to,
            &options,
            Some(&self.schema),
        )
        .map_err(throw)?;
        out(&report)
    }
}

/// The rule catalogue, with each rule's documentation (except in the
/// browser's lint module).
#[wasm_bindgen(js_name = rules, unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    let rules: Vec<RuleInfo> = crate::rule_catalogue();
    to_js(&rules)
}

/// One rule's documentation as Markdown; throws `unknown-rule`. Not in the
/// browser's lint module, which carries no docs.
#[cfg(feature = "full")]
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
#[cfg(feature = "node")]
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

/// The report in a CI format, as `zerodown lint --format NAME` prints it:
/// `sarif` (SARIF 2.1.0), `gitlab` (Code Quality), `github` (workflow
/// commands), `junit` or `markdown`. Throws `bad-input` for another name.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = format)]
pub fn format_report(report: Ts<LintReport>, format: &str) -> Result<String, JsValue> {
    let report: LintReport = input(report.js_value(), ErrorCode::BadInput, "report")?;
    let format = crate::report::CiFormat::parse(format).ok_or_else(|| {
        let names: Vec<&str> = crate::report::CiFormat::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect();
        throw(crate::Error::new(
            ErrorCode::BadInput,
            format!("unknown format `{format}`: use {}", names.join(", ")),
        ))
    })?;
    Ok(crate::report::render_ci(&report, format))
}

/// Parses the text of a `zerodown.toml` into options; `path` names the file in errors.
#[cfg(feature = "node")]
#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config(text: &str, path: &str) -> Result<Ts<LintOptions>, JsValue> {
    let options = crate::config::parse_config(text, path).map_err(throw)?;
    out(&options)
}

/// Builds a change from the arguments of `zerodown plan KIND TARGET [ARGS]`
/// and its named options (`--using`, `--type`, `--name`, ...); throws `bad-change`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = changeFromArgs)]
pub fn change_from_args(
    kind: &str,
    target: &str,
    args: Option<Vec<String>>,
    options: Option<Ts<ChangeArgs>>,
) -> Result<Ts<Change>, JsValue> {
    let o: ChangeArgs = optional(
        options.map(|o| o.js_value()),
        ErrorCode::BadChange,
        "options",
    )?;
    let change = Change::from_args(kind, target, &args.unwrap_or_default(), &o).map_err(throw)?;
    out(&change)
}

/// The safe multi-release plan of a change: `zerodown plan --format json`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = plan)]
pub fn plan(change: Ts<Change>, options: Option<Ts<PlanOptions>>) -> Result<Ts<Plan>, JsValue> {
    let change: Change = input(change.js_value(), ErrorCode::BadChange, "change")?;
    let options: PlanOptions = optional(
        options.map(|o| o.js_value()),
        ErrorCode::BadOptions,
        "options",
    )?;
    let plan = crate::plan::plan(&change, &options).map_err(throw)?;
    out(&plan)
}

/// The files `zerodown plan --format sql` writes: one per migration, in
/// folders per release and phase, and a `CODE.md` per release.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = planFiles, unchecked_return_type = "PlanFile[]")]
pub fn plan_files(plan: Ts<Plan>) -> Result<JsValue, JsValue> {
    let plan: Plan = input(plan.js_value(), ErrorCode::BadInput, "plan")?;
    to_js(&crate::report::plan_files(&plan))
}

/// The plan as `zerodown plan` prints it (the release-by-release timeline).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = formatPlan)]
pub fn format_plan(plan: Ts<Plan>) -> Result<String, JsValue> {
    let plan: Plan = input(plan.js_value(), ErrorCode::BadInput, "plan")?;
    Ok(crate::report::render_plan_text(&plan))
}

/// A rehearsal report (`zerodown rehearse --format json`) as `zerodown
/// rehearse` prints it: the steps' timeline with their stall charts (block
/// characters), the data check, where it stopped, then the verdict.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = formatRehearsal)]
pub fn format_rehearsal(report: Ts<Rehearsal>) -> Result<String, JsValue> {
    let report: Rehearsal = input(report.js_value(), ErrorCode::BadInput, "report")?;
    Ok(crate::report::render_rehearsal_text(&report, true))
}

/// Release files as `(path, text)` pairs, from `[{ path, sql }]`.
#[cfg(feature = "full")]
fn entries(files: JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let files = source_files(&files)?;
    Ok(files.into_iter().map(|f| (f.path, f.sql)).collect())
}

/// The migrations of a release-migrations folder due at `version`:
/// `zerodown schedule`. `files` paths are relative to the folder
/// (`16.4/post-deploy/01_x.sql`).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = schedule)]
pub fn schedule(
    #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue,
    version: &str,
    options: Option<Ts<ReleaseOptions>>,
) -> Result<Ts<ScheduleReport>, JsValue> {
    let entries = entries(files)?;
    let options = release_options(options)?;
    let report = crate::release::schedule(&entries, version, &options).map_err(throw)?;
    out(&report)
}

/// The deployments of an upgrade from `from` to `to`: `zerodown upgrade-path`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = upgradePath)]
pub fn upgrade_path(
    #[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue,
    from: &str,
    to: &str,
    options: Option<Ts<ReleaseOptions>>,
) -> Result<Ts<UpgradePathReport>, JsValue> {
    let entries = entries(files)?;
    let options = release_options(options)?;
    let report = crate::release::upgrade_path(&entries, from, to, &options).map_err(throw)?;
    out(&report)
}

/// Checks a plan's steps (or several plans') against cells running different
/// application versions: `zerodown fleet check`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = fleetCheck)]
pub fn fleet_check(
    fleet: Ts<Fleet>,
    #[wasm_bindgen(unchecked_param_type = "Plan | Plan[]")] plan: JsValue,
) -> Result<Ts<FleetReport>, JsValue> {
    let fleet = fleet.js_value();
    // A misspelt key of a cell is an error too, as in a fleet file.
    let cells = js_sys::Reflect::get(&fleet, &"cells".into()).unwrap_or(JsValue::UNDEFINED);
    if js_sys::Array::is_array(&cells) {
        for cell in js_sys::Array::from(&cells).iter() {
            strict::<Cell>(cell, ErrorCode::BadInput, "fleet cell")?;
        }
    }
    let fleet: Fleet = strict(fleet, ErrorCode::BadInput, "fleet")?;
    let plans: Vec<Plan> = if js_sys::Array::is_array(&plan) {
        input(plan, ErrorCode::BadInput, "plans")?
    } else {
        vec![input(plan, ErrorCode::BadInput, "plan")?]
    };
    let mut steps = Vec::new();
    for p in &plans {
        steps.extend(crate::cells::steps_from_plan(p).map_err(throw)?);
    }
    let report = crate::cells::check_steps(&fleet, &steps).map_err(throw)?;
    out(&report)
}

/// The options of `analyzeSchema`: `zerodown cells analyze --root --shared`.
#[derive(Debug, Default, serde::Deserialize, Tsify)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AnalyzeOptions {
    /// Root tables (default: organizations, namespaces, projects).
    pub roots: Vec<String>,
    /// Tables shared cluster-wide, owned by no organization.
    pub shared: Vec<String>,
}

/// The organization-isolation report of a schema dump: `zerodown cells analyze`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = analyzeSchema)]
pub fn analyze_schema(
    #[wasm_bindgen(unchecked_param_type = "string")] sql: JsValue,
    options: Option<Ts<AnalyzeOptions>>,
) -> Result<Ts<CellsReport>, JsValue> {
    let sql = string(&sql, "`sql`")?;
    let o: AnalyzeOptions = optional(
        options.map(|o| o.js_value()),
        ErrorCode::BadOptions,
        "options",
    )?;
    out(&crate::cells::analyze_with_shared(
        &sql, &o.roots, &o.shared,
    ))
}

/// Whether an organization may move between two cells: `zerodown cells
/// move-check`. `source` and `target` list each cell's applied migration
/// versions, one per line; throws `bad-input` on a line that is not one.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = moveCheck)]
pub fn move_check(source: &str, target: &str) -> Result<Ts<MoveCheck>, JsValue> {
    let check = crate::cells::move_check(source, "source", target, "target").map_err(throw)?;
    out(&check)
}

/// Parses `zerodown plan --calendar` text (`monthly:3-thu:2023-11`,
/// `2019-11-22,2019-12-22`) into the `calendar` of `PlanOptions`.
#[cfg(feature = "node")]
#[wasm_bindgen(js_name = parseCalendar)]
pub fn parse_calendar(text: &str) -> Result<Ts<crate::plan::Calendar>, JsValue> {
    out(&crate::plan::Calendar::parse(text).map_err(throw)?)
}

#[cfg(feature = "node")]
#[wasm_bindgen(typescript_custom_section)]
const TS_CLI_HOST: &'static str = r#"
/**
 * What `runCli` needs from its platform: Node's `fs`, streams and process,
 * as `bin/zerodown.mjs` passes them. File-system callbacks throw Node's
 * errors (with `code` and `errno`).
 */
export interface CliHost {
    /** The bytes of a file. */
    readFile(path: string): Uint8Array;
    /** 2 for a folder, 1 for a file, 0 otherwise (following symbolic links). */
    kind(path: string): number;
    /** The entry names of a folder. */
    readDir(path: string): string[];
    /** Creates a folder and its missing parents. */
    mkdir(path: string): void;
    /** Writes a file, replacing it. */
    writeFile(path: string, text: string): void;
    /** Writes to stdout (1) or stderr (2). */
    write(fd: number, text: string): void;
    /** The current folder. */
    cwd(): string;
    /** Whether the file descriptor is a terminal. */
    isTerminal(fd: number): boolean;
    /** An environment variable. */
    env(name: string): string | undefined;
    /** Runs git with these arguments in the current folder; returns its output, throws with its error. Optional: without it, `lint --changed-since` is an error. */
    git?(args: string[]): string;
}
"#;

#[cfg(feature = "node")]
#[wasm_bindgen]
extern "C" {
    /// The JavaScript side of [`NodeIo`]: see the `CliHost` declaration above.
    #[wasm_bindgen(typescript_type = "CliHost")]
    pub type CliHost;
    #[wasm_bindgen(method, catch, js_name = readFile)]
    fn read_file(this: &CliHost, path: &str) -> Result<js_sys::Uint8Array, JsValue>;
    #[wasm_bindgen(method)]
    fn kind(this: &CliHost, path: &str) -> u32;
    #[wasm_bindgen(method, catch, js_name = readDir)]
    fn read_dir(this: &CliHost, path: &str) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn mkdir(this: &CliHost, path: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = writeFile)]
    fn write_file(this: &CliHost, path: &str, text: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn write(this: &CliHost, fd: u32, text: &str);
    #[wasm_bindgen(method)]
    fn cwd(this: &CliHost) -> String;
    #[wasm_bindgen(method, js_name = isTerminal)]
    fn is_terminal(this: &CliHost, fd: u32) -> bool;
    #[wasm_bindgen(method)]
    fn env(this: &CliHost, name: &str) -> Option<String>;
    #[wasm_bindgen(method, catch)]
    fn git(this: &CliHost, args: Vec<String>) -> Result<String, JsValue>;
}

/// [`crate::cli::Io`] over a [`CliHost`].
#[cfg(feature = "node")]
struct NodeIo(CliHost);

/// A Node file-system error as the native CLI prints an OS error
/// (`No such file or directory (os error 2)`): Node names the error (`code`)
/// and gives its number (`errno`, negated on POSIX); the text is the C
/// library's for the common codes. Other errors keep Node's message.
#[cfg(feature = "node")]
fn os_error(e: &JsValue) -> String {
    let get = |key: &str| js_sys::Reflect::get(e, &key.into()).ok();
    let code = get("code").and_then(|v| v.as_string());
    let errno = get("errno").and_then(|v| v.as_f64());
    let text = match code.as_deref() {
        Some("ENOENT") => Some("No such file or directory"),
        Some("EACCES") => Some("Permission denied"),
        Some("EPERM") => Some("Operation not permitted"),
        Some("EISDIR") => Some("Is a directory"),
        Some("ENOTDIR") => Some("Not a directory"),
        Some("ELOOP") => Some("Too many levels of symbolic links"),
        Some("ENAMETOOLONG") => Some("File name too long"),
        Some("EEXIST") => Some("File exists"),
        Some("EROFS") => Some("Read-only file system"),
        Some("ENOSPC") => Some("No space left on device"),
        Some("EMFILE") => Some("Too many open files"),
        Some("EIO") => Some("Input/output error"),
        _ => None,
    };
    match (text, errno) {
        (Some(text), Some(errno)) => format!("{text} (os error {})", errno.abs()),
        _ => get("message")
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "unknown error".to_string()),
    }
}

#[cfg(feature = "node")]
impl crate::cli::Io for NodeIo {
    fn read(&self, path: &std::path::Path) -> Result<Vec<u8>, String> {
        let bytes = self
            .0
            .read_file(&path.to_string_lossy())
            .map_err(|e| os_error(&e))?;
        Ok(bytes.to_vec())
    }

    fn kind(&self, path: &std::path::Path) -> crate::cli::EntryKind {
        match self.0.kind(&path.to_string_lossy()) {
            2 => crate::cli::EntryKind::Dir,
            1 => crate::cli::EntryKind::File,
            _ => crate::cli::EntryKind::Other,
        }
    }

    fn read_dir(&self, dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
        let names = self
            .0
            .read_dir(&dir.to_string_lossy())
            .map_err(|e| os_error(&e))?;
        Ok(names
            .iter()
            .map(|name| dir.join(name.as_string().unwrap_or_default()))
            .collect())
    }

    fn create_dir_all(&mut self, dir: &std::path::Path) -> Result<(), String> {
        // As std::fs::create_dir_all: the empty path (the current folder) exists.
        if dir.as_os_str().is_empty() {
            return Ok(());
        }
        self.0
            .mkdir(&dir.to_string_lossy())
            .map_err(|e| os_error(&e))
    }

    fn write_file(&mut self, path: &std::path::Path, contents: &str) -> Result<(), String> {
        self.0
            .write_file(&path.to_string_lossy(), contents)
            .map_err(|e| os_error(&e))
    }

    fn write(&mut self, stream: crate::cli::Stream, text: &str) {
        self.0.write(fd(stream), text);
    }

    fn current_dir(&self) -> Option<std::path::PathBuf> {
        Some(self.0.cwd().into())
    }

    fn is_terminal(&self, stream: crate::cli::Stream) -> bool {
        self.0.is_terminal(fd(stream))
    }

    fn env(&self, name: &str) -> Option<String> {
        self.0.env(name)
    }

    fn git(&self, args: &[&str]) -> Result<String, String> {
        let args = args.iter().map(|a| (*a).to_string()).collect();
        self.0.git(args).map_err(|e| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "git failed".to_string())
        })
    }
}

#[cfg(feature = "node")]
fn fd(stream: crate::cli::Stream) -> u32 {
    match stream {
        crate::cli::Stream::Stdout => 1,
        crate::cli::Stream::Stderr => 2,
    }
}

/// Runs the `zerodown` command line (`argv` without the program name) with
/// `host`'s files and streams; returns the exit status. What `npx zerodown`
/// runs: the native CLI's code, so the same help, output, errors and exit codes.
#[cfg(feature = "node")]
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(argv: Vec<String>, host: CliHost) -> u8 {
    let argv = std::iter::once("zerodown".to_string()).chain(argv);
    crate::cli::run(argv, &mut NodeIo(host))
}
