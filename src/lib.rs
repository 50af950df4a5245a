//! zerodown: zero-downtime migration rules for PostgreSQL.
//!
//! Data flows one way: SQL text ([`sql`]) → operations ([`model`]) →
//! findings ([`rules`], [`lint`](mod@lint)) and plans ([`plan`]) → reports ([`report`]).
//!
//! # Layers
//!
//! The modules form layers, lowest first. A module imports only modules of
//! lower layers; modules of one layer do not import each other.
//! `tests/layers.rs` reads every `crate::` path under `src/` and fails on a
//! backward import or a cycle (keep its `LAYERS` in step with this list).
//!
//! 1. [`error`] (and `alloc`, `tape`, the WebAssembly allocator and result
//!    encoding, which import nothing of the crate).
//! 2. [`model`]: the vocabulary every layer speaks: operations, [`Change`],
//!    [`Phase`], [`Severity`], [`Position`], [`Span`], release versions,
//!    options, and the engine state rules read (`FileState`, `Catalog`).
//! 3. [`sql`]: SQL text to `model` operations, positions, and the syntax of
//!    zerodown's comments (`-- zerodown-ignore`, `-- zerodown:` headers);
//!    and [`diff`]: a unified diff to the files it changes (their text as
//!    far as shown, the changed lines, the gaps).
//! 4. [`ruby`]: the Ruby front end: a Rails migration (`.rb`) to `model`
//!    operations, through `sql` for the SQL its calls run (behind the
//!    `ruby` feature in the engine).
//! 5. [`rules`]: one operation and its context in, diagnostics out. Rules
//!    read `model` only: the context they get (`RuleContext`) holds `model`
//!    types, so the engine that fills it is above them, not beside them.
//!    Beside them, [`tools`]: how each migration tool runs a folder (which
//!    files, in what order, which direction, in a transaction or not; a
//!    Rails migration's mode as `ruby` reads it).
//! 6. [`plan`]: a `model::Change` to a multi-release plan. It needs only
//!    `model`; it sits below `report` and `lint` because a finding carries
//!    its plan. (`rules` and `plan` do not know each other; the order
//!    between them is arbitrary.)
//! 7. [`report`]: the output model (findings, plans as files, schedules,
//!    cells reports) and every renderer (text, JSON). Renderers read these
//!    types only; they never call the engines, so the engines can build
//!    reports from below.
//! 8. [`lint`](mod@lint) (the engine: runs `sql` and `rules`, attaches plans, builds a
//!    `LintReport`).
//! 9. [`release`] (release-migration layouts, schedules and upgrade paths):
//!    above the engine because, given a schema, it runs the engine over the
//!    migrations in the order a deployment runs them.
//! 10. [`cells`] (its fleet check reads release layouts and plans) and
//!     [`config`] (`zerodown.toml`, checked with the engine's option checks).
//! 11. `rehearse` (native only): migrations or a plan applied to a real,
//!     disposable PostgreSQL under a concurrent workload, measured; its
//!     report types and text are in [`report`].
//! 12. [`cli`](mod@cli): the command line, `cli::run(argv, io)` over a small
//!     I/O trait: argument parsing, file and stream access, and a call into
//!     the core. The native binary and the Node module's `npx zerodown` both
//!     run it, so their help, errors and exit codes are the same. Its
//!     `lsp` module (native only) is the language server, `zerodown lsp`:
//!     the same core calls as `zerodown lint`, per open document.
//! 13. The WebAssembly bindings (`wasm`, whose Node module hands `runCli` to
//!     the package's bin), with this crate root.

pub mod cells;
#[cfg(any(feature = "cli", feature = "node"))]
pub mod cli;
pub mod config;
pub mod diff;
pub mod error;
pub mod lint;
pub mod model;
pub mod plan;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod rehearse;
pub mod release;
pub mod report;
pub mod ruby;
pub mod rules;
pub mod sql;
pub mod tools;

#[cfg(any(target_arch = "wasm32", test))]
mod alloc;
#[cfg(any(target_arch = "wasm32", test))]
mod tape;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode, Result};
#[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
pub use lint::lint_diff_with_context;
pub use lint::{lint, lint_diff, lint_files, SourceFile};
pub use model::{Change, LintOptions, Phase, Position, Severity, Span};
pub use report::{explain, rule_catalogue, Finding, LintReport};

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
