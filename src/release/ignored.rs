//! Application-code rules checked against the release layout: columns the
//! application ignores (`ignore_column :name, remove_with:, remove_after:`)
//! and the migrations that drop them.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Position, Span};
use crate::report::Finding;
use crate::sql::LineIndex;

use super::collapse::finding;
use super::layout::MigrationFile;
use super::upgrade::Path;
use super::Version;
use crate::rules::{DropBeforeIgnoreShipped, IgnoreRemovedTooEarly, ReleaseStepsCollapse};

/// The rule id: an ignore rule removed too early.
pub const IGNORE_REMOVED_TOO_EARLY: &str = crate::rules::IgnoreRemovedTooEarly::META.id;
/// The rule id: a column dropped before the release that ignores it.
pub const DROP_BEFORE_IGNORE_SHIPPED: &str = crate::rules::DropBeforeIgnoreShipped::META.id;

/// A column the application ignores, and when the ignore may go.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IgnoredColumn {
    /// The table (a schema prefix is ignored).
    pub table: String,
    /// The column.
    pub column: String,
    /// The release whose code added the ignore rule.
    #[serde(alias = "added_in")]
    pub added_in: String,
    /// The release the ignore rule may be removed with (`remove_with:`).
    #[serde(alias = "remove_with")]
    pub remove_with: String,
    /// The date after which the ignore rule may be removed (`remove_after:`, YYYY-MM-DD).
    #[serde(
        default,
        alias = "remove_after",
        skip_serializing_if = "Option::is_none"
    )]
    pub remove_after: Option<String>,
    /// The release whose code removes the ignore rule, when it is removed.
    #[serde(default, alias = "removed_in", skip_serializing_if = "Option::is_none")]
    pub removed_in: Option<String>,
    /// The date the removal is merged, when it is removed (YYYY-MM-DD).
    #[serde(default, alias = "removed_on", skip_serializing_if = "Option::is_none")]
    pub removed_on: Option<String>,
    /// Where the entry is written, for findings (set by `parse_ignored_columns`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<IgnoreSource>,
}

/// Where an ignored-column entry is written.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoreSource {
    /// The file.
    pub path: String,
    /// The line naming the column.
    pub span: Span,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonList {
    List(Vec<IgnoredColumn>),
    Wrapped(Wrapped),
}

#[derive(Deserialize)]
struct Wrapped {
    #[serde(alias = "ignoredColumns", alias = "ignored-columns")]
    ignored_columns: Vec<IgnoredColumn>,
}

/// Reads an ignored-columns file: JSON (a list, or `{"ignoredColumns": [...]}`)
/// when `path` ends in `.json`, else TOML (`[[ignored_columns]]` tables).
/// Checks every version and date, naming the file and entry.
pub fn parse_ignored_columns(path: &str, text: &str) -> Result<Vec<IgnoredColumn>> {
    let bad = |e: String| {
        Error::new(
            ErrorCode::BadInput,
            format!("{path}: not an ignored-columns file: {e}"),
        )
    };
    let mut list = if path.to_ascii_lowercase().ends_with(".json") {
        match serde_json::from_str::<JsonList>(text).map_err(|e| bad(e.to_string()))? {
            JsonList::List(l) => l,
            JsonList::Wrapped(w) => w.ignored_columns,
        }
    } else {
        toml::from_str::<Wrapped>(text)
            .map_err(|e| bad(e.to_string().trim().to_string()))?
            .ignored_columns
    };
    let lines = LineIndex::new(text);
    let mut from = 0;
    for (i, entry) in list.iter_mut().enumerate() {
        validate(entry).map_err(|e| {
            Error::new(
                e.code,
                format!(
                    "{path}: entry {} ({}.{}): {}",
                    i + 1,
                    entry.table,
                    entry.column,
                    e.message
                ),
            )
        })?;
        // The entry's line: the next quoted mention of its column.
        let at = ["\"", "'"]
            .iter()
            .filter_map(|q| {
                text.get(from..)
                    .and_then(|t| t.find(&format!("{q}{}{q}", entry.column)))
            })
            .min()
            .map(|o| from + o);
        let offset = at.unwrap_or(0);
        from = at.map_or(from, |o| o + 1);
        let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
        entry.source = Some(IgnoreSource {
            path: path.to_string(),
            span: lines.span(line_start..line_end),
        });
    }
    Ok(list)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn validate(entry: &IgnoredColumn) -> Result<()> {
    if entry.table.trim().is_empty() || entry.column.trim().is_empty() {
        return Err(Error::new(
            ErrorCode::BadInput,
            "`table` and `column` must not be empty",
        ));
    }
    Version::parse(&entry.added_in)?;
    Version::parse(&entry.remove_with)?;
    if let Some(r) = &entry.removed_in {
        Version::parse(r)?;
    }
    for (key, date) in [
        ("remove_after", &entry.remove_after),
        ("removed_on", &entry.removed_on),
    ] {
        if let Some(d) = date {
            if !is_date(d) {
                return Err(Error::new(
                    ErrorCode::BadInput,
                    format!("`{key} = {d}` is not a date: write YYYY-MM-DD"),
                ));
            }
        }
    }
    Ok(())
}

/// The releases the entries name as shipping application code (`added_in`, `removed_in`).
pub(crate) fn release_versions(ignored: &[IgnoredColumn]) -> Vec<Version> {
    ignored
        .iter()
        .flat_map(|e| std::iter::once(&e.added_in).chain(e.removed_in.iter()))
        .filter_map(|v| Version::parse(v).ok())
        .collect()
}

fn table_name(t: &str) -> String {
    t.rsplit('.')
        .next()
        .unwrap_or(t)
        .trim_matches('"')
        .to_ascii_lowercase()
}

/// Where a finding about the ignore entry itself points.
fn source_of(entry: &IgnoredColumn) -> (String, Span) {
    match &entry.source {
        Some(s) => (s.path.clone(), s.span),
        None => {
            let p = Position {
                line: 1,
                column: 1,
                offset: 0,
                utf16: 0,
            };
            ("ignored-columns".to_string(), Span { start: p, end: p })
        }
    }
}

/// Checks every ignored column against the migrations that drop it.
pub(crate) fn check_ignored(
    files: &[MigrationFile],
    ignored: &[IgnoredColumn],
    path: &Path,
    unreleased_as: Option<&Version>,
    out: &mut Vec<Finding>,
) {
    for entry in ignored {
        // Entries are validated when parsed; JavaScript callers may pass raw ones.
        let (Ok(added), Ok(remove_with)) = (
            Version::parse(&entry.added_in),
            Version::parse(&entry.remove_with),
        ) else {
            continue;
        };
        let removed_in = entry
            .removed_in
            .as_deref()
            .and_then(|r| Version::parse(r).ok());
        let qualified = format!("{}.{}", entry.table, entry.column);
        let table = table_name(&entry.table);
        let column = entry.column.to_ascii_lowercase();

        let mut drops = Vec::new();
        for f in files {
            let Some(d) = f.version(unreleased_as) else {
                continue;
            };
            for drop in &f.drops {
                if table_name(&drop.table) == table && drop.column.to_ascii_lowercase() == column {
                    drops.push((f, d.clone(), drop.span));
                }
            }
        }

        for (f, d, span) in &drops {
            if *d <= added {
                out.push(finding(
                    &DropBeforeIgnoreShipped::META,
                    &f.path,
                    *span,
                    format!(
                        "`{qualified}` is dropped at {d}, not later than {added}, the release whose code starts ignoring it: code that still reads the column runs when the column disappears, and fails."
                    ),
                    format!(
                        "Move {} to a release after {added} (the next one at the earliest), once the ignore rule has shipped.",
                        f.path
                    ),
                ));
                continue;
            }
            if let (Some(da), Some(dd)) = (path.deployment_of(&added), path.deployment_of(d)) {
                if da == dd {
                    let fix = path
                        .fix_after(da)
                        .map_or_else(|| "a later release".to_string(), |v| format!("{v}/"));
                    out.push(finding(
                        &ReleaseStepsCollapse::META,
                        &f.path,
                        *span,
                        format!(
                            "`{qualified}` is dropped at {d}, in the same deployment as the ignore rule added in {added}: on the {} upgrade path {} both ship when deploying {}, because {}. The column disappears while the code that still reads it runs.",
                            path.mode,
                            path.describe(),
                            path.target(dd),
                            path.why_together(&added, d, dd),
                        ),
                        format!(
                            "Move {} to {fix} (or a later release) so that the drop runs a deployment after the ignore rule ships.",
                            f.path
                        ),
                    ));
                }
            }
        }

        let Some(removed) = removed_in else {
            continue;
        };
        let (src_path, src_span) = source_of(entry);
        let mut too_early = |message: String, help: String| {
            out.push(finding(
                &IgnoreRemovedTooEarly::META,
                &src_path,
                src_span,
                message,
                help,
            ));
        };
        if removed < remove_with {
            too_early(
                format!(
                    "The ignore rule for `{qualified}` is removed in {removed}, before {remove_with} (its `remove_with`): code that knows the column again may run with a database where it is gone, or in the same deployment as the drop."
                ),
                format!("Remove the ignore rule in {remove_with} or later."),
            );
        }
        if let (Some(on), Some(after)) = (&entry.removed_on, &entry.remove_after) {
            if on < after {
                too_early(
                    format!(
                        "The ignore rule for `{qualified}` is removed on {on}, before {after} (its `remove_after`)."
                    ),
                    format!("Merge the removal after {after}."),
                );
            }
        }
        for (f, d, _) in &drops {
            if removed <= *d {
                too_early(
                    format!(
                        "The ignore rule for `{qualified}` is removed in {removed}, not after {d}, where {} drops the column: the code stops ignoring a column that is still being dropped.",
                        f.path
                    ),
                    format!("Remove the ignore rule in a release after {d}."),
                );
            } else if let (Some(dr), Some(dd)) =
                (path.deployment_of(&removed), path.deployment_of(d))
            {
                if dr == dd {
                    let fix = path
                        .fix_after(dd)
                        .map_or_else(|| format!("a release after {d}"), |v| v.to_string());
                    too_early(
                        format!(
                            "The ignore rule for `{qualified}` is removed in {removed}, in the same deployment as the drop in {} ({d}): on the {} upgrade path {} both ship when deploying {}.",
                            f.path,
                            path.mode,
                            path.describe(),
                            path.target(dd),
                        ),
                        format!("Remove the ignore rule in {fix} or later."),
                    );
                }
            }
        }
    }
}
