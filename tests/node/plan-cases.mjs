// Plans of every change kind, written twice: as `zerodown plan` arguments
// (docs/plans.md and the README) and as the package's `plan(change, options)`
// call a user would write. Shared by the parity and CLI tests.
export const PLAN_CASES = [
  {
    args: ["drop-column", "users.updated_at", "--release", "12.5", "--framework", "rails",
      "--calendar", "2019-11-22,2019-12-22,2020-01-22", "--type", "timestamptz"],
    change: { kind: "drop-column", table: "users", column: "updated_at" },
    options: { release: "12.5", framework: "rails", columnType: "timestamptz",
      calendar: { kind: "dates", dates: ["2019-11-22", "2019-12-22", "2020-01-22"] } },
  },
  {
    args: ["rename-column", "users.username", "handle", "--release", "9.0"],
    change: { kind: "rename-column", table: "users", column: "username", newName: "handle" },
    options: { release: "9.0" },
  },
  {
    args: ["change-column-type", "users.settings", "jsonb", "--using", "settings::jsonb", "--release", "16.4"],
    change: { kind: "change-column-type", table: "users", column: "settings", newType: "jsonb", using: "settings::jsonb" },
    options: { release: "16.4" },
  },
  {
    args: ["change-column-default", "ci_builds.partition_id", "101", "--from", "100", "--release", "16.4"],
    change: { kind: "change-column-default", table: "ci_builds", column: "partition_id", default: "101" },
    options: { release: "16.4", previousDefault: "100" },
  },
  {
    args: ["set-not-null", "users.email", "--release", "16.4", "--pg-version", "11"],
    change: { kind: "set-not-null", table: "users", column: "email" },
    options: { release: "16.4", pgVersion: 11 },
  },
  {
    args: ["add-check-constraint", "users", "char_length(name) <= 255", "--release", "16.4", "--name", "check_name_length"],
    change: { kind: "add-check-constraint", table: "users", expression: "char_length(name) <= 255", name: "check_name_length" },
    options: { release: "16.4" },
  },
  {
    args: ["add-foreign-key", "issues.project_id", "projects.id", "--on-delete", "cascade", "--release", "16.4"],
    change: { kind: "add-foreign-key", table: "issues", columns: ["project_id"], refTable: "projects",
      refColumns: ["id"], onDelete: "cascade" },
    options: { release: "16.4" },
  },
  {
    args: ["add-unique-constraint", "users.email", "--release", "16.4"],
    change: { kind: "add-unique-constraint", table: "users", columns: ["email"] },
    options: { release: "16.4" },
  },
  {
    args: ["add-index", "users.email", "--where", "deleted_at IS NULL", "--release", "16.4", "--unique", "--method", "btree"],
    change: { kind: "add-index", table: "users", columns: ["email"], unique: true, method: "btree",
      where: "deleted_at IS NULL" },
    options: { release: "16.4" },
  },
  {
    args: ["drop-index", "index_users_on_email", "--table", "users", "--definition",
      "CREATE INDEX index_users_on_email ON public.users USING btree (email)"],
    change: { kind: "drop-index", name: "index_users_on_email", table: "users" },
    options: { indexDefinition: "CREATE INDEX index_users_on_email ON public.users USING btree (email)" },
  },
  {
    args: ["drop-table", "legacy_events", "--release", "16.4", "--calendar", "monthly:3-thu:2023-11"],
    change: { kind: "drop-table", table: "legacy_events" },
    options: { release: "16.4", calendar: { kind: "monthly", on: "3-thu", first: "2023-11" } },
  },
  {
    args: ["rename-table", "users", "accounts", "--release", "16.4", "--rollover", "11"],
    change: { kind: "rename-table", table: "users", newName: "accounts" },
    options: { release: "16.4", rollover: 11 },
  },
  {
    args: ["bigint-primary-key", "merge_request_metrics.id", "--release", "16.4", "--batch-column", "id", "--framework", "rails"],
    change: { kind: "bigint-primary-key", table: "merge_request_metrics", column: "id" },
    options: { release: "16.4", batchColumn: "id", framework: "rails" },
  },
  {
    args: ["backfill", "users", "score = 0", "--where", "score IS NULL", "--batch-size", "500"],
    change: { kind: "backfill", table: "users", set: "score = 0", where: "score IS NULL", batchSize: 500 },
    options: { batchSize: 500 },
  },
  {
    args: ["data-format-change", "users.settings", "settings_json", "jsonb", "--using", "settings::jsonb"],
    change: { kind: "data-format-change", table: "users", column: "settings", newColumn: "settings_json",
      newType: "jsonb", transform: "settings::jsonb" },
    options: {},
  },
  {
    args: ["rename-enum-value", "issue_state", "open", "opened", "--release", "16.4", "--pg-version", "11"],
    change: { kind: "rename-enum-value", type: "issue_state", value: "open", newValue: "opened" },
    options: { release: "16.4", pgVersion: 11 },
  },
  {
    args: ["replace-view", "active_users", "active_people", "SELECT id, name AS full_name FROM users", "--definition", "SELECT id, name FROM users"],
    change: { kind: "replace-view", view: "active_users", newName: "active_people", definition: "SELECT id, name AS full_name FROM users" },
    options: { indexDefinition: "SELECT id, name FROM users", viewDefinition: "SELECT id, name FROM users" },
  },
];

const BOOL_FLAGS = new Set(["--unique", "--primary-key", "--has-default"]);

/**
 * A case's arguments as `changeFromArgs` takes them: KIND, TARGET, the
 * kind's other arguments (the cases put them before any flag) and the
 * flags that describe the change, as `ChangeArgs`.
 */
export function changeFromArgsCall(args) {
  const first = args.findIndex((a) => a.startsWith("--"));
  const [kind, target, ...rest] = first < 0 ? args : args.slice(0, first);
  const flags = {};
  for (let i = first < 0 ? args.length : first; i < args.length; i++) {
    if (BOOL_FLAGS.has(args[i])) flags[args[i].slice(2)] = true;
    else flags[args[i].slice(2)] = args[++i];
  }
  const changeArgs = {
    using: flags.using,
    columnType: flags.type,
    name: flags.name,
    onDelete: flags["on-delete"],
    unique: flags.unique === true,
    primaryKey: flags["primary-key"] === true,
    method: flags.method,
    predicate: flags.where,
    table: flags.table,
    batchSize: flags["batch-size"] === undefined ? undefined : Number(flags["batch-size"]),
    hasDefault: flags["has-default"] === true,
  };
  return [kind, target, rest, changeArgs];
}
