//! Every rule against its fixtures (`tests/fixtures/rules/<id>/*.fail.sql`
//! and `*.ok.sql`) and against the SQL examples in its own documentation.
//!
//! A fixture may start with `-- options: pg=11 large-table=users
//! in-transaction phase=post-deploy` and, in a `.fail.sql`, lists the exact
//! findings of its rule as `-- expect: LINE:COLUMN SEVERITY`. A `.ok.sql`
//! must give no finding of its rule and no error or warning at all.
//!
//! `-- schema: SQL` lines give the fixture a schema dump: their text, one
//! line each, in order, is loaded with `lint::Schema::load` and the fixture
//! is linted on top of it. Without them the fixture is linted with no
//! schema (the rules' "does not know" behaviour).

mod common;

use std::fs;
use std::path::Path;

use common::{describe, lint_at, options_from};
use zerodown::rules::RULES;
use zerodown::Severity;

struct Fixture {
    options: String,
    schema: String,
    expect: Vec<(u32, u32, String)>,
}

fn header(sql: &str) -> Fixture {
    let mut f = Fixture {
        options: String::new(),
        schema: String::new(),
        expect: Vec::new(),
    };
    for line in sql.lines() {
        // SQL fixtures comment with `--`, Ruby ones with `#`.
        let line = line.strip_prefix("# ").map_or(line, |l| l);
        let line = match line.strip_prefix("-- ") {
            Some(l) => l,
            None => line,
        };
        if let Some(o) = line.strip_prefix("options:") {
            f.options.push_str(o);
            f.options.push(' ');
        } else if let Some(s) = line.strip_prefix("schema:") {
            f.schema.push_str(s);
            f.schema.push('\n');
        } else if let Some(e) = line.strip_prefix("expect:") {
            let mut words = e.split_whitespace();
            let pos = words.next().expect("LINE:COLUMN");
            let sev = words.next().expect("severity").to_string();
            let (l, c) = pos.split_once(':').expect("LINE:COLUMN");
            f.expect
                .push((l.parse().expect("line"), c.parse().expect("column"), sev));
        }
    }
    f
}

#[test]
fn every_rule_has_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for r in RULES {
        let id = r.meta().id;
        if zerodown::rules::find(id)
            .is_some_and(|r| r.meta().scope == zerodown::rules::Scope::Release)
        {
            continue;
        }
        let dir = root.join(id);
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("missing fixture folder tests/fixtures/rules/{id}"))
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .any(|n| n.ends_with(".fail.sql") || n.ends_with(".fail.rb")),
            "{id}: no .fail.sql fixture"
        );
        assert!(
            names
                .iter()
                .any(|n| n.ends_with(".ok.sql") || n.ends_with(".ok.rb")),
            "{id}: no .ok.sql fixture"
        );
    }
    // No folder for a rule that does not exist.
    for e in fs::read_dir(&root).expect("fixtures") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(
            zerodown::rules::find(&name).is_some(),
            "fixture folder `{name}` names no rule"
        );
    }
}

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for r in RULES {
        let id = r.meta().id;
        if zerodown::rules::find(id)
            .is_some_and(|r| r.meta().scope == zerodown::rules::Scope::Release)
        {
            continue;
        }
        let mut files: Vec<_> = fs::read_dir(root.join(id))
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let sql = fs::read_to_string(&path).expect("read fixture");
            let fx = header(&sql);
            let options = options_from(&fx.options);
            let shown = format!("{id}/{name}");
            let at = format!("db/migrate/{name}");
            let report = if fx.schema.is_empty() {
                lint_at(&sql, &at, &options)
            } else {
                let (schema, problems) = zerodown::lint::Schema::load(&fx.schema, "schema");
                assert_eq!(problems, vec![], "{id}/{name}: its schema does not load");
                zerodown::lint::lint_with_schema(&sql, &at, &options, Some(&schema))
                    .expect("options are valid")
            };
            let all = describe(&report);
            let mine: Vec<(u32, u32, String)> = report
                .findings
                .iter()
                .filter(|f| f.rule == id)
                .map(|f| {
                    (
                        f.span.start.line,
                        f.span.start.column,
                        f.severity.to_string(),
                    )
                })
                .collect();
            checked += 1;
            if name.ends_with(".fail.sql") || name.ends_with(".fail.rb") {
                if fx.expect.is_empty() {
                    failures.push(format!("{shown}: no `-- expect:` line"));
                }
                if mine != fx.expect {
                    failures.push(format!(
                        "{shown}: expected {:?}, got {:?}\n  all findings: {all:#?}",
                        fx.expect, mine
                    ));
                }
            } else if name.ends_with(".ok.sql") || name.ends_with(".ok.rb") {
                let loud: Vec<&String> = report
                    .findings
                    .iter()
                    .zip(&all)
                    .filter(|(f, _)| f.rule == id || f.severity != Severity::Info)
                    .map(|(_, d)| d)
                    .collect();
                if !loud.is_empty() {
                    failures.push(format!(
                        "{shown}: expected no error, warning or `{id}` finding, got {loud:#?}"
                    ));
                }
            } else {
                failures.push(format!(
                    "{shown}: name must end in .fail.sql, .ok.sql, .fail.rb or .ok.rb"
                ));
            }
        }
    }
    assert!(checked > 2 * RULES.len() - 1);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The SQL and Ruby fences of a rule's documentation: (kind, options,
/// text), with the kind prefixed `ruby ` for Ruby fences.
fn fences(markdown: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    for line in markdown.lines() {
        if let Some((kind, opts, body)) = current.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push((kind.clone(), opts.clone(), std::mem::take(body)));
                current = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
        } else if let Some((lang, info)) = line
            .trim_start()
            .strip_prefix("```sql")
            .map(|i| ("", i))
            .or_else(|| {
                line.trim_start()
                    .strip_prefix("```ruby")
                    .map(|i| ("ruby ", i))
            })
        {
            let mut words = info.split_whitespace();
            let kind = format!("{lang}{}", words.next().unwrap_or(""));
            let opts = words.collect::<Vec<_>>().join(" ");
            current = Some((kind, opts, String::new()));
        }
    }
    assert!(current.is_none(), "unclosed code fence");
    out
}

#[test]
fn doc_examples() {
    let mut failures = Vec::new();
    for r in RULES {
        let m = r.meta();
        let doc = m.markdown();
        for section in [
            "## What it does",
            "## Why it causes downtime",
            "## Example",
            "## Safe alternative",
        ] {
            if !doc.contains(section) {
                failures.push(format!("{}: no `{section}` section", m.id));
            }
        }
        // Release-folder rules document a folder layout, checked in tests/release.rs.
        if m.scope == zerodown::rules::Scope::Release {
            continue;
        }
        let fs = fences(&doc);
        let has = |want: &str| {
            fs.iter()
                .any(|(k, _, _)| k.strip_prefix("ruby ").unwrap_or(k) == want)
        };
        if !has("invalid") || !has("valid") {
            failures.push(format!(
                "{}: needs a ```sql invalid and a ```sql valid example",
                m.id
            ));
        }
        // A ```sql schema fence is the schema dump the fences after it are
        // linted against.
        let mut schema: Option<zerodown::lint::Schema> = None;
        for (kind, opts, sql) in fs {
            if kind == "schema" {
                let (loaded, problems) = zerodown::lint::Schema::load(&sql, "schema");
                if !problems.is_empty() {
                    failures.push(format!(
                        "{}: schema example does not load: {problems:?}",
                        m.id
                    ));
                }
                schema = Some(loaded);
                continue;
            }
            let (kind, path) = match kind.strip_prefix("ruby ") {
                Some(k) => (k.to_string(), "db/migrate/example.rb"),
                None => (kind, "db/migrate/example.sql"),
            };
            let report = match &schema {
                None => lint_at(&sql, path, &options_from(&opts)),
                Some(schema) => {
                    zerodown::lint::lint_with_schema(&sql, path, &options_from(&opts), Some(schema))
                        .expect("options are valid")
                }
            };
            let all = describe(&report);
            let mine = report.findings.iter().filter(|f| f.rule == m.id).count();
            match kind.as_str() {
                "invalid" if mine == 0 => failures.push(format!(
                    "{}: invalid example gives no `{}` finding:\n{sql}{all:#?}",
                    m.id, m.id
                )),
                "valid" if mine > 0 || report.summary.errors > 0 => failures.push(format!(
                    "{}: valid example gives findings:\n{sql}{all:#?}",
                    m.id
                )),
                "invalid" | "valid" => {}
                other => failures.push(format!(
                    "{}: fence kind must be `invalid` or `valid`, not `{other}`",
                    m.id
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
