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
