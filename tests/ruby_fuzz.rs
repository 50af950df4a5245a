//! The Ruby front end on damaged input: every prefix of a few migrations
//! and random byte edits (a fixed seed) must read without a panic, in
//! bounded time, and lint without an error.
#![cfg(feature = "ruby")]

use std::time::{Duration, Instant};

use zerodown::LintOptions;

const SAMPLE: &str = r#"# frozen_string_literal: true

class AddThings < Gitlab::Database::Migration[2.3]
  disable_ddl_transaction!
  milestone '18.2'
  INDEX = 'index_things_on_user_id'
  COLS = %i[a b].freeze

  def up
    create_table :things, id: :bigint do |t|
      t.references :user, foreign_key: { to_table: :users, on_delete: :cascade }, null: false
      t.text :name, null: false, limit: 255
      t.timestamps_with_timezone null: false
    end
    add_concurrent_index :things, :user_id, name: INDEX, where: "name IS NOT NULL"
    with_lock_retries do
      execute <<~SQL
        ALTER TABLE things ADD COLUMN x int DEFAULT #{1 + 2};
        UPDATE things SET x = 1 WHERE name = 'a;b';
      SQL
    end
    COLS.each { |c| add_column :things, c, :integer, default: 0 }
    reversible do |dir|
      dir.up { execute 'SELECT 1' }
    end
  end

  def down
    drop_table :things if table_exists?(:things)
  end
end
"#;

/// Files to damage: the sample and a few corpus migrations, when present.
fn inputs() -> Vec<String> {
    let mut out = vec![SAMPLE.to_string()];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gitlab");
    for name in [
        "migrate/20211202041233_init_schema.rb",
        "migrate/20250530110141_create_ai_active_context_code_enabled_namespaces.rb",
    ] {
        if let Ok(text) = std::fs::read_to_string(root.join(name)) {
            // The schema of the first one is large: its first 6 KB.
            let mut end = text.len().min(6000);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            out.push(text[..end].to_string());
        }
    }
    out
}

fn check(text: &str, options: &LintOptions) {
    let started = Instant::now();
    let m = zerodown::ruby::read(text);
    for st in &m.statements {
        assert!(st.span.end <= text.len(), "span past the end: {text:?}");
        for op in &st.ops {
            assert!(op.span.end <= text.len() && op.span.start <= op.span.end);
        }
    }
    zerodown::lint(text, "db/migrate/x.rb", options).expect("lint");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "slow on {text:?}"
    );
}

#[test]
fn every_prefix_reads() {
    let options = LintOptions::default();
    for text in inputs() {
        for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
            check(&text[..end], &options);
        }
    }
}

#[test]
fn random_edits_read() {
    let options = LintOptions::default();
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let alphabet = b"do end { } ( ) [ ] < << ~ - SQL \" ' # : , | \n % = > . ! ? \\ @ $";
    for text in inputs() {
        for _ in 0..400 {
            let mut bytes = text.clone().into_bytes();
            for _ in 0..1 + next() % 6 {
                if bytes.is_empty() {
                    break;
                }
                let at = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at, alphabet[(next() as usize) % alphabet.len()]),
                    _ => bytes[at] = alphabet[(next() as usize) % alphabet.len()],
                }
            }
            let damaged = String::from_utf8_lossy(&bytes).into_owned();
            check(&damaged, &options);
        }
    }
}

/// Inputs built to make the reader's newer steps expensive: a long run of
/// blank and comment lines before a chained line (each line end looks
/// ahead), literal iterations nested deep (each multiplies the items),
/// chains of many links, and locals that index themselves.
#[test]
fn pathological_inputs_are_bounded() {
    let mut nested = String::from("class A < Gitlab::Database::Migration[2.3]\n  def up\n");
    for k in 0..40 {
        nested.push_str(&format!("    %w[a b c d e f g h].each do |x{k}|\n"));
    }
    nested.push_str("      add_column \"#{x0}_#{x1}\", :c, :text\n");
    for _ in 0..40 {
        nested.push_str("    end\n");
    }
    nested.push_str("  end\nend\n");
    let blank = format!(
        "class A < ActiveRecord::Migration[7.1]\n  def up\n    x = foo{}\n      .bar\n  end\nend\n",
        "\n# c\n".repeat(100_000)
    );
    let chain = format!(
        "class A < ActiveRecord::Migration[7.1]\n  def up\n    User{}.update_all(a: 1)\n    a = a[:k]\n    b = b.where(c)\n    b.delete_all\n    remove_column a[:k], \"#{{a[:k]}}\"\n  end\nend\n",
        ".where(x: 1)".repeat(5_000)
    );
    let options = LintOptions::default();
    for text in [&nested, &blank, &chain] {
        let started = Instant::now();
        let m = zerodown::ruby::read(text);
        let _ = zerodown::lint::lint(text, "db/migrate/1_a.rb", &options).expect("lint");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?} for {} bytes, {} statements",
            started.elapsed(),
            text.len(),
            m.statements.len()
        );
    }
}
