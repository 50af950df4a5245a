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

use crate::report::Finding;

/// Sets `fingerprint` on each finding of one file, whose text is `text`.
pub(super) fn assign(text: &str, findings: &mut [Finding]) {
    let mut seen: Vec<[u8; 32]> = Vec::with_capacity(findings.len());
    for f in findings.iter_mut() {
        let slice = |s: &crate::report::Span| {
            text.get(s.start.offset as usize..s.end.offset as usize)
                .unwrap_or("")
        };
        let mut key = Sha256::new();
        for part in [f.rule.as_str(), f.path.as_str()] {
            key.update(part.as_bytes());
            key.update([0]);
        }
        squeezed(&mut key, slice(&f.statement));
        key.update([0]);
        squeezed(&mut key, slice(&f.span));
        let key: [u8; 32] = key.finalize().into();
        let rank = seen.iter().filter(|k| **k == key).count();
        seen.push(key);
        let mut h = Sha256::new();
        h.update(key);
        h.update((rank as u64).to_le_bytes());
        let digest = h.finalize();
        f.fingerprint = Some(digest[..16].iter().map(|b| format!("{b:02x}")).collect());
    }
}

/// Feeds `s` with each run of whitespace as one space, trimmed.
fn squeezed(h: &mut Sha256, s: &str) {
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(word.as_bytes());
    }
}
