//! Table names travel typed from the lowered statement to the plan: a quoted
//! name with a dot (`"a.b"`, one table) is not split into a schema and a
//! table on the way, in memory, in JSON or on the command line.

#![allow(clippy::unwrap_used)]

use zerodown::model::{LintOptions, Name};
use zerodown::plan::{plan, ChangeArgs, PlanOptions};
use zerodown::Change;

fn name(schema: Option<&str>, n: &str) -> Name {
    Name {
        schema: schema.map(str::to_string),
        name: n.to_string(),
    }
}

/// The change of the one finding of `sql` that carries a plan.
fn linted_change(sql: &str) -> Change {
    let report = zerodown::lint(sql, "db/migrate/20240101_x.sql", &LintOptions::default()).unwrap();
    let plans: Vec<_> = report
        .findings
        .iter()
        .filter_map(|f| f.plan.as_ref())
        .collect();
    assert_eq!(plans.len(), 1, "{:#?}", report.findings);
    plans[0].change.clone()
}

fn all_sql(change: &Change) -> String {
    let p = plan(change, &PlanOptions::default()).unwrap();
    p.steps()
        .filter_map(|(_, s)| s.sql.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_quoted_dotted_table_stays_one_table_from_lint_to_plan() {
    let change = linted_change("CREATE INDEX i ON \"a.b\" (x);");
    let Change::AddIndex { table, .. } = &change else {
        panic!("{change:?}")
    };
    assert_eq!(table, &name(None, "a.b"));
    let sql = all_sql(&change);
    assert!(sql.contains("ON \"a.b\""), "{sql}");
    assert!(
        !sql.contains("a.b ") && !sql.contains("\"a\".\"b\""),
        "{sql}"
    );

    // JSON keeps the quotes, and reading it back gives the same change.
    let json = serde_json::to_value(&change).unwrap();
    assert_eq!(json["table"], "\"a.b\"");
    let back: Change = serde_json::from_value(json).unwrap();
    assert_eq!(back, change);
    assert_eq!(all_sql(&back), sql);
}

#[test]
fn a_schema_qualified_table_is_still_schema_and_table() {
    let change = linted_change("CREATE INDEX i ON a.b (x);");
    let Change::AddIndex { table, .. } = &change else {
        panic!("{change:?}")
    };
    assert_eq!(table, &name(Some("a"), "b"));
    assert_eq!(serde_json::to_value(&change).unwrap()["table"], "a.b");
    assert!(all_sql(&change).contains("ON a.b "));
}

#[test]
fn ordinary_names_serialize_as_before() {
    for (n, text) in [
        (name(None, "users"), "users"),
        (name(Some("public"), "users"), "public.users"),
        (name(None, "Users"), "Users"),
        (name(Some("App"), "Old Table"), "App.Old Table"),
        (name(None, "a.b"), "\"a.b\""),
        (name(Some("s"), "say \"hi\""), "s.\"say \"\"hi\"\"\""),
        (name(None, " padded "), "\" padded \""),
    ] {
        assert_eq!(n.to_string(), text);
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(serde_json::from_str::<Name>(&json).unwrap(), n, "{json}");
        assert_eq!(Name::parse(text).unwrap(), n, "{text}");
    }
}

#[test]
fn text_written_before_quoting_reads_as_before() {
    // What `Table::parse` made of them: split at dots, parts trimmed and
    // stripped of surrounding double quotes.
    for (text, n) in [
        ("users", name(None, "users")),
        (" public . users ", name(Some("public"), "users")),
        ("\"Users\"", name(None, "Users")),
        ("public.\"Users\"", name(Some("public"), "Users")),
        ("a\"b", name(None, "a\"b")),
        ("\"unterminated", name(None, "unterminated")),
        ("x\".y", name(Some("x"), "y")),
    ] {
        assert_eq!(Name::parse(text).unwrap(), n, "{text}");
    }
    let e = Name::parse("a.b.c").unwrap_err();
    assert_eq!(e, "`a.b.c` is not a table: write TABLE or SCHEMA.TABLE");
    assert!(serde_json::from_str::<Change>(r#"{"kind":"drop-table","table":"a.b.c"}"#).is_err());
}

#[test]
fn the_command_line_reads_quoted_targets() {
    let o = ChangeArgs::default();
    let c = Change::from_args("add-index", "\"a.b\".x", &[], &o).unwrap();
    assert!(matches!(&c, Change::AddIndex { table, .. } if *table == name(None, "a.b")));
    let c = Change::from_args("drop-table", "public.users", &[], &o).unwrap();
    assert_eq!(
        c,
        Change::DropTable {
            table: name(Some("public"), "users")
        }
    );
    let e = Change::from_args("drop-table", "a.b.c", &[], &o).unwrap_err();
    assert!(e.to_string().contains("is not a table"), "{e}");
}

#[test]
fn plan_text_for_ordinary_names_is_unchanged() {
    let c = Change::DropTable {
        table: "public.users".into(),
    };
    assert_eq!(zerodown::plan::change_name(&c), "drop-table-public-users");
    let p = plan(&c, &PlanOptions::default()).unwrap();
    assert!(p.steps().any(|(_, s)| s.title == "Drop public.users"));
}

#[test]
fn a_quoted_dotted_index_name_stays_one_name_from_lint_to_plan() {
    // CREATE INDEX "my.idx": one index named `my.idx`, not `idx`.
    let change = linted_change("CREATE INDEX \"my.idx\" ON users (x);");
    let Change::AddIndex { name: Some(n), .. } = &change else {
        panic!("{change:?}")
    };
    assert_eq!(n, &name(None, "my.idx"));
    let sql = all_sql(&change);
    assert!(
        sql.contains("DROP INDEX CONCURRENTLY IF EXISTS \"my.idx\";\nCREATE INDEX CONCURRENTLY \"my.idx\" ON users"),
        "{sql}"
    );

    // DROP INDEX "my.idx": not index `idx` of schema `my`.
    let change = linted_change("DROP INDEX \"my.idx\";");
    let Change::DropIndex { name: n, .. } = &change else {
        panic!("{change:?}")
    };
    assert_eq!(n, &name(None, "my.idx"));
    let sql = all_sql(&change);
    assert!(
        sql.contains("DROP INDEX CONCURRENTLY IF EXISTS \"my.idx\";"),
        "{sql}"
    );
    let json = serde_json::to_value(&change).unwrap();
    assert_eq!(json["name"], "\"my.idx\"");
    let back: Change = serde_json::from_value(json).unwrap();
    assert_eq!(back, change);

    // A schema-qualified one keeps its schema.
    let change = linted_change("DROP INDEX app.\"Idx\";");
    assert!(all_sql(&change).contains("DROP INDEX CONCURRENTLY IF EXISTS app.\"Idx\";"));
}
