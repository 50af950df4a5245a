//! What several rules need to know about PostgreSQL: how types compare
//! and which statements take the locks that queue every query behind them.

use crate::model::{ConstraintKind, MaintenanceKind, Name, Op, OpKind};

/// A column type split into its canonical base name, modifiers and array-ness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SqlType {
    /// Canonical base name: `varchar`, `int4`, `timestamptz`, ...
    pub base: String,
    /// Type modifiers (`varchar(255)` → `[255]`; `numeric(10,2)` → `[10, 2]`).
    pub mods: Vec<u32>,
    /// `[]` suffix.
    pub array: bool,
}

impl SqlType {
    /// Parses a type as the lowering writes it (`character varying(255)`,
    /// `timestamp(3) with time zone`, `text[]`, `int`).
    pub fn parse(text: &str) -> SqlType {
        let mut t = text.trim().to_ascii_lowercase();
        let mut array = false;
        while let Some(stripped) = t.strip_suffix("[]") {
            t = stripped.trim_end().to_string();
            array = true;
        }
        // Pull the modifiers out, wherever they sit (`timestamp(3) with time zone`).
        let mut mods = Vec::new();
        if let (Some(open), Some(close)) = (t.find('('), t.find(')')) {
            if open < close {
                mods = t[open + 1..close]
                    .split(',')
                    .filter_map(|m| m.trim().parse().ok())
                    .collect();
                t = format!("{} {}", &t[..open], &t[close + 1..]);
            }
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let joined = words.join(" ");
        let joined = joined.strip_prefix("pg_catalog.").unwrap_or(&joined);
        let base = match joined {
            "character varying" | "varchar" | "char varying" => "varchar",
            "character" | "char" | "bpchar" => "bpchar",
            "int" | "integer" | "int4" | "serial" | "serial4" => "int4",
            "smallint" | "int2" | "smallserial" | "serial2" => "int2",
            "bigint" | "int8" | "bigserial" | "serial8" => "int8",
            "decimal" | "numeric" | "dec" => "numeric",
            "timestamp" | "timestamp without time zone" => "timestamp",
            "timestamptz" | "timestamp with time zone" => "timestamptz",
            "time" | "time without time zone" => "time",
            "timetz" | "time with time zone" => "timetz",
            "bit varying" | "varbit" => "varbit",
            "double precision" | "float8" | "double" => "float8",
            "real" | "float4" => "float4",
            "boolean" | "bool" => "bool",
            other => other,
        };
        SqlType {
            base: base.to_string(),
            mods,
            array,
        }
    }

    /// True for 2- and 4-byte integers (and their serial forms).
    pub fn is_small_integer(&self) -> bool {
        !self.array && matches!(self.base.as_str(), "int4" | "int2")
    }
}

/// Whether changing a column from `old` to `new` can skip the table rewrite
/// (and, for most of these, the index rebuild) on PostgreSQL `pg_version`.
pub(crate) fn type_change_is_free(old: &SqlType, new: &SqlType, pg_version: u32) -> bool {
    if old == new {
        return true;
    }
    if old.array != new.array || old.array {
        return false;
    }
    let widened = |o: &[u32], n: &[u32]| match (o.first(), n.first()) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => b >= a,
    };
    match (old.base.as_str(), new.base.as_str()) {
        // varchar(n) to a larger limit, to no limit, or to text; text to unbounded varchar.
        ("varchar", "varchar") => widened(&old.mods, &new.mods),
        ("varchar", "text") => true,
        ("text", "varchar") => new.mods.is_empty(),
        // numeric: precision up at the same scale, or to unconstrained numeric.
        ("numeric", "numeric") => match (old.mods.as_slice(), new.mods.as_slice()) {
            (_, []) => true,
            ([], _) => false,
            ([p1], [p2]) => p2 >= p1,
            ([p1, s1], [p2, s2]) => p2 >= p1 && s1 == s2,
            ([p1], [p2, 0]) | ([p1, 0], [p2]) => p2 >= p1,
            _ => false,
        },
        ("cidr", "inet") => true,
        ("varbit", "varbit") => widened(&old.mods, &new.mods),
        // Fractional-seconds precision up (no limit is the maximum).
        ("timestamp", "timestamp")
        | ("timestamptz", "timestamptz")
        | ("time", "time")
        | ("timetz", "timetz")
        | ("interval", "interval") => widened(&old.mods, &new.mods),
        _ => {
            let _ = pg_version;
            false
        }
    }
}

/// Which strong lock an operation takes and on which existing tables:
/// `ACCESS EXCLUSIVE` blocks reads and writes, `SHARE ROW EXCLUSIVE` blocks
/// writes. Operations on `is_new` tables are left out.
pub(crate) fn strong_lock(
    op: &Op,
    is_new: &dyn Fn(&Name) -> bool,
) -> Option<(Vec<Name>, &'static str)> {
    const AX: &str = "ACCESS EXCLUSIVE";
    const SRX: &str = "SHARE ROW EXCLUSIVE";
    let one = |t: &Name, mode: &'static str| {
        if is_new(t) {
            None
        } else {
            Some((vec![t.clone()], mode))
        }
    };
    let many = |ts: &[Name], mode: &'static str| {
        let old: Vec<Name> = ts.iter().filter(|t| !is_new(t)).cloned().collect();
        if old.is_empty() {
            None
        } else {
            Some((old, mode))
        }
    };
    match &op.kind {
        OpKind::AddColumn { table, column } => {
            let mut r = one(table, AX)?;
            if let Some(fk) = &column.references {
                if !is_new(&fk.table) && fk.table != *table {
                    r.0.push(fk.table.clone());
                }
            }
            Some(r)
        }
        OpKind::DropColumn { table, .. }
        | OpKind::RenameColumn { table, .. }
        | OpKind::RenameTable { table, .. }
        | OpKind::AlterColumnType { table, .. }
        | OpKind::SetNotNull { table, .. }
        | OpKind::DropNotNull { table, .. }
        | OpKind::ChangeDefault { table, .. }
        | OpKind::DropConstraint { table, .. } => one(table, AX),
        OpKind::AddConstraint { table, constraint } => match &constraint.kind {
            ConstraintKind::ForeignKey { references, .. } => {
                let mut tables = vec![table.clone()];
                if references.table != *table {
                    tables.push(references.table.clone());
                }
                many(&tables, SRX)
            }
            _ => one(table, AX),
        },
        OpKind::AlterTableOther {
            table,
            access_exclusive,
            action,
        } => {
            if *access_exclusive {
                one(table, AX)
            } else if action.contains("TRIGGER") {
                one(table, SRX)
            } else {
                None
            }
        }
        OpKind::DropTable { tables, .. } | OpKind::Truncate { tables, .. } => many(tables, AX),
        OpKind::LockTable { tables, mode } => match mode.as_str() {
            "ACCESS EXCLUSIVE" => many(tables, AX),
            "EXCLUSIVE" | "SHARE ROW EXCLUSIVE" | "SHARE" => many(tables, SRX),
            _ => None,
        },
        OpKind::Maintenance {
            kind: MaintenanceKind::VacuumFull | MaintenanceKind::Cluster,
            targets,
            ..
        } if !targets.is_empty() => many(targets, AX),
        OpKind::CreateTable(ct) => {
            // A foreign key to an existing table locks that table against writes.
            let mut referenced: Vec<Name> = ct
                .columns
                .iter()
                .filter_map(|c| c.references.as_ref().map(|r| r.table.clone()))
                .chain(ct.constraints.iter().filter_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey { references, .. } => Some(references.table.clone()),
                    _ => None,
                }))
                .filter(|t| *t != ct.table)
                .collect();
            referenced.sort();
            referenced.dedup();
            many(&referenced, SRX)
        }
        _ => None,
    }
}

/// `a, b and c` for messages.
pub(crate) fn list(names: &[Name]) -> String {
    let parts: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A column type written by an operation: in CREATE TABLE, ADD COLUMN or ALTER COLUMN TYPE.
pub(crate) struct TypedColumn<'a> {
    /// The table.
    pub table: &'a Name,
    /// The column.
    pub column: &'a str,
    /// The type as written.
    pub data_type: &'a str,
    /// Part of the primary key.
    pub primary_key: bool,
    /// Where to point.
    pub span: std::ops::Range<usize>,
}

/// Every column type an operation declares.
pub(crate) fn typed_columns(op: &Op) -> Vec<TypedColumn<'_>> {
    let at = |s: &std::ops::Range<usize>| {
        if s.is_empty() {
            op.span.clone()
        } else {
            s.clone()
        }
    };
    match &op.kind {
        OpKind::CreateTable(ct) => {
            let keys: Vec<&String> = ct
                .constraints
                .iter()
                .filter_map(|c| match &c.kind {
                    ConstraintKind::PrimaryKey { columns, .. } => Some(columns),
                    _ => None,
                })
                .flatten()
                .collect();
            ct.columns
                .iter()
                .map(|c| TypedColumn {
                    table: &ct.table,
                    column: &c.name,
                    data_type: &c.data_type,
                    primary_key: c.primary_key || keys.contains(&&c.name),
                    span: at(&c.span),
                })
                .collect()
        }
        OpKind::AddColumn { table, column } => vec![TypedColumn {
            table,
            column: &column.name,
            data_type: &column.data_type,
            primary_key: column.primary_key,
            span: op.span.clone(),
        }],
        OpKind::AlterColumnType {
            table,
            column,
            new_type,
            ..
        } => vec![TypedColumn {
            table,
            column,
            data_type: new_type,
            primary_key: false,
            span: op.span.clone(),
        }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(a: &str, b: &str) -> bool {
        type_change_is_free(&SqlType::parse(a), &SqlType::parse(b), 14)
    }

    #[test]
    fn no_rewrite_type_changes() {
        assert!(free("character varying(10)", "varchar(20)"));
        assert!(free("varchar(10)", "text"));
        assert!(free("varchar(10)", "character varying"));
        assert!(free("text", "varchar"));
        assert!(free("numeric(10,2)", "numeric(12,2)"));
        assert!(free("cidr", "inet"));
        assert!(free("timestamp(3)", "timestamp(6) without time zone"));
        assert!(free("bit varying(4)", "varbit(8)"));
        assert!(!free("varchar(20)", "varchar(10)"));
        assert!(!free("text", "varchar(10)"));
        assert!(!free("numeric(10,2)", "numeric(12,3)"));
        assert!(!free("int", "bigint"));
        assert!(!free("timestamp", "timestamptz"));
        assert!(!free("varchar(10)[]", "varchar(20)[]"));
    }
}
