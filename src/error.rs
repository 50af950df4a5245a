//! The one error type of the library: bad options, unknown rules, bad
//! versions, bad input files. Bad SQL is never an error: it is a finding.
//!
//! The lowest layer: it imports nothing of the crate, and every layer above
//! returns it.

use serde::{Deserialize, Serialize};

/// What kind of error, as a stable code (`code` on JavaScript errors).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// Options or config that do not make sense.
    BadOptions,
    /// A rule id that does not exist.
    UnknownRule,
    /// A release version that does not parse or does not exist.
    BadVersion,
    /// A change that cannot be planned as asked.
    BadChange,
    /// An input file or folder with the wrong shape.
    BadInput,
}

impl ErrorCode {
    /// The kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadOptions => "bad-options",
            ErrorCode::UnknownRule => "unknown-rule",
            ErrorCode::BadVersion => "bad-version",
            ErrorCode::BadChange => "bad-change",
            ErrorCode::BadInput => "bad-input",
        }
    }
}

/// An error with a code and a message that names what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    /// Stable code.
    pub code: ErrorCode,
    /// What went wrong, naming the key, file or value.
    pub message: String,
}

impl Error {
    /// A new error.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
