// On a GitLab merge request or a GitHub pull request ("Files changed"): read
// the change's unified diff from its `.diff` endpoint (GitLab: same origin,
// from here; GitHub: its `.diff` redirects to another origin, so the service
// worker fetches it) and show the zerodown review, collapsed to one line,
// above the diff. The page's DOM is never read for the diff, so a file the
// page did not load is checked all the same.
//
// The schema (GitLab): the target branch's `db/structure.sql`, read on the
// same origin (the merge request's target branch from
// `/api/v4/projects/<project>/merge_requests/<n>`, the file from
// `/<project>/-/raw/<branch>/db/structure.sql`), sent with the diff to the
// service worker, which reads it once with loadSchema. When it cannot be
// read (no such file: not a Rails project; no access) the change is reviewed
// without a schema and the review says why. GitHub: not fetched (its raw
// files are served from raw.githubusercontent.com, a host this extension is
// not granted); the review says so.
//
// GitHub and GitLab navigate in the page (Turbo, pjax, history.pushState),
// so this script runs on every page of the host and follows URL changes: the
// review appears when a merge request's page is reached, is put back when the
// page re-renders over it, and is never shown twice.
(() => {
  "use strict";
  if (window.__zerodownReview) return;
  window.__zerodownReview = true;
  const { ReviewView, REVIEW_CSS, BASE_CSS, TIMELINE_CSS, adoptStyles } = globalThis.zerodownReview;
  const MAX_DIFF = 32 * 1024 * 1024; // characters; a larger diff gets a clear error, not a frozen tab

  const ask = async (message) => {
    const answer = await chrome.runtime.sendMessage(message);
    if (!answer?.ok) throw new Error(answer?.error?.message ?? "no answer from the extension");
    return answer;
  };
  // `ruby`: the change holds a Rails migration, which the package's Ruby module reads (loaded only then).
  const MAX_SCHEMA = 64 * 1024 * 1024; // characters
  /** Lints through the service worker, on `schema.text` when there is one; `schema.info` becomes what the review was checked against. */
  const linters = (schema) => ({
    lintDiff: async (diff, options, migrations, how) => {
      const answer = await ask({ type: "lintDiff", diff, options, migrations, ruby: Boolean(how?.ruby), schema: schema.text ?? null });
      schema.info = answer.schema ?? (schema.missing ? { missing: schema.missing } : null);
      return answer.report;
    },
    lintFiles: async (files, options, how) => (await ask({ type: "lintFiles", files, options, ruby: Boolean(how?.ruby) })).report,
  });

  /**
   * The target branch's db/structure.sql of GitLab merge request `iid` of
   * `project`, from this origin: `{text}`, or `{missing}` (why not). Never rejects.
   */
  async function gitlabSchema(project, iid) {
    const get = async (url, accept) => {
      const response = await fetch(url, { credentials: "same-origin", headers: { accept } });
      return { status: response.status, ok: response.ok, response };
    };
    try {
      const mr = await get(`${location.origin}/api/v4/projects/${encodeURIComponent(project)}/merge_requests/${iid}`, "application/json");
      if (!mr.ok) return { missing: `the merge request's target branch could not be read (HTTP ${mr.status})` };
      const branch = (await mr.response.json())?.target_branch;
      if (typeof branch !== "string" || !branch) return { missing: "the merge request has no target branch" };
      const path = `/${project}/-/raw/${branch.split("/").map(encodeURIComponent).join("/")}/db/structure.sql`;
      const file = await get(`${location.origin}${path}`, "text/plain");
      if (file.status === 404) return { missing: `${branch} has no db/structure.sql` };
      if (!file.ok) return { missing: `db/structure.sql of ${branch} could not be read (HTTP ${file.status})` };
      const text = await file.response.text();
      if (text.length > MAX_SCHEMA) return { missing: `db/structure.sql of ${branch} is ${(text.length / 1048576).toFixed(0)} MB, more than the ${MAX_SCHEMA / 1048576} MB read in the browser` };
      return { text };
    } catch (e) {
      return { missing: `db/structure.sql could not be read (${e?.message ?? e})` };
    }
  }

  /**
   * The change the current URL belongs to (`key`), whether this tab shows the
   * review, where it goes, and how to read the diff; null off merge requests.
   */
  function target() {
    const path = location.pathname;
    const gitlab = path.match(/^(\/(.+)\/-\/merge_requests\/(\d+))(?=\/|$)/);
    if (gitlab) {
      return {
        key: `gitlab ${location.origin}${gitlab[1]}`,
        visible: true, // above the tabs, on every tab
        anchors: [".merge-request-tabs-holder", ".merge-request-tabs", "#diffs", ".diffs"],
        read: () => fetchSameOrigin(`${location.origin}${gitlab[1]}.diff`),
        schema: () => gitlabSchema(gitlab[2], gitlab[3]),
      };
    }
    const github = path.match(/^(\/[^/]+\/[^/]+\/pull\/\d+)(?:\/([^/]+))?/);
    if (github) {
      return {
        key: `github ${location.origin}${github[1]}`,
        visible: github[2] === "files" || github[2] === "changes", // "Files changed"
        anchors: ["#files", ".js-diff-progressive-container", "#files_bucket", "[data-testid='progressive-diffs-list']"],
        read: async () => checkSize((await ask({ type: "fetchDiff", path: github[1] })).diff),
        schema: async () => ({ missing: "on GitHub the schema is not fetched (its raw files are served by raw.githubusercontent.com, which this extension has no access to)" }),
      };
    }
    return null;
  }

  function checkSize(diff) {
    if (diff.length > MAX_DIFF) throw new Error(`the diff is ${(diff.length / 1048576).toFixed(0)} MB, more than the ${MAX_DIFF / 1048576} MB the review reads in the browser: nothing was checked`);
    return diff;
  }

  async function fetchSameOrigin(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { accept: "text/plain" } });
    if (!response.ok) throw new Error(`cannot read the merge request's diff (${url}: HTTP ${response.status}): nothing was checked`);
    return checkSize(await response.text());
  }

  /** A review for the change `t`: its host element, filled once the diff is read and linted. */
  function create(t) {
    const host = document.createElement("div");
    host.id = "zerodown-review";
    host.dataset.zerodownKey = t.key;
    host.style.margin = "12px 0";
    const root = host.attachShadow({ mode: "open" });
    adoptStyles(root, BASE_CSS, TIMELINE_CSS, REVIEW_CSS);
    const schema = { text: null, missing: null, info: null };
    const view = new ReviewView(root, { ...linters(schema), collapsible: true, schemaInfo: () => schema.info });
    Promise.all([t.read(), t.schema()])
      .then(([diff, read]) => {
        schema.text = read.text ?? null;
        schema.missing = read.missing ?? null;
        return view.show({ diff });
      }, (error) =>
        // The view's own error state: "could not check", never clean.
        new ReviewView(root, { lintDiff: () => Promise.reject(error), lintFiles: () => Promise.reject(error), collapsible: true }).show({ diff: "" }))
      .catch((e) => console.warn("zerodown:", e));
    return { key: t.key, host };
  }

  function place(host, anchors) {
    const anchor = anchors.map((s) => document.querySelector(s)).find(Boolean);
    if (anchor) anchor.before(host);
    else (document.querySelector("main") ?? document.body).prepend(host);
  }

  let current = null; // { key, host } of the change the URL is on

  /** Brings the page in line with the URL: one review, of this change, where it belongs. */
  function check() {
    const t = target();
    if (!t) current = null;
    else if (current?.key !== t.key) current = create(t);
    const want = t?.visible ? current.host : null;
    for (const el of document.querySelectorAll("#zerodown-review")) if (el !== want) el.remove();
    if (want && !want.isConnected) place(want, t.anchors);
  }

  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      check();
    }, 0);
  };
  for (const type of ["turbo:load", "turbo:render", "pjax:end"]) document.addEventListener(type, schedule);
  window.addEventListener("popstate", schedule);
  // history.pushState in the page: the Navigation API sees it where there is
  // one; a cheap poll (a regular expression and an id lookup a second)
  // everywhere, which also puts the review back when a re-render removed it.
  globalThis.navigation?.addEventListener?.("navigate", schedule);
  globalThis.navigation?.addEventListener?.("currententrychange", schedule);
  setInterval(check, 1000);
  check();
})();
