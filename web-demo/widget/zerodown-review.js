// <zerodown-review diff="..." globs="db/migrate/**, **/*.sql" module-url="/pkg/web/zerodown.js">
// Properties: diff (string), files ([{path, sql, diff?}]), globs (string[]),
// options (lint options), linter ({lintFiles(files, options)}; default: the
// zerodown package loaded from `module-url`). Fires `zerodown-review` with
// the report in `detail` after each render.
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
  static observedAttributes = ["diff", "globs", "module-url"];

  #diff = null;
  #files = null;
  #globs = null;
  #options = {};
  #linter = null;
  #queued = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    adoptStyles(root, BASE_CSS, TIMELINE_CSS, REVIEW_CSS);
    this.view = new ReviewView(root, { lint: (files, options) => this.#lint(files, options) });
  }

  get diff() { return this.#diff ?? this.getAttribute("diff"); }
  set diff(v) { this.#diff = v; this.#files = null; this.#render(); }
  get files() { return this.#files; }
  set files(v) { this.#files = v; this.#render(); }
  get globs() { return this.#globs ?? parseGlobs(this.getAttribute("globs")); }
  set globs(v) { this.#globs = v; this.#render(); }
  get options() { return this.#options; }
  set options(v) { this.#options = v ?? {}; this.#render(); }
  get linter() { return this.#linter; }
  set linter(v) { this.#linter = v; this.#render(); }

  connectedCallback() { this.#render(); }
  attributeChangedCallback() { this.#render(); }

  async #lint(files, options) {
    const url = this.getAttribute("module-url");
    const linter = this.#linter ?? await loadPackage(url ? new URL(url, document.baseURI).href : DEFAULT_MODULE);
    return linter.lintFiles(files, options);
  }

  #render() {
    if (this.#queued || !this.isConnected) return;
    this.#queued = true;
    queueMicrotask(async () => {
      this.#queued = false;
      const report = await this.view.show({ diff: this.diff, files: this.#files, globs: this.globs, options: this.#options });
      this.dispatchEvent(new CustomEvent("zerodown-review", { detail: report }));
    });
  }
}

if (!customElements.get("zerodown-review")) customElements.define("zerodown-review", ZerodownReview);
