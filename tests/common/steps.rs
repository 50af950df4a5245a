//! How a plan's steps are applied in the PostgreSQL proofs (`pg_plans.rs`,
//! `pg_load.rs`): the SQL sent for a migration step, and which application
//! versions may be live at each point of the plan.

use zerodown::plan::Step;

/// A migration step's SQL as sent to the server: as-is for a step that runs
/// outside a transaction, wrapped in BEGIN/COMMIT otherwise.
pub fn migration_sql(step: &Step, sql: &str) -> String {
    if step.outside_transaction {
        sql.to_string()
    } else {
        format!("BEGIN;\n{sql}COMMIT;\n")
    }
}

/// Which code runs at each position of a plan: `zerodown rehearse`'s own.
#[allow(unused_imports)] // not every test binary uses it
pub use zerodown::rehearse::Live;
