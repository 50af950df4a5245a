//! Which release migrations are due at a version.

use crate::error::Result;
use crate::lint::Schema;
use crate::report::{count_findings, ScheduleReport};

use super::collapse::check_collapse;
use super::ignored::check_ignored;
use super::layout::{read_layout, MigrationFile};
use super::on_schema::{check_on_schema, Run};
use super::upgrade::{Path, ReleaseOptions, Resolved};
use super::Version;

/// Sorts migrations in the order they run across releases: by version
/// (unreleased ones with no version last), then regular, post-deploy,
/// background, then by file name.
pub(crate) fn sort_by_release(files: &mut [&MigrationFile], unreleased_as: Option<&Version>) {
    files.sort_by(|a, b| {
        let (va, vb) = (a.version(unreleased_as), b.version(unreleased_as));
        va.is_none()
            .cmp(&vb.is_none())
            .then_with(|| va.cmp(&vb))
            .then_with(|| a.phase.cmp(&b.phase))
            .then_with(|| a.name().cmp(b.name()))
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// The migrations due at `version` (every file whose version is not later
/// than it) and those not yet due. `unreleased/` stands for
/// `options.unreleased_as`; without it, unreleased files are not due.
///
/// The collapse check and the ignored-column rules run over the whole
/// folder: on the upgrade from nothing to the latest version in the folder
/// (or `version`, when later).
pub fn schedule(
    entries: &[(String, String)],
    version: &str,
    options: &ReleaseOptions,
) -> Result<ScheduleReport> {
    schedule_on_schema(entries, version, options, None)
}

/// [`schedule`] with a loaded schema: the database the due migrations run
/// on. They apply on it in the order listed, and each statement PostgreSQL
/// would reject at that point is a `schema-mismatch` finding.
pub fn schedule_on_schema(
    entries: &[(String, String)],
    version: &str,
    options: &ReleaseOptions,
    schema: Option<&Schema>,
) -> Result<ScheduleReport> {
    let at = Version::parse(version)?;
    let resolved = Resolved::new(options)?;
    let files = read_layout(entries)?;
    let ua = resolved.unreleased_as.as_ref();

    let mut due = Vec::new();
    let mut not_due = Vec::new();
    for f in &files {
        match f.version(ua) {
            Some(v) if v <= at => due.push(f),
            _ => not_due.push(f),
        }
    }
    sort_by_release(&mut due, ua);
    sort_by_release(&mut not_due, ua);

    let mut versions: Vec<Version> = files.iter().filter_map(|f| f.version(ua)).collect();
    // Releases that ship an ignore rule or its removal are deployments too.
    versions.extend(super::ignored::release_versions(&options.ignored_columns));
    let last = versions
        .iter()
        .max()
        .filter(|m| **m > at)
        .unwrap_or(&at)
        .clone();
    let path = Path::new(&resolved, None, &last, &versions);
    let mut findings = Vec::new();
    check_collapse(&files, &path, ua, &mut findings);
    check_ignored(&files, &options.ignored_columns, &path, ua, &mut findings);
    if let Some(schema) = schema {
        let place = format!("the migrations due at {at}, in the order listed");
        let runs: Vec<Run<'_>> = due
            .iter()
            .map(|file| Run {
                file,
                place: place.clone(),
            })
            .collect();
        check_on_schema(
            &runs,
            entries,
            schema,
            "the database they run on",
            &mut findings,
        )?;
    }
    super::collapse::apply_levels(&mut findings, &options.rules);
    super::sort_findings(&mut findings);

    Ok(ScheduleReport {
        version: at.to_string(),
        unreleased_as: resolved.unreleased_as.as_ref().map(ToString::to_string),
        mode: resolved.mode,
        due: due.iter().map(|f| f.to_report(ua)).collect(),
        not_due: not_due.iter().map(|f| f.to_report(ua)).collect(),
        summary: count_findings(&findings),
        findings,
    })
}
