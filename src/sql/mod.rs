//! SQL text to operations: statement splitting, positions and lowering.

mod lower;
mod position;
mod split;
mod tokens;

pub use lower::lower;
pub use position::LineIndex;
pub use split::{split, LineComment, RawStatement, Split};
