//! The rule catalogue: one rule per file, each with its metadata and docs.
//!
//! A rule reads one operation at a time with the context of the file so far
//! (`RuleContext`) and pushes `Diagnostic`s. Its verdict comes from the
//! operation, never from SQL text; only a fix (`fix.rs`) reads the
//! statement's words, to edit them.
//!
//! Layer: rules import `model` only. Everything in `RuleContext` is a
//! `model` type, including the engine state (`model::FileState`,
//! `model::Catalog`) that `lint` keeps up to date, so the engine depends on
//! the rules and never the other way round.

use std::cell::OnceCell;
use std::ops::Range;

use crate::model::postgres::{behaviour, Behaviour, Knowledge, Rel};
use crate::model::{Catalog, Change, FileState, LintOptions, Name, Op, Phase, Severity, Statement};
pub use fix::{FileScan, NoFix, TextFix};

/// What a rule looks at, and so which part of zerodown reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One operation at a time, with the file so far (`Rule::check`).
    Statement,
    /// The lint engine itself: a statement that does not parse, an unused
    /// suppression. The rule's `check` does nothing; the engine builds its
    /// findings from this metadata.
    Engine,
    /// A release-migrations folder (`zerodown schedule`, `upgrade-path`):
    /// the release checks build its findings from this metadata.
    Release,
}

/// A rule's fixed metadata. `doc` is the rule's doc comment.
#[derive(Debug)]
pub struct RuleMeta {
    /// The public id, used in config, ignore comments and output.
    pub id: &'static str,
    /// What the rule looks at.
    pub scope: Scope,
    /// Severity unless configured.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Runs unless configured (false: needs configuration, like roots).
    pub enabled_by_default: bool,
    /// Its error means the statement breaks application code that is still
    /// running (a dropped or renamed column or table, a column old code
    /// cannot insert without): GitLab Code Quality's `critical`.
    pub breaks_running_code: bool,
    /// The doc comment: `## What it does`, `## Why it causes downtime`, `## Example`, `## Safe alternative`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation as Markdown, without the one-space indent of doc comments.
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }
}

/// What a rule reports: the engine adds the path, severity and positions.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is wrong and why it causes downtime.
    pub message: String,
    /// What to do instead.
    pub help: String,
    /// The change to plan, when a safe multi-release path exists.
    pub change: Option<Change>,
    /// A severity other than the rule's default, when the context calls for it.
    pub severity: Option<Severity>,
    /// The mechanical rewrite that removes the finding, in byte ranges of
    /// the file (`fix.rs`).
    pub fix: Option<TextFix>,
    /// Why the rule's fix is not offered in this context; the engine adds
    /// it to the help (after a front end's own help).
    pub no_fix: Option<NoFix>,
}

impl Diagnostic {
    /// A diagnostic at `span` with its message and help.
    pub fn new(span: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            help: help.into(),
            change: None,
            severity: None,
            fix: None,
            no_fix: None,
        }
    }

    /// Attaches a fix, or, when the context rules the rule's fix out, why
    /// (`Err(reason)`, which the engine adds to the help); `None` offers
    /// nothing.
    #[must_use]
    pub fn with_fix(mut self, fix: Option<Result<TextFix, NoFix>>) -> Self {
        match fix {
            Some(Ok(f)) => self.fix = Some(f),
            Some(Err(why)) => self.no_fix = Some(why),
            None => {}
        }
        self
    }

    /// Attaches the change whose plan the finding should carry.
    #[must_use]
    pub fn with_change(mut self, change: Change) -> Self {
        self.change = Some(change);
        self
    }

    /// Overrides the default severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// Everything a rule may look at besides the operation itself.
pub struct RuleContext<'a> {
    /// The run's options.
    pub options: &'a LintOptions,
    /// The phase of this file.
    pub phase: Phase,
    /// The statement the operation belongs to.
    pub statement: &'a Statement,
    /// The state of the file before this statement.
    pub state: &'a FileState,
    /// What the loaded schema holds and earlier statements and files of
    /// this run created.
    pub catalog: &'a Catalog,
    /// The file's text: the statement is `&source[statement.span]`.
    pub source: &'a str,
    /// What fixes read of the whole file, scanned once per file when a fix
    /// first needs it.
    pub file_scan: &'a FileScan,
}

impl RuleContext<'_> {
    /// True when `table` was created earlier in this file: locks and validation do not matter yet.
    pub fn is_new_table(&self, table: &Name) -> bool {
        self.state.is_new_table(table)
    }

    /// True when the statement runs inside a transaction block.
    pub fn in_transaction(&self) -> bool {
        self.state.in_transaction
    }

    /// How the operation behaves on the run's PostgreSQL version, from
    /// the table of PostgreSQL's behaviour (`model::postgres`), with what
    /// the run knows of the schema.
    pub fn behaviour(&self, op: &Op) -> Option<Behaviour> {
        behaviour(op, self.options.pg_version, self)
    }

    /// The operation rewrites the table it names, on the run's version.
    pub fn rewrites(&self, op: &Op) -> bool {
        self.behaviour(op).is_some_and(|b| b.rewrites(Rel::Table))
    }

    /// The operation scans or rewrites the table it names, on the run's version.
    pub fn reads_every_row(&self, op: &Op) -> bool {
        self.behaviour(op)
            .is_some_and(|b| b.reads_every_row(Rel::Table))
    }
}

impl Knowledge for RuleContext<'_> {
    fn validated_not_null_check(&self, table: &Name, column: &str) -> bool {
        self.catalog.has_validated_not_null_check(table, column)
    }

    fn type_change_free(&self, table: &Name, column: &str, new_type: &str) -> Option<bool> {
        let old = self.catalog.column(table, column)?;
        Some(util::type_change_is_free(
            &util::SqlType::parse(&old.data_type),
            &util::SqlType::parse(new_type),
            self.options.pg_version,
        ))
    }

    fn foreign_key(&self, _table: &Name, _name: &str) -> Option<bool> {
        None
    }
}

/// What the engine works out about one operation once, for every rule that
/// asks: the column types it declares, each parsed once.
pub struct OpFacts<'a> {
    op: &'a Op,
    typed: OnceCell<Vec<util::TypedColumn<'a>>>,
}

impl<'a> OpFacts<'a> {
    /// The facts of `op`, worked out when first asked for.
    pub fn new(op: &'a Op) -> Self {
        OpFacts {
            op,
            typed: OnceCell::new(),
        }
    }

    /// Every column type the operation declares (`util::typed_columns`).
    pub(crate) fn typed_columns(&self) -> &[util::TypedColumn<'a>] {
        self.typed.get_or_init(|| util::typed_columns(self.op))
    }
}

/// A rule: metadata plus a check over one operation.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Checks one operation; pushes what it finds.
    fn check(&self, op: &Op, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>);
    /// Checks one operation whose `facts` are shared with the other rules
    /// (the engine calls this). The same as `check`, which rules that read
    /// facts implement by calling this with fresh facts.
    fn check_op(
        &self,
        op: &Op,
        facts: &OpFacts<'_>,
        cx: &RuleContext<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let _ = facts;
        self.check(op, cx, out);
    }
}

/// Declares a rule struct from its doc comment and metadata.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            severity: $sev:ident,
            summary: $summary:literal $(,)?
            $(enabled_by_default: $enabled:literal $(,)?)?
            $(scope: $scope:ident $(,)?)?
            $(breaks_running_code: $breaks:literal $(,)?)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                scope: declare_rule!(@scope $($scope)?),
                severity: $crate::model::Severity::$sev,
                summary: $summary,
                enabled_by_default: declare_rule!(@enabled $($enabled)?),
                breaks_running_code: declare_rule!(@breaks $($breaks)?),
                doc: $crate::rules::rule_doc!($($doc),*),
            };
        }
    };
    (@enabled) => { true };
    (@breaks) => { false };
    (@breaks $e:literal) => { $e };
    (@enabled $e:literal) => { $e };
    (@scope) => { $crate::rules::Scope::Statement };
    (@scope $s:ident) => { $crate::rules::Scope::$s };
}

/// A rule's doc comment as one string. The browser's lint module carries no
/// rule documentation (it is most of the text in it, and it must fit its size
/// budget): there the docs are empty, and `rules()` leaves `doc` out.
#[cfg(any(not(target_arch = "wasm32"), feature = "full"))]
macro_rules! rule_doc {
    ($($doc:literal),*) => { concat!($($doc, "\n"),*) };
}
#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
macro_rules! rule_doc {
    ($($doc:literal),*) => {
        ""
    };
}
pub(crate) use rule_doc;

/// Implements `Rule::meta` for a rule declared with `declare_rule!`.
macro_rules! rule_meta {
    () => {
        fn meta(&self) -> &'static $crate::rules::RuleMeta {
            &Self::META
        }
    };
    // For rules that implement `check_op`: `check` works out fresh facts.
    (facts) => {
        rule_meta!();

        fn check(
            &self,
            op: &$crate::model::Op,
            cx: &$crate::rules::RuleContext<'_>,
            out: &mut Vec<$crate::rules::Diagnostic>,
        ) {
            self.check_op(op, &$crate::rules::OpFacts::new(op), cx, out);
        }
    };
}

mod add_check_constraint;
mod add_column_required;
mod add_column_volatile_default;
mod add_exclusion_constraint;
mod add_foreign_key;
mod add_index_non_concurrently;
mod add_unique_constraint;
mod attach_partition_scan;
mod backfill_under_lock;
mod blocking_maintenance;
mod change_column_default;
mod change_column_type;
mod concurrently_if_not_exists;
mod concurrently_in_transaction;
mod data_migration;
mod disable_trigger;
pub mod docs;
mod drop_before_ignore_shipped;
mod drop_column;
mod drop_index_non_concurrently;
mod drop_key_constraint;
mod drop_object;
mod drop_table;
mod dynamic_sql;
mod enum_value_in_transaction;
mod enum_value_not_appended;
mod fix;
mod gitlab_helper_in_transaction;
mod identifier_too_long;
mod ignore_removed_too_early;
mod integer_primary_key;
mod invisible_characters;
mod missing_lock_timeout;
mod multiple_table_locks;
mod parse_error;
mod prefer_bigint;
mod prefer_jsonb;
mod prefer_text_field;
mod prefer_timestamptz;
mod release_steps_collapse;
mod rename_column;
mod rename_table;
mod rename_type;
mod schema_addition_in_post_deploy;
mod schema_mismatch;
mod set_not_null;
mod sharding_key_missing;
mod table_rewrite;
mod template_placeholder;
mod truncate_table;
mod unrecognized_migration_code;
mod unused_ignore;
pub(crate) mod util;
mod validate_in_same_transaction;

pub use add_check_constraint::AddCheckConstraint;
pub use add_column_required::AddColumnRequired;
pub use add_column_volatile_default::AddColumnVolatileDefault;
pub use add_exclusion_constraint::AddExclusionConstraint;
pub use add_foreign_key::AddForeignKey;
pub use add_index_non_concurrently::AddIndexNonConcurrently;
pub use add_unique_constraint::AddUniqueConstraint;
pub use attach_partition_scan::AttachPartitionScan;
pub use backfill_under_lock::BackfillUnderLock;
pub use blocking_maintenance::BlockingMaintenance;
pub use change_column_default::ChangeColumnDefault;
pub use change_column_type::ChangeColumnType;
pub use concurrently_if_not_exists::ConcurrentlyIfNotExists;
pub use concurrently_in_transaction::ConcurrentlyInTransaction;
pub use data_migration::DataMigration;
pub use disable_trigger::DisableTrigger;
pub use drop_before_ignore_shipped::DropBeforeIgnoreShipped;
pub use drop_column::DropColumn;
pub use drop_index_non_concurrently::DropIndexNonConcurrently;
pub use drop_key_constraint::DropKeyConstraint;
pub use drop_object::DropObject;
pub use drop_table::DropTable;
pub use dynamic_sql::DynamicSql;
pub use enum_value_in_transaction::EnumValueInTransaction;
pub use enum_value_not_appended::EnumValueNotAppended;
pub use gitlab_helper_in_transaction::GitlabHelperInTransaction;
pub use identifier_too_long::IdentifierTooLong;
pub use ignore_removed_too_early::IgnoreRemovedTooEarly;
pub use integer_primary_key::IntegerPrimaryKey;
pub use invisible_characters::{
    invisible_character_diagnostic, invisible_characters, InvisibleCharacters,
};
pub use missing_lock_timeout::MissingLockTimeout;
pub use multiple_table_locks::MultipleTableLocks;
pub use parse_error::ParseError;
pub use prefer_bigint::PreferBigint;
pub use prefer_jsonb::PreferJsonb;
pub use prefer_text_field::PreferTextField;
pub use prefer_timestamptz::PreferTimestamptz;
pub use release_steps_collapse::ReleaseStepsCollapse;
pub use rename_column::RenameColumn;
pub use rename_table::RenameTable;
pub use rename_type::RenameType;
pub use schema_addition_in_post_deploy::SchemaAdditionInPostDeploy;
pub use schema_mismatch::SchemaMismatch;
pub use set_not_null::SetNotNull;
pub use sharding_key_missing::ShardingKeyMissing;
pub use table_rewrite::TableRewrite;
pub use template_placeholder::TemplatePlaceholder;
pub use truncate_table::TruncateTable;
pub use unrecognized_migration_code::UnrecognizedMigrationCode;
pub use unused_ignore::UnusedIgnore;
pub use validate_in_same_transaction::ValidateInSameTransaction;

/// Every rule, in catalogue order.
pub static RULES: &[&dyn Rule] = &[
    &AddIndexNonConcurrently,
    &DropIndexNonConcurrently,
    &ConcurrentlyInTransaction,
    &GitlabHelperInTransaction,
    &ConcurrentlyIfNotExists,
    &AddForeignKey,
    &AddCheckConstraint,
    &ValidateInSameTransaction,
    &AddUniqueConstraint,
    &AddExclusionConstraint,
    &AttachPartitionScan,
    &SetNotNull,
    &DropColumn,
    &RenameColumn,
    &RenameTable,
    &ChangeColumnType,
    &ChangeColumnDefault,
    &TableRewrite,
    &AddColumnVolatileDefault,
    &AddColumnRequired,
    &DropTable,
    &DropObject,
    &DropKeyConstraint,
    &RenameType,
    &DataMigration,
    &BackfillUnderLock,
    &IntegerPrimaryKey,
    &MissingLockTimeout,
    &MultipleTableLocks,
    &DisableTrigger,
    &BlockingMaintenance,
    &SchemaAdditionInPostDeploy,
    &DynamicSql,
    &SchemaMismatch,
    &UnrecognizedMigrationCode,
    &ParseError,
    &UnusedIgnore,
    &TemplatePlaceholder,
    &InvisibleCharacters,
    &PreferBigint,
    &PreferTextField,
    &PreferTimestamptz,
    &PreferJsonb,
    &EnumValueNotAppended,
    &EnumValueInTransaction,
    &TruncateTable,
    &IdentifierTooLong,
    &ShardingKeyMissing,
    &DropBeforeIgnoreShipped,
    &IgnoreRemovedTooEarly,
    &ReleaseStepsCollapse,
];

/// The rules of a scope, in catalogue order.
pub fn of_scope(scope: Scope) -> impl Iterator<Item = &'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .filter(move |m| m.scope == scope)
}

/// Looks a rule up by id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
