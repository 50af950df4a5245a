//! The operation model and the context of a lint run.

mod change;
mod duration;
mod operation;
mod options;

pub use change::Change;
pub use duration::{format_ms, parse_duration_ms};
pub use operation::*;
pub use options::{
    LintOptions, PhaseGlob, RuleLevel, DEFAULT_MAX_LOCK_TIMEOUT, DEFAULT_PG_VERSION,
};
