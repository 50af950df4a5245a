use super::*;

fn kinds(text: &str) -> Vec<String> {
    read(text)
        .statements
        .iter()
        .flat_map(|s| s.ops.iter().map(|o| format!("{:?}", o.kind)))
        .collect()
}

#[test]
fn add_concurrent_index_is_concurrent_and_disable_ddl_is_read() {
    let m = read("class A < Gitlab::Database::Migration[2.3]\n  disable_ddl_transaction!\n  INDEX = 'idx_a'\n  def up\n    add_concurrent_index :users, :email, name: INDEX\n  end\n  def down\n    remove_concurrent_index_by_name :users, INDEX\n  end\nend\n");
    assert!(!m.in_transaction);
    assert_eq!(m.statements.len(), 1, "{:?}", m.statements);
    let k = format!("{:?}", m.statements[0].ops[0].kind);
    assert!(
        k.contains("concurrently: true") && k.contains("idx_a"),
        "{k}"
    );
}

#[test]
fn heredoc_sql_keeps_file_spans() {
    let text = "class A < ActiveRecord::Migration[7.0]\n  def up\n    execute <<~SQL\n      CREATE INDEX i ON t (c);\n    SQL\n  end\nend\n";
    let m = read(text);
    assert!(m.in_transaction);
    let st = &m.statements[0];
    assert_eq!(&text[st.span.clone()], "CREATE INDEX i ON t (c)");
}

#[test]
fn interpolated_sql_is_dynamic_and_unknown_calls_are_kept() {
    let k = kinds("def change\n  execute \"UPDATE #{t} SET a = 1\"\n  frobnicate :x\nend\n");
    assert!(k[0].contains("Dynamic"), "{k:?}");
    assert!(k[1].contains("UNRECOGNIZED RUBY frobnicate"), "{k:?}");
}

#[test]
fn create_table_block_and_reversible() {
    let k = kinds("def change\n  create_table :things, id: :bigint do |t|\n    t.references :user, foreign_key: true, null: false\n    t.text :name, null: false\n    t.timestamps\n  end\n  reversible do |dir|\n    dir.up { add_column :a, :b, :integer }\n    dir.down { remove_column :a, :b }\n  end\nend\n");
    assert!(
        k[0].contains("CreateTable") && k[0].contains("user_id"),
        "{k:?}"
    );
    assert!(k.iter().any(|x| x.contains("AddColumn")), "{k:?}");
    assert!(!k.iter().any(|x| x.contains("DropColumn")), "{k:?}");
}
