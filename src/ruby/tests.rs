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

#[test]
fn literal_iteration_binds_items_and_interpolation_resolves() {
    let k = kinds("class A < Gitlab::Database::Migration[2.3]\n  disable_ddl_transaction!\n  TABLE = 'runners'\n  def up\n    %w[a b].each do |t|\n      add_check_constraint(\"#{t}_#{TABLE}\", 'x IS NOT NULL', 'chk', validate: false)\n    end\n  end\nend\n");
    let adds: Vec<&String> = k.iter().filter(|x| x.contains("AddConstraint")).collect();
    assert_eq!(adds.len(), 2, "{k:?}");
    assert!(adds[0].contains("\"a_runners\""), "{k:?}");
    assert!(adds[1].contains("\"b_runners\""), "{k:?}");
    assert!(!k.iter().any(|x| x.contains("UNRECOGNIZED")), "{k:?}");
}

#[test]
fn model_data_changes_are_data_operations_on_the_models_table() {
    let k = kinds("class A < Gitlab::Database::Migration[2.3]\n  class Thing < MigrationRecord\n    self.table_name = 'foo_things'\n  end\n  def up\n    define_batchable_model('users')\n      .where(x: 1) # comment between\n      .each_batch(of: 10) do |batch|\n        batch.update_all(plan: 'free')\n      end\n    Thing.where(a: 1).delete_all\n    NamespaceSetting.where(a: 1).update_all(b: true)\n  end\nend\n");
    let data: Vec<&String> = k.iter().filter(|x| x.contains("DataChange")).collect();
    assert_eq!(data.len(), 3, "{k:?}");
    assert!(
        data[0].contains("Update")
            && data[0].contains("\"users\"")
            && data[0].contains("plan = 'free'"),
        "{k:?}"
    );
    assert!(
        data[1].contains("Delete") && data[1].contains("\"foo_things\""),
        "{k:?}"
    );
    assert!(data[2].contains("\"namespace_settings\""), "{k:?}");
}

#[test]
fn literal_statements_and_multiple_assignment_keep_the_reader_in_step() {
    let m = read("class A < Gitlab::Database::Migration[2.3]\n  disable_ddl_transaction!\n  def up\n    (min_id, max_id) = foo.pick(:a, :b)\n    max_id ||= 0\n    a, b = bar\n    remove_column :users, :old\n  end\n  def down\n    {\n      a: 'idx_a',\n      b: 'idx_b'\n    }.each do |table, index|\n      add_concurrent_index(table, :c, name: index)\n    end\n    with_lock_retries do\n      add_column :users, :old, :text\n    end\n  end\nend\n");
    let k: Vec<String> = m
        .statements
        .iter()
        .flat_map(|s| s.ops.iter().map(|o| format!("{:?}", o.kind)))
        .collect();
    assert!(!k.iter().any(|x| x.contains("UNRECOGNIZED")), "{k:?}");
    assert!(k.iter().any(|x| x.contains("DropColumn")), "{k:?}");
    // `down` is read, not lowered.
    assert!(
        !k.iter()
            .any(|x| x.contains("CreateIndex") || x.contains("AddColumn")),
        "{k:?}"
    );
}

#[test]
fn hash_items_are_indexed_and_self_reference_ends() {
    let k = kinds("class A < Gitlab::Database::Migration[2.3]\n  FKS = [{ table: 'todos', old: 'fk_a', new: 'fk_rails_a' }].freeze\n  def up\n    FKS.each do |data|\n      with_lock_retries do\n        rename_constraint(data[:table], data[:old], data[:new])\n      end\n    end\n    a = a[:k]\n    remove_column a[:k], :x\n  end\nend\n");
    assert!(
        k.iter()
            .any(|x| x.contains("\"todos\"") && x.contains("RENAME CONSTRAINT")),
        "{k:?}"
    );
    assert!(!k.iter().any(|x| x.contains("UNRECOGNIZED")), "{k:?}");
}

#[test]
fn a_methods_returned_bookkeeping_row_is_bookkeeping() {
    let text = "class A < Gitlab::Database::Migration[2.3]\n  def up\n    migration = find_migration(1)\n    migration&.update!(sub_batch_size: 250)\n    other = find_other\n    other.update!(a: 1)\n    r = row\n    r.update!(a: 2)\n  end\n  def find_migration(x)\n    Gitlab::Database::BackgroundMigration::BatchedMigration\n      .find_for_configuration(:gitlab_ci, x)\n  end\n  def find_other\n    compute_it\n  end\n  def row\n    Gitlab::Database::BackgroundMigration::BatchedMigration.last\n  end\nend\n";
    let k = kinds(text);
    // The row of GitLab's bookkeeping: no operation; an unknown method's
    // value stays unknown.
    assert_eq!(k.len(), 2, "{k:?}");
    assert!(k[1].contains("UNRECOGNIZED RUBY other.update!"), "{k:?}");
}
