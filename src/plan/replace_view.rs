//! replace-view: a view changed incompatibly (a column dropped, renamed or
//! retyped, which CREATE OR REPLACE VIEW refuses) goes through a new view
//! next to the old one: create it (M), switch the code to it (M), drop the
//! old view once no code uses it (M, post-deploy).

use super::sql::{check_identifier, ident, Table};
use super::{Ctx, StepPhase};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Change;

/// The query of a view definition, without its final `;`: one statement
/// that is a query.
fn query(what: &str, text: &str) -> Result<String> {
    let bad = |why: &str| Error::new(ErrorCode::BadChange, format!("{what}: {why}"));
    let split = crate::sql::split(text);
    if let Some((kind, _)) = split.unterminated {
        return Err(bad(&format!("unterminated {kind}")));
    }
    let [st] = split.statements.as_slice() else {
        return Err(bad("write one query (SELECT ...), not several statements"));
    };
    let q = text[st.span.clone()]
        .trim()
        .trim_end_matches(';')
        .trim_end();
    let head = q
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    if !matches!(head.as_str(), "SELECT" | "WITH" | "VALUES" | "TABLE") {
        return Err(bad(
            "a view's definition is a query (SELECT, WITH, VALUES or TABLE)",
        ));
    }
    Ok(q.to_string())
}

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::ReplaceView {
        view,
        new_name,
        definition,
    } = change
    else {
        return Ok(());
    };
    check_identifier("view", &view.name)?;
    let old = Table::of(view)?;
    let new_bare = new_name
        .rsplit('.')
        .next()
        .unwrap_or(new_name)
        .trim_matches('"');
    check_identifier("view", new_bare)?;
    if new_bare == old.name {
        return Err(Error::new(
            ErrorCode::BadChange,
            format!(
                "the new view needs a name of its own: {view} stays in use until the code has switched"
            ),
        ));
    }
    let new = old.sibling(new_bare);
    let q = query("the new view's definition", definition)?;
    cx.migration(
        0,
        StepPhase::Regular,
        &format!("create_{new_bare}"),
        format!("Create the view {} next to {view}", ident(new_bare)),
        "Code of the previous release keeps reading the old view while this release deploys: \
         the new one is created beside it. CREATE VIEW only takes ACCESS SHARE locks on the \
         tables it reads.",
        format!("CREATE VIEW {} AS\n{q};\n", new.sql()),
        Some(format!(
            "{}DROP VIEW IF EXISTS {};\n",
            cx.lock_timeout(),
            new.sql()
        )),
    );
    cx.application(
        0,
        "use_new_view",
        format!("Use {new_bare} instead of {view}"),
        "The new code reads the new view; the old code, still running during the deploy, the \
         old one.",
        format!("Make the code query {new_bare} instead of {view}."),
    );
    let l0 = cx.label(0);
    let restore = match cx.known(&cx.options.view_definition) {
        Some(def) => format!(
            "CREATE VIEW {} AS\n{};\n",
            old.sql(),
            query("--definition (the replaced view's query)", def)?
        ),
        None => super::sql::raise_exception(&format!(
            "the query of {view} is unknown: plan with --definition \"$(psql -Atc \"SELECT pg_get_viewdef('{view}'::regclass)\")\" to write this rollback"
        )),
    };
    cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("drop_{}", old.name),
        format!("Drop the view {view}"),
        "A post-deploy migration runs once every node runs the code that reads the new view. \
         DROP VIEW takes an ACCESS EXCLUSIVE lock on the view: the lock timeout makes it give \
         up rather than queue the view's readers. Without CASCADE it fails if another view \
         or function still depends on the old one.",
        format!("{}DROP VIEW IF EXISTS {};\n", cx.lock_timeout(), old.sql()),
        Some(restore),
    )
    .requires
    .push(format!(
        "release {l0}, which reads {new_bare}, runs everywhere"
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::query;

    #[test]
    fn a_definition_is_one_query() {
        assert_eq!(
            query("d", " SELECT id FROM users; ").ok().as_deref(),
            Some("SELECT id FROM users")
        );
        assert!(query("d", "WITH a AS (SELECT 1) SELECT * FROM a").is_ok());
        for bad in [
            "SELECT 1; DROP TABLE users",
            "DROP TABLE users",
            "SELECT 'open",
            "",
        ] {
            let e = query("d", bad).expect_err(bad);
            assert!(e.message.starts_with("d: "), "{bad}: {}", e.message);
        }
    }
}
