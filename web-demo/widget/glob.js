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
