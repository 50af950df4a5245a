//! The lowest layer above `error`: the vocabulary every other layer speaks.
//!
//! - the operation model ([`Op`], [`Name`], ...) that `sql` lowers SQL into;
//! - [`Change`], the typed description of a change the planner plans;
//! - the shared vocabulary: [`Phase`], [`Severity`], [`Position`], [`Span`]
//!   and release [`Version`]s;
//! - the context of a lint run: [`LintOptions`], phase inference from a
//!   file's path ([`infer_phase`]) and the engine state rules read
//!   ([`FileState`], [`Catalog`]), kept up to date by `lint`;
//! - PostgreSQL's behaviour as data ([`postgres`]: the lock, rewrite and
//!   scan of every statement form, by major version), which strong lock a
//!   statement takes (`strong_lock`, read from it) and sharding-key names;
//! - durations as PostgreSQL writes them (`lock_timeout`).
//!
//! It imports nothing of the crate but `error`.

mod change;
mod duration;
mod ident;
mod layered;
mod locks;
mod operation;
mod options;
mod pg_version;
mod phase;
pub mod postgres;
mod sharding;
mod state;
mod version;
mod vocabulary;

pub use change::Change;
pub use duration::parse_duration_ms;
pub use ident::ident;
pub(crate) use locks::strong_lock;
pub use operation::*;
pub use options::{FailOn, LintOptions, PhaseGlob, RuleLevel, DEFAULT_MAX_LOCK_TIMEOUT};
pub use pg_version::{PgVersion, DEFAULT_PG_VERSION};
pub use phase::{glob_match, infer_phase, phase_from_path};
pub use sharding::{key_column_for_root, normalize_table, table_key};
pub use state::{Catalog, ColumnInfo, FileState, IndexInfo};
pub use version::Version;
pub use vocabulary::{Edit, Fix, Phase, Position, Severity, Span};
