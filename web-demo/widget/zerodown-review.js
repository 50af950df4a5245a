// <zerodown-review diff="..." globs="db/migrate/**, **/*.sql" module-url="/pkg/web/zerodown.js"
//                  ruby-module-url="/pkg/ruby/zerodown.js">
// tool (attribute or property): the migration tool that runs the change's
// migrations, `auto` (default: detected from the change's paths and
// markers) or a name (`prisma`, `golang-migrate`, ...; `plain`: every file,
// no transaction assumed). The review says which tool it read the change
// as, and which migrations the tool does not run (down scripts).
// Properties: diff (string), files ([{path, sql}]), globs (string[]),
// unchecked ([{path, reason}]: files the page could not read), options (lint
// options), linter ({lintDiff, lintFiles}; default: the zerodown package
// loaded from `module-url`). A change holding a Rails migration (`.rb`) is
// linted by the package's Ruby module instead, loaded from
// `ruby-module-url` (default: `../ruby/zerodown.js` next to the lint
// module's folder, as the package lays them out) only then; with a `linter`
// set, its `ruby` property ({lintDiff, lintFiles}) when it has one.
// schema (string or null): a schema dump (`db/structure.sql`) the change is
// checked against. It is read once per module with that module's
// `loadSchema` (a `linter` needs one too) and every review lints the diff
// with the handle's `lintDiff`; setting another text frees the handles and
// reviews again. The review says what it was checked against and lists the
// statements of the dump it skipped. Fires
// `zerodown-review` with the report in
// `detail` after each render, and `zerodown-review-error` (detail: {error,
// message}) when a review fails: the element then shows the error, never the
// previous review.
import { ReviewView, REVIEW_CSS } from "./review.js";
import { parseGlobs } from "./glob.js";
import { adoptStyles, BASE_CSS, TIMELINE_CSS } from "../lib/styles.js";

// Where serve.mjs puts the package, relative to this file.
const DEFAULT_MODULE = new URL("../pkg/web/zerodown.js", import.meta.url).href;
const modules = new Map();

/** Loads and initialises the package once per URL. */
function loadPackage(url) {
  if (!modules.has(url)) {
    modules.set(url, import(url).then(async (mod) => {
      await mod.default();
      return mod;
    }));
  }
  return modules.get(url);
}

export class ZerodownReview extends HTMLElement {
  static observedAttributes = ["diff", "globs", "tool", "module-url", "ruby-module-url"];

  #diff = null;
  #files = null;
  #globs = null;
  #tool = null;
  #unchecked = [];
  #options = {};
  #linter = null;
  #queued = false;
  #schema = null;
  #schemas = new Map(); // module (or linter) -> its Schema handle of #schema
  #schemaUsed = null; // the handle the last lint ran on

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    adoptStyles(root, BASE_CSS, TIMELINE_CSS, REVIEW_CSS);
    this.view = new ReviewView(root, {
      lintDiff: async (diff, options, migrations, how) => this.#withSchema(await this.#linter_(how?.ruby)).lintDiff(diff, options, migrations),
      lintFiles: async (files, options, how) => this.#withSchema(await this.#linter_(how?.ruby)).lintFiles(files, options),
      schemaInfo: () => {
        const s = this.#schemaUsed;
        return s ? { counts: s.counts, problems: s.problems } : null;
      },
    });
  }

  get diff() { return this.#diff ?? this.getAttribute("diff"); }
  set diff(v) { this.#diff = v; this.#files = null; this.#render(); }
  get files() { return this.#files; }
  set files(v) { this.#files = v; this.#render(); }
  /** The globs set, or null for the package's defaults. */
  get globs() { return this.#globs ?? parseGlobs(this.getAttribute("globs"), null); }
  set globs(v) { this.#globs = v; this.#render(); }
  /** The migration tool that runs the change's migrations: `auto` (default: detected) or a tool's name. */
  get tool() { return this.#tool ?? this.getAttribute("tool") ?? "auto"; }
  set tool(v) { this.#tool = v; this.#render(); }
  get unchecked() { return this.#unchecked; }
  set unchecked(v) { this.#unchecked = v ?? []; this.#render(); }
  get options() { return this.#options; }
  set options(v) { this.#options = v ?? {}; this.#render(); }
  get linter() { return this.#linter; }
  set linter(v) { this.#linter = v; this.#render(); }

  /** The schema dump the change is checked against, or null. */
  get schema() { return this.#schema; }
  set schema(v) {
    v = v === null || v === undefined || v === "" ? null : String(v);
    if (v === this.#schema) return;
    for (const handle of this.#schemas.values()) handle.free?.();
    this.#schemas.clear();
    this.#schemaUsed = null;
    this.#schema = v;
    this.#render();
  }

  /** What lints: `linter`, or its schema handle (read on first use in that module) when a schema is set. */
  #withSchema(linter) {
    if (this.#schema === null) {
      this.#schemaUsed = null;
      return linter;
    }
    let handle = this.#schemas.get(linter);
    if (!handle) {
      if (typeof linter.loadSchema !== "function") throw new Error("this linter has no loadSchema: it cannot check the change against a schema");
      handle = linter.loadSchema(this.#schema, "db/structure.sql");
      this.#schemas.set(linter, handle);
    }
    this.#schemaUsed = handle;
    return handle;
  }

  connectedCallback() { this.#render(); }
  attributeChangedCallback() { this.#render(); }

  /** The package's lint module, or its Ruby module when `ruby` (a change with a `.rb` migration). */
  async #linter_(ruby = false) {
    if (this.#linter) return (ruby && this.#linter.ruby) || this.#linter;
    const given = this.getAttribute("module-url");
    const lint = given ? new URL(given, document.baseURI).href : DEFAULT_MODULE;
    if (!ruby) return loadPackage(lint);
    const rubyUrl = this.getAttribute("ruby-module-url");
    return loadPackage(rubyUrl ? new URL(rubyUrl, document.baseURI).href : new URL("../ruby/zerodown.js", lint).href);
  }

  #render() {
    if (this.#queued || !this.isConnected) return;
    this.#queued = true;
    queueMicrotask(async () => {
      this.#queued = false;
      let report;
      try {
        // `options.tool` wins over the attribute.
        const options = { tool: this.tool, ...this.#options };
        report = await this.view.show({ diff: this.diff, files: this.#files, globs: this.globs, options, unchecked: this.#unchecked });
      } catch (error) {
        this.dispatchEvent(new CustomEvent("zerodown-review-error", { detail: { error, message: String(error?.message ?? error) } }));
        return;
      }
      if (report) this.dispatchEvent(new CustomEvent("zerodown-review", { detail: report }));
    });
  }
}

if (!customElements.get("zerodown-review")) customElements.define("zerodown-review", ZerodownReview);
