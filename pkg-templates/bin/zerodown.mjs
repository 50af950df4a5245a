#!/usr/bin/env node
// `npx zerodown`: the native CLI's `lint`, `plan`, `rules` and `explain` commands on
// the WebAssembly build. Same flags, same text and JSON, same exit codes:
// 0 clean, 1 error-level findings, 2 usage, I/O or config errors.
// Text output is never coloured.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as zd from "../node/index.mjs";

const EXIT_USAGE = 2;

class UsageError extends Error {}

const HELP = `Zero-downtime migration rules for PostgreSQL

Usage: zerodown <COMMAND>

Commands:
  lint     Lint migration files and folders for changes that cause downtime
  plan     Plan a change as safe steps across releases
  rules    List the rules
  explain  Print a rule's documentation

Options:
  -h, --help     Print help
  -V, --version  Print version
`;

const LINT_HELP = `Lint migration files and folders for changes that cause downtime

Usage: zerodown lint [OPTIONS] <PATHS>...

Arguments:
  <PATHS>...  Files and folders (folders are searched for *.sql)

Options:
      --format <FORMAT>        Output format: text or json [default: text]
      --phase <PHASE>          The phase of every file: regular, post-deploy or background (default: from the path)
      --pg-version <PG_VERSION>  Target PostgreSQL major version (default 14)
      --large-table <NAME>     A large table (repeatable): data changes on it must be batched
      --assume-in-transaction  Files run inside a transaction even without BEGIN
      --release <RELEASE>      The release these migrations ship in: plans are laid out from it
      --config <CONFIG>        Config file (default: zerodown.toml found from the current folder upwards)
      --rule <RULE=LEVEL>      Set a rule's level: RULE=error|warning|info|off (repeatable)
      --no-plans               Leave step plans out of the output
      --color <COLOR>          Accepted for compatibility; the output is never coloured
  -h, --help                   Print help
`;

/** Splits argv into flags (with values) and positionals, as clap does. */
function parseArgs(argv, spec) {
  const values = {};
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "-") {
      if (arg === "-h") return { help: true };
      positionals.push(arg);
      continue;
    }
    let [name, value] = arg.slice(2).split(/=(.*)/s);
    if (name === "help") return { help: true };
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unexpected argument '--${name}' found`);
    if (kind === "bool") {
      if (value !== undefined) throw new UsageError(`unexpected value '${value}' for '--${name}' found`);
      values[name] = true;
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`a value is required for '--${name}' but none was supplied`);
      value = argv[++i];
    }
    if (kind === "two") {
      if (i + 1 >= argv.length) throw new UsageError(`2 values required for '--${name}' but 1 was provided`);
      value = [value, argv[++i]];
    }
    if (kind === "many") (values[name] ??= []).push(value);
    else values[name] = value;
  }
  return { values, positionals };
}

const PHASES = {
  regular: "regular",
  "pre-deploy": "regular",
  "post-deploy": "post-deploy",
  "post-migrate": "post-deploy",
  postdeploy: "post-deploy",
  background: "background",
};

function parsePhase(s) {
  const phase = PHASES[s.trim().toLowerCase().replaceAll("_", "-")];
  if (!phase) {
    throw new UsageError(
      `invalid value '${s}' for '--phase <PHASE>': \`${s}\` is not a phase: use regular, post-deploy or background`,
    );
  }
  return phase;
}

/** `zerodown.toml` in the current folder or the nearest parent. */
function findConfig() {
  let dir = process.cwd();
  for (;;) {
    const candidate = join(dir, "zerodown.toml");
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The config (if any) with the flags applied over it. */
function lintOptions(v) {
  const path = v.config ?? findConfig();
  let o = {};
  if (path !== undefined) {
    let text;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new Error(`cannot read ${path}: ${e.message}`);
    }
    o = zd.parseConfig(text, path);
  }
  if (v.phase !== undefined) o.phase = parsePhase(v.phase);
  if (v["pg-version"] !== undefined) {
    const n = v["pg-version"];
    if (!/^\+?\d+$/.test(n) || Number(n) > 0xffffffff) {
      throw new UsageError(`invalid value '${n}' for '--pg-version <PG_VERSION>': invalid digit found in string`);
    }
    o.pgVersion = Number(n);
  }
  if (v["large-table"]) o.largeTables = [...(o.largeTables ?? []), ...v["large-table"]];
  if (v["assume-in-transaction"]) o.assumeInTransaction = true;
  if (v.release !== undefined) o.release = v.release;
  for (const r of v.rule ?? []) {
    const eq = r.indexOf("=");
    if (eq < 0) throw new Error(`--rule \`${r}\`: write RULE=LEVEL`);
    const [id, level] = [r.slice(0, eq), r.slice(eq + 1)];
    if (!["error", "warning", "info", "off"].includes(level)) {
      throw new Error(`--rule \`${r}\`: \`${level}\` is not error, warning, info or off`);
    }
    o.rules = { ...(o.rules ?? {}), [id]: level };
  }
  if (v["no-plans"]) o.plans = false;
  // Validate before touching files, as the native CLI does: linting no files
  // checks the options and nothing else.
  zd.lintFiles([], o);
  return o;
}

function isSqlFile(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 && name.slice(dot + 1).toLowerCase() === "sql";
}

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = dir.endsWith("/") ? dir + name : `${dir}/${name}`;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (isSqlFile(name)) out.push(path);
  }
}

/** Expands folders into their `.sql` files. */
function collect(paths) {
  const out = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new Error(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) {
      try {
        walk(p, out);
      } catch (e) {
        throw new Error(`cannot read ${p}: ${e.message}`);
      }
    } else if (st.isFile()) out.push(p);
    else throw new Error(`${p}: no such file or folder`);
  }
  return [...new Set(out)].sort();
}

/** Length of the longest valid UTF-8 prefix of `bytes`. */
function validUpTo(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let n;
    let min;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { n = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { n = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return i;
}

function readSources(paths) {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  return paths.map((p) => {
    let bytes;
    try {
      bytes = readFileSync(p);
    } catch (e) {
      throw new Error(`cannot read ${p}: ${e.message}`);
    }
    let sql;
    try {
      sql = decoder.decode(bytes);
    } catch {
      throw new Error(`${p}: not UTF-8 text (invalid byte at offset ${validUpTo(bytes)})`);
    }
    return { path: p.replaceAll("\\", "/"), sql };
  });
}

function lintCommand(argv) {
  const args = parseArgs(argv, {
    format: "one",
    phase: "one",
    "pg-version": "one",
    "large-table": "many",
    "assume-in-transaction": "bool",
    release: "one",
    config: "one",
    rule: "many",
    "no-plans": "bool",
    color: "one",
  });
  if (args.help) {
    process.stdout.write(LINT_HELP);
    return 0;
  }
  const { values: v, positionals } = args;
  const format = v.format ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`invalid value '${format}' for '--format <FORMAT>'`);
  }
  if (positionals.length === 0) {
    throw new UsageError("the following required arguments were not provided:\n  <PATHS>...");
  }
  const options = lintOptions(v);
  const sources = readSources(collect(positionals));
  const report = zd.lintFiles(sources, options);
  if (format === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(zd.formatText(report, sources));
  return report.summary.errors > 0 ? 1 : 0;
}

const PLAN_HELP = `Plan a change as safe steps across releases

Usage: zerodown plan [OPTIONS] <KIND> <TARGET> [ARGS]...

Arguments:
  <KIND>     The change kind: drop-column, rename-column, change-column-type, ...
  <TARGET>   What it applies to: TABLE.COLUMN, TABLE or an index name
  [ARGS]...  The kind's other arguments (new name, new type, referenced column, ...)

Options:
      --release <RELEASE>        The release the first step ships in (e.g. 16.4)
      --format <FORMAT>          text, json or sql [default: text]
      --out <OUT>                Folder for --format sql
      --layout <LAYOUT> <DIR>    --layout release-dir DIR: write into a release-migrations folder
      --using <USING>            Cast or conversion, in terms of the old column
      --type <TYPE>              The column's current type
      --from <DEFAULT>           The column's current default
      --definition <DEFINITION>  The dropped index's definition
      --rollover <ROLLOVER>      The last minor of a major
      --calendar <CALENDAR>      monthly:DAY:YYYY-MM or YYYY-MM-DD,YYYY-MM-DD,...
      --framework <FRAMEWORK>    rails or plain [default: plain]
      --pg-version <PG_VERSION>  Target PostgreSQL major version (default 14)
      --batch-size <BATCH_SIZE>  Rows per batch of batched copies and backfills
      --batch-column <COLUMN>    The integer column batched loops walk (default id)
      --name <NAME>              Constraint or index name
      --on-delete <ON_DELETE>    ON DELETE action of a foreign key
      --unique                   A unique index
      --primary-key              A primary key instead of a unique constraint
      --method <METHOD>          Index method (btree, gin, ...)
      --where <PREDICATE>        Partial index predicate, or the rows a backfill touches
      --table <TABLE>            Table of a dropped index
      --has-default              The column has a default
  -h, --help                     Print help
`;

/** An unsigned integer flag, checked as clap checks it. */
function uint(v, flag, max) {
  if (v === undefined) return undefined;
  if (!/^\+?\d+$/.test(v)) throw new UsageError(`invalid value '${v}' for '${flag}': invalid digit found in string`);
  const n = Number(v);
  if (n > max) throw new UsageError(`invalid value '${v}' for '${flag}': number too large to fit in target type`);
  return n;
}

function framework(text) {
  const f = text.trim().toLowerCase();
  if (f === "rails") return "rails";
  if (f === "plain" || f === "none") return "plain";
  throw new Error(`\`${f}\` is not a framework: use rails or plain`);
}

function planCommand(argv) {
  const args = parseArgs(argv, {
    release: "one",
    format: "one",
    out: "one",
    layout: "two",
    using: "one",
    type: "one",
    from: "one",
    definition: "one",
    rollover: "one",
    calendar: "one",
    framework: "one",
    "pg-version": "one",
    "batch-size": "one",
    "batch-column": "one",
    name: "one",
    "on-delete": "one",
    unique: "bool",
    "primary-key": "bool",
    method: "one",
    where: "one",
    table: "one",
    "has-default": "bool",
  });
  if (args.help) {
    process.stdout.write(PLAN_HELP);
    return 0;
  }
  const { values: v, positionals } = args;
  const format = v.format ?? "text";
  if (!["text", "json", "sql"].includes(format)) {
    throw new UsageError(`invalid value '${format}' for '--format <FORMAT>'`);
  }
  if (positionals.length < 2) {
    throw new UsageError("the following required arguments were not provided:\n  <KIND>\n  <TARGET>");
  }
  const [kind, target, ...rest] = positionals;
  const rollover = uint(v.rollover, "--rollover <ROLLOVER>", Number.MAX_SAFE_INTEGER);
  const pgVersion = uint(v["pg-version"], "--pg-version <PG_VERSION>", 0xffffffff);
  const batchSize = uint(v["batch-size"], "--batch-size <BATCH_SIZE>", 0xffffffff);
  const change = zd.changeFromArgs(kind, target, rest, {
    using: v.using,
    columnType: v.type,
    name: v.name,
    onDelete: v["on-delete"],
    unique: v.unique === true,
    primaryKey: v["primary-key"] === true,
    method: v.method,
    predicate: v.where,
    table: v.table,
    batchSize,
    hasDefault: v["has-default"] === true,
  });
  const options = { framework: framework(v.framework ?? "plain") };
  const set = (key, value) => {
    if (value !== undefined) options[key] = value;
  };
  set("release", v.release);
  set("rollover", rollover);
  set("columnType", v.type);
  set("previousDefault", v.from);
  set("indexDefinition", v.definition);
  if (v.calendar !== undefined) options.calendar = zd.parseCalendar(v.calendar);
  set("pgVersion", pgVersion);
  set("batchSize", batchSize);
  set("batchColumn", v["batch-column"]);
  const plan = zd.plan(change, options);
  if (format === "text") process.stdout.write(zd.formatPlan(plan));
  else if (format === "json") process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else {
    let out = v.out;
    if (v.layout !== undefined) {
      const [layout, dir] = v.layout;
      if (layout !== "release-dir") {
        throw new Error(`--layout \`${layout}\` is not known: use --layout release-dir DIR`);
      }
      out = dir;
    }
    if (out === undefined) throw new Error("--format sql writes files: give the folder with --out DIR");
    for (const f of zd.planFiles(plan)) {
      const path = out === "" || out.endsWith("/") ? out + f.path : `${out}/${f.path}`;
      const dir = path.slice(0, path.lastIndexOf("/"));
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw new Error(`cannot create ${dir}: ${e.message}`);
      }
      try {
        writeFileSync(path, f.contents);
      } catch (e) {
        throw new Error(`cannot write ${path}: ${e.message}`);
      }
      process.stdout.write(`${path}\n`);
    }
  }
  return 0;
}

function rulesCommand(argv) {
  const args = parseArgs(argv, { format: "one" });
  if (args.help) {
    process.stdout.write("List the rules\n\nUsage: zerodown rules [--format text|json]\n");
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' found`);
  const rules = zd.rules();
  const format = args.values.format ?? "text";
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
  } else if (format === "text") {
    const width = Math.max(0, ...rules.map((r) => r.id.length));
    for (const r of rules) {
      process.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}\n`);
    }
  } else {
    throw new UsageError(`invalid value '${format}' for '--format <FORMAT>'`);
  }
  return 0;
}

function explainCommand(argv) {
  const args = parseArgs(argv, {});
  if (args.help) {
    process.stdout.write("Print a rule's documentation\n\nUsage: zerodown explain <RULE>\n");
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError("explain takes exactly one rule id");
  process.stdout.write(zd.explain(args.positionals[0]));
  return 0;
}

function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case "lint":
      return lintCommand(rest);
    case "plan":
      return planCommand(rest);
    case "rules":
      return rulesCommand(rest);
    case "explain":
      return explainCommand(rest);
    case "-V":
    case "--version":
      process.stdout.write(`zerodown ${zd.version()}\n`);
      return 0;
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(HELP);
      return 0;
    case undefined:
      process.stderr.write(HELP);
      return EXIT_USAGE;
    default:
      throw new UsageError(`unrecognized subcommand '${command}'`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = EXIT_USAGE;
}
