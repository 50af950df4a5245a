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

/** GitLab `/<group>/<project>/-/merge_requests/<n>` (and `.diff`), GitHub `/<owner>/<repo>/pull/<n>`. */
function fixtureRoute(path) {
  if (/^\/[^/]+\/[^/]+\/-\/merge_requests\/\d+\.diff$/.test(path)) return join(FIXTURES, "mr.diff");
  if (/^\/[^/]+\/[^/]+\/-\/merge_requests\/\d+(\/diffs)?$/.test(path)) return join(FIXTURES, "gitlab-mr.html");
  if (/^\/[^/]+\/[^/]+\/pull\/\d+(\/files)?$/.test(path)) return join(FIXTURES, "github-pr.html");
  return null;
}

export async function serve() {
  const server = await startServer({ route: fixtureRoute });
  const base = `http://localhost:${server.address().port}`;
  return { base, close: () => new Promise((ok) => server.close(ok)) };
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
