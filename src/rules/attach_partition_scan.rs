use super::{Diagnostic, Rule, RuleContext};
use crate::model::{Op, OpKind, Severity};

declare_rule! {
    /// ## What it does
    /// Flags `ALTER TABLE ... ATTACH PARTITION` of an existing table that no
    /// earlier statement of the run gave a validated CHECK constraint. The
    /// match is kept simple: any validated CHECK on the partition counts;
    /// zerodown does not compare its expression with the partition bound.
    /// An error before PostgreSQL 12 (`--pg-version`), a warning after.
    ///
    /// ## Why it causes downtime
    /// PostgreSQL scans every row of the partition to prove it fits the
    /// bound, holding an ACCESS EXCLUSIVE lock on the partition (and on a
    /// default partition, which it scans too). Before PostgreSQL 12 it also
    /// holds ACCESS EXCLUSIVE on the parent: no query on the whole
    /// partitioned table runs until the scan is done. A validated CHECK that
    /// implies the bound lets it skip the scan.
    ///
    /// ## Example
    /// ```sql invalid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    /// ```
    ///
    /// ## Safe alternative
    /// Add a CHECK constraint matching the bound `NOT VALID`, validate it
    /// (reads and writes go on), attach, then drop the now redundant CHECK:
    /// ```sql valid
    /// SET lock_timeout = '1s';
    /// ALTER TABLE events_2025 ADD CONSTRAINT events_2025_bound CHECK (at >= '2025-01-01' AND at < '2026-01-01') NOT VALID;
    /// ALTER TABLE events_2025 VALIDATE CONSTRAINT events_2025_bound;
    /// ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    /// ```
    pub struct AttachPartitionScan {
        id: "attach-partition-scan",
        severity: Warning,
        summary: "ATTACH PARTITION without a validated CHECK on the partition: a scan under lock",
    }
}

impl Rule for AttachPartitionScan {
    rule_meta!();

    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let OpKind::AttachPartition { parent, partition } = &op.kind else {
            return;
        };
        if cx.is_new_table(partition) || cx.catalog.has_validated_check(partition) {
            return;
        }
        let old = cx.options.pg_version.major() < 12;
        let mut d = Diagnostic::new(
            op.span.clone(),
            format!(
                "attaching `{partition}` to `{parent}` scans every row of `{partition}` under an ACCESS EXCLUSIVE lock{}, because no validated CHECK constraint on it is known",
                if old { ", and before PostgreSQL 12 locks all of the parent too" } else { "" }
            ),
            "first add a CHECK matching the partition bound NOT VALID and VALIDATE it, then attach (and drop the CHECK after)",
        );
        if old {
            d = d.with_severity(Severity::Error);
        }
        out.push(d);
    }
}
