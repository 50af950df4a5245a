//! The database schema a run lints against: a `pg_dump --schema-only` /
//! `structure.sql` dump read once by the SQL front end into a `Catalog`,
//! which then seeds every run (migrations apply on top of it, in order).

use crate::model::{Catalog, OpKind};
use crate::report::SchemaProblem;
use crate::sql;

/// A loaded schema: parse it once, pass it by reference to every run.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// What the dump creates.
    pub catalog: Catalog,
    /// The dump's path, as given.
    pub path: String,
}

/// Statement kinds the catalog learns from, by their leading words
/// (upper-case, single-spaced). Every other statement of a dump (functions,
/// triggers, comments, sequences, extensions, views, grants...) is skipped
/// without a word: it neither creates nor changes what the rules ask about.
const READ: &[&str] = &[
    "CREATE TABLE",
    "CREATE UNLOGGED TABLE",
    "CREATE INDEX",
    "CREATE UNIQUE INDEX",
    "ALTER TABLE",
    "ALTER INDEX",
    "CREATE DOMAIN",
    "SET",
];

/// The first `n` words of `text`, upper-cased and single-spaced.
fn leading_words(text: &str, n: usize) -> String {
    let mut out = String::new();
    for w in text.split_ascii_whitespace().take(n) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '_')
        {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// True when the CREATE TABLE text declares `PARTITION BY` after its
/// column list (the last closing parenthesis at depth zero).
fn declares_partition_by(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper
        .rfind("PARTITION BY")
        .is_some_and(|at| upper[..at].trim_end().ends_with(')'))
}

impl Schema {
    /// Reads a schema dump. Statements that fail to parse are skipped and
    /// returned as problems (with their line and the parser's reason); what
    /// they still tell is kept, and the load goes on.
    pub fn load(text: &str, path: &str) -> (Schema, Vec<SchemaProblem>) {
        let mut catalog = Catalog::default();
        let mut problems = Vec::new();
        let split = sql::split(text);
        let (mut line, mut seen) = (1u32, 0usize);
        for raw in &split.statements {
            let body = &text[raw.span.clone()];
            let words = leading_words(body, 3);
            if !READ.iter().any(|k| {
                words.starts_with(k) && words[k.len()..].chars().next().is_none_or(|c| c == ' ')
            }) {
                continue;
            }
            let stmt = sql::lower(text, raw.span.clone());
            if let Some((reason, _)) = &stmt.error {
                let newlines = text.as_bytes()[seen..raw.span.start.max(seen)]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                seen = raw.span.start.max(seen);
                problems.push(SchemaProblem {
                    path: path.to_string(),
                    line,
                    reason: reason.clone(),
                });
            }
            for op in &stmt.ops {
                catalog.apply(op);
                if let OpKind::CreateTable(ct) = &op.kind {
                    if declares_partition_by(body) {
                        catalog.mark_partitioned(&ct.table);
                    }
                }
            }
        }
        catalog.start_file();
        catalog.mark_complete();
        catalog.freeze();
        (
            Schema {
                catalog,
                path: path.to_string(),
            },
            problems,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Name;

    fn name(s: &str) -> Name {
        Name::parse(s).unwrap()
    }

    #[test]
    fn loads_tables_indexes_keys_and_partitions() {
        let dump = "SET statement_timeout = 0;\n\
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
            CREATE TABLE public.users (\n    id bigint NOT NULL,\n    username character varying(50),\n    email text\n);\n\
            CREATE TABLE public.events (\n    id bigint NOT NULL,\n    created_at timestamp with time zone NOT NULL\n)\nPARTITION BY RANGE (created_at);\n\
            CREATE TABLE public.events_2026 (\n    id bigint NOT NULL,\n    created_at timestamp with time zone NOT NULL\n);\n\
            ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
            ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n\
            ALTER TABLE public.users ADD CONSTRAINT check_email CHECK ((email IS NOT NULL));\n\
            CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);\n\
            COMMENT ON TABLE public.users IS 'people';\n";
        let (s, problems) = Schema::load(dump, "structure.sql");
        assert_eq!(problems, vec![]);
        let c = &s.catalog;
        assert!(c.is_complete());
        assert_eq!(c.counts(), (3, 7, 1));
        assert_eq!(
            c.column(&name("users"), "username")
                .map(|c| c.data_type.as_str()),
            Some("character varying(50)")
        );
        assert!(c.is_partitioned(&name("events")));
        assert!(!c.is_partitioned(&name("users")));
        assert_eq!(
            c.partitions(&name("events")),
            vec![name("public.events_2026")]
        );
        assert!(c.has_unique_key(&name("users"), &["id".into()]));
        assert!(c.has_unique_key(&name("users"), &["email".into()]));
        assert!(!c.has_unique_key(&name("users"), &["username".into()]));
        assert!(c.has_constraint(&name("users"), "check_email"));
        assert!(c.has_validated_not_null_check(&name("users"), "email"));
        let idx = c.index(&name("index_users_on_email")).unwrap();
        assert!(idx.unique && !idx.partial);
        // Schemas are told apart: staging.users is not public.users.
        assert!(!c.has_table(&name("staging.users")));
    }

    #[test]
    fn a_broken_statement_is_reported_and_the_load_goes_on() {
        let dump = "CREATE TABLE public.a (id bigint);\n\n\
            CREATE TABLE public.b (id bigint,, oops);\n\
            CREATE TABLE public.c (id bigint);\n";
        let (s, problems) = Schema::load(dump, "db/structure.sql");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert_eq!(problems[0].path, "db/structure.sql");
        assert!(!problems[0].reason.is_empty());
        assert!(s.catalog.has_table(&name("a")));
        assert!(s.catalog.has_table(&name("c")));
    }
}
