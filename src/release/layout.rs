//! The release-migrations layout: `<dir>/<version>/<file>` and
//! `<dir>/unreleased/<file>`. Reading works on (relative path, text) pairs so
//! that callers without a file system (WebAssembly) can pass files in memory.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::error::{Error, ErrorCode, Result};
use crate::model::{phase_from_path, OpKind, Phase, Span, Version};
use crate::report::ReleaseMigration;
use crate::sql::{lower, parse_header, split, LineIndex};

/// The folder that holds migrations not yet assigned to a release.
pub const UNRELEASED: &str = "unreleased";

/// The folder a migration is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    /// A version folder (`9.0.0/`).
    Version(Version),
    /// `unreleased/`.
    Unreleased,
}

/// A column a migration drops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedColumn {
    /// The table, without schema.
    pub table: String,
    /// The column.
    pub column: String,
    /// Where the drop is.
    pub span: Span,
}

/// One migration file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// Path relative to the layout's root, with `/` separators.
    pub path: String,
    /// Its folder.
    pub folder: Folder,
    /// The phase it runs in.
    pub phase: Phase,
    /// The change and step it belongs to.
    pub change: Option<(String, u32)>,
    /// The `-- zerodown:` header naming the change, else the first line.
    pub header: Span,
    /// Columns it drops.
    pub drops: Vec<DroppedColumn>,
    /// The tables its statements change, in order of first appearance.
    pub tables: Vec<String>,
}

impl MigrationFile {
    /// The version it runs at, with `unreleased/` standing for `unreleased_as`.
    pub fn version(&self, unreleased_as: Option<&Version>) -> Option<Version> {
        match &self.folder {
            Folder::Version(v) => Some(v.clone()),
            Folder::Unreleased => unreleased_as.cloned(),
        }
    }

    /// The folder's name as written.
    pub fn folder_name(&self) -> String {
        match &self.folder {
            Folder::Version(v) => v.to_string(),
            Folder::Unreleased => UNRELEASED.to_string(),
        }
    }

    /// The output form of this file.
    pub fn to_report(&self, unreleased_as: Option<&Version>) -> ReleaseMigration {
        ReleaseMigration {
            path: self.path.clone(),
            folder: self.folder_name(),
            version: self.version(unreleased_as).map(|v| v.to_string()),
            phase: self.phase,
            change: self.change.as_ref().map(|(c, _)| c.clone()),
            step: self.change.as_ref().map(|(_, s)| *s),
        }
    }

    /// The file name, without folders.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// Reads every file of a release-migrations folder. `entries` are paths
/// relative to the folder (`9.0.0/add_handle.sql`) with their text.
///
/// Errors (never panics) on a file outside a version folder, a folder that
/// is not a version, a bad header, a change with no step number, and two
/// files claiming the same step of the same change.
pub fn read_layout(entries: &[(String, String)]) -> Result<Vec<MigrationFile>> {
    let mut files = Vec::with_capacity(entries.len());
    for (path, text) in entries {
        files.push(read_file(path, text)?);
    }
    check_steps(&files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn read_file(path: &str, text: &str) -> Result<MigrationFile> {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./").to_string();
    let Some((first, rest)) = path.split_once('/') else {
        return Err(Error::new(
            ErrorCode::BadInput,
            format!(
                "{path}: a release migration must be in a version folder (`9.0.0/{path}`) or in `{UNRELEASED}/`"
            ),
        ));
    };
    let folder = if first.eq_ignore_ascii_case(UNRELEASED) {
        Folder::Unreleased
    } else {
        match Version::parse(first) {
            Ok(v) => Folder::Version(v),
            Err(_) => {
                return Err(Error::new(
                    ErrorCode::BadVersion,
                    format!(
                        "{path}: folder `{first}` is not a release version; name version folders MAJOR.MINOR or MAJOR.MINOR.PATCH (e.g. 9.0.1), or use `{UNRELEASED}/`"
                    ),
                ))
            }
        }
    };

    let lines = LineIndex::new(text);
    let parsed = split(text);
    let mut phase = None;
    let mut change = None;
    let mut step: Option<(String, Range<usize>)> = None;
    let mut header: Option<Range<usize>> = None;
    for comment in &parsed.comments {
        let pairs = parse_header(comment);
        for (key, value) in &pairs {
            match key.as_str() {
                "phase" => {
                    phase = Some(Phase::parse(value).ok_or_else(|| {
                        Error::new(
                            ErrorCode::BadInput,
                            format!(
                                "{path}:{}: `phase={value}` is not a phase: use regular, post-deploy or background",
                                lines.position(comment.span.start).line
                            ),
                        )
                    })?);
                }
                "change" => {
                    change = Some(value.clone());
                    header = Some(comment.span.clone());
                }
                "step" => step = Some((value.clone(), comment.span.clone())),
                _ => {}
            }
        }
        if header.is_none() && !pairs.is_empty() {
            header = Some(comment.span.clone());
        }
    }
    let phase = phase.unwrap_or_else(|| phase_from_path(rest));
    let change = match (change, step) {
        (None, None) => None,
        (None, Some((_, span))) => {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!(
                    "{path}:{}: `step=` without `change=`: name the change this step belongs to (`-- zerodown: change=NAME step=N`)",
                    lines.position(span.start).line
                ),
            ))
        }
        (Some(name), None) => {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!(
                    "{path}: change `{name}` has no step number: write `-- zerodown: change={name} step=N`"
                ),
            ))
        }
        (Some(name), Some((n, span))) => match n.parse::<u32>() {
            Ok(n) if n > 0 => Some((name, n)),
            _ => {
                return Err(Error::new(
                    ErrorCode::BadInput,
                    format!(
                        "{path}:{}: `step={n}` is not a step number: steps are numbered from 1",
                        lines.position(span.start).line
                    ),
                ))
            }
        },
    };
    let header = header.unwrap_or_else(|| {
        let end = text.find('\n').unwrap_or(text.len());
        0..end
    });

    let mut drops = Vec::new();
    let mut tables: Vec<String> = Vec::new();
    for raw in &parsed.statements {
        let statement = lower(text, raw.span.clone());
        for op in &statement.ops {
            if let Some(t) = changed_table(&op.kind) {
                if !tables.contains(&t.name) {
                    tables.push(t.name.clone());
                }
            }
            if let OpKind::DropColumn { table, column, .. } = &op.kind {
                drops.push(DroppedColumn {
                    table: table.name.clone(),
                    column: column.clone(),
                    span: lines.span(op.span.clone()),
                });
            }
        }
    }

    Ok(MigrationFile {
        path,
        folder,
        phase,
        change,
        header: lines.span(header),
        drops,
        tables,
    })
}

/// The table a schema or data operation changes, if any.
fn changed_table(op: &OpKind) -> Option<&crate::model::Name> {
    match op {
        OpKind::CreateTable(ct) => Some(&ct.table),
        OpKind::CreateIndex(ci) => Some(&ci.table),
        OpKind::DropTable { tables, .. } | OpKind::Truncate { tables, .. } => tables.first(),
        OpKind::RenameTable { table, .. }
        | OpKind::AddColumn { table, .. }
        | OpKind::DropColumn { table, .. }
        | OpKind::RenameColumn { table, .. }
        | OpKind::AlterColumnType { table, .. }
        | OpKind::SetNotNull { table, .. }
        | OpKind::DropNotNull { table, .. }
        | OpKind::ChangeDefault { table, .. }
        | OpKind::AddConstraint { table, .. }
        | OpKind::ValidateConstraint { table, .. }
        | OpKind::DropConstraint { table, .. }
        | OpKind::AlterTableOther { table, .. }
        | OpKind::DataChange { table, .. } => Some(table),
        _ => None,
    }
}

/// Two files may not claim the same step of the same change.
fn check_steps(files: &[MigrationFile]) -> Result<()> {
    let mut seen: BTreeMap<(&str, u32), &str> = BTreeMap::new();
    for f in files {
        if let Some((name, step)) = &f.change {
            if let Some(other) = seen.insert((name.as_str(), *step), f.path.as_str()) {
                let (a, b) = if other < f.path.as_str() {
                    (other, f.path.as_str())
                } else {
                    (f.path.as_str(), other)
                };
                return Err(Error::new(
                    ErrorCode::BadInput,
                    format!(
                        "{a} and {b} both claim step {step} of change `{name}`: two changes with the same name? Give each change its own name"
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_comes_from_header_then_path() {
        let files = read_layout(&[
            (
                "9.0/post_migrate/a.sql".to_string(),
                "SELECT 1;".to_string(),
            ),
            (
                "9.0/b.sql".to_string(),
                "-- zerodown: phase=background\nSELECT 1;".to_string(),
            ),
            ("9.0/c.sql".to_string(), "SELECT 1;".to_string()),
        ])
        .unwrap();
        let phases: Vec<Phase> = files.iter().map(|f| f.phase).collect();
        assert_eq!(
            phases,
            vec![Phase::Background, Phase::Regular, Phase::PostDeploy]
        );
    }
}
