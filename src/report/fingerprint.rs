//! Finding fingerprints: what a CI platform uses to tell a finding it has
//! seen from a new one (GitLab Code Quality's `fingerprint`, SARIF's
//! `partialFingerprints`).
//!
//! A fingerprint hashes (XXH3-128, in hex) the statement's text, the rule,
//! the path and the finding's own text with runs of ASCII whitespace made
//! one space, and the finding's rank among findings of the file with the same
//! four. Each statement is hashed once. No line number or offset goes in:
//! lines added above a finding, or edits to other statements, keep it.
//! Editing the statement changes it, and so does moving the file.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_128;

use super::{Finding, Span};

/// Sets `fingerprint` on each finding of one file, whose text is `text`.
/// Each statement's text is hashed once, however many findings it has.
pub fn assign(text: &str, findings: &mut [Finding]) {
    let mut ranks = Ranks::default();
    let mut statements: HashMap<(u32, u32), u128> = HashMap::new();
    for f in findings.iter_mut() {
        let slice = |s: &Span| {
            text.get(s.start.offset as usize..s.end.offset as usize)
                .unwrap_or("")
        };
        let at = (f.statement.start.offset, f.statement.end.offset);
        let statement = match statements.get(&at) {
            Some(d) => *d,
            None => {
                let d = ranks.digest(&[slice(&f.statement)]);
                statements.insert(at, d);
                d
            }
        };
        let parts = [f.rule.as_str(), f.path.as_str(), slice(&f.span)];
        f.fingerprint = Some(ranks.next(statement, &parts));
    }
}

/// Fingerprints of a sequence of findings: each the hash of its parts and
/// its rank among equal ones so far.
#[derive(Default)]
pub struct Ranks {
    seen: HashMap<u128, u64>,
    /// The text being hashed, reused.
    buf: Vec<u8>,
}

impl Ranks {
    /// XXH3-128 of `parts`, each trimmed, with runs of ASCII whitespace made
    /// one space, and ended by a 0 byte.
    fn digest(&mut self, parts: &[&str]) -> u128 {
        self.buf.clear();
        for part in parts {
            for (i, word) in part.split_ascii_whitespace().enumerate() {
                if i > 0 {
                    self.buf.push(b' ');
                }
                self.buf.extend_from_slice(word.as_bytes());
            }
            self.buf.push(0);
        }
        xxh3_128(&self.buf)
    }

    /// The next finding's fingerprint, from its parts.
    pub fn fingerprint(&mut self, parts: &[&str]) -> String {
        self.next(0, parts)
    }

    /// The next finding's fingerprint, from its statement's digest and parts.
    fn next(&mut self, statement: u128, parts: &[&str]) -> String {
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(&statement.to_le_bytes());
        key[16..].copy_from_slice(&self.digest(parts).to_le_bytes());
        let key = xxh3_128(&key);
        let rank = self.seen.entry(key).or_insert(0);
        let mut last = [0u8; 24];
        last[..16].copy_from_slice(&key.to_le_bytes());
        last[16..].copy_from_slice(&rank.to_le_bytes());
        *rank += 1;
        format!("{:032x}", xxh3_128(&last))
    }
}
