//! The operation model and the context of a lint run.

mod change;
mod operation;
mod options;

pub use change::Change;
pub use operation::*;
pub use options::{LintOptions, PhaseGlob, RuleLevel, DEFAULT_PG_VERSION};
