//! Table names as the sharding analysis knows them: the key a table is
//! known by, user-given names normalized, and the column that conventionally
//! holds a key to a root table. Shared by the `sharding-key-missing` rule and
//! the cells analysis (`cells`), which re-exports them.

use super::Name;

/// The key a table is known by: its name, schema-qualified outside `public`.
pub fn table_key(name: &Name) -> String {
    match name.schema.as_deref() {
        None | Some("public") => name.name.clone(),
        Some(s) => format!("{s}.{}", name.name),
    }
}

/// Normalizes a table name given by a user (`public.Projects` → `projects`).
pub fn normalize_table(name: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    n.strip_prefix("public.").map(str::to_string).unwrap_or(n)
}

/// The column that conventionally holds a key to `root`: `projects` → `project_id`.
pub fn key_column_for_root(root: &str) -> String {
    let base = root.rsplit('.').next().unwrap_or(root);
    let singular = if let Some(s) = base.strip_suffix("ies") {
        format!("{s}y")
    } else if base.ends_with("sses") || base.ends_with("xes") || base.ends_with("ches") {
        base[..base.len() - 2].to_string()
    } else if let Some(s) = base.strip_suffix('s') {
        s.to_string()
    } else {
        base.to_string()
    };
    format!("{singular}_id")
}
