// Type-checked (tsc --noEmit) against the installed package: every export's
// input and output is typed, and wrong uses are rejected.
import init, {
  explain,
  formatText,
  lint,
  lintFiles,
  parseConfig,
  rules,
  version,
  type ErrorCode,
  type Finding,
  type LintOptions,
  type LintReport,
  type Phase,
  type RuleInfo,
  type SourceFile,
  type ZerodownError,
} from "zerodown";

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
const phase: Phase = all.files[0].phase;
const catalogue: RuleInfo[] = rules();
const doc: string = explain(catalogue[0].id);
const text: string = formatText(report, files);
const v: string = version();
const fromToml: LintOptions = parseConfig("pg-version = 12\n", "zerodown.toml");
const steps: number | undefined = first?.plan?.releases[0].steps.length;

try {
  lint("SELECT 1;", { pgVersion: 3 });
} catch (e) {
  const code: ErrorCode = (e as ZerodownError).code;
  console.log(code);
}

// @ts-expect-error pgVersion is a number
lint("SELECT 1;", { pgVersion: "15" });
// @ts-expect-error unknown option
lint("SELECT 1;", { pgVesion: 15 });
// @ts-expect-error not a phase
lint("SELECT 1;", { phase: "later" });
// @ts-expect-error files need sql
lintFiles([{ path: "a.sql" }]);
// @ts-expect-error severity is a union of strings
const s: number = report.findings[0].severity;

console.log(again, utf16, doc, text, v, fromToml, steps, s);
