//! SQL text to operations: statement splitting, positions and lowering, and
//! the syntax of zerodown's own comments (`-- zerodown-ignore ...`,
//! `-- zerodown: key=value` headers; see `directives`).
//!
//! Layer: above `model` (whose operations, positions and spans it produces),
//! below everything that reads SQL (`lint`, `release`, `cells`).

mod dialect;
mod directives;
mod lower;
mod position;
mod split;
pub mod templates;
mod tokens;

pub use dialect::Postgres;
pub use directives::{parse_header, parse_ignore, Ignore};
pub use lower::{lower, parse, UNREADABLE};
pub use position::LineIndex;
pub use split::{split, LineComment, RawStatement, Split};
