// On a GitLab merge request or a GitHub pull request: collect the changed
// files (GitLab: the merge request's same-origin `.diff`; GitHub: the diff
// shown on the page) and show the zerodown review above the diff. Talks to
// nothing but the page's own origin and the extension's service worker.
(() => {
  "use strict";
  if (window.__zerodownReview) return;
  window.__zerodownReview = true;
  const { ReviewView, REVIEW_CSS, BASE_CSS, TIMELINE_CSS, adoptStyles } = globalThis.zerodownReview;

  const gitlab = location.pathname.match(/^(.*\/-\/merge_requests\/\d+)/);
  const github = location.pathname.match(/^(\/[^/]+\/[^/]+\/pull\/\d+)/);
  if (!gitlab && !github) return;

  const lint = async (files, options) => {
    const answer = await chrome.runtime.sendMessage({ type: "lintFiles", files, options });
    if (!answer?.ok) throw new Error(answer?.error?.message ?? "no answer from the extension");
    return answer.report;
  };

  function mount(anchors) {
    const host = document.createElement("div");
    host.id = "zerodown-review";
    host.style.margin = "12px 0";
    const root = host.attachShadow({ mode: "open" });
    adoptStyles(root, BASE_CSS, TIMELINE_CSS, REVIEW_CSS);
    const anchor = anchors.map((s) => document.querySelector(s)).find(Boolean);
    if (anchor && anchor !== document.body) anchor.before(host);
    else document.body.prepend(host);
    return new ReviewView(root, { lint });
  }

  /** GitHub's diff tables, read back into a unified diff. */
  function diffFromGitHubPage() {
    const out = [];
    for (const file of document.querySelectorAll(".file[data-tagsearch-path], .file:has(.file-header[data-path])")) {
      const path = file.dataset.tagsearchPath ?? file.querySelector(".file-header[data-path]")?.dataset.path;
      if (!path) continue;
      const hunks = [];
      let hunk = null;
      for (const row of file.querySelectorAll("table.diff-table tr")) {
        const hunkCell = row.querySelector(".blob-code-hunk");
        if (hunkCell) {
          hunks.push((hunk = { header: hunkCell.textContent.trim(), rows: [] }));
          continue;
        }
        const code = row.querySelector("td.blob-code");
        if (!code) continue;
        if (!hunk) hunks.push((hunk = { header: "", rows: [] }));
        const nums = [...row.querySelectorAll("td.blob-num")].map((td) => Number(td.dataset.lineNumber) || null);
        const text = (code.querySelector(".blob-code-inner") ?? code).textContent.replace(/\n$/, "");
        const kind = code.classList.contains("blob-code-addition") ? "+" : code.classList.contains("blob-code-deletion") ? "-" : " ";
        hunk.rows.push({ kind, old: nums[0], new: nums[1] ?? nums[0], text });
      }
      const added = hunks.length > 0 && /^@@ -0,0 /.test(hunks[0].header);
      out.push(`diff --git a/${path} b/${path}`, added ? "new file mode 100644" : null, added ? "--- /dev/null" : `--- a/${path}`, `+++ b/${path}`);
      for (const h of hunks) {
        const olds = h.rows.filter((r) => r.kind !== "+");
        const news = h.rows.filter((r) => r.kind !== "-");
        const oldStart = olds[0]?.old ?? 0;
        const newStart = news[0]?.new ?? 0;
        out.push(`@@ -${oldStart},${olds.length} +${newStart},${news.length} @@`);
        for (const r of h.rows) out.push(r.kind + r.text);
      }
    }
    return out.filter((l) => l !== null).join("\n") + "\n";
  }

  async function run() {
    if (gitlab) {
      const view = mount([".merge-request-tabs-holder", ".merge-request-tabs", "#diffs", ".diffs", "main", "#content-body"]);
      const response = await fetch(`${location.origin}${gitlab[1]}.diff`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`cannot read the merge request's diff (${response.status})`);
      await view.show({ diff: await response.text() });
    } else {
      const view = mount(["#files", ".js-diff-progressive-container", "#files_bucket", "main"]);
      await view.show({ diff: diffFromGitHubPage() });
    }
  }

  run().catch((e) => console.warn("zerodown:", e));
})();
