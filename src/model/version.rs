//! Release versions: `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, parsed with
//! `semver`, and the arithmetic of "the next release". Shared vocabulary:
//! the engine checks `release` with it, the planner numbers releases with it
//! and `release` orders folders by it, so it lives in `model`.

use crate::error::{Error, ErrorCode, Result};

/// The largest major, minor or patch number a version may have: far beyond
/// any real release, and far enough below `u64::MAX` that "the next release"
/// (a few steps of +1, at most one per step of a plan or schedule) cannot
/// overflow.
pub const MAX_NUMBER: u64 = u32::MAX as u64;

/// A release version. Ordered as semver, with a missing patch read as 0:
/// `9.1` and `9.1.0` are equal.
#[derive(Debug, Clone)]
pub struct Version {
    /// The parsed version (patch 0 when not written).
    pub semver: semver::Version,
    /// Whether the patch number was written.
    pub has_patch: bool,
}

impl Version {
    /// Parses `16.4` or `16.4.1` (a leading `v` is accepted).
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
            Ok(v)
                if [v.major, v.minor, v.patch]
                    .iter()
                    .any(|&n| n > MAX_NUMBER) =>
            {
                Err(Error::new(
                    ErrorCode::BadVersion,
                    format!("`{text}` is not a release version: its numbers must be at most {MAX_NUMBER}"),
                ))
            }
            Ok(v) if (dots == 1 || dots == 2) && v.pre.is_empty() && v.build.is_empty() => {
                Ok(Version { semver: v, has_patch: dots == 2 })
            }
            _ => Err(Error::new(
                ErrorCode::BadVersion,
                format!(
                    "`{text}` is not a release version: write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 16.4 or 16.4.1"
                ),
            )),
        }
    }

    /// `MAJOR.MINOR`.
    pub fn minor_release(major: u64, minor: u64) -> Version {
        Version {
            semver: semver::Version::new(major, minor, 0),
            has_patch: false,
        }
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.semver.major
    }

    /// The minor number.
    pub fn minor(&self) -> u64 {
        self.semver.minor
    }

    /// The patch number (0 when not written).
    pub fn patch(&self) -> u64 {
        self.semver.patch
    }

    /// The minor release this version belongs to (`16.4.2` → `16.4`).
    pub fn minor_of(&self) -> Version {
        Version::minor_release(self.major(), self.minor())
    }

    /// The next minor release. With `rollover = Some(n)`, the release after
    /// `X.n` is `(X+1).0` (some projects ship `X.0` to `X.11`, then a new major).
    pub fn next_minor(&self, rollover: Option<u64>) -> Version {
        match rollover {
            Some(last) if self.minor() >= last => Version::minor_release(self.major() + 1, 0),
            _ => Version::minor_release(self.major(), self.minor() + 1),
        }
    }

    /// The minor release `n` releases after this one (`n = 0`: this minor).
    pub fn add_minors(&self, n: u32, rollover: Option<u64>) -> Version {
        (0..n).fold(self.minor_of(), |v, _| v.next_minor(rollover))
    }

    /// The next patch release (`16.4` → `16.4.1`).
    pub fn next_patch(&self) -> Version {
        Version {
            semver: semver::Version::new(self.major(), self.minor(), self.patch() + 1),
            has_patch: true,
        }
    }

    /// True when both are in the same minor release.
    pub fn same_minor(&self, other: &Version) -> bool {
        self.major() == other.major() && self.minor() == other.minor()
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.semver == other.semver
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.semver.cmp(&other.semver)
    }
}

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.semver.hash(state);
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

impl std::str::FromStr for Version {
    type Err = Error;

    fn from_str(s: &str) -> Result<Version> {
        Version::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn parses_minor_and_patch_releases() {
        assert_eq!(v("16.4").to_string(), "16.4");
        assert_eq!(v("v16.4.1").to_string(), "16.4.1");
        assert!(v("16.4") < v("16.4.1"));
        assert!(v("16.4.1") < v("16.5"));
        assert_eq!(v("16.4"), v("16.4.0").minor_of());
        assert_eq!(v("9.1"), v("9.1.0"));
        assert!(v("9.1") >= v("9.1.0") && v("9.1") <= v("9.1.0"));
    }

    #[test]
    fn rejects_bad_versions_clearly() {
        for bad in ["16", "16.x", "1.2.3.4", "", "16.4-rc1", "abc"] {
            let e = Version::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadVersion);
            assert!(e.message.contains(&format!("`{bad}`")), "{}", e.message);
        }
    }

    #[test]
    fn numbers_past_the_limit_are_refused_so_next_releases_cannot_overflow() {
        let top = format!("{MAX_NUMBER}.{MAX_NUMBER}.{MAX_NUMBER}");
        let highest = v(&top);
        assert_eq!(
            highest.add_minors(1000, None).to_string(),
            format!("{MAX_NUMBER}.{}", MAX_NUMBER + 1000)
        );
        assert_eq!(highest.next_patch().patch(), MAX_NUMBER + 1);
        for bad in [
            format!("{}.0", MAX_NUMBER + 1),
            format!("1.{}", u64::MAX),
            format!("1.2.{}", MAX_NUMBER + 1),
        ] {
            let e = Version::parse(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadVersion);
            assert!(e.message.contains("at most 4294967295"), "{}", e.message);
        }
    }

    #[test]
    fn next_release_with_and_without_rollover() {
        assert_eq!(v("12.5").next_minor(None).to_string(), "12.6");
        assert_eq!(v("12.11").next_minor(None).to_string(), "12.12");
        assert_eq!(v("12.11").next_minor(Some(11)).to_string(), "13.0");
        assert_eq!(v("12.10.3").add_minors(2, Some(11)).to_string(), "13.0");
        assert_eq!(v("9.0").next_patch().to_string(), "9.0.1");
        assert!(v("9.0.0").same_minor(&v("9.0.1")));
    }
}
