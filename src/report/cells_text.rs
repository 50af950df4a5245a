//! The text of the cells commands: `cells analyze`, `cells move-check` and
//! `fleet check`.

use super::cells::{CellsReport, FleetReport, MoveCheck, StepStatus, TableReport};

/// Most tables listed per finding kind in the text summary.
const NOTABLE: usize = 10;

/// `zerodown cells analyze` as text; `path` names the schema dump.
pub fn render_analyze_text(r: &CellsReport, path: &str) -> String {
    let s = &r.summary;
    let st = &r.statements;
    let mut out = String::new();
    out.push_str(&format!(
        "{path}: organization isolation (roots: {})\n",
        r.roots.join(", ")
    ));
    if !r.missing_roots.is_empty() {
        out.push_str(&format!(
            "  roots not in the schema: {}\n",
            r.missing_roots.join(", ")
        ));
    }
    out.push_str(&format!(
        "  statements: {} read, {} used, {} skipped, {} failed\n",
        st.total, st.used, st.skipped, st.failed
    ));
    let skipped: Vec<String> = st
        .by_kind
        .iter()
        .filter(|k| k.skipped > 0)
        .map(|k| format!("{} {}", k.kind, k.skipped))
        .collect();
    if !skipped.is_empty() {
        out.push_str(&format!("    skipped: {}\n", skipped.join(", ")));
    }
    for f in &st.failures {
        out.push_str(&format!(
            "    failed: line {}: {}: {}\n",
            f.line, f.kind, f.message
        ));
    }
    out.push_str(&format!(
        "  tables: {} ({} partitions folded in, {} roots, {} shared), {} foreign keys\n",
        s.tables, s.partitions, s.roots, s.shared, s.foreign_keys
    ));
    out.push_str(&format!(
        "  sharding key: {} tables ({} direct, longest path {})\n",
        s.with_sharding_key, s.direct, s.max_path_length
    ));
    let kinds = [
        ("no-path", "no path to a root", s.no_path),
        (
            "cross-organization",
            "references can cross organizations",
            s.cross_organization,
        ),
        (
            "nullable-sharding-key",
            "nullable sharding key",
            s.nullable_sharding_key,
        ),
        (
            "sharding-key-without-foreign-key",
            "key-like column without a foreign key",
            s.sharding_key_without_foreign_key,
        ),
        (
            "unique-without-sharding-key",
            "unique key without the sharding key",
            s.unique_without_sharding_key,
        ),
    ];
    for (id, words, n) in kinds {
        out.push_str(&format!("  {id}: {n} tables ({words})\n"));
        let tables: Vec<&TableReport> = r
            .tables
            .iter()
            .filter(|t| t.findings.iter().any(|f| f.kind.as_str() == id))
            .collect();
        if id == "no-path" {
            let names: Vec<&str> = tables
                .iter()
                .take(NOTABLE * 2)
                .map(|t| t.name.as_str())
                .collect();
            if !names.is_empty() {
                out.push_str(&format!("    {}", names.join(", ")));
                if tables.len() > names.len() {
                    out.push_str(&format!(" and {} more", tables.len() - names.len()));
                }
                out.push('\n');
            }
            continue;
        }
        for t in tables.iter().take(NOTABLE) {
            let f = t.findings.iter().find(|f| f.kind.as_str() == id);
            if let Some(f) = f {
                out.push_str(&format!("    {}: {}\n", t.name, f.message));
            }
        }
        if tables.len() > NOTABLE {
            out.push_str(&format!(
                "    ... and {} more (--format json lists every table)\n",
                tables.len() - NOTABLE
            ));
        }
    }
    out.push_str(&format!("{} errors, {} warnings\n", s.errors, s.warnings));
    out
}

/// `zerodown cells move-check` as text.
pub fn render_move_text(m: &MoveCheck) -> String {
    let mut out = format!(
        "{}: {}\n",
        if m.allowed {
            "move allowed"
        } else {
            "move not allowed"
        },
        m.message
    );
    for v in &m.only_in_source {
        out.push_str(&format!("  only on source: {v}\n"));
    }
    for v in &m.only_in_target {
        out.push_str(&format!("  only on target: {v}\n"));
    }
    out
}

/// `zerodown fleet check` as text: one line per step and why.
pub fn render_fleet_text(r: &FleetReport) -> String {
    let cells: Vec<String> = r
        .cells
        .iter()
        .map(|c| format!("{} {}", c.name, c.version))
        .collect();
    let mut out = format!("fleet: {}\n", cells.join(", "));
    if !r.shared_tables.is_empty() {
        out.push_str(&format!("shared tables: {}\n", r.shared_tables.join(", ")));
    }
    for s in &r.steps {
        let mark = match s.status {
            StepStatus::FleetIncompatible => "error",
            StepStatus::Blocked => "wait ",
            StepStatus::Ready => "ok   ",
            StepStatus::Application => "app  ",
        };
        out.push_str(&format!(
            "{mark} {} {:11} {}{}\n",
            s.release,
            s.phase.as_str(),
            s.title,
            s.requires_version
                .as_ref()
                .map_or_else(String::new, |v| format!(" (needs >= {v})"))
        ));
        out.push_str(&format!("      {}\n", s.message));
    }
    out.push_str(&format!(
        "{} fleet-incompatible, {} blocked\n",
        r.errors, r.blocked
    ));
    out
}
