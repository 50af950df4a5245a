//! Organization isolation: for every table, the foreign-key path to a root
//! (`organizations`, `namespaces`, `projects`), and what stops its rows from
//! being split or moved with their organization.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use super::schema::{normalize_table, parse_schema, ForeignKey, Schema, Table};
use crate::model::Severity;
use crate::report::cells::{
    CellsFinding, CellsFindingKind, CellsReport, CellsSummary, Hop, ShardingKey, TableReport,
};

pub use crate::model::key_column_for_root;

/// The roots used when none are given.
pub const DEFAULT_ROOTS: &[&str] = &["organizations", "namespaces", "projects"];

/// Analyzes a full schema dump. Empty `roots` means [`DEFAULT_ROOTS`].
pub fn analyze(schema_sql: &str, roots: &[String]) -> CellsReport {
    analyze_schema(&parse_schema(schema_sql), roots, &[])
}

/// Like [`analyze`], with tables shared cluster-wide (`users`): they belong
/// to no organization, so no path runs through them, references to them
/// never cross organizations, and they have no findings of their own.
pub fn analyze_with_shared(schema_sql: &str, roots: &[String], shared: &[String]) -> CellsReport {
    analyze_schema(&parse_schema(schema_sql), roots, shared)
}

/// A table with its partitions folded in.
struct Merged<'a> {
    table: &'a Table,
    foreign_keys: Vec<ForeignKey>,
    partitions: u32,
}

/// Analyzes an already-read schema. Empty `roots` means [`DEFAULT_ROOTS`];
/// `shared` lists tables shared cluster-wide.
pub fn analyze_schema(schema: &Schema, roots: &[String], shared: &[String]) -> CellsReport {
    let shared: BTreeSet<String> = shared.iter().map(|t| normalize_table(t)).collect();
    let roots: Vec<String> = if roots.is_empty() {
        DEFAULT_ROOTS.iter().map(|r| r.to_string()).collect()
    } else {
        let mut seen = BTreeSet::new();
        roots
            .iter()
            .map(|r| normalize_table(r))
            .filter(|r| seen.insert(r.clone()))
            .collect()
    };

    // Partitions (of partitions) fold into their top parent.
    let top = |name: &str| -> String {
        let mut cur = name;
        for _ in 0..64 {
            match schema
                .tables
                .get(cur)
                .and_then(|t| t.partition_of.as_deref())
            {
                Some(p) => cur = p,
                None => break,
            }
        }
        cur.to_string()
    };
    let mut merged: BTreeMap<String, Merged<'_>> = BTreeMap::new();
    for (key, t) in &schema.tables {
        if t.partition_of.is_none() {
            merged.insert(
                key.clone(),
                Merged {
                    table: t,
                    foreign_keys: Vec::new(),
                    partitions: 0,
                },
            );
        }
    }
    let mut partitions = 0u32;
    for (key, t) in &schema.tables {
        let owner = top(key);
        let Some(m) = merged.get_mut(&owner) else {
            continue;
        };
        if t.partition_of.is_some() {
            m.partitions += 1;
            partitions += 1;
        }
        for fk in &t.foreign_keys {
            let fk = ForeignKey {
                name: fk.name.clone(),
                columns: fk.columns.clone(),
                references: top(&fk.references),
            };
            if !m
                .foreign_keys
                .iter()
                .any(|f| f.columns == fk.columns && f.references == fk.references)
            {
                m.foreign_keys.push(fk);
            }
        }
    }

    let root_set: BTreeSet<&str> = roots
        .iter()
        .map(String::as_str)
        .filter(|r| merged.contains_key(*r))
        .collect();
    let missing_roots: Vec<String> = roots
        .iter()
        .filter(|r| !merged.contains_key(r.as_str()))
        .cloned()
        .collect();

    // Shortest distance to a root: breadth-first from the roots along reversed foreign keys.
    let mut referenced_by: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, m) in &merged {
        for fk in &m.foreign_keys {
            referenced_by
                .entry(fk.references.as_str())
                .or_default()
                .push(key.as_str());
        }
    }
    let mut dist: HashMap<&str, u32> = HashMap::new();
    let mut queue = VecDeque::new();
    for r in &root_set {
        dist.insert(r, 0);
        queue.push_back(*r);
    }
    while let Some(t) = queue.pop_front() {
        let d = dist[t];
        for &from in referenced_by.get(t).map(Vec::as_slice).unwrap_or(&[]) {
            if !dist.contains_key(from) && !shared.contains(from) {
                dist.insert(from, d + 1);
                queue.push_back(from);
            }
        }
    }

    // Each table's best edge toward a root: on a shortest path, NOT NULL first, then column order.
    let nullable = |m: &Merged<'_>, cols: &[String]| {
        cols.iter()
            .any(|c| m.table.column(c).is_none_or(|col| !col.not_null))
    };
    let position = |m: &Merged<'_>, cols: &[String]| {
        cols.first()
            .and_then(|c| m.table.columns.iter().position(|x| &x.name == c))
            .unwrap_or(usize::MAX)
    };
    let mut best: HashMap<&str, &ForeignKey> = HashMap::new();
    for (key, m) in &merged {
        let Some(&d) = dist.get(key.as_str()) else {
            continue;
        };
        if d == 0 {
            continue;
        }
        let edge = m
            .foreign_keys
            .iter()
            .filter(|fk| {
                fk.references != *key && dist.get(fk.references.as_str()) == Some(&(d - 1))
            })
            .min_by_key(|fk| (nullable(m, &fk.columns), position(m, &fk.columns)));
        if let Some(e) = edge {
            best.insert(key.as_str(), e);
        }
    }
    let path_of = |start: &str| -> Vec<Hop> {
        let mut hops = Vec::new();
        let mut cur = start;
        while let Some(fk) = best.get(cur) {
            hops.push(Hop {
                table: cur.to_string(),
                column: fk.columns.join(", "),
                references: fk.references.clone(),
            });
            cur = fk.references.as_str();
            if hops.len() > merged.len() {
                break;
            }
        }
        hops
    };
    // The root a referenced table leads to (itself, for a root).
    let root_of = |t: &str| -> Option<String> {
        if shared.contains(t) {
            return None;
        }
        if root_set.contains(t) {
            return Some(t.to_string());
        }
        path_of(t).last().map(|h| h.references.clone())
    };

    let mut summary = CellsSummary {
        partitions,
        roots: u32::try_from(root_set.len()).unwrap_or(u32::MAX),
        ..CellsSummary::default()
    };
    let mut tables = Vec::with_capacity(merged.len());
    for (key, m) in &merged {
        summary.tables += 1;
        summary.foreign_keys += u32::try_from(m.foreign_keys.len()).unwrap_or(u32::MAX);
        let is_root = root_set.contains(key.as_str());
        let is_shared = shared.contains(key.as_str());
        let mut report = TableReport {
            name: key.clone(),
            root: is_root,
            shared: is_shared,
            partitions: m.partitions,
            sharding_key: None,
            findings: Vec::new(),
        };
        if is_shared {
            summary.shared += 1;
        }
        if is_root || is_shared {
            tables.push(report);
            continue;
        }
        let path = path_of(key);
        let sharding_key = path.first().map(|first| {
            let cols: Vec<String> = first.column.split(", ").map(str::to_string).collect();
            ShardingKey {
                column: first.column.clone(),
                root: path
                    .last()
                    .map_or_else(String::new, |h| h.references.clone()),
                path_length: u32::try_from(path.len()).unwrap_or(u32::MAX),
                nullable: nullable(m, &cols),
                path: path.clone(),
            }
        });
        let mut findings = Vec::new();
        match &sharding_key {
            None => findings.push(CellsFinding {
                kind: CellsFindingKind::NoPath,
                severity: Severity::Error,
                columns: Vec::new(),
                message: format!(
                    "no foreign-key path leads from `{key}` to {}: its rows cannot be split or moved with their organization",
                    list_or(&root_set)
                ),
            }),
            Some(k) if k.nullable => findings.push(CellsFinding {
                kind: CellsFindingKind::NullableShardingKey,
                severity: Severity::Warning,
                columns: vec![k.column.clone()],
                message: format!(
                    "sharding key `{}` accepts NULL: rows without it belong to no organization",
                    k.column
                ),
            }),
            Some(_) => {}
        }

        // References to rows owned by organizations, and the root each leads to.
        let owned: Vec<(&ForeignKey, String)> = m
            .foreign_keys
            .iter()
            .filter_map(|fk| root_of(&fk.references).map(|r| (fk, r)))
            .collect();
        cross_organization(key, &owned, &mut findings);

        for root in &root_set {
            let col = key_column_for_root(root);
            if m.table.column(&col).is_some()
                && !m
                    .foreign_keys
                    .iter()
                    .any(|fk| fk.columns.first() == Some(&col))
            {
                findings.push(CellsFinding {
                    kind: CellsFindingKind::ShardingKeyWithoutForeignKey,
                    severity: Severity::Warning,
                    columns: vec![col.clone()],
                    message: format!(
                        "`{col}` looks like a key to `{root}` but has no foreign key: nothing keeps it pointing at an existing row"
                    ),
                });
            }
        }

        if sharding_key.is_some() {
            let scoped: BTreeSet<&str> = owned
                .iter()
                .flat_map(|(fk, _)| fk.columns.iter().map(String::as_str))
                .collect();
            for u in &m.table.uniques {
                let idents: BTreeSet<&str> =
                    u.columns.iter().flat_map(|c| identifiers(c)).collect();
                let covers_pk = !m.table.primary_key.is_empty()
                    && m.table
                        .primary_key
                        .iter()
                        .all(|p| idents.contains(p.as_str()));
                if covers_pk || idents.iter().any(|i| scoped.contains(i)) {
                    continue;
                }
                let what = if u.index {
                    "unique index"
                } else {
                    "unique constraint"
                };
                let name = u
                    .name
                    .as_ref()
                    .map_or_else(String::new, |n| format!(" `{n}`"));
                findings.push(CellsFinding {
                    kind: CellsFindingKind::UniqueWithoutShardingKey,
                    severity: Severity::Warning,
                    columns: u.columns.clone(),
                    message: format!(
                        "{what}{name} on ({}) does not include the sharding key: values must be unique across every organization, which separate cells cannot enforce",
                        u.columns.join(", ")
                    ),
                });
            }
        }

        findings.sort_by_key(|f| f.kind);
        count(&mut summary, &findings);
        if let Some(k) = &sharding_key {
            summary.with_sharding_key += 1;
            if k.path_length == 1 {
                summary.direct += 1;
            }
            summary.max_path_length = summary.max_path_length.max(k.path_length);
        }
        report.sharding_key = sharding_key;
        report.findings = findings;
        tables.push(report);
    }

    CellsReport {
        roots,
        missing_roots,
        summary,
        statements: schema.statements.clone(),
        tables,
    }
}

/// Cross-organization references of one table.
fn cross_organization(key: &str, owned: &[(&ForeignKey, String)], out: &mut Vec<CellsFinding>) {
    // References leading to different roots: one representative per root.
    let mut per_root: BTreeMap<&str, &ForeignKey> = BTreeMap::new();
    for (fk, root) in owned {
        per_root.entry(root.as_str()).or_insert(fk);
    }
    if per_root.len() > 1 {
        let mut fks: Vec<(&str, &ForeignKey)> = per_root.into_iter().collect();
        fks.sort_by_key(|(_, fk)| fk.columns.clone());
        out.push(CellsFinding {
            kind: CellsFindingKind::CrossOrganization,
            severity: Severity::Warning,
            columns: fks.iter().map(|(_, fk)| fk.columns.join(", ")).collect(),
            message: format!(
                "references lead to different roots ({}): one row can point into different organizations",
                fks.iter()
                    .map(|(root, fk)| format!("{} → {root}", fk.columns.join(", ")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    // Links between two rows of the same table, and references to the table itself.
    let mut per_target: BTreeMap<&str, Vec<&ForeignKey>> = BTreeMap::new();
    for (fk, _) in owned {
        per_target
            .entry(fk.references.as_str())
            .or_default()
            .push(fk);
    }
    for (target, fks) in per_target {
        let cols: Vec<String> = fks.iter().map(|fk| fk.columns.join(", ")).collect();
        if target == key {
            out.push(CellsFinding {
                kind: CellsFindingKind::CrossOrganization,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: format!(
                    "{} references `{key}` itself: the referenced row can belong to another organization",
                    cols.join(", ")
                ),
            });
        } else if fks.len() > 1 {
            out.push(CellsFinding {
                kind: CellsFindingKind::CrossOrganization,
                severity: Severity::Warning,
                columns: cols.clone(),
                message: format!(
                    "links two rows of `{target}` ({}): they can belong to different organizations",
                    cols.join(", ")
                ),
            });
        }
    }
}

fn count(summary: &mut CellsSummary, findings: &[CellsFinding]) {
    let mut kinds = BTreeSet::new();
    for f in findings {
        match f.severity {
            Severity::Error => summary.errors += 1,
            _ => summary.warnings += 1,
        }
        kinds.insert(f.kind);
    }
    for k in kinds {
        let slot = match k {
            CellsFindingKind::NoPath => &mut summary.no_path,
            CellsFindingKind::CrossOrganization => &mut summary.cross_organization,
            CellsFindingKind::NullableShardingKey => &mut summary.nullable_sharding_key,
            CellsFindingKind::ShardingKeyWithoutForeignKey => {
                &mut summary.sharding_key_without_foreign_key
            }
            CellsFindingKind::UniqueWithoutShardingKey => &mut summary.unique_without_sharding_key,
        };
        *slot += 1;
    }
}

fn list_or(roots: &BTreeSet<&str>) -> String {
    if roots.is_empty() {
        return "any root (none of the roots exists in the schema)".to_string();
    }
    let names: Vec<String> = roots.iter().map(|r| format!("`{r}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The identifiers in a key column or expression (`lower(name)` → `lower`, `name`).
fn identifiers(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_columns_follow_the_naming_convention() {
        assert_eq!(key_column_for_root("projects"), "project_id");
        assert_eq!(key_column_for_root("public.namespaces"), "namespace_id");
        assert_eq!(key_column_for_root("categories"), "category_id");
        assert_eq!(key_column_for_root("addresses"), "address_id");
        assert_eq!(key_column_for_root("tenant"), "tenant_id");
    }
}
