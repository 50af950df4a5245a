//! `zerodown lint` on a Rails folder: `.rb` and `.sql` migrations read
//! alike, schema dumps skipped; and the text a user sees for a Ruby finding
//! whose SQL came from a heredoc (insta snapshot).
#![cfg(feature = "ruby")]

mod common;

use std::process::Command;

use common::{lint_at, options_from};
use zerodown::report::render_text;

const HEREDOC: &str = "class AddIndex < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      CREATE INDEX index_users_on_email
        ON users (email);
    SQL
  end

  def down
    remove_index :users, name: :index_users_on_email
  end
end
";

#[test]
fn lint_folder_reads_ruby_and_sql() {
    let dir = std::env::temp_dir().join(format!("zerodown-ruby-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("db");
    std::fs::create_dir_all(db.join("migrate")).expect("mkdir");
    std::fs::create_dir_all(db.join("post_migrate")).expect("mkdir");
    std::fs::write(db.join("migrate/1_add_index.rb"), HEREDOC).expect("write");
    std::fs::write(
        db.join("migrate/2_ok.rb"),
        "class Ok < Gitlab::Database::Migration[2.3]\n  disable_ddl_transaction!\n\n  def up\n    add_concurrent_index :users, :name\n  end\nend\n",
    )
    .expect("write");
    std::fs::write(db.join("post_migrate/3_more.sql"), "DROP INDEX i;\n").expect("write");
    std::fs::write(
        db.join("schema.rb"),
        "ActiveRecord::Schema.define { create_table :x }\n",
    )
    .expect("write");
    std::fs::write(db.join("structure.sql"), "CREATE INDEX j ON users (a);\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["lint", "--format", "json", "db"])
        .current_dir(&dir)
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(
        paths,
        [
            "db/migrate/1_add_index.rb",
            "db/migrate/2_ok.rb",
            "db/post_migrate/3_more.sql"
        ]
    );
    let rules: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or(""),
                f["rule"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        rules.contains(&("db/migrate/1_add_index.rb", "add-index-non-concurrently")),
        "{rules:?}"
    );
    assert!(
        !rules.iter().any(|(p, r)| *p == "db/migrate/2_ok.rb"
            && *r != "unrecognized-migration-code"
            && *r != "prefer-bigint"),
        "{rules:?}"
    );
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn heredoc_finding_in_the_rb_file() {
    let path = "db/migrate/20240101000000_add_index.rb";
    let report = lint_at(HEREDOC, path, &options_from(""));
    insta::assert_snapshot!(render_text(
        &report,
        &|p| (p == path).then(|| HEREDOC.to_string()),
        false
    ));
}
