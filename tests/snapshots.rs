//! What a user sees: the text output for representative rules, as insta
//! snapshots under `tests/snapshots/`. Plans are off so the frames show the
//! findings alone.

mod common;

use common::{lint_at, options_from};
use zerodown::report::render_text;

fn screen(path: &str, sql: &str, options: &str) -> String {
    let report = lint_at(sql, path, &options_from(options));
    render_text(&report, &|p| (p == path).then(|| sql.to_string()), false)
}

#[test]
fn add_index_non_concurrently() {
    insta::assert_snapshot!(screen(
        "db/migrate/20240101_index_users_on_email.sql",
        "SET lock_timeout = '1s';\nCREATE INDEX index_users_on_email\n    ON users (email);\n",
        "",
    ));
}

#[test]
fn drop_column_regular_and_post_deploy() {
    let sql = "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN updated_at;\n";
    insta::assert_snapshot!(
        "drop_column_regular",
        screen("db/migrate/20240101_drop.sql", sql, "")
    );
    insta::assert_snapshot!(
        "drop_column_post_deploy",
        screen("db/post_migrate/20240101_drop.sql", sql, "")
    );
}

#[test]
fn several_findings_in_one_statement() {
    insta::assert_snapshot!(screen(
        "db/migrate/20240102_users.sql",
        "ALTER TABLE users\n    ADD COLUMN token uuid DEFAULT gen_random_uuid(),\n    ALTER COLUMN email SET NOT NULL;\n",
        "",
    ));
}

#[test]
fn change_column_type_with_unknown_current_type() {
    insta::assert_snapshot!(screen(
        "db/migrate/20240103_name_to_text.sql",
        "SET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN name TYPE text;\n",
        "",
    ));
}

#[test]
fn data_migration_and_transactions() {
    insta::assert_snapshot!(screen(
        "db/migrate/20240104_backfill.sql",
        "BEGIN;\nUPDATE users SET plan = 'free' WHERE plan IS NULL;\nCREATE INDEX CONCURRENTLY index_users_on_plan ON users (plan);\nCOMMIT;\n",
        "",
    ));
}

#[test]
fn parse_error_then_more_findings() {
    insta::assert_snapshot!(screen(
        "db/migrate/20240105_broken.sql",
        "-- zerodown-ignore drop-colum: typo in the rule id\nALTER TABLE users ADD COLUMN;\nDROP INDEX index_users_on_email;\n",
        "",
    ));
}

#[test]
fn clean_file() {
    insta::assert_snapshot!(screen(
        "db/migrate/20240106_clean.sql",
        "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN bio text;\nCREATE INDEX CONCURRENTLY index_users_on_bio ON users (bio);\n",
        "",
    ));
}
