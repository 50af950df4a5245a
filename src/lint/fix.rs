//! Applying fixes (`zerodown fix`): the findings' [`Fix`]es written into
//! the files, pass after pass until none is left.
//!
//! A pass lints the files as `lint` does (their tool, order and
//! transaction modes), then applies each file's fixes whole: a fix whose
//! edits overlap one taken earlier in the pass waits for the next pass,
//! where it is offered again against the new text. The run ends when a
//! pass applies nothing, so a second run changes nothing.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Schema;
use crate::error::Result;
use crate::model::{Fix, LintOptions};

/// The most passes a run makes. Each fix removes its finding, so a file
/// settles in one pass per overlapping fix; a file that still changes
/// after this many is left as it is then.
const MAX_PASSES: usize = 8;

/// Applies `fixes` to `text`, in order, each fix whole or not at all: a
/// fix with an edit out of the text, off a character boundary, or
/// overlapping an edit taken before is left out (two insertions at one
/// point overlap; edits that only touch do not). Returns the new text and
/// the indexes of the fixes applied.
pub fn apply_fixes<'f>(
    text: &str,
    fixes: impl IntoIterator<Item = &'f Fix>,
) -> (String, Vec<usize>) {
    let mut taken: Vec<(usize, usize, &str)> = Vec::new();
    let mut applied = Vec::new();
    for (k, fix) in fixes.into_iter().enumerate() {
        let edits: Vec<(usize, usize, &str)> = fix
            .edits
            .iter()
            .map(|e| {
                (
                    e.span.start.offset as usize,
                    e.span.end.offset as usize,
                    e.text.as_str(),
                )
            })
            .collect();
        let fits = edits.iter().all(|&(s, e, _)| {
            s <= e
                && e <= text.len()
                && text.is_char_boundary(s)
                && text.is_char_boundary(e)
                && taken.iter().all(|&(ts, te, _)| {
                    let both_insert_here = s == e && ts == te && s == ts;
                    (e <= ts || s >= te) && !both_insert_here
                })
        });
        // Edits of one fix must not overlap each other either.
        let mut own = edits.clone();
        own.sort_by_key(|&(s, e, _)| (s, e));
        let apart = own.windows(2).all(|w| w[0].1 <= w[1].0 && w[0] != w[1]);
        if fits && apart && !edits.is_empty() {
            taken.extend(edits);
            applied.push(k);
        }
    }
    taken.sort_by_key(|&(s, e, _)| (s, e));
    let mut out =
        String::with_capacity(text.len() + taken.iter().map(|t| t.2.len()).sum::<usize>());
    let mut at = 0;
    for (s, e, t) in taken {
        out.push_str(&text[at..s]);
        out.push_str(t);
        at = e;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// One fixed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedFile {
    /// The file's path, as given.
    pub path: String,
    /// Its new text.
    pub text: String,
    /// The rules whose fixes were applied, one entry per fix.
    pub rules: Vec<String>,
}

/// What a fix run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FixOutcome {
    /// The files that changed, in path order.
    pub fixed: Vec<FixedFile>,
    /// Findings with a fix that was not applied after the last pass (it
    /// kept overlapping another, or the run hit its pass limit).
    pub unapplied: usize,
}

/// Fixes `files` (path, text) as `lint` reads them with `tool` and
/// `direction`: only the fixes of the rules in `only` (all when empty).
pub fn fix_folder(
    files: &[(String, String)],
    tool: Option<crate::tools::Tool>,
    direction: crate::tools::Direction,
    options: &LintOptions,
    schema: Option<&Schema>,
    only: &[String],
) -> Result<FixOutcome> {
    let mut options = options.clone();
    // Plans are not needed to fix, and cost time.
    options.plans = false;
    let mut texts: Vec<(String, String)> = files.to_vec();
    let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unapplied = 0;
    for _ in 0..MAX_PASSES {
        let (report, _) = super::lint_folder(&texts, tool, direction, &options, schema)?;
        let mut by_file: BTreeMap<&str, Vec<&crate::report::Finding>> = BTreeMap::new();
        for f in &report.findings {
            if f.fix.is_some() && (only.is_empty() || only.contains(&f.rule)) {
                by_file.entry(f.path.as_str()).or_default().push(f);
            }
        }
        let offered: usize = by_file.values().map(Vec::len).sum();
        let mut changed = 0;
        for (path, text) in &mut texts {
            let Some(found) = by_file.get(path.as_str()) else {
                continue;
            };
            let fixes: Vec<(&str, &Fix)> = found
                .iter()
                .filter_map(|f| f.fix.as_ref().map(|x| (f.rule.as_str(), x)))
                .collect();
            let (new, taken) = apply_fixes(text, fixes.iter().map(|(_, f)| *f));
            if !taken.is_empty() && new != *text {
                rules
                    .entry(path.clone())
                    .or_default()
                    .extend(taken.iter().map(|&k| fixes[k].0.to_string()));
                *text = new;
                changed += taken.len();
            }
        }
        unapplied = offered - changed;
        if changed == 0 {
            break;
        }
    }
    let fixed = texts
        .into_iter()
        .zip(files)
        .filter(|((_, new), (_, old))| new != old)
        .map(|((path, text), _)| FixedFile {
            rules: rules.remove(&path).unwrap_or_default(),
            path,
            text,
        })
        .collect();
    Ok(FixOutcome { fixed, unapplied })
}

/// The `## Fix` section of a rule's documentation page: its first
/// `sql invalid` example as the rule's fix rewrites it, when it offers one
/// there (linted as a regular migration with the default options).
pub fn fix_example(meta: &crate::rules::RuleMeta) -> Option<String> {
    let doc = meta.markdown();
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match &mut current {
            None if line.trim() == "```sql invalid" => current = Some(String::new()),
            Some(text) if line.trim() == "```" => {
                examples.push(std::mem::take(text));
                current = None;
            }
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    let options = LintOptions {
        plans: false,
        ..LintOptions::default()
    };
    examples.iter().find_map(|sql| {
        let report = super::lint(sql, "db/migrate/example.sql", &options).ok()?;
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule == meta.id && f.fix.is_some())?;
        let fix = finding.fix.as_ref()?;
        let (fixed, _) = apply_fixes(sql, [fix]);
        Some(format!(
            "## Fix\n\n`zerodown fix` and the editor's code action (`zerodown lsp`, see \
             [editors](../editors.md)) rewrite the unsafe example above: {}.\n\n```sql\n{}\n```\n",
            fix.title.trim_end_matches('.'),
            fixed.trim_end()
        ))
    })
}
