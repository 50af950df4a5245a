//! Tests of the engine state (`model::FileState`, `model::Catalog`) fed by
//! real SQL: they live in `lint`, the layer that runs `sql` and the state
//! together, since `model` imports nothing above it.

use crate::model::{Catalog, FileState, LintOptions, Name};

fn catalog(sql: &str) -> Catalog {
    let mut catalog = Catalog::default();
    for raw in crate::sql::split(sql).statements {
        for op in &crate::sql::lower(sql, raw.span).ops {
            catalog.apply(op);
        }
    }
    catalog
}

fn type_of(c: &Catalog, table: &str, column: &str) -> Option<String> {
    c.column(&Name::new(table), column)
        .map(|i| i.data_type.clone())
}

#[test]
fn catalog_follows_columns_through_a_run() {
    let c = catalog(
        "CREATE TABLE t (a integer, b text DEFAULT 'x', c bigint NOT NULL);
         ALTER TABLE t RENAME COLUMN a TO d;
         ALTER TABLE t DROP COLUMN c;
         ALTER TABLE t ALTER COLUMN b TYPE varchar(10);
         ALTER TABLE u ADD COLUMN e uuid;
         ALTER TABLE t ADD COLUMN b jsonb;",
    );
    assert_eq!(type_of(&c, "t", "a"), None);
    assert_eq!(type_of(&c, "t", "d").as_deref(), Some("integer"));
    assert_eq!(type_of(&c, "t", "c"), None);
    assert_eq!(type_of(&c, "t", "b").as_deref(), Some("jsonb"));
    assert!(!c
        .column(&Name::new("t"), "b")
        .is_some_and(|i| i.has_default));
    assert_eq!(type_of(&c, "u", "e").as_deref(), Some("uuid"));
    let renamed =
        catalog("CREATE TABLE t (a integer, b text); ALTER TABLE t RENAME COLUMN a TO b;");
    assert_eq!(type_of(&renamed, "t", "b").as_deref(), Some("integer"));
    assert_eq!(type_of(&renamed, "t", "a"), None);
}

#[test]
fn new_columns_are_known_per_table() {
    let sql = "ALTER TABLE t ADD COLUMN a text; ALTER TABLE u ADD COLUMN b text;";
    let mut state = FileState::default();
    for raw in crate::sql::split(sql).statements {
        for op in &crate::sql::lower(sql, raw.span).ops {
            state.apply(op, &LintOptions::default());
        }
    }
    assert!(state.is_new_column(&Name::new("t"), "a"));
    assert!(state.is_new_column(&Name::new("u"), "b"));
    assert!(!state.is_new_column(&Name::new("t"), "b"));
    assert!(!state.is_new_column(&Name::new("v"), "a"));
}

#[test]
fn default_null_is_no_default() {
    let c = catalog(
        "CREATE TABLE t (a int DEFAULT NULL, b int DEFAULT (NULL)::int, c int DEFAULT CAST(NULL AS int), d int DEFAULT 0, e text DEFAULT 'null');",
    );
    let has = |col: &str| {
        c.column(&Name::new("t"), col)
            .is_some_and(|i| i.has_default)
    };
    assert!(!has("a") && !has("b") && !has("c"));
    assert!(has("d") && has("e"));
}

/// The operations of one statement.
fn ops(sql: &str) -> Vec<crate::model::OpKind> {
    let raw = &crate::sql::split(sql).statements[0];
    crate::sql::lower(sql, raw.span.clone())
        .ops
        .into_iter()
        .map(|o| o.kind)
        .collect()
}

#[test]
fn hazard_statements_lower_to_their_operations() {
    use crate::model::OpKind as K;
    let name = |s: &str| Name::from(s);
    assert!(matches!(&ops("DROP VIEW IF EXISTS a.v, w CASCADE")[..],
        [K::DropObject { what, names, cascade: true }] if what == "VIEW" && names == &[name("a.v"), name("w")]));
    assert!(matches!(&ops("DROP FUNCTION f(int)")[..],
        [K::DropObject { what, cascade: false, .. }] if what == "FUNCTION"));
    assert!(matches!(&ops("ALTER TYPE s RENAME VALUE 'a' TO 'b'")[..],
        [K::RenameType { value: Some(v), new_name, .. }] if v == "a" && new_name == "b"));
    assert!(matches!(&ops("ALTER TYPE s RENAME TO t")[..],
        [K::RenameType { value: None, new_name, .. }] if new_name == "t"));
    assert!(matches!(&ops("CREATE DOMAIN d AS varchar(10)")[..],
        [K::CreateDomain { base_type, constrained: false, .. }] if base_type == "varchar(10)"));
    assert!(
        matches!(&ops("ALTER TABLE p ATTACH PARTITION s.c DEFAULT")[..],
        [K::AlterTableOther { .. }, K::AttachPartition { parent, partition }] if *parent == name("p") && *partition == name("s.c"))
    );
    assert!(matches!(&ops("ALTER TABLE t DISABLE TRIGGER ALL")[..],
        [K::AlterTableOther { action, access_exclusive: false, .. }] if action == "DISABLE TRIGGER ALL"));
    assert!(matches!(&ops("ALTER TABLE t SET UNLOGGED")[..],
        [K::AlterTableOther { action, access_exclusive: true, .. }] if action == "SET UNLOGGED"));
    assert!(matches!(&ops("CREATE MATERIALIZED VIEW m AS SELECT 1")[..],
        [K::CreateRelation { name: n, .. }] if *n == name("m")));
    assert!(matches!(
        &ops("CREATE OR REPLACE VIEW v AS SELECT 1")[..],
        [K::ReplaceView { name: n }] if *n == name("v")
    ));
    assert!(matches!(&ops("SELECT 1 INTO s.t")[..],
        [K::CreateTable(ct)] if ct.table == name("s.t") && ct.from_query));
    assert_eq!(
        ops("WITH a AS (DELETE FROM x RETURNING *) INSERT INTO y SELECT * FROM a").len(),
        2
    );
    assert!(matches!(&ops("SELECT 1")[..], [K::Other { .. }]));
}

#[test]
fn a_create_table_that_does_not_parse_keeps_its_error_and_its_name() {
    let sql = "CREATE UNLOGGED TABLE IF NOT EXISTS s.t (a int WIBBLE WOBBLE)";
    let raw = &crate::sql::split(sql).statements[0];
    let st = crate::sql::lower(sql, raw.span.clone());
    assert!(st.error.is_some());
    assert!(matches!(&st.ops[..],
        [crate::model::Op { kind: crate::model::OpKind::CreateTable(ct), .. }]
            if ct.table == Name::from("s.t") && ct.if_not_exists));
    let garbage = "CREATE TABLE (";
    let raw = &crate::sql::split(garbage).statements[0];
    assert!(crate::sql::lower(garbage, raw.span.clone()).ops.is_empty());
}
