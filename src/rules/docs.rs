//! The pages under `docs/rules/`, generated from the rules' metadata so the
//! docs cannot drift from `zerodown explain`.

use super::{RuleMeta, RULES};

/// The command that rewrites `docs/rules/` after a rule changes.
pub const UPDATE_COMMAND: &str = "ZERODOWN_UPDATE_DOCS=1 cargo test --test docs";

/// The page of one rule: title, severity, summary, then its documentation,
/// and its fix when `fix_section` (the engine's `lint::fix_example`, a
/// layer above) gives one.
pub fn render_rule_doc(meta: &RuleMeta, fix_section: Option<String>) -> String {
    let page = format!(
        "<!-- Generated from src/rules by `{UPDATE_COMMAND}`; do not edit. -->\n\n# {id}\n\n\
         **Severity:** {severity}{enabled}\n\n{summary}.\n\n{doc}",
        id = meta.id,
        severity = meta.severity,
        enabled = if meta.enabled_by_default {
            ""
        } else {
            " (off unless configured)"
        },
        summary = meta.summary,
        doc = meta.markdown(),
    );
    match fix_section {
        Some(fix) => format!("{page}\n{fix}"),
        None => page,
    }
}

/// The index page: one row per rule, in catalogue order.
pub fn render_index() -> String {
    let mut out = format!(
        "<!-- Generated from src/rules by `{UPDATE_COMMAND}`; do not edit. -->\n\n# Rules\n\n\
         Every rule zerodown checks, in catalogue order. Each id is the same string in \
         `zerodown.toml`, in `-- zerodown-ignore` comments and in the output; \
         `zerodown explain ID` prints a page in the terminal.\n\n\
         These pages are generated from the rules' doc comments in `src/rules/`. \
         After changing a rule, regenerate them with:\n\n```sh\n{UPDATE_COMMAND}\n```\n\n\
         | Rule | Severity | Summary |\n|---|---|---|\n"
    );
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!(
            "| [{id}]({id}.md) | {sev} | {summary} |\n",
            id = m.id,
            sev = m.severity,
            summary = m.summary.replace('|', "\\|"),
        ));
    }
    out
}

/// Every generated file under `docs/rules/`: (file name, contents), each
/// rule's fix section from `fix_section`.
pub fn generated_docs(fix_section: &dyn Fn(&RuleMeta) -> Option<String>) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = RULES
        .iter()
        .map(|r| {
            (
                format!("{}.md", r.meta().id),
                render_rule_doc(r.meta(), fix_section(r.meta())),
            )
        })
        .collect();
    files.push(("README.md".to_string(), render_index()));
    files
}
