//! SQL text to operations: statement splitting, positions and lowering.

mod dialect;
mod lower;
mod position;
mod split;
mod tokens;

pub use dialect::Postgres;
pub use lower::{lower, parse};
pub use position::LineIndex;
pub use split::{split, LineComment, RawStatement, Split};
