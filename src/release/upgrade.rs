//! Upgrade paths: the deployments an upgrade goes through and what runs in
//! each, in continuous and self-managed mode.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::lint::Schema;
use crate::report::{count_findings, Deployment, UpgradeMode, UpgradePathReport};

use super::collapse::check_collapse;
use super::ignored::{check_ignored, IgnoredColumn};
use super::layout::{read_layout, MigrationFile};
use super::on_schema::{check_on_schema, Run};
use super::Version;

/// Options of `schedule` and `upgrade_path`: the same struct for CLI flags
/// and JavaScript options (camelCase, with kebab-case aliases).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReleaseOptions {
    /// How releases are deployed (default self-managed).
    pub mode: UpgradeMode,
    /// Required upgrade stops (`16.3`, `16.7`): self-managed upgrades must
    /// stop at each; between two stops they may jump. Without any, a
    /// self-managed upgrade is assumed to stop at every minor release.
    #[serde(alias = "required-stops")]
    pub required_stops: Vec<String>,
    /// The version `unreleased/` stands for.
    #[serde(alias = "unreleased-as")]
    pub unreleased_as: Option<String>,
    /// The last minor number of a major (`11`: the release after 12.11 is
    /// 13.0), for the versions suggested as fixes.
    #[serde(alias = "last-minor")]
    pub last_minor: Option<u64>,
    /// Columns the application ignores, for the application-code rules.
    #[serde(alias = "ignored-columns")]
    pub ignored_columns: Vec<IgnoredColumn>,
    /// Rule levels (`zerodown.toml`'s `[rules]`, `--rule`): they apply to
    /// the release rules (`off` silences one, a severity replaces its
    /// default); the ids of other rules are accepted and change nothing here.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub rules: std::collections::BTreeMap<String, crate::model::RuleLevel>,
}

/// Options with their versions parsed.
pub(crate) struct Resolved {
    pub mode: UpgradeMode,
    pub stops: Vec<Version>,
    pub unreleased_as: Option<Version>,
    pub last_minor: Option<u64>,
}

impl Resolved {
    pub fn new(options: &ReleaseOptions) -> Result<Resolved> {
        for id in options.rules.keys() {
            if crate::rules::find(id).is_none() {
                return Err(Error::new(
                    ErrorCode::UnknownRule,
                    format!("unknown rule `{id}` in `rules`; `zerodown rules` lists them"),
                ));
            }
        }
        let mut stops = Vec::new();
        for s in &options.required_stops {
            let v = Version::parse(s)
                .map_err(|e| Error::new(e.code, format!("required stop: {}", e.message)))?;
            stops.push(v.minor_of());
        }
        stops.sort();
        stops.dedup();
        let unreleased_as = match &options.unreleased_as {
            Some(s) => Some(
                Version::parse(s)
                    .map_err(|e| Error::new(e.code, format!("unreleased-as: {}", e.message)))?,
            ),
            None => None,
        };
        Ok(Resolved {
            mode: options.mode,
            stops,
            unreleased_as,
            last_minor: options.last_minor,
        })
    }
}

/// The deployments of one upgrade, on the shortest allowed path.
pub(crate) struct Path {
    pub mode: UpgradeMode,
    /// The version upgraded from (a minor release in self-managed mode); None: a fresh start.
    pub from: Option<Version>,
    /// Each deployment's version and whether it is a required stop.
    pub targets: Vec<(Version, bool)>,
    pub last_minor: Option<u64>,
}

impl Path {
    /// The path from `from` (exclusive) to `to` for migrations at `versions`.
    pub fn new(
        resolved: &Resolved,
        from: Option<&Version>,
        to: &Version,
        versions: &[Version],
    ) -> Path {
        let mode = resolved.mode;
        let key = |v: &Version| match mode {
            UpgradeMode::Continuous => v.clone(),
            UpgradeMode::SelfManaged => v.minor_of(),
        };
        let from = from.map(key);
        let to = key(to);
        let inside = |v: &Version| from.as_ref().is_none_or(|f| v > f) && *v < to;
        let mut targets: Vec<(Version, bool)> = match mode {
            UpgradeMode::SelfManaged if !resolved.stops.is_empty() => resolved
                .stops
                .iter()
                .filter(|s| inside(s))
                .map(|s| (s.clone(), true))
                .collect(),
            _ => versions
                .iter()
                .map(key)
                .filter(|v| inside(v))
                .map(|v| (v, false))
                .collect(),
        };
        let to_is_stop = mode == UpgradeMode::SelfManaged && resolved.stops.contains(&to);
        targets.push((to, to_is_stop));
        targets.sort();
        targets.dedup();
        Path {
            mode,
            from,
            targets,
            last_minor: resolved.last_minor,
        }
    }

    /// What a version counts as: itself, or its minor release in self-managed mode.
    pub fn key(&self, v: &Version) -> Version {
        match self.mode {
            UpgradeMode::Continuous => v.clone(),
            UpgradeMode::SelfManaged => v.minor_of(),
        }
    }

    /// The index of the deployment that runs version `v`'s migrations; None
    /// when they ran before `from` or run after the last deployment.
    pub fn deployment_of(&self, v: &Version) -> Option<usize> {
        let k = self.key(v);
        if self.from.as_ref().is_some_and(|f| k <= *f) {
            return None;
        }
        self.targets.iter().position(|(t, _)| k <= *t)
    }

    /// True when `v`'s migrations ran before `from`.
    pub fn already_run(&self, v: &Version) -> bool {
        self.from.as_ref().is_some_and(|f| self.key(v) <= *f)
    }

    /// The earliest version whose migrations run in a deployment after deployment `index`.
    pub fn fix_after(&self, index: usize) -> Option<Version> {
        let (t, _) = self.targets.get(index)?;
        Some(match self.mode {
            UpgradeMode::Continuous => t.next_patch(),
            UpgradeMode::SelfManaged => t.next_minor(self.last_minor),
        })
    }

    /// The version of deployment `index`.
    pub fn target(&self, index: usize) -> String {
        self.targets
            .get(index)
            .map(|(t, _)| t.to_string())
            .unwrap_or_default()
    }

    /// `9.0 → 9.1 → 9.2`, starting from `from` when there is one.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match &self.from {
            Some(f) => parts.push(f.to_string()),
            None => parts.push("an earlier release".to_string()),
        }
        parts.extend(self.targets.iter().map(|(t, _)| t.to_string()));
        parts.join(" → ")
    }

    /// Why versions `a` and `b` land in deployment `index` together.
    pub fn why_together(&self, a: &Version, b: &Version, index: usize) -> String {
        match self.mode {
            UpgradeMode::Continuous => {
                format!(
                    "in continuous mode each version is its own deployment, but both run at {a}"
                )
            }
            UpgradeMode::SelfManaged if self.key(a) == self.key(b) => format!(
                "a self-managed upgrade installs a whole minor release ({}) in one deployment",
                self.key(a)
            ),
            UpgradeMode::SelfManaged => {
                let prev = index
                    .checked_sub(1)
                    .and_then(|i| self.targets.get(i))
                    .map(|(t, _)| t.to_string())
                    .or_else(|| self.from.as_ref().map(ToString::to_string));
                match prev {
                    Some(p) => format!(
                        "a self-managed upgrade may jump from {p} straight to {}",
                        self.target(index)
                    ),
                    None => format!(
                        "a self-managed upgrade may jump straight to {}",
                        self.target(index)
                    ),
                }
            }
        }
    }
}

/// Sort key of migrations within one deployment: phase, then version, then name.
fn deployment_order(
    a: &MigrationFile,
    b: &MigrationFile,
    unreleased_as: Option<&Version>,
) -> std::cmp::Ordering {
    a.phase
        .cmp(&b.phase)
        .then_with(|| a.version(unreleased_as).cmp(&b.version(unreleased_as)))
        .then_with(|| a.name().cmp(b.name()))
        .then_with(|| a.path.cmp(&b.path))
}

/// The deployments of an upgrade from `from` to `to` and what runs in each,
/// with the collapse check and the ignored-column rules on that path.
/// `entries` are (path relative to the release-migrations folder, text).
pub fn upgrade_path(
    entries: &[(String, String)],
    from: &str,
    to: &str,
    options: &ReleaseOptions,
) -> Result<UpgradePathReport> {
    upgrade_path_on_schema(entries, from, to, options, None)
}

/// [`upgrade_path`] with a loaded schema: the database at `from`. The
/// deployments' migrations apply on it in the order they run, and each
/// statement PostgreSQL would reject at that point is a `schema-mismatch`
/// finding that names its deployment.
pub fn upgrade_path_on_schema(
    entries: &[(String, String)],
    from: &str,
    to: &str,
    options: &ReleaseOptions,
    schema: Option<&Schema>,
) -> Result<UpgradePathReport> {
    let from_v = Version::parse(from)?;
    let to_v = Version::parse(to)?;
    let resolved = Resolved::new(options)?;
    if from_v >= to_v || (resolved.mode == UpgradeMode::SelfManaged && from_v.same_minor(&to_v)) {
        return Err(Error::new(
            ErrorCode::BadVersion,
            format!(
                "cannot upgrade from {from} to {to}: `to` must be a later {}",
                if resolved.mode == UpgradeMode::SelfManaged {
                    "minor release (a self-managed upgrade installs whole minor releases)"
                } else {
                    "version"
                }
            ),
        ));
    }
    let files = read_layout(entries)?;
    let ua = resolved.unreleased_as.as_ref();
    let mut versions: Vec<Version> = files.iter().filter_map(|f| f.version(ua)).collect();
    // Releases that ship an ignore rule or its removal are deployments too.
    versions.extend(super::ignored::release_versions(&options.ignored_columns));
    let path = Path::new(&resolved, Some(&from_v), &to_v, &versions);

    let mut buckets: Vec<Vec<&MigrationFile>> = vec![Vec::new(); path.targets.len()];
    let mut already = Vec::new();
    let mut not_run = Vec::new();
    for f in &files {
        match f.version(ua) {
            Some(v) if path.already_run(&v) => already.push(f),
            Some(v) => match path.deployment_of(&v) {
                Some(i) => buckets[i].push(f),
                None => not_run.push(f),
            },
            None => not_run.push(f),
        }
    }
    for b in &mut buckets {
        b.sort_by(|a, b| deployment_order(a, b, ua));
    }
    super::schedule::sort_by_release(&mut already, ua);
    super::schedule::sort_by_release(&mut not_run, ua);

    let mut findings = Vec::new();
    check_collapse(&files, &path, ua, &mut findings);
    check_ignored(&files, &options.ignored_columns, &path, ua, &mut findings);
    if let Some(schema) = schema {
        let upgrade = format!(
            "{} → {}",
            path.from
                .as_ref()
                .map_or_else(|| from.to_string(), ToString::to_string),
            path.target(path.targets.len().saturating_sub(1))
        );
        let runs: Vec<Run<'_>> = buckets
            .iter()
            .enumerate()
            .flat_map(|(i, files)| {
                let place = format!(
                    "deployment {} ({}) of the upgrade {upgrade}",
                    i + 1,
                    path.target(i)
                );
                files.iter().map(move |file| Run {
                    file,
                    place: place.clone(),
                })
            })
            .collect();
        check_on_schema(
            &runs,
            entries,
            schema,
            &format!("the database at {from}"),
            &mut findings,
        )?;
    }
    super::collapse::apply_levels(&mut findings, &options.rules);
    super::sort_findings(&mut findings);

    let deployments = path
        .targets
        .iter()
        .zip(buckets)
        .map(|((t, stop), migrations)| Deployment {
            version: t.to_string(),
            required_stop: *stop,
            migrations: migrations.iter().map(|f| f.to_report(ua)).collect(),
        })
        .collect();
    Ok(UpgradePathReport {
        from: path
            .from
            .as_ref()
            .map_or_else(|| from.to_string(), ToString::to_string),
        to: path.target(path.targets.len().saturating_sub(1)),
        mode: resolved.mode,
        required_stops: resolved.stops.iter().map(ToString::to_string).collect(),
        unreleased_as: resolved.unreleased_as.as_ref().map(ToString::to_string),
        deployments,
        already_run: already.iter().map(|f| f.to_report(ua)).collect(),
        not_run: not_run.iter().map(|f| f.to_report(ua)).collect(),
        summary: count_findings(&findings),
        findings,
    })
}
