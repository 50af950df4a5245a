//! zerodown's comments: `-- zerodown-ignore RULE[, RULE]: reason`,
//! `-- zerodown-ignore-file RULE[, RULE]` and `-- zerodown: key=value` headers.
//!
//! Only the syntax lives here: the engine (`lint`) decides what an ignore
//! suppresses and which header keys it reads, the release layout
//! (`release`) reads `change=` and `step=` from the same headers.

use std::ops::Range;

use super::LineComment;

/// A suppression comment.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The rules it names (lower-case).
    pub rules: Vec<String>,
    /// The comment's byte range.
    pub span: Range<usize>,
    /// Applies to the whole file.
    pub file_wide: bool,
}

/// Reads a suppression comment, if `comment` is one.
pub fn parse_ignore(comment: &LineComment) -> Option<Ignore> {
    let text = comment.text.as_str();
    let (rest, file_wide) = if let Some(r) = text.strip_prefix("zerodown-ignore-file") {
        (r, true)
    } else if let Some(r) = text.strip_prefix("zerodown-ignore") {
        (r, false)
    } else {
        return None;
    };
    // The reason follows the first colon.
    let list = rest.split(':').next().unwrap_or("");
    let rules = list
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    Some(Ignore {
        rules,
        span: comment.span.clone(),
        file_wide,
    })
}

/// Reads `key=value` pairs of a `-- zerodown: ...` header comment.
pub fn parse_header(comment: &LineComment) -> Vec<(String, String)> {
    let Some(rest) = comment.text.strip_prefix("zerodown:") else {
        return Vec::new();
    };
    rest.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect()
}
