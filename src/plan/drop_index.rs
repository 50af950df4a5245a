//! drop-index: DROP INDEX CONCURRENTLY, outside a transaction, once no
//! running code depends on it.

use super::sql::ident;
use super::{Ctx, StepPhase};
use crate::error::Result;
use crate::model::Change;

pub(crate) fn plan(change: &Change, cx: &mut Ctx<'_>) -> Result<()> {
    let Change::DropIndex { name, table } = change else {
        return Ok(());
    };
    let parts: Vec<&str> = name
        .schema
        .iter()
        .chain([&name.name])
        .map(String::as_str)
        .collect();
    for p in &parts {
        super::sql::check_identifier("index", p)?;
    }
    let n = parts.iter().map(|p| ident(p)).collect::<Vec<_>>().join(".");
    let bare = name.name.as_str();
    let down = match cx.known(&cx.options.index_definition) {
        Some(def) => {
            let d = def.trim().trim_end_matches(';');
            let upper = d.to_ascii_uppercase();
            // A failed concurrent build leaves an INVALID index, which IF
            // NOT EXISTS would keep on a retry: drop any leftover first.
            match upper.find(" INDEX ") {
                Some(at) if upper.starts_with("CREATE") && !upper.contains("CONCURRENTLY") => {
                    format!(
                        "DROP INDEX CONCURRENTLY IF EXISTS {n};\n{} INDEX CONCURRENTLY {};\n",
                        &d[..at],
                        &d[at + 7..]
                    )
                }
                _ => format!("{d};\n"),
            }
        }
        None => super::sql::raise_exception(&format!(
            "the definition of {name} is unknown: plan with --definition \
             \"$(psql -Atc \"SELECT pg_get_indexdef('{name}'::regclass)\")\" to get the rollback"
        )),
    };
    let on = table
        .as_ref()
        .map(|t| format!(" on {t}"))
        .unwrap_or_default();
    let step = cx.migration(
        0,
        StepPhase::PostDeploy,
        &format!("drop_{bare}"),
        format!("Drop {name}{on} concurrently"),
        "DROP INDEX CONCURRENTLY waits for running queries instead of taking an ACCESS \
         EXCLUSIVE lock that would queue every read and write of the table, and must run \
         outside a transaction. It runs post-deploy so that no running release still relies \
         on the index for its queries.",
        format!("DROP INDEX CONCURRENTLY IF EXISTS {n};\n"),
        Some(down),
    );
    step.outside_transaction = true;
    step.requires.push(format!(
        "no query of the running releases needs {name} to stay fast"
    ));
    Ok(())
}
