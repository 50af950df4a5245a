//! Release versions: `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, parsed with `semver`.

use crate::error::{Error, ErrorCode, Result};

/// A release version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// The parsed version (patch 0 when not written).
    pub semver: semver::Version,
    /// Whether the patch number was written.
    pub has_patch: bool,
}

impl Version {
    /// Parses `16.4` or `16.4.1`.
    pub fn parse(text: &str) -> Result<Version> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let dots = t.matches('.').count();
        let full = if dots == 1 {
            format!("{t}.0")
        } else {
            t.to_string()
        };
        match semver::Version::parse(&full) {
            Ok(v) if (dots == 1 || dots == 2) && v.pre.is_empty() && v.build.is_empty() => {
                Ok(Version { semver: v, has_patch: dots == 2 })
            }
            _ => Err(Error::new(
                ErrorCode::BadVersion,
                format!("`{text}` is not a release version: write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 16.4 or 16.4.1"),
            )),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.has_patch {
            write!(
                f,
                "{}.{}.{}",
                self.semver.major, self.semver.minor, self.semver.patch
            )
        } else {
            write!(f, "{}.{}", self.semver.major, self.semver.minor)
        }
    }
}
