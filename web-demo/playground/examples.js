// The examples dropdown: each one shows a rule family and its safe path.
export const EXAMPLES = [
  {
    name: "Add an index",
    sql: "-- A plain CREATE INDEX blocks writes for the whole build.\nCREATE INDEX index_users_on_email ON users (email);\n",
  },
  {
    name: "Add a required column",
    sql: "ALTER TABLE users ADD COLUMN plan_id bigint NOT NULL;\n",
  },
  {
    name: "Rename a column",
    sql: "ALTER TABLE projects RENAME COLUMN title TO name;\n",
  },
  {
    name: "Change a column type",
    sql: "ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;\n",
  },
  {
    name: "Drop a column",
    sql: "ALTER TABLE users DROP COLUMN legacy_token;\n",
    phase: "post-deploy",
  },
  {
    name: "Add a foreign key",
    sql: "ALTER TABLE issues\n  ADD CONSTRAINT fk_issues_project FOREIGN KEY (project_id) REFERENCES projects (id);\n",
  },
  {
    name: "Set NOT NULL",
    sql: "ALTER TABLE merge_requests ALTER COLUMN author_id SET NOT NULL;\n",
  },
  {
    name: "Backfill a large table",
    sql: "UPDATE users SET state = 'active' WHERE state IS NULL;\n",
    largeTables: "users",
  },
  {
    name: "Rails migration (Ruby)",
    lang: "ruby",
    sql: "# frozen_string_literal: true\n\nclass AddIndexOnUsersEmail < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email\n    remove_column :users, :legacy_token, :text\n  end\nend\n",
  },
  {
    name: "Safe migration",
    sql: "SET lock_timeout = '1s';\nCREATE TABLE audit_events (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  author_id bigint NOT NULL,\n  details jsonb NOT NULL DEFAULT '{}',\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n",
  },
];
