//! Cells: organization isolation analysis, move checks and fleet checks.

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
    assert!(f.message.starts_with("syntax error"), "{}", f.message);
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
    let issues = table(&report, "issues");
    assert!(issues
        .sharding_key
        .as_ref()
        .is_some_and(|k| k.path_length == 1));
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
