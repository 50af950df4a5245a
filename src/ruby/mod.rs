//! Rails migrations to operations: the Ruby front end.
//!
//! A migration file is read by a focused reader for the Ruby migrations are
//! written in (`lexer`, `parse`); each schema statement of Rails or of
//! GitLab's migration helpers becomes the SQL it runs, lowered by the SQL
//! front end, with every span moved onto the call in the `.rb` file. SQL
//! given to `execute` in a heredoc or a plain string is lowered in place, so
//! its spans are the file's own. What is not understood is kept as an
//! [`UNRECOGNIZED`] operation naming the method, for the
//! `unrecognized-migration-code` rule. See `docs/rails.md`.
//!
//! Layer: above `model` and `sql`, below `rules`.

mod lexer;
mod parse;

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{DataChangeKind, DynamicKind, Name, Op, OpKind, Statement};
use crate::sql::{self, LineComment};

pub use lexer::{lex, Lit, Tok, Token};
pub use parse::{parse, Call, Node, Value};

/// The `what` of an [`OpKind::Other`] standing for Ruby code the front end
/// does not understand; the method's name follows.
pub const UNRECOGNIZED: &str = "UNRECOGNIZED RUBY ";

/// The method named by an unrecognized-code operation.
pub fn unrecognized(op: &Op) -> Option<&str> {
    match &op.kind {
        OpKind::Other { what } => what.strip_prefix(UNRECOGNIZED),
        _ => None,
    }
}

/// The `what` of an [`OpKind::Other`] marking a call of a GitLab helper
/// that raises inside a transaction; the helper's name follows.
pub const OUTSIDE_TRANSACTION: &str = "GITLAB HELPER OUTSIDE TRANSACTION ";

/// The GitLab helper named by an outside-a-transaction marker.
pub fn outside_transaction_helper(op: &Op) -> Option<&str> {
    match &op.kind {
        OpKind::Other { what } => what.strip_prefix(OUTSIDE_TRANSACTION),
        _ => None,
    }
}

/// GitLab helpers that raise when a transaction is open
/// (`transaction_open?`, `validate_not_in_transaction!`,
/// `assert_not_in_transaction_block`), other than the index helpers, whose
/// `CONCURRENTLY` statements say so themselves.
const OUTSIDE_TRANSACTION_HELPERS: &[&str] = &[
    "add_concurrent_foreign_key",
    "add_not_null_constraint",
    "add_text_limit",
    "add_multi_column_not_null_constraint",
    "remove_not_null_constraint",
    "remove_text_limit",
    "remove_multi_column_not_null_constraint",
    "copy_check_constraints",
    "add_concurrent_partitioned_index",
    "remove_concurrent_partitioned_index_by_name",
    "add_concurrent_partitioned_foreign_key",
    "validate_partitioned_foreign_key",
    "remove_partitioned_foreign_key",
    "partition_table_by_int_range",
    "partition_table_by_date",
    "partition_table_by_list",
    "drop_partitioned_table_for",
    "enqueue_partitioning_data_migration",
    "prepare_constraint_for_list_partitioning",
    "revert_preparing_constraint_for_list_partitioning",
    "convert_table_to_first_list_partition",
    "revert_converting_table_to_first_list_partition",
    "update_column_in_batches",
    "rename_column_concurrently",
    "undo_cleanup_concurrent_column_type_change",
    "undo_cleanup_concurrent_column_rename",
    "sidekiq_remove_jobs",
    "add_bigint_column_indexes",
];

/// Whether a path is read by this front end.
pub fn is_ruby(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".rb")
}

/// A Rails migration, read.
#[derive(Debug, Default)]
pub struct Migration {
    /// Its statements (one per call of `up`/`change`), spans in the file.
    pub statements: Vec<Statement>,
    /// Its `#` comments, as the SQL side's comments (for ignores).
    pub comments: Vec<LineComment>,
    /// It runs in a transaction (no `disable_ddl_transaction!`).
    pub in_transaction: bool,
}

/// Reads a Rails migration.
pub fn read(text: &str) -> Migration {
    let (tokens, comment_spans) = lex(text);
    let nodes = parse(&tokens);
    let comments = comment_spans
        .into_iter()
        .map(|r| LineComment {
            text: text[r.clone()].trim_start_matches('#').trim().to_string(),
            span: r,
        })
        .collect();
    let mut cx = Lowering {
        text,
        consts: HashMap::new(),
        defs: HashMap::new(),
        out: Vec::new(),
        no_transaction: false,
        gitlab: None,
        inlining: 0,
        expanded: 0,
        models: HashMap::new(),
    };
    // Constants and class-level calls anywhere; `up` and `change` lowered.
    let mut bodies: Vec<&[Node]> = Vec::new();
    collect(&nodes, &mut cx, &mut bodies, false);
    if let (Some(span), false) = (cx.gitlab.clone(), cx.no_transaction) {
        // GitLab's migration classes run a transactional migration with
        // lock retries (a lock timeout, retried): what `with_lock_retries`
        // does, around the whole migration.
        cx.emit("SET lock_timeout = '100ms'", &span);
    }
    for body in bodies {
        cx.body(body, &HashMap::new());
    }
    Migration {
        in_transaction: !cx.no_transaction,
        statements: cx.out,
        comments,
    }
}

/// Walks classes: constants, class-level calls, and the forward methods.
fn collect<'n>(
    nodes: &'n [Node],
    cx: &mut Lowering<'_>,
    bodies: &mut Vec<&'n [Node]>,
    in_class: bool,
) {
    for n in nodes {
        match n {
            // The migration class; a class that is no migration (a model
            // defined for a data migration) is its own code, not read.
            Node::Class {
                body, parent, span, ..
            } if parent.ends_with("Migration") => {
                if parent.starts_with("Gitlab::Database::Migration") {
                    cx.gitlab = Some(span.start..line_end(cx.text, span.start, span.end));
                }
                collect(body, cx, bodies, true);
            }
            Node::Class { parent, body, .. } if parent.is_empty() && !in_class => {
                collect(body, cx, bodies, false);
            }
            Node::Class { name, body, .. } => {
                // A model defined for a data migration: its table.
                for n in body {
                    if let Node::Call(k) = n {
                        if k.recv.as_deref() == Some("self") && k.name == "table_name=" {
                            let table = cx.name(k.args.first(), &HashMap::new());
                            cx.models.insert(name.clone(), table);
                        }
                    }
                }
            }
            Node::Assign { name, value, .. } => {
                cx.consts.insert(name.clone(), value.clone());
            }
            Node::Def { name, body, .. } => {
                if name == "up" || name == "change" {
                    bodies.push(body);
                } else {
                    // Helper methods: lowered where `up` calls them.
                    cx.defs.insert(name.clone(), body.clone());
                }
                // `down` and helper methods: read, not lowered.
            }
            Node::Call(c) if c.name == "disable_ddl_transaction!" => cx.no_transaction = true,
            Node::Call(c) if CLASS_LEVEL.contains(&c.name.as_str()) => {}
            Node::Call(c) if c.recv.is_none() && !in_class && c.name == "require" => {}
            Node::Call(c) => cx.unknown(c),
            Node::Cond { body, .. } => collect(body, cx, bodies, in_class),
            Node::Other { .. } => {}
        }
    }
}

/// Calls of a migration class's body that configure it.
const CLASS_LEVEL: &[&str] = &[
    "milestone",
    "restrict_gitlab_migration",
    "include",
    "extend",
    "enable_lock_retries!",
    "private",
    "require",
    "require_relative",
    "self",
    "table_name",
    "attr_accessor",
    "disable_statement_timeout",
    "skip_require_disable_ddl_transactions!",
    // Without `!`: Rails' reader of the setting, which changes nothing (the
    // migration stays in its transaction).
    "disable_ddl_transaction",
];

/// Calls that change nothing in the schema: logging, batched background
/// migrations bookkeeping, model definitions, asynchronous jobs queued for
/// later. Recognized: no operation, no finding.
const NO_SCHEMA_CHANGE: &[&str] = &[
    "say",
    "say_with_time",
    "queue_batched_background_migration",
    "ensure_batched_background_migration_is_finished",
    "delete_batched_background_migration",
    "finalize_batched_background_migration",
    "define_batchable_model",
    "prepare_async_index",
    "prepare_async_index_by_name",
    "unprepare_async_index",
    "unprepare_async_index_by_name",
    "prepare_async_index_removal",
    "unprepare_async_index_removal",
    "prepare_async_foreign_key_validation",
    "unprepare_async_foreign_key_validation",
    "prepare_async_check_constraint_validation",
    "unprepare_async_check_constraint_validation",
    "prepare_partitioned_async_index",
    "unprepare_partitioned_async_index",
    "prepare_partitioned_async_foreign_key_validation",
    "unprepare_partitioned_async_foreign_key_validation",
    "migrate_in",
    "bulk_migrate_in",
    "bulk_queue_background_migration_jobs_by_range",
    "queue_background_migration_jobs_by_range_at_intervals",
    "delete_queued_jobs",
    "finalize_background_migration",
    "disable_statement_timeout",
    "raise",
    "puts",
    "return",
    "index_exists?",
    "index_exists_by_name?",
    "column_exists?",
    "table_exists?",
    "foreign_key_exists?",
    "check_constraint_exists?",
    "transaction_open?",
    "sidekiq_remove_jobs",
    "prepare_partitioned_async_check_constraint_validation",
    "unprepare_partitioned_async_check_constraint_validation",
    "track_record_deletions",
    "untrack_record_deletions",
    "track_record_deletions_override_table_name",
    "ensure_backfill_conversion_of_integer_to_bigint_is_finished",
    "suppress_messages",
    "loop",
    // Raises when the database user may not create triggers: a check.
    "check_trigger_permissions!",
    // Pauses between batches.
    "sleep",
];

/// Iterations: their block runs (per item of a literal collection).
const ITERATIONS: &[&str] = &[
    "each",
    "each_partition",
    "each_with_index",
    "each_pair",
    "each_slice",
    "each_batch",
    "map",
    "find_each",
    "find_in_batches",
    "in_batches",
    "reverse_each",
    "each_key",
    "each_value",
    "tap",
    "times",
];

/// Model methods that write rows: `UPDATE`.
const MODEL_UPDATES: &[&str] = &[
    "update_all",
    "update",
    "update!",
    "update_column",
    "update_columns",
    "update_attribute",
    "save",
    "save!",
    "touch",
    "touch_all",
    "increment!",
    "decrement!",
];

/// Model methods that remove rows: `DELETE`.
const MODEL_DELETES: &[&str] = &[
    "delete_all",
    "delete",
    "delete_by",
    "destroy",
    "destroy!",
    "destroy_all",
    "destroy_by",
];

/// Model methods that add rows from literal values: `INSERT ... VALUES`.
const MODEL_INSERTS: &[&str] = &[
    "insert",
    "insert!",
    "insert_all",
    "insert_all!",
    "upsert",
    "upsert_all",
    "create",
    "create!",
    "find_or_create_by",
    "find_or_create_by!",
];

/// Model methods that only read (or refresh the model's column cache).
const MODEL_READS: &[&str] = &[
    "reset_column_information",
    "pluck",
    "ids",
    "count",
    "exists?",
    "first",
    "last",
    "find",
    "find_by",
    "take",
    "to_a",
];

/// GitLab helpers that do their work safely (concurrently, in small
/// steps, or with their own lock retries): recognized, kept as an operation
/// no rule reports (`OpKind::Other`, named after the helper).
const SAFE_HELPERS: &[&str] = &[
    "add_concurrent_partitioned_index",
    "remove_concurrent_partitioned_index_by_name",
    "add_concurrent_partitioned_foreign_key",
    "remove_partitioned_foreign_key",
    "rename_column_concurrently",
    "undo_rename_column_concurrently",
    "cleanup_concurrent_column_rename",
    "undo_cleanup_concurrent_column_rename",
    "change_column_type_concurrently",
    "undo_change_column_type_concurrently",
    "cleanup_concurrent_column_type_change",
    "initialize_conversion_of_integer_to_bigint",
    "revert_initialize_conversion_of_integer_to_bigint",
    "backfill_conversion_of_integer_to_bigint",
    "revert_backfill_conversion_of_integer_to_bigint",
    "cleanup_conversion_of_integer_to_bigint",
    "install_sharding_key_assignment_trigger",
    "remove_sharding_key_assignment_trigger",
    "swap_primary_key",
    "swap_columns",
    "swap_columns_default",
    "partition_table_by_date",
    "partition_table_by_int_range",
    "drop_partitioned_table_for",
    "create_trigger_to_sync_tables",
    "drop_sync_trigger",
    "copy_indexes",
    "copy_foreign_keys",
    "create_or_update_plan_limit",
    "add_sequence",
    "remove_sequence",
    "drop_nonpartitioned_archive_table",
    "replace_with_partitioned_table",
    "rollback_replace_with_partitioned_table",
    "enqueue_partitioning_data_migration",
    "cleanup_partitioning_data_migration",
    "finalize_backfilling_partitioned_table",
    "truncate_tables!",
    "update_column_in_batches",
    "each_batch",
    "each_batch_range",
    "remove_foreign_key_if_exists",
    "remove_foreign_key_without_error",
    "create_trigger",
    "drop_trigger",
    "create_trigger_function",
    "drop_function",
    "rename_trigger_function",
    "add_concurrent_index_on_partitioned_table",
    "create_hash_partitions",
    "create_int_range_partitions",
    "reset_all_trigger_functions",
    "reset_trigger_function",
    "swap_indexes",
    "swap_foreign_keys",
    "swap_partitioned_foreign_keys",
    "swap_partitioned_indexes",
    "add_cascading_namespace_setting",
    // Concurrent index builds on the bigint copy of each index on a column.
    "add_bigint_column_indexes",
    "remove_cascading_namespace_setting",
];

struct Lowering<'a> {
    text: &'a str,
    consts: HashMap<String, Value>,
    /// The class's own methods, by name.
    defs: HashMap<String, Vec<Node>>,
    out: Vec<Statement>,
    no_transaction: bool,
    /// The class line of a `Gitlab::Database::Migration[...]` class.
    gitlab: Option<Range<usize>>,
    /// How deep calls to the class's own methods are being lowered.
    inlining: usize,
    /// Iteration items expanded so far (bounded).
    expanded: usize,
    /// Model classes defined in the file, by name: their tables.
    models: HashMap<String, String>,
}

type Locals = HashMap<String, Value>;

/// What a receiver chain starts from.
enum Root {
    /// A model (or relation, or record) of this table.
    Model(String),
    /// GitLab's batched-migration bookkeeping, or logging.
    Bookkeeping,
    /// Not the database: Sidekiq's Redis, query-analyzer assertions.
    NotDatabase,
    /// Something else.
    Unknown,
}

impl Lowering<'_> {
    /// Lowers the statements of `up`/`change` or of a block in them.
    fn body(&mut self, nodes: &[Node], locals: &Locals) {
        let mut locals = locals.clone();
        for n in nodes {
            match n {
                Node::Call(c) => self.call(c, &locals),
                Node::Assign { name, value, .. } => {
                    locals.insert(name.clone(), value.clone());
                }
                Node::Cond { body, .. } => self.body(body, &locals),
                // `return`, `next` and other plain Ruby: nothing to run.
                Node::Other { .. } => {}
                // Model classes and methods defined for a data migration.
                Node::Class { .. } | Node::Def { .. } => {}
            }
        }
    }

    /// An iteration's block: once per item, its parameters bound to the
    /// item, when the collection is a literal (or a constant or local
    /// holding one) of at most `MAX_ITEMS` items; else once, the
    /// parameters standing for themselves.
    fn iterate(&mut self, c: &Call, params: &[String], body: &[Node], locals: &Locals) {
        const MAX_ITEMS: usize = 64;
        let collection = match (&c.recv_value, c.recv.as_deref()) {
            (Some(v), _) => Some(self.resolve(v, locals).clone()),
            (None, Some(r)) if !r.contains('.') => {
                let v = if r.starts_with(|ch: char| ch.is_ascii_uppercase()) {
                    Value::Const(r.to_string())
                } else {
                    Value::Var(r.to_string())
                };
                Some(self.resolve(&v, locals).clone())
            }
            _ => None,
        };
        let items: Option<Vec<Vec<Value>>> = match (&collection, c.name.as_str()) {
            (Some(Value::Array(items)), "each" | "map" | "each_with_index")
                if items.len() <= MAX_ITEMS =>
            {
                Some(
                    items
                        .iter()
                        .map(|it| match (it, params.len(), c.name.as_str()) {
                            // `|a, b|` over `[[x, y], ...]`: destructured.
                            (Value::Array(parts), n, "each" | "map") if n > 1 => parts.clone(),
                            _ => vec![it.clone()],
                        })
                        .collect(),
                )
            }
            (Some(Value::Hash(pairs)), "each" | "map" | "each_pair")
                if pairs.len() <= MAX_ITEMS =>
            {
                Some(
                    pairs
                        .iter()
                        .map(|(k, v)| vec![Value::Sym(k.clone()), v.clone()])
                        .collect(),
                )
            }
            _ => None,
        };
        match items {
            // Items expanded in all, for one file: bounded, so nested
            // iterations cannot multiply without end.
            Some(items) if self.expanded + items.len() <= 1024 => {
                self.expanded += items.len();
                for item in items {
                    let mut l = locals.clone();
                    for (k, p) in params.iter().enumerate() {
                        let v = item.get(k).cloned().unwrap_or(Value::Var(p.clone()));
                        l.insert(p.clone(), v);
                    }
                    self.body(body, &l);
                }
            }
            _ => {
                let mut l = locals.clone();
                for p in params {
                    l.entry(p.clone()).or_insert(Value::Var(p.clone()));
                }
                self.body(body, &l);
            }
        }
    }

    /// A call on a receiver: an iteration runs its block, a model's data
    /// method is a data change on its table, GitLab's bookkeeping and
    /// logging change no schema; anything else is unrecognized.
    fn receiver_call(&mut self, c: &Call, locals: &Locals) {
        let name = c.name.as_str();
        let recv = c.recv.as_deref().unwrap_or_default();
        let root = self.receiver_root(c, locals);
        if matches!(&root, Root::Bookkeeping | Root::NotDatabase) {
            // Logging; rows of GitLab's batched-migration bookkeeping
            // (`batched_background_migrations` and its jobs), which only
            // schedule work; Sidekiq's Redis; query-analyzer assertions.
            return;
        }
        let model = match &root {
            Root::Model(t) => Some(t.clone()),
            _ => None,
        };
        if let Some((params, body)) = &c.block {
            if ITERATIONS.contains(&name) {
                match &model {
                    // `Model.each_batch do |batch|`: each parameter a
                    // relation of the model's table.
                    Some(t) => {
                        let mut l = locals.clone();
                        for p in params {
                            l.insert(p.clone(), Value::Model(t.clone()));
                        }
                        self.body(body, &l);
                    }
                    None => self.iterate(c, params, body, locals),
                }
                return;
            }
            if name == "transaction" {
                // `Model.transaction do`: a transaction (a savepoint inside
                // the migration's own) around its block.
                self.body(body, locals);
                return;
            }
        }
        if (recv == "connection" || recv.ends_with(".connection"))
            && matches!(
                name,
                "execute" | "exec_query" | "select_value" | "select_all" | "select_rows"
            )
        {
            self.execute(c, c.args.first(), locals);
            return;
        }
        if let Some(table) = model {
            if MODEL_READS.contains(&name) || (name.ends_with('=') && name != "==") {
                // Reads, the model's cached column list, and attributes
                // set in memory (written by a later `save`/`update`).
                return;
            }
            let kind = if MODEL_UPDATES.contains(&name) {
                Some(DataChangeKind::Update)
            } else if MODEL_DELETES.contains(&name) {
                Some(DataChangeKind::Delete)
            } else if MODEL_INSERTS.contains(&name) {
                Some(DataChangeKind::InsertValues)
            } else {
                None
            };
            if let Some(kind) = kind {
                let set = match kind {
                    DataChangeKind::Update => self.update_set(c, locals),
                    _ => None,
                };
                self.data_change(kind, &table, set, c);
                return;
            }
        }
        self.unknown(c);
    }

    /// A data change on a table, at the call.
    fn data_change(&mut self, kind: DataChangeKind, table: &str, set: Option<String>, c: &Call) {
        let span = c.name_span.start..line_end(self.text, c.name_span.start, c.span.end);
        let has_where = kind != DataChangeKind::InsertValues;
        self.out.push(Statement {
            span: span.clone(),
            ops: vec![Op {
                kind: OpKind::DataChange {
                    kind,
                    table: Name::new(table),
                    // A relation (`where`, a batch) or one record.
                    has_where,
                    set,
                    predicate: None,
                },
                span,
            }],
            error: None,
        });
    }

    /// What a call's receiver chain starts from.
    fn receiver_root(&self, c: &Call, locals: &Locals) -> Root {
        self.receiver_root_at(c, locals, 0)
    }

    fn receiver_root_at(&self, c: &Call, locals: &Locals, depth: usize) -> Root {
        let recv = c.recv.as_deref().unwrap_or_default();
        if recv.starts_with("Gitlab.AppLogger")
            || recv.starts_with("Rails.logger")
            || recv.starts_with("Gitlab.Database.BackgroundMigration.BatchedMigration")
        {
            return Root::Bookkeeping;
        }
        if recv.starts_with("Sidekiq.")
            || recv.starts_with("Gitlab.SidekiqSharding.")
            || recv.starts_with("Gitlab.Database.QueryAnalyzers.")
        {
            return Root::NotDatabase;
        }
        // The chain's first link: `define_batchable_model('t').where(...)`.
        let mut first = c;
        while let Some(r) = &first.recv_call {
            first = r;
        }
        if first.recv.is_none() && first.name == "define_batchable_model" {
            return Root::Model(self.name(first.args.first(), locals));
        }
        let head = recv.split('.').next().unwrap_or_default();
        let second = recv.split('.').nth(1);
        let is_const = head.starts_with(|ch: char| ch.is_ascii_uppercase());
        let bound = if is_const {
            self.consts.get(head)
        } else {
            locals.get(head)
        };
        match bound.map(|v| self.resolve(v, locals)) {
            Some(Value::Model(t)) => Root::Model(t.clone()),
            Some(Value::Call(k)) if k.recv.is_none() && k.name == "define_batchable_model" => {
                Root::Model(self.name(k.args.first(), locals))
            }
            // `rel = batch.where(...)`: what `batch` is.
            Some(Value::Call(k)) if k.recv.is_some() && depth < 8 => {
                self.receiver_root_at(k, locals, depth + 1)
            }
            // `m = find_migration(...)`, a method of the class: what its
            // last statement, the value it returns, is a call on.
            Some(v @ (Value::Call(_) | Value::Var(_))) if depth < 8 => {
                let method = match v {
                    Value::Call(k) if k.recv.is_none() => k.name.as_str(),
                    Value::Var(n) => n.as_str(),
                    _ => "",
                };
                match self.defs.get(method).and_then(|b| b.last()) {
                    Some(Node::Call(last)) if last.recv.is_some() => {
                        self.receiver_root_at(last, &Locals::new(), depth + 1)
                    }
                    _ => Root::Unknown,
                }
            }
            Some(Value::Const(k)) if k.starts_with("Gitlab::Database::BackgroundMigration::") => {
                Root::Bookkeeping
            }
            Some(Value::Const(k)) if k.starts_with("Sidekiq::") => Root::NotDatabase,
            Some(Value::Const(k)) if !k.contains("::") => self.model_class(k),
            None if is_const && second.is_none_or(|s| !s.starts_with(char::is_uppercase)) => {
                // `User.where(...)`: a model class, not a namespace.
                self.model_class(head)
            }
            _ => Root::Unknown,
        }
    }

    /// A model class's table: `self.table_name` of a class in the file,
    /// else Rails' convention (`NamespaceSetting` -> `namespace_settings`).
    fn model_class(&self, class: &str) -> Root {
        match self.models.get(class) {
            Some(t) => Root::Model(t.clone()),
            None => Root::Model(plural(&snake_case(class))),
        }
    }

    /// The `SET` list of `update_all(col: v)`, `update!(col: v)`,
    /// `update_column(:col, v)` or `update_all("col = ...")`, when literal.
    fn update_set(&self, c: &Call, locals: &Locals) -> Option<String> {
        if c.name == "update_column" {
            let v = c.args.get(1).map(|v| self.resolve(v, locals))?;
            return Some(format!(
                "{} = {}",
                self.name(c.args.first(), locals),
                sql_literal(v)
            ));
        }
        if let Some(Value::Str(l)) = c.args.first().map(|v| self.resolve(v, locals)) {
            return (!l.interpolated).then(|| l.value.clone());
        }
        let pairs: Vec<(String, Value)> = match c.args.first().map(|v| self.resolve(v, locals)) {
            Some(Value::Hash(h)) => h.clone(),
            _ => c.kwargs.clone(),
        };
        if pairs.is_empty() {
            return None;
        }
        Some(
            pairs
                .iter()
                .map(|(k, v)| format!("{k} = {}", sql_literal(self.resolve(v, locals))))
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// An unrecognized call: an operation the rule reports.
    fn unknown(&mut self, c: &Call) {
        let span = c.name_span.start..line_end(self.text, c.name_span.start, c.span.end);
        self.out.push(Statement {
            span: span.clone(),
            ops: vec![Op {
                kind: OpKind::Other {
                    what: format!("{UNRECOGNIZED}{}", full_name(c)),
                },
                span,
            }],
            error: None,
        });
    }

    /// Resolves a value through constants and locals.
    fn resolve<'v>(&'v self, v: &'v Value, locals: &'v Locals) -> &'v Value {
        self.resolve_at(v, locals, 0)
    }

    /// `resolve`, `depth` indexes deep (bounded: `a = a[:k]` ends).
    fn resolve_at<'v>(&'v self, v: &'v Value, locals: &'v Locals, depth: usize) -> &'v Value {
        let mut v = v;
        for _ in 0..8 {
            let next = match v {
                Value::Const(c) => self.consts.get(c.rsplit("::").next().unwrap_or(c)),
                Value::Var(n) => locals.get(n),
                Value::Index(base, key) if depth < 4 => {
                    match self.resolve_at(base, locals, depth + 1) {
                        Value::Hash(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                        _ => None,
                    }
                }
                _ => None,
            };
            match next {
                Some(n) => v = n,
                None => break,
            }
        }
        v
    }

    /// An interpolated string's value when each `#{...}` in it is a
    /// constant or local holding a literal (`"#{TABLE_NAME}_idx"`).
    fn interpolate(&self, value: &str, locals: &Locals) -> Option<String> {
        let mut out = String::new();
        let mut rest = value;
        while let Some(k) = rest.find("#{") {
            out.push_str(&rest[..k]);
            let after = &rest[k + 2..];
            let end = after.find('}')?;
            let expr = after[..end].trim();
            // `NAME`, `name`, or `name[:key]`.
            let (expr, key) = match expr.strip_suffix(']').and_then(|e| e.split_once("[:")) {
                Some((base, key)) => (base, Some(key)),
                None => (expr, None),
            };
            let word = |w: &str| {
                !w.is_empty()
                    && w.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':')
            };
            if !word(expr) || key.is_some_and(|k| !word(k)) {
                return None;
            }
            let mut v = if expr.starts_with(|ch: char| ch.is_ascii_uppercase() || ch == ':') {
                Value::Const(expr.trim_start_matches(':').to_string())
            } else {
                Value::Var(expr.to_string())
            };
            if let Some(k) = key {
                v = Value::Index(Box::new(v), k.to_string());
            }
            match self.resolve(&v, locals) {
                Value::Sym(s) | Value::Num(s) => out.push_str(s),
                Value::Str(l) if !l.interpolated => out.push_str(&l.value),
                _ => return None,
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// A value as a name: symbols, strings, or the variable's own name.
    fn name(&self, v: Option<&Value>, locals: &Locals) -> String {
        match v.map(|v| self.resolve(v, locals)) {
            Some(Value::Sym(s)) => s.clone(),
            Some(Value::Str(l)) if l.interpolated => self
                .interpolate(&l.value, locals)
                .unwrap_or_else(|| l.value.clone()),
            Some(Value::Str(l)) => l.value.clone(),
            Some(Value::Var(n) | Value::Const(n)) => n.to_lowercase(),
            _ => "unknown".into(),
        }
    }

    /// A value as a list of names (a symbol or an array of them).
    fn names(&self, v: Option<&Value>, locals: &Locals) -> Vec<String> {
        match v.map(|v| self.resolve(v, locals)) {
            Some(Value::Array(items)) => items.iter().map(|i| self.name(Some(i), locals)).collect(),
            None => Vec::new(),
            Some(_) => vec![self.name(v, locals)],
        }
    }

    /// A keyword argument, resolved.
    fn kw<'v>(&'v self, c: &'v Call, key: &str, locals: &'v Locals) -> Option<&'v Value> {
        c.kw(key).map(|v| self.resolve(v, locals))
    }

    fn flag(&self, c: &Call, key: &str, locals: &Locals) -> Option<bool> {
        match self.kw(c, key, locals) {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::Nil) => Some(false),
            Some(_) => Some(true),
            None => None,
        }
    }

    /// Lowers generated SQL, moving its spans onto `span`.
    fn emit(&mut self, sql: &str, span: &Range<usize>) {
        let split = sql::split(sql);
        for raw in split.statements {
            let mut st = sql::lower(sql, raw.span);
            st.span = span.clone();
            for op in &mut st.ops {
                relocate(op, span);
            }
            if let Some((m, _)) = st.error.take() {
                // SQL built from arguments the reader could not resolve.
                st.ops.clear();
                st.ops.push(Op {
                    kind: OpKind::Other {
                        what: format!("{UNRECOGNIZED}(arguments: {m})"),
                    },
                    span: span.clone(),
                });
            }
            self.out.push(st);
        }
    }

    /// An operation no SQL stands for: a helper that is safe by design.
    fn safe(&mut self, c: &Call) {
        let span = c.span.clone();
        self.out.push(Statement {
            span: span.clone(),
            ops: vec![Op {
                kind: OpKind::Other {
                    what: format!("RAILS {}", c.name.to_uppercase()),
                },
                span,
            }],
            error: None,
        });
    }

    /// SQL given as a string: lowered in place when the literal is the
    /// file's text as is, else from its value.
    fn execute(&mut self, c: &Call, v: Option<&Value>, locals: &Locals) {
        match v.map(|v| self.resolve(v, locals)) {
            Some(Value::Str(l))
                if l.interpolated && self.interpolate(&l.value, locals).is_some() =>
            {
                // Built from constants and locals holding literals: the SQL
                // is known, linted as SQL on the call.
                let sql = self.interpolate(&l.value, locals).unwrap_or_default();
                self.emit(&sql, &c.span);
            }
            Some(Value::Str(l)) if l.interpolated => {
                self.out.push(Statement {
                    span: c.span.clone(),
                    ops: vec![Op {
                        kind: OpKind::Dynamic(DynamicKind::Execute),
                        span: c.span.clone(),
                    }],
                    error: None,
                });
            }
            Some(Value::Str(l)) if self.text.get(l.body.clone()) == Some(l.value.as_str()) => {
                let base = l.body.start;
                let body = &self.text[l.body.clone()];
                for raw in sql::split(body).statements {
                    let st = sql::lower(self.text, base + raw.span.start..base + raw.span.end);
                    self.out.push(st);
                }
            }
            Some(Value::Str(l)) => {
                let value = l.value.clone();
                self.emit(&value, &c.span);
            }
            _ => self.out.push(Statement {
                span: c.span.clone(),
                ops: vec![Op {
                    kind: OpKind::Dynamic(DynamicKind::Execute),
                    span: c.span.clone(),
                }],
                error: None,
            }),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn call(&mut self, c: &Call, locals: &Locals) {
        let span = c.span.clone();
        let name = c.name.as_str();
        // GitLab's own `add_check_constraint(table, check, name)` and
        // `remove_check_constraint(table, name)` (in a GitLab migration
        // class, or with the name third) raise in a transaction too.
        let gitlab_check = (name == "add_check_constraint"
            && (c.args.get(2).is_some() || self.gitlab.is_some()))
            || (name == "remove_check_constraint"
                && self.gitlab.is_some()
                && c.kw("name").is_none());
        if c.recv.is_none()
            && !self.defs.contains_key(name)
            && (OUTSIDE_TRANSACTION_HELPERS.contains(&name) || gitlab_check)
        {
            let at = c.name_span.start..line_end(self.text, c.name_span.start, c.span.end);
            self.out.push(Statement {
                span: at.clone(),
                ops: vec![Op {
                    kind: OpKind::Other {
                        what: format!("{OUTSIDE_TRANSACTION}{name}"),
                    },
                    span: at,
                }],
                error: None,
            });
        }
        let arg = |i: usize| c.args.get(i);
        let n = |i: usize| self.name(arg(i), locals);
        if c.recv.is_some() {
            self.receiver_call(c, locals);
            return;
        }
        if let Some(body) = self.defs.get(name).cloned() {
            // A method of the migration class: its statements, at most a
            // few calls deep (recursion is cut).
            if self.inlining < 4 {
                self.inlining += 1;
                self.body(&body, locals);
                // The block it yields to runs too.
                if let Some((params, block)) = &c.block {
                    let mut l = locals.clone();
                    for p in params {
                        l.entry(p.clone()).or_insert(Value::Var(p.clone()));
                    }
                    self.body(block, &l);
                }
                self.inlining -= 1;
            }
            return;
        }
        if name == "yield" {
            // In a method of the class: the caller's block, lowered with it.
            return;
        }
        if locals.contains_key(name)
            || (c.args.is_empty()
                && c.kwargs.is_empty()
                && c.block.is_none()
                && matches!(name, "nil" | "yield" | "self" | "super"))
        {
            // A local variable is never a call in Ruby: `updates[:a] = 1`,
            // `rows << x` work on the local.
            // A local variable or a Ruby keyword as a statement: plain Ruby.
            return;
        }
        let table = n(0);
        let sql: String = match name {
            "execute" | "exec_query" | "select_value" | "select_all" | "select_one"
            | "select_rows" | "select_values" => {
                self.execute(c, arg(0), locals);
                return;
            }
            "with_lock_retries"
            | "transaction"
            | "reversible"
            | "up"
            | "disable_statement_timeout"
            | "with_restored_lock_timeout" => {
                if let Some((params, body)) = &c.block {
                    if name == "with_lock_retries" {
                        self.emit("SET lock_timeout = '100ms'", &c.name_span);
                    }
                    if name == "reversible" {
                        // `dir.up { ... }` runs forward; `dir.down` does not.
                        let dir = params.first().cloned().unwrap_or_default();
                        for n in body {
                            match n {
                                Node::Call(d)
                                    if d.recv.as_deref() == Some(dir.as_str())
                                        && d.name == "down" => {}
                                Node::Call(d)
                                    if d.recv.as_deref() == Some(dir.as_str())
                                        && d.name == "up" =>
                                {
                                    if let Some((_, b)) = &d.block {
                                        self.body(b, locals);
                                    }
                                }
                                other => self.body(std::slice::from_ref(other), locals),
                            }
                        }
                    } else {
                        self.body(body, locals);
                    }
                    if name == "with_lock_retries" {
                        self.emit("RESET lock_timeout", &c.name_span);
                    }
                }
                return;
            }
            "create_table" => self.create_table(c, locals),
            "change_table" => {
                self.change_table(c, locals);
                return;
            }
            "drop_table" => format!(
                "DROP TABLE {}{}",
                if self.flag(c, "if_exists", locals) == Some(true) {
                    "IF EXISTS "
                } else {
                    ""
                },
                table
            ),
            "rename_table" => format!("ALTER TABLE {table} RENAME TO {}", n(1)),
            "rename_index" => format!("ALTER INDEX {} RENAME TO {}", n(1), n(2)),
            "rename_constraint" => {
                format!("ALTER TABLE {table} RENAME CONSTRAINT {} TO {}", n(1), n(2))
            }
            "remove_column_default" => {
                format!("ALTER TABLE {table} ALTER COLUMN {} DROP DEFAULT", n(1))
            }
            "add_primary_key_using_index" => format!(
                "ALTER TABLE {table} ADD CONSTRAINT {} PRIMARY KEY USING INDEX {}",
                n(1),
                n(2)
            ),
            "add_column" => format!(
                "ALTER TABLE {table} ADD COLUMN {}{} {}",
                if self.flag(c, "if_not_exists", locals) == Some(true) {
                    "IF NOT EXISTS "
                } else {
                    ""
                },
                n(1),
                self.column_sql(&n(2), c, locals)
            ),
            "remove_column" => format!("ALTER TABLE {table} DROP COLUMN {}", n(1)),
            "remove_columns" => {
                let cols: Vec<String> = (1..c.args.len())
                    .map(|i| format!("DROP COLUMN {}", n(i)))
                    .collect();
                format!("ALTER TABLE {table} {}", cols.join(", "))
            }
            "rename_column" => format!("ALTER TABLE {table} RENAME COLUMN {} TO {}", n(1), n(2)),
            "change_column" => format!(
                "ALTER TABLE {table} ALTER COLUMN {} TYPE {}",
                n(1),
                pg_type(&n(2), c, self, locals)
            ),
            "change_column_null" => match self.resolve(arg(2).unwrap_or(&Value::Nil), locals) {
                Value::Bool(false) => {
                    format!("ALTER TABLE {table} ALTER COLUMN {} SET NOT NULL", n(1))
                }
                _ => format!("ALTER TABLE {table} ALTER COLUMN {} DROP NOT NULL", n(1)),
            },
            "change_column_default" => {
                let v = self.kw(c, "to", locals).or(arg(2));
                match v.map(|v| self.resolve(v, locals)) {
                    Some(Value::Nil) | None => {
                        format!("ALTER TABLE {table} ALTER COLUMN {} DROP DEFAULT", n(1))
                    }
                    Some(v) => format!(
                        "ALTER TABLE {table} ALTER COLUMN {} SET DEFAULT {}",
                        n(1),
                        sql_literal(v)
                    ),
                }
            }
            "add_index" | "add_concurrent_index" => {
                let concurrently = name == "add_concurrent_index"
                    || matches!(self.kw(c, "algorithm", locals), Some(Value::Sym(s)) if s == "concurrently");
                // Rails' `if_not_exists: true`. (GitLab's helper is not
                // IF NOT EXISTS: it skips a valid index of that name and
                // rebuilds an invalid one, which is a plain build.)
                let if_not_exists = self.flag(c, "if_not_exists", locals) == Some(true);
                let sql =
                    self.index_sql(c, &table, &self.names(arg(1), locals), concurrently, locals);
                if if_not_exists {
                    sql.replacen(" INDEX ", " INDEX IF NOT EXISTS ", 1)
                        .replacen(
                            " INDEX IF NOT EXISTS CONCURRENTLY ",
                            " INDEX CONCURRENTLY IF NOT EXISTS ",
                            1,
                        )
                } else {
                    sql
                }
            }
            // Rails' PostgreSQL adapter: `validate_constraint :table, "name"`.
            "validate_constraint" => {
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {}", n(1))
            }
            "remove_index" | "remove_concurrent_index" | "remove_concurrent_index_by_name" => {
                let concurrently = name != "remove_index"
                    || matches!(self.kw(c, "algorithm", locals), Some(Value::Sym(s)) if s == "concurrently");
                let idx = match self.kw(c, "name", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None if name == "remove_concurrent_index_by_name" => n(1),
                    None => format!(
                        "index_{table}_on_{}",
                        self.names(arg(1).or(c.kw("column")), locals).join("_and_")
                    ),
                };
                format!(
                    "DROP INDEX {}IF EXISTS {idx}",
                    if concurrently { "CONCURRENTLY " } else { "" }
                )
            }
            "add_reference" | "add_belongs_to" => {
                let col = format!("{}_id", n(1));
                let ty = match self.kw(c, "type", locals) {
                    Some(t) => self.name(Some(t), locals),
                    None => "bigint".into(),
                };
                let mut s = format!(
                    "ALTER TABLE {table} ADD COLUMN {col} {}",
                    pg_type(&ty, c, self, locals)
                );
                if self.flag(c, "null", locals) == Some(false) {
                    s.push_str(" NOT NULL");
                }
                if self.flag(c, "foreign_key", locals) == Some(true) {
                    s.push_str(&format!(" REFERENCES {} (id)", plural(&n(1))));
                }
                s.push(';');
                if self.flag(c, "index", locals) != Some(false) {
                    let concurrently = match self.kw(c, "index", locals) {
                        Some(Value::Hash(h)) => h.iter().any(|(k, v)| {
                            k == "algorithm" && matches!(v, Value::Sym(s) if s == "concurrently")
                        }),
                        _ => false,
                    };
                    s.push_str(&format!(
                        "CREATE INDEX {}index_{table}_on_{col} ON {table} ({col})",
                        if concurrently { "CONCURRENTLY " } else { "" }
                    ));
                }
                s
            }
            "remove_reference" | "remove_belongs_to" => {
                format!("ALTER TABLE {table} DROP COLUMN {}_id", n(1))
            }
            "add_timestamps" | "add_timestamps_with_timezone" => {
                let null = if self.flag(c, "null", locals) == Some(true) {
                    ""
                } else {
                    " NOT NULL"
                };
                let ty = if name == "add_timestamps_with_timezone" {
                    "timestamp with time zone"
                } else {
                    "timestamp(6) without time zone"
                };
                let default = match self.kw(c, "default", locals) {
                    Some(v) => format!(" DEFAULT {}", sql_literal(v)),
                    None => String::new(),
                };
                format!("ALTER TABLE {table} ADD COLUMN created_at {ty}{null}{default}, ADD COLUMN updated_at {ty}{null}{default}")
            }
            "remove_timestamps" => {
                format!("ALTER TABLE {table} DROP COLUMN created_at, DROP COLUMN updated_at")
            }
            "add_foreign_key" | "add_concurrent_foreign_key" => {
                let to = n(1);
                let col = match self.kw(c, "column", locals) {
                    Some(v) => self.names(Some(v), locals).join(", "),
                    None => format!("{}_id", singular(&to)),
                };
                let pk =
                    match self
                        .kw(c, "primary_key", locals)
                        .or(self.kw(c, "target_column", locals))
                    {
                        Some(v) => self.names(Some(v), locals).join(", "),
                        None => "id".into(),
                    };
                let fk = match self.kw(c, "name", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None => generated_name("fk", &format!("{table}_{col}")),
                };
                let on_delete = match self.kw(c, "on_delete", locals) {
                    Some(Value::Sym(s)) if s == "cascade" => " ON DELETE CASCADE",
                    Some(Value::Sym(s)) if s == "nullify" => " ON DELETE SET NULL",
                    // GitLab's add_concurrent_foreign_key cascades unless
                    // told otherwise (`on_delete: nil` for none).
                    None if name == "add_concurrent_foreign_key" => " ON DELETE CASCADE",
                    _ => "",
                };
                let validate = self.flag(c, "validate", locals) != Some(false);
                let mut s = format!("ALTER TABLE {table} ADD CONSTRAINT {fk} FOREIGN KEY ({col}) REFERENCES {to} ({pk}){on_delete}");
                if name == "add_concurrent_foreign_key" {
                    // Added NOT VALID with lock retries, then validated on
                    // its own.
                    s = format!("SET lock_timeout = '100ms'; {s} NOT VALID; RESET lock_timeout");
                    if validate {
                        s.push_str(&format!("; ALTER TABLE {table} VALIDATE CONSTRAINT {fk}"));
                    }
                } else if !validate {
                    s.push_str(" NOT VALID");
                }
                s
            }
            "validate_foreign_key" => {
                let fk = match self.kw(c, "name", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None if arg(1).is_some() => {
                        let col = n(1);
                        format!("fk_{table}_{col}")
                    }
                    None => "unknown".into(),
                };
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {fk}")
            }
            "remove_foreign_key" => {
                let fk = match self.kw(c, "name", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None => format!(
                        "fk_{table}_{}",
                        self.kw(c, "column", locals)
                            .map_or_else(|| n(1), |v| self.name(Some(v), locals))
                    ),
                };
                format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {fk}")
            }
            "add_check_constraint" => {
                let expr = match arg(1).map(|v| self.resolve(v, locals)) {
                    Some(Value::Str(l)) if !l.interpolated => l.value.clone(),
                    _ => "true".into(),
                };
                let cname = match self.kw(c, "name", locals).or(arg(2)) {
                    Some(v) => self.name(Some(v), locals),
                    None => format!("chk_{table}"),
                };
                let validate = self.flag(c, "validate", locals) != Some(false);
                if arg(2).is_some() {
                    // GitLab's helper (name given third): added NOT VALID
                    // with lock retries, validated on its own unless
                    // `validate: false`.
                    let mut s = format!("SET lock_timeout = '100ms'; ALTER TABLE {table} ADD CONSTRAINT {cname} CHECK ({expr}) NOT VALID; RESET lock_timeout");
                    if validate {
                        s.push_str(&format!(
                            "; ALTER TABLE {table} VALIDATE CONSTRAINT {cname}"
                        ));
                    }
                    s
                } else {
                    format!(
                        "ALTER TABLE {table} ADD CONSTRAINT {cname} CHECK ({expr}){}",
                        if validate { "" } else { " NOT VALID" }
                    )
                }
            }
            "validate_check_constraint"
            | "validate_not_null_constraint"
            | "validate_text_limit"
            | "validate_multi_column_not_null_constraint" => {
                let cname =
                    match self
                        .kw(c, "name", locals)
                        .or(self.kw(c, "constraint_name", locals))
                    {
                        Some(v) => self.name(Some(v), locals),
                        None if name == "validate_check_constraint" => n(1),
                        None => format!("check_{table}_{}", n(1)),
                    };
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {cname}")
            }
            "remove_check_constraint"
            | "remove_not_null_constraint"
            | "remove_text_limit"
            | "remove_multi_column_not_null_constraint" => {
                // GitLab's helpers (`remove_check_constraint t, name` in
                // a GitLab class) drop it with lock retries.
                let gitlab_form = name != "remove_check_constraint" || gitlab_check;
                let cname = match self
                    .kw(c, "constraint_name", locals)
                    .or(self.kw(c, "name", locals))
                {
                    Some(v) => self.name(Some(v), locals),
                    None if name == "remove_check_constraint" => n(1),
                    None => format!("check_{table}_{}", n(1)),
                };
                let drop = format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {cname}");
                if gitlab_form {
                    format!("SET lock_timeout = '100ms'; {drop}; RESET lock_timeout")
                } else {
                    drop
                }
            }
            "add_not_null_constraint"
            | "add_text_limit"
            | "add_multi_column_not_null_constraint" => {
                // GitLab's helpers add the CHECK NOT VALID (with lock
                // retries) and validate it in a separate step, unless
                // `validate: false`.
                let col = n(1);
                let expr = match name {
                    "add_not_null_constraint" => format!("{col} IS NOT NULL"),
                    "add_text_limit" => format!(
                        "char_length({col}) <= {}",
                        match arg(2).map(|v| self.resolve(v, locals)) {
                            Some(Value::Num(x)) => x.clone(),
                            _ => "255".into(),
                        }
                    ),
                    _ => {
                        let cols: Vec<String> = (1..c.args.len()).map(n).collect();
                        format!("num_nonnulls({}) = 1", cols.join(", "))
                    }
                };
                let cname = match self.kw(c, "constraint_name", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None => format!("check_{table}_{col}"),
                };
                let mut s = format!("SET lock_timeout = '100ms'; ALTER TABLE {table} ADD CONSTRAINT {cname} CHECK ({expr}) NOT VALID; RESET lock_timeout");
                if self.flag(c, "validate", locals) != Some(false) {
                    s.push_str(&format!(
                        "; ALTER TABLE {table} VALIDATE CONSTRAINT {cname}"
                    ));
                }
                s
            }
            "drop_sequence" => format!(
                // GitLab: the column's default, then the sequence.
                "ALTER TABLE {table} ALTER COLUMN {} DROP DEFAULT; DROP SEQUENCE IF EXISTS {}",
                n(1),
                n(2)
            ),
            "drop_constraint" => format!(
                "ALTER TABLE {table} DROP CONSTRAINT {}{}",
                n(1),
                if self.flag(c, "cascade", locals) == Some(true) {
                    " CASCADE"
                } else {
                    ""
                }
            ),
            "install_rename_triggers" => {
                // GitLab: a function copying the old column into the new one
                // and a trigger on the table running it (CREATE TRIGGER:
                // SHARE ROW EXCLUSIVE on the table), no lock retries.
                let trigger = match self.kw(c, "trigger_name", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None => generated_name("trigger", &format!("{table}_{}_{}", n(1), n(2))),
                };
                format!(
                    "CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; \
                     DROP TRIGGER IF EXISTS {trigger} ON {table}; \
                     CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {trigger}()"
                )
            }
            "remove_rename_triggers" => {
                let trigger = n(1);
                format!("DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {trigger}()")
            }
            "ensure_unique_id" => {
                // GitLab (partitioned tables): ids from a trigger instead of
                // the column's default.
                let function = format!("assign_{table}_id_value");
                format!(
                    "ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT; \
                     CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; \
                     CREATE TRIGGER assign_{table}_id_trigger BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
                )
            }
            "revert_ensure_unique_id" => {
                let seq = match self.kw(c, "seq", locals) {
                    Some(v) => self.name(Some(v), locals),
                    None => format!("{table}_id_seq"),
                };
                format!(
                    "ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{seq}'::regclass); \
                     DROP FUNCTION IF EXISTS assign_{table}_id_value CASCADE"
                )
            }
            "up_migrate_to_setting"
            | "down_migrate_to_setting"
            | "up_migrate_to_jsonb_setting"
            | "down_migrate_to_jsonb_setting" => {
                // GitLab: a feature flag's state into the one row of
                // application_settings.
                // The value is the flag's state, read at run time; the
                // default stands for it.
                let setting = self.name(self.kw(c, "setting_name", locals), locals);
                let value = self
                    .kw(c, "default_enabled", locals)
                    .map_or("NULL".into(), sql_literal);
                let set = match (
                    self.kw(c, "jsonb_column_name", locals),
                    name.starts_with("up"),
                ) {
                    (Some(v), true) => {
                        let col = self.name(Some(v), locals);
                        format!("{col} = jsonb_set(COALESCE({col}, '{{}}'::jsonb), '{{{setting}}}', to_jsonb({value}))")
                    }
                    (Some(v), false) => {
                        let col = self.name(Some(v), locals);
                        format!("{col} = {col} - '{setting}'")
                    }
                    (None, _) => format!("{setting} = {value}"),
                };
                format!("UPDATE application_settings SET {set}, updated_at = NOW() WHERE id = (SELECT MAX(id) FROM application_settings)")
            }
            "add_widget_definitions" | "remove_widget_definitions" => {
                // GitLab: rows of work_item_widget_definitions for the
                // given work item types (upsert_all / delete_all).
                let kind = if name == "add_widget_definitions" {
                    DataChangeKind::InsertValues
                } else {
                    DataChangeKind::Delete
                };
                self.data_change(kind, "work_item_widget_definitions", None, c);
                return;
            }
            _ if NO_SCHEMA_CHANGE.contains(&name) => return,
            _ if SAFE_HELPERS.contains(&name) => {
                self.safe(c);
                return;
            }
            _ => {
                self.unknown(c);
                return;
            }
        };
        self.emit(&sql, &span);
    }

    /// `CREATE TABLE` from `create_table name do |t| ... end`.
    fn create_table(&mut self, c: &Call, locals: &Locals) -> String {
        let table = self.name(c.args.first(), locals);
        let mut cols: Vec<String> = Vec::new();
        let mut after: Vec<String> = Vec::new();
        let pk_type = match self.kw(c, "id", locals) {
            Some(Value::Bool(false)) => None,
            Some(v @ Value::Sym(_)) => Some(pg_type(&self.name(Some(v), locals), c, self, locals)),
            _ => Some("bigint".into()),
        };
        if let Some(t) = pk_type {
            let pk = self
                .kw(c, "primary_key", locals)
                .map_or("id".into(), |v| self.name(Some(v), locals));
            cols.push(format!(
                "{pk} {t} GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
            ));
        }
        if let Some((params, body)) = &c.block {
            let t = params.first().cloned().unwrap_or_default();
            for node in body {
                let Node::Call(m) = node else { continue };
                if m.recv.as_deref() != Some(t.as_str()) {
                    self.unknown(m);
                    continue;
                }
                self.table_column(&table, m, locals, &mut cols, &mut after, true);
            }
        }
        let mut s = format!(
            "CREATE TABLE {}{table} ({})",
            if self.flag(c, "if_not_exists", locals) == Some(true) {
                "IF NOT EXISTS "
            } else {
                ""
            },
            cols.join(", ")
        );
        for a in after {
            s.push_str("; ");
            s.push_str(&a);
        }
        s
    }

    /// One `t.something` of a `create_table` (`new`) or `change_table` block.
    fn table_column(
        &mut self,
        table: &str,
        m: &Call,
        locals: &Locals,
        cols: &mut Vec<String>,
        after: &mut Vec<String>,
        new: bool,
    ) {
        let first = self.name(m.args.first(), locals);
        let add = |s: String, cols: &mut Vec<String>, after: &mut Vec<String>| {
            if new {
                cols.push(s);
            } else {
                after.push(format!("ALTER TABLE {table} ADD COLUMN {s}"));
            }
        };
        match m.name.as_str() {
            "timestamps" | "timestamps_with_timezone" => {
                let ty = if m.name == "timestamps_with_timezone" {
                    "timestamp with time zone"
                } else {
                    "timestamp(6) without time zone"
                };
                let null = if self.flag(m, "null", locals) == Some(true) {
                    ""
                } else {
                    " NOT NULL"
                };
                add(format!("created_at {ty}{null}"), cols, after);
                add(format!("updated_at {ty}{null}"), cols, after);
            }
            "references" | "belongs_to" => {
                let col = format!("{first}_id");
                let ty = m
                    .kw("type")
                    .map_or("bigint".into(), |v| self.name(Some(v), locals));
                let mut s = format!("{col} {}", pg_type(&ty, m, self, locals));
                if self.flag(m, "null", locals) == Some(false) {
                    s.push_str(" NOT NULL");
                }
                if self.flag(m, "foreign_key", locals) == Some(true) {
                    let to = match self.kw(m, "foreign_key", locals) {
                        Some(Value::Hash(h)) => h
                            .iter()
                            .find(|(k, _)| k == "to_table")
                            .map_or(plural(&first), |(_, v)| self.name(Some(v), locals)),
                        _ => plural(&first),
                    };
                    s.push_str(&format!(" REFERENCES {to} (id)"));
                }
                add(s, cols, after);
                if self.flag(m, "index", locals) != Some(false) {
                    after.push(format!(
                        "CREATE INDEX index_{table}_on_{col} ON {table} ({col})"
                    ));
                }
            }
            "index" => {
                let names = self.names(m.args.first(), locals);
                after.push(self.index_sql(m, table, &names, false, locals));
            }
            "remove" => {
                for i in 0..m.args.len() {
                    after.push(format!(
                        "ALTER TABLE {table} DROP COLUMN {}",
                        self.name(m.args.get(i), locals)
                    ));
                }
            }
            "rename" => after.push(format!(
                "ALTER TABLE {table} RENAME COLUMN {first} TO {}",
                self.name(m.args.get(1), locals)
            )),
            "change" => after.push(format!(
                "ALTER TABLE {table} ALTER COLUMN {first} TYPE {}",
                pg_type(&self.name(m.args.get(1), locals), m, self, locals)
            )),
            "check_constraint" => {
                if let Some(Value::Str(l)) = m.args.first().map(|v| self.resolve(v, locals)) {
                    if !l.interpolated {
                        cols.push(format!("CHECK ({})", l.value));
                    }
                }
            }
            "column" => {
                let ty = self.name(m.args.get(1), locals);
                let s = format!("{first} {}", self.column_sql(&ty, m, locals));
                add(s, cols, after);
            }
            ty => {
                // `t.text :a, :b, null: false`: each name a column of that type.
                let mut s = Vec::new();
                for i in 0..m.args.len() {
                    let col = self.name(m.args.get(i), locals);
                    s.push(format!("{col} {}", self.column_sql(ty, m, locals)));
                }
                for x in s {
                    add(x, cols, after);
                }
                if self.flag(m, "index", locals) == Some(true) {
                    after.push(format!(
                        "CREATE INDEX index_{table}_on_{first} ON {table} ({first})"
                    ));
                }
            }
        }
    }

    fn change_table(&mut self, c: &Call, locals: &Locals) {
        let table = self.name(c.args.first(), locals);
        let Some((params, body)) = &c.block else {
            return;
        };
        let t = params.first().cloned().unwrap_or_default();
        for node in body {
            let Node::Call(m) = node else { continue };
            if m.recv.as_deref() != Some(t.as_str()) {
                self.unknown(m);
                continue;
            }
            let (mut cols, mut after) = (Vec::new(), Vec::new());
            self.table_column(&table, m, locals, &mut cols, &mut after, false);
            let sql = after.join("; ");
            self.emit(&sql, &m.span);
        }
    }

    /// A column's type and options (`null:`, `default:`, `limit:`).
    fn column_sql(&self, ty: &str, c: &Call, locals: &Locals) -> String {
        let mut s = pg_type(ty, c, self, locals);
        if self.kw(c, "array", locals) == Some(&Value::Bool(true)) {
            s.push_str("[]");
        }
        if self.flag(c, "null", locals) == Some(false) {
            s.push_str(" NOT NULL");
        }
        match self.kw(c, "default", locals) {
            None | Some(Value::Nil) => {}
            Some(Value::Other | Value::Call(_)) => {
                // A proc (`-> { 'now()' }`): an expression the reader does
                // not evaluate; now() is the common one.
                s.push_str(" DEFAULT now()");
            }
            Some(v) => {
                s.push_str(" DEFAULT ");
                s.push_str(&sql_literal(v));
            }
        }
        s
    }

    fn index_sql(
        &self,
        c: &Call,
        table: &str,
        cols: &[String],
        concurrently: bool,
        locals: &Locals,
    ) -> String {
        let idx = match self.kw(c, "name", locals) {
            Some(v) => self.name(Some(v), locals),
            None => generated_name("index", &format!("{table}_on_{}", cols.join("_and_"))),
        };
        let using = match self.kw(c, "using", locals) {
            Some(v) => format!(" USING {}", self.name(Some(v), locals)),
            None => String::new(),
        };
        let cols_sql = match c
            .args
            .get(if c.recv.is_some() { 0 } else { 1 })
            .map(|v| self.resolve(v, locals))
        {
            Some(Value::Str(l)) if !l.interpolated => l.value.clone(),
            _ => cols.join(", "),
        };
        let predicate = match self.kw(c, "where", locals) {
            Some(Value::Str(l)) if !l.interpolated => format!(" WHERE {}", l.value),
            _ => String::new(),
        };
        format!(
            "CREATE {}INDEX {}{idx} ON {table}{using} ({cols_sql}){predicate}",
            if self.flag(c, "unique", locals) == Some(true) {
                "UNIQUE "
            } else {
                ""
            },
            if concurrently { "CONCURRENTLY " } else { "" },
        )
    }
}

/// The Rails type name as PostgreSQL's.
fn pg_type(ty: &str, c: &Call, cx: &Lowering<'_>, locals: &Locals) -> String {
    let limit = match cx.kw(c, "limit", locals) {
        Some(Value::Num(n)) => n.parse::<u32>().ok(),
        _ => None,
    };
    match ty {
        "string" => limit.map_or("character varying".into(), |n| {
            format!("character varying({n})")
        }),
        "text" => "text".into(),
        "integer" => match limit {
            Some(8) => "bigint".into(),
            Some(2) => "smallint".into(),
            _ => "integer".into(),
        },
        "bigint" | "references" | "belongs_to" => "bigint".into(),
        "smallint" => "smallint".into(),
        "boolean" => "boolean".into(),
        "datetime" | "timestamp" => "timestamp(6) without time zone".into(),
        "datetime_with_timezone" | "timestamptz" => "timestamp with time zone".into(),
        "date" => "date".into(),
        "time" => "time".into(),
        "float" => "double precision".into(),
        "decimal" | "numeric" => "numeric".into(),
        "binary" | "bytea" => "bytea".into(),
        "jsonb" | "json" | "uuid" | "inet" | "cidr" | "tsvector" | "interval" | "serial"
        | "bigserial" => ty.into(),
        "bigint_array" => "bigint[]".into(),
        "text_array" => "text[]".into(),
        "" | "unknown" => "text".into(),
        other => other.replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_', ""),
    }
}

/// A Ruby literal as SQL.
fn sql_literal(v: &Value) -> String {
    match v {
        Value::Str(l) => format!("'{}'", l.value.replace('\'', "''")),
        Value::Sym(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Num(n) => n.replace('_', ""),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) => "'{}'".into(),
        Value::Hash(_) => "'{}'".into(),
        _ => "NULL".into(),
    }
}

fn plural(s: &str) -> String {
    if s.ends_with('s') {
        s.to_string()
    } else if let Some(stem) = s.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{s}s")
    }
}

/// `NamespaceSetting` -> `namespace_setting`.
fn snake_case(s: &str) -> String {
    let mut out = String::new();
    for (k, ch) in s.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if k > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn singular(s: &str) -> String {
    if let Some(stem) = s.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        s.strip_suffix('s').unwrap_or(s).to_string()
    }
}

/// A name Rails or GitLab would generate: `prefix_words`, or, past
/// PostgreSQL's 63 bytes, `prefix_` and a hash (as GitLab's helpers do).
fn generated_name(prefix: &str, words: &str) -> String {
    let full = format!("{prefix}_{words}");
    if full.len() <= 63 {
        return full;
    }
    // FNV-1a: stable across runs and platforms.
    let h = words.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{prefix}_{h:016x}")
}

/// A call's name with its receiver.
fn full_name(c: &Call) -> String {
    match &c.recv {
        Some(r) => format!("{r}.{}", c.name),
        None => c.name.clone(),
    }
}

/// The end of the line `at` is on, bounded by `limit`.
fn line_end(text: &str, at: usize, limit: usize) -> usize {
    let limit = limit.min(text.len()).max(at.min(text.len()));
    text.get(at..limit)
        .and_then(|s| s.find('\n'))
        .map_or(limit, |k| at + k)
}

/// Moves every span of an operation built from generated SQL onto `span`.
fn relocate(op: &mut Op, span: &Range<usize>) {
    op.span = span.clone();
    match &mut op.kind {
        OpKind::CreateTable(t) => {
            for c in &mut t.columns {
                c.span = span.clone();
            }
            for c in &mut t.constraints {
                c.span = span.clone();
            }
        }
        OpKind::AddColumn { column, .. } => column.span = span.clone(),
        OpKind::AddConstraint { constraint, .. } => constraint.span = span.clone(),
        _ => {}
    }
}

/// Help for a finding in Rails and GitLab terms, by rule, for findings in
/// Ruby migrations.
pub fn rails_help(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "add-index-non-concurrently" => "use add_concurrent_index (GitLab) or add_index ... algorithm: :concurrently, with disable_ddl_transaction! in the migration class; for add_reference, pass index: false and add the index concurrently",
        "gitlab-helper-in-transaction" => "add disable_ddl_transaction! to the migration class: this GitLab helper takes its locks in short steps with lock retries and raises inside a transaction",
        "data-migration" => "move the data change to a post-deployment migration (db/post_migrate); on a large table, queue a batched background migration (queue_batched_background_migration)",
        "drop-index-non-concurrently" => "use remove_concurrent_index_by_name (GitLab) or remove_index ... algorithm: :concurrently, with disable_ddl_transaction!",
        "concurrently-in-transaction" => "add disable_ddl_transaction! to the migration class: concurrent index changes cannot run in the transaction Rails wraps each migration in",
        "add-foreign-key" => "use add_concurrent_foreign_key (GitLab), or add_foreign_key ... validate: false and validate_foreign_key in a later migration",
        "add-check-constraint" => "use add_check_constraint ... validate: false, then validate_check_constraint in a post-deployment migration",
        "set-not-null" => "use add_not_null_constraint (GitLab; validates separately), or a CHECK (col IS NOT NULL) added with validate: false and validated later, before change_column_null",
        "change-column-type" => "use change_column_type_concurrently and cleanup_concurrent_column_type_change (GitLab), or a new column backfilled in batches",
        "rename-column" => "use rename_column_concurrently, then cleanup_concurrent_column_rename in a post-deployment migration (GitLab)",
        "drop-column" => "ignore the column in the model (ignore_column) one release before, then remove_column in a post-deployment migration",
        "missing-lock-timeout" => "wrap the change in with_lock_retries (GitLab), which sets a lock timeout and retries",
        "dynamic-sql" => "the SQL is built with #{...} interpolation: review what it runs by hand",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
