// The change kinds the planner takes (the `Change` type of the package's
// TypeScript declarations) and the fields of each, for the "plan a change" form.
// Field types: text, list (comma-separated), bool, number.
const table = { name: "table", type: "text", required: true, placeholder: "users" };
const column = { name: "column", type: "text", required: true, placeholder: "email" };

export const CHANGE_KINDS = {
  "add-index": [table, { name: "columns", type: "list", required: true, placeholder: "email" }, { name: "name", type: "text" }, { name: "unique", type: "bool" }, { name: "method", type: "text", placeholder: "btree" }, { name: "where", type: "text" }],
  "drop-index": [{ name: "name", type: "text", required: true, placeholder: "index_users_on_email" }, { name: "table", type: "text" }],
  "drop-column": [table, column],
  "rename-column": [table, column, { name: "newName", type: "text", required: true }, { name: "columnType", type: "text" }, { name: "hasDefault", type: "bool" }],
  "change-column-type": [table, column, { name: "newType", type: "text", required: true, placeholder: "bigint" }, { name: "using", type: "text" }, { name: "columnType", type: "text" }],
  "change-column-default": [table, column, { name: "default", type: "text" }],
  "set-not-null": [table, column],
  "add-check-constraint": [table, { name: "expression", type: "text", required: true, placeholder: "char_length(name) <= 255" }, { name: "name", type: "text" }],
  "add-foreign-key": [table, { name: "columns", type: "list", required: true, placeholder: "project_id" }, { name: "refTable", type: "text", required: true, placeholder: "projects" }, { name: "refColumns", type: "list", required: true, placeholder: "id" }, { name: "name", type: "text" }, { name: "onDelete", type: "text", placeholder: "cascade" }],
  "add-unique-constraint": [table, { name: "columns", type: "list", required: true }, { name: "name", type: "text" }, { name: "primaryKey", type: "bool" }],
  "drop-table": [table],
  "rename-table": [table, { name: "newName", type: "text", required: true }],
  "bigint-primary-key": [table, { ...column, placeholder: "id" }],
  "backfill": [table, { name: "set", type: "text", required: true, placeholder: "state = 'active'" }, { name: "where", type: "text" }, { name: "batchSize", type: "number" }],
  "data-format-change": [table, column, { name: "newColumn", type: "text", required: true }, { name: "newType", type: "text", required: true }, { name: "transform", type: "text", required: true }],
};

/** Reads a change object from the form's field values (strings / booleans). */
export function changeFrom(kind, values) {
  const change = { kind };
  for (const f of CHANGE_KINDS[kind] ?? []) {
    const v = values[f.name];
    if (f.type === "bool") {
      if (v) change[f.name] = true;
    } else if (f.type === "list") {
      const items = String(v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      if (items.length) change[f.name] = items;
    } else if (f.type === "number") {
      if (String(v ?? "").trim()) change[f.name] = Number(v);
    } else if (String(v ?? "").trim()) {
      change[f.name] = String(v).trim();
    }
  }
  return change;
}
