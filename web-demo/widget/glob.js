// Path globs over "/"-separated paths: `*` (within a segment), `?`, `**`
// (any number of segments, including none), as the Rust core reads them.

// The package's own defaults (lintDiff uses them when given no globs).
export const DEFAULT_GLOBS = ["db/migrate/**", "db/post_migrate/**", "**/*.sql"];

/**
 * Whether the "/"-separated `path` matches `glob`: `*` and `?` within one
 * segment, `**` as a whole segment for any number of segments (none
 * included), a leading "./" ignored, and a glob without "/" matching the
 * file name anywhere (as in .gitignore). The same as the Rust core's
 * `glob_match`: both pass every case of tests/fixtures/globs.json.
 */
export function globMatch(glob, path) {
  const strip = (s) => (s.startsWith("./") ? strip(s.slice(2)) : s);
  const g = strip(String(glob));
  const p = strip(String(path));
  if (!g.includes("/")) return segmentMatch(g, p.slice(p.lastIndexOf("/") + 1));
  return segmentsMatch(g.split("/"), p.split("/"));
}

function segmentsMatch(g, p) {
  if (g.length === 0) return p.length === 0;
  if (g[0] === "**") {
    for (let k = 0; k <= p.length; k++) if (segmentsMatch(g.slice(1), p.slice(k))) return true;
    return false;
  }
  return p.length > 0 && segmentMatch(g[0], p[0]) && segmentsMatch(g.slice(1), p.slice(1));
}

/** Wildcards within one segment, backtracking to the last `*`. */
function segmentMatch(g, s) {
  let gi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (gi < g.length && (g[gi] === "?" || g[gi] === s[si])) {
      gi++;
      si++;
    } else if (gi < g.length && g[gi] === "*") {
      star = gi;
      mark = si;
      gi++;
    } else if (star >= 0) {
      gi = star + 1;
      mark++;
      si = mark;
    } else {
      return false;
    }
  }
  while (gi < g.length && g[gi] === "*") gi++;
  return gi === g.length;
}

/** Whether `path` matches any of `globs`. */
export function matchesAny(path, globs) {
  return globs.some((g) => globMatch(g.trim(), path));
}

// Matched by a glob but not read: code migrations zerodown has no front end
// for (Django, Go, ...). Rails migrations (`.rb`) are read, by the package's
// Ruby module.
const NOT_READ = /\.(py|js|mjs|cjs|ts|go|java|kt|scala|php|exs?|cs|rs|md|ya?ml|json|xml|toml|lock)$/i;
// Never migrations, whatever the globs: Rails' Ruby schema dump, GitLab's
// records of the migrations that ran (db/schema_migrations/<timestamp>).
const NEVER = /(^|\/)(schema\.rb$|schema_migrations\/)/i;

/** Whether `path` is a Rails migration (`.rb`) `globs` match: the package's Ruby module reads it. */
export function isRubyMigration(path, globs = DEFAULT_GLOBS) {
  return /\.rb$/i.test(path) && !NEVER.test(path) && matchesAny(path, globs);
}

/**
 * Whether `path` is a migration zerodown reads: matched by `globs`, SQL or
 * a Rails migration (Ruby), not other code.
 */
export function isMigration(path, globs = DEFAULT_GLOBS) {
  return matchesAny(path, globs) && !NEVER.test(path) && !NOT_READ.test(path);
}

/** Globs from an attribute value: comma- or newline-separated; `fallback` when there are none. */
export function parseGlobs(text, fallback = DEFAULT_GLOBS) {
  const globs = String(text ?? "").split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  return globs.length ? globs : fallback;
}
