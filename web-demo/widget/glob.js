// Path globs over "/"-separated paths: `*` (within a segment), `?`, `**`
// (any number of segments, including none when written as `**/`).

// The package's own defaults (lintDiff uses them when given no globs).
export const DEFAULT_GLOBS = ["db/migrate/**", "db/post_migrate/**", "**/*.sql"];

export function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      if (glob[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether `path` matches any of `globs`. */
export function matchesAny(path, globs) {
  return globs.some((g) => globToRegExp(g.trim()).test(path));
}

// Matched by a glob but not SQL (Rails and Django migrations are code).
const NOT_SQL = /\.(rb|py|js|mjs|cjs|ts|go|java|kt|scala|php|exs?|cs|rs|md|ya?ml|json|xml|toml|lock)$/i;

/** Whether `path` is an SQL migration: matched by `globs` and not a code file. */
export function isMigration(path, globs = DEFAULT_GLOBS) {
  return matchesAny(path, globs) && !NOT_SQL.test(path);
}

/** Globs from an attribute value: comma- or newline-separated; `fallback` when there are none. */
export function parseGlobs(text, fallback = DEFAULT_GLOBS) {
  const globs = String(text ?? "").split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  return globs.length ? globs : fallback;
}
