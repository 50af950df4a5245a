// The change kinds the planner takes (the package's `Change` type, `kind` in
// kebab-case, fields in camelCase) and the fields of each, for the "plan a
// change" form, with an example for each kind that the form starts from.
// Field types: text, list (comma-separated), bool, number. Fields marked
// `option` are plan options (what the planner needs for a rollback), not
// fields of the change.
const table = { name: "table", type: "text", required: true };
const column = { name: "column", type: "text", required: true };
const columnType = { name: "columnType", type: "text", option: true, label: "current type (for the rollback)" };

export const CHANGE_KINDS = {
  "drop-column": {
    fields: [table, column, columnType],
    example: { table: "users", column: "updated_at", columnType: "timestamptz" },
  },
  "rename-column": {
    fields: [table, column, { name: "newName", type: "text", required: true }, { name: "columnType", type: "text", label: "current type" },
      { name: "hasDefault", type: "bool", label: "column has a default" }],
    example: { table: "projects", column: "title", newName: "name", columnType: "text" },
  },
  "change-column-type": {
    fields: [table, column, { name: "newType", type: "text", required: true }, { name: "using", type: "text", label: "using (cast)" },
      { name: "columnType", type: "text", label: "current type" }],
    example: { table: "events", column: "payload", newType: "jsonb", using: "payload::jsonb", columnType: "text" },
  },
  "change-column-default": {
    fields: [table, column, { name: "default", type: "text", label: "new default (empty: drop it)" },
      { name: "previousDefault", type: "text", option: true, label: "current default (for the rollback)" }],
    example: { table: "users", column: "theme", default: "'dark'", previousDefault: "'light'" },
  },
  "set-not-null": {
    fields: [table, column],
    example: { table: "merge_requests", column: "author_id" },
  },
  "add-check-constraint": {
    fields: [table, { name: "expression", type: "text", required: true }, { name: "name", type: "text" }],
    example: { table: "users", expression: "char_length(name) <= 255", name: "check_users_name_length" },
  },
  "add-foreign-key": {
    fields: [table, { name: "columns", type: "list", required: true }, { name: "refTable", type: "text", required: true },
      { name: "refColumns", type: "list", required: true }, { name: "name", type: "text" }, { name: "onDelete", type: "text", label: "on delete" }],
    example: { table: "issues", columns: ["project_id"], refTable: "projects", refColumns: ["id"], onDelete: "cascade" },
  },
  "add-unique-constraint": {
    fields: [table, { name: "columns", type: "list", required: true }, { name: "name", type: "text" }, { name: "primaryKey", type: "bool", label: "primary key" }],
    example: { table: "users", columns: ["email"], name: "users_email_key" },
  },
  "add-index": {
    fields: [table, { name: "columns", type: "list", required: true }, { name: "name", type: "text" }, { name: "unique", type: "bool" },
      { name: "method", type: "text" }, { name: "where", type: "text", label: "where (partial index)" }],
    example: { table: "users", columns: ["email"], name: "index_users_on_email", unique: true },
  },
  "drop-index": {
    fields: [{ name: "name", type: "text", required: true }, { name: "table", type: "text" },
      { name: "indexDefinition", type: "text", option: true, label: "definition (for the rollback)" }],
    example: { name: "index_users_on_email", table: "users", indexDefinition: "CREATE INDEX index_users_on_email ON public.users USING btree (email)" },
  },
  "drop-table": {
    fields: [table],
    example: { table: "legacy_events" },
  },
  "rename-table": {
    fields: [table, { name: "newName", type: "text", required: true }],
    example: { table: "issue_links", newName: "work_item_links" },
  },
  "bigint-primary-key": {
    fields: [table, column],
    example: { table: "events", column: "id" },
  },
  "backfill": {
    fields: [table, { name: "set", type: "text", required: true }, { name: "where", type: "text" }, { name: "batchSize", type: "number", label: "batch size" }],
    example: { table: "users", set: "state = 'active'", where: "state IS NULL", batchSize: 1000 },
  },
  "data-format-change": {
    fields: [table, column, { name: "newColumn", type: "text", required: true }, { name: "newType", type: "text", required: true },
      { name: "transform", type: "text", required: true }],
    example: { table: "users", column: "settings", newColumn: "settings_json", newType: "jsonb", transform: "settings::jsonb" },
  },
  "rename-enum-value": {
    fields: [{ name: "type", type: "text", required: true }, { name: "value", type: "text", required: true, label: "current label" },
      { name: "newValue", type: "text", required: true, label: "new label" }],
    example: { type: "issue_state", value: "open", newValue: "opened" },
  },
  "replace-view": {
    fields: [{ name: "view", type: "text", required: true }, { name: "newName", type: "text", required: true, label: "new view" },
      { name: "definition", type: "text", required: true, label: "new view's query" },
      { name: "viewDefinition", type: "text", option: true, label: "current query (for the rollback)" }],
    example: { view: "active_users", newName: "active_people", definition: "SELECT id, name AS full_name FROM users",
      viewDefinition: "SELECT id, name FROM users" },
  },
};

/**
 * Reads `{change, options}` from the form's field values (strings / booleans):
 * the change object, and the plan options some kinds take for their rollback.
 */
export function changeFrom(kind, values) {
  const change = { kind };
  const options = {};
  for (const f of CHANGE_KINDS[kind]?.fields ?? []) {
    const into = f.option ? options : change;
    const v = values[f.name];
    if (f.type === "bool") {
      if (v) into[f.name] = true;
    } else if (f.type === "list") {
      const items = (Array.isArray(v) ? v : String(v ?? "").split(",")).map((s) => String(s).trim()).filter(Boolean);
      if (items.length) into[f.name] = items;
    } else if (f.type === "number") {
      if (String(v ?? "").trim()) into[f.name] = Number(v);
    } else if (String(v ?? "").trim()) {
      into[f.name] = String(v).trim();
    }
  }
  return { change, options };
}
