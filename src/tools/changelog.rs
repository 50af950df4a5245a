//! Liquibase's master changelog: the order it runs the formatted-SQL files
//! in. A changelog (XML, YAML or JSON) lists `include` (one file) and
//! `includeAll` (a folder, its files and subfolders in path order) entries;
//! an included changelog is expanded in place. Paths are relative to the
//! changelog's folder with `relativeToChangelogFile`, otherwise to the
//! search path (the project's resources root), which zerodown matches as a
//! path suffix among the files it reads.
//!
//! XML is read with quick-xml and YAML and JSON with yaml-rust2 (well-kept
//! readers of each format). Natively and in the Node module only: in the
//! browser's modules they would be 68 KB gzip.

use super::{file_name, folder, ToolProblem};

/// One `include` or `includeAll` of a changelog.
struct Include {
    /// `file` or `path` as written.
    target: String,
    /// `includeAll` (a folder) rather than `include` (a file).
    all: bool,
    /// `relativeToChangelogFile`.
    relative: bool,
    /// Its line in the changelog.
    line: u32,
}

/// A changelog file, by its extension.
pub(super) fn is_changelog(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".xml", ".yaml", ".yml", ".json"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The master changelogs among `files` (changelogs no other includes) and
/// the `.sql` files they run, in order; `None` when no changelog includes
/// anything. Problems (a changelog that cannot be read, an include of a
/// file that is not there, an include cycle) are located; the rest goes on.
pub(super) fn order(
    files: &[(String, String)],
    problems: &mut Vec<ToolProblem>,
) -> Option<(Vec<String>, Vec<String>)> {
    let mut changelogs: Vec<(&str, Vec<Include>)> = Vec::new();
    for (path, text) in files {
        if !is_changelog(path) || !text.contains("include") {
            continue;
        }
        match includes(path, text) {
            Ok(list) if !list.is_empty() => changelogs.push((path, list)),
            Ok(_) => {}
            Err((line, message)) => problems.push(ToolProblem {
                path: path.clone(),
                line,
                message,
            }),
        }
    }
    if changelogs.is_empty() {
        return None;
    }
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let included: Vec<String> = changelogs
        .iter()
        .flat_map(|(from, list)| {
            list.iter()
                .flat_map(|i| resolve(&paths, from, i))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut masters: Vec<String> = changelogs
        .iter()
        .map(|(p, _)| (*p).to_string())
        .filter(|p| !included.contains(p))
        .collect();
    // Every changelog included by another: a cycle, said when expanding
    // from the first.
    if masters.is_empty() {
        masters.push(changelogs[0].0.to_string());
    }
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for master in &masters {
        expand(master, &changelogs, &paths, &mut stack, &mut out, problems);
    }
    Some((masters, out))
}

/// The files `include` names (for `includeAll`, every file under its
/// folder, in path order); none when it names nothing among `paths`.
fn resolve(paths: &[&str], from: &str, include: &Include) -> Vec<String> {
    let target = include.target.trim().trim_start_matches("classpath:");
    let target = target.trim_start_matches("./").trim_start_matches('/');
    let joined = if include.relative && !folder(from).is_empty() {
        normalize(&format!("{}/{target}", folder(from)))
    } else {
        normalize(target)
    };
    let suffix = format!("/{joined}");
    let matches = |p: &str| p == joined || (!include.relative && p.ends_with(&suffix));
    if include.all {
        let dir = joined.trim_end_matches('/');
        let (dir_exact, dir_suffix) = (format!("{dir}/"), format!("/{dir}/"));
        let mut under: Vec<String> = paths
            .iter()
            .filter(|p| p.starts_with(&dir_exact) || (!include.relative && p.contains(&dir_suffix)))
            .filter(|p| p.ends_with(".sql") || is_changelog(p))
            .map(|p| (*p).to_string())
            .collect();
        under.sort();
        under
    } else {
        let mut found: Vec<String> = paths
            .iter()
            .filter(|p| matches(p))
            .map(|p| (*p).to_string())
            .collect();
        found.sort_by_key(String::len);
        found.truncate(1);
        found
    }
}

/// `a/b/../c` to `a/c`, `a/./b` to `a/b`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Appends the `.sql` files `changelog` runs, in order, to `out`.
fn expand(
    changelog: &str,
    changelogs: &[(&str, Vec<Include>)],
    paths: &[&str],
    stack: &mut Vec<String>,
    out: &mut Vec<String>,
    problems: &mut Vec<ToolProblem>,
) {
    let Some((_, list)) = changelogs.iter().find(|(p, _)| *p == changelog) else {
        return;
    };
    stack.push(changelog.to_string());
    for include in list {
        let found = resolve(paths, changelog, include);
        if found.is_empty() {
            problems.push(ToolProblem {
                path: changelog.to_string(),
                line: include.line,
                message: format!(
                    "includes `{}`, which is not among the files linted{}",
                    include.target,
                    if include.all {
                        " (no file under it)"
                    } else {
                        ""
                    }
                ),
            });
        }
        for path in found {
            if stack.contains(&path) {
                problems.push(ToolProblem {
                    path: changelog.to_string(),
                    line: include.line,
                    message: format!(
                        "includes `{}`, which includes this changelog: a cycle",
                        include.target
                    ),
                });
            } else if is_changelog(&path) {
                expand(&path, changelogs, paths, stack, out, problems);
            } else if !out.contains(&path) {
                // Liquibase runs a changeset once: a file included twice
                // runs where it is first included.
                out.push(path);
            }
        }
    }
    stack.pop();
}

/// The `include` / `includeAll` entries of a changelog, by its format.
fn includes(path: &str, text: &str) -> std::result::Result<Vec<Include>, (u32, String)> {
    if path.to_ascii_lowercase().ends_with(".xml") {
        xml_includes(text)
    } else {
        yaml_includes(text)
    }
}

fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    u32::try_from(
        text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1,
    )
    .unwrap_or(u32::MAX)
}

fn xml_includes(text: &str) -> std::result::Result<Vec<Include>, (u32, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    let mut root_seen = false;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let offset = usize::try_from(reader.error_position()).unwrap_or(at);
            (
                line_at(text, offset),
                format!("not a Liquibase changelog: {e}"),
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name();
                let name = local.into_inner();
                // Another kind of XML (a build file): not a changelog.
                if !root_seen {
                    root_seen = true;
                    if name != "databaseChangeLog" {
                        return Ok(Vec::new());
                    }
                    continue;
                }
                let all = match name {
                    "include" => false,
                    "includeAll" => true,
                    _ => continue,
                };
                let mut target = None;
                let mut relative = false;
                for attr in e.attributes() {
                    let attr = attr.map_err(|err| {
                        (
                            line_at(text, at),
                            format!("not a Liquibase changelog: {err}"),
                        )
                    })?;
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| {
                            (
                                line_at(text, at),
                                format!("not a Liquibase changelog: {err}"),
                            )
                        })?;
                    match attr.key.local_name().into_inner() {
                        "file" if !all => target = Some(value.into_owned()),
                        "path" if all => target = Some(value.into_owned()),
                        "relativeToChangelogFile" => relative = value.trim() == "true",
                        _ => {}
                    }
                }
                let line = line_at(text, at);
                let target = target.ok_or_else(|| {
                    (
                        line,
                        format!(
                            "an {} without its `{}`",
                            if all { "includeAll" } else { "include" },
                            if all { "path" } else { "file" }
                        ),
                    )
                })?;
                out.push(Include {
                    target,
                    all,
                    relative,
                    line,
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn yaml_includes(text: &str) -> std::result::Result<Vec<Include>, (u32, String)> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        (
            u32::try_from(e.marker().line()).unwrap_or(0).max(1),
            format!("not a Liquibase changelog: {e}"),
        )
    })?;
    let mut out = Vec::new();
    let Some(entries) = docs.first().and_then(|d| d["databaseChangeLog"].as_vec()) else {
        return Ok(out);
    };
    // yaml-rust2's values carry no positions: an entry's line is found as
    // the n-th `include` / `includeAll` key in the text.
    let mut key_lines = text.lines().enumerate().filter_map(|(i, l)| {
        let t = l
            .trim_start()
            .trim_start_matches('-')
            .trim_start()
            .trim_start_matches('"');
        (t.starts_with("include:")
            || t.starts_with("includeAll:")
            || t.starts_with("include\"")
            || t.starts_with("includeAll\""))
        .then(|| u32::try_from(i + 1).unwrap_or(u32::MAX))
    });
    for entry in entries {
        for (key, all) in [("include", false), ("includeAll", true)] {
            let item = &entry[key];
            if item.is_badvalue() {
                continue;
            }
            let line = key_lines.next().unwrap_or(1);
            let field = if all { "path" } else { "file" };
            let Some(target) = item[field].as_str() else {
                return Err((line, format!("an {key} without its `{field}`")));
            };
            let relative = match &item["relativeToChangelogFile"] {
                Yaml::Boolean(b) => *b,
                Yaml::String(s) => s == "true",
                _ => false,
            };
            out.push(Include {
                target: target.to_string(),
                all,
                relative,
                line,
            });
        }
    }
    Ok(out)
}

/// The name a report uses for the masters.
pub(super) fn names(masters: &[String]) -> String {
    masters
        .iter()
        .map(|m| file_name(m).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
