//! Release-aware scheduling: the release-migrations layout, `schedule`,
//! `upgrade-path`, the collapse check and the ignored-column rules.
#![allow(clippy::unwrap_used)]

mod common;
use common::zerodown_cli as zerodown;

use std::path::Path;

use zerodown::release::{parse_ignored_columns, schedule, upgrade_path, ReleaseOptions};
use zerodown::report::{Finding, UpgradeMode, UpgradePathReport};
use zerodown::ErrorCode;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/releases");

/// Every `*.sql` file of a fixture folder, as (relative path, text).
fn fixture(name: &str) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "sql") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let root = Path::new(FIXTURES).join(name);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

fn entries(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn opts(mode: UpgradeMode) -> ReleaseOptions {
    ReleaseOptions {
        mode,
        ..ReleaseOptions::default()
    }
}

fn paths(report: &UpgradePathReport) -> Vec<(String, Vec<String>)> {
    report
        .deployments
        .iter()
        .map(|d| {
            (
                d.version.clone(),
                d.migrations.iter().map(|m| m.path.clone()).collect(),
            )
        })
        .collect()
}

fn rules(findings: &[Finding]) -> Vec<(&str, &str)> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.path.as_str()))
        .collect()
}

const POC_1: &str = "9.0.0/20170301_add_handle_to_users.sql";
const POC_2: &str = "9.0.0/post_migrate/20170302_migrate_username_to_handle.sql";
const POC_3: &str = "9.0.1/20170401_remove_username_from_users.sql";

#[test]
fn poc_example_collapses_in_self_managed_mode() {
    let report = upgrade_path(
        &fixture("poc"),
        "8.17",
        "9.1",
        &opts(UpgradeMode::SelfManaged),
    )
    .unwrap();
    assert_eq!(
        paths(&report),
        vec![
            (
                "9.0".to_string(),
                vec![POC_1.to_string(), POC_2.to_string(), POC_3.to_string()]
            ),
            ("9.1".to_string(), vec![]),
        ]
    );
    assert_eq!(
        rules(&report.findings),
        vec![("release-steps-collapse", POC_3)]
    );
    let f = &report.findings[0];
    assert_eq!(f.severity, zerodown::Severity::Error);
    assert_eq!(f.span.start.line, 1);
    for part in [
        "`rename-users-username`",
        "Step 3",
        "steps 1, 2",
        "9.0.0",
        "9.0.1",
        "8.17 → 9.0 → 9.1",
        "whole minor release (9.0)",
    ] {
        assert!(
            f.message.contains(part),
            "{part} missing from: {}",
            f.message
        );
    }
    assert!(f.help.contains("to 9.1/"), "{}", f.help);
    assert_eq!(report.summary.errors, 1);
}

#[test]
fn release_rule_levels_apply_to_the_release_commands() {
    use zerodown::model::RuleLevel;
    let with = |id: &str, level| {
        let mut o = opts(UpgradeMode::SelfManaged);
        o.rules.insert(id.to_string(), level);
        o
    };
    // Off: the collapse is not reported, and the summary says so.
    let report = upgrade_path(
        &fixture("poc"),
        "8.17",
        "9.1",
        &with("release-steps-collapse", RuleLevel::Off),
    )
    .unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.summary.errors, 0);
    let report = schedule(
        &fixture("poc"),
        "9.1",
        &with("release-steps-collapse", RuleLevel::Off),
    )
    .unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // A severity replaces the rule's default.
    let report = upgrade_path(
        &fixture("poc"),
        "8.17",
        "9.1",
        &with("release-steps-collapse", RuleLevel::Warning),
    )
    .unwrap();
    assert_eq!(
        rules(&report.findings),
        vec![("release-steps-collapse", POC_3)]
    );
    assert_eq!(report.findings[0].severity, zerodown::Severity::Warning);
    assert_eq!((report.summary.errors, report.summary.warnings), (0, 1));
    // Other rules' ids are accepted (zerodown.toml has one [rules] table)
    // and change nothing here; unknown ids are an error.
    let report = upgrade_path(
        &fixture("poc"),
        "8.17",
        "9.1",
        &with("drop-column", RuleLevel::Off),
    )
    .unwrap();
    assert_eq!(report.summary.errors, 1);
    let e = upgrade_path(
        &fixture("poc"),
        "8.17",
        "9.1",
        &with("no-such-rule", RuleLevel::Off),
    )
    .unwrap_err();
    assert_eq!(e.code, zerodown::ErrorCode::UnknownRule);
}

#[test]
fn poc_example_is_fine_in_continuous_mode() {
    let report = upgrade_path(
        &fixture("poc"),
        "8.17",
        "9.1",
        &opts(UpgradeMode::Continuous),
    )
    .unwrap();
    assert_eq!(
        paths(&report),
        vec![
            (
                "9.0.0".to_string(),
                vec![POC_1.to_string(), POC_2.to_string()]
            ),
            ("9.0.1".to_string(), vec![POC_3.to_string()]),
            ("9.1".to_string(), vec![]),
        ]
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn poc_example_schedule() {
    let report = schedule(&fixture("poc"), "9.0.0", &opts(UpgradeMode::Continuous)).unwrap();
    let due: Vec<&str> = report.due.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(due, vec![POC_1, POC_2]);
    let later: Vec<&str> = report.not_due.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(later, vec![POC_3]);
    assert_eq!(report.due[1].phase, zerodown::Phase::PostDeploy);
    assert_eq!(report.due[1].step, Some(2));
    assert!(report.findings.is_empty());

    // The collapse is a property of the layout: schedule reports it too.
    let report = schedule(&fixture("poc"), "9.0.0", &opts(UpgradeMode::SelfManaged)).unwrap();
    assert_eq!(
        rules(&report.findings),
        vec![("release-steps-collapse", POC_3)]
    );
}

#[test]
fn an_mr_slipping_a_release_collapses_its_steps() {
    let files = fixture("slipped");
    // Released in 9.0 as planned: the cleanup in 9.1.0 is a minor release later.
    for mode in [UpgradeMode::SelfManaged, UpgradeMode::Continuous] {
        let o = ReleaseOptions {
            unreleased_as: Some("9.0".into()),
            ..opts(mode)
        };
        let r = upgrade_path(&files, "8.17", "9.2", &o).unwrap();
        assert!(r.findings.is_empty(), "{mode}: {:?}", r.findings);
    }
    // The MR slips to 9.1: every step runs in one deployment, in both modes.
    let o = ReleaseOptions {
        unreleased_as: Some("9.1".into()),
        ..opts(UpgradeMode::SelfManaged)
    };
    let r = upgrade_path(&files, "8.17", "9.2", &o).unwrap();
    assert_eq!(
        rules(&r.findings),
        vec![(
            "release-steps-collapse",
            "9.1.0/20170401_remove_username_from_users.sql"
        )]
    );
    assert!(
        r.findings[0].help.contains("to 9.2/"),
        "{}",
        r.findings[0].help
    );
    let o = ReleaseOptions {
        unreleased_as: Some("9.1".into()),
        ..opts(UpgradeMode::Continuous)
    };
    let r = upgrade_path(&files, "8.17", "9.2", &o).unwrap();
    assert_eq!(r.findings.len(), 1);
    assert!(r.findings[0].message.contains("continuous"));
    assert!(
        r.findings[0].help.contains("to 9.1.1/"),
        "{}",
        r.findings[0].help
    );
}

#[test]
fn unreleased_resolves_to_the_version_given() {
    let files = fixture("slipped");
    let r = schedule(&files, "9.1", &ReleaseOptions::default()).unwrap();
    let due: Vec<&str> = r.due.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(
        due,
        vec![
            "8.17.0/20170201_create_projects.sql",
            "9.1.0/20170401_remove_username_from_users.sql"
        ]
    );
    assert_eq!(r.not_due.len(), 2);
    assert!(r
        .not_due
        .iter()
        .all(|m| m.folder == "unreleased" && m.version.is_none()));
    // Step 3 is due while steps 1 and 2 have no release yet: not a collapse.
    assert!(r.findings.is_empty());

    let o = ReleaseOptions {
        unreleased_as: Some("9.0".into()),
        ..ReleaseOptions::default()
    };
    let r = schedule(&files, "9.0", &o).unwrap();
    let due: Vec<(&str, Option<&str>)> = r
        .due
        .iter()
        .map(|m| (m.path.as_str(), m.version.as_deref()))
        .collect();
    assert_eq!(
        due,
        vec![
            ("8.17.0/20170201_create_projects.sql", Some("8.17.0")),
            ("unreleased/20170301_add_handle_to_users.sql", Some("9.0")),
            (
                "unreleased/post_migrate/20170302_migrate_username_to_handle.sql",
                Some("9.0")
            ),
        ]
    );
    assert_eq!(r.unreleased_as.as_deref(), Some("9.0"));
}

#[test]
fn patch_releases_order_numerically_and_collapse_only_when_self_managed() {
    let files = entries(&[
        ("9.0.10/c.sql", "-- zerodown: change=c step=2\nSELECT 1;"),
        ("9.0.2/b.sql", "-- zerodown: change=c step=1\nSELECT 1;"),
        ("9.0.0/a.sql", "SELECT 1;"),
    ]);
    let r = schedule(&files, "9.0.10", &opts(UpgradeMode::Continuous)).unwrap();
    let due: Vec<&str> = r.due.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(due, vec!["9.0.0/a.sql", "9.0.2/b.sql", "9.0.10/c.sql"]);
    assert!(r.findings.is_empty());

    let r = upgrade_path(&files, "9.0.0", "9.0.10", &opts(UpgradeMode::Continuous)).unwrap();
    assert_eq!(
        paths(&r),
        vec![
            ("9.0.2".to_string(), vec!["9.0.2/b.sql".to_string()]),
            ("9.0.10".to_string(), vec!["9.0.10/c.sql".to_string()]),
        ]
    );
    assert_eq!(r.already_run.len(), 1);

    let r = upgrade_path(&files, "8.5", "9.0", &opts(UpgradeMode::SelfManaged)).unwrap();
    assert_eq!(
        rules(&r.findings),
        vec![("release-steps-collapse", "9.0.10/c.sql")]
    );
    assert!(r.findings[0].help.contains("to 9.1/"));
}

#[test]
fn major_rollovers() {
    let files = entries(&[
        ("12.9/a.sql", "-- zerodown: change=c step=1\nSELECT 1;"),
        ("12.10/b.sql", "-- zerodown: change=c step=2\nSELECT 1;"),
        ("13.0/c.sql", "-- zerodown: change=c step=3\nSELECT 1;"),
    ]);
    let r = upgrade_path(&files, "12.8", "13.1", &opts(UpgradeMode::SelfManaged)).unwrap();
    let versions: Vec<&str> = r.deployments.iter().map(|d| d.version.as_str()).collect();
    assert_eq!(versions, vec!["12.9", "12.10", "13.0", "13.1"]);
    assert!(r.findings.is_empty());

    // A cleanup in a patch of the last minor of a major moves to the next major.
    let files = entries(&[
        ("12.11/a.sql", "-- zerodown: change=c step=1\nSELECT 1;"),
        ("12.11.1/b.sql", "-- zerodown: change=c step=2\nSELECT 1;"),
    ]);
    let o = ReleaseOptions {
        last_minor: Some(11),
        ..opts(UpgradeMode::SelfManaged)
    };
    let r = upgrade_path(&files, "12.10", "13.0", &o).unwrap();
    assert_eq!(r.findings.len(), 1);
    assert!(
        r.findings[0].help.contains("to 13.0/"),
        "{}",
        r.findings[0].help
    );
    let r = upgrade_path(&files, "12.10", "13.0", &opts(UpgradeMode::SelfManaged)).unwrap();
    assert!(
        r.findings[0].help.contains("to 12.12/"),
        "{}",
        r.findings[0].help
    );
}

#[test]
fn a_cleanup_before_the_required_stop_after_its_background_migration_collapses() {
    let files = fixture("stops");
    let o = ReleaseOptions {
        required_stops: vec!["16.3".into(), "16.7".into()],
        ..opts(UpgradeMode::SelfManaged)
    };
    let r = upgrade_path(&files, "16.0", "16.8", &o).unwrap();
    let versions: Vec<(&str, bool)> = r
        .deployments
        .iter()
        .map(|d| (d.version.as_str(), d.required_stop))
        .collect();
    assert_eq!(
        versions,
        vec![("16.3", true), ("16.7", true), ("16.8", false)]
    );
    assert_eq!(
        rules(&r.findings),
        vec![(
            "release-steps-collapse",
            "16.2/20230701_swap_events_id_columns.sql"
        )]
    );
    let f = &r.findings[0];
    assert!(
        f.message.contains("may jump from 16.0 straight to 16.3"),
        "{}",
        f.message
    );
    assert!(f.help.contains("to 16.4/"), "{}", f.help);

    // Moved past the stop, as the finding says: now step 3 (16.5) shares the
    // jump from 16.3 to 16.7 with step 2 and must move past 16.7 in turn.
    let moved: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.replace("16.2/", "16.4/"), t.clone()))
        .collect();
    let r = upgrade_path(&moved, "16.0", "16.8", &o).unwrap();
    assert_eq!(
        rules(&r.findings),
        vec![(
            "release-steps-collapse",
            "16.5/20230901_drop_events_id_old.sql"
        )]
    );
    assert!(
        r.findings[0].help.contains("to 16.8/"),
        "{}",
        r.findings[0].help
    );
    let moved: Vec<(String, String)> = moved
        .iter()
        .map(|(p, t)| (p.replace("16.5/", "16.8/"), t.clone()))
        .collect();
    let r = upgrade_path(&moved, "16.0", "16.9", &o).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);

    // Without required stops, every minor release is a stop.
    let r = upgrade_path(&files, "16.0", "16.8", &opts(UpgradeMode::SelfManaged)).unwrap();
    assert!(r.findings.is_empty());
    // schedule checks the same path.
    let r = schedule(&files, "16.2", &o).unwrap();
    assert_eq!(r.findings.len(), 1);
}

fn ignored_fixture() -> Vec<zerodown::release::IgnoredColumn> {
    let path = format!("{FIXTURES}/ignored/ignored-columns.toml");
    parse_ignored_columns(
        "ignored-columns.toml",
        &std::fs::read_to_string(path).unwrap(),
    )
    .unwrap()
}

#[test]
fn ignored_column_rules() {
    let o = ReleaseOptions {
        ignored_columns: ignored_fixture(),
        ..opts(UpgradeMode::SelfManaged)
    };
    let r = upgrade_path(&fixture("ignored"), "12.4", "12.7", &o).unwrap();
    assert_eq!(
        rules(&r.findings),
        vec![
            (
                "drop-before-ignore-shipped",
                "12.5/post_migrate/20191101_remove_users_updated_at.sql"
            ),
            ("ignore-removed-too-early", "ignored-columns.toml"),
            ("ignore-removed-too-early", "ignored-columns.toml"),
            ("ignore-removed-too-early", "ignored-columns.toml"),
        ]
    );
    // The drop finding points at the DROP COLUMN; the ignore ones at the entry's line.
    assert_eq!(r.findings[0].span.start.column, 31);
    assert!(r.findings.iter().skip(1).all(|f| f.span.start.line == 10));
    let all: String = r.findings.iter().map(|f| f.message.clone()).collect();
    assert!(all.contains("before 12.7 (its `remove_with`)"));
    assert!(all.contains("before 2019-12-22 (its `remove_after`)"));
    assert!(all.contains("not after 12.6"));
}

#[test]
fn ignore_rules_followed_give_no_findings() {
    let files = entries(&[(
        "12.6/post_migrate/drop.sql",
        "ALTER TABLE users DROP COLUMN updated_at;",
    )]);
    let ignored = parse_ignored_columns(
        "ignored.json",
        r#"[{"table": "users", "column": "updated_at", "addedIn": "12.5",
             "removeWith": "12.7", "removeAfter": "2019-12-22",
             "removedIn": "12.7", "removedOn": "2020-01-02"}]"#,
    )
    .unwrap();
    let o = ReleaseOptions {
        ignored_columns: ignored,
        ..opts(UpgradeMode::SelfManaged)
    };
    let r = upgrade_path(&files, "12.4", "12.8", &o).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn a_drop_in_the_same_minor_as_its_ignore_rule_collapses_when_self_managed() {
    let files = entries(&[(
        "12.5.1/post_migrate/drop.sql",
        "-- drop the ignored column\nALTER TABLE public.users DROP COLUMN updated_at;",
    )]);
    let ignored = parse_ignored_columns(
        "ignored.toml",
        "[[ignored_columns]]\ntable = \"users\"\ncolumn = \"updated_at\"\nadded_in = \"12.5.0\"\nremove_with = \"12.7\"\n",
    )
    .unwrap();
    let o = ReleaseOptions {
        ignored_columns: ignored.clone(),
        ..opts(UpgradeMode::SelfManaged)
    };
    let r = upgrade_path(&files, "12.4", "12.6", &o).unwrap();
    assert_eq!(
        rules(&r.findings),
        vec![("release-steps-collapse", "12.5.1/post_migrate/drop.sql")]
    );
    assert!(r.findings[0]
        .message
        .contains("same deployment as the ignore rule added in 12.5.0"));
    assert!(
        r.findings[0].help.contains("to 12.6/"),
        "{}",
        r.findings[0].help
    );
    assert_eq!(r.findings[0].span.start.line, 2);

    let o = ReleaseOptions {
        ignored_columns: ignored,
        ..opts(UpgradeMode::Continuous)
    };
    let r = upgrade_path(&files, "12.4", "12.6", &o).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn bad_layouts_are_errors_naming_the_file() {
    let cases: [(&str, ErrorCode, &[&str]); 3] = [
        ("bad-folder", ErrorCode::BadVersion, &["9.x/a.sql", "`9.x`"]),
        (
            "bad-duplicate",
            ErrorCode::BadInput,
            &[
                "9.0/a.sql",
                "9.1/b.sql",
                "step 2",
                "`rename-users-username`",
            ],
        ),
        (
            "bad-missing-step",
            ErrorCode::BadInput,
            &["9.0/a.sql", "no step number"],
        ),
    ];
    for (name, code, parts) in cases {
        for result in [
            schedule(&fixture(name), "9.1", &ReleaseOptions::default()).map(|_| ()),
            upgrade_path(&fixture(name), "8.0", "9.1", &ReleaseOptions::default()).map(|_| ()),
        ] {
            let e = result.unwrap_err();
            assert_eq!(e.code, code, "{name}: {}", e.message);
            for p in parts {
                assert!(
                    e.message.contains(p),
                    "{name}: {p} missing from {}",
                    e.message
                );
            }
        }
    }
    let cases: [(&str, &str, &str); 4] = [
        ("a.sql", "SELECT 1;", "must be in a version folder"),
        (
            "9.0/a.sql",
            "-- zerodown: change=x step=two\nSELECT 1;",
            "`step=two`",
        ),
        (
            "9.0/a.sql",
            "-- zerodown: step=1\nSELECT 1;",
            "without `change=`",
        ),
        (
            "9.0/a.sql",
            "-- zerodown: phase=later\nSELECT 1;",
            "`phase=later`",
        ),
    ];
    for (path, text, part) in cases {
        let e = schedule(&entries(&[(path, text)]), "9.0", &ReleaseOptions::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadInput);
        assert!(e.message.starts_with(path), "{}", e.message);
        assert!(e.message.contains(part), "{}", e.message);
    }
}

#[test]
fn unknown_versions_are_errors() {
    let files = fixture("poc");
    let e = schedule(&files, "9.x", &ReleaseOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadVersion);
    assert!(e.message.contains("`9.x`"));
    let e = upgrade_path(&files, "9.1", "9.0", &ReleaseOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadVersion);
    let e = upgrade_path(&files, "9.0.0", "9.0.1", &ReleaseOptions::default()).unwrap_err();
    assert!(e.message.contains("whole minor releases"), "{}", e.message);
    let o = ReleaseOptions {
        required_stops: vec!["16.x".into()],
        ..ReleaseOptions::default()
    };
    let e = upgrade_path(&files, "8.0", "9.1", &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadVersion);
    assert!(e.message.contains("required stop") && e.message.contains("`16.x`"));
    let o = ReleaseOptions {
        unreleased_as: Some("next".into()),
        ..ReleaseOptions::default()
    };
    assert_eq!(
        schedule(&files, "9.0", &o).unwrap_err().code,
        ErrorCode::BadVersion
    );
}

#[test]
fn bad_ignored_columns_files_are_errors() {
    let e = parse_ignored_columns(
        "ignored.toml",
        "[[ignored_columns]]\ntable = \"users\"\ncolumn = \"a\"\nadded_in = \"12.5\"\nremove_with = \"12.7\"\nremove_after = \"22/12/2019\"\n",
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadInput);
    assert!(
        e.message.contains("ignored.toml: entry 1 (users.a)"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("`remove_after = 22/12/2019`"),
        "{}",
        e.message
    );
    let e = parse_ignored_columns("ignored.json", r#"[{"table": "users"}]"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadInput);
    assert!(e.message.starts_with("ignored.json:"));
    let e = parse_ignored_columns(
        "ignored.json",
        r#"[{"table": "users", "column": "a", "addedIn": "twelve", "removeWith": "12.7"}]"#,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadVersion);
}

#[test]
fn a_plan_written_as_release_files_is_checked() {
    use zerodown::plan::{Plan, Release, Step, StepPhase};
    let step = |phase, title: &str, sql: &str| Step {
        phase,
        title: title.into(),
        why: "why".into(),
        sql: Some(sql.into()),
        down: None,
        code: None,
        requires: vec![],
        name: title.replace(' ', "_"),
        outside_transaction: false,
        progress: None,
    };
    let plan = Plan {
        change: zerodown::Change::RenameColumn {
            table: "users".into(),
            column: "username".into(),
            new_name: "handle".into(),
            column_type: None,
            has_default: false,
        },
        releases: vec![
            Release {
                version: "9.0.0".into(),
                date: None,
                steps: vec![
                    step(
                        StepPhase::Regular,
                        "Add handle",
                        "ALTER TABLE users ADD COLUMN handle text;",
                    ),
                    step(
                        StepPhase::PostDeploy,
                        "Copy data",
                        "UPDATE users SET handle = username;",
                    ),
                ],
            },
            Release {
                version: "9.0.1".into(),
                date: None,
                steps: vec![step(
                    StepPhase::PostDeploy,
                    "Drop username",
                    "ALTER TABLE users DROP COLUMN username;",
                )],
            },
        ],
    };
    // The same files `zerodown plan --format sql` writes.
    let files: Vec<(String, String)> = zerodown::report::plan_files(&plan)
        .into_iter()
        .filter(|f| f.path.ends_with(".sql"))
        .map(|f| (f.path, f.contents))
        .collect();
    assert_eq!(files.len(), 3);
    assert!(files[2].0.starts_with("9.0.1/"), "{files:?}");
    let r = upgrade_path(&files, "8.17", "9.1", &opts(UpgradeMode::SelfManaged)).unwrap();
    assert_eq!(
        r.deployments[0].migrations[1].phase,
        zerodown::Phase::PostDeploy
    );
    let found = rules(&r.findings);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "release-steps-collapse");
    assert!(found[0].1.starts_with("9.0.1/"), "{found:?}");
}

// ---- CLI ----

fn dir(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

#[test]
fn cli_release_rule_levels_from_flags_and_config() {
    let poc = dir("poc");
    let args = ["upgrade-path", &poc, "--from", "8.17", "--to", "9.1"];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend_from_slice(extra);
        zerodown(&a)
    };
    assert_eq!(with(&[]).0, 1);
    let (code, out, err) = with(&["--rule", "release-steps-collapse=off"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = with(&["--rule", "release-steps-collapse=warning"]);
    assert_eq!(code, 0);
    assert!(out.contains("warning[release-steps-collapse]"), "{out}");
    let cfg = std::env::temp_dir().join(format!(
        "zerodown-release-rules-{}.toml",
        std::process::id()
    ));
    std::fs::write(&cfg, "[rules]\nrelease-steps-collapse = \"off\"\n").unwrap();
    let cfg_s = cfg.to_string_lossy().into_owned();
    let (code, _, err) = with(&["--config", &cfg_s]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = with(&["--config", &cfg_s, "--rule", "release-steps-collapse=error"]);
    assert_eq!(code, 1, "{err}");
    let _ = std::fs::remove_file(&cfg);
    let (code, _, err) = with(&["--rule", "no-such-rule=off"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-rule"), "{err}");
}

#[test]
fn cli_upgrade_path_exit_codes_and_json() {
    let poc = dir("poc");
    let (code, out, _) = zerodown(&[
        "upgrade-path",
        &poc,
        "--from",
        "8.17",
        "--to",
        "9.1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["mode"], "self-managed");
    assert_eq!(v["deployments"][0]["version"], "9.0");
    assert_eq!(
        v["deployments"][0]["migrations"].as_array().unwrap().len(),
        3
    );
    assert_eq!(v["findings"][0]["rule"], "release-steps-collapse");
    assert_eq!(v["summary"]["errors"], 1);
    // The JSON is the library's output type.
    let typed: UpgradePathReport = serde_json::from_value(v).unwrap();
    assert_eq!(typed.to, "9.1");

    let (code, out, _) = zerodown(&[
        "upgrade-path",
        &poc,
        "--from",
        "8.17",
        "--to",
        "9.1",
        "--mode",
        "continuous",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("deploy 9.0.1"), "{out}");
    assert!(out.contains("No steps collapse."), "{out}");

    let (code, out, _) = zerodown(&[
        "upgrade-path",
        &dir("stops"),
        "--from",
        "16.0",
        "--to",
        "16.8",
        "--required-stops",
        "16.3,16.7",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("deploy 16.3 (required stop)"), "{out}");
    assert!(out.contains("error[release-steps-collapse]"), "{out}");

    let ignored = format!("{}/ignored-columns.toml", dir("ignored"));
    let (code, out, _) = zerodown(&[
        "upgrade-path",
        &dir("ignored"),
        "--from",
        "12.4",
        "--to",
        "12.7",
        "--ignored-columns",
        &ignored,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 4);
}

#[test]
fn cli_schedule_text_json_and_bad_input() {
    let (code, out, _) = zerodown(&[
        "schedule",
        &dir("slipped"),
        "--version",
        "9.1",
        "--unreleased-as",
        "9.0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["due"].as_array().unwrap().len(), 4);
    assert_eq!(v["unreleasedAs"], "9.0");

    let (code, out, _) = zerodown(&["schedule", &dir("poc"), "--version", "9.0.0"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("Due at 9.0.0:"), "{out}");
    assert!(out.contains("Not yet due:"), "{out}");

    for (name, part) in [
        ("bad-folder", "9.x/a.sql"),
        ("bad-duplicate", "both claim step 2"),
        ("bad-missing-step", "no step number"),
    ] {
        let (code, _, err) = zerodown(&["schedule", &dir(name), "--version", "9.1"]);
        assert_eq!(code, 2, "{name}");
        assert!(err.contains(part), "{name}: {err}");
    }
    let (code, _, err) = zerodown(&["schedule", &dir("poc"), "--version", "nine"]);
    assert_eq!(code, 2);
    assert!(err.contains("`nine`"), "{err}");
    let (code, _, _) = zerodown(&["schedule", &dir("missing"), "--version", "9.0"]);
    assert_eq!(code, 2);
}

#[test]
fn cli_explains_the_release_rules() {
    for id in [
        "release-steps-collapse",
        "ignore-removed-too-early",
        "drop-before-ignore-shipped",
    ] {
        let (code, out, _) = zerodown(&["explain", id]);
        assert_eq!(code, 0, "{id}");
        for section in [
            "## What it does",
            "## Why it causes downtime",
            "## Example",
            "## Safe alternative",
        ] {
            assert!(out.contains(section), "{id}: {section}");
        }
    }
}

const ON_SCHEMA_SQL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/releases/on-schema-at-8.17.sql"
);
const ON_SCHEMA_BIO: &str = "9.0.1/20170401_add_bio_to_user_details.sql";

fn schema_at_8_17() -> zerodown::lint::Schema {
    let text = std::fs::read_to_string(ON_SCHEMA_SQL).unwrap();
    let (schema, problems) = zerodown::lint::Schema::load(&text, "schema-at-8.17.sql");
    assert!(problems.is_empty(), "{problems:?}");
    schema
}

#[test]
fn an_upgrade_path_on_the_schema_finds_a_migration_that_would_fail_in_its_deployment() {
    use zerodown::release::upgrade_path_on_schema;
    let files = fixture("on-schema");
    let schema = schema_at_8_17();
    // Self-managed: 9.0.0 and 9.0.1 are one deployment; 9.0.1's regular
    // migration runs before 9.0.0's post-deploy one that creates its table.
    let report = upgrade_path_on_schema(
        &files,
        "8.17",
        "9.0",
        &opts(UpgradeMode::SelfManaged),
        Some(&schema),
    )
    .unwrap();
    assert_eq!(
        rules(&report.findings),
        vec![("schema-mismatch", ON_SCHEMA_BIO)]
    );
    let f = &report.findings[0];
    assert!(
        f.message.contains("table `user_details` does not exist"),
        "{}",
        f.message
    );
    assert!(
        f.help
            .contains("deployment 1 (9.0) of the upgrade 8.17 → 9.0")
            && f.help.contains("the database at 8.17 (schema-at-8.17.sql)"),
        "{}",
        f.help
    );
    // The finding points at the statement, not the file's first line.
    assert_eq!(f.span.start.line, 5);
    // The migration already run at 8.17 (its table is in the schema) is
    // not applied again: no "already exists".
    assert_eq!(report.already_run.len(), 1);

    // Continuous: each version is its own deployment, in order: clean.
    let report = upgrade_path_on_schema(
        &files,
        "8.17.0",
        "9.0.1",
        &opts(UpgradeMode::Continuous),
        Some(&schema),
    )
    .unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);

    // Without a schema nothing is known: the layout alone is clean.
    let report = upgrade_path(&files, "8.17", "9.0", &opts(UpgradeMode::SelfManaged)).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);

    // The level of schema-mismatch applies as for lint.
    let mut o = opts(UpgradeMode::SelfManaged);
    o.rules
        .insert("schema-mismatch".into(), zerodown::model::RuleLevel::Off);
    let report = upgrade_path_on_schema(&files, "8.17", "9.0", &o, Some(&schema)).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn a_schedule_on_the_schema_applies_the_due_migrations_in_the_order_listed() {
    use zerodown::release::schedule_on_schema;
    let files = fixture("on-schema");
    // The database the due migrations run on: here an empty one, so the
    // 8.17 file creates users, 9.0.0's post-deploy migration user_details,
    // and 9.0.1's ALTER finds it.
    let (empty, _) = zerodown::lint::Schema::load("", "empty.sql");
    let report = schedule_on_schema(
        &files,
        "9.0.1",
        &opts(UpgradeMode::Continuous),
        Some(&empty),
    )
    .unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // On the database at 8.17 the first due migration creates a table that
    // exists: PostgreSQL would reject it.
    let report = schedule_on_schema(
        &files,
        "9.0.1",
        &opts(UpgradeMode::Continuous),
        Some(&schema_at_8_17()),
    )
    .unwrap();
    assert_eq!(
        rules(&report.findings),
        vec![("schema-mismatch", "8.17.0/20170101_create_users.sql")]
    );
    assert!(
        report.findings[0].message.contains("already exists"),
        "{}",
        report.findings[0].message
    );
    assert!(
        report.findings[0]
            .help
            .contains("the migrations due at 9.0.1, in the order listed"),
        "{}",
        report.findings[0].help
    );
}
