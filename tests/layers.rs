//! The layer test: the modules of `src/` import each other one way only.
//!
//! It reads every `.rs` file under `src/`, finds the `crate::` paths in its
//! code (`use crate::...`, `crate::x::y(...)`, `$crate::` in macros; comments
//! and string literals are skipped) and checks them against [`LAYERS`], the
//! order written in `src/lib.rs`'s module doc:
//!
//! - a module may import only modules of a lower layer (or itself);
//! - modules of one layer do not import each other (except that the top
//!   layer may use the crate root's own items);
//! - the module graph has no cycle;
//! - every module of `src/` is in a layer, so a new module must be placed.
//!
//! Items the crate root re-exports (`crate::Phase`, `crate::Result`) count
//! as imports of the module they come from, read from `src/lib.rs`'s
//! `pub use` lines. Relative paths (`super::`) are not read: none crosses a
//! top-level module today.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first (numbered from 1 in messages). Keep in step
/// with `src/lib.rs`'s module doc.
const LAYERS: &[&[&str]] = &[
    &["error", "alloc", "tape"],
    &["model"],
    &["sql", "diff"],
    &["ruby"],
    &["rules", "tools"],
    &["plan"],
    &["report"],
    &["lint"],
    &["release"],
    &["cells", "config"],
    &["rehearse"],
    &["cli"],
    &["wasm", ROOT],
];

/// `src/lib.rs`: the crate root, in the top layer.
const ROOT: &str = "(crate root)";

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// One import: which file and line, and the top-level module it reaches.
#[derive(Debug, Clone)]
struct Import {
    file: String,
    line: usize,
    target: String,
}

#[test]
fn layers_import_downwards_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = read_graph(&src);
    let problems = check(&graph);
    assert!(
        problems.is_empty(),
        "the layer order of src/lib.rs is broken:\n{}",
        problems.join("\n")
    );
}

/// The imports of each top-level module.
fn read_graph(src: &Path) -> BTreeMap<String, Vec<Import>> {
    let modules = top_level_modules(src);
    let root_items = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs"));
    let mut graph: BTreeMap<String, Vec<Import>> = BTreeMap::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).expect("under src");
        let Some(module) = module_of(rel) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        let imports = graph.entry(module).or_default();
        for (line, first) in crate_paths(&text) {
            let target = if modules.contains(&first) {
                first
            } else if let Some(m) = root_items.get(&first) {
                m.clone()
            } else {
                ROOT.to_string()
            };
            imports.push(Import {
                file: format!("src/{}", rel.display()),
                line,
                target,
            });
        }
    }
    graph
}

/// The problems with `graph`, one line each.
fn check(graph: &BTreeMap<String, Vec<Import>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (module, imports) in graph {
        let Some(from) = layer_of(module) else {
            problems.push(format!(
                "module `{module}` is in no layer: add it to LAYERS in tests/layers.rs and to src/lib.rs's doc"
            ));
            continue;
        };
        for i in imports {
            if i.target == *module {
                continue;
            }
            let Some(to) = layer_of(&i.target) else {
                problems.push(format!(
                    "{}:{}: imports `{}`, which is in no layer",
                    i.file, i.line, i.target
                ));
                continue;
            };
            let top = LAYERS.len() - 1;
            let ok = to < from || (from == top && to == top && i.target == ROOT);
            if !ok {
                let why = if to == from {
                    "a module of the same layer"
                } else {
                    "a higher layer"
                };
                // Numbered from 1, as in src/lib.rs's doc.
                problems.push(format!(
                    "{}:{}: `{module}` (layer {}) imports `{}` (layer {}), {why}",
                    i.file,
                    i.line,
                    from + 1,
                    i.target,
                    to + 1
                ));
            }
        }
    }
    for cycle in cycles(graph) {
        problems.push(format!("import cycle: {}", cycle.join(" -> ")));
    }
    problems
}

/// Every cycle through two or more modules, as a path that returns to its
/// start (one per strongly connected component).
fn cycles(graph: &BTreeMap<String, Vec<Import>>) -> Vec<Vec<String>> {
    let edges: BTreeMap<&str, BTreeSet<&str>> = graph
        .iter()
        .map(|(m, imports)| {
            let to = imports
                .iter()
                .map(|i| i.target.as_str())
                .filter(|t| t != m)
                .collect();
            (m.as_str(), to)
        })
        .collect();
    let mut found = Vec::new();
    let mut in_cycle: BTreeSet<&str> = BTreeSet::new();
    for &start in edges.keys() {
        if in_cycle.contains(start) {
            continue;
        }
        // Depth-first search for a path from `start` back to itself.
        let mut stack = vec![(start, vec![start])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for &next in edges.get(node).into_iter().flatten() {
                if next == start {
                    let mut cycle: Vec<String> = path.iter().map(|s| s.to_string()).collect();
                    cycle.push(start.to_string());
                    in_cycle.extend(path.iter().copied());
                    found.push(cycle);
                    stack.clear();
                    break;
                }
                if seen.insert(next) {
                    let mut p = path.clone();
                    p.push(next);
                    stack.push((next, p));
                }
            }
        }
    }
    found
}

/// The top-level modules: `src/x.rs` and `src/x/`, but not `lib.rs` and
/// `main.rs`.
fn top_level_modules(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .expect("src/")
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            if e.path().is_dir() {
                Some(name)
            } else {
                let stem = name.strip_suffix(".rs")?;
                (stem != "lib" && stem != "main").then(|| stem.to_string())
            }
        })
        .collect()
}

/// The top-level module a file under `src/` belongs to; `None` for
/// `main.rs`, the binary's root (`cli/` is read as the module `cli`).
fn module_of(rel: &Path) -> Option<String> {
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    let first = parts.next()?;
    let has_more = parts.next().is_some();
    if has_more {
        return Some(first);
    }
    match first.strip_suffix(".rs")? {
        "main" => None,
        "lib" => Some(ROOT.to_string()),
        stem => Some(stem.to_string()),
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// What the crate root's `pub use module::{A, B}` lines re-export: item →
/// module.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let code = strip_comments_and_strings(lib);
    let mut out = BTreeMap::new();
    for stmt in code.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim().trim_start_matches("crate::");
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            // `a::B` re-exports `B`; `B as C` re-exports `C`.
            let item = item.trim();
            let name = item
                .rsplit(" as ")
                .next()
                .unwrap_or(item)
                .rsplit("::")
                .next()
                .unwrap_or(item)
                .trim();
            if !name.is_empty() && name != "self" {
                out.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    out
}

/// The first segment after each `crate::` (or `zerodown::`, as the binary's
/// `cli/` writes it) in the code of `text`, with its line. A group
/// `crate::{a::X, b}` gives each of its top-level segments.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let code: Vec<char> = strip_comments_and_strings(text).chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let prefix = ["crate::", "zerodown::"]
            .into_iter()
            .find(|p| code[i..].starts_with(&p.chars().collect::<Vec<_>>()[..]));
        let Some(prefix) = prefix else {
            i += 1;
            continue;
        };
        if i > 0 && (ident(code[i - 1]) || code[i - 1] == ':') {
            // Part of a longer name or path (`my_crate::`, `x::crate::`).
            i += prefix.len();
            continue;
        }
        let line = 1 + code[..i].iter().filter(|&&c| c == '\n').count();
        let mut j = i + prefix.len();
        let skip_ws = |j: &mut usize| {
            while *j < code.len() && code[*j].is_whitespace() {
                *j += 1;
            }
        };
        let read_ident = |j: &mut usize| {
            let start = *j;
            while *j < code.len() && ident(code[*j]) {
                *j += 1;
            }
            code[start..*j].iter().collect::<String>()
        };
        skip_ws(&mut j);
        if j < code.len() && code[j] == '{' {
            // A group: read the first segment of each top-level item.
            let mut depth = 0;
            let mut expect_item = true;
            while j < code.len() {
                match code[j] {
                    '{' => {
                        depth += 1;
                        j += 1;
                        expect_item = depth == 1;
                    }
                    '}' => {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' => {
                        j += 1;
                        expect_item = depth == 1;
                    }
                    c if c.is_whitespace() => j += 1,
                    _ if expect_item => {
                        let seg = read_ident(&mut j);
                        if seg.is_empty() {
                            j += 1;
                        } else {
                            let seg = if seg == "self" { ROOT.to_string() } else { seg };
                            out.push((line, seg));
                        }
                        expect_item = false;
                    }
                    _ => j += 1,
                }
            }
        } else {
            let seg = read_ident(&mut j);
            if !seg.is_empty() {
                out.push((line, seg));
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// `text` with comments, string literals and character literals replaced
/// by spaces (newlines kept, so lines still count).
fn strip_comments_and_strings(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let rest = &c[i..];
        if rest.starts_with(&['/', '/']) {
            while i < c.len() && c[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            let mut depth = 0;
            while i < c.len() {
                if c[i..].starts_with(&['/', '*']) {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i..].starts_with(&['*', '/']) {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if let Some(hashes) = (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_'))
            .then(|| raw_string_start(rest))
            .flatten()
        {
            // r"..." / r#"..."# / br#"..."#: ends at `"` and as many `#`.
            let open = rest.iter().position(|&ch| ch == '"').unwrap_or(0) + 1;
            for _ in 0..open {
                out.push(' ');
            }
            i += open;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < c.len() && !c[i..].starts_with(&close) {
                blank(&mut out, c[i]);
                i += 1;
            }
            for _ in 0..close.len().min(c.len() - i) {
                out.push(' ');
            }
            i += close.len();
        } else if c[i] == '"' {
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' && i + 1 < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                blank(&mut out, c[i]);
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{..}'); else a lifetime.
            let end = if c.get(i + 1) == Some(&'\\') {
                c[i + 2..]
                    .iter()
                    .position(|&ch| ch == '\'')
                    .map(|p| i + 2 + p)
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    for _ in i..=e {
                        out.push(' ');
                    }
                    i = e + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// At a raw string (`r"`, `r#"`, `br#"`): how many `#` it opens with.
fn raw_string_start(rest: &[char]) -> Option<usize> {
    let after = match rest {
        ['b', 'r', after @ ..] | ['r', after @ ..] => after,
        _ => return None,
    };
    let hashes = after.iter().take_while(|&&ch| ch == '#').count();
    (after.get(hashes) == Some(&'"')).then_some(hashes)
}

#[test]
fn the_reader_finds_paths_in_code_only() {
    let text = r##"
use crate::model::{Op, Phase};
use crate::{error::Result, report::{self, Finding}};
// use crate::cli::Nothing;
/* crate::cells::Nothing /* nested */ crate::wasm */
const S: &str = "crate::release::Nothing";
const R: &str = r#"crate::cli::"nothing""#;
const C: char = '"';
fn f<'a>(x: &'a str) -> Option<crate::plan::Plan> { let _ = my_crate::lint::X; None }
macro_rules! m { () => { $crate::sql::split("") } }
"##;
    let found: Vec<(usize, String)> = crate_paths(text);
    let names: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(names, ["model", "error", "report", "plan", "sql"]);
    assert_eq!(found[0].0, 2);
    assert_eq!(found[3].0, 9);
}

#[test]
fn backward_imports_and_cycles_are_reported() {
    let import = |target: &str| Import {
        file: "src/x.rs".into(),
        line: 1,
        target: target.into(),
    };
    let mut graph = BTreeMap::new();
    graph.insert("model".to_string(), vec![import("error")]);
    graph.insert("rules".to_string(), vec![import("model"), import("rules")]);
    assert!(check(&graph).is_empty());

    // A lower layer importing a higher one.
    graph.insert("sql".to_string(), vec![import("report")]);
    let problems = check(&graph);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("`sql` (layer 3) imports `report` (layer 7)"));

    // Two modules importing each other: a backward import and a cycle.
    graph.insert("report".to_string(), vec![import("sql")]);
    let problems = check(&graph);
    assert!(
        problems.iter().any(|p| p.starts_with("import cycle:")),
        "{problems:?}"
    );

    // Siblings of one layer, and modules in no layer.
    let mut graph = BTreeMap::new();
    graph.insert("cells".to_string(), vec![import("config")]);
    graph.insert("newthing".to_string(), vec![]);
    let problems = check(&graph);
    assert!(problems
        .iter()
        .any(|p| p.contains("a module of the same layer")));
    assert!(problems
        .iter()
        .any(|p| p.contains("`newthing` is in no layer")));
}

#[test]
fn root_reexports_are_read() {
    let lib = "pub use error::{Error, ErrorCode, Result};\npub use lint::{lint, SourceFile};\n// pub use cli::Nothing;\n";
    let items = root_reexports(lib);
    assert_eq!(items.get("Result").map(String::as_str), Some("error"));
    assert_eq!(items.get("SourceFile").map(String::as_str), Some("lint"));
    assert!(!items.contains_key("Nothing"));
}
