//! Cells: organization isolation analysis, move checks and fleet checks.
#![allow(clippy::unwrap_used)]

mod common;
use common::zerodown_cli;

use std::path::{Path, PathBuf};

use zerodown::cells::{analyze, parse_schema};
use zerodown::report::cells::{CellsFindingKind, CellsReport, TableReport};
use zerodown::report::Severity;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cells")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn roots(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn table<'a>(report: &'a CellsReport, name: &str) -> &'a TableReport {
    report
        .tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table `{name}` in the report"))
}

fn kinds(t: &TableReport) -> Vec<CellsFindingKind> {
    t.findings.iter().map(|f| f.kind).collect()
}

#[test]
fn reads_tables_keys_partitions_and_counts_skipped_statements() {
    let schema = parse_schema(&fixture("basic.sql"));
    let s = &schema.statements;
    assert_eq!(s.failed, 0, "{:?}", s.failures);
    assert_eq!(s.total, s.used + s.skipped + s.failed);
    let kind = |k: &str| {
        s.by_kind
            .iter()
            .find(|c| c.kind == k)
            .unwrap_or_else(|| panic!("no kind {k}: {:?}", s.by_kind))
    };
    assert_eq!(kind("CREATE TABLE").used, 7);
    assert_eq!(kind("ALTER TABLE").used, 11);
    assert_eq!(kind("CREATE UNIQUE INDEX").used, 1);
    assert_eq!(kind("CREATE INDEX").skipped, 1);
    assert_eq!(kind("CREATE FUNCTION").skipped, 1);
    assert_eq!(kind("CREATE SEQUENCE").skipped, 1);
    assert_eq!(kind("COMMENT ON TABLE").skipped, 1);
    assert_eq!(kind("SET").skipped, 1);

    let issues = &schema.tables["issues"];
    assert_eq!(issues.primary_key, vec!["id"]);
    assert!(issues.column("project_id").is_some_and(|c| c.not_null));
    assert!(issues.column("title").is_some_and(|c| !c.not_null));
    assert_eq!(issues.foreign_keys[0].references, "projects");
    assert_eq!(issues.uniques.len(), 1);
    assert_eq!(
        schema.tables["ci_builds_100"].partition_of.as_deref(),
        Some("p_ci_builds")
    );
}

#[test]
fn finds_direct_and_indirect_sharding_keys() {
    let report = analyze(&fixture("basic.sql"), &[]);
    assert_eq!(
        report.roots,
        roots(&["organizations", "namespaces", "projects"])
    );
    assert!(report.missing_roots.is_empty());

    let issues = table(&report, "issues");
    let key = issues.sharding_key.as_ref().expect("issues has a key");
    assert_eq!(
        (key.column.as_str(), key.root.as_str()),
        ("project_id", "projects")
    );
    assert_eq!(key.path_length, 1);
    assert!(issues.findings.is_empty(), "{:?}", issues.findings);

    let assignees = table(&report, "issue_assignees");
    let key = assignees.sharding_key.as_ref().expect("via issues");
    assert_eq!(key.column, "issue_id");
    assert_eq!(key.root, "projects");
    assert_eq!(key.path_length, 2);
    assert_eq!(key.path[1].table, "issues");
    assert_eq!(key.path[1].column, "project_id");

    // Roots are the ends of paths.
    assert!(table(&report, "namespaces").root);
    assert!(table(&report, "namespaces").sharding_key.is_none());

    // The partition folds into its parent and is not a table of its own.
    let builds = table(&report, "p_ci_builds");
    assert_eq!(builds.partitions, 1);
    assert_eq!(
        builds.sharding_key.as_ref().map(|k| k.column.as_str()),
        Some("project_id")
    );
    assert!(report.tables.iter().all(|t| t.name != "ci_builds_100"));
    assert_eq!(report.summary.partitions, 1);
    assert_eq!(report.summary.tables, 6);
    assert_eq!(report.summary.with_sharding_key, 3);
    assert_eq!(report.summary.direct, 2);
    assert_eq!(report.summary.max_path_length, 2);
    assert_eq!(report.summary.errors, 0);
}

#[test]
fn other_roots_change_the_paths() {
    let report = analyze(&fixture("basic.sql"), &roots(&["organizations"]));
    let key = table(&report, "issue_assignees")
        .sharding_key
        .clone()
        .expect("a path to organizations");
    assert_eq!(key.root, "organizations");
    assert_eq!(key.path_length, 4);
    let report = analyze(&fixture("basic.sql"), &roots(&["public.Tenants"]));
    assert_eq!(report.missing_roots, roots(&["tenants"]));
    assert_eq!(report.summary.no_path, report.summary.tables);
}

#[test]
fn reports_each_finding_kind() {
    let report = analyze(&fixture("findings.sql"), &[]);
    assert_eq!(
        report.statements.failed, 0,
        "{:?}",
        report.statements.failures
    );

    let prefs = table(&report, "user_preferences");
    assert_eq!(kinds(prefs), vec![CellsFindingKind::NoPath]);
    assert_eq!(prefs.findings[0].severity, Severity::Error);
    assert!(table(&report, "users").sharding_key.is_none());

    let links = table(&report, "issue_links");
    assert_eq!(kinds(links), vec![CellsFindingKind::CrossOrganization]);
    assert_eq!(links.findings[0].columns, vec!["source_id", "target_id"]);
    assert!(links.findings[0].message.contains("two rows of `issues`"));

    let notes = table(&report, "notes");
    assert_eq!(kinds(notes), vec![CellsFindingKind::CrossOrganization]);
    assert!(notes.findings[0].message.contains("different roots"));
    assert_eq!(
        notes.findings[0].columns,
        vec!["namespace_id", "project_id"]
    );

    let snippets = table(&report, "snippets");
    assert_eq!(kinds(snippets), vec![CellsFindingKind::NullableShardingKey]);
    assert!(snippets.sharding_key.as_ref().is_some_and(|k| k.nullable));

    let audit = table(&report, "audit_events");
    assert_eq!(
        kinds(audit),
        vec![
            CellsFindingKind::NoPath,
            CellsFindingKind::ShardingKeyWithoutForeignKey
        ]
    );
    assert_eq!(audit.findings[1].columns, vec!["project_id"]);

    let releases = table(&report, "releases");
    assert_eq!(
        kinds(releases),
        vec![
            CellsFindingKind::UniqueWithoutShardingKey,
            CellsFindingKind::UniqueWithoutShardingKey
        ]
    );
    let messages: Vec<&str> = releases
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`releases_tag_key` on (tag)")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`index_releases_on_sha` on (sha)")),
        "{messages:?}"
    );

    // A validated NOT NULL check counts; a NOT VALID one does not.
    assert!(table(&report, "wikis").findings.is_empty());
    assert_eq!(
        kinds(table(&report, "pages")),
        vec![CellsFindingKind::NullableShardingKey]
    );

    let epics = table(&report, "epics");
    assert_eq!(kinds(epics), vec![CellsFindingKind::CrossOrganization]);
    assert!(epics.findings[0]
        .message
        .contains("references `epics` itself"));

    assert!(table(&report, "issues").findings.is_empty());
    let s = report.summary;
    assert_eq!(
        (s.no_path, s.cross_organization, s.nullable_sharding_key),
        (3, 3, 2)
    );
    assert_eq!(
        (
            s.sharding_key_without_foreign_key,
            s.unique_without_sharding_key
        ),
        (1, 1)
    );
    assert_eq!(s.errors, 3);
}

#[test]
fn statements_that_cannot_be_read_are_counted_with_their_line() {
    let sql = "CREATE TABLE projects (id bigint PRIMARY KEY);\n\nCREATE TABLE broken (id bigint,, x);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n";
    let report = analyze(sql, &roots(&["projects"]));
    assert_eq!(report.statements.failed, 1);
    assert_eq!(report.statements.used, 1);
    assert_eq!(report.statements.skipped, 1);
    let f = &report.statements.failures[0];
    assert_eq!((f.line, f.kind.as_str()), (3, "CREATE TABLE"));
    assert!(
        f.message.starts_with(zerodown::sql::UNREADABLE),
        "{}",
        f.message
    );
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gitlab/structure.sql");
    p.exists().then_some(p)
}

#[test]
fn gitlab_structure_sql_smoke() {
    let Some(path) = corpus() else {
        eprintln!("../shared/corpus not present: skipping the GitLab dump");
        return;
    };
    let sql = std::fs::read_to_string(path).expect("read structure.sql");
    let report = analyze(&sql, &[]);
    let st = &report.statements;
    println!(
        "statements: {} total, {} used, {} skipped, {} failed",
        st.total, st.used, st.skipped, st.failed
    );
    for k in &st.by_kind {
        println!(
            "  {:32} used {:5} skipped {:5} failed {}",
            k.kind, k.used, k.skipped, k.failed
        );
    }
    for f in &st.failures {
        println!("  failed line {}: {} ({})", f.line, f.kind, f.message);
    }
    println!("summary: {:#?}", report.summary);
    // Table and constraint statements must all be read.
    let table_or_constraint_failures: Vec<_> = st
        .failures
        .iter()
        .filter(|f| f.kind.contains("TABLE") || f.kind.contains("INDEX"))
        .collect();
    assert!(
        table_or_constraint_failures.is_empty(),
        "{table_or_constraint_failures:?}"
    );
    assert!(report.missing_roots.is_empty());
    assert!(report.summary.tables > 900, "{:?}", report.summary);
    assert!(report.summary.foreign_keys > 1500, "{:?}", report.summary);
    // Known shapes of the GitLab schema.
    // docs/issues.yml: `sharding_key: namespace_id: namespaces`.
    let issues = table(&report, "issues");
    let key = issues
        .sharding_key
        .as_ref()
        .expect("issues has a sharding key");
    assert_eq!(
        (key.column.as_str(), key.root.as_str(), key.path_length),
        ("namespace_id", "namespaces", 1)
    );
    // docs/p_ci_builds.yml names project_id, which the schema does not back with a foreign key.
    assert_eq!(
        kinds(table(&report, "p_ci_builds")),
        vec![
            CellsFindingKind::NoPath,
            CellsFindingKind::ShardingKeyWithoutForeignKey
        ]
    );

    assert!(table(&report, "p_ci_pipeline_iids").partitions > 0);
    let links = table(&report, "issue_links");
    assert!(
        links
            .findings
            .iter()
            .any(|f| f.kind == CellsFindingKind::CrossOrganization),
        "{:?}",
        links.findings
    );
}

#[test]
fn shared_tables_belong_to_no_organization() {
    let sql = fixture("findings.sql")
        + "CREATE TABLE user_details (user_id bigint PRIMARY KEY REFERENCES users (id), organization_id bigint NOT NULL REFERENCES organizations (id));\n"
        + "CREATE TABLE issue_authors (issue_id bigint NOT NULL REFERENCES issues (id), author_id bigint REFERENCES users (id), editor_id bigint REFERENCES users (id));\n";
    // Without `users` shared, users is not owned (no path), so two user references are fine.
    let plain = analyze(&sql, &[]);
    assert!(table(&plain, "issue_authors").findings.is_empty());
    let shared = zerodown::cells::analyze_with_shared(
        &sql,
        &[],
        &roots(&["users", "user_details", "user_preferences"]),
    );
    for name in ["users", "user_details", "user_preferences"] {
        let t = table(&shared, name);
        assert!(
            t.shared && t.findings.is_empty() && t.sharding_key.is_none(),
            "{t:?}"
        );
    }
    assert_eq!(shared.summary.shared, 3);
    // `users` and `user_preferences` had no path; shared, they need none.
    assert_eq!(shared.summary.no_path, plain.summary.no_path - 2);
    // A table owned through user_details would now need another path.
    assert!(table(&plain, "user_details").sharding_key.is_some());
}

// ---- move check ----

use zerodown::cells::{check_steps, fleet_check, move_check, parse_fleet, FleetStepInput};
use zerodown::plan::StepPhase;
use zerodown::report::cells::{StepStatus, SyncState};
use zerodown::ErrorCode;

fn check_move(source: &str, target: &str) -> zerodown::report::cells::MoveCheck {
    move_check(&fixture(source), source, &fixture(target), target).expect("valid input")
}

#[test]
fn move_check_in_sync_allows_the_move() {
    let m = check_move("cell1.txt", "cell1-copy.txt");
    assert_eq!(m.state, SyncState::InSync);
    assert!(m.allowed);
    assert_eq!((m.source_count, m.target_count), (3, 3));
    assert!(m.only_in_source.is_empty() && m.only_in_target.is_empty());
}

#[test]
fn move_check_behind_and_ahead_name_the_missing_migrations() {
    let m = check_move("cell1.txt", "cell2-behind.txt");
    assert_eq!(m.state, SyncState::SourceAhead);
    assert!(!m.allowed);
    assert_eq!(m.only_in_source, vec!["20240103000000"]);
    assert!(
        m.message.contains("run them on the target"),
        "{}",
        m.message
    );

    let m = check_move("cell2-behind.txt", "cell1.txt");
    assert_eq!(m.state, SyncState::TargetAhead);
    assert!(!m.allowed);
    assert_eq!(m.only_in_target, vec!["20240103000000"]);
}

#[test]
fn move_check_diverged_lists_both_directions() {
    let m = check_move("cell1.txt", "cell3-diverged.txt");
    assert_eq!(m.state, SyncState::Diverged);
    assert!(!m.allowed);
    assert_eq!(m.only_in_source, vec!["20240103000000"]);
    assert_eq!(m.only_in_target, vec!["20240104000000"]);
}

#[test]
fn move_check_orders_versions_numerically() {
    let m = move_check("9\n10\n100\n", "a", "", "b").expect("valid");
    assert_eq!(m.only_in_source, vec!["9", "10", "100"]);
}

#[test]
fn move_check_rejects_garbage_naming_file_and_line() {
    let e = move_check(&fixture("garbage.txt"), "garbage.txt", "1\n", "b.txt").unwrap_err();
    assert_eq!(e.code, ErrorCode::BadInput);
    assert!(e.message.starts_with("garbage.txt:2:"), "{}", e.message);
    assert!(e.message.contains("SELECT version"), "{}", e.message);
    let e = move_check("1\n", "a.txt", "1\n2x\n", "b.txt").unwrap_err();
    assert!(e.message.starts_with("b.txt:2:"), "{}", e.message);
}

// ---- fleet ----

fn fleet_with(versions: &[(&str, &str)], extra: &str) -> String {
    let mut s = String::from("shared = [\"users\"]\n");
    for (name, v) in versions {
        s.push_str(&format!(
            "\n[[cells]]\nname = \"{name}\"\nversion = \"{v}\"\n"
        ));
    }
    s + extra
}

#[test]
fn fleet_shared_table_change_scheduled_while_a_cell_runs_old_code_is_incompatible() {
    let r = fleet_check(
        &fixture("fleet-shared.toml"),
        "fleet-shared.toml",
        &fixture("drop-column-plan.json"),
        "drop-column-plan.json",
    )
    .expect("valid input");
    assert_eq!(r.cells.len(), 3);
    assert_eq!(r.steps.len(), 3);
    let ignore = &r.steps[0];
    assert_eq!(ignore.status, StepStatus::Application);
    assert_eq!(ignore.blocking_cells, vec!["cell-c"]);

    let drop = &r.steps[1];
    assert_eq!(drop.phase, StepPhase::PostDeploy);
    assert!(drop.shared);
    assert_eq!(drop.requires_version.as_deref(), Some("16.5"));
    assert!(drop
        .requires_reason
        .as_deref()
        .is_some_and(|w| w.contains("Ignore the column")));
    assert_eq!(drop.status, StepStatus::FleetIncompatible);
    assert_eq!(drop.blocking_cells, vec!["cell-c"]);
    // cell-a deployed 16.6, which ran the drop on the shared database for everyone.
    assert_eq!(drop.scheduled_on, vec!["cell-a", "cell-b", "cell-c"]);
    assert!(drop.message.contains("cell-c (16.4)"), "{}", drop.message);
    assert_eq!(r.errors, 1);
    assert!(r.has_errors());
}

#[test]
fn fleet_shared_table_change_waits_for_the_slowest_cell() {
    let plan = fixture("drop-column-plan.json");
    // Nobody runs 16.6 yet: the drop is not scheduled, it waits for cell-c.
    let fleet = fleet_with(&[("a", "16.5"), ("b", "16.5.1"), ("c", "16.4")], "");
    let r = fleet_check(&fleet, "f", &plan, "p").expect("valid");
    assert_eq!(r.steps[1].status, StepStatus::Blocked);
    assert_eq!(r.steps[1].blocking_cells, vec!["c"]);
    assert!(r.steps[1].scheduled_on.is_empty());
    assert_eq!((r.errors, r.blocked), (0, 1));

    // Once the slowest cell runs 16.5 the drop is ready everywhere.
    let fleet = fleet_with(&[("a", "16.6"), ("b", "16.5"), ("c", "16.5")], "");
    let r = fleet_check(&fleet, "f", &plan, "p").expect("valid");
    assert_eq!(r.steps[1].status, StepStatus::Ready);
    assert!(r.steps[1].blocking_cells.is_empty());
    assert_eq!(r.errors, 0);
}

#[test]
fn fleet_local_table_change_runs_per_cell() {
    let r = fleet_check(
        &fixture("fleet-shared.toml"),
        "fleet-shared.toml",
        &fixture("drop-column-local-plan.json"),
        "drop-column-local-plan.json",
    )
    .expect("valid");
    let drop = &r.steps[1];
    assert!(!drop.shared);
    assert_eq!(drop.table.as_deref(), Some("issues"));
    // Each cell drops the column with its own deployment of 16.6: only cell-a so far.
    assert_eq!(drop.status, StepStatus::Blocked);
    assert_eq!(drop.scheduled_on, vec!["cell-a"]);
    assert_eq!(drop.blocking_cells, vec!["cell-c"]);
    assert_eq!(r.errors, 0);

    // A cell without the table is not concerned.
    let fleet = fleet_with(&[("a", "16.6"), ("b", "16.5")], "")
        + "\n[[cells]]\nname = \"c\"\nversion = \"16.4\"\nlocal = [\"projects\"]\n";
    let r = fleet_check(&fleet, "f", &fixture("drop-column-local-plan.json"), "p").expect("valid");
    assert_eq!(r.steps[1].status, StepStatus::Ready);
}

#[test]
fn fleet_steps_with_versions_from_other_sources() {
    let fleet = parse_fleet(&fleet_with(&[("a", "17.0"), ("b", "16.11")], ""), "f").expect("valid");
    let step = |release: &str, requires: Option<&str>| FleetStepInput {
        release: release.into(),
        phase: StepPhase::Regular,
        title: "migration".into(),
        table: Some("public.users".into()),
        requires_version: requires.map(str::to_string),
        requires_reason: None,
    };
    let r = check_steps(
        &fleet,
        &[
            step("16.11", None),
            step("17.0", Some("17.0")),
            step("17.1", Some("17.0")),
        ],
    )
    .expect("valid");
    assert_eq!(r.steps[0].status, StepStatus::Ready);
    assert_eq!(r.steps[0].table.as_deref(), Some("users"));
    assert_eq!(r.steps[1].status, StepStatus::FleetIncompatible);
    assert_eq!(r.steps[2].status, StepStatus::Blocked);
}

#[test]
fn fleet_rejects_bad_input_with_the_file_name() {
    let plan = fixture("drop-column-plan.json");
    let e = fleet_check("cells = []", "fleet.toml", &plan, "p").unwrap_err();
    assert!(e.message.starts_with("fleet.toml:"), "{}", e.message);
    let e = fleet_check(
        &fleet_with(&[("a", "sixteen")], ""),
        "fleet.toml",
        &plan,
        "p",
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadVersion);
    assert!(e.message.contains("cell `a`"), "{}", e.message);
    let e = fleet_check(
        &fleet_with(&[("a", "16.4")], "bogus = 1\n"),
        "fleet.toml",
        &plan,
        "p",
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadInput);
    let e = fleet_check(
        &fleet_with(&[("a", "16.4")], ""),
        "f",
        "{\"nope\": 1}",
        "plan.json",
    )
    .unwrap_err();
    assert!(
        e.message.starts_with("plan.json: not a plan"),
        "{}",
        e.message
    );
}

// ---- sharding-key-missing ----

fn lint_with_roots(sql: &str, roots_list: &[&str]) -> Vec<zerodown::Finding> {
    let mut options = zerodown::LintOptions {
        roots: roots(roots_list),
        ..Default::default()
    };
    options.rules.insert(
        "sharding-key-missing".into(),
        zerodown::model::RuleLevel::Warning,
    );
    zerodown::lint(sql, "db/migrate/1_create.sql", &options)
        .expect("lint")
        .findings
        .into_iter()
        .filter(|f| f.rule == "sharding-key-missing")
        .collect()
}

#[test]
fn sharding_key_missing_flags_new_tables_without_a_key() {
    let sql = "CREATE TABLE issue_metrics (id bigint PRIMARY KEY, issue_id bigint NOT NULL REFERENCES issues (id));";
    let found = lint_with_roots(sql, &["organizations", "namespaces", "projects"]);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message
            .contains("`issue_metrics` has no sharding key"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].help.contains("`project_id` → `projects`"),
        "{}",
        found[0].help
    );
    assert_eq!(found[0].severity, Severity::Warning);
}

#[test]
fn sharding_key_missing_accepts_keys_roots_and_partitions() {
    let r = &["organizations", "namespaces", "projects"];
    for sql in [
        // A foreign key to a root, inline or as a table constraint.
        "CREATE TABLE a (id bigint, project_id bigint NOT NULL REFERENCES projects (id));",
        "CREATE TABLE a (id bigint, owner bigint, CONSTRAINT fk FOREIGN KEY (owner) REFERENCES public.namespaces (id));",
        // A key column whose foreign key a later migration adds.
        "CREATE TABLE a (id bigint, organization_id bigint NOT NULL);",
        // A root itself, and a partition (keyed by its parent).
        "CREATE TABLE projects (id bigint PRIMARY KEY);",
        "CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1);",
    ] {
        assert!(lint_with_roots(sql, r).is_empty(), "{sql}");
    }
}

#[test]
fn sharding_key_missing_does_nothing_without_roots() {
    let sql = "CREATE TABLE issue_metrics (id bigint PRIMARY KEY);";
    assert!(lint_with_roots(sql, &[]).is_empty());
    // Not run unless configured.
    let report =
        zerodown::lint(sql, "db/migrate/1.sql", &zerodown::LintOptions::default()).expect("lint");
    assert!(report
        .findings
        .iter()
        .all(|f| f.rule != "sharding-key-missing"));
    assert!(zerodown::explain("sharding-key-missing")
        .is_ok_and(|d| d.contains("does nothing unless roots")));
}

// ---- command line ----

#[test]
fn cli_exit_codes_and_formats() {
    let dir = "tests/fixtures/cells/";
    let (code, out, _) = zerodown_cli(&["cells", "analyze", &format!("{dir}basic.sql")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("sharding key: 3 tables (2 direct, longest path 2)"),
        "{out}"
    );
    let (code, out, _) = zerodown_cli(&[
        "cells",
        "analyze",
        &format!("{dir}findings.sql"),
        "--root",
        "projects",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let report: CellsReport = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(report.roots, roots(&["projects"]));
    let (code, _, err) = zerodown_cli(&["cells", "analyze", "no/such/file.sql"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/file.sql"), "{err}");

    let (code, out, _) = zerodown_cli(&[
        "cells",
        "move-check",
        "--source",
        &format!("{dir}cell1.txt"),
        "--target",
        &format!("{dir}cell1-copy.txt"),
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("move allowed"), "{out}");
    let (code, out, _) = zerodown_cli(&[
        "cells",
        "move-check",
        "--source",
        &format!("{dir}cell1.txt"),
        "--target",
        &format!("{dir}cell2-behind.txt"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("\"state\": \"source-ahead\""), "{out}");
    let (code, _, err) = zerodown_cli(&[
        "cells",
        "move-check",
        "--source",
        &format!("{dir}garbage.txt"),
        "--target",
        &format!("{dir}cell1.txt"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("garbage.txt:2:"), "{err}");

    let (code, out, _) = zerodown_cli(&[
        "fleet",
        "check",
        "--fleet",
        &format!("{dir}fleet-shared.toml"),
        &format!("{dir}drop-column-plan.json"),
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("fleet-incompatible"), "{out}");
    let (code, out, _) = zerodown_cli(&[
        "fleet",
        "check",
        "--fleet",
        &format!("{dir}fleet-shared.toml"),
        &format!("{dir}drop-column-local-plan.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}");
    let report: zerodown::report::cells::FleetReport = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report.blocked, 1);
    let (code, _, _) = zerodown_cli(&[
        "fleet",
        "check",
        "--fleet",
        &format!("{dir}cell1.txt"),
        &format!("{dir}drop-column-plan.json"),
    ]);
    assert_eq!(code, 2);
}

#[test]
fn fleet_check_reads_a_release_folder() {
    use zerodown::cells::{check_steps, parse_fleet, steps_from_release_files};
    let files = vec![
        (
            "16.5/01_add_users_nickname.sql".to_string(),
            "ALTER TABLE users ADD COLUMN nickname text;".to_string(),
        ),
        (
            "16.6/post-deploy/02_drop_users_name.sql".to_string(),
            "ALTER TABLE users DROP COLUMN name;".to_string(),
        ),
        (
            "unreleased/03_drop_projects_x.sql".to_string(),
            "-- zerodown: phase=post-deploy\nALTER TABLE projects DROP COLUMN x;".to_string(),
        ),
    ];
    // unreleased/ must be resolved to a release.
    let e = steps_from_release_files(&files, None).unwrap_err();
    assert!(
        e.message.contains("unreleased/03_drop_projects_x.sql"),
        "{}",
        e.message
    );

    let steps = steps_from_release_files(&files, Some("16.7")).expect("valid folder");
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[0].table.as_deref(), Some("users"));
    assert_eq!(
        steps[0].requires_version, None,
        "a regular migration runs before the deploy"
    );
    assert_eq!(steps[1].requires_version.as_deref(), Some("16.6"));
    assert_eq!(steps[2].release, "16.7");

    // users is shared: the 16.6 drop is scheduled by cell-a on the shared
    // database while cell-c still runs 16.4 code that reads the column.
    let fleet = parse_fleet(&fixture("fleet-shared.toml"), "fleet-shared.toml").expect("fleet");
    let r = check_steps(&fleet, &steps).expect("report");
    assert_eq!(
        r.steps[1].status,
        StepStatus::FleetIncompatible,
        "{:?}",
        r.steps[1]
    );
    assert_eq!(r.steps[1].blocking_cells, vec!["cell-b", "cell-c"]);
    assert!(r.has_errors());

    // The same through the CLI, with the folder on disk.
    let dir = std::env::temp_dir().join(format!("zerodown-fleet-{}", std::process::id()));
    for (path, text) in &files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    let fleet_path = format!(
        "{}/tests/fixtures/cells/fleet-shared.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let d = dir.to_string_lossy().into_owned();
    let (code, out, err) = zerodown_cli(&[
        "fleet",
        "check",
        "--fleet",
        &fleet_path,
        &d,
        "--unreleased-as",
        "16.7",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["errors"], 1, "{out}");
    let (code, _, err) = zerodown_cli(&["fleet", "check", "--fleet", &fleet_path, &d]);
    assert_eq!(code, 2);
    assert!(err.contains("--unreleased-as"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
