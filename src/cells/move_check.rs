//! Organization move check: data moves between two cells only when their
//! schemas agree, i.e. when both applied the same migrations.

use std::collections::BTreeSet;

use crate::error::{Error, ErrorCode, Result};
use crate::report::cells::{MoveCheck, SyncState};

/// Reads applied migration versions, one per line as `schema_migrations`
/// lists them (`psql -At -c 'SELECT version FROM schema_migrations'`).
/// Blank lines and lines starting with `#` or `--` are ignored; anything
/// else that is not a version (digits, optionally followed by a `_name`)
/// is an error naming `file` and the line.
pub fn read_versions(text: &str, file: &str) -> Result<BTreeSet<MigrationVersion>> {
    let mut out = BTreeSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("--") {
            continue;
        }
        let digits = line.split('_').next().unwrap_or(line);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!(
                    "{file}:{}: `{line}` is not a migration version (one version per line, e.g. 20240115103000)",
                    i + 1
                ),
            ));
        }
        out.insert(MigrationVersion(digits.to_string()));
    }
    Ok(out)
}

/// A migration version, ordered numerically (however many digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MigrationVersion(pub String);

impl Ord for MigrationVersion {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let a = self.0.trim_start_matches('0');
        let b = other.0.trim_start_matches('0');
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    }
}

impl PartialOrd for MigrationVersion {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares the applied migrations of a source and a target cell.
/// `source_name` and `target_name` name the inputs in errors.
pub fn move_check(
    source: &str,
    source_name: &str,
    target: &str,
    target_name: &str,
) -> Result<MoveCheck> {
    let s = read_versions(source, source_name)?;
    let t = read_versions(target, target_name)?;
    let only_in_source: Vec<String> = s.difference(&t).map(|v| v.0.clone()).collect();
    let only_in_target: Vec<String> = t.difference(&s).map(|v| v.0.clone()).collect();
    let state = match (only_in_source.is_empty(), only_in_target.is_empty()) {
        (true, true) => SyncState::InSync,
        (false, true) => SyncState::SourceAhead,
        (true, false) => SyncState::TargetAhead,
        (false, false) => SyncState::Diverged,
    };
    let list = |v: &[String]| {
        let shown: Vec<&str> = v.iter().take(5).map(String::as_str).collect();
        let more = v.len().saturating_sub(shown.len());
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let message = match state {
        SyncState::InSync => format!(
            "schemas in sync ({} migrations applied on both): the move is allowed",
            s.len()
        ),
        SyncState::SourceAhead => format!(
            "the target lacks {} migration(s) the source applied ({}): run them on the target before moving",
            only_in_source.len(),
            list(&only_in_source)
        ),
        SyncState::TargetAhead => format!(
            "the source lacks {} migration(s) the target applied ({}): run them on the source before moving",
            only_in_target.len(),
            list(&only_in_target)
        ),
        SyncState::Diverged => format!(
            "the schemas diverged: only the source applied {} ({}), only the target applied {} ({}); bring both to the same migrations before moving",
            only_in_source.len(),
            list(&only_in_source),
            only_in_target.len(),
            list(&only_in_target)
        ),
    };
    Ok(MoveCheck {
        state,
        allowed: state == SyncState::InSync,
        source_count: u32::try_from(s.len()).unwrap_or(u32::MAX),
        target_count: u32::try_from(t.len()).unwrap_or(u32::MAX),
        only_in_source,
        only_in_target,
        message,
    })
}
