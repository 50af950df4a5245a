//! SQL text to operations: statement splitting, positions and lowering.

mod dialect;
mod directives;
mod lower;
mod position;
mod split;
mod tokens;

pub use dialect::Postgres;
pub use directives::{parse_header, parse_ignore, Ignore};
pub use lower::{lower, parse};
pub use position::LineIndex;
pub use split::{split, LineComment, RawStatement, Split};
