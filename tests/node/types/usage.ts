// Type-checked (tsc --noEmit) against the installed package: every export's
// input and output is typed, and wrong uses are rejected.
import init, {
  analyzeSchema,
  changeFromArgs,
  explain,
  fleetCheck,
  formatPlan,
  formatRehearsal,
  formatText,
  lint,
  lintFiles,
  loadSchema,
  moveCheck,
  parseConfig,
  plan,
  planFiles,
  rules,
  runCli,
  schedule,
  upgradePath,
  version,
  type AnalyzeOptions,
  type CellsReport,
  type Change,
  type ChangeArgs,
  type CliHost,
  type Edit,
  type ErrorCode,
  type Fix,
  type Fleet,
  type FleetReport,
  type MoveCheck,
  type Plan,
  type PlanFile,
  type PlanOptions,
  type Rehearsal,
  type RehearsalStep,
  type ReleaseOptions,
  type ScheduleReport,
  type StepPhase,
  type StepStatus,
  type SyncState,
  type UpgradePathReport,
  type Finding,
  type LintOptions,
  type LintReport,
  type Phase,
  type RuleInfo,
  type Schema,
  type SchemaProblem,
  type SourceFile,
  type ZerodownError,
} from "zerodown";
// The browser's full module declares the same report types.
import { formatRehearsal as formatRehearsalInBrowser, type Rehearsal as BrowserRehearsal } from "zerodown/full";

await init();

const options: LintOptions = {
  phase: "post-deploy",
  pgVersion: 15,
  largeTables: ["users"],
  rules: { "add-index-non-concurrently": "warning" },
  phases: [{ glob: "db/later/**", phase: "background" }],
  release: "16.4",
  plans: false,
};
const report: LintReport = lint("CREATE INDEX i ON t (a);", options, "db/migrate/1.sql");
const again: LintReport = lint("SELECT 1;");
const files: SourceFile[] = [{ path: "a.sql", sql: "SELECT 1;" }];
const all: LintReport = lintFiles(files, {});
const first: Finding | undefined = report.findings[0];
const utf16: number | undefined = first?.span.start.utf16;
const fix: Fix | undefined = first?.fix;
const edit: Edit | undefined = fix?.edits[0];
const editEnd: number | undefined = edit?.span.end.line;
const phase: Phase = all.files[0].phase;
const catalogue: RuleInfo[] = rules();
const doc: string = explain(catalogue[0].id);
const text: string = formatText(report, files);
const v: string = version();
const fromToml: LintOptions = parseConfig("pg-version = 12\n", "zerodown.toml");
const steps: number | undefined = first?.plan?.releases[0].steps.length;
const fixTitle: string | undefined = first?.fix?.title;
const fixAt: number | undefined = first?.fix?.edits[0].span.start.utf16;
const fixText: string | undefined = first?.fix?.edits[0].text;
const schema: Schema = loadSchema("CREATE TABLE public.t (id bigint);", "db/structure.sql");
const skipped: SchemaProblem[] = schema.problems;
const line: number | undefined = skipped[0]?.line;
const tables: number = schema.counts.tables;
const against: LintReport = schema.lint("ALTER TABLE t DROP COLUMN x;", {}, "db/migrate/2.sql");
const againstAll: LintReport = schema.lintFiles(files, {});
const completed = schema.completePlan(changeFromArgs("drop-index", "index_t_on_id"), {});
const fromSchema: Plan = plan(completed.change, completed.options);
const planNotes: string[] = completed.notes;
const dueOnSchema: ScheduleReport = schema.schedule([{ path: "9.0.0/1_a.sql", sql: "SELECT 1;" }], "9.0.0");
const pathOnSchema: UpgradePathReport = schema.upgradePath([], "8.17", "9.0", { mode: "continuous" });
schema.free();

try {
  lint("SELECT 1;", { pgVersion: 3 });
} catch (e) {
  const code: ErrorCode = (e as ZerodownError).code;
  console.log(code);
}

// @ts-expect-error a schema is text
loadSchema(42);
// @ts-expect-error pgVersion is a number
lint("SELECT 1;", { pgVersion: "15" });
// @ts-expect-error unknown option
lint("SELECT 1;", { pgVesion: 15 });
// @ts-expect-error not a phase
lint("SELECT 1;", { phase: "later" });
// @ts-expect-error files need sql
lintFiles([{ path: "a.sql" }]);
// @ts-expect-error a fix's edits are a list
const oneEdit: Edit | undefined = first?.fix?.edits;
// @ts-expect-error severity is a union of strings
const s: number = report.findings[0].severity;

const change: Change = { kind: "rename-column", table: "users", column: "username", newName: "handle" };
const planOptions: PlanOptions = {
  release: "16.4",
  rollover: 11,
  calendar: { kind: "monthly", on: "3-thu", first: "2023-11" },
  framework: "rails",
  pgVersion: 15,
  batchSize: 500,
  batchColumn: "id",
  columnType: "text",
};
const p: Plan = plan(change, planOptions);
const p2: Plan = plan({ kind: "drop-index", name: "index_users_on_email" });
const stepPhase: StepPhase = p.releases[0].steps[0].phase;
const changeArgs: ChangeArgs = { using: "settings::jsonb", unique: true, batchSize: 500 };
const built: Change = changeFromArgs("change-column-type", "users.settings", ["jsonb"], changeArgs);
const timeline: string = formatPlan(p);
const planFileList: PlanFile[] = planFiles(p);
const firstPath: string = planFileList[0].path;

const releaseOptions: ReleaseOptions = {
  mode: "continuous",
  requiredStops: ["16.3"],
  unreleasedAs: "16.8",
  lastMinor: 11,
  ignoredColumns: [{ table: "users", column: "x", addedIn: "16.4", removeWith: "16.6" }],
};
const due: ScheduleReport = schedule(files, "16.4", releaseOptions);
const dueCount: number = due.due.length + due.notDue.length + due.summary.errors;
const upgrade: UpgradePathReport = upgradePath(files, "16.2", "16.5", { mode: "self-managed" });
const stop: boolean | undefined = upgrade.deployments[0]?.requiredStop;

const fleet: Fleet = { shared: ["users"], cells: [{ name: "a", version: "16.6", local: ["projects"] }] };
const fleetReport: FleetReport = fleetCheck(fleet, p);
const fleetReports: FleetReport = fleetCheck(fleet, [p, p2]);
const status: StepStatus = fleetReport.steps[0].status;
const analyzeOptions: AnalyzeOptions = { roots: ["organizations"], shared: ["users"] };
const cells: CellsReport = analyzeSchema("CREATE TABLE t (id bigint);", analyzeOptions);
const keyColumn: string | undefined = cells.tables[0]?.shardingKey?.column;
const move: MoveCheck = moveCheck("1\n2\n", "1\n");
const sync: SyncState = move.state;

// A rehearsal report (`zerodown rehearse --format json`), printed as the command prints it.
const rehearsal: Rehearsal = {
  version: 1,
  server: "16.4",
  database: "postgres://app:****@localhost/app",
  workload: { source: "generated", versions: ["old", "new"], sessions: 4, preparedSessions: 1, longTransactionMs: 0, longTransactionWrites: false },
  rows: 1000,
  budget: { maxStallMs: 1000, maxErrors: 0 },
  baseline: { queries: 10, p50Ms: 1, p99Ms: 2, maxMs: 3 },
  steps: [{
    index: 1, title: "db/migrate/1_add_index.sql", kind: "migration", phase: "regular", live: ["old"], outcome: "failed",
    error: "lock timeout", durationMs: 12, locks: [{ relation: "users", mode: "ShareLock", granted: false }], rewritten: [],
    latency: { queries: 10, p50Ms: 1, p99Ms: 2, maxMs: 3 }, maxLockWaitMs: 0, errors: 1,
    firstErrors: [{ version: "old", statement: "SELECT 1", message: "boom", count: 1 }], chart: [1, 2], sliceMs: 250,
  }],
  data: { rowsChecked: 0, readsChecked: 0, lost: 0, duplicated: 0, changed: 0, unchecked: 0, examples: [] },
  verdict: { pass: false, reasons: ["step 1 failed"], errors: 1, maxStallMs: 3 },
  stopped: { step: 1, error: "lock timeout", note: "rolled back", rollback: [{ step: 1, title: "db/migrate/1_add_index.sql" }] },
  durationMs: 20,
};
const printed: string = formatRehearsal(rehearsal);
const inBrowser: BrowserRehearsal = rehearsal;
const printedInBrowser: string = formatRehearsalInBrowser(inBrowser);
const rehearsedStep: RehearsalStep = rehearsal.steps[0];
const passed: boolean = rehearsal.verdict.pass;
// @ts-expect-error not an outcome
const badOutcome: RehearsalStep["outcome"] = "exploded";
// @ts-expect-error a report needs its steps
formatRehearsal({ ...rehearsal, steps: undefined });

// @ts-expect-error not a change kind
plan({ kind: "drop-everything", table: "t" });
// @ts-expect-error rename-column needs newName
plan({ kind: "rename-column", table: "users", column: "username" });
// @ts-expect-error not a framework
plan(change, { framework: "django" });
// @ts-expect-error not a mode
schedule(files, "16.4", { mode: "weekly" });
// @ts-expect-error upgradePath needs from and to
upgradePath(files, "16.2");
// @ts-expect-error cells need a version
fleetCheck({ cells: [{ name: "a" }] }, p);
// @ts-expect-error roots is a list
analyzeSchema("", { roots: "organizations" });

// The command line over a host of callbacks (what bin/zerodown.mjs passes).
const host: CliHost = {
  readFile: () => new Uint8Array(),
  kind: () => 0,
  readDir: () => [],
  mkdir: () => {},
  writeFile: () => {},
  write: (fd: number, out: string) => console.log(fd, out),
  cwd: () => "/",
  isTerminal: () => false,
  env: () => undefined,
};
const exitStatus: number = runCli(["--version"], host);
// @ts-expect-error argv is a list of strings
runCli("lint", host);
// @ts-expect-error the host needs every callback
runCli([], { cwd: () => "/" });

console.log(exitStatus);
console.log(again, utf16, doc, text, v, fromToml, steps, s, built, timeline, firstPath, stepPhase);
console.log(dueCount, stop, fleetReports, status, keyColumn, sync);
console.log(fixTitle, fixAt, fixText, editEnd, oneEdit);
console.log(printed, printedInBrowser, rehearsedStep, passed, badOutcome);
