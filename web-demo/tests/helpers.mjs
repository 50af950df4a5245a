// Shared by the end-to-end tests: the demo server (with routes that mimic
// merge-request URLs) and a headless Chromium from playwright-core.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "../serve.mjs";

export const DEMO = fileURLToPath(new URL("..", import.meta.url));
export const ROOT = join(DEMO, "..");
export const FIXTURES = join(DEMO, "tests", "fixtures");
export const SCREENSHOTS = join(ROOT, "docs", "screenshots");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--hide-scrollbars",
];

/**
 * Pages that mimic the hosts (and GitLab's merge request API and raw files, for the schema): GitLab `/<group>/<project>/-/merge_requests/<n>`
 * (and its same-origin `.diff`: `mr.diff`, `gitlab-rails-mr.diff` for 16), GitHub `/<owner>/<repo>/pull/<n>` (1: a
 * classic "Files changed" page; 2: tabs that navigate with history.pushState).
 */
function fixtureRoute(path) {
  // GitLab's merge request API (its target branch) for any project, and the
  // raw db/structure.sql of branch main of projects rails/app (a column is
  // missing) and group/project (all there); elsewhere: 404, no Rails.
  if (/^\/api\/v4\/projects\/[^/]+\/merge_requests\/\d+$/.test(path)) return join(FIXTURES, "gitlab-mr.json");
  if (path === "/rails/app/-/raw/main/db/structure.sql") return join(FIXTURES, "structure.sql");
  if (path === "/group/project/-/raw/main/db/structure.sql") return join(FIXTURES, "structure-complete.sql");
  // Merge request 16: a GitLab merge request with Rails migrations (Ruby).
  if (/^\/[^/]+\/[^/]+\/-\/merge_requests\/16\.diff$/.test(path)) return join(FIXTURES, "gitlab-rails-mr.diff");
  if (/^\/[^/]+\/[^/]+\/-\/merge_requests\/\d+\.diff$/.test(path)) return join(FIXTURES, "mr.diff");
  if (/^\/[^/]+\/[^/]+\/-\/merge_requests\/\d+(\/diffs)?$/.test(path)) return join(FIXTURES, "gitlab-mr.html");
  if (/^\/[^/]+\/[^/]+\/pull\/1(\/files)?$/.test(path)) return join(FIXTURES, "github-pr.html");
  if (/^\/[^/]+\/[^/]+\/pull\/2(\/files)?$/.test(path)) return join(FIXTURES, "github-pr-spa.html");
  // Where github.com's `.diff` redirects to (another origin, see serve()).
  if (/^\/raw\/[^/]+\/[^/]+\/pull\/1\.diff$/.test(path)) return join(FIXTURES, "github-pr-1.diff");
  if (/^\/raw\/[^/]+\/[^/]+\/pull\/2\.diff$/.test(path)) return join(FIXTURES, "rails-pr.diff");
  return null;
}

/**
 * The demo server with the fixture routes, at `base` (http://localhost:PORT).
 * As on github.com, `/<owner>/<repo>/pull/<n>.diff` redirects to another
 * origin (http://127.0.0.1:PORT/raw/...), which sends no CORS headers.
 * `requests` lists every path asked for.
 */
export async function serve() {
  const server = await startServer({ route: fixtureRoute });
  const { port } = server.address();
  const base = `http://localhost:${port}`;
  const requests = [];
  const [serveFile] = server.listeners("request");
  server.removeAllListeners("request");
  server.on("request", (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push(`${req.headers.host?.startsWith("127.0.0.1") ? "127.0.0.1" : "localhost"} ${path}`);
    const pull = path.match(/^(\/[^/]+\/[^/]+\/pull\/\d+\.diff)$/);
    if (pull) {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/raw${pull[1]}` }).end();
      return;
    }
    serveFile(req, res);
  });
  return { base, requests, close: () => new Promise((ok) => server.close(ok)) };
}

export async function browser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A persistent context with the unpacked extension at `dir` loaded. */
export async function browserWithExtension(dir) {
  const profile = mkdtempSync(join(tmpdir(), "zerodown-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/** Collects page errors and console errors (a test fails on any). */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}
