//! The target PostgreSQL major version, checked once where options are
//! read, with the behaviour that changed between majors named.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// A PostgreSQL major version (9 to 30). Serialized as its number.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PgVersion(u32);

/// The version assumed when none is given.
pub const DEFAULT_PG_VERSION: PgVersion = PgVersion(14);

impl PgVersion {
    /// Checks a major version number.
    pub fn new(major: u32) -> Result<PgVersion> {
        if (9..=30).contains(&major) {
            Ok(PgVersion(major))
        } else {
            Err(Error::new(
                ErrorCode::BadOptions,
                Self::range_message(major),
            ))
        }
    }

    fn range_message(major: impl fmt::Display) -> String {
        format!(
            "the PostgreSQL version (`--pg-version`, `pg-version` in zerodown.toml, `pgVersion` in JavaScript) must be a major version such as 14, not {major}"
        )
    }

    /// The major version number.
    pub fn major(self) -> u32 {
        self.0
    }

    /// `ADD COLUMN ... DEFAULT <constant>` is a catalog change, not a
    /// rewrite (11).
    pub fn fast_column_defaults(self) -> bool {
        self.0 >= 11
    }

    /// `SET NOT NULL` skips its scan when a validated
    /// `CHECK (col IS NOT NULL)` proves it (12).
    pub fn set_not_null_uses_validated_check(self) -> bool {
        self.0 >= 12
    }

    /// `ALTER TYPE ... ADD VALUE` may run inside a transaction block (12).
    pub fn add_enum_value_in_transaction(self) -> bool {
        self.0 >= 12
    }

    /// `REINDEX CONCURRENTLY` exists (12).
    pub fn reindex_concurrently(self) -> bool {
        self.0 >= 12
    }

    /// `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY` exists (14).
    pub fn detach_partition_concurrently(self) -> bool {
        self.0 >= 14
    }

    /// `NOT NULL ... NOT VALID` constraints exist (18).
    pub fn not_null_not_valid(self) -> bool {
        self.0 >= 18
    }

    /// Identity columns exist (10).
    pub fn identity_columns(self) -> bool {
        self.0 >= 10
    }

    /// `CREATE TRIGGER ... EXECUTE FUNCTION` is the spelling (11), and
    /// `DO` blocks may `COMMIT` between batches (11).
    pub fn procedures_and_execute_function(self) -> bool {
        self.0 >= 11
    }
}

impl Default for PgVersion {
    fn default() -> Self {
        DEFAULT_PG_VERSION
    }
}

impl fmt::Display for PgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for PgVersion {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let major: u32 = s
            .trim()
            .parse()
            .map_err(|_| Self::range_message(format!("`{s}`")))?;
        PgVersion::new(major).map_err(|e| e.message)
    }
}

impl<'de> Deserialize<'de> for PgVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let major = u32::deserialize(d)?;
        PgVersion::new(major).map_err(|e| serde::de::Error::custom(e.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_once_with_a_clear_message() {
        assert_eq!(PgVersion::new(15).map(PgVersion::major).ok(), Some(15));
        for bad in [0, 3, 8, 31, 150] {
            let e = PgVersion::new(bad).unwrap_err();
            assert!(e.message.contains("pgVersion"), "{}", e.message);
        }
        let v: PgVersion = serde_json::from_str("12").unwrap();
        assert_eq!(v.major(), 12);
        assert!(serde_json::from_str::<PgVersion>("3").is_err());
        assert!(serde_json::from_str::<PgVersion>("12.5").is_err());
        assert_eq!(serde_json::to_string(&v).unwrap(), "12");
        assert!("x".parse::<PgVersion>().is_err());
        assert_eq!("16".parse::<PgVersion>().map(PgVersion::major), Ok(16));
    }

    #[test]
    fn capabilities_by_major() {
        let v = |n| PgVersion::new(n).unwrap();
        assert!(!v(10).fast_column_defaults() && v(11).fast_column_defaults());
        assert!(
            !v(11).set_not_null_uses_validated_check() && v(12).set_not_null_uses_validated_check()
        );
        assert!(!v(11).add_enum_value_in_transaction() && v(12).add_enum_value_in_transaction());
        assert!(!v(13).detach_partition_concurrently() && v(14).detach_partition_concurrently());
        assert!(!v(17).not_null_not_valid() && v(18).not_null_not_valid());
        assert!(!v(9).identity_columns() && v(10).identity_columns());
    }
}
