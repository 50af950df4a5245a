use super::{Diagnostic, Rule, RuleContext};
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Checks a release-migrations folder (`zerodown schedule`,
    /// `zerodown upgrade-path`): for every change whose steps the folder puts
    /// in different releases (`-- zerodown: change=NAME step=N` headers), the
    /// steps must run in different deployments, in order, on every allowed
    /// upgrade path. It reports the step that collapses into the deployment
    /// of an earlier step, the versions, the upgrade path, and the release to
    /// move the step to. It also reports a column drop that ships in the same
    /// deployment as the release that starts ignoring the column
    /// (`--ignored-columns`).
    ///
    /// In continuous mode each version is its own deployment. In self-managed
    /// mode a whole minor release is one deployment, and an upgrade may jump
    /// from one required stop to the next.
    ///
    /// ## Why it causes downtime
    /// A multi-release change (add a column, migrate the data, remove the old
    /// column) is only safe when a deployment separates its steps: the code
    /// that stops using the old column must be running everywhere before the
    /// column goes. When the steps run in one deployment, the old code is
    /// still serving requests when the column disappears, and they fail. The
    /// failure is silent in review: a merge request planned for 9.0.0 that
    /// slips to 9.0.1 puts all three steps in one self-managed upgrade.
    ///
    /// ## Example
    /// ```text
    /// -- 9.0.0/add_handle.sql
    /// -- zerodown: change=rename-users-username step=1
    /// ALTER TABLE users ADD COLUMN handle text;
    ///
    /// -- 9.0.1/remove_username.sql (same minor release as step 1)
    /// -- zerodown: change=rename-users-username step=3 phase=post-deploy
    /// ALTER TABLE users DROP COLUMN username;
    /// ```
    ///
    /// ## Safe alternative
    /// Move the later step to the release the finding names: the next minor
    /// release in self-managed mode (the first minor after the next required
    /// stop when an upgrade may jump over it), the next version in continuous
    /// mode.
    ///
    /// ```text
    /// -- 9.1.0/remove_username.sql
    /// -- zerodown: change=rename-users-username step=3 phase=post-deploy
    /// ALTER TABLE users DROP COLUMN username;
    /// ```
    pub struct ReleaseStepsCollapse {
        id: "release-steps-collapse",
        severity: Error,
        summary: "Steps of a multi-release change that run in one deployment",
        scope: Release,
    }
}

impl Rule for ReleaseStepsCollapse {
    rule_meta!();

    /// Checked over a release-migrations folder by `zerodown schedule` and
    /// `zerodown upgrade-path`, not per operation.
    fn check(&self, _op: &Op, _cx: &RuleContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
