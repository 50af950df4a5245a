use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Reports a migration that is a template: a placeholder such as
    /// `{{ index .Options "Namespace" }}` (Go templates, as supabase auth
    /// writes its schema) or `$%Schema%$` stands where SQL belongs, and no
    /// value was given for it. The finding names the placeholder; nothing
    /// else in the file is checked (one finding, not a parse error per
    /// statement). Give the value with `template-vars = { Namespace =
    /// "auth" }` in `zerodown.toml`, `--define Namespace=auth`, or
    /// `templateVars` in JavaScript: the file is then linted with its
    /// placeholders filled in, and findings point at the file's own lines.
    ///
    /// ## Why it causes downtime
    /// A file zerodown cannot read is a file nobody checked: it may take any
    /// lock or rewrite any table.
    ///
    /// ## Example
    /// ```sql invalid
    /// CREATE INDEX users_email_idx ON {{ .Schema }}.users (email);
    /// ```
    ///
    /// ## Safe alternative
    /// Give the placeholder's value (`template-vars = { Schema = "auth" }`),
    /// so that the file is linted as it runs:
    /// ```sql valid
    /// CREATE INDEX CONCURRENTLY users_email_idx ON auth.users (email);
    /// ```
    pub struct TemplatePlaceholder {
        id: "template-placeholder",
        severity: Error,
        summary: "A template placeholder with no value: the file was not checked",
        scope: Engine,
    }
}

impl Rule for TemplatePlaceholder {
    rule_meta!();

    /// The engine reports placeholders itself before it reads the file.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
