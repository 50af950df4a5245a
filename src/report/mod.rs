//! Output types and formats. Every face (CLI, JSON, JavaScript) renders
//! these same types, and every renderer lives here: the command line only
//! chooses one and writes what it returns.
//!
//! Layer: above `model` and `plan` (a finding carries its plan), below the
//! engines that build these types (`lint`, `release`, `cells`). Renderers
//! read the types only and never call an engine. The vocabulary the output
//! shares with the lower layers (`Severity`, `Phase`, `Position`, `Span`) is
//! defined in `model` and re-exported here.

mod catalogue;
pub mod cells;
// CI formats and fingerprints: not in the browser's lint module.
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
mod ci;
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub mod fingerprint;
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub mod markdown;
pub use catalogue::{explain, rule_catalogue};
mod cells_text;
mod plan_rails;
mod plan_text;
// The rehearsal report (`zerodown rehearse`, native): its types and text
// for the Node module and the browser's full module; not in the lint module.
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
mod rehearsal;
mod release_text;
mod schedule;
mod text;
mod types;

pub use cells_text::{render_analyze_text, render_fleet_text, render_move_text};
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub use ci::{gitlab_severity, render_ci, rule_url, CiFormat, CiStream};
pub use plan_rails::{plan_files_rails, Helpers};
pub use plan_text::{
    describe_change, migration_body, migration_header, plan_files, render_plan_text, PlanFile,
};
#[cfg(any(not(target_arch = "wasm32"), feature = "full", feature = "node"))]
pub use rehearsal::*;
pub use release_text::{render_schedule_text, render_upgrade_path_text};
pub use schedule::*;
pub use text::{
    render_finding, render_rules_text, render_text, summary_line, text_findings, text_head,
    text_renderer, text_tail,
};
pub use types::*;

/// A lint report written while it is made: `run` lints, handing each
/// file's findings (in the report's order) to its argument, and returns the
/// rest of the report (files, summary, tool). It serializes exactly as that
/// `LintReport` with its findings would, without ever holding them all:
/// JSON's `findings` come first, and the rest is known once they are out.
pub struct StreamedReport<'a> {
    run: std::cell::RefCell<Option<Run<'a>>>,
    rest: std::cell::RefCell<Option<LintReport>>,
}

type Run<'a> = Box<dyn FnOnce(&mut dyn FnMut(Vec<Finding>)) -> LintReport + 'a>;

impl<'a> StreamedReport<'a> {
    /// The report `run` makes.
    pub fn new(run: impl FnOnce(&mut dyn FnMut(Vec<Finding>)) -> LintReport + 'a) -> Self {
        StreamedReport {
            run: std::cell::RefCell::new(Some(Box::new(run))),
            rest: std::cell::RefCell::new(None),
        }
    }

    /// The report once written, without its findings (`None` before).
    pub fn into_rest(self) -> Option<LintReport> {
        self.rest.into_inner()
    }
}

/// The findings of a [`StreamedReport`], serialized as they are made.
struct StreamedFindings<'r, 'a>(&'r StreamedReport<'a>);

impl serde::Serialize for StreamedFindings<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let run = self
            .0
            .run
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("a streamed report is written once"))?;
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let rest = run(&mut |file| {
            for f in &file {
                if failed.is_none() {
                    if let Err(e) = seq.serialize_element(f) {
                        failed = Some(e);
                    }
                }
            }
        });
        *self.0.rest.borrow_mut() = Some(rest);
        match failed {
            Some(e) => Err(e),
            None => seq.end(),
        }
    }
}

impl serde::Serialize for StreamedReport<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeStruct};
        // The fields of `LintReport`, in its order, with its rules.
        let mut st = s.serialize_struct("LintReport", 4)?;
        st.serialize_field("findings", &StreamedFindings(self))?;
        let rest = self.rest.borrow();
        let rest = rest
            .as_ref()
            .ok_or_else(|| S::Error::custom("the streamed run did not finish"))?;
        st.serialize_field("files", &rest.files)?;
        st.serialize_field("summary", &rest.summary)?;
        match &rest.tool {
            Some(t) => st.serialize_field("tool", t)?,
            None => st.skip_field("tool")?,
        }
        st.end()
    }
}

/// The report as pretty-printed JSON (the `--format json` contract).
pub fn render_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing plain data structs cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
