//! What a rehearsal learns from the database itself: which tables the
//! steps touch (by applying them first to a schema-only copy and comparing
//! the catalogs), a workload generated from those tables' columns, and the
//! rows `--rows` fills them with.

use std::collections::BTreeMap;
use std::time::Duration;

use postgres::Client;

use super::run::{apply_step, describe, Target};
use super::workload::{named_params, Extra, Role, Values, Version, Workload};
use crate::model::ident;
use crate::plan::Step;

/// A column as the catalog has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// Its type (`format_type`).
    pub ty: String,
    /// NOT NULL.
    pub not_null: bool,
    /// It has a default, or is an identity or generated column.
    pub filled: bool,
    /// A generated column (never written).
    pub generated: bool,
}

/// A table as the catalog has it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Its columns in order.
    pub columns: Vec<Column>,
    /// Its primary key's columns.
    pub key: Vec<String>,
    /// Indexes, constraints and triggers, as definitions.
    pub rest: Vec<String>,
}

/// The columns of every user table; `{generated}` is whether a column is
/// generated (`attgenerated`, PostgreSQL 12+; `false` before).
const TABLES_SQL: &str =
    "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), \
       a.attnotnull, (a.atthasdef OR a.attidentity <> '' ), {generated} \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
       AND n.nspname NOT LIKE 'pg_toast%' \
     ORDER BY 1, 2, a.attnum";

const REST_SQL: &str = "SELECT n.nspname, c.relname, x.def FROM ( \
       SELECT indrelid AS rel, pg_get_indexdef(indexrelid) || CASE WHEN indisvalid THEN '' ELSE ' INVALID' END AS def FROM pg_index \
       UNION ALL SELECT conrelid, conname || ' ' || pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END FROM pg_constraint WHERE conrelid <> 0 \
       UNION ALL SELECT tgrelid, tgname FROM pg_trigger WHERE NOT tgisinternal \
     ) x JOIN pg_class c ON c.oid = x.rel JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' \
     ORDER BY 1, 2, 3";

const KEY_SQL: &str = "SELECT n.nspname, c.relname, a.attname FROM pg_index i \
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
     WHERE i.indisprimary AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3";

/// The user tables of a database, by name as the workload writes it.
pub type Catalog = BTreeMap<String, Table>;

/// A table's name as the workload writes it: bare in `public`.
fn qualified(schema: &str, name: &str) -> String {
    if schema == "public" {
        ident(name)
    } else {
        format!("{}.{}", ident(schema), ident(name))
    }
}

/// The user tables of the database `c` is connected to.
pub fn catalog(c: &mut Client) -> Result<BTreeMap<String, Table>, String> {
    let mut out: BTreeMap<String, Table> = BTreeMap::new();
    let version: i32 = c
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(|e| describe(&e))?
        .get(0);
    let generated = if version >= 120_000 {
        "a.attgenerated <> ''"
    } else {
        "false"
    };
    let sql = TABLES_SQL.replace("{generated}", generated);
    for r in c.query(&sql, &[]).map_err(|e| describe(&e))? {
        let t = qualified(r.get(0), r.get(1));
        out.entry(t).or_default().columns.push(Column {
            name: r.get(2),
            ty: r.get(3),
            not_null: r.get(4),
            filled: r.get(5),
            generated: r.get(6),
        });
    }
    for r in c.query(KEY_SQL, &[]).map_err(|e| describe(&e))? {
        if let Some(t) = out.get_mut(&qualified(r.get(0), r.get(1))) {
            t.key.push(r.get(2));
        }
    }
    for r in c.query(REST_SQL, &[]).map_err(|e| describe(&e))? {
        if let Some(t) = out.get_mut(&qualified(r.get(0), r.get(1))) {
            t.rest.push(r.get(2));
        }
    }
    Ok(out)
}

/// The catalog before the steps, and after them (or after the steps that
/// applied), learned on a schema-only copy of the database (`CREATE
/// DATABASE ... TEMPLATE`), dropped afterwards. The copy needs no other
/// session on the database and the right to create databases.
pub fn before_and_after(
    target: &Target,
    db: &str,
    steps: &[(usize, Step)],
) -> Result<(Catalog, Catalog), String> {
    let before = {
        let mut c = target.connect("zerodown-rehearse")?;
        catalog(&mut c)?
    };
    let scratch = format!("zerodown_scratch_{}", std::process::id());
    let mut admin_cfg = target.config.clone();
    admin_cfg.dbname("postgres");
    let admin_target = Target {
        config: admin_cfg,
        label: target.label.clone(),
    };
    let mut admin = admin_target.connect("zerodown-rehearse")?;
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {}", ident(&scratch)));
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE {}",
            ident(&scratch),
            ident(db)
        ))
        .map_err(|e| {
            format!(
                "cannot copy the database's schema to learn which tables the steps change, for the generated workload ({}); give a workload with --workload FILE",
                describe(&e)
            )
        })?;
    let after = (|| {
        let mut cfg = target.config.clone();
        cfg.dbname(&scratch);
        let t = Target {
            config: cfg,
            label: target.label.clone(),
        };
        let mut c = t.connect("zerodown-rehearse")?;
        for (_, st) in steps {
            if let (true, Some(sql)) = (st.is_migration(), &st.sql) {
                if apply_step(&mut c, st, sql).is_err() {
                    break;
                }
            }
        }
        catalog(&mut c)
    })();
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {}", ident(&scratch)));
    Ok((before, after?))
}

/// The tables the steps change: their columns, keys, indexes, constraints
/// or triggers differ, or they are gone.
pub fn touched(before: &BTreeMap<String, Table>, after: &BTreeMap<String, Table>) -> Vec<String> {
    before
        .iter()
        .filter(|(name, t)| after.get(*name) != Some(t))
        .map(|(name, _)| name.clone())
        .collect()
}

fn is_text(ty: &str) -> bool {
    ty == "text"
        || ty.starts_with("character varying")
        || ty.starts_with("character(")
        || ty == "character"
}

fn is_integer(ty: &str) -> bool {
    matches!(ty, "integer" | "bigint" | "smallint")
}

/// A value for a NOT NULL column without a default, by type; None when
/// zerodown does not know one.
fn filler(ty: &str) -> Option<&'static str> {
    Some(match ty {
        t if is_text(t) => "'x'",
        t if is_integer(t) => "0",
        "numeric" | "real" | "double precision" => "0",
        t if t.starts_with("numeric") => "0",
        "boolean" => "false",
        "date" => "current_date",
        t if t.starts_with("timestamp") => "now()",
        t if t.starts_with("time") => "current_time",
        "uuid" => "md5(random()::text)::uuid",
        "jsonb" | "json" => "'{}'",
        "bytea" => "''",
        "interval" => "'0'",
        t if t.ends_with("[]") => "'{}'",
        _ => return None,
    })
}

/// One version's statements on `table` as it has it, tracking `value`.
fn version_for(
    name: &str,
    role: Role,
    table_name: &str,
    table: &Table,
    value: &Column,
) -> Result<Option<Version>, String> {
    let key = ident(&table.key[0]);
    let t = table_name;
    let mut cols = vec![ident(&value.name)];
    let mut vals = vec!["$value".to_string()];
    for c in &table.columns {
        if c.name == value.name || c.generated || table.key.contains(&c.name) {
            continue;
        }
        let v = if c.filled {
            "DEFAULT".to_string()
        } else if c.not_null {
            // A column of a type without a known value: the table is left out.
            let Some(f) = filler(&c.ty) else {
                return Ok(None);
            };
            f.to_string()
        } else {
            "NULL".to_string()
        };
        cols.push(ident(&c.name));
        vals.push(v);
    }
    let listed: Vec<String> = table
        .columns
        .iter()
        .filter(|c| c.name != value.name)
        .map(|c| ident(&c.name))
        .collect();
    let v = ident(&value.name);
    let read_cols = std::iter::once(v.clone())
        .chain(listed)
        .collect::<Vec<_>>()
        .join(", ");
    let what = format!("generated workload, {name} {t}");
    Ok(Some(Version {
        name: name.to_string(),
        role,
        data: t.to_string(),
        values: if is_integer(&value.ty) {
            Values::Integer
        } else {
            Values::Text
        },
        insert: Some(named_params(
            &format!(
                "INSERT INTO {t} ({}) VALUES ({}) RETURNING {key}",
                cols.join(", "),
                vals.join(", ")
            ),
            &what,
        )?),
        update: Some(named_params(
            &format!("UPDATE {t} SET {v} = $value WHERE {key} = $id"),
            &what,
        )?),
        read: Some(named_params(
            &format!("SELECT {read_cols} FROM {t} WHERE {key} = $id"),
            &what,
        )?),
        all: Some(format!("SELECT {key}, {v} FROM {t}")),
        extra: Vec::<Extra>::new(),
    }))
}

/// A workload for the touched tables: an `old` version using their columns
/// before the steps, a `new` one using them after. Each table needs a
/// one-column integer primary key and a text or integer column that both
/// versions have (the value checked); other tables are left out, with a
/// note.
pub fn workload(
    before: &BTreeMap<String, Table>,
    after: &BTreeMap<String, Table>,
    touched: &[String],
    notes: &mut Vec<String>,
) -> Result<Workload, String> {
    let mut versions = Vec::new();
    let mut tables = Vec::new();
    for name in touched {
        let Some(b) = before.get(name) else { continue };
        let key_ok = b.key.len() == 1
            && b.columns
                .iter()
                .any(|c| c.name == b.key[0] && is_integer(&c.ty));
        if !key_ok {
            notes.push(format!(
                "{name}: left out of the generated workload: it has no one-column integer primary key"
            ));
            continue;
        }
        let a = after.get(name);
        let same = |c: &&Column| {
            !b.key.contains(&c.name)
                && (is_text(&c.ty) || is_integer(&c.ty))
                && a.is_none_or(|a| a.columns.iter().any(|x| x.name == c.name && x.ty == c.ty))
        };
        let Some(value) = b
            .columns
            .iter()
            .filter(same)
            .find(|c| is_text(&c.ty))
            .or_else(|| b.columns.iter().find(same))
        else {
            notes.push(format!(
                "{name}: left out of the generated workload: no text or integer column is the same before and after the migration"
            ));
            continue;
        };
        match version_for("old", Role::Old, name, b, value)? {
            Some(v) => versions.push(v),
            None => {
                notes.push(format!("{name}: left out of the generated workload: a NOT NULL column of a type zerodown cannot fill"));
                continue;
            }
        }
        if let Some(a) = a.filter(|a| a.key == b.key) {
            if let Some(v) = version_for("new", Role::New, name, a, value)? {
                versions.push(v);
            }
        }
        tables.push(name.clone());
    }
    if versions.is_empty() {
        return Err(format!(
            "cannot generate a workload: {}; give one with --workload FILE (see docs/rehearse.md)",
            if touched.is_empty() {
                "the steps change no existing table".to_string()
            } else {
                notes.join("; ")
            }
        ));
    }
    // Versions of several tables: one `old` and one `new` each, told apart
    // by their data set.
    Ok(Workload {
        source: "generated".into(),
        sessions: 4,
        prepared_sessions: 1,
        think: Duration::from_millis(2),
        rate: None,
        long_transaction: Duration::from_secs(3),
        long_transaction_writes: false,
        tables,
        versions,
    })
}

/// Fills each of `tables` that is empty with `rows` generated rows, then
/// VACUUM ANALYZE. Tables with a NOT NULL column of a type zerodown cannot
/// fill are left as they are, with a note.
pub fn seed(
    c: &mut Client,
    catalog: &BTreeMap<String, Table>,
    tables: &[String],
    rows: u64,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    for name in tables {
        let Some(t) = catalog.get(name) else { continue };
        let empty: bool = c
            .query_one(&format!("SELECT NOT EXISTS (SELECT 1 FROM {name})"), &[])
            .map_err(|e| describe(&e))?
            .get(0);
        if !empty {
            notes.push(format!("{name}: has rows already; --rows adds none"));
            continue;
        }
        let mut cols = Vec::new();
        let mut vals = Vec::new();
        let mut ok = true;
        for col in &t.columns {
            if col.generated || (col.filled && !is_text(&col.ty)) {
                continue;
            }
            // Nullable columns stay NULL (a nullable reference points at
            // nothing); NOT NULL ones get a value of their type.
            let v = if is_text(&col.ty) {
                "'seed' || i".to_string()
            } else if col.not_null {
                match filler(&col.ty) {
                    Some(f) => f.to_string(),
                    None => {
                        ok = false;
                        break;
                    }
                }
            } else {
                continue;
            };
            cols.push(ident(&col.name));
            vals.push(v);
        }
        if !ok {
            notes.push(format!(
                "{name}: --rows left it empty: a NOT NULL column of a type zerodown cannot fill"
            ));
            continue;
        }
        let sql = format!(
            "INSERT INTO {name} ({}) SELECT {} FROM generate_series(1, {rows}) i",
            cols.join(", "),
            vals.join(", ")
        );
        c.batch_execute(&sql)
            .map_err(|e| format!("--rows: filling {name}: {}", describe(&e)))?;
        c.batch_execute(&format!("VACUUM ANALYZE {name}"))
            .map_err(|e| describe(&e))?;
    }
    Ok(())
}
