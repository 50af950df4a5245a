//! Finding fingerprints: what a CI platform uses to tell a finding it has
//! seen from a new one (GitLab Code Quality's `fingerprint`, SARIF's
//! `partialFingerprints`).
//!
//! A fingerprint hashes (SHA-256, the first 128 bits in hex) the rule, the
//! path, the statement's text and the finding's own text with runs of
//! whitespace made one space, and the finding's rank among findings of the
//! file with the same four. No line number or offset goes in: lines added
//! above a finding, or edits to other statements, keep it. Editing the
//! statement changes it, and so does moving the file.

use sha2::{Digest, Sha256};

use super::{Finding, Span};

/// Sets `fingerprint` on each finding of one file, whose text is `text`.
pub fn assign(text: &str, findings: &mut [Finding]) {
    let mut ranks = Ranks::default();
    for f in findings.iter_mut() {
        let slice = |s: &Span| {
            text.get(s.start.offset as usize..s.end.offset as usize)
                .unwrap_or("")
        };
        let parts = [
            f.rule.as_str(),
            f.path.as_str(),
            slice(&f.statement),
            slice(&f.span),
        ];
        f.fingerprint = Some(ranks.fingerprint(&parts));
    }
}

/// Fingerprints of a sequence of findings: each the hash of its parts
/// (whitespace runs made one space) and its rank among equal ones so far.
#[derive(Default)]
pub struct Ranks {
    seen: Vec<[u8; 32]>,
}

impl Ranks {
    /// The next finding's fingerprint.
    pub fn fingerprint(&mut self, parts: &[&str]) -> String {
        let mut key = Sha256::new();
        for part in parts {
            for (i, word) in part.split_whitespace().enumerate() {
                if i > 0 {
                    key.update(b" ");
                }
                key.update(word.as_bytes());
            }
            key.update([0]);
        }
        let key: [u8; 32] = key.finalize().into();
        let rank = self.seen.iter().filter(|k| **k == key).count() as u64;
        self.seen.push(key);
        let mut h = Sha256::new();
        h.update(key);
        h.update(rank.to_le_bytes());
        h.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
