//! What several rules need to know about PostgreSQL: how types compare
//! and which statements take the locks that queue every query behind them
//! (`strong_lock`, defined in `model` since the engine's file state reads it
//! too).

use std::borrow::Cow;

pub(crate) use crate::model::strong_lock;
use crate::model::{ColumnDef, ConstraintKind, Name, Op, OpKind};

/// A column type split into its canonical base name, modifiers and array-ness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SqlType<'a> {
    /// Canonical base name: `varchar`, `int4`, `timestamptz`, ...
    pub base: Cow<'a, str>,
    /// Type modifiers (`varchar(255)` → `[255]`; `numeric(10,2)` → `[10, 2]`).
    pub mods: Vec<u32>,
    /// `[]` suffix.
    pub array: bool,
}

/// The canonical name of a base type spelled `name` (words single-spaced,
/// lower case, without `pg_catalog.`), when it has other spellings.
fn canonical(name: &str) -> Option<&'static str> {
    Some(match name {
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
        _ => return None,
    })
}

impl<'a> SqlType<'a> {
    /// Parses a type as the lowering writes it (`character varying(255)`,
    /// `timestamp(3) with time zone`, `text[]`, `int`).
    ///
    /// Borrows the base name from `text` when it is written canonically in
    /// one lower-case word, the usual case; allocates otherwise.
    pub fn parse(text: &'a str) -> SqlType<'a> {
        let mut t = text.trim();
        let mut array = false;
        while let Some(stripped) = t.strip_suffix("[]") {
            t = stripped.trim_end();
            array = true;
        }
        // Pull the modifiers out, wherever they sit (`timestamp(3) with time zone`).
        let mut mods = Vec::new();
        let (head, tail) = match (t.find('('), t.find(')')) {
            (Some(open), Some(close)) if open < close => {
                mods = t[open + 1..close]
                    .split(',')
                    .filter_map(|m| m.trim().parse().ok())
                    .collect();
                (&t[..open], &t[close + 1..])
            }
            _ => (t, ""),
        };
        let mut words = head.split_whitespace().chain(tail.split_whitespace());
        let first = words.next().unwrap_or("");
        let base: Cow<'a, str> = match words.next() {
            // One word: borrowed unless it needs lower-casing.
            None if !first.bytes().any(|b| b.is_ascii_uppercase()) => Cow::Borrowed(first),
            None => Cow::Owned(first.to_ascii_lowercase()),
            Some(second) => {
                let mut joined = String::with_capacity(head.len() + tail.len());
                joined.push_str(first);
                for w in std::iter::once(second).chain(words) {
                    joined.push(' ');
                    joined.push_str(w);
                }
                joined.make_ascii_lowercase();
                Cow::Owned(joined)
            }
        };
        let name = base.strip_prefix("pg_catalog.").unwrap_or(&base);
        let base = match canonical(name) {
            Some(c) => Cow::Borrowed(c),
            None if name.len() == base.len() => base,
            None => Cow::Owned(name.to_string()),
        };
        SqlType { base, mods, array }
    }

    /// True for 2- and 4-byte integers (and their serial forms).
    pub fn is_small_integer(&self) -> bool {
        !self.array && matches!(&*self.base, "int4" | "int2")
    }
}

/// Whether changing a column from `old` to `new` can skip the table rewrite
/// (and, for most of these, the index rebuild) on PostgreSQL `pg_version`.
pub(crate) fn type_change_is_free(
    old: &SqlType,
    new: &SqlType,
    pg_version: crate::model::PgVersion,
) -> bool {
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
    match (&*old.base, &*new.base) {
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
        // bit(n) to unlimited varbit only: to varbit(m) rewrites, even for
        // m >= n (both checked on live servers 11 to 18).
        ("bit", "varbit") => new.mods.is_empty(),
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
    /// The type, parsed.
    pub ty: SqlType<'a>,
    /// The column definition (CREATE TABLE and ADD COLUMN).
    pub def: Option<&'a ColumnDef>,
    /// Part of the primary key.
    pub primary_key: bool,
    /// Where to point.
    pub span: std::ops::Range<usize>,
}

/// Every column type an operation declares. Rules read these through
/// `RuleContext::typed_columns`, which parses each type once per operation.
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
                    ty: SqlType::parse(&c.data_type),
                    def: Some(c),
                    primary_key: c.primary_key || keys.contains(&&c.name),
                    span: at(&c.span),
                })
                .collect()
        }
        OpKind::AddColumn { table, column } => vec![TypedColumn {
            table,
            column: &column.name,
            data_type: &column.data_type,
            ty: SqlType::parse(&column.data_type),
            def: Some(column),
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
            ty: SqlType::parse(new_type),
            def: None,
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
        type_change_is_free(
            &SqlType::parse(a),
            &SqlType::parse(b),
            crate::model::DEFAULT_PG_VERSION,
        )
    }

    fn parsed(text: &str) -> (String, Vec<u32>, bool) {
        let t = SqlType::parse(text);
        (t.base.into_owned(), t.mods, t.array)
    }

    #[test]
    fn type_spellings() {
        let p = |b: &str, m: &[u32], a: bool| (b.to_string(), m.to_vec(), a);
        assert_eq!(parsed("integer"), p("int4", &[], false));
        assert_eq!(
            parsed("  Character  VARYING(255) "),
            p("varchar", &[255], false)
        );
        assert_eq!(
            parsed("timestamp(3) with time zone"),
            p("timestamptz", &[3], false)
        );
        assert_eq!(parsed("numeric(10, 2)[] []"), p("numeric", &[10, 2], true));
        assert_eq!(parsed("pg_catalog.int8"), p("int8", &[], false));
        assert_eq!(parsed("PG_CATALOG.UUID"), p("uuid", &[], false));
        assert_eq!(parsed("public.My_Type"), p("public.my_type", &[], false));
        assert_eq!(parsed("jsonb"), p("jsonb", &[], false));
        assert_eq!(parsed("double   precision"), p("float8", &[], false));
        assert_eq!(parsed("bit varying(4)"), p("varbit", &[4], false));
        assert_eq!(
            parsed("interval day to second"),
            p("interval day to second", &[], false)
        );
        assert_eq!(parsed(""), p("", &[], false));
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
        assert!(free("bit(5)", "bit varying"));
        assert!(!free("bit(5)", "varbit(8)"));
        assert!(!free("varchar(20)", "varchar(10)"));
        assert!(!free("text", "varchar(10)"));
        assert!(!free("numeric(10,2)", "numeric(12,3)"));
        assert!(!free("int", "bigint"));
        assert!(!free("timestamp", "timestamptz"));
        assert!(!free("varchar(10)[]", "varchar(20)[]"));
    }
}
