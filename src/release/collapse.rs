//! The collapse check: steps of one change that the layout puts in
//! different releases must run in different deployments, in order.

use std::collections::BTreeMap;

use std::collections::BTreeMap as Levels;

use crate::model::{RuleLevel, Span};
use crate::report::Finding;
use crate::rules::RuleMeta;

use super::layout::MigrationFile;
use super::upgrade::Path;
use super::Version;

/// The rule id of the collapse check.
pub const RELEASE_STEPS_COLLAPSE: &str = crate::rules::ReleaseStepsCollapse::META.id;

/// A finding of a release rule at `span` of `path`, with the rule's own
/// id and default severity ([`apply_levels`] applies the configured ones).
pub(crate) fn finding(
    rule: &RuleMeta,
    path: &str,
    span: Span,
    message: String,
    help: String,
) -> Finding {
    Finding {
        rule: rule.id.to_string(),
        severity: rule.severity,
        message,
        help,
        path: path.to_string(),
        file: None,
        span,
        statement: span,
        plan: None,
        fingerprint: None,
        fix: None,
    }
}

/// Applies configured rule levels to release findings: `off` drops a
/// rule's findings, a severity replaces the rule's default.
pub(crate) fn apply_levels(findings: &mut Vec<Finding>, levels: &Levels<String, RuleLevel>) {
    if levels.is_empty() {
        return;
    }
    findings.retain_mut(|f| match levels.get(&f.rule).map(|l| l.severity()) {
        Some(None) => false,
        Some(Some(s)) => {
            f.severity = s;
            true
        }
        None => true,
    });
}

/// `1, 2` or `1`.
fn list(steps: &[u32]) -> String {
    steps
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports every step that runs in the same deployment as (or an earlier
/// deployment than) an earlier step the layout puts in another release.
pub(crate) fn check_collapse(
    files: &[MigrationFile],
    path: &Path,
    unreleased_as: Option<&Version>,
    out: &mut Vec<Finding>,
) {
    let mut changes: BTreeMap<&str, Vec<&MigrationFile>> = BTreeMap::new();
    for f in files {
        if let Some((name, _)) = &f.change {
            changes.entry(name.as_str()).or_default().push(f);
        }
    }
    for (name, mut steps) in changes {
        steps.sort_by_key(|f| f.change.as_ref().map_or(0, |(_, n)| *n));
        for (j, later) in steps.iter().enumerate() {
            let Some(vj) = later.version(unreleased_as) else {
                continue;
            };
            let Some(dj) = path.deployment_of(&vj) else {
                continue;
            };
            let step_j = later.change.as_ref().map_or(0, |(_, n)| *n);
            // Earlier steps, in another release folder, that do not run in an earlier deployment.
            let mut together: Vec<(u32, Version, usize)> = Vec::new();
            for earlier in &steps[..j] {
                if earlier.folder == later.folder {
                    continue;
                }
                let Some(vi) = earlier.version(unreleased_as) else {
                    continue;
                };
                let Some(di) = path.deployment_of(&vi) else {
                    continue;
                };
                if dj <= di {
                    let step_i = earlier.change.as_ref().map_or(0, |(_, n)| *n);
                    together.push((step_i, vi, di));
                }
            }
            let Some(&(_, ref v_last, d_last)) = together.iter().max_by_key(|(_, _, d)| *d) else {
                continue;
            };
            let steps_i: Vec<u32> = together.iter().map(|(s, _, _)| *s).collect();
            let versions_i: Vec<String> = {
                let mut v: Vec<String> = together.iter().map(|(_, v, _)| v.to_string()).collect();
                v.dedup();
                v
            };
            let plural = if steps_i.len() > 1 { "s" } else { "" };
            let message = if dj == d_last {
                format!(
                    "Step {step_j} of change `{name}` ({vj}) runs in the same deployment as step{plural} {} ({}), which the layout puts in an earlier release: on the {} upgrade path {} they run when deploying {}, because {}. The steps of a multi-release change only protect running code when a deployment separates them.",
                    list(&steps_i),
                    versions_i.join(", "),
                    path.mode,
                    path.describe(),
                    path.target(dj),
                    path.why_together(v_last, &vj, dj),
                )
            } else {
                format!(
                    "Step {step_j} of change `{name}` ({vj}) runs before step{plural} {} ({}): on the {} upgrade path {} it runs when deploying {}, and step {} only when deploying {}.",
                    list(&steps_i),
                    versions_i.join(", "),
                    path.mode,
                    path.describe(),
                    path.target(dj),
                    list(&steps_i),
                    path.target(d_last),
                )
            };
            let help = match path.fix_after(d_last) {
                Some(fix) => format!(
                    "Move {} to {fix}/ (or a later release) so that step {step_j} runs in a deployment after step{plural} {}.",
                    later.path,
                    list(&steps_i),
                ),
                None => format!(
                    "Move {} to a later release than step{plural} {}.",
                    later.path,
                    list(&steps_i)
                ),
            };
            out.push(finding(
                &crate::rules::ReleaseStepsCollapse::META,
                &later.path,
                later.header,
                message,
                help,
            ));
        }
    }
}
