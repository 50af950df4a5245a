//! Which phase a file runs in, from options, its header or its path. The
//! engine (`lint`) and the release layout (`release`) both infer phases, so
//! this lives below both; the header itself is read by `sql::parse_header`.

use super::{LintOptions, Phase};

/// The phase of the file at `path`: `--phase` (or `phase` in options) first,
/// then a `-- zerodown: phase=...` header, then the configured globs, then
/// the conventional folders (`db/post_migrate/`, `post-deploy`,
/// `background_migrations`), else regular.
pub fn infer_phase(path: &str, header: Option<Phase>, options: &LintOptions) -> Phase {
    if let Some(p) = options.phase {
        return p;
    }
    if let Some(p) = header {
        return p;
    }
    let path = path.replace('\\', "/");
    if let Some(g) = options.phases.iter().find(|g| glob_match(&g.glob, &path)) {
        return g.phase;
    }
    phase_from_path(&path)
}

/// The phase the path's folders name.
pub fn phase_from_path(path: &str) -> Phase {
    let lower = path.to_ascii_lowercase();
    let segments: Vec<&str> = lower.split('/').collect();
    let dirs = &segments[..segments.len().saturating_sub(1)];
    if dirs.iter().any(|s| {
        matches!(
            *s,
            "post_migrate" | "post-migrate" | "post_deploy" | "post-deploy" | "postdeploy"
        )
    }) {
        Phase::PostDeploy
    } else if dirs.iter().any(|s| {
        matches!(
            *s,
            "background_migrations" | "background-migrations" | "background"
        )
    }) {
        Phase::Background
    } else {
        Phase::Regular
    }
}

/// Matches a `/`-separated path against a glob with `*` (within a segment),
/// `?` (one character) and `**` (any number of segments). A glob with no `/`
/// matches the file name anywhere, as in `.gitignore`.
pub fn glob_match(glob: &str, path: &str) -> bool {
    let path = path.trim_start_matches("./");
    let glob = glob.trim_start_matches("./");
    if !glob.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return segment_match(glob.as_bytes(), name.as_bytes());
    }
    let g: Vec<&str> = glob.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    segments_match(&g, &p)
}

fn segments_match(g: &[&str], p: &[&str]) -> bool {
    match g.split_first() {
        None => p.is_empty(),
        Some((&"**", rest)) => (0..=p.len()).any(|k| segments_match(rest, &p[k..])),
        Some((first, rest)) => {
            !p.is_empty()
                && segment_match(first.as_bytes(), p[0].as_bytes())
                && segments_match(rest, &p[1..])
        }
    }
}

fn segment_match(g: &[u8], s: &[u8]) -> bool {
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut gi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if gi < g.len() && (g[gi] == b'?' || g[gi] == s[si]) {
            gi += 1;
            si += 1;
        } else if gi < g.len() && g[gi] == b'*' {
            star = Some((gi, si));
            gi += 1;
        } else if let Some((sg, ss)) = star {
            gi = sg + 1;
            si = ss + 1;
            star = Some((sg, ss + 1));
        } else {
            return false;
        }
    }
    while gi < g.len() && g[gi] == b'*' {
        gi += 1;
    }
    gi == g.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match(
            "db/post_migrate/**",
            "db/post_migrate/2024_x.sql"
        ));
        assert!(glob_match(
            "**/migrations/**/*.sql",
            "a/b/migrations/x/y.sql"
        ));
        assert!(glob_match("**/migrations/**/*.sql", "migrations/y.sql"));
        assert!(glob_match("*.sql", "deep/dir/file.sql"));
        assert!(!glob_match("db/migrate/*.sql", "db/migrate/sub/file.sql"));
        assert!(glob_match("db/*/??_*.sql", "db/x/01_a.sql"));
    }

    #[test]
    fn phases_from_paths() {
        assert_eq!(
            phase_from_path("db/post_migrate/1_drop.sql"),
            Phase::PostDeploy
        );
        assert_eq!(phase_from_path("db/migrate/1_add.sql"), Phase::Regular);
        assert_eq!(
            phase_from_path("release/16.4/post-deploy/x.sql"),
            Phase::PostDeploy
        );
        // Only folders count, not the file name.
        assert_eq!(phase_from_path("db/migrate/post_deploy"), Phase::Regular);
    }
}
